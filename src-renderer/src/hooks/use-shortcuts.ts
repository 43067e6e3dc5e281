import { useEffect } from 'react';
import { extractUrls } from '../lib/extract-urls';
import { useStore } from '../store/instance';

/** Typing in a field, or a dialog open: the keys belong to that, not to the list. */
function busyTarget(target: EventTarget | null): boolean {
  if (document.querySelector('dialog[open]')) return true;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(target.tagName);
}

/**
 * Window-wide keys: Ctrl/Cmd+V adds the clipboard's links, Ctrl/Cmd+A selects every
 * visible download, Delete asks to remove, Space pauses or resumes, Escape deselects.
 * Paste is read from the paste event, which needs no clipboard permission.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (busyTarget(event.target)) return;
      const state = useStore.getState();
      if (state.view !== 'downloads') return;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.key.toLowerCase() === 'a') {
        event.preventDefault();
        void state.allRowIds().then((ids) => state.select(ids));
      } else if (event.key === 'Delete' && state.selection.length > 0) {
        event.preventDefault();
        state.askRemove(state.selection);
      } else if (event.key === ' ' && state.selection.length > 0) {
        event.preventDefault();
        void state.togglePause(state.selection);
      } else if (event.key === 'Escape' && !state.menuAt) {
        state.select([]);
      }
    };
    const onPaste = (event: ClipboardEvent) => {
      if (busyTarget(event.target)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const urls = extractUrls(text);
      event.preventDefault();
      const { openAdd, notify } = useStore.getState();
      if (urls.length > 0) openAdd(urls.join('\n'));
      else notify('error', 'The clipboard holds no http(s) links to add.');
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, []);
}
