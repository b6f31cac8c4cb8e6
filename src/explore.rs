//! What a reader looks at after training: one user's rated movies and their top-k items
//! by Hamming distance (or inner product for C and ST), with tie groups and held-out
//! ratings, and the binary codes as a grid with the balance of every bit (sec. 4.2's
//! balance loss aims at half the codes having each bit set).

use serde::Serialize;

use crate::binarize::Embedding;
use crate::codes::BinaryCodes;
use crate::data::{Dataset, Split};
use crate::rank::{by_hamming_top, by_score, Ranking};

/// An item the user rated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RatedItem {
    pub item: u32,
    pub id: String,
    pub title: String,
    pub rating: f32,
}

/// One position of a user's ranking over the items they did not rate in training.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedItem {
    /// 1-based position (ties listed in catalogue order).
    pub rank: usize,
    pub item: u32,
    pub id: String,
    pub title: String,
    /// Hamming distance to the user's code (binary codes) ...
    pub distance: Option<u32>,
    /// ... or inner product with the user's features (C, ST).
    pub score: Option<f32>,
    /// How many items share this distance (score): the tie group this item is in.
    pub tie_size: usize,
    /// The user's held-out rating of this item, if it is one of their test items.
    pub test_rating: Option<f32>,
    /// The item's code as '0'/'1' characters (binary embeddings only).
    pub code: Option<String>,
}

/// A user's training history, code and top-k ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserRanking {
    pub user: u32,
    pub id: String,
    /// The user's training ratings, best first.
    pub history: Vec<RatedItem>,
    /// The user's held-out ratings, best first.
    pub held_out: Vec<RatedItem>,
    /// The user's code as '0'/'1' characters (binary embeddings only).
    pub code: Option<String>,
    pub ranking: Vec<RankedItem>,
}

/// The dense index of the user whose original id is `id`.
pub fn find_user(dataset: &Dataset, id: &str) -> Result<u32, String> {
    dataset
        .catalog
        .user_ids
        .iter()
        .position(|u| u == id)
        .map(|i| i as u32)
        .ok_or_else(|| format!("no user with id {id:?} in {}", dataset.name))
}

/// The item's title, or "item ID" when the data set has none.
pub fn title_of(dataset: &Dataset, item: u32) -> String {
    let catalog = &dataset.catalog;
    match catalog.titles.get(item as usize) {
        Some(t) if !t.is_empty() => t.clone(),
        _ => format!("item {}", catalog.item_ids[item as usize]),
    }
}

fn rated(dataset: &Dataset, ratings: &crate::data::Ratings, user: u32) -> Vec<RatedItem> {
    let mut items: Vec<RatedItem> = ratings
        .interactions
        .iter()
        .filter(|r| r.user == user)
        .map(|r| RatedItem {
            item: r.item,
            id: dataset.catalog.item_ids[r.item as usize].clone(),
            title: title_of(dataset, r.item),
            rating: r.rating,
        })
        .collect();
    items.sort_by(|a, b| b.rating.total_cmp(&a.rating).then(a.item.cmp(&b.item)));
    items
}

/// The code of entity `i` as '0'/'1' characters, bit 0 first.
pub fn code_string(codes: &BinaryCodes, i: usize) -> String {
    (0..codes.bits())
        .map(|j| if codes.bit(i, j) { '1' } else { '0' })
        .collect()
}

/// `user`'s history and top-`k` items among those they did not rate in training (the
/// full-catalogue protocol's candidates), ranked under `embedding`.
pub fn user_ranking(
    dataset: &Dataset,
    split: &Split,
    embedding: &Embedding,
    user: u32,
    k: usize,
) -> Result<UserRanking, String> {
    if user as usize >= split.train.n_users {
        return Err(format!("user index {user} out of range"));
    }
    let history = rated(dataset, &split.train, user);
    let held_out = rated(dataset, &split.test, user);
    let mut in_train = vec![false; split.train.n_items];
    for r in &history {
        in_train[r.item as usize] = true;
    }
    let candidates: Vec<u32> = (0..split.train.n_items as u32)
        .filter(|&i| !in_train[i as usize])
        .collect();
    let test_rating = |item: u32| held_out.iter().find(|r| r.item == item).map(|r| r.rating);
    let item_code = |item: u32| match embedding {
        Embedding::Binary { items, .. } => Some(code_string(items, item as usize)),
        Embedding::Continuous { .. } => None,
    };
    let ranked_item = |rank, item: u32, distance, score, tie_size| RankedItem {
        rank,
        item,
        id: dataset.catalog.item_ids[item as usize].clone(),
        title: title_of(dataset, item),
        distance,
        score,
        tie_size,
        test_rating: test_rating(item),
        code: item_code(item),
    };
    let (code, ranking) = match embedding {
        Embedding::Binary { users, items } => {
            let ranking = by_hamming_top(users.code(user as usize), items, &candidates, k);
            let top = top_k(&ranking, k, |d, item, rank, size| {
                ranked_item(rank, item, Some(d), None, size)
            });
            (Some(code_string(users, user as usize)), top)
        }
        Embedding::Continuous { users, items } => {
            let u = users.row(user as usize);
            let ranking = by_score(&candidates, |i| u.dot(&items.row(i as usize)), k);
            let top = top_k(&ranking, k, |s, item, rank, size| {
                ranked_item(rank, item, None, Some(s), size)
            });
            (None, top)
        }
    };
    Ok(UserRanking {
        user,
        id: dataset.catalog.user_ids[user as usize].clone(),
        history,
        held_out,
        code,
        ranking,
    })
}

/// The first `k` positions of `ranking`, each with its group's key and size.
fn top_k<K: Copy>(
    ranking: &Ranking<K>,
    k: usize,
    mut item: impl FnMut(K, u32, usize, usize) -> RankedItem,
) -> Vec<RankedItem> {
    let mut out = Vec::with_capacity(k);
    for (group, items) in ranking.tie_groups() {
        for &i in items {
            if out.len() == k {
                return out;
            }
            out.push(item(group.key, i, out.len() + 1, group.size));
        }
    }
    out
}

/// A page of codes (`rows`, from `offset`) and the balance of every bit over all codes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeGrid {
    pub bits: usize,
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<CodeRow>,
    /// Fraction of all codes with bit j set; 0.5 is perfectly balanced.
    pub balance: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodeRow {
    pub index: u32,
    pub label: String,
    pub code: String,
}

/// Codes `offset..offset + limit` labelled by `labels`, and every bit's balance.
pub fn code_grid(codes: &BinaryCodes, labels: &[String], offset: usize, limit: usize) -> CodeGrid {
    let n = codes.len();
    let balance = (0..codes.bits())
        .map(|j| (0..n).filter(|&i| codes.bit(i, j)).count() as f64 / n.max(1) as f64)
        .collect();
    let rows = (offset.min(n)..(offset + limit).min(n))
        .map(|i| CodeRow {
            index: i as u32,
            label: labels[i].clone(),
            code: code_string(codes, i),
        })
        .collect();
    CodeGrid {
        bits: codes.bits(),
        total: n,
        offset,
        rows,
        balance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Catalog, Dataset, Feedback, Interaction, Ratings};
    use ndarray::array;

    fn tiny() -> (Dataset, Split) {
        let r = |user, item, rating| Interaction {
            user,
            item,
            rating,
            timestamp: 0,
        };
        let ratings = |v: Vec<Interaction>| Ratings {
            n_users: 2,
            n_items: 4,
            interactions: v,
        };
        let dataset = Dataset {
            name: "tiny".into(),
            feedback: Feedback::Explicit,
            ratings: ratings(vec![r(0, 0, 5.0), r(0, 2, 4.0), r(1, 1, 3.0)]),
            catalog: Catalog {
                user_ids: vec!["10".into(), "20".into()],
                item_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                titles: vec!["A".into(), "B".into(), "C".into(), String::new()],
                genres: vec![vec![]; 4],
            },
        };
        let split = Split {
            train: ratings(vec![r(0, 0, 5.0), r(1, 1, 3.0)]),
            test: ratings(vec![r(0, 2, 4.0)]),
        };
        (dataset, split)
    }

    #[test]
    fn ranking_excludes_training_items_and_marks_ties_and_test_items() {
        let (dataset, split) = tiny();
        // User 0 = (+,+); items: a (+,+) is rated, b (-,-) d=2, c (+,-) d=1, d (+,-) d=1.
        let users = BinaryCodes::from_signs(array![[1.0f32, 1.0], [-1.0, -1.0]].view());
        let items = BinaryCodes::from_signs(
            array![[1.0f32, 1.0], [-1.0, -1.0], [1.0, -1.0], [1.0, -1.0]].view(),
        );
        let embedding = Embedding::Binary { users, items };
        let view = user_ranking(
            &dataset,
            &split,
            &embedding,
            find_user(&dataset, "10").unwrap(),
            3,
        )
        .unwrap();
        assert_eq!(view.code.as_deref(), Some("11"));
        let got: Vec<_> = view
            .ranking
            .iter()
            .map(|r| {
                (
                    r.title.as_str(),
                    r.distance.unwrap(),
                    r.tie_size,
                    r.test_rating,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("C", 1, 2, Some(4.0)),
                ("item d", 1, 2, None),
                ("B", 2, 1, None)
            ]
        );
        assert_eq!(view.history[0].title, "A");
        assert_eq!(view.held_out[0].rating, 4.0);
        assert!(find_user(&dataset, "99").unwrap_err().contains("no user"));
    }

    #[test]
    fn continuous_ranking_orders_by_inner_product() {
        let (dataset, split) = tiny();
        let embedding = Embedding::Continuous {
            users: array![[1.0f32, 0.0], [0.0, 1.0]],
            items: array![[9.0f32, 0.0], [0.5, 0.0], [2.0, 0.0], [-1.0, 0.0]],
        };
        let view = user_ranking(&dataset, &split, &embedding, 0, 10).unwrap();
        let order: Vec<_> = view.ranking.iter().map(|r| r.item).collect();
        assert_eq!(order, vec![2, 1, 3]);
        assert_eq!(view.ranking[0].score, Some(2.0));
    }

    #[test]
    fn code_grid_pages_and_measures_balance() {
        let codes =
            BinaryCodes::from_signs(array![[1.0f32, -1.0], [1.0, 1.0], [-1.0, -1.0]].view());
        let labels: Vec<String> = ["x", "y", "z"].map(String::from).to_vec();
        let grid = code_grid(&codes, &labels, 1, 5);
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.rows[0].code, "11");
        assert_eq!(grid.balance, vec![2.0 / 3.0, 1.0 / 3.0]);
    }
}
