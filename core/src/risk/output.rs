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

use arrow_array::builder::{GenericStringBuilder, StringBuilder, StringViewBuilder};
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, PrimitiveArray, RecordBatch, StringArray,
    UInt64Array,
};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema};
use rayon::prelude::*;

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

/// A run of patients' first rows, in output order: the unit that [`patient_array_runs`]
/// copies ids for in parallel.
pub(crate) trait RowRun: Sync {
    /// The number of patients in the run.
    fn len(&self) -> usize;
    /// The first row of the run's `k`-th patient.
    fn at(&self, k: usize) -> RowAt;
}

impl RowRun for &[RowAt] {
    fn len(&self) -> usize {
        <[RowAt]>::len(self)
    }

    #[inline]
    fn at(&self, k: usize) -> RowAt {
        self[k]
    }
}

/// The patient ids at the given rows (null where the id is null), in the input's type.
pub(crate) fn patient_array(table: &LongTable<'_>, rows: &[RowAt]) -> ArrayRef {
    let runs: Vec<&[RowAt]> = rows.chunks(1 << 16).collect();
    patient_array_runs(table, &runs)
}

/// The patient ids at the rows of `runs`, one after the other.
///
/// `Utf8`, `Int32` and `Int64` ids are copied straight into the output buffers (offsets and
/// bytes, or values), a run per task, with a validity bitmap only when a row's id is null;
/// other types go through the Arrow builders.
pub(crate) fn patient_array_runs<R: RowRun>(table: &LongTable<'_>, runs: &[R]) -> ArrayRef {
    let n: usize = runs.iter().map(RowRun::len).sum();
    let all = || runs.iter().flat_map(|r| (0..r.len()).map(move |k| r.at(k)));
    /// The values of a primitive id column at the rows; `get` reads one batch's column.
    fn primitive<T: ArrowPrimitiveType, R: RowRun>(
        table: &LongTable<'_>,
        runs: &[R],
        n: usize,
        get: impl Fn(PatientCol<'_>) -> Option<&PrimitiveArray<T>>,
    ) -> ArrayRef {
        let cols: Vec<Option<&PrimitiveArray<T>>> =
            table.batches.iter().map(|c| get(c.patient)).collect();
        let id = |at: RowAt| {
            let i = at.index as usize;
            cols[at.batch as usize]
                .filter(|a| a.is_valid(i))
                .map(|a| a.values()[i])
        };
        let mut values = vec![T::Native::default(); n];
        let mut slices = Vec::with_capacity(runs.len());
        let mut rest = values.as_mut_slice();
        for r in runs {
            let (run, tail) = rest.split_at_mut(r.len());
            slices.push(run);
            rest = tail;
        }
        slices
            .into_par_iter()
            .zip(runs.par_iter())
            .for_each(|(out, r)| {
                for (k, v) in out.iter_mut().enumerate() {
                    *v = id(r.at(k)).unwrap_or_default();
                }
            });
        let nulls = cols.iter().flatten().any(|a| a.null_count() > 0).then(|| {
            runs.iter()
                .flat_map(|r| (0..r.len()).map(move |k| id(r.at(k)).is_some()))
                .collect::<BooleanBuffer>()
        });
        let nulls = nulls.map(NullBuffer::new).filter(|b| b.null_count() > 0);
        Arc::new(PrimitiveArray::<T>::new(values.into(), nulls))
    }
    match table.patient_type {
        DataType::Int32 => primitive::<Int32Type, R>(table, runs, n, |p| match p {
            PatientCol::I32(a) => Some(a),
            _ => None,
        }),
        DataType::Int64 => primitive::<Int64Type, R>(table, runs, n, |p| match p {
            PatientCol::I64(a) => Some(a),
            _ => None,
        }),
        DataType::LargeUtf8 => {
            let mut b = GenericStringBuilder::<i64>::with_capacity(n, n * 12);
            for at in all() {
                b.append_option(str_at(table, at));
            }
            Arc::new(b.finish())
        }
        DataType::Utf8View => {
            let mut b = StringViewBuilder::with_capacity(n);
            for at in all() {
                b.append_option(str_at(table, at));
            }
            Arc::new(b.finish())
        }
        _ => utf8_ids(table, runs, n).unwrap_or_else(|| {
            let mut b = GenericStringBuilder::<i32>::with_capacity(n, n * 12);
            for at in all() {
                b.append_option(str_at(table, at));
            }
            Arc::new(b.finish())
        }),
    }
}

/// `Utf8` ids at the rows of `runs`, bytes copied from the input's values buffers (runs in
/// parallel, then joined); `None` when the output would not fit `i32` offsets (the builder
/// then reports it).
fn utf8_ids<R: RowRun>(table: &LongTable<'_>, runs: &[R], n: usize) -> Option<ArrayRef> {
    let cols: Vec<Option<&StringArray>> = table
        .batches
        .iter()
        .map(|c| match c.patient {
            PatientCol::Str(StrCol::Utf8(a)) => Some(a),
            _ => None,
        })
        .collect();
    let id = |at: RowAt| -> Option<&[u8]> {
        let i = at.index as usize;
        let a = cols[at.batch as usize].filter(|a| a.is_valid(i))?;
        let o = a.value_offsets();
        Some(&a.values()[o[i] as usize..o[i + 1] as usize])
    };
    // Per run: the bytes, the end of each id in them, and whether an id was null.
    let parts: Vec<(Vec<u8>, Vec<usize>, bool)> = runs
        .par_iter()
        .map(|r| {
            let mut values = Vec::with_capacity(r.len() * 8);
            let mut ends = Vec::with_capacity(r.len());
            let mut null = false;
            for k in 0..r.len() {
                match id(r.at(k)) {
                    Some(b) => values.extend_from_slice(b),
                    None => null = true,
                }
                ends.push(values.len());
            }
            (values, ends, null)
        })
        .collect();
    let bytes: usize = parts.iter().map(|r| r.0.len()).sum();
    i32::try_from(bytes).ok()?;
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0i32);
    let mut values: Vec<u8> = Vec::with_capacity(bytes);
    let mut null = false;
    for (v, ends, nl) in parts {
        let base = values.len();
        // Fits: every offset is at most `bytes <= i32::MAX`.
        offsets.extend(ends.iter().map(|&e| (base + e) as i32));
        values.extend_from_slice(&v);
        null |= nl;
    }
    let nulls = null.then(|| {
        NullBuffer::new(
            runs.iter()
                .flat_map(|r| (0..r.len()).map(move |k| id(r.at(k)).is_some()))
                .collect(),
        )
    });
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    StringArray::try_new(offsets, Buffer::from_vec(values), nulls)
        .ok()
        .map(|a| Arc::new(a) as ArrayRef)
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
/// 109 HFRS flag columns cost about what one does with [`bool_column`]. The rows are split
/// into runs of whole 64-bit words filled in parallel.
pub(crate) fn bool_columns(
    n: usize,
    columns: usize,
    bits: impl Fn(usize) -> u128 + Sync,
) -> Vec<ArrayRef> {
    debug_assert!(columns <= 128);
    let words_per_col = n.div_ceil(64);
    let mut words: Vec<Vec<u64>> = (0..columns).map(|_| vec![0u64; words_per_col]).collect();
    // Runs of 2,048 words (131,072 rows): each column's slice of the run.
    const RUN_WORDS: usize = 2048;
    let mut runs: Vec<Vec<&mut [u64]>> = (0..words_per_col.div_ceil(RUN_WORDS))
        .map(|_| Vec::with_capacity(columns))
        .collect();
    for col in &mut words {
        for (run, part) in runs.iter_mut().zip(col.chunks_mut(RUN_WORDS)) {
            run.push(part);
        }
    }
    runs.into_par_iter().enumerate().for_each(|(r, mut run)| {
        let first = r * RUN_WORDS;
        let run_words = run.first().map_or(0, |c| c.len());
        for w in 0..run_words {
            let base = (first + w) * 64;
            for j in 0..(n - base).min(64) {
                let mut b = bits(base + j);
                while b != 0 {
                    let c = b.trailing_zeros() as usize;
                    b &= b - 1;
                    if let Some(col) = run.get_mut(c) {
                        col[w] |= 1u64 << j;
                    }
                }
            }
        }
    });
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
    let ats: Vec<RowAt> = walk.rejects.iter().map(|r| r.at).collect();
    let patient = patient_array(table, &ats);
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

    /// The direct id copies give what the Arrow builders give, nulls and several batches
    /// included, for every id type.
    #[test]
    fn patient_array_matches_builders() {
        use crate::risk::input::LongTable;
        use crate::risk::LongInput;
        use arrow_array::builder::{Int32Builder, Int64Builder};
        use arrow_array::{Int32Array, Int64Array, LargeStringArray, StringViewArray};

        let n = 200_000usize;
        let id = |i: usize| (i % 97 != 3).then(|| format!("id-{:06}", i * 7919 % n));
        let ids: Vec<Option<String>> = (0..n).map(id).collect();
        let nums: Vec<Option<i64>> = (0..n)
            .map(|i| (i % 89 != 5).then_some((i * 31) as i64 - 1000))
            .collect();
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(ids.clone())),
            Arc::new(LargeStringArray::from(ids.clone())),
            Arc::new(StringViewArray::from(ids.clone())),
            Arc::new(Int64Array::from(nums.clone())),
            Arc::new(Int32Array::from(
                nums.iter().map(|v| v.map(|v| v as i32)).collect::<Vec<_>>(),
            )),
        ];
        let code: ArrayRef = Arc::new(StringArray::from(vec!["I10"; n]));
        for patient in arrays {
            let batch = RecordBatch::try_from_iter([
                ("patient_id", patient.clone()),
                ("code", code.clone()),
            ])
            .unwrap();
            let batches = [batch.slice(0, n / 3), batch.slice(n / 3, n - n / 3)];
            let table = LongTable::new(&batches, &LongInput::default(), None).unwrap();
            // Every third row, in a scrambled order, across both batches.
            let rows: Vec<RowAt> = (0..n / 3)
                .map(|k| {
                    let row = (k * 3 * 7) % n;
                    let (batch, index) = if row < n / 3 {
                        (0, row)
                    } else {
                        (1, row - n / 3)
                    };
                    RowAt {
                        row: row as u64,
                        batch,
                        index: index as u32,
                    }
                })
                .collect();
            let got = patient_array(&table, &rows);
            let want: ArrayRef = match patient.data_type() {
                DataType::Int64 => {
                    let mut b = Int64Builder::new();
                    for at in &rows {
                        b.append_option(nums[at.row as usize]);
                    }
                    Arc::new(b.finish())
                }
                DataType::Int32 => {
                    let mut b = Int32Builder::new();
                    for at in &rows {
                        b.append_option(nums[at.row as usize].map(|v| v as i32));
                    }
                    Arc::new(b.finish())
                }
                _ => {
                    let mut b = StringBuilder::new();
                    for at in &rows {
                        b.append_option(ids[at.row as usize].as_deref());
                    }
                    arrow_cast_utf8(&b.finish(), patient.data_type())
                }
            };
            assert_eq!(got.data_type(), patient.data_type());
            assert_eq!(got.as_ref(), want.as_ref(), "{}", patient.data_type());
            assert!(got.null_count() > 0);
        }
        // Without nulls there is no validity bitmap.
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["I10", "I10"])) as ArrayRef,
            ),
        ])
        .unwrap();
        let batches = [b];
        let table = LongTable::new(&batches, &LongInput::default(), None).unwrap();
        let at = |i| RowAt {
            row: i,
            batch: 0,
            index: i as u32,
        };
        assert!(patient_array(&table, &[at(1), at(0)]).nulls().is_none());
    }

    /// A `Utf8` array in the given string type.
    fn arrow_cast_utf8(a: &StringArray, to: &DataType) -> ArrayRef {
        use arrow_array::{LargeStringArray, StringViewArray};
        let v: Vec<Option<&str>> = a.iter().collect();
        match to {
            DataType::LargeUtf8 => Arc::new(LargeStringArray::from(v)),
            DataType::Utf8View => Arc::new(StringViewArray::from(v)),
            _ => Arc::new(StringArray::from(v)),
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
