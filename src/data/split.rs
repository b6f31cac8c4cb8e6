//! Train/test splits (sec. 5.1), seeded with [`seeded_rng`] so a seed gives the same
//! split on every platform. Both keep `n_users`, `n_items` and the dense ids, and list
//! each part's interactions in their original order.

use super::{seeded_rng, Ratings, Split};
use rand::seq::SliceRandom;

/// The paper's MovieLens split: each user's interactions are shuffled (users in
/// increasing id order, one generator seeded with `seed`) and the first
/// `round(test_fraction * n)` go to test, capped at `n - 1` so every user keeps at
/// least one training interaction (a user with one rating has it in train).
///
/// # Panics
/// If `test_fraction` is not within 0..=1.
pub fn per_user(ratings: &Ratings, test_fraction: f64, seed: u64) -> Split {
    check_fraction(test_fraction);
    let mut by_user: Vec<Vec<usize>> = vec![Vec::new(); ratings.n_users];
    for (i, r) in ratings.interactions.iter().enumerate() {
        by_user[r.user as usize].push(i);
    }
    let mut rng = seeded_rng(seed);
    let mut is_test = vec![false; ratings.interactions.len()];
    for indices in &mut by_user {
        indices.shuffle(&mut rng);
        let n = indices.len();
        let n_test = test_count(test_fraction, n).min(n.saturating_sub(1));
        for &i in &indices[..n_test] {
            is_test[i] = true;
        }
    }
    partition(ratings, &is_test)
}

/// The paper's Amazon/Ichiba split: all interactions shuffled together (seeded with
/// `seed`) and the first `round(test_fraction * n)` go to test.
///
/// # Panics
/// If `test_fraction` is not within 0..=1.
pub fn global(ratings: &Ratings, test_fraction: f64, seed: u64) -> Split {
    check_fraction(test_fraction);
    let mut order: Vec<usize> = (0..ratings.interactions.len()).collect();
    order.shuffle(&mut seeded_rng(seed));
    let mut is_test = vec![false; order.len()];
    for &i in &order[..test_count(test_fraction, order.len())] {
        is_test[i] = true;
    }
    partition(ratings, &is_test)
}

fn check_fraction(test_fraction: f64) {
    assert!(
        (0.0..=1.0).contains(&test_fraction),
        "test_fraction must be within 0..=1, got {test_fraction}"
    );
}

/// `round(fraction * n)`, halves rounded up.
fn test_count(fraction: f64, n: usize) -> usize {
    ((fraction * n as f64).round() as usize).min(n)
}

fn partition(ratings: &Ratings, is_test: &[bool]) -> Split {
    let part = |test: bool| Ratings {
        n_users: ratings.n_users,
        n_items: ratings.n_items,
        interactions: ratings
            .interactions
            .iter()
            .zip(is_test)
            .filter(|&(_, &t)| t == test)
            .map(|(r, _)| *r)
            .collect(),
    };
    Split {
        train: part(false),
        test: part(true),
    }
}
