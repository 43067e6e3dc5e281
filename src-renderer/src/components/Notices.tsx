import { useStore } from '../store/instance';
import { Icon } from './Icon';

/** Errors from the API and short confirmations, top-right, away from the job panel. */
export function Notices() {
  const notices = useStore((s) => s.notices);
  const close = useStore((s) => s.closeNotice);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          <span>
            {notice.message}
            {notice.count > 1 && <span className="notice-count"> ×{notice.count}</span>}
          </span>
          <button type="button" className="icon-button" aria-label="Close message" onClick={() => close(notice.id)}>
            <Icon name="cancel" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
