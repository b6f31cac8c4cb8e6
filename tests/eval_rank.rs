//! Hamming ranking by counting sort equals a brute-force stable sort; score ranking
//! equals a stable sort by descending score, cut after whole tie groups.

use ccsr::codes::BinaryCodes;
use ccsr::data::seeded_rng;
use ccsr::rank::{by_hamming, by_score, Ranking, TieGroup};
use ndarray::Array2;
use rand::RngExt;

fn random_codes(n: usize, bits: usize, seed: u64) -> BinaryCodes {
    let mut rng = seeded_rng(seed);
    let features = Array2::from_shape_fn((n, bits), |_| rng.random_range(-1.0f32..1.0));
    BinaryCodes::from_signs(features.view())
}

/// Runs of equal keys in a sorted list of (key, item).
fn groups_of<K: PartialEq + Copy>(sorted: &[(K, u32)]) -> Vec<TieGroup<K>> {
    let mut groups: Vec<TieGroup<K>> = Vec::new();
    for &(key, _) in sorted {
        match groups.last_mut() {
            Some(g) if g.key == key => g.size += 1,
            _ => groups.push(TieGroup { key, size: 1 }),
        }
    }
    groups
}

fn assert_ranking<K: PartialEq + Copy + std::fmt::Debug>(
    ranking: &Ranking<K>,
    sorted: &[(K, u32)],
) {
    let items: Vec<u32> = sorted.iter().map(|&(_, i)| i).collect();
    assert_eq!(ranking.items(), &items[..]);
    assert_eq!(ranking.groups(), &groups_of(sorted)[..]);
}

#[test]
fn hand_made_hamming_ranking() {
    // Query 0000; items 0: 0011 (d 2), 1: 0000 (d 0), 2: 1111 (d 4), 3: 0101 (d 2).
    let mut items = BinaryCodes::zeros(4, 4);
    for (i, j) in [
        (0, 0),
        (0, 1),
        (2, 0),
        (2, 1),
        (2, 2),
        (2, 3),
        (3, 0),
        (3, 2),
    ] {
        items.set(i, j, true);
    }
    let query = BinaryCodes::zeros(1, 4);
    let ranking = by_hamming(query.code(0), &items, &[0, 1, 2, 3]);
    assert_eq!(ranking.items(), &[1, 0, 3, 2]);
    let groups: Vec<(u32, usize)> = ranking.groups().iter().map(|g| (g.key, g.size)).collect();
    assert_eq!(groups, [(0, 1), (2, 2), (4, 1)]);
    assert_eq!(ranking.top_k(2), &[1, 0]);
    assert_eq!(ranking.top_k(9).len(), 4);
    let tied: Vec<&[u32]> = ranking.tie_groups().map(|(_, items)| items).collect();
    assert_eq!(tied, [&[1][..], &[0, 3], &[2]]);
}

#[test]
fn counting_sort_equals_a_stable_sort_by_distance() {
    let mut rng = seeded_rng(5);
    for bits in [1, 3, 8, 16, 32, 63, 64, 65, 130] {
        let users = random_codes(5, bits, 10 + bits as u64);
        let items = random_codes(300, bits, 20 + bits as u64);
        for u in 0..users.len() {
            // A random subset of the catalogue, in random order.
            let mut candidates: Vec<u32> = (0..300).filter(|_| rng.random_bool(0.7)).collect();
            for i in (1..candidates.len()).rev() {
                candidates.swap(i, rng.random_range(0..=i));
            }
            let mut sorted: Vec<(u32, u32)> = candidates
                .iter()
                .map(|&i| (items.hamming(users.code(u), i as usize), i))
                .collect();
            sorted.sort_by_key(|&(d, _)| d); // stable
            assert_ranking(&by_hamming(users.code(u), &items, &candidates), &sorted);
        }
    }
}

#[test]
fn score_ranking_equals_a_stable_sort_and_cuts_after_whole_groups() {
    let mut rng = seeded_rng(6);
    for _ in 0..50 {
        // Few distinct scores, so that ties are common.
        let scores: Vec<f32> = (0..200).map(|_| rng.random_range(0..12) as f32).collect();
        let candidates: Vec<u32> = (0..200).filter(|_| rng.random_bool(0.5)).collect();
        let mut sorted: Vec<(f32, u32)> = candidates
            .iter()
            .map(|&i| (scores[i as usize], i))
            .collect();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0)); // stable
        let full = by_score(&candidates, |i| scores[i as usize], usize::MAX);
        assert_ranking(&full, &sorted);
        for depth in [0, 1, 2, 6, 10, 500] {
            let cut = by_score(&candidates, |i| scores[i as usize], depth);
            // Every group starting before `depth`, whole.
            let mut start = 0;
            let groups: Vec<TieGroup<f32>> = full
                .groups()
                .iter()
                .copied()
                .take_while(|g| {
                    let keep = start < depth;
                    start += g.size;
                    keep
                })
                .collect();
            let n: usize = groups.iter().map(|g| g.size).sum();
            assert_eq!(cut.groups(), &groups[..]);
            assert_eq!(cut.items(), &full.items()[..n]);
        }
    }
}

#[test]
fn shuffling_ties_permutes_within_groups_only() {
    let scores = [3.0, 1.0, 1.0, 1.0, 0.0, 0.0];
    let candidates: Vec<u32> = (0..6).collect();
    let mut rng = seeded_rng(1);
    let mut seen_orders = std::collections::HashSet::new();
    for _ in 0..200 {
        let mut ranking = by_score(&candidates, |i| scores[i as usize], usize::MAX);
        // Only groups starting before position 2 are shuffled: [0] and [1, 2, 3].
        ranking.shuffle_ties(2, &mut rng);
        let items = ranking.items();
        assert_eq!(items[0], 0);
        let mut middle = items[1..4].to_vec();
        seen_orders.insert(middle.clone());
        middle.sort();
        assert_eq!(middle, [1, 2, 3]);
        assert_eq!(&items[4..], &[4, 5]);
    }
    assert_eq!(seen_orders.len(), 6);
}
