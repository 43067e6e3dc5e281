/**
 * The bridge: exposes `window.haul` to our page, built from the contract. The page
 * never sees ipcRenderer; an unknown command is refused here before any IPC.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { invokeChannel, isCommandName, type HaulBridge } from './contract';

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
};

contextBridge.exposeInMainWorld('haul', bridge);
