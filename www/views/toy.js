// Figure 2 as tables: similarity of a to b and to c in each representation.
const ROWS = [
  ['continuous', 'continuous <a,·>'],
  ['sign', 'sign (S): r − 2·Hamming'],
  ['scaled_tanh', 'scaled tanh (ST) <tanh αa, ·>'],
  ['sign_scaled_tanh', 'sign-scaled tanh (SST): r − 2·Hamming'],
];

const TITLES = ['Order reversal (Figure 2, left)', 'SST tie (Figure 2, right)'];

const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(3));
const closer = ({ ab, ac }) => (ab > ac ? 'b' : ab < ac ? 'c' : 'tie');

export function renderToy(container, figures) {
  container.replaceChildren(...figures.map((figure, i) => {
    const table = document.createElement('table');
    table.dataset.example = i === 0 ? 'order-reversal' : 'sst-tie';
    table.createCaption().textContent = TITLES[i];
    table.createTHead().insertRow().append(
      ...['representation', 'sim(a,b)', 'sim(a,c)', 'closer to a'].map((text) => {
        const th = document.createElement('th');
        th.textContent = text;
        return th;
      }),
    );
    const body = table.createTBody();
    const reference = closer(figure.continuous);
    for (const [key, label] of ROWS) {
      const pair = figure[key];
      const row = body.insertRow();
      row.dataset.representation = key;
      for (const text of [label, fmt(pair.ab), fmt(pair.ac), closer(pair)]) row.insertCell().textContent = text;
      if (closer(pair) !== reference) row.classList.add('flip');
    }
    return table;
  }));
}
