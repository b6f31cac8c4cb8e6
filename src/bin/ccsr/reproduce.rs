//! `ccsr reproduce --data DATA --table 3|6 [--bits ..] [--models ..] [--seeds ..]`: every
//! model x binarization x code length of the paper's Table 3 (NDCG@2/6/10) or Table 6
//! (Recall@6), with the Random and Top floors, printed in the paper's layout (rows =
//! models, columns = k x r or r) beside the paper's numbers (`ccsr::paper`, embedded
//! from `src/paper_tables.json`). Our numbers are protocol A (each user's test items) with
//! expected ties, as mean ± standard deviation over seeds; the JSON has every row.
//!
//! One model is trained per (model, training, r, seed) and evaluated under every
//! binarization it serves: ST and SST share an ST-trained model, S and C a plain one.

use crate::train::{load_split, train, write_json};
use crate::CliResult;
use ccsr::binarize::Binarization::{self, Continuous, ScaledTanh, Sign, SignScaledTanh};
use ccsr::experiment::{floors, model_params, EarlyStoppingConfig, Run, RunConfig, MODELS};
use ccsr::metrics::{Protocol, Ties};
use ccsr::paper::{self, Table};
use ccsr::report::MetricRow;
use serde::Serialize;
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// A data folder (ML-1M / ML-100K layout) or file (release zip, ratings file).
    #[arg(long)]
    data: PathBuf,
    /// 3 (NDCG@2/6/10 on MovieLens 1M) or 6 (Recall@6).
    #[arg(long, value_parser = ["3", "6"])]
    table: String,
    /// Code lengths r.
    #[arg(long, value_delimiter = ',', default_value = "5,10,20,40")]
    bits: Vec<usize>,
    /// Models to train (all by default; Random and Top are always shown).
    #[arg(long, value_delimiter = ',', value_parser = MODELS)]
    models: Vec<String>,
    /// One split and one training per seed.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    seeds: Vec<u64>,
    /// Most epochs per model.
    #[arg(long, default_value_t = 30)]
    epochs: usize,
    /// Early-stop on a 10% validation split after N validations without improvement.
    #[arg(long)]
    patience: Option<usize>,
    /// Also write `{"dataset", "table", "rows": [MetricRow + "seed"]}` to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// One trained model: which, trained through a scaled tanh or not, and the
/// binarizations of it the table reports (the first is the one early stopping uses).
struct Training {
    model: &'static str,
    scaled_tanh: bool,
    binarizations: &'static [Binarization],
}

const fn training(
    model: &'static str,
    scaled_tanh: bool,
    binarizations: &'static [Binarization],
) -> Training {
    Training {
        model,
        scaled_tanh,
        binarizations,
    }
}

/// Table 3's trainings (rows AECF-C ... CCSR-S).
const TABLE3: [Training; 7] = [
    training("aecf", false, &[Sign, Continuous]),
    training("ccsr", false, &[Sign, Continuous]),
    training("aecf", true, &[SignScaledTanh, ScaledTanh]),
    training("djsrh", true, &[SignScaledTanh, ScaledTanh]),
    training("ccsr", true, &[SignScaledTanh, ScaledTanh]),
    training("cf", false, &[Sign]),
    training("cfcodereg", false, &[Sign]),
];

/// Table 6's trainings (no -C rows).
const TABLE6: [Training; 7] = [
    training("aecf", true, &[SignScaledTanh, ScaledTanh]),
    training("djsrh", true, &[SignScaledTanh, ScaledTanh]),
    training("ccsr", true, &[SignScaledTanh, ScaledTanh]),
    training("cf", false, &[Sign]),
    training("cfcodereg", false, &[Sign]),
    training("aecf", false, &[Sign]),
    training("ccsr", false, &[Sign]),
];

/// A row of the JSON report: a [`MetricRow`] and the seed it was measured with.
#[derive(Serialize)]
struct SeededRow {
    seed: u64,
    #[serde(flatten)]
    row: MetricRow,
}

#[derive(Serialize)]
struct Report<'a> {
    dataset: &'a str,
    table: &'a str,
    rows: &'a [SeededRow],
}

pub fn run(args: &Args) -> CliResult {
    let trainings: Vec<&Training> = if args.table == "3" { &TABLE3 } else { &TABLE6 }
        .iter()
        .filter(|t| args.models.is_empty() || args.models.iter().any(|m| m == t.model))
        .collect();
    let mut rows = Vec::new();
    let mut dataset = String::new();
    for &seed in &args.seeds {
        let (name, split) = load_split(&args.data, seed)?;
        dataset = name;
        rows.extend(
            floors(&split, seed)
                .into_iter()
                .map(|row| SeededRow { seed, row }),
        );
        for &bits in &args.bits {
            for t in &trainings {
                let start = Instant::now();
                let params = model_params(
                    t.model,
                    &[("code_length", bits.into()), ("seed", seed.into())],
                )?;
                let mut config = RunConfig::new(params, t.binarizations[0], args.epochs);
                config.early_stopping = args.patience.map(|patience| EarlyStoppingConfig {
                    patience,
                    ..EarlyStoppingConfig::default()
                });
                let mut run = Run::new(config, &split)?;
                train(&mut run, false)?;
                println!(
                    "{}{} r={bits} seed {seed}: {} epochs (features of epoch {}) in {:.1}s",
                    run.model_name(),
                    if t.scaled_tanh { " (ST training)" } else { "" },
                    run.epochs(),
                    run.best_epoch(),
                    start.elapsed().as_secs_f64()
                );
                let evaluated = run.evaluate_as(&split, t.binarizations)?;
                rows.extend(evaluated.into_iter().map(|row| SeededRow { seed, row }));
            }
        }
    }
    print!("{}", layout(args, &rows));
    if let Some(path) = &args.json {
        write_json(
            path,
            &Report {
                dataset: &dataset,
                table: &args.table,
                rows: &rows,
            },
        )?;
    }
    Ok(())
}

/// The paper's row name: "CCSR-ST", "CF" (CF and CFCodeReg are always sign), "Top".
fn row_name(row: &MetricRow) -> String {
    paper::row_name(&row.model, row.binarization.as_deref()).unwrap_or_else(|| {
        format!(
            "{}-{}",
            row.model,
            row.binarization.as_deref().unwrap_or("?")
        )
    })
}

/// Table 3's rows in the paper's order.
const TABLE3_ROWS: [&str; 14] = [
    "Random",
    "Top",
    "AECF-C",
    "CCSR-C",
    "AECF-ST",
    "DJSRH-ST",
    "CCSR-ST",
    "AECF-SST",
    "DJSRH-SST",
    "CCSR-SST",
    "CF",
    "CFCodeReg",
    "AECF-S",
    "CCSR-S",
];

/// Mean ± standard deviation (n - 1) of `xs`, "-" when empty.
fn summary(xs: &[f64]) -> String {
    if xs.is_empty() {
        return "-".to_owned();
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() == 1 {
        return format!("{mean:.4}");
    }
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    format!("{mean:.4}±{sd:.4}")
}

/// The paper's number for `name` at metric `k` ("ndcg@2", or "movielens1m" in Table
/// 6) and code length `bits` ("-" when the paper has none).
fn paper_value(table: &str, name: &str, k: &str, bits: usize) -> String {
    let table = if table == "3" {
        Table::Table3
    } else {
        Table::Table6
    };
    paper::value(table, name, k, bits).map_or("-".to_owned(), |v| format!("{v:.4}"))
}

/// The table: one block per metric, rows = models, columns = r, "ours (paper)".
fn layout(args: &Args, rows: &[SeededRow]) -> String {
    let metrics: &[(&str, &str)] = if args.table == "3" {
        &[
            ("ndcg@2", "ndcg@2"),
            ("ndcg@6", "ndcg@6"),
            ("ndcg@10", "ndcg@10"),
        ]
    } else {
        &[("recall@6", "movielens1m")]
    };
    let mut out = format!(
        "\nTable {}: ours (protocol A: each user's test items, expected ties; mean±sd over {} seed(s)) and (paper)\n",
        args.table,
        args.seeds.len()
    );
    let in_protocol = |r: &&SeededRow| {
        r.row.protocol == Protocol::TestItems.name() && r.row.ties == Ties::Expected.name()
    };
    for &(metric, paper_key) in metrics {
        let _ = write!(out, "\n{:<10}", metric.to_uppercase());
        for bits in &args.bits {
            let _ = write!(out, " {:>24}", format!("r={bits}"));
        }
        out.push('\n');
        // Table 6 has Table 3's rows less the -C ones; only rows we measured are shown.
        let names = TABLE3_ROWS
            .iter()
            .filter(|&&name| rows.iter().any(|r| row_name(&r.row) == name));
        for &name in names {
            let _ = write!(out, "{name:<10}");
            for &bits in &args.bits {
                let xs: Vec<f64> = rows
                    .iter()
                    .filter(in_protocol)
                    .filter(|r| row_name(&r.row) == name && r.row.bits.is_none_or(|b| b == bits))
                    .map(|r| value(&r.row, metric))
                    .collect();
                let cell = format!(
                    "{} ({})",
                    summary(&xs),
                    paper_value(&args.table, name, paper_key, bits)
                );
                let _ = write!(out, " {cell:>24}");
            }
            out.push('\n');
        }
    }
    out
}

fn value(row: &MetricRow, metric: &str) -> f64 {
    match metric {
        "ndcg@2" => row.ndcg_at_2,
        "ndcg@6" => row.ndcg_at_6,
        "ndcg@10" => row.ndcg_at_10,
        _ => row.recall_at_6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_mean_and_sample_sd() {
        assert_eq!(summary(&[]), "-");
        assert_eq!(summary(&[0.5]), "0.5000");
        assert_eq!(summary(&[0.4, 0.6]), "0.5000±0.1414");
    }

    #[test]
    fn paper_values_come_from_the_embedded_tables() {
        assert_eq!(paper_value("3", "CCSR-C", "ndcg@10", 40), "0.7885");
        assert_eq!(paper_value("3", "Random", "ndcg@2", 5), "0.0094");
        assert_eq!(paper_value("6", "Top", "movielens1m", 5), "0.0282");
        assert_eq!(paper_value("6", "AECF-C", "movielens1m", 5), "-");
        assert_eq!(paper_value("3", "CF", "ndcg@2", 7), "-");
    }
}
