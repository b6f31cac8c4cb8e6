//! Byte-level text helpers shared by the readers: numbered lines, fields, numbers,
//! separator diagnosis and latin-1 / UTF-8 decoding. Everything works on `&[u8]`, so
//! files from disk, from a zip or from the browser take the same path.

use super::error::{DataError, DataErrorKind};
use std::str::FromStr;

/// The non-blank lines of `bytes` with their 1-based line numbers; `\r\n` endings are
/// accepted and a missing final newline is fine.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix(b"\r").unwrap_or(line)))
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
}

/// Splits `line` at every occurrence of `sep` into `out` (cleared first).
pub(crate) fn split_into<'a>(line: &'a [u8], sep: &[u8], out: &mut Vec<&'a [u8]>) {
    out.clear();
    let mut rest = line;
    while let Some(pos) = find(rest, sep) {
        out.push(&rest[..pos]);
        rest = &rest[pos + sep.len()..];
    }
    out.push(rest);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [b] => haystack.iter().position(|c| c == b),
        _ => haystack.windows(needle.len()).position(|w| w == needle),
    }
}

/// `field` (surrounding ASCII whitespace ignored) parsed as a `T`.
pub(crate) fn number<T: FromStr>(field: &[u8]) -> Option<T> {
    std::str::from_utf8(field.trim_ascii()).ok()?.parse().ok()
}

/// `field` parsed as a `T`, or a `BadNumber` error naming `what` and quoting the field.
pub(crate) fn parse_field<T: FromStr>(
    file: &str,
    line: usize,
    what: &str,
    field: &[u8],
) -> Result<T, DataError> {
    number(field).ok_or_else(|| {
        DataError::at(
            file,
            line,
            DataErrorKind::BadNumber,
            format!("{what} {} is not a number", quoted(field)),
        )
    })
}

/// A field for a message: quoted, lossily decoded, and cut to 40 characters.
pub(crate) fn quoted(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field);
    let cut: String = text.chars().take(40).collect();
    let ellipsis = if cut.len() < text.len() { "..." } else { "" };
    format!("{cut:?}{ellipsis}")
}

/// A separator for a message: `"::"`, `","`, or `tab`.
pub(crate) fn separator_name(sep: &[u8]) -> String {
    match sep {
        b"\t" => "tab".to_string(),
        _ => format!("{:?}", String::from_utf8_lossy(sep)),
    }
}

/// The separators the readers know, most specific first.
const SEPARATORS: [&[u8]; 5] = [b"::", b"\t", b",", b";", b"|"];

/// The error for a line with `found` fields instead of `expected` when split by `sep`.
/// A line that `sep` does not split at all but another known separator does is
/// reported as `WrongSeparator`, naming the separator it seems to use.
pub(crate) fn field_count_error(
    file: &str,
    line_no: usize,
    line: &[u8],
    sep: &[u8],
    expected: &str,
    found: usize,
) -> DataError {
    let message = format!(
        "expected {expected} fields separated by {}, found {found}",
        separator_name(sep)
    );
    let other = SEPARATORS
        .iter()
        .find(|&&s| s != sep && find(line, s).is_some());
    match other {
        Some(other) if found == 1 => DataError::at(
            file,
            line_no,
            DataErrorKind::WrongSeparator,
            format!(
                "{message}: the line is separated by {} instead (wrong file format?)",
                separator_name(other)
            ),
        ),
        _ => DataError::at(file, line_no, DataErrorKind::FieldCount, message),
    }
}

/// The `Empty` error when `bytes` has no non-blank line.
pub(crate) fn require_data(file: &str, bytes: &[u8]) -> Result<(), DataError> {
    match lines(bytes).next() {
        Some(_) => Ok(()),
        None => Err(DataError::file(file, DataErrorKind::Empty, "empty file")),
    }
}

/// How a file's text fields decode: UTF-8 when the whole file is valid UTF-8, latin-1
/// (ISO 8859-1, one byte per character, as in the MovieLens releases) otherwise.
#[derive(Clone, Copy)]
pub(crate) enum Encoding {
    Utf8,
    Latin1,
}

impl Encoding {
    pub(crate) fn of(bytes: &[u8]) -> Encoding {
        match std::str::from_utf8(bytes) {
            Ok(_) => Encoding::Utf8,
            Err(_) => Encoding::Latin1,
        }
    }

    pub(crate) fn decode(self, field: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(field).into_owned(),
            Encoding::Latin1 => field.iter().map(|&b| char::from(b)).collect(),
        }
    }
}
