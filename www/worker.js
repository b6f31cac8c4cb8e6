// The web worker: owns the wasm instance and answers the page's requests
// ({ id, type, ...payload } -> { id, type: 'result' | 'error' | 'progress' }).
import init, * as core from '../pkg/ccsr.js';
import { initWasmBuild } from './wasm-build.js';

let session;
const SPLIT_SEED = 1;

const bytes = async (file) => new Uint8Array(await file.arrayBuffer());

// Training runs a few mini-batches per wasm call (Session.advance) and yields to the
// event loop between calls, so that pause and cancel are answered within an epoch.
// Progress: { fraction } within an epoch; { record, ms, finished } when one ends (ms:
// the epoch's compute time, without the yields).
const training = { running: false, stop: null, epochMs: 0, warm: false };
// At most MAX_BATCHES per call, fewer when batches are slow, so that a call takes
// about TARGET_MS.
const MAX_BATCHES = 8;
const TARGET_MS = 40;
let budget = MAX_BATCHES;
// A MessageChannel message queues a task like setTimeout(0) does, without the 4 ms
// minimum that nested timeouts get (several times per epoch).
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

function epoch(post) {
  const started = performance.now();
  const record = session.step();
  const ms = training.epochMs + performance.now() - started;
  training.epochMs = 0;
  post({ record, ms, finished: session.isFinished() });
  return record;
}

/** One wasm call of at most `budget` mini-batches; posts its progress. */
function advance(post) {
  const started = performance.now();
  const { fraction, record } = session.advance(budget);
  const elapsed = performance.now() - started;
  training.epochMs += elapsed;
  budget = Math.max(1, Math.min(MAX_BATCHES, Math.floor((budget * TARGET_MS) / Math.max(elapsed, 1))));
  if (record) {
    post({ record, ms: training.epochMs, finished: session.isFinished() });
    training.epochMs = 0;
  } else {
    post({ fraction });
  }
}

/**
 * Once per worker: trains a tiny model (core.warmUp, ~0.1 s) so that V8 optimises the
 * training code in the background before the first real epoch, which would otherwise
 * run in its baseline tier (BENCHMARKS.md, fourth pass). Runs after the first data set
 * has loaded (not to delay the page), or at the latest before the first training.
 */
function warmUp() {
  if (training.warm) return;
  training.warm = true;
  core.warmUp();
}

async function train(post) {
  if (training.running) throw new Error('already training');
  warmUp();
  training.running = true;
  training.stop = null;
  try {
    while (!session.isFinished() && !training.stop) {
      advance(post);
      await nextTask();
    }
    const stopped = training.stop;
    if (stopped === 'cancel') {
      session.dropTraining();
      training.epochMs = 0;
    }
    return { stopped, finished: stopped !== 'cancel' && session.isFinished() };
  } finally {
    training.running = false;
  }
}

/** Wraps a handler that must not run while training (it would replace the data). */
function idle(handler) {
  return (...args) => {
    if (training.running) throw new Error('pause or cancel the training first');
    return handler(...args);
  };
}

function stopTraining(reason) {
  if (training.running) training.stop = reason;
  else if (reason === 'cancel') session.dropTraining();
  return { stopping: training.running };
}

const handlers = {
  toy: ({ example, alpha }) => core.toyFigure2(example, alpha),
  toyFeatures: ({ a, b, c, alpha }) =>
    core.toyFromFeatures(Float64Array.from(a), Float64Array.from(b), Float64Array.from(c), alpha),
  loadSynthetic: idle(({ params, seed = SPLIT_SEED }) => session.loadSynthetic(params ?? null, seed)),
  loadZip: idle(async ({ file, seed = SPLIT_SEED }) => session.loadZip(file.name, await bytes(file), seed)),
  loadFiles: idle(async ({ files, seed = SPLIT_SEED }) =>
    session.loadFiles(await Promise.all(files.map(async (f) => [f.name, await bytes(f)])), seed)),
  summary: () => session.summary(),
  configure: idle(({ settings }) => {
    training.epochMs = 0;
    return session.configure(settings);
  }),
  train: (_, post) => train(post),
  step: (_, post) => {
    if (training.running) throw new Error('already training');
    return epoch(post);
  },
  pause: () => stopTraining('pause'),
  cancel: () => stopTraining('cancel'),
  results: () => session.results(),
  userRanking: ({ user, k = 10, binarization }) => session.userRanking(String(user), k, binarization),
  codes: ({ items = false, offset = 0, limit = 24 }) => session.codes(items, offset, limit),
  report: () => session.report(),
  exportFaiss: () => session.exportFaiss(),
  panic: ({ message }) => core.debugPanic(message),
};

// The build this engine can run (see wasm-build.js), then one session for the worker.
const ready = (async () => {
  const build = await initWasmBuild(init);
  session = new core.Session();
  self.postMessage({ type: 'ready', version: core.version(), build });
})().catch(
  (error) => self.postMessage({ type: 'error', id: null, message: `could not load the wasm core: ${error}`, fatal: false }),
);

self.onmessage = async ({ data }) => {
  await ready;
  const handler = handlers[data.type];
  try {
    if (!handler) throw new Error(`unknown request type ${JSON.stringify(data.type)}`);
    const post = (progress) => self.postMessage({ type: 'progress', id: data.id, progress });
    const result = await handler(data, post);
    self.postMessage({ type: 'result', id: data.id, result });
    if (data.type.startsWith('load')) setTimeout(warmUp, 0);
  } catch (error) {
    // A Rust panic shows up here as "RuntimeError: unreachable"; the hook kept its text.
    const panic = core.takePanicMessage();
    const message = panic ? `the wasm core panicked: ${panic}` : (error?.message ?? String(error));
    self.postMessage({ type: 'error', id: data.id, message, fatal: Boolean(panic) });
  }
};
