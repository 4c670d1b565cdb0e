//! Generates the synthetic year of caseload events, writes it to a journal, replays the
//! journal and reports replay throughput and peak memory; then prints the census day's
//! breaches, long-stay list and overdue actions.
//!
//! Run in release mode for meaningful figures:
//!
//! ```text
//! cargo run --release -p carecoord --example caseload_replay [-- --small] [-- --keep PATH]
//! cargo run --release -p carecoord --example caseload_replay -- --replay-only PATH
//! ```
//!
//! Peak memory is the process's high-water resident set (`VmHWM` from `/proc/self/status`,
//! Linux only), read before generating, after writing and after replaying. The replay figure
//! is the high-water mark during replay minus the resident set before it (the generated
//! events are dropped first), so it approximates the memory the replay itself needs.

#[cfg(not(feature = "synth"))]
fn main() {
    eprintln!("this example needs the `synth` feature (on by default)");
}

#[cfg(feature = "synth")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    app::main()
}

#[cfg(feature = "synth")]
mod app {
    use std::time::Instant;

    use carecoord::caseload::{Caseload, Event, SCHEMA};
    use carecoord::flow::LosBand;
    use carecoord::journal::{Journal, OpenOptions};
    use carecoord::synth::{caseload_year, CaseloadSynthConfig};
    use chrono::TimeDelta;

    fn status_kib(field: &str) -> Option<u64> {
        let text = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = text.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Resets the high-water mark (Linux: write 5 to clear_refs).
    fn reset_hwm() {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }

    pub fn main() -> Result<(), Box<dyn std::error::Error>> {
        let args: Vec<String> = std::env::args().collect();
        // `--replay-only PATH`: replay an existing journal in a fresh process and report its
        // peak resident memory (nothing else allocated beforehand).
        if let Some(path) = args
            .iter()
            .position(|a| a == "--replay-only")
            .and_then(|i| args.get(i + 1))
        {
            let base = status_kib("VmRSS:").unwrap_or(0);
            let t = Instant::now();
            let r = Caseload::replay(path)?;
            let secs = t.elapsed().as_secs_f64();
            let n = r.caseload.applied();
            println!(
                "replay-only: {n} events in {secs:.3} s = {:.0} events/s; rejected {}",
                n as f64 / secs,
                r.report.rejected.len()
            );
            println!(
                "memory: resident at start {:.1} MiB, peak {:.1} MiB, resident after {:.1} MiB",
                base as f64 / 1024.0,
                status_kib("VmHWM:").unwrap_or(0) as f64 / 1024.0,
                status_kib("VmRSS:").unwrap_or(0) as f64 / 1024.0
            );
            return Ok(());
        }
        let small = args.iter().any(|a| a == "--small");
        let keep = args
            .iter()
            .position(|a| a == "--keep")
            .and_then(|i| args.get(i + 1))
            .cloned();
        let config = if small {
            CaseloadSynthConfig::small()
        } else {
            CaseloadSynthConfig::default()
        };

        let t = Instant::now();
        let year = caseload_year(&config);
        let generate = t.elapsed();
        println!(
            "generated {} events in {:.2} s: {:?}",
            year.events.len(),
            generate.as_secs_f64(),
            year.counts
        );

        let path = match &keep {
            Some(p) => std::path::PathBuf::from(p),
            None => {
                std::env::temp_dir().join(format!("caseload-year-{}.journal", std::process::id()))
            }
        };
        let _ = std::fs::remove_file(&path);
        let t = Instant::now();
        let mut journal = OpenOptions::new()
            .create_new(true)
            .schema(SCHEMA)
            .open::<Event>(&path)?;
        for chunk in year.events.chunks(50_000) {
            journal.append_batch(chunk.iter().map(|e| (e.who.as_str(), e.at, &e.event)))?;
        }
        drop(journal);
        let bytes = std::fs::metadata(&path)?.len();
        println!(
            "wrote journal: {:.1} MB in {:.2} s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let n = year.events.len();
        let end = year.end;
        // Folding the events in memory (no JSON): the model's own cost.
        let t = Instant::now();
        let (in_memory, _) = Caseload::from_events(&year.events);
        let apply = t.elapsed().as_secs_f64();
        println!(
            "apply in memory (no JSON): {:.3} s = {:.0} events/s",
            apply,
            n as f64 / apply
        );
        drop(in_memory);
        drop(year);

        // Warm the page cache; time reading and decoding alone.
        let _ = Journal::<Event>::replay(&path, 0u64, |c, _| *c += 1)?;
        let t = Instant::now();
        let _ = Journal::<Event>::replay(&path, 0u64, |c, _| *c += 1)?;
        let decode = t.elapsed().as_secs_f64();
        println!(
            "read + decode only: {:.3} s = {:.0} events/s",
            decode,
            n as f64 / decode
        );
        let rss_before = status_kib("VmRSS:").unwrap_or(0);
        reset_hwm();
        let mut best = f64::MAX;
        let mut replay = None;
        for _ in 0..3 {
            let t = Instant::now();
            let r = Caseload::replay(&path)?;
            best = best.min(t.elapsed().as_secs_f64());
            replay = Some(r);
        }
        let hwm = status_kib("VmHWM:").unwrap_or(0);
        let replay = replay.ok_or("no replay")?;
        for r in replay.report.rejected.iter().take(20) {
            eprintln!("rejected: {}", r.error);
        }
        assert!(
            replay.report.rejected.is_empty(),
            "{} rejected",
            replay.report.rejected.len()
        );
        assert_eq!(replay.caseload.applied() as usize, n);
        println!(
            "replay: {n} events in {best:.3} s (best of 3) = {:.0} events/s; {:.1} MB/s",
            n as f64 / best,
            bytes as f64 / 1e6 / best
        );
        println!(
        "memory: resident before replay {:.1} MiB, high-water during replays {:.1} MiB (+{:.1} MiB)",
        rss_before as f64 / 1024.0,
        hwm as f64 / 1024.0,
        hwm.saturating_sub(rss_before) as f64 / 1024.0
    );
        let c = &replay.caseload;
        let again = Caseload::replay(&path)?;
        assert_eq!(again.caseload.to_json(), c.to_json());
        println!(
            "state: {} bytes of JSON; second replay byte-identical",
            c.to_json().len()
        );

        // The last day of the year: its breaches, the long-stay list and overdue actions.
        let now = end - TimeDelta::minutes(1);
        let today = carecoord::calendar::local_date(now);
        println!("\n== {today}: breaches ==");
        let breaches = c.breaches_on(today, now);
        for b in breaches.iter().take(10) {
            println!(
                "{} {} {:?} due {} ({} min)",
                b.referral, b.practice, b.priority, b.due_at, b.minutes_to_due
            );
        }
        println!("{} breaches", breaches.len());
        println!("\n== long stays (21+) ==");
        let long = c.long_stay(now, LosBand::Days21Plus);
        for r in long.iter().take(10) {
            println!(
                "{} {} los {} drd {:?} delay {:?} {:?} actions {}/{} esc {:?}",
                r.stay,
                r.ward,
                r.los,
                r.discharge_ready_date,
                r.delay_days,
                r.delay_code,
                r.overdue_actions,
                r.open_actions,
                r.escalation_level
            );
        }
        let census = c.ward_census(now);
        let occ: u32 = census.iter().map(|w| w.occupied).sum();
        let beds: u32 = census.iter().map(|w| w.beds).sum();
        let l7: u32 = census.iter().map(|w| w.los_7_plus).sum();
        let l14: u32 = census.iter().map(|w| w.los_14_plus).sum();
        let l21: u32 = census.iter().map(|w| w.los_21_plus).sum();
        let delayed: u32 = census.iter().map(|w| w.delayed).sum();
        println!(
        "{} long stays; census {occ}/{beds} beds, 7+ {l7}, 14+ {l14}, 21+ {l21}, delayed {delayed}",
        long.len()
    );
        println!("\n== overdue actions ==");
        let chase = c.chase_list(today, &[]);
        for r in chase.iter().take(10) {
            println!(
                "{} {} {:?} due {} ({} days, chased {})",
                r.owner, r.id, r.kind, r.due, r.days_overdue, r.chases
            );
        }
        println!("{} overdue", chase.len());
        let ucr = c.ucr_two_hour_performance(config.start, today.succ_opt().unwrap_or(today), now);
        println!("\nUCR 2-hour: {ucr:?}");
        println!(
            "reviews due {}, SYN001 discharge review queue {}, escalations due {}",
            c.reviews_due(today).len(),
            c.discharge_review_queue(Some("SYN001"), now).len(),
            c.escalations_due(now).len()
        );
        if keep.is_none() {
            std::fs::remove_file(&path)?;
        }
        Ok(())
    }
}
