//! Ratings data: the matrix R of the paper (sec. 3) as triplets with dense ids, the
//! catalogue of item titles, readers for MovieLens and delimited files, the paper's
//! preprocessing and train/test splits (sec. 5.1), and the built-in synthetic data set.
//!
//! Entry points: [`load_path`] (native: a folder or a file), [`load_zip`] and
//! [`load_files`] (bytes, as the browser has them), the per-format parsers
//! [`movielens::parse_ml1m`], [`movielens::parse_ml100k`] and [`delimited::parse`], and
//! [`synthetic::generate`]. Every reader returns a complete [`Dataset`] or a
//! [`DataError`] naming file, line and problem; none panics on any input.
//!
//! Dense ids follow increasing original ids (numeric order for numeric ids) and cover
//! only users and items with at least one interaction; interactions are sorted by
//! (user, item).

mod archive;
pub mod delimited;
mod error;
mod files;
mod ids;
pub mod movielens;
mod preprocess;
pub mod split;
mod stats;
pub mod synthetic;
mod text;

pub use archive::{load_zip, MAX_ENTRY_BYTES};
pub use error::{DataError, DataErrorKind};
pub use files::{load_files, load_path};
pub use preprocess::{kcore, similarity, SIMILAR_ABOVE};
pub use stats::DatasetStats;

use serde::{Deserialize, Serialize};

/// One observed interaction R_ab: user `user` rated item `item`.
///
/// `rating` is 1..=5 for explicit feedback (MovieLens, Amazon) and 1.0 for implicit
/// feedback (purchase logs). `timestamp` is 0 where the source has none.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub user: u32,
    pub item: u32,
    pub rating: f32,
    pub timestamp: i64,
}

/// Whether ratings are graded (explicit) or all 1 (implicit, e.g. purchases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feedback {
    Explicit,
    Implicit,
}

/// The sparse rating matrix R (m users x n items) as a list of interactions whose
/// `user < n_users` and `item < n_items` (dense indices).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    pub n_users: usize,
    pub n_items: usize,
    pub interactions: Vec<Interaction>,
}

/// Display information, indexed by dense ids: the original id of every user and item,
/// and item titles and genres where the source has them (empty strings/lists otherwise).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub user_ids: Vec<String>,
    pub item_ids: Vec<String>,
    pub titles: Vec<String>,
    pub genres: Vec<Vec<String>>,
}

/// A loaded data set: ratings with dense ids plus the catalogue that names them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub name: String,
    pub feedback: Feedback,
    pub ratings: Ratings,
    pub catalog: Catalog,
}

/// A train/test partition of one `Ratings` (same `n_users`, `n_items`, dense ids).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Split {
    pub train: Ratings,
    pub test: Ratings,
}

/// The seeded random generator every random choice in the crate uses: a fixed algorithm
/// (PCG 64-bit MCG), so a seed gives the same stream natively and in wasm.
pub type SeededRng = rand_pcg::Pcg64Mcg;

/// A generator for `seed` (`rand::SeedableRng::seed_from_u64`).
pub fn seeded_rng(seed: u64) -> SeededRng {
    use rand::SeedableRng;
    SeededRng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use rand::RngExt;

    #[test]
    fn seeded_rng_repeats_its_stream() {
        let a: Vec<u32> = (0..4)
            .map({
                let mut r = super::seeded_rng(7);
                move |_| r.random()
            })
            .collect();
        let b: Vec<u32> = (0..4)
            .map({
                let mut r = super::seeded_rng(7);
                move |_| r.random()
            })
            .collect();
        let c: Vec<u32> = (0..4)
            .map({
                let mut r = super::seeded_rng(8);
                move |_| r.random()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
