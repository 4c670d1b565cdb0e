//! Arrow batch validation of identifiers: one pass, output arrays the same length as the
//! input, nulls kept as nulls.
//!
//! Accepted input types: `Utf8`, `LargeUtf8` and `Utf8View` strings (pandas, pyarrow and
//! polars strings) and, for NHS numbers and SNOMED CT identifiers, `Int64`, `UInt64` and
//! `Int32` (integer columns, with leading zeros restored). The null buffer of the input is
//! shared, not copied, by the boolean outputs.
//!
//! Every row is accounted for: each output row is either null (null input), a value (valid
//! input) or, for the `*_reasons` functions, the [`code`](crate::ids::NhsNumberError::code) of the
//! rule the row broke.
//!
//! ```
//! use arrow_array::{Array, StringArray};
//! use carecoord::ids::batch;
//!
//! let col = StringArray::from(vec![Some("943 476 5919"), Some("9434765918"), None]);
//! let valid = batch::nhs_number_validate(&col)?;
//! assert_eq!(valid.value(0), true);
//! assert_eq!(valid.value(1), false);
//! assert!(valid.is_null(2));
//! let reasons = batch::nhs_number_reasons(&col)?;
//! assert_eq!(reasons.value(1), "check_digit_mismatch");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use arrow_array::builder::{BooleanBufferBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, UInt64Type};
use arrow_array::{Array, BooleanArray, StringArray};
use arrow_buffer::BooleanBuffer;
use arrow_schema::DataType;

use super::{Icd10Code, Icd10Error, NhsNumber, NhsNumberError, SnomedId, SnomedIdError};

/// Why a batch could not be processed at all (row-level problems never fail a batch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// The array's Arrow type cannot hold this kind of identifier.
    #[error("{what} column has unsupported Arrow type {data_type}; expected strings{ints}")]
    UnsupportedType {
        /// What was being validated.
        what: &'static str,
        /// The Arrow type found.
        data_type: String,
        /// Which integer types would also do, if any.
        ints: &'static str,
    },
}

/// One input value, borrowed from the array.
enum Value<'a> {
    Null,
    Str(&'a str),
    Int(i128),
}

/// Call `f(row, value)` for every row of a string or integer array.
fn visit(
    array: &dyn Array,
    what: &'static str,
    allow_ints: bool,
    mut f: impl FnMut(usize, Value<'_>),
) -> Result<(), BatchError> {
    macro_rules! strings {
        ($arr:expr) => {{
            let a = $arr;
            for i in 0..a.len() {
                f(
                    i,
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        Value::Str(a.value(i))
                    },
                );
            }
        }};
    }
    macro_rules! ints {
        ($arr:expr) => {{
            let a = $arr;
            for i in 0..a.len() {
                f(
                    i,
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        Value::Int(i128::from(a.value(i)))
                    },
                );
            }
        }};
    }
    match array.data_type() {
        DataType::Utf8 => strings!(array.as_string::<i32>()),
        DataType::LargeUtf8 => strings!(array.as_string::<i64>()),
        DataType::Utf8View => strings!(array.as_string_view()),
        DataType::Int64 if allow_ints => ints!(array.as_primitive::<Int64Type>()),
        DataType::UInt64 if allow_ints => ints!(array.as_primitive::<UInt64Type>()),
        DataType::Int32 if allow_ints => ints!(array.as_primitive::<Int32Type>()),
        other => {
            return Err(BatchError::UnsupportedType {
                what,
                data_type: other.to_string(),
                ints: if allow_ints {
                    " or Int64/UInt64/Int32"
                } else {
                    ""
                },
            })
        }
    }
    Ok(())
}

fn nhs_of(v: &Value<'_>) -> Option<Result<NhsNumber, NhsNumberError>> {
    match *v {
        Value::Null => None,
        Value::Str(s) => Some(NhsNumber::parse(s)),
        Value::Int(i) => Some(
            u64::try_from(i)
                .map_err(|_| NhsNumberError::InvalidCharacter { position: 0 })
                .and_then(NhsNumber::from_u64),
        ),
    }
}

fn snomed_of(v: &Value<'_>) -> Option<Result<SnomedId, SnomedIdError>> {
    match *v {
        Value::Null => None,
        Value::Str(s) => Some(SnomedId::parse(s)),
        Value::Int(i) => Some(
            u64::try_from(i)
                .map_err(|_| SnomedIdError::InvalidCharacter { position: 0 })
                .and_then(SnomedId::from_u64),
        ),
    }
}

fn icd10_of(v: &Value<'_>) -> Option<Result<Icd10Code, Icd10Error>> {
    match *v {
        Value::Str(s) => Some(Icd10Code::parse(s)),
        _ => None,
    }
}

/// A boolean array: `valid(value)` per row (false for null slots), input nulls shared.
///
/// Strings go through [`BooleanBuffer::collect_bool`], which packs 64 results per word; the
/// null buffer of the input is reused as it is.
fn bools(
    array: &dyn Array,
    what: &'static str,
    allow_ints: bool,
    valid_str: impl Fn(&str) -> bool,
    valid_int: impl Fn(i128) -> bool,
) -> Result<BooleanArray, BatchError> {
    let n = array.len();
    let values = match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            BooleanBuffer::collect_bool(n, |i| valid_str(a.value(i)))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            BooleanBuffer::collect_bool(n, |i| valid_str(a.value(i)))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            BooleanBuffer::collect_bool(n, |i| valid_str(a.value(i)))
        }
        _ => {
            let mut b = BooleanBufferBuilder::new(n);
            visit(array, what, allow_ints, |_, v| {
                b.append(match v {
                    Value::Str(s) => valid_str(s),
                    Value::Int(i) => valid_int(i),
                    Value::Null => false,
                })
            })?;
            b.finish()
        }
    };
    Ok(BooleanArray::new(values, array.logical_nulls()))
}

/// A string array built from one optional string per row.
fn strings<T, E>(
    array: &dyn Array,
    what: &'static str,
    allow_ints: bool,
    bytes_per_row: usize,
    check: impl Fn(&Value<'_>) -> Option<Result<T, E>>,
    mut out: impl FnMut(Result<T, E>, &mut StringBuilder),
) -> Result<StringArray, BatchError> {
    let mut b = StringBuilder::with_capacity(array.len(), array.len() * bytes_per_row);
    visit(array, what, allow_ints, |_, v| match check(&v) {
        None => b.append_null(),
        Some(r) => out(r, &mut b),
    })?;
    Ok(b.finish())
}

/// Whether each row is a valid NHS number (null where the input is null).
///
/// # Errors
///
/// [`BatchError::UnsupportedType`] when the column is neither strings nor integers.
///
/// # Example
///
/// ```
/// use arrow_array::Int64Array;
/// use carecoord::ids::batch;
/// let v = batch::nhs_number_validate(&Int64Array::from(vec![9_434_765_919, 9_434_765_918]))?;
/// assert_eq!((v.value(0), v.value(1)), (true, false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nhs_number_validate(array: &dyn Array) -> Result<BooleanArray, BatchError> {
    bools(array, "NHS number", true, NhsNumber::is_valid, |i| {
        matches!(nhs_of(&Value::Int(i)), Some(Ok(_)))
    })
}

/// The canonical ten-digit form of each valid NHS number; null for null or invalid rows.
///
/// # Errors
///
/// As [`nhs_number_validate`].
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::nhs_number_normalise(&StringArray::from(vec!["943-476-5919", "x"]))?;
/// assert_eq!(v.value(0), "9434765919");
/// assert!(arrow_array::Array::is_null(&v, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nhs_number_normalise(array: &dyn Array) -> Result<StringArray, BatchError> {
    strings(array, "NHS number", true, 10, nhs_of, |r, b| match r {
        Ok(n) => b.append_value(n.as_str()),
        Err(_) => b.append_null(),
    })
}

/// The rule each row broke ([`NhsNumberError::code`]); null for valid and null rows.
///
/// # Errors
///
/// As [`nhs_number_validate`].
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::nhs_number_reasons(&StringArray::from(vec!["1111111111"]))?;
/// assert_eq!(v.value(0), "all_same_digit");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nhs_number_reasons(array: &dyn Array) -> Result<StringArray, BatchError> {
    strings(array, "NHS number", true, 0, nhs_of, |r, b| match r {
        Ok(_) => b.append_null(),
        Err(e) => b.append_value(e.code()),
    })
}

/// Whether each row is a valid SNOMED CT identifier (null where the input is null).
///
/// # Errors
///
/// As [`nhs_number_validate`].
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::snomed_validate(&StringArray::from(vec!["22298006", "22298007"]))?;
/// assert_eq!((v.value(0), v.value(1)), (true, false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn snomed_validate(array: &dyn Array) -> Result<BooleanArray, BatchError> {
    bools(
        array,
        "SNOMED CT identifier",
        true,
        SnomedId::is_valid,
        |i| matches!(snomed_of(&Value::Int(i)), Some(Ok(_))),
    )
}

/// The rule each row broke ([`SnomedIdError::code`]); null for valid and null rows.
///
/// # Errors
///
/// As [`nhs_number_validate`].
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::snomed_reasons(&StringArray::from(vec!["22298007"]))?;
/// assert_eq!(v.value(0), "check_digit_mismatch");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn snomed_reasons(array: &dyn Array) -> Result<StringArray, BatchError> {
    strings(
        array,
        "SNOMED CT identifier",
        true,
        0,
        snomed_of,
        |r, b| match r {
            Ok(_) => b.append_null(),
            Err(e) => b.append_value(e.code()),
        },
    )
}

/// Each ICD-10 code cleaned ([`Icd10Code::parse`]); null for null or malformed rows.
///
/// # Errors
///
/// [`BatchError::UnsupportedType`] when the column is not strings.
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::icd10_clean(&StringArray::from(vec!["i21.4", "??"]))?;
/// assert_eq!(v.value(0), "I214");
/// assert!(arrow_array::Array::is_null(&v, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn icd10_clean(array: &dyn Array) -> Result<StringArray, BatchError> {
    strings(array, "ICD-10 code", false, 4, icd10_of, |r, b| match r {
        Ok(c) => b.append_value(c.as_str()),
        Err(_) => b.append_null(),
    })
}

/// The rule each row broke ([`Icd10Error::code`]); null for clean and null rows.
///
/// # Errors
///
/// As [`icd10_clean`].
///
/// # Example
///
/// ```
/// use arrow_array::StringArray;
/// use carecoord::ids::batch;
/// let v = batch::icd10_reasons(&StringArray::from(vec!["I2.14"]))?;
/// assert_eq!(v.value(0), "misplaced_dot");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn icd10_reasons(array: &dyn Array) -> Result<StringArray, BatchError> {
    strings(array, "ICD-10 code", false, 0, icd10_of, |r, b| match r {
        Ok(_) => b.append_null(),
        Err(e) => b.append_value(e.code()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, LargeStringArray, StringViewArray};
    use proptest::prelude::*;

    #[test]
    fn string_kinds_agree() {
        let vals = vec![Some("9434765919"), None, Some("1234567890"), Some("")];
        let a = StringArray::from(vals.clone());
        let b = LargeStringArray::from(vals.clone());
        let c = StringViewArray::from(vals);
        let va = nhs_number_validate(&a).unwrap();
        assert_eq!(va, nhs_number_validate(&b).unwrap());
        assert_eq!(va, nhs_number_validate(&c).unwrap());
        assert_eq!(
            va.iter().collect::<Vec<_>>(),
            vec![Some(true), None, Some(false), Some(false)]
        );
        let r = nhs_number_reasons(&a).unwrap();
        assert_eq!(
            r.iter().collect::<Vec<_>>(),
            vec![None, None, Some("check_digit_ten"), Some("empty")]
        );
    }

    #[test]
    fn integers_and_unsupported() {
        let a = Int64Array::from(vec![Some(9_434_765_919), Some(-1), None]);
        assert_eq!(
            nhs_number_validate(&a).unwrap().iter().collect::<Vec<_>>(),
            vec![Some(true), Some(false), None]
        );
        assert!(snomed_validate(&Int64Array::from(vec![22_298_006]))
            .unwrap()
            .value(0));
        let e = icd10_clean(&a).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ICD-10 code column has unsupported Arrow type Int64; expected strings"
        );
    }

    proptest! {
        // The batch and scalar paths agree, and rows in = valid + invalid + null.
        #[test]
        fn batch_matches_scalar(vals in proptest::collection::vec(proptest::option::of("[0-9 -]{8,13}"), 0..64)) {
            let a = StringArray::from(vals.clone());
            let v = nhs_number_validate(&a).unwrap();
            let r = nhs_number_reasons(&a).unwrap();
            let n = nhs_number_normalise(&a).unwrap();
            prop_assert_eq!(v.len(), vals.len());
            for (i, s) in vals.iter().enumerate() {
                match s {
                    None => prop_assert!(v.is_null(i) && r.is_null(i) && n.is_null(i)),
                    Some(s) => {
                        let scalar = NhsNumber::parse(s);
                        prop_assert_eq!(v.value(i), scalar.is_ok());
                        prop_assert_eq!(r.is_null(i), scalar.is_ok());
                        prop_assert_eq!(n.is_valid(i), scalar.is_ok());
                        if let Err(e) = scalar { prop_assert_eq!(r.value(i), e.code()); }
                    }
                }
            }
        }
    }
}
