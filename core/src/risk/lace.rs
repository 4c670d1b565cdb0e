//! The LACE index for early death or unplanned readmission after a hospital stay.
//!
//! Source: van Walraven C, Dhalla IA, Bell C, et al. Derivation and validation of an index to
//! predict early death or unplanned readmission after discharge from hospital to the
//! community. *CMAJ* 2010;182(6):551-557, the LACE point table (as reproduced by MDCalc;
//! DOMAIN.md 2.13). This is the original index: LOS of 14 days or more scores 7. The
//! "modified LACE" (14+ days scores 6, comorbidity from conditions) is a different instrument
//! and is not implemented here.
//!
//! | part | rule | points |
//! |---|---|---|
//! | L | length of stay in midnights: < 1, 1, 2, 3, 4-6, 7-13, 14+ | 0, 1, 2, 3, 4, 5, 7 |
//! | A | acute (emergency) admission | 3 |
//! | C | Charlson score (Charlson 1987 weights): 0-3 as is, 4+ | 0-3, 5 |
//! | E | ED visits in the 6 months before admission, not counting the one that led to it: 0-3 as is, 4+ | 0-3, 4 |
//!
//! Total 0-19; high risk at 10 or more.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Int32Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field};
use rustc_hash::FxHashSet;

use super::model::columns::{
    column, metadata, reason, record_batch, At, Col, ColKinds, Ids, Rejects,
};
use super::{RiskError, RowCounts, ScoreResult};

/// The LACE total at and above which a stay is high risk (van Walraven 2010).
///
/// ```
/// use carecoord::risk::{LaceInput, LACE_HIGH_RISK};
/// let s = LaceInput { los_days: 7, acute_admission: true, charlson: 2, ed_visits_6m: 0 }.score();
/// assert_eq!(s.total, LACE_HIGH_RISK); // 5 + 3 + 2 + 0
/// assert!(s.high_risk);
/// ```
pub const LACE_HIGH_RISK: u8 = 10;

/// How a length of stay in days was counted (DOMAIN.md 2.7).
///
/// LACE and HOSPITAL score on [`LosConvention::Midnights`]; a column counted the other way is
/// converted (inclusive days - 1) and the output states which convention the input used.
///
/// ```
/// use carecoord::risk::LosConvention;
/// assert_eq!(LosConvention::default(), LosConvention::Midnights);
/// assert_eq!(LosConvention::InclusiveDays.to_midnights(3), Some(2));
/// assert_eq!(LosConvention::InclusiveDays.to_midnights(0), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LosConvention {
    /// Midnights between admission and discharge (Europe/London dates); a same-day stay is 0.
    #[default]
    Midnights,
    /// Both the admission and the discharge day counted; a same-day stay is 1.
    InclusiveDays,
}

impl LosConvention {
    /// `midnights` or `inclusive_days`, as written in outputs.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::LosConvention::Midnights.as_str(), "midnights");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Midnights => "midnights",
            Self::InclusiveDays => "inclusive_days",
        }
    }

    /// A length of stay in this convention converted to midnights (`None` for an inclusive
    /// count of 0, which cannot happen).
    ///
    /// ```
    /// use carecoord::risk::LosConvention;
    /// assert_eq!(LosConvention::Midnights.to_midnights(0), Some(0));
    /// ```
    pub fn to_midnights(&self, days: u32) -> Option<u32> {
        match self {
            Self::Midnights => Some(days),
            Self::InclusiveDays => days.checked_sub(1),
        }
    }
}

/// The facts of one hospital stay that the LACE index needs.
///
/// Source: van Walraven C, Dhalla IA, Bell C, et al. *CMAJ* 2010;182(6):551-557, the LACE
/// point table (DOMAIN.md 2.13): L (length of stay in midnights) < 1: 0, 1: 1, 2: 2, 3: 3,
/// 4-6: 4, 7-13: 5, 14+: 7; A (acute admission) 3; C (Charlson score, 1987 weights) 0-3 as
/// is, 4+: 5; E (ED visits in the previous 6 months) 0-3 as is, 4+: 4. Total 0-19, high risk
/// at 10 or more. The "modified LACE" (14+ days scores 6) is a different instrument.
///
/// ```
/// use carecoord::risk::LaceInput;
/// let stay = LaceInput { los_days: 5, acute_admission: true, charlson: 2, ed_visits_6m: 1 };
/// // L 4 (4-6 days) + A 3 + C 2 + E 1 = 10.
/// assert_eq!(stay.score().total, 10);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LaceInput {
    /// Length of stay in midnights ([`LosConvention::Midnights`]); a same-day stay is 0.
    pub los_days: u32,
    /// Whether the admission was acute (emergent).
    pub acute_admission: bool,
    /// The Charlson comorbidity score (Charlson 1987 weights, no age points).
    pub charlson: u32,
    /// Emergency department visits in the 6 months before admission, not counting the visit
    /// that led to this admission.
    pub ed_visits_6m: u32,
}

/// A LACE result with its four parts.
///
/// ```
/// use carecoord::risk::{LaceInput, LaceScore};
/// let s: LaceScore = LaceInput { los_days: 14, acute_admission: true, charlson: 4, ed_visits_6m: 4 }.score();
/// assert_eq!((s.l, s.a, s.c, s.e, s.total, s.high_risk), (7, 3, 5, 4, 19, true));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LaceScore {
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
    /// `total >= 10` ([`LACE_HIGH_RISK`]).
    pub high_risk: bool,
}

fn small(v: u32) -> u8 {
    // Callers pass values already known to be at most 3.
    u8::try_from(v).unwrap_or(u8::MAX)
}

impl LaceInput {
    /// The LACE score of this stay.
    ///
    /// ```
    /// use carecoord::risk::LaceInput;
    /// let s = LaceInput { los_days: 0, acute_admission: false, charlson: 0, ed_visits_6m: 0 }.score();
    /// assert_eq!((s.total, s.high_risk), (0, false));
    /// ```
    pub fn score(&self) -> LaceScore {
        let l = match self.los_days {
            0 => 0,
            d @ 1..=3 => small(d),
            4..=6 => 4,
            7..=13 => 5,
            _ => 7,
        };
        let a = if self.acute_admission { 3 } else { 0 };
        let c = match self.charlson {
            v @ 0..=3 => small(v),
            _ => 5,
        };
        let e = match self.ed_visits_6m {
            v @ 0..=3 => small(v),
            _ => 4,
        };
        let total = l + a + c + e;
        LaceScore {
            total,
            l,
            a,
            c,
            e,
            high_risk: total >= LACE_HIGH_RISK,
        }
    }
}

/// Column names (and the LOS convention) for [`lace`].
///
/// Defaults: `patient_id`, no stay id, `los_days`, `acute_admission`, `charlson`,
/// `ed_visits_6m`, [`LosConvention::Midnights`].
///
/// ```
/// use carecoord::risk::{LaceColumns, LosConvention};
/// let cols = LaceColumns { stay_id: Some("spell_id".into()), los_convention: LosConvention::InclusiveDays, ..Default::default() };
/// assert_eq!(cols.charlson, "charlson");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaceColumns {
    /// Patient identifier (pseudonym) column: strings or integers.
    pub patient_id: String,
    /// Optional stay (spell) identifier column, copied to the output as text.
    pub stay_id: Option<String>,
    /// Length of stay in days: integers, or whole floats.
    pub los_days: String,
    /// Acute admission flag: Boolean, or 0/1.
    pub acute_admission: String,
    /// Charlson score (1987 weights): integers, or whole floats.
    pub charlson: String,
    /// ED visits in the 6 months before admission: integers, or whole floats.
    pub ed_visits_6m: String,
    /// How `los_days` was counted.
    pub los_convention: LosConvention,
}

impl Default for LaceColumns {
    fn default() -> Self {
        Self {
            patient_id: "patient_id".into(),
            stay_id: None,
            los_days: "los_days".into(),
            acute_admission: "acute_admission".into(),
            charlson: "charlson".into(),
            ed_visits_6m: "ed_visits_6m".into(),
            los_convention: LosConvention::Midnights,
        }
    }
}

/// The id columns of a stay-level table: patient id and optional stay id, kept in their
/// input types in the output.
pub(super) struct StayKeys<'a> {
    pub(super) ids: Ids<'a>,
    stay: Option<Ids<'a>>,
}

impl<'a> StayKeys<'a> {
    pub(super) fn new(
        batches: &'a [RecordBatch],
        patient_id: &str,
        stay_id: Option<&str>,
    ) -> Result<Self, RiskError> {
        Ok(Self {
            ids: Ids::new(batches, patient_id)?,
            stay: stay_id.map(|s| Ids::new(batches, s)).transpose()?,
        })
    }

    /// `row`, `patient_id` and (when asked for) `stay_id` of the scored rows.
    pub(super) fn front(&self, picks: &[At]) -> Result<Vec<(Field, ArrayRef)>, RiskError> {
        let row = UInt64Array::from_iter_values(picks.iter().map(|a| a.row as u64));
        let patient = self.ids.gather(picks)?;
        let mut cols: Vec<(Field, ArrayRef)> = vec![
            (Field::new("row", DataType::UInt64, false), Arc::new(row)),
            (
                Field::new("patient_id", patient.data_type().clone(), false),
                patient,
            ),
        ];
        if let Some(stay) = &self.stay {
            let s = stay.gather(picks)?;
            cols.push((Field::new("stay_id", s.data_type().clone(), true), s));
        }
        Ok(cols)
    }
}

/// A Utf8 column holding `value` `n` times.
pub(super) fn constant(value: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(value, n)))
}

/// The value of a cell read with one of the `Col` readers, or `None` after recording a
/// reject (`null_value` for null, else the reader's reason code).
pub(super) fn or_reject<T>(
    read: Result<Option<T>, &'static str>,
    at: At,
    field: &str,
    rejects: &mut Rejects,
) -> Option<T> {
    match read {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            rejects.push(at, field, reason::NULL_VALUE);
            None
        }
        Err(why) => {
            rejects.push(at, field, why);
            None
        }
    }
}

/// A length of stay converted to midnights, or `None` after recording a reject.
pub(super) fn los_or_reject(
    col: &Col<'_>,
    at: At,
    field: &str,
    convention: LosConvention,
    rejects: &mut Rejects,
) -> Option<u32> {
    let v = or_reject(col.count(at.index), at, field, rejects)?;
    let m = convention.to_midnights(v);
    if m.is_none() {
        rejects.push(at, field, INCLUSIVE_LOS_ZERO);
    }
    m
}

/// Reason code: an inclusive-days length of stay of 0 (impossible in that convention).
pub(super) const INCLUSIVE_LOS_ZERO: &str = "inclusive_los_zero";

/// The LACE index (van Walraven et al., *CMAJ* 2010; see [`LaceInput`]) for every stay in a
/// stay-level Arrow table.
///
/// One output row per scored stay, in input order. A stay whose patient id, length of stay,
/// acuity, Charlson score or ED visit count is null, negative, not a whole number or (for
/// the flag) not Boolean/0/1 goes to the rejects table with its row and field; rows in =
/// rows scored + rows rejected. Counts may be any integer type, or floats holding whole
/// numbers (pandas turns nullable integers into floats).
///
/// * `scores`: `row` (UInt64, zero-based across all batches), `patient_id` (the input's
///   type), `stay_id` (input type; only when [`LaceColumns::stay_id`] is set), `l`, `a`, `c`,
///   `e`, `lace` (Int32), `high_risk` (Boolean), `los_convention` (Utf8: the convention of
///   the input column, `midnights` or `inclusive_days`).
/// * `rejects`: `row` (UInt64), `patient_id` (input type, nullable), `field` (Utf8), `reason`
///   (Utf8): `null_patient`, `null_value`, `negative_value`, `not_a_number`, `not_finite`,
///   `not_whole_number`, `too_large`, `not_boolean`, `inclusive_los_zero`.
/// * Schema metadata: `carecoord.instrument` = `lace`, `carecoord.weights` =
///   `van_walraven2010`, `carecoord.los_convention`, `carecoord.rows_in`, ...
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
/// use arrow_array::{BooleanArray, Int32Array, RecordBatch, StringArray, UInt32Array};
/// use carecoord::risk::{lace, LaceColumns};
///
/// let stays = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["p1", "p2"])) as _),
///     ("los_days", Arc::new(Int32Array::from(vec![Some(5), Some(-1)])) as _),
///     ("acute_admission", Arc::new(BooleanArray::from(vec![true, false])) as _),
///     ("charlson", Arc::new(UInt32Array::from(vec![2, 0])) as _),
///     ("ed_visits_6m", Arc::new(UInt32Array::from(vec![1, 0])) as _),
/// ])?;
/// let r = lace(&[stays], &LaceColumns::default())?;
/// assert_eq!((r.scores.num_rows(), r.rejects.num_rows()), (1, 1));
/// // L 4 (5 days) + A 3 + C 2 + E 1 = 10.
/// let total = r.scores.column_by_name("lace").unwrap();
/// assert_eq!(total.as_any().downcast_ref::<Int32Array>().unwrap().value(0), 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lace(batches: &[RecordBatch], columns: &LaceColumns) -> Result<ScoreResult, RiskError> {
    let keys = StayKeys::new(batches, &columns.patient_id, columns.stay_id.as_deref())?;
    let mut picks = Vec::new();
    let mut scores = Vec::new();
    let mut rejects = Rejects::default();
    let mut distinct = FxHashSet::default();
    let mut offset = 0;
    for (b, batch) in batches.iter().enumerate() {
        let col = |name: &str, kinds| Col::of(column(batch, name)?, name, kinds);
        let los = col(&columns.los_days, ColKinds::NUMBER)?;
        let acute = col(&columns.acute_admission, ColKinds::FLAG)?;
        let charlson = col(&columns.charlson, ColKinds::NUMBER)?;
        let ed = col(&columns.ed_visits_6m, ColKinds::NUMBER)?;
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
            let Some(los_days) =
                los_or_reject(&los, at, &columns.los_days, columns.los_convention, r)
            else {
                continue;
            };
            let Some(acute_admission) =
                or_reject(acute.flag(index), at, &columns.acute_admission, r)
            else {
                continue;
            };
            let Some(charlson) = or_reject(charlson.count(index), at, &columns.charlson, r) else {
                continue;
            };
            let Some(ed_visits_6m) = or_reject(ed.count(index), at, &columns.ed_visits_6m, r)
            else {
                continue;
            };
            distinct.insert(id);
            picks.push(at);
            scores.push(
                LaceInput {
                    los_days,
                    acute_admission,
                    charlson,
                    ed_visits_6m,
                }
                .score(),
            );
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
        "lace",
        "van_walraven2010",
        &counts,
        &[("carecoord.los_convention", convention.to_string())],
    );
    let mut cols = keys.front(&picks)?;
    let parts: [Part; 5] = [
        ("l", |s| s.l),
        ("a", |s| s.a),
        ("c", |s| s.c),
        ("e", |s| s.e),
        ("lace", |s| s.total),
    ];
    for (name, get) in parts {
        let a = Int32Array::from_iter_values(scores.iter().map(|s| i32::from(get(s))));
        cols.push((Field::new(name, DataType::Int32, false), Arc::new(a)));
    }
    let high: BooleanArray = scores.iter().map(|s| Some(s.high_risk)).collect();
    cols.push((
        Field::new("high_risk", DataType::Boolean, false),
        Arc::new(high),
    ));
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
type Part = (&'static str, fn(&LaceScore) -> u8);

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, BooleanArray, Float64Array, Int32Array, Int64Array, UInt64Array};
    use proptest::prelude::*;

    fn stay(los_days: u32, acute: bool, charlson: u32, ed: u32) -> LaceScore {
        LaceInput {
            los_days,
            acute_admission: acute,
            charlson,
            ed_visits_6m: ed,
        }
        .score()
    }

    // DOMAIN.md 2.13 / van Walraven 2010 point table, every L band and its edges.
    #[test]
    fn length_of_stay_points() {
        let l = |d| stay(d, false, 0, 0).l;
        let expected = [
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 4),
            (6, 4),
            (7, 5),
            (13, 5),
            (14, 7),
            (100, 7),
            (u32::MAX, 7),
        ];
        for (days, points) in expected {
            assert_eq!(l(days), points, "LOS {days}");
        }
    }

    #[test]
    fn acuity_comorbidity_ed_points() {
        assert_eq!(stay(0, true, 0, 0).a, 3);
        assert_eq!(stay(0, false, 0, 0).a, 0);
        for (c, p) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 5), (12, 5)] {
            assert_eq!(stay(0, false, c, 0).c, p, "Charlson {c}");
        }
        for (e, p) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (30, 4)] {
            assert_eq!(stay(0, false, 0, e).e, p, "ED {e}");
        }
    }

    #[test]
    fn totals_and_high_risk_boundary() {
        // 3 + 3 + 2 + 1 = 9: not high risk.
        let s = stay(3, true, 2, 1);
        assert_eq!((s.total, s.high_risk), (9, false));
        // 4 + 3 + 2 + 1 = 10: high risk.
        let s = stay(4, true, 2, 1);
        assert_eq!((s.total, s.high_risk), (10, true));
        // Maximum 7 + 3 + 5 + 4 = 19.
        assert_eq!(stay(20, true, 9, 9).total, 19);
    }

    fn i32s(b: &RecordBatch, name: &str) -> Vec<i32> {
        b.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<Int32Array>()
            .unwrap()
            .values()
            .to_vec()
    }

    fn strs(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let a = b.column_by_name(name).unwrap();
        let a = a.as_any().downcast_ref::<StringArray>().unwrap();
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
            .collect()
    }

    fn u64s(b: &RecordBatch, name: &str) -> Vec<u64> {
        b.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<UInt64Array>()
            .unwrap()
            .values()
            .to_vec()
    }

    #[test]
    fn batch_rejects_and_row_numbers_across_batches() {
        let b1 = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec![Some("p0"), None, Some("p2")])) as ArrayRef,
            ),
            (
                "los_days",
                Arc::new(Float64Array::from(vec![Some(14.0), Some(1.0), Some(2.5)])) as _,
            ),
            (
                "acute_admission",
                Arc::new(Int64Array::from(vec![1, 0, 0])) as _,
            ),
            ("charlson", Arc::new(Int64Array::from(vec![4, 0, 0])) as _),
            (
                "ed_visits_6m",
                Arc::new(Int64Array::from(vec![5, 0, 0])) as _,
            ),
        ])
        .unwrap();
        let b2 = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["p3", "p4", "p5", "p6"])) as ArrayRef,
            ),
            (
                "los_days",
                Arc::new(Float64Array::from(vec![
                    Some(0.0),
                    None,
                    Some(1.0),
                    Some(f64::NAN),
                ])) as _,
            ),
            (
                "acute_admission",
                Arc::new(Int64Array::from(vec![0, 0, 2, 0])) as _,
            ),
            (
                "charlson",
                Arc::new(Int64Array::from(vec![-1, 0, 0, 0])) as _,
            ),
            (
                "ed_visits_6m",
                Arc::new(Int64Array::from(vec![0, 0, 0, 0])) as _,
            ),
        ])
        .unwrap();
        let r = lace(&[b1, b2], &LaceColumns::default()).unwrap();
        assert!(r.counts.is_balanced());
        let (scores, rejects) = (r.scores, r.rejects);
        assert_eq!(scores.num_rows() + rejects.num_rows(), 7);
        // Only row 0 scores: L 7 + A 3 + C 5 + E 4 = 19.
        assert_eq!(u64s(&scores, "row"), vec![0]);
        assert_eq!(i32s(&scores, "lace"), vec![19]);
        assert_eq!(
            strs(&scores, "los_convention"),
            vec![Some("midnights".into())]
        );
        assert_eq!(u64s(&rejects, "row"), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(
            strs(&rejects, "field"),
            [
                "patient_id",
                "los_days",
                "charlson",
                "los_days",
                "acute_admission",
                "los_days"
            ]
            .map(|s| Some(s.to_string()))
        );
        assert_eq!(
            strs(&rejects, "reason"),
            [
                "null_patient",
                "not_whole_number",
                "negative_value",
                "null_value",
                "not_boolean",
                "not_a_number"
            ]
            .map(|s| Some(s.to_string()))
        );
        assert_eq!(strs(&rejects, "patient_id")[0], None);
        assert_eq!(strs(&rejects, "patient_id")[1], Some("p2".into()));
    }

    #[test]
    fn inclusive_days_and_stay_id() {
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(Int64Array::from(vec![7, 8, 9])) as ArrayRef,
            ),
            (
                "spell",
                Arc::new(StringArray::from(vec![Some("s1"), None, Some("s3")])) as _,
            ),
            ("los", Arc::new(Int32Array::from(vec![1, 15, 0])) as _),
            (
                "acute_admission",
                Arc::new(BooleanArray::from(vec![false, false, false])) as _,
            ),
            ("charlson", Arc::new(Int32Array::from(vec![0, 0, 0])) as _),
            (
                "ed_visits_6m",
                Arc::new(Int32Array::from(vec![0, 0, 0])) as _,
            ),
        ])
        .unwrap();
        let cols = LaceColumns {
            stay_id: Some("spell".into()),
            los_days: "los".into(),
            los_convention: LosConvention::InclusiveDays,
            ..Default::default()
        };
        let r = lace(&[b], &cols).unwrap();
        let (scores, rejects) = (r.scores, r.rejects);
        // Inclusive 1 = 0 midnights -> L 0; inclusive 15 = 14 midnights -> L 7; 0 is rejected.
        assert_eq!(i32s(&scores, "l"), vec![0, 7]);
        // Integer ids keep their type.
        assert_eq!(
            scores
                .column_by_name("patient_id")
                .unwrap()
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .values()
                .to_vec(),
            vec![7, 8]
        );
        assert_eq!(strs(&scores, "stay_id"), vec![Some("s1".into()), None]);
        assert_eq!(
            strs(&scores, "los_convention")[0],
            Some("inclusive_days".into())
        );
        assert_eq!(
            strs(&rejects, "reason"),
            vec![Some("inclusive_los_zero".into())]
        );
    }

    #[test]
    fn column_errors_and_empty_input() {
        let b = RecordBatch::try_from_iter([(
            "patient_id",
            Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
        )])
        .unwrap();
        assert_eq!(
            lace(&[b], &LaceColumns::default()).unwrap_err(),
            RiskError::MissingColumn {
                column: "los_days".into()
            }
        );
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
            ),
            ("los_days", Arc::new(StringArray::from(vec!["3"])) as _),
        ])
        .unwrap();
        assert!(matches!(
            lace(&[b], &LaceColumns::default()).unwrap_err(),
            RiskError::ColumnType { column, .. } if column == "los_days"
        ));
        let r = lace(&[], &LaceColumns::default()).unwrap();
        let (s, r) = (r.scores, r.rejects);
        assert_eq!((s.num_rows(), r.num_rows()), (0, 0));
        // row, patient_id, l, a, c, e, lace, high_risk, los_convention
        assert_eq!(s.num_columns(), 9);
    }

    proptest! {
        // The batch and scalar paths agree; the total is the sum of its parts and in 0..=19;
        // a longer stay never lowers the score.
        #[test]
        fn batch_matches_scalar(rows in proptest::collection::vec((0u32..40, any::<bool>(), 0u32..12, 0u32..10), 1..50)) {
            let n = rows.len();
            let b = RecordBatch::try_from_iter([
                ("patient_id", Arc::new(StringArray::from((0..n).map(|i| format!("p{i}")).collect::<Vec<_>>())) as ArrayRef),
                ("los_days", Arc::new(arrow_array::UInt32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())) as _),
                ("acute_admission", Arc::new(BooleanArray::from(rows.iter().map(|r| r.1).collect::<Vec<_>>())) as _),
                ("charlson", Arc::new(arrow_array::UInt32Array::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())) as _),
                ("ed_visits_6m", Arc::new(arrow_array::UInt32Array::from(rows.iter().map(|r| r.3).collect::<Vec<_>>())) as _),
            ]).unwrap();
            let r = lace(&[b], &LaceColumns::default()).unwrap();
            prop_assert_eq!(r.rejects.num_rows(), 0);
            let totals = i32s(&r.scores, "lace");
            for (i, r) in rows.iter().enumerate() {
                let s = stay(r.0, r.1, r.2, r.3);
                prop_assert_eq!(totals[i], i32::from(s.total));
                prop_assert_eq!(s.total, s.l + s.a + s.c + s.e);
                prop_assert!(s.total <= 19);
                prop_assert!(stay(r.0 + 1, r.1, r.2, r.3).total >= s.total);
            }
        }
    }
}
