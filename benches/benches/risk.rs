//! Risk scores over a long-format table: 1M patients x 10 codes (10 million rows).
//!
//! The Python peers (pycomorb, comorbidipy) are compared in `benches/python/bench_risk.py`;
//! here each score is timed end to end from Arrow batches to Arrow batches, in four shapes
//! (the measurement that used to be the ignored `perf_10m_rows` test):
//!
//! * `1m_x10`: one batch sorted by patient (the fast path: a new run of ids is a patient);
//! * `1m_x10_shuffled`: the same rows in a seeded random order, in 10 batches of 1M rows
//!   (ids grouped by hashing, row numbers counted across batches);
//! * `..._explain`: each of the above with the explanations table built.

use std::hint::black_box;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, RecordBatch, StringArray};
use carecoord::risk::{self, CharlsonWeights, ScoreOptions};
use carecoord_benches::{config, long_codes};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The rows of `batch` in a seeded random order (Fisher-Yates with xorshift), cut into
/// `parts` batches of equal size.
fn shuffled(batch: &RecordBatch, parts: usize) -> Vec<RecordBatch> {
    let n = batch.num_rows();
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let column = |name: &str| {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<StringArray>())
            .expect("utf8 column")
            .clone()
    };
    let (ids, codes) = (column("patient_id"), column("code"));
    order
        .chunks(n.div_ceil(parts))
        .map(|rows| {
            let mut p = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
            let mut c = StringBuilder::with_capacity(rows.len(), rows.len() * 5);
            for &r in rows {
                p.append_value(ids.value(r));
                c.append_value(codes.value(r));
            }
            RecordBatch::try_new(
                batch.schema(),
                vec![Arc::new(p.finish()), Arc::new(c.finish())],
            )
            .expect("same schema")
        })
        .collect()
}

fn scores(c: &mut Criterion) {
    let patients = 1_000_000;
    let batch = long_codes(patients, 10);
    let rows = batch.num_rows();
    let sorted = vec![batch.clone()];
    let shuffled = shuffled(&batch, 10);
    assert_eq!(shuffled.len(), 10);
    let mut g = c.benchmark_group("risk");
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(10);
    for (shape, batches) in [("1m_x10", &sorted), ("1m_x10_shuffled", &shuffled)] {
        for explain in [false, true] {
            let opts = ScoreOptions {
                explain,
                ..ScoreOptions::default()
            };
            let shape = if explain {
                format!("{shape}_explain")
            } else {
                shape.to_string()
            };
            let check = |r: &risk::ScoreResult| {
                assert_eq!(r.counts.rows_in, rows);
                assert_eq!(r.counts.patients, patients);
                assert!(r.counts.is_balanced());
                assert_eq!(r.explanations.is_some(), explain);
            };
            g.bench_function(format!("charlson/{shape}/carecoord"), |b| {
                b.iter(|| {
                    let r = risk::charlson(
                        black_box(batches.as_slice()),
                        CharlsonWeights::Charlson1987,
                        &opts,
                    )
                    .expect("scores");
                    check(&r);
                })
            });
            g.bench_function(format!("elixhauser/{shape}/carecoord"), |b| {
                b.iter(|| {
                    let r = risk::elixhauser(black_box(batches.as_slice()), &opts).expect("scores");
                    check(&r);
                })
            });
            g.bench_function(format!("hfrs/{shape}/carecoord"), |b| {
                b.iter(|| {
                    let r = risk::hfrs(black_box(batches.as_slice()), &opts).expect("scores");
                    check(&r);
                })
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = scores
}
criterion_main!(benches);
