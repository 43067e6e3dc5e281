import { useState } from 'react';
import type { Resource } from '../../../../src-preload/contract';
import { Modal } from '../../components/Modal';
import { useStore } from '../../store/instance';

/** Asks before a file leaves the library, and whether it leaves the disk too. */
export function RemoveResourceDialog({ resource, onClose }: { resource: Resource; onClose(): void }) {
  const remove = useStore((s) => s.removeResource);
  const [deleteFile, setDeleteFile] = useState(false);
  const [busy, setBusy] = useState(false);

  return (
    <Modal title={`Remove “${resource.name}” from the library?`} onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          await remove(resource.id, deleteFile);
          onClose();
        }}
      >
        <p className="muted">The file stays on disk unless you say otherwise.</p>
        <p className="path-line" title={resource.path}>
          {resource.path}
        </p>
        <label className="check">
          <input type="checkbox" checked={deleteFile} onChange={(e) => setDeleteFile(e.target.checked)} />
          Also delete the file
        </label>
        <div className="dialog-buttons">
          <button type="button" className="secondary-button" onClick={onClose}>
            Keep
          </button>
          <button type="submit" className="danger-button" disabled={busy} autoFocus>
            Remove
          </button>
        </div>
      </form>
    </Modal>
  );
}
