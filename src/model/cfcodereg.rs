//! CFCodeReg (Zhou & Zha 2012; sec. 5.2, eq. 10): relaxed codes F in [-1, 1] fitted so
//! that the Hamming similarity `1/2 + <F_u_a, F_i_b> / (2r)` predicts the rating,
//! `sum_(a,b) observed (R_ab - 1/2 - <F_u_a, F_i_b>/(2r))^2 + lambda (||F_u||^2 +
//! ||F_i||^2)`, plus the optional code regularisers bit balance `||F^T 1||^2` and bit
//! decorrelation `||F^T F / N - I||^2`; then rounded by each bit's median.
//!
//! Choices where the paper is silent: ratings are rescaled to [0, 1] by `(R - 1) / 4`
//! (the predictor's range; eq. 10 as printed compares 1..5 with a value in [0, 1]);
//! the box constraint is kept by clamping after every (Adam) step; [`Model::features`]
//! returns F minus each bit's median (users and items separately), so that the sign
//! binarization is the median-threshold rounding.

use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::cf::{squared_norm, Factors};
use super::loss::{balance_loss, decorrelation_loss};
use super::params::{self, ParamError};
use super::{finite, EpochLoss, Features, LossTerm, Model, TrainError};
use crate::data::Ratings;
use crate::sparse::Csr;

/// CFCodeReg's parameters; `Default` gives the paper's lambda = 0.4 at r = 20.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CfCodeRegParams {
    pub code_length: usize,
    pub lambda: f32,
    /// Weight of the bit balance regulariser (0: eq. 10 as printed).
    pub balance: f32,
    /// Weight of the bit decorrelation regulariser (0: eq. 10 as printed).
    pub decorrelation: f32,
    pub learning_rate: f32,
    pub seed: u64,
}

impl Default for CfCodeRegParams {
    fn default() -> Self {
        CfCodeRegParams {
            code_length: 20,
            lambda: 0.4,
            balance: 0.0,
            decorrelation: 0.0,
            learning_rate: 0.02,
            seed: 0,
        }
    }
}

/// Validated [`CfCodeRegParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct CfCodeRegValid(CfCodeRegParams);

impl CfCodeRegParams {
    pub fn check(&self) -> Result<CfCodeRegValid, ParamError> {
        params::positive("code_length", self.code_length)?;
        params::non_negative("lambda", self.lambda)?;
        params::non_negative("balance", self.balance)?;
        params::non_negative("decorrelation", self.decorrelation)?;
        params::positive_real("learning_rate", self.learning_rate)?;
        Ok(CfCodeRegValid(self.clone()))
    }
}

/// Eq. 10's data term: `sum (r_ab - 1/2 - <f_a, o_b>/(2 code_length))^2` over the
/// entries of `r` (rescaled ratings; row a of `r` is row a of `f`); gradient w.r.t. `f`.
pub fn code_rating_loss(
    f: ArrayView2<f32>,
    other: ArrayView2<f32>,
    r: &Csr,
    code_length: usize,
) -> (f64, Array2<f32>) {
    let scale = 1.0 / (2.0 * code_length as f32);
    let mut grad = Array2::zeros(f.raw_dim());
    let mut loss = 0.0f64;
    for a in 0..r.n_rows() {
        let (cols, vals) = r.row(a);
        let mut g_a = grad.row_mut(a);
        for (&b, &rating) in cols.iter().zip(vals) {
            let o_b = other.row(b as usize);
            let e = rating - 0.5 - scale * f.row(a).dot(&o_b);
            loss += (e as f64).powi(2);
            g_a.scaled_add(-2.0 * scale * e, &o_b);
        }
    }
    (loss, grad)
}

/// A CFCodeReg model being trained.
pub struct CfCodeReg {
    factors: Factors,
    params: CfCodeRegParams,
}

impl CfCodeReg {
    pub fn new(params: &CfCodeRegValid, train: &Ratings) -> Self {
        let p = params.0.clone();
        let r = Csr::ratings(train).map(|v| (v - 1.0) / 4.0);
        CfCodeReg {
            factors: Factors::new(r, p.code_length, 1.0, p.learning_rate, p.seed),
            params: p,
        }
    }
}

/// Subtracts each column's median.
fn center_by_median(f: &Array2<f32>) -> Array2<f32> {
    let mut out = f.clone();
    for mut column in out.axis_iter_mut(Axis(1)) {
        let mut values = column.to_vec();
        values.sort_by(f32::total_cmp);
        let median = values.get(values.len() / 2).copied().unwrap_or(0.0);
        column.mapv_inplace(|v| v - median);
    }
    out
}

impl Model for CfCodeReg {
    fn name(&self) -> &'static str {
        "CFCodeReg"
    }

    fn step(&mut self) -> Result<EpochLoss, TrainError> {
        let p = &self.params;
        let pairs = self.factors.pairs();
        let terms = self.factors.alternate(
            |_, own, other, r| {
                let (loss, mut g) = code_rating_loss(own, other, r, p.code_length);
                g.scaled_add(2.0 * p.lambda, &own);
                let mut terms = vec![
                    LossTerm {
                        name: "rating",
                        value: loss / pairs,
                    },
                    LossTerm {
                        name: "l2",
                        value: p.lambda as f64 * (squared_norm(own) + squared_norm(other)) / pairs,
                    },
                ];
                if p.balance > 0.0 {
                    let (l, gb) = balance_loss(own);
                    g.scaled_add(p.balance, &gb);
                    terms.push(LossTerm {
                        name: "balance",
                        value: p.balance as f64 * l / pairs,
                    });
                }
                if p.decorrelation > 0.0 {
                    let (l, gd) = decorrelation_loss(own);
                    g.scaled_add(p.decorrelation, &gd);
                    terms.push(LossTerm {
                        name: "decorrelation",
                        value: p.decorrelation as f64 * l / pairs,
                    });
                }
                (terms, g)
            },
            |f| f.mapv_inplace(|v| v.clamp(-1.0, 1.0)),
        );
        finite(EpochLoss::new(self.factors.epoch, terms))
    }

    fn epochs(&self) -> usize {
        self.factors.epoch
    }

    fn features(&self) -> Features {
        Features {
            users: center_by_median(&self.factors.f[0]),
            items: center_by_median(&self.factors.f[1]),
            alpha: None,
        }
    }
}
