//! MovieLens readers on the real data in ../shared/data: counts, decoding, layouts.
#![cfg(not(target_arch = "wasm32"))]

mod data_support;

use ccsr::data::{self, movielens, Dataset, Feedback};
use data_support::{shared, zip_of, SHARED};
use std::path::Path;

fn ml1m_head() -> Dataset {
    movielens::parse_ml1m(
        &shared("ml-1m-head/ratings.dat"),
        Some(&shared("ml-1m-head/movies.dat")),
        Some(&shared("ml-1m-head/users.dat")),
    )
    .expect("ml-1m-head parses")
}

fn ml100k() -> Dataset {
    movielens::parse_ml100k(&shared("ml-100k/u.data"), Some(&shared("ml-100k/u.item")))
        .expect("ml-100k parses")
}

fn title_of(data: &Dataset, original_id: &str) -> String {
    let dense = data
        .catalog
        .item_ids
        .iter()
        .position(|id| id == original_id)
        .unwrap_or_else(|| panic!("movie {original_id} not in the catalogue"));
    data.catalog.titles[dense].clone()
}

#[test]
fn ml1m_head_has_the_documented_counts_and_histogram() {
    let data = ml1m_head();
    let stats = data.stats();
    assert_eq!(
        (stats.users, stats.items, stats.ratings),
        (2_999, 3_615, 487_650)
    );
    assert_eq!(
        stats.rating_histogram,
        vec![
            (1.0, 27_472),
            (2.0, 53_838),
            (3.0, 127_216),
            (4.0, 170_579),
            (5.0, 108_545)
        ]
    );
    assert!(
        stats.min_user_ratings >= 20,
        "SUBSET.md: >= 20 ratings per user"
    );
    assert!((stats.density - 487_650.0 / (2_999.0 * 3_615.0)).abs() < 1e-12);
    assert_eq!(data.feedback, Feedback::Explicit);
    let c = &data.catalog;
    assert_eq!((c.user_ids.len(), c.item_ids.len()), (2_999, 3_615));
    assert_eq!((c.titles.len(), c.genres.len()), (3_615, 3_615));
}

#[test]
fn ml1m_ids_are_dense_in_original_order_and_sorted() {
    let data = ml1m_head();
    let ids: Vec<u32> = data
        .catalog
        .item_ids
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "items sorted by movie id"
    );
    assert_eq!(data.catalog.user_ids[0], "1");
    assert_eq!(data.catalog.user_ids[2_998], "2999");
    let r = &data.ratings.interactions;
    assert!(r
        .windows(2)
        .all(|w| (w[0].user, w[0].item) < (w[1].user, w[1].item)));
    // First line of ratings.dat: 1::1193::5::978300760.
    let item_1193 = ids.binary_search(&1193).unwrap() as u32;
    let first = r
        .iter()
        .find(|x| x.user == 0 && x.item == item_1193)
        .unwrap();
    assert_eq!((first.rating, first.timestamp), (5.0, 978_300_760));
}

#[test]
fn ml1m_titles_are_decoded_from_latin1_with_genres() {
    let data = ml1m_head();
    assert_eq!(title_of(&data, "73"), "Misérables, Les (1995)");
    let dense = data
        .catalog
        .item_ids
        .iter()
        .position(|id| id == "73")
        .unwrap();
    assert_eq!(data.catalog.genres[dense], vec!["Drama", "Musical"]);
    assert_eq!(title_of(&data, "1"), "Toy Story (1995)");
}

#[test]
fn ml1m_without_movies_has_empty_titles_but_the_same_ratings() {
    let full = ml1m_head();
    let bare = movielens::parse_ml1m(&shared("ml-1m-head/ratings.dat"), None, None).unwrap();
    assert_eq!(bare.ratings, full.ratings);
    assert!(bare.catalog.titles.iter().all(String::is_empty));
}

#[test]
fn ml100k_has_the_documented_counts_and_latin1_titles() {
    let data = ml100k();
    let stats = data.stats();
    assert_eq!(
        (stats.users, stats.items, stats.ratings),
        (943, 1_682, 100_000)
    );
    assert!(stats.min_user_ratings >= 20);
    assert_eq!(title_of(&data, "543"), "Misérables, Les (1995)");
    assert_eq!(
        title_of(&data, "1005"),
        "Double vie de Véronique, La (Double Life of Veronique, The) (1991)"
    );
    let toy = data
        .catalog
        .item_ids
        .iter()
        .position(|id| id == "1")
        .unwrap();
    assert_eq!(
        data.catalog.genres[toy],
        vec!["Animation", "Children's", "Comedy"]
    );
}

#[test]
fn zip_read_equals_folder_read_for_ml1m() {
    let (ratings, movies, users) = (
        shared("ml-1m-head/ratings.dat"),
        shared("ml-1m-head/movies.dat"),
        shared("ml-1m-head/users.dat"),
    );
    let zip = zip_of(&[
        ("ml-1m/movies.dat", &movies),
        ("ml-1m/ratings.dat", &ratings),
        ("ml-1m/users.dat", &users),
        ("ml-1m/README", b"not read"),
    ]);
    let from_zip = data::load_zip("ml-1m.zip", &zip).expect("zip parses");
    let from_folder = data::load_path(Path::new(&format!("{SHARED}/ml-1m-head"))).unwrap();
    assert_eq!(from_zip, from_folder);
    assert_eq!(from_folder, ml1m_head());
}

#[test]
fn zip_read_equals_folder_read_for_ml100k() {
    let (u_data, u_item) = (shared("ml-100k/u.data"), shared("ml-100k/u.item"));
    let zip = zip_of(&[("ml-100k/u.data", &u_data), ("ml-100k/u.item", &u_item)]);
    let from_zip = data::load_zip("ml-100k.zip", &zip).unwrap();
    let from_folder = data::load_path(Path::new(&format!("{SHARED}/ml-100k"))).unwrap();
    assert_eq!(from_zip, from_folder);
    assert_eq!(from_folder, ml100k());
}

#[test]
fn named_files_are_recognised_by_their_base_names() {
    let files = vec![
        ("ml-100k/u.item".to_string(), shared("ml-100k/u.item")),
        ("ml-100k/README".to_string(), shared("ml-100k/README")),
        ("ml-100k/U.DATA".to_string(), shared("ml-100k/u.data")),
    ];
    assert_eq!(data::load_files(&files).unwrap(), ml100k());
    let zip = zip_of(&[
        ("ml-100k/u.data", &files[2].1),
        ("ml-100k/u.item", &files[0].1),
    ]);
    let picked_zip = vec![("ml-100k.zip".to_string(), zip)];
    assert_eq!(data::load_files(&picked_zip).unwrap(), ml100k());
}

#[test]
fn a_single_ratings_file_path_loads_without_titles() {
    let data = data::load_path(Path::new(&format!("{SHARED}/ml-100k/u.data"))).unwrap();
    assert_eq!(data.stats().ratings, 100_000);
    assert!(data.catalog.titles.iter().all(String::is_empty));
}
