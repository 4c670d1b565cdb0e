//! Local wall time in `Europe/London` under the fixed UK rule of format §1.1, UTC minutes,
//! the start-time grid of a horizon, and minute bitsets for busy time.
//!
//! The format defines the clock rule itself (BST from 01:00 UTC on the last Sunday of March
//! to 01:00 UTC on the last Sunday of October) and how to read local times that do not exist
//! (with the offset before the gap) or occur twice (the first, BST, reading). Those readings
//! differ from [`calendar::local_to_utc`](crate::calendar::local_to_utc), which refuses to
//! guess, so this file implements the format's rule directly; a test checks that both agree
//! on every unambiguous quarter-hour of 2026.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use rustc_hash::FxHashSet;

/// Minutes since 2000-01-01T00:00 UTC: the real-time axis every comparison uses.
pub(crate) type UtcMin = i64;

const MIN_PER_DAY: i64 = 1440;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")
}

/// Minutes from the epoch of a naive date-time read as UTC.
fn naive_min(t: NaiveDateTime) -> UtcMin {
    let days = i64::from(t.date().num_days_from_ce() - epoch().num_days_from_ce());
    days * MIN_PER_DAY + i64::from(t.hour() * 60 + t.minute())
}

fn naive_from_min(m: UtcMin) -> NaiveDateTime {
    let days = m.div_euclid(MIN_PER_DAY);
    let mins = m.rem_euclid(MIN_PER_DAY) as u32;
    let ce = i64::from(epoch().num_days_from_ce()) + days;
    let date = i32::try_from(ce)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MAX);
    date.and_time(NaiveTime::from_hms_opt(mins / 60, mins % 60, 0).expect("valid time"))
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid date");
    let last = first_next.pred_opt().expect("valid date");
    let back = last.weekday().num_days_from_sunday();
    last - chrono::Days::new(u64::from(back))
}

/// UTC minutes `[start, end)` during which BST applies in `year`.
fn bst_bounds(year: i32) -> (UtcMin, UtcMin) {
    let s = naive_min(last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("valid"));
    let e = naive_min(last_sunday(year, 10).and_hms_opt(1, 0, 0).expect("valid"));
    (s, e)
}

/// A local wall time as UTC minutes (format §1.1: gap times read with the pre-gap offset,
/// repeated times read as BST).
pub(crate) fn local_to_utc(local: NaiveDateTime) -> UtcMin {
    let (s, e) = bst_bounds(local.year());
    let plain = naive_min(local);
    let as_bst = plain - 60;
    if s <= as_bst && as_bst < e {
        as_bst
    } else {
        plain
    }
}

/// UTC minutes as the local wall time.
pub(crate) fn utc_to_local(m: UtcMin) -> NaiveDateTime {
    let naive = naive_from_min(m);
    let (s, e) = bst_bounds(naive.year());
    if s <= m && m < e {
        naive_from_min(m + 60)
    } else {
        naive
    }
}

/// Whether a local time exists on the clock (is not in the spring-forward gap).
pub(crate) fn is_real_local(local: NaiveDateTime) -> bool {
    utc_to_local(local_to_utc(local)) == local
}

/// Formats a local date-time as `YYYY-MM-DDTHH:MM`.
pub(crate) fn format_local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Formats minutes after midnight as `HH:MM`.
pub(crate) fn format_hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses `YYYY-MM-DDTHH:MM` (or `...:SS` with seconds `00`; a space may replace the `T`).
pub(crate) fn parse_local(s: &str) -> Result<NaiveDateTime, String> {
    let b = s.as_bytes();
    // ASCII first: the slicing below is by byte and must never split a character.
    if !s.is_ascii() || !(b.len() == 16 || b.len() == 19) || !(b[10] == b'T' || b[10] == b' ') {
        return Err("expected a local date-time `YYYY-MM-DDTHH:MM` without offset".into());
    }
    let date = parse_date(&s[..10])?;
    if b.len() == 19 && &s[16..] != ":00" {
        return Err("seconds must be `00`".into());
    }
    let minutes = parse_hhmm(&s[11..16])?;
    if minutes >= 1440 {
        return Err("hour must be 00-23".into());
    }
    Ok(date.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("in range")))
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err("expected a date `YYYY-MM-DD`".into());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "not a calendar date".to_string())
}

/// Parses `HH:MM` into minutes after midnight, `00:00` to `24:00`.
pub(crate) fn parse_hhmm(s: &str) -> Result<u32, String> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || !b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
        return Err("expected a time `HH:MM`".into());
    }
    let h = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
    let m = u32::from(b[3] - b'0') * 10 + u32::from(b[4] - b'0');
    if m >= 60 || h * 60 + m > 1440 {
        return Err("time out of range".into());
    }
    Ok(h * 60 + m)
}

/// Three-letter English weekday names, Monday first, as the format writes them.
pub(crate) const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    WEEKDAY_NAMES[w.num_days_from_monday() as usize]
}

pub(crate) fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAY_NAMES
        .iter()
        .position(|n| *n == s)
        .map(|i| Weekday::try_from(i as u8).expect("0..7"))
}

/// A set of UTC minutes in `[base, base + len)`, one bit each. Minutes outside the range are
/// never in the set; callers only ask about minutes inside the horizon.
#[derive(Debug, Clone)]
pub(crate) struct MinuteSet {
    base: UtcMin,
    len: i64,
    words: Vec<u64>,
}

impl MinuteSet {
    pub(crate) fn new(base: UtcMin, len: i64) -> Self {
        let n = usize::try_from((len.max(0) + 63) / 64).unwrap_or(0);
        Self {
            base,
            len: len.max(0),
            words: vec![0; n],
        }
    }

    fn clip(&self, a: UtcMin, b: UtcMin) -> Option<(usize, usize)> {
        let lo = (a - self.base).max(0);
        let hi = (b - self.base).min(self.len);
        (lo < hi).then_some((lo as usize, hi as usize))
    }

    /// Adds the minutes `[a, b)`.
    pub(crate) fn insert(&mut self, a: UtcMin, b: UtcMin) {
        if let Some((lo, hi)) = self.clip(a, b) {
            for_words(lo, hi, |w, mask| self.words[w] |= mask);
        }
    }

    /// Removes the minutes `[a, b)`.
    pub(crate) fn remove(&mut self, a: UtcMin, b: UtcMin) {
        if let Some((lo, hi)) = self.clip(a, b) {
            for_words(lo, hi, |w, mask| self.words[w] &= !mask);
        }
    }

    /// Whether any minute of `[a, b)` is in the set.
    #[inline]
    pub(crate) fn any(&self, a: UtcMin, b: UtcMin) -> bool {
        let Some((lo, hi)) = self.clip(a, b) else {
            return false;
        };
        let (wl, wh) = (lo / 64, (hi - 1) / 64);
        let first = u64::MAX << (lo % 64);
        let last = u64::MAX >> (63 - (hi - 1) % 64);
        if wl == wh {
            return self.words[wl] & first & last != 0;
        }
        if self.words[wl] & first != 0 || self.words[wh] & last != 0 {
            return true;
        }
        self.words[wl + 1..wh].iter().any(|w| *w != 0)
    }
}

fn for_words(lo: usize, hi: usize, mut f: impl FnMut(usize, u64)) {
    let (wl, wh) = (lo / 64, (hi - 1) / 64);
    let first = u64::MAX << (lo % 64);
    let last = u64::MAX >> (63 - (hi - 1) % 64);
    if wl == wh {
        f(wl, first & last);
        return;
    }
    f(wl, first);
    for w in wl + 1..wh {
        f(w, u64::MAX);
    }
    f(wh, last);
}

/// A start time on the grid of a horizon: a grain-aligned local time within working hours on
/// a horizon date, that exists on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GridStart {
    /// Day index from the horizon start.
    pub day: u32,
    /// Local minute of the day.
    pub tod: u32,
    /// The start in UTC minutes.
    pub utc: UtcMin,
    /// The start grain of format §1.2.
    pub grain: i64,
}

/// The calendar of a horizon: dates, business days, working hours and the start grid.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub start: NaiveDate,
    pub days: u32,
    pub grain: u32,
    pub day_start: u32,
    pub day_end: u32,
    pub holidays: FxHashSet<NaiveDate>,
    /// UTC minute of local midnight on the first horizon date.
    pub base: UtcMin,
    /// UTC minute of local midnight on the day after the horizon, plus one day of slack.
    pub end: UtcMin,
}

impl Grid {
    pub(crate) fn new(
        start: NaiveDate,
        days: u32,
        grain: u32,
        day_start: u32,
        day_end: u32,
        holidays: &[NaiveDate],
    ) -> Self {
        let midnight = |d: NaiveDate| local_to_utc(d.and_time(NaiveTime::MIN));
        let base = midnight(start);
        let end = midnight(start + chrono::Days::new(u64::from(days))) + MIN_PER_DAY;
        Self {
            start,
            days,
            grain,
            day_start,
            day_end,
            holidays: holidays.iter().copied().collect(),
            base,
            end,
        }
    }

    /// A minute set covering the horizon.
    pub(crate) fn minute_set(&self) -> MinuteSet {
        MinuteSet::new(self.base, self.end - self.base)
    }

    pub(crate) fn date(&self, day: u32) -> NaiveDate {
        self.start + chrono::Days::new(u64::from(day))
    }

    /// The day index of `date`, if it lies in the horizon.
    pub(crate) fn day_of(&self, date: NaiveDate) -> Option<u32> {
        let d = (date - self.start).num_days();
        (0..i64::from(self.days)).contains(&d).then_some(d as u32)
    }

    pub(crate) fn grains_per_day(&self) -> i64 {
        i64::from(1440 / self.grain)
    }

    /// Whether `date` is a Monday-Friday that is not a listed bank holiday.
    pub(crate) fn is_business_day(&self, date: NaiveDate) -> bool {
        date.weekday().num_days_from_monday() < 5 && !self.holidays.contains(&date)
    }

    /// The start grain of a local start (format §1.2).
    pub(crate) fn start_grain(&self, local: NaiveDateTime) -> i64 {
        let days = (local.date() - self.start).num_days();
        days * self.grains_per_day()
            + i64::from(local.hour() * 60 + local.minute()) / i64::from(self.grain)
    }

    /// The local minute at which `[utc, utc + duration)` ends, counted from midnight of
    /// `date` (may exceed 1440 if it ends on a later date).
    pub(crate) fn end_tod(&self, date: NaiveDate, utc_end: UtcMin) -> i64 {
        let end = utc_to_local(utc_end);
        (end.date() - date).num_days() * MIN_PER_DAY + i64::from(end.hour() * 60 + end.minute())
    }

    /// Every grid start of a business day, in time order. Starts of `duration` minutes that
    /// would end after `day_end` are still listed; callers check the end with [`Grid::end_tod`].
    pub(crate) fn business_starts(&self) -> Vec<GridStart> {
        let mut out = Vec::new();
        let g = self.grain;
        let first = self.day_start.div_ceil(g) * g;
        for day in 0..self.days {
            let date = self.date(day);
            if !self.is_business_day(date) {
                continue;
            }
            let mut tod = first;
            while tod < self.day_end && tod < 1440 {
                let local =
                    date.and_time(NaiveTime::from_hms_opt(tod / 60, tod % 60, 0).expect("valid"));
                if is_real_local(local) {
                    out.push(GridStart {
                        day,
                        tod,
                        utc: local_to_utc(local),
                        grain: i64::from(day) * self.grains_per_day() + i64::from(tod / g),
                    });
                }
                tod += g;
            }
        }
        out
    }

    /// The local date-time of a grid start.
    pub(crate) fn local_of(&self, s: &GridStart) -> NaiveDateTime {
        self.date(s.day)
            .and_time(NaiveTime::from_hms_opt(s.tod / 60, s.tod % 60, 0).expect("valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{self, Disambiguation};

    fn dt(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    #[test]
    fn non_ascii_text_is_an_error_not_a_panic() {
        // 'é' is two bytes: without the ASCII check these would slice inside it.
        for s in [
            "2026-03-23T09:0\u{e9}00",
            "2026-03-2\u{e9}T09:00",
            "2026-03-23T\u{e9}:000",
        ] {
            assert!(parse_local(s).is_err(), "{s:?}");
        }
        assert!(parse_date("2026-0\u{e9}-2").is_err());
        assert!(parse_hhmm("0\u{e9}:0").is_err());
    }

    #[test]
    fn uk_rule_matches_the_tz_database_in_2026() {
        // Every quarter hour of 2026 that exists once on the clock.
        let mut t = dt("2026-01-01T00:00");
        while t.year() == 2026 {
            if let Ok(u) = calendar::local_to_utc(t, Disambiguation::Reject) {
                let ours = local_to_utc(t);
                assert_eq!(ours, naive_min(u.naive_utc()), "{t}");
                assert_eq!(utc_to_local(ours), t);
            }
            t += chrono::TimeDelta::minutes(15);
        }
    }

    #[test]
    fn gap_and_fold_readings_follow_the_format() {
        // 01:30 on 29 March 2026 does not exist: read at UTC+0, i.e. 02:30 BST.
        let gap = dt("2026-03-29T01:30");
        assert_eq!(local_to_utc(gap), naive_min(gap));
        assert_eq!(utc_to_local(local_to_utc(gap)), dt("2026-03-29T02:30"));
        assert!(!is_real_local(gap));
        // 01:30 on 25 October 2026 happens twice: the first (BST) reading.
        let fold = dt("2026-10-25T01:30");
        assert_eq!(local_to_utc(fold), naive_min(fold) - 60);
        assert!(is_real_local(fold));
        // Format §1.1: 27 March 00:00 to 31 March 00:00 lasts 95 real hours.
        assert_eq!(
            local_to_utc(dt("2026-03-31T00:00")) - local_to_utc(dt("2026-03-27T00:00")),
            95 * 60
        );
    }

    #[test]
    fn parsing_is_strict() {
        assert!(parse_local("2026-03-09T15:00").is_ok());
        assert!(parse_local("2026-03-09T15:00:00").is_ok());
        assert!(parse_local("2026-03-09T15:00:30").is_err());
        assert!(parse_local("2026-03-09T15:00Z").is_err());
        assert!(parse_local("2026-03-09T15:00+01:00").is_err());
        assert!(parse_local("2026-02-30T15:00").is_err());
        assert!(parse_local("2026-03-09T24:00").is_err());
        assert_eq!(parse_hhmm("24:00"), Ok(1440));
        assert!(parse_hhmm("24:01").is_err());
        assert!(parse_hhmm("8:00").is_err());
        assert_eq!(format_local(dt("2026-03-09T07:05")), "2026-03-09T07:05");
    }

    #[test]
    fn start_grain_example_of_the_format() {
        let g = Grid::new(
            NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
            16,
            15,
            480,
            1080,
            &[],
        );
        assert_eq!(g.start_grain(dt("2026-03-24T14:00")), 152);
    }

    #[test]
    fn minute_set_edges() {
        let mut s = MinuteSet::new(100, 1000);
        s.insert(163, 165);
        assert!(s.any(164, 170));
        assert!(!s.any(165, 300));
        assert!(!s.any(0, 163));
        s.insert(50, 2000);
        assert!(s.any(1099, 5000));
        assert!(!s.any(1100, 5000));
        s.remove(120, 1000);
        assert!(s.any(100, 120));
        assert!(!s.any(120, 1000));
        assert!(s.any(999, 1001));
    }

    #[test]
    fn grid_skips_weekends_and_holidays_and_keeps_local_time_across_dst() {
        let g = Grid::new(
            NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
            16,
            15,
            480,
            1080,
            &[
                NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
                NaiveDate::from_ymd_opt(2026, 4, 6).unwrap(),
            ],
        );
        let starts = g.business_starts();
        // 10 business days (16 days minus 4 weekend days and 2 holidays), 40 starts each.
        assert_eq!(starts.len(), 10 * 40);
        let fri = starts.iter().find(|s| s.day == 4 && s.tod == 480).unwrap();
        let mon = starts.iter().find(|s| s.day == 7 && s.tod == 480).unwrap();
        // 08:00 GMT Friday to 08:00 BST Monday: 71 real hours.
        assert_eq!(mon.utc - fri.utc, 71 * 60);
    }
}
