// The app shell: starts the worker, shows what it computes, reports its errors.
import { WorkerClient } from './worker-client.js';
import { renderToy } from './views/toy.js';

const $ = (id) => document.getElementById(id);

function showError(error) {
  const box = $('error');
  box.textContent = String(error.message ?? error);
  box.hidden = false;
  document.body.dataset.error = 'shown';
}

const client = new WorkerClient({
  onReady: ({ version }) => {
    $('status').textContent = `WebAssembly core ${version} ready (running in a web worker).`;
    updateToy().then(() => { document.body.dataset.status = 'ready'; });
  },
  onFatal: showError,
});

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
