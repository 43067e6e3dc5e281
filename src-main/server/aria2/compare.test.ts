/**
 * One script, written with the published aria2 client library, run against a real
 * aria2c and against Haul's endpoint; every answer's shape must match aria2's, except
 * the differences listed below with their reason.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../core/downloads/test-server';
import { answer, notified, progressed, shapeOf, startAria2c, startHaul, type Target } from './test-targets';

const secret = 'compare-secret-7f3a';
const slowBody = randomBytes(4 * 1024 * 1024);
const fastBody = randomBytes(300_000);
type Answers = Record<string, unknown>;

/** The sequence of calls; its answers by step name. */
async function script(target: Target, files: TestServer): Promise<Answers> {
  const rpc = target.rpc;
  const a: Answers = {};
  a.getVersion = await answer(rpc.call('getVersion'));
  const slow = (await rpc.call('addUri', [files.url('/slow.bin')], {
    pause: 'true',
    out: 'slow.bin',
    split: '1',
    'max-connection-per-server': '1',
    'max-download-limit': '2M',
    'user-agent': 'compare/1.0',
  })) as string;
  a.addUri = slow;
  a.tellStatusPaused = await answer(rpc.call('tellStatus', slow));
  a.tellStatusKeys = await answer(rpc.call('tellStatus', slow, ['gid', 'status', 'totalLength', 'nosuchkey']));
  a.tellStatusByPrefix = await answer(rpc.call('tellStatus', slow.slice(0, 10), ['gid']));
  a.getUris = await answer(rpc.call('getUris', slow));
  a.getFiles = await answer(rpc.call('getFiles', slow));
  a.getOption = await answer(rpc.call('getOption', slow));
  a.tellWaiting = await answer(rpc.call('tellWaiting', 0, 10));
  const queued = (await rpc.call('addUri', [files.url('/fast.bin')], { pause: 'true', out: 'queued.bin' })) as string;
  a.changePosition = await answer(rpc.call('changePosition', queued, 0, 'POS_SET'));
  const names = (gids: { gid: string }[]) =>
    gids.map((g) => (g.gid === slow ? 'slow' : g.gid === queued ? 'queued' : '?'));
  a.waitingOrder = names((await rpc.call('tellWaiting', 0, 10, ['gid'])) as { gid: string }[]);
  a.changePositionFromEnd = await answer(rpc.call('changePosition', queued, 0, 'POS_END'));
  a.waitingOrderAfter = names((await rpc.call('tellWaiting', -1, 10, ['gid'])) as { gid: string }[]);
  a.removeWaiting = await answer(rpc.call('remove', queued));
  a.tellStatusRemovedWaiting = await answer(rpc.call('tellStatus', queued, ['status']));
  a.removeResultOfWaiting = await answer(rpc.call('removeDownloadResult', queued));
  a.unpause = await answer(rpc.call('unpause', slow));
  await notified(target, 'aria2.onDownloadStart', slow);
  await progressed(target, slow);
  a.tellActive = await answer(rpc.call('tellActive', ['gid', 'status', 'dir', 'files']));
  a.getServers = await answer(rpc.call('getServers', slow));
  a.getPeers = await answer(rpc.call('getPeers', slow));
  a.pause = await answer(rpc.call('pause', slow));
  await notified(target, 'aria2.onDownloadPause', slow);
  a.tellStatusAfterPause = await answer(rpc.call('tellStatus', slow, ['status']));
  a.pauseWhilePaused = await answer(rpc.call('pause', slow));
  a.unpauseAgain = await answer(rpc.call('unpause', slow));
  await notified(target, 'aria2.onDownloadStart', slow, 2);
  await progressed(target, slow);
  a.changeOption = await answer(rpc.call('changeOption', slow, { 'max-download-limit': '1M' }));
  a.remove = await answer(rpc.call('remove', slow));
  await notified(target, 'aria2.onDownloadStop', slow);
  a.tellStatusRemoved = await answer(rpc.call('tellStatus', slow));

  const fast = (await rpc.call('addUri', [files.url('/fast.bin')], { out: 'fast.bin' })) as string;
  await notified(target, 'aria2.onDownloadComplete', fast);
  a.tellStatusComplete = await answer(rpc.call('tellStatus', fast));
  const missing = (await rpc.call('addUri', [files.url('/missing.bin')])) as string;
  await notified(target, 'aria2.onDownloadError', missing);
  a.tellStatusError = await answer(rpc.call('tellStatus', missing));

  a.tellStopped = await answer(rpc.call('tellStopped', 0, 10, ['gid', 'status', 'errorCode']));
  a.tellStoppedBackwards = await answer(rpc.call('tellStopped', -1, 2, ['gid']));
  a.getGlobalStat = await answer(rpc.call('getGlobalStat'));
  a.multicall = await answer(
    rpc.multicall([['getGlobalStat'], ['tellStatus', fast, ['gid', 'status']], ['tellStatus', 'ffffffffffffffff']]),
  );
  a.batch = await Promise.all((await rpc.batch([['getGlobalStat'], ['tellStatus', fast, ['status']]])).map(answer));
  a.listMethods = await answer(rpc.listMethods());
  a.listNotifications = await answer(rpc.listNotifications());
  a.getSessionInfo = await answer(rpc.call('getSessionInfo'));
  a.getGlobalOption = await answer(rpc.call('getGlobalOption'));
  a.unknownGid = await answer(rpc.call('tellStatus', 'ffffffffffffffff'));
  a.invalidGid = await answer(rpc.call('tellStatus', 'xyz'));
  a.wrongSecret = await answer(target.client('not-the-secret').call('getVersion'));
  a.addTorrent = await answer(rpc.call('addTorrent', Buffer.from('not a torrent').toString('base64')));
  a.removeDownloadResult = await answer(rpc.call('removeDownloadResult', fast));
  a.tellStatusAfterRemoveResult = await answer(rpc.call('tellStatus', fast, ['gid']));
  a.purgeDownloadResult = await answer(rpc.call('purgeDownloadResult'));
  a.tellStoppedAfterPurge = await answer(rpc.call('tellStopped', 0, 10));
  a.notifications = target.notifications
    .filter((n) => [slow, fast, missing].includes(n.gid))
    .map((n) => `${n.method} ${n.gid === slow ? 'slow' : n.gid === fast ? 'fast' : 'missing'}`);
  a.gids = { slow, fast, missing };
  return a;
}

type Check = (haul: any, aria2: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const keysOf = (value: object) => Object.keys(value).sort();

/**
 * Where Haul answers differently on purpose. Every other step must have aria2's shape.
 */
const intended: Record<string, { why: string; check: Check }> = {
  getVersion: {
    why: 'Haul adds its own version as `haul`; version and features are its own',
    check: (haul, aria2) => {
      expect(keysOf(haul)).toEqual([...keysOf(aria2), 'haul'].sort());
      expect(haul.haul).toBe('9.9.9');
    },
  },
  getOption: {
    why: 'Haul answers only the options it keeps per download, a subset of aria2’s',
    check: (haul, aria2) => {
      expect(keysOf(aria2)).toEqual(expect.arrayContaining(keysOf(haul)));
      expect(haul['user-agent']).toBe('compare/1.0');
      expect(haul.split).toBe(aria2.split);
    },
  },
  getGlobalOption: {
    why: 'Haul answers only the options that map onto its settings, a subset of aria2’s',
    check: (haul, aria2) => expect(keysOf(aria2)).toEqual(expect.arrayContaining(keysOf(haul))),
  },
  listMethods: {
    why: 'Haul leaves out shutdown, forceShutdown and changeUri',
    check: (haul: string[], aria2: string[]) => {
      expect(aria2).toEqual(expect.arrayContaining(haul));
      expect(aria2.filter((m) => !haul.includes(m)).sort()).toEqual(['changeUri', 'forceShutdown', 'shutdown']);
    },
  },
  tellStatusRemovedWaiting: {
    why: 'aria2 forgets a download removed before it ran; Haul keeps it in the stopped list as removed (and announces aria2.onDownloadStop)',
    check: (haul, aria2) => {
      expect(aria2.error.message).toMatch(/is not found/);
      expect(haul).toEqual({ status: 'removed' });
    },
  },
  removeResultOfWaiting: {
    why: 'so this one is still there to remove in Haul, and already gone in aria2',
    check: (haul, aria2) => {
      expect(aria2.error.message).toMatch(/is not found/);
      expect(haul).toBe('OK');
    },
  },
  addTorrent: {
    why: 'Haul refuses torrents with its own message (aria2 tries to decode the data)',
    check: (haul, aria2) => {
      expect(shapeOf(haul)).toEqual(shapeOf(aria2));
      expect(haul.error.code).toBe(1);
      expect(haul.error.message).toMatch(/torrents are not supported/);
    },
  },
};

describe('the same aria2 client script against aria2c and Haul', () => {
  let files: TestServer;
  let aria2c: Target;
  let haul: Target;
  const results: Record<'aria2c' | 'haul', Answers> = { aria2c: {}, haul: {} };

  beforeAll(async () => {
    files = await TestServer.start();
    // Slow enough that pause and remove find it still running.
    files.file('/slow.bin', slowBody, { rateLimit: 256 * 1024 });
    files.file('/fast.bin', fastBody);
    [aria2c, haul] = await Promise.all([startAria2c(secret), startHaul(secret)]);
    [results.aria2c, results.haul] = await Promise.all([script(aria2c, files), script(haul, files)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([aria2c?.close(), haul?.close()]);
    await files?.close();
  });

  const steps = () => Object.keys(results.aria2c).filter((step) => !['gids', 'notifications'].includes(step));

  it('ran the whole script against both', () => {
    expect(steps().length).toBeGreaterThan(30);
    expect(Object.keys(results.haul).sort()).toEqual(Object.keys(results.aria2c).sort());
  });

  it('answers every step in aria2’s shape, or differs only as listed', () => {
    const mismatches: string[] = [];
    for (const step of steps()) {
      const [mine, theirs] = [results.haul[step], results.aria2c[step]];
      const rule = intended[step];
      try {
        if (rule) rule.check(mine, theirs);
        else expect(shapeOf(mine)).toEqual(shapeOf(theirs));
      } catch (error) {
        mismatches.push(
          `${step}: ${(error as Error).message}\n haul:  ${JSON.stringify(mine)}\n aria2: ${JSON.stringify(theirs)}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('gives the same statuses, error codes and lengths', () => {
    const pick = (answers: Answers) =>
      JSON.parse(
        JSON.stringify({
          paused: (answers.tellStatusPaused as { status: string }).status,
          afterPause: answers.tellStatusAfterPause,
          removed: (answers.tellStatusRemoved as { status: string }).status,
          complete: answers.tellStatusComplete && {
            status: (answers.tellStatusComplete as { status: string }).status,
            totalLength: (answers.tellStatusComplete as { totalLength: string }).totalLength,
            errorCode: (answers.tellStatusComplete as { errorCode: string }).errorCode,
          },
          error: {
            status: (answers.tellStatusError as { status: string }).status,
            errorCode: (answers.tellStatusError as { errorCode: string }).errorCode,
          },
          stopped: (answers.tellStopped as { status: string }[]).map((s) => s.status),
          pauseWhilePaused: (answers.pauseWhilePaused as { error: { code: number } }).error.code,
          unknownGid: answers.unknownGid,
          wrongSecret: answers.wrongSecret,
          multicallErrors: (answers.multicall as unknown[]).filter((r) => !Array.isArray(r)),
          afterRemoveResult: answers.tellStatusAfterRemoveResult,
          afterPurge: answers.tellStoppedAfterPurge,
          notifications: answers.notifications,
          waitingOrder: [
            answers.changePosition,
            answers.waitingOrder,
            answers.changePositionFromEnd,
            answers.waitingOrderAfter,
          ],
          listNotifications: answers.listNotifications,
        }).replace(/[0-9a-f]{16}/g, '<gid>'),
      );
    expect(pick(results.haul)).toEqual(pick(results.aria2c));
    expect((results.haul.tellStatusComplete as { totalLength: string }).totalLength).toBe(String(fastBody.length));
  });
});
