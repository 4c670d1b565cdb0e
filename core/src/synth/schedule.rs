//! Synthetic scheduling instances (`carecoord.schedule.v1`), drawn the way the public S1, S2
//! and S3 scenarios of the format are (formats/schedule-v1.md §7), plus a care-coordination
//! month for the demo.
//!
//! * [`schedule_instance`]: practices of three (GP, practice nurse, care coordinator) plus
//!   community staff, each with working days and a diary 20-40 % full of clinics, home visits,
//!   admin and training (and annual leave on long horizons); physical rooms and a video room
//!   with maintenance closures; recurring series (weekly, fortnightly, "2nd Tuesday", "last
//!   Friday", a day of the month, some with `COUNT` or `UNTIL`, either holiday policy); and
//!   one-off MDTs, core groups, reviews and discharge-leads meetings with required and
//!   preferred attendees, priorities, windows, room lists, pinned meetings (always at a free
//!   slot) and, on request, meetings that cannot be placed at all (two required people with a
//!   study day on each day of a two-day window).
//! * [`schedule_disruption`]: the S2 scenario from an instance and a plan for it: the plan
//!   becomes `previous`, people fall sick for some days, a physical room closes for a week,
//!   urgent priority-20 meetings must fit in the first 48 hours, and pins the disruption makes
//!   impossible are released.
//! * [`locality_month`]: a month of weekly practice MDTs (one per `SYN` practice), fortnightly
//!   integrated locality reviews, safeguarding core groups and a daily discharge-leads huddle,
//!   for a locality of GPs, practice nurses, care coordinators, community matrons, district
//!   nurses, social workers, therapists, a pharmacist and mental health, palliative care and
//!   hospital discharge staff.
//!
//! The same configuration gives the same instance on every machine: one ChaCha8 stream, drawn
//! only with integer ranges, in a fixed order.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::calendar::{is_bank_holiday, Region};
use crate::schedule::{
    series_occurrences, Assignment, Busy, Diary, HolidayPolicy, Horizon, Instance, Meeting, Person,
    Pin, Previous, Room, RoomChoice, RoomFilter, Series, Solution, Unavailable, Window,
};

/// Settings for [`schedule_instance`].
///
/// [`ScheduleInstanceConfig::month`] and [`ScheduleInstanceConfig::year`] are the shapes of the
/// format's S1 and S3 scenarios; change `people`, `meetings`, ... for other sizes.
///
/// # Example
///
/// ```
/// use carecoord::synth::ScheduleInstanceConfig;
///
/// let c = ScheduleInstanceConfig::month(7);
/// assert_eq!((c.people, c.rooms, c.meetings, c.series), (40, 4, 60, 6));
/// assert_eq!(c.name, "month-seed7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleInstanceConfig {
    /// Random seed; the same configuration gives the same instance everywhere.
    pub seed: u64,
    /// The instance's `name`.
    pub name: String,
    /// First local date of the horizon.
    pub start: NaiveDate,
    /// Number of calendar days in the horizon.
    pub days: u32,
    /// Number of people (at least 8): a quarter of them, rounded down, are practices of three
    /// (GP, practice nurse, care coordinator); the rest are community staff.
    pub people: usize,
    /// Number of physical rooms (at least 1); a video room is always added.
    pub rooms: usize,
    /// Number of one-off meetings to place, including `pinned` and `unplaceable` ones.
    pub meetings: usize,
    /// Number of recurring series.
    pub series: usize,
    /// Number of meetings pinned at a free slot.
    pub pinned: usize,
    /// Number of meetings that cannot be placed at all.
    pub unplaceable: usize,
    /// Share of each person's working time that is busy, in percent: a person's share is drawn
    /// from this range (inclusive).
    pub busy_percent: (u32, u32),
    /// Share of people working fewer than five days a week, in percent.
    pub part_time_percent: u32,
    /// Share of meetings with an `earliest`/`latest` window, in percent.
    pub window_percent: u32,
    /// Window length in calendar days (inclusive range; 0 is a single day).
    pub window_days: (u32, u32),
    /// Share of meetings that need a physical room, in percent.
    pub physical_percent: u32,
    /// Annual-leave blocks per person.
    pub leave_blocks: u32,
    /// Maintenance closures per room (the video room included).
    pub room_closures: u32,
}

impl ScheduleInstanceConfig {
    /// The S1 shape: 40 people (10 practices of three and 10 community staff), 4 physical
    /// rooms and a video room, 60 meetings, 6 series and 2 pinned meetings over the five weeks
    /// from Monday 9 March 2026 (the March clock change and Easter).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::synth::ScheduleInstanceConfig;
    /// assert_eq!(ScheduleInstanceConfig::month(1).days, 35);
    /// ```
    pub fn month(seed: u64) -> Self {
        Self {
            seed,
            name: format!("month-seed{seed}"),
            start: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap_or_default(),
            days: 35,
            people: 40,
            rooms: 4,
            meetings: 60,
            series: 6,
            pinned: 2,
            unplaceable: 0,
            busy_percent: (20, 40),
            part_time_percent: 25,
            window_percent: 50,
            window_days: (0, 14),
            physical_percent: 33,
            leave_blocks: 0,
            room_closures: 1,
        }
    }

    /// The S3 shape: the whole of 2026 with 30 series, annual leave, 100 one-off meetings with
    /// windows of two to five weeks, 5 pinned meetings and one meeting that cannot be placed.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::synth::ScheduleInstanceConfig;
    /// let c = ScheduleInstanceConfig::year(1);
    /// assert_eq!((c.days, c.series, c.unplaceable), (365, 30, 1));
    /// ```
    pub fn year(seed: u64) -> Self {
        Self {
            seed,
            name: format!("year-seed{seed}"),
            start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            days: 365,
            people: 40,
            rooms: 4,
            meetings: 100,
            series: 30,
            pinned: 5,
            unplaceable: 1,
            busy_percent: (20, 40),
            part_time_percent: 10,
            window_percent: 100,
            window_days: (10, 36),
            physical_percent: 40,
            leave_blocks: 2,
            room_closures: 6,
        }
    }
}

impl Default for ScheduleInstanceConfig {
    /// [`ScheduleInstanceConfig::month`] with seed 1.
    fn default() -> Self {
        Self::month(1)
    }
}

/// Settings for [`schedule_disruption`] (the format's S2 scenario).
///
/// # Example
///
/// ```
/// use carecoord::synth::DisruptionConfig;
///
/// let c = DisruptionConfig::default();
/// assert_eq!((c.sick, c.urgent, c.urgent_priority, c.urgent_hours), (3, 5, 20, 48));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisruptionConfig {
    /// Random seed.
    pub seed: u64,
    /// The new instance's `name`; empty gives `<name>-disrupted`.
    pub name: String,
    /// Number of people who fall sick.
    pub sick: usize,
    /// Length of each sickness in calendar days (inclusive range), from the first week.
    pub sick_days: (u32, u32),
    /// Calendar days the closed room stays closed, from the Monday after the horizon starts.
    pub closed_room_days: u32,
    /// Number of urgent meetings.
    pub urgent: usize,
    /// Their priority.
    pub urgent_priority: u32,
    /// They must end within this many hours of the first business morning.
    pub urgent_hours: u32,
}

impl Default for DisruptionConfig {
    /// Three people sick for 2-5 days, a room closed Monday to Friday of the second week, and
    /// five urgent priority-20 meetings within 48 hours; seed 1.
    fn default() -> Self {
        Self {
            seed: 1,
            name: String::new(),
            sick: 3,
            sick_days: (2, 5),
            closed_room_days: 5,
            urgent: 5,
            urgent_priority: 20,
            urgent_hours: 48,
        }
    }
}

/// Settings for [`locality_month`].
///
/// # Example
///
/// ```
/// use carecoord::synth::LocalityMonthConfig;
///
/// let c = LocalityMonthConfig::default();
/// assert_eq!((c.practices, c.weeks), (10, 4));
/// assert_eq!(c.start.to_string(), "2026-11-30");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalityMonthConfig {
    /// Random seed.
    pub seed: u64,
    /// First local date of the plan (a Monday reads best: weeks start on it).
    pub start: NaiveDate,
    /// Number of weeks planned.
    pub weeks: u32,
    /// Number of GP practices, coded `SYN001` upwards as in [`register`](super::register).
    pub practices: usize,
    /// Number of safeguarding core-group meetings in the month.
    pub core_groups: usize,
}

impl Default for LocalityMonthConfig {
    /// Ten practices, four weeks from Monday 30 November 2026 (Christmas Day falls in week
    /// four), five core groups, seed 20261123.
    fn default() -> Self {
        Self {
            seed: 20_261_123,
            start: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
            weeks: 4,
            practices: 10,
            core_groups: 5,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------------------

/// A uniform integer in `lo..=hi` (u32 draws are the same on every platform).
fn between(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// A uniform index below `n` (`n > 0`).
fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    debug_assert!(n > 0);
    rng.random_range(0..n as u32) as usize
}

/// True with probability `percent` %.
fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.random_range(0..100u32) < percent
}

fn shuffle<T>(rng: &mut ChaCha8Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = index(rng, i + 1);
        v.swap(i, j);
    }
}

/// `k` distinct items of `pool` in random order (fewer if the pool is smaller).
fn sample(rng: &mut ChaCha8Rng, pool: &[usize], k: usize) -> Vec<usize> {
    let mut v = pool.to_vec();
    shuffle(rng, &mut v);
    v.truncate(k);
    v
}

fn at(d: NaiveDate, minutes: u32) -> NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN) + TimeDelta::minutes(i64::from(minutes))
}

fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d + Days::new(u64::from(n))
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

fn byday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The horizon's dates: bank holidays (England and Wales) and business days.
struct Cal {
    start: NaiveDate,
    days: u32,
    holidays: Vec<NaiveDate>,
    business: Vec<NaiveDate>,
}

impl Cal {
    fn new(start: NaiveDate, days: u32) -> Self {
        let mut holidays = Vec::new();
        let mut business = Vec::new();
        for i in 0..days {
            let d = add_days(start, i);
            let hol = is_bank_holiday(Region::EnglandAndWales, d);
            if hol {
                holidays.push(d);
            }
            if !hol && d.weekday().num_days_from_monday() < 5 {
                business.push(d);
            }
        }
        Self {
            start,
            days,
            holidays,
            business,
        }
    }

    fn end(&self) -> NaiveDate {
        add_days(self.start, self.days)
    }

    fn horizon(&self) -> Horizon {
        let mut h = Horizon::new(self.start, self.days);
        h.bank_holiday_region = Some("england-and-wales".into());
        h.bank_holidays = self.holidays.clone();
        h
    }
}

// ---------------------------------------------------------------------------------------
// People and their diaries.
// ---------------------------------------------------------------------------------------

const COMMUNITY_ROLES: [&str; 10] = [
    "Community matron",
    "District nurse",
    "Social worker",
    "Mental health practitioner",
    "Discharge lead",
    "Discharge lead",
    "Palliative care nurse",
    "Physiotherapist",
    "Occupational therapist",
    "Clinical pharmacist",
];

const BUSY_MINUTES: [u32; 15] = [
    30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 195, 210, 225, 240,
];

/// Working days: Monday to Friday, or (part time) three or four of them.
fn working_days(rng: &mut ChaCha8Rng, part_time_percent: u32) -> Vec<Weekday> {
    let mut days = WEEKDAYS.to_vec();
    if chance(rng, part_time_percent) {
        let drop = between(rng, 1, 2) as usize;
        for _ in 0..drop {
            let i = index(rng, days.len());
            days.remove(i);
        }
    }
    days
}

/// Whole-day busy intervals `[d 00:00, d + len 00:00)`.
fn whole_days(d: NaiveDate, len: u32, label: &str) -> Busy {
    Busy {
        start: at(d, 0),
        end: at(add_days(d, len.max(1)), 0),
        label: Some(label.into()),
    }
}

/// A diary: annual leave, then on each working day blocks of clinics, home visits, admin and
/// training filling about `share` % of 08:00-18:00 (more on some days, less on others).
fn diary(
    rng: &mut ChaCha8Rng,
    cal: &Cal,
    working: &[Weekday],
    role: &str,
    share: u32,
    leave_blocks: u32,
) -> Vec<Busy> {
    let mut busy = Vec::new();
    let mut leave: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for _ in 0..leave_blocks {
        if cal.business.is_empty() {
            break;
        }
        let d = cal.business[index(rng, cal.business.len())];
        let len = between(rng, 1, 10);
        leave.push((d, add_days(d, len)));
        busy.push(whole_days(d, len, "annual leave"));
    }
    let labels: &[(&str, u32)] = match role {
        "GP" => &[
            ("clinic", 55),
            ("home visits", 15),
            ("admin", 15),
            ("training", 15),
        ],
        "Practice nurse" => &[("clinic", 60), ("admin", 20), ("training", 20)],
        "District nurse" | "Community matron" | "Palliative care nurse" => &[
            ("home visits", 55),
            ("clinic", 15),
            ("admin", 15),
            ("training", 15),
        ],
        _ => &[
            ("clinic", 40),
            ("home visits", 20),
            ("admin", 20),
            ("training", 20),
        ],
    };
    for &d in &cal.business {
        if !working.contains(&d.weekday()) || leave.iter().any(|(a, b)| *a <= d && d < *b) {
            continue;
        }
        // This day's busy minutes: the person's share times 0.3-1.7.
        let target = 600 * share * between(rng, 30, 170) / 10_000;
        let mut blocks: Vec<(u32, u32)> = Vec::new();
        let mut filled = 0;
        let mut tries = 0;
        while filled < target && tries < 40 {
            tries += 1;
            let mut len = BUSY_MINUTES[index(rng, BUSY_MINUTES.len())];
            // Fill up to the day's target, not past it by more than a quarter hour.
            if filled + len > target + 15 {
                if target - filled < 30 {
                    break;
                }
                continue;
            }
            let mut start = 8 * 60 + 15 * between(rng, 0, 38);
            // One block in eight is off the quarter-hour grid, as real diaries are.
            if chance(rng, 12) {
                start += 5 * between(rng, 1, 2);
                len += 5 * between(rng, 0, 2);
            }
            let end = start + len;
            if end > 18 * 60 + 30 || blocks.iter().any(|(a, b)| start < *b && *a < end) {
                continue;
            }
            blocks.push((start, end));
            filled += len;
        }
        blocks.sort_unstable();
        for (s, e) in blocks {
            let mut pick = between(rng, 0, 99);
            let mut label = labels[0].0;
            for (l, w) in labels {
                if pick < *w {
                    label = l;
                    break;
                }
                pick -= w;
            }
            busy.push(Busy {
                start: at(d, s),
                end: at(d, e),
                label: Some(label.into()),
            });
        }
    }
    busy
}

// ---------------------------------------------------------------------------------------
// Rooms and series.
// ---------------------------------------------------------------------------------------

const ROOMS: [(&str, u32); 4] = [
    ("Practice meeting room", 6),
    ("Health centre room 2", 8),
    ("Hub seminar room", 10),
    ("Locality boardroom", 14),
];

fn maintenance(rng: &mut ChaCha8Rng, cal: &Cal, n: u32) -> Vec<Unavailable> {
    let mut out = Vec::new();
    for _ in 0..n {
        if cal.business.is_empty() {
            break;
        }
        let d = cal.business[index(rng, cal.business.len())];
        let start = 8 * 60 + 30 * between(rng, 0, 14);
        let hours = between(rng, 1, 4);
        out.push(Unavailable {
            start: at(d, start),
            end: at(d, start + 60 * hours),
            reason: Some("maintenance".into()),
        });
    }
    out
}

/// The `n`-th `w` of the month of `d` (`n = -1`: the last), if it exists.
fn nth_weekday(year: i32, month: u32, w: Weekday, n: i32) -> Option<NaiveDate> {
    if n > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, w, n as u8)
    } else {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let mut d = next.pred_opt()?;
        while d.weekday() != w {
            d = d.pred_opt()?;
        }
        Some(d)
    }
}

fn first_on_or_after(d: NaiveDate, w: Weekday) -> NaiveDate {
    let gap = (7 + w.num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
    add_days(d, gap)
}

/// A recurrence rule and a first date that is an occurrence of it, on or after `from`.
fn series_rule(rng: &mut ChaCha8Rng, from: NaiveDate, cal: &Cal) -> (String, NaiveDate) {
    let w = WEEKDAYS[index(rng, 5)];
    let (mut rule, first) = match between(rng, 0, 99) {
        0..=39 => (
            format!("FREQ=WEEKLY;BYDAY={}", byday(w)),
            first_on_or_after(from, w),
        ),
        40..=64 => (
            format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", byday(w)),
            add_days(first_on_or_after(from, w), 7 * between(rng, 0, 1)),
        ),
        65..=87 => {
            let n = [1, 2, 3, -1][index(rng, 4)];
            let (y, m) = (from.year(), from.month());
            let mut d = nth_weekday(y, m, w, n).unwrap_or(from);
            if d < from {
                let (y2, m2) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                d = nth_weekday(y2, m2, w, n).unwrap_or(from);
            }
            (format!("FREQ=MONTHLY;BYDAY={n}{}", byday(w)), d)
        }
        _ => {
            let day = [1, 15][index(rng, 2)];
            let (y, m) = (from.year(), from.month());
            let mut d = NaiveDate::from_ymd_opt(y, m, day).unwrap_or(from);
            if d < from {
                let (y2, m2) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                d = NaiveDate::from_ymd_opt(y2, m2, day).unwrap_or(from);
            }
            (format!("FREQ=MONTHLY;BYMONTHDAY={day}"), d)
        }
    };
    match between(rng, 0, 9) {
        0 => rule.push_str(&format!(";COUNT={}", between(rng, 6, 26))),
        1 => {
            let last = add_days(cal.start, between(rng, cal.days / 3, cal.days));
            rule.push_str(&format!(";UNTIL={}T235900", last.format("%Y%m%d")));
        }
        _ => {}
    }
    (rule, first)
}

const SERIES_TITLES: [&str; 10] = [
    "Complex care panel",
    "Locality leads meeting",
    "Frailty MDT",
    "Care home ward round review",
    "Medicines optimisation",
    "Mental health liaison",
    "Safeguarding review",
    "Practice huddle",
    "Discharge leads catch-up",
    "Palliative care (GSF) meeting",
];

// ---------------------------------------------------------------------------------------
// Meetings.
// ---------------------------------------------------------------------------------------

/// The people of a generated instance, by kind.
struct Staff {
    /// `[GP, practice nurse, care coordinator]` per practice.
    practices: Vec<[usize; 3]>,
    /// Community staff (indices into people).
    community: Vec<usize>,
    /// Discharge leads.
    discharge: Vec<usize>,
    /// Everyone.
    all: Vec<usize>,
}

/// Picks `k` of `pool` not already in `taken`, adding them to `out`.
fn add_from(rng: &mut ChaCha8Rng, pool: &[usize], k: usize, taken: &[usize], out: &mut Vec<usize>) {
    let free: Vec<usize> = pool
        .iter()
        .copied()
        .filter(|p| !taken.contains(p) && !out.contains(p))
        .collect();
    out.extend(sample(rng, &free, k));
}

/// A meeting's room list: "any" (three in four) or two to four rooms, always including one
/// that can host it.
fn room_choice(
    rng: &mut ChaCha8Rng,
    rooms: &[Room],
    seats: u32,
    needs_physical: bool,
) -> RoomChoice {
    if chance(rng, 75) {
        return RoomChoice::Any;
    }
    let all: Vec<usize> = (0..rooms.len()).collect();
    let k = between(rng, 2, 4).min(rooms.len() as u32) as usize;
    let mut pick = sample(rng, &all, k);
    let fits = |r: usize| {
        let room = &rooms[r];
        if room.is_virtual {
            !needs_physical
        } else {
            room.capacity.unwrap_or(0) >= seats
        }
    };
    if !pick.iter().any(|r| fits(*r)) {
        if let Some(r) = all.iter().copied().rfind(|r| fits(*r)) {
            pick.push(r);
        }
    }
    pick.sort_unstable();
    RoomChoice::Only(pick.into_iter().map(|r| rooms[r].id.clone()).collect())
}

/// Required and preferred people, duration, priority and title of one generated meeting.
fn meeting_people(
    rng: &mut ChaCha8Rng,
    staff: &Staff,
) -> (&'static str, Vec<usize>, Vec<usize>, u32, u32) {
    let mut req: Vec<usize> = Vec::new();
    let practice = staff.practices[index(rng, staff.practices.len())];
    let (kind, dur, prio) = match between(rng, 0, 99) {
        0..=59 => {
            // Practice MDT: the practice's three plus one to three community staff.
            let mut own = practice.to_vec();
            shuffle(rng, &mut own);
            let keep = if chance(rng, 80) { 3 } else { 2 };
            req.extend(&own[..keep]);
            let k = between(rng, 1, 3) as usize;
            add_from(rng, &staff.community, k, &[], &mut req);
            if chance(rng, 20) {
                add_from(rng, &staff.all, 1, &[], &mut req);
            }
            let dur = [45, 60, 60, 75, 75, 90][index(rng, 6)];
            ("MDT", dur, between(rng, 5, 10))
        }
        60..=77 => {
            let mut own = practice.to_vec();
            shuffle(rng, &mut own);
            req.extend(&own[..between(rng, 2, 3) as usize]);
            let k = between(rng, 0, 2) as usize;
            add_from(rng, &staff.community, k, &[], &mut req);
            ("Core group", [45, 60][index(rng, 2)], between(rng, 6, 10))
        }
        78..=87 => {
            let k = between(rng, 2, 3) as usize;
            add_from(rng, &staff.all, k, &[], &mut req);
            let dur = [30, 45, 50][index(rng, 3)];
            ("Review", dur, between(rng, 1, 4))
        }
        _ => {
            req.extend(&staff.discharge);
            let k = between(rng, 1, 2) as usize;
            add_from(rng, &staff.all, k, &[], &mut req);
            let dur = [30, 45, 60][index(rng, 3)];
            ("Discharge leads", dur, between(rng, 4, 8))
        }
    };
    if req.is_empty() {
        add_from(rng, &staff.all, 2, &[], &mut req);
    }
    let mut pref = Vec::new();
    let k = if chance(rng, 5) {
        0
    } else {
        between(rng, 1, 6) as usize
    };
    add_from(rng, &staff.all, k, &req, &mut pref);
    (kind, req, pref, dur, prio)
}

/// Pins `targets` (meeting indices) at random free slots, one after the other, so that pins
/// never clash with busy time, series, closures or each other. A meeting with no free slot
/// stays unpinned.
fn pin_meetings(rng: &mut ChaCha8Rng, inst: &mut Instance, targets: &[usize], mark_title: bool) {
    let mut pins: Vec<Assignment> = Vec::new();
    for &m in targets {
        let plan = Solution {
            assignments: pins.clone(),
            ..Solution::default()
        };
        let Ok(diary) = Diary::with_solution(inst, &plan) else {
            return;
        };
        let meeting = &inst.meetings[m];
        let mut rooms: Vec<String> = match &meeting.rooms {
            RoomChoice::Any => inst.rooms.iter().map(|r| r.id.clone()).collect(),
            RoomChoice::Only(list) => list.clone(),
        };
        shuffle(rng, &mut rooms);
        let req: Vec<&str> = meeting.required.iter().map(String::as_str).collect();
        let pref: Vec<&str> = meeting.preferred.iter().map(String::as_str).collect();
        let window = Window {
            earliest: meeting.earliest,
            latest: meeting.latest,
        };
        let mut chosen = None;
        for room in rooms {
            let filter = RoomFilter {
                rooms: RoomChoice::Only(vec![room]),
                needs_physical: meeting.needs_physical,
            };
            let slots = diary
                .free_slots(
                    &req,
                    &pref,
                    meeting.duration_minutes,
                    Some(window),
                    Some(&filter),
                )
                .unwrap_or_default();
            if !slots.is_empty() {
                let s = &slots[index(rng, slots.len())];
                chosen = s.room.clone().map(|r| (s.start, r));
                break;
            }
        }
        if let Some((start, room)) = chosen {
            let meeting = &mut inst.meetings[m];
            meeting.pinned = Some(Pin {
                start,
                room: room.clone(),
            });
            if mark_title {
                // "Core group m015" -> "Core group (fixed) m015", as in the S1 file.
                if let Some((kind, id)) = meeting.title.rsplit_once(' ') {
                    meeting.title = format!("{kind} (fixed) {id}");
                }
            }
            pins.push(Assignment {
                meeting: meeting.id.clone(),
                start,
                room,
            });
        }
    }
}

/// A scheduling instance drawn the way the format's S1 (monthly) and S3 (year) scenarios are;
/// see the [module documentation](self) for what it contains.
///
/// The instance always validates, every pinned meeting sits at a slot free of busy time,
/// series, closures and the other pins, and the `unplaceable` meetings cannot be placed
/// (two required people each have a study day on one day of a two-day window).
///
/// # Errors
///
/// None: every configuration gives an instance (sizes below the minimums are raised).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{evaluate, solve, Instance, SolveOptions};
/// use carecoord::synth::{schedule_instance, ScheduleInstanceConfig};
///
/// let config = ScheduleInstanceConfig { meetings: 12, ..ScheduleInstanceConfig::month(3) };
/// let inst = schedule_instance(&config);
/// assert_eq!(inst, schedule_instance(&config));
/// assert_eq!(Instance::from_json(&inst.to_json())?, inst);
/// let plan = solve(&inst, &SolveOptions::default())?;
/// assert!(evaluate(&inst, &plan)?.feasible);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn schedule_instance(config: &ScheduleInstanceConfig) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let cal = Cal::new(config.start, config.days.max(1));
    let n_people = config.people.max(8);
    let n_practices = (n_people / 4).max(1);
    let width = n_people.to_string().len().max(2);
    let (busy_lo, busy_hi) = (config.busy_percent.0.min(90), config.busy_percent.1.min(90));

    // People: practices of three, then community staff.
    let mut people = Vec::with_capacity(n_people);
    let mut staff = Staff {
        practices: Vec::new(),
        community: Vec::new(),
        discharge: Vec::new(),
        all: (0..n_people).collect(),
    };
    for i in 0..n_people {
        let (role, practice) = if i < 3 * n_practices {
            let pr = i / 3;
            if i % 3 == 0 {
                staff.practices.push([i, i + 1, i + 2]);
            }
            (
                ["GP", "Practice nurse", "Care coordinator"][i % 3],
                Some(format!("PR{:02}", pr + 1)),
            )
        } else {
            let role = COMMUNITY_ROLES[(i - 3 * n_practices) % COMMUNITY_ROLES.len()];
            staff.community.push(i);
            if role == "Discharge lead" {
                staff.discharge.push(i);
            }
            (role, None)
        };
        let working = working_days(&mut rng, config.part_time_percent);
        let share = between(&mut rng, busy_lo, busy_hi.max(busy_lo));
        let busy = diary(&mut rng, &cal, &working, role, share, config.leave_blocks);
        people.push(Person {
            id: format!("p{:0width$}", i + 1),
            role: Some(role.into()),
            practice,
            working_days: working,
            busy,
        });
    }
    if staff.discharge.is_empty() {
        staff.discharge = staff.community.iter().copied().take(2).collect();
    }
    if staff.community.is_empty() {
        staff.community = staff.all.clone();
    }

    // Rooms: physical rooms and a video room.
    let mut rooms = Vec::new();
    for i in 0..config.rooms.max(1) {
        let (name, capacity) = match ROOMS.get(i) {
            Some((n, c)) => ((*n).to_string(), *c),
            None => (
                format!("Meeting room {}", i + 1),
                6 + 2 * between(&mut rng, 0, 4),
            ),
        };
        rooms.push(Room {
            id: format!("rm{}", i + 1),
            name: Some(name),
            capacity: Some(capacity),
            is_virtual: false,
            unavailable: maintenance(&mut rng, &cal, config.room_closures),
        });
    }
    rooms.push(Room {
        id: "virt".into(),
        name: Some("Video call".into()),
        capacity: None,
        is_virtual: true,
        unavailable: maintenance(&mut rng, &cal, config.room_closures),
    });
    let max_cap = rooms.iter().filter_map(|r| r.capacity).max().unwrap_or(0);
    let physical: Vec<usize> = (0..rooms.len()).filter(|r| !rooms[*r].is_virtual).collect();

    // Series, from the start of the horizon's year.
    let year_start = NaiveDate::from_ymd_opt(config.start.year(), 1, 1).unwrap_or(config.start);
    let swidth = config.series.to_string().len().max(2);
    let mut series = Vec::new();
    for i in 0..config.series {
        let (rrule, first) = series_rule(&mut rng, year_start, &cal);
        let duration = [30, 45, 60, 90][index(&mut rng, 4)];
        let tod = 8 * 60 + 15 * between(&mut rng, 0, (600 - duration) / 15);
        let k = between(&mut rng, 3, 6) as usize;
        let attendees = sample(&mut rng, &staff.all, k);
        let room = if chance(&mut rng, 45) || physical.is_empty() {
            rooms.len() - 1
        } else {
            physical[index(&mut rng, physical.len())]
        };
        series.push(Series {
            id: format!("s{:0swidth$}", i + 1),
            title: SERIES_TITLES[index(&mut rng, SERIES_TITLES.len())].into(),
            rrule,
            dtstart: at(first, tod),
            duration_minutes: duration,
            attendees: attendees.iter().map(|p| people[*p].id.clone()).collect(),
            room: Some(rooms[room].id.clone()),
            holiday_policy: if chance(&mut rng, 50) {
                HolidayPolicy::Skip
            } else {
                HolidayPolicy::NextWorkingDay
            },
        });
    }

    // Meetings.
    let n_meetings = config.meetings;
    let mwidth = n_meetings.to_string().len().max(3);
    let last_day = cal.end().pred_opt().unwrap_or(cal.start);
    let mut meetings = Vec::with_capacity(n_meetings);
    let n_impossible = config.unplaceable.min(n_meetings);
    for i in 0..n_meetings {
        let id = format!("m{:0mwidth$}", i + 1);
        let (kind, req, mut pref, dur, prio) = meeting_people(&mut rng, &staff);
        let mut needs_physical = chance(&mut rng, config.physical_percent);
        if needs_physical && req.len() as u32 > max_cap {
            needs_physical = false;
        }
        if needs_physical {
            pref.truncate((max_cap as usize).saturating_sub(req.len()));
        }
        let seats = (req.len() + pref.len()) as u32;
        let rooms_choice = room_choice(&mut rng, &rooms, seats, needs_physical);
        let (mut earliest, mut latest) = (None, None);
        if chance(&mut rng, config.window_percent) && !cal.business.is_empty() {
            let len = between(&mut rng, config.window_days.0, config.window_days.1);
            let room = cal.days.saturating_sub(len + 1);
            let from = add_days(cal.start, between(&mut rng, 0, room));
            let from = cal
                .business
                .iter()
                .copied()
                .find(|d| *d >= from)
                .unwrap_or(cal.business[0]);
            let to = add_days(from, len).min(last_day);
            earliest = Some(at(from, 8 * 60));
            latest = Some(at(to, 18 * 60));
        }
        meetings.push(Meeting {
            id: id.clone(),
            title: format!("{kind} {id}"),
            duration_minutes: dur,
            required: req.iter().map(|p| people[*p].id.clone()).collect(),
            preferred: pref.iter().map(|p| people[*p].id.clone()).collect(),
            earliest,
            latest,
            rooms: rooms_choice,
            needs_physical,
            pinned: None,
            priority: prio.max(1),
        });
    }

    // Meetings that cannot be placed: a practice core group whose two-day window falls on
    // one member's study day and another's training day.
    let mut impossible = Vec::new();
    for k in 0..n_impossible {
        let m = n_meetings - 1 - k * (n_meetings / n_impossible.max(1)).max(1);
        if impossible.contains(&m) || cal.business.len() < 2 {
            continue;
        }
        let practice = staff.practices[index(&mut rng, staff.practices.len())];
        let (a, b, c) = (practice[0], practice[1], practice[2]);
        let i = index(&mut rng, cal.business.len() - 1);
        let (d1, d2) = (cal.business[i], cal.business[i + 1]);
        people[a].busy.push(whole_days(d1, 1, "study day"));
        people[b].busy.push(whole_days(d2, 1, "training day"));
        let meeting = &mut meetings[m];
        meeting.title = format!("Core group {}", meeting.id);
        meeting.duration_minutes = 60;
        meeting.required = [a, b, c].iter().map(|p| people[*p].id.clone()).collect();
        meeting.preferred.clear();
        meeting.earliest = Some(at(d1, 8 * 60));
        meeting.latest = Some(at(d2, 18 * 60));
        meeting.rooms = RoomChoice::Any;
        meeting.needs_physical = false;
        meeting.priority = 8;
        impossible.push(m);
    }

    let mut inst = Instance {
        name: config.name.clone(),
        horizon: cal.horizon(),
        people,
        rooms,
        meetings,
        series,
        previous: None,
    };

    // Pins, at free slots of meetings spread over the list.
    let candidates: Vec<usize> = (0..n_meetings)
        .filter(|m| !impossible.contains(m))
        .collect();
    let targets = sample(&mut rng, &candidates, config.pinned);
    pin_meetings(&mut rng, &mut inst, &targets, true);
    inst
}

/// The format's S2 scenario from an instance and a plan for it: the plan becomes
/// `previous`; `sick` people (mostly people with meetings in the first fortnight) are off for
/// whole days in the first week; one physical room closes for `closed_room_days` from the
/// Monday after the horizon starts; `urgent` meetings of priority `urgent_priority`, each with
/// a free slot for its required people, must end within `urgent_hours` of the first business
/// morning; a pinned meeting whose pin the sickness or closure breaks is unpinned.
///
/// # Errors
///
/// None.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{evaluate, solve, SolveOptions};
/// use carecoord::synth::{schedule_disruption, schedule_instance, DisruptionConfig, ScheduleInstanceConfig};
///
/// let base = schedule_instance(&ScheduleInstanceConfig { meetings: 15, ..ScheduleInstanceConfig::month(2) });
/// let plan = solve(&base, &SolveOptions::default())?;
/// let s2 = schedule_disruption(&base, &plan, &DisruptionConfig::default());
/// assert_eq!(s2.meetings.len(), 20);
/// assert_eq!(s2.previous.as_ref().unwrap().assignments, plan.assignments);
/// let replan = solve(&s2, &SolveOptions::default())?;
/// assert!(evaluate(&s2, &replan)?.feasible);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn schedule_disruption(
    instance: &Instance,
    plan: &Solution,
    config: &DisruptionConfig,
) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut inst = instance.clone();
    inst.name = if config.name.is_empty() {
        format!("{}-disrupted", instance.name)
    } else {
        config.name.clone()
    };
    inst.previous = Some(Previous {
        assignments: plan.assignments.clone(),
    });
    let h = &instance.horizon;
    let cal = Cal {
        start: h.start,
        days: h.days,
        holidays: h.bank_holidays.clone(),
        business: (0..h.days)
            .map(|i| add_days(h.start, i))
            .filter(|d| d.weekday().num_days_from_monday() < 5 && !h.bank_holidays.contains(d))
            .collect(),
    };
    let first_business = cal.business.first().copied().unwrap_or(h.start);

    // Sickness: people with meetings in the first fortnight first.
    let fortnight = at(add_days(h.start, 14), 0);
    let mut busy_early: Vec<usize> = Vec::new();
    for a in &plan.assignments {
        if a.start >= fortnight {
            continue;
        }
        if let Some(m) = instance.meetings.iter().find(|m| m.id == a.meeting) {
            for p in &m.required {
                if let Some(i) = instance.people.iter().position(|x| &x.id == p) {
                    if !busy_early.contains(&i) {
                        busy_early.push(i);
                    }
                }
            }
        }
    }
    busy_early.sort_unstable();
    let mut sick = sample(&mut rng, &busy_early, config.sick);
    let others: Vec<usize> = (0..inst.people.len())
        .filter(|p| !sick.contains(p))
        .collect();
    let more = config.sick.saturating_sub(sick.len());
    sick.extend(sample(&mut rng, &others, more));
    let mut sick_spans: Vec<(String, NaiveDateTime, NaiveDateTime)> = Vec::new();
    for p in sick {
        let from = add_days(first_business, between(&mut rng, 1, 4));
        let len = between(&mut rng, config.sick_days.0.max(1), config.sick_days.1);
        let b = whole_days(from, len, "sick");
        sick_spans.push((inst.people[p].id.clone(), b.start, b.end));
        inst.people[p].busy.push(b);
    }

    // One physical room closed for most of the second week.
    let physical: Vec<usize> = (0..inst.rooms.len())
        .filter(|r| !inst.rooms[*r].is_virtual)
        .collect();
    let mut closed: Option<(String, NaiveDateTime, NaiveDateTime)> = None;
    if !physical.is_empty() && config.closed_room_days > 0 {
        let r = physical[index(&mut rng, physical.len())];
        let monday = first_on_or_after(add_days(h.start, 1), Weekday::Mon);
        let (a, b) = (
            at(monday, 0),
            at(add_days(monday, config.closed_room_days), 0),
        );
        inst.rooms[r].unavailable.push(Unavailable {
            start: a,
            end: b,
            reason: Some("closed".into()),
        });
        closed = Some((inst.rooms[r].id.clone(), a, b));
    }

    // Pins the disruption breaks are released.
    for m in &mut inst.meetings {
        let Some(pin) = &m.pinned else { continue };
        let (a, b) = (
            pin.start,
            pin.start + TimeDelta::minutes(i64::from(m.duration_minutes)),
        );
        let sick_hit = sick_spans
            .iter()
            .any(|(p, s, e)| m.required.contains(p) && a < *e && *s < b);
        let room_hit = closed
            .as_ref()
            .is_some_and(|(r, s, e)| &pin.room == r && a < *e && *s < b);
        if sick_hit || room_hit {
            m.pinned = None;
        }
    }

    // Urgent meetings in the first 48 hours, each with a free slot for its required people.
    let earliest = at(first_business, h.day_start);
    let latest = earliest + TimeDelta::hours(i64::from(config.urgent_hours));
    let all: Vec<usize> = (0..inst.people.len()).collect();
    let discharge: Vec<usize> = all
        .iter()
        .copied()
        .filter(|p| inst.people[*p].role.as_deref() == Some("Discharge lead"))
        .collect();
    let social: Vec<usize> = all
        .iter()
        .copied()
        .filter(|p| inst.people[*p].role.as_deref() == Some("Social worker"))
        .collect();
    let mut next_id = 1;
    for _ in 0..config.urgent {
        let diary = Diary::new(&inst).ok();
        let mut made = None;
        for _try in 0..30 {
            let safeguarding = chance(&mut rng, 20);
            let mut req = Vec::new();
            let lead = if safeguarding { &social } else { &discharge };
            add_from(&mut rng, lead, 1, &[], &mut req);
            let k = between(&mut rng, 1, 3) as usize;
            add_from(&mut rng, &all, k, &[], &mut req);
            let mut pref = Vec::new();
            let k = between(&mut rng, 0, 2) as usize;
            add_from(&mut rng, &all, k, &req, &mut pref);
            let dur = if chance(&mut rng, 75) { 45 } else { 30 };
            let needs_physical = chance(&mut rng, 40);
            let ids = |v: &[usize]| -> Vec<String> {
                v.iter().map(|p| inst.people[*p].id.clone()).collect()
            };
            let (req_ids, pref_ids) = (ids(&req), ids(&pref));
            let free = diary.as_ref().is_some_and(|d| {
                let r: Vec<&str> = req_ids.iter().map(String::as_str).collect();
                let filter = RoomFilter {
                    rooms: RoomChoice::Any,
                    needs_physical,
                };
                d.earliest_common_slot(
                    &r,
                    &[],
                    dur,
                    Some(Window {
                        earliest: Some(earliest),
                        latest: Some(latest),
                    }),
                    Some(&filter),
                )
                .ok()
                .flatten()
                .is_some()
            });
            if free {
                made = Some((safeguarding, req_ids, pref_ids, dur, needs_physical));
                break;
            }
        }
        let Some((safeguarding, required, preferred, dur, needs_physical)) = made else {
            continue;
        };
        let id = loop {
            let id = format!("u{next_id:02}");
            next_id += 1;
            let taken = inst.people.iter().any(|x| x.id == id)
                || inst.rooms.iter().any(|x| x.id == id)
                || inst.meetings.iter().any(|x| x.id == id)
                || inst.series.iter().any(|x| x.id == id);
            if !taken {
                break id;
            }
        };
        let kind = if safeguarding {
            "Urgent safeguarding strategy"
        } else {
            "Urgent discharge planning"
        };
        inst.meetings.push(Meeting {
            id: id.clone(),
            title: format!("{kind} {id}"),
            duration_minutes: dur,
            required,
            preferred,
            earliest: Some(earliest),
            latest: Some(latest),
            rooms: RoomChoice::Any,
            needs_physical,
            pinned: None,
            priority: config.urgent_priority.max(1),
        });
    }
    inst
}

/// A month of care-coordination meetings for a synthetic locality, for the demo: per week a
/// practice MDT for each `SYN` practice (GP, care coordinator and the practice's community
/// matron required; practice nurse, district nurse, social worker and pharmacist preferred);
/// a fortnightly integrated locality review (90 minutes, in the hub seminar room);
/// safeguarding core groups due within ten days; and fixed series: a daily discharge-leads
/// huddle (video, 08:30), a weekly care-home ward round and the palliative care (GSF) meeting
/// on the second Tuesday of the month.
///
/// Person ids read as their role: `syn003-gp`, `syn003-pn`, `syn003-cc` for a practice's GP,
/// practice nurse and care coordinator; `cm1`, `dn2`, `sw1`, `mh1`, `ot1`, `pt1`, `ph1`,
/// `pc1`, `dl1`, ... for community matrons, district nurses, social workers, mental health,
/// occupational therapy, physiotherapy, pharmacy, palliative care and discharge leads.
///
/// # Errors
///
/// None.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{evaluate, solve, SolveOptions};
/// use carecoord::synth::{locality_month, LocalityMonthConfig};
///
/// let inst = locality_month(&LocalityMonthConfig::default());
/// assert_eq!(inst.meetings.iter().filter(|m| m.id.starts_with("mdt-")).count(), 40);
/// assert!(inst.people.iter().any(|p| p.practice.as_deref() == Some("SYN010")));
/// let plan = solve(&inst, &SolveOptions::default())?;
/// let e = evaluate(&inst, &plan)?;
/// assert!(e.feasible && plan.unplaced.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn locality_month(config: &LocalityMonthConfig) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let weeks = config.weeks.max(1);
    let cal = Cal::new(config.start, 7 * weeks);
    let n_practices = config.practices.max(1);
    // Community teams scale with the number of practices: one matron, district nurse and
    // social worker per five practices (at least two of each).
    let teams = n_practices.div_ceil(5).max(2);

    let mut people: Vec<Person> = Vec::new();
    let add = |rng: &mut ChaCha8Rng,
               people: &mut Vec<Person>,
               id: String,
               role: &str,
               practice: Option<String>,
               busy: (u32, u32)| {
        // Some GPs and practice nurses work part time; community staff, who hold the
        // standing meetings, work Monday to Friday.
        let working = if role == "GP" || role == "Practice nurse" {
            working_days(rng, 20)
        } else {
            WEEKDAYS.to_vec()
        };
        let share = between(rng, busy.0, busy.1);
        let b = diary(rng, &cal, &working, role, share, 0);
        people.push(Person {
            id,
            role: Some(role.into()),
            practice,
            working_days: working,
            busy: b,
        });
        people.len() - 1
    };
    let mut practice_staff: Vec<(String, [usize; 3])> = Vec::new();
    for i in 1..=n_practices {
        let code = format!("SYN{i:03}");
        let low = code.to_lowercase();
        let gp = add(
            &mut rng,
            &mut people,
            format!("{low}-gp"),
            "GP",
            Some(code.clone()),
            (25, 35),
        );
        let pn = add(
            &mut rng,
            &mut people,
            format!("{low}-pn"),
            "Practice nurse",
            Some(code.clone()),
            (20, 30),
        );
        let cc = add(
            &mut rng,
            &mut people,
            format!("{low}-cc"),
            "Care coordinator",
            Some(code.clone()),
            (15, 25),
        );
        practice_staff.push((code, [gp, pn, cc]));
    }
    let team =
        |rng: &mut ChaCha8Rng, people: &mut Vec<Person>, prefix: &str, role: &str, n: usize| {
            (1..=n)
                .map(|k| add(rng, people, format!("{prefix}{k}"), role, None, (15, 30)))
                .collect::<Vec<usize>>()
        };
    let cm = team(&mut rng, &mut people, "cm", "Community matron", teams);
    let dn = team(&mut rng, &mut people, "dn", "District nurse", teams);
    let sw = team(&mut rng, &mut people, "sw", "Social worker", teams);
    let mh = team(&mut rng, &mut people, "mh", "Mental health practitioner", 1);
    let ot = team(&mut rng, &mut people, "ot", "Occupational therapist", 1);
    let pt = team(&mut rng, &mut people, "pt", "Physiotherapist", 1);
    let ph = team(&mut rng, &mut people, "ph", "Clinical pharmacist", 1);
    let pc = team(&mut rng, &mut people, "pc", "Palliative care nurse", 1);
    let dl = team(&mut rng, &mut people, "dl", "Discharge lead", 2);
    let id = |p: usize, people: &[Person]| people[p].id.clone();

    let rooms = vec![
        Room {
            id: "hub".into(),
            name: Some("Locality hub seminar room".into()),
            capacity: Some(14),
            is_virtual: false,
            unavailable: maintenance(&mut rng, &cal, 1),
        },
        Room {
            id: "hc1".into(),
            name: Some("Health centre meeting room".into()),
            capacity: Some(8),
            is_virtual: false,
            unavailable: maintenance(&mut rng, &cal, 1),
        },
        Room {
            id: "base".into(),
            name: Some("Community team base".into()),
            capacity: Some(6),
            is_virtual: false,
            unavailable: Vec::new(),
        },
        Room {
            id: "video".into(),
            name: Some("Video call (Teams)".into()),
            capacity: None,
            is_virtual: true,
            unavailable: Vec::new(),
        },
    ];

    // Fixed series.
    let monday = if config.start.weekday() == Weekday::Mon {
        config.start
    } else {
        first_on_or_after(config.start, Weekday::Mon) - Days::new(7)
    };
    let second_tuesday = {
        let (y, m) = (config.start.year(), config.start.month());
        let d = nth_weekday(y, m, Weekday::Tue, 2).unwrap_or(config.start);
        if d < config.start {
            let (y2, m2) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            nth_weekday(y2, m2, Weekday::Tue, 2).unwrap_or(config.start)
        } else {
            d
        }
    };
    let series = vec![
        Series {
            id: "huddle-discharge".into(),
            title: "Discharge leads huddle".into(),
            rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into(),
            dtstart: at(monday, 8 * 60 + 30),
            duration_minutes: 30,
            attendees: vec![id(dl[0], &people), id(dl[1], &people), id(cm[0], &people)],
            room: Some("video".into()),
            holiday_policy: HolidayPolicy::Skip,
        },
        Series {
            id: "carehome-round".into(),
            title: "Care home ward round".into(),
            rrule: "FREQ=WEEKLY;BYDAY=TH".into(),
            dtstart: at(first_on_or_after(monday, Weekday::Thu), 10 * 60),
            duration_minutes: 120,
            attendees: vec![id(cm[teams - 1], &people), id(ph[0], &people)],
            room: None,
            holiday_policy: HolidayPolicy::NextWorkingDay,
        },
        Series {
            id: "gsf-monthly".into(),
            title: "Palliative care (GSF) meeting".into(),
            rrule: "FREQ=MONTHLY;BYDAY=2TU".into(),
            dtstart: at(second_tuesday, 13 * 60),
            duration_minutes: 60,
            attendees: vec![id(pc[0], &people), id(dn[0], &people), id(dn[1], &people)],
            room: Some("hc1".into()),
            holiday_policy: HolidayPolicy::NextWorkingDay,
        },
    ];

    let mut meetings = Vec::new();
    let window = |from: NaiveDate, days: u32| -> (NaiveDateTime, NaiveDateTime) {
        let last = add_days(from, days.max(1) - 1).min(cal.end().pred_opt().unwrap_or(from));
        (at(from, 8 * 60), at(last, 18 * 60))
    };
    // Weekly practice MDTs.
    for w in 0..weeks {
        let from = add_days(config.start, 7 * w);
        let (earliest, latest) = window(from, 5);
        for (k, (code, [gp, pn, cc])) in practice_staff.iter().enumerate() {
            let team_i = k % teams;
            let mid = format!("mdt-{}-w{}", code.to_lowercase(), w + 1);
            meetings.push(Meeting {
                id: mid,
                title: format!("Practice MDT {code} (week {})", w + 1),
                duration_minutes: 60,
                required: vec![id(*gp, &people), id(*cc, &people), id(cm[team_i], &people)],
                preferred: vec![
                    id(*pn, &people),
                    id(dn[team_i], &people),
                    id(sw[team_i], &people),
                    id(ph[0], &people),
                ],
                earliest: Some(earliest),
                latest: Some(latest),
                rooms: RoomChoice::Any,
                needs_physical: k % 3 == 0,
                pinned: None,
                priority: 8,
            });
        }
    }
    // Fortnightly integrated locality reviews.
    let lead_gp = practice_staff[0].1[0];
    for f in 0..weeks.div_ceil(2) {
        let from = add_days(config.start, 14 * f);
        let (earliest, latest) = window(from, 12);
        meetings.push(Meeting {
            id: format!("ilr-{}", f + 1),
            title: format!("Integrated locality review {}", f + 1),
            duration_minutes: 90,
            required: vec![
                id(lead_gp, &people),
                id(cm[0], &people),
                id(sw[0], &people),
                id(mh[0], &people),
                id(dl[0], &people),
            ],
            preferred: vec![
                id(cm[1], &people),
                id(ot[0], &people),
                id(pt[0], &people),
                id(ph[0], &people),
                id(pc[0], &people),
            ],
            earliest: Some(earliest),
            latest: Some(latest),
            rooms: RoomChoice::Only(vec!["hub".into(), "video".into()]),
            needs_physical: true,
            pinned: None,
            priority: 10,
        });
    }
    // Safeguarding core groups, each due within ten days of a random day.
    for g in 0..config.core_groups {
        let k = index(&mut rng, practice_staff.len());
        let (_, [gp, pn, cc]) = &practice_staff[k];
        let team_i = k % teams;
        let from = add_days(
            config.start,
            between(&mut rng, 0, (7 * weeks).saturating_sub(10)),
        );
        let from = cal
            .business
            .iter()
            .copied()
            .find(|d| *d >= from)
            .unwrap_or(config.start);
        let (earliest, latest) = window(from, 10);
        meetings.push(Meeting {
            id: format!("cg-{:02}", g + 1),
            title: format!("Safeguarding core group {}", g + 1),
            duration_minutes: 60,
            required: vec![
                id(sw[team_i], &people),
                id(*gp, &people),
                id(*cc, &people),
                id(dn[team_i], &people),
            ],
            preferred: vec![id(mh[0], &people), id(*pn, &people)],
            earliest: Some(earliest),
            latest: Some(latest),
            rooms: RoomChoice::Any,
            needs_physical: false,
            pinned: None,
            priority: 9,
        });
    }
    // The first locality review is already booked: pinned at a free slot.
    let mut inst = Instance {
        name: format!("locality-month-{}", config.start.format("%Y-%m-%d")),
        horizon: cal.horizon(),
        people,
        rooms,
        meetings,
        series,
        previous: None,
    };
    // Diaries already hold the standing meetings: no clinic is booked over them.
    let occurrences = series_occurrences(&inst).unwrap_or_default();
    for person in &mut inst.people {
        let mine: Vec<(NaiveDateTime, NaiveDateTime)> = occurrences
            .iter()
            .filter(|o| {
                inst.series
                    .iter()
                    .any(|s| s.id == o.series && s.attendees.contains(&person.id))
            })
            .map(|o| (o.start, o.end))
            .collect();
        person
            .busy
            .retain(|b| !mine.iter().any(|(s, e)| b.start < *e && *s < b.end));
    }
    if let Some(first) = inst.meetings.iter().position(|m| m.id == "ilr-1") {
        pin_meetings(&mut rng, &mut inst, &[first], false);
    }
    inst
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schedule::{evaluate, solve, SolveOptions};

    fn quick() -> SolveOptions {
        SolveOptions {
            time_limit: Some(Duration::from_millis(400)),
            seed: 0,
        }
    }

    /// Solves and checks the plan as the reference evaluator would: feasible, nothing
    /// placeable left unplaced, every unplaced meeting explained.
    fn check_plan(inst: &Instance) -> Solution {
        let plan = solve(inst, &quick()).expect("generated instances solve");
        let e = evaluate(inst, &plan).expect("evaluates");
        assert!(e.feasible, "{}: {:?}", inst.name, e.violations);
        assert!(e.warnings.is_empty(), "{}: {:?}", inst.name, e.warnings);
        plan
    }

    #[test]
    fn same_seed_same_instance_other_seed_other_instance() {
        let c = ScheduleInstanceConfig::month(11);
        let a = schedule_instance(&c);
        assert_eq!(a, schedule_instance(&c));
        assert_eq!(a.to_json(), schedule_instance(&c).to_json());
        let b = schedule_instance(&ScheduleInstanceConfig::month(12));
        assert_ne!(a.people, b.people);
        assert_ne!(a.meetings, b.meetings);
        let l = LocalityMonthConfig::default();
        assert_eq!(locality_month(&l), locality_month(&l));
    }

    #[test]
    fn same_seed_same_bytes_on_every_machine() {
        // CRC-32 of the JSON of three presets. A change here means the same seed now draws a
        // different instance, so the figures in BENCHMARKS.md were taken on other instances:
        // rerun `make bench-schedule` and update both. (The pins use `Diary::free_slots`, so
        // a change in what it returns shows up here too.)
        let crc = |inst: &Instance| crc32fast::hash(inst.to_json().as_bytes());
        let month = schedule_instance(&ScheduleInstanceConfig::month(1));
        let locality = locality_month(&LocalityMonthConfig::default());
        let year = schedule_instance(&ScheduleInstanceConfig::year(1));
        assert_eq!(
            [crc(&month), crc(&locality), crc(&year)],
            [1_290_942_480, 1_522_039_660, 1_234_487_712],
            "update the figures if the generator changed on purpose"
        );
    }

    #[test]
    fn month_has_the_s1_shape_and_round_trips() {
        let inst = schedule_instance(&ScheduleInstanceConfig::month(1));
        inst.validate().expect("valid");
        assert_eq!(Instance::from_json(&inst.to_json()).expect("reads"), inst);
        assert_eq!(
            inst.horizon.bank_holidays,
            [
                NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
                NaiveDate::from_ymd_opt(2026, 4, 6).unwrap()
            ]
        );
        assert_eq!(
            inst.meetings.iter().filter(|m| m.pinned.is_some()).count(),
            2
        );
        let roles: Vec<&str> = inst
            .people
            .iter()
            .filter_map(|p| p.role.as_deref())
            .collect();
        assert_eq!(roles.iter().filter(|r| **r == "GP").count(), 10);
        assert_eq!(roles.iter().filter(|r| **r == "Discharge lead").count(), 2);
        // 20-40 % of working time busy on average (allowing for the per-day spread).
        for p in &inst.people {
            let minutes: i64 = p.busy.iter().map(|b| (b.end - b.start).num_minutes()).sum();
            let days = 23 * p.working_days.len() as i64 / 5;
            let share = 100 * minutes / (600 * days);
            assert!((8..=60).contains(&share), "{}: {share}%", p.id);
        }
        for m in &inst.meetings {
            let seats = (m.required.len() + m.preferred.len()) as u32;
            if m.needs_physical {
                assert!(seats <= 14, "{}", m.id);
            }
        }
    }

    #[test]
    fn month_and_bigger_instances_solve_with_no_hard_violation() {
        for seed in 1..=2 {
            let inst = schedule_instance(&ScheduleInstanceConfig::month(seed));
            check_plan(&inst);
        }
        let big = ScheduleInstanceConfig {
            people: 80,
            rooms: 6,
            meetings: 120,
            series: 10,
            pinned: 4,
            name: "big".into(),
            ..ScheduleInstanceConfig::month(5)
        };
        check_plan(&schedule_instance(&big));
    }

    #[test]
    fn year_has_an_unplaceable_meeting_that_the_solver_explains() {
        let inst = schedule_instance(&ScheduleInstanceConfig::year(1));
        inst.validate().expect("valid");
        assert_eq!(Instance::from_json(&inst.to_json()).expect("reads"), inst);
        assert_eq!(inst.horizon.bank_holidays.len(), 8);
        let study = inst
            .people
            .iter()
            .flat_map(|p| &p.busy)
            .filter(|b| b.label.as_deref() == Some("study day"))
            .count();
        assert_eq!(study, 1);
        let plan = check_plan(&inst);
        let last = &inst.meetings[inst.meetings.len() - 1];
        let u = plan
            .unplaced
            .iter()
            .find(|u| u.meeting == last.id)
            .expect("the impossible meeting stays unplaced");
        assert!(!u.conflicts.is_empty());
    }

    #[test]
    fn disruption_has_the_s2_shape_and_replans() {
        let base = schedule_instance(&ScheduleInstanceConfig::month(1));
        let plan = solve(&base, &quick()).expect("solves");
        let s2 = schedule_disruption(&base, &plan, &DisruptionConfig::default());
        s2.validate().expect("valid");
        assert_eq!(Instance::from_json(&s2.to_json()).expect("reads"), s2);
        assert_eq!(s2.name, "month-seed1-disrupted");
        assert_eq!(
            s2.previous.as_ref().map(|p| p.assignments.len()),
            Some(plan.assignments.len())
        );
        let urgent: Vec<&Meeting> = s2.meetings.iter().filter(|m| m.priority == 20).collect();
        assert_eq!(urgent.len(), 5);
        for m in &urgent {
            let (a, b) = (m.earliest.unwrap(), m.latest.unwrap());
            assert_eq!((b - a).num_hours(), 48);
            assert_eq!(a.date(), base.horizon.start);
        }
        let sick = s2
            .people
            .iter()
            .filter(|p| p.busy.iter().any(|b| b.label.as_deref() == Some("sick")))
            .count();
        assert_eq!(sick, 3);
        let closed = s2
            .rooms
            .iter()
            .filter(|r| {
                r.unavailable
                    .iter()
                    .any(|u| u.reason.as_deref() == Some("closed"))
            })
            .count();
        assert_eq!(closed, 1);
        let replan = check_plan(&s2);
        for m in &urgent {
            assert!(
                replan.assignments.iter().any(|a| a.meeting == m.id),
                "{}",
                m.id
            );
        }
        assert_eq!(
            schedule_disruption(&base, &plan, &DisruptionConfig::default()),
            s2
        );
    }

    #[test]
    fn locality_month_is_a_care_coordination_month() {
        let inst = locality_month(&LocalityMonthConfig::default());
        inst.validate().expect("valid");
        assert_eq!(Instance::from_json(&inst.to_json()).expect("reads"), inst);
        assert_eq!(
            inst.horizon.bank_holidays,
            [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()]
        );
        let codes: Vec<&str> = inst
            .people
            .iter()
            .filter_map(|p| p.practice.as_deref())
            .collect();
        assert!(codes.contains(&"SYN001") && codes.contains(&"SYN010"));
        let count = |prefix: &str| {
            inst.meetings
                .iter()
                .filter(|m| m.id.starts_with(prefix))
                .count()
        };
        assert_eq!((count("mdt-"), count("ilr-"), count("cg-")), (40, 2, 5));
        assert!(inst.meetings.iter().any(|m| m.pinned.is_some()));
        let plan = check_plan(&inst);
        assert!(plan.unplaced.is_empty(), "{:?}", plan.unplaced);
        // Standing meetings are in the diaries already: no clinic clashes with them.
        assert!(
            plan.series_conflicts.is_empty(),
            "{:?}",
            plan.series_conflicts
        );
        // Another start date and size.
        let other = locality_month(&LocalityMonthConfig {
            start: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            practices: 4,
            weeks: 2,
            ..LocalityMonthConfig::default()
        });
        assert_eq!(other.horizon.days, 14);
        check_plan(&other);
    }
}
