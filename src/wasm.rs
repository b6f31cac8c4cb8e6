//! The wasm-bindgen API the web worker calls. Only this file touches wasm-bindgen: it
//! converts JS values to Rust types and back and calls the plain-Rust core; no logic here.

use std::sync::Mutex;
use wasm_bindgen::prelude::*;

use crate::app::{Training, Workspace};
use crate::data::synthetic::SyntheticParams;
use crate::data::DataError;
use crate::experiment::TrainSettings;

/// The message of the last panic, kept so the worker can report it as text (the panic
/// itself surfaces in JS only as `RuntimeError: unreachable`).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs the panic hook once, when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
        console_error_panic_hook::hook(info);
    }));
}

/// Takes (and clears) the message of the last Rust panic, if any.
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}

/// The crate version, so the page can show which core it talks to.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The Figure 2 toy comparison for one of the paper's two examples
/// (`"order-reversal"` or `"sst-tie"`) at scaled-tanh slope `alpha`.
/// Warms the training code up (see `app::warm_up`): the worker calls it once when it
/// starts.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up() {
    crate::app::warm_up();
}

#[wasm_bindgen(js_name = toyFigure2)]
pub fn toy_figure2(example: &str, alpha: f64) -> Result<JsValue, JsError> {
    let toy = match example {
        "order-reversal" => crate::toy::ToyFeatures::order_reversal(),
        "sst-tie" => crate::toy::ToyFeatures::sst_tie(),
        other => return Err(JsError::new(&format!("unknown toy example {other:?}"))),
    };
    to_js(&toy.compare(alpha).map_err(|e| JsError::new(&e))?)
}

/// The Figure 2 toy comparison for any features a, b, c (equal length, finite) at
/// scaled-tanh slope `alpha`.
#[wasm_bindgen(js_name = toyFromFeatures)]
pub fn toy_from_features(
    a: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
    alpha: f64,
) -> Result<JsValue, JsError> {
    let toy = crate::toy::ToyFeatures::new(a, b, c).map_err(|e| JsError::new(&e))?;
    to_js(&toy.compare(alpha).map_err(|e| JsError::new(&e))?)
}

/// The app's state in the worker: the loaded data set and its split. A load that fails
/// returns the reader's error (file, line, problem) and keeps the previous data set.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    workspace: Option<Workspace>,
    training: Option<Training>,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Generates the built-in synthetic data set (`params` null or undefined: the
    /// defaults) and returns its summary.
    #[wasm_bindgen(js_name = loadSynthetic)]
    pub fn load_synthetic(&mut self, params: JsValue, split_seed: u32) -> Result<JsValue, JsError> {
        let params: SyntheticParams = if params.is_null() || params.is_undefined() {
            SyntheticParams::default()
        } else {
            serde_wasm_bindgen::from_value(params).map_err(js_error)?
        };
        self.replace(Workspace::synthetic(&params, split_seed.into()))
    }

    /// Reads a release zip (ml-1m.zip, ml-100k.zip) from its bytes.
    #[wasm_bindgen(js_name = loadZip)]
    pub fn load_zip(
        &mut self,
        name: &str,
        bytes: &[u8],
        split_seed: u32,
    ) -> Result<JsValue, JsError> {
        self.replace(Workspace::from_zip(name, bytes, split_seed.into()))
    }

    /// Reads picked files, given as `[[name, Uint8Array], ...]`.
    #[wasm_bindgen(js_name = loadFiles)]
    pub fn load_files(
        &mut self,
        files: js_sys::Array,
        split_seed: u32,
    ) -> Result<JsValue, JsError> {
        let files = files
            .iter()
            .map(|pair| {
                let pair = js_sys::Array::from(&pair);
                let name = pair
                    .get(0)
                    .as_string()
                    .ok_or_else(|| JsError::new("file name must be a string"))?;
                Ok((name, js_sys::Uint8Array::new(&pair.get(1)).to_vec()))
            })
            .collect::<Result<Vec<_>, JsError>>()?;
        self.replace(Workspace::from_files(&files, split_seed.into()))
    }

    /// The summary of the loaded data set.
    pub fn summary(&self) -> Result<JsValue, JsError> {
        let workspace = self
            .workspace
            .as_ref()
            .ok_or_else(|| JsError::new("no data set loaded"))?;
        to_js(&workspace.summary())
    }

    /// Sets up an untrained run of `settings` (a `TrainSettings` object; missing fields
    /// take the defaults) on the loaded data set; returns the settings used.
    pub fn configure(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let settings: TrainSettings = serde_wasm_bindgen::from_value(settings).map_err(js_error)?;
        let training = Training::new(settings, self.workspace()?).map_err(js_error)?;
        let used = to_js(training.settings());
        self.training = Some(training);
        used
    }

    /// Trains one epoch; returns its record (epoch, loss terms, validation metrics).
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.training_mut()?.step().map_err(js_error)?)
    }

    /// Trains at most `max_batches` mini-batches of the current epoch; returns
    /// `{ fraction, record }`, `record` (as from `step`) set when an epoch completed.
    pub fn advance(&mut self, max_batches: u32) -> Result<JsValue, JsError> {
        let progress = self
            .training_mut()?
            .advance(max_batches as usize)
            .map_err(js_error)?;
        to_js(&progress)
    }

    #[wasm_bindgen(js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.training.as_ref().is_none_or(Training::is_finished)
    }

    /// Test metrics of the trained model beside the Random and Top floors.
    pub fn results(&self) -> Result<JsValue, JsError> {
        let training = self
            .training
            .as_ref()
            .ok_or_else(|| JsError::new("no model configured"))?;
        to_js(&training.results(self.workspace()?))
    }

    /// The user's history and top-`k` items (`binarization`: "Sign", "ScaledTanh",
    /// "SignScaledTanh", "Continuous", or undefined for the run's own).
    #[wasm_bindgen(js_name = userRanking)]
    pub fn user_ranking(
        &self,
        user_id: &str,
        k: usize,
        binarization: JsValue,
    ) -> Result<JsValue, JsError> {
        let binarization = if binarization.is_undefined() || binarization.is_null() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(binarization).map_err(js_error)?)
        };
        let view = self
            .training()?
            .user_ranking(self.workspace()?, user_id, k, binarization);
        to_js(&view.map_err(js_error)?)
    }

    /// The run report (settings, data set, epochs, results) as pretty JSON text.
    pub fn report(&self) -> Result<String, JsError> {
        let report = self.training()?.report(self.workspace()?);
        serde_json::to_string_pretty(&report).map_err(js_error)
    }

    /// The run's binary codes in FAISS `IndexBinary` layout with their id map, as zip
    /// bytes (see `crate::export`).
    #[wasm_bindgen(js_name = exportFaiss)]
    pub fn export_faiss(&self) -> Result<Vec<u8>, JsError> {
        self.training()?
            .faiss_zip(self.workspace()?)
            .map_err(js_error)
    }

    /// A page of binary codes: `items` true for items, false for users.
    pub fn codes(&self, items: bool, offset: usize, limit: usize) -> Result<JsValue, JsError> {
        let grid = self
            .training()?
            .code_grid(self.workspace()?, items, offset, limit);
        to_js(&grid.map_err(js_error)?)
    }

    /// Forgets the current run (the data set stays).
    #[wasm_bindgen(js_name = dropTraining)]
    pub fn drop_training(&mut self) {
        self.training = None;
    }

    fn workspace(&self) -> Result<&Workspace, JsError> {
        self.workspace
            .as_ref()
            .ok_or_else(|| JsError::new("no data set loaded"))
    }

    fn training(&self) -> Result<&Training, JsError> {
        self.training
            .as_ref()
            .ok_or_else(|| JsError::new("no model configured"))
    }

    fn training_mut(&mut self) -> Result<&mut Training, JsError> {
        self.training
            .as_mut()
            .ok_or_else(|| JsError::new("no model configured"))
    }

    fn replace(&mut self, loaded: Result<Workspace, DataError>) -> Result<JsValue, JsError> {
        let workspace = loaded.map_err(js_error)?;
        let summary = to_js(&workspace.summary());
        self.workspace = Some(workspace);
        self.training = None;
        summary
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Panics on purpose with `message`: lets the app and its tests check that a Rust panic
/// reaches the page as a readable error.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic(message: &str) {
    panic!("{message}");
}

// Benchmarks
//
// Entry points for the browser benchmark (www/bench.html, `npm run bench:browser`): the
// work is plain Rust in `crate::bench`, the same code the native example
// `examples/bench_rank.rs` times, so that the two can be compared on the same codes.

/// Seeded random user and item codes (`crate::bench::random_codes`, item seed
/// `seed + 1`), ranked by `rank` for every user; timed from JS.
#[wasm_bindgen]
pub struct RankBench {
    users: crate::codes::BinaryCodes,
    items: crate::codes::BinaryCodes,
}

#[wasm_bindgen]
impl RankBench {
    #[wasm_bindgen(constructor)]
    pub fn new(n_users: usize, n_items: usize, bits: usize, seed: u32) -> RankBench {
        let seed = u64::from(seed);
        RankBench {
            users: crate::bench::random_codes(n_users, bits, seed),
            items: crate::bench::random_codes(n_items, bits, seed + 1),
        }
    }

    /// The codes of the session's trained run (S, or SST for an ST-trained model).
    #[wasm_bindgen(js_name = fromSession)]
    pub fn from_session(session: &Session) -> Result<RankBench, JsError> {
        let training = session.training()?;
        let binarization = if training.settings().binarization.needs_scaled_tanh() {
            crate::binarize::Binarization::SignScaledTanh
        } else {
            crate::binarize::Binarization::Sign
        };
        match training.embedding(Some(binarization)).map_err(js_error)? {
            crate::binarize::Embedding::Binary { users, items } => Ok(RankBench { users, items }),
            crate::binarize::Embedding::Continuous { .. } => {
                Err(JsError::new("the run has no binary codes"))
            }
        }
    }

    #[wasm_bindgen(getter)]
    pub fn users(&self) -> usize {
        self.users.len()
    }

    #[wasm_bindgen(getter)]
    pub fn items(&self) -> usize {
        self.items.len()
    }

    #[wasm_bindgen(getter)]
    pub fn bits(&self) -> usize {
        self.items.bits()
    }

    /// The user (`side` "users") or item ("items") codes in FAISS's layout
    /// (`crate::export::faiss_codes`), which the native `bench_rank --codes DIR` reads: so
    /// the benchmark ranks the same trained codes natively.
    #[wasm_bindgen(js_name = faissCodes)]
    pub fn faiss_codes(&self, side: &str) -> Result<Vec<u8>, JsError> {
        let codes = match side {
            "users" => &self.users,
            "items" => &self.items,
            _ => return Err(JsError::new("side is \"users\" or \"items\"")),
        };
        Ok(crate::export::faiss_codes(codes).bytes)
    }

    /// Ranks the whole catalogue for every user by `method` ("reference", "per-user",
    /// "full", "top:K", ...; see `crate::bench::Method`); returns the checksum in hex.
    pub fn rank(&self, method: &str) -> Result<String, JsError> {
        let method = crate::bench::Method::parse(method).map_err(|e| JsError::new(&e))?;
        let summary = crate::bench::rank_all(&self.users, &self.items, method);
        Ok(format!("{:x}", summary.checksum))
    }
}
