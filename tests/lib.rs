//! Rust integration tests live in `integration.rs` (one binary, one module per capability).
