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
use serde_json::{json, Map, Value};

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
    /// `carecoord.rows_selected`. A table held as several batches: [`CohortFilter::apply_batches`].
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
        self.apply_batches(std::slice::from_ref(batch))
    }

    /// As [`CohortFilter::apply`], over a table given as record batches with one schema (an
    /// Arrow table's chunks), read batch by batch without concatenating them.
    ///
    /// The output is one batch, the same as [`CohortFilter::apply`] gives for the
    /// concatenated table, except that a dictionary column whose batches carry different
    /// dictionaries comes out decoded as `Utf8`. `carecoord.rows_in` counts the rows of all
    /// batches.
    ///
    /// # Errors
    ///
    /// As [`CohortFilter::apply`], checked in every batch; [`RiskError::Arrow`] when the
    /// batches' column names or types differ; [`RiskError::InvalidOption`] (option
    /// `batches`) for no batches at all (the output schema comes from the first batch).
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
    /// use carecoord::risk::CohortFilter;
    ///
    /// let chunk = |ids: Vec<&str>, lace: Vec<f64>| RecordBatch::try_from_iter([
    ///     ("patient_id", Arc::new(StringArray::from(ids)) as _),
    ///     ("lace", Arc::new(Float64Array::from(lace)) as _),
    /// ]);
    /// let chunks = [chunk(vec!["a", "b"], vec![11.0, 9.0])?, chunk(vec!["c"], vec![14.0])?];
    /// let list = CohortFilter::new().score_at_least("lace", 10.0).sort_by_score("lace")
    ///     .apply_batches(&chunks)?;
    /// let ids = list.column_by_name("patient_id").unwrap();
    /// let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
    /// assert_eq!((ids.value(0), ids.value(1)), ("c", "a"));
    /// assert_eq!(list.schema().metadata()["carecoord.rows_in"], "3");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batches(&self, batches: &[RecordBatch]) -> Result<RecordBatch, RiskError> {
        let picked = self.pick(batches)?;
        let picks: Vec<At> = picked.iter().map(|p| p.0).collect();
        let schema = batches[0].schema();
        let mut fields: Vec<Field> = Vec::with_capacity(schema.fields().len() + 1);
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len() + 1);
        for (c, f) in schema.fields().iter().enumerate() {
            let sources: Vec<&dyn Array> = batches.iter().map(|b| b.column(c).as_ref()).collect();
            let a = gather(&sources, &picks, f.name())?;
            // The gathered type differs only for dictionaries decoded to text.
            fields.push(f.as_ref().clone().with_data_type(a.data_type().clone()));
            arrays.push(a);
        }
        fields.push(Field::new("reasons", DataType::Utf8, false));
        arrays.push(Arc::new(StringArray::from_iter_values(
            picked.iter().map(|p| p.1.as_str()),
        )));
        let rows_in: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let mut metadata = schema.metadata().clone();
        metadata.insert("carecoord.instrument".into(), "cohort".into());
        metadata.insert("carecoord.version".into(), env!("CARGO_PKG_VERSION").into());
        metadata.insert("carecoord.rows_in".into(), rows_in.to_string());
        metadata.insert("carecoord.rows_selected".into(), picks.len().to_string());
        RecordBatch::try_new(
            Arc::new(Schema::new_with_metadata(fields, metadata)),
            arrays,
        )
        .map_err(|e| RiskError::Arrow(e.to_string()))
    }

    /// The selection without the data: for each selected row, in output order, its
    /// zero-based row number (across batches, as in [`CohortFilter::apply_batches`]) and its
    /// reasons. This is what the C ABI returns as arrays.
    ///
    /// # Errors
    ///
    /// As [`CohortFilter::apply_batches`] (except for nested columns, which are not read).
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Int32Array, RecordBatch, StringArray};
    /// use carecoord::risk::{CohortFilter, CohortMatch};
    ///
    /// let table = RecordBatch::try_from_iter([
    ///     ("patient_id", Arc::new(StringArray::from(vec!["b", "a", "c"])) as _),
    ///     ("age", Arc::new(Int32Array::from(vec![80, 90, 60])) as _),
    /// ])?;
    /// let picked = CohortFilter::new().age_between("age", 75, 120).select(&[table])?;
    /// // Sorted by id: a (row 1), then b (row 0).
    /// assert_eq!(picked, vec![
    ///     CohortMatch { row: 1, reasons: "age 90".into() },
    ///     CohortMatch { row: 0, reasons: "age 80".into() },
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn select(&self, batches: &[RecordBatch]) -> Result<Vec<CohortMatch>, RiskError> {
        Ok(self
            .pick(batches)?
            .into_iter()
            .map(|(at, reasons)| CohortMatch {
                row: at.row,
                reasons,
            })
            .collect())
    }

    /// The selected rows with their reasons, in output order.
    fn pick(&self, batches: &[RecordBatch]) -> Result<Vec<(At, String)>, RiskError> {
        self.validate()?;
        let Some(first) = batches.first() else {
            return Err(invalid(
                "batches",
                "at least one record batch is needed: it carries the schema",
            ));
        };
        if first.column_by_name("reasons").is_some() {
            return Err(invalid(
                "reasons",
                "the input already has a `reasons` column",
            ));
        }
        let schema = first.schema();
        for (b, batch) in batches.iter().enumerate().skip(1) {
            let other = batch.schema();
            let same = other.fields().len() == schema.fields().len()
                && other
                    .fields()
                    .iter()
                    .zip(schema.fields())
                    .all(|(x, y)| x.name() == y.name() && x.data_type() == y.data_type());
            if !same {
                return Err(RiskError::Arrow(format!(
                    "batch {b}: column names or types differ from batch 0"
                )));
            }
        }
        // (sort key, id text, where, reasons)
        let mut picked: Vec<(Option<f64>, String, At, String)> = Vec::new();
        let mut offset = 0;
        for (b, batch) in batches.iter().enumerate() {
            let criteria = self.resolve(batch)?;
            for index in 0..batch.num_rows() {
                let Some(id) = criteria.ids.text(index) else {
                    continue;
                };
                if let Some(why) = criteria.reasons(index, id.as_ref()) {
                    let key = criteria
                        .sort
                        .as_ref()
                        .and_then(|c| c.number(index).ok().flatten());
                    let at = At {
                        batch: b,
                        index,
                        row: offset + index,
                    };
                    picked.push((key, id.into_owned(), at, why));
                }
            }
            offset += batch.num_rows();
        }
        // Sort: score descending (nulls and NaN last), then id bytewise.
        picked.sort_by(|a, b| {
            match (a.0, b.0) {
                (Some(x), Some(y)) => (y + 0.0).total_cmp(&(x + 0.0)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
        });
        Ok(picked.into_iter().map(|p| (p.2, p.3)).collect())
    }

    /// The criteria's columns in one batch, downcast and type-checked.
    fn resolve<'a>(&'a self, batch: &'a RecordBatch) -> Result<Criteria<'a>, RiskError> {
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
            .map(|(c, set)| Ok((col(c, ColKinds::TEXT)?, set.as_slice(), self.label_of(c))))
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
        Ok(Criteria {
            ids,
            age,
            practice,
            registers,
            bands,
            thresholds,
            caseload,
            caseload_ids,
            contact,
            sort,
        })
    }
}

/// One selected row of [`CohortFilter::select`].
///
/// ```
/// use carecoord::risk::CohortMatch;
/// let m = CohortMatch { row: 4, reasons: "age 82; eFI severe".into() };
/// assert_eq!(m.row, 4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CohortMatch {
    /// Zero-based row number in the input (across batches).
    pub row: usize,
    /// The criteria met, in plain words, `; `-separated (as the `reasons` column).
    pub reasons: String,
}

/// The columns of one batch that the criteria read.
struct Criteria<'a> {
    ids: Col<'a>,
    age: Option<(Col<'a>, f64, f64)>,
    practice: Option<(Col<'a>, FxHashSet<&'a str>)>,
    registers: Vec<(Col<'a>, &'a str)>,
    bands: Vec<(Col<'a>, &'a [String], &'a str)>,
    thresholds: Vec<(Col<'a>, f64, &'a str)>,
    caseload: Option<Col<'a>>,
    caseload_ids: Option<FxHashSet<&'a str>>,
    contact: Option<(DateCol<'a>, u32, NaiveDate)>,
    sort: Option<Col<'a>>,
}

impl Criteria<'_> {
    /// The reasons row `i` (with id `id`) is selected for, or `None` when a criterion fails.
    fn reasons(&self, i: usize, id: &str) -> Option<String> {
        let mut why: Vec<String> = Vec::new();
        if let Some((c, lo, hi)) = &self.age {
            match c.number(i) {
                Ok(Some(a)) if a >= *lo && a <= *hi => why.push(format!("age {}", fmt_num(a))),
                _ => return None,
            }
        }
        if let Some((c, set)) = &self.practice {
            if !c.text(i).is_some_and(|p| set.contains(p.as_ref())) {
                return None;
            }
        }
        for (c, label) in &self.registers {
            if c.flag(i) != Ok(Some(true)) {
                return None;
            }
            why.push((*label).to_string());
        }
        for (c, set, label) in &self.bands {
            let v = c.text(i)?;
            let v = v.trim();
            if !set.iter().any(|b| b.trim().eq_ignore_ascii_case(v)) {
                return None;
            }
            why.push(format!("{label} {v}"));
        }
        for (c, t, label) in &self.thresholds {
            match c.number(i) {
                Ok(Some(v)) if v >= *t => why.push(format!("{label} {}", fmt_num(v))),
                _ => return None,
            }
        }
        if let Some(c) = &self.caseload {
            if !matches!(c.flag(i), Ok(Some(false) | None)) {
                return None;
            }
        }
        if self.caseload_ids.as_ref().is_some_and(|s| s.contains(id)) {
            return None;
        }
        if let Some((c, days, index)) = &self.contact {
            match c.date(i) {
                Ok(None) => why.push("never contacted".to_string()),
                Ok(Some(d)) => {
                    let since = (*index - d).num_days();
                    if since < i64::from(*days) {
                        return None;
                    }
                    why.push(format!("no contact {since} days"));
                }
                Err(()) => return None,
            }
        }
        Some(why.join("; "))
    }
}

// ---- the JSON form of a filter --------------------------------------------------------------

fn spec_err(path: impl Into<String>, reason: impl Into<String>) -> RiskError {
    RiskError::CohortSpec {
        path: path.into(),
        reason: reason.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The object at `path`, refusing keys not in `known`.
fn object<'v>(
    v: &'v Value,
    path: &str,
    known: &[&str],
) -> Result<&'v Map<String, Value>, RiskError> {
    let Value::Object(map) = v else {
        return Err(spec_err(
            if path.is_empty() { "$" } else { path },
            "must be a JSON object",
        ));
    };
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        let expected: Vec<String> = known.iter().map(|f| format!("`{f}`")).collect();
        // The key is the caller's text but a field name, not data: shown, truncated.
        let shown: String = k.chars().take(40).collect();
        return Err(spec_err(
            join(path, &shown),
            format!("unknown field; expected one of {}", expected.join(", ")),
        ));
    }
    Ok(map)
}

fn required<'v>(
    map: &'v Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<&'v Value, RiskError> {
    map.get(key)
        .ok_or_else(|| spec_err(join(path, key), "missing field"))
}

fn text(v: &Value, path: &str) -> Result<String, RiskError> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
        Value::String(_) => Err(spec_err(path, "must not be empty")),
        _ => Err(spec_err(path, "must be a string")),
    }
}

fn texts(v: &Value, path: &str) -> Result<Vec<String>, RiskError> {
    let Value::Array(items) = v else {
        return Err(spec_err(path, "must be an array of strings"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| text(x, &format!("{path}[{i}]")))
        .collect()
}

fn non_empty_texts(v: &Value, path: &str, what: &str) -> Result<Vec<String>, RiskError> {
    let out = texts(v, path)?;
    if out.is_empty() {
        return Err(spec_err(
            path,
            format!("an empty {what} set selects nobody"),
        ));
    }
    Ok(out)
}

fn whole(v: &Value, path: &str) -> Result<u32, RiskError> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| spec_err(path, "must be a whole number from 0 to 4294967295"))
}

fn number(v: &Value, path: &str) -> Result<f64, RiskError> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| spec_err(path, "must be a finite number"))
}

fn date(v: &Value, path: &str) -> Result<NaiveDate, RiskError> {
    v.as_str()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .ok_or_else(|| spec_err(path, "must be a date written YYYY-MM-DD"))
}

/// Each element of the array at `path`, with its own path.
fn each<'v>(
    v: &'v Value,
    path: &str,
) -> Result<impl Iterator<Item = (String, &'v Value)> + 'v, RiskError> {
    let Value::Array(items) = v else {
        return Err(spec_err(path, "must be an array"));
    };
    let path = path.to_string();
    Ok(items
        .iter()
        .enumerate()
        .map(move |(i, x)| (format!("{path}[{i}]"), x)))
}

const FIELDS: [&str; 11] = [
    "id_column",
    "age",
    "practice",
    "registers",
    "bands",
    "scores",
    "not_on_caseload",
    "not_on_caseload_ids",
    "no_contact",
    "sort_by",
    "labels",
];

impl CohortFilter {
    /// Load a filter from its JSON form (for the C ABI and stored configurations).
    ///
    /// Every field is optional; criteria combine as with the builder methods:
    ///
    /// ```json
    /// {"id_column": "patient_id",
    ///  "age": {"column": "age", "min": 75, "max": 120},
    ///  "practice": {"column": "practice", "in": ["SYN001", "SYN002"]},
    ///  "registers": ["palliative"],
    ///  "bands": [{"column": "efi_band", "in": ["moderate", "severe"]}],
    ///  "scores": [{"column": "lace", "at_least": 10}],
    ///  "not_on_caseload": "on_caseload",
    ///  "not_on_caseload_ids": ["p17", "p42"],
    ///  "no_contact": {"column": "last_contact", "days": 90, "index_date": "2026-11-23"},
    ///  "sort_by": "lace",
    ///  "labels": {"efi_band": "eFI"}}
    /// ```
    ///
    /// `age.min` defaults to 0 and `age.max` to 4294967295. Column names and labels must be
    /// non-empty strings; `in` sets must not be empty; unknown fields are refused.
    ///
    /// # Errors
    ///
    /// [`RiskError::CohortSpec`] with the JSON path of the first problem (`$` for text that
    /// is not JSON). Messages name the rule, never a value from the document.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::{CohortFilter, RiskError};
    ///
    /// let f = CohortFilter::from_json(r#"{"age": {"column": "age", "min": 75}, "registers": ["palliative"]}"#)?;
    /// assert_eq!(f, CohortFilter::new().age_between("age", 75, u32::MAX).on_register("palliative"));
    /// let err = CohortFilter::from_json(r#"{"bands": [{"column": "efi_band", "in": []}]}"#).unwrap_err();
    /// assert!(matches!(err, RiskError::CohortSpec { ref path, .. } if path == "bands[0].in"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, RiskError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| spec_err("$", format!("not valid JSON: {e}")))?;
        Self::from_json_value(&value)
    }

    /// Load a filter from an already parsed JSON value (the format of
    /// [`CohortFilter::from_json`]).
    ///
    /// # Errors
    ///
    /// As [`CohortFilter::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::CohortFilter;
    /// let v = serde_json::json!({"scores": [{"column": "lace", "at_least": 10}], "sort_by": "lace"});
    /// let f = CohortFilter::from_json_value(&v)?;
    /// assert_eq!(f, CohortFilter::new().score_at_least("lace", 10.0).sort_by_score("lace"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_value(value: &Value) -> Result<Self, RiskError> {
        let map = object(value, "", &FIELDS)?;
        let mut f = Self::new();
        if let Some(v) = map.get("id_column") {
            f.id_column = Some(text(v, "id_column")?);
        }
        if let Some(v) = map.get("age") {
            let m = object(v, "age", &["column", "min", "max"])?;
            let column = text(required(m, "age", "column")?, "age.column")?;
            let min = m.get("min").map(|x| whole(x, "age.min")).transpose()?;
            let max = m.get("max").map(|x| whole(x, "age.max")).transpose()?;
            let (min, max) = (min.unwrap_or(0), max.unwrap_or(u32::MAX));
            if min > max {
                return Err(spec_err("age.min", "minimum age is above the maximum"));
            }
            f.age = Some((column, min, max));
        }
        if let Some(v) = map.get("practice") {
            let m = object(v, "practice", &["column", "in"])?;
            let column = text(required(m, "practice", "column")?, "practice.column")?;
            let set = non_empty_texts(required(m, "practice", "in")?, "practice.in", "practice")?;
            f.practice = Some((column, set));
        }
        if let Some(v) = map.get("registers") {
            f.registers = texts(v, "registers")?;
        }
        if let Some(v) = map.get("bands") {
            for (path, item) in each(v, "bands")? {
                let m = object(item, &path, &["column", "in"])?;
                let column = text(required(m, &path, "column")?, &join(&path, "column"))?;
                let set = non_empty_texts(required(m, &path, "in")?, &join(&path, "in"), "band")?;
                f.bands.push((column, set));
            }
        }
        if let Some(v) = map.get("scores") {
            for (path, item) in each(v, "scores")? {
                let m = object(item, &path, &["column", "at_least"])?;
                let column = text(required(m, &path, "column")?, &join(&path, "column"))?;
                let t = number(required(m, &path, "at_least")?, &join(&path, "at_least"))?;
                f.thresholds.push((column, t));
            }
        }
        if let Some(v) = map.get("not_on_caseload") {
            f.caseload_column = Some(text(v, "not_on_caseload")?);
        }
        if let Some(v) = map.get("not_on_caseload_ids") {
            f.caseload_ids = Some(texts(v, "not_on_caseload_ids")?);
        }
        if let Some(v) = map.get("no_contact") {
            let m = object(v, "no_contact", &["column", "days", "index_date"])?;
            let column = text(required(m, "no_contact", "column")?, "no_contact.column")?;
            let days = whole(required(m, "no_contact", "days")?, "no_contact.days")?;
            let index = date(
                required(m, "no_contact", "index_date")?,
                "no_contact.index_date",
            )?;
            f.no_contact = Some((column, days, index));
        }
        if let Some(v) = map.get("sort_by") {
            f.sort_by = Some(text(v, "sort_by")?);
        }
        if let Some(v) = map.get("labels") {
            let Value::Object(labels) = v else {
                return Err(spec_err("labels", "must be an object of column: label"));
            };
            for (column, label) in labels {
                let shown: String = column.chars().take(40).collect();
                let label = text(label, &format!("labels.{shown}"))?;
                f = f.label(column, &label);
            }
        }
        Ok(f)
    }

    /// The filter in the JSON form [`CohortFilter::from_json`] reads.
    ///
    /// ```
    /// use carecoord::risk::CohortFilter;
    /// let f = CohortFilter::new().band_in("efi_band", ["severe"]).label("efi_band", "eFI");
    /// assert_eq!(CohortFilter::from_json(&f.to_json())?, f);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut m = Map::new();
        if let Some(c) = &self.id_column {
            m.insert("id_column".into(), json!(c));
        }
        if let Some((c, lo, hi)) = &self.age {
            m.insert("age".into(), json!({"column": c, "min": lo, "max": hi}));
        }
        if let Some((c, set)) = &self.practice {
            m.insert("practice".into(), json!({"column": c, "in": set}));
        }
        if !self.registers.is_empty() {
            m.insert("registers".into(), json!(self.registers));
        }
        if !self.bands.is_empty() {
            let bands: Vec<Value> = self
                .bands
                .iter()
                .map(|(c, set)| json!({"column": c, "in": set}))
                .collect();
            m.insert("bands".into(), Value::Array(bands));
        }
        if !self.thresholds.is_empty() {
            let scores: Vec<Value> = self
                .thresholds
                .iter()
                .map(|(c, t)| json!({"column": c, "at_least": t}))
                .collect();
            m.insert("scores".into(), Value::Array(scores));
        }
        if let Some(c) = &self.caseload_column {
            m.insert("not_on_caseload".into(), json!(c));
        }
        if let Some(ids) = &self.caseload_ids {
            m.insert("not_on_caseload_ids".into(), json!(ids));
        }
        if let Some((c, days, index)) = &self.no_contact {
            m.insert(
                "no_contact".into(),
                json!({"column": c, "days": days, "index_date": index.format("%Y-%m-%d").to_string()}),
            );
        }
        if let Some(c) = &self.sort_by {
            m.insert("sort_by".into(), json!(c));
        }
        if !self.labels.is_empty() {
            let labels: Map<String, Value> = self
                .labels
                .iter()
                .map(|(c, l)| (c.clone(), json!(l)))
                .collect();
            m.insert("labels".into(), Value::Object(labels));
        }
        Value::Object(m).to_string()
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

    /// `b` split into chunks of `size` rows.
    fn chunks(b: &RecordBatch, size: usize) -> Vec<RecordBatch> {
        (0..b.num_rows())
            .step_by(size)
            .map(|o| b.slice(o, size.min(b.num_rows() - o)))
            .collect()
    }

    fn review() -> CohortFilter {
        CohortFilter::new()
            .age_between("age", 75, 120)
            .band_in("efi_band", ["moderate", "severe"])
            .label("efi_band", "eFI")
            .not_on_caseload("on_caseload")
            .no_contact_for_days("last_contact", 90, index())
            .sort_by_score("lace")
    }

    #[test]
    fn batches_give_the_same_list_as_one_batch() {
        let one = review().apply(&people()).unwrap();
        for size in 1..=6 {
            let parts = chunks(&people(), size);
            assert_eq!(parts.len(), 6usize.div_ceil(size));
            let many = review().apply_batches(&parts).unwrap();
            assert_eq!(many, one, "chunks of {size}");
        }
        // The hand-checked list of `locality_review_list`: p1 (row 0), p5 (row 4), p2 (row 1).
        let picked = review().select(&chunks(&people(), 4)).unwrap();
        assert_eq!(
            picked,
            vec![
                CohortMatch {
                    row: 0,
                    reasons: "age 82; eFI severe; no contact 120 days".into()
                },
                CohortMatch {
                    row: 4,
                    reasons: "age 79; eFI Severe; no contact 90 days".into()
                },
                CohortMatch {
                    row: 1,
                    reasons: "age 91; eFI moderate; never contacted".into()
                },
            ]
        );
        assert!(matches!(
            review().apply_batches(&[]),
            Err(RiskError::InvalidOption {
                option: "batches",
                ..
            })
        ));
        // A second batch with another schema.
        let other = RecordBatch::try_from_iter([(
            "patient_id",
            Arc::new(StringArray::from(vec!["z"])) as ArrayRef,
        )])
        .unwrap();
        assert!(matches!(
            CohortFilter::new().apply_batches(&[people(), other]),
            Err(RiskError::Arrow(m)) if m.starts_with("batch 1:")
        ));
        // Dictionaries that differ between batches come out as text.
        let dict = |v: Vec<&str>| {
            let d: DictionaryArray<Int32Type> = v.into_iter().collect();
            RecordBatch::try_from_iter([
                (
                    "patient_id",
                    Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
                ),
                ("practice", Arc::new(d) as _),
            ])
            .unwrap()
        };
        let out = CohortFilter::new()
            .apply_batches(&[dict(vec!["SYN001"]), dict(vec!["SYN002"])])
            .unwrap();
        assert_eq!(out.schema().field(1).data_type(), &DataType::Utf8);
        assert_eq!(strs(&out, "practice"), ["SYN001", "SYN002"]);
    }

    const SPEC: &str = r#"{"id_column": "patient_id",
        "age": {"column": "age", "min": 75, "max": 120},
        "practice": {"column": "practice", "in": ["SYN001"]},
        "registers": ["palliative"],
        "bands": [{"column": "efi_band", "in": ["moderate", "severe"]}],
        "scores": [{"column": "lace", "at_least": 10}],
        "not_on_caseload": "on_caseload",
        "not_on_caseload_ids": ["p3"],
        "no_contact": {"column": "last_contact", "days": 90, "index_date": "2026-11-23"},
        "sort_by": "lace",
        "labels": {"efi_band": "eFI", "palliative": "palliative register"}}"#;

    #[test]
    fn json_form() {
        let f = CohortFilter::from_json(SPEC).unwrap();
        let built = CohortFilter::new()
            .id_column("patient_id")
            .age_between("age", 75, 120)
            .practice_in("practice", ["SYN001"])
            .on_register("palliative")
            .band_in("efi_band", ["moderate", "severe"])
            .score_at_least("lace", 10.0)
            .not_on_caseload("on_caseload")
            .not_on_caseload_ids(["p3"])
            .no_contact_for_days("last_contact", 90, index())
            .sort_by_score("lace");
        let labelled = |f: CohortFilter| {
            f.label("efi_band", "eFI")
                .label("palliative", "palliative register")
        };
        assert_eq!(
            f.apply(&people()).unwrap(),
            labelled(built.clone()).apply(&people()).unwrap()
        );
        // p1 only: 82, SYN001, palliative, severe, lace 12, not on caseload, 120 days.
        assert_eq!(
            strs(&f.apply(&people()).unwrap(), "reasons"),
            ["age 82; palliative register; eFI severe; lace 12; no contact 120 days"]
        );
        assert_eq!(
            CohortFilter::from_json(&f.to_json()).unwrap().to_json(),
            f.to_json()
        );
        assert_eq!(CohortFilter::from_json("{}").unwrap(), CohortFilter::new());
        assert_eq!(
            CohortFilter::from_json(r#"{"age": {"column": "age"}}"#).unwrap(),
            CohortFilter::new().age_between("age", 0, u32::MAX)
        );
    }

    #[test]
    fn json_errors_name_the_path() {
        let path = |json: &str| match CohortFilter::from_json(json) {
            Err(RiskError::CohortSpec { path, reason }) => {
                assert!(!reason.contains("SYN9"), "{reason}");
                path
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(path("{"), "$");
        assert_eq!(path("[]"), "$");
        assert_eq!(path(r#"{"agee": 1}"#), "agee");
        assert_eq!(
            path(r#"{"age": {"column": "age", "min": 80, "max": 70}}"#),
            "age.min"
        );
        assert_eq!(path(r#"{"age": {"column": "age", "min": -1}}"#), "age.min");
        assert_eq!(path(r#"{"age": {"min": 1}}"#), "age.column");
        assert_eq!(path(r#"{"age": 75}"#), "age");
        assert_eq!(
            path(r#"{"practice": {"column": "p", "in": []}}"#),
            "practice.in"
        );
        assert_eq!(
            path(r#"{"practice": {"column": "p", "in": ["SYN9", 7]}}"#),
            "practice.in[1]"
        );
        assert_eq!(path(r#"{"registers": "palliative"}"#), "registers");
        assert_eq!(
            path(
                r#"{"bands": [{"column": "b", "in": ["x"]}, {"column": "c", "in": ["y"], "label": "z"}]}"#
            ),
            "bands[1].label"
        );
        assert_eq!(
            path(r#"{"scores": [{"column": "lace", "at_least": "ten"}]}"#),
            "scores[0].at_least"
        );
        assert_eq!(
            path(r#"{"scores": [{"column": "lace"}]}"#),
            "scores[0].at_least"
        );
        assert_eq!(path(r#"{"not_on_caseload": ""}"#), "not_on_caseload");
        assert_eq!(
            path(r#"{"no_contact": {"column": "c", "days": 90, "index_date": "23/11/2026"}}"#),
            "no_contact.index_date"
        );
        assert_eq!(
            path(r#"{"no_contact": {"column": "c", "index_date": "2026-11-23"}}"#),
            "no_contact.days"
        );
        assert_eq!(path(r#"{"labels": {"efi_band": 3}}"#), "labels.efi_band");
        assert_eq!(path(r#"{"labels": ["eFI"]}"#), "labels");
        let e = CohortFilter::from_json(r#"{"sort": "lace"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "cohort filter specification at `sort`: unknown field; expected one of `id_column`"
            ),
            "{e}"
        );
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
