import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src-common/contract';
import { downloadJob, pluginJob, taskJob } from '../test/job-fixtures';
import { urlsFromArgs, urlsFromLink } from './launch-urls';
import { chooseNotification, notificationBurst, type NotificationChoice } from './notify-choice';
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

  it('groups large counts as the locale writes them', () => {
    const jobs = [
      download({ id: 'a', totalBytes: 1000, receivedBytes: 0, speed: 0 }),
      ...Array.from({ length: 9997 }, (_, i) => download({ id: `q${i}`, status: 'pending' })),
    ];
    expect(trayState({ jobs, actionJobs: [], tasks: [] }).tooltip).toBe(
      `Haul: 1 downloading · 0% · 0 B/s · ${(9997).toLocaleString()} queued`,
    );
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
      name: 'f.iso',
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

describe('a burst of notifications', () => {
  const completed = (name: string): NotificationChoice =>
    chooseNotification(
      'processing',
      download({ status: 'completed', fileName: name, result: { path: `/d/${name}` } }),
      true,
    )!;
  const failed = (name: string): NotificationChoice =>
    chooseNotification(
      'downloading',
      download({ status: 'failed', fileName: name, error: { kind: 'http', message: '404' } }),
      true,
    )!;
  let shown: NotificationChoice[] = [];
  let burst: ReturnType<typeof notificationBurst>;
  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
    burst = notificationBurst((choice) => shown.push(choice), 2000);
  });
  afterEach(() => vi.useRealTimers());

  it('one download alone notifies at once, as before', () => {
    burst.add(completed('a.iso'));
    expect(shown).toEqual([completed('a.iso')]);
    vi.advanceTimersByTime(5000);
    burst.add(completed('b.iso'));
    expect(shown).toEqual([completed('a.iso'), completed('b.iso')]);
  });

  it('500 downloads ending within seconds notify a few times, not 500', () => {
    // One every 10 ms for 5 s, two of them failed.
    for (let i = 0; i < 500; i += 1) {
      burst.add(i === 100 || i === 300 ? failed(`f${i}.bin`) : completed(`f${i}.bin`));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(5000);
    expect(shown[0]).toEqual(completed('f0.bin'));
    expect(shown.slice(1).map((n) => n.title)).toEqual([
      '198 downloads complete',
      'Download failed',
      '199 downloads complete',
      'Download failed',
      '100 downloads complete',
    ]);
    expect(shown[1]).toEqual({
      title: '198 downloads complete',
      body: 'f1.bin, f2.bin, f3.bin and 195 more',
      onClick: { kind: 'show-window' },
    });
    // A failure alone in its window keeps its reason and opens its job.
    expect(shown[2]).toEqual(failed('f100.bin'));
    const counted = shown.slice(1).reduce((sum, n) => sum + (Number(/^\d+/.exec(n.title)?.[0]) || 1), 1);
    expect(counted).toBe(500);
  });

  it('plugin jobs that ended alike in one window: one notification with their count', () => {
    const checked = (message: string) => chooseNotification('running', plugin({ status: 'completed', message }), true)!;
    for (const message of ['a ok', 'b ok', 'c ok', 'd ok', 'e ok']) burst.add(checked(message));
    vi.advanceTimersByTime(2000);
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['Checksum finished', 'a ok'],
      ['Checksum finished (4)', 'b ok, c ok, d ok and 1 more'],
    ]);
    expect(shown[1]!.onClick).toEqual({ kind: 'show-window' });
  });

  it('several failures in one window: one notification naming them', () => {
    for (const name of ['a.bin', 'b: notes.txt', 'c.bin']) burst.add(failed(name));
    vi.advanceTimersByTime(2000);
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['Download failed', 'a.bin: 404'],
      ['2 downloads failed', 'b: notes.txt, c.bin'],
    ]);
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
    for (const name of ['report.msc', 'tool.pyw', 'help.chm', 'disk.iso', 'launch.jnlp', 'run.terminal', 'go.url']) {
      expect(needsConfirmationToOpen(`/d/${name}`)).toBe(true);
    }
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
