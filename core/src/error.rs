//! The crate-level error type, for callers who want one type for everything.

use crate::calendar::CalendarError;
use crate::ids::{Icd10Error, NhsNumberError, SnomedIdError};
use crate::risk::RiskError;

/// Any error from this crate. Each module has its own precise enum; this wraps them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An NHS number failed validation.
    #[error(transparent)]
    NhsNumber(#[from] NhsNumberError),
    /// A SNOMED CT identifier failed validation.
    #[error(transparent)]
    SnomedId(#[from] SnomedIdError),
    /// An ICD-10 code could not be cleaned.
    #[error(transparent)]
    Icd10(#[from] Icd10Error),
    /// A calendar computation failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A risk computation failed.
    #[error(transparent)]
    Risk(#[from] RiskError),
    /// A scheduling computation failed.
    #[error(transparent)]
    Schedule(#[from] crate::schedule::ScheduleError),
    /// A journal could not be opened, read or appended to.
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
    /// A caseload event was rejected, or a caseload request could not be read.
    #[error(transparent)]
    Caseload(#[from] crate::caseload::CaseloadError),
    /// A patient-flow computation or delay-reason table failed.
    #[error(transparent)]
    Flow(#[from] crate::flow::FlowError),
}
