//! `carecoord._native`: the compiled half of the `carecoord` Python package.
//!
//! One file per core module (`ids.rs`, `calendar.rs`, `caseload.rs`, `risk.rs`, ...) holding
//! `#[pyfunction]`s and `#[pyclass]`es that convert arguments and call the core through
//! `boundary` (GIL released, errors mapped by `errors.rs`). No other logic lives here; the documented public API is the pure-Python
//! package in `py_src/carecoord/`, and the stubs are `py_src/carecoord/_native.pyi`.

use pyo3::prelude::*;

mod boundary;
mod calendar;
mod caseload;
mod errors;
mod ids;
mod risk;
mod schedule;

/// Warn when the extension was compiled without optimisations (as arro3's
/// `check_debug_build`): a debug build is many times slower.
fn check_debug_build(py: Python<'_>) -> PyResult<()> {
    if cfg!(debug_assertions) {
        let warning = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
        PyErr::warn(
            py,
            &warning,
            c"carecoord has not been compiled in release mode. Performance will be degraded.",
            1,
        )?;
    }
    Ok(())
}

/// The native module. Its functions are private; use `carecoord.ids` and friends.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    check_debug_build(m.py())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEBUG_BUILD", cfg!(debug_assertions))?;
    ids::register(m)?;
    calendar::register(m)?;
    caseload::register(m)?;
    risk::register(m)?;
    schedule::register(m)?;
    Ok(())
}
