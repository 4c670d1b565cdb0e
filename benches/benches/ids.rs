//! Identifier validation: Arrow batch versus a scalar loop, and the scalar parsers.

use std::hint::black_box;

use carecoord::ids::{batch, Icd10Code, NhsNumber, SnomedId};
use carecoord_benches::{config, nhs_number_column, nhs_numbers};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn nhs_number(c: &mut Criterion) {
    let n = 1_000_000;
    let column = nhs_number_column(n);
    let strings = nhs_numbers(n);
    // Expected count of valid rows, computed once by the scalar path, checked every iteration.
    let expect = strings.iter().filter(|s| NhsNumber::is_valid(s)).count();
    let mut g = c.benchmark_group("ids/nhs_number_validate/1m");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("carecoord", |b| {
        b.iter(|| {
            let v = batch::nhs_number_validate(black_box(&column)).expect("strings");
            assert_eq!(v.true_count(), expect);
            v.len()
        })
    });
    g.bench_function("scalar_loop", |b| {
        b.iter(|| {
            let valid = black_box(&strings)
                .iter()
                .filter(|s| NhsNumber::is_valid(s))
                .count();
            assert_eq!(valid, expect);
        })
    });
    g.finish();

    let mut g = c.benchmark_group("ids/scalar");
    g.bench_function("nhs_number_parse_spaced", |b| {
        b.iter(|| NhsNumber::parse(black_box("943 476 5919")).expect("valid"))
    });
    g.bench_function("snomed_parse", |b| {
        b.iter(|| SnomedId::parse(black_box("404684003")).expect("valid"))
    });
    g.bench_function("icd10_parse", |b| {
        b.iter(|| Icd10Code::parse(black_box(" i21.4 ")).expect("valid"))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = nhs_number
}
criterion_main!(benches);
