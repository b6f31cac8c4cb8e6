//! The built-in synthetic data set: deterministic, MovieLens-like, validated.
#![cfg(not(target_arch = "wasm32"))]

use ccsr::data::synthetic::{generate, SyntheticParams, GENRES};
use ccsr::data::{DataErrorKind, Dataset};

fn default_data() -> Dataset {
    generate(&SyntheticParams::default()).expect("default parameters are valid")
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let a = default_data();
    assert_eq!(a, default_data());
    let b = generate(&SyntheticParams {
        seed: 43,
        ..SyntheticParams::default()
    })
    .unwrap();
    assert_ne!(a.ratings, b.ratings);
    assert_ne!(a.catalog.titles, b.catalog.titles);
}

#[test]
fn default_looks_like_movielens() {
    let data = default_data();
    let s = data.stats();
    assert_eq!((s.users, s.items), (600, 800));
    assert!((0.03..=0.05).contains(&s.density), "density {}", s.density);
    assert!(s.min_user_ratings >= 1);
    let values: Vec<f32> = s.rating_histogram.iter().map(|&(v, _)| v).collect();
    assert_eq!(values, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    let share = |star: usize| s.rating_histogram[star - 1].1 as f64 / s.ratings as f64;
    // MovieLens 1M: 1:6% 2:11% 3:26% 4:35% 5:23%; ratings lean positive.
    assert!(
        share(4) > share(2) && share(3) > share(1),
        "{:?}",
        s.rating_histogram
    );
    assert!(
        (0.4..=0.75).contains(&(share(4) + share(5))),
        "{:?}",
        s.rating_histogram
    );
    assert!(share(1) >= 0.02, "{:?}", s.rating_histogram);
    // Popularity skew: the most rated movie has many times the median count.
    let mut per_item = vec![0usize; s.items];
    for r in &data.ratings.interactions {
        per_item[r.item as usize] += 1;
    }
    per_item.sort_unstable();
    assert!(
        per_item[s.items - 1] >= 5 * per_item[s.items / 2].max(1),
        "{per_item:?}"
    );
}

#[test]
fn catalogue_has_unique_readable_titles_and_genres() {
    let data = default_data();
    let c = &data.catalog;
    assert_eq!(
        (c.titles.len(), c.genres.len(), c.item_ids.len()),
        (800, 800, 800)
    );
    let mut titles = c.titles.clone();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 800, "titles are unique");
    let title = &c.titles[0];
    assert!(title.ends_with(')') && title.contains(" ("), "{title}");
    assert!(c.genres.iter().all(|g| (1..=2).contains(&g.len())));
    assert!(c
        .genres
        .iter()
        .flatten()
        .all(|g| GENRES[..8].contains(&g.as_str())));
    let big = generate(&SyntheticParams {
        n_items: 2_000,
        density: 0.01,
        ..Default::default()
    });
    let mut titles = big.unwrap().catalog.titles;
    titles.sort();
    titles.dedup();
    assert_eq!(
        titles.len(),
        2_000,
        "titles stay unique past the word pairs"
    );
}

#[test]
fn planted_tastes_show_in_the_ratings() {
    // Users rate movies of their main genre higher than others: compare each user's
    // mean rating per genre; the best genre should be well above the overall mean.
    let data = default_data();
    let genre_of = |item: u32| data.catalog.genres[item as usize][0].clone();
    let mut spread = 0.0;
    for user in 0..data.ratings.n_users as u32 {
        let mine: Vec<_> = data
            .ratings
            .interactions
            .iter()
            .filter(|r| r.user == user)
            .collect();
        let mean = mine.iter().map(|r| r.rating as f64).sum::<f64>() / mine.len() as f64;
        let mut best = f64::MIN;
        for g in GENRES[..8].iter() {
            let of_g: Vec<f64> = mine
                .iter()
                .filter(|r| genre_of(r.item) == *g)
                .map(|r| r.rating as f64)
                .collect();
            if of_g.len() >= 3 {
                best = best.max(of_g.iter().sum::<f64>() / of_g.len() as f64);
            }
        }
        if best > f64::MIN {
            spread += best - mean;
        }
    }
    let mean_spread = spread / data.ratings.n_users as f64;
    assert!(mean_spread > 0.3, "mean best-genre lift {mean_spread}");
}

#[test]
fn invalid_parameters_are_rejected_with_their_name() {
    let base = SyntheticParams::default();
    let cases = [
        (
            SyntheticParams {
                n_users: 0,
                ..base.clone()
            },
            "n_users",
        ),
        (
            SyntheticParams {
                n_items: 1,
                ..base.clone()
            },
            "n_items",
        ),
        (
            SyntheticParams {
                n_genres: 13,
                ..base.clone()
            },
            "n_genres",
        ),
        (
            SyntheticParams {
                density: 0.0,
                ..base.clone()
            },
            "density",
        ),
        (
            SyntheticParams {
                density: f64::NAN,
                ..base.clone()
            },
            "density",
        ),
        (
            SyntheticParams {
                noise: -1.0,
                ..base.clone()
            },
            "noise",
        ),
        (
            SyntheticParams {
                popularity_skew: f64::INFINITY,
                ..base.clone()
            },
            "popularity_skew",
        ),
        (
            SyntheticParams {
                n_users: 100_000,
                n_items: 100_000,
                ..base.clone()
            },
            "ratings",
        ),
    ];
    for (params, name) in cases {
        let e = generate(&params).unwrap_err();
        assert_eq!(e.kind, DataErrorKind::InvalidParams);
        assert!(e.message.contains(name), "{e}");
    }
}

#[test]
fn edge_parameters_generate() {
    let tiny = SyntheticParams {
        n_users: 1,
        n_items: 2,
        n_genres: 1,
        ..Default::default()
    };
    let data = generate(&tiny).unwrap();
    assert_eq!(data.stats().ratings, 1);
    let flat = SyntheticParams {
        popularity_skew: 0.0,
        noise: 0.0,
        taste_strength: 0.0,
        ..Default::default()
    };
    assert!(generate(&flat).unwrap().stats().ratings > 0);
}
