import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PluginAction, Resource } from '../../../../src-common/contract';
import { Icon } from '../../components/Icon';
import { typeFilters } from '../../lib/resource-display';
import { useStore } from '../../store/instance';
import { ActionDialog } from './ActionDialog';
import { BulkActionDialog } from './BulkActionDialog';
import { RemoveResourceDialog } from './RemoveResourceDialog';
import { ResourceRow } from './ResourceRow';
import { SelectionBar } from './SelectionBar';

/** The newest resource any download produced: when it changes, the list is read again. */
const newestResource = (s: { downloads: Record<string, { resourceId: number | null }> }) => {
  let newest = 0;
  for (const job of Object.values(s.downloads)) if (job.resourceId && job.resourceId > newest) newest = job.resourceId;
  return newest;
};

function LibraryFilters() {
  const query = useStore((s) => s.libraryQuery);
  const setQuery = useStore((s) => s.setLibraryQuery);
  return (
    <div className="filters">
      <label className="sort-select">
        <span className="visually-hidden">File type</span>
        <select value={query.contentType} onChange={(e) => setQuery({ contentType: e.target.value })}>
          {typeFilters.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="search">
        <Icon name="search" />
        <span className="visually-hidden">Search the library</span>
        <input
          type="search"
          placeholder="Search name or source"
          value={query.text}
          onChange={(e) => setQuery({ text: e.target.value })}
        />
      </label>
    </div>
  );
}

function EmptyLibrary() {
  const filtered = useStore((s) => s.libraryQuery.text.trim() !== '' || s.libraryQuery.contentType !== '');
  const setQuery = useStore((s) => s.setLibraryQuery);
  const setView = useStore((s) => s.setView);
  const openAdd = useStore((s) => s.openAdd);
  if (filtered) {
    return (
      <div className="empty muted" data-testid="library-no-match">
        <p>No file matches these filters.</p>
        <button type="button" className="secondary-button" onClick={() => setQuery({ text: '', contentType: '' })}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty empty-first card" data-testid="library-empty">
      <Icon name="folder" size={32} />
      <h2>No finished files yet</h2>
      <p className="muted">
        Every download that completes lands here, ready to open, find in its folder, or hand to a plugin. Drop links
        anywhere in this window or add them to start.
      </p>
      <button type="button" className="primary-button" onClick={() => (setView('downloads'), openAdd())}>
        Add downloads
      </button>
    </div>
  );
}

export function LibraryView() {
  const resources = useStore((s) => s.resources);
  const total = useStore((s) => s.libraryTotal);
  const loaded = useStore((s) => s.libraryLoaded);
  const error = useStore((s) => s.libraryError);
  const load = useStore((s) => s.loadLibrary);
  const loadMore = useStore((s) => s.loadMoreLibrary);
  const newest = useStore(newestResource);
  const actionCount = useStore((s) => s.resourceActionCount);
  const countActions = useStore((s) => s.countResourceActions);
  const [removing, setRemoving] = useState<Resource>();
  const [running, setRunning] = useState<{ resource: Resource; action: PluginAction }>();
  const chooseAction = useCallback((resource: Resource, action: PluginAction) => setRunning({ resource, action }), []);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [bulk, setBulk] = useState<{ resources: Resource[]; action: PluginAction }>();
  const toggle = useCallback((id: number) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);
  // Only files still listed count: a new search or a removal drops the others.
  const chosen = useMemo(() => resources.filter((r) => selected.has(r.id)), [resources, selected]);
  const allChosen = resources.length > 0 && chosen.length === resources.length;

  useEffect(() => void load(), [load, newest]);
  useEffect(() => void countActions(), [countActions]);

  return (
    <section className="view library-view" aria-labelledby="library-title">
      <div className="view-top">
        <div>
          <h1 id="library-title">Library</h1>
          <p className="lead">
            {loaded && total > 0 ? `${total} finished file${total === 1 ? '' : 's'}` : 'Finished downloads'}
          </p>
        </div>
        <LibraryFilters />
      </div>
      {error && (
        <p role="alert" className="error">
          Could not read the library: {error.message}
        </p>
      )}
      {!loaded && <p className="empty muted">Loading the library…</p>}
      {loaded && resources.length === 0 && !error && <EmptyLibrary />}
      {chosen.length > 0 && (
        <SelectionBar
          chosen={chosen}
          onAction={actionCount > 0 ? (action) => setBulk({ resources: chosen, action }) : undefined}
          onClear={() => setSelected(new Set())}
        />
      )}
      {resources.length > 0 && (
        <table className="library-table" aria-label="Library">
          <thead>
            <tr>
              <th scope="col" className="lib-check">
                <input
                  type="checkbox"
                  aria-label="Select every file shown"
                  checked={allChosen}
                  ref={(box) => {
                    if (box) box.indeterminate = chosen.length > 0 && !allChosen;
                  }}
                  onChange={() => setSelected(new Set(allChosen ? [] : resources.map((r) => r.id)))}
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {resources.map((resource) => (
              <ResourceRow
                key={resource.id}
                resource={resource}
                selected={selected.has(resource.id)}
                onToggle={toggle}
                onRemove={setRemoving}
                onAction={actionCount > 0 ? chooseAction : undefined}
              />
            ))}
          </tbody>
        </table>
      )}
      {resources.length < total && (
        <button type="button" className="secondary-button more-button" onClick={() => void loadMore()}>
          Show more ({total - resources.length} left)
        </button>
      )}
      {running && <ActionDialog {...running} onClose={() => setRunning(undefined)} />}
      {bulk && <BulkActionDialog {...bulk} onClose={() => setBulk(undefined)} />}
      {removing && <RemoveResourceDialog resource={removing} onClose={() => setRemoving(undefined)} />}
    </section>
  );
}
