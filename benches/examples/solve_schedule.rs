//! Solves `carecoord.schedule.v1` instances with `carecoord::schedule::solve` and times the
//! parse and the solve in-process (for `benches/python/bench_schedule.py`).
//!
//!     cargo run --release -p carecoord-benches --example solve_schedule -- \
//!         [--repeat N] [--time-limit-ms MS] OUTDIR INSTANCE.json...
//!
//! For each instance it writes `OUTDIR/<file stem>.carecoord.json` (the plan of the first
//! run) and prints one JSON line: `{"instance": ..., "solution": ..., "parse_ms": ...,
//! "solve_ms": median, "solve_ms_runs": [...], "placed": ..., "unplaced": ..., "same_plan":
//! every run gave the same plan}`. The default time limit is the solver's (1.5 s).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use carecoord::schedule::{solve, Instance, SolveOptions};

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut repeat = 3usize;
    let mut options = SolveOptions::default();
    let mut rest = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat N")?.parse()?,
            "--time-limit-ms" => {
                let v: u64 = args.next().ok_or("--time-limit-ms MS")?.parse()?;
                options.time_limit = (v > 0).then(|| Duration::from_millis(v));
            }
            _ => rest.push(a),
        }
    }
    if rest.len() < 2 {
        return Err(
            "usage: solve_schedule [--repeat N] [--time-limit-ms MS] OUTDIR INSTANCE...".into(),
        );
    }
    let out_dir = PathBuf::from(rest.remove(0));
    std::fs::create_dir_all(&out_dir)?;
    for path in rest {
        let text = std::fs::read_to_string(&path)?;
        let t0 = Instant::now();
        let inst = Instance::from_json(&text)?;
        let parse = t0.elapsed();
        let mut runs = Vec::new();
        let mut first = None;
        let mut same_plan = true;
        for _ in 0..repeat.max(1) {
            let t0 = Instant::now();
            let plan = solve(&inst, &options)?;
            runs.push(t0.elapsed());
            match &first {
                None => first = Some(plan),
                Some(f) => same_plan &= *f == plan,
            }
        }
        let plan = first.ok_or("no run")?;
        let mut sorted = runs.clone();
        sorted.sort();
        let median = sorted[sorted.len() / 2];
        let stem = Path::new(&path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("instance");
        let sol_path = out_dir.join(format!("{stem}.carecoord.json"));
        std::fs::write(&sol_path, plan.to_json())?;
        let runs_ms: Vec<String> = runs.iter().map(|d| format!("{:.2}", ms(*d))).collect();
        println!(
            "{{\"instance\": {}, \"name\": {}, \"solution\": {}, \"parse_ms\": {:.3}, \"solve_ms\": {:.3}, \"solve_ms_runs\": [{}], \"placed\": {}, \"unplaced\": {}, \"same_plan\": {}}}",
            json_str(&path),
            json_str(&inst.name),
            json_str(&sol_path.display().to_string()),
            ms(parse),
            ms(median),
            runs_ms.join(", "),
            plan.assignments.len(),
            plan.unplaced.len(),
            same_plan
        );
    }
    Ok(())
}
