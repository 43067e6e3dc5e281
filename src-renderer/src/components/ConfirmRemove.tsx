import { useState, type ReactNode } from 'react';
import { Modal } from './Modal';

/** The one "remove, and the file too?" question, for downloads and library items alike. */
export function ConfirmRemove(props: {
  title: string;
  children: ReactNode;
  deleteLabel: string;
  onConfirm(deleteFile: boolean): Promise<void>;
  onClose(): void;
}) {
  const [deleteFile, setDeleteFile] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          await props.onConfirm(deleteFile);
          props.onClose();
        }}
      >
        {props.children}
        <label className="check">
          <input type="checkbox" checked={deleteFile} onChange={(e) => setDeleteFile(e.target.checked)} />
          {props.deleteLabel}
        </label>
        <div className="dialog-buttons">
          <button type="button" className="secondary-button" onClick={props.onClose}>
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
