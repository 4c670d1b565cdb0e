//! Case finding: the list of people to bring to an integrated locality review (ILR or MDT),
//! selected from a patient-level Arrow table by age, practice, registers, risk scores,
//! caseload and time since last contact, with a plain-language reason for every row.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{Array, BooleanArray, Date32Array, Int32Array, RecordBatch, StringArray};
//! use carecoord::risk::CohortFilter;
//! use chrono::NaiveDate;
//!
//! let index = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
//! let day = |y, m, d| (NaiveDate::from_ymd_opt(y, m, d).unwrap() - NaiveDate::default()).num_days() as i32;
//! let table = RecordBatch::try_from_iter([
//!     ("patient_id", Arc::new(StringArray::from(vec!["a", "b", "c"])) as _),
//!     ("age", Arc::new(Int32Array::from(vec![82, 64, 90])) as _),
//!     ("efi_band", Arc::new(StringArray::from(vec!["severe", "severe", "fit"])) as _),
//!     ("on_caseload", Arc::new(BooleanArray::from(vec![false, false, false])) as _),
//!     ("last_contact", Arc::new(Date32Array::from(vec![Some(day(2026, 7, 26)), None, None])) as _),
//! ])?;
//! let list = CohortFilter::new()
//!     .age_between("age", 75, 120)
//!     .band_in("efi_band", ["moderate", "severe"])
//!     .label("efi_band", "eFI")
//!     .not_on_caseload("on_caseload")
//!     .no_contact_for_days("last_contact", 90, index)
//!     .apply(&table)?;
//! assert_eq!(list.num_rows(), 1);
//! let reasons = list.column_by_name("reasons").unwrap();
//! let reasons = reasons.as_any().downcast_ref::<StringArray>().unwrap();
//! assert_eq!(reasons.value(0), "age 82; eFI severe; no contact 120 days");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, Date32Array, RecordBatch, StringArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, NaiveDate};
use rustc_hash::FxHashSet;

use super::model::columns::{column, gather, At, Col, ColKinds};
use super::RiskError;

/// Filters that select people for an integrated locality review, built step by step.
///
/// All criteria must hold. Rows whose value for a criterion is null or unreadable do not meet
/// it, with two exceptions that favour review: a null caseload flag counts as not on a
/// caseload, and a null last-contact date as never contacted. Rows with a null id are never
/// selected. Column names are checked, and option values validated, by
/// [`CohortFilter::apply`].
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{BooleanArray, Float64Array, RecordBatch, StringArray};
/// use carecoord::risk::CohortFilter;
///
/// let table = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["a", "b", "c"])) as _),
///     ("practice", Arc::new(StringArray::from(vec!["SYN001", "SYN001", "SYN002"])) as _),
///     ("palliative", Arc::new(BooleanArray::from(vec![true, true, true])) as _),
///     ("lace", Arc::new(Float64Array::from(vec![11.0, 14.0, 15.0])) as _),
/// ])?;
/// let list = CohortFilter::new()
///     .practice_in("practice", ["SYN001"])
///     .on_register("palliative")
///     .score_at_least("lace", 10.0)
///     .sort_by_score("lace")
///     .apply(&table)?;
/// let ids = list.column_by_name("patient_id").unwrap();
/// let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
/// assert_eq!((ids.value(0), ids.value(1)), ("b", "a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CohortFilter {
    id_column: Option<String>,
    age: Option<(String, u32, u32)>,
    practice: Option<(String, Vec<String>)>,
    registers: Vec<String>,
    bands: Vec<(String, Vec<String>)>,
    thresholds: Vec<(String, f64)>,
    caseload_column: Option<String>,
    caseload_ids: Option<Vec<String>>,
    no_contact: Option<(String, u32, NaiveDate)>,
    sort_by: Option<String>,
    labels: Vec<(String, String)>,
}

fn invalid(option: &'static str, reason: &str) -> RiskError {
    RiskError::InvalidOption {
        option,
        reason: reason.to_string(),
    }
}

/// A number for a reason text: whole numbers without decimals, else up to 3 places.
fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A date column: Date32, Date64, Timestamp (zoned instants become their `Europe/London`
/// date) or ISO 8601 strings.
enum DateCol<'a> {
    Days(&'a Date32Array),
    Instant {
        values: &'a [i64],
        nulls: Option<&'a NullBuffer>,
        per_sec: i64,
        zoned: bool,
    },
    Text(Col<'a>),
}

impl<'a> DateCol<'a> {
    fn of(array: &'a ArrayRef, name: &str) -> Result<Self, RiskError> {
        fn instant<T: arrow_array::ArrowPrimitiveType<Native = i64>>(
            a: &dyn Array,
            per_sec: i64,
            zoned: bool,
        ) -> DateCol<'_> {
            let p = a.as_primitive::<T>();
            DateCol::Instant {
                values: p.values(),
                nulls: p.nulls(),
                per_sec,
                zoned,
            }
        }
        let a = array.as_ref();
        Ok(match a.data_type() {
            DataType::Date32 => Self::Days(a.as_primitive()),
            DataType::Date64 => instant::<Date64Type>(a, 1_000, false),
            DataType::Timestamp(unit, tz) => {
                let z = tz.is_some();
                match unit {
                    TimeUnit::Second => instant::<TimestampSecondType>(a, 1, z),
                    TimeUnit::Millisecond => instant::<TimestampMillisecondType>(a, 1_000, z),
                    TimeUnit::Microsecond => instant::<TimestampMicrosecondType>(a, 1_000_000, z),
                    TimeUnit::Nanosecond => instant::<TimestampNanosecondType>(a, 1_000_000_000, z),
                }
            }
            _ => Self::Text(Col::of(array, name, ColKinds::TEXT).map_err(|_| {
                RiskError::ColumnType {
                    column: name.to_string(),
                    expected: "Date32, Date64, Timestamp or ISO 8601 strings",
                    found: a.data_type().to_string(),
                }
            })?),
        })
    }

    /// `Ok(None)` for null; `Err(())` for a value that is not a date.
    fn date(&self, i: usize) -> Result<Option<NaiveDate>, ()> {
        const EPOCH_FROM_CE: i32 = 719_163;
        match self {
            Self::Days(a) => {
                if a.is_null(i) {
                    return Ok(None);
                }
                a.value(i)
                    .checked_add(EPOCH_FROM_CE)
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .map(Some)
                    .ok_or(())
            }
            Self::Instant {
                values,
                nulls,
                per_sec,
                zoned,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Ok(None);
                }
                let secs = values[i].div_euclid(*per_sec);
                let utc = DateTime::from_timestamp(secs, 0).ok_or(())?;
                Ok(Some(if *zoned {
                    crate::calendar::local_date(utc)
                } else {
                    utc.date_naive()
                }))
            }
            Self::Text(c) => match c.text(i) {
                None => Ok(None),
                Some(s) => {
                    let s = s.trim();
                    let ok_tail =
                        s.len() == 10 || matches!(s.as_bytes().get(10), Some(b'T' | b' '));
                    if s.len() < 10 || !ok_tail || !s.is_char_boundary(10) {
                        return Err(());
                    }
                    NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d")
                        .map(Some)
                        .map_err(|_| ())
                }
            },
        }
    }
}

impl CohortFilter {
    /// An empty filter (selects everyone with an id); add criteria with the builder methods.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new();
    /// assert_eq!(f, Default::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The id column (default `patient_id`): strings or integers.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().id_column("pseudonym");
    /// # let _ = f;
    /// ```
    pub fn id_column(mut self, column: &str) -> Self {
        self.id_column = Some(column.to_string());
        self
    }

    /// Age (whole or fractional years, any numeric column) from `min` to `max`, both
    /// included. Reason: `age 82`.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().age_between("age", 75, 120);
    /// # let _ = f;
    /// ```
    pub fn age_between(mut self, column: &str, min: u32, max: u32) -> Self {
        self.age = Some((column.to_string(), min, max));
        self
    }

    /// Registered at one of `practices` (codes compared exactly). Not given as a reason.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().practice_in("practice", ["SYN001", "SYN002"]);
    /// # let _ = f;
    /// ```
    pub fn practice_in<I, S>(mut self, column: &str, practices: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.practice = Some((
            column.to_string(),
            practices.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// On the register held in Boolean (or 0/1) column `column`, e.g. `palliative`. Reason:
    /// the column's label.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().on_register("palliative").on_register("dementia");
    /// # let _ = f;
    /// ```
    pub fn on_register(mut self, column: &str) -> Self {
        self.registers.push(column.to_string());
        self
    }

    /// The text column `column` (e.g. an eFI band) is one of `bands` (ASCII case ignored).
    /// Reason: `<label> <band>`, e.g. `eFI severe`.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().band_in("efi_band", ["moderate", "severe"]);
    /// # let _ = f;
    /// ```
    pub fn band_in<I, S>(mut self, column: &str, bands: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bands.push((
            column.to_string(),
            bands.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// The numeric column `column` is at least `threshold`. Reason: `<label> <value>`, e.g.
    /// `lace 12`.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().score_at_least("lace", 10.0);
    /// # let _ = f;
    /// ```
    pub fn score_at_least(mut self, column: &str, threshold: f64) -> Self {
        self.thresholds.push((column.to_string(), threshold));
        self
    }

    /// Not already on a caseload, per Boolean (or 0/1) column `column` (true = on a
    /// caseload; null counts as not). Not given as a reason.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().not_on_caseload("on_caseload");
    /// # let _ = f;
    /// ```
    pub fn not_on_caseload(mut self, column: &str) -> Self {
        self.caseload_column = Some(column.to_string());
        self
    }

    /// Not already on a caseload, per a set of ids (compared with the id column's text).
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().not_on_caseload_ids(["p17", "p42"]);
    /// # let _ = f;
    /// ```
    pub fn not_on_caseload_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.caseload_ids = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// No contact in the `days` days up to `index_date`: selected when `index_date -
    /// last contact >= days`, or when the date column `column` is null (never contacted).
    /// A contact after the index date counts as recent. Dates may be Date32, Date64,
    /// Timestamp (zoned instants become their `Europe/London` date) or ISO 8601 strings.
    /// Reason: `no contact 120 days` or `never contacted`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let index = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let f = carecoord::risk::CohortFilter::new().no_contact_for_days("last_contact", 90, index);
    /// # let _ = f;
    /// ```
    pub fn no_contact_for_days(mut self, column: &str, days: u32, index_date: NaiveDate) -> Self {
        self.no_contact = Some((column.to_string(), days, index_date));
        self
    }

    /// Sort the list by the numeric column `column`, highest first (nulls and NaN last),
    /// then by id ascending (bytewise). Without it the list is sorted by id.
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().sort_by_score("efi");
    /// # let _ = f;
    /// ```
    pub fn sort_by_score(mut self, column: &str) -> Self {
        self.sort_by = Some(column.to_string());
        self
    }

    /// The word used for `column` in reasons (default: the column name).
    ///
    /// ```
    /// let f = carecoord::risk::CohortFilter::new().band_in("efi_band", ["severe"]).label("efi_band", "eFI");
    /// # let _ = f;
    /// ```
    pub fn label(mut self, column: &str, label: &str) -> Self {
        self.labels.retain(|(c, _)| c != column);
        self.labels.push((column.to_string(), label.to_string()));
        self
    }

    fn label_of<'s>(&'s self, column: &'s str) -> &'s str {
        self.labels
            .iter()
            .find(|(c, _)| c == column)
            .map_or(column, |(_, l)| l.as_str())
    }

    fn validate(&self) -> Result<(), RiskError> {
        if let Some((_, lo, hi)) = &self.age {
            if lo > hi {
                return Err(invalid("age", "minimum age is above the maximum"));
            }
        }
        if self.practice.as_ref().is_some_and(|(_, p)| p.is_empty()) {
            return Err(invalid("practice", "an empty practice set selects nobody"));
        }
        if self.bands.iter().any(|(_, b)| b.is_empty()) {
            return Err(invalid("bands", "an empty band set selects nobody"));
        }
        if self.thresholds.iter().any(|(_, t)| !t.is_finite()) {
            return Err(invalid("threshold", "must be a finite number"));
        }
        Ok(())
    }

    /// The selected rows of a patient-level table, with a `reasons` column.
    ///
    /// Output: every input column (same names, types and field metadata) for the selected
    /// rows, then `reasons` (Utf8): the criteria met, `; `-separated, in the order age,
    /// registers, bands, scores, contact (e.g. `age 82; eFI severe; no contact 120 days`).
    /// Sorted as set by [`CohortFilter::sort_by_score`]. Schema metadata of the input is
    /// kept, plus `carecoord.instrument` = `cohort`, `carecoord.rows_in` and
    /// `carecoord.rows_selected`.
    ///
    /// # Errors
    ///
    /// [`RiskError::MissingColumn`] naming a missing column; [`RiskError::ColumnType`] for a
    /// column of the wrong type (or, in the output, a nested column such as a list);
    /// [`RiskError::InvalidOption`] for an age range with min above max, an empty practice
    /// or band set, a non-finite threshold, or an input that already has a `reasons` column.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Int64Array, RecordBatch};
    /// use carecoord::risk::{CohortFilter, RiskError};
    ///
    /// let table = RecordBatch::try_from_iter([("patient_id", Arc::new(Int64Array::from(vec![1, 2])) as _)])?;
    /// let err = CohortFilter::new().on_register("palliative").apply(&table).unwrap_err();
    /// assert_eq!(err, RiskError::MissingColumn { column: "palliative".into() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, batch: &RecordBatch) -> Result<RecordBatch, RiskError> {
        self.validate()?;
        if batch.column_by_name("reasons").is_some() {
            return Err(invalid(
                "reasons",
                "the input already has a `reasons` column",
            ));
        }
        let id_name = self.id_column.as_deref().unwrap_or("patient_id");
        let col = |name: &str, kinds| Col::of(column(batch, name)?, name, kinds);
        let ids = col(id_name, ColKinds::ID)?;
        let age = match &self.age {
            Some((c, lo, hi)) => Some((col(c, ColKinds::NUMBER)?, f64::from(*lo), f64::from(*hi))),
            None => None,
        };
        let practice = match &self.practice {
            Some((c, set)) => Some((
                col(c, ColKinds::ID)?,
                set.iter().map(String::as_str).collect::<FxHashSet<_>>(),
            )),
            None => None,
        };
        let registers = self
            .registers
            .iter()
            .map(|c| Ok((col(c, ColKinds::FLAG)?, self.label_of(c))))
            .collect::<Result<Vec<_>, RiskError>>()?;
        let bands = self
            .bands
            .iter()
            .map(|(c, set)| Ok((col(c, ColKinds::TEXT)?, set, self.label_of(c))))
            .collect::<Result<Vec<_>, RiskError>>()?;
        let thresholds = self
            .thresholds
            .iter()
            .map(|(c, t)| Ok((col(c, ColKinds::NUMBER)?, *t, self.label_of(c))))
            .collect::<Result<Vec<_>, RiskError>>()?;
        let caseload = match &self.caseload_column {
            Some(c) => Some(col(c, ColKinds::FLAG)?),
            None => None,
        };
        let caseload_ids: Option<FxHashSet<&str>> = self
            .caseload_ids
            .as_ref()
            .map(|v| v.iter().map(String::as_str).collect());
        let contact = match &self.no_contact {
            Some((c, days, index)) => Some((DateCol::of(column(batch, c)?, c)?, *days, *index)),
            None => None,
        };
        let sort = match &self.sort_by {
            Some(c) => Some(col(c, ColKinds::NUMBER)?),
            None => None,
        };

        let mut picked: Vec<(usize, String)> = Vec::new();
        'rows: for i in 0..batch.num_rows() {
            let Some(id) = ids.text(i) else { continue };
            let mut why: Vec<String> = Vec::new();
            if let Some((c, lo, hi)) = &age {
                match c.number(i) {
                    Ok(Some(a)) if a >= *lo && a <= *hi => why.push(format!("age {}", fmt_num(a))),
                    _ => continue 'rows,
                }
            }
            if let Some((c, set)) = &practice {
                if !c.text(i).is_some_and(|p| set.contains(p.as_ref())) {
                    continue 'rows;
                }
            }
            for (c, label) in &registers {
                if c.flag(i) != Ok(Some(true)) {
                    continue 'rows;
                }
                why.push((*label).to_string());
            }
            for (c, set, label) in &bands {
                let Some(v) = c.text(i) else { continue 'rows };
                let v = v.trim();
                if !set.iter().any(|b| b.trim().eq_ignore_ascii_case(v)) {
                    continue 'rows;
                }
                why.push(format!("{label} {v}"));
            }
            for (c, t, label) in &thresholds {
                match c.number(i) {
                    Ok(Some(v)) if v >= *t => why.push(format!("{label} {}", fmt_num(v))),
                    _ => continue 'rows,
                }
            }
            if let Some(c) = &caseload {
                if !matches!(c.flag(i), Ok(Some(false) | None)) {
                    continue 'rows;
                }
            }
            if caseload_ids
                .as_ref()
                .is_some_and(|set| set.contains(id.as_ref()))
            {
                continue 'rows;
            }
            if let Some((c, days, index)) = &contact {
                match c.date(i) {
                    Ok(None) => why.push("never contacted".to_string()),
                    Ok(Some(d)) => {
                        let since = (*index - d).num_days();
                        if since < i64::from(*days) {
                            continue 'rows;
                        }
                        why.push(format!("no contact {since} days"));
                    }
                    Err(()) => continue 'rows,
                }
            }
            picked.push((i, why.join("; ")));
        }

        // Sort: score descending (nulls and NaN last), then id bytewise.
        let key = |i: usize| sort.as_ref().and_then(|c| c.number(i).ok().flatten());
        let mut order: Vec<(Option<f64>, String, usize)> = picked
            .iter()
            .enumerate()
            .map(|(k, &(i, _))| (key(i), ids.text(i).unwrap_or_default().into_owned(), k))
            .collect();
        order.sort_by(|a, b| {
            match (a.0, b.0) {
                (Some(x), Some(y)) => (y + 0.0).total_cmp(&(x + 0.0)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
        });

        let picks: Vec<At> = order
            .iter()
            .map(|o| At {
                batch: 0,
                index: picked[o.2].0,
                row: picked[o.2].0,
            })
            .collect();
        let schema = batch.schema();
        let mut fields: Vec<Field> = Vec::with_capacity(schema.fields().len() + 1);
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len() + 1);
        for (f, a) in schema.fields().iter().zip(batch.columns()) {
            arrays.push(gather(&[a.as_ref()], &picks, f.name())?);
            fields.push(f.as_ref().clone());
        }
        fields.push(Field::new("reasons", DataType::Utf8, false));
        arrays.push(Arc::new(StringArray::from_iter_values(
            order.iter().map(|o| picked[o.2].1.as_str()),
        )));
        let mut metadata = schema.metadata().clone();
        metadata.insert("carecoord.instrument".into(), "cohort".into());
        metadata.insert("carecoord.version".into(), env!("CARGO_PKG_VERSION").into());
        metadata.insert("carecoord.rows_in".into(), batch.num_rows().to_string());
        metadata.insert("carecoord.rows_selected".into(), picks.len().to_string());
        RecordBatch::try_new(
            Arc::new(Schema::new_with_metadata(fields, metadata)),
            arrays,
        )
        .map_err(|e| RiskError::Arrow(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int32Type;
    use arrow_array::{
        BooleanArray, DictionaryArray, Float64Array, Int32Array, Int64Array, ListArray,
        TimestampSecondArray, UInt8Array,
    };
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn days(date: NaiveDate) -> i32 {
        (date - d(1970, 1, 1)).num_days() as i32
    }

    const INDEX: (i32, u32, u32) = (2026, 11, 23);

    fn index() -> NaiveDate {
        d(INDEX.0, INDEX.1, INDEX.2)
    }

    /// Six synthetic people (ehrql-style table):
    ///
    /// | id | age | practice | palliative | efi_band | lace | caseload | last_contact |
    /// |----|-----|----------|------------|----------|------|----------|--------------|
    /// | p1 | 82  | SYN001   | true       | severe   | 12   | false    | 2026-07-26 (120 days) |
    /// | p2 | 91  | SYN001   | true       | moderate | 9    | null     | null (never) |
    /// | p3 | 70  | SYN001   | true       | severe   | 15   | false    | null |
    /// | p4 | 88  | SYN002   | false      | mild     | 11   | true     | 2026-11-01 (22 days) |
    /// | p5 | 79  | SYN001   | null       | Severe   | 10   | false    | 2026-08-25 (90 days) |
    /// | -- | 85  | SYN001   | true       | severe   | 18   | false    | null (null id) |
    fn people() -> RecordBatch {
        RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec![
                    Some("p1"),
                    Some("p2"),
                    Some("p3"),
                    Some("p4"),
                    Some("p5"),
                    None,
                ])) as ArrayRef,
            ),
            (
                "age",
                Arc::new(UInt8Array::from(vec![82, 91, 70, 88, 79, 85])) as _,
            ),
            (
                "practice",
                Arc::new(StringArray::from(vec![
                    "SYN001", "SYN001", "SYN001", "SYN002", "SYN001", "SYN001",
                ])) as _,
            ),
            (
                "palliative",
                Arc::new(BooleanArray::from(vec![
                    Some(true),
                    Some(true),
                    Some(true),
                    Some(false),
                    None,
                    Some(true),
                ])) as _,
            ),
            (
                "efi_band",
                Arc::new(StringArray::from(vec![
                    "severe", "moderate", "severe", "mild", "Severe", "severe",
                ])) as _,
            ),
            (
                "lace",
                Arc::new(Float64Array::from(vec![12.0, 9.0, 15.0, 11.0, 10.0, 18.0])) as _,
            ),
            (
                "on_caseload",
                Arc::new(BooleanArray::from(vec![
                    Some(false),
                    None,
                    Some(false),
                    Some(true),
                    Some(false),
                    Some(false),
                ])) as _,
            ),
            (
                "last_contact",
                Arc::new(Date32Array::from(vec![
                    Some(days(d(2026, 7, 26))),
                    None,
                    None,
                    Some(days(d(2026, 11, 1))),
                    Some(days(d(2026, 8, 25))),
                    None,
                ])) as _,
            ),
        ])
        .unwrap()
    }

    fn strs(b: &RecordBatch, name: &str) -> Vec<String> {
        let a = b.column_by_name(name).unwrap();
        let a = a.as_any().downcast_ref::<StringArray>().unwrap();
        (0..a.len()).map(|i| a.value(i).to_string()).collect()
    }

    #[test]
    fn locality_review_list() {
        let list = CohortFilter::new()
            .age_between("age", 75, 120)
            .band_in("efi_band", ["moderate", "severe"])
            .label("efi_band", "eFI")
            .not_on_caseload("on_caseload")
            .no_contact_for_days("last_contact", 90, index())
            .sort_by_score("lace")
            .apply(&people())
            .unwrap();
        // p1: 82, severe, 2026-11-23 - 2026-07-26 = 5 + 31 + 30 + 31 + 23 = 120 days.
        // p2: 91, moderate, caseload null (passes), never contacted.
        // p3: age 70 fails. p4: mild fails (and on caseload).
        // p5: 79, "Severe" matches ignoring case, 2026-11-23 - 2026-08-25 = 6 + 30 + 31 + 23
        //     = 90 days: exactly 90 passes.
        // Null id: never selected.
        // Sorted by lace: p1 12, p5 10, p2 9.
        assert_eq!(strs(&list, "patient_id"), ["p1", "p5", "p2"]);
        assert_eq!(
            strs(&list, "reasons"),
            [
                "age 82; eFI severe; no contact 120 days",
                "age 79; eFI Severe; no contact 90 days",
                "age 91; eFI moderate; never contacted",
            ]
        );
        assert_eq!(list.num_columns(), 9);
        assert_eq!(list.schema().metadata()["carecoord.rows_selected"], "3");
        // 89 days is too recent.
        let list = CohortFilter::new()
            .no_contact_for_days("last_contact", 91, index())
            .apply(&people())
            .unwrap();
        assert_eq!(strs(&list, "patient_id"), ["p1", "p2", "p3"]);
    }

    #[test]
    fn registers_practices_scores_and_id_sets() {
        let list = CohortFilter::new()
            .practice_in("practice", ["SYN001"])
            .on_register("palliative")
            .score_at_least("lace", 10.0)
            .not_on_caseload_ids(["p3"])
            .apply(&people())
            .unwrap();
        // SYN001 and palliative: p1, p2, p3 (p5 null register fails); lace >= 10: p1, p3;
        // p3 excluded by the id set. Sorted by id.
        assert_eq!(strs(&list, "patient_id"), ["p1"]);
        assert_eq!(strs(&list, "reasons"), ["palliative; lace 12"]);
        // No criteria: everyone with an id, by id.
        let all = CohortFilter::new().apply(&people()).unwrap();
        assert_eq!(strs(&all, "patient_id"), ["p1", "p2", "p3", "p4", "p5"]);
        assert_eq!(strs(&all, "reasons"), ["", "", "", "", ""]);
    }

    #[test]
    fn errors_name_the_column() {
        let p = people();
        let missing = |f: CohortFilter| match f.apply(&p) {
            Err(RiskError::MissingColumn { column }) => column,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            missing(CohortFilter::new().age_between("age_years", 1, 2)),
            "age_years"
        );
        assert_eq!(
            missing(CohortFilter::new().on_register("dementia")),
            "dementia"
        );
        assert_eq!(missing(CohortFilter::new().sort_by_score("efi")), "efi");
        assert_eq!(missing(CohortFilter::new().id_column("nhs")), "nhs");
        assert_eq!(
            missing(CohortFilter::new().no_contact_for_days("contact", 1, index())),
            "contact"
        );
        assert!(matches!(
            CohortFilter::new().age_between("age", 90, 80).apply(&p),
            Err(RiskError::InvalidOption { option: "age", .. })
        ));
        assert!(matches!(
            CohortFilter::new()
                .band_in("efi_band", Vec::<String>::new())
                .apply(&p),
            Err(RiskError::InvalidOption {
                option: "bands",
                ..
            })
        ));
        assert!(matches!(
            CohortFilter::new()
                .score_at_least("lace", f64::NAN)
                .apply(&p),
            Err(RiskError::InvalidOption {
                option: "threshold",
                ..
            })
        ));
        assert!(matches!(
            CohortFilter::new().on_register("efi_band").apply(&p),
            Err(RiskError::ColumnType { column, .. }) if column == "efi_band"
        ));
        assert!(matches!(
            CohortFilter::new().no_contact_for_days("age", 1, index()).apply(&p),
            Err(RiskError::ColumnType { column, .. }) if column == "age"
        ));
    }

    #[test]
    fn dates_as_text_and_timestamps() {
        // 2026-08-24T23:30Z is 00:30 BST on 25 August in London: 90 days before the index.
        let t = DateTime::parse_from_rfc3339("2026-08-24T23:30:00Z")
            .unwrap()
            .timestamp();
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(Int64Array::from(vec![1, 2, 3, 4])) as ArrayRef,
            ),
            (
                "iso",
                Arc::new(StringArray::from(vec![
                    Some("2026-08-25"),
                    Some("2026-08-26T09:00:00"),
                    Some("not a date"),
                    None,
                ])) as _,
            ),
            (
                "ts",
                Arc::new(
                    TimestampSecondArray::from(vec![Some(t), Some(t), Some(t), None])
                        .with_timezone("UTC"),
                ) as _,
            ),
        ])
        .unwrap();
        let ids = |col: &str| {
            let r = CohortFilter::new()
                .no_contact_for_days(col, 90, index())
                .apply(&b)
                .unwrap();
            r.column_by_name("patient_id")
                .unwrap()
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .values()
                .to_vec()
        };
        // 1: 90 days; 2: 89 days (too recent); 3: unreadable; 4: never contacted.
        assert_eq!(ids("iso"), vec![1, 4]);
        // Zoned timestamps use the London date (25 August), so 1-3 are 90 days.
        assert_eq!(ids("ts"), vec![1, 2, 3, 4]);
    }

    #[test]
    fn output_keeps_types_dictionaries_and_refuses_nested() {
        let dict: DictionaryArray<Int32Type> =
            vec!["SYN001", "SYN002", "SYN001"].into_iter().collect();
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["c", "a", "b"])) as ArrayRef,
            ),
            ("practice", Arc::new(dict) as _),
            (
                "score",
                Arc::new(Int32Array::from(vec![Some(1), None, Some(3)])) as _,
            ),
        ])
        .unwrap();
        let out = CohortFilter::new()
            .practice_in("practice", ["SYN001"])
            .sort_by_score("score")
            .apply(&b)
            .unwrap();
        assert_eq!(strs(&out, "patient_id"), ["b", "c"]);
        assert_eq!(
            out.schema().field(1).data_type(),
            b.schema().field(1).data_type()
        );
        // Nulls sort last.
        let out = CohortFilter::new()
            .sort_by_score("score")
            .apply(&b)
            .unwrap();
        assert_eq!(strs(&out, "patient_id"), ["b", "c", "a"]);
        let list = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1)]),
            None,
            None,
        ]);
        let nested = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["c", "a", "b"])) as ArrayRef,
            ),
            ("l", Arc::new(list) as _),
        ])
        .unwrap();
        assert!(matches!(
            CohortFilter::new().apply(&nested),
            Err(RiskError::ColumnType { column, .. }) if column == "l"
        ));
        let with_reasons = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
            ),
            ("reasons", Arc::new(StringArray::from(vec!["x"])) as _),
        ])
        .unwrap();
        assert!(matches!(
            CohortFilter::new().apply(&with_reasons),
            Err(RiskError::InvalidOption {
                option: "reasons",
                ..
            })
        ));
    }

    #[test]
    fn number_format() {
        assert_eq!(fmt_num(82.0), "82");
        assert_eq!(fmt_num(0.388_888), "0.389");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(-3.0), "-3");
    }

    proptest! {
        // Selection is exactly the rows meeting every criterion; the output is sorted by
        // score descending then id; the same rows in any order give the same list.
        #[test]
        fn selection_and_order(rows in proptest::collection::vec((0u8..110, 0u8..20, any::<bool>()), 0..80).prop_flat_map(|v| {
            let rows: Vec<(usize, (u8, u8, bool))> = v.into_iter().enumerate().collect();
            (Just(rows.clone()), Just(rows).prop_shuffle())
        })) {
            let (a, b) = rows;
            let run = |rows: &[(usize, (u8, u8, bool))]| {
                let batch = RecordBatch::try_from_iter([
                    ("patient_id", Arc::new(StringArray::from(rows.iter().map(|r| format!("p{:03}", r.0)).collect::<Vec<_>>())) as ArrayRef),
                    ("age", Arc::new(UInt8Array::from(rows.iter().map(|r| r.1.0).collect::<Vec<_>>())) as _),
                    ("score", Arc::new(UInt8Array::from(rows.iter().map(|r| r.1.1).collect::<Vec<_>>())) as _),
                    ("frail", Arc::new(BooleanArray::from(rows.iter().map(|r| r.1.2).collect::<Vec<_>>())) as _),
                ]).unwrap();
                let out = CohortFilter::new()
                    .age_between("age", 65, 100)
                    .score_at_least("score", 5.0)
                    .on_register("frail")
                    .sort_by_score("score")
                    .apply(&batch)
                    .unwrap();
                strs(&out, "patient_id")
            };
            let got = run(&a);
            prop_assert_eq!(&got, &run(&b));
            let mut want: Vec<(u8, String)> = a.iter()
                .filter(|r| (65..=100).contains(&r.1.0) && r.1.1 >= 5 && r.1.2)
                .map(|r| (r.1.1, format!("p{:03}", r.0)))
                .collect();
            want.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)));
            prop_assert_eq!(got, want.into_iter().map(|w| w.1).collect::<Vec<_>>());
        }
    }
}
