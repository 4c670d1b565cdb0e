//! Service hours, working days and clocks that pause outside service hours (DOMAIN 2.5).
//!
//! A [`ServiceHours`] calendar is data: days of the week, an opening and a closing local time
//! in `Europe/London`, and whether the bank holidays of a chosen region are worked. Every
//! method is allocation-free; deadline searches walk forward one local day at a time and stop
//! after [`SEARCH_HORIZON_DAYS`] days; day counts use closed forms plus a binary search of
//! the bank-holiday table.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday, WeekdaySet};

use super::holidays::{self, Region};
use super::time::{local_date, resolve_lenient};
use super::CalendarError;

/// How far ahead, in local days after the day of the start instant, service-time searches
/// ([`ServiceHours::next_opening`], [`ServiceHours::deadline_in_service_hours`]) look before
/// giving up with [`CalendarError::NoServiceTime`]: 3660 days, just over ten years.
///
/// # Example
///
/// ```
/// use carecoord::calendar::SEARCH_HORIZON_DAYS;
///
/// assert_eq!(SEARCH_HORIZON_DAYS, 3660);
/// ```
pub const SEARCH_HORIZON_DAYS: u32 = 3660;

/// Whether a service works on bank holidays.
///
/// # Example
///
/// ```
/// use carecoord::calendar::{BankHolidayPolicy, Region, ServiceHours};
///
/// let office = ServiceHours::weekday_office(Region::Scotland);
/// assert_eq!(office.bank_holidays(), BankHolidayPolicy::Closed(Region::Scotland));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BankHolidayPolicy {
    /// Bank holidays are ordinary days: open if the weekday is a service day.
    Worked,
    /// Closed on the bank holidays of this region.
    Closed(Region),
}

const fn hm(hour: u32, min: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, min, 0) {
        Some(t) => t,
        None => panic!("invalid preset time"),
    }
}

const EIGHT: NaiveTime = hm(8, 0);
const EIGHTEEN: NaiveTime = hm(18, 0);
const TWENTY: NaiveTime = hm(20, 0);
const MON_FRI: WeekdaySet = WeekdaySet::from_array([
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
]);

/// A service calendar: open from `open` to `close` (local `Europe/London` times, same day) on
/// the chosen days of the week, with a bank-holiday policy.
///
/// Each working day has one service interval, `[open, close)` in local time, converted to
/// UTC instants by [`ServiceHours::opening_on`]. Clocks measured here pause outside those
/// intervals; elapsed-time clocks are [`elapsed_deadline`](super::elapsed_deadline).
///
/// # Example
///
/// ```
/// use carecoord::calendar::{BankHolidayPolicy, Region, ServiceHours};
/// use chrono::{NaiveTime, Weekday};
///
/// let duty = ServiceHours::new(
///     NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
///     NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
///     &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
///     BankHolidayPolicy::Closed(Region::EnglandAndWales),
/// )?;
/// assert_eq!(duty.days().len(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceHours {
    open: NaiveTime,
    close: NaiveTime,
    days: WeekdaySet,
    bank_holidays: BankHolidayPolicy,
}

impl ServiceHours {
    /// Builds service hours open `open`..`close` local time on `days`.
    ///
    /// Repeated weekdays in `days` are allowed and count once.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidServiceHours`] if `open` is not before `close` (overnight
    /// services are not supported), or if `days` is empty.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{BankHolidayPolicy, CalendarError, ServiceHours};
    /// use chrono::{NaiveTime, Weekday};
    ///
    /// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    /// let ok = ServiceHours::new(t(8), t(18), &[Weekday::Sat], BankHolidayPolicy::Worked);
    /// assert!(ok.is_ok());
    /// let overnight = ServiceHours::new(t(20), t(8), &[Weekday::Sat], BankHolidayPolicy::Worked);
    /// assert!(matches!(overnight, Err(CalendarError::InvalidServiceHours { .. })));
    /// ```
    pub fn new(
        open: NaiveTime,
        close: NaiveTime,
        days: &[Weekday],
        bank_holidays: BankHolidayPolicy,
    ) -> Result<Self, CalendarError> {
        if open >= close {
            return Err(CalendarError::InvalidServiceHours {
                reason: "opening time must be before closing time on the same day",
            });
        }
        let mut set = WeekdaySet::EMPTY;
        for &day in days {
            set.insert(day);
        }
        if set.is_empty() {
            return Err(CalendarError::InvalidServiceHours {
                reason: "no days of the week selected",
            });
        }
        Ok(ServiceHours {
            open,
            close,
            days: set,
            bank_holidays,
        })
    }

    /// 08:00-18:00 every day, bank holidays worked: the community team (team 001, DOMAIN 2.5).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{BankHolidayPolicy, ServiceHours};
    /// use chrono::WeekdaySet;
    ///
    /// let team = ServiceHours::community_seven_day();
    /// assert_eq!(team.days(), WeekdaySet::ALL);
    /// assert_eq!(team.bank_holidays(), BankHolidayPolicy::Worked);
    /// ```
    pub fn community_seven_day() -> Self {
        ServiceHours {
            open: EIGHT,
            close: EIGHTEEN,
            days: WeekdaySet::ALL,
            bank_holidays: BankHolidayPolicy::Worked,
        }
    }

    /// 08:00-18:00 Monday to Friday, closed on `region`'s bank holidays: the duty team
    /// (team 003, DOMAIN 2.5).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::NaiveDate;
    ///
    /// let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    /// let good_friday = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
    /// assert!(!office.is_working_day(good_friday));
    /// ```
    pub fn weekday_office(region: Region) -> Self {
        ServiceHours {
            open: EIGHT,
            close: EIGHTEEN,
            days: MON_FRI,
            bank_holidays: BankHolidayPolicy::Closed(region),
        }
    }

    /// 08:00-20:00 seven days a week, bank holidays worked: the national minimum for Urgent
    /// Community Response (DOMAIN 2.6).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::NaiveTime;
    ///
    /// assert_eq!(ServiceHours::ucr_national().close(), NaiveTime::from_hms_opt(20, 0, 0).unwrap());
    /// ```
    pub fn ucr_national() -> Self {
        ServiceHours {
            open: EIGHT,
            close: TWENTY,
            days: WeekdaySet::ALL,
            bank_holidays: BankHolidayPolicy::Worked,
        }
    }

    /// The local opening time.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::NaiveTime;
    ///
    /// assert_eq!(ServiceHours::ucr_national().open(), NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    /// ```
    pub fn open(&self) -> NaiveTime {
        self.open
    }

    /// The local closing time (the service is closed from this time on).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::NaiveTime;
    ///
    /// let close = ServiceHours::community_seven_day().close();
    /// assert_eq!(close, NaiveTime::from_hms_opt(18, 0, 0).unwrap());
    /// ```
    pub fn close(&self) -> NaiveTime {
        self.close
    }

    /// The days of the week the service works.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::Weekday;
    ///
    /// let days = ServiceHours::weekday_office(Region::Scotland).days();
    /// assert!(days.contains(Weekday::Fri) && !days.contains(Weekday::Sat));
    /// ```
    pub fn days(&self) -> WeekdaySet {
        self.days
    }

    /// Whether bank holidays are worked, or whose bank holidays close the service.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{BankHolidayPolicy, ServiceHours};
    ///
    /// assert_eq!(ServiceHours::ucr_national().bank_holidays(), BankHolidayPolicy::Worked);
    /// ```
    pub fn bank_holidays(&self) -> BankHolidayPolicy {
        self.bank_holidays
    }

    /// Whether the service works on local date `date`: a service weekday that is not a bank
    /// holiday it closes for. Bank holidays are only known for 1900-2199; outside those years
    /// no day is a bank holiday.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::NaiveDate;
    ///
    /// let easter_monday = NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
    /// assert!(!ServiceHours::weekday_office(Region::EnglandAndWales).is_working_day(easter_monday));
    /// assert!(ServiceHours::weekday_office(Region::Scotland).is_working_day(easter_monday));
    /// assert!(ServiceHours::community_seven_day().is_working_day(easter_monday));
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days.contains(date.weekday())
            && match self.bank_holidays {
                BankHolidayPolicy::Worked => true,
                BankHolidayPolicy::Closed(region) => !holidays::is_bank_holiday(region, date),
            }
    }

    /// The UTC instants at which the service opens and closes on local date `date`, or `None`
    /// if it is not a working day.
    ///
    /// Daylight saving: a configured time that falls in the spring-forward gap (01:00-01:59
    /// local on the last Sunday of March) becomes the first instant after the gap (02:00
    /// BST); a configured time that occurs twice (01:00-01:59 on the last Sunday of October)
    /// resolves to the earlier instant for opening and the later one for closing, so the day
    /// gets the longer interval. The interval is empty (opening = closing) only when both
    /// times fall in the same gap. Also `None` for dates too close to the limits of
    /// [`NaiveDate`] to convert.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    ///
    /// let team = ServiceHours::community_seven_day();
    /// // BST began at 01:00 UTC on 29 March 2026: 08:00 local is 07:00 UTC that day.
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
    /// let (open, close) = team.opening_on(day).unwrap();
    /// assert_eq!(open, Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap());
    /// assert_eq!(close, Utc.with_ymd_and_hms(2026, 3, 29, 17, 0, 0).unwrap());
    /// ```
    pub fn opening_on(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(date) {
            return None;
        }
        let open = resolve_lenient(date.and_time(self.open), false)?;
        let close = resolve_lenient(date.and_time(self.close), true)?;
        Some((open, close.max(open)))
    }

    /// Whether the service is open at `instant` (opening inclusive, closing exclusive).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let team = ServiceHours::community_seven_day();
    /// // 17:30 UTC on 1 July 2026 is 18:30 BST: closed.
    /// assert!(!team.is_open(Utc.with_ymd_and_hms(2026, 7, 1, 17, 30, 0).unwrap()));
    /// assert!(team.is_open(Utc.with_ymd_and_hms(2026, 7, 1, 16, 59, 0).unwrap()));
    /// ```
    pub fn is_open(&self, instant: DateTime<Utc>) -> bool {
        // A day's interval lies within that local day, so only the instant's own day matters.
        self.opening_on(local_date(instant))
            .is_some_and(|(open, close)| open <= instant && instant < close)
    }

    /// The first instant at or after `instant` at which the service is open: `instant`
    /// itself if open, otherwise the next opening.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoServiceTime`] if the service does not open within
    /// [`SEARCH_HORIZON_DAYS`] local days after the day of `instant`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    /// // Saturday 4 April 2026, then Easter Monday: next opening is Tuesday 08:00 BST.
    /// let saturday = Utc.with_ymd_and_hms(2026, 4, 4, 12, 0, 0).unwrap();
    /// assert_eq!(
    ///     office.next_opening(saturday)?,
    ///     Utc.with_ymd_and_hms(2026, 4, 7, 7, 0, 0).unwrap()
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_opening(&self, instant: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        let mut day = local_date(instant);
        for _ in 0..=SEARCH_HORIZON_DAYS {
            if let Some((open, close)) = self.opening_on(day) {
                if open < close && instant < close {
                    return Ok(open.max(instant));
                }
            }
            day = day.succ_opt().ok_or(CalendarError::NoServiceTime)?;
        }
        Err(CalendarError::NoServiceTime)
    }

    /// The time inside service hours in `[from, to)`; zero if `to <= from`.
    ///
    /// Walks the local days from `from` to `to` (cost proportional to the number of days).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    ///
    /// let team = ServiceHours::community_seven_day();
    /// // 17:00 GMT on 28 March 2026 to 09:00 BST on 29 March: 1 hour + 1 hour.
    /// let from = Utc.with_ymd_and_hms(2026, 3, 28, 17, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap();
    /// assert_eq!(team.service_time_between(from, to), TimeDelta::hours(2));
    /// ```
    pub fn service_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        let mut total = TimeDelta::zero();
        if to <= from {
            return total;
        }
        let last = local_date(to);
        let mut day = local_date(from);
        loop {
            if let Some((open, close)) = self.opening_on(day) {
                let start = open.max(from);
                let end = close.min(to);
                if start < end {
                    total += end - start;
                }
            }
            match day.succ_opt() {
                Some(next) if day < last => day = next,
                _ => return total,
            }
        }
    }

    /// The deadline of a clock that runs only inside service hours: the instant at which
    /// `within` of service time has elapsed since `start`.
    ///
    /// The clock starts at `start` if the service is open then, else at the next opening (a
    /// referral at 06:00 on an 08:00-18:00 service starts its clock at 08:00), and pauses
    /// from each closing to the next opening (a referral at 17:30 with 2 hours is due 09:30
    /// the next working day). A clock that runs out exactly at closing is due at that closing
    /// instant. When `within` is zero the result is [`next_opening`](Self::next_opening)
    /// of `start` (`start` itself if the service is open), so that the deadline never
    /// precedes the moment the clock could start and grows with `within`.
    ///
    /// # Errors
    ///
    /// * [`CalendarError::NegativeDuration`] if `within` is negative.
    /// * [`CalendarError::NoServiceTime`] if `within` of service time is not reached within
    ///   [`SEARCH_HORIZON_DAYS`] local days after the day of `start`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::ServiceHours;
    /// use chrono::{TimeDelta, TimeZone, Utc};
    ///
    /// let team = ServiceHours::community_seven_day();
    /// // 17:30 BST (16:30 UTC) on 10 June 2026 with 2 hours: 30 minutes that evening and
    /// // 90 the next morning, so due 09:30 BST (08:30 UTC) on 11 June.
    /// let start = Utc.with_ymd_and_hms(2026, 6, 10, 16, 30, 0).unwrap();
    /// assert_eq!(
    ///     team.deadline_in_service_hours(start, TimeDelta::hours(2))?,
    ///     Utc.with_ymd_and_hms(2026, 6, 11, 8, 30, 0).unwrap()
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline_in_service_hours(
        &self,
        start: DateTime<Utc>,
        within: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        if within < TimeDelta::zero() {
            return Err(CalendarError::NegativeDuration);
        }
        if within.is_zero() {
            return self.next_opening(start);
        }
        let mut remaining = within;
        let mut day = local_date(start);
        for _ in 0..=SEARCH_HORIZON_DAYS {
            if let Some((open, close)) = self.opening_on(day) {
                let from = open.max(start);
                if from < close {
                    let available = close - from;
                    if remaining <= available {
                        return Ok(from + remaining);
                    }
                    remaining -= available;
                }
            }
            day = day.succ_opt().ok_or(CalendarError::NoServiceTime)?;
        }
        Err(CalendarError::NoServiceTime)
    }

    /// The deadline "within `days` working days" of `start`: the closing instant of the
    /// `days`-th working day after the local date of `start`.
    ///
    /// The day of `start` does not count, whatever the time. With `days == 0` the deadline
    /// is the closing of the day of `start` if that is a working day and `start` is before
    /// its closing, otherwise the closing of the next working day. Counting is closed-form
    /// (whole weeks plus a binary search of the bank-holiday table), so large `days` are
    /// cheap.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoServiceTime`] if the result would lie beyond the last date that can
    /// be represented.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    /// // Thursday 2 April 2026; Good Friday and Easter Monday are closed, so the two working
    /// // days are Tuesday 7 and Wednesday 8 April: due 18:00 BST (17:00 UTC) on the 8th.
    /// let start = Utc.with_ymd_and_hms(2026, 4, 2, 9, 0, 0).unwrap();
    /// assert_eq!(
    ///     office.add_working_days(start, 2)?,
    ///     Utc.with_ymd_and_hms(2026, 4, 8, 17, 0, 0).unwrap()
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_working_days(
        &self,
        start: DateTime<Utc>,
        days: u32,
    ) -> Result<DateTime<Utc>, CalendarError> {
        let first = local_date(start);
        let due_day = if days == 0 {
            match self.opening_on(first) {
                Some((_, close)) if start < close => return Ok(close),
                _ => self.nth_working_day_after(first, 1)?,
            }
        } else {
            self.nth_working_day_after(first, u64::from(days))?
        };
        self.opening_on(due_day)
            .map(|(_, close)| close)
            .ok_or(CalendarError::NoServiceTime)
    }

    /// The number of working days in `(from, to]`: `from` excluded, `to` included; negative
    /// (minus the count in `(to, from]`) if `to` is before `from`.
    ///
    /// Closed-form: whole weeks, the remaining days, then the bank holidays in range.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::calendar::{Region, ServiceHours};
    /// use chrono::NaiveDate;
    ///
    /// let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    /// let thu = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
    /// let wed = NaiveDate::from_ymd_opt(2026, 4, 8).unwrap();
    /// assert_eq!(office.working_days_between(thu, wed), 2); // Tue 7 and Wed 8
    /// assert_eq!(office.working_days_between(wed, thu), -2);
    /// ```
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to >= from {
            self.count_working_days(from, to)
        } else {
            -self.count_working_days(to, from)
        }
    }

    /// Working days in `(after, upto]`, for `after <= upto`.
    fn count_working_days(&self, after: NaiveDate, upto: NaiveDate) -> i64 {
        let span = upto.signed_duration_since(after).num_days();
        let mut count = span / 7 * i64::from(self.days.len());
        let mut weekday = after.weekday();
        for _ in 0..span % 7 {
            weekday = weekday.succ();
            if self.days.contains(weekday) {
                count += 1;
            }
        }
        if let BankHolidayPolicy::Closed(region) = self.bank_holidays {
            let closed = holidays::dates_after_upto(region, after, upto)
                .iter()
                .filter(|d| self.days.contains(d.weekday()))
                .count();
            // At most a few thousand holidays: the cast cannot truncate.
            count -= closed as i64;
        }
        count
    }

    /// The `n`-th working day after `after` (`n >= 1`).
    ///
    /// Jumps by service weekdays, ignoring holidays, then counts the holidays jumped over and
    /// jumps again by that many; holidays are sparse, so this takes a few rounds.
    fn nth_working_day_after(&self, after: NaiveDate, n: u64) -> Result<NaiveDate, CalendarError> {
        let mut day = after;
        let mut remaining = n;
        loop {
            let next = self.nth_service_weekday_after(day, remaining)?;
            let got = self.count_working_days(day, next).unsigned_abs();
            day = next;
            if got >= remaining {
                return Ok(day);
            }
            remaining -= got;
        }
    }

    /// The `n`-th day after `after` whose weekday is a service day (`n >= 1`), bank holidays
    /// ignored.
    fn nth_service_weekday_after(
        &self,
        after: NaiveDate,
        n: u64,
    ) -> Result<NaiveDate, CalendarError> {
        let per_week = u64::from(self.days.len().max(1));
        let weeks = (n - 1) / per_week;
        let mut left = n - weeks * per_week;
        let mut day = weeks
            .checked_mul(7)
            .and_then(|d| after.checked_add_days(Days::new(d)))
            .ok_or(CalendarError::NoServiceTime)?;
        loop {
            day = day.succ_opt().ok_or(CalendarError::NoServiceTime)?;
            if self.days.contains(day.weekday()) {
                left -= 1;
                if left == 0 {
                    return Ok(day);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    const ALL_DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    #[test]
    fn constructor_validates() {
        let w = BankHolidayPolicy::Worked;
        assert_eq!(
            ServiceHours::new(t(8, 0), t(8, 0), &[Weekday::Mon], w),
            Err(CalendarError::InvalidServiceHours {
                reason: "opening time must be before closing time on the same day"
            })
        );
        assert!(matches!(
            ServiceHours::new(t(18, 0), t(8, 0), &[Weekday::Mon], w),
            Err(CalendarError::InvalidServiceHours { .. })
        ));
        assert_eq!(
            ServiceHours::new(t(8, 0), t(18, 0), &[], w),
            Err(CalendarError::InvalidServiceHours {
                reason: "no days of the week selected"
            })
        );
        let h = ServiceHours::new(t(8, 0), t(18, 0), &ALL_DAYS, w).unwrap();
        assert_eq!(h, ServiceHours::community_seven_day());
        let h = ServiceHours::new(
            t(8, 0),
            t(18, 0),
            &[
                Weekday::Fri,
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Mon,
            ],
            BankHolidayPolicy::Closed(Region::Scotland),
        )
        .unwrap();
        assert_eq!(h, ServiceHours::weekday_office(Region::Scotland));
        assert_eq!(h.open(), t(8, 0));
        assert_eq!(h.close(), t(18, 0));
        assert_eq!(h.days().len(), 5);
    }

    #[test]
    fn opening_instants_across_dst() {
        let team = ServiceHours::community_seven_day();
        // 08:00 local on 2026-03-28 is 08:00Z (GMT); on 2026-03-29 07:00Z (BST).
        assert_eq!(
            team.opening_on(d(2026, 3, 28)),
            Some((utc(2026, 3, 28, 8, 0), utc(2026, 3, 28, 18, 0)))
        );
        assert_eq!(
            team.opening_on(d(2026, 3, 29)),
            Some((utc(2026, 3, 29, 7, 0), utc(2026, 3, 29, 17, 0)))
        );
        // 2026-10-24 still BST (07:00Z); 2026-10-25 GMT again (08:00Z).
        assert_eq!(
            team.opening_on(d(2026, 10, 24)),
            Some((utc(2026, 10, 24, 7, 0), utc(2026, 10, 24, 17, 0)))
        );
        assert_eq!(
            team.opening_on(d(2026, 10, 25)),
            Some((utc(2026, 10, 25, 8, 0), utc(2026, 10, 25, 18, 0)))
        );
    }

    #[test]
    fn configured_times_in_gap_and_fold() {
        let w = BankHolidayPolicy::Worked;
        // Opening 01:30 is in the 2026-03-29 gap: first instant after it is 02:00 BST = 01:00Z.
        // Closing 05:00 BST = 04:00Z.
        let h = ServiceHours::new(t(1, 30), t(5, 0), &ALL_DAYS, w).unwrap();
        assert_eq!(
            h.opening_on(d(2026, 3, 29)),
            Some((utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 4, 0)))
        );
        // Both in the gap: an empty interval at 01:00Z; no service time that day.
        let h = ServiceHours::new(t(1, 10), t(1, 50), &ALL_DAYS, w).unwrap();
        let (o, c) = h.opening_on(d(2026, 3, 29)).unwrap();
        assert_eq!((o, c), (utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 0)));
        assert!(!h.is_open(o));
        // Next opening after the empty day is 01:10 BST on 30 March = 00:10Z.
        assert_eq!(
            h.next_opening(utc(2026, 3, 28, 23, 0)),
            Ok(utc(2026, 3, 30, 0, 10))
        );
        // Fold: opening 01:30 takes the earlier instant (00:30Z), closing 01:45 the later
        // (01:45Z), giving 75 minutes on 2026-10-25.
        let h = ServiceHours::new(t(1, 30), t(1, 45), &ALL_DAYS, w).unwrap();
        assert_eq!(
            h.opening_on(d(2026, 10, 25)),
            Some((utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 45)))
        );
        assert_eq!(
            h.service_time_between(utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0)),
            TimeDelta::minutes(75)
        );
    }

    #[test]
    fn working_days_and_bank_holidays() {
        let e = ServiceHours::weekday_office(Region::EnglandAndWales);
        let s = ServiceHours::weekday_office(Region::Scotland);
        let c = ServiceHours::community_seven_day();
        // Fri 2 Jan 2026: Scottish holiday only.
        assert!(e.is_working_day(d(2026, 1, 2)));
        assert!(!s.is_working_day(d(2026, 1, 2)));
        // Sat 3 Jan: nobody in the office, the community team works.
        assert!(!e.is_working_day(d(2026, 1, 3)));
        assert!(c.is_working_day(d(2026, 1, 3)));
        // Christmas Day 2026 (Friday): closed; community team works.
        assert!(!e.is_working_day(d(2026, 12, 25)));
        assert!(c.is_working_day(d(2026, 12, 25)));
        assert_eq!(e.opening_on(d(2026, 12, 25)), None);
        // St Andrew's Day, Mon 30 Nov 2026.
        assert!(!s.is_working_day(d(2026, 11, 30)));
        assert!(e.is_working_day(d(2026, 11, 30)));
    }

    #[test]
    fn is_open_boundaries() {
        let team = ServiceHours::community_seven_day();
        // 2026-01-14 (GMT): open [08:00Z, 18:00Z).
        assert!(!team.is_open(utc(2026, 1, 14, 7, 59)));
        assert!(team.is_open(utc(2026, 1, 14, 8, 0)));
        assert!(team.is_open(utc(2026, 1, 14, 17, 59)));
        assert!(!team.is_open(utc(2026, 1, 14, 18, 0)));
        // 2026-07-14 (BST): open [07:00Z, 17:00Z).
        assert!(team.is_open(utc(2026, 7, 14, 7, 0)));
        assert!(!team.is_open(utc(2026, 7, 14, 17, 0)));
        let office = ServiceHours::weekday_office(Region::EnglandAndWales);
        assert!(!office.is_open(utc(2026, 12, 25, 12, 0)));
    }

    #[test]
    fn next_opening_cases() {
        let office = ServiceHours::weekday_office(Region::EnglandAndWales);
        // Open now: itself.
        let now = utc(2026, 11, 23, 10, 0);
        assert_eq!(office.next_opening(now), Ok(now));
        // After closing Friday 27 Nov 2026 (18:30 GMT): Monday 30 Nov 08:00Z.
        assert_eq!(
            office.next_opening(utc(2026, 11, 27, 18, 30)),
            Ok(utc(2026, 11, 30, 8, 0))
        );
        // Christmas Eve 2026 after closing: 25 (Fri) and 28 (Boxing substitute) closed,
        // weekend between: Tuesday 29 Dec 08:00Z.
        assert_eq!(
            office.next_opening(utc(2026, 12, 24, 18, 0)),
            Ok(utc(2026, 12, 29, 8, 0))
        );
        // Before opening: same day.
        assert_eq!(
            office.next_opening(utc(2026, 11, 23, 6, 0)),
            Ok(utc(2026, 11, 23, 8, 0))
        );
    }

    #[test]
    fn deadlines_across_dst() {
        let team = ServiceHours::community_seven_day();
        let two = TimeDelta::hours(2);
        // Spring: 17:00 GMT on 28 Mar (17:00Z): 1 hour to 18:00Z, then 29 Mar opens 08:00 BST
        // (07:00Z): due 09:00 BST = 08:00Z.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 3, 28, 17, 0), two),
            Ok(utc(2026, 3, 29, 8, 0))
        );
        // Autumn: 17:00 BST on 24 Oct (16:00Z): 1 hour to 17:00Z, then 25 Oct opens 08:00 GMT
        // (08:00Z): due 09:00 GMT = 09:00Z.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 10, 24, 16, 0), two),
            Ok(utc(2026, 10, 25, 9, 0))
        );
        // A UCR service open 08:00-20:00 around the spring change from 19:00 GMT on 28 Mar:
        // 1 hour to 20:00Z, then 29 Mar from 07:00Z: due 08:00Z.
        assert_eq!(
            ServiceHours::ucr_national().deadline_in_service_hours(utc(2026, 3, 28, 19, 0), two),
            Ok(utc(2026, 3, 29, 8, 0))
        );
    }

    #[test]
    fn deadline_examples() {
        let team = ServiceHours::community_seven_day();
        let two = TimeDelta::hours(2);
        // 17:30 BST (16:30Z) with 2 hours: due 09:30 BST (08:30Z) next day.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 6, 10, 16, 30), two),
            Ok(utc(2026, 6, 11, 8, 30))
        );
        // 06:00 GMT: clock starts 08:00, due 10:00Z.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 1, 14, 6, 0), two),
            Ok(utc(2026, 1, 14, 10, 0))
        );
        // Runs out exactly at closing: due at closing, not next morning.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 1, 14, 16, 0), two),
            Ok(utc(2026, 1, 14, 18, 0))
        );
        // Zero: next opening.
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 1, 14, 6, 0), TimeDelta::zero()),
            Ok(utc(2026, 1, 14, 8, 0))
        );
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 1, 14, 9, 0), TimeDelta::zero()),
            Ok(utc(2026, 1, 14, 9, 0))
        );
        assert_eq!(
            team.deadline_in_service_hours(utc(2026, 1, 14, 9, 0), TimeDelta::seconds(-1)),
            Err(CalendarError::NegativeDuration)
        );
        // Weekday office: Fri 22 May 2026 17:00 BST (16:00Z) with 2 hours: 1 hour Friday,
        // Mon 25 May is the Spring bank holiday, so Tue 26 May 09:00 BST = 08:00Z.
        let office = ServiceHours::weekday_office(Region::EnglandAndWales);
        assert_eq!(
            office.deadline_in_service_hours(utc(2026, 5, 22, 16, 0), two),
            Ok(utc(2026, 5, 26, 8, 0))
        );
        // Two days of service time (20 hours) from Thursday 2 April 2026 08:00 BST: 10 hours
        // Thursday, then Tuesday 7 April fully: due 18:00 BST (17:00Z) on the 7th.
        assert_eq!(
            office.deadline_in_service_hours(utc(2026, 4, 2, 7, 0), TimeDelta::hours(20)),
            Ok(utc(2026, 4, 7, 17, 0))
        );
        // Ten years of service time is beyond the horizon.
        assert_eq!(
            office.deadline_in_service_hours(utc(2026, 4, 2, 7, 0), TimeDelta::days(3000)),
            Err(CalendarError::NoServiceTime)
        );
    }

    #[test]
    fn service_time_between_cases() {
        let team = ServiceHours::community_seven_day();
        // Whole days 28 and 29 March 2026: 10 hours each, though 29 March is 23 hours long.
        assert_eq!(
            team.service_time_between(utc(2026, 3, 28, 0, 0), utc(2026, 3, 30, 0, 0)),
            TimeDelta::hours(20)
        );
        // A week of the office around Easter 2026 (Mon 30 Mar to Sun 5 Apr): 4 days x 10h.
        let office = ServiceHours::weekday_office(Region::EnglandAndWales);
        assert_eq!(
            office.service_time_between(utc(2026, 3, 29, 23, 0), utc(2026, 4, 5, 23, 0)),
            TimeDelta::hours(40)
        );
        assert_eq!(
            team.service_time_between(utc(2026, 3, 30, 0, 0), utc(2026, 3, 28, 0, 0)),
            TimeDelta::zero()
        );
        let x = utc(2026, 6, 1, 12, 0);
        assert_eq!(team.service_time_between(x, x), TimeDelta::zero());
    }

    #[test]
    fn add_working_days_over_easter() {
        // Thursday 2 April 2026 in England: Good Friday 3 Apr and Easter Monday 6 Apr closed;
        // working days Tue 7 and Wed 8 -> due 2026-04-08 18:00 BST = 17:00Z.
        let e = ServiceHours::weekday_office(Region::EnglandAndWales);
        let start = utc(2026, 4, 2, 9, 0);
        assert_eq!(e.add_working_days(start, 1), Ok(utc(2026, 4, 7, 17, 0)));
        assert_eq!(e.add_working_days(start, 2), Ok(utc(2026, 4, 8, 17, 0)));
        // Scotland works Easter Monday: Mon 6, Tue 7.
        let s = ServiceHours::weekday_office(Region::Scotland);
        assert_eq!(s.add_working_days(start, 2), Ok(utc(2026, 4, 7, 17, 0)));
        // Community team: Fri 3, Sat 4.
        let c = ServiceHours::community_seven_day();
        assert_eq!(c.add_working_days(start, 2), Ok(utc(2026, 4, 4, 17, 0)));
        assert_eq!(e.working_days_between(d(2026, 4, 2), d(2026, 4, 8)), 2);
        assert_eq!(s.working_days_between(d(2026, 4, 2), d(2026, 4, 8)), 3);
        assert_eq!(c.working_days_between(d(2026, 4, 2), d(2026, 4, 8)), 6);
        assert_eq!(e.working_days_between(d(2026, 4, 8), d(2026, 4, 2)), -2);
        assert_eq!(e.working_days_between(d(2026, 4, 8), d(2026, 4, 8)), 0);
        // 2026 in England: 261 weekdays (Thu 1 Jan to Thu 31 Dec) less 8 bank holidays.
        assert_eq!(
            e.working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
            253
        );
    }

    #[test]
    fn add_zero_working_days() {
        let e = ServiceHours::weekday_office(Region::EnglandAndWales);
        // Monday 23 Nov 2026 10:00 GMT: today's closing, 18:00Z.
        assert_eq!(
            e.add_working_days(utc(2026, 11, 23, 10, 0), 0),
            Ok(utc(2026, 11, 23, 18, 0))
        );
        // Before opening counts too.
        assert_eq!(
            e.add_working_days(utc(2026, 11, 23, 6, 0), 0),
            Ok(utc(2026, 11, 23, 18, 0))
        );
        // At closing: the next working day's closing.
        assert_eq!(
            e.add_working_days(utc(2026, 11, 23, 18, 0), 0),
            Ok(utc(2026, 11, 24, 18, 0))
        );
        // Saturday: Monday's closing.
        assert_eq!(
            e.add_working_days(utc(2026, 11, 28, 10, 0), 0),
            Ok(utc(2026, 11, 30, 18, 0))
        );
        // The day of start never counts for N >= 1, even before opening.
        assert_eq!(
            e.add_working_days(utc(2026, 11, 23, 6, 0), 1),
            Ok(utc(2026, 11, 24, 18, 0))
        );
        // Huge counts run off the end of the calendar.
        let one_day = ServiceHours::new(
            t(8, 0),
            t(18, 0),
            &[Weekday::Wed],
            BankHolidayPolicy::Worked,
        )
        .unwrap();
        assert_eq!(
            one_day.add_working_days(utc(2026, 11, 23, 6, 0), u32::MAX),
            Err(CalendarError::NoServiceTime)
        );
    }

    /// Day-by-day reference for `add_working_days` with `days >= 1`.
    fn naive_nth_working_day(h: &ServiceHours, after: NaiveDate, n: u32) -> NaiveDate {
        let mut day = after;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap();
            if h.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    fn hours_strategy() -> impl Strategy<Value = ServiceHours> {
        (
            0u32..23 * 60,
            60u32..24 * 60,
            1u8..128,
            prop_oneof![
                Just(BankHolidayPolicy::Worked),
                Just(BankHolidayPolicy::Closed(Region::EnglandAndWales)),
                Just(BankHolidayPolicy::Closed(Region::Scotland)),
                Just(BankHolidayPolicy::Closed(Region::NorthernIreland)),
            ],
        )
            .prop_map(|(open_min, len_min, mask, policy)| {
                let close_min = (open_min + len_min).min(24 * 60 - 1);
                let days: Vec<Weekday> = ALL_DAYS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, w)| *w)
                    .collect();
                ServiceHours::new(
                    t(open_min / 60, open_min % 60),
                    t(close_min / 60, close_min % 60),
                    &days,
                    policy,
                )
                .unwrap()
            })
    }

    // 2018-01-01 to 2033-01-01, whole seconds.
    const FROM_2018: i64 = 1_514_764_800;
    const TO_2033: i64 = 1_988_150_400;

    fn instant(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(secs, 0).unwrap()
    }

    proptest! {
        #[test]
        fn deadline_then_service_time_is_the_duration(
            h in hours_strategy(),
            start in FROM_2018..TO_2033,
            within in 0i64..3 * 86_400,
        ) {
            let start = instant(start);
            let within = TimeDelta::seconds(within);
            let due = h.deadline_in_service_hours(start, within).unwrap();
            prop_assert!(due >= start);
            prop_assert_eq!(h.service_time_between(start, due), within);
            if !within.is_zero() {
                // The clock runs out inside service hours, or exactly at a closing.
                prop_assert!(h.is_open(due - TimeDelta::seconds(1)));
            }
        }

        #[test]
        fn deadline_is_monotone(
            h in hours_strategy(),
            start in FROM_2018..TO_2033,
            a in 0i64..3 * 86_400,
            b in 0i64..3 * 86_400,
        ) {
            let start = instant(start);
            let (lo, hi) = (a.min(b), a.max(b));
            let d_lo = h.deadline_in_service_hours(start, TimeDelta::seconds(lo)).unwrap();
            let d_hi = h.deadline_in_service_hours(start, TimeDelta::seconds(hi)).unwrap();
            prop_assert!(d_lo <= d_hi);
        }

        #[test]
        fn next_opening_is_open(h in hours_strategy(), start in FROM_2018..TO_2033) {
            let start = instant(start);
            let next = h.next_opening(start).unwrap();
            prop_assert!(next >= start);
            prop_assert!(h.is_open(next));
            prop_assert_eq!(h.service_time_between(start, next), TimeDelta::zero());
        }

        #[test]
        fn working_days_match_day_by_day(
            h in hours_strategy(),
            start in FROM_2018..TO_2033,
            n in 0u32..400,
        ) {
            let start = instant(start);
            let first = local_date(start);
            let due = h.add_working_days(start, n).unwrap();
            let due_day = local_date(due);
            prop_assert!(h.is_working_day(due_day));
            prop_assert_eq!(Some(due), h.opening_on(due_day).map(|(_, c)| c));
            if n > 0 {
                prop_assert_eq!(due_day, naive_nth_working_day(&h, first, n));
                prop_assert_eq!(h.working_days_between(first, due_day), i64::from(n));
                prop_assert_eq!(h.working_days_between(due_day, first), -i64::from(n));
            } else {
                prop_assert!(due > start);
                prop_assert!(h.working_days_between(first, due_day) <= 1);
            }
        }
    }
}
