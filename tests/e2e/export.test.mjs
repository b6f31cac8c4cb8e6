// Downloads after training: the codes in FAISS IndexBinary layout (a zip of users.u8,
// items.u8, ids.json, README.txt) and the JSON run report; their contents are checked
// against what the page shows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import { openApp, screenshot } from './browser.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

test('codes download in FAISS layout and match the codes the page shows', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  assert.equal(await page.isDisabled('#export-codes'), true, 'nothing to export before training');
  await page.fill('#train-form [name=bits]', '10');
  await page.fill('#train-form [name=epochs]', '2');
  await page.fill('#train-form [name=patience]', '1');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 180_000 });
  await page.waitForSelector('#explore:not([hidden]) table.ranking');
  assert.equal(await page.isDisabled('#export-codes'), false);

  const { name, bytes } = await downloaded(page, '#export-codes');
  assert.equal(name, 'ccsr-ccsr-10bit-Sign-faiss.zip');
  const files = unzipSync(new Uint8Array(bytes));
  assert.deepEqual(Object.keys(files).sort(),
    ['ccsr-codes/README.txt', 'ccsr-codes/ids.json', 'ccsr-codes/items.u8', 'ccsr-codes/users.u8']);
  const ids = JSON.parse(strFromU8(files['ccsr-codes/ids.json']));
  assert.equal(ids.bits, 10);
  assert.equal(ids.d, 16);
  assert.equal(ids.users.length, 600);
  assert.equal(ids.items.length, 800);
  assert.equal(files['ccsr-codes/users.u8'].length, 600 * 2);
  assert.equal(files['ccsr-codes/items.u8'].length, 800 * 2);
  assert.match(strFromU8(files['ccsr-codes/README.txt']), /users\.u8 {2}600 users x 2 bytes/);

  // User 1's row, unpacked (bit j = bit j % 8 of byte j / 8), is the code the page shows.
  const unpack = (u8, row) => Array.from({ length: 10 }, (_, j) => (u8[row * 2 + (j >> 3)] >> (j & 7)) & 1).join('');
  const shown = (await page.textContent('#explore-user p.user-code')).match(/([01]{10})$/)[1];
  assert.equal(unpack(files['ccsr-codes/users.u8'], ids.users.indexOf('1')), shown);
  // And so is the top-ranked item's.
  const first = page.locator('table.ranking tbody tr').first();
  const itemCode = await first.locator('.bits').getAttribute('aria-label');
  const distance = Number(await first.locator('td').nth(2).textContent());
  let matching = 0;
  for (let i = 0; i < ids.items.length; i++) {
    if (unpack(files['ccsr-codes/items.u8'], i) === itemCode) matching++;
  }
  assert.ok(matching >= 1, `item code ${itemCode} is in items.u8`);
  const hamming = [...shown].filter((b, j) => b !== itemCode[j]).length;
  assert.equal(hamming, distance);

  // The run report.
  const report = await downloaded(page, '#export-report');
  assert.equal(report.name, 'ccsr-ccsr-10bit-Sign-report.json');
  const json = JSON.parse(report.bytes.toString('utf8'));
  assert.equal(json.format, 'ccsr-run-report/1');
  assert.match(await page.textContent('#status'), new RegExp(`core ${json.versions.ccsr.replace(/\./g, '\\.')} ready`));
  assert.match(json.versions.paper, /Shi & Chung 2022/);
  assert.equal(json.seed, 1);
  assert.equal(json.settings.model, 'ccsr');
  assert.equal(json.settings.bits, 10);
  assert.equal(json.settings.patience, 1);
  assert.equal(json.dataset.stats.users, 600);
  assert.match(json.dataset.name, /^Synthetic/);
  assert.equal(json.epochs.length, 2);
  assert.deepEqual(json.epochs.map((e) => e.epoch), [1, 2]);
  assert.ok(json.epochs[0].loss.terms.some((t) => t.name === 'similarity'));
  assert.ok(json.epochs.every((e) => typeof e.validation.ndcg_at_10 === 'number'));
  // The final results are the table the page shows.
  const ccsr = json.results.rows.find((r) => r.protocol === 'test-items' && r.ties === 'expected');
  const cells = await page.locator('#results tr[data-model="CCSR"][data-protocol="test-items"] td').allTextContents();
  assert.equal(cells[6], ccsr['ndcg@10'].toFixed(4));
  assert.ok(json.results.floors.some((r) => r.model === 'Top'));
  assert.equal(json.results.paper.cells.length, json.results.rows.length);
  assert.match(json.results.paper.note, /^The paper has no number for Synthetic/);
  assert.equal(await page.textContent('#results-paper-note'), json.results.paper.note);
  await screenshot(page, 'export-after-training');
  await page.close();
});
