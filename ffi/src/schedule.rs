//! Meeting scheduling (core `carecoord::schedule`): plan meetings, check a plan, report
//! series conflicts, ask a diary questions, and do the meeting work around them (agendas,
//! minutes and the action log, availability emails, iCalendar export). Documents go in and
//! out as JSON text.
//!
//! * [`carecoord_schedule_solve`], [`carecoord_schedule_evaluate`],
//!   [`carecoord_schedule_series_conflicts`] and [`carecoord_schedule_series_occurrences`]
//!   take a `carecoord.schedule.v1` instance (format §2) and return JSON written by the
//!   library.
//! * [`carecoord_diary`] is an opaque, immutable handle: an instance compiled once
//!   ([`carecoord_diary_new`], [`carecoord_diary_with_solution`]) for many fast questions
//!   ([`carecoord_diary_earliest_common_slot`], [`carecoord_diary_free_slots`],
//!   [`carecoord_diary_who_blocks`]), freed with [`carecoord_diary_free`].
//! * Agendas: [`carecoord_schedule_agenda`] allocates patients to an MDT's time slots and
//!   returns the agenda as JSON; [`carecoord_schedule_agenda_markdown`] and
//!   [`carecoord_schedule_agenda_html`] render it, in full or for one attendee. The meeting
//!   is a *meeting time* object; [`carecoord_schedule_meeting_time`] makes one from a plan.
//! * [`carecoord_action_log`] is an opaque, mutable handle: actions carried from meeting to
//!   meeting ([`carecoord_action_log_add_minutes`], [`carecoord_action_log_set_status`]),
//!   with the overdue list, the chasing list by owner, and tables in Markdown, HTML and JSON.
//! * [`carecoord_schedule_candidate_slots`] and [`carecoord_schedule_availability_email`]:
//!   a few candidate slots for a meeting and the email asking which the invitees can make.
//! * [`carecoord_schedule_to_icalendar`]: RFC 5545 text of a plan and its series.
//!
//! JSON strings in are `const char *ptr, size_t len` (UTF-8, not necessarily
//! NUL-terminated). Strings out are NUL-terminated `char *` owned by the caller and
//! released with [`carecoord_string_free`]. Errors name the argument and the JSON path
//! (`argument `instance_json`: meetings[0].required[0]: unknown person id`), never a value.
//!
//! Documents of the format are read by the core. The other JSON arguments (queries,
//! options, meeting times, agenda items, minutes) are parsed here with `serde_json` (its
//! default recursion limit of 128 levels keeps hostile nesting off the stack) and read field
//! by field, so that an error names the JSON path and the rule, never the value; syntax
//! errors give the line and column. `null` reads as absent and unknown keys are ignored, as
//! in the format.

use std::collections::BTreeMap;
use std::ffi::c_char;
use std::fmt::Write as _;
use std::time::Duration;

use carecoord::schedule::{
    availability_email, candidate_slots, evaluate, series_conflicts, series_occurrences, solve,
    to_icalendar, Action, ActionLog, ActionStatus, Agenda, AgendaItem, AgendaOptions,
    CandidateOptions, DeferReason, Diary, EmailOptions, EntryItem, Evaluation, FixedItem,
    IcalOptions, Instance, MeetingTime, Minutes, OverdueAction, PatientSummary, Previous,
    RiskScore, RoomChoice, RoomFilter, ScheduleError, SeriesConflict, Slot, Solution, SolveOptions,
    Violation, Window, SCHEMA,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::calendar::{carecoord_date, date_arg};
use crate::error::{carecoord_result, FfiError};
#[cfg(doc)] // named by the doc links of this module
use crate::text::carecoord_string_free;
use crate::text::{out_arg, owned_string_out, required_str_arg, str_arg};

/// Options of [`carecoord_schedule_solve`] (core `SolveOptions`). Start from
/// [`carecoord_schedule_options_default`], or pass NULL for the defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct carecoord_schedule_options {
    /// Wall-clock budget of the search in milliseconds; 0 means no limit (the search stops
    /// when it no longer improves). Default 1500. The search usually stops earlier.
    pub time_limit_ms: u64,
    /// Seed of the search's perturbation moves: the same instance and seed give the same
    /// plan. Default 0.
    pub seed: u64,
}

impl From<carecoord_schedule_options> for SolveOptions {
    fn from(o: carecoord_schedule_options) -> Self {
        SolveOptions {
            time_limit: (o.time_limit_ms > 0).then(|| Duration::from_millis(o.time_limit_ms)),
            seed: o.seed,
        }
    }
}

/// An instance compiled for fast diary questions (core `Diary`). Opaque.
///
/// Made by [`carecoord_diary_new`] or [`carecoord_diary_with_solution`], freed with
/// [`carecoord_diary_free`]. Immutable: the query functions may run on one handle from
/// several threads at once.
pub struct carecoord_diary {
    diary: Diary,
}

/// The default solve options: a 1500 ms time limit and seed 0 (core `SolveOptions::default`).
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_schedule_options_default() -> carecoord_schedule_options {
    let d = SolveOptions::default();
    carecoord_schedule_options {
        time_limit_ms: d
            .time_limit
            .map_or(0, |t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
        seed: d.seed,
    }
}

/// Plan the meetings of an instance: place as many as the hard rules allow, by the
/// lexicographic objective of format §5.3 (priority placed, then fewest moves from the
/// previous plan, then fewest preferred-attendee conflicts, then earliest starts), and
/// report the unplaced ones with a reason and the ids that block them, and the series
/// conflicts (core `solve`).
///
/// `instance_json` (borrowed, `instance_len` bytes of UTF-8) is a `carecoord.schedule.v1`
/// instance. `previous_json` (borrowed, `previous_len` bytes) is an earlier solution whose
/// `assignments` replace the instance's own `previous` (NULL: keep the instance's
/// `previous`, if any; `{"assignments": [...]}` is enough). `options` (borrowed) may be NULL
/// for the defaults of [`carecoord_schedule_options_default`]. On success `*out_solution_json`
/// receives the solution (format §3), NUL-terminated, owned by the caller and released with
/// [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`instance_json` or `out_solution_json` NULL), `INVALID_UTF8`, and
/// the `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in a document
/// (`SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`, `SCHEDULE_UNKNOWN_ID`, ...,
/// `SCHEDULE_PINNED_INFEASIBLE` when a pinned slot breaks a hard rule); the last error message
/// names the argument and the JSON path. The result is the same for the same inputs and seed,
/// unless the time limit cuts the search short.
///
/// Thread safety: safe from any thread; runs on the calling thread for up to the time limit.
///
/// # Safety
///
/// `instance_json` must be valid for reads of `instance_len` bytes, `previous_json` NULL or
/// valid for `previous_len` bytes, `options` NULL or valid for a read, `out_solution_json`
/// valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_solve(
    instance_json: *const c_char,
    instance_len: usize,
    previous_json: *const c_char,
    previous_len: usize,
    options: *const carecoord_schedule_options,
    out_solution_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_solve", || {
        let out = out_arg(out_solution_json, "out_solution_json")?;
        // SAFETY: forwarded caller promise.
        let mut instance = unsafe { instance_arg(instance_json, instance_len)? };
        if !previous_json.is_null() {
            // SAFETY: forwarded caller promise.
            let previous = unsafe { solution_arg(previous_json, previous_len, "previous_json")? };
            instance.previous = Some(Previous {
                assignments: previous.assignments,
            });
        }
        let options = if options.is_null() {
            SolveOptions::default()
        } else {
            // SAFETY: non-null, and the caller promises it is valid for a read.
            SolveOptions::from(unsafe { *options })
        };
        let solution = solve(&instance, &options).map_err(in_arg("instance_json"))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, solution.to_json()) }
    })
}

/// Check a solution against an instance and score it as the reference evaluator
/// `schedule-eval --json` does (core `evaluate`).
///
/// `instance_json` and `solution_json` (borrowed, UTF-8, `*_len` bytes) are a
/// `carecoord.schedule.v1` instance and solution. On success `*out_evaluation_json` receives,
/// NUL-terminated and owned by the caller (release with [`carecoord_string_free`]):
///
/// ```text
/// {"schema": "carecoord.schedule.v1", "instance": "<name>", "feasible": true,
///  "hard_violations": 0, "meetings_total": 4, "meetings_placed": 3,
///  "priority_placed": 16, "priority_total": 20, "preferred_conflicts": 0,
///  "moved": 0 (null without a previous plan), "start_grain_sum": 1856,
///  "series_occurrences": 4, "series_conflicts_expected": 2,
///  "objective": [0, -16, 0, 0, 1856],
///  "violations": [{"code": "person_busy", "ids": ["m1", "p1"]}, ...],
///  "warnings": [{"code": "unplaced_but_placeable", "ids": ["m3", "rm1"]}, ...]}
/// ```
///
/// followed by `"preferred_conflict_pairs": [{"meeting": "m1", "person": "p3", "why":
/// ["person_busy"]}, ...]` and `"moved_meetings": ["m1", ...]`. These keys have the reference
/// evaluator's meaning and order; it also prints a free-text `detail` per violation, which
/// is not produced here. A broken rule is a violation, not an error.
///
/// Errors: `NULL_ARGUMENT` (`instance_json`, `solution_json` or `out_evaluation_json` NULL),
/// `INVALID_UTF8`, and the `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in either
/// document; the last error message names the argument and the JSON path.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `instance_json` and `solution_json` must be valid for reads of their lengths;
/// `out_evaluation_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_evaluate(
    instance_json: *const c_char,
    instance_len: usize,
    solution_json: *const c_char,
    solution_len: usize,
    out_evaluation_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_evaluate", || {
        let out = out_arg(out_evaluation_json, "out_evaluation_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let solution = unsafe { solution_arg(solution_json, solution_len, "solution_json")? };
        let in_instance = in_arg("instance_json");
        let evaluation = evaluate(&instance, &solution).map_err(&in_instance)?;
        let occurrences = series_occurrences(&instance).map_err(&in_instance)?.len();
        let expected = series_conflicts(&instance).map_err(&in_instance)?.len();
        let text = evaluation_json(&instance.name, &evaluation, occurrences, expected);
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The series conflict report of format §4.1 (core `series_conflicts`): every series
/// occurrence in conflict with a person, a room or another series, with exactly those ids.
///
/// `instance_json` (borrowed, `instance_len` bytes of UTF-8) is a `carecoord.schedule.v1`
/// instance. On success `*out_json` receives a JSON array sorted by start then series,
/// `[{"series": "s1", "start": "2026-03-23T09:00", "conflicts": ["rm1"]}, ...]` (the
/// `series_conflicts` of a solution), NUL-terminated, owned by the caller and released with
/// [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`instance_json` or `out_json` NULL), `INVALID_UTF8`, and the
/// `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in the instance.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `instance_json` must be valid for reads of `instance_len` bytes; `out_json` valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_series_conflicts(
    instance_json: *const c_char,
    instance_len: usize,
    out_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_series_conflicts", || {
        let out = out_arg(out_json, "out_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        let report = series_conflicts(&instance).map_err(in_arg("instance_json"))?;
        let mut text = String::new();
        push_series_conflicts(&mut text, &report);
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Compile an instance into a diary (core `Diary::new`): its series expanded and everyone's
/// busy time indexed, for [`carecoord_diary_earliest_common_slot`] and the other queries.
///
/// `instance_json` (borrowed, `instance_len` bytes of UTF-8) is a `carecoord.schedule.v1`
/// instance; its meetings are not placed (see [`carecoord_diary_with_solution`]).
///
/// Errors: `NULL_ARGUMENT` (`instance_json` or `out` NULL), `INVALID_UTF8`, and the
/// `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in the instance.
///
/// Ownership: on success `*out` receives a new handle owned by the caller, freed with
/// [`carecoord_diary_free`]; on failure `*out` is not written. Thread safety: safe from any
/// thread; the handle is immutable and may be shared between threads.
///
/// # Safety
///
/// `instance_json` must be valid for reads of `instance_len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_new(
    instance_json: *const c_char,
    instance_len: usize,
    out: *mut *mut carecoord_diary,
) -> carecoord_result {
    ffi_boundary("carecoord_diary_new", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        let diary = Diary::new(&instance).map_err(in_arg("instance_json"))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { *out = Box::into_raw(Box::new(carecoord_diary { diary })) };
        Ok(())
    })
}

/// Compile an instance and a plan into a diary (core `Diary::with_solution`): the placed
/// meetings of the solution count as busy time for their required people and physical rooms.
///
/// `instance_json` and `solution_json` (borrowed, UTF-8, `*_len` bytes) are a
/// `carecoord.schedule.v1` instance and solution.
///
/// Errors: `NULL_ARGUMENT` (`instance_json`, `solution_json` or `out` NULL), `INVALID_UTF8`,
/// the `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in either document
/// (`SCHEDULE_UNKNOWN_ID` when an assignment names an unknown meeting or room).
///
/// Ownership: on success `*out` receives a new handle owned by the caller, freed with
/// [`carecoord_diary_free`]; on failure `*out` is not written. Thread safety: safe from any
/// thread; the handle is immutable and may be shared between threads.
///
/// # Safety
///
/// `instance_json` and `solution_json` must be valid for reads of their lengths; `out` valid
/// for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_with_solution(
    instance_json: *const c_char,
    instance_len: usize,
    solution_json: *const c_char,
    solution_len: usize,
    out: *mut *mut carecoord_diary,
) -> carecoord_result {
    ffi_boundary("carecoord_diary_with_solution", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let solution = unsafe { solution_arg(solution_json, solution_len, "solution_json")? };
        // The instance was validated when read, so what fails here is the solution.
        let diary = Diary::with_solution(&instance, &solution).map_err(in_arg("solution_json"))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { *out = Box::into_raw(Box::new(carecoord_diary { diary })) };
        Ok(())
    })
}

/// Free a diary handle. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle.
///
/// # Safety
///
/// `diary` must be NULL or a handle from [`carecoord_diary_new`] or
/// [`carecoord_diary_with_solution`] that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_free(diary: *mut carecoord_diary) {
    ffi_boundary_or("carecoord_diary_free", (), || {
        if !diary.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw, not freed
            // before and not in use elsewhere.
            drop(unsafe { Box::from_raw(diary) });
        }
    })
}

/// The best slot where all of `people` are free, and a room if one is asked for: the one
/// leaving out the fewest `preferred` people, and among those the earliest (core
/// `Diary::earliest_common_slot`).
///
/// `query_json` (borrowed, `query_len` bytes of UTF-8) is an object:
///
/// ```text
/// {"people": ["p1", "p2"],        required: ids of the people who must all be free
///  "preferred": ["p3"],            optional: people wanted if possible (a tie-break)
///  "duration_minutes": 60,         required: a positive integer
///  "window": {"earliest": "2026-03-24T08:00", "latest": "2026-03-27T18:00"},
///                                  optional, as is each bound: local times; the slot
///                                  starts at or after `earliest` and ends by `latest`
///  "rooms": "any" or ["rm1", ...], optional: a room is needed (absent or null: no room)
///  "needs_physical": false}        optional: only physical rooms (implies "rooms": "any")
/// ```
///
/// Slots start on the instance's grain, on business days that are working days of every one
/// of `people`, inside working hours and the horizon; busy time, series and (for a diary made
/// with a solution) placed meetings block people; unavailability, series and placed meetings
/// block physical rooms, which must seat everyone. A virtual room is chosen if allowed, else
/// the smallest that fits.
///
/// On success `*out_slot_json` receives `{"start": "2026-03-24T11:00", "end":
/// "2026-03-24T12:00", "room": "rm1" (null when no room was asked for),
/// "preferred_unavailable": ["p3"]}`, or `null` when there is no such slot; NUL-terminated,
/// owned by the caller, released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`diary`, `query_json` or `out_slot_json` NULL), `INVALID_UTF8`,
/// `SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`, `SCHEDULE_INVALID_FIELD`,
/// `SCHEDULE_INVALID_TIME` (naming the query's JSON path, e.g. `window.earliest`; a
/// `duration_minutes` of 0 is `SCHEDULE_INVALID_FIELD`), `SCHEDULE_INVALID_QUERY` (an
/// unknown person or room id).
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `diary` must be NULL or a live handle; `query_json` valid for reads of `query_len` bytes;
/// `out_slot_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_earliest_common_slot(
    diary: *const carecoord_diary,
    query_json: *const c_char,
    query_len: usize,
    out_slot_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_diary_earliest_common_slot", || {
        // SAFETY: forwarded caller promise.
        let diary = unsafe { diary_arg(diary)? };
        let out = out_arg(out_slot_json, "out_slot_json")?;
        // SAFETY: forwarded caller promise.
        let q = unsafe { slot_query_arg(query_json, query_len)? };
        let slot = diary
            .earliest_common_slot(
                &q.people(),
                &q.preferred(),
                q.duration_minutes,
                Some(q.window),
                q.rooms.as_ref(),
            )
            .map_err(in_arg("query_json"))?;
        let text = to_text(&slot.as_ref().map(SlotOut::of))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Every slot start where all of `people` are free, and a room if one is asked for, in time
/// order, each with the preferred people it leaves out (core `Diary::free_slots`).
///
/// `query_json` is the object of [`carecoord_diary_earliest_common_slot`], with the same
/// rules. On success `*out_slots_json` receives a JSON array of slot objects (possibly
/// empty), NUL-terminated, owned by the caller and released with [`carecoord_string_free`].
///
/// Errors: as [`carecoord_diary_earliest_common_slot`] (`out_slots_json` instead of
/// `out_slot_json`).
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `diary` must be NULL or a live handle; `query_json` valid for reads of `query_len` bytes;
/// `out_slots_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_free_slots(
    diary: *const carecoord_diary,
    query_json: *const c_char,
    query_len: usize,
    out_slots_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_diary_free_slots", || {
        // SAFETY: forwarded caller promise.
        let diary = unsafe { diary_arg(diary)? };
        let out = out_arg(out_slots_json, "out_slots_json")?;
        // SAFETY: forwarded caller promise.
        let q = unsafe { slot_query_arg(query_json, query_len)? };
        let slots = diary
            .free_slots(
                &q.people(),
                &q.preferred(),
                q.duration_minutes,
                Some(q.window),
                q.rooms.as_ref(),
            )
            .map_err(in_arg("query_json"))?;
        let text = to_text(&slots.iter().map(SlotOut::of).collect::<Vec<_>>())?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The ids that block `people` (and the room, if one is given) over a slot (core
/// `Diary::who_blocks`): people first (not working that day, busy, in a series or in a placed
/// meeting), then the room (unavailable, a series, a placed meeting, or too small), then the
/// series and meetings involved. Empty when nothing blocks.
///
/// `query_json` (borrowed, `query_len` bytes of UTF-8) is an object:
///
/// ```text
/// {"people": ["p1", "p2"],           required: the people who would attend
///  "start": "2026-03-23T09:15",      required: local start
///  "end": "2026-03-23T10:00",        required: local end, after the start
///  "room": "rm1"}                    optional: a room id (absent or null: no room)
/// ```
///
/// On success `*out_ids_json` receives a JSON array of ids, e.g. `["p1", "p2", "s1"]`,
/// NUL-terminated, owned by the caller and released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`diary`, `query_json` or `out_ids_json` NULL), `INVALID_UTF8`,
/// `SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`, `SCHEDULE_INVALID_FIELD`,
/// `SCHEDULE_INVALID_TIME` (naming the query's JSON path), `SCHEDULE_INVALID_QUERY` (an
/// unknown person or room, a slot that does not end after it starts).
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `diary` must be NULL or a live handle; `query_json` valid for reads of `query_len` bytes;
/// `out_ids_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_diary_who_blocks(
    diary: *const carecoord_diary,
    query_json: *const c_char,
    query_len: usize,
    out_ids_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_diary_who_blocks", || {
        // SAFETY: forwarded caller promise.
        let diary = unsafe { diary_arg(diary)? };
        let out = out_arg(out_ids_json, "out_ids_json")?;
        // SAFETY: forwarded caller promise.
        let text = unsafe { required_str_arg(query_json, query_len, "query_json")? };
        let (people, slot) = blocks_query(text).map_err(in_arg("query_json"))?;
        let people: Vec<&str> = people.iter().map(String::as_str).collect();
        let ids = diary
            .who_blocks(&people, &slot)
            .map_err(in_arg("query_json"))?;
        let text = to_text(&ids)?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Every occurrence of every series inside the horizon, after the holiday policy (format §4;
/// core `series_occurrences`): the occurrences a calendar built from
/// [`carecoord_schedule_to_icalendar`] shows between the horizon's dates.
///
/// `instance_json` (borrowed, `instance_len` bytes of UTF-8) is a `carecoord.schedule.v1`
/// instance. On success `*out_json` receives a JSON array sorted by start, then series:
/// `[{"series": "s1", "start": "2026-04-07T14:00", "end": "2026-04-07T15:00",
/// "moved_from": "2026-04-03T14:00"}, ...]` (`moved_from` is the rule's date-time when the
/// `next_working_day` policy moved the occurrence off a weekend or bank holiday, else
/// `null`), NUL-terminated, owned by the caller and released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`instance_json` or `out_json` NULL), `INVALID_UTF8`, and the
/// `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in the instance.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `instance_json` must be valid for reads of `instance_len` bytes; `out_json` valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_series_occurrences(
    instance_json: *const c_char,
    instance_len: usize,
    out_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_series_occurrences", || {
        let out = out_arg(out_json, "out_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        let occurrences = series_occurrences(&instance).map_err(in_arg("instance_json"))?;
        let list: Vec<OccurrenceOut<'_>> = occurrences
            .iter()
            .map(|o| OccurrenceOut {
                series: &o.series,
                start: local(o.start),
                end: local(o.end),
                moved_from: o.moved_from.map(local),
            })
            .collect();
        let text = to_text(&list)?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The meeting time of a placed meeting (core `MeetingTime::placed`), for
/// [`carecoord_schedule_agenda`]: id, title, local start and end, room and invitees.
///
/// `instance_json` and `solution_json` (borrowed, UTF-8, `*_len` bytes) are a
/// `carecoord.schedule.v1` instance and solution; `meeting_id` (borrowed, `meeting_id_len`
/// bytes of UTF-8) names a meeting of the instance that the solution places. On success
/// `*out_meeting_json` receives
///
/// ```text
/// {"id": "m1", "title": "Frailty MDT", "start": "2026-03-24T14:00",
///  "end": "2026-03-24T15:00", "room": "rm1", "required": ["p1", "p2"], "preferred": ["p3"]}
/// ```
///
/// (the end is `duration_minutes` real minutes after the start, across a clock change too),
/// NUL-terminated, owned by the caller and released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, the `CARECOORD_RESULT_SCHEDULE_*` code of the
/// first problem in either document, and `SCHEDULE_INVALID_QUERY` (query argument
/// `meeting_id`) when the instance has no such meeting or the solution does not place it.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each pointer must be valid for reads of its length; `out_meeting_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_meeting_time(
    instance_json: *const c_char,
    instance_len: usize,
    solution_json: *const c_char,
    solution_len: usize,
    meeting_id: *const c_char,
    meeting_id_len: usize,
    out_meeting_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_meeting_time", || {
        let out = out_arg(out_meeting_json, "out_meeting_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let solution = unsafe { solution_arg(solution_json, solution_len, "solution_json")? };
        // SAFETY: forwarded caller promise.
        let id = unsafe { required_str_arg(meeting_id, meeting_id_len, "meeting_id")? };
        let meeting = instance
            .meetings
            .iter()
            .find(|m| m.id == id)
            .ok_or_else(|| FfiError::from(no_meeting()))?;
        let assignment = solution
            .assignments
            .iter()
            .find(|a| a.meeting == id)
            .ok_or_else(|| {
                FfiError::from(ScheduleError::InvalidQuery {
                    argument: "meeting_id",
                    reason: "the solution does not place this meeting".into(),
                })
            })?;
        let held = MeetingTime::placed(meeting, assignment).map_err(in_arg("solution_json"))?;
        let text = to_text(&held)?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Build an MDT agenda (core `Agenda::build`): patients put in order (a breached deadline
/// first, then risk tier 1 before 2 before untiered, then the longest since the last review,
/// never reviewed first, then the reference) and packed into consecutive time slots between
/// the opening and closing items; patients who do not fit are deferred with a reason.
///
/// * `meeting_json` (borrowed, UTF-8): the meeting time, as
///   [`carecoord_schedule_meeting_time`] writes it: `{"id", "title" (optional), "start",
///   "end" (local `YYYY-MM-DDTHH:MM`), "room" (optional), "required" and "preferred"
///   (optional arrays of person ids)}`.
/// * `items_json` (borrowed, UTF-8): an array of patients put forward:
///
///   ```text
///   [{"patient_ref": "CASE-0102",    required: an opaque local case reference (never an
///                                    NHS number), unique on the agenda
///     "label": "CD, 77",             optional: initials and age, shown only where needed
///     "risk_tier": 1,                optional: 1 is the highest risk; absent: not tiered
///     "breached": true,              optional (false): a deadline has been breached
///     "days_since_review": 10,       optional: absent means never reviewed
///     "minutes": 15,                 optional: time needed (absent: default_minutes)
///     "involved": ["p2"],            optional: person ids who see the summary
///     "summary": {"reason": "...", "key_problems": ["..."],
///                 "risk_scores": [{"name": "eFI", "value": "0.36 (severe)"}],
///                 "open_actions": ["..."]}}]    optional, as is each of its keys
///   ```
/// * `options_json` (borrowed, UTF-8; NULL for the defaults): `{"default_minutes": 10,
///   "opening": [{"title": "Actions from last meeting", "minutes": 10}], "closing":
///   [{"title": "Any other business", "minutes": 5}], "backfill": false}`, each key optional
///   (absent: that default). With `backfill` false the order is strict: everyone after the
///   first patient who does not fit is deferred.
///
/// On success `*out_agenda_json` receives, NUL-terminated, owned by the caller and released
/// with [`carecoord_string_free`]:
///
/// ```text
/// {"meeting": {...the meeting time...},
///  "entries": [{"start": "2026-03-24T14:00", "end": "2026-03-24T14:10", "kind": "fixed",
///               "title": "Actions from last meeting", "patient_ref": null},
///              {"start": "2026-03-24T14:10", "end": "2026-03-24T14:25", "kind": "patient",
///               "title": null, "patient_ref": "CASE-0102"}, ...],
///  "deferred": [{"patient_ref": "CASE-0101", "reason": "not_enough_time", "needed": 10,
///                "left": 5, "message": "not enough time (needs 10 minutes, 5 left)"},
///               {"patient_ref": "CASE-0105", "reason": "behind_higher_priority",
///                "needed": null, "left": null, "message": "..."}]}
/// ```
///
/// Patients appear by reference only: labels and summaries stay with the caller's items and
/// go into the renderings.
///
/// Errors: `NULL_ARGUMENT` (`meeting_json`, `items_json` or `out_agenda_json` NULL),
/// `INVALID_UTF8`, `SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`,
/// `SCHEDULE_INVALID_FIELD` (a zero `minutes`, a risk tier of 0, an empty reference, fixed
/// items longer than the meeting), `SCHEDULE_INVALID_TIME` (a malformed time, or `end` not
/// after `start`), `SCHEDULE_DUPLICATE_ENTRY` (a reference used twice),
/// `SCHEDULE_IDENTIFIER_NOT_ALLOWED` (a reference, label or summary text that looks like an
/// NHS number); the last error message names the argument and the path
/// (`argument `items_json`: items[2].label: ...`).
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_agenda_json` valid for
/// a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_agenda(
    meeting_json: *const c_char,
    meeting_len: usize,
    items_json: *const c_char,
    items_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_agenda_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_agenda", || {
        let out = out_arg(out_agenda_json, "out_agenda_json")?;
        // SAFETY: forwarded caller promise.
        let agenda = unsafe {
            agenda_arg(
                (meeting_json, meeting_len),
                (items_json, items_len),
                (options_json, options_len),
            )?
        };
        let text = to_text(&AgendaOut::of(&agenda))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Build an agenda as [`carecoord_schedule_agenda`] does and render it as Markdown (core
/// `Agenda::to_markdown` / `to_markdown_for`): a header (meeting, when, where, who), the
/// timetable, then per patient the collated summary, then the deferred patients.
///
/// `person` (borrowed, `person_len` bytes of UTF-8) may be NULL for the full agenda (every
/// label and summary, for the chair and the coordinator). With a person id, the agenda is
/// that attendee's: labels and summaries only for patients whose `involved` list names the
/// person, other patients by reference and time slot only, deferred patients only if the
/// person is involved ("no more identifiers than needed").
///
/// On success `*out_markdown` receives the text (lines end `\n`), NUL-terminated, owned by
/// the caller and released with [`carecoord_string_free`].
///
/// Errors: as [`carecoord_schedule_agenda`] (`out_markdown` instead of `out_agenda_json`);
/// `INVALID_UTF8` for `person`; `INVALID_ARGUMENT` if a text holds a NUL character.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_markdown` valid for a
/// write.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_schedule_agenda_markdown(
    meeting_json: *const c_char,
    meeting_len: usize,
    items_json: *const c_char,
    items_len: usize,
    options_json: *const c_char,
    options_len: usize,
    person: *const c_char,
    person_len: usize,
    out_markdown: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_agenda_markdown", || {
        let out = out_arg(out_markdown, "out_markdown")?;
        // SAFETY: forwarded caller promise.
        let person = unsafe { optional_str_arg(person, person_len, "person")? };
        // SAFETY: forwarded caller promise.
        let agenda = unsafe {
            agenda_arg(
                (meeting_json, meeting_len),
                (items_json, items_len),
                (options_json, options_len),
            )?
        };
        let text = match person {
            None => agenda.to_markdown(),
            Some(p) => agenda.to_markdown_for(p),
        };
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, text) }
    })
}

/// Build an agenda as [`carecoord_schedule_agenda`] does and render it as an HTML document
/// (core `Agenda::to_html` / `to_html_for`), text escaped; `person` as for
/// [`carecoord_schedule_agenda_markdown`].
///
/// On success `*out_html` receives the document, NUL-terminated, owned by the caller and
/// released with [`carecoord_string_free`].
///
/// Errors: as [`carecoord_schedule_agenda_markdown`] (`out_html` instead of `out_markdown`).
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_html` valid for a
/// write.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_schedule_agenda_html(
    meeting_json: *const c_char,
    meeting_len: usize,
    items_json: *const c_char,
    items_len: usize,
    options_json: *const c_char,
    options_len: usize,
    person: *const c_char,
    person_len: usize,
    out_html: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_agenda_html", || {
        let out = out_arg(out_html, "out_html")?;
        // SAFETY: forwarded caller promise.
        let person = unsafe { optional_str_arg(person, person_len, "person")? };
        // SAFETY: forwarded caller promise.
        let agenda = unsafe {
            agenda_arg(
                (meeting_json, meeting_len),
                (items_json, items_len),
                (options_json, options_len),
            )?
        };
        let text = match person {
            None => agenda.to_html(),
            Some(p) => agenda.to_html_for(p),
        };
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, text) }
    })
}

/// Actions collected across meetings, with their status (core `ActionLog`). Opaque.
///
/// Made by [`carecoord_action_log_new`] or [`carecoord_action_log_from_json`], freed with
/// [`carecoord_action_log_free`]. Functions taking `carecoord_action_log *` change the log;
/// those taking `const carecoord_action_log *` only read it. Several threads may read one log
/// at once, but no call may run on a log while another thread changes or frees it.
pub struct carecoord_action_log {
    log: ActionLog,
}

/// A new, empty action log.
///
/// Errors: `NULL_ARGUMENT` (`out` NULL).
///
/// Ownership: on success `*out` receives a new handle owned by the caller, freed with
/// [`carecoord_action_log_free`]. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_new(
    out: *mut *mut carecoord_action_log,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_new", || {
        let out = out_arg(out, "out")?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe {
            *out = Box::into_raw(Box::new(carecoord_action_log {
                log: ActionLog::new(),
            }))
        };
        Ok(())
    })
}

/// Read an action log written by [`carecoord_action_log_to_json`] (core
/// `ActionLog::from_json`), checking every action as [`carecoord_action_log_add_minutes`]
/// does.
///
/// `json` (borrowed, `json_len` bytes of UTF-8) is `{"actions": [...]}`, each action
/// `{"id", "patient_ref" (null for a general action), "description", "owner", "due"
/// (`YYYY-MM-DD`), "status" (`open`, `done` or `cancelled`), "completed" (the date it was
/// done or cancelled, null when open), "raised_at" (meeting id), "raised_on" (its date)}`.
///
/// Errors: `NULL_ARGUMENT` (`json` or `out` NULL), `INVALID_UTF8`, `SCHEDULE_INVALID_JSON`,
/// `SCHEDULE_MISSING_FIELD`, `SCHEDULE_INVALID_FIELD`, `SCHEDULE_INVALID_TIME`,
/// `SCHEDULE_DUPLICATE_ENTRY`, `SCHEDULE_ACTION_DATE`, `SCHEDULE_IDENTIFIER_NOT_ALLOWED`,
/// naming the path (`actions[2].due`).
///
/// Ownership: on success `*out` receives a new handle owned by the caller, freed with
/// [`carecoord_action_log_free`]; on failure `*out` is not written. Thread safety: safe from
/// any thread.
///
/// # Safety
///
/// `json` must be valid for reads of `json_len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut *mut carecoord_action_log,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_from_json", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let text = unsafe { required_str_arg(json, json_len, "json")? };
        let log = ActionLog::from_json(text).map_err(in_arg("json"))?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { *out = Box::into_raw(Box::new(carecoord_action_log { log })) };
        Ok(())
    })
}

/// Free an action log. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle.
///
/// # Safety
///
/// `log` must be NULL or a handle from [`carecoord_action_log_new`] or
/// [`carecoord_action_log_from_json`] that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_free(log: *mut carecoord_action_log) {
    ffi_boundary_or("carecoord_action_log_free", (), || {
        if !log.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw, not freed
            // before and not in use elsewhere.
            drop(unsafe { Box::from_raw(log) });
        }
    })
}

/// Add every action of a meeting's minutes to the log, or none of them (core
/// `ActionLog::add_minutes`, after `Minutes::validate`).
///
/// `minutes_json` (borrowed, `minutes_len` bytes of UTF-8) is
///
/// ```text
/// {"meeting": {...a meeting time, as for carecoord_schedule_agenda...},   required
///  "attendees": ["p1", "p2"], "apologies": ["p3"],                        optional
///  "decisions": [{"patient_ref": "CASE-0102", "text": "Refer to falls service"}],
///  "actions": [{"id": "A1", "patient_ref": "CASE-0102", "description": "Send referral",
///               "owner": "p2", "due": "2026-03-27", "status": "open", "completed": null,
///               "raised_at": "m1", "raised_on": "2026-03-24"}]}            optional
/// ```
///
/// Each action is as in [`carecoord_action_log_from_json`], raised at this meeting on its
/// date. `out_added` (may be NULL) receives the number of actions added.
///
/// Errors: `NULL_ARGUMENT` (`log` or `minutes_json` NULL), `INVALID_UTF8`,
/// `SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`, `SCHEDULE_INVALID_FIELD` (an action
/// of another meeting), `SCHEDULE_INVALID_TIME`, `SCHEDULE_DUPLICATE_ENTRY` (an action id
/// used twice or already in the log), `SCHEDULE_ACTION_DATE` (due or completed before the
/// meeting), `SCHEDULE_IDENTIFIER_NOT_ALLOWED` (a reference, decision or description that
/// looks like an NHS number), naming the path. On error the log is unchanged.
///
/// Thread safety: changes the log; no other call may use it meanwhile.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `minutes_json` valid for reads of `minutes_len`
/// bytes; `out_added` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_add_minutes(
    log: *mut carecoord_action_log,
    minutes_json: *const c_char,
    minutes_len: usize,
    out_added: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_add_minutes", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_mut_arg(log)? };
        // SAFETY: forwarded caller promise.
        let text = unsafe { required_str_arg(minutes_json, minutes_len, "minutes_json")? };
        let minutes = read_minutes(text).map_err(in_arg("minutes_json"))?;
        let added = log.add_minutes(&minutes).map_err(in_arg("minutes_json"))?;
        if !out_added.is_null() {
            // SAFETY: non-null, and the caller promises it is valid for a write.
            unsafe { *out_added = added };
        }
        Ok(())
    })
}

/// Set the status of an action (core `ActionLog::set_status`): done or cancelled on a date,
/// or open again.
///
/// `id` (borrowed, `id_len` bytes of UTF-8) is the action id. `status_json` (borrowed,
/// `status_len` bytes of UTF-8) is `{"status": "done", "completed": "2026-03-30"}`:
/// `status` is `open`, `done` or `cancelled`; `completed` (`YYYY-MM-DD`) is required for
/// `done` and `cancelled` and must be absent or null for `open`.
///
/// Errors: `NULL_ARGUMENT` (`log`, `id` or `status_json` NULL), `INVALID_UTF8`,
/// `SCHEDULE_INVALID_JSON`, `SCHEDULE_MISSING_FIELD`, `SCHEDULE_INVALID_FIELD`,
/// `SCHEDULE_INVALID_TIME` (naming the status document's path),
/// `SCHEDULE_UNKNOWN_ACTION` (no action has this id), `SCHEDULE_ACTION_DATE` (completed
/// before the meeting that raised the action). On error the log is unchanged.
///
/// Thread safety: changes the log; no other call may use it meanwhile.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `id` and `status_json` valid for reads of their
/// lengths.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_set_status(
    log: *mut carecoord_action_log,
    id: *const c_char,
    id_len: usize,
    status_json: *const c_char,
    status_len: usize,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_set_status", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_mut_arg(log)? };
        // SAFETY: forwarded caller promise.
        let id = unsafe { required_str_arg(id, id_len, "id")? };
        // SAFETY: forwarded caller promise.
        let text = unsafe { required_str_arg(status_json, status_len, "status_json")? };
        let status = read_status(text).map_err(in_arg("status_json"))?;
        log.set_status(id, status).map_err(|e| match e {
            ScheduleError::UnknownAction { .. } => in_arg("id")(e),
            _ => in_arg("status_json")(e),
        })
    })
}

/// The open actions due before `as_of`, most overdue first, then by id (core
/// `ActionLog::overdue`): the chasing list of the caseload. An action due on `as_of` is not
/// overdue; done and cancelled actions never are.
///
/// On success `*out_json` receives a JSON array of actions as in
/// [`carecoord_action_log_to_json`], each with `"days_overdue"` added (whole days from the
/// due date to `as_of`), NUL-terminated, owned by the caller and released with
/// [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`log` or `out_json` NULL), `INVALID_ARGUMENT` (`as_of` is not a
/// date).
///
/// Thread safety: reads the log; safe from several threads at once.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `out_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_overdue(
    log: *const carecoord_action_log,
    as_of: carecoord_date,
    out_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_overdue", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_arg(log)? };
        let out = out_arg(out_json, "out_json")?;
        let as_of = date_arg(as_of, "as_of")?;
        let overdue = log.overdue(as_of);
        let text = to_text(&overdue.iter().map(OverdueOut::of).collect::<Vec<_>>())?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The overdue actions on `as_of` grouped by owner (core `ActionLog::chase_list`): owners
/// with the most overdue action first (then by owner id), each owner's actions most overdue
/// first.
///
/// On success `*out_json` receives `[{"owner": "p2", "actions": [...]}, ...]`, the actions
/// as in [`carecoord_action_log_overdue`], NUL-terminated, owned by the caller and released
/// with [`carecoord_string_free`].
///
/// Errors: as [`carecoord_action_log_overdue`].
///
/// Thread safety: reads the log; safe from several threads at once.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `out_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_chase_list(
    log: *const carecoord_action_log,
    as_of: carecoord_date,
    out_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_chase_list", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_arg(log)? };
        let out = out_arg(out_json, "out_json")?;
        let as_of = date_arg(as_of, "as_of")?;
        let groups = log.chase_list(as_of);
        let list: Vec<ChaseOut<'_>> = groups
            .iter()
            .map(|g| ChaseOut {
                owner: &g.owner,
                actions: g.actions.iter().map(OverdueOut::of).collect(),
            })
            .collect();
        let text = to_text(&list)?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The log as a Markdown table, one row per action in the order added (core
/// `ActionLog::to_markdown`): ID, Patient, Action, Owner, Due, Status, Raised.
///
/// On success `*out_markdown` receives the text, NUL-terminated, owned by the caller and
/// released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`log` or `out_markdown` NULL); `INVALID_ARGUMENT` if a text
/// holds a NUL character.
///
/// Thread safety: reads the log; safe from several threads at once.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `out_markdown` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_to_markdown(
    log: *const carecoord_action_log,
    out_markdown: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_to_markdown", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_arg(log)? };
        let out = out_arg(out_markdown, "out_markdown")?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, log.to_markdown()) }
    })
}

/// The log as an HTML `<table>`, text escaped (core `ActionLog::to_html`).
///
/// On success `*out_html` receives the text, NUL-terminated, owned by the caller and
/// released with [`carecoord_string_free`].
///
/// Errors: as [`carecoord_action_log_to_markdown`] (`out_html` instead of `out_markdown`).
///
/// Thread safety: reads the log; safe from several threads at once.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `out_html` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_to_html(
    log: *const carecoord_action_log,
    out_html: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_to_html", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_arg(log)? };
        let out = out_arg(out_html, "out_html")?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, log.to_html()) }
    })
}

/// The log as JSON (core `ActionLog::to_json`): `{"actions": [...]}` in the order added,
/// read back by [`carecoord_action_log_from_json`].
///
/// On success `*out_json` receives the text, NUL-terminated, owned by the caller and
/// released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`log` or `out_json` NULL).
///
/// Thread safety: reads the log; safe from several threads at once.
///
/// # Safety
///
/// `log` must be NULL or a live handle; `out_json` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_action_log_to_json(
    log: *const carecoord_action_log,
    out_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_action_log_to_json", || {
        // SAFETY: forwarded caller promise.
        let log = unsafe { log_arg(log)? };
        let out = out_arg(out_json, "out_json")?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, log.to_json()) }
    })
}

/// Up to `max_slots` candidate slots for a meeting of the instance, at most one per day, in
/// time order (core `candidate_slots` over `Diary::new`): the required people all free and
/// working, a room the meeting accepts free and big enough, inside working hours on a
/// business day and the meeting's own window. Days where fewer preferred people are left
/// out win, then earlier days.
///
/// `instance_json` (borrowed, UTF-8) is a `carecoord.schedule.v1` instance; `meeting_id`
/// (borrowed, UTF-8) one of its meetings. `options_json` (borrowed, UTF-8; NULL for the
/// defaults) is `{"max_slots": 3, "window": {"earliest": "2026-03-30T00:00", "latest":
/// null}}`, each key optional.
///
/// On success `*out_slots_json` receives a JSON array of slots as
/// [`carecoord_diary_free_slots`] writes them (`{"start", "end", "room",
/// "preferred_unavailable"}`), possibly empty, NUL-terminated, owned by the caller and
/// released with [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`instance_json`, `meeting_id` or `out_slots_json` NULL),
/// `INVALID_UTF8`, the `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in the
/// instance or the options, `SCHEDULE_INVALID_QUERY` (an unknown meeting id, `max_slots`
/// 0).
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_slots_json` valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_candidate_slots(
    instance_json: *const c_char,
    instance_len: usize,
    meeting_id: *const c_char,
    meeting_id_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_slots_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_candidate_slots", || {
        let out = out_arg(out_slots_json, "out_slots_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let id = unsafe { required_str_arg(meeting_id, meeting_id_len, "meeting_id")? };
        // SAFETY: forwarded caller promise.
        let options = match unsafe { optional_str_arg(options_json, options_len, "options_json")? }
        {
            None => CandidateOptions::default(),
            Some(text) => read_candidate_options(text).map_err(in_arg("options_json"))?,
        };
        let slots = instance_slots(&instance, id, &options)?;
        let text = to_text(&slots.iter().map(SlotOut::of).collect::<Vec<_>>())?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// The text of the email asking a meeting's invitees which candidate slots they can make
/// (core `availability_email`): numbered options with dates like `Tue 24 Mar 2026,
/// 09:00-10:00` in UK time and the room's name, a reply-by date and a short closing. No
/// attendee id or patient detail is printed.
///
/// * `instance_json`, `meeting_id` (borrowed, UTF-8): as for
///   [`carecoord_schedule_candidate_slots`].
/// * `slots_json` (borrowed, UTF-8; NULL: the slots of
///   [`carecoord_schedule_candidate_slots`] with default options): an array of `{"start",
///   "end", "room" (optional)}` objects, as that function writes them.
/// * `options_json` (borrowed, UTF-8, required): `{"reply_by": "2026-03-20", "greeting":
///   "Dear colleagues,", "sign_off": "Care coordination team"}`; `reply_by` is required and
///   must be before the first option's date, the others are optional.
///
/// On success `*out_email_json` receives `{"subject": "...", "body": "..."}` (the body's
/// lines end `\n`), NUL-terminated, owned by the caller and released with
/// [`carecoord_string_free`].
///
/// Errors: `NULL_ARGUMENT` (`instance_json`, `meeting_id`, `options_json` or
/// `out_email_json` NULL), `INVALID_UTF8`, the `CARECOORD_RESULT_SCHEDULE_*` code of the
/// first problem in a document, `SCHEDULE_INVALID_QUERY` (an unknown meeting, no slots to
/// offer), `SCHEDULE_INVALID_FIELD` (`options.reply_by` not before the first option).
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_email_json` valid for
/// a write.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_schedule_availability_email(
    instance_json: *const c_char,
    instance_len: usize,
    meeting_id: *const c_char,
    meeting_id_len: usize,
    slots_json: *const c_char,
    slots_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_email_json: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_availability_email", || {
        let out = out_arg(out_email_json, "out_email_json")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let id = unsafe { required_str_arg(meeting_id, meeting_id_len, "meeting_id")? };
        // SAFETY: forwarded caller promise.
        let options_text = unsafe { required_str_arg(options_json, options_len, "options_json")? };
        let options = read_email_options(options_text).map_err(in_arg("options_json"))?;
        // SAFETY: forwarded caller promise.
        let slots = match unsafe { optional_str_arg(slots_json, slots_len, "slots_json")? } {
            Some(text) => read_slots(text).map_err(in_arg("slots_json"))?,
            None => instance_slots(&instance, id, &CandidateOptions::default())?,
        };
        let meeting = find_meeting(&instance, id)?;
        let email = availability_email(&instance, meeting, &slots, &options)
            .map_err(in_arg("options_json"))?;
        let text = to_text(&EmailOut {
            subject: &email.subject,
            body: &email.body,
        })?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// A plan as iCalendar text (RFC 5545; core `to_icalendar`): the `Europe/London`
/// `VTIMEZONE`, one `VEVENT` per placed meeting and one recurring `VEVENT` per series with
/// its `RRULE`, an `EXDATE` per occurrence the holiday policy skips and an overriding
/// `VEVENT` (`RECURRENCE-ID`) per occurrence it moves. Times are local with
/// `TZID=Europe/London`; attendees have `ROLE=REQ-PARTICIPANT` (required, series) or
/// `ROLE=OPT-PARTICIPANT` (preferred). Lines end CRLF, folded at 75 octets.
///
/// `instance_json` and `solution_json` (borrowed, UTF-8) are a `carecoord.schedule.v1`
/// instance and solution. `options_json` (borrowed, UTF-8; NULL for the defaults) is
///
/// ```text
/// {"domain": "carecoord.invalid",        UIDs `<id>@<domain>`, default addresses
///  "prodid": "-//carecoord//schedule v1//EN",
///  "dtstamp": "2026-03-01T09:00:00Z",    UTC (`Z`, seconds optional); default midnight
///                                        UTC on the horizon's first date
///  "sequence": 0,                        raise when re-sending a changed plan
///  "addresses": {"p1": "p1@nhs.example"}} email per person id (`mailto:` added);
///                                        others get `<id>@<domain>`
/// ```
///
/// each key optional. On success `*out_ics` receives the text, NUL-terminated, owned by the
/// caller and released with [`carecoord_string_free`]. The same input always gives the same
/// text.
///
/// Errors: `NULL_ARGUMENT` (`instance_json`, `solution_json` or `out_ics` NULL),
/// `INVALID_UTF8`, the `CARECOORD_RESULT_SCHEDULE_*` code of the first problem in a
/// document (`SCHEDULE_UNKNOWN_ID` for an assignment naming an unknown meeting or room,
/// `SCHEDULE_DUPLICATE_ENTRY` for a meeting placed twice, `SCHEDULE_INVALID_FIELD` for
/// `options.domain` with characters other than letters, digits, `.` and `-`).
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// Each non-NULL pointer must be valid for reads of its length; `out_ics` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_schedule_to_icalendar(
    instance_json: *const c_char,
    instance_len: usize,
    solution_json: *const c_char,
    solution_len: usize,
    options_json: *const c_char,
    options_len: usize,
    out_ics: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_schedule_to_icalendar", || {
        let out = out_arg(out_ics, "out_ics")?;
        // SAFETY: forwarded caller promise.
        let instance = unsafe { instance_arg(instance_json, instance_len)? };
        // SAFETY: forwarded caller promise.
        let solution = unsafe { solution_arg(solution_json, solution_len, "solution_json")? };
        // SAFETY: forwarded caller promise.
        let options = match unsafe { optional_str_arg(options_json, options_len, "options_json")? }
        {
            None => IcalOptions::default(),
            Some(text) => read_ical_options(text).map_err(in_arg("options_json"))?,
        };
        let ics = to_icalendar(&instance, &solution, &options).map_err(|e| match &e {
            ScheduleError::InvalidField { path, .. } if path.starts_with("options") => {
                in_arg("options_json")(e)
            }
            ScheduleError::UnknownId { path, .. }
            | ScheduleError::DuplicateEntry { path, .. }
            | ScheduleError::InvalidTime { path, .. }
                if path.starts_with("assignments") =>
            {
                in_arg("solution_json")(e)
            }
            _ => in_arg("instance_json")(e),
        })?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, ics) }
    })
}

// ---------------------------------------------------------------------------------------
// Arguments in, JSON out.
// ---------------------------------------------------------------------------------------

/// Maps a core error to the C code of its variant, naming the argument in the message.
fn in_arg(what: &'static str) -> impl Fn(ScheduleError) -> FfiError {
    move |e| {
        let mut err = FfiError::from(e);
        err.message = format!("argument `{what}`: {}", err.message);
        err
    }
}

/// Read and validate the instance argument.
///
/// # Safety
///
/// As [`required_str_arg`].
unsafe fn instance_arg(ptr: *const c_char, len: usize) -> Result<Instance, FfiError> {
    // SAFETY: forwarded caller promise.
    let text = unsafe { required_str_arg(ptr, len, "instance_json")? };
    Instance::from_json(text).map_err(in_arg("instance_json"))
}

/// Read a solution argument (`what` names it in errors).
///
/// # Safety
///
/// As [`required_str_arg`].
unsafe fn solution_arg(
    ptr: *const c_char,
    len: usize,
    what: &'static str,
) -> Result<Solution, FfiError> {
    // SAFETY: forwarded caller promise.
    let text = unsafe { required_str_arg(ptr, len, what)? };
    Solution::from_json(text).map_err(in_arg(what))
}

/// Borrow an optional string argument: NULL is `None` (whatever the length).
///
/// # Safety
///
/// As [`str_arg`].
unsafe fn optional_str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<Option<&'a str>, FfiError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded caller promise.
    unsafe { str_arg(ptr, len, what) }.map(Some)
}

/// Borrow a diary handle.
///
/// # Safety
///
/// `diary` must be NULL or a live handle, not freed during `'a`.
unsafe fn diary_arg<'a>(diary: *const carecoord_diary) -> Result<&'a Diary, FfiError> {
    if diary.is_null() {
        return Err(FfiError::null("diary"));
    }
    // SAFETY: non-null, and the caller promises a live handle.
    Ok(unsafe { &(*diary).diary })
}

/// Borrow an action log for reading.
///
/// # Safety
///
/// `log` must be NULL or a live handle, not changed or freed during `'a`.
pub(crate) unsafe fn log_arg<'a>(
    log: *const carecoord_action_log,
) -> Result<&'a ActionLog, FfiError> {
    if log.is_null() {
        return Err(FfiError::null("log"));
    }
    // SAFETY: non-null, and the caller promises a live handle.
    Ok(unsafe { &(*log).log })
}

/// Borrow an action log for changing.
///
/// # Safety
///
/// `log` must be NULL or a live handle, used by no one else during `'a`.
unsafe fn log_mut_arg<'a>(log: *mut carecoord_action_log) -> Result<&'a mut ActionLog, FfiError> {
    if log.is_null() {
        return Err(FfiError::null("log"));
    }
    // SAFETY: non-null, and the caller promises a live handle no one else is using.
    Ok(unsafe { &mut (*log).log })
}

fn no_meeting() -> ScheduleError {
    ScheduleError::InvalidQuery {
        argument: "meeting_id",
        reason: "no meeting with this id in the instance".into(),
    }
}

fn find_meeting<'a>(
    instance: &'a Instance,
    id: &str,
) -> Result<&'a carecoord::schedule::Meeting, FfiError> {
    instance
        .meetings
        .iter()
        .find(|m| m.id == id)
        .ok_or_else(|| FfiError::from(no_meeting()))
}

/// The candidate slots of meeting `id` in a diary of the instance.
fn instance_slots(
    instance: &Instance,
    id: &str,
    options: &CandidateOptions,
) -> Result<Vec<Slot>, FfiError> {
    let meeting = find_meeting(instance, id)?;
    let diary = Diary::new(instance).map_err(in_arg("instance_json"))?;
    candidate_slots(&diary, meeting, options).map_err(in_arg("options_json"))
}

/// Read the three arguments of an agenda and build it.
///
/// # Safety
///
/// Each pointer must be NULL or valid for reads of its length.
unsafe fn agenda_arg(
    meeting: (*const c_char, usize),
    items: (*const c_char, usize),
    options: (*const c_char, usize),
) -> Result<Agenda, FfiError> {
    // SAFETY: forwarded caller promise.
    let meeting_text = unsafe { required_str_arg(meeting.0, meeting.1, "meeting_json")? };
    // SAFETY: forwarded caller promise.
    let items_text = unsafe { required_str_arg(items.0, items.1, "items_json")? };
    // SAFETY: forwarded caller promise.
    let options_text = unsafe { optional_str_arg(options.0, options.1, "options_json")? };
    let held = parse_json(meeting_text)
        .and_then(|v| read_meeting_time(&v, "meeting"))
        .map_err(in_arg("meeting_json"))?;
    let items = read_agenda_items(items_text).map_err(in_arg("items_json"))?;
    let options = match options_text {
        None => AgendaOptions::default(),
        Some(text) => read_agenda_options(text).map_err(in_arg("options_json"))?,
    };
    Agenda::build(&held, &items, &options).map_err(|e| {
        let what = match e.path() {
            Some(p) if p.starts_with("meeting") => "meeting_json",
            Some(p) if p.starts_with("options") => "options_json",
            _ => "items_json",
        };
        in_arg(what)(e)
    })
}

/// Hand JSON `text` to the caller as a NUL-terminated string they free with
/// [`carecoord_string_free`].
///
/// # Safety
///
/// `out` must be non-null and valid for a write.
unsafe fn json_out(out: *mut *mut c_char, text: String) -> Result<(), FfiError> {
    // SAFETY: forwarded caller promise. JSON text escapes control characters, so it never
    // holds a NUL byte.
    unsafe { owned_string_out(out, text) }
}

/// A local date-time as the format writes it, `YYYY-MM-DDTHH:MM`.
fn local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Parses a local date-time as the format does: `YYYY-MM-DDTHH:MM`, or with seconds `:00`,
/// and a space may replace the `T`. The reason never echoes the text.
fn parse_local(s: &str) -> Result<NaiveDateTime, &'static str> {
    const EXPECTED: &str = "expected a local date-time `YYYY-MM-DDTHH:MM` without offset";
    let b = s.as_bytes();
    let shape_ok = s.is_ascii()
        && (b.len() == 16 || b.len() == 19)
        && matches!(b[10], b'T' | b' ')
        && b[13] == b':'
        && (b.len() == 16 || b[16] == b':');
    if !shape_ok {
        return Err(EXPECTED);
    }
    if b.len() == 19 && &s[17..] != "00" {
        return Err("seconds must be `00`");
    }
    let date = parse_date(&s[..10])?;
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(11..13) && digits(14..16)) {
        return Err("expected a time `HH:MM`");
    }
    let hour = u32::from(b[11] - b'0') * 10 + u32::from(b[12] - b'0');
    let minute = u32::from(b[14] - b'0') * 10 + u32::from(b[15] - b'0');
    let time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or("time out of range")?;
    Ok(date.and_time(time))
}

/// Parses a date `YYYY-MM-DD` (exactly). The reason never echoes the text.
fn parse_date(s: &str) -> Result<NaiveDate, &'static str> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10))
    {
        return Err("expected a date `YYYY-MM-DD`");
    }
    // All ASCII, so these are character boundaries.
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "not a calendar date")
}

/// Parses a UTC date-time `YYYY-MM-DDTHH:MM[:SS]Z`.
fn parse_utc(s: &str) -> Result<NaiveDateTime, &'static str> {
    const EXPECTED: &str = "expected a UTC date-time `YYYY-MM-DDTHH:MM:SSZ`";
    let body = s.strip_suffix('Z').ok_or(EXPECTED)?;
    let b = body.as_bytes();
    if !(body.is_ascii() && (b.len() == 16 || b.len() == 19) && b[10] == b'T' && b[13] == b':') {
        return Err(EXPECTED);
    }
    let date = parse_date(&body[..10])?;
    let fmt = if b.len() == 16 { "%H:%M" } else { "%H:%M:%S" };
    if !(b.len() == 16 || b[16] == b':')
        || !b[11..].iter().all(|c| c.is_ascii_digit() || *c == b':')
    {
        return Err(EXPECTED);
    }
    let time = NaiveTime::parse_from_str(&body[11..], fmt).map_err(|_| "time out of range")?;
    Ok(date.and_time(time))
}

/// Appends `s` as a JSON string.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str(out, s);
    }
    out.push(']');
}

fn push_series_conflicts(out: &mut String, report: &[SeriesConflict]) {
    out.push('[');
    for (i, c) in report.iter().enumerate() {
        out.push_str(if i > 0 { ",\n " } else { "\n " });
        out.push_str("{\"series\": ");
        push_str(out, &c.series);
        out.push_str(", \"start\": ");
        push_str(out, &local(c.start));
        out.push_str(", \"conflicts\": ");
        push_strings(out, &c.conflicts);
        out.push('}');
    }
    out.push_str(if report.is_empty() { "]" } else { "\n]" });
}

/// A JSON array with one item per line, as `schedule-eval --json` indents it.
fn push_lines<T>(out: &mut String, list: &[T], item: impl Fn(&mut String, &T)) {
    out.push('[');
    for (i, x) in list.iter().enumerate() {
        out.push_str(if i > 0 { ",\n  " } else { "\n  " });
        item(out, x);
    }
    out.push_str(if list.is_empty() { "]" } else { "\n ]" });
}

fn push_violations(out: &mut String, list: &[Violation]) {
    push_lines(out, list, |out, v| {
        out.push_str("{\"code\": ");
        push_str(out, v.code);
        out.push_str(", \"ids\": ");
        push_strings(out, &v.ids);
        out.push('}');
    });
}

/// The evaluation in the shape of `schedule-eval --json` (see
/// [`carecoord_schedule_evaluate`]).
fn evaluation_json(name: &str, e: &Evaluation, occurrences: usize, expected: usize) -> String {
    let mut out = String::from("{\n \"schema\": ");
    push_str(&mut out, SCHEMA);
    out.push_str(",\n \"instance\": ");
    push_str(&mut out, name);
    let moved = e
        .moved
        .map_or_else(|| "null".to_string(), |m| m.to_string());
    let [o0, o1, o2, o3, o4] = e.objective;
    let _ = write!(
        out,
        ",\n \"feasible\": {},\n \"hard_violations\": {},\n \"meetings_total\": {},\n \
         \"meetings_placed\": {},\n \"priority_placed\": {},\n \"priority_total\": {},\n \
         \"preferred_conflicts\": {},\n \"moved\": {moved},\n \"start_grain_sum\": {},\n \
         \"series_occurrences\": {occurrences},\n \"series_conflicts_expected\": {expected},\n \
         \"objective\": [{o0}, {o1}, {o2}, {o3}, {o4}],\n \"violations\": ",
        e.feasible,
        e.violations.len(),
        e.meetings_total,
        e.meetings_placed,
        e.priority_placed,
        e.priority_total,
        e.preferred_conflicts,
        e.start_grain_sum,
    );
    push_violations(&mut out, &e.violations);
    out.push_str(",\n \"warnings\": ");
    push_violations(&mut out, &e.warnings);
    out.push_str(",\n \"preferred_conflict_pairs\": ");
    push_lines(&mut out, &e.preferred_conflict_pairs, |out, c| {
        out.push_str("{\"meeting\": ");
        push_str(out, &c.meeting);
        out.push_str(", \"person\": ");
        push_str(out, &c.person);
        out.push_str(", \"why\": ");
        push_strings(out, &c.why);
        out.push('}');
    });
    out.push_str(",\n \"moved_meetings\": ");
    push_strings(&mut out, &e.moved_meetings);
    out.push_str("\n}");
    out
}

// ---------------------------------------------------------------------------------------
// JSON written with serde_json, on one line with a space after `,` and `:`.
// ---------------------------------------------------------------------------------------

/// serde_json's compact layout with `", "` and `": "` separators, as the hand-written
/// outputs above.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

/// `v` as one line of JSON text.
fn to_text<T: Serialize + ?Sized>(v: &T) -> Result<String, FfiError> {
    let internal = || {
        FfiError::new(
            carecoord_result::CARECOORD_RESULT_PANIC,
            "internal error: a result could not be written as JSON",
        )
    };
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Spaced);
    v.serialize(&mut ser).map_err(|_| internal())?;
    String::from_utf8(buf).map_err(|_| internal())
}

#[derive(Serialize)]
struct SlotOut<'a> {
    start: String,
    end: String,
    room: Option<&'a str>,
    preferred_unavailable: &'a [String],
}

impl<'a> SlotOut<'a> {
    fn of(s: &'a Slot) -> Self {
        Self {
            start: local(s.start),
            end: local(s.end),
            room: s.room.as_deref(),
            preferred_unavailable: &s.preferred_unavailable,
        }
    }
}

#[derive(Serialize)]
struct OccurrenceOut<'a> {
    series: &'a str,
    start: String,
    end: String,
    moved_from: Option<String>,
}

#[derive(Serialize)]
struct AgendaOut<'a> {
    meeting: &'a MeetingTime,
    entries: Vec<EntryOut<'a>>,
    deferred: Vec<DeferredOut<'a>>,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    start: String,
    end: String,
    kind: &'static str,
    title: Option<&'a str>,
    patient_ref: Option<&'a str>,
}

#[derive(Serialize)]
struct DeferredOut<'a> {
    patient_ref: &'a str,
    reason: &'static str,
    needed: Option<u32>,
    left: Option<u32>,
    message: String,
}

impl<'a> AgendaOut<'a> {
    fn of(a: &'a Agenda) -> Self {
        let entries = a
            .entries
            .iter()
            .map(|e| {
                let (kind, title, patient_ref) = match &e.item {
                    EntryItem::Fixed(t) => ("fixed", Some(t.as_str()), None),
                    EntryItem::Patient(p) => ("patient", None, Some(p.patient_ref.as_str())),
                };
                EntryOut {
                    start: local(e.start),
                    end: local(e.end),
                    kind,
                    title,
                    patient_ref,
                }
            })
            .collect();
        let deferred = a
            .deferred
            .iter()
            .map(|d| {
                let (needed, left) = match d.reason {
                    DeferReason::NotEnoughTime { needed, left } => (Some(needed), Some(left)),
                    DeferReason::BehindHigherPriority => (None, None),
                };
                DeferredOut {
                    patient_ref: &d.item.patient_ref,
                    reason: d.reason.code(),
                    needed,
                    left,
                    message: d.reason.to_string(),
                }
            })
            .collect();
        Self {
            meeting: &a.meeting,
            entries,
            deferred,
        }
    }
}

#[derive(Serialize)]
struct OverdueOut<'a> {
    #[serde(flatten)]
    action: &'a Action,
    days_overdue: u32,
}

impl<'a> OverdueOut<'a> {
    fn of(o: &'a OverdueAction) -> Self {
        Self {
            action: &o.action,
            days_overdue: o.days_overdue,
        }
    }
}

#[derive(Serialize)]
struct ChaseOut<'a> {
    owner: &'a str,
    actions: Vec<OverdueOut<'a>>,
}

#[derive(Serialize)]
struct EmailOut<'a> {
    subject: &'a str,
    body: &'a str,
}

// ---------------------------------------------------------------------------------------
// JSON read with serde_json, field by field.
// ---------------------------------------------------------------------------------------

/// Parse JSON text. Syntax errors become [`ScheduleError::Json`] with serde_json's line,
/// column and reason: its syntax messages are fixed phrases (`expected `,` or `}``,
/// `recursion limit exceeded`, ...) that never quote the input.
fn parse_json(text: &str) -> Result<Value, ScheduleError> {
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

fn json_error(e: &serde_json::Error) -> ScheduleError {
    use serde_json::error::Category;
    let reason = match e.classify() {
        Category::Syntax | Category::Eof => {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            full.strip_suffix(&suffix)
                .map_or_else(|| "syntax error".to_string(), str::to_string)
        }
        Category::Data => "invalid data".to_string(),
        Category::Io => "read error".to_string(),
    };
    ScheduleError::Json {
        line: e.line(),
        column: e.column(),
        reason,
    }
}

/// The query of `earliest_common_slot` and `free_slots`, read.
#[derive(Debug, PartialEq)]
struct SlotQuery {
    people: Vec<String>,
    preferred: Vec<String>,
    duration_minutes: u32,
    window: Window,
    rooms: Option<RoomFilter>,
}

impl SlotQuery {
    fn people(&self) -> Vec<&str> {
        self.people.iter().map(String::as_str).collect()
    }

    fn preferred(&self) -> Vec<&str> {
        self.preferred.iter().map(String::as_str).collect()
    }
}

/// Read the query argument of a slot search.
///
/// # Safety
///
/// As [`required_str_arg`].
unsafe fn slot_query_arg(ptr: *const c_char, len: usize) -> Result<SlotQuery, FfiError> {
    // SAFETY: forwarded caller promise.
    let text = unsafe { required_str_arg(ptr, len, "query_json")? };
    slot_query(text).map_err(in_arg("query_json"))
}

fn read_window(q: &Fields<'_>) -> Result<Window, ScheduleError> {
    match q.object("window")? {
        None => Ok(Window::default()),
        Some(w) => Ok(Window {
            earliest: w.opt_local("earliest")?,
            latest: w.opt_local("latest")?,
        }),
    }
}

fn slot_query(text: &str) -> Result<SlotQuery, ScheduleError> {
    let v = parse_json(text)?;
    let q = Fields::of(&v, "")?;
    let window = read_window(&q)?;
    let needs_physical = q.boolean("needs_physical")?;
    let rooms = match q.get("rooms") {
        None if needs_physical => Some(RoomChoice::Any),
        None => None,
        Some(Value::String(s)) if s == "any" => Some(RoomChoice::Any),
        Some(Value::Array(_)) => Some(RoomChoice::Only(q.strings("rooms")?)),
        Some(_) => {
            return Err(bad(
                &q.path("rooms"),
                "expected \"any\" or an array of room ids",
            ))
        }
    };
    Ok(SlotQuery {
        people: q.required_strings("people")?,
        preferred: q.strings("preferred")?,
        duration_minutes: q.positive("duration_minutes")?,
        window,
        rooms: rooms.map(|rooms| RoomFilter {
            rooms,
            needs_physical,
        }),
    })
}

/// Read the query of `who_blocks`: the people and the slot.
fn blocks_query(text: &str) -> Result<(Vec<String>, Slot), ScheduleError> {
    let v = parse_json(text)?;
    let q = Fields::of(&v, "")?;
    let people = q.required_strings("people")?;
    let start = q.local("start")?;
    let end = q.local("end")?;
    let room = q.opt_string("room")?;
    Ok((
        people,
        Slot {
            start,
            end,
            room,
            preferred_unavailable: Vec::new(),
        },
    ))
}

/// A meeting time object at `path`.
fn read_meeting_time(v: &Value, path: &str) -> Result<MeetingTime, ScheduleError> {
    let m = Fields::of(v, path)?;
    let mut held = MeetingTime::new(
        m.string("id")?,
        m.opt_string("title")?.unwrap_or_default(),
        m.local("start")?,
        m.local("end")?,
    );
    held.room = m.opt_string("room")?;
    held.required = m.strings("required")?;
    held.preferred = m.strings("preferred")?;
    Ok(held)
}

/// The agenda items: an array named `items` in paths, as the core names them.
fn read_agenda_items(text: &str) -> Result<Vec<AgendaItem>, ScheduleError> {
    let v = parse_json(text)?;
    let Value::Array(list) = &v else {
        return Err(bad("items", "expected an array of agenda items"));
    };
    list.iter()
        .enumerate()
        .map(|(i, item)| read_agenda_item(item, &format!("items[{i}]")))
        .collect()
}

fn read_agenda_item(v: &Value, path: &str) -> Result<AgendaItem, ScheduleError> {
    let f = Fields::of(v, path)?;
    let tier = match f.opt_u32("risk_tier")? {
        None => None,
        Some(t) => Some(
            u8::try_from(t)
                .map_err(|_| bad(&f.path("risk_tier"), "expected a tier from 1 to 255"))?,
        ),
    };
    let mut item = AgendaItem::new(
        f.string("patient_ref")?,
        f.opt_string("label")?.unwrap_or_default(),
        tier,
    );
    item.breached = f.boolean("breached")?;
    item.days_since_review = f.opt_u32("days_since_review")?;
    item.minutes = f.opt_u32("minutes")?;
    item.involved = f.strings("involved")?;
    if let Some(s) = f.object("summary")? {
        let scores = s
            .array("risk_scores")?
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let r = Fields::of(r, &format!("{}[{k}]", s.path("risk_scores")))?;
                Ok(RiskScore::new(r.string("name")?, r.string("value")?))
            })
            .collect::<Result<Vec<_>, ScheduleError>>()?;
        item.summary = PatientSummary {
            reason: s.opt_string("reason")?.unwrap_or_default(),
            key_problems: s.strings("key_problems")?,
            risk_scores: scores,
            open_actions: s.strings("open_actions")?,
        };
    }
    Ok(item)
}

fn read_agenda_options(text: &str) -> Result<AgendaOptions, ScheduleError> {
    let v = parse_json(text)?;
    let o = Fields::of(&v, "options")?;
    let defaults = AgendaOptions::default();
    let fixed = |key: &str, default: Vec<FixedItem>| -> Result<Vec<FixedItem>, ScheduleError> {
        if o.get(key).is_none() {
            return Ok(default);
        }
        o.array(key)?
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let f = Fields::of(item, &format!("{}[{i}]", o.path(key)))?;
                Ok(FixedItem::new(f.string("title")?, f.u32("minutes")?))
            })
            .collect()
    };
    Ok(AgendaOptions {
        default_minutes: o
            .opt_u32("default_minutes")?
            .unwrap_or(defaults.default_minutes),
        opening: fixed("opening", defaults.opening)?,
        closing: fixed("closing", defaults.closing)?,
        backfill: o.boolean("backfill")?,
    })
}

/// Minutes: the meeting, attendees, apologies and decisions read here; the actions read by
/// the core's action-log reader, so that their paths (`actions[2].due`) and checks are the
/// core's.
fn read_minutes(text: &str) -> Result<Minutes, ScheduleError> {
    let v = parse_json(text)?;
    let f = Fields::of(&v, "")?;
    let Some(meeting) = f.get("meeting") else {
        return Err(ScheduleError::MissingField {
            path: "meeting".into(),
        });
    };
    let mut minutes = Minutes::new(&read_meeting_time(meeting, "meeting")?);
    minutes.attendees = f.strings("attendees")?;
    minutes.apologies = f.strings("apologies")?;
    for (i, d) in f.array("decisions")?.iter().enumerate() {
        let d = Fields::of(d, &format!("decisions[{i}]"))?;
        minutes.decisions.push(carecoord::schedule::Decision {
            patient_ref: d.opt_string("patient_ref")?,
            text: d.string("text")?,
        });
    }
    if f.get("actions").is_some() {
        let actions = f.array("actions")?;
        let mut wrapped = Map::new();
        wrapped.insert("actions".into(), Value::Array(actions.to_vec()));
        let log = ActionLog::from_json(&Value::Object(wrapped).to_string())?;
        minutes.actions = log.actions().to_vec();
    }
    Ok(minutes)
}

fn read_status(text: &str) -> Result<ActionStatus, ScheduleError> {
    let v = parse_json(text)?;
    let f = Fields::of(&v, "")?;
    let status = f.string("status")?;
    let completed = f.opt_date("completed")?;
    match (status.as_str(), completed) {
        ("open", None) => Ok(ActionStatus::Open),
        ("done", Some(d)) => Ok(ActionStatus::Done(d)),
        ("cancelled", Some(d)) => Ok(ActionStatus::Cancelled(d)),
        ("open", Some(_)) => Err(bad("completed", "must be null for an open action")),
        ("done" | "cancelled", None) => Err(ScheduleError::MissingField {
            path: "completed".into(),
        }),
        _ => Err(bad("status", "expected `open`, `done` or `cancelled`")),
    }
}

fn read_candidate_options(text: &str) -> Result<CandidateOptions, ScheduleError> {
    let v = parse_json(text)?;
    let o = Fields::of(&v, "options")?;
    let defaults = CandidateOptions::default();
    let max_slots = match o.opt_u32("max_slots")? {
        None => defaults.max_slots,
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let window = match o.object("window")? {
        None => None,
        Some(_) => Some(read_window(&o)?),
    };
    Ok(CandidateOptions { max_slots, window })
}

fn read_slots(text: &str) -> Result<Vec<Slot>, ScheduleError> {
    let v = parse_json(text)?;
    let Value::Array(list) = &v else {
        return Err(bad("slots", "expected an array of slots"));
    };
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let s = Fields::of(s, &format!("slots[{i}]"))?;
            Ok(Slot {
                start: s.local("start")?,
                end: s.local("end")?,
                room: s.opt_string("room")?,
                preferred_unavailable: s.strings("preferred_unavailable")?,
            })
        })
        .collect()
}

fn read_email_options(text: &str) -> Result<EmailOptions, ScheduleError> {
    let v = parse_json(text)?;
    let o = Fields::of(&v, "options")?;
    let Some(reply_by) = o.opt_date("reply_by")? else {
        return Err(ScheduleError::MissingField {
            path: o.path("reply_by"),
        });
    };
    let mut options = EmailOptions::new(reply_by);
    if let Some(g) = o.opt_string("greeting")? {
        options.greeting = g;
    }
    if let Some(s) = o.opt_string("sign_off")? {
        options.sign_off = s;
    }
    Ok(options)
}

fn read_ical_options(text: &str) -> Result<IcalOptions, ScheduleError> {
    let v = parse_json(text)?;
    let o = Fields::of(&v, "options")?;
    let mut options = IcalOptions::default();
    if let Some(d) = o.opt_string("domain")? {
        options.domain = d;
    }
    if let Some(p) = o.opt_string("prodid")? {
        options.prodid = p;
    }
    if let Some(s) = o.opt_string("dtstamp")? {
        options.dtstamp = Some(parse_utc(&s).map_err(|reason| ScheduleError::InvalidTime {
            path: o.path("dtstamp"),
            reason: reason.into(),
        })?);
    }
    options.sequence = o.opt_u32("sequence")?.unwrap_or(0);
    if let Some(a) = o.object("addresses")? {
        let mut addresses = BTreeMap::new();
        for (person, address) in a.map {
            let Value::String(address) = address else {
                return Err(bad(&a.path(person), "expected a string"));
            };
            addresses.insert(person.clone(), address.clone());
        }
        options.addresses = addresses;
    }
    Ok(options)
}

fn bad(path: &str, reason: &str) -> ScheduleError {
    ScheduleError::InvalidField {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// A non-negative integer up to `u32::MAX` (an integral float such as `60.0` counts, as the
/// core reads documents).
fn as_u32(v: &Value) -> Option<u32> {
    let Value::Number(n) = v else { return None };
    if let Some(u) = n.as_u64() {
        return u32::try_from(u).ok();
    }
    n.as_f64()
        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
        .map(|f| f as u32)
}

/// The fields of a JSON object being read, with its path. `null` reads as absent.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    fn of(v: &'a Value, path: &str) -> Result<Self, ScheduleError> {
        match v {
            Value::Object(map) => Ok(Self {
                map,
                path: path.to_string(),
            }),
            _ => Err(bad(
                if path.is_empty() { "$" } else { path },
                "expected an object",
            )),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key` unless it is absent or `null` (for a key given twice, the last,
    /// as serde_json keeps it).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn missing(&self, key: &str) -> ScheduleError {
        ScheduleError::MissingField {
            path: self.path(key),
        }
    }

    /// An optional nested object.
    fn object(&self, key: &str) -> Result<Option<Fields<'a>>, ScheduleError> {
        self.get(key)
            .map(|v| Fields::of(v, &self.path(key)))
            .transpose()
    }

    /// An optional array (absent: empty).
    fn array(&self, key: &str) -> Result<&'a [Value], ScheduleError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(bad(&self.path(key), "expected an array")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, ScheduleError> {
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(bad(
                    &format!("{}[{i}]", self.path(key)),
                    "expected a string",
                )),
            })
            .collect()
    }

    fn required_strings(&self, key: &str) -> Result<Vec<String>, ScheduleError> {
        if self.get(key).is_none() {
            return Err(self.missing(key));
        }
        self.strings(key)
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, ScheduleError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&self.path(key), "expected a string")),
        }
    }

    fn string(&self, key: &str) -> Result<String, ScheduleError> {
        self.opt_string(key)?.ok_or_else(|| self.missing(key))
    }

    fn opt_u32(&self, key: &str) -> Result<Option<u32>, ScheduleError> {
        self.get(key)
            .map(|v| {
                as_u32(v).ok_or_else(|| bad(&self.path(key), "expected a non-negative integer"))
            })
            .transpose()
    }

    fn u32(&self, key: &str) -> Result<u32, ScheduleError> {
        self.opt_u32(key)?.ok_or_else(|| self.missing(key))
    }

    fn positive(&self, key: &str) -> Result<u32, ScheduleError> {
        let v = self.get(key).ok_or_else(|| self.missing(key))?;
        as_u32(v)
            .filter(|n| *n > 0)
            .ok_or_else(|| bad(&self.path(key), "expected a positive integer"))
    }

    fn boolean(&self, key: &str) -> Result<bool, ScheduleError> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(bad(&self.path(key), "expected true or false")),
        }
    }

    fn opt_local(&self, key: &str) -> Result<Option<NaiveDateTime>, ScheduleError> {
        let Some(s) = self.opt_string(key)? else {
            return Ok(None);
        };
        parse_local(&s)
            .map(Some)
            .map_err(|reason| ScheduleError::InvalidTime {
                path: self.path(key),
                reason: reason.to_string(),
            })
    }

    fn local(&self, key: &str) -> Result<NaiveDateTime, ScheduleError> {
        self.opt_local(key)?.ok_or_else(|| self.missing(key))
    }

    fn opt_date(&self, key: &str) -> Result<Option<NaiveDate>, ScheduleError> {
        let Some(s) = self.opt_string(key)? else {
            return Ok(None);
        };
        parse_date(&s)
            .map(Some)
            .map_err(|reason| ScheduleError::InvalidTime {
                path: self.path(key),
                reason: reason.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_err(text: &str) -> (usize, usize, String) {
        match parse_json(text).unwrap_err() {
            ScheduleError::Json {
                line,
                column,
                reason,
            } => (line, column, reason),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_give_line_column_and_a_fixed_reason() {
        // serde_json's own positions and phrases; none repeats the text.
        let cases: [(&str, usize, usize, &str); 9] = [
            ("", 1, 0, "EOF while parsing a value"),
            ("{\"a\": 1,}", 1, 9, "trailing comma"),
            ("[1 2]", 1, 4, "expected `,` or `]`"),
            ("{\"a\" 1}", 1, 6, "expected `:`"),
            ("{\n  \"secret\": tru}", 2, 16, "expected ident"),
            ("01", 1, 2, "invalid number"),
            ("1 2", 1, 3, "trailing characters"),
            (
                "\"a\u{1}\"",
                1,
                3,
                "control character (\\u0000-\\u001F) found while parsing a string",
            ),
            ("\"abc", 1, 4, "EOF while parsing a string"),
        ];
        for (text, line, column, reason) in cases {
            assert_eq!(
                json_err(text),
                (line, column, reason.to_string()),
                "{text:?}"
            );
        }
        let shown = ScheduleError::Json {
            line: 1,
            column: 4,
            reason: "expected `,` or `]`".into(),
        }
        .to_string();
        assert_eq!(
            shown,
            "invalid JSON at line 1, column 4: expected `,` or `]`"
        );
    }

    #[test]
    fn nesting_is_limited_without_overflowing_the_stack() {
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_json(&ok).is_ok());
        let (_, column, reason) = json_err(&"[".repeat(100_000));
        assert_eq!((column, reason.as_str()), (128, "recursion limit exceeded"));
    }

    #[test]
    fn integers_are_read_exactly() {
        let n = |t: &str| as_u32(&serde_json::from_str(t).unwrap());
        assert_eq!(n("60"), Some(60));
        assert_eq!(n("60.0"), Some(60));
        assert_eq!(n("4294967295"), Some(u32::MAX));
        assert_eq!(n("4294967296"), None);
        assert_eq!(n("-1"), None);
        assert_eq!(n("1.5"), None);
        assert_eq!(n("\"6\""), None);
    }

    #[test]
    fn local_times_are_read_as_the_format_writes_them() {
        let t = |s: &str| parse_local(s).map(local);
        assert_eq!(t("2026-03-24T09:15"), Ok("2026-03-24T09:15".into()));
        assert_eq!(t("2026-03-24 09:15:00"), Ok("2026-03-24T09:15".into()));
        assert_eq!(t("2026-03-24T09:15:30"), Err("seconds must be `00`"));
        assert_eq!(t("2026-02-30T09:15"), Err("not a calendar date"));
        assert_eq!(t("2026-03-24T24:00"), Err("time out of range"));
        assert_eq!(t("2026-03-24T9:15"), Err(parse_local("x").unwrap_err()));
        assert_eq!(t("2026-03-24T09:15Z"), Err(parse_local("x").unwrap_err()));
        // Multi-byte characters never split a slice.
        assert!(t("2026-03-24T09:0é00").is_err());
        assert!(t("2026-03-24Té:00:00").is_err());
        assert_eq!(parse_date("2026-3-24"), Err("expected a date `YYYY-MM-DD`"));
        assert_eq!(
            parse_date("2026-03-24").map(|d| d.to_string()),
            Ok("2026-03-24".into())
        );
        let u = |s: &str| parse_utc(s).map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        assert_eq!(u("2026-03-01T09:00:00Z"), Ok("2026-03-01 09:00:00".into()));
        assert_eq!(u("2026-03-01T09:00Z"), Ok("2026-03-01 09:00:00".into()));
        assert!(u("2026-03-01T09:00:00").is_err());
        assert!(u("2026-03-01T09:00:00+01:00").is_err());
        assert_eq!(u("2026-03-01T25:00Z"), Err("time out of range"));
    }

    #[test]
    fn json_is_written_on_one_line_and_escaped() {
        let out = to_text(&["a\"b", "c\\d\n\u{1}é"]).unwrap();
        assert_eq!(out, r#"["a\"b", "c\\d\n\u0001é"]"#);
        let slot = Slot {
            start: parse_local("2026-03-24T11:00").unwrap(),
            end: parse_local("2026-03-24T12:00").unwrap(),
            room: None,
            preferred_unavailable: vec!["p3".into()],
        };
        assert_eq!(
            to_text(&SlotOut::of(&slot)).unwrap(),
            r#"{"start": "2026-03-24T11:00", "end": "2026-03-24T12:00", "room": null, "preferred_unavailable": ["p3"]}"#
        );
        // The hand-written writer of the evaluation agrees on strings.
        let mut hand = String::new();
        push_strings(&mut hand, &["a\"b".into(), "c\\d\n\u{1}é".into()]);
        assert_eq!(hand, out);
    }

    #[test]
    fn slot_queries_name_the_json_path() {
        let q = slot_query(
            r#"{"people": ["p1"], "preferred": null, "duration_minutes": 30.0,
                "window": {"earliest": "2026-03-24T08:00", "latest": null},
                "needs_physical": true, "extra": {"ignored": [1]}}"#,
        )
        .unwrap();
        assert_eq!(q.people, ["p1"]);
        assert!(q.preferred.is_empty());
        assert_eq!(q.duration_minutes, 30);
        assert_eq!(
            q.window.earliest.map(local).as_deref(),
            Some("2026-03-24T08:00")
        );
        assert_eq!(q.window.latest, None);
        assert_eq!(
            q.rooms,
            Some(RoomFilter {
                rooms: RoomChoice::Any,
                needs_physical: true
            })
        );
        let only = slot_query(r#"{"people": [], "duration_minutes": 5, "rooms": ["rm1"]}"#);
        assert_eq!(
            only.unwrap().rooms,
            Some(RoomFilter {
                rooms: RoomChoice::Only(vec!["rm1".into()]),
                needs_physical: false
            })
        );
        let err = |text: &str| slot_query(text).unwrap_err().to_string();
        assert_eq!(err("[]"), "$: expected an object");
        assert_eq!(
            err(r#"{"duration_minutes": 5}"#),
            "people: required field is missing"
        );
        assert_eq!(
            err(r#"{"people": ["p1", 2], "duration_minutes": 5}"#),
            "people[1]: expected a string"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 0}"#),
            "duration_minutes: expected a positive integer"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 5, "window": {"latest": "soon"}}"#),
            "window.latest: expected a local date-time `YYYY-MM-DDTHH:MM` without offset"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 5, "window": []}"#),
            "window: expected an object"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 5, "rooms": "some"}"#),
            "rooms: expected \"any\" or an array of room ids"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 5, "needs_physical": 1}"#),
            "needs_physical: expected true or false"
        );
        // A key given twice: the last counts.
        let twice = slot_query(r#"{"people": ["p1"], "people": ["p2"], "duration_minutes": 5}"#);
        assert_eq!(twice.unwrap().people, ["p2"]);
    }

    #[test]
    fn blocks_queries_name_the_json_path() {
        let (people, slot) = blocks_query(
            r#"{"people": ["p1"], "start": "2026-03-23T09:15", "end": "2026-03-23T10:00", "room": "rm1"}"#,
        )
        .unwrap();
        assert_eq!(people, ["p1"]);
        assert_eq!(local(slot.end), "2026-03-23T10:00");
        assert_eq!(slot.room.as_deref(), Some("rm1"));
        assert_eq!(
            blocks_query(r#"{"people": ["p1"], "start": "2026-03-23T09:15"}"#)
                .unwrap_err()
                .to_string(),
            "end: required field is missing"
        );
    }

    #[test]
    fn agenda_arguments_are_read_with_paths() {
        let m = read_meeting_time(
            &parse_json(
                r#"{"id": "m1", "title": "MDT", "start": "2026-03-24T14:00",
                    "end": "2026-03-24T15:00", "room": "rm1", "required": ["p1"]}"#,
            )
            .unwrap(),
            "meeting",
        )
        .unwrap();
        assert_eq!(m.when(), "Tue 24 Mar 2026, 14:00-15:00");
        assert_eq!((m.room.as_deref(), m.preferred.len()), (Some("rm1"), 0));
        assert_eq!(
            read_meeting_time(
                &parse_json(r#"{"id": "m1", "start": "2026-03-24T14:00"}"#).unwrap(),
                "meeting"
            )
            .unwrap_err()
            .to_string(),
            "meeting.end: required field is missing"
        );

        let items = read_agenda_items(
            r#"[{"patient_ref": "CASE-1", "label": "AB, 84", "risk_tier": 2, "breached": true,
                 "days_since_review": 40, "minutes": 15, "involved": ["p1"],
                 "summary": {"reason": "Falls", "key_problems": ["COPD"],
                             "risk_scores": [{"name": "eFI", "value": "0.36"}]}},
                {"patient_ref": "CASE-2"}]"#,
        )
        .unwrap();
        assert_eq!(
            (
                items[0].risk_tier,
                items[0].breached,
                items[0].days_since_review,
                items[0].minutes
            ),
            (Some(2), true, Some(40), Some(15))
        );
        assert_eq!(
            items[0].summary.risk_scores[0],
            RiskScore::new("eFI", "0.36")
        );
        assert_eq!(items[1], AgendaItem::new("CASE-2", "", None));
        let err = |t: &str| read_agenda_items(t).unwrap_err().to_string();
        assert_eq!(err("{}"), "items: expected an array of agenda items");
        assert_eq!(
            err("[{}]"),
            "items[0].patient_ref: required field is missing"
        );
        assert_eq!(
            err(r#"[{"patient_ref": "C", "risk_tier": 256}]"#),
            "items[0].risk_tier: expected a tier from 1 to 255"
        );
        assert_eq!(
            err(r#"[{"patient_ref": "C", "minutes": "ten"}]"#),
            "items[0].minutes: expected a non-negative integer"
        );
        assert_eq!(
            err(r#"[{"patient_ref": "C", "summary": {"risk_scores": [{"name": "eFI"}]}}]"#),
            "items[0].summary.risk_scores[0].value: required field is missing"
        );

        let o = read_agenda_options(r#"{"opening": [], "backfill": true}"#).unwrap();
        assert_eq!(
            o,
            AgendaOptions {
                opening: vec![],
                backfill: true,
                ..AgendaOptions::default()
            }
        );
        assert_eq!(read_agenda_options("{}").unwrap(), AgendaOptions::default());
        assert_eq!(
            read_agenda_options(r#"{"closing": [{"title": "AOB"}]}"#)
                .unwrap_err()
                .to_string(),
            "options.closing[0].minutes: required field is missing"
        );
    }

    #[test]
    fn minutes_and_statuses_are_read_with_paths() {
        let text = r#"{"meeting": {"id": "m1", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"},
            "attendees": ["p1"], "decisions": [{"patient_ref": "CASE-1", "text": "Refer"}],
            "actions": [{"id": "A1", "patient_ref": "CASE-1", "description": "Send referral",
                         "owner": "p1", "due": "2026-03-27", "status": "open",
                         "raised_at": "m1", "raised_on": "2026-03-24"}]}"#;
        let m = read_minutes(text).unwrap();
        assert_eq!(
            (m.attendees.len(), m.decisions.len(), m.actions.len()),
            (1, 1, 1)
        );
        assert_eq!(m.actions[0].id, "A1");
        let err = |t: &str| read_minutes(t).unwrap_err().to_string();
        assert_eq!(err("{}"), "meeting: required field is missing");
        assert_eq!(
            err(&text.replace("\"2026-03-27\"", "\"27/03/2026\"")),
            "actions[0].due: expected a date `YYYY-MM-DD`"
        );
        assert_eq!(
            err(&text.replace("\"text\": \"Refer\"", "\"text\": 5")),
            "decisions[0].text: expected a string"
        );

        let d = NaiveDate::from_ymd_opt(2026, 3, 30).unwrap();
        assert_eq!(read_status(r#"{"status": "open"}"#), Ok(ActionStatus::Open));
        assert_eq!(
            read_status(r#"{"status": "done", "completed": "2026-03-30"}"#),
            Ok(ActionStatus::Done(d))
        );
        let err = |t: &str| read_status(t).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"status": "done"}"#),
            "completed: required field is missing"
        );
        assert_eq!(
            err(r#"{"status": "open", "completed": "2026-03-30"}"#),
            "completed: must be null for an open action"
        );
        assert_eq!(
            err(r#"{"status": "closed"}"#),
            "status: expected `open`, `done` or `cancelled`"
        );
    }

    #[test]
    fn slot_email_and_calendar_options_are_read_with_paths() {
        let c = read_candidate_options(
            r#"{"max_slots": 2, "window": {"earliest": "2026-03-30T00:00"}}"#,
        )
        .unwrap();
        assert_eq!(c.max_slots, 2);
        assert_eq!(
            c.window.and_then(|w| w.earliest).map(local).as_deref(),
            Some("2026-03-30T00:00")
        );
        assert_eq!(
            read_candidate_options("{}").unwrap(),
            CandidateOptions::default()
        );
        assert_eq!(
            read_candidate_options(r#"{"window": {"latest": "x"}}"#)
                .unwrap_err()
                .to_string(),
            "options.window.latest: expected a local date-time `YYYY-MM-DDTHH:MM` without offset"
        );
        let slots = read_slots(
            r#"[{"start": "2026-03-24T12:00", "end": "2026-03-24T13:00", "room": "rm1"}]"#,
        )
        .unwrap();
        assert_eq!(slots[0].room.as_deref(), Some("rm1"));
        assert_eq!(
            read_slots(r#"[{"start": "2026-03-24T12:00"}]"#)
                .unwrap_err()
                .to_string(),
            "slots[0].end: required field is missing"
        );
        let e =
            read_email_options(r#"{"reply_by": "2026-03-20", "sign_off": "ILR team"}"#).unwrap();
        assert_eq!(
            (e.greeting.as_str(), e.sign_off.as_str()),
            ("Dear colleagues,", "ILR team")
        );
        assert_eq!(
            read_email_options("{}").unwrap_err().to_string(),
            "options.reply_by: required field is missing"
        );
        let i = read_ical_options(
            r#"{"domain": "nhs.example", "dtstamp": "2026-03-01T09:00:00Z", "sequence": 2,
                "addresses": {"p1": "p1@nhs.example"}}"#,
        )
        .unwrap();
        assert_eq!((i.domain.as_str(), i.sequence), ("nhs.example", 2));
        assert_eq!(
            i.dtstamp.map(|t| t.to_string()).as_deref(),
            Some("2026-03-01 09:00:00")
        );
        assert_eq!(i.addresses["p1"], "p1@nhs.example");
        assert_eq!(
            read_ical_options(r#"{"addresses": {"p1": 1}}"#)
                .unwrap_err()
                .to_string(),
            "options.addresses.p1: expected a string"
        );
        assert_eq!(
            read_ical_options(r#"{"dtstamp": "2026-03-01T09:00"}"#)
                .unwrap_err()
                .code(),
            "invalid_time"
        );
    }

    #[test]
    fn default_options_are_the_core_defaults() {
        let o = carecoord_schedule_options_default();
        assert_eq!(
            o,
            carecoord_schedule_options {
                time_limit_ms: 1500,
                seed: 0
            }
        );
        assert_eq!(SolveOptions::from(o), SolveOptions::default());
        let unlimited = SolveOptions::from(carecoord_schedule_options {
            time_limit_ms: 0,
            seed: 7,
        });
        assert_eq!(unlimited.time_limit, None);
        assert_eq!(unlimited.seed, 7);
    }
}
