//! The paper's preprocessing (sec. 5.1): the similarity S derived from ratings, and
//! k-core filtering (Amazon: 20-core, Ichiba: 50-core).

use super::{Catalog, Dataset, Feedback, Interaction, Ratings};

/// Ratings above this are "similar" (S_ab = 1); the paper converts ratings > 3 to 1.
pub const SIMILAR_ABOVE: f32 = 3.0;

/// The similarity S_ab of an observed interaction (sec. 5.1): 1 when the rating
/// exceeds 3 for explicit feedback, always 1 for implicit feedback (a purchase means
/// user and item are similar), 0 otherwise. Unobserved pairs have S = 0.
pub fn similarity(feedback: Feedback, rating: f32) -> f32 {
    match feedback {
        Feedback::Implicit => 1.0,
        Feedback::Explicit if rating > SIMILAR_ABOVE => 1.0,
        Feedback::Explicit => 0.0,
    }
}

/// The k-core of `data`: repeatedly drops interactions of users or items with fewer
/// than `k` interactions until every remaining user and item has at least `k` (a fixed
/// point). Users and items left without interactions are removed and ids re-densified,
/// keeping their relative order; the catalogue follows. `k = 0` behaves like `k = 1`.
pub fn kcore(data: &Dataset, k: usize) -> Dataset {
    let ratings = &data.ratings;
    let k = k.max(1);
    let mut kept: Vec<Interaction> = ratings.interactions.clone();
    loop {
        let (users, items) = degrees(ratings, &kept);
        let before = kept.len();
        kept.retain(|r| users[r.user as usize] >= k && items[r.item as usize] >= k);
        if kept.len() == before {
            break;
        }
    }
    let (users, items) = degrees(ratings, &kept);
    let user_map = dense_map(&users);
    let item_map = dense_map(&items);
    for r in &mut kept {
        r.user = user_map[r.user as usize].unwrap_or(r.user);
        r.item = item_map[r.item as usize].unwrap_or(r.item);
    }
    let catalog = &data.catalog;
    Dataset {
        name: data.name.clone(),
        feedback: data.feedback,
        ratings: Ratings {
            n_users: user_map.iter().flatten().count(),
            n_items: item_map.iter().flatten().count(),
            interactions: kept,
        },
        catalog: Catalog {
            user_ids: select(&catalog.user_ids, &user_map),
            item_ids: select(&catalog.item_ids, &item_map),
            titles: select(&catalog.titles, &item_map),
            genres: select(&catalog.genres, &item_map),
        },
    }
}

/// Interactions per user and per item among `kept`.
fn degrees(ratings: &Ratings, kept: &[Interaction]) -> (Vec<usize>, Vec<usize>) {
    let mut users = vec![0; ratings.n_users];
    let mut items = vec![0; ratings.n_items];
    for r in kept {
        users[r.user as usize] += 1;
        items[r.item as usize] += 1;
    }
    (users, items)
}

/// New dense ids for the entities with a non-zero degree, in their old order.
fn dense_map(degrees: &[usize]) -> Vec<Option<u32>> {
    let mut next = 0;
    degrees
        .iter()
        .map(|&d| {
            (d > 0).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// The entries of `column` whose entity survives (a catalogue column may be empty).
fn select<T: Clone>(column: &[T], map: &[Option<u32>]) -> Vec<T> {
    column
        .iter()
        .zip(map)
        .filter(|(_, m)| m.is_some())
        .map(|(v, _)| v.clone())
        .collect()
}
