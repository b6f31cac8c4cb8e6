//! # ccsr
//!
//! Compact Cross-Similarity Recommender (Shi & Chung, "Learning Similarity Preserving
//! Binary Codes for Recommender Systems", 2022) and its baselines, as a plain Rust core
//! that builds natively (tests, CLI, benchmarks) and to WebAssembly (the browser app).
//!
//! The paper splits a hashing-based recommender into three modules; so does the code:
//! - feature extraction: [`model`] (autoencoders, matrix factorisation);
//! - interaction modelling: the models' losses (MAP similarity, eq. 6; rating
//!   reconstruction, eq. 9-11);
//! - binarization: [`binarize`] (sign, scaled tanh, sign-scaled tanh, continuous).
//!
//! Data flows one way: files -> [`data`] -> split -> model -> codes -> ranking ->
//! metrics. Only `wasm.rs` touches wasm-bindgen.

pub mod app;
pub mod baselines;
pub mod bench;
pub mod binarize;
pub mod codes;
pub mod data;
pub mod experiment;
pub mod explore;
pub mod export;
pub mod metrics;
pub mod model;
pub mod nn;
pub mod paper;
pub mod rank;
pub mod report;
pub mod sparse;
pub mod toy;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
