//! `ccsr train` and `ccsr reproduce` on MovieLens 100K with few epochs and short codes:
//! the printed table, the JSON reports' shapes, and clear errors for bad arguments.

mod cli_support;

use cli_support::{assert_metric_row, ccsr, ML_100K};
use serde_json::Value;
use std::path::PathBuf;

fn temp_json(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ccsr-{name}-{}.json", std::process::id()))
}

/// Runs `args` plus `--json FILE`, expecting success; returns stdout and the report.
fn report(name: &str, args: &[&str]) -> (String, Value) {
    let json = temp_json(name);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--json", json.to_str().unwrap()]);
    let output = ccsr(&all);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    std::fs::remove_file(&json).unwrap();
    (String::from_utf8(output.stdout).unwrap(), report)
}

#[test]
fn train_prints_epochs_and_table_and_writes_the_report() {
    let (stdout, report) = report(
        "train",
        &[
            "train",
            "--data",
            ML_100K,
            "--model",
            "ccsr",
            "--bits",
            "8",
            "--binarize",
            "sst",
            "--seed",
            "3",
            "--epochs",
            "3",
            "--patience",
            "2",
        ],
    );
    assert!(stdout.contains("943 users, 1682 items"), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("epoch ")).count(),
        3
    );
    assert!(stdout.contains("val NDCG@10"), "{stdout}");
    for model in ["CCSR", "Random", "Top"] {
        let row = format!("{model:<10} ");
        assert_eq!(stdout.lines().filter(|l| l.starts_with(&row)).count(), 4);
    }

    assert_eq!(report["seed"], 3);
    assert_eq!(report["dataset"], "MovieLens 100K");
    assert_eq!(report["config"]["model"]["model"], "Ccsr");
    assert_eq!(report["config"]["model"]["code_length"], 8);
    assert_eq!(report["config"]["binarization"], "SignScaledTanh");
    assert_eq!(report["config"]["early_stopping"]["patience"], 2);
    assert!(report["seconds"].as_f64().unwrap() > 0.0);
    let epochs = report["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 3);
    for (i, e) in epochs.iter().enumerate() {
        assert_eq!(e["epoch"], i + 1);
        assert!(e["seconds"].as_f64().unwrap() >= 0.0);
        let loss = e["loss"].as_object().unwrap();
        assert!(loss.contains_key("similarity") && loss.values().all(Value::is_f64));
        assert!(e["validation"]["ndcg_at_10"].is_f64(), "{e}");
    }
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for r in rows {
        assert_metric_row(r, 0);
    }
    let model_rows: Vec<_> = rows.iter().filter(|r| r["model"] == "CCSR").collect();
    assert_eq!(model_rows.len(), 4);
    assert!(model_rows
        .iter()
        .all(|r| r["binarization"] == "SST" && r["bits"] == 8));
}

#[test]
fn reproduce_shares_trainings_and_prints_the_paper_beside_ours() {
    let (stdout, report) = report(
        "reproduce",
        &[
            "reproduce",
            "--data",
            ML_100K,
            "--table",
            "6",
            "--bits",
            "4",
            "--models",
            "cf,ccsr",
            "--seeds",
            "1,2",
            "--epochs",
            "1",
        ],
    );
    // One CCSR model per (training, seed): ST-trained for ST and SST, plain for S.
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("CCSR r=")).count(),
        2
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("CCSR (ST training)"))
            .count(),
        2
    );
    assert!(stdout.contains("RECALL@6"), "{stdout}");
    // Paper numbers (Table 6, ML-1M) are shown in parentheses, e.g. Random's 0.0260.
    let random = stdout.lines().find(|l| l.starts_with("Random")).unwrap();
    assert!(
        random.contains("±") && random.contains("(0.0260)"),
        "{random}"
    );
    for name in ["CCSR-ST ", "CCSR-SST ", "CCSR-S ", "CF "] {
        assert!(
            stdout.lines().any(|l| l.starts_with(name)),
            "{name}\n{stdout}"
        );
    }
    assert!(!stdout.lines().any(|l| l.starts_with("AECF")));

    assert_eq!(report["table"], "6");
    let rows = report["rows"].as_array().unwrap();
    // Per seed: 2 floors + CCSR ST, SST, S + CF, each under 2 protocols x 2 tie modes.
    assert_eq!(rows.len(), 2 * 6 * 4);
    for r in rows {
        assert_metric_row(r, 1);
    }
    assert_eq!(rows.iter().filter(|r| r["seed"] == 2).count(), 24);
}

fn assert_fails(args: &[&str], code: i32, message: &str) {
    let output = ccsr(args);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{err}");
    assert!(err.contains(message), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_arguments_give_clear_errors() {
    fn train<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["train", "--data", ML_100K];
        args.extend(extra);
        args
    }
    assert_fails(&train(&["--model", "svd"]), 2, "invalid value 'svd'");
    assert_fails(
        &train(&["--model", "ccsr", "--binarize", "x"]),
        2,
        "invalid value 'x'",
    );
    assert_fails(
        &train(&["--model", "cf", "--binarize", "st"]),
        1,
        "ccsr: invalid binarization: ST needs a model trained through a scaled tanh",
    );
    assert_fails(
        &train(&["--model", "cf", "--lambda-b", "0.1"]),
        1,
        "cf has no parameter lambda_b",
    );
    assert_fails(
        &train(&["--model", "ccsr", "--epochs", "0"]),
        1,
        "invalid max_epochs",
    );
    assert_fails(
        &train(&["--model", "ccsr", "--patience", "0"]),
        1,
        "invalid patience",
    );
    assert_fails(
        &train(&["--model", "ccsr", "--bits", "0"]),
        1,
        "invalid parameter code_length",
    );
    assert_fails(
        &["train", "--data", "/nonexistent/data", "--model", "cf"],
        1,
        "ccsr: ",
    );
    assert_fails(
        &["reproduce", "--data", ML_100K, "--table", "4"],
        2,
        "invalid value '4'",
    );
}
