//! UK calendars: bank holidays, service hours and deadlines in `Europe/London`.
//! (Being written; see the calendar helper's brief.)

mod error;
pub use error::CalendarError;
