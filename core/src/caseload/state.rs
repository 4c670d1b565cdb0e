//! The [`Caseload`] state, its constructor, accessors and the apply/check entry points.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::settings::Compiled;
use super::{
    Absence, AbsenceId, CarePlan, CarePlanId, CaseloadError, Contact, ContactId, Event, HandoverId,
    Patient, PatientRef, Referral, ReferralId, RepatriationId, Settings, Staff, StaffId, StayId,
    Task, TaskId, TransportId, WardId,
};
use crate::calendar::{local_date, ServiceHours};
use crate::flow::{Handover, Repatriation, Stay, TransportBooking, Ward};
use crate::ids::NhsNumber;
use crate::journal::Envelope;

/// The mutation an accepted event makes, prepared while checking it.
pub(crate) type Commit<'e> = Box<dyn FnOnce(&mut Caseload) + 'e>;

/// The context of the event being checked: for error messages and times.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'e> {
    pub(crate) seq: u64,
    pub(crate) kind: &'static str,
    pub(crate) who: &'e str,
    pub(crate) at: DateTime<Utc>,
    /// Local (`Europe/London`) date of `at`.
    pub(crate) day: NaiveDate,
}

/// A caseload: patients, staff and rota, referrals, contacts, care plans, tasks, and the
/// hospital flow (wards, stays, delays, repatriation, transport, handovers), as the fold of
/// its events.
///
/// Build one with [`Caseload::new`] and [`Caseload::apply`] events in journal order, or
/// replay a journal ([`Caseload::replay`], [`CaseloadJournal::open`]). `apply` checks an
/// event against the model first and changes nothing if it is rejected. The state contains
/// only what the events say (and deadlines the settings in force computed from them), so
/// the same events always give the same state, byte for byte when serialized
/// ([`Caseload::to_json`]).
///
/// `Debug` shows entity counts only.
///
/// [`CaseloadJournal::open`]: super::CaseloadJournal::open
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Caseload, Event, PatientRef};
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let mut c = Caseload::new();
/// let e = Envelope {
///     seq: 1,
///     who: "pcc-1".to_string(),
///     at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
///     event: Event::PatientRegistered {
///         patient: PatientRef::new("P1")?,
///         nhs_number: None,
///         practice: "SYN001".into(),
///         birth_date: NaiveDate::from_ymd_opt(1944, 2, 29).unwrap(),
///     },
/// };
/// c.apply(&e)?;
/// assert_eq!((c.last_seq(), c.patients().count()), (1, 1));
/// // The same event again: the patient exists, and the sequence number is not new.
/// assert!(c.apply(&e).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Serialize)]
pub struct Caseload {
    pub(crate) settings: Settings,
    #[serde(skip)]
    pub(crate) compiled: Compiled,
    pub(crate) last_seq: u64,
    pub(crate) applied: u64,
    pub(crate) patients: BTreeMap<PatientRef, Patient>,
    pub(crate) staff: BTreeMap<StaffId, Staff>,
    pub(crate) absences: BTreeMap<AbsenceId, Absence>,
    pub(crate) referrals: BTreeMap<ReferralId, Referral>,
    pub(crate) contacts: BTreeMap<ContactId, Contact>,
    pub(crate) care_plans: BTreeMap<CarePlanId, CarePlan>,
    pub(crate) tasks: BTreeMap<TaskId, Task>,
    pub(crate) wards: BTreeMap<WardId, Ward>,
    pub(crate) stays: BTreeMap<StayId, Stay>,
    pub(crate) repatriations: BTreeMap<RepatriationId, Repatriation>,
    pub(crate) transports: BTreeMap<TransportId, TransportBooking>,
    pub(crate) handovers: BTreeMap<HandoverId, Handover>,
    /// Patients by NHS number (derived from `patients`; not serialized).
    #[serde(skip)]
    pub(crate) by_nhs: std::collections::HashMap<NhsNumber, PatientRef>,
}

impl fmt::Debug for Caseload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Caseload")
            .field("last_seq", &self.last_seq)
            .field("patients", &self.patients.len())
            .field("staff", &self.staff.len())
            .field("referrals", &self.referrals.len())
            .field("contacts", &self.contacts.len())
            .field("care_plans", &self.care_plans.len())
            .field("tasks", &self.tasks.len())
            .field("wards", &self.wards.len())
            .field("stays", &self.stays.len())
            .finish_non_exhaustive()
    }
}

impl Default for Caseload {
    fn default() -> Self {
        Self::new()
    }
}

impl Caseload {
    /// An empty caseload with the default [`Settings`].
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, Settings};
    /// let c = Caseload::new();
    /// assert_eq!(c.settings(), &Settings::default());
    /// assert_eq!(c.last_seq(), 0);
    /// ```
    pub fn new() -> Self {
        let settings = Settings::default();
        let compiled = match settings.compile() {
            Ok(c) => c,
            // The defaults are checked by a unit test; fall back to the presets regardless.
            Err(_) => Compiled {
                team: ServiceHours::community_seven_day(),
                duty: ServiceHours::weekday_office(crate::calendar::Region::EnglandAndWales),
                two_hours: chrono::TimeDelta::hours(2),
            },
        };
        Self {
            settings,
            compiled,
            last_seq: 0,
            applied: 0,
            patients: BTreeMap::new(),
            staff: BTreeMap::new(),
            absences: BTreeMap::new(),
            referrals: BTreeMap::new(),
            contacts: BTreeMap::new(),
            care_plans: BTreeMap::new(),
            tasks: BTreeMap::new(),
            wards: BTreeMap::new(),
            stays: BTreeMap::new(),
            repatriations: BTreeMap::new(),
            transports: BTreeMap::new(),
            handovers: BTreeMap::new(),
            by_nhs: std::collections::HashMap::new(),
        }
    }

    /// The patient with this NHS number, if one is registered with it (NHS numbers are unique
    /// in a caseload: a second registration with the same number is rejected).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, Event, PatientRef};
    /// use carecoord::journal::Envelope;
    /// use chrono::{NaiveDate, TimeZone, Utc};
    ///
    /// let n: carecoord::ids::NhsNumber = "9434765919".parse()?;
    /// let mut c = Caseload::new();
    /// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
    /// let reg = |id: &str| Event::PatientRegistered {
    ///     patient: PatientRef::new(id).unwrap(), nhs_number: Some(n), practice: "SYN001".into(),
    ///     birth_date: NaiveDate::from_ymd_opt(1950, 1, 1).unwrap(),
    /// };
    /// c.apply(&Envelope { seq: 1, who: "pcc".into(), at, event: reg("P1") })?;
    /// assert_eq!(c.patient_by_nhs_number(&n).unwrap().id.as_str(), "P1");
    /// let err = c.apply(&Envelope { seq: 2, who: "pcc".into(), at, event: reg("P2") }).unwrap_err();
    /// assert_eq!(err.to_string(), "event 2 (patient_registered): field `nhs_number`: a patient with this id already exists");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn patient_by_nhs_number(&self, nhs_number: &NhsNumber) -> Option<&Patient> {
        self.by_nhs
            .get(nhs_number)
            .and_then(|id| self.patients.get(id.as_str()))
    }

    /// Checks `event` against the model and, if it is accepted, applies it.
    ///
    /// The envelope's `seq` must be greater than that of the last applied event, its `who`
    /// non-empty. Nothing changes when the event is rejected.
    ///
    /// # Errors
    ///
    /// A [`CaseloadError`] rejection (`not_found`, `duplicate`, `invalid_field`,
    /// `invalid_state`, `out_of_order`, `staff_unavailable`, `deadline`) naming the event's
    /// sequence number, kind and field.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, CaseloadError, Event, StayId};
    /// use carecoord::journal::Envelope;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let mut c = Caseload::new();
    /// let at = Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap();
    /// let event = Event::Discharged {
    ///     stay: StayId::new("S-1")?,
    ///     discharged_at: at,
    ///     destination: carecoord::caseload::Destination::UsualResidence,
    /// };
    /// let err = c.apply(&Envelope { seq: 1, who: "ops".into(), at, event }).unwrap_err();
    /// assert!(matches!(err, CaseloadError::NotFound { entity: "stay", .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, event: &Envelope<Event>) -> Result<(), CaseloadError> {
        let commit = self.plan(event)?;
        commit(self);
        self.last_seq = event.seq;
        self.applied += 1;
        Ok(())
    }

    /// Checks `event` against the model without applying it: `Ok` exactly when
    /// [`Caseload::apply`] would accept it.
    ///
    /// # Errors
    ///
    /// As [`Caseload::apply`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Caseload, Event, PatientRef};
    /// use carecoord::journal::Envelope;
    /// use chrono::{TimeZone, Utc};
    ///
    /// let c = Caseload::new();
    /// let at = Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap();
    /// let event = Event::SafeguardingClosed { patient: PatientRef::new("P9")? };
    /// assert_eq!(c.check(&Envelope { seq: 1, who: "pcc".into(), at, event }).unwrap_err().code(), "not_found");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, event: &Envelope<Event>) -> Result<(), CaseloadError> {
        self.plan(event).map(drop)
    }

    /// Checks the envelope, then the event; returns the mutation to make.
    fn plan<'e>(&self, env: &'e Envelope<Event>) -> Result<Commit<'e>, CaseloadError> {
        let cx = Cx {
            seq: env.seq,
            kind: env.event.kind(),
            who: &env.who,
            at: env.at,
            day: local_date(env.at),
        };
        if env.seq <= self.last_seq {
            return Err(cx.invalid("seq", "not after the last applied event"));
        }
        if env.who.trim().is_empty() {
            return Err(cx.invalid("who", "must not be empty"));
        }
        self.plan_event(cx, &env.event)
    }

    /// The settings in force.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// assert_eq!(Caseload::new().settings().ucr_2_hour_minutes, 120);
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The community team's service hours (from the settings).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// use carecoord::calendar::ServiceHours;
    /// assert_eq!(Caseload::new().team_hours(), &ServiceHours::community_seven_day());
    /// ```
    pub fn team_hours(&self) -> &ServiceHours {
        &self.compiled.team
    }

    /// Sequence number of the last applied event (0 if none).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carecoord::caseload::Caseload::new().last_seq(), 0);
    /// ```
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Number of events applied.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(carecoord::caseload::Caseload::new().applied(), 0);
    /// ```
    pub fn applied(&self) -> u64 {
        self.applied
    }

    /// The whole state as compact JSON, with maps in id order: the same events always give
    /// the same bytes. Holds identifiers: keep it where patient records are kept.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Caseload;
    /// assert_eq!(Caseload::new().to_json(), Caseload::new().to_json());
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

macro_rules! accessors {
    ($( $(#[$doc:meta])* $one:ident, $all:ident, $field:ident: $id:ty => $ty:ty, $ex_id:literal; )+) => {
        impl Caseload {
            $(
                $(#[$doc])*
                /// Takes the id as `&str` or as its id type.
                ///
                /// # Errors
                ///
                /// None; `None` if there is no such id.
                ///
                /// # Example
                ///
                /// ```
                /// use carecoord::caseload::Caseload;
                #[doc = concat!("assert!(Caseload::new().", stringify!($one), "(\"", $ex_id, "\").is_none());")]
                #[doc = concat!("assert_eq!(Caseload::new().", stringify!($all), "().count(), 0);")]
                /// ```
                pub fn $one<Q: AsRef<str> + ?Sized>(&self, id: &Q) -> Option<&$ty> {
                    self.$field.get(id.as_ref())
                }

                #[doc = concat!("Every entry, in id order (see [`Caseload::", stringify!($one), "`]).")]
                ///
                /// # Errors
                ///
                /// None.
                pub fn $all(&self) -> impl Iterator<Item = &$ty> + '_ {
                    self.$field.values()
                }
            )+
        }
    };
}

accessors! {
    /// The patient with this local reference.
    patient, patients, patients: PatientRef => Patient, "P1";
    /// The member of staff with this id.
    staff_member, staff, staff: StaffId => Staff, "ST1";
    /// The absence with this id.
    absence, absences, absences: AbsenceId => Absence, "A1";
    /// The referral with this id.
    referral, referrals, referrals: ReferralId => Referral, "R1";
    /// The contact with this id.
    contact, contacts, contacts: ContactId => Contact, "C1";
    /// The care plan with this id.
    care_plan, care_plans, care_plans: CarePlanId => CarePlan, "PLAN1";
    /// The task with this id.
    task, tasks, tasks: TaskId => Task, "T1";
    /// The ward with this id.
    ward, wards, wards: WardId => Ward, "W1";
    /// The inpatient stay with this id.
    stay, stays, stays: StayId => Stay, "S1";
    /// The repatriation request with this id.
    repatriation, repatriations, repatriations: RepatriationId => Repatriation, "REP1";
    /// The transport booking with this id.
    transport, transports, transports: TransportId => TransportBooking, "TR1";
    /// The handover with this id.
    handover, handovers, handovers: HandoverId => Handover, "HO1";
}

impl<'e> Cx<'e> {
    pub(crate) fn not_found(&self, field: &'static str, entity: &'static str) -> CaseloadError {
        CaseloadError::NotFound {
            seq: self.seq,
            event: self.kind,
            field,
            entity,
        }
    }

    pub(crate) fn duplicate(&self, field: &'static str, entity: &'static str) -> CaseloadError {
        CaseloadError::Duplicate {
            seq: self.seq,
            event: self.kind,
            field,
            entity,
        }
    }

    pub(crate) fn invalid(&self, field: &'static str, reason: &'static str) -> CaseloadError {
        CaseloadError::InvalidField {
            seq: self.seq,
            event: self.kind,
            field,
            reason,
        }
    }

    pub(crate) fn state(
        &self,
        entity: &'static str,
        state: &'static str,
        reason: &'static str,
    ) -> CaseloadError {
        CaseloadError::InvalidState {
            seq: self.seq,
            event: self.kind,
            entity,
            state,
            reason,
        }
    }

    pub(crate) fn order(&self, field: &'static str, reason: &'static str) -> CaseloadError {
        CaseloadError::OutOfOrder {
            seq: self.seq,
            event: self.kind,
            field,
            reason,
        }
    }

    pub(crate) fn unavailable(
        &self,
        field: &'static str,
        reason: super::Unavailable,
    ) -> CaseloadError {
        CaseloadError::StaffUnavailable {
            seq: self.seq,
            event: self.kind,
            field,
            reason,
        }
    }

    pub(crate) fn deadline(&self, source: crate::calendar::CalendarError) -> CaseloadError {
        CaseloadError::Deadline {
            seq: self.seq,
            event: self.kind,
            source,
        }
    }
}
