import { notInBrowser, useCanOpenFiles } from '../../components/FileActions';
import { Icon, type IconName } from '../../components/Icon';
import { formatCount } from '../../lib/format';
import { useStore } from '../../store/instance';
import type { SortKey } from '../../store/table-query';
import {
  abilities,
  moveSelection,
  openSelectionFile,
  runOnSelection,
  useSelectionAbilities,
} from './selection-actions';

const sortChoices: { key: SortKey; label: string }[] = [
  { key: 'added', label: 'Date added' },
  { key: 'queue', label: 'Queue order' },
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size' },
  { key: 'progress', label: 'Progress' },
  { key: 'speed', label: 'Speed' },
  { key: 'eta', label: 'Time left' },
  { key: 'status', label: 'Status' },
];

function ToolButton(props: {
  icon: IconName;
  label: string;
  enabled: boolean;
  onClick(): void;
  shortcut?: string;
  /** Why it is off whatever is selected, shown instead of its label. */
  why?: string;
}) {
  return (
    <button
      type="button"
      className="tool-button"
      aria-label={props.label}
      disabled={!props.enabled}
      onClick={props.onClick}
      title={props.why ?? (props.shortcut ? `${props.label} (${props.shortcut})` : props.label)}
    >
      <Icon name={props.icon} />
      <span>{props.label}</span>
    </button>
  );
}

/** Search and sort, on the tabs' line: they change what the table shows, not the jobs. */
export function TableFilters() {
  const search = useStore((s) => s.search);
  const setSearch = useStore((s) => s.setSearch);
  const sort = useStore((s) => s.sort);
  const setSort = useStore((s) => s.setSort);
  return (
    <div className="filters">
      <label className="sort-select">
        <span className="visually-hidden">Sort by</span>
        <select
          value={sort.key}
          onChange={(e) => setSort({ key: e.target.value as SortKey, desc: e.target.value === 'added' })}
        >
          {sortChoices.map((choice) => (
            <option key={choice.key} value={choice.key}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <label className="search">
        <Icon name="search" />
        <span className="visually-hidden">Search downloads</span>
        <input
          type="search"
          placeholder="Search name or URL"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
    </div>
  );
}

const moves = [
  ['top', 'Move to top'],
  ['up', 'Move up'],
  ['down', 'Move down'],
  ['bottom', 'Move to bottom'],
] as const;

/** Open and Show in folder: the same rule for both, in the desktop app only. */
const fileTools: [IconName, string, 'open' | 'reveal'][] = [
  ['open', 'Open', 'open'],
  ['folder', 'Show in folder', 'reveal'],
];

export function DownloadsToolbar() {
  const openAdd = useStore((s) => s.openAdd);
  const askRemove = useStore((s) => s.askRemove);
  const mask = useSelectionAbilities();
  const can = (bit: number) => (mask & bit) !== 0;
  const canOpen = useCanOpenFiles();

  return (
    <div className="toolbar" role="toolbar" aria-label="Download actions">
      <button
        type="button"
        className="primary-button"
        onClick={() => openAdd()}
        title="Add downloads (Ctrl+V pastes links)"
      >
        <Icon name="plus" />
        <span>Add</span>
      </button>
      <div className="tool-group">
        <ToolButton
          icon="pause"
          label="Pause"
          enabled={can(abilities.pause)}
          onClick={() => runOnSelection('pause')}
          shortcut="Space"
        />
        <ToolButton
          icon="play"
          label="Resume"
          enabled={can(abilities.resume)}
          onClick={() => runOnSelection('resume')}
          shortcut="Space"
        />
        <ToolButton icon="retry" label="Retry" enabled={can(abilities.retry)} onClick={() => runOnSelection('retry')} />
        <ToolButton
          icon="cancel"
          label="Cancel"
          enabled={can(abilities.cancel)}
          onClick={() => runOnSelection('cancel')}
        />
        <ToolButton
          icon="trash"
          label="Remove"
          enabled={can(abilities.any)}
          onClick={() => askRemove(useStore.getState().selection)}
          shortcut="Delete"
        />
      </div>
      <div className="tool-group file-tools">
        {fileTools.map(([icon, label, how]) => (
          <ToolButton
            key={how}
            icon={icon}
            label={label}
            enabled={canOpen && can(abilities.file)}
            why={canOpen ? undefined : notInBrowser}
            onClick={() => openSelectionFile(how)}
          />
        ))}
      </div>
      <div className="tool-group compact">
        {moves.map(([to, label]) => (
          <button
            key={to}
            type="button"
            className="icon-button"
            disabled={!can(abilities.move)}
            aria-label={label}
            title={label}
            onClick={() => moveSelection(to)}
          >
            <Icon name={to} />
          </button>
        ))}
      </div>
    </div>
  );
}

/** How many rows the actions apply to, once more than one is selected (Ctrl+A takes thousands). */
export function SelectionCount() {
  const count = useStore((s) => s.selection.length);
  return (
    <span className="selection-count muted" role="status" data-testid="selection-count">
      {count > 1 ? `${formatCount(count)} selected` : ''}
    </span>
  );
}
