//! `carecoord::risk` for Python: Charlson, Elixhauser, HFRS, eFI, LACE, HOSPITAL, custom
//! models, population tiers and cohort filters.
//!
//! Argument conversion only; every core call goes through `boundary` (GIL released, errors
//! mapped by `errors.rs`). Tables arrive as `PyTable` (any `__arrow_c_stream__` producer) and
//! their record batches are handed to the core as they are, chunk by chunk, with no copy of
//! the input buffers and no concatenation. Results leave as `pyarrow.Table`s through the C
//! Stream interface (no copy), schema metadata included. The public, documented API is
//! `carecoord/risk.py`.

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use carecoord::risk::{
    self as core, CharlsonWeights, CohortFilter, EfiBanding, EfiCodeList, EfiOptions,
    HaemoglobinUnit, HospitalColumns, LaceColumns, LongInput, LosConvention, ModelSpec, RiskError,
    RowCounts, ScoreOptions, ScoreResult, TierOptions, Window,
};
use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::boundary::enter_core;

/// `(scores, rejects, explanations or None, (rows_in, rows_scored, rows_excluded,
/// rows_rejected, patients))`, the tables as `pyarrow.Table`s.
type PyScoreResult<'py> = (
    Bound<'py, PyAny>,
    Bound<'py, PyAny>,
    Option<Bound<'py, PyAny>>,
    (usize, usize, usize, usize, usize),
);

/// A record batch as a one-chunk `pyarrow.Table` (C Stream interface, metadata kept).
fn table_to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

fn counts_tuple(c: &RowCounts) -> (usize, usize, usize, usize, usize) {
    (
        c.rows_in,
        c.rows_scored,
        c.rows_excluded,
        c.rows_rejected,
        c.patients,
    )
}

fn result_to_py(py: Python<'_>, r: ScoreResult) -> PyResult<PyScoreResult<'_>> {
    let counts = counts_tuple(&r.counts);
    Ok((
        table_to_pyarrow(py, r.scores)?,
        table_to_pyarrow(py, r.rejects)?,
        r.explanations
            .map(|e| table_to_pyarrow(py, e))
            .transpose()?,
        counts,
    ))
}

/// The look-back window: `lookback_days` None means the whole record up to the index date.
fn window(index_date: Option<NaiveDate>, lookback_days: Option<u32>) -> Option<Window> {
    index_date.map(|index_date| Window {
        index_date,
        lookback_days: lookback_days.unwrap_or(u32::MAX),
    })
}

/// The chunks of a table, or one empty batch of its schema when it has none, so that the
/// core still checks the columns (and, for cohorts, knows the output schema).
fn chunks(batches: Vec<RecordBatch>, schema: &SchemaRef) -> Vec<RecordBatch> {
    if batches.is_empty() {
        vec![RecordBatch::new_empty(schema.clone())]
    } else {
        batches
    }
}

fn invalid(option: &'static str, reason: &str) -> RiskError {
    RiskError::InvalidOption {
        option,
        reason: reason.to_owned(),
    }
}

fn los_convention(name: &str) -> Result<LosConvention, RiskError> {
    match name {
        "midnights" => Ok(LosConvention::Midnights),
        "inclusive_days" => Ok(LosConvention::InclusiveDays),
        _ => Err(invalid(
            "los_convention",
            "expected `midnights` or `inclusive_days`",
        )),
    }
}

fn haemoglobin_unit(name: &str) -> Result<HaemoglobinUnit, RiskError> {
    match name {
        "g/dL" => Ok(HaemoglobinUnit::GramsPerDecilitre),
        "g/L" => Ok(HaemoglobinUnit::GramsPerLitre),
        _ => Err(invalid("haemoglobin_unit", "expected `g/dL` or `g/L`")),
    }
}

/// The code-based scores with a long-format input.
#[derive(Clone, Copy)]
enum Long {
    Charlson,
    Elixhauser,
    Hfrs,
}

#[allow(clippy::too_many_arguments)]
fn score_long<'py>(
    py: Python<'py>,
    which: Long,
    table: PyTable,
    weights: &str,
    patient: String,
    code: String,
    date: Option<String>,
    age: Option<String>,
    index_date: Option<NaiveDate>,
    lookback_days: Option<u32>,
    explain: bool,
) -> PyResult<PyScoreResult<'py>> {
    let (batches, _schema) = table.into_inner();
    let weights = weights.to_owned();
    let r = enter_core(py, move || {
        let opts = ScoreOptions {
            columns: LongInput {
                patient: &patient,
                code: &code,
                date: date.as_deref(),
                age: age.as_deref(),
            },
            window: window(index_date, lookback_days),
            explain,
        };
        match which {
            Long::Charlson => core::charlson(&batches, weights.parse::<CharlsonWeights>()?, &opts),
            Long::Elixhauser => core::elixhauser(&batches, &opts),
            Long::Hfrs => core::hfrs(&batches, &opts),
        }
    })?;
    result_to_py(py, r)
}

/// Charlson comorbidity index of a long-format table.
#[pyfunction]
#[pyo3(signature = (table, weights, patient, code, date, age, index_date, lookback_days, explain))]
#[allow(clippy::too_many_arguments)]
fn risk_charlson<'py>(
    py: Python<'py>,
    table: PyTable,
    weights: String,
    patient: String,
    code: String,
    date: Option<String>,
    age: Option<String>,
    index_date: Option<NaiveDate>,
    lookback_days: Option<u32>,
    explain: bool,
) -> PyResult<PyScoreResult<'py>> {
    score_long(
        py,
        Long::Charlson,
        table,
        &weights,
        patient,
        code,
        date,
        age,
        index_date,
        lookback_days,
        explain,
    )
}

/// Elixhauser comorbidity score (van Walraven weights) of a long-format table.
#[pyfunction]
#[pyo3(signature = (table, patient, code, date, index_date, lookback_days, explain))]
#[allow(clippy::too_many_arguments)]
fn risk_elixhauser<'py>(
    py: Python<'py>,
    table: PyTable,
    patient: String,
    code: String,
    date: Option<String>,
    index_date: Option<NaiveDate>,
    lookback_days: Option<u32>,
    explain: bool,
) -> PyResult<PyScoreResult<'py>> {
    score_long(
        py,
        Long::Elixhauser,
        table,
        "",
        patient,
        code,
        date,
        None,
        index_date,
        lookback_days,
        explain,
    )
}

/// Hospital Frailty Risk Score of a long-format table.
#[pyfunction]
#[pyo3(signature = (table, patient, code, date, index_date, lookback_days, explain))]
#[allow(clippy::too_many_arguments)]
fn risk_hfrs<'py>(
    py: Python<'py>,
    table: PyTable,
    patient: String,
    code: String,
    date: Option<String>,
    index_date: Option<NaiveDate>,
    lookback_days: Option<u32>,
    explain: bool,
) -> PyResult<PyScoreResult<'py>> {
    score_long(
        py,
        Long::Hfrs,
        table,
        "",
        patient,
        code,
        date,
        None,
        index_date,
        lookback_days,
        explain,
    )
}

/// The electronic Frailty Index. `codelist_csv` None means the bundled illustrative list.
#[pyfunction]
#[pyo3(signature = (
    conditions, medications, codelist_csv, banding, patient, code, date,
    med_patient, med_code, med_date, index_date, lookback_days,
))]
#[allow(clippy::too_many_arguments)]
fn risk_efi<'py>(
    py: Python<'py>,
    conditions: PyTable,
    medications: Option<PyTable>,
    codelist_csv: Option<String>,
    banding: String,
    patient: String,
    code: String,
    date: Option<String>,
    med_patient: String,
    med_code: String,
    med_date: Option<String>,
    index_date: Option<NaiveDate>,
    lookback_days: Option<u32>,
) -> PyResult<PyScoreResult<'py>> {
    let (conditions, _) = conditions.into_inner();
    let medications = medications.map(|m| m.into_inner().0);
    let r = enter_core(py, move || {
        let codelist = match &codelist_csv {
            None => EfiCodeList::example(),
            Some(text) => EfiCodeList::from_csv(text)?,
        };
        let opts = EfiOptions {
            conditions: LongInput {
                patient: &patient,
                code: &code,
                date: date.as_deref(),
                age: None,
            },
            medications: LongInput {
                patient: &med_patient,
                code: &med_code,
                date: med_date.as_deref(),
                age: None,
            },
            index_date,
            lookback_days,
            banding: banding.parse::<EfiBanding>()?,
        };
        core::efi(&conditions, medications.as_deref(), &codelist, &opts)
    })?;
    result_to_py(py, r)
}

/// The LACE index of a stay-level table.
#[pyfunction]
#[pyo3(signature = (
    table, patient, stay, los_days, acute_admission, charlson, ed_visits_6m, los_convention,
))]
#[allow(clippy::too_many_arguments)]
fn risk_lace<'py>(
    py: Python<'py>,
    table: PyTable,
    patient: String,
    stay: Option<String>,
    los_days: String,
    acute_admission: String,
    charlson: String,
    ed_visits_6m: String,
    los_convention: String,
) -> PyResult<PyScoreResult<'py>> {
    let (batches, _) = table.into_inner();
    let r = enter_core(py, move || {
        let columns = LaceColumns {
            patient_id: patient,
            stay_id: stay,
            los_days,
            acute_admission,
            charlson,
            ed_visits_6m,
            los_convention: self::los_convention(&los_convention)?,
        };
        core::lace(&batches, &columns)
    })?;
    result_to_py(py, r)
}

/// The HOSPITAL score of a stay-level table.
#[pyfunction]
#[pyo3(signature = (
    table, patient, stay, haemoglobin, haemoglobin_unit, oncology_discharge, sodium, procedure,
    urgent_admission, admissions_12m, los_days, los_convention,
))]
#[allow(clippy::too_many_arguments)]
fn risk_hospital<'py>(
    py: Python<'py>,
    table: PyTable,
    patient: String,
    stay: Option<String>,
    haemoglobin: String,
    haemoglobin_unit: String,
    oncology_discharge: String,
    sodium: String,
    procedure: String,
    urgent_admission: String,
    admissions_12m: String,
    los_days: String,
    los_convention: String,
) -> PyResult<PyScoreResult<'py>> {
    let (batches, _) = table.into_inner();
    let r = enter_core(py, move || {
        let columns = HospitalColumns {
            patient_id: patient,
            stay_id: stay,
            haemoglobin,
            haemoglobin_unit: self::haemoglobin_unit(&haemoglobin_unit)?,
            oncology_discharge,
            sodium,
            procedure,
            urgent_admission,
            admissions_12m,
            los_days,
            los_convention: self::los_convention(&los_convention)?,
        };
        core::hospital(&batches, &columns)
    })?;
    result_to_py(py, r)
}

/// Population risk tiers of a patient-level table.
#[pyfunction]
#[pyo3(signature = (table, id, score, cuts))]
fn risk_tiers<'py>(
    py: Python<'py>,
    table: PyTable,
    id: String,
    score: String,
    cuts: Vec<f64>,
) -> PyResult<PyScoreResult<'py>> {
    let (batches, _) = table.into_inner();
    let r = enter_core(py, move || {
        core::tiers_table(
            &batches,
            &TierOptions {
                id_column: id,
                score_column: score,
                cuts,
            },
        )
    })?;
    result_to_py(py, r)
}

/// A validated custom linear or logistic model (core `ModelSpec`).
#[pyclass(name = "RiskModel", module = "carecoord._native", frozen)]
struct RiskModel {
    spec: ModelSpec,
}

#[pymethods]
impl RiskModel {
    /// Load and validate a model from JSON text.
    #[new]
    fn new(py: Python<'_>, spec_json: String) -> PyResult<Self> {
        let spec = enter_core(py, move || ModelSpec::from_json(&spec_json))?;
        Ok(Self { spec })
    }

    /// The model's name.
    #[getter]
    fn name(&self) -> &str {
        &self.spec.name
    }

    /// `linear` or `logistic`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.spec.kind.as_str()
    }

    /// The model as JSON text.
    fn to_json(&self) -> String {
        self.spec.to_json()
    }

    /// Apply the model to every row of a patient-level table.
    fn apply<'py>(
        &self,
        py: Python<'py>,
        table: PyTable,
        id: String,
    ) -> PyResult<PyScoreResult<'py>> {
        let (batches, schema) = table.into_inner();
        let batches = chunks(batches, &schema);
        let spec = &self.spec;
        let r = enter_core(py, move || spec.apply_batches_with_id(&batches, &id))?;
        result_to_py(py, r)
    }
}

/// A cohort filter (core `CohortFilter`): each builder method returns a new filter.
#[pyclass(name = "CohortFilter", module = "carecoord._native", frozen)]
#[derive(Clone, Default)]
struct PyCohortFilter {
    inner: CohortFilter,
}

impl PyCohortFilter {
    fn with(&self, f: impl FnOnce(CohortFilter) -> CohortFilter) -> Self {
        Self {
            inner: f(self.inner.clone()),
        }
    }
}

#[pymethods]
impl PyCohortFilter {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// A filter from its JSON form (core `CohortFilter::from_json`).
    #[staticmethod]
    fn from_json(py: Python<'_>, spec_json: String) -> PyResult<Self> {
        let inner = enter_core(py, move || CohortFilter::from_json(&spec_json))?;
        Ok(Self { inner })
    }

    /// The filter in its JSON form.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    fn id_column(&self, column: &str) -> Self {
        self.with(|f| f.id_column(column))
    }

    fn age_between(&self, column: &str, min: u32, max: u32) -> Self {
        self.with(|f| f.age_between(column, min, max))
    }

    fn practice_in(&self, column: &str, practices: Vec<String>) -> Self {
        self.with(|f| f.practice_in(column, practices))
    }

    fn on_register(&self, column: &str) -> Self {
        self.with(|f| f.on_register(column))
    }

    fn band_in(&self, column: &str, bands: Vec<String>) -> Self {
        self.with(|f| f.band_in(column, bands))
    }

    fn score_at_least(&self, column: &str, threshold: f64) -> Self {
        self.with(|f| f.score_at_least(column, threshold))
    }

    fn not_on_caseload(&self, column: &str) -> Self {
        self.with(|f| f.not_on_caseload(column))
    }

    fn not_on_caseload_ids(&self, ids: Vec<String>) -> Self {
        self.with(|f| f.not_on_caseload_ids(ids))
    }

    fn no_contact_for_days(&self, column: &str, days: u32, index_date: NaiveDate) -> Self {
        self.with(|f| f.no_contact_for_days(column, days, index_date))
    }

    fn sort_by_score(&self, column: &str) -> Self {
        self.with(|f| f.sort_by_score(column))
    }

    fn label(&self, column: &str, label: &str) -> Self {
        self.with(|f| f.label(column, label))
    }

    /// The selected rows of a patient-level table, with a `reasons` column.
    fn apply<'py>(&self, py: Python<'py>, table: PyTable) -> PyResult<Bound<'py, PyAny>> {
        let (batches, schema) = table.into_inner();
        let batches = chunks(batches, &schema);
        let filter = &self.inner;
        let out = enter_core(py, move || filter.apply_batches(&batches))?;
        table_to_pyarrow(py, out)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(risk_charlson, m)?)?;
    m.add_function(wrap_pyfunction!(risk_elixhauser, m)?)?;
    m.add_function(wrap_pyfunction!(risk_hfrs, m)?)?;
    m.add_function(wrap_pyfunction!(risk_efi, m)?)?;
    m.add_function(wrap_pyfunction!(risk_lace, m)?)?;
    m.add_function(wrap_pyfunction!(risk_hospital, m)?)?;
    m.add_function(wrap_pyfunction!(risk_tiers, m)?)?;
    m.add_class::<RiskModel>()?;
    m.add_class::<PyCohortFilter>()?;
    Ok(())
}
