// `npm start`'s server as a process: prints its URL, binds 127.0.0.1, serves the page
// with the MIME types the module worker and wasm streaming need, and refuses paths
// outside the repository; with a data folder (--data DIR or CCSR_DATA) it lists the
// data sets there under /data/ and serves their files, read-only, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get, request } from 'node:http';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/data', import.meta.url));

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

/** Spawns serve.mjs with `args` and `env`; resolves to { url, lines, child }. */
async function spawnServer(args, env = {}) {
  const child = spawn(process.execPath, [SERVER, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, INIT_CWD: '', ...env },
  });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  while (!/\n.*\n/.test(out)) await once(child.stdout, 'data');
  return { url: out.match(/http:\/\/127\.0\.0\.1:\d+\//)[0], lines: out, child };
}

const rawStatus = (url, path, method = 'GET') => new Promise((resolve, reject) => {
  request(new URL(url), { path, method }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject).end();
});

test('serve.mjs --data DIR lists its data sets under /data/ and serves their files read-only', async () => {
  const { url, lines, child } = await spawnServer(['--data', SHARED]);
  try {
    assert.match(lines, /data sets from .*shared\/data under \/data\/: ml-100k, ml-1m-head/);
    const listing = await (await fetch(new URL('data/', url))).json();
    assert.deepEqual(listing, {
      datasets: [
        { name: 'ml-100k', kind: 'folder', format: 'ml-100k', files: ['ml-100k/u.data', 'ml-100k/u.item', 'ml-100k/u.user'] },
        { name: 'ml-1m-head', kind: 'folder', format: 'ml-1m', files: ['ml-1m-head/ratings.dat', 'ml-1m-head/movies.dat', 'ml-1m-head/users.dat'] },
      ],
    });
    const served = Buffer.from(await (await fetch(new URL('data/ml-1m-head/movies.dat', url))).arrayBuffer());
    assert.ok(served.equals(await readFile(join(SHARED, 'ml-1m-head/movies.dat'))));
    // Only listed files: not other files of the folder, nothing outside it.
    assert.equal(await rawStatus(url, '/data/ml-100k/u1.base'), 404);
    assert.equal(await rawStatus(url, '/data/ml-100k/README'), 404);
    assert.equal(await rawStatus(url, '/data/..%2F..%2F..%2Fetc%2Fpasswd'), 404);
    assert.equal(await rawStatus(url, '/data/ml-100k%2F..%2F..%2FREADME.md'), 404);
    assert.equal(await rawStatus(url, '/data/../../etc/passwd'), 404); // URL parsing makes it /etc/passwd
    assert.equal(await rawStatus(url, '/data/%E0%A4%A'), 400);
    assert.equal(await rawStatus(url, '/data/ml-100k/u.data', 'PUT'), 405);
    assert.equal(await rawStatus(url, '/data/ml-100k/u.data', 'DELETE'), 405);
  } finally {
    child.kill();
  }
});

test('the data folder comes from CCSR_DATA too, holds zips, and may be a data set itself', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ccsr-serve-'));
  try {
    await writeFile(join(dir, 'ml-100k.zip'), 'zip bytes');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    await mkdir(join(dir, 'ML-1M'));
    await writeFile(join(dir, 'ML-1M', 'Ratings.dat'), '1::1::5::0\n');
    await writeFile(join(dir, 'ratings.dat'), '1::2::4::0\n');
    const { url, child } = await spawnServer([], { CCSR_DATA: dir });
    try {
      const { datasets } = await (await fetch(new URL('data/', url))).json();
      assert.deepEqual(datasets, [
        { name: basename(dir), kind: 'folder', format: 'ml-1m', files: ['ratings.dat'] },
        { name: 'ML-1M', kind: 'folder', format: 'ml-1m', files: ['ML-1M/Ratings.dat'] },
        { name: 'ml-100k.zip', kind: 'zip', format: 'ml-100k', files: ['ml-100k.zip'] },
      ]);
      const zip = await fetch(new URL('data/ml-100k.zip', url));
      assert.equal(zip.headers.get('content-type'), 'application/zip');
      assert.equal(await zip.text(), 'zip bytes');
      assert.equal(await (await fetch(new URL('data/ML-1M/Ratings.dat', url))).text(), '1::1::5::0\n');
      assert.equal(await rawStatus(url, '/data/notes.txt'), 404);
    } finally {
      child.kill();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve.mjs refuses a --data that is not a folder', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--data', '/nonexistent/ccsr-data'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk) => { err += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 1);
  assert.match(err, /data folder \/nonexistent\/ccsr-data: not a folder/);
});
