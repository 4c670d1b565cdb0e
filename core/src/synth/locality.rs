//! A synthetic locality: the register's patients with coded conditions, primary-care codes
//! and medications, spread realistically enough for risk scores to rank people.
//!
//! Each patient gets a hidden frailty level (older people are frailer on average, with a long
//! tail); condition probabilities rise with age band and frailty, so comorbidity clusters as
//! it does in practice. Hospital diagnoses are ICD-10 (some dotted or lower case, as exports
//! are), primary-care codes are SNOMED CT concepts from the bundled illustrative eFI list,
//! medications are synthetic SNOMED CT identifiers (valid check digits; not real products).

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use chrono::{Datelike, Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::register::{register, RegisterConfig, SyntheticRegister};
use crate::ids::{NhsNumber, SnomedId};

/// One condition the generator can give: its ICD-10 code, its primary-care SNOMED CT concept
/// (if the illustrative eFI list has one) and its prevalence in per mille by age band
/// (under 45, 45-64, 65-74, 75+), before the frailty factor.
struct Condition {
    icd10: &'static str,
    snomed: Option<&'static str>,
    per_mille: [u32; 4],
    /// How strongly frailty raises the chance (0 = not at all).
    frailty_weight: u32,
}

const CONDITIONS: &[Condition] = &[
    cond("I10", Some("38341003"), [30, 200, 400, 550], 1),
    cond("E119", Some("44054006"), [20, 80, 150, 180], 1),
    cond("E112", Some("44054006"), [2, 15, 40, 60], 2),
    cond("I500", Some("84114007"), [1, 10, 40, 100], 3),
    cond("I480", Some("49436004"), [1, 10, 60, 120], 2),
    cond("J449", Some("13645005"), [5, 30, 70, 90], 2),
    cond("J459", Some("195967001"), [60, 60, 60, 50], 0),
    cond("F03", Some("52448006"), [0, 1, 15, 100], 4),
    cond("G309", Some("52448006"), [0, 1, 8, 50], 4),
    cond("N184", Some("709044004"), [2, 20, 70, 150], 2),
    cond("I252", Some("22298006"), [1, 15, 40, 60], 1),
    cond("I639", Some("230690007"), [1, 8, 30, 70], 3),
    cond("I693", None, [0, 3, 15, 40], 3),
    cond("C509", None, [3, 20, 40, 50], 0),
    cond("C787", None, [0, 2, 6, 8], 2),
    cond("W19", Some("1912002"), [2, 5, 20, 80], 4),
    cond("S720", None, [0, 1, 5, 30], 4),
    cond("F059", None, [0, 1, 10, 50], 4),
    cond("N390", None, [5, 10, 30, 80], 3),
    cond("R32", Some("165232002"), [2, 10, 30, 80], 3),
    cond("I739", Some("400047006"), [1, 10, 30, 50], 2),
    cond("F329", None, [50, 60, 50, 50], 1),
    cond("E669", None, [80, 120, 100, 60], 0),
    cond("D649", Some("271737000"), [10, 20, 40, 80], 2),
    cond("K746", None, [1, 5, 6, 5], 1),
    cond("E039", Some("40930008"), [10, 30, 50, 70], 0),
    cond("G20", Some("49049000"), [0, 1, 6, 15], 2),
    cond("L89", None, [0, 0, 3, 20], 4),
    cond("R26", None, [0, 2, 20, 80], 4),
    cond("Z742", None, [0, 1, 10, 60], 4),
    cond("R54", None, [0, 0, 5, 50], 4),
    cond("M810", Some("64859006"), [1, 20, 60, 120], 2),
    cond("H919", Some("15188001"), [5, 20, 60, 150], 1),
    cond("R42", Some("404640003"), [10, 15, 30, 60], 2),
    cond("B20", None, [2, 2, 1, 0], 0),
];

const fn cond(
    icd10: &'static str,
    snomed: Option<&'static str>,
    per_mille: [u32; 4],
    frailty_weight: u32,
) -> Condition {
    Condition {
        icd10,
        snomed,
        per_mille,
        frailty_weight,
    }
}

/// A generated locality: the register plus patient-level and long-format coded tables.
#[derive(Debug, Clone)]
pub struct Locality {
    /// The register the patients came from (including its faulty rows).
    pub register: SyntheticRegister,
    /// One row per valid, de-duplicated patient: `patient_id`, `nhs_number`, `practice`,
    /// `age`, `sex`, `palliative`, `carer`, `learning_disability`, `on_caseload`,
    /// `last_contact` (date, null = never).
    pub patients: RecordBatch,
    /// Hospital diagnoses, long format: `patient_id`, `code` (ICD-10 as exported: some dotted
    /// or lower case, a few malformed), `date`, `age`.
    pub diagnoses: RecordBatch,
    /// Primary-care codes, long format: `patient_id`, `code` (SNOMED CT concept id), `date`.
    pub primary_care: RecordBatch,
    /// Prescriptions, long format: `patient_id`, `code` (synthetic SNOMED CT id), `date`.
    pub medications: RecordBatch,
}

fn age_band(age: u32) -> usize {
    match age {
        0..=44 => 0,
        45..=64 => 1,
        65..=74 => 2,
        _ => 3,
    }
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - 719_163
}

/// Synthetic medication identifiers: 400 valid SNOMED CT-format ids (not real products).
fn medication_codes() -> Vec<String> {
    (0..400u64)
        .map(|i| {
            let body = (9_000_000 + i * 37) * 100; // item id, partition 00 (concept)
            format!("{body}{}", SnomedId::verhoeff_check_digit(body))
        })
        .collect()
}

fn date_field(name: &str) -> Field {
    Field::new(name, DataType::Date32, true)
}

/// Generate the synthetic locality for a register configuration.
///
/// Only patients whose NHS number is valid appear (first row wins for duplicates), keyed by a
/// pseudonymous `patient_id` (`SYN001-000042`: practice and row). Codes are dated within
/// the three years before the census date; about 0.2% of diagnosis codes are malformed, as
/// in real extracts, so that reject handling shows.
///
/// # Example
///
/// ```
/// use carecoord::synth::{locality, RegisterConfig};
///
/// let loc = locality(&RegisterConfig { patients: 2_000, ..RegisterConfig::default() });
/// assert!(loc.patients.num_rows() > 1_900);
/// assert!(loc.diagnoses.num_rows() > loc.patients.num_rows() / 2);
/// ```
pub fn locality(config: &RegisterConfig) -> Locality {
    let reg = register(config);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5EED_10CA_11E5);
    let meds = medication_codes();
    let census = config.census_date;

    let mut p_id = StringBuilder::new();
    let mut p_nhs = StringBuilder::new();
    let mut p_practice = StringBuilder::new();
    let mut p_age = UInt32Builder::new();
    let mut p_sex = StringBuilder::new();
    let mut p_flags: [BooleanBuilder; 4] = Default::default();
    let mut p_contact = Date32Builder::new();

    let mut d_id = StringBuilder::new();
    let mut d_code = StringBuilder::new();
    let mut d_date = Date32Builder::new();
    let mut d_age = UInt32Builder::new();
    let mut s_id = StringBuilder::new();
    let mut s_code = StringBuilder::new();
    let mut s_date = Date32Builder::new();
    let mut m_id = StringBuilder::new();
    let mut m_code = StringBuilder::new();
    let mut m_date = Date32Builder::new();

    let mut seen = HashSet::new();
    for (row, r) in reg.rows.iter().enumerate() {
        let Ok(n) = NhsNumber::parse(&r.nhs_number) else {
            continue;
        };
        if !seen.insert(n) {
            continue;
        }
        let id = format!("{}-{:06}", r.practice, row + 1);
        let age = census.years_since(r.date_of_birth).unwrap_or(0);
        let band = age_band(age);
        // Frailty 0-4: mostly 0 in the young, a long tail in the old.
        let frailty = {
            let base: u32 = [0, 1, 2, 3][band];
            let mut f = 0;
            for _ in 0..base + 1 {
                if rng.random_bool(0.35) {
                    f += 1;
                }
            }
            f.min(4)
        };
        let when = |rng: &mut ChaCha8Rng| census - Days::new(rng.random_range(0..3 * 365));
        let mut n_conditions = 0;
        for c in CONDITIONS {
            let p = c.per_mille[band] * (1 + c.frailty_weight * frailty) / 2 + 1;
            if rng.random_range(0..1000) >= p.min(950) {
                continue;
            }
            n_conditions += 1;
            // Coded 1-3 times in hospital records, in the ways exports write codes.
            let hospital = band >= 2 || rng.random_bool(0.3);
            if hospital {
                for _ in 0..rng.random_range(1..=3) {
                    let code = match rng.random_range(0..20) {
                        0 => c.icd10.to_lowercase(),
                        1..=4 if c.icd10.len() > 3 => {
                            format!("{}.{}", &c.icd10[..3], &c.icd10[3..])
                        }
                        _ => c.icd10.to_owned(),
                    };
                    let code = if rng.random_range(0..500) == 0 {
                        format!("{}..", &code[..2]) // a malformed export, rejected by scoring
                    } else {
                        code
                    };
                    d_id.append_value(&id);
                    d_code.append_value(code);
                    d_date.append_value(days_since_epoch(when(&mut rng)));
                    d_age.append_value(age);
                }
            }
            if let Some(s) = c.snomed {
                s_id.append_value(&id);
                s_code.append_value(s);
                s_date.append_value(days_since_epoch(when(&mut rng)));
            }
        }
        // Prescriptions: roughly one distinct medicine per condition, repeated monthly-ish.
        let distinct = (n_conditions + rng.random_range(0..=1)).min(meds.len());
        for _ in 0..distinct {
            let code = &meds[rng.random_range(0..meds.len())];
            for _ in 0..rng.random_range(1..=3) {
                m_id.append_value(&id);
                m_code.append_value(code);
                m_date.append_value(days_since_epoch(
                    census - Days::new(rng.random_range(0..400)),
                ));
            }
        }
        p_id.append_value(&id);
        p_nhs.append_value(n.as_str());
        p_practice.append_value(&r.practice);
        p_age.append_value(age);
        p_sex.append_value(r.sex.as_str());
        let palliative = frailty >= 3 && rng.random_bool(0.15);
        p_flags[0].append_value(palliative);
        p_flags[1].append_value(rng.random_bool(0.03));
        p_flags[2].append_value(rng.random_bool(0.005));
        p_flags[3].append_value(frailty >= 2 && rng.random_bool(0.2));
        if rng.random_bool(0.4 + 0.1 * f64::from(frailty)) {
            p_contact.append_value(days_since_epoch(
                census - Days::new(rng.random_range(1..400)),
            ));
        } else {
            p_contact.append_null();
        }
    }

    let patients = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("patient_id", DataType::Utf8, false),
            Field::new("nhs_number", DataType::Utf8, false),
            Field::new("practice", DataType::Utf8, false),
            Field::new("age", DataType::UInt32, false),
            Field::new("sex", DataType::Utf8, false),
            Field::new("palliative", DataType::Boolean, false),
            Field::new("carer", DataType::Boolean, false),
            Field::new("learning_disability", DataType::Boolean, false),
            Field::new("on_caseload", DataType::Boolean, false),
            date_field("last_contact"),
        ])),
        {
            let [a, b, c, d] = &mut p_flags;
            vec![
                Arc::new(p_id.finish()) as ArrayRef,
                Arc::new(p_nhs.finish()),
                Arc::new(p_practice.finish()),
                Arc::new(p_age.finish()),
                Arc::new(p_sex.finish()),
                Arc::new(a.finish()),
                Arc::new(b.finish()),
                Arc::new(c.finish()),
                Arc::new(d.finish()),
                Arc::new(p_contact.finish()),
            ]
        },
    );
    let long = |id: &mut StringBuilder,
                code: &mut StringBuilder,
                date: &mut Date32Builder,
                age: Option<&mut UInt32Builder>| {
        let mut fields = vec![
            Field::new("patient_id", DataType::Utf8, false),
            Field::new("code", DataType::Utf8, false),
            date_field("date"),
        ];
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(id.finish()),
            Arc::new(code.finish()),
            Arc::new(date.finish()),
        ];
        if let Some(age) = age {
            fields.push(Field::new("age", DataType::UInt32, false));
            cols.push(Arc::new(age.finish()));
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)
    };
    // Column lengths always match (each row appends to every builder), so these never fail.
    let fail = |e: arrow_schema::ArrowError| -> RecordBatch {
        unreachable!("synthetic locality batch: {e}")
    };
    Locality {
        register: reg,
        patients: patients.unwrap_or_else(fail),
        diagnoses: long(&mut d_id, &mut d_code, &mut d_date, Some(&mut d_age)).unwrap_or_else(fail),
        primary_care: long(&mut s_id, &mut s_code, &mut s_date, None).unwrap_or_else(fail),
        medications: long(&mut m_id, &mut m_code, &mut m_date, None).unwrap_or_else(fail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;

    #[test]
    fn deterministic_and_spread() {
        let cfg = RegisterConfig {
            patients: 5_000,
            ..RegisterConfig::default()
        };
        let a = locality(&cfg);
        let b = locality(&cfg);
        assert_eq!(a.diagnoses, b.diagnoses);
        assert_eq!(a.patients, b.patients);
        // Older patients carry more codes than younger ones.
        let ages = a
            .patients
            .column(3)
            .as_primitive::<arrow_array::types::UInt32Type>();
        let old = ages.values().iter().filter(|&&x| x >= 75).count();
        assert!(old > 200, "{old}");
        assert!(a.medications.num_rows() > a.patients.num_rows());
    }

    #[test]
    fn snomed_codes_are_concepts_and_medications_valid() {
        for c in CONDITIONS.iter().filter_map(|c| c.snomed) {
            assert!(SnomedId::parse_concept(c).is_ok(), "{c}");
        }
        for m in medication_codes() {
            assert!(SnomedId::parse_concept(&m).is_ok(), "{m}");
        }
        for c in CONDITIONS {
            assert!(crate::ids::Icd10Code::parse(c.icd10).is_ok(), "{}", c.icd10);
        }
    }
}
