//! Binary codes: sign binarization round-trips, Hamming distance by popcount.

use ccsr::codes::{hamming, BinaryCodes};
use ccsr::data::seeded_rng;
use ndarray::Array2;
use rand::RngExt;

fn random_features(n: usize, bits: usize, seed: u64) -> Array2<f32> {
    let mut rng = seeded_rng(seed);
    Array2::from_shape_fn((n, bits), |_| rng.random_range(-1.0f32..1.0))
}

#[test]
fn signs_round_trip_for_every_code_length() {
    for bits in [1, 5, 10, 20, 40, 63, 64, 65, 128, 130] {
        let features = random_features(7, bits, bits as u64);
        let codes = BinaryCodes::from_signs(features.view());
        assert_eq!((codes.len(), codes.bits()), (7, bits));
        let signs = codes.to_signs();
        assert_eq!(signs, features.mapv(|f| if f >= 0.0 { 1.0 } else { -1.0 }));
        assert_eq!(BinaryCodes::from_signs(signs.view()), codes);
    }
}

#[test]
fn hamming_counts_differing_signs() {
    for bits in [3, 64, 100] {
        let features = random_features(12, bits, 99);
        let codes = BinaryCodes::from_signs(features.view());
        let signs = codes.to_signs();
        for a in 0..codes.len() {
            for b in 0..codes.len() {
                let differing = (0..bits)
                    .filter(|&j| signs[[a, j]] != signs[[b, j]])
                    .count() as u32;
                assert_eq!(hamming(codes.code(a), codes.code(b)), differing);
                assert_eq!(codes.hamming(codes.code(a), b), differing);
            }
        }
    }
}

#[test]
fn empty_sets_of_codes() {
    let codes = BinaryCodes::from_signs(Array2::<f32>::zeros((0, 8)).view());
    assert!(codes.is_empty());
    assert_eq!(codes.bits(), 8);
}
