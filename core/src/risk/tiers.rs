//! Population risk tiers: the top 0.5%, 5% and 20% of a population by a risk score
//! (DOMAIN.md 2.15; the percentiles are configurable and not from a published source).
//!
//! Rule: sort by score, highest first, ties broken by id ascending (byte order of the id's
//! text, so the result does not depend on input order). With N people and cumulative cuts
//! `c1 < c2 < ...`, the first `ceil(N × c1)` people are tier 1, the rest up to
//! `ceil(N × c2)` tier 2, and so on; everyone after the last cut is in the last tier
//! (`cuts.len() + 1`). Products within one part in 10⁹ of a whole number count as that
//! number, so binary rounding (0.05 is not exact in floating point) never adds a person.
//!
//! A cut between people with the same score is arbitrary: all of them are flagged
//! `tie_at_boundary` so that callers can see it.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::{BooleanArray, Float64Array, Int32Array, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field};
use rustc_hash::FxHashMap;

use super::model::columns::{
    column, metadata, reason, record_batch, At, Col, ColKinds, Ids, Rejects,
};
use super::{RiskError, RowCounts, ScoreResult};

/// The default cumulative cuts: top 0.5%, top 5%, top 20% (then everyone else).
///
/// ```
/// assert_eq!(carecoord::risk::DEFAULT_TIER_CUTS, [0.005, 0.05, 0.20]);
/// ```
pub const DEFAULT_TIER_CUTS: [f64; 3] = [0.005, 0.05, 0.20];

/// Reason code: the same id appears more than once (every occurrence is rejected).
const DUPLICATE_PATIENT: &str = "duplicate_patient";

/// One person's place in the tiers.
///
/// ```
/// use carecoord::risk::{tiers, TierAssignment, DEFAULT_TIER_CUTS};
/// let t: Vec<TierAssignment> = tiers(&["a"], &[0.3], &DEFAULT_TIER_CUTS)?;
/// assert_eq!(t[0], TierAssignment { tier: 1, rank: 1, tie_at_boundary: false });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TierAssignment {
    /// Tier, 1 (highest risk) to `cuts.len() + 1`.
    pub tier: u8,
    /// Position in the sorted list, 1 = highest score.
    pub rank: usize,
    /// Someone with exactly the same score is in a different tier.
    pub tie_at_boundary: bool,
}

fn bad_cuts(reason: impl Into<String>) -> RiskError {
    RiskError::InvalidOption {
        option: "cuts",
        reason: reason.into(),
    }
}

/// Check cuts: at least one, at most 254, each finite in (0, 1], strictly increasing.
fn validate_cuts(cuts: &[f64]) -> Result<(), RiskError> {
    if cuts.is_empty() {
        return Err(bad_cuts("at least one cut is required"));
    }
    if cuts.len() > 254 {
        return Err(bad_cuts("at most 254 cuts"));
    }
    for (i, &c) in cuts.iter().enumerate() {
        if !(c.is_finite() && c > 0.0 && c <= 1.0) {
            return Err(bad_cuts(format!(
                "cut {i} must be a fraction in (0, 1], e.g. 0.05 for the top 5%"
            )));
        }
        if i > 0 && c <= cuts[i - 1] {
            return Err(bad_cuts(format!(
                "cuts must increase: cut {i} is not above cut {}",
                i - 1
            )));
        }
    }
    Ok(())
}

/// `ceil(n × c)`, with products within 1e-9 (relative) of a whole number taken as it.
fn boundary(n: usize, c: f64) -> usize {
    let x = n as f64 * c;
    let r = x.round();
    let k = if (x - r).abs() <= 1e-9 * r.max(1.0) {
        r
    } else {
        x.ceil()
    };
    (k as usize).min(n)
}

/// The cumulative number of people in tiers 1..=k for each cut, for a population of `n`.
///
/// Each is `ceil(n × cut)`; a product within one part in 10⁹ of a whole number counts as
/// that number, so binary rounding (0.05 is not exact in floating point) never adds a
/// person.
///
/// # Errors
///
/// [`RiskError::InvalidOption`] (option `cuts`) when the cuts are empty, more than 254, not
/// in (0, 1] or not strictly increasing.
///
/// # Example
///
/// ```
/// use carecoord::risk::{tier_boundaries, DEFAULT_TIER_CUTS};
/// assert_eq!(tier_boundaries(1000, &DEFAULT_TIER_CUTS)?, vec![5, 50, 200]);
/// // ceil(0.035) = 1, ceil(0.35) = 1, ceil(1.4) = 2.
/// assert_eq!(tier_boundaries(7, &DEFAULT_TIER_CUTS)?, vec![1, 1, 2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tier_boundaries(n: usize, cuts: &[f64]) -> Result<Vec<usize>, RiskError> {
    validate_cuts(cuts)?;
    Ok(cuts.iter().map(|&c| boundary(n, c)).collect())
}

/// Tiers for people given in sorted order (score descending, id ascending).
fn assign(sorted_scores: &[f64], bounds: &[usize]) -> Vec<TierAssignment> {
    let n = sorted_scores.len();
    let mut out: Vec<TierAssignment> = Vec::with_capacity(n);
    let mut tier = 1u8;
    for (pos, _) in sorted_scores.iter().enumerate() {
        // Move past every boundary already reached (several cuts may share one).
        while usize::from(tier) <= bounds.len() && pos >= bounds[usize::from(tier) - 1] {
            tier += 1;
        }
        out.push(TierAssignment {
            tier,
            rank: pos + 1,
            tie_at_boundary: false,
        });
    }
    // Runs of equal scores spanning more than one tier are flagged.
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && sorted_scores[end] == sorted_scores[start] {
            end += 1;
        }
        if out[start].tier != out[end - 1].tier {
            for a in &mut out[start..end] {
                a.tie_at_boundary = true;
            }
        }
        start = end;
    }
    out
}

/// Order `items` (score, id) by score descending then id ascending (bytewise).
fn sort_key(a: (f64, &str), b: (f64, &str)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
}

/// Risk tiers for a population given as parallel slices of ids and scores.
///
/// Returns one [`TierAssignment`] per input position, in input order.
///
/// Rule (DOMAIN.md 2.15; the percentiles are local choices, not from a published source):
/// sort by score, highest first, ties broken by id ascending (byte order), so the result does
/// not depend on input order. With N people and cumulative cuts `c1 < c2 < ...`, the first
/// `ceil(N × c1)` people are tier 1, the rest up to `ceil(N × c2)` tier 2, and so on;
/// everyone after the last cut is in tier `cuts.len() + 1` ([`tier_boundaries`]).
/// [`DEFAULT_TIER_CUTS`] gives the usual top 0.5% / 5% / 20%. People whose score equals that
/// of someone in another tier are flagged `tie_at_boundary`: the cut between them was
/// arbitrary.
///
/// # Errors
///
/// [`RiskError::InvalidOption`]: option `cuts` (see [`tier_boundaries`]); option `scores`
/// when the lengths differ or a score is NaN or infinite; option `ids` when an id appears
/// twice. Messages give positions, never ids.
///
/// # Example
///
/// ```
/// use carecoord::risk::{tiers, DEFAULT_TIER_CUTS};
/// let ids = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"];
/// let scores = [0.9, 0.1, 0.5, 0.5, 0.2, 0.3, 0.05];
/// let t = tiers(&ids, &scores, &DEFAULT_TIER_CUTS)?;
/// // N = 7: boundaries 1, 1, 2. p1 is tier 1; p3 and p4 tie on 0.5 for the one place in
/// // tier 3, p3 wins on id and both are flagged; p4 falls to tier 4.
/// let got: Vec<_> = t.iter().map(|a| (a.tier, a.rank, a.tie_at_boundary)).collect();
/// assert_eq!(got[0], (1, 1, false));
/// assert_eq!(got[2], (3, 2, true));
/// assert_eq!(got[3], (4, 3, true));
/// assert_eq!(got[1], (4, 6, false));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tiers<S: AsRef<str>>(
    ids: &[S],
    scores: &[f64],
    cuts: &[f64],
) -> Result<Vec<TierAssignment>, RiskError> {
    validate_cuts(cuts)?;
    if ids.len() != scores.len() {
        return Err(RiskError::InvalidOption {
            option: "scores",
            reason: format!("{} scores for {} ids", scores.len(), ids.len()),
        });
    }
    check_scores(scores)?;
    let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, id) in ids.iter().enumerate() {
        if let Some(j) = seen.insert(id.as_ref(), i) {
            return Err(RiskError::InvalidOption {
                option: "ids",
                reason: format!("the ids at positions {j} and {i} are the same"),
            });
        }
    }
    Ok(rank(scores, cuts, |a, b| {
        ids[a].as_ref().as_bytes().cmp(ids[b].as_ref().as_bytes())
    }))
}

/// Risk tiers for a population given by scores alone, ties broken by position (the earlier
/// score ranks higher).
///
/// The rule is that of [`tiers`] with each person's position standing in for their id, for
/// callers that hold scores in a fixed order (the C ABI, when no ids are given). Input order
/// then matters for ties: sort the input by your own key first if it should not.
///
/// # Errors
///
/// [`RiskError::InvalidOption`]: option `cuts` (see [`tier_boundaries`]); option `scores`
/// when a score is NaN or infinite (its position is named).
///
/// # Example
///
/// ```
/// use carecoord::risk::tiers_by_position;
/// // N = 4, cuts 0.25 and 0.5: boundaries 1 and 2. Positions 1 and 2 tie on 0.8;
/// // position 1 comes first, so it takes the one place in tier 1.
/// let t = tiers_by_position(&[0.1, 0.8, 0.8, 0.5], &[0.25, 0.5])?;
/// let got: Vec<_> = t.iter().map(|a| (a.tier, a.rank, a.tie_at_boundary)).collect();
/// assert_eq!(got, vec![(3, 4, false), (1, 1, true), (2, 2, true), (3, 3, false)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tiers_by_position(scores: &[f64], cuts: &[f64]) -> Result<Vec<TierAssignment>, RiskError> {
    validate_cuts(cuts)?;
    check_scores(scores)?;
    Ok(rank(scores, cuts, |a, b| a.cmp(&b)))
}

fn check_scores(scores: &[f64]) -> Result<(), RiskError> {
    match scores.iter().position(|s| !s.is_finite()) {
        Some(i) => Err(RiskError::InvalidOption {
            option: "scores",
            reason: format!("score at position {i} is not a finite number"),
        }),
        None => Ok(()),
    }
}

/// Tiers in input order for checked scores and cuts; `tie(a, b)` orders positions `a` and `b`
/// with equal scores.
fn rank(
    scores: &[f64],
    cuts: &[f64],
    tie: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> Vec<TierAssignment> {
    let n = scores.len();
    // -0.0 + 0.0 = 0.0, so that the two zeros tie.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| {
        (scores[b] + 0.0)
            .total_cmp(&(scores[a] + 0.0))
            .then_with(|| tie(a, b))
    });
    let sorted: Vec<f64> = order.iter().map(|&i| scores[i] + 0.0).collect();
    let bounds: Vec<usize> = cuts.iter().map(|&c| boundary(n, c)).collect();
    let assigned = assign(&sorted, &bounds);
    let mut out = vec![
        TierAssignment {
            tier: 0,
            rank: 0,
            tie_at_boundary: false
        };
        n
    ];
    for (pos, &i) in order.iter().enumerate() {
        out[i] = assigned[pos];
    }
    out
}

/// Options for [`tiers_table`].
///
/// Defaults: id column `patient_id`, score column `score`, [`DEFAULT_TIER_CUTS`].
///
/// ```
/// use carecoord::risk::TierOptions;
/// let o = TierOptions { score_column: "efi".into(), ..Default::default() };
/// assert_eq!(o.cuts, vec![0.005, 0.05, 0.20]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TierOptions {
    /// The id column (strings or integers; integers are ordered by their decimal text).
    pub id_column: String,
    /// The score column: any integer or floating-point type.
    pub score_column: String,
    /// Cumulative cuts, increasing, each in (0, 1].
    pub cuts: Vec<f64>,
}

impl Default for TierOptions {
    fn default() -> Self {
        Self {
            id_column: "patient_id".into(),
            score_column: "score".into(),
            cuts: DEFAULT_TIER_CUTS.to_vec(),
        }
    }
}

/// Risk tiers over a patient-level Arrow table with an id and a score column.
///
/// The rule is that of [`tiers`]; integer ids are ordered by their decimal text.
///
/// Rows with a null id (`null_patient`), a null score (`null_value`), a NaN (`not_a_number`)
/// or infinite (`not_finite`) score, or an id that appears more than once
/// (`duplicate_patient`, every occurrence) are rejected; the rest form the population N.
///
/// * `scores`, in rank order: `patient_id` (the input's type), `score` (Float64), `rank`
///   (UInt64, 1 = highest), `tier` (Int32, 1 = highest risk), `tie_at_boundary` (Boolean).
/// * `rejects`: `row`, `patient_id`, `field`, `reason`, as for the other scores.
/// * Schema metadata: `carecoord.instrument` = `tiers`, `carecoord.weights` and
///   `carecoord.cuts` (the cuts, comma-separated), `carecoord.boundaries` (the cumulative
///   sizes), `carecoord.score_column`, plus the row counts.
///
/// # Errors
///
/// [`RiskError::InvalidOption`] for bad cuts; [`RiskError::MissingColumn`];
/// [`RiskError::ColumnType`] when the score is not numeric or the id not strings/integers.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Int32Array, RecordBatch, StringArray};
/// use carecoord::risk::{tiers_table, TierOptions};
///
/// let ids: Vec<String> = (0..1000).map(|i| format!("p{i:04}")).collect();
/// let scores: Vec<i32> = (0..1000).collect();
/// let batch = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(ids)) as _),
///     ("score", Arc::new(Int32Array::from(scores)) as _),
/// ])?;
/// let r = tiers_table(&[batch], &TierOptions::default())?;
/// let tier = r.scores.column_by_name("tier").unwrap();
/// let tier = tier.as_any().downcast_ref::<Int32Array>().unwrap();
/// let count = |t| tier.values().iter().filter(|&&x| x == t).count();
/// assert_eq!((count(1), count(2), count(3), count(4)), (5, 45, 150, 800));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tiers_table(
    batches: &[RecordBatch],
    options: &TierOptions,
) -> Result<ScoreResult, RiskError> {
    validate_cuts(&options.cuts)?;
    let ids = Ids::new(batches, &options.id_column)?;
    let mut people: Vec<(f64, Cow<'_, str>, At)> = Vec::new();
    let mut rejects = Rejects::default();
    let mut offset = 0;
    for (b, batch) in batches.iter().enumerate() {
        let score = Col::of(
            column(batch, &options.score_column)?,
            &options.score_column,
            ColKinds::NUMBER,
        )?;
        for index in 0..batch.num_rows() {
            let at = At {
                batch: b,
                index,
                row: offset + index,
            };
            let Some(id) = ids.text(at) else {
                rejects.push(at, &options.id_column, reason::NULL_PATIENT);
                continue;
            };
            match score.number(index) {
                Ok(Some(s)) => people.push((s + 0.0, id, at)),
                Ok(None) => rejects.push(at, &options.score_column, reason::NULL_VALUE),
                Err(why) => rejects.push(at, &options.score_column, why),
            }
        }
        offset += batch.num_rows();
    }
    // Duplicated ids: reject every occurrence, so the outcome does not depend on order.
    let mut count: FxHashMap<&str, usize> = FxHashMap::default();
    for (_, id, _) in &people {
        *count.entry(id.as_ref()).or_default() += 1;
    }
    let dup: Vec<bool> = people
        .iter()
        .map(|(_, id, _)| count[id.as_ref()] > 1)
        .collect();
    drop(count);
    let mut kept = Vec::with_capacity(people.len());
    for ((s, id, at), d) in people.into_iter().zip(dup) {
        if d {
            rejects.push(at, &options.id_column, DUPLICATE_PATIENT);
        } else {
            kept.push((s, id, at));
        }
    }
    kept.sort_unstable_by(|a, b| sort_key((a.0, &a.1), (b.0, &b.1)));
    let sorted: Vec<f64> = kept.iter().map(|p| p.0).collect();
    let bounds: Vec<usize> = options
        .cuts
        .iter()
        .map(|&c| boundary(kept.len(), c))
        .collect();
    let assigned = assign(&sorted, &bounds);

    let join = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(",");
    let cuts_text = join(&mut options.cuts.iter().map(|c| c.to_string()));
    let counts = RowCounts {
        rows_in: offset,
        rows_scored: kept.len(),
        rows_excluded: 0,
        rows_rejected: rejects.len(),
        patients: kept.len(),
    };
    let meta = metadata(
        "tiers",
        &cuts_text,
        &counts,
        &[
            ("carecoord.cuts", cuts_text.clone()),
            (
                "carecoord.boundaries",
                join(&mut bounds.iter().map(|b| b.to_string())),
            ),
            ("carecoord.score_column", options.score_column.clone()),
        ],
    );
    let picks: Vec<At> = kept.iter().map(|p| p.2).collect();
    let patient = ids.gather(&picks)?;
    let cols = vec![
        (
            Field::new("patient_id", patient.data_type().clone(), false),
            patient,
        ),
        (
            Field::new("score", DataType::Float64, false),
            Arc::new(Float64Array::from(sorted)) as _,
        ),
        (
            Field::new("rank", DataType::UInt64, false),
            Arc::new(UInt64Array::from_iter_values(
                assigned.iter().map(|a| a.rank as u64),
            )) as _,
        ),
        (
            Field::new("tier", DataType::Int32, false),
            Arc::new(Int32Array::from_iter_values(
                assigned.iter().map(|a| i32::from(a.tier)),
            )) as _,
        ),
        (
            Field::new("tie_at_boundary", DataType::Boolean, false),
            Arc::new(
                assigned
                    .iter()
                    .map(|a| Some(a.tie_at_boundary))
                    .collect::<BooleanArray>(),
            ) as _,
        ),
    ];
    Ok(ScoreResult {
        scores: record_batch(cols, meta.clone())?,
        rejects: rejects.finish(&ids, meta)?,
        explanations: None,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, ArrayRef, Float32Array, Int64Array, StringArray};
    use proptest::prelude::*;

    #[test]
    fn hand_checked_boundaries() {
        // 1000 × 0.005 = 5, × 0.05 = 50, × 0.20 = 200.
        assert_eq!(
            tier_boundaries(1000, &DEFAULT_TIER_CUTS).unwrap(),
            [5, 50, 200]
        );
        // 7 × 0.005 = 0.035 -> 1; 7 × 0.05 = 0.35 -> 1; 7 × 0.2 = 1.4 -> 2.
        assert_eq!(tier_boundaries(7, &DEFAULT_TIER_CUTS).unwrap(), [1, 1, 2]);
        // 200 × 0.005 = 1, × 0.05 = 10, × 0.2 = 40 (exact products, no extra person).
        assert_eq!(
            tier_boundaries(200, &DEFAULT_TIER_CUTS).unwrap(),
            [1, 10, 40]
        );
        // 201 × 0.005 = 1.005 -> 2; × 0.05 = 10.05 -> 11; × 0.2 = 40.2 -> 41.
        assert_eq!(
            tier_boundaries(201, &DEFAULT_TIER_CUTS).unwrap(),
            [2, 11, 41]
        );
        // 60000 × 0.005 = 300, × 0.05 = 3000, × 0.2 = 12000.
        assert_eq!(
            tier_boundaries(60_000, &DEFAULT_TIER_CUTS).unwrap(),
            [300, 3000, 12000]
        );
        assert_eq!(tier_boundaries(0, &DEFAULT_TIER_CUTS).unwrap(), [0, 0, 0]);
        // 0.1 × 30 is 3.0000000000000004 in binary floating point: still 3.
        assert_eq!(tier_boundaries(30, &[0.1, 1.0]).unwrap(), [3, 30]);
        // Whole-number products for every N up to 100000 with the default cuts.
        for n in (0..100_000usize).step_by(200) {
            assert_eq!(
                tier_boundaries(n, &DEFAULT_TIER_CUTS).unwrap(),
                [n / 200, n / 20, n / 5],
                "{n}"
            );
        }
    }

    #[test]
    fn n1000_tier_sizes() {
        let ids: Vec<String> = (0..1000).map(|i| format!("p{i:04}")).collect();
        let scores: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
        let t = tiers(&ids, &scores, &DEFAULT_TIER_CUTS).unwrap();
        let count = |k| t.iter().filter(|a| a.tier == k).count();
        assert_eq!([count(1), count(2), count(3), count(4)], [5, 45, 150, 800]);
        // The highest score (p0999) is rank 1, the lowest (p0000) rank 1000.
        assert_eq!(t[999].rank, 1);
        assert_eq!(t[0].rank, 1000);
        assert!(t.iter().all(|a| !a.tie_at_boundary));
    }

    #[test]
    fn ties_break_on_id_and_are_flagged() {
        // N = 7, boundaries 1, 1, 2. Everyone ties on 1.0: ranks by id ("a" < "b" < ...),
        // tiers 1, 3, 4, 4, 4, 4, 4; all flagged because the run crosses two boundaries.
        let ids = ["g", "c", "a", "e", "b", "f", "d"];
        let t = tiers(&ids, &[1.0; 7], &DEFAULT_TIER_CUTS).unwrap();
        let by_id: Vec<_> = ids
            .iter()
            .zip(&t)
            .map(|(i, a)| (*i, a.rank, a.tier))
            .collect();
        assert!(by_id.contains(&("a", 1, 1)));
        assert!(by_id.contains(&("b", 2, 3)));
        assert!(by_id.contains(&("g", 7, 4)));
        assert!(t.iter().all(|a| a.tie_at_boundary));
        // Ties inside one tier are not flagged; -0.0 and 0.0 tie.
        let t = tiers(
            &["a", "b", "c", "d", "e", "f", "g"],
            &[9.0, 8.0, 0.0, -0.0, 0.0, -1.0, -2.0],
            &DEFAULT_TIER_CUTS,
        )
        .unwrap();
        let got: Vec<_> = t.iter().map(|a| (a.tier, a.tie_at_boundary)).collect();
        assert_eq!(
            got,
            [
                (1, false),
                (3, false),
                (4, false),
                (4, false),
                (4, false),
                (4, false),
                (4, false)
            ]
        );
        // Bytewise order: "B" (0x42) sorts before "a" (0x61).
        let t = tiers(&["a", "B"], &[1.0, 1.0], &[0.5]).unwrap();
        assert_eq!((t[0].rank, t[1].rank), (2, 1));
    }

    #[test]
    fn errors() {
        let bad = |cuts: &[f64]| {
            matches!(
                tiers(&["a"], &[1.0], cuts),
                Err(RiskError::InvalidOption { option: "cuts", .. })
            )
        };
        assert!(bad(&[]));
        assert!(bad(&[0.0]));
        assert!(bad(&[1.5]));
        assert!(bad(&[f64::NAN]));
        assert!(bad(&[0.2, 0.05]));
        assert!(bad(&[0.05, 0.05]));
        assert!(!bad(&[1.0]));
        assert!(matches!(
            tiers(&["a", "b"], &[1.0], &DEFAULT_TIER_CUTS),
            Err(RiskError::InvalidOption {
                option: "scores",
                ..
            })
        ));
        assert!(matches!(
            tiers(&["a"], &[f64::NAN], &DEFAULT_TIER_CUTS),
            Err(RiskError::InvalidOption {
                option: "scores",
                ..
            })
        ));
        let e = tiers(
            &["9434765919", "9434765919"],
            &[1.0, 2.0],
            &DEFAULT_TIER_CUTS,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "option `ids`: the ids at positions 0 and 1 are the same");
        assert!(!e.contains("9434765919"));
    }

    #[test]
    fn by_position() {
        // N = 7 with the default cuts: boundaries 1, 1, 2 (as in `hand_checked_boundaries`).
        // Scores 5, 9, 9, 1, 9, 0, 2: the three 9s tie; by position 1, 2, 4 they take ranks
        // 1, 2, 3 and tiers 1, 3, 4, all flagged; then 5 (rank 4), 2, 1, 0.
        let t =
            tiers_by_position(&[5.0, 9.0, 9.0, 1.0, 9.0, 0.0, 2.0], &DEFAULT_TIER_CUTS).unwrap();
        let got: Vec<_> = t
            .iter()
            .map(|a| (a.tier, a.rank, a.tie_at_boundary))
            .collect();
        assert_eq!(
            got,
            [
                (4, 4, false),
                (1, 1, true),
                (3, 2, true),
                (4, 6, false),
                (4, 3, true),
                (4, 7, false),
                (4, 5, false)
            ]
        );
        // Zero-padded positions as ids give the same answer as `tiers`.
        let scores = [0.3, 0.3, 0.1, 0.3, 0.2];
        let ids: Vec<String> = (0..5).map(|i| format!("{i:03}")).collect();
        assert_eq!(
            tiers_by_position(&scores, &[0.2, 0.6]).unwrap(),
            tiers(&ids, &scores, &[0.2, 0.6]).unwrap()
        );
        assert!(tiers_by_position(&[], &DEFAULT_TIER_CUTS)
            .unwrap()
            .is_empty());
        assert!(matches!(
            tiers_by_position(&[1.0, f64::INFINITY], &DEFAULT_TIER_CUTS),
            Err(RiskError::InvalidOption { option: "scores", reason }) if reason.contains("position 1")
        ));
        assert!(matches!(
            tiers_by_position(&[1.0], &[0.5, 0.5]),
            Err(RiskError::InvalidOption { option: "cuts", .. })
        ));
    }

    #[test]
    fn table_batches_match_one_batch() {
        let ids: Vec<String> = (0..50).map(|i| format!("p{i:02}")).collect();
        let scores: Vec<i64> = (0..50).map(|i| (i * 7) % 11).collect();
        let b = RecordBatch::try_from_iter([
            ("patient_id", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("score", Arc::new(Int64Array::from(scores)) as _),
        ])
        .unwrap();
        let one = tiers_table(std::slice::from_ref(&b), &TierOptions::default()).unwrap();
        let parts: Vec<RecordBatch> = (0..50)
            .step_by(7)
            .map(|o| b.slice(o, 7.min(50 - o)))
            .collect();
        let many = tiers_table(&parts, &TierOptions::default()).unwrap();
        assert_eq!(many.scores, one.scores);
        assert_eq!(many.rejects, one.rejects);
    }

    fn col<T: Array + Clone + 'static>(b: &RecordBatch, name: &str) -> T {
        b.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<T>()
            .unwrap()
            .clone()
    }

    #[test]
    fn table_rejects_and_schema() {
        let b1 = RecordBatch::try_from_iter([
            (
                "pid",
                Arc::new(Int64Array::from(vec![Some(1), None, Some(3), Some(4)])) as ArrayRef,
            ),
            (
                "efi",
                Arc::new(Float32Array::from(vec![
                    Some(0.5),
                    Some(0.1),
                    None,
                    Some(f32::NAN),
                ])) as _,
            ),
        ])
        .unwrap();
        let b2 = RecordBatch::try_from_iter([
            (
                "pid",
                Arc::new(Int64Array::from(vec![5, 6, 6, 7])) as ArrayRef,
            ),
            (
                "efi",
                Arc::new(Float32Array::from(vec![0.25, 0.3, 0.3, 0.25])) as _,
            ),
        ])
        .unwrap();
        let opts = TierOptions {
            id_column: "pid".into(),
            score_column: "efi".into(),
            cuts: vec![0.25, 0.5],
        };
        let r = tiers_table(&[b1, b2], &opts).unwrap();
        assert!(r.counts.is_balanced());
        // Kept: 1 (0.5), 5 (0.25), 7 (0.25). N = 3: boundaries ceil(0.75) = 1, ceil(1.5) = 2.
        // Sorted: 1, 5, 7 (5 and 7 tie; "5" < "7"): tiers 1, 2, 3; 5 and 7 flagged.
        let pid = col::<Int64Array>(&r.scores, "patient_id");
        assert_eq!(pid.values().to_vec(), vec![1, 5, 7]);
        assert_eq!(
            col::<Int32Array>(&r.scores, "tier").values().to_vec(),
            vec![1, 2, 3]
        );
        assert_eq!(
            col::<UInt64Array>(&r.scores, "rank").values().to_vec(),
            vec![1, 2, 3]
        );
        let tie = col::<BooleanArray>(&r.scores, "tie_at_boundary");
        assert_eq!(
            (0..3).map(|i| tie.value(i)).collect::<Vec<_>>(),
            [false, true, true]
        );
        let reasons = col::<StringArray>(&r.rejects, "reason");
        let reasons: Vec<_> = (0..reasons.len()).map(|i| reasons.value(i)).collect();
        assert_eq!(
            reasons,
            [
                "null_patient",
                "null_value",
                "not_a_number",
                "duplicate_patient",
                "duplicate_patient"
            ]
        );
        assert_eq!(
            col::<UInt64Array>(&r.rejects, "row").values().to_vec(),
            vec![1, 2, 3, 5, 6]
        );
        let meta = r.scores.schema().metadata().clone();
        assert_eq!(meta["carecoord.cuts"], "0.25,0.5");
        assert_eq!(meta["carecoord.boundaries"], "1,2");
        assert_eq!(meta["carecoord.rows_in"], "8");
        assert!(matches!(
            tiers_table(
                &[],
                &TierOptions {
                    cuts: vec![],
                    ..Default::default()
                }
            ),
            Err(RiskError::InvalidOption { option: "cuts", .. })
        ));
    }

    proptest! {
        // Tier sizes follow the boundaries; ranks are 1..=N with scores non-increasing; the
        // tie flag is set exactly when an equal score sits in another tier.
        #[test]
        fn sizes_ranks_and_ties(scores in proptest::collection::vec(0u8..20, 0..300),
                                cuts in proptest::sample::subsequence(vec![0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0], 1..4)) {
            let ids: Vec<String> = (0..scores.len()).map(|i| format!("id{i}")).collect();
            let s: Vec<f64> = scores.iter().map(|&x| f64::from(x)).collect();
            let t = tiers(&ids, &s, &cuts).unwrap();
            let bounds = tier_boundaries(ids.len(), &cuts).unwrap();
            let mut prev = 0;
            for (k, &b) in bounds.iter().enumerate() {
                let n = t.iter().filter(|a| usize::from(a.tier) == k + 1).count();
                prop_assert_eq!(n, b - prev);
                prev = b;
            }
            let last = t.iter().filter(|a| usize::from(a.tier) == cuts.len() + 1).count();
            prop_assert_eq!(last, ids.len() - prev);
            let mut by_rank: Vec<_> = (0..ids.len()).collect();
            by_rank.sort_by_key(|&i| t[i].rank);
            for (pos, &i) in by_rank.iter().enumerate() {
                prop_assert_eq!(t[i].rank, pos + 1);
                if pos > 0 {
                    prop_assert!(s[by_rank[pos - 1]] >= s[i]);
                }
            }
            for i in 0..ids.len() {
                let crosses = (0..ids.len()).any(|j| s[j] == s[i] && t[j].tier != t[i].tier);
                prop_assert_eq!(t[i].tie_at_boundary, crosses);
            }
        }

        // The same people in any order get the same tiers, ranks and flags.
        #[test]
        fn shuffle_invariant(people in proptest::collection::vec(0u8..10, 1..200).prop_flat_map(|s| {
            let rows: Vec<(usize, u8)> = s.into_iter().enumerate().collect();
            (Just(rows.clone()), Just(rows).prop_shuffle())
        })) {
            let (a, b) = people;
            let run = |rows: &[(usize, u8)]| {
                let ids: Vec<String> = rows.iter().map(|r| format!("p{}", r.0)).collect();
                let s: Vec<f64> = rows.iter().map(|r| f64::from(r.1)).collect();
                let t = tiers(&ids, &s, &DEFAULT_TIER_CUTS).unwrap();
                let mut v: Vec<_> = ids.into_iter().zip(t).collect();
                v.sort_by(|x, y| x.0.cmp(&y.0));
                v
            };
            prop_assert_eq!(run(&a), run(&b));
        }

        // The Arrow path agrees with the slice path.
        #[test]
        fn table_matches_slices(scores in proptest::collection::vec(-5i64..5, 0..120)) {
            let ids: Vec<String> = (0..scores.len()).map(|i| format!("x{i}")).collect();
            let b = RecordBatch::try_from_iter([
                ("patient_id", Arc::new(StringArray::from(ids.clone())) as ArrayRef),
                ("score", Arc::new(Int64Array::from(scores.clone())) as _),
            ]).unwrap();
            let r = tiers_table(&[b], &TierOptions::default()).unwrap();
            let s: Vec<f64> = scores.iter().map(|&x| x as f64).collect();
            let t = tiers(&ids, &s, &DEFAULT_TIER_CUTS).unwrap();
            let out_ids = col::<StringArray>(&r.scores, "patient_id");
            let out_tier = col::<Int32Array>(&r.scores, "tier");
            for pos in 0..out_ids.len() {
                let i = ids.iter().position(|x| x == out_ids.value(pos)).unwrap();
                prop_assert_eq!(t[i].rank, pos + 1);
                prop_assert_eq!(i32::from(t[i].tier), out_tier.value(pos));
            }
        }
    }
}
