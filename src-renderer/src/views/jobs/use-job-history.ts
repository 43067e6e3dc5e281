import { useEffect, useState } from 'react';
import { finishedStatuses, type ErrorShape } from '../../../../src-common/contract';
import { useStore } from '../../store/instance';
import type { WorkJob } from './JobCard';

export const historyPageSize = 20;

export interface JobHistory {
  jobs: WorkJob[];
  total: number;
  error: ErrorShape | undefined;
  loading: boolean;
}

/**
 * Finished jobs of one source, newest first, one page at a time (jobs.list). Read again
 * whenever a live job of that source finishes or leaves the live list (`liveKey` changes).
 */
export function useJobHistory(source: 'task' | 'plugin', page: number, liveKey: string): JobHistory {
  const client = useStore((s) => s.client);
  const [state, setState] = useState<JobHistory>({ jobs: [], total: 0, error: undefined, loading: true });

  useEffect(() => {
    let current = true;
    // A burst of finishing jobs reads once.
    const timer = setTimeout(() => {
      void client
        .invoke('jobs.list', {
          source,
          status: finishedStatuses.join(','),
          order: '-createdAt',
          limit: historyPageSize,
          offset: page * historyPageSize,
        })
        .then((answer) => {
          if (!current) return;
          if (!answer.ok) return setState((s) => ({ ...s, error: answer.error, loading: false }));
          const jobs = answer.value.jobs.filter((job): job is WorkJob => job.source === source);
          setState({ jobs, total: answer.value.total, error: undefined, loading: false });
        });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, source, page, liveKey]);

  return state;
}
