//! Generic delimited files: Amazon-style ratings and implicit purchase logs.
#![cfg(not(target_arch = "wasm32"))]

mod data_support;

use ccsr::data::delimited::{parse, DelimitedOptions};
use ccsr::data::{self, DataErrorKind, Feedback, Interaction};
use data_support::shared;

fn triples(data: &ccsr::data::Dataset) -> Vec<(String, String, f32, i64)> {
    data.ratings
        .interactions
        .iter()
        .map(|r| {
            (
                data.catalog.user_ids[r.user as usize].clone(),
                data.catalog.item_ids[r.item as usize].clone(),
                r.rating,
                r.timestamp,
            )
        })
        .collect()
}

#[test]
fn amazon_style_csv_without_header() {
    let csv = b"AKM1MP6P0OYPR,0132793040,5.0,1365811200\r\nA2CX7LUOHB2NDG,0321732944,5.0,1341100800\r\nAKM1MP6P0OYPR,0439886341,1.0,1367193600\r\n";
    let data = parse("ratings_Books.csv", csv, &DelimitedOptions::default()).unwrap();
    assert_eq!(data.feedback, Feedback::Explicit);
    assert_eq!((data.ratings.n_users, data.ratings.n_items), (2, 3));
    assert_eq!(
        data.catalog.user_ids,
        vec!["A2CX7LUOHB2NDG", "AKM1MP6P0OYPR"]
    );
    assert_eq!(
        data.catalog.item_ids,
        vec!["0132793040", "0321732944", "0439886341"]
    );
    assert_eq!(
        triples(&data),
        vec![
            (
                "A2CX7LUOHB2NDG".into(),
                "0321732944".into(),
                5.0,
                1_341_100_800
            ),
            (
                "AKM1MP6P0OYPR".into(),
                "0132793040".into(),
                5.0,
                1_365_811_200
            ),
            (
                "AKM1MP6P0OYPR".into(),
                "0439886341".into(),
                1.0,
                1_367_193_600
            ),
        ]
    );
}

#[test]
fn purchase_log_with_header_is_implicit_and_repeats_count_once() {
    let tsv = b"user_id\titem_id\n10\t7\n2\t7\n10\t7\n10\t30\n";
    let data = parse("purchases.tsv", tsv, &DelimitedOptions::default()).unwrap();
    assert_eq!(data.feedback, Feedback::Implicit);
    // Numeric ids sort numerically: "2" before "10", "7" before "30".
    assert_eq!(data.catalog.user_ids, vec!["2", "10"]);
    assert_eq!(data.catalog.item_ids, vec!["7", "30"]);
    let pairs: Vec<(u32, u32, f32)> = data
        .ratings
        .interactions
        .iter()
        .map(|r| (r.user, r.item, r.rating))
        .collect();
    assert_eq!(pairs, vec![(0, 0, 1.0), (1, 0, 1.0), (1, 1, 1.0)]);
}

#[test]
fn explicit_options_override_detection() {
    let text = b"u1;i1;4\nu1;i2;2\nu2;i1;5\n";
    let implicit = DelimitedOptions {
        feedback: Some(Feedback::Implicit),
        ..Default::default()
    };
    let data = parse("log.txt", text, &implicit).unwrap();
    assert!(data
        .ratings
        .interactions
        .iter()
        .all(|r: &Interaction| r.rating == 1.0));
    let header = DelimitedOptions {
        header: Some(true),
        delimiter: Some(b';'),
        ..Default::default()
    };
    assert_eq!(parse("log.txt", text, &header).unwrap().stats().ratings, 2);
    let ranged = DelimitedOptions {
        rating_range: Some((1.0, 3.0)),
        ..Default::default()
    };
    let e = parse("log.txt", text, &ranged).unwrap_err();
    assert_eq!((e.line, e.kind), (Some(1), DataErrorKind::RatingOutOfRange));
}

#[test]
fn a_later_rating_of_the_same_pair_wins() {
    let csv = b"userId,movieId,rating,timestamp\n1,5,2.5,10\n1,5,4.0,20\n";
    let data = parse("ratings.csv", csv, &DelimitedOptions::default()).unwrap();
    assert_eq!(triples(&data), vec![("1".into(), "5".into(), 4.0, 20)]);
}

#[test]
fn u_data_read_as_generic_tsv_matches_the_movielens_reader() {
    let bytes = shared("ml-100k/u.data");
    let generic = parse("u.data", &bytes, &DelimitedOptions::default()).unwrap();
    let movielens = ccsr::data::movielens::parse_ml100k(&bytes, None).unwrap();
    assert_eq!(generic.ratings, movielens.ratings);
    assert_eq!(generic.catalog.item_ids, movielens.catalog.item_ids);
}

#[test]
fn bad_rows_name_their_line() {
    let opts = DelimitedOptions::default();
    let e = parse("r.csv", b"a,b,3\nc,d\n", &opts).unwrap_err();
    assert_eq!((e.line, e.kind), (Some(2), DataErrorKind::FieldCount));
    let e = parse("r.csv", b"a,b,3,1,9\n", &opts).unwrap_err();
    assert!(e.message.contains("expected 2 to 4 fields"), "{e}");
    let e = parse("r.csv", b"a,b,3\nc,d,x\n", &opts).unwrap_err();
    assert_eq!((e.line, e.kind), (Some(2), DataErrorKind::BadNumber));
    let e = parse("r.csv", b"a,b,3\n,d,4\n", &opts).unwrap_err();
    assert_eq!((e.line, e.kind), (Some(2), DataErrorKind::BadNumber));
    let e = parse("r.csv", b"a,b,3\nc,d,inf\n", &opts).unwrap_err();
    assert_eq!((e.line, e.kind), (Some(2), DataErrorKind::RatingOutOfRange));
    let e = parse("r.csv", b"just one column\n", &opts).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::FieldCount);
}

#[test]
fn a_single_csv_among_files_is_read_as_delimited() {
    let files = vec![("shop/Orders.csv".to_string(), b"c1,p1\nc2,p1\n".to_vec())];
    let data = data::load_files(&files).unwrap();
    assert_eq!(
        (data.name.as_str(), data.feedback),
        ("Orders.csv", Feedback::Implicit)
    );
    assert_eq!(data.stats().ratings, 2);
}
