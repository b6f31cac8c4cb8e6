//! `ccsr stats` and `ccsr toy` run as the built binary; bad input fails cleanly.
//! The data folder must exist: a missing file is a failure, never a skip.

mod cli_support;

use cli_support::{ccsr, stdout, ML_1M_HEAD};

#[test]
fn stats_of_ml_1m_head() {
    let out = stdout(&ccsr(&["stats", ML_1M_HEAD]));
    for line in [
        "users    2999",
        "items    3615",
        "ratings  487650",
        "density  4.4980%",
        "     1  27472",
        "     2  53838",
        "     3  127216",
        "     4  170579",
        "     5  108545",
    ] {
        assert!(out.lines().any(|l| l == line), "no line {line:?} in\n{out}");
    }
}

#[test]
fn stats_as_json() {
    let out = stdout(&ccsr(&["stats", ML_1M_HEAD, "--json"]));
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["users"], 2999);
    assert_eq!(stats["items"], 3615);
    assert_eq!(stats["ratings"], 487650);
    assert_eq!(stats["rating_histogram"][4][1], 108545);
}

#[test]
fn missing_and_bad_data_fail_with_the_readers_message() {
    let missing = ccsr(&["stats", "/nonexistent/ml-1m"]);
    assert_eq!(missing.status.code(), Some(1));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.starts_with("ccsr: ") && err.contains("/nonexistent/ml-1m"),
        "{err}"
    );

    let dir = std::env::temp_dir().join(format!("ccsr-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ratings.dat"), "1::1193::5::978300760\n1::661\n").unwrap();
    let bad = ccsr(&["stats", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("ratings.dat line 2"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn toy_still_prints_figure_2() {
    let out = stdout(&ccsr(&["toy", "5"]));
    assert_eq!(out.lines().count(), 2);
    assert!(out.starts_with("order reversal: {\"alpha\":5.0"), "{out}");
    assert!(stdout(&ccsr(&["toy"])).contains("SST tie: "));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(ccsr(&[]).status.code(), Some(2));
    assert_eq!(ccsr(&["baseline"]).status.code(), Some(2));
}
