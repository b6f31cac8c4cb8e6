//! The one error type of the data layer: which file, which line, what is wrong.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of problem a [`DataError`] reports (for callers that react per kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataErrorKind {
    /// A line has the wrong number of fields.
    FieldCount,
    /// A line is split by another separator than the format's (e.g. a CSV as ratings.dat).
    WrongSeparator,
    /// An id, rating or timestamp is not a number.
    BadNumber,
    /// A rating is outside the allowed range (MovieLens: 1..=5).
    RatingOutOfRange,
    /// A rating refers to a user or movie its companion file does not list, or a
    /// companion file lists an id twice, or MovieLens rates one movie twice.
    Inconsistent,
    /// A file has no data lines.
    Empty,
    /// A required file is absent or given twice, or no known layout matches the files.
    MissingFile,
    /// A zip archive is truncated, corrupt or unsupported.
    Archive,
    /// The file system refused a read.
    Io,
    /// Generator parameters are out of range (the synthetic data set).
    InvalidParams,
}

/// Bad input: the file, the 1-based line where known, and the problem.
///
/// Displays as `ratings.dat line 17: expected 4 fields separated by "::", found 3`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataError {
    pub file: String,
    pub line: Option<usize>,
    pub kind: DataErrorKind,
    pub message: String,
}

impl DataError {
    /// An error about line `line` (1-based) of `file`.
    pub fn at(
        file: &str,
        line: usize,
        kind: DataErrorKind,
        message: impl Into<String>,
    ) -> DataError {
        DataError {
            file: file.to_string(),
            line: Some(line),
            kind,
            message: message.into(),
        }
    }

    /// An error about `file` as a whole.
    pub fn file(file: &str, kind: DataErrorKind, message: impl Into<String>) -> DataError {
        DataError {
            file: file.to_string(),
            line: None,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for DataError {}
