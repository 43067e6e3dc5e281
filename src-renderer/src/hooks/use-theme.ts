import { useEffect } from 'react';
import { useStore } from '../store/instance';

/**
 * Applies the theme kept in the core's settings; `system` (and the moment before the
 * settings arrive) follows the OS. The CSS reads `data-theme`.
 */
export function useTheme(): void {
  const theme = useStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
