//! What one training run is: [`RunConfig`] and its validation, plus the accessors on
//! [`ModelParams`] the driver needs (code length r, seed, scaled-tanh growth).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::binarize::Binarization;
use crate::model::{
    AecfParams, CcsrParams, CfCodeRegParams, CfParams, DjsrhParams, ModelParams, ParamError,
};

/// The model names [`model_params`] accepts, in the paper's order (sec. 5.2).
pub const MODELS: [&str; 5] = ["ccsr", "aecf", "djsrh", "cf", "cfcodereg"];

/// The scaled-tanh growth factor used when ST/SST training is asked for without one:
/// alpha is multiplied by it every epoch from 1 (sec. 4.3 gives no value; 1.05 is
/// DJSRH's default, alpha ~ 4.3 after 30 epochs, ~ 11.5 after 50).
pub const DEFAULT_ALPHA_GROWTH: f32 = 1.05;

/// Early stopping on a validation split carved per user from the training ratings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStoppingConfig {
    /// Fraction of each user's training ratings held out for validation.
    pub validation_fraction: f64,
    /// Stop after this many evaluations without a better validation NDCG@10.
    pub patience: usize,
    /// Evaluate on the validation split every this many epochs (and at the last).
    pub every: usize,
}

impl Default for EarlyStoppingConfig {
    fn default() -> Self {
        EarlyStoppingConfig {
            validation_fraction: 0.1,
            patience: 5,
            every: 1,
        }
    }
}

/// One training run: a model, the binarization it is trained for, selected on and
/// reported with, at most `max_epochs` epochs, optional early stopping, and one seed.
///
/// `seed` is the run's only seed: it replaces the model parameters' own `seed`, seeds
/// the validation split (`seed + 100`) and random tie-breaking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub model: ModelParams,
    pub binarization: Binarization,
    pub max_epochs: usize,
    pub early_stopping: Option<EarlyStoppingConfig>,
    pub seed: u64,
}

/// Why a run could not be configured, trained or evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// An invalid run setting: which one and why.
    Config {
        setting: &'static str,
        reason: String,
    },
    /// An invalid model parameter.
    Param(ParamError),
    /// An epoch failed (the loss diverged).
    Train(crate::model::TrainError),
    /// `step` called on a finished run.
    Finished,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Config { setting, reason } => write!(f, "invalid {setting}: {reason}"),
            RunError::Param(e) => e.fmt(f),
            RunError::Train(e) => e.fmt(f),
            RunError::Finished => write!(f, "the run has finished"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ParamError> for RunError {
    fn from(e: ParamError) -> Self {
        RunError::Param(e)
    }
}

fn invalid(setting: &'static str, reason: impl Into<String>) -> RunError {
    RunError::Config {
        setting,
        reason: reason.into(),
    }
}

impl RunConfig {
    /// A run of `model` reported with `binarization`, for `max_epochs` epochs without
    /// early stopping. ST/SST get [`DEFAULT_ALPHA_GROWTH`] if the model has no growth
    /// set; S/C clear it (sign codes of an ST-trained model are SST).
    pub fn new(mut model: ModelParams, binarization: Binarization, max_epochs: usize) -> Self {
        let growth = binarization
            .needs_scaled_tanh()
            .then(|| alpha_growth(&model).unwrap_or(DEFAULT_ALPHA_GROWTH));
        set_alpha_growth(&mut model, growth);
        let seed = seed(&model);
        RunConfig {
            model,
            binarization,
            max_epochs,
            early_stopping: None,
            seed,
        }
    }

    /// Checks every setting and the model's parameters.
    pub fn check(&self) -> Result<(), RunError> {
        if self.max_epochs == 0 {
            return Err(invalid("max_epochs", "must be at least 1"));
        }
        if let Some(es) = &self.early_stopping {
            let f = es.validation_fraction;
            if !(f > 0.0 && f < 1.0) {
                return Err(invalid(
                    "validation_fraction",
                    format!("must be in (0, 1), got {f}"),
                ));
            }
            if es.patience == 0 {
                return Err(invalid("patience", "must be at least 1"));
            }
            if es.every == 0 {
                return Err(invalid("every", "must be at least 1"));
            }
        }
        let b = self.binarization;
        match (b.needs_scaled_tanh(), alpha_growth(&self.model)) {
            (true, None) => {
                return Err(invalid(
                    "binarization",
                    format!(
                        "{} needs a model trained through a scaled tanh: set alpha_growth{}",
                        b.suffix(),
                        if has_scaled_tanh(&self.model) {
                            ""
                        } else {
                            " (this model has none)"
                        }
                    ),
                ))
            }
            (false, Some(_)) => {
                return Err(invalid(
                    "binarization",
                    format!(
                        "{} of a model trained through a scaled tanh: use ST or SST, or unset alpha_growth",
                        b.suffix()
                    ),
                ))
            }
            _ => {}
        }
        Ok(check_params(&self.model)?)
    }
}

/// Checks the model's parameters without building it.
fn check_params(model: &ModelParams) -> Result<(), ParamError> {
    match model {
        ModelParams::Ccsr(p) => p.check().map(drop),
        ModelParams::Aecf(p) => p.check().map(drop),
        ModelParams::Djsrh(p) => p.check().map(drop),
        ModelParams::Cf(p) => p.check().map(drop),
        ModelParams::CfCodeReg(p) => p.check().map(drop),
    }
}

/// The code length r.
pub fn code_length(model: &ModelParams) -> usize {
    match model {
        ModelParams::Ccsr(p) => p.code_length,
        ModelParams::Aecf(p) => p.code_length,
        ModelParams::Djsrh(p) => p.code_length,
        ModelParams::Cf(p) => p.code_length,
        ModelParams::CfCodeReg(p) => p.code_length,
    }
}

/// The model's seed.
pub fn seed(model: &ModelParams) -> u64 {
    match model {
        ModelParams::Ccsr(p) => p.seed,
        ModelParams::Aecf(p) => p.seed,
        ModelParams::Djsrh(p) => p.seed,
        ModelParams::Cf(p) => p.seed,
        ModelParams::CfCodeReg(p) => p.seed,
    }
}

pub(crate) fn set_seed(model: &mut ModelParams, seed: u64) {
    match model {
        ModelParams::Ccsr(p) => p.seed = seed,
        ModelParams::Aecf(p) => p.seed = seed,
        ModelParams::Djsrh(p) => p.seed = seed,
        ModelParams::Cf(p) => p.seed = seed,
        ModelParams::CfCodeReg(p) => p.seed = seed,
    }
}

/// The scaled-tanh growth factor, `None` for models trained without (sec. 4.3).
pub fn alpha_growth(model: &ModelParams) -> Option<f32> {
    match model {
        ModelParams::Ccsr(p) => p.alpha_growth,
        ModelParams::Aecf(p) => p.alpha_growth,
        ModelParams::Djsrh(p) => p.alpha_growth,
        ModelParams::Cf(_) | ModelParams::CfCodeReg(_) => None,
    }
}

/// Whether the model can be trained through a scaled tanh (CF and CFCodeReg cannot).
pub fn has_scaled_tanh(model: &ModelParams) -> bool {
    !matches!(model, ModelParams::Cf(_) | ModelParams::CfCodeReg(_))
}

fn set_alpha_growth(model: &mut ModelParams, growth: Option<f32>) {
    match model {
        ModelParams::Ccsr(p) => p.alpha_growth = growth,
        ModelParams::Aecf(p) => p.alpha_growth = growth,
        ModelParams::Djsrh(p) => p.alpha_growth = growth,
        ModelParams::Cf(_) | ModelParams::CfCodeReg(_) => {}
    }
}

/// The paper's default parameters of `model` (one of [`MODELS`]) with `overrides`
/// (parameter name, JSON value) applied, e.g. `("code_length", 40.into())`.
pub fn model_params(model: &str, overrides: &[(&str, Value)]) -> Result<ModelParams, RunError> {
    let (tag, defaults) = match model {
        "ccsr" => ("Ccsr", serde_json::to_value(CcsrParams::default())),
        "aecf" => ("Aecf", serde_json::to_value(AecfParams::default())),
        "djsrh" => ("Djsrh", serde_json::to_value(DjsrhParams::default())),
        "cf" => ("Cf", serde_json::to_value(CfParams::default())),
        "cfcodereg" => (
            "CfCodeReg",
            serde_json::to_value(CfCodeRegParams::default()),
        ),
        other => {
            return Err(invalid(
                "model",
                format!(
                    "unknown model {other:?}, expected one of {}",
                    MODELS.join(", ")
                ),
            ))
        }
    };
    let mut v = defaults.map_err(|e| invalid("model", e.to_string()))?;
    for (key, value) in overrides {
        if v.get(key).is_none() {
            return Err(invalid(
                "parameter",
                format!("{model} has no parameter {key}"),
            ));
        }
        v[*key] = value.clone();
    }
    v["model"] = tag.into();
    serde_json::from_value(v).map_err(|e| invalid("parameter", format!("{model}: {e}")))
}
