import type { ActionParam, PluginSettingSpec } from '../../../src-common/contract';

/** One field of a form a plugin describes: its settings or an action's params. */
export interface SchemaField {
  key: string;
  label: string;
  description?: string;
  control: 'text' | 'textarea' | 'number' | 'select' | 'boolean';
  required?: boolean;
  placeholder?: string;
  options?: { value: string; label: string }[];
  min?: number;
  max?: number;
  step?: number;
  initial?: string | number | boolean;
}

export type FormValue = string | number | boolean;
/** While editing, numbers stay text so a half-typed "1." is not lost. */
export type FormDraft = Record<string, string | boolean>;

export function fromSettingSpec(spec: PluginSettingSpec): SchemaField {
  const common = { key: spec.key, label: spec.label, description: spec.description, initial: spec.default };
  switch (spec.type) {
    case 'string':
      return { ...common, control: spec.multiline ? 'textarea' : 'text' };
    case 'number':
      return { ...common, control: 'number', min: spec.min, max: spec.max, step: spec.step };
    case 'boolean':
      return { ...common, control: 'boolean' };
    case 'select':
      return { ...common, control: 'select', options: spec.options };
  }
}

export function fromActionParam(param: ActionParam): SchemaField {
  return {
    key: param.name,
    label: param.label,
    description: param.description,
    control: param.type,
    required: param.required,
    placeholder: param.placeholder,
    options: param.options,
    min: param.min,
    max: param.max,
    step: param.step,
    initial: param.default,
  };
}

/** The form's first state: saved values over the fields' defaults. */
export function initialDraft(fields: SchemaField[], saved: Record<string, FormValue> = {}): FormDraft {
  const draft: FormDraft = {};
  for (const field of fields) {
    const value = saved[field.key] ?? field.initial;
    if (field.control === 'boolean') draft[field.key] = value === true;
    else if (value !== undefined) draft[field.key] = String(value);
    else draft[field.key] = field.control === 'select' ? (field.options?.[0]?.value ?? '') : '';
  }
  return draft;
}

/**
 * The draft as values the core takes. Blank optional fields are left out so the plugin's
 * own default applies; the core checks ranges and answers with its own message.
 */
export function readDraft(
  fields: SchemaField[],
  draft: FormDraft,
): { values: Record<string, FormValue>; problems: Record<string, string> } {
  const values: Record<string, FormValue> = {};
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const raw = draft[field.key];
    if (field.control === 'boolean') {
      values[field.key] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      if (field.required) problems[field.key] = 'Required.';
      else if (field.control !== 'number') values[field.key] = text;
      continue;
    }
    if (field.control === 'number') {
      const number = Number(text);
      if (Number.isFinite(number)) values[field.key] = number;
      else problems[field.key] = 'Enter a number.';
    } else values[field.key] = text;
  }
  return { values, problems };
}
