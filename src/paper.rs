//! The paper's numbers (Shi & Chung 2022, Tables 3-6, embedded from
//! `src/paper_tables.json`) and the lookup that puts them beside ours: the CLI's
//! `reproduce` table and the page's results table both use it.
//!
//! Table 3 has NDCG@2/6/10 on MovieLens 1M and Table 6 Recall@6 (per data set), for
//! rows named as in the paper: `Random`, `Top`, `<MODEL>-<S|ST|SST|C>`, and `CF`,
//! `CFCodeReg` (which are always sign codes). Model rows are per code length r in
//! {5, 10, 20, 40}; Random and Top have one number per metric.

use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

use crate::report::MetricRow;

/// The paper's tables as published (numbers from the paper, not from any data set).
pub const PAPER_TABLES: &str = include_str!("paper_tables.json");

/// The data set name our MovieLens 1M reader gives (the only data set with a Table 3).
pub const MOVIELENS_1M: &str = "MovieLens 1M";

/// MovieLens 1M's users in the full release (Table 2); fewer means a subset.
pub const MOVIELENS_1M_USERS: usize = 6040;

/// The code lengths of the paper's tables.
pub const PAPER_BITS: [usize; 4] = [5, 10, 20, 40];

/// The parsed tables.
pub fn tables() -> &'static Value {
    static TABLES: OnceLock<Value> = OnceLock::new();
    TABLES.get_or_init(|| serde_json::from_str(PAPER_TABLES).expect("paper_tables.json parses"))
}

/// Which of the paper's tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Table 3: NDCG@2/6/10 on MovieLens 1M (metric keys "ndcg@2", "ndcg@6", "ndcg@10").
    Table3,
    /// Table 6: Recall@6 (metric keys = data sets: "movielens1m", "amazon", "ichiba").
    Table6,
}

impl Table {
    fn key(self) -> &'static str {
        match self {
            Table::Table3 => "table3_ndcg_movielens1m",
            Table::Table6 => "table6_recall6",
        }
    }
}

/// The paper's row name of a result row: "CCSR-ST", "CF", "CFCodeReg", "Random".
/// CF and CFCodeReg are sign codes in the paper: with another binarization they have
/// no row (`None`), nor has a model without binarization.
pub fn row_name(model: &str, binarization: Option<&str>) -> Option<String> {
    match (model, binarization) {
        ("Random" | "Top", _) => Some(model.to_owned()),
        ("CF" | "CFCodeReg", Some("S")) => Some(model.to_owned()),
        ("CF" | "CFCodeReg", _) => None,
        (_, Some(b)) => Some(format!("{model}-{b}")),
        (_, None) => None,
    }
}

/// The paper's number in `table` for row `name`, metric `metric` and code length
/// `bits` (ignored for Random and Top); `None` where the paper has none.
pub fn value(table: Table, name: &str, metric: &str, bits: usize) -> Option<f64> {
    let cell = tables().get(table.key())?.get(name)?.get(metric)?;
    if cell.is_number() {
        cell.as_f64()
    } else {
        cell.get(bits.to_string())?.as_f64()
    }
}

/// The paper's MovieLens 1M numbers of one row (NDCG from Table 3, Recall@6 from
/// Table 6; each `None` where that table has no cell).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PaperNumbers {
    #[serde(rename = "ndcg@2")]
    pub ndcg_at_2: Option<f64>,
    #[serde(rename = "ndcg@6")]
    pub ndcg_at_6: Option<f64>,
    #[serde(rename = "ndcg@10")]
    pub ndcg_at_10: Option<f64>,
    #[serde(rename = "recall@6")]
    pub recall_at_6: Option<f64>,
}

/// The paper's MovieLens 1M numbers for a learned model's row measured as the paper
/// measures models (protocol A, each user's test items), at one of the paper's code
/// lengths; `None` for any other row (floors included: the paper's Random and Top rows
/// follow another protocol, see the README).
pub fn movielens1m(row: &MetricRow) -> Option<PaperNumbers> {
    let bits = row.bits.filter(|b| PAPER_BITS.contains(b))?;
    if row.protocol != crate::metrics::Protocol::TestItems.name() {
        return None;
    }
    let name = row_name(&row.model, row.binarization.as_deref())?;
    let ndcg = |k| value(Table::Table3, &name, k, bits);
    let numbers = PaperNumbers {
        ndcg_at_2: ndcg("ndcg@2"),
        ndcg_at_6: ndcg("ndcg@6"),
        ndcg_at_10: ndcg("ndcg@10"),
        recall_at_6: value(Table::Table6, &name, "movielens1m", bits),
    };
    (numbers.ndcg_at_2.is_some() || numbers.recall_at_6.is_some()).then_some(numbers)
}

/// The paper's numbers beside a results table: one cell per row (aligned with the
/// rows) and a sentence saying why cells are empty, if they are.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaperColumn {
    pub cells: Vec<Option<PaperNumbers>>,
    pub note: String,
}

/// The paper's numbers for `rows` measured on the data set `dataset_name` with
/// `users` users: only MovieLens 1M has them.
pub fn paper_column(dataset_name: &str, users: usize, rows: &[MetricRow]) -> PaperColumn {
    if dataset_name != MOVIELENS_1M {
        return PaperColumn {
            cells: vec![None; rows.len()],
            note: format!(
                "The paper has no number for {dataset_name}: its Table 3 and Table 6 \
                 (MovieLens) are on MovieLens 1M only."
            ),
        };
    }
    let cells: Vec<_> = rows.iter().map(movielens1m).collect();
    let mut note = String::from(
        "paper: Shi & Chung 2022, Table 3 (NDCG) and Table 6 (Recall@6), MovieLens 1M, \
         protocol A (each user's test items)",
    );
    if users < MOVIELENS_1M_USERS {
        note.push_str(&format!(
            "; this data set has {users} of MovieLens 1M's {MOVIELENS_1M_USERS} users"
        ));
    }
    if cells.iter().all(Option::is_none) {
        note = format!(
            "The paper has no number for this setting (its tables have r in 5/10/20/40, \
             CCSR/AECF/DJSRH with S/ST/SST/C, CF and CFCodeReg with S). {note}"
        );
    }
    PaperColumn { cells, note }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Metrics, Protocol, Relevance, Ties};

    fn row(model: &str, binarization: Option<&str>, bits: Option<usize>, p: Protocol) -> MetricRow {
        let m = Metrics {
            ndcg_at_2: 0.5,
            ndcg_at_6: 0.5,
            ndcg_at_10: 0.5,
            recall_at_6: 0.5,
            users_evaluated: 1,
            users_with_relevant: 1,
        };
        MetricRow::new(model, binarization, bits, p, Ties::Expected, &m)
    }

    #[test]
    fn values_come_from_the_embedded_tables() {
        assert_eq!(value(Table::Table3, "CCSR-C", "ndcg@10", 40), Some(0.7885));
        assert_eq!(value(Table::Table3, "Random", "ndcg@2", 5), Some(0.0094));
        assert_eq!(value(Table::Table6, "Top", "movielens1m", 5), Some(0.0282));
        assert_eq!(value(Table::Table6, "AECF-C", "movielens1m", 5), None);
        assert_eq!(value(Table::Table3, "CF", "ndcg@2", 7), None);
    }

    #[test]
    fn row_names_follow_the_paper() {
        assert_eq!(row_name("CCSR", Some("SST")).as_deref(), Some("CCSR-SST"));
        assert_eq!(row_name("CF", Some("S")).as_deref(), Some("CF"));
        assert_eq!(row_name("CF", Some("C")), None);
        assert_eq!(row_name("Top", None).as_deref(), Some("Top"));
    }

    #[test]
    fn a_table3_cell_is_found_for_a_matching_setting() {
        let hit = movielens1m(&row("CCSR", Some("ST"), Some(20), Protocol::TestItems)).unwrap();
        let t3 = |k| value(Table::Table3, "CCSR-ST", k, 20);
        assert_eq!(hit.ndcg_at_2, t3("ndcg@2"));
        assert_eq!(hit.ndcg_at_10, t3("ndcg@10"));
        assert!(hit.ndcg_at_2.is_some());
        assert_eq!(
            hit.recall_at_6,
            value(Table::Table6, "CCSR-ST", "movielens1m", 20)
        );
        // CCSR-C is in Table 3 but not in Table 6.
        let c = movielens1m(&row("CCSR", Some("C"), Some(40), Protocol::TestItems)).unwrap();
        assert_eq!((c.ndcg_at_10, c.recall_at_6), (Some(0.7885), None));
    }

    #[test]
    fn other_settings_miss() {
        let full = Protocol::FullCatalogue {
            relevance: Relevance::RatingAbove3,
        };
        for r in [
            row("CCSR", Some("S"), Some(8), Protocol::TestItems),
            row("CCSR", Some("S"), Some(10), full),
            row("CF", Some("C"), Some(10), Protocol::TestItems),
            row("DJSRH", Some("S"), Some(10), Protocol::TestItems),
            row("Random", None, None, Protocol::TestItems),
        ] {
            assert_eq!(movielens1m(&r), None, "{r:?}");
        }
    }

    #[test]
    fn only_movielens_1m_has_a_paper_column() {
        let rows = [row("CCSR", Some("S"), Some(10), Protocol::TestItems)];
        let ml = paper_column(MOVIELENS_1M, 2999, &rows);
        assert!(ml.cells[0].is_some());
        assert!(
            ml.note.contains("2999 of MovieLens 1M's 6040 users"),
            "{}",
            ml.note
        );
        let other = paper_column("Synthetic (seed 1)", 600, &rows);
        assert_eq!(other.cells, vec![None]);
        assert!(other
            .note
            .starts_with("The paper has no number for Synthetic (seed 1)"));
        let off = paper_column(
            MOVIELENS_1M,
            6040,
            &[row("CCSR", Some("S"), Some(8), Protocol::TestItems)],
        );
        assert!(off
            .note
            .starts_with("The paper has no number for this setting"));
    }
}
