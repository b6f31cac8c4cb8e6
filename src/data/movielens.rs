//! MovieLens readers (the paper's Movielens1M, sec. 5.1, and the smaller 100K release).
//!
//! - 1M: `ratings.dat` `UserID::MovieID::Rating::Timestamp`, `movies.dat`
//!   `MovieID::Title::Genres` (genres joined by `|`), `users.dat`
//!   `UserID::Gender::Age::Occupation::Zip-code`.
//! - 100K: `u.data` `user<TAB>item<TAB>rating<TAB>timestamp`, `u.item`
//!   `id|title|release date|video release date|IMDb URL|` then 19 genre flags.
//!
//! Titles are latin-1 as released (a file that is valid UTF-8 is read as UTF-8).
//! Ratings must be whole numbers 1..=5; a user rating a movie twice is an error.
//!
//! Dense ids follow increasing original ids. Only users and movies with at least one
//! rating get an id: the movies and users files name them and are checked against the
//! ratings (every rated movie must be listed), but their unrated entries are left out
//! (ml-1m-head has 3,615 rated movies of movies.dat's 3,883 and 2,999 of 6,040 users).

use super::error::{DataError, DataErrorKind};
use super::ids::{finish, Duplicates, NumericIds, Row};
use super::text::{field_count_error, lines, parse_field, require_data, split_into, Encoding};
use super::{Catalog, Dataset, Feedback, Interaction, Ratings};

pub const ML1M_RATINGS: &str = "ratings.dat";
pub const ML1M_MOVIES: &str = "movies.dat";
pub const ML1M_USERS: &str = "users.dat";
pub const ML100K_DATA: &str = "u.data";
pub const ML100K_ITEMS: &str = "u.item";

/// The 19 genre flags of `u.item`, in column order (as listed in `u.genre`).
pub const ML100K_GENRES: [&str; 19] = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
];

/// MovieLens 1M from the bytes of `ratings.dat` and, optionally, `movies.dat` (titles
/// and genres) and `users.dat` (checked: every rating's user must be listed).
pub fn parse_ml1m(
    ratings: &[u8],
    movies: Option<&[u8]>,
    users: Option<&[u8]>,
) -> Result<Dataset, DataError> {
    let raw = parse_ratings(ML1M_RATINGS, ratings, b"::")?;
    let movies = movies.map(parse_ml1m_movies).transpose()?;
    let users = users
        .map(|bytes| parse_listing(ML1M_USERS, bytes, 5, "user id"))
        .transpose()?;
    assemble("MovieLens 1M", ML1M_RATINGS, raw, movies, users)
}

/// MovieLens 100K from the bytes of `u.data` and, optionally, `u.item`.
pub fn parse_ml100k(data: &[u8], items: Option<&[u8]>) -> Result<Dataset, DataError> {
    let raw = parse_ratings(ML100K_DATA, data, b"\t")?;
    let movies = items.map(parse_ml100k_items).transpose()?;
    assemble("MovieLens 100K", ML100K_DATA, raw, movies, None)
}

/// One line of a ratings file, ids still original.
struct RawRating {
    user: u32,
    item: u32,
    rating: f32,
    timestamp: i64,
    line: usize,
}

/// A companion file's name and its entries.
type Listing<T> = (&'static str, Vec<T>);

/// One movie of `movies.dat` / `u.item`.
struct Movie {
    id: u32,
    title: String,
    genres: Vec<String>,
    line: usize,
}

fn parse_ratings(file: &str, bytes: &[u8], sep: &[u8]) -> Result<Vec<RawRating>, DataError> {
    require_data(file, bytes)?;
    let mut fields = Vec::with_capacity(4);
    let mut out = Vec::with_capacity(bytes.len() / 20);
    for (line, text) in lines(bytes) {
        split_into(text, sep, &mut fields);
        if fields.len() != 4 {
            return Err(field_count_error(file, line, text, sep, "4", fields.len()));
        }
        let rating: f64 = parse_field(file, line, "rating", fields[2])?;
        if !(1.0..=5.0).contains(&rating) || rating.fract() != 0.0 {
            return Err(DataError::at(
                file,
                line,
                DataErrorKind::RatingOutOfRange,
                format!("rating {rating} is not a whole number in 1..=5"),
            ));
        }
        out.push(RawRating {
            user: parse_field(file, line, "user id", fields[0])?,
            item: parse_field(file, line, "movie id", fields[1])?,
            rating: rating as f32,
            timestamp: parse_field(file, line, "timestamp", fields[3])?,
            line,
        });
    }
    Ok(out)
}

fn parse_ml1m_movies(bytes: &[u8]) -> Result<Listing<Movie>, DataError> {
    let file = ML1M_MOVIES;
    require_data(file, bytes)?;
    let encoding = Encoding::of(bytes);
    let mut fields = Vec::with_capacity(3);
    let mut out = Vec::new();
    for (line, text) in lines(bytes) {
        split_into(text, b"::", &mut fields);
        if fields.len() != 3 {
            return Err(field_count_error(
                file,
                line,
                text,
                b"::",
                "3",
                fields.len(),
            ));
        }
        let genres = encoding.decode(fields[2]);
        out.push(Movie {
            id: parse_field(file, line, "movie id", fields[0])?,
            title: encoding.decode(fields[1]),
            genres: genres
                .split('|')
                .filter(|g| !g.is_empty())
                .map(str::to_string)
                .collect(),
            line,
        });
    }
    Ok((file, out))
}

fn parse_ml100k_items(bytes: &[u8]) -> Result<Listing<Movie>, DataError> {
    let file = ML100K_ITEMS;
    require_data(file, bytes)?;
    let encoding = Encoding::of(bytes);
    let expected = 5 + ML100K_GENRES.len();
    let mut fields = Vec::with_capacity(expected);
    let mut out = Vec::new();
    for (line, text) in lines(bytes) {
        split_into(text, b"|", &mut fields);
        if fields.len() != expected {
            let expected = expected.to_string();
            return Err(field_count_error(
                file,
                line,
                text,
                b"|",
                &expected,
                fields.len(),
            ));
        }
        let mut genres = Vec::new();
        for (flag, name) in fields[5..].iter().zip(ML100K_GENRES) {
            match flag.trim_ascii() {
                b"1" => genres.push(name.to_string()),
                b"0" => {}
                _ => {
                    return Err(DataError::at(
                        file,
                        line,
                        DataErrorKind::BadNumber,
                        format!("genre flag {name} must be 0 or 1"),
                    ))
                }
            }
        }
        out.push(Movie {
            id: parse_field(file, line, "movie id", fields[0])?,
            title: encoding.decode(fields[1]),
            genres,
            line,
        });
    }
    Ok((file, out))
}

/// The ids (first field) of a `::`-separated listing such as `users.dat`, with lines.
fn parse_listing(
    file: &'static str,
    bytes: &[u8],
    n_fields: usize,
    what: &str,
) -> Result<Listing<(u32, usize)>, DataError> {
    require_data(file, bytes)?;
    let mut fields = Vec::with_capacity(n_fields);
    let mut out = Vec::new();
    for (line, text) in lines(bytes) {
        split_into(text, b"::", &mut fields);
        if fields.len() != n_fields {
            let expected = n_fields.to_string();
            return Err(field_count_error(
                file,
                line,
                text,
                b"::",
                &expected,
                fields.len(),
            ));
        }
        out.push((parse_field(file, line, what, fields[0])?, line));
    }
    Ok((file, out))
}

/// Sorts a listing by id and rejects an id listed twice.
fn sorted_unique<T>(
    file: &str,
    what: &str,
    mut entries: Vec<T>,
    key: impl Fn(&T) -> (u32, usize),
) -> Result<Vec<T>, DataError> {
    entries.sort_unstable_by_key(|e| key(e));
    for pair in entries.windows(2) {
        let ((a, first), (b, line)) = (key(&pair[0]), key(&pair[1]));
        if a == b {
            return Err(DataError::at(
                file,
                line,
                DataErrorKind::Inconsistent,
                format!("{what} {b} is listed twice (first on line {first})"),
            ));
        }
    }
    Ok(entries)
}

fn not_listed(file: &str, line: usize, what: &str, id: u32, listing: &str) -> DataError {
    DataError::at(
        file,
        line,
        DataErrorKind::Inconsistent,
        format!("{what} {id} is not in {listing}"),
    )
}

fn assemble(
    name: &str,
    file: &str,
    raw: Vec<RawRating>,
    movies: Option<Listing<Movie>>,
    users: Option<Listing<(u32, usize)>>,
) -> Result<Dataset, DataError> {
    if let Some((listing, users)) = users {
        let users = sorted_unique(listing, "user", users, |&u| u)?;
        if let Some(r) = raw
            .iter()
            .find(|r| users.binary_search_by_key(&r.user, |u| u.0).is_err())
        {
            return Err(not_listed(file, r.line, "user", r.user, listing));
        }
    }
    let movies = match movies {
        Some((listing, movies)) => {
            let movies = sorted_unique(listing, "movie", movies, |m| (m.id, m.line))?;
            if let Some(r) = raw
                .iter()
                .find(|r| movies.binary_search_by_key(&r.item, |m| m.id).is_err())
            {
                return Err(not_listed(file, r.line, "movie", r.item, listing));
            }
            movies
        }
        None => Vec::new(),
    };
    let users = NumericIds::new(raw.iter().map(|r| r.user).collect());
    let items = NumericIds::new(raw.iter().map(|r| r.item).collect());
    let mut rows = Vec::with_capacity(raw.len());
    for r in &raw {
        // Every id came from `raw`, so both lookups succeed.
        if let (Some(user), Some(item)) = (users.dense(r.user), items.dense(r.item)) {
            rows.push(Row {
                interaction: Interaction {
                    user,
                    item,
                    rating: r.rating,
                    timestamp: r.timestamp,
                },
                line: r.line,
            });
        }
    }
    let interactions = finish(file, rows, Duplicates::Reject)?;
    let (titles, genres) = items
        .originals()
        .iter()
        .map(|id| {
            match movies
                .binary_search_by_key(id, |m| m.id)
                .map(|i| &movies[i])
            {
                Ok(m) => (m.title.clone(), m.genres.clone()),
                Err(_) => (String::new(), Vec::new()),
            }
        })
        .unzip();
    Ok(Dataset {
        name: name.to_string(),
        feedback: Feedback::Explicit,
        ratings: Ratings {
            n_users: users.originals().len(),
            n_items: items.originals().len(),
            interactions,
        },
        catalog: Catalog {
            user_ids: users.originals().iter().map(u32::to_string).collect(),
            item_ids: items.originals().iter().map(u32::to_string).collect(),
            titles,
            genres,
        },
    })
}
