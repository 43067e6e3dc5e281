import { useEffect, useRef, useState } from 'react';
import type { ErrorShape, PluginAction, Resource } from '../../../../src-preload/contract';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store/instance';

interface Props {
  resource: Resource;
  onChoose(action: PluginAction): void;
}

/**
 * The plugin actions for one file. The core decides which fit (by content type), so
 * they are asked for when the menu opens, not matched here.
 */
export function ActionsMenu({ resource, onChoose }: Props) {
  const client = useStore((s) => s.client);
  const [at, setAt] = useState<{ x: number; y: number }>();
  const [actions, setActions] = useState<PluginAction[]>();
  const [error, setError] = useState<ErrorShape>();
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!at) return;
    let current = true;
    void client.invoke('actions.list', { entityType: 'resource', resourceId: resource.id }).then((answer) => {
      if (!current) return;
      if (answer.ok) setActions(answer.value.actions);
      else setError(answer.error);
    });
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && menu.current?.contains(event.target as Node)) return;
      if (event instanceof KeyboardEvent) button.current?.focus();
      setAt(undefined);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      current = false;
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [at, client, resource.id]);

  useEffect(() => {
    if (actions) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [actions]);

  const open = () => {
    const box = button.current!.getBoundingClientRect();
    setActions(undefined);
    setError(undefined);
    // Below the button, right-aligned with it, and kept on screen.
    setAt({ x: Math.max(8, box.right - 260), y: Math.min(box.bottom + 4, window.innerHeight - 200) });
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label={`Plugin actions for ${resource.name}`}
        aria-haspopup="menu"
        aria-expanded={at !== undefined}
        title="Plugin actions"
        onClick={() => (at ? setAt(undefined) : open())}
      >
        <Icon name="plugin" />
      </button>
      {at && (
        <div
          ref={menu}
          className="menu actions-menu"
          role="menu"
          aria-label={`Plugin actions for ${resource.name}`}
          style={{ left: at.x, top: at.y }}
        >
          {!actions && !error && <p className="menu-note muted">Looking for actions…</p>}
          {error && <p className="menu-note error">{error.message}</p>}
          {actions?.length === 0 && <p className="menu-note muted">No plugin action fits this type of file.</p>}
          {actions?.map((action) => (
            <button
              key={`${action.pluginName}/${action.id}`}
              type="button"
              role="menuitem"
              title={action.description}
              onClick={() => (setAt(undefined), onChoose(action))}
            >
              <span>{action.label}</span>
              <span className="muted menu-sub">{action.pluginName}</span>
            </button>
          ))}
        </div>
      )}
    </>
  );
}
