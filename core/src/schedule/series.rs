//! Series expansion with the holiday policy (format §4) and the series conflict report
//! (format §4.1).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDateTime};

use super::diary::{overlaps_any, weekday_index, Diary};
use super::format::{HolidayPolicy, Instance, SeriesConflict};
use super::rrule::Rrule;
use super::time::{local_to_utc, utc_to_local, Grid, UtcMin};
use super::ScheduleError;

/// One kept occurrence of a series (compiled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub series: usize,
    /// Local start (after the holiday policy).
    pub start: NaiveDateTime,
    pub u0: UtcMin,
    pub u1: UtcMin,
    /// The rule's date-time if the holiday policy moved the occurrence.
    pub moved_from: Option<NaiveDateTime>,
}

/// One occurrence of a series inside the horizon, after the holiday policy.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{series_occurrences, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-30", "days": 14, "bank_holidays": ["2026-04-03", "2026-04-06"]},
///   "people": [{"id": "p1"}],
///   "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=FR", "dtstart": "2026-01-02T14:00",
///               "duration_minutes": 60, "attendees": ["p1"], "room": null,
///               "holiday_policy": "next_working_day"}]}"#)?;
/// let occ = series_occurrences(&inst)?;
/// // Good Friday moves to Tuesday 7 April: Monday 6 April is Easter Monday.
/// assert_eq!(occ[0].start.to_string(), "2026-04-07 14:00:00");
/// assert_eq!(occ[0].moved_from.unwrap().to_string(), "2026-04-03 14:00:00");
/// assert_eq!(occ[1].start.to_string(), "2026-04-10 14:00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesOccurrence {
    /// Series id.
    pub series: String,
    /// Local start.
    pub start: NaiveDateTime,
    /// Local end (`duration_minutes` real minutes after the start).
    pub end: NaiveDateTime,
    /// The date-time the rule gave, if the holiday policy moved the occurrence.
    pub moved_from: Option<NaiveDateTime>,
}

/// Expands every series of the instance, sorted by start and series order.
pub(crate) fn expand_all(
    instance: &Instance,
    grid: &Grid,
) -> Result<Vec<Occurrence>, ScheduleError> {
    let h_end = grid.date(grid.days);
    let mut out = Vec::new();
    for (i, s) in instance.series.iter().enumerate() {
        let rule = Rrule::parse(&s.rrule).map_err(|e| e.at(&format!("series[{i}].rrule")))?;
        let mut starts: BTreeSet<(NaiveDateTime, Option<NaiveDateTime>)> = BTreeSet::new();
        let mut seen: BTreeSet<NaiveDateTime> = BTreeSet::new();
        for t in rule.occurrences(s.dtstart) {
            let mut d = t.date();
            if d >= h_end {
                break;
            }
            let mut moved = None;
            if !grid.is_business_day(d) {
                if s.holiday_policy == HolidayPolicy::Skip {
                    continue;
                }
                while !grid.is_business_day(d) {
                    d = d.succ_opt().expect("dates far from the end of time");
                }
                moved = Some(t);
            }
            let start = d.and_time(t.time());
            if grid.day_of(d).is_some() && seen.insert(start) {
                starts.insert((start, moved));
            }
        }
        for (start, moved_from) in starts {
            let u0 = local_to_utc(start);
            out.push(Occurrence {
                series: i,
                start,
                u0,
                u1: u0 + i64::from(s.duration_minutes),
                moved_from,
            });
        }
    }
    out.sort_by_key(|o| (o.u0, o.series));
    Ok(out)
}

/// Every occurrence of every series inside the horizon, after the holiday policy (format §4),
/// sorted by start.
///
/// # Errors
///
/// Any error of [`Instance::validate`] (an invalid RRULE names `series[i].rrule`).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{series_occurrences, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 14}, "people": [{"id": "p1"}],
///   "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2026-01-05T09:00",
///               "duration_minutes": 30, "attendees": ["p1"], "room": null}]}"#)?;
/// let occ = series_occurrences(&inst)?;
/// // 09:00 GMT on 23 March and 09:00 BST on 30 March: the local time is kept.
/// let starts: Vec<String> = occ.iter().map(|o| o.start.to_string()).collect();
/// assert_eq!(starts, ["2026-03-23 09:00:00", "2026-03-30 09:00:00"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn series_occurrences(instance: &Instance) -> Result<Vec<SeriesOccurrence>, ScheduleError> {
    let diary = Diary::new(instance)?;
    Ok(diary
        .occ
        .iter()
        .map(|o| SeriesOccurrence {
            series: diary.series[o.series].id.clone(),
            start: o.start,
            end: utc_to_local(o.u1),
            moved_from: o.moved_from,
        })
        .collect())
}

/// The series conflict report of format §4.1: every occurrence in conflict with at least one
/// person, room or other series, with exactly the set of those ids.
///
/// # Errors
///
/// Any error of [`Instance::validate`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::{series_conflicts, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 7},
///   "people": [{"id": "p1", "working_days": ["Tue"]}],
///   "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2026-03-23T09:00",
///               "duration_minutes": 30, "attendees": ["p1"], "room": null}]}"#)?;
/// let report = series_conflicts(&inst)?;
/// assert_eq!(report.len(), 1);
/// assert_eq!(report[0].conflicts, ["p1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn series_conflicts(instance: &Instance) -> Result<Vec<SeriesConflict>, ScheduleError> {
    Ok(Diary::new(instance)?.series_conflict_report())
}

impl Diary {
    /// The series conflict report (format §4.1), sorted by start then series id.
    pub(crate) fn series_conflict_report(&self) -> Vec<SeriesConflict> {
        let mut out = Vec::new();
        for o in &self.occ {
            let s = &self.series[o.series];
            let mut ids: BTreeSet<&str> = BTreeSet::new();
            let wd = weekday_index(o.start.weekday());
            for &p in &s.attendees {
                let person = &self.people[p];
                if !person.works[wd] || overlaps_any(&person.busy, o.u0, o.u1) {
                    ids.insert(&person.id);
                }
                for k in self.occ_overlapping(&person.occ, o.u0, o.u1) {
                    if self.occ[k].series != o.series {
                        ids.insert(&self.series[self.occ[k].series].id);
                    }
                }
            }
            if let Some(r) = s.room {
                let room = &self.rooms[r];
                if overlaps_any(&room.unavailable, o.u0, o.u1) {
                    ids.insert(&room.id);
                }
                if !room.is_virtual {
                    for k in self.occ_overlapping(&room.occ, o.u0, o.u1) {
                        if self.occ[k].series != o.series {
                            ids.insert(&self.series[self.occ[k].series].id);
                        }
                    }
                }
            }
            if !ids.is_empty() {
                out.push(SeriesConflict {
                    series: s.id.clone(),
                    start: o.start,
                    conflicts: ids.into_iter().map(str::to_string).collect(),
                });
            }
        }
        out.sort_by(|a, b| (a.start, &a.series).cmp(&(b.start, &b.series)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::tests::load;

    fn tiny() -> Option<Instance> {
        load("tiny.json").map(|(_, i)| i)
    }

    fn starts(occ: &[SeriesOccurrence], series: &str) -> Vec<String> {
        occ.iter()
            .filter(|o| o.series == series)
            .map(|o| o.start.format("%Y-%m-%dT%H:%M").to_string())
            .collect()
    }

    #[test]
    fn s3_occurrences_equal_the_reference_evaluator() {
        let Some((_, inst)) = load("S3-seed1.json") else {
            return;
        };
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("testdata/rrule_dateutil.json")).unwrap();
        let occ = series_occurrences(&inst).unwrap();
        let expected = fixture["s3_occurrences"].as_object().unwrap();
        assert_eq!(expected.len(), inst.series.len());
        let mut total = 0;
        for s in &inst.series {
            let theirs: Vec<&str> = expected[&s.id]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(starts(&occ, &s.id), theirs, "{}", s.id);
            total += theirs.len();
        }
        assert_eq!(occ.len(), total);
    }

    #[test]
    fn good_friday_moves_to_tuesday_under_next_working_day() {
        let Some(mut inst) = tiny() else { return };
        // tiny's s2 skips; the same series with next_working_day moves Good Friday
        // (3 April 2026) past Easter Monday to Tuesday 7 April.
        inst.series[1].holiday_policy = HolidayPolicy::NextWorkingDay;
        let occ = series_occurrences(&inst).unwrap();
        assert_eq!(starts(&occ, "s2"), ["2026-03-27T14:00", "2026-04-07T14:00"]);
        let moved = occ
            .iter()
            .find(|o| o.series == "s2" && o.moved_from.is_some())
            .unwrap();
        assert_eq!(moved.moved_from.unwrap().to_string(), "2026-04-03 14:00:00");
        inst.series[1].holiday_policy = HolidayPolicy::Skip;
        assert_eq!(
            starts(&series_occurrences(&inst).unwrap(), "s2"),
            ["2026-03-27T14:00"]
        );
    }

    #[test]
    fn dst_week_occurrences_keep_local_time() {
        let Some(inst) = tiny() else { return };
        let diary = Diary::new(&inst).unwrap();
        let s1: Vec<&Occurrence> = diary.occ.iter().filter(|o| o.series == 0).collect();
        // Monday 23 March 09:00 GMT, Monday 30 March 09:00 BST, Easter Monday moved to
        // Tuesday 7 April 09:00 BST.
        let local: Vec<String> = s1
            .iter()
            .map(|o| o.start.format("%Y-%m-%dT%H:%M").to_string())
            .collect();
        assert_eq!(
            local,
            ["2026-03-23T09:00", "2026-03-30T09:00", "2026-04-07T09:00"]
        );
        assert_eq!(s1[1].u0 - s1[0].u0, 7 * 1440 - 60);
        assert_eq!(utc_to_local(s1[1].u1).format("%H:%M").to_string(), "09:30");
    }

    #[test]
    fn tiny_report_equals_the_reference_solution() {
        let Some(inst) = tiny() else { return };
        let report = series_conflicts(&inst).unwrap();
        let text = |c: &SeriesConflict| format!("{} {} {:?}", c.series, c.start, c.conflicts);
        let got: Vec<String> = report.iter().map(text).collect();
        // The busy slot 08:00-09:00 on 30 March ends as s1 starts: not a conflict.
        assert_eq!(
            got,
            [
                "s1 2026-03-23 09:00:00 [\"rm1\"]",
                "s2 2026-03-27 14:00:00 [\"p3\"]"
            ]
        );
    }

    #[test]
    fn series_clash_with_each_other_in_rooms_and_through_people() {
        let inst = Instance::from_json(
            r#"{"schema": "carecoord.schedule.v1",
              "horizon": {"start": "2026-03-23", "days": 1},
              "people": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
              "rooms": [{"id": "rm", "capacity": 9, "virtual": false}, {"id": "v", "virtual": true}],
              "series": [
                {"id": "s1", "rrule": "FREQ=DAILY", "dtstart": "2026-03-23T09:00", "duration_minutes": 60,
                 "attendees": ["a"], "room": "rm"},
                {"id": "s2", "rrule": "FREQ=DAILY", "dtstart": "2026-03-23T09:30", "duration_minutes": 60,
                 "attendees": ["b"], "room": "rm"},
                {"id": "s3", "rrule": "FREQ=DAILY", "dtstart": "2026-03-23T10:00", "duration_minutes": 30,
                 "attendees": ["b", "c"], "room": "v"},
                {"id": "s4", "rrule": "FREQ=DAILY", "dtstart": "2026-03-23T10:00", "duration_minutes": 30,
                 "attendees": ["c"], "room": "v"}]}"#,
        )
        .unwrap();
        let got: Vec<(String, Vec<String>)> = series_conflicts(&inst)
            .unwrap()
            .into_iter()
            .map(|c| (c.series, c.conflicts))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            got,
            [
                ("s1".into(), s(&["s2"])),
                ("s2".into(), s(&["s1", "s3"])),
                ("s3".into(), s(&["s2", "s4"])),
                ("s4".into(), s(&["s3"])),
            ]
        );
    }
}
