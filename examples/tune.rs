//! Tuning driver for the models, on [`ccsr::experiment`]: trains one model per seed on
//! a per-user 80/20 split (seed 1) of a data set, early-stopping on a per-user 10%
//! validation split of the training part, and prints test metrics (protocol A, expected
//! ties) of the best validation epoch and of the last epoch.
//!
//! ```text
//! cargo run --release --example tune -- DATA MODEL R EPOCHS SEEDS [key=value ...]
//! cargo run --release --example tune -- /work/shared/data/ml-1m-head ccsr 20 30 1 lambda_b=1e-3
//! ```
//! MODEL is ccsr, aecf, cf, cfcodereg or djsrh; key=value pairs override fields of the
//! model's parameters (JSON values); `patience=N` (default 5). Selection uses NDCG@10
//! of the sign codes (SST for scaled-tanh models; `select=ST` or `select=C` to change).

use std::time::Instant;

use ccsr::binarize::Binarization;
use ccsr::data::{load_path, split};
use ccsr::experiment::{
    alpha_growth, evaluate_features, floors, model_params, EarlyStoppingConfig, Run, RunConfig,
};
use ccsr::report::MetricRow;
use serde_json::Value;

/// The protocol A, expected-ties row among `rows`.
fn protocol_a(rows: Vec<MetricRow>) -> MetricRow {
    rows.into_iter()
        .find(|r| r.protocol == "test-items" && r.ties == "expected")
        .expect("evaluate_features reports protocol A")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, model, r, epochs, seeds, rest @ ..] = args.as_slice() else {
        panic!("usage: tune DATA MODEL R EPOCHS SEEDS [key=value ...]");
    };
    let (r, epochs, seeds): (usize, usize, u64) = (
        r.parse().expect("R"),
        epochs.parse().expect("EPOCHS"),
        seeds.parse().expect("SEEDS"),
    );
    let mut overrides = vec![("code_length", Value::from(r))];
    let mut select = None;
    let mut patience = 5;
    for kv in rest {
        let (k, v) = kv.split_once('=').expect("key=value");
        match k {
            "select" => select = Some(v),
            "patience" => patience = v.parse().expect("patience"),
            _ => overrides.push((
                k,
                serde_json::from_str(v).unwrap_or(Value::String(v.into())),
            )),
        }
    }
    let params = model_params(model, &overrides).expect("valid parameters");
    let st = alpha_growth(&params).is_some();
    let reported = if st {
        [Binarization::ScaledTanh, Binarization::SignScaledTanh]
    } else {
        [Binarization::Sign, Binarization::Continuous]
    };
    let pick = match (select, st) {
        (None, true) => Binarization::SignScaledTanh,
        (None, false) => Binarization::Sign,
        (Some("ST"), true) => Binarization::ScaledTanh,
        (Some("C"), false) => Binarization::Continuous,
        (Some(other), _) => panic!("select={other}: this model reports only {reported:?}"),
    };
    let dataset = load_path(std::path::Path::new(data)).expect("data set");
    let split = split::per_user(&dataset.ratings, 0.2, 1);
    let top = protocol_a(
        floors(&split, 1)
            .into_iter()
            .filter(|r| r.model == "Top")
            .collect(),
    );
    println!("Top (test): ndcg@10 {:.4}", top.ndcg_at_10);
    let mut results: Vec<Vec<f64>> = Vec::new();
    for seed in 0..seeds {
        let mut config = RunConfig::new(params.clone(), pick, epochs);
        config.seed = seed;
        config.early_stopping = Some(EarlyStoppingConfig {
            patience,
            ..EarlyStoppingConfig::default()
        });
        let start = Instant::now();
        let mut run = Run::new(config, &split).expect("valid configuration");
        println!(
            "seed {seed}: {} built in {:.1}s",
            run.model_name(),
            start.elapsed().as_secs_f64()
        );
        while !run.is_finished() {
            let t = Instant::now();
            let record = run.step().expect("training");
            let v = record.validation.map_or(f64::NAN, |m| m.ndcg_at_10);
            println!(
                "  epoch {:3} {:.2}s loss {:.5} val-{} ndcg@10 {:.4}",
                record.epoch,
                t.elapsed().as_secs_f64(),
                record.loss,
                pick.suffix(),
                v
            );
        }
        let mut row = Vec::new();
        for b in reported {
            let best = protocol_a(run.evaluate_as(&split, &[b]).expect("binarization"));
            let last = protocol_a(
                evaluate_features(run.model_name(), &run.last_features(), &[b], &split, seed)
                    .expect("binarization"),
            );
            println!(
                "  {}-{}: best epoch {}: test ndcg@2/6/10 {:.4} {:.4} {:.4} recall@6 {:.4} | last epoch {}: ndcg@10 {:.4}",
                run.model_name(), b.suffix(), run.best_epoch(), best.ndcg_at_2, best.ndcg_at_6, best.ndcg_at_10, best.recall_at_6, run.epochs(), last.ndcg_at_10
            );
            row.push(best.ndcg_at_10);
            row.push(last.ndcg_at_10);
        }
        results.push(row);
    }
    let names = reported.iter().flat_map(|b| {
        [
            format!("{}-best", b.suffix()),
            format!("{}-last", b.suffix()),
        ]
    });
    for (j, name) in names.enumerate() {
        let xs: Vec<f64> = results.iter().map(|r| r[j]).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        println!(
            "{model} r={r} {name}: test ndcg@10 mean {mean:.4} sd {sd:.4} over {} seeds",
            xs.len()
        );
    }
}
