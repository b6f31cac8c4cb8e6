//! Runs on a small synthetic data set: completion, early stopping, determinism, and one
//! test per invalid setting.

use super::*;
use crate::binarize::Binarization;
use crate::data::synthetic::{generate, SyntheticParams};
use crate::data::{split, Split};
use crate::model::ModelParams;
use serde_json::Value;

fn tiny() -> Split {
    let params = SyntheticParams {
        n_users: 120,
        n_items: 150,
        density: 0.1,
        ..SyntheticParams::default()
    };
    let dataset = generate(&params).unwrap();
    split::per_user(&dataset.ratings, 0.2, 1)
}

fn params(model: &str) -> ModelParams {
    model_params(model, &[("code_length", Value::from(8))]).unwrap()
}

fn config(model: &str, binarization: Binarization, epochs: usize) -> RunConfig {
    RunConfig::new(params(model), binarization, epochs)
}

fn train(config: RunConfig, split: &Split) -> Run {
    let mut run = Run::new(config, split).unwrap();
    while !run.is_finished() {
        run.step().unwrap();
    }
    run
}

fn invalid_setting(config: &RunConfig) -> &'static str {
    match config.check() {
        Err(RunError::Config { setting, .. }) => setting,
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn a_run_trains_to_completion_and_reports_every_protocol() {
    let split = tiny();
    let mut run = Run::new(config("ccsr", Binarization::Sign, 3), &split).unwrap();
    let mut epochs = Vec::new();
    while !run.is_finished() {
        let record = run.step().unwrap();
        assert!(record.validation.is_none() && record.loss.total.is_finite());
        epochs.push(record.epoch);
    }
    assert_eq!(epochs, [1, 2, 3]);
    assert_eq!(run.step(), Err(RunError::Finished));
    let rows = run.evaluate(&split);
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.model == "CCSR"
        && r.binarization.as_deref() == Some("S")
        && r.bits == Some(8)
        && (0.0..=1.0).contains(&r.ndcg_at_10)));
    assert_eq!(floors(&split, 1).len(), 8);
}

#[test]
fn st_and_sst_come_from_the_same_features() {
    let split = tiny();
    let run = train(config("aecf", Binarization::SignScaledTanh, 2), &split);
    let rows = run
        .evaluate_as(
            &split,
            &[Binarization::ScaledTanh, Binarization::SignScaledTanh],
        )
        .unwrap();
    let suffixes: Vec<_> = rows
        .iter()
        .map(|r| r.binarization.clone().unwrap())
        .collect();
    assert_eq!(
        suffixes,
        ["ST", "ST", "ST", "ST", "SST", "SST", "SST", "SST"]
    );
    assert_eq!(rows[4..], run.evaluate(&split)[..]);
}

#[test]
fn early_stopping_restores_the_best_epoch() {
    let split = tiny();
    let mut config = config("cf", Binarization::Sign, 12);
    config.early_stopping = Some(EarlyStoppingConfig {
        validation_fraction: 0.2,
        patience: 2,
        every: 1,
    });
    let mut run = Run::new(config, &split).unwrap();
    let mut best = (0, f64::NEG_INFINITY, None);
    while !run.is_finished() {
        let record = run.step().unwrap();
        let ndcg = record.validation.unwrap().ndcg_at_10;
        if ndcg > best.1 {
            best = (record.epoch, ndcg, Some(run.last_features()));
        }
    }
    assert_eq!(run.best_epoch(), best.0);
    assert_eq!(Some(run.features()), best.2);
    if best.0 < run.epochs() {
        assert_ne!(run.features(), run.last_features());
    }
}

#[test]
fn the_same_seed_gives_identical_rows() {
    let split = tiny();
    let mut config = config("djsrh", Binarization::SignScaledTanh, 2);
    config.seed = 7;
    config.early_stopping = Some(EarlyStoppingConfig::default());
    let a = train(config.clone(), &split).evaluate(&split);
    let b = train(config.clone(), &split).evaluate(&split);
    assert_eq!(a, b);
    config.seed = 8;
    assert_ne!(a, train(config, &split).evaluate(&split));
}

#[test]
fn st_and_sst_get_the_default_growth_and_s_clears_it() {
    let st = config("ccsr", Binarization::ScaledTanh, 1);
    assert_eq!(alpha_growth(&st.model), Some(DEFAULT_ALPHA_GROWTH));
    let s = config("djsrh", Binarization::Sign, 1);
    assert_eq!(alpha_growth(&s.model), None);
    assert_eq!(code_length(&s.model), 8);
}

#[test]
fn zero_epochs_is_an_error() {
    assert_eq!(
        invalid_setting(&config("cf", Binarization::Sign, 0)),
        "max_epochs"
    );
}

#[test]
fn bad_early_stopping_settings_are_errors() {
    let bad = [
        (
            EarlyStoppingConfig {
                validation_fraction: 1.0,
                ..Default::default()
            },
            "validation_fraction",
        ),
        (
            EarlyStoppingConfig {
                patience: 0,
                ..Default::default()
            },
            "patience",
        ),
        (
            EarlyStoppingConfig {
                every: 0,
                ..Default::default()
            },
            "every",
        ),
    ];
    for (es, setting) in bad {
        let mut c = config("cf", Binarization::Sign, 1);
        c.early_stopping = Some(es);
        assert_eq!(invalid_setting(&c), setting);
        assert!(Run::new(c, &tiny()).is_err());
    }
}

#[test]
fn st_without_growth_is_an_error() {
    let mut c = config("ccsr", Binarization::Sign, 1);
    c.binarization = Binarization::ScaledTanh;
    assert_eq!(invalid_setting(&c), "binarization");
    let cf = config("cf", Binarization::SignScaledTanh, 1);
    assert!(cf.check().unwrap_err().to_string().contains("has none"));
}

#[test]
fn sign_codes_of_an_st_trained_model_are_an_error() {
    let mut c = config("aecf", Binarization::ScaledTanh, 1);
    c.binarization = Binarization::Sign;
    assert_eq!(invalid_setting(&c), "binarization");
}

#[test]
fn bad_model_parameters_are_errors() {
    let c = RunConfig::new(
        model_params("ccsr", &[("code_length", Value::from(0))]).unwrap(),
        Binarization::Sign,
        1,
    );
    assert!(matches!(c.check(), Err(RunError::Param(e)) if e.param == "code_length"));
}

#[test]
fn unknown_models_and_parameters_are_errors() {
    assert!(model_params("svd", &[]).is_err());
    let e = model_params("cf", &[("lambda_b", Value::from(1.0))]).unwrap_err();
    assert!(
        e.to_string().contains("cf has no parameter lambda_b"),
        "{e}"
    );
    assert!(model_params("cf", &[("lambda", Value::from("x"))]).is_err());
}

/// A setting outside `TrainSettings` (a model parameter not under `set`) is an error
/// naming it, not silently ignored; under `set` it is taken.
#[test]
fn unknown_settings_are_errors() {
    let e = serde_json::from_value::<TrainSettings>(serde_json::json!({
        "model": "ccsr", "bits": 40, "batch_size": 1024
    }))
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `batch_size`"), "{e}");
    let settings: TrainSettings = serde_json::from_value(serde_json::json!({
        "model": "ccsr", "bits": 40, "set": { "batch_size": 1024 }
    }))
    .unwrap();
    assert_eq!(settings.set["batch_size"], 1024);
    assert_eq!(settings.epochs, TrainSettings::default().epochs);
}
