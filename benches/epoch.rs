//! Seconds per training epoch of CCSR at r = 40 on ml-1m-head (per-user 80/20 split,
//! training part), with the paper's settings. Skips when the data folder is absent.

use std::path::Path;

use ccsr::data::{load_path, split};
use ccsr::model::{Ccsr, CcsrParams, Model};
use criterion::{criterion_group, criterion_main, Criterion};

const DATA: &str = "../shared/data/ml-1m-head";

fn epoch(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    let Ok(dataset) = load_path(&path) else {
        eprintln!("skipping: no data at {}", path.display());
        return;
    };
    let train = split::per_user(&dataset.ratings, 0.2, 1).train;
    let params = CcsrParams {
        code_length: 40,
        ..CcsrParams::default()
    }
    .check()
    .expect("valid");
    let mut model = Ccsr::new(&params, &train);
    let mut group = c.benchmark_group("ccsr");
    group.sample_size(10);
    group.bench_function("epoch_r40_ml-1m-head", |b| {
        b.iter(|| model.step().expect("finite loss"))
    });
    group.finish();
}

criterion_group!(benches, epoch);
criterion_main!(benches);
