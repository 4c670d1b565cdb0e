//! Hospital flow queries over a [`Caseload`]: the long-stay list with delays and open
//! actions, the ward census, escalations due, delayed patients, the over-65 discharge review
//! queue, open repatriations and incomplete handovers.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::los::midnights_between;
use super::{Handover, LosBand, Stay};
use crate::calendar::local_date;
use crate::caseload::serde_util;
use crate::caseload::{
    AdmissionMethod, Caseload, Destination, PatientRef, RepatriationId, RepatriationStatus, StayId,
    TaskId, TaskStatus, WardId,
};
use crate::risk::LosConvention;

/// Age, in whole years on the discharge date, from which a discharge is reviewed by the GP
/// practice (DOMAIN 1, post 002).
///
/// # Example
///
/// ```
/// assert_eq!(carecoord::flow::DISCHARGE_REVIEW_AGE, 65);
/// ```
pub const DISCHARGE_REVIEW_AGE: u32 = 65;

/// A patient in hospital with a long stay, from [`Caseload::long_stay`]: length of stay,
/// band, discharge ready date, delay and its current reason, escalations, repatriation and
/// the stay's open actions.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use carecoord::flow::LosBand;
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 4, 1, 8, 0, 0).unwrap();
/// assert!(Caseload::new().long_stay(at, LosBand::Days7Plus).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LongStayRow {
    /// The stay.
    pub stay: StayId,
    /// The patient.
    pub patient: PatientRef,
    /// The patient's practice.
    pub practice: String,
    /// Ward at the census instant.
    pub ward: WardId,
    /// Site of that ward.
    pub site: String,
    /// Admission instant.
    #[serde(with = "serde_util::instant")]
    pub admitted_at: DateTime<Utc>,
    /// Length of stay to the census instant, in `los_convention`.
    pub los: u32,
    /// `midnights` or `inclusive_days`.
    pub los_convention: &'static str,
    /// Long-stay band (on the midnight count).
    pub band: LosBand,
    /// Discharge ready date in force, if any.
    #[serde(with = "serde_util::opt_date")]
    pub discharge_ready_date: Option<NaiveDate>,
    /// Days past the discharge ready date, if delayed.
    pub delay_days: Option<u32>,
    /// Current delay reason: list version.
    pub delay_version: Option<String>,
    /// Current delay reason: code.
    pub delay_code: Option<String>,
    /// Current delay reason: category.
    pub delay_category: Option<String>,
    /// Number of delay reasons recorded over the stay.
    pub delay_reasons_recorded: u32,
    /// Highest escalation level reached, if escalated.
    pub escalation_level: Option<u8>,
    /// Number of escalations.
    pub escalations: u32,
    /// Status of the latest repatriation request, if any.
    pub repatriation: Option<RepatriationStatus>,
    /// Open tasks linked to the stay.
    pub open_actions: u32,
    /// Of which overdue on the census date.
    pub overdue_actions: u32,
    /// Earliest due date of the open actions.
    #[serde(with = "serde_util::opt_date")]
    pub next_action_due: Option<NaiveDate>,
}

/// One ward at a census instant, from [`Caseload::ward_census`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::{TimeZone, Utc};
/// assert!(Caseload::new().ward_census(Utc.with_ymd_and_hms(2026, 4, 1, 23, 59, 0).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WardCensusRow {
    /// The ward.
    pub ward: WardId,
    /// Its site.
    pub site: String,
    /// Beds.
    pub beds: u32,
    /// Patients on the ward at the census instant.
    pub occupied: u32,
    /// Beds free (0 if over-occupied).
    pub available: u32,
    /// Occupied / beds * 100, one decimal (`None` for a ward with no beds).
    pub occupancy_percent: Option<f64>,
    /// Patients past their discharge ready date.
    pub delayed: u32,
    /// Patients with a stay of 7+ midnights.
    pub los_7_plus: u32,
    /// 14+.
    pub los_14_plus: u32,
    /// 21+.
    pub los_21_plus: u32,
    /// Admissions to the ward on the census instant's local day, up to the instant.
    pub admitted_today: u32,
    /// Discharges from the ward on that day, up to the instant.
    pub discharged_today: u32,
}

/// A stay for which an escalation rule fires and no escalation under that rule is
/// recorded, from [`Caseload::escalations_due`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::{TimeZone, Utc};
/// assert!(Caseload::new().escalations_due(Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationDueRow {
    /// The stay.
    pub stay: StayId,
    /// The patient.
    pub patient: PatientRef,
    /// Ward at the instant.
    pub ward: WardId,
    /// Rule id.
    pub rule: String,
    /// Its level.
    pub level: u8,
    /// Length of stay (midnights).
    pub los: u32,
    /// Days delayed, if delayed.
    pub delay_days: Option<u32>,
    /// Current delay-reason category, if any.
    pub delay_category: Option<String>,
}

/// A discharge waiting for the GP practice's review, from
/// [`Caseload::discharge_review_queue`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::{TimeZone, Utc};
/// assert!(Caseload::new().discharge_review_queue(Some("SYN001"), Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DischargeReviewRow {
    /// The stay.
    pub stay: StayId,
    /// The patient.
    pub patient: PatientRef,
    /// The practice.
    pub practice: String,
    /// Age in whole years on the discharge date.
    pub age_at_discharge: u32,
    /// How admitted.
    pub method: AdmissionMethod,
    /// Discharge instant.
    #[serde(with = "serde_util::instant")]
    pub discharged_at: DateTime<Utc>,
    /// Where to.
    pub destination: Option<Destination>,
    /// Length of stay in midnights.
    pub los: u32,
    /// Days since the discharge date at the query instant.
    pub days_since_discharge: u32,
}

/// An open repatriation request, from [`Caseload::open_repatriations`].
///
/// # Example
///
/// ```
/// use carecoord::caseload::Caseload;
/// use chrono::{TimeZone, Utc};
/// assert!(Caseload::new().open_repatriations(Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepatriationRow {
    /// The request.
    pub repatriation: RepatriationId,
    /// The stay.
    pub stay: StayId,
    /// The patient.
    pub patient: PatientRef,
    /// Receiving organisation.
    pub to_org: String,
    /// `requested` or `accepted`.
    pub status: RepatriationStatus,
    /// When requested.
    #[serde(with = "serde_util::instant")]
    pub requested_at: DateTime<Utc>,
    /// Whole days waited since the request.
    pub days_waiting: u32,
}

/// Open tasks per stay: count, overdue count and the earliest due date.
type ActionSummary = (u32, u32, Option<NaiveDate>);

impl Caseload {
    fn los_in(&self, stay: &Stay, at: DateTime<Utc>) -> u32 {
        let midnights = stay.los_midnights(at);
        match self.settings.los_convention {
            LosConvention::Midnights => midnights,
            LosConvention::InclusiveDays => midnights.saturating_add(1),
        }
    }

    fn stay_actions(&self, day: NaiveDate) -> BTreeMap<&str, ActionSummary> {
        let mut m: BTreeMap<&str, ActionSummary> = BTreeMap::new();
        for t in self.tasks.values().filter(|t| t.status == TaskStatus::Open) {
            if let Some(s) = &t.stay {
                let e = m.entry(s.as_str()).or_default();
                e.0 += 1;
                if t.due < day {
                    e.1 += 1;
                }
                e.2 = Some(e.2.map_or(t.due, |d| d.min(t.due)));
            }
        }
        m
    }

    /// Patients in hospital at `at` whose stay reaches `band` (e.g. [`LosBand::Days7Plus`]
    /// for the stranded list, [`LosBand::Days21Plus`] for super-stranded), with their
    /// delay, escalations, repatriation and open actions. Longest stay first, then stay id.
    /// Lengths of stay follow the settings' convention; bands use midnights.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests and `docs/caseload.md`.
    pub fn long_stay(&self, at: DateTime<Utc>, band: LosBand) -> Vec<LongStayRow> {
        let day = local_date(at);
        let actions = self.stay_actions(day);
        let mut rows: Vec<LongStayRow> = self
            .stays
            .values()
            .filter(|s| s.is_in_at(at))
            .filter(|s| LosBand::of(s.los_midnights(at)).includes(band))
            .map(|s| {
                let ward = s
                    .ward_at(at)
                    .cloned()
                    .unwrap_or_else(|| WardId::unchecked(""));
                let site = self
                    .wards
                    .get(ward.as_str())
                    .map(|w| w.site.clone())
                    .unwrap_or_default();
                let reason = s.delay_reason_at(at);
                let (open, overdue, next) = actions.get(s.id.as_str()).copied().unwrap_or_default();
                let escalations: Vec<_> = s.escalations.iter().filter(|e| e.at <= at).collect();
                LongStayRow {
                    stay: s.id.clone(),
                    patient: s.patient.clone(),
                    practice: self
                        .patients
                        .get(s.patient.as_str())
                        .map(|p| p.practice.clone())
                        .unwrap_or_default(),
                    ward,
                    site,
                    admitted_at: s.admitted_at,
                    los: self.los_in(s, at),
                    los_convention: self.settings.los_convention.as_str(),
                    band: LosBand::of(s.los_midnights(at)),
                    discharge_ready_date: s.drd_at(at),
                    delay_days: s.delay_days(at),
                    delay_version: reason.map(|r| r.version.clone()),
                    delay_code: reason.map(|r| r.code.clone()),
                    delay_category: reason.map(|r| r.category.clone()),
                    delay_reasons_recorded: s.delays.iter().filter(|d| d.recorded_at <= at).count()
                        as u32,
                    escalation_level: escalations.iter().map(|e| e.level).max(),
                    escalations: escalations.len() as u32,
                    repatriation: s
                        .repatriations
                        .last()
                        .and_then(|id| self.repatriations.get(id.as_str()))
                        .map(|r| r.status),
                    open_actions: open,
                    overdue_actions: overdue,
                    next_action_due: next,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.los.cmp(&a.los).then_with(|| a.stay.cmp(&b.stay)));
        rows
    }

    /// The census of every ward at `at` (use 23:59 local for a midnight-style daily census):
    /// occupied and free beds, occupancy, delayed patients, long-stay bands, and the day's
    /// admissions and discharges up to `at`. In ward id order.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn ward_census(&self, at: DateTime<Utc>) -> Vec<WardCensusRow> {
        let day = local_date(at);
        let mut rows: BTreeMap<&str, WardCensusRow> = self
            .wards
            .values()
            .map(|w| {
                (
                    w.id.as_str(),
                    WardCensusRow {
                        ward: w.id.clone(),
                        site: w.site.clone(),
                        beds: w.beds,
                        occupied: 0,
                        available: 0,
                        occupancy_percent: None,
                        delayed: 0,
                        los_7_plus: 0,
                        los_14_plus: 0,
                        los_21_plus: 0,
                        admitted_today: 0,
                        discharged_today: 0,
                    },
                )
            })
            .collect();
        for s in self.stays.values() {
            if s.admitted_at <= at && local_date(s.admitted_at) == day {
                if let Some(r) = s.wards.first().and_then(|m| rows.get_mut(m.ward.as_str())) {
                    r.admitted_today += 1;
                }
            }
            if let Some(d) = s
                .discharged_at
                .filter(|d| *d <= at && local_date(*d) == day)
            {
                if let Some(r) = s.ward_at(d).and_then(|w| rows.get_mut(w.as_str())) {
                    r.discharged_today += 1;
                }
            }
            if !s.is_in_at(at) {
                continue;
            }
            let Some(r) = s.ward_at(at).and_then(|w| rows.get_mut(w.as_str())) else {
                continue;
            };
            r.occupied += 1;
            if s.delay_days(at).is_some() {
                r.delayed += 1;
            }
            let band = LosBand::of(s.los_midnights(at));
            r.los_7_plus += u32::from(band.includes(LosBand::Days7Plus));
            r.los_14_plus += u32::from(band.includes(LosBand::Days14Plus));
            r.los_21_plus += u32::from(band.includes(LosBand::Days21Plus));
        }
        rows.into_values()
            .map(|mut r| {
                r.available = r.beds.saturating_sub(r.occupied);
                if r.beds > 0 {
                    let per_mille =
                        (u64::from(r.occupied) * 1000 + u64::from(r.beds) / 2) / u64::from(r.beds);
                    r.occupancy_percent = Some(per_mille as f64 / 10.0);
                }
                r
            })
            .collect()
    }

    /// Escalations due at `at`: for each stay in hospital and each configured rule that
    /// fires, with no escalation under that rule yet. By level (highest first), then stay
    /// id, then rule.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn escalations_due(&self, at: DateTime<Utc>) -> Vec<EscalationDueRow> {
        let mut rows = Vec::new();
        for s in self.stays.values().filter(|s| s.is_in_at(at)) {
            let los = s.los_midnights(at);
            let delay = s.delay_days(at);
            let category = s.delay_reason_at(at).map(|r| r.category.as_str());
            for rule in &self.settings.escalation_rules {
                if rule.fires(los, delay, category) && !s.escalated_under(&rule.id, at) {
                    rows.push(EscalationDueRow {
                        stay: s.id.clone(),
                        patient: s.patient.clone(),
                        ward: s
                            .ward_at(at)
                            .cloned()
                            .unwrap_or_else(|| WardId::unchecked("")),
                        rule: rule.id.clone(),
                        level: rule.level,
                        los,
                        delay_days: delay,
                        delay_category: category.map(str::to_string),
                    });
                }
            }
        }
        rows.sort_by(|a, b| {
            b.level
                .cmp(&a.level)
                .then_with(|| a.stay.cmp(&b.stay))
                .then_with(|| a.rule.cmp(&b.rule))
        });
        rows
    }

    /// Discharges to review for the GP practice at `at`: patients aged
    /// [`DISCHARGE_REVIEW_AGE`] or over in whole years on the (local) discharge date,
    /// discharged by `at` and not reviewed by then, from `practice` (all practices if
    /// `None`), excluding deaths. Oldest discharge first, then stay id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn discharge_review_queue(
        &self,
        practice: Option<&str>,
        at: DateTime<Utc>,
    ) -> Vec<DischargeReviewRow> {
        let today = local_date(at);
        let mut rows: Vec<DischargeReviewRow> = self
            .stays
            .values()
            .filter_map(|s| {
                let discharged = s.discharged_at.filter(|d| *d <= at)?;
                if s.review.as_ref().is_some_and(|r| r.at <= at)
                    || s.destination == Some(Destination::Died)
                {
                    return None;
                }
                let p = self.patients.get(s.patient.as_str())?;
                if practice.is_some_and(|code| p.practice != code) {
                    return None;
                }
                let day = local_date(discharged);
                let age = p.age_on(day)?;
                if age < DISCHARGE_REVIEW_AGE {
                    return None;
                }
                Some(DischargeReviewRow {
                    stay: s.id.clone(),
                    patient: s.patient.clone(),
                    practice: p.practice.clone(),
                    age_at_discharge: age,
                    method: s.method,
                    discharged_at: discharged,
                    destination: s.destination,
                    los: midnights_between(s.admitted_at, discharged),
                    days_since_discharge: u32::try_from((today - day).num_days()).unwrap_or(0),
                })
            })
            .collect();
        rows.sort_by(|a, b| (a.discharged_at, &a.stay).cmp(&(b.discharged_at, &b.stay)));
        rows
    }

    /// Repatriation requests open (requested or accepted) at `at`, longest waiting first.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// See the unit tests.
    pub fn open_repatriations(&self, at: DateTime<Utc>) -> Vec<RepatriationRow> {
        let mut rows: Vec<RepatriationRow> = self
            .repatriations
            .values()
            .filter(|r| r.requested_at <= at && r.closed_at.is_none_or(|c| c > at))
            .map(|r| RepatriationRow {
                repatriation: r.id.clone(),
                stay: r.stay.clone(),
                patient: self
                    .stays
                    .get(r.stay.as_str())
                    .map(|s| s.patient.clone())
                    .unwrap_or_else(|| PatientRef::unchecked("")),
                to_org: r.to_org.clone(),
                status: if r.accepted_at.is_some_and(|a| a <= at) {
                    RepatriationStatus::Accepted
                } else {
                    RepatriationStatus::Requested
                },
                requested_at: r.requested_at,
                days_waiting: u32::try_from((at - r.requested_at).num_days()).unwrap_or(0),
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.requested_at, &a.repatriation).cmp(&(b.requested_at, &b.repatriation))
        });
        rows
    }

    /// Handovers with a checklist item still to do, oldest first.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carecoord::caseload::Caseload::new().incomplete_handovers().is_empty());
    /// ```
    pub fn incomplete_handovers(&self) -> Vec<&Handover> {
        let mut v: Vec<&Handover> = self
            .handovers
            .values()
            .filter(|h| !h.is_complete())
            .collect();
        v.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        v
    }

    /// Open tasks linked to a stay, by due date then id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(carecoord::caseload::Caseload::new().stay_open_actions("S1").is_empty());
    /// ```
    pub fn stay_open_actions(&self, stay: &str) -> Vec<TaskId> {
        let mut v: Vec<&crate::caseload::Task> = self
            .tasks
            .values()
            .filter(|t| {
                t.status == TaskStatus::Open && t.stay.as_ref().is_some_and(|s| s.as_str() == stay)
            })
            .collect();
        v.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
        v.into_iter().map(|t| t.id.clone()).collect()
    }
}
