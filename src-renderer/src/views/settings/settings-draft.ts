import type { Settings } from '../../../../src-common/contract';
import { speedUnits, unitKey, type FieldSpec, type SpeedUnit } from './settings-fields';

/**
 * What the form holds while the user types: text for text boxes, booleans for switches,
 * and each speed field's unit under `unitKey(key)`.
 */
export type Draft = Record<string, string | boolean>;

/** Speeds of 1 MB/s and more read back in MB/s when one decimal says it exactly. */
function speedDraft(bytes: number): { value: string; unit: SpeedUnit } {
  const inMb = bytes / speedUnits['MB/s'];
  if (inMb >= 1 && Number.isInteger(inMb * 10)) return { value: String(inMb), unit: 'MB/s' };
  return { value: String(Math.round((bytes / speedUnits['KB/s']) * 100) / 100), unit: 'KB/s' };
}

export function toDraft(settings: Settings, fields: FieldSpec[]): Draft {
  const draft: Draft = {};
  for (const { key, kind } of fields) {
    const value = settings[key];
    if (kind.type === 'boolean') draft[key] = value === true;
    else if (kind.type === 'folder' || kind.type === 'text') draft[key] = typeof value === 'string' ? value : '';
    else if (kind.type === 'lines') draft[key] = Array.isArray(value) ? value.join('\n') : '';
    else if (kind.type === 'speed') {
      const speed = speedDraft(Number(value));
      draft[key] = speed.value;
      draft[unitKey(key)] = speed.unit;
    } else draft[key] = String(value);
  }
  return draft;
}

export interface ParsedDraft {
  /** Only the fields whose value differs from the saved one. */
  changes: Partial<Settings>;
  /** Field key -> what is wrong, for input the form can judge without the core. */
  problems: Partial<Record<keyof Settings, string>>;
}

function parseField(field: FieldSpec, draft: Draft): { value?: unknown; problem?: string } {
  const raw = draft[field.key];
  const text = typeof raw === 'string' ? raw.trim() : '';
  switch (field.kind.type) {
    case 'boolean':
      return { value: raw === true };
    case 'select':
      return { value: text };
    case 'folder':
      return { value: text === '' ? null : text };
    case 'text':
      return { value: text };
    case 'lines':
      return {
        value: text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
    case 'speed': {
      const amount = Number(text);
      if (text === '' || !Number.isFinite(amount) || amount < 0) return { problem: 'Enter 0 or a positive number.' };
      const unit = draft[unitKey(field.key)];
      const perUnit = unit === 'MB/s' ? speedUnits['MB/s'] : speedUnits['KB/s'];
      return { value: Math.round(amount * perUnit) };
    }
    case 'int': {
      // The range is the core's to judge, so its message is the one the user reads.
      if (!/^-?\d+$/.test(text)) return { problem: 'Enter a whole number.' };
      return { value: Number(text) };
    }
  }
}

/** Reads the form back into settings, keeping only what changed. */
export function parseDraft(draft: Draft, settings: Settings, fields: FieldSpec[]): ParsedDraft {
  const changes: Record<string, unknown> = {};
  const problems: ParsedDraft['problems'] = {};
  for (const field of fields) {
    const { value, problem } = parseField(field, draft);
    if (problem) problems[field.key] = problem;
    else if (JSON.stringify(value) !== JSON.stringify(settings[field.key])) changes[field.key] = value;
  }
  return { changes: changes, problems };
}
