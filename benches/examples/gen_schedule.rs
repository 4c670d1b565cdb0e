//! Writes the generated scheduling instances that `benches/python/bench_schedule.py` compares
//! with OR-Tools CP-SAT, as `carecoord.schedule.v1` JSON files in OUTDIR.
//!
//!     cargo run --release -p carecoord-benches --example gen_schedule -- OUTDIR
//!
//! Every file comes from `carecoord::synth` with a fixed seed, so the same files come out on
//! every machine. The disrupted instance (the S2 shape) needs a plan to disrupt: it is made
//! with `carecoord::schedule::solve` under a counter-only stop (no time limit), so it does not
//! depend on the machine's speed either.

use std::path::PathBuf;

use carecoord::schedule::{solve, Instance, SolveOptions};
use carecoord::synth::{
    locality_month, schedule_disruption, schedule_instance, DisruptionConfig, LocalityMonthConfig,
    ScheduleInstanceConfig,
};

/// The generated instances: the S1/S3 shapes with other seeds, larger months, and the demo's
/// locality month.
fn instances() -> Vec<Instance> {
    let month = |seed, people, rooms, meetings, series, pinned| {
        schedule_instance(&ScheduleInstanceConfig {
            name: format!("gen-month-{people}p-{meetings}m-seed{seed}"),
            people,
            rooms,
            meetings,
            series,
            pinned,
            ..ScheduleInstanceConfig::month(seed)
        })
    };
    let mut out = vec![
        month(2, 40, 4, 60, 6, 2),
        month(3, 40, 4, 60, 6, 2),
        month(4, 80, 6, 120, 10, 4),
        month(5, 160, 10, 240, 16, 6),
    ];
    let base = out[0].clone();
    let plan = solve(
        &base,
        &SolveOptions {
            time_limit: None,
            seed: 0,
        },
    )
    .expect("generated instances solve");
    out.push(schedule_disruption(
        &base,
        &plan,
        &DisruptionConfig {
            seed: 2,
            name: "gen-month-40p-60m-seed2-disrupted".into(),
            ..DisruptionConfig::default()
        },
    ));
    out.push(schedule_instance(&ScheduleInstanceConfig {
        name: "gen-year-seed2".into(),
        ..ScheduleInstanceConfig::year(2)
    }));
    out.push(locality_month(&LocalityMonthConfig::default()));
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .ok_or("usage: gen_schedule OUTDIR")?
        .into();
    std::fs::create_dir_all(&dir)?;
    for inst in instances() {
        let path = dir.join(format!("{}.json", inst.name));
        std::fs::write(&path, inst.to_json())?;
        println!("{}", path.display());
    }
    Ok(())
}
