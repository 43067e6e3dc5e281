import { useState } from 'react';
import type { ErrorShape } from '../../../../src-common/contract';
import { Modal } from '../../components/Modal';
import { useStore } from '../../store/instance';

/**
 * Install from a path on the computer Haul runs on: the core reads it, not this page, so
 * a browser's file picker (which hides paths) would not help.
 */
export function InstallDialog({ onClose }: { onClose(): void }) {
  const install = useStore((s) => s.installPlugin);
  const notify = useStore((s) => s.notify);
  const [path, setPath] = useState('');
  const [error, setError] = useState<ErrorShape>();
  const [busy, setBusy] = useState(false);
  // The core refused to replace an installed plugin of the same name until asked again.
  const replacing = error?.kind === 'conflict' && error.details?.field === 'replace';

  return (
    <Modal title="Install a plugin" onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const failure = await install(path.trim(), replacing);
          setBusy(false);
          setError(failure);
          if (failure) return;
          notify('info', 'Plugin installed.');
          onClose();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="plugin-path">
            Plugin folder or .zip file
          </label>
          <input
            id="plugin-path"
            type="text"
            className="path-input"
            spellCheck={false}
            required
            autoFocus
            placeholder="/home/me/plugins/my-plugin or my-plugin.zip"
            value={path}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setPath(e.target.value);
              if (replacing) setError(undefined);
            }}
          />
          <span className="muted field-hint">
            A path on the computer Haul runs on. The folder (or the zip) holds plugin.json. A plugin with the same name
            is replaced once you agree.
          </span>
        </div>
        {error && (
          <p role="alert" className={replacing ? 'confirm-box' : 'error-box'}>
            {replacing ? error.message : `Not installed: ${error.message}`}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="secondary-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={busy || path.trim() === ''}>
            {replacing ? 'Replace' : 'Install'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
