//! End-to-end tests on the shared examples, checked by this crate's evaluator and, when
//! Python with python-dateutil is available, by the reference evaluator `tools/schedule-eval`.

use std::path::PathBuf;
use std::process::Command;

use super::*;

/// `../shared/examples/schedule`, if this checkout has it.
pub(crate) fn examples_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/examples/schedule");
    dir.is_dir().then_some(dir)
}

pub(crate) fn load(name: &str) -> Option<(PathBuf, Instance)> {
    let Some(dir) = examples_dir() else {
        eprintln!("skipping: ../shared/examples/schedule not found");
        return None;
    };
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).expect("example readable");
    Some((path, Instance::from_json(&text).expect("example parses")))
}

fn python() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let py = root.join(".venv/bin/python");
    let eval = root.join("../shared/tools/schedule-eval");
    if !py.exists() || !eval.exists() {
        return None;
    }
    let ok = Command::new(&py)
        .args(["-c", "import dateutil.rrule"])
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(py)
}

/// Runs the reference evaluator on a solution; `None` (with a message) if unavailable.
pub(crate) fn reference_eval(
    instance: &std::path::Path,
    solution: &Solution,
    tag: &str,
) -> Option<serde_json::Value> {
    let Some(py) = python() else {
        eprintln!("skipping reference evaluator: .venv/bin/python with python-dateutil not found");
        return None;
    };
    let eval = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/schedule-eval");
    let file = std::env::temp_dir().join(format!(
        "carecoord-schedule-{}-{tag}.json",
        std::process::id()
    ));
    std::fs::write(&file, solution.to_json()).expect("temp file");
    let out = Command::new(py)
        .arg(eval)
        .arg(instance)
        .arg(&file)
        .arg("--json")
        .output()
        .expect("evaluator runs");
    let _ = std::fs::remove_file(&file);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "evaluator output: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Some(v)
}

fn check_example(name: &str) -> Option<(Evaluation, Solution)> {
    let (path, inst) = load(name)?;
    let t = std::time::Instant::now();
    let sol = solve(&inst, &SolveOptions::default()).expect("solves");
    eprintln!("{name}: solved in {:?}", t.elapsed());
    let ours = evaluate(&inst, &sol).expect("evaluates");
    assert!(ours.feasible, "{name}: {:?}", ours.violations);
    assert!(ours.warnings.is_empty(), "{name}: {:?}", ours.warnings);
    eprintln!("{name}: objective {:?}", ours.objective);
    if let Some(r) = reference_eval(&path, &sol, name) {
        assert_eq!(r["feasible"], true, "{name}: {}", r["violations"]);
        let warnings = r["warnings"].as_array().expect("array");
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        let objective: Vec<i64> = r["objective"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        assert_eq!(
            objective,
            ours.objective.to_vec(),
            "{name}: our evaluator disagrees with the reference"
        );
        assert_eq!(listed(&ours), listed_ref(&r), "{name}");
    }
    Some((ours, sol))
}

/// The preferred-conflict pairs and moved meetings of an evaluation, as the reference
/// evaluator's JSON has them.
fn listed(e: &Evaluation) -> (serde_json::Value, serde_json::Value) {
    let pairs: Vec<serde_json::Value> = e
        .preferred_conflict_pairs
        .iter()
        .map(|c| serde_json::json!({"meeting": c.meeting, "person": c.person, "why": c.why}))
        .collect();
    (pairs.into(), serde_json::json!(e.moved_meetings))
}

/// [`listed`] of the reference evaluator's output.
fn listed_ref(r: &serde_json::Value) -> (serde_json::Value, serde_json::Value) {
    (
        r["preferred_conflict_pairs"].clone(),
        r["moved_meetings"].clone(),
    )
}

#[test]
fn tiny_is_solved_feasibly_and_at_least_as_well_as_the_reference_solution() {
    let Some((ours, sol)) = check_example("tiny.json") else {
        return;
    };
    let (_, inst) = load("tiny.json").unwrap();
    let dir = examples_dir().unwrap();
    let reference =
        Solution::from_json(&std::fs::read_to_string(dir.join("tiny.solution.json")).unwrap())
            .unwrap();
    let theirs = evaluate(&inst, &reference).unwrap();
    assert!(theirs.feasible);
    assert!(
        ours.objective <= theirs.objective,
        "{:?} vs {:?}",
        ours.objective,
        theirs.objective
    );
    let m3 = sol
        .unplaced
        .iter()
        .find(|u| u.meeting == "m3")
        .expect("m3 cannot be placed");
    assert_eq!(m3.reason, "no_common_free_slot");
    assert_eq!(m3.conflicts, ["p2", "p5"]);
}

#[test]
fn s1_is_solved_feasibly_and_places_everything_placeable() {
    let Some((_, sol)) = check_example("S1-seed1.json") else {
        return;
    };
    let unplaced: Vec<(&str, &str)> = sol
        .unplaced
        .iter()
        .map(|u| (u.meeting.as_str(), u.reason.as_str()))
        .collect();
    // m017, m023 and m049 never fit; m038's only gaps are the only gap of m048 (priority 8 > 4).
    assert_eq!(
        unplaced,
        [
            ("m017", "no_common_free_slot"),
            ("m023", "no_common_free_slot"),
            ("m038", "lower_priority"),
            ("m049", "no_common_free_slot")
        ]
    );
}

#[test]
fn s2_is_solved_feasibly() {
    check_example("S2-seed1.json");
}

#[test]
fn s3_is_solved_feasibly() {
    check_example("S3-seed1.json");
}

#[test]
fn same_seed_same_plan() {
    let Some((_, inst)) = load("S2-seed1.json") else {
        return;
    };
    let opts = SolveOptions {
        time_limit: None,
        seed: 7,
    };
    assert_eq!(solve(&inst, &opts).unwrap(), solve(&inst, &opts).unwrap());
}

#[test]
fn replanning_keeps_every_previous_meeting_that_still_fits() {
    // S2: 7 previous placements became impossible (sick people, closed room) and urgent u01
    // has no free slot in its 48 hours without moving one meeting: 8 moves is the minimum.
    let Some((_, inst)) = load("S2-seed1.json") else {
        return;
    };
    let sol = solve(&inst, &SolveOptions::default()).unwrap();
    let e = evaluate(&inst, &sol).unwrap();
    assert_eq!(e.moved, Some(8));
    for u in ["u01", "u02", "u03", "u04", "u05"] {
        assert!(sol.assignments.iter().any(|a| a.meeting == u), "{u} placed");
    }
}

#[test]
fn s3_unplaceable_meetings_name_their_blockers() {
    let Some((_, inst)) = load("S3-seed1.json") else {
        return;
    };
    let sol = solve(&inst, &SolveOptions::default()).unwrap();
    assert!(!sol.unplaced.is_empty());
    for u in &sol.unplaced {
        assert!(!u.conflicts.is_empty(), "{}", u.meeting);
        // People first: every id named is a required person of the meeting here.
        let m = inst.meetings.iter().find(|m| m.id == u.meeting).unwrap();
        assert!(
            u.conflicts.iter().all(|c| m.required.contains(c)),
            "{}: {:?}",
            u.meeting,
            u.conflicts
        );
    }
}

#[test]
fn pinned_meeting_on_busy_person_is_an_error() {
    let inst = Instance::from_json(
        r#"{"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
          "people": [{"id": "p1", "busy": [{"start": "2026-03-23T09:00", "end": "2026-03-23T10:00"}]}],
          "rooms": [{"id": "rm1", "capacity": 2, "virtual": false}],
          "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"],
                        "pinned": {"start": "2026-03-23T09:30", "room": "rm1"}}]}"#,
    )
    .unwrap();
    let err = solve(&inst, &SolveOptions::default()).unwrap_err();
    assert_eq!(err.code(), "pinned_infeasible");
    assert_eq!(
        err.to_string(),
        "meetings[0].pinned: pinned slot breaks hard rule `person_busy`"
    );
}

#[test]
fn queries_agree_with_each_other_on_tiny() {
    let Some((_, inst)) = load("tiny.json") else {
        return;
    };
    let plan = solve(&inst, &SolveOptions::default()).unwrap();
    let diary = Diary::with_solution(&inst, &plan).unwrap();
    let people = ["p1", "p4"];
    let free = diary.free_slots(&people, &[], 60, None, None).unwrap();
    let first = diary
        .earliest_common_slot(&people, &[], 60, None, None)
        .unwrap()
        .unwrap();
    assert_eq!(first, free[0]);
    // Every grid start that is not free is blocked by someone; free ones by no one.
    let d = &diary;
    for s in &d.starts {
        let start = d.grid.local_of(s);
        let slot = Slot {
            start,
            end: start + chrono::TimeDelta::minutes(60),
            room: None,
            preferred_unavailable: vec![],
        };
        if d.grid.end_tod(start.date(), s.utc + 60) > i64::from(d.grid.day_end) {
            continue;
        }
        let blockers = diary.who_blocks(&people, &slot).unwrap();
        let is_free = free.iter().any(|f| f.start == start);
        assert_eq!(blockers.is_empty(), is_free, "{start}: {blockers:?}");
    }
    // p1 and p4 both attend s1 at 09:00 on Monday 23 March.
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
    let slot = Slot {
        start: monday.and_hms_opt(9, 0, 0).unwrap(),
        end: monday.and_hms_opt(10, 0, 0).unwrap(),
        room: Some("rm1".into()),
        preferred_unavailable: vec![],
    };
    assert_eq!(
        diary.who_blocks(&people, &slot).unwrap(),
        ["p1", "p4", "rm1", "s1"]
    );
}

#[test]
fn earliest_common_slot_prefers_slots_with_preferred_people() {
    let Some((_, inst)) = load("tiny.json") else {
        return;
    };
    let diary = Diary::new(&inst).unwrap();
    // p5 works Wednesday to Friday only.
    let slot = diary
        .earliest_common_slot(&["p1"], &["p5"], 30, None, None)
        .unwrap()
        .unwrap();
    assert_eq!(slot.start.to_string(), "2026-03-25 08:00:00");
    assert!(slot.preferred_unavailable.is_empty());
    let physical = RoomFilter {
        rooms: RoomChoice::Any,
        needs_physical: true,
    };
    let slot = diary
        .earliest_common_slot(&["p1"], &[], 30, None, Some(&physical))
        .unwrap()
        .unwrap();
    // rm1 is under maintenance until noon on Monday 23 March, p1 is free from 08:00.
    assert_eq!(
        (slot.start.to_string().as_str(), slot.room.as_deref()),
        ("2026-03-23 12:00:00", Some("rm1"))
    );
    let err = diary
        .earliest_common_slot(&["nobody"], &[], 30, None, None)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_query");
}

mod props {
    use super::*;
    use chrono::{NaiveDate, TimeDelta, Weekday};
    use proptest::prelude::*;

    /// Person: weekday mask, busy (day, quarter from 07:00, length in quarters).
    type PersonSpec = (u8, Vec<(u32, u32, u32)>);
    /// Meeting: duration, required, preferred, priority, needs physical, room choice, window.
    type MeetingSpec = (
        u32,
        Vec<usize>,
        Vec<usize>,
        u32,
        bool,
        u32,
        Option<(u32, u32)>,
    );
    /// Series: attendees, room, start quarter, length in quarters, daily (else weekly).
    type SeriesSpec = (Vec<usize>, Option<usize>, u32, u32, bool);

    #[derive(Debug, Clone)]
    struct Spec {
        start: NaiveDate,
        days: u32,
        grain: u32,
        holidays: Vec<u32>,
        people: Vec<PersonSpec>,
        rooms: Vec<(bool, u32)>,
        meetings: Vec<MeetingSpec>,
        series: Vec<SeriesSpec>,
    }

    fn spec() -> impl Strategy<Value = Spec> {
        let starts = prop::sample::select(vec![
            NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 26).unwrap(),
            NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
        ]);
        (
            starts,
            3u32..9,
            prop::sample::select(vec![15u32, 30, 60]),
            prop::collection::vec(0u32..9, 0..2),
            prop::collection::vec(
                (
                    any::<u8>(),
                    prop::collection::vec((0u32..9, 0u32..48, 1u32..16), 0..4),
                ),
                2..6,
            ),
            prop::collection::vec((any::<bool>(), 1u32..6), 1..4),
            prop::collection::vec(
                (
                    prop::sample::select(vec![15u32, 30, 45, 60, 90]),
                    prop::collection::vec(0usize..6, 1..4),
                    prop::collection::vec(0usize..6, 0..3),
                    1u32..10,
                    any::<bool>(),
                    0u32..4,
                    prop::option::of((0u32..6, 1u32..4)),
                ),
                1..9,
            ),
            prop::collection::vec(
                (
                    prop::collection::vec(0usize..6, 1..3),
                    prop::option::of(0usize..4),
                    0u32..40,
                    1u32..8,
                    any::<bool>(),
                ),
                0..3,
            ),
        )
            .prop_map(
                |(start, days, grain, holidays, people, rooms, meetings, series)| Spec {
                    start,
                    days,
                    grain,
                    holidays,
                    people,
                    rooms,
                    meetings,
                    series,
                },
            )
    }

    fn at(d: NaiveDate, quarter: u32) -> chrono::NaiveDateTime {
        d.and_hms_opt(0, 0, 0).unwrap() + TimeDelta::minutes(i64::from(quarter) * 15 + 7 * 60)
    }

    fn build(s: &Spec) -> Instance {
        let np = s.people.len();
        let day = |i: u32| s.start + chrono::Days::new(u64::from(i % s.days));
        let mut horizon = Horizon::new(s.start, s.days);
        horizon.grain_minutes = s.grain;
        horizon.bank_holidays = s.holidays.iter().map(|i| day(*i)).collect();
        horizon.bank_holidays.sort();
        horizon.bank_holidays.dedup();
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        let people = s
            .people
            .iter()
            .enumerate()
            .map(|(i, (mask, busy))| {
                let mut p = Person::new(format!("p{i}"));
                p.working_days = all
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| mask & (1 << k) != 0 || *mask < 64)
                    .map(|(_, w)| *w)
                    .collect();
                p.busy = busy
                    .iter()
                    .map(|(d, q, len)| Busy {
                        start: at(day(*d), *q),
                        end: at(day(*d), q + len),
                        label: None,
                    })
                    .collect();
                p
            })
            .collect();
        let rooms: Vec<Room> = s
            .rooms
            .iter()
            .enumerate()
            .map(|(i, (virt, cap))| Room {
                id: format!("r{i}"),
                name: None,
                capacity: (!virt).then_some(*cap),
                is_virtual: *virt,
                unavailable: if i == 0 {
                    vec![Unavailable {
                        start: at(day(1), 4),
                        end: at(day(1), 12),
                        reason: None,
                    }]
                } else {
                    vec![]
                },
            })
            .collect();
        let nr = rooms.len();
        let meetings = s
            .meetings
            .iter()
            .enumerate()
            .map(|(i, (dur, req, pref, prio, phys, rooms_sel, window))| {
                let mut req: Vec<usize> = req.iter().map(|p| p % np).collect();
                req.sort_unstable();
                req.dedup();
                let mut pref: Vec<usize> = pref
                    .iter()
                    .map(|p| p % np)
                    .filter(|p| !req.contains(p))
                    .collect();
                pref.sort_unstable();
                pref.dedup();
                let mut m =
                    Meeting::new(format!("m{i}"), *dur, req.iter().map(|p| format!("p{p}")));
                m.preferred = pref.iter().map(|p| format!("p{p}")).collect();
                m.priority = *prio;
                m.needs_physical = *phys;
                if *rooms_sel > 0 {
                    m.rooms = RoomChoice::Only(
                        (0..nr)
                            .filter(|r| r % 2 == (*rooms_sel as usize) % 2 || nr == 1)
                            .map(|r| format!("r{r}"))
                            .collect(),
                    );
                }
                if let Some((d0, len)) = window {
                    m.earliest = Some(at(day(*d0), 0));
                    m.latest = Some(at(day(*d0), 0) + TimeDelta::days(i64::from(*len)));
                }
                m
            })
            .collect();
        let series = s
            .series
            .iter()
            .enumerate()
            .map(|(i, (att, room, q, len, daily))| {
                let mut att: Vec<String> = att.iter().map(|p| format!("p{}", p % np)).collect();
                att.sort();
                att.dedup();
                Series {
                    id: format!("s{i}"),
                    title: String::new(),
                    rrule: if *daily {
                        "FREQ=DAILY".into()
                    } else {
                        "FREQ=WEEKLY;BYDAY=MO,TH".into()
                    },
                    dtstart: at(s.start - chrono::Days::new(7), *q),
                    duration_minutes: len * 15,
                    attendees: att,
                    room: room.map(|r| format!("r{}", r % nr)),
                    holiday_policy: if *daily {
                        HolidayPolicy::Skip
                    } else {
                        HolidayPolicy::NextWorkingDay
                    },
                }
            })
            .collect();
        let inst = Instance {
            name: "prop".into(),
            horizon,
            people,
            rooms,
            meetings,
            series,
            previous: None,
        };
        inst.validate().unwrap();
        inst
    }

    fn check(inst: &Instance, sol: &Solution) {
        let e = evaluate(inst, sol).unwrap();
        assert!(e.feasible, "{:?}\n{}", e.violations, inst.to_json());
        assert!(
            e.warnings.is_empty(),
            "{:?}\n{}",
            e.warnings,
            inst.to_json()
        );
        // No double booking, checked directly as well.
        for (i, a) in sol.assignments.iter().enumerate() {
            let ma = inst.meetings.iter().find(|m| m.id == a.meeting).unwrap();
            let ra = inst.rooms.iter().find(|r| r.id == a.room).unwrap();
            let ea = a.start + TimeDelta::minutes(i64::from(ma.duration_minutes));
            for b in &sol.assignments[i + 1..] {
                let mb = inst.meetings.iter().find(|m| m.id == b.meeting).unwrap();
                let eb = b.start + TimeDelta::minutes(i64::from(mb.duration_minutes));
                if a.start < eb && b.start < ea {
                    assert!(ma.required.iter().all(|p| !mb.required.contains(p)));
                    assert!(ra.is_virtual || a.room != b.room);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn plans_are_feasible_deterministic_and_keep_pins(s in spec()) {
            let inst = build(&s);
            let opts = SolveOptions { time_limit: None, seed: 3 };
            let sol = solve(&inst, &opts).unwrap();
            check(&inst, &sol);
            prop_assert_eq!(&solve(&inst, &opts).unwrap(), &sol);
            // Pin every other placed meeting where it is, and re-plan from it as `previous`.
            let mut pinned = inst.clone();
            for (k, a) in sol.assignments.iter().enumerate() {
                if k % 2 == 0 {
                    let m = pinned.meetings.iter_mut().find(|m| m.id == a.meeting).unwrap();
                    m.pinned = Some(Pin { start: a.start, room: a.room.clone() });
                }
            }
            pinned.previous = Some(Previous { assignments: sol.assignments.clone() });
            let again = solve(&pinned, &opts).unwrap();
            check(&pinned, &again);
            for m in &pinned.meetings {
                if let Some(pin) = &m.pinned {
                    let a = again.assignments.iter().find(|a| a.meeting == m.id).unwrap();
                    prop_assert_eq!((a.start, &a.room), (pin.start, &pin.room));
                }
            }
            // Nothing changed, so nothing moves unless that places more priority.
            let (e0, e1) = (evaluate(&inst, &sol).unwrap(), evaluate(&pinned, &again).unwrap());
            prop_assert!(e1.objective[1] <= e0.objective[1]);
            prop_assert!(e1.moved == Some(0) || e1.objective[1] < e0.objective[1]);
        }

        #[test]
        fn the_reference_evaluator_agrees(s in spec()) {
            let inst = build(&s);
            let sol = solve(&inst, &SolveOptions { time_limit: None, seed: 1 }).unwrap();
            let dir = std::env::temp_dir();
            let path = dir.join(format!("carecoord-prop-{}-{}.json", std::process::id(), s.meetings.len()));
            std::fs::write(&path, inst.to_json()).unwrap();
            let r = reference_eval(&path, &sol, "prop");
            let _ = std::fs::remove_file(&path);
            let Some(r) = r else { return Ok(()) };
            let ours = evaluate(&inst, &sol).unwrap();
            prop_assert_eq!(&r["feasible"], &serde_json::Value::Bool(true), "{}\n{}", r["violations"], inst.to_json());
            prop_assert_eq!(r["warnings"].as_array().map(Vec::len), Some(0), "{}\n{}", r["warnings"], inst.to_json());
            let objective: Vec<i64> = r["objective"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
            prop_assert_eq!(objective, ours.objective.to_vec());
            prop_assert_eq!(listed(&ours), listed_ref(&r));
        }
    }
}
