//! Fuzzing the readers with proptest: arbitrary bytes and mutated real files never
//! panic, and whatever parses is a complete, consistent data set. Properties of the
//! splits and the k-core on random rating matrices. Cases: 256 per property by
//! default; set PROPTEST_CASES for longer runs.
#![cfg(not(target_arch = "wasm32"))]

mod data_support;

use ccsr::data::delimited::{self, DelimitedOptions};
use ccsr::data::movielens::{parse_ml100k, parse_ml1m};
use ccsr::data::{self, split, Catalog, DataError, Dataset, Feedback, Interaction, Ratings};
use data_support::{head_lines, shared, zip_of};
use proptest::prelude::*;
use std::sync::OnceLock;

/// A parsed data set is complete: ids in range and all used, sorted unique pairs,
/// catalogue columns as long as the id ranges, valid ratings.
fn check_dataset(d: &Dataset, ratings_1_to_5: bool) {
    let (r, c) = (&d.ratings, &d.catalog);
    assert_eq!((c.user_ids.len(), c.item_ids.len()), (r.n_users, r.n_items));
    assert_eq!((c.titles.len(), c.genres.len()), (r.n_items, r.n_items));
    assert!(r
        .interactions
        .windows(2)
        .all(|w| (w[0].user, w[0].item) < (w[1].user, w[1].item)));
    let stats = d.stats();
    assert!(r.n_users == 0 || stats.min_user_ratings >= 1);
    assert!(r.n_items == 0 || stats.min_item_ratings >= 1);
    for x in &r.interactions {
        assert!((x.user as usize) < r.n_users && (x.item as usize) < r.n_items);
        assert!(x.rating.is_finite());
        if ratings_1_to_5 {
            assert!((1.0..=5.0).contains(&x.rating) && x.rating.fract() == 0.0);
        }
    }
}

fn check_error(e: &DataError) {
    assert!(!e.message.is_empty() && !e.file.is_empty());
    assert!(e.line.is_none_or(|l| l >= 1));
}

fn check(result: Result<Dataset, DataError>, ratings_1_to_5: bool) {
    match result {
        Ok(d) => check_dataset(&d, ratings_1_to_5),
        Err(e) => check_error(&e),
    }
}

struct Samples {
    ratings: Vec<u8>,
    movies: Vec<u8>,
    u_data: Vec<u8>,
    u_item: Vec<u8>,
    zip: Vec<u8>,
}

fn samples() -> &'static Samples {
    static SAMPLES: OnceLock<Samples> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let ratings = head_lines(&shared("ml-1m-head/ratings.dat"), 60);
        let movies = shared("ml-1m-head/movies.dat");
        let zip = zip_of(&[
            ("ml-1m/ratings.dat", &ratings),
            ("ml-1m/movies.dat", &movies[..4000]),
        ]);
        Samples {
            ratings,
            movies,
            u_data: head_lines(&shared("ml-100k/u.data"), 60),
            u_item: head_lines(&shared("ml-100k/u.item"), 40),
            zip,
        }
    })
}

/// Edits applied to a valid file: overwrite, insert or delete a byte, or truncate.
#[derive(Clone, Debug)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        Just(b':'),
        Just(b'\n'),
        Just(b'\t'),
        Just(b','),
        Just(b'|'),
        Just(b'-'),
        Just(b'.'),
        Just(0xe9u8),
        b'0'..=b'9',
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn mutate(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for e in edits {
        let n = out.len().max(1);
        match *e {
            Edit::Set(i, b) if !out.is_empty() => out[i % n] = b,
            Edit::Insert(i, b) => out.insert(i % (out.len() + 1), b),
            Edit::Delete(i) if !out.is_empty() => {
                out.remove(i % n);
            }
            Edit::Truncate(i) => out.truncate(i % (out.len() + 1)),
            _ => {}
        }
    }
    out
}

fn random_ratings() -> impl Strategy<Value = Ratings> {
    (1usize..12, 1usize..12).prop_flat_map(|(n_users, n_items)| {
        proptest::collection::btree_set((0..n_users as u32, 0..n_items as u32), 0..60).prop_map(
            move |pairs| Ratings {
                n_users,
                n_items,
                interactions: pairs
                    .into_iter()
                    .map(|(user, item)| Interaction {
                        user,
                        item,
                        rating: 4.0,
                        timestamp: 0,
                    })
                    .collect(),
            },
        )
    })
}

fn as_dataset(ratings: Ratings) -> Dataset {
    let ids = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
    Dataset {
        name: "random".into(),
        feedback: Feedback::Explicit,
        catalog: Catalog {
            user_ids: ids(ratings.n_users),
            item_ids: ids(ratings.n_items),
            titles: ids(ratings.n_items),
            genres: vec![Vec::new(); ratings.n_items],
        },
        ratings,
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(parse_ml1m(&bytes, Some(&bytes), Some(&bytes)), true);
        check(parse_ml1m(&bytes, None, None), true);
        check(parse_ml100k(&bytes, Some(&bytes)), true);
        check(delimited::parse("x.csv", &bytes, &DelimitedOptions::default()), false);
        check(data::load_zip("x.zip", &bytes), false);
        let files = vec![("a/ratings.dat".to_string(), bytes.clone())];
        check(data::load_files(&files), true);
    }

    #[test]
    fn text_shaped_bytes_never_panic(text in "[0-9:|,\t\n .a-z\u{e9}-]{0,400}") {
        let bytes = text.as_bytes();
        check(parse_ml1m(bytes, None, Some(bytes)), true);
        check(parse_ml100k(bytes, Some(bytes)), true);
        check(delimited::parse("x.tsv", bytes, &DelimitedOptions::default()), false);
    }

    #[test]
    fn mutated_movielens_files_never_panic(edits in proptest::collection::vec(edit(), 1..8)) {
        let s = samples();
        check(parse_ml1m(&mutate(&s.ratings, &edits), Some(&s.movies), None), true);
        check(parse_ml1m(&s.ratings, Some(&mutate(&s.movies[..3000], &edits)), None), true);
        check(parse_ml100k(&mutate(&s.u_data, &edits), Some(&s.u_item)), true);
        check(parse_ml100k(&s.u_data, Some(&mutate(&s.u_item, &edits))), true);
        let csv = mutate(&s.u_data, &edits);
        check(delimited::parse("u.data", &csv, &DelimitedOptions::default()), false);
    }

    #[test]
    fn mutated_zips_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        check(data::load_zip("ml-1m.zip", &mutate(&samples().zip, &edits)), true);
    }

    #[test]
    fn splits_partition_every_matrix(r in random_ratings(), seed in any::<u64>(), f in 0.0f64..=1.0) {
        for s in [split::per_user(&r, f, seed), split::global(&r, f, seed)] {
            prop_assert_eq!(s.train.interactions.len() + s.test.interactions.len(), r.interactions.len());
            let mut both: Vec<_> = s.train.interactions.iter().chain(&s.test.interactions).map(|x| (x.user, x.item)).collect();
            both.sort_unstable();
            let all: Vec<_> = r.interactions.iter().map(|x| (x.user, x.item)).collect();
            prop_assert_eq!(both, all);
        }
        let s = split::per_user(&r, f, seed);
        let mut train = vec![0; r.n_users];
        let mut total = vec![0; r.n_users];
        for x in &s.train.interactions { train[x.user as usize] += 1; }
        for x in &r.interactions { total[x.user as usize] += 1; }
        for u in 0..r.n_users {
            prop_assert!(total[u] == 0 || train[u] >= 1, "user {} lost all training data", u);
        }
    }

    #[test]
    fn kcore_is_a_fixed_point(r in random_ratings(), k in 0usize..5) {
        let core = data::kcore(&as_dataset(r), k);
        check_dataset(&core, false);
        let stats = core.stats();
        prop_assert!(core.ratings.interactions.is_empty() || (stats.min_user_ratings >= k && stats.min_item_ratings >= k));
        prop_assert_eq!(data::kcore(&core, k), core);
    }
}
