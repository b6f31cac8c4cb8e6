// The page loads the wasm core in a module worker and shows what the worker computed;
// a Rust panic in the worker reaches the page as a readable message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './browser.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

test('the worker answers with the Figure 2 comparison', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  assert.match(await page.textContent('#status'), /WebAssembly core \d+\.\d+\.\d+ ready/);

  const reversal = page.locator('table[data-example="order-reversal"]');
  // Continuous: a.b = 1*1 + 0.1*(-0.1) = 0.99 > a.c = 0.2 + 0.03 = 0.23.
  assert.deepEqual(
    await reversal.locator('tr[data-representation="continuous"] td').allTextContents(),
    ['continuous <a,·>', '0.990', '0.230', 'b'],
  );
  // Sign codes: a = c = (+,+), b = (+,-): Hamming 1 vs 0, so c is closer.
  assert.equal(await reversal.locator('tr[data-representation="sign"] td').last().textContent(), 'c');
  const tie = page.locator('table[data-example="sst-tie"]');
  assert.equal(await tie.locator('tr[data-representation="scaled_tanh"] td').last().textContent(), 'b');
  assert.equal(await tie.locator('tr[data-representation="sign_scaled_tanh"] td').last().textContent(), 'tie');

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

test('a bad request is an error message, not a crash', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  const message = await page.evaluate(() =>
    window.ccsr.request('toy', { example: 'sst-tie', alpha: -1 }).then(() => null, (e) => e.message));
  assert.match(message, /alpha must be a positive number, got -1/);
  await page.close();
});
