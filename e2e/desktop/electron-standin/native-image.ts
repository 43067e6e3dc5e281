/**
 * `nativeImage`: only what a tray needs. "createFromPath: If the path does not exist or
 * cannot be read, an empty image is returned" – so a missing icon shows as isEmpty().
 * The size is read from the PNG header; other formats count as empty here.
 */
import { readFileSync } from 'node:fs';

export class NativeImage {
  constructor(
    readonly path: string,
    private readonly size: { width: number; height: number } | undefined,
  ) {}

  isEmpty(): boolean {
    return !this.size;
  }

  getSize(): { width: number; height: number } {
    return this.size ?? { width: 0, height: 0 };
  }

  setTemplateImage(): void {}
}

function pngSize(path: string): { width: number; height: number } | undefined {
  try {
    const head = readFileSync(path).subarray(0, 24);
    if (head.toString('latin1', 1, 4) !== 'PNG') return undefined;
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  } catch {
    return undefined;
  }
}

export const nativeImage = {
  createFromPath: (path: string) => new NativeImage(path, pngSize(path)),
  createEmpty: () => new NativeImage('', undefined),
};
