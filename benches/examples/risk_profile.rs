//! Profiling harness for the risk hot path, shaped like `benches/python/bench_risk.py`'s
//! input: 1,000,000 patients x 10 clean ICD-10 codes, `Int64` ids sorted by patient, an
//! `Int64` age column. Prints the median of five runs per score (not a benchmark of record;
//! see `benches/benches/risk.rs` for Criterion).
//!
//!     cargo run --release -p carecoord-benches --example risk_profile \
//!         [-- PATIENTS [all|charlson|elixhauser|hfrs [int|utf8 [sorted|shuffled]]]]
//!
//! `utf8` ids are `P0000000`-style strings, as in the Criterion input; `shuffled` puts the
//! rows in a seeded random order (one batch), which takes the grouping path.

use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use carecoord::risk::{charlson, elixhauser, hfrs, CharlsonWeights, LongInput, ScoreOptions};
use carecoord_benches::ICD10_POOL;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = |i: usize| std::env::args().nth(i);
    let patients: usize = arg(1).map(|a| a.parse()).transpose()?.unwrap_or(1_000_000);
    let which = arg(2).unwrap_or_else(|| "all".into());
    let utf8 = arg(3).is_some_and(|a| a == "utf8");
    let shuffled = arg(4).is_some_and(|a| a == "shuffled");
    let per = 10;
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = patients * per;
    let mut order: Vec<usize> = (0..n).collect();
    if shuffled {
        for i in (1..n).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
    }
    let ids: ArrayRef = if utf8 {
        Arc::new(StringArray::from_iter_values(
            order.iter().map(|i| format!("P{:07}", i / per)),
        ))
    } else {
        Arc::new(Int64Array::from_iter_values(
            order.iter().map(|i| (i / per) as i64),
        ))
    };
    let ages =
        Int64Array::from_iter_values(order.iter().map(|i| 18 + ((i / per) * 7919 % 82) as i64));
    let pool: Vec<&str> = (0..n)
        .map(|_| ICD10_POOL[next() as usize % ICD10_POOL.len()])
        .collect();
    let codes = StringArray::from_iter_values(order.iter().map(|&i| pool[i]));
    let batch = RecordBatch::try_from_iter([
        ("id", ids),
        ("code", Arc::new(codes) as ArrayRef),
        ("age", Arc::new(ages) as ArrayRef),
    ])?;
    let batches = [batch];
    let plain = ScoreOptions {
        columns: LongInput {
            patient: "id",
            ..LongInput::default()
        },
        ..ScoreOptions::default()
    };
    let aged = ScoreOptions {
        columns: LongInput {
            patient: "id",
            age: Some("age"),
            ..LongInput::default()
        },
        ..ScoreOptions::default()
    };
    let time = |name: &str, f: &dyn Fn() -> usize| {
        if which != "all" && which != name {
            return;
        }
        let mut t: Vec<f64> = (0..5)
            .map(|_| {
                let t0 = Instant::now();
                let patients = f();
                assert_eq!(patients, n / per);
                t0.elapsed().as_secs_f64()
            })
            .collect();
        t.sort_by(f64::total_cmp);
        println!("{name}: median {:.3} s (min {:.3})", t[2], t[0]);
    };
    time("charlson", &|| {
        charlson(&batches, CharlsonWeights::Charlson1987, &aged)
            .unwrap()
            .counts
            .patients
    });
    time("elixhauser", &|| {
        elixhauser(&batches, &plain).unwrap().counts.patients
    });
    time("hfrs", &|| hfrs(&batches, &plain).unwrap().counts.patients);
    Ok(())
}
