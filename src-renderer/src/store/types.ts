import type { StateCreator } from 'zustand';
import type { AppInfo, ErrorShape } from '../../../src-common/contract';
import type { HaulClient } from '../api/client';
import type { JobsSlice } from './jobs-slice';
import type { LibrarySlice } from './library-slice';
import type { PluginsSlice } from './plugins-slice';
import type { SettingsSlice } from './settings-slice';
import type { TableSlice } from './table-slice';
import type { UiSlice } from './ui-slice';

export interface AppSlice {
  client: HaulClient;
  info: AppInfo | undefined;
  infoError: ErrorShape | undefined;
  loadInfo(): Promise<void>;
}

export type State = AppSlice & JobsSlice & TableSlice & LibrarySlice & PluginsSlice & SettingsSlice & UiSlice;

/** A slice sees the whole store (actions call across slices) but owns only its fields. */
export type Slice<T> = StateCreator<State, [], [], T>;
