import { Icon } from '../components/Icon';
import { useStore } from '../store/instance';

/**
 * Library and Plugins need commands the contract does not have yet (resources, plugin
 * list and actions). Until then they say so plainly instead of showing an empty list.
 */
export function LibraryView() {
  const completed = useStore((s) => Object.values(s.downloads).filter((job) => job.status === 'completed').length);
  const setView = useStore((s) => s.setView);
  const setTab = useStore((s) => s.setTab);
  return (
    <section className="view" aria-labelledby="library-title">
      <h1 id="library-title">Library</h1>
      <div className="empty empty-first card">
        <Icon name="folder" size={32} />
        <h2>The library is not available yet</h2>
        <p className="muted">
          Finished files and the plugin actions that run on them will be listed here once this Haul version can list
          them.
        </p>
        {completed > 0 && (
          <button
            type="button"
            className="secondary-button"
            onClick={() => (setView('downloads'), setTab('completed'))}
          >
            See {completed} completed download{completed === 1 ? '' : 's'}
          </button>
        )}
      </div>
    </section>
  );
}

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
