import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// In a child process: the test runner's own modules may have loaded undici already.
function loadsUndiciIndex(options: string): boolean {
  const module = fileURLToPath(new URL('./engine-options.ts', import.meta.url));
  const script = `
    import { createRequire } from 'node:module';
    const { createDispatcher } = await import(${JSON.stringify(module)});
    const dispatcher = createDispatcher(${options}, 1000);
    const cache = createRequire(import.meta.url).cache;
    console.log(JSON.stringify({ index: Object.keys(cache).some((f) => /undici[\\\\/]index\\.js$/.test(f)), kind: dispatcher.constructor.name }));
    await dispatcher.close();`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '' },
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  const { index, kind } = JSON.parse(child.stdout) as { index: boolean; kind: string };
  expect(kind).toBe(options.includes('proxy: "') ? 'ProxyAgent' : 'Agent');
  return index;
}

it("direct downloads load undici's agent without its index (fetch, WebSocket, mocks: 7 MB); a proxy loads all", () => {
  expect(loadsUndiciIndex('{ proxy: null }')).toBe(false);
  expect(loadsUndiciIndex('{ proxy: "http://127.0.0.1:9" }')).toBe(true);
});
