//! Tests of the binding-facing caseload API: every query's rows fit its fixed schema on a
//! synthetic month, bulk loading from Arrow gives the same state as applying the events,
//! and bad rows are reported by number without their values.

use std::sync::Arc;

use arrow_array::{Array, Date32Array, RecordBatch, StringArray, TimestampMillisecondArray};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;

use super::*;
use crate::caseload::Event;
use crate::journal::Envelope;

#[test]
fn safe_reason_drops_the_value() {
    assert_eq!(
        safe_reason("invalid type: string \"9434765919\", expected u32 at line 1 column 5"),
        "invalid type, expected u32"
    );
    assert_eq!(
        safe_reason("unknown variant `9434765919`, expected `a` or `b`"),
        "unknown variant, expected `a` or `b`"
    );
    assert_eq!(safe_reason("missing field `day`"), "missing field `day`");
}

fn month() -> Vec<Envelope<Event>> {
    crate::synth::caseload_year(&crate::synth::CaseloadSynthConfig {
        days: 30,
        ..crate::synth::CaseloadSynthConfig::small()
    })
    .events
}

/// Every query, as JSON, at the end of the synthetic month.
fn all_queries(end: &str, day: &str, staff: &str, patient: &str) -> Vec<String> {
    vec![
        format!(r#"{{"query":"breaching_within","at":"{end}","within_minutes":1440}}"#),
        format!(r#"{{"query":"breaches_on","day":"{day}","now":"{end}"}}"#),
        format!(r#"{{"query":"caseload_of","staff":"{staff}"}}"#),
        format!(r#"{{"query":"workload","day":"{day}"}}"#),
        format!(r#"{{"query":"suggest_allocation","at":"{end}"}}"#),
        format!(r#"{{"query":"suggest_allocation","skill":"nursing","at":"{end}"}}"#),
        r#"{"query":"uncovered_shifts","from":"2026-01-01","to":"2027-12-31"}"#.to_string(),
        format!(r#"{{"query":"reviews_due","today":"{day}"}}"#),
        format!(r#"{{"query":"chase_list","today":"{day}"}}"#),
        format!(r#"{{"query":"overdue_tasks","today":"{day}"}}"#),
        format!(r#"{{"query":"respect_worklist","today":"{day}"}}"#),
        format!(r#"{{"query":"register_members","register":"palliative","day":"{day}"}}"#),
        format!(
            r#"{{"query":"ucr_two_hour_performance","from":"2026-01-01","to":"2027-12-31","now":"{end}"}}"#
        ),
        format!(r#"{{"query":"long_stay","at":"{end}","band":"7+"}}"#),
        format!(r#"{{"query":"ward_census","at":"{end}"}}"#),
        format!(r#"{{"query":"escalations_due","at":"{end}"}}"#),
        format!(r#"{{"query":"discharge_review_queue","at":"{end}"}}"#),
        format!(r#"{{"query":"open_repatriations","at":"{end}"}}"#),
        format!(r#"{{"query":"handover_summary","patient":"{patient}","at":"{end}"}}"#),
    ]
}

#[test]
fn every_query_fits_its_schema_on_a_synthetic_month() {
    let events = month();
    let (c, rejected) = Caseload::from_events(&events);
    assert!(rejected.is_empty());
    let end_at = events.last().unwrap().at;
    let end = serde_util::fmt_instant(&end_at);
    let day = crate::calendar::local_date(end_at)
        .format("%Y-%m-%d")
        .to_string();
    // The member of staff with the most open referrals, and a patient with a stay.
    let staff = c
        .workload(crate::calendar::local_date(end_at))
        .into_iter()
        .max_by_key(|w| w.open_referrals)
        .unwrap()
        .staff;
    let patient = c.stays().next().unwrap().patient.clone();
    let mut non_empty = Vec::new();
    for q in all_queries(&end, &day, staff.as_str(), patient.as_str()) {
        let query = Query::from_json(&q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let rows = c.run(&query);
        let json: Value = serde_json::from_str(&rows.to_json()).unwrap();
        if query.name() == "handover_summary" {
            assert_eq!(json["patient"], patient.as_str());
            assert!(rows.to_record_batch().is_err());
            continue;
        }
        let batch = rows
            .to_record_batch()
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        assert_eq!(batch.num_rows(), rows.len(), "{q}");
        assert_eq!(json.as_array().unwrap().len(), rows.len(), "{q}");
        // Column names are the JSON members, in order.
        if let Some(first) = json.as_array().unwrap().first() {
            let members: Vec<&String> = first.as_object().unwrap().keys().collect();
            let schema = batch.schema();
            let mut columns: Vec<&String> = schema.fields().iter().map(|f| f.name()).collect();
            columns.sort();
            assert_eq!(members, columns, "{q}");
        }
        if !rows.is_empty() {
            non_empty.push(query.name());
        }
    }
    // The month exercises (nearly) every row type, so a schema that drifted from its row
    // struct fails above.
    for name in [
        "breaching_within",
        "caseload_of",
        "workload",
        "suggest_allocation",
        "chase_list",
        "register_members",
        "ucr_two_hour_performance",
        "long_stay",
        "ward_census",
        "discharge_review_queue",
    ] {
        assert!(
            non_empty.contains(&name),
            "{name} returned no rows: {non_empty:?}"
        );
    }
}

#[test]
fn breach_rows_carry_arrow_instants() {
    let mut s = Session::in_memory();
    let t0 = Utc.with_ymd_and_hms(2026, 7, 10, 15, 30, 0).unwrap();
    for e in [
        r#"{"patient_registered":{"patient":"P1","practice":"SYN004","birth_date":"1939-02-11"}}"#,
        r#"{"referral_received":{"referral":"R1","patient":"P1","received_at":"2026-07-10T15:30:00Z","referrer":"NHS 111"}}"#,
        r#"{"referral_triaged":{"referral":"R1","priority":"ucr_2_hour","ucr_condition":"fall"}}"#,
    ] {
        s.record_json("duty", t0, e).unwrap();
    }
    let rows = s
        .run_json(r#"{"query":"breaching_within","at":"2026-07-11T08:00:00Z","within_minutes":0}"#)
        .unwrap();
    let b = rows.to_record_batch().unwrap();
    let due = b
        .column_by_name("due_at")
        .unwrap()
        .as_any()
        .downcast_ref::<TimestampMillisecondArray>()
        .unwrap();
    // 90 minutes to 18:00 BST, 30 from 08:00 BST: 07:30 UTC.
    let expected = Utc.with_ymd_and_hms(2026, 7, 11, 7, 30, 0).unwrap();
    assert_eq!(due.value(0), expected.timestamp_millis());
    assert_eq!(due.timezone(), Some("UTC"));
    let clock = b.column_by_name("clock").unwrap();
    let clock = clock.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(clock.value(0), "breached");
    assert!(b.column_by_name("allocated_to").unwrap().is_null(0));
}

fn as_batches(events: &[Envelope<Event>]) -> Vec<RecordBatch> {
    events_to_batches(events).unwrap()
}

#[test]
fn bulk_loading_a_month_from_arrow_gives_the_same_state() {
    let events = month();
    let (direct, _) = Caseload::from_events(&events);
    let batches = as_batches(&events);
    assert!(batches.len() > 100, "{}", batches.len());
    let mut s = Session::in_memory();
    let mut first_row = 0;
    for b in &batches {
        let options = BulkOptions {
            first_row,
            ..BulkOptions::default()
        };
        let report = s.load_batch(b, &options).unwrap();
        assert!(report.rejects.is_empty(), "{:?}", report.rejects.first());
        assert_eq!(report.applied, b.num_rows() as u64);
        first_row += b.num_rows() as u64;
    }
    assert_eq!(first_row, events.len() as u64);
    assert_eq!(s.caseload().to_json(), direct.to_json());
}

#[test]
fn bulk_loading_into_a_journal_records_what_it_applies() {
    let dir = std::env::temp_dir().join(format!("cc-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bulk.journal");
    let _ = std::fs::remove_file(&path);
    let events = month();
    let take = 400.min(events.len());
    let mut s = Session::open(&path).unwrap();
    for b in as_batches(&events[..take]) {
        let report = s.load_batch(&b, &BulkOptions::default()).unwrap();
        assert!(report.rejects.is_empty());
    }
    let memory = s.caseload().to_json();
    drop(s);
    let replayed = Session::replay(&path).unwrap();
    assert_eq!(replayed.caseload().to_json(), memory);
    assert_eq!(replayed.report().last_seq, take as u64);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_rows_are_reported_by_number_and_the_rest_applied() {
    let day = |d: NaiveDate| (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32;
    let at = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .unwrap()
        .timestamp_millis();
    let batch = RecordBatch::try_from_iter([
        (
            "event",
            Arc::new(StringArray::from(vec![
                "patient_registered",
                "patient_registered",
                "patient_registered",
                "patient_registred",
                "patient_registered",
                "patient_registered",
            ])) as _,
        ),
        ("who", Arc::new(StringArray::from(vec!["import"; 6])) as _),
        (
            "recorded_at",
            Arc::new(TimestampMillisecondArray::from(vec![at; 6]).with_timezone("UTC")) as _,
        ),
        (
            "patient",
            // Row 2 repeats row 0; row 5 looks like an NHS number.
            Arc::new(StringArray::from(vec![
                "P1",
                "P2",
                "P1",
                "P4",
                "P5",
                "9434765919",
            ])) as _,
        ),
        (
            "practice",
            Arc::new(StringArray::from(vec![
                Some("SYN001"),
                Some("SYN001"),
                Some("SYN002"),
                Some("SYN002"),
                None,
                Some("SYN003"),
            ])) as _,
        ),
        (
            "birth_date",
            Arc::new(Date32Array::from(vec![
                day(NaiveDate::from_ymd_opt(
                    1940, 5, 1
                )
                .unwrap());
                6
            ])) as _,
        ),
    ])
    .unwrap();
    let mut s = Session::in_memory();
    let report = s
        .load_batch(
            &batch,
            &BulkOptions {
                first_row: 100,
                ..BulkOptions::default()
            },
        )
        .unwrap();
    assert_eq!(report.applied, 2);
    assert_eq!(report.first_seq, 1);
    let got: Vec<(u64, &str)> = report.rejects.iter().map(|r| (r.row, r.code)).collect();
    assert_eq!(
        got,
        [
            (102, "duplicate"),
            (103, "invalid_request"),
            (104, "invalid_request"),
            (105, "invalid_field"),
        ]
    );
    assert!(report.rejects[1].message.starts_with(
        "bulk load row 103: field `event`: unknown variant, expected one of `configured`, `patient_registered`"
    ));
    assert_eq!(
        report.rejects[2].message,
        "bulk load row 104: field `practice`: missing field `practice`"
    );
    assert_eq!(
        report.rejects[3].kind.as_deref(),
        Some("patient_registered")
    );
    for r in &report.rejects {
        assert!(!r.message.contains("9434765919"), "{}", r.message);
    }
    let table = report.rejects_batch();
    assert_eq!(table.num_rows(), 4);
    assert_eq!(s.caseload().patients().count(), 2);
    // JSON form of the report.
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["applied"], 2);
    assert_eq!(json["rejects"][0]["row"], 102);
}

#[test]
fn a_naive_timestamp_is_refused_not_guessed() {
    let batch = RecordBatch::try_from_iter([
        ("patient", Arc::new(StringArray::from(vec!["P1"])) as _),
        ("practice", Arc::new(StringArray::from(vec!["SYN001"])) as _),
        (
            "birth_date",
            Arc::new(StringArray::from(vec!["1950-01-01"])) as _,
        ),
        (
            "recorded_at",
            Arc::new(TimestampMillisecondArray::from(vec![1_772_442_000_000])) as _,
        ),
    ])
    .unwrap();
    let mut s = Session::in_memory();
    let options = BulkOptions::from_json(r#"{"event":"patient_registered","who":"x"}"#).unwrap();
    let report = s.load_batch(&batch, &options).unwrap();
    assert_eq!(report.applied, 0);
    assert!(
        report.rejects[0]
            .message
            .contains("field `recorded_at`: expected an instant with a time zone"),
        "{}",
        report.rejects[0].message
    );
}

#[test]
fn query_errors_name_the_field() {
    for (q, want) in [
        (
            r#"{"at":"2026-01-01T00:00:00Z"}"#,
            "query: field `query`: missing: name the query",
        ),
        (
            r#"{"query":"breaching_within","at":"2026-01-01","within_minutes":5}"#,
            "query: field `at`: expected an RFC 3339 date-time such as 2026-04-01T08:30:00Z",
        ),
        (
            r#"{"query":"breaching_within","at":"2026-01-01T00:00:00Z","within_minutes":-5}"#,
            "query: field `within_minutes`: invalid value, expected u32",
        ),
        (
            r#"{"query":"workload","day":"2026-01-05","staff":"S1"}"#,
            "query: field `staff`: unknown field, expected `day`",
        ),
    ] {
        let e = Query::from_json(q).unwrap_err();
        assert_eq!(e.code(), "invalid_request");
        assert_eq!(e.to_string(), want, "{q}");
    }
    assert_eq!(Query::from_json("{").unwrap_err().code(), "invalid_json");
}

#[test]
fn record_json_names_the_field_relative_to_the_kind() {
    let mut s = Session::in_memory();
    let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    let e = s
        .record_json(
            "duty",
            at,
            r#"{"patient_registered":{"patient":"P1","practice":"SYN001"}}"#,
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "event: field `birth_date`: missing field `birth_date`"
    );
    let e = s
        .record_json("duty", at, r#"{"patient_registred":{"patient":"P1"}}"#)
        .unwrap_err();
    assert!(e
        .to_string()
        .starts_with("event: field `event`: unknown variant, expected one of"));
    assert_eq!(s.caseload().last_seq(), 0);
}
