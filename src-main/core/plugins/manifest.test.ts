import { describe, expect, it } from 'vitest';
import { effectiveSettings, parseManifest } from './manifest';

const base = { name: 'demo', version: '1.0.0', description: 'd', author: 'a' };
const parse = (extra: Record<string, unknown>) => parseManifest(JSON.stringify({ ...base, ...extra }));

describe('plugin.json', () => {
  it('accepts a minimal manifest and fills defaults', () => {
    expect(parse({})).toEqual({ ok: true, manifest: { ...base, permissions: [], hosts: [], settings: [] } });
  });

  it.each([
    [{ name: 'Demo' }, /^plugin\.json: name: lower-case letters/],
    [{ version: 'one' }, /^plugin\.json: version: a version like 1\.2\.3/],
    [{ permissions: ['fs'] }, /^plugin\.json: permissions\.0: /],
    [{ permisions: [] }, /^plugin\.json: \(root\): .*permisions/],
    [{ hosts: ['http://x.com/'] }, /^plugin\.json: hosts\.0: a host name, \*\.domain, or host:port/],
    [{ memoryMb: 4096 }, /^plugin\.json: memoryMb: /],
    [{ settings: [{ key: 'n', label: 'N', type: 'number', default: 'x' }] }, /^plugin\.json: settings\.0\.default: /],
    [
      { settings: [{ key: 'n', label: 'N', type: 'number', default: 20, max: 10 }] },
      /settings\.0\.default: must be at most 10/,
    ],
    [{ settings: [{ key: 'c', label: 'C', type: 'color', default: '#fff' }] }, /^plugin\.json: settings\.0\.type: /],
    [
      {
        settings: [
          { key: 'a', label: 'A', type: 'boolean', default: true },
          { key: 'a', label: 'A', type: 'boolean', default: false },
        ],
      },
      /settings\.1\.key: duplicate key a/,
    ],
  ])('refuses %j naming the field', (extra, message) => {
    const result = parse(extra);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it('keeps stored settings that still fit and drops the rest', () => {
    const result = parse({
      settings: [
        {
          key: 'mode',
          label: 'Mode',
          type: 'select',
          default: 'a',
          options: [
            { value: 'a', label: 'A' },
            { value: 'b', label: 'B' },
          ],
        },
        { key: 'size', label: 'Size', type: 'number', default: 1, max: 5 },
      ],
    });
    if (!result.ok) throw new Error(result.error);
    expect(effectiveSettings(result.manifest, { mode: 'b', size: 50, gone: true })).toEqual({ mode: 'b', size: 1 });
  });
});
