import { useEffect } from 'react';
import { useStore } from '../store/instance';

/** Follows the OS unless the user picked a theme; the CSS reads `data-theme`. */
export function useTheme(): void {
  const theme = useStore((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
