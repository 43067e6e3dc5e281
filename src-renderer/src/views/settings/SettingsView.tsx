import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ErrorShape, Settings } from '../../../../src-common/contract';
import { useStore } from '../../store/instance';
import { ApiToken } from './ApiToken';
import { PairBrowser } from './PairBrowser';
import { SettingControl } from './SettingControl';
import { TrustedCertificates } from './TrustedCertificates';
import { visibleGroups } from './settings-fields';
import { parseDraft, toDraft, type Draft } from './settings-draft';

export function SettingsView() {
  const settings = useStore((s) => s.settings);
  const loadError = useStore((s) => s.settingsError);
  const loadSettings = useStore((s) => s.loadSettings);
  useEffect(() => void loadSettings(), [loadSettings]);

  return (
    <section className="view" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="lead">Saved in Haul’s database; they apply as soon as you save them.</p>
      {loadError && (
        <p role="alert" className="error">
          Could not load the settings: {loadError.message}
        </p>
      )}
      {!settings && !loadError && <p className="muted">Loading…</p>}
      {/* A fresh form for every saved state, so it always starts from what the core holds. */}
      {settings && <SettingsForm key={JSON.stringify(settings)} settings={settings} />}
      {settings && <TrustedCertificates settings={settings} />}
    </section>
  );
}

/** The field a core message is about, when it names one (`speedLimit: must be ...`). */
function fieldOf(error: ErrorShape | undefined, keys: string[]): string | undefined {
  return error && keys.find((key) => error.message.startsWith(key) || error.message.includes(` ${key}`));
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useStore((s) => s.updateSettings);
  const notify = useStore((s) => s.notify);
  const desktop = useStore((s) => s.client.transport === 'ipc');
  const defaultFolder = useStore((s) => (settings.downloadDir === null ? s.info?.downloadDir : undefined));
  const groups = useMemo(() => visibleGroups(desktop), [desktop]);
  const fields = useMemo(() => groups.flatMap((g) => g.fields), [groups]);
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings, fields));
  const [error, setError] = useState<ErrorShape>();
  const [busy, setBusy] = useState(false);
  const { changes, problems } = parseDraft(draft, settings, fields);
  const changed = Object.keys(changes).length;
  const errorField = fieldOf(
    error,
    fields.map((f) => f.key),
  );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    const failure = await update(changes);
    setBusy(false);
    setError(failure);
    if (!failure) notify('info', 'Settings saved.');
  }

  return (
    <form className="settings-form" onSubmit={(e) => void onSubmit(e)} aria-label="Settings">
      {groups.map((group) => (
        <fieldset key={group.id} className="card settings-group" data-testid={`settings-${group.id}`}>
          <legend>
            <h2>{group.title}</h2>
          </legend>
          {group.fields.length === 0 && <p className="muted">{group.browserNote}</p>}
          {group.fields.map((field) => (
            <SettingControl
              key={field.key}
              field={field}
              draft={draft}
              onChange={(key, value) => setDraft({ ...draft, [key]: value })}
              problem={problems[field.key] ?? (errorField === field.key ? error?.message : undefined)}
              defaultFolder={field.key === 'downloadDir' ? defaultFolder : undefined}
            />
          ))}
          {group.id === 'api' && <ApiToken />}
          {group.id === 'api' && <PairBrowser settings={settings} />}
        </fieldset>
      ))}
      <div className="save-bar">
        <span className={error ? 'error' : 'muted'} role={error ? 'alert' : undefined}>
          {error
            ? `Not saved: ${error.message}`
            : changed > 0
              ? `${changed} unsaved change${changed === 1 ? '' : 's'}`
              : 'All changes saved.'}
        </span>
        <button
          type="button"
          className="secondary-button"
          disabled={changed === 0 && !error}
          onClick={() => (setDraft(toDraft(settings, fields)), setError(undefined))}
        >
          Undo changes
        </button>
        <button type="submit" className="primary-button" disabled={busy || changed === 0}>
          Save
        </button>
      </div>
    </form>
  );
}
