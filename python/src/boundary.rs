//! The one way binding functions call the core: with the GIL released, errors mapped.
//!
//! Like polars' `enter_polars` (`crates/polars-python/src/utils.rs`): [`enter_core`] runs the
//! core work inside `py.detach`, so other Python threads keep running, and turns the core's
//! error into the matching `carecoord.errors` exception through `errors.rs`. [`map_chunks`]
//! does the same for an Arrow column: each chunk is handed to the core as it arrived over the
//! C Stream interface (no copy of the input buffers), and the output chunks are joined into
//! one array and exported to pyarrow through the C Data interface.

use std::sync::Arc;

use arrow_array::{new_empty_array, Array, ArrayRef};
use arrow_schema::DataType;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3_arrow::{PyArray, PyChunkedArray};

use crate::errors::BindingError;

/// Run fallible core work with the GIL released; map its error to a Python exception.
pub fn enter_core<T, E, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: Send + FnOnce() -> Result<T, E>,
    T: Send,
    E: Send + Into<BindingError>,
{
    py.detach(f).map_err(|e| PyErr::from(e.into()))
}

/// Run infallible core work with the GIL released.
pub fn enter_core_ok<T, F>(py: Python<'_>, f: F) -> T
where
    F: Send + FnOnce() -> T,
    T: Send,
{
    py.detach(f)
}

/// Apply `f` to each chunk and join the outputs into one array (no copy for one chunk).
///
/// Call inside [`enter_core`]. A column with no chunks is processed as one empty chunk of
/// `data_type`, so an unsupported type is reported even then and the output type is right.
pub fn join_chunks<E: Into<BindingError>>(
    chunks: &[ArrayRef],
    data_type: &DataType,
    f: impl Fn(&dyn Array) -> Result<ArrayRef, E>,
) -> Result<ArrayRef, BindingError> {
    if chunks.is_empty() {
        return f(new_empty_array(data_type).as_ref()).map_err(Into::into);
    }
    let outs = chunks
        .iter()
        .map(|c| f(c.as_ref()))
        .collect::<Result<Vec<_>, E>>()
        .map_err(Into::into)?;
    match outs.as_slice() {
        [one] => Ok(Arc::clone(one)),
        many => {
            let refs: Vec<&dyn Array> = many.iter().map(|a| a.as_ref()).collect();
            Ok(arrow_select::concat::concat(&refs)?)
        }
    }
}

/// Export an array to a `pyarrow.Array` through the C Data interface (no copy).
pub fn to_pyarrow(py: Python<'_>, array: ArrayRef) -> PyResult<Bound<'_, PyAny>> {
    // What `PyArray::to_pyarrow` does (`pyarrow.array(obj)` over `__arrow_c_array__`), but
    // consuming the array so that the result can outlive this frame.
    py.import(intern!(py, "pyarrow"))?
        .getattr(intern!(py, "array"))?
        .call1((PyArray::from_array_ref(array),))
}

/// Apply a core batch function to every chunk of `column` (GIL released) and return one
/// `pyarrow.Array`.
pub fn map_chunks<'py, A, E>(
    py: Python<'py>,
    column: PyChunkedArray,
    f: fn(&dyn Array) -> Result<A, E>,
) -> PyResult<Bound<'py, PyAny>>
where
    A: Array + 'static,
    E: Send + Into<BindingError>,
{
    let (chunks, field) = column.into_inner();
    let out = enter_core(py, move || {
        join_chunks(&chunks, field.data_type(), |c| {
            f(c).map(|a| Arc::new(a) as ArrayRef)
        })
    })?;
    to_pyarrow(py, out)
}
