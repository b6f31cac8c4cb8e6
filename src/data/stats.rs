//! Summary numbers of a data set, as in the paper's Table 2 plus a rating histogram.

use super::{Dataset, Ratings};
use serde::{Deserialize, Serialize};

/// Users, items, ratings and density (ratings / (users * items)) as in Table 2, the
/// count of each distinct rating value (ascending), and the fewest interactions of any
/// user and of any item (0 when some user or item has none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetStats {
    pub users: usize,
    pub items: usize,
    pub ratings: usize,
    pub density: f64,
    pub rating_histogram: Vec<(f32, usize)>,
    pub min_user_ratings: usize,
    pub min_item_ratings: usize,
}

impl Ratings {
    /// The [`DatasetStats`] of this matrix.
    pub fn stats(&self) -> DatasetStats {
        let mut values: Vec<f32> = self.interactions.iter().map(|r| r.rating).collect();
        values.sort_unstable_by(f32::total_cmp);
        let mut rating_histogram: Vec<(f32, usize)> = Vec::new();
        for v in values {
            match rating_histogram.last_mut() {
                Some((last, count)) if *last == v => *count += 1,
                _ => rating_histogram.push((v, 1)),
            }
        }
        let mut per_user = vec![0; self.n_users];
        let mut per_item = vec![0; self.n_items];
        for r in &self.interactions {
            per_user[r.user as usize] += 1;
            per_item[r.item as usize] += 1;
        }
        let cells = self.n_users as f64 * self.n_items as f64;
        DatasetStats {
            users: self.n_users,
            items: self.n_items,
            ratings: self.interactions.len(),
            density: if cells > 0.0 {
                self.interactions.len() as f64 / cells
            } else {
                0.0
            },
            rating_histogram,
            min_user_ratings: per_user.into_iter().min().unwrap_or(0),
            min_item_ratings: per_item.into_iter().min().unwrap_or(0),
        }
    }
}

impl Dataset {
    /// The [`DatasetStats`] of this data set's ratings.
    pub fn stats(&self) -> DatasetStats {
        self.ratings.stats()
    }
}
