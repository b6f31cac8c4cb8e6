// The app shell: starts the worker, shows what it computes, reports its errors, keeps
// the page's state in its URL (url-state.js) and, when the worker is replaced after a
// panic, reloads the data set the user had into the fresh worker.
import { WorkerClient } from './worker-client.js';
import { UrlState } from './url-state.js';
import { initToy } from './views/toy.js';
import { initDataPanel } from './views/data.js';
import { initTrainingPanel } from './views/training.js';
import { initExplorePanel } from './views/explore.js';

const $ = (id) => document.getElementById(id);

function showError(error) {
  const box = $('error');
  box.textContent = String(error.message ?? error);
  box.hidden = false;
  document.body.dataset.error = 'shown';
}

const urlState = new UrlState();

// Called for every new worker (the first, and one replacing a worker that panicked,
// which starts empty): load the data set (for a replacement, the one the user had) and
// draw the toy example.
async function onReady({ version, build, restarted }) {
  document.body.dataset.status = 'loading';
  document.body.dataset.wasmBuild = build;
  const simd = build === 'relaxed-simd' ? 'relaxed SIMD' : 'SIMD128';
  $('status').textContent = `WebAssembly core ${version} ready (${simd}, running in a web worker).`;
  await Promise.all([restarted ? reloadData() : loadDefaultData(), drawToy()]);
  document.body.dataset.status = 'ready';
}

/** Replays the last successful data load into a fresh worker (the run is lost). */
async function reloadData() {
  resetTraining();
  const last = client.lastLoad;
  if (!last) return loadDefaultData();
  try {
    const summary = await client.request(last.type, last.payload);
    $('status').textContent += ` The worker was restarted; ${summary.name} was loaded again.`;
  } catch (error) {
    showError(new Error(`could not reload the data after the worker restarted: ${error.message}`));
  }
}

const client = new WorkerClient({ onReady, onFatal: showError });
const explorer = initExplorePanel(client, $, urlState);
const resetTraining = initTrainingPanel(client, $, explorer, urlState);
urlState.restoreData();
const loadDefaultData = initDataPanel(client, $, (summary) => {
  resetTraining();
  // Only the built-in synthetic set can be reopened from a link.
  urlState.set({ data: /^synthetic/i.test(summary?.name ?? '') ? 'synthetic' : null });
});
const drawToy = initToy(client, $, urlState);
urlState.showNotes($('url-note'));

$('copy-link').addEventListener('click', async () => {
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = 'Link copied.';
  } catch {
    // No clipboard permission: show the link to copy by hand.
    status.textContent = `Copy this link: ${location.href}`;
  }
  document.body.dataset.copied = 'yes';
});

// For the tests and the curious: window.ccsr.request('panic', { message }) shows how a
// Rust panic in the worker reaches the page.
window.ccsr = {
  request: (type, payload) => client.request(type, payload).catch((error) => {
    showError(error);
    throw error;
  }),
  get lastLoad() {
    return client.lastLoad && { type: client.lastLoad.type };
  },
};
