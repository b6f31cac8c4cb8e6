// The web worker: owns the wasm instance and answers the page's requests
// ({ id, type, ...payload } -> { id, type: 'result' | 'error' | 'progress' }).
import init, * as core from '../pkg/ccsr.js';

let session;
const SPLIT_SEED = 1;

const bytes = async (file) => new Uint8Array(await file.arrayBuffer());

// Training runs one epoch per wasm call; between epochs the loop yields to the event
// loop so that pause and cancel messages are handled.
const training = { running: false, stop: null };
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function epoch(post) {
  const started = performance.now();
  const record = session.step();
  post({ record, ms: performance.now() - started, finished: session.isFinished() });
  return record;
}

async function train(post) {
  if (training.running) throw new Error('already training');
  training.running = true;
  training.stop = null;
  try {
    while (!session.isFinished() && !training.stop) {
      epoch(post);
      await nextTask();
    }
    const stopped = training.stop;
    if (stopped === 'cancel') session.dropTraining();
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
  loadSynthetic: idle(({ params, seed = SPLIT_SEED }) => session.loadSynthetic(params ?? null, seed)),
  loadZip: idle(async ({ file, seed = SPLIT_SEED }) => session.loadZip(file.name, await bytes(file), seed)),
  loadFiles: idle(async ({ files, seed = SPLIT_SEED }) =>
    session.loadFiles(await Promise.all(files.map(async (f) => [f.name, await bytes(f)])), seed)),
  summary: () => session.summary(),
  configure: idle(({ settings }) => session.configure(settings)),
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
  panic: ({ message }) => core.debugPanic(message),
};

const ready = init().then(
  () => {
    session = new core.Session();
    self.postMessage({ type: 'ready', version: core.version() });
  },
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
  } catch (error) {
    // A Rust panic shows up here as "RuntimeError: unreachable"; the hook kept its text.
    const panic = core.takePanicMessage();
    const message = panic ? `the wasm core panicked: ${panic}` : (error?.message ?? String(error));
    self.postMessage({ type: 'error', id: data.id, message, fatal: Boolean(panic) });
  }
};
