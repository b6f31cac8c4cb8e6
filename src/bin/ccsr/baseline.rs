//! `ccsr baseline --data DATA [--seed N] [--json FILE]`: the Random and Top rows of the
//! paper's Tables 3 and 6 on a per-user 80/20 split (sec. 5.1), under the test-items
//! protocol and the full-catalogue protocol (both relevance options), with expected and
//! seeded random tie-breaking.

use crate::CliResult;
use ccsr::baselines::Baseline;
use ccsr::data::split;
use ccsr::metrics::{evaluate, Protocol, Relevance, Scores, Ties};
use ccsr::report::{table, MetricRow};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A data folder (ML-1M / ML-100K layout) or file (release zip, ratings file).
    #[arg(long)]
    data: PathBuf,
    /// Seed of the train/test split and of random tie-breaking.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Also write `{"dataset", "seed", "rows"}` to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// The JSON report.
#[derive(Serialize)]
struct Report<'a> {
    dataset: &'a str,
    seed: u64,
    rows: &'a [MetricRow],
}

/// The paper's test fraction (sec. 5.1).
const TEST_FRACTION: f64 = 0.2;

pub fn run(args: &Args) -> CliResult {
    let dataset = ccsr::data::load_path(&args.data)?;
    let split = split::per_user(&dataset.ratings, TEST_FRACTION, args.seed);
    let protocols = [
        Protocol::TestItems,
        Protocol::FullCatalogue {
            relevance: Relevance::RatingAbove3,
        },
        Protocol::FullCatalogue {
            relevance: Relevance::AnyTestItem,
        },
    ];
    let ties = [Ties::Expected, Ties::Random { seed: args.seed }];
    let mut rows = Vec::new();
    for baseline in Baseline::ALL {
        let item_scores = baseline.item_scores(&split.train);
        let scores = Scores::PerItem {
            items: &item_scores,
        };
        for protocol in protocols {
            for ties in ties {
                let metrics = evaluate(&split, &scores, protocol, ties);
                rows.push(MetricRow::new(
                    baseline.name(),
                    None,
                    None,
                    protocol,
                    ties,
                    &metrics,
                ));
            }
        }
    }
    println!(
        "{}: {} users, {} items; per-user {TEST_FRACTION} test split, seed {}",
        dataset.name, split.train.n_users, split.train.n_items, args.seed
    );
    print!("{}", table(&rows));
    if let Some(path) = &args.json {
        let report = Report {
            dataset: &dataset.name,
            seed: args.seed,
            rows: &rows,
        };
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
