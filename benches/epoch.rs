//! Seconds per training epoch of CCSR at r = 40 on ml-1m-head (per-user 80/20 split,
//! training part), with the paper's settings, for mini-batches of 128, 256 and 512
//! users or items (the paper does not give its batch size).

use std::path::Path;

use ccsr::data::{load_path, split};
use ccsr::model::{Ccsr, CcsrParams, Model};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

const DATA: &str = "../shared/data/ml-1m-head";

fn epoch(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    let dataset =
        load_path(&path).unwrap_or_else(|e| panic!("benchmark data {}: {e}", path.display()));
    let train = split::per_user(&dataset.ratings, 0.2, 1).train;
    let mut group = c.benchmark_group("ccsr_epoch_r40_ml-1m-head");
    group.sample_size(10);
    for batch_size in [128, 256, 512] {
        let params = CcsrParams {
            code_length: 40,
            batch_size,
            ..CcsrParams::default()
        }
        .check()
        .expect("valid");
        let mut model = Ccsr::new(&params, &train);
        group.bench_with_input(
            BenchmarkId::new("batch", batch_size),
            &batch_size,
            |b, _| b.iter(|| model.step().expect("finite loss")),
        );
    }
    group.finish();
}

criterion_group!(benches, epoch);
criterion_main!(benches);
