//! Experiment driver for the models: trains one model on a per-user 80/20 split of a
//! data set, early-stops on a validation split carved from the training part (per-user
//! 10%), and reports test metrics (protocol A: each user's test items, tie-aware
//! expectation) of the best validation epoch and of the last epoch.
//!
//! ```text
//! cargo run --release --example tune -- DATA MODEL R EPOCHS SEEDS [key=value ...]
//! cargo run --release --example tune -- /work/shared/data/ml-1m-head ccsr 20 30 1 lambda_b=1e-3
//! ```
//! MODEL is ccsr, aecf, cf, cfcodereg or djsrh; key=value pairs override fields of the
//! model's parameters (JSON values). Selection uses NDCG@10 of the sign codes (of the
//! ST output for scaled-tanh models, `select=ST` to change) on the validation split.

use std::time::Instant;

use ccsr::baselines::Baseline;
use ccsr::binarize::{embed, Binarization};
use ccsr::data::{load_path, split, Split};
use ccsr::metrics::{evaluate, Metrics, Protocol, Scores, Ties};
use ccsr::model::{
    AecfParams, CcsrParams, CfCodeRegParams, CfParams, DjsrhParams, EarlyStopping, Features,
    ModelParams,
};
use serde_json::Value;

fn score(split: &Split, features: &Features, b: Binarization) -> Metrics {
    let e = embed(features, b).expect("binarization fits the model");
    evaluate(split, &e.scores(), Protocol::TestItems, Ties::Expected)
}

fn params(model: &str, r: usize, seed: u64, overrides: &[(String, Value)]) -> ModelParams {
    let mut v = match model {
        "ccsr" => serde_json::to_value(CcsrParams::default()),
        "aecf" => serde_json::to_value(AecfParams::default()),
        "cf" => serde_json::to_value(CfParams::default()),
        "cfcodereg" => serde_json::to_value(CfCodeRegParams::default()),
        "djsrh" => serde_json::to_value(DjsrhParams::default()),
        other => panic!("unknown model {other}"),
    }
    .expect("serialisable");
    v["code_length"] = r.into();
    v["seed"] = seed.into();
    for (k, val) in overrides {
        assert!(v.get(k).is_some(), "unknown parameter {k}");
        v[k.as_str()] = val.clone();
    }
    let tag = match model {
        "ccsr" => "Ccsr",
        "aecf" => "Aecf",
        "cf" => "Cf",
        "cfcodereg" => "CfCodeReg",
        _ => "Djsrh",
    };
    v["model"] = tag.into();
    serde_json::from_value(v).expect("valid parameter types")
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
    let mut overrides = Vec::new();
    let mut select = None;
    let mut patience = 5;
    for kv in rest {
        let (k, v) = kv.split_once('=').expect("key=value");
        match k {
            "select" => select = Some(v.to_string()),
            "patience" => patience = v.parse().expect("patience"),
            _ => overrides.push((
                k.to_string(),
                serde_json::from_str(v).unwrap_or(Value::String(v.into())),
            )),
        }
    }
    let dataset = load_path(std::path::Path::new(data)).expect("data set");
    let split = split::per_user(&dataset.ratings, 0.2, 1);
    let top = Baseline::Top.item_scores(&split.train);
    let top = evaluate(
        &split,
        &Scores::PerItem { items: &top },
        Protocol::TestItems,
        Ties::Expected,
    );
    println!("Top (test): ndcg@10 {:.4}", top.ndcg_at_10);
    let st = overrides
        .iter()
        .any(|(k, v)| k == "alpha_growth" && !v.is_null())
        || (model == "djsrh" && !overrides.iter().any(|(k, _)| k == "alpha_growth"));
    let pick = match (select.as_deref(), st) {
        (Some("ST"), _) => Binarization::ScaledTanh,
        (Some("C"), _) => Binarization::Continuous,
        (_, true) => Binarization::SignScaledTanh,
        (_, false) => Binarization::Sign,
    };
    let reported: &[Binarization] = if st {
        &[Binarization::ScaledTanh, Binarization::SignScaledTanh]
    } else {
        &[Binarization::Sign, Binarization::Continuous]
    };
    let mut best_rows: Vec<Vec<f64>> = Vec::new();
    for seed in 0..seeds {
        let valid = split::per_user(&split.train, 0.1, 100 + seed);
        let p = params(model, r, seed, &overrides);
        let start = Instant::now();
        let mut m = p.build(&valid.train).expect("valid parameters");
        println!(
            "seed {seed}: {} built in {:.1}s",
            m.name(),
            start.elapsed().as_secs_f64()
        );
        let mut stopper = EarlyStopping::new(patience);
        for _ in 0..epochs {
            let t = Instant::now();
            let loss = m.step().expect("training");
            let f = m.features();
            let v = score(&valid, &f, pick).ndcg_at_10;
            let terms: Vec<String> = loss
                .terms
                .iter()
                .map(|t| format!("{}={:.5}", t.name, t.value))
                .collect();
            println!(
                "  epoch {:3} {:.2}s loss {:.5} [{}] val-{} ndcg@10 {:.4}",
                loss.epoch,
                t.elapsed().as_secs_f64(),
                loss.total,
                terms.join(" "),
                pick.suffix(),
                v
            );
            if stopper.observe(loss.epoch, v, || f.clone()) {
                break;
            }
        }
        let last = m.features();
        let best = stopper.into_best().expect("one epoch");
        let mut row = Vec::new();
        for &b in reported {
            let bm = score(&split, &best.features, b);
            let lm = score(&split, &last, b);
            println!(
                "  {}-{}: best epoch {} (val {:.4}): test ndcg@2/6/10 {:.4} {:.4} {:.4} recall@6 {:.4} | last epoch {}: ndcg@10 {:.4}",
                m.name(), b.suffix(), best.epoch, best.score, bm.ndcg_at_2, bm.ndcg_at_6, bm.ndcg_at_10, bm.recall_at_6, m.epochs(), lm.ndcg_at_10
            );
            row.push(bm.ndcg_at_10);
            row.push(lm.ndcg_at_10);
        }
        best_rows.push(row);
    }
    let k = best_rows[0].len();
    for (j, name) in (0..k).zip(reported.iter().flat_map(|b| {
        [
            format!("{}-best", b.suffix()),
            format!("{}-last", b.suffix()),
        ]
    })) {
        let xs: Vec<f64> = best_rows.iter().map(|r| r[j]).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        println!(
            "{model} r={r} {name}: test ndcg@10 mean {mean:.4} sd {sd:.4} over {} seeds",
            xs.len()
        );
    }
}
