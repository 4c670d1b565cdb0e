//! The scheduling stage of the demo: a month of practice MDTs, integrated locality reviews,
//! discharge-leads huddles and safeguarding core groups for the synthetic locality, planned
//! across its clinicians' diaries; agendas for the first week's practice MDTs filled from the
//! ILR cohort; the plan as an `.ics` file; minutes with an action log and the chasing list;
//! and an availability email for the first integrated locality review.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, UInt32Type};
use arrow_array::RecordBatch;
use carecoord::schedule::{
    availability_email, candidate_slots, evaluate, solve, to_icalendar, Action, ActionLog,
    ActionStatus, Agenda, AgendaItem, AgendaOptions, CandidateOptions, Decision, Diary,
    EmailOptions, IcalOptions, Instance, MeetingTime, Minutes, PatientSummary, RiskScore,
    SolveOptions,
};
use carecoord::synth::{locality_month, LocalityMonthConfig};
use chrono::{Datelike, Days, NaiveDate};

/// What the scheduling stage reports back to the demo's summary.
pub struct ScheduleSummary {
    pub start: NaiveDate,
    pub meetings: usize,
    pub placed: usize,
    pub unplaced: usize,
    pub feasible: bool,
    pub objective: String,
    pub agendas: usize,
    pub deferred: usize,
    pub actions: usize,
    pub overdue: usize,
    pub chase_owners: usize,
    pub as_of: NaiveDate,
    pub files: Vec<String>,
}

/// One ILR cohort row, as the agendas need it.
struct CohortRow {
    patient: String,
    label: String,
    tier: u8,
    reasons: String,
    explanation: String,
    scores: Vec<RiskScore>,
}

fn cohort_by_practice(
    ilr: &RecordBatch,
) -> Result<BTreeMap<String, Vec<CohortRow>>, Box<dyn Error>> {
    let col = |name: &str| {
        ilr.column_by_name(name)
            .ok_or_else(|| format!("ILR cohort has no column {name}"))
    };
    let id = col("patient_id")?.as_string::<i32>();
    let practice = col("practice")?.as_string::<i32>();
    let sex = col("sex")?.as_string::<i32>();
    let reasons = col("reasons")?.as_string::<i32>();
    let explanation = col("explanation")?.as_string::<i32>();
    let efi_band = col("efi_band")?.as_string::<i32>();
    let efi = col("efi")?.as_primitive::<Float64Type>();
    let hfrs = col("hfrs")?.as_primitive::<Float64Type>();
    let charlson = col("charlson")?.as_primitive::<Int32Type>();
    let tier = col("tier")?.as_primitive::<Int32Type>();
    let age = col("age")?.as_primitive::<UInt32Type>();
    let mut out: BTreeMap<String, Vec<CohortRow>> = BTreeMap::new();
    for i in 0..ilr.num_rows() {
        out.entry(practice.value(i).to_owned())
            .or_default()
            .push(CohortRow {
                patient: id.value(i).to_owned(),
                // Sex and age only: no name, no NHS number (data minimisation, DOMAIN 4).
                label: format!("{}, {}", sex.value(i), age.value(i)),
                tier: u8::try_from(tier.value(i).clamp(1, 4)).unwrap_or(4),
                reasons: reasons.value(i).to_owned(),
                explanation: explanation.value(i).to_owned(),
                scores: vec![
                    RiskScore::new(
                        "eFI",
                        format!("{:.2} ({})", efi.value(i), efi_band.value(i)),
                    ),
                    RiskScore::new("HFRS", format!("{:.1}", hfrs.value(i))),
                    RiskScore::new("Charlson", charlson.value(i).to_string()),
                ],
            });
    }
    Ok(out)
}

/// The agenda items of a practice MDT: its ILR cohort patients, most at risk first, with the
/// practice's own attendees as the people involved in their care.
fn items(rows: &[CohortRow], involved: &[String]) -> Vec<AgendaItem> {
    rows.iter()
        .map(|r| {
            let mut item = AgendaItem::new(&r.patient, &r.label, Some(r.tier));
            item.involved = involved.to_vec();
            item.summary = PatientSummary {
                reason: format!("Integrated locality review cohort ({})", r.reasons),
                key_problems: r
                    .explanation
                    .split("; ")
                    .filter(|s| !s.is_empty())
                    .take(4)
                    .map(str::to_owned)
                    .collect(),
                risk_scores: r.scores.clone(),
                open_actions: Vec::new(),
            };
            item
        })
        .collect()
}

const ACTIONS: [&str; 5] = [
    "Structured medication review",
    "Falls clinic referral",
    "Review RESPECT form with patient and family",
    "Offer carer's assessment",
    "Anticipatory care plan",
];

/// Run the scheduling stage and write its files into `out/schedule`.
pub fn run(
    ilr: &RecordBatch,
    today: NaiveDate,
    out: &Path,
) -> Result<ScheduleSummary, Box<dyn Error>> {
    let dir = out.join("schedule");
    fs::create_dir_all(dir.join("agendas"))?;
    fs::create_dir_all(dir.join("minutes"))?;
    let mut files = Vec::new();
    let mut write = |name: &str, text: &str| -> Result<(), Box<dyn Error>> {
        fs::write(dir.join(name), text)?;
        files.push(format!("schedule/{name}"));
        Ok(())
    };

    // 1. Plan the month from the Monday on or after today.
    let start = today + Days::new(u64::from((7 - today.weekday().num_days_from_monday()) % 7));
    let inst: Instance = locality_month(&LocalityMonthConfig {
        start,
        ..LocalityMonthConfig::default()
    });
    let plan = solve(&inst, &SolveOptions::default())?;
    let eval = evaluate(&inst, &plan)?;
    write("instance.json", &inst.to_json())?;
    write("solution.json", &plan.to_json())?;
    write(
        "locality.ics",
        &to_icalendar(&inst, &plan, &IcalOptions::default())?,
    )?;

    // 2. Agendas for the first week's practice MDTs, from the ILR cohort.
    let cohort = cohort_by_practice(ilr)?;
    let week_end = start + Days::new(7);
    let practice_of = |id: &str| {
        inst.people
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.practice.clone())
    };
    let mut log = ActionLog::new();
    let (mut agendas, mut deferred, mut n_actions) = (0usize, 0usize, 0usize);
    let mut first_week: Vec<_> = plan
        .assignments
        .iter()
        .filter(|a| a.meeting.starts_with("mdt-") && a.start.date() < week_end)
        .collect();
    first_week.sort_by(|a, b| (a.start, &a.meeting).cmp(&(b.start, &b.meeting)));
    for a in first_week {
        let meeting = inst
            .meetings
            .iter()
            .find(|m| m.id == a.meeting)
            .ok_or("assignment for an unknown meeting")?;
        let mt = MeetingTime::placed(meeting, a)?;
        let attendees: Vec<String> = mt.required.iter().chain(&mt.preferred).cloned().collect();
        let practice = attendees
            .iter()
            .find_map(|p| practice_of(p))
            .unwrap_or_default();
        let involved: Vec<String> = attendees
            .iter()
            .filter(|p| practice_of(p).as_deref() == Some(practice.as_str()))
            .cloned()
            .collect();
        let rows = cohort.get(&practice).map(Vec::as_slice).unwrap_or_default();
        let agenda = Agenda::build(&mt, &items(rows, &involved), &AgendaOptions::default())?;
        write(&format!("agendas/{}.md", mt.id), &agenda.to_markdown())?;
        write(&format!("agendas/{}.html", mt.id), &agenda.to_html())?;
        // An attendee from outside the practice sees times and case references only.
        if agendas == 0 {
            if let Some(visitor) = attendees.iter().find(|p| !involved.contains(p)) {
                write(
                    &format!("agendas/{}.for-{visitor}.md", mt.id),
                    &agenda.to_markdown_for(visitor),
                )?;
            }
        }
        agendas += 1;
        deferred += agenda.deferred.len();

        // 3. Minutes: a decision and an action per patient discussed.
        let mut minutes = Minutes::new(&mt);
        minutes.attendees = mt.required.clone();
        minutes.apologies = mt.preferred.clone();
        let owners = if involved.is_empty() {
            &mt.required
        } else {
            &involved
        };
        for (k, item) in agenda.patients().enumerate() {
            minutes.decisions.push(Decision::new(
                Some(&item.patient_ref),
                "Discussed; plan agreed with the practice team",
            ));
            let due = mt.start.date() + Days::new(if k % 2 == 0 { 7 } else { 14 });
            let owner = &owners[k % owners.len()];
            minutes.actions.push(
                Action::new(
                    format!("{}-a{}", mt.id, k + 1),
                    ACTIONS[k % ACTIONS.len()],
                    owner,
                    due,
                    &mt,
                )
                .for_patient(&item.patient_ref),
            );
        }
        if agendas == 1 {
            write(&format!("minutes/{}.md", mt.id), &minutes.to_markdown())?;
        }
        n_actions += log.add_minutes(&minutes)?;
    }
    // Some actions are done by the time of the chase, two weeks after the first week.
    let as_of = week_end + Days::new(14);
    let ids: Vec<(String, NaiveDate)> = log
        .actions()
        .iter()
        .map(|a| (a.id.clone(), a.due))
        .collect();
    for (k, (id, due)) in ids.iter().enumerate() {
        if k % 3 == 0 {
            log.set_status(id, ActionStatus::Done(*due - Days::new(1)))?;
        }
    }
    write("action_log.md", &log.to_markdown())?;
    write("action_log.html", &log.to_html())?;
    write("action_log.json", &log.to_json())?;
    let overdue = log.overdue(as_of);
    let chase = log.chase_list(as_of);
    let mut chase_md = format!("# Chasing list as of {as_of}\n\n");
    for g in &chase {
        writeln!(chase_md, "## {}\n", g.owner)?;
        for o in &g.actions {
            writeln!(
                chase_md,
                "- {} ({}), due {}, {} days overdue",
                o.action.description, o.action.id, o.action.due, o.days_overdue
            )?;
        }
        chase_md.push('\n');
    }
    write("chase_list.md", &chase_md)?;

    // 4. An availability email for the first integrated locality review.
    if let Some(ilr_meeting) = inst.meetings.iter().find(|m| m.id.starts_with("ilr-")) {
        let diary = Diary::new(&inst)?;
        let slots = candidate_slots(&diary, ilr_meeting, &CandidateOptions::default())?;
        if let Some(first) = slots.iter().map(|s| s.start.date()).min() {
            let reply_by = first - Days::new(1);
            let email =
                availability_email(&inst, ilr_meeting, &slots, &EmailOptions::new(reply_by))?;
            write(
                "availability_email.txt",
                &format!("Subject: {}\n\n{}", email.subject, email.body),
            )?;
        }
    }

    Ok(ScheduleSummary {
        start,
        meetings: inst.meetings.len(),
        placed: plan.assignments.len(),
        unplaced: plan.unplaced.len(),
        feasible: eval.feasible,
        objective: format!("{:?}", eval.objective),
        agendas,
        deferred,
        actions: n_actions,
        overdue: overdue.len(),
        chase_owners: chase.len(),
        as_of,
        files,
    })
}
