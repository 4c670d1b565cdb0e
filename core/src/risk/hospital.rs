//! The HOSPITAL score for potentially avoidable 30-day readmission.
//!
//! Source: Donzé J, Aujesky D, Williams D, Schnipper JL. Potentially avoidable 30-day hospital
//! readmissions in medical patients: derivation and validation of a prediction model. *JAMA
//! Intern Med* 2013;173(8):632-638, the HOSPITAL score point table (as reproduced publicly;
//! DOMAIN.md 2.14). Risk groups as in the paper: low 0-4, intermediate 5-6, high 7-13.
//!
//! | letter | item (at discharge unless stated) | points |
//! |---|---|---|
//! | H | haemoglobin < 12 g/dL | 1 |
//! | O | discharge from an oncology service | 2 |
//! | S | sodium < 135 mmol/L | 1 |
//! | P | any procedure during the stay | 1 |
//! | I | index admission urgent or emergent | 1 |
//! | T | admissions in the previous 12 months: 0-1, 2-5, > 5 | 0, 2, 5 |
//! | AL | length of stay >= 5 days (midnights) | 2 |
//!
//! UK laboratories report haemoglobin in g/L (120 g/L = 12 g/dL). The scalar input is in
//! g/dL as in the paper; the batch function takes a [`HaemoglobinUnit`]. Because a g/L value
//! read as g/dL (or the reverse) would silently score 0 (or 1) for everyone, values outside
//! the range a unit allows are refused: above 30 g/dL, or below 30 g/L.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field};
use rustc_hash::FxHashSet;

use super::lace::{constant, los_or_reject, or_reject, StayKeys};
use super::model::columns::{column, metadata, reason, record_batch, At, Col, ColKinds, Rejects};
use super::{LosConvention, RiskError, RowCounts, ScoreResult};

/// Haemoglobin above this many g/dL is taken as a unit mistake (a g/L value).
const MAX_HB_G_DL: f64 = 30.0;

/// Reason code: a haemoglobin outside the range its unit allows (probably the other unit).
const IMPLAUSIBLE_HB: &str = "implausible_for_unit";

/// The facts of one hospital stay that the HOSPITAL score needs.
///
/// Source: Donzé J, Aujesky D, Williams D, Schnipper JL. *JAMA Intern Med*
/// 2013;173(8):632-638, the HOSPITAL score point table (DOMAIN.md 2.14): haemoglobin
/// < 12 g/dL at discharge 1; discharge from oncology 2; sodium < 135 mmol/L 1; procedure
/// during the stay 1; urgent or emergent index admission 1; admissions in the previous 12
/// months 0-1: 0, 2-5: 2, > 5: 5; length of stay >= 5 days 2. Total 0-13: low 0-4,
/// intermediate 5-6, high 7+ ([`HospitalBand`]).
///
/// `Default` gives zeros and `false` everywhere, including the laboratory values (which
/// would then score H and S): always set `haemoglobin_g_dl` and `sodium_mmol_l`.
///
/// ```
/// use carecoord::risk::HospitalInput;
/// let stay = HospitalInput {
///     haemoglobin_g_dl: 11.9, oncology_discharge: false, sodium_mmol_l: 138.0,
///     procedure: true, urgent_admission: true, admissions_12m: 2, los_days: 5,
/// };
/// // H 1 + P 1 + I 1 + T 2 + AL 2 = 7: high risk.
/// assert_eq!(stay.score()?.total, 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HospitalInput {
    /// Last haemoglobin before discharge, g/dL (g/L ÷ 10).
    pub haemoglobin_g_dl: f64,
    /// Discharged from an oncology service.
    pub oncology_discharge: bool,
    /// Last sodium before discharge, mmol/L.
    pub sodium_mmol_l: f64,
    /// Any (ICD-coded) procedure during the stay.
    pub procedure: bool,
    /// The index admission was urgent or emergent.
    pub urgent_admission: bool,
    /// Hospital admissions in the 12 months before the index admission.
    pub admissions_12m: u32,
    /// Length of stay in midnights ([`LosConvention::Midnights`]).
    pub los_days: u32,
}

/// HOSPITAL risk group (Donzé 2013).
///
/// ```
/// use carecoord::risk::HospitalBand;
/// assert_eq!(HospitalBand::from_total(6), HospitalBand::Intermediate);
/// assert_eq!(HospitalBand::High.as_str(), "high");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HospitalBand {
    /// 0-4 points.
    Low,
    /// 5-6 points.
    Intermediate,
    /// 7 points or more.
    High,
}

impl HospitalBand {
    /// The band of a total: low 0-4, intermediate 5-6, high 7+.
    ///
    /// ```
    /// use carecoord::risk::HospitalBand;
    /// assert_eq!(HospitalBand::from_total(4), HospitalBand::Low);
    /// assert_eq!(HospitalBand::from_total(7), HospitalBand::High);
    /// ```
    pub fn from_total(total: u8) -> Self {
        match total {
            0..=4 => Self::Low,
            5..=6 => Self::Intermediate,
            _ => Self::High,
        }
    }

    /// `low`, `intermediate` or `high`, as written in outputs.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::HospitalBand::Low.as_str(), "low");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Intermediate => "intermediate",
            Self::High => "high",
        }
    }
}

/// A HOSPITAL result with the points of each item.
///
/// ```
/// use carecoord::risk::{HospitalBand, HospitalInput};
/// let s = HospitalInput { haemoglobin_g_dl: 13.0, sodium_mmol_l: 140.0, ..Default::default() }.score()?;
/// assert_eq!((s.total, s.band), (0, HospitalBand::Low));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HospitalScore {
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
    /// Risk group of the total.
    pub band: HospitalBand,
}

fn bad_input(option: &'static str, reason: &str) -> RiskError {
    RiskError::InvalidOption {
        option,
        reason: reason.to_string(),
    }
}

fn points(hb_low: bool, sodium_low: bool, input: &HospitalInput) -> HospitalScore {
    let haemoglobin = u8::from(hb_low);
    let oncology = 2 * u8::from(input.oncology_discharge);
    let sodium = u8::from(sodium_low);
    let procedure = u8::from(input.procedure);
    let index_admission = u8::from(input.urgent_admission);
    let admissions = match input.admissions_12m {
        0..=1 => 0,
        2..=5 => 2,
        _ => 5,
    };
    let length_of_stay = if input.los_days >= 5 { 2 } else { 0 };
    let total =
        haemoglobin + oncology + sodium + procedure + index_admission + admissions + length_of_stay;
    HospitalScore {
        total,
        haemoglobin,
        oncology,
        sodium,
        procedure,
        index_admission,
        admissions,
        length_of_stay,
        band: HospitalBand::from_total(total),
    }
}

impl HospitalInput {
    /// The HOSPITAL score of this stay.
    ///
    /// # Errors
    ///
    /// [`RiskError::InvalidOption`] naming `haemoglobin_g_dl` or `sodium_mmol_l` when the
    /// value is not finite or is negative, or when haemoglobin is above 30 g/dL (a g/L value).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::{HospitalBand, HospitalInput};
    /// let s = HospitalInput {
    ///     haemoglobin_g_dl: 12.0, sodium_mmol_l: 134.9, oncology_discharge: true,
    ///     admissions_12m: 6, ..Default::default()
    /// }.score()?;
    /// // H 0 (12.0 is not < 12) + O 2 + S 1 + T 5 = 8.
    /// assert_eq!((s.total, s.band), (8, HospitalBand::High));
    /// assert!(HospitalInput { haemoglobin_g_dl: 118.0, sodium_mmol_l: 140.0, ..Default::default() }.score().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn score(&self) -> Result<HospitalScore, RiskError> {
        let hb = self.haemoglobin_g_dl;
        if !hb.is_finite() || hb < 0.0 {
            return Err(bad_input(
                "haemoglobin_g_dl",
                "must be a finite number, not negative",
            ));
        }
        if hb > MAX_HB_G_DL {
            return Err(bad_input(
                "haemoglobin_g_dl",
                "above 30 g/dL: was a g/L value given? (divide by 10)",
            ));
        }
        let na = self.sodium_mmol_l;
        if !na.is_finite() || na < 0.0 {
            return Err(bad_input(
                "sodium_mmol_l",
                "must be a finite number, not negative",
            ));
        }
        Ok(points(hb < 12.0, na < 135.0, self))
    }
}

/// The unit of a haemoglobin column.
///
/// ```
/// use carecoord::risk::HaemoglobinUnit;
/// assert_eq!(HaemoglobinUnit::default(), HaemoglobinUnit::GramsPerDecilitre);
/// assert_eq!(HaemoglobinUnit::GramsPerLitre.as_str(), "g/L");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HaemoglobinUnit {
    /// g/dL, as in the paper (threshold 12; values above 30 are refused).
    #[default]
    GramsPerDecilitre,
    /// g/L, as UK laboratories report (threshold 120; values below 30 are refused).
    GramsPerLitre,
}

impl HaemoglobinUnit {
    /// `g/dL` or `g/L`.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::HaemoglobinUnit::GramsPerDecilitre.as_str(), "g/dL");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::GramsPerDecilitre => "g/dL",
            Self::GramsPerLitre => "g/L",
        }
    }

    /// `Some(low)` (below the 12 g/dL threshold) for a plausible value in this unit, else
    /// `None`.
    fn low(&self, v: f64) -> Option<bool> {
        match self {
            Self::GramsPerDecilitre => (v <= MAX_HB_G_DL).then_some(v < 12.0),
            // Compared in g/L so that 120 is not 119.99999 after a division.
            Self::GramsPerLitre => (v >= MAX_HB_G_DL).then_some(v < 120.0),
        }
    }
}

/// Column names, haemoglobin unit and LOS convention for [`hospital`].
///
/// Defaults: `patient_id`, no stay id, `haemoglobin_g_dl` in g/dL, `oncology_discharge`,
/// `sodium_mmol_l`, `procedure`, `urgent_admission`, `admissions_12m`, `los_days` in
/// midnights.
///
/// ```
/// use carecoord::risk::{HaemoglobinUnit, HospitalColumns};
/// let cols = HospitalColumns {
///     haemoglobin: "hb_g_l".into(),
///     haemoglobin_unit: HaemoglobinUnit::GramsPerLitre,
///     ..Default::default()
/// };
/// assert_eq!(cols.sodium, "sodium_mmol_l");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalColumns {
    /// Patient identifier (pseudonym) column: strings or integers.
    pub patient_id: String,
    /// Optional stay (spell) identifier column, copied to the output.
    pub stay_id: Option<String>,
    /// Haemoglobin at discharge: integers or floats, in `haemoglobin_unit`.
    pub haemoglobin: String,
    /// Unit of the haemoglobin column.
    pub haemoglobin_unit: HaemoglobinUnit,
    /// Discharged from oncology: Boolean, or 0/1.
    pub oncology_discharge: String,
    /// Sodium at discharge, mmol/L: integers or floats.
    pub sodium: String,
    /// Procedure during the stay: Boolean, or 0/1.
    pub procedure: String,
    /// Urgent or emergent index admission: Boolean, or 0/1.
    pub urgent_admission: String,
    /// Admissions in the previous 12 months: integers, or whole floats.
    pub admissions_12m: String,
    /// Length of stay in days: integers, or whole floats.
    pub los_days: String,
    /// How `los_days` was counted.
    pub los_convention: LosConvention,
}

impl Default for HospitalColumns {
    fn default() -> Self {
        Self {
            patient_id: "patient_id".into(),
            stay_id: None,
            haemoglobin: "haemoglobin_g_dl".into(),
            haemoglobin_unit: HaemoglobinUnit::GramsPerDecilitre,
            oncology_discharge: "oncology_discharge".into(),
            sodium: "sodium_mmol_l".into(),
            procedure: "procedure".into(),
            urgent_admission: "urgent_admission".into(),
            admissions_12m: "admissions_12m".into(),
            los_days: "los_days".into(),
            los_convention: LosConvention::Midnights,
        }
    }
}

/// A measurement that must be a finite, non-negative number.
fn measurement(col: &Col<'_>, i: usize) -> Result<Option<f64>, &'static str> {
    match col.number(i)? {
        Some(v) if v < 0.0 => Err(reason::NEGATIVE),
        v => Ok(v),
    }
}

/// The HOSPITAL score (Donzé et al., *JAMA Intern Med* 2013; see [`HospitalInput`]) for
/// every stay in a stay-level Arrow table.
///
/// One output row per scored stay, in input order. A stay whose patient id or any item is
/// null, NaN, infinite or negative, whose count is not a whole number, whose flag is not
/// Boolean/0/1, or whose haemoglobin is implausible for the stated unit goes to the rejects
/// table with its row and field; rows in = rows scored + rows rejected.
///
/// * `scores`: `row` (UInt64, zero-based across all batches), `patient_id` (the input's
///   type), `stay_id` (only when [`HospitalColumns::stay_id`] is set), `h`, `o`, `s`, `p`,
///   `i`, `t`, `al`, `hospital` (Int32), `band` (Utf8: `low`, `intermediate`, `high`),
///   `los_convention` (Utf8).
/// * `rejects`: `row`, `patient_id`, `field`, `reason` as for [`lace`](crate::risk::lace),
///   plus the reason `implausible_for_unit`.
/// * Schema metadata: `carecoord.instrument` = `hospital`, `carecoord.weights` =
///   `donze2013`, `carecoord.haemoglobin_unit`, `carecoord.los_convention`, ...
///
/// # Errors
///
/// [`RiskError::MissingColumn`] for a missing column; [`RiskError::ColumnType`] for a
/// column of the wrong Arrow type; [`RiskError::Arrow`] when the id columns of the batches
/// differ in type.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray};
/// use carecoord::risk::{hospital, HaemoglobinUnit, HospitalColumns};
///
/// let stays = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["p1", "p2"])) as _),
///     ("hb", Arc::new(Float64Array::from(vec![119.0, f64::NAN])) as _),
///     ("oncology_discharge", Arc::new(BooleanArray::from(vec![false, false])) as _),
///     ("sodium_mmol_l", Arc::new(Float64Array::from(vec![134.0, 140.0])) as _),
///     ("procedure", Arc::new(BooleanArray::from(vec![true, false])) as _),
///     ("urgent_admission", Arc::new(BooleanArray::from(vec![true, true])) as _),
///     ("admissions_12m", Arc::new(Int32Array::from(vec![2, 0])) as _),
///     ("los_days", Arc::new(Int32Array::from(vec![5, 1])) as _),
/// ])?;
/// let cols = HospitalColumns {
///     haemoglobin: "hb".into(),
///     haemoglobin_unit: HaemoglobinUnit::GramsPerLitre,
///     ..Default::default()
/// };
/// let r = hospital(&[stays], &cols)?;
/// assert_eq!((r.scores.num_rows(), r.rejects.num_rows()), (1, 1));
/// // H 1 (119 g/L) + S 1 + P 1 + I 1 + T 2 + AL 2 = 8.
/// let total = r.scores.column_by_name("hospital").unwrap();
/// assert_eq!(total.as_any().downcast_ref::<Int32Array>().unwrap().value(0), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hospital(
    batches: &[RecordBatch],
    columns: &HospitalColumns,
) -> Result<ScoreResult, RiskError> {
    let keys = StayKeys::new(batches, &columns.patient_id, columns.stay_id.as_deref())?;
    let mut picks = Vec::new();
    let mut scores = Vec::new();
    let mut rejects = Rejects::default();
    let mut distinct = FxHashSet::default();
    let mut offset = 0;
    let unit = columns.haemoglobin_unit;
    for (b, batch) in batches.iter().enumerate() {
        let col = |name: &str, kinds| Col::of(column(batch, name)?, name, kinds);
        let hb = col(&columns.haemoglobin, ColKinds::NUMBER)?;
        let onc = col(&columns.oncology_discharge, ColKinds::FLAG)?;
        let na = col(&columns.sodium, ColKinds::NUMBER)?;
        let proc = col(&columns.procedure, ColKinds::FLAG)?;
        let urgent = col(&columns.urgent_admission, ColKinds::FLAG)?;
        let adm = col(&columns.admissions_12m, ColKinds::NUMBER)?;
        let los = col(&columns.los_days, ColKinds::NUMBER)?;
        for index in 0..batch.num_rows() {
            let at = At {
                batch: b,
                index,
                row: offset + index,
            };
            let Some(id) = keys.ids.text(at) else {
                rejects.push(at, &columns.patient_id, reason::NULL_PATIENT);
                continue;
            };
            let r = &mut rejects;
            let Some(hb_value) = or_reject(measurement(&hb, index), at, &columns.haemoglobin, r)
            else {
                continue;
            };
            let Some(hb_low) = unit.low(hb_value) else {
                r.push(at, &columns.haemoglobin, IMPLAUSIBLE_HB);
                continue;
            };
            let Some(oncology_discharge) =
                or_reject(onc.flag(index), at, &columns.oncology_discharge, r)
            else {
                continue;
            };
            let Some(sodium) = or_reject(measurement(&na, index), at, &columns.sodium, r) else {
                continue;
            };
            let Some(procedure) = or_reject(proc.flag(index), at, &columns.procedure, r) else {
                continue;
            };
            let Some(urgent_admission) =
                or_reject(urgent.flag(index), at, &columns.urgent_admission, r)
            else {
                continue;
            };
            let Some(admissions_12m) = or_reject(adm.count(index), at, &columns.admissions_12m, r)
            else {
                continue;
            };
            let Some(los_days) =
                los_or_reject(&los, at, &columns.los_days, columns.los_convention, r)
            else {
                continue;
            };
            let input = HospitalInput {
                haemoglobin_g_dl: f64::NAN, // not read: `hb_low` carries the H item
                oncology_discharge,
                sodium_mmol_l: sodium,
                procedure,
                urgent_admission,
                admissions_12m,
                los_days,
            };
            distinct.insert(id);
            picks.push(at);
            scores.push(points(hb_low, sodium < 135.0, &input));
        }
        offset += batch.num_rows();
    }
    let counts = RowCounts {
        rows_in: offset,
        rows_scored: picks.len(),
        rows_excluded: 0,
        rows_rejected: rejects.len(),
        patients: distinct.len(),
    };
    let convention = columns.los_convention.as_str();
    let meta = metadata(
        "hospital",
        "donze2013",
        &counts,
        &[
            ("carecoord.haemoglobin_unit", unit.as_str().to_string()),
            ("carecoord.los_convention", convention.to_string()),
        ],
    );
    let mut cols = keys.front(&picks)?;
    let parts: [Part; 8] = [
        ("h", |s| s.haemoglobin),
        ("o", |s| s.oncology),
        ("s", |s| s.sodium),
        ("p", |s| s.procedure),
        ("i", |s| s.index_admission),
        ("t", |s| s.admissions),
        ("al", |s| s.length_of_stay),
        ("hospital", |s| s.total),
    ];
    for (name, get) in parts {
        let a = Int32Array::from_iter_values(scores.iter().map(|s| i32::from(get(s))));
        cols.push((Field::new(name, DataType::Int32, false), Arc::new(a)));
    }
    let band: ArrayRef = Arc::new(arrow_array::StringArray::from_iter_values(
        scores.iter().map(|s| s.band.as_str()),
    ));
    cols.push((Field::new("band", DataType::Utf8, false), band));
    cols.push((
        Field::new("los_convention", DataType::Utf8, false),
        constant(convention, picks.len()),
    ));
    Ok(ScoreResult {
        scores: record_batch(cols, meta.clone())?,
        rejects: rejects.finish(&keys.ids, meta)?,
        explanations: None,
        counts,
    })
}

/// An output column: name and how to read it from a score.
type Part = (&'static str, fn(&HospitalScore) -> u8);

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, StringArray, UInt64Array};
    use proptest::prelude::*;

    fn base() -> HospitalInput {
        HospitalInput {
            haemoglobin_g_dl: 13.0,
            oncology_discharge: false,
            sodium_mmol_l: 140.0,
            procedure: false,
            urgent_admission: false,
            admissions_12m: 0,
            los_days: 0,
        }
    }

    fn total(i: HospitalInput) -> u8 {
        i.score().unwrap().total
    }

    // DOMAIN.md 2.14 / Donzé 2013 point table, each threshold on both sides.
    #[test]
    fn item_boundaries() {
        let hb = |v| {
            total(HospitalInput {
                haemoglobin_g_dl: v,
                ..base()
            })
        };
        assert_eq!(hb(12.0), 0);
        assert_eq!(hb(11.9), 1);
        let na = |v| {
            total(HospitalInput {
                sodium_mmol_l: v,
                ..base()
            })
        };
        assert_eq!(na(135.0), 0);
        assert_eq!(na(134.9), 1);
        let adm = |n| {
            total(HospitalInput {
                admissions_12m: n,
                ..base()
            })
        };
        for (n, p) in [(0, 0), (1, 0), (2, 2), (5, 2), (6, 5), (40, 5)] {
            assert_eq!(adm(n), p, "admissions {n}");
        }
        let los = |d| {
            total(HospitalInput {
                los_days: d,
                ..base()
            })
        };
        assert_eq!(los(4), 0);
        assert_eq!(los(5), 2);
        assert_eq!(
            total(HospitalInput {
                oncology_discharge: true,
                ..base()
            }),
            2
        );
        assert_eq!(
            total(HospitalInput {
                procedure: true,
                ..base()
            }),
            1
        );
        assert_eq!(
            total(HospitalInput {
                urgent_admission: true,
                ..base()
            }),
            1
        );
    }

    #[test]
    fn bands_and_maximum() {
        let bands: Vec<_> = (0..=13).map(HospitalBand::from_total).collect();
        use HospitalBand::*;
        assert_eq!(
            bands,
            [
                Low,
                Low,
                Low,
                Low,
                Low,
                Intermediate,
                Intermediate,
                High,
                High,
                High,
                High,
                High,
                High,
                High
            ]
        );
        // Everything: 1 + 2 + 1 + 1 + 1 + 5 + 2 = 13.
        let s = HospitalInput {
            haemoglobin_g_dl: 8.0,
            oncology_discharge: true,
            sodium_mmol_l: 125.0,
            procedure: true,
            urgent_admission: true,
            admissions_12m: 9,
            los_days: 30,
        }
        .score()
        .unwrap();
        assert_eq!((s.total, s.band), (13, High));
        // 5 points (T 2 + AL 2 + I 1) is intermediate; 4 (T 2 + AL 2) is low.
        let s = HospitalInput {
            admissions_12m: 3,
            los_days: 6,
            urgent_admission: true,
            ..base()
        }
        .score()
        .unwrap();
        assert_eq!((s.total, s.band), (5, Intermediate));
    }

    #[test]
    fn scalar_errors() {
        for (hb, na) in [
            (f64::NAN, 140.0),
            (-1.0, 140.0),
            (f64::INFINITY, 140.0),
            (121.0, 140.0),
            (13.0, f64::NAN),
            (13.0, -135.0),
        ] {
            let e = HospitalInput {
                haemoglobin_g_dl: hb,
                sodium_mmol_l: na,
                ..base()
            }
            .score()
            .unwrap_err();
            assert!(matches!(e, RiskError::InvalidOption { .. }), "{hb} {na}");
        }
        // 30 g/dL is still accepted (the limit is exclusive).
        assert!(HospitalInput {
            haemoglobin_g_dl: 30.0,
            ..base()
        }
        .score()
        .is_ok());
    }

    fn stays(hb: Vec<Option<f64>>, na: Vec<Option<f64>>) -> RecordBatch {
        let n = hb.len();
        RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(
                    (0..n).map(|i| format!("p{i}")).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            ("haemoglobin_g_dl", Arc::new(Float64Array::from(hb)) as _),
            (
                "oncology_discharge",
                Arc::new(BooleanArray::from(vec![false; n])) as _,
            ),
            ("sodium_mmol_l", Arc::new(Float64Array::from(na)) as _),
            ("procedure", Arc::new(Int64Array::from(vec![0; n])) as _),
            (
                "urgent_admission",
                Arc::new(BooleanArray::from(vec![true; n])) as _,
            ),
            (
                "admissions_12m",
                Arc::new(Int64Array::from(vec![6; n])) as _,
            ),
            ("los_days", Arc::new(Int64Array::from(vec![4; n])) as _),
        ])
        .unwrap()
    }

    fn strs(b: &RecordBatch, name: &str) -> Vec<String> {
        let a = b.column_by_name(name).unwrap();
        let a = a.as_any().downcast_ref::<StringArray>().unwrap();
        (0..a.len()).map(|i| a.value(i).to_string()).collect()
    }

    #[test]
    fn batch_rejects() {
        let b = stays(
            vec![
                Some(11.9),
                None,
                Some(f64::NAN),
                Some(-2.0),
                Some(125.0),
                Some(12.0),
            ],
            vec![
                Some(134.9),
                Some(140.0),
                Some(140.0),
                Some(140.0),
                Some(140.0),
                Some(f64::NEG_INFINITY),
            ],
        );
        let r = hospital(&[b], &HospitalColumns::default()).unwrap();
        assert!(r.counts.is_balanced());
        // Row 0: H 1 + S 1 + I 1 + T 5 = 8, high.
        let totals = r
            .scores
            .column_by_name("hospital")
            .unwrap()
            .as_any()
            .downcast_ref::<Int32Array>()
            .unwrap()
            .values()
            .to_vec();
        assert_eq!(totals, vec![8]);
        assert_eq!(strs(&r.scores, "band"), vec!["high"]);
        let rows = r
            .rejects
            .column_by_name("row")
            .unwrap()
            .as_any()
            .downcast_ref::<UInt64Array>()
            .unwrap()
            .values()
            .to_vec();
        assert_eq!(rows, vec![1, 2, 3, 4, 5]);
        assert_eq!(
            strs(&r.rejects, "reason"),
            [
                "null_value",
                "not_a_number",
                "negative_value",
                "implausible_for_unit",
                "not_finite"
            ]
        );
        assert_eq!(
            strs(&r.rejects, "field"),
            [
                "haemoglobin_g_dl",
                "haemoglobin_g_dl",
                "haemoglobin_g_dl",
                "haemoglobin_g_dl",
                "sodium_mmol_l"
            ]
        );
        let meta = r.scores.schema().metadata().clone();
        assert_eq!(meta["carecoord.instrument"], "hospital");
        assert_eq!(meta["carecoord.haemoglobin_unit"], "g/dL");
    }

    #[test]
    fn grams_per_litre() {
        let b = stays(
            vec![Some(120.0), Some(119.0), Some(11.9)],
            vec![Some(140.0); 3],
        );
        let cols = HospitalColumns {
            haemoglobin_unit: HaemoglobinUnit::GramsPerLitre,
            ..Default::default()
        };
        let r = hospital(&[b], &cols).unwrap();
        let h = r
            .scores
            .column_by_name("h")
            .unwrap()
            .as_any()
            .downcast_ref::<Int32Array>()
            .unwrap()
            .values()
            .to_vec();
        // 120 g/L = 12 g/dL scores 0; 119 g/L scores 1; 11.9 "g/L" is a g/dL value: refused.
        assert_eq!(h, vec![0, 1]);
        assert_eq!(strs(&r.rejects, "reason"), ["implausible_for_unit"]);
    }

    proptest! {
        // Batch and scalar agree for plausible inputs; the total is the sum of the items.
        #[test]
        fn batch_matches_scalar(rows in proptest::collection::vec(
            (50u32..200, 110u32..160, any::<bool>(), any::<bool>(), any::<bool>(), 0u32..10, 0u32..15), 1..40)) {
            let n = rows.len();
            let b = RecordBatch::try_from_iter([
                ("patient_id", Arc::new(Int64Array::from_iter_values(0..n as i64)) as ArrayRef),
                ("haemoglobin_g_dl", Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| f64::from(r.0) / 10.0))) as _),
                ("oncology_discharge", Arc::new(BooleanArray::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())) as _),
                ("sodium_mmol_l", Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| f64::from(r.1)))) as _),
                ("procedure", Arc::new(BooleanArray::from(rows.iter().map(|r| r.3).collect::<Vec<_>>())) as _),
                ("urgent_admission", Arc::new(BooleanArray::from(rows.iter().map(|r| r.4).collect::<Vec<_>>())) as _),
                ("admissions_12m", Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| i64::from(r.5)))) as _),
                ("los_days", Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| i64::from(r.6)))) as _),
            ]).unwrap();
            let r = hospital(&[b], &HospitalColumns::default()).unwrap();
            prop_assert_eq!(r.rejects.num_rows(), 0);
            let totals = r.scores.column_by_name("hospital").unwrap().as_any().downcast_ref::<Int32Array>().unwrap().values().to_vec();
            for (i, x) in rows.iter().enumerate() {
                let s = HospitalInput {
                    haemoglobin_g_dl: f64::from(x.0) / 10.0,
                    oncology_discharge: x.2,
                    sodium_mmol_l: f64::from(x.1),
                    procedure: x.3,
                    urgent_admission: x.4,
                    admissions_12m: x.5,
                    los_days: x.6,
                }.score().unwrap();
                prop_assert_eq!(totals[i], i32::from(s.total));
                prop_assert_eq!(s.total, s.haemoglobin + s.oncology + s.sodium + s.procedure + s.index_admission + s.admissions + s.length_of_stay);
                prop_assert!(s.total <= 13);
            }
        }
    }
}
