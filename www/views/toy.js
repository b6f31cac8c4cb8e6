// Figure 2, interactive: three items a, b, c with 2-d continuous features the reader
// drags (pointer) or moves with the arrow keys (focus a point first). Every move asks
// the worker for the comparison (src/toy.rs): similarities in continuous space, after
// sign, after scaled tanh with slope alpha, and after sign-scaled tanh, and the failure
// modes that shows, in words. Faint rings mark where tanh(alpha f) puts each point.
import { formatToy } from '../url-state.js';

const SVG = 'http://www.w3.org/2000/svg';
const EXTENT = 1.2; // the plane shows [-1.2, 1.2]^2
const SIZE = 300; // px in the viewBox
const NAMES = ['a', 'b', 'c'];
const COLORS = { a: '#1a73e8', b: '#d93025', c: '#188038' };

const ROWS = [
  ['continuous', 'continuous ⟨f_a, f_·⟩'],
  ['sign', 'sign (S): r − 2·Hamming'],
  ['scaled_tanh', 'scaled tanh (ST) ⟨tanh αf_a, ·⟩'],
  ['sign_scaled_tanh', 'sign-scaled tanh (SST): r − 2·Hamming'],
];

const closer = ({ ab, ac }) => (ab > ac ? 'b' : ab < ac ? 'c' : 'tie');
const round = (x) => Math.round(x * 100) / 100;
const clamp = (x) => Math.max(-EXTENT, Math.min(EXTENT, x));
const toPx = (x) => ((x + EXTENT) / (2 * EXTENT)) * SIZE;
const toPy = (y) => ((EXTENT - y) / (2 * EXTENT)) * SIZE;
const signs = (v) => v.map((s) => (s > 0 ? '+' : '−')).join('');

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  parent?.append(node);
  return node;
}

/** The plane: quadrants labelled with their sign codes, axes, and the three points. */
function buildPlane(svg) {
  svg.setAttribute('viewBox', `0 0 ${SIZE} ${SIZE}`);
  const o = toPx(0);
  for (const [sx, sy] of [[1, 1], [-1, 1], [-1, -1], [1, -1]]) {
    const x = sx > 0 ? o : 0;
    const y = sy > 0 ? 0 : o;
    el('rect', { x, y, width: SIZE / 2, height: SIZE / 2, class: `quadrant q${sx}${sy}` }, svg);
    const label = el('text', { x: x + (sx > 0 ? SIZE / 2 - 8 : 8), y: y + (sy > 0 ? 18 : SIZE / 2 - 8),
      'text-anchor': sx > 0 ? 'end' : 'start', class: 'quadrant-label' }, svg);
    label.textContent = `sign code ${sx > 0 ? '+' : '−'}${sy > 0 ? '+' : '−'}`;
  }
  el('line', { x1: 0, y1: o, x2: SIZE, y2: o, class: 'axis' }, svg);
  el('line', { x1: o, y1: 0, x2: o, y2: SIZE, class: 'axis' }, svg);
  for (const t of [-1, 1]) {
    el('rect', { x: toPx(-1), y: toPy(1), width: toPx(1) - toPx(-1), height: toPy(-1) - toPy(1), class: 'unit-box' }, svg);
    const tick = el('text', { x: toPx(t), y: o + 14, 'text-anchor': 'middle', class: 'tick' }, svg);
    tick.textContent = String(t);
  }
  const points = {};
  for (const name of NAMES) {
    const g = el('g', { class: 'toy-point', tabindex: '0', role: 'button', 'aria-roledescription': 'draggable point',
      'data-point': name }, svg);
    const vector = el('line', { x1: o, y1: o, class: 'vector', stroke: COLORS[name] }, svg);
    svg.insertBefore(vector, g);
    const ghost = el('circle', { r: 7, class: 'ghost', stroke: COLORS[name] }, svg);
    svg.insertBefore(ghost, vector);
    el('circle', { r: 11, fill: COLORS[name], class: 'dot' }, g);
    const label = el('text', { 'text-anchor': 'middle', dy: '0.35em', class: 'point-label' }, g);
    label.textContent = name;
    points[name] = { g, vector, ghost };
  }
  return points;
}

export function initToy(client, $, urlState) {
  const svg = $('toy-plane');
  const alphaInput = $('toy-alpha');
  const points = buildPlane(svg);
  let features = null;
  let entities = null;
  let requested = 0;
  let shown = 0;

  const alpha = () => Number(alphaInput.value);

  const draw = () => {
    for (const name of NAMES) {
      const [x, y] = features[name];
      const { g, vector, ghost } = points[name];
      g.setAttribute('transform', `translate(${toPx(x)} ${toPy(y)})`);
      vector.setAttribute('x2', toPx(x));
      vector.setAttribute('y2', toPy(y));
      g.setAttribute('aria-label', `item ${name} at (${x.toFixed(2)}, ${y.toFixed(2)}); drag it, or use the arrow keys`);
      const st = entities?.find((e) => e.name === name)?.scaled_tanh;
      ghost.setAttribute('visibility', st ? 'visible' : 'hidden');
      if (st) {
        ghost.setAttribute('cx', toPx(st[0]));
        ghost.setAttribute('cy', toPy(st[1]));
      }
    }
  };

  const render = (figure) => {
    entities = figure.entities;
    draw();
    $('toy-alpha-value').textContent = String(figure.alpha);
    const findings = $('toy-findings');
    findings.replaceChildren(...figure.findings.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }));
    const table = document.createElement('table');
    table.id = 'toy-table';
    table.createCaption().textContent = `Similarity of a to b and to c (α = ${figure.alpha})`;
    const head = table.createTHead().insertRow();
    for (const text of ['representation', 'sim(a,b)', 'sim(a,c)', 'closer to a']) {
      const th = document.createElement('th');
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    const reference = closer(figure.continuous);
    for (const [key, label] of ROWS) {
      const pair = figure[key];
      const row = body.insertRow();
      row.dataset.representation = key;
      // Binary similarities are integers (r - 2 Hamming); the others real numbers.
      const fmt = key.startsWith('sign') ? String : (x) => x.toFixed(3);
      for (const text of [label, fmt(pair.ab), fmt(pair.ac), closer(pair)]) row.insertCell().textContent = text;
      if (closer(pair) !== reference) row.classList.add('flip');
    }
    const codes = document.createElement('table');
    codes.id = 'toy-codes';
    codes.createCaption().textContent = 'Each item in each representation';
    const codesHead = codes.createTHead().insertRow();
    for (const text of ['item', 'f', 'sgn(f)', 'tanh(αf)', 'sgn(tanh(αf))']) {
      const th = document.createElement('th');
      th.textContent = text;
      codesHead.append(th);
    }
    const codesBody = codes.createTBody();
    for (const e of figure.entities) {
      const row = codesBody.insertRow();
      row.dataset.entity = e.name;
      for (const text of [e.name, `(${e.features.map((x) => x.toFixed(2)).join(', ')})`, signs(e.sign),
        `(${e.scaled_tanh.map((x) => x.toFixed(3)).join(', ')})`, signs(e.sign_scaled_tanh)]) {
        row.insertCell().textContent = text;
      }
    }
    $('toy-tables').replaceChildren(table, codes);
    document.body.dataset.toy = 'ready';
  };

  const showError = (error) => {
    $('toy-error').textContent = error.message;
    $('toy-error').hidden = false;
  };

  /** Recomputes in the worker; answers to older requests than the one shown are dropped. */
  const update = async () => {
    const id = ++requested;
    document.body.dataset.toy = 'computing';
    draw();
    urlState.set({ toy: formatToy(features), alpha: alpha() });
    try {
      const figure = await client.request('toyFeatures', { ...features, alpha: alpha() });
      if (id < shown) return;
      shown = id;
      $('toy-error').hidden = true;
      render(figure);
    } catch (error) {
      showError(error);
    }
  };

  const preset = async (example) => {
    const figure = await client.request('toy', { example, alpha: alpha() });
    features = Object.fromEntries(figure.entities.map((e) => [e.name, e.features.slice(0, 2)]));
    await update();
  };

  // Dragging: pointer position in the plane's coordinates.
  const toPlane = (event) => {
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
    return [round(clamp((p.x / SIZE) * 2 * EXTENT - EXTENT)), round(clamp(EXTENT - (p.y / SIZE) * 2 * EXTENT))];
  };
  for (const name of NAMES) {
    const { g } = points[name];
    g.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      g.setPointerCapture(event.pointerId);
      g.classList.add('dragging');
      g.focus();
    });
    g.addEventListener('pointermove', (event) => {
      if (!g.hasPointerCapture(event.pointerId)) return;
      features[name] = toPlane(event);
      update();
    });
    const release = (event) => {
      if (g.hasPointerCapture(event.pointerId)) g.releasePointerCapture(event.pointerId);
      g.classList.remove('dragging');
    };
    g.addEventListener('pointerup', release);
    g.addEventListener('pointercancel', release);
    g.addEventListener('keydown', (event) => {
      const step = event.shiftKey ? 0.2 : 0.05;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const [x, y] = features[name];
      features[name] = [round(clamp(x + move[0])), round(clamp(y + move[1]))];
      update();
    });
  }

  alphaInput.addEventListener('input', () => {
    $('toy-alpha-value').textContent = alphaInput.value;
    update();
  });
  $('toy-preset-reversal').addEventListener('click', () => preset('order-reversal').catch(showError));
  $('toy-preset-tie').addEventListener('click', () => preset('sst-tie').catch(showError));

  const restored = urlState.restoreToy({ minAlpha: Number(alphaInput.min), maxAlpha: Number(alphaInput.max) });
  if (restored.alpha != null) alphaInput.value = String(restored.alpha);
  $('toy-alpha-value').textContent = alphaInput.value;

  /** Draws the toy in a (new) worker: the URL's features, else the order-reversal preset. */
  return async () => {
    try {
      if (features) await update();
      else if (restored.features) {
        features = restored.features;
        await update();
      } else await preset('order-reversal');
    } catch (error) {
      showError(error);
    }
  };
}
