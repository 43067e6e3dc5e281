import { useState } from 'react';
import type { ActionResult, ErrorShape, PluginAction, Resource } from '../../../../src-common/contract';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { ResultView } from '../../components/ResultView';
import { jobResultParts } from '../../lib/plugin-result';
import { isFinished, statusLabels } from '../../lib/job-display';
import { useStore } from '../../store/instance';
import { ActionForm } from './ActionForm';

interface Props {
  resource: Resource;
  action: PluginAction;
  onClose(): void;
}

/**
 * Runs one plugin action on one file: its params form, its confirm question, then its
 * result. An async action becomes a plugin job; the dialog follows it live, and closing
 * the dialog leaves it running in the job panel.
 */
export function ActionDialog({ resource, action, onClose }: Props) {
  const client = useStore((s) => s.client);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape>();
  const [result, setResult] = useState<ActionResult>();
  const [jobId, setJobId] = useState<string>();

  async function run(params: Record<string, unknown>) {
    setBusy(true);
    setError(undefined);
    const answer = await client.invoke('actions.run', {
      pluginName: action.pluginName,
      actionId: action.id,
      resourceId: resource.id,
      params,
    });
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    if (answer.value.kind === 'result') setResult(answer.value.result);
    else setJobId(answer.value.job.id);
  }

  const started = result !== undefined || jobId !== undefined;
  const jobRunning = useStore((s) => (jobId ? !isFinished(s.actions[jobId]?.status ?? 'pending') : false));
  return (
    <Modal title={action.label} onClose={onClose}>
      <p className="muted action-for">
        {action.pluginName} · on <strong title={resource.path}>{resource.name}</strong>
      </p>
      {action.description && <p>{action.description}</p>}
      {result && <ResultView {...result} />}
      {jobId && <JobProgress id={jobId} />}
      {!started && (
        <ActionForm action={action} busy={busy} error={error} onRun={(params) => void run(params)} onCancel={onClose} />
      )}
      {started && (
        <div className="dialog-buttons">
          <button type="button" className="primary-button" onClick={onClose} autoFocus>
            {jobRunning ? 'Close (it keeps running)' : 'Close'}
          </button>
        </div>
      )}
    </Modal>
  );
}

/** An async action's plugin job, live from the store, and its result when it ends. */
export function JobProgress({ id }: { id: string }) {
  const job = useStore((s) => s.actions[id]);
  if (!job) return <p className="muted">Queued as a plugin job…</p>;
  if (job.status === 'completed') return <ResultView success {...jobResultParts(job.result)} />;
  if (job.status === 'failed' || job.status === 'cancelled') {
    return <ResultView success={false} message={job.error?.message ?? statusLabels[job.status]} data={null} />;
  }
  return (
    <div className="action-job" data-testid="action-job">
      <ProgressBar value={job.progress} status={job.status} label={`${job.label} progress`} />
      <p className="muted">
        {statusLabels[job.status]}
        {job.message ? ` · ${job.message}` : ''} — also in the job panel.
      </p>
    </div>
  );
}
