import { useState } from 'react';
import type { PluginInfo } from '../../../../src-common/contract';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store/instance';
import { permissionText, stateBadge, stateText } from './plugin-display';
import { PluginLog } from './PluginLog';
import { PluginSettingsForm } from './PluginSettingsForm';

/** One installed plugin: what it is, what it may do, and its switch, settings and reload. */
export function PluginCard({ plugin }: { plugin: PluginInfo }) {
  const setEnabled = useStore((s) => s.setPluginEnabled);
  const reload = useStore((s) => s.reloadPlugins);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  // The switch moves at once; the core's answer then settles it (a refusal moves it back).
  const [switching, setSwitching] = useState<boolean>();
  const hasSettings = plugin.settingsSchema.length > 0;
  const headingId = `plugin-${plugin.name}`;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    await work();
    setBusy(false);
  };

  return (
    <article className="card plugin-card" aria-labelledby={headingId} data-testid={headingId}>
      <header className="plugin-head">
        <span className="lib-icon">
          <Icon name="puzzle" size={20} />
        </span>
        <div className="plugin-title">
          <h2 id={headingId}>
            {plugin.name} <span className="muted plugin-version">{plugin.version}</span>
          </h2>
          <span className="muted">
            {plugin.author ? `by ${plugin.author}` : 'Unknown author'}
            {plugin.bundled ? ' · Comes with Haul' : ''}
          </span>
        </div>
        <span className={`badge ${stateBadge[plugin.state]}`}>{stateText[plugin.state]}</span>
        <input
          type="checkbox"
          role="switch"
          className="switch"
          aria-label={`Enable ${plugin.name}`}
          checked={switching ?? plugin.enabled}
          disabled={busy}
          onChange={(e) => {
            const enabled = e.target.checked;
            setSwitching(enabled);
            void run(() => setEnabled(plugin.name, enabled)).then(() => setSwitching(undefined));
          }}
        />
      </header>
      {plugin.description && <p className="plugin-description">{plugin.description}</p>}
      {plugin.error && (
        <div className="error-box" role="note">
          <strong>Not running: </strong>
          {plugin.error}
        </div>
      )}
      <div className="permissions" aria-label="Permissions">
        {plugin.permissions.length === 0 && <span className="muted">Needs no permissions.</span>}
        {plugin.permissions.map((permission) => (
          <span key={permission} className="chip" title={permissionText[permission].detail}>
            {permissionText[permission].label}
            {permission === 'http' && plugin.hosts.length > 0 && (
              <span className="muted"> · {plugin.hosts.join(', ')}</span>
            )}
          </span>
        ))}
      </div>
      <div className="plugin-buttons">
        {hasSettings && (
          <button
            type="button"
            className="secondary-button"
            aria-expanded={settingsOpen}
            onClick={() => setSettingsOpen(!settingsOpen)}
          >
            <Icon name="gear" />
            Settings
          </button>
        )}
        <button type="button" className="secondary-button" aria-expanded={logOpen} onClick={() => setLogOpen(!logOpen)}>
          <Icon name="document" />
          Log
        </button>
        <button
          type="button"
          className="secondary-button"
          disabled={busy}
          onClick={() => void run(() => reload(plugin.name))}
          title="Read it from disk again and restart it"
        >
          <Icon name="retry" />
          Reload
        </button>
        <span className="muted plugin-path" title={plugin.path}>
          {plugin.path}
        </span>
      </div>
      {settingsOpen && hasSettings && <PluginSettingsForm key={JSON.stringify(plugin.settings)} plugin={plugin} />}
      {logOpen && <PluginLog name={plugin.name} />}
    </article>
  );
}
