//! Shared set-up for the Criterion benchmarks.
