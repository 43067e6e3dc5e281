import type { Resource } from '../../../../src-common/contract';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { useStore } from '../../store/instance';

/** Asks before a file leaves the library, and whether it leaves the disk too. */
export function RemoveResourceDialog({ resource, onClose }: { resource: Resource; onClose(): void }) {
  const remove = useStore((s) => s.removeResource);
  return (
    <ConfirmRemove
      title={`Remove “${resource.name}” from the library?`}
      deleteLabel="Also delete the file"
      onConfirm={async (deleteFile) => {
        await remove(resource.id, deleteFile);
      }}
      onClose={onClose}
    >
      <p className="muted">The file stays on disk unless you say otherwise.</p>
      <p className="path-line" title={resource.path}>
        {resource.path}
      </p>
    </ConfirmRemove>
  );
}
