//! Integration tests: one binary, one module per capability. Each checks the Rust API and
//! the C ABI (called directly, as a C program would) against the same shared fixtures in
//! `tests/data/`; the Python tests read the same files.

mod calendar;
mod ids;
mod schedule;

/// Path of a fixture file in `tests/data/`.
pub fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}
