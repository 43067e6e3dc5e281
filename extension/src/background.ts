/**
 * The background: a service worker in Chromium, an event page in Firefox. Every listener
 * is registered at the top level so the browser can wake it for the event.
 */
import { ext } from './browser-api';
import { letBrowserKeep, onDownloadCreated } from './capture';
import { createMenus, onMenuClicked } from './menus';

ext.runtime.onInstalled.addListener(() => createMenus());

ext.downloads.onCreated.addListener((item) => {
  void onDownloadCreated(item); // errors are reported on the badge inside
});

ext.contextMenus.onClicked.addListener((info) => {
  void onMenuClicked(info);
});

ext.runtime.onMessage.addListener((message: unknown, sender) => {
  const note = message as { type?: unknown; url?: unknown };
  // Only our own content script (a tab) and pages send this; a link URL, nothing more.
  if (sender.id === ext.runtime.id && note.type === 'keep-in-browser' && typeof note.url === 'string') {
    letBrowserKeep(note.url);
  }
  return false;
});
