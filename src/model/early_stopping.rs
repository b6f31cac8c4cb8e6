//! Early stopping on a validation score (e.g. NDCG@10 of the sign codes on a
//! validation split carved from the training ratings): keeps the best epoch's features
//! and says when `patience` epochs have passed without improvement.

use super::Features;

/// The best epoch seen so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Best {
    pub epoch: usize,
    pub score: f64,
    pub features: Features,
}

/// Tracks validation scores (larger is better).
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyStopping {
    patience: usize,
    since_best: usize,
    best: Option<Best>,
}

impl EarlyStopping {
    /// Stops after `patience` epochs without a better score.
    pub fn new(patience: usize) -> Self {
        EarlyStopping {
            patience,
            since_best: 0,
            best: None,
        }
    }

    /// Records `score` of `epoch`; `features` is called only for a new best. Returns
    /// true when training should stop.
    pub fn observe(
        &mut self,
        epoch: usize,
        score: f64,
        features: impl FnOnce() -> Features,
    ) -> bool {
        if self.best.as_ref().is_none_or(|b| score > b.score) {
            self.best = Some(Best {
                epoch,
                score,
                features: features(),
            });
            self.since_best = 0;
        } else {
            self.since_best += 1;
        }
        self.since_best >= self.patience
    }

    pub fn best(&self) -> Option<&Best> {
        self.best.as_ref()
    }

    pub fn into_best(self) -> Option<Best> {
        self.best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn features(v: f32) -> Features {
        Features {
            users: Array2::from_elem((1, 1), v),
            items: Array2::from_elem((1, 1), v),
            alpha: None,
        }
    }

    #[test]
    fn keeps_the_best_epoch_and_stops_after_patience() {
        let mut stopper = EarlyStopping::new(2);
        assert!(!stopper.observe(1, 0.5, || features(1.0)));
        assert!(!stopper.observe(2, 0.7, || features(2.0)));
        assert!(!stopper.observe(3, 0.6, || panic!("not a new best")));
        assert!(stopper.observe(4, 0.7, || panic!("ties are not improvements")));
        let best = stopper.into_best().unwrap();
        assert_eq!(
            (best.epoch, best.score, best.features),
            (2, 0.7, features(2.0))
        );
    }
}
