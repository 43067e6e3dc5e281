import { useEffect, useRef, useState } from 'react';
import type { ErrorShape, Job } from '../../../src-common/contract';
import { formatBytes, formatDateTime, formatEta, formatSpeed } from '../lib/format';
import { jobTitle, statusLabels } from '../lib/job-display';
import { metadataLines } from '../lib/metadata-lines';
import { useStore } from '../store/instance';
import { Icon } from './Icon';
import { FileActions } from './FileActions';
import { JobActions } from './JobActions';
import { ProgressBar } from './ProgressBar';
import { TrustCertificate } from './TrustCertificate';

/** Every field of one job, its error, timeline and log. The log is read with jobs.get. */
export function DetailsDrawer() {
  const id = useStore((s) => s.detailsId);
  if (!id) return null;
  return <Drawer key={id} id={id} />;
}

function Drawer({ id }: { id: string }) {
  const live = useStore((s) => s.downloads[id] ?? s.actions[id] ?? s.tasks[id] ?? s.tableRows[id]);
  const client = useStore((s) => s.client);
  const close = useStore((s) => s.showDetails);
  const [fetched, setFetched] = useState<{ job: Job; log: string[] }>();
  const [error, setError] = useState<ErrorShape>();
  const closeRef = useRef<HTMLButtonElement>(null);
  const updatedAt = live?.updatedAt;

  useEffect(() => closeRef.current?.focus(), []);
  useEffect(() => {
    let current = true;
    void client.invoke('jobs.get', { id }).then((answer) => {
      if (!current) return;
      if (answer.ok) {
        setFetched(answer.value);
        setError(undefined);
      } else setError(answer.error);
    });
    return () => {
      current = false;
    };
  }, [client, id, updatedAt]);

  const job = live ?? fetched?.job;
  const name = job ? jobTitle(job) : id;
  const rows: [string, string][] = [];
  if (job) {
    rows.push(['Id', job.id], ['Status', statusLabels[job.status]], ['Message', job.message || '—']);
    if (job.source === 'download') {
      rows.push(
        ['URL', job.url],
        ['Final URL', job.finalUrl ?? '—'],
        ['File name', job.fileName ?? '—'],
        ['Folder', job.dir],
        ['Size', `${formatBytes(job.receivedBytes)} of ${formatBytes(job.totalBytes)}`],
        ['Speed', formatSpeed(job.speed)],
        ['Time left', formatEta(job.eta)],
        ['Connections', String(job.connections)],
        ['Priority', String(job.priority)],
        ['Options', Object.keys(job.options).length ? JSON.stringify(job.options) : '—'],
      );
    } else if (job.source === 'plugin') {
      rows.push(
        ['Plugin', job.pluginName],
        ['Action', job.actionId],
        ['Target', `${job.entityType} ${job.entityId ?? ''}`],
      );
      for (const line of metadataLines(job.metadata).lines) rows.push([line.key, line.full ?? line.value]);
    } else {
      rows.push(['Description', job.description || '—'], ['Type', job.type], ['Created by', job.creator]);
      for (const line of metadataLines(job.metadata).lines) rows.push([line.key, line.full ?? line.value]);
    }
    rows.push(
      ['Attempts', `${job.attempts} of ${job.maxAttempts}`],
      ['Added', formatDateTime(job.createdAt)],
      ['Started', formatDateTime(job.startedAt)],
      ['Finished', formatDateTime(job.finishedAt)],
      ['Last change', formatDateTime(job.updatedAt)],
    );
    if (job.result) rows.push(['Result', JSON.stringify(job.result)]);
    if (job.idempotencyKey) rows.push(['Idempotency key', job.idempotencyKey]);
  }

  return (
    <aside
      className="drawer"
      aria-label={`Details of ${name}`}
      onKeyDown={(e) => e.key === 'Escape' && close(undefined)}
    >
      <header className="drawer-head">
        <h2 title={name}>{name}</h2>
        <button
          ref={closeRef}
          type="button"
          className="icon-button"
          aria-label="Close details"
          onClick={() => close(undefined)}
        >
          <Icon name="cancel" />
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          Could not load the details: {error.message}
        </p>
      )}
      {job && (
        <>
          <div className="drawer-progress">
            <ProgressBar
              value={job.status === 'completed' ? 100 : job.progress}
              status={job.status}
              label={`${name} progress`}
            />
            <div className="drawer-actions">
              <JobActions job={job} name={name} />
              <FileActions job={job} name={name} />
            </div>
          </div>
          {job.error && (
            <div className="error-box" role="note">
              <strong>{job.error.kind}</strong>
              {job.error.status ? ` (HTTP ${job.error.status})` : ''}: {job.error.message}
            </div>
          )}
          {job.source === 'download' && job.status === 'failed' && job.error?.certificate && (
            <TrustCertificate jobId={job.id} certificate={job.error.certificate} />
          )}
          <dl className="facts compact">
            {rows.map(([label, value], index) => (
              // A task's metadata keys may repeat a field's label: the place keeps keys unique.
              <div key={`${index}:${label}`} className="fact">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <h3>Log</h3>
          <pre className="log" data-testid="job-log">
            {fetched?.log.length ? fetched.log.join('\n') : 'Nothing logged yet.'}
          </pre>
        </>
      )}
    </aside>
  );
}
