import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../../src-common/contract';
import { settingGroups } from './settings-fields';
import { parseDraft, toDraft } from './settings-draft';

const fields = settingGroups.flatMap((g) => g.fields);
const saved: Settings = {
  downloadDir: null,
  maxConcurrentDownloads: 3,
  connectionsPerDownload: 8,
  speedLimit: 0,
  minSpeed: 1024,
  maxConcurrentPluginJobs: 3,
  jobExpiryDays: 30,
  defaultMaxAttempts: 5,
  fingerprintDownloads: false,
  notifications: true,
  theme: 'system',
  closeToTray: false,
  watchClipboard: false,
  startExternalLinks: false,
  apiEnabled: true,
  apiPort: 8181,
  allowedOrigins: [],
  aria2Enabled: false,
  aria2Port: 6800,
  aria2Secret: 'a1b2c3',
  aria2AllowedOrigins: [],
  trustedCertificates: {},
};

describe('settings draft', () => {
  it('reads back unchanged: an untouched form saves nothing', () => {
    const draft = toDraft(saved, fields);
    expect(draft.downloadDir).toBe('');
    expect(parseDraft(draft, saved, fields)).toEqual({ changes: {}, problems: {} });
  });

  it('shows speeds from 1 MB/s in MB/s when one decimal is exact, else in KB/s', () => {
    expect(toDraft({ ...saved, speedLimit: 2 * 1024 * 1024 }, fields)).toMatchObject({
      speedLimit: '2',
      'speedLimit:unit': 'MB/s',
    });
    expect(toDraft({ ...saved, speedLimit: 1536 * 1024 }, fields)).toMatchObject({
      speedLimit: '1.5',
      'speedLimit:unit': 'MB/s',
    });
    expect(toDraft({ ...saved, speedLimit: 300 * 1024 }, fields)).toMatchObject({
      speedLimit: '300',
      'speedLimit:unit': 'KB/s',
    });
  });

  it('keeps a unit for each speed: the limit in MB/s, the minimum in KB/s', () => {
    const draft = toDraft({ ...saved, speedLimit: 2 * 1024 * 1024 }, fields);
    expect(draft).toMatchObject({ speedLimit: '2', 'speedLimit:unit': 'MB/s', minSpeed: '1', 'minSpeed:unit': 'KB/s' });
    const { changes } = parseDraft({ ...draft, minSpeed: '0.5', 'minSpeed:unit': 'MB/s' }, saved, fields);
    expect(changes).toEqual({ speedLimit: 2 * 1024 * 1024, minSpeed: 512 * 1024 });
  });

  it('turns units back into bytes a second, an empty folder into null, lines into a list', () => {
    const draft = {
      ...toDraft({ ...saved, downloadDir: '/old' }, fields),
      speedLimit: '1.5',
      'speedLimit:unit': 'MB/s',
      downloadDir: '  ',
      allowedOrigins: ' https://a.example \n\nchrome-extension://abc\n',
      notifications: false,
    };
    const { changes, problems } = parseDraft(draft, { ...saved, downloadDir: '/old' }, fields);
    expect(problems).toEqual({});
    expect(changes).toEqual({
      speedLimit: 1_572_864,
      downloadDir: null,
      allowedOrigins: ['https://a.example', 'chrome-extension://abc'],
      notifications: false,
    });
  });

  it('shows the aria2 secret as it is and saves a changed or emptied one', () => {
    const draft = toDraft(saved, fields);
    expect(draft.aria2Secret).toBe('a1b2c3');
    expect(parseDraft({ ...draft, aria2Secret: ' mine ' }, saved, fields).changes).toEqual({ aria2Secret: 'mine' });
    expect(parseDraft({ ...draft, aria2Secret: '' }, saved, fields).changes).toEqual({ aria2Secret: '' });
  });

  it('flags text that is not a number and leaves ranges to the core', () => {
    const draft = { ...toDraft(saved, fields), maxConcurrentDownloads: 'three', speedLimit: '-1', apiPort: '99999' };
    const { changes, problems } = parseDraft(draft, saved, fields);
    expect(Object.keys(problems).sort()).toEqual(['maxConcurrentDownloads', 'speedLimit']);
    expect(changes).toEqual({ apiPort: 99999 });
  });
});
