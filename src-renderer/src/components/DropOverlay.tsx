import { Icon } from './Icon';

/** Shown while links are dragged over the window; it lets every event through. */
export function DropOverlay({ visible }: { visible: boolean }) {
  return (
    <div className={`drop-overlay${visible ? ' visible' : ''}`} aria-hidden={!visible} data-testid="drop-overlay">
      <div className="drop-card">
        <Icon name="download" size={36} />
        <strong>Drop links to download</strong>
        <span>Links, text with links or a .txt list. Drop on the job panel to start at once.</span>
      </div>
    </div>
  );
}
