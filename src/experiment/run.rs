//! [`Run`]: one model trained one epoch per [`Run::step`] (or a few mini-batches per
//! [`Run::advance`]), optionally early-stopped on
//! NDCG@10 (protocol A, expected ties) of its binarization on a validation split carved
//! per user from the training ratings, keeping the best epoch's features.

use serde::Serialize;

use super::config::{set_seed, RunConfig, RunError};
use super::rows::evaluate_features;
use crate::binarize::{embed, Binarization, NoScaledTanh};
use crate::data::{split, Split};
use crate::metrics::{evaluate, Metrics, Protocol, Ties};
use crate::model::{EarlyStopping, EpochLoss, Features, Model, TrainError};
use crate::report::MetricRow;

/// Added to the run's seed to seed the validation split, so that it is drawn
/// independently of a test split made with the same seed.
const VALIDATION_SEED_OFFSET: u64 = 100;

/// What one epoch did: its loss terms and, when it was evaluated, the validation
/// metrics (protocol A, expected ties) of the run's binarization.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochRecord {
    pub epoch: usize,
    pub loss: EpochLoss,
    pub validation: Option<Metrics>,
}

/// The validation split and the early-stopping state.
struct Validation {
    split: Split,
    every: usize,
    stopper: EarlyStopping,
}

/// A training run in progress (see the module docs).
pub struct Run {
    config: RunConfig,
    model: Box<dyn Model>,
    validation: Option<Validation>,
    finished: bool,
}

impl Run {
    /// Checks `config` and builds its model on `split.train`, less the validation
    /// ratings when early stopping.
    pub fn new(config: RunConfig, split: &Split) -> Result<Run, RunError> {
        config.check()?;
        let mut config = config;
        set_seed(&mut config.model, config.seed);
        let validation = config.early_stopping.map(|es| Validation {
            split: split::per_user(
                &split.train,
                es.validation_fraction,
                config.seed.wrapping_add(VALIDATION_SEED_OFFSET),
            ),
            every: es.every,
            stopper: EarlyStopping::new(es.patience),
        });
        let train = validation.as_ref().map_or(&split.train, |v| &v.split.train);
        let model = config.model.build(train)?;
        Ok(Run {
            config,
            model,
            validation,
            finished: false,
        })
    }

    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The model's report name, e.g. "CCSR".
    pub fn model_name(&self) -> &'static str {
        self.model.name()
    }

    /// Epochs trained so far.
    pub fn epochs(&self) -> usize {
        self.model.epochs()
    }

    /// Trains one epoch (the rest of the one in progress, if any), then evaluates on
    /// the validation split when due (every `every` epochs and at the last). Fails on
    /// a finished run or a diverged loss (which finishes the run).
    pub fn step(&mut self) -> Result<EpochRecord, RunError> {
        if self.finished {
            return Err(RunError::Finished);
        }
        let loss = self.model.step();
        self.end_epoch(loss)
    }

    /// Trains at most `max_batches` mini-batches (see [`Model::advance`]); when that
    /// completes an epoch, evaluates as [`Run::step`] does and returns its record.
    /// Validation and early stopping happen only at epoch ends.
    pub fn advance(&mut self, max_batches: usize) -> Result<Option<EpochRecord>, RunError> {
        if self.finished {
            return Err(RunError::Finished);
        }
        match self.model.advance(max_batches) {
            Ok(None) => Ok(None),
            Ok(Some(loss)) => self.end_epoch(Ok(loss)).map(Some),
            Err(e) => self.end_epoch(Err(e)).map(Some),
        }
    }

    /// The share (0..1) of the current epoch done (0 between epochs).
    pub fn epoch_fraction(&self) -> f64 {
        self.model.epoch_fraction()
    }

    fn end_epoch(&mut self, loss: Result<EpochLoss, TrainError>) -> Result<EpochRecord, RunError> {
        let loss = loss.map_err(|e| {
            self.finished = true;
            RunError::Train(e)
        })?;
        let epoch = loss.epoch;
        let last = epoch >= self.config.max_epochs;
        let mut validation = None;
        if let Some(v) = &mut self.validation {
            if epoch % v.every == 0 || last {
                let features = self.model.features();
                let metrics = validate(&v.split, &features, self.config.binarization)
                    .expect("binarization checked by RunConfig::check");
                self.finished |= v.stopper.observe(epoch, metrics.ndcg_at_10, || features);
                validation = Some(metrics);
            }
        }
        self.finished |= last;
        Ok(EpochRecord {
            epoch,
            loss,
            validation,
        })
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The epoch whose features [`Run::features`] returns: the best validation epoch
    /// when early stopping, else the last one trained.
    pub fn best_epoch(&self) -> usize {
        self.best().map_or(self.model.epochs(), |b| b.epoch)
    }

    /// The best validation epoch's features when early stopping (once evaluated), else
    /// the current ones.
    pub fn features(&self) -> Features {
        self.best()
            .map_or_else(|| self.model.features(), |b| b.features.clone())
    }

    /// The features of the last epoch trained, whatever early stopping kept.
    pub fn last_features(&self) -> Features {
        self.model.features()
    }

    fn best(&self) -> Option<&crate::model::Best> {
        self.validation.as_ref().and_then(|v| v.stopper.best())
    }

    /// Test rows of [`Run::features`] under the run's binarization (see
    /// [`evaluate_features`]); random ties seeded with the run's seed.
    pub fn evaluate(&self, split: &Split) -> Vec<MetricRow> {
        self.evaluate_as(split, &[self.config.binarization])
            .expect("binarization checked by RunConfig::check")
    }

    /// Test rows of [`Run::features`] under several binarizations of the same trained
    /// features, e.g. ST and SST of an ST-trained model, S and C of the others.
    pub fn evaluate_as(
        &self,
        split: &Split,
        binarizations: &[Binarization],
    ) -> Result<Vec<MetricRow>, NoScaledTanh> {
        evaluate_features(
            self.model.name(),
            &self.features(),
            binarizations,
            split,
            self.config.seed,
        )
    }
}

/// Validation metrics of `features` under `binarization`.
fn validate(
    split: &Split,
    features: &Features,
    binarization: Binarization,
) -> Result<Metrics, NoScaledTanh> {
    let embedding = embed(features, binarization)?;
    Ok(evaluate(
        split,
        &embedding.scores(),
        Protocol::TestItems,
        Ties::Expected,
    ))
}
