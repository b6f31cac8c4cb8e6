//! The training-run driver shared by the CLI (`ccsr train`, `ccsr reproduce`), the
//! tuning example and the web worker: a [`RunConfig`] -> [`Run::new`] -> [`Run::step`]
//! once per epoch until [`Run::is_finished`] -> [`Run::evaluate`] (test metrics of
//! sec. 5.3 as report rows) beside [`floors`] (the Random and Top rows, sec. 5.2).
//!
//! Plain Rust and wasm-compatible: no clocks (the caller times epochs), no threads; the
//! caller owns the loop, so it can pause, cancel or report between epochs.

mod config;
mod rows;
mod run;
mod settings;

pub use config::{
    alpha_growth, code_length, has_scaled_tanh, model_params, seed, EarlyStoppingConfig, RunConfig,
    RunError, DEFAULT_ALPHA_GROWTH, MODELS,
};
pub use rows::{evaluate_features, floors, PROTOCOLS};
pub use run::{EpochRecord, Run};
pub use settings::TrainSettings;

#[cfg(test)]
mod tests;
