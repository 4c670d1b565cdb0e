//! Meeting scheduling (core `carecoord::schedule`): plan meetings, check a plan, report
//! series conflicts, and ask a diary questions. Documents go in and out as JSON text.
//!
//! * [`carecoord_schedule_solve`], [`carecoord_schedule_evaluate`] and
//!   [`carecoord_schedule_series_conflicts`] take a `carecoord.schedule.v1` instance (format
//!   §2) and return JSON written by the library.
//! * [`carecoord_diary`] is an opaque, immutable handle: an instance compiled once
//!   ([`carecoord_diary_new`], [`carecoord_diary_with_solution`]) for many fast questions
//!   ([`carecoord_diary_earliest_common_slot`], [`carecoord_diary_free_slots`],
//!   [`carecoord_diary_who_blocks`]), freed with [`carecoord_diary_free`].
//!
//! JSON strings in are `const char *ptr, size_t len` (UTF-8, not necessarily
//! NUL-terminated). JSON strings out are NUL-terminated `char *` owned by the caller and
//! released with [`carecoord_string_free`]. Errors name the argument and the JSON path
//! (`argument `instance_json`: meetings[0].required[0]: unknown person id`), never a value.
//!
//! The diary queries are small JSON objects read here (the C ABI crate has no JSON
//! dependency, so [`json`] is a strict reader of RFC 8259 text). `null` reads as absent and
//! unknown keys are ignored, as in the format.

use std::ffi::{c_char, CString};
use std::fmt::Write as _;
use std::time::Duration;

use carecoord::schedule::{
    evaluate, series_conflicts, series_occurrences, solve, Diary, Evaluation, Instance, Previous,
    RoomChoice, RoomFilter, ScheduleError, SeriesConflict, Slot, Solution, SolveOptions, Violation,
    Window, SCHEMA,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::error::{carecoord_result, FfiError};
use crate::text::{out_arg, required_str_arg};

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
/// These keys have the reference evaluator's meaning; it also prints a free-text `detail`
/// per violation and the `preferred_conflict_pairs` and `moved_meetings` lists, which are not
/// produced here. A broken rule is a violation, not an error.
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
        let mut text = String::new();
        match slot {
            Some(s) => push_slot(&mut text, &s),
            None => text.push_str("null"),
        }
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
        let mut text = String::from("[");
        for (i, s) in slots.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            push_slot(&mut text, s);
        }
        text.push(']');
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
        let mut text = String::new();
        push_strings(&mut text, &ids);
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { json_out(out, text) }
    })
}

/// Free a string returned by a carecoord function (the `char **out_*_json` results). NULL
/// does nothing.
///
/// Ownership: takes back the string; it must not be used again. Only strings made by this
/// library may be passed (not ones from `malloc`). Thread safety: safe from any thread.
///
/// # Safety
///
/// `s` must be NULL or a string returned by this library that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_string_free(s: *mut c_char) {
    ffi_boundary_or("carecoord_string_free", (), || {
        if !s.is_null() {
            // SAFETY: the caller promises a live string made by CString::into_raw in
            // `json_out`, not freed before.
            drop(unsafe { CString::from_raw(s) });
        }
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

/// Hand `text` to the caller as a NUL-terminated string they free with
/// [`carecoord_string_free`].
///
/// # Safety
///
/// `out` must be non-null and valid for a write.
unsafe fn json_out(out: *mut *mut c_char, text: String) -> Result<(), FfiError> {
    // JSON text escapes control characters, so it never holds a NUL byte.
    let c = CString::new(text).map_err(|_| {
        FfiError::new(
            carecoord_result::CARECOORD_RESULT_PANIC,
            "internal error: JSON output holds a NUL byte",
        )
    })?;
    // SAFETY: the caller promises `out` is valid for a write.
    unsafe { *out = c.into_raw() };
    Ok(())
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
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(b[4] == b'-' && b[7] == b'-' && digits(0..4) && digits(5..7) && digits(8..10)) {
        return Err("expected a date `YYYY-MM-DD`");
    }
    let date =
        NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").map_err(|_| "not a calendar date")?;
    if !(digits(11..13) && digits(14..16)) {
        return Err("expected a time `HH:MM`");
    }
    let hour = u32::from(b[11] - b'0') * 10 + u32::from(b[12] - b'0');
    let minute = u32::from(b[14] - b'0') * 10 + u32::from(b[15] - b'0');
    let time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or("time out of range")?;
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

fn push_slot(out: &mut String, s: &Slot) {
    out.push_str("{\"start\": ");
    push_str(out, &local(s.start));
    out.push_str(", \"end\": ");
    push_str(out, &local(s.end));
    out.push_str(", \"room\": ");
    match &s.room {
        Some(r) => push_str(out, r),
        None => out.push_str("null"),
    }
    out.push_str(", \"preferred_unavailable\": ");
    push_strings(out, &s.preferred_unavailable);
    out.push('}');
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

fn push_violations(out: &mut String, list: &[Violation]) {
    out.push('[');
    for (i, v) in list.iter().enumerate() {
        out.push_str(if i > 0 { ",\n  " } else { "\n  " });
        out.push_str("{\"code\": ");
        push_str(out, v.code);
        out.push_str(", \"ids\": ");
        push_strings(out, &v.ids);
        out.push('}');
    }
    out.push_str(if list.is_empty() { "]" } else { "\n ]" });
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
    out.push_str("\n}");
    out
}

// ---------------------------------------------------------------------------------------
// Diary queries.
// ---------------------------------------------------------------------------------------

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

fn slot_query(text: &str) -> Result<SlotQuery, ScheduleError> {
    let v = json::parse(text)?;
    let q = Fields::of(&v, "")?;
    let window = match q.get("window") {
        None => Window::default(),
        Some(w) => {
            let w = Fields::of(w, "window")?;
            Window {
                earliest: w.opt_local("earliest")?,
                latest: w.opt_local("latest")?,
            }
        }
    };
    let needs_physical = q.boolean("needs_physical")?;
    let rooms = match q.get("rooms") {
        None if needs_physical => Some(RoomChoice::Any),
        None => None,
        Some(json::Value::String(s)) if s == "any" => Some(RoomChoice::Any),
        Some(json::Value::Array(_)) => Some(RoomChoice::Only(q.strings("rooms")?)),
        Some(_) => return Err(bad("rooms", "expected \"any\" or an array of room ids")),
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
    let v = json::parse(text)?;
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

fn bad(path: &str, reason: &str) -> ScheduleError {
    ScheduleError::InvalidField {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// The fields of a JSON object being read, with its path. `null` reads as absent.
struct Fields<'a> {
    fields: &'a [(String, json::Value)],
    path: &'a str,
}

impl<'a> Fields<'a> {
    fn of(v: &'a json::Value, path: &'a str) -> Result<Self, ScheduleError> {
        match v {
            json::Value::Object(fields) => Ok(Self { fields, path }),
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

    /// The last value given for `key` (as most JSON readers do), unless it is `null`.
    fn get(&self, key: &str) -> Option<&'a json::Value> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| **v != json::Value::Null)
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, ScheduleError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(json::Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    json::Value::String(s) => Ok(s.clone()),
                    _ => Err(bad(
                        &format!("{}[{i}]", self.path(key)),
                        "expected a string",
                    )),
                })
                .collect(),
            Some(_) => Err(bad(&self.path(key), "expected an array")),
        }
    }

    fn required_strings(&self, key: &str) -> Result<Vec<String>, ScheduleError> {
        if self.get(key).is_none() {
            return Err(ScheduleError::MissingField {
                path: self.path(key),
            });
        }
        self.strings(key)
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, ScheduleError> {
        match self.get(key) {
            None => Ok(None),
            Some(json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&self.path(key), "expected a string")),
        }
    }

    fn positive(&self, key: &str) -> Result<u32, ScheduleError> {
        let Some(v) = self.get(key) else {
            return Err(ScheduleError::MissingField {
                path: self.path(key),
            });
        };
        match v {
            json::Value::Number(raw) => json::as_u32(raw).filter(|n| *n > 0),
            _ => None,
        }
        .ok_or_else(|| bad(&self.path(key), "expected a positive integer"))
    }

    fn boolean(&self, key: &str) -> Result<bool, ScheduleError> {
        match self.get(key) {
            None => Ok(false),
            Some(json::Value::Bool(b)) => Ok(*b),
            Some(_) => Err(bad(&self.path(key), "expected true or false")),
        }
    }

    fn opt_local(&self, key: &str) -> Result<Option<NaiveDateTime>, ScheduleError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let json::Value::String(s) = v else {
            return Err(bad(&self.path(key), "expected a string"));
        };
        parse_local(s)
            .map(Some)
            .map_err(|reason| ScheduleError::InvalidTime {
                path: self.path(key),
                reason: reason.to_string(),
            })
    }

    fn local(&self, key: &str) -> Result<NaiveDateTime, ScheduleError> {
        self.opt_local(key)?
            .ok_or_else(|| ScheduleError::MissingField {
                path: self.path(key),
            })
    }
}

/// A strict reader of JSON text (RFC 8259) for the small query objects of this module.
///
/// Syntax errors come back as [`ScheduleError::Json`] with the line and column, as the core
/// reports them for documents; the reason never echoes the text. Nesting is limited to 64
/// levels, so that hostile input cannot exhaust the stack.
mod json {
    use carecoord::schedule::ScheduleError;

    /// A JSON value. Numbers keep their text, so that integers are read exactly.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) enum Value {
        Null,
        Bool(bool),
        Number(String),
        String(String),
        Array(Vec<Value>),
        Object(Vec<(String, Value)>),
    }

    const MAX_DEPTH: usize = 64;

    /// Parse one JSON value, with optional whitespace around it.
    pub(super) fn parse(text: &str) -> Result<Value, ScheduleError> {
        let mut p = Parser {
            text,
            s: text.as_bytes(),
            i: 0,
        };
        p.ws();
        let v = p.value(0)?;
        p.ws();
        if p.i < p.s.len() {
            return Err(p.err("trailing characters after the value"));
        }
        Ok(v)
    }

    /// A JSON number that is a non-negative integer up to `u32::MAX` (an integral float such
    /// as `60.0` counts, as the core reads documents).
    pub(super) fn as_u32(raw: &str) -> Option<u32> {
        if let Ok(n) = raw.parse::<u32>() {
            return Some(n);
        }
        raw.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
            .map(|f| f as u32)
    }

    struct Parser<'a> {
        text: &'a str,
        s: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn err(&self, reason: &str) -> ScheduleError {
            let before = &self.text.as_bytes()[..self.i.min(self.s.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            // Count characters, not bytes: UTF-8 continuation bytes do not start one.
            let column = before[line_start..]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count()
                + 1;
            ScheduleError::Json {
                line,
                column,
                reason: reason.to_string(),
            }
        }

        fn peek(&self) -> Option<u8> {
            self.s.get(self.i).copied()
        }

        fn eat(&mut self, b: u8) -> bool {
            let hit = self.peek() == Some(b);
            if hit {
                self.i += 1;
            }
            hit
        }

        fn ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.i += 1;
            }
        }

        fn value(&mut self, depth: usize) -> Result<Value, ScheduleError> {
            match self.peek() {
                None => Err(self.err("unexpected end of input")),
                Some(b'{' | b'[') if depth >= MAX_DEPTH => Err(self.err("nesting too deep")),
                Some(b'{') => self.object(depth),
                Some(b'[') => self.array(depth),
                Some(b'"') => self.string().map(Value::String),
                Some(b't') => self.literal("true", Value::Bool(true)),
                Some(b'f') => self.literal("false", Value::Bool(false)),
                Some(b'n') => self.literal("null", Value::Null),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(_) => Err(self.err("expected a value")),
            }
        }

        fn object(&mut self, depth: usize) -> Result<Value, ScheduleError> {
            self.i += 1;
            let mut fields = Vec::new();
            self.ws();
            if self.eat(b'}') {
                return Ok(Value::Object(fields));
            }
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return Err(self.err("expected a string key"));
                }
                let key = self.string()?;
                self.ws();
                if !self.eat(b':') {
                    return Err(self.err("expected `:`"));
                }
                self.ws();
                let value = self.value(depth + 1)?;
                fields.push((key, value));
                self.ws();
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    return Ok(Value::Object(fields));
                }
                return Err(self.err("expected `,` or `}`"));
            }
        }

        fn array(&mut self, depth: usize) -> Result<Value, ScheduleError> {
            self.i += 1;
            let mut items = Vec::new();
            self.ws();
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            loop {
                self.ws();
                items.push(self.value(depth + 1)?);
                self.ws();
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    return Ok(Value::Array(items));
                }
                return Err(self.err("expected `,` or `]`"));
            }
        }

        fn literal(&mut self, word: &str, v: Value) -> Result<Value, ScheduleError> {
            if self.s[self.i..].starts_with(word.as_bytes()) {
                self.i += word.len();
                Ok(v)
            } else {
                Err(self.err("expected a value"))
            }
        }

        fn digits(&mut self) -> usize {
            let start = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            self.i - start
        }

        fn number(&mut self) -> Result<Value, ScheduleError> {
            let start = self.i;
            self.eat(b'-');
            match self.peek() {
                Some(b'0') => self.i += 1,
                Some(b'1'..=b'9') => {
                    self.digits();
                }
                _ => return Err(self.err("invalid number")),
            }
            if self.eat(b'.') && self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.i += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                if self.digits() == 0 {
                    return Err(self.err("invalid number"));
                }
            }
            // The number is ASCII, so these are character boundaries.
            Ok(Value::Number(self.text[start..self.i].to_string()))
        }

        fn string(&mut self) -> Result<String, ScheduleError> {
            self.i += 1;
            let mut out = String::new();
            loop {
                // Copy the run up to the next quote, backslash or control character whole:
                // it starts and ends on ASCII bytes, so on character boundaries.
                let run = self.s[self.i..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                    .map_or(self.s.len(), |n| self.i + n);
                out.push_str(&self.text[self.i..run]);
                self.i = run;
                match self.peek() {
                    None => return Err(self.err("unexpected end of input in a string")),
                    Some(b'"') => {
                        self.i += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        self.i += 1;
                        let c = match self.peek() {
                            Some(b'"') => '"',
                            Some(b'\\') => '\\',
                            Some(b'/') => '/',
                            Some(b'b') => '\u{8}',
                            Some(b'f') => '\u{c}',
                            Some(b'n') => '\n',
                            Some(b'r') => '\r',
                            Some(b't') => '\t',
                            Some(b'u') => {
                                self.i += 1;
                                out.push(self.unicode()?);
                                continue;
                            }
                            _ => return Err(self.err("invalid escape in a string")),
                        };
                        self.i += 1;
                        out.push(c);
                    }
                    Some(_) => return Err(self.err("control character in a string")),
                }
            }
        }

        fn hex4(&mut self) -> Result<u32, ScheduleError> {
            let quad = self
                .s
                .get(self.i..self.i + 4)
                .filter(|q| q.iter().all(u8::is_ascii_hexdigit));
            let Some(quad) = quad else {
                return Err(self.err("invalid \\u escape"));
            };
            let n = quad.iter().fold(0u32, |n, &b| {
                n * 16 + char::from(b).to_digit(16).unwrap_or_default()
            });
            self.i += 4;
            Ok(n)
        }

        /// The character of a `\u` escape (after the `u`), joining a surrogate pair.
        fn unicode(&mut self) -> Result<char, ScheduleError> {
            let hi = self.hex4()?;
            let code = match hi {
                0xD800..=0xDBFF => {
                    if !self.s[self.i..].starts_with(b"\\u") {
                        return Err(self.err("unpaired surrogate in a \\u escape"));
                    }
                    self.i += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..=0xDFFF).contains(&lo) {
                        return Err(self.err("unpaired surrogate in a \\u escape"));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                }
                0xDC00..=0xDFFF => return Err(self.err("unpaired surrogate in a \\u escape")),
                n => n,
            };
            char::from_u32(code).ok_or_else(|| self.err("invalid \\u escape"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json::{as_u32, parse, Value};
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn reads_json_values() {
        let v = parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\"}} ").unwrap();
        assert_eq!(
            v,
            Value::Object(vec![
                (
                    "a".into(),
                    Value::Array(vec![
                        Value::Number("1".into()),
                        Value::Number("-2.5e3".into()),
                        Value::Bool(true),
                        Value::Bool(false),
                        Value::Null,
                    ])
                ),
                ("b".into(), Value::Object(vec![("c".into(), s("x"))])),
            ])
        );
        assert_eq!(parse("[]").unwrap(), Value::Array(vec![]));
        assert_eq!(parse("{}").unwrap(), Value::Object(vec![]));
    }

    #[test]
    fn reads_string_escapes() {
        assert_eq!(
            parse(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(),
            s("a\"b\\c/d\u{8}\u{c}\n\r\t")
        );
        // é as UTF-8 and as an escape; U+1F600 as a surrogate pair.
        assert_eq!(parse(r#""é\u00e9\ud83d\ude00""#).unwrap(), s("éé😀"));
    }

    #[test]
    fn rejects_malformed_json_with_line_and_column() {
        let cases: [(&str, usize, usize, &str); 12] = [
            ("", 1, 1, "unexpected end of input"),
            ("{\"a\": 1,}", 1, 9, "expected a string key"),
            ("[1 2]", 1, 4, "expected `,` or `]`"),
            ("{\"a\" 1}", 1, 6, "expected `:`"),
            ("{\n  \"é\": tru}", 2, 8, "expected a value"),
            ("01", 1, 2, "trailing characters after the value"),
            ("1.", 1, 3, "invalid number"),
            ("-", 1, 2, "invalid number"),
            ("\"a\u{1}\"", 1, 3, "control character in a string"),
            (r#""\x""#, 1, 3, "invalid escape in a string"),
            (r#""\ud83d""#, 1, 8, "unpaired surrogate in a \\u escape"),
            ("\"abc", 1, 5, "unexpected end of input in a string"),
        ];
        for (text, line, column, reason) in cases {
            assert_eq!(
                parse(text).unwrap_err(),
                ScheduleError::Json {
                    line,
                    column,
                    reason: reason.into()
                },
                "{text:?}"
            );
        }
    }

    #[test]
    fn nesting_is_limited_without_overflowing_the_stack() {
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(&deep).unwrap_err().to_string(),
            "invalid JSON at line 1, column 65: nesting too deep"
        );
    }

    #[test]
    fn integers_are_read_exactly() {
        assert_eq!(as_u32("60"), Some(60));
        assert_eq!(as_u32("60.0"), Some(60));
        assert_eq!(as_u32("4294967295"), Some(u32::MAX));
        assert_eq!(as_u32("4294967296"), None);
        assert_eq!(as_u32("-1"), None);
        assert_eq!(as_u32("1.5"), None);
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
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut out = String::new();
        push_strings(&mut out, &["a\"b".into(), "c\\d\n\u{1}é".into()]);
        assert_eq!(out, r#"["a\"b", "c\\d\n\u0001é"]"#);
        assert_eq!(
            parse(&out).unwrap(),
            Value::Array(vec![s("a\"b"), s("c\\d\n\u{1}é")])
        );
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
            err(r#"{"people": [], "duration_minutes": 5, "rooms": "some"}"#),
            "rooms: expected \"any\" or an array of room ids"
        );
        assert_eq!(
            err(r#"{"people": [], "duration_minutes": 5, "needs_physical": 1}"#),
            "needs_physical: expected true or false"
        );
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
