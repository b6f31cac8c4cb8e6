//! CF (sec. 5.2, eq. 9): matrix factorisation of the observed ratings,
//! `sum_(a,b) observed (R_ab - <F_u_a, F_i_b>)^2 + lambda (||F_u||^2 + ||F_i||^2)`,
//! F_u and F_i updated alternately by full-batch gradient steps (Adam) from a small
//! random start; binarized by sign.

use ndarray::{Array2, ArrayView2, Ix2};
use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::params::{self, ParamError};
use super::{finite, EpochLoss, Features, LossTerm, Model, TrainError};
use crate::data::{seeded_rng, Ratings, SeededRng};
use crate::nn::{Adam, Moments};
use crate::sparse::Csr;

/// CF's parameters; `Default` gives the paper's lambda = 0.4 at r = 20.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CfParams {
    pub code_length: usize,
    /// L2 weight lambda of eq. 9.
    pub lambda: f32,
    pub learning_rate: f32,
    /// Initial features are uniform in [-init_scale, init_scale].
    pub init_scale: f32,
    pub seed: u64,
}

impl Default for CfParams {
    fn default() -> Self {
        CfParams {
            code_length: 20,
            lambda: 0.4,
            learning_rate: 0.02,
            init_scale: 0.1,
            seed: 0,
        }
    }
}

/// Validated [`CfParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct CfValid(CfParams);

impl CfParams {
    pub fn check(&self) -> Result<CfValid, ParamError> {
        params::positive("code_length", self.code_length)?;
        params::non_negative("lambda", self.lambda)?;
        params::positive_real("learning_rate", self.learning_rate)?;
        params::positive_real("init_scale", self.init_scale)?;
        Ok(CfValid(self.clone()))
    }
}

/// Rating loss on observed entries: `sum_(a,b) in r (r_ab - <f_a, o_b>)^2` where row a
/// of `r` belongs to row a of `f`; gradient `-2 (r_ab - <f_a, o_b>) o_b` w.r.t. `f`.
pub fn rating_loss(f: ArrayView2<f32>, other: ArrayView2<f32>, r: &Csr) -> (f64, Array2<f32>) {
    let mut grad = Array2::zeros(f.raw_dim());
    let mut loss = 0.0f64;
    for a in 0..r.n_rows() {
        let (cols, vals) = r.row(a);
        let f_a = f.row(a);
        let mut g_a = grad.row_mut(a);
        for (&b, &rating) in cols.iter().zip(vals) {
            let o_b = other.row(b as usize);
            let e = rating - f_a.dot(&o_b);
            loss += (e as f64).powi(2);
            g_a.scaled_add(-2.0 * e, &o_b);
        }
    }
    (loss, grad)
}

/// Uniform random matrix in [-scale, scale].
pub(crate) fn uniform(shape: (usize, usize), scale: f32, rng: &mut SeededRng) -> Array2<f32> {
    Array2::from_shape_fn(shape, |_| scale * (2.0 * rng.random::<f32>() - 1.0))
}

/// Free user and item feature matrices updated alternately by Adam; used by CF and
/// CFCodeReg.
pub(crate) struct Factors {
    pub f: [Array2<f32>; 2],
    pub r: [Csr; 2],
    moments: [Moments<Ix2>; 2],
    adam: Adam,
    pub epoch: usize,
}

impl Factors {
    /// `r` is the rating matrix R (as the model wants it scaled); features start
    /// uniform in [-scale, scale].
    pub fn new(r: Csr, r_dim: usize, scale: f32, learning_rate: f32, seed: u64) -> Self {
        let mut rng = seeded_rng(seed);
        let f = [
            uniform((r.n_rows(), r_dim), scale, &mut rng),
            uniform((r.n_cols(), r_dim), scale, &mut rng),
        ];
        let r_t = r.transpose();
        Factors {
            moments: [
                Moments::zeros(f[0].raw_dim()),
                Moments::zeros(f[1].raw_dim()),
            ],
            f,
            r: [r, r_t],
            adam: Adam::new(learning_rate, 0.0),
            epoch: 0,
        }
    }

    /// One epoch: a step on F_u, then on F_i. `grad(side, own, other, r)` returns the
    /// loss terms and the gradient for `own`; `project` is applied after each update.
    /// Returns the loss terms computed in the item step.
    pub fn alternate(
        &mut self,
        grad: impl Fn(usize, ArrayView2<f32>, ArrayView2<f32>, &Csr) -> (Vec<LossTerm>, Array2<f32>),
        project: impl Fn(&mut Array2<f32>),
    ) -> Vec<LossTerm> {
        let mut terms = Vec::new();
        for side in [0, 1] {
            let (t, g) = grad(
                side,
                self.f[side].view(),
                self.f[1 - side].view(),
                &self.r[side],
            );
            terms = t;
            self.adam.tick();
            self.adam
                .update(&mut self.f[side], &g, &mut self.moments[side]);
            project(&mut self.f[side]);
        }
        self.epoch += 1;
        terms
    }

    /// Number of user-item pairs m * n.
    pub fn pairs(&self) -> f64 {
        (self.r[0].n_rows() * self.r[0].n_cols()).max(1) as f64
    }
}

/// Squared Frobenius norm.
pub(crate) fn squared_norm(f: ArrayView2<f32>) -> f64 {
    f.iter().map(|&v| (v as f64).powi(2)).sum()
}

/// A CF model being trained.
pub struct Cf {
    factors: Factors,
    lambda: f32,
}

impl Cf {
    pub fn new(params: &CfValid, train: &Ratings) -> Self {
        let p = &params.0;
        Cf {
            factors: Factors::new(
                Csr::ratings(train),
                p.code_length,
                p.init_scale,
                p.learning_rate,
                p.seed,
            ),
            lambda: p.lambda,
        }
    }
}

impl Model for Cf {
    fn name(&self) -> &'static str {
        "CF"
    }

    fn step(&mut self) -> Result<EpochLoss, TrainError> {
        let lambda = self.lambda;
        let pairs = self.factors.pairs();
        let terms = self.factors.alternate(
            |_, own, other, r| {
                let (loss, mut g) = rating_loss(own, other, r);
                g.scaled_add(2.0 * lambda, &own);
                let l2 = lambda as f64 * (squared_norm(own) + squared_norm(other));
                let terms = vec![
                    LossTerm {
                        name: "rating",
                        value: loss / pairs,
                    },
                    LossTerm {
                        name: "l2",
                        value: l2 / pairs,
                    },
                ];
                (terms, g)
            },
            |_| {},
        );
        finite(EpochLoss::new(self.factors.epoch, terms))
    }

    fn epochs(&self) -> usize {
        self.factors.epoch
    }

    fn features(&self) -> Features {
        Features {
            users: self.factors.f[0].clone(),
            items: self.factors.f[1].clone(),
            alpha: None,
        }
    }
}
