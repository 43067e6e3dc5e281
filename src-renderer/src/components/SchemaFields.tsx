import { useId } from 'react';
import type { FormDraft, SchemaField } from '../lib/schema-form';

interface Props {
  fields: SchemaField[];
  draft: FormDraft;
  onChange(key: string, value: string | boolean): void;
  problems?: Record<string, string>;
}

/** The controls of a form a plugin describes; the caller owns the draft and the submit. */
export function SchemaFields({ fields, draft, onChange, problems = {} }: Props) {
  return (
    <>
      {fields.map((field) => (
        <SchemaControl
          key={field.key}
          field={field}
          value={draft[field.key]}
          problem={problems[field.key]}
          onChange={(value) => onChange(field.key, value)}
        />
      ))}
    </>
  );
}

function SchemaControl(props: {
  field: SchemaField;
  value: string | boolean | undefined;
  problem?: string;
  onChange(value: string | boolean): void;
}) {
  const { field, value, problem, onChange } = props;
  const id = useId();
  const text = typeof value === 'string' ? value : '';
  const describedBy = field.description ? `${id}-hint` : undefined;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    required: field.required,
  };

  if (field.control === 'boolean') {
    return (
      <div className="field">
        <label className="check">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...common} />
          {field.label}
        </label>
        {field.description && (
          <span className="muted field-hint" id={describedBy}>
            {field.description}
          </span>
        )}
      </div>
    );
  }

  let control;
  if (field.control === 'select') {
    control = (
      <select value={text} onChange={(e) => onChange(e.target.value)} {...common}>
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (field.control === 'textarea') {
    control = (
      <textarea
        rows={4}
        value={text}
        placeholder={field.placeholder}
        onChange={(e) => onChange(e.target.value)}
        {...common}
      />
    );
  } else {
    control = (
      <input
        type={field.control === 'number' ? 'number' : 'text'}
        inputMode={field.control === 'number' ? 'decimal' : undefined}
        min={field.min}
        max={field.max}
        step={field.step ?? (field.control === 'number' ? 'any' : undefined)}
        value={text}
        placeholder={field.placeholder}
        onChange={(e) => onChange(e.target.value)}
        {...common}
      />
    );
  }

  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {field.label}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {field.description && (
        <span className="muted field-hint" id={describedBy}>
          {field.description}
        </span>
      )}
      {problem && <span className="field-error">{problem}</span>}
    </div>
  );
}
