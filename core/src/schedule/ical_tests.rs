//! iCalendar export of the shared examples (`tiny.json` with its reference solution, and
//! S3's thirty series), checked two ways: by reading the text back and expanding it here
//! (RRULE, EXDATE, RECURRENCE-ID) against [`series_occurrences`], and, when a Python with
//! the PyPI packages `icalendar` and `recurring-ical-events` is available
//! (`CARECOORD_ICAL_PYTHON`, else `.venv/bin/python`), by expanding it with those.
//!
//! The `.ics` files are written to `CARECOORD_ICS_DIR` (default: the system temp directory)
//! as `carecoord-schedule-tiny.ics` and `carecoord-schedule-S3-series.ics`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use super::*;
use crate::schedule::tests::{examples_dir, load};
use crate::schedule::time::{local_to_utc, utc_to_local};
use crate::schedule::{series_occurrences, Solution};

/// Physical lines checked (CRLF, at most 75 octets) and unfolded.
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let mut out: Vec<String> = Vec::new();
    for l in ics[..ics.len() - 2].split("\r\n") {
        assert!(l.len() <= 75, "line of {} octets", l.len());
        assert!(!l.contains('\n') && !l.contains('\r'));
        match l.strip_prefix(' ') {
            Some(rest) => out.last_mut().expect("continuation").push_str(rest),
            None => out.push(l.to_string()),
        }
    }
    out
}

/// `(name, value)` of each property of each VEVENT; the name keeps its parameters.
fn events(lines: &[String]) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut cur: Option<Vec<(String, String)>> = None;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => cur = Some(Vec::new()),
            "END:VEVENT" => out.push(cur.take().expect("open event")),
            _ => {
                if let Some(ev) = cur.as_mut() {
                    // Parameter values here never hold ':' (CN is a plain id).
                    let (name, value) = l.split_once(':').expect("name:value");
                    ev.push((name.to_string(), value.to_string()));
                }
            }
        }
    }
    out
}

fn get<'a>(ev: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    ev.iter()
        .filter(|(n, _)| n == name || n.starts_with(&format!("{name};")))
        .map(|(_, v)| v.as_str())
        .collect()
}

fn local(v: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").expect("local date-time")
}

/// The RRULE with its UTC `UNTIL` turned back into local time, as [`Rrule`] reads it.
fn rule_local(v: &str) -> Rrule {
    let parts: Vec<String> = v
        .split(';')
        .map(|p| match p.strip_prefix("UNTIL=") {
            Some(u) => {
                let utc = NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%SZ").expect("UTC UNTIL");
                // local_to_utc of a UTC-reading is off by the offset; go through minutes.
                let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap();
                let m = (utc - epoch).num_minutes();
                format!(
                    "UNTIL={}",
                    (utc_to_local(m) + chrono::TimeDelta::seconds(i64::from(utc.second())))
                        .format("%Y%m%dT%H%M%S")
                )
            }
            None => p.to_string(),
        })
        .collect();
    Rrule::parse(&parts.join(";")).expect("rule reads back")
}

/// Every event start in `[from, to)` by UID prefix, expanded from the text, with each
/// event's length in minutes.
fn expand(ics: &str, from: NaiveDate, to: NaiveDate) -> BTreeMap<String, Vec<(String, i64)>> {
    let evs = events(&unfold(ics));
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    let length = |ev: &[(String, String)]| {
        let s = local(get(ev, "DTSTART")[0]);
        let e = local(get(ev, "DTEND")[0]);
        local_to_utc(e) - local_to_utc(s)
    };
    for ev in &evs {
        if !get(ev, "RECURRENCE-ID").is_empty() {
            continue;
        }
        let uid = get(ev, "UID")[0].split('@').next().unwrap().to_string();
        let start = local(get(ev, "DTSTART")[0]);
        let len = length(ev);
        let mut starts: Vec<(NaiveDateTime, i64)> = match get(ev, "RRULE").first() {
            None => vec![(start, len)],
            Some(r) => {
                let ex: Vec<NaiveDateTime> = get(ev, "EXDATE").into_iter().map(local).collect();
                let limit = to + chrono::Days::new(30);
                let mut v: Vec<(NaiveDateTime, i64)> = rule_local(r)
                    .occurrences(start)
                    .take_while(|t| t.date() < limit)
                    .filter(|t| !ex.contains(t))
                    .map(|t| (t, len))
                    .collect();
                for o in evs.iter().filter(|o| {
                    get(o, "UID") == get(ev, "UID") && !get(o, "RECURRENCE-ID").is_empty()
                }) {
                    let rid = local(get(o, "RECURRENCE-ID")[0]);
                    let before = v.len();
                    v.retain(|(t, _)| *t != rid);
                    assert_eq!(v.len() + 1, before, "override of a rule start");
                    v.push((local(get(o, "DTSTART")[0]), length(o)));
                }
                v
            }
        };
        starts.retain(|(t, _)| from <= t.date() && t.date() < to);
        starts.sort();
        out.entry(uid).or_default().extend(
            starts
                .into_iter()
                .map(|(t, l)| (t.format("%Y-%m-%dT%H:%M").to_string(), l)),
        );
    }
    out
}

/// What the expansion must give: placed meetings and kept series occurrences.
fn expected(inst: &Instance, sol: &Solution) -> BTreeMap<String, Vec<(String, i64)>> {
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for a in &sol.assignments {
        let m = inst.meetings.iter().find(|m| m.id == a.meeting).unwrap();
        out.entry(a.meeting.clone()).or_default().push((
            a.start.format("%Y-%m-%dT%H:%M").to_string(),
            i64::from(m.duration_minutes),
        ));
    }
    for o in series_occurrences(inst).unwrap() {
        let s = inst.series.iter().find(|s| s.id == o.series).unwrap();
        out.entry(o.series.clone()).or_default().push((
            o.start.format("%Y-%m-%dT%H:%M").to_string(),
            i64::from(s.duration_minutes),
        ));
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

fn write(name: &str, ics: &str) -> PathBuf {
    let dir = std::env::var_os("CARECOORD_ICS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).expect("output directory");
    let path = dir.join(name);
    std::fs::write(&path, ics).expect("write .ics");
    eprintln!("wrote {}", path.display());
    path
}

fn horizon(inst: &Instance) -> (NaiveDate, NaiveDate) {
    let h = &inst.horizon;
    (h.start, h.start + chrono::Days::new(u64::from(h.days)))
}

/// A Python with `icalendar` and `recurring_ical_events`, if there is one.
fn python() -> Option<PathBuf> {
    let py = std::env::var_os("CARECOORD_ICAL_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python"));
    let ok = Command::new(&py)
        .args(["-c", "import icalendar, recurring_ical_events"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

const PY_EXPAND: &str = r#"
import datetime, json, sys
import icalendar, recurring_ical_events
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
start = datetime.date.fromisoformat(sys.argv[2])
stop = datetime.date.fromisoformat(sys.argv[3])
out = {}
for ev in recurring_ical_events.of(cal).between(start, stop):
    uid = str(ev["UID"]).split("@")[0]
    s, e = ev["DTSTART"].dt, ev["DTEND"].dt
    assert str(s.tzinfo) in ("Europe/London", "GMT", "BST"), s.tzinfo
    out.setdefault(uid, []).append([s.strftime("%Y-%m-%dT%H:%M"), int((e - s).total_seconds() // 60)])
for v in out.values():
    v.sort()
print(json.dumps(out, sort_keys=True))
"#;

/// The same expansion by the PyPI packages; `None` (with a message) if unavailable.
fn python_expand(
    path: &std::path::Path,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<BTreeMap<String, Vec<(String, i64)>>> {
    let Some(py) = python() else {
        eprintln!(
            "skipping Python check: no Python with icalendar and recurring-ical-events \
             (set CARECOORD_ICAL_PYTHON)"
        );
        return None;
    };
    let out = Command::new(py)
        .args(["-c", PY_EXPAND])
        .arg(path)
        .arg(from.to_string())
        .arg(to.to_string())
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("JSON from the Python check"))
}

fn check(name: &str, inst: &Instance, sol: &Solution) {
    let ics = to_icalendar(inst, sol, &IcalOptions::default()).unwrap();
    assert_eq!(
        ics,
        to_icalendar(inst, sol, &IcalOptions::default()).unwrap(),
        "deterministic"
    );
    let (from, to) = horizon(inst);
    let want = expected(inst, sol);
    assert_eq!(expand(&ics, from, to), want, "{name}: read back");
    let path = write(name, &ics);
    if let Some(theirs) = python_expand(&path, from, to) {
        assert_eq!(theirs, want, "{name}: icalendar + recurring-ical-events");
    }
}

#[test]
fn tiny_solution_exports_every_occurrence() {
    let Some((_, inst)) = load("tiny.json") else {
        return;
    };
    let dir = examples_dir().unwrap();
    let sol =
        Solution::from_json(&std::fs::read_to_string(dir.join("tiny.solution.json")).unwrap())
            .unwrap();
    let ics = to_icalendar(&inst, &sol, &IcalOptions::default()).unwrap();
    // tiny: s1 moves Easter Monday to Tuesday 7 April; s2 skips Good Friday; m3 is unplaced.
    assert!(ics.contains(
        "\r\nDTSTART;TZID=Europe/London:20260407T090000\r\nDTEND;TZID=Europe/London:20260407T093000\r\nRECURRENCE-ID;TZID=Europe/London:20260406T090000\r\n"
    ));
    assert!(ics.contains("\r\nEXDATE;TZID=Europe/London:20260403T140000\r\n"));
    assert!(!ics.contains("UID:m3@"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3 + 2 + 1);
    check("carecoord-schedule-tiny.ics", &inst, &sol);
}

#[test]
fn s3_series_export_every_occurrence_of_the_year() {
    let Some((_, inst)) = load("S3-seed1.json") else {
        return;
    };
    let sol = Solution::default();
    let ics = to_icalendar(&inst, &sol, &IcalOptions::default()).unwrap();
    assert_eq!(
        ics.matches("RRULE:FREQ=").count(),
        inst.series.len() + 2,
        "one RRULE per series plus the two of the VTIMEZONE"
    );
    // s14 ends 30 September 23:59 BST, written in UTC.
    assert!(ics.contains("\r\nRRULE:FREQ=MONTHLY;BYDAY=3FR;UNTIL=20260930T225900Z\r\n"));
    check("carecoord-schedule-S3-series.ics", &inst, &sol);
}
