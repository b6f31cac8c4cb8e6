// `npm start`'s server as a process: prints its URL, binds 127.0.0.1, serves the page
// with the MIME types the module worker and wasm streaming need, and refuses paths
// outside the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));

test('serve.mjs prints its URL and serves the page, the worker and the wasm', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await once(child.stdout, 'data');
    const url = String(line).match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
    assert.ok(url, `no URL in: ${line}`);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="www\/main\.js">/);
    const worker = await fetch(new URL('www/worker.js', url));
    assert.match(worker.headers.get('content-type'), /^text\/javascript/);
    const wasm = await fetch(new URL('pkg/ccsr_bg.wasm', url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    // '..' segments are resolved by URL parsing; encoded slashes must not escape the root.
    const status = await new Promise((resolve, reject) => {
      get(new URL(url), { path: '/..%2F..%2F..%2Fetc%2Fpasswd' }, (res) => resolve(res.statusCode)).on('error', reject);
    });
    assert.equal(status, 403);
  } finally {
    child.kill();
  }
});
