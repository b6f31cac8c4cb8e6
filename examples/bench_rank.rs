//! Whole-catalogue Hamming ranking for every user, natively: the numbers the browser
//! benchmark (`npm run bench:browser`) measures in wasm, on the same codes.
//!
//! ```sh
//! cargo run --release --example bench_rank -- [--bits 8,16,32,64] \
//!     [--methods reference,full,top:10,top:100] [--users 2999] [--items 3615] \
//!     [--seed 1] [--min-ms 1000] [--json FILE]
//! cargo run --release --example bench_rank -- --codes DIR --bits 32 [--write-topk K]
//! ```
//!
//! Codes are seeded random codes of ml-1m-head's size (`ccsr::bench::random_codes`, user
//! seed `seed`, item seed `seed + 1`), or `DIR/users.u8` and `DIR/items.u8` in FAISS
//! layout (`examples/export_codes.rs`). Each (r, method) is repeated until `--min-ms`
//! have passed; the median of the repetitions is reported as ms per ranking of the
//! whole catalogue for all users (wall time, and this thread's CPU time beside it) and
//! ns per (user, item) pair. `--write-topk K` also
//! writes `DIR/ours_topk_K.u32`: every user's K smallest distances in order, for the
//! comparison with FAISS in `scripts/bench-faiss.py`.

use std::path::PathBuf;
use std::time::Instant;

/// CPU time of this thread in ms (Linux `CLOCK_THREAD_CPUTIME_ID`): less sensitive than
/// wall time to other processes sharing the cores; reported beside it.
#[cfg(target_os = "linux")]
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into `t`.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.sec as f64 * 1e3 + t.nsec as f64 * 1e-6
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ms() -> f64 {
    f64::NAN
}

use ccsr::bench::{self, Method};
use ccsr::codes::BinaryCodes;

struct Options {
    bits: Vec<usize>,
    methods: Vec<Method>,
    users: usize,
    items: usize,
    seed: u64,
    min_ms: f64,
    json: Option<PathBuf>,
    codes: Option<PathBuf>,
    write_topk: Vec<usize>,
}

fn parse_list<T>(text: &str, f: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    text.split(',').map(|s| f(s.trim())).collect()
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("not a number: {text:?}"))
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        bits: vec![8, 16, 32, 64],
        methods: parse_list("reference,per-user,full,top:10,top:100", Method::parse)?,
        users: bench::ML1M_HEAD_USERS,
        items: bench::ML1M_HEAD_ITEMS,
        seed: 1,
        min_ms: 1000.0,
        json: None,
        codes: None,
        write_topk: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--bits" => o.bits = parse_list(&value()?, number)?,
            "--methods" => o.methods = parse_list(&value()?, Method::parse)?,
            "--users" => o.users = number(&value()?)?,
            "--items" => o.items = number(&value()?)?,
            "--seed" => o.seed = number(&value()?)?,
            "--min-ms" => o.min_ms = number(&value()?)?,
            "--json" => o.json = Some(value()?.into()),
            "--codes" => o.codes = Some(value()?.into()),
            "--write-topk" => o.write_topk = parse_list(&value()?, number)?,
            "--help" | "-h" => {
                println!("see the doc comment of examples/bench_rank.rs");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn main() {
    let o = options().unwrap_or_else(|e| {
        eprintln!("bench_rank: {e}");
        std::process::exit(2)
    });
    let mut rows = Vec::new();
    println!(
        "{:>4} {:>10} {:>6} {:>6} {:>10} {:>9} {:>10} {:>5} {:>18}",
        "r", "method", "users", "items", "ms/all", "ns/pair", "cpu ms", "reps", "checksum"
    );
    for &bits in &o.bits {
        let (users, items) = match &o.codes {
            Some(dir) => {
                let read = |name: &str| {
                    let path = dir.join(name);
                    let bytes =
                        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    BinaryCodes::from_faiss_bytes(bits, &bytes)
                };
                (read("users.u8"), read("items.u8"))
            }
            None => (
                bench::random_codes(o.users, bits, o.seed),
                bench::random_codes(o.items, bits, o.seed + 1),
            ),
        };
        let pairs = (users.len() * items.len()) as f64;
        for &method in &o.methods {
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let started = Instant::now();
            let mut summary = bench::rank_all(&users, &items, method); // warm-up
            while times.len() < 3 || started.elapsed().as_secs_f64() * 1e3 < o.min_ms {
                let (t, c) = (Instant::now(), thread_cpu_ms());
                summary = bench::rank_all(&users, &items, method);
                cpu.push(thread_cpu_ms() - c);
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(f64::total_cmp);
            cpu.sort_by(f64::total_cmp);
            let ms = times[times.len() / 2];
            let cpu_ms = cpu[cpu.len() / 2];
            let ns = ms * 1e6 / pairs;
            println!(
                "{bits:>4} {:>10} {:>6} {:>6} {ms:>10.2} {ns:>9.3} {cpu_ms:>10.2} {:>5} {:>18x}",
                method.name(),
                users.len(),
                items.len(),
                times.len(),
                summary.checksum
            );
            rows.push(serde_json::json!({
                "bits": bits, "method": method.name(), "users": users.len(),
                "items": items.len(), "ms": ms, "ns_per_pair": ns, "cpu_ms": cpu_ms,
                "reps": times.len(),
                "codes_dir": o.codes.as_ref().map(|d| d.display().to_string()),
                "checksum": format!("{:x}", summary.checksum),
            }));
        }
        if let Some(dir) = &o.codes {
            for &k in &o.write_topk {
                let distances = bench::top_k_distances(&users, &items, k);
                let bytes: Vec<u8> = distances.iter().flat_map(|d| d.to_le_bytes()).collect();
                let path = dir.join(format!("ours_topk_{k}.u32"));
                std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            }
        }
    }
    if let Some(path) = &o.json {
        let json = serde_json::json!({ "native": rows });
        std::fs::write(path, serde_json::to_string_pretty(&json).expect("json"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
