import type { ErrorShape, Resource } from '../../../src-common/contract';
import type { Slice } from './types';

export interface LibraryQuery {
  text: string;
  /** A MIME type or its first part (`video/`); empty: every type. */
  contentType: string;
}

/** Rows read per page; "Show more" reads the next page. */
export const libraryPage = 200;

export interface LibrarySlice {
  resources: Resource[];
  /** How many match the query in the core, of which `resources` holds the first pages. */
  libraryTotal: number;
  libraryQuery: LibraryQuery;
  /** False until the first answer: the view shows "Loading", not "empty". */
  libraryLoaded: boolean;
  libraryError: ErrorShape | undefined;
  /** Reads the first page again for the current query. */
  loadLibrary(): Promise<void>;
  loadMoreLibrary(): Promise<void>;
  setLibraryQuery(changes: Partial<LibraryQuery>): void;
  /** Open the file or show it in its folder; the core refuses both outside the desktop app. */
  openResource(id: number, how: 'open' | 'reveal'): Promise<void>;
  removeResource(id: number, deleteFile: boolean): Promise<boolean>;
}

export const createLibrarySlice: Slice<LibrarySlice> = (set, get) => {
  // Answers can cross: a slow one for an old query must not replace a newer one.
  let generation = 0;
  async function read(offset: number): Promise<void> {
    const ticket = ++generation;
    const { client, libraryQuery: query } = get();
    const answer = await client.invoke('library.list', {
      ...(query.text.trim() ? { text: query.text.trim() } : {}),
      ...(query.contentType ? { contentType: query.contentType } : {}),
      limit: libraryPage,
      offset,
    });
    if (ticket !== generation) return;
    if (!answer.ok) return void set({ libraryError: answer.error, libraryLoaded: true });
    const { resources, total } = answer.value;
    set({
      resources: offset === 0 ? resources : [...get().resources, ...resources],
      libraryTotal: total,
      libraryLoaded: true,
      libraryError: undefined,
    });
  }

  return {
    resources: [],
    libraryTotal: 0,
    libraryQuery: { text: '', contentType: '' },
    libraryLoaded: false,
    libraryError: undefined,
    loadLibrary: () => read(0),
    loadMoreLibrary: () => read(get().resources.length),
    setLibraryQuery(changes) {
      set({ libraryQuery: { ...get().libraryQuery, ...changes } });
      void read(0);
    },
    async openResource(id, how) {
      const { client, reportError } = get();
      const answer =
        how === 'open' ? await client.invoke('library.open', { id }) : await client.invoke('library.reveal', { id });
      if (!answer.ok) reportError(how === 'open' ? 'Could not open the file' : 'Could not show the file', answer.error);
    },
    async removeResource(id, deleteFile) {
      const answer = await get().client.invoke('library.remove', { id, deleteFile });
      if (!answer.ok) {
        get().reportError('Could not remove it from the library', answer.error);
        return false;
      }
      if (answer.value.fileKept) get().notify('error', answer.value.fileKept);
      // Drop it at once; the reload brings the total and the next row in.
      set({ resources: get().resources.filter((r) => r.id !== id) });
      await read(0);
      return true;
    },
  };
};
