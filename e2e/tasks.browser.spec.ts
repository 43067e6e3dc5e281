import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { HaulServer } from './fixtures';
import { downloadAll, goTo, openApp, panelItem, progressOf, rpc, shoot } from './ui';

interface Task {
  id: string;
  status: string;
  control: string;
  progress: number;
}

/** Calls a task route the way a script with curl does: bearer token, JSON body, bare answer. */
async function rest(haul: HaulServer, path: string, body: object): Promise<Task> {
  const token = decodeURIComponent(/token=([^&]+)/.exec(new URL(haul.signInUrl).hash)?.[1] ?? '');
  const response = await fetch(`${haul.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Task;
  expect(response.ok, `${path}: ${JSON.stringify(answer)}`).toBe(true);
  return answer;
}

const icon =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" ' +
  'stroke="#2563eb" stroke-width="2"><path d="M21 16V8l-9-5-9 5v8l9 5z"/><path d="M3 8l9 5 9-5M12 13v8"/></svg>';
const hostileIcon =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__owned=1"><script>window.__owned=2</script>' +
  '<image href="https://evil.example/x.png" width="24" height="24"/><circle cx="12" cy="12" r="9" fill="#b42318"/></svg>';

const card = (page: Page, id: string) => page.getByTestId(`job-card-${id}`);

test('with no task yet the Jobs view says how a script creates one', async ({ page, haul }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, haul);
  await goTo(page, 'Jobs');
  await expect(page.getByTestId('jobs-empty')).toContainText(`curl ${haul.url}/v1/jobs`);
  await expect(page.getByText('Nothing finished yet.')).toBeVisible();
  await shoot(page, 'jobs-empty');
});

test('a task created over REST shows in the Jobs view and the panel; pause reaches its creator; cancel ends it', async ({
  page,
  haul,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, haul);
  await goTo(page, 'Jobs');

  const name = 'Back up the photo library';
  const task = await rest(haul, '/v1/jobs', {
    name,
    description: 'Copies new photos to the NAS and checks each copy',
    type: 'backup',
    source: 'backup.sh',
    iconSvg: icon,
    suspendable: true,
    start: true,
    metadata: {
      folder: '/home/ana/Pictures',
      files: 1200,
      target: { host: 'nas.local', share: 'photos' },
      note: 'a long value '.repeat(30),
    },
  });
  const other = await rest(haul, '/v1/jobs', {
    name: 'Convert holiday video',
    type: 'convert',
    source: 'ffmpeg-wrapper',
    iconSvg: hostileIcon,
    start: true,
  });

  // Waiting for its creator, with a name and words too long for one line.
  const waiting = await rest(haul, '/v1/jobs', {
    name: 'Synchronise the shared team calendar with every member of the extended project group, twice',
    description: `Reads ${'https://calendar.example/very/long/path/segment/'.repeat(6)} and writes it back`,
    source: 'calendar-sync',
    metadata: { unbroken: 'x'.repeat(400), emptyText: '', list: [1, 2, 3] },
  });
  await expect(card(page, waiting.id)).toHaveAttribute('data-status', 'pending');

  const item = card(page, task.id);
  await expect(item).toHaveAttribute('data-status', 'running');
  await expect(item).toContainText('Copies new photos to the NAS');
  await expect(item).toContainText('backup');
  await expect(item).toContainText('by backup.sh (a script)');
  await expect(item.getByRole('definition').filter({ hasText: '/home/ana/Pictures' })).toBeVisible();
  await expect(item).toContainText('{"host":"nas.local","share":"photos"}');
  // The long value is cut on screen, whole in its tooltip.
  await expect(item.locator('dd', { hasText: 'a long value' })).toHaveText(/…$/);

  // The icon is an image of a data: URL that loaded (the page's CSP allows it), never markup.
  const image = item.getByTestId('task-icon');
  await expect(image).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  const hostile = card(page, other.id);
  await expect(hostile.getByTestId('task-icon')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  expect(await page.locator('main svg script, main svg image, main foreignObject').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();
  await expect(hostile.getByRole('button', { name: /^Suspend/ })).toHaveCount(0);
  await expect(item.getByRole('button', { name: `Suspend ${name}` })).toBeVisible();

  // The panel lists it too, with its icon and controls.
  const inPanel = panelItem(page, name);
  await expect(inPanel).toHaveAttribute('data-status', 'running');
  await expect(inPanel.getByTestId('task-icon')).toBeVisible();
  await expect(inPanel.getByRole('button', { name: `Pause ${name}` })).toBeVisible();

  // Its details from the panel: what it is, who made it, its metadata.
  await inPanel.getByRole('button', { name, exact: true }).click();
  const drawer = page.getByRole('complementary', { name: `Details of ${name}` });
  await expect(drawer).toContainText('Copies new photos to the NAS');
  await expect(drawer).toContainText('backup.sh');
  await expect(drawer).toContainText('/home/ana/Pictures');
  await drawer.getByRole('button', { name: 'Close details' }).click();

  // Progress reported over REST moves both bars, and the merged metadata shows.
  const answer = await rest(haul, `/v1/jobs/${task.id}/progress`, {
    progress: 40,
    message: 'Copying IMG_0480.jpg',
    metadata: { files: 480 },
  });
  expect(answer.control).toBe('continue');
  await expect.poll(() => progressOf(item)).toBe(40);
  await expect.poll(() => progressOf(inPanel)).toBe(40);
  await expect(item).toContainText('Copying IMG_0480.jpg');
  await expect(item.getByRole('definition').filter({ hasText: /^480$/ })).toBeVisible();
  await expect(item).toContainText('/home/ana/Pictures');
  await shoot(page, 'jobs-view');

  // Pause from the view: the creator reads it on its next report.
  await item.getByRole('button', { name: `Pause ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'paused');
  await expect(inPanel).toHaveAttribute('data-status', 'paused');
  expect((await rest(haul, `/v1/jobs/${task.id}/progress`, {})).control).toBe('pause');

  // Resume from the panel: back to continue.
  await inPanel.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'running');
  expect((await rest(haul, `/v1/jobs/${task.id}/progress`, { progress: 55 })).control).toBe('continue');
  await expect.poll(() => progressOf(inPanel)).toBe(55);

  // The collapsed details of the panel, for the screenshot with the Downloads view behind it.
  await goTo(page, 'Downloads');
  await shoot(page, 'jobs-panel-task');
  await goTo(page, 'Jobs');

  // Cancel from the view: it ends, and the creator is told to stop.
  await item.getByRole('button', { name: `Cancel ${name}` }).click();
  const finished = page.getByRole('list', { name: 'Finished jobs' }).getByTestId(`job-card-${task.id}`);
  await expect(finished).toHaveAttribute('data-status', 'cancelled');
  await expect(
    page.getByRole('list', { name: 'Running and waiting jobs' }).getByTestId(`job-card-${task.id}`),
  ).toHaveCount(0);
  await expect(inPanel).toHaveAttribute('data-status', 'cancelled');
  expect((await rest(haul, `/v1/jobs/${task.id}/progress`, {})).control).toBe('cancel');
  await expect(finished.getByRole('button', { name: `Retry ${name}` })).toBeVisible();

  // Failed: retry is offered and works.
  await rest(haul, `/v1/jobs/${other.id}/fail`, { message: 'ffmpeg exited with 1', retry: false });
  const failed = page.getByRole('list', { name: 'Finished jobs' }).getByTestId(`job-card-${other.id}`);
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed).toContainText('ffmpeg exited with 1');
  await failed.getByRole('button', { name: 'Retry Convert holiday video' }).click();
  await expect(card(page, other.id)).toHaveAttribute('data-status', 'pending');
});

test('a plugin job shows in the Jobs view, and once finished under Plugin jobs', async ({ page, haul, files }) => {
  await openApp(page, haul);
  await downloadAll(page, [files.file('sum-me.bin', { size: 200_000 })], ['sum-me.bin']);
  const listed = (await rpc(haul, 'library.list', {})) as { value: { resources: { id: number }[] } };
  const resourceId = listed.value.resources[0]!.id;
  await goTo(page, 'Jobs');
  const run = (await rpc(haul, 'actions.run', {
    pluginName: 'checksum',
    actionId: 'checksum',
    resourceId,
    params: { algorithm: 'sha256' },
  })) as { value: { kind: string; job: { id: string } } };
  expect(run.value.kind).toBe('job');
  await page.getByRole('tab', { name: 'Plugin jobs' }).click();
  const finished = page.getByRole('list', { name: 'Finished jobs' }).getByTestId(`job-card-${run.value.job.id}`);
  await expect(finished).toHaveAttribute('data-status', 'completed');
  await expect(finished).toContainText('Compute checksum');
  await expect(finished).toContainText('by the checksum plugin');
  await expect(finished.getByRole('button', { name: /^(Pause|Suspend)/ })).toHaveCount(0);
});

test('finished tasks come a page at a time', async ({ page, haul }) => {
  await openApp(page, haul);
  for (let i = 0; i < 22; i += 1) {
    const task = await rest(haul, '/v1/jobs', { name: `Export part ${i}`, type: 'export', start: true });
    await rest(haul, `/v1/jobs/${task.id}/complete`, {});
  }
  const listed = (await rpc(haul, 'jobs.list', { source: 'task', status: 'completed,failed,cancelled,timeout' })) as {
    value: { total: number };
  };
  const total = listed.value.total;
  expect(total).toBeGreaterThan(20);
  await goTo(page, 'Jobs');
  const pager = page.getByRole('navigation', { name: 'Pages of finished jobs' });
  const finished = page.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem');
  await expect(pager).toContainText(`1–20 of ${total}`);
  await expect(finished).toHaveCount(20);
  await expect(finished.first()).toContainText('Export part');
  await pager.getByRole('button', { name: 'Older' }).click();
  await expect(pager).toContainText(`21–${total} of ${total}`);
  await expect(finished).toHaveCount(total - 20);
  await expect(pager.getByRole('button', { name: 'Older' })).toBeDisabled();
});

test('Suspend asks a suspendable task to stop at its next checkpoint; Resume hands it back', async ({ page, haul }) => {
  await openApp(page, haul);
  await goTo(page, 'Jobs');
  const name = 'Re-encode the archive';
  const task = await rest(haul, '/v1/jobs', { name, suspendable: true, start: true });
  const item = card(page, task.id);
  await expect(item).toHaveAttribute('data-status', 'running');
  await item.getByRole('button', { name: `Suspend ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'suspending');
  // The creator's next report is its checkpoint: it is told to suspend, and is suspended.
  const answer = await rest(haul, `/v1/jobs/${task.id}/progress`, { progress: 30, state: { offset: 300 } });
  expect(answer.control).toBe('suspend');
  await expect(item).toHaveAttribute('data-status', 'suspended');
  await item.getByRole('button', { name: `Resume ${name}` }).click();
  await expect(item).toHaveAttribute('data-status', 'pending');
});

test('the Queues view counts tasks; a panel full of tasks points to the Jobs view', async ({ page, haul }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, haul);
  // More running tasks than the panel lists (50): the rest are counted under it.
  const made: Task[] = [];
  for (let i = 0; i < 53; i += 1) {
    made.push(await rest(haul, '/v1/jobs', { name: `Overflow task ${i}`, type: 'overflow', start: true }));
  }
  const more = page.getByRole('button', { name: /more in Jobs/ });
  await expect(more).toBeVisible();
  await expect.poll(async () => Number(/\d+/.exec((await more.textContent()) ?? '')?.[0])).toBeGreaterThanOrEqual(3);
  await more.click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  await goTo(page, 'Queues');
  const queue = page.getByTestId('queue-task');
  await expect(queue.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  await expect(queue.locator('.count-cell', { hasText: 'Running' }).locator('dd')).not.toHaveText('0');
  await shoot(page, 'queues-tasks');
  for (const task of made) await rest(haul, `/v1/jobs/${task.id}/cancel`, {});
});

test('the Queues view reads its counts while a task reports progress ten times a second', async ({ page, haul }) => {
  await openApp(page, haul);
  const task = await rest(haul, '/v1/jobs', { name: 'Chatty task', type: 'chatty', start: true });
  let reporting = true;
  const reports = (async () => {
    for (let progress = 1; reporting && progress < 600; progress += 1) {
      await rest(haul, `/v1/jobs/${task.id}/progress`, { progress: progress % 100 });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    await goTo(page, 'Queues');
    // Read within a second or so, not once the task falls quiet (it once never was).
    const running = page.getByTestId('queue-task').locator('.count-cell', { hasText: 'Running' }).locator('dd');
    await expect(running).toHaveText('1', { timeout: 5_000 });
  } finally {
    reporting = false;
    await reports;
    await rest(haul, `/v1/jobs/${task.id}/cancel`, {});
  }
});
