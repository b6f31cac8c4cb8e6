//! Ranking a catalogue for one query (paper sec. 5.3: "the top-k items are ranked based
//! on the Hamming distance between binary codes of a query user and the items").
//!
//! Hamming distances take only r + 1 values, so [`by_hamming`] ranks by counting sort in
//! O(n + r). Items at equal distance are tied: a [`Ranking`] keeps them together as a
//! [`TieGroup`], in candidate order, so that metrics can break ties at random or take
//! the expectation over all tie orders. [`by_score`] does the same for real-valued
//! scores (inner products of continuous features, baselines' item scores).

use crate::codes::BinaryCodes;
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
        .map(|(position, &item)| {
            let s = score(item);
            // `+ 0.0` turns -0.0 into 0.0 so that total_cmp orders like `==`.
            (
                if s.is_nan() {
                    f32::NEG_INFINITY
                } else {
                    s + 0.0
                },
                position as u32,
            )
        })
        .collect();
    let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if depth == 0 {
        scored.clear();
    } else if depth < scored.len() {
        let (_, &mut (threshold, _), _) = scored.select_nth_unstable_by(depth - 1, order);
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

#[cfg(test)]
mod tests {
    use super::*;

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
