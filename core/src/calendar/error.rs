//! Errors of the calendar module.

/// Why a calendar computation failed.
///
/// Messages name the rule broken; no patient data is involved in calendar computations, and
/// none ever appears here.
///
/// # Example
///
/// ```
/// use carecoord::calendar::{local_to_utc, CalendarError, Disambiguation};
/// use chrono::NaiveDate;
///
/// // 01:30 on 29 March 2026 never happens in London: clocks go from 01:00 GMT to 02:00 BST.
/// let gap = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(1, 30, 0).unwrap();
/// let err = local_to_utc(gap, Disambiguation::Earlier).unwrap_err();
/// assert_eq!(err, CalendarError::NonexistentLocalTime);
/// assert!(err.to_string().contains("does not exist"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The local wall-clock time does not exist (it falls in the spring-forward gap).
    #[error("local time does not exist in Europe/London (daylight saving gap)")]
    NonexistentLocalTime,
    /// The local wall-clock time occurs twice (autumn fall-back) and the caller asked for
    /// [`Disambiguation::Reject`](super::Disambiguation::Reject).
    #[error(
        "local time occurs twice in Europe/London (daylight saving ends); \
         choose the earlier or the later instant"
    )]
    AmbiguousLocalTime,
    /// A bank-holiday region name is not one of the GOV.UK divisions.
    #[error(
        "unknown bank-holiday region; expected `england-and-wales`, `scotland` or `northern-ireland`"
    )]
    UnknownRegion,
    /// A year is outside the supported range 1900-2199.
    #[error("year {year} is outside the supported range 1900-2199")]
    YearOutOfRange {
        /// The year asked for.
        year: i32,
    },
    /// Service hours were configured inconsistently.
    #[error("invalid service hours: {reason}")]
    InvalidServiceHours {
        /// Which rule the configuration broke.
        reason: &'static str,
    },
    /// A duration that must not be negative was negative.
    #[error("duration must not be negative")]
    NegativeDuration,
    /// No (or not enough) service time was found within the search horizon of 3660 local days,
    /// or the search ran past the last date that can be represented.
    #[error("not enough service time within the search horizon of 3660 days")]
    NoServiceTime,
}

impl CalendarError {
    /// A short stable code for the rule broken, used by the bindings.
    ///
    /// ```
    /// use carecoord::calendar::CalendarError;
    /// assert_eq!(CalendarError::NegativeDuration.code(), "negative_duration");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::NonexistentLocalTime => "nonexistent_local_time",
            Self::AmbiguousLocalTime => "ambiguous_local_time",
            Self::UnknownRegion => "unknown_region",
            Self::YearOutOfRange { .. } => "year_out_of_range",
            Self::InvalidServiceHours { .. } => "invalid_service_hours",
            Self::NegativeDuration => "negative_duration",
            Self::NoServiceTime => "no_service_time",
        }
    }
}
