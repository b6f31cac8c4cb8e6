// The page loads the wasm core in a module worker and shows what the worker computed;
// a Rust panic in the worker reaches the page as a readable message, and the fresh
// worker that replaces it gets the data set the user had loaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openApp, screenshot } from './browser.mjs';

const ML100K = fileURLToPath(new URL('../../../shared/data/ml-100k/', import.meta.url));

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

test('the worker answers with the Figure 2 comparison', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  assert.match(await page.textContent('#status'), /WebAssembly core \d+\.\d+\.\d+ ready \(relaxed SIMD,/);
  // Chromium compiles relaxed SIMD, so the worker runs the fused multiply-add build.
  assert.equal(await page.getAttribute('body', 'data-wasm-build'), 'relaxed-simd');

  // The toy opens on Figure 2, left, computed in the worker.
  await page.waitForSelector('body[data-toy="ready"]');
  const cells = (key) => page.locator(`#toy-table tr[data-representation="${key}"] td`).allTextContents();
  // Continuous: a.b = 1*1 + 0.1*(-0.1) = 0.99 > a.c = 0.2 + 0.03 = 0.23.
  assert.deepEqual((await cells('continuous')).slice(1), ['0.990', '0.230', 'b']);
  // Sign codes: a = c = (+,+), b = (+,-): Hamming 1 vs 0, so c is closer.
  assert.equal((await cells('sign')).at(-1), 'c');
  await page.click('#toy-preset-tie');
  await page.waitForFunction(() => document.querySelector('#toy-table tr[data-representation="sign_scaled_tanh"] td:last-child')?.textContent === 'tie');
  assert.equal((await cells('scaled_tanh')).at(-1), 'b');

  // Moving the alpha slider recomputes in the worker.
  await page.locator('#toy-alpha').fill('1');
  await page.waitForFunction(() => document.getElementById('toy-alpha-value').textContent === '1');
  await screenshot(page, 'foundation');
  assert.deepEqual(page.consoleMessages.filter((m) => m.startsWith('error') || m.startsWith('pageerror')), []);
  await page.close();
});

test('a panic in the worker reaches the page as a readable error, and the app recovers', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  const rejected = await page.evaluate(() =>
    window.ccsr.request('panic', { message: 'deliberate test panic' }).then(() => null, (e) => e.message));
  assert.match(rejected, /the wasm core panicked: panicked at src\/wasm\.rs:\d+:\d+:\s+deliberate test panic/);
  await page.waitForSelector('body[data-error="shown"]');
  assert.match(await page.textContent('#error'), /deliberate test panic/);
  assert.match(await page.textContent('#error'), /src\/wasm\.rs/);
  // A fresh worker answers afterwards.
  const figure = await page.evaluate(() => window.ccsr.request('toy', { example: 'sst-tie', alpha: 3 }));
  assert.equal(figure.alpha, 3);
  await screenshot(page, 'worker-panic');
  await page.close();
});

test('after a panic the fresh worker gets the data set the user had, not the default', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.locator('#data-files').setInputFiles([`${ML100K}u.data`, `${ML100K}u.item`]);
  await page.waitForFunction(() => document.querySelector('#data-stats caption')?.textContent === 'MovieLens 100K');
  await page.evaluate(() => window.ccsr.request('panic', { message: 'panic after loading files' }).catch(() => null));
  await page.waitForFunction(() => /was restarted; MovieLens 100K was loaded again/.test(document.getElementById('status').textContent));
  await page.waitForSelector('body[data-status="ready"]');
  // The new worker holds the replayed files (File objects kept on the main thread).
  const summary = await page.evaluate(() => window.ccsr.request('summary'));
  assert.equal(summary.name, 'MovieLens 100K');
  assert.equal(summary.stats.users, 943);
  assert.equal(summary.stats.ratings, 100000);
  assert.equal(await page.evaluate(() => window.ccsr.lastLoad.type), 'loadFiles');
  assert.equal(await page.textContent('#data-stats caption'), 'MovieLens 100K');
  // And it trains on them.
  await page.fill('#train-form [name=bits]', '8');
  await page.fill('#train-form [name=epochs]', '1');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 180_000 });
  await page.waitForSelector('#explore:not([hidden]) table.ranking');
  assert.match(await page.textContent('table.ranking tbody tr td:nth-child(2)'), /\(\d{4}\)$/);
  await screenshot(page, 'worker-panic-reload');
  await page.close();
});

test('a bad request is an error message, not a crash', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  const message = await page.evaluate(() =>
    window.ccsr.request('toy', { example: 'sst-tie', alpha: -1 }).then(() => null, (e) => e.message));
  assert.match(message, /alpha must be a positive number, got -1/);
  await page.close();
});
