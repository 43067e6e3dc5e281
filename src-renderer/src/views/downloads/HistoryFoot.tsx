import { useEffect } from 'react';
import { useStore } from '../../store/instance';

/** History is read this many rows before the table's end, so scrolling rarely waits. */
export const historyPrefetchRows = 60;

/**
 * Reads the next page of history while `wanted` (the table is near its end, or shows
 * nothing yet). Each page changes the offset, which asks again while still wanted; a
 * failed page waits for the Retry button rather than asking in a loop.
 */
export function useHistoryPaging(wanted: boolean): void {
  const offset = useStore((s) => s.historyOffset);
  const failed = useStore((s) => s.historyError !== undefined);
  useEffect(() => {
    if (wanted && !failed) void useStore.getState().loadMoreHistory();
  }, [wanted, offset, failed]);
}

/** Under the last row: older downloads on their way, or why they could not be read. */
export function HistoryFoot() {
  const loading = useStore((s) => s.historyLoading);
  const error = useStore((s) => s.historyError);
  const load = useStore((s) => s.loadMoreHistory);
  if (error) {
    return (
      <p className="table-foot error" role="alert">
        Could not read older downloads: {error.message}{' '}
        <button type="button" className="text-button" onClick={() => void load()}>
          Retry
        </button>
      </p>
    );
  }
  return (
    <p className="table-foot muted" role="status">
      {loading ? 'Loading older downloads…' : ''}
    </p>
  );
}
