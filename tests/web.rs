//! Browser tests of the wasm build (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn figure2_reverses_order_and_ties_in_wasm() {
    use std::cmp::Ordering;
    let fig = ccsr::toy::ToyFeatures::order_reversal()
        .compare(1.0)
        .unwrap();
    assert_eq!(fig.continuous.order(), Ordering::Greater);
    assert_eq!(fig.sign.order(), Ordering::Less);
    let fig = ccsr::toy::ToyFeatures::sst_tie().compare(5.0).unwrap();
    assert_eq!(fig.sign_scaled_tanh.order(), Ordering::Equal);
}

#[wasm_bindgen_test]
fn wasm_api_converts_figure2_and_rejects_bad_input() {
    let value = ccsr::wasm::toy_figure2("sst-tie", 5.0).unwrap();
    let alpha = js_sys::Reflect::get(&value, &"alpha".into()).unwrap();
    assert_eq!(alpha.as_f64(), Some(5.0));
    assert!(ccsr::wasm::toy_figure2("no-such-example", 1.0).is_err());
    assert!(ccsr::wasm::toy_figure2("sst-tie", -1.0).is_err());
}

#[wasm_bindgen_test]
fn seeded_rng_gives_the_native_stream() {
    use rand::RngExt;
    // The same constants are asserted natively in tests/determinism.rs.
    let mut rng = ccsr::data::seeded_rng(42);
    let first: Vec<u64> = (0..3).map(|_| rng.random()).collect();
    assert_eq!(first, ccsr_determinism_expected());
}

fn ccsr_determinism_expected() -> Vec<u64> {
    include!("determinism_expected.in").to_vec()
}

#[wasm_bindgen_test]
fn rank_bench_hands_its_codes_over_in_faiss_layout() {
    // What `npm run bench:browser` gives the native `bench_rank --codes DIR` to rank.
    let bench = ccsr::wasm::RankBench::new(5, 7, 40, 3);
    let users = bench.faiss_codes("users").unwrap();
    let items = bench.faiss_codes("items").unwrap();
    assert_eq!((users.len(), items.len()), (5 * 5, 7 * 5));
    let users = ccsr::codes::BinaryCodes::from_faiss_bytes(40, &users);
    let items = ccsr::codes::BinaryCodes::from_faiss_bytes(40, &items);
    assert_eq!(users, ccsr::bench::random_codes(5, 40, 3));
    assert_eq!(items, ccsr::bench::random_codes(7, 40, 4));
    assert!(bench.faiss_codes("both").is_err());
}
