//! Errors of the risk module. Row-level problems are never errors: they go to a rejects
//! table (row number, patient, reason) so that rows in = rows scored + rows rejected.

/// Why a risk computation could not run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RiskError {
    /// A required column is missing from the input table.
    #[error("column `{column}` not found in the input table")]
    MissingColumn {
        /// The column name asked for.
        column: String,
    },
    /// A column has an Arrow type the score cannot read.
    #[error("column `{column}` has type {found}; expected {expected}")]
    ColumnType {
        /// The column name.
        column: String,
        /// What would do.
        expected: &'static str,
        /// The Arrow type found.
        found: String,
    },
    /// An option has a value outside its domain (unknown weights name, bad percentile...).
    #[error("option `{option}`: {reason}")]
    InvalidOption {
        /// The option name.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A user-supplied code list (e.g. the eFI SNOMED CT list) has a bad line.
    #[error("code list line {line}: {reason}")]
    CodeList {
        /// One-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A custom model specification is invalid.
    #[error("model specification at `{path}`: {reason}")]
    ModelSpec {
        /// Where in the JSON document (e.g. `terms[2].weight`).
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An Arrow operation failed (schema mismatch between batches, etc.).
    #[error("Arrow error: {0}")]
    Arrow(String),
}
