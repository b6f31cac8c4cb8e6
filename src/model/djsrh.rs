//! DJSRH (Su et al. 2019; sec. 5.2, eq. 12), adapted from paired image-text retrieval
//! to users and items: MLP encoders (hidden 512, 256) trained on
//! `||mu M - F_u F_i^T||^2` against a joint-semantics affinity matrix M (m x n).
//!
//! Cross-modal adaptation (the paper's `N = beta X X^T + (1 - beta) Y Y^T` adds an
//! m x m and an n x n matrix, which only works when both modalities describe the same
//! instances). We keep DJSRH's ingredients, cosine similarities within each modality,
//! and compare a user with an item in either modality's space:
//! - user space: user a as its row of user-user cosines C_u[a] (C_u = cos of the rows
//!   of X), item b as its rating column X[:, b]; item space: user a as its rating row
//!   X[a], item b as its row of item-item cosines C_i[b] (cos of the rows of Y);
//! - `N_ab = beta cos(C_u[a], X[:, b]) + (1 - beta) cos(X[a], C_i[b])` (in [0, 1]);
//! - DJSRH's second-order term `S S^T / n` becomes the two-hop `(N N^T / n) N / m`:
//!   `M = (1 - eta) N + eta (N N^T / n) N / m`.
//!
//! The codes' inner product is used as printed in eq. 12 (DJSRH uses their cosine).
//! Building M costs O(m^2 n) once (a few seconds natively on ML-1M).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::params::{self, ParamError};
use super::two_tower::{two_tower_model, Interaction, OtherSide, TowerConfig, TwoTower};
use crate::data::Ratings;
use crate::nn::Activation;
use crate::sparse::Csr;

/// DJSRH's parameters; `Default` gives r = 20 and the hidden sizes of sec. 5.2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DjsrhParams {
    pub code_length: usize,
    /// MLP hidden sizes; paper 512, 256.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// Dropout before the last layer (the paper names none for DJSRH).
    pub dropout: f32,
    /// Weight of the user-space term of N.
    pub beta: f32,
    /// Weight of the second-order term of M.
    pub eta: f32,
    /// Scale of M in eq. 12.
    pub mu: f32,
    pub learning_rate: f32,
    pub weight_decay: f32,
    pub batch_size: usize,
    /// Scaled tanh growth per epoch (DJSRH-ST/SST); `None` trains F directly.
    pub alpha_growth: Option<f32>,
    pub seed: u64,
}

impl Default for DjsrhParams {
    fn default() -> Self {
        DjsrhParams {
            code_length: 20,
            hidden: vec![512, 256],
            activation: Activation::Tanh,
            dropout: 0.0,
            beta: 0.6,
            eta: 0.4,
            mu: 1.5,
            learning_rate: 1e-3,
            weight_decay: 0.0,
            batch_size: 128,
            alpha_growth: Some(1.05),
            seed: 0,
        }
    }
}

/// Validated [`DjsrhParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct DjsrhValid(DjsrhParams);

impl DjsrhParams {
    pub fn check(&self) -> Result<DjsrhValid, ParamError> {
        params::positive("code_length", self.code_length)?;
        params::layers("hidden", &self.hidden)?;
        params::in_range("dropout", self.dropout, 0.0, 1.0, false)?;
        params::in_range("beta", self.beta, 0.0, 1.0, true)?;
        params::in_range("eta", self.eta, 0.0, 1.0, true)?;
        params::positive_real("mu", self.mu)?;
        params::positive_real("learning_rate", self.learning_rate)?;
        params::non_negative("weight_decay", self.weight_decay)?;
        params::positive("batch_size", self.batch_size)?;
        params::growth("alpha_growth", self.alpha_growth)?;
        Ok(DjsrhValid(self.clone()))
    }
}

/// Rows scaled to unit L2 norm (zero rows stay zero).
fn normalize_rows(mut a: Array2<f32>) -> Array2<f32> {
    for mut row in a.axis_iter_mut(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    a
}

/// Cosine similarities between the rows of sparse `x` (dense result).
fn row_cosines(x: &Csr) -> Array2<f32> {
    let norms: Array1<f32> = (0..x.n_rows())
        .map(|i| x.row(i).1.iter().map(|v| v * v).sum::<f32>().sqrt())
        .collect();
    let unit_dense_t = normalize_rows(x.to_dense()).reversed_axes();
    let mut c = x.dot(unit_dense_t.view());
    for (i, mut row) in c.axis_iter_mut(Axis(0)).enumerate() {
        if norms[i] > 0.0 {
            row /= norms[i];
        }
    }
    c
}

/// The joint-semantics affinity matrix M (users x items) described in the module docs.
pub fn joint_semantics(train: &Ratings, beta: f32, eta: f32) -> Array2<f32> {
    let x = Csr::ratings(train);
    let y = x.transpose();
    let (m, n) = (x.n_rows(), x.n_cols());
    // User space: cos(C_u[a], X[:, b]) = (C_u X)_ab / (|C_u[a]| |X[:, b]|).
    let c_u = normalize_rows(row_cosines(&x));
    let user_space = y.dot(c_u.t()).reversed_axes();
    // Item space: cos(X[a], C_i[b]) = (X C_i^T)_ab / (|X[a]| |C_i[b]|).
    let c_i = normalize_rows(row_cosines(&y));
    let item_space = x.dot(c_i.t());
    let col_norm = |i: usize, m: &Csr| m.row(i).1.iter().map(|v| v * v).sum::<f32>().sqrt();
    let mut n_mat = Array2::<f32>::zeros((m, n));
    for a in 0..m {
        let xa = col_norm(a, &x);
        for b in 0..n {
            let yb = col_norm(b, &y);
            let u = if yb > 0.0 {
                user_space[[a, b]] / yb
            } else {
                0.0
            };
            let i = if xa > 0.0 {
                item_space[[a, b]] / xa
            } else {
                0.0
            };
            n_mat[[a, b]] = beta * u + (1.0 - beta) * i;
        }
    }
    if eta == 0.0 {
        return n_mat;
    }
    let two_hop = (n_mat.dot(&n_mat.t()) / n as f32).dot(&n_mat) / m as f32;
    n_mat * (1.0 - eta) + two_hop * eta
}

/// Eq. 12 on a mini-batch: `sum_ab (t_ab - <h_a, o_b>)^2` for targets `t` = mu M rows;
/// gradient `-2 (t - h o^T) o` w.r.t. `h`.
pub fn affinity_loss(
    h: ArrayView2<f32>,
    other: ArrayView2<f32>,
    target: ArrayView2<f32>,
) -> (f64, Array2<f32>) {
    let mut e = h.dot(&other.t());
    e -= &target;
    let loss = e.iter().map(|&v| (v as f64).powi(2)).sum();
    (loss, e.dot(&other) * 2.0)
}

/// mu M and mu M^T, to pick mini-batch rows from.
struct JointSemantics {
    target: [Array2<f32>; 2],
}

impl Interaction for JointSemantics {
    const NAME: &'static str = "affinity";
    type Prepared = ();

    fn prepare(&self, _: ArrayView2<f32>) {}

    fn loss(
        &self,
        side: usize,
        rows: &[usize],
        h: ArrayView2<f32>,
        other: &OtherSide<()>,
    ) -> (f64, Array2<f32>) {
        let target = self.target[side].select(Axis(0), rows);
        affinity_loss(h, other.codes.view(), target.view())
    }
}

/// A DJSRH model being trained.
pub struct Djsrh(TwoTower<JointSemantics>);

impl Djsrh {
    /// Builds M (the expensive part) and the networks.
    pub fn new(params: &DjsrhValid, train: &Ratings) -> Self {
        let p = &params.0;
        let target = joint_semantics(train, p.beta, p.eta) * p.mu;
        let target_t = target.t().as_standard_layout().into_owned();
        let config = TowerConfig {
            code_length: p.code_length,
            hidden: p.hidden.clone(),
            activation: p.activation,
            dropout: p.dropout,
            decoder: false,
            lambda_ae: 0.0,
            lambda_b: 0.0,
            lambda_q: 0.0,
            learning_rate: p.learning_rate,
            weight_decay: p.weight_decay,
            batch_size: p.batch_size,
            alpha_growth: p.alpha_growth,
            seed: p.seed,
        };
        Djsrh(TwoTower::new(
            JointSemantics {
                target: [target, target_t],
            },
            config,
            train,
        ))
    }
}

two_tower_model!(Djsrh, "DJSRH");
