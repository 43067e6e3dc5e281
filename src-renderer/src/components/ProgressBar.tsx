import type { JobStatus } from '../../../src-common/contract';

interface Props {
  value: number;
  status: JobStatus;
  label: string;
  /** Unknown total: an animated stripe instead of a fill. */
  indeterminate?: boolean;
}

/** A progress bar screen readers can read; its colour follows the job's status. */
export function ProgressBar({ value, status, label, indeterminate }: Props) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div
      className={`progress progress-${status}${indeterminate ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={indeterminate ? undefined : Math.round(clamped)}
    >
      <div className="progress-fill" style={{ width: indeterminate ? undefined : `${clamped}%` }} />
    </div>
  );
}
