//! The built-in data set: MovieLens-like ratings with planted tastes, deterministic by
//! seed (the app's default, small enough to train in seconds in a browser).
//!
//! Model: every movie has a main genre (and sometimes a second one), a quality and a
//! popularity rank; every user likes one or two genres and may dislike another. A user
//! picks movies with probability proportional to popularity x taste appeal (people
//! watch what they like), then rates them
//! `round(3.3 + bias_u + quality_i + taste_strength * affinity_ui + noise * N(0,1))`
//! clamped to 1..=5, where affinity is +1 for a liked genre and -1 for a disliked one
//! (half for a second genre). Only basic float arithmetic is used, so native and wasm
//! builds generate identical data.

use super::error::{DataError, DataErrorKind};
use super::{seeded_rng, Catalog, Dataset, Feedback, Interaction, Ratings, SeededRng};
use rand::seq::SliceRandom;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// Genre names, used in this order; `n_genres` takes a prefix.
pub const GENRES: [&str; 12] = [
    "Drama",
    "Comedy",
    "Thriller",
    "Romance",
    "Sci-Fi",
    "Adventure",
    "Animation",
    "Horror",
    "Documentary",
    "Mystery",
    "Western",
    "Musical",
];

const ADJECTIVES: [&str; 40] = [
    "Quiet", "Broken", "Silver", "Hidden", "Last", "Golden", "Silent", "Crimson", "Distant",
    "Wild", "Frozen", "Burning", "Lonely", "Secret", "Endless", "Bright", "Dark", "Lost", "Sudden",
    "Gentle", "Iron", "Paper", "Velvet", "Hollow", "Restless", "Midnight", "Northern", "Fading",
    "Stolen", "Electric", "Painted", "Savage", "Little", "Crooked", "Shining", "Bitter", "Patient",
    "Open", "Falling", "Glass",
];

const NOUNS: [&str; 40] = [
    "Harbor",
    "River",
    "Garden",
    "Station",
    "Letter",
    "Horizon",
    "Kingdom",
    "Mirror",
    "Road",
    "Summer",
    "Winter",
    "Orchard",
    "Island",
    "Engine",
    "Promise",
    "Lantern",
    "Valley",
    "City",
    "Voyage",
    "Witness",
    "Signal",
    "Shadow",
    "Bridge",
    "Canyon",
    "Frontier",
    "Melody",
    "Empire",
    "Stranger",
    "Forest",
    "Ocean",
    "Tower",
    "Circus",
    "Desert",
    "Planet",
    "Detective",
    "Hotel",
    "Carnival",
    "Machine",
    "Storm",
    "Heart",
];

/// Parameters of [`generate`]. The default is about MovieLens 1M's density (4%) at
/// 600 users x 800 movies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyntheticParams {
    pub n_users: usize,
    pub n_items: usize,
    /// Planted tastes: the number of genres, 1..=12.
    pub n_genres: usize,
    /// Expected fraction of the user x item matrix that is rated, in (0, 0.5].
    pub density: f64,
    /// Popularity skew, 0..=10: the movie of popularity rank r (0 = most popular) has
    /// weight 1 / (1 + 50 * skew * r / n_items); 0 makes all movies equally popular.
    pub popularity_skew: f64,
    /// How many stars a liked (disliked) genre adds (removes), 0..=5.
    pub taste_strength: f64,
    /// Standard deviation of the rating noise in stars, 0..=5.
    pub noise: f64,
    pub seed: u64,
}

impl Default for SyntheticParams {
    fn default() -> Self {
        SyntheticParams {
            n_users: 600,
            n_items: 800,
            n_genres: 8,
            density: 0.04,
            popularity_skew: 1.0,
            taste_strength: 1.0,
            noise: 0.9,
            seed: 42,
        }
    }
}

/// The rating of an average movie for an average user before taste and noise.
const BASE_RATING: f64 = 3.3;

/// Most ratings a generated data set may have (expected count), to bound memory.
pub const MAX_RATINGS: f64 = 5_000_000.0;

impl SyntheticParams {
    /// Checks every parameter's range; the error names the first bad one.
    pub fn validate(&self) -> Result<(), DataError> {
        let bad = |message: String| {
            Err(DataError::file(
                "synthetic parameters",
                DataErrorKind::InvalidParams,
                message,
            ))
        };
        let in_range = |x: f64, lo: f64, hi: f64| x.is_finite() && lo <= x && x <= hi;
        if !(1..=100_000).contains(&self.n_users) {
            return bad(format!(
                "n_users must be in 1..=100000, got {}",
                self.n_users
            ));
        }
        if !(2..=100_000).contains(&self.n_items) {
            return bad(format!(
                "n_items must be in 2..=100000, got {}",
                self.n_items
            ));
        }
        if !(1..=GENRES.len()).contains(&self.n_genres) {
            return bad(format!(
                "n_genres must be in 1..={}, got {}",
                GENRES.len(),
                self.n_genres
            ));
        }
        if !in_range(self.density, f64::MIN_POSITIVE, 0.5) {
            return bad(format!("density must be in (0, 0.5], got {}", self.density));
        }
        let expected = self.density * self.n_users as f64 * self.n_items as f64;
        if expected > MAX_RATINGS {
            return bad(format!(
                "about {expected:.0} ratings requested; at most {MAX_RATINGS} allowed"
            ));
        }
        for (name, value, hi) in [
            ("popularity_skew", self.popularity_skew, 10.0),
            ("taste_strength", self.taste_strength, 5.0),
            ("noise", self.noise, 5.0),
        ] {
            if !in_range(value, 0.0, hi) {
                return bad(format!("{name} must be in 0..={hi}, got {value}"));
            }
        }
        Ok(())
    }
}

/// A movie's planted traits.
struct Movie {
    genres: Vec<usize>,
    quality: f64,
    popularity: f64,
}

/// A user's planted traits.
struct Taste {
    liked: Vec<usize>,
    disliked: Option<usize>,
    bias: f64,
}

impl Taste {
    /// +1 for a liked genre, -1 for the disliked one; a second genre counts half.
    fn affinity(&self, movie: &Movie) -> f64 {
        movie
            .genres
            .iter()
            .zip([1.0, 0.5])
            .map(|(g, weight)| {
                let sign = if self.liked.contains(g) {
                    1.0
                } else if self.disliked == Some(*g) {
                    -1.0
                } else {
                    0.0
                };
                weight * sign
            })
            .sum()
    }
}

/// The synthetic data set for `params` (same parameters, same data set).
pub fn generate(params: &SyntheticParams) -> Result<Dataset, DataError> {
    params.validate()?;
    let rng = &mut seeded_rng(params.seed);
    let movies = plant_movies(params, rng);
    let tastes: Vec<Taste> = (0..params.n_users)
        .map(|_| plant_taste(params, rng))
        .collect();
    let mut interactions = Vec::new();
    for (user, taste) in tastes.iter().enumerate() {
        let mut picked = pick_movies(params, taste, &movies, rng);
        picked.sort_unstable();
        for item in picked {
            let movie = &movies[item];
            let score = BASE_RATING
                + taste.bias
                + movie.quality
                + params.taste_strength * taste.affinity(movie)
                + params.noise * normal(rng);
            interactions.push(Interaction {
                user: user as u32,
                item: item as u32,
                rating: score.round().clamp(1.0, 5.0) as f32,
                timestamp: 0,
            });
        }
    }
    Ok(Dataset {
        name: format!("Synthetic (seed {})", params.seed),
        feedback: Feedback::Explicit,
        ratings: Ratings {
            n_users: params.n_users,
            n_items: params.n_items,
            interactions,
        },
        catalog: Catalog {
            user_ids: (1..=params.n_users).map(|u| u.to_string()).collect(),
            item_ids: (1..=params.n_items).map(|i| i.to_string()).collect(),
            titles: titles(params.n_items, rng),
            genres: movies
                .iter()
                .map(|m| m.genres.iter().map(|&g| GENRES[g].to_string()).collect())
                .collect(),
        },
    })
}

/// A standard normal draw (Irwin-Hall: the sum of 12 uniforms minus 6).
fn normal(rng: &mut SeededRng) -> f64 {
    (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0
}

/// A genre other than `not` (requires at least two genres).
fn other_genre(rng: &mut SeededRng, n_genres: usize, not: usize) -> usize {
    (not + 1 + rng.random_range(0..n_genres - 1)) % n_genres
}

fn plant_movies(params: &SyntheticParams, rng: &mut SeededRng) -> Vec<Movie> {
    let n = params.n_items;
    let mut rank: Vec<usize> = (0..n).collect();
    rank.shuffle(rng);
    rank.iter()
        .map(|&r| {
            let main = rng.random_range(0..params.n_genres);
            let mut genres = vec![main];
            if params.n_genres > 1 && rng.random::<f64>() < 0.35 {
                genres.push(other_genre(rng, params.n_genres, main));
            }
            Movie {
                genres,
                quality: 0.4 * normal(rng),
                popularity: 1.0 / (1.0 + 50.0 * params.popularity_skew * r as f64 / n as f64),
            }
        })
        .collect()
}

fn plant_taste(params: &SyntheticParams, rng: &mut SeededRng) -> Taste {
    let g = params.n_genres;
    let first = rng.random_range(0..g);
    let mut liked = vec![first];
    if g > 1 && rng.random::<f64>() < 0.5 {
        liked.push(other_genre(rng, g, first));
    }
    let disliked = (g > liked.len()).then(|| loop {
        let d = rng.random_range(0..g);
        if !liked.contains(&d) {
            break d;
        }
    });
    Taste {
        liked,
        disliked,
        bias: 0.3 * normal(rng),
    }
}

/// The movies a user rates: a long-tailed count around `density * n_items` (at least
/// one, at most half the catalogue), drawn without replacement with probability
/// proportional to popularity x appeal (3 for a liked genre, 1/3 for a disliked one).
fn pick_movies(
    params: &SyntheticParams,
    taste: &Taste,
    movies: &[Movie],
    rng: &mut SeededRng,
) -> Vec<usize> {
    let n = movies.len();
    let mean = params.density * n as f64;
    let spread = normal(rng);
    let count = (mean * (0.25 + 0.75 * spread * spread)).round() as usize;
    let count = count.clamp(1, (n / 2).max(1));
    let mut cumulative = Vec::with_capacity(n);
    let mut total = 0.0;
    for movie in movies {
        let affinity = taste.affinity(movie);
        let appeal = if affinity > 0.0 {
            3.0
        } else if affinity < 0.0 {
            1.0 / 3.0
        } else {
            1.0
        };
        total += movie.popularity * appeal;
        cumulative.push(total);
    }
    let mut chosen = vec![false; n];
    let mut picked = Vec::with_capacity(count);
    // Rejection sampling; the attempt cap only guards against pathological weights.
    for _ in 0..100 * n {
        if picked.len() == count {
            break;
        }
        let target = rng.random::<f64>() * total;
        let item = cumulative.partition_point(|&c| c <= target).min(n - 1);
        if !chosen[item] {
            chosen[item] = true;
            picked.push(item);
        }
    }
    picked
}

/// Unique readable titles: a shuffled adjective-noun pair and a year, e.g.
/// "Quiet Harbor (1994)"; past 1,600 movies the pairs repeat with a sequel number.
fn titles(n: usize, rng: &mut SeededRng) -> Vec<String> {
    let mut pairs: Vec<(&str, &str)> = ADJECTIVES
        .iter()
        .flat_map(|&a| NOUNS.iter().map(move |&b| (a, b)))
        .collect();
    pairs.shuffle(rng);
    (0..n)
        .map(|i| {
            let (adjective, noun) = pairs[i % pairs.len()];
            let year = 1930 + rng.random_range(0..71);
            match i / pairs.len() {
                0 => format!("{adjective} {noun} ({year})"),
                k => format!("{adjective} {noun} {} ({year})", k + 1),
            }
        })
        .collect()
}
