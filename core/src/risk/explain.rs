//! Explanations: for each patient, which categories fired, from which input rows and cleaned
//! codes, with what weight, and which were suppressed by a hierarchy rule.
//!
//! Columns of the explanations table, one row per (patient, category present), patients in
//! order of first appearance and categories in table order:
//!
//! | column | type | content |
//! | --- | --- | --- |
//! | `patient_id` | input type | the patient |
//! | `category` | `Utf8` | category key (`mi`, `chf`, ...) or HFRS group (`F05`) |
//! | `label` | `Utf8`, nullable | label from `categories.csv`; null for HFRS groups |
//! | `weight` | `Int32` (HFRS: `Float64`) | the category's weight in the chosen set, whether or not it counts |
//! | `weight_tenths` | `Int32` | HFRS only: the weight in tenths |
//! | `codes` | `Utf8` | the distinct cleaned codes that hit the category, `;`-joined, first seen first |
//! | `rows` | `List<UInt64>` | the input row numbers of those codes (zero-based across batches) |
//! | `suppressed_by` | `Utf8`, nullable | the dominant category key when the hierarchy zeroes this one |
//!
//! A row with a non-null `suppressed_by` adds nothing to the score.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, Int32Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field};

use super::codes::bit_indices;
use super::input::{LongTable, Walk};
use super::output::{batch, patient_array, patient_field};
use super::RiskError;
use crate::ids::Icd10Code;

/// One scored row that hit at least one category (24 bytes).
#[derive(Clone, Copy)]
pub(crate) struct Hit {
    pub(crate) row: u64,
    pub(crate) patient: u32,
    /// Charlson/Elixhauser: the category bitmask; HFRS: the group index + 1.
    pub(crate) cats: u32,
    pub(crate) code: Icd10Code,
}

/// How [`Hit::cats`] is to be read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cats {
    /// A bitmask of categories.
    Mask,
    /// One category, as index + 1.
    Index,
}

impl Cats {
    fn bits(self, cats: u32) -> u128 {
        match self {
            Self::Mask => u128::from(cats),
            Self::Index => 1u128 << (cats - 1),
        }
    }
}

/// How weights are shown.
pub(crate) enum Weights<'t> {
    /// Integer points (Charlson, Elixhauser).
    Points(&'t [i32]),
    /// Tenths (HFRS): `weight` as Float64 and `weight_tenths` as Int32.
    Tenths(&'t [i32]),
}

/// What the explanation needs to know about the instrument.
pub(crate) struct Spec<'t> {
    pub(crate) cats: Cats,
    pub(crate) keys: &'t [&'static str],
    pub(crate) labels: Option<&'t [&'static str]>,
    pub(crate) weights: Weights<'t>,
    /// `suppressed_by(present, category)`: the dominant category index, if any.
    pub(crate) suppressed_by: &'t dyn Fn(u128, usize) -> Option<usize>,
}

/// The hits grouped by patient, rows kept in input order within a patient (a counting sort;
/// nothing to do when the input was already grouped).
fn by_patient(hits: Vec<Hit>, patients: usize) -> Vec<Hit> {
    if hits.is_sorted_by_key(|h| h.patient) {
        return hits;
    }
    let mut start = vec![0usize; patients + 1];
    for h in &hits {
        start[h.patient as usize + 1] += 1;
    }
    for p in 0..patients {
        start[p + 1] += start[p];
    }
    let mut out = hits.clone();
    for h in hits {
        let slot = &mut start[h.patient as usize];
        out[*slot] = h;
        *slot += 1;
    }
    out
}

/// Build the explanations table from the hits of one walk.
pub(crate) fn explanations(
    table: &LongTable<'_>,
    walk: &Walk,
    hits: Vec<Hit>,
    spec: &Spec<'_>,
    metadata: HashMap<String, String>,
) -> Result<RecordBatch, RiskError> {
    let hits = by_patient(hits, walk.patients.len());

    // Size the builders up front: one output row per (patient, category present).
    let n: usize = hits
        .chunk_by(|a, b| a.patient == b.patient)
        .map(|g| {
            let present = g.iter().fold(0u128, |acc, h| acc | spec.cats.bits(h.cats));
            present.count_ones() as usize
        })
        .sum();
    let mut patients = Vec::with_capacity(n);
    let mut category = StringBuilder::with_capacity(n, n * 4);
    let mut label = StringBuilder::with_capacity(n, if spec.labels.is_some() { n * 24 } else { 0 });
    let mut points = Int32Builder::with_capacity(n);
    let mut weight_f = Float64Builder::with_capacity(match spec.weights {
        Weights::Points(_) => 0,
        Weights::Tenths(_) => n,
    });
    let mut codes = StringBuilder::with_capacity(n, hits.len() * 5);
    let mut rows = ListBuilder::with_capacity(UInt64Builder::with_capacity(hits.len()), n);
    let mut suppressed = StringBuilder::with_capacity(n, 0);
    let mut joined = String::new();
    let mut seen: Vec<Icd10Code> = Vec::new();

    for group in hits.chunk_by(|a, b| a.patient == b.patient) {
        let present = group
            .iter()
            .fold(0u128, |acc, h| acc | spec.cats.bits(h.cats));
        for cat in bit_indices(present) {
            patients.push(walk.patients[group[0].patient as usize]);
            category.append_value(spec.keys[cat]);
            label.append_option(spec.labels.map(|l| l[cat]));
            match spec.weights {
                Weights::Points(w) => points.append_value(w[cat]),
                Weights::Tenths(w) => {
                    points.append_value(w[cat]);
                    weight_f.append_value(f64::from(w[cat]) / 10.0);
                }
            }
            joined.clear();
            seen.clear();
            for h in group
                .iter()
                .filter(|h| spec.cats.bits(h.cats) & (1 << cat) != 0)
            {
                rows.values().append_value(h.row);
                if !seen.contains(&h.code) {
                    if !seen.is_empty() {
                        joined.push(';');
                    }
                    joined.push_str(h.code.as_str());
                    seen.push(h.code);
                }
            }
            rows.append(true);
            codes.append_value(&joined);
            suppressed.append_option((spec.suppressed_by)(present, cat).map(|d| spec.keys[d]));
        }
    }

    let rows = rows.finish();
    let mut cols: Vec<(Field, ArrayRef)> = vec![
        (patient_field(table, false), patient_array(table, &patients)),
        (
            Field::new("category", DataType::Utf8, false),
            Arc::new(category.finish()),
        ),
        (
            Field::new("label", DataType::Utf8, true),
            Arc::new(label.finish()),
        ),
    ];
    match spec.weights {
        Weights::Points(_) => cols.push((
            Field::new("weight", DataType::Int32, false),
            Arc::new(points.finish()),
        )),
        Weights::Tenths(_) => {
            cols.push((
                Field::new("weight", DataType::Float64, false),
                Arc::new(weight_f.finish()),
            ));
            cols.push((
                Field::new("weight_tenths", DataType::Int32, false),
                Arc::new(points.finish()),
            ));
        }
    }
    cols.push((
        Field::new("codes", DataType::Utf8, false),
        Arc::new(codes.finish()),
    ));
    cols.push((
        Field::new("rows", rows.data_type().clone(), false),
        Arc::new(rows),
    ));
    cols.push((
        Field::new("suppressed_by", DataType::Utf8, true),
        Arc::new(suppressed.finish()),
    ));
    batch(cols, metadata)
}
