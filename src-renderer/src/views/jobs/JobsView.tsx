import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isFinished } from '../../lib/job-display';
import type { State } from '../../store';
import { useStore } from '../../store/instance';
import { JobCard, type WorkJob } from './JobCard';
import { historyPageSize, useJobHistory } from './use-job-history';

let liveMemo: { a: unknown; t: unknown; jobs: WorkJob[]; key: string } | undefined;
/** Live tasks and plugin jobs, newest first; `key` names the finished ones, for the history to follow. */
function selectLive(s: State): { jobs: WorkJob[]; key: string } {
  if (liveMemo?.a === s.actions && liveMemo.t === s.tasks) return liveMemo;
  const all: WorkJob[] = [...Object.values(s.tasks), ...Object.values(s.actions)];
  all.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const jobs = all.filter((job) => !isFinished(job.status));
  const key = `${all.length}:${all
    .filter((job) => isFinished(job.status))
    .map((job) => `${job.id}.${job.status}`)
    .join(',')}`;
  liveMemo = { a: s.actions, t: s.tasks, jobs, key };
  return liveMemo;
}

/** Where this page is served, for the example; the desktop window has no HTTP origin. */
const origin = () => (window.location.protocol.startsWith('http') ? window.location.origin : 'http://127.0.0.1:PORT');

const sourceTabs = [
  { id: 'task', label: 'Tasks' },
  { id: 'plugin', label: 'Plugin jobs' },
] as const;

/**
 * Every job that is not a download: tasks that scripts and plugins create and drive, and
 * plugin action jobs. Live ones come from the event stream; finished ones from jobs.list.
 */
export function JobsView() {
  const live = useStore(useShallow((s) => selectLive(s).jobs));
  const liveKey = useStore((s) => selectLive(s).key);
  const synced = useStore((s) => s.synced);
  const [source, setSource] = useState<'task' | 'plugin'>('task');
  const [page, setPage] = useState(0);
  const history = useJobHistory(source, page, liveKey);
  const tasks = useStore((s) => s.tasks);
  const actions = useStore((s) => s.actions);
  // Until the next page arrives, a job the live list has again (retried, resumed) is shown
  // once, up there; one still in the live list shows its live record.
  const finished = history.jobs
    .map((job) => tasks[job.id] ?? actions[job.id] ?? job)
    .filter((job) => isFinished(job.status));
  const pages = Math.max(1, Math.ceil(history.total / historyPageSize));
  const first = page * historyPageSize + 1;

  return (
    <section className="view jobs-view" aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <p className="lead">Work that scripts and plugins report to Haul, live, with its controls.</p>

      <h2 className="jobs-section">Running and waiting</h2>
      {!synced ? (
        <p className="muted">Loading…</p>
      ) : live.length === 0 ? (
        <div className="jobs-empty" data-testid="jobs-empty">
          <p>No job is running. A script creates one with (the token is in Settings):</p>
          <code>{`curl ${origin()}/v1/jobs -H 'Authorization: Bearer TOKEN' --json '{"name":"Backup","start":true}'`}</code>
        </div>
      ) : (
        <ul className="job-cards" aria-label="Running and waiting jobs">
          {live.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </ul>
      )}

      <div className="tabs-row jobs-history-head">
        <h2 className="jobs-section">Finished</h2>
        <div className="tabs" role="tablist" aria-label="Finished jobs of">
          {sourceTabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={source === tab.id}
              className={source === tab.id ? 'tab active' : 'tab'}
              onClick={() => {
                setSource(tab.id);
                setPage(0);
              }}
            >
              {tab.label}
            </button>
          ))}
        </div>
      </div>
      {history.error && (
        <p role="alert" className="error">
          Could not load the finished jobs: {history.error.message}
        </p>
      )}
      {!history.error && !history.loading && history.total === 0 && <p className="muted">Nothing finished yet.</p>}
      {finished.length > 0 && (
        <ul className="job-cards" aria-label="Finished jobs">
          {finished.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </ul>
      )}
      {history.total > historyPageSize && (
        <nav className="jobs-pager" aria-label="Pages of finished jobs">
          <button type="button" className="text-button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span className="muted">
            {first}–{Math.min(first + historyPageSize - 1, history.total)} of {history.total}
          </span>
          <button type="button" className="text-button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
