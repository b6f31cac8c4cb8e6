//! Parsing speed of MovieLens 1M (ml-1m-head: 487,650 ratings) from ../shared/data:
//! the text readers on bytes in memory, and the same files read from an in-memory zip.

use ccsr::data::{self, movielens};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Write;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/ml-1m-head");

fn read(name: &str) -> Vec<u8> {
    let path = format!("{DATA}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("benchmark data {path} missing: {e}"))
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

fn parse(c: &mut Criterion) {
    let (ratings, movies) = (read("ratings.dat"), read("movies.dat"));
    let zip = zip_of(&[
        ("ml-1m/ratings.dat", &ratings),
        ("ml-1m/movies.dat", &movies),
    ]);
    let mut group = c.benchmark_group("ml-1m-head");
    group.sample_size(20);
    group.throughput(Throughput::Bytes((ratings.len() + movies.len()) as u64));
    group.bench_function("parse_ml1m ratings+movies", |b| {
        b.iter(|| movielens::parse_ml1m(black_box(&ratings), Some(black_box(&movies)), None))
    });
    group.bench_function("load_zip ratings+movies", |b| {
        b.iter(|| data::load_zip("ml-1m.zip", black_box(&zip)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
