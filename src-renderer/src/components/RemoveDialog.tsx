import { useState } from 'react';
import { downloadName } from '../lib/job-display';
import { downloadOf } from '../store/history-slice';
import { useStore } from '../store/instance';
import { Modal } from './Modal';

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
  const [deleteFile, setDeleteFile] = useState(false);
  const [busy, setBusy] = useState(false);
  const what = ids.length === 1 && first ? `“${downloadName(first)}”` : `${ids.length} downloads`;
  const close = () => askRemove(undefined);

  return (
    <Modal title={`Remove ${what}?`} onClose={close}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          await removeJobs(ids, deleteFile);
          close();
        }}
      >
        <p className="muted">They leave the list. Files already on disk stay unless you say otherwise.</p>
        <label className="check">
          <input type="checkbox" checked={deleteFile} onChange={(e) => setDeleteFile(e.target.checked)} />
          Also delete the downloaded file{ids.length === 1 ? '' : 's'}
        </label>
        <div className="dialog-buttons">
          <button type="button" className="secondary-button" onClick={close}>
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
