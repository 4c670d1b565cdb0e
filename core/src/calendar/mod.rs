//! UK calendars: bank holidays, service hours and deadlines in `Europe/London`.
//!
//! Instants are [`DateTime<Utc>`](chrono::DateTime); calendar days are `Europe/London` days
//! ([`LONDON`]). Local times that do not exist or occur twice around daylight saving changes
//! are rejected or resolved explicitly, never guessed ([`local_to_utc`], [`Disambiguation`]).
//! Bank holidays for the three GOV.UK divisions ([`Region`]) come from the compiled-in GOV.UK
//! table for 2018-2028 and from the published rules, marked provisional, for other years from
//! 1900 to 2199 ([`bank_holidays`], [`HolidaySource`]). A [`ServiceHours`] calendar answers
//! whether a service is open and computes clocks that pause outside service hours
//! ([`ServiceHours::deadline_in_service_hours`]) and working-day deadlines
//! ([`ServiceHours::add_working_days`]); wall-clock deadlines are [`elapsed_deadline`].
//!
//! ```
//! use carecoord::calendar::{is_bank_holiday, Region, ServiceHours};
//! use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
//!
//! // A UCR referral at 17:00 GMT on Saturday 28 March 2026, the evening before BST starts:
//! // one hour that evening, one hour from 08:00 BST (07:00 UTC) on Sunday.
//! let team = ServiceHours::community_seven_day();
//! let referral = Utc.with_ymd_and_hms(2026, 3, 28, 17, 0, 0).unwrap();
//! let due = team.deadline_in_service_hours(referral, TimeDelta::hours(2))?;
//! assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap());
//!
//! let easter_monday = NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
//! assert!(is_bank_holiday(Region::EnglandAndWales, easter_monday));
//! assert!(!is_bank_holiday(Region::Scotland, easter_monday));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod holidays;
mod service;
mod time;

pub use error::CalendarError;
pub use holidays::{
    bank_holiday, bank_holidays, bank_holidays_between, is_bank_holiday, BankHoliday,
    HolidaySource, Region, SUPPORTED_YEARS, TABLE_YEARS,
};
pub use service::{BankHolidayPolicy, ServiceHours, SEARCH_HORIZON_DAYS};
pub use time::{elapsed_deadline, local_date, local_to_utc, to_local, Disambiguation, LONDON};
