import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src-common/contract';
import { downloadJob, pluginJob, taskJob } from '../test/job-fixtures';
import { urlsFromArgs, urlsFromLink } from './launch-urls';
import { chooseNotification } from './notify-choice';
import { clipboardOffer, isOpenableExternally, needsConfirmationToOpen } from './open-safety';
import { formatSpeed, trayState } from './tray-state';

const download = downloadJob;
const plugin = pluginJob;

describe('tray', () => {
  it('idle with nothing to do', () => {
    expect(trayState({ jobs: [], actionJobs: [], tasks: [] })).toEqual({
      icon: 'idle',
      tooltip: 'Haul: idle',
      progress: -1,
      badge: '',
    });
  });

  it('sums active downloads: count, overall percent, speed', () => {
    const snapshot: Snapshot = {
      jobs: [
        download({ id: '1', totalBytes: 1000, receivedBytes: 500, speed: 2_000_000 }),
        download({ id: '2', totalBytes: 1000, receivedBytes: 400, speed: 1_200_000 }),
        download({ id: '3', status: 'pending' }),
      ],
      actionJobs: [],
      tasks: [],
    };
    expect(trayState(snapshot)).toEqual({
      icon: 'active',
      tooltip: 'Haul: 2 downloading · 45% · 3.2 MB/s · 1 queued',
      progress: 0.45,
      badge: '2',
    });
  });

  it('shows the error icon while a failed job is listed', () => {
    const state = trayState({ jobs: [download({ status: 'failed' })], actionJobs: [plugin({})], tasks: [] });
    expect(state.icon).toBe('error');
    expect(state.tooltip).toBe('Haul: 1 plugin job · some failed');
  });

  it('counts running tasks and shows the error icon for a failed or timed-out one', () => {
    const running = taskJob({ status: 'running' });
    const state = trayState({ jobs: [], actionJobs: [], tasks: [running, taskJob({ status: 'suspending' })] });
    expect(state).toMatchObject({ icon: 'active', tooltip: 'Haul: 2 tasks' });
    const ended = trayState({ jobs: [], actionJobs: [], tasks: [running, taskJob({ status: 'timeout' })] });
    expect(ended).toMatchObject({ icon: 'error', tooltip: 'Haul: 1 task · some failed' });
    expect(trayState({ jobs: [], actionJobs: [], tasks: [taskJob({ status: 'paused' })] }).icon).toBe('idle');
  });

  it('formats speeds', () => {
    expect(formatSpeed(0)).toBe('0 B/s');
    expect(formatSpeed(870_000)).toBe('870 kB/s');
    expect(formatSpeed(3_210_000)).toBe('3.2 MB/s');
  });
});

describe('notifications', () => {
  it('a task that ends says how: finished, failed or timed out', () => {
    const ended = (status: 'completed' | 'failed' | 'timeout') =>
      chooseNotification('running', taskJob({ status, message: 'Done', error: null }), true)?.title;
    expect([ended('completed'), ended('failed'), ended('timeout')]).toEqual([
      'Backup finished',
      'Backup failed',
      'Backup timed out',
    ]);
    expect(chooseNotification('running', taskJob({ status: 'paused' }), true)).toBeUndefined();
  });

  it('a completed download opens its file; a failed one the job', () => {
    const done = download({ status: 'completed', result: { path: '/d/f.iso' } });
    expect(chooseNotification('processing', done, true)).toEqual({
      title: 'Download complete',
      body: 'f.iso',
      onClick: { kind: 'show-file', path: '/d/f.iso' },
    });
    const failed = download({ status: 'failed', error: { kind: 'http', message: '404' } });
    expect(chooseNotification('downloading', failed, true)).toMatchObject({
      title: 'Download failed',
      body: 'f.iso: 404',
      onClick: { kind: 'show-job', id: 'abcd1234' },
    });
  });

  it('plugin jobs notify when they end', () => {
    expect(chooseNotification('running', plugin({ status: 'completed', message: 'sha256 ok' }), true)).toMatchObject({
      title: 'Checksum finished',
      body: 'sha256 ok',
    });
  });

  it('nothing when off, for progress, or when the status did not change', () => {
    const done = download({ status: 'completed' });
    expect(chooseNotification('processing', done, false)).toBeUndefined();
    expect(chooseNotification('completed', done, true)).toBeUndefined();
    expect(chooseNotification('pending', download({}), true)).toBeUndefined();
    expect(chooseNotification('downloading', download({ status: 'paused' }), true)).toBeUndefined();
  });
});

describe('URLs from outside', () => {
  it('takes http(s) URLs from argv, skipping flags, paths and duplicates', () => {
    expect(
      urlsFromArgs(['/opt/Haul/haul', '--no-sandbox', 'https://a.example/x', '/home/me/file', 'https://a.example/x']),
    ).toEqual(['https://a.example/x']);
  });

  it('reads haul://add?url= links, with several url parameters', () => {
    const link = `haul://add?url=${encodeURIComponent('https://a.example/1')}&url=${encodeURIComponent('http://b.example/2')}`;
    expect(urlsFromLink(link)).toEqual(['https://a.example/1', 'http://b.example/2']);
  });

  it('refuses other schemes inside a haul link and other haul actions', () => {
    expect(urlsFromLink(`haul://add?url=${encodeURIComponent('file:///etc/passwd')}`)).toEqual([]);
    expect(urlsFromLink(`haul://delete?url=${encodeURIComponent('https://a.example/')}`)).toEqual([]);
    expect(urlsFromLink('javascript:alert(1)')).toEqual([]);
  });
});

describe('opening things', () => {
  it('asks before opening a program or script', () => {
    expect(needsConfirmationToOpen('/d/setup.EXE')).toBe(true);
    expect(needsConfirmationToOpen('/d/tool.AppImage')).toBe(true);
    expect(needsConfirmationToOpen('/d/install.sh')).toBe(true);
    expect(needsConfirmationToOpen('/d/movie.mkv')).toBe(false);
    expect(needsConfirmationToOpen('/d/report.pdf')).toBe(false);
  });

  it('hands only web links to the system browser', () => {
    expect(isOpenableExternally('https://example.com/')).toBe(true);
    expect(isOpenableExternally('file:///etc/passwd')).toBe(false);
    expect(isOpenableExternally('smb://host/share')).toBe(false);
  });

  it('offers a copied URL once', () => {
    const offered = new Set<string>();
    expect(clipboardOffer(' https://a.example/f.zip ', offered)).toBe('https://a.example/f.zip');
    expect(clipboardOffer('https://a.example/f.zip', offered)).toBeUndefined();
    expect(clipboardOffer('hello world', offered)).toBeUndefined();
    expect(clipboardOffer('file:///x', offered)).toBeUndefined();
  });
});
