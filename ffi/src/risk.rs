//! Risk scores: Charlson, Elixhauser (van Walraven), HFRS from ICD-10 codes; the eFI from
//! SNOMED CT codes; LACE, HOSPITAL and eFI bands from per-stay or per-person facts; custom
//! models, population tiers and cohort filters.
//!
//! The batch functions run the same core functions as Rust and Python (so the results are
//! identical), two ways each:
//!
//! * Parallel arrays ([`carecoord_risk_charlson`], [`carecoord_risk_elixhauser`],
//!   [`carecoord_risk_hfrs`], [`carecoord_risk_efi`]): one entry per (patient, code) row. The
//!   strings are copied into an Arrow table for the call. The result is an opaque, immutable
//!   handle, [`carecoord_risk_result`], read with the `carecoord_risk_result_*` accessors and
//!   freed with [`carecoord_risk_result_free`].
//! * Arrow C Data Interface ([`carecoord_risk_score_arrow`], [`carecoord_risk_efi_arrow`]): a
//!   struct array (one record batch) in, the scores and rejects tables out.
//!
//! Patient-level tables: custom models ([`carecoord_risk_model_new`], applied to an Arrow
//! record batch with [`carecoord_risk_model_apply`] or to one person with
//! [`carecoord_risk_model_predict`], freed with [`carecoord_risk_model_free`]); tiers over
//! arrays of scores ([`carecoord_risk_tiers`]); cohort filters given as JSON over an Arrow
//! record batch, out as Arrow ([`carecoord_risk_cohort_arrow`]) or as row numbers and reasons
//! ([`carecoord_risk_cohort_select`], a [`carecoord_risk_selection`] handle).
//!
//! Enumerations ([`carecoord_charlson_weights`], [`carecoord_risk_instrument`],
//! [`carecoord_efi_banding`]) are taken as `uint32_t` and checked, so that an out-of-range
//! value from C is `CARECOORD_RESULT_INVALID_ARGUMENT`, never undefined behaviour.

use std::collections::HashMap;
use std::ffi::c_char;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::types::{Int32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, Int32Array, RecordBatch, StringArray, StructArray};
use carecoord::risk::{
    charlson, efi_deficits, efi_for_deficits, elixhauser, hfrs, tiers, tiers_by_position,
    CharlsonWeights, CohortFilter, CohortMatch, EfiBand, EfiBanding, EfiCodeList, EfiOptions,
    HfrsGroups, HospitalBand, HospitalInput, Instrument, LaceInput, LongInput, ModelSpec,
    RowCounts, ScoreOptions, ScoreResult, DEFAULT_TIER_CUTS,
};
use chrono::NaiveDate;

use crate::arrow::{export, import};
use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::calendar::carecoord_date;
use crate::error::{carecoord_result, FfiError};
use crate::text::{
    carecoord_str, out_arg, required_str_arg, slice_arg, slice_out, str_arg, string_out,
};

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
/// Made by [`carecoord_risk_charlson`], [`carecoord_risk_elixhauser`],
/// [`carecoord_risk_hfrs`] or [`carecoord_risk_efi`], freed with [`carecoord_risk_result_free`]. Holds one score per
/// patient (distinct non-NULL patient id, in order of first appearance), the category flags,
/// the rejected rows and the row counts (`rows_in = rows_scored + rows_excluded +
/// rows_rejected`). It holds no patient identifier: map patients back to your own ids with
/// [`carecoord_risk_result_first_rows`]. A handle is immutable: every accessor takes
/// `const carecoord_risk_result *` and only reads it, so one handle may be shared between
/// threads and read from several at once; it must not be freed while another thread uses it.
pub struct carecoord_risk_result {
    /// Category names, in bit order.
    categories: &'static [&'static str],
    /// Score per patient (points, tenths for HFRS, deficits for the eFI; the sentinel when
    /// unknown).
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

/// For each patient of the scores table, the first input row with its id (`patients`: the
/// id of every input row, in row order; NULL entries are `None`).
fn first_rows<'a>(
    scores: &RecordBatch,
    patients: impl IntoIterator<Item = Option<&'a str>>,
) -> Result<Vec<u64>, FfiError> {
    let ids = scores
        .column_by_name("patient_id")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| internal("scores table has no utf8 patient_id"))?;
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        index.insert(id.ok_or_else(|| internal("null patient in scores"))?, i);
    }
    let mut rows = vec![u64::MAX; ids.len()];
    if rows.is_empty() {
        return Ok(rows);
    }
    let mut found = 0;
    for (row, id) in patients.into_iter().enumerate() {
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

/// What a result handle holds for one instrument: its category names (the scores table's
/// Boolean columns, in bit order) and the Int32 column holding the score.
struct Layout {
    categories: &'static [&'static str],
    score_column: &'static str,
}

impl Kind {
    fn layout(self) -> Layout {
        Layout {
            categories: self.categories(),
            score_column: self.score_column(),
        }
    }
}

/// The eFI deficit ids, in [`efi_deficits`] order (the eFI result's categories).
static EFI_DEFICIT_IDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| efi_deficits().iter().map(|d| d.id).collect());

/// Turn a core result into a handle's contents. `patients` is the id of every input row in
/// row order. Rejects whose field starts with `medications.` are numbered after the
/// `med_offset` condition rows (eFI); other rejects keep their row.
fn result_of<'a>(
    layout: Layout,
    r: ScoreResult,
    patients: impl IntoIterator<Item = Option<&'a str>>,
    med_offset: u64,
) -> Result<carecoord_risk_result, FfiError> {
    let n = r.scores.num_rows();
    let score = r
        .scores
        .column_by_name(layout.score_column)
        .and_then(|c| c.as_primitive_opt::<Int32Type>())
        .ok_or_else(|| internal("scores table has no Int32 score"))?;
    let scores: Vec<i32> = score
        .iter()
        .map(|s| s.unwrap_or(CARECOORD_RISK_SCORE_UNKNOWN))
        .collect();
    let categories = layout.categories;
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
    let fields = r
        .rejects
        .column_by_name("field")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| internal("rejects table has no field column"))?;
    let reject_rows = r
        .rejects
        .column_by_name("row")
        .and_then(|c| c.as_primitive_opt::<UInt64Type>())
        .ok_or_else(|| internal("rejects table has no row column"))?
        .values()
        .iter()
        .zip(fields.iter())
        .map(|(&row, field)| {
            if field.is_some_and(|f| f.starts_with("medications.")) {
                row + med_offset
            } else {
                row
            }
        })
        .collect();
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
        let result = result_of(kind.layout(), kind.run(batch)?, patients.iter(), 0)?;
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
/// 109, eFI 36 deficits); 0 when `r` is NULL. [`carecoord_risk_result_flags`] needs `(categories + 63) / 64`
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
/// usable age); HFRS in **tenths** of a point (68 = 6.8); the eFI as the deficit count
/// (0-36; eFI = count / 36).
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
/// [`carecoord_risk_result_category_name`]). Charlson (17), Elixhauser (31) and the eFI (36)
/// need one word, HFRS (109 groups) two.
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
/// Elixhauser; `F00`, `G81`, ... for HFRS; `activity_limitation`, ... `polypharmacy`, ... for
/// the eFI), the same as the scores table's column name, copied NUL-terminated into `buf`;
/// `*out_len` (required) receives its length. 32 bytes always suffice.
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
/// `bad_category`); for the eFI see [`carecoord_risk_efi`].
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
        let outs = TableOuts::check(
            out_scores,
            out_scores_schema,
            out_rejects,
            out_rejects_schema,
        )?;
        let kind = instrument_arg(instrument, weights)?;
        // SAFETY: forwarded caller promises.
        let input = unsafe { import_batch(batch, schema)? };
        let result = kind.run(input)?;
        // SAFETY: forwarded caller promises.
        unsafe { outs.write(result.scores, result.rejects) }
    })
}

/// Import a struct array (one record batch), taking ownership as [`import`] does.
///
/// # Safety
///
/// As [`import`].
pub(crate) unsafe fn import_batch(
    batch: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
) -> Result<RecordBatch, FfiError> {
    // SAFETY: forwarded caller promises.
    let input = unsafe { import(batch, schema)? };
    let arrow_error = |m: &str| FfiError::new(carecoord_result::CARECOORD_RESULT_ARROW_ERROR, m);
    let input = input
        .as_struct_opt()
        .ok_or_else(|| arrow_error("the input is not a struct array (one record batch)"))?
        .clone();
    if input.null_count() != 0 {
        return Err(arrow_error(
            "the input struct array has nulls of its own: a record batch cannot",
        ));
    }
    Ok(RecordBatch::from(input))
}

/// Export a record batch as a struct array into local structs (the caller's are written only
/// once every export has succeeded).
pub(crate) fn export_local(
    batch: RecordBatch,
) -> Result<(FFI_ArrowArray, FFI_ArrowSchema), FfiError> {
    let array = StructArray::from(batch);
    let mut out = (FFI_ArrowArray::empty(), FFI_ArrowSchema::empty());
    // SAFETY: the locals are valid for writes; `export` overwrites the empty structs, which
    // own nothing.
    unsafe { export(&array, &mut out.0, &mut out.1)? };
    Ok(out)
}

/// Export a record batch and write it to the caller's out-pointers, only once the export
/// has succeeded.
///
/// # Safety
///
/// `out_array` and `out_schema` non-null (checked by the caller) and valid for writes.
pub(crate) unsafe fn export_to(
    batch: RecordBatch,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> Result<(), FfiError> {
    let (a, s) = export_local(batch)?;
    // SAFETY: the caller's promise.
    unsafe {
        std::ptr::write(out_array, a);
        std::ptr::write(out_schema, s);
    }
    Ok(())
}

/// The four checked out-pointers of a function returning a scores and a rejects table.
struct TableOuts {
    scores: *mut FFI_ArrowArray,
    scores_schema: *mut FFI_ArrowSchema,
    rejects: *mut FFI_ArrowArray,
    rejects_schema: *mut FFI_ArrowSchema,
}

impl TableOuts {
    fn check(
        scores: *mut FFI_ArrowArray,
        scores_schema: *mut FFI_ArrowSchema,
        rejects: *mut FFI_ArrowArray,
        rejects_schema: *mut FFI_ArrowSchema,
    ) -> Result<Self, FfiError> {
        Ok(Self {
            scores: out_arg(scores, "out_scores")?,
            scores_schema: out_arg(scores_schema, "out_scores_schema")?,
            rejects: out_arg(rejects, "out_rejects")?,
            rejects_schema: out_arg(rejects_schema, "out_rejects_schema")?,
        })
    }

    /// Export both tables, then write all four structs (none on failure).
    ///
    /// # Safety
    ///
    /// The four pointers must be valid for writes.
    unsafe fn write(self, scores: RecordBatch, rejects: RecordBatch) -> Result<(), FfiError> {
        let s = export_local(scores)?;
        let j = export_local(rejects)?;
        // SAFETY: all four checked non-null; the caller promises they are valid for writes.
        // Their previous contents are not dropped (uninitialised caller memory).
        unsafe {
            std::ptr::write(self.scores, s.0);
            std::ptr::write(self.scores_schema, s.1);
            std::ptr::write(self.rejects, j.0);
            std::ptr::write(self.rejects_schema, j.1);
        }
        Ok(())
    }
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

// ---- eFI over long-format rows ------------------------------------------------------------

/// Long-format rows as parallel arrays, one entry per row: the condition and medication
/// inputs of [`carecoord_risk_efi`]. The struct and the arrays it points to are borrowed for
/// the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct carecoord_risk_rows {
    /// The patient id of each row (`n` entries; NULL only when `n` is 0). An entry whose
    /// `ptr` is NULL is a null id, which rejects its row (`null_patient`).
    pub patients: *const carecoord_str,
    /// The code of each row (`n` entries; NULL only when `n` is 0): a SNOMED CT concept id
    /// for a condition, any medication code (compared as text) for a medication. An entry
    /// whose `ptr` is NULL is a null code (`null_code`).
    pub codes: *const carecoord_str,
    /// The date of each row (`n` entries), or NULL for no dates. `{0, 0, 0}` is a null date
    /// (`null_date`); a date that does not exist (30 February, month 13, a year outside
    /// 0-9999) rejects its row (`invalid_date`). Dates are read only where a window applies.
    pub dates: *const carecoord_date,
    /// The number of rows.
    pub n: usize,
}

/// A row date as the ISO text the core reads: `None` for `{0, 0, 0}`, unparsable text for a
/// date that does not exist.
fn date_text(d: carecoord_date) -> Option<String> {
    if d.year == 0 && d.month == 0 && d.day == 0 {
        return None;
    }
    Some(match NaiveDate::from_ymd_opt(d.year, d.month, d.day) {
        Some(date) if (0..=9999).contains(&d.year) => date.format("%Y-%m-%d").to_string(),
        _ => "invalid".to_string(),
    })
}

/// The table of `rows`: `patient_id`, `code` and (when `dates` is given or `need_dates`)
/// `date` as ISO text.
///
/// # Safety
///
/// The pointers of `rows` must be valid for reads of `n` entries, each non-NULL string entry
/// for `len` bytes.
unsafe fn rows_batch(
    rows: &carecoord_risk_rows,
    what: &str,
    need_dates: bool,
) -> Result<RecordBatch, FfiError> {
    let n = rows.n;
    // SAFETY: forwarded caller promises.
    let patients = unsafe { slice_arg(rows.patients, n, &format!("{what}.patients"))? };
    // SAFETY: forwarded caller promises.
    let codes = unsafe { slice_arg(rows.codes, n, &format!("{what}.codes"))? };
    // SAFETY: forwarded caller promises.
    let patients = unsafe { string_column(patients, &format!("{what}.patients"))? };
    // SAFETY: forwarded caller promises.
    let codes = unsafe { string_column(codes, &format!("{what}.codes"))? };
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("patient_id", Arc::new(patients)),
        ("code", Arc::new(codes)),
    ];
    if !rows.dates.is_null() || need_dates {
        // SAFETY: forwarded caller promise (NULL with n > 0 is refused here).
        let dates = unsafe { slice_arg(rows.dates, n, &format!("{what}.dates"))? };
        let mut b = StringBuilder::with_capacity(n, n * 10);
        for &d in dates {
            b.append_option(date_text(d));
        }
        columns.push(("date", Arc::new(b.finish())));
    }
    RecordBatch::try_from_iter(columns)
        .map_err(|e| internal(&format!("cannot build the {what} table: {e}")))
}

/// The eFI code list: NULL is the bundled illustrative list, else CSV text.
///
/// # Safety
///
/// `csv` must be NULL or valid for reads of `len` bytes.
unsafe fn codelist_arg(csv: *const c_char, len: usize) -> Result<EfiCodeList, FfiError> {
    if csv.is_null() {
        return Ok(EfiCodeList::example());
    }
    // SAFETY: forwarded caller promise.
    let text = unsafe { str_arg(csv, len, "codelist_csv")? };
    Ok(EfiCodeList::from_csv(text)?)
}

/// An optional date argument: NULL is none; a date that does not exist is refused.
///
/// # Safety
///
/// `date` must be NULL or valid for a read.
unsafe fn optional_date(
    date: *const carecoord_date,
    what: &str,
) -> Result<Option<NaiveDate>, FfiError> {
    // SAFETY: the caller promises NULL or a valid struct; `as_ref` maps NULL to None.
    let Some(d) = (unsafe { date.as_ref() }) else {
        return Ok(None);
    };
    NaiveDate::from_ymd_opt(d.year, d.month, d.day)
        .map(Some)
        .ok_or_else(|| invalid(format!("argument `{what}` is not a valid date")))
}

/// The eFI options shared by the two entry points.
///
/// # Safety
///
/// `index_date` and `lookback_days` must each be NULL or valid for a read.
unsafe fn efi_options(
    banding: u32,
    index_date: *const carecoord_date,
    lookback_days: *const u32,
    condition_dates: bool,
) -> Result<EfiOptions<'static>, FfiError> {
    let banding = banding_arg(banding)?;
    // SAFETY: forwarded caller promise.
    let index_date = unsafe { optional_date(index_date, "index_date")? };
    // SAFETY: the caller promises NULL or a valid value; `as_ref` maps NULL to None.
    let lookback_days = unsafe { lookback_days.as_ref() }.copied();
    Ok(EfiOptions {
        conditions: LongInput {
            date: condition_dates.then_some("date"),
            ..LongInput::default()
        },
        index_date,
        lookback_days,
        banding,
        ..EfiOptions::default()
    })
}

/// The electronic Frailty Index (Clegg et al., *Age Ageing* 2016) of every patient in
/// long-format SNOMED CT condition rows, with polypharmacy from optional medication rows, as
/// a [`carecoord_risk_result`] written to `*out`.
///
/// The same computation as Python's `carecoord.risk.efi`:
/// a patient has a coded deficit when any of their condition codes (SNOMED CT concept ids as
/// text) is in the code list for it; polypharmacy is present with five or more distinct
/// medication codes dated in the 12 months up to `index_date` (after `index_date` minus 12
/// calendar months, up to and including it). eFI = deficits / 36.
///
/// * `conditions` (required, borrowed): the condition rows. With `index_date` and condition
///   dates, codes dated after `index_date` (or before the `*lookback_days` days up to it)
///   are excluded, not rejected.
/// * `medications` (borrowed): the medication rows, whose `dates` are required (NULL only
///   when `n` is 0); NULL when there are none, and then polypharmacy is not assessed (its
///   flag stays 0). Medications need `index_date`.
/// * `codelist_csv`, `codelist_len`: the SNOMED CT code list as CSV text (`deficit_id,code`,
///   with a header naming the columns; other columns ignored), borrowed; NULL for the bundled
///   illustrative list, which is **not clinically complete** and undercounts frailty.
/// * `banding`: a `carecoord_efi_banding` value.
/// * `index_date` (borrowed, NULL for none), `lookback_days` (borrowed, NULL for the whole
///   record up to `index_date`; needs `index_date` and condition dates).
///
/// The result: patients in order of first appearance (conditions first, then patients found
/// only in medications); [`carecoord_risk_result_scores`] gives the deficit count (0-36;
/// band it with [`carecoord_risk_efi_band`]); the 36 categories are the deficits
/// (`activity_limitation`, ..., `polypharmacy`; one mask word). **Rows are numbered across
/// both inputs**: condition row `i` is row `i`, medication row `j` is row `conditions->n +
/// j`, in [`carecoord_risk_result_first_rows`] and [`carecoord_risk_result_reject`]. Reject
/// reasons: `null_patient`, `null_code`, `null_date`, `invalid_date`, `empty_code` (a blank
/// medication code) or the SNOMED CT rule broken (`check_digit_mismatch`, `not_a_concept`,
/// ...).
///
/// Errors: `NULL_ARGUMENT` (`conditions` or `out` NULL, an array NULL with `n` > 0),
/// `INVALID_UTF8`, `INVALID_ARGUMENT` (unknown `banding`, an `index_date` that does not
/// exist), `CARECOORD_RESULT_RISK_CODE_LIST` (a bad code list line, named in the message),
/// `CARECOORD_RESULT_RISK_INVALID_OPTION` (medications without `index_date`,
/// `lookback_days` without `index_date` or condition dates). Ownership: `*out` is written
/// only on success and owned by the caller, who frees it with
/// [`carecoord_risk_result_free`]. Thread safety: safe from any thread.
///
/// # Safety
///
/// `conditions` and `medications` must be NULL or valid, their arrays valid for `n` entries
/// and each non-NULL string entry for `len` bytes; `codelist_csv` NULL or valid for
/// `codelist_len` bytes; `index_date` and `lookback_days` NULL or valid for a read; `out`
/// valid for a write.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_risk_efi(
    conditions: *const carecoord_risk_rows,
    medications: *const carecoord_risk_rows,
    codelist_csv: *const c_char,
    codelist_len: usize,
    banding: u32,
    index_date: *const carecoord_date,
    lookback_days: *const u32,
    out: *mut *mut carecoord_risk_result,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_efi", || {
        let out = out_arg(out, "out")?;
        // SAFETY: the caller promises NULL or a valid struct; `as_ref` maps NULL to None.
        let conditions =
            unsafe { conditions.as_ref() }.ok_or_else(|| FfiError::null("conditions"))?;
        // SAFETY: as above.
        let medications = unsafe { medications.as_ref() };
        // SAFETY: forwarded caller promises.
        let opts = unsafe {
            efi_options(
                banding,
                index_date,
                lookback_days,
                !conditions.dates.is_null(),
            )?
        };
        // SAFETY: forwarded caller promise.
        let codelist = unsafe { codelist_arg(codelist_csv, codelist_len)? };
        // SAFETY: forwarded caller promises.
        let cond = unsafe { rows_batch(conditions, "conditions", false)? };
        let meds = medications
            // SAFETY: forwarded caller promises.
            .map(|m| unsafe { rows_batch(m, "medications", true) })
            .transpose()?;
        let r = carecoord::risk::efi(
            std::slice::from_ref(&cond),
            meds.as_ref().map(std::slice::from_ref),
            &codelist,
            &opts,
        )?;
        let ids = |b: &RecordBatch| b.column(0).as_string::<i32>().clone();
        let cond_ids = ids(&cond);
        let med_ids = meds.as_ref().map(ids);
        let patients = cond_ids.iter().chain(med_ids.iter().flat_map(|m| m.iter()));
        let layout = Layout {
            categories: EFI_DEFICIT_IDS.as_slice(),
            score_column: "deficits",
        };
        let result = result_of(layout, r, patients, conditions.n as u64)?;
        let handle = Box::into_raw(Box::new(result));
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out = handle };
        Ok(())
    })
}

/// The electronic Frailty Index of long-format Arrow tables, tables out: the Arrow C Data
/// Interface form of [`carecoord_risk_efi`], with the same rule, options and errors.
///
/// Inputs, each a struct array without nulls of its own (one record batch), moved into the
/// library once past the argument checks (`*conditions` and `*medications` are then marked
/// released, whether or not the call succeeds) and described by a borrowed schema:
/// `conditions`/`conditions_schema` with children `patient_id` (utf8, large_utf8, utf8_view,
/// int32 or int64), `code` (utf8, large_utf8 or utf8_view: SNOMED CT concept ids) and,
/// optionally, `date` (date32, date64, timestamp or ISO 8601 text; read when `index_date` is
/// given); `medications`/`medications_schema` (both NULL for none: polypharmacy is then not
/// assessed and its column is null) with `patient_id` (the conditions' type), `code` and
/// `date`.
///
/// Output, written only on success and owned by the caller, who must call the `release`
/// callbacks of all four: `*out_scores`/`*out_scores_schema`, a struct array with one row per
/// patient (`patient_id`, `deficits` int32, `efi` float64, `band` and `banding` utf8, then
/// one boolean column per deficit); `*out_rejects`/`*out_rejects_schema` (`row` uint64,
/// zero-based within its own input; `patient_id`; `field` utf8, medication columns prefixed
/// `medications.`; `reason` utf8). The scores schema's metadata records the code list
/// (`carecoord.codelist`), whether polypharmacy was assessed and the dates used.
///
/// Errors: as [`carecoord_risk_efi`], plus `NULL_ARGUMENT` for one of `medications` and
/// `medications_schema` NULL without the other, `ARROW_ERROR` (not a struct array, a struct
/// with nulls, an import or export failure) and `CARECOORD_RESULT_RISK_MISSING_COLUMN` /
/// `CARECOORD_RESULT_RISK_COLUMN_TYPE` for the input columns. Bad arguments (NULL, unknown
/// `banding`, a bad `index_date` or code list) are reported before the inputs are taken.
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// The input pairs must be valid Arrow C Data Interface structs for one array each (or both
/// NULL for medications); `codelist_csv` NULL or valid for `codelist_len` bytes;
/// `index_date` and `lookback_days` NULL or valid for a read; the four output pointers
/// valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_risk_efi_arrow(
    conditions: *mut FFI_ArrowArray,
    conditions_schema: *const FFI_ArrowSchema,
    medications: *mut FFI_ArrowArray,
    medications_schema: *const FFI_ArrowSchema,
    codelist_csv: *const c_char,
    codelist_len: usize,
    banding: u32,
    index_date: *const carecoord_date,
    lookback_days: *const u32,
    out_scores: *mut FFI_ArrowArray,
    out_scores_schema: *mut FFI_ArrowSchema,
    out_rejects: *mut FFI_ArrowArray,
    out_rejects_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_efi_arrow", || {
        let outs = TableOuts::check(
            out_scores,
            out_scores_schema,
            out_rejects,
            out_rejects_schema,
        )?;
        if conditions.is_null() {
            return Err(FfiError::null("conditions"));
        }
        if conditions_schema.is_null() {
            return Err(FfiError::null("conditions_schema"));
        }
        let with_meds = match (medications.is_null(), medications_schema.is_null()) {
            (true, true) => false,
            (false, false) => true,
            (true, false) => return Err(FfiError::null("medications")),
            (false, true) => return Err(FfiError::null("medications_schema")),
        };
        // SAFETY: forwarded caller promises.
        let mut opts = unsafe { efi_options(banding, index_date, lookback_days, false)? };
        // SAFETY: forwarded caller promise.
        let codelist = unsafe { codelist_arg(codelist_csv, codelist_len)? };
        // Take both inputs before anything can fail, so that both are always released.
        // SAFETY: forwarded caller promises.
        let cond = unsafe { import_batch(conditions, conditions_schema) };
        let meds = if with_meds {
            // SAFETY: forwarded caller promises.
            Some(unsafe { import_batch(medications, medications_schema) })
        } else {
            None
        };
        let cond = cond?;
        let meds = meds.transpose()?;
        if cond.schema().column_with_name("date").is_some() {
            opts.conditions.date = Some("date");
        }
        let r = carecoord::risk::efi(
            std::slice::from_ref(&cond),
            meds.as_ref().map(std::slice::from_ref),
            &codelist,
            &opts,
        )?;
        // SAFETY: forwarded caller promises.
        unsafe { outs.write(r.scores, r.rejects) }
    })
}

// ---- custom models ------------------------------------------------------------------------

/// A validated custom linear or logistic risk model. Opaque.
///
/// Made by [`carecoord_risk_model_new`] from JSON, used by [`carecoord_risk_model_apply`]
/// and [`carecoord_risk_model_predict`], freed with [`carecoord_risk_model_free`]. Immutable:
/// one handle may be used from several threads at once; it must not be freed while another
/// thread uses it.
pub struct carecoord_risk_model {
    spec: ModelSpec,
}

/// Load and validate a custom model from JSON, as a [`carecoord_risk_model`] written to
/// `*out`.
///
/// The format (that of Python's `carecoord.risk.model`):
/// `{"name": "readmission-local-v1", "kind": "logistic", "intercept": -3.2, "terms":
/// [{"feature": "charlson", "weight": 0.4}, {"feature": "age", "weight": 0.03, "transform":
/// {"min": 18}}, {"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}`. A term's value is
/// `(clamp(x, min, max or cap) - center) / scale`; the linear predictor is `intercept + sum
/// of weight * value`; a logistic model also gives `1 / (1 + exp(-linear predictor))`.
///
/// `spec_json` (borrowed, `spec_len` bytes, UTF-8, not necessarily NUL-terminated).
///
/// Errors: `NULL_ARGUMENT` (`spec_json` or `out` NULL), `INVALID_UTF8`,
/// `CARECOORD_RESULT_RISK_MODEL_SPEC` (the message names the JSON path of the first problem,
/// e.g. `terms[1].wieght`). Ownership: `*out` is written only on success and owned by the
/// caller, who frees it with [`carecoord_risk_model_free`]. Thread safety: safe from any
/// thread.
///
/// # Safety
///
/// `spec_json` must be valid for reads of `spec_len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_model_new(
    spec_json: *const c_char,
    spec_len: usize,
    out: *mut *mut carecoord_risk_model,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_model_new", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let text = unsafe { required_str_arg(spec_json, spec_len, "spec_json")? };
        let spec = ModelSpec::from_json(text)?;
        let handle = Box::into_raw(Box::new(carecoord_risk_model { spec }));
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Free a model handle. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle.
///
/// # Safety
///
/// `model` must be NULL or a handle from [`carecoord_risk_model_new`] not yet freed.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_model_free(model: *mut carecoord_risk_model) {
    ffi_boundary_or("carecoord_risk_model_free", (), || {
        if !model.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw in
            // carecoord_risk_model_new, not freed before and not in use elsewhere.
            drop(unsafe { Box::from_raw(model) });
        }
    })
}

/// Borrow the model behind a handle.
///
/// # Safety
///
/// `model` must be NULL or a live handle.
unsafe fn model_arg<'a>(model: *const carecoord_risk_model) -> Result<&'a ModelSpec, FfiError> {
    // SAFETY: the caller promises a NULL or live handle; `as_ref` maps NULL to None.
    unsafe { model.as_ref() }
        .map(|m| &m.spec)
        .ok_or_else(|| FfiError::null("model"))
}

/// Apply a model to every row of a patient-level table given as an Arrow C Data Interface
/// struct array (one record batch), tables out.
///
/// Input: `batch` (moved: once past the argument checks the library owns the data, whether
/// or not the call succeeds, and `*batch` is marked released) described by `schema`
/// (borrowed), with the id column and one column per term's feature (any integer or
/// floating-point type, boolean, or text holding numbers). `id_column` (borrowed,
/// `id_len` bytes) names the id column (utf8, large_utf8, utf8_view, int32 or int64); NULL
/// means `patient_id`. A row whose id or a feature is null, not a number or not finite is
/// rejected, naming the first bad column.
///
/// Output, written only on success and owned by the caller, who must call the `release`
/// callbacks of all four: `*out_scores`/`*out_scores_schema` (`patient_id`,
/// `linear_predictor` float64 and, for a logistic model, `probability` float64, in input
/// order); `*out_rejects`/`*out_rejects_schema` (`row` uint64, `patient_id`, `field`,
/// `reason`: `null_patient`, `null_value`, `not_a_number`, `not_finite`).
///
/// Errors: `NULL_ARGUMENT` (`model`, `batch`, `schema` or an output NULL), `INVALID_UTF8`
/// (`id_column`), `ARROW_ERROR` (not a struct array, a struct with nulls, an import or
/// export failure), `CARECOORD_RESULT_RISK_MISSING_COLUMN` and
/// `CARECOORD_RESULT_RISK_COLUMN_TYPE` (naming the column). Thread safety: safe from any
/// thread, also on a shared model.
///
/// # Safety
///
/// `model` must be NULL or a live handle; `batch`/`schema` valid Arrow C Data Interface
/// structs for one array; `id_column` NULL or valid for `id_len` bytes; the four output
/// pointers valid for writes.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_risk_model_apply(
    model: *const carecoord_risk_model,
    batch: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    id_column: *const c_char,
    id_len: usize,
    out_scores: *mut FFI_ArrowArray,
    out_scores_schema: *mut FFI_ArrowSchema,
    out_rejects: *mut FFI_ArrowArray,
    out_rejects_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_model_apply", || {
        let outs = TableOuts::check(
            out_scores,
            out_scores_schema,
            out_rejects,
            out_rejects_schema,
        )?;
        // SAFETY: forwarded caller promise.
        let spec = unsafe { model_arg(model)? };
        let id = if id_column.is_null() {
            "patient_id"
        } else {
            // SAFETY: non-null; the caller promises `id_len` readable bytes.
            unsafe { str_arg(id_column, id_len, "id_column")? }
        };
        // SAFETY: forwarded caller promises.
        let input = unsafe { import_batch(batch, schema)? };
        let r = spec.apply_with_id(&input, id)?;
        // SAFETY: forwarded caller promises.
        unsafe { outs.write(r.scores, r.rejects) }
    })
}

/// The model's result for one person, given `n` feature values by name: the linear
/// predictor into `*out_linear_predictor` and, for a logistic model, the probability into
/// `*out_probability` (NaN for a linear model).
///
/// `features[i]` (borrowed, UTF-8) names the feature whose value is `values[i]`; features the
/// model does not use are ignored. `out_probability` may be NULL when not wanted.
///
/// Errors: `NULL_ARGUMENT` (`model` or `out_linear_predictor` NULL, `features` or `values`
/// NULL with `n` > 0, or a NULL feature name), `INVALID_UTF8`,
/// `CARECOORD_RESULT_RISK_MISSING_COLUMN` (a term's feature is not given, named in the
/// message), `CARECOORD_RESULT_RISK_INVALID_OPTION` (a value that is not finite). Ownership:
/// the outputs are written only on success. Thread safety: safe from any thread, also on a
/// shared model.
///
/// # Safety
///
/// `model` must be NULL or a live handle; `features` and `values` valid for reads of `n`
/// entries (each non-NULL name for `len` bytes); the output pointers NULL or valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_model_predict(
    model: *const carecoord_risk_model,
    features: *const carecoord_str,
    values: *const f64,
    n: usize,
    out_linear_predictor: *mut f64,
    out_probability: *mut f64,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_model_predict", || {
        // SAFETY: forwarded caller promise.
        let spec = unsafe { model_arg(model)? };
        let out_lp = out_arg(out_linear_predictor, "out_linear_predictor")?;
        // SAFETY: forwarded caller promise.
        let names = unsafe { slice_arg(features, n, "features")? };
        // SAFETY: forwarded caller promise.
        let values = unsafe { slice_arg(values, n, "values")? };
        let mut pairs: Vec<(&str, f64)> = Vec::with_capacity(n);
        for (i, (name, &v)) in names.iter().zip(values).enumerate() {
            let what = format!("features[{i}]");
            // SAFETY: forwarded caller promise.
            let name = unsafe { required_str_arg(name.ptr, name.len, &what)? };
            pairs.push((name, v));
        }
        let p = spec.predict(&pairs)?;
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out_lp = p.linear_predictor };
        if !out_probability.is_null() {
            // SAFETY: non-null; the caller promises it is valid for a write.
            unsafe { *out_probability = p.probability.unwrap_or(f64::NAN) };
        }
        Ok(())
    })
}

// ---- population tiers ---------------------------------------------------------------------

/// Population risk tiers of `n` people: `out_tiers[i]` (1 = highest risk), and optionally
/// `out_ranks[i]` (1 = highest score) and `out_ties[i]`, for the person with score
/// `scores[i]`, in input order.
///
/// The rule of Python's `carecoord.risk.tiers`: sort by
/// score, highest first, ties broken by id (byte order) or, when `ids` is NULL, by position
/// (the earlier first). With cumulative cuts `c1 < c2 < ...` (`cuts`, `n_cuts` fractions in
/// (0, 1]), the first `ceil(n * c1)` people are tier 1, the rest up to `ceil(n * c2)` tier 2,
/// and so on; everyone after the last cut is in tier `n_cuts + 1`. A product within one part
/// in 10^9 of a whole number counts as that number. `cuts` NULL with `n_cuts` 0 means the
/// default 0.005, 0.05, 0.20 (top 0.5%, 5%, 20%). `out_ties[i]` is true when someone with
/// exactly the same score is in another tier (the cut between them was arbitrary).
///
/// `ids` (borrowed, `n` entries, or NULL): each person's id, UTF-8; ids must be distinct and
/// non-NULL. `scores` (borrowed, `n` finite values). `out_tiers` (required when `n` > 0),
/// `out_ranks` and `out_ties` (NULL when not wanted): caller arrays of `n` entries.
///
/// Errors: `NULL_ARGUMENT` (`scores` or `out_tiers` NULL with `n` > 0, `cuts` NULL with
/// `n_cuts` > 0, an `ids` entry NULL), `INVALID_UTF8`, `CARECOORD_RESULT_RISK_INVALID_OPTION`
/// (cuts empty, more than 254, outside (0, 1] or not increasing; a score NaN or infinite;
/// two equal ids; the message gives positions, never ids). Ownership: the output arrays are
/// the caller's, written only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `ids` must be NULL or valid for reads of `n` entries (each non-NULL entry for `len`
/// bytes); `scores` valid for `n` values; `cuts` for `n_cuts`; each non-NULL output for
/// writes of `n` values.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn carecoord_risk_tiers(
    ids: *const carecoord_str,
    scores: *const f64,
    n: usize,
    cuts: *const f64,
    n_cuts: usize,
    out_tiers: *mut i32,
    out_ranks: *mut u64,
    out_ties: *mut bool,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_tiers", || {
        // SAFETY: forwarded caller promise.
        let scores = unsafe { slice_arg(scores, n, "scores")? };
        let cuts: &[f64] = if cuts.is_null() && n_cuts == 0 {
            &DEFAULT_TIER_CUTS
        } else {
            // SAFETY: forwarded caller promise.
            unsafe { slice_arg(cuts, n_cuts, "cuts")? }
        };
        // Check every output before writing any.
        // SAFETY: forwarded caller promise.
        let tiers_out = unsafe { slice_out(out_tiers, n, "out_tiers")? };
        let assigned = if ids.is_null() {
            tiers_by_position(scores, cuts)?
        } else {
            // SAFETY: non-null; the caller promises `n` readable entries.
            let entries = unsafe { slice_arg(ids, n, "ids")? };
            let mut names: Vec<&str> = Vec::with_capacity(n);
            for (i, e) in entries.iter().enumerate() {
                let what = format!("ids[{i}]");
                // SAFETY: forwarded caller promise.
                names.push(unsafe { required_str_arg(e.ptr, e.len, &what)? });
            }
            tiers(&names, scores, cuts)?
        };
        for (o, a) in tiers_out.iter_mut().zip(&assigned) {
            *o = i32::from(a.tier);
        }
        if !out_ranks.is_null() {
            // SAFETY: non-null; the caller promises `n` writable values.
            let ranks = unsafe { slice_out(out_ranks, n, "out_ranks")? };
            for (o, a) in ranks.iter_mut().zip(&assigned) {
                *o = a.rank as u64;
            }
        }
        if !out_ties.is_null() {
            // SAFETY: non-null; the caller promises `n` writable values.
            let ties = unsafe { slice_out(out_ties, n, "out_ties")? };
            for (o, a) in ties.iter_mut().zip(&assigned) {
                *o = a.tie_at_boundary;
            }
        }
        Ok(())
    })
}

// ---- cohort filters -------------------------------------------------------------------------

/// A cohort filter's JSON argument, parsed.
///
/// # Safety
///
/// `spec` must be valid for reads of `len` bytes (checked for NULL here).
unsafe fn cohort_arg(spec: *const c_char, len: usize) -> Result<CohortFilter, FfiError> {
    // SAFETY: forwarded caller promise.
    let text = unsafe { required_str_arg(spec, len, "spec_json")? };
    Ok(CohortFilter::from_json(text)?)
}

/// Case finding: the rows of a patient-level table that meet a cohort filter, as an Arrow C
/// Data Interface struct array with a `reasons` column.
///
/// `spec_json` (borrowed, `spec_len` bytes, UTF-8) is the filter as JSON (the form of
/// Python's `carecoord.risk.CohortFilter.from_json`), every field optional: `{"id_column":
/// "patient_id", "age": {"column": "age", "min": 75, "max": 120}, "practice": {"column":
/// "practice", "in": ["SYN001"]}, "registers": ["palliative"], "bands": [{"column":
/// "efi_band", "in": ["moderate", "severe"]}], "scores": [{"column": "lace", "at_least":
/// 10}], "not_on_caseload": "on_caseload", "not_on_caseload_ids": ["p17"], "no_contact":
/// {"column": "last_contact", "days": 90, "index_date": "2026-11-23"}, "sort_by": "lace",
/// "labels": {"efi_band": "eFI"}}`. All criteria must hold; a null value fails a criterion,
/// except that a null caseload flag counts as not on a caseload and a null last contact as
/// never contacted.
///
/// Input: `batch` (moved once past the argument checks, as for
/// [`carecoord_risk_model_apply`]) described by `schema` (borrowed). Output, written only on
/// success and owned by the caller, who must call both `release` callbacks:
/// `*out`/`*out_schema`, a struct array with every input column for the selected rows, then
/// `reasons` (utf8: the criteria met, e.g. `age 82; eFI severe; no contact 120 days`), sorted
/// by `sort_by` (highest first) or else by id.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`, `CARECOORD_RESULT_RISK_COHORT_SPEC` (the message
/// names the JSON path; the input is not taken), `ARROW_ERROR`,
/// `CARECOORD_RESULT_RISK_MISSING_COLUMN`, `CARECOORD_RESULT_RISK_COLUMN_TYPE`,
/// `CARECOORD_RESULT_RISK_INVALID_OPTION` (an input that already has a `reasons` column).
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `spec_json` must be valid for reads of `spec_len` bytes; `batch`/`schema` valid Arrow C
/// Data Interface structs for one array; `out` and `out_schema` valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_cohort_arrow(
    spec_json: *const c_char,
    spec_len: usize,
    batch: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_cohort_arrow", || {
        let out = out_arg(out, "out")?;
        let out_schema = out_arg(out_schema, "out_schema")?;
        // SAFETY: forwarded caller promise.
        let filter = unsafe { cohort_arg(spec_json, spec_len)? };
        // SAFETY: forwarded caller promises.
        let input = unsafe { import_batch(batch, schema)? };
        // SAFETY: both checked non-null; the caller promises they are valid for writes.
        unsafe { export_to(filter.apply(&input)?, out, out_schema) }
    })
}

/// The rows a cohort filter selects, without the data: zero-based input row numbers and
/// reasons, in output order. Opaque.
///
/// Made by [`carecoord_risk_cohort_select`], read with [`carecoord_risk_selection_len`],
/// [`carecoord_risk_selection_rows`] and [`carecoord_risk_selection_reasons`], freed with
/// [`carecoord_risk_selection_free`]. Immutable: may be read from several threads at once.
pub struct carecoord_risk_selection {
    rows: Vec<u64>,
    reasons: Vec<String>,
}

/// Case finding without copying data out: which rows of a patient-level table meet a cohort
/// filter, and why, as a [`carecoord_risk_selection`] written to `*out`.
///
/// `spec_json`, `batch` and `schema`, the rule, the order and the errors are those of
/// [`carecoord_risk_cohort_arrow`]. Ownership: `*out` is written only on success and owned
/// by the caller, who frees it with [`carecoord_risk_selection_free`]. Thread safety: safe
/// from any thread.
///
/// # Safety
///
/// As [`carecoord_risk_cohort_arrow`]; `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_cohort_select(
    spec_json: *const c_char,
    spec_len: usize,
    batch: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out: *mut *mut carecoord_risk_selection,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_cohort_select", || {
        let out = out_arg(out, "out")?;
        // SAFETY: forwarded caller promise.
        let filter = unsafe { cohort_arg(spec_json, spec_len)? };
        // SAFETY: forwarded caller promises.
        let input = unsafe { import_batch(batch, schema)? };
        let picked = filter.select(std::slice::from_ref(&input))?;
        let (rows, reasons) = picked
            .into_iter()
            .map(|m: CohortMatch| (m.row as u64, m.reasons))
            .unzip();
        let handle = Box::into_raw(Box::new(carecoord_risk_selection { rows, reasons }));
        // SAFETY: checked non-null; the caller promises it is valid for a write.
        unsafe { *out = handle };
        Ok(())
    })
}

/// Borrow the selection behind a handle.
///
/// # Safety
///
/// `selection` must be NULL or a live handle.
unsafe fn selection_arg<'a>(
    selection: *const carecoord_risk_selection,
) -> Result<&'a carecoord_risk_selection, FfiError> {
    // SAFETY: the caller promises a NULL or live handle; `as_ref` maps NULL to None.
    unsafe { selection.as_ref() }.ok_or_else(|| FfiError::null("selection"))
}

/// The number of selected rows; 0 when `selection` is NULL.
///
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `selection` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_selection_len(
    selection: *const carecoord_risk_selection,
) -> usize {
    ffi_boundary_or("carecoord_risk_selection_len", 0, || {
        // SAFETY: forwarded caller promise.
        unsafe { selection_arg(selection) }.map_or(0, |s| s.rows.len())
    })
}

/// The zero-based input row of each selected row, in output order, copied into
/// `out[0..len)`.
///
/// `n` is the capacity of `out`; below [`carecoord_risk_selection_len`] it is
/// `BUFFER_TOO_SMALL` and nothing is written. `NULL_ARGUMENT` when `selection` is NULL, or
/// `out` is NULL and rows were selected. Ownership: `out` is the caller's. Thread safety:
/// safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `selection` must be NULL or a live handle; `out` valid for writes of `n` values.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_selection_rows(
    selection: *const carecoord_risk_selection,
    out: *mut u64,
    n: usize,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_selection_rows", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { selection_arg(selection)? };
        if n < s.rows.len() {
            return Err(FfiError::new(
                carecoord_result::CARECOORD_RESULT_BUFFER_TOO_SMALL,
                format!("output array too small: {} entries needed", s.rows.len()),
            ));
        }
        // SAFETY: forwarded caller promise (`out` NULL only allowed with no rows).
        let dest = unsafe { slice_out(out, s.rows.len(), "out")? };
        dest.copy_from_slice(&s.rows);
        Ok(())
    })
}

/// The reasons of selected row `i` (0 <= `i` < [`carecoord_risk_selection_len`]), the
/// criteria met in plain words (`age 82; eFI severe; no contact 120 days`), copied
/// NUL-terminated into `buf`; `*out_len` (required) receives the length without the NUL.
///
/// Errors: `NULL_ARGUMENT` (`selection` or `out_len` NULL), `INVALID_ARGUMENT` (`i` out of
/// range), `BUFFER_TOO_SMALL` (with `*out_len` set). Ownership: `buf` is the caller's.
/// Thread safety: safe from any thread, also on a shared handle.
///
/// # Safety
///
/// `selection` must be NULL or a live handle; `buf` valid for writes of `buf_len` bytes;
/// `out_len` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_selection_reasons(
    selection: *const carecoord_risk_selection,
    i: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_risk_selection_reasons", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { selection_arg(selection)? };
        let reasons = s
            .reasons
            .get(i)
            .ok_or_else(|| invalid("argument `i` is not a row of this selection"))?;
        // SAFETY: forwarded caller promises.
        unsafe { string_out(reasons, buf, buf_len, out_len) }
    })
}

/// Free a selection handle. NULL does nothing.
///
/// Ownership: takes back the handle; it must not be used again. Thread safety: must not run
/// while another thread is using the same handle.
///
/// # Safety
///
/// `selection` must be NULL or a handle from [`carecoord_risk_cohort_select`] not yet freed.
#[no_mangle]
pub unsafe extern "C" fn carecoord_risk_selection_free(selection: *mut carecoord_risk_selection) {
    ffi_boundary_or("carecoord_risk_selection_free", (), || {
        if !selection.is_null() {
            // SAFETY: the caller promises a live handle made by Box::into_raw in
            // carecoord_risk_cohort_select, not freed before and not in use elsewhere.
            drop(unsafe { Box::from_raw(selection) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use carecoord::risk::RiskError;

    /// Each risk error's C result is `CARECOORD_RESULT_RISK_` + its core `code()` in upper
    /// case, so the C and Python codes name the same thing.
    #[test]
    fn c_codes_follow_core_codes() {
        let all = [
            RiskError::MissingColumn { column: "a".into() },
            RiskError::ColumnType {
                column: "a".into(),
                expected: "strings",
                found: "Int64".into(),
            },
            RiskError::InvalidOption {
                option: "cuts",
                reason: "x".into(),
            },
            RiskError::CodeList {
                line: 1,
                reason: "x".into(),
            },
            RiskError::ModelSpec {
                path: "$".into(),
                reason: "x".into(),
            },
            RiskError::CohortSpec {
                path: "$".into(),
                reason: "x".into(),
            },
            RiskError::Arrow("x".into()),
        ];
        for e in all {
            let want = format!("CARECOORD_RESULT_RISK_{}", e.code().to_ascii_uppercase());
            let code = FfiError::from(e).code;
            // SAFETY: carecoord_result_name returns a static NUL-terminated string.
            let name = unsafe {
                std::ffi::CStr::from_ptr(crate::error::carecoord_result_name(code as i32))
            };
            assert_eq!(name.to_str().unwrap(), want);
        }
    }

    /// The documented buffer sizes: category names fit in 32 bytes with the NUL.
    #[test]
    fn category_names_fit() {
        let all = [
            Kind::Charlson(CharlsonWeights::Charlson1987).categories(),
            Kind::Elixhauser.categories(),
            Kind::Hfrs.categories(),
            EFI_DEFICIT_IDS.as_slice(),
        ];
        assert_eq!(EFI_DEFICIT_IDS.len(), 36);
        for names in all {
            assert!(names.iter().all(|n| n.len() < 32));
        }
    }

    #[test]
    fn row_dates() {
        let d = |year, month, day| carecoord_date { year, month, day };
        assert_eq!(date_text(d(0, 0, 0)), None);
        assert_eq!(date_text(d(2026, 11, 23)).as_deref(), Some("2026-11-23"));
        assert_eq!(date_text(d(2026, 2, 30)).as_deref(), Some("invalid"));
        assert_eq!(date_text(d(-5, 1, 1)).as_deref(), Some("invalid"));
        assert_eq!(date_text(d(10_000, 1, 1)).as_deref(), Some("invalid"));
    }
}
