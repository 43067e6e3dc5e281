import { useEffect, useRef, useState } from 'react';
import type { ErrorShape, PluginAction, Resource } from '../../../../src-common/contract';
import { Icon } from '../../components/Icon';
import { actionKey, bulkRefusal, commonActions } from '../../lib/bulk-actions';
import { useStore } from '../../store/instance';

interface Props {
  /** One file (the row's button) or the selected files (the selection bar's button). */
  resources: readonly Resource[];
  /** Names the menu and its button, e.g. `Plugin actions for a.zip`. */
  label: string;
  /** Shown on the button beside the icon; an icon-only button without it. */
  text?: string;
  onChoose(action: PluginAction): void;
}

/**
 * The plugin actions for one file or several. The core decides which fit (by content
 * type), so they are asked for, once per file, when the menu opens, not matched here;
 * several files get the actions that fit all of them, within each action's bulkMax.
 */
export function ActionsMenu({ resources, label, text, onChoose }: Props) {
  const client = useStore((s) => s.client);
  const [at, setAt] = useState<{ x: number; y: number }>();
  const [actions, setActions] = useState<PluginAction[]>();
  const [error, setError] = useState<ErrorShape>();
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!at) return;
    let current = true;
    const asks = resources.map((r) => client.invoke('actions.list', { entityType: 'resource', resourceId: r.id }));
    void Promise.all(asks).then((answers) => {
      if (!current) return;
      const refused = answers.find((answer) => !answer.ok);
      if (refused && !refused.ok) return setError(refused.error);
      setActions(commonActions(answers.map((answer) => (answer.ok ? answer.value.actions : []))));
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
  }, [at, client, resources]);

  useEffect(() => {
    if (actions) menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
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
        className={text ? 'secondary-button' : 'icon-button'}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={at !== undefined}
        title="Plugin actions"
        onClick={() => (at ? setAt(undefined) : open())}
      >
        <Icon name="plugin" />
        {text}
      </button>
      {at && (
        <div ref={menu} className="menu actions-menu" role="menu" aria-label={label} style={{ left: at.x, top: at.y }}>
          {!actions && !error && <p className="menu-note muted">Looking for actions…</p>}
          {error && <p className="menu-note error">{error.message}</p>}
          {actions?.length === 0 && (
            <p className="menu-note muted">
              {resources.length === 1
                ? 'No plugin action fits this type of file.'
                : 'No plugin action fits all of these files.'}
            </p>
          )}
          {actions?.map((action) => {
            const refusal = bulkRefusal(action, resources.length);
            return (
              <button
                key={actionKey(action)}
                type="button"
                role="menuitem"
                disabled={refusal !== undefined}
                title={refusal ?? action.description}
                onClick={() => (setAt(undefined), onChoose(action))}
              >
                <span>{action.label}</span>
                <span className="muted menu-sub">
                  {refusal ? `${action.pluginName} · ${refusal}` : action.pluginName}
                </span>
              </button>
            );
          })}
        </div>
      )}
    </>
  );
}
