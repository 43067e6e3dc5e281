import { create } from 'zustand';
import type { AppInfo, ErrorShape } from '../../../src-preload/contract';
import type { HaulClient } from '../api/client';

export type View = 'about';

interface AppSlice {
  info: AppInfo | undefined;
  infoError: ErrorShape | undefined;
  loadInfo(): Promise<void>;
}

interface UiSlice {
  view: View;
  setView(view: View): void;
}

export type State = AppSlice & UiSlice & { client: HaulClient };

/** A cache of main's state: every value here came from the core through the client. */
export function createStore(client: HaulClient) {
  return create<State>()((set) => ({
    client,
    info: undefined,
    infoError: undefined,
    async loadInfo() {
      const result = await client.invoke('app.info', {});
      if (result.ok) set({ info: result.value, infoError: undefined });
      else set({ infoError: result.error });
    },
    view: 'about',
    setView: (view) => set({ view }),
  }));
}

export type Store = ReturnType<typeof createStore>;
