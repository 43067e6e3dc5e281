/** `Tray`: image, tooltip and context menu recorded; a test can click it or an item. */
import { EventEmitter } from 'node:events';
import { app } from './app';
import type { Menu } from './menu';
import { nativeImage, type NativeImage } from './native-image';
import { recorded, type TrayRecord } from './record';

const trays: Tray[] = [];

function imagePath(image: NativeImage | string): string {
  const native = typeof image === 'string' ? nativeImage.createFromPath(image) : image;
  // An empty image is no icon at all: record it so a test sees the missing file.
  return native.isEmpty() ? `(empty) ${native.path}` : native.path;
}

export class Tray extends EventEmitter {
  private menu: Menu | null = null;
  private readonly record: TrayRecord;

  constructor(image: NativeImage | string) {
    super();
    if (!app.isReady()) throw new Error('Tray cannot be created before the app is ready');
    this.record = { image: imagePath(image), tooltip: '', menu: [], destroyed: false, history: [] };
    this.remember();
    recorded.tray = this.record;
    trays.push(this);
  }

  private remember(): void {
    const last = this.record.history.at(-1);
    if (last?.image === this.record.image && last.tooltip === this.record.tooltip) return;
    this.record.history.push({ image: this.record.image, tooltip: this.record.tooltip });
  }

  setImage(image: NativeImage | string): void {
    this.record.image = imagePath(image);
    this.remember();
  }

  setToolTip(tooltip: string): void {
    this.record.tooltip = tooltip;
    this.remember();
  }

  setContextMenu(menu: Menu | null): void {
    this.menu = menu;
    this.record.menu = menu ? menu.labels() : [];
  }

  setTitle(): void {}

  destroy(): void {
    this.record.destroyed = true;
    trays.splice(trays.indexOf(this), 1);
  }

  isDestroyed(): boolean {
    return this.record.destroyed;
  }

  clickItem(label: string): void {
    if (!this.menu) throw new Error('the tray has no context menu');
    this.menu.clickItem(label);
  }
}

export function currentTray(): Tray {
  const tray = trays.at(-1);
  if (!tray) throw new Error('no tray');
  return tray;
}
