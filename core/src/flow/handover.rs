//! The handover summary: a patient's situation as one structured record, for handing over
//! between care settings (DOMAIN 1, post 002: "proper handover between settings").

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::Handover;
use crate::calendar::local_date;
use crate::caseload::serde_util;
use crate::caseload::{
    CarePlanId, CareTeamMember, Caseload, FrailtyRecord, Note, OutcomeRecord, PatientRef, Priority,
    ReferralId, ReferralStatus, Register, Respect, StaffId, StayId, TaskId, TaskKind, TaskStatus,
    WardId,
};
use crate::ids::NhsNumber;

/// What to include in a [`HandoverSummary`] beyond the defaults (data minimisation, DOMAIN
/// 4: identifiable and restricted fields need an explicit flag).
///
/// # Example
///
/// ```
/// use carecoord::flow::SummaryOptions;
/// let o = SummaryOptions::default();
/// assert!(!o.include_nhs_number && !o.include_restricted);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryOptions {
    /// Include the NHS number.
    pub include_nhs_number: bool,
    /// Include restricted markers (the safeguarding concern).
    pub include_restricted: bool,
}

/// An open referral in a summary.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{ReferralId, ReferralStatus};
/// use carecoord::flow::ReferralBrief;
/// let r = ReferralBrief { referral: ReferralId::new("R1")?, priority: None, status: ReferralStatus::Received, due_at: None, allocated_to: None };
/// assert_eq!(r.status.as_str(), "received");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralBrief {
    /// The referral.
    pub referral: ReferralId,
    /// Priority.
    pub priority: Option<Priority>,
    /// Status.
    pub status: ReferralStatus,
    /// Deadline.
    #[serde(with = "serde_util::opt_instant")]
    pub due_at: Option<DateTime<Utc>>,
    /// Allocated to.
    pub allocated_to: Option<StaffId>,
}

/// A care plan in a summary.
///
/// # Example
///
/// ```
/// use carecoord::caseload::CarePlanId;
/// use carecoord::flow::PlanBrief;
/// use chrono::NaiveDate;
/// let p = PlanBrief { plan: CarePlanId::new("PLAN1")?, agreed_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), review_on: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), review_due: false, active_goals: 2, goals: 3, shared_with_ooh: true };
/// assert_eq!(p.goals, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanBrief {
    /// The plan.
    pub plan: CarePlanId,
    /// Date agreed.
    #[serde(with = "serde_util::date")]
    pub agreed_on: NaiveDate,
    /// Next review.
    #[serde(with = "serde_util::date")]
    pub review_on: NaiveDate,
    /// Whether the review is due.
    pub review_due: bool,
    /// Active goals.
    pub active_goals: u32,
    /// All goals.
    pub goals: u32,
    /// Shared with the out-of-hours provider.
    pub shared_with_ooh: bool,
}

/// The current stay in a summary.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{StayId, WardId};
/// use carecoord::flow::StayBrief;
/// use chrono::{TimeZone, Utc};
/// let s = StayBrief { stay: StayId::new("S1")?, ward: WardId::new("W1")?, admitted_at: Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap(), los_midnights: 3, discharge_ready_date: None, delay_days: None, delay_category: None };
/// assert_eq!(s.los_midnights, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StayBrief {
    /// The stay.
    pub stay: StayId,
    /// Current ward.
    pub ward: WardId,
    /// Admitted.
    #[serde(with = "serde_util::instant")]
    pub admitted_at: DateTime<Utc>,
    /// Length of stay in midnights.
    pub los_midnights: u32,
    /// Discharge ready date.
    #[serde(with = "serde_util::opt_date")]
    pub discharge_ready_date: Option<NaiveDate>,
    /// Days delayed.
    pub delay_days: Option<u32>,
    /// Current delay-reason category.
    pub delay_category: Option<String>,
}

/// An open task in a summary (its text is redacted from `Debug`).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Note, StaffId, TaskId, TaskKind};
/// use carecoord::flow::TaskBrief;
/// use chrono::NaiveDate;
/// let t = TaskBrief { task: TaskId::new("T1")?, owner: StaffId::new("ST1")?, kind: TaskKind::FollowUp, due: NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(), text: Note::new("Phone daughter") };
/// assert!(!format!("{t:?}").contains("daughter"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskBrief {
    /// The task.
    pub task: TaskId,
    /// Owner.
    pub owner: StaffId,
    /// Kind.
    pub kind: TaskKind,
    /// Due date.
    #[serde(with = "serde_util::date")]
    pub due: NaiveDate,
    /// What is to be done.
    pub text: Note,
}

/// A patient's situation at an instant, as one structured record for a handover: registers
/// and flags, ReSPECT, care team, open referrals, care plans, latest outcome measures, the
/// current stay, open tasks, contacts and incomplete handovers. No date of birth; the NHS
/// number and restricted markers only when asked for ([`SummaryOptions`]).
///
/// `Debug` masks the NHS number and redacts task texts.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Event, PatientRef, Register};
/// use carecoord::flow::SummaryOptions;
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let at = Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap();
/// let p = PatientRef::new("P1")?;
/// let events = [
///     Event::PatientRegistered { patient: p.clone(), nhs_number: Some("9434765919".parse()?), practice: "SYN002".into(), birth_date: NaiveDate::from_ymd_opt(1941, 4, 2).unwrap() },
///     Event::RegisterJoined { patient: p.clone(), register: Register::Palliative, on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() },
/// ];
/// for (i, e) in events.into_iter().enumerate() {
///     c.apply(&Envelope { seq: i as u64 + 1, who: "pcc".into(), at, event: e })?;
/// }
/// let s = c.handover_summary("P1", at, SummaryOptions::default()).unwrap();
/// assert_eq!((s.age, s.registers.clone()), (84, vec![Register::Palliative]));
/// assert_eq!(s.nhs_number, None);
/// let s = c.handover_summary("P1", at, SummaryOptions { include_nhs_number: true, ..Default::default() }).unwrap();
/// assert_eq!(format!("{:?}", s.nhs_number), "Some(NhsNumber(***-***-5919))");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoverSummary {
    /// The patient.
    pub patient: PatientRef,
    /// NHS number, if asked for and known.
    #[serde(with = "serde_util::opt_nhs")]
    pub nhs_number: Option<NhsNumber>,
    /// Practice.
    pub practice: String,
    /// Age in whole years at the instant.
    pub age: u32,
    /// The instant the summary describes.
    #[serde(with = "serde_util::instant")]
    pub as_at: DateTime<Utc>,
    /// Registers the patient is on.
    pub registers: Vec<Register>,
    /// Latest frailty level.
    pub frailty: Option<FrailtyRecord>,
    /// ReSPECT form record.
    pub respect: Option<Respect>,
    /// Whether a safeguarding concern is open (only when restricted fields are asked for).
    pub safeguarding_concern: Option<bool>,
    /// Care team.
    pub care_team: Vec<CareTeamMember>,
    /// Open referrals.
    pub open_referrals: Vec<ReferralBrief>,
    /// Open care plans.
    pub care_plans: Vec<PlanBrief>,
    /// Latest outcome measure per instrument.
    pub latest_outcomes: Vec<OutcomeRecord>,
    /// Current stay, if in hospital.
    pub current_stay: Option<StayBrief>,
    /// Open tasks about the patient.
    pub open_tasks: Vec<TaskBrief>,
    /// Contacts logged.
    pub contacts: u32,
    /// Latest contact.
    #[serde(with = "serde_util::opt_instant")]
    pub last_contact_at: Option<DateTime<Utc>>,
    /// Handovers with items still to do.
    pub incomplete_handovers: Vec<Handover>,
}

impl Caseload {
    /// The handover summary of `patient` at `at` (current state; open items as they are
    /// now, length of stay and delay to `at`).
    ///
    /// # Errors
    ///
    /// None; `None` for an unknown patient.
    ///
    /// # Example
    ///
    /// See [`HandoverSummary`].
    pub fn handover_summary(
        &self,
        patient: &str,
        at: DateTime<Utc>,
        options: SummaryOptions,
    ) -> Option<HandoverSummary> {
        let p = self.patients.get(patient)?;
        let today = local_date(at);
        let mut registers: Vec<Register> = p
            .registers
            .iter()
            .filter(|s| s.is_current_on(today))
            .map(|s| s.register)
            .collect();
        registers.sort_unstable();
        registers.dedup();
        let open_referrals = self
            .referrals
            .values()
            .filter(|r| r.is_open() && r.patient.as_str() == patient)
            .map(|r| ReferralBrief {
                referral: r.id.clone(),
                priority: r.priority,
                status: r.status,
                due_at: r.due_at,
                allocated_to: r.allocated_to.clone(),
            })
            .collect();
        let care_plans = self
            .care_plans
            .values()
            .filter(|c| c.closed_on.is_none() && c.patient.as_str() == patient)
            .map(|c| PlanBrief {
                plan: c.id.clone(),
                agreed_on: c.agreed_on,
                review_on: c.review_on,
                review_due: c.review_due(today),
                active_goals: c
                    .goals
                    .iter()
                    .filter(|g| g.status == crate::caseload::GoalStatus::Active)
                    .count() as u32,
                goals: c.goals.len() as u32,
                shared_with_ooh: c.shared_with_ooh,
            })
            .collect();
        let mut latest: BTreeMap<&str, &OutcomeRecord> = BTreeMap::new();
        for o in &p.outcomes {
            let e = latest.entry(o.measure.instrument()).or_insert(o);
            if o.on >= e.on {
                *e = o;
            }
        }
        let current_stay = p
            .current_stay
            .as_ref()
            .and_then(|id| self.stays.get(id.as_str()))
            .map(|s| StayBrief {
                stay: s.id.clone(),
                ward: s
                    .ward_at(at)
                    .cloned()
                    .unwrap_or_else(|| WardId::unchecked("")),
                admitted_at: s.admitted_at,
                los_midnights: s.los_midnights(at),
                discharge_ready_date: s.drd_at(at),
                delay_days: s.delay_days(at),
                delay_category: s.delay_reason_at(at).map(|d| d.category.clone()),
            });
        let mut open_tasks: Vec<TaskBrief> = self
            .tasks
            .values()
            .filter(|t| {
                t.status == TaskStatus::Open
                    && t.patient.as_ref().is_some_and(|x| x.as_str() == patient)
            })
            .map(|t| TaskBrief {
                task: t.id.clone(),
                owner: t.owner.clone(),
                kind: t.kind,
                due: t.due,
                text: t.text.clone(),
            })
            .collect();
        open_tasks.sort_by(|a, b| (a.due, &a.task).cmp(&(b.due, &b.task)));
        Some(HandoverSummary {
            patient: p.id.clone(),
            nhs_number: p.nhs_number.filter(|_| options.include_nhs_number),
            practice: p.practice.clone(),
            age: p.age_on(today).unwrap_or(0),
            as_at: at,
            registers,
            frailty: p.frailty.clone(),
            respect: p.respect.clone(),
            safeguarding_concern: options
                .include_restricted
                .then_some(p.safeguarding_since.is_some()),
            care_team: p.care_team.clone(),
            open_referrals,
            care_plans,
            latest_outcomes: latest.into_values().cloned().collect(),
            current_stay,
            open_tasks,
            contacts: p.contacts,
            last_contact_at: p.last_contact_at,
            incomplete_handovers: self
                .handovers
                .values()
                .filter(|h| !h.is_complete() && h.patient.as_str() == patient)
                .cloned()
                .collect(),
        })
    }
}
