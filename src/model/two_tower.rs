//! Training of a user network and an item network on a user-item loss, shared by
//! CCSR, AECF and DJSRH.
//!
//! The paper does not say how it batches. We alternate as cross-modal hashing does
//! (DCMH, Jiang & Li 2017): an epoch first updates the user network on shuffled
//! mini-batches of users, each against the codes of *all* items (kept fixed, from the
//! item encoder without dropout), then the item network likewise against all users.
//! Each mini-batch gets the exact partial gradient of the full objective with respect
//! to its rows' codes (all their pairs, the balance term on the whole code matrix with
//! the batch's rows refreshed), divided by the number of pairs in the batch.
//!
//! With a scaled tanh (sec. 4.3) the losses see `H = tanh(alpha F)` instead of `F`,
//! `alpha = growth^epoch` (1 in the first epoch).
//!
//! An epoch can also run in parts ([`TwoTower::advance`], a few mini-batches per call,
//! for the web worker), keeping its state (side, shuffled order, position, loss sums,
//! codes) between calls; the parts give exactly the epoch [`TwoTower::step`] gives.
//! The decoder's reconstruction loss (eq. 1) is computed through its linear output
//! layer without forming the dense reconstruction when that is cheaper
//! ([`linear_reconstruction_loss`]).
//!
//! The unit tests below check the gradient a training step applies against finite
//! differences of the whole batch objective in the network weights (interaction,
//! balance, quantization and reconstruction terms, with and without scaled tanh).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::RngExt;

use super::autoencoder::Autoencoder;
use super::loss::{
    balance_loss, linear_reconstruction_loss, quantization_loss, reconstruction_loss,
};
use super::{finite, EpochLoss, Features, LossTerm, TrainError};
use crate::data::{seeded_rng, Ratings, SeededRng};
use crate::nn::{Activation, Adam, Input, LinearGrad, MlpGrad};
use crate::sparse::Csr;

/// Users (rows of X = R) or items (rows of Y = R^T).
pub(crate) const USERS: usize = 0;
pub(crate) const ITEMS: usize = 1;

/// A user-item loss on a mini-batch.
pub(crate) trait Interaction {
    /// Name of the loss term in [`EpochLoss`].
    const NAME: &'static str;
    /// What the loss reads of the other side's codes besides the codes themselves,
    /// made once per pass (the codes stay fixed for the whole pass).
    type Prepared;
    fn prepare(&self, other: ArrayView2<f32>) -> Self::Prepared;
    /// Loss of the pairs of batch rows `rows` of `side` (codes `h`, one row per entry
    /// of `rows`) with every row of the other side (`other`), and its gradient with
    /// respect to `h`.
    fn loss(
        &self,
        side: usize,
        rows: &[usize],
        h: ArrayView2<f32>,
        other: &OtherSide<Self::Prepared>,
    ) -> (f64, Array2<f32>);
}

/// The other side's codes during a pass, and what [`Interaction::prepare`] made of them.
pub(crate) struct OtherSide<P> {
    pub codes: Array2<f32>,
    pub prepared: P,
}

/// Architecture, loss weights and optimiser settings of a two-tower model.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TowerConfig {
    pub code_length: usize,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub dropout: f32,
    pub decoder: bool,
    pub lambda_ae: f32,
    pub lambda_b: f32,
    pub lambda_q: f32,
    pub learning_rate: f32,
    pub weight_decay: f32,
    pub batch_size: usize,
    pub alpha_growth: Option<f32>,
    pub seed: u64,
}

/// The user and item networks, their inputs, and the optimiser state.
pub(crate) struct TwoTower<I: Interaction> {
    interaction: I,
    config: TowerConfig,
    towers: [Autoencoder; 2],
    inputs: [Csr; 2],
    features: [Array2<f32>; 2],
    adam: Adam,
    rng: SeededRng,
    epoch: usize,
    /// The epoch in progress, between [`TwoTower::advance`] calls.
    current: Option<InEpoch<I::Prepared>>,
    /// Form the decoder's dense reconstruction (the reference the expanded
    /// [`linear_reconstruction_loss`] is tested against).
    dense_reconstruction: bool,
}

/// Sums of one epoch's loss terms before normalisation.
#[derive(Default)]
struct Sums {
    interaction: f64,
    reconstruction: f64,
    quantization: f64,
    /// `||colsum||^2` after the last batch (for the gradient test).
    balance: f64,
}

/// An epoch in progress: its scaled-tanh scale, loss sums, the batches done, and the
/// phase (user or item side) being trained.
struct InEpoch<P> {
    alpha: Option<f32>,
    sums: Sums,
    batches_done: usize,
    phase: Phase<P>,
}

/// One side's pass: the shuffled row order, the next batch, the other side's codes
/// (fixed) and this side's codes and their column sums (refreshed batch by batch).
struct Phase<P> {
    side: usize,
    order: Vec<usize>,
    next_batch: usize,
    other: OtherSide<P>,
    own: Array2<f32>,
    colsum: Array1<f32>,
}

/// Implements [`Model`](super::Model) for a newtype `Model(TwoTower<..>)` by delegating
/// to the two towers; only the report name differs between CCSR, AECF and DJSRH.
macro_rules! two_tower_model {
    ($model:ty, $name:literal) => {
        impl $crate::model::Model for $model {
            fn name(&self) -> &'static str {
                $name
            }

            fn step(&mut self) -> Result<$crate::model::EpochLoss, $crate::model::TrainError> {
                self.0.step()
            }

            fn advance(
                &mut self,
                max_batches: usize,
            ) -> Result<Option<$crate::model::EpochLoss>, $crate::model::TrainError> {
                self.0.advance(max_batches)
            }

            fn epoch_fraction(&self) -> f64 {
                self.0.epoch_fraction()
            }

            fn epochs(&self) -> usize {
                self.0.epochs()
            }

            fn features(&self) -> $crate::model::Features {
                self.0.features()
            }
        }
    };
}
pub(super) use two_tower_model;

impl<I: Interaction> TwoTower<I> {
    pub fn new(interaction: I, config: TowerConfig, train: &Ratings) -> Self {
        Self::with_input_scale(interaction, config, train, 1.0)
    }

    /// Like [`TwoTower::new`], the network inputs (and reconstruction targets) being
    /// the ratings multiplied by `input_scale`.
    pub fn with_input_scale(
        interaction: I,
        config: TowerConfig,
        train: &Ratings,
        input_scale: f32,
    ) -> Self {
        let x = Csr::ratings(train).map(|r| r * input_scale);
        let y = x.transpose();
        let mut rng = seeded_rng(config.seed);
        let tower = |n_in: usize, rng: &mut SeededRng| {
            Autoencoder::new(
                n_in,
                &config.hidden,
                config.code_length,
                config.activation,
                config.dropout,
                config.decoder,
                rng,
            )
        };
        let mut users = tower(x.n_cols(), &mut rng);
        let mut items = tower(y.n_cols(), &mut rng);
        // The expanded reconstruction loss reads the output layer's W^T: keep it so.
        for decoder in [&mut users.decoder, &mut items.decoder]
            .into_iter()
            .flatten()
        {
            if expanded_is_cheaper(decoder, config.batch_size) {
                decoder.output_layer_mut().store_column_major();
            }
        }
        let features = [users.encode(&x), items.encode(&y)];
        TwoTower {
            interaction,
            adam: Adam::new(config.learning_rate, config.weight_decay),
            config,
            towers: [users, items],
            inputs: [x, y],
            features,
            rng,
            epoch: 0,
            current: None,
            dense_reconstruction: false,
        }
    }

    pub fn epochs(&self) -> usize {
        self.epoch
    }

    /// The scaled-tanh scale of epoch `epoch`, if the model uses one.
    fn alpha(&self, epoch: usize) -> Option<f32> {
        self.config.alpha_growth.map(|g| g.powi(epoch as i32))
    }

    pub fn features(&self) -> Features {
        Features {
            users: self.features[USERS].clone(),
            items: self.features[ITEMS].clone(),
            alpha: self.alpha(self.epoch.saturating_sub(1)),
        }
    }

    /// One epoch (the rest of the one in progress, if any): the user phase, then the
    /// item phase. The same as [`TwoTower::advance`] until it returns the loss.
    pub fn step(&mut self) -> Result<EpochLoss, TrainError> {
        loop {
            if let Some(loss) = self.advance(usize::MAX)? {
                return Ok(loss);
            }
        }
    }

    /// Number of mini-batches of one epoch (both sides).
    fn batches_per_epoch(&self) -> usize {
        let b = self.config.batch_size;
        self.inputs[USERS].n_rows().div_ceil(b) + self.inputs[ITEMS].n_rows().div_ceil(b)
    }

    /// The share of the current epoch's mini-batches done (0 between epochs).
    pub fn epoch_fraction(&self) -> f64 {
        self.current.as_ref().map_or(0.0, |e| {
            e.batches_done as f64 / self.batches_per_epoch().max(1) as f64
        })
    }

    /// Trains at most `max_batches` (at least one) mini-batches of the current epoch,
    /// starting one if none is in progress; returns the epoch's loss once its last
    /// batch ran. Repeated calls give exactly the epochs [`TwoTower::step`] gives.
    pub fn advance(&mut self, max_batches: usize) -> Result<Option<EpochLoss>, TrainError> {
        let mut budget = max_batches.max(1);
        let mut state = match self.current.take() {
            Some(state) => state,
            None => {
                let alpha = self.alpha(self.epoch);
                InEpoch {
                    alpha,
                    sums: Sums::default(),
                    batches_done: 0,
                    phase: self.begin_phase(USERS, alpha),
                }
            }
        };
        loop {
            let phase = &mut state.phase;
            let start = phase.next_batch * self.config.batch_size;
            if start < phase.order.len() {
                if budget == 0 {
                    self.current = Some(state);
                    return Ok(None);
                }
                let end = (start + self.config.batch_size).min(phase.order.len());
                self.batch_step(
                    phase.side,
                    &phase.order[start..end],
                    &phase.other,
                    &mut phase.own,
                    &mut phase.colsum,
                    state.alpha,
                    &mut state.sums,
                );
                phase.next_batch += 1;
                state.batches_done += 1;
                budget -= 1;
                continue;
            }
            let side = phase.side;
            self.features[side] = self.towers[side].encode(&self.inputs[side]);
            if side == USERS {
                state.phase = self.begin_phase(ITEMS, state.alpha);
            } else {
                return self.finish_epoch(state.alpha, &state.sums).map(Some);
            }
        }
    }

    /// Starts the pass over `side`: codes of both sides and a fresh shuffle.
    fn begin_phase(&mut self, side: usize, alpha: Option<f32>) -> Phase<I::Prepared> {
        let other = self.other_side(codes(&self.features[1 - side], alpha));
        let own = codes(&self.features[side], alpha);
        let colsum = own.sum_axis(Axis(0));
        let mut order: Vec<usize> = (0..own.nrows()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, self.rng.random_range(0..=i));
        }
        Phase {
            side,
            order,
            next_batch: 0,
            other,
            own,
            colsum,
        }
    }

    /// The other side's codes `codes` for a pass.
    fn other_side(&self, codes: Array2<f32>) -> OtherSide<I::Prepared> {
        OtherSide {
            prepared: self.interaction.prepare(codes.view()),
            codes,
        }
    }

    /// Counts the finished epoch and reports its loss terms.
    fn finish_epoch(&mut self, alpha: Option<f32>, sums: &Sums) -> Result<EpochLoss, TrainError> {
        self.epoch += 1;
        let c = &self.config;
        let pairs = (self.inputs[USERS].n_rows() * self.inputs[USERS].n_cols()).max(1) as f64;
        let mut terms = vec![LossTerm {
            name: I::NAME,
            value: sums.interaction / (2.0 * pairs),
        }];
        if c.lambda_b > 0.0 {
            let balance: f64 = [USERS, ITEMS]
                .iter()
                .map(|&s| balance_loss(codes(&self.features[s], alpha).view()).0)
                .sum();
            terms.push(LossTerm {
                name: "balance",
                value: c.lambda_b as f64 * balance / pairs,
            });
        }
        if c.decoder && c.lambda_ae > 0.0 {
            terms.push(LossTerm {
                name: "reconstruction",
                value: c.lambda_ae as f64 * sums.reconstruction / pairs,
            });
        }
        if c.lambda_q > 0.0 {
            terms.push(LossTerm {
                name: "quantization",
                value: c.lambda_q as f64 * sums.quantization / pairs,
            });
        }
        finite(EpochLoss::new(self.epoch, terms))
    }

    /// One Adam step of the network of `side` on the batch `rows`; `own` holds the
    /// codes of all rows of `side` (the batch's are refreshed) and `colsum` their
    /// column sums.
    #[allow(clippy::too_many_arguments)]
    fn batch_step(
        &mut self,
        side: usize,
        rows: &[usize],
        other: &OtherSide<I::Prepared>,
        own: &mut Array2<f32>,
        colsum: &mut Array1<f32>,
        alpha: Option<f32>,
        sums: &mut Sums,
    ) {
        let (enc_grad, dec_grad) =
            self.batch_gradient(side, rows, other, own, colsum, alpha, sums, true);
        self.adam.tick();
        let tower = &mut self.towers[side];
        tower.encoder.update(&enc_grad, &self.adam);
        if let (Some(decoder), Some(grad)) = (&mut tower.decoder, dec_grad) {
            decoder.update(&grad, &self.adam);
        }
    }

    /// The gradient of the batch objective with respect to the encoder's and decoder's
    /// parameters of `side` (see [`TwoTower::batch_step`]); dropout runs if `train`.
    /// The objective is, divided by `rows.len() * other.nrows()`: the interaction loss
    /// of the batch rows against `other`, `lambda_b ||colsum||^2` of `own` with the
    /// batch rows refreshed, `lambda_q` times the quantization loss of the batch codes
    /// and `lambda_ae` times their reconstruction loss (eq. 1, through the decoder's
    /// linear output layer without forming the dense reconstruction).
    #[allow(clippy::too_many_arguments)]
    fn batch_gradient(
        &mut self,
        side: usize,
        rows: &[usize],
        other: &OtherSide<I::Prepared>,
        own: &mut Array2<f32>,
        colsum: &mut Array1<f32>,
        alpha: Option<f32>,
        sums: &mut Sums,
        train: bool,
    ) -> (MlpGrad, Option<MlpGrad>) {
        let c = &self.config;
        let x = self.inputs[side].select_rows(rows);
        let tower = &self.towers[side];
        let enc = tower
            .encoder
            .forward(Input::Sparse(&x), train.then_some(&mut self.rng));
        let f = &enc.output;
        let h = codes(f, alpha);
        let (loss, mut dh) = self.interaction.loss(side, rows, h.view(), other);
        sums.interaction += loss;
        for (k, &row) in rows.iter().enumerate() {
            *colsum += &h.row(k);
            *colsum -= &own.row(row);
            own.row_mut(row).assign(&h.row(k));
        }
        if c.lambda_b > 0.0 {
            // d/dH ||H^T 1||^2 = 2 H^T 1 on every row (see `balance_loss`).
            sums.balance = colsum.iter().map(|&v| (v as f64).powi(2)).sum();
            dh += &(&*colsum * (2.0 * c.lambda_b));
        }
        if c.lambda_q > 0.0 {
            let (loss, grad) = quantization_loss(h.view());
            sums.quantization += loss;
            dh.scaled_add(c.lambda_q, &grad);
        }
        let mut df = match alpha {
            Some(a) => {
                dh.zip_mut_with(&h, |d, &t| *d *= a * (1.0 - t * t));
                dh
            }
            None => dh,
        };
        let scale = 1.0 / (rows.len() * other.codes.nrows()).max(1) as f32;
        df *= scale;
        let weight = c.lambda_ae * scale;
        let dec_grad = match (&tower.decoder, c.lambda_ae > 0.0) {
            (Some(decoder), true)
                if self.dense_reconstruction || !expanded_is_cheaper(decoder, rows.len()) =>
            {
                let dec = decoder.forward(Input::Dense(f.view()), None);
                let (loss, grad) = reconstruction_loss(dec.output.view(), x.to_dense().view());
                sums.reconstruction += loss;
                let grad = decoder.backward(Input::Dense(f.view()), &dec, grad * weight);
                df += grad.input.as_ref().expect("dense input");
                Some(grad)
            }
            (Some(decoder), true) => {
                let input = Input::Dense(f.view());
                let dec = decoder.forward_hidden(input, None);
                let last_in = dec.last_hidden().unwrap_or(f.view());
                let out = decoder.output_layer();
                let rec = linear_reconstruction_loss(last_in, out.w.view(), out.b.view(), &x);
                sums.reconstruction += rec.loss;
                let last = LinearGrad {
                    w: rec.d_w * weight,
                    b: rec.d_b * weight,
                };
                let grad = decoder.backward_from_last(input, &dec, last, Some(rec.d_h * weight));
                df += grad.input.as_ref().expect("dense input");
                Some(grad)
            }
            _ => None,
        };
        let enc_grad = tower.encoder.backward(Input::Sparse(&x), &enc, df);
        (enc_grad, dec_grad)
    }
}

/// Whether [`linear_reconstruction_loss`] costs less than the dense reconstruction for
/// a batch of `rows`: about `3.25 h^2 n` flops (the Gram matrix `W W^T`, computed half,
/// and `H^T H W`) against `6 B h n` (three `B x h x n` products), `h` the width of the
/// decoder's last hidden layer. True for CCSR's decoder (h = 128, B = 128), false for
/// AECF's (h = 512). Both give the same loss and gradients.
fn expanded_is_cheaper(decoder: &crate::nn::Mlp, rows: usize) -> bool {
    13 * decoder.output_layer().w.nrows() < 24 * rows
}

/// The codes the losses see: `tanh(alpha F)` with a scaled tanh (the fast
/// [`crate::nn::fastmath::tanh`]), else `F`.
fn codes(f: &Array2<f32>, alpha: Option<f32>) -> Array2<f32> {
    let mut h = f.as_standard_layout().into_owned();
    if let Some(a) = alpha {
        crate::nn::fastmath::tanh_in_place(h.as_slice_mut().expect("standard layout"), a);
    }
    h
}

#[cfg(test)]
mod tests {
    //! The gradient a training step applies, against finite differences of the whole
    //! batch objective (similarity + balance + quantization + reconstruction, with and
    //! without the scaled tanh) as a function of the network weights.
    use super::*;
    use crate::data::Interaction as Rating;
    use crate::model::ccsr::{Ccsr, CcsrParams, MapSimilarity};
    use rand::RngExt;

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn tiny() -> Ratings {
        let mut interactions = Vec::new();
        for user in 0..5u32 {
            for item in 0..6u32 {
                if (user * 7 + item * 3) % 4 != 0 {
                    interactions.push(Rating {
                        user,
                        item,
                        rating: ((user + 2 * item) % 5 + 1) as f32,
                        timestamp: 0,
                    });
                }
            }
        }
        Ratings {
            n_users: 5,
            n_items: 6,
            interactions,
        }
    }

    /// The batch objective of `side` for all rows at once (other side fixed).
    fn objective(model: &mut TwoTower<impl Interaction>, side: usize, alpha: Option<f32>) -> f64 {
        let rows: Vec<usize> = (0..model.inputs[side].n_rows()).collect();
        let other = model.other_side(codes(&model.features[1 - side], alpha));
        let mut own = codes(&model.towers[side].encode(&model.inputs[side]), alpha);
        let mut colsum = own.sum_axis(Axis(0));
        let mut sums = Sums::default();
        model.batch_gradient(
            side,
            &rows,
            &other,
            &mut own,
            &mut colsum,
            alpha,
            &mut sums,
            false,
        );
        let c = &model.config;
        (sums.interaction
            + c.lambda_b as f64 * sums.balance
            + c.lambda_q as f64 * sums.quantization
            + c.lambda_ae as f64 * sums.reconstruction)
            / (rows.len() * other.codes.nrows()) as f64
    }

    fn check(params: CcsrParams) {
        let p = params.check().unwrap();
        let alpha = p.params().alpha_growth.map(|_| 1.5);
        let Ccsr(mut model) = Ccsr::new(&p, &tiny());
        for side in [USERS, ITEMS] {
            let rows: Vec<usize> = (0..model.inputs[side].n_rows()).collect();
            let other = model.other_side(codes(&model.features[1 - side], alpha));
            let mut own = codes(&model.towers[side].encode(&model.inputs[side]), alpha);
            let mut colsum = own.sum_axis(Axis(0));
            let (enc, dec) = model.batch_gradient(
                side,
                &rows,
                &other,
                &mut own,
                &mut colsum,
                alpha,
                &mut Sums::default(),
                false,
            );
            let eps = 1e-3f32;
            let n_layers = enc.layers.len();
            let n_dec = dec.as_ref().map_or(0, |d| d.layers.len());
            for l in 0..n_layers + n_dec {
                let analytic = if l < n_layers {
                    &enc.layers[l].w
                } else {
                    &dec.as_ref().unwrap().layers[l - n_layers].w
                };
                for idx in ndarray::indices(analytic.raw_dim()) {
                    let at = |delta: f32, m: &mut TwoTower<MapSimilarity>| {
                        let t = &mut m.towers[side];
                        let layer = if l < n_layers {
                            &mut t.encoder.layers_mut()[l]
                        } else {
                            &mut t.decoder.as_mut().unwrap().layers_mut()[l - n_layers]
                        };
                        layer.w[idx] += delta;
                        let v = objective(m, side, alpha);
                        let t = &mut m.towers[side];
                        let layer = if l < n_layers {
                            &mut t.encoder.layers_mut()[l]
                        } else {
                            &mut t.decoder.as_mut().unwrap().layers_mut()[l - n_layers]
                        };
                        layer.w[idx] -= delta;
                        v
                    };
                    let numeric = (at(eps, &mut model) - at(-eps, &mut model)) / (2.0 * eps as f64);
                    let a = analytic[idx] as f64;
                    assert!(
                        (numeric - a).abs() < 2e-3 * (1.0 + numeric.abs()) + 2e-4,
                        "side {side} layer {l} {idx:?}: numeric {numeric}, analytic {a}"
                    );
                }
            }
        }
    }

    fn small() -> CcsrParams {
        CcsrParams {
            code_length: 3,
            hidden: vec![4],
            lambda_b: 0.05,
            lambda_q: 0.5,
            ..CcsrParams::default()
        }
    }

    #[test]
    fn training_step_gradient_matches_objective() {
        check(small());
    }

    /// A larger random problem than `tiny`, with batches of 16.
    fn medium() -> Ratings {
        let mut rng = crate::data::seeded_rng(11);
        let (n_users, n_items) = (45u32, 70u32);
        let mut interactions = Vec::new();
        for user in 0..n_users {
            for item in 0..n_items {
                if rng.random::<f32>() < 0.15 {
                    interactions.push(Rating {
                        user,
                        item,
                        rating: rng.random_range(1..=5) as f32,
                        timestamp: 0,
                    });
                }
            }
        }
        Ratings {
            n_users: n_users as usize,
            n_items: n_items as usize,
            interactions,
        }
    }

    fn medium_params() -> CcsrParams {
        CcsrParams {
            code_length: 6,
            hidden: vec![12],
            batch_size: 16,
            lambda_b: 0.01,
            unrated_weight: 0.2,
            logit_scale: 0.6,
            ..CcsrParams::default()
        }
    }

    /// `step()` and `advance(k)` loops give bit-identical epochs.
    #[test]
    fn advance_in_parts_equals_step() {
        let p = medium_params().check().unwrap();
        let train = medium();
        let run = |k: Option<usize>| {
            let Ccsr(mut model) = Ccsr::new(&p, &train);
            let mut losses = Vec::new();
            let mut fractions = Vec::new();
            for _ in 0..3 {
                let loss = match k {
                    None => model.step().unwrap(),
                    Some(k) => loop {
                        if let Some(loss) = model.advance(k).unwrap() {
                            break loss;
                        }
                        fractions.push(model.epoch_fraction());
                    },
                };
                assert_eq!(model.epoch_fraction(), 0.0);
                losses.push(loss);
            }
            (losses, model.features(), fractions)
        };
        let (losses, features, _) = run(None);
        // 45 users and 70 items in batches of 16: 3 + 5 batches per epoch.
        for (k, calls) in [(1, 7), (3, 2), (100, 0)] {
            let (l, f, fractions) = run(Some(k));
            assert_eq!(l, losses, "advance({k})");
            assert_eq!(f, features, "advance({k})");
            assert_eq!(fractions.len(), 3 * calls, "advance({k})");
            assert!(fractions.iter().all(|&x| x > 0.0 && x < 1.0));
        }
        // A step in the middle of an epoch finishes it.
        let Ccsr(mut model) = Ccsr::new(&p, &train);
        assert_eq!(model.advance(2).unwrap(), None);
        assert_eq!(model.epoch_fraction(), 0.25);
        assert_eq!(model.step().unwrap(), losses[0]);
    }

    /// The fused similarity and expanded reconstruction give the reference (dense S,
    /// W and reconstruction, std exp/ln) batch gradient and loss sums to f32 rounding;
    /// in wasm too (simd128 kernels and tiled products), by `wasm-pack test`.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn fast_batch_gradient_matches_the_dense_reference() {
        let p = medium_params().check().unwrap();
        let train = medium();
        for side in [USERS, ITEMS] {
            let gradient = |reference: bool| {
                let Ccsr(mut model) = Ccsr::new(&p, &train);
                model.interaction.reference = reference;
                model.dense_reconstruction = reference;
                let rows: Vec<usize> = (0..model.inputs[side].n_rows()).step_by(2).collect();
                let other = model.other_side(codes(&model.features[1 - side], None));
                let mut own = model.features[side].clone();
                let mut colsum = own.sum_axis(Axis(0));
                let mut sums = Sums::default();
                let (enc, dec) = model.batch_gradient(
                    side,
                    &rows,
                    &other,
                    &mut own,
                    &mut colsum,
                    None,
                    &mut sums,
                    true,
                );
                (enc, dec.unwrap(), sums)
            };
            let (enc, dec, sums) = gradient(false);
            let (enc_ref, dec_ref, sums_ref) = gradient(true);
            let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
            assert!(rel(sums.interaction, sums_ref.interaction) < 1e-6);
            assert!(rel(sums.reconstruction, sums_ref.reconstruction) < 1e-5);
            assert_eq!(sums.balance, sums_ref.balance);
            let layers = enc.layers.iter().chain(&dec.layers);
            let layers_ref = enc_ref.layers.iter().chain(&dec_ref.layers);
            for (l, (g, r)) in layers.zip(layers_ref).enumerate() {
                for (a, b) in [(&g.w, &r.w)].into_iter() {
                    let top = b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                    assert!(top > 0.0);
                    for (x, y) in a.iter().zip(b) {
                        assert!(
                            (x - y).abs() <= 1e-5 * top,
                            "side {side} layer {l}: {x} vs {y}"
                        );
                    }
                }
                let top = r.b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                for (x, y) in g.b.iter().zip(&r.b) {
                    assert!(
                        (x - y).abs() <= 1e-5 * top,
                        "side {side} bias {l}: {x} vs {y}"
                    );
                }
            }
        }
    }

    /// An epoch's loss terms with the fast paths equal the reference's.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn fast_epoch_losses_match_the_dense_reference() {
        let p = medium_params().check().unwrap();
        let train = medium();
        let epoch = |reference: bool| {
            let Ccsr(mut model) = Ccsr::new(&p, &train);
            model.interaction.reference = reference;
            model.dense_reconstruction = reference;
            model.step().unwrap()
        };
        let (fast, reference) = (epoch(false), epoch(true));
        assert_eq!(fast.terms.len(), 3);
        for (a, b) in fast.terms.iter().zip(&reference.terms) {
            assert_eq!(a.name, b.name);
            assert!(
                (a.value - b.value).abs() <= 1e-4 * b.value.abs(),
                "{}: {} vs {}",
                a.name,
                a.value,
                b.value
            );
        }
    }

    #[test]
    fn training_step_gradient_with_options() {
        check(CcsrParams {
            alpha_growth: Some(1.5),
            input_scale: 0.2,
            unrated_weight: 0.3,
            logit_scale: 0.7,
            ..small()
        });
    }
}
