//! Result tables of the code-based scores: scores, rejects and metadata.
//!
//! Every output `RecordBatch` carries the same schema metadata: `carecoord.instrument`,
//! `carecoord.weights`, `carecoord.version` (crate version), `carecoord.rows_in`,
//! `carecoord.rows_rejected`, `carecoord.rows_excluded`, and where they apply
//! `carecoord.mapping`, `carecoord.age_points`, `carecoord.index_date`,
//! `carecoord.lookback_days` and `carecoord.note`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use arrow_array::builder::{
    GenericStringBuilder, Int32Builder, Int64Builder, StringBuilder, StringViewBuilder,
};
use arrow_array::{ArrayRef, BooleanArray, RecordBatch, UInt64Array};
use arrow_buffer::{BooleanBuffer, Buffer};
use arrow_schema::{DataType, Field, Schema};

use super::input::{LongTable, PatientCol, RowAt, StrCol, Walk, Window};
use super::RiskError;

/// How the input rows were used: `rows_in = rows_scored + rows_excluded + rows_rejected`.
///
/// # Example
///
/// ```
/// use carecoord::risk::RowCounts;
/// let c = RowCounts { rows_in: 5, rows_scored: 3, rows_excluded: 1, rows_rejected: 1, patients: 2 };
/// assert!(c.is_balanced());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCounts {
    /// Rows in all input batches together.
    pub rows_in: usize,
    /// Rows whose code was looked up (it may match no category).
    pub rows_scored: usize,
    /// Rows outside the date window (not rejects).
    pub rows_excluded: usize,
    /// Rows in the rejects table.
    pub rows_rejected: usize,
    /// Patients in the scores table (distinct non-null patient ids).
    pub patients: usize,
}

impl RowCounts {
    /// Whether `rows_in == rows_scored + rows_excluded + rows_rejected` (always true for
    /// counts returned by this library).
    ///
    /// ```
    /// use carecoord::risk::RowCounts;
    /// assert!(RowCounts::default().is_balanced());
    /// ```
    pub fn is_balanced(&self) -> bool {
        self.rows_in == self.rows_scored + self.rows_excluded + self.rows_rejected
    }
}

/// The result of a batch score.
///
/// * `scores`: one row per patient present in the input (non-null id), in order of first
///   appearance; columns depend on the score (see [`charlson`](crate::risk::charlson),
///   [`elixhauser`](crate::risk::elixhauser), [`hfrs`](crate::risk::hfrs)).
/// * `rejects`: one row per rejected input row: `row` (`UInt64`, zero-based across the
///   concatenated batches), `patient_id` (input type, nullable), `field` (`Utf8`, the input
///   column name), `reason` (`Utf8`, a stable code: `null_patient`, `null_code`, `null_date`,
///   `invalid_date`, `negative_age`, or an [`Icd10Error::code`](crate::ids::Icd10Error::code)
///   such as `misplaced_dot`).
/// * `explanations`: when asked for ([`ScoreOptions::explain`](crate::risk::ScoreOptions::explain)),
///   one row per (patient, category present), patients in order of first appearance and
///   categories in table order:
///
///   | column | type | content |
///   | --- | --- | --- |
///   | `patient_id` | input type | the patient |
///   | `category` | `Utf8` | category key (`mi`, `chf`, ...) or HFRS group (`F05`) |
///   | `label` | `Utf8`, nullable | label from `categories.csv`; null for HFRS groups |
///   | `weight` | `Int32` (HFRS: `Float64`) | the category's weight in the chosen set |
///   | `weight_tenths` | `Int32` | HFRS only: the weight in tenths |
///   | `codes` | `Utf8` | distinct cleaned codes that hit the category, `;`-joined, first seen first |
///   | `rows` | `List<UInt64>` | input row numbers of those codes (zero-based across batches) |
///   | `suppressed_by` | `Utf8`, nullable | dominant category key when the hierarchy zeroes this one (the row then adds nothing to the score) |
///
/// `Debug` prints only shapes and counts, never patient ids.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, StringArray};
/// use carecoord::risk::{elixhauser, ScoreOptions};
///
/// let batch = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["p1", "p1"])) as _),
///     ("code", Arc::new(StringArray::from(vec!["I50.0", "??"])) as _),
/// ])?;
/// let r = elixhauser(&[batch], &ScoreOptions::default())?;
/// assert_eq!(r.scores.num_rows(), 1);
/// assert_eq!(r.rejects.num_rows(), 1);
/// assert_eq!(r.counts.rows_scored, 1);
/// assert!(format!("{r:?}").contains("rejects: 1 rows"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct ScoreResult {
    /// One row per patient.
    pub scores: RecordBatch,
    /// One row per rejected input row.
    pub rejects: RecordBatch,
    /// One row per (patient, category present), when explanations were asked for.
    pub explanations: Option<RecordBatch>,
    /// Row accounting.
    pub counts: RowCounts,
}

impl fmt::Debug for ScoreResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shape =
            |b: &RecordBatch| format!("{} rows x {} columns", b.num_rows(), b.num_columns());
        f.debug_struct("ScoreResult")
            .field("scores", &format_args!("{}", shape(&self.scores)))
            .field("rejects", &format_args!("{} rows", self.rejects.num_rows()))
            .field(
                "explanations",
                &format_args!(
                    "{}",
                    self.explanations
                        .as_ref()
                        .map_or("none".to_owned(), |e| format!("{} rows", e.num_rows()))
                ),
            )
            .field("counts", &self.counts)
            .finish()
    }
}

/// Instrument-level metadata for the output schemas.
pub(crate) struct Meta {
    pub(crate) instrument: &'static str,
    pub(crate) weights: &'static str,
    pub(crate) extra: Vec<(&'static str, String)>,
}

impl Meta {
    pub(crate) fn to_map(
        &self,
        counts: &RowCounts,
        window: Option<&Window>,
    ) -> HashMap<String, String> {
        let mut m: HashMap<String, String> = [
            ("carecoord.instrument", self.instrument.to_owned()),
            ("carecoord.weights", self.weights.to_owned()),
            ("carecoord.version", env!("CARGO_PKG_VERSION").to_owned()),
            ("carecoord.rows_in", counts.rows_in.to_string()),
            ("carecoord.rows_rejected", counts.rows_rejected.to_string()),
            ("carecoord.rows_excluded", counts.rows_excluded.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if let Some(w) = window {
            m.insert("carecoord.index_date".into(), w.index_date.to_string());
            m.insert(
                "carecoord.lookback_days".into(),
                w.lookback_days.to_string(),
            );
        }
        for (k, v) in &self.extra {
            m.insert((*k).to_owned(), v.clone());
        }
        m
    }
}

fn arrow_err(e: arrow_schema::ArrowError) -> RiskError {
    RiskError::Arrow(e.to_string())
}

/// A record batch from named columns and metadata.
pub(crate) fn batch(
    columns: Vec<(Field, ArrayRef)>,
    metadata: HashMap<String, String>,
) -> Result<RecordBatch, RiskError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    RecordBatch::try_new(schema, arrays).map_err(arrow_err)
}

/// The patient ids at the given rows (null where the id is null), in the input's type.
pub(crate) fn patient_array(
    table: &LongTable<'_>,
    rows: impl ExactSizeIterator<Item = RowAt>,
) -> ArrayRef {
    fn strings<O: arrow_array::OffsetSizeTrait>(
        table: &LongTable<'_>,
        rows: impl ExactSizeIterator<Item = RowAt>,
    ) -> ArrayRef {
        let mut b = GenericStringBuilder::<O>::with_capacity(rows.len(), rows.len() * 12);
        for at in rows {
            b.append_option(str_at(table, at));
        }
        Arc::new(b.finish())
    }
    match table.patient_type {
        DataType::Int32 => {
            let mut b = Int32Builder::with_capacity(rows.len());
            for at in rows {
                match table.batches[at.batch as usize].patient {
                    PatientCol::I32(a) if !arrow_array::Array::is_null(a, at.index as usize) => {
                        b.append_value(a.value(at.index as usize))
                    }
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        DataType::Int64 => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for at in rows {
                match table.batches[at.batch as usize].patient {
                    PatientCol::I64(a) if !arrow_array::Array::is_null(a, at.index as usize) => {
                        b.append_value(a.value(at.index as usize))
                    }
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        DataType::LargeUtf8 => strings::<i64>(table, rows),
        DataType::Utf8View => {
            let mut b = StringViewBuilder::with_capacity(rows.len());
            for at in rows {
                b.append_option(str_at(table, at));
            }
            Arc::new(b.finish())
        }
        _ => strings::<i32>(table, rows),
    }
}

fn str_at<'b>(table: &LongTable<'b>, at: RowAt) -> Option<&'b str> {
    match table.batches[at.batch as usize].patient {
        PatientCol::Str(s) => StrCol::get(s, at.index as usize),
        _ => None,
    }
}

/// The `patient_id` output field.
pub(crate) fn patient_field(table: &LongTable<'_>, nullable: bool) -> Field {
    Field::new("patient_id", table.patient_type.clone(), nullable)
}

/// A non-null boolean column with `bit(i)` for rows `0..n`, built a 64-bit word at a time.
pub(crate) fn bool_column(n: usize, bit: impl Fn(usize) -> bool) -> ArrayRef {
    let mut words = vec![0u64; n.div_ceil(64)];
    for (w, word) in words.iter_mut().enumerate() {
        let base = w * 64;
        let mut x = 0u64;
        for j in 0..(n - base).min(64) {
            x |= u64::from(bit(base + j)) << j;
        }
        // Arrow bitmaps are little-endian.
        *word = x.to_le();
    }
    Arc::new(BooleanArray::new(
        BooleanBuffer::new(Buffer::from_vec(words), 0, n),
        None,
    ))
}

/// `columns` non-null boolean columns at once: column `c` has bit `c` of `bits(i)` for rows
/// `0..n`. One pass over the rows, touching only the set bits (category sets are sparse), so
/// 109 HFRS flag columns cost about what one does with [`bool_column`].
pub(crate) fn bool_columns(
    n: usize,
    columns: usize,
    bits: impl Fn(usize) -> u128,
) -> Vec<ArrayRef> {
    debug_assert!(columns <= 128);
    let words_per_col = n.div_ceil(64);
    let mut words: Vec<Vec<u64>> = (0..columns).map(|_| vec![0u64; words_per_col]).collect();
    for (w, base) in (0..n).step_by(64).enumerate() {
        for j in 0..(n - base).min(64) {
            let mut b = bits(base + j);
            while b != 0 {
                let c = b.trailing_zeros() as usize;
                b &= b - 1;
                if let Some(col) = words.get_mut(c) {
                    col[w] |= 1u64 << j;
                }
            }
        }
    }
    words
        .into_iter()
        .map(|col| {
            // Arrow bitmaps are little-endian.
            let col: Vec<u64> = col.into_iter().map(u64::to_le).collect();
            Arc::new(BooleanArray::new(
                BooleanBuffer::new(Buffer::from_vec(col), 0, n),
                None,
            )) as ArrayRef
        })
        .collect()
}

/// The rejects table.
pub(crate) fn rejects_batch(
    table: &LongTable<'_>,
    walk: &Walk,
    metadata: HashMap<String, String>,
) -> Result<RecordBatch, RiskError> {
    let n = walk.rejects.len();
    let row = UInt64Array::from_iter_values(walk.rejects.iter().map(|r| r.at.row));
    let patient = patient_array(table, walk.rejects.iter().map(|r| r.at));
    let mut field = StringBuilder::with_capacity(n, n * 8);
    let mut reason = StringBuilder::with_capacity(n, n * 12);
    for r in &walk.rejects {
        field.append_value(table.field_name(r.field));
        reason.append_value(r.reason);
    }
    batch(
        vec![
            (Field::new("row", DataType::UInt64, false), Arc::new(row)),
            (patient_field(table, true), patient),
            (
                Field::new("field", DataType::Utf8, false),
                Arc::new(field.finish()),
            ),
            (
                Field::new("reason", DataType::Utf8, false),
                Arc::new(reason.finish()),
            ),
        ],
        metadata,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;

    #[test]
    fn bool_columns_match_bool_column() {
        for n in [0, 1, 63, 64, 65, 200] {
            let bits = |i: usize| {
                (i as u128 * 0x9e37_79b9) & ((1u128 << 109) - 1) | (u128::from(i % 5 == 0) << 108)
            };
            let cols = bool_columns(n, 109, bits);
            assert_eq!(cols.len(), 109);
            for (c, col) in cols.iter().enumerate() {
                let one = bool_column(n, |i| bits(i) >> c & 1 == 1);
                assert_eq!(col.as_ref(), one.as_ref(), "n={n} column {c}");
            }
        }
    }

    #[test]
    fn bool_column_bits() {
        for n in [0, 1, 63, 64, 65, 130] {
            let a = bool_column(n, |i| i % 3 == 0);
            let a = a.as_any().downcast_ref::<BooleanArray>().unwrap();
            assert_eq!(a.len(), n);
            for i in 0..n {
                assert_eq!(a.value(i), i % 3 == 0);
            }
        }
    }
}
