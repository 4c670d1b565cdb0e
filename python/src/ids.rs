//! `carecoord::ids` for Python: NHS number, SNOMED CT identifier, ICD-10 code.
//!
//! Argument conversion only; every call goes through `boundary`. The public, documented
//! API is `carecoord/ids.py`.

use carecoord::ids::{batch, Icd10Code, NhsNumber, SnomedId};
use pyo3::prelude::*;
use pyo3_arrow::PyChunkedArray;

use crate::boundary::{enter_core, enter_core_ok, map_chunks};

/// Canonical ten digits of a valid NHS number.
#[pyfunction]
fn nhs_number_parse(py: Python<'_>, s: String) -> PyResult<String> {
    enter_core(py, move || {
        NhsNumber::parse(&s).map(|n| n.as_str().to_owned())
    })
}

/// Whether `s` is a valid NHS number.
#[pyfunction]
fn nhs_number_is_valid(py: Python<'_>, s: String) -> bool {
    enter_core_ok(py, move || NhsNumber::is_valid(&s))
}

/// The allocation range name of a valid NHS number.
#[pyfunction]
fn nhs_number_range(py: Python<'_>, s: String) -> PyResult<&'static str> {
    enter_core(py, move || NhsNumber::parse(&s).map(|n| n.range().as_str()))
}

/// Nine leading digits completed with their check digit.
#[pyfunction]
fn nhs_number_with_check_digit(py: Python<'_>, first_nine: u64) -> PyResult<String> {
    enter_core(py, move || {
        NhsNumber::with_check_digit(first_nine).map(|n| n.as_str().to_owned())
    })
}

/// The masked form `***-***-5919` of a valid NHS number.
#[pyfunction]
fn nhs_number_mask(py: Python<'_>, s: String) -> PyResult<String> {
    enter_core(py, move || NhsNumber::parse(&s).map(|n| n.masked()))
}

/// The spaced form `943 476 5919` of a valid NHS number.
#[pyfunction]
fn nhs_number_to_spaced(py: Python<'_>, s: String) -> PyResult<String> {
    enter_core(py, move || NhsNumber::parse(&s).map(|n| n.to_spaced()))
}

/// `(value, partition, is_extension, namespace)` of a valid SCTID.
#[pyfunction]
#[pyo3(signature = (s, concept = false))]
fn snomed_parse(
    py: Python<'_>,
    s: String,
    concept: bool,
) -> PyResult<(u64, &'static str, bool, Option<u32>)> {
    enter_core(py, move || {
        let id = if concept {
            SnomedId::parse_concept(&s)
        } else {
            SnomedId::parse(&s)
        }?;
        Ok::<_, carecoord::ids::SnomedIdError>((
            id.value(),
            id.partition().as_str(),
            id.is_extension(),
            id.namespace(),
        ))
    })
}

/// Whether `s` is a valid SCTID.
#[pyfunction]
fn snomed_is_valid(py: Python<'_>, s: String) -> bool {
    enter_core_ok(py, move || SnomedId::is_valid(&s))
}

/// The Verhoeff check digit completing `body`.
#[pyfunction]
fn snomed_verhoeff_check_digit(py: Python<'_>, body: u64) -> u8 {
    enter_core_ok(py, move || SnomedId::verhoeff_check_digit(body))
}

/// `(clean, category, dotted)` of an ICD-10 code.
#[pyfunction]
fn icd10_parse(py: Python<'_>, s: String) -> PyResult<(String, String, String)> {
    enter_core(py, move || {
        Icd10Code::parse(&s).map(|c| (c.as_str().to_owned(), c.category().to_owned(), c.dotted()))
    })
}

/// Vectorised NHS number validation.
#[pyfunction]
fn nhs_number_validate<'py>(
    py: Python<'py>,
    column: PyChunkedArray,
) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::nhs_number_validate)
}

/// Vectorised NHS number normalisation.
#[pyfunction]
fn nhs_number_normalise<'py>(
    py: Python<'py>,
    column: PyChunkedArray,
) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::nhs_number_normalise)
}

/// Vectorised NHS number reject reasons.
#[pyfunction]
fn nhs_number_reasons<'py>(py: Python<'py>, column: PyChunkedArray) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::nhs_number_reasons)
}

/// Vectorised SCTID validation.
#[pyfunction]
fn snomed_validate<'py>(py: Python<'py>, column: PyChunkedArray) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::snomed_validate)
}

/// Vectorised SCTID reject reasons.
#[pyfunction]
fn snomed_reasons<'py>(py: Python<'py>, column: PyChunkedArray) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::snomed_reasons)
}

/// Vectorised ICD-10 cleaning.
#[pyfunction]
fn icd10_clean_column<'py>(py: Python<'py>, column: PyChunkedArray) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::icd10_clean)
}

/// Vectorised ICD-10 reject reasons.
#[pyfunction]
fn icd10_reasons<'py>(py: Python<'py>, column: PyChunkedArray) -> PyResult<Bound<'py, PyAny>> {
    map_chunks(py, column, batch::icd10_reasons)
}

/// Add this module's functions to `_native`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(nhs_number_parse, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_range, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_with_check_digit, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_mask, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_to_spaced, m)?)?;
    m.add_function(wrap_pyfunction!(snomed_parse, m)?)?;
    m.add_function(wrap_pyfunction!(snomed_is_valid, m)?)?;
    m.add_function(wrap_pyfunction!(snomed_verhoeff_check_digit, m)?)?;
    m.add_function(wrap_pyfunction!(icd10_parse, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_validate, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_normalise, m)?)?;
    m.add_function(wrap_pyfunction!(nhs_number_reasons, m)?)?;
    m.add_function(wrap_pyfunction!(snomed_validate, m)?)?;
    m.add_function(wrap_pyfunction!(snomed_reasons, m)?)?;
    m.add_function(wrap_pyfunction!(icd10_clean_column, m)?)?;
    m.add_function(wrap_pyfunction!(icd10_reasons, m)?)?;
    Ok(())
}
