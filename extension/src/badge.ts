/** The toolbar badge says what happened to the last download, so a refusal is never silent. */
import type { Refusal } from './haul-api';

export interface LastStatus {
  kind: 'handed' | 'kept' | Refusal;
  message: string;
  at: number;
}

const badgeText: Record<LastStatus['kind'], string> = {
  handed: '',
  kept: '',
  unpaired: 'pair',
  offline: 'off',
  refused: '!',
};

export async function report(kind: LastStatus['kind'], message: string): Promise<void> {
  const status: LastStatus = { kind, message, at: Date.now() };
  await chrome.storage.local.set({ lastStatus: status });
  await chrome.action.setBadgeText({ text: badgeText[kind] });
  if (badgeText[kind]) await chrome.action.setBadgeBackgroundColor({ color: '#c62828' });
  await chrome.action.setTitle({ title: `Haul: ${message}` });
}

export async function lastStatus(): Promise<LastStatus | undefined> {
  const stored = (await chrome.storage.local.get('lastStatus')) as { lastStatus?: LastStatus };
  return stored.lastStatus;
}
