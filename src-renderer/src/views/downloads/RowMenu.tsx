import { useEffect, useRef } from 'react';
import { useStore } from '../../store/instance';
import {
  abilities,
  copySelectionUrls,
  moveSelection,
  openSelectionFile,
  runOnSelection,
  useSelectionAbilities,
} from './selection-actions';

/** The right-click menu of the selected rows. Escape or a click elsewhere closes it. */
export function RowMenu() {
  const at = useStore((s) => s.menuAt);
  const openMenu = useStore((s) => s.openMenu);
  const askRemove = useStore((s) => s.askRemove);
  const showDetails = useStore((s) => s.showDetails);
  const mask = useSelectionAbilities();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!at) return;
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && ref.current?.contains(event.target as Node)) return;
      openMenu(undefined);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    window.addEventListener('blur', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
      window.removeEventListener('blur', close);
    };
  }, [at, openMenu]);

  if (!at) return null;
  const item = (label: string, enabled: boolean, run: () => void) => (
    <button
      type="button"
      role="menuitem"
      disabled={!enabled}
      onClick={() => {
        openMenu(undefined);
        run();
      }}
    >
      {label}
    </button>
  );
  // Keep the menu on screen near the window's right and bottom edges.
  const left = Math.min(at.x, window.innerWidth - 220);
  const top = Math.min(at.y, window.innerHeight - 420);

  return (
    <div className="menu" role="menu" aria-label="Download actions" ref={ref} style={{ left, top }}>
      {item('Pause', (mask & abilities.pause) !== 0, () => runOnSelection('pause'))}
      {item('Resume', (mask & abilities.resume) !== 0, () => runOnSelection('resume'))}
      {item('Retry', (mask & abilities.retry) !== 0, () => runOnSelection('retry'))}
      {item('Cancel', (mask & abilities.cancel) !== 0, () => runOnSelection('cancel'))}
      <hr />
      {item('Open', (mask & abilities.file) !== 0, () => openSelectionFile('open'))}
      {item('Show in folder', (mask & abilities.file) !== 0, () => openSelectionFile('reveal'))}
      {item('Copy URL', (mask & abilities.any) !== 0, () => void copySelectionUrls())}
      {item('Details', (mask & abilities.any) !== 0, () => showDetails(useStore.getState().anchor))}
      <hr />
      {item('Move to top', (mask & abilities.move) !== 0, () => moveSelection('top'))}
      {item('Move up', (mask & abilities.move) !== 0, () => moveSelection('up'))}
      {item('Move down', (mask & abilities.move) !== 0, () => moveSelection('down'))}
      {item('Move to bottom', (mask & abilities.move) !== 0, () => moveSelection('bottom'))}
      <hr />
      {item('Remove…', (mask & abilities.any) !== 0, () => askRemove(useStore.getState().selection))}
    </div>
  );
}
