#!/usr/bin/env node
// Renders resources/icon.svg into the Linux icon set electron-builder installs
// (resources/icons/<size>x<size>.png, the hicolor sizes) with Debian's Chromium.
// Run it after changing the icon: `node scripts/make-icons.mjs`.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'resources/icon.svg'), 'utf8');
const out = join(root, 'resources/icons');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.HAUL_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
    );
    await page.screenshot({ path: join(out, `${size}x${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
