import type { ErrorShape, Settings } from '../../../src-common/contract';
import type { Slice } from './types';

export interface SettingsSlice {
  settings: Settings | undefined;
  settingsError: ErrorShape | undefined;
  loadSettings(): Promise<void>;
  /** Saves the changed fields; resolves with the error, if any, for the form to show. */
  updateSettings(changes: Partial<Settings>): Promise<ErrorShape | undefined>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settings: undefined,
  settingsError: undefined,
  async loadSettings() {
    const answer = await get().client.invoke('settings.get', {});
    if (answer.ok) set({ settings: answer.value, settingsError: undefined });
    else set({ settingsError: answer.error });
  },
  async updateSettings(changes) {
    const answer = await get().client.invoke('settings.update', changes);
    if (!answer.ok) return answer.error;
    set({ settings: answer.value, settingsError: undefined });
    return undefined;
  },
});
