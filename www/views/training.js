// The training panel: settings (the paper's defaults), play / pause / step / reset /
// cancel, a live loss chart (uPlot) and the test metrics beside the Random/Top floors.
// The worker trains; this module only sends requests and draws what comes back.
import uPlot from '../../node_modules/uplot/dist/uPlot.esm.js';

const COLORS = ['#1a73e8', '#d93025', '#188038', '#f29900', '#9334e6', '#007b83'];
const METRICS = [['ndcg@2', 'NDCG@2'], ['ndcg@6', 'NDCG@6'], ['ndcg@10', 'NDCG@10'], ['recall@6', 'Recall@6']];

/** The form's settings: empty optional fields keep the model's defaults. */
function readSettings(form) {
  const value = (name) => form.elements[name].value.trim();
  const number = (name) => (value(name) === '' ? null : Number(value(name)));
  return {
    model: value('model'),
    bits: Number(value('bits')),
    binarization: value('binarization'),
    epochs: Number(value('epochs')),
    seed: Number(value('seed')),
    learning_rate: number('learning_rate'),
    lambda_ae: number('lambda_ae'),
    lambda_b: number('lambda_b'),
    lambda_q: number('lambda_q'),
    patience: number('patience'),
    // CCSR-only options beyond the paper (see src/model/ccsr.rs).
    set: Object.fromEntries(['unrated_weight', 'logit_scale']
      .filter((name) => number(name) != null).map((name) => [name, number(name)])),
  };
}

const CHART_HEIGHT = 260;
const chartWidth = (container) => Math.max(280, Math.min(container.clientWidth || 720, 900));

class LossChart {
  constructor(container) {
    this.container = container;
    this.clear();
    // The chart follows its container's width (window resized, panel reflowed).
    new ResizeObserver(() => {
      const width = chartWidth(this.container);
      if (this.plot && width !== this.plot.width) this.plot.setSize({ width, height: CHART_HEIGHT });
    }).observe(container);
  }

  clear() {
    this.plot?.destroy();
    this.plot = null;
    this.data = null;
    this.container.replaceChildren();
  }

  add(record) {
    const terms = record.loss.terms.map((t) => t.name);
    if (!this.plot) this.create(terms);
    this.data[0].push(record.epoch);
    this.data[1].push(record.loss.total);
    terms.forEach((_, i) => this.data[i + 2].push(record.loss.terms[i].value));
    this.data.at(-1).push(record.validation ? record.validation.ndcg_at_10 : null);
    this.plot.setData(this.data);
  }

  create(terms) {
    this.data = [[], [], ...terms.map(() => []), []];
    this.plot = new uPlot({
      width: chartWidth(this.container),
      height: CHART_HEIGHT,
      scales: { x: { time: false }, ndcg: { range: [0, 1] } },
      axes: [{ label: 'epoch' }, { label: 'loss (per pair)' }, { scale: 'ndcg', side: 1, label: 'validation NDCG@10', grid: { show: false } }],
      series: [
        { label: 'epoch' },
        { label: 'total', stroke: '#222', width: 2 },
        ...terms.map((name, i) => ({ label: name, stroke: COLORS[i % COLORS.length] })),
        { label: 'val NDCG@10', scale: 'ndcg', stroke: '#888', dash: [6, 4], spanGaps: true },
      ],
    }, this.data, this.container);
  }
}

const fmtPaper = (x) => (x == null ? '–' : x.toFixed(4));

function renderResults(container, results) {
  const expected = (r) => r.ties === 'expected';
  // The paper's numbers are aligned with results.rows (null where it has none).
  const paperCells = results.paper.cells;
  const rows = [
    ...results.rows.map((row, i) => ({ row, paper: paperCells[i] })).filter(({ row }) => expected(row)),
    ...results.floors.filter(expected).map((row) => ({ row, paper: null })),
  ];
  const withPaper = rows.some(({ paper }) => paper);
  const table = document.createElement('table');
  table.id = 'results';
  table.createCaption().textContent =
    `Test metrics after ${results.epochs} epochs (features of epoch ${results.best_epoch}); ties as their exact expectation`;
  const head = table.createTHead().insertRow();
  const headers = ['model', 'bin', 'r', 'protocol', ...METRICS.map(([, label]) => label),
    ...(withPaper ? METRICS.map(([, label]) => `paper ${label}`) : [])];
  for (const text of headers) {
    const th = document.createElement('th');
    th.textContent = text;
    if (text.startsWith('paper')) th.classList.add('paper');
    head.append(th);
  }
  const body = table.createTBody();
  for (const { row, paper } of rows) {
    const tr = body.insertRow();
    tr.dataset.model = row.model;
    tr.dataset.protocol = row.protocol;
    if (row.binarization) tr.dataset.binarization = row.binarization;
    const floor = row.bits == null;
    const cells = [row.model, row.binarization ?? '–', row.bits ?? '–', row.protocol,
      ...METRICS.map(([key]) => row[key].toFixed(4))];
    for (const text of cells) {
      const td = tr.insertCell();
      td.textContent = text;
      if (floor) td.classList.add('floor');
    }
    if (withPaper) {
      for (const [key] of METRICS) {
        const td = tr.insertCell();
        td.textContent = fmtPaper(paper?.[key]);
        td.classList.add('paper');
        td.dataset.paper = key;
      }
    }
  }
  const note = document.createElement('p');
  note.id = 'results-paper-note';
  note.className = 'note';
  note.textContent = results.paper.note;
  container.replaceChildren(table, note, ...renderDrop(results.sst_drop));
}

/**
 * ST versus SST (sec. 4.3, Figure 2): SST minus ST per protocol, and in words where in
 * the ranking the drop is (top: NDCG@2, deeper: NDCG@10). Empty without an ST/SST pair.
 */
function renderDrop(drops) {
  if (!drops?.length) return [];
  const table = document.createElement('table');
  table.id = 'sst-drop';
  table.createCaption().textContent = 'What the sign costs after training through tanh(αF): SST − ST';
  const head = table.createTHead().insertRow();
  for (const text of ['protocol', ...METRICS.map(([, label]) => label)]) {
    const th = document.createElement('th');
    th.textContent = text;
    head.append(th);
  }
  for (const drop of drops) {
    const tr = table.createTBody().insertRow();
    tr.dataset.protocol = drop.protocol;
    tr.insertCell().textContent = drop.protocol;
    for (const [key] of METRICS) {
      const td = tr.insertCell();
      td.textContent = `${drop[key] > 0 ? '+' : ''}${drop[key].toFixed(4)}`;
      td.dataset.metric = key;
      if (drop[key] < 0) td.classList.add('worse');
    }
  }
  const [first] = drops;
  const worst = ['ndcg@2', 'ndcg@6', 'ndcg@10'].reduce((a, b) => (first[b] < first[a] ? b : a));
  const where = worst === 'ndcg@2' ? 'at the very top of the ranking'
    : worst === 'ndcg@6' ? 'in the first half-dozen places' : 'deeper in the ranking';
  const text = document.createElement('p');
  text.id = 'sst-drop-where';
  text.textContent = first[worst] < 0
    ? `Under ${first.protocol}, SST loses most at ${METRICS.find(([key]) => key === worst)[1]} (${first[worst].toFixed(4)}), ${where}: ` +
      'after the sign, items that tanh(αF) kept apart share a Hamming distance and tie (see a user\'s ST and SST rankings below).'
    : `Under ${first.protocol}, SST does not lose to ST on this run.`;
  return [table, text];
}

/** Offers `bytes` (a string or Uint8Array) as a download named `name`. */
function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function initTrainingPanel(client, $, explorer, urlState) {
  const form = $('train-form');
  urlState?.restoreForm(form);
  const exports = [$('export-codes'), $('export-report')];
  const setExportable = (on) => { for (const b of exports) b.disabled = !on; };
  const chart = new LossChart($('train-chart'));
  const buttons = ['play', 'pause', 'step', 'reset', 'cancel'].map((b) => $(`train-${b}`));
  const [play, pause, step, reset, cancel] = buttons;
  let configured = false;
  let lastEpoch = 0;

  const setState = (state, text) => {
    document.body.dataset.training = state;
    if (text) $('train-status').textContent = text;
    const running = state === 'running' || state === 'stepping';
    play.disabled = running;
    step.disabled = running;
    reset.disabled = running;
    pause.disabled = !running;
    cancel.disabled = !running;
    for (const input of form.elements) input.disabled = running;
  };
  const showError = (error) => {
    $('train-error').textContent = error.message;
    $('train-error').hidden = false;
  };
  // Within-epoch progress (the worker trains a few mini-batches per call): a bar after
  // the status line, its value the share of the epoch in progress.
  const bar = document.createElement('progress');
  bar.id = 'train-progress';
  bar.max = 1;
  bar.value = 0;
  bar.setAttribute('aria-label', 'progress of the current epoch');
  $('train-status').after(bar);
  const onProgress = ({ record, ms, fraction }) => {
    if (!record) {
      bar.value = fraction;
      bar.dataset.epoch = String(lastEpoch + 1);
      return;
    }
    bar.value = 0;
    lastEpoch = record.epoch;
    chart.add(record);
    const validation = record.validation ? `, validation NDCG@10 ${record.validation.ndcg_at_10.toFixed(4)}` : '';
    $('train-status').textContent =
      `epoch ${record.epoch}: loss ${record.loss.total.toFixed(5)} (${ms.toFixed(0)} ms)${validation}`;
  };
  const configure = async () => {
    $('train-error').hidden = true;
    chart.clear();
    $('train-results').replaceChildren();
    explorer?.hide();
    lastEpoch = 0;
    bar.value = 0;
    setExportable(false);
    await client.request('configure', { settings: readSettings(form) });
    configured = true;
  };
  const showResults = async () => {
    renderResults($('train-results'), await client.request('results'));
    setExportable(true);
    await explorer?.update(readSettings(form));
  };
  const guarded = (action) => async () => {
    try {
      await action();
    } catch (error) {
      showError(error);
      setState('idle');
    }
  };

  form.addEventListener('change', () => { configured = false; });
  form.addEventListener('input', () => urlState?.saveForm(form));
  form.addEventListener('change', () => urlState?.saveForm(form));
  const name = () => {
    const { model, bits, binarization } = readSettings(form);
    return `ccsr-${model}-${bits}bit-${binarization}`;
  };
  const exporting = (action) => async () => {
    try {
      await action();
    } catch (error) {
      showError(error);
    }
  };
  $('export-codes').addEventListener('click', exporting(async () => {
    download(await client.request('exportFaiss'), `${name()}-faiss.zip`, 'application/zip');
  }));
  $('export-report').addEventListener('click', exporting(async () => {
    download(await client.request('report'), `${name()}-report.json`, 'application/json');
  }));
  play.addEventListener('click', guarded(async () => {
    if (!configured) await configure();
    setState('running', `training ${form.elements.model.value.toUpperCase()}…`);
    const { stopped, finished } = await client.request('train', {}, onProgress);
    if (stopped === 'cancel') {
      configured = false;
      bar.value = 0;
      explorer?.hide();
      setState('cancelled', `cancelled after epoch ${lastEpoch}; Play starts a new run`);
      return;
    }
    await showResults();
    setState(finished ? 'finished' : 'paused', finished
      ? `finished: ${lastEpoch} epochs`
      : `paused after epoch ${lastEpoch}; Play resumes`);
  }));
  pause.addEventListener('click', guarded(() => client.request('pause')));
  cancel.addEventListener('click', guarded(() => client.request('cancel')));
  step.addEventListener('click', guarded(async () => {
    if (!configured) await configure();
    setState('stepping');
    await client.request('step', {}, onProgress);
    await showResults();
    setState('paused');
  }));
  reset.addEventListener('click', guarded(async () => {
    await configure();
    setState('idle', 'reset: not trained yet');
  }));
  setState('idle');
  // A new data set invalidates the run.
  return () => {
    configured = false;
    setExportable(false);
    chart.clear();
    $('train-results').replaceChildren();
    explorer?.hide();
    setState('idle', 'Not trained yet.');
  };
}
