//! Benchmark workloads shared by the native benchmarks (`benches/rank.rs`,
//! `examples/bench_rank.rs`) and the wasm bench page (`www/bench.html`), so that native
//! and wasm rank the same codes with the same code and their numbers can be set side by
//! side: seeded random codes of ml-1m-head's size and the whole-catalogue ranking of
//! every user by one of the ranking paths, with a checksum of the results that must
//! agree between paths (and between native and wasm).

use crate::codes::BinaryCodes;
use crate::data::{seeded_rng, Interaction, Ratings, Split};
use crate::rank::{self, HammingRanker, Ranking, Strategy};
use rand::RngExt;

/// Users in ml-1m-head (MovieLens 1M's users 1..2999).
pub const ML1M_HEAD_USERS: usize = 2_999;
/// Items in ml-1m-head.
pub const ML1M_HEAD_ITEMS: usize = 3_615;

/// A seeded random split of `users x items`: each pair rated (1..=5, uniform) with
/// probability `density`, each rating in test with probability `test_share`.
pub fn random_split(users: usize, items: usize, density: f64, test_share: f64, seed: u64) -> Split {
    let mut rng = seeded_rng(seed);
    let empty = || Ratings {
        n_users: users,
        n_items: items,
        interactions: Vec::new(),
    };
    let mut split = Split {
        train: empty(),
        test: empty(),
    };
    for user in 0..users as u32 {
        for item in 0..items as u32 {
            if rng.random_bool(density) {
                let rating = rng.random_range(1..=5) as f32;
                let part = if rng.random_bool(test_share) {
                    &mut split.test
                } else {
                    &mut split.train
                };
                part.interactions.push(Interaction {
                    user,
                    item,
                    rating,
                    timestamp: 0,
                });
            }
        }
    }
    split
}

/// `n` seeded random codes of `bits` bits (each bit a fair coin), the same on every
/// platform for the same seed.
pub fn random_codes(n: usize, bits: usize, seed: u64) -> BinaryCodes {
    let mut rng = seeded_rng(seed);
    let words_per_code = bits.div_ceil(64);
    let mut words = Vec::with_capacity(n * words_per_code);
    for _ in 0..n {
        for w in 0..words_per_code {
            let used = (bits - 64 * w).min(64);
            let mask = if used == 64 { !0 } else { (1u64 << used) - 1 };
            words.push(rng.random::<u64>() & mask);
        }
    }
    BinaryCodes::from_words(n, bits, words)
}

/// How every user's ranking of the whole catalogue is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The first implementation, [`rank::reference::by_hamming`], one user at a time.
    Reference,
    /// [`rank::by_hamming`] per user (a fresh ranker each time, as metrics calls it).
    PerUser,
    /// [`rank::rank_all_users`], full rankings.
    Full,
    /// [`rank::rank_all_users`] through depth k (k-NN with the boundary tie group whole).
    Top(usize),
    /// [`HammingRanker::rank_with`] through depth k by a given strategy, per user.
    TopWith(usize, Strategy),
}

impl Method {
    /// Parses "reference", "per-user", "full" or "top:K".
    pub fn parse(text: &str) -> Result<Method, String> {
        match text {
            "reference" => Ok(Method::Reference),
            "per-user" => Ok(Method::PerUser),
            "full" => Ok(Method::Full),
            _ => {
                let (kind, k) = text.split_once(':').unwrap_or((text, ""));
                let k = k.parse().ok().filter(|&k| k > 0);
                match (kind, k) {
                    ("top", Some(k)) => Ok(Method::Top(k)),
                    ("top-hist", Some(k)) => Ok(Method::TopWith(k, Strategy::Histogram)),
                    ("top-thr", Some(k)) => Ok(Method::TopWith(k, Strategy::Threshold)),
                    _ => Err(format!(
                        "unknown method {text:?} (reference, per-user, full, top:K, \
                         top-hist:K, top-thr:K)"
                    )),
                }
            }
        }
    }

    /// The name [`Method::parse`] reads.
    pub fn name(self) -> String {
        match self {
            Method::Reference => "reference".into(),
            Method::PerUser => "per-user".into(),
            Method::Full => "full".into(),
            Method::Top(k) => format!("top:{k}"),
            Method::TopWith(k, Strategy::Histogram) => format!("top-hist:{k}"),
            Method::TopWith(k, Strategy::Threshold) => format!("top-thr:{k}"),
            Method::TopWith(k, Strategy::Auto) => format!("top:{k}"),
        }
    }
}

/// What one whole-catalogue ranking of every user returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// A hash of every user's first [`CHECKED`] items and their distances (and of the
    /// number of items ranked when the ranking is full): equal across methods that
    /// return at least that many items.
    pub checksum: u64,
    /// Items returned over all users.
    pub items: usize,
}

/// Positions per user that [`Summary::checksum`] covers.
pub const CHECKED: usize = 10;

/// Ranks the whole catalogue `items` for every user of `users` by `method`.
pub fn rank_all(users: &BinaryCodes, items: &BinaryCodes, method: Method) -> Summary {
    let mut summary = Summary {
        checksum: 0xcbf2_9ce4_8422_2325,
        items: 0,
    };
    let mut visit = |user: usize, ranking: &Ranking<u32>| {
        summary.items += ranking.items().len();
        let mut h = summary.checksum ^ user as u64;
        let mut position = 0;
        'groups: for (group, group_items) in ranking.tie_groups() {
            for &item in group_items {
                if position == CHECKED {
                    break 'groups;
                }
                h = mix(h ^ (u64::from(group.key) << 32 | u64::from(item)));
                position += 1;
            }
        }
        summary.checksum = mix(h);
    };
    match method {
        Method::Reference | Method::PerUser => {
            let all: Vec<u32> = (0..items.len() as u32).collect();
            for user in 0..users.len() {
                let ranking = if method == Method::Reference {
                    rank::reference::by_hamming(users.code(user), items, &all)
                } else {
                    rank::by_hamming(users.code(user), items, &all)
                };
                visit(user, &ranking);
            }
        }
        Method::Full => rank::rank_all_users(users, items, usize::MAX, visit),
        Method::Top(k) => rank::rank_all_users(users, items, k, visit),
        Method::TopWith(k, strategy) => {
            let mut ranker = HammingRanker::new();
            for user in 0..users.len() {
                visit(
                    user,
                    ranker.rank_with(strategy, users.code(user), items, None, k),
                );
            }
        }
    }
    summary
}

/// Per user, the distances of the first `k` ranked items (the k nearest items' distances
/// in order; what FAISS's `IndexBinaryFlat::search` returns as `D`), row after row.
pub fn top_k_distances(users: &BinaryCodes, items: &BinaryCodes, k: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(users.len() * k.min(items.len()));
    let mut ranker = HammingRanker::new();
    for user in 0..users.len() {
        let ranking = ranker.rank_catalogue(users.code(user), items, k);
        let start = out.len();
        'groups: for (group, group_items) in ranking.tie_groups() {
            for _ in group_items {
                if out.len() - start == k {
                    break 'groups;
                }
                out.push(group.key);
            }
        }
    }
    out
}

/// A 64-bit finaliser (splitmix64's).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_codes_are_seeded_and_padded() {
        let a = random_codes(50, 70, 3);
        assert_eq!(a, random_codes(50, 70, 3));
        assert_ne!(a, random_codes(50, 70, 4));
        assert!(a.words().chunks(2).all(|c| c[1] >> 6 == 0));
        // Roughly half the bits set.
        let ones: u32 = a.words().iter().map(|w| w.count_ones()).sum();
        assert!((1400..2100).contains(&ones), "{ones} of 3500 bits set");
    }

    #[test]
    fn every_method_gives_the_same_checksum() {
        for bits in [3, 8, 64, 100] {
            let users = random_codes(37, bits, 1);
            let items = random_codes(501, bits, 2);
            let reference = rank_all(&users, &items, Method::Reference);
            assert_eq!(reference.items, 37 * 501);
            for method in [
                "per-user",
                "full",
                "top:10",
                "top:501",
                "top-hist:10",
                "top-thr:10",
                "top-thr:600",
            ] {
                let method = Method::parse(method).unwrap();
                let summary = rank_all(&users, &items, method);
                assert_eq!(summary.checksum, reference.checksum, "{method:?} r={bits}");
            }
            let top1 = rank_all(&users, &items, Method::Top(1));
            assert!(top1.items < reference.items);
        }
    }

    #[test]
    fn top_k_distances_are_the_smallest_in_order() {
        let users = random_codes(5, 16, 1);
        let items = random_codes(200, 16, 2);
        let got = top_k_distances(&users, &items, 7);
        for (user, row) in got.chunks(7).enumerate() {
            let mut all: Vec<u32> = (0..200)
                .map(|i| items.hamming(users.code(user), i))
                .collect();
            all.sort_unstable();
            assert_eq!(row, &all[..7]);
        }
    }

    #[test]
    fn methods_parse_and_print() {
        for name in [
            "reference",
            "per-user",
            "full",
            "top:100",
            "top-thr:5",
            "top-hist:1",
        ] {
            assert_eq!(Method::parse(name).unwrap().name(), name);
        }
        assert!(Method::parse("top:0").is_err());
        assert!(Method::parse("fast").is_err());
    }
}
