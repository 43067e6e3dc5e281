import { useState } from 'react';
import { useStore } from '../store/instance';
import { Icon } from './Icon';

/**
 * Notices the core gave at start (a damaged database moved aside, ...). Each one is shown
 * until the user closes it, then never again in this browser or window: the core repeats
 * them for as long as it runs, and a reload must not bring them back.
 */
const seenKey = 'haul.seenNotices';

function readSeen(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(seenKey) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function StartupNotices() {
  const notices = useStore((s) => s.info?.notices);
  const [seen, setSeen] = useState(readSeen);
  const unseen = (notices ?? []).filter((notice) => !seen.includes(notice));
  if (unseen.length === 0) return null;

  const close = (notice: string) => {
    // Only today's notices are kept, so the list cannot grow without end.
    const next = [...seen.filter((s) => notices?.includes(s)), notice];
    localStorage.setItem(seenKey, JSON.stringify(next));
    setSeen(next);
  };

  return (
    <div className="startup-notices">
      {unseen.map((notice) => (
        <div key={notice} className="startup-notice" role="alert">
          <Icon name="info" size={20} />
          <p>
            <strong>Please note. </strong>
            {notice}
          </p>
          <button type="button" className="secondary-button" onClick={() => close(notice)}>
            Got it
          </button>
        </div>
      ))}
    </div>
  );
}
