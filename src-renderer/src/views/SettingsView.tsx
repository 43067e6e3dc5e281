import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorShape, Settings } from '../../../src-preload/contract';
import { useStore } from '../store/instance';
import type { Theme } from '../store/ui-slice';

type Draft = Record<keyof Settings, string>;

const fields: { key: keyof Settings; label: string; hint: string; min: number; max: number }[] = [
  {
    key: 'maxConcurrentDownloads',
    label: 'Downloads at once',
    hint: 'How many downloads run at the same time.',
    min: 1,
    max: 20,
  },
  {
    key: 'maxConcurrentPluginJobs',
    label: 'Plugin jobs at once',
    hint: 'How many plugin actions run at the same time.',
    min: 1,
    max: 20,
  },
  {
    key: 'defaultMaxAttempts',
    label: 'Attempts per download',
    hint: 'Network and server errors are retried up to this many times.',
    min: 1,
    max: 100,
  },
  {
    key: 'jobExpiryDays',
    label: 'Keep history for (days)',
    hint: 'Finished jobs older than this are deleted.',
    min: 1,
    max: 3650,
  },
];

const toDraft = (s: Settings): Draft => Object.fromEntries(fields.map((f) => [f.key, String(s[f.key])])) as Draft;

export function SettingsView() {
  const settings = useStore((s) => s.settings);
  const loadError = useStore((s) => s.settingsError);
  const loadSettings = useStore((s) => s.loadSettings);
  useEffect(() => void loadSettings(), [loadSettings]);

  return (
    <section className="view" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="lead">Saved in Haul’s database; they apply at once.</p>
      {loadError && (
        <p role="alert" className="error">
          Could not load the settings: {loadError.message}
        </p>
      )}
      {!settings && !loadError && <p className="muted">Loading…</p>}
      {settings && <SettingsForm key={JSON.stringify(settings)} settings={settings} />}
      <Appearance />
    </section>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useStore((s) => s.updateSettings);
  const notify = useStore((s) => s.notify);
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [error, setError] = useState<ErrorShape>();
  const changed = fields.filter((f) => draft[f.key] !== String(settings[f.key]));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const changes = Object.fromEntries(changed.map((f) => [f.key, Number(draft[f.key])])) as Partial<Settings>;
    const failure = await update(changes);
    setError(failure);
    if (!failure) notify('info', 'Settings saved.');
  }

  return (
    <form className="card settings-form" onSubmit={(e) => void onSubmit(e)} aria-label="Job settings">
      <h2>Jobs</h2>
      {fields.map((f) => (
        <label key={f.key} className="setting">
          <span className="setting-text">
            <span className="field-label">{f.label}</span>
            <span className="muted">{f.hint}</span>
          </span>
          <input
            type="number"
            inputMode="numeric"
            min={f.min}
            max={f.max}
            required
            value={draft[f.key]}
            onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
          />
        </label>
      ))}
      {error && (
        <p role="alert" className="error">
          Not saved: {error.message}
        </p>
      )}
      <div className="dialog-buttons">
        <button
          type="button"
          className="secondary-button"
          disabled={changed.length === 0}
          onClick={() => (setDraft(toDraft(settings)), setError(undefined))}
        >
          Undo changes
        </button>
        <button type="submit" className="primary-button" disabled={changed.length === 0}>
          Save
        </button>
      </div>
    </form>
  );
}

/** Kept in this browser only: the look is per window, not per Haul instance. */
function Appearance() {
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  return (
    <div className="card settings-form">
      <h2>Appearance</h2>
      <label className="setting">
        <span className="setting-text">
          <span className="field-label">Theme</span>
          <span className="muted">System follows your operating system’s light or dark mode.</span>
        </span>
        <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </div>
  );
}
