//! Queries over the caseload, returning plain rows (structs of scalars, ids and dates) that a
//! binding can turn into Arrow columns or JSON. Rows never carry an NHS number or a date of
//! birth; they name patients by their local reference.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;

use super::serde_util;
use super::{
    AbsenceId, AbsenceKind, Band, CarePlanId, Caseload, ClockStatus, DutyRequest, FrailtyLevel,
    NoAllocation, PatientRef, Priority, ReferralId, ReferralStatus, Register, Skill, Staff,
    StaffId, TaskId, TaskKind, UcrCondition,
};
use crate::calendar::local_date;
use crate::schedule::{ActionLog, ActionStatus};

/// A referral whose response clock is breached or about to be, from
/// [`Caseload::breaching_within`] and [`Caseload::breaches_on`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::{BreachRow, Caseload};
/// use chrono::{TimeDelta, TimeZone, Utc};
///
/// let rows: Vec<BreachRow> = Caseload::new().breaching_within(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(), TimeDelta::hours(1));
/// assert!(rows.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachRow {
    /// The referral.
    pub referral: ReferralId,
    /// The patient.
    pub patient: PatientRef,
    /// The patient's practice.
    pub practice: String,
    /// Priority, if triaged.
    pub priority: Option<Priority>,
    /// UCR condition, if any.
    pub ucr_condition: Option<UcrCondition>,
    /// For a duty request, its kind.
    pub duty: Option<DutyRequest>,
    /// The clock at the query instant: `running` (about to breach) or `breached`.
    pub clock: ClockStatus,
    /// When received.
    #[serde(with = "serde_util::instant")]
    pub received_at: DateTime<Utc>,
    /// The deadline.
    #[serde(with = "serde_util::instant")]
    pub due_at: DateTime<Utc>,
    /// Minutes from the query instant to the deadline; negative once passed.
    pub minutes_to_due: i64,
    /// Who it is allocated to, if anyone.
    pub allocated_to: Option<StaffId>,
}

/// An open referral allocated to a member of staff, from [`Caseload::caseload_of`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// assert!(Caseload::new().caseload_of("ST1").is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseloadRow {
    /// The referral.
    pub referral: ReferralId,
    /// The patient.
    pub patient: PatientRef,
    /// The patient's practice.
    pub practice: String,
    /// Priority.
    pub priority: Option<Priority>,
    /// For a duty request, its kind.
    pub duty: Option<DutyRequest>,
    /// Status.
    pub status: ReferralStatus,
    /// When received.
    #[serde(with = "serde_util::instant")]
    pub received_at: DateTime<Utc>,
    /// When allocated.
    #[serde(with = "serde_util::opt_instant")]
    pub allocated_at: Option<DateTime<Utc>>,
    /// The deadline.
    #[serde(with = "serde_util::opt_instant")]
    pub due_at: Option<DateTime<Utc>>,
    /// First contact.
    #[serde(with = "serde_util::opt_instant")]
    pub first_contact_at: Option<DateTime<Utc>>,
}

/// One member of staff's day, from [`Caseload::workload`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::NaiveDate;
/// assert!(Caseload::new().workload(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadRow {
    /// The member of staff.
    pub staff: StaffId,
    /// Band.
    pub band: Band,
    /// Rostered that day.
    pub rostered: bool,
    /// Absent that day.
    pub absent: bool,
    /// Number of absent colleagues they cover that day.
    pub covering: u32,
    /// Allocations they can take that day: their own shift (if rostered and present) plus
    /// the shifts they cover.
    pub capacity: u32,
    /// Allocations made to them that day.
    pub allocated: u32,
    /// Capacity left (never negative).
    pub remaining: u32,
    /// Open referrals allocated to them.
    pub open_referrals: u32,
    /// Open tasks they own.
    pub open_tasks: u32,
    /// Of which overdue that day.
    pub overdue_tasks: u32,
}

/// The member of staff suggested for a piece of work ([`Caseload::suggest_allocation`]).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{AllocationSuggestion, StaffId};
/// let s = AllocationSuggestion { staff: StaffId::new("ST1")?, remaining: 3, open_referrals: 7 };
/// assert_eq!(s.remaining, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationSuggestion {
    /// Who.
    pub staff: StaffId,
    /// Their capacity left that day before this allocation.
    pub remaining: u32,
    /// Their open referrals before this allocation.
    pub open_referrals: u32,
}

/// A rostered shift with nobody covering an absence, from [`Caseload::uncovered_shifts`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
/// assert!(Caseload::new().uncovered_shifts(d, d).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UncoveredShift {
    /// The day.
    #[serde(with = "serde_util::date")]
    pub date: NaiveDate,
    /// Who is absent.
    pub staff: StaffId,
    /// The absence.
    pub absence: AbsenceId,
    /// Why they are away.
    pub kind: AbsenceKind,
    /// The shift's capacity that is lost.
    pub capacity: u32,
}

/// A care plan whose review is due, from [`Caseload::reviews_due`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::NaiveDate;
/// assert!(Caseload::new().reviews_due(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRow {
    /// The plan.
    pub plan: CarePlanId,
    /// The patient.
    pub patient: PatientRef,
    /// The patient's practice.
    pub practice: String,
    /// The review date.
    #[serde(with = "serde_util::date")]
    pub review_on: NaiveDate,
    /// Days past the review date (0: due today).
    pub days_overdue: u32,
    /// Date last reviewed.
    #[serde(with = "serde_util::opt_date")]
    pub last_reviewed_on: Option<NaiveDate>,
    /// Goals still active.
    pub active_goals: u32,
}

/// Where an item of the chasing list comes from.
///
/// # Example
///
/// ```
/// use carecoord::caseload::ChaseSource;
/// assert_eq!(ChaseSource::Mdt.as_str(), "mdt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChaseSource {
    /// A caseload task.
    Task,
    /// An MDT action from a [`schedule::ActionLog`](crate::schedule::ActionLog).
    Mdt,
}

impl ChaseSource {
    /// `task` or `mdt`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::Mdt => "mdt",
        }
    }
}

/// An overdue task or MDT action to chase, from [`Caseload::chase_list`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::NaiveDate;
/// assert!(Caseload::new().chase_list(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), &[]).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChaseRow {
    /// Owner (staff id for tasks; person id for MDT actions).
    pub owner: String,
    /// Task or MDT action.
    pub source: ChaseSource,
    /// Task id or action id.
    pub id: String,
    /// The patient's local reference (or the action's case reference), if any.
    pub patient: Option<String>,
    /// Task kind (`meeting_action` for MDT actions).
    pub kind: TaskKind,
    /// Due date.
    #[serde(with = "serde_util::date")]
    pub due: NaiveDate,
    /// Days past due.
    pub days_overdue: u32,
    /// Times chased (tasks only; 0 for MDT actions).
    pub chases: u32,
    /// When last chased.
    #[serde(with = "serde_util::opt_instant")]
    pub last_chased_at: Option<DateTime<Utc>>,
}

/// A patient who may need a ReSPECT conversation, from [`Caseload::respect_worklist`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::NaiveDate;
/// assert!(Caseload::new().respect_worklist(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RespectRow {
    /// The patient.
    pub patient: PatientRef,
    /// The practice.
    pub practice: String,
    /// On the palliative register.
    pub palliative: bool,
    /// Latest frailty level.
    pub frailty: Option<FrailtyLevel>,
    /// `no_form` or `review_due`.
    pub reason: &'static str,
    /// The form's review date, if any.
    #[serde(with = "serde_util::opt_date")]
    pub review_on: Option<NaiveDate>,
}

/// A member of a register, from [`Caseload::register_members`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Register};
/// use chrono::NaiveDate;
/// assert!(Caseload::new().register_members(Register::Carer, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterMemberRow {
    /// The patient.
    pub patient: PatientRef,
    /// The practice.
    pub practice: String,
    /// Start of the current spell.
    #[serde(with = "serde_util::date")]
    pub since: NaiveDate,
    /// Last contact.
    #[serde(with = "serde_util::opt_instant")]
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// UCR two-hour performance over a period (DOMAIN 2.6: referrals meeting the standard /
/// referrals in scope), from [`Caseload::ucr_two_hour_performance`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// let p = Caseload::new().ucr_two_hour_performance(
///     NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
///     NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
///     Utc.with_ymd_and_hms(2026, 2, 2, 0, 0, 0).unwrap(),
/// );
/// assert_eq!((p.in_scope, p.percent_met), (0, None));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UcrPerformance {
    /// First day of the period (received on or after).
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
    /// Day after the period (received before).
    #[serde(with = "serde_util::date")]
    pub to: NaiveDate,
    /// Referrals triaged `ucr_2_hour` received in the period with a deadline.
    pub in_scope: u32,
    /// Of which first contact by the deadline.
    pub met: u32,
    /// Of which breached.
    pub breached: u32,
    /// Of which closed without contact before the deadline (left out of the percentage).
    pub stopped: u32,
    /// Of which still running at the query instant.
    pub running: u32,
    /// `met / (met + breached) * 100`, one decimal; `None` if nothing is decided yet.
    pub percent_met: Option<f64>,
}

/// A member of staff's shift on a day.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ShiftInfo {
    pub(crate) rostered: bool,
    pub(crate) absent: bool,
    pub(crate) covering: u32,
    pub(crate) capacity: u32,
}

impl Caseload {
    fn practice_of(&self, patient: &PatientRef) -> String {
        self.patients
            .get(patient.as_str())
            .map(|p| p.practice.clone())
            .unwrap_or_default()
    }

    fn breach_row(&self, r: &super::Referral, at: DateTime<Utc>) -> Option<BreachRow> {
        let due = r.due_at?;
        Some(BreachRow {
            referral: r.id.clone(),
            patient: r.patient.clone(),
            practice: self.practice_of(&r.patient),
            priority: r.priority,
            ucr_condition: r.ucr_condition,
            duty: r.duty,
            clock: r.clock_at(at),
            received_at: r.received_at,
            due_at: due,
            minutes_to_due: (due - at).num_minutes(),
            allocated_to: r.allocated_to.clone(),
        })
    }

    /// Referrals breaching or about to breach: at `at`, clocks already breached with no
    /// first contact or closure yet, and clocks running that are due within `within` of
    /// `at` (deadline `<= at + within`). Only what was known at `at` counts, so the query
    /// can be asked of any past instant. Sorted by deadline, then referral id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the module example in [`caseload`](crate::caseload): "breaching or about to breach
    /// in the next hour" is `breaching_within(now, TimeDelta::hours(1))`.
    pub fn breaching_within(&self, at: DateTime<Utc>, within: TimeDelta) -> Vec<BreachRow> {
        let horizon = at + within.max(TimeDelta::zero());
        let mut rows: Vec<BreachRow> = self
            .referrals
            .values()
            .filter(|r| r.received_at <= at)
            .filter(|r| {
                let open_at =
                    r.first_contact_at.is_none_or(|c| c > at) && r.closed_at.is_none_or(|c| c > at);
                open_at
                    && match r.clock_at(at) {
                        ClockStatus::Breached => true,
                        ClockStatus::Running => r.due_at.is_some_and(|d| d <= horizon),
                        _ => false,
                    }
            })
            .filter_map(|r| self.breach_row(r, at))
            .collect();
        rows.sort_by(|a, b| {
            a.due_at
                .cmp(&b.due_at)
                .then_with(|| a.referral.cmp(&b.referral))
        });
        rows
    }

    /// "Today's breaches": referrals whose deadline fell on local date `day` and that were
    /// breached as known at `now` (still open, contacted late, or closed late). Sorted by
    /// deadline, then referral id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    /// let now = Utc.with_ymd_and_hms(2026, 1, 5, 17, 0, 0).unwrap();
    /// assert!(Caseload::new().breaches_on(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(), now).is_empty());
    /// ```
    pub fn breaches_on(&self, day: NaiveDate, now: DateTime<Utc>) -> Vec<BreachRow> {
        let mut rows: Vec<BreachRow> = self
            .referrals
            .values()
            .filter(|r| r.due_at.is_some_and(|d| local_date(d) == day))
            .filter(|r| r.clock_at(now) == ClockStatus::Breached)
            .filter_map(|r| self.breach_row(r, now))
            .collect();
        rows.sort_by(|a, b| {
            a.due_at
                .cmp(&b.due_at)
                .then_with(|| a.referral.cmp(&b.referral))
        });
        rows
    }

    /// The open referrals allocated to `staff`, by deadline (none last), then id.
    ///
    /// # Errors
    ///
    /// None; empty for an unknown id.
    ///
    /// # Example
    ///
    /// See [`Caseload::suggest_allocation`].
    pub fn caseload_of(&self, staff: &str) -> Vec<CaseloadRow> {
        let mut rows: Vec<CaseloadRow> = self
            .referrals
            .values()
            .filter(|r| r.is_open() && r.allocated_to.as_ref().is_some_and(|s| s.as_str() == staff))
            .map(|r| CaseloadRow {
                referral: r.id.clone(),
                patient: r.patient.clone(),
                practice: self.practice_of(&r.patient),
                priority: r.priority,
                duty: r.duty,
                status: r.status,
                received_at: r.received_at,
                allocated_at: r.allocated_at,
                due_at: r.due_at,
                first_contact_at: r.first_contact_at,
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.due_at.is_none(), a.due_at, &a.referral).cmp(&(
                b.due_at.is_none(),
                b.due_at,
                &b.referral,
            ))
        });
        rows
    }

    /// A member of staff's shift on `day`: rostered, absent, covering and capacity.
    pub(crate) fn shift(&self, m: &Staff, day: NaiveDate) -> ShiftInfo {
        if m.has_left_by(day) || !self.compiled.team.is_working_day(day) {
            return ShiftInfo::default();
        }
        let rostered = m.rostered_on(day);
        let absent = m.is_absent_on(day);
        let mut capacity = match (&m.rota, rostered && !absent) {
            (Some(r), true) => r.capacity,
            _ => 0,
        };
        let mut covering = 0;
        if !absent {
            for id in m.covering.get(&day).into_iter().flatten() {
                covering += 1;
                let covered = self
                    .absences
                    .get(id.as_str())
                    .and_then(|a| self.staff.get(a.staff.as_str()))
                    .and_then(|s| s.rota.as_ref())
                    .map_or(0, |r| r.capacity);
                capacity += covered;
            }
        }
        ShiftInfo {
            rostered,
            absent,
            covering,
            capacity,
        }
    }

    fn open_referrals_by_staff(&self) -> BTreeMap<&str, u32> {
        let mut counts = BTreeMap::new();
        for r in self.referrals.values().filter(|r| r.is_open()) {
            if let Some(s) = &r.allocated_to {
                *counts.entry(s.as_str()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Each member of staff's day: rostered, absent, cover, capacity, allocations and
    /// open work, in staff id order (staff who have left are left out).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See [`Caseload::suggest_allocation`].
    pub fn workload(&self, day: NaiveDate) -> Vec<WorkloadRow> {
        let open = self.open_referrals_by_staff();
        let mut tasks: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
        for t in self
            .tasks
            .values()
            .filter(|t| t.status == super::TaskStatus::Open)
        {
            let e = tasks.entry(t.owner.as_str()).or_default();
            e.0 += 1;
            if t.due < day {
                e.1 += 1;
            }
        }
        self.staff
            .values()
            .filter(|m| !m.has_left_by(day))
            .map(|m| {
                let shift = self.shift(m, day);
                let allocated = m.allocated_on(day);
                let (open_tasks, overdue_tasks) =
                    tasks.get(m.id.as_str()).copied().unwrap_or_default();
                WorkloadRow {
                    staff: m.id.clone(),
                    band: m.band,
                    rostered: shift.rostered,
                    absent: shift.absent,
                    covering: shift.covering,
                    capacity: shift.capacity,
                    allocated,
                    remaining: shift.capacity.saturating_sub(allocated),
                    open_referrals: open.get(m.id.as_str()).copied().unwrap_or(0),
                    open_tasks,
                    overdue_tasks,
                }
            })
            .collect()
    }

    /// Suggests who should take a piece of work needing `skill` (any member of staff if
    /// `None`) on the local day of `at`: among staff on shift that day (rostered and
    /// present, or covering) with the skill and capacity left, the one with the most
    /// capacity left, then the fewest open referrals, then the lowest id.
    ///
    /// # Errors
    ///
    /// [`NoAllocation`] saying why nobody can take it, the most specific reason first.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Band, Caseload, Event, NoAllocation, Skill, StaffId};
    /// use carecoord::journal::Envelope;
    /// use chrono::{NaiveDate, TimeZone, Utc, Weekday};
    ///
    /// let mut c = Caseload::new();
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(); // a Monday
    /// let monday = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    /// let events = [
    ///     Event::StaffJoined { staff: StaffId::new("N1")?, band: Band::B6, skills: vec![Skill::Nursing] },
    ///     Event::RotaSet { staff: StaffId::new("N1")?, days: vec![Weekday::Mon], capacity: 2, from: monday },
    /// ];
    /// for (i, e) in events.into_iter().enumerate() {
    ///     c.apply(&Envelope { seq: i as u64 + 1, who: "lead".into(), at, event: e })?;
    /// }
    /// let s = c.suggest_allocation(Some(Skill::Nursing), at).unwrap();
    /// assert_eq!((s.staff.as_str(), s.remaining), ("N1", 2));
    /// assert_eq!(c.suggest_allocation(Some(Skill::Physiotherapy), at), Err(NoAllocation::NoStaffWithSkill));
    /// let tuesday = Utc.with_ymd_and_hms(2026, 1, 6, 9, 0, 0).unwrap();
    /// assert_eq!(c.suggest_allocation(Some(Skill::Nursing), tuesday), Err(NoAllocation::NoneOnShift));
    /// assert_eq!(c.workload(monday)[0].capacity, 2);
    /// assert!(c.caseload_of("N1").is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn suggest_allocation(
        &self,
        skill: Option<Skill>,
        at: DateTime<Utc>,
    ) -> Result<AllocationSuggestion, NoAllocation> {
        let day = local_date(at);
        if !self.compiled.team.is_working_day(day) {
            return Err(NoAllocation::ServiceClosed);
        }
        let skilled: Vec<&Staff> = self
            .staff
            .values()
            .filter(|m| !m.has_left_by(day) && skill.is_none_or(|k| m.has_skill(k)))
            .collect();
        if skilled.is_empty() {
            return Err(NoAllocation::NoStaffWithSkill);
        }
        let shifts: Vec<(&Staff, ShiftInfo)> =
            skilled.iter().map(|m| (*m, self.shift(m, day))).collect();
        let on_shift: Vec<&(&Staff, ShiftInfo)> = shifts
            .iter()
            .filter(|(_, s)| !s.absent && (s.rostered || s.covering > 0))
            .collect();
        if on_shift.is_empty() {
            return Err(if shifts.iter().any(|(_, s)| s.rostered) {
                NoAllocation::AllAbsent
            } else {
                NoAllocation::NoneOnShift
            });
        }
        let open = self.open_referrals_by_staff();
        on_shift
            .iter()
            .filter_map(|(m, s)| {
                let remaining = s.capacity.saturating_sub(m.allocated_on(day));
                (remaining > 0).then(|| AllocationSuggestion {
                    staff: m.id.clone(),
                    remaining,
                    open_referrals: open.get(m.id.as_str()).copied().unwrap_or(0),
                })
            })
            .min_by(|a, b| {
                b.remaining
                    .cmp(&a.remaining)
                    .then(a.open_referrals.cmp(&b.open_referrals))
                    .then_with(|| a.staff.cmp(&b.staff))
            })
            .ok_or(NoAllocation::AllAtCapacity)
    }

    /// Rostered shifts in `from..=to` lost to an absence with no cover arranged, by date then
    /// staff id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests; an empty caseload has none.
    pub fn uncovered_shifts(&self, from: NaiveDate, to: NaiveDate) -> Vec<UncoveredShift> {
        let mut rows = Vec::new();
        for a in self.absences.values().filter(|a| !a.cancelled) {
            let Some(m) = self.staff.get(a.staff.as_str()) else {
                continue;
            };
            let mut day = a.from.max(from);
            let last = a.to.min(to);
            while day <= last {
                if m.rostered_on(day)
                    && self.compiled.team.is_working_day(day)
                    && !a.cover.contains_key(&day)
                {
                    rows.push(UncoveredShift {
                        date: day,
                        staff: m.id.clone(),
                        absence: a.id.clone(),
                        kind: a.kind,
                        capacity: m.rota.as_ref().map_or(0, |r| r.capacity),
                    });
                }
                match day.succ_opt() {
                    Some(d) => day = d,
                    None => break,
                }
            }
        }
        rows.sort_by(|a, b| (a.date, &a.staff).cmp(&(b.date, &b.staff)));
        rows
    }

    /// Open care plans whose review is due on `today` (review date on or before it), most
    /// overdue first, then plan id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See [`CarePlan::review_due`](super::CarePlan::review_due) for the rule.
    pub fn reviews_due(&self, today: NaiveDate) -> Vec<ReviewRow> {
        let mut rows: Vec<ReviewRow> = self
            .care_plans
            .values()
            .filter(|p| p.review_due(today))
            .map(|p| ReviewRow {
                plan: p.id.clone(),
                patient: p.patient.clone(),
                practice: self.practice_of(&p.patient),
                review_on: p.review_on,
                days_overdue: u32::try_from((today - p.review_on).num_days()).unwrap_or(0),
                last_reviewed_on: p.last_reviewed_on,
                active_goals: p
                    .goals
                    .iter()
                    .filter(|g| g.status == super::GoalStatus::Active)
                    .count() as u32,
            })
            .collect();
        rows.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then_with(|| a.plan.cmp(&b.plan))
        });
        rows
    }

    /// The chasing list on `today`: open tasks due before `today`, plus the open actions
    /// due before `today` of the given MDT action logs, grouped by owner. Owners with the
    /// most overdue item come first (then by owner id); within an owner, most overdue first,
    /// then tasks before MDT actions, then id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "Discharge leads", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase CHC panel date", "flow-2", NaiveDate::from_ymd_opt(2026, 3, 26).unwrap(), &m).for_patient("P-12"))?;
    /// let rows = Caseload::new().chase_list(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(), &[&log]);
    /// assert_eq!((rows[0].owner.as_str(), rows[0].id.as_str(), rows[0].days_overdue), ("flow-2", "A1", 4));
    /// assert_eq!(rows[0].patient.as_deref(), Some("P-12"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn chase_list(&self, today: NaiveDate, mdt: &[&ActionLog]) -> Vec<ChaseRow> {
        let mut rows: Vec<ChaseRow> = self
            .tasks
            .values()
            .filter_map(|t| {
                t.days_overdue(today).map(|days| ChaseRow {
                    owner: t.owner.as_str().to_string(),
                    source: ChaseSource::Task,
                    id: t.id.as_str().to_string(),
                    patient: t.patient.as_ref().map(|p| p.as_str().to_string()),
                    kind: t.kind,
                    due: t.due,
                    days_overdue: days,
                    chases: t.chases,
                    last_chased_at: t.last_chased_at,
                })
            })
            .collect();
        for log in mdt {
            for a in log.actions() {
                if a.status == ActionStatus::Open && a.due < today {
                    rows.push(ChaseRow {
                        owner: a.owner.clone(),
                        source: ChaseSource::Mdt,
                        id: a.id.clone(),
                        patient: a.patient_ref.clone(),
                        kind: TaskKind::MeetingAction,
                        due: a.due,
                        days_overdue: u32::try_from((today - a.due).num_days()).unwrap_or(0),
                        chases: 0,
                        last_chased_at: None,
                    });
                }
            }
        }
        let mut worst: BTreeMap<String, u32> = BTreeMap::new();
        for r in &rows {
            let w = worst.entry(r.owner.clone()).or_insert(0);
            *w = (*w).max(r.days_overdue);
        }
        rows.sort_by(|a, b| {
            let wa = worst.get(&a.owner).copied().unwrap_or(0);
            let wb = worst.get(&b.owner).copied().unwrap_or(0);
            wb.cmp(&wa)
                .then_with(|| a.owner.cmp(&b.owner))
                .then(b.days_overdue.cmp(&a.days_overdue))
                .then((a.source == ChaseSource::Mdt).cmp(&(b.source == ChaseSource::Mdt)))
                .then_with(|| a.id.cmp(&b.id))
        });
        rows
    }

    /// Open tasks due before `today` (the chasing list without MDT actions).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// use chrono::NaiveDate;
    /// assert!(Caseload::new().overdue_tasks(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).is_empty());
    /// ```
    pub fn overdue_tasks(&self, today: NaiveDate) -> Vec<ChaseRow> {
        self.chase_list(today, &[])
    }

    /// Patients on the palliative register or with severe frailty recorded who have no
    /// ReSPECT form, or whose form's review is due on `today` (DOMAIN 1, post 002), by
    /// practice then patient.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn respect_worklist(&self, today: NaiveDate) -> Vec<RespectRow> {
        let mut rows: Vec<RespectRow> = self
            .patients
            .values()
            .filter_map(|p| {
                let palliative = p.on_register(Register::Palliative, today);
                let frailty = p.frailty.as_ref().map(|f| f.level);
                if !palliative && frailty != Some(FrailtyLevel::Severe) {
                    return None;
                }
                let reason = match &p.respect {
                    None => "no_form",
                    Some(r) if r.review_due(today) => "review_due",
                    Some(_) => return None,
                };
                Some(RespectRow {
                    patient: p.id.clone(),
                    practice: p.practice.clone(),
                    palliative,
                    frailty,
                    reason,
                    review_on: p.respect.as_ref().and_then(|r| r.review_on),
                })
            })
            .collect();
        rows.sort_by(|a, b| (&a.practice, &a.patient).cmp(&(&b.practice, &b.patient)));
        rows
    }

    /// Patients on `register` on `day`, by practice then patient.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn register_members(&self, register: Register, day: NaiveDate) -> Vec<RegisterMemberRow> {
        let mut rows: Vec<RegisterMemberRow> = self
            .patients
            .values()
            .filter_map(|p| {
                let spell = p
                    .registers
                    .iter()
                    .find(|s| s.register == register && s.is_current_on(day))?;
                Some(RegisterMemberRow {
                    patient: p.id.clone(),
                    practice: p.practice.clone(),
                    since: spell.from,
                    last_contact_at: p.last_contact_at,
                })
            })
            .collect();
        rows.sort_by(|a, b| (&a.practice, &a.patient).cmp(&(&b.practice, &b.patient)));
        rows
    }

    /// UCR two-hour performance for referrals received on local dates `from..to` (to
    /// exclusive), as known at `now`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See [`UcrPerformance`].
    pub fn ucr_two_hour_performance(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: DateTime<Utc>,
    ) -> UcrPerformance {
        let mut p = UcrPerformance {
            from,
            to,
            in_scope: 0,
            met: 0,
            breached: 0,
            stopped: 0,
            running: 0,
            percent_met: None,
        };
        for r in self.referrals.values() {
            let day = local_date(r.received_at);
            if r.priority != Some(Priority::Ucr2Hour)
                || day < from
                || day >= to
                || r.due_at.is_none()
            {
                continue;
            }
            p.in_scope += 1;
            match r.clock_at(now) {
                ClockStatus::Met => p.met += 1,
                ClockStatus::Breached => p.breached += 1,
                ClockStatus::Stopped => p.stopped += 1,
                ClockStatus::Running | ClockStatus::NotStarted => p.running += 1,
            }
        }
        let decided = p.met + p.breached;
        if decided > 0 {
            let per_mille = (u64::from(p.met) * 1000 + u64::from(decided) / 2) / u64::from(decided);
            p.percent_met = Some(per_mille as f64 / 10.0);
        }
        p
    }

    /// Open tasks of a member of staff, by due date then id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carecoord::caseload::Caseload::new().open_tasks_of("ST1").is_empty());
    /// ```
    pub fn open_tasks_of(&self, staff: &str) -> Vec<TaskId> {
        let mut tasks: Vec<&super::Task> = self
            .tasks
            .values()
            .filter(|t| t.status == super::TaskStatus::Open && t.owner.as_str() == staff)
            .collect();
        tasks.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
        tasks.into_iter().map(|t| t.id.clone()).collect()
    }
}
