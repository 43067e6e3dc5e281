// Runs in pages. It reads nothing: it only tells the extension that the user Alt-clicked a
// link, so the browser downloads that one itself. Self-contained (content scripts are not modules).

/** Firefox's promise-based API, else Chromium's. */
const api: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

function linkOf(target: EventTarget | null): string | undefined {
  const element = target instanceof Element ? target.closest('a[href], area[href]') : null;
  const href = (element as HTMLAnchorElement | HTMLAreaElement | null)?.href;
  return href && /^https?:/i.test(href) ? href : undefined;
}

function onPointer(event: MouseEvent): void {
  // A page's script can send an Alt-press too: only the user's own counts.
  if (!event.isTrusted || !event.altKey || event.button !== 0) return;
  const url = linkOf(event.target);
  // Sent on mousedown already, so the note is there before the download starts.
  if (url) void api.runtime.sendMessage({ type: 'keep-in-browser', url }).catch(() => undefined);
}

document.addEventListener('mousedown', onPointer, true);
document.addEventListener('click', onPointer, true);
