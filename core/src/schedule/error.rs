//! Errors of the schedule module.

/// Why an instance or solution could not be read, or a schedule could not be computed.
///
/// Messages name the JSON path and the rule broken (`meetings[3].required[1]: unknown person
/// id`), never a value from the document: titles and labels are free text and may hold
/// personal data.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Instance, ScheduleError};
///
/// let err = Instance::from_json(r#"{"schema": "carecoord.schedule.v1"}"#).unwrap_err();
/// assert_eq!(err.code(), "missing_field");
/// assert_eq!(err.to_string(), "horizon: required field is missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The text is not well-formed JSON.
    #[error("invalid JSON at line {line}, column {column}: {reason}")]
    Json {
        /// One-based line of the syntax error.
        line: usize,
        /// One-based column of the syntax error.
        column: usize,
        /// What the parser expected (never echoes document text).
        reason: String,
    },
    /// A required field is missing.
    #[error("{path}: required field is missing")]
    MissingField {
        /// JSON path of the missing field, e.g. `meetings[2].duration_minutes`.
        path: String,
    },
    /// A field has the wrong JSON type or a value outside its domain.
    #[error("{path}: {reason}")]
    InvalidField {
        /// JSON path of the field.
        path: String,
        /// What was expected.
        reason: String,
    },
    /// An id is used twice, within one kind or across people, rooms, meetings and series.
    #[error("{path}: duplicate id (ids must be unique across people, rooms, meetings and series)")]
    DuplicateId {
        /// JSON path of the second use.
        path: String,
    },
    /// A reference names an id that is not defined (or is of the wrong kind).
    #[error("{path}: unknown {kind} id")]
    UnknownId {
        /// JSON path of the reference.
        path: String,
        /// The kind of id expected: `person`, `room` or `meeting`.
        kind: &'static str,
    },
    /// A date, time or date-time is malformed, or does not satisfy a time rule.
    #[error("{path}: {reason}")]
    InvalidTime {
        /// JSON path of the field.
        path: String,
        /// The rule broken.
        reason: String,
    },
    /// An RRULE value could not be parsed or is invalid.
    #[error("{path}: invalid RRULE: {reason}")]
    InvalidRrule {
        /// JSON path of the rule (empty when parsed on its own).
        path: String,
        /// The part at fault and why.
        reason: String,
    },
    /// An RRULE uses a part this crate does not expand.
    #[error("{path}: RRULE part `{part}` is not supported")]
    UnsupportedRrule {
        /// JSON path of the rule (empty when parsed on its own).
        path: String,
        /// The unsupported part (`FREQ=HOURLY`, `BYWEEKNO`, ...).
        part: String,
    },
    /// A pinned meeting cannot be placed where it is pinned without breaking a hard rule.
    #[error("{path}: pinned slot breaks hard rule `{rule}`")]
    PinnedInfeasible {
        /// JSON path of the pin, e.g. `meetings[4].pinned`.
        path: String,
        /// The violation code of format §5.1 (`person_busy`, `room_double_booked`, ...).
        rule: &'static str,
    },
    /// A query named something the instance does not define, or asked something impossible.
    #[error("query argument `{argument}`: {reason}")]
    InvalidQuery {
        /// The argument at fault.
        argument: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An entry repeats a key that must be unique in its list (an agenda's patient
    /// references, an action log's action ids, a plan's meetings).
    #[error("{path}: duplicate {what}")]
    DuplicateEntry {
        /// Path of the second use, e.g. `items[3].patient_ref` or `actions[2].id`.
        path: String,
        /// What must be unique: `patient reference`, `action id`, `assignment`.
        what: &'static str,
    },
    /// An action id is not in the action log.
    #[error("{path}: no action with this id in the log")]
    UnknownAction {
        /// The argument or path that named the action.
        path: String,
    },
    /// An action's dates contradict each other (completed or due before it was raised).
    #[error("{path}: {reason}")]
    ActionDate {
        /// Path of the date at fault, e.g. `status.completed` or `actions[0].due`.
        path: String,
        /// The rule broken.
        reason: &'static str,
    },
    /// A field that is shown to every attendee holds what looks like an NHS number; agendas,
    /// minutes and action logs take an opaque local case reference instead.
    #[error("{path}: looks like an NHS number; use a local case reference")]
    IdentifierNotAllowed {
        /// Path of the field, e.g. `items[2].patient_ref`.
        path: String,
    },
}

impl ScheduleError {
    /// A short stable snake_case code for the error, used by the bindings.
    ///
    /// # Errors
    ///
    /// None: this only reads the error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ScheduleError;
    ///
    /// let e = ScheduleError::DuplicateId { path: "rooms[1].id".into() };
    /// assert_eq!(e.code(), "duplicate_id");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json { .. } => "invalid_json",
            Self::MissingField { .. } => "missing_field",
            Self::InvalidField { .. } => "invalid_field",
            Self::DuplicateId { .. } => "duplicate_id",
            Self::UnknownId { .. } => "unknown_id",
            Self::InvalidTime { .. } => "invalid_time",
            Self::InvalidRrule { .. } => "invalid_rrule",
            Self::UnsupportedRrule { .. } => "unsupported_rrule",
            Self::PinnedInfeasible { .. } => "pinned_infeasible",
            Self::InvalidQuery { .. } => "invalid_query",
            Self::DuplicateEntry { .. } => "duplicate_entry",
            Self::UnknownAction { .. } => "unknown_action",
            Self::ActionDate { .. } => "action_date",
            Self::IdentifierNotAllowed { .. } => "identifier_not_allowed",
        }
    }

    /// The JSON path the error refers to, if any.
    ///
    /// # Errors
    ///
    /// None: this only reads the error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ScheduleError;
    ///
    /// let e = ScheduleError::MissingField { path: "meetings[0].id".into() };
    /// assert_eq!(e.path(), Some("meetings[0].id"));
    /// ```
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Json { .. } | Self::InvalidQuery { .. } => None,
            Self::MissingField { path }
            | Self::InvalidField { path, .. }
            | Self::DuplicateId { path }
            | Self::UnknownId { path, .. }
            | Self::InvalidTime { path, .. }
            | Self::InvalidRrule { path, .. }
            | Self::UnsupportedRrule { path, .. }
            | Self::PinnedInfeasible { path, .. }
            | Self::DuplicateEntry { path, .. }
            | Self::UnknownAction { path }
            | Self::ActionDate { path, .. }
            | Self::IdentifierNotAllowed { path } => Some(path),
        }
    }

    /// The same error with `prefix` put in front of its path (used when a value parsed on its
    /// own, such as an RRULE, sits inside a document).
    pub(crate) fn at(mut self, prefix: &str) -> Self {
        match &mut self {
            Self::Json { .. } | Self::InvalidQuery { .. } => {}
            Self::MissingField { path }
            | Self::InvalidField { path, .. }
            | Self::DuplicateId { path }
            | Self::UnknownId { path, .. }
            | Self::InvalidTime { path, .. }
            | Self::InvalidRrule { path, .. }
            | Self::UnsupportedRrule { path, .. }
            | Self::PinnedInfeasible { path, .. }
            | Self::DuplicateEntry { path, .. }
            | Self::UnknownAction { path }
            | Self::ActionDate { path, .. }
            | Self::IdentifierNotAllowed { path } => {
                *path = if path.is_empty() {
                    prefix.to_string()
                } else {
                    format!("{prefix}.{path}")
                };
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_distinct() {
        let all = [
            ScheduleError::Json {
                line: 1,
                column: 1,
                reason: String::new(),
            },
            ScheduleError::MissingField { path: "a".into() },
            ScheduleError::InvalidField {
                path: "a".into(),
                reason: String::new(),
            },
            ScheduleError::DuplicateId { path: "a".into() },
            ScheduleError::UnknownId {
                path: "a".into(),
                kind: "person",
            },
            ScheduleError::InvalidTime {
                path: "a".into(),
                reason: String::new(),
            },
            ScheduleError::InvalidRrule {
                path: "a".into(),
                reason: String::new(),
            },
            ScheduleError::UnsupportedRrule {
                path: "a".into(),
                part: "BYWEEKNO".into(),
            },
            ScheduleError::PinnedInfeasible {
                path: "a".into(),
                rule: "person_busy",
            },
            ScheduleError::InvalidQuery {
                argument: "people",
                reason: String::new(),
            },
            ScheduleError::DuplicateEntry {
                path: "a".into(),
                what: "action id",
            },
            ScheduleError::UnknownAction { path: "a".into() },
            ScheduleError::ActionDate {
                path: "a".into(),
                reason: "x",
            },
            ScheduleError::IdentifierNotAllowed { path: "a".into() },
        ];
        let mut codes: Vec<_> = all.iter().map(|e| e.code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn at_prefixes_paths() {
        let e = ScheduleError::InvalidRrule {
            path: String::new(),
            reason: "x".into(),
        }
        .at("series[2].rrule");
        assert_eq!(e.path(), Some("series[2].rrule"));
    }
}
