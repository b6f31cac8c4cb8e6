//! Feature extraction and interaction modelling (paper sec. 4.1-4.2, 5.2): every model
//! learns real-valued user features F_u (m x r) and item features F_i (n x r) from the
//! training ratings, one epoch per [`Model::step`] (or in parts, [`Model::advance`]), so
//! that callers (CLI, web worker) drive the loop and can pause, cancel or stop early
//! between epochs (the worker also between mini-batches).
//!
//! Use: `XParams` (defaults from the paper) -> [`XParams::check`](CcsrParams::check)
//! -> a validated `XValid` -> `X::new(&valid, &train)` -> `step()` per epoch ->
//! `features()` -> [`crate::binarize::embed`] -> [`crate::metrics`].
//!
//! | model | features | interaction loss |
//! |---|---|---|
//! | [`Ccsr`] | autoencoders (eq. 1) | MAP similarity + balance (eq. 6-7) |
//! | [`Aecf`] | autoencoders (eq. 1) | squared error on observed ratings (eq. 11) |
//! | [`Djsrh`] | MLPs | joint-semantics affinity reconstruction (eq. 12) |
//! | [`Cf`] | free matrices | squared error + L2 (eq. 9) |
//! | [`CfCodeReg`] | free matrices in [-1, 1] | scaled squared error + L2 (eq. 10) |

mod aecf;
mod autoencoder;
mod ccsr;
mod cf;
mod cfcodereg;
mod djsrh;
mod early_stopping;
mod loss;
mod map_kernel;
mod params;
mod two_tower;

pub use aecf::{Aecf, AecfParams, AecfValid};
pub use autoencoder::Autoencoder;
pub use ccsr::{similarity_loss, Ccsr, CcsrParams, CcsrValid};
pub use cf::{rating_loss, Cf, CfParams, CfValid};
pub use cfcodereg::{code_rating_loss, CfCodeReg, CfCodeRegParams, CfCodeRegValid};
pub use djsrh::{affinity_loss, joint_semantics, Djsrh, DjsrhParams, DjsrhValid};
pub use early_stopping::{Best, EarlyStopping};
pub use loss::{
    balance_loss, decorrelation_loss, linear_reconstruction_loss, quantization_loss,
    reconstruction_loss, LinearReconstruction,
};
pub use params::ParamError;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::data::Ratings;

/// Real-valued features of all users (m x r) and items (n x r), from the encoders in
/// evaluation mode (no dropout). `alpha` is the scale of the scaled tanh the model was
/// trained with at its last epoch (sec. 4.3), `None` when it was trained without.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    pub users: Array2<f32>,
    pub items: Array2<f32>,
    pub alpha: Option<f32>,
}

/// One named term of an epoch's loss, already weighted by its lambda.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LossTerm {
    pub name: &'static str,
    pub value: f64,
}

/// The loss of one training epoch: its weighted terms and their sum. All terms are
/// divided by the number of user-item pairs m * n (a constant factor, so the relative
/// weights are the paper's).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochLoss {
    pub epoch: usize,
    pub terms: Vec<LossTerm>,
    pub total: f64,
}

impl EpochLoss {
    fn new(epoch: usize, terms: Vec<LossTerm>) -> Self {
        let total = terms.iter().map(|t| t.value).sum();
        EpochLoss {
            epoch,
            terms,
            total,
        }
    }

    /// The value of the term called `name`, if present.
    pub fn term(&self, name: &str) -> Option<f64> {
        self.terms.iter().find(|t| t.name == name).map(|t| t.value)
    }
}

/// Why an epoch failed.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// A loss term became NaN or infinite: the model's state is unusable (lower the
    /// learning rate). Reports the epoch and the loss terms as computed.
    Diverged { epoch: usize, loss: EpochLoss },
}

/// `total [term=value ...]`, to the formatter's precision (e.g. `{:.5}`).
impl std::fmt::Display for EpochLoss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let precision = f.precision().unwrap_or(5);
        write!(f, "{:.*} [", precision, self.total)?;
        for (i, t) in self.terms.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            write!(f, "{sep}{}={:.*}", t.name, precision, t.value)?;
        }
        write!(f, "]")
    }
}

impl std::fmt::Display for TrainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainError::Diverged { epoch, loss } => write!(
                f,
                "training diverged at epoch {epoch}: loss {loss}; lower the learning rate"
            ),
        }
    }
}

impl std::error::Error for TrainError {}

/// The one training interface of every model.
pub trait Model {
    /// The model's report name, e.g. "CCSR".
    fn name(&self) -> &'static str;
    /// Trains one epoch (the rest of the one [`Model::advance`] started, if any) and
    /// returns its loss terms; a NaN/Inf loss is an error.
    fn step(&mut self) -> Result<EpochLoss, TrainError>;
    /// Trains part of an epoch, at most `max_batches` (at least one) mini-batches, so
    /// that a caller (the web worker) can answer between calls; returns the epoch's loss
    /// once it completes. Calling it until it returns `Some` is exactly one
    /// [`Model::step`]. Models that do not batch train a whole epoch per call.
    fn advance(&mut self, max_batches: usize) -> Result<Option<EpochLoss>, TrainError> {
        let _ = max_batches;
        self.step().map(Some)
    }
    /// The share (0..1) of the current epoch done by [`Model::advance`] (0 between
    /// epochs).
    fn epoch_fraction(&self) -> f64 {
        0.0
    }
    /// Epochs trained so far.
    fn epochs(&self) -> usize;
    /// The current real-valued features F_u, F_i.
    fn features(&self) -> Features;
}

/// Parameters of any model, for callers that pick the model at run time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model")]
pub enum ModelParams {
    Ccsr(CcsrParams),
    Aecf(AecfParams),
    Djsrh(DjsrhParams),
    Cf(CfParams),
    CfCodeReg(CfCodeRegParams),
}

impl ModelParams {
    /// Checks the parameters and builds the model on the training ratings.
    pub fn build(&self, train: &Ratings) -> Result<Box<dyn Model>, ParamError> {
        Ok(match self {
            ModelParams::Ccsr(p) => Box::new(Ccsr::new(&p.check()?, train)),
            ModelParams::Aecf(p) => Box::new(Aecf::new(&p.check()?, train)),
            ModelParams::Djsrh(p) => Box::new(Djsrh::new(&p.check()?, train)),
            ModelParams::Cf(p) => Box::new(Cf::new(&p.check()?, train)),
            ModelParams::CfCodeReg(p) => Box::new(CfCodeReg::new(&p.check()?, train)),
        })
    }
}

/// Fails with [`TrainError::Diverged`] unless every term is finite.
fn finite(loss: EpochLoss) -> Result<EpochLoss, TrainError> {
    if loss.terms.iter().all(|t| t.value.is_finite()) && loss.total.is_finite() {
        Ok(loss)
    } else {
        Err(TrainError::Diverged {
            epoch: loss.epoch,
            loss,
        })
    }
}
