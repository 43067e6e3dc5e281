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
      {/* A new element when the total becomes known: the stripe's width must not shrink to
          the first value through the width's transition, which showed a download at 0% as
          a fifth done for the transition's 0.4 s. */}
      <div
        key={indeterminate ? 'stripe' : 'fill'}
        className="progress-fill"
        style={{ width: indeterminate ? undefined : `${clamped}%` }}
      />
    </div>
  );
}
