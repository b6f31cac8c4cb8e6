//! Dense ids: original user and item ids mapped to 0..n in increasing order of the
//! original id (numerically when every id is an integer, by bytes otherwise), and the
//! interaction list sorted by (user, item) with duplicate pairs resolved.

use super::error::{DataError, DataErrorKind};
use super::Interaction;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Numeric original ids (MovieLens): dense id = rank among the distinct ids.
pub(crate) struct NumericIds(Vec<u32>);

impl NumericIds {
    pub(crate) fn new(mut ids: Vec<u32>) -> NumericIds {
        ids.sort_unstable();
        ids.dedup();
        NumericIds(ids)
    }

    pub(crate) fn dense(&self, id: u32) -> Option<u32> {
        self.0.binary_search(&id).ok().map(|i| i as u32)
    }

    /// The original ids, indexed by dense id.
    pub(crate) fn originals(&self) -> &[u32] {
        &self.0
    }
}

/// Textual original ids (delimited files): interned on first sight, then ranked.
#[derive(Default)]
pub(crate) struct TextIds {
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl TextIds {
    /// The provisional (first-appearance) id of `name`.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.index.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    /// The original names in dense order and, for each provisional id, its dense id.
    pub(crate) fn into_dense(self) -> (Vec<String>, Vec<u32>) {
        let numeric: Option<Vec<u64>> = self.names.iter().map(|n| n.parse().ok()).collect();
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| match &numeric {
            Some(v) => v[a as usize]
                .cmp(&v[b as usize])
                .then_with(|| self.names[a as usize].cmp(&self.names[b as usize])),
            None => self.names[a as usize].cmp(&self.names[b as usize]),
        });
        let mut dense = vec![0; order.len()];
        for (rank, &id) in order.iter().enumerate() {
            dense[id as usize] = rank as u32;
        }
        let mut names = self.names;
        let sorted = order
            .iter()
            .map(|&id| std::mem::take(&mut names[id as usize]))
            .collect();
        (sorted, dense)
    }
}

/// An interaction with dense ids and the 1-based line it came from.
pub(crate) struct Row {
    pub(crate) interaction: Interaction,
    pub(crate) line: usize,
}

/// What to do when a (user, item) pair occurs more than once.
pub(crate) enum Duplicates {
    /// An error naming both lines (MovieLens rates each movie at most once per user).
    Reject,
    /// Keep the occurrence latest in the file (repeated purchases, re-ratings).
    KeepLast,
}

/// The interactions sorted by (user, item), with duplicates resolved per `policy`.
pub(crate) fn finish(
    file: &str,
    mut rows: Vec<Row>,
    policy: Duplicates,
) -> Result<Vec<Interaction>, DataError> {
    rows.sort_unstable_by(|a, b| pair_order(a, b).then(a.line.cmp(&b.line)));
    let mut out: Vec<Interaction> = Vec::with_capacity(rows.len());
    let mut previous: Option<&Row> = None;
    for row in &rows {
        match previous {
            Some(prev) if pair_order(prev, row) == Ordering::Equal => match policy {
                Duplicates::Reject => {
                    return Err(DataError::at(
                        file,
                        row.line,
                        DataErrorKind::Inconsistent,
                        format!(
                            "the same user rates the same item again (first on line {})",
                            prev.line
                        ),
                    ))
                }
                Duplicates::KeepLast => {
                    if let Some(last) = out.last_mut() {
                        *last = row.interaction;
                    }
                }
            },
            _ => out.push(row.interaction),
        }
        previous = Some(row);
    }
    Ok(out)
}

fn pair_order(a: &Row, b: &Row) -> Ordering {
    (a.interaction.user, a.interaction.item).cmp(&(b.interaction.user, b.interaction.item))
}
