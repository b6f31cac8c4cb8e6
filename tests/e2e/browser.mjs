// Shared set-up for the end-to-end tests: the static server on a free port and the
// system Chromium driven by playwright-core (no browser download).
import { mkdir } from 'node:fs/promises';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

export const SCREENSHOTS = new URL('../../test-results/', import.meta.url);

/**
 * Starts the server and the browser; returns { url, browser, newPage, close }.
 * `serverOptions` go to startServer (e.g. { data: DIR } for a data folder).
 */
export async function openApp(serverOptions = {}) {
  const server = await startServer({ port: 0, ...serverOptions });
  const browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  const newPage = async (query = '') => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.consoleMessages = [];
    page.on('console', (m) => page.consoleMessages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => page.consoleMessages.push(`pageerror: ${e.message}`));
    await page.goto(server.url + query);
    return page;
  };
  return {
    url: server.url,
    browser,
    newPage,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export const screenshot = (page, name) =>
  page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
