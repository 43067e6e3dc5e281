import type { PluginAction, Resource } from '../../../../src-common/contract';
import { ActionsMenu } from './ActionsMenu';

interface Props {
  chosen: readonly Resource[];
  /** Present when some plugin offers actions on library files. */
  onAction?(action: PluginAction): void;
  onClear(): void;
}

/** Above the table while files are selected: how many, and what can run on all of them. */
export function SelectionBar({ chosen, onAction, onClear }: Props) {
  const count = chosen.length;
  return (
    <div className="selection-bar" role="region" aria-label="Selected files">
      <span className="selection-count" data-testid="selection-count">
        {count} file{count === 1 ? '' : 's'} selected
      </span>
      {onAction && (
        <ActionsMenu
          resources={chosen}
          label="Plugin actions for the selected files"
          text="Plugin actions"
          onChoose={onAction}
        />
      )}
      <button type="button" className="text-button" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
