//! `carecoord::caseload` for Python: a caseload in memory, kept in a durable journal or
//! replayed read-only from one; events in as JSON, bulk loads as Arrow tables, queries out
//! as Arrow tables (handover summaries as JSON).
//!
//! Argument conversion only: the class holds a core [`Session`] and every call goes through
//! `boundary` (the GIL is released while the core opens or replays a journal, records
//! events, loads a table and answers a query). The session sits behind a `RwLock`, so
//! queries from several Python threads run at the same time and changes wait their turn.
//! Tables arrive as `PyTable` (any `__arrow_c_stream__` producer); each of their record
//! batches is handed to the core as it is (no copy), with row numbers counted across the
//! whole table. The public, documented API is `carecoord/caseload.py`.

use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field};
use carecoord::caseload::{BulkOptions, BulkReport, Rows, Session};
use carecoord::schedule::ActionLog;
use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::boundary::enter_core;
use crate::errors::BindingError;
use crate::schedule::PyActionLog;

/// A record batch as a one-chunk `pyarrow.Table` (C Stream interface, no copy).
fn table_to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// Whether a field holds a timestamp without a time zone, at any depth.
fn has_naive_timestamp(field: &Field) -> bool {
    match field.data_type() {
        DataType::Timestamp(_, None) => true,
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::FixedSizeList(f, _)
        | DataType::ListView(f)
        | DataType::LargeListView(f) => has_naive_timestamp(f),
        DataType::Struct(fields) => fields.iter().any(|f| has_naive_timestamp(f)),
        _ => false,
    }
}

/// The `carecoord._native.Caseload` class: one core [`Session`]. Every lock is taken with
/// the GIL released, so a thread waiting for a long bulk load does not stop the others.
#[pyclass(name = "Caseload", module = "carecoord._native", frozen)]
struct PyCaseload {
    session: RwLock<Session>,
}

impl PyCaseload {
    fn wrap(session: Session) -> Self {
        Self {
            session: RwLock::new(session),
        }
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, Session>, BindingError> {
        self.session.read().map_err(|_| BindingError::LockPoisoned)
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Session>, BindingError> {
        self.session.write().map_err(|_| BindingError::LockPoisoned)
    }
}

#[pymethods]
impl PyCaseload {
    /// An empty caseload in memory.
    #[new]
    fn new() -> Self {
        Self::wrap(Session::in_memory())
    }

    /// Open (or create) a caseload journal for writing; a torn tail is repaired.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        enter_core(py, move || Session::open(path)).map(Self::wrap)
    }

    /// Replay a caseload journal read-only; later events are kept in memory only.
    #[staticmethod]
    fn replay(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        enter_core(py, move || Session::replay(path)).map(Self::wrap)
    }

    /// Sequence number of the last event applied (0 when empty).
    #[getter]
    fn last_seq(&self, py: Python<'_>) -> PyResult<u64> {
        enter_core(py, || self.read().map(|s| s.caseload().last_seq()))
    }

    /// Whether changes are written to a journal.
    #[getter]
    fn is_durable(&self, py: Python<'_>) -> PyResult<bool> {
        enter_core(py, || self.read().map(|s| s.is_durable()))
    }

    /// What opening or replaying found, as the core's JSON.
    fn report_json(&self, py: Python<'_>) -> PyResult<String> {
        enter_core(py, || self.read().map(|s| s.report().to_json()))
    }

    /// Check and apply one event given as JSON; returns its sequence number.
    fn record_json(
        &self,
        py: Python<'_>,
        who: String,
        at: DateTime<Utc>,
        event_json: String,
    ) -> PyResult<u64> {
        enter_core(py, || {
            self.write()?
                .record_json(&who, at, &event_json)
                .map_err(BindingError::from)
        })
    }

    /// Load one event per row of every record batch of `table`, row numbers counted
    /// across the table. Returns `(rejects, applied, first_seq)`, the rejects as a
    /// `pyarrow.Table` (`row`, `kind`, `code`, `message`).
    #[pyo3(signature = (table, event=None, who=None, recorded_at=None))]
    fn load_batch<'py>(
        &self,
        py: Python<'py>,
        table: PyTable,
        event: Option<String>,
        who: Option<String>,
        recorded_at: Option<DateTime<Utc>>,
    ) -> PyResult<(Bound<'py, PyAny>, u64, u64)> {
        let (batches, schema) = table.into_inner();
        if schema.fields().iter().any(|f| has_naive_timestamp(f)) {
            return Err(BindingError::NaiveTimestampColumn.into());
        }
        let report = enter_core(py, || {
            let mut session = self.write()?;
            let mut options = BulkOptions {
                event,
                who,
                recorded_at,
                first_row: 0,
            };
            let mut total = BulkReport {
                first_seq: session.caseload().last_seq() + 1,
                ..BulkReport::default()
            };
            for batch in &batches {
                let report = session.load_batch(batch, &options)?;
                total.applied += report.applied;
                total.rejects.extend(report.rejects);
                options.first_row += batch.num_rows() as u64;
            }
            Ok::<_, BindingError>(total)
        })?;
        Ok((
            table_to_pyarrow(py, report.rejects_batch())?,
            report.applied,
            report.first_seq,
        ))
    }

    /// Run a query given as JSON (`{"query": name, ...}`); the rows as a `pyarrow.Table`
    /// with the query's fixed schema.
    fn run_json<'py>(&self, py: Python<'py>, query_json: String) -> PyResult<Bound<'py, PyAny>> {
        let batch = enter_core(py, || {
            let rows = self.read()?.run_json(&query_json)?;
            rows.to_record_batch().map_err(BindingError::from)
        })?;
        table_to_pyarrow(py, batch)
    }

    /// The chasing list on `today` with the overdue actions of the given MDT action logs
    /// merged in (core `Caseload::chase_list`), as a `pyarrow.Table` with the `chase_list`
    /// query's schema.
    fn chase_list<'py>(
        &self,
        py: Python<'py>,
        today: NaiveDate,
        logs: Vec<PyRef<'py, PyActionLog>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mdt: Vec<&ActionLog> = logs.iter().map(|l| &l.log).collect();
        let batch = enter_core(py, || {
            let rows = Rows::Chase(self.read()?.caseload().chase_list(today, &mdt));
            rows.to_record_batch().map_err(BindingError::from)
        })?;
        table_to_pyarrow(py, batch)
    }

    /// Run a query given as JSON; the rows as the core's JSON text (the only form of
    /// `handover_summary`).
    fn run_json_text(&self, py: Python<'_>, query_json: String) -> PyResult<String> {
        enter_core(py, || {
            let rows = self.read()?.run_json(&query_json)?;
            Ok::<_, BindingError>(rows.to_json())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (durable, last_seq) = enter_core(py, || {
            self.read()
                .map(|s| (s.is_durable(), s.caseload().last_seq()))
        })?;
        Ok(format!(
            "<carecoord._native.Caseload durable={} last_seq={last_seq}>",
            if durable { "True" } else { "False" }
        ))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCaseload>()?;
    Ok(())
}
