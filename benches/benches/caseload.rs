//! Caseload: replaying a journal of the synthetic year, folding it in memory, and queries.
//!
//! * `caseload/replay/<year>/carecoord`: `Caseload::replay` of a journal written once to a
//!   temporary file (`small_year`: `CaseloadSynthConfig::small()`, about 61,000 events;
//!   `year`: the default locality, about 295,000 events), every iteration checking that all
//!   events applied with no rejection;
//! * `caseload/apply/<year>/carecoord`: `Caseload::from_events` on the events in memory (the
//!   model alone, without JSON);
//! * `caseload/load_arrow/<year>/carecoord`: `Session::load_batch` of the year as Arrow
//!   batches (one per run of events of one kind, from `caseload::events_to_batches`): read each
//!   row as an event, check and apply it, in memory;
//! * `caseload/query/<query>/carecoord`: queries on the replayed default year at its last
//!   evening (breaching within an hour, the 7+ long-stay list, the chasing list, the ward
//!   census, the over-65 discharge review queue of one practice), and
//!   `caseload/query_arrow/long_stay_7_plus/carecoord`: the long-stay query through
//!   `Query` JSON to an Arrow batch, as the bindings run it.
//!
//! Throughput in events per second is reported by Criterion (`Throughput::Elements`).

use std::hint::black_box;

use carecoord::caseload::{events_to_batches, BulkOptions, Caseload, Event, Session, SCHEMA};
use carecoord::flow::LosBand;
use carecoord::journal::{Envelope, OpenOptions};
use carecoord::synth::{caseload_year, CaseloadSynthConfig};
use carecoord_benches::config;
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Writes the events to a fresh journal in the temp directory and returns its path.
fn journal_of(name: &str, events: &[Envelope<Event>]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "carecoord-bench-caseload-{name}-{}.journal",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let mut j = OpenOptions::new()
        .create_new(true)
        .schema(SCHEMA)
        .open::<Event>(&path)
        .expect("create journal");
    for chunk in events.chunks(50_000) {
        j.append_batch(chunk.iter().map(|e| (e.who.as_str(), e.at, &e.event)))
            .expect("append");
    }
    path
}

fn caseload_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("caseload");
    g.sample_size(10);
    let mut year_state = None;
    for (name, cfg) in [
        ("small_year", CaseloadSynthConfig::small()),
        ("year", CaseloadSynthConfig::default()),
    ] {
        let year = caseload_year(&cfg);
        let n = year.events.len();
        let path = journal_of(name, &year.events);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("replay/{name}/carecoord"), |b| {
            b.iter(|| {
                let r = Caseload::replay(black_box(&path)).expect("replays");
                assert!(r.report.rejected.is_empty());
                assert_eq!(r.caseload.applied() as usize, n);
            })
        });
        g.bench_function(format!("apply/{name}/carecoord"), |b| {
            b.iter(|| {
                let (c, rejected) = Caseload::from_events(black_box(&year.events));
                assert!(rejected.is_empty());
                assert_eq!(c.applied() as usize, n);
            })
        });
        let batches = events_to_batches(&year.events).expect("batches");
        g.bench_function(format!("load_arrow/{name}/carecoord"), |b| {
            b.iter(|| {
                let mut s = Session::in_memory();
                let mut applied = 0;
                for batch in black_box(&batches) {
                    let r = s.load_batch(batch, &BulkOptions::default()).expect("loads");
                    assert!(r.rejects.is_empty());
                    applied += r.applied;
                }
                assert_eq!(applied as usize, n);
            })
        });
        drop(batches);
        let _ = std::fs::remove_file(&path);
        if name == "year" {
            year_state = Some((Caseload::from_events(&year.events).0, year.end));
        }
    }

    let Some((c, end)) = year_state else {
        return;
    };
    let now = end - TimeDelta::minutes(1);
    let today = carecoord::calendar::local_date(now);
    g.sample_size(20);
    g.throughput(Throughput::Elements(1));
    let breaching = c.breaching_within(now, TimeDelta::hours(1)).len();
    g.bench_function("query/breaching_within_1h/carecoord", |b| {
        b.iter(|| {
            assert_eq!(
                c.breaching_within(black_box(now), TimeDelta::hours(1))
                    .len(),
                breaching
            )
        })
    });
    let long = c.long_stay(now, LosBand::Days7Plus).len();
    assert!(long > 100);
    g.bench_function("query/long_stay_7_plus/carecoord", |b| {
        b.iter(|| assert_eq!(c.long_stay(black_box(now), LosBand::Days7Plus).len(), long))
    });
    let chase = c.chase_list(today, &[]).len();
    let query = format!(
        r#"{{"query":"long_stay","at":"{}","band":"7+"}}"#,
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    g.bench_function("query_arrow/long_stay_7_plus/carecoord", |b| {
        b.iter(|| {
            let q = carecoord::caseload::Query::from_json(black_box(&query)).expect("query");
            let batch = c.run(&q).to_record_batch().expect("batch");
            assert_eq!(batch.num_rows(), long);
        })
    });
    g.bench_function("query/chase_list/carecoord", |b| {
        b.iter(|| assert_eq!(c.chase_list(black_box(today), &[]).len(), chase))
    });
    g.bench_function("query/ward_census/carecoord", |b| {
        b.iter(|| assert_eq!(c.ward_census(black_box(now)).len(), 20))
    });
    let queue = c.discharge_review_queue(Some("SYN001"), now).len();
    g.bench_function("query/discharge_review_queue/carecoord", |b| {
        b.iter(|| {
            assert_eq!(
                c.discharge_review_queue(Some("SYN001"), black_box(now))
                    .len(),
                queue
            )
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = caseload_benches
}
criterion_main!(benches);
