//! Calendar: the vendored tables match their source, and the Rust API and C ABI agree.

use carecoord::calendar::{self, Region, ServiceHours};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use proptest::prelude::*;

/// The vendored bank-holiday table is a verbatim copy of `shared/data/uk-bank-holidays.csv`
/// (checked whenever the shared folder sits beside the project, as in CI).
#[test]
fn vendored_tables_match_shared_sources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pairs = [
        (
            "core/data/uk-bank-holidays.csv",
            "../shared/data/uk-bank-holidays.csv",
        ),
        (
            "core/data/risk/risk_examples.csv",
            "../shared/data/risk/risk_examples.csv",
        ),
        (
            "core/data/risk/hfrs_icd10.csv",
            "../shared/data/risk/hfrs_icd10.csv",
        ),
        (
            "core/data/risk/charlson_icd10_quan2005.csv",
            "../shared/data/risk/charlson_icd10_quan2005.csv",
        ),
    ];
    for (ours, theirs) in pairs {
        let Ok(source) = std::fs::read(root.join(theirs)) else {
            eprintln!("skipping {ours}: {theirs} not present");
            continue;
        };
        assert_eq!(std::fs::read(root.join(ours)).unwrap(), source, "{ours}");
    }
}

/// Every row of the vendored table is a bank holiday through the Rust API and the C ABI.
#[test]
fn every_table_row_is_a_holiday_in_rust_and_c() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/data/uk-bank-holidays.csv"),
    )
    .unwrap();
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let mut f = line.splitn(3, ',');
        let region: Region = f.next().unwrap().parse().unwrap();
        let date: NaiveDate = f.next().unwrap().parse().unwrap();
        let title = f.next().unwrap();
        let h = calendar::bank_holiday(region, date).expect("holiday");
        assert_eq!(h.title, title);
        let c_region = region as u32;
        let d = ffi::calendar::carecoord_date {
            year: date.year(),
            month: date.month(),
            day: date.day(),
        };
        assert!(ffi::calendar::carecoord_calendar_is_bank_holiday(
            c_region, d
        ));
        rows += 1;
    }
    // DOMAIN.md 2.3: 307 rows for 2018-2028.
    assert_eq!(rows, 307);
}

fn c_deadline(h: *const ffi::calendar::carecoord_service_hours, start: i64, within: i64) -> i64 {
    let mut out = 0i64;
    // SAFETY: h is a live handle; out is a local.
    let r = unsafe {
        ffi::calendar::carecoord_service_hours_deadline_in_service_hours(h, start, within, &mut out)
    };
    assert_eq!(r, ffi::carecoord_result::CARECOORD_RESULT_OK);
    out
}

proptest! {
    /// Rust and C give the same service-hour deadlines for any instant in 2018-2030.
    #[test]
    fn deadlines_agree(start in 1_514_764_800i64..1_924_992_000, minutes in 0i64..3_000) {
        let mut handle = std::ptr::null_mut();
        // SAFETY: handle is a local out-pointer.
        let r = unsafe { ffi::calendar::carecoord_service_hours_weekday_office(0, &mut handle) };
        prop_assert_eq!(r, ffi::carecoord_result::CARECOORD_RESULT_OK);
        let rust = ServiceHours::weekday_office(Region::EnglandAndWales)
            .deadline_in_service_hours(
                DateTime::<Utc>::from_timestamp(start, 0).unwrap(),
                TimeDelta::minutes(minutes),
            )
            .unwrap();
        let c = c_deadline(handle, start, minutes * 60);
        // SAFETY: handle came from _new and is freed once.
        unsafe { ffi::calendar::carecoord_service_hours_free(handle) };
        prop_assert_eq!(rust.timestamp(), c);
    }
}
