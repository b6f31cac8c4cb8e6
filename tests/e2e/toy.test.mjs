// Figure 2, interactive: presets for the paper's two failure modes, points moved with
// the keyboard and dragged with the pointer, the alpha slider; every move recomputes in
// the worker and the page says what happens in words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './browser.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

const row = (page, key) => page.locator(`#toy-table tr[data-representation="${key}"] td`).allTextContents();
const feature = async (page, name) => {
  const text = await page.locator(`#toy-codes tr[data-entity="${name}"] td`).nth(1).textContent();
  return text.slice(1, -1).split(', ').map(Number);
};
/** Waits until the worker's answer for the current features is shown. */
const settled = (page) => page.waitForSelector('body[data-toy="ready"]');

async function ready(page) {
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await settled(page);
}

test('the two presets show the order reversal and the SST tie, in numbers and words', async () => {
  const page = await app.newPage();
  await ready(page);
  // Default: Figure 2, left. a = (1, 0.1), b = (1, -0.1), c = (0.2, 0.3).
  assert.deepEqual(await row(page, 'continuous'), ['continuous ⟨f_a, f_·⟩', '0.990', '0.230', 'b']);
  assert.deepEqual(await row(page, 'sign'), ['sign (S): r − 2·Hamming', '0', '2', 'c']);
  assert.equal(await page.textContent('#toy-findings li'),
    'sign reverses the order: sim(a,b) > sim(a,c) in continuous space, < after sign (Hamming distances 1 and 0).');
  // At alpha 5, ST already follows the signs here: every representation but the
  // continuous one prefers c (highlighted).
  assert.deepEqual(await page.locator('#toy-table tr.flip').evaluateAll((trs) => trs.map((tr) => tr.dataset.representation)),
    ['sign', 'scaled_tanh', 'sign_scaled_tanh']);
  assert.match(await page.textContent('#toy .formulas'), /h = sgn\(f\).*h = tanh\(α f\).*h = sgn\(tanh\(α f\)\)/s);

  await page.click('#toy-preset-tie');
  await page.waitForFunction(() => /SST makes b and c equally similar/.test(document.getElementById('toy-findings').textContent));
  // a = (0.9, 0.9), b = (0.9, -0.1), c = (0.9, -0.9), alpha 5.
  const t = Math.tanh;
  const st = [t(4.5) * t(4.5) + t(4.5) * t(-0.5), t(4.5) * t(4.5) + t(4.5) * t(-4.5)];
  assert.deepEqual((await row(page, 'scaled_tanh')).slice(1), [st[0].toFixed(3), st[1].toFixed(3), 'b']);
  assert.deepEqual((await row(page, 'sign_scaled_tanh')).slice(1), ['0', '0', 'tie']);
  assert.equal(await page.textContent('#toy-findings li:last-child'),
    'SST makes b and c equally similar to a: sim(a,b) > sim(a,c) after ST (alpha = 5), = after SST (Hamming distances 1 and 1).');
  assert.equal(await page.locator('#toy-codes tr[data-entity="c"] td').nth(2).textContent(), '+−');
  assert.match(page.url(), /toy=0\.9%2C0\.9%3B0\.9%2C-0\.1%3B0\.9%2C-0\.9/);
  await screenshot(page, 'toy-sst-tie');
  await page.close();
});

test('points move with the arrow keys and the pointer, and alpha rescales ST', async () => {
  const page = await app.newPage();
  await ready(page);
  await page.click('#toy-preset-tie');
  await page.waitForFunction(() => /SST makes/.test(document.getElementById('toy-findings').textContent));

  // Keyboard: c from (0.9, -0.9) up four steps of 0.05 to (0.9, -0.7).
  const c = page.locator('[data-point="c"]');
  assert.match(await c.getAttribute('aria-label'), /^item c at \(0\.90, -0\.90\)/);
  await c.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /\(0\.90, -0\.70\)/.test(document.querySelector('#toy-codes tr[data-entity="c"]').textContent));
  await settled(page);
  assert.deepEqual(await feature(page, 'c'), [0.9, -0.7]);
  // a.c = 0.81 - 0.63 = 0.18.
  assert.equal((await row(page, 'continuous'))[2], '0.180');
  assert.match(await c.getAttribute('aria-label'), /^item c at \(0\.90, -0\.70\)/);
  // Shift+ArrowUp: steps of 0.2, c crosses into a's quadrant: (0.9, 0.1), codes equal.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowUp');
  await page.waitForFunction(() => /\(0\.90, 0\.10\)/.test(document.querySelector('#toy-codes tr[data-entity="c"]').textContent));
  await settled(page);
  assert.deepEqual((await row(page, 'sign')).slice(1), ['0', '2', 'c']);

  // Pointer: drag a to about (-0.5, 0.5).
  const box = await page.locator('#toy-plane').boundingBox();
  const at = (x, y) => [box.x + ((x + 1.2) / 2.4) * box.width, box.y + ((1.2 - y) / 2.4) * box.height];
  await page.mouse.move(...at(0.9, 0.9));
  await page.mouse.down();
  await page.mouse.move(...at(0.2, 0.7), { steps: 4 });
  await page.mouse.move(...at(-0.5, 0.5), { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => /\(-0\.\d\d, 0\.\d\d\)/.test(document.querySelector('#toy-codes tr[data-entity="a"]').textContent));
  await settled(page);
  const [ax, ay] = await feature(page, 'a');
  assert.ok(Math.abs(ax + 0.5) <= 0.02 && Math.abs(ay - 0.5) <= 0.02, `a = (${ax}, ${ay})`);
  // The continuous similarity to b = (0.9, -0.1) is recomputed for the dragged a.
  assert.equal((await row(page, 'continuous'))[1], (ax * 0.9 + ay * -0.1).toFixed(3));
  assert.equal(await page.locator('#toy-codes tr[data-entity="a"] td').nth(2).textContent(), '−+');

  // Alpha: ST of a at alpha 1.
  await page.locator('#toy-alpha').fill('1');
  await page.waitForFunction(() => document.getElementById('toy-table').caption.textContent.includes('α = 1)'));
  const stA = await page.locator('#toy-codes tr[data-entity="a"] td').nth(3).textContent();
  assert.equal(stA, `(${Math.tanh(ax).toFixed(3)}, ${Math.tanh(ay).toFixed(3)})`);
  assert.match(page.url(), /alpha=1(&|$)/);
  await screenshot(page, 'toy-dragged');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#toy').screenshot({ path: new URL('../../test-results/toy-390.png', import.meta.url).pathname });
  await page.close();
});
