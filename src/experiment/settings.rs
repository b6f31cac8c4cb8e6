//! The user's choices for one run, turned into a checked [`RunConfig`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{model_params, EarlyStoppingConfig, RunConfig, RunError};
use crate::binarize::Binarization;

/// What a user chooses for one run, on the command line or in the page: a model of the
/// paper, its code length and binarization, the seed, the epochs, and optional overrides
/// of the model's defaults (`None` keeps the default; `set` names any other parameter of
/// the model's params struct, e.g. `unrated_weight`).
///
/// An unknown field is an error (`batch_size` at the top level would otherwise be
/// dropped silently: model parameters go in `set`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainSettings {
    /// One of `experiment::MODELS`: ccsr, aecf, djsrh, cf, cfcodereg.
    pub model: String,
    pub bits: usize,
    pub binarization: Binarization,
    pub seed: u64,
    pub epochs: usize,
    pub learning_rate: Option<f32>,
    pub lambda_ae: Option<f32>,
    pub lambda_b: Option<f32>,
    pub lambda_q: Option<f32>,
    /// Early stopping on a 10% per-user validation split, after this many epochs
    /// without a better validation NDCG@10.
    pub patience: Option<usize>,
    /// Further parameter overrides by name, e.g. `{"logit_scale": 0.3}`.
    pub set: BTreeMap<String, Value>,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            model: "ccsr".to_owned(),
            bits: 20,
            binarization: Binarization::Sign,
            seed: 1,
            epochs: 20,
            learning_rate: None,
            lambda_ae: None,
            lambda_b: None,
            lambda_q: None,
            patience: None,
            set: BTreeMap::new(),
        }
    }
}

impl TrainSettings {
    /// The checked run configuration these settings describe.
    pub fn run_config(&self) -> Result<RunConfig, RunError> {
        let mut overrides = vec![
            ("code_length", Value::from(self.bits)),
            ("seed", Value::from(self.seed)),
        ];
        for (key, value) in [
            ("learning_rate", self.learning_rate),
            ("lambda_ae", self.lambda_ae),
            ("lambda_b", self.lambda_b),
            ("lambda_q", self.lambda_q),
        ] {
            if let Some(v) = value {
                overrides.push((key, Value::from(v)));
            }
        }
        overrides.extend(self.set.iter().map(|(k, v)| (k.as_str(), v.clone())));
        let mut config = RunConfig::new(
            model_params(&self.model, &overrides)?,
            self.binarization,
            self.epochs,
        );
        config.early_stopping = self.patience.map(|patience| EarlyStoppingConfig {
            patience,
            ..EarlyStoppingConfig::default()
        });
        config.check()?;
        Ok(config)
    }
}
