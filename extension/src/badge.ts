/** The toolbar badge says what happened to the last download, so a refusal is never silent. */
import { ext } from './browser-api';
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
  await ext.storage.local.set({ lastStatus: status });
  await ext.action.setBadgeText({ text: badgeText[kind] });
  if (badgeText[kind]) await ext.action.setBadgeBackgroundColor({ color: '#c62828' });
  await ext.action.setTitle({ title: `Haul: ${message}` });
}

export async function lastStatus(): Promise<LastStatus | undefined> {
  const stored = await ext.storage.local.get<{ lastStatus?: LastStatus }>('lastStatus');
  return stored.lastStatus;
}
