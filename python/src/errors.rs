//! The one place where core errors become Python exceptions.
//!
//! Every variant of every core error enum is listed in an exhaustive `match` (no wildcard
//! arm), so a new core variant does not compile until it is mapped here (STYLE.md 3). The
//! exception classes live in `carecoord/errors.py` (they have two bases, e.g.
//! `InvalidInputError(CarecoordError, ValueError)`) and are imported with
//! `pyo3::import_exception!`. Each is raised with `(message, code)`: the core's `Display`
//! text, which names the rule and never the value, and its stable `code()`; schedule errors
//! add the JSON `path` and the `argument` at fault; caseload errors add the rejected event's
//! `seq` (`None` when the error is not a rejection) and journal errors the byte `offset`.
//! A caseload error caused by its journal (`CaseloadError::Journal`) is raised as the
//! journal error's class.

use carecoord::calendar::CalendarError;
use carecoord::caseload::CaseloadError;
use carecoord::flow::FlowError;
use carecoord::ids::batch::BatchError;
use carecoord::ids::{Icd10Error, NhsNumberError, SnomedIdError};
use carecoord::journal::JournalError;
use carecoord::risk::RiskError;
use carecoord::schedule::ScheduleError;
use pyo3::PyErr;

/// The exception classes of `carecoord.errors`, as Rust types.
mod py {
    pyo3::import_exception!(carecoord.errors, CarecoordError);
    pyo3::import_exception!(carecoord.errors, NhsNumberError);
    pyo3::import_exception!(carecoord.errors, SnomedIdError);
    pyo3::import_exception!(carecoord.errors, Icd10Error);
    pyo3::import_exception!(carecoord.errors, CalendarError);
    pyo3::import_exception!(carecoord.errors, RiskError);
    pyo3::import_exception!(carecoord.errors, UnsupportedTypeError);
    pyo3::import_exception!(carecoord.errors, InvalidJsonError);
    pyo3::import_exception!(carecoord.errors, MissingFieldError);
    pyo3::import_exception!(carecoord.errors, InvalidFieldError);
    pyo3::import_exception!(carecoord.errors, DuplicateIdError);
    pyo3::import_exception!(carecoord.errors, UnknownIdError);
    pyo3::import_exception!(carecoord.errors, InvalidTimeError);
    pyo3::import_exception!(carecoord.errors, InvalidRruleError);
    pyo3::import_exception!(carecoord.errors, UnsupportedRruleError);
    pyo3::import_exception!(carecoord.errors, PinnedInfeasibleError);
    pyo3::import_exception!(carecoord.errors, InvalidQueryError);
    pyo3::import_exception!(carecoord.errors, DuplicateEntryError);
    pyo3::import_exception!(carecoord.errors, UnknownActionError);
    pyo3::import_exception!(carecoord.errors, ActionDateError);
    pyo3::import_exception!(carecoord.errors, IdentifierNotAllowedError);
    pyo3::import_exception!(carecoord.errors, FlowEndBeforeStartError);
    pyo3::import_exception!(carecoord.errors, FlowTableRowError);
    pyo3::import_exception!(carecoord.errors, FlowDuplicateReasonError);
    pyo3::import_exception!(carecoord.errors, CaseloadNotFoundError);
    pyo3::import_exception!(carecoord.errors, CaseloadDuplicateError);
    pyo3::import_exception!(carecoord.errors, CaseloadInvalidFieldError);
    pyo3::import_exception!(carecoord.errors, CaseloadInvalidStateError);
    pyo3::import_exception!(carecoord.errors, CaseloadOutOfOrderError);
    pyo3::import_exception!(carecoord.errors, CaseloadStaffUnavailableError);
    pyo3::import_exception!(carecoord.errors, CaseloadDeadlineError);
    pyo3::import_exception!(carecoord.errors, CaseloadNoAllocationError);
    pyo3::import_exception!(carecoord.errors, CaseloadInvalidJsonError);
    pyo3::import_exception!(carecoord.errors, CaseloadInvalidRequestError);
    pyo3::import_exception!(carecoord.errors, CaseloadPoisonedError);
    pyo3::import_exception!(carecoord.errors, JournalIoError);
    pyo3::import_exception!(carecoord.errors, NotAJournalError);
    pyo3::import_exception!(carecoord.errors, JournalTornHeaderError);
    pyo3::import_exception!(carecoord.errors, JournalUnsupportedVersionError);
    pyo3::import_exception!(carecoord.errors, JournalSchemaMismatchError);
    pyo3::import_exception!(carecoord.errors, JournalCorruptError);
    pyo3::import_exception!(carecoord.errors, JournalTornTailError);
    pyo3::import_exception!(carecoord.errors, JournalInvalidEventError);
    pyo3::import_exception!(carecoord.errors, JournalPoisonedError);
}

/// Any error a core call made by this binding can return.
#[derive(Debug)]
pub enum BindingError {
    /// An error of a core module (`carecoord::Error` wraps one enum per module).
    Core(carecoord::Error),
    /// A batch function could not read a column at all.
    Batch(BatchError),
    /// Arrow failed to assemble an output array (e.g. more than 2 GiB of strings).
    Arrow(arrow_schema::ArrowError),
    /// A column the binding converts itself (dates, instants) has the wrong Arrow type.
    UnsupportedColumn {
        /// What the column should hold.
        what: &'static str,
        /// The Arrow type found.
        data_type: String,
        /// The Arrow types accepted.
        expected: &'static str,
    },
    /// A timestamp column without a time zone where instants are needed.
    NaiveTimestampColumn,
    /// An Arrow date or timestamp beyond what chrono can represent.
    OutOfRange {
        /// `date` or `timestamp`.
        what: &'static str,
    },
    /// A disambiguation other than `reject`, `earlier`, `later`.
    UnknownDisambiguation,
    /// A weekday number outside 0 (Monday) to 6 (Sunday).
    BadWeekday,
    /// A caseload's lock is poisoned: an earlier call on it panicked part way.
    LockPoisoned,
    /// A schedule error in a named argument of the call (`instance`, `previous`,
    /// `solution`), so that the exception can say which document the JSON path is in.
    Schedule {
        /// The Python argument holding the document.
        argument: &'static str,
        /// The core error.
        error: ScheduleError,
    },
}

impl From<carecoord::Error> for BindingError {
    fn from(e: carecoord::Error) -> Self {
        Self::Core(e)
    }
}

impl From<NhsNumberError> for BindingError {
    fn from(e: NhsNumberError) -> Self {
        Self::Core(e.into())
    }
}

impl From<SnomedIdError> for BindingError {
    fn from(e: SnomedIdError) -> Self {
        Self::Core(e.into())
    }
}

impl From<Icd10Error> for BindingError {
    fn from(e: Icd10Error) -> Self {
        Self::Core(e.into())
    }
}

impl From<CalendarError> for BindingError {
    fn from(e: CalendarError) -> Self {
        Self::Core(e.into())
    }
}

impl From<RiskError> for BindingError {
    fn from(e: RiskError) -> Self {
        Self::Core(e.into())
    }
}

impl From<ScheduleError> for BindingError {
    fn from(e: ScheduleError) -> Self {
        Self::Core(e.into())
    }
}

impl From<JournalError> for BindingError {
    fn from(e: JournalError) -> Self {
        Self::Core(e.into())
    }
}

impl From<CaseloadError> for BindingError {
    fn from(e: CaseloadError) -> Self {
        Self::Core(e.into())
    }
}

impl From<FlowError> for BindingError {
    fn from(e: FlowError) -> Self {
        Self::Core(e.into())
    }
}

impl From<BatchError> for BindingError {
    fn from(e: BatchError) -> Self {
        Self::Batch(e)
    }
}

impl From<arrow_schema::ArrowError> for BindingError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        Self::Arrow(e)
    }
}

impl From<BindingError> for PyErr {
    fn from(e: BindingError) -> Self {
        match e {
            BindingError::Core(carecoord::Error::NhsNumber(e)) => nhs_number(e),
            BindingError::Core(carecoord::Error::SnomedId(e)) => snomed_id(e),
            BindingError::Core(carecoord::Error::Icd10(e)) => icd10(e),
            BindingError::Core(carecoord::Error::Calendar(e)) => calendar(e),
            BindingError::Core(carecoord::Error::Risk(e)) => risk(e),
            BindingError::Core(carecoord::Error::Schedule(e)) => schedule(e, None),
            BindingError::Core(carecoord::Error::Journal(e)) => journal(e),
            BindingError::Core(carecoord::Error::Caseload(e)) => caseload(e),
            BindingError::Core(carecoord::Error::Flow(e)) => flow(e),
            BindingError::Schedule { argument, error } => schedule(error, Some(argument)),
            BindingError::Batch(e) => batch(e),
            // Not an input problem the caller can name; arrow messages carry no values.
            BindingError::Arrow(e) => py::CarecoordError::new_err((e.to_string(), "arrow")),
            BindingError::UnsupportedColumn {
                what,
                data_type,
                expected,
            } => py::UnsupportedTypeError::new_err((
                format!(
                    "{what} column has unsupported Arrow type {data_type}; expected {expected}"
                ),
                "unsupported_type",
            )),
            BindingError::NaiveTimestampColumn => py::CalendarError::new_err((
                "timestamp column has no time zone; attach one (polars: \
                 .dt.replace_time_zone(...), pandas: .dt.tz_localize(...)) so that each value \
                 is an instant",
                "naive_datetime",
            )),
            BindingError::OutOfRange { what } => py::CalendarError::new_err((
                format!("{what} is outside the range the calendar can represent"),
                "out_of_range",
            )),
            BindingError::UnknownDisambiguation => py::CalendarError::new_err((
                "disambiguation must be \"reject\", \"earlier\" or \"later\"",
                "unknown_disambiguation",
            )),
            BindingError::LockPoisoned => py::CarecoordError::new_err((
                "internal error: an earlier call on this caseload failed part way; open it again",
                "internal",
            )),
            BindingError::BadWeekday => py::CalendarError::new_err((
                "invalid service hours: weekdays are numbered 0 (Monday) to 6 (Sunday)",
                "invalid_service_hours",
            )),
        }
    }
}

fn nhs_number(e: NhsNumberError) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        NhsNumberError::Empty
        | NhsNumberError::InvalidCharacter { .. }
        | NhsNumberError::BadGrouping
        | NhsNumberError::WrongLength { .. }
        | NhsNumberError::AllSameDigit
        | NhsNumberError::CheckDigitTen
        | NhsNumberError::CheckDigitMismatch
        | NhsNumberError::RangeNotAllowed { .. } => py::NhsNumberError::new_err(args),
    }
}

fn snomed_id(e: SnomedIdError) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        SnomedIdError::Empty
        | SnomedIdError::InvalidCharacter { .. }
        | SnomedIdError::WrongLength { .. }
        | SnomedIdError::LeadingZero
        | SnomedIdError::CheckDigitMismatch
        | SnomedIdError::ReservedPartition
        | SnomedIdError::ShortExtension
        | SnomedIdError::NotAConcept { .. } => py::SnomedIdError::new_err(args),
    }
}

fn icd10(e: Icd10Error) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        Icd10Error::Empty
        | Icd10Error::InvalidCharacter { .. }
        | Icd10Error::MisplacedDot
        | Icd10Error::TooShort { .. }
        | Icd10Error::TooLong { .. }
        | Icd10Error::BadCategory => py::Icd10Error::new_err(args),
    }
}

fn calendar(e: CalendarError) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        CalendarError::NonexistentLocalTime
        | CalendarError::AmbiguousLocalTime
        | CalendarError::UnknownRegion
        | CalendarError::YearOutOfRange { .. }
        | CalendarError::InvalidServiceHours { .. }
        | CalendarError::NegativeDuration
        | CalendarError::NoServiceTime => py::CalendarError::new_err(args),
    }
}

fn risk(e: RiskError) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        RiskError::MissingColumn { .. }
        | RiskError::ColumnType { .. }
        | RiskError::InvalidOption { .. }
        | RiskError::CodeList { .. }
        | RiskError::ModelSpec { .. }
        | RiskError::CohortSpec { .. }
        | RiskError::Arrow(_) => py::RiskError::new_err(args),
    }
}

/// A schedule error as its `carecoord.errors` class, raised with `(message, code, path,
/// argument)`: `path` is the JSON path inside the argument's document (`None` for invalid
/// JSON and queries), `argument` the argument at fault (`instance`, `previous`, `solution`,
/// or for a query the core's argument name, such as `people`), `None` when not known.
fn schedule(e: ScheduleError, argument: Option<&'static str>) -> PyErr {
    let argument = match &e {
        ScheduleError::InvalidQuery { argument, .. } => Some(*argument),
        _ => argument,
    };
    let args = (
        e.to_string(),
        e.code(),
        e.path().map(str::to_string),
        argument,
    );
    match e {
        ScheduleError::InvalidQuery { .. } => py::InvalidQueryError::new_err(args),
        ScheduleError::Json { .. } => py::InvalidJsonError::new_err(args),
        ScheduleError::MissingField { .. } => py::MissingFieldError::new_err(args),
        ScheduleError::InvalidField { .. } => py::InvalidFieldError::new_err(args),
        ScheduleError::DuplicateId { .. } => py::DuplicateIdError::new_err(args),
        ScheduleError::UnknownId { .. } => py::UnknownIdError::new_err(args),
        ScheduleError::InvalidTime { .. } => py::InvalidTimeError::new_err(args),
        ScheduleError::InvalidRrule { .. } => py::InvalidRruleError::new_err(args),
        ScheduleError::UnsupportedRrule { .. } => py::UnsupportedRruleError::new_err(args),
        ScheduleError::PinnedInfeasible { .. } => py::PinnedInfeasibleError::new_err(args),
        ScheduleError::DuplicateEntry { .. } => py::DuplicateEntryError::new_err(args),
        ScheduleError::UnknownAction { .. } => py::UnknownActionError::new_err(args),
        ScheduleError::ActionDate { .. } => py::ActionDateError::new_err(args),
        ScheduleError::IdentifierNotAllowed { .. } => py::IdentifierNotAllowedError::new_err(args),
    }
}

/// A journal error as its `carecoord.errors` class, raised with `(message, code, offset)`.
fn journal(e: JournalError) -> PyErr {
    let args = (e.to_string(), e.code(), e.offset());
    match e {
        JournalError::Io { .. } => py::JournalIoError::new_err(args),
        JournalError::NotAJournal { .. } => py::NotAJournalError::new_err(args),
        JournalError::TornHeader { .. } => py::JournalTornHeaderError::new_err(args),
        JournalError::UnsupportedVersion { .. } => {
            py::JournalUnsupportedVersionError::new_err(args)
        }
        JournalError::SchemaMismatch { .. } => py::JournalSchemaMismatchError::new_err(args),
        JournalError::Corrupt { .. } => py::JournalCorruptError::new_err(args),
        JournalError::TornTail { .. } => py::JournalTornTailError::new_err(args),
        JournalError::InvalidEvent { .. } => py::JournalInvalidEventError::new_err(args),
        JournalError::Poisoned => py::JournalPoisonedError::new_err(args),
    }
}

/// A caseload error as its `carecoord.errors` class, raised with `(message, code, seq)`;
/// a journal error inside it as the journal's class.
fn caseload(e: CaseloadError) -> PyErr {
    let args = (e.to_string(), e.code(), e.seq());
    match e {
        CaseloadError::NotFound { .. } => py::CaseloadNotFoundError::new_err(args),
        CaseloadError::Duplicate { .. } => py::CaseloadDuplicateError::new_err(args),
        CaseloadError::InvalidField { .. } => py::CaseloadInvalidFieldError::new_err(args),
        CaseloadError::InvalidState { .. } => py::CaseloadInvalidStateError::new_err(args),
        CaseloadError::OutOfOrder { .. } => py::CaseloadOutOfOrderError::new_err(args),
        CaseloadError::StaffUnavailable { .. } => py::CaseloadStaffUnavailableError::new_err(args),
        CaseloadError::Deadline { .. } => py::CaseloadDeadlineError::new_err(args),
        CaseloadError::NoAllocation { .. } => py::CaseloadNoAllocationError::new_err(args),
        CaseloadError::InvalidJson { .. } => py::CaseloadInvalidJsonError::new_err(args),
        CaseloadError::InvalidRequest { .. } => py::CaseloadInvalidRequestError::new_err(args),
        CaseloadError::Journal(e) => journal(e),
        CaseloadError::Poisoned => py::CaseloadPoisonedError::new_err(args),
    }
}

fn flow(e: FlowError) -> PyErr {
    let args = (e.to_string(), e.code());
    match e {
        FlowError::EndBeforeStart => py::FlowEndBeforeStartError::new_err(args),
        FlowError::TableRow { .. } => py::FlowTableRowError::new_err(args),
        FlowError::DuplicateReason { .. } => py::FlowDuplicateReasonError::new_err(args),
    }
}

fn batch(e: BatchError) -> PyErr {
    match e {
        BatchError::UnsupportedType { .. } => {
            py::UnsupportedTypeError::new_err((e.to_string(), "unsupported_type"))
        }
    }
}
