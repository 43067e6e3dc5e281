import { expect, startHaul, test } from './fixtures';
import { goTo, openApp, row, rpc, shoot } from './ui';

const jobCount = 10_000;
const perSubmit = 2_000;

test('10,000 downloads: the DOM holds only the rows in view, and a progress event re-renders only its row', async ({
  page,
  files,
}) => {
  test.setTimeout(180_000);
  // Its own instance: ten thousand queued jobs would crowd every other test's table.
  const { server, child, cleanup } = await startHaul();
  try {
    for (let first = 0; first < jobCount; first += perSubmit) {
      const lines = Array.from(
        { length: perSubmit },
        (_, i) => `http://127.0.0.1:9/scale/file-${String(first + i).padStart(5, '0')}.bin`,
      );
      const answer = (await rpc(server, 'downloads.submit', { url: lines.join('\n'), paused: true })) as {
        value: { jobs: unknown[] };
      };
      expect(answer.value.jobs).toHaveLength(perSubmit);
    }
    await openApp(page, server, { countRenders: true });
    await expect(page.getByTestId('tab-all').locator('.count')).toHaveText(jobCount.toLocaleString('en-US'), {
      timeout: 30_000,
    });
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Name' });
    await expect(row(page, 'file-00000.bin')).toBeVisible();

    // Scroll to the end in steps, two frames each; count the rows in the DOM at every step.
    const rows = page.locator('[data-testid^="row-"]');
    const body = page.getByTestId('downloads-body');
    const steps = 50;
    let most = 0;
    const started = performance.now();
    for (let step = 1; step <= steps; step += 1) {
      await body.evaluate(async (element, share) => {
        element.scrollTop = share * (element.scrollHeight - element.clientHeight);
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }, step / steps);
      most = Math.max(most, await rows.count());
    }
    const took = performance.now() - started;
    console.log(`Scrolled ${jobCount} rows to the end in ${steps} steps: ${Math.round(took)} ms (for information)`);
    await expect(row(page, 'file-09999.bin')).toBeVisible();
    expect(most).toBeGreaterThan(5);
    expect(most).toBeLessThan(100);

    // Newest first again, and one real download on top of the ten thousand paused ones.
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Date added' });
    await body.evaluate((element) => (element.scrollTop = 0));
    await rpc(server, 'downloads.submit', {
      url: files.file('scale-moving.bin', { size: 8_000_000, rate: 1_000_000 }),
    });
    const moving = row(page, 'scale-moving.bin');
    await expect(moving).toHaveAttribute('data-status', 'downloading');
    const movingId = (await moving.getAttribute('data-testid'))!.slice('row-'.length);
    const counts = () => page.evaluate(() => ({ ...window.__haulRenders }));
    const before = await counts();
    await expect
      .poll(async () => (await counts())[movingId]! - before[movingId]!, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    const after = await counts();
    const others = Object.keys(before).filter((id) => id !== movingId && after[id] !== before[id]);
    expect(others).toEqual([]);
    expect(await rows.count()).toBeLessThan(100);
    // The job panel lists a few and counts the rest.
    await expect(page.getByTestId('job-panel')).toContainText('more in Downloads');
    await shoot(page, 'downloads-10k');

    // The Queues view counts them too, in grouped numbers.
    await goTo(page, 'Queues');
    const paused = page.getByTestId('queue-download').locator('.count-cell', { hasText: 'Paused' }).locator('dd');
    await expect(paused).toHaveText(jobCount.toLocaleString('en-US'));

    // Select all and cancel: every one cancelled, nothing refused. (Ten thousand requests
    // at once once exhausted the browser's sockets and most of them failed.)
    await goTo(page, 'Downloads');
    await row(page, 'file-09999.bin').click();
    await page.keyboard.press('ControlOrMeta+a');
    await expect(page.getByTestId('selection-count')).toHaveText(`${(jobCount + 1).toLocaleString('en-US')} selected`);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const cancelled = async () => {
      const answer = (await rpc(server, 'jobs.queues')) as { value: { queues: { counts: Record<string, number> }[] } };
      return answer.value.queues[0]!.counts.cancelled ?? 0;
    };
    await expect.poll(cancelled, { timeout: 60_000 }).toBeGreaterThanOrEqual(jobCount);
    await expect(page.locator('.notice-error')).toHaveCount(0);
    await shoot(page, 'downloads-10k-cancelled');
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    cleanup();
  }
});
