//! Bad input: each kind gives a typed error naming file, line and problem.
#![cfg(not(target_arch = "wasm32"))]

mod data_support;

use ccsr::data::delimited::{self, DelimitedOptions};
use ccsr::data::movielens::{parse_ml100k, parse_ml1m};
use ccsr::data::{self, DataError, DataErrorKind};
use data_support::{head_lines, shared, zip_of};

fn ml1m_err(ratings: &[u8]) -> DataError {
    parse_ml1m(ratings, None, None).expect_err("bad ratings.dat must fail")
}

fn assert_error(e: &DataError, file: &str, line: Option<usize>, kind: DataErrorKind, text: &str) {
    assert_eq!((e.file.as_str(), e.line, e.kind), (file, line, kind), "{e}");
    assert!(
        e.to_string().contains(text),
        "{e:?} should mention {text:?}"
    );
}

#[test]
fn display_names_file_line_and_problem() {
    let e = ml1m_err(b"1::2::3::4\n1::3::4::5\n\n2::5::3\n");
    assert_eq!(
        e.to_string(),
        r#"ratings.dat line 4: expected 4 fields separated by "::", found 3"#
    );
    assert_eq!(e.kind, DataErrorKind::FieldCount);
}

#[test]
fn a_csv_given_as_ratings_dat_is_called_a_wrong_separator() {
    let e = ml1m_err(b"1,1193,5,978300760\n");
    assert_error(
        &e,
        "ratings.dat",
        Some(1),
        DataErrorKind::WrongSeparator,
        "separated by \",\"",
    );
    let e = parse_ml100k(b"1::2::3::4\n", None).unwrap_err();
    assert_error(
        &e,
        "u.data",
        Some(1),
        DataErrorKind::WrongSeparator,
        "separated by \"::\"",
    );
}

#[test]
fn non_numeric_ids_ratings_and_timestamps_are_rejected() {
    let e = ml1m_err(b"1::10::5::1\nx7::10::5::1\n");
    assert_error(
        &e,
        "ratings.dat",
        Some(2),
        DataErrorKind::BadNumber,
        "user id \"x7\"",
    );
    let e = ml1m_err(b"1::-3::5::1\n");
    assert_error(
        &e,
        "ratings.dat",
        Some(1),
        DataErrorKind::BadNumber,
        "movie id \"-3\"",
    );
    let e = ml1m_err(b"1::3::five::1\n");
    assert_error(
        &e,
        "ratings.dat",
        Some(1),
        DataErrorKind::BadNumber,
        "rating \"five\"",
    );
    let e = ml1m_err(b"1::3::5::\n");
    assert_error(
        &e,
        "ratings.dat",
        Some(1),
        DataErrorKind::BadNumber,
        "timestamp",
    );
}

#[test]
fn movielens_ratings_must_be_whole_numbers_1_to_5() {
    for (bad, shown) in [("0", "0"), ("6", "6"), ("4.5", "4.5"), ("-1", "-1")] {
        let e = ml1m_err(format!("1::1::3::1\n1::2::{bad}::1\n").as_bytes());
        assert_error(
            &e,
            "ratings.dat",
            Some(2),
            DataErrorKind::RatingOutOfRange,
            shown,
        );
    }
    let e = parse_ml100k(b"1\t2\t9\t5\n", None).unwrap_err();
    assert_error(
        &e,
        "u.data",
        Some(1),
        DataErrorKind::RatingOutOfRange,
        "1..=5",
    );
}

#[test]
fn empty_files_are_rejected() {
    assert_error(
        &ml1m_err(b""),
        "ratings.dat",
        None,
        DataErrorKind::Empty,
        "empty",
    );
    assert_error(
        &ml1m_err(b"\n \r\n\n"),
        "ratings.dat",
        None,
        DataErrorKind::Empty,
        "empty",
    );
    let e = parse_ml1m(b"1::1::3::1\n", Some(b""), None).unwrap_err();
    assert_error(&e, "movies.dat", None, DataErrorKind::Empty, "empty");
    let e = delimited::parse("log.csv", b"user,item\n", &DelimitedOptions::default()).unwrap_err();
    assert_error(&e, "log.csv", None, DataErrorKind::Empty, "no data lines");
}

#[test]
fn inconsistent_files_are_rejected() {
    let movies = b"1::Alpha (1990)::Drama\n2::Beta (1991)::Comedy\n";
    let e = parse_ml1m(b"1::1::3::1\n1::9::4::1\n", Some(movies), None).unwrap_err();
    assert_error(
        &e,
        "ratings.dat",
        Some(2),
        DataErrorKind::Inconsistent,
        "movie 9 is not in movies.dat",
    );
    let e = parse_ml1m(
        b"1::1::3::1\n2::1::4::1\n",
        None,
        Some(b"1::F::1::10::48067\n"),
    )
    .unwrap_err();
    assert_error(
        &e,
        "ratings.dat",
        Some(2),
        DataErrorKind::Inconsistent,
        "user 2 is not in users.dat",
    );
    let e = parse_ml1m(b"1::1::3::1\n1::2::4::1\n1::1::5::2\n", None, None).unwrap_err();
    assert_error(
        &e,
        "ratings.dat",
        Some(3),
        DataErrorKind::Inconsistent,
        "first on line 1",
    );
    let twice = b"1::Alpha (1990)::Drama\n1::Alpha again::Drama\n";
    let e = parse_ml1m(b"1::1::3::1\n", Some(twice), None).unwrap_err();
    assert_error(
        &e,
        "movies.dat",
        Some(2),
        DataErrorKind::Inconsistent,
        "listed twice",
    );
    let e = parse_ml1m(b"1::1::3::1\n", Some(b"1::Alpha (1990)\n"), None).unwrap_err();
    assert_error(
        &e,
        "movies.dat",
        Some(1),
        DataErrorKind::FieldCount,
        "expected 3 fields",
    );
    let e = parse_ml100k(b"1\t1\t3\t1\n", Some(b"1|Toy Story (1995)|x|y|z\n")).unwrap_err();
    assert_error(
        &e,
        "u.item",
        Some(1),
        DataErrorKind::FieldCount,
        "expected 24 fields",
    );
}

#[test]
fn missing_or_ambiguous_files_are_named() {
    let files = vec![("ml-1m/movies.dat".to_string(), b"1::A::Drama\n".to_vec())];
    let e = data::load_files(&files).unwrap_err();
    assert_error(
        &e,
        "selected files",
        None,
        DataErrorKind::MissingFile,
        "expected ratings.dat",
    );
    assert!(e.message.contains("ml-1m/movies.dat"), "{e}");
    let both = vec![
        ("ratings.dat".to_string(), b"1::1::3::1\n".to_vec()),
        ("u.data".to_string(), b"1\t1\t3\t1\n".to_vec()),
    ];
    let e = data::load_files(&both).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::MissingFile);
    let zip = zip_of(&[("ml-1m/movies.dat", b"1::A::Drama\n")]);
    let e = data::load_zip("ml-1m.zip", &zip).unwrap_err();
    assert_error(
        &e,
        "ml-1m.zip",
        None,
        DataErrorKind::MissingFile,
        "no ratings file",
    );
    let e = data::load_path(std::path::Path::new("/nonexistent/ml-1m.zip")).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Io);
}

#[test]
fn truncated_and_corrupt_zips_are_rejected() {
    let ratings = head_lines(&shared("ml-1m-head/ratings.dat"), 5_000);
    let zip = zip_of(&[("ml-1m/ratings.dat", &ratings)]);
    assert!(data::load_zip("ml-1m.zip", &zip).is_ok());
    let e = data::load_zip("ml-1m.zip", &zip[..zip.len() / 2]).unwrap_err();
    assert_error(
        &e,
        "ml-1m.zip",
        None,
        DataErrorKind::Archive,
        "not a readable zip",
    );
    let e = data::load_zip("ml-1m.zip", b"this is not a zip").unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Archive);
    // Damage the compressed data but keep the directory: the entry fails its checks.
    let mut damaged = zip.clone();
    for b in &mut damaged[100..400] {
        *b ^= 0x5a;
    }
    let e = data::load_zip("ml-1m.zip", &damaged).unwrap_err();
    assert_error(
        &e,
        "ml-1m.zip/ml-1m/ratings.dat",
        None,
        DataErrorKind::Archive,
        "corrupt",
    );
}

#[test]
fn the_first_bad_line_of_a_real_file_is_reported() {
    let mut ratings = head_lines(&shared("ml-1m-head/ratings.dat"), 1_000);
    ratings.extend_from_slice(b"17::1::3\n");
    let e = ml1m_err(&ratings);
    assert_error(
        &e,
        "ratings.dat",
        Some(1_001),
        DataErrorKind::FieldCount,
        "found 3",
    );
}
