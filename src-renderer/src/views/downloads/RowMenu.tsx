import { useEffect, useLayoutEffect, useRef } from 'react';
import { useCanOpenFiles } from '../../components/FileActions';
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
  const canOpen = useCanOpenFiles();
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

  // Kept on screen near the window's edges, by its own size, before it is painted.
  useLayoutEffect(() => {
    const menu = ref.current;
    if (!at || !menu) return;
    const margin = 4;
    menu.style.left = `${Math.max(margin, Math.min(at.x, window.innerWidth - menu.offsetWidth - margin))}px`;
    menu.style.top = `${Math.max(margin, Math.min(at.y, window.innerHeight - menu.offsetHeight - margin))}px`;
  }, [at]);

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
  return (
    <div className="menu" role="menu" aria-label="Download actions" ref={ref} style={{ left: at.x, top: at.y }}>
      {item('Pause', (mask & abilities.pause) !== 0, () => runOnSelection('pause'))}
      {item('Resume', (mask & abilities.resume) !== 0, () => runOnSelection('resume'))}
      {item('Retry', (mask & abilities.retry) !== 0, () => runOnSelection('retry'))}
      {item('Cancel', (mask & abilities.cancel) !== 0, () => runOnSelection('cancel'))}
      <hr />
      {item('Open', canOpen && (mask & abilities.file) !== 0, () => openSelectionFile('open'))}
      {item('Show in folder', canOpen && (mask & abilities.file) !== 0, () => openSelectionFile('reveal'))}
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
