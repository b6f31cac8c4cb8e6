//! `ccsr train --data DATA --model M --bits R --binarize B --seed N [...]`: one model
//! trained on a per-user 80/20 split (sec. 5.1), one line per epoch, then its test rows
//! (protocols A and B, expected and random ties) beside the Random and Top floors.

use crate::CliResult;
use ccsr::binarize::Binarization;
use ccsr::data::{split, Split};
use ccsr::experiment::{floors, Run, RunConfig, TrainSettings, MODELS};
use ccsr::metrics::Metrics;
use ccsr::report::{table, MetricRow};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// The paper's test fraction (sec. 5.1).
pub const TEST_FRACTION: f64 = 0.2;

/// The binarizations of sec. 4.3, as typed on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Binarize {
    Sign,
    St,
    Sst,
    Continuous,
}

impl From<Binarize> for Binarization {
    fn from(b: Binarize) -> Self {
        match b {
            Binarize::Sign => Binarization::Sign,
            Binarize::St => Binarization::ScaledTanh,
            Binarize::Sst => Binarization::SignScaledTanh,
            Binarize::Continuous => Binarization::Continuous,
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// A data folder (ML-1M / ML-100K layout) or file (release zip, ratings file).
    #[arg(long)]
    data: PathBuf,
    #[arg(long, value_parser = MODELS)]
    model: String,
    /// Code length r.
    #[arg(long, default_value_t = 20)]
    bits: usize,
    #[arg(long, value_enum, default_value = "sign")]
    binarize: Binarize,
    /// Seed of the split, the model, the validation split and random tie-breaking.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Most epochs to train.
    #[arg(long, default_value_t = 30)]
    epochs: usize,
    /// Learning rate (the model's default otherwise).
    #[arg(long)]
    lr: Option<f32>,
    /// Weight of the autoencoder reconstruction loss (CCSR, AECF).
    #[arg(long)]
    lambda_ae: Option<f32>,
    /// Weight of the balance loss (CCSR).
    #[arg(long)]
    lambda_b: Option<f32>,
    /// Weight of the quantization loss (CCSR).
    #[arg(long)]
    lambda_q: Option<f32>,
    /// Early-stop after N validations without a better NDCG@10 on a 10% per-user
    /// validation split of the training ratings, keeping the best epoch.
    #[arg(long)]
    patience: Option<usize>,
    /// Any other model parameter, e.g. `--set unrated_weight=0.01 --set logit_scale=0.3`
    /// (repeatable; names as in the model's params struct).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    set: Vec<(String, Value)>,
    /// Also write the configuration, per-epoch log and rows to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// One epoch of the JSON log.
#[derive(Serialize)]
pub struct EpochLog {
    epoch: usize,
    loss: BTreeMap<&'static str, f64>,
    seconds: f64,
    validation: Option<Metrics>,
}

/// The JSON report.
#[derive(Serialize)]
struct Report<'a> {
    config: &'a RunConfig,
    dataset: &'a str,
    seed: u64,
    epochs: &'a [EpochLog],
    seconds: f64,
    rows: &'a [MetricRow],
}

/// Loads `data` and splits it per user 80/20 with `seed`; prints one line about it.
pub fn load_split(
    data: &std::path::Path,
    seed: u64,
) -> Result<(String, Split), ccsr::data::DataError> {
    let dataset = ccsr::data::load_path(data)?;
    let split = split::per_user(&dataset.ratings, TEST_FRACTION, seed);
    println!(
        "{}: {} users, {} items; per-user {TEST_FRACTION} test split, seed {seed}",
        dataset.name, split.train.n_users, split.train.n_items
    );
    Ok((dataset.name, split))
}

/// Trains `run` to the end, printing one line per epoch when `verbose`.
pub fn train(run: &mut Run, verbose: bool) -> Result<Vec<EpochLog>, ccsr::experiment::RunError> {
    let mut log = Vec::new();
    while !run.is_finished() {
        let start = Instant::now();
        let record = run.step()?;
        let seconds = start.elapsed().as_secs_f64();
        if verbose {
            let validation = record.validation.map_or(String::new(), |m| {
                format!("  val NDCG@10 {:.4}", m.ndcg_at_10)
            });
            println!(
                "epoch {:3}  {seconds:6.2}s  loss {:.5}{validation}",
                record.epoch, record.loss
            );
        }
        log.push(EpochLog {
            epoch: record.epoch,
            loss: record
                .loss
                .terms
                .iter()
                .map(|t| (t.name, t.value))
                .collect(),
            seconds,
            validation: record.validation,
        });
    }
    Ok(log)
}

/// `key=value` of `--set`; the value is read as JSON (numbers, booleans, arrays) and
/// otherwise taken as a string.
fn parse_override(text: &str) -> Result<(String, Value), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected key=value, got {text:?}"))?;
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::from(value));
    Ok((key.trim().to_owned(), value))
}

impl Args {
    /// The run these arguments describe.
    fn settings(&self) -> TrainSettings {
        TrainSettings {
            model: self.model.clone(),
            bits: self.bits,
            binarization: self.binarize.into(),
            seed: self.seed,
            epochs: self.epochs,
            learning_rate: self.lr,
            lambda_ae: self.lambda_ae,
            lambda_b: self.lambda_b,
            lambda_q: self.lambda_q,
            patience: self.patience,
            set: self.set.iter().cloned().collect(),
        }
    }
}

pub fn run(args: &Args) -> CliResult {
    let config = args.settings().run_config()?;
    let (dataset, split) = load_split(&args.data, args.seed)?;
    let start = Instant::now();
    let mut run = Run::new(config, &split)?;
    let epochs = train(&mut run, true)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} trained {} epochs in {seconds:.1}s; features of epoch {}",
        run.model_name(),
        run.epochs(),
        run.best_epoch()
    );
    let mut rows = run.evaluate(&split);
    rows.extend(floors(&split, args.seed));
    print!("{}", table(&rows));
    if let Some(path) = &args.json {
        let report = Report {
            config: run.config(),
            dataset: &dataset,
            seed: args.seed,
            epochs: &epochs,
            seconds,
            rows: &rows,
        };
        write_json(path, &report)?;
    }
    Ok(())
}

/// Writes `value` as pretty JSON to `path`.
pub fn write_json(path: &std::path::Path, value: &impl Serialize) -> CliResult {
    let json = serde_json::to_string_pretty(value)?;
    std::fs::write(path, json + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(())
}
