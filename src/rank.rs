//! Ranking a catalogue for one query (paper sec. 5.3: "the top-k items are ranked based
//! on the Hamming distance between binary codes of a query user and the items").
//!
//! Hamming distances take only r + 1 values, so [`by_hamming`] ranks by counting sort in
//! O(n + r). Items at equal distance are tied: a [`Ranking`] keeps them together as a
//! [`TieGroup`], in candidate order, so that metrics can break ties at random or take
//! the expectation over all tie orders. [`by_score`] does the same for real-valued
//! scores (inner products of continuous features, baselines' item scores).
//!
//! Speed (numbers in BENCHMARKS.md): all rankings go through a [`HammingRanker`], which
//! keeps its buffers between queries and works in three passes over the candidates:
//! distances (`u16`, one popcount per word), a histogram of the r + 1 distances, then
//! the writes. Cut at a depth k ([`by_hamming_top`], the k-NN that FAISS's
//! `IndexBinaryFlat` answers, but with the boundary tie group kept whole), the histogram
//! gives the threshold distance and only the items within it are written; a full
//! ranking writes every item, from four independent chunks of the candidates with their
//! own cursors so that consecutive writes do not wait on each other. [`rank_all_users`]
//! ranks a catalogue for every user in blocks of users. [`reference`](mod@reference) keeps the first
//! implementation, for tests and before/after benchmarks.

use crate::codes::{hamming, BinaryCodes};
use rand::seq::SliceRandom;
use rand::Rng;

/// A run of tied items in a ranking: `size` consecutive items sharing `key` (a Hamming
/// distance, or a score).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TieGroup<K> {
    pub key: K,
    pub size: usize,
}

/// Candidates in rank order, best first, partitioned into groups of ties. Within a
/// group, items keep their candidate order until [`Ranking::shuffle_ties`].
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking<K> {
    items: Vec<u32>,
    groups: Vec<TieGroup<K>>,
}

impl<K> Default for Ranking<K> {
    fn default() -> Self {
        Ranking {
            items: Vec::new(),
            groups: Vec::new(),
        }
    }
}

impl<K> Ranking<K> {
    /// Ranked items, best first (all of them, or every group that starts within the
    /// depth a ranking was cut at).
    pub fn items(&self) -> &[u32] {
        &self.items
    }

    /// The tie groups, best first; their sizes add up to `items().len()`.
    pub fn groups(&self) -> &[TieGroup<K>] {
        &self.groups
    }

    /// The first `k` items (fewer if the ranking is shorter).
    pub fn top_k(&self, k: usize) -> &[u32] {
        &self.items[..k.min(self.items.len())]
    }

    /// Each tie group with its items.
    pub fn tie_groups(&self) -> impl Iterator<Item = (&TieGroup<K>, &[u32])> {
        let mut start = 0;
        self.groups.iter().map(move |group| {
            let items = &self.items[start..start + group.size];
            start += group.size;
            (group, items)
        })
    }

    /// Breaks ties at random: shuffles the items of every group that starts before
    /// position `depth`.
    pub fn shuffle_ties<R: Rng>(&mut self, depth: usize, rng: &mut R) {
        let mut start = 0;
        for group in &self.groups {
            if start >= depth {
                break;
            }
            self.items[start..start + group.size].shuffle(rng);
            start += group.size;
        }
    }
}

/// Ranks `candidates` (indices into `items`) by Hamming distance to `query`, nearest
/// first, by counting sort over the r + 1 possible distances. Ties stay in candidate
/// order, so this equals a stable sort by distance.
pub fn by_hamming(query: &[u64], items: &BinaryCodes, candidates: &[u32]) -> Ranking<u32> {
    by_hamming_top(query, items, candidates, usize::MAX)
}

/// [`by_hamming`] through position `depth`: every tie group that starts before `depth`
/// is returned whole, later ones are dropped (as [`by_score`] does), so the result is a
/// prefix of the full ranking. Costs the distances and a histogram, plus writes of the
/// returned items only.
pub fn by_hamming_top(
    query: &[u64],
    items: &BinaryCodes,
    candidates: &[u32],
    depth: usize,
) -> Ranking<u32> {
    if candidates.len() <= SMALL {
        // A few candidates (protocol A's test items): the fixed costs of the chunked
        // ranker's buffers outweigh its gains (measured: evaluate's test-items protocol
        // 6.3 ms this way vs 4.9 ms with the single counting sort).
        let mut ranking = reference::by_hamming(query, items, candidates);
        let (mut kept, mut groups) = (0, 0);
        while groups < ranking.groups.len() && kept < depth {
            kept += ranking.groups[groups].size;
            groups += 1;
        }
        ranking.groups.truncate(groups);
        ranking.items.truncate(kept);
        return ranking;
    }
    let mut ranker = HammingRanker::default();
    ranker.rank(query, items, candidates, depth);
    ranker.ranking
}

/// Up to this many candidates, [`by_hamming_top`] takes the single counting sort.
const SMALL: usize = 256;

/// Items at distance `d` of chunk `c` of the candidates are written from `cursor[d][c]`
/// on: [`LANES`] chunks give as many independent write streams per distance.
const LANES: usize = 4;

/// Whether a cut at `depth` of `n` candidates takes [`Strategy::Threshold`] under
/// [`Strategy::Auto`].
fn shallow(depth: usize, n: usize) -> bool {
    depth.saturating_mul(64) <= n
}

/// A Hamming ranker that keeps its buffers (distances, histograms, the ranking) between
/// queries, so that ranking many users allocates nothing after the first.
#[derive(Clone, Debug, Default)]
pub struct HammingRanker {
    /// The candidates' distances, the [`LANES`] chunks interleaved: entry `LANES i + c`
    /// is candidate `c chunk + i`'s (`chunk = n / LANES`); the tail after `LANES chunk`
    /// candidates (part of the last chunk) follows in order.
    distances: Vec<u16>,
    /// A histogram of the distances per chunk, `[u32; LANES]` per distance (one base
    /// address for the four chunks' counters, as for their distances: fewer live
    /// pointers in the loops; a full ranking -17% natively, -2% in wasm, BENCHMARKS.md
    /// eighth pass); then the cursors, laid out the same; then the r + 1 totals.
    counts: Vec<u32>,
    /// For a shallow cut: the items kept so far at each distance.
    buckets: Vec<Vec<u32>>,
    ranking: Ranking<u32>,
}

/// How a ranking is cut at a depth (see [`HammingRanker`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// [`Strategy::Threshold`] for shallow cuts (depth up to 1/64 of the candidates:
    /// k = 10 of ml-1m-head's 3,615 items), else [`Strategy::Histogram`]; measured
    /// (BENCHMARKS.md): at k = 10 the threshold pass is a little faster natively and
    /// clearly faster in wasm, at k = 100 the histogram is faster in both.
    Auto,
    /// Distances, a histogram, the threshold from it, then the kept items written.
    Histogram,
    /// One pass keeping items at distance <= a running threshold (the smallest
    /// distance with at least `depth` items seen at or below it) in per-distance
    /// buckets, as FAISS's counting k-NN does.
    Threshold,
}

impl HammingRanker {
    pub fn new() -> HammingRanker {
        HammingRanker::default()
    }

    /// Ranks `candidates` by Hamming distance to `query` through `depth` (as
    /// [`by_hamming_top`]; `usize::MAX` for all) and returns the ranking, valid until
    /// the next call.
    pub fn rank(
        &mut self,
        query: &[u64],
        items: &BinaryCodes,
        candidates: &[u32],
        depth: usize,
    ) -> &Ranking<u32> {
        self.rank_with(Strategy::Auto, query, items, Some(candidates), depth)
    }

    /// Ranks every item of `items` (candidates `0..items.len()`), as [`HammingRanker::rank`].
    pub fn rank_catalogue(
        &mut self,
        query: &[u64],
        items: &BinaryCodes,
        depth: usize,
    ) -> &Ranking<u32> {
        self.rank_with(Strategy::Auto, query, items, None, depth)
    }

    /// [`HammingRanker::rank`] (`candidates` `None`: the whole catalogue) by a given
    /// strategy; every strategy gives the same ranking.
    pub fn rank_with(
        &mut self,
        strategy: Strategy,
        query: &[u64],
        items: &BinaryCodes,
        candidates: Option<&[u32]>,
        depth: usize,
    ) -> &Ranking<u32> {
        let n = candidates.map_or(items.len(), <[u32]>::len);
        let threshold = match strategy {
            Strategy::Auto => shallow(depth, n),
            Strategy::Histogram => false,
            Strategy::Threshold => true,
        };
        if threshold {
            self.select(query, items, candidates, depth);
        } else {
            self.distances_and_histograms(query, items, candidates);
            match candidates {
                Some(candidates) => self.sort(items.bits(), depth, |i| candidates[i]),
                None => self.sort(items.bits(), depth, |i| i as u32),
            }
        }
        &self.ranking
    }

    /// Fills `self.distances` with the candidates' distances and `self.counts` with one
    /// histogram of them per chunk of the candidates (the last chunk also counts the
    /// tail after `LANES * chunk`), in one pass: the four chunks are walked in lock step,
    /// so that the four histograms' increments do not wait on each other (distances
    /// that bunch up, as trained codes' do, would otherwise chain increments of one
    /// counter).
    fn distances_and_histograms(
        &mut self,
        query: &[u64],
        items: &BinaryCodes,
        candidates: Option<&[u32]>,
    ) {
        assert_eq!(query.len(), items.words_per_code(), "query code length");
        assert!(
            items.bits() < usize::from(u16::MAX),
            "codes of 65535 bits or more"
        );
        let n = candidates.map_or(items.len(), <[u32]>::len);
        let bins = items.bits() + 1;
        // Every entry is overwritten below: only a longer list is filled.
        self.distances.resize(n, 0);
        self.counts.clear();
        self.counts.resize(2 * LANES * bins + bins, 0);
        let (words, out, hist) = (
            items.words(),
            &mut self.distances[..],
            self.counts[..LANES * bins].as_chunks_mut::<LANES>().0,
        );
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU has the popcnt instruction (checked just above).
            unsafe { fused_popcnt(words, query, candidates, out, hist) };
            return;
        }
        fused_kernel(words, query, candidates, out, hist);
    }

    /// [`Strategy::Threshold`].
    fn select(
        &mut self,
        query: &[u64],
        items: &BinaryCodes,
        candidates: Option<&[u32]>,
        depth: usize,
    ) {
        assert_eq!(query.len(), items.words_per_code(), "query code length");
        let bits = items.bits();
        if self.buckets.len() < bits + 1 {
            self.buckets.resize_with(bits + 1, Vec::new);
        }
        let buckets = &mut self.buckets[..=bits];
        for bucket in buckets.iter_mut() {
            bucket.clear();
        }
        self.ranking.items.clear();
        self.ranking.groups.clear();
        if depth == 0 {
            return;
        }
        let words = items.words();
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU has the popcnt instruction (checked just above).
            unsafe { select_popcnt(words, query, candidates, depth, buckets) };
        } else {
            select_kernel(words, query, candidates, depth, buckets);
        }
        #[cfg(not(target_arch = "x86_64"))]
        select_kernel(words, query, candidates, depth, buckets);
        for (d, bucket) in buckets.iter().enumerate() {
            if !bucket.is_empty() {
                self.ranking.groups.push(TieGroup {
                    key: d as u32,
                    size: bucket.len(),
                });
                self.ranking.items.extend_from_slice(bucket);
            }
        }
    }

    /// Ranks the candidates whose distances are in `self.distances` and histograms in
    /// `self.counts`, the candidate at position i being item `item(i)`.
    #[inline]
    fn sort(&mut self, bits: usize, depth: usize, item: impl Fn(usize) -> u32) {
        let n = self.distances.len();
        let bins = bits + 1;
        let chunk = n / LANES;
        // The histograms came with the distances ([`HammingRanker::distances_and_histograms`]).
        let (hist, rest) = self.counts.split_at_mut(LANES * bins);
        let (cursors, totals) = rest.split_at_mut(LANES * bins);
        let (hist, cursors) = (
            hist.as_chunks::<LANES>().0,
            cursors.as_chunks_mut::<LANES>().0,
        );
        for (total, counts) in totals.iter_mut().zip(hist) {
            *total = counts.iter().sum();
        }

        // The last distance kept: that of the group holding position depth - 1.
        let ranking = &mut self.ranking;
        ranking.groups.clear();
        if depth == 0 || n == 0 {
            ranking.items.clear();
            return;
        }
        let mut kept = 0usize;
        let mut last = bits;
        for (d, &count) in totals.iter().enumerate() {
            if count > 0 {
                ranking.groups.push(TieGroup {
                    key: d as u32,
                    size: count as usize,
                });
            }
            kept += count as usize;
            if kept >= depth {
                last = d;
                break;
            }
        }
        // Every position is written below (the counts add up to `kept`): the items
        // kept from the last ranking are overwritten, not zeroed first.
        ranking.items.truncate(kept);
        ranking.items.resize(kept, 0);
        let out = &mut ranking.items[..];

        // Where each chunk's items at each distance go.
        let mut start = 0u32;
        for (cursor, counts) in cursors.iter_mut().zip(hist).take(last + 1) {
            for (cursor, &count) in cursor.iter_mut().zip(counts) {
                *cursor = start;
                start += count;
            }
        }

        let (lanes, tail) = self.distances.split_at(LANES * chunk);
        let lanes = lanes.as_chunks::<LANES>().0;
        let tail_start = LANES * chunk;
        if kept == n {
            for (i, distance) in lanes.iter().enumerate() {
                for (c, &d) in distance.iter().enumerate() {
                    push(out, &mut cursors[usize::from(d)][c], item(c * chunk + i));
                }
            }
            for (j, &d) in tail.iter().enumerate() {
                push(
                    out,
                    &mut cursors[usize::from(d)][LANES - 1],
                    item(tail_start + j),
                );
            }
        } else {
            // Few items are kept: only those within the threshold are written. Blocks of
            // four lane entries (16 distances) are tested at once (vectorised), and only
            // blocks holding a kept item are walked.
            let last = last as u16;
            let mut write = |position: usize, lane: usize, d: u16| {
                if d <= last {
                    push(out, &mut cursors[usize::from(d)][lane], item(position));
                }
            };
            const BLOCK: usize = 4;
            let blocks = lanes.chunks_exact(BLOCK);
            let rest = blocks.remainder();
            for (b, block) in blocks.enumerate() {
                if block
                    .as_flattened()
                    .iter()
                    .fold(false, |any, &d| any | (d <= last))
                {
                    for (k, distance) in block.iter().enumerate() {
                        for (c, &d) in distance.iter().enumerate() {
                            write(c * chunk + BLOCK * b + k, c, d);
                        }
                    }
                }
            }
            let offset = lanes.len() - rest.len();
            for (k, distance) in rest.iter().enumerate() {
                for (c, &d) in distance.iter().enumerate() {
                    write(c * chunk + offset + k, c, d);
                }
            }
            for (j, &d) in tail.iter().enumerate() {
                write(tail_start + j, LANES - 1, d);
            }
        }
    }
}

/// Writes `item` at position `*cursor` of `out` and advances the cursor, which is read
/// once: after the write to `out` the compiler would read it again, not knowing that the
/// two do not overlap (one load fewer per item in wasm, where `*cursor += 1` is not one
/// instruction: 52 fewer `i32.load`s in `rank_with`; a full ranking -2 to -5% in Node,
/// no change natively; BENCHMARKS.md, eighth pass).
#[inline(always)]
fn push(out: &mut [u32], cursor: &mut u32, item: u32) {
    let at = *cursor;
    out[at as usize] = item;
    *cursor = at + 1;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn fused_popcnt(
    words: &[u64],
    query: &[u64],
    candidates: Option<&[u32]>,
    out: &mut [u16],
    hist: &mut [[u32; LANES]],
) {
    fused_kernel(words, query, candidates, out, hist)
}

/// [`HammingRanker::distances_and_histograms`]'s pass (`out` and `hist` as there).
#[inline(always)]
fn fused_kernel(
    words: &[u64],
    query: &[u64],
    candidates: Option<&[u32]>,
    out: &mut [u16],
    hist: &mut [[u32; LANES]],
) {
    let chunk = out.len() / LANES;
    let w = query.len();
    let (lanes, tail) = out.split_at_mut(LANES * chunk);
    let lanes = lanes.as_chunks_mut::<LANES>().0;
    let out = (lanes, tail, hist);
    match (query, candidates) {
        (&[q], None) => {
            let (runs, rest) = runs(words, chunk);
            distances_of(
                runs.map(<[u64]>::iter),
                rest.iter(),
                |&x| (x ^ q).count_ones(),
                out,
            );
        }
        (&[q], Some(candidates)) => {
            let (runs, rest) = runs(candidates, chunk);
            let distance = |&i: &u32| (words[i as usize] ^ q).count_ones();
            distances_of(runs.map(<[u32]>::iter), rest.iter(), distance, out);
        }
        (_, None) => {
            let (runs, rest) = runs(words, chunk * w);
            let distance = |code: &[u64]| hamming(query, code);
            distances_of(
                runs.map(|r| r.chunks_exact(w)),
                rest.chunks_exact(w),
                distance,
                out,
            );
        }
        (_, Some(candidates)) => {
            let (runs, rest) = runs(candidates, chunk);
            let distance = |&i: &u32| {
                let start = i as usize * w;
                hamming(query, &words[start..start + w])
            };
            distances_of(runs.map(<[u32]>::iter), rest.iter(), distance, out);
        }
    }
}

/// `keys` cut into [`LANES`] runs of `len` and the rest.
#[inline(always)]
fn runs<T>(keys: &[T], len: usize) -> ([&[T]; LANES], &[T]) {
    let (r0, rest) = keys.split_at(len);
    let (r1, rest) = rest.split_at(len);
    let (r2, rest) = rest.split_at(len);
    let (r3, rest) = rest.split_at(len);
    ([r0, r1, r2, r3], rest)
}

/// The distances of the [`LANES`] chunks' keys (`keys[c]` yields chunk c's, `rest` the
/// last chunk's tail) into `lanes` (interleaved) and `tail`, counted in `hist`. Walking
/// the keys by zipped iterators needs no bounds check per key, where indexing at
/// `c chunk + i` needed four per row: a full ranking -13 to -15% in wasm (Node), 0 to
/// -3% natively for one-word codes and 2.3x faster for two-word codes (BENCHMARKS.md,
/// eighth pass).
#[inline(always)]
fn distances_of<I: Iterator>(
    keys: [I; LANES],
    rest: I,
    distance: impl Fn(I::Item) -> u32,
    (lanes, tail, hist): (&mut [[u16; LANES]], &mut [u16], &mut [[u32; LANES]]),
) {
    let [k0, k1, k2, k3] = keys;
    for ((((o, a), b), c), e) in lanes.iter_mut().zip(k0).zip(k1).zip(k2).zip(k3) {
        let d = [distance(a), distance(b), distance(c), distance(e)];
        *o = d.map(|d| d as u16);
        for (c, &d) in d.iter().enumerate() {
            hist[d as usize][c] += 1;
        }
    }
    for (o, key) in tail.iter_mut().zip(rest) {
        let d = distance(key);
        *o = d as u16;
        hist[d as usize][LANES - 1] += 1;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn select_popcnt(
    words: &[u64],
    query: &[u64],
    candidates: Option<&[u32]>,
    depth: usize,
    buckets: &mut [Vec<u32>],
) {
    select_kernel(words, query, candidates, depth, buckets)
}

/// [`Strategy::Threshold`]'s pass: fills `buckets[d]` with the items at distance d that
/// rank before `depth` (whole tie groups), in candidate order; `buckets` has r + 1
/// empty buckets.
#[inline(always)]
fn select_kernel(
    words: &[u64],
    query: &[u64],
    candidates: Option<&[u32]>,
    depth: usize,
    buckets: &mut [Vec<u32>],
) {
    // Invariant: `last` is the smallest distance with >= depth items seen at or below
    // it (or r), `kept` the items in buckets 0..=last; an item farther than `last` can
    // never rank before depth, since `last` only decreases.
    let mut last = buckets.len() - 1;
    let mut kept = 0usize;
    let w = query.len();
    macro_rules! keep {
        ($item:expr, $d:expr) => {
            let d = $d as usize;
            if d <= last {
                buckets[d].push($item);
                kept += 1;
                while kept - buckets[last].len() >= depth {
                    kept -= buckets[last].len();
                    buckets[last].clear();
                    last -= 1;
                }
            }
        };
    }
    match (query, candidates) {
        (&[q], None) => {
            // Four items per iteration with one test of their nearest against `last`
            // (most items are farther): a loop of a few instructions per item otherwise
            // pays wasm's per-iteration interrupt check as much as its work.
            let quads = words.chunks_exact(4);
            let tail = quads.remainder();
            for (c, x) in quads.enumerate() {
                let d = [x[0], x[1], x[2], x[3]].map(|x| (x ^ q).count_ones());
                if d[0].min(d[1]).min(d[2].min(d[3])) as usize <= last {
                    for (j, d) in d.into_iter().enumerate() {
                        keep!((4 * c + j) as u32, d);
                    }
                }
            }
            let start = words.len() - tail.len();
            for (j, &x) in tail.iter().enumerate() {
                keep!((start + j) as u32, (x ^ q).count_ones());
            }
        }
        (&[q], Some(candidates)) => {
            for &i in candidates {
                keep!(i, (words[i as usize] ^ q).count_ones());
            }
        }
        (_, None) => {
            for (i, code) in words.chunks_exact(w).enumerate() {
                keep!(i as u32, hamming(query, code));
            }
        }
        (_, Some(candidates)) => {
            for &i in candidates {
                let start = i as usize * w;
                keep!(i, hamming(query, &words[start..start + w]));
            }
        }
    }
}

/// Ranks the whole catalogue `items` for every user of `users` through `depth` (as
/// [`by_hamming_top`]; `usize::MAX` for full rankings) and calls `visit(user, ranking)`
/// for users in order, with one [`HammingRanker`] (no allocation after the first user).
/// Computing the distances of blocks of users in one pass over the items was measured
/// no faster at ml-1m-head's size (the item codes stay in the L1 cache) and was dropped.
pub fn rank_all_users(
    users: &BinaryCodes,
    items: &BinaryCodes,
    depth: usize,
    mut visit: impl FnMut(usize, &Ranking<u32>),
) {
    assert_eq!(users.bits(), items.bits(), "user and item code lengths");
    let mut ranker = HammingRanker::default();
    for user in 0..users.len() {
        visit(user, ranker.rank_catalogue(users.code(user), items, depth));
    }
}

/// The first implementation (one counting sort, one write cursor per distance), kept
/// as the reference the faster paths are tested and benchmarked against.
pub mod reference {
    use super::{Ranking, TieGroup};
    use crate::codes::BinaryCodes;

    /// Ranks `candidates` by Hamming distance to `query` (see [`super::by_hamming`]).
    pub fn by_hamming(query: &[u64], items: &BinaryCodes, candidates: &[u32]) -> Ranking<u32> {
        let bits = items.bits();
        let distances = items.distances(query, candidates);
        // starts[d + 1] counts distance d; the prefix sum turns it into where d starts.
        let mut starts = vec![0usize; bits + 2];
        for &d in &distances {
            starts[d as usize + 1] += 1;
        }
        let groups = (0..=bits)
            .filter(|&d| starts[d + 1] > 0)
            .map(|d| TieGroup {
                key: d as u32,
                size: starts[d + 1],
            })
            .collect();
        for d in 1..starts.len() {
            starts[d] += starts[d - 1];
        }
        let mut ranked = vec![0u32; candidates.len()];
        for (&item, &d) in candidates.iter().zip(&distances) {
            ranked[starts[d as usize]] = item;
            starts[d as usize] += 1;
        }
        Ranking {
            items: ranked,
            groups,
        }
    }
}

/// Ranks `candidates` by `score` (larger first) through position `depth`: every tie
/// group that starts before `depth` is returned whole, later ones are dropped (pass
/// `usize::MAX` for a full ranking). Ties are exactly equal scores and stay in
/// candidate order; NaN ranks last, and -0.0 ties with 0.0.
///
/// Cost O(n + m log m), where m is the number of items returned.
pub fn by_score(candidates: &[u32], score: impl Fn(u32) -> f32, depth: usize) -> Ranking<f32> {
    let mut scored: Vec<(f32, u32)> = candidates
        .iter()
        .enumerate()
        .map(|(position, &item)| (score_key(score(item)), position as u32))
        .collect();
    let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if depth == 0 {
        scored.clear();
    } else if depth < scored.len() {
        // The depth-th score, found in a copy: `scored` stays in candidate order, so a
        // large tie group (a constant score, e.g. the Random baseline) is already sorted
        // when it reaches the sort below, which then costs O(m), not O(m log m).
        let mut keys: Vec<f32> = scored.iter().map(|&(s, _)| s).collect();
        let (_, &mut threshold, _) = keys.select_nth_unstable_by(depth - 1, |a, b| b.total_cmp(a));
        scored.retain(|&(s, _)| s >= threshold);
    }
    scored.sort_unstable_by(order);
    let mut groups: Vec<TieGroup<f32>> = Vec::new();
    for &(s, _) in &scored {
        match groups.last_mut() {
            Some(group) if group.key == s => group.size += 1,
            _ => groups.push(TieGroup { key: s, size: 1 }),
        }
    }
    Ranking {
        items: scored
            .into_iter()
            .map(|(_, position)| candidates[position as usize])
            .collect(),
        groups,
    }
}

/// The sort key of a score: NaN ranks last, and `+ 0.0` turns -0.0 into 0.0 so that
/// `total_cmp` orders like `==`.
fn score_key(s: f32) -> f32 {
    if s.is_nan() {
        f32::NEG_INFINITY
    } else {
        s + 0.0
    }
}

/// All items `0..scores.len()` in [`by_score`]'s order (larger score first, ties by
/// item), for [`by_score_in_order`].
pub fn score_order(scores: &[f32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| score_key(scores[b as usize]).total_cmp(&score_key(scores[a as usize])));
    order
}

/// [`by_score`] for per-item scores (the same for every user, as the Random and Top
/// baselines have) on the candidates `keep` accepts, taken in item order: walks the
/// items' [`score_order`] (computed once for all users) instead of selecting and
/// sorting each user's candidates, and stops at the first tie group starting at or
/// after `depth`. Gives exactly `by_score(&candidates, |i| scores[i], depth)` for
/// `candidates` = the kept items in ascending order.
pub fn by_score_in_order(
    order: &[u32],
    scores: &[f32],
    keep: impl Fn(u32) -> bool,
    depth: usize,
) -> Ranking<f32> {
    let mut ranking = Ranking::default();
    for &item in order.iter().filter(|&&item| keep(item)) {
        let key = score_key(scores[item as usize]);
        match ranking.groups.last_mut() {
            Some(group) if group.key == key => group.size += 1,
            _ if ranking.items.len() >= depth => break,
            _ => ranking.groups.push(TieGroup { key, size: 1 }),
        }
        ranking.items.push(item);
    }
    ranking
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// Against `by_score` on random scores with ties, -0.0 and NaN, random candidate
    /// subsets and every depth.
    #[test]
    fn presorted_per_item_ranking_equals_by_score() {
        let mut rng = crate::data::seeded_rng(3);
        for round in 0..50 {
            let n = 1 + round * 3;
            let scores: Vec<f32> = (0..n)
                .map(|_| match rng.random_range(0..10) {
                    0 => f32::NAN,
                    1 => -0.0,
                    2 => 0.0,
                    k => (k % 4) as f32 - 1.5,
                })
                .collect();
            let kept: Vec<bool> = (0..n).map(|_| rng.random_bool(0.7)).collect();
            let candidates: Vec<u32> = (0..n as u32).filter(|&i| kept[i as usize]).collect();
            let order = score_order(&scores);
            for depth in [0, 1, 2, 5, n / 2, n, usize::MAX] {
                let fast = by_score_in_order(&order, &scores, |i| kept[i as usize], depth);
                let expected = by_score(&candidates, |i| scores[i as usize], depth);
                assert_eq!(fast.items(), expected.items(), "n {n} depth {depth}");
                assert_eq!(fast.groups().len(), expected.groups().len());
                for (a, b) in fast.groups().iter().zip(expected.groups()) {
                    assert_eq!((a.key.to_bits(), a.size), (b.key.to_bits(), b.size));
                }
            }
        }
    }

    #[test]
    fn score_ranking_cut_keeps_the_whole_boundary_group() {
        let scores = [0.5, 2.0, 1.0, 1.0, -0.0, 1.0, 0.0, f32::NAN];
        let candidates: Vec<u32> = (0..8).collect();
        let ranking = by_score(&candidates, |i| scores[i as usize], 2);
        assert_eq!(ranking.items(), &[1, 2, 3, 5]);
        let sizes: Vec<usize> = ranking.groups().iter().map(|g| g.size).collect();
        assert_eq!(sizes, [1, 3]);

        let full = by_score(&candidates, |i| scores[i as usize], usize::MAX);
        assert_eq!(full.items(), &[1, 2, 3, 5, 0, 4, 6, 7]);
        assert_eq!(full.groups()[3], TieGroup { key: 0.0, size: 2 });
        assert_eq!(full.top_k(3), &[1, 2, 3]);
    }
}
