import { useEffect } from 'react';
import { AddDialog } from './components/AddDialog';
import { DetailsDrawer } from './components/DetailsDrawer';
import { DropOverlay } from './components/DropOverlay';
import { Icon, type IconName } from './components/Icon';
import { JobPanel } from './components/JobPanel';
import { Notices } from './components/Notices';
import { RemoveDialog } from './components/RemoveDialog';
import { StartupNotices } from './components/StartupNotices';
import { useDropZone } from './hooks/use-drop-zone';
import { useShortcuts } from './hooks/use-shortcuts';
import { useTheme } from './hooks/use-theme';
import { compactCount, formatCount } from './lib/format';
import type { State, View } from './store';
import { useStore } from './store/instance';
import { memoizeLast } from './store/table-query';
import { AboutView } from './views/AboutView';
import { DownloadsView } from './views/DownloadsView';
import { JobsView } from './views/jobs/JobsView';
import { LibraryView } from './views/library/LibraryView';
import { PluginsView } from './views/plugins/PluginsView';
import { QueuesView } from './views/QueuesView';
import { SettingsView } from './views/settings/SettingsView';

const views: { id: View; label: string; icon: IconName }[] = [
  { id: 'downloads', label: 'Downloads', icon: 'download' },
  { id: 'jobs', label: 'Jobs', icon: 'task' },
  { id: 'library', label: 'Library', icon: 'folder' },
  { id: 'plugins', label: 'Plugins', icon: 'puzzle' },
  { id: 'queues', label: 'Queues', icon: 'queue' },
  { id: 'settings', label: 'Settings', icon: 'gear' },
  { id: 'about', label: 'About', icon: 'about' },
];

/** The jobs of a view still to run or running; counted again only when a job record changed. */
const activeCounts = {
  downloads: memoizeLast((downloads: State['downloads']) => {
    let n = 0;
    for (const job of Object.values(downloads)) if (job.status === 'downloading' || job.status === 'pending') n += 1;
    return n;
  }),
  jobs: memoizeLast((tasks: State['tasks'], actions: State['actions']) => {
    let n = 0;
    for (const job of [...Object.values(tasks), ...Object.values(actions)]) {
      if (job.status === 'running' || job.status === 'pending') n += 1;
    }
    return n;
  }),
};

function ActiveCount({ of }: { of: 'downloads' | 'jobs' }) {
  const active = useStore((s) =>
    of === 'downloads' ? activeCounts.downloads(s.downloads) : activeCounts.jobs(s.tasks, s.actions),
  );
  if (active === 0) return null;
  // Compact, so five digits still fit beside the view's name; the whole number on hover.
  return (
    <span className="nav-count" title={`${formatCount(active)} active`}>
      {compactCount(active)}
    </span>
  );
}

export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const loadInfo = useStore((s) => s.loadInfo);
  const loadSettings = useStore((s) => s.loadSettings);
  const connect = useStore((s) => s.connect);
  const drawerOpen = useStore((s) => s.detailsId !== undefined);
  const dragging = useDropZone();
  useShortcuts();
  useTheme();

  useEffect(() => {
    void loadInfo();
    void loadSettings();
  }, [loadInfo, loadSettings]);
  // Subscribe first; the stream's first event is the `init` snapshot.
  useEffect(() => connect(), [connect]);

  // Desktop app: a clicked notification asks to show its job; links from outside open
  // Add prefilled (added to what the dialog already holds), for the user to confirm.
  const showDetails = useStore((s) => s.showDetails);
  const openAdd = useStore((s) => s.openAdd);
  useEffect(
    () =>
      window.haul?.onShowRequest?.((request) => {
        setView('downloads');
        if (request.kind === 'job') return showDetails(request.id);
        const held = useStore.getState().addDraft?.urls.split('\n').filter(Boolean) ?? [];
        openAdd([...new Set([...held, ...request.urls])].join('\n'));
      }),
    [setView, showDetails, openAdd],
  );

  return (
    <div className={drawerOpen ? 'app drawer-open' : 'app'}>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">Haul</div>
        {views.map((item) => (
          <button
            key={item.id}
            type="button"
            className={item.id === view ? 'nav-item active' : 'nav-item'}
            aria-current={item.id === view ? 'page' : undefined}
            title={item.label}
            onClick={() => setView(item.id)}
          >
            <Icon name={item.icon} />
            <span>{item.label}</span>
            {(item.id === 'downloads' || item.id === 'jobs') && <ActiveCount of={item.id} />}
          </button>
        ))}
      </nav>
      <main className="content">
        <StartupNotices />
        {view === 'downloads' && <DownloadsView />}
        {view === 'jobs' && <JobsView />}
        {view === 'library' && <LibraryView />}
        {view === 'plugins' && <PluginsView />}
        {view === 'queues' && <QueuesView />}
        {view === 'settings' && <SettingsView />}
        {view === 'about' && <AboutView />}
      </main>
      <DetailsDrawer />
      <JobPanel />
      <DropOverlay visible={dragging} />
      <AddDialog />
      <RemoveDialog />
      <Notices />
    </div>
  );
}
