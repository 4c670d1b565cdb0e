//! Errors of the risk module. Row-level problems are never errors: they go to a rejects
//! table (row number, patient, reason) so that rows in = rows scored + rows rejected.

/// Why a risk computation could not run at all.
///
/// Messages name the column, option, line or JSON path at fault and never a value from the
/// data (no patient id, code or name). [`RiskError::code`] gives a stable snake_case code for
/// programs, the same one the Python exceptions carry.
///
/// # Example
///
/// ```
/// use carecoord::risk::{ModelSpec, RiskError};
///
/// let err = ModelSpec::from_json(r#"{"name": "m", "kind": "probit", "terms": []}"#).unwrap_err();
/// assert_eq!(err.code(), "model_spec");
/// assert!(matches!(err, RiskError::ModelSpec { ref path, .. } if path == "kind"));
/// ```
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
    /// A cohort filter specification (JSON, [`CohortFilter::from_json`]) is invalid.
    ///
    /// [`CohortFilter::from_json`]: crate::risk::CohortFilter::from_json
    #[error("cohort filter specification at `{path}`: {reason}")]
    CohortSpec {
        /// Where in the JSON document (e.g. `bands[0].in`; `$` for the whole document).
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An Arrow operation failed (schema mismatch between batches, etc.).
    #[error("Arrow error: {0}")]
    Arrow(String),
}

impl RiskError {
    /// A short stable snake_case code for the error, used by the bindings.
    ///
    /// | variant | code |
    /// |---|---|
    /// | [`MissingColumn`](Self::MissingColumn) | `missing_column` |
    /// | [`ColumnType`](Self::ColumnType) | `column_type` |
    /// | [`InvalidOption`](Self::InvalidOption) | `invalid_option` |
    /// | [`CodeList`](Self::CodeList) | `code_list` |
    /// | [`ModelSpec`](Self::ModelSpec) | `model_spec` |
    /// | [`CohortSpec`](Self::CohortSpec) | `cohort_spec` |
    /// | [`Arrow`](Self::Arrow) | `arrow` |
    ///
    /// Python raises `carecoord.errors.RiskError` with this code as its `code`; the C ABI
    /// returns `CARECOORD_RESULT_RISK_<CODE>` (the code in upper case).
    ///
    /// # Errors
    ///
    /// None: this only reads the error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::RiskError;
    ///
    /// let e = RiskError::MissingColumn { column: "age".into() };
    /// assert_eq!(e.code(), "missing_column");
    /// assert_eq!(e.to_string(), "column `age` not found in the input table");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingColumn { .. } => "missing_column",
            Self::ColumnType { .. } => "column_type",
            Self::InvalidOption { .. } => "invalid_option",
            Self::CodeList { .. } => "code_list",
            Self::ModelSpec { .. } => "model_spec",
            Self::CohortSpec { .. } => "cohort_spec",
            Self::Arrow(_) => "arrow",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_snake_case() {
        let all = [
            (
                RiskError::MissingColumn { column: "a".into() },
                "missing_column",
            ),
            (
                RiskError::ColumnType {
                    column: "a".into(),
                    expected: "strings",
                    found: "Int64".into(),
                },
                "column_type",
            ),
            (
                RiskError::InvalidOption {
                    option: "cuts",
                    reason: "x".into(),
                },
                "invalid_option",
            ),
            (
                RiskError::CodeList {
                    line: 2,
                    reason: "x".into(),
                },
                "code_list",
            ),
            (
                RiskError::ModelSpec {
                    path: "$".into(),
                    reason: "x".into(),
                },
                "model_spec",
            ),
            (
                RiskError::CohortSpec {
                    path: "age.min".into(),
                    reason: "x".into(),
                },
                "cohort_spec",
            ),
            (RiskError::Arrow("x".into()), "arrow"),
        ];
        for (e, code) in all {
            assert_eq!(e.code(), code);
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        }
        assert_eq!(
            RiskError::CohortSpec {
                path: "bands[0].in".into(),
                reason: "an empty band set selects nobody".into()
            }
            .to_string(),
            "cohort filter specification at `bands[0].in`: an empty band set selects nobody"
        );
    }
}
