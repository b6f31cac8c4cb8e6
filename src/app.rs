//! What the browser app keeps between requests: the loaded data set and its train/test
//! split. Plain Rust, tested natively; `src/wasm.rs` only converts types around it.
//!
//! Loading is all-or-nothing: a new [`Workspace`] exists only once its data set parsed
//! completely, so a bad file leaves the caller's previous workspace untouched.

use std::cell::RefCell;

use serde::Serialize;

use crate::binarize::{embed, Binarization, Embedding};
use crate::data::synthetic::{generate, SyntheticParams};
use crate::data::{load_files, load_zip, split, DataError, Dataset, DatasetStats, Feedback, Split};
use crate::experiment::{floors, EpochRecord, Run, RunError, TrainSettings};
use crate::explore::{code_grid, find_user, user_ranking, CodeGrid, UserRanking};
use crate::paper::{paper_column, PaperColumn};
use crate::report::{scaled_tanh_drop, MetricRow, ScaledTanhDrop};

/// The share of ratings held out for testing (sec. 5.1: 80/20).
pub const TEST_FRACTION: f64 = 0.2;

/// A loaded data set and its seeded split: per user for explicit ratings (the paper's
/// MovieLens split), global for implicit feedback (its Amazon/Ichiba split).
#[derive(Clone, Debug)]
pub struct Workspace {
    dataset: Dataset,
    split: Split,
    split_seed: u64,
    /// The Random and Top rows of the split for a tie-breaking seed, computed on the
    /// first request (they do not depend on the model; ~0.7 s in wasm on ml-1m-head).
    floors: RefCell<Option<(u64, Vec<MetricRow>)>>,
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
            floors: RefCell::new(None),
        }
    }

    /// The Random and Top rows of the split, ties broken at random with `seed`.
    pub fn floors(&self, seed: u64) -> Vec<MetricRow> {
        let mut cached = self.floors.borrow_mut();
        match &*cached {
            Some((s, rows)) if *s == seed => rows.clone(),
            _ => {
                let rows = floors(&self.split, seed);
                *cached = Some((seed, rows.clone()));
                rows
            }
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

/// Where a run stands after [`Training::advance`]: the share of the current epoch done
/// (0 right after an epoch ends) and the record of the epoch it completed, if any.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    pub fraction: f64,
    pub record: Option<EpochRecord>,
}

/// A training run on a workspace's split, driven by the worker one epoch
/// ([`Training::step`]) or a few mini-batches ([`Training::advance`]) at a time.
pub struct Training {
    settings: TrainSettings,
    run: Run,
    /// Every epoch's record so far, for the run report.
    history: Vec<EpochRecord>,
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
    /// The paper's numbers beside `rows` (MovieLens 1M only).
    pub paper: PaperColumn,
    /// SST minus ST per protocol, when the run was trained through a scaled tanh.
    pub sst_drop: Vec<ScaledTanhDrop>,
}

/// Everything about a run, as the page's "run report" download: what was trained on
/// what, every epoch's loss terms and validation metrics, and the test results beside
/// the floors and the paper's numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    /// "ccsr-run-report/1".
    pub format: &'static str,
    pub versions: Versions,
    pub seed: u64,
    pub settings: TrainSettings,
    pub dataset: Summary,
    pub epochs: Vec<EpochRecord>,
    pub results: Results,
}

/// Which software and tables produced a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Versions {
    pub ccsr: &'static str,
    pub paper: String,
}

impl Training {
    /// A fresh (untrained) run of `settings` on `workspace`'s training split.
    pub fn new(settings: TrainSettings, workspace: &Workspace) -> Result<Training, RunError> {
        let run = Run::new(settings.run_config()?, workspace.split())?;
        Ok(Training {
            settings,
            run,
            history: Vec::new(),
        })
    }

    pub fn settings(&self) -> &TrainSettings {
        &self.settings
    }

    /// Trains one epoch (the rest of the one in progress, if any).
    pub fn step(&mut self) -> Result<EpochRecord, RunError> {
        let record = self.run.step()?;
        self.history.push(record.clone());
        Ok(record)
    }

    /// Trains at most `max_batches` mini-batches, so that the worker can answer pause
    /// and cancel within an epoch; `record` is set when this completed an epoch.
    pub fn advance(&mut self, max_batches: usize) -> Result<Progress, RunError> {
        let record = self.run.advance(max_batches)?;
        if let Some(record) = &record {
            self.history.push(record.clone());
        }
        Ok(Progress {
            fraction: self.run.epoch_fraction(),
            record,
        })
    }

    /// The records of the epochs trained so far.
    pub fn history(&self) -> &[EpochRecord] {
        &self.history
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
        let dataset = workspace.dataset();
        Results {
            epochs: self.run.epochs(),
            best_epoch: self.run.best_epoch(),
            paper: paper_column(&dataset.name, dataset.ratings.n_users, &rows),
            sst_drop: scaled_tanh_drop(&rows),
            rows,
            floors: workspace.floors(self.settings.seed),
        }
    }

    /// The run report: settings, data set, epochs and results (see [`RunReport`]).
    pub fn report(&self, workspace: &Workspace) -> RunReport {
        RunReport {
            format: "ccsr-run-report/1",
            versions: Versions {
                ccsr: env!("CARGO_PKG_VERSION"),
                paper: crate::paper::tables()["source"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            },
            seed: self.settings.seed,
            settings: self.settings.clone(),
            dataset: workspace.summary(),
            epochs: self.history.clone(),
            results: self.results(workspace),
        }
    }

    /// The run's binary codes (SST for an ST-trained model, else S) in FAISS
    /// `IndexBinary` layout, zipped with their id map (see [`crate::export`]).
    pub fn faiss_zip(&self, workspace: &Workspace) -> Result<Vec<u8>, String> {
        let Embedding::Binary { users, items } = self.codes_embedding()? else {
            unreachable!("S and SST are binary");
        };
        crate::export::faiss_zip("ccsr-codes", &users, &items, &workspace.dataset().catalog)
            .map_err(|e| e.to_string())
    }
}

/// Trains CCSR (r = 40, 2 epochs, mini-batches of 32) on a 100 x 150 synthetic data set
/// and evaluates it, then discards it: about 0.1 s in wasm. V8 runs a wasm function in
/// its baseline tier until it has run hot, and switches to the optimised code only at a
/// later call, so a run's first epoch used to spend its first calls of every training
/// function in the baseline tier (in Chromium ~1.0 s against ~0.55 s for later epochs,
/// BENCHMARKS.md, fourth pass). The worker calls this once when it starts, so that the
/// optimising compiles run in the background before a real training begins.
/// Returns the number of epochs trained.
pub fn warm_up() -> usize {
    let params = SyntheticParams {
        n_users: 100,
        n_items: 150,
        ..SyntheticParams::default()
    };
    let workspace = Workspace::synthetic(&params, 1).expect("valid synthetic parameters");
    let settings = TrainSettings {
        bits: 40,
        epochs: 2,
        set: [("batch_size".to_owned(), 32.into())].into(),
        ..TrainSettings::default()
    };
    let mut training = Training::new(settings, &workspace).expect("valid settings");
    while !training.is_finished() {
        training.step().expect("the warm-up trains");
    }
    training.results(&workspace);
    training.history().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_are_kept_per_tie_seed() {
        let ws = Workspace::synthetic(&SyntheticParams::default(), 3).unwrap();
        let (a, b) = (floors(ws.split(), 1), floors(ws.split(), 2));
        assert_ne!(a, b, "random tie-breaking depends on the seed");
        assert_eq!(ws.floors(1), a);
        assert_eq!(ws.floors(1), a);
        assert_eq!(ws.floors(2), b);
        assert_eq!(ws.floors(1), a);
    }

    #[test]
    fn warm_up_trains_its_two_epochs() {
        assert_eq!(warm_up(), 2);
    }

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

    fn tiny_workspace() -> Workspace {
        let params = SyntheticParams {
            n_users: 40,
            n_items: 50,
            density: 0.15,
            ..SyntheticParams::default()
        };
        Workspace::synthetic(&params, 1).unwrap()
    }

    #[test]
    fn the_run_report_has_settings_data_epochs_and_results() {
        let ws = tiny_workspace();
        let settings = TrainSettings {
            bits: 10,
            epochs: 2,
            seed: 5,
            patience: Some(1),
            ..TrainSettings::default()
        };
        let mut training = Training::new(settings, &ws).unwrap();
        training.step().unwrap();
        training.step().unwrap();
        let json = serde_json::to_value(training.report(&ws)).unwrap();
        assert_eq!(json["format"], "ccsr-run-report/1");
        assert_eq!(json["versions"]["ccsr"], env!("CARGO_PKG_VERSION"));
        assert!(json["versions"]["paper"]
            .as_str()
            .unwrap()
            .contains("Shi & Chung"));
        assert_eq!(json["seed"], 5);
        assert_eq!(json["settings"]["model"], "ccsr");
        assert_eq!(json["settings"]["bits"], 10);
        assert_eq!(json["settings"]["binarization"], "Sign");
        assert_eq!(json["settings"]["patience"], 1);
        assert_eq!(json["dataset"]["stats"]["users"], 40);
        assert_eq!(json["dataset"]["name"], "Synthetic (seed 42)");
        let epochs = json["epochs"].as_array().unwrap();
        assert_eq!(epochs.len(), 2);
        assert_eq!(epochs[1]["epoch"], 2);
        assert!(epochs[0]["loss"]["terms"].as_array().unwrap().len() >= 2);
        assert!(epochs[1]["validation"]["ndcg_at_10"].is_number());
        let results = &json["results"];
        assert_eq!(results["epochs"], 2);
        let rows = results["rows"].as_array().unwrap();
        assert!(rows.iter().all(|r| r["model"] == "CCSR" && r["bits"] == 10));
        assert!(rows[0]["ndcg@10"].is_number());
        assert!(results["floors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["model"] == "Random"));
        assert_eq!(
            results["paper"]["cells"].as_array().unwrap().len(),
            rows.len()
        );
        assert!(results["paper"]["note"]
            .as_str()
            .unwrap()
            .starts_with("The paper has no number for Synthetic"));
    }

    #[test]
    fn the_faiss_zip_matches_the_shown_codes() {
        let ws = tiny_workspace();
        let settings = TrainSettings {
            bits: 12,
            epochs: 1,
            ..TrainSettings::default()
        };
        let mut training = Training::new(settings, &ws).unwrap();
        training.step().unwrap();
        let bytes = training.faiss_zip(&ws).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut users = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name("ccsr-codes/users.u8").unwrap(), &mut users)
            .unwrap();
        assert_eq!(users.len(), 40 * 2);
        // Row 3's bits are the code the explorer shows for that user.
        let grid = training.code_grid(&ws, false, 3, 1).unwrap();
        let shown = &grid.rows[0].code;
        let row = &users[3 * 2..4 * 2];
        let unpacked: String = (0..12)
            .map(|j| {
                if row[j / 8] >> (j % 8) & 1 == 1 {
                    '1'
                } else {
                    '0'
                }
            })
            .collect();
        assert_eq!(&unpacked, shown);
    }

    #[test]
    fn advancing_by_batches_reports_fractions_and_the_same_epochs_as_step() {
        let params = SyntheticParams {
            n_users: 300,
            n_items: 400,
            density: 0.05,
            ..SyntheticParams::default()
        };
        let ws = Workspace::synthetic(&params, 1).unwrap();
        let settings = TrainSettings {
            bits: 8,
            epochs: 2,
            set: [("batch_size".to_owned(), serde_json::Value::from(128))].into(),
            ..TrainSettings::default()
        };
        let mut stepped = Training::new(settings.clone(), &ws).unwrap();
        let mut advanced = Training::new(settings, &ws).unwrap();
        for epoch in 1..=2 {
            let expected = stepped.step().unwrap();
            let mut fractions = Vec::new();
            let record = loop {
                let progress = advanced.advance(2).unwrap();
                match progress.record {
                    Some(record) => break record,
                    None => fractions.push(progress.fraction),
                }
            };
            assert_eq!(record, expected, "epoch {epoch}");
            // 300 / 128 + 400 / 128 rounded up: 7 batches, 2 per call.
            assert_eq!(fractions, [2.0 / 7.0, 4.0 / 7.0, 6.0 / 7.0]);
        }
        assert!(advanced.is_finished());
        assert!(advanced.advance(1).is_err());
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
