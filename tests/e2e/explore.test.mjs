// After training: a user's Hamming ranking with titles, distances, tie groups and
// held-out ratings; the user's code beside their top items' codes; code grids with bit
// balance; ST and SST rankings side by side.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openApp, screenshot } from './browser.mjs';

const ML100K = fileURLToPath(new URL('../../../shared/data/ml-100k/', import.meta.url));

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

async function train(page, { bits, epochs, binarization = 'Sign' }) {
  await page.fill('#train-form [name=bits]', String(bits));
  await page.fill('#train-form [name=epochs]', String(epochs));
  await page.selectOption('#train-form [name=binarization]', binarization);
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 180_000 });
  await page.waitForSelector('#explore:not([hidden]) table.ranking');
}

test('MovieLens 100K: user 1 ranked by Hamming distance, with titles and codes', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.locator('#data-files').setInputFiles([`${ML100K}u.data`, `${ML100K}u.item`]);
  await page.waitForFunction(() => document.querySelector('#data-stats caption')?.textContent === 'MovieLens 100K');
  await train(page, { bits: 8, epochs: 2 });

  const ranking = page.locator('table.ranking[data-binarization="Sign"] tbody tr');
  assert.equal(await ranking.count(), 10);
  const rows = await ranking.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  const distances = rows.map((r) => Number(r[2]));
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b), 'nearest first');
  for (const [rank, title, distance, tie] of rows) {
    assert.match(title, /\(\d{4}\)$/, `a movie title: ${title}`);
    assert.ok(distance >= 0 && distance <= 8);
    assert.ok(Number(tie) >= 1);
    assert.ok(Number(rank) >= 1);
  }
  // The user's code and each ranked item's code are 8-bit strings.
  assert.match(await page.textContent('#explore-user p'), /user 1's code:\s+[01]{8}$/);
  assert.equal(await ranking.first().locator('.bits span').count(), 8);
  // The user's training history lists rated movies with stars.
  const history = await page.locator('#explore-user table tbody tr td').first().textContent();
  assert.match(history, /\(\d{4}\)$/);
  assert.match(await page.textContent('#explore-user table caption'), /^user 1: \d+ training ratings/);

  // Code grids: 16 rows of 8 bits plus a balance row, for users and items.
  for (const entity of ['users', 'items']) {
    const grid = page.locator(`table.code-grid[data-entity="${entity}"] tbody tr`);
    assert.equal(await grid.count(), 17);
    assert.equal(await grid.last().locator('.balance').count(), 8);
  }

  // Another user, and an unknown one.
  await page.fill('#explore-form [name=user]', '42');
  await page.click('#explore-form button');
  await page.waitForFunction(() => /^user 42:/.test(document.querySelector('#explore-user table caption')?.textContent));
  await page.fill('#explore-form [name=user]', '99999');
  await page.click('#explore-form button');
  await page.waitForSelector('#explore-error:not([hidden])');
  assert.match(await page.textContent('#explore-error'), /no user with id "99999"/);
  await screenshot(page, 'explore-ml100k');
  await page.close();
});

test('an ST-trained model shows its ST and SST rankings side by side', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await train(page, { bits: 6, epochs: 2, binarization: 'SignScaledTanh' });
  const st = page.locator('table.ranking[data-binarization="ScaledTanh"] tbody tr');
  const sst = page.locator('table.ranking[data-binarization="SignScaledTanh"] tbody tr');
  assert.equal(await st.count(), 10);
  assert.equal(await sst.count(), 10);
  // ST ranks by inner product (real scores), SST by Hamming distance (integers).
  assert.match(await st.first().locator('td').nth(2).textContent(), /^-?\d+\.\d{3}$/);
  assert.match(await sst.first().locator('td').nth(2).textContent(), /^\d+$/);
  // The drop table is SST minus ST of the results table, per protocol and metric.
  const metric = async (bin, protocol, column) => Number(await page.locator(
    `#results tr[data-binarization="${bin}"][data-protocol="${protocol}"] td`).nth(column).textContent());
  for (const protocol of ['test-items', 'full-catalogue']) {
    for (const [key, column] of [['ndcg@2', 4], ['ndcg@10', 6], ['recall@6', 7]]) {
      const drop = Number(await page.textContent(
        `#sst-drop tr[data-protocol="${protocol}"] td[data-metric="${key}"]`));
      const expected = (await metric('SST', protocol, column)) - (await metric('ST', protocol, column));
      assert.ok(Math.abs(drop - expected) <= 1.01e-4, `${protocol} ${key}: ${drop} vs ${expected}`);
    }
  }
  assert.match(await page.textContent('#sst-drop-where'), /^Under test-items, SST (loses most at NDCG@(2|6|10) \(-0\.\d{4}\)|does not lose)/);
  await screenshot(page, 'explore-st-vs-sst');
  await page.close();
});
