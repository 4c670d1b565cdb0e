//! Calendar: bank-holiday lookup and service-hour deadlines.

use std::hint::black_box;

use carecoord::calendar::{self, Region, ServiceHours};
use carecoord_benches::config;
use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};

fn calendar_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("calendar");
    let good_friday = NaiveDate::from_ymd_opt(2026, 4, 3).expect("date");
    g.bench_function("is_bank_holiday/carecoord", |b| {
        b.iter(|| {
            assert!(calendar::is_bank_holiday(
                black_box(Region::EnglandAndWales),
                black_box(good_friday)
            ))
        })
    });
    // 17:30 on a Friday before a bank-holiday weekend: the clock pauses over three nights.
    let community = ServiceHours::community_seven_day();
    let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    let start = Utc.with_ymd_and_hms(2026, 4, 2, 16, 30, 0).unwrap();
    let due_2h = community
        .deadline_in_service_hours(start, TimeDelta::hours(2))
        .expect("deadline");
    g.bench_function("deadline_in_service_hours/2h/carecoord", |b| {
        b.iter(|| {
            let d = community
                .deadline_in_service_hours(black_box(start), black_box(TimeDelta::hours(2)))
                .expect("deadline");
            assert_eq!(d, due_2h);
        })
    });
    // 2 working days from Thursday 2 April 2026: Good Friday and Easter Monday are closed.
    let due = Utc.with_ymd_and_hms(2026, 4, 8, 17, 0, 0).unwrap();
    g.bench_function("add_working_days/2/carecoord", |b| {
        b.iter(|| {
            let d = office
                .add_working_days(black_box(start), black_box(2))
                .expect("deadline");
            assert_eq!(d, due);
        })
    });
    g.bench_function("bank_holidays/year/carecoord", |b| {
        b.iter(|| {
            let v = calendar::bank_holidays(black_box(Region::Scotland), black_box(2031))
                .expect("in range");
            assert_eq!(v.len(), 9);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = calendar_benches
}
criterion_main!(benches);
