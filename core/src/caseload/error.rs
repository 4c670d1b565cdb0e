//! Errors of the caseload module.
//!
//! A rejected event names its sequence number, its kind and the field or entity at fault,
//! never a value: no id, NHS number, date of birth or free text appears in a message.

use std::fmt;

use crate::calendar::CalendarError;
use crate::journal::JournalError;

/// Why a member of staff cannot be given a piece of work.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Unavailable;
/// assert_eq!(Unavailable::Absent.to_string(), "absent that day");
/// assert_eq!(Unavailable::Absent.code(), "absent");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// Absent on the day of the allocation.
    Absent,
    /// Left the team before the day of the allocation.
    Left,
    /// Lacks the skill the work needs.
    MissingSkill,
}

impl Unavailable {
    /// A stable snake_case code.
    ///
    /// # Errors
    ///
    /// None.
    pub fn code(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Left => "left",
            Self::MissingSkill => "missing_skill",
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Absent => "absent that day",
            Self::Left => "has left the team",
            Self::MissingSkill => "lacks the skill the work needs",
        })
    }
}

/// Why nobody can be suggested for a piece of work ([`Caseload::suggest_allocation`]).
///
/// Checked in this order, so the reason is the most specific one: the service is closed
/// that day; nobody in the team has the skill; nobody with it is rostered (or covering) that
/// day; everyone rostered with it is absent; everyone on shift with it has used their
/// capacity for the day.
///
/// [`Caseload::suggest_allocation`]: super::Caseload::suggest_allocation
///
/// # Example
///
/// ```
/// use carecoord::caseload::NoAllocation;
/// assert_eq!(NoAllocation::AllAtCapacity.code(), "all_at_capacity");
/// assert_eq!(NoAllocation::AllAtCapacity.to_string(), "everyone on shift with the skill is at capacity");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoAllocation {
    /// The team's service is not working that day.
    ServiceClosed,
    /// Nobody in the team (still employed) has the skill.
    NoStaffWithSkill,
    /// Nobody with the skill is rostered or covering that day.
    NoneOnShift,
    /// Everyone rostered with the skill is absent and uncovered.
    AllAbsent,
    /// Everyone on shift with the skill has no capacity left that day.
    AllAtCapacity,
}

impl NoAllocation {
    /// A stable snake_case code.
    ///
    /// # Errors
    ///
    /// None.
    pub fn code(self) -> &'static str {
        match self {
            Self::ServiceClosed => "service_closed",
            Self::NoStaffWithSkill => "no_staff_with_skill",
            Self::NoneOnShift => "none_on_shift",
            Self::AllAbsent => "all_absent",
            Self::AllAtCapacity => "all_at_capacity",
        }
    }
}

impl fmt::Display for NoAllocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ServiceClosed => "the service is closed that day",
            Self::NoStaffWithSkill => "nobody in the team has the skill",
            Self::NoneOnShift => "nobody with the skill is on shift that day",
            Self::AllAbsent => "everyone rostered with the skill is absent",
            Self::AllAtCapacity => "everyone on shift with the skill is at capacity",
        })
    }
}

/// Why an event was rejected or a caseload journal could not be used.
///
/// Every rejection names the event's sequence number (the number it would have had, for an
/// event refused before it was written) and kind, and the field or entity at fault.
/// [`CaseloadError::code`] gives a stable snake_case code per variant for the bindings.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, CaseloadError, CloseOutcome, Event, ReferralId};
/// use carecoord::journal::Envelope;
/// use chrono::{TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let event = Event::ReferralClosed { referral: ReferralId::new("R-404")?, outcome: CloseOutcome::Completed };
/// let err = c.apply(&Envelope { seq: 1, who: "duty".into(), at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(), event }).unwrap_err();
/// assert_eq!(err.to_string(), "event 1 (referral_closed): field `referral`: no referral with this id");
/// assert_eq!(err.code(), "not_found");
/// assert_eq!(c.last_seq(), 0); // nothing changed
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseloadError {
    /// The event refers to an entity that does not exist.
    #[error("event {seq} ({event}): field `{field}`: no {entity} with this id")]
    NotFound {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The field holding the reference.
        field: &'static str,
        /// The kind of entity (`referral`, `stay`, ...).
        entity: &'static str,
    },
    /// The event creates an entity whose id is taken.
    #[error("event {seq} ({event}): field `{field}`: a {entity} with this id already exists")]
    Duplicate {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The id field.
        field: &'static str,
        /// The kind of entity.
        entity: &'static str,
    },
    /// A field's value breaks a rule (empty, out of range, not an allowed code, an id that
    /// looks like an NHS number, ...).
    #[error("event {seq} ({event}): field `{field}`: {reason}")]
    InvalidField {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The field.
        field: &'static str,
        /// The rule broken.
        reason: &'static str,
    },
    /// The entity is not in a state that allows the event (closing a closed referral,
    /// discharging a discharged stay, ...).
    #[error("event {seq} ({event}): the {entity} is {state}: {reason}")]
    InvalidState {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The kind of entity.
        entity: &'static str,
        /// Its state.
        state: &'static str,
        /// Why that state does not allow the event.
        reason: &'static str,
    },
    /// A date or instant is out of order with another (a discharge before the admission, an
    /// absence ending before it starts, an event recorded before it happened).
    #[error("event {seq} ({event}): field `{field}`: {reason}")]
    OutOfOrder {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The field.
        field: &'static str,
        /// Which order is broken.
        reason: &'static str,
    },
    /// The member of staff cannot take the work.
    #[error("event {seq} ({event}): field `{field}`: the member of staff {reason}")]
    StaffUnavailable {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The field naming the member of staff (`staff`, `cover`, `owner`).
        field: &'static str,
        /// Why.
        reason: Unavailable,
    },
    /// A deadline could not be computed from the service calendar.
    #[error("event {seq} ({event}): the response deadline cannot be computed: {source}")]
    Deadline {
        /// Sequence number of the event.
        seq: u64,
        /// Event kind.
        event: &'static str,
        /// The calendar's error.
        #[source]
        source: CalendarError,
    },
    /// Nobody can be suggested for the work ([`CaseloadJournal::allocate`]).
    ///
    /// [`CaseloadJournal::allocate`]: super::CaseloadJournal::allocate
    #[error("no allocation possible: {reason}")]
    NoAllocation {
        /// Why.
        reason: NoAllocation,
    },
    /// Event JSON could not be read.
    #[error("event JSON: {category} error at line {line}, column {column}")]
    InvalidJson {
        /// `syntax`, `data` (a field, type or value that does not fit) or `eof`.
        category: &'static str,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
    },
    /// A request (a query, bulk-load options or a row of a bulk load) does not fit: the
    /// path names the field at fault (`within_minutes`, `rows[3].birth_date`, ...).
    #[error("{what}: field `{path}`: {reason}")]
    InvalidRequest {
        /// What was being read: `query`, `bulk load row 17`, ...
        what: String,
        /// The JSON path or column of the field at fault (`.` when the whole value).
        path: String,
        /// What is wrong with it (never the value).
        reason: String,
    },
    /// The journal could not be opened, read or appended to.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// An earlier append failed, so memory and disk may disagree: reopen the journal.
    #[error("an earlier append failed; reopen the caseload journal")]
    Poisoned,
}

impl CaseloadError {
    /// A stable snake_case code, one per variant.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadError;
    /// assert_eq!(CaseloadError::Poisoned.code(), "poisoned");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "not_found",
            Self::Duplicate { .. } => "duplicate",
            Self::InvalidField { .. } => "invalid_field",
            Self::InvalidState { .. } => "invalid_state",
            Self::OutOfOrder { .. } => "out_of_order",
            Self::StaffUnavailable { .. } => "staff_unavailable",
            Self::Deadline { .. } => "deadline",
            Self::NoAllocation { .. } => "no_allocation",
            Self::InvalidJson { .. } => "invalid_json",
            Self::InvalidRequest { .. } => "invalid_request",
            Self::Journal(_) => "journal",
            Self::Poisoned => "poisoned",
        }
    }

    /// The sequence number of the rejected event, for rejections.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::CaseloadError;
    /// let e = CaseloadError::InvalidField { seq: 9, event: "rota_set", field: "days", reason: "must not be empty" };
    /// assert_eq!(e.seq(), Some(9));
    /// assert_eq!(CaseloadError::Poisoned.seq(), None);
    /// ```
    pub fn seq(&self) -> Option<u64> {
        match self {
            Self::NotFound { seq, .. }
            | Self::Duplicate { seq, .. }
            | Self::InvalidField { seq, .. }
            | Self::InvalidState { seq, .. }
            | Self::OutOfOrder { seq, .. }
            | Self::StaffUnavailable { seq, .. }
            | Self::Deadline { seq, .. } => Some(*seq),
            _ => None,
        }
    }

    pub(crate) fn from_json_error(e: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        Self::InvalidJson {
            category: match e.classify() {
                Category::Io => "io",
                Category::Syntax => "syntax",
                Category::Data => "data",
                Category::Eof => "eof",
            },
            line: e.line(),
            column: e.column(),
        }
    }
}

/// An event of a journal that the model rejected on replay: its sequence number and why.
/// A journal written through [`CaseloadJournal`](super::CaseloadJournal) holds only accepted
/// events, so rejections on replay mean the journal was written otherwise (or by a version
/// with different rules).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{CaseloadError, Rejection};
///
/// let r = Rejection { seq: 12, error: CaseloadError::Poisoned };
/// assert_eq!(r.error.code(), "poisoned");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Sequence number of the rejected event.
    pub seq: u64,
    /// Why it was rejected.
    pub error: CaseloadError,
}
