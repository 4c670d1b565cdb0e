//! The entities the caseload holds: patients, staff and their rota and absences, referrals,
//! contacts, care plans and outcome measures, tasks. Each is built only by applying events
//! ([`Caseload::apply`](super::Caseload::apply)) and read through the caseload.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::serde_util;
use super::types::code_list;
use super::{
    AbsenceId, AbsenceKind, Band, CarePlanId, CareRole, CloseOutcome, ContactId, ContactMode,
    ContactOutcome, DutyRequest, FrailtyLevel, GoalId, GoalStatus, Note, PatientRef, Priority,
    ReferralId, Register, Skill, StaffId, StayId, TaskId, TaskKind, UcrCondition,
};
use crate::ids::{NhsNumber, SnomedId};

/// A spell of membership of a register, with its start and (once left) end date.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Register, RegisterSpell};
/// use chrono::NaiveDate;
///
/// let s = RegisterSpell { register: Register::Carer, from: NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(), to: None };
/// assert!(s.is_current_on(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterSpell {
    /// The register.
    pub register: Register,
    /// First day on the register.
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
    /// Day the patient came off it, if they have.
    #[serde(with = "serde_util::opt_date")]
    pub to: Option<NaiveDate>,
}

impl RegisterSpell {
    /// Whether the spell covers `day` (from inclusive, to exclusive).
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_current_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| day < t)
    }
}

/// A ReSPECT form record: present, date completed, review date, where held (DOMAIN 2.16; no
/// content of the form).
///
/// # Example
///
/// ```
/// use carecoord::caseload::Respect;
/// use chrono::NaiveDate;
///
/// let r = Respect {
///     completed_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
///     review_on: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
///     held_at: "home".into(),
/// };
/// assert!(r.review_due(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Respect {
    /// Date the form was completed.
    #[serde(with = "serde_util::date")]
    pub completed_on: NaiveDate,
    /// Date it is due for review, if set.
    #[serde(with = "serde_util::opt_date", default)]
    pub review_on: Option<NaiveDate>,
    /// Where the form is held (`home`, `care home`, `GP record`, ...).
    pub held_at: String,
}

impl Respect {
    /// Whether the review is due on `today` (review date on or before it).
    ///
    /// # Errors
    ///
    /// None.
    pub fn review_due(&self, today: NaiveDate) -> bool {
        self.review_on.is_some_and(|r| r <= today)
    }
}

/// A recorded frailty level and the date it was assessed.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{FrailtyLevel, FrailtyRecord};
/// use chrono::NaiveDate;
///
/// let f = FrailtyRecord { level: FrailtyLevel::Severe, on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap() };
/// assert_eq!(f.level.as_str(), "severe");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrailtyRecord {
    /// The level.
    pub level: FrailtyLevel,
    /// Date assessed.
    #[serde(with = "serde_util::date")]
    pub on: NaiveDate,
}

/// A member of a patient's care team.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{CareRole, CareTeamMember};
/// let m = CareTeamMember { member: "GP-SYN001-3".into(), role: CareRole::Gp };
/// assert_eq!(m.role.as_str(), "gp");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareTeamMember {
    /// Person id (a staff id or an outside professional's local id).
    pub member: String,
    /// Their role.
    pub role: CareRole,
}

/// An outcome measure, values only (DOMAIN 2.16: no item wording or answers).
///
/// JSON: `{"instrument": "pam", "score": 62, "level": 3}`, `{"instrument": "cfs", "level": 6,
/// "assessor_role": "nurse"}`, `{"instrument": "barthel", "total": 15, "max": 20}`.
///
/// # Example
///
/// ```
/// use carecoord::caseload::OutcomeMeasure;
///
/// let m: OutcomeMeasure = serde_json::from_str(r#"{"instrument":"barthel","total":15,"max":20}"#)?;
/// assert_eq!(m, OutcomeMeasure::Barthel { total: 15, max: 20 });
/// assert_eq!(m.problem(), None);
/// assert_eq!(OutcomeMeasure::Pam { score: 101, level: 4 }.problem(), Some(("score", "PAM score must be 0 to 100")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "instrument", rename_all = "snake_case", deny_unknown_fields)]
pub enum OutcomeMeasure {
    /// Patient Activation Measure: score 0-100 and level 1-4.
    Pam {
        /// Score, 0 to 100.
        score: u8,
        /// Level, 1 to 4.
        level: u8,
    },
    /// Clinical Frailty Scale: level 1-9 and the assessor's role.
    Cfs {
        /// Level, 1 to 9.
        level: u8,
        /// The assessor's role (`nurse`, `gp`, ...).
        assessor_role: String,
    },
    /// Barthel index: total and the scale's maximum (20 or 100).
    Barthel {
        /// Total score.
        total: u8,
        /// Scale maximum, 20 or 100.
        max: u8,
    },
}

impl OutcomeMeasure {
    /// The instrument's code: `pam`, `cfs` or `barthel`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::OutcomeMeasure;
    /// assert_eq!(OutcomeMeasure::Barthel { total: 90, max: 100 }.instrument(), "barthel");
    /// ```
    pub fn instrument(&self) -> &'static str {
        match self {
            Self::Pam { .. } => "pam",
            Self::Cfs { .. } => "cfs",
            Self::Barthel { .. } => "barthel",
        }
    }

    /// The main value: PAM score, CFS level or Barthel total.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::OutcomeMeasure;
    /// assert_eq!(OutcomeMeasure::Pam { score: 55, level: 2 }.value(), 55);
    /// ```
    pub fn value(&self) -> u32 {
        match self {
            Self::Pam { score, .. } => u32::from(*score),
            Self::Cfs { level, .. } => u32::from(*level),
            Self::Barthel { total, .. } => u32::from(*total),
        }
    }

    /// The field and rule broken, if the values are out of range.
    ///
    /// # Errors
    ///
    /// None; returns the problem instead.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::Pam { score, level } => {
                if *score > 100 {
                    Some(("score", "PAM score must be 0 to 100"))
                } else if !(1..=4).contains(level) {
                    Some(("level", "PAM level must be 1 to 4"))
                } else {
                    None
                }
            }
            Self::Cfs {
                level,
                assessor_role,
            } => {
                if !(1..=9).contains(level) {
                    Some(("level", "CFS level must be 1 to 9"))
                } else if assessor_role.trim().is_empty() || assessor_role.len() > 64 {
                    Some(("assessor_role", "must be 1 to 64 bytes"))
                } else {
                    None
                }
            }
            Self::Barthel { total, max } => {
                if *max != 20 && *max != 100 {
                    Some(("max", "Barthel maximum must be 20 or 100"))
                } else if total > max {
                    Some(("total", "Barthel total must not exceed the maximum"))
                } else {
                    None
                }
            }
        }
    }
}

/// An outcome measure recorded for a patient on a date.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{OutcomeMeasure, OutcomeRecord};
/// use chrono::NaiveDate;
///
/// let r = OutcomeRecord { measure: OutcomeMeasure::Pam { score: 48, level: 2 }, on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), recorded_by: "pcc-1".into() };
/// assert_eq!(r.measure.value(), 48);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeRecord {
    /// The measure and its values.
    pub measure: OutcomeMeasure,
    /// Date assessed.
    #[serde(with = "serde_util::date")]
    pub on: NaiveDate,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A patient in the caseload.
///
/// Holds an NHS number (optional), date of birth and a safeguarding marker, so `Debug`
/// shows only the local reference and practice.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Event, PatientRef};
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let p = PatientRef::new("P1")?;
/// let event = Event::PatientRegistered {
///     patient: p.clone(),
///     nhs_number: Some("9434765919".parse()?),
///     practice: "SYN001".into(),
///     birth_date: NaiveDate::from_ymd_opt(1950, 6, 15).unwrap(),
/// };
/// c.apply(&Envelope { seq: 1, who: "pcc-1".into(), at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(), event })?;
/// let patient = c.patient(&p).unwrap();
/// assert_eq!(patient.age_on(NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()), Some(75));
/// assert_eq!(format!("{patient:?}"), r#"Patient { id: PatientRef("P1"), practice: "SYN001", .. }"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Patient {
    /// Local reference.
    pub id: PatientRef,
    /// NHS number, if known.
    #[serde(with = "serde_util::opt_nhs")]
    pub nhs_number: Option<NhsNumber>,
    /// GP practice code.
    pub practice: String,
    /// Date of birth.
    #[serde(with = "serde_util::date")]
    pub birth_date: NaiveDate,
    /// Register membership history.
    pub registers: Vec<RegisterSpell>,
    /// Latest recorded frailty level.
    pub frailty: Option<FrailtyRecord>,
    /// Safeguarding concern raised on this date and not cleared (restricted: not shown in
    /// general lists).
    #[serde(with = "serde_util::opt_date")]
    pub safeguarding_since: Option<NaiveDate>,
    /// ReSPECT form record, if any.
    pub respect: Option<Respect>,
    /// Current care team.
    pub care_team: Vec<CareTeamMember>,
    /// Outcome measures, in the order recorded.
    pub outcomes: Vec<OutcomeRecord>,
    /// The open inpatient stay, if in hospital.
    pub current_stay: Option<StayId>,
    /// When the patient was last discharged.
    #[serde(with = "serde_util::opt_instant")]
    pub last_discharged_at: Option<DateTime<Utc>>,
    /// Number of contacts logged.
    pub contacts: u32,
    /// Latest contact instant.
    #[serde(with = "serde_util::opt_instant")]
    pub last_contact_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Patient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Patient")
            .field("id", &self.id)
            .field("practice", &self.practice)
            .finish_non_exhaustive()
    }
}

impl Patient {
    /// Age in whole years on `day` (`None` before birth).
    ///
    /// # Errors
    ///
    /// None.
    pub fn age_on(&self, day: NaiveDate) -> Option<u32> {
        day.years_since(self.birth_date)
    }

    /// Whether the patient is on `register` on `day`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn on_register(&self, register: Register, day: NaiveDate) -> bool {
        self.registers
            .iter()
            .any(|s| s.register == register && s.is_current_on(day))
    }

    pub(crate) fn open_spell(&self, register: Register) -> Option<usize> {
        self.registers
            .iter()
            .position(|s| s.register == register && s.to.is_none())
    }
}

/// A member of staff's weekly rota: the weekdays worked (each shift is the team's service
/// hours that day, 08:00-18:00 by default, bank holidays included) and how many pieces of
/// work they can be allocated per shift.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Rota;
/// use chrono::{NaiveDate, Weekday};
///
/// let r = Rota { days: vec![Weekday::Sat, Weekday::Sun, Weekday::Mon, Weekday::Tue, Weekday::Wed], capacity: 4, from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() };
/// assert!(r.works_on(NaiveDate::from_ymd_opt(2026, 1, 3).unwrap())); // a Saturday
/// assert!(!r.works_on(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())); // a Thursday
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rota {
    /// Weekdays worked.
    #[serde(with = "serde_util::weekdays")]
    pub days: Vec<Weekday>,
    /// Allocations per shift.
    pub capacity: u32,
    /// First day the rota applies.
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
}

impl Rota {
    /// Whether `day` is a rostered day (on or after `from`, on a rota weekday).
    ///
    /// # Errors
    ///
    /// None.
    pub fn works_on(&self, day: NaiveDate) -> bool {
        day >= self.from && self.days.contains(&day.weekday())
    }
}

/// A span of absence of a member of staff (dates inclusive).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{AbsenceId, AbsenceKind, AbsenceSpan};
/// use chrono::NaiveDate;
///
/// let s = AbsenceSpan { id: AbsenceId::new("A1")?, from: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(), to: NaiveDate::from_ymd_opt(2026, 2, 6).unwrap() };
/// assert!(s.covers(NaiveDate::from_ymd_opt(2026, 2, 6).unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsenceSpan {
    /// The absence.
    pub id: AbsenceId,
    /// First day away.
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
    /// Last day away.
    #[serde(with = "serde_util::date")]
    pub to: NaiveDate,
}

impl AbsenceSpan {
    /// Whether `day` is within the span.
    ///
    /// # Errors
    ///
    /// None.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A member of staff.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Band, Caseload, Event, Skill, StaffId};
/// use carecoord::journal::Envelope;
/// use chrono::{TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let id = StaffId::new("ST1")?;
/// let event = Event::StaffJoined { staff: id.clone(), band: Band::B6, skills: vec![Skill::Nursing, Skill::Prescribing] };
/// c.apply(&Envelope { seq: 1, who: "lead".into(), at: Utc.with_ymd_and_hms(2026, 1, 2, 9, 0, 0).unwrap(), event })?;
/// assert!(c.staff_member(&id).unwrap().has_skill(Skill::Prescribing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staff {
    /// Staff id.
    pub id: StaffId,
    /// Pay band.
    pub band: Band,
    /// Skills, sorted.
    pub skills: Vec<Skill>,
    /// Last working day, once they have left.
    #[serde(with = "serde_util::opt_date")]
    pub left_on: Option<NaiveDate>,
    /// Weekly rota, if rostered.
    pub rota: Option<Rota>,
    /// Current (not cancelled) absences.
    pub absences: Vec<AbsenceSpan>,
    /// Absences this person covers, by date.
    #[serde(serialize_with = "serde_util::date_map::serialize")]
    pub covering: BTreeMap<NaiveDate, Vec<AbsenceId>>,
    /// Number of allocations made to them, by local date of allocation.
    #[serde(serialize_with = "serde_util::date_map::serialize")]
    pub allocations: BTreeMap<NaiveDate, u32>,
}

impl Staff {
    /// Whether they have `skill`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn has_skill(&self, skill: Skill) -> bool {
        self.skills.binary_search(&skill).is_ok()
    }

    /// Whether they are absent on `day`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_absent_on(&self, day: NaiveDate) -> bool {
        self.absences.iter().any(|a| a.covers(day))
    }

    /// Whether they have left by `day` (their last day is before it).
    ///
    /// # Errors
    ///
    /// None.
    pub fn has_left_by(&self, day: NaiveDate) -> bool {
        self.left_on.is_some_and(|l| l < day)
    }

    /// Whether they are rostered on `day` (ignoring absence).
    ///
    /// # Errors
    ///
    /// None.
    pub fn rostered_on(&self, day: NaiveDate) -> bool {
        !self.has_left_by(day) && self.rota.as_ref().is_some_and(|r| r.works_on(day))
    }

    /// Allocations made to them on `day`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn allocated_on(&self, day: NaiveDate) -> u32 {
        self.allocations.get(&day).copied().unwrap_or(0)
    }
}

/// An absence of a member of staff, with cover arranged per day.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Absence, AbsenceId, AbsenceKind, StaffId};
/// use chrono::NaiveDate;
/// use std::collections::BTreeMap;
///
/// let a = Absence {
///     id: AbsenceId::new("A1")?, staff: StaffId::new("ST1")?, kind: AbsenceKind::AnnualLeave,
///     from: NaiveDate::from_ymd_opt(2026, 8, 3).unwrap(), to: NaiveDate::from_ymd_opt(2026, 8, 14).unwrap(),
///     cancelled: false, cover: BTreeMap::new(),
/// };
/// assert_eq!((a.to - a.from).num_days() + 1, 12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Absence {
    /// Absence id.
    pub id: AbsenceId,
    /// Who is away.
    pub staff: StaffId,
    /// Why.
    pub kind: AbsenceKind,
    /// First day away.
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
    /// Last day away.
    #[serde(with = "serde_util::date")]
    pub to: NaiveDate,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Who covers, by date.
    #[serde(serialize_with = "serde_util::date_map::serialize")]
    pub cover: BTreeMap<NaiveDate, StaffId>,
}

code_list!(
    /// Where a referral stands in its life.
    ReferralStatus, example = (InProgress, "in_progress") {
        /// Received, not yet triaged.
        Received = "received",
        /// Triaged (priority set), not yet accepted.
        Triaged = "triaged",
        /// Accepted by the service, not yet allocated.
        Accepted = "accepted",
        /// Allocated to a member of staff, no contact yet.
        Allocated = "allocated",
        /// First contact made.
        InProgress = "in_progress",
        /// Closed (completed, signposted, referred onward, declined, ...).
        Closed = "closed",
    }
);

code_list!(
    /// A task's status.
    TaskStatus, example = (Open, "open") {
        /// To do.
        Open = "open",
        /// Done.
        Done = "done",
        /// No longer needed.
        Cancelled = "cancelled",
    }
);

/// The state of a referral's response clock at an instant.
///
/// # Example
///
/// ```
/// use carecoord::caseload::ClockStatus;
/// assert_eq!(ClockStatus::Breached.as_str(), "breached");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// No deadline (yet) at that instant: not triaged, not accepted with clocks starting at
    /// acceptance, or a priority without a deadline.
    NotStarted,
    /// Running: no first contact and not closed, deadline not passed.
    Running,
    /// First contact made by the deadline.
    Met,
    /// Closed without contact by the deadline (signposted, referred onward, ...).
    Stopped,
    /// The deadline passed without a first contact or closure.
    Breached,
}

impl ClockStatus {
    /// The snake_case code.
    ///
    /// # Errors
    ///
    /// None.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Running => "running",
            Self::Met => "met",
            Self::Stopped => "stopped",
            Self::Breached => "breached",
        }
    }
}

/// A referral, or a duty-desk request (a short-lived referral with `duty` set).
///
/// Its response deadline is computed from the settings' calendars when the clock starts
/// (at triage, or acceptance with [`ClockStart::Accepted`](super::ClockStart::Accepted));
/// for a duty request at receipt.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, ClockStatus, Event, PatientRef, Priority, ReferralId, UcrCondition};
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let p = PatientRef::new("P1")?;
/// let r = ReferralId::new("R1")?;
/// // Received 17:00 GMT Saturday 28 March 2026, the evening before BST starts.
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 28, 17, 0, 0).unwrap();
/// let events = [
///     Event::PatientRegistered { patient: p.clone(), nhs_number: None, practice: "SYN001".into(), birth_date: NaiveDate::from_ymd_opt(1938, 1, 9).unwrap() },
///     Event::ReferralReceived { referral: r.clone(), patient: p, received_at: t0, referrer: "NHS 111".into(), duty: None, required_skill: None },
///     Event::ReferralTriaged { referral: r.clone(), priority: Priority::Ucr2Hour, ucr_condition: Some(UcrCondition::Fall) },
/// ];
/// for (i, e) in events.into_iter().enumerate() {
///     c.apply(&Envelope { seq: i as u64 + 1, who: "duty".into(), at: t0, event: e })?;
/// }
/// let referral = c.referral(&r).unwrap();
/// // One hour on Saturday, one from 08:00 BST (07:00 UTC) on Sunday: due 08:00 UTC.
/// assert_eq!(referral.due_at, Some(Utc.with_ymd_and_hms(2026, 3, 29, 8, 0, 0).unwrap()));
/// assert_eq!(referral.clock_at(Utc.with_ymd_and_hms(2026, 3, 29, 8, 1, 0).unwrap()), ClockStatus::Breached);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    /// Referral id.
    pub id: ReferralId,
    /// The patient.
    pub patient: PatientRef,
    /// For a duty-desk request, what it asks for; `None` for a community referral.
    pub duty: Option<DutyRequest>,
    /// Who referred (organisation or role: `GP SYN003`, `NHS 111`, `ED`).
    pub referrer: String,
    /// A skill the work needs, if any.
    pub required_skill: Option<Skill>,
    /// When it was received.
    #[serde(with = "serde_util::instant")]
    pub received_at: DateTime<Utc>,
    /// Priority set at triage.
    pub priority: Option<Priority>,
    /// The UCR condition (required for [`Priority::Ucr2Hour`]).
    pub ucr_condition: Option<UcrCondition>,
    /// When triaged (last triage).
    #[serde(with = "serde_util::opt_instant")]
    pub triaged_at: Option<DateTime<Utc>>,
    /// When accepted.
    #[serde(with = "serde_util::opt_instant")]
    pub accepted_at: Option<DateTime<Utc>>,
    /// Allocated to.
    pub allocated_to: Option<StaffId>,
    /// When last allocated.
    #[serde(with = "serde_util::opt_instant")]
    pub allocated_at: Option<DateTime<Utc>>,
    /// First contact made (a contact with outcome `made` linked to the referral).
    #[serde(with = "serde_util::opt_instant")]
    pub first_contact_at: Option<DateTime<Utc>>,
    /// When the response clock started.
    #[serde(with = "serde_util::opt_instant")]
    pub clock_start: Option<DateTime<Utc>>,
    /// The response deadline.
    #[serde(with = "serde_util::opt_instant")]
    pub due_at: Option<DateTime<Utc>>,
    /// When the deadline was set (it is not known before).
    #[serde(with = "serde_util::opt_instant")]
    pub due_set_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub status: ReferralStatus,
    /// When closed.
    #[serde(with = "serde_util::opt_instant")]
    pub closed_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub outcome: Option<CloseOutcome>,
    /// The service signposted to or organisation referred on to.
    pub onward_to: Option<String>,
}

impl Referral {
    /// Whether it is still open (not closed).
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_open(&self) -> bool {
        self.status != ReferralStatus::Closed
    }

    /// The response clock's state at `at`, using only what was known by then: a deadline
    /// set after `at`, a first contact or closure after `at` count as not (yet) happened.
    /// A contact exactly at the deadline meets it.
    ///
    /// # Errors
    ///
    /// None.
    pub fn clock_at(&self, at: DateTime<Utc>) -> ClockStatus {
        let Some(due) = self
            .due_at
            .filter(|_| self.due_set_at.is_some_and(|s| s <= at))
        else {
            return ClockStatus::NotStarted;
        };
        if let Some(c) = self.first_contact_at.filter(|c| *c <= at) {
            return if c <= due {
                ClockStatus::Met
            } else {
                ClockStatus::Breached
            };
        }
        if let Some(x) = self.closed_at.filter(|x| *x <= at) {
            return if x <= due {
                ClockStatus::Stopped
            } else {
                ClockStatus::Breached
            };
        }
        if at > due {
            ClockStatus::Breached
        } else {
            ClockStatus::Running
        }
    }

    /// Signed time from `at` to the deadline (negative once passed), if there is one.
    ///
    /// # Errors
    ///
    /// None.
    pub fn time_to_due(&self, at: DateTime<Utc>) -> Option<TimeDelta> {
        self.due_at.map(|d| d - at)
    }
}

/// A logged contact: who, when, how, outcome, optionally coded with SNOMED CT.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Contact, ContactId, ContactMode, ContactOutcome, PatientRef, StaffId};
/// use chrono::{TimeZone, Utc};
///
/// let c = Contact {
///     id: ContactId::new("C1")?, patient: PatientRef::new("P1")?, staff: StaffId::new("ST1")?,
///     at: Utc.with_ymd_and_hms(2026, 2, 2, 10, 0, 0).unwrap(), mode: ContactMode::HomeVisit,
///     outcome: ContactOutcome::Made, referral: None, snomed: Some("22298006".parse()?), minutes: Some(45),
/// };
/// assert_eq!(c.snomed.unwrap().value(), 22298006);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Contact id.
    pub id: ContactId,
    /// The patient.
    pub patient: PatientRef,
    /// Who made the contact.
    pub staff: StaffId,
    /// When it took place.
    #[serde(with = "serde_util::instant")]
    pub at: DateTime<Utc>,
    /// How.
    pub mode: ContactMode,
    /// What came of it.
    pub outcome: ContactOutcome,
    /// The referral it was for, if any.
    pub referral: Option<ReferralId>,
    /// SNOMED CT concept coding it, if given.
    #[serde(with = "serde_util::opt_snomed")]
    pub snomed: Option<SnomedId>,
    /// Duration in minutes, if recorded.
    pub minutes: Option<u32>,
}

/// A goal of a care plan.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Goal, GoalId, GoalStatus, Note};
///
/// let g = Goal { id: GoalId::new("G1")?, text: Note::new("Walk to the post office"), status: GoalStatus::Active };
/// assert!(!format!("{g:?}").contains("post office"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Goal id, unique within the plan.
    pub id: GoalId,
    /// What the person wants to achieve, in their words.
    pub text: Note,
    /// Progress.
    #[serde(default = "active")]
    pub status: GoalStatus,
}

fn active() -> GoalStatus {
    GoalStatus::Active
}

/// A personalised care and support plan.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{CarePlan, CarePlanId, PatientRef};
/// use chrono::NaiveDate;
///
/// let plan = CarePlan {
///     id: CarePlanId::new("PLAN1")?, patient: PatientRef::new("P1")?,
///     agreed_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
///     review_on: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
///     goals: vec![], shared_with_ooh: false, last_reviewed_on: None, closed_on: None,
/// };
/// assert!(plan.review_due(NaiveDate::from_ymd_opt(2026, 4, 10).unwrap()));
/// assert!(!plan.review_due(NaiveDate::from_ymd_opt(2026, 4, 9).unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarePlan {
    /// Plan id.
    pub id: CarePlanId,
    /// The patient.
    pub patient: PatientRef,
    /// Date agreed with the person.
    #[serde(with = "serde_util::date")]
    pub agreed_on: NaiveDate,
    /// Next review date.
    #[serde(with = "serde_util::date")]
    pub review_on: NaiveDate,
    /// Goals.
    pub goals: Vec<Goal>,
    /// Shared with the out-of-hours provider.
    pub shared_with_ooh: bool,
    /// Date last reviewed.
    #[serde(with = "serde_util::opt_date")]
    pub last_reviewed_on: Option<NaiveDate>,
    /// Date closed, if closed.
    #[serde(with = "serde_util::opt_date")]
    pub closed_on: Option<NaiveDate>,
}

impl CarePlan {
    /// Whether a review is due on `today` (DOMAIN 1, post 002: due when the review date is
    /// on or before today, Europe/London) and the plan is not closed.
    ///
    /// # Errors
    ///
    /// None.
    pub fn review_due(&self, today: NaiveDate) -> bool {
        self.closed_on.is_none() && self.review_on <= today
    }
}

/// A task or action with an owner, a due date and a status, with its chasing history.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Note, StaffId, Task, TaskId, TaskKind, TaskStatus};
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let t = Task {
///     id: TaskId::new("T1")?, owner: StaffId::new("ST2")?, due: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
///     kind: TaskKind::ChaseDocument, text: Note::new("Discharge letter from ward 7"),
///     patient: None, referral: None, stay: None, care_plan: None,
///     created_at: Utc.with_ymd_and_hms(2026, 4, 28, 9, 0, 0).unwrap(), status: TaskStatus::Open,
///     closed_on: None, chases: 0, last_chased_at: None,
/// };
/// assert_eq!(t.days_overdue(NaiveDate::from_ymd_opt(2026, 5, 4).unwrap()), Some(3));
/// assert_eq!(t.days_overdue(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// Task id.
    pub id: TaskId,
    /// Who owns it.
    pub owner: StaffId,
    /// When it is due.
    #[serde(with = "serde_util::date")]
    pub due: NaiveDate,
    /// What kind of task.
    pub kind: TaskKind,
    /// What is to be done (free text, redacted from `Debug`).
    pub text: Note,
    /// The patient it concerns, if any.
    pub patient: Option<PatientRef>,
    /// The referral it is about, if any.
    pub referral: Option<ReferralId>,
    /// The stay it is about, if any.
    pub stay: Option<StayId>,
    /// The care plan it is about, if any.
    pub care_plan: Option<CarePlanId>,
    /// When it was created.
    #[serde(with = "serde_util::instant")]
    pub created_at: DateTime<Utc>,
    /// Status.
    pub status: TaskStatus,
    /// Date done or cancelled.
    #[serde(with = "serde_util::opt_date")]
    pub closed_on: Option<NaiveDate>,
    /// How many times it was chased.
    pub chases: u32,
    /// When last chased.
    #[serde(with = "serde_util::opt_instant")]
    pub last_chased_at: Option<DateTime<Utc>>,
}

impl Task {
    /// Days past due on `today` if open and overdue (due before today).
    ///
    /// # Errors
    ///
    /// None.
    pub fn days_overdue(&self, today: NaiveDate) -> Option<u32> {
        (self.status == TaskStatus::Open && self.due < today)
            .then(|| u32::try_from((today - self.due).num_days()).unwrap_or(u32::MAX))
    }
}
