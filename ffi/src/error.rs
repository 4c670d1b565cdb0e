//! Result codes, the thread-local last-error message, and the one mapping from core errors.
//!
//! Codes: 0 ok; 1-99 shared; a block per core module (100 ids, 200 calendar, ...). Numbers
//! are never reused: retired codes stay as comments.

use std::cell::RefCell;
use std::ffi::c_char;

use carecoord::calendar::CalendarError;
use carecoord::caseload::CaseloadError;
use carecoord::flow::FlowError;
use carecoord::ids::batch::BatchError;
use carecoord::ids::{Icd10Error, NhsNumberError, SnomedIdError};
use carecoord::journal::JournalError;
use carecoord::risk::RiskError;
use carecoord::schedule::ScheduleError;

use crate::boundary::ffi_boundary_or;

/// The result of every fallible call. `CARECOORD_RESULT_OK` (0) is success.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_result {
    /// Success.
    CARECOORD_RESULT_OK = 0,
    /// A required pointer argument was NULL.
    CARECOORD_RESULT_NULL_ARGUMENT = 1,
    /// A string argument was not valid UTF-8.
    CARECOORD_RESULT_INVALID_UTF8 = 2,
    /// The output buffer is too small; the needed length was written to the length out-parameter.
    CARECOORD_RESULT_BUFFER_TOO_SMALL = 3,
    /// A panic was caught inside the library (a bug); see the last error message.
    CARECOORD_RESULT_PANIC = 4,
    /// An argument is out of its documented range (e.g. an unknown enum value).
    CARECOORD_RESULT_INVALID_ARGUMENT = 5,
    /// An Arrow C Data Interface array could not be imported or has an unsupported type.
    CARECOORD_RESULT_ARROW_ERROR = 6,

    /// NHS number: empty input.
    CARECOORD_RESULT_NHS_NUMBER_EMPTY = 100,
    /// NHS number: a character that is not a digit or an allowed separator.
    CARECOORD_RESULT_NHS_NUMBER_INVALID_CHARACTER = 101,
    /// NHS number: separators not in the 3-3-4 grouping.
    CARECOORD_RESULT_NHS_NUMBER_BAD_GROUPING = 102,
    /// NHS number: not ten digits.
    CARECOORD_RESULT_NHS_NUMBER_WRONG_LENGTH = 103,
    /// NHS number: all digits the same.
    CARECOORD_RESULT_NHS_NUMBER_ALL_SAME_DIGIT = 104,
    /// NHS number: the check digit would be 10.
    CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN = 105,
    /// NHS number: check digit mismatch.
    CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH = 106,
    /// NHS number: valid but outside the allowed ranges.
    CARECOORD_RESULT_NHS_NUMBER_RANGE_NOT_ALLOWED = 107,
    /// SNOMED CT identifier: empty input.
    CARECOORD_RESULT_SNOMED_ID_EMPTY = 120,
    /// SNOMED CT identifier: non-digit character.
    CARECOORD_RESULT_SNOMED_ID_INVALID_CHARACTER = 121,
    /// SNOMED CT identifier: fewer than 6 or more than 18 digits.
    CARECOORD_RESULT_SNOMED_ID_WRONG_LENGTH = 122,
    /// SNOMED CT identifier: leading zero.
    CARECOORD_RESULT_SNOMED_ID_LEADING_ZERO = 123,
    /// SNOMED CT identifier: Verhoeff check digit mismatch.
    CARECOORD_RESULT_SNOMED_ID_CHECK_DIGIT_MISMATCH = 124,
    /// SNOMED CT identifier: reserved partition identifier.
    CARECOORD_RESULT_SNOMED_ID_RESERVED_PARTITION = 125,
    /// SNOMED CT identifier: extension identifier too short for its namespace.
    CARECOORD_RESULT_SNOMED_ID_SHORT_EXTENSION = 126,
    /// SNOMED CT identifier: not a concept identifier where one was required.
    CARECOORD_RESULT_SNOMED_ID_NOT_A_CONCEPT = 127,
    /// ICD-10 code: empty input.
    CARECOORD_RESULT_ICD10_EMPTY = 140,
    /// ICD-10 code: invalid character.
    CARECOORD_RESULT_ICD10_INVALID_CHARACTER = 141,
    /// ICD-10 code: misplaced dot.
    CARECOORD_RESULT_ICD10_MISPLACED_DOT = 142,
    /// ICD-10 code: fewer than 3 characters.
    CARECOORD_RESULT_ICD10_TOO_SHORT = 143,
    /// ICD-10 code: more than 7 characters.
    CARECOORD_RESULT_ICD10_TOO_LONG = 144,
    /// ICD-10 code: does not start with a letter and a digit.
    CARECOORD_RESULT_ICD10_BAD_CATEGORY = 145,
    /// Identifier batch: the column type cannot hold this identifier.
    CARECOORD_RESULT_IDS_UNSUPPORTED_TYPE = 160,

    /// Calendar: local time falls in the spring-forward gap.
    CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME = 200,
    /// Calendar: local time occurs twice (autumn fold) and no disambiguation was chosen.
    CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME = 201,
    /// Calendar: unknown region name.
    CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION = 202,
    /// Calendar: year outside the supported range.
    CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE = 203,
    /// Calendar: invalid service hours.
    CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS = 204,
    /// Calendar: negative duration.
    CARECOORD_RESULT_CALENDAR_NEGATIVE_DURATION = 205,
    /// Calendar: the service calendar never opens within the search horizon.
    CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME = 206,

    /// Caseload: an event refers to an entity that does not exist.
    CARECOORD_RESULT_CASELOAD_NOT_FOUND = 300,
    /// Caseload: an event creates an entity whose id is taken.
    CARECOORD_RESULT_CASELOAD_DUPLICATE = 301,
    /// Caseload: a field's value breaks a rule (empty, out of range, looks like an NHS number).
    CARECOORD_RESULT_CASELOAD_INVALID_FIELD = 302,
    /// Caseload: the entity's state does not allow the event (closing a closed referral).
    CARECOORD_RESULT_CASELOAD_INVALID_STATE = 303,
    /// Caseload: a date or instant is out of order (a discharge before the admission).
    CARECOORD_RESULT_CASELOAD_OUT_OF_ORDER = 304,
    /// Caseload: the member of staff cannot take the work (absent, left, lacks the skill).
    CARECOORD_RESULT_CASELOAD_STAFF_UNAVAILABLE = 305,
    /// Caseload: a response deadline cannot be computed from the service calendar.
    CARECOORD_RESULT_CASELOAD_DEADLINE = 306,
    /// Caseload: nobody can be suggested for the work.
    CARECOORD_RESULT_CASELOAD_NO_ALLOCATION = 307,
    /// Caseload: event JSON is not well-formed (line and column in the message).
    CARECOORD_RESULT_CASELOAD_INVALID_JSON = 308,
    /// Caseload: an event, query, bulk-load option or row does not fit (the field is named).
    CARECOORD_RESULT_CASELOAD_INVALID_REQUEST = 309,
    /// Caseload: an earlier append failed; open the journal again.
    CARECOORD_RESULT_CASELOAD_POISONED = 310,
    /// Journal: the operating system refused a read, write, sync or open.
    CARECOORD_RESULT_JOURNAL_IO = 320,
    /// Journal: the file is not a carecoord journal.
    CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL = 321,
    /// Journal: the header is incomplete (a crash while the journal was created).
    CARECOORD_RESULT_JOURNAL_TORN_HEADER = 322,
    /// Journal: the format version is not one this library reads.
    CARECOORD_RESULT_JOURNAL_UNSUPPORTED_VERSION = 323,
    /// Journal: the schema label is not the one expected (not a caseload journal).
    CARECOORD_RESULT_JOURNAL_SCHEMA_MISMATCH = 324,
    /// Journal: a record before the tail is damaged (record and byte offset in the message).
    CARECOORD_RESULT_JOURNAL_CORRUPT = 325,
    /// Journal: the last record is torn and repair was not asked for.
    CARECOORD_RESULT_JOURNAL_TORN_TAIL = 326,
    /// Journal: an event cannot be recorded (envelope field named).
    CARECOORD_RESULT_JOURNAL_INVALID_EVENT = 327,
    /// Journal: an earlier append failed; open the journal again.
    CARECOORD_RESULT_JOURNAL_POISONED = 328,
    /// Flow: the end of a stay is before its admission.
    CARECOORD_RESULT_FLOW_END_BEFORE_START = 340,
    /// Flow: a delay-reason table row is malformed.
    CARECOORD_RESULT_FLOW_TABLE_ROW = 341,
    /// Flow: a delay-reason table repeats a (version, code) pair.
    CARECOORD_RESULT_FLOW_DUPLICATE_REASON = 342,

    /// Risk: a required column is missing from the input table.
    CARECOORD_RESULT_RISK_MISSING_COLUMN = 400,
    /// Risk: a column has a type the score cannot read.
    CARECOORD_RESULT_RISK_COLUMN_TYPE = 401,
    /// Risk: an option or input value is outside its domain (e.g. an implausible laboratory
    /// value, more than 36 eFI deficits).
    CARECOORD_RESULT_RISK_INVALID_OPTION = 402,
    /// Risk: a user-supplied code list has a bad line.
    CARECOORD_RESULT_RISK_CODE_LIST = 403,
    /// Risk: a custom model specification is invalid.
    CARECOORD_RESULT_RISK_MODEL_SPEC = 404,
    /// Risk: an Arrow operation failed (e.g. batches whose schemas differ).
    CARECOORD_RESULT_RISK_ARROW = 405,
    /// Risk: a cohort filter specification (JSON) is invalid.
    CARECOORD_RESULT_RISK_COHORT_SPEC = 406,

    /// Schedule: the text is not well-formed JSON (the message gives the line and column).
    CARECOORD_RESULT_SCHEDULE_INVALID_JSON = 500,
    /// Schedule: a required field is missing (the message names its JSON path).
    CARECOORD_RESULT_SCHEDULE_MISSING_FIELD = 501,
    /// Schedule: a field has the wrong JSON type or a value outside its domain.
    CARECOORD_RESULT_SCHEDULE_INVALID_FIELD = 502,
    /// Schedule: an id is used twice across people, rooms, meetings and series.
    CARECOORD_RESULT_SCHEDULE_DUPLICATE_ID = 503,
    /// Schedule: a reference names an id that is not defined (or is of the wrong kind).
    CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID = 504,
    /// Schedule: a date, time or date-time is malformed or breaks a time rule.
    CARECOORD_RESULT_SCHEDULE_INVALID_TIME = 505,
    /// Schedule: an RRULE value could not be parsed or is invalid.
    CARECOORD_RESULT_SCHEDULE_INVALID_RRULE = 506,
    /// Schedule: an RRULE uses a part that is not expanded (`FREQ=HOURLY`, `BYWEEKNO`, ...).
    CARECOORD_RESULT_SCHEDULE_UNSUPPORTED_RRULE = 507,
    /// Schedule: a pinned meeting breaks a hard rule where it is pinned.
    CARECOORD_RESULT_SCHEDULE_PINNED_INFEASIBLE = 508,
    /// Schedule: a diary query names an unknown person or room, or asks something impossible.
    CARECOORD_RESULT_SCHEDULE_INVALID_QUERY = 509,
    /// Schedule: an entry repeats a key that must be unique in its list.
    CARECOORD_RESULT_SCHEDULE_DUPLICATE_ENTRY = 510,
    /// Schedule: an action id is not in the action log.
    CARECOORD_RESULT_SCHEDULE_UNKNOWN_ACTION = 511,
    /// Schedule: an action's dates contradict each other.
    CARECOORD_RESULT_SCHEDULE_ACTION_DATE = 512,
    /// Schedule: a field shown to every attendee holds what looks like an NHS number.
    CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED = 513,
}

/// An error on its way to the caller: a code and a message without identifiers.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) code: carecoord_result,
    pub(crate) message: String,
}

impl FfiError {
    pub(crate) fn new(code: carecoord_result, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn null(what: &str) -> Self {
        Self::new(
            carecoord_result::CARECOORD_RESULT_NULL_ARGUMENT,
            format!("argument `{what}` is NULL"),
        )
    }
}

macro_rules! map_error {
    ($ty:ty, |$e:ident| $body:expr) => {
        impl From<$ty> for FfiError {
            fn from($e: $ty) -> Self {
                use carecoord_result::*;
                let code = $body;
                FfiError::new(code, $e.to_string())
            }
        }
    };
}

map_error!(NhsNumberError, |e| match e {
    NhsNumberError::Empty => CARECOORD_RESULT_NHS_NUMBER_EMPTY,
    NhsNumberError::InvalidCharacter { .. } => CARECOORD_RESULT_NHS_NUMBER_INVALID_CHARACTER,
    NhsNumberError::BadGrouping => CARECOORD_RESULT_NHS_NUMBER_BAD_GROUPING,
    NhsNumberError::WrongLength { .. } => CARECOORD_RESULT_NHS_NUMBER_WRONG_LENGTH,
    NhsNumberError::AllSameDigit => CARECOORD_RESULT_NHS_NUMBER_ALL_SAME_DIGIT,
    NhsNumberError::CheckDigitTen => CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN,
    NhsNumberError::CheckDigitMismatch => CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH,
    NhsNumberError::RangeNotAllowed { .. } => CARECOORD_RESULT_NHS_NUMBER_RANGE_NOT_ALLOWED,
});

map_error!(SnomedIdError, |e| match e {
    SnomedIdError::Empty => CARECOORD_RESULT_SNOMED_ID_EMPTY,
    SnomedIdError::InvalidCharacter { .. } => CARECOORD_RESULT_SNOMED_ID_INVALID_CHARACTER,
    SnomedIdError::WrongLength { .. } => CARECOORD_RESULT_SNOMED_ID_WRONG_LENGTH,
    SnomedIdError::LeadingZero => CARECOORD_RESULT_SNOMED_ID_LEADING_ZERO,
    SnomedIdError::CheckDigitMismatch => CARECOORD_RESULT_SNOMED_ID_CHECK_DIGIT_MISMATCH,
    SnomedIdError::ReservedPartition => CARECOORD_RESULT_SNOMED_ID_RESERVED_PARTITION,
    SnomedIdError::ShortExtension => CARECOORD_RESULT_SNOMED_ID_SHORT_EXTENSION,
    SnomedIdError::NotAConcept { .. } => CARECOORD_RESULT_SNOMED_ID_NOT_A_CONCEPT,
});

map_error!(Icd10Error, |e| match e {
    Icd10Error::Empty => CARECOORD_RESULT_ICD10_EMPTY,
    Icd10Error::InvalidCharacter { .. } => CARECOORD_RESULT_ICD10_INVALID_CHARACTER,
    Icd10Error::MisplacedDot => CARECOORD_RESULT_ICD10_MISPLACED_DOT,
    Icd10Error::TooShort { .. } => CARECOORD_RESULT_ICD10_TOO_SHORT,
    Icd10Error::TooLong { .. } => CARECOORD_RESULT_ICD10_TOO_LONG,
    Icd10Error::BadCategory => CARECOORD_RESULT_ICD10_BAD_CATEGORY,
});

map_error!(BatchError, |e| match e {
    BatchError::UnsupportedType { .. } => CARECOORD_RESULT_IDS_UNSUPPORTED_TYPE,
});

map_error!(CalendarError, |e| match e {
    CalendarError::NonexistentLocalTime => CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME,
    CalendarError::AmbiguousLocalTime => CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME,
    CalendarError::UnknownRegion => CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION,
    CalendarError::YearOutOfRange { .. } => CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE,
    CalendarError::InvalidServiceHours { .. } => CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS,
    CalendarError::NegativeDuration => CARECOORD_RESULT_CALENDAR_NEGATIVE_DURATION,
    CalendarError::NoServiceTime => CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME,
});

map_error!(RiskError, |e| match e {
    RiskError::MissingColumn { .. } => CARECOORD_RESULT_RISK_MISSING_COLUMN,
    RiskError::ColumnType { .. } => CARECOORD_RESULT_RISK_COLUMN_TYPE,
    RiskError::InvalidOption { .. } => CARECOORD_RESULT_RISK_INVALID_OPTION,
    RiskError::CodeList { .. } => CARECOORD_RESULT_RISK_CODE_LIST,
    RiskError::ModelSpec { .. } => CARECOORD_RESULT_RISK_MODEL_SPEC,
    RiskError::CohortSpec { .. } => CARECOORD_RESULT_RISK_COHORT_SPEC,
    RiskError::Arrow(_) => CARECOORD_RESULT_RISK_ARROW,
});

map_error!(ScheduleError, |e| match e {
    ScheduleError::Json { .. } => CARECOORD_RESULT_SCHEDULE_INVALID_JSON,
    ScheduleError::MissingField { .. } => CARECOORD_RESULT_SCHEDULE_MISSING_FIELD,
    ScheduleError::InvalidField { .. } => CARECOORD_RESULT_SCHEDULE_INVALID_FIELD,
    ScheduleError::DuplicateId { .. } => CARECOORD_RESULT_SCHEDULE_DUPLICATE_ID,
    ScheduleError::UnknownId { .. } => CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID,
    ScheduleError::InvalidTime { .. } => CARECOORD_RESULT_SCHEDULE_INVALID_TIME,
    ScheduleError::InvalidRrule { .. } => CARECOORD_RESULT_SCHEDULE_INVALID_RRULE,
    ScheduleError::UnsupportedRrule { .. } => CARECOORD_RESULT_SCHEDULE_UNSUPPORTED_RRULE,
    ScheduleError::PinnedInfeasible { .. } => CARECOORD_RESULT_SCHEDULE_PINNED_INFEASIBLE,
    ScheduleError::InvalidQuery { .. } => CARECOORD_RESULT_SCHEDULE_INVALID_QUERY,
    ScheduleError::DuplicateEntry { .. } => CARECOORD_RESULT_SCHEDULE_DUPLICATE_ENTRY,
    ScheduleError::UnknownAction { .. } => CARECOORD_RESULT_SCHEDULE_UNKNOWN_ACTION,
    ScheduleError::ActionDate { .. } => CARECOORD_RESULT_SCHEDULE_ACTION_DATE,
    ScheduleError::IdentifierNotAllowed { .. } => CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED,
});

map_error!(JournalError, |e| match e {
    JournalError::Io { .. } => CARECOORD_RESULT_JOURNAL_IO,
    JournalError::NotAJournal { .. } => CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL,
    JournalError::TornHeader { .. } => CARECOORD_RESULT_JOURNAL_TORN_HEADER,
    JournalError::UnsupportedVersion { .. } => CARECOORD_RESULT_JOURNAL_UNSUPPORTED_VERSION,
    JournalError::SchemaMismatch { .. } => CARECOORD_RESULT_JOURNAL_SCHEMA_MISMATCH,
    JournalError::Corrupt { .. } => CARECOORD_RESULT_JOURNAL_CORRUPT,
    JournalError::TornTail { .. } => CARECOORD_RESULT_JOURNAL_TORN_TAIL,
    JournalError::InvalidEvent { .. } => CARECOORD_RESULT_JOURNAL_INVALID_EVENT,
    JournalError::Poisoned => CARECOORD_RESULT_JOURNAL_POISONED,
});

impl From<CaseloadError> for FfiError {
    fn from(e: CaseloadError) -> Self {
        use carecoord_result::*;
        let code = match &e {
            // A journal error inside keeps the journal's code.
            CaseloadError::Journal(j) => return FfiError::from(j.clone()),
            CaseloadError::NotFound { .. } => CARECOORD_RESULT_CASELOAD_NOT_FOUND,
            CaseloadError::Duplicate { .. } => CARECOORD_RESULT_CASELOAD_DUPLICATE,
            CaseloadError::InvalidField { .. } => CARECOORD_RESULT_CASELOAD_INVALID_FIELD,
            CaseloadError::InvalidState { .. } => CARECOORD_RESULT_CASELOAD_INVALID_STATE,
            CaseloadError::OutOfOrder { .. } => CARECOORD_RESULT_CASELOAD_OUT_OF_ORDER,
            CaseloadError::StaffUnavailable { .. } => CARECOORD_RESULT_CASELOAD_STAFF_UNAVAILABLE,
            CaseloadError::Deadline { .. } => CARECOORD_RESULT_CASELOAD_DEADLINE,
            CaseloadError::NoAllocation { .. } => CARECOORD_RESULT_CASELOAD_NO_ALLOCATION,
            CaseloadError::InvalidJson { .. } => CARECOORD_RESULT_CASELOAD_INVALID_JSON,
            CaseloadError::InvalidRequest { .. } => CARECOORD_RESULT_CASELOAD_INVALID_REQUEST,
            CaseloadError::Poisoned => CARECOORD_RESULT_CASELOAD_POISONED,
        };
        FfiError::new(code, e.to_string())
    }
}

map_error!(FlowError, |e| match e {
    FlowError::EndBeforeStart => CARECOORD_RESULT_FLOW_END_BEFORE_START,
    FlowError::TableRow { .. } => CARECOORD_RESULT_FLOW_TABLE_ROW,
    FlowError::DuplicateReason { .. } => CARECOORD_RESULT_FLOW_DUPLICATE_REASON,
});

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Store `message` as this thread's last error.
pub(crate) fn set_last_error(message: &str) {
    LAST_ERROR.with(|e| {
        let mut e = e.borrow_mut();
        e.clear();
        e.push_str(message);
    });
}

/// The size in bytes, including the terminating NUL, of the calling thread's last error
/// message; 0 when there is none.
///
/// Thread safety: safe from any thread; each thread has its own last error.
#[no_mangle]
pub extern "C" fn carecoord_last_error_length() -> usize {
    ffi_boundary_or("carecoord_last_error_length", 0, || {
        LAST_ERROR.with(|e| {
            let e = e.borrow();
            if e.is_empty() {
                0
            } else {
                e.len() + 1
            }
        })
    })
}

/// Copy the calling thread's last error message, NUL-terminated, into `buf`.
///
/// `buf` (borrowed for the call, `buf_len` bytes, may be NULL when `buf_len` is 0) receives the
/// message; `out_len` (required) receives the message length in bytes without the NUL. When
/// `buf_len` is less than that length plus one, nothing is copied and
/// `CARECOORD_RESULT_BUFFER_TOO_SMALL` is returned with `*out_len` set. An empty message (no
/// error yet) copies just the NUL. Messages never contain patient identifiers.
///
/// Thread safety: safe from any thread; reads only the calling thread's message.
///
/// # Safety
///
/// `buf` must be valid for writes of `buf_len` bytes; `out_len` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    if out_len.is_null() {
        return carecoord_result::CARECOORD_RESULT_NULL_ARGUMENT;
    }
    let message = LAST_ERROR.with(|e| e.borrow().clone());
    // SAFETY: out_len is non-null and the caller promises it is valid for a write.
    unsafe { *out_len = message.len() };
    // SAFETY: the caller promises buf is valid for buf_len bytes.
    unsafe { crate::text::copy_out(&message, buf, buf_len) }
}

/// A static, NUL-terminated name for a result code (`"CARECOORD_RESULT_OK"`), or
/// `"CARECOORD_RESULT_UNKNOWN"` for a number that is not a code. Never NULL; do not free.
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_result_name(code: i32) -> *const c_char {
    macro_rules! names {
        ($($v:ident),* $(,)?) => {
            match code {
                $(c if c == carecoord_result::$v as i32 => concat!(stringify!($v), "\0"),)*
                _ => "CARECOORD_RESULT_UNKNOWN\0",
            }
        };
    }
    let s: &'static str = names!(
        CARECOORD_RESULT_OK,
        CARECOORD_RESULT_NULL_ARGUMENT,
        CARECOORD_RESULT_INVALID_UTF8,
        CARECOORD_RESULT_BUFFER_TOO_SMALL,
        CARECOORD_RESULT_PANIC,
        CARECOORD_RESULT_INVALID_ARGUMENT,
        CARECOORD_RESULT_ARROW_ERROR,
        CARECOORD_RESULT_NHS_NUMBER_EMPTY,
        CARECOORD_RESULT_NHS_NUMBER_INVALID_CHARACTER,
        CARECOORD_RESULT_NHS_NUMBER_BAD_GROUPING,
        CARECOORD_RESULT_NHS_NUMBER_WRONG_LENGTH,
        CARECOORD_RESULT_NHS_NUMBER_ALL_SAME_DIGIT,
        CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN,
        CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_MISMATCH,
        CARECOORD_RESULT_NHS_NUMBER_RANGE_NOT_ALLOWED,
        CARECOORD_RESULT_SNOMED_ID_EMPTY,
        CARECOORD_RESULT_SNOMED_ID_INVALID_CHARACTER,
        CARECOORD_RESULT_SNOMED_ID_WRONG_LENGTH,
        CARECOORD_RESULT_SNOMED_ID_LEADING_ZERO,
        CARECOORD_RESULT_SNOMED_ID_CHECK_DIGIT_MISMATCH,
        CARECOORD_RESULT_SNOMED_ID_RESERVED_PARTITION,
        CARECOORD_RESULT_SNOMED_ID_SHORT_EXTENSION,
        CARECOORD_RESULT_SNOMED_ID_NOT_A_CONCEPT,
        CARECOORD_RESULT_ICD10_EMPTY,
        CARECOORD_RESULT_ICD10_INVALID_CHARACTER,
        CARECOORD_RESULT_ICD10_MISPLACED_DOT,
        CARECOORD_RESULT_ICD10_TOO_SHORT,
        CARECOORD_RESULT_ICD10_TOO_LONG,
        CARECOORD_RESULT_ICD10_BAD_CATEGORY,
        CARECOORD_RESULT_IDS_UNSUPPORTED_TYPE,
        CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME,
        CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME,
        CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION,
        CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE,
        CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS,
        CARECOORD_RESULT_CALENDAR_NEGATIVE_DURATION,
        CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME,
        CARECOORD_RESULT_CASELOAD_NOT_FOUND,
        CARECOORD_RESULT_CASELOAD_DUPLICATE,
        CARECOORD_RESULT_CASELOAD_INVALID_FIELD,
        CARECOORD_RESULT_CASELOAD_INVALID_STATE,
        CARECOORD_RESULT_CASELOAD_OUT_OF_ORDER,
        CARECOORD_RESULT_CASELOAD_STAFF_UNAVAILABLE,
        CARECOORD_RESULT_CASELOAD_DEADLINE,
        CARECOORD_RESULT_CASELOAD_NO_ALLOCATION,
        CARECOORD_RESULT_CASELOAD_INVALID_JSON,
        CARECOORD_RESULT_CASELOAD_INVALID_REQUEST,
        CARECOORD_RESULT_CASELOAD_POISONED,
        CARECOORD_RESULT_JOURNAL_IO,
        CARECOORD_RESULT_JOURNAL_NOT_A_JOURNAL,
        CARECOORD_RESULT_JOURNAL_TORN_HEADER,
        CARECOORD_RESULT_JOURNAL_UNSUPPORTED_VERSION,
        CARECOORD_RESULT_JOURNAL_SCHEMA_MISMATCH,
        CARECOORD_RESULT_JOURNAL_CORRUPT,
        CARECOORD_RESULT_JOURNAL_TORN_TAIL,
        CARECOORD_RESULT_JOURNAL_INVALID_EVENT,
        CARECOORD_RESULT_JOURNAL_POISONED,
        CARECOORD_RESULT_FLOW_END_BEFORE_START,
        CARECOORD_RESULT_FLOW_TABLE_ROW,
        CARECOORD_RESULT_FLOW_DUPLICATE_REASON,
        CARECOORD_RESULT_RISK_MISSING_COLUMN,
        CARECOORD_RESULT_RISK_COLUMN_TYPE,
        CARECOORD_RESULT_RISK_INVALID_OPTION,
        CARECOORD_RESULT_RISK_CODE_LIST,
        CARECOORD_RESULT_RISK_MODEL_SPEC,
        CARECOORD_RESULT_RISK_ARROW,
        CARECOORD_RESULT_RISK_COHORT_SPEC,
        CARECOORD_RESULT_SCHEDULE_INVALID_JSON,
        CARECOORD_RESULT_SCHEDULE_MISSING_FIELD,
        CARECOORD_RESULT_SCHEDULE_INVALID_FIELD,
        CARECOORD_RESULT_SCHEDULE_DUPLICATE_ID,
        CARECOORD_RESULT_SCHEDULE_UNKNOWN_ID,
        CARECOORD_RESULT_SCHEDULE_INVALID_TIME,
        CARECOORD_RESULT_SCHEDULE_INVALID_RRULE,
        CARECOORD_RESULT_SCHEDULE_UNSUPPORTED_RRULE,
        CARECOORD_RESULT_SCHEDULE_PINNED_INFEASIBLE,
        CARECOORD_RESULT_SCHEDULE_INVALID_QUERY,
        CARECOORD_RESULT_SCHEDULE_DUPLICATE_ENTRY,
        CARECOORD_RESULT_SCHEDULE_UNKNOWN_ACTION,
        CARECOORD_RESULT_SCHEDULE_ACTION_DATE,
        CARECOORD_RESULT_SCHEDULE_IDENTIFIER_NOT_ALLOWED,
    );
    s.as_ptr().cast()
}
