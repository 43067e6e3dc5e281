/** Downloads the browser starts: held, handed to Haul, and dropped from the browser once Haul has them. */
import { ext } from './browser-api';
import { report } from './badge';
import { HaulError, submit } from './haul-api';
import { baseName, submitInput } from './hand-over';
import { loadOptions } from './options-store';
import { decide, type Candidate } from './rules';

/** URLs the browser keeps: Alt-clicked links. Entries expire, so a stale one never lingers. */
const keepInBrowser = new Map<string, number>();
const keepForMs = 30_000;

export function letBrowserKeep(url: string): void {
  const now = Date.now();
  for (const [key, until] of keepInBrowser) if (until < now) keepInBrowser.delete(key);
  keepInBrowser.set(url, now + keepForMs);
}

function takeKept(...urls: (string | undefined)[]): boolean {
  const now = Date.now();
  for (const url of urls) {
    const until = url === undefined ? undefined : keepInBrowser.get(url);
    if (until !== undefined && until >= now) {
      keepInBrowser.delete(url!);
      return true;
    }
  }
  return false;
}

/** Drops the browser's copy: cancelled if still running, its file removed if it already finished. */
async function dropBrowserCopy(id: number): Promise<void> {
  const [item] = await ext.downloads.search({ id });
  if (item?.state === 'complete') await ext.downloads.removeFile(id).catch(() => undefined);
  else await ext.downloads.cancel(id).catch(() => undefined);
  await ext.downloads.erase({ id });
}

export async function onDownloadCreated(item: chrome.downloads.DownloadItem): Promise<void> {
  // Our own fallback downloads (Haul refused a context-menu link) stay in the browser.
  if (item.byExtensionId && item.byExtensionId === ext.runtime.id) return;
  if (takeKept(item.url, item.finalUrl)) return report('kept', 'Alt-click: the browser downloads this one.');
  const options = await loadOptions();
  const candidate: Candidate = {
    url: item.url,
    finalUrl: item.finalUrl,
    fileName: baseName(item.filename),
    referrer: item.referrer,
    totalBytes: item.totalBytes > 0 ? item.totalBytes : item.fileSize,
  };
  const verdict = decide(candidate, options);
  if (!verdict.capture) return report('kept', `The browser downloads this one: ${verdict.reason}.`);
  // Held while Haul answers; resumed if Haul cannot take it, so nothing is lost.
  await ext.downloads.pause(item.id).catch(() => undefined);
  // An Alt-click's message can trail the download by a moment: look again after the pause.
  if (takeKept(item.url, item.finalUrl)) {
    await ext.downloads.resume(item.id).catch(() => undefined);
    return report('kept', 'Alt-click: the browser downloads this one.');
  }
  try {
    const input = await submitInput(
      {
        url: item.finalUrl || item.url,
        referrer: item.referrer,
        via: item.finalUrl && item.finalUrl !== item.url ? [item.url] : [],
        fileName: candidate.fileName,
      },
      options,
    );
    const jobs = await submit(options, input);
    await dropBrowserCopy(item.id);
    await report('handed', `Haul is downloading ${jobs[0]?.fileName ?? jobs[0]?.url ?? item.url}.`);
  } catch (error) {
    // Clicked again while Haul still fetches it: one copy is enough.
    if (error instanceof HaulError && error.kind === 'conflict') {
      await dropBrowserCopy(item.id);
      return report('handed', 'Haul is already downloading this one.');
    }
    await ext.downloads.resume(item.id).catch(() => undefined);
    const refusal = error instanceof HaulError ? error.refusal : 'refused';
    await report(
      refusal,
      `${error instanceof Error ? error.message : String(error)} The browser is downloading it instead.`,
    );
  }
}
