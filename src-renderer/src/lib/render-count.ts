import { useEffect } from 'react';

declare global {
  interface Window {
    /** Commits per row, by job id; present only when counting is switched on. */
    __haulRenders?: Record<string, number>;
  }
}

/**
 * Switched on by the e2e suite (localStorage `haul.countRenders` = 1) or in dev builds:
 * the proof that a progress event re-renders only its own row. Costs nothing when off.
 */
const enabled =
  typeof window !== 'undefined' && (import.meta.env.DEV || window.localStorage.getItem('haul.countRenders') === '1');

if (enabled) window.__haulRenders = {};

export function useRenderCount(key: string): void {
  useEffect(() => {
    if (!enabled || !window.__haulRenders) return;
    window.__haulRenders[key] = (window.__haulRenders[key] ?? 0) + 1;
  });
}
