//! Shared by the CLI tests: running the built `ccsr` binary, the shared data folders
//! (a missing folder makes a test fail, never skip), and the metric row's shape.
#![allow(dead_code)] // each test file uses a subset

use serde_json::Value;
use std::process::{Command, Output};

pub const ML_1M_HEAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ml-1m-head");
pub const ML_100K: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ml-100k");

/// The keys of a metric row (`report::MetricRow`), metrics last.
pub const ROW_KEYS: [&str; 10] = [
    "model",
    "binarization",
    "bits",
    "protocol",
    "relevance",
    "ties",
    "ndcg@2",
    "ndcg@6",
    "ndcg@10",
    "recall@6",
];

/// Runs the binary with `args`.
pub fn ccsr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccsr"))
        .args(args)
        .output()
        .expect("run ccsr")
}

/// Its standard output, asserting that it succeeded.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "ccsr failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// `r` has exactly the row keys (plus `extra_keys` more) and metrics in [0, 1].
pub fn assert_metric_row(r: &Value, extra_keys: usize) {
    let object = r.as_object().unwrap();
    assert_eq!(object.len(), ROW_KEYS.len() + extra_keys, "{r}");
    assert!(ROW_KEYS.iter().all(|k| object.contains_key(*k)), "{r}");
    for k in &ROW_KEYS[6..] {
        assert!((0.0..=1.0).contains(&r[*k].as_f64().unwrap()), "{r}");
    }
}
