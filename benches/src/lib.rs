//! Shared set-up for the Criterion benchmarks: one configuration and seeded inputs.
//!
//! Benchmark ids follow `capability/operation/size/impl` (e.g.
//! `ids/nhs_number_validate/1m/carecoord` beside `.../scalar_loop`), so that
//! `critcmp base -g '(.*)/(?:carecoord|scalar_loop)$'` prints ratios.

use arrow_array::StringArray;
use carecoord::synth::{register, RegisterConfig};
use criterion::Criterion;

/// The Criterion configuration every bench uses: short, so that `cargo bench` stays quick on
/// two cores; raise with `--measurement-time` for publication figures.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
}

/// `n` NHS numbers as a synthetic practice export writes them (1% faulty, mixed layouts).
pub fn nhs_numbers(n: usize) -> Vec<String> {
    register(&RegisterConfig {
        patients: n,
        ..RegisterConfig::default()
    })
    .rows
    .into_iter()
    .map(|r| r.nhs_number)
    .collect()
}

/// The same values as an Arrow string column.
pub fn nhs_number_column(n: usize) -> StringArray {
    StringArray::from_iter_values(nhs_numbers(n))
}
