//! Calendar: UK bank holidays, `Europe/London` local time, service hours and deadlines.
//!
//! Representation at the boundary: instants are `int64_t` seconds since the Unix epoch (UTC),
//! durations `int64_t` seconds, dates [`carecoord_date`], local wall-clock times
//! [`carecoord_local_datetime`]. Enumerations ([`carecoord_region`],
//! [`carecoord_disambiguation`]) are taken as `uint32_t` and checked, so that an out-of-range
//! value from C is `CARECOORD_RESULT_INVALID_ARGUMENT`, never undefined behaviour. Service
//! calendars are an opaque, immutable handle, [`carecoord_service_hours`].

use std::ffi::c_char;

use carecoord::calendar::{
    bank_holidays, elapsed_deadline, is_bank_holiday, local_date, local_to_utc, BankHolidayPolicy,
    Disambiguation, HolidaySource, Region, ServiceHours, LONDON,
};
use chrono::{DateTime, NaiveDate, NaiveTime, Offset, TimeDelta, Utc, Weekday};

use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::error::{carecoord_result, FfiError};
use crate::text::{out_arg, required_str_arg, slice_out};

/// A GOV.UK bank-holiday division. Passed to functions as a `uint32_t` holding one of these
/// values; any other value is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_region {
    /// England and Wales (`england-and-wales`).
    CARECOORD_REGION_ENGLAND_AND_WALES = 0,
    /// Scotland (`scotland`).
    CARECOORD_REGION_SCOTLAND = 1,
    /// Northern Ireland (`northern-ireland`).
    CARECOORD_REGION_NORTHERN_IRELAND = 2,
}

/// How [`carecoord_calendar_local_to_utc`] resolves a local time that occurs twice (the
/// autumn fall-back hour). Passed as a `uint32_t` holding one of these values; any other
/// value is `CARECOORD_RESULT_INVALID_ARGUMENT`. A local time in the spring-forward gap is
/// always rejected, whatever this says.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_disambiguation {
    /// Fail with `CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME`: never guess.
    CARECOORD_DISAMBIGUATION_REJECT = 0,
    /// Take the earlier instant (still British Summer Time, UTC+1).
    CARECOORD_DISAMBIGUATION_EARLIER = 1,
    /// Take the later instant (back on Greenwich Mean Time, UTC+0).
    CARECOORD_DISAMBIGUATION_LATER = 2,
}

/// Where a bank holiday's date came from: the `source` field of [`carecoord_bank_holiday`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_holiday_source {
    /// The compiled-in GOV.UK table (2018-2028): announced dates.
    CARECOORD_HOLIDAY_SOURCE_TABLE = 0,
    /// The published rules (other years, 1900-2199): provisional, without one-off holidays.
    CARECOORD_HOLIDAY_SOURCE_RULES = 1,
}

/// A calendar date (proleptic Gregorian). As an input, a date that does not exist (month 13,
/// 30 February, ...) is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct carecoord_date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month, 1-31.
    pub day: u32,
}

/// A wall-clock date and time in `Europe/London`. As an input, a date or time that does not
/// exist on any calendar (hour 24, second 60, ...) is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct carecoord_local_datetime {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month, 1-31.
    pub day: u32,
    /// Hour, 0-23.
    pub hour: u32,
    /// Minute, 0-59.
    pub minute: u32,
    /// Second, 0-59.
    pub second: u32,
}

/// One bank holiday, filled by [`carecoord_calendar_bank_holidays`].
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct carecoord_bank_holiday {
    /// The date the holiday is taken (the substitute date where one applies).
    pub date: carecoord_date,
    /// The GOV.UK title, e.g. "Easter Monday" or "Boxing Day (substitute day)": UTF-8, `title_len`
    /// bytes, NOT NUL-terminated. Points at static memory owned by the library, valid until the
    /// library is unloaded; never free it.
    pub title: *const c_char,
    /// Length of `title` in bytes.
    pub title_len: usize,
    /// A `carecoord_holiday_source` value: 0 from the GOV.UK table, 1 from the rules
    /// (provisional).
    pub source: u32,
}

/// A service calendar: opening and closing local times (`Europe/London`), days of the week,
/// and whether bank holidays are worked. Opaque.
///
/// Made by [`carecoord_service_hours_new`] or a preset, freed with
/// [`carecoord_service_hours_free`]. A handle is immutable once made: every function taking
/// `const carecoord_service_hours *` only reads it, so one handle may be shared between
/// threads and used from several at once; it must not be freed while another thread uses it.
pub struct carecoord_service_hours {
    inner: ServiceHours,
}

fn invalid(message: impl Into<String>) -> FfiError {
    FfiError::new(carecoord_result::CARECOORD_RESULT_INVALID_ARGUMENT, message)
}

fn region_arg(value: u32, what: &str) -> Result<Region, FfiError> {
    use carecoord_region::*;
    match value {
        v if v == CARECOORD_REGION_ENGLAND_AND_WALES as u32 => Ok(Region::EnglandAndWales),
        v if v == CARECOORD_REGION_SCOTLAND as u32 => Ok(Region::Scotland),
        v if v == CARECOORD_REGION_NORTHERN_IRELAND as u32 => Ok(Region::NorthernIreland),
        _ => Err(invalid(format!(
            "argument `{what}` is not a carecoord_region value (0, 1 or 2)"
        ))),
    }
}

fn region_value(region: Region) -> carecoord_region {
    match region {
        Region::EnglandAndWales => carecoord_region::CARECOORD_REGION_ENGLAND_AND_WALES,
        Region::Scotland => carecoord_region::CARECOORD_REGION_SCOTLAND,
        Region::NorthernIreland => carecoord_region::CARECOORD_REGION_NORTHERN_IRELAND,
    }
}

fn disambiguation_arg(value: u32) -> Result<Disambiguation, FfiError> {
    use carecoord_disambiguation::*;
    match value {
        v if v == CARECOORD_DISAMBIGUATION_REJECT as u32 => Ok(Disambiguation::Reject),
        v if v == CARECOORD_DISAMBIGUATION_EARLIER as u32 => Ok(Disambiguation::Earlier),
        v if v == CARECOORD_DISAMBIGUATION_LATER as u32 => Ok(Disambiguation::Later),
        _ => Err(invalid(
            "argument `disambiguation` is not a carecoord_disambiguation value (0, 1 or 2)",
        )),
    }
}

/// A C date as a calendar date (`INVALID_ARGUMENT` if it does not exist).
pub(crate) fn date_arg(date: carecoord_date, what: &str) -> Result<NaiveDate, FfiError> {
    NaiveDate::from_ymd_opt(date.year, date.month, date.day)
        .ok_or_else(|| invalid(format!("argument `{what}` is not a valid date")))
}

fn date_value(date: NaiveDate) -> carecoord_date {
    use chrono::Datelike;
    carecoord_date {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    }
}

/// An instant from C: its UTC time and its `Europe/London` local time must both be within
/// chrono's range (the local time is not, for the first 75 seconds after chrono's minimum,
/// when London kept local mean time, UTC-00:01:15).
fn instant_arg(seconds: i64, what: &str) -> Result<DateTime<Utc>, FfiError> {
    DateTime::<Utc>::from_timestamp(seconds, 0)
        .filter(|t| {
            let offset = t.with_timezone(&LONDON).offset().fix();
            t.naive_utc().checked_add_offset(offset).is_some()
        })
        .ok_or_else(|| {
            invalid(format!(
                "argument `{what}` is outside the supported instants"
            ))
        })
}

fn duration_arg(seconds: i64, what: &str) -> Result<TimeDelta, FfiError> {
    TimeDelta::try_seconds(seconds).ok_or_else(|| {
        invalid(format!(
            "argument `{what}` is outside the supported durations"
        ))
    })
}

fn minute_of_day_arg(minute: u32, what: &str) -> Result<NaiveTime, FfiError> {
    NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).ok_or_else(|| {
        invalid(format!(
            "argument `{what}` must be a minute of the day, 0-1439"
        ))
    })
}

/// Borrow the service calendar behind a handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle from a `carecoord_service_hours_*` constructor.
unsafe fn hours_arg<'a>(
    hours: *const carecoord_service_hours,
) -> Result<&'a ServiceHours, FfiError> {
    // SAFETY: the caller promises a NULL or live handle; `as_ref` maps NULL to None.
    match unsafe { hours.as_ref() } {
        Some(h) => Ok(&h.inner),
        None => Err(FfiError::null("hours")),
    }
}

/// Move a service calendar into a new handle written to `*out`.
///
/// # Safety
///
/// `out` must be non-NULL (checked by the caller) and valid for a write.
unsafe fn hours_out(out: *mut *mut carecoord_service_hours, inner: ServiceHours) {
    let handle = Box::into_raw(Box::new(carecoord_service_hours { inner }));
    // SAFETY: non-null (checked by the caller) and valid for a write (caller promise).
    unsafe { *out = handle };
}

/// Parse a bank-holiday region name into a `carecoord_region` value written to `*out_region`.
///
/// Accepts the GOV.UK slugs `england-and-wales`, `scotland` and `northern-ireland`, ignoring
/// ASCII case, and also `england`, `wales` and `ni`. Returns
/// `CARECOORD_RESULT_CALENDAR_UNKNOWN_REGION` for any other name, `NULL_ARGUMENT` when `ptr`
/// or `out_region` is NULL, `INVALID_UTF8` for bytes that are not UTF-8.
///
/// Ownership: `ptr` is borrowed for the call and need not be NUL-terminated; `*out_region` is
/// written only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes; `out_region` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_region_parse(
    ptr: *const c_char,
    len: usize,
    out_region: *mut u32,
) -> carecoord_result {
    ffi_boundary("carecoord_region_parse", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { required_str_arg(ptr, len, "ptr")? };
        let out = out_arg(out_region, "out_region")?;
        let region: Region = s.parse()?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = region_value(region) as u32 };
        Ok(())
    })
}

/// Whether `date` is a bank holiday in `region` (a `carecoord_region` value).
///
/// False for an unknown region value, a date that does not exist, or a year outside
/// 1900-2199. Years 2018-2028 come from the GOV.UK table, others from the rules.
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_calendar_is_bank_holiday(region: u32, date: carecoord_date) -> bool {
    ffi_boundary_or("carecoord_calendar_is_bank_holiday", false, || {
        match (region_arg(region, "region"), date_arg(date, "date")) {
            (Ok(region), Ok(date)) => is_bank_holiday(region, date),
            _ => false,
        }
    })
}

/// The bank holidays of `region` (a `carecoord_region` value) in `year` (1900-2199), sorted
/// by date, copied into `out[0..n)`.
///
/// `*out_n` (required) is set to the number of holidays n on success and when `capacity` is
/// too small; then `CARECOORD_RESULT_BUFFER_TOO_SMALL` is returned and nothing is written to
/// `out`. Pass `out` = NULL with `capacity` 0 to ask for the count; 16 entries always suffice.
/// Other errors: `INVALID_ARGUMENT` (unknown region), `CARECOORD_RESULT_CALENDAR_YEAR_OUT_OF_RANGE`,
/// `NULL_ARGUMENT` (`out_n` NULL, or `out` NULL with a non-zero `capacity`); `*out_n` is not
/// written then.
///
/// Ownership: `out` is the caller's array of `capacity` entries. Each entry's `title` points at
/// static memory owned by the library (valid until the library is unloaded, never freed by the
/// caller) and is NOT NUL-terminated: use `title_len`. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for writes of `capacity` entries (or NULL with `capacity` 0);
/// `out_n` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_calendar_bank_holidays(
    region: u32,
    year: i32,
    out: *mut carecoord_bank_holiday,
    capacity: usize,
    out_n: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_calendar_bank_holidays", || {
        let out_n = out_arg(out_n, "out_n")?;
        if out.is_null() && capacity != 0 {
            return Err(FfiError::null("out"));
        }
        let region = region_arg(region, "region")?;
        let holidays = bank_holidays(region, year)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out_n = holidays.len() };
        if capacity < holidays.len() {
            return Err(FfiError::new(
                carecoord_result::CARECOORD_RESULT_BUFFER_TOO_SMALL,
                format!("output array too small: {} entries needed", holidays.len()),
            ));
        }
        // SAFETY: `out` is non-null here unless `holidays` is empty (capacity 0), and the
        // caller promises `capacity` >= holidays.len() writable entries.
        let dest = unsafe { slice_out(out, holidays.len(), "out")? };
        for (slot, h) in dest.iter_mut().zip(&holidays) {
            *slot = carecoord_bank_holiday {
                date: date_value(h.date),
                title: h.title.as_ptr().cast(),
                title_len: h.title.len(),
                source: match h.source {
                    HolidaySource::Table => {
                        carecoord_holiday_source::CARECOORD_HOLIDAY_SOURCE_TABLE as u32
                    }
                    HolidaySource::Rules => {
                        carecoord_holiday_source::CARECOORD_HOLIDAY_SOURCE_RULES as u32
                    }
                },
            };
        }
        Ok(())
    })
}

/// Convert a `Europe/London` wall-clock time to the UTC instant it denotes, written to
/// `*out_utc` (seconds since the Unix epoch).
///
/// Never guesses: a local time in the spring-forward gap (e.g. 2026-03-29 01:30) is
/// `CARECOORD_RESULT_CALENDAR_NONEXISTENT_LOCAL_TIME` whatever `disambiguation` says; a local
/// time that occurs twice (e.g. 2026-10-25 01:30) is
/// `CARECOORD_RESULT_CALENDAR_AMBIGUOUS_LOCAL_TIME` under `CARECOORD_DISAMBIGUATION_REJECT`,
/// else the earlier (BST) or later (GMT) instant. `disambiguation` is a
/// `carecoord_disambiguation` value; another value, or a date-time that does not exist on any
/// calendar, is `INVALID_ARGUMENT`. `NULL_ARGUMENT` when `out_utc` is NULL.
///
/// Ownership: `*out_utc` is written only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out_utc` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_calendar_local_to_utc(
    local: carecoord_local_datetime,
    disambiguation: u32,
    out_utc: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_calendar_local_to_utc", || {
        let out = out_arg(out_utc, "out_utc")?;
        let how = disambiguation_arg(disambiguation)?;
        let naive = NaiveDate::from_ymd_opt(local.year, local.month, local.day)
            .and_then(|d| d.and_hms_opt(local.hour, local.minute, local.second))
            .ok_or_else(|| invalid("argument `local` is not a valid date and time"))?;
        let instant = local_to_utc(naive, how)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = instant.timestamp() };
        Ok(())
    })
}

/// The `Europe/London` calendar date on which the instant `utc` (seconds since the Unix
/// epoch) falls, written to `*out`.
///
/// `INVALID_ARGUMENT` for an instant outside the supported range, which is the same for every
/// calendar function: -8334601228725 (75 seconds after 1 January of year -262143, the first
/// instant whose London local time can be represented) to 8210266876799 (31 December 262142
/// 23:59:59 UTC); `NULL_ARGUMENT` when `out` is NULL. Ownership: `*out` is written only on
/// success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_calendar_local_date(
    utc: i64,
    out: *mut carecoord_date,
) -> carecoord_result {
    ffi_boundary("carecoord_calendar_local_date", || {
        let out = out_arg(out, "out")?;
        let date = local_date(instant_arg(utc, "utc")?);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = date_value(date) };
        Ok(())
    })
}

/// The wall-clock deadline `within_seconds` after `start`: elapsed time, not service time,
/// written to `*out` (seconds since the Unix epoch).
///
/// Durations are measured between UTC instants, so a 2-hour clock across a daylight saving
/// change is exactly 7200 s even though local clocks show 1 or 3 hours. As in the core
/// library, a negative `within_seconds` gives an instant before `start`, and the result
/// saturates instead of overflowing (at 8210266876799, or at -8334601228800 going back).
/// `INVALID_ARGUMENT` for a `start` outside the supported range (see
/// [`carecoord_calendar_local_date`]) or `|within_seconds|` above `INT64_MAX / 1000`;
/// `NULL_ARGUMENT` when `out` is NULL. For a clock that pauses outside service hours use
/// [`carecoord_service_hours_deadline_in_service_hours`].
///
/// Ownership: `*out` is written only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_calendar_elapsed_deadline(
    start: i64,
    within_seconds: i64,
    out: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_calendar_elapsed_deadline", || {
        let out = out_arg(out, "out")?;
        let start = instant_arg(start, "start")?;
        let within = duration_arg(within_seconds, "within_seconds")?;
        let due = elapsed_deadline(start, within);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = due.timestamp() };
        Ok(())
    })
}

/// Make a service calendar open from `open_minute_of_day` to `close_minute_of_day` (local
/// `Europe/London` minutes after midnight, 0-1439; e.g. 480 for 08:00, 1080 for 18:00) on the
/// days in `days_mask` (bit 0 Monday, bit 1 Tuesday, ..., bit 6 Sunday; bit 7 must be 0).
///
/// `closed_on_region` is -1 when bank holidays are worked like any other day, or a
/// `carecoord_region` value whose bank holidays close the service.
///
/// Returns `CARECOORD_RESULT_CALENDAR_INVALID_SERVICE_HOURS` when the closing time is not after
/// the opening time (overnight services are not supported) or `days_mask` selects no day;
/// `INVALID_ARGUMENT` for a minute above 1439, bit 7 set in `days_mask`, or a
/// `closed_on_region` that is neither -1 nor a region value; `NULL_ARGUMENT` when `out` is
/// NULL.
///
/// Ownership: on success `*out` receives a new handle owned by the caller, who frees it with
/// [`carecoord_service_hours_free`]; on failure `*out` is not written. Thread safety: safe from
/// any thread; the handle is immutable and may be shared between threads.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_new(
    open_minute_of_day: u32,
    close_minute_of_day: u32,
    days_mask: u8,
    closed_on_region: i32,
    out: *mut *mut carecoord_service_hours,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_new", || {
        let out = out_arg(out, "out")?;
        let open = minute_of_day_arg(open_minute_of_day, "open_minute_of_day")?;
        let close = minute_of_day_arg(close_minute_of_day, "close_minute_of_day")?;
        if days_mask & 0x80 != 0 {
            return Err(invalid(
                "argument `days_mask` has bit 7 set; only bits 0 (Monday) to 6 (Sunday) are days",
            ));
        }
        const WEEK: [Weekday; 7] = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let days: Vec<Weekday> = WEEK
            .iter()
            .enumerate()
            .filter(|(bit, _)| days_mask & (1 << bit) != 0)
            .map(|(_, &day)| day)
            .collect();
        let policy = match closed_on_region {
            -1 => BankHolidayPolicy::Worked,
            r => BankHolidayPolicy::Closed(
                u32::try_from(r)
                    .map_err(|_| {
                        invalid(
                            "argument `closed_on_region` must be -1 or a carecoord_region value",
                        )
                    })
                    .and_then(|r| region_arg(r, "closed_on_region"))?,
            ),
        };
        let hours = ServiceHours::new(open, close, &days, policy)?;
        // SAFETY: `out` checked non-null; caller promises validity.
        unsafe { hours_out(out, hours) };
        Ok(())
    })
}

/// Make the community team preset: 08:00-18:00 every day, bank holidays worked.
///
/// `NULL_ARGUMENT` when `out` is NULL. Ownership: on success `*out` receives a new handle
/// owned by the caller, freed with [`carecoord_service_hours_free`]. Thread safety: safe from
/// any thread; the handle is immutable and may be shared between threads.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_community_seven_day(
    out: *mut *mut carecoord_service_hours,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_community_seven_day", || {
        let out = out_arg(out, "out")?;
        // SAFETY: `out` checked non-null; caller promises validity.
        unsafe { hours_out(out, ServiceHours::community_seven_day()) };
        Ok(())
    })
}

/// Make the office preset: 08:00-18:00 Monday to Friday, closed on the bank holidays of
/// `region` (a `carecoord_region` value; another value is `INVALID_ARGUMENT`).
///
/// `NULL_ARGUMENT` when `out` is NULL. Ownership: on success `*out` receives a new handle
/// owned by the caller, freed with [`carecoord_service_hours_free`]; on failure `*out` is not
/// written. Thread safety: safe from any thread; the handle is immutable and may be shared
/// between threads.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_weekday_office(
    region: u32,
    out: *mut *mut carecoord_service_hours,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_weekday_office", || {
        let out = out_arg(out, "out")?;
        let region = region_arg(region, "region")?;
        // SAFETY: `out` checked non-null; caller promises validity.
        unsafe { hours_out(out, ServiceHours::weekday_office(region)) };
        Ok(())
    })
}

/// Make the national Urgent Community Response minimum: 08:00-20:00 every day, bank holidays
/// worked.
///
/// `NULL_ARGUMENT` when `out` is NULL. Ownership: on success `*out` receives a new handle
/// owned by the caller, freed with [`carecoord_service_hours_free`]. Thread safety: safe from
/// any thread; the handle is immutable and may be shared between threads.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_ucr_national(
    out: *mut *mut carecoord_service_hours,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_ucr_national", || {
        let out = out_arg(out, "out")?;
        // SAFETY: `out` checked non-null; caller promises validity.
        unsafe { hours_out(out, ServiceHours::ucr_national()) };
        Ok(())
    })
}

/// Free a service calendar handle. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle; different handles may be freed
/// concurrently.
///
/// # Safety
///
/// `hours` must be NULL or a handle from a `carecoord_service_hours_*` constructor that has not
/// been freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_free(hours: *mut carecoord_service_hours) {
    ffi_boundary_or("carecoord_service_hours_free", (), || {
        if !hours.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw in hours_out,
            // not freed before and not in use elsewhere.
            drop(unsafe { Box::from_raw(hours) });
        }
    })
}

/// Whether the service is open at instant `t` (seconds since the Unix epoch), written to
/// `*out`: opening inclusive, closing exclusive.
///
/// `NULL_ARGUMENT` when `hours` or `out` is NULL; `INVALID_ARGUMENT` for an instant outside
/// the supported range. Ownership: `hours` is borrowed for the call; `*out` is written only on
/// success. Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_is_open(
    hours: *const carecoord_service_hours,
    t: i64,
    out: *mut bool,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_is_open", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let open = hours.is_open(instant_arg(t, "t")?);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = open };
        Ok(())
    })
}

/// Whether the service works on local date `date`, written to `*out`: a service weekday that
/// is not a bank holiday it closes for (bank holidays are known for 1900-2199 only).
///
/// `NULL_ARGUMENT` when `hours` or `out` is NULL; `INVALID_ARGUMENT` for a date that does not
/// exist. Ownership: `hours` is borrowed for the call; `*out` is written only on success.
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_is_working_day(
    hours: *const carecoord_service_hours,
    date: carecoord_date,
    out: *mut bool,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_is_working_day", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let working = hours.is_working_day(date_arg(date, "date")?);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = working };
        Ok(())
    })
}

/// The first instant at or after `t` at which the service is open (`t` itself if open), written
/// to `*out` (seconds since the Unix epoch).
///
/// `CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME` if the service does not open within 3660 local
/// days; `NULL_ARGUMENT` when `hours` or `out` is NULL; `INVALID_ARGUMENT` for an instant
/// outside the supported range. Ownership: `hours` is borrowed for the call; `*out` is written
/// only on success. Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_next_opening(
    hours: *const carecoord_service_hours,
    t: i64,
    out: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_next_opening", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let next = hours.next_opening(instant_arg(t, "t")?)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = next.timestamp() };
        Ok(())
    })
}

/// The deadline of a clock that runs only inside service hours: the instant at which
/// `within_seconds` of service time has elapsed since `start`, written to `*out` (seconds
/// since the Unix epoch).
///
/// The clock starts at `start` if the service is open then, else at the next opening, and
/// pauses from each closing to the next opening; a clock that runs out exactly at closing is
/// due at that closing. With `within_seconds` 0 the result is the next opening.
/// Returns `CARECOORD_RESULT_CALENDAR_NEGATIVE_DURATION` for a negative `within_seconds`,
/// `CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME` when the time is not reached within 3660 local
/// days, `INVALID_ARGUMENT` for an instant or duration outside the supported range,
/// `NULL_ARGUMENT` when `hours` or `out` is NULL.
///
/// Ownership: `hours` is borrowed for the call; `*out` is written only on success. Thread
/// safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_deadline_in_service_hours(
    hours: *const carecoord_service_hours,
    start: i64,
    within_seconds: i64,
    out: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_deadline_in_service_hours", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let start = instant_arg(start, "start")?;
        let within = duration_arg(within_seconds, "within_seconds")?;
        let due = hours.deadline_in_service_hours(start, within)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = due.timestamp() };
        Ok(())
    })
}

/// The deadline "within `days` working days" of `start`: the closing instant of the
/// `days`-th working day after the local date of `start`, written to `*out` (seconds since the
/// Unix epoch).
///
/// The day of `start` does not count, whatever the time. With `days` 0 the deadline is the
/// closing of the day of `start` if that is a working day and `start` is before its closing,
/// else the closing of the next working day. Returns
/// `CARECOORD_RESULT_CALENDAR_NO_SERVICE_TIME` when the result would lie beyond the last
/// representable date, `INVALID_ARGUMENT` for an instant outside the supported range,
/// `NULL_ARGUMENT` when `hours` or `out` is NULL.
///
/// Ownership: `hours` is borrowed for the call; `*out` is written only on success. Thread
/// safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_add_working_days(
    hours: *const carecoord_service_hours,
    start: i64,
    days: u32,
    out: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_add_working_days", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let due = hours.add_working_days(instant_arg(start, "start")?, days)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = due.timestamp() };
        Ok(())
    })
}

/// The time inside service hours in `[from, to)`, in seconds, written to `*out_seconds`; 0 if
/// `to <= from`.
///
/// Walks the local days from `from` to `to`, so the cost grows with the span. Returns
/// `INVALID_ARGUMENT` for an instant outside the supported range, `NULL_ARGUMENT` when `hours`
/// or `out_seconds` is NULL.
///
/// Ownership: `hours` is borrowed for the call; `*out_seconds` is written only on success.
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out_seconds` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_service_time_between(
    hours: *const carecoord_service_hours,
    from: i64,
    to: i64,
    out_seconds: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_service_time_between", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out_seconds, "out_seconds")?;
        let from = instant_arg(from, "from")?;
        let to = instant_arg(to, "to")?;
        let total = hours.service_time_between(from, to);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = total.num_seconds() };
        Ok(())
    })
}

/// The number of working days in `(from, to]` (`from` excluded, `to` included), written to
/// `*out`; negative (minus the count in `(to, from]`) when `to` is before `from`.
///
/// Returns `INVALID_ARGUMENT` for a date that does not exist, `NULL_ARGUMENT` when `hours` or
/// `out` is NULL. Ownership: `hours` is borrowed for the call; `*out` is written only on
/// success. Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `hours` must be NULL or a live handle; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_service_hours_working_days_between(
    hours: *const carecoord_service_hours,
    from: carecoord_date,
    to: carecoord_date,
    out: *mut i64,
) -> carecoord_result {
    ffi_boundary("carecoord_service_hours_working_days_between", || {
        // SAFETY: forwarded caller promise.
        let hours = unsafe { hours_arg(hours)? };
        let out = out_arg(out, "out")?;
        let count = hours.working_days_between(date_arg(from, "from")?, date_arg(to, "to")?);
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = count };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecoord_result::*;

    const MIN_SECS: i64 = -8_334_601_228_800; // DateTime::<Utc>::MIN_UTC, -262143-01-01
    const MAX_SECS: i64 = 8_210_266_876_799; // DateTime::<Utc>::MAX_UTC, +262142-12-31 23:59:59

    #[test]
    fn limits_are_the_chrono_limits() {
        assert_eq!(DateTime::<Utc>::MIN_UTC.timestamp(), MIN_SECS);
        assert_eq!(DateTime::<Utc>::MAX_UTC.timestamp(), MAX_SECS);
    }

    #[test]
    fn sixteen_entries_always_suffice() {
        let most = (1900..=2199)
            .flat_map(|y| Region::ALL.map(|r| bank_holidays(r, y).unwrap().len()))
            .max()
            .unwrap();
        assert!(most <= 16, "{most}");
    }

    /// London kept local mean time (UTC-00:01:15) at chrono's minimum, so the first 75
    /// seconds have no representable local time and are refused, not a panic.
    #[test]
    fn instants_need_a_local_time() {
        assert!(instant_arg(MIN_SECS + 74, "t").is_err());
        assert!(instant_arg(MIN_SECS + 75, "t").is_ok());
        assert!(instant_arg(MAX_SECS, "t").is_ok());
        assert!(instant_arg(MAX_SECS + 1, "t").is_err());
    }

    /// Every entry point at the limits of the instant and date range answers without a panic.
    #[test]
    fn extremes_do_not_panic() {
        let mut handles = [std::ptr::null_mut(); 3];
        // SAFETY: every out-pointer is valid.
        let made = unsafe {
            [
                carecoord_service_hours_new(0, 1439, 0x7f, 0, &mut handles[0]),
                carecoord_service_hours_new(90, 100, 0x01, -1, &mut handles[1]),
                carecoord_service_hours_community_seven_day(&mut handles[2]),
            ]
        };
        assert_eq!(made, [CARECOORD_RESULT_OK; 3]);
        let dates = [
            carecoord_date {
                year: -262_143,
                month: 1,
                day: 1,
            },
            carecoord_date {
                year: 262_142,
                month: 12,
                day: 31,
            },
        ];
        // Every 5 s for 10 minutes after the minimum, every hour for 20 days before the maximum.
        let near_min = (0..120).map(|k| MIN_SECS + 5 * k);
        let near_max = (0..480).map(|k| MAX_SECS - 3600 * k);
        let instants: Vec<i64> = near_min.chain(near_max).chain([0]).collect();
        for (h, secs) in handles
            .iter()
            .flat_map(|&h| instants.iter().map(move |&s| (h, s)))
        {
            let (mut b, mut i, mut d) = (false, 0i64, dates[0]);
            // SAFETY: `h` is live and every out-pointer is valid.
            let codes = unsafe {
                [
                    carecoord_service_hours_is_open(h, secs, &mut b),
                    carecoord_service_hours_next_opening(h, secs, &mut i),
                    carecoord_service_hours_deadline_in_service_hours(h, secs, 3600, &mut i),
                    carecoord_service_hours_add_working_days(h, secs, 1, &mut i),
                    carecoord_service_hours_add_working_days(h, secs, u32::MAX, &mut i),
                    carecoord_service_hours_service_time_between(h, secs, secs + 86_400, &mut i),
                    carecoord_calendar_local_date(secs, &mut d),
                    carecoord_calendar_elapsed_deadline(secs, i64::MAX / 1000, &mut i),
                    carecoord_calendar_elapsed_deadline(secs, -(i64::MAX / 1000), &mut i),
                ]
            };
            assert!(
                !codes.contains(&CARECOORD_RESULT_PANIC),
                "{secs}: {codes:?}"
            );
        }
        for (h, date) in handles
            .iter()
            .flat_map(|&h| dates.iter().map(move |&d| (h, d)))
        {
            let local = carecoord_local_datetime {
                year: date.year,
                month: date.month,
                day: date.day,
                hour: 0,
                minute: 0,
                second: 0,
            };
            let (mut b, mut i) = (false, 0i64);
            // SAFETY: `h` is live and every out-pointer is valid.
            let codes = unsafe {
                [
                    carecoord_service_hours_is_working_day(h, date, &mut b),
                    carecoord_service_hours_working_days_between(h, dates[0], date, &mut i),
                    carecoord_calendar_local_to_utc(local, 1, &mut i),
                ]
            };
            assert!(
                !codes.contains(&CARECOORD_RESULT_PANIC),
                "{date:?}: {codes:?}"
            );
            assert!(!carecoord_calendar_is_bank_holiday(0, date));
        }
        for h in handles {
            // SAFETY: each handle is live and freed once.
            unsafe { carecoord_service_hours_free(h) };
        }
    }
}
