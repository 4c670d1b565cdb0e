//! Scheduling: the C ABI gives the same plans, reports, diary answers, agendas, action-log
//! lists and calendars as the Rust API on the shared examples, and no input makes it panic.

use std::ffi::{c_char, CStr};
use std::path::PathBuf;

use carecoord::schedule::{
    series_conflicts, series_occurrences, solve, to_icalendar, Action, ActionLog, Agenda,
    AgendaItem, AgendaOptions, Diary, IcalOptions, Instance, MeetingTime, Minutes, SolveOptions,
    Window,
};
use chrono::{Duration, NaiveDate};
use ffi::calendar::carecoord_date;
use ffi::carecoord_result::{self, *};
use ffi::schedule::*;
use ffi::text::carecoord_string_free;
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

/// Call a C function that writes a library string; the code and the string (freed).
fn c_out(
    f: impl FnOnce(*mut *mut c_char) -> carecoord_result,
) -> (carecoord_result, Option<String>) {
    let mut out = std::ptr::null_mut();
    let r = f(&mut out);
    (r, (r == CARECOORD_RESULT_OK).then(|| take(out)))
}

fn ok(f: impl FnOnce(*mut *mut c_char) -> carecoord_result) -> String {
    let (r, out) = c_out(f);
    assert_eq!(r, CARECOORD_RESULT_OK);
    out.unwrap()
}

/// `(ptr, len)` of a Rust string for a C argument.
fn arg(s: &str) -> (*const c_char, usize) {
    (s.as_ptr().cast(), s.len())
}

/// The first placed meeting of each shared example, its agenda built by C and by Rust from
/// the same items (the meeting time comes from the C API and is read back by serde).
#[test]
fn c_agendas_and_calendars_are_the_cores() {
    let items_json = r#"[{"patient_ref": "CASE-1", "label": "AB, 84", "risk_tier": 2,
        "days_since_review": 40, "involved": ["p1"], "summary": {"reason": "Falls"}},
        {"patient_ref": "CASE-2", "label": "CD, 77", "risk_tier": 1, "breached": true,
         "minutes": 25, "involved": ["p2"]},
        {"patient_ref": "CASE-3", "label": "EF, 91", "minutes": 30}]"#;
    let items = {
        let mut a = AgendaItem::new("CASE-1", "AB, 84", Some(2));
        a.days_since_review = Some(40);
        a.involved = vec!["p1".into()];
        a.summary.reason = "Falls".into();
        let mut b = AgendaItem::new("CASE-2", "CD, 77", Some(1));
        b.breached = true;
        b.minutes = Some(25);
        b.involved = vec!["p2".into()];
        let mut c = AgendaItem::new("CASE-3", "EF, 91", None);
        c.minutes = Some(30);
        [a, b, c]
    };
    for name in ["tiny.json", "S1-seed1.json"] {
        let Some(text) = example(name) else { return };
        let inst = Instance::from_json(&text).unwrap();
        let plan = solve(&inst, &SolveOptions::default()).unwrap();
        let plan_json = plan.to_json();
        let first = &plan.assignments[0];
        let (i, il) = arg(&text);
        let (p, pl) = arg(&plan_json);
        let (m, ml) = arg(&first.meeting);
        // SAFETY: valid pointers and lengths; the out-pointer is a local.
        let held_json = ok(|o| unsafe { carecoord_schedule_meeting_time(i, il, p, pl, m, ml, o) });
        let meeting = inst
            .meetings
            .iter()
            .find(|x| x.id == first.meeting)
            .unwrap();
        let held = MeetingTime::placed(meeting, first).unwrap();
        let quote = |ids: &[String]| {
            ids.iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let t = |x: chrono::NaiveDateTime| x.format("%Y-%m-%dT%H:%M").to_string();
        assert_eq!(
            held_json,
            format!(
                "{{\"id\": \"{}\", \"title\": \"{}\", \"start\": \"{}\", \"end\": \"{}\", \
                 \"room\": \"{}\", \"required\": [{}], \"preferred\": [{}]}}",
                held.id,
                held.title,
                t(held.start),
                t(held.end),
                first.room,
                quote(&held.required),
                quote(&held.preferred)
            ),
            "{name}"
        );

        let agenda = Agenda::build(&held, &items, &AgendaOptions::default());
        let (mj, mjl) = arg(&held_json);
        let (it, itl) = arg(items_json);
        match agenda {
            Ok(agenda) => {
                for person in [None, Some("p1"), Some("p9")] {
                    let (pp, ppl) = person.map_or((std::ptr::null(), 0), arg);
                    let md = ok(|o| {
                        // SAFETY: valid pointers and lengths (or NULL options and person).
                        unsafe {
                            carecoord_schedule_agenda_markdown(
                                mj,
                                mjl,
                                it,
                                itl,
                                std::ptr::null(),
                                0,
                                pp,
                                ppl,
                                o,
                            )
                        }
                    });
                    let html = ok(|o| {
                        // SAFETY: as above.
                        unsafe {
                            carecoord_schedule_agenda_html(
                                mj,
                                mjl,
                                it,
                                itl,
                                std::ptr::null(),
                                0,
                                pp,
                                ppl,
                                o,
                            )
                        }
                    });
                    match person {
                        None => {
                            assert_eq!(md, agenda.to_markdown());
                            assert_eq!(html, agenda.to_html());
                        }
                        Some(p) => {
                            assert_eq!(md, agenda.to_markdown_for(p));
                            assert_eq!(html, agenda.to_html_for(p));
                        }
                    }
                }
                let json = ok(|o| {
                    // SAFETY: as above.
                    unsafe { carecoord_schedule_agenda(mj, mjl, it, itl, std::ptr::null(), 0, o) }
                });
                assert_eq!(
                    json.matches("\"kind\": ").count(),
                    agenda.entries.len(),
                    "{name}"
                );
                assert_eq!(json.matches("\"reason\": ").count(), agenda.deferred.len());
            }
            // A meeting too short for the opening and closing items: the same error in C.
            Err(e) => {
                let (r, _) = c_out(|o| {
                    // SAFETY: as above.
                    unsafe { carecoord_schedule_agenda(mj, mjl, it, itl, std::ptr::null(), 0, o) }
                });
                assert!((500..600).contains(&(r as i32)), "{name}: {r:?} for {e}");
            }
        }

        // Calendar and occurrences.
        // SAFETY: valid pointers and lengths; NULL options.
        let ics = ok(|o| unsafe {
            carecoord_schedule_to_icalendar(i, il, p, pl, std::ptr::null(), 0, o)
        });
        assert_eq!(
            ics,
            to_icalendar(&inst, &plan, &IcalOptions::default()).unwrap()
        );
        // SAFETY: valid pointer and length.
        let occ = ok(|o| unsafe { carecoord_schedule_series_occurrences(i, il, o) });
        let ours = series_occurrences(&inst).unwrap();
        assert_eq!(occ.matches("\"series\": ").count(), ours.len());
        let mut at = 0;
        for r in &ours {
            let entry = format!(
                "{{\"series\": \"{}\", \"start\": \"{}\", \"end\": \"{}\"",
                r.series,
                t(r.start),
                t(r.end)
            );
            let found = occ[at..].find(&entry);
            assert!(found.is_some(), "{name}: {entry}");
            at += found.unwrap_or(0) + 1;
        }
    }
}

/// For each object of a one-line JSON array: `<first key and its string value>|<number after
/// the second key>`, in order.
fn values(json: &str, first: &str, second: &str) -> Vec<String> {
    json.split(first)
        .skip(1)
        .map(|part| {
            let id = part.split(',').next().unwrap_or("");
            let n: String = part
                .split(second)
                .nth(1)
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!("{first}{id}|{n}")
        })
        .collect()
}

struct CLog(*mut carecoord_action_log);

impl Drop for CLog {
    fn drop(&mut self) {
        // SAFETY: a live handle, freed once.
        unsafe { carecoord_action_log_free(self.0) };
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random logs: the C overdue and chase lists are the core's, for any date asked about.
    #[test]
    fn action_log_lists_agree_with_the_core(
        actions in proptest::collection::vec((0u32..4, 0i64..30, 0i64..20, any::<bool>()), 0..12),
        as_of in 0i64..60,
    ) {
        let start = day(3, 2);
        let mut log = ActionLog::new();
        for (k, (owner, raised, due, done)) in actions.iter().enumerate() {
            let d = start + Duration::days(*raised);
            let m = MeetingTime::new(format!("m{raised}"), "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
            let mut minutes = Minutes::new(&m);
            minutes.actions.push(Action::new(format!("A{k}"), "Do it", format!("p{owner}"), d + Duration::days(*due), &m));
            log.add_minutes(&minutes).unwrap();
            if *done {
                log.set_status(&format!("A{k}"), carecoord::schedule::ActionStatus::Done(d)).unwrap();
            }
        }
        let json = log.to_json();
        let mut handle = std::ptr::null_mut();
        // SAFETY: valid pointer and length; `handle` is a local.
        let r = unsafe { carecoord_action_log_from_json(json.as_ptr().cast(), json.len(), &mut handle) };
        prop_assert_eq!(r, CARECOORD_RESULT_OK);
        let c = CLog(handle);
        let when = start + Duration::days(as_of);
        let date = carecoord_date { year: 2026, month: chrono::Datelike::month(&when), day: chrono::Datelike::day(&when) };
        // SAFETY: a live handle and a local out-pointer.
        let overdue = ok(|o| unsafe { carecoord_action_log_overdue(c.0, date, o) });
        let ours: Vec<String> = log.overdue(when).iter()
            .map(|o| format!("\"id\": \"{}\"|{}", o.action.id, o.days_overdue)).collect();
        prop_assert_eq!(values(&overdue, "\"id\": ", "\"days_overdue\": "), ours);
        // SAFETY: as above.
        let chase = ok(|o| unsafe { carecoord_action_log_chase_list(c.0, date, o) });
        let owners: Vec<String> = log.chase_list(when).into_iter().map(|g| format!("\"{}\"", g.owner)).collect();
        let got: Vec<String> = chase.split("{\"owner\": ").skip(1)
            .map(|p| p.split(',').next().unwrap_or("").to_string()).collect();
        prop_assert_eq!(got, owners);
    }

    /// No text given as agenda items, options, minutes or a status makes the library panic:
    /// it answers or names the problem with a schedule code.
    #[test]
    fn no_meeting_work_text_panics(text in "\\PC{0,80}|[\\[\\]{}\":,0-9a-z_\\\\ .-]{0,80}") {
        const HELD: &str = r#"{"id": "m1", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"}"#;
        let (t, tl) = arg(&text);
        let (m, ml) = arg(HELD);
        let (e, el) = arg("[]");
        let codes = [
            // SAFETY: valid pointers and lengths; local out-pointers.
            c_out(|o| unsafe { carecoord_schedule_agenda(m, ml, t, tl, std::ptr::null(), 0, o) }).0,
            // SAFETY: as above.
            c_out(|o| unsafe { carecoord_schedule_agenda(m, ml, e, el, t, tl, o) }).0,
            // SAFETY: as above.
            c_out(|o| unsafe { carecoord_schedule_agenda(t, tl, e, el, std::ptr::null(), 0, o) }).0,
        ];
        let log = {
            let mut h = std::ptr::null_mut();
            // SAFETY: a local out-pointer.
            prop_assert_eq!(unsafe { carecoord_action_log_new(&mut h) }, CARECOORD_RESULT_OK);
            CLog(h)
        };
        let (a, al) = arg("A1");
        // SAFETY: a live handle and valid pointers.
        let more = [
            unsafe { carecoord_action_log_add_minutes(log.0, t, tl, std::ptr::null_mut()) },
            // SAFETY: as above.
            unsafe { carecoord_action_log_set_status(log.0, a, al, t, tl) },
        ];
        for r in codes.into_iter().chain(more) {
            prop_assert!(
                r == CARECOORD_RESULT_OK || (500..600).contains(&(r as i32)),
                "{:?} for {:?}", r, text
            );
        }
    }
}
