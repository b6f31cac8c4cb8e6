// Accessibility and layout: every control has an accessible name (as Chromium's
// accessibility tree computes it), keyboard focus is visible and reaches the toy's
// points, and at 390 px wide the page does not scroll sideways (wide tables scroll in
// their own boxes), also after training with the explorer open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './browser.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

const CONTROLS = 'input, select, button, textarea, [tabindex]:not([tabindex="-1"])';

/** [selector-ish description, accessible name] of every control in the accessibility tree. */
async function accessibleNames(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('Accessibility.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: CONTROLS });
  const out = [];
  for (const nodeId of nodeIds) {
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    if (!node || node.ignored) continue; // hidden (e.g. a section not shown yet)
    const { node: dom } = await cdp.send('DOM.describeNode', { nodeId });
    const attrs = Object.fromEntries((dom.attributes ?? []).reduce((pairs, v, i, a) => (i % 2 ? pairs : [...pairs, [v, a[i + 1]]]), []));
    const what = `${dom.localName}${attrs.id ? `#${attrs.id}` : ''}${attrs.name ? `[name=${attrs.name}]` : ''}${attrs['data-point'] ? `[point ${attrs['data-point']}]` : ''}`;
    out.push([what, node.role?.value, (node.name?.value ?? '').trim()]);
  }
  await cdp.detach();
  return out;
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
        && !el.closest('.scroll'))
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`).slice(0, 5),
  }));
}

test('every control has an accessible name; focus is visible and reaches the toy', async () => {
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.fill('#train-form [name=bits]', '8');
  await page.fill('#train-form [name=epochs]', '1');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 120_000 });
  await page.waitForSelector('#explore:not([hidden]) table.ranking');

  const controls = await accessibleNames(page);
  assert.ok(controls.length >= 30, `${controls.length} controls`);
  const unnamed = controls.filter(([, , name]) => !name);
  assert.deepEqual(unnamed, [], 'controls without an accessible name');
  const named = Object.fromEntries(controls.map(([what, , name]) => [what, name]));
  assert.match(named['input[name=bits]'], /code length r/);
  assert.match(named['input#toy-alpha'], /α \(scaled tanh slope\)/);
  assert.match(named['g[point a]'], /^item a at \(1\.00, 0\.10\)/);
  assert.equal(named['button#copy-link'], 'Copy link');

  // Keyboard: Tab from the SST preset reaches the alpha slider, then point a.
  await page.focus('#toy-preset-tie');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'toy-alpha');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.point), 'a');
  // Visible focus: a keyboard-focused button has a 3 px outline.
  await page.focus('#train-reset');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineWidth);
  assert.equal(outline, '3px');
  await page.close();
});

test('no horizontal page scroll at 390 px, before and after training', async () => {
  const page = await app.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.waitForSelector('body[data-toy="ready"]');
  let layout = await noHorizontalScroll(page);
  assert.ok(layout.scrollWidth <= layout.clientWidth, JSON.stringify(layout));
  await screenshot(page, 'narrow-390-start');

  await page.fill('#train-form [name=bits]', '24');
  await page.fill('#train-form [name=epochs]', '1');
  await page.selectOption('#train-form [name=binarization]', 'SignScaledTanh');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 120_000 });
  await page.waitForSelector('#explore:not([hidden]) table.ranking');
  layout = await noHorizontalScroll(page);
  assert.ok(layout.scrollWidth <= layout.clientWidth, JSON.stringify(layout));
  assert.deepEqual(layout.wide, []);
  // The wide tables scroll inside their own boxes.
  const box = await page.evaluate(() => {
    const el = document.getElementById('results').parentElement;
    return { cls: el.className, scroll: el.scrollWidth, client: el.clientWidth };
  });
  assert.equal(box.cls, 'scroll');
  assert.ok(box.scroll > box.client, JSON.stringify(box));
  await screenshot(page, 'narrow-390-trained');
  for (const section of ['data', 'train', 'explore', 'toy']) {
    await page.locator(`#${section}`).screenshot({ path: new URL(`../../test-results/narrow-390-${section}.png`, import.meta.url).pathname });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'wide-1280-trained');
  await page.close();
});
