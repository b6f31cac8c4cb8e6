// The app shell: starts the worker, shows what it computes, reports its errors.
import { WorkerClient } from './worker-client.js';
import { renderToy } from './views/toy.js';
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

// Called for every new worker (the first, and one replacing a worker that panicked,
// which starts empty): load the default data set and draw the toy example.
async function onReady({ version }) {
  $('status').textContent = `WebAssembly core ${version} ready (running in a web worker).`;
  await Promise.all([loadDefaultData(), updateToy()]);
  document.body.dataset.status = 'ready';
}

const client = new WorkerClient({ onReady, onFatal: showError });
const resetTraining = initTrainingPanel(client, $, initExplorePanel(client, $));
const loadDefaultData = initDataPanel(client, $, resetTraining);

async function updateToy() {
  const alpha = Number($('toy-alpha').value);
  $('toy-alpha-value').textContent = alpha;
  try {
    const examples = await Promise.all(
      ['order-reversal', 'sst-tie'].map((example) => client.request('toy', { example, alpha })),
    );
    renderToy($('toy-tables'), examples);
  } catch (error) {
    showError(error);
  }
}

$('toy-alpha').addEventListener('input', updateToy);

// For the tests and the curious: window.ccsr.request('panic', { message }) shows how a
// Rust panic in the worker reaches the page.
window.ccsr = {
  request: (type, payload) => client.request(type, payload).catch((error) => {
    showError(error);
    throw error;
  }),
};
