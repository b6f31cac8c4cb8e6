// The benchmark worker (a module worker, like the app's www/worker.js): owns the wasm
// core, runs what www/bench.html asks and times it with performance.now().
//   rank:  whole-catalogue Hamming ranking of every user on seeded random codes (the same
//          codes and code as `cargo run --release --example bench_rank`), or on the codes
//          of the last training run (`trained: true`)
//   trainedCodes: those codes in FAISS's layout (users.u8, items.u8), for the native
//          example to rank the same codes
//   train: the app's Session API (loadFiles, configure, step): seconds per epoch
import init, * as core from '../pkg/ccsr.js';
import { initWasmBuild } from './wasm-build.js';

const ML1M_HEAD = { users: 2999, items: 3615 };
let session = null;

const log = (text) => self.postMessage({ type: 'log', text });

/** Runs `f` once to warm up, then until `minMs` have passed (at least `minReps` times). */
function time(f, { minMs = 1000, minReps = 3 } = {}) {
  let result = f();
  const times = [];
  const started = performance.now();
  while (times.length < minReps || performance.now() - started < minMs) {
    const t = performance.now();
    result = f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], min: times[0], reps: times.length, result };
}

function rank({
  bits = [8, 16, 32, 64], methods = ['reference', 'full', 'top:10', 'top:100'],
  users = ML1M_HEAD.users, items = ML1M_HEAD.items, seed = 1, minMs = 1000, trained = false,
}) {
  const rows = [];
  const benches = trained
    ? [core.RankBench.fromSession(session)]
    : (Array.isArray(bits) ? bits : [bits]).map((r) => new core.RankBench(users, items, r, seed));
  for (const bench of benches) {
    for (const method of methods) {
      const t = time(() => bench.rank(method), { minMs });
      const pairs = bench.users * bench.items;
      rows.push({
        bits: bench.bits, method, users: bench.users, items: bench.items, codes: trained ? 'trained' : 'random',
        ms: t.ms, min_ms: t.min, ns_per_pair: (t.ms * 1e6) / pairs, reps: t.reps, checksum: t.result,
      });
      log(`rank r=${bench.bits} ${method}: ${t.ms.toFixed(2)} ms`);
    }
    bench.free();
  }
  return rows;
}

function train({ files, settings = {}, epochs = 3, full = false, fullEpochs = 20, patience = 4, warmUp = true }) {
  session?.free();
  let t = performance.now();
  // As the app's worker does once when it starts (see core.warmUp).
  if (warmUp) core.warmUp();
  const warmUpS = warmUp ? (performance.now() - t) / 1e3 : null;
  session = new core.Session();
  t = performance.now();
  const summary = session.loadFiles(files, 1);
  const loadMs = performance.now() - t;
  const result = { dataset: summary.name, load_ms: loadMs, warm_up_s: warmUpS, epochs: [], settings: null };
  // N epochs without early stopping: seconds per epoch.
  result.settings = session.configure({ model: 'ccsr', bits: 40, ...settings, epochs, patience: null });
  for (let e = 0; e < epochs && !session.isFinished(); e++) {
    t = performance.now();
    const record = session.step();
    result.epochs.push({ epoch: e + 1, s: (performance.now() - t) / 1e3, loss: record.loss ?? null });
    log(`epoch ${e + 1}: ${((performance.now() - t) / 1e3).toFixed(3)} s`);
  }
  if (full) {
    // A full run with early stopping on validation NDCG@10, as the page's Train button.
    session.configure({ model: 'ccsr', bits: 40, ...settings, epochs: fullEpochs, patience });
    t = performance.now();
    let n = 0;
    while (!session.isFinished()) {
      session.step();
      n++;
    }
    const results = session.results();
    result.full = {
      epochs_run: n, total_s: (performance.now() - t) / 1e3, best_epoch: results.best_epoch,
      max_epochs: fullEpochs, patience,
    };
    log(`full run: ${n} epochs, ${result.full.total_s.toFixed(2)} s`);
  }
  return result;
}

function trainedCodes() {
  const bench = core.RankBench.fromSession(session);
  try {
    return { bits: bench.bits, users: bench.faissCodes('users'), items: bench.faissCodes('items') };
  } finally {
    bench.free();
  }
}

const handlers = { rank, train, trainedCodes };

// The build the app's worker would run here (www/wasm-build.js).
const ready = (async () => {
  const build = await initWasmBuild(init);
  self.postMessage({ type: 'ready', version: core.version(), build });
})();

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const handler = handlers[data.type];
    if (!handler) throw new Error(`unknown request ${data.type}`);
    self.postMessage({ type: 'result', id: data.id, result: handler(data) });
  } catch (error) {
    const panic = core.takePanicMessage?.();
    self.postMessage({ type: 'error', id: data.id, message: panic ? `panic: ${panic}` : String(error?.message ?? error) });
  }
};
