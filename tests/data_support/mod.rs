//! Helpers shared by the data tests: the real data in ../shared/data (never copied into
//! the project) and in-memory zips built from it.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;

/// The shared data folder; a missing file fails the test (no skipping).
pub const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");

/// The bytes of `relative` under the shared data folder.
pub fn shared(relative: &str) -> Vec<u8> {
    let path = format!("{SHARED}/{relative}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("test data {path} missing: {e}"))
}

/// A deflate-compressed zip of `entries` (name, bytes), built in memory.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// The first `n` lines of `bytes` (newlines kept).
pub fn head_lines(bytes: &[u8], n: usize) -> Vec<u8> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .take(n)
        .flatten()
        .copied()
        .collect()
}
