/**
 * What a download is called on screen, without the schemas: the browser extension shows
 * the same names as the UI and ships none of the rest.
 */

// Control characters and the bidi controls that can make `exe.txt` read as `txt.exe`.
// eslint-disable-next-line no-control-regex
export const unsafeNameChars = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Characters a file name never keeps: C0/C1 controls, bidi overrides and isolates,
 * zero-width characters and the BOM. They hide the real extension ("evil\u202Egpj.exe"),
 * shield a leading dot ("\u200b.bashrc") or are invalid on Windows.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
export const invisibleNameChars = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** Every such character: made once, since each construction compiles the pattern again. */
const everyUnsafeNameChar = new RegExp(unsafeNameChars.source, 'gu');

/** `name` without control and text-direction characters: safe to show as a file name. */
export function visibleName(name: string): string {
  return unsafeNameChars.test(name) ? name.replace(everyUnsafeNameChar, '') : name;
}

/** What a user calls a download: its file name, else the last part of its URL. */
export function downloadName(job: { fileName?: string | null; url: string; finalUrl?: string | null }): string {
  // Hidden characters (a bidi override in a URL) never reach the screen, even before the
  // engine has named the file.
  if (job.fileName) return visibleName(job.fileName);
  try {
    const url = new URL(job.finalUrl ?? job.url);
    const last = url.pathname.split('/').filter(Boolean).pop();
    return last ? visibleName(decodeURIComponent(last)) || url.hostname : url.hostname;
  } catch {
    return job.url;
  }
}
