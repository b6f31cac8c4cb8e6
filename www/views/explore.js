// After training: one user's rated movies and top-k items by Hamming distance (with tie
// group sizes and held-out ratings), their code beside their top items' codes, and the
// code grids of users and items with the balance of every bit. For an ST-trained model
// the ST ranking (inner product of tanh features) and the SST ranking (Hamming distance
// of their signs) are shown side by side, so the reader sees where they part.

const TITLES = {
  Sign: 'sign codes (S), Hamming distance',
  ScaledTanh: 'scaled tanh (ST), inner product',
  SignScaledTanh: 'sign-scaled tanh (SST), Hamming distance',
  Continuous: 'continuous (C), inner product',
};

function bits(code) {
  const cell = document.createElement('span');
  cell.className = 'bits';
  cell.setAttribute('aria-label', code);
  for (const bit of code) {
    const b = document.createElement('span');
    b.className = bit === '1' ? 'b1' : 'b0';
    cell.append(b);
  }
  return cell;
}

/** `node` inside a box that scrolls sideways on its own (narrow screens). */
function scroller(node) {
  const box = document.createElement('div');
  box.className = 'scroll';
  box.append(node);
  return box;
}

function table(caption, headers, rows, decorate) {
  const t = document.createElement('table');
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) {
      const td = tr.insertCell();
      if (value instanceof Node) td.append(value);
      else td.textContent = value;
    }
    decorate?.(tr, row);
  }
  return t;
}

function renderUser(container, view) {
  const history = view.history.slice(0, 10).map((r) => [r.title, `${r.rating}★`]);
  const parts = [scroller(table(`user ${view.id}: ${view.history.length} training ratings (best first), ${view.held_out.length} held out`,
    ['rated in training', 'rating'], history))];
  if (view.code) {
    const p = document.createElement('p');
    p.className = 'user-code';
    p.append(`user ${view.id}'s code: `, bits(view.code), ` ${view.code}`);
    parts.unshift(p);
  }
  container.replaceChildren(...parts);
}

function renderRanking(view, binarization) {
  const binary = view.ranking[0]?.distance != null;
  const headers = ['#', 'item', binary ? 'distance' : 'score', 'tie group', 'held-out rating', ...(binary ? ['code'] : [])];
  const rows = view.ranking.map((r) => [
    r.rank, r.title, binary ? r.distance : r.score.toFixed(3), r.tie_size,
    r.test_rating == null ? '' : `${r.test_rating}★`, ...(binary ? [bits(r.code)] : []),
  ]);
  const hits = view.ranking.filter((r) => r.test_rating != null).length;
  const t = table(`${TITLES[binarization]}: top ${view.ranking.length}, ${hits} held out`, headers, rows,
    (tr, row) => { if (row[4]) tr.classList.add('held-out'); });
  t.dataset.binarization = binarization;
  t.classList.add('ranking');
  return t;
}

function renderCodes(grid, label) {
  const rows = grid.rows.map((r) => [r.label, bits(r.code)]);
  const balance = document.createElement('span');
  balance.className = 'bits';
  for (const share of grid.balance) {
    const b = document.createElement('span');
    b.className = 'balance';
    b.style.height = `${Math.max(1, 18 * share)}px`;
    b.title = `${(100 * share).toFixed(0)}% ones`;
    balance.append(b);
  }
  rows.push(['bit balance (share of 1s)', balance]);
  const t = table(`${label}: first ${grid.rows.length} of ${grid.total} (${grid.bits} bits)`, ['', 'code'], rows);
  t.classList.add('code-grid');
  t.dataset.entity = label;
  return t;
}

export function initExplorePanel(client, $, urlState) {
  const form = $('explore-form');
  const restored = urlState?.restoreUser();
  if (restored) form.elements.user.value = restored;
  let binarizations = ['Sign'];

  const show = async () => {
    const user = form.elements.user.value.trim();
    const k = Number(form.elements.k.value);
    try {
      const views = await Promise.all(binarizations.map((binarization) =>
        client.request('userRanking', { user, k, binarization })));
      $('explore-error').hidden = true;
      renderUser($('explore-user'), views.find((v) => v.code) ?? views[0]);
      $('explore-rankings').replaceChildren(...views.map((v, i) => scroller(renderRanking(v, binarizations[i]))));
      urlState?.set({ user });
      document.body.dataset.explore = 'shown';
    } catch (error) {
      $('explore-error').textContent = error.message;
      $('explore-error').hidden = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });

  return {
    /** Shows the explorer for a trained run with the given settings. */
    async update(settings) {
      const st = ['ScaledTanh', 'SignScaledTanh'].includes(settings.binarization);
      binarizations = st ? ['ScaledTanh', 'SignScaledTanh'] : [settings.binarization];
      $('explore').hidden = false;
      const [users, items] = await Promise.all([
        client.request('codes', { items: false, limit: 16 }),
        client.request('codes', { items: true, limit: 16 }),
      ]);
      $('explore-codes').replaceChildren(scroller(renderCodes(users, 'users')), scroller(renderCodes(items, 'items')));
      await show();
    },
    hide() {
      $('explore').hidden = true;
    },
  };
}
