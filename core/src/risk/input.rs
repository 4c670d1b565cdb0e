//! Long-format Arrow input shared by the code-based scores: one row per (patient, code,
//! optional date), in one or more [`RecordBatch`]es with the same schema.
//!
//! The walker borrows string slices from the input arrays (no copy of input buffers), groups
//! rows by patient in order of first appearance and sends every row to exactly one of three
//! places: scored (handed to the caller's visitor), excluded by the date window, or rejected
//! (with a row number, field and stable reason code). Code parsing is the caller's, so the
//! same walker serves ICD-10 (Charlson, Elixhauser, HFRS) and SNOMED CT (eFI).
//!
//! Performance: codes (and dates) are parsed first, in parallel chunks of 64Ki rows, into
//! compact per-row values; rows are then walked once in order. Input sorted by patient is the
//! fast path (a new run of ids is a new patient, nothing is hashed). Otherwise the ids are
//! grouped once for the whole input by hash partitioning, with tables that compare the
//! borrowed ids exactly; see `LongTable::group_rows`. The scores, which need no per-row
//! output, skip the walk: `LongTable::fold_sorted` parses and folds sorted input in one
//! parallel pass, and `LongTable::fold_grouped` (the `scatter` module for most id types)
//! folds input in any order. Results never depend on the number of threads.
//!
//! Reject precedence, first match wins, one reject per row: `null_patient`; the caller's row
//! check (for the scores here: `negative_age`); `null_code`; the code parser's reason (e.g.
//! [`Icd10Error::code`](crate::ids::Icd10Error::code)); with a window set, `null_date` and
//! `invalid_date`. Only then is the window applied, so a malformed code outside the window is a
//! reject, not an exclusion.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, LargeStringArray, PrimitiveArray, RecordBatch, StringArray, StringViewArray,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, Datelike, NaiveDate};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::output::RowCounts;
use super::RiskError;

mod scatter;

/// Names of the input columns of a long-format table.
///
/// Defaults: patient `patient_id`, code `code`, no date column, no age column.
///
/// # Example
///
/// ```
/// use carecoord::risk::LongInput;
///
/// let cols = LongInput { code: "icd10", date: Some("episode_date"), ..LongInput::default() };
/// assert_eq!(cols.patient, "patient_id");
/// assert_eq!(cols.age, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongInput<'a> {
    /// Patient identifier: `Utf8`, `LargeUtf8`, `Utf8View`, `Int32` or `Int64`. Output tables
    /// keep this type. It is the caller's own key (ideally a pseudonym, DOMAIN.md section 4).
    pub patient: &'a str,
    /// Code: `Utf8`, `LargeUtf8` or `Utf8View`.
    pub code: &'a str,
    /// Event date: `Date32`, `Date64`, `Timestamp` (any unit; with a time zone the instant is
    /// turned into its `Europe/London` calendar date, without one the wall-clock date is
    /// used) or an ISO 8601 string (`YYYY-MM-DD`, optionally followed by `T` or a space and a
    /// time, which is ignored). Read only when a [`Window`] is set.
    pub date: Option<&'a str>,
    /// Age in whole years at the index date, any Arrow integer type; Charlson only (age
    /// points). See [`charlson`](crate::risk::charlson) for how rows that disagree are read.
    pub age: Option<&'a str>,
}

impl Default for LongInput<'_> {
    fn default() -> Self {
        Self {
            patient: "patient_id",
            code: "code",
            date: None,
            age: None,
        }
    }
}

/// A look-back window: only codes dated in `[index_date - lookback_days, index_date]` (both
/// ends included) count.
///
/// # Example
///
/// ```
/// use carecoord::risk::Window;
/// use chrono::NaiveDate;
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // HFRS (Gilbert 2018): the index admission and the previous two years.
/// let w = Window { index_date: d(2026, 11, 23), lookback_days: 730 };
/// assert!(w.contains(d(2024, 11, 23)));
/// assert!(w.contains(d(2026, 11, 23)));
/// assert!(!w.contains(d(2024, 11, 22)));
/// assert!(!w.contains(d(2026, 11, 24)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// The last day that counts (the index date).
    pub index_date: NaiveDate,
    /// How many days before the index date still count.
    pub lookback_days: u32,
}

impl Window {
    /// Whether a date falls in the window (both ends included).
    ///
    /// ```
    /// use carecoord::risk::Window;
    /// use chrono::NaiveDate;
    /// let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// assert!(Window { index_date: d, lookback_days: 0 }.contains(d));
    /// ```
    pub fn contains(&self, date: NaiveDate) -> bool {
        let (lo, hi) = self.bounds();
        (lo..=hi).contains(&epoch_days(date))
    }

    /// `(first, last)` day of the window as days since 1970-01-01.
    pub(crate) fn bounds(&self) -> (i32, i32) {
        let hi = epoch_days(self.index_date);
        (
            hi.saturating_sub(i32::try_from(self.lookback_days).unwrap_or(i32::MAX)),
            hi,
        )
    }
}

/// Options shared by the batch scores.
///
/// # Example
///
/// ```
/// use carecoord::risk::{LongInput, ScoreOptions};
///
/// let opts = ScoreOptions {
///     columns: LongInput { patient: "pseudo_id", ..LongInput::default() },
///     explain: true,
///     ..ScoreOptions::default()
/// };
/// assert!(opts.window.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreOptions<'a> {
    /// Input column names.
    pub columns: LongInput<'a>,
    /// Optional date window; needs [`LongInput::date`].
    pub window: Option<Window>,
    /// Whether to build the explanations table ([`ScoreResult::explanations`](crate::risk::ScoreResult::explanations)).
    pub explain: bool,
}

const EPOCH_FROM_CE: i32 = 719_163;

/// Days since 1970-01-01.
pub(crate) fn epoch_days(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - EPOCH_FROM_CE
}

/// Where a row is: zero-based row number across the concatenated batches, batch and index
/// within the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowAt {
    pub(crate) row: u64,
    pub(crate) batch: u32,
    pub(crate) index: u32,
}

/// Which input column a reject is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Patient,
    Code,
    Date,
    Age,
}

/// A rejected row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reject {
    pub(crate) at: RowAt,
    pub(crate) field: Field,
    pub(crate) reason: &'static str,
}

/// The bookkeeping of one walk: patients in order of first appearance, rejects, counts.
pub(crate) struct Walk {
    /// First row of each patient (its id is read from there).
    pub(crate) patients: Vec<RowAt>,
    pub(crate) rejects: Vec<Reject>,
    pub(crate) counts: RowCounts,
}

/// A string column borrowed from the input.
#[derive(Clone, Copy)]
pub(crate) enum StrCol<'b> {
    Utf8(&'b StringArray),
    Large(&'b LargeStringArray),
    View(&'b StringViewArray),
}

impl<'b> StrCol<'b> {
    fn of(a: &'b dyn Array) -> Option<Self> {
        Some(match a.data_type() {
            DataType::Utf8 => Self::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Self::Large(a.as_string::<i64>()),
            DataType::Utf8View => Self::View(a.as_string_view()),
            _ => return None,
        })
    }

    #[inline(always)]
    pub(crate) fn get(self, i: usize) -> Option<&'b str> {
        match self {
            Self::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
            Self::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
            Self::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// The patient id column.
#[derive(Clone, Copy)]
pub(crate) enum PatientCol<'b> {
    Str(StrCol<'b>),
    I32(&'b PrimitiveArray<Int32Type>),
    I64(&'b PrimitiveArray<Int64Type>),
}

impl<'b> PatientCol<'b> {
    #[inline]
    fn str_key(self, i: usize) -> Option<&'b str> {
        match self {
            Self::Str(s) => s.get(i),
            _ => None,
        }
    }

    #[inline]
    fn int_key(self, i: usize) -> Option<i64> {
        match self {
            Self::I32(a) => (!a.is_null(i)).then(|| i64::from(a.value(i))),
            Self::I64(a) => (!a.is_null(i)).then(|| a.value(i)),
            Self::Str(_) => None,
        }
    }
}

/// An integer column of any Arrow integer type, read as `i64` (large `UInt64` saturates).
#[derive(Clone, Copy)]
pub(crate) enum IntCol<'b> {
    I8(&'b PrimitiveArray<Int8Type>),
    I16(&'b PrimitiveArray<Int16Type>),
    I32(&'b PrimitiveArray<Int32Type>),
    I64(&'b PrimitiveArray<Int64Type>),
    U8(&'b PrimitiveArray<UInt8Type>),
    U16(&'b PrimitiveArray<UInt16Type>),
    U32(&'b PrimitiveArray<UInt32Type>),
    U64(&'b PrimitiveArray<UInt64Type>),
}

impl<'b> IntCol<'b> {
    fn of(a: &'b dyn Array) -> Option<Self> {
        Some(match a.data_type() {
            DataType::Int8 => Self::I8(a.as_primitive()),
            DataType::Int16 => Self::I16(a.as_primitive()),
            DataType::Int32 => Self::I32(a.as_primitive()),
            DataType::Int64 => Self::I64(a.as_primitive()),
            DataType::UInt8 => Self::U8(a.as_primitive()),
            DataType::UInt16 => Self::U16(a.as_primitive()),
            DataType::UInt32 => Self::U32(a.as_primitive()),
            DataType::UInt64 => Self::U64(a.as_primitive()),
            _ => return None,
        })
    }

    /// Whether rows `start..end` are all non-null and non-negative (one vectorised pass:
    /// then a patient's first age is on its first row and no row is rejected for its age).
    fn clean(self, start: usize, end: usize) -> bool {
        macro_rules! clean {
            ($a:expr) => {
                $a.nulls()
                    .is_none_or(|n| n.slice(start, end - start).null_count() == 0)
            };
            ($a:expr, signed) => {
                clean!($a)
                    && $a.values()[start..end]
                        .iter()
                        .fold(true, |ok, &v| ok & (i64::from(v) >= 0))
            };
        }
        match self {
            Self::I8(a) => clean!(a, signed),
            Self::I16(a) => clean!(a, signed),
            Self::I32(a) => clean!(a, signed),
            Self::I64(a) => clean!(a, signed),
            Self::U8(a) => clean!(a),
            Self::U16(a) => clean!(a),
            Self::U32(a) => clean!(a),
            Self::U64(a) => clean!(a),
        }
    }

    #[inline]
    pub(crate) fn get(self, i: usize) -> Option<i64> {
        macro_rules! get {
            ($a:expr) => {{
                let a = $a;
                if a.is_null(i) {
                    None
                } else {
                    Some(i64::try_from(a.value(i)).unwrap_or(i64::MAX))
                }
            }};
        }
        match self {
            Self::I8(a) => get!(a),
            Self::I16(a) => get!(a),
            Self::I32(a) => get!(a),
            Self::I64(a) => get!(a),
            Self::U8(a) => get!(a),
            Self::U16(a) => get!(a),
            Self::U32(a) => get!(a),
            Self::U64(a) => get!(a),
        }
    }
}

/// A date column, read as days since 1970-01-01.
#[derive(Clone, Copy)]
pub(crate) enum DateCol<'b> {
    /// `Date32`.
    Days(&'b [i32], Option<&'b NullBuffer>),
    /// `Date64` (milliseconds) or `Timestamp`: `per_sec` units per second; `zoned` when the
    /// timestamp has a time zone (turned into the `Europe/London` date).
    Instant {
        values: &'b [i64],
        nulls: Option<&'b NullBuffer>,
        per_sec: i64,
        zoned: bool,
    },
    /// ISO 8601 strings.
    Str(StrCol<'b>),
}

impl<'b> DateCol<'b> {
    fn of(a: &'b dyn Array) -> Option<Self> {
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
        use arrow_array::types::{
            Date64Type, TimestampMicrosecondType, TimestampMillisecondType,
            TimestampNanosecondType, TimestampSecondType,
        };
        Some(match a.data_type() {
            DataType::Date32 => {
                let p = a.as_primitive::<arrow_array::types::Date32Type>();
                Self::Days(p.values(), p.nulls())
            }
            DataType::Date64 => instant::<Date64Type>(a, 1_000, false),
            DataType::Timestamp(unit, tz) => {
                let zoned = tz.is_some();
                match unit {
                    TimeUnit::Second => instant::<TimestampSecondType>(a, 1, zoned),
                    TimeUnit::Millisecond => instant::<TimestampMillisecondType>(a, 1_000, zoned),
                    TimeUnit::Microsecond => {
                        instant::<TimestampMicrosecondType>(a, 1_000_000, zoned)
                    }
                    TimeUnit::Nanosecond => {
                        instant::<TimestampNanosecondType>(a, 1_000_000_000, zoned)
                    }
                }
            }
            _ => Self::Str(StrCol::of(a)?),
        })
    }

    /// `Ok(None)` for null, `Err(reason)` for a value that is not a date.
    #[inline]
    fn days(self, i: usize) -> Result<Option<i32>, &'static str> {
        match self {
            Self::Days(v, nulls) => Ok((!nulls.is_some_and(|n| n.is_null(i))).then(|| v[i])),
            Self::Instant {
                values,
                nulls,
                per_sec,
                zoned,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Ok(None);
                }
                let secs = values[i].div_euclid(per_sec);
                if zoned {
                    let utc = DateTime::from_timestamp(secs, 0).ok_or("invalid_date")?;
                    Ok(Some(epoch_days(crate::calendar::local_date(utc))))
                } else {
                    i32::try_from(secs.div_euclid(86_400))
                        .map(Some)
                        .map_err(|_| "invalid_date")
                }
            }
            Self::Str(s) => match s.get(i) {
                None => Ok(None),
                Some(text) => parse_iso_date(text).map(Some).ok_or("invalid_date"),
            },
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space and anything (a time), as days since
/// 1970-01-01.
fn parse_iso_date(s: &str) -> Option<i32> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || (b.len() > 10 && !matches!(b[10], b'T' | b' ')) {
        return None;
    }
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    Some(epoch_days(date))
}

/// The resolved columns of one batch.
pub(crate) struct BatchCols<'b> {
    pub(crate) patient: PatientCol<'b>,
    pub(crate) code: StrCol<'b>,
    date: Option<DateCol<'b>>,
    age: Option<IntCol<'b>>,
    len: usize,
}

/// Long-format input resolved against its batches: column types checked once, then rows
/// walked without copying.
pub(crate) struct LongTable<'b> {
    pub(crate) batches: Vec<BatchCols<'b>>,
    offsets: Vec<u64>,
    rows: usize,
    /// Arrow type of the patient column (`Utf8` when there are no batches).
    pub(crate) patient_type: DataType,
    /// Window bounds in days since 1970-01-01, when a window is set.
    window: Option<(i32, i32)>,
    /// Column names, for the rejects table.
    names: [String; 4],
}

fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array, RiskError> {
    batch
        .column_by_name(name)
        .map(|a| a.as_ref())
        .ok_or_else(|| RiskError::MissingColumn {
            column: name.to_owned(),
        })
}

fn wrong_type(name: &str, expected: &'static str, a: &dyn Array) -> RiskError {
    RiskError::ColumnType {
        column: name.to_owned(),
        expected,
        found: a.data_type().to_string(),
    }
}

impl<'b> LongTable<'b> {
    /// Resolve the columns of every batch.
    ///
    /// Errors: a missing column, an unsupported type, batches whose column types differ,
    /// or a window without a date column.
    pub(crate) fn new(
        batches: &'b [RecordBatch],
        columns: &LongInput<'_>,
        window: Option<&Window>,
    ) -> Result<Self, RiskError> {
        if window.is_some() && columns.date.is_none() {
            return Err(RiskError::InvalidOption {
                option: "window",
                reason: "a date window needs a date column (`columns.date`)".to_owned(),
            });
        }
        let date_name = window.and(columns.date);
        let mut out = Vec::with_capacity(batches.len());
        let mut offsets = Vec::with_capacity(batches.len());
        let mut rows = 0usize;
        let mut types: Option<Vec<DataType>> = None;
        for (b, batch) in batches.iter().enumerate() {
            let p = column(batch, columns.patient)?;
            let patient = match p.data_type() {
                DataType::Int32 => PatientCol::I32(p.as_primitive()),
                DataType::Int64 => PatientCol::I64(p.as_primitive()),
                _ => PatientCol::Str(StrCol::of(p).ok_or_else(|| {
                    wrong_type(
                        columns.patient,
                        "Utf8, LargeUtf8, Utf8View, Int32 or Int64",
                        p,
                    )
                })?),
            };
            let c = column(batch, columns.code)?;
            let code = StrCol::of(c)
                .ok_or_else(|| wrong_type(columns.code, "Utf8, LargeUtf8 or Utf8View", c))?;
            let mut these = vec![p.data_type().clone(), c.data_type().clone()];
            let date = match date_name {
                None => None,
                Some(name) => {
                    let d = column(batch, name)?;
                    these.push(d.data_type().clone());
                    Some(DateCol::of(d).ok_or_else(|| {
                        wrong_type(name, "Date32, Date64, Timestamp or ISO 8601 strings", d)
                    })?)
                }
            };
            let age = match columns.age {
                None => None,
                Some(name) => {
                    let a = column(batch, name)?;
                    these.push(a.data_type().clone());
                    Some(IntCol::of(a).ok_or_else(|| wrong_type(name, "an integer type", a))?)
                }
            };
            match &types {
                None => types = Some(these),
                Some(first) if *first != these => {
                    return Err(RiskError::Arrow(format!(
                        "batch {b}: input column types differ from batch 0"
                    )))
                }
                Some(_) => {}
            }
            offsets.push(rows as u64);
            rows += batch.num_rows();
            out.push(BatchCols {
                patient,
                code,
                date,
                age,
                len: batch.num_rows(),
            });
        }
        if rows >= u32::MAX as usize {
            return Err(RiskError::Arrow(format!(
                "{rows} input rows; at most {} rows per call (score the table in parts split by patient)",
                u32::MAX - 1
            )));
        }
        let patient_type = types.map_or(DataType::Utf8, |t| t[0].clone());
        Ok(Self {
            batches: out,
            offsets,
            rows,
            patient_type,
            window: window.map(Window::bounds),
            names: [
                columns.patient.to_owned(),
                columns.code.to_owned(),
                columns.date.unwrap_or("").to_owned(),
                columns.age.unwrap_or("").to_owned(),
            ],
        })
    }

    /// The input column name behind a reject field.
    pub(crate) fn field_name(&self, field: Field) -> &str {
        &self.names[match field {
            Field::Patient => 0,
            Field::Code => 1,
            Field::Date => 2,
            Field::Age => 3,
        }]
    }

    /// The age on a row, if an age column was given and the value is not null.
    #[inline]
    pub(crate) fn age(&self, at: RowAt) -> Option<i64> {
        self.batches[at.batch as usize]
            .age
            .and_then(|a| a.get(at.index as usize))
    }

    /// Whether an age column was given.
    pub(crate) fn has_age(&self) -> bool {
        !self.names[3].is_empty()
    }

    /// The code text on a row (`None` when null).
    #[inline]
    pub(crate) fn code_at(&self, at: RowAt) -> Option<&'b str> {
        self.batches[at.batch as usize].code.get(at.index as usize)
    }

    /// Walk every row once.
    ///
    /// * `parse(code)` turns a non-null code into the caller's compact value (e.g. a category
    ///   bitmask), or names the reason the row is rejected. It runs first, on all rows, in
    ///   parallel chunks (hence `Fn + Sync`); results are combined in row order, so the walk
    ///   is deterministic.
    /// * `check(at, patient)` then runs, in row order, on every row with a patient, before
    ///   the code's outcome is looked at; an `Err((field, reason))` rejects the row.
    /// * `visit(at, patient, value, date)` receives, in row order, every row that is neither
    ///   rejected nor outside the window; `date` (days since 1970-01-01) is `Some` only when a
    ///   window is set.
    ///
    /// Patients are numbered from 0 in order of first appearance, including patients whose
    /// rows are all rejected or excluded. While the patient ids arrive in strictly increasing
    /// runs (input sorted by patient) no hashing is done; at the first out-of-order run the
    /// whole input is grouped by id once ([`LongTable::group_rows`]).
    pub(crate) fn walk<C: Copy + Default + Send>(
        &self,
        parse: impl Fn(&'b str) -> Result<C, &'static str> + Sync,
        check: impl FnMut(RowAt, u32) -> Result<(), (Field, &'static str)>,
        visit: impl FnMut(RowAt, u32, C, Option<i32>),
    ) -> Walk {
        let chunks = self.parse_chunks(&parse);
        match self.patient_type {
            DataType::Int32 | DataType::Int64 => {
                self.walk_keyed(chunks, PatientCol::int_key, check, visit)
            }
            _ => self.walk_keyed(chunks, PatientCol::str_key, check, visit),
        }
    }

    /// Fold every row into a per-patient accumulator in one parallel pass, for input sorted
    /// by patient; `None` as soon as a patient id is out of order (the caller then uses
    /// [`LongTable::walk`], which groups unsorted input).
    ///
    /// Same rows, rejects (same precedence), counts and patient numbering as `walk` with the
    /// scores' row check (`negative_age`, first non-null age per patient), but each chunk of
    /// rows is parsed, grouped and folded by one thread with no per-row buffer (a chunk with
    /// no null or negative age reads ages only at each patient's first row), and the chunks'
    /// patients stay where they were made ([`Folded`]; `merge` joins a patient whose rows
    /// straddle chunks into the chunk where it starts). `add(acc, value)` receives every
    /// scored row.
    ///
    /// The column types are dispatched on once per call, not per row: `Utf8` codes and
    /// `Utf8`, `Int32` and `Int64` ids are read straight from their Arrow buffers
    /// ([`Utf8Codes`], [`Utf8Keys`], [`PrimKeys`]), other types through the enums.
    pub(crate) fn fold_sorted<C: Copy + Default, A>(
        &self,
        parse: impl Fn(&'b str) -> Result<C, &'static str> + Sync,
        add: impl Fn(&mut A, C) + Sync,
        merge: impl Fn(&mut A, A),
    ) -> Option<Folded<A>>
    where
        A: Copy + Default + Send,
    {
        let (parse, add) = (&parse, &add);
        // Every batch has the patient type of batch 0 (checked in `new`), so the `?`s below
        // do not fail.
        match self.patient_type {
            DataType::Int32 => self.fold_codes(&self.int32_keys()?, parse, add, merge),
            DataType::Int64 => self.fold_codes(&self.int64_keys()?, parse, add, merge),
            DataType::Utf8 => self.fold_codes(&self.utf8_keys()?, parse, add, merge),
            _ => {
                let keys: Vec<PatientCol<'b>> = self.batches.iter().map(|c| c.patient).collect();
                self.fold_codes(&keys, parse, add, merge)
            }
        }
    }

    /// `f` of every batch, or `None` if it is `None` for one.
    fn per_batch<T>(&self, f: impl Fn(&BatchCols<'b>) -> Option<T>) -> Option<Vec<T>> {
        self.batches.iter().map(f).collect()
    }

    /// The `Int32` id columns read from their buffers.
    fn int32_keys(&self) -> Option<Vec<PrimKeys<'b, i32>>> {
        self.per_batch(|c| match c.patient {
            PatientCol::I32(a) => Some(PrimKeys::of(a)),
            _ => None,
        })
    }

    /// The `Int64` id columns read from their buffers.
    fn int64_keys(&self) -> Option<Vec<PrimKeys<'b, i64>>> {
        self.per_batch(|c| match c.patient {
            PatientCol::I64(a) => Some(PrimKeys::of(a)),
            _ => None,
        })
    }

    /// The `Utf8` id columns read from their buffers.
    fn utf8_keys(&self) -> Option<Vec<Utf8Keys<'b>>> {
        self.per_batch(|c| match c.patient {
            PatientCol::Str(StrCol::Utf8(a)) => Some(Utf8Keys::of(a)),
            _ => None,
        })
    }

    /// The `Utf8` code columns read from their buffers, `None` for other string types.
    fn utf8_codes(&self) -> Option<Vec<Utf8Codes<'b>>> {
        self.per_batch(|c| match c.code {
            StrCol::Utf8(a) => Some(Utf8Codes::of(a)),
            _ => None,
        })
    }

    /// [`LongTable::fold_sorted`] with the patient column resolved: resolve the code column.
    fn fold_codes<P: FoldKeys<'b>, C: Copy + Default, A: Copy + Default + Send>(
        &self,
        keys: &[P],
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
        merge: impl Fn(&mut A, A),
    ) -> Option<Folded<A>> {
        match self.utf8_codes() {
            Some(codes) => self.fold_keyed(keys, &codes, parse, add, merge),
            None => {
                let codes: Vec<StrCol<'b>> = self.batches.iter().map(|c| c.code).collect();
                self.fold_keyed(keys, &codes, parse, add, merge)
            }
        }
    }

    fn fold_keyed<
        P: FoldKeys<'b>,
        S: FoldCodes<'b>,
        C: Copy + Default,
        A: Copy + Default + Send,
    >(
        &self,
        keys: &[P],
        codes: &[S],
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
        merge: impl Fn(&mut A, A),
    ) -> Option<Folded<A>> {
        let with_age = self.has_age();
        let unsorted = AtomicBool::new(false);
        let ranges = self.chunk_ranges();
        let chunks: Vec<Option<FoldChunk<P::Key, A>>> = ranges
            .into_par_iter()
            .map_init(ParseCache::<C>::new, |cache, (b, start, end)| {
                if unsorted.load(Ordering::Relaxed) {
                    return None;
                }
                let cols = &self.batches[b];
                let (keys, codes) = (&keys[b], &codes[b]);
                let offset = self.offsets[b];
                let window = self.window.zip(cols.date);
                let age_col = cols.age.filter(|_| with_age);
                // Without a null or negative age in the chunk, a patient's first age is on
                // its first row and no row needs its age checked.
                let ages_clean = age_col.is_none_or(|a| a.clean(start, end));
                let at = |i: usize| RowAt {
                    row: offset + i as u64,
                    batch: b as u32,
                    index: i as u32,
                };
                // Patients get about one row in ten in the usual extract.
                let mut ch = FoldChunk::<P::Key, A>::with_capacity(b, (end - start) / 8);
                let mut prev: Option<P::Key> = None;
                // The current patient's accumulator and first non-null age, pushed to `ch`
                // when the patient's run ends.
                let mut acc = A::default();
                let mut age: Option<u32> = None;
                for i in start..end {
                    let Some(key) = keys.key(i) else {
                        ch.reject(at(i), Field::Patient, "null_patient");
                        continue;
                    };
                    match prev {
                        Some(pk) if pk == key => {}
                        Some(pk) if key < pk => {
                            unsorted.store(true, Ordering::Relaxed);
                            return None;
                        }
                        _ => {
                            if prev.is_some() {
                                ch.end_patient(acc, age, with_age);
                            } else {
                                ch.first_key = Some(key);
                            }
                            ch.firsts.push(i as u32);
                            acc = A::default();
                            age = None;
                            if ages_clean {
                                age = age_col.and_then(|a| a.get(i)).map(age_of);
                            }
                            prev = Some(key);
                        }
                    }
                    if !ages_clean {
                        if let Some(a) = age_col.and_then(|a| a.get(i)) {
                            if a < 0 {
                                ch.reject(at(i), Field::Age, "negative_age");
                                continue;
                            }
                            age.get_or_insert(age_of(a));
                        }
                    }
                    match row_code(cache, codes, window, i, parse) {
                        RowCode::Value(value) => {
                            ch.scored += 1;
                            add(&mut acc, value);
                        }
                        RowCode::Excluded => ch.excluded += 1,
                        RowCode::Reject(field, reason) => ch.reject(at(i), field, reason),
                    }
                }
                if prev.is_some() {
                    ch.end_patient(acc, age, with_age);
                }
                ch.last_key = prev;
                Some(ch)
            })
            .collect();

        // Join the chunks in row order: a patient whose rows straddle chunks is merged into
        // the last chunk that kept a patient, and skipped where it continues.
        let mut out = Folded {
            walk: Walk {
                patients: Vec::new(),
                rejects: Vec::new(),
                counts: RowCounts::default(),
            },
            parts: Vec::with_capacity(chunks.len()),
        };
        let (mut scored, mut excluded, mut patients) = (0usize, 0usize, 0usize);
        let mut last: Option<P::Key> = None;
        // The index in `out.parts` of the last part with a kept patient.
        let mut target: Option<usize> = None;
        for ch in chunks {
            let ch = ch?;
            let mut skip = 0;
            if let (Some(l), Some(f)) = (last, ch.first_key) {
                if f < l {
                    return None;
                }
                if f == l {
                    // The patient continues from an earlier chunk.
                    skip = 1;
                    let t = &mut out.parts[target?];
                    merge(t.acc.last_mut()?, ch.acc[0]);
                    if with_age {
                        let age = t.ages.last_mut()?;
                        if age.is_none() {
                            *age = ch.ages[0];
                        }
                    }
                }
            }
            out.walk.rejects.extend_from_slice(&ch.rejects);
            scored += ch.scored;
            excluded += ch.excluded;
            if ch.last_key.is_some() {
                last = ch.last_key;
            }
            let kept = ch.acc.len() - skip;
            if kept > 0 {
                target = Some(out.parts.len());
            }
            patients += kept;
            out.parts.push(FoldPart {
                batch: ch.batch,
                offset: self.offsets[ch.batch as usize],
                skip,
                firsts: ch.firsts,
                acc: ch.acc,
                ages: ch.ages,
            });
        }
        out.walk.counts = RowCounts {
            rows_in: self.rows,
            rows_scored: scored,
            rows_excluded: excluded,
            rows_rejected: out.walk.rejects.len(),
            patients,
        };
        Some(out)
    }

    /// `(batch, start, end)` of every run of at most [`CHUNK_ROWS`] rows, in row order: the
    /// units of parallel work of both passes.
    fn chunk_ranges(&self) -> Vec<(usize, usize, usize)> {
        let mut ranges = Vec::new();
        for (b, cols) in self.batches.iter().enumerate() {
            let mut start = 0;
            while start < cols.len {
                let end = (start + CHUNK_ROWS).min(cols.len);
                ranges.push((b, start, end));
                start = end;
            }
        }
        ranges
    }

    /// Phase one: codes (and dates, with a window) of every row, in parallel chunks.
    fn parse_chunks<C: Copy + Default + Send>(
        &self,
        parse: &(impl Fn(&'b str) -> Result<C, &'static str> + Sync),
    ) -> Vec<Chunk<C>> {
        let ranges = self.chunk_ranges();
        ranges
            .into_par_iter()
            .map_init(ParseCache::<C>::new, |cache, (b, start, end)| {
                let cols = &self.batches[b];
                let mut values = vec![C::default(); end - start];
                let mut dates = Vec::new();
                let mut marks = Vec::new();
                let window = self.window.zip(cols.date);
                if window.is_some() {
                    dates = vec![0; end - start];
                }
                for i in start..end {
                    let k = i - start;
                    let mark = |m| (k as u32, m);
                    let Some(text) = cols.code.get(i) else {
                        marks.push(mark(Mark::Reject(Field::Code, "null_code")));
                        continue;
                    };
                    match cache.get_str(text, parse) {
                        Ok(v) => values[k] = v,
                        Err(reason) => {
                            marks.push(mark(Mark::Reject(Field::Code, reason)));
                            continue;
                        }
                    }
                    if let Some(((lo, hi), dc)) = window {
                        match dc.days(i) {
                            Ok(Some(d)) if d < lo || d > hi => marks.push(mark(Mark::Excluded)),
                            Ok(Some(d)) => dates[k] = d,
                            Ok(None) => marks.push(mark(Mark::Reject(Field::Date, "null_date"))),
                            Err(reason) => marks.push(mark(Mark::Reject(Field::Date, reason))),
                        }
                    }
                }
                Chunk {
                    batch: b as u32,
                    start: start as u32,
                    values,
                    dates,
                    marks,
                }
            })
            .collect()
    }

    /// Phase two: patients, row checks, rejects and visits, in row order.
    fn walk_keyed<K: PatientKey, C: Copy>(
        &self,
        chunks: Vec<Chunk<C>>,
        key_at: impl Fn(PatientCol<'b>, usize) -> Option<K> + Sync,
        mut check: impl FnMut(RowAt, u32) -> Result<(), (Field, &'static str)>,
        mut visit: impl FnMut(RowAt, u32, C, Option<i32>),
    ) -> Walk {
        let mut ids = PatientIds::<K>::default();
        let mut rejects: Vec<Reject> = Vec::new();
        let (mut scored, mut excluded) = (0usize, 0usize);
        for chunk in chunks {
            let b = chunk.batch as usize;
            let cols = &self.batches[b];
            let offset = self.offsets[b];
            let mut marks = chunk.marks.iter().peekable();
            for (k, &value) in chunk.values.iter().enumerate() {
                let i = chunk.start as usize + k;
                let at = RowAt {
                    row: offset + i as u64,
                    batch: b as u32,
                    index: i as u32,
                };
                let mark = match marks.peek() {
                    Some(&&(mk, m)) if mk as usize == k => {
                        marks.next();
                        Some(m)
                    }
                    _ => None,
                };
                let Some(key) = key_at(cols.patient, i) else {
                    rejects.push(Reject {
                        at,
                        field: Field::Patient,
                        reason: "null_patient",
                    });
                    continue;
                };
                let p = ids.resolve(key, at, || self.group_rows(&key_at));
                if let Err((field, reason)) = check(at, p) {
                    rejects.push(Reject { at, field, reason });
                    continue;
                }
                match mark {
                    Some(Mark::Reject(field, reason)) => {
                        rejects.push(Reject { at, field, reason });
                    }
                    Some(Mark::Excluded) => excluded += 1,
                    None => {
                        scored += 1;
                        visit(at, p, value, chunk.dates.get(k).copied());
                    }
                }
            }
        }
        let patients = ids.patients;
        let counts = RowCounts {
            rows_in: self.rows,
            rows_scored: scored,
            rows_excluded: excluded,
            rows_rejected: rejects.len(),
            patients: patients.len(),
        };
        Walk {
            patients,
            rejects,
            counts,
        }
    }

    /// The row at a global row number, advancing `cursor` (a batch index) monotonically.
    #[inline]
    fn row_at(&self, row: u32, cursor: &mut usize) -> RowAt {
        let row = u64::from(row);
        while *cursor + 1 < self.offsets.len() && self.offsets[*cursor + 1] <= row {
            *cursor += 1;
        }
        RowAt {
            row,
            batch: *cursor as u32,
            index: (row - self.offsets[*cursor]) as u32,
        }
    }

    /// Patient numbers of all rows (`u32::MAX` where the id is null), patients numbered in
    /// order of first appearance, for input that is not sorted by patient.
    ///
    /// Rows are split by the top bits of their id's hash (keeping row order within a
    /// partition), the partitions are grouped in parallel, each with its own table that
    /// compares the ids themselves, and the groups are then numbered by their first row.
    fn group_rows<K: PatientKey>(
        &self,
        key_at: &(impl Fn(PatientCol<'b>, usize) -> Option<K> + Sync),
    ) -> Grouping {
        let parts = self.partition_rows(key_at, |_| {});
        // Per partition: the first row of each local group, and the local group of each row.
        let locals: Vec<(Vec<RowAt>, Vec<u32>)> = parts
            .par_iter()
            .map(|rows| {
                let mut ids = Vec::with_capacity(rows.len());
                let firsts = self.group_partition(rows, key_at, |_, l, _| ids.push(l));
                (firsts, ids)
            })
            .collect();
        let order = first_appearance(locals.iter().map(|(f, _)| f.as_slice()));
        let mut global: Vec<Vec<u32>> = locals.iter().map(|(f, _)| vec![0; f.len()]).collect();
        let mut patients = Vec::with_capacity(order.len());
        let mut cursor = 0;
        for (n, &(row, q, l)) in order.iter().enumerate() {
            global[q as usize][l as usize] = n as u32;
            patients.push(self.row_at(row as u32, &mut cursor));
        }
        let mut row_patient = vec![u32::MAX; self.rows];
        for ((rows, (_, ids)), map) in parts.iter().zip(&locals).zip(&global) {
            for (&g, &l) in rows.iter().zip(ids) {
                if let Some(&p) = map.get(l as usize) {
                    row_patient[g as usize] = p;
                }
            }
        }
        Grouping {
            patients,
            row_patient,
        }
    }

    /// The row numbers of the rows with an id, split by the top bits of the id's hash
    /// (row order kept within a partition); `null(row)` is called for each row without one.
    fn partition_rows<K: PatientKey>(
        &self,
        key_at: &(impl Fn(PatientCol<'b>, usize) -> Option<K> + Sync),
        mut null: impl FnMut(RowAt),
    ) -> Vec<Vec<u32>> {
        // Four partitions: each sweep over the input reads about every fourth row, close to
        // sequential, and two cores share the work. (More partitions make smaller tables but
        // sweeps that skip more; four measured best for a million patients in ten million
        // rows.)
        const PART_BITS: u32 = 2;
        let mut parts: Vec<Vec<u32>> = (0..1usize << PART_BITS)
            .map(|_| Vec::with_capacity((self.rows >> PART_BITS) + 16))
            .collect();
        let mut g = 0u32;
        for (b, cols) in self.batches.iter().enumerate() {
            for i in 0..cols.len {
                match key_at(cols.patient, i) {
                    Some(k) => parts[(k.hash64() >> (64 - PART_BITS)) as usize].push(g),
                    None => null(RowAt {
                        row: u64::from(g),
                        batch: b as u32,
                        index: i as u32,
                    }),
                }
                g += 1;
            }
        }
        parts
    }

    /// Group the rows of one partition by id, with a table that compares the ids
    /// themselves: `row(at, local group, new group)` for each row in order; returns the
    /// first row of each local group.
    fn group_partition<K: PatientKey>(
        &self,
        rows: &[u32],
        key_at: &(impl Fn(PatientCol<'b>, usize) -> Option<K> + Sync),
        mut row: impl FnMut(RowAt, u32, bool),
    ) -> Vec<RowAt> {
        let mut table = IdTable::with_capacity(rows.len() / 16);
        let mut firsts: Vec<RowAt> = Vec::new();
        let mut cursor = 0;
        let patient = |at: RowAt| self.batches[at.batch as usize].patient;
        for &g in rows {
            let at = self.row_at(g, &mut cursor);
            // Only rows with an id are partitioned.
            let Some(key) = key_at(patient(at), at.index as usize) else {
                continue;
            };
            let (len, head) = key.head();
            let next = firsts.len() as u32;
            let long_eq = |l: u32| {
                let f = firsts[l as usize];
                key_at(patient(f), f.index as usize) == Some(key)
            };
            let (l, inserted) = table.find_or_insert(key.hash64(), len, head, next, long_eq);
            if inserted {
                firsts.push(at);
            }
            row(at, l, inserted);
        }
        firsts
    }

    /// [`LongTable::fold_sorted`] for input in any order: the same rows, rejects (in row
    /// order), counts, patient numbering (order of first appearance), accumulators and first
    /// ages as [`LongTable::walk`] with the scores' row check, but folded in parallel.
    ///
    /// Ids that fit a fixed-width word (`Int32`, `Int64`, `Utf8` of up to 15 bytes) take
    /// [`LongTable::fold_scattered`]: rows copied once, with their parsed values, into 256
    /// cache-sized partitions. Other ids take [`LongTable::fold_grouped_by_rows`]. Either
    /// way a partition holds all of a patient's rows, in row order, and is folded on its own
    /// thread, so no patient is shared between threads.
    pub(crate) fn fold_grouped<C: Copy + Default + Send + Sync, A: Copy + Default + Send + Sync>(
        &self,
        parse: impl Fn(&'b str) -> Result<C, &'static str> + Sync,
        add: impl Fn(&mut A, C) + Sync,
    ) -> Folded<A> {
        self.fold_scattered(&parse, &add)
            .unwrap_or_else(|| self.fold_grouped_by_rows(parse, add))
    }

    /// [`LongTable::fold_grouped`] for any ids: codes (and dates) are parsed in parallel
    /// chunks; the row numbers are split by their id's hash ([`LongTable::partition_rows`])
    /// into four partitions, each grouped with a table that compares the ids themselves and
    /// folded into its own accumulators; the groups are then numbered by their first row and
    /// laid out as [`Folded`] parts.
    fn fold_grouped_by_rows<C: Copy + Default + Send + Sync, A: Copy + Default + Send + Sync>(
        &self,
        parse: impl Fn(&'b str) -> Result<C, &'static str> + Sync,
        add: impl Fn(&mut A, C) + Sync,
    ) -> Folded<A> {
        let chunks = self.parse_chunks(&parse);
        match self.patient_type {
            DataType::Int32 | DataType::Int64 => {
                self.fold_grouped_keyed(&chunks, &PatientCol::int_key, &add)
            }
            _ => self.fold_grouped_keyed(&chunks, &PatientCol::str_key, &add),
        }
    }

    fn fold_grouped_keyed<K: PatientKey, C: Copy + Sync, A: Copy + Default + Send + Sync>(
        &self,
        chunks: &[Chunk<C>],
        key_at: &(impl Fn(PatientCol<'b>, usize) -> Option<K> + Sync),
        add: &(impl Fn(&mut A, C) + Sync),
    ) -> Folded<A> {
        let with_age = self.has_age();
        // The chunk of a row: chunks run in row order, `CHUNK_ROWS` rows each within a batch.
        let mut chunk_base = vec![0usize; self.batches.len()];
        for (c, ch) in chunks.iter().enumerate().rev() {
            chunk_base[ch.batch as usize] = c;
        }
        let chunk_of = |at: RowAt| {
            let i = at.index as usize;
            (
                &chunks[chunk_base[at.batch as usize] + i / CHUNK_ROWS],
                i % CHUNK_ROWS,
            )
        };
        let mut rejects: Vec<Reject> = Vec::new();
        let parts = self.partition_rows(key_at, |at| {
            rejects.push(Reject {
                at,
                field: Field::Patient,
                reason: "null_patient",
            });
        });
        struct Local<A> {
            firsts: Vec<RowAt>,
            acc: Vec<A>,
            ages: Vec<Option<u32>>,
            rejects: Vec<Reject>,
            scored: usize,
            excluded: usize,
        }
        let locals: Vec<Local<A>> = parts
            .par_iter()
            .map(|rows| {
                let (mut acc, mut ages, mut rejects) = (Vec::new(), Vec::new(), Vec::new());
                let (mut scored, mut excluded) = (0usize, 0usize);
                let firsts = self.group_partition(rows, key_at, |at, l, new| {
                    let l = l as usize;
                    if new {
                        acc.push(A::default());
                        if with_age {
                            ages.push(None);
                        }
                    }
                    let mut reject = |field, reason| rejects.push(Reject { at, field, reason });
                    if with_age {
                        match self.age(at) {
                            Some(a) if a < 0 => return reject(Field::Age, "negative_age"),
                            Some(a) => {
                                ages[l].get_or_insert(age_of(a));
                            }
                            None => {}
                        }
                    }
                    let (chunk, k) = chunk_of(at);
                    let mark = chunk
                        .marks
                        .binary_search_by_key(&(k as u32), |&(mk, _)| mk)
                        .ok()
                        .map(|m| chunk.marks[m].1);
                    match mark {
                        Some(Mark::Reject(field, reason)) => reject(field, reason),
                        Some(Mark::Excluded) => excluded += 1,
                        None => {
                            scored += 1;
                            add(&mut acc[l], chunk.values[k]);
                        }
                    }
                });
                Local {
                    firsts,
                    acc,
                    ages,
                    rejects,
                    scored,
                    excluded,
                }
            })
            .collect();
        let order = first_appearance(locals.iter().map(|l| l.firsts.as_slice()));
        // Patients in order, cut into parts of one batch and at most `CHUNK_ROWS` patients.
        let mut out = Folded {
            walk: Walk {
                patients: Vec::new(),
                rejects,
                counts: RowCounts::default(),
            },
            parts: Vec::new(),
        };
        for &(_, q, l) in &order {
            let local = &locals[q as usize];
            let (l, at) = (l as usize, local.firsts[l as usize]);
            let open = out
                .parts
                .last()
                .is_some_and(|p| p.batch == at.batch && p.firsts.len() < CHUNK_ROWS);
            if !open {
                out.parts.push(FoldPart {
                    batch: at.batch,
                    offset: self.offsets[at.batch as usize],
                    skip: 0,
                    firsts: Vec::new(),
                    acc: Vec::new(),
                    ages: Vec::new(),
                });
            }
            let Some(part) = out.parts.last_mut() else {
                continue;
            };
            part.firsts.push(at.index);
            part.acc.push(local.acc[l]);
            if with_age {
                part.ages.push(local.ages[l]);
            }
        }
        let (mut scored, mut excluded) = (0usize, 0usize);
        for l in &locals {
            out.walk.rejects.extend_from_slice(&l.rejects);
            scored += l.scored;
            excluded += l.excluded;
        }
        // One reject per row at most: row order is the walk's order.
        out.walk.rejects.sort_unstable_by_key(|r| r.at.row);
        out.walk.counts = RowCounts {
            rows_in: self.rows,
            rows_scored: scored,
            rows_excluded: excluded,
            rows_rejected: out.walk.rejects.len(),
            patients: order.len(),
        };
        out
    }
}

/// `(first row, partition, local group)` of every group of every partition, sorted by first
/// row: the patients in order of first appearance.
fn first_appearance<'f>(firsts: impl Iterator<Item = &'f [RowAt]>) -> Vec<(u64, u32, u32)> {
    let mut order: Vec<(u64, u32, u32)> = firsts
        .enumerate()
        .flat_map(|(q, firsts)| {
            firsts
                .iter()
                .enumerate()
                .map(move |(l, at)| (at.row, q as u32, l as u32))
        })
        .collect();
    order.sort_unstable();
    order
}

/// Patients in order of first appearance and the patient number of every row.
struct Grouping {
    patients: Vec<RowAt>,
    row_patient: Vec<u32>,
}

/// A patient id borrowed from the input: hashed and compared without allocation.
pub(crate) trait PatientKey: Copy + Ord + Send + Sync {
    /// A well-mixed 64-bit hash.
    fn hash64(self) -> u64;
    /// Length in bytes and the first 16 bytes (zero padded).
    fn head(self) -> (u32, [u8; 16]);
}

/// Final mix of MurmurHash3 (`fmix64`): spreads FxHash output over all bits.
#[inline]
fn fmix64(mut z: u64) -> u64 {
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

impl PatientKey for &str {
    #[inline]
    fn hash64(self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        std::hash::Hasher::write(&mut h, self.as_bytes());
        fmix64(std::hash::Hasher::finish(&h) ^ self.len() as u64)
    }

    #[inline]
    fn head(self) -> (u32, [u8; 16]) {
        let b = self.as_bytes();
        let mut head = [0u8; 16];
        match b.first_chunk::<16>() {
            Some(first) => head = *first,
            None => {
                for (d, s) in head.iter_mut().zip(b) {
                    *d = *s;
                }
            }
        }
        (b.len() as u32, head)
    }
}

impl PatientKey for i64 {
    #[inline]
    fn hash64(self) -> u64 {
        fmix64(self as u64)
    }

    #[inline]
    fn head(self) -> (u32, [u8; 16]) {
        let mut head = [0u8; 16];
        head[..8].copy_from_slice(&self.to_le_bytes());
        (8, head)
    }
}

/// Patient numbering in order of first appearance.
///
/// While the ids arrive in strictly increasing runs (input sorted by patient), a new run is a
/// new patient and nothing is hashed. At the first run that is not greater than the previous
/// one, every row of the input is grouped at once ([`LongTable::group_rows`]), which numbers
/// the patients seen so far exactly as the runs did, and the walk reads patient numbers from
/// that grouping from then on.
struct PatientIds<K> {
    patients: Vec<RowAt>,
    prev: Option<(K, u32)>,
    rows: Option<Vec<u32>>,
}

impl<K> Default for PatientIds<K> {
    fn default() -> Self {
        Self {
            patients: Vec::new(),
            prev: None,
            rows: None,
        }
    }
}

impl<K: PatientKey> PatientIds<K> {
    /// The patient number of `key` on row `at`.
    #[inline]
    fn resolve(&mut self, key: K, at: RowAt, group: impl FnOnce() -> Grouping) -> u32 {
        if let Some(rows) = &self.rows {
            return rows[at.row as usize];
        }
        if let Some((pk, p)) = self.prev {
            if pk == key {
                return p;
            }
        }
        if self.prev.is_none_or(|(pk, _)| pk < key) {
            let p = self.patients.len() as u32;
            self.patients.push(at);
            self.prev = Some((key, p));
            return p;
        }
        let g = group();
        debug_assert!(g.patients.starts_with(&self.patients));
        self.patients = g.patients;
        let p = g.row_patient[at.row as usize];
        self.rows = Some(g.row_patient);
        p
    }
}

/// One slot of [`IdTable`]; `hash == 0` marks an empty slot.
#[derive(Clone, Copy, Default)]
struct IdSlot {
    hash: u64,
    idx: u32,
    len: u32,
    head: [u8; 16],
}

/// Open addressing with linear probing, load factor at most one half.
struct IdTable {
    slots: Vec<IdSlot>,
    mask: usize,
    len: usize,
}

impl IdTable {
    fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).next_power_of_two().max(1024);
        Self {
            slots: vec![IdSlot::default(); cap],
            mask: cap - 1,
            len: 0,
        }
    }

    /// Insert a key known to be absent.
    fn insert_new(&mut self, hash: u64, len: u32, head: [u8; 16], idx: u32) {
        let hash = hash | 1;
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut j = hash as usize & self.mask;
        while self.slots[j].hash != 0 {
            j = (j + 1) & self.mask;
        }
        self.slots[j] = IdSlot {
            hash,
            idx,
            len,
            head,
        };
        self.len += 1;
    }

    /// `(patient number, inserted)`; `long_eq(idx)` confirms ids longer than 16 bytes.
    #[inline]
    fn find_or_insert(
        &mut self,
        hash: u64,
        len: u32,
        head: [u8; 16],
        next: u32,
        long_eq: impl Fn(u32) -> bool,
    ) -> (u32, bool) {
        let hash = hash | 1;
        let mut j = hash as usize & self.mask;
        loop {
            let s = &self.slots[j];
            if s.hash == 0 {
                break;
            }
            if s.hash == hash && s.len == len && s.head == head && (len <= 16 || long_eq(s.idx)) {
                return (s.idx, false);
            }
            j = (j + 1) & self.mask;
        }
        self.insert_new(hash, len, head, next);
        (next, true)
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let cap = old.len() * 2;
        self.slots = vec![IdSlot::default(); cap];
        self.mask = cap - 1;
        self.len = 0;
        for s in old.into_iter().filter(|s| s.hash != 0) {
            self.insert_new(s.hash, s.len, s.head, s.idx);
        }
    }
}

/// Up to the first eight bytes of `buf[start..start + len]`, little-endian, zero padded: one
/// unaligned load and a mask where eight bytes follow `start` in `buf` (nearly always: `buf`
/// is a whole Arrow values buffer), byte by byte otherwise.
#[inline(always)]
fn pack8(buf: &[u8], start: usize, len: usize) -> u64 {
    let mask = if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    match buf.get(start..).and_then(|r| r.first_chunk::<8>()) {
        Some(w) => u64::from_le_bytes(*w) & mask,
        None => buf[start..start + len.min(8)]
            .iter()
            .enumerate()
            .fold(0u64, |k, (i, &c)| k | u64::from(c) << (8 * i)),
    }
}

/// The patient ids of one batch as [`LongTable::fold_sorted`] reads them.
trait FoldKeys<'b>: Sync {
    /// A key that compares like the id (equal ids, equal keys; ordered as the ids).
    type Key: Copy + Ord + Send;
    /// The key on row `i`, `None` when the id is null.
    fn key(&self, i: usize) -> Option<Self::Key>;
}

/// Any patient column, through the enums (`LargeUtf8`, `Utf8View`).
impl<'b> FoldKeys<'b> for PatientCol<'b> {
    type Key = &'b str;
    #[inline]
    fn key(&self, i: usize) -> Option<&'b str> {
        self.str_key(i)
    }
}

/// An `Int32` or `Int64` id column read from its values buffer.
struct PrimKeys<'b, T> {
    values: &'b [T],
    /// `None` when the batch has no null id.
    nulls: Option<&'b NullBuffer>,
}

impl<'b, N: arrow_buffer::ArrowNativeType> PrimKeys<'b, N> {
    fn of<T: arrow_array::ArrowPrimitiveType<Native = N>>(a: &'b PrimitiveArray<T>) -> Self {
        Self {
            values: a.values().as_ref(),
            nulls: a.nulls().filter(|n| n.null_count() > 0),
        }
    }
}

impl<'b, T: Copy + Into<i64> + Sync> FoldKeys<'b> for PrimKeys<'b, T> {
    type Key = i64;
    #[inline(always)]
    fn key(&self, i: usize) -> Option<i64> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return None;
        }
        Some(self.values[i].into())
    }
}

/// A `Utf8` id column read from its offsets and values buffers.
struct Utf8Keys<'b> {
    offsets: &'b [i32],
    values: &'b [u8],
    /// `None` when the batch has no null id.
    nulls: Option<&'b NullBuffer>,
}

impl<'b> Utf8Keys<'b> {
    fn of(a: &'b StringArray) -> Self {
        Self {
            offsets: a.value_offsets(),
            values: a.values(),
            nulls: a.nulls().filter(|n| n.null_count() > 0),
        }
    }
}

/// A `Utf8` id: its bytes and their first eight packed, so that ids of up to eight bytes
/// (and the run test on longer ones, mostly) compare as integers.
#[derive(Clone, Copy)]
struct IdBytes<'b> {
    head: u64,
    bytes: &'b [u8],
}

impl PartialEq for IdBytes<'_> {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        self.head == other.head
            && self.bytes.len() == other.bytes.len()
            && (self.bytes.len() <= 8 || self.bytes[8..] == other.bytes[8..])
    }
}

impl Eq for IdBytes<'_> {}

impl PartialOrd for IdBytes<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Byte order, which for UTF-8 is the order of `str`.
impl Ord for IdBytes<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(other.bytes)
    }
}

impl<'b> FoldKeys<'b> for Utf8Keys<'b> {
    type Key = IdBytes<'b>;
    #[inline(always)]
    fn key(&self, i: usize) -> Option<IdBytes<'b>> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return None;
        }
        let (s, e) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        let bytes = &self.values[s..e];
        Some(IdBytes {
            head: pack8(self.values, s, bytes.len()),
            bytes,
        })
    }
}

/// The code column of one batch as [`LongTable::fold_sorted`] reads it.
trait FoldCodes<'b>: Sync {
    /// `None` when the code on row `i` is null, else its first eight bytes packed
    /// ([`pack8`]) and its length in bytes.
    fn code(&self, i: usize) -> Option<(u64, usize)>;
    /// The text on row `i`, which [`FoldCodes::code`] found not null.
    fn text(&self, i: usize) -> &'b str;
}

/// Any code column, through the enum (`LargeUtf8`, `Utf8View`).
impl<'b> FoldCodes<'b> for StrCol<'b> {
    #[inline]
    fn code(&self, i: usize) -> Option<(u64, usize)> {
        self.get(i)
            .map(|s| (pack8(s.as_bytes(), 0, s.len()), s.len()))
    }

    #[inline]
    fn text(&self, i: usize) -> &'b str {
        match self {
            Self::Utf8(a) => a.value(i),
            Self::Large(a) => a.value(i),
            Self::View(a) => a.value(i),
        }
    }
}

/// A `Utf8` code column read from its offsets and values buffers.
struct Utf8Codes<'b> {
    array: &'b StringArray,
    offsets: &'b [i32],
    values: &'b [u8],
    /// `None` when the batch has no null code.
    nulls: Option<&'b NullBuffer>,
}

impl<'b> Utf8Codes<'b> {
    fn of(a: &'b StringArray) -> Self {
        Self {
            array: a,
            offsets: a.value_offsets(),
            values: a.values(),
            nulls: a.nulls().filter(|n| n.null_count() > 0),
        }
    }
}

impl<'b> FoldCodes<'b> for Utf8Codes<'b> {
    #[inline(always)]
    fn code(&self, i: usize) -> Option<(u64, usize)> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return None;
        }
        let (s, e) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        let len = e.saturating_sub(s);
        Some((pack8(self.values, s, len), len))
    }

    #[inline]
    fn text(&self, i: usize) -> &'b str {
        self.array.value(i)
    }
}

/// A small memo of `parse` for codes of one to eight bytes, keyed by the packed bytes and
/// the length: a long table repeats a few thousand distinct codes millions of times, and a
/// hit costs a multiply, a load and a compare instead of cleaning and looking up the code
/// again. Open addressing with linear probing in 4,096 slots (64 KiB for `u32` values: the
/// code lists' ~800 codes and the common codes that hit none fit at a low load); once half
/// full, new codes are parsed but not kept. One memo serves all the chunks a worker takes
/// (`map_init`). Only successful parses are kept (rejects always go through `parse`, which
/// names the reason).
struct ParseCache<C> {
    /// `(packed bytes, length, value)`; length 0 marks an empty slot.
    slots: Box<[(u64, u8, C)]>,
    len: usize,
}

impl<C: Copy + Default> ParseCache<C> {
    const BITS: u32 = 12;
    const MASK: usize = (1 << Self::BITS) - 1;

    fn new() -> Self {
        Self {
            slots: vec![(0, 0, C::default()); 1 << Self::BITS].into_boxed_slice(),
            len: 0,
        }
    }

    /// The value of a code given as [`FoldCodes::code`] gives it; `text` is called only when
    /// the code has to be parsed.
    #[inline(always)]
    fn get<'s>(
        &mut self,
        packed: u64,
        len: usize,
        text: impl FnOnce() -> &'s str,
        parse: impl FnOnce(&'s str) -> Result<C, &'static str>,
    ) -> Result<C, &'static str> {
        if len == 0 || len > 8 {
            return parse(text());
        }
        let len = len as u8;
        let mut j = ((packed ^ u64::from(len)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            >> (64 - Self::BITS)) as usize;
        loop {
            let (k, l, v) = self.slots[j];
            if k == packed && l == len {
                return Ok(v);
            }
            if l == 0 {
                break;
            }
            j = (j + 1) & Self::MASK;
        }
        let v = parse(text())?;
        if self.len < (1 << Self::BITS) / 2 {
            self.slots[j] = (packed, len, v);
            self.len += 1;
        }
        Ok(v)
    }

    /// [`ParseCache::get`] for a code given as text.
    #[inline]
    fn get_str<'s>(
        &mut self,
        text: &'s str,
        parse: impl FnOnce(&'s str) -> Result<C, &'static str>,
    ) -> Result<C, &'static str> {
        self.get(
            pack8(text.as_bytes(), 0, text.len()),
            text.len(),
            || text,
            parse,
        )
    }
}

/// The result of [`LongTable::fold_sorted`]: the walk's rejects and counts (its `patients`
/// left empty), and per chunk of rows, its patients' first rows, accumulators and, with an
/// age column, first non-null ages. Patients are read in place, a chunk per task
/// ([`Folded::map`], [`Folded::patient_array`]), never copied into one list.
pub(crate) struct Folded<A> {
    pub(crate) walk: Walk,
    parts: Vec<FoldPart<A>>,
}

/// The patients of one chunk of a fold.
struct FoldPart<A> {
    batch: u32,
    /// Row number of the batch's first row.
    offset: u64,
    /// 1 when the first patient continues an earlier chunk's last (merged there).
    skip: usize,
    /// Index in the batch of each patient's first row.
    firsts: Vec<u32>,
    acc: Vec<A>,
    /// Empty without an age column.
    ages: Vec<Option<u32>>,
}

impl<A> crate::risk::output::RowRun for &FoldPart<A>
where
    A: Sync,
{
    fn len(&self) -> usize {
        self.firsts.len() - self.skip
    }

    #[inline]
    fn at(&self, k: usize) -> RowAt {
        let index = self.firsts[self.skip + k];
        RowAt {
            row: self.offset + u64::from(index),
            batch: self.batch,
            index,
        }
    }
}

impl<A: Sync> Folded<A> {
    /// The number of patients.
    pub(crate) fn patients(&self) -> usize {
        self.walk.counts.patients
    }

    /// `f(accumulator, first age)` of every patient, in order, computed a chunk per task.
    pub(crate) fn map<T: Copy + Default + Send>(
        &self,
        f: impl Fn(&A, Option<u32>) -> T + Sync,
    ) -> Vec<T> {
        let mut out = vec![T::default(); self.patients()];
        let mut slices = Vec::with_capacity(self.parts.len());
        let mut rest = out.as_mut_slice();
        for p in &self.parts {
            let (run, tail) = rest.split_at_mut(p.firsts.len() - p.skip);
            slices.push(run);
            rest = tail;
        }
        slices
            .into_par_iter()
            .zip(self.parts.par_iter())
            .for_each(|(run, p)| {
                for (k, v) in run.iter_mut().enumerate() {
                    let j = p.skip + k;
                    *v = f(&p.acc[j], p.ages.get(j).copied().flatten());
                }
            });
        out
    }

    /// Each patient's first row, in order.
    #[cfg(test)]
    fn patient_rows(&self) -> Vec<RowAt> {
        use crate::risk::output::RowRun;
        self.parts
            .iter()
            .flat_map(|p| (0..p.len()).map(move |k| p.at(k)))
            .collect()
    }

    /// The `patient_id` column: each patient's id, read at its first row.
    pub(crate) fn patient_array(&self, table: &LongTable<'_>) -> arrow_array::ArrayRef {
        let runs: Vec<&FoldPart<A>> = self.parts.iter().collect();
        crate::risk::output::patient_array_runs(table, &runs)
    }
}

/// One chunk's share of a fold: its local patients in order, and the ids at both ends.
struct FoldChunk<K, A> {
    batch: u32,
    firsts: Vec<u32>,
    acc: Vec<A>,
    ages: Vec<Option<u32>>,
    rejects: Vec<Reject>,
    scored: usize,
    excluded: usize,
    first_key: Option<K>,
    last_key: Option<K>,
}

impl<K, A> FoldChunk<K, A> {
    /// Room for `patients` patients of batch `batch`.
    fn with_capacity(batch: usize, patients: usize) -> Self {
        Self {
            batch: batch as u32,
            firsts: Vec::with_capacity(patients),
            acc: Vec::with_capacity(patients),
            ages: Vec::new(),
            rejects: Vec::new(),
            scored: 0,
            excluded: 0,
            first_key: None,
            last_key: None,
        }
    }

    /// Close the current patient.
    #[inline]
    fn end_patient(&mut self, acc: A, age: Option<u32>, with_age: bool) {
        self.acc.push(acc);
        if with_age {
            self.ages.push(age);
        }
    }

    #[cold]
    fn reject(&mut self, at: RowAt, field: Field, reason: &'static str) {
        self.rejects.push(Reject { at, field, reason });
    }
}

/// A non-negative age as the folds keep it (ages beyond `u32` saturate).
#[inline]
pub(crate) fn age_of(a: i64) -> u32 {
    u32::try_from(a).unwrap_or(u32::MAX)
}

/// What a row's code (and date, with a window) give once its patient and age passed.
enum RowCode<C> {
    Value(C),
    /// Dated outside the window.
    Excluded,
    Reject(Field, &'static str),
}

/// The code of row `i` parsed through the memo, then the window applied, in the reject
/// precedence of the module docs: `null_code`, the parser's reason, `null_date`, the date's
/// reason.
#[inline(always)]
fn row_code<'b, S: FoldCodes<'b>, C: Copy + Default>(
    cache: &mut ParseCache<C>,
    codes: &S,
    window: Option<((i32, i32), DateCol<'b>)>,
    i: usize,
    parse: &impl Fn(&'b str) -> Result<C, &'static str>,
) -> RowCode<C> {
    let Some((packed, len)) = codes.code(i) else {
        return RowCode::Reject(Field::Code, "null_code");
    };
    let value = match cache.get(packed, len, || codes.text(i), parse) {
        Ok(v) => v,
        Err(reason) => return RowCode::Reject(Field::Code, reason),
    };
    if let Some(((lo, hi), dc)) = window {
        match dc.days(i) {
            Ok(Some(d)) if d < lo || d > hi => return RowCode::Excluded,
            Ok(Some(_)) => {}
            Ok(None) => return RowCode::Reject(Field::Date, "null_date"),
            Err(reason) => return RowCode::Reject(Field::Date, reason),
        }
    }
    RowCode::Value(value)
}

/// Rows per parallel parsing chunk.
const CHUNK_ROWS: usize = 1 << 16;

/// What phase one found on a row, when it is not a plain scored value.
#[derive(Clone, Copy)]
enum Mark {
    Reject(Field, &'static str),
    Excluded,
}

/// Phase-one output for a run of rows of one batch.
struct Chunk<C> {
    batch: u32,
    start: u32,
    /// Parsed value per row (default where the row is marked).
    values: Vec<C>,
    /// Dates per row, only when a window is set.
    dates: Vec<i32>,
    /// `(row within chunk, mark)` in row order.
    marks: Vec<(u32, Mark)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Date32Array, Int64Array, TimestampSecondArray};
    use arrow_schema::{Field as ArrowField, Schema};
    use std::sync::Arc;

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        let fields: Vec<_> = cols
            .iter()
            .map(|(n, a)| ArrowField::new(*n, a.data_type().clone(), true))
            .collect();
        RecordBatch::try_new(
            Arc::new(Schema::new(fields)),
            cols.into_iter().map(|c| c.1).collect(),
        )
        .unwrap()
    }

    #[test]
    fn iso_dates() {
        let d = |y, m, dd| epoch_days(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(parse_iso_date("1970-01-01"), Some(0));
        assert_eq!(parse_iso_date("2026-11-23"), Some(d(2026, 11, 23)));
        assert_eq!(
            parse_iso_date(" 2026-11-23T10:00:00Z"),
            Some(d(2026, 11, 23))
        );
        assert_eq!(parse_iso_date("2026-11-23 10:00"), Some(d(2026, 11, 23)));
        for bad in [
            "2026-02-30",
            "2026-1-01",
            "20261123",
            "2026-11-23x",
            "",
            "2026/11/23",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn zoned_timestamps_use_london_dates() {
        // 2026-07-01T23:30:00Z is 00:30 BST on 2 July in London.
        let t = DateTime::parse_from_rfc3339("2026-07-01T23:30:00Z")
            .unwrap()
            .timestamp();
        let zoned = TimestampSecondArray::from(vec![t]).with_timezone("UTC");
        let naive = TimestampSecondArray::from(vec![t]);
        let d = |y, m, dd| epoch_days(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(
            DateCol::of(&zoned).unwrap().days(0),
            Ok(Some(d(2026, 7, 2)))
        );
        assert_eq!(
            DateCol::of(&naive).unwrap().days(0),
            Ok(Some(d(2026, 7, 1)))
        );
    }

    #[test]
    fn walk_groups_and_rejects() {
        let b = batch(vec![
            (
                "patient_id",
                Arc::new(Int64Array::from(vec![
                    Some(7),
                    Some(7),
                    None,
                    Some(3),
                    Some(7),
                ])),
            ),
            (
                "code",
                Arc::new(StringArray::from(vec![
                    Some("a"),
                    None,
                    Some("b"),
                    Some("bad"),
                    Some("c"),
                ])),
            ),
            (
                "d",
                Arc::new(Date32Array::from(vec![
                    Some(10),
                    Some(10),
                    Some(10),
                    None,
                    Some(0),
                ])),
            ),
        ]);
        let cols = LongInput {
            date: Some("d"),
            ..LongInput::default()
        };
        let w = Window {
            index_date: NaiveDate::from_ymd_opt(1970, 1, 11).unwrap(),
            lookback_days: 5,
        };
        let batches = [b];
        let t = LongTable::new(&batches, &cols, Some(&w)).unwrap();
        let mut seen = Vec::new();
        let walk = t.walk(
            |s| if s == "bad" { Err("bad_code") } else { Ok(s) },
            |_, _| Ok(()),
            |at, p, c, d| seen.push((at.row, p, c, d)),
        );
        assert_eq!(seen, [(0, 0, "a", Some(10))]);
        let reasons: Vec<_> = walk.rejects.iter().map(|r| (r.at.row, r.reason)).collect();
        assert_eq!(
            reasons,
            [(1, "null_code"), (2, "null_patient"), (3, "bad_code")]
        );
        assert_eq!(walk.patients.len(), 2);
        assert_eq!(walk.counts.rows_excluded, 1);
        assert_eq!(walk.counts.rows_scored, 1);
        assert_eq!(t.field_name(Field::Date), "d");
    }

    /// `fold_sorted` and `fold_grouped` give what `walk` gives (patients, rejects, counts,
    /// per-patient ORs and first ages) on sorted input with every kind of reject, a window,
    /// several batches, patients straddling chunk boundaries and chunks with and without bad
    /// ages; on the same rows with each row's patient drawn at random, `fold_sorted` gives
    /// `None` and `fold_grouped` what `walk` gives.
    #[test]
    fn fold_sorted_matches_walk() {
        for shuffled in [false, true] {
            for ids in [Ids::Short, Ids::Int, Ids::SomeLong] {
                folds_match_walk(shuffled, ids);
            }
        }
        // A run out of order, far from the first chunk: no sorted fold.
        let n = 3 * CHUNK_ROWS + 1234;
        let ids = Int64Array::from_iter_values((0..n as i64).map(|i| {
            if i == n as i64 - 5 {
                0
            } else {
                i / 4
            }
        }));
        let b = batch(vec![
            ("patient_id", Arc::new(ids) as ArrayRef),
            ("code", Arc::new(StringArray::from(vec!["c1"; n]))),
        ]);
        let batches = [b];
        let t = LongTable::new(&batches, &LongInput::default(), None).unwrap();
        let parse = |_: &str| Ok(1u32);
        assert!(t
            .fold_sorted(parse, |a: &mut u32, m| *a |= m, |a, b| *a |= b)
            .is_none());
    }

    /// The patient ids of [`folds_match_walk`].
    #[derive(Clone, Copy, PartialEq)]
    enum Ids {
        /// `Utf8` of 9 bytes: scattered as words.
        Short,
        /// `Int64`: scattered as words.
        Int,
        /// `Utf8`, one patient in 97 with an id of 22 bytes: the scatter gives up where it
        /// meets one and the row-number partitions fold instead.
        SomeLong,
    }

    /// The body of [`fold_sorted_matches_walk`]: `fold_sorted` (sorted input only) and
    /// `fold_grouped` (both its ways) against `walk`.
    fn folds_match_walk(shuffled: bool, ids: Ids) {
        use arrow_array::builder::{Int64Builder, StringBuilder};
        let n = 3 * CHUNK_ROWS + 1234;
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut pid, mut int_pid, mut code, mut age) = (
            StringBuilder::new(),
            Int64Builder::new(),
            StringBuilder::new(),
            Int64Builder::new(),
        );
        let mut days = Vec::with_capacity(n);
        let mut p = 0u64;
        for i in 0..n {
            // Runs of 1-40 rows; a long run crosses a chunk boundary now and then. Shuffled:
            // each row's patient drawn from as many patients, rows spread over the table.
            if next() % 9 == 0 {
                p += 1;
            }
            let p = if shuffled { next() % (n as u64 / 9) } else { p };
            let r = next();
            match (r % 101 == 0, ids) {
                (true, Ids::Int) => int_pid.append_null(),
                (true, _) => pid.append_null(),
                (false, Ids::Int) => int_pid.append_value(p as i64 * 1_000_003 - 7),
                (false, Ids::SomeLong) if p % 97 == 0 => {
                    pid.append_value(format!("p{p:08}-pseudonymised"));
                }
                (false, _) => pid.append_value(format!("p{p:08}")),
            }
            match r % 53 {
                0 => code.append_null(),
                1 => code.append_value("bad"),
                _ => code.append_value(format!("c{}", r % 7)),
            }
            // Null and negative ages in the second half only: the chunks of the first half
            // take the clean-age path, the others check every row.
            match (i >= n / 2, r % 37) {
                (true, 0) => age.append_null(),
                (true, 1) => age.append_value(-1),
                _ => age.append_value((p % 90) as i64 + (r % 3) as i64),
            }
            days.push(if r % 41 == 0 {
                None
            } else {
                Some((r % 30) as i32)
            });
        }
        let pid: ArrayRef = match ids {
            Ids::Int => Arc::new(int_pid.finish()),
            _ => Arc::new(pid.finish()),
        };
        let b = batch(vec![
            ("patient_id", pid),
            ("code", Arc::new(code.finish())),
            ("age", Arc::new(age.finish())),
            ("d", Arc::new(Date32Array::from(days))),
        ]);
        let window = Window {
            index_date: NaiveDate::from_ymd_opt(1970, 1, 21).unwrap(),
            lookback_days: 12,
        };
        let parse = |s: &str| {
            if s == "bad" {
                Err("bad_code")
            } else {
                Ok(1u32 << (s.as_bytes()[1] - b'0'))
            }
        };
        for batches in [vec![b.clone()], split3(b.clone())] {
            for window in [None, Some(&window)] {
                let cols = LongInput {
                    age: Some("age"),
                    date: Some("d"),
                    ..LongInput::default()
                };
                let t = LongTable::new(&batches, &cols, window).unwrap();
                let (mut masks, mut ages) = (Vec::<u32>::new(), Vec::<Option<u32>>::new());
                let mut check = |at: RowAt, p: u32| {
                    let i = p as usize;
                    if i >= ages.len() {
                        ages.resize(i + 1, None);
                    }
                    match t.age(at) {
                        Some(a) if a < 0 => Err((Field::Age, "negative_age")),
                        Some(a) => {
                            ages[i].get_or_insert(a as u32);
                            Ok(())
                        }
                        None => Ok(()),
                    }
                };
                let walk = t.walk(parse, &mut check, |_, p, m, _| {
                    let i = p as usize;
                    if i >= masks.len() {
                        masks.resize(i + 1, 0);
                    }
                    masks[i] |= m;
                });
                masks.resize(walk.patients.len(), 0);
                ages.resize(walk.patients.len(), None);
                let add = |a: &mut u32, m| *a |= m;
                let sorted = t.fold_sorted(parse, add, |a, b| *a |= b);
                assert_eq!(sorted.is_none(), shuffled);
                let scattered = t.fold_scattered(&parse, &add);
                assert_eq!(scattered.is_none(), ids == Ids::SomeLong);
                let by_rows = t.fold_grouped_by_rows(parse, add);
                let grouped = t.fold_grouped(parse, add);
                for f in [sorted, scattered, Some(by_rows), Some(grouped)]
                    .into_iter()
                    .flatten()
                {
                    assert_eq!(f.walk.counts, walk.counts);
                    assert!(f.walk.counts.is_balanced());
                    assert_eq!(f.patient_rows(), walk.patients);
                    let key = |r: &Reject| (r.at, r.field, r.reason);
                    assert_eq!(
                        f.walk.rejects.iter().map(key).collect::<Vec<_>>(),
                        walk.rejects.iter().map(key).collect::<Vec<_>>()
                    );
                    assert_eq!(f.map(|a, _| *a), masks);
                    assert_eq!(f.map(|_, age| age), ages);
                }
                assert!(walk.counts.rows_rejected > 0 && walk.counts.rows_scored > 0);
            }
        }
    }

    /// `IntCol::clean`: no null and no negative value in the range, for every integer type.
    #[test]
    fn int_col_clean() {
        use arrow_array::{Int8Array, UInt64Array, UInt8Array};
        let signed = Int64Array::from(vec![Some(3), Some(0), Some(-1), None, Some(7)]);
        let small = Int8Array::from(vec![Some(3), Some(0), Some(-1), None, Some(7)]);
        for a in [&signed as &dyn Array, &small] {
            let c = IntCol::of(a).unwrap();
            assert!(c.clean(0, 2));
            assert!(!c.clean(0, 3), "negative");
            assert!(!c.clean(3, 4), "null");
            assert!(c.clean(4, 5));
            assert!(c.clean(2, 2), "empty range");
        }
        let unsigned = UInt8Array::from(vec![Some(3), None, Some(255)]);
        let c = IntCol::of(&unsigned).unwrap();
        assert!(c.clean(0, 1) && !c.clean(0, 2) && c.clean(2, 3));
        let big = UInt64Array::from(vec![u64::MAX, 0]);
        assert!(IntCol::of(&big).unwrap().clean(0, 2));
    }

    /// `pack8` near the end of a buffer (byte by byte) equals the one-load path, and
    /// `IdBytes` compares like the ids: same first eight bytes, NUL padding, long ids.
    #[test]
    fn packed_ids_compare_like_strings() {
        let buf = b"ABCDEFGHIJ";
        for start in 0..buf.len() {
            for len in 0..=(buf.len() - start).min(8) {
                let mut want = [0u8; 8];
                want[..len].copy_from_slice(&buf[start..start + len]);
                assert_eq!(pack8(buf, start, len), u64::from_le_bytes(want));
            }
        }
        let ids = [
            "",
            "a",
            "a\0",
            "ab",
            "pseudony",
            "pseudonym-1",
            "pseudonym-2",
            "pseudonym-10",
            "pseudonym-1x",
            "P0000001",
            "P0000002",
            "é",
        ];
        let arr = StringArray::from(ids.to_vec());
        let keys = Utf8Keys::of(&arr);
        for (i, a) in ids.iter().enumerate() {
            for (j, b) in ids.iter().enumerate() {
                let (ka, kb) = (keys.key(i).unwrap(), keys.key(j).unwrap());
                assert_eq!(ka == kb, a == b, "{a:?} {b:?}");
                assert_eq!(ka.cmp(&kb), a.cmp(b), "{a:?} {b:?}");
            }
        }
        let with_null = StringArray::from(vec![Some("x"), None]);
        assert!(Utf8Keys::of(&with_null).key(1).is_none());
    }

    /// The memo gives what `parse` gives, also past its fill limit, for codes of every
    /// length, and never keeps a reject.
    #[test]
    fn parse_cache_matches_parse() {
        let parse = |s: &str| {
            if s.ends_with('!') {
                Err("bang")
            } else {
                Ok(s.bytes()
                    .fold(7u32, |h, b| h.wrapping_mul(31) ^ u32::from(b)))
            }
        };
        let codes: Vec<String> = (0..3000u32)
            .map(|i| match i % 4 {
                0 => format!("{i}"),
                1 => format!("c{i:07}"),
                2 => format!("{i}!"),
                _ => format!("long-code-{i}"),
            })
            .chain(["".to_owned(), "A\0".to_owned(), "A".to_owned()])
            .collect();
        let mut cache = ParseCache::<u32>::new();
        for _ in 0..3 {
            for c in &codes {
                assert_eq!(cache.get_str(c, parse), parse(c), "{c:?}");
            }
        }
    }

    /// Naive first-appearance numbering, for comparison.
    fn naive<T: PartialEq + Clone>(ids: &[Option<T>]) -> (Vec<Option<u32>>, usize) {
        let mut seen: Vec<T> = Vec::new();
        let nums = ids
            .iter()
            .map(|id| {
                id.as_ref().map(|v| match seen.iter().position(|s| s == v) {
                    Some(n) => n as u32,
                    None => {
                        seen.push(v.clone());
                        (seen.len() - 1) as u32
                    }
                })
            })
            .collect();
        (nums, seen.len())
    }

    /// Patient numbers the walk gives each row (None for null ids).
    fn walked(batches: &[RecordBatch]) -> (Vec<Option<u32>>, usize) {
        let t = LongTable::new(batches, &LongInput::default(), None).unwrap();
        let mut nums = vec![None; t.rows];
        let walk = t.walk(
            |_| Ok(()),
            |_, _| Ok(()),
            |at, p, (), _| nums[at.row as usize] = Some(p),
        );
        (nums, walk.patients.len())
    }

    fn split3(b: RecordBatch) -> Vec<RecordBatch> {
        let n = b.num_rows();
        vec![
            b.slice(0, n / 3),
            b.slice(n / 3, n / 3),
            b.slice(2 * (n / 3), n - 2 * (n / 3)),
        ]
    }

    #[test]
    fn grouping_matches_first_appearance() {
        // Sorted for the first 3000 rows, then shuffled; short, long (> 16 bytes, same first 16
        // bytes) and integer ids; three batches.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let nums: Vec<Option<u64>> = (0..20_000u64)
            .map(|r| {
                if r % 97 == 5 {
                    None
                } else if r < 3000 {
                    Some(r / 3)
                } else {
                    Some(next() % 2500)
                }
            })
            .collect();
        for style in 0..3 {
            let ids: Vec<Option<String>> = nums
                .iter()
                .map(|n| {
                    n.map(|n| match style {
                        0 => format!("p{n}"),
                        1 => format!("pseudonym-abcdef-{n:08}"),
                        _ => format!("{n:05}"),
                    })
                })
                .collect();
            let code = Arc::new(StringArray::from(vec!["x"; ids.len()])) as ArrayRef;
            let b = batch(vec![
                (
                    "patient_id",
                    Arc::new(StringArray::from(ids.clone())) as ArrayRef,
                ),
                ("code", code.clone()),
            ]);
            assert_eq!(walked(&split3(b)), naive(&ids), "style {style}");
            let ints: Vec<Option<i64>> = nums
                .iter()
                .map(|n| n.map(|n| n as i64 * 7 - 9000))
                .collect();
            let b = batch(vec![
                (
                    "patient_id",
                    Arc::new(Int64Array::from(ints.clone())) as ArrayRef,
                ),
                ("code", code),
            ]);
            assert_eq!(walked(&split3(b)), naive(&ints));
        }
    }

    #[test]
    fn sorted_input_is_not_hashed_but_equal_runs_later_are_grouped() {
        // "b" reappears after "c": the walk must give it its first number again.
        let ids = vec![
            Some("a"),
            Some("a"),
            Some("b"),
            Some("c"),
            Some("b"),
            None,
            Some("a"),
        ];
        let b = batch(vec![
            (
                "patient_id",
                Arc::new(StringArray::from(ids.clone())) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["x"; 7])) as ArrayRef,
            ),
        ]);
        let owned: Vec<Option<String>> = ids.iter().map(|s| s.map(str::to_owned)).collect();
        assert_eq!(walked(&[b]), naive(&owned));
    }

    #[test]
    fn column_errors() {
        let b = batch(vec![
            ("patient_id", Arc::new(StringArray::from(vec!["p"]))),
            ("code", Arc::new(Int64Array::from(vec![1]))),
        ]);
        let batches = [b];
        let e = LongTable::new(&batches, &LongInput::default(), None)
            .err()
            .unwrap();
        assert_eq!(
            e,
            RiskError::ColumnType {
                column: "code".into(),
                expected: "Utf8, LargeUtf8 or Utf8View",
                found: "Int64".into()
            }
        );
        let cols = LongInput {
            code: "icd",
            ..LongInput::default()
        };
        assert!(matches!(
            LongTable::new(&batches, &cols, None),
            Err(RiskError::MissingColumn { .. })
        ));
        let w = Window {
            index_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            lookback_days: 1,
        };
        assert!(matches!(
            LongTable::new(&batches, &LongInput::default(), Some(&w)),
            Err(RiskError::InvalidOption {
                option: "window",
                ..
            })
        ));
    }
}
