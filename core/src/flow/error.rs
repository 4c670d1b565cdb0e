//! Errors of the flow module's own functions (lengths of stay, the delay-reason table).
//! Events about stays that break the model are rejected with
//! [`CaseloadError`](crate::caseload::CaseloadError), as every event is.

/// Why a flow computation or table load failed. Messages name the line and field, never a
/// value.
///
/// # Example
///
/// ```
/// use carecoord::flow::{length_of_stay, FlowError};
/// use carecoord::risk::LosConvention;
/// use chrono::{TimeZone, Utc};
///
/// let admitted = Utc.with_ymd_and_hms(2026, 4, 2, 10, 0, 0).unwrap();
/// let before = Utc.with_ymd_and_hms(2026, 4, 1, 10, 0, 0).unwrap();
/// let err = length_of_stay(admitted, before, LosConvention::Midnights).unwrap_err();
/// assert_eq!(err, FlowError::EndBeforeStart);
/// assert_eq!(err.code(), "end_before_start");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The end of a stay (discharge or census) is before its admission.
    #[error("the end of the stay is before the admission")]
    EndBeforeStart,
    /// A row of a delay-reason table is malformed.
    #[error("delay-reason table line {line}: field `{field}`: {reason}")]
    TableRow {
        /// One-based line number (the header is line 1).
        line: usize,
        /// The column at fault.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A delay-reason table repeats a (version, code) pair.
    #[error("delay-reason table line {line}: the version and code repeat an earlier row")]
    DuplicateReason {
        /// One-based line number of the repeat.
        line: usize,
    },
}

impl FlowError {
    /// A stable snake_case code, one per variant.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::flow::FlowError;
    /// assert_eq!(FlowError::DuplicateReason { line: 3 }.code(), "duplicate_reason");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::EndBeforeStart => "end_before_start",
            Self::TableRow { .. } => "table_row",
            Self::DuplicateReason { .. } => "duplicate_reason",
        }
    }
}
