//! RFC 5545 recurrence rules expanded on local wall time (format §4.1).
//!
//! Occurrences are naive local date-times: a weekly 09:00 rule gives 09:00 on every date,
//! whatever the UTC offset that day, which is what `DTSTART;TZID=Europe/London` means. The
//! expansion follows python-dateutil's `rrule` (the reference evaluator's), including its
//! readings where RFC 5545 is loose: a date-only `UNTIL` means midnight, `BYDAY` ordinals are
//! ignored for `FREQ=WEEKLY` and `DAILY`, and `DTSTART` is only an occurrence if it matches
//! the rule.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use super::ScheduleError;

/// How often a rule repeats (`FREQ`). Sub-daily frequencies are not supported.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Frequency, Rrule};
///
/// assert_eq!(Rrule::parse("FREQ=MONTHLY;BYDAY=2TU")?.frequency(), Frequency::Monthly);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// `FREQ=DAILY`
    Daily,
    /// `FREQ=WEEKLY`
    Weekly,
    /// `FREQ=MONTHLY`
    Monthly,
    /// `FREQ=YEARLY`
    Yearly,
}

/// A parsed RRULE value such as `FREQ=MONTHLY;BYDAY=-1FR;COUNT=6`.
///
/// Supported parts: `FREQ` (`DAILY`, `WEEKLY`, `MONTHLY`, `YEARLY`), `INTERVAL`, `COUNT`,
/// `UNTIL` (local time, `YYYYMMDD` or `YYYYMMDDTHHMMSS`, no `Z`), `BYMONTH`, `BYMONTHDAY`,
/// `BYYEARDAY`, `BYDAY` (with ordinals such as `2TU` or `-1FR`), `BYSETPOS`, `BYHOUR`,
/// `BYMINUTE`, `BYSECOND` (only `0`) and `WKST`. Names and values are case-insensitive and an
/// `RRULE:` prefix is allowed.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Rrule;
/// use chrono::NaiveDate;
///
/// let rule: Rrule = "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3".parse()?;
/// let start = NaiveDate::from_ymd_opt(2026, 1, 30).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let dates: Vec<String> = rule
///     .occurrences(start)
///     .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
///     .collect();
/// assert_eq!(dates, ["2026-01-30 09:00", "2026-02-27 09:00", "2026-03-27 09:00"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rrule {
    freq: Frequency,
    interval: u32,
    count: Option<u32>,
    until: Option<NaiveDateTime>,
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    by_year_day: Vec<i32>,
    by_weekday: Vec<Weekday>,
    by_nth_weekday: Vec<(Weekday, i32)>,
    by_set_pos: Vec<i32>,
    by_hour: Vec<u32>,
    by_minute: Vec<u32>,
    week_start: Weekday,
}

fn invalid(reason: impl Into<String>) -> ScheduleError {
    ScheduleError::InvalidRrule {
        path: String::new(),
        reason: reason.into(),
    }
}

fn unsupported(part: impl Into<String>) -> ScheduleError {
    ScheduleError::UnsupportedRrule {
        path: String::new(),
        part: part.into(),
    }
}

fn parse_weekday_code(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn int_list(
    name: &str,
    value: &str,
    lo: i32,
    hi: i32,
    zero_ok: bool,
) -> Result<Vec<i32>, ScheduleError> {
    let mut out = Vec::new();
    for item in value.split(',') {
        let v: i32 = item
            .parse()
            .map_err(|_| invalid(format!("`{name}` must be a list of integers")))?;
        if v < lo || v > hi || (v == 0 && !zero_ok) {
            return Err(invalid(format!(
                "`{name}` values must lie in {lo}..={hi}{}",
                if zero_ok { "" } else { ", not 0" }
            )));
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.sort_unstable();
    Ok(out)
}

fn parse_until(value: &str) -> Result<NaiveDateTime, ScheduleError> {
    if value.ends_with('Z') {
        return Err(invalid(
            "`UNTIL` must be local time without `Z` (format §4.1: e.g. UNTIL=20260630T235900)",
        ));
    }
    let bad = || invalid("`UNTIL` must be `YYYYMMDD` or `YYYYMMDDTHHMMSS`");
    let (date, time) = match value.len() {
        8 => (value, None),
        15 if value.as_bytes()[8] == b'T' => (&value[..8], Some(&value[9..])),
        _ => return Err(bad()),
    };
    if !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let d = NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| bad())?;
    let t = match time {
        None => NaiveTime::MIN,
        Some(t) if t.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveTime::parse_from_str(t, "%H%M%S").map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
    };
    Ok(d.and_time(t))
}

impl Rrule {
    /// Parses an RRULE value (with or without a leading `RRULE:`).
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidRrule`] for a malformed part, a missing `FREQ`, a repeated part
    /// or a value out of range; [`ScheduleError::UnsupportedRrule`] for sub-daily frequencies,
    /// `BYWEEKNO`, `BYEASTER` or a non-zero `BYSECOND`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Rrule, ScheduleError};
    ///
    /// assert!(Rrule::parse("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU").is_ok());
    /// let err = Rrule::parse("FREQ=HOURLY").unwrap_err();
    /// assert_eq!(err.code(), "unsupported_rrule");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(text: &str) -> Result<Rrule, ScheduleError> {
        let upper = text.trim().to_ascii_uppercase();
        let body = upper.strip_prefix("RRULE:").unwrap_or(&upper);
        let mut seen: Vec<String> = Vec::new();
        let mut freq = None;
        let mut rule = Rrule {
            freq: Frequency::Daily,
            interval: 1,
            count: None,
            until: None,
            by_month: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_weekday: Vec::new(),
            by_nth_weekday: Vec::new(),
            by_set_pos: Vec::new(),
            by_hour: Vec::new(),
            by_minute: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut by_day: Option<Vec<(Weekday, Option<i32>)>> = None;
        for pair in body.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| invalid("each part must be `NAME=VALUE`"))?;
            if seen.iter().any(|s| s == name) {
                return Err(invalid(format!("part `{name}` appears twice")));
            }
            seen.push(name.to_string());
            match name {
                "FREQ" => {
                    freq = Some(match value {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        "HOURLY" | "MINUTELY" | "SECONDLY" => {
                            return Err(unsupported(format!("FREQ={value}")))
                        }
                        _ => {
                            return Err(invalid("`FREQ` must be DAILY, WEEKLY, MONTHLY or YEARLY"))
                        }
                    })
                }
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|v| *v > 0)
                        .ok_or_else(|| invalid("`INTERVAL` must be a positive integer"))?
                }
                "COUNT" => {
                    rule.count = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|v| *v > 0)
                            .ok_or_else(|| invalid("`COUNT` must be a positive integer"))?,
                    )
                }
                "UNTIL" => rule.until = Some(parse_until(value)?),
                "BYMONTH" => {
                    rule.by_month = int_list(name, value, 1, 12, false)?
                        .into_iter()
                        .map(|v| v as u32)
                        .collect()
                }
                "BYMONTHDAY" => rule.by_month_day = int_list(name, value, -31, 31, false)?,
                "BYYEARDAY" => rule.by_year_day = int_list(name, value, -366, 366, false)?,
                "BYSETPOS" => rule.by_set_pos = int_list(name, value, -366, 366, false)?,
                "BYHOUR" => {
                    rule.by_hour = int_list(name, value, 0, 23, true)?
                        .into_iter()
                        .map(|v| v as u32)
                        .collect()
                }
                "BYMINUTE" => {
                    rule.by_minute = int_list(name, value, 0, 59, true)?
                        .into_iter()
                        .map(|v| v as u32)
                        .collect()
                }
                "BYSECOND" => {
                    if int_list(name, value, 0, 60, true)? != [0] {
                        return Err(unsupported("BYSECOND other than 0"));
                    }
                }
                "WKST" => {
                    rule.week_start = parse_weekday_code(value)
                        .ok_or_else(|| invalid("`WKST` must be MO, TU, WE, TH, FR, SA or SU"))?
                }
                "BYDAY" => {
                    let mut days = Vec::new();
                    for item in value.split(',') {
                        let split = item
                            .find(|c: char| !(c.is_ascii_digit() || c == '+' || c == '-'))
                            .unwrap_or(item.len());
                        let (n, w) = item.split_at(split);
                        let wd = parse_weekday_code(w).ok_or_else(|| {
                            invalid("`BYDAY` items must be a weekday code with an optional ordinal, e.g. 2TU or -1FR")
                        })?;
                        let n = if n.is_empty() {
                            None
                        } else {
                            let v: i32 = n
                                .parse()
                                .map_err(|_| invalid("`BYDAY` ordinal must be an integer"))?;
                            if v == 0 || !(-53..=53).contains(&v) {
                                return Err(invalid(
                                    "`BYDAY` ordinals must lie in -53..=53, not 0",
                                ));
                            }
                            Some(v)
                        };
                        days.push((wd, n));
                    }
                    by_day = Some(days);
                }
                "BYWEEKNO" | "BYEASTER" => return Err(unsupported(name)),
                _ => {
                    return Err(invalid(format!(
                        "unknown part `{}`",
                        name.chars().take(20).collect::<String>()
                    )))
                }
            }
        }
        rule.freq = freq.ok_or_else(|| invalid("`FREQ` is required"))?;
        if let Some(days) = by_day {
            for (wd, n) in days {
                match n {
                    Some(n) if matches!(rule.freq, Frequency::Monthly | Frequency::Yearly) => {
                        if !rule.by_nth_weekday.contains(&(wd, n)) {
                            rule.by_nth_weekday.push((wd, n));
                        }
                    }
                    _ => {
                        if !rule.by_weekday.contains(&wd) {
                            rule.by_weekday.push(wd);
                        }
                    }
                }
            }
            // dateutil: with both plain and ordinal weekdays both filters apply.
        }
        Ok(rule)
    }

    /// The rule's frequency.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Frequency, Rrule};
    /// assert_eq!(Rrule::parse("FREQ=YEARLY")?.frequency(), Frequency::Yearly);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frequency(&self) -> Frequency {
        self.freq
    }

    /// The occurrences of the rule for a first occurrence `dtstart`, in order, as local wall
    /// times. The iterator ends at `COUNT`, `UNTIL` or the year 9999.
    ///
    /// # Errors
    ///
    /// None: a parsed rule always expands.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Rrule;
    /// use chrono::NaiveDate;
    ///
    /// // Weekly on Monday at 09:00 across the March 2026 clock change: always 09:00 local.
    /// let rule = Rrule::parse("FREQ=WEEKLY;BYDAY=MO;COUNT=3")?;
    /// let start = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap().and_hms_opt(9, 0, 0).unwrap();
    /// let times: Vec<String> = rule.occurrences(start).map(|t| t.to_string()).collect();
    /// assert_eq!(
    ///     times,
    ///     ["2026-03-23 09:00:00", "2026-03-30 09:00:00", "2026-04-06 09:00:00"]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn occurrences(&self, dtstart: NaiveDateTime) -> Occurrences {
        let mut by_month = self.by_month.clone();
        let mut by_month_day = self.by_month_day.clone();
        let mut by_weekday = self.by_weekday.clone();
        if self.by_year_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_weekday.is_empty()
            && self.by_nth_weekday.is_empty()
        {
            match self.freq {
                Frequency::Yearly => {
                    if by_month.is_empty() {
                        by_month = vec![dtstart.month()];
                    }
                    by_month_day = vec![dtstart.day() as i32];
                }
                Frequency::Monthly => by_month_day = vec![dtstart.day() as i32],
                Frequency::Weekly => by_weekday = vec![dtstart.weekday()],
                Frequency::Daily => {}
            }
        }
        let hours = if self.by_hour.is_empty() {
            vec![dtstart.hour()]
        } else {
            self.by_hour.clone()
        };
        let minutes = if self.by_minute.is_empty() {
            vec![dtstart.minute()]
        } else {
            self.by_minute.clone()
        };
        let mut times: Vec<NaiveTime> = hours
            .iter()
            .flat_map(|h| {
                minutes
                    .iter()
                    .map(move |m| NaiveTime::from_hms_opt(*h, *m, 0).expect("in range"))
            })
            .collect();
        times.sort_unstable();
        times.dedup();
        Occurrences {
            rule: self.clone(),
            by_month,
            by_month_day,
            by_weekday,
            times,
            dtstart,
            cursor: Some(dtstart.date()),
            remaining: self.count,
            pending: Vec::new(),
            next: 0,
        }
    }

    /// Whether `date` passes the rule's `BY*` filters (with defaults already applied).
    fn keeps(&self, it: &Occurrences, date: NaiveDate) -> bool {
        if !it.by_month.is_empty() && !it.by_month.contains(&date.month()) {
            return false;
        }
        if !it.by_weekday.is_empty() && !it.by_weekday.contains(&date.weekday()) {
            return false;
        }
        if !self.by_nth_weekday.is_empty() && !self.nth_weekday_matches(it, date) {
            return false;
        }
        if !it.by_month_day.is_empty() {
            let dim = days_in_month(date.year(), date.month()) as i32;
            let d = date.day() as i32;
            if !it.by_month_day.contains(&d) && !it.by_month_day.contains(&(d - dim - 1)) {
                return false;
            }
        }
        if !self.by_year_day.is_empty() {
            let len = if date.leap_year() { 366 } else { 365 };
            let yd = date.ordinal() as i32;
            if !self.by_year_day.contains(&yd) && !self.by_year_day.contains(&(yd - len - 1)) {
                return false;
            }
        }
        true
    }

    /// `BYDAY` with ordinals: the n-th weekday of the month (`MONTHLY`, or `YEARLY` with
    /// `BYMONTH`) or of the year (`YEARLY` without `BYMONTH`).
    fn nth_weekday_matches(&self, it: &Occurrences, date: NaiveDate) -> bool {
        let (first, len) = if self.freq == Frequency::Yearly && it.by_month.is_empty() {
            (
                NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid"),
                if date.leap_year() { 366 } else { 365 },
            )
        } else {
            (
                NaiveDate::from_ymd_opt(date.year(), date.month(), 1).expect("valid"),
                days_in_month(date.year(), date.month()) as i64,
            )
        };
        let idx = (date - first).num_days();
        let from_start = (idx / 7 + 1) as i32;
        let from_end = -(((len - 1 - idx) / 7 + 1) as i32);
        self.by_nth_weekday
            .iter()
            .any(|(wd, n)| *wd == date.weekday() && (*n == from_start || *n == from_end))
    }
}

impl FromStr for Rrule {
    type Err = ScheduleError;

    /// Same as [`Rrule::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rrule::parse(s)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

/// Iterator over the occurrences of an [`Rrule`], made by [`Rrule::occurrences`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::Rrule;
/// use chrono::NaiveDate;
///
/// let start = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap().and_hms_opt(11, 15, 0).unwrap();
/// let mut it = Rrule::parse("FREQ=MONTHLY;BYMONTHDAY=15")?.occurrences(start);
/// assert_eq!(it.nth(2).unwrap().to_string(), "2026-03-15 11:15:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Occurrences {
    rule: Rrule,
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    by_weekday: Vec<Weekday>,
    times: Vec<NaiveTime>,
    dtstart: NaiveDateTime,
    cursor: Option<NaiveDate>,
    remaining: Option<u32>,
    pending: Vec<NaiveDateTime>,
    next: usize,
}

impl Occurrences {
    /// The dates of the period starting at the cursor, and the next cursor.
    fn period(&self, cursor: NaiveDate) -> (Vec<NaiveDate>, Option<NaiveDate>) {
        let interval = self.rule.interval;
        match self.rule.freq {
            Frequency::Daily => (
                vec![cursor],
                cursor.checked_add_days(chrono::Days::new(u64::from(interval))),
            ),
            Frequency::Weekly => {
                let back = (7 + cursor.weekday().num_days_from_monday()
                    - self.rule.week_start.num_days_from_monday())
                    % 7;
                let week_start = cursor - chrono::Days::new(u64::from(back));
                let days = (0..7 - back)
                    .filter_map(|i| cursor.checked_add_days(chrono::Days::new(u64::from(i))))
                    .collect();
                (
                    days,
                    week_start.checked_add_days(chrono::Days::new(7 * u64::from(interval))),
                )
            }
            Frequency::Monthly => {
                let (y, m) = (cursor.year(), cursor.month());
                let days = (1..=days_in_month(y, m))
                    .filter_map(|d| NaiveDate::from_ymd_opt(y, m, d))
                    .collect();
                let months = i64::from(y) * 12 + i64::from(m - 1) + i64::from(interval);
                let next = i32::try_from(months.div_euclid(12)).ok().and_then(|ny| {
                    NaiveDate::from_ymd_opt(ny, months.rem_euclid(12) as u32 + 1, 1)
                });
                (days, next)
            }
            Frequency::Yearly => {
                let y = cursor.year();
                let first = NaiveDate::from_ymd_opt(y, 1, 1).expect("valid");
                let len = if first.leap_year() { 366 } else { 365 };
                let days = (0..len)
                    .filter_map(|i| first.checked_add_days(chrono::Days::new(i)))
                    .collect();
                let next = y
                    .checked_add(interval as i32)
                    .and_then(|ny| NaiveDate::from_ymd_opt(ny, 1, 1));
                (days, next)
            }
        }
    }

    /// Fills `pending` with the next non-empty period's candidates. Returns false at the end.
    fn refill(&mut self) -> bool {
        loop {
            let Some(cursor) = self.cursor else {
                return false;
            };
            if cursor.year() > 9999 {
                self.cursor = None;
                return false;
            }
            let (days, next) = self.period(cursor);
            self.cursor = next;
            let kept: Vec<NaiveDate> = days
                .into_iter()
                .filter(|d| self.rule.keeps(self, *d))
                .collect();
            let mut out: Vec<NaiveDateTime> = Vec::new();
            if !self.rule.by_set_pos.is_empty() && !self.times.is_empty() {
                let nt = self.times.len() as i64;
                for &pos in &self.rule.by_set_pos {
                    let pos = i64::from(pos);
                    let (daypos, timepos) = if pos < 0 {
                        (pos.div_euclid(nt), pos.rem_euclid(nt))
                    } else {
                        ((pos - 1).div_euclid(nt), (pos - 1).rem_euclid(nt))
                    };
                    let idx = if daypos < 0 {
                        kept.len() as i64 + daypos
                    } else {
                        daypos
                    };
                    if idx < 0 || idx >= kept.len() as i64 {
                        continue;
                    }
                    let res = kept[idx as usize].and_time(self.times[timepos as usize]);
                    if !out.contains(&res) {
                        out.push(res);
                    }
                }
                out.sort_unstable();
            } else {
                for d in &kept {
                    for t in &self.times {
                        out.push(d.and_time(*t));
                    }
                }
            }
            out.retain(|r| *r >= self.dtstart || self.rule.until.is_some_and(|u| *r > u));
            if !out.is_empty() {
                self.pending = out;
                self.next = 0;
                return true;
            }
        }
    }
}

impl Iterator for Occurrences {
    type Item = NaiveDateTime;

    fn next(&mut self) -> Option<NaiveDateTime> {
        if self.remaining == Some(0) {
            return None;
        }
        if self.next >= self.pending.len() && !self.refill() {
            return None;
        }
        let res = self.pending[self.next];
        self.next += 1;
        if self.rule.until.is_some_and(|u| res > u) {
            self.remaining = Some(0);
            self.cursor = None;
            return None;
        }
        if let Some(r) = &mut self.remaining {
            *r -= 1;
        }
        Some(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn first(rule: &str, start: &str, n: usize) -> Vec<String> {
        Rrule::parse(rule)
            .unwrap()
            .occurrences(at(start))
            .take(n)
            .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            .collect()
    }

    #[test]
    fn ordinals_in_months() {
        assert_eq!(
            first("FREQ=MONTHLY;BYDAY=2TU", "2026-01-13T10:00", 3),
            ["2026-01-13T10:00", "2026-02-10T10:00", "2026-03-10T10:00"]
        );
        assert_eq!(
            first("FREQ=MONTHLY;BYDAY=-1TH", "2026-01-29T11:15", 3),
            ["2026-01-29T11:15", "2026-02-26T11:15", "2026-03-26T11:15"]
        );
        // Fifth Friday only in months that have one.
        assert_eq!(
            first("FREQ=MONTHLY;BYDAY=5FR", "2026-01-30T09:00", 3),
            ["2026-01-30T09:00", "2026-05-29T09:00", "2026-07-31T09:00"]
        );
    }

    #[test]
    fn monthly_on_the_31st_skips_short_months_and_negative_days_count_back() {
        assert_eq!(
            first("FREQ=MONTHLY", "2026-01-31T09:00", 3),
            ["2026-01-31T09:00", "2026-03-31T09:00", "2026-05-31T09:00"]
        );
        assert_eq!(
            first("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31T09:00", 3),
            ["2026-01-31T09:00", "2026-02-28T09:00", "2026-03-31T09:00"]
        );
    }

    #[test]
    fn setpos_last_working_day_of_month() {
        assert_eq!(
            first(
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "2026-01-30T16:00",
                3
            ),
            ["2026-01-30T16:00", "2026-02-27T16:00", "2026-03-31T16:00"]
        );
    }

    #[test]
    fn count_and_local_until() {
        assert_eq!(
            first("FREQ=WEEKLY;BYDAY=TU;COUNT=2", "2026-01-06T14:00", 10).len(),
            2
        );
        let v = first(
            "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260116T235900",
            "2026-01-02T14:45",
            10,
        );
        assert_eq!(
            v,
            ["2026-01-02T14:45", "2026-01-09T14:45", "2026-01-16T14:45"]
        );
        // A date-only UNTIL means midnight (dateutil's reading): the 16th is excluded.
        let v = first(
            "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260116",
            "2026-01-02T14:45",
            10,
        );
        assert_eq!(v.len(), 2);
        assert_eq!(
            Rrule::parse("FREQ=WEEKLY;UNTIL=20260116T000000Z")
                .unwrap_err()
                .code(),
            "invalid_rrule"
        );
    }

    #[test]
    fn weekly_interval_uses_week_start() {
        assert_eq!(
            first("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", "2026-01-07T09:00", 4),
            [
                "2026-01-09T09:00",
                "2026-01-19T09:00",
                "2026-01-23T09:00",
                "2026-02-02T09:00"
            ]
        );
        assert_eq!(
            first(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU;WKST=SU",
                "2026-01-04T09:00",
                4
            ),
            [
                "2026-01-04T09:00",
                "2026-01-05T09:00",
                "2026-01-18T09:00",
                "2026-01-19T09:00"
            ]
        );
    }

    #[test]
    fn yearly_defaults_and_ordinals() {
        assert_eq!(
            first("FREQ=YEARLY", "2024-02-29T09:00", 2),
            ["2024-02-29T09:00", "2028-02-29T09:00"]
        );
        assert_eq!(
            first("FREQ=YEARLY;BYMONTH=11;BYDAY=1TH", "2026-11-05T09:00", 2),
            ["2026-11-05T09:00", "2027-11-04T09:00"]
        );
        // Without BYMONTH the ordinal counts within the year: the 20th Monday.
        assert_eq!(
            first("FREQ=YEARLY;BYDAY=20MO", "2026-01-01T09:00", 1),
            ["2026-05-18T09:00"]
        );
        assert_eq!(
            first("FREQ=YEARLY;BYYEARDAY=-1", "2026-01-01T09:00", 1),
            ["2026-12-31T09:00"]
        );
    }

    #[test]
    fn daily_with_hours_and_minutes() {
        assert_eq!(
            first(
                "FREQ=DAILY;INTERVAL=3;BYHOUR=9,14;BYMINUTE=30",
                "2026-01-01T09:30",
                3
            ),
            ["2026-01-01T09:30", "2026-01-01T14:30", "2026-01-04T09:30"]
        );
    }

    #[test]
    fn never_matching_rules_end() {
        assert_eq!(
            first("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01T09:00", 1).len(),
            0
        );
    }

    #[test]
    fn parse_errors_name_the_part() {
        for bad in [
            "BYDAY=MO",
            "FREQ=WEEKLY;BYDAY=0MO",
            "FREQ=WEEKLY;INTERVAL=0",
            "FREQ=WEEKLY;FREQ=DAILY",
            "FREQ=WEEKLY;FOO=1",
            "FREQ=WEEKLY;BYMONTH=13",
            "FREQ=WEEKLY;COUNT",
        ] {
            assert_eq!(
                Rrule::parse(bad).unwrap_err().code(),
                "invalid_rrule",
                "{bad}"
            );
        }
        for bad in [
            "FREQ=MINUTELY",
            "FREQ=YEARLY;BYWEEKNO=20",
            "FREQ=DAILY;BYSECOND=30",
        ] {
            assert_eq!(
                Rrule::parse(bad).unwrap_err().code(),
                "unsupported_rrule",
                "{bad}"
            );
        }
        assert!(Rrule::parse("rrule:freq=weekly;byday=tu;").is_ok());
    }

    /// Every S3 series and twenty harder rules against python-dateutil's expansion (the
    /// reference evaluator's), dumped by `testdata/gen_rrule_dateutil.py`.
    #[test]
    fn expansion_equals_dateutil() {
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("testdata/rrule_dateutil.json")).unwrap();
        let end = at("2027-01-01T00:00");
        let rules = fixture["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 50);
        for r in rules {
            let id = r["id"].as_str().unwrap();
            let rule = Rrule::parse(r["rrule"].as_str().unwrap()).unwrap();
            let ours: Vec<String> = rule
                .occurrences(at(r["dtstart"].as_str().unwrap()))
                .take_while(|t| *t < end)
                .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
                .collect();
            let theirs: Vec<&str> = r["dateutil"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(ours, theirs, "{id}: {}", r["rrule"]);
        }
    }
}
