//! A synthetic GP practice register, as a practice export would give it: mostly clean rows
//! with a seeded share of the faults real exports have (mistyped NHS numbers, spaced or
//! hyphenated layouts, blanks and duplicate rows).

use chrono::{Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::ids::NhsNumber;

/// Settings for [`register`].
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterConfig {
    /// Random seed; the same seed gives the same register everywhere.
    pub seed: u64,
    /// Number of practices.
    pub practices: usize,
    /// Number of register rows (including faulty and duplicate rows).
    pub patients: usize,
    /// The date ages are measured at.
    pub census_date: NaiveDate,
    /// Share of rows with a data-quality fault, 0.0 to 1.0.
    pub fault_rate: f64,
}

impl Default for RegisterConfig {
    /// Ten practices, 60,000 rows, census 2026-11-23, 1% faulty rows, seed 20261123.
    fn default() -> Self {
        Self {
            seed: 20_261_123,
            practices: 10,
            patients: 60_000,
            census_date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            fault_rate: 0.01,
        }
    }
}

/// Recorded sex, as on a practice register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Indeterminate or not stated.
    Unknown,
}

impl Sex {
    /// `F`, `M` or `U`.
    ///
    /// ```
    /// assert_eq!(carecoord::synth::Sex::Female.as_str(), "F");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Female => "F",
            Self::Male => "M",
            Self::Unknown => "U",
        }
    }
}

/// A synthetic practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    /// Practice code, `SYN001` upwards (not a real ODS code).
    pub code: String,
    /// Display name.
    pub name: String,
}

/// One register row as exported: the NHS number is raw text and may be faulty or blank.
#[derive(Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// NHS number as typed (canonical, spaced or hyphenated; faulty in a seeded share of rows).
    pub nhs_number: String,
    /// Practice code.
    pub practice: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Recorded sex.
    pub sex: Sex,
}

impl std::fmt::Debug for RegisterRow {
    // Even synthetic identifiers are kept out of Debug output, as for real ones.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterRow")
            .field("nhs_number", &"<redacted>")
            .field("practice", &self.practice)
            .field("sex", &self.sex)
            .finish_non_exhaustive()
    }
}

/// A generated register.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticRegister {
    /// The practices.
    pub practices: Vec<Practice>,
    /// The rows, in export order.
    pub rows: Vec<RegisterRow>,
}

/// Age bands (lower bound, relative weight) shaped like an English practice list
/// (more working-age adults, a long tail past 85).
const AGE_BANDS: [(u32, u32, u32); 9] = [
    (0, 17, 20),
    (18, 29, 15),
    (30, 44, 20),
    (45, 54, 13),
    (55, 64, 12),
    (65, 74, 10),
    (75, 84, 7),
    (85, 94, 2),
    (95, 104, 1),
];

fn draw_age(rng: &mut ChaCha8Rng) -> u32 {
    let total: u32 = AGE_BANDS.iter().map(|b| b.2).sum();
    let mut pick = rng.random_range(0..total);
    for &(lo, hi, w) in &AGE_BANDS {
        if pick < w {
            return rng.random_range(lo..=hi);
        }
        pick -= w;
    }
    40
}

fn draw_nhs_number(rng: &mut ChaCha8Rng) -> NhsNumber {
    loop {
        // Nine leading digits in the test range 900 000 000 - 999 999 999.
        if let Ok(n) = NhsNumber::with_check_digit(rng.random_range(900_000_000..=999_999_999)) {
            return n;
        }
    }
}

/// Generate a synthetic register.
///
/// Practice sizes vary (larger practices first). A `fault_rate` share of rows is damaged,
/// in equal parts: one digit mistyped, the number left blank, or the row duplicated from an
/// earlier one. About a fifth of clean numbers are written spaced (`943 476 5919`) or
/// hyphenated, which are valid layouts.
///
/// # Example
///
/// ```
/// use carecoord::ids::NhsNumberRange;
/// use carecoord::synth::{register, RegisterConfig};
///
/// let reg = register(&RegisterConfig { patients: 1000, fault_rate: 0.0, ..RegisterConfig::default() });
/// assert_eq!(reg.practices.len(), 10);
/// for row in &reg.rows {
///     let n = carecoord::ids::NhsNumber::parse(&row.nhs_number)?;
///     assert_eq!(n.range(), NhsNumberRange::Test);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn register(config: &RegisterConfig) -> SyntheticRegister {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let n_practices = config.practices.max(1);
    let practices: Vec<Practice> = (1..=n_practices)
        .map(|i| Practice {
            code: format!("SYN{i:03}"),
            name: format!("Synthetic Practice {i}"),
        })
        .collect();
    // Practice weights 2n, 2n-1, ..., n+1: the largest list is about twice the smallest.
    let weights: Vec<usize> = (0..n_practices).map(|i| 2 * n_practices - i).collect();
    let total_weight: usize = weights.iter().sum();
    let fault_rate = config.fault_rate.clamp(0.0, 1.0);
    let mut rows: Vec<RegisterRow> = Vec::with_capacity(config.patients);
    for _ in 0..config.patients {
        if !rows.is_empty() && rng.random_bool(fault_rate / 3.0) {
            let i = rng.random_range(0..rows.len());
            rows.push(rows[i].clone());
            continue;
        }
        let mut pick = rng.random_range(0..total_weight);
        let mut practice = 0;
        while pick >= weights[practice] {
            pick -= weights[practice];
            practice += 1;
        }
        let age = draw_age(&mut rng);
        // Born 1-364 days before the age-th birthday, so the age at census is exactly `age`.
        let date_of_birth = config
            .census_date
            .checked_sub_months(Months::new(age * 12))
            .and_then(|d| d.checked_sub_days(Days::new(rng.random_range(1..=364))))
            .unwrap_or(config.census_date);
        let sex = match rng.random_range(0..100) {
            0..=49 => Sex::Female,
            50..=98 => Sex::Male,
            _ => Sex::Unknown,
        };
        let n = draw_nhs_number(&mut rng);
        let mut text = match rng.random_range(0..10) {
            0 => n.to_spaced(),
            1 => n.to_spaced().replace(' ', "-"),
            _ => n.as_str().to_owned(),
        };
        if rng.random_bool(fault_rate * 2.0 / 3.0) {
            if rng.random_bool(0.5) {
                text.clear();
            } else {
                // Mistype one digit: modulus 11 catches every single-digit error.
                let pos = rng.random_range(0..10);
                let mut d: Vec<u8> = n.as_str().bytes().collect();
                d[pos] = b'0' + (d[pos] - b'0' + rng.random_range(1..10)) % 10;
                text = String::from_utf8(d).unwrap_or_default();
            }
        }
        rows.push(RegisterRow {
            nhs_number: text,
            practice: practices[practice].code.clone(),
            date_of_birth,
            sex,
        });
    }
    SyntheticRegister { practices, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_test_range() {
        let cfg = RegisterConfig {
            patients: 5_000,
            ..RegisterConfig::default()
        };
        let a = register(&cfg);
        assert_eq!(a, register(&cfg));
        let other = register(&RegisterConfig { seed: 1, ..cfg });
        assert_ne!(a.rows, other.rows);
        for row in &a.rows {
            if let Ok(n) = NhsNumber::parse(&row.nhs_number) {
                assert_eq!(n.range(), crate::ids::NhsNumberRange::Test);
            }
        }
    }

    #[test]
    fn faults_are_present_but_rare() {
        let reg = register(&RegisterConfig::default());
        let invalid = reg
            .rows
            .iter()
            .filter(|r| !NhsNumber::is_valid(&r.nhs_number))
            .count();
        // 1% faults, two thirds of them damage the number: about 400 of 60,000.
        assert!((200..=700).contains(&invalid), "{invalid}");
        assert!(reg.rows.iter().any(|r| r.nhs_number.contains(' ')));
        assert!(reg.rows.iter().any(|r| r.nhs_number.contains('-')));
    }

    #[test]
    fn ages_are_exact_at_census() {
        let cfg = RegisterConfig {
            patients: 2_000,
            ..RegisterConfig::default()
        };
        for row in register(&cfg).rows {
            assert!(row.date_of_birth < cfg.census_date);
            let age = cfg.census_date.years_since(row.date_of_birth).unwrap();
            assert!(age <= 104);
        }
        // Debug output carries no NHS number.
        let r = &register(&cfg).rows[0];
        assert!(!format!("{r:?}").contains(&r.nhs_number[..4]));
    }
}
