//! Writes user and item codes in FAISS's `IndexBinary` layout (`users.u8`, `items.u8`,
//! see `ccsr::export`) plus `meta.json` (`{"bits", "d", "users", "items", "codes"}`), for
//! the FAISS comparison (`scripts/bench-faiss.sh`) and the native benchmark
//! (`bench_rank --codes DIR`).
//!
//! ```sh
//! # seeded random codes of ml-1m-head's size (the benchmarks' codes)
//! cargo run --release --example export_codes -- random --bits 32 --out DIR \
//!     [--users 2999] [--items 3615] [--seed 1]
//! # CCSR codes trained on a data set (sign codes; the app's training run, paper
//! # defaults; also writes ids.json, the id map)
//! cargo run --release --example export_codes -- trained --data ../shared/data/ml-1m-head \
//!     --bits 40 --out DIR [--epochs 20] [--seed 1]
//! ```

use std::path::PathBuf;

use ccsr::app::{Training, Workspace};
use ccsr::bench;
use ccsr::binarize::{Binarization, Embedding};
use ccsr::codes::BinaryCodes;
use ccsr::data::load_path;
use ccsr::experiment::TrainSettings;
use ccsr::export::{faiss_codes, write_faiss};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: export_codes random|trained --bits R --out DIR [options]";
    let kind = args.first().expect(usage).clone();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .map(|i| args.get(i + 1).expect(usage).clone())
    };
    let number =
        |name: &str, default: usize| flag(name).map_or(default, |v| v.parse().expect("a number"));
    let bits = number("--bits", 32);
    let seed = number("--seed", 1) as u64;
    let out = PathBuf::from(flag("--out").expect(usage));
    std::fs::create_dir_all(&out).expect("create the output folder");

    let (users, items) = match kind.as_str() {
        "random" => {
            let (users, items) = (
                bench::random_codes(number("--users", bench::ML1M_HEAD_USERS), bits, seed),
                bench::random_codes(number("--items", bench::ML1M_HEAD_ITEMS), bits, seed + 1),
            );
            write(&out, &users, &items);
            (users, items)
        }
        "trained" => {
            let data = PathBuf::from(flag("--data").expect(usage));
            let dataset = load_path(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
            let workspace = Workspace::new(dataset, 1);
            let settings = TrainSettings {
                model: "ccsr".into(),
                bits,
                seed,
                epochs: number("--epochs", 20),
                ..TrainSettings::default()
            };
            let mut training = Training::new(settings, &workspace).expect("settings");
            while !training.is_finished() {
                let record = training.step().expect("an epoch");
                eprintln!("epoch {}", record.epoch);
            }
            let Ok(Embedding::Binary { users, items }) =
                training.embedding(Some(Binarization::Sign))
            else {
                panic!("sign codes");
            };
            write(&out, &users, &items);
            write_faiss(&out, &users, &items, &workspace.dataset().catalog).expect("write codes");
            (users, items)
        }
        _ => panic!("{usage}"),
    };
    let meta = serde_json::json!({
        "bits": bits, "d": bits.div_ceil(8) * 8, "users": users.len(), "items": items.len(),
        "codes": kind,
    });
    std::fs::write(out.join("meta.json"), meta.to_string()).expect("write meta.json");
    println!(
        "wrote {} users and {} items, r = {bits}, to {}",
        users.len(),
        items.len(),
        out.display()
    );
}

fn write(out: &std::path::Path, users: &BinaryCodes, items: &BinaryCodes) {
    std::fs::write(out.join("users.u8"), faiss_codes(users).bytes).expect("write users.u8");
    std::fs::write(out.join("items.u8"), faiss_codes(items).bytes).expect("write items.u8");
}
