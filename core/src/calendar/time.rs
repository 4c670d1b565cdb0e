//! Local time in `Europe/London`: conversions that never guess, and elapsed-time deadlines.
//!
//! Instants are stored in UTC; calendar days are `Europe/London` days (DOMAIN 2.4). BST
//! (UTC+1) starts on the last Sunday of March at 01:00 UTC and ends on the last Sunday of
//! October at 01:00 UTC, so local 01:00-01:59 does not exist on the March day and happens
//! twice on the October day.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::CalendarError;

/// The time zone of every calendar computation in this crate: `Europe/London`.
///
/// # Example
///
/// ```
/// use carecoord::calendar::LONDON;
/// use chrono::{TimeZone, Utc};
///
/// let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap().with_timezone(&LONDON);
/// assert_eq!(summer.format("%H:%M %Z").to_string(), "13:00 BST");
/// ```
pub const LONDON: Tz = chrono_tz::Europe::London;

/// How [`local_to_utc`] resolves a local time that occurs twice (the autumn fall-back hour).
///
/// A local time in the spring-forward gap never exists and is always rejected, whatever this
/// says. The default is [`Disambiguation::Reject`]: DOMAIN 2.4 says never guess.
///
/// # Example
///
/// ```
/// use carecoord::calendar::Disambiguation;
///
/// assert_eq!(Disambiguation::default(), Disambiguation::Reject);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Disambiguation {
    /// Return [`CalendarError::AmbiguousLocalTime`].
    #[default]
    Reject,
    /// Take the earlier instant (still on British Summer Time, UTC+1).
    Earlier,
    /// Take the later instant (back on Greenwich Mean Time, UTC+0).
    Later,
}

/// Converts a `Europe/London` wall-clock time to the UTC instant it denotes.
///
/// # Errors
///
/// * [`CalendarError::NonexistentLocalTime`] if `local` falls in the spring-forward gap
///   (for example 2026-03-29 01:30), whatever `how` says, or cannot be represented.
/// * [`CalendarError::AmbiguousLocalTime`] if `local` occurs twice (for example
///   2026-10-25 01:30) and `how` is [`Disambiguation::Reject`].
///
/// # Example
///
/// ```
/// use carecoord::calendar::{local_to_utc, CalendarError, Disambiguation};
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let fold = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap().and_hms_opt(1, 30, 0).unwrap();
/// assert_eq!(
///     local_to_utc(fold, Disambiguation::Reject),
///     Err(CalendarError::AmbiguousLocalTime)
/// );
/// // 01:30 BST is 00:30 UTC; 01:30 GMT is 01:30 UTC.
/// assert_eq!(
///     local_to_utc(fold, Disambiguation::Earlier)?,
///     Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
/// );
/// assert_eq!(
///     local_to_utc(fold, Disambiguation::Later)?,
///     Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn local_to_utc(
    local: NaiveDateTime,
    how: Disambiguation,
) -> Result<DateTime<Utc>, CalendarError> {
    match LONDON.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (earlier, later) = if a <= b { (a, b) } else { (b, a) };
            match how {
                Disambiguation::Reject => Err(CalendarError::AmbiguousLocalTime),
                Disambiguation::Earlier => Ok(earlier.with_timezone(&Utc)),
                Disambiguation::Later => Ok(later.with_timezone(&Utc)),
            }
        }
        LocalResult::None => Err(CalendarError::NonexistentLocalTime),
    }
}

/// The `Europe/London` calendar date on which `instant` falls.
///
/// # Example
///
/// ```
/// use carecoord::calendar::local_date;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// // 23:30 UTC on 30 June is 00:30 BST on 1 July.
/// let instant = Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap();
/// assert_eq!(local_date(instant), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
/// ```
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&LONDON).date_naive()
}

/// The instant `instant` as a `Europe/London` date and time (for display).
///
/// # Example
///
/// ```
/// use carecoord::calendar::to_local;
/// use chrono::{TimeZone, Utc};
///
/// let instant = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
/// assert_eq!(to_local(instant).to_rfc3339(), "2026-03-29T02:00:00+01:00");
/// ```
pub fn to_local(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&LONDON)
}

/// The wall-clock deadline `within` after `start`: elapsed time, not service time.
///
/// Durations are measured between UTC instants (DOMAIN 2.4), so a 2-hour clock across a
/// daylight saving change is still 120 minutes, even though local clocks show 1 or 3 hours.
/// The result saturates at the limits of [`DateTime<Utc>`] instead of overflowing. For a
/// clock that pauses outside service hours use
/// [`ServiceHours::deadline_in_service_hours`](super::ServiceHours::deadline_in_service_hours).
///
/// # Example
///
/// ```
/// use carecoord::calendar::{elapsed_deadline, to_local};
/// use chrono::{TimeDelta, TimeZone, Utc};
///
/// // 00:30 GMT on the morning BST starts, plus 2 hours, is 03:30 BST.
/// let start = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
/// let due = elapsed_deadline(start, TimeDelta::hours(2));
/// assert_eq!((due - start).num_minutes(), 120);
/// assert_eq!(to_local(due).format("%H:%M").to_string(), "03:30");
/// ```
pub fn elapsed_deadline(start: DateTime<Utc>, within: TimeDelta) -> DateTime<Utc> {
    start
        .checked_add_signed(within)
        .unwrap_or(if within < TimeDelta::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}

/// Converts a local time leniently for service calendars: a time in the spring-forward gap
/// becomes the first instant after the gap; a time that occurs twice becomes the later
/// instant if `later`, else the earlier one. `None` only if it cannot be represented.
pub(crate) fn resolve_lenient(local: NaiveDateTime, later: bool) -> Option<DateTime<Utc>> {
    match LONDON.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            Some(if later { hi } else { lo }.with_timezone(&Utc))
        }
        LocalResult::None => first_instant_after_gap(local),
    }
}

/// For a local time in a gap: the transition instant, i.e. the earliest instant whose local
/// time is later than `local` (the local clock jumps over `local` at that instant).
///
/// Found by bisection over whole seconds (tz transitions are on whole seconds) within three
/// hours either side of `local` read as UTC, which brackets every `Europe/London` offset
/// (-00:01:15 to +02:00).
fn first_instant_after_gap(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const BRACKET: i64 = 3 * 3600;
    let guess = local.and_utc().timestamp();
    let is_after = |secs: i64| -> Option<bool> {
        let t = DateTime::<Utc>::from_timestamp(secs, 0)?;
        Some(t.with_timezone(&LONDON).naive_local() > local)
    };
    let mut lo = guess.checked_sub(BRACKET)?;
    let mut hi = guess.checked_add(BRACKET + 1)?;
    if is_after(lo)? || !is_after(hi)? {
        return None;
    }
    // Invariant: is_after(lo) is false and is_after(hi) is true.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if is_after(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::<Utc>::from_timestamp(hi, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ldt(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    // BST 2026 starts 2026-03-29 01:00 UTC (01:00 GMT -> 02:00 BST) and ends
    // 2026-10-25 01:00 UTC (02:00 BST -> 01:00 GMT): IANA tz rule EU, checked by hand.

    #[test]
    fn spring_gap_is_always_rejected() {
        for how in [
            Disambiguation::Reject,
            Disambiguation::Earlier,
            Disambiguation::Later,
        ] {
            assert_eq!(
                local_to_utc(ldt(2026, 3, 29, 1, 30), how),
                Err(CalendarError::NonexistentLocalTime)
            );
            assert_eq!(
                local_to_utc(ldt(2026, 3, 29, 1, 0), how),
                Err(CalendarError::NonexistentLocalTime)
            );
        }
    }

    #[test]
    fn either_side_of_the_spring_gap() {
        // 00:59 GMT is 00:59Z; 02:00 BST is 01:00Z.
        assert_eq!(
            local_to_utc(ldt(2026, 3, 29, 0, 59), Disambiguation::Reject),
            Ok(utc(2026, 3, 29, 0, 59))
        );
        assert_eq!(
            local_to_utc(ldt(2026, 3, 29, 2, 0), Disambiguation::Reject),
            Ok(utc(2026, 3, 29, 1, 0))
        );
        // 08:00 local: GMT the day before (08:00Z), BST on the day (07:00Z).
        assert_eq!(
            local_to_utc(ldt(2026, 3, 28, 8, 0), Disambiguation::Reject),
            Ok(utc(2026, 3, 28, 8, 0))
        );
        assert_eq!(
            local_to_utc(ldt(2026, 3, 29, 8, 0), Disambiguation::Reject),
            Ok(utc(2026, 3, 29, 7, 0))
        );
    }

    #[test]
    fn autumn_fold() {
        let fold = ldt(2026, 10, 25, 1, 30);
        assert_eq!(
            local_to_utc(fold, Disambiguation::Reject),
            Err(CalendarError::AmbiguousLocalTime)
        );
        assert_eq!(
            local_to_utc(fold, Disambiguation::default()),
            Err(CalendarError::AmbiguousLocalTime)
        );
        // 01:30 BST = 00:30Z; 01:30 GMT = 01:30Z.
        assert_eq!(
            local_to_utc(fold, Disambiguation::Earlier),
            Ok(utc(2026, 10, 25, 0, 30))
        );
        assert_eq!(
            local_to_utc(fold, Disambiguation::Later),
            Ok(utc(2026, 10, 25, 1, 30))
        );
        // 08:00 local on 25 Oct is GMT again: 08:00Z; on 24 Oct BST: 07:00Z.
        assert_eq!(
            local_to_utc(ldt(2026, 10, 25, 8, 0), Disambiguation::Reject),
            Ok(utc(2026, 10, 25, 8, 0))
        );
        assert_eq!(
            local_to_utc(ldt(2026, 10, 24, 8, 0), Disambiguation::Reject),
            Ok(utc(2026, 10, 24, 7, 0))
        );
    }

    #[test]
    fn local_dates_around_midnight() {
        // 23:30Z in summer is 00:30 BST the next day; in winter it is the same day.
        assert_eq!(
            local_date(utc(2026, 6, 30, 23, 30)),
            NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
        );
        assert_eq!(
            local_date(utc(2026, 12, 31, 23, 30)),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert_eq!(
            to_local(utc(2026, 10, 25, 0, 30)).to_rfc3339(),
            "2026-10-25T01:30:00+01:00"
        );
        assert_eq!(
            to_local(utc(2026, 10, 25, 1, 30)).to_rfc3339(),
            "2026-10-25T01:30:00+00:00"
        );
    }

    #[test]
    fn elapsed_deadline_is_wall_clock() {
        // Across spring forward: 00:30Z + 2h = 02:30Z (03:30 BST): 120 minutes.
        let start = utc(2026, 3, 29, 0, 30);
        assert_eq!(
            elapsed_deadline(start, TimeDelta::hours(2)),
            utc(2026, 3, 29, 2, 30)
        );
        // Across fall back: 00:30Z (01:30 BST) + 2h = 02:30Z (02:30 GMT).
        let start = utc(2026, 10, 25, 0, 30);
        let due = elapsed_deadline(start, TimeDelta::hours(2));
        assert_eq!(due, utc(2026, 10, 25, 2, 30));
        assert_eq!(to_local(due).format("%H:%M").to_string(), "02:30");
        // Saturates instead of overflowing.
        assert_eq!(
            elapsed_deadline(DateTime::<Utc>::MAX_UTC, TimeDelta::days(1)),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            elapsed_deadline(DateTime::<Utc>::MIN_UTC, TimeDelta::days(-1)),
            DateTime::<Utc>::MIN_UTC
        );
    }

    #[test]
    fn lenient_resolution() {
        // Gap times become the first instant after the gap: 02:00 BST = 01:00Z.
        assert_eq!(
            resolve_lenient(ldt(2026, 3, 29, 1, 30), false),
            Some(utc(2026, 3, 29, 1, 0))
        );
        assert_eq!(
            resolve_lenient(ldt(2026, 3, 29, 1, 0), true),
            Some(utc(2026, 3, 29, 1, 0))
        );
        // Fold: earlier 00:30Z, later 01:30Z.
        assert_eq!(
            resolve_lenient(ldt(2026, 10, 25, 1, 30), false),
            Some(utc(2026, 10, 25, 0, 30))
        );
        assert_eq!(
            resolve_lenient(ldt(2026, 10, 25, 1, 30), true),
            Some(utc(2026, 10, 25, 1, 30))
        );
        assert_eq!(
            resolve_lenient(ldt(2026, 7, 1, 9, 0), true),
            Some(utc(2026, 7, 1, 8, 0))
        );
        // 1972: BST began 19 March at 02:00 GMT (gap 02:00-02:59 local), per the tz database.
        assert_eq!(
            resolve_lenient(ldt(1972, 3, 19, 2, 30), false),
            Some(utc(1972, 3, 19, 2, 0))
        );
    }

    proptest! {
        #[test]
        fn earlier_round_trips_for_non_gap_times(secs in -2_208_988_800i64..7_258_118_400i64) {
            // Any naive time from 1900 to 2199.
            let local = DateTime::<Utc>::from_timestamp(secs, 0).unwrap().naive_utc();
            match local_to_utc(local, Disambiguation::Earlier) {
                Ok(instant) => {
                    prop_assert_eq!(to_local(instant).naive_local(), local);
                    prop_assert_eq!(local_date(instant), local.date());
                    let later = local_to_utc(local, Disambiguation::Later).unwrap();
                    prop_assert!(later >= instant);
                    prop_assert_eq!(to_local(later).naive_local(), local);
                }
                Err(e) => {
                    prop_assert_eq!(e, CalendarError::NonexistentLocalTime);
                    // A gap time: the lenient resolution lands after it, within 2 hours.
                    let after = resolve_lenient(local, false).unwrap();
                    let shown = to_local(after).naive_local();
                    prop_assert!(shown > local);
                    prop_assert!(shown - local <= TimeDelta::hours(2));
                }
            }
        }

        #[test]
        fn instants_round_trip_through_local(secs in -2_208_988_800i64..7_258_118_400i64) {
            let instant = DateTime::<Utc>::from_timestamp(secs, 0).unwrap();
            let local = to_local(instant).naive_local();
            let earlier = local_to_utc(local, Disambiguation::Earlier).unwrap();
            let later = local_to_utc(local, Disambiguation::Later).unwrap();
            prop_assert!(earlier == instant || later == instant);
        }
    }
}
