//! Hospital Frailty Risk Score (HFRS).
//!
//! Gilbert T, Neuburger J, Kraindler J, et al. Development and validation of a Hospital
//! Frailty Risk Score focusing on older people in acute care settings using electronic
//! hospital records: an observational study. *Lancet* 2018;391(10132):1775-1782
//! (supplementary appendix: 109 three-character ICD-10 groups and their points,
//! `hfrs_icd10.csv`, summing to 173.2).
//!
//! Each cleaned code counts through its first three characters; each group counts **once per
//! patient** however many children or repeats appear (F05.0 + F05.1 + F05.9 = 3.2). Totals are
//! computed in integer tenths and reported both as tenths and rounded to one decimal place.
//! Bands (Gilbert 2018): low < 5, intermediate 5-15, high > 15.
//!
//! The paper scores people aged 75 and over on the index admission plus emergency admissions
//! in the previous two years; choosing that cohort and those admissions is the caller's (use
//! a [`Window`](crate::risk::Window) of 730 days for the look-back). No age filter is applied
//! here.

use std::fmt;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field};
use rayon::prelude::*;

use super::codes::{CodeHead, HfrsGroups, TABLES};
use super::explain::{self, Cats, Hit, Spec, Weights};
use super::input::{LongTable, RowAt, ScoreOptions};
use super::output::{self, bool_columns, patient_array, patient_field, Meta, ScoreResult};
use super::RiskError;
use crate::ids::{Icd10Code, Icd10Error};

/// HFRS risk band (Gilbert et al. 2018): low < 5, intermediate 5-15, high > 15.
///
/// # Example
///
/// ```
/// use carecoord::risk::HfrsBand;
/// assert_eq!(HfrsBand::from_tenths(49), HfrsBand::Low);
/// assert_eq!(HfrsBand::from_tenths(50), HfrsBand::Intermediate);
/// assert_eq!(HfrsBand::from_tenths(150), HfrsBand::Intermediate);
/// assert_eq!(HfrsBand::from_tenths(151), HfrsBand::High);
/// assert_eq!(HfrsBand::High.as_str(), "high");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HfrsBand {
    /// Score below 5.
    Low,
    /// Score from 5 to 15 inclusive.
    Intermediate,
    /// Score above 15.
    High,
}

impl HfrsBand {
    /// The band of a score given in tenths (`68` = 6.8).
    ///
    /// ```
    /// use carecoord::risk::HfrsBand;
    /// assert_eq!(HfrsBand::from_tenths(0), HfrsBand::Low);
    /// ```
    pub fn from_tenths(tenths: i32) -> Self {
        match tenths {
            t if t < 50 => Self::Low,
            t if t <= 150 => Self::Intermediate,
            _ => Self::High,
        }
    }

    /// The stable name: `low`, `intermediate` or `high`.
    ///
    /// ```
    /// use carecoord::risk::HfrsBand;
    /// assert_eq!(HfrsBand::Intermediate.as_str(), "intermediate");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Intermediate => "intermediate",
            Self::High => "high",
        }
    }
}

impl fmt::Display for HfrsBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One patient's HFRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HfrsScore {
    /// Total points in tenths (exact): 68 means 6.8.
    pub score_tenths: i32,
    /// The groups present.
    pub groups: HfrsGroups,
}

impl HfrsScore {
    /// The total rounded to one decimal place, as `f64` (the nearest double to
    /// `score_tenths / 10`).
    ///
    /// ```
    /// use carecoord::risk::hfrs_for_codes;
    /// assert_eq!(hfrs_for_codes(&["F05.0", "R29.6", "R29.8"])?.score(), 6.8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn score(&self) -> f64 {
        f64::from(self.score_tenths) / 10.0
    }

    /// The risk band.
    ///
    /// ```
    /// use carecoord::risk::{hfrs_for_codes, HfrsBand};
    /// assert_eq!(hfrs_for_codes(&["F00.1"])?.band(), HfrsBand::Intermediate); // 7.1
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band(&self) -> HfrsBand {
        HfrsBand::from_tenths(self.score_tenths)
    }
}

/// HFRS of one patient's ICD-10 codes, without Arrow (Gilbert et al., *Lancet* 2018, points
/// from the supplementary appendix; each three-character group counted once).
///
/// # Errors
///
/// The first code that cannot be cleaned, as an [`Icd10Error`].
///
/// # Example
///
/// ```
/// use carecoord::risk::{hfrs_for_codes, HfrsBand};
///
/// // Worked example E06 (risk_examples.csv): F05 and R29 each count once: 3.2 + 3.6 = 6.8.
/// let s = hfrs_for_codes(&["F05.0", "F05.1", "F05.9", "R29.6", "R29.8"])?;
/// assert_eq!(s.score_tenths, 68);
/// assert_eq!(s.band(), HfrsBand::Intermediate);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hfrs_for_codes<S: AsRef<str>>(codes: &[S]) -> Result<HfrsScore, Icd10Error> {
    let t = &TABLES.hfrs;
    let groups = codes.iter().try_fold(0u128, |acc, c| {
        Icd10Code::parse(c.as_ref()).map(|code| acc | t.lookup(&code))
    })?;
    Ok(HfrsScore {
        score_tenths: t.score_tenths(groups),
        groups: HfrsGroups(groups),
    })
}

/// Hospital Frailty Risk Score for every patient of a long-format table (Gilbert et al.,
/// *Lancet* 2018; see [`hfrs_for_codes`]).
///
/// **Scores table**, one row per patient in order of first appearance:
///
/// | column | type | content |
/// | --- | --- | --- |
/// | `patient_id` | input type | the patient |
/// | `score` | `Float64` | total rounded to one decimal place |
/// | `score_tenths` | `Int32` | exact total in tenths |
/// | `band` | `Utf8` | `low` (< 5), `intermediate` (5-15), `high` (> 15) |
/// | `F00`, `G81`, ... | `Boolean` | 109 group flags, in `hfrs_icd10.csv` order |
///
/// Metadata: `carecoord.instrument` = `hfrs`, `carecoord.weights` = `gilbert2018`.
/// [`LongInput::age`](crate::risk::LongInput::age) is ignored. Explanations have
/// `weight` as `Float64` plus `weight_tenths`, and a null `label`.
///
/// # Errors
///
/// As [`charlson`](crate::risk::charlson).
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
/// use carecoord::risk::{hfrs, ScoreOptions};
///
/// let batch = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["a", "a", "a", "b"])) as _),
///     ("code", Arc::new(StringArray::from(vec!["F05.0", "F05.1", "F05.9", "J18.9"])) as _),
/// ])?;
/// let r = hfrs(&[batch], &ScoreOptions::default())?;
/// let score = r.scores.column_by_name("score").unwrap();
/// let score = score.as_any().downcast_ref::<Float64Array>().unwrap();
/// assert_eq!(score.values(), &[3.2, 1.1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hfrs(batches: &[RecordBatch], opts: &ScoreOptions<'_>) -> Result<ScoreResult, RiskError> {
    let t = &TABLES.hfrs;
    let mut columns = opts.columns;
    columns.age = None;
    let table = LongTable::new(batches, &columns, opts.window.as_ref())?;

    let explain = opts.explain;
    let parse = |s: &str| CodeHead::parse(s).map(|h| t.group(h));
    // Without explanations: one fused parallel pass over sorted input, else a parallel
    // grouped fold; explanations go through the walk.
    let folded = if explain {
        None
    } else {
        // Branch-free: group `g` sets bit `g - 1`, group 0 (no group) nothing.
        let add = |a: &mut u128, g: u8| *a |= u128::from(g != 0) << (g.wrapping_sub(1) & 127);
        Some(
            table
                .fold_sorted(parse, add, |a, b| *a |= b)
                .unwrap_or_else(|| table.fold_grouped(parse, add)),
        )
    };
    let (walk, ids, mut groups, hits) = match folded {
        Some(f) => {
            let ids = f.patient_array(&table);
            let groups = f.map(|&g, _| g);
            (f.walk, Some(ids), groups, Vec::new())
        }
        None => {
            let mut groups: Vec<u128> = Vec::new();
            let mut hits: Vec<Hit> = Vec::new();
            let walk = table.walk(
                parse,
                |_, _| Ok(()),
                |at: RowAt, p: u32, g: u8, _date: Option<i32>| {
                    if g != 0 {
                        let i = p as usize;
                        if i >= groups.len() {
                            groups.resize(i + 1, 0);
                        }
                        let bit = 1u128 << (g - 1);
                        groups[i] |= bit;
                        if explain {
                            if let Some(code) =
                                table.code_at(at).and_then(|s| Icd10Code::parse(s).ok())
                            {
                                hits.push(Hit {
                                    row: at.row,
                                    patient: p,
                                    cats: u32::from(g),
                                    code,
                                });
                            }
                        }
                    }
                },
            );
            (walk, None, groups, hits)
        }
    };
    let n = walk.counts.patients;
    groups.resize(n, 0);
    let ids = ids.unwrap_or_else(|| patient_array(&table, &walk.patients));

    let meta = Meta {
        instrument: "hfrs",
        weights: "gilbert2018",
        extra: Vec::new(),
    };
    let metadata = meta.to_map(&walk.counts, opts.window.as_ref());
    let sum = t.scorer();
    let tenths: Vec<i32> = groups.par_iter().map(|&g| sum.sum(g)).collect();
    let score = Float64Array::from_iter_values(tenths.iter().map(|&x| f64::from(x) / 10.0));
    let band =
        StringArray::from_iter_values(tenths.iter().map(|&x| HfrsBand::from_tenths(x).as_str()));
    let mut cols: Vec<(Field, ArrayRef)> = vec![
        (patient_field(&table, false), ids),
        (
            Field::new("score", DataType::Float64, false),
            Arc::new(score),
        ),
        (
            Field::new("score_tenths", DataType::Int32, false),
            Arc::new(Int32Array::from(tenths)),
        ),
        (Field::new("band", DataType::Utf8, false), Arc::new(band)),
    ];
    let flags = bool_columns(n, t.groups.len(), |p| groups[p]);
    for (code3, flag) in t.groups.iter().zip(flags) {
        cols.push((Field::new(*code3, DataType::Boolean, false), flag));
    }
    let scores = output::batch(cols, metadata.clone())?;
    let rejects = output::rejects_batch(&table, &walk, metadata.clone())?;
    let explanations = if explain {
        let spec = Spec {
            cats: Cats::Index,
            keys: &t.groups,
            labels: None,
            weights: Weights::Tenths(&t.tenths),
            suppressed_by: &|_, _| None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::codes::csv;
    use crate::risk::{LongInput, Window};
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int32Type};
    use arrow_array::{Array, Date32Array, StringArray};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    const EXAMPLES: &str = include_str!("../../data/risk/risk_examples.csv");

    fn tenths(codes: &[&str]) -> i32 {
        hfrs_for_codes(codes).unwrap().score_tenths
    }

    // Spec table: the `hfrs` column of every row of risk_examples.csv (SOURCES.md section 6;
    // agrees with pycomorb 1.20261001.1 and comorbidipy 0.5.0).
    #[test]
    fn risk_examples() {
        let (header, rows) = csv(EXAMPLES);
        assert_eq!(header[6], "hfrs");
        assert_eq!(rows.len(), 13);
        let mut p = Vec::new();
        let mut c = Vec::new();
        let mut want = Vec::new();
        for r in &rows {
            let codes: Vec<&str> = r[2].split(';').filter(|x| !x.is_empty()).collect();
            let (whole, frac) = r[6].split_once('.').unwrap();
            let expected: i32 = whole.parse::<i32>().unwrap() * 10 + frac.parse::<i32>().unwrap();
            assert_eq!(tenths(&codes), expected, "{}", r[0]);
            assert_eq!(
                hfrs_for_codes(&codes).unwrap().score().to_string(),
                r[6].trim_end_matches(".0"),
                "{}",
                r[0]
            );
            if codes.is_empty() {
                p.push(r[0]);
                c.push(None);
            }
            for code in codes {
                p.push(r[0]);
                c.push(Some(code));
            }
            want.push(expected);
        }
        let b = RecordBatch::try_from_iter([
            ("patient_id", Arc::new(StringArray::from(p)) as ArrayRef),
            ("code", Arc::new(StringArray::from(c)) as ArrayRef),
        ])
        .unwrap();
        let r = hfrs(&[b], &ScoreOptions::default()).unwrap();
        let got = r
            .scores
            .column_by_name("score_tenths")
            .unwrap()
            .as_primitive::<Int32Type>();
        assert_eq!(got.values(), &want[..]);
        let f = r
            .scores
            .column_by_name("score")
            .unwrap()
            .as_primitive::<Float64Type>();
        for (x, t) in f.values().iter().zip(&want) {
            assert_eq!(*x, f64::from(*t) / 10.0);
        }
    }

    #[test]
    fn groups_count_once_per_patient() {
        // Gilbert 2018 appendix: F05 = 3.2. F05.0 + F05.1 + F05.9 = 3.2, not 9.6 (example E06).
        assert_eq!(tenths(&["F05.0", "F05.1", "F05.9"]), 32);
        assert_eq!(tenths(&["F05.0", "F05.0", "f05.0"]), 32);
        // Different groups add: F00 7.1 + G30 4.0.
        assert_eq!(tenths(&["F00.1", "G30.1"]), 111);
        // Codes outside the table score nothing.
        assert_eq!(tenths(&["I21.4", "E11.9"]), 0);
        // All 109 groups: 173.2 (SOURCES.md section 4).
        let all: Vec<String> = HfrsGroups::all_codes()
            .iter()
            .map(|g| format!("{g}.9"))
            .collect();
        let s = hfrs_for_codes(&all).unwrap();
        assert_eq!(s.score_tenths, 1732);
        assert_eq!(s.groups.len(), 109);
        assert_eq!(s.band(), HfrsBand::High);
    }

    #[test]
    fn band_boundaries() {
        // Gilbert 2018: low < 5, intermediate 5-15, high > 15. Sums of hfrs_icd10.csv points:
        // 4.9 = F05 3.2 + L89 1.7; 5.0 = R31 3.0 + Z75 2.0;
        // 15.0 = F00 7.1 + G30 4.0 + W18 2.1 + R55 1.8; 15.1 = the same + R50 0.1.
        let cases: [(&[&str], i32, HfrsBand); 4] = [
            (&["F05.0", "L89.1"], 49, HfrsBand::Low),
            (&["R31", "Z75.1"], 50, HfrsBand::Intermediate),
            (&["F00", "G30", "W18", "R55"], 150, HfrsBand::Intermediate),
            (&["F00", "G30", "W18", "R55", "R50"], 151, HfrsBand::High),
        ];
        for (codes, t, band) in cases {
            let s = hfrs_for_codes(codes).unwrap();
            assert_eq!(s.score_tenths, t, "{codes:?}");
            assert_eq!(s.band(), band, "{codes:?}");
        }
        assert_eq!(HfrsBand::from_tenths(0), HfrsBand::Low);
    }

    #[test]
    fn batch_bands_rejects_window_and_explanations() {
        let day =
            |m, d| crate::risk::input::epoch_days(NaiveDate::from_ymd_opt(2026, m, d).unwrap());
        let b = RecordBatch::try_from_iter([
            (
                "patient_id",
                Arc::new(StringArray::from(vec![
                    Some("a"),
                    Some("a"),
                    Some("a"),
                    Some("b"),
                    None,
                    Some("c"),
                ])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec![
                    Some("F05.0"),
                    Some("F05.1"),
                    Some("L89.1"),
                    Some("I2.1"),
                    Some("F00"),
                    Some("F00"),
                ])) as ArrayRef,
            ),
            (
                "date",
                Arc::new(Date32Array::from(vec![
                    day(1, 1),
                    day(6, 1),
                    day(11, 23),
                    day(6, 1),
                    day(6, 1),
                    day(11, 24),
                ])) as ArrayRef,
            ),
        ])
        .unwrap();
        let opts = ScoreOptions {
            columns: LongInput {
                date: Some("date"),
                ..LongInput::default()
            },
            window: Some(Window {
                index_date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                lookback_days: 730,
            }),
            explain: true,
        };
        let r = hfrs(&[b], &opts).unwrap();
        let band: Vec<_> = r
            .scores
            .column_by_name("band")
            .unwrap()
            .as_string::<i32>()
            .iter()
            .map(|s| s.unwrap().to_owned())
            .collect();
        assert_eq!(band, ["low", "low", "low"]);
        let t = r
            .scores
            .column_by_name("score_tenths")
            .unwrap()
            .as_primitive::<Int32Type>();
        assert_eq!(t.values(), &[49, 0, 0]);
        assert!(r.counts.is_balanced());
        assert_eq!(
            (
                r.counts.rows_scored,
                r.counts.rows_excluded,
                r.counts.rows_rejected
            ),
            (3, 1, 2)
        );
        let md = r.scores.schema().metadata().clone();
        assert_eq!(md["carecoord.instrument"], "hfrs");
        assert_eq!(md["carecoord.weights"], "gilbert2018");
        let e = r.explanations.unwrap();
        let cats: Vec<_> = e
            .column_by_name("category")
            .unwrap()
            .as_string::<i32>()
            .iter()
            .map(|s| s.unwrap().to_owned())
            .collect();
        assert_eq!(cats, ["F05", "L89"]); // table order (by points)
        let codes: Vec<_> = e
            .column_by_name("codes")
            .unwrap()
            .as_string::<i32>()
            .iter()
            .map(|s| s.unwrap().to_owned())
            .collect();
        assert_eq!(codes, ["F050;F051", "L891"]);
        let w = e
            .column_by_name("weight")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert_eq!(w.values(), &[3.2, 1.7]);
        assert!(e.column_by_name("label").unwrap().is_null(0));
        assert_eq!(r.scores.num_columns(), 4 + 109);
    }

    proptest! {
        // Batch and scalar paths agree; rows balance.
        #[test]
        fn batch_matches_scalar(
            rows in proptest::collection::vec(
                (0u8..4, prop_oneof![
                    proptest::sample::select(HfrsGroups::all_codes().to_vec()).prop_map(|g| format!("{g}.1")),
                    "[A-Z][0-9]{2}",
                    "[a-z.]{0,4}",
                ]),
                0..60,
            ),
        ) {
            let p: Vec<String> = rows.iter().map(|r| format!("p{}", r.0)).collect();
            let c: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
            let b = RecordBatch::try_from_iter([
                ("patient_id", Arc::new(StringArray::from(p.clone())) as ArrayRef),
                ("code", Arc::new(StringArray::from(c.clone())) as ArrayRef),
            ]).unwrap();
            let r = hfrs(&[b], &ScoreOptions::default()).unwrap();
            prop_assert!(r.counts.is_balanced());
            let mut order: Vec<&str> = Vec::new();
            let mut per: Vec<Vec<&str>> = Vec::new();
            for (pid, code) in p.iter().zip(&c) {
                let k = match order.iter().position(|o| o == pid) {
                    Some(k) => k,
                    None => { order.push(pid); per.push(vec![]); order.len() - 1 }
                };
                if Icd10Code::parse(code).is_ok() { per[k].push(code); }
            }
            let got = r.scores.column_by_name("score_tenths").unwrap().as_primitive::<Int32Type>().values().to_vec();
            let want: Vec<i32> = per.iter().map(|codes| tenths(codes)).collect();
            prop_assert_eq!(got, want);
        }
    }
}
