//! Arrow C Data Interface import and export.

use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{make_array, Array, ArrayRef};

use crate::error::{carecoord_result, FfiError};
use crate::text::out_arg;

fn arrow_error(message: String) -> FfiError {
    FfiError::new(carecoord_result::CARECOORD_RESULT_ARROW_ERROR, message)
}

/// Import a C array, taking ownership: the caller's struct is marked released and the
/// producer's release callback runs when the library is done with the data.
///
/// # Safety
///
/// `array` must point to a valid, not yet released `struct ArrowArray`; `schema` to a valid
/// `struct ArrowSchema` describing it (borrowed).
pub(crate) unsafe fn import(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
) -> Result<ArrayRef, FfiError> {
    if array.is_null() {
        return Err(FfiError::null("array"));
    }
    if schema.is_null() {
        return Err(FfiError::null("schema"));
    }
    // SAFETY: non-null, and the caller promises a valid, unreleased array; from_raw moves it
    // out and leaves a released (empty) struct behind.
    let owned = unsafe { FFI_ArrowArray::from_raw(array) };
    // SAFETY: non-null, and the caller promises a valid schema for the call.
    let schema = unsafe { &*schema };
    // SAFETY: the array and schema describe the same data, as the caller promises.
    let data = unsafe { from_ffi(owned, schema) }
        .map_err(|e| arrow_error(format!("cannot import Arrow array: {e}")))?;
    Ok(make_array(data))
}

/// Export `array` into caller-provided structs; the caller owns them and must call their
/// `release` callbacks.
///
/// # Safety
///
/// Both out-pointers must be valid for writes (checked for NULL here).
pub(crate) unsafe fn export(
    array: &dyn Array,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> Result<(), FfiError> {
    let out_array = out_arg(out_array, "out_array")?;
    let out_schema = out_arg(out_schema, "out_schema")?;
    let (a, s) = to_ffi(&array.to_data())
        .map_err(|e| arrow_error(format!("cannot export Arrow array: {e}")))?;
    // SAFETY: both checked non-null; the caller promises they are valid for writes. The
    // previous contents are not dropped (they are uninitialised caller memory).
    unsafe {
        std::ptr::write(out_array, a);
        std::ptr::write(out_schema, s);
    }
    Ok(())
}
