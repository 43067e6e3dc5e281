import { useId } from 'react';
import { speedUnits, unitKey, type FieldSpec } from './settings-fields';
import type { Draft } from './settings-draft';

interface Props {
  field: FieldSpec;
  draft: Draft;
  /** A setting's key, or `unitKey(key)` for a speed field's unit. */
  onChange(key: string, value: string | boolean): void;
  /** What is wrong with it: the form's own check or the core's refusal. */
  problem?: string;
  /** Shown in an empty folder box: where downloads go by default. */
  defaultFolder?: string;
}

/** One setting: its label and hint on the left, the control that fits its kind on the right. */
export function SettingControl({ field, draft, onChange, problem, defaultFolder }: Props) {
  const id = useId();
  const { key, kind } = field;
  const value = draft[key];
  const text = typeof value === 'string' ? value : '';
  const invalid = problem ? true : undefined;
  const stacked = kind.type === 'folder' || kind.type === 'lines' || kind.type === 'text';
  const set = (next: string | boolean) => onChange(key, next);

  let control;
  switch (kind.type) {
    case 'boolean':
      control = (
        <input
          id={id}
          type="checkbox"
          role="switch"
          className="switch"
          checked={value === true}
          aria-describedby={`${id}-hint`}
          onChange={(e) => set(e.target.checked)}
        />
      );
      break;
    case 'select':
      control = (
        <select id={id} value={text} aria-describedby={`${id}-hint`} onChange={(e) => set(e.target.value)}>
          {kind.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'folder':
      control = (
        <input
          id={id}
          type="text"
          className="path-input"
          spellCheck={false}
          placeholder={defaultFolder ?? 'The system’s Downloads folder'}
          value={text}
          aria-invalid={invalid}
          aria-describedby={`${id}-hint`}
          onChange={(e) => set(e.target.value)}
        />
      );
      break;
    case 'lines':
      control = (
        <textarea
          id={id}
          rows={3}
          spellCheck={false}
          placeholder={kind.placeholder ?? 'chrome-extension://abcdefghijklmnop'}
          value={text}
          aria-invalid={invalid}
          aria-describedby={`${id}-hint`}
          onChange={(e) => set(e.target.value)}
        />
      );
      break;
    case 'text':
      control = (
        <input
          id={id}
          type="text"
          className="path-input"
          spellCheck={false}
          autoComplete="off"
          placeholder={kind.placeholder}
          value={text}
          aria-invalid={invalid}
          aria-describedby={`${id}-hint`}
          onChange={(e) => set(e.target.value)}
        />
      );
      break;
    case 'speed':
      control = (
        <span className="unit-input">
          <input
            id={id}
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            required
            value={text}
            aria-invalid={invalid}
            aria-describedby={`${id}-hint`}
            onChange={(e) => set(e.target.value)}
          />
          <select
            aria-label={`${field.label} unit`}
            value={String(draft[unitKey(key)])}
            onChange={(e) => onChange(unitKey(key), e.target.value)}
          >
            {Object.keys(speedUnits).map((unit) => (
              <option key={unit}>{unit}</option>
            ))}
          </select>
        </span>
      );
      break;
    case 'int':
      control = (
        <span className="unit-input">
          <input
            id={id}
            type="number"
            inputMode="numeric"
            min={kind.min}
            max={kind.max}
            required
            value={text}
            aria-invalid={invalid}
            aria-describedby={`${id}-hint`}
            onChange={(e) => set(e.target.value)}
          />
          {kind.unit && <span className="muted">{kind.unit}</span>}
        </span>
      );
  }

  return (
    <div className={`setting${stacked ? ' stacked' : ''}`} data-testid={`setting-${key}`}>
      <span className="setting-text">
        <label className="field-label" htmlFor={id}>
          {field.label}
        </label>
        <span className="muted" id={`${id}-hint`}>
          {field.hint}
        </span>
        {problem && <span className="field-error">{problem}</span>}
      </span>
      {control}
    </div>
  );
}
