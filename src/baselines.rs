//! The rule-based models of sec. 5.2, as one score per item for
//! [`Scores::PerItem`](crate::metrics::Scores::PerItem):
//! - Random ("randomly select items from all items"): every item gets the same score,
//!   so the whole catalogue is one tie group. [`Ties::Random`](crate::metrics::Ties)
//!   then gives each user a seeded uniformly random order, and
//!   [`Ties::Expected`](crate::metrics::Ties) the exact expectation over random orders.
//! - Top ("the most frequently rated items from training data"): popularity, the number
//!   of training interactions of the item; one order for all users, items of equal
//!   popularity tied.

use crate::data::Ratings;

/// A rule-based recommender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    Random,
    Top,
}

impl Baseline {
    /// Both baselines, in the paper's table order.
    pub const ALL: [Baseline; 2] = [Baseline::Random, Baseline::Top];

    /// The paper's row name.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Random => "Random",
            Baseline::Top => "Top",
        }
    }

    /// One score per item (larger is better), from the training ratings.
    pub fn item_scores(self, train: &Ratings) -> Vec<f32> {
        match self {
            Baseline::Random => vec![0.0; train.n_items],
            Baseline::Top => popularity(train),
        }
    }
}

/// Number of interactions of each item.
pub fn popularity(ratings: &Ratings) -> Vec<f32> {
    let mut counts = vec![0u32; ratings.n_items];
    for r in &ratings.interactions {
        counts[r.item as usize] += 1;
    }
    counts.into_iter().map(|c| c as f32).collect()
}
