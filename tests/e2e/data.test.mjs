// The data panel: the synthetic default, MovieLens 100K from a zip built here and from
// picked files (../shared/data, never committed), and a malformed file whose error
// names file and line while the previous data set stays loaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { openApp, screenshot } from './browser.mjs';

const ML100K = fileURLToPath(new URL('../../../shared/data/ml-100k/', import.meta.url));

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

const stat = (page, key) => page.locator(`#data-stats tr[data-stat="${key}"] td`).last().textContent();

async function ready(page) {
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
}

async function loaded(page, caption) {
  await page.waitForFunction((c) => document.querySelector('#data-stats caption')?.textContent === c, caption);
}

test('the built-in synthetic data set loads by default', async () => {
  const page = await app.newPage();
  await ready(page);
  assert.match(await page.textContent('#data-stats caption'), /synthetic/i);
  assert.equal(await stat(page, 'users'), '600');
  assert.match(await stat(page, 'split'), /^per-user 80\/20 \(seed 1\)/);
  assert.equal(await page.locator('.histogram .bar').count(), 5);
  await page.close();
});

test('MovieLens 100K loads from a zip and from picked files', async () => {
  const page = await app.newPage();
  await ready(page);
  const [data, item] = await Promise.all([readFile(`${ML100K}u.data`), readFile(`${ML100K}u.item`)]);
  const zip = zipSync({ 'ml-100k/u.data': data, 'ml-100k/u.item': item });
  await page.locator('#data-files').setInputFiles({ name: 'ml-100k.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await loaded(page, 'MovieLens 100K');
  assert.equal(await stat(page, 'users'), '943');
  assert.equal(await stat(page, 'items'), '1,682');
  assert.equal(await stat(page, 'ratings'), '100,000');
  assert.equal(await page.textContent('.histogram [data-rating="4"]'), '34,174');
  await screenshot(page, 'data-ml100k-zip');

  await page.locator('#data-synthetic').click();
  await page.waitForFunction(() => /synthetic/i.test(document.querySelector('#data-stats caption')?.textContent));
  await page.locator('#data-files').setInputFiles([`${ML100K}u.data`, `${ML100K}u.item`]);
  await loaded(page, 'MovieLens 100K');
  assert.equal(await stat(page, 'ratings'), '100,000');
  await page.close();
});

test('a malformed file shows the reader error and keeps the previous data set', async () => {
  const page = await app.newPage();
  await ready(page);
  const bad = '1::1193::5::978300760\n1::661::3\n';
  await page.locator('#data-files').setInputFiles({ name: 'ratings.dat', mimeType: 'text/plain', buffer: Buffer.from(bad) });
  await page.waitForSelector('#data-error:not([hidden])');
  const message = await page.textContent('#data-error');
  assert.match(message, /ratings\.dat line 2: expected 4 fields separated by "::", found 3/);
  assert.match(message, /previous data set is still loaded/);
  assert.match(await page.textContent('#data-stats caption'), /synthetic/i);
  assert.equal(await stat(page, 'users'), '600');
  await screenshot(page, 'data-error');

  // A truncated zip is an error too.
  const zip = zipSync({ 'ml-100k/u.data': await readFile(`${ML100K}u.data`) });
  await page.locator('#data-files').setInputFiles({ name: 'ml-100k.zip', mimeType: 'application/zip', buffer: Buffer.from(zip.subarray(0, 5000)) });
  await page.waitForFunction(() => /ml-100k\.zip/.test(document.querySelector('#data-error').textContent));
  assert.equal(await stat(page, 'users'), '600');
  await page.close();
});
