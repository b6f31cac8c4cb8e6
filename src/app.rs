//! What the browser app keeps between requests: the loaded data set and its train/test
//! split. Plain Rust, tested natively; `src/wasm.rs` only converts types around it.
//!
//! Loading is all-or-nothing: a new [`Workspace`] exists only once its data set parsed
//! completely, so a bad file leaves the caller's previous workspace untouched.

use serde::Serialize;

use crate::binarize::{embed, Binarization, Embedding};
use crate::data::synthetic::{generate, SyntheticParams};
use crate::data::{load_files, load_zip, split, DataError, Dataset, DatasetStats, Feedback, Split};
use crate::experiment::{floors, EpochRecord, Run, RunError, TrainSettings};
use crate::explore::{code_grid, find_user, user_ranking, CodeGrid, UserRanking};
use crate::report::MetricRow;

/// The share of ratings held out for testing (sec. 5.1: 80/20).
pub const TEST_FRACTION: f64 = 0.2;

/// A loaded data set and its seeded split: per user for explicit ratings (the paper's
/// MovieLens split), global for implicit feedback (its Amazon/Ichiba split).
#[derive(Clone, Debug)]
pub struct Workspace {
    dataset: Dataset,
    split: Split,
    split_seed: u64,
}

/// What the page shows about a workspace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub name: String,
    pub feedback: Feedback,
    pub stats: DatasetStats,
    pub split: &'static str,
    pub split_seed: u64,
    pub train_ratings: usize,
    pub test_ratings: usize,
    pub has_titles: bool,
}

impl Workspace {
    /// Splits `dataset` with `split_seed`.
    pub fn new(dataset: Dataset, split_seed: u64) -> Workspace {
        let split = match dataset.feedback {
            Feedback::Explicit => split::per_user(&dataset.ratings, TEST_FRACTION, split_seed),
            Feedback::Implicit => split::global(&dataset.ratings, TEST_FRACTION, split_seed),
        };
        Workspace {
            dataset,
            split,
            split_seed,
        }
    }

    /// The built-in synthetic data set.
    pub fn synthetic(params: &SyntheticParams, split_seed: u64) -> Result<Workspace, DataError> {
        Ok(Workspace::new(generate(params)?, split_seed))
    }

    /// A release zip (ml-1m.zip, ml-100k.zip) given as bytes.
    pub fn from_zip(name: &str, bytes: &[u8], split_seed: u64) -> Result<Workspace, DataError> {
        Ok(Workspace::new(load_zip(name, bytes)?, split_seed))
    }

    /// Files picked or dropped by the user: (file name, bytes).
    pub fn from_files(
        files: &[(String, Vec<u8>)],
        split_seed: u64,
    ) -> Result<Workspace, DataError> {
        Ok(Workspace::new(load_files(files)?, split_seed))
    }

    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn split(&self) -> &Split {
        &self.split
    }

    pub fn summary(&self) -> Summary {
        Summary {
            name: self.dataset.name.clone(),
            feedback: self.dataset.feedback,
            stats: self.dataset.stats(),
            split: match self.dataset.feedback {
                Feedback::Explicit => "per-user 80/20",
                Feedback::Implicit => "global 80/20",
            },
            split_seed: self.split_seed,
            train_ratings: self.split.train.interactions.len(),
            test_ratings: self.split.test.interactions.len(),
            has_titles: self.dataset.catalog.titles.iter().any(|t| !t.is_empty()),
        }
    }
}

/// A training run on a workspace's split, driven one epoch at a time by the worker.
pub struct Training {
    settings: TrainSettings,
    run: Run,
}

/// The test rows of a trained model: its binarization (and, when it was trained
/// through a scaled tanh, both ST and SST of the same features), beside the
/// in-protocol Random and Top floors.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    pub epochs: usize,
    pub best_epoch: usize,
    pub rows: Vec<MetricRow>,
    pub floors: Vec<MetricRow>,
}

impl Training {
    /// A fresh (untrained) run of `settings` on `workspace`'s training split.
    pub fn new(settings: TrainSettings, workspace: &Workspace) -> Result<Training, RunError> {
        let run = Run::new(settings.run_config()?, workspace.split())?;
        Ok(Training { settings, run })
    }

    pub fn settings(&self) -> &TrainSettings {
        &self.settings
    }

    /// Trains one epoch.
    pub fn step(&mut self) -> Result<EpochRecord, RunError> {
        self.run.step()
    }

    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    /// The trained features (best validation epoch when early stopping) under
    /// `binarization`, by default the run's own.
    pub fn embedding(&self, binarization: Option<Binarization>) -> Result<Embedding, String> {
        let b = binarization.unwrap_or(self.settings.binarization);
        embed(&self.run.features(), b).map_err(|e| e.to_string())
    }

    /// The binary codes this run produces: SST for an ST-trained model, else S.
    fn codes_embedding(&self) -> Result<Embedding, String> {
        self.embedding(Some(if self.settings.binarization.needs_scaled_tanh() {
            Binarization::SignScaledTanh
        } else {
            Binarization::Sign
        }))
    }

    /// The history and top-`k` ranking of the user whose original id is `user_id`.
    pub fn user_ranking(
        &self,
        workspace: &Workspace,
        user_id: &str,
        k: usize,
        binarization: Option<Binarization>,
    ) -> Result<UserRanking, String> {
        let user = find_user(workspace.dataset(), user_id)?;
        let embedding = self.embedding(binarization)?;
        user_ranking(workspace.dataset(), workspace.split(), &embedding, user, k)
    }

    /// A page of the users' (`items == false`) or items' binary codes.
    pub fn code_grid(
        &self,
        workspace: &Workspace,
        items: bool,
        offset: usize,
        limit: usize,
    ) -> Result<CodeGrid, String> {
        let Embedding::Binary {
            users,
            items: item_codes,
        } = self.codes_embedding()?
        else {
            unreachable!("S and SST are binary");
        };
        let catalog = &workspace.dataset().catalog;
        Ok(if items {
            let labels: Vec<String> = (0..catalog.item_ids.len() as u32)
                .map(|i| crate::explore::title_of(workspace.dataset(), i))
                .collect();
            code_grid(&item_codes, &labels, offset, limit)
        } else {
            let labels: Vec<String> = catalog
                .user_ids
                .iter()
                .map(|u| format!("user {u}"))
                .collect();
            code_grid(&users, &labels, offset, limit)
        })
    }

    /// Scores the current (or best-validation) features on the test split.
    pub fn results(&self, workspace: &Workspace) -> Results {
        let binarizations: &[Binarization] = if self.settings.binarization.needs_scaled_tanh() {
            &[Binarization::ScaledTanh, Binarization::SignScaledTanh]
        } else {
            std::slice::from_ref(&self.settings.binarization)
        };
        let rows = self
            .run
            .evaluate_as(workspace.split(), binarizations)
            .expect("ST-trained whenever ST/SST is asked for (RunConfig::new)");
        Results {
            epochs: self.run.epochs(),
            best_epoch: self.run.best_epoch(),
            rows,
            floors: floors(workspace.split(), self.settings.seed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_workspace_is_split_per_user_and_summarised() {
        let ws = Workspace::synthetic(&SyntheticParams::default(), 7).unwrap();
        let s = ws.summary();
        assert_eq!(s.split, "per-user 80/20");
        assert_eq!(s.train_ratings + s.test_ratings, s.stats.ratings);
        let held_out = s.test_ratings as f64 / s.stats.ratings as f64;
        assert!((held_out - 0.2).abs() < 0.01, "held out {held_out}");
        assert!(s.has_titles);
        assert_eq!(s.stats.users, 600);
    }

    #[test]
    fn the_same_seed_gives_the_same_split() {
        let params = SyntheticParams::default();
        let a = Workspace::synthetic(&params, 3).unwrap();
        let b = Workspace::synthetic(&params, 3).unwrap();
        let c = Workspace::synthetic(&params, 4).unwrap();
        assert_eq!(a.split(), b.split());
        assert_ne!(a.split(), c.split());
    }

    #[test]
    fn training_steps_and_reports_st_beside_sst_with_floors() {
        let params = SyntheticParams {
            n_users: 60,
            n_items: 80,
            density: 0.1,
            ..SyntheticParams::default()
        };
        let ws = Workspace::synthetic(&params, 1).unwrap();
        let settings = TrainSettings {
            bits: 8,
            epochs: 2,
            binarization: Binarization::ScaledTanh,
            ..TrainSettings::default()
        };
        let mut training = Training::new(settings, &ws).unwrap();
        assert_eq!(training.step().unwrap().epoch, 1);
        assert!(!training.is_finished());
        training.step().unwrap();
        assert!(training.is_finished());
        let results = training.results(&ws);
        let kinds: Vec<_> = results
            .rows
            .iter()
            .map(|r| r.binarization.clone())
            .collect();
        assert!(kinds.contains(&Some("ST".into())) && kinds.contains(&Some("SST".into())));
        assert!(results.floors.iter().any(|r| r.model == "Top"));
        assert_eq!(results.epochs, 2);
    }

    #[test]
    fn a_trained_run_ranks_for_a_user_and_shows_codes() {
        let params = SyntheticParams {
            n_users: 50,
            n_items: 70,
            density: 0.1,
            ..SyntheticParams::default()
        };
        let ws = Workspace::synthetic(&params, 1).unwrap();
        let settings = TrainSettings {
            bits: 6,
            epochs: 1,
            ..TrainSettings::default()
        };
        let mut training = Training::new(settings, &ws).unwrap();
        training.step().unwrap();
        let user = ws.dataset().catalog.user_ids[3].clone();
        let view = training.user_ranking(&ws, &user, 5, None).unwrap();
        assert_eq!(view.ranking.len(), 5);
        assert!(view
            .ranking
            .windows(2)
            .all(|w| w[0].distance <= w[1].distance));
        assert_eq!(view.code.as_ref().map(String::len), Some(6));
        let continuous = training
            .user_ranking(&ws, &user, 5, Some(Binarization::Continuous))
            .unwrap();
        assert!(continuous.ranking[0].score.is_some());
        let grid = training.code_grid(&ws, true, 0, 10).unwrap();
        assert_eq!((grid.rows.len(), grid.bits, grid.total), (10, 6, 70));
        assert!(training.user_ranking(&ws, "no-such-user", 5, None).is_err());
    }

    #[test]
    fn bad_settings_are_errors() {
        let ws = Workspace::synthetic(&SyntheticParams::default(), 1).unwrap();
        for settings in [
            TrainSettings {
                model: "nope".into(),
                ..TrainSettings::default()
            },
            TrainSettings {
                epochs: 0,
                ..TrainSettings::default()
            },
            TrainSettings {
                bits: 0,
                ..TrainSettings::default()
            },
        ] {
            assert!(Training::new(settings, &ws).is_err());
        }
    }

    #[test]
    fn a_bad_file_is_an_error_naming_file_and_line() {
        let files = vec![(
            "u.data".to_owned(),
            b"1\t2\t5\t881250949\n1\t3\tfive\t881250949\n".to_vec(),
        )];
        let err = Workspace::from_files(&files, 1).unwrap_err().to_string();
        assert!(err.starts_with("u.data line 2"), "{err}");
    }
}
