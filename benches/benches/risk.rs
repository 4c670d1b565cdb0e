//! Risk scores over a long-format table: 1M patients x 10 codes (10 million rows).
//!
//! The Python peers (pycomorb, comorbidipy) are compared in `benches/python/bench_risk.py`;
//! here each score is timed end to end from Arrow batches to Arrow batches.

use std::hint::black_box;

use carecoord::risk::{self, CharlsonWeights, ScoreOptions};
use carecoord_benches::{config, long_codes};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn scores(c: &mut Criterion) {
    let patients = 1_000_000;
    let batch = long_codes(patients, 10);
    let rows = batch.num_rows();
    let batches = std::slice::from_ref(&batch);
    let opts = ScoreOptions::default();
    let mut g = c.benchmark_group("risk");
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(10);
    g.bench_function("charlson/1m_x10/carecoord", |b| {
        b.iter(|| {
            let r = risk::charlson(black_box(batches), CharlsonWeights::Charlson1987, &opts)
                .expect("scores");
            assert_eq!(r.counts.rows_in, rows);
            assert_eq!(r.counts.patients, patients);
        })
    });
    g.bench_function("elixhauser/1m_x10/carecoord", |b| {
        b.iter(|| {
            let r = risk::elixhauser(black_box(batches), &opts).expect("scores");
            assert_eq!(r.counts.patients, patients);
        })
    });
    g.bench_function("hfrs/1m_x10/carecoord", |b| {
        b.iter(|| {
            let r = risk::hfrs(black_box(batches), &opts).expect("scores");
            assert_eq!(r.counts.patients, patients);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = scores
}
criterion_main!(benches);
