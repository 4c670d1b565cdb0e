//! The panic boundary every entry point runs inside.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{carecoord_result, set_last_error};

/// Run `f`, turning a panic into `CARECOORD_RESULT_PANIC` with "internal error in <name>" as
/// the last error. `f` reports failures through `Err`, whose message becomes the last error.
pub(crate) fn ffi_boundary(
    name: &'static str,
    f: impl FnOnce() -> Result<(), crate::error::FfiError>,
) -> carecoord_result {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => carecoord_result::CARECOORD_RESULT_OK,
        Ok(Err(e)) => {
            set_last_error(&e.message);
            e.code
        }
        Err(_) => {
            set_last_error(&format!("internal error in {name}"));
            carecoord_result::CARECOORD_RESULT_PANIC
        }
    }
}

/// Like [`ffi_boundary`] for functions that cannot fail: a panic yields `default`.
pub(crate) fn ffi_boundary_or<T>(name: &'static str, default: T, f: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => {
            set_last_error(&format!("internal error in {name}"));
            default
        }
    }
}
