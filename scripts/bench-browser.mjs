// `npm run bench:browser`: the wasm core's speed in headless Chromium (the same browser
// and flags as the end-to-end tests), beside the native numbers of the same code:
//   (a) CCSR training on ml-1m-head (r = 40, the paper's defaults) through the app's
//       Session API in a module worker: seconds per epoch, optionally a full run with
//       early stopping;
//   (b) ranking the whole catalogue for every user (seeded random codes of ml-1m-head's
//       size, 2,999 x 3,615, and the trained codes): ms per all-users ranking, ns per
//       (user, item) pair, and the native example `bench_rank` on the same codes with
//       the wasm/native ratio;
//   (c) page load of the app (index.html): DOM interactive, worker ready, app ready;
//   (d) the wasm's size, raw and gzipped.
//
//   node scripts/bench-browser.mjs [--epochs N] [--full-train] [--full-epochs N]
//     [--set key=value ...] [--bits 8,16,32,64] [--methods reference,full,top:10,top:100]
//     [--min-ms MS] [--rounds N] [--no-train] [--no-warm-up] [--no-rank] [--no-load] [--no-native]
//     [--build | --no-build] [--json FILE]
//
// --set overrides a CCSR parameter for the training runs (repeatable; e.g. --set
// batch_size=128 for the mini-batch size before issue 6's change to 512).
// The wasm is built (scripts/build-wasm.sh) when pkg/ is missing or older than the Rust
// sources, or always with --build. Data: ../shared/data/ml-1m-head (MovieLens is never
// served from the repository: the files are handed to the page by Playwright).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from './lib/chromium.mjs';
import { startServer } from './serve.mjs';
import { WASM_FILES } from '../www/wasm-build.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = resolve(ROOT, '../shared/data/ml-1m-head');
// Both release builds (www/wasm-build.js); the page runs the one Chromium compiles.
const WASMS = Object.entries(WASM_FILES).map(([build, file]) => [build, join(ROOT, 'pkg', file)]);

function parseArgs(argv) {
  const o = {
    epochs: 3, fullTrain: false, fullEpochs: 20, warmUp: true, bits: [8, 16, 32, 64],
    methods: ['reference', 'full', 'top:10', 'top:100'], minMs: 1000,
    train: true, rank: true, load: true, native: true, build: 'auto', json: null, set: {}, rounds: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
    switch (flag) {
      case '--epochs': o.epochs = Number(value()); break;
      case '--full-train': o.fullTrain = true; break;
      case '--full-epochs': o.fullEpochs = Number(value()); break;
      case '--set': {
        const text = value();
        const at = text.indexOf('=');
        const [key, v] = [text.slice(0, at), text.slice(at + 1)];
        if (at < 1) throw new Error('--set needs key=value');
        o.set[key] = Number.isNaN(Number(v)) ? v : Number(v);
        break;
      }
      case '--bits': o.bits = list(value()).map(Number); break;
      case '--methods': o.methods = list(value()); break;
      case '--min-ms': o.minMs = Number(value()); break;
      case '--rounds': o.rounds = Number(value()); break;
      case '--no-train': o.train = false; break;
      case '--no-warm-up': o.warmUp = false; break;
      case '--no-rank': o.rank = false; break;
      case '--no-load': o.load = false; break;
      case '--no-native': o.native = false; break;
      case '--build': o.build = 'always'; break;
      case '--no-build': o.build = 'never'; break;
      case '--json': o.json = value(); break;
      case '--help': case '-h':
        console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0]);
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${flag} (--help)`);
    }
  }
  if (!(o.epochs >= 0) || o.bits.some((b) => !(b > 0)) || !(o.rounds >= 1)) throw new Error('bad --epochs, --bits or --rounds');
  return o;
}

/** Newest modification time under `path` (files only). */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function buildIfNeeded(mode) {
  const stale = !WASMS.every(([, path]) => existsSync(path)) || !existsSync(join(ROOT, 'pkg/ccsr.js'))
    || Math.min(...WASMS.map(([, path]) => newest(path))) < Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'Cargo.toml')), newest(join(ROOT, 'Cargo.lock')));
  if (mode === 'always' || (mode === 'auto' && stale)) {
    console.log(`[bench] building the release wasm (${mode === 'always' ? '--build' : 'pkg/ is missing or older than src/'})`);
    execFileSync('bash', ['scripts/build-wasm.sh'], { cwd: ROOT, stdio: 'inherit' });
  } else if (stale) {
    console.log('[bench] warning: pkg/ is older than src/ (--no-build)');
  }
}

const fmt = (x, digits = 2) => (x == null || Number.isNaN(x) ? '-' : Number(x).toFixed(digits));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * One row per (bits, method): medians over the rounds of the wasm and native ms, the
 * median, min and max of the per-round ratios wasm / native, and the fastest wasm
 * round over the fastest native round.
 */
function combineRounds(rounds) {
  return rounds[0].wasm.map((first, i) => {
    const wasm = rounds.map((r) => r.wasm[i]);
    const row = { ...first, ms: median(wasm.map((w) => w.ms)), rounds: rounds.length, wasm_ms_rounds: wasm.map((w) => w.ms) };
    const native = rounds.map((r) => r.native?.get(`${first.codes} ${first.bits} ${first.method}`)).filter(Boolean);
    if (native.length === rounds.length) {
      const ratios = wasm.map((w, k) => w.ms / native[k].ms);
      Object.assign(row, {
        native_ms: median(native.map((n) => n.ms)),
        native_ms_rounds: native.map((n) => n.ms),
        wasm_over_native: median(ratios),
        wasm_over_native_min: Math.min(...ratios),
        wasm_over_native_max: Math.max(...ratios),
        // Fastest round against fastest round: the least disturbed run of each.
        best_wasm_over_best_native: Math.min(...wasm.map((w) => w.ms)) / Math.min(...native.map((n) => n.ms)),
        checksum_matches_native: native.every((n, k) => n.checksum === wasm[k].checksum),
      });
    }
    return row;
  });
}

/**
 * The native example on the same codes: seeded random codes of `o.bits`, or with
 * `trained` the codes the page trained (FAISS layout in `trained.dir`). Rows keyed by
 * `${codes} ${bits} ${method}`.
 */
function nativeRanking(o, trained = null) {
  const dir = mkdtempSync(join(tmpdir(), 'ccsr-bench-'));
  const json = join(dir, 'native.json');
  const codes = trained ? ['--codes', trained.dir, '--bits', String(trained.bits)] : ['--bits', o.bits.join(',')];
  console.log(`[bench] native: cargo run --release --example bench_rank (${trained ? 'trained' : 'random'} codes)`);
  const run = spawnSync('cargo', ['run', '--release', '--quiet', '--example', 'bench_rank', '--',
    ...codes, '--methods', o.methods.join(','), '--min-ms', String(o.minMs), '--json', json],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    if (run.status !== 0) throw new Error('the native benchmark failed');
    const kind = trained ? 'trained' : 'random';
    return new Map(JSON.parse(readFileSync(json, 'utf8')).native.map((r) => [`${kind} ${r.bits} ${r.method}`, r]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the page's trained codes where `bench_rank --codes DIR` reads them. */
async function exportTrainedCodes(page) {
  const { bits, users, items } = await page.evaluate(() => window.bench.trainedCodes());
  const dir = mkdtempSync(join(tmpdir(), 'ccsr-trained-'));
  writeFileSync(join(dir, 'users.u8'), Uint8Array.from(users));
  writeFileSync(join(dir, 'items.u8'), Uint8Array.from(items));
  return { dir, bits };
}

async function pageLoad(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Records when the worker reports ready (the status line says so) and when the app
  // is ready (default data loaded, the toy example drawn: body[data-status=ready]).
  await page.addInitScript(() => {
    const marks = (window.__benchMarks = {});
    const check = () => {
      const now = performance.now();
      if (!marks.worker && /ready/.test(document.getElementById('status')?.textContent ?? '')) marks.worker = now;
      if (!marks.app && document.body?.dataset.status === 'ready') marks.app = now;
    };
    new MutationObserver(check).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  });
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-status="ready"]', { timeout: 60_000 });
  const wall = Date.now() - started;
  const marks = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      dom_interactive_ms: nav.domInteractive,
      dom_content_loaded_ms: nav.domContentLoadedEventEnd,
      load_event_ms: nav.loadEventEnd,
      worker_ready_ms: window.__benchMarks.worker ?? null,
      app_ready_ms: window.__benchMarks.app ?? null,
    };
  });
  await page.close();
  return { ...marks, goto_to_ready_wall_ms: wall };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const report = {
    date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length,
    load_before: loadavg(), options: o,
  };
  buildIfNeeded(o.build);
  report.wasm = Object.fromEntries(WASMS.map(([build, path]) => {
    const wasm = readFileSync(path);
    return [build, { bytes: wasm.length, gzip_bytes: gzipSync(wasm, { level: 9 }).length }];
  }));

  let trained = null; // the trained codes' folder for the native example, removed at the end
  const server = await startServer({ port: 0 });
  const browser = await launchChromium();
  report.browser = browser.version();
  try {
    if (o.load) {
      // The first load fills caches (and compiles); the second is what a returning
      // visitor sees. Both are reported.
      report.page_load = [await pageLoad(browser, server.url), await pageLoad(browser, server.url)];
    }
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.route('**/bench-data/*', (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop();
      if (!/^[\w.-]+$/.test(name) || !existsSync(join(DATA, name))) return route.fulfill({ status: 404 });
      return route.fulfill({ status: 200, body: readFileSync(join(DATA, name)), contentType: 'application/octet-stream' });
    });
    await page.goto(`${server.url}www/bench.html`);
    await page.waitForSelector('body[data-status="ready"]', { timeout: 60_000 });
    report.wasm_build = await page.getAttribute('body', 'data-wasm-build');

    if (o.train && (o.epochs > 0 || o.fullTrain)) {
      if (!existsSync(join(DATA, 'ratings.dat'))) throw new Error(`no data at ${DATA}`);
      console.log(`[bench] training CCSR r = 40 on ml-1m-head in wasm: ${o.epochs} epochs${o.fullTrain ? ', then a full run with early stopping' : ''} (load ${load()})`);
      report.train = await page.evaluate((opts) => window.bench.train(opts), {
        epochs: o.epochs, full: o.fullTrain, fullEpochs: o.fullEpochs, settings: { set: o.set }, warmUp: o.warmUp,
      });
      report.train.load_avg = loadavg();
    }
    if (o.rank) {
      // Rounds alternate the wasm ranking (in the page) and the native example, and the
      // ratio is taken within each round: this machine's speed drifts by up to ~1.5x
      // over tens of seconds, which a wasm run followed by a native run would mistake
      // for a wasm/native difference.
      // The codes of the training run above are ranked in every round too, natively on
      // the same codes (exported from the page): the app ranks trained codes, whose
      // distances bunch up more than random codes' do.
      trained = report.train && o.native ? await exportTrainedCodes(page) : null;
      const rounds = [];
      for (let k = 0; k < o.rounds; k++) {
        console.log(`[bench] ranking round ${k + 1}/${o.rounds}: wasm (load ${load()})`);
        const wasmRows = await page.evaluate((opts) => window.bench.rank(opts), {
          bits: o.bits, methods: o.methods, minMs: o.minMs,
        });
        if (report.train) {
          wasmRows.push(...await page.evaluate((opts) => window.bench.rank(opts), {
            trained: true, methods: o.methods, minMs: o.minMs,
          }));
        }
        const native = o.native ? nativeRanking(o) : null;
        if (trained) for (const [key, row] of nativeRanking(o, trained)) native.set(key, row);
        rounds.push({ wasm: wasmRows, native });
      }
      report.rank = combineRounds(rounds);
      report.rank_load_avg = loadavg();
    }
    await page.close();
  } finally {
    await browser.close();
    await server.close();
    if (trained) rmSync(trained.dir, { recursive: true, force: true });
  }

  console.log(`\nccsr browser benchmark, ${report.date}, ${report.cpu} (${report.cores} cores), ${report.browser}`);
  console.log(`load average before: ${report.load_before.map((x) => x.toFixed(2)).join(' ')}, now: ${load()}`);
  console.log(`\n(d) wasm size (the page runs the ${report.wasm_build} build)`);
  table(['build', 'bytes', 'gzipped (gzip -9)'],
    Object.entries(report.wasm).map(([build, w]) => [build, String(w.bytes), String(w.gzip_bytes)]));
  if (report.page_load) {
    console.log('\n(c) page load of the app (ms since navigation start)');
    table(['load', 'DOM interactive', 'worker ready', 'app ready', 'load event'],
      report.page_load.map((p, i) => [i === 0 ? 'first' : 'second', fmt(p.dom_interactive_ms, 0),
        fmt(p.worker_ready_ms, 0), fmt(p.app_ready_ms, 0), fmt(p.load_event_ms, 0)]));
  }
  if (report.train) {
    const t = report.train;
    const per = t.epochs.map((e) => e.s);
    const mean = per.length ? per.reduce((a, b) => a + b, 0) / per.length : NaN;
    const overrides = Object.entries(o.set).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`\n(a) CCSR training in wasm, ${t.dataset}, r = ${t.settings.bits}${overrides ? `, ${overrides}` : ''}: parse+split ${fmt(t.load_ms / 1e3, 2)} s`);
    console.log(t.warm_up_s === null
      ? '    no warm-up (--no-warm-up): the first epoch runs in V8\'s baseline tier'
      : `    warm-up before loading (core.warmUp, as the app's worker when it starts): ${fmt(t.warm_up_s, 3)} s`);
    console.log(`    seconds per epoch: ${per.map((s) => fmt(s, 3)).join(', ')} (mean ${fmt(mean, 3)})`);
    if (t.full) {
      console.log(`    full run with early stopping (patience ${t.full.patience}, at most ${t.full.max_epochs} epochs): ${t.full.epochs_run} epochs, ${fmt(t.full.total_s, 1)} s, best epoch ${t.full.best_epoch}`);
    }
  }
  if (report.rank) {
    console.log('\n(b) whole-catalogue Hamming ranking of every user (median ms per all-users ranking)');
    console.log(`    ${o.rounds} rounds, each the wasm ranking then the native example; wasm/native: median of the per-round ratios [min, max]; best/best: fastest wasm round over fastest native round`);
    table(['codes', 'r', 'method', 'users x items', 'wasm ms', 'ns/pair', 'native ms', 'wasm/native', '[min, max]', 'best/best', 'same result'],
      report.rank.map((r) => [r.codes, r.bits, r.method, `${r.users}x${r.items}`, fmt(r.ms), fmt((r.ms * 1e6) / (r.users * r.items), 3),
        fmt(r.native_ms), fmt(r.wasm_over_native),
        r.wasm_over_native_min == null ? '-' : `[${fmt(r.wasm_over_native_min)}, ${fmt(r.wasm_over_native_max)}]`,
        fmt(r.best_wasm_over_best_native),
        r.checksum_matches_native == null ? '-' : r.checksum_matches_native ? 'yes' : 'NO']));
  }
  if (o.json) {
    writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${o.json}`);
  }
  if (report.rank?.some((r) => r.checksum_matches_native === false)) {
    console.error('wasm and native rankings differ');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`bench-browser: ${error.message ?? error}`);
  process.exit(1);
});
