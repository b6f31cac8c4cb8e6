//! The fast Hamming rankings (rank.rs: `HammingRanker` by either strategy, the cut
//! `by_hamming_top`, the batched `rank_all_users`) give exactly the first
//! implementation's ranking (`rank::reference::by_hamming`): the same items in the same
//! order and the same tie groups, or a prefix of it made of whole tie groups when cut at
//! a depth. And the metrics, which now rank through the cut, equal those computed from
//! an independent ranking path (inner products of the +-1 codes, ranked by `by_score`).

#![cfg(not(target_arch = "wasm32"))]

use ccsr::bench::{random_codes, random_split};
use ccsr::codes::BinaryCodes;
use ccsr::data::seeded_rng;
use ccsr::metrics::{evaluate, evaluate_users, Protocol, Relevance, Scores, Ties};
use ccsr::rank::{
    by_hamming, by_hamming_top, rank_all_users, reference, HammingRanker, Ranking, Strategy as Cut,
};
use proptest::prelude::*;
use rand::RngExt;

/// The reference ranking cut as `by_score` cuts: every group starting before `depth`.
fn cut(full: &Ranking<u32>, depth: usize) -> (Vec<u32>, Vec<(u32, usize)>) {
    let mut items = Vec::new();
    let mut groups = Vec::new();
    for (group, group_items) in full.tie_groups() {
        if items.len() >= depth {
            break;
        }
        groups.push((group.key, group.size));
        items.extend_from_slice(group_items);
    }
    (items, groups)
}

fn parts(ranking: &Ranking<u32>) -> (Vec<u32>, Vec<(u32, usize)>) {
    let groups = ranking.groups().iter().map(|g| (g.key, g.size)).collect();
    (ranking.items().to_vec(), groups)
}

/// Codes with few distinct values (bits drawn with probability `p`), so that ties are
/// common and large.
fn skewed_codes(n: usize, bits: usize, p: f64, seed: u64) -> BinaryCodes {
    let mut rng = seeded_rng(seed);
    let mut codes = BinaryCodes::zeros(n, bits);
    for i in 0..n {
        for j in 0..bits {
            codes.set(i, j, rng.random_bool(p));
        }
    }
    codes
}

fn codes_strategy() -> impl Strategy<Value = (BinaryCodes, BinaryCodes, Vec<u32>, usize)> {
    (
        prop_oneof![
            1usize..=9,
            Just(16),
            Just(31),
            32usize..=70,
            Just(128),
            Just(200)
        ],
        1usize..6,
        0usize..400,
        any::<u64>(),
        0.02f64..0.5,
        0usize..500,
    )
        .prop_map(|(bits, n_users, n_items, seed, p, depth)| {
            let users = skewed_codes(n_users, bits, p, seed);
            let items = skewed_codes(n_items, bits, p, seed ^ 0x5eed);
            // A random subset of the catalogue in random order.
            let mut rng = seeded_rng(seed.wrapping_add(1));
            let mut candidates: Vec<u32> = (0..n_items as u32)
                .filter(|_| rng.random_bool(0.8))
                .collect();
            for i in (1..candidates.len()).rev() {
                candidates.swap(i, rng.random_range(0..=i));
            }
            (users, items, candidates, depth)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_fast_path_equals_the_reference((users, items, candidates, depth) in codes_strategy()) {
        let all: Vec<u32> = (0..items.len() as u32).collect();
        let mut ranker = HammingRanker::new();
        let mut batched = Vec::new();
        rank_all_users(&users, &items, depth, |u, r| batched.push((u, parts(r))));
        let mut batched_full = Vec::new();
        rank_all_users(&users, &items, usize::MAX, |u, r| batched_full.push((u, parts(r))));
        prop_assert_eq!(batched.len(), users.len());
        for u in 0..users.len() {
            let query = users.code(u);
            let full = reference::by_hamming(query, &items, &candidates);
            prop_assert_eq!(parts(&by_hamming(query, &items, &candidates)), parts(&full));
            let expected = cut(&full, depth);
            prop_assert_eq!(parts(&by_hamming_top(query, &items, &candidates, depth)), expected.clone());
            for strategy in [Cut::Auto, Cut::Histogram, Cut::Threshold] {
                let got = ranker.rank_with(strategy, query, &items, Some(&candidates), depth);
                prop_assert_eq!(parts(got), expected.clone(), "{:?}", strategy);
            }
            // The whole catalogue, in catalogue order.
            let full_catalogue = reference::by_hamming(query, &items, &all);
            let expected = cut(&full_catalogue, depth);
            for strategy in [Cut::Histogram, Cut::Threshold] {
                let got = ranker.rank_with(strategy, query, &items, None, depth);
                prop_assert_eq!(parts(got), expected.clone(), "{:?} catalogue", strategy);
            }
            prop_assert_eq!(&batched[u], &(u, expected));
            prop_assert_eq!(&batched_full[u], &(u, parts(&full_catalogue)));
        }
    }
}

#[test]
fn a_cut_keeps_the_boundary_tie_group_whole() {
    // Query 0; items at distances 1, 0, 2, 1, 1, 3: depth 2 ends inside the group at 1.
    let mut items = BinaryCodes::zeros(6, 3);
    for (i, bits) in [(0, 1), (2, 2), (3, 1), (4, 1), (5, 3)] {
        for j in 0..bits {
            items.set(i, j, true);
        }
    }
    let query = BinaryCodes::zeros(1, 3);
    let candidates: Vec<u32> = (0..6).collect();
    for strategy in [Cut::Histogram, Cut::Threshold] {
        let mut ranker = HammingRanker::new();
        let got = parts(ranker.rank_with(strategy, query.code(0), &items, Some(&candidates), 2));
        assert_eq!(
            got,
            (vec![1, 0, 3, 4], vec![(0, 1), (1, 3)]),
            "{strategy:?}"
        );
        let none = parts(ranker.rank_with(strategy, query.code(0), &items, None, 0));
        assert_eq!(none, (vec![], vec![]));
        let all = parts(ranker.rank_with(strategy, query.code(0), &items, None, 6));
        assert_eq!(all.0, vec![1, 0, 3, 4, 2, 5]);
    }
}

#[test]
fn batched_ranking_covers_blocks_and_long_codes() {
    // 4-user blocks with a remainder, one-word and multi-word codes.
    for (n_users, bits) in [(9, 64), (4, 8), (3, 65), (7, 130)] {
        let users = random_codes(n_users, bits, 1);
        let items = random_codes(300, bits, 2);
        let all: Vec<u32> = (0..300).collect();
        let mut seen = 0;
        rank_all_users(&users, &items, usize::MAX, |u, ranking| {
            assert_eq!(u, seen);
            seen += 1;
            let expected = reference::by_hamming(users.code(u), &items, &all);
            assert_eq!(parts(ranking), parts(&expected), "user {u}, r = {bits}");
        });
        assert_eq!(seen, n_users);
    }
}

#[test]
fn metrics_by_hamming_equal_metrics_by_inner_products_of_the_signs() {
    // <u, i> of +-1 codes is r - 2 * hamming(u, i): the same order and the same ties,
    // ranked by an independent path (by_score). Few bits, so ties are everywhere.
    for bits in [3, 6, 12, 64] {
        // 40 users x 300 items at 10% density, 25% in test.
        let split = random_split(40, 300, 0.1, 0.25, bits as u64);
        let users = random_codes(40, bits, 7);
        let items = random_codes(300, bits, 8);
        let (user_signs, item_signs) = (users.to_signs(), items.to_signs());
        let hamming = Scores::Hamming {
            users: &users,
            items: &items,
        };
        let inner = Scores::InnerProduct {
            users: user_signs.view(),
            items: item_signs.view(),
        };
        for protocol in [
            Protocol::TestItems,
            Protocol::FullCatalogue {
                relevance: Relevance::RatingAbove3,
            },
            Protocol::FullCatalogue {
                relevance: Relevance::AnyTestItem,
            },
        ] {
            for ties in [Ties::Expected, Ties::Random { seed: 3 }] {
                let a = evaluate_users(&split, &hamming, protocol, ties);
                let b = evaluate_users(&split, &inner, protocol, ties);
                assert_eq!(a, b, "r = {bits}, {protocol:?}, {ties:?}");
                assert!(a.iter().flatten().count() > 10);
                assert_eq!(
                    evaluate(&split, &hamming, protocol, ties),
                    evaluate(&split, &inner, protocol, ties)
                );
            }
        }
    }
}
