// The page's state lives in its URL: opening a link restores the training form, the toy
// and the explored user; invalid values are ignored with a visible note; every change
// rewrites the URL in place; "Copy link" copies it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './browser.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

async function ready(page) {
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.waitForSelector('body[data-toy="ready"]');
}

const field = (page, name) => page.inputValue(`#train-form [name=${name}]`);

test('a link restores the form, the toy and the explored user, and training uses them', async () => {
  const query = '?model=aecf&bits=8&binarization=SignScaledTanh&epochs=2&seed=7&learning_rate=0.002'
    + '&lambda_ae=0.2&patience=3&toy=0.5,0.5;0.2,-0.3;-0.4,0.1&alpha=2.5&user=42&data=synthetic';
  const page = await app.newPage(query);
  await ready(page);
  assert.equal(await page.isHidden('#url-note'), true);
  const expected = { model: 'aecf', bits: '8', binarization: 'SignScaledTanh', epochs: '2', seed: '7',
    learning_rate: '0.002', lambda_b: '', lambda_ae: '0.2', patience: '3', lambda_q: '', unrated_weight: '' };
  for (const [name, value] of Object.entries(expected)) assert.equal(await field(page, name), value, name);
  assert.equal(await page.inputValue('#toy-alpha'), '2.5');
  assert.equal(await page.textContent('#toy-alpha-value'), '2.5');
  assert.equal(await page.locator('#toy-codes tr[data-entity="b"] td').nth(1).textContent(), '(0.20, -0.30)');
  // a.b = 0.1 - 0.15 = -0.05, a.c = -0.2 + 0.05 = -0.15.
  const continuous = await page.locator('#toy-table tr[data-representation="continuous"] td').allTextContents();
  assert.deepEqual(continuous.slice(1), ['-0.050', '-0.150', 'b']);
  assert.equal(await page.inputValue('#explore-form [name=user]'), '42');
  assert.match(await page.textContent('#data-stats caption'), /synthetic/i);

  // Changing a field rewrites the URL in place.
  await page.fill('#train-form [name=bits]', '6');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('bits') === '6');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('model'), 'aecf');
  assert.equal(url.searchParams.get('toy'), '0.5,0.5;0.2,-0.3;-0.4,0.1');
  assert.equal(url.searchParams.get('data'), 'synthetic');

  // Training with the restored settings: AECF, 6 bits, ST and SST rows; explore opens on user 42.
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 180_000 });
  assert.equal(await page.textContent('#train-status'), 'finished: 2 epochs');
  assert.deepEqual((await page.locator('#results tr[data-binarization="SST"][data-protocol="test-items"] td').allTextContents()).slice(0, 3),
    ['AECF', 'SST', '6']);
  await page.waitForFunction(() => /^user 42:/.test(document.querySelector('#explore-user table caption')?.textContent));

  // Copy link: the clipboard gets the URL (or, without permission, the page shows it).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('#copy-link');
  await page.waitForSelector('body[data-copied="yes"]');
  const status = await page.textContent('#copy-status');
  if (status === 'Link copied.') {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  } else {
    assert.equal(status, `Copy this link: ${page.url()}`);
  }
  // The copied link opens the same state.
  const again = await app.newPage(new URL(page.url()).search);
  await ready(again);
  assert.equal(await field(again, 'bits'), '6');
  assert.equal(await field(again, 'model'), 'aecf');
  assert.equal(await again.inputValue('#explore-form [name=user]'), '42');
  await again.close();
  await screenshot(page, 'url-restored');
  await page.close();
});

test('invalid values in a link are ignored with a note, never a broken page', async () => {
  const query = '?model=nope&bits=abc&epochs=9999&seed=1.5&binarization=Sign&learning_rate=-1'
    + '&toy=1,2;3&alpha=-4&user=%3Cscript%3E&data=ml-1m.zip';
  const page = await app.newPage(query);
  await ready(page);
  const note = await page.textContent('#url-note');
  for (const part of ['model="nope"', 'bits="abc" (not a number)', 'epochs="9999" (above the maximum 500)',
    'seed="1.5" (not a whole number)', 'learning_rate="-1" (below the minimum 0)', 'toy="1,2;3"',
    'alpha="-4"', 'user="<script>"', 'data="ml-1m.zip"']) {
    assert.ok(note.includes(part), `${part} in: ${note}`);
  }
  // Defaults instead; the valid value is kept.
  assert.equal(await field(page, 'model'), 'ccsr');
  assert.equal(await field(page, 'bits'), '20');
  assert.equal(await field(page, 'epochs'), '20');
  assert.equal(await field(page, 'binarization'), 'Sign');
  assert.equal(await page.inputValue('#toy-alpha'), '5');
  assert.equal(await page.inputValue('#explore-form [name=user]'), '1');
  // The page works: the default toy and data set are there, and the bad keys left the URL.
  assert.equal(await page.locator('#toy-codes tr[data-entity="a"] td').nth(1).textContent(), '(1.00, 0.10)');
  assert.match(await page.textContent('#data-stats caption'), /synthetic/i);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('model'), null);
  assert.equal(url.searchParams.get('binarization'), 'Sign');
  assert.deepEqual(page.consoleMessages.filter((m) => m.startsWith('pageerror')), []);
  await screenshot(page, 'url-invalid');
  await page.close();
});
