import { useShallow } from 'zustand/react/shallow';
import type { State } from '../store';
import { useStore } from '../store/instance';
import { memoizeLast, statusTabs, tabCounts } from '../store/table-query';
import { DownloadsTable, selectVisibleIds } from './downloads/DownloadsTable';
import { DownloadsToolbar, TableFilters } from './downloads/DownloadsToolbar';
import { HistoryFoot, useHistoryPaging } from './downloads/HistoryFoot';
import { RowMenu } from './downloads/RowMenu';

const counts = memoizeLast((downloads: State['downloads'], stored: State['storedCounts']) =>
  tabCounts(downloads, stored),
);

function EmptyState() {
  const synced = useStore((s) => s.synced);
  const hasAny = useStore((s) => Object.keys(s.downloads).length > 0 || Object.keys(s.history).length > 0);
  const search = useStore((s) => s.search);
  const openAdd = useStore((s) => s.openAdd);
  const historyPending = useStore((s) => !s.historyDone && s.historyError === undefined);
  const historyFailed = useStore((s) => s.historyError !== undefined);
  // Nothing shows yet: older downloads may still fill this tab or match this search.
  useHistoryPaging(true);
  if (!synced || historyPending) return <p className="empty muted">Loading downloads…</p>;
  if (hasAny) {
    return <p className="empty muted">{search ? `No download matches “${search}”.` : 'No downloads in this tab.'}</p>;
  }
  if (historyFailed) return <HistoryFoot />;
  return (
    <div className="empty empty-first" data-testid="downloads-empty">
      <h2>No downloads yet</h2>
      <p className="muted">
        Drop links or a .txt file of links anywhere in this window, press Ctrl+V to paste them, or use Add.
      </p>
      <button type="button" className="primary-button" onClick={() => openAdd()}>
        Add downloads
      </button>
    </div>
  );
}

export function DownloadsView() {
  const tab = useStore((s) => s.tab);
  const setTab = useStore((s) => s.setTab);
  const tabCount = useStore(useShallow((s) => counts(s.downloads, s.storedCounts)));
  const visible = useStore((s) => selectVisibleIds(s).length);
  const streamStatus = useStore((s) => s.streamStatus);
  const streamMessage = useStore((s) => s.streamMessage);

  return (
    <section className="view downloads-view" aria-labelledby="downloads-title">
      <div className="view-head">
        <h1 id="downloads-title">Downloads</h1>
        {streamStatus === 'offline' && (
          <p role="alert" className="banner error">
            Lost the connection to Haul{streamMessage ? `: ${streamMessage}` : ''}. Reconnecting…
          </p>
        )}
      </div>
      <div className="tabs-row">
        <div className="tabs" role="tablist" aria-label="Filter by status">
          {statusTabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`tab${tab === t.id ? ' active' : ''}`}
              onClick={() => setTab(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
              <span className="count">{tabCount[t.id]}</span>
            </button>
          ))}
        </div>
        <TableFilters />
      </div>
      <DownloadsToolbar />
      {visible > 0 ? <DownloadsTable /> : <EmptyState />}
      <RowMenu />
    </section>
  );
}
