//! Borrowed strings in; strings out into a caller buffer, or allocated by the library and
//! released with [`carecoord_string_free`].

use std::ffi::{c_char, CString};

use crate::boundary::ffi_boundary_or;
use crate::error::{carecoord_result, FfiError};

/// A borrowed UTF-8 string: pointer and length in bytes, not necessarily NUL-terminated.
///
/// Used for batches of strings. The bytes are borrowed for the duration of the call only.
/// `ptr` may be NULL only when `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct carecoord_str {
    /// First byte (borrowed).
    pub ptr: *const c_char,
    /// Length in bytes.
    pub len: usize,
}

/// Borrow `len` bytes at `ptr` as UTF-8. NULL with `len == 0` is the empty string.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes for the lifetime `'a`.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok("");
        }
        return Err(FfiError::null(what));
    }
    // SAFETY: non-null, and the caller promises `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        FfiError::new(
            carecoord_result::CARECOORD_RESULT_INVALID_UTF8,
            format!(
                "argument `{what}` is not valid UTF-8 (byte {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Borrow a required string: like [`str_arg`], but NULL is an error whatever `len` is.
///
/// # Safety
///
/// As [`str_arg`].
pub(crate) unsafe fn required_str_arg<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    // SAFETY: forwarded caller promise.
    unsafe { str_arg(ptr, len, what) }
}

/// Borrow a C array of `n` values. NULL with `n == 0` is the empty slice.
///
/// # Safety
///
/// `ptr` must be valid for reads of `n` values of `T` for the lifetime `'a`.
pub(crate) unsafe fn slice_arg<'a, T>(
    ptr: *const T,
    n: usize,
    what: &str,
) -> Result<&'a [T], FfiError> {
    if ptr.is_null() {
        return if n == 0 {
            Ok(&[])
        } else {
            Err(FfiError::null(what))
        };
    }
    // SAFETY: non-null, and the caller promises `n` readable values.
    Ok(unsafe { std::slice::from_raw_parts(ptr, n) })
}

/// Borrow a C array of `n` values for writing. NULL with `n == 0` is the empty slice.
///
/// # Safety
///
/// `ptr` must be valid for writes of `n` values of `T` for the lifetime `'a`, and not aliased.
pub(crate) unsafe fn slice_out<'a, T>(
    ptr: *mut T,
    n: usize,
    what: &str,
) -> Result<&'a mut [T], FfiError> {
    if ptr.is_null() {
        return if n == 0 {
            Ok(&mut [])
        } else {
            Err(FfiError::null(what))
        };
    }
    // SAFETY: non-null, and the caller promises `n` writable, unaliased values.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, n) })
}

/// Check an out-pointer for NULL.
pub(crate) fn out_arg<T>(ptr: *mut T, what: &str) -> Result<*mut T, FfiError> {
    if ptr.is_null() {
        Err(FfiError::null(what))
    } else {
        Ok(ptr)
    }
}

/// Copy `s` plus a NUL into `buf` when it fits.
///
/// # Safety
///
/// `buf` must be valid for writes of `buf_len` bytes (or NULL with `buf_len` 0).
pub(crate) unsafe fn copy_out(s: &str, buf: *mut c_char, buf_len: usize) -> carecoord_result {
    if buf_len < s.len() + 1 {
        return carecoord_result::CARECOORD_RESULT_BUFFER_TOO_SMALL;
    }
    if buf.is_null() {
        return carecoord_result::CARECOORD_RESULT_NULL_ARGUMENT;
    }
    // SAFETY: buf has room for s.len() + 1 bytes and does not overlap s (a Rust string).
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        *buf.add(s.len()) = 0;
    }
    carecoord_result::CARECOORD_RESULT_OK
}

/// Write a string result: set `*out_len` to its length (without NUL), then copy it when
/// `buf` is large enough, else fail with `BUFFER_TOO_SMALL`.
///
/// # Safety
///
/// As [`copy_out`]; `out_len` must be valid for a write (checked for NULL here).
pub(crate) unsafe fn string_out(
    s: &str,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    let out_len = out_arg(out_len, "out_len")?;
    // SAFETY: checked non-null; the caller promises it is valid for a write.
    unsafe { *out_len = s.len() };
    // SAFETY: the caller promises buf is valid for buf_len bytes.
    match unsafe { copy_out(s, buf, buf_len) } {
        carecoord_result::CARECOORD_RESULT_OK => Ok(()),
        carecoord_result::CARECOORD_RESULT_NULL_ARGUMENT => Err(FfiError::null("buf")),
        code => Err(FfiError::new(
            code,
            format!(
                "output buffer too small: {} bytes needed including the NUL",
                s.len() + 1
            ),
        )),
    }
}

/// Hand `text` to the caller as a NUL-terminated string allocated by the library, which they
/// release with [`carecoord_string_free`].
///
/// Text holding a NUL byte cannot cross as a C string: that is
/// `CARECOORD_RESULT_INVALID_ARGUMENT` (JSON output escapes it, so only rendered text whose
/// input held a `\u0000` can get there).
///
/// # Safety
///
/// `out` must be non-null and valid for a write.
pub(crate) unsafe fn owned_string_out(out: *mut *mut c_char, text: String) -> Result<(), FfiError> {
    let c = CString::new(text).map_err(|_| {
        FfiError::new(
            carecoord_result::CARECOORD_RESULT_INVALID_ARGUMENT,
            "the output would hold a NUL character (an input text holds `\\u0000`)",
        )
    })?;
    // SAFETY: the caller promises `out` is valid for a write.
    unsafe { *out = c.into_raw() };
    Ok(())
}

/// Free a string allocated by a carecoord function (the `char **out_*` results: JSON,
/// Markdown, HTML, iCalendar text). NULL does nothing.
///
/// Ownership: takes back the string; it must not be used again. Only strings made by this
/// library may be passed (not ones from `malloc`). Thread safety: safe from any thread.
///
/// # Safety
///
/// `s` must be NULL or a string returned by this library that has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn carecoord_string_free(s: *mut c_char) {
    ffi_boundary_or("carecoord_string_free", (), || {
        if !s.is_null() {
            // SAFETY: the caller promises a live string made by CString::into_raw in
            // `owned_string_out`, not freed before.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
