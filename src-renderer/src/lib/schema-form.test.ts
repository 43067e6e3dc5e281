import { describe, expect, it } from 'vitest';
import { fromActionParam, fromSettingSpec, initialDraft, readDraft } from './schema-form';

describe('schema forms', () => {
  it('turns plugin setting specs and action params into one kind of field', () => {
    expect(fromSettingSpec({ key: 'note', label: 'Note', type: 'string', default: '', multiline: true }).control).toBe(
      'textarea',
    );
    expect(
      fromActionParam({ name: 'algo', label: 'Algorithm', type: 'select', options: [{ value: 'md5', label: 'MD5' }] }),
    ).toMatchObject({ key: 'algo', control: 'select', options: [{ value: 'md5', label: 'MD5' }] });
  });

  it('starts from saved values, then defaults, then the first option', () => {
    const fields = [
      fromSettingSpec({ key: 'n', label: 'N', type: 'number', default: 3 }),
      fromSettingSpec({ key: 'b', label: 'B', type: 'boolean', default: true }),
      fromActionParam({ name: 's', label: 'S', type: 'select', options: [{ value: 'x', label: 'X' }] }),
    ];
    expect(initialDraft(fields, { n: 7 })).toEqual({ n: '7', b: true, s: 'x' });
  });

  it('reads numbers as numbers, flags required blanks and non-numbers, drops blank optional numbers', () => {
    const fields = [
      fromActionParam({ name: 'count', label: 'Count', type: 'number' }),
      fromActionParam({ name: 'size', label: 'Size', type: 'number' }),
      fromActionParam({ name: 'name', label: 'Name', type: 'text', required: true }),
      fromActionParam({ name: 'ratio', label: 'Ratio', type: 'number', required: true }),
      fromActionParam({ name: 'keep', label: 'Keep', type: 'boolean' }),
    ];
    const { values, problems } = readDraft(fields, { count: '2.5', size: ' ', name: '', ratio: 'abc', keep: false });
    expect(values).toEqual({ count: 2.5, keep: false });
    expect(problems).toEqual({ name: 'Required.', ratio: 'Enter a number.' });
  });
});
