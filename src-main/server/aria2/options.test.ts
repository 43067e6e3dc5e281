import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderOf, parseSpeed, settingsChange, submitOptions } from './options';
import { errorCodeOf, pick, statusObject, windowOf } from './shapes';
import type { DownloadJob } from '../../../src-common/contract';

const downloads = '/home/user/Downloads';

describe('aria2 options onto a Haul submit', () => {
  it('maps dir, out, header, referer, user-agent, split, speed and pause', () => {
    expect(
      submitOptions(
        {
          dir: 'iso',
          out: 'debian.iso',
          header: ['Cookie: a=1', 'X-Token: t'],
          referer: 'https://site.example/page',
          'user-agent': 'Browser/1',
          split: '4',
          'max-connection-per-server': '2',
          'max-download-limit': '512K',
          pause: 'true',
          'bt-max-peers': '10',
        },
        downloads,
      ),
    ).toEqual({
      dir: `${downloads}/iso`,
      fileName: 'debian.iso',
      headers: { Cookie: 'a=1', 'X-Token': 't', Referer: 'https://site.example/page', 'User-Agent': 'Browser/1' },
      connections: 2,
      speedLimit: 512 * 1024,
      paused: true,
    });
    expect(submitOptions({ header: 'Accept: */*', pause: 'false' }, downloads)).toEqual({
      headers: { Accept: '*/*' },
    });
  });

  it('refuses option values aria2 would refuse, naming the option the aria2 way', () => {
    expect(() => submitOptions({ split: 'x' }, downloads)).toThrow("option '--split'");
    expect(() => submitOptions({ 'max-connection-per-server': '17' }, downloads)).toThrow(
      "option '--max-connection-per-server'",
    );
    expect(() => submitOptions({ 'max-download-limit': '1G' }, downloads)).toThrow("'--max-download-limit'");
    expect(() => submitOptions({ pause: 'yes' }, downloads)).toThrow("'--pause'");
    expect(() => submitOptions({ header: 'no colon' }, downloads)).toThrow("'--header'");
  });

  it('keeps every folder inside the download folder', () => {
    expect(folderOf(undefined, downloads)).toBeUndefined();
    expect(folderOf(downloads, downloads)).toBeUndefined();
    expect(folderOf(`${downloads}/a/../b`, downloads)).toBe(`${downloads}/b`);
    for (const dir of ['/etc', '..', '../Downloads2', `${downloads}/../..`, '/home/user/Downloads2']) {
      expect(() => folderOf(dir, downloads), dir).toThrow("'--dir'");
    }
  });

  it('refuses a folder whose link leads out of the download folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'haul-aria2-dir-'));
    try {
      const dl = join(root, 'Downloads');
      mkdirSync(join(dl, 'music'), { recursive: true });
      mkdirSync(join(root, 'autostart'));
      symlinkSync(join(root, 'autostart'), join(dl, 'startup'));
      symlinkSync(join(dl, 'music'), join(dl, 'tunes'));
      expect(() => folderOf('startup', dl)).toThrow("'--dir'");
      expect(() => folderOf('startup/new/deeper', dl)).toThrow("'--dir'");
      expect(() => folderOf(`${dl}/startup`, dl)).toThrow("'--dir'");
      // A link to a folder not made yet: a folder made through it would land outside.
      symlinkSync(join(root, 'not-yet'), join(dl, 'later'));
      expect(() => folderOf('later', dl)).toThrow("'--dir'");
      expect(() => folderOf('later/inner', dl)).toThrow("'--dir'");
      // A link that stays inside, a folder still to be made and a download folder reached through a link are fine.
      expect(folderOf('tunes', dl)).toBe(join(dl, 'tunes'));
      expect(folderOf('music/new/deeper', dl)).toBe(join(dl, 'music', 'new', 'deeper'));
      symlinkSync(dl, join(root, 'dl-link'));
      expect(folderOf('music', join(root, 'dl-link'))).toBe(join(root, 'dl-link', 'music'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads sizes as aria2 writes them', () => {
    expect(parseSpeed('x', '0')).toBe(0);
    expect(parseSpeed('x', 2048)).toBe(2048);
    expect(parseSpeed('x', '1.5M')).toBe(1.5 * 1024 * 1024);
    expect(parseSpeed('x', undefined)).toBeUndefined();
  });

  it('changes only the global options that mean something in Haul', () => {
    expect(
      settingsChange({
        'max-overall-download-limit': '1M',
        'max-concurrent-downloads': '5',
        split: '4',
        dir: '/elsewhere',
        'seed-time': '0',
      }),
    ).toEqual({ speedLimit: 1024 * 1024, maxConcurrentDownloads: 5, connectionsPerDownload: 4 });
  });
});

describe('aria2 shapes', () => {
  it('lists from the end, backwards, for a negative offset', () => {
    const list = [1, 2, 3, 4, 5];
    expect(windowOf(list, 0, 2)).toEqual([1, 2]);
    expect(windowOf(list, 3, 10)).toEqual([4, 5]);
    expect(windowOf(list, -1, 2)).toEqual([5, 4]);
    expect(windowOf(list, -2, 10)).toEqual([4, 3, 2, 1]);
    expect(windowOf(list, -6, 2)).toEqual([]);
    expect(windowOf(list, 0, 0)).toEqual([]);
  });

  it('uses aria2’s exit codes for Haul’s failures', () => {
    expect(errorCodeOf({ kind: 'http', status: 404, message: '' })).toBe('3');
    expect(errorCodeOf({ kind: 'http', status: 403, message: '' })).toBe('24');
    expect(errorCodeOf({ kind: 'http', status: 500, message: '' })).toBe('22');
    expect(errorCodeOf({ kind: 'network', message: 'refused' })).toBe('6');
    expect(errorCodeOf({ kind: 'network', message: 'The name x could not be resolved.' })).toBe('19');
    expect(errorCodeOf({ kind: 'disk', message: 'The disk is full (here).' })).toBe('9');
    expect(errorCodeOf({ kind: 'checksum', message: '' })).toBe('32');
    expect(errorCodeOf({ kind: 'timeout', message: '' })).toBe('2');
  });

  it('writes numbers as strings and the piece map as hex', () => {
    const job = {
      id: 'abcd0123',
      status: 'downloading',
      url: 'https://x.example/f',
      totalBytes: 5 * 1024 * 1024,
      receivedBytes: 2 * 1024 * 1024 + 5,
      speed: 1000.4,
      connections: 3,
      dir: '/d',
      fileName: 'f',
      startedAt: 1,
      result: null,
      options: {},
    } as unknown as DownloadJob;
    const shape = statusObject(job, '0123456789abcdef');
    expect(shape).toMatchObject({
      status: 'active',
      totalLength: String(5 * 1024 * 1024),
      completedLength: String(2 * 1024 * 1024 + 5),
      downloadSpeed: '1000',
      connections: '3',
      numPieces: '5',
      bitfield: 'c0',
    });
    expect(shape).not.toHaveProperty('errorCode');
    expect(pick(shape, ['gid', 'nope'])).toEqual({ gid: '0123456789abcdef' });
  });
});
