//! Calendar (bindings being written).
