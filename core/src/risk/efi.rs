//! The electronic Frailty Index (eFI).
//!
//! Clegg A, Bates C, Young J, et al. Development and validation of an electronic frailty
//! index using routine primary care electronic health record data. *Age Ageing*
//! 2016;45(3):353-360: 36 deficits (`efi_deficits.csv`: 35 coded deficits plus polypharmacy),
//! eFI = deficits present / 36, bands fit / mild / moderate / severe (DOMAIN.md 2.9,
//! `data/risk/SOURCES.md` section 5).
//!
//! The published code lists may not be bundled: the caller loads a licensed list with
//! [`EfiCodeList::from_csv`]; [`EfiCodeList::example`] is a small illustrative list for tests
//! and demos only. eFI2 (Best et al. 2025) is a different, weighted model and is not here.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field};
use chrono::{Months, NaiveDate};
use rustc_hash::FxHashMap;

use super::input::{LongInput, LongTable, RowAt, Window};
use super::model::columns::{gather, metadata, record_batch, At, Ids};
use super::output::bool_column;
use super::{RiskError, ScoreResult};
use crate::ids::SnomedId;

const DEFICITS_CSV: &str = include_str!("../../data/risk/efi_deficits.csv");
const EXAMPLE_CSV: &str = include_str!("../../data/risk/efi_example_codelist.csv");

/// The number of eFI deficits, the denominator of the index.
///
/// ```
/// assert_eq!(usize::from(carecoord::risk::EFI_DEFICIT_COUNT), carecoord::risk::efi_deficits().len());
/// ```
pub const EFI_DEFICIT_COUNT: u8 = 36;

/// The deficit that is a rule on medications rather than a code list.
const POLYPHARMACY: &str = "polypharmacy";

/// Distinct medication codes in the look-back that make polypharmacy present.
const POLYPHARMACY_MIN_CODES: usize = 5;

/// One of the 36 eFI deficits (`efi_deficits.csv`).
///
/// ```
/// use carecoord::risk::efi_deficits;
/// let d = &efi_deficits()[0];
/// assert_eq!((d.id, d.name, d.kind), ("activity_limitation", "Activity limitation", "disability"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EfiDeficit {
    /// Stable key, e.g. `atrial_fibrillation` (the gm-sde folder name, see SOURCES.md).
    pub id: &'static str,
    /// Readable name, e.g. `Atrial fibrillation`.
    pub name: &'static str,
    /// This project's grouping: condition, symptom, disability, social or medication_rule.
    pub kind: &'static str,
}

static DEFICITS: LazyLock<Vec<EfiDeficit>> = LazyLock::new(|| {
    let mut lines = DEFICITS_CSV.lines().map(|l| l.trim_end_matches('\r'));
    assert_eq!(
        lines.next(),
        Some("deficit_id,deficit_name,kind"),
        "bug: efi_deficits.csv header"
    );
    let rows: Vec<EfiDeficit> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.split(',');
            let (Some(id), Some(name), Some(kind), None) = (f.next(), f.next(), f.next(), f.next())
            else {
                panic!("bug: efi_deficits.csv row without three fields");
            };
            EfiDeficit { id, name, kind }
        })
        .collect();
    assert_eq!(
        rows.len(),
        usize::from(EFI_DEFICIT_COUNT),
        "bug: efi_deficits.csv must list 36 deficits"
    );
    rows
});

/// The 36 eFI deficits in `efi_deficits.csv` order (the order of the output columns).
///
/// ```
/// use carecoord::risk::efi_deficits;
/// assert_eq!(efi_deficits().len(), 36);
/// assert!(efi_deficits().iter().any(|d| d.id == "polypharmacy"));
/// ```
pub fn efi_deficits() -> &'static [EfiDeficit] {
    &DEFICITS
}

fn deficit_index(id: &str) -> Option<usize> {
    DEFICITS.iter().position(|d| d.id == id)
}

fn polypharmacy_bit() -> u64 {
    deficit_index(POLYPHARMACY).map_or(0, |i| 1 << i)
}

/// eFI band (Clegg 2016 categories).
///
/// ```
/// use carecoord::risk::EfiBand;
/// assert_eq!(EfiBand::Moderate.as_str(), "moderate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EfiBand {
    /// eFI up to 0.12.
    Fit,
    /// Above 0.12, up to 0.24.
    Mild,
    /// Above 0.24, up to 0.36.
    Moderate,
    /// Above 0.36.
    Severe,
}

impl EfiBand {
    /// `fit`, `mild`, `moderate` or `severe`.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::EfiBand::Severe.as_str(), "severe");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Fit => "fit",
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }
}

impl fmt::Display for EfiBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which eFI banding convention, applied to the integer deficit count (never to a float).
///
/// Both are in use (DOMAIN.md 2.9) and every output states which one it used:
///
/// | banding | fit | mild | moderate | severe | why |
/// |---|---|---|---|---|---|
/// | `clegg2016` (default) | 0-4 | 5-8 | 9-12 | 13+ | Clegg 2016 thresholds on the exact fraction: 13/36 = 0.361 > 0.36 |
/// | `rounded_2dp` | 0-4 | 5-8 | 9-13 | 14+ | the score rounded to two places first (13/36 shows as 0.36), as clinical systems and UK guidance tables print it |
///
/// ```
/// use carecoord::risk::{EfiBand, EfiBanding};
/// assert_eq!(EfiBanding::Clegg2016.band(13), EfiBand::Severe);
/// assert_eq!(EfiBanding::Rounded2dp.band(13), EfiBand::Moderate);
/// assert_eq!("rounded_2dp".parse::<EfiBanding>()?, EfiBanding::Rounded2dp);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum EfiBanding {
    /// Clegg 2016 on the exact fraction: 0-4 fit, 5-8 mild, 9-12 moderate, 13+ severe.
    #[default]
    Clegg2016,
    /// Score rounded to two decimals first: 0-4 fit, 5-8 mild, 9-13 moderate, 14+ severe.
    Rounded2dp,
}

impl EfiBanding {
    /// `clegg2016` or `rounded_2dp`, as written in outputs.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::EfiBanding::default().as_str(), "clegg2016");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Clegg2016 => "clegg2016",
            Self::Rounded2dp => "rounded_2dp",
        }
    }

    /// The band of a deficit count.
    ///
    /// ```
    /// use carecoord::risk::{EfiBand, EfiBanding};
    /// assert_eq!(EfiBanding::Clegg2016.band(4), EfiBand::Fit);
    /// assert_eq!(EfiBanding::Clegg2016.band(5), EfiBand::Mild);
    /// ```
    pub fn band(&self, deficits: u8) -> EfiBand {
        let moderate_max = match self {
            Self::Clegg2016 => 12,
            Self::Rounded2dp => 13,
        };
        match deficits {
            0..=4 => EfiBand::Fit,
            5..=8 => EfiBand::Mild,
            d if d <= moderate_max => EfiBand::Moderate,
            _ => EfiBand::Severe,
        }
    }
}

impl fmt::Display for EfiBanding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EfiBanding {
    type Err = RiskError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "clegg2016" => Ok(Self::Clegg2016),
            "rounded_2dp" => Ok(Self::Rounded2dp),
            _ => Err(RiskError::InvalidOption {
                option: "banding",
                reason: "expected `clegg2016` or `rounded_2dp`".to_string(),
            }),
        }
    }
}

/// One person's eFI.
///
/// ```
/// use carecoord::risk::{efi_for_deficits, EfiBand, EfiBanding, EfiScore};
/// let s: EfiScore = efi_for_deficits(9, EfiBanding::Clegg2016)?;
/// assert_eq!((s.deficits, s.efi, s.band), (9, 0.25, EfiBand::Moderate));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EfiScore {
    /// Deficits present, 0-36.
    pub deficits: u8,
    /// `deficits / 36`.
    pub efi: f64,
    /// Band of the count under `banding`.
    pub band: EfiBand,
    /// The banding convention used.
    pub banding: EfiBanding,
}

/// The eFI of a deficit count (Clegg et al., *Age Ageing* 2016): `count / 36` and its band.
///
/// # Errors
///
/// [`RiskError::InvalidOption`] (option `count`) when the count is above 36.
///
/// # Example
///
/// ```
/// use carecoord::risk::{efi_for_deficits, EfiBand, EfiBanding};
/// // 13/36 = 0.361: severe under Clegg 2016, moderate once rounded to 0.36.
/// assert_eq!(efi_for_deficits(13, EfiBanding::Clegg2016)?.band, EfiBand::Severe);
/// assert_eq!(efi_for_deficits(13, EfiBanding::Rounded2dp)?.band, EfiBand::Moderate);
/// assert!(efi_for_deficits(37, EfiBanding::Clegg2016).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn efi_for_deficits(count: u32, banding: EfiBanding) -> Result<EfiScore, RiskError> {
    let deficits = u8::try_from(count)
        .ok()
        .filter(|&c| c <= EFI_DEFICIT_COUNT)
        .ok_or_else(|| RiskError::InvalidOption {
            option: "count",
            reason: "an eFI has at most 36 deficits".to_string(),
        })?;
    Ok(EfiScore {
        deficits,
        efi: f64::from(deficits) / f64::from(EFI_DEFICIT_COUNT),
        band: banding.band(deficits),
        banding,
    })
}

/// A SNOMED CT code list for the 35 coded eFI deficits.
///
/// Load the licensed list with [`EfiCodeList::from_csv`]. A concept may belong to several
/// deficits. `Debug` prints only sizes.
///
/// ```
/// use carecoord::ids::SnomedId;
/// use carecoord::risk::EfiCodeList;
/// let list = EfiCodeList::from_csv("deficit_id,code\nhypertension,38341003\n")?;
/// assert_eq!(list.deficits_of(SnomedId::parse("38341003")?), vec!["hypertension"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EfiCodeList {
    /// Concept id -> bitmask of deficits (bit i = `efi_deficits()[i]`).
    codes: FxHashMap<u64, u64>,
    example: bool,
}

impl fmt::Debug for EfiCodeList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EfiCodeList")
            .field("concepts", &self.codes.len())
            .field("example", &self.example)
            .finish()
    }
}

fn list_err(line: usize, reason: impl Into<String>) -> RiskError {
    RiskError::CodeList {
        line,
        reason: reason.into(),
    }
}

/// Split one CSV record (RFC 4180 quoting with `""` escapes; no line breaks in fields).
fn split_record(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err("a quote inside an unquoted field"),
            (false, ',') => {
                out.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field");
    }
    out.push(field);
    Ok(out)
}

impl EfiCodeList {
    /// Load a code list from CSV text.
    ///
    /// The header names the columns: `deficit_id` plus `code` or `snomed_concept_id`; other
    /// columns (such as `term`) are ignored, as are blank lines and lines starting with `#`.
    /// Fields may be double-quoted. Each `deficit_id` must be one of the 35 coded deficits
    /// of [`efi_deficits`] and each code a valid SNOMED CT concept id (Verhoeff check digit,
    /// partition `00` or `10`). Polypharmacy is a rule, not a code list, and may not appear.
    ///
    /// # Errors
    ///
    /// [`RiskError::CodeList`] with the one-based line number: a missing or incomplete
    /// header, a short row, bad quoting, an unknown deficit id, `polypharmacy`, an invalid
    /// SCTID (the rule broken is named), or a list without any code.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::risk::{EfiCodeList, RiskError};
    /// let text = "deficit_id,snomed_concept_id,term\n\"diabetes\",73211009,\"diabetes, any type\"\n";
    /// assert_eq!(EfiCodeList::from_csv(text)?.len(), 1);
    /// let bad = "deficit_id,code\nhypertension,38341003\npolypharmacy,38341003\n";
    /// assert!(matches!(EfiCodeList::from_csv(bad), Err(RiskError::CodeList { line: 3, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_csv(text: &str) -> Result<Self, RiskError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut columns: Option<(usize, usize, usize)> = None; // (deficit, code, width)
        let mut codes: FxHashMap<u64, u64> = FxHashMap::default();
        let mut last = 1;
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            last = line_no;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let fields = split_record(line).map_err(|r| list_err(line_no, r))?;
            let Some((d, c, width)) = columns else {
                let find = |names: &[&str]| {
                    fields
                        .iter()
                        .position(|f| names.contains(&f.trim().to_ascii_lowercase().as_str()))
                };
                match (find(&["deficit_id"]), find(&["code", "snomed_concept_id"])) {
                    (Some(d), Some(c)) => columns = Some((d, c, d.max(c) + 1)),
                    _ => {
                        return Err(list_err(
                            line_no,
                            "the header must name `deficit_id` and `code` (or \
                             `snomed_concept_id`) columns",
                        ))
                    }
                }
                continue;
            };
            if fields.len() < width {
                return Err(list_err(
                    line_no,
                    format!("expected at least {width} fields, found {}", fields.len()),
                ));
            }
            let deficit = fields[d].trim();
            if deficit == POLYPHARMACY {
                return Err(list_err(
                    line_no,
                    "polypharmacy is not a code list: it is the rule of five or more distinct \
                     medication codes in the 12 months up to the index date",
                ));
            }
            let Some(bit) = deficit_index(deficit) else {
                let shown: String = deficit.chars().take(40).collect();
                return Err(list_err(
                    line_no,
                    format!("unknown eFI deficit id `{shown}` (see efi_deficits.csv)"),
                ));
            };
            let id = SnomedId::parse_concept(&fields[c])
                .map_err(|e| list_err(line_no, format!("invalid SNOMED CT concept id: {e}")))?;
            *codes.entry(id.value()).or_default() |= 1 << bit;
        }
        if columns.is_none() {
            return Err(list_err(
                1,
                "empty code list: expected a header `deficit_id,code`",
            ));
        }
        if codes.is_empty() {
            return Err(list_err(last, "the code list has no codes"));
        }
        Ok(Self {
            codes,
            example: false,
        })
    }

    /// The bundled illustrative list (`core/data/risk/efi_example_codelist.csv`): a few
    /// well-known SNOMED CT concepts for 26 of the 35 coded deficits, written by this project
    /// for tests and demos. **It is not clinically complete**: eFI scores computed with it
    /// undercount frailty. Outputs made with it say so in their metadata (`carecoord.note`).
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// use carecoord::risk::EfiCodeList;
    /// let list = EfiCodeList::example();
    /// assert!(list.is_example());
    /// assert_eq!(list.deficits_of(SnomedId::parse("49436004")?), vec!["atrial_fibrillation"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn example() -> Self {
        static EXAMPLE: LazyLock<EfiCodeList> = LazyLock::new(|| {
            let mut list = EfiCodeList::from_csv(EXAMPLE_CSV)
                .unwrap_or_else(|e| panic!("bug: bundled eFI example list: {e}"));
            list.example = true;
            list
        });
        EXAMPLE.clone()
    }

    /// Whether this is the bundled illustrative list.
    ///
    /// ```
    /// assert!(!carecoord::risk::EfiCodeList::default().is_example());
    /// ```
    pub fn is_example(&self) -> bool {
        self.example
    }

    /// The number of distinct concepts in the list.
    ///
    /// ```
    /// assert_eq!(carecoord::risk::EfiCodeList::example().len(), 36);
    /// ```
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the list has no concepts (only the `Default` value).
    ///
    /// ```
    /// assert!(carecoord::risk::EfiCodeList::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    fn lookup(&self, concept: u64) -> u64 {
        self.codes.get(&concept).copied().unwrap_or(0)
    }

    /// The deficit ids a concept counts for, in [`efi_deficits`] order (empty if none).
    ///
    /// ```
    /// use carecoord::ids::SnomedId;
    /// use carecoord::risk::EfiCodeList;
    /// assert!(EfiCodeList::example().deficits_of(SnomedId::parse("22298006")?).contains(&"chd"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deficits_of(&self, concept: SnomedId) -> Vec<&'static str> {
        let bits = self.lookup(concept.value());
        DEFICITS
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, d)| d.id)
            .collect()
    }

    /// How many concepts each of the 35 coded deficits has, in [`efi_deficits`] order (a
    /// deficit with 0 can never be found: check a list's coverage before use).
    ///
    /// ```
    /// let cover = carecoord::risk::EfiCodeList::example().coverage();
    /// assert_eq!(cover.len(), 35);
    /// assert_eq!(cover.iter().filter(|(_, n)| *n > 0).count(), 26);
    /// ```
    pub fn coverage(&self) -> Vec<(&'static str, usize)> {
        DEFICITS
            .iter()
            .enumerate()
            .filter(|(_, d)| d.id != POLYPHARMACY)
            .map(|(i, d)| {
                let n = self.codes.values().filter(|&&b| b & (1 << i) != 0).count();
                (d.id, n)
            })
            .collect()
    }
}

/// Input columns and dates for [`efi`].
///
/// Defaults: conditions `patient_id`, `code` (no date); medications `patient_id`, `code`,
/// `date`; no index date; the whole record; [`EfiBanding::Clegg2016`].
///
/// ```
/// use carecoord::risk::{EfiBanding, EfiOptions, LongInput};
/// use chrono::NaiveDate;
/// let opts = EfiOptions {
///     conditions: LongInput { date: Some("recorded"), ..LongInput::default() },
///     index_date: NaiveDate::from_ymd_opt(2026, 11, 23),
///     banding: EfiBanding::Rounded2dp,
///     ..EfiOptions::default()
/// };
/// assert_eq!(opts.medications.date, Some("date"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EfiOptions<'a> {
    /// Condition table columns: patient, SNOMED CT concept id (strings), optional date
    /// (read only with an index date). `age` is ignored.
    pub conditions: LongInput<'a>,
    /// Medication table columns: patient, medication code (any code system, compared as
    /// text), date (required). `age` is ignored.
    pub medications: LongInput<'a>,
    /// The date the eFI is computed at. Needed for polypharmacy; with a condition date
    /// column, conditions recorded after it are excluded.
    pub index_date: Option<NaiveDate>,
    /// Only conditions recorded in the `lookback_days` days before the index date count
    /// (None: the whole record up to the index date). Needs `index_date` and a condition date.
    pub lookback_days: Option<u32>,
    /// Banding convention.
    pub banding: EfiBanding,
}

impl Default for EfiOptions<'static> {
    fn default() -> Self {
        Self {
            conditions: LongInput::default(),
            medications: LongInput {
                date: Some("date"),
                ..LongInput::default()
            },
            index_date: None,
            lookback_days: None,
            banding: EfiBanding::Clegg2016,
        }
    }
}

/// The first day of the polypharmacy look-back: the day after `index - 12 months`.
fn polypharmacy_window(index: NaiveDate) -> Result<Window, RiskError> {
    let start = index
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.succ_opt())
        .ok_or_else(|| RiskError::InvalidOption {
            option: "index_date",
            reason: "out of range".to_string(),
        })?;
    Ok(Window {
        index_date: index,
        lookback_days: u32::try_from((index - start).num_days()).unwrap_or(0),
    })
}

fn patient_arrays<'a>(batches: &'a [RecordBatch], name: &str) -> Vec<&'a dyn Array> {
    batches
        .iter()
        .filter_map(|b| b.column_by_name(name).map(|a| a.as_ref()))
        .collect()
}

/// The electronic Frailty Index for every patient of long-format condition (and medication)
/// tables (Clegg et al., *Age Ageing* 2016).
///
/// * **Coded deficits**: a patient has a deficit when any of their condition codes (SNOMED CT
///   concept ids, as strings) is in `codelist` for it; with an index date and a condition
///   date column, only codes up to the index date (and within `lookback_days`) count.
/// * **Polypharmacy** (SOURCES.md section 5): present when the patient has **five or more
///   distinct medication codes** (distinct values of the medication code column, trimmed;
///   "medication" is whatever that code identifies, e.g. a dm+d product) dated in the **12
///   months up to the index date**: after `index - 12 calendar months`, up to and including
///   the index date (2025-11-24 to 2026-11-23 for an index of 2026-11-23). Without
///   medications it is not assessed: the `polypharmacy` column is null and the count covers
///   the 35 coded deficits only (the denominator stays 36).
///
/// **Scores**, one row per patient in order of first appearance (conditions, then patients
/// found only in medications): `patient_id` (input type), `deficits` (Int32), `efi`
/// (Float64, deficits / 36), `band` (Utf8: fit, mild, moderate, severe), `banding` (Utf8:
/// `clegg2016` or `rounded_2dp`), then one Boolean column per deficit named by its id, in
/// [`efi_deficits`] order.
///
/// **Rejects**: `row` (zero-based within its own input), `patient_id`, `field` (the input
/// column; medication columns are prefixed `medications.`), `reason`: `null_patient`,
/// `null_code`, `null_date`, `invalid_date`, `empty_code` (medications), or the SNOMED CT
/// rule broken ([`SnomedIdError::code`](crate::ids::SnomedIdError::code), e.g.
/// `check_digit_mismatch`, `not_a_concept`). Rows outside the date windows are excluded,
/// not rejected. `counts` add up over both inputs.
///
/// **Metadata**: `carecoord.instrument` = `efi`, `carecoord.weights` = `clegg2016`,
/// `carecoord.banding`, `carecoord.codelist` (`example` or `user`), `carecoord.polypharmacy`
/// (`assessed` or `not_assessed`), `carecoord.index_date` and
/// `carecoord.polypharmacy_window` when set, `carecoord.note` for the example list.
///
/// # Errors
///
/// [`RiskError::MissingColumn`] / [`RiskError::ColumnType`] for the input columns (codes
/// must be strings); [`RiskError::InvalidOption`] when medications are given without
/// `index_date` or a medication date column, when `lookback_days` is set without an index
/// date and condition date column, or when the two inputs' patient columns differ in type;
/// [`RiskError::Arrow`] when batches of one input differ in column types.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Array, BooleanArray, Date32Array, Float64Array, RecordBatch, StringArray};
/// use carecoord::risk::{efi, EfiCodeList, EfiOptions};
/// use chrono::NaiveDate;
///
/// let conditions = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["p1", "p1", "p2"])) as _),
///     ("code", Arc::new(StringArray::from(vec!["38341003", "49436004", "22298007"])) as _),
/// ])?;
/// let index = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
/// let day = (index - NaiveDate::default()).num_days() as i32 - 30;
/// let medications = RecordBatch::try_from_iter([
///     ("patient_id", Arc::new(StringArray::from(vec!["p1"; 5])) as _),
///     ("code", Arc::new(StringArray::from(vec!["m1", "m2", "m3", "m4", "m5"])) as _),
///     ("date", Arc::new(Date32Array::from(vec![day; 5])) as _),
/// ])?;
/// let opts = EfiOptions { index_date: Some(index), ..EfiOptions::default() };
/// let r = efi(&[conditions], Some(&[medications]), &EfiCodeList::example(), &opts)?;
/// // p1: hypertension + atrial fibrillation + polypharmacy = 3; 3/36 = 0.0833.
/// let e = r.scores.column_by_name("efi").unwrap();
/// assert_eq!(e.as_any().downcast_ref::<Float64Array>().unwrap().value(0), 3.0 / 36.0);
/// // 22298007 fails the Verhoeff check: rejected, and p2 scores 0.
/// assert_eq!(r.rejects.num_rows(), 1);
/// let poly = r.scores.column_by_name("polypharmacy").unwrap();
/// assert!(poly.as_any().downcast_ref::<BooleanArray>().unwrap().value(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn efi(
    conditions: &[RecordBatch],
    medications: Option<&[RecordBatch]>,
    codelist: &EfiCodeList,
    opts: &EfiOptions<'_>,
) -> Result<ScoreResult, RiskError> {
    // ---- options ----
    let mut ccols = opts.conditions;
    ccols.age = None;
    let cwindow = match (opts.index_date, ccols.date) {
        (Some(index_date), Some(_)) => Some(Window {
            index_date,
            lookback_days: opts.lookback_days.unwrap_or(u32::MAX),
        }),
        _ if opts.lookback_days.is_some() => {
            return Err(RiskError::InvalidOption {
                option: "lookback_days",
                reason: "needs `index_date` and a condition date column".to_string(),
            })
        }
        _ => None,
    };
    let mut mcols = opts.medications;
    mcols.age = None;
    let mwindow = match medications {
        None => None,
        Some(_) => {
            let index = opts.index_date.ok_or_else(|| RiskError::InvalidOption {
                option: "index_date",
                reason: "polypharmacy needs an index date".to_string(),
            })?;
            if mcols.date.is_none() {
                return Err(RiskError::InvalidOption {
                    option: "medications",
                    reason: "polypharmacy needs a medication date column".to_string(),
                });
            }
            Some(polypharmacy_window(index)?)
        }
    };

    // ---- conditions ----
    let ctable = LongTable::new(conditions, &ccols, cwindow.as_ref())?;
    let mut bits: Vec<u64> = Vec::new();
    let cwalk = ctable.walk(
        |s| {
            SnomedId::parse_concept(s)
                .map(|id| id.value())
                .map_err(|e| e.code())
        },
        |_, _| Ok(()),
        |_: RowAt, p: u32, concept: u64, _| {
            let b = codelist.lookup(concept);
            if b != 0 {
                let i = p as usize;
                if i >= bits.len() {
                    bits.resize(i + 1, 0);
                }
                bits[i] |= b;
            }
        },
    );
    bits.resize(cwalk.patients.len(), 0);

    // Patients: conditions first, keyed by their id text.
    let cids = Ids::new(conditions, ccols.patient)?;
    let key_of = |ids: &Ids<'_>, at: RowAt| {
        ids.text(At {
            batch: at.batch as usize,
            index: at.index as usize,
            row: at.row as usize,
        })
        .map(|s| s.into_owned())
        .unwrap_or_default()
    };
    let mut index_of: FxHashMap<String, usize> = FxHashMap::default();
    let mut picks: Vec<At> = Vec::with_capacity(cwalk.patients.len());
    for (p, &at) in cwalk.patients.iter().enumerate() {
        index_of.insert(key_of(&cids, at), p);
        picks.push(At {
            batch: at.batch as usize,
            index: at.index as usize,
            row: at.row as usize,
        });
    }
    let mut sources: Vec<&dyn Array> = patient_arrays(conditions, ccols.patient);
    let mut counts = cwalk.counts;
    let mut reject_rows: Vec<(At, String, &'static str)> = cwalk
        .rejects
        .iter()
        .map(|r| {
            let at = At {
                batch: r.at.batch as usize,
                index: r.at.index as usize,
                row: r.at.row as usize,
            };
            (at, ctable.field_name(r.field).to_string(), r.reason)
        })
        .collect();

    // ---- medications ----
    let poly_bit = polypharmacy_bit();
    let assessed = medications.is_some();
    if let (Some(meds), Some(w)) = (medications, mwindow) {
        let mtable = LongTable::new(meds, &mcols, Some(&w))?;
        if !conditions.is_empty() && !meds.is_empty() && mtable.patient_type != ctable.patient_type
        {
            return Err(RiskError::InvalidOption {
                option: "medications",
                reason: format!(
                    "patient column `{}` is {}, but the conditions' is {}",
                    mcols.patient, mtable.patient_type, ctable.patient_type
                ),
            });
        }
        let mut pairs: Vec<(u32, &str)> = Vec::new();
        let mwalk = mtable.walk(
            |s| {
                let t = s.trim();
                if t.is_empty() {
                    Err("empty_code")
                } else {
                    Ok(t)
                }
            },
            |_, _| Ok(()),
            |_: RowAt, p: u32, code: &str, _| pairs.push((p, code)),
        );
        pairs.sort_unstable();
        pairs.dedup();
        let mut distinct = vec![0usize; mwalk.patients.len()];
        for &(p, _) in &pairs {
            distinct[p as usize] += 1;
        }
        let mids = Ids::new(meds, mcols.patient)?;
        let offset = sources.len();
        for (p, &at) in mwalk.patients.iter().enumerate() {
            let key = key_of(&mids, at);
            let i = match index_of.get(&key) {
                Some(&i) => i,
                None => {
                    let i = picks.len();
                    index_of.insert(key, i);
                    picks.push(At {
                        batch: offset + at.batch as usize,
                        index: at.index as usize,
                        row: at.row as usize,
                    });
                    bits.push(0);
                    i
                }
            };
            if distinct[p] >= POLYPHARMACY_MIN_CODES {
                bits[i] |= poly_bit;
            }
        }
        sources.extend(patient_arrays(meds, mcols.patient));
        for r in &mwalk.rejects {
            let at = At {
                batch: offset + r.at.batch as usize,
                index: r.at.index as usize,
                row: r.at.row as usize,
            };
            let field = format!("medications.{}", mtable.field_name(r.field));
            reject_rows.push((at, field, r.reason));
        }
        counts.rows_in += mwalk.counts.rows_in;
        counts.rows_scored += mwalk.counts.rows_scored;
        counts.rows_excluded += mwalk.counts.rows_excluded;
        counts.rows_rejected += mwalk.counts.rows_rejected;
    }
    let n = picks.len();
    counts.patients = n;

    // ---- output ----
    let mut extra: Vec<(&str, String)> = vec![
        ("carecoord.banding", opts.banding.as_str().to_string()),
        (
            "carecoord.codelist",
            if codelist.is_example() {
                "example"
            } else {
                "user"
            }
            .to_string(),
        ),
        (
            "carecoord.polypharmacy",
            if assessed { "assessed" } else { "not_assessed" }.to_string(),
        ),
    ];
    if let Some(d) = opts.index_date {
        extra.push(("carecoord.index_date", d.to_string()));
    }
    if cwindow.is_some() {
        if let Some(days) = opts.lookback_days {
            extra.push(("carecoord.lookback_days", days.to_string()));
        }
    }
    if let Some(w) = mwindow {
        let first = w.index_date - chrono::Days::new(u64::from(w.lookback_days));
        extra.push((
            "carecoord.polypharmacy_window",
            format!("{first}/{}", w.index_date),
        ));
    }
    if codelist.is_example() {
        extra.push((
            "carecoord.note",
            "illustrative eFI code list, not clinically complete".to_string(),
        ));
    }
    let meta = metadata("efi", "clegg2016", &counts, &extra);

    let patient = gather(&sources, &picks, ccols.patient)?;
    let deficits: Vec<u8> = bits.iter().map(|b| b.count_ones() as u8).collect();
    let mut cols: Vec<(Field, ArrayRef)> = vec![
        (
            Field::new("patient_id", patient.data_type().clone(), false),
            patient,
        ),
        (
            Field::new("deficits", DataType::Int32, false),
            Arc::new(Int32Array::from_iter_values(
                deficits.iter().map(|&d| i32::from(d)),
            )),
        ),
        (
            Field::new("efi", DataType::Float64, false),
            Arc::new(Float64Array::from_iter_values(
                deficits
                    .iter()
                    .map(|&d| f64::from(d) / f64::from(EFI_DEFICIT_COUNT)),
            )),
        ),
        (
            Field::new("band", DataType::Utf8, false),
            Arc::new(arrow_array::StringArray::from_iter_values(
                deficits.iter().map(|&d| opts.banding.band(d).as_str()),
            )),
        ),
        (
            Field::new("banding", DataType::Utf8, false),
            Arc::new(arrow_array::StringArray::from_iter_values(
                std::iter::repeat_n(opts.banding.as_str(), n),
            )),
        ),
    ];
    for (i, d) in DEFICITS.iter().enumerate() {
        if d.id == POLYPHARMACY && !assessed {
            cols.push((
                Field::new(d.id, DataType::Boolean, true),
                Arc::new(BooleanArray::new_null(n)),
            ));
        } else {
            cols.push((
                Field::new(d.id, DataType::Boolean, false),
                bool_column(n, |p| bits[p] & (1 << i) != 0),
            ));
        }
    }
    let scores = record_batch(cols, meta.clone())?;

    // Rejects: conditions then medications, each in row order (the walkers' order).
    let at: Vec<At> = reject_rows.iter().map(|r| r.0).collect();
    let rpatient = gather(&sources, &at, ccols.patient)?;
    let rejects = record_batch(
        vec![
            (
                Field::new("row", DataType::UInt64, false),
                Arc::new(arrow_array::UInt64Array::from_iter_values(
                    at.iter().map(|a| a.row as u64),
                )),
            ),
            (
                Field::new("patient_id", rpatient.data_type().clone(), true),
                rpatient,
            ),
            (
                Field::new("field", DataType::Utf8, false),
                Arc::new(arrow_array::StringArray::from_iter_values(
                    reject_rows.iter().map(|r| r.1.as_str()),
                )),
            ),
            (
                Field::new("reason", DataType::Utf8, false),
                Arc::new(arrow_array::StringArray::from_iter_values(
                    reject_rows.iter().map(|r| r.2),
                )),
            ),
        ],
        meta,
    )?;
    Ok(ScoreResult {
        scores,
        rejects,
        explanations: None,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Date32Array, Int64Array, StringArray, UInt64Array};
    use proptest::prelude::*;

    fn col<T: Array + Clone + 'static>(b: &RecordBatch, name: &str) -> T {
        b.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<T>()
            .unwrap()
            .clone()
    }

    fn strs(b: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let a = col::<StringArray>(b, name);
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
            .collect()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn epoch(date: NaiveDate) -> i32 {
        (date - d(1970, 1, 1)).num_days() as i32
    }

    #[test]
    fn deficit_table() {
        let defs = efi_deficits();
        assert_eq!(defs.len(), 36);
        assert_eq!(
            defs.iter().filter(|d| d.kind == "medication_rule").count(),
            1
        );
        // SOURCES.md section 5: condition 19, symptom 9, disability 6, social 1, rule 1.
        for (kind, n) in [
            ("condition", 19),
            ("symptom", 9),
            ("disability", 6),
            ("social", 1),
        ] {
            assert_eq!(defs.iter().filter(|d| d.kind == kind).count(), n, "{kind}");
        }
        let mut ids: Vec<_> = defs.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 36);
    }

    // DOMAIN.md 2.9: boundaries 4/5, 8/9, 12/13/14 under both bandings.
    #[test]
    fn banding_boundaries() {
        use EfiBand::*;
        let c = |n| EfiBanding::Clegg2016.band(n);
        let r = |n| EfiBanding::Rounded2dp.band(n);
        assert_eq!([c(4), c(5), c(8), c(9)], [Fit, Mild, Mild, Moderate]);
        assert_eq!([r(4), r(5), r(8), r(9)], [Fit, Mild, Mild, Moderate]);
        assert_eq!([c(12), c(13), c(14)], [Moderate, Severe, Severe]);
        assert_eq!([r(12), r(13), r(14)], [Moderate, Moderate, Severe]);
        assert_eq!((c(0), c(36), r(36)), (Fit, Severe, Severe));
    }

    // Both tables derived from their definitions in exact integer arithmetic:
    // Clegg: count/36 > 0.12 <=> 100 count > 432, > 0.24 <=> > 864, > 0.36 <=> > 1296.
    // Rounded: r = round(100 count / 36) half up = (200 count + 36) / 72 (integer division),
    // then r > 12, > 24, > 36.
    #[test]
    fn banding_matches_definitions() {
        let band = |above: [bool; 3]| match above {
            [false, _, _] => EfiBand::Fit,
            [true, false, _] => EfiBand::Mild,
            [true, true, false] => EfiBand::Moderate,
            [true, true, true] => EfiBand::Severe,
        };
        for n in 0u32..=36 {
            let x = 100 * n;
            let clegg = band([x > 432, x > 864, x > 1296]);
            let r = (200 * n + 36) / 72;
            let rounded = band([r > 12, r > 24, r > 36]);
            assert_eq!(EfiBanding::Clegg2016.band(n as u8), clegg, "{n}");
            assert_eq!(EfiBanding::Rounded2dp.band(n as u8), rounded, "{n}");
        }
        // 13/36 = 0.3611 shows as 0.36; 14/36 = 0.3889 as 0.39.
        assert_eq!((200 * 13 + 36) / 72, 36);
        assert_eq!((200 * 14 + 36) / 72, 39);
    }

    #[test]
    fn scalar() {
        let s = efi_for_deficits(0, EfiBanding::Clegg2016).unwrap();
        assert_eq!((s.efi, s.band), (0.0, EfiBand::Fit));
        // 18/36 = 0.5 exactly.
        assert_eq!(
            efi_for_deficits(18, EfiBanding::Rounded2dp).unwrap().efi,
            0.5
        );
        assert_eq!(
            efi_for_deficits(36, EfiBanding::Clegg2016).unwrap().efi,
            1.0
        );
        assert!(matches!(
            efi_for_deficits(37, EfiBanding::Clegg2016),
            Err(RiskError::InvalidOption {
                option: "count",
                ..
            })
        ));
        assert!(matches!(
            "clegg".parse::<EfiBanding>(),
            Err(RiskError::InvalidOption {
                option: "banding",
                ..
            })
        ));
    }

    fn line_err(text: &str) -> (usize, String) {
        match EfiCodeList::from_csv(text) {
            Err(RiskError::CodeList { line, reason }) => (line, reason),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn code_list_errors_are_line_numbered() {
        let h = "deficit_id,code\n";
        assert_eq!(line_err("").0, 1);
        assert_eq!(line_err("# only a comment\n\n").0, 1);
        assert_eq!(line_err("deficit,concept\nx,1\n").0, 1);
        let (line, why) = line_err(&format!("{h}hypertension,38341003\nfrailty,38341003\n"));
        assert_eq!(line, 3);
        assert!(why.contains("unknown eFI deficit id `frailty`"), "{why}");
        let (line, why) = line_err(&format!("{h}# note\npolypharmacy,38341003\n"));
        assert_eq!(line, 3);
        assert!(why.starts_with("polypharmacy is not a code list"), "{why}");
        let (line, why) = line_err(&format!("{h}hypertension,38341004\n"));
        assert_eq!(line, 2);
        assert_eq!(
            why,
            "invalid SNOMED CT concept id: SNOMED CT identifier Verhoeff check digit mismatch"
        );
        // A description id (partition 01) is not a concept.
        let body = 1_234_501u64;
        let desc = format!("{body}{}", SnomedId::verhoeff_check_digit(body));
        assert_eq!(line_err(&format!("{h}diabetes,{desc}\n")).0, 2);
        assert_eq!(line_err(&format!("{h}diabetes\n")).0, 2);
        assert_eq!(line_err(&format!("{h}\"diabetes,73211009\n")).0, 2);
        assert_eq!(line_err(h).0, 1);
        assert_eq!(line_err(&format!("{h}\n\n")).0, 3);
    }

    #[test]
    fn code_list_formats() {
        // Three-column form, quoted terms with commas and quotes, CRLF, BOM, repeated lines,
        // a concept in two deficits.
        let text = "\u{feff}deficit_id,snomed_concept_id,term\r\n\
                    diabetes,73211009,\"diabetes, \"\"any\"\" type\"\r\n\
                    diabetes,73211009,again\r\n\
                    \"foot_problems\", 73211009 ,x\r\n";
        let list = EfiCodeList::from_csv(text).unwrap();
        assert_eq!(list.len(), 1);
        let id = SnomedId::parse("73211009").unwrap();
        assert_eq!(list.deficits_of(id), vec!["diabetes", "foot_problems"]);
        // Columns in another order.
        let list = EfiCodeList::from_csv("code,deficit_id\n38341003,hypertension\n").unwrap();
        assert_eq!(
            list.deficits_of(SnomedId::parse("38341003").unwrap()),
            vec!["hypertension"]
        );
        assert_eq!(split_record("a,\"b,c\",").unwrap(), ["a", "b,c", ""]);
        assert!(split_record("a\"b").is_err());
    }

    #[test]
    fn example_list() {
        let list = EfiCodeList::example();
        assert!(list.is_example());
        assert_eq!(list.len(), 36);
        let covered: Vec<_> = list
            .coverage()
            .into_iter()
            .filter(|c| c.1 > 0)
            .map(|c| c.0)
            .collect();
        assert_eq!(covered.len(), 26);
        // The concepts named in the brief.
        for (code, deficit) in [
            ("38341003", "hypertension"),
            ("73211009", "diabetes"),
            ("49436004", "atrial_fibrillation"),
            ("84114007", "heart_failure"),
            ("195967001", "respiratory_disease"),
        ] {
            assert_eq!(
                list.deficits_of(SnomedId::parse(code).unwrap()),
                vec![deficit]
            );
        }
        assert_eq!(
            format!("{list:?}"),
            "EfiCodeList { concepts: 36, example: true }"
        );
    }

    #[test]
    fn polypharmacy_window_bounds() {
        let w = polypharmacy_window(d(2026, 11, 23)).unwrap();
        assert!(!w.contains(d(2025, 11, 23)));
        assert!(w.contains(d(2025, 11, 24)));
        assert!(w.contains(d(2026, 11, 23)));
        assert!(!w.contains(d(2026, 11, 24)));
        // Leap day: 2024-02-29 - 12 months = 2023-02-28, so the window starts 2023-03-01.
        let w = polypharmacy_window(d(2024, 2, 29)).unwrap();
        assert!(!w.contains(d(2023, 2, 28)));
        assert!(w.contains(d(2023, 3, 1)));
    }

    fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(cols).unwrap()
    }

    /// Spec table (synthetic):
    ///
    /// | patient | condition codes                      | medications (distinct, in window) |
    /// |---------|---------------------------------------|------------------------------------|
    /// | a       | hypertension, AF, MI, angina (chd)    | 5 -> polypharmacy                  |
    /// | b       | diabetes T2, dementia, bad check digit | 4 (+1 outside window, +1 repeat)   |
    /// | c       | (medications only)                     | 6                                  |
    #[test]
    fn batch_spec_table() {
        let conditions = batch(vec![
            (
                "patient_id",
                Arc::new(StringArray::from(vec![
                    "a", "a", "a", "a", "b", "b", "b", "a",
                ])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec![
                    Some("38341003"),
                    Some("49436004"),
                    Some("22298006"),
                    Some("194828000"),
                    Some("44054006"),
                    Some("52448006"),
                    Some("52448007"),
                    None,
                ])) as _,
            ),
        ]);
        let index = d(2026, 11, 23);
        let inside = epoch(d(2026, 6, 1));
        let outside = epoch(d(2025, 11, 23));
        let med_rows: Vec<(&str, &str, i32)> = vec![
            ("a", "m1", inside),
            ("a", "m2", inside),
            ("a", "m3", inside),
            ("a", "m4", inside),
            ("a", "m5", inside),
            ("b", "m1", inside),
            ("b", "m2", inside),
            ("b", "m2", inside),
            ("b", "m3", inside),
            ("b", "m4", inside),
            ("b", "m5", outside),
            ("b", " ", inside),
            ("c", "m1", inside),
            ("c", "m2", inside),
            ("c", "m3", inside),
            ("c", "m4", inside),
            ("c", "m5", inside),
            ("c", "m6", inside),
        ];
        let meds = batch(vec![
            (
                "patient_id",
                Arc::new(StringArray::from(
                    med_rows.iter().map(|r| r.0).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(
                    med_rows.iter().map(|r| r.1).collect::<Vec<_>>(),
                )) as _,
            ),
            (
                "date",
                Arc::new(Date32Array::from(
                    med_rows.iter().map(|r| r.2).collect::<Vec<_>>(),
                )) as _,
            ),
        ]);
        let opts = EfiOptions {
            index_date: Some(index),
            ..EfiOptions::default()
        };
        let r = efi(&[conditions], Some(&[meds]), &EfiCodeList::example(), &opts).unwrap();
        assert!(r.counts.is_balanced());
        assert_eq!(r.counts.rows_in, 8 + 18);
        assert_eq!(r.counts.rows_excluded, 1);
        assert_eq!(r.counts.rows_rejected, 3);
        assert_eq!(r.counts.patients, 3);
        let ids = strs(&r.scores, "patient_id");
        assert_eq!(ids, [Some("a".into()), Some("b".into()), Some("c".into())]);
        // a: hypertension + atrial_fibrillation + chd (MI and angina count once) +
        //    polypharmacy = 4; b: diabetes + cognitive_problems = 2 (4 distinct medicines);
        // c: polypharmacy only = 1.
        let n = col::<Int32Array>(&r.scores, "deficits");
        assert_eq!(n.values().to_vec(), vec![4, 2, 1]);
        let e = col::<Float64Array>(&r.scores, "efi");
        assert_eq!(
            e.values().to_vec(),
            vec![4.0 / 36.0, 2.0 / 36.0, 1.0 / 36.0]
        );
        assert_eq!(
            strs(&r.scores, "band"),
            [Some("fit".into()), Some("fit".into()), Some("fit".into())]
        );
        assert_eq!(strs(&r.scores, "banding")[0], Some("clegg2016".into()));
        let chd = col::<BooleanArray>(&r.scores, "chd");
        assert_eq!((chd.value(0), chd.value(1)), (true, false));
        let poly = col::<BooleanArray>(&r.scores, "polypharmacy");
        assert_eq!(
            (poly.value(0), poly.value(1), poly.value(2)),
            (true, false, true)
        );
        assert_eq!(r.scores.num_columns(), 5 + 36);
        // Rejects: the bad check digit and the null code (conditions), the blank medicine.
        assert_eq!(
            col::<UInt64Array>(&r.rejects, "row").values().to_vec(),
            vec![6, 7, 11]
        );
        assert_eq!(
            strs(&r.rejects, "field"),
            [
                Some("code".into()),
                Some("code".into()),
                Some("medications.code".into())
            ]
        );
        assert_eq!(
            strs(&r.rejects, "reason"),
            [
                Some("check_digit_mismatch".into()),
                Some("null_code".into()),
                Some("empty_code".into())
            ]
        );
        let meta = r.scores.schema().metadata().clone();
        assert_eq!(meta["carecoord.instrument"], "efi");
        assert_eq!(meta["carecoord.codelist"], "example");
        assert_eq!(meta["carecoord.polypharmacy"], "assessed");
        assert_eq!(
            meta["carecoord.polypharmacy_window"],
            "2025-11-24/2026-11-23"
        );
        assert!(meta["carecoord.note"].contains("not clinically complete"));
    }

    #[test]
    fn without_medications_polypharmacy_is_null() {
        let conditions = batch(vec![
            (
                "patient_id",
                Arc::new(Int64Array::from(vec![7, 7])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["38341003", "84114007"])) as _,
            ),
        ]);
        let opts = EfiOptions {
            banding: EfiBanding::Rounded2dp,
            ..EfiOptions::default()
        };
        let r = efi(&[conditions], None, &EfiCodeList::example(), &opts).unwrap();
        let poly = r.scores.column_by_name("polypharmacy").unwrap();
        assert_eq!(poly.null_count(), 1);
        assert_eq!(col::<Int32Array>(&r.scores, "deficits").value(0), 2);
        assert_eq!(strs(&r.scores, "banding")[0], Some("rounded_2dp".into()));
        assert_eq!(col::<Int64Array>(&r.scores, "patient_id").value(0), 7);
        assert_eq!(
            r.scores.schema().metadata()["carecoord.polypharmacy"],
            "not_assessed"
        );
    }

    #[test]
    fn condition_window_and_option_errors() {
        let index = d(2026, 11, 23);
        let conditions = batch(vec![
            (
                "patient_id",
                Arc::new(StringArray::from(vec!["a", "a", "a"])) as ArrayRef,
            ),
            (
                "code",
                Arc::new(StringArray::from(vec!["38341003", "84114007", "49436004"])) as _,
            ),
            (
                "recorded",
                Arc::new(Date32Array::from(vec![
                    epoch(d(2020, 1, 1)),
                    epoch(d(2026, 11, 23)),
                    epoch(d(2026, 11, 24)),
                ])) as _,
            ),
        ]);
        let cols = LongInput {
            date: Some("recorded"),
            ..LongInput::default()
        };
        let run = |lookback: Option<u32>| {
            let opts = EfiOptions {
                conditions: cols,
                index_date: Some(index),
                lookback_days: lookback,
                ..EfiOptions::default()
            };
            let r = efi(
                std::slice::from_ref(&conditions),
                None,
                &EfiCodeList::example(),
                &opts,
            )
            .unwrap();
            col::<Int32Array>(&r.scores, "deficits").value(0)
        };
        // Whole record up to the index: hypertension (2020) + heart failure (index day);
        // AF the day after is excluded.
        assert_eq!(run(None), 2);
        // Five years back: 2020-01-01 is outside.
        assert_eq!(run(Some(5 * 365)), 1);
        let bad = |opts: EfiOptions<'_>, meds: bool| {
            let m = [conditions.clone()];
            efi(
                std::slice::from_ref(&conditions),
                meds.then_some(&m[..]),
                &EfiCodeList::example(),
                &opts,
            )
            .unwrap_err()
        };
        assert!(matches!(
            bad(
                EfiOptions {
                    lookback_days: Some(10),
                    ..EfiOptions::default()
                },
                false
            ),
            RiskError::InvalidOption {
                option: "lookback_days",
                ..
            }
        ));
        assert!(matches!(
            bad(EfiOptions::default(), true),
            RiskError::InvalidOption {
                option: "index_date",
                ..
            }
        ));
        assert!(matches!(
            bad(
                EfiOptions {
                    index_date: Some(index),
                    medications: LongInput::default(),
                    ..EfiOptions::default()
                },
                true
            ),
            RiskError::InvalidOption {
                option: "medications",
                ..
            }
        ));
    }

    const CODES: [&str; 8] = [
        "38341003",
        "73211009",
        "44054006",
        "49436004",
        "84114007",
        "22298006",
        "194828000",
        "52448006",
    ];

    proptest! {
        // The batch count equals the number of distinct deficits of each patient's codes
        // (the scalar path), adding a code never lowers it, and rows balance.
        #[test]
        fn batch_matches_scalar(rows in proptest::collection::vec((0u8..6, 0usize..8), 0..60)) {
            let list = EfiCodeList::example();
            let run = |rows: &[(u8, usize)]| {
                let b = batch(vec![
                    ("patient_id", Arc::new(StringArray::from(rows.iter().map(|r| format!("p{}", r.0)).collect::<Vec<_>>())) as ArrayRef),
                    ("code", Arc::new(StringArray::from(rows.iter().map(|r| CODES[r.1]).collect::<Vec<_>>())) as _),
                ]);
                efi(&[b], None, &list, &EfiOptions::default()).unwrap()
            };
            let r = run(&rows);
            prop_assert!(r.counts.is_balanced());
            let ids = strs(&r.scores, "patient_id");
            let n = col::<Int32Array>(&r.scores, "deficits");
            for (k, id) in ids.iter().enumerate() {
                let mut deficits: Vec<&str> = rows.iter()
                    .filter(|r| Some(format!("p{}", r.0)) == *id)
                    .flat_map(|r| list.deficits_of(SnomedId::parse(CODES[r.1]).unwrap()))
                    .collect();
                deficits.sort_unstable();
                deficits.dedup();
                let s = efi_for_deficits(deficits.len() as u32, EfiBanding::Clegg2016).unwrap();
                prop_assert_eq!(n.value(k), i32::from(s.deficits));
            }
            if let Some(&first) = rows.first() {
                let mut more = rows.clone();
                more.push((first.0, 7));
                let r2 = run(&more);
                let n2 = col::<Int32Array>(&r2.scores, "deficits");
                prop_assert!(n2.value(0) >= n.value(0));
            }
        }
    }
}
