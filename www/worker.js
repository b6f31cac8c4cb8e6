// The web worker: owns the wasm instance and answers the page's requests
// ({ id, type, ...payload } -> { id, type: 'result' | 'error' | 'progress' }).
import init, * as core from '../pkg/ccsr.js';

let session;
const SPLIT_SEED = 1;

const bytes = async (file) => new Uint8Array(await file.arrayBuffer());

const handlers = {
  toy: ({ example, alpha }) => core.toyFigure2(example, alpha),
  loadSynthetic: ({ params, seed = SPLIT_SEED }) => session.loadSynthetic(params ?? null, seed),
  loadZip: async ({ file, seed = SPLIT_SEED }) => session.loadZip(file.name, await bytes(file), seed),
  loadFiles: async ({ files, seed = SPLIT_SEED }) =>
    session.loadFiles(await Promise.all(files.map(async (f) => [f.name, await bytes(f)])), seed),
  summary: () => session.summary(),
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
    const result = await handler(data);
    self.postMessage({ type: 'result', id: data.id, result });
  } catch (error) {
    // A Rust panic shows up here as "RuntimeError: unreachable"; the hook kept its text.
    const panic = core.takePanicMessage();
    const message = panic ? `the wasm core panicked: ${panic}` : (error?.message ?? String(error));
    self.postMessage({ type: 'error', id: data.id, message, fatal: Boolean(panic) });
  }
};
