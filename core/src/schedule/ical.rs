//! iCalendar (RFC 5545) export of a plan: one `VEVENT` per placed meeting and one recurring
//! `VEVENT` per series, with attendees and the `Europe/London` time zone.
//!
//! Series keep their `RRULE` and `DTSTART` (local time with `TZID=Europe/London`, so a
//! weekly 09:00 meeting stays at 09:00 across clock changes, format §4). The holiday policy
//! becomes exceptions: an occurrence on a weekend or listed bank holiday is removed with
//! `EXDATE` (`skip`), or moved by an overriding `VEVENT` with the same `UID` and a
//! `RECURRENCE-ID` (`next_working_day`); a moved occurrence that lands on another
//! occurrence's start is removed instead, as format §4 collapses the two. Exceptions are
//! written from `DTSTART` to the end of the horizon: the instance lists bank holidays only
//! inside it, so later occurrences follow the bare rule. Expanded between the horizon's
//! dates, each series gives exactly [`series_occurrences`](super::series_occurrences).
//!
//! `UNTIL` is written in UTC (`...Z`), as RFC 5545 §3.3.10 requires with a `TZID` start; the
//! format writes it in local time. Lines end CRLF and are folded at 75 octets without
//! splitting a UTF-8 character; text values escape `\`, `;`, `,` and line breaks.
//! `DTSTAMP` comes from the options, so the same input always gives the same text. Only
//! staff ids, titles and room names appear; no patient identifier is written.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rustc_hash::FxHashMap;

use super::agenda::add_minutes;
use super::format::{HolidayPolicy, Instance, Room, Solution};
use super::rrule::Rrule;
use super::time::{is_real_local, local_to_utc};
use super::ScheduleError;

/// Options of [`to_icalendar`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::IcalOptions;
///
/// let o = IcalOptions::default();
/// assert_eq!(o.domain, "carecoord.invalid");
/// assert_eq!(o.prodid, "-//carecoord//schedule v1//EN");
/// assert_eq!((o.dtstamp, o.sequence), (None, 0));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcalOptions {
    /// Domain of the `UID`s (`<meeting or series id>@<domain>`) and of attendees' default
    /// addresses. Letters, digits, `.` and `-` only. Default `carecoord.invalid`.
    pub domain: String,
    /// `PRODID` of the calendar.
    pub prodid: String,
    /// `DTSTAMP` of every event, a UTC date-time; `None` means midnight UTC on the first
    /// date of the horizon.
    pub dtstamp: Option<NaiveDateTime>,
    /// `SEQUENCE` of every event: raise it when re-sending a changed plan.
    pub sequence: u32,
    /// Email address of each person id; people not listed get
    /// `mailto:<id>@<domain>`.
    pub addresses: BTreeMap<String, String>,
}

impl Default for IcalOptions {
    fn default() -> Self {
        Self {
            domain: "carecoord.invalid".into(),
            prodid: "-//carecoord//schedule v1//EN".into(),
            dtstamp: None,
            sequence: 0,
            addresses: BTreeMap::new(),
        }
    }
}

/// The `VTIMEZONE` of `Europe/London`: BST from 01:00 GMT on the last Sunday of March to
/// 02:00 BST on the last Sunday of October (format §1.1).
const VTIMEZONE: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZNAME:BST",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZNAME:GMT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The plan as iCalendar text: `VCALENDAR` (`VERSION:2.0`, `PRODID`, `CALSCALE`), the
/// `Europe/London` `VTIMEZONE`, one `VEVENT` per placed meeting (in instance order) and one
/// recurring `VEVENT` per series with its `EXDATE`s and overriding `VEVENT`s (see the
/// module documentation).
///
/// Each event has `UID` (`<id>@<domain>`), `DTSTAMP`, `SEQUENCE`, `DTSTART`/`DTEND` with
/// `TZID=Europe/London`, `SUMMARY` (the title, or the id if it has none), `LOCATION` (the
/// room's name, or its id) and one `ATTENDEE` per person with `ROLE=REQ-PARTICIPANT`
/// (required people, series attendees) or `ROLE=OPT-PARTICIPANT` (preferred people) and
/// `CN` = the person id (the format has no names). Unplaced meetings are left out.
///
/// # Errors
///
/// Any error of [`Instance::validate`]; [`ScheduleError::UnknownId`]
/// (`assignments[i].meeting` / `.room`) for an assignment naming an unknown meeting or room;
/// [`ScheduleError::DuplicateEntry`] (`assignments[i].meeting`) for a meeting placed twice;
/// [`ScheduleError::InvalidTime`] (`assignments[i].start`) for a start that does not exist
/// on the local clock; [`ScheduleError::InvalidField`] (`options.domain`) for a domain with
/// other characters.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{to_icalendar, IcalOptions, Instance, Solution};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
///   "rooms": [{"id": "virt", "virtual": true}],
///   "meetings": [{"id": "m1", "title": "MDT", "duration_minutes": 30, "required": ["p1"]}]}"#)?;
/// let plan = Solution::from_json(r#"{"assignments": [{"meeting": "m1", "start": "2026-03-24T09:00", "room": "virt"}]}"#)?;
/// let ics = to_icalendar(&inst, &plan, &IcalOptions::default())?;
/// assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
/// assert!(ics.contains("\r\nUID:m1@carecoord.invalid\r\nDTSTAMP:20260323T000000Z\r\n"));
/// assert!(ics.contains("\r\nDTSTART;TZID=Europe/London:20260324T090000\r\n"));
/// assert!(ics.contains("\r\nATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1@carecoord.invalid\r\n"));
/// assert!(ics.ends_with("END:VCALENDAR\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_icalendar(
    instance: &Instance,
    solution: &Solution,
    options: &IcalOptions,
) -> Result<String, ScheduleError> {
    instance.validate()?;
    if options.domain.is_empty()
        || !options
            .domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(ScheduleError::InvalidField {
            path: "options.domain".into(),
            reason: "must be a domain name: letters, digits, `.` and `-`".into(),
        });
    }
    let meetings: FxHashMap<&str, usize> = instance
        .meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let rooms: FxHashMap<&str, &Room> = instance.rooms.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut placed: Vec<Option<(NaiveDateTime, &Room)>> = vec![None; instance.meetings.len()];
    for (i, a) in solution.assignments.iter().enumerate() {
        let Some(&m) = meetings.get(a.meeting.as_str()) else {
            return Err(ScheduleError::UnknownId {
                path: format!("assignments[{i}].meeting"),
                kind: "meeting",
            });
        };
        let Some(&room) = rooms.get(a.room.as_str()) else {
            return Err(ScheduleError::UnknownId {
                path: format!("assignments[{i}].room"),
                kind: "room",
            });
        };
        if placed[m].is_some() {
            return Err(ScheduleError::DuplicateEntry {
                path: format!("assignments[{i}].meeting"),
                what: "assignment",
            });
        }
        if !is_real_local(a.start) {
            return Err(ScheduleError::InvalidTime {
                path: format!("assignments[{i}].start"),
                reason: "does not exist on the local clock (clock change)".into(),
            });
        }
        placed[m] = Some((a.start, room));
    }

    let stamp = options
        .dtstamp
        .unwrap_or_else(|| instance.horizon.start.and_time(chrono::NaiveTime::MIN));
    let w = Writer {
        options,
        dtstamp: format!("{}Z", stamp.format("%Y%m%dT%H%M%S")),
    };
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:{}", text(&options.prodid)),
        "CALSCALE:GREGORIAN".into(),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| l.to_string()));
    for (m, p) in instance.meetings.iter().zip(&placed) {
        let Some((start, room)) = p else { continue };
        let ev = Event {
            uid: &m.id,
            title: &m.title,
            start: *start,
            end: add_minutes(*start, m.duration_minutes),
            location: Some(room_label(room)),
            required: &m.required,
            preferred: &m.preferred,
        };
        w.event(&mut lines, &ev, &[]);
    }
    let h_end = instance.horizon.start + chrono::Days::new(u64::from(instance.horizon.days));
    let holidays: BTreeSet<NaiveDate> = instance.horizon.bank_holidays.iter().copied().collect();
    for (i, s) in instance.series.iter().enumerate() {
        let rule = Rrule::parse(&s.rrule).map_err(|e| e.at(&format!("series[{i}].rrule")))?;
        let location = s.room.as_deref().map(|r| {
            rooms
                .get(r)
                .map_or_else(|| r.to_string(), |r| room_label(r))
        });
        let (exdates, moved) = exceptions(&rule, s.dtstart, s.holiday_policy, h_end, &holidays);
        let base = Event {
            uid: &s.id,
            title: &s.title,
            start: s.dtstart,
            end: add_minutes(s.dtstart, s.duration_minutes),
            location,
            required: &s.attendees,
            preferred: &[],
        };
        let mut extra = vec![format!("RRULE:{}", ical_rrule(&s.rrule))];
        extra.extend(
            exdates
                .iter()
                .map(|t| format!("EXDATE;TZID=Europe/London:{}", local(*t))),
        );
        w.event(&mut lines, &base, &extra);
        for (from, to) in moved {
            let ev = Event {
                start: to,
                end: add_minutes(to, s.duration_minutes),
                location: base.location.clone(),
                ..base
            };
            w.event(
                &mut lines,
                &ev,
                &[format!("RECURRENCE-ID;TZID=Europe/London:{}", local(from))],
            );
        }
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold_into(&mut out, l);
    }
    Ok(out)
}

struct Event<'a> {
    uid: &'a str,
    title: &'a str,
    start: NaiveDateTime,
    end: NaiveDateTime,
    location: Option<String>,
    required: &'a [String],
    preferred: &'a [String],
}

struct Writer<'a> {
    options: &'a IcalOptions,
    dtstamp: String,
}

impl Writer<'_> {
    /// Appends a `VEVENT`; `extra` lines (RRULE, EXDATE, RECURRENCE-ID) follow `DTEND`.
    fn event(&self, lines: &mut Vec<String>, ev: &Event<'_>, extra: &[String]) {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!(
            "UID:{}",
            text(&format!("{}@{}", ev.uid, self.options.domain))
        ));
        lines.push(format!("DTSTAMP:{}", self.dtstamp));
        lines.push(format!("SEQUENCE:{}", self.options.sequence));
        lines.push(format!("DTSTART;TZID=Europe/London:{}", local(ev.start)));
        lines.push(format!("DTEND;TZID=Europe/London:{}", local(ev.end)));
        lines.extend(extra.iter().cloned());
        let summary = if ev.title.trim().is_empty() {
            ev.uid
        } else {
            ev.title
        };
        lines.push(format!("SUMMARY:{}", text(summary)));
        if let Some(l) = &ev.location {
            lines.push(format!("LOCATION:{}", text(l)));
        }
        for (people, role) in [
            (ev.required, "REQ-PARTICIPANT"),
            (ev.preferred, "OPT-PARTICIPANT"),
        ] {
            for p in people {
                lines.push(format!(
                    "ATTENDEE;ROLE={role};CN={}:{}",
                    param(p),
                    self.address(p)
                ));
            }
        }
        lines.push("END:VEVENT".into());
    }

    fn address(&self, person: &str) -> String {
        match self.options.addresses.get(person) {
            Some(a) => {
                let a: String = a.chars().filter(|c| !c.is_control()).collect();
                if a.to_ascii_lowercase().starts_with("mailto:") {
                    a
                } else {
                    format!("mailto:{a}")
                }
            }
            None => format!("mailto:{}@{}", uri_part(person), self.options.domain),
        }
    }
}

fn room_label(r: &Room) -> String {
    r.name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| r.id.clone())
}

/// The exceptions of a series from its `dtstart` to the end of the horizon: rule starts to
/// remove (`EXDATE`) and rule starts moved to a later start (`RECURRENCE-ID` overrides),
/// following format §4 with `holidays` as the only bank holidays.
fn exceptions(
    rule: &Rrule,
    dtstart: NaiveDateTime,
    policy: HolidayPolicy,
    h_end: NaiveDate,
    holidays: &BTreeSet<NaiveDate>,
) -> (Vec<NaiveDateTime>, Vec<(NaiveDateTime, NaiveDateTime)>) {
    let business = |d: NaiveDate| d.weekday().num_days_from_monday() < 5 && !holidays.contains(&d);
    // A moved occurrence lands at most a few days later (weekend plus holidays); rule
    // starts up to two weeks past the horizon are enough to see what it would collide with.
    let limit = h_end + chrono::Days::new(14);
    let raw: Vec<NaiveDateTime> = rule
        .occurrences(dtstart)
        .take_while(|t| t.date() < limit)
        .collect();
    // Starts that stay in the calendar as the rule gives them.
    let kept: BTreeSet<NaiveDateTime> = raw
        .iter()
        .copied()
        .filter(|t| t.date() >= h_end || business(t.date()))
        .collect();
    let mut exdates = Vec::new();
    let mut moved = Vec::new();
    let mut taken: BTreeSet<NaiveDateTime> = BTreeSet::new();
    for &t in raw
        .iter()
        .filter(|t| t.date() < h_end && !business(t.date()))
    {
        match policy {
            HolidayPolicy::Skip => exdates.push(t),
            HolidayPolicy::NextWorkingDay => {
                let mut d = t.date();
                while !business(d) {
                    match d.succ_opt() {
                        Some(n) => d = n,
                        None => break,
                    }
                }
                let to = d.and_time(t.time());
                if kept.contains(&to) || !taken.insert(to) {
                    exdates.push(t);
                } else {
                    moved.push((t, to));
                }
            }
        }
    }
    (exdates, moved)
}

/// The series' RRULE for iCalendar: upper case, no `RRULE:` prefix, `UNTIL` converted from
/// local time to UTC (`YYYYMMDDTHHMMSSZ`). The rule has been validated.
fn ical_rrule(rule: &str) -> String {
    let upper = rule.trim().to_ascii_uppercase();
    let body = upper.strip_prefix("RRULE:").unwrap_or(&upper);
    body.split(';')
        .filter(|p| !p.is_empty())
        .map(|p| match p.strip_prefix("UNTIL=") {
            Some(v) => match until_utc(v) {
                Some(u) => format!("UNTIL={u}"),
                None => p.to_string(),
            },
            None => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// A local `UNTIL` (`YYYYMMDD`, meaning midnight, or `YYYYMMDDTHHMMSS`) as UTC.
fn until_utc(v: &str) -> Option<String> {
    let t = match v.len() {
        8 => NaiveDate::parse_from_str(v, "%Y%m%d")
            .ok()?
            .and_time(chrono::NaiveTime::MIN),
        15 => NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?,
        _ => return None,
    };
    let minutes = local_to_utc(t.with_second(0)?);
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)?.and_time(chrono::NaiveTime::MIN);
    let utc = epoch.checked_add_signed(chrono::TimeDelta::try_minutes(minutes)?)?
        + chrono::TimeDelta::seconds(i64::from(t.second()));
    Some(utc.format("%Y%m%dT%H%M%SZ").to_string())
}

/// A local date-time as `YYYYMMDDTHHMMSS`.
fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// A TEXT value (RFC 5545 §3.3.11): `\`, `;` and `,` escaped, line breaks as `\n`, other
/// control characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (RFC 5545 §3.1): quoted if it holds `:`, `;` or `,`; double quotes and
/// control characters dropped, as a parameter value cannot hold them.
fn param(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn uri_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character,
/// each physical line ending CRLF; continuation lines start with one space.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The leading space counts towards the next line's 75 octets.
        limit = 74;
    }
}

#[cfg(test)]
#[path = "ical_tests.rs"]
mod example_tests;

#[cfg(test)]
mod tests {
    use super::*;

    /// Easter 2026 with the March clock change: s1 (Mondays, next working day) loses Easter
    /// Monday 6 April to Tuesday 7 April; s2 (Fridays, skip, until Friday 10 April 23:59
    /// BST = 22:59 UTC) loses Good Friday 3 April.
    fn instance() -> Instance {
        Instance::from_json(
            r#"{"schema": "carecoord.schedule.v1",
              "horizon": {"start": "2026-03-23", "days": 16, "bank_holidays": ["2026-04-03", "2026-04-06"]},
              "people": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}],
              "rooms": [{"id": "rm1", "name": "Practice meeting room, first floor", "capacity": 4, "virtual": false},
                        {"id": "virt", "name": "Video call", "virtual": true}],
              "meetings": [
                {"id": "m1", "title": "Frailty MDT; review", "duration_minutes": 60,
                 "required": ["p1", "p2"], "preferred": ["p3"]},
                {"id": "m2", "title": "Unplaced", "duration_minutes": 30, "required": ["p2"]}],
              "series": [
                {"id": "s1", "title": "Weekly huddle", "rrule": "FREQ=WEEKLY;BYDAY=MO",
                 "dtstart": "2026-03-23T09:00", "duration_minutes": 30, "attendees": ["p1"],
                 "room": "rm1", "holiday_policy": "next_working_day"},
                {"id": "s2", "title": "Friday palliative", "rrule": "RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20260410T235900",
                 "dtstart": "2026-03-27T14:00", "duration_minutes": 60, "attendees": ["p1", "p3"],
                 "room": "virt", "holiday_policy": "skip"}]}"#,
        )
        .unwrap()
    }

    fn plan() -> Solution {
        Solution::from_json(
            r#"{"assignments": [{"meeting": "m1", "start": "2026-03-24T14:00", "room": "rm1"}],
                "unplaced": [{"meeting": "m2", "reason": "no_common_free_slot", "conflicts": ["p2"]}]}"#,
        )
        .unwrap()
    }

    const EXPECTED: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//carecoord//schedule v1//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:m1@carecoord.invalid
DTSTAMP:20260323T000000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20260324T140000
DTEND;TZID=Europe/London:20260324T150000
SUMMARY:Frailty MDT\\; review
LOCATION:Practice meeting room\\, first floor
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1@carecoord.invalid
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p2:mailto:p2@carecoord.invalid
ATTENDEE;ROLE=OPT-PARTICIPANT;CN=p3:mailto:p3@carecoord.invalid
END:VEVENT
BEGIN:VEVENT
UID:s1@carecoord.invalid
DTSTAMP:20260323T000000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20260323T090000
DTEND;TZID=Europe/London:20260323T093000
RRULE:FREQ=WEEKLY;BYDAY=MO
SUMMARY:Weekly huddle
LOCATION:Practice meeting room\\, first floor
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1@carecoord.invalid
END:VEVENT
BEGIN:VEVENT
UID:s1@carecoord.invalid
DTSTAMP:20260323T000000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20260407T090000
DTEND;TZID=Europe/London:20260407T093000
RECURRENCE-ID;TZID=Europe/London:20260406T090000
SUMMARY:Weekly huddle
LOCATION:Practice meeting room\\, first floor
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1@carecoord.invalid
END:VEVENT
BEGIN:VEVENT
UID:s2@carecoord.invalid
DTSTAMP:20260323T000000Z
SEQUENCE:0
DTSTART;TZID=Europe/London:20260327T140000
DTEND;TZID=Europe/London:20260327T150000
RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20260410T225900Z
EXDATE;TZID=Europe/London:20260403T140000
SUMMARY:Friday palliative
LOCATION:Video call
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:p1@carecoord.invalid
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=p3:mailto:p3@carecoord.invalid
END:VEVENT
END:VCALENDAR
";

    #[test]
    fn small_instance_hand_checked() {
        let ics = to_icalendar(&instance(), &plan(), &IcalOptions::default()).unwrap();
        assert_eq!(ics, EXPECTED.replace('\n', "\r\n"));
    }

    #[test]
    fn options_change_uid_domain_stamp_sequence_and_addresses() {
        let mut o = IcalOptions {
            domain: "nhs.example".into(),
            dtstamp: NaiveDate::from_ymd_opt(2026, 3, 1)
                .unwrap()
                .and_hms_opt(12, 30, 5),
            sequence: 2,
            ..IcalOptions::default()
        };
        o.addresses
            .insert("p2".into(), "district.nurse@nhs.example".into());
        let ics = to_icalendar(&instance(), &plan(), &o).unwrap();
        assert!(
            ics.contains("\r\nUID:m1@nhs.example\r\nDTSTAMP:20260301T123005Z\r\nSEQUENCE:2\r\n")
        );
        assert!(ics.contains(
            "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;CN=p2:mailto:district.nurse@nhs.example\r\n"
        ));
        assert!(ics.contains("\r\nATTENDEE;ROLE=OPT-PARTICIPANT;CN=p3:mailto:p3@nhs.example\r\n"));
        o.domain = "bad domain".into();
        assert_eq!(
            to_icalendar(&instance(), &plan(), &o).unwrap_err().path(),
            Some("options.domain")
        );
    }

    #[test]
    fn bad_plans_are_refused() {
        let inst = instance();
        let o = IcalOptions::default();
        let err = |json: &str| {
            to_icalendar(&inst, &Solution::from_json(json).unwrap(), &o)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(
                r#"{"assignments": [{"meeting": "m9", "start": "2026-03-24T14:00", "room": "rm1"}]}"#
            ),
            "assignments[0].meeting: unknown meeting id"
        );
        assert_eq!(
            err(
                r#"{"assignments": [{"meeting": "m1", "start": "2026-03-24T14:00", "room": "rm9"}]}"#
            ),
            "assignments[0].room: unknown room id"
        );
        assert_eq!(
            err(
                r#"{"assignments": [{"meeting": "m1", "start": "2026-03-24T14:00", "room": "rm1"},
                                    {"meeting": "m1", "start": "2026-03-25T14:00", "room": "rm1"}]}"#
            ),
            "assignments[1].meeting: duplicate assignment"
        );
        assert_eq!(
            err(
                r#"{"assignments": [{"meeting": "m1", "start": "2026-03-29T01:30", "room": "rm1"}]}"#
            ),
            "assignments[0].start: does not exist on the local clock (clock change)"
        );
    }

    #[test]
    fn text_and_parameter_escaping() {
        assert_eq!(text("a\\b;c,d\r\ne\nf\tg\u{7}"), "a\\\\b\\;c\\,d\\ne\\nf g");
        assert_eq!(param("p1"), "p1");
        assert_eq!(param("Smith, \"Jo\": GP"), "\"Smith, Jo: GP\"");
        assert_eq!(uri_part("p 1/é"), "p%201%2F%C3%A9");
    }

    #[test]
    fn folding_at_75_octets_never_splits_a_character() {
        let mut out = String::new();
        fold_into(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        out.clear();
        fold_into(&mut out, &"a".repeat(160));
        assert_eq!(
            out,
            format!(
                "{}\r\n {}\r\n {}\r\n",
                "a".repeat(75),
                "a".repeat(74),
                "a".repeat(11)
            )
        );
        // 'é' takes octets 75-76: the first line stops after 74 octets.
        out.clear();
        fold_into(&mut out, &format!("{}éb", "a".repeat(74)));
        assert_eq!(out, format!("{}\r\n éb\r\n", "a".repeat(74)));
        // A long title of multi-byte characters: every physical line fits, and unfolding
        // gives the logical line back.
        let title = "Réunion pluridisciplinaire — soins palliatifs — «équipe» ".repeat(4);
        out.clear();
        fold_into(&mut out, &format!("SUMMARY:{title}"));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{title}\r\n"));
    }

    #[test]
    fn until_in_utc() {
        assert_eq!(
            ical_rrule("rrule:freq=weekly;until=20260630T235900"),
            "FREQ=WEEKLY;UNTIL=20260630T225900Z"
        );
        // Date-only UNTIL means local midnight (GMT in January).
        assert_eq!(
            ical_rrule("FREQ=DAILY;UNTIL=20260110"),
            "FREQ=DAILY;UNTIL=20260110T000000Z"
        );
        assert_eq!(
            ical_rrule("FREQ=MONTHLY;BYDAY=2TU;COUNT=6"),
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"
        );
    }

    #[test]
    fn exceptions_collapse_moves_onto_existing_starts() {
        // Daily from Friday 3 April (a bank holiday) with next_working_day: Fri, Sat, Sun
        // and Easter Monday all move to Tuesday 7 April, which the rule already has, so all
        // four are removed.
        let rule = Rrule::parse("FREQ=DAILY;COUNT=6").unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 4, 3)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let holidays: BTreeSet<NaiveDate> = [(4, 3), (4, 6)]
            .iter()
            .map(|(m, d)| NaiveDate::from_ymd_opt(2026, *m, *d).unwrap())
            .collect();
        let h_end = NaiveDate::from_ymd_opt(2026, 4, 20).unwrap();
        let (ex, moved) = exceptions(
            &rule,
            start,
            HolidayPolicy::NextWorkingDay,
            h_end,
            &holidays,
        );
        let days: Vec<u32> = ex.iter().map(|t| t.day()).collect();
        assert_eq!(days, [3, 4, 5, 6]);
        assert!(moved.is_empty());
        // Weekly on Saturdays: each moves to the Monday, except past the horizon's end,
        // where the bare rule applies.
        let rule = Rrule::parse("FREQ=WEEKLY;BYDAY=SA").unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 3, 28)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let h_end = NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
        let (ex, moved) = exceptions(
            &rule,
            start,
            HolidayPolicy::NextWorkingDay,
            h_end,
            &holidays,
        );
        let pairs: Vec<String> = moved
            .iter()
            .map(|(a, b)| format!("{} -> {}", a.date(), b.date()))
            .collect();
        // Saturday 4 April moves past Easter Monday to Tuesday 7 April (outside the horizon:
        // it stays in the calendar, not in the horizon's occurrences).
        assert_eq!(
            pairs,
            ["2026-03-28 -> 2026-03-30", "2026-04-04 -> 2026-04-07"]
        );
        assert!(ex.is_empty());
    }
}
