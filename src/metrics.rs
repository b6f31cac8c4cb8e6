//! NDCG@k and Recall@k (paper sec. 5.3, Tables 3-6) under two protocols, with ties
//! broken at random or averaged exactly.
//!
//! **Protocols.** [`Protocol::TestItems`] is the paper's (following CFCodeReg/DCF): a
//! user's own test items are ranked; NDCG's gain is `2^rating - 1` and the ideal DCG
//! comes from those items in the ideal order; Recall counts test items rated > 3.
//! [`Protocol::FullCatalogue`] ranks every item the user has no training rating for;
//! relevance is binary (gain 1 for a relevant test item, else 0), a test item being
//! relevant when rated > 3 or, with [`Relevance::AnyTestItem`], always.
//!
//! **Averaging.** NDCG@k = DCG@k / IDCG@k, DCG@k = sum over positions q = 1..k of
//! gain / log2(q + 1); it averages over users with at least one candidate of positive
//! gain (protocol A: every user with a test item, since ratings >= 1; protocol B: users
//! with a relevant item). Recall@k = (relevant items in the top k) / (all relevant
//! candidates), as in CFCodeReg's code (not min(k, relevant)); it averages over users
//! with at least one relevant item. Others are skipped.
//!
//! **Ties** (Hamming distances take r + 1 values). [`Ties::Random`] shuffles each tie
//! group with a seeded generator. [`Ties::Expected`] is the exact mean over all orders
//! of tied items (McSherry & Najork 2008), in closed form: a group of g items at
//! positions p..p+g-1 puts, at each of its positions, its mean gain and (relevant
//! items)/g expected hits.

use crate::codes::BinaryCodes;
use crate::data::{seeded_rng, Ratings, SeededRng, Split};
use crate::rank::{self, Ranking};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// The deepest cutoff any metric needs (NDCG@10).
const DEPTH: usize = 10;

/// How a user's candidate items are scored.
#[derive(Clone, Copy, Debug)]
pub enum Scores<'a> {
    /// Binary codes: Hamming distance, smaller is closer (the S and SST variants).
    Hamming {
        users: &'a BinaryCodes,
        items: &'a BinaryCodes,
    },
    /// Continuous features, one row per user/item: inner product, larger is closer (the
    /// C and ST variants).
    InnerProduct {
        users: ArrayView2<'a, f32>,
        items: ArrayView2<'a, f32>,
    },
    /// One score per item, the same for every user, larger is closer (the Random and Top
    /// baselines of sec. 5.2, see [`crate::baselines`]).
    PerItem { items: &'a [f32] },
}

/// Which items are ranked for a user, and what counts as relevant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    /// The paper's: rank the user's test items; graded NDCG (gain 2^rating - 1).
    TestItems,
    /// Rank every item without a training rating by the user; binary relevance.
    FullCatalogue { relevance: Relevance },
}

/// Which test items are relevant under [`Protocol::FullCatalogue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relevance {
    /// Rated above 3 (the paper's similarity S = 1 where rating > 3, sec. 5.1).
    RatingAbove3,
    /// Any held-out item.
    AnyTestItem,
}

/// How tied items are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ties {
    /// The exact expectation over all orders of tied items.
    Expected,
    /// Each tie group shuffled by a generator seeded with `seed`.
    Random { seed: u64 },
}

impl Protocol {
    /// The report name: "test-items" or "full-catalogue".
    pub fn name(self) -> &'static str {
        match self {
            Protocol::TestItems => "test-items",
            Protocol::FullCatalogue { .. } => "full-catalogue",
        }
    }

    /// The relevance option, for the full-catalogue protocol only.
    pub fn relevance(self) -> Option<Relevance> {
        match self {
            Protocol::TestItems => None,
            Protocol::FullCatalogue { relevance } => Some(relevance),
        }
    }
}

impl Relevance {
    /// The report name: "rating>3" or "any-test-item".
    pub fn name(self) -> &'static str {
        match self {
            Relevance::RatingAbove3 => "rating>3",
            Relevance::AnyTestItem => "any-test-item",
        }
    }
}

impl Ties {
    /// The report name: "expected" or "random".
    pub fn name(self) -> &'static str {
        match self {
            Ties::Expected => "expected",
            Ties::Random { .. } => "random",
        }
    }
}

/// One user's metrics; `recall_at_6` is `None` for a user without relevant items.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserMetrics {
    pub ndcg_at_2: f64,
    pub ndcg_at_6: f64,
    pub ndcg_at_10: f64,
    pub recall_at_6: Option<f64>,
}

/// Metrics averaged over users: NDCG over `users_evaluated` users, Recall over
/// `users_with_relevant` users (see the module docs for who is skipped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub ndcg_at_2: f64,
    pub ndcg_at_6: f64,
    pub ndcg_at_10: f64,
    pub recall_at_6: f64,
    pub users_evaluated: usize,
    pub users_with_relevant: usize,
}

/// Evaluates `scores` on `split.test` for every user and averages (see module docs).
///
/// Panics if the scores' shapes do not match the split's users and items.
pub fn evaluate(split: &Split, scores: &Scores, protocol: Protocol, ties: Ties) -> Metrics {
    let mut metrics = Metrics::default();
    for user in evaluate_users(split, scores, protocol, ties)
        .iter()
        .flatten()
    {
        metrics.users_evaluated += 1;
        metrics.ndcg_at_2 += user.ndcg_at_2;
        metrics.ndcg_at_6 += user.ndcg_at_6;
        metrics.ndcg_at_10 += user.ndcg_at_10;
        if let Some(recall) = user.recall_at_6 {
            metrics.users_with_relevant += 1;
            metrics.recall_at_6 += recall;
        }
    }
    let users = metrics.users_evaluated.max(1) as f64;
    metrics.ndcg_at_2 /= users;
    metrics.ndcg_at_6 /= users;
    metrics.ndcg_at_10 /= users;
    metrics.recall_at_6 /= metrics.users_with_relevant.max(1) as f64;
    metrics
}

/// Per-user metrics, indexed by user; `None` for users NDCG skips.
pub fn evaluate_users(
    split: &Split,
    scores: &Scores,
    protocol: Protocol,
    ties: Ties,
) -> Vec<Option<UserMetrics>> {
    let (n_users, n_items) = (split.test.n_users, split.test.n_items);
    check_shapes(scores, n_users, n_items);
    let test = by_user(&split.test);
    let train = match protocol {
        Protocol::TestItems => vec![Vec::new(); n_users],
        Protocol::FullCatalogue { .. } => by_user(&split.train),
    };
    let mut rng = match ties {
        Ties::Expected => None,
        Ties::Random { seed } => Some(seeded_rng(seed)),
    };
    let mut test_rating = vec![f32::NAN; n_items];
    let mut in_train = vec![false; n_items];
    // Per-item scores rank the whole catalogue the same way for every user: sort once.
    let item_order = match (scores, protocol) {
        (Scores::PerItem { items }, Protocol::FullCatalogue { .. }) => {
            Some(rank::score_order(items))
        }
        _ => None,
    };
    (0..n_users)
        .map(|user| {
            for &(item, rating) in &test[user] {
                test_rating[item as usize] = rating;
            }
            for &(item, _) in &train[user] {
                in_train[item as usize] = true;
            }
            let candidates: Vec<u32> = match protocol {
                Protocol::TestItems => test[user].iter().map(|&(item, _)| item).collect(),
                Protocol::FullCatalogue { .. } => (0..n_items as u32)
                    .filter(|&item| !in_train[item as usize])
                    .collect(),
            };
            let judge = Judge {
                protocol,
                test_rating: &test_rating,
            };
            let rng = rng.as_mut();
            let result = match scores {
                Scores::Hamming { users, items } => {
                    let ranking = rank::by_hamming_top(users.code(user), items, &candidates, DEPTH);
                    user_metrics(ranking, &candidates, &judge, rng)
                }
                Scores::InnerProduct { users, items } => {
                    let query = users.row(user);
                    let score = |i: u32| items.row(i as usize).dot(&query);
                    let ranking = rank::by_score(&candidates, score, DEPTH);
                    user_metrics(ranking, &candidates, &judge, rng)
                }
                Scores::PerItem { items } => {
                    let ranking = match &item_order {
                        Some(order) => {
                            rank::by_score_in_order(order, items, |i| !in_train[i as usize], DEPTH)
                        }
                        None => rank::by_score(&candidates, |i| items[i as usize], DEPTH),
                    };
                    user_metrics(ranking, &candidates, &judge, rng)
                }
            };
            for &(item, _) in &test[user] {
                test_rating[item as usize] = f32::NAN;
            }
            for &(item, _) in &train[user] {
                in_train[item as usize] = false;
            }
            result
        })
        .collect()
}

/// Gains and relevance of one user's candidates.
struct Judge<'a> {
    protocol: Protocol,
    /// The user's test rating of each item, NaN for items not in their test set.
    test_rating: &'a [f32],
}

impl Judge<'_> {
    fn relevant(&self, item: u32) -> bool {
        let rating = self.test_rating[item as usize];
        match self.protocol.relevance() {
            Some(Relevance::AnyTestItem) => !rating.is_nan(),
            Some(Relevance::RatingAbove3) | None => rating > 3.0,
        }
    }

    fn gain(&self, item: u32) -> f64 {
        match self.protocol {
            Protocol::TestItems => 2f64.powf(f64::from(self.test_rating[item as usize])) - 1.0,
            Protocol::FullCatalogue { .. } => f64::from(u8::from(self.relevant(item))),
        }
    }
}

/// NDCG@2/6/10 and Recall@6 of one user's ranking of `candidates`. Given a generator,
/// ties are shuffled and every item counts alone; otherwise each tie group contributes
/// its expectation.
fn user_metrics<K>(
    mut ranking: Ranking<K>,
    candidates: &[u32],
    judge: &Judge,
    rng: Option<&mut SeededRng>,
) -> Option<UserMetrics> {
    let mut ideal: Vec<f64> = candidates
        .iter()
        .map(|&item| judge.gain(item))
        .filter(|&gain| gain > 0.0)
        .collect();
    if ideal.is_empty() {
        return None;
    }
    ideal.sort_unstable_by(|a, b| b.total_cmp(a));
    let relevant = candidates
        .iter()
        .filter(|&&item| judge.relevant(item))
        .count();

    // Expected gain and expected relevant count at each position q < DEPTH.
    let mut gain_at = [0.0; DEPTH];
    let mut hit_at = [0.0; DEPTH];
    let mut start = 0;
    let broken = rng.is_some();
    if let Some(rng) = rng {
        ranking.shuffle_ties(DEPTH, rng);
    }
    let units = ranking
        .tie_groups()
        .flat_map(|(_, group)| group.chunks(if broken { 1 } else { group.len() }));
    for items in units {
        if start >= DEPTH {
            break;
        }
        let size = items.len() as f64;
        let mean_gain = items.iter().map(|&i| judge.gain(i)).sum::<f64>() / size;
        let hit_rate = items.iter().filter(|&&i| judge.relevant(i)).count() as f64 / size;
        for q in start..(start + items.len()).min(DEPTH) {
            gain_at[q] = mean_gain;
            hit_at[q] = hit_rate;
        }
        start += items.len();
    }

    let ndcg = |k: usize| {
        let dcg: f64 = (0..k).map(|q| gain_at[q] * discount(q)).sum();
        let idcg: f64 = ideal
            .iter()
            .take(k)
            .enumerate()
            .map(|(q, g)| g * discount(q))
            .sum();
        dcg / idcg
    };
    let recall = |k: usize| hit_at[..k].iter().sum::<f64>() / relevant as f64;
    Some(UserMetrics {
        ndcg_at_2: ndcg(2),
        ndcg_at_6: ndcg(6),
        ndcg_at_10: ndcg(10),
        recall_at_6: (relevant > 0).then(|| recall(6)),
    })
}

/// The DCG discount at 0-based position q: 1 / log2(q + 2).
fn discount(q: usize) -> f64 {
    1.0 / ((q + 2) as f64).log2()
}

/// Each user's (item, rating) pairs.
fn by_user(ratings: &Ratings) -> Vec<Vec<(u32, f32)>> {
    let mut lists = vec![Vec::new(); ratings.n_users];
    for r in &ratings.interactions {
        lists[r.user as usize].push((r.item, r.rating));
    }
    lists
}

fn check_shapes(scores: &Scores, n_users: usize, n_items: usize) {
    let (users, items) = match scores {
        Scores::Hamming { users, items } => {
            assert_eq!(users.bits(), items.bits(), "user and item code lengths");
            (users.len(), items.len())
        }
        Scores::InnerProduct { users, items } => {
            assert_eq!(users.ncols(), items.ncols(), "user and item feature sizes");
            (users.nrows(), items.nrows())
        }
        Scores::PerItem { items } => (n_users, items.len()),
    };
    assert_eq!(
        users, n_users,
        "scores for {users} users, split has {n_users}"
    );
    assert_eq!(
        items, n_items,
        "scores for {items} items, split has {n_items}"
    );
}
