import type { ErrorShape, PluginInfo, PluginSettingValues } from '../../../src-common/contract';
import type { Slice } from './types';

export interface PluginsSlice {
  plugins: PluginInfo[];
  pluginsLoaded: boolean;
  pluginsError: ErrorShape | undefined;
  /** Whether any running plugin offers actions on library files: the rows show an Actions button. */
  resourceActionCount: number;
  loadPlugins(): Promise<void>;
  countResourceActions(): Promise<void>;
  setPluginEnabled(name: string, enabled: boolean): Promise<void>;
  /** Resolves with the core's refusal, if any, for the form to show. */
  savePluginSettings(name: string, values: PluginSettingValues): Promise<ErrorShape | undefined>;
  /** `replace`: the user agreed to replace the installed plugin of the same name. */
  installPlugin(path: string, replacing?: boolean): Promise<ErrorShape | undefined>;
  reloadPlugins(name?: string): Promise<void>;
}

/** One plugin replaced by the core's newer view of it. */
const replace = (list: PluginInfo[], next: PluginInfo) =>
  list.some((p) => p.name === next.name) ? list.map((p) => (p.name === next.name ? next : p)) : [...list, next];

export const createPluginsSlice: Slice<PluginsSlice> = (set, get) => {
  /** Actions come and go with plugins, so they are counted again after every plugin change. */
  async function countActions(): Promise<void> {
    const answer = await get().client.invoke('actions.list', { entityType: 'resource' });
    if (answer.ok) set({ resourceActionCount: answer.value.actions.length });
  }

  return {
    plugins: [],
    pluginsLoaded: false,
    pluginsError: undefined,
    resourceActionCount: 0,
    countResourceActions: countActions,
    async loadPlugins() {
      const answer = await get().client.invoke('plugins.list', {});
      if (answer.ok) set({ plugins: answer.value.plugins, pluginsLoaded: true, pluginsError: undefined });
      else set({ pluginsError: answer.error, pluginsLoaded: true });
      await countActions();
    },
    async setPluginEnabled(name, enabled) {
      const { client, reportError } = get();
      const answer = await client.invoke(enabled ? 'plugins.enable' : 'plugins.disable', { name });
      if (!answer.ok) return reportError(`Could not ${enabled ? 'enable' : 'disable'} ${name}`, answer.error);
      set({ plugins: replace(get().plugins, answer.value) });
      await countActions();
    },
    async savePluginSettings(name, values) {
      const answer = await get().client.invoke('plugins.updateSettings', { name, values });
      if (!answer.ok) return answer.error;
      set({ plugins: replace(get().plugins, answer.value) });
      return undefined;
    },
    async installPlugin(path, replacing) {
      const answer = await get().client.invoke('plugins.install', { path, ...(replacing ? { replace: true } : {}) });
      if (!answer.ok) return answer.error;
      set({ plugins: replace(get().plugins, answer.value) });
      await countActions();
      return undefined;
    },
    async reloadPlugins(name) {
      const { client, reportError, notify } = get();
      const answer = await client.invoke('plugins.reload', name ? { name } : {});
      if (!answer.ok) return reportError(`Could not reload ${name ?? 'the plugins'}`, answer.error);
      set({ plugins: answer.value.plugins });
      notify('info', name ? `${name} reloaded.` : 'Plugins reloaded.');
      await countActions();
    },
  };
};
