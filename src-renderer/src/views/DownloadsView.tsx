import { formatCount } from '../lib/format';
import { useStore } from '../store/instance';
import { emptyTable, memoizeLast, statusTabs, tabCounts } from '../store/table-query';
import { DownloadsTable } from './downloads/DownloadsTable';
import { DownloadsToolbar, SelectionCount, TableFilters } from './downloads/DownloadsToolbar';
import { RowMenu } from './downloads/RowMenu';
import { TableFoot } from './downloads/TableFoot';

const counts = memoizeLast(tabCounts);

function EmptyState() {
  const ready = useStore((s) => s.tableReady);
  const failed = useStore((s) => s.tableError !== undefined);
  const tabCount = useStore((s) => counts(s.tableCounts));
  const tab = useStore((s) => s.tab);
  const search = useStore((s) => s.search);
  const openAdd = useStore((s) => s.openAdd);
  const shown = emptyTable({ ready, failed, counts: tabCount, tab, search });
  if (shown === 'error') return <TableFoot />;
  if (shown === 'loading') return <p className="empty muted">Loading downloads…</p>;
  if (shown === 'no-match') return <p className="empty muted">No download matches “{search}”.</p>;
  if (shown === 'tab-empty') return <p className="empty muted">No downloads in this tab.</p>;
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

/**
 * Why the stream stopped, when Haul said (a missing token); nothing for the browser's own
 * "Failed to fetch", which says no more than the banner does.
 */
function reasonOf(message: string | undefined): string {
  if (!message || /^(Failed to fetch|NetworkError|Load failed)/i.test(message)) return '';
  return ` (${message.replace(/\.$/, '')})`;
}

export function DownloadsView() {
  const tab = useStore((s) => s.tab);
  const setTab = useStore((s) => s.setTab);
  const tabCount = useStore((s) => counts(s.tableCounts));
  const visible = useStore((s) => s.tableIds.length);
  const streamStatus = useStore((s) => s.streamStatus);
  const streamMessage = useStore((s) => s.streamMessage);

  return (
    <section className="view downloads-view" aria-labelledby="downloads-title">
      <div className="view-head">
        <h1 id="downloads-title">Downloads</h1>
        {streamStatus === 'offline' && (
          <p role="alert" className="banner error" title={streamMessage}>
            Lost the connection to Haul{reasonOf(streamMessage)}; what is shown here may be out of date. Reconnecting…
          </p>
        )}
        <SelectionCount />
      </div>
      <div className="tabs-row with-filters">
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
              title={t.short ? t.label : undefined}
            >
              {t.short ? (
                <>
                  <span className="tab-label">{t.label}</span>
                  <span className="tab-label-short">{t.short}</span>
                </>
              ) : (
                t.label
              )}
              <span className="count">{formatCount(tabCount[t.id])}</span>
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
