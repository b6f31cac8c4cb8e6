// The data panel's served data sets: the server started with a data folder lists them
// as buttons; a click fetches the files and loads them through the worker like picked
// files (same stats, same errors, previous data kept on failure). Data from
// ../shared/data, never committed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { openApp, screenshot } from './browser.mjs';

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

let tmp;
before(async () => { tmp = await mkdtemp(join(tmpdir(), 'ccsr-served-')); });
after(async () => { await rm(tmp, { recursive: true, force: true }); });

const stat = (page, key) => page.locator(`#data-stats tr[data-stat="${key}"] td`).last().textContent();
const ready = (page) => page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
const loaded = (page, caption) =>
  page.waitForFunction((c) => document.querySelector('#data-stats caption')?.textContent === c, caption);
const servedLabels = (page) => page.locator('#data-served button').allTextContents();

test('the data sets of ../shared/data are listed and ml-1m-head loads from the server', async () => {
  const app = await openApp({ data: SHARED });
  try {
    const page = await app.newPage();
    await ready(page);
    await page.waitForSelector('#data-served:not([hidden]) button');
    assert.deepEqual(await servedLabels(page), ['ml-100k (folder)', 'ml-1m-head (folder)']);
    await page.locator('#data-served button[data-served="ml-1m-head"]').click();
    await loaded(page, 'MovieLens 1M');
    assert.equal(await stat(page, 'users'), '2,999');
    assert.equal(await stat(page, 'items'), '3,615');
    assert.equal(await stat(page, 'ratings'), '487,650');
    assert.equal(await page.locator('#data-error').isHidden(), true);
    await screenshot(page, 'data-served-ml1m-head');

    await page.locator('#data-served button[data-served="ml-100k"]').click();
    await loaded(page, 'MovieLens 100K');
    assert.equal(await stat(page, 'users'), '943');
    assert.equal(await stat(page, 'ratings'), '100,000');
    assert.deepEqual(page.consoleMessages.filter((m) => /^(error|pageerror)/.test(m)), []);
    await page.close();
  } finally {
    await app.close();
  }
});

test('a served zip loads; a bad served file or a vanished one shows an error and keeps the data', async () => {
  const dir = await mkdtemp(join(tmp, 'data-'));
  const [data, item] = await Promise.all([readFile(`${SHARED}ml-100k/u.data`), readFile(`${SHARED}ml-100k/u.item`)]);
  await writeFile(join(dir, 'ml-100k.zip'), zipSync({ 'ml-100k/u.data': data, 'ml-100k/u.item': item }));
  await mkdir(join(dir, 'broken'));
  await writeFile(join(dir, 'broken', 'ratings.dat'), '1::1193::5::978300760\n1::661::3\n');
  const app = await openApp({ data: dir });
  try {
    const page = await app.newPage();
    await ready(page);
    await page.waitForSelector('#data-served:not([hidden]) button');
    assert.deepEqual(await servedLabels(page), ['broken (folder)', 'ml-100k.zip']);
    await page.locator('#data-served button[data-served="ml-100k.zip"]').click();
    await loaded(page, 'MovieLens 100K');
    assert.equal(await stat(page, 'users'), '943');
    assert.equal(await page.textContent('.histogram [data-rating="4"]'), '34,174');

    await page.locator('#data-served button[data-served="broken"]').click();
    await page.waitForSelector('#data-error:not([hidden])');
    const message = await page.textContent('#data-error');
    assert.match(message, /ratings\.dat line 2: expected 4 fields separated by "::", found 3/);
    assert.match(message, /previous data set is still loaded/);
    assert.equal(await page.textContent('#data-stats caption'), 'MovieLens 100K');
    assert.equal(await stat(page, 'users'), '943');
    await screenshot(page, 'data-served-error');

    await rm(join(dir, 'ml-100k.zip'));
    await page.locator('#data-served button[data-served="ml-100k.zip"]').click();
    await page.waitForFunction(() => /could not fetch data\/ml-100k\.zip: HTTP 404/.test(document.querySelector('#data-error').textContent));
    assert.equal(await stat(page, 'users'), '943');
    await page.close();
  } finally {
    await app.close();
  }
});

test('without served data sets the page offers none', async () => {
  const app = await openApp({ data: await mkdtemp(join(tmp, 'empty-')) });
  try {
    const page = await app.newPage();
    await ready(page);
    await page.waitForSelector('#data-served[data-listed="0"]', { state: 'attached' });
    assert.equal(await page.locator('#data-served').isHidden(), true);
    assert.equal(await page.locator('#data-served button').count(), 0);
    await page.close();
  } finally {
    await app.close();
  }
});
