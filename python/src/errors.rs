//! The one place where core errors become Python exceptions.
//!
//! Every variant of every core error enum is listed in an exhaustive `match` (no wildcard
//! arm), so a new core variant does not compile until it is mapped here (STYLE.md 3). The
//! exception classes live in `carecoord/errors.py` (they have two bases, e.g.
//! `InvalidInputError(CarecoordError, ValueError)`) and are imported with
//! `pyo3::import_exception!`. Each is raised with `(message, code)`: the core's `Display`
//! text, which names the rule and never the value, and its stable `code()`.

use carecoord::calendar::CalendarError;
use carecoord::ids::batch::BatchError;
use carecoord::ids::{Icd10Error, NhsNumberError, SnomedIdError};
use carecoord::risk::RiskError;
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
            // Placeholder so that the crate compiles while the schedule binding is written:
            // replace with a `ScheduleError` class and a per-variant match (STYLE.md 3).
            BindingError::Core(carecoord::Error::Schedule(e)) => {
                py::CarecoordError::new_err((e.to_string(), e.code()))
            }
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
    // The core's RiskError has no `code()` yet; the stable codes are defined here.
    let code = match e {
        RiskError::MissingColumn { .. } => "missing_column",
        RiskError::ColumnType { .. } => "column_type",
        RiskError::InvalidOption { .. } => "invalid_option",
        RiskError::CodeList { .. } => "code_list",
        RiskError::ModelSpec { .. } => "model_spec",
        RiskError::Arrow(_) => "arrow",
    };
    py::RiskError::new_err((e.to_string(), code))
}

fn batch(e: BatchError) -> PyErr {
    match e {
        BatchError::UnsupportedType { .. } => {
            py::UnsupportedTypeError::new_err((e.to_string(), "unsupported_type"))
        }
    }
}
