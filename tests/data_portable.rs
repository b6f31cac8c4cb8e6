//! Seeded data is a fixed function of the seed on every platform: the synthetic data
//! set and its splits are pinned to fingerprints computed natively. This file runs
//! under `cargo test` and, in wasm, under `wasm-pack test --headless --chrome`, which
//! also checks that release zips decompress in wasm.

mod data_support;

use ccsr::data::synthetic::{generate, SyntheticParams};
use ccsr::data::{kcore, load_zip, movielens, split, Dataset, Ratings};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// FNV-1a over a byte stream.
fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn ratings_print(r: &Ratings) -> u64 {
    fnv(r.interactions.iter().flat_map(|x| {
        [
            x.user.to_le_bytes(),
            x.item.to_le_bytes(),
            x.rating.to_bits().to_le_bytes(),
        ]
        .into_iter()
        .flatten()
    }))
}

fn catalog_print(d: &Dataset) -> u64 {
    let c = &d.catalog;
    fnv(c
        .titles
        .iter()
        .chain(c.genres.iter().flatten())
        .flat_map(|s| s.bytes()))
}

fn synthetic() -> Dataset {
    generate(&SyntheticParams::default()).unwrap()
}

#[test]
fn synthetic_data_is_pinned() {
    let d = synthetic();
    assert_eq!(d.ratings.interactions.len(), 19_593);
    assert_eq!(ratings_print(&d.ratings), 7_695_855_837_581_126_905);
    assert_eq!(catalog_print(&d), 14_082_550_306_877_733_079);
}

#[test]
fn splits_and_kcore_are_pinned() {
    let d = synthetic();
    let per_user = split::per_user(&d.ratings, 0.2, 11);
    assert_eq!(ratings_print(&per_user.test), 3_225_287_083_103_206_329);
    let global = split::global(&d.ratings, 0.2, 11);
    assert_eq!(ratings_print(&global.test), 115_374_924_452_634_748);
    assert_eq!(
        ratings_print(&kcore(&d, 10).ratings),
        17_931_079_577_236_392_070
    );
}

#[test]
fn zips_read_in_memory() {
    let ratings = b"1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n";
    let movies = b"661::James and the Giant Peach (1996)::Animation|Children's|Musical\n\
                   1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n";
    let zip = data_support::zip_of(&[("ml-1m/ratings.dat", ratings), ("ml-1m/movies.dat", movies)]);
    let from_zip = load_zip("ml-1m.zip", &zip).unwrap();
    assert_eq!(
        from_zip,
        movielens::parse_ml1m(ratings, Some(movies), None).unwrap()
    );
    assert_eq!(
        from_zip.catalog.titles[1],
        "One Flew Over the Cuckoo's Nest (1975)"
    );
    assert!(load_zip("ml-1m.zip", &zip[..zip.len() - 10]).is_err());
}
