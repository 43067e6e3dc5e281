import type { FileKind } from '../lib/job-display';

/** Stroke icons on a 24-unit grid; drawn here so the UI needs no icon font or network. */
const paths = {
  pause: 'M9 5v14M15 5v14',
  play: 'M7 4.5v15l12-7.5z',
  retry: 'M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4',
  cancel: 'M6 6l12 12M18 6L6 18',
  dismiss: 'M6 12h12',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  plus: 'M12 5v14M5 12h14',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  top: 'M5 4h14M12 20V8M7 13l5-5 5 5',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M6 13l6 6 6-6',
  bottom: 'M5 20h14M12 4v12M7 11l5 5 5-5',
  info: 'M12 8h.01M11 12h1v5h1M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z',
  chevronDown: 'M6 9l6 6 6-6',
  chevronUp: 'M6 15l6-6 6 6',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4',
  folder: 'M3 6h6l2 2h10v11H3z',
  puzzle: 'M8 4h4v3a2 2 0 1 0 4 0V4h4v6h-3a2 2 0 1 0 0 4h3v6H8v-3a2 2 0 1 0-4 0v3',
  queue: 'M4 6h16M4 12h16M4 18h10',
  gear: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .5-1.5-1.5.5-2-3-1-1 2h-2l-1-2-3 1 .5 2L6 8.5 4 8l-1 3 2 1v0l-2 1 1 3 2-.5 1.5 1.5-.5 2 3 1 1-2h2l1 2 3-1-.5-2 1.5-1.5 2 .5 1-3z',
  about: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v6M12 7.5v.01',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  archive: 'M6 3h12v18H6zM11 3v2h2v2h-2v2h2v2h-2',
  video: 'M4 6h12v12H4zM16 10l4-2v8l-4-2',
  audio: 'M9 18V6l10-2v12M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM19 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9h.01',
  document: 'M6 3h8l4 4v14H6zM9 12h6M9 16h6',
  code: 'M9 8l-4 4 4 4M15 8l4 4-4 4',
  disk: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  plugin: 'M13 3L5 14h6l-1 7 8-11h-6z',
  open: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  run: 'M5 12h11M12 6l6 6-6 6',
  task: 'M10 6h10M10 12h10M10 18h10M4 6l1.5 1.5L8 5M4 12l1.5 1.5L8 11M4 18h.01',
  suspend: 'M12 3v8M6.3 6.3a8 8 0 1 0 11.4 0',
} as const;

export type IconName = keyof typeof paths | FileKind;

export function Icon({ name, size = 16, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path d={paths[name]} />
    </svg>
  );
}
