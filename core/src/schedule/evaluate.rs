//! A checker for solutions: the hard rules of format §5.1, the warnings of §5.2 and the
//! objective of §5.3, as the reference evaluator `tools/schedule-eval` computes them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDateTime};
use rustc_hash::FxHashMap;

use super::conflicts::{free_slot, unexplained_slot};
use super::diary::{Diary, IdRef, Placed};
use super::format::{Instance, Solution};
use super::time::{is_real_local, local_to_utc};
use super::ScheduleError;

/// A broken rule (or a warning) with the ids involved.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Violation;
///
/// let v = Violation { code: "person_busy", ids: vec!["m1".into(), "p1".into()] };
/// assert_eq!(v.code, "person_busy");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The code of format §5.1 (`person_busy`, `pinned`, ...) or §5.2 for warnings
    /// (`unplaced_but_placeable`, `unplaced_conflicts_incomplete`, `unplaced_unknown_ids`).
    pub code: &'static str,
    /// The ids involved, in the evaluator's order.
    pub ids: Vec<String>,
}

/// A placed meeting and a preferred person of it who cannot come: one unit of objective
/// component 4 (format §5).
///
/// # Example
///
/// ```
/// use carecoord::schedule::PreferredConflict;
///
/// let c = PreferredConflict { meeting: "m1".into(), person: "p3".into(), why: vec!["person_busy".into()] };
/// assert_eq!(c.why, ["person_busy"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferredConflict {
    /// The meeting.
    pub meeting: String,
    /// The preferred person.
    pub person: String,
    /// Why, sorted and without repeats: the person's own problems at that time
    /// (`not_working_day`, `person_busy`, `person_series`) and `meeting:<id>` for each other
    /// placed meeting at an overlapping time that requires or prefers them.
    pub why: Vec<String>,
}

/// The checker's verdict on a solution.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{evaluate, Instance, Solution};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
///   "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"]}]}"#)?;
/// let e = evaluate(&inst, &Solution::default())?;
/// assert!(!e.feasible);
/// assert_eq!(e.violations[0].code, "missing_meeting");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// No hard violation.
    pub feasible: bool,
    /// Hard violations.
    pub violations: Vec<Violation>,
    /// Warnings about unplaced meetings (format §5.2).
    pub warnings: Vec<Violation>,
    /// Number of meetings in the instance.
    pub meetings_total: usize,
    /// Number of meetings placed.
    pub meetings_placed: usize,
    /// Sum of priorities of placed meetings.
    pub priority_placed: i64,
    /// Sum of all priorities.
    pub priority_total: i64,
    /// Meetings of `previous` that moved (`None` without `previous`).
    pub moved: Option<i64>,
    /// Pairs (placed meeting, preferred person) where the person is unavailable.
    pub preferred_conflicts: i64,
    /// Those pairs, placed meetings in the solution's order, people in the meeting's order
    /// (the reference evaluator's `preferred_conflict_pairs`).
    pub preferred_conflict_pairs: Vec<PreferredConflict>,
    /// The meetings of `previous` that moved (or were dropped), in the order `previous`
    /// lists them (the reference evaluator's `moved_meetings`; empty without `previous`).
    pub moved_meetings: Vec<String>,
    /// Sum of start grains of placed meetings.
    pub start_grain_sum: i64,
    /// `[hard violations, -priority placed, moved, preferred conflicts, start grain sum]`;
    /// smaller is better in lexicographic order.
    pub objective: [i64; 5],
}

fn v(code: &'static str, ids: Vec<String>) -> Violation {
    Violation { code, ids }
}

/// Checks a solution against an instance and scores it (format §5), as the reference
/// evaluator does, including the unplaced-meeting warnings.
///
/// # Errors
///
/// Any error of [`Instance::validate`]. Problems of the solution are violations, not errors.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{evaluate, solve, Instance, SolveOptions};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
///   "rooms": [{"id": "virt", "virtual": true}],
///   "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"], "priority": 3}]}"#)?;
/// let e = evaluate(&inst, &solve(&inst, &SolveOptions::default())?)?;
/// assert!(e.feasible && e.warnings.is_empty());
/// assert_eq!(e.objective, [0, -3, 0, 0, 32]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate(instance: &Instance, solution: &Solution) -> Result<Evaluation, ScheduleError> {
    let mut d = Diary::new(instance)?;
    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    let mut seen = vec![false; d.meetings.len()];
    let mut placed: Vec<Option<Placed>> = vec![None; d.meetings.len()];
    let mut solution_order: Vec<usize> = Vec::new();
    let meeting_of = |d: &Diary, id: &str| match d.ids.get(id) {
        Some(IdRef::Meeting(m)) => Some(*m),
        _ => None,
    };
    for a in &solution.assignments {
        let Some(m) = meeting_of(&d, &a.meeting) else {
            violations.push(v("unknown_meeting", vec![a.meeting.clone()]));
            continue;
        };
        if seen[m] {
            violations.push(v("duplicate_meeting", vec![a.meeting.clone()]));
            continue;
        }
        seen[m] = true;
        let Some(r) = d.room_index(&a.room) else {
            violations.push(v("unknown_room", vec![a.meeting.clone(), a.room.clone()]));
            continue;
        };
        if !is_real_local(a.start) {
            violations.push(v("bad_start", vec![a.meeting.clone()]));
            continue;
        }
        let u0 = local_to_utc(a.start);
        solution_order.push(m);
        placed[m] = Some(Placed {
            start: a.start,
            u0,
            u1: u0 + d.meetings[m].duration,
            room: r,
        });
        for p in d.slot_problems(m, a.start, r) {
            let mut ids = vec![a.meeting.clone()];
            ids.extend(p.ids);
            violations.push(v(p.code, ids));
        }
        if let Some((ps, pr)) = d.meetings[m].pinned {
            if ps != a.start || pr != r {
                violations.push(v("pinned", vec![a.meeting.clone()]));
            }
        }
    }
    let mut unplaced: Vec<(usize, &[String])> = Vec::new();
    for u in &solution.unplaced {
        let Some(m) = meeting_of(&d, &u.meeting) else {
            violations.push(v("unknown_meeting", vec![u.meeting.clone()]));
            continue;
        };
        if seen[m] {
            violations.push(v("duplicate_meeting", vec![u.meeting.clone()]));
            continue;
        }
        seen[m] = true;
        unplaced.push((m, &u.conflicts));
        if d.meetings[m].pinned.is_some() {
            violations.push(v("pinned", vec![u.meeting.clone()]));
        }
    }
    for (m, s) in seen.iter().enumerate() {
        if !s {
            violations.push(v("missing_meeting", vec![d.meetings[m].id.clone()]));
        }
    }
    // Pairwise clashes, each pair once, in start order.
    let mut order: Vec<usize> = (0..placed.len()).filter(|m| placed[*m].is_some()).collect();
    order.sort_by_key(|m| placed[*m].map(|p| p.u0));
    for (i, &a) in order.iter().enumerate() {
        let pa = placed[a].expect("placed");
        for &b in &order[i + 1..] {
            let pb = placed[b].expect("placed");
            if pb.u0 >= pa.u1 {
                break;
            }
            let (ma, mb) = (&d.meetings[a], &d.meetings[b]);
            let mut shared: Vec<&str> = ma
                .required
                .iter()
                .filter(|p| mb.required.contains(p))
                .map(|p| d.people[*p].id.as_str())
                .collect();
            shared.sort_unstable();
            for p in shared {
                violations.push(v(
                    "person_double_booked",
                    vec![p.into(), ma.id.clone(), mb.id.clone()],
                ));
            }
            if pa.room == pb.room && !d.rooms[pa.room].is_virtual {
                violations.push(v(
                    "room_double_booked",
                    vec![d.rooms[pa.room].id.clone(), ma.id.clone(), mb.id.clone()],
                ));
            }
        }
    }
    // Series conflict report.
    let expected: BTreeMap<(String, NaiveDateTime), BTreeSet<String>> = d
        .series_conflict_report()
        .into_iter()
        .map(|c| ((c.series, c.start), c.conflicts.into_iter().collect()))
        .collect();
    let mut reported: FxHashMap<(String, NaiveDateTime), BTreeSet<String>> = FxHashMap::default();
    for c in &solution.series_conflicts {
        let key = (c.series.clone(), c.start);
        if reported.contains_key(&key) {
            violations.push(v("series_conflict_spurious", vec![c.series.clone()]));
            continue;
        }
        reported.insert(key, c.conflicts.iter().cloned().collect());
    }
    for (key, ids) in &expected {
        match reported.get(key) {
            None => {
                let mut all = vec![key.0.clone()];
                all.extend(ids.iter().cloned());
                violations.push(v("series_conflict_missing", all));
            }
            Some(r) if r != ids => violations.push(v("series_conflict_ids", vec![key.0.clone()])),
            Some(_) => {}
        }
    }
    let mut spurious: Vec<&(String, NaiveDateTime)> = reported
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    spurious.sort();
    for key in spurious {
        violations.push(v("series_conflict_spurious", vec![key.0.clone()]));
    }
    // Objective components.
    let priority_total = d.meetings.iter().map(|m| i64::from(m.priority)).sum();
    let mut priority_placed = 0;
    let mut pairs: Vec<PreferredConflict> = Vec::new();
    let mut grain_sum = 0;
    for &m in &solution_order {
        let Some(p) = placed[m] else { continue };
        let md = &d.meetings[m];
        priority_placed += i64::from(md.priority);
        grain_sum += d.grid.start_grain(p.start);
        for &q in &md.preferred {
            let mut why: Vec<String> = d
                .person_static_problems(q, p.start.weekday(), p.u0, p.u1)
                .into_iter()
                .map(|problem| problem.code.to_string())
                .collect();
            for (n, o) in placed.iter().enumerate() {
                if n != m
                    && o.is_some_and(|o| o.u0 < p.u1 && p.u0 < o.u1)
                    && (d.meetings[n].required.contains(&q) || d.meetings[n].preferred.contains(&q))
                {
                    why.push(format!("meeting:{}", d.meetings[n].id));
                }
            }
            if !why.is_empty() {
                why.sort();
                why.dedup();
                pairs.push(PreferredConflict {
                    meeting: md.id.clone(),
                    person: d.people[q].id.clone(),
                    why,
                });
            }
        }
    }
    let pref = pairs.len() as i64;
    let mut moved_meetings = Vec::new();
    if let Some(previous) = &instance.previous {
        for a in &previous.assignments {
            let Some(m) = meeting_of(&d, &a.meeting) else {
                continue;
            };
            let Some((ps, pr)) = d.meetings[m].previous else {
                continue;
            };
            let kept = placed[m].is_some_and(|p| p.start == ps && Some(p.room) == pr);
            if !kept {
                moved_meetings.push(a.meeting.clone());
            }
        }
    }
    let moved = instance
        .previous
        .as_ref()
        .map(|_| moved_meetings.len() as i64);
    // Unplaced warnings, with the rest of the solution as it is.
    d.placed = placed;
    d.rebuild_placed_sets();
    for (m, conflicts) in unplaced {
        let id = d.meetings[m].id.clone();
        let unknown: BTreeSet<&String> = conflicts
            .iter()
            .filter(|c| !d.ids.contains_key(c.as_str()))
            .collect();
        if !unknown.is_empty() {
            let mut ids = vec![id.clone()];
            ids.extend(unknown.into_iter().cloned());
            warnings.push(v("unplaced_unknown_ids", ids));
        }
        if let Some((_, r)) = free_slot(&d, m) {
            warnings.push(v("unplaced_but_placeable", vec![id, d.rooms[r].id.clone()]));
        } else if let Some((_, r)) = unexplained_slot(&d, m, conflicts) {
            warnings.push(v(
                "unplaced_conflicts_incomplete",
                vec![id, d.rooms[r].id.clone()],
            ));
        }
    }
    let hard = violations.len() as i64;
    Ok(Evaluation {
        feasible: violations.is_empty(),
        meetings_total: d.meetings.len(),
        meetings_placed: d.placed.iter().flatten().count(),
        priority_placed,
        priority_total,
        moved,
        preferred_conflicts: pref,
        preferred_conflict_pairs: pairs,
        moved_meetings,
        start_grain_sum: grain_sum,
        objective: [hard, -priority_placed, moved.unwrap_or(0), pref, grain_sum],
        violations,
        warnings,
    })
}
