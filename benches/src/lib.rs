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

/// Clean ICD-10 codes (no dots, upper case) that hit Charlson, Elixhauser and HFRS
/// categories, mixed with common codes that hit none: the pool of the risk inputs.
pub const ICD10_POOL: &[&str] = &[
    "I214", "I500", "E119", "E112", "I10", "J449", "N184", "F03", "G309", "C509", "C787", "I639",
    "I693", "W19", "S720", "F059", "N390", "R32", "I739", "F329", "E669", "D649", "K746", "E039",
    "G20", "L89", "R26", "Z742", "R54", "M810", "J189", "K219", "M545", "R51", "Z000", "H269",
    "B349", "L309", "R104", "J069",
];

/// A long-format diagnosis table: `patients` patients with `per_patient` ICD-10 codes each,
/// drawn (seeded) from codes that hit Charlson, Elixhauser and HFRS categories mixed with
/// codes that hit none; about 10% dotted and 5% lower case, as exports write them.
pub fn long_codes(patients: usize, per_patient: usize) -> arrow_array::RecordBatch {
    use std::sync::Arc;

    use arrow_array::builder::StringBuilder;
    use arrow_schema::{DataType, Field, Schema};

    // A small xorshift keeps the generator dependency-free and identical everywhere.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = patients * per_patient;
    let mut ids = StringBuilder::with_capacity(n, n * 8);
    let mut codes = StringBuilder::with_capacity(n, n * 5);
    for p in 0..patients {
        let id = format!("P{p:07}");
        for _ in 0..per_patient {
            let c = ICD10_POOL[(next() % ICD10_POOL.len() as u64) as usize];
            ids.append_value(&id);
            match next() % 20 {
                0 | 1 if c.len() > 3 => codes.append_value(format!("{}.{}", &c[..3], &c[3..])),
                2 => codes.append_value(c.to_lowercase()),
                _ => codes.append_value(c),
            }
        }
    }
    let schema = Schema::new(vec![
        Field::new("patient_id", DataType::Utf8, false),
        Field::new("code", DataType::Utf8, false),
    ]);
    arrow_array::RecordBatch::try_new(
        Arc::new(schema),
        vec![Arc::new(ids.finish()), Arc::new(codes.finish())],
    )
    .expect("columns of equal length")
}
