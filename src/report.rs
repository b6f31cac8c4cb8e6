//! Report rows: one line of the paper's Tables 3-6 (a model, its binarization and code
//! length) measured under one protocol and tie mode, as JSON and as a text table.

use crate::metrics::{Metrics, Protocol, Ties};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One row of results. Serialises as `{"model", "binarization", "bits", "protocol",
/// "relevance", "ties", "ndcg@2", "ndcg@6", "ndcg@10", "recall@6"}`; `binarization` and
/// `bits` are null for models without codes (Random, Top), `relevance` is null for the
/// test-items protocol (graded NDCG, Recall on rating > 3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    pub model: String,
    /// "S", "ST", "SST" or "C" (sec. 4.3).
    pub binarization: Option<String>,
    pub bits: Option<usize>,
    /// "test-items" or "full-catalogue".
    pub protocol: String,
    /// "rating>3" or "any-test-item".
    pub relevance: Option<String>,
    /// "expected" or "random".
    pub ties: String,
    #[serde(rename = "ndcg@2")]
    pub ndcg_at_2: f64,
    #[serde(rename = "ndcg@6")]
    pub ndcg_at_6: f64,
    #[serde(rename = "ndcg@10")]
    pub ndcg_at_10: f64,
    #[serde(rename = "recall@6")]
    pub recall_at_6: f64,
}

impl MetricRow {
    /// The row of `metrics`, measured under `protocol` and `ties`.
    pub fn new(
        model: &str,
        binarization: Option<&str>,
        bits: Option<usize>,
        protocol: Protocol,
        ties: Ties,
        metrics: &Metrics,
    ) -> MetricRow {
        MetricRow {
            model: model.to_owned(),
            binarization: binarization.map(str::to_owned),
            bits,
            protocol: protocol.name().to_owned(),
            relevance: protocol.relevance().map(|r| r.name().to_owned()),
            ties: ties.name().to_owned(),
            ndcg_at_2: metrics.ndcg_at_2,
            ndcg_at_6: metrics.ndcg_at_6,
            ndcg_at_10: metrics.ndcg_at_10,
            recall_at_6: metrics.recall_at_6,
        }
    }
}

/// The rows as an aligned text table, one line each, under a header.
pub fn table(rows: &[MetricRow]) -> String {
    let mut out = format!(
        "{:<10} {:<4} {:>4}  {:<14} {:<13} {:<8} {:>7} {:>7} {:>7} {:>8}\n",
        "model",
        "bin",
        "bits",
        "protocol",
        "relevance",
        "ties",
        "NDCG@2",
        "NDCG@6",
        "NDCG@10",
        "Recall@6"
    );
    for row in rows {
        let bits = row.bits.map_or("-".to_owned(), |b| b.to_string());
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{:<10} {:<4} {:>4}  {:<14} {:<13} {:<8} {:>7.4} {:>7.4} {:>7.4} {:>8.4}",
            row.model,
            row.binarization.as_deref().unwrap_or("-"),
            bits,
            row.protocol,
            row.relevance.as_deref().unwrap_or("graded"),
            row.ties,
            row.ndcg_at_2,
            row.ndcg_at_6,
            row.ndcg_at_10,
            row.recall_at_6
        );
    }
    out
}
