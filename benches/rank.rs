//! Hamming ranking of the whole catalogue for every user (rank.rs), and one evaluation
//! of all users (metrics.rs), at ml-1m-head's size: 2,999 users x 3,615 items, codes of
//! r = 8, 16, 32, 64 bits (seeded random codes, `ccsr::bench`, as in
//! `examples/bench_rank.rs` and the browser benchmark), a random split of its density.
//! Ranking methods (`ccsr::bench::Method`): "reference" is the first implementation,
//! "full" the whole ranking by `rank::rank_all_users`, "top:K" its cut at depth K.

use ccsr::bench::{self, Method};
use ccsr::codes::BinaryCodes;
use ccsr::data::seeded_rng;
use ccsr::metrics::{evaluate, Protocol, Relevance, Scores, Ties};
use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use rand::RngExt;
use std::hint::black_box;

const USERS: usize = 2_999;
const ITEMS: usize = 3_615;

fn random_features(n: usize, bits: usize, seed: u64) -> Array2<f32> {
    let mut rng = seeded_rng(seed);
    Array2::from_shape_fn((n, bits), |_| rng.random_range(-1.0f32..1.0))
}

fn rank_all_users(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank_all_items_all_users");
    group.sample_size(20);
    for bits in [8, 16, 32, 64] {
        // The codes of examples/bench_rank.rs and the browser benchmark.
        let users = bench::random_codes(USERS, bits, 1);
        let items = bench::random_codes(ITEMS, bits, 2);
        for method in ["reference", "full", "top:10", "top:100"] {
            let method = Method::parse(method).expect("a method");
            group.bench_function(format!("r={bits}/{}", method.name()), |b| {
                b.iter(|| black_box(bench::rank_all(&users, &items, method)))
            });
        }
    }
    group.finish();
}

fn evaluate_all_users(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate_all_users");
    group.sample_size(10);
    // ml-1m-head's density (4.5%), 20% of the ratings in test.
    let split = bench::random_split(USERS, ITEMS, 0.045, 0.2, 3);
    let users = random_features(USERS, 32, 1);
    let items = random_features(ITEMS, 32, 2);
    let user_codes = BinaryCodes::from_signs(users.view());
    let item_codes = BinaryCodes::from_signs(items.view());
    let hamming = Scores::Hamming {
        users: &user_codes,
        items: &item_codes,
    };
    let inner = Scores::InnerProduct {
        users: users.view(),
        items: items.view(),
    };
    let full = Protocol::FullCatalogue {
        relevance: Relevance::RatingAbove3,
    };
    for (name, scores, protocol) in [
        ("hamming32/test-items", &hamming, Protocol::TestItems),
        ("hamming32/full-catalogue", &hamming, full),
        ("inner32/test-items", &inner, Protocol::TestItems),
        ("inner32/full-catalogue", &inner, full),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| black_box(evaluate(&split, scores, protocol, Ties::Expected)))
        });
    }
    group.finish();
}

criterion_group!(benches, rank_all_users, evaluate_all_users);
criterion_main!(benches);
