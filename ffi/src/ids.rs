//! Identifiers: NHS number, SNOMED CT identifier, ICD-10 code.

use std::ffi::c_char;
use std::sync::Arc;

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use carecoord::ids::{batch, Icd10Code, NhsNumber, NhsNumberRange, SnomedId, SnomedPartition};

use crate::arrow::{export, import};
use crate::boundary::{ffi_boundary, ffi_boundary_or};
use crate::error::{carecoord_result, FfiError};
use crate::text::{
    carecoord_str, out_arg, required_str_arg, slice_arg, slice_out, str_arg, string_out,
};

/// The allocation range of an NHS number (information only; see DOMAIN 2.1).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_nhs_number_range {
    /// Scottish CHI numbers.
    CARECOORD_NHS_NUMBER_RANGE_SCOTTISH_CHI = 0,
    /// Northern Ireland.
    CARECOORD_NHS_NUMBER_RANGE_NORTHERN_IRELAND = 1,
    /// England, Wales and Isle of Man.
    CARECOORD_NHS_NUMBER_RANGE_ENGLAND_WALES_IOM = 2,
    /// Reserved for test and synthetic records (never issued to patients).
    CARECOORD_NHS_NUMBER_RANGE_TEST = 3,
    /// Not in any allocated range.
    CARECOORD_NHS_NUMBER_RANGE_UNALLOCATED = 4,
}

impl From<NhsNumberRange> for carecoord_nhs_number_range {
    fn from(r: NhsNumberRange) -> Self {
        match r {
            NhsNumberRange::ScottishChi => Self::CARECOORD_NHS_NUMBER_RANGE_SCOTTISH_CHI,
            NhsNumberRange::NorthernIreland => Self::CARECOORD_NHS_NUMBER_RANGE_NORTHERN_IRELAND,
            NhsNumberRange::EnglandWalesIsleOfMan => {
                Self::CARECOORD_NHS_NUMBER_RANGE_ENGLAND_WALES_IOM
            }
            NhsNumberRange::Test => Self::CARECOORD_NHS_NUMBER_RANGE_TEST,
            NhsNumberRange::Unallocated => Self::CARECOORD_NHS_NUMBER_RANGE_UNALLOCATED,
        }
    }
}

/// How [`carecoord_nhs_number_format`] writes a number.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_nhs_number_style {
    /// Ten digits, `9434765919`.
    CARECOORD_NHS_NUMBER_STYLE_CANONICAL = 0,
    /// Spaced 3-3-4, `943 476 5919`.
    CARECOORD_NHS_NUMBER_STYLE_SPACED = 1,
    /// Masked, `***-***-5919`: safe for logs.
    CARECOORD_NHS_NUMBER_STYLE_MASKED = 2,
}

/// Whether `ptr[0..len)` is a valid NHS number (`9434765919`, `943 476 5919` or
/// `943-476-5919`). NULL, invalid UTF-8 or an invalid number give false.
///
/// Ownership: `ptr` is borrowed for the call. Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes (or NULL).
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_is_valid(ptr: *const c_char, len: usize) -> bool {
    ffi_boundary_or("carecoord_nhs_number_is_valid", false, || {
        // SAFETY: forwarded caller promise.
        unsafe { required_str_arg(ptr, len, "ptr") }.is_ok_and(NhsNumber::is_valid)
    })
}

/// Parse and validate an NHS number; on success write its value to `*out_value`
/// (print it with `%010llu`, or use [`carecoord_nhs_number_format`]).
///
/// Returns a `CARECOORD_RESULT_NHS_NUMBER_*` code naming the rule broken, or
/// `NULL_ARGUMENT` / `INVALID_UTF8`. Ownership: `ptr` is borrowed for the call; `out_value`
/// is written only on success. Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes; `out_value` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_parse(
    ptr: *const c_char,
    len: usize,
    out_value: *mut u64,
) -> carecoord_result {
    ffi_boundary("carecoord_nhs_number_parse", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { required_str_arg(ptr, len, "ptr")? };
        let out = out_arg(out_value, "out_value")?;
        let n = NhsNumber::parse(s)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = n.to_u64() };
        Ok(())
    })
}

/// Complete nine leading digits (`first_nine` <= 999999999) with their modulus 11 check
/// digit, writing the ten-digit value to `*out_value`. Used to make synthetic numbers.
///
/// Returns `CARECOORD_RESULT_NHS_NUMBER_CHECK_DIGIT_TEN` when no valid number starts with
/// those digits. Thread safety: safe from any thread.
///
/// # Safety
///
/// `out_value` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_with_check_digit(
    first_nine: u64,
    out_value: *mut u64,
) -> carecoord_result {
    ffi_boundary("carecoord_nhs_number_with_check_digit", || {
        let out = out_arg(out_value, "out_value")?;
        let n = NhsNumber::with_check_digit(first_nine)?;
        // SAFETY: checked non-null; caller promises validity.
        unsafe { *out = n.to_u64() };
        Ok(())
    })
}

/// The allocation range of a ten-digit value (information only; not a validity check).
///
/// Thread safety: safe from any thread.
#[no_mangle]
pub extern "C" fn carecoord_nhs_number_range_of(value: u64) -> carecoord_nhs_number_range {
    NhsNumberRange::of(value).into()
}

/// Write a valid NHS number `value` in `style` (a `carecoord_nhs_number_style` value; taken
/// as an integer so that an out-of-range value is an error, not undefined behaviour) to
/// `buf` (NUL-terminated).
///
/// `*out_len` (required) receives the text length without the NUL; a buffer of 13 bytes
/// always suffices. Returns `BUFFER_TOO_SMALL` (with `*out_len` set) when it does not fit, an
/// NHS number code when `value` is not a valid number, `INVALID_ARGUMENT` for an unknown style.
/// Ownership: `buf` is the caller's. Thread safety: safe from any thread.
///
/// # Safety
///
/// `buf` must be valid for writes of `buf_len` bytes; `out_len` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_format(
    value: u64,
    style: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_nhs_number_format", || {
        let n = NhsNumber::from_u64(value)?;
        use carecoord_nhs_number_style::*;
        let text = match style {
            s if s == CARECOORD_NHS_NUMBER_STYLE_CANONICAL as u32 => n.as_str().to_owned(),
            s if s == CARECOORD_NHS_NUMBER_STYLE_SPACED as u32 => n.to_spaced(),
            s if s == CARECOORD_NHS_NUMBER_STYLE_MASKED as u32 => n.masked(),
            _ => {
                return Err(FfiError::new(
                    carecoord_result::CARECOORD_RESULT_INVALID_ARGUMENT,
                    "unknown NHS number style",
                ))
            }
        };
        // SAFETY: forwarded caller promises.
        unsafe { string_out(&text, buf, buf_len, out_len) }
    })
}

/// Validate `n` NHS numbers at once.
///
/// `values` (borrowed, `n` entries) are pointer+length strings; an entry with a NULL `ptr`
/// counts as missing (`out_valid` 0, code `CARECOORD_RESULT_NULL_ARGUMENT`). `out_valid`
/// (required, `n` bytes) receives 1 for a valid number and 0 otherwise; `out_codes` (optional,
/// may be NULL, `n` entries) receives each row's result code (`CARECOORD_RESULT_OK` when
/// valid); `out_valid_count` (optional) receives the number of valid rows. So every row is
/// accounted for: valid + invalid + missing = n. Thread safety: safe from any thread.
///
/// # Safety
///
/// Every pointer must be valid for its stated number of entries; the output arrays must not
/// overlap the inputs.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_validate_batch(
    values: *const carecoord_str,
    n: usize,
    out_valid: *mut u8,
    out_codes: *mut carecoord_result,
    out_valid_count: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_nhs_number_validate_batch", || {
        // SAFETY: forwarded caller promises.
        let values = unsafe { slice_arg(values, n, "values")? };
        // SAFETY: forwarded caller promises.
        let valid = unsafe { slice_out(out_valid, n, "out_valid")? };
        let mut codes = if out_codes.is_null() {
            None
        } else {
            // SAFETY: non-null; caller promises n writable entries.
            Some(unsafe { slice_out(out_codes, n, "out_codes")? })
        };
        let mut count = 0usize;
        for (i, v) in values.iter().enumerate() {
            let code = if v.ptr.is_null() {
                carecoord_result::CARECOORD_RESULT_NULL_ARGUMENT
            } else {
                // SAFETY: caller promises each entry is valid for its length.
                match unsafe { str_arg(v.ptr, v.len, "values") } {
                    Ok(s) => match NhsNumber::check(s) {
                        Ok(()) => carecoord_result::CARECOORD_RESULT_OK,
                        Err(e) => FfiError::from(e).code,
                    },
                    Err(e) => e.code,
                }
            };
            let ok = code == carecoord_result::CARECOORD_RESULT_OK;
            valid[i] = u8::from(ok);
            count += usize::from(ok);
            if let Some(c) = codes.as_deref_mut() {
                c[i] = code;
            }
        }
        if !out_valid_count.is_null() {
            // SAFETY: non-null; caller promises validity.
            unsafe { *out_valid_count = count };
        }
        Ok(())
    })
}

/// SNOMED CT identifier details, filled by [`carecoord_snomed_id_parse`].
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct carecoord_snomed_id {
    /// The identifier's value.
    pub value: u64,
    /// 0 concept, 1 description, 2 relationship.
    pub partition: carecoord_snomed_partition,
    /// True for a long-format (extension) identifier.
    pub is_extension: bool,
    /// The 7-digit namespace of an extension identifier, 0 for the International release.
    pub namespace_id: u32,
}

/// What a SNOMED CT identifier identifies.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum carecoord_snomed_partition {
    /// A concept.
    CARECOORD_SNOMED_PARTITION_CONCEPT = 0,
    /// A description.
    CARECOORD_SNOMED_PARTITION_DESCRIPTION = 1,
    /// A relationship.
    CARECOORD_SNOMED_PARTITION_RELATIONSHIP = 2,
}

/// Parse and validate a SNOMED CT identifier (6-18 digits, Verhoeff check digit, partition).
///
/// On success fills `*out` (required). Returns a `CARECOORD_RESULT_SNOMED_ID_*` code naming
/// the rule broken, or `NULL_ARGUMENT` / `INVALID_UTF8`. Ownership: `ptr` is borrowed for the
/// call. Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_snomed_id_parse(
    ptr: *const c_char,
    len: usize,
    out: *mut carecoord_snomed_id,
) -> carecoord_result {
    ffi_boundary("carecoord_snomed_id_parse", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { required_str_arg(ptr, len, "ptr")? };
        let out = out_arg(out, "out")?;
        let id = SnomedId::parse(s)?;
        let partition = match id.partition() {
            SnomedPartition::Concept => {
                carecoord_snomed_partition::CARECOORD_SNOMED_PARTITION_CONCEPT
            }
            SnomedPartition::Description => {
                carecoord_snomed_partition::CARECOORD_SNOMED_PARTITION_DESCRIPTION
            }
            SnomedPartition::Relationship => {
                carecoord_snomed_partition::CARECOORD_SNOMED_PARTITION_RELATIONSHIP
            }
        };
        // SAFETY: checked non-null; caller promises validity.
        unsafe {
            *out = carecoord_snomed_id {
                value: id.value(),
                partition,
                is_extension: id.is_extension(),
                namespace_id: id.namespace().unwrap_or(0),
            }
        };
        Ok(())
    })
}

/// Whether `ptr[0..len)` is a valid SNOMED CT identifier. NULL or invalid UTF-8 give false.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes (or NULL).
#[no_mangle]
pub unsafe extern "C" fn carecoord_snomed_id_is_valid(ptr: *const c_char, len: usize) -> bool {
    ffi_boundary_or("carecoord_snomed_id_is_valid", false, || {
        // SAFETY: forwarded caller promise.
        unsafe { required_str_arg(ptr, len, "ptr") }.is_ok_and(SnomedId::is_valid)
    })
}

/// Clean an ICD-10 code (upper case, no dot, no dagger/asterisk mark) into `buf`,
/// NUL-terminated; `*out_len` (required) receives its length. A buffer of 8 bytes always
/// suffices. Returns a `CARECOORD_RESULT_ICD10_*` code for a malformed code.
///
/// Thread safety: safe from any thread.
///
/// # Safety
///
/// `ptr` must be valid for reads of `len` bytes; `buf` for writes of `buf_len` bytes;
/// `out_len` for a write.
#[no_mangle]
pub unsafe extern "C" fn carecoord_icd10_clean(
    ptr: *const c_char,
    len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> carecoord_result {
    ffi_boundary("carecoord_icd10_clean", || {
        // SAFETY: forwarded caller promise.
        let s = unsafe { required_str_arg(ptr, len, "ptr")? };
        let code = Icd10Code::parse(s)?;
        // SAFETY: forwarded caller promises.
        unsafe { string_out(code.as_str(), buf, buf_len, out_len) }
    })
}

/// Which column operation an Arrow entry point runs.
type ArrowOp = fn(&dyn arrow_array::Array) -> Result<arrow_array::ArrayRef, FfiError>;

/// Shared body of the Arrow entry points.
///
/// # Safety
///
/// As for the public Arrow functions.
unsafe fn arrow_op(
    name: &'static str,
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
    op: ArrowOp,
) -> carecoord_result {
    ffi_boundary(name, || {
        // Check outputs before taking ownership of the input.
        out_arg(out_array, "out_array")?;
        out_arg(out_schema, "out_schema")?;
        // SAFETY: forwarded caller promises.
        let input = unsafe { import(array, schema)? };
        let result = op(input.as_ref())?;
        // SAFETY: forwarded caller promises.
        unsafe { export(result.as_ref(), out_array, out_schema) }
    })
}

/// Validate a column of NHS numbers: a boolean array, true where valid.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_validate_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_nhs_number_validate_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::nhs_number_validate(a)?)),
        )
    }
}

/// Normalise a column of NHS numbers to ten digits: a utf8 array, null where invalid.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_normalise_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_nhs_number_normalise_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::nhs_number_normalise(a)?)),
        )
    }
}

/// The rule each NHS number broke: a utf8 array of reason codes, null where valid.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_nhs_number_reasons_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_nhs_number_reasons_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::nhs_number_reasons(a)?)),
        )
    }
}

/// Validate a column of SNOMED CT identifiers: a boolean array, true where valid.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_snomed_id_validate_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_snomed_id_validate_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::snomed_validate(a)?)),
        )
    }
}

/// The rule each SNOMED CT identifier broke: a utf8 array of reason codes, null where valid.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_snomed_id_reasons_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_snomed_id_reasons_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::snomed_reasons(a)?)),
        )
    }
}

/// Clean a column of ICD-10 codes: a utf8 array, null where malformed.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_icd10_clean_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_icd10_clean_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::icd10_clean(a)?)),
        )
    }
}

/// The rule each ICD-10 code broke: a utf8 array of reason codes, null where clean.
///
/// Input: `array` (moved: once past the NULL checks the library owns the data, whether or
/// not the call succeeds, and `*array` is marked released) described by `schema` (borrowed;
/// the caller still releases it). Accepted types: utf8, large_utf8, utf8_view, and
/// int64/uint64/int32 where the identifier is numeric. Output: `*out_array` and
/// `*out_schema` are written on success and owned by the caller, who must call their
/// `release` callbacks. Nulls stay null. Thread safety: safe from any thread.
///
/// # Safety
///
/// `array`/`schema` must be valid Arrow C Data Interface structs for one array;
/// `out_array`/`out_schema` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn carecoord_icd10_reasons_arrow(
    array: *mut FFI_ArrowArray,
    schema: *const FFI_ArrowSchema,
    out_array: *mut FFI_ArrowArray,
    out_schema: *mut FFI_ArrowSchema,
) -> carecoord_result {
    // SAFETY: forwarded caller promises.
    unsafe {
        arrow_op(
            "carecoord_icd10_reasons_arrow",
            array,
            schema,
            out_array,
            out_schema,
            |a| Ok(Arc::new(batch::icd10_reasons(a)?)),
        )
    }
}
