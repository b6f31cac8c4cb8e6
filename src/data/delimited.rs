//! Generic delimited files (CSV, TSV, ...) of triplets, for Amazon-style ratings
//! (`user,item,rating,timestamp`) and purchase logs (`user,item`).
//!
//! Columns are positional: user, item, then optionally rating, then optionally a
//! timestamp; every row has as many fields as the first. Ids are any non-empty text
//! (surrounding whitespace and double quotes are dropped; quoted delimiters are not
//! supported). Dense ids follow increasing original ids (numeric order when all ids of
//! a kind are integers). A (user, item) pair seen again replaces the earlier row, so
//! repeated purchases count once and a re-rating keeps the later rating.

use super::error::{DataError, DataErrorKind};
use super::ids::{finish, Duplicates, Row, TextIds};
use super::text::{field_count_error, lines, parse_field, quoted, require_data, split_into};
use super::{Catalog, Dataset, Feedback, Interaction, Ratings};
use serde::{Deserialize, Serialize};

/// How to read a delimited file; `None` fields are detected from the first line.
/// The default detects everything and accepts any finite rating.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DelimitedOptions {
    /// Field delimiter; detected as the most frequent of tab, `,`, `;`, `|` when `None`.
    pub delimiter: Option<u8>,
    /// Whether the first line is a header. When `None`, it is one if its rating or
    /// timestamp field is not a number, or it names a column (user, item, product,
    /// customer, rating).
    pub header: Option<bool>,
    /// `Implicit` sets every rating to 1 (the rating column, if any, is not read).
    /// When `None`: implicit for two-column files, explicit otherwise.
    pub feedback: Option<Feedback>,
    /// Inclusive range explicit ratings must lie in; any finite number when `None`.
    pub rating_range: Option<(f32, f32)>,
}

const DELIMITERS: [u8; 4] = [b'\t', b',', b';', b'|'];
const HEADER_WORDS: [&str; 5] = ["user", "item", "product", "customer", "rating"];

/// Reads the delimited file `name` (used in errors and as the data set's name).
pub fn parse(name: &str, bytes: &[u8], options: &DelimitedOptions) -> Result<Dataset, DataError> {
    require_data(name, bytes)?;
    let mut lines = lines(bytes).peekable();
    let (first_no, first) = match lines.peek() {
        Some(&first) => first,
        None => return Err(DataError::file(name, DataErrorKind::Empty, "empty file")),
    };
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => detect_delimiter(first).ok_or_else(|| {
            DataError::at(
                name,
                first_no,
                DataErrorKind::FieldCount,
                "no delimiter (tab, \",\", \";\" or \"|\") found: expected 2 to 4 fields \
                 (user, item[, rating][, timestamp])",
            )
        })?,
    };
    let sep = [delimiter];
    let mut fields = Vec::with_capacity(4);
    split_into(first, &sep, &mut fields);
    if options.header.unwrap_or_else(|| looks_like_header(&fields)) {
        lines.next();
    }
    let n_fields = match lines.peek() {
        Some(&(line, text)) => {
            split_into(text, &sep, &mut fields);
            if !(2..=4).contains(&fields.len()) {
                return Err(field_count_error(
                    name,
                    line,
                    text,
                    &sep,
                    "2 to 4",
                    fields.len(),
                ));
            }
            fields.len()
        }
        None => return Err(DataError::file(name, DataErrorKind::Empty, "no data lines")),
    };
    let feedback = options.feedback.unwrap_or(match n_fields {
        2 => Feedback::Implicit,
        _ => Feedback::Explicit,
    });
    if feedback == Feedback::Explicit && n_fields < 3 {
        return Err(DataError::file(
            name,
            DataErrorKind::FieldCount,
            "explicit feedback needs a rating column (user, item, rating)",
        ));
    }
    let (mut users, mut items) = (TextIds::default(), TextIds::default());
    let mut rows = Vec::new();
    for (line, text) in lines {
        split_into(text, &sep, &mut fields);
        if fields.len() != n_fields {
            let expected = n_fields.to_string();
            return Err(field_count_error(
                name,
                line,
                text,
                &sep,
                &expected,
                fields.len(),
            ));
        }
        let user = users.intern(&id(name, line, "user", fields[0])?);
        let item = items.intern(&id(name, line, "item", fields[1])?);
        let rating = match feedback {
            Feedback::Implicit => 1.0,
            Feedback::Explicit => rating(name, line, fields[2], options.rating_range)?,
        };
        let timestamp = match fields.get(3) {
            Some(field) => parse_field(name, line, "timestamp", unquote(field))?,
            None => 0,
        };
        rows.push(Row {
            interaction: Interaction {
                user,
                item,
                rating,
                timestamp,
            },
            line,
        });
    }
    let (user_ids, user_rank) = users.into_dense();
    let (item_ids, item_rank) = items.into_dense();
    for row in &mut rows {
        let r = &mut row.interaction;
        r.user = user_rank[r.user as usize];
        r.item = item_rank[r.item as usize];
    }
    let interactions = finish(name, rows, Duplicates::KeepLast)?;
    Ok(Dataset {
        name: name.to_string(),
        feedback,
        ratings: Ratings {
            n_users: user_ids.len(),
            n_items: item_ids.len(),
            interactions,
        },
        catalog: Catalog {
            titles: vec![String::new(); item_ids.len()],
            genres: vec![Vec::new(); item_ids.len()],
            user_ids,
            item_ids,
        },
    })
}

fn detect_delimiter(line: &[u8]) -> Option<u8> {
    DELIMITERS
        .iter()
        .map(|&d| (line.iter().filter(|&&b| b == d).count(), d))
        .filter(|&(count, _)| count > 0)
        .max_by_key(|&(count, d)| (count, std::cmp::Reverse(d)))
        .map(|(_, d)| d)
}

fn looks_like_header(fields: &[&[u8]]) -> bool {
    let names_a_column = fields.iter().any(|f| {
        let f = String::from_utf8_lossy(f).to_ascii_lowercase();
        HEADER_WORDS.iter().any(|w| f.contains(w))
    });
    let non_numeric = fields
        .iter()
        .skip(2)
        .any(|f| super::text::number::<f64>(unquote(f)).is_none());
    names_a_column || non_numeric
}

fn unquote(field: &[u8]) -> &[u8] {
    let field = field.trim_ascii();
    match field {
        [b'"', inner @ .., b'"'] => inner,
        _ => field,
    }
}

fn id(file: &str, line: usize, what: &str, field: &[u8]) -> Result<String, DataError> {
    let field = unquote(field);
    if field.is_empty() {
        return Err(DataError::at(
            file,
            line,
            DataErrorKind::BadNumber,
            format!("empty {what} id"),
        ));
    }
    Ok(String::from_utf8_lossy(field).into_owned())
}

fn rating(
    file: &str,
    line: usize,
    field: &[u8],
    range: Option<(f32, f32)>,
) -> Result<f32, DataError> {
    let value: f32 = parse_field(file, line, "rating", unquote(field))?;
    let problem = match range {
        _ if !value.is_finite() => "is not a finite number".to_string(),
        Some((lo, hi)) if !(lo..=hi).contains(&value) => format!("is outside {lo}..={hi}"),
        _ => return Ok(value),
    };
    Err(DataError::at(
        file,
        line,
        DataErrorKind::RatingOutOfRange,
        format!("rating {} {problem}", quoted(field)),
    ))
}
