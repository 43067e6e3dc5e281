import { useEffect, useState } from 'react';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store/instance';
import { InstallDialog } from './InstallDialog';
import { PluginCard } from './PluginCard';
import { PluginNotifications } from './PluginNotifications';

/** While a plugin is starting, its state is read again this often: plugins have no event stream. */
const startingPollMs = 1000;

export function PluginsView() {
  const plugins = useStore((s) => s.plugins);
  const loaded = useStore((s) => s.pluginsLoaded);
  const error = useStore((s) => s.pluginsError);
  const load = useStore((s) => s.loadPlugins);
  const reload = useStore((s) => s.reloadPlugins);
  const [installing, setInstalling] = useState(false);
  const starting = plugins.some((p) => p.state === 'starting');

  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!starting) return;
    const timer = setTimeout(() => void load(), startingPollMs);
    return () => clearTimeout(timer);
  }, [starting, plugins, load]);

  return (
    <section className="view plugins-view" aria-labelledby="plugins-title">
      <div className="view-top">
        <div>
          <h1 id="plugins-title">Plugins</h1>
          <p className="lead">
            They run sandboxed, with only the permissions listed on each. Their actions appear in the library.
          </p>
        </div>
        <div className="filters">
          <button type="button" className="secondary-button" onClick={() => void reload()} disabled={!loaded}>
            <Icon name="retry" />
            Reload all
          </button>
          <button type="button" className="primary-button" onClick={() => setInstalling(true)}>
            <Icon name="plus" />
            Install…
          </button>
        </div>
      </div>
      {error && (
        <p role="alert" className="error">
          Could not list the plugins: {error.message}
        </p>
      )}
      {!loaded && <p className="empty muted">Loading plugins…</p>}
      {loaded && !error && plugins.length === 0 && (
        <div className="empty empty-first card" data-testid="plugins-empty">
          <Icon name="puzzle" size={32} />
          <h2>No plugins installed</h2>
          <p className="muted">
            Plugins add actions to library files and can resolve links before they download. Install one from a folder
            or a .zip file.
          </p>
          <button type="button" className="primary-button" onClick={() => setInstalling(true)}>
            Install a plugin
          </button>
        </div>
      )}
      <div className="plugin-list">
        {loaded && <PluginNotifications />}
        {plugins.map((plugin) => (
          <PluginCard key={plugin.name} plugin={plugin} />
        ))}
      </div>
      {installing && <InstallDialog onClose={() => setInstalling(false)} />}
    </section>
  );
}
