//! Risk scores: Charlson, Elixhauser (van Walraven), HFRS from ICD-10 codes; LACE, HOSPITAL
//! and eFI bands from per-stay or per-person facts.
//!
//! The code-based scores come two ways, both running the same core batch functions as Rust
//! and Python (so the results are identical):
//!
//! * Parallel arrays ([`carecoord_risk_charlson`], [`carecoord_risk_elixhauser`],
//!   [`carecoord_risk_hfrs`]): one entry per (patient, code) row. The strings are copied into
//!   an Arrow table for the call. The result is an opaque, immutable handle,
//!   [`carecoord_risk_result`], read with the `carecoord_risk_result_*` accessors and freed
//!   with [`carecoord_risk_result_free`].
//! * Arrow C Data Interface ([`carecoord_risk_score_arrow`]): a struct array (one record
//!   batch) in, the scores and rejects tables out.
//!
//! Enumerations ([`carecoord_charlson_weights`], [`carecoord_risk_instrument`],
//! [`carecoord_efi_banding`]) are taken as `uint32_t` and checked, so that an out-of-range
//! value from C is `CARECOORD_RESULT_INVALID_ARGUMENT`, never undefined behaviour.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::types::{Int32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, Int32Array, RecordBatch, StringArray, StructArray};
use carecoord::risk::{
    charlson, efi_for_deficits, elixhauser, hfrs, CharlsonWeights, EfiBand, EfiBanding, HfrsGroups,
    HospitalBand, HospitalInput, Instrument, LaceInput, LongInput, RowCounts, ScoreOptions,
    ScoreResult,
};

use crate::arrow::{export, import};
use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::error::{carecoord_result, FfiError};
use crate::text::{carecoord_str, out_arg, slice_arg, slice_out, string_out};

/// The score written by [`carecoord_risk_result_scores`] for a Charlson patient whose age is
/// unknown (ages were given, but every row of the patient was rejected for a negative age):
/// the age-adjusted total is unknown, not zero.
pub const CARECOORD_RISK_SCORE_UNKNOWN: i32 = -2147483647 - 1;

/// Charlson weight set. Passed to functions as a `uint32_t` holding one of these values; any
/// other value is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_charlson_weights {
    /// Charlson et al. 1987 (weights 1, 2, 3 and 6).
    CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987 = 0,
    /// Quan et al. 2011 (weights 0-6).
    CARECOORD_CHARLSON_WEIGHTS_QUAN2011 = 1,
    /// UK SHMI weights on the Quan 2005 categories: an approximation of SHMI, whose own
    /// ICD-10 groups differ.
    CARECOORD_CHARLSON_WEIGHTS_SHMI = 2,
}

/// Which code-based score [`carecoord_risk_score_arrow`] computes. Passed as a `uint32_t`
/// holding one of these values; any other value is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_risk_instrument {
    /// Charlson comorbidity index (17 categories, Quan 2005 ICD-10 coding).
    CARECOORD_RISK_INSTRUMENT_CHARLSON = 0,
    /// Elixhauser comorbidity measures with van Walraven 2009 weights (31 categories).
    CARECOORD_RISK_INSTRUMENT_ELIXHAUSER = 1,
    /// Hospital Frailty Risk Score (Gilbert 2018, 109 three-character groups).
    CARECOORD_RISK_INSTRUMENT_HFRS = 2,
}

/// eFI banding convention, applied to the integer deficit count. Passed as a `uint32_t`
/// holding one of these values; any other value is `CARECOORD_RESULT_INVALID_ARGUMENT`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_efi_banding {
    /// Clegg 2016 on the exact fraction: 0-4 fit, 5-8 mild, 9-12 moderate, 13+ severe.
    CARECOORD_EFI_BANDING_CLEGG2016 = 0,
    /// Score rounded to two decimals first: 0-4 fit, 5-8 mild, 9-13 moderate, 14+ severe.
    CARECOORD_EFI_BANDING_ROUNDED_2DP = 1,
}

/// eFI band: the `band` field of [`carecoord_efi_score`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_efi_band {
    /// Fit.
    CARECOORD_EFI_BAND_FIT = 0,
    /// Mild frailty.
    CARECOORD_EFI_BAND_MILD = 1,
    /// Moderate frailty.
    CARECOORD_EFI_BAND_MODERATE = 2,
    /// Severe frailty.
    CARECOORD_EFI_BAND_SEVERE = 3,
}

/// HOSPITAL risk group: the `band` field of [`carecoord_hospital_score`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_hospital_band {
    /// 0-4 points.
    CARECOORD_HOSPITAL_BAND_LOW = 0,
    /// 5-6 points.
    CARECOORD_HOSPITAL_BAND_INTERMEDIATE = 1,
    /// 7 points or more.
    CARECOORD_HOSPITAL_BAND_HIGH = 2,
}

/// A LACE result (van Walraven 2010) with its four parts, filled by [`carecoord_risk_lace`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct carecoord_lace_score {
    /// L + A + C + E, 0-19.
    pub total: u8,
    /// Length-of-stay points, 0-7.
    pub l: u8,
    /// Acuity points, 0 or 3.
    pub a: u8,
    /// Comorbidity points, 0-3 or 5.
    pub c: u8,
    /// Emergency department points, 0-4.
    pub e: u8,
    /// `total >= 10`.
    pub high_risk: bool,
}

/// The facts of one hospital stay that the HOSPITAL score (Donzé 2013) needs; the input of
/// [`carecoord_risk_hospital`]. Always set both laboratory values.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct carecoord_hospital_input {
    /// Last haemoglobin before discharge, g/dL (a g/L value divided by 10); 0-30.
    pub haemoglobin_g_dl: f64,
    /// Discharged from an oncology service.
    pub oncology_discharge: bool,
    /// Last sodium before discharge, mmol/L; finite and not negative.
    pub sodium_mmol_l: f64,
    /// Any (ICD-coded) procedure during the stay.
    pub procedure: bool,
    /// The index admission was urgent or emergent.
    pub urgent_admission: bool,
    /// Hospital admissions in the 12 months before the index admission.
    pub admissions_12m: u32,
    /// Length of stay in midnights (a same-day stay is 0).
    pub los_days: u32,
}

/// A HOSPITAL result with the points of each item, filled by [`carecoord_risk_hospital`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct carecoord_hospital_score {
    /// Sum of the items, 0-13.
    pub total: u8,
    /// H: 1 when haemoglobin < 12 g/dL.
    pub haemoglobin: u8,
    /// O: 2 when discharged from oncology.
    pub oncology: u8,
    /// S: 1 when sodium < 135 mmol/L.
    pub sodium: u8,
    /// P: 1 when a procedure was done.
    pub procedure: u8,
    /// I: 1 when the index admission was urgent.
    pub index_admission: u8,
    /// T: 0 (0-1 admissions), 2 (2-5) or 5 (more than 5).
    pub admissions: u8,
    /// AL: 2 when the stay lasted 5 days or more.
    pub length_of_stay: u8,
    /// A `carecoord_hospital_band` value: low 0-4, intermediate 5-6, high 7+.
    pub band: u32,
}

/// One person's eFI (Clegg 2016), filled by [`carecoord_risk_efi_band`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct carecoord_efi_score {
    /// Deficits present, 0-36.
    pub deficits: u32,
    /// `deficits / 36`.
    pub efi: f64,
    /// A `carecoord_efi_band` value: the band of the count under `banding`.
    pub band: u32,
    /// The `carecoord_efi_banding` value used.
    pub banding: u32,
}

/// The result of a code-based score over parallel arrays. Opaque.
///
/// Made by [`carecoord_risk_charlson`], [`carecoord_risk_elixhauser`] or
/// [`carecoord_risk_hfrs`], freed with [`carecoord_risk_result_free`]. Holds one score per
/// patient (distinct non-NULL patient id, in order of first appearance), the category flags,
/// the rejected rows and the row counts (`rows_in = rows_scored + rows_excluded +
/// rows_rejected`). It holds no patient identifier: map patients back to your own ids with
/// [`carecoord_risk_result_first_rows`]. A handle is immutable: every accessor takes
/// `const carecoord_risk_result *` and only reads it, so one handle may be shared between
/// threads and read from several at once; it must not be freed while another thread uses it.
pub struct carecoord_risk_result {
    /// Category names, in bit order.
    categories: &'static [&'static str],
    /// Score per patient (points, or tenths for HFRS; the sentinel when unknown).
    scores: Vec<i32>,
    /// Input row of each patient's first appearance.
    first_rows: Vec<u64>,
    /// Category flags, `words` 64-bit words per patient.
    flags: Vec<u64>,
    words: usize,
    reject_rows: Vec<u64>,
    reject_reasons: StringArray,
    counts: RowCounts,
}

#[derive(Clone, Copy)]
enum Kind {
    Charlson(CharlsonWeights),
    Elixhauser,
    Hfrs,
}

impl Kind {
    fn categories(self) -> &'static [&'static str] {
        match self {
            Kind::Charlson(_) => Instrument::Charlson.keys(),
            Kind::Elixhauser => Instrument::Elixhauser.keys(),
            Kind::Hfrs => HfrsGroups::all_codes(),
        }
    }

    /// The scores column holding the integer score.
    fn score_column(self) -> &'static str {
        match self {
            Kind::Hfrs => "score_tenths",
            _ => "score",
        }
    }

    fn run(self, batch: RecordBatch) -> Result<ScoreResult, FfiError> {
        let has_age = batch.schema().column_with_name("age").is_some();
        let opts = ScoreOptions {
            columns: LongInput {
                age: has_age.then_some("age"),
                ..LongInput::default()
            },
            ..ScoreOptions::default()
        };
        let batches = [batch];
        Ok(match self {
            Kind::Charlson(w) => charlson(&batches, w, &opts)?,
            Kind::Elixhauser => elixhauser(&batches, &opts)?,
            Kind::Hfrs => hfrs(&batches, &opts)?,
        })
    }
}

fn invalid(message: impl Into<String>) -> FfiError {
    FfiError::new(carecoord_result::CARECOORD_RESULT_INVALID_ARGUMENT, message)
}

fn internal(message: &str) -> FfiError {
    FfiError::new(
        carecoord_result::CARECOORD_RESULT_PANIC,
        format!("internal error: {message}"),
    )
}

fn weights_arg(value: u32) -> Result<CharlsonWeights, FfiError> {
    use carecoord_charlson_weights::*;
    match value {
        v if v == CARECOORD_CHARLSON_WEIGHTS_CHARLSON1987 as u32 => {
            Ok(CharlsonWeights::Charlson1987)
        }
        v if v == CARECOORD_CHARLSON_WEIGHTS_QUAN2011 as u32 => Ok(CharlsonWeights::Quan2011),
        v if v == CARECOORD_CHARLSON_WEIGHTS_SHMI as u32 => Ok(CharlsonWeights::Shmi),
        _ => Err(invalid(
            "argument `weights` is not a carecoord_charlson_weights value (0, 1 or 2)",
        )),
    }
}

fn instrument_arg(value: u32, weights: u32) -> Result<Kind, FfiError> {
    use carecoord_risk_instrument::*;
    // Checked for every instrument, so that a bad value is never silently ignored.
    let weights = weights_arg(weights)?;
    match value {
        v if v == CARECOORD_RISK_INSTRUMENT_CHARLSON as u32 => Ok(Kind::Charlson(weights)),
        v if v == CARECOORD_RISK_INSTRUMENT_ELIXHAUSER as u32 => Ok(Kind::Elixhauser),
        v if v == CARECOORD_RISK_INSTRUMENT_HFRS as u32 => Ok(Kind::Hfrs),
        _ => Err(invalid(
            "argument `instrument` is not a carecoord_risk_instrument value (0, 1 or 2)",
        )),
    }
}

fn banding_arg(value: u32) -> Result<EfiBanding, FfiError> {
    use carecoord_efi_banding::*;
    match value {
        v if v == CARECOORD_EFI_BANDING_CLEGG2016 as u32 => Ok(EfiBanding::Clegg2016),
        v if v == CARECOORD_EFI_BANDING_ROUNDED_2DP as u32 => Ok(EfiBanding::Rounded2dp),
        _ => Err(invalid(
            "argument `banding` is not a carecoord_efi_banding value (0 or 1)",
        )),
    }
}

/// Copy a column of borrowed strings into an Arrow array: NULL `ptr` is null.
///
/// # Safety
///
/// Every entry with a non-NULL `ptr` must be valid for reads of `len` bytes.
unsafe fn string_column(values: &[carecoord_str], what: &str) -> Result<StringArray, FfiError> {
    let bytes: usize = values
        .iter()
        .filter(|v| !v.ptr.is_null())
        .map(|v| v.len)
        .sum();
    let mut b = StringBuilder::with_capacity(values.len(), bytes);
    for (i, v) in values.iter().enumerate() {
        if v.ptr.is_null() {
            b.append_null();
            continue;
        }
        // SAFETY: non-null, and the caller promises `len` readable bytes.
        let raw = unsafe { std::slice::from_raw_parts(v.ptr.cast::<u8>(), v.len) };
        let s = std::str::from_utf8(raw).map_err(|e| {
            FfiError::new(
                carecoord_result::CARECOORD_RESULT_INVALID_UTF8,
                format!(
                    "argument `{what}`: entry {i} is not valid UTF-8 (byte {})",
                    e.valid_up_to()
                ),
            )
        })?;
        b.append_value(s);
    }
    Ok(b.finish())
}

/// For each patient of the scores table, the first input row with its id.
fn first_rows(scores: &RecordBatch, patients: &StringArray) -> Result<Vec<u64>, FfiError> {
    let ids = scores
        .column_by_name("patient_id")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| internal("scores table has no utf8 patient_id"))?;
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        index.insert(id.ok_or_else(|| internal("null patient in scores"))?, i);
    }
    let mut rows = vec![u64::MAX; ids.len()];
    let mut found = 0;
    for (row, id) in patients.iter().enumerate() {
        if let Some(&p) = id.and_then(|id| index.get(id)) {
            if rows[p] == u64::MAX {
                rows[p] = row as u64;
                found += 1;
                if found == rows.len() {
                    break;
                }
            }
        }
    }
    if found != rows.len() {
        return Err(internal("a scored patient is missing from the input"));
    }
    Ok(rows)
}

/// Turn a core result into a handle's contents.
fn result_of(
    kind: Kind,
    r: ScoreResult,
    patients: &StringArray,
) -> Result<carecoord_risk_result, FfiError> {
    let n = r.scores.num_rows();
    let score = r
        .scores
        .column_by_name(kind.score_column())
        .and_then(|c| c.as_primitive_opt::<Int32Type>())
        .ok_or_else(|| internal("scores table has no Int32 score"))?;
    let scores: Vec<i32> = score
        .iter()
        .map(|s| s.unwrap_or(CARECOORD_RISK_SCORE_UNKNOWN))
        .collect();
    let categories = kind.categories();
    let words = categories.len().div_ceil(64).max(1);
    let mut flags = vec![0u64; n * words];
    for (c, key) in categories.iter().enumerate() {
        let col = r
            .scores
            .column_by_name(key)
            .and_then(|c| c.as_boolean_opt())
            .ok_or_else(|| internal("scores table lacks a category column"))?;
        for p in 0..n {
            if col.is_valid(p) && col.value(p) {
                flags[p * words + c / 64] |= 1u64 << (c % 64);
            }
        }
    }
    let reject_rows = r
        .rejects
        .column_by_name("row")
        .and_then(|c| c.as_primitive_opt::<UInt64Type>())
        .ok_or_else(|| internal("rejects table has no row column"))?
        .values()
        .to_vec();
    let reject_reasons = r
        .rejects
        .column_by_name("reason")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| internal("rejects table has no reason column"))?
        .clone();
    Ok(carecoord_risk_result {
        categories,
        scores,
        first_rows: first_rows(&r.scores, patients)?,
        flags,
        words,
        reject_rows,
        reject_reasons,
        counts: r.counts,
    })
}

/// Shared body of the parallel-array entry points.
///
/// # Safety
///
/// As for the public functions.
unsafe fn score_parallel(
    name: &'static str,
    kind: impl FnOnce() -> Result<Kind, FfiError>,
    patients: *const carecoord_str,
    codes: *const carecoord_str,
    n: usize,
    ages: Option<*const i32>,
    out: *mut *mut carecoord_risk_result,
) -> carecoord_result {
    ffi_boundary(name, || {
        let out = out_arg(out, "out")?;
        let kind = kind()?;
        // SAFETY: forwarded caller promises.
        let patients = unsafe { slice_arg(patients, n, "patients")? };
        // SAFETY: forwarded caller promises.
        let codes = unsafe { slice_arg(codes, n, "codes")? };
        // SAFETY: forwarded caller promises.
        let patients = unsafe { string_column(patients, "patients")? };
        // SAFETY: forwarded caller promises.
        let codes = unsafe { string_column(codes, "codes")? };
        let mut columns: Vec<(&str, ArrayRef)> = vec![
            ("patient_id", Arc::new(patients.clone())),
            ("code", Arc::new(codes)),
        ];
        if let Some(ages) = ages.filter(|a| !a.is_null()) {
            // SAFETY: non-null; the caller promises `n` readable values.
            let ages = unsafe { slice_arg(ages, n, "ages")? };
            columns.push(("age", Arc::new(Int32Array::from(ages.to_vec()))));
        }
        let batch = RecordBatch::try_from_iter(columns)
            .map_err(|e| internal(&format!("cannot build the input table: {e}")))?;
        let result = result_of(kind, kind.run(batch)?, &patients)?;
        let handle = Box::into_raw(Box::new(result));
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Charlson comorbidity index (Quan 2005 ICD-10 coding) of every patient in `n` parallel
/// (patient, code) rows, as [`carecoord_risk_result`] written to `*out`.
///
/// `patients[i]` and `codes[i]` (borrowed for the call, `n` entries each) are UTF-8 strings;
/// an entry whose `ptr` is NULL is a null value, which rejects its row (`null_patient`,
/// `null_code`), as a null does in Arrow. Codes are cleaned as by `carecoord_icd10_clean`; a
/// malformed code rejects its row with the ICD-10 reason (`misplaced_dot`, ...). `weights` is
/// a `carecoord_charlson_weights` value. `ages` (optional, borrowed, `n` entries) gives each
/// row's age in whole years at the index date: when given, the score adds Charlson 1994 age
/// points, read from the patient's first row with a non-negative age; a negative age rejects
/// its row (`negative_age`). When NULL, no age points are added.
///
/// Errors: `NULL_ARGUMENT` (`out` NULL, or `patients`/`codes` NULL with `n` > 0),
/// `INVALID_UTF8` (an entry is not UTF-8; nothing is scored), `INVALID_ARGUMENT` (unknown
/// `weights`). Ownership: `*out` is written only on success and owned by the caller, who frees
/// it with [`carecoord_risk_result_free`]. Thread safety: safe from any thread.
///
/// # Safety
///
/// `patients` and `codes` must be valid for reads of `n` entries, each non-NULL entry for
/// `len` bytes; `ages` NULL or valid for `n` values; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_charlson(
    patients: *const carecoord_str,
    codes: *const carecoord_str,
    n: usize,
    weights: u32,
    ages: *const i32,
    out: *mut *mut carecoord_risk_result,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        score_parallel(
            "carecoord_risk_charlson",
            || weights_arg(weights).map(Kind::Charlson),
            patients,
            codes,
            n,
            Some(ages),
            out,
        )
    }
}

/// Elixhauser comorbidity score (Quan 2005 ICD-10 coding, van Walraven 2009 weights; totals
/// may be negative and are not clipped) of every patient in `n` parallel (patient, code)
/// rows, as [`carecoord_risk_result`] written to `*out`.
///
/// Inputs, rejects, errors and ownership as for [`carecoord_risk_charlson`] (there is no
/// weights choice and no age). Thread safety: safe from any thread.
///
/// # Safety
///
/// `patients` and `codes` must be valid for reads of `n` entries, each non-NULL entry for
/// `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_elixhauser(
    patients: *const carecoord_str,
    codes: *const carecoord_str,
    n: usize,
    out: *mut *mut carecoord_risk_result,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        score_parallel(
            "carecoord_risk_elixhauser",
            || Ok(Kind::Elixhauser),
            patients,
            codes,
            n,
            None,
            out,
        )
    }
}

/// Hospital Frailty Risk Score (Gilbert 2018; each of the 109 three-character groups counted
/// once per patient) of every patient in `n` parallel (patient, code) rows, as
/// [`carecoord_risk_result`] written to `*out`. Scores are in **tenths** (68 = 6.8); bands:
/// low < 50, intermediate 50-150, high > 150 tenths.
///
/// Inputs, rejects, errors and ownership as for [`carecoord_risk_charlson`] (there is no
/// weights choice and no age). Thread safety: safe from any thread.
///
/// # Safety
///
/// `patients` and `codes` must be valid for reads of `n` entries, each non-NULL entry for
/// `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_hfrs(
    patients: *const carecoord_str,
    codes: *const carecoord_str,
    n: usize,
    out: *mut *mut carecoord_risk_result,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        score_parallel(
            "carecoord_risk_hfrs",
            || Ok(Kind::Hfrs),
            patients,
            codes,
            n,
            None,
            out,
        )
    }
}

/// Free a risk result handle. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle; different handles may be freed
/// concurrently.
///
/// # Safety
///
/// `r` must be NULL or a handle from a `carecoord_risk_*` scoring function that has not been
/// freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_free(r: *mut carecoord_risk_result) {
    ffi_boundary_or("carecoord_risk_result_free", (), || {
        if !r.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw in
            // score_parallel, not freed before and not in use elsewhere.
            drop(unsafe { Box::from_raw(r) });
        }
    })
}

/// Borrow the result behind a handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
unsafe fn result_arg<'a>(
    r: *const carecoord_risk_result,
) -> Result<&'a carecoord_risk_result, FfiError> {
    // SAFETY: the caller promises a NULL or live handle; `as_ref` maps NULL to None.
    unsafe { r.as_ref() }.ok_or_else(|| FfiError::null("r"))
}

/// A count of a result, 0 for NULL.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
unsafe fn count_of(
    name: &'static str,
    r: *const carecoord_risk_result,
    f: impl FnOnce(&carecoord_risk_result) -> usize,
) -> usize {
    ffi_boundary_or(name, 0, || {
        // SAFETY: forwarded caller promise.
        unsafe { result_arg(r) }.map_or(0, f)
    })
}

/// The number of patients in a result (distinct non-NULL patient ids, including those whose
/// rows were all rejected); 0 when `r` is NULL.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_patients(r: *const carecoord_risk_result) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe { count_of("carecoord_risk_result_patients", r, |r| r.scores.len()) }
}

/// The number of input rows; 0 when `r` is NULL. Always `rows_scored + rows_excluded +
/// rows_rejected`.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_rows_in(r: *const carecoord_risk_result) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe { count_of("carecoord_risk_result_rows_in", r, |r| r.counts.rows_in) }
}

/// The number of input rows whose code was looked up (it may match no category); 0 when `r`
/// is NULL.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_rows_scored(
    r: *const carecoord_risk_result,
) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe {
        count_of("carecoord_risk_result_rows_scored", r, |r| {
            r.counts.rows_scored
        })
    }
}

/// The number of input rows excluded by a date window (always 0 for the parallel-array
/// functions, which take no dates); 0 when `r` is NULL.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_rows_excluded(
    r: *const carecoord_risk_result,
) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe {
        count_of("carecoord_risk_result_rows_excluded", r, |r| {
            r.counts.rows_excluded
        })
    }
}

/// The number of rejected input rows (read each with [`carecoord_risk_result_reject`]); 0
/// when `r` is NULL.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_rows_rejected(
    r: *const carecoord_risk_result,
) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe {
        count_of("carecoord_risk_result_rows_rejected", r, |r| {
            r.counts.rows_rejected
        })
    }
}

/// The number of categories of the result's instrument (Charlson 17, Elixhauser 31, HFRS
/// 109); 0 when `r` is NULL. [`carecoord_risk_result_flags`] needs `(categories + 63) / 64`
/// words per patient.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_categories(
    r: *const carecoord_risk_result,
) -> usize {
    // SAFETY: forwarded caller promise.
    unsafe {
        count_of("carecoord_risk_result_categories", r, |r| {
            r.categories.len()
        })
    }
}

/// Copy one value per patient into `out[0..patients)`.
///
/// # Safety
///
/// `r` NULL or live; `out` valid for writes of `n` values.
unsafe fn per_patient<T: Copy>(
    name: &'static str,
    r: *const carecoord_risk_result,
    out: *mut T,
    n: usize,
    values: impl FnOnce(&carecoord_risk_result) -> &[T],
) -> carecoord_result {
    ffi_boundary(name, || {
        // SAFETY: forwarded caller promise.
        let r = unsafe { result_arg(r)? };
        let values = values(r);
        if n < values.len() {
            return Err(FfiError::new(
                carecoord_result::CARECOORD_RESULT_BUFFER_TOO_SMALL,
                format!("output array too small: {} entries needed", values.len()),
            ));
        }
        // SAFETY: forwarded caller promise (`out` NULL only allowed with no patients).
        let dest = unsafe { slice_out(out, values.len(), "out")? };
        dest.copy_from_slice(values);
        Ok(())
    })
}

/// Each patient's score, in order of first appearance, copied into `out[0..patients)`.
///
/// Units: Charlson and Elixhauser in points (Elixhauser may be negative; Charlson with ages
/// includes the age points, and is [`CARECOORD_RISK_SCORE_UNKNOWN`] for a patient without a
/// usable age); HFRS in **tenths** of a point (68 = 6.8).
///
/// `n` is the capacity of `out`; when it is less than
/// [`carecoord_risk_result_patients`], `BUFFER_TOO_SMALL` is returned and nothing is written.
/// `NULL_ARGUMENT` when `r` is NULL, or `out` is NULL and there are patients. Ownership: `out`
/// is the caller's; written only on success. Thread safety: safe from any thread, also on a
/// shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle; `out` valid for writes of `n` values.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_scores(
    r: *const carecoord_risk_result,
    out: *mut i32,
    n: usize,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe { per_patient("carecoord_risk_result_scores", r, out, n, |r| &r.scores) }
}

/// For each patient, in order of first appearance, the zero-based input row where its id
/// first appeared, copied into `out[0..patients)`: the way back to the caller's own ids
/// (`patients[out[i]]`), without strings.
///
/// `n`, errors, ownership and thread safety as for [`carecoord_risk_result_scores`].
///
/// # Safety
///
/// `r` must be NULL or a live handle; `out` valid for writes of `n` values.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_first_rows(
    r: *const carecoord_risk_result,
    out: *mut u64,
    n: usize,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        per_patient("carecoord_risk_result_first_rows", r, out, n, |r| {
            &r.first_rows
        })
    }
}

/// The categories present for patient `patient` (raw flags, before the hierarchy rules that
/// the score applies), as a bitmask in `out_mask[0..n_words)`: bit `j` of word `w` is
/// category `64 * w + j`, in the category order of the reference tables (name it with
/// [`carecoord_risk_result_category_name`]). Charlson (17) and Elixhauser (31) need one word,
/// HFRS (109 groups) two.
///
/// Errors: `NULL_ARGUMENT` (`r` or `out_mask` NULL), `INVALID_ARGUMENT` (`patient` out of
/// range), `BUFFER_TOO_SMALL` (`n_words` below `(categories + 63) / 64`; nothing written).
/// Ownership: `out_mask` is the caller's; written only on success. Thread safety: safe from
/// any thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle; `out_mask` valid for writes of `n_words` values.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_flags(
    r: *const carecoord_risk_result,
    patient: usize,
    out_mask: *mut u64,
    n_words: usize,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_result_flags", || {
        // SAFETY: forwarded caller promise.
        let r = unsafe { result_arg(r)? };
        let out = out_arg(out_mask, "out_mask")?;
        if patient >= r.scores.len() {
            return Err(invalid("argument `patient` is out of range"));
        }
        if n_words < r.words {
            return Err(FfiError::new(
                carecoord_result::CARECOORD_RESULT_BUFFER_TOO_SMALL,
                format!("output array too small: {} words needed", r.words),
            ));
        }
        // SAFETY: checked non-null; the caller promises n_words >= r.words writable values.
        let dest = unsafe { slice_out(out, r.words, "out_mask")? };
        dest.copy_from_slice(&r.flags[patient * r.words..(patient + 1) * r.words]);
        Ok(())
    })
}

/// The name of category `bit` (`mi`, `chf`, ... for Charlson; `chf`, `carit`, ... for
/// Elixhauser; `F00`, `G81`, ... for HFRS), the same as the scores table's column name,
/// copied NUL-terminated into `buf`; `*out_len` (required) receives its length. 16 bytes
/// always suffice.
///
/// Errors: `NULL_ARGUMENT` (`r` or `out_len` NULL), `INVALID_ARGUMENT` (`bit` not below
/// [`carecoord_risk_result_categories`]), `BUFFER_TOO_SMALL` (with `*out_len` set).
/// Ownership: `buf` is the caller's. Thread safety: safe from any thread, also on a shared
/// handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle; `buf` valid for writes of `buf_len` bytes; `out_len`
/// valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_category_name(
    r: *const carecoord_risk_result,
    bit: usize,
    buf: *mut std::ffi::c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_result_category_name", || {
        // SAFETY: forwarded caller promise.
        let r = unsafe { result_arg(r)? };
        let name = r
            .categories
            .get(bit)
            .ok_or_else(|| invalid("argument `bit` is not a category of this result"))?;
        // SAFETY: forwarded caller promises.
        unsafe { string_out(name, buf, buf_len, out_len) }
    })
}

/// Rejected row `i` (0 <= `i` < [`carecoord_risk_result_rows_rejected`], in input order): its
/// zero-based input row into `*out_row`, and its reason code, NUL-terminated, into `buf`
/// (`*out_len`, required, receives the reason's length; 32 bytes always suffice). Reasons are
/// stable codes: `null_patient`, `null_code`, `negative_age`, or the ICD-10 reason of a
/// malformed code (`empty`, `invalid_character`, `misplaced_dot`, `too_short`, `too_long`,
/// `bad_category`).
///
/// Errors: `NULL_ARGUMENT` (`r`, `out_row` or `out_len` NULL), `INVALID_ARGUMENT` (`i` out of
/// range), `BUFFER_TOO_SMALL` (with `*out_len` set, `*out_row` not written). Ownership: `buf`
/// is the caller's; `*out_row` is written only on success. Thread safety: safe from any
/// thread, also on a shared handle.
///
/// # Safety
///
/// `r` must be NULL or a live handle; `out_row` valid for a write; `buf` for writes of
/// `buf_len` bytes; `out_len` for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_result_reject(
    r: *const carecoord_risk_result,
    i: usize,
    out_row: *mut u64,
    buf: *mut std::ffi::c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_result_reject", || {
        // SAFETY: forwarded caller promise.
        let r = unsafe { result_arg(r)? };
        let out_row = out_arg(out_row, "out_row")?;
        if i >= r.reject_rows.len() {
            return Err(invalid("argument `i` is not a reject of this result"));
        }
        // SAFETY: forwarded caller promises.
        unsafe { string_out(r.reject_reasons.value(i), buf, buf_len, out_len)? };
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out_row = r.reject_rows[i] };
        Ok(())
    })
}

/// Code-based score of a long-format Arrow table, tables out.
///
/// `instrument` is a `carecoord_risk_instrument` value; `weights` a
/// `carecoord_charlson_weights` value, checked for every instrument but used only by
/// Charlson (pass 0 otherwise). Input: `batch` (moved: once past the argument checks the
/// library owns the data, whether or not the call succeeds, and `*batch` is marked released)
/// described by `schema` (borrowed; the caller still releases it): a struct array without
/// nulls of its own, one record batch, with children `patient_id` (utf8, large_utf8,
/// utf8_view, int32 or int64), `code` (utf8, large_utf8 or utf8_view) and, for Charlson age
/// points, optionally `age` (any integer type). Null children values are rejected rows, as in
/// the parallel-array functions.
///
/// Output, written only on success and owned by the caller, who must call the `release`
/// callbacks of all four: `*out_scores`/`*out_scores_schema`, a struct array with one row per
/// patient (`patient_id`, `score` (int32 points; for HFRS float64, plus `score_tenths` and
/// `band`), Charlson with age: `comorbidity_score` and `age_points`; then one boolean column
/// per category); `*out_rejects`/`*out_rejects_schema`, a struct array with one row per
/// rejected input row (`row` uint64, `patient_id`, `field` utf8, `reason` utf8).
///
/// Errors: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (unknown `instrument` or `weights`; the input
/// is not taken), `ARROW_ERROR` (not a struct array, a struct with nulls, or an import or
/// export failure), `CARECOORD_RESULT_RISK_*` (a missing column or a column of the wrong
/// type). Thread safety: safe from any thread.
///
/// # Safety
///
/// `batch`/`schema` must be valid Arrow C Data Interface structs for one array; the four
/// output pointers must be valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_risk_score_arrow(
    instrument: u32,
    weights: u32,
    batch: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_scores: *mut FFI_ArrowArray,
    out_scores_schema: *mut FFI_ArrowSchema,
    out_rejects: *mut FFI_ArrowArray,
    out_rejects_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_score_arrow", || {
        // Check everything before taking ownership of the input.
        let out_scores = out_arg(out_scores, "out_scores")?;
        let out_scores_schema = out_arg(out_scores_schema, "out_scores_schema")?;
        let out_rejects = out_arg(out_rejects, "out_rejects")?;
        let out_rejects_schema = out_arg(out_rejects_schema, "out_rejects_schema")?;
        let kind = instrument_arg(instrument, weights)?;
        // SAFETY: forwarded caller promises.
        let input = unsafe { import(batch, schema)? };
        let arrow_error =
            |m: &str| FfiError::new(carecoord_result::CARECOORD_RESULT_ARROW_ERROR, m);
        let input = input
            .as_struct_opt()
            .ok_or_else(|| arrow_error("the input is not a struct array (one record batch)"))?
            .clone();
        if input.null_count() != 0 {
            return Err(arrow_error(
                "the input struct array has nulls of its own: a record batch cannot",
            ));
        }
        let result = kind.run(RecordBatch::from(input))?;
        let scores = StructArray::from(result.scores);
        let rejects = StructArray::from(result.rejects);
        // Export both into locals first, so that the caller's structs are written only when
        // both succeed.
        let mut s = (FFI_ArrowArray::empty(), FFI_ArrowSchema::empty());
        let mut j = (FFI_ArrowArray::empty(), FFI_ArrowSchema::empty());
        // SAFETY: the locals are valid for writes; `export` overwrites the empty structs,
        // which own nothing.
        unsafe {
            export(&scores, &mut s.0, &mut s.1)?;
            export(&rejects, &mut j.0, &mut j.1)?;
        }
        // SAFETY: all four checked non-null; the caller promises they are valid for writes.
        // Their previous contents are not dropped (uninitialised caller memory).
        unsafe {
            std::ptr::write(out_scores, s.0);
            std::ptr::write(out_scores_schema, s.1);
            std::ptr::write(out_rejects, j.0);
            std::ptr::write(out_rejects_schema, j.1);
        }
        Ok(())
    })
}

/// The LACE index (van Walraven 2010, the original index) of one stay, written to `*out`.
///
/// `los_days`: length of stay in midnights (a same-day stay is 0); `acute`: acute (emergent)
/// admission; `charlson`: Charlson score (1987 weights, no age points); `ed_visits_6m`:
/// emergency department visits in the 6 months before admission, not counting the one that
/// led to it. L: < 1, 1, 2, 3, 4-6, 7-13, 14+ midnights score 0, 1, 2, 3, 4, 5, 7; A: 3; C:
/// 0-3 as is, 4+ 5; E: 0-3 as is, 4+ 4. High risk at 10 or more.
///
/// `NULL_ARGUMENT` when `out` is NULL. Ownership: `*out` is written only on success. Thread
/// safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_lace(
    los_days: u32,
    acute: bool,
    charlson: u32,
    ed_visits_6m: u32,
    out: *mut carecoord_lace_score,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_lace", || {
        let out = out_arg(out, "out")?;
        let s = LaceInput {
            los_days,
            acute_admission: acute,
            charlson,
            ed_visits_6m,
        }
        .score();
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe {
            *out = carecoord_lace_score {
                total: s.total,
                l: s.l,
                a: s.a,
                c: s.c,
                e: s.e,
                high_risk: s.high_risk,
            }
        };
        Ok(())
    })
}

/// The HOSPITAL score (Donzé 2013) of one stay, written to `*out`.
///
/// H haemoglobin < 12 g/dL 1; O oncology discharge 2; S sodium < 135 mmol/L 1; P procedure 1;
/// I urgent admission 1; T admissions in the previous 12 months 0-1: 0, 2-5: 2, > 5: 5; AL
/// length of stay >= 5 midnights 2. Bands: low 0-4, intermediate 5-6, high 7+.
///
/// Errors: `NULL_ARGUMENT` (`input` or `out` NULL), `CARECOORD_RESULT_RISK_INVALID_OPTION`
/// (a laboratory value not finite or negative, or haemoglobin above 30 g/dL: a g/L value).
/// Ownership: `input` is borrowed for the call; `*out` is written only on success. Thread
/// safety: safe from any thread.
///
/// # Safety
///
/// `input` must be valid for a read; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_hospital(
    input: *const carecoord_hospital_input,
    out: *mut carecoord_hospital_score,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_hospital", || {
        // SAFETY: the caller promises NULL or a valid struct; `as_ref` maps NULL to None.
        let input = unsafe { input.as_ref() }.ok_or_else(|| FfiError::null("input"))?;
        let out = out_arg(out, "out")?;
        let s = HospitalInput {
            haemoglobin_g_dl: input.haemoglobin_g_dl,
            oncology_discharge: input.oncology_discharge,
            sodium_mmol_l: input.sodium_mmol_l,
            procedure: input.procedure,
            urgent_admission: input.urgent_admission,
            admissions_12m: input.admissions_12m,
            los_days: input.los_days,
        }
        .score()?;
        let band = match s.band {
            HospitalBand::Low => carecoord_hospital_band::CARECOORD_HOSPITAL_BAND_LOW,
            HospitalBand::Intermediate => {
                carecoord_hospital_band::CARECOORD_HOSPITAL_BAND_INTERMEDIATE
            }
            HospitalBand::High => carecoord_hospital_band::CARECOORD_HOSPITAL_BAND_HIGH,
        };
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe {
            *out = carecoord_hospital_score {
                total: s.total,
                haemoglobin: s.haemoglobin,
                oncology: s.oncology,
                sodium: s.sodium,
                procedure: s.procedure,
                index_admission: s.index_admission,
                admissions: s.admissions,
                length_of_stay: s.length_of_stay,
                band: band as u32,
            }
        };
        Ok(())
    })
}

/// The electronic Frailty Index (Clegg 2016) of a deficit count, `deficits / 36`, and its
/// band under `banding` (a `carecoord_efi_banding` value), written to `*out`.
///
/// Both bandings agree except at 13 deficits (13/36 = 0.361): severe under
/// `CARECOORD_EFI_BANDING_CLEGG2016`, moderate under `CARECOORD_EFI_BANDING_ROUNDED_2DP`
/// (0.36 once rounded).
///
/// Errors: `NULL_ARGUMENT` (`out` NULL), `INVALID_ARGUMENT` (unknown `banding`),
/// `CARECOORD_RESULT_RISK_INVALID_OPTION` (`deficits` above 36). Ownership: `*out` is written
/// only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_efi_band(
    deficits: u32,
    banding: u32,
    out: *mut carecoord_efi_score,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_efi_band", || {
        let out = out_arg(out, "out")?;
        let banding = banding_arg(banding)?;
        let s = efi_for_deficits(deficits, banding)?;
        let band = match s.band {
            EfiBand::Fit => carecoord_efi_band::CARECOORD_EFI_BAND_FIT,
            EfiBand::Mild => carecoord_efi_band::CARECOORD_EFI_BAND_MILD,
            EfiBand::Moderate => carecoord_efi_band::CARECOORD_EFI_BAND_MODERATE,
            EfiBand::Severe => carecoord_efi_band::CARECOORD_EFI_BAND_SEVERE,
        };
        let banding = match s.banding {
            EfiBanding::Clegg2016 => carecoord_efi_banding::CARECOORD_EFI_BANDING_CLEGG2016,
            EfiBanding::Rounded2dp => carecoord_efi_banding::CARECOORD_EFI_BANDING_ROUNDED_2DP,
        };
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe {
            *out = carecoord_efi_score {
                deficits: u32::from(s.deficits),
                efi: s.efi,
                band: band as u32,
                banding: banding as u32,
            }
        };
        Ok(())
    })
}
