import { useEffect, useRef, useState } from 'react';
import type { CommandOutput, ErrorShape } from '../../../src-common/contract';
import { formatCount } from '../lib/format';
import { statusLabels } from '../lib/job-display';
import { useStore } from '../store/instance';

type Queues = CommandOutput<'jobs.queues'>['queues'];

/** The least time between two reads of the counts. */
const readGapMs = 1000;

const queueTitles = { download: 'Downloads', plugin: 'Plugin jobs', task: 'Tasks' } as const;

/**
 * Counts per status per queue (queues API). Read with jobs.queues, again whenever the job
 * records change, at most once a second: the counts include history the live list lacks.
 */
export function QueuesView() {
  const client = useStore((s) => s.client);
  const downloads = useStore((s) => s.downloads);
  const actions = useStore((s) => s.actions);
  const tasks = useStore((s) => s.tasks);
  const slots = useStore((s) => s.settings);
  const [queues, setQueues] = useState<Queues>();
  const [error, setError] = useState<ErrorShape>();
  // A read at most once a second however often the jobs change: waiting for a quiet
  // moment instead never read at all while downloads made progress.
  const reads = useRef({ timer: undefined as ReturnType<typeof setTimeout> | undefined, last: 0, sent: 0, shown: 0 });

  useEffect(() => {
    const at = reads.current;
    if (at.timer !== undefined) return; // the read already due will see this change
    at.timer = setTimeout(
      () => {
        at.timer = undefined;
        at.last = Date.now();
        const sent = ++at.sent;
        void client.invoke('jobs.queues', {}).then((answer) => {
          // An answer older than the one shown is dropped; a newer one is shown even if
          // another read has started since.
          if (sent < at.shown) return;
          at.shown = sent;
          if (answer.ok) {
            setQueues(answer.value.queues);
            setError(undefined);
          } else setError(answer.error);
        });
      },
      Math.max(0, at.last + readGapMs - Date.now()),
    );
  }, [client, downloads, actions, tasks]);
  useEffect(() => {
    const at = reads.current;
    at.shown = at.sent; // (again) mounted: the next answer is shown
    return () => {
      clearTimeout(at.timer);
      at.timer = undefined;
      at.shown = Number.POSITIVE_INFINITY; // unmounted: no answer is shown
    };
  }, []);

  return (
    <section className="view" aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      <p className="lead">Every job Haul knows of, by queue and status.</p>
      {error && (
        <p role="alert" className="error">
          Could not load the queues: {error.message}
        </p>
      )}
      {!queues && !error && <p className="muted">Loading…</p>}
      <div className="queue-cards">
        {queues?.map((queue) => {
          const entries = Object.entries(queue.counts);
          const total = entries.reduce((sum, [, n]) => sum + n, 0);
          // Tasks run in their creators, not in Haul's slots.
          const limit =
            queue.name === 'download'
              ? slots?.maxConcurrentDownloads
              : queue.name === 'plugin'
                ? slots?.maxConcurrentPluginJobs
                : undefined;
          return (
            <div key={queue.name} className="card queue-card" data-testid={`queue-${queue.name}`}>
              <h2>{queueTitles[queue.name]}</h2>
              <p className="muted">
                {formatCount(total)} job{total === 1 ? '' : 's'}
                {limit ? ` · ${limit} at once` : ''}
              </p>
              <dl className="counts">
                {entries.map(([status, count]) => (
                  <div key={status} className={`count-cell${count === 0 ? ' zero' : ''}`}>
                    <dt>{statusLabels[status as keyof typeof statusLabels] ?? status}</dt>
                    <dd>{formatCount(count)}</dd>
                  </div>
                ))}
              </dl>
            </div>
          );
        })}
      </div>
    </section>
  );
}
