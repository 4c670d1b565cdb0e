//! Charlson comorbidity index and Elixhauser comorbidity measures (van Walraven weights) from
//! ICD-10 codes, with the Quan et al. 2005 coding algorithms.
//!
//! Matching (see `core/data/risk/SOURCES.md` section 0): each code is cleaned
//! ([`Icd10Code::parse`]: upper case, no dot, no white space, no dagger/asterisk mark) and
//! belongs to a category when it starts with one of the category's 3- or 4-character
//! prefixes (`I252` is myocardial infarction, `I251` is not). A category is flagged at most
//! once per patient. One code may flag several categories (Elixhauser `I13.0`: CHF and
//! complicated hypertension). Then the hierarchy (`hierarchy.csv`) zeroes the milder of a
//! pair when the severe one is present:
//!
//! | instrument | dominant | suppressed |
//! | --- | --- | --- |
//! | Charlson | `msld` | `mld` |
//! | Charlson | `diabwc` | `diab` |
//! | Charlson | `metacanc` | `canc` |
//! | Elixhauser | `hypc` | `hypunc` |
//! | Elixhauser | `diabc` | `diabunc` |
//! | Elixhauser | `metacanc` | `solidtum` |
//!
//! The per-category Boolean columns of the scores table hold the **raw** flags (condition
//! present) before the hierarchy; the score applies the hierarchy, and the explanations table
//! names the dominant category in `suppressed_by`.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field};
use rayon::prelude::*;

use super::codes::{CategorySet, CodeHead, Instrument, TABLES};
use super::explain::{self, Cats, Hit, Spec, Weights};
use super::input::{age_of, Field as InputField, LongTable, RowAt, ScoreOptions, Walk};
use super::output::{self, bool_columns, patient_array, patient_field, Meta, ScoreResult};
use super::RiskError;
use crate::ids::{Icd10Code, Icd10Error};

/// Weight set for the Charlson comorbidity index (columns of `charlson_weights.csv`).
///
/// * `Charlson1987`: Charlson ME, Pompei P, Ales KL, MacKenzie CR. *J Chronic Dis*
///   1987;40(5):373-383, weights 1, 2, 3 and 6.
/// * `Quan2011`: Quan H, Li B, Couris CM, et al. *Am J Epidemiol* 2011;173(6):676-682,
///   weights 0-6 (maximum 24); AIDS/HIV is 4 (comorbidipy 0.5.0 uses 2; see SOURCES.md).
/// * `Shmi`: the weights of the NHS England Summary Hospital-level Mortality Indicator
///   specification, applied to the **Quan 2005** categories. SHMI defines its own ICD-10
///   groups (e.g. its MI adds I23 and I25.8, its cancer group adds C44), which are not
///   vendored, so this **approximates** SHMI; it is not a faithful SHMI comorbidity score.
///
/// Parsed from `"charlson"` or `"charlson1987"`, `"quan2011"`, `"shmi"` (ASCII case ignored).
///
/// # Example
///
/// ```
/// use carecoord::risk::CharlsonWeights;
///
/// let w: CharlsonWeights = "quan2011".parse()?;
/// assert_eq!(w, CharlsonWeights::Quan2011);
/// assert_eq!(w.weight("aids"), Some(4));
/// assert_eq!(CharlsonWeights::Charlson1987.weight("aids"), Some(6));
/// assert_eq!("charlson".parse::<CharlsonWeights>()?.to_string(), "charlson1987");
/// assert!("quan".parse::<CharlsonWeights>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CharlsonWeights {
    /// Charlson et al. 1987 (1/2/3/6).
    #[default]
    Charlson1987,
    /// Quan et al. 2011 (0-6).
    Quan2011,
    /// UK SHMI weights on Quan 2005 categories (an approximation of SHMI).
    Shmi,
}

impl CharlsonWeights {
    /// The stable name (`charlson1987`, `quan2011`, `shmi`), also written to the output
    /// metadata key `carecoord.weights`.
    ///
    /// ```
    /// use carecoord::risk::CharlsonWeights;
    /// assert_eq!(CharlsonWeights::Shmi.as_str(), "shmi");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Charlson1987 => "charlson1987",
            Self::Quan2011 => "quan2011",
            Self::Shmi => "shmi",
        }
    }

    /// The weight of a Charlson category key in this set (`None` for an unknown key).
    ///
    /// ```
    /// use carecoord::risk::CharlsonWeights;
    /// assert_eq!(CharlsonWeights::Shmi.weight("diabwc"), Some(-1));
    /// assert_eq!(CharlsonWeights::Quan2011.weight("mi"), Some(0));
    /// ```
    pub fn weight(self, key: &str) -> Option<i32> {
        let t = &TABLES.charlson;
        t.position(key).map(|i| self.weights()[i])
    }

    fn weights(self) -> &'static [i32] {
        TABLES.charlson.weights(self.as_str())
    }
}

impl fmt::Display for CharlsonWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CharlsonWeights {
    type Err = RiskError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "charlson" | "charlson1987" => Ok(Self::Charlson1987),
            "quan2011" => Ok(Self::Quan2011),
            "shmi" => Ok(Self::Shmi),
            _ => Err(RiskError::InvalidOption {
                option: "weights",
                reason: "expected `charlson1987` (or `charlson`), `quan2011` or `shmi`".into(),
            }),
        }
    }
}

/// One patient's Charlson result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharlsonScore {
    /// `comorbidity_score + age_points` (age points 0 when no age was given).
    pub score: i32,
    /// Sum of the weights of the categories that count after the hierarchy.
    pub comorbidity_score: i32,
    /// Charlson 1994 age points, when an age was given.
    pub age_points: Option<i32>,
    /// Categories present (raw flags, before the hierarchy).
    pub present: CategorySet,
    /// Categories that count (after the hierarchy).
    pub counted: CategorySet,
}

/// One patient's Elixhauser result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElixhauserScore {
    /// van Walraven 2009 weighted total after the hierarchy; may be negative.
    pub score: i32,
    /// Categories present (raw flags, before the hierarchy).
    pub present: CategorySet,
    /// Categories that count (after the hierarchy).
    pub counted: CategorySet,
}

/// Age points of the combined age-comorbidity index (Charlson M, Szatrowski TP, Peterson J,
/// Gold J. *J Clin Epidemiol* 1994;47(11):1245-1251; `charlson_age_points.csv`): under 50: 0,
/// 50-59: 1, 60-69: 2, 70-79: 3, 80 and over: 4. The age is in whole years at the index date.
///
/// # Example
///
/// ```
/// use carecoord::risk::charlson_age_points;
/// assert_eq!(charlson_age_points(49), 0);
/// assert_eq!(charlson_age_points(50), 1);
/// assert_eq!(charlson_age_points(80), 4);
/// ```
pub fn charlson_age_points(age: u32) -> i32 {
    TABLES.age_points(age)
}

/// The union of the category masks of some codes.
fn present_of<S: AsRef<str>>(instrument: Instrument, codes: &[S]) -> Result<u64, Icd10Error> {
    let index = &instrument.table().index;
    codes.iter().try_fold(0u64, |acc, c| {
        Icd10Code::parse(c.as_ref()).map(|code| acc | u64::from(index.lookup(&code)))
    })
}

fn charlson_of(present: u64, weights: &[i32], age: Option<u32>) -> CharlsonScore {
    let t = &TABLES.charlson;
    let comorbidity_score = t.score(weights, present);
    let age_points = age.map(|a| TABLES.age_points(a));
    CharlsonScore {
        score: comorbidity_score + age_points.unwrap_or(0),
        comorbidity_score,
        age_points,
        present: CategorySet::new(Instrument::Charlson, present),
        counted: CategorySet::new(Instrument::Charlson, t.counted(present)),
    }
}

fn elixhauser_of(present: u64, weights: &[i32]) -> ElixhauserScore {
    let t = &TABLES.elixhauser;
    ElixhauserScore {
        score: t.score(weights, present),
        present: CategorySet::new(Instrument::Elixhauser, present),
        counted: CategorySet::new(Instrument::Elixhauser, t.counted(present)),
    }
}

/// Charlson comorbidity index of one patient's ICD-10 codes, without Arrow.
///
/// Quan et al. 2005 ICD-10 coding (*Med Care* 2005;43(11):1130-1139), the chosen
/// [`CharlsonWeights`], the three Charlson hierarchy rules, and, when `age` is given,
/// Charlson 1994 age points ([`charlson_age_points`]). Duplicate codes are harmless.
///
/// # Errors
///
/// The first code that cannot be cleaned, as an [`Icd10Error`].
///
/// # Example
///
/// ```
/// use carecoord::risk::{charlson_for_codes, CharlsonWeights};
///
/// // Worked example E02 (risk_examples.csv): MI, CHF and diabetes; I25.1 is not MI.
/// let s = charlson_for_codes(&["I21.4", "I50.0", "E11.9", "I25.1"], CharlsonWeights::Charlson1987, Some(72))?;
/// assert_eq!((s.comorbidity_score, s.age_points, s.score), (3, Some(3), 6));
/// assert!(charlson_for_codes(&["I2.14"], CharlsonWeights::Quan2011, None).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn charlson_for_codes<S: AsRef<str>>(
    codes: &[S],
    weights: CharlsonWeights,
    age: Option<u32>,
) -> Result<CharlsonScore, Icd10Error> {
    let present = present_of(Instrument::Charlson, codes)?;
    Ok(charlson_of(present, weights.weights(), age))
}

/// Elixhauser comorbidity score of one patient's ICD-10 codes with van Walraven weights,
/// without Arrow.
///
/// 31 categories coded in ICD-10 by Quan et al. 2005 (*Med Care* 2005;43(11):1130-1139,
/// after Elixhauser et al., *Med Care* 1998;36(1):8-27), weights of van Walraven C, Austin PC,
/// Jennings A, Quan H, Forster AJ, *Med Care* 2009;47(6):626-633 (`elixhauser_weights.csv`,
/// -7 to 12), the three Elixhauser hierarchy rules. Totals may be negative and are **not**
/// clipped (comorbidipy 0.5.0 clips them to 0; the R `comorbidity` package and pycomorb do
/// not).
///
/// # Errors
///
/// The first code that cannot be cleaned, as an [`Icd10Error`].
///
/// # Example
///
/// ```
/// use carecoord::risk::elixhauser_for_codes;
///
/// // Worked example E07: AIDS (0), depression (-3), drug abuse (-7).
/// assert_eq!(elixhauser_for_codes(&["B20.1", "F32.1", "F11.2"])?.score, -10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn elixhauser_for_codes<S: AsRef<str>>(codes: &[S]) -> Result<ElixhauserScore, Icd10Error> {
    let present = present_of(Instrument::Elixhauser, codes)?;
    Ok(elixhauser_of(
        present,
        TABLES.elixhauser.weights("van_walraven2009"),
    ))
}

/// Charlson comorbidity index for every patient of a long-format table.
///
/// Sources as for [`charlson_for_codes`]: Quan 2005 ICD-10 categories, the chosen weights
/// ([`CharlsonWeights`]; `Shmi` is an approximation of SHMI), the three hierarchy rules, and
/// optional Charlson 1994 age points when [`LongInput::age`](crate::risk::LongInput::age) is
/// set.
///
/// **Scores table**, one row per patient in order of first appearance (a patient whose rows
/// are all rejected or excluded still has a row, with no category):
///
/// | column | type | content |
/// | --- | --- | --- |
/// | `patient_id` | input type | the patient |
/// | `score` | `Int32` | total; with an age column: comorbidity + age points, null when the patient has no age |
/// | `comorbidity_score` | `Int32` | with an age column only: the weighted categories after the hierarchy |
/// | `age_points` | `Int32`, nullable | with an age column only: Charlson 1994 points, null when no age |
/// | `mi`, `chf`, ... `aids` | `Boolean` | 17 raw flags (before the hierarchy), in `categories.csv` order |
///
/// Age: the first non-null value of the age column over all of the patient's rows (rows
/// rejected for their code or excluded by the window included: age belongs to the patient,
/// not to the event); later rows that disagree are ignored. A negative age rejects its row
/// (reason `negative_age`). A patient with no age on any row gets a null `score` and
/// `age_points`: the age-adjusted total is unknown, not zero.
///
/// Rejects, window and metadata: see [`ScoreResult`] and
/// [`ScoreOptions`](crate::risk::ScoreOptions). Metadata: `carecoord.instrument` =
/// `charlson`, `carecoord.weights` = the weight set, `carecoord.mapping` = `quan2005`,
/// `carecoord.age_points` = `charlson1994` or `none`; with `Shmi`, `carecoord.note` says
/// that the score approximates SHMI.
///
/// # Errors
///
/// [`RiskError::MissingColumn`], [`RiskError::ColumnType`], [`RiskError::InvalidOption`] (a
/// window without a date column), [`RiskError::Arrow`] (batches whose column types differ,
/// or more than 4,294,967,294 rows in one call).
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Array, Int32Array, RecordBatch, StringArray, UInt8Array};
/// use carecoord::risk::{charlson, CharlsonWeights, LongInput, ScoreOptions};
///
/// let batch = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["a", "a", "b", "b"])) as _),
///     ("code", Arc::new(StringArray::from(vec![Some("I21.4"), Some("e11.9"), Some("I25.1"), None])) as _),
///     ("age", Arc::new(UInt8Array::from(vec![72, 72, 45, 45])) as _),
/// ])?;
/// let opts = ScoreOptions {
///     columns: LongInput { age: Some("age"), ..LongInput::default() },
///     ..ScoreOptions::default()
/// };
/// let r = charlson(&[batch], CharlsonWeights::Charlson1987, &opts)?;
/// let score = r.scores.column_by_name("score").unwrap();
/// let score = score.as_any().downcast_ref::<Int32Array>().unwrap();
/// assert_eq!(score.values(), &[5, 0]); // a: MI 1 + diabetes 1 + age 3; b: nothing
/// assert_eq!(r.rejects.num_rows(), 1); // b's null code
/// assert_eq!(r.scores.schema().metadata()["carecoord.weights"], "charlson1987");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn charlson(
    batches: &[RecordBatch],
    weights: CharlsonWeights,
    opts: &ScoreOptions<'_>,
) -> Result<ScoreResult, RiskError> {
    let mut extra = vec![
        ("carecoord.mapping", "quan2005".to_owned()),
        (
            "carecoord.age_points",
            if opts.columns.age.is_some() {
                "charlson1994"
            } else {
                "none"
            }
            .to_owned(),
        ),
    ];
    if weights == CharlsonWeights::Shmi {
        extra.push((
            "carecoord.note",
            "SHMI weights applied to Quan 2005 categories: an approximation of SHMI, whose own \
             ICD-10 groups differ"
                .to_owned(),
        ));
    }
    score_batches(
        batches,
        opts,
        Instrument::Charlson,
        weights.as_str(),
        Meta {
            instrument: "charlson",
            weights: weights.as_str(),
            extra,
        },
    )
}

/// Elixhauser comorbidity score (van Walraven weights) for every patient of a long-format
/// table.
///
/// Sources as for [`elixhauser_for_codes`]: Quan 2005 ICD-10 coding of the 31 Elixhauser
/// categories, van Walraven 2009 weights, the three hierarchy rules; negative totals are kept.
/// [`LongInput::age`](crate::risk::LongInput::age) is ignored.
///
/// **Scores table**, one row per patient in order of first appearance: `patient_id` (input
/// type), `score` (`Int32`), then 31 `Boolean` raw flags (`chf`, `carit`, ... `depre`, before
/// the hierarchy, in `categories.csv` order). Metadata: `carecoord.instrument` =
/// `elixhauser`, `carecoord.weights` = `van_walraven2009`, `carecoord.mapping` = `quan2005`.
///
/// # Errors
///
/// As [`charlson`].
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Array, BooleanArray, Int32Array, Int64Array, RecordBatch, StringArray};
/// use carecoord::risk::{elixhauser, ScoreOptions};
///
/// let batch = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(Int64Array::from(vec![10, 10, 11])) as _),
///     ("code", Arc::new(StringArray::from(vec!["C78.7", "C18.7", "F11.2"])) as _),
/// ])?;
/// let r = elixhauser(&[batch], &ScoreOptions { explain: true, ..ScoreOptions::default() })?;
/// let score = r.scores.column_by_name("score").unwrap();
/// let score = score.as_any().downcast_ref::<Int32Array>().unwrap();
/// assert_eq!(score.values(), &[12, -7]); // metastatic cancer suppresses solid tumour; drug abuse
/// let solid = r.scores.column_by_name("solidtum").unwrap();
/// assert!(solid.as_any().downcast_ref::<BooleanArray>().unwrap().value(0)); // raw flag kept
/// assert_eq!(r.explanations.unwrap().num_rows(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn elixhauser(
    batches: &[RecordBatch],
    opts: &ScoreOptions<'_>,
) -> Result<ScoreResult, RiskError> {
    let mut opts = *opts;
    opts.columns.age = None;
    score_batches(
        batches,
        &opts,
        Instrument::Elixhauser,
        "van_walraven2009",
        Meta {
            instrument: "elixhauser",
            weights: "van_walraven2009",
            extra: vec![("carecoord.mapping", "quan2005".to_owned())],
        },
    )
}

/// The shared batch path of Charlson and Elixhauser.
fn score_batches(
    batches: &[RecordBatch],
    opts: &ScoreOptions<'_>,
    instrument: Instrument,
    weight_set: &str,
    meta: Meta,
) -> Result<ScoreResult, RiskError> {
    let t = instrument.table();
    let weights = t.weights(weight_set);
    let table = LongTable::new(batches, &opts.columns, opts.window.as_ref())?;
    let with_age = table.has_age();

    let explain = opts.explain;
    let parse = |s: &str| CodeHead::parse(s).map(|h| t.index.lookup_head(h));
    // Without explanations: one fused parallel pass over sorted input, else a parallel
    // grouped fold; explanations go through the walk.
    let folded = if explain {
        None
    } else {
        let add = |a: &mut u32, m| *a |= m;
        Some(
            table
                .fold_sorted(parse, add, |a, b| *a |= b)
                .unwrap_or_else(|| table.fold_grouped(parse, add)),
        )
    };
    let (walk, ids, masks, ages, hits) = match folded {
        Some(f) => {
            let ids = f.patient_array(&table);
            let masks = f.map(|&m, _| m);
            let ages = if with_age {
                f.map(|_, age| age)
            } else {
                Vec::new()
            };
            (f.walk, ids, masks, ages, Vec::new())
        }
        None => {
            let (walk, mut masks, mut ages, hits) = walk_masks(&table, parse, explain, with_age);
            let n = walk.patients.len();
            masks.resize(n, 0);
            ages.resize(n, None);
            let ids = patient_array(&table, &walk.patients);
            (walk, ids, masks, ages, hits)
        }
    };
    let n = walk.counts.patients;

    let metadata = meta.to_map(&walk.counts, opts.window.as_ref());
    let mut cols: Vec<(Field, ArrayRef)> = vec![(patient_field(&table, false), ids)];
    let score = t.scorer(weights);
    let comorbidity: Vec<i32> = masks.par_iter().map(|&m| score(u64::from(m))).collect();
    if with_age {
        let age_points = TABLES.age_pointer();
        let points: Vec<i32> = ages.par_iter().map(|a| a.map_or(0, &age_points)).collect();
        let total: Vec<i32> = comorbidity
            .par_iter()
            .zip(points.par_iter())
            .map(|(c, p)| c + p)
            .collect();
        // Null total and points for a patient with no age.
        let known = ages
            .par_iter()
            .any(Option::is_none)
            .then(|| NullBuffer::new(ages.iter().map(Option::is_some).collect()));
        cols.push((
            Field::new("score", DataType::Int32, true),
            Arc::new(Int32Array::new(total.into(), known.clone())),
        ));
        cols.push((
            Field::new("comorbidity_score", DataType::Int32, false),
            Arc::new(Int32Array::from(comorbidity)),
        ));
        cols.push((
            Field::new("age_points", DataType::Int32, true),
            Arc::new(Int32Array::new(points.into(), known)),
        ));
    } else {
        cols.push((
            Field::new("score", DataType::Int32, false),
            Arc::new(Int32Array::from(comorbidity)),
        ));
    }
    let flags = bool_columns(n, t.keys.len(), |p| u128::from(masks[p]));
    for (key, flag) in t.keys.iter().zip(flags) {
        cols.push((Field::new(*key, DataType::Boolean, false), flag));
    }
    let scores = output::batch(cols, metadata.clone())?;
    let rejects = output::rejects_batch(&table, &walk, metadata.clone())?;
    let explanations = if explain {
        let suppressed_by = |present: u128, cat: usize| t.suppressed_by(present as u64, cat);
        let spec = Spec {
            cats: Cats::Mask,
            keys: &t.keys,
            labels: Some(&t.labels),
            weights: Weights::Points(weights),
            suppressed_by: &suppressed_by,
        };
        Some(explain::explanations(&table, &walk, hits, &spec, metadata)?)
    } else {
        None
    };
    Ok(ScoreResult {
        scores,
        rejects,
        explanations,
        counts: walk.counts,
    })
}

/// The general walk of [`score_batches`] (unsorted input, or explanations wanted): category
/// masks, first ages and, with `explain`, the rows that hit a category.
fn walk_masks<'b>(
    table: &LongTable<'b>,
    parse: impl Fn(&'b str) -> Result<u32, &'static str> + Sync,
    explain: bool,
    with_age: bool,
) -> (Walk, Vec<u32>, Vec<Option<u32>>, Vec<Hit>) {
    let mut masks: Vec<u32> = Vec::new();
    let mut ages: Vec<Option<u32>> = Vec::new();
    let mut hits: Vec<Hit> = Vec::new();
    let mut visit = |at: RowAt, p: u32, m: u32, _date: Option<i32>| {
        if m != 0 {
            let i = p as usize;
            if i >= masks.len() {
                masks.resize(i + 1, 0);
            }
            masks[i] |= m;
            if explain {
                if let Some(code) = table.code_at(at).and_then(|s| Icd10Code::parse(s).ok()) {
                    hits.push(Hit {
                        row: at.row,
                        patient: p,
                        cats: m,
                        code,
                    });
                }
            }
        }
    };
    let walk = if with_age {
        let check = |at: RowAt, p: u32| {
            let i = p as usize;
            if i >= ages.len() {
                ages.resize(i + 1, None);
            }
            match table.age(at) {
                Some(a) if a < 0 => Err((InputField::Age, "negative_age")),
                Some(a) => {
                    ages[i].get_or_insert(age_of(a));
                    Ok(())
                }
                None => Ok(()),
            }
        };
        table.walk(parse, check, &mut visit)
    } else {
        table.walk(parse, |_, _| Ok(()), &mut visit)
    };
    (walk, masks, ages, hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::codes::csv;
    use crate::risk::{LongInput, Window};
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int32Type, Int64Type, UInt64Type};
    use arrow_array::{
        Array, BooleanArray, Date32Array, Int64Array, LargeStringArray, StringArray,
        StringViewArray, UInt16Array,
    };
    use chrono::NaiveDate;
    use proptest::prelude::*;

    const EXAMPLES: &str = include_str!("../../data/risk/risk_examples.csv");

    fn w1987(codes: &[&str], age: Option<u32>) -> CharlsonScore {
        charlson_for_codes(codes, CharlsonWeights::Charlson1987, age).unwrap()
    }

    fn elix(codes: &[&str]) -> ElixhauserScore {
        elixhauser_for_codes(codes).unwrap()
    }

    fn sorted_keys(s: &CategorySet) -> String {
        let mut k: Vec<_> = s.keys().collect();
        k.sort_unstable();
        k.join(";")
    }

    /// A long-format batch: patient (Utf8), code (Utf8, nullable), optional age (UInt16) and
    /// date (Date32) columns.
    fn long(
        patients: &[Option<&str>],
        codes: &[Option<&str>],
        ages: Option<&[Option<u16>]>,
        dates: Option<&[Option<i32>]>,
    ) -> RecordBatch {
        let mut cols: Vec<(&str, ArrayRef)> = vec![
            ("patient_id", Arc::new(StringArray::from(patients.to_vec()))),
            ("code", Arc::new(StringArray::from(codes.to_vec()))),
        ];
        if let Some(a) = ages {
            cols.push(("age", Arc::new(UInt16Array::from(a.to_vec()))));
        }
        if let Some(d) = dates {
            cols.push(("date", Arc::new(Date32Array::from(d.to_vec()))));
        }
        RecordBatch::try_from_iter(cols).unwrap()
    }

    fn ints(b: &RecordBatch, name: &str) -> Vec<Option<i32>> {
        b.column_by_name(name)
            .unwrap()
            .as_primitive::<Int32Type>()
            .iter()
            .collect()
    }

    fn strs(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
        b.column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .iter()
            .map(|s| s.map(str::to_owned))
            .collect()
    }

    fn flag(b: &RecordBatch, name: &str) -> Vec<bool> {
        b.column_by_name(name)
            .unwrap()
            .as_boolean()
            .iter()
            .map(|v| v.unwrap())
            .collect()
    }

    /// Rows of risk_examples.csv: (id, age, codes, c1987+age, quan2011, vw, hfrs, c cats, e cats).
    type Example = (
        &'static str,
        u32,
        Vec<&'static str>,
        i32,
        i32,
        i32,
        &'static str,
        &'static str,
    );
    fn examples() -> Vec<Example> {
        let (header, rows) = csv(EXAMPLES);
        assert_eq!(
            header[..9],
            [
                "example_id",
                "age",
                "codes",
                "charlson1987_with_age",
                "charlson_quan2011",
                "elixhauser_vw2009",
                "hfrs",
                "charlson_categories",
                "elixhauser_categories"
            ]
        );
        rows.into_iter()
            .map(|r| {
                let codes = r[2].split(';').filter(|c| !c.is_empty()).collect();
                (
                    r[0],
                    r[1].parse().unwrap(),
                    codes,
                    r[3].parse().unwrap(),
                    r[4].parse().unwrap(),
                    r[5].parse().unwrap(),
                    r[7],
                    r[8],
                )
            })
            .collect()
    }

    // Spec table: every row of core/data/risk/risk_examples.csv (worked examples, checked by
    // hand, from the CSVs alone, and against pycomorb 1.20261001.1; SOURCES.md section 6).
    #[test]
    fn risk_examples_scalar() {
        let ex = examples();
        assert_eq!(ex.len(), 13);
        for (id, age, codes, c87, q11, vw, ccats, ecats) in ex {
            let c = w1987(&codes, Some(age));
            assert_eq!(c.score, c87, "{id} charlson1987 with age");
            let q = charlson_for_codes(&codes, CharlsonWeights::Quan2011, None).unwrap();
            assert_eq!(q.score, q11, "{id} quan2011");
            assert_eq!(q.age_points, None);
            let e = elix(&codes);
            assert_eq!(e.score, vw, "{id} van Walraven");
            assert_eq!(sorted_keys(&c.counted), ccats, "{id} charlson categories");
            assert_eq!(sorted_keys(&e.counted), ecats, "{id} elixhauser categories");
        }
    }

    // The same examples through the Arrow path, as one long table (one patient per example;
    // E13 has no codes and is given as one row with a null code, which is a reject).
    #[test]
    fn risk_examples_batch() {
        let ex = examples();
        let (mut p, mut c, mut a) = (vec![], vec![], vec![]);
        for (id, age, codes, ..) in &ex {
            if codes.is_empty() {
                p.push(Some(*id));
                c.push(None);
                a.push(Some(*age as u16));
            }
            for code in codes {
                p.push(Some(*id));
                c.push(Some(*code));
                a.push(Some(*age as u16));
            }
        }
        let b = long(&p, &c, Some(&a), None);
        let opts = ScoreOptions {
            columns: LongInput {
                age: Some("age"),
                ..LongInput::default()
            },
            ..ScoreOptions::default()
        };
        let r87 = charlson(
            std::slice::from_ref(&b),
            CharlsonWeights::Charlson1987,
            &opts,
        )
        .unwrap();
        let rq = charlson(
            std::slice::from_ref(&b),
            CharlsonWeights::Quan2011,
            &ScoreOptions::default(),
        )
        .unwrap();
        let re = elixhauser(&[b], &opts).unwrap();
        let want87: Vec<_> = ex.iter().map(|e| Some(e.3)).collect();
        let wantq: Vec<_> = ex.iter().map(|e| Some(e.4)).collect();
        let wante: Vec<_> = ex.iter().map(|e| Some(e.5)).collect();
        assert_eq!(ints(&r87.scores, "score"), want87);
        assert_eq!(ints(&rq.scores, "score"), wantq);
        assert_eq!(ints(&re.scores, "score"), wante);
        let ids: Vec<_> = ex.iter().map(|e| Some(e.0.to_owned())).collect();
        assert_eq!(strs(&r87.scores, "patient_id"), ids);
        assert_eq!(r87.rejects.num_rows(), 1);
        assert_eq!(strs(&r87.rejects, "reason"), [Some("null_code".to_owned())]);
        // Elixhauser ignores the age column: no age columns in its output.
        assert!(re.scores.column_by_name("age_points").is_none());
    }

    #[test]
    fn every_category_once() {
        // One code per category, generated from the mapping CSVs (first prefix, plus a
        // fourth character "9" when the prefix has three): each flags its category, and when it
        // flags nothing else the score is that category's weight.
        for instrument in [Instrument::Charlson, Instrument::Elixhauser] {
            let t = instrument.table();
            for (cat, key) in t.keys.iter().enumerate() {
                let prefix = t.prefixes.iter().find(|p| p.0 == cat).unwrap().1;
                let code = if prefix.len() == 3 {
                    format!("{prefix}9")
                } else {
                    prefix.to_owned()
                };
                let (present, score, weights) = match instrument {
                    Instrument::Charlson => {
                        let s = w1987(&[&code], None);
                        (s.present, s.score, CharlsonWeights::Charlson1987.weights())
                    }
                    Instrument::Elixhauser => {
                        let s = elix(&[&code]);
                        (s.present, s.score, t.weights("van_walraven2009"))
                    }
                };
                assert!(present.contains(key), "{code} -> {key}");
                if present.len() == 1 {
                    assert_eq!(score, weights[cat], "{code}");
                }
            }
        }
    }

    #[test]
    fn hierarchy_rules_charlson() {
        // hierarchy.csv; weights from charlson_weights.csv (Charlson 1987).
        // msld (3) over mld (1): K72.1 + K70.3 -> 3, not 4.
        let s = w1987(&["K72.1", "K70.3"], None);
        assert_eq!(s.score, 3);
        assert!(s.present.contains("mld") && !s.counted.contains("mld"));
        // diabwc (2) over diab (1): E11.2 + E11.9 -> 2.
        let s = w1987(&["E11.2", "E11.9"], None);
        assert_eq!(s.score, 2);
        assert_eq!(s.counted.keys().collect::<Vec<_>>(), ["diabwc"]);
        // metacanc (6) over canc (2): C78.7 + C18.7 -> 6.
        let s = w1987(&["C78.7", "C18.7"], None);
        assert_eq!(s.score, 6);
        assert_eq!(s.counted.keys().collect::<Vec<_>>(), ["metacanc"]);
        // The milder form alone still counts.
        assert_eq!(w1987(&["K70.3"], None).score, 1);
        assert_eq!(w1987(&["E11.9"], None).score, 1);
        assert_eq!(w1987(&["C18.7"], None).score, 2);
        // SHMI: diabwc is -1 and diab 3; with both, only -1 counts.
        let s = charlson_for_codes(&["E11.2", "E11.9"], CharlsonWeights::Shmi, None).unwrap();
        assert_eq!(s.score, -1);
    }

    #[test]
    fn hierarchy_rules_elixhauser() {
        // hypc over hypunc: I13.0 flags chf (7) and hypc (0); I10 (hypunc, 0) is zeroed.
        let s = elix(&["I13.0", "I10"]);
        assert_eq!(s.score, 7);
        assert!(s.present.contains("hypunc") && !s.counted.contains("hypunc"));
        // diabc over diabunc (both 0).
        let s = elix(&["E11.2", "E11.9"]);
        assert_eq!(s.counted.keys().collect::<Vec<_>>(), ["diabc"]);
        assert_eq!(s.score, 0);
        // metacanc (12) over solidtum (4): 12, not 16.
        let s = elix(&["C78.7", "C18.7"]);
        assert_eq!(s.score, 12);
        assert_eq!(s.counted.keys().collect::<Vec<_>>(), ["metacanc"]);
        assert_eq!(elix(&["C18.7"]).score, 4);
    }

    #[test]
    fn multi_category_codes() {
        // SOURCES.md section 0: codes intended to flag two Elixhauser categories.
        for (code, cats) in [
            ("I11.0", ["chf", "hypc"]),
            ("I13.0", ["chf", "hypc"]),
            ("I13.2", ["chf", "hypc"]),
            ("I12.0", ["hypc", "rf"]),
            ("I13.1", ["hypc", "rf"]),
            ("G11.4", ["para", "ond"]),
            ("I27.8", ["pcd", "cpd"]),
            ("I27.9", ["pcd", "cpd"]),
            ("I42.6", ["chf", "alcohol"]),
            ("K70.0", ["ld", "alcohol"]),
            ("K70.3", ["ld", "alcohol"]),
            ("K70.9", ["ld", "alcohol"]),
            ("F20.4", ["psycho", "depre"]),
            ("F31.5", ["psycho", "depre"]),
        ] {
            let s = elix(&[code]);
            assert_eq!(s.present.len(), 2, "{code}");
            for c in cats {
                assert!(s.present.contains(c), "{code} {c}");
            }
        }
        // No code falls in two Charlson categories.
        let t = &TABLES.charlson;
        for &(_, p) in &t.prefixes {
            let code = Icd10Code::parse(p).unwrap();
            assert_eq!(t.index.lookup(&code).count_ones(), 1, "{p}");
        }
    }

    #[test]
    fn prefix_edge_cases() {
        // I25.2 is in the Quan 2005 MI list; I25.1 is not.
        for mi in [
            "I252",
            "I25.2",
            "i25.2",
            " i25.2 ",
            "I21.4\u{2020}",
            "I21.4*",
            "I21",
            "I219X",
        ] {
            assert!(w1987(&[mi], None).present.contains("mi"), "{mi}");
        }
        for not_mi in ["I251", "I25.1", "I25", "I20.0"] {
            assert!(!w1987(&[not_mi], None).present.contains("mi"), "{not_mi}");
        }
        // Dagger/asterisk pairs: B20.1 (dagger) flags AIDS.
        assert!(w1987(&["B20.1\u{2020}"], None).present.contains("aids"));
        assert_eq!(
            charlson_for_codes(&["I21.4", "I2.14"], CharlsonWeights::Charlson1987, None),
            Err(Icd10Error::MisplacedDot)
        );
    }

    #[test]
    fn weight_sets() {
        // charlson_weights.csv / SOURCES.md section 2: AIDS 6 (1987), 4 (Quan 2011), 2 (SHMI).
        let aids = ["B20"];
        let s = |w| charlson_for_codes(&aids, w, None).unwrap().score;
        assert_eq!(s(CharlsonWeights::Charlson1987), 6);
        assert_eq!(s(CharlsonWeights::Quan2011), 4);
        assert_eq!(s(CharlsonWeights::Shmi), 2);
        // Full columns, in file order (SOURCES.md restates the SHMI values).
        let keys = Instrument::Charlson.keys();
        let col = |w: CharlsonWeights| {
            keys.iter()
                .map(|k| w.weight(k).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            col(CharlsonWeights::Charlson1987),
            [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 6, 6]
        );
        assert_eq!(
            col(CharlsonWeights::Quan2011),
            [0, 2, 0, 0, 2, 1, 1, 0, 2, 0, 1, 2, 1, 2, 4, 6, 4]
        );
        assert_eq!(
            col(CharlsonWeights::Shmi),
            [5, 13, 6, 11, 14, 4, 4, 9, 8, 3, -1, 1, 10, 8, 18, 14, 2]
        );
        // Quan 2011 maximum is 24 (all categories, after the hierarchy).
        assert_eq!(
            TABLES
                .charlson
                .score(CharlsonWeights::Quan2011.weights(), (1 << 17) - 1),
            24
        );
        assert_eq!(CharlsonWeights::Charlson1987.weight("nope"), None);
        for (s, w) in [
            ("charlson", CharlsonWeights::Charlson1987),
            ("Charlson1987", CharlsonWeights::Charlson1987),
            ("quan2011", CharlsonWeights::Quan2011),
            ("SHMI", CharlsonWeights::Shmi),
        ] {
            assert_eq!(s.parse::<CharlsonWeights>().unwrap(), w);
        }
        assert!(matches!(
            "vw".parse::<CharlsonWeights>(),
            Err(RiskError::InvalidOption {
                option: "weights",
                ..
            })
        ));
    }

    #[test]
    fn age_point_boundaries() {
        // charlson_age_points.csv (Charlson 1994).
        for (age, pts) in [
            (49, 0),
            (50, 1),
            (59, 1),
            (60, 2),
            (69, 2),
            (70, 3),
            (79, 3),
            (80, 4),
        ] {
            assert_eq!(charlson_age_points(age), pts, "{age}");
            let s = w1987(&["I21"], Some(age));
            assert_eq!(
                (s.score, s.comorbidity_score, s.age_points),
                (1 + pts, 1, Some(pts))
            );
        }
        assert_eq!(w1987(&[] as &[&str], None).score, 0);
    }

    #[test]
    fn negative_elixhauser_totals_kept() {
        // van Walraven: drug -7, obesity -4, depression -3, deficiency anaemia -2.
        assert_eq!(elix(&["F11.2"]).score, -7);
        assert_eq!(elix(&["F11.2", "E66.0", "F32.1", "D50.0"]).score, -16);
        let b = long(&[Some("p")], &[Some("F11.2")], None, None);
        let r = elixhauser(&[b], &ScoreOptions::default()).unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(-7)]);
    }

    #[test]
    fn rejects_and_all_rejected_patient() {
        let b = long(
            &[Some("a"), None, Some("b"), Some("b"), Some("a"), Some("c")],
            &[
                Some("I21"),
                Some("I50"),
                None,
                Some("I2.14"),
                Some("??"),
                Some("I10"),
            ],
            None,
            None,
        );
        let r = charlson(
            &[b],
            CharlsonWeights::Charlson1987,
            &ScoreOptions::default(),
        )
        .unwrap();
        assert_eq!(
            strs(&r.scores, "patient_id"),
            [Some("a".into()), Some("b".into()), Some("c".into())]
        );
        // b's rows are all rejected: still a row, score 0.
        assert_eq!(ints(&r.scores, "score"), [Some(1), Some(0), Some(0)]);
        let rows: Vec<_> = r
            .rejects
            .column(0)
            .as_primitive::<UInt64Type>()
            .values()
            .to_vec();
        assert_eq!(rows, [1, 2, 3, 4]);
        assert_eq!(
            strs(&r.rejects, "patient_id"),
            [None, Some("b".into()), Some("b".into()), Some("a".into())]
        );
        assert_eq!(
            strs(&r.rejects, "field"),
            [
                Some("patient_id".into()),
                Some("code".into()),
                Some("code".into()),
                Some("code".into())
            ]
        );
        assert_eq!(
            strs(&r.rejects, "reason"),
            [
                Some("null_patient".into()),
                Some("null_code".into()),
                Some("misplaced_dot".into()),
                Some("invalid_character".into())
            ]
        );
        assert_eq!(
            r.counts,
            crate::risk::RowCounts {
                rows_in: 6,
                rows_scored: 2,
                rows_excluded: 0,
                rows_rejected: 4,
                patients: 3
            }
        );
        let md = r.scores.schema().metadata().clone();
        assert_eq!(md["carecoord.rows_in"], "6");
        assert_eq!(md["carecoord.rows_rejected"], "4");
        assert_eq!(md["carecoord.rows_excluded"], "0");
        assert_eq!(md["carecoord.instrument"], "charlson");
        assert_eq!(md["carecoord.version"], env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn window_includes_both_ends() {
        let day =
            |y, m, d| super::super::input::epoch_days(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let w = Window {
            index_date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            lookback_days: 365,
        };
        let dates = [
            Some(day(2025, 11, 23)), // first day: counts (MI, 1)
            Some(day(2026, 11, 23)), // index date: counts (CHF, 1)
            Some(day(2025, 11, 22)), // one day early: excluded
            Some(day(2026, 11, 24)), // after the index date: excluded
            None,                    // null date with a window: reject
        ];
        let b = long(
            &[Some("p"); 5],
            &[
                Some("I21"),
                Some("I50"),
                Some("C18"),
                Some("C78"),
                Some("B20"),
            ],
            None,
            Some(&dates),
        );
        let opts = ScoreOptions {
            columns: LongInput {
                date: Some("date"),
                ..LongInput::default()
            },
            window: Some(w),
            explain: false,
        };
        let r = charlson(
            std::slice::from_ref(&b),
            CharlsonWeights::Charlson1987,
            &opts,
        )
        .unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(2)]);
        assert_eq!(
            (
                r.counts.rows_scored,
                r.counts.rows_excluded,
                r.counts.rows_rejected
            ),
            (2, 2, 1)
        );
        assert_eq!(strs(&r.rejects, "reason"), [Some("null_date".into())]);
        assert_eq!(strs(&r.rejects, "field"), [Some("date".into())]);
        let md = r.scores.schema().metadata().clone();
        assert_eq!(md["carecoord.index_date"], "2026-11-23");
        assert_eq!(md["carecoord.lookback_days"], "365");
        // Without a window the date column is not read: all five rows count.
        let r = charlson(
            &[b],
            CharlsonWeights::Charlson1987,
            &ScoreOptions::default(),
        )
        .unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(1 + 1 + 6 + 6)]);
        // ISO string dates work the same way.
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["p", "p", "p"])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["I21", "I50", "B20"])) as ArrayRef,
            ),
            (
                "date",
                Arc::new(StringArray::from(vec![
                    Some("2025-11-23"),
                    Some("2026-11-24"),
                    Some("23/11/2026"),
                ])) as ArrayRef,
            ),
        ])
        .unwrap();
        let r = charlson(&[b], CharlsonWeights::Charlson1987, &opts).unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(1)]);
        assert_eq!(strs(&r.rejects, "reason"), [Some("invalid_date".into())]);
    }

    #[test]
    fn age_column_rules() {
        // First non-null age wins, including from a rejected row; negative ages reject the row;
        // a patient without any age has a null total and null age points.
        let b = long(
            &[Some("a"), Some("a"), Some("a"), Some("b")],
            &[None, Some("I21"), Some("I50"), Some("I21")],
            Some(&[Some(80), Some(50), None, None]),
            None,
        );
        let opts = ScoreOptions {
            columns: LongInput {
                age: Some("age"),
                ..LongInput::default()
            },
            ..ScoreOptions::default()
        };
        let r = charlson(&[b], CharlsonWeights::Charlson1987, &opts).unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(2 + 4), None]);
        assert_eq!(ints(&r.scores, "comorbidity_score"), [Some(2), Some(1)]);
        assert_eq!(ints(&r.scores, "age_points"), [Some(4), None]);
        assert_eq!(
            r.scores.schema().metadata()["carecoord.age_points"],
            "charlson1994"
        );
        let neg = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a", "a"])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["I21", "I50"])) as ArrayRef,
            ),
            ("age", Arc::new(Int64Array::from(vec![-1, 70])) as ArrayRef),
        ])
        .unwrap();
        let r = charlson(&[neg], CharlsonWeights::Charlson1987, &opts).unwrap();
        assert_eq!(ints(&r.scores, "score"), [Some(1 + 3)]);
        assert_eq!(strs(&r.rejects, "reason"), [Some("negative_age".into())]);
        assert_eq!(strs(&r.rejects, "field"), [Some("age".into())]);
    }

    #[test]
    fn multiple_batches_equal_one() {
        let p = [
            Some("a"),
            Some("b"),
            Some("a"),
            None,
            Some("c"),
            Some("b"),
            Some("a"),
        ];
        let c = [
            Some("I21"),
            Some("C78"),
            Some("x"),
            Some("I50"),
            Some("E11.2"),
            Some("C18"),
            Some("E11.9"),
        ];
        let one = long(&p, &c, None, None);
        let parts = [
            one.slice(0, 2),
            one.slice(2, 0),
            one.slice(2, 3),
            one.slice(5, 2),
        ];
        let opts = ScoreOptions {
            explain: true,
            ..ScoreOptions::default()
        };
        let a = charlson(&[one], CharlsonWeights::Quan2011, &opts).unwrap();
        let b = charlson(&parts, CharlsonWeights::Quan2011, &opts).unwrap();
        assert_eq!(a.scores, b.scores);
        assert_eq!(a.rejects, b.rejects);
        assert_eq!(a.explanations, b.explanations);
        assert_eq!(a.counts, b.counts);
        // Different column types across batches are an error.
        let other = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(LargeStringArray::from(vec!["z"])) as ArrayRef,
            ),
            ("code", Arc::new(StringArray::from(vec!["I21"])) as ArrayRef),
        ])
        .unwrap();
        let mixed = [parts[0].clone(), other];
        assert!(matches!(
            charlson(&mixed, CharlsonWeights::Quan2011, &opts),
            Err(RiskError::Arrow(_))
        ));
    }

    #[test]
    fn patient_id_types_are_kept() {
        let code: ArrayRef = Arc::new(StringViewArray::from(vec!["I21", "I50", "I21"]));
        let pats: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(vec![9, 9, 4])),
            Arc::new(arrow_array::Int32Array::from(vec![9, 9, 4])),
            Arc::new(LargeStringArray::from(vec!["9", "9", "4"])),
            Arc::new(StringViewArray::from(vec!["9", "9", "4"])),
        ];
        for pat in pats {
            let ty = pat.data_type().clone();
            let b =
                RecordBatch::try_from_iter([("patient_id", pat), ("code", code.clone())]).unwrap();
            let r = charlson(
                &[b],
                CharlsonWeights::Charlson1987,
                &ScoreOptions::default(),
            )
            .unwrap();
            assert_eq!(r.scores.column(0).data_type(), &ty);
            assert_eq!(r.rejects.schema().field(1).data_type(), &ty);
            assert_eq!(ints(&r.scores, "score"), [Some(2), Some(1)]);
            if ty == DataType::Int64 {
                assert_eq!(
                    r.scores.column(0).as_primitive::<Int64Type>().values(),
                    &[9, 4]
                );
            }
        }
        let bad = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(UInt16Array::from(vec![1])) as ArrayRef,
            ),
            ("code", Arc::new(StringArray::from(vec!["I21"])) as ArrayRef),
        ])
        .unwrap();
        assert!(matches!(
            charlson(
                &[bad],
                CharlsonWeights::Charlson1987,
                &ScoreOptions::default()
            ),
            Err(RiskError::ColumnType { .. })
        ));
    }

    #[test]
    fn scores_schema_and_flags() {
        let b = long(
            &[Some("p"), Some("p")],
            &[Some("K72.1"), Some("K70.3")],
            None,
            None,
        );
        let r = charlson(
            &[b],
            CharlsonWeights::Charlson1987,
            &ScoreOptions::default(),
        )
        .unwrap();
        let names: Vec<_> = r
            .scores
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let mut want = vec!["patient_id".to_owned(), "score".to_owned()];
        want.extend(Instrument::Charlson.keys().iter().map(|k| (*k).to_owned()));
        assert_eq!(names, want);
        // Raw flags: mild liver disease is present although the hierarchy zeroes it.
        assert_eq!(flag(&r.scores, "mld"), [true]);
        assert_eq!(flag(&r.scores, "msld"), [true]);
        assert_eq!(flag(&r.scores, "mi"), [false]);
        assert_eq!(ints(&r.scores, "score"), [Some(3)]);
        assert!(r.explanations.is_none());
        let md = r.scores.schema().metadata().clone();
        assert_eq!(md["carecoord.mapping"], "quan2005");
        assert_eq!(md["carecoord.age_points"], "none");
        let shmi = charlson(&[], CharlsonWeights::Shmi, &ScoreOptions::default()).unwrap();
        assert!(shmi.scores.schema().metadata()["carecoord.note"].contains("approximation"));
        assert_eq!(shmi.scores.num_rows(), 0);
    }

    #[test]
    fn explanations_show_codes_weights_and_suppression() {
        let b = long(
            &[Some("p"), Some("p"), Some("p"), Some("q"), Some("p")],
            &[
                Some("c78.7"),
                Some("C18.7"),
                Some("C20"),
                Some("I21.4"),
                Some("C18.7"),
            ],
            None,
            None,
        );
        let opts = ScoreOptions {
            explain: true,
            ..ScoreOptions::default()
        };
        let r = charlson(&[b], CharlsonWeights::Charlson1987, &opts).unwrap();
        let e = r.explanations.unwrap();
        assert_eq!(
            strs(&e, "patient_id"),
            [Some("p".into()), Some("p".into()), Some("q".into())]
        );
        assert_eq!(
            strs(&e, "category"),
            [
                Some("canc".into()),
                Some("metacanc".into()),
                Some("mi".into())
            ]
        );
        assert_eq!(strs(&e, "label")[2], Some("Myocardial infarction".into()));
        assert_eq!(ints(&e, "weight"), [Some(2), Some(6), Some(1)]);
        assert_eq!(
            strs(&e, "codes"),
            [
                Some("C187;C20".into()),
                Some("C787".into()),
                Some("I214".into())
            ]
        );
        assert_eq!(
            strs(&e, "suppressed_by"),
            [Some("metacanc".into()), None, None]
        );
        let rows = e.column_by_name("rows").unwrap().as_list::<i32>();
        let r0 = rows.value(0);
        assert_eq!(r0.as_primitive::<UInt64Type>().values(), &[1, 2, 4]);
    }

    // Scores of random code lists: a mix of category codes, other codes and noise.
    fn code_strategy() -> impl Strategy<Value = String> {
        let t = &TABLES;
        let known: Vec<&'static str> = t
            .charlson
            .prefixes
            .iter()
            .chain(&t.elixhauser.prefixes)
            .map(|p| p.1)
            .chain(t.hfrs.groups.iter().copied())
            .collect();
        prop_oneof![
            3 => proptest::sample::select(known).prop_flat_map(|p| {
                "[0-9X]{0,2}".prop_map(move |tail| format!("{p}{tail}"))
            }),
            1 => "[A-Z][0-9][0-9A-Z](\\.[0-9])?",
            1 => "[a-z0-9. *]{0,6}",
        ]
    }

    proptest! {
        // Charlson 1987 weights are all positive, so adding a code never lowers the score
        // (the hierarchy only ever swaps a mild weight for a larger severe one).
        #[test]
        fn adding_a_code_never_lowers_charlson1987(
            codes in proptest::collection::vec(code_strategy(), 0..12),
            extra in code_strategy(),
            age in proptest::option::of(0u32..110),
        ) {
            let clean: Vec<&str> = codes.iter().map(String::as_str).filter(|c| Icd10Code::parse(c).is_ok()).collect();
            prop_assume!(Icd10Code::parse(&extra).is_ok());
            let before = w1987(&clean, age).score;
            let mut more = clean.clone();
            more.push(&extra);
            prop_assert!(w1987(&more, age).score >= before);
        }

        // rows in = scored + excluded + rejected, and the batch path equals the scalar path
        // on each patient's valid, in-window codes.
        #[test]
        fn batch_matches_scalar_and_rows_balance(
            rows in proptest::collection::vec(
                (proptest::option::of(0u8..6), proptest::option::of(code_strategy()), proptest::option::of(-5i32..30)),
                0..80,
            ),
            split in 0usize..80,
            window in proptest::bool::ANY,
            long_ids in proptest::bool::ANY,
        ) {
            // Long ids share their first 16 bytes, so telling them apart needs the full id.
            let id = |x: u8| if long_ids { format!("pseudonym-0123456789-{x}") } else { format!("p{x}") };
            let p: Vec<Option<String>> = rows.iter().map(|r| r.0.map(id)).collect();
            let c: Vec<Option<&str>> = rows.iter().map(|r| r.1.as_deref()).collect();
            let d: Vec<Option<i32>> = rows.iter().map(|r| r.2).collect();
            let pr: Vec<Option<&str>> = p.iter().map(|x| x.as_deref()).collect();
            let b = long(&pr, &c, None, Some(&d));
            let split = split.min(b.num_rows());
            let parts = [b.slice(0, split), b.slice(split, b.num_rows() - split)];
            let w = Window { index_date: NaiveDate::from_ymd_opt(1970, 1, 21).unwrap(), lookback_days: 10 };
            let opts = ScoreOptions {
                columns: LongInput { date: Some("date"), ..LongInput::default() },
                window: window.then_some(w),
                explain: true,
            };
            let r = charlson(&parts, CharlsonWeights::Charlson1987, &opts).unwrap();
            let e = elixhauser(&parts, &opts).unwrap();
            prop_assert!(r.counts.is_balanced());
            prop_assert_eq!(r.counts.rows_in, rows.len());
            prop_assert_eq!(r.rejects.num_rows(), r.counts.rows_rejected);
            prop_assert_eq!(r.scores.num_rows(), r.counts.patients);
            prop_assert_eq!(r.counts, e.counts);

            // Scalar reference.
            let mut order: Vec<String> = Vec::new();
            let mut per: Vec<Vec<&str>> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let Some(pid) = &p[i] else { continue };
                let k = match order.iter().position(|o| o == pid) {
                    Some(k) => k,
                    None => { order.push(pid.clone()); per.push(vec![]); order.len() - 1 }
                };
                let Some(code) = c[i] else { continue };
                if Icd10Code::parse(code).is_err() { continue; }
                if window && !matches!(row.2, Some(day) if (10..=20).contains(&day)) { continue; }
                per[k].push(code);
            }
            let got_ids = strs(&r.scores, "patient_id");
            prop_assert_eq!(got_ids, order.iter().map(|o| Some(o.clone())).collect::<Vec<_>>());
            let want: Vec<_> = per.iter().map(|codes| Some(w1987(codes, None).score)).collect();
            prop_assert_eq!(ints(&r.scores, "score"), want);
            let want: Vec<_> = per.iter().map(|codes| Some(elix(codes).score)).collect();
            prop_assert_eq!(ints(&e.scores, "score"), want);
            for (k, codes) in per.iter().enumerate() {
                let s = w1987(codes, None);
                for key in Instrument::Charlson.keys() {
                    let col = r.scores.column_by_name(key).unwrap();
                    let col = col.as_any().downcast_ref::<BooleanArray>().unwrap();
                    prop_assert_eq!(col.value(k), s.present.contains(key));
                }
            }
        }
    }
}
