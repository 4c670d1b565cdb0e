//! The caseload from C: an opaque [`carecoord_caseload`] handle holding a core
//! `caseload::Session` (in memory, replayed read-only from a journal, or kept durably in
//! one); events in as JSON or as an Arrow record batch (bulk loading, bad rows reported by
//! row number); queries named by JSON (`{"query": "long_stay", ...}`, the names of the Rust
//! `Caseload` methods; see `docs/caseload.md`) with rows out as JSON or as an Arrow struct
//! array with a fixed schema per query.
//!
//! Strings out are owned by the caller and freed with `carecoord_string_free`; Arrow
//! structs out are released with their `release` callbacks; the handle is freed with
//! [`carecoord_caseload_free`]. Codes: `CARECOORD_RESULT_CASELOAD_*` (300-310),
//! `CARECOORD_RESULT_JOURNAL_*` (320-328). Messages name the event's sequence number, kind
//! and field, never a value.
//!
//! ```c
//! carecoord_caseload *c = NULL;
//! carecoord_caseload_new(&c);
//! const char *ev = "{\"patient_registered\":{\"patient\":\"P1\",\"practice\":\"SYN004\",\"birth_date\":\"1939-02-11\"}}";
//! uint64_t seq = 0;
//! carecoord_caseload_apply_json(c, "duty", 4, "2026-07-10T15:30:00Z", 20, ev, strlen(ev), &seq);
//! char *rows = NULL;
//! const char *q = "{\"query\":\"long_stay\",\"at\":\"2026-07-11T07:00:00Z\",\"band\":\"21+\"}";
//! carecoord_caseload_query_json(c, q, strlen(q), &rows);
//! carecoord_string_free(rows);
//! carecoord_caseload_free(c);
//! ```

use std::ffi::c_char;

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use carecoord::caseload::{BulkOptions, Rows, Session};
use carecoord::schedule::ActionLog;
use chrono::{DateTime, Utc};

use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::calendar::{carecoord_date, date_arg};
use crate::error::{carecoord_result, FfiError};
use crate::risk::{export_to, import_batch};
use crate::schedule::{carecoord_action_log, log_arg};
use crate::text::{out_arg, owned_string_out, required_str_arg};

/// A caseload: in memory, replayed from a journal, or kept durably in one. Opaque.
///
/// Made by [`carecoord_caseload_new`], [`carecoord_caseload_open`] or
/// [`carecoord_caseload_replay`]; freed with [`carecoord_caseload_free`]. Queries only read
/// it; applying and loading change it: do not change one handle from two threads at once.
pub struct carecoord_caseload {
    session: Session,
}

/// Write a new handle to `*out`.
///
/// # Safety
///
/// `out` must be valid for a write (checked for NULL by the caller of this helper).
unsafe fn handle_out(out: *mut *mut carecoord_caseload, session: Session) {
    // SAFETY: forwarded caller promise.
    unsafe { *out = Box::into_raw(Box::new(carecoord_caseload { session })) };
}

/// Borrow a handle.
///
/// # Safety
///
/// `c` must be NULL or a live handle, not freed during `'a`.
unsafe fn caseload_arg<'a>(c: *const carecoord_caseload) -> Result<&'a Session, FfiError> {
    if c.is_null() {
        return Err(FfiError::null("caseload"));
    }
    // SAFETY: non-null, and the caller promises a live handle.
    Ok(unsafe { &(*c).session })
}

/// Borrow a handle mutably.
///
/// # Safety
///
/// `c` must be NULL or a live handle, not used elsewhere during `'a`.
unsafe fn caseload_mut_arg<'a>(c: *mut carecoord_caseload) -> Result<&'a mut Session, FfiError> {
    if c.is_null() {
        return Err(FfiError::null("caseload"));
    }
    // SAFETY: non-null, and the caller promises a live handle not in use elsewhere.
    Ok(unsafe { &mut (*c).session })
}

/// Read an RFC 3339 instant argument.
///
/// # Safety
///
/// As `required_str_arg`.
unsafe fn instant_arg(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<DateTime<Utc>, FfiError> {
    // SAFETY: forwarded caller promise.
    let text = unsafe { required_str_arg(ptr, len, what)? };
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            FfiError::new(
                carecoord_result::CARECOORD_RESULT_INVALID_ARGUMENT,
                format!("argument `{what}`: expected an RFC 3339 date-time such as 2026-04-01T08:30:00Z"),
            )
        })
}

/// Open a path argument (UTF-8).
///
/// # Safety
///
/// As `required_str_arg`.
unsafe fn open_with(
    path: *const c_char,
    path_len: usize,
    out: *mut *mut carecoord_caseload,
    how: fn(&str) -> Result<Session, carecoord::caseload::CaseloadError>,
) -> Result<(), FfiError> {
    let out = out_arg(out, "out")?;
    // SAFETY: forwarded caller promise.
    let path = unsafe { required_str_arg(path, path_len, "path")? };
    let session = how(path)?;
    // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
    unsafe { handle_out(out, session) };
    Ok(())
}

/// A new, empty caseload in memory (nothing is written to disk).
///
/// Errors: `NULL_ARGUMENT` (`out`). Ownership: `*out` receives a handle owned by the caller,
/// freed with [`carecoord_caseload_free`].
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_new(
    out: *mut *mut carecoord_caseload,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_new", || {
        let out = out_arg(out, "out")?;
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { handle_out(out, Session::in_memory()) };
        Ok(())
    })
}

/// Open (or create) a caseload journal for writing: replays it, repairs a torn tail left by
/// a crash (reported by [`carecoord_caseload_report_json`]), and from then on every event is
/// written and synced before it is applied.
///
/// `path` (borrowed, `path_len` bytes of UTF-8) is the journal file. Errors:
/// `NULL_ARGUMENT`, `INVALID_UTF8`, `CARECOORD_RESULT_JOURNAL_*` (I/O, not a journal,
/// damaged before its tail, another schema). Ownership: on success `*out` receives a handle
/// freed with [`carecoord_caseload_free`] (which closes the file). One writer per file.
///
/// # Safety
///
/// `path` must be valid for reads of `path_len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_open(
    path: *const c_char,
    path_len: usize,
    out: *mut *mut carecoord_caseload,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_open", || {
        // SAFETY: forwarded caller promises.
        unsafe { open_with(path, path_len, out, |p| Session::open(p)) }
    })
}

/// Replay a caseload journal read-only: a torn tail is ignored and reported, events the
/// model rejects are skipped and reported ([`carecoord_caseload_report_json`]); events
/// applied later are kept in memory only.
///
/// Errors and ownership as [`carecoord_caseload_open`].
///
/// # Safety
///
/// `path` must be valid for reads of `path_len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_replay(
    path: *const c_char,
    path_len: usize,
    out: *mut *mut carecoord_caseload,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_replay", || {
        // SAFETY: forwarded caller promises.
        unsafe { open_with(path, path_len, out, |p| Session::replay(p)) }
    })
}

/// Free a caseload handle (closing its journal, if any). NULL does nothing.
///
/// # Safety
///
/// `caseload` must be NULL or a live handle from this library, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_free(caseload: *mut carecoord_caseload) {
    ffi_boundary_or("carecoord_caseload_free", (), || {
        if !caseload.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw, not freed
            // before and not in use elsewhere.
            drop(unsafe { Box::from_raw(caseload) });
        }
    })
}

/// The sequence number of the last event applied (0 for an empty caseload or NULL).
///
/// # Safety
///
/// `caseload` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_last_seq(caseload: *const carecoord_caseload) -> u64 {
    ffi_boundary_or("carecoord_caseload_last_seq", 0, || {
        // SAFETY: forwarded caller promise.
        unsafe { caseload_arg(caseload) }.map_or(0, |s| s.caseload().last_seq())
    })
}

/// What opening or replaying found, as JSON: `{"last_seq":n,"rejected":[{"code","message",
/// "seq"}],"warnings":[{"code","message","offset"}]}` (a torn tail is a warning with code
/// `torn_tail` and its byte offset).
///
/// Errors: `NULL_ARGUMENT`. Ownership: `*out` is freed with `carecoord_string_free`.
///
/// # Safety
///
/// `caseload` must be a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_report_json(
    caseload: *const carecoord_caseload,
    out: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_report_json", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let s = unsafe { caseload_arg(caseload)? };
        // SAFETY: `out` checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, s.report().to_json()) }
    })
}

/// Check one event against the model and apply it (for a durable caseload, write and sync
/// it first); its sequence number goes to `*seq_out`.
///
/// `who` is who recorded it, `at` when (RFC 3339, e.g. `2026-07-10T15:30:00Z`), and
/// `event_json` the event as `{"<kind>": {fields}}` (the kinds and fields of the Rust
/// `caseload::Event`). All borrowed, UTF-8, with their lengths.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `INVALID_ARGUMENT` (`at` not RFC 3339),
/// `CASELOAD_INVALID_JSON`, `CASELOAD_INVALID_REQUEST` (field named), the model's
/// rejection code (`CASELOAD_NOT_FOUND`, `_DUPLICATE`, `_INVALID_STATE`, ...: nothing
/// changes), `JOURNAL_*` when writing fails. `*seq_out` is written only on success.
///
/// # Safety
///
/// `caseload` must be a live handle not used by another thread during the call; the strings
/// valid for reads of their lengths; `seq_out` valid for a write.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_caseload_apply_json(
    caseload: *mut carecoord_caseload,
    who: *const c_char,
    who_len: usize,
    at: *const c_char,
    at_len: usize,
    event_json: *const c_char,
    event_len: usize,
    seq_out: *mut u64,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_apply_json", || {
        let seq_out = out_arg(seq_out, "seq_out")?;
        // SAFETY: forwarded caller promises.
        let s = unsafe { caseload_mut_arg(caseload)? };
        // SAFETY: forwarded caller promises.
        let who = unsafe { required_str_arg(who, who_len, "who")? };
        // SAFETY: forwarded caller promises.
        let at = unsafe { instant_arg(at, at_len, "at")? };
        // SAFETY: forwarded caller promises.
        let event = unsafe { required_str_arg(event_json, event_len, "event_json")? };
        let seq = s.record_json(who, at, event)?;
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *seq_out = seq };
        Ok(())
    })
}

/// Bulk load: one event per row of an Arrow record batch (a struct array through the C
/// Data Interface, taken over: its release callback runs when the library is done).
///
/// Columns: `event` (the kind), `who`, `recorded_at` (timestamp with a zone, or RFC 3339
/// text), and the event's fields by name (null = absent). `options_json` (may be NULL)
/// gives values for missing envelope columns and the number of the first row:
/// `{"event":"patient_registered","who":"import","recorded_at":"2026-01-05T09:00:00Z",
/// "first_row":0}`. Rows that do not read as an event, or that the model rejects, are
/// reported, the rest applied in row order (a durable caseload appends them with one sync).
/// `*report_out` receives `{"applied":n,"first_seq":n,"rejects":[{"row","kind","code",
/// "message"}]}`: rows in = applied + rejects.
///
/// Errors: `NULL_ARGUMENT`, `ARROW_ERROR` (not a struct array), `CASELOAD_INVALID_REQUEST`
/// (bad options, or a column that cannot be read at all), `JOURNAL_*` when writing fails.
/// Ownership: `*report_out` is freed with `carecoord_string_free`.
///
/// # Safety
///
/// `caseload` a live handle not used elsewhere during the call; `array`/`schema` a valid,
/// unreleased Arrow array and its schema; `options_json` NULL or valid for `options_len`
/// bytes; `report_out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_load_arrow(
    caseload: *mut carecoord_caseload,
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    options_json: *const c_char,
    options_len: usize,
    report_out: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_load_arrow", || {
        let report_out = out_arg(report_out, "report_out")?;
        // SAFETY: forwarded caller promises.
        let s = unsafe { caseload_mut_arg(caseload)? };
        let options = if options_json.is_null() {
            BulkOptions::default()
        } else {
            // SAFETY: forwarded caller promise.
            let text = unsafe { required_str_arg(options_json, options_len, "options_json")? };
            BulkOptions::from_json(text)?
        };
        // SAFETY: forwarded caller promises.
        let batch = unsafe { import_batch(array, schema)? };
        let report = s.load_batch(&batch, &options)?;
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(report_out, report.to_json()) }
    })
}

/// Run a query given as JSON (`{"query":"breaching_within","at":"2026-07-11T07:00:00Z",
/// "within_minutes":60}`; the queries and their parameters are listed in
/// `docs/caseload.md`) and write its rows as a JSON array of objects (`handover_summary`:
/// one object, or `null` for an unknown patient).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `CASELOAD_INVALID_JSON`,
/// `CASELOAD_INVALID_REQUEST` (unknown query or parameter, named). Ownership: `*out` is
/// freed with `carecoord_string_free`.
///
/// # Safety
///
/// `caseload` a live handle; `query_json` valid for `query_len` bytes; `out` valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_query_json(
    caseload: *const carecoord_caseload,
    query_json: *const c_char,
    query_len: usize,
    out: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_query_json", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promises.
        let s = unsafe { caseload_arg(caseload)? };
        // SAFETY: forwarded caller promises.
        let query = unsafe { required_str_arg(query_json, query_len, "query_json")? };
        let rows = s.run_json(query)?;
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, rows.to_json()) }
    })
}

/// The chasing list with MDT actions merged in (core `Caseload::chase_list`): the caseload's
/// open tasks due before `today` and the open actions due before `today` of the `n_logs`
/// action logs at `logs`, grouped by owner (owners with the most overdue item first), most
/// overdue first within an owner, tasks before MDT actions on a tie. The `chase_list` query
/// of [`carecoord_caseload_query_json`] gives the same rows without the logs.
///
/// `*out` receives the rows as a JSON array of objects (`owner`, `source` = `task` or `mdt`,
/// `id`, `patient`, `kind`, `due`, `days_overdue`, `chases`, `last_chased_at`).
///
/// Errors: `NULL_ARGUMENT` (`caseload`, `out`, `logs` with `n_logs > 0`, or `logs[i]`,
/// named), `INVALID_ARGUMENT` (`today` not a date). Ownership: `*out` is freed with
/// `carecoord_string_free`; the logs stay the caller's. Thread safety: reads the caseload
/// and the logs.
///
/// # Safety
///
/// `caseload` a live handle; `logs` NULL (with `n_logs` 0) or valid for `n_logs` reads of
/// live action-log handles; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_chase_list_json(
    caseload: *const carecoord_caseload,
    today: carecoord_date,
    logs: *const *const carecoord_action_log,
    n_logs: usize,
    out: *mut *mut c_char,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_chase_list_json", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promises.
        let rows = unsafe { chase_rows(caseload, today, logs, n_logs)? };
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { owned_string_out(out, rows.to_json()) }
    })
}

/// [`carecoord_caseload_chase_list_json`] as an Arrow struct array (one record batch) with
/// the `chase_list` query's schema (as [`carecoord_caseload_query_arrow`] gives it).
///
/// Errors: as [`carecoord_caseload_chase_list_json`]. Ownership: the caller owns
/// `*out_array` and `*out_schema` and calls their `release` callbacks; they are written only
/// on success.
///
/// # Safety
///
/// As [`carecoord_caseload_chase_list_json`]; the out-pointers valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_chase_list_arrow(
    caseload: *const carecoord_caseload,
    today: carecoord_date,
    logs: *const *const carecoord_action_log,
    n_logs: usize,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_chase_list_arrow", || {
        let out_array = out_arg(out_array, "out_array")?;
        let out_schema = out_arg(out_schema, "out_schema")?;
        // SAFETY: forwarded caller promises.
        let batch = unsafe { chase_rows(caseload, today, logs, n_logs)? }.to_record_batch()?;
        // SAFETY: both checked non-null; the caller promises they are valid for writes.
        unsafe { export_to(batch, out_array, out_schema) }
    })
}

/// The rows of the two chase-list entry points.
///
/// # Safety
///
/// As [`carecoord_caseload_chase_list_json`].
unsafe fn chase_rows(
    caseload: *const carecoord_caseload,
    today: carecoord_date,
    logs: *const *const carecoord_action_log,
    n_logs: usize,
) -> Result<Rows, FfiError> {
    // SAFETY: forwarded caller promises.
    let s = unsafe { caseload_arg(caseload)? };
    let today = date_arg(today, "today")?;
    let handles: &[*const carecoord_action_log] = match (logs.is_null(), n_logs) {
        (_, 0) => &[],
        (true, _) => return Err(FfiError::null("logs")),
        // SAFETY: non-null; the caller promises `n_logs` readable handles.
        (false, n) => unsafe { std::slice::from_raw_parts(logs, n) },
    };
    let mut mdt: Vec<&ActionLog> = Vec::with_capacity(handles.len());
    for (i, &h) in handles.iter().enumerate() {
        if h.is_null() {
            return Err(FfiError::null(&format!("logs[{i}]")));
        }
        // SAFETY: non-null, and the caller promises a live handle.
        mdt.push(unsafe { log_arg(h)? });
    }
    Ok(Rows::Chase(s.caseload().chase_list(today, &mdt)))
}

/// Run a query given as JSON (as [`carecoord_caseload_query_json`]) and export its rows as
/// an Arrow struct array (one record batch) with the query's fixed schema, also when empty:
/// ids and codes `utf8`, instants `timestamp[ms, UTC]`, dates `date32`, counts `uint32`.
///
/// Errors: as [`carecoord_caseload_query_json`], and `CASELOAD_INVALID_REQUEST` for
/// `handover_summary` (nested: ask for JSON). Ownership: the caller owns `*out_array` and
/// `*out_schema` and calls their `release` callbacks; they are written only on success.
///
/// # Safety
///
/// `caseload` a live handle; `query_json` valid for `query_len` bytes; the out-pointers
/// valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_caseload_query_arrow(
    caseload: *const carecoord_caseload,
    query_json: *const c_char,
    query_len: usize,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_caseload_query_arrow", || {
        let out_array = out_arg(out_array, "out_array")?;
        let out_schema = out_arg(out_schema, "out_schema")?;
        // SAFETY: forwarded caller promises.
        let s = unsafe { caseload_arg(caseload)? };
        // SAFETY: forwarded caller promises.
        let query = unsafe { required_str_arg(query_json, query_len, "query_json")? };
        let batch = s.run_json(query)?.to_record_batch()?;
        // SAFETY: both checked non-null; the caller promises they are valid for writes.
        unsafe { export_to(batch, out_array, out_schema) }
    })
}
