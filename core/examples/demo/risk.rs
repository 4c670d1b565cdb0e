//! The risk-stratification stage of the demo: scores the synthetic locality, blends them
//! with an illustrative model, tiers the population and writes the ILR cohort with
//! explanations. Included by `demo.rs`.

use std::collections::HashMap;
use std::error::Error;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int32Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use carecoord::risk::{
    self, CharlsonWeights, CohortFilter, EfiBanding, EfiCodeList, EfiOptions, LongInput, ModelSpec,
    ScoreOptions, TierOptions, Window,
};
use carecoord::synth::Locality;
use chrono::NaiveDate;

/// What the risk stage reports back to the demo's summary.
pub struct RiskSummary {
    pub patients: usize,
    pub rows_in: usize,
    pub rows_rejected: usize,
    pub cohort: usize,
    pub tier_sizes: [usize; 4],
    pub files: Vec<String>,
    /// The ILR cohort as written to `ilr_cohort.csv` (pseudonymous ids), for the agendas.
    pub ilr: RecordBatch,
}

impl RiskSummary {
    pub fn rejected_rows(&self) -> usize {
        self.rows_rejected
    }
}

fn write_csv(path: &Path, batch: &RecordBatch) -> Result<(), Box<dyn Error>> {
    let mut w = arrow_csv::WriterBuilder::new()
        .with_header(true)
        .build(File::create(path)?);
    w.write(batch)?;
    Ok(())
}

/// Row index of each patient id in a scores batch.
fn index_of(batch: &RecordBatch) -> HashMap<String, usize> {
    let ids = batch.column(0).as_string::<i32>();
    (0..ids.len())
        .map(|i| (ids.value(i).to_owned(), i))
        .collect()
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, Box<dyn Error>> {
    batch
        .column_by_name(name)
        .ok_or_else(|| format!("column {name} missing").into())
}

/// Per patient, a short human-readable "why": the categories that fired and their codes.
fn explanations(batches: &[(&str, &RecordBatch)]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (instrument, e) in batches {
        let (Some(id), Some(cat), Some(codes)) = (
            e.column_by_name("patient_id"),
            e.column_by_name("category"),
            e.column_by_name("codes"),
        ) else {
            continue;
        };
        let (id, cat, codes) = (
            id.as_string::<i32>(),
            cat.as_string::<i32>(),
            codes.as_string::<i32>(),
        );
        // The readable label where the instrument has one (HFRS groups are named by code).
        let label = e.column_by_name("label").map(|l| l.as_string::<i32>());
        let suppressed = e.column_by_name("suppressed_by");
        for i in 0..id.len() {
            if suppressed.is_some_and(|s| s.is_valid(i)) {
                continue;
            }
            let name = label
                .filter(|l| l.is_valid(i) && !l.value(i).is_empty())
                .map_or(cat.value(i), |l| l.value(i));
            out.entry(id.value(i).to_owned())
                .or_default()
                .push(format!("{instrument} {name} ({})", codes.value(i)));
        }
    }
    out
}

/// Run the risk stage and write its files into `out`.
pub fn run(loc: &Locality, today: NaiveDate, out: &Path) -> Result<RiskSummary, Box<dyn Error>> {
    let diagnoses = std::slice::from_ref(&loc.diagnoses);
    let opts = ScoreOptions {
        columns: LongInput {
            date: Some("date"),
            age: Some("age"),
            ..LongInput::default()
        },
        // HFRS and Charlson look back two years from today (Gilbert 2018 uses two years).
        window: Some(Window {
            index_date: today,
            lookback_days: 730,
        }),
        explain: true,
    };
    let charlson = risk::charlson(diagnoses, CharlsonWeights::Charlson1987, &opts)?;
    let hfrs = risk::hfrs(diagnoses, &opts)?;
    let efi_cols = LongInput {
        date: Some("date"),
        ..LongInput::default()
    };
    let efi = risk::efi(
        std::slice::from_ref(&loc.primary_care),
        Some(std::slice::from_ref(&loc.medications)),
        &EfiCodeList::example(),
        &EfiOptions {
            conditions: efi_cols,
            medications: efi_cols,
            index_date: Some(today),
            lookback_days: None,
            banding: EfiBanding::Clegg2016,
        },
    )?;
    write_csv(&out.join("risk_rejects.csv"), &charlson.rejects)?;

    // One patient-level table: the register's patients with their scores (0 where no codes).
    let p = &loc.patients;
    let ids = p.column(0).as_string::<i32>();
    let (ci, hi, ei) = (
        index_of(&charlson.scores),
        index_of(&hfrs.scores),
        index_of(&efi.scores),
    );
    let c_score = column(&charlson.scores, "score")?.as_primitive::<Int32Type>();
    let h_score = column(&hfrs.scores, "score")?.as_primitive::<Float64Type>();
    let e_score = column(&efi.scores, "efi")?.as_primitive::<Float64Type>();
    let e_band = column(&efi.scores, "band")?.as_string::<i32>();
    let (mut cb, mut hb, mut eb, mut bb) = (
        Int32Builder::new(),
        Float64Builder::new(),
        Float64Builder::new(),
        StringBuilder::new(),
    );
    for i in 0..ids.len() {
        let id = ids.value(i);
        cb.append_value(ci.get(id).map_or(0, |&r| c_score.value(r)));
        hb.append_value(hi.get(id).map_or(0.0, |&r| h_score.value(r)));
        eb.append_value(ei.get(id).map_or(0.0, |&r| e_score.value(r)));
        bb.append_value(ei.get(id).map_or("fit", |&r| e_band.value(r)));
    }
    let mut fields: Vec<Field> = p
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut cols: Vec<ArrayRef> = p.columns().to_vec();
    for (name, ty, col) in [
        (
            "charlson",
            DataType::Int32,
            Arc::new(cb.finish()) as ArrayRef,
        ),
        ("hfrs", DataType::Float64, Arc::new(hb.finish())),
        ("efi", DataType::Float64, Arc::new(eb.finish())),
        ("efi_band", DataType::Utf8, Arc::new(bb.finish())),
    ] {
        fields.push(Field::new(name, ty, false));
        cols.push(col);
    }
    let patients = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?;

    // An illustrative logistic model blends the scores; tiers rank the whole population.
    let model = ModelSpec::from_json(include_str!("ilr_model.json"))?;
    let predicted = model.apply_with_id(&patients, "patient_id")?;
    let tiers = risk::tiers_table(
        std::slice::from_ref(&predicted.scores),
        &TierOptions {
            id_column: "patient_id".into(),
            score_column: "probability".into(),
            cuts: risk::DEFAULT_TIER_CUTS.to_vec(),
        },
    )?;
    let ti = index_of(&tiers.scores);
    let tier_col = column(&tiers.scores, "tier")?.as_primitive::<Int32Type>();
    let prob = column(&predicted.scores, "probability")?.as_primitive::<Float64Type>();
    let pi = index_of(&predicted.scores);
    let (mut tb, mut rb) = (Int32Builder::new(), Float64Builder::new());
    let mut tier_sizes = [0usize; 4];
    for i in 0..ids.len() {
        let id = ids.value(i);
        let t = ti.get(id).map_or(4, |&r| tier_col.value(r));
        tier_sizes[(t.clamp(1, 4) - 1) as usize] += 1;
        tb.append_value(t);
        rb.append_value(pi.get(id).map_or(0.0, |&r| prob.value(r)));
    }
    let mut fields: Vec<Field> = patients
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    let mut cols: Vec<ArrayRef> = patients.columns().to_vec();
    fields.push(Field::new("risk", DataType::Float64, false));
    cols.push(Arc::new(rb.finish()));
    fields.push(Field::new("tier", DataType::Int32, false));
    cols.push(Arc::new(tb.finish()));
    let ranked = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?;
    // The scores file is pseudonymous: drop the NHS number (data minimisation, DOMAIN 4).
    let scores_out = ranked.project(
        &(0..ranked.num_columns())
            .filter(|&i| ranked.schema().field(i).name() != "nhs_number")
            .collect::<Vec<_>>(),
    )?;
    write_csv(&out.join("risk_scores.csv"), &scores_out)?;

    // The ILR cohort: older, frail or high tier, not already on a caseload, not seen lately.
    let cohort = CohortFilter::new()
        .id_column("patient_id")
        .age_between("age", 65, 120)
        .band_in("efi_band", ["moderate", "severe"])
        .not_on_caseload("on_caseload")
        .no_contact_for_days("last_contact", 90, today)
        .sort_by_score("risk")
        .apply(&scores_out)?;
    let why = explanations(&[
        (
            "charlson",
            charlson.explanations.as_ref().ok_or("no explanations")?,
        ),
        ("hfrs", hfrs.explanations.as_ref().ok_or("no explanations")?),
    ]);
    let cohort_ids = cohort.column(0).as_string::<i32>();
    let mut wb = StringBuilder::new();
    for i in 0..cohort_ids.len() {
        let parts = why
            .get(cohort_ids.value(i))
            .map(|v| v.join("; "))
            .unwrap_or_default();
        wb.append_value(parts);
    }
    let keep = [
        "patient_id",
        "practice",
        "age",
        "sex",
        "efi",
        "efi_band",
        "hfrs",
        "charlson",
        "risk",
        "tier",
        "reasons",
    ];
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for name in keep {
        let (i, f) = cohort
            .schema()
            .column_with_name(name)
            .map(|(i, f)| (i, f.clone()))
            .ok_or(format!("cohort column {name}"))?;
        fields.push(f);
        cols.push(cohort.column(i).clone());
    }
    fields.push(Field::new("explanation", DataType::Utf8, false));
    cols.push(Arc::new(wb.finish()));
    let ilr = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?;
    write_csv(&out.join("ilr_cohort.csv"), &ilr)?;

    Ok(RiskSummary {
        patients: ids.len(),
        rows_in: charlson.counts.rows_in,
        rows_rejected: charlson.counts.rows_rejected,
        cohort: ilr.num_rows(),
        tier_sizes,
        files: vec![
            "risk_scores.csv".into(),
            "risk_rejects.csv".into(),
            "ilr_cohort.csv".into(),
        ],
        ilr,
    })
}
