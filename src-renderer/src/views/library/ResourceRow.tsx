import { memo, useMemo } from 'react';
import type { PluginAction, Resource } from '../../../../src-common/contract';
import { notInBrowser, useCanOpenFiles } from '../../components/FileActions';
import { Icon } from '../../components/Icon';
import { formatAdded, formatBytes, formatDateTime } from '../../lib/format';
import { resourceKind, sourceLabel, typeLabel } from '../../lib/resource-display';
import { useStore } from '../../store/instance';
import { ActionsMenu } from './ActionsMenu';

interface Props {
  resource: Resource;
  selected: boolean;
  onToggle(id: number): void;
  onRemove(resource: Resource): void;
  /** Present when some plugin offers actions on library files. */
  onAction?(resource: Resource, action: PluginAction): void;
}

/** One finished file: what it is, where it came from, and what can be done with it. */
export const ResourceRow = memo(function ResourceRow({ resource, selected, onToggle, onRemove, onAction }: Props) {
  const openResource = useStore((s) => s.openResource);
  const canOpen = useCanOpenFiles();
  const source = sourceLabel(resource.sourceUrl);
  const name = resource.name;
  // One array per resource, so the open menu does not ask the core again on every render.
  const asOne = useMemo(() => [resource], [resource]);

  return (
    <tr
      data-testid={`resource-${resource.id}`}
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onDoubleClick={() => canOpen && void openResource(resource.id, 'open')}
    >
      <td className="lib-check">
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={selected}
          onChange={() => onToggle(resource.id)}
        />
      </td>
      <td>
        <div className="lib-name">
          <span className="lib-icon">
            <Icon name={resourceKind(resource)} size={20} />
          </span>
          <span className="lib-name-text">
            <span className="lib-title" title={resource.path}>
              {name}
            </span>
            {source && (
              <span className="lib-source muted" title={resource.sourceUrl ?? undefined}>
                {source}
              </span>
            )}
          </span>
        </div>
      </td>
      <td className="lib-type muted" title={resource.contentType ?? undefined}>
        {typeLabel(resource)}
      </td>
      <td className="num">{formatBytes(resource.size)}</td>
      <td className="lib-date muted" title={formatDateTime(resource.createdAt)}>
        {formatAdded(resource.createdAt)}
      </td>
      <td className="lib-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Open ${name}`}
          title={canOpen ? 'Open' : notInBrowser}
          disabled={!canOpen}
          onClick={() => void openResource(resource.id, 'open')}
        >
          <Icon name="open" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Show ${name} in folder`}
          title={canOpen ? 'Show in folder' : notInBrowser}
          disabled={!canOpen}
          onClick={() => void openResource(resource.id, 'reveal')}
        >
          <Icon name="folder" />
        </button>
        {onAction && (
          <ActionsMenu
            resources={asOne}
            label={`Plugin actions for ${name}`}
            onChoose={(action) => onAction(resource, action)}
          />
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${name}`}
          title="Remove from library"
          onClick={() => onRemove(resource)}
        >
          <Icon name="trash" />
        </button>
      </td>
    </tr>
  );
});
