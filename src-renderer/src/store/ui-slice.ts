import type { ErrorShape } from '../../../src-common/contract';
import type { Slice } from './types';
import type { Sort, StatusTab } from './table-query';

export type View = 'downloads' | 'jobs' | 'library' | 'plugins' | 'queues' | 'settings' | 'about';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  message: string;
  /** The same message again bumps this instead of stacking another notice. */
  count: number;
}

export interface AddDraft {
  urls: string;
  /** Submit at once instead of opening the dialog (a drop on the job panel). */
  open: boolean;
}

export interface UiSlice {
  view: View;
  tab: StatusTab;
  search: string;
  sort: Sort;
  /** Selected download ids. A new array on every change, so `useShallow` can compare. */
  selection: string[];
  /** The row a shift-click extends from. */
  anchor: string | undefined;
  addDraft: AddDraft | undefined;
  detailsId: string | undefined;
  /** Downloads waiting for the user to confirm their removal. */
  removeAsk: string[] | undefined;
  /** The context menu's place on screen, for the current selection. */
  menuAt: { x: number; y: number } | undefined;
  /** Jobs the user closed in the job panel; they stay in the table. */
  dismissed: Record<string, true>;
  panelCollapsed: boolean;
  notices: Notice[];
  setView(view: View): void;
  setTab(tab: StatusTab): void;
  setSearch(search: string): void;
  setSort(sort: Sort): void;
  select(ids: string[], anchor?: string): void;
  openAdd(urls?: string): void;
  closeAdd(): void;
  showDetails(id: string | undefined): void;
  askRemove(ids: string[] | undefined): void;
  openMenu(at: { x: number; y: number } | undefined): void;
  dismiss(ids: string[]): void;
  setPanelCollapsed(collapsed: boolean): void;
  notify(tone: Notice['tone'], message: string): void;
  reportError(what: string, error: ErrorShape): void;
  closeNotice(id: number): void;
}

let noticeId = 0;

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  view: 'downloads',
  tab: 'all',
  search: '',
  sort: { key: 'added', desc: true },
  selection: [],
  anchor: undefined,
  addDraft: undefined,
  detailsId: undefined,
  removeAsk: undefined,
  menuAt: undefined,
  dismissed: {},
  panelCollapsed: false,
  notices: [],
  setView: (view) => set({ view }),
  // The table's query changed: the core reads it again (table-slice).
  setTab: (tab) => {
    set({ tab, selection: [], anchor: undefined });
    get().refreshTable('now');
  },
  setSearch: (search) => {
    set({ search });
    get().refreshTable('now');
  },
  setSort: (sort) => {
    set({ sort });
    get().refreshTable('now');
  },
  select: (ids, anchor) => set({ selection: ids, anchor: anchor ?? ids[ids.length - 1] }),
  openAdd: (urls = '') => set({ addDraft: { urls, open: true } }),
  closeAdd: () => set({ addDraft: undefined }),
  showDetails: (detailsId) => set({ detailsId }),
  askRemove: (ids) => set({ removeAsk: ids && ids.length > 0 ? ids : undefined }),
  openMenu: (menuAt) => set({ menuAt }),
  dismiss: (ids) => set({ dismissed: { ...get().dismissed, ...Object.fromEntries(ids.map((id) => [id, true])) } }),
  setPanelCollapsed: (panelCollapsed) => set({ panelCollapsed }),
  notify: (tone, message) => {
    const id = ++noticeId;
    const others = get().notices.filter((n) => n.message !== message || n.tone !== tone);
    const count = (get().notices.find((n) => n.message === message && n.tone === tone)?.count ?? 0) + 1;
    set({ notices: [...others.slice(-2), { id, tone, message, count }] });
    // Errors stay until read; confirmations go by themselves.
    if (tone === 'info') setTimeout(() => get().closeNotice(id), 4000);
  },
  reportError: (what, error) => get().notify('error', `${what}: ${error.message}`),
  closeNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
});
