//! Wards, inpatient stays and what hangs off them: discharge ready dates, delays,
//! escalations, repatriation requests, transport bookings and discharge reviews; handovers
//! between settings. These are the state the caseload folds events into; they are read
//! through [`Caseload`](crate::caseload::Caseload) and its queries.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::los::midnights_between;
use crate::caseload::serde_util;
use crate::caseload::{
    AdmissionMethod, Destination, HandoverId, Mobility, PatientRef, RepatriationId,
    RepatriationStatus, Setting, StayId, TransportId, TransportOutcome, WardId,
};

/// A ward: its site and number of beds.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Event, WardId};
/// use carecoord::journal::Envelope;
/// use chrono::{TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let at = Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap();
/// let ward = WardId::new("W1")?;
/// c.apply(&Envelope { seq: 1, who: "ops".into(), at, event: Event::WardOpened { ward: ward.clone(), site: "North".into(), beds: 28 } })?;
/// assert_eq!(c.ward(&ward).unwrap().beds, 28);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ward {
    /// The ward id.
    pub id: WardId,
    /// The hospital site.
    pub site: String,
    /// Number of beds.
    pub beds: u32,
}

/// A change of discharge ready date, kept as history (DOMAIN 2.8: who set it and when).
///
/// # Example
///
/// ```
/// use carecoord::flow::DrdChange;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let c = DrdChange {
///     date: NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
///     set_at: Utc.with_ymd_and_hms(2026, 4, 2, 9, 0, 0).unwrap(),
///     set_by: "ward-7-nurse".into(),
/// };
/// assert_eq!(c.date.to_string(), "2026-04-03");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrdChange {
    /// The discharge ready date set.
    #[serde(with = "serde_util::date")]
    pub date: NaiveDate,
    /// When it was recorded.
    #[serde(with = "serde_util::instant")]
    pub set_at: DateTime<Utc>,
    /// Who recorded it.
    pub set_by: String,
}

/// A delay reason recorded against a stay, from a date on.
///
/// # Example
///
/// ```
/// use carecoord::flow::DelayEntry;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let d = DelayEntry {
///     version: "acute-sitrep-2023".into(),
///     code: "x".into(),
///     category: "pathway-3".into(),
///     from: NaiveDate::from_ymd_opt(2026, 4, 4).unwrap(),
///     recorded_at: Utc.with_ymd_and_hms(2026, 4, 4, 10, 0, 0).unwrap(),
///     recorded_by: "flow-1".into(),
/// };
/// assert_eq!(d.category, "pathway-3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelayEntry {
    /// Delay-reason list version.
    pub version: String,
    /// Reason code within the version.
    pub code: String,
    /// The reason's category (copied from the table when recorded).
    pub category: String,
    /// The date from which this reason applies.
    #[serde(with = "serde_util::date")]
    pub from: NaiveDate,
    /// When it was recorded.
    #[serde(with = "serde_util::instant")]
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// An escalation of a stay under a rule.
///
/// # Example
///
/// ```
/// use carecoord::flow::EscalationEntry;
/// use chrono::{TimeZone, Utc};
///
/// let e = EscalationEntry { rule: "los-21".into(), level: 2, at: Utc.with_ymd_and_hms(2026, 4, 22, 10, 0, 0).unwrap(), by: "flow-1".into() };
/// assert_eq!(e.level, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EscalationEntry {
    /// The rule id.
    pub rule: String,
    /// The level escalated to.
    pub level: u8,
    /// When.
    #[serde(with = "serde_util::instant")]
    pub at: DateTime<Utc>,
    /// Who escalated.
    pub by: String,
}

/// A move of a stay to a ward (the first is the admission ward).
///
/// # Example
///
/// ```
/// use carecoord::caseload::WardId;
/// use carecoord::flow::WardMove;
/// use chrono::{TimeZone, Utc};
///
/// let m = WardMove { ward: WardId::new("W2")?, at: Utc.with_ymd_and_hms(2026, 4, 2, 10, 0, 0).unwrap() };
/// assert_eq!(m.ward.as_str(), "W2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WardMove {
    /// The ward moved to.
    pub ward: WardId,
    /// When.
    #[serde(with = "serde_util::instant")]
    pub at: DateTime<Utc>,
}

/// The GP practice's review of a discharge (DOMAIN 1, post 002: over-65 discharges).
///
/// # Example
///
/// ```
/// use carecoord::flow::DischargeReview;
/// use chrono::{TimeZone, Utc};
///
/// let r = DischargeReview { at: Utc.with_ymd_and_hms(2026, 4, 6, 11, 0, 0).unwrap(), by: "pcc-2".into() };
/// assert_eq!(r.by, "pcc-2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DischargeReview {
    /// When it was reviewed.
    #[serde(with = "serde_util::instant")]
    pub at: DateTime<Utc>,
    /// Who reviewed it.
    pub by: String,
}

/// An inpatient stay.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{AdmissionMethod, Caseload, Event, PatientRef, StayId, WardId};
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let t0 = Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap();
/// let p = PatientRef::new("P1")?;
/// let events = vec![
///     Event::WardOpened { ward: WardId::new("W1")?, site: "North".into(), beds: 20 },
///     Event::PatientRegistered { patient: p.clone(), nhs_number: None, practice: "SYN001".into(), birth_date: NaiveDate::from_ymd_opt(1940, 5, 1).unwrap() },
///     Event::Admitted { stay: StayId::new("S1")?, patient: p, ward: WardId::new("W1")?, admitted_at: t0, method: AdmissionMethod::Emergency, referring_org: None },
/// ];
/// for (i, e) in events.into_iter().enumerate() {
///     c.apply(&Envelope { seq: i as u64 + 1, who: "ops".into(), at: t0, event: e })?;
/// }
/// let stay = c.stay(&StayId::new("S1")?).unwrap();
/// let later = Utc.with_ymd_and_hms(2026, 4, 9, 12, 0, 0).unwrap();
/// assert_eq!(stay.los_midnights(later), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stay {
    /// The stay id.
    pub id: StayId,
    /// The patient.
    pub patient: PatientRef,
    /// Admission instant.
    #[serde(with = "serde_util::instant")]
    pub admitted_at: DateTime<Utc>,
    /// How the patient was admitted.
    pub method: AdmissionMethod,
    /// The referring organisation (for repatriation), if any.
    pub referring_org: Option<String>,
    /// Ward moves, the admission ward first.
    pub wards: Vec<WardMove>,
    /// Discharge ready date history, oldest first.
    pub drd_history: Vec<DrdChange>,
    /// Delay reasons recorded, oldest first.
    pub delays: Vec<DelayEntry>,
    /// Escalations, oldest first.
    pub escalations: Vec<EscalationEntry>,
    /// Repatriation requests for the stay.
    pub repatriations: Vec<RepatriationId>,
    /// Transport bookings for the stay.
    pub transports: Vec<TransportId>,
    /// Discharge instant, if discharged.
    #[serde(with = "serde_util::opt_instant")]
    pub discharged_at: Option<DateTime<Utc>>,
    /// Where the patient went, if discharged.
    pub destination: Option<Destination>,
    /// The GP practice's discharge review, if done.
    pub review: Option<DischargeReview>,
}

impl Stay {
    /// Whether the patient is in hospital at `at`: admitted at or before it and not
    /// discharged by then.
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_in_at(&self, at: DateTime<Utc>) -> bool {
        self.admitted_at <= at && self.discharged_at.is_none_or(|d| d > at)
    }

    /// The current discharge ready date (the latest set), if any.
    ///
    /// # Errors
    ///
    /// None.
    pub fn drd(&self) -> Option<NaiveDate> {
        self.drd_history.last().map(|c| c.date)
    }

    /// The discharge ready date in force at `at` (the latest set by then).
    ///
    /// # Errors
    ///
    /// None.
    pub fn drd_at(&self, at: DateTime<Utc>) -> Option<NaiveDate> {
        self.drd_history
            .iter()
            .rev()
            .find(|c| c.set_at <= at)
            .map(|c| c.date)
    }

    /// Length of stay in midnights to `at`, or to the discharge if that is earlier (0 before
    /// admission).
    ///
    /// # Errors
    ///
    /// None.
    pub fn los_midnights(&self, at: DateTime<Utc>) -> u32 {
        let end = match self.discharged_at {
            Some(d) if d < at => d,
            _ => at,
        };
        midnights_between(self.admitted_at, end)
    }

    /// Days delayed at `at` (DOMAIN 2.8): for a patient in hospital at `at`, the local date
    /// of `at` minus the discharge ready date in force, if positive; for a discharged
    /// patient, the discharge date minus the ready date (0 = discharged on the ready date).
    /// `None` if there is no ready date, or the patient is in and not yet past it.
    ///
    /// # Errors
    ///
    /// None.
    pub fn delay_days(&self, at: DateTime<Utc>) -> Option<u32> {
        let drd = self.drd_at(at)?;
        let end = match self.discharged_at {
            Some(d) if d <= at => {
                let days = (crate::calendar::local_date(d) - drd).num_days();
                return u32::try_from(days).ok();
            }
            _ => crate::calendar::local_date(at),
        };
        let days = (end - drd).num_days();
        (days > 0).then(|| u32::try_from(days).unwrap_or(u32::MAX))
    }

    /// The delay reason in force at `at`: the latest recorded by then whose `from` date is
    /// on or before the local date of `at`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn delay_reason_at(&self, at: DateTime<Utc>) -> Option<&DelayEntry> {
        let day = crate::calendar::local_date(at);
        self.delays
            .iter()
            .rev()
            .find(|d| d.recorded_at <= at && d.from <= day)
    }

    /// The ward the patient is on at `at` (the admission ward before any move).
    ///
    /// # Errors
    ///
    /// None.
    pub fn ward_at(&self, at: DateTime<Utc>) -> Option<&WardId> {
        self.wards
            .iter()
            .rev()
            .find(|m| m.at <= at)
            .or(self.wards.first())
            .map(|m| &m.ward)
    }

    /// Whether the stay was escalated under `rule` at or before `at`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn escalated_under(&self, rule: &str, at: DateTime<Utc>) -> bool {
        self.escalations
            .iter()
            .any(|e| e.rule == rule && e.at <= at)
    }
}

/// A request to transfer a patient back to the referring (or local) hospital.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{RepatriationId, RepatriationStatus, StayId};
/// use carecoord::flow::Repatriation;
/// use chrono::{TimeZone, Utc};
///
/// let r = Repatriation {
///     id: RepatriationId::new("REP1")?,
///     stay: StayId::new("S1")?,
///     to_org: "SYN-TRUST-2".into(),
///     status: RepatriationStatus::Requested,
///     requested_at: Utc.with_ymd_and_hms(2026, 4, 3, 10, 0, 0).unwrap(),
///     accepted_at: None,
///     closed_at: None,
/// };
/// assert_eq!(r.status.as_str(), "requested");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repatriation {
    /// The request id.
    pub id: RepatriationId,
    /// The stay.
    pub stay: StayId,
    /// The receiving organisation (ODS code or local name).
    pub to_org: String,
    /// Where it stands.
    pub status: RepatriationStatus,
    /// When requested.
    #[serde(with = "serde_util::instant")]
    pub requested_at: DateTime<Utc>,
    /// When accepted by the receiving hospital.
    #[serde(with = "serde_util::opt_instant")]
    pub accepted_at: Option<DateTime<Utc>>,
    /// When transferred or cancelled.
    #[serde(with = "serde_util::opt_instant")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// An inter-hospital or discharge transport booking (a record only; no booking API).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Mobility, StayId, TransportId};
/// use carecoord::flow::TransportBooking;
/// use chrono::{TimeZone, Utc};
///
/// let t = TransportBooking {
///     id: TransportId::new("TR1")?,
///     stay: StayId::new("S1")?,
///     mobility: Mobility::Wheelchair,
///     booked_for: Utc.with_ymd_and_hms(2026, 4, 5, 13, 0, 0).unwrap(),
///     provider_ref: "NEPTS-4471".into(),
///     outcome: None,
/// };
/// assert!(t.outcome.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransportBooking {
    /// The booking id.
    pub id: TransportId,
    /// The stay.
    pub stay: StayId,
    /// Mobility need.
    pub mobility: Mobility,
    /// The booked pick-up time.
    #[serde(with = "serde_util::instant")]
    pub booked_for: DateTime<Utc>,
    /// The provider's reference.
    pub provider_ref: String,
    /// What happened, once known.
    pub outcome: Option<TransportOutcome>,
}

/// A handover of a patient between care settings, with its checklist (DOMAIN 1, post 002:
/// notes sent, notes received, package confirmed, with dates).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{HandoverId, PatientRef, Setting};
/// use carecoord::flow::Handover;
/// use chrono::{TimeZone, Utc};
///
/// let h = Handover {
///     id: HandoverId::new("HO1")?,
///     patient: PatientRef::new("P1")?,
///     from: Setting::Hospital,
///     to: Setting::Community,
///     started_at: Utc.with_ymd_and_hms(2026, 4, 5, 9, 0, 0).unwrap(),
///     notes_sent: None,
///     notes_received: None,
///     package_confirmed: None,
/// };
/// assert!(!h.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handover {
    /// The handover id.
    pub id: HandoverId,
    /// The patient.
    pub patient: PatientRef,
    /// The setting handing over.
    pub from: Setting,
    /// The setting taking over.
    pub to: Setting,
    /// When the handover was started.
    #[serde(with = "serde_util::instant")]
    pub started_at: DateTime<Utc>,
    /// Date the notes were sent.
    #[serde(with = "serde_util::opt_date")]
    pub notes_sent: Option<NaiveDate>,
    /// Date the notes were received.
    #[serde(with = "serde_util::opt_date")]
    pub notes_received: Option<NaiveDate>,
    /// Date the care package was confirmed.
    #[serde(with = "serde_util::opt_date")]
    pub package_confirmed: Option<NaiveDate>,
}

impl Handover {
    /// Whether all three checklist items are done.
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_complete(&self) -> bool {
        self.notes_sent.is_some()
            && self.notes_received.is_some()
            && self.package_confirmed.is_some()
    }
}
