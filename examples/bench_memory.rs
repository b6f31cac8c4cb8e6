//! Bytes per user / item: packed binary codes versus real-valued features, measured with
//! a counting global allocator (live heap bytes after building them, minus before), at
//! ml-1m-head's size (2,999 users, 3,615 items), and the paper's introduction example
//! (10 million items, 256 dimensions: "over 19 GB" as f64 vectors, "0.3 GB" as codes)
//! recomputed from the measured bytes per item.
//!
//! ```sh
//! cargo run --release --example bench_memory [-- --json FILE]
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ccsr::bench::{random_codes, ML1M_HEAD_ITEMS, ML1M_HEAD_USERS};
use ndarray::Array2;

/// The system allocator, counting live bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live heap bytes held by what `build` returns.
fn heap_of<T>(build: impl FnOnce() -> T) -> (usize, T) {
    let before = LIVE.load(Ordering::Relaxed);
    let value = build();
    (LIVE.load(Ordering::Relaxed) - before, value)
}

fn main() {
    let json_path = std::env::args()
        .skip_while(|a| a != "--json")
        .nth(1)
        .map(std::path::PathBuf::from);
    let mut rows = Vec::new();
    println!(
        "{:>5} {:>14} {:>14} {:>14} {:>12} {:>12} {:>12}",
        "r",
        "codes B/entity",
        "f32 B/entity",
        "f64 B/entity",
        "f32/codes",
        "codes total",
        "f32 total"
    );
    for bits in [8, 16, 20, 32, 40, 64, 128, 256] {
        let n = ML1M_HEAD_USERS + ML1M_HEAD_ITEMS;
        let (code_bytes, (users, items)) = heap_of(|| {
            (
                random_codes(ML1M_HEAD_USERS, bits, 1),
                random_codes(ML1M_HEAD_ITEMS, bits, 2),
            )
        });
        assert_eq!(code_bytes, users.heap_bytes() + items.heap_bytes());
        let (f32_bytes, features) = heap_of(|| {
            (
                Array2::<f32>::zeros((ML1M_HEAD_USERS, bits)),
                Array2::<f32>::zeros((ML1M_HEAD_ITEMS, bits)),
            )
        });
        let (f64_bytes, doubles) = heap_of(|| Array2::<f64>::zeros((ML1M_HEAD_ITEMS, bits)));
        drop((users, items, features));
        let per = |bytes: usize, count: usize| bytes as f64 / count as f64;
        let (c, f, d) = (
            per(code_bytes, n),
            per(f32_bytes, n),
            per(f64_bytes, doubles.nrows()),
        );
        println!(
            "{bits:>5} {c:>14.1} {f:>14.1} {d:>14.1} {:>12.1} {:>11.1}K {:>11.1}K",
            f / c,
            code_bytes as f64 / 1024.0,
            f32_bytes as f64 / 1024.0
        );
        rows.push(serde_json::json!({
            "bits": bits, "entities": n, "codes_bytes": code_bytes, "f32_bytes": f32_bytes,
            "codes_bytes_per_entity": c, "f32_bytes_per_entity": f, "f64_bytes_per_entity": d,
        }));
    }
    // The paper's example, from the measured bytes per item at r = 256.
    let r256 = rows.last().expect("r = 256 measured");
    let items = 10_000_000f64;
    let gib = |bytes_per_item: f64| bytes_per_item * items / (1u64 << 30) as f64;
    let gb = |bytes_per_item: f64| bytes_per_item * items / 1e9;
    let codes = r256["codes_bytes_per_entity"].as_f64().expect("number");
    let f32s = r256["f32_bytes_per_entity"].as_f64().expect("number");
    let f64s = r256["f64_bytes_per_entity"].as_f64().expect("number");
    println!(
        "\n10 million items at 256 dimensions (the paper's example: over 19 GB as f64, 0.3 GB as codes):"
    );
    println!(
        "  f64 features {:.2} GB ({:.2} GiB), f32 features {:.2} GB ({:.2} GiB), 256-bit codes {:.3} GB ({:.3} GiB): {:.0}x and {:.0}x smaller",
        gb(f64s),
        gib(f64s),
        gb(f32s),
        gib(f32s),
        gb(codes),
        gib(codes),
        f64s / codes,
        f32s / codes
    );
    if let Some(path) = json_path {
        let json = serde_json::json!({ "rows": rows, "paper_example": {
            "items": 10_000_000u64, "dims": 256, "f64_gb": gb(f64s), "f32_gb": gb(f32s),
            "codes_gb": gb(codes) } });
        std::fs::write(&path, serde_json::to_string_pretty(&json).expect("json"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
