import { useEffect, useState } from 'react';
import type { CommandOutput, ErrorShape } from '../../../src-common/contract';
import { statusLabels } from '../lib/job-display';
import { useStore } from '../store/instance';

type Queues = CommandOutput<'jobs.queues'>['queues'];

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

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void client.invoke('jobs.queues', {}).then((answer) => {
        if (!current) return;
        if (answer.ok) {
          setQueues(answer.value.queues);
          setError(undefined);
        } else setError(answer.error);
      });
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, downloads, actions, tasks]);

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
                {total} job{total === 1 ? '' : 's'}
                {limit ? ` · ${limit} at once` : ''}
              </p>
              <dl className="counts">
                {entries.map(([status, count]) => (
                  <div key={status} className={`count-cell${count === 0 ? ' zero' : ''}`}>
                    <dt>{statusLabels[status as keyof typeof statusLabels] ?? status}</dt>
                    <dd>{count}</dd>
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
