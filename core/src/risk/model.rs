//! Custom linear and logistic risk models given as JSON, applied to a patient-level Arrow
//! table.
//!
//! A local analyst writes the model once (name, kind, intercept and weighted terms); the
//! library validates it on load and applies it to any table whose columns hold the features:
//! the scores from this module (`charlson`, `efi`, `lace`, ...), `age`, a sex indicator, counts
//! of contacts or admissions.
//!
//! ```json
//! {"name": "readmission-local-v1", "kind": "logistic", "intercept": -3.2,
//!  "terms": [{"feature": "charlson", "weight": 0.4},
//!            {"feature": "age", "weight": 0.03, "transform": {"min": 18}},
//!            {"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}
//! ```
//!
//! The value a term uses is `(clamp(x, min, upper) - center) / scale`, where `upper` is the
//! smaller of `transform.max` and `cap`; absent parts do nothing. The linear predictor is
//! `intercept + Σ weight × value`; a logistic model also gives the probability
//! `1 / (1 + exp(-linear predictor))`.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field};
use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use self::columns::{column, metadata, reason, record_batch, At, Col, ColKinds, Ids, Rejects};
use super::{RiskError, RowCounts, ScoreResult};

/// Whether the model's output is the linear predictor or a probability.
///
/// ```
/// use carecoord::risk::ModelKind;
/// let k: ModelKind = serde_json::from_str(r#""logistic""#)?;
/// assert_eq!(k, ModelKind::Logistic);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// `intercept + Σ weight × value`, reported as is.
    Linear,
    /// As `Linear`, plus the probability `1 / (1 + exp(-linear predictor))`.
    Logistic,
}

impl ModelKind {
    /// `linear` or `logistic`, as written in the JSON.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::ModelKind::Logistic.as_str(), "logistic");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::Logistic => "logistic",
        }
    }
}

/// How a feature value is bounded, shifted and scaled before it is weighted.
///
/// The value used is `(clamp(x, min, max) - center) / scale`; each part is optional.
///
/// ```
/// use carecoord::risk::FeatureTransform;
/// let t = FeatureTransform { min: Some(18.0), center: Some(65.0), scale: Some(10.0), ..Default::default() };
/// // Age 15 counts as 18: (18 - 65) / 10 = -4.7.
/// assert!((t.apply(15.0, None) - -4.7).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureTransform {
    /// Values below this count as this (a floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Values above this count as this (a ceiling; [`ModelTerm::cap`] is the same thing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Subtracted after bounding (e.g. 65 for "years over 65").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center: Option<f64>,
    /// Divided into the centred value (e.g. 10 for "per decade"); must not be 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

impl FeatureTransform {
    /// The transformed value of `x`, with an extra ceiling `cap` (the term's `cap`).
    ///
    /// ```
    /// use carecoord::risk::FeatureTransform;
    /// assert_eq!(FeatureTransform::default().apply(7.0, Some(5.0)), 5.0);
    /// ```
    pub fn apply(&self, x: f64, cap: Option<f64>) -> f64 {
        let mut v = x;
        if let Some(lo) = self.min {
            v = v.max(lo);
        }
        if let Some(hi) = self.max {
            v = v.min(hi);
        }
        if let Some(hi) = cap {
            v = v.min(hi);
        }
        if let Some(c) = self.center {
            v -= c;
        }
        if let Some(s) = self.scale {
            v /= s;
        }
        v
    }
}

/// One weighted feature of a [`ModelSpec`].
///
/// ```
/// use carecoord::risk::ModelTerm;
/// let t: ModelTerm = serde_json::from_str(r#"{"feature": "admissions_12m", "weight": 0.5, "cap": 5}"#)?;
/// assert_eq!(t.value(9.0), 5.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelTerm {
    /// The column of the patient-level table that holds the feature.
    pub feature: String,
    /// The coefficient; must be finite.
    pub weight: f64,
    /// Values above this count as this (e.g. admissions capped at 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Floor, ceiling, centre and scale applied before weighting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<FeatureTransform>,
}

impl ModelTerm {
    /// The feature value after the cap and transform (before weighting).
    ///
    /// ```
    /// use carecoord::risk::{FeatureTransform, ModelTerm};
    /// let t = ModelTerm {
    ///     feature: "age".into(),
    ///     weight: 0.03,
    ///     cap: None,
    ///     transform: Some(FeatureTransform { min: Some(18.0), ..Default::default() }),
    /// };
    /// assert_eq!(t.value(16.0), 18.0);
    /// assert_eq!(t.value(80.0), 80.0);
    /// ```
    pub fn value(&self, x: f64) -> f64 {
        self.transform.unwrap_or_default().apply(x, self.cap)
    }
}

/// A custom linear or logistic risk model, loaded from JSON and validated.
///
/// Built for locally derived models (an ICB readmission model, a practice's frailty screen);
/// the published scores have their own functions. Features are columns of a patient-level
/// table: any of the scores (`charlson`, `efi`, `lace`, ...), `age`, a sex indicator, counts
/// of contacts or admissions. The JSON format:
///
/// ```json
/// {"name": "readmission-local-v1", "kind": "logistic", "intercept": -3.2,
///  "terms": [{"feature": "charlson", "weight": 0.4},
///            {"feature": "age", "weight": 0.03, "transform": {"min": 18}},
///            {"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}
/// ```
///
/// Fields: `name`, `kind` (`linear` or `logistic`), `intercept` (default 0), optional
/// `description`, and `terms`, each with `feature`, `weight`, optional `cap` and optional
/// `transform` (`min`, `max`, `center`, `scale`). Unknown fields are refused. The value a term
/// uses is `(clamp(x, min, upper) - center) / scale`, where `upper` is `transform.max` or
/// `cap`; the linear predictor is `intercept + Σ weight × value`; a logistic model also gives
/// `probability = 1 / (1 + exp(-linear predictor))`.
///
/// # Example
///
/// ```
/// use carecoord::risk::ModelSpec;
/// let spec = ModelSpec::from_json(r#"{"name": "demo", "kind": "logistic", "intercept": -2.0,
///     "terms": [{"feature": "charlson", "weight": 0.5}]}"#)?;
/// // charlson 4: linear predictor -2 + 0.5 * 4 = 0, probability 1 / (1 + e^0) = 0.5.
/// let p = spec.predict(&[("charlson", 4.0)])?;
/// assert_eq!(p.linear_predictor, 0.0);
/// assert_eq!(p.probability, Some(0.5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// A name for the model, carried into the output's schema metadata (`model`).
    pub name: String,
    /// `linear` or `logistic`.
    pub kind: ModelKind,
    /// The constant term (0 when absent from the JSON); must be finite.
    #[serde(default)]
    pub intercept: f64,
    /// Free-text note on where the model comes from (optional; never shown per patient).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The weighted features; at least one, each feature at most once.
    pub terms: Vec<ModelTerm>,
}

/// The result of a model for one person.
///
/// ```
/// use carecoord::risk::ModelPrediction;
/// let p = ModelPrediction { linear_predictor: 0.0, probability: Some(0.5) };
/// assert_eq!(p.probability, Some(0.5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrediction {
    /// `intercept + Σ weight × value`.
    pub linear_predictor: f64,
    /// The logistic probability; `None` for a linear model.
    pub probability: Option<f64>,
}

fn spec_err(path: impl Into<String>, reason: impl Into<String>) -> RiskError {
    RiskError::ModelSpec {
        path: path.into(),
        reason: reason.into(),
    }
}

/// The logistic function, computed without overflow for large |z|.
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl ModelSpec {
    /// Load and validate a model from JSON text.
    ///
    /// # Errors
    ///
    /// [`RiskError::ModelSpec`] with the JSON path of the first problem: text that is not
    /// JSON (path `$`), an unknown field, a missing field, a wrong type, an unknown `kind`,
    /// or any rule of [`ModelSpec::validate`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::{ModelSpec, RiskError};
    /// let bad = r#"{"name": "m", "kind": "linear",
    ///     "terms": [{"feature": "a", "weight": 1}, {"feature": "b", "wieght": 1}]}"#;
    /// match ModelSpec::from_json(bad) {
    ///     Err(RiskError::ModelSpec { path, .. }) => assert_eq!(path, "terms[1].wieght"),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, RiskError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| spec_err("$", format!("not valid JSON: {e}")))?;
        Self::from_json_value(&value)
    }

    /// Load and validate a model from an already parsed JSON value.
    ///
    /// # Errors
    ///
    /// As [`ModelSpec::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::ModelSpec;
    /// let v = serde_json::json!({"name": "m", "kind": "linear", "terms": [{"feature": "age", "weight": 0.1}]});
    /// assert_eq!(ModelSpec::from_json_value(&v)?.intercept, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_value(value: &Value) -> Result<Self, RiskError> {
        let spec: Self = match serde_json::from_value(value.clone()) {
            Ok(s) => s,
            Err(e) => return Err(locate(value).unwrap_or_else(|| spec_err("$", e.to_string()))),
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The model as JSON text (the same format [`ModelSpec::from_json`] reads).
    ///
    /// ```
    /// use carecoord::risk::ModelSpec;
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "linear", "terms": [{"feature": "age", "weight": 0.1}]}"#)?;
    /// assert_eq!(ModelSpec::from_json(&spec.to_json())?, spec);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail; non-finite numbers
        // (only possible before validation) are written as null by serde_json.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Check the rules a model must meet (run by the loaders and by [`ModelSpec::apply`]).
    ///
    /// Rules: a non-empty name; a finite intercept; at least one term; each term with a
    /// non-empty feature name used once only, a finite weight, a finite cap, finite transform
    /// parts with `min <= max` (and `min <= cap`), a scale other than 0, and not both `cap`
    /// and `transform.max`.
    ///
    /// # Errors
    ///
    /// [`RiskError::ModelSpec`] naming the path, e.g. `terms[2].weight`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::{ModelKind, ModelSpec, ModelTerm, RiskError};
    /// let spec = ModelSpec {
    ///     name: "m".into(),
    ///     kind: ModelKind::Linear,
    ///     intercept: 0.0,
    ///     description: None,
    ///     terms: vec![ModelTerm { feature: "age".into(), weight: f64::NAN, cap: None, transform: None }],
    /// };
    /// let err = spec.validate().unwrap_err();
    /// assert_eq!(err, RiskError::ModelSpec { path: "terms[0].weight".into(), reason: "must be a finite number".into() });
    /// ```
    pub fn validate(&self) -> Result<(), RiskError> {
        const FINITE: &str = "must be a finite number";
        if self.name.trim().is_empty() {
            return Err(spec_err("name", "must not be empty"));
        }
        if !self.intercept.is_finite() {
            return Err(spec_err("intercept", FINITE));
        }
        if self.terms.is_empty() {
            return Err(spec_err("terms", "at least one term is required"));
        }
        for (i, t) in self.terms.iter().enumerate() {
            let p = |field: &str| format!("terms[{i}].{field}");
            if t.feature.trim().is_empty() {
                return Err(spec_err(p("feature"), "must not be empty"));
            }
            if let Some(j) = self.terms[..i].iter().position(|u| u.feature == t.feature) {
                return Err(spec_err(
                    p("feature"),
                    format!("duplicate feature `{}` (also terms[{j}])", t.feature),
                ));
            }
            if !t.weight.is_finite() {
                return Err(spec_err(p("weight"), FINITE));
            }
            if t.cap.is_some_and(|c| !c.is_finite()) {
                return Err(spec_err(p("cap"), FINITE));
            }
            let Some(tr) = t.transform else { continue };
            for (name, v) in [
                ("min", tr.min),
                ("max", tr.max),
                ("center", tr.center),
                ("scale", tr.scale),
            ] {
                if v.is_some_and(|v| !v.is_finite()) {
                    return Err(spec_err(p(&format!("transform.{name}")), FINITE));
                }
            }
            if tr.scale == Some(0.0) {
                return Err(spec_err(p("transform.scale"), "must not be 0"));
            }
            if tr.max.is_some() && t.cap.is_some() {
                return Err(spec_err(
                    p("cap"),
                    "give either `cap` or `transform.max`, not both",
                ));
            }
            if let (Some(lo), Some(hi)) = (tr.min, tr.max.or(t.cap)) {
                if lo > hi {
                    let which = if tr.max.is_some() {
                        "transform.max"
                    } else {
                        "cap"
                    };
                    return Err(spec_err(
                        p("transform.min"),
                        format!("is greater than `{which}`"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The model's result for one person, given feature values by name.
    ///
    /// # Errors
    ///
    /// [`RiskError::MissingColumn`] when a term's feature is not given;
    /// [`RiskError::InvalidOption`] (option `features`) when a value is not finite;
    /// [`RiskError::ModelSpec`] when the model itself is invalid.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::ModelSpec;
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "linear", "intercept": 1,
    ///     "terms": [{"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}"#)?;
    /// // 9 admissions are capped at 5: 1 + 0.5 * 5 = 3.5.
    /// assert_eq!(spec.predict(&[("admissions_12m", 9.0)])?.linear_predictor, 3.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn predict(&self, features: &[(&str, f64)]) -> Result<ModelPrediction, RiskError> {
        self.validate()?;
        let mut z = self.intercept;
        for t in &self.terms {
            let x = features
                .iter()
                .find(|(name, _)| *name == t.feature)
                .map(|&(_, x)| x)
                .ok_or_else(|| RiskError::MissingColumn {
                    column: t.feature.clone(),
                })?;
            if !x.is_finite() {
                return Err(RiskError::InvalidOption {
                    option: "features",
                    reason: format!("feature `{}` is not a finite number", t.feature),
                });
            }
            z += t.weight * t.value(x);
        }
        Ok(self.prediction(z))
    }

    fn prediction(&self, z: f64) -> ModelPrediction {
        ModelPrediction {
            linear_predictor: z,
            probability: (self.kind == ModelKind::Logistic).then(|| sigmoid(z)),
        }
    }

    /// Apply the model to every row of a patient-level table (id column `patient_id`).
    ///
    /// Feature columns may be any integer or floating-point type, Boolean (true = 1) or
    /// strings holding numbers (dictionary-encoded or not). A row whose id or any feature is
    /// null, not a number or not finite goes to the rejects table, naming the row and the
    /// first bad column (in term order); rows in = rows scored + rows rejected.
    ///
    /// * `scores`, in input order: `patient_id` (the input's type), `linear_predictor`
    ///   (Float64) and, for a logistic model only, `probability` (Float64).
    /// * `rejects`: `row` (UInt64, zero-based), `patient_id` (input type, null when the id
    ///   is missing), `field` (Utf8, the column), `reason` (Utf8): `null_patient`,
    ///   `null_value`, `not_a_number` (NaN or text that is not a number) or `not_finite`.
    /// * Schema metadata as for the other scores (`carecoord.instrument` = `model`,
    ///   `carecoord.weights` = the model name, `carecoord.rows_in`, ...) plus
    ///   `carecoord.model` and `carecoord.kind`.
    ///
    /// # Errors
    ///
    /// [`RiskError::MissingColumn`] for a missing id or feature column;
    /// [`RiskError::ColumnType`] for a column of another type (dates, lists...);
    /// [`RiskError::ModelSpec`] when the model is invalid.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Float64Array, Int32Array, RecordBatch, StringArray};
    /// use carecoord::risk::ModelSpec;
    ///
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "logistic", "intercept": -2,
    ///     "terms": [{"feature": "charlson", "weight": 0.5}]}"#)?;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("patient_id", Arc::new(StringArray::from(vec!["p1", "p2"])) as _),
    ///     ("charlson", Arc::new(Int32Array::from(vec![Some(4), None])) as _),
    /// ])?;
    /// let r = spec.apply(&batch)?;
    /// assert_eq!((r.scores.num_rows(), r.rejects.num_rows()), (1, 1));
    /// let p = r.scores.column_by_name("probability").unwrap();
    /// // -2 + 0.5 * 4 = 0, and 1 / (1 + e^0) = 0.5.
    /// assert_eq!(p.as_any().downcast_ref::<Float64Array>().unwrap().value(0), 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, batch: &RecordBatch) -> Result<ScoreResult, RiskError> {
        self.apply_with_id(batch, "patient_id")
    }

    /// As [`ModelSpec::apply`], with the id read from `id_column` (output still `patient_id`).
    ///
    /// # Errors
    ///
    /// As [`ModelSpec::apply`].
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Int64Array, RecordBatch, StringArray};
    /// use carecoord::risk::ModelSpec;
    ///
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "linear",
    ///     "terms": [{"feature": "age", "weight": 0.1}]}"#)?;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("pseudonym", Arc::new(StringArray::from(vec!["a1"])) as _),
    ///     ("age", Arc::new(Int64Array::from(vec![80])) as _),
    /// ])?;
    /// assert_eq!(spec.apply_with_id(&batch, "pseudonym")?.scores.num_rows(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_with_id(
        &self,
        batch: &RecordBatch,
        id_column: &str,
    ) -> Result<ScoreResult, RiskError> {
        self.apply_batches_with_id(std::slice::from_ref(batch), id_column)
    }

    /// As [`ModelSpec::apply`], over a table given as record batches (an Arrow table's
    /// chunks), read batch by batch without concatenating them.
    ///
    /// The output is one scores batch and one rejects batch, exactly as if the batches had
    /// been concatenated first: `row` numbers count across batches (batch 1's first row
    /// follows batch 0's last). Feature columns may have a different numeric type in each
    /// batch; the id column must have the same type in all. No batches give empty tables.
    ///
    /// # Errors
    ///
    /// As [`ModelSpec::apply`], checked in every batch; [`RiskError::Arrow`] when the id
    /// column's type differs between batches.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Array, Float64Array, Int32Array, RecordBatch, StringArray, UInt64Array};
    /// use carecoord::risk::ModelSpec;
    ///
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "linear", "intercept": 1,
    ///     "terms": [{"feature": "contacts", "weight": 0.5}]}"#)?;
    /// let chunk = |ids: Vec<&str>, n: Vec<Option<i32>>| RecordBatch::try_from_iter([
    ///     ("patient_id", Arc::new(StringArray::from(ids)) as _),
    ///     ("contacts", Arc::new(Int32Array::from(n)) as _),
    /// ]);
    /// let chunks = [chunk(vec!["a", "b"], vec![Some(2), Some(4)])?, chunk(vec!["c"], vec![None])?];
    /// let r = spec.apply_batches(&chunks)?;
    /// let lp = r.scores.column_by_name("linear_predictor").unwrap();
    /// // 1 + 0.5 * 2 = 2; 1 + 0.5 * 4 = 3.
    /// assert_eq!(lp.as_any().downcast_ref::<Float64Array>().unwrap().values().to_vec(), vec![2.0, 3.0]);
    /// // c's null feature is row 2 of the whole table.
    /// let row = r.rejects.column_by_name("row").unwrap();
    /// assert_eq!(row.as_any().downcast_ref::<UInt64Array>().unwrap().value(0), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batches(&self, batches: &[RecordBatch]) -> Result<ScoreResult, RiskError> {
        self.apply_batches_with_id(batches, "patient_id")
    }

    /// As [`ModelSpec::apply_batches`], with the id read from `id_column` (output still
    /// `patient_id`).
    ///
    /// # Errors
    ///
    /// As [`ModelSpec::apply_batches`].
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{Int64Array, RecordBatch};
    /// use carecoord::risk::ModelSpec;
    ///
    /// let spec = ModelSpec::from_json(r#"{"name": "m", "kind": "linear",
    ///     "terms": [{"feature": "age", "weight": 0.1}]}"#)?;
    /// let chunk = |id: i64, age: i64| RecordBatch::try_from_iter([
    ///     ("pid", Arc::new(Int64Array::from(vec![id])) as _),
    ///     ("age", Arc::new(Int64Array::from(vec![age])) as _),
    /// ]);
    /// let r = spec.apply_batches_with_id(&[chunk(1, 80)?, chunk(2, 70)?], "pid")?;
    /// assert_eq!((r.scores.num_rows(), r.counts.patients), (2, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batches_with_id(
        &self,
        batches: &[RecordBatch],
        id_column: &str,
    ) -> Result<ScoreResult, RiskError> {
        self.validate()?;
        let ids = Ids::new(batches, id_column)?;
        let n: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let mut picks = Vec::with_capacity(n);
        let mut lp = Vec::with_capacity(n);
        let mut rejects = Rejects::default();
        let mut distinct = FxHashSet::default();
        let mut offset = 0;
        for (b, batch) in batches.iter().enumerate() {
            // Resolved per batch: one downcast per column and batch, no copy.
            let features = self
                .terms
                .iter()
                .map(|t| {
                    Col::of(
                        column(batch, &t.feature)?,
                        &t.feature,
                        ColKinds::NUMBER_OR_TEXT,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            'rows: for index in 0..batch.num_rows() {
                let at = At {
                    batch: b,
                    index,
                    row: offset + index,
                };
                let Some(id) = ids.text(at) else {
                    rejects.push(at, id_column, reason::NULL_PATIENT);
                    continue;
                };
                let mut z = self.intercept;
                for (t, col) in self.terms.iter().zip(&features) {
                    match col.number(index) {
                        Ok(Some(x)) => z += t.weight * t.value(x),
                        Ok(None) => {
                            rejects.push(at, &t.feature, reason::NULL_VALUE);
                            continue 'rows;
                        }
                        Err(why) => {
                            rejects.push(at, &t.feature, why);
                            continue 'rows;
                        }
                    }
                }
                distinct.insert(id);
                picks.push(at);
                lp.push(z);
            }
            offset += batch.num_rows();
        }
        let counts = RowCounts {
            rows_in: n,
            rows_scored: picks.len(),
            rows_excluded: 0,
            rows_rejected: rejects.len(),
            patients: distinct.len(),
        };
        let meta = metadata(
            "model",
            &self.name,
            &counts,
            &[
                ("carecoord.model", self.name.clone()),
                ("carecoord.kind", self.kind.as_str().to_string()),
            ],
        );
        let patient = ids.gather(&picks)?;
        let mut cols: Vec<(Field, ArrayRef)> = vec![
            (
                Field::new("patient_id", patient.data_type().clone(), false),
                patient,
            ),
            (
                Field::new("linear_predictor", DataType::Float64, false),
                Arc::new(Float64Array::from(lp.clone())),
            ),
        ];
        if self.kind == ModelKind::Logistic {
            let p: Float64Array = lp.iter().map(|&z| Some(sigmoid(z))).collect();
            cols.push((
                Field::new("probability", DataType::Float64, false),
                Arc::new(p),
            ));
        }
        let scores = record_batch(cols, meta.clone())?;
        Ok(ScoreResult {
            scores,
            rejects: rejects.finish(&ids, meta)?,
            explanations: None,
            counts,
        })
    }
}

// ---- locating a deserialisation error by JSON path ------------------------------------------

type Check = fn(&Value, &str) -> Option<RiskError>;

fn check_as<T: DeserializeOwned>(v: &Value, path: &str) -> Option<RiskError> {
    serde_json::from_value::<T>(v.clone())
        .err()
        .map(|e| spec_err(path, e.to_string()))
}

/// Check an object's keys against `fields` (name, required, check), depth first.
fn check_object(v: &Value, path: &str, fields: &[(&str, bool, Check)]) -> Option<RiskError> {
    let Value::Object(map) = v else {
        return Some(spec_err(path, "must be a JSON object"));
    };
    let join = |k: &str| {
        if path == "$" {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    if let Some(k) = map.keys().find(|k| !fields.iter().any(|f| f.0 == *k)) {
        let known: Vec<_> = fields.iter().map(|f| format!("`{}`", f.0)).collect();
        return Some(spec_err(
            join(k),
            format!("unknown field; expected one of {}", known.join(", ")),
        ));
    }
    for &(name, required, check) in fields {
        match map.get(name) {
            None if required => return Some(spec_err(join(name), "missing field")),
            None => {}
            Some(x) => {
                if let Some(e) = check(x, &join(name)) {
                    return Some(e);
                }
            }
        }
    }
    None
}

fn check_transform(v: &Value, path: &str) -> Option<RiskError> {
    if v.is_null() {
        return None;
    }
    let num: Check = check_as::<Option<f64>>;
    check_object(
        v,
        path,
        &[
            ("min", false, num),
            ("max", false, num),
            ("center", false, num),
            ("scale", false, num),
        ],
    )
}

fn check_terms(v: &Value, path: &str) -> Option<RiskError> {
    let Value::Array(items) = v else {
        return Some(spec_err(path, "must be a JSON array"));
    };
    items.iter().enumerate().find_map(|(i, t)| {
        check_object(
            t,
            &format!("{path}[{i}]"),
            &[
                ("feature", true, check_as::<String>),
                ("weight", true, check_as::<f64>),
                ("cap", false, check_as::<Option<f64>>),
                ("transform", false, check_transform),
            ],
        )
    })
}

/// Find the path of whatever made `ModelSpec` deserialisation fail.
fn locate(v: &Value) -> Option<RiskError> {
    check_object(
        v,
        "$",
        &[
            ("name", true, check_as::<String>),
            ("kind", true, check_as::<ModelKind>),
            ("intercept", false, check_as::<f64>),
            ("description", false, check_as::<Option<String>>),
            ("terms", true, check_terms),
        ],
    )
}

// ---- column access shared by the stay- and patient-level scores -----------------------------

/// Reading the columns of stay- and patient-level tables: one downcast per column, then
/// typed per-row access with row-level problems returned as stable reason codes (never
/// values); plus the rejects table and the output metadata shared by LACE, HOSPITAL, custom
/// models, tiers and cohorts.
pub(super) mod columns {
    use std::borrow::Cow;
    use std::collections::HashMap;
    use std::sync::Arc;

    use arrow_array::builder::StringBuilder;
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    use arrow_array::{
        downcast_integer, downcast_primitive, Array, ArrayRef, BooleanArray, DictionaryArray,
        Float16Array, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, Int8Array,
        LargeStringArray, NullArray, PrimitiveArray, RecordBatch, StringArray, StringViewArray,
        UInt16Array, UInt32Array, UInt64Array, UInt8Array,
    };
    use arrow_schema::{DataType, Field, Schema};

    use crate::risk::{RiskError, RowCounts};

    /// Stable reason codes for rejected rows (snake_case, as the code-based scores use).
    pub(in crate::risk) mod reason {
        /// The patient id is null.
        pub(in crate::risk) const NULL_PATIENT: &str = "null_patient";
        /// A required value is null.
        pub(in crate::risk) const NULL_VALUE: &str = "null_value";
        /// A count or measurement is below 0.
        pub(in crate::risk) const NEGATIVE: &str = "negative_value";
        /// NaN, or text that is not a number.
        pub(in crate::risk) const NOT_A_NUMBER: &str = "not_a_number";
        /// Positive or negative infinity.
        pub(in crate::risk) const NOT_FINITE: &str = "not_finite";
        /// A count held as a float with a fractional part.
        pub(in crate::risk) const NOT_WHOLE: &str = "not_whole_number";
        /// A count above 4,294,967,295.
        pub(in crate::risk) const TOO_LARGE: &str = "too_large";
        /// A flag that is not a Boolean, 0 or 1.
        pub(in crate::risk) const NOT_BOOLEAN: &str = "not_boolean";
    }

    fn arrow_err(e: arrow_schema::ArrowError) -> RiskError {
        RiskError::Arrow(e.to_string())
    }

    /// The column `name` of `batch`.
    pub(in crate::risk) fn column<'a>(
        batch: &'a RecordBatch,
        name: &str,
    ) -> Result<&'a ArrayRef, RiskError> {
        batch
            .column_by_name(name)
            .ok_or_else(|| RiskError::MissingColumn {
                column: name.to_string(),
            })
    }

    /// Which families of Arrow types a column may have.
    #[derive(Clone, Copy)]
    pub(in crate::risk) struct ColKinds {
        int: bool,
        float: bool,
        flag: bool,
        text: bool,
        expected: &'static str,
    }

    impl ColKinds {
        /// Identifiers: strings or integers.
        pub(in crate::risk) const ID: Self = Self {
            int: true,
            float: false,
            flag: false,
            text: true,
            expected: "strings or integers",
        };
        /// Labels (practice codes, bands): strings.
        pub(in crate::risk) const TEXT: Self = Self {
            int: false,
            float: false,
            flag: false,
            text: true,
            expected: "strings",
        };
        /// Counts and measurements: integers or floats.
        pub(in crate::risk) const NUMBER: Self = Self {
            int: true,
            float: true,
            flag: false,
            text: false,
            expected: "integers or floating-point numbers",
        };
        /// Model features: numbers, Booleans (1/0) or strings holding numbers.
        pub(in crate::risk) const NUMBER_OR_TEXT: Self = Self {
            int: true,
            float: true,
            flag: true,
            text: true,
            expected: "numbers, Booleans or strings holding numbers",
        };
        /// Flags: Booleans, or 0/1 integers and floats.
        pub(in crate::risk) const FLAG: Self = Self {
            int: true,
            float: true,
            flag: true,
            text: false,
            expected: "Booleans (or 0/1 numbers)",
        };
    }

    /// One column downcast to its concrete array type.
    pub(in crate::risk) enum Col<'a> {
        I8(&'a Int8Array),
        I16(&'a Int16Array),
        I32(&'a Int32Array),
        I64(&'a Int64Array),
        U8(&'a UInt8Array),
        U16(&'a UInt16Array),
        U32(&'a UInt32Array),
        U64(&'a UInt64Array),
        F16(&'a Float16Array),
        F32(&'a Float32Array),
        F64(&'a Float64Array),
        Bool(&'a BooleanArray),
        Str(&'a StringArray),
        LargeStr(&'a LargeStringArray),
        View(&'a StringViewArray),
        /// Dictionary-encoded (pandas category, polars Categorical): keys resolved once.
        Dict {
            dict: &'a dyn Array,
            keys: Vec<usize>,
            values: Box<Col<'a>>,
        },
    }

    /// One cell, borrowed where possible.
    pub(in crate::risk) enum Cell<'a> {
        Null,
        Int(i128),
        Float(f64),
        Bool(bool),
        Text(&'a str),
    }

    fn prim<T: ArrowPrimitiveType>(a: &PrimitiveArray<T>, i: usize) -> Option<T::Native> {
        a.is_valid(i).then(|| a.value(i))
    }

    impl<'a> Col<'a> {
        pub(in crate::risk) fn new(array: &'a dyn Array) -> Option<Self> {
            Some(match array.data_type() {
                DataType::Int8 => Self::I8(array.as_primitive::<Int8Type>()),
                DataType::Int16 => Self::I16(array.as_primitive::<Int16Type>()),
                DataType::Int32 => Self::I32(array.as_primitive::<Int32Type>()),
                DataType::Int64 => Self::I64(array.as_primitive::<Int64Type>()),
                DataType::UInt8 => Self::U8(array.as_primitive::<UInt8Type>()),
                DataType::UInt16 => Self::U16(array.as_primitive::<UInt16Type>()),
                DataType::UInt32 => Self::U32(array.as_primitive::<UInt32Type>()),
                DataType::UInt64 => Self::U64(array.as_primitive::<UInt64Type>()),
                DataType::Float16 => Self::F16(array.as_primitive::<Float16Type>()),
                DataType::Float32 => Self::F32(array.as_primitive::<Float32Type>()),
                DataType::Float64 => Self::F64(array.as_primitive::<Float64Type>()),
                DataType::Boolean => Self::Bool(array.as_boolean()),
                DataType::Utf8 => Self::Str(array.as_string::<i32>()),
                DataType::LargeUtf8 => Self::LargeStr(array.as_string::<i64>()),
                DataType::Utf8View => Self::View(array.as_string_view()),
                DataType::Dictionary(_, _) => {
                    let d = array.as_any_dictionary_opt()?;
                    let values = Box::new(Self::new(d.values().as_ref())?);
                    let keys = if d.values().is_empty() {
                        // No values: every key must be null; map them anywhere.
                        vec![0; array.len()]
                    } else {
                        d.normalized_keys()
                    };
                    Self::Dict {
                        dict: array,
                        keys,
                        values,
                    }
                }
                _ => return None,
            })
        }

        fn allowed(&self, k: ColKinds) -> bool {
            match self {
                Self::I8(_)
                | Self::I16(_)
                | Self::I32(_)
                | Self::I64(_)
                | Self::U8(_)
                | Self::U16(_)
                | Self::U32(_)
                | Self::U64(_) => k.int,
                Self::F16(_) | Self::F32(_) | Self::F64(_) => k.float,
                Self::Bool(_) => k.flag,
                Self::Str(_) | Self::LargeStr(_) | Self::View(_) => k.text,
                Self::Dict { values, .. } => values.allowed(k),
            }
        }

        /// Downcast the column `name`, checking its type against `kinds`.
        pub(in crate::risk) fn of(
            array: &'a ArrayRef,
            name: &str,
            kinds: ColKinds,
        ) -> Result<Self, RiskError> {
            Self::new(array.as_ref())
                .filter(|c| c.allowed(kinds))
                .ok_or_else(|| RiskError::ColumnType {
                    column: name.to_string(),
                    expected: kinds.expected,
                    found: array.data_type().to_string(),
                })
        }

        /// The cell at row `i`.
        pub(in crate::risk) fn get(&self, i: usize) -> Cell<'a> {
            let int = |v: Option<i128>| v.map_or(Cell::Null, Cell::Int);
            let float = |v: Option<f64>| v.map_or(Cell::Null, Cell::Float);
            let text = |v: Option<&'a str>| v.map_or(Cell::Null, Cell::Text);
            match self {
                Self::I8(a) => int(prim(a, i).map(i128::from)),
                Self::I16(a) => int(prim(a, i).map(i128::from)),
                Self::I32(a) => int(prim(a, i).map(i128::from)),
                Self::I64(a) => int(prim(a, i).map(i128::from)),
                Self::U8(a) => int(prim(a, i).map(i128::from)),
                Self::U16(a) => int(prim(a, i).map(i128::from)),
                Self::U32(a) => int(prim(a, i).map(i128::from)),
                Self::U64(a) => int(prim(a, i).map(i128::from)),
                Self::F16(a) => float(prim(a, i).map(|v| v.to_f64())),
                Self::F32(a) => float(prim(a, i).map(f64::from)),
                Self::F64(a) => float(prim(a, i)),
                Self::Bool(a) => a
                    .is_valid(i)
                    .then(|| a.value(i))
                    .map_or(Cell::Null, Cell::Bool),
                Self::Str(a) => text(a.is_valid(i).then(|| a.value(i))),
                Self::LargeStr(a) => text(a.is_valid(i).then(|| a.value(i))),
                Self::View(a) => text(a.is_valid(i).then(|| a.value(i))),
                Self::Dict { dict, keys, values } => {
                    if dict.is_null(i) {
                        Cell::Null
                    } else {
                        values.get(keys[i])
                    }
                }
            }
        }

        /// A number: `Ok(None)` for null; a reason code for NaN, infinity or unparsable text.
        pub(in crate::risk) fn number(&self, i: usize) -> Result<Option<f64>, &'static str> {
            let finite = |v: f64| {
                if v.is_nan() {
                    Err(reason::NOT_A_NUMBER)
                } else if v.is_infinite() {
                    Err(reason::NOT_FINITE)
                } else {
                    Ok(Some(v))
                }
            };
            match self.get(i) {
                Cell::Null => Ok(None),
                Cell::Int(v) => Ok(Some(v as f64)),
                Cell::Float(v) => finite(v),
                Cell::Bool(b) => Ok(Some(if b { 1.0 } else { 0.0 })),
                Cell::Text(s) => match s.trim().parse::<f64>() {
                    Ok(v) => finite(v),
                    Err(_) => Err(reason::NOT_A_NUMBER),
                },
            }
        }

        /// A whole non-negative count (floats must be integral: pandas turns nullable
        /// integer columns into floats).
        pub(in crate::risk) fn count(&self, i: usize) -> Result<Option<u32>, &'static str> {
            match self.get(i) {
                Cell::Null => Ok(None),
                Cell::Int(v) if v < 0 => Err(reason::NEGATIVE),
                Cell::Int(v) => u32::try_from(v).map(Some).map_err(|_| reason::TOO_LARGE),
                Cell::Float(v) if v.is_nan() => Err(reason::NOT_A_NUMBER),
                Cell::Float(v) if v < 0.0 => Err(reason::NEGATIVE),
                Cell::Float(v) if v.is_infinite() => Err(reason::NOT_FINITE),
                Cell::Float(v) if v.fract() != 0.0 => Err(reason::NOT_WHOLE),
                Cell::Float(v) if v > f64::from(u32::MAX) => Err(reason::TOO_LARGE),
                Cell::Float(v) => Ok(Some(v as u32)),
                Cell::Bool(_) | Cell::Text(_) => Err(reason::NOT_A_NUMBER),
            }
        }

        /// A flag: Booleans as is, numbers 0 and 1 as false and true.
        pub(in crate::risk) fn flag(&self, i: usize) -> Result<Option<bool>, &'static str> {
            match self.get(i) {
                Cell::Null => Ok(None),
                Cell::Bool(b) => Ok(Some(b)),
                Cell::Int(0) => Ok(Some(false)),
                Cell::Int(1) => Ok(Some(true)),
                Cell::Float(0.0) => Ok(Some(false)),
                Cell::Float(1.0) => Ok(Some(true)),
                _ => Err(reason::NOT_BOOLEAN),
            }
        }

        /// Text (integers formatted in decimal); `None` for null.
        pub(in crate::risk) fn text(&self, i: usize) -> Option<Cow<'a, str>> {
            match self.get(i) {
                Cell::Null => None,
                Cell::Text(s) => Some(Cow::Borrowed(s)),
                Cell::Int(v) => Some(Cow::Owned(v.to_string())),
                Cell::Float(v) => Some(Cow::Owned(v.to_string())),
                Cell::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            }
        }
    }

    /// Where a row is: batch, index in the batch, and zero-based row number across batches.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(in crate::risk) struct At {
        pub(in crate::risk) batch: usize,
        pub(in crate::risk) index: usize,
        pub(in crate::risk) row: usize,
    }

    /// Rows `(batch, index)` of `sources` (arrays of one type, one per batch) gathered into
    /// one array of that type. Dictionary arrays keep their encoding when the batches share
    /// the dictionary, else come out as `Utf8`.
    ///
    /// Errors: batches whose types differ; a nested type (lists, structs...).
    pub(in crate::risk) fn gather(
        sources: &[&dyn Array],
        picks: &[At],
        name: &str,
    ) -> Result<ArrayRef, RiskError> {
        let Some(first) = sources.first() else {
            return Ok(Arc::new(StringArray::from(Vec::<String>::new())));
        };
        let dt = first.data_type().clone();
        if let Some(b) = sources.iter().position(|a| a.data_type() != &dt) {
            return Err(RiskError::Arrow(format!(
                "batch {b}: column `{name}` has a different type from batch 0"
            )));
        }
        macro_rules! primitive {
            ($t:ty) => {{
                let arrs: Vec<&PrimitiveArray<$t>> =
                    sources.iter().map(|a| a.as_primitive::<$t>()).collect();
                let out: PrimitiveArray<$t> =
                    picks.iter().map(|p| prim(arrs[p.batch], p.index)).collect();
                Arc::new(out.with_data_type(dt.clone())) as ArrayRef
            }};
        }
        macro_rules! strings {
            ($arr:ty, $cast:ident $(, $o:ty)?) => {{
                let arrs: Vec<_> = sources.iter().map(|a| a.$cast$(::<$o>)?()).collect();
                let out: $arr = picks
                    .iter()
                    .map(|p| {
                        let a = arrs[p.batch];
                        a.is_valid(p.index).then(|| a.value(p.index))
                    })
                    .collect();
                Arc::new(out) as ArrayRef
            }};
        }
        Ok(downcast_primitive! {
            dt => (primitive),
            DataType::Boolean => {
                let arrs: Vec<_> = sources.iter().map(|a| a.as_boolean()).collect();
                let out: BooleanArray = picks
                    .iter()
                    .map(|p| {
                        let a = arrs[p.batch];
                        a.is_valid(p.index).then(|| a.value(p.index))
                    })
                    .collect();
                Arc::new(out) as ArrayRef
            }
            DataType::Utf8 => strings!(StringArray, as_string, i32),
            DataType::LargeUtf8 => strings!(LargeStringArray, as_string, i64),
            DataType::Utf8View => strings!(StringViewArray, as_string_view),
            DataType::Null => Arc::new(NullArray::new(picks.len())) as ArrayRef,
            DataType::Dictionary(key_type, _) => gather_dictionary(sources, picks, name, &key_type)?,
            other => {
                return Err(RiskError::ColumnType {
                    column: name.to_string(),
                    expected: "a flat type (numbers, strings, Booleans, dates, dictionaries)",
                    found: other.to_string(),
                })
            }
        })
    }

    fn gather_dictionary(
        sources: &[&dyn Array],
        picks: &[At],
        name: &str,
        key_type: &DataType,
    ) -> Result<ArrayRef, RiskError> {
        let dicts: Vec<_> = sources
            .iter()
            .filter_map(|a| a.as_any_dictionary_opt())
            .collect();
        let values = dicts[0].values();
        if dicts.iter().all(|d| Arc::ptr_eq(d.values(), values)) {
            let keys: Vec<&dyn Array> = dicts.iter().map(|d| d.keys()).collect();
            let keys = gather(&keys, picks, name)?;
            macro_rules! rebuild {
                ($k:ty) => {
                    Arc::new(
                        DictionaryArray::<$k>::try_new(
                            keys.as_primitive::<$k>().clone(),
                            values.clone(),
                        )
                        .map_err(arrow_err)?,
                    ) as ArrayRef
                };
            }
            return Ok(downcast_integer! {
                key_type => (rebuild),
                other => {
                    return Err(RiskError::Arrow(format!(
                        "column `{name}`: unsupported dictionary key type {other}"
                    )))
                }
            });
        }
        // Different dictionaries per batch: decode to text.
        let cols = sources
            .iter()
            .map(|a| {
                Col::new(*a).ok_or_else(|| RiskError::ColumnType {
                    column: name.to_string(),
                    expected: "a dictionary of strings or numbers",
                    found: a.data_type().to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut b = StringBuilder::with_capacity(picks.len(), picks.len() * 8);
        for p in picks {
            b.append_option(cols[p.batch].text(p.index));
        }
        Ok(Arc::new(b.finish()))
    }

    /// The patient id column of every batch: checked once, read as text, gathered into the
    /// output in the input's type (as the code-based scores do).
    pub(in crate::risk) struct Ids<'a> {
        name: String,
        arrays: Vec<&'a dyn Array>,
        cols: Vec<Col<'a>>,
    }

    impl<'a> Ids<'a> {
        /// Resolve column `name` in every batch (strings or integers, one type throughout).
        pub(in crate::risk) fn new(
            batches: &'a [RecordBatch],
            name: &str,
        ) -> Result<Self, RiskError> {
            let mut arrays = Vec::with_capacity(batches.len());
            let mut cols = Vec::with_capacity(batches.len());
            for (b, batch) in batches.iter().enumerate() {
                let a = column(batch, name)?;
                cols.push(Col::of(a, name, ColKinds::ID)?);
                if b > 0
                    && a.data_type()
                        != batches[0]
                            .schema()
                            .field_with_name(name)
                            .map_err(arrow_err)?
                            .data_type()
                {
                    return Err(RiskError::Arrow(format!(
                        "batch {b}: column `{name}` has a different type from batch 0"
                    )));
                }
                arrays.push(a.as_ref());
            }
            Ok(Self {
                name: name.to_string(),
                arrays,
                cols,
            })
        }

        /// The id at `at` as text, `None` when null.
        pub(in crate::risk) fn text(&self, at: At) -> Option<Cow<'a, str>> {
            self.cols[at.batch].text(at.index)
        }

        /// The ids at `picks`, in the input's Arrow type (`Utf8` when there are no batches).
        pub(in crate::risk) fn gather(&self, picks: &[At]) -> Result<ArrayRef, RiskError> {
            gather(&self.arrays, picks, &self.name)
        }
    }

    /// Rows that could not be used, with the input field and a reason code (never the value).
    #[derive(Default)]
    pub(in crate::risk) struct Rejects {
        at: Vec<At>,
        field: Vec<String>,
        reason: Vec<&'static str>,
    }

    impl Rejects {
        /// Record one rejected row.
        pub(in crate::risk) fn push(&mut self, at: At, field: &str, reason: &'static str) {
            self.at.push(at);
            self.field.push(field.to_string());
            self.reason.push(reason);
        }

        /// How many rows were rejected.
        pub(in crate::risk) fn len(&self) -> usize {
            self.at.len()
        }

        /// The rejects table: `row` (UInt64), `patient_id` (the input id type, nullable),
        /// `field` (Utf8), `reason` (Utf8).
        pub(in crate::risk) fn finish(
            self,
            ids: &Ids<'_>,
            metadata: HashMap<String, String>,
        ) -> Result<RecordBatch, RiskError> {
            // In row order, whatever order the checks found them in.
            let mut order: Vec<usize> = (0..self.at.len()).collect();
            order.sort_by_key(|&i| self.at[i].row);
            let at: Vec<At> = order.iter().map(|&i| self.at[i]).collect();
            let patient = ids.gather(&at)?;
            let row = UInt64Array::from_iter_values(at.iter().map(|a| a.row as u64));
            let field = StringArray::from_iter_values(order.iter().map(|&i| &self.field[i]));
            let reason = StringArray::from_iter_values(order.iter().map(|&i| self.reason[i]));
            record_batch(
                vec![
                    (Field::new("row", DataType::UInt64, false), Arc::new(row)),
                    (
                        Field::new("patient_id", patient.data_type().clone(), true),
                        patient,
                    ),
                    (Field::new("field", DataType::Utf8, false), Arc::new(field)),
                    (
                        Field::new("reason", DataType::Utf8, false),
                        Arc::new(reason),
                    ),
                ],
                metadata,
            )
        }
    }

    /// Schema metadata in the keys the code-based scores use: `carecoord.instrument`,
    /// `carecoord.weights`, `carecoord.version`, `carecoord.rows_in`,
    /// `carecoord.rows_rejected`, `carecoord.rows_excluded`, plus `extra`.
    pub(in crate::risk) fn metadata(
        instrument: &str,
        weights: &str,
        counts: &RowCounts,
        extra: &[(&str, String)],
    ) -> HashMap<String, String> {
        let mut m: HashMap<String, String> = [
            ("carecoord.instrument", instrument.to_string()),
            ("carecoord.weights", weights.to_string()),
            ("carecoord.version", env!("CARGO_PKG_VERSION").to_string()),
            ("carecoord.rows_in", counts.rows_in.to_string()),
            ("carecoord.rows_rejected", counts.rows_rejected.to_string()),
            ("carecoord.rows_excluded", counts.rows_excluded.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for (k, v) in extra {
            m.insert((*k).to_string(), v.clone());
        }
        m
    }

    /// A record batch from named columns and metadata.
    pub(in crate::risk) fn record_batch(
        columns: Vec<(Field, ArrayRef)>,
        metadata: HashMap<String, String>,
    ) -> Result<RecordBatch, RiskError> {
        let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
        RecordBatch::try_new(
            Arc::new(Schema::new_with_metadata(fields, metadata)),
            arrays,
        )
        .map_err(arrow_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        Array, BooleanArray, Float32Array, Float64Array, Int64Array, StringArray, UInt8Array,
    };
    use proptest::prelude::*;

    const EXAMPLE: &str = r#"{"name": "readmission-local-v1", "kind": "logistic", "intercept": -3.2,
        "terms": [{"feature": "charlson", "weight": 0.4},
                  {"feature": "age", "weight": 0.03, "transform": {"min": 18}},
                  {"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}"#;

    fn path_of(json: &str) -> String {
        match ModelSpec::from_json(json) {
            Err(RiskError::ModelSpec { path, .. }) => path,
            other => panic!("expected a ModelSpec error, got {other:?}"),
        }
    }

    fn f64s(b: &RecordBatch, name: &str) -> Vec<f64> {
        b.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .values()
            .to_vec()
    }

    #[test]
    fn example_loads_and_round_trips() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        assert_eq!(spec.kind, ModelKind::Logistic);
        assert_eq!(spec.terms.len(), 3);
        assert_eq!(spec.terms[1].transform.unwrap().min, Some(18.0));
        assert_eq!(spec.terms[2].cap, Some(5.0));
        assert_eq!(ModelSpec::from_json(&spec.to_json()).unwrap(), spec);
    }

    #[test]
    fn hand_computed_predictions() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        // charlson 2, age 70, admissions 8 (capped at 5):
        // z = -3.2 + 0.4*2 + 0.03*70 + 0.5*5 = -3.2 + 0.8 + 2.1 + 2.5 = 2.2
        // p = 1 / (1 + e^-2.2) = 1 / (1 + 0.110803) = 0.900250
        let p = spec
            .predict(&[("charlson", 2.0), ("age", 70.0), ("admissions_12m", 8.0)])
            .unwrap();
        assert!((p.linear_predictor - 2.2).abs() < 1e-12);
        assert!((p.probability.unwrap() - 0.900_249_510_880_315).abs() < 1e-12);
        // charlson 0, age 10 (floored at 18), admissions 0:
        // z = -3.2 + 0.03*18 = -3.2 + 0.54 = -2.66; p = 1/(1+e^2.66) = 1/(1+14.296289) = 0.0653753
        let p = spec
            .predict(&[("charlson", 0.0), ("age", 10.0), ("admissions_12m", 0.0)])
            .unwrap();
        assert!((p.linear_predictor - -2.66).abs() < 1e-12);
        assert!((p.probability.unwrap() - 0.065_375_333_425_573).abs() < 1e-12);
        // sigmoid(0) = 0.5; sigmoid(ln 3) = 3/4; sigmoid(-ln 3) = 1/4.
        assert_eq!(sigmoid(0.0), 0.5);
        assert!((sigmoid(3f64.ln()) - 0.75).abs() < 1e-15);
        assert!((sigmoid(-(3f64.ln())) - 0.25).abs() < 1e-15);
        // No overflow at the extremes.
        assert_eq!(sigmoid(1000.0), 1.0);
        assert_eq!(sigmoid(-1000.0), 0.0);
    }

    #[test]
    fn transform_order_clamp_center_scale() {
        let t = FeatureTransform {
            min: Some(18.0),
            max: Some(100.0),
            center: Some(65.0),
            scale: Some(10.0),
        };
        // 105 -> 100 -> 35 -> 3.5; 85 -> 20 -> 2.0; 10 -> 18 -> -47 -> -4.7
        assert_eq!(t.apply(105.0, None), 3.5);
        assert_eq!(t.apply(85.0, None), 2.0);
        assert!((t.apply(10.0, None) - -4.7).abs() < 1e-12);
        // A cap below max wins.
        assert_eq!(t.apply(105.0, Some(75.0)), 1.0);
    }

    #[test]
    fn linear_has_no_probability_column() {
        let spec = ModelSpec::from_json(
            r#"{"name": "m", "kind": "linear", "intercept": 1.5,
                "terms": [{"feature": "contacts", "weight": -0.25}]}"#,
        )
        .unwrap();
        let batch = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
            ),
            ("contacts", Arc::new(UInt8Array::from(vec![2, 10])) as _),
        ])
        .unwrap();
        let r = spec.apply(&batch).unwrap();
        assert_eq!(r.rejects.num_rows(), 0);
        assert!(r.scores.column_by_name("probability").is_none());
        // 1.5 - 0.25*2 = 1.0; 1.5 - 0.25*10 = -1.0
        assert_eq!(f64s(&r.scores, "linear_predictor"), vec![1.0, -1.0]);
        let meta = r.scores.schema().metadata().clone();
        assert_eq!(meta["carecoord.instrument"], "model");
        assert_eq!(meta["carecoord.model"], "m");
        assert_eq!(meta["carecoord.kind"], "linear");
        assert_eq!(meta["carecoord.rows_in"], "2");
        assert!(r.counts.is_balanced());
    }

    #[test]
    fn apply_rejects_name_row_and_column() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        let batch = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec![
                    Some("p0"),
                    Some("p1"),
                    None,
                    Some("p3"),
                    Some("p4"),
                ])) as ArrayRef,
            ),
            (
                "charlson",
                Arc::new(StringArray::from(vec!["2", "x", "1", "0", "3"])) as _,
            ),
            (
                "age",
                Arc::new(Float32Array::from(vec![
                    70.0,
                    80.0,
                    60.0,
                    f32::INFINITY,
                    90.0,
                ])) as _,
            ),
            (
                "admissions_12m",
                Arc::new(Int64Array::from(vec![
                    Some(8),
                    Some(0),
                    Some(0),
                    Some(1),
                    None,
                ])) as _,
            ),
        ])
        .unwrap();
        let r = spec.apply(&batch).unwrap();
        let (scores, rejects) = (r.scores, r.rejects);
        assert_eq!(scores.num_rows() + rejects.num_rows(), 5);
        assert_eq!(scores.num_rows(), 1);
        assert_eq!(
            (
                r.counts.rows_in,
                r.counts.rows_scored,
                r.counts.rows_rejected,
                r.counts.patients
            ),
            (5, 1, 4, 1)
        );
        // Row 0 as in hand_computed_predictions: z = 2.2.
        assert!((f64s(&scores, "linear_predictor")[0] - 2.2).abs() < 1e-12);
        let col = |name: &str| {
            let a = rejects.column_by_name(name).unwrap();
            let a = a.as_any().downcast_ref::<StringArray>().unwrap();
            (0..a.len())
                .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
                .collect::<Vec<_>>()
        };
        let rows = rejects
            .column_by_name("row")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::UInt64Array>()
            .unwrap()
            .values()
            .to_vec();
        assert_eq!(rows, vec![1, 2, 3, 4]);
        assert_eq!(
            col("field"),
            ["charlson", "patient_id", "age", "admissions_12m"].map(|s| Some(s.to_string()))
        );
        assert_eq!(
            col("reason"),
            ["not_a_number", "null_patient", "not_finite", "null_value"]
                .map(|s| Some(s.to_string()))
        );
        assert_eq!(col("patient_id")[1], None);
    }

    #[test]
    fn batches_match_one_batch() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        let batch = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec![
                    Some("p0"),
                    Some("p1"),
                    None,
                    Some("p3"),
                    Some("p4"),
                ])) as ArrayRef,
            ),
            (
                "charlson",
                Arc::new(StringArray::from(vec!["2", "x", "1", "0", "3"])) as _,
            ),
            (
                "age",
                Arc::new(Float64Array::from(vec![70.0, 80.0, 60.0, 10.0, 90.0])) as _,
            ),
            (
                "admissions_12m",
                Arc::new(Int64Array::from(vec![8, 0, 0, 0, 1])) as _,
            ),
        ])
        .unwrap();
        let one = spec.apply(&batch).unwrap();
        for size in 1..=5 {
            let parts: Vec<RecordBatch> = (0..5)
                .step_by(size)
                .map(|o| batch.slice(o, size.min(5 - o)))
                .collect();
            let many = spec.apply_batches(&parts).unwrap();
            assert_eq!(many.scores, one.scores, "chunks of {size}");
            assert_eq!(many.rejects, one.rejects, "chunks of {size}");
            assert_eq!(many.counts, one.counts, "chunks of {size}");
        }
        // p0 as in hand_computed_predictions (2.2); p3: -3.2 + 0.03*18 = -2.66;
        // p4: -3.2 + 0.4*3 + 0.03*90 + 0.5*1 = 1.2.
        let lp = f64s(&one.scores, "linear_predictor");
        assert_eq!(lp.len(), 3);
        for (got, want) in lp.iter().zip([2.2, -2.66, 1.2]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // Rows 1 and 2 rejected, numbered across batches.
        let rows = |r: &ScoreResult| {
            r.rejects
                .column_by_name("row")
                .unwrap()
                .as_any()
                .downcast_ref::<arrow_array::UInt64Array>()
                .unwrap()
                .values()
                .to_vec()
        };
        assert_eq!(rows(&one), vec![1, 2]);
        // A feature with another numeric type in one batch is fine; no batches: empty tables.
        let b2 = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["p9"])) as ArrayRef,
            ),
            ("charlson", Arc::new(UInt8Array::from(vec![1])) as _),
            ("age", Arc::new(UInt8Array::from(vec![50])) as _),
            ("admissions_12m", Arc::new(UInt8Array::from(vec![0])) as _),
        ])
        .unwrap();
        let r = spec.apply_batches(&[batch.clone(), b2]).unwrap();
        assert_eq!((r.counts.rows_in, r.counts.patients), (6, 4));
        let r = spec.apply_batches(&[]).unwrap();
        assert_eq!((r.scores.num_rows(), r.counts.rows_in), (0, 0));
        // Ids of another type in a later batch.
        let b3 = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(Int64Array::from(vec![9])) as ArrayRef,
            ),
            ("charlson", Arc::new(UInt8Array::from(vec![1])) as _),
            ("age", Arc::new(UInt8Array::from(vec![50])) as _),
            ("admissions_12m", Arc::new(UInt8Array::from(vec![0])) as _),
        ])
        .unwrap();
        assert!(matches!(
            spec.apply_batches(&[batch, b3]),
            Err(RiskError::Arrow(m)) if m.starts_with("batch 1:")
        ));
    }

    #[test]
    fn apply_column_errors() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        let batch = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
            ),
            ("charlson", Arc::new(Int64Array::from(vec![1])) as _),
            ("age", Arc::new(BooleanArray::from(vec![true])) as _),
        ])
        .unwrap();
        assert_eq!(
            spec.apply(&batch).unwrap_err(),
            RiskError::MissingColumn {
                column: "admissions_12m".into()
            }
        );
        let dates = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
            ),
            (
                "charlson",
                Arc::new(arrow_array::Date32Array::from(vec![1])) as _,
            ),
            ("age", Arc::new(Int64Array::from(vec![1])) as _),
            ("admissions_12m", Arc::new(Int64Array::from(vec![1])) as _),
        ])
        .unwrap();
        assert!(matches!(
            spec.apply(&dates).unwrap_err(),
            RiskError::ColumnType { column, .. } if column == "charlson"
        ));
    }

    #[test]
    fn spec_error_paths() {
        let t = |terms: &str| format!(r#"{{"name": "m", "kind": "logistic", "terms": {terms}}}"#);
        assert_eq!(path_of("{"), "$");
        assert_eq!(path_of("[]"), "$");
        assert_eq!(
            path_of(r#"{"name": "m", "kind": "probit", "terms": []}"#),
            "kind"
        );
        assert_eq!(path_of(r#"{"name": "m", "terms": []}"#), "kind");
        assert_eq!(
            path_of(r#"{"name": "m", "kind": "linear", "terms": [], "extra": 1}"#),
            "extra"
        );
        assert_eq!(path_of(&t("[]")), "terms");
        assert_eq!(path_of(&t(r#"{"a": 1}"#)), "terms");
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1}, {"feature": "b", "weight": 1},
                    {"feature": "c", "weight": "heavy"}]"#
            )),
            "terms[2].weight"
        );
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1}, {"feature": "a", "weight": 2}]"#
            )),
            "terms[1].feature"
        );
        assert_eq!(path_of(&t(r#"[{"weight": 1}]"#)), "terms[0].feature");
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1, "transform": {"min": 1, "floor": 2}}]"#
            )),
            "terms[0].transform.floor"
        );
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1, "transform": {"scale": 0}}]"#
            )),
            "terms[0].transform.scale"
        );
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1, "cap": 5, "transform": {"max": 4}}]"#
            )),
            "terms[0].cap"
        );
        assert_eq!(
            path_of(&t(
                r#"[{"feature": "a", "weight": 1, "cap": 5, "transform": {"min": 6}}]"#
            )),
            "terms[0].transform.min"
        );
        assert_eq!(
            path_of(r#"{"name": " ", "kind": "linear", "terms": [{"feature": "a", "weight": 1}]}"#),
            "name"
        );
        // Numbers outside f64 range are a JSON-level error.
        assert_eq!(path_of(&t(r#"[{"feature": "a", "weight": 1e400}]"#)), "$");
        // Messages quote the rule and the path, no values from any patient.
        let e = ModelSpec::from_json(&t(r#"[{"feature": "a", "weight": 1, "wieght": 2}]"#))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("model specification at `terms[0].wieght`: unknown field"),
            "{e}"
        );
    }

    #[test]
    fn predict_errors() {
        let spec = ModelSpec::from_json(EXAMPLE).unwrap();
        assert_eq!(
            spec.predict(&[("charlson", 1.0)]).unwrap_err(),
            RiskError::MissingColumn {
                column: "age".into()
            }
        );
        assert!(matches!(
            spec.predict(&[
                ("charlson", f64::NAN),
                ("age", 1.0),
                ("admissions_12m", 1.0)
            ]),
            Err(RiskError::InvalidOption {
                option: "features",
                ..
            })
        ));
    }

    proptest! {
        // The batch and scalar paths agree, and the probability is the sigmoid of the
        // linear predictor, within (0, 1) and increasing in it.
        #[test]
        fn batch_matches_scalar(rows in proptest::collection::vec((0u8..20, 0u8..110, 0u8..15), 1..40)) {
            let spec = ModelSpec::from_json(EXAMPLE).unwrap();
            let ids: Vec<String> = (0..rows.len()).map(|i| format!("p{i}")).collect();
            let batch = RecordBatch::try_from_iter([
                ("patient_id", Arc::new(StringArray::from(ids)) as ArrayRef),
                ("charlson", Arc::new(UInt8Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())) as _),
                ("age", Arc::new(UInt8Array::from(rows.iter().map(|r| r.1).collect::<Vec<_>>())) as _),
                ("admissions_12m", Arc::new(UInt8Array::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())) as _),
            ]).unwrap();
            let r = spec.apply(&batch).unwrap();
            let scores = r.scores;
            prop_assert_eq!(r.rejects.num_rows(), 0);
            let lp = f64s(&scores, "linear_predictor");
            let pr = f64s(&scores, "probability");
            for (i, r) in rows.iter().enumerate() {
                let p = spec.predict(&[
                    ("charlson", f64::from(r.0)),
                    ("age", f64::from(r.1)),
                    ("admissions_12m", f64::from(r.2)),
                ]).unwrap();
                prop_assert_eq!(lp[i], p.linear_predictor);
                prop_assert_eq!(Some(pr[i]), p.probability);
                prop_assert!(pr[i] > 0.0 && pr[i] < 1.0);
            }
        }
    }
}
