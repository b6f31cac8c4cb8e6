// `npm run profile:browser`: where CCSR training spends its time in headless Chromium.
// Builds the wasm with its function names kept (`wasm-pack build --profiling --target
// web`, into target/profiling-pkg), trains CCSR r = 40 on ml-1m-head through the app's
// Session API in the page's main thread (the same code the worker runs), profiles the
// measured epochs with the DevTools CPU profiler, and prints each function's self time
// per epoch. The profile itself is written for DevTools' Performance panel (--out).
//
//   node scripts/profile-browser.mjs [--epochs N] [--warm N] [--set key=value ...]
//     [--top N] [--out FILE] [--no-build]
//
// --warm epochs run before profiling starts (V8 tiers the wasm up meanwhile); --set
// overrides a CCSR parameter. Data: ../shared/data/ml-1m-head, handed to the page by
// Playwright (MovieLens is never served from the repository).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = resolve(ROOT, '../shared/data/ml-1m-head');
const PKG = join(ROOT, 'target/profiling-pkg');
const ORIGIN = 'http://profile.invalid';

function parseArgs(argv) {
  const o = { epochs: 5, warm: 2, set: {}, top: 25, out: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    const count = (min) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs a whole number >= ${min}`);
      return n;
    };
    switch (flag) {
      case '--epochs': o.epochs = count(1); break;
      case '--warm': o.warm = count(0); break;
      case '--top': o.top = count(1); break;
      case '--out': o.out = value(); break;
      case '--no-build': o.build = false; break;
      case '--set': {
        const [key, text] = value().split('=');
        if (!key || text === undefined) throw new Error('--set needs key=value');
        o.set[key] = Number.isFinite(Number(text)) ? Number(text) : text;
        break;
      }
      case '--help': console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0]); process.exit(0);
      default: throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  return o;
}

/** Self time per function (ms), from a DevTools CPU profile. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map();
  profile.samples.forEach((id, k) => {
    const name = (byId.get(id).callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
    times.set(name, (times.get(name) ?? 0) + (profile.timeDeltas[k + 1] ?? 0) / 1000);
  });
  return [...times.entries()].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(DATA, 'ratings.dat'))) throw new Error(`no data at ${DATA}`);
  if (o.build || !existsSync(join(PKG, 'ccsr_bg.wasm'))) {
    execFileSync('wasm-pack', ['build', '--profiling', '--target', 'web', '--no-typescript', '--no-pack',
      '--out-dir', PKG], { cwd: ROOT, stdio: 'inherit' });
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const [, dir, name] = path.split('/');
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>profile</title>' });
      const folder = { pkg: PKG, data: DATA }[dir];
      if (!folder || !/^[\w.-]+$/.test(name ?? '') || !existsSync(join(folder, name))) return route.fulfill({ status: 404 });
      const type = name.endsWith('.wasm') ? 'application/wasm' : name.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      return route.fulfill({ contentType: type, body: readFileSync(join(folder, name)) });
    });
    await page.goto(`${ORIGIN}/`);
    const settings = { model: 'ccsr', bits: 40, epochs: o.warm + o.epochs, patience: null, set: o.set };
    const warm = await page.evaluate(async ({ settings, warm }) => {
      const core = await import('/pkg/ccsr.js');
      await core.default();
      core.warmUp();
      const names = ['ratings.dat', 'movies.dat', 'users.dat'];
      const files = await Promise.all(names.map(async (n) => [n, new Uint8Array(await (await fetch(`/data/${n}`)).arrayBuffer())]));
      const session = new core.Session();
      session.loadFiles(files, 1);
      session.configure(settings);
      const times = [];
      for (let i = 0; i < warm; i++) {
        const start = performance.now();
        session.step();
        times.push(performance.now() - start);
      }
      globalThis.session = session;
      return times;
    }, { settings, warm: o.warm });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const measured = await page.evaluate((epochs) => {
      const times = [];
      for (let i = 0; i < epochs; i++) {
        const start = performance.now();
        globalThis.session.step();
        times.push(performance.now() - start);
      }
      return times;
    }, o.epochs);
    const { profile } = await cdp.send('Profiler.stop');
    if (o.out) writeFileSync(o.out, JSON.stringify(profile));
    const ms = (v) => v.map((t) => t.toFixed(0)).join(', ');
    console.log(`CCSR r = 40 on ml-1m-head, Chromium ${browser.version()}, main thread`);
    console.log(`warm-up epochs (ms): ${ms(warm)}; profiled epochs (ms): ${ms(measured)}`);
    console.log('self time per epoch (ms), share of the profiled time:');
    const total = measured.reduce((a, b) => a + b, 0);
    for (const [name, t] of selfTimes(profile).slice(0, o.top)) {
      console.log(`${(t / o.epochs).toFixed(1).padStart(8)} ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name}`);
    }
    if (o.out) console.log(`profile written to ${o.out} (DevTools > Performance > Load profile)`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`profile-browser: ${e.message}`);
  process.exit(1);
});
