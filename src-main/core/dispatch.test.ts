import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/temp-dir';
import { createCore, type Core } from './app';
import { latestSchemaVersion } from './store/migrations';

let dir: ReturnType<typeof tempDir>;
let core: Core;

beforeEach(() => {
  dir = tempDir();
  core = createCore({ dataDir: dir.path, downloadDir: dir.path, runtime: 'headless', version: '9.9.9' });
});

afterEach(async () => {
  await core.close();
  dir.remove();
});

describe('dispatch', () => {
  it('answers app.info with the real data folder and schema version', async () => {
    const result = await core.invoke('app.info', {});
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'Haul',
        version: '9.9.9',
        dataDir: dir.path,
        runtime: 'headless',
        schemaVersion: latestSchemaVersion,
      }),
    });
  });

  it('refuses an unknown command with not_found', async () => {
    const result = await core.invoke('app.destroy', {});
    expect(result).toEqual({ ok: false, error: { kind: 'not_found', message: 'Unknown command: app.destroy' } });
  });

  it('refuses malformed input with invalid_input naming the problem', async () => {
    const result = await core.invoke('app.info', { extra: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid_input');
      expect(result.error.message).toContain('extra');
    }
  });

  it('turns a throwing handler into an internal error instead of throwing', async () => {
    (core.commands as Record<string, unknown>)['app.info'] = () => {
      throw new Error('boom');
    };
    const result = await core.invoke('app.info', {});
    expect(result).toEqual({ ok: false, error: { kind: 'internal', message: 'Unexpected error: boom' } });
  });
});
