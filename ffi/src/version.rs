//! Library and ABI versions, so that callers (C, C#) can check what they loaded.

use std::ffi::c_char;

/// The ABI version: bumped whenever a function signature or struct layout changes.
pub const ABI_VERSION: u32 = 1;

/// The library version as a static NUL-terminated string (`"0.1.0"`). Never NULL; do not free.
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version number; compare with `CARECOORD_ABI_VERSION` from the header at load time.
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_abi_version() -> u32 {
    ABI_VERSION
}
