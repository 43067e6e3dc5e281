import { useEffect, useState } from 'react';
import type { ErrorShape, PluginNotification } from '../../../../src-common/contract';
import { formatDateTime } from '../../lib/format';
import { useStore } from '../../store/instance';

/** How many notes the list shows. The core keeps only recent ones, in memory. */
const shownNotes = 8;
/** Notes have no event stream: the list is read again this often while the view is open. */
const pollMs = 5000;

const levels: Record<PluginNotification['level'], { text: string; badge: string }> = {
  info: { text: 'Info', badge: 'badge-running' },
  success: { text: 'Done', badge: 'badge-completed' },
  warning: { text: 'Warning', badge: 'badge-paused' },
  error: { text: 'Error', badge: 'badge-failed' },
};

/** What plugins said with haul.notify, newest first. Gone after a restart of Haul. */
export function PluginNotifications() {
  const client = useStore((s) => s.client);
  const [notes, setNotes] = useState<PluginNotification[]>();
  const [error, setError] = useState<ErrorShape>();

  useEffect(() => {
    let current = true;
    const read = async () => {
      const answer = await client.invoke('plugins.notifications', { limit: shownNotes });
      if (!current) return;
      if (answer.ok) {
        setNotes(answer.value.notifications);
        setError(undefined);
      } else setError(answer.error);
    };
    void read();
    const timer = setInterval(() => void read(), pollMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client]);

  return (
    <section className="card plugin-notes" aria-labelledby="plugin-notes-title">
      <h2 id="plugin-notes-title">Recent notifications</h2>
      {error && (
        <p role="alert" className="error">
          Could not read them: {error.message}
        </p>
      )}
      {notes?.length === 0 && (
        <p className="muted">Nothing yet. Plugins with the Notifications permission post here.</p>
      )}
      {notes && notes.length > 0 && (
        <ul className="note-list">
          {notes.map((note) => (
            <li key={note.id} className="note">
              <span className={`badge ${levels[note.level].badge}`}>{levels[note.level].text}</span>
              <span className="note-text">
                <strong>{note.title}</strong>
                {note.body && <span className="note-body">{note.body}</span>}
                <span className="muted note-meta">
                  {note.pluginName} · {formatDateTime(note.at)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
