import { useState } from 'react';
import type { PluginAction, Resource } from '../../../../src-common/contract';
import { Modal } from '../../components/Modal';
import { summarize, type FileRun } from '../../lib/bulk-actions';
import { jobResultParts } from '../../lib/plugin-result';
import { statusLabels } from '../../lib/job-display';
import { useStore } from '../../store/instance';
import { ActionForm } from './ActionForm';

interface Props {
  resources: readonly Resource[];
  action: PluginAction;
  onClose(): void;
}

/**
 * Runs one plugin action on several files: one form, then one actions.run per file, one
 * after another (a plugin's work is not ours to flood), each file's outcome on its line.
 */
export function BulkActionDialog({ resources, action, onClose }: Props) {
  const client = useStore((s) => s.client);
  const [runs, setRuns] = useState<FileRun[]>();
  const count = resources.length;
  const files = `${count} file${count === 1 ? '' : 's'}`;

  async function runAll(params: Record<string, unknown>) {
    const next: FileRun[] = resources.map(() => ({ state: 'waiting' }));
    const show = (i: number, run: FileRun) => {
      next[i] = run;
      setRuns([...next]);
    };
    for (const [i, resource] of resources.entries()) {
      show(i, { state: 'running' });
      const answer = await client.invoke('actions.run', {
        pluginName: action.pluginName,
        actionId: action.id,
        resourceId: resource.id,
        params,
      });
      if (!answer.ok) show(i, { state: 'refused', message: answer.error.message });
      else if (answer.value.kind === 'job') show(i, { state: 'job', jobId: answer.value.job.id });
      else show(i, { state: 'done', ...answer.value.result });
    }
  }

  const actions = useStore((s) => s.actions);
  const { finished, failed } = summarize(runs ?? [], (id) => actions[id]?.status);
  const running = runs !== undefined && finished < count;
  return (
    <Modal title={action.label} onClose={onClose}>
      <p className="muted action-for">
        {action.pluginName} · on <strong>{files}</strong>
      </p>
      {action.description && <p>{action.description}</p>}
      {!runs && (
        <ActionForm
          action={action}
          busy={false}
          error={undefined}
          runLabel={`Run on ${files}`}
          onRun={(params) => void runAll(params)}
          onCancel={onClose}
        />
      )}
      {runs && (
        <>
          <p role="status" className="bulk-summary" data-testid="bulk-summary">
            {running ? `Running: ${finished} of ${count} done` : `Done: ${count - failed} of ${count} succeeded`}
            {failed > 0 ? `, ${failed} failed` : ''}.
          </p>
          <ul className="bulk-results" aria-label="Results per file">
            {resources.map((resource, i) => (
              <li key={resource.id} className="bulk-result">
                <span className="bulk-file" title={resource.path}>
                  {resource.name}
                </span>
                <RunLine run={runs[i]!} />
              </li>
            ))}
          </ul>
          <div className="dialog-buttons">
            <button type="button" className="primary-button" onClick={onClose} autoFocus>
              {running ? 'Close (the rest keep running)' : 'Close'}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}

/** One file's outcome; an async action's job is followed live from the store. */
function RunLine({ run }: { run: FileRun }) {
  const job = useStore((s) => (run.state === 'job' ? s.actions[run.jobId] : undefined));
  if (run.state === 'waiting') return <span className="muted">Waiting</span>;
  if (run.state === 'running') return <span className="muted">Running…</span>;
  if (run.state === 'refused') return <span className="error">Not run: {run.message}</span>;
  if (run.state === 'done') {
    return (
      <span
        className={run.success ? 'ok' : 'error'}
      >{`${run.success ? 'Done' : 'Failed'}${run.message ? `: ${run.message}` : ''}`}</span>
    );
  }
  if (!job) return <span className="muted">Queued as a plugin job</span>;
  if (job.status === 'completed') {
    const { message } = jobResultParts(job.result);
    return <span className="ok">Done{message ? `: ${message}` : ''}</span>;
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    return <span className="error">{job.error?.message ?? statusLabels[job.status]}</span>;
  }
  return (
    <span className="muted">
      {statusLabels[job.status]} · {Math.floor(job.progress)}%
    </span>
  );
}
