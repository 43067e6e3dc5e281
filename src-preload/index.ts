/**
 * The bridge: exposes `window.haul` to our page, built from the contract. The page
 * never sees ipcRenderer; an unknown command is refused here before any IPC.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  invokeChannel,
  jobEventChannels,
  isCommandName,
  showChannel,
  showReadyChannel,
  type HaulBridge,
  type JobEvent,
  type ShowRequest,
} from '../src-common/contract';

type Listener = (event: JobEvent) => void;

/** Listeners that have had their `init`; a new one waits for the next so it starts from a snapshot. */
const live = new Set<Listener>();
const awaitingInit = new Set<Listener>();

function deliver(_event: IpcRendererEvent, batch: unknown): void {
  if (!Array.isArray(batch)) return;
  for (const event of batch as JobEvent[]) {
    if (event.event === 'init') {
      for (const listener of awaitingInit) live.add(listener);
      awaitingInit.clear();
    }
    for (const listener of [...live]) {
      try {
        listener(event);
      } catch (error) {
        console.error('haul: a job event listener failed', error); // one bad listener must not starve the rest
      }
    }
  }
}

function onJobEvent(listener: Listener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onJobEvent needs a function');
  if (live.size === 0 && awaitingInit.size === 0) ipcRenderer.on(jobEventChannels.events, deliver);
  awaitingInit.add(listener);
  // Main answers with a fresh init for this window; listeners already live just get a resync.
  ipcRenderer.send(jobEventChannels.subscribe);
  return () => {
    const removed = live.delete(listener) || awaitingInit.delete(listener);
    if (!removed || live.size > 0 || awaitingInit.size > 0) return;
    ipcRenderer.removeListener(jobEventChannels.events, deliver);
    ipcRenderer.send(jobEventChannels.unsubscribe);
  };
}

function onShowRequest(listener: (request: ShowRequest) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onShowRequest needs a function');
  const forward = (_event: IpcRendererEvent, request: unknown) => {
    const r = request as { kind?: unknown; id?: unknown; urls?: unknown } | null;
    if (r?.kind === 'job' && typeof r.id === 'string') listener({ kind: 'job', id: r.id });
    if (r?.kind === 'add' && Array.isArray(r.urls) && r.urls.every((u) => typeof u === 'string')) {
      listener({ kind: 'add', urls: [...r.urls] });
    }
  };
  ipcRenderer.on(showChannel, forward);
  ipcRenderer.send(showReadyChannel);
  return () => ipcRenderer.removeListener(showChannel, forward);
}

const bridge: HaulBridge = {
  invoke(command, input) {
    if (!isCommandName(command)) {
      return Promise.resolve({
        ok: false,
        error: { kind: 'not_found', message: `Unknown command: ${String(command)}` },
      });
    }
    return ipcRenderer.invoke(invokeChannel, command, input);
  },
  onJobEvent,
  onShowRequest,
};

contextBridge.exposeInMainWorld('haul', bridge);
