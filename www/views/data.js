// The data panel: the built-in synthetic set by default, MovieLens from a zip or files
// (picked or dropped) or from the dev server's data folder (served-data.js). Parsing
// happens in the worker; a failed load shows the reader's error (file, line, problem)
// and the previous data set stays loaded.
import { labelOf, listServed, requestForServed } from './served-data.js';

const fmtInt = (n) => n.toLocaleString('en-US');

/** Renders a summary (users, items, ratings, density, split, rating histogram). */
function renderSummary(container, summary) {
  const { stats } = summary;
  const table = document.createElement('table');
  table.id = 'data-stats';
  table.createCaption().textContent = summary.name;
  const rows = [
    ['users', fmtInt(stats.users)],
    ['items', fmtInt(stats.items)],
    ['ratings', fmtInt(stats.ratings)],
    ['density', `${(100 * stats.density).toFixed(2)}%`],
    ['feedback', summary.feedback.toLowerCase()],
    ['split', `${summary.split} (seed ${summary.split_seed}): ${fmtInt(summary.train_ratings)} train, ${fmtInt(summary.test_ratings)} test`],
  ];
  const body = table.createTBody();
  for (const [key, value] of rows) {
    const row = body.insertRow();
    row.dataset.stat = key;
    row.insertCell().textContent = key;
    row.insertCell().textContent = value;
  }
  const histogram = document.createElement('div');
  histogram.className = 'histogram';
  histogram.setAttribute('aria-label', 'rating histogram');
  const most = Math.max(...stats.rating_histogram.map(([, count]) => count));
  for (const [rating, count] of stats.rating_histogram) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = `${(100 * count) / most}%`;
    const label = document.createElement('span');
    label.textContent = `${rating}★`;
    const value = document.createElement('span');
    value.textContent = fmtInt(count);
    value.dataset.rating = rating;
    histogram.append(label, bar, value);
  }
  container.replaceChildren(table, histogram);
}

/** Turns picked or dropped files into one load request. */
function requestFor(files) {
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return ['loadZip', { file: files[0] }];
  return ['loadFiles', { files }];
}

/** Lists the served data sets as buttons in `list` (`row` stays hidden if there are none). */
async function offerServed(row, list, load) {
  const datasets = await listServed();
  for (const dataset of datasets) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.served = dataset.name;
    button.textContent = labelOf(dataset);
    button.addEventListener('click', () => load(requestForServed(dataset)));
    list.append(button);
  }
  row.hidden = datasets.length === 0;
  row.dataset.listed = String(datasets.length);
}

export function initDataPanel(client, $, onLoaded) {
  const errorBox = $('data-error');
  // `request`: [type, payload], or a promise of it (a served data set is fetched first).
  const load = async (request) => {
    document.body.dataset.data = 'loading';
    try {
      const summary = await client.request(...(await request));
      errorBox.hidden = true;
      renderSummary($('data-summary'), summary);
      onLoaded?.(summary);
    } catch (error) {
      errorBox.textContent = `Could not load the data: ${error.message}\nThe previous data set is still loaded.`;
      errorBox.hidden = false;
    } finally {
      document.body.dataset.data = 'ready';
    }
  };
  const loadFiles = (files) => files.length && load(requestFor([...files]));

  $('data-synthetic').addEventListener('click', () => load(['loadSynthetic', {}]));
  $('data-files').addEventListener('change', (event) => loadFiles(event.target.files));
  const drop = $('data-drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    loadFiles(event.dataTransfer.files);
  });
  void offerServed($('data-served'), $('data-served-list'), load);
  return () => load(['loadSynthetic', {}]);
}
