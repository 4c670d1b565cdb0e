//! Scheduling: the C ABI gives the same plans, reports and diary answers as the Rust API on
//! the shared examples, and no input makes it panic.

use std::ffi::{c_char, CStr};
use std::path::PathBuf;

use carecoord::schedule::{series_conflicts, solve, Diary, Instance, SolveOptions, Window};
use chrono::{Duration, NaiveDate};
use ffi::carecoord_result::{self, *};
use ffi::schedule::*;
use proptest::prelude::*;

/// A shared example's text, if `../shared` sits beside the project (as in CI).
fn example(name: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/examples/schedule")
        .join(name);
    let text = std::fs::read_to_string(&path).ok();
    if text.is_none() {
        eprintln!("skipping: {} not found", path.display());
    }
    text
}

/// Take a library string, copy it and free it.
fn take(s: *mut c_char) -> String {
    assert!(!s.is_null());
    // SAFETY: a NUL-terminated string made by the library, freed once right after.
    let out = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_string();
    // SAFETY: as above.
    unsafe { carecoord_string_free(s) };
    out
}

fn c_solve(instance: &str, options: &carecoord_schedule_options) -> String {
    let mut out = std::ptr::null_mut();
    // SAFETY: valid pointers and lengths; `out` is a local.
    let r = unsafe {
        carecoord_schedule_solve(
            instance.as_ptr().cast(),
            instance.len(),
            std::ptr::null(),
            0,
            options,
            &mut out,
        )
    };
    assert_eq!(r, CARECOORD_RESULT_OK);
    take(out)
}

/// With no time limit the search stops on its own counters, so C and Rust plan alike.
#[test]
fn c_plans_and_reports_as_the_core_does() {
    let unlimited = carecoord_schedule_options {
        time_limit_ms: 0,
        seed: 0,
    };
    for name in ["tiny.json", "S1-seed1.json"] {
        let Some(text) = example(name) else { return };
        let inst = Instance::from_json(&text).unwrap();
        let ours = solve(
            &inst,
            &SolveOptions {
                time_limit: None,
                seed: 0,
            },
        )
        .unwrap();
        let c = c_solve(&text, &unlimited);
        assert_eq!(c, ours.to_json(), "{name}");

        let mut out = std::ptr::null_mut();
        // SAFETY: valid pointers and lengths; `out` is a local.
        let r = unsafe {
            carecoord_schedule_evaluate(
                text.as_ptr().cast(),
                text.len(),
                c.as_ptr().cast(),
                c.len(),
                &mut out,
            )
        };
        assert_eq!(r, CARECOORD_RESULT_OK);
        let evaluation = take(out);
        let e = carecoord::schedule::evaluate(&inst, &ours).unwrap();
        let [a, b, m, p, g] = e.objective;
        assert!(
            evaluation.contains(&format!("\"objective\": [{a}, {b}, {m}, {p}, {g}]")),
            "{evaluation}"
        );
        assert!(evaluation.contains("\"feasible\": true"));

        let mut out = std::ptr::null_mut();
        // SAFETY: valid pointers and lengths; `out` is a local.
        let r = unsafe {
            carecoord_schedule_series_conflicts(text.as_ptr().cast(), text.len(), &mut out)
        };
        assert_eq!(r, CARECOORD_RESULT_OK);
        let report = take(out);
        let expected = series_conflicts(&inst).unwrap();
        assert_eq!(
            report.matches("\"series\": ").count(),
            expected.len(),
            "{name}"
        );
        for c in &expected {
            let entry = format!(
                "{{\"series\": \"{}\", \"start\": \"{}\", \"conflicts\": [{}]}}",
                c.series,
                c.start.format("%Y-%m-%dT%H:%M"),
                c.conflicts
                    .iter()
                    .map(|id| format!("\"{id}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            assert!(report.contains(&entry), "{name}: {entry}");
        }
    }
}

struct CDiary(*mut carecoord_diary);

impl Drop for CDiary {
    fn drop(&mut self) {
        // SAFETY: a live handle, freed once.
        unsafe { carecoord_diary_free(self.0) };
    }
}

fn c_diary(text: &str) -> CDiary {
    let mut d = std::ptr::null_mut();
    // SAFETY: valid pointer and length; `d` is a local.
    let r = unsafe { carecoord_diary_new(text.as_ptr().cast(), text.len(), &mut d) };
    assert_eq!(r, CARECOORD_RESULT_OK);
    CDiary(d)
}

fn c_query(
    d: &CDiary,
    f: unsafe extern "C" fn(
        *const carecoord_diary,
        *const c_char,
        usize,
        *mut *mut c_char,
    ) -> carecoord_result,
    query: &str,
) -> (carecoord_result, Option<String>) {
    let mut out = std::ptr::null_mut();
    // SAFETY: a live handle, a valid query and a local out-pointer.
    let r = unsafe { f(d.0, query.as_ptr().cast(), query.len(), &mut out) };
    (r, (r == CARECOORD_RESULT_OK).then(|| take(out)))
}

const TINY_PEOPLE: [&str; 5] = ["p1", "p2", "p3", "p4", "p5"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any query over tiny: the C answer is the core's (earliest slot, number of free slots,
    /// who blocks a slot).
    #[test]
    fn diary_queries_agree_with_the_core(
        mask in 1u8..32,
        preferred_mask in 0u8..32,
        duration in 1u32..240,
        day in 0i64..16,
        minute in 0i64..(24 * 60),
        physical in any::<bool>(),
    ) {
        let Some(text) = example("tiny.json") else { return Ok(()) };
        let inst = Instance::from_json(&text).unwrap();
        let diary = Diary::new(&inst).unwrap();
        let c = c_diary(&text);
        let people: Vec<&str> = TINY_PEOPLE.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, p)| *p).collect();
        let preferred: Vec<&str> = TINY_PEOPLE.iter().enumerate()
            .filter(|(i, _)| preferred_mask & (1 << i) != 0 && mask & (1 << i) == 0).map(|(_, p)| *p).collect();
        let earliest = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap().and_hms_opt(0, 0, 0).unwrap()
            + Duration::days(day) + Duration::minutes(minute);
        let quote = |ids: &[&str]| ids.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ");
        let query = format!(
            "{{\"people\": [{}], \"preferred\": [{}], \"duration_minutes\": {duration}, \
              \"window\": {{\"earliest\": \"{}\"}}, \"needs_physical\": {physical}}}",
            quote(&people), quote(&preferred), earliest.format("%Y-%m-%dT%H:%M"),
        );
        let filter = physical.then(|| carecoord::schedule::RoomFilter { needs_physical: true, ..Default::default() });
        let window = Window { earliest: Some(earliest), latest: None };

        let ours = diary.earliest_common_slot(&people, &preferred, duration, Some(window), filter.as_ref()).unwrap();
        let (r, got) = c_query(&c, carecoord_diary_earliest_common_slot, &query);
        prop_assert_eq!(r, CARECOORD_RESULT_OK);
        let got = got.unwrap();
        match &ours {
            None => prop_assert_eq!(got, "null"),
            Some(s) => {
                let start = format!("{{\"start\": \"{}\"", s.start.format("%Y-%m-%dT%H:%M"));
                prop_assert!(got.starts_with(&start), "{} vs {}", got, start);
            }
        }

        let slots = diary.free_slots(&people, &preferred, duration, Some(window), filter.as_ref()).unwrap();
        let (r, got) = c_query(&c, carecoord_diary_free_slots, &query);
        prop_assert_eq!(r, CARECOORD_RESULT_OK);
        prop_assert_eq!(got.unwrap().matches("\"start\": ").count(), slots.len());

        let end = earliest + Duration::minutes(i64::from(duration));
        let blocks = format!(
            "{{\"people\": [{}], \"start\": \"{}\", \"end\": \"{}\", \"room\": \"rm1\"}}",
            quote(&people), earliest.format("%Y-%m-%dT%H:%M"), end.format("%Y-%m-%dT%H:%M"),
        );
        let slot = carecoord::schedule::Slot { start: earliest, end, room: Some("rm1".into()), preferred_unavailable: vec![] };
        let ids = diary.who_blocks(&people, &slot).unwrap();
        let (r, got) = c_query(&c, carecoord_diary_who_blocks, &blocks);
        prop_assert_eq!(r, CARECOORD_RESULT_OK);
        prop_assert_eq!(got.unwrap(), format!("[{}]", quote(&ids.iter().map(String::as_str).collect::<Vec<_>>())));
    }

    /// No query text, however malformed, makes the library panic: it answers or names the
    /// problem with a schedule code.
    #[test]
    fn no_query_text_panics(query in "\\PC{0,80}|[\\[\\]{}\":,0-9a-z\\\\ .-]{0,80}") {
        let c = c_diary(MINI);
        for f in [carecoord_diary_earliest_common_slot, carecoord_diary_free_slots, carecoord_diary_who_blocks] {
            let (r, _) = c_query(&c, f, &query);
            prop_assert!(
                r == CARECOORD_RESULT_OK || (500..600).contains(&(r as i32)),
                "{:?} for {:?}", r, query
            );
        }
    }
}

const MINI: &str = r#"{"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
  "people": [{"id": "p1"}], "rooms": [{"id": "virt", "virtual": true}]}"#;
