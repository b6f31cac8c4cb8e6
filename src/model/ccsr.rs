//! CCSR, the Compact Cross-Similarity Recommender (sec. 4): user and item autoencoders
//! (eq. 1) trained on the MAP similarity loss over all user-item pairs (eq. 6), a
//! balance loss (eq. 7) and the reconstruction loss, `L = L_sim + lambda_b L_b +
//! lambda_ae L_ae`.
//!
//! Where the paper is silent we chose: tanh hidden activations (configurable), ratings
//! scaled by `input_scale` (default 0.1, so 0..0.5; raw 1..5 ratings saturate the tanh
//! layer and validated worse) as input and reconstruction target, Glorot-uniform
//! initialisation, Adam (lr 1e-3), alternating user/item mini-batches of 512 (see
//! `two_tower`; 512 validated at least as well as 128 and 256, and an epoch has a
//! quarter of the batches, each paying the decoder's Gram products; see `batch_size`),
//! the balance loss as squared column sums (no normalisation), and an optional
//! quantization term `lambda_q ||sgn(F) - F||^2` (0, the paper's loss, by
//! default).
//!
//! Two options depart from eq. 6 (paper-faithful defaults): `unrated_weight` weighs
//! the pairs without a training rating (the paper sums all pairs with weight 1), and
//! `logit_scale` multiplies the inner product inside the sigmoid. With S_ab = 0 on
//! every unrated pair, eq. 6 mostly learns "rated and liked vs. everything else",
//! i.e. popularity, while ranking a user's own held-out items (protocol A) needs
//! "liked vs. disliked among rated items". On ml-1m-head (per-user 80/20 split, early
//! stopping on a 10% validation split of the training part, 3 seeds, protocol A test
//! NDCG@10) `unrated_weight = 0.01, logit_scale = 0.3` lift CCSR-S from 0.745 / 0.748
//! (r = 20 / 40, paper loss) to 0.785 / 0.794, above Top (0.759), CF-S (0.678 / 0.708)
//! and AECF-S (0.726 / 0.718); validation NDCG@10 rose from 0.831 / 0.834 to 0.858 /
//! 0.865. Larger weights (0.02 - 0.1) validated worse, and so did 0.003 - 0.005 and 0
//! (rated pairs only), by 0.005 - 0.015. With the paper's all-pairs weights, the logit
//! scale alone (`logit_scale = 0.3, learning_rate = 3e-4`) gives CCSR-S 0.773 / 0.771
//! (validation 0.847 / 0.846), but its ST variant was unstable at r = 20.

use ndarray::{Array2, ArrayView2, Zip};
use serde::{Deserialize, Serialize};

use super::map_kernel::{self, PackedCodes, PairLabels};
use super::params::{self, ParamError};
use super::two_tower::{two_tower_model, Interaction, OtherSide, TowerConfig, TwoTower};
use crate::data::Ratings;
use crate::nn::Activation;
use crate::sparse::Csr;

/// CCSR's parameters; `Default` gives the paper's MovieLens settings at r = 20.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CcsrParams {
    /// Code length r.
    pub code_length: usize,
    /// Encoder hidden layer sizes (the decoder mirrors them); paper: one of 128.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    /// Dropout before the last encoder layer; `None`: the paper's 0.6 for r <= 20,
    /// 0.8 above.
    pub dropout: Option<f32>,
    /// Weight of the reconstruction loss (eq. 1); paper 0.1 on MovieLens.
    pub lambda_ae: f32,
    /// Weight of the balance loss; paper 1e-4 on MovieLens.
    pub lambda_b: f32,
    /// Weight of the optional quantization loss; 0 is the paper's objective.
    pub lambda_q: f32,
    pub learning_rate: f32,
    /// L2 weight decay of the network weights (Adam).
    pub weight_decay: f32,
    /// Users (items) per mini-batch (paper silent). On ml-1m-head (r = 20 / 40, paper
    /// loss, 3 seeds, early stopping) 512 gave test NDCG@10 (S) 0.768 / 0.762 against
    /// 0.745 / 0.748 with 128, and an epoch costs about 40% less (fewer Gram products
    /// `W W^T` and `H^T H W` of the decoder's output layer and Adam steps).
    pub batch_size: usize,
    /// Train through tanh(alpha F), alpha multiplied by this factor every epoch
    /// (ST/SST, sec. 4.3); `None` trains F directly (S/C).
    pub alpha_growth: Option<f32>,
    /// `S_ab = [R_ab > like_threshold]` (sec. 3: 3).
    pub like_threshold: f32,
    pub seed: u64,
    /// The networks read (and reconstruct) `rating * input_scale` (paper silent;
    /// 0.1 validated best of 1, 0.5, 0.2, 0.1, 0.05).
    pub input_scale: f32,
    /// Weight of the similarity loss on pairs without a training rating (S_ab = 0);
    /// 1 is the paper's sum over all pairs (default). 0 keeps only rated pairs; 0.01
    /// validated best on ml-1m-head.
    pub unrated_weight: f32,
    /// The similarity logit is `logit_scale * <h_a, h_b>` (paper: 1, the default;
    /// 0.3 validated better with `unrated_weight = 0.01`).
    pub logit_scale: f32,
}

impl Default for CcsrParams {
    fn default() -> Self {
        CcsrParams {
            code_length: 20,
            hidden: vec![128],
            activation: Activation::Tanh,
            dropout: None,
            lambda_ae: 0.1,
            lambda_b: 1e-4,
            lambda_q: 0.0,
            learning_rate: 1e-3,
            weight_decay: 0.0,
            batch_size: 512,
            alpha_growth: None,
            like_threshold: 3.0,
            seed: 0,
            input_scale: 0.1,
            unrated_weight: 1.0,
            logit_scale: 1.0,
        }
    }
}

/// Validated [`CcsrParams`].
#[derive(Clone, Debug, PartialEq)]
pub struct CcsrValid(CcsrParams);

impl CcsrValid {
    pub fn params(&self) -> &CcsrParams {
        &self.0
    }
}

/// The paper's dropout for code length `r` (sec. 5.2).
pub(crate) fn paper_dropout(r: usize) -> f32 {
    if r <= 20 {
        0.6
    } else {
        0.8
    }
}

impl CcsrParams {
    pub fn check(&self) -> Result<CcsrValid, ParamError> {
        params::positive("code_length", self.code_length)?;
        params::layers("hidden", &self.hidden)?;
        if let Some(p) = self.dropout {
            params::in_range("dropout", p, 0.0, 1.0, false)?;
        }
        params::non_negative("lambda_ae", self.lambda_ae)?;
        params::non_negative("lambda_b", self.lambda_b)?;
        params::non_negative("lambda_q", self.lambda_q)?;
        params::positive_real("learning_rate", self.learning_rate)?;
        params::non_negative("weight_decay", self.weight_decay)?;
        params::positive("batch_size", self.batch_size)?;
        params::growth("alpha_growth", self.alpha_growth)?;
        params::finite("like_threshold", self.like_threshold)?;
        params::positive_real("input_scale", self.input_scale)?;
        params::non_negative("unrated_weight", self.unrated_weight)?;
        params::positive_real("logit_scale", self.logit_scale)?;
        Ok(CcsrValid(self.clone()))
    }
}

/// MAP similarity loss (eq. 6) of codes `h` (rows a) against codes `other` (rows b):
/// `sum_ab softplus(<h_a, o_b>) - S_ab <h_a, o_b>`, with a numerically stable softplus,
/// and its gradient `(sigmoid(theta) - S) other` with respect to `h`.
pub fn similarity_loss(
    h: ArrayView2<f32>,
    other: ArrayView2<f32>,
    s: ArrayView2<f32>,
) -> (f64, Array2<f32>) {
    let mut theta = h.dot(&other.t());
    let mut loss = 0.0f64;
    Zip::from(&mut theta).and(&s).for_each(|t, &s| {
        let x = *t;
        let softplus = x.max(0.0) + (-x.abs()).exp().ln_1p();
        loss += (softplus - s * x) as f64;
        *t = 1.0 / (1.0 + (-x).exp()) - s;
    });
    (loss, theta.dot(&other))
}

/// [`similarity_loss`] with logits `scale * <h_a, o_b>` and per-pair weights `w`
/// (`None`: all 1): `sum_ab w_ab (softplus(theta_ab) - S_ab theta_ab)`, gradient
/// `scale * (w * (sigmoid(theta) - S)) other`.
pub fn weighted_similarity_loss(
    h: ArrayView2<f32>,
    other: ArrayView2<f32>,
    s: ArrayView2<f32>,
    w: Option<ArrayView2<f32>>,
    scale: f32,
) -> (f64, Array2<f32>) {
    if w.is_none() && scale == 1.0 {
        return similarity_loss(h, other, s);
    }
    let mut theta = h.dot(&other.t());
    theta *= scale;
    let ones;
    let w = match w {
        Some(w) => w,
        None => {
            ones = Array2::<f32>::ones(s.raw_dim());
            ones.view()
        }
    };
    let mut loss = 0.0f64;
    Zip::from(&mut theta).and(&s).and(&w).for_each(|t, &s, &w| {
        let x = *t;
        let softplus = x.max(0.0) + (-x.abs()).exp().ln_1p();
        loss += (w * (softplus - s * x)) as f64;
        *t = w * scale * (1.0 / (1.0 + (-x).exp()) - s);
    });
    (loss, theta.dot(&other))
}

/// The similarity labels S (users x items) and S^T, to pick mini-batch rows from. Their
/// stored entries are exactly the rated pairs (label 0 or 1), the pairs that get weight 1
/// where `unrated_weight` applies to the others.
pub(crate) struct MapSimilarity {
    s: [Csr; 2],
    unrated_weight: f32,
    logit_scale: f32,
    /// Compute with [`weighted_similarity_loss`] on dense S and W (std `exp`/`ln_1p`),
    /// the reference the fused path is tested against.
    pub(crate) reference: bool,
}

impl Interaction for MapSimilarity {
    const NAME: &'static str = "similarity";
    /// The codes packed for the fused kernel.
    type Prepared = PackedCodes;

    fn prepare(&self, other: ArrayView2<f32>) -> PackedCodes {
        PackedCodes::new(other)
    }

    fn loss(
        &self,
        side: usize,
        rows: &[usize],
        h: ArrayView2<f32>,
        other: &OtherSide<PackedCodes>,
    ) -> (f64, Array2<f32>) {
        if !self.reference {
            // Fused ([`map_kernel::map_similarity`]): no dense logits, S or W formed.
            let labels = PairLabels {
                s: &self.s[side],
                unrated_weight: self.unrated_weight,
            };
            let packed = &other.prepared;
            return map_kernel::map_similarity(h, rows, packed, &labels, self.logit_scale);
        }
        let other = other.codes.view();
        let batch = self.s[side].select_rows(rows);
        let s = batch.to_dense();
        let w = (self.unrated_weight != 1.0).then(|| {
            let rated = batch.map(|_| 1.0).to_dense();
            rated.mapv(|r| r + (1.0 - r) * self.unrated_weight)
        });
        weighted_similarity_loss(
            h,
            other,
            s.view(),
            w.as_ref().map(|w| w.view()),
            self.logit_scale,
        )
    }
}

/// A CCSR model being trained.
pub struct Ccsr(pub(crate) TwoTower<MapSimilarity>);

impl Ccsr {
    pub fn new(params: &CcsrValid, train: &Ratings) -> Self {
        let p = &params.0;
        let threshold = p.like_threshold;
        let s = Csr::ratings(train).map(|r| if r > threshold { 1.0 } else { 0.0 });
        let s_t = s.transpose();
        let interaction = MapSimilarity {
            s: [s, s_t],
            unrated_weight: p.unrated_weight,
            logit_scale: p.logit_scale,
            reference: false,
        };
        let config = TowerConfig {
            code_length: p.code_length,
            hidden: p.hidden.clone(),
            activation: p.activation,
            dropout: p.dropout.unwrap_or(paper_dropout(p.code_length)),
            decoder: true,
            lambda_ae: p.lambda_ae,
            lambda_b: p.lambda_b,
            lambda_q: p.lambda_q,
            learning_rate: p.learning_rate,
            weight_decay: p.weight_decay,
            batch_size: p.batch_size,
            alpha_growth: p.alpha_growth,
            seed: p.seed,
        };
        Ccsr(TwoTower::with_input_scale(
            interaction,
            config,
            train,
            p.input_scale,
        ))
    }
}

two_tower_model!(Ccsr, "CCSR");

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn weighted_similarity_loss_gradient() {
        let h = array![[0.5f32, -1.0, 0.3], [1.2, 0.1, -0.7]];
        let other = array![[0.2f32, 0.4, -1.1], [-0.9, 0.8, 0.5], [1.0, -0.3, 0.6]];
        let s = array![[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0]];
        let w = array![[1.0f32, 0.1, 1.0], [0.1, 1.0, 0.1]];
        let f = |h: ArrayView2<f32>| {
            weighted_similarity_loss(h, other.view(), s.view(), Some(w.view()), 0.7)
        };
        let (_, grad) = f(h.view());
        let eps = 1e-2f32;
        for idx in ndarray::indices(h.raw_dim()) {
            let (mut plus, mut minus) = (h.clone(), h.clone());
            plus[idx] += eps;
            minus[idx] -= eps;
            let numeric = (f(plus.view()).0 - f(minus.view()).0) / (2.0 * eps as f64);
            assert!((numeric - grad[idx] as f64).abs() < 1e-3, "{idx:?}");
        }
        // Unit weights and scale: the paper's loss.
        let (a, ga) = weighted_similarity_loss(h.view(), other.view(), s.view(), None, 1.0);
        let ones = Array2::ones(s.raw_dim());
        let (b, gb) =
            weighted_similarity_loss(h.view(), other.view(), s.view(), Some(ones.view()), 1.0);
        assert!((a - b).abs() < 1e-9 && (ga - gb).iter().all(|d| d.abs() < 1e-6));
    }
}
