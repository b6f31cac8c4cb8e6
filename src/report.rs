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

/// What taking the sign after training through a scaled tanh costs (sec. 4.3, Figure 2):
/// SST minus ST under one protocol, ties as their expectation. Negative values are the
/// drop; comparing the drop at NDCG@2 with NDCG@10 says where in the ranking it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaledTanhDrop {
    pub protocol: String,
    #[serde(rename = "ndcg@2")]
    pub ndcg_at_2: f64,
    #[serde(rename = "ndcg@6")]
    pub ndcg_at_6: f64,
    #[serde(rename = "ndcg@10")]
    pub ndcg_at_10: f64,
    #[serde(rename = "recall@6")]
    pub recall_at_6: f64,
}

/// SST minus ST for every protocol where `rows` hold both (expected ties), in the order
/// of the ST rows; empty when the run has no ST/SST pair.
pub fn scaled_tanh_drop(rows: &[MetricRow]) -> Vec<ScaledTanhDrop> {
    let find = |bin: &str, protocol: &str| {
        rows.iter().find(|r| {
            r.binarization.as_deref() == Some(bin) && r.protocol == protocol && r.ties == "expected"
        })
    };
    rows.iter()
        .filter(|r| r.binarization.as_deref() == Some("ST") && r.ties == "expected")
        .filter_map(|st| {
            let sst = find("SST", &st.protocol)?;
            Some(ScaledTanhDrop {
                protocol: st.protocol.clone(),
                ndcg_at_2: sst.ndcg_at_2 - st.ndcg_at_2,
                ndcg_at_6: sst.ndcg_at_6 - st.ndcg_at_6,
                ndcg_at_10: sst.ndcg_at_10 - st.ndcg_at_10,
                recall_at_6: sst.recall_at_6 - st.recall_at_6,
            })
        })
        .collect()
}

#[cfg(test)]
mod drop_tests {
    use super::*;

    fn row(bin: &str, protocol: &str, ties: &str, base: f64) -> MetricRow {
        MetricRow {
            model: "CCSR".into(),
            binarization: Some(bin.into()),
            bits: Some(10),
            protocol: protocol.into(),
            relevance: None,
            ties: ties.into(),
            ndcg_at_2: base,
            ndcg_at_6: base + 0.1,
            ndcg_at_10: base + 0.2,
            recall_at_6: base + 0.3,
        }
    }

    #[test]
    fn the_drop_is_sst_minus_st_per_protocol_with_expected_ties() {
        let rows = [
            row("ST", "test-items", "expected", 0.5),
            row("ST", "test-items", "random", 0.9),
            row("ST", "full-catalogue", "expected", 0.05),
            row("SST", "full-catalogue", "expected", 0.04),
            row("SST", "test-items", "random", 0.1),
            row("SST", "test-items", "expected", 0.25),
        ];
        let drop = scaled_tanh_drop(&rows);
        assert_eq!(drop.len(), 2);
        assert_eq!(drop[0].protocol, "test-items");
        assert!((drop[0].ndcg_at_2 + 0.25).abs() < 1e-12);
        assert!((drop[0].recall_at_6 + 0.25).abs() < 1e-12);
        assert_eq!(drop[1].protocol, "full-catalogue");
        assert!((drop[1].ndcg_at_10 + 0.01).abs() < 1e-12);
    }

    #[test]
    fn no_pair_no_drop() {
        assert!(scaled_tanh_drop(&[row("S", "test-items", "expected", 0.5)]).is_empty());
        assert!(scaled_tanh_drop(&[row("ST", "test-items", "expected", 0.5)]).is_empty());
    }
}
