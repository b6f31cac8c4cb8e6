//! Recognising a data set from file names (a folder, a zip's entries, or the files a
//! browser user picked) and reading it with the right parser.
//!
//! Names match by their last path component, case-insensitively, so `ml-1m/ratings.dat`
//! and `RATINGS.DAT` both count as `ratings.dat`. The layouts, in order:
//! - MovieLens 1M: `ratings.dat`, optionally `movies.dat`, `users.dat`;
//! - MovieLens 100K: `u.data`, optionally `u.item`;
//! - one `.csv`, `.tsv` or `.txt` file: [`delimited::parse`] with detected options;
//! - (`load_files`, `load_path` only) one `.zip` file: [`load_zip`].
//!
//! Other files are ignored. A name matched twice, or both MovieLens layouts, is an error.

use super::archive::load_zip;
use super::delimited::{self, DelimitedOptions};
use super::error::{DataError, DataErrorKind};
use super::movielens::{self, ML100K_DATA, ML100K_ITEMS, ML1M_MOVIES, ML1M_RATINGS, ML1M_USERS};
use super::Dataset;
use std::borrow::Cow;

/// Which reader a list of file names calls for; fields are indices into that list.
pub(crate) enum Layout {
    Ml1m {
        ratings: usize,
        movies: Option<usize>,
        users: Option<usize>,
    },
    Ml100k {
        data: usize,
        items: Option<usize>,
    },
    Delimited(usize),
    Zip(usize),
}

/// The last path component of `name`.
fn file_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The last path component of `name`, lowercased (what layouts match on).
fn base_name(name: &str) -> String {
    file_name(name).to_ascii_lowercase()
}

/// The index of the one file called `wanted`, if any; an error if there are several.
fn find_one(source: &str, names: &[&str], wanted: &str) -> Result<Option<usize>, DataError> {
    find_where(source, names, wanted, |base| base == wanted)
}

fn find_where(
    source: &str,
    names: &[&str],
    what: &str,
    matches: impl Fn(&str) -> bool,
) -> Result<Option<usize>, DataError> {
    let mut found = names
        .iter()
        .enumerate()
        .filter(|(_, n)| matches(&base_name(n)));
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Ok(Some(i)),
        (Some((_, a)), Some((_, b))) => Err(DataError::file(
            source,
            DataErrorKind::MissingFile,
            format!("more than one {what} file ({a}, {b}): give only one data set"),
        )),
        _ => Ok(None),
    }
}

impl Layout {
    /// The layout of `names`; `allow_zip` admits a single `.zip` file.
    pub(crate) fn detect(
        source: &str,
        names: &[&str],
        allow_zip: bool,
    ) -> Result<Layout, DataError> {
        let ml1m = find_one(source, names, ML1M_RATINGS)?;
        let ml100k = find_one(source, names, ML100K_DATA)?;
        match (ml1m, ml100k) {
            (Some(_), Some(_)) => Err(DataError::file(
                source,
                DataErrorKind::MissingFile,
                "both ratings.dat (MovieLens 1M) and u.data (MovieLens 100K) found: give only one data set",
            )),
            (Some(ratings), None) => Ok(Layout::Ml1m {
                ratings,
                movies: find_one(source, names, ML1M_MOVIES)?,
                users: find_one(source, names, ML1M_USERS)?,
            }),
            (None, Some(data)) => Ok(Layout::Ml100k {
                data,
                items: find_one(source, names, ML100K_ITEMS)?,
            }),
            (None, None) => {
                let delimited = |base: &str| has_extension(base, &[".csv", ".tsv", ".txt"]);
                if let Some(i) = find_where(source, names, "delimited", delimited)? {
                    return Ok(Layout::Delimited(i));
                }
                if allow_zip {
                    let zip = |base: &str| has_extension(base, &[".zip"]);
                    if let Some(i) = find_where(source, names, "zip", zip)? {
                        return Ok(Layout::Zip(i));
                    }
                }
                Err(DataError::file(source, DataErrorKind::MissingFile, missing_message(names)))
            }
        }
    }

    /// Parses the layout, fetching the contents of file `i` with `read(i)`.
    pub(crate) fn parse<'a>(
        &self,
        names: &[&str],
        mut read: impl FnMut(usize) -> Result<Cow<'a, [u8]>, DataError>,
    ) -> Result<Dataset, DataError> {
        match *self {
            Layout::Ml1m {
                ratings,
                movies,
                users,
            } => {
                let ratings = read(ratings)?;
                let movies = movies.map(&mut read).transpose()?;
                let users = users.map(&mut read).transpose()?;
                movielens::parse_ml1m(&ratings, movies.as_deref(), users.as_deref())
            }
            Layout::Ml100k { data, items } => {
                let data = read(data)?;
                let items = items.map(&mut read).transpose()?;
                movielens::parse_ml100k(&data, items.as_deref())
            }
            Layout::Delimited(i) => {
                delimited::parse(file_name(names[i]), &read(i)?, &DelimitedOptions::default())
            }
            Layout::Zip(i) => load_zip(names[i], &read(i)?),
        }
    }
}

fn has_extension(base: &str, extensions: &[&str]) -> bool {
    extensions.iter().any(|e| base.ends_with(e))
}

fn missing_message(names: &[&str]) -> String {
    let listed = match names.len() {
        0 => "no files".to_string(),
        _ => names.join(", "),
    };
    format!(
        "no ratings file: expected ratings.dat (MovieLens 1M), u.data (MovieLens 100K), \
         one .csv/.tsv/.txt file or one .zip; got {listed}"
    )
}

/// A data set from named files, as a browser's file picker gives them (name, bytes);
/// see the module docs for the layouts recognised.
pub fn load_files(files: &[(String, Vec<u8>)]) -> Result<Dataset, DataError> {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    Layout::detect("selected files", &names, true)?
        .parse(&names, |i| Ok(Cow::Borrowed(files[i].1.as_slice())))
}

/// A data set from a folder (its files, not subfolders) or a single file (a release zip,
/// `ratings.dat`, `u.data`, a `.csv`...). For native callers: in the browser there is no
/// file system (this returns an `Io` error there), the page passes bytes instead.
pub fn load_path(path: &std::path::Path) -> Result<Dataset, DataError> {
    let shown = path.display().to_string();
    let io_error = |p: &std::path::Path, e: std::io::Error| {
        DataError::file(&p.display().to_string(), DataErrorKind::Io, e.to_string())
    };
    let mut paths = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| io_error(path, e))? {
            let entry = entry.map_err(|e| io_error(path, e))?;
            if entry.path().is_file() {
                paths.push(entry.path());
            }
        }
        paths.sort();
    } else {
        paths.push(path.to_path_buf());
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Layout::detect(&shown, &names, true)?.parse(&names, |i| {
        std::fs::read(&paths[i])
            .map(Cow::Owned)
            .map_err(|e| io_error(&paths[i], e))
    })
}
