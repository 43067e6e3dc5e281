import { describe, expect, it } from 'vitest';
import type { PluginAction } from '../../../src-common/contract';
import { bulkRefusal, commonActions, summarize } from './bulk-actions';

const action = (pluginName: string, id: string, bulkMax = 1): PluginAction => ({
  pluginName,
  id,
  label: id,
  entity: 'resource',
  description: '',
  icon: null,
  contentTypes: [],
  params: [],
  async: false,
  confirm: null,
  bulkMax,
});

describe('bulk plugin actions', () => {
  it('offers only what fits every selected file, by plugin and id', () => {
    const sum = action('checksum', 'sum', 20);
    const video = action('media', 'thumb');
    const other = action('media2', 'sum');
    expect(
      commonActions([
        [sum, video, other],
        [sum, other],
        [other, sum],
      ]),
    ).toEqual([sum, other]);
    expect(commonActions([[sum], []])).toEqual([]);
    expect(commonActions([])).toEqual([]);
  });

  it('refuses more files than bulkMax, and says how many it takes', () => {
    expect(bulkRefusal(action('a', 'b', 20), 20)).toBeUndefined();
    expect(bulkRefusal(action('a', 'b', 20), 21)).toBe('At most 20 files at once');
    expect(bulkRefusal(action('a', 'b', 1), 2)).toBe('One file at a time');
  });

  it('counts finished and failed runs, a plugin job once it ends', () => {
    const runs = [
      { state: 'done', success: true, message: '' },
      { state: 'done', success: false, message: 'no' },
      { state: 'refused', message: 'gone' },
      { state: 'job', jobId: 'x' },
      { state: 'job', jobId: 'y' },
      { state: 'running' },
      { state: 'waiting' },
    ] as const;
    expect(summarize(runs)).toEqual({ finished: 3, failed: 2 });
    const statuses = { x: 'failed', y: 'running' } as const;
    expect(summarize(runs, (id) => statuses[id as 'x' | 'y'])).toEqual({ finished: 4, failed: 3 });
  });
});
