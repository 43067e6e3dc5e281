import { useEffect } from 'react';
import { useStore } from './store/instance';
import type { View } from './store';
import { AboutView } from './views/AboutView';

const views: { id: View; label: string }[] = [{ id: 'about', label: 'About' }];

export function App() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const loadInfo = useStore((s) => s.loadInfo);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">Haul</div>
        {views.map((item) => (
          <button
            key={item.id}
            type="button"
            className={item.id === view ? 'nav-item active' : 'nav-item'}
            aria-current={item.id === view ? 'page' : undefined}
            onClick={() => setView(item.id)}
          >
            {item.label}
          </button>
        ))}
      </nav>
      <main className="content">{view === 'about' && <AboutView />}</main>
    </div>
  );
}
