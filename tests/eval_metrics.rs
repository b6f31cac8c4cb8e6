//! NDCG@k and Recall@k on hand-computed cases, and the closed-form tie expectation
//! against the mean over many random tie-breaks.

use ccsr::codes::BinaryCodes;
use ccsr::data::{seeded_rng, Interaction, Ratings, Split};
use ccsr::metrics::{evaluate, evaluate_users, Metrics, Protocol, Relevance, Scores, Ties};
use ndarray::{array, Array2};
use rand::RngExt;

const A: Protocol = Protocol::TestItems;
const B: Protocol = Protocol::FullCatalogue {
    relevance: Relevance::RatingAbove3,
};
const B_ANY: Protocol = Protocol::FullCatalogue {
    relevance: Relevance::AnyTestItem,
};

fn ratings(n_users: usize, n_items: usize, triplets: &[(u32, u32, f32)]) -> Ratings {
    Ratings {
        n_users,
        n_items,
        interactions: triplets
            .iter()
            .map(|&(user, item, rating)| Interaction {
                user,
                item,
                rating,
                timestamp: 0,
            })
            .collect(),
    }
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

/// log2(3) and the discounts 1 / log2(q + 1) of 1-based positions q = 1..10.
fn l3() -> f64 {
    3f64.log2()
}
fn disc(q: usize) -> f64 {
    1.0 / ((q + 1) as f64).log2()
}

/// 2 users, 5 items. User 0: train item 0; test items 1 (rated 5), 2 (3), 3 (4).
/// User 1: train items 1, 2; test item 4 (rated 2). Item scores 10, 1, 3, 2, 0.
fn small_split() -> Split {
    Split {
        train: ratings(2, 5, &[(0, 0, 4.0), (1, 1, 5.0), (1, 2, 1.0)]),
        test: ratings(2, 5, &[(0, 1, 5.0), (0, 2, 3.0), (0, 3, 4.0), (1, 4, 2.0)]),
    }
}
const SMALL_SCORES: [f32; 5] = [10.0, 1.0, 3.0, 2.0, 0.0];

#[test]
fn test_items_protocol_by_hand() {
    let scores = Scores::PerItem {
        items: &SMALL_SCORES,
    };
    let m = evaluate(&small_split(), &scores, A, Ties::Expected);
    // User 0 ranks its test items 2 (gain 2^3-1 = 7), 3 (15), 1 (31).
    //   DCG@2 = 7/log2 2 + 15/log2 3;  IDCG@2 = 31 + 15/log2 3.
    //   DCG@6 = DCG@2 + 31/log2 4;     IDCG@6 = IDCG@2 + 7/log2 4.  @10 = @6.
    //   Relevant (> 3): items 1, 3, both in the top 6: Recall@6 = 2/2.
    // User 1 has one test item: NDCG = 1 at every k; none rated > 3: no Recall.
    let ndcg2 = (7.0 + 15.0 / l3()) / (31.0 + 15.0 / l3());
    let ndcg6 = (7.0 + 15.0 / l3() + 31.0 / 2.0) / (31.0 + 15.0 / l3() + 7.0 / 2.0);
    close(m.ndcg_at_2, (ndcg2 + 1.0) / 2.0);
    close(m.ndcg_at_6, (ndcg6 + 1.0) / 2.0);
    close(m.ndcg_at_10, (ndcg6 + 1.0) / 2.0);
    close(m.recall_at_6, 1.0);
    assert_eq!((m.users_evaluated, m.users_with_relevant), (2, 1));

    let users = evaluate_users(&small_split(), &scores, A, Ties::Expected);
    assert_eq!(users[1].unwrap().recall_at_6, None);
}

#[test]
fn full_catalogue_protocol_by_hand() {
    let scores = Scores::PerItem {
        items: &SMALL_SCORES,
    };
    // User 0 ranks the items it has not trained on: 2, 3, 1, 4 (scores 3, 2, 1, 0).
    // Relevant (> 3): 3 and 1, at positions 2 and 3.
    //   DCG@2 = 1/log2 3;  IDCG@2 = 1 + 1/log2 3;  DCG@6 = 1/log2 3 + 1/log2 4.
    // User 1's only test item is rated 2: no relevant item, skipped.
    let m = evaluate(&small_split(), &scores, B, Ties::Expected);
    close(m.ndcg_at_2, (1.0 / l3()) / (1.0 + 1.0 / l3()));
    close(m.ndcg_at_6, (1.0 / l3() + 0.5) / (1.0 + 1.0 / l3()));
    close(m.recall_at_6, 1.0);
    assert_eq!((m.users_evaluated, m.users_with_relevant), (1, 1));

    // Every test item relevant: user 0's 2, 3, 1 fill the top 3: NDCG 1.
    // User 1 ranks 0, 3, 4 (scores 10, 2, 0): its item 4 at position 3, DCG = 1/log2 4,
    // IDCG = 1: NDCG@2 = 0, NDCG@6 = 1/2; Recall@6 = 1.
    let m = evaluate(&small_split(), &scores, B_ANY, Ties::Expected);
    close(m.ndcg_at_2, (1.0 + 0.0) / 2.0);
    close(m.ndcg_at_6, (1.0 + 0.5) / 2.0);
    close(m.recall_at_6, 1.0);
    assert_eq!((m.users_evaluated, m.users_with_relevant), (2, 2));
}

#[test]
fn inner_product_and_hamming_scores_agree_with_the_same_order() {
    let split = small_split();
    let expected = evaluate(
        &split,
        &Scores::PerItem {
            items: &SMALL_SCORES,
        },
        B_ANY,
        Ties::Expected,
    );
    // One feature per user (1.0), the item's score as the item's feature.
    let users = Array2::from_elem((2, 1), 1.0f32);
    let items = Array2::from_shape_vec((5, 1), SMALL_SCORES.to_vec()).unwrap();
    let inner = Scores::InnerProduct {
        users: users.view(),
        items: items.view(),
    };
    assert_eq!(evaluate(&split, &inner, B_ANY, Ties::Expected), expected);
    // 4-bit codes with b lowest bits set, b growing with the item's score: an all-ones
    // user is at distance 4 - b, so the Hamming order is the score order.
    let item_bits = [4, 1, 3, 2, 0];
    let mut item_codes = BinaryCodes::zeros(5, 4);
    for (i, &b) in item_bits.iter().enumerate() {
        for j in 0..b {
            item_codes.set(i, j, true);
        }
    }
    let user_codes = BinaryCodes::from_signs(Array2::from_elem((2, 4), 1.0f32).view());
    let hamming = Scores::Hamming {
        users: &user_codes,
        items: &item_codes,
    };
    assert_eq!(evaluate(&split, &hamming, B_ANY, Ties::Expected), expected);
}

/// One user, 9 items, no training items; test items 2 and 5 (ratings 5 and 1).
/// Scores: item 0 alone on top, items 1..=8 tied.
fn tie_split() -> (Split, [f32; 9]) {
    let split = Split {
        train: ratings(1, 9, &[]),
        test: ratings(1, 9, &[(0, 2, 5.0), (0, 5, 1.0)]),
    };
    (split, [9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
}

#[test]
fn expected_ties_by_hand() {
    let (split, scores) = tie_split();
    let scores = Scores::PerItem { items: &scores };
    // Any test item relevant: the tie group {1..8} at positions 2..9 holds 2 relevant of
    // 8, mean gain 2/8 at each of its positions.
    //   DCG@2 = 2/8 * disc(2);  IDCG@2 = disc(1) + disc(2) = 1 + 1/log2 3.
    //   DCG@6 = 2/8 * (disc(2) + ... + disc(6));  DCG@10 = 2/8 * (disc(2) + ... + disc(9)).
    //   Expected hits in the top 6 = 2 * (5 of the group's 8 positions) / 8 = 1.25;
    //   Recall@6 = 1.25 / 2.
    let m = evaluate(&split, &scores, B_ANY, Ties::Expected);
    let idcg = 1.0 + 1.0 / l3();
    let dcg = |k: usize| 0.25 * (2..=k).map(disc).sum::<f64>();
    close(m.ndcg_at_2, dcg(2) / idcg);
    close(m.ndcg_at_6, dcg(6) / idcg);
    close(m.ndcg_at_10, dcg(9) / idcg);
    close(m.recall_at_6, 0.625);

    // Protocol A: both test items tied, gains 31 and 1, mean 16 at positions 1, 2.
    //   DCG@2 = 16 * (1 + 1/log2 3); IDCG@2 = 31 + 1/log2 3; Recall: item 2 always in.
    let m = evaluate(&split, &scores, A, Ties::Expected);
    close(m.ndcg_at_2, 16.0 * (1.0 + 1.0 / l3()) / (31.0 + 1.0 / l3()));
    close(m.recall_at_6, 1.0);
}

/// Mean and standard error over `n` seeded random tie-breaks.
fn random_tie_mean(split: &Split, scores: &Scores, protocol: Protocol, n: u64) -> Vec<(f64, f64)> {
    let samples: Vec<[f64; 4]> = (0..n)
        .map(|seed| {
            let m = evaluate(split, scores, protocol, Ties::Random { seed });
            [m.ndcg_at_2, m.ndcg_at_6, m.ndcg_at_10, m.recall_at_6]
        })
        .collect();
    (0..4)
        .map(|j| {
            let mean = samples.iter().map(|s| s[j]).sum::<f64>() / n as f64;
            let var = samples.iter().map(|s| (s[j] - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            (mean, (var / n as f64).sqrt())
        })
        .collect()
}

fn assert_expectation_matches_random_ties(split: &Split, scores: &Scores, protocol: Protocol) {
    let e: Metrics = evaluate(split, scores, protocol, Ties::Expected);
    let expected = [e.ndcg_at_2, e.ndcg_at_6, e.ndcg_at_10, e.recall_at_6];
    for ((mean, se), exact) in random_tie_mean(split, scores, protocol, 20_000)
        .into_iter()
        .zip(expected)
    {
        // 5 standard errors, plus a floor for metrics that barely vary.
        assert!(
            (mean - exact).abs() <= 5.0 * se + 1e-9,
            "{protocol:?}: random-tie mean {mean} vs expectation {exact} (se {se})"
        );
    }
}

#[test]
fn expectation_equals_the_mean_over_random_tie_breaks() {
    let (split, scores) = tie_split();
    let scores = Scores::PerItem { items: &scores };
    for protocol in [A, B, B_ANY] {
        assert_expectation_matches_random_ties(&split, &scores, protocol);
    }
}

#[test]
fn expectation_equals_the_mean_over_random_tie_breaks_for_short_codes() {
    // 6 users, 40 items, 3-bit codes (4 distances: heavy ties), random ratings.
    let mut rng = seeded_rng(11);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for user in 0..6 {
        for item in 0..40 {
            let rating = rng.random_range(1..=5) as f32;
            match rng.random_range(0..10) {
                0..=2 => train.push((user, item, rating)),
                3..=4 => test.push((user, item, rating)),
                _ => {}
            }
        }
    }
    let split = Split {
        train: ratings(6, 40, &train),
        test: ratings(6, 40, &test),
    };
    let mut features = |n| Array2::from_shape_fn((n, 3), |_| rng.random_range(-1.0f32..1.0));
    let users = BinaryCodes::from_signs(features(6).view());
    let items = BinaryCodes::from_signs(features(40).view());
    let scores = Scores::Hamming {
        users: &users,
        items: &items,
    };
    for protocol in [A, B, B_ANY] {
        assert_expectation_matches_random_ties(&split, &scores, protocol);
    }
}

#[test]
fn random_ties_repeat_with_their_seed() {
    let (split, scores) = tie_split();
    let scores = Scores::PerItem { items: &scores };
    let run = |seed| evaluate(&split, &scores, B_ANY, Ties::Random { seed });
    assert_eq!(run(3), run(3));
    assert!((0..20).any(|seed| run(seed) != run(3)));
}

#[test]
#[should_panic(expected = "scores for 3 items, split has 5")]
fn mismatched_scores_panic_with_a_message() {
    let scores = array![1.0f32, 2.0, 3.0];
    let scores = Scores::PerItem {
        items: scores.as_slice().unwrap(),
    };
    evaluate(&small_split(), &scores, A, Ties::Expected);
}
