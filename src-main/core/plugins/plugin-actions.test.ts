import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src-common/contract';
import { downloadJob } from '../../test/job-fixtures';
import { ActionDeclaration } from './action-params';
import { jobForHooks } from './completion-hooks';
import { actionResource, asActionResult, listedAction } from './plugin-actions';

const pdf: Resource = {
  id: 7,
  jobId: null,
  path: '/d/a.pdf',
  name: 'a.pdf',
  size: 10,
  contentType: 'application/pdf',
  sha256: null,
  sourceUrl: null,
  createdAt: 1,
};
const library = {
  get: (id: number): Resource => {
    if (id !== pdf.id) throw new Error(`no item ${id}`);
    return pdf;
  },
  moved: () => undefined,
};

describe('plugin actions', () => {
  it('a resource action gets the item it applies to, and refuses a missing id or another type', () => {
    const onPdfs = ActionDeclaration.parse({
      id: 'split',
      label: 'Split',
      filters: { contentTypes: ['application/pdf'] },
    });
    expect(actionResource(onPdfs, 7, library)).toBe(pdf);
    expect(() => actionResource(onPdfs, undefined, library)).toThrow('resourceId: this action needs a library item');
    const onVideos = ActionDeclaration.parse({ id: 'cut', label: 'Cut', filters: { contentTypes: ['video/*'] } });
    expect(() => actionResource(onVideos, 7, library)).toThrow(
      'resourceId: Cut does not apply to application/pdf files',
    );
    const custom = ActionDeclaration.parse({ id: 'sync', label: 'Sync', entity: 'custom' });
    expect(actionResource(custom, 7, library)).toBeNull();
  });

  it('lists an action with its declared fields under its plugin', () => {
    const action = ActionDeclaration.parse({ id: 'split', label: 'Split', async: true, bulkMax: 5 });
    expect(listedAction('pdf-tools', action)).toMatchObject({
      pluginName: 'pdf-tools',
      id: 'split',
      label: 'Split',
      entity: 'resource',
      contentTypes: [],
      async: true,
      bulkMax: 5,
    });
  });

  it("reads a handler's answer: a success flag keeps its message and data, a bare value is a success", () => {
    expect(asActionResult({ success: false, message: 'no pages', data: 3 })).toEqual({
      success: false,
      message: 'no pages',
      data: 3,
    });
    expect(asActionResult({ success: true, message: 42 })).toEqual({ success: true, message: '', data: null });
    expect(asActionResult('done')).toEqual({ success: true, message: '', data: 'done' });
    expect(asActionResult(undefined)).toEqual({ success: true, message: '', data: null });
  });

  it("hooks get a download without its request headers or the URL's credentials", () => {
    const job = downloadJob({
      url: 'https://me:secret@files.example/a.pdf',
      options: { ...downloadJob().options, headers: { Cookie: 'session=1', 'X-Mine': '1' } },
    });
    const seen = jobForHooks(job);
    expect(seen.options.headers).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('secret');
    expect(JSON.stringify(seen)).not.toContain('session=1');
    expect(job.options.headers).toEqual({ Cookie: 'session=1', 'X-Mine': '1' });
  });
});
