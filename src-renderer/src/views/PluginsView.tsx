import { Icon } from '../components/Icon';

/** Plugin commands are not in the contract yet; until then the view says so plainly. */
export function PluginsView() {
  return (
    <section className="view" aria-labelledby="plugins-title">
      <h1 id="plugins-title">Plugins</h1>
      <div className="empty empty-first card">
        <Icon name="puzzle" size={32} />
        <h2>Plugins are not available yet</h2>
        <p className="muted">
          Installed plugins, their permissions and settings will be managed here. Plugin jobs already show live in the
          job panel.
        </p>
      </div>
    </section>
  );
}
