import type { PluginInfo, PluginPermission } from '../../../../src-common/contract';

/** What each permission lets a plugin do, in the user's words. */
export const permissionText: Record<PluginPermission, { label: string; detail: string }> = {
  http: { label: 'Internet', detail: 'Connect to the hosts it lists' },
  files: { label: 'Files', detail: 'Read and write the files in your library' },
  downloads: { label: 'Downloads', detail: 'Add and change downloads' },
  storage: { label: 'Storage', detail: 'Keep its own data between runs' },
  notify: { label: 'Notifications', detail: 'Show you notifications' },
};

export const stateText: Record<PluginInfo['state'], string> = {
  starting: 'Starting',
  active: 'Active',
  disabled: 'Disabled',
  error: 'Error',
};

/** The badge class of a plugin's state, sharing the job badges' colours. */
export const stateBadge: Record<PluginInfo['state'], string> = {
  starting: 'badge-running',
  active: 'badge-completed',
  disabled: 'badge-pending',
  error: 'badge-failed',
};
