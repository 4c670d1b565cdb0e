//! Meeting scheduling: reading instances, planning them, and a diary query.
//!
//! * `schedule/parse/<instance>/carecoord`: `Instance::from_json` on the format's example
//!   files (copied to `benches/data/schedule/`, see its SOURCES.md);
//! * `schedule/solve/<instance>/carecoord`: `solve` with the default options (tiny, S1, S2
//!   re-planning after a disruption, S3 a whole year), each plan checked with `evaluate`
//!   before timing and its size asserted on every iteration;
//! * `schedule/earliest_common_slot/S1/carecoord`: six required and four preferred people
//!   and a room on S1's month-long diary (`Diary` built once);
//! * `schedule/solve/gen_<people>p_<meetings>m/carecoord`: instances of growing size from
//!   `carecoord::synth::schedule_instance` (the S1 shape scaled up).
//!
//! The comparison with OR-Tools CP-SAT is `benches/python/bench_schedule.py`.

use std::hint::black_box;

use carecoord::schedule::{evaluate, solve, Diary, Instance, RoomFilter, SolveOptions};
use carecoord::synth::{schedule_instance, ScheduleInstanceConfig};
use carecoord_benches::config;
use criterion::{criterion_group, criterion_main, Criterion};

const FILES: [(&str, &str); 4] = [
    ("tiny", include_str!("../data/schedule/tiny.json")),
    ("S1", include_str!("../data/schedule/S1-seed1.json")),
    ("S2_replan", include_str!("../data/schedule/S2-seed1.json")),
    ("S3", include_str!("../data/schedule/S3-seed1.json")),
];

/// Solves once, checks the plan like the reference evaluator, and returns the number of
/// meetings placed (what every timed iteration must reproduce).
fn checked_placed(name: &str, inst: &Instance) -> usize {
    let plan = solve(inst, &SolveOptions::default()).expect("solves");
    let e = evaluate(inst, &plan).expect("evaluates");
    assert!(e.feasible, "{name}: {:?}", e.violations);
    assert!(e.warnings.is_empty(), "{name}: {:?}", e.warnings);
    plan.assignments.len()
}

fn schedule_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("schedule");
    let mut parsed = Vec::new();
    for (name, text) in FILES {
        let inst = Instance::from_json(text).expect("example instances read");
        let meetings = inst.meetings.len();
        g.bench_function(format!("parse/{name}/carecoord"), |b| {
            b.iter(|| {
                let i = Instance::from_json(black_box(text)).expect("reads");
                assert_eq!(i.meetings.len(), meetings);
            })
        });
        parsed.push((name, inst));
    }

    g.sample_size(10);
    for (name, inst) in &parsed {
        let placed = checked_placed(name, inst);
        g.bench_function(format!("solve/{name}/carecoord"), |b| {
            b.iter(|| {
                let plan = solve(black_box(inst), &SolveOptions::default()).expect("solves");
                assert_eq!(plan.assignments.len(), placed);
            })
        });
    }

    // A coordinator's question on S1's diary: when can m003's six required people meet for
    // an hour, with a room, leaving out as few of its four preferred people as possible?
    let s1 = &parsed[1].1;
    let m = s1
        .meetings
        .iter()
        .find(|m| m.id == "m003")
        .expect("S1 has m003");
    let diary = Diary::new(s1).expect("diary");
    let req: Vec<&str> = m.required.iter().map(String::as_str).collect();
    let pref: Vec<&str> = m.preferred.iter().map(String::as_str).collect();
    let rooms = RoomFilter::default();
    let expected = diary
        .earliest_common_slot(&req, &pref, 60, None, Some(&rooms))
        .expect("query")
        .expect("a slot exists");
    g.sample_size(20);
    g.bench_function("earliest_common_slot/S1/carecoord", |b| {
        b.iter(|| {
            let slot = diary
                .earliest_common_slot(black_box(&req), black_box(&pref), 60, None, Some(&rooms))
                .expect("query");
            assert_eq!(slot.as_ref().map(|s| s.start), Some(expected.start));
        })
    });

    g.sample_size(10);
    for (people, rooms, meetings, series) in [
        (20, 2, 30, 3),
        (40, 4, 60, 6),
        (80, 6, 120, 10),
        (160, 10, 240, 16),
    ] {
        let name = format!("gen_{people}p_{meetings}m");
        let inst = schedule_instance(&ScheduleInstanceConfig {
            name: name.clone(),
            people,
            rooms,
            meetings,
            series,
            ..ScheduleInstanceConfig::month(1)
        });
        // The largest can reach the 1.5 s time limit, so its plan size is only checked once.
        let placed = checked_placed(&name, &inst);
        g.bench_function(format!("solve/{name}/carecoord"), |b| {
            b.iter(|| {
                let plan = solve(black_box(&inst), &SolveOptions::default()).expect("solves");
                assert!(plan.assignments.len() + 2 >= placed);
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = schedule_benches
}
criterion_main!(benches);
