//! Preprocessing (sec. 5.1): similarity, k-core, per-user and global 80/20 splits.
#![cfg(not(target_arch = "wasm32"))]

mod data_support;

use ccsr::data::movielens::parse_ml1m;
use ccsr::data::{self, split, Dataset, Feedback, Interaction, Ratings};
use data_support::shared;

fn ml1m_head() -> Dataset {
    parse_ml1m(
        &shared("ml-1m-head/ratings.dat"),
        Some(&shared("ml-1m-head/movies.dat")),
        None,
    )
    .unwrap()
}

fn per_user_counts(r: &Ratings) -> Vec<usize> {
    let mut counts = vec![0; r.n_users];
    for x in &r.interactions {
        counts[x.user as usize] += 1;
    }
    counts
}

fn sorted(mut v: Vec<Interaction>) -> Vec<(u32, u32)> {
    let mut pairs: Vec<(u32, u32)> = v.drain(..).map(|r| (r.user, r.item)).collect();
    pairs.sort_unstable();
    pairs
}

#[test]
fn similarity_is_rating_above_3_or_any_purchase() {
    assert_eq!(data::similarity(Feedback::Explicit, 4.0), 1.0);
    assert_eq!(data::similarity(Feedback::Explicit, 3.0), 0.0);
    assert_eq!(data::similarity(Feedback::Explicit, 1.0), 0.0);
    assert_eq!(data::similarity(Feedback::Implicit, 1.0), 1.0);
}

#[test]
fn per_user_split_holds_out_20_percent_of_every_user() {
    let data = ml1m_head();
    let s = split::per_user(&data.ratings, 0.2, 7);
    let (all, train, test) = (
        per_user_counts(&data.ratings),
        per_user_counts(&s.train),
        per_user_counts(&s.test),
    );
    for u in 0..data.ratings.n_users {
        let expected = (0.2 * all[u] as f64).round() as usize;
        assert_eq!(test[u], expected, "user {u} has {} ratings", all[u]);
        assert_eq!(train[u] + test[u], all[u]);
    }
    assert_eq!((s.train.n_users, s.train.n_items), (2_999, 3_615));
    assert_eq!((s.test.n_users, s.test.n_items), (2_999, 3_615));
    // Train and test partition the ratings exactly.
    let mut union = s.train.interactions.clone();
    union.extend(s.test.interactions.iter().copied());
    assert_eq!(sorted(union), sorted(data.ratings.interactions.clone()));
}

#[test]
fn per_user_split_is_reproducible_by_seed() {
    let data = ml1m_head();
    let a = split::per_user(&data.ratings, 0.2, 7);
    assert_eq!(a, split::per_user(&data.ratings, 0.2, 7));
    let b = split::per_user(&data.ratings, 0.2, 8);
    assert_eq!(b.test.interactions.len(), a.test.interactions.len());
    assert_ne!(a.test, b.test);
}

#[test]
fn per_user_split_keeps_a_training_rating_for_small_users() {
    let r = Ratings {
        n_users: 3,
        n_items: 4,
        interactions: [(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)]
            .iter()
            .map(|&(user, item)| Interaction {
                user,
                item,
                rating: 5.0,
                timestamp: 0,
            })
            .collect(),
    };
    let s = split::per_user(&r, 0.5, 1);
    // round(0.5 * n) capped at n - 1: 0 of 1, 1 of 2, 2 of 3.
    assert_eq!(per_user_counts(&s.test), vec![0, 1, 2]);
    assert_eq!(per_user_counts(&s.train), vec![1, 1, 1]);
}

#[test]
fn global_split_holds_out_20_percent_overall_and_is_seeded() {
    let data = ml1m_head();
    let a = split::global(&data.ratings, 0.2, 3);
    assert_eq!(a.test.interactions.len(), 97_530); // round(0.2 * 487,650)
    assert_eq!(a.train.interactions.len(), 390_120);
    assert_eq!(a, split::global(&data.ratings, 0.2, 3));
    assert_ne!(a.test, split::global(&data.ratings, 0.2, 4).test);
    // Not per user: some user's share is far from 20%.
    let (all, test) = (per_user_counts(&data.ratings), per_user_counts(&a.test));
    assert!((0..all.len()).any(|u| test[u] != (0.2 * all[u] as f64).round() as usize));
}

#[test]
#[should_panic(expected = "test_fraction")]
fn split_rejects_a_fraction_outside_0_1() {
    split::global(&Ratings::default(), 1.5, 0);
}

#[test]
fn kcore_reaches_a_fixed_point_with_a_consistent_catalogue() {
    let data = ml1m_head();
    for k in [20, 50, 150] {
        let core = data::kcore(&data, k);
        let stats = core.stats();
        assert!(stats.users > 0 && stats.items > 0, "{k}-core is empty");
        assert!(
            stats.min_user_ratings >= k && stats.min_item_ratings >= k,
            "{k}: {stats:?}"
        );
        assert_eq!(data::kcore(&core, k), core, "the {k}-core is a fixed point");
        assert_eq!(core.catalog.item_ids.len(), stats.items);
        assert_eq!(core.catalog.titles.len(), stats.items);
        assert_eq!(core.catalog.user_ids.len(), stats.users);
        // Every kept rating is an original rating, with original ids and titles.
        let orig_item = |d: &Dataset, i: u32| d.catalog.item_ids[i as usize].clone();
        let orig_user = |d: &Dataset, u: u32| d.catalog.user_ids[u as usize].clone();
        let original: std::collections::BTreeSet<(String, String, u32)> = data
            .ratings
            .interactions
            .iter()
            .map(|r| {
                (
                    orig_user(&data, r.user),
                    orig_item(&data, r.item),
                    r.rating as u32,
                )
            })
            .collect();
        assert!(core
            .ratings
            .interactions
            .iter()
            .all(|r| original.contains(&(
                orig_user(&core, r.user),
                orig_item(&core, r.item),
                r.rating as u32
            ))));
        let toy = core
            .catalog
            .item_ids
            .iter()
            .position(|id| id == "1")
            .unwrap();
        assert_eq!(core.catalog.titles[toy], "Toy Story (1995)");
    }
    // Users have >= 20 ratings and the 20-core drops only rarely rated movies.
    let core20 = data::kcore(&data, 20);
    assert!(core20.stats().items < 3_615);
}

#[test]
fn kcore_iterates_removals() {
    // User 0 rates items 0,1; user 1 rates items 0,1,2; user 2 rates item 2 only.
    // 2-core: user 2 goes (1 rating), then item 2 has 1 rating and goes; users 0, 1 stay.
    let pairs = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2)];
    let data = Dataset {
        name: "toy".into(),
        feedback: Feedback::Implicit,
        ratings: Ratings {
            n_users: 3,
            n_items: 3,
            interactions: pairs
                .iter()
                .map(|&(user, item)| Interaction {
                    user,
                    item,
                    rating: 1.0,
                    timestamp: 0,
                })
                .collect(),
        },
        catalog: ccsr::data::Catalog {
            user_ids: vec!["a".into(), "b".into(), "c".into()],
            item_ids: vec!["x".into(), "y".into(), "z".into()],
            titles: vec![String::new(); 3],
            genres: vec![Vec::new(); 3],
        },
    };
    let core = data::kcore(&data, 2);
    assert_eq!((core.ratings.n_users, core.ratings.n_items), (2, 2));
    assert_eq!(core.ratings.interactions.len(), 4);
    assert_eq!(core.catalog.user_ids, vec!["a", "b"]);
    assert_eq!(core.catalog.item_ids, vec!["x", "y"]);
    assert_eq!(data::kcore(&data, 3).ratings.interactions.len(), 0);
}
