//! AECF (sec. 5.2, eq. 11): CCSR's autoencoders with the rating reconstruction loss
//! `sum_(a,b) observed (R_ab - <F_u_a, F_i_b>)^2 + lambda_ae L_ae` instead of the MAP
//! similarity loss; encoder 512-256-128 (then the code layer), the same alternating
//! mini-batch training as CCSR (see `two_tower`).

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::ccsr::paper_dropout;
use super::cf::rating_loss;
use super::params::{self, ParamError};
use super::two_tower::{two_tower_model, Interaction, OtherSide, TowerConfig, TwoTower};
use crate::data::Ratings;
use crate::nn::Activation;
use crate::sparse::Csr;

/// AECF's parameters; `Default` gives the paper's settings at r = 20.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AecfParams {
    pub code_length: usize,
    /// Encoder hidden sizes; paper 512, 256, 128.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// `None`: the paper's 0.6 for r <= 20, 0.8 above.
    pub dropout: Option<f32>,
    pub lambda_ae: f32,
    pub learning_rate: f32,
    pub weight_decay: f32,
    pub batch_size: usize,
    /// Scaled tanh growth per epoch (AECF-ST/SST); `None` for AECF-S/C.
    pub alpha_growth: Option<f32>,
    pub seed: u64,
}

impl Default for AecfParams {
    fn default() -> Self {
        AecfParams {
            code_length: 20,
            hidden: vec![512, 256, 128],
            activation: Activation::Tanh,
            dropout: None,
            lambda_ae: 0.1,
            learning_rate: 1e-3,
            weight_decay: 0.0,
            batch_size: 128,
            alpha_growth: None,
            seed: 0,
        }
    }
}

/// Validated [`AecfParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct AecfValid(AecfParams);

impl AecfParams {
    pub fn check(&self) -> Result<AecfValid, ParamError> {
        params::positive("code_length", self.code_length)?;
        params::layers("hidden", &self.hidden)?;
        if let Some(p) = self.dropout {
            params::in_range("dropout", p, 0.0, 1.0, false)?;
        }
        params::non_negative("lambda_ae", self.lambda_ae)?;
        params::positive_real("learning_rate", self.learning_rate)?;
        params::non_negative("weight_decay", self.weight_decay)?;
        params::positive("batch_size", self.batch_size)?;
        params::growth("alpha_growth", self.alpha_growth)?;
        Ok(AecfValid(self.clone()))
    }
}

/// Observed ratings R and R^T, to pick mini-batch rows from.
struct RatingError {
    r: [Csr; 2],
}

impl Interaction for RatingError {
    const NAME: &'static str = "rating";
    type Prepared = ();

    fn prepare(&self, _: ArrayView2<f32>) {}

    fn loss(
        &self,
        side: usize,
        rows: &[usize],
        h: ArrayView2<f32>,
        other: &OtherSide<()>,
    ) -> (f64, Array2<f32>) {
        rating_loss(h, other.codes.view(), &self.r[side].select_rows(rows))
    }
}

/// An AECF model being trained.
pub struct Aecf(TwoTower<RatingError>);

impl Aecf {
    pub fn new(params: &AecfValid, train: &Ratings) -> Self {
        let p = &params.0;
        let r = Csr::ratings(train);
        let r_t = r.transpose();
        let config = TowerConfig {
            code_length: p.code_length,
            hidden: p.hidden.clone(),
            activation: p.activation,
            dropout: p.dropout.unwrap_or(paper_dropout(p.code_length)),
            decoder: true,
            lambda_ae: p.lambda_ae,
            lambda_b: 0.0,
            lambda_q: 0.0,
            learning_rate: p.learning_rate,
            weight_decay: p.weight_decay,
            batch_size: p.batch_size,
            alpha_growth: p.alpha_growth,
            seed: p.seed,
        };
        Aecf(TwoTower::new(RatingError { r: [r, r_t] }, config, train))
    }
}

two_tower_model!(Aecf, "AECF");
