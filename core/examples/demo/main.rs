//! The main job on the bundled synthetic locality: `make demo`.
//!
//! Generates the seeded synthetic register, validates every row (rows in = accepted +
//! rejected, each reject with its row and reason), de-duplicates on NHS number, summarises
//! the register per practice, and lists the bank holidays and service-hour deadlines the
//! teams work to. Writes CSV files into `--out` (default `out/`) and prints where.

mod caseload;
mod risk;
mod schedule;

use std::collections::HashSet;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use arrow_array::{Array, StringArray};
use carecoord::calendar::{self, Region, ServiceHours};
use carecoord::ids::{batch, NhsNumber};
use carecoord::synth::{locality, register, RegisterConfig};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

/// RFC 4180 field: quoted when needed; cells starting with = + - @ are prefixed with ' to
/// stop spreadsheet formula injection (DOMAIN.md 3.3).
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_line(out: &mut String, fields: &[&str]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

struct Args {
    out: PathBuf,
    seed: u64,
    today: NaiveDate,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = Args {
        out: PathBuf::from("out"),
        seed: RegisterConfig::default().seed,
        today: RegisterConfig::default().census_date,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let value = it.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--out" => args.out = PathBuf::from(value),
            "--seed" => args.seed = value.parse()?,
            "--today" => args.today = value.parse()?,
            other => {
                return Err(format!("unknown option {other} (use --out, --seed, --today)").into())
            }
        }
    }
    Ok(args)
}

fn age_band(age: u32) -> usize {
    match age {
        0..=17 => 0,
        18..=64 => 1,
        65..=74 => 2,
        75..=84 => 3,
        _ => 4,
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    fs::create_dir_all(&args.out)?;
    let config = RegisterConfig {
        seed: args.seed,
        census_date: args.today,
        ..RegisterConfig::default()
    };
    let reg = register(&config);

    // 1. The register as exported (synthetic: NHS numbers in the 999 test range).
    let mut register_csv = String::new();
    csv_line(
        &mut register_csv,
        &["nhs_number", "practice", "date_of_birth", "sex"],
    );
    for r in &reg.rows {
        let dob = r.date_of_birth.to_string();
        csv_line(
            &mut register_csv,
            &[&r.nhs_number, &r.practice, &dob, r.sex.as_str()],
        );
    }
    fs::write(args.out.join("register.csv"), register_csv)?;

    // 2. Validate every NHS number in one Arrow batch, then de-duplicate.
    let column = StringArray::from_iter_values(reg.rows.iter().map(|r| r.nhs_number.as_str()));
    let reasons = batch::nhs_number_reasons(&column)?;
    let mut seen = HashSet::new();
    let mut rejects = String::new();
    csv_line(&mut rejects, &["row", "field", "reason"]);
    let (mut accepted, mut rejected) = (0usize, 0usize);
    let n_practices = reg.practices.len();
    let mut per_practice = vec![[0usize; 8]; n_practices]; // rows, accepted, rejected, 5 bands
    for (i, r) in reg.rows.iter().enumerate() {
        let p = reg
            .practices
            .iter()
            .position(|p| p.code == r.practice)
            .unwrap_or(0);
        per_practice[p][0] += 1;
        let row = (i + 1).to_string(); // 1-based data row, as a spreadsheet shows it
        let reason = if reasons.is_valid(i) {
            Some(reasons.value(i))
        } else {
            let n = NhsNumber::parse(&r.nhs_number)?;
            (!seen.insert(n)).then_some("duplicate")
        };
        match reason {
            Some(reason) => {
                rejected += 1;
                per_practice[p][2] += 1;
                csv_line(&mut rejects, &[&row, "nhs_number", reason]);
            }
            None => {
                accepted += 1;
                per_practice[p][1] += 1;
                let age = config.census_date.years_since(r.date_of_birth).unwrap_or(0);
                per_practice[p][3 + age_band(age)] += 1;
            }
        }
    }
    assert_eq!(
        accepted + rejected,
        reg.rows.len(),
        "rows in = accepted + rejected"
    );
    fs::write(args.out.join("register_rejects.csv"), rejects)?;

    let mut summary = String::new();
    csv_line(
        &mut summary,
        &[
            "practice",
            "name",
            "rows",
            "accepted",
            "rejected",
            "age_0_17",
            "age_18_64",
            "age_65_74",
            "age_75_84",
            "age_85_plus",
        ],
    );
    for (p, counts) in reg.practices.iter().zip(&per_practice) {
        let c: Vec<String> = counts.iter().map(ToString::to_string).collect();
        let mut fields = vec![p.code.as_str(), p.name.as_str()];
        fields.extend(c.iter().map(String::as_str));
        csv_line(&mut summary, &fields);
    }
    fs::write(args.out.join("register_summary.csv"), summary)?;

    // 3. Bank holidays over the next twelve months, per GOV.UK division.
    let until = args.today + TimeDelta::days(365);
    let mut holidays = String::new();
    csv_line(&mut holidays, &["region", "date", "title", "source"]);
    let mut upcoming = String::new();
    for region in Region::ALL {
        let list = calendar::bank_holidays_between(region, args.today, until)?;
        for h in &list {
            let source = format!("{:?}", h.source).to_lowercase();
            csv_line(
                &mut holidays,
                &[region.as_str(), &h.date.to_string(), h.title, &source],
            );
        }
        if let Some(next) = list.first() {
            writeln!(
                upcoming,
                "  next in {region}: {} ({})",
                next.date, next.title
            )?;
        }
    }
    fs::write(args.out.join("bank_holidays.csv"), holidays)?;

    // 4. Deadlines the teams work to, for a referral received at 17:30 today (local time).
    let received_local = NaiveDateTime::new(
        args.today,
        chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap_or_default(),
    );
    let received = calendar::local_to_utc(received_local, calendar::Disambiguation::Earlier)?;
    let fmt = |t: chrono::DateTime<chrono::Utc>| {
        calendar::to_local(t)
            .format("%a %Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let ucr_elapsed = calendar::elapsed_deadline(received, TimeDelta::hours(2));
    let community = ServiceHours::community_seven_day();
    let in_hours = community.deadline_in_service_hours(received, TimeDelta::hours(2))?;
    let office = ServiceHours::weekday_office(Region::EnglandAndWales);
    let two_days = office.add_working_days(received, 2)?;

    println!(
        "carecoord demo: synthetic locality (seed {}), today {}",
        args.seed, args.today
    );
    println!(
        "register: {} rows in = {} accepted + {} rejected ({} practices)",
        reg.rows.len(),
        accepted,
        rejected,
        n_practices
    );
    println!("bank holidays in the next 12 months:\n{upcoming}");
    println!("referral received {}:", fmt(received));
    println!(
        "  UCR 2-hour standard (elapsed time):            {}",
        fmt(ucr_elapsed)
    );
    println!(
        "  2 service hours, community team 08-18 x 7:    {}",
        fmt(in_hours)
    );
    println!(
        "  2 working days, duty team 08-18 Mon-Fri (E&W): {}",
        fmt(two_days)
    );

    // 5. Risk stratification of the locality and the integrated locality review cohort.
    let loc = locality(&config);
    let risk = risk::run(&loc, args.today, &args.out)?;
    println!(
        "risk: {} patients scored from {} diagnosis rows ({} rejected, see risk_rejects.csv)",
        risk.patients,
        risk.rows_in,
        risk.rejected_rows()
    );
    println!(
        "  tiers (top 0.5% / 5% / 20% / rest): {:?}; ILR cohort: {} patients with explanations",
        risk.tier_sizes, risk.cohort
    );

    // 6. A month of meetings for the locality, agendas, minutes, action log and chasing list.
    let sched = schedule::run(&risk.ilr, args.today, &args.out)?;
    println!(
        "schedule: {} meetings from {} planned, {} placed, {} unplaced, feasible {} (objective {})",
        sched.meetings, sched.start, sched.placed, sched.unplaced, sched.feasible, sched.objective
    );
    println!(
        "  first week: {} practice MDT agendas ({} ILR patients deferred for time); {} actions, \
         {} overdue on {} for {} owners (chase_list.md)",
        sched.agendas,
        sched.deferred,
        sched.actions,
        sched.overdue,
        sched.as_of,
        sched.chase_owners
    );

    // 7. A year of caseload events through the journal, replayed; the last day's work lists.
    let cl = caseload::run(&args.out)?;
    println!(
        "caseload: {} events journaled ({:.1} MB), replayed in {:.2} s ({:.0} events/s), {} rejected",
        cl.events,
        cl.journal_mb,
        cl.replay_secs,
        cl.events as f64 / cl.replay_secs,
        cl.rejected
    );
    println!(
        "  {}: {} referrals breaching, {} patients in hospital 21+ days, {} overdue actions",
        cl.today, cl.breaches, cl.long_stays, cl.overdue
    );

    println!("outputs written to {}/:", args.out.display());
    let mut files: Vec<String> = [
        "register.csv",
        "register_rejects.csv",
        "register_summary.csv",
        "bank_holidays.csv",
    ]
    .map(String::from)
    .to_vec();
    files.extend(risk.files);
    files.extend(sched.files);
    files.extend(cl.files);
    for f in files {
        println!("  {}", args.out.join(f).display());
    }
    Ok(())
}
