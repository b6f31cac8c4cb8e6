//! `ccsr baseline` on ml-1m-head: the table, the JSON report's shape, and the known
//! facts about the paper's Random row (see baselines.rs).

mod cli_support;

use cli_support::{assert_metric_row, ccsr, ML_1M_HEAD};
use serde_json::Value;
use std::process::Command;

fn row<'a>(
    rows: &'a [Value],
    model: &str,
    protocol: &str,
    relevance: Value,
    ties: &str,
) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["model"] == model
                && r["protocol"] == protocol
                && r["relevance"] == relevance
                && r["ties"] == ties
        })
        .unwrap_or_else(|| panic!("no row {model} {protocol} {relevance} {ties}"))
}

#[test]
fn baseline_report_on_ml_1m_head() {
    let json = std::env::temp_dir().join(format!("ccsr-baseline-{}.json", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_ccsr"))
        .args(["baseline", "--data", ML_1M_HEAD, "--seed", "7", "--json"])
        .arg(&json)
        .output()
        .expect("run ccsr");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("2999 users, 3615 items"), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.starts_with("Random ")).count(),
        6
    );
    assert_eq!(table.lines().filter(|l| l.starts_with("Top ")).count(), 6);

    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    std::fs::remove_file(&json).unwrap();
    assert_eq!(report["seed"], 7);
    assert!(report["dataset"].is_string());
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for r in rows {
        assert_metric_row(r, 0);
        assert!(r["binarization"].is_null() && r["bits"].is_null());
    }

    let ndcg2 = |r: &Value| r["ndcg@2"].as_f64().unwrap();
    // The paper's Random row (NDCG@2 0.0094) matches full-catalogue ranking with every
    // held-out item relevant...
    let any = Value::from("any-test-item");
    let random_any = row(rows, "Random", "full-catalogue", any.clone(), "expected");
    assert!((0.005..0.015).contains(&ndcg2(random_any)), "{random_any}");
    // ...while a random order of a user's own test items scores about 0.5, Top higher.
    let random_a = row(rows, "Random", "test-items", Value::Null, "expected");
    let top_a = row(rows, "Top", "test-items", Value::Null, "expected");
    assert!((0.45..0.65).contains(&ndcg2(random_a)), "{random_a}");
    assert!(ndcg2(top_a) > ndcg2(random_a) + 0.05, "{top_a}");
    // Top's order is nearly tie-free: random tie-breaking barely moves it.
    let top_any_random = row(rows, "Top", "full-catalogue", any, "random");
    let top_any = row(
        rows,
        "Top",
        "full-catalogue",
        Value::from("any-test-item"),
        "expected",
    );
    assert!((ndcg2(top_any) - ndcg2(top_any_random)).abs() < 0.01);
}

#[test]
fn baseline_without_data_fails_cleanly() {
    let output = ccsr(&["baseline", "--data", "/nonexistent/data"]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.starts_with("ccsr: ") && !err.contains("panicked"),
        "{err}"
    );
}
