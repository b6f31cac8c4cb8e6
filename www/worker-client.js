// The main thread's side of the worker protocol: request(type, payload) -> Promise of the
// worker's `result`; `progress` messages go to the request's onProgress. When the wasm
// core panics the worker is unusable, so it is replaced by a fresh one. The client keeps
// the last data load that succeeded (its payload, File objects included), so the page
// can replay it into the fresh worker.

export class WorkerClient {
  constructor({ onReady, onFatal } = {}) {
    this.onReady = onReady ?? (() => {});
    this.onFatal = onFatal ?? (() => {});
    this.nextId = 1;
    this.pending = new Map();
    /** The last successful load request, { type, payload }, or null. */
    this.lastLoad = null;
    this.spawns = 0;
    this.spawn();
  }

  spawn() {
    this.spawns += 1;
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(null, `worker failed: ${event.message ?? 'unknown error'}`, true);
    };
  }

  receive(message) {
    if (message.type === 'ready') return this.onReady({ ...message, restarted: this.spawns > 1 });
    const entry = this.pending.get(message.id);
    if (message.type === 'progress') return entry?.onProgress?.(message.progress);
    if (message.type === 'result') {
      this.pending.delete(message.id);
      return entry?.resolve(message.result);
    }
    if (message.type === 'error') return this.fail(message.id, message.message, message.fatal);
  }

  fail(id, text, fatal) {
    const error = new Error(text);
    const ids = id == null || fatal ? [...this.pending.keys()] : [id];
    for (const key of ids) {
      this.pending.get(key)?.reject(error);
      this.pending.delete(key);
    }
    if (id == null && !ids.length) this.onFatal(error);
    if (fatal) {
      this.worker.terminate();
      this.spawn();
    }
  }

  request(type, payload = {}, onProgress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = /^load[A-Z]/.test(type)
        ? (result) => { this.lastLoad = { type, payload }; resolve(result); }
        : resolve;
      this.pending.set(id, { resolve: done, reject, onProgress });
      this.worker.postMessage({ ...payload, type, id });
    });
  }
}
