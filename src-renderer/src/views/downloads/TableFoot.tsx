import { useStore } from '../../store/instance';

/** Under the last row: why the downloads could not be read, with a way to try again. */
export function TableFoot() {
  const error = useStore((s) => s.tableError);
  const refresh = useStore((s) => s.refreshTable);
  if (!error) return null;
  return (
    <p className="table-foot error" role="alert">
      Could not read the downloads: {error.message}{' '}
      <button type="button" className="text-button" onClick={() => refresh('now')}>
        Retry
      </button>
    </p>
  );
}
