import { readFileSync, writeFileSync } from 'node:fs';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultBounds: WindowBounds = { width: 1100, height: 720 };

/**
 * The saved size and position, if the window would still be visible: a monitor that is
 * gone (a laptop undocked) must not leave the window off-screen.
 */
export function restoreBounds(saved: unknown, displays: readonly DisplayArea[]): WindowBounds {
  const b = saved as Partial<WindowBounds> | undefined;
  if (!b || typeof b.width !== 'number' || typeof b.height !== 'number') return defaultBounds;
  const width = Math.max(720, Math.min(b.width, 10_000));
  const height = Math.max(480, Math.min(b.height, 10_000));
  const maximized = b.maximized === true;
  if (typeof b.x !== 'number' || typeof b.y !== 'number') return { width, height, maximized };
  const visible = displays.some(
    (d) => b.x! + 100 <= d.x + d.width && b.x! + width - 100 >= d.x && b.y! >= d.y && b.y! + 40 <= d.y + d.height,
  );
  return visible ? { x: b.x, y: b.y, width, height, maximized } : { width, height, maximized };
}

export function readBounds(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeBounds(file: string, bounds: WindowBounds): void {
  writeFileSync(file, `${JSON.stringify(bounds)}\n`);
}
