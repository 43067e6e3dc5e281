import { create } from 'zustand';
import type { HaulClient } from '../api/client';
import { createJobsSlice } from './jobs-slice';
import { createLibrarySlice } from './library-slice';
import { createPluginsSlice } from './plugins-slice';
import { createSettingsSlice } from './settings-slice';
import { createTableSlice } from './table-slice';
import type { State } from './types';
import { createUiSlice } from './ui-slice';

export type { State } from './types';
export type { View } from './ui-slice';

/** A cache of main's state: every job and setting here came from the core through the client. */
export function createStore(client: HaulClient) {
  return create<State>()((set, get, api) => ({
    client,
    info: undefined,
    infoError: undefined,
    async loadInfo() {
      const result = await client.invoke('app.info', {});
      if (result.ok) set({ info: result.value, infoError: undefined });
      else set({ infoError: result.error });
    },
    ...createJobsSlice(set, get, api),
    ...createTableSlice(set, get, api),
    ...createLibrarySlice(set, get, api),
    ...createPluginsSlice(set, get, api),
    ...createSettingsSlice(set, get, api),
    ...createUiSlice(set, get, api),
  }));
}

export type Store = ReturnType<typeof createStore>;
