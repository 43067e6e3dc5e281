import { downloadName } from '../lib/job-display';
import { downloadOf } from '../store/table-slice';
import { useStore } from '../store/instance';
import { ConfirmRemove } from './ConfirmRemove';
import { formatCount } from '../lib/format';

/** Asks before removing: which downloads, and whether their files go too. */
export function RemoveDialog() {
  const ids = useStore((s) => s.removeAsk);
  if (!ids) return null;
  return <RemoveForm key={ids.join()} ids={ids} />;
}

function RemoveForm({ ids }: { ids: string[] }) {
  const askRemove = useStore((s) => s.askRemove);
  const removeJobs = useStore((s) => s.removeJobs);
  const first = useStore((s) => downloadOf(s, ids[0]!));
  const what = ids.length === 1 && first ? `“${downloadName(first)}”` : `${formatCount(ids.length)} downloads`;
  return (
    <ConfirmRemove
      title={`Remove ${what}?`}
      deleteLabel={`Also delete the downloaded file${ids.length === 1 ? '' : 's'}`}
      onConfirm={(deleteFile) => removeJobs(ids, deleteFile)}
      onClose={() => askRemove(undefined)}
    >
      <p className="muted">They leave the list. Files already on disk stay unless you say otherwise.</p>
    </ConfirmRemove>
  );
}
