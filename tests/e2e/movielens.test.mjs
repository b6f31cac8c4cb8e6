// MovieLens 1M (../shared/data/ml-1m-head: users 1..2999, never committed) given to the
// page as files: CCSR trains, the results table shows the paper's Table 3 / Table 6
// numbers beside ours, and the explorer shows a user's rated movies (real titles and
// their ratings from ratings.dat) and their top-k with titles, distances, tie sizes and
// held-out markers that agree with the files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApp, screenshot } from './browser.mjs';

const ML1M = fileURLToPath(new URL('../../../shared/data/ml-1m-head/', import.meta.url));
const PAPER = JSON.parse(await readFile(new URL('../../src/paper_tables.json', import.meta.url), 'utf8'));
const USER = '10';
const BITS = 10;

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

/** movie id -> title (movies.dat is ISO 8859-1) and this user's movie id -> rating. */
async function truth() {
  const titles = new Map();
  for (const line of (await readFile(`${ML1M}movies.dat`, 'latin1')).split('\n')) {
    const [id, title] = line.split('::');
    if (title) titles.set(id, title);
  }
  const ratings = new Map();
  for (const line of (await readFile(`${ML1M}ratings.dat`, 'latin1')).split('\n')) {
    if (!line.startsWith(`${USER}::`)) continue;
    const [, movie, rating] = line.split('::');
    ratings.set(movie, Number(rating));
  }
  return { titles, ratings, titleSet: new Set(titles.values()) };
}

test('MovieLens 1M: paper numbers beside ours, and a user\'s rated movies and top-k', async () => {
  const { titles, ratings, titleSet } = await truth();
  const ratingOfTitle = new Map([...ratings].map(([movie, rating]) => [titles.get(movie), rating]));
  const page = await app.newPage();
  await page.waitForSelector('body[data-status="ready"]', { timeout: 30_000 });
  await page.locator('#data-files').setInputFiles(['movies.dat', 'ratings.dat', 'users.dat'].map((f) => ML1M + f));
  await page.waitForFunction(() => document.querySelector('#data-stats caption')?.textContent === 'MovieLens 1M', null, { timeout: 120_000 });
  assert.equal(await page.textContent('#data-stats tr[data-stat="users"] td:last-child'), '2,999');

  await page.fill('#train-form [name=bits]', String(BITS));
  await page.fill('#train-form [name=epochs]', '2');
  await page.click('#train-play');
  await page.waitForSelector('body[data-training="finished"]', { timeout: 600_000 });

  // The paper's CCSR-S numbers at r = 10 beside ours (Table 3 NDCG, Table 6 Recall@6).
  const row = page.locator('#results tr[data-model="CCSR"][data-protocol="test-items"]');
  const paper = Object.fromEntries(await row.locator('td.paper').evaluateAll((tds) => tds.map((td) => [td.dataset.paper, td.textContent])));
  const t3 = PAPER.table3_ndcg_movielens1m['CCSR-S'];
  assert.deepEqual(paper, {
    'ndcg@2': t3['ndcg@2'][BITS].toFixed(4),
    'ndcg@6': t3['ndcg@6'][BITS].toFixed(4),
    'ndcg@10': t3['ndcg@10'][BITS].toFixed(4),
    'recall@6': PAPER.table6_recall6['CCSR-S'].movielens1m[BITS].toFixed(4),
  });
  // Protocol B rows and the floors have no paper number.
  const full = await page.locator('#results tr[data-model="CCSR"][data-protocol="full-catalogue"] td.paper').allTextContents();
  assert.deepEqual(full, ['–', '–', '–', '–']);
  assert.match(await page.textContent('#results-paper-note'), /Table 3 \(NDCG\) and Table 6 \(Recall@6\), MovieLens 1M.*2999 of MovieLens 1M's 6040 users/);

  // Explore user 10.
  await page.waitForSelector('#explore:not([hidden]) table.ranking');
  await page.fill('#explore-form [name=user]', USER);
  await page.fill('#explore-form [name=k]', '50');
  await page.click('#explore-form button[type=submit]');
  await page.waitForFunction((u) => document.querySelector('#explore-user table caption')?.textContent.startsWith(`user ${u}:`), USER);
  const caption = await page.textContent('#explore-user table caption');
  const [, trained, heldOut] = caption.match(/^user 10: (\d+) training ratings \(best first\), (\d+) held out$/).map(Number);
  assert.equal(trained + heldOut, ratings.size, caption);

  // Rated movies: real titles from movies.dat with this user's ratings from ratings.dat.
  const history = await page.locator('#explore-user table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.equal(history.length, 10);
  for (const [title, stars] of history) {
    assert.ok(ratingOfTitle.has(title), `user ${USER} rated ${title}`);
    assert.equal(stars, `${ratingOfTitle.get(title)}★`, title);
  }
  assert.equal(history[0][1], '5★', 'best first');

  // Top-k: titles, Hamming distances in order, tie sizes, held-out markers that match the files.
  const ranking = await page.locator('table.ranking tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    cells: [...tr.cells].map((td) => td.textContent), heldOut: tr.classList.contains('held-out'),
  })));
  assert.equal(ranking.length, 50);
  let previous = -1;
  let held = 0;
  for (const { cells: [rank, title, distance, tie, test], heldOut: marked } of ranking) {
    assert.ok(titleSet.has(title), `a title from movies.dat: ${title}`);
    assert.ok(Number(distance) >= previous && Number(distance) <= BITS, `distance ${distance}`);
    previous = Number(distance);
    assert.ok(Number(tie) >= 1 && Number(rank) >= 1);
    const rated = ratingOfTitle.get(title);
    // Items the user rated in training are never ranked; every other rated one is held out.
    assert.equal(marked, rated != null, title);
    assert.equal(test, rated == null ? '' : `${rated}★`, title);
    if (marked) held++;
  }
  // Tie groups: an item's tie size is the number of ranked items at its distance when
  // the group lies wholly within the top k.
  const byDistance = new Map();
  for (const r of ranking) byDistance.set(r.cells[2], [...(byDistance.get(r.cells[2]) ?? []), r]);
  for (const [distance, group] of byDistance) {
    if (group.at(-1) !== ranking.at(-1)) assert.equal(Number(group[0].cells[3]), group.length, `tie at ${distance}`);
  }
  assert.match(await page.textContent('table.ranking caption'), new RegExp(`top 50, ${held} held out$`));
  await screenshot(page, 'movielens-explore');
  await page.close();
});
