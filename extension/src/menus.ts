/** The "Download with Haul" context menu on links, images, media and selected text. */
import { ext } from './browser-api';
import { report } from './badge';
import { HaulError, submit } from './haul-api';
import { submitInput } from './hand-over';
import { loadOptions } from './options-store';
import { urlsInText } from './rules';

export const menuId = 'haul-download';

export function createMenus(): void {
  void ext.contextMenus.removeAll().then(() =>
    ext.contextMenus.create({
      id: menuId,
      title: 'Download with Haul',
      contexts: ['link', 'image', 'video', 'audio', 'selection'],
    }),
  );
}

/** The URLs a menu click is about: the link, else the image or media, else each URL selected. */
export function urlsOfClick(info: chrome.contextMenus.OnClickData): string[] {
  if (info.linkUrl) return [info.linkUrl];
  if (info.srcUrl) return [info.srcUrl];
  return urlsInText(info.selectionText ?? '');
}

export async function onMenuClicked(info: chrome.contextMenus.OnClickData): Promise<void> {
  if (info.menuItemId !== menuId) return;
  const urls = urlsOfClick(info).filter((url) => /^https?:/i.test(url));
  if (urls.length === 0) return report('refused', 'No http(s) link there to download.');
  const options = await loadOptions();
  let handed = 0;
  for (const url of urls) {
    try {
      // One submit per URL: each gets the cookies of its own site.
      await submit(options, await submitInput({ url, referrer: info.pageUrl, via: [info.frameUrl] }, options));
      handed += 1;
    } catch (error) {
      // Haul could not take it: the browser downloads it instead (our own downloads are not captured).
      await ext.downloads.download({ url }).catch(() => undefined);
      const refusal = error instanceof HaulError ? error.refusal : 'refused';
      await report(
        refusal,
        `${error instanceof Error ? error.message : String(error)} The browser is downloading it instead.`,
      );
    }
  }
  if (handed > 0) await report('handed', `Haul is downloading ${handed} link${handed === 1 ? '' : 's'}.`);
}
