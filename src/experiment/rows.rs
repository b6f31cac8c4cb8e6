//! Test metrics as report rows: every binarization of some features, and the Random
//! and Top floors, each under protocol A (a user's test items, graded NDCG) and
//! protocol B (full catalogue, relevant = rating > 3), with expected and seeded random
//! tie-breaking (see [`crate::metrics`]).

use crate::baselines::Baseline;
use crate::binarize::{embed, Binarization, NoScaledTanh};
use crate::data::Split;
use crate::metrics::{evaluate, Protocol, Relevance, Scores, Ties};
use crate::model::Features;
use crate::report::MetricRow;

/// The two protocols every row is measured under: A, then B.
pub const PROTOCOLS: [Protocol; 2] = [
    Protocol::TestItems,
    Protocol::FullCatalogue {
        relevance: Relevance::RatingAbove3,
    },
];

/// Expected, then random (seeded) tie-breaking.
fn ties(seed: u64) -> [Ties; 2] {
    [Ties::Expected, Ties::Random { seed }]
}

/// Rows of `model`'s `features` under each binarization (in order), each protocol and
/// tie mode, on `split.test`; ties broken at random with `seed`.
pub fn evaluate_features(
    model: &str,
    features: &Features,
    binarizations: &[Binarization],
    split: &Split,
    seed: u64,
) -> Result<Vec<MetricRow>, NoScaledTanh> {
    let bits = features.users.ncols();
    let mut rows = Vec::new();
    for &b in binarizations {
        let embedding = embed(features, b)?;
        let scores = embedding.scores();
        rows.extend(rows_of(
            model,
            Some(b.suffix()),
            Some(bits),
            &scores,
            split,
            seed,
        ));
    }
    Ok(rows)
}

/// The Random and Top rows on `split` under the same protocols and tie modes.
pub fn floors(split: &Split, seed: u64) -> Vec<MetricRow> {
    Baseline::ALL
        .iter()
        .flat_map(|baseline| {
            let items = baseline.item_scores(&split.train);
            let scores = Scores::PerItem { items: &items };
            rows_of(baseline.name(), None, None, &scores, split, seed)
        })
        .collect()
}

fn rows_of(
    model: &str,
    binarization: Option<&str>,
    bits: Option<usize>,
    scores: &Scores,
    split: &Split,
    seed: u64,
) -> Vec<MetricRow> {
    PROTOCOLS
        .iter()
        .flat_map(|&protocol| {
            ties(seed).map(|ties| {
                let metrics = evaluate(split, scores, protocol, ties);
                MetricRow::new(model, binarization, bits, protocol, ties, &metrics)
            })
        })
        .collect()
}
