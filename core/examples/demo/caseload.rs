//! The caseload stage of the demo: a seeded year of caseload events for the synthetic
//! locality (referrals, UCR, contacts, care plans, tasks, admissions, delays, discharges) is
//! written to a durable journal, the journal is replayed into the caseload state, and the
//! last day's breaches, long-stay list and overdue actions are written out.

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use carecoord::caseload::{Caseload, Event, SCHEMA};
use carecoord::flow::LosBand;
use carecoord::journal::OpenOptions;
use carecoord::synth::{caseload_year, CaseloadSynthConfig};
use chrono::TimeDelta;

/// What the caseload stage reports back to the demo's summary.
pub struct CaseloadSummary {
    pub events: usize,
    pub journal_mb: f64,
    pub replay_secs: f64,
    pub rejected: usize,
    pub today: chrono::NaiveDate,
    pub breaches: usize,
    pub long_stays: usize,
    pub overdue: usize,
    pub files: Vec<String>,
}

/// Run the caseload stage and write its files into `out/caseload`.
pub fn run(out: &Path) -> Result<CaseloadSummary, Box<dyn Error>> {
    let dir = out.join("caseload");
    fs::create_dir_all(&dir)?;
    let year = caseload_year(&CaseloadSynthConfig::default());
    let path = dir.join("caseload.journal");
    let _ = fs::remove_file(&path);
    let mut journal = OpenOptions::new()
        .create_new(true)
        .schema(SCHEMA)
        .open::<Event>(&path)?;
    for chunk in year.events.chunks(50_000) {
        journal.append_batch(chunk.iter().map(|e| (e.who.as_str(), e.at, &e.event)))?;
    }
    drop(journal);
    let events = year.events.len();
    let end = year.end;
    drop(year);
    let journal_mb = fs::metadata(&path)?.len() as f64 / 1e6;

    // Replay the journal: the state is the fold of its events.
    let t = Instant::now();
    let replay = Caseload::replay(&path)?;
    let replay_secs = t.elapsed().as_secs_f64();
    let c = &replay.caseload;

    let now = end - TimeDelta::minutes(1);
    let today = carecoord::calendar::local_date(now);
    let mut files = vec!["caseload/caseload.journal".to_owned()];

    let breaches = c.breaches_on(today, now);
    let mut csv = String::from("referral,patient,practice,priority,due_at,minutes_to_due\r\n");
    for b in &breaches {
        writeln!(
            csv,
            "{},{},{},{},{},{}\r",
            b.referral,
            b.patient,
            b.practice,
            b.priority.map(|p| format!("{p:?}")).unwrap_or_default(),
            b.due_at,
            b.minutes_to_due
        )?;
    }
    fs::write(dir.join("breaches_today.csv"), csv)?;
    files.push("caseload/breaches_today.csv".into());

    let long = c.long_stay(now, LosBand::Days21Plus);
    let mut csv = String::from(
        "stay,ward,los,discharge_ready_date,delay_days,delay_code,overdue_actions,open_actions,escalation_level\r\n",
    );
    for r in &long {
        writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{}\r",
            r.stay,
            r.ward,
            r.los,
            r.discharge_ready_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.delay_days.map(|d| d.to_string()).unwrap_or_default(),
            r.delay_code.as_deref().unwrap_or(""),
            r.overdue_actions,
            r.open_actions,
            r.escalation_level
                .map(|l| l.to_string())
                .unwrap_or_default(),
        )?;
    }
    fs::write(dir.join("long_stay.csv"), csv)?;
    files.push("caseload/long_stay.csv".into());

    let chase = c.chase_list(today, &[]);
    let mut csv = String::from("owner,id,kind,due,days_overdue,chases\r\n");
    for r in &chase {
        writeln!(
            csv,
            "{},{},{:?},{},{},{}\r",
            r.owner, r.id, r.kind, r.due, r.days_overdue, r.chases
        )?;
    }
    fs::write(dir.join("overdue_actions.csv"), csv)?;
    files.push("caseload/overdue_actions.csv".into());

    Ok(CaseloadSummary {
        events,
        journal_mb,
        replay_secs,
        rejected: replay.report.rejected.len(),
        today,
        breaches: breaches.len(),
        long_stays: long.len(),
        overdue: chase.len(),
        files,
    })
}
