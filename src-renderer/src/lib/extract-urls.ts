/**
 * Finds the http(s) URLs in whatever the user dropped or pasted: a text/uri-list, plain
 * text with URLs anywhere in it, or the contents of a .txt file. Order kept, duplicates
 * dropped, trailing punctuation of prose ("see https://x.org/a.zip.") trimmed.
 */
export function extractUrls(text: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'`]+/gi)) {
    const url = trimProse(match[0]);
    try {
      new URL(url);
    } catch {
      continue;
    }
    if (!seen.has(url)) {
      seen.add(url);
      found.push(url);
    }
  }
  return found;
}

/** text/uri-list: one URI a line, `#` lines are comments (RFC 2483). */
export function parseUriList(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return extractUrls(lines.join('\n'));
}

function trimProse(url: string): string {
  let out = url.replace(/[.,;:!?]+$/, '');
  // Drop a closing bracket only when it has no partner inside the URL (Wikipedia links keep theirs).
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (out.endsWith(close) && count(out, open) < count(out, close)) out = out.slice(0, -1);
  }
  return out.replace(/[.,;:!?]+$/, '');
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** What a drag carries that we can use; files are read later, on drop. */
export function dragHasUrls(types: readonly string[]): boolean {
  return types.includes('text/uri-list') || types.includes('text/plain') || types.includes('Files');
}

/** The URLs in a drop's data, text/uri-list first, then plain text, then .txt files. */
export async function urlsFromDataTransfer(data: DataTransfer): Promise<string[]> {
  const urls = [...parseUriList(data.getData('text/uri-list')), ...extractUrls(data.getData('text/plain'))];
  for (const file of Array.from(data.files)) {
    if (file.type === 'text/plain' || /\.(txt|list)$/i.test(file.name)) urls.push(...extractUrls(await file.text()));
  }
  return [...new Set(urls)];
}
