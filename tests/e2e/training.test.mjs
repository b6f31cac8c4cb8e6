// Training in the worker: play to the end, the live chart and the results beside the
// floors; pause, resume and cancel while the page stays responsive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openApp, screenshot } from './browser.mjs';

const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

async function ready(page) {
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
}

const epochShown = (page, n) => page.waitForFunction(
  (min) => Number(document.getElementById('train-status').textContent.match(/^epoch (\d+)/)?.[1] ?? 0) >= min, n,
  { timeout: 60_000 });

test('CCSR trains on the default data set and reports metrics beside the floors', async () => {
  const page = await app.newPage();
  await ready(page);
  await page.fill('#train-form [name=bits]', '8');
  await page.fill('#train-form [name=epochs]', '3');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 120_000 });
  assert.equal(await page.textContent('#train-status'), 'finished: 3 epochs');
  // One chart point per epoch for each loss term.
  assert.equal(await page.locator('#train-chart canvas').count(), 1);
  assert.match(await page.textContent('#train-chart .u-legend'), /similarity.*balance.*reconstruction/s);
  const ccsr = page.locator('#results tr[data-model="CCSR"][data-protocol="test-items"] td');
  const cells = await ccsr.allTextContents();
  assert.deepEqual(cells.slice(0, 4), ['CCSR', 'S', '8', 'test-items']);
  for (const value of cells.slice(4)) assert.ok(Number(value) > 0 && Number(value) <= 1, value);
  const top = await page.locator('#results tr[data-model="Top"][data-protocol="test-items"] td').allTextContents();
  assert.equal(top[1], '–');
  await screenshot(page, 'training-finished');
  // The chart follows the window's width.
  const chartWidth = () => page.evaluate(
    () => document.querySelector('#train-chart .uplot').getBoundingClientRect().width);
  const wide = await chartWidth();
  await page.setViewportSize({ width: 520, height: 800 });
  await page.waitForFunction((before) => {
    const chart = document.querySelector('#train-chart .uplot').getBoundingClientRect().width;
    return chart < before && chart <= Math.max(280, document.getElementById('train-chart').clientWidth);
  }, wide, { timeout: 5_000 });
  const narrow = await chartWidth();
  assert.ok(narrow < wide, `${narrow} < ${wide}`);
  await screenshot(page, 'training-chart-520');
  await page.close();
});

test('ST training reports ST and SST side by side', async () => {
  const page = await app.newPage();
  await ready(page);
  await page.fill('#train-form [name=bits]', '8');
  await page.fill('#train-form [name=epochs]', '2');
  await page.selectOption('#train-form [name=binarization]', 'ScaledTanh');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 120_000 });
  assert.equal(await page.locator('#results tr[data-binarization="ST"]').count(), 2);
  assert.equal(await page.locator('#results tr[data-binarization="SST"]').count(), 2);
  await page.close();
});

test('pause, resume, step and cancel', async () => {
  const page = await app.newPage();
  await ready(page);
  await page.fill('#train-form [name=bits]', '8');
  await page.fill('#train-form [name=epochs]', '400');
  await page.click('#train-play');
  await epochShown(page, 2);
  await page.click('#train-pause');
  await page.waitForSelector('body[data-training="paused"]');
  const paused = await page.textContent('#train-status');
  const pausedAt = Number(paused.match(/after epoch (\d+)/)[1]);
  assert.ok(pausedAt >= 2 && pausedAt < 400, paused);
  // Paused runs show their current metrics.
  assert.ok(await page.locator('#results tr[data-model="CCSR"]').count() > 0);

  await page.click('#train-step');
  await page.waitForFunction((n) => document.getElementById('train-status').textContent.startsWith(`epoch ${n + 1}:`), pausedAt);

  await page.click('#train-play');
  await epochShown(page, pausedAt + 3);
  // The page answers while the worker trains.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.click('#train-cancel');
  await page.waitForSelector('body[data-training="cancelled"]');
  assert.match(await page.textContent('#train-status'), /^cancelled after epoch \d+; Play starts a new run$/);
  await screenshot(page, 'training-cancelled');

  // A new run starts from epoch 1.
  await page.fill('#train-form [name=epochs]', '1');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]');
  assert.equal(await page.textContent('#train-status'), 'finished: 1 epochs');
  await page.close();
});

test('the worker reports progress within an epoch and cancel is answered mid-epoch', async () => {
  // On ml-1m-head an epoch has 14 mini-batches of 512 (6 user, 8 item), more than the
  // worker runs per wasm call (at most 8): whatever the machine's speed, a progress
  // event with a fraction strictly between 0 and 1 arrives before the epoch's record.
  // (The synthetic set's 4 batches can fit in one call on a fast machine.)
  const served = await openApp({ data: SHARED });
  try {
    const page = await served.newPage();
    await ready(page);
    await page.waitForSelector('#data-served:not([hidden]) button');
    await page.locator('#data-served button[data-served="ml-1m-head"]').click();
    await page.waitForFunction(() => document.querySelector('#data-stats caption')?.textContent === 'MovieLens 1M');
    await page.fill('#train-form [name=bits]', '40');
    await page.fill('#train-form [name=epochs]', '400');
    await page.click('#train-play');
    await page.waitForFunction(() => {
      const bar = document.getElementById('train-progress');
      return bar && bar.value > 0 && bar.value < 1;
    }, null, { timeout: 60_000, polling: 'raf' });
    const epochOfBar = Number(await page.getAttribute('#train-progress', 'data-epoch'));
    assert.ok(epochOfBar >= 1, `progress shown for epoch ${epochOfBar}`);
    await page.click('#train-cancel');
    await page.waitForSelector('body[data-training="cancelled"]');
    assert.match(await page.textContent('#train-status'), /^cancelled after epoch \d+; Play starts a new run$/);
    assert.equal(await page.evaluate(() => document.getElementById('train-progress').value), 0);
    await page.close();
  } finally {
    await served.close();
  }
});
