import { Fragment, useLayoutEffect, useRef, useState, type DragEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { urlsFromDataTransfer } from '../lib/extract-urls';
import type { Job } from '../../../src-common/contract';
import { isFinished } from '../lib/job-display';
import { useStore } from '../store/instance';
import type { State } from '../store';
import { Icon } from './Icon';
import { JobPanelItem } from './JobPanelItem';
import { capPanelIds, hiddenCounts, panelCounts, panelJobIds, panelSummaryParts } from './panel-jobs';
import { formatCount } from '../lib/format';

let memo: { d: unknown; a: unknown; t: unknown; x: unknown; ids: string[] } | undefined;
/** Recomputed only when a job record or the dismissed set changes. */
function selectPanelIds(s: State): string[] {
  if (memo && memo.d === s.downloads && memo.a === s.actions && memo.t === s.tasks && memo.x === s.dismissed) {
    return memo.ids;
  }
  const ids = panelJobIds([s.downloads, s.actions, s.tasks], s.dismissed, s.sessionStart, Date.now());
  memo = { d: s.downloads, a: s.actions, t: s.tasks, x: s.dismissed, ids };
  return ids;
}

/** A live job of any source. */
const liveJob = (s: State, id: string) => s.downloads[id] ?? s.actions[id] ?? s.tasks[id];

let shownMemo: { all: string[]; shown: string[] } | undefined;
/** The items listed: at most `panelLimit`, so a huge queue costs the panel nothing. */
function selectShownIds(s: State): string[] {
  const all = selectPanelIds(s);
  if (shownMemo?.all === all) return shownMemo.shown;
  const shown = capPanelIds(all, (id) => liveJob(s, id)?.status === 'paused');
  shownMemo = { all, shown };
  return shown;
}

let hiddenMemo: { all: string[]; hidden: { downloads: number; jobs: number } } | undefined;
/** The panel's jobs left out of the list, by the view that shows them: downloads, or plugin jobs and tasks. */
function selectHidden(s: State): { downloads: number; jobs: number } {
  const all = selectPanelIds(s);
  if (hiddenMemo?.all === all) return hiddenMemo.hidden;
  const hidden = hiddenCounts(all, selectShownIds(s), (id) => id in s.downloads);
  hiddenMemo = { all, hidden };
  return hidden;
}

/**
 * A selector over every job in the panel, computed again only when the panel's list or a
 * job record changed, not at every change of the store (a notice, a page of the table):
 * with ten thousand jobs each walk costs a frame's share.
 */
function overPanelJobs<R>(compute: (jobs: Job[]) => R): (s: State) => R {
  let last: { ids: string[]; d: unknown; a: unknown; t: unknown; value: R } | undefined;
  return (s) => {
    const ids = selectPanelIds(s);
    if (last?.ids === ids && last.d === s.downloads && last.a === s.actions && last.t === s.tasks) return last.value;
    const value = compute(ids.map((id) => liveJob(s, id)!));
    last = { ids, d: s.downloads, a: s.actions, t: s.tasks, value };
    return value;
  };
}

/** Is anything in the panel finished, so that "Clear finished" has something to clear? */
const selectAnyFinished = overPanelJobs((jobs) => jobs.some((job) => isFinished(job.status)));

const selectSummary = overPanelJobs(panelCounts);

/**
 * The live job panel, bottom-right (job-queue API). Fixed-positioned so it never moves the page;
 * a drop of links on it submits them at once, without the Add dialog.
 */
/**
 * Keeps `--panel-room` on the page at the room the panel takes above the window's bottom,
 * so the views leave that much below their last rows and none stays hidden under it.
 */
function useRoomBelow(collapsed: boolean) {
  const root = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const element = root.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const keep = () =>
      document.documentElement.style.setProperty(
        '--panel-room',
        `${Math.ceil(window.innerHeight - element.getBoundingClientRect().top) + 16}px`,
      );
    keep();
    const observer = new ResizeObserver(keep);
    observer.observe(element);
    return () => observer.disconnect();
  }, [collapsed]);
  return root;
}

export function JobPanel() {
  const ids = useStore(useShallow(selectShownIds));
  const more = useStore(useShallow(selectHidden));
  const setView = useStore((s) => s.setView);
  const summary = useStore(useShallow(selectSummary));
  const anyFinished = useStore(selectAnyFinished);
  const collapsed = useStore((s) => s.panelCollapsed);
  const setCollapsed = useStore((s) => s.setPanelCollapsed);
  const dismiss = useStore((s) => s.dismiss);
  const submit = useStore((s) => s.submit);
  const notify = useStore((s) => s.notify);
  const reportError = useStore((s) => s.reportError);
  const [dropping, setDropping] = useState(false);
  const root = useRoomBelow(collapsed);

  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  };
  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setDropping(false);
    window.dispatchEvent(new Event('haul:dragend'));
    const urls = await urlsFromDataTransfer(event.dataTransfer);
    if (urls.length === 0) return notify('error', 'Nothing to download: the drop held no http(s) links.');
    const answer = await submit({ url: urls.join('\n') });
    if (!answer.ok) return reportError('Could not add the dropped links', answer.error);
    const added = answer.value.jobs.length;
    notify('info', `Added ${formatCount(added)} download${added === 1 ? '' : 's'}.`);
  };
  const finishedIds = () => {
    const s = useStore.getState();
    return selectPanelIds(s).filter((id) => {
      const job = liveJob(s, id);
      return job !== undefined && isFinished(job.status);
    });
  };

  const dropProps = { onDragOver, onDragLeave: () => setDropping(false), onDrop: (e: DragEvent) => void onDrop(e) };
  const parts = panelSummaryParts(summary, ids.length > 0);
  const label = parts.join(' · ');

  if (collapsed) {
    return (
      <div
        className={`job-pill${dropping ? ' dropping' : ''}`}
        data-testid="job-panel"
        ref={root as RefObject<HTMLDivElement>}
        {...dropProps}
      >
        <button
          type="button"
          className="pill-button"
          aria-expanded="false"
          aria-label={`Jobs: ${label}. Show the job panel`}
          onClick={() => setCollapsed(false)}
        >
          <span
            className={`pill-ring${summary.active === 0 && summary.failed > 0 ? ' failed' : ''}`}
            style={{ ['--p' as string]: `${summary.active > 0 ? summary.percent : 100}` }}
            aria-hidden="true"
          />
          <span>{label}</span>
          <Icon name="chevronUp" size={14} />
        </button>
      </div>
    );
  }

  return (
    <section
      className={`job-panel${dropping ? ' dropping' : ''}`}
      aria-label="Jobs"
      data-testid="job-panel"
      ref={root}
      {...dropProps}
    >
      <header className="panel-header">
        <h2>Jobs</h2>
        <span className="muted panel-summary">
          {parts.map((part, i) => (
            <Fragment key={i}>
              {i > 0 && ' · '}
              <span>{part}</span>
            </Fragment>
          ))}
        </span>
        {anyFinished && (
          <button type="button" className="text-button" onClick={() => dismiss(finishedIds())}>
            Clear finished
          </button>
        )}
        <button
          type="button"
          className="icon-button"
          aria-expanded="true"
          aria-label="Collapse the job panel"
          onClick={() => setCollapsed(true)}
        >
          <Icon name="chevronDown" />
        </button>
      </header>
      {ids.length === 0 ? (
        <p className="panel-empty">
          {dropping ? 'Drop to download at once' : 'Nothing running. Drop links here to start them at once.'}
        </p>
      ) : (
        <ul className="panel-list">
          {ids.map((id) => (
            <JobPanelItem key={id} id={id} />
          ))}
        </ul>
      )}
      {more.downloads > 0 && (
        <button type="button" className="text-button panel-more" onClick={() => setView('downloads')}>
          {formatCount(more.downloads)} more in Downloads
        </button>
      )}
      {more.jobs > 0 && (
        <button type="button" className="text-button panel-more" onClick={() => setView('jobs')}>
          {formatCount(more.jobs)} more in Jobs
        </button>
      )}
      {dropping && ids.length > 0 && <div className="panel-drop-hint">Drop to download at once</div>}
    </section>
  );
}
