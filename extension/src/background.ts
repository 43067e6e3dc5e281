/**
 * The background: a service worker in Chromium, an event page in Firefox. Every listener
 * is registered at the top level so the browser can wake it for the event.
 */
import { letBrowserKeep, onDownloadCreated } from './capture';
import { createMenus, onMenuClicked } from './menus';

chrome.runtime.onInstalled.addListener(() => createMenus());

chrome.downloads.onCreated.addListener((item) => {
  void onDownloadCreated(item); // errors are reported on the badge inside
});

chrome.contextMenus.onClicked.addListener((info) => {
  void onMenuClicked(info);
});

chrome.runtime.onMessage.addListener((message: unknown, sender) => {
  const note = message as { type?: unknown; url?: unknown };
  // Only our own content script (a tab) and pages send this; a link URL, nothing more.
  if (sender.id === chrome.runtime.id && note.type === 'keep-in-browser' && typeof note.url === 'string') {
    letBrowserKeep(note.url);
  }
  return false;
});
