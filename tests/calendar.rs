//! Calendar: Rust API and C ABI agree (filled in with the calendar bindings).
