//! The one event type: every change to a caseload is an [`Event`], journalled with who made
//! it and when ([`Envelope`](crate::journal::Envelope)). The caseload's state is the fold of
//! its events.
//!
//! JSON: externally tagged with snake_case names, e.g.
//! `{"referral_triaged":{"referral":"R-1","priority":"ucr_2_hour","ucr_condition":"fall"}}`.
//! Unknown fields are refused. Instants are RFC 3339 (UTC written with `Z`), dates
//! `YYYY-MM-DD`. Where an event does not carry its own instant, the envelope's `at` (when
//! the change was recorded) is the time of the change.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::serde_util;
use super::{
    AbsenceId, AbsenceKind, AdmissionMethod, Band, CarePlanId, CareRole, CaseloadError,
    CloseOutcome, ContactId, ContactMode, ContactOutcome, Destination, DutyRequest, FrailtyLevel,
    Goal, GoalId, GoalStatus, HandoverId, HandoverItem, Mobility, Note, OutcomeMeasure, PatientRef,
    Priority, ReferralId, Register, RepatriationId, RepatriationStatus, Setting, Settings, Skill,
    StaffId, StayId, TaskId, TaskKind, TransportId, TransportOutcome, UcrCondition, WardId,
};
use crate::ids::{NhsNumber, SnomedId};

/// Every change to a caseload.
///
/// Validation happens when the event is applied ([`Caseload::apply`](super::Caseload::apply)):
/// an event that breaks the model is rejected with a [`CaseloadError`] and changes nothing.
/// `Debug` shows free text only as its length ([`Note`]) and NHS numbers masked.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Event, ReferralId};
///
/// let json = r#"{"referral_accepted":{"referral":"R-7"}}"#;
/// let e = Event::from_json(json)?;
/// assert_eq!(e, Event::ReferralAccepted { referral: ReferralId::new("R-7")? });
/// assert_eq!(e.kind(), "referral_accepted");
/// assert_eq!(e.to_json(), json);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    // ---- settings -------------------------------------------------------------------
    /// Replaces the settings. Deadlines already set keep their values.
    Configured(Settings),

    // ---- patients -------------------------------------------------------------------
    /// A patient joins the caseload.
    PatientRegistered {
        /// New local reference.
        patient: PatientRef,
        /// NHS number, if known (masked in `Debug`).
        #[serde(
            with = "serde_util::opt_nhs",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        nhs_number: Option<NhsNumber>,
        /// GP practice code.
        practice: String,
        /// Date of birth.
        #[serde(with = "serde_util::date")]
        birth_date: NaiveDate,
    },
    /// The patient's GP practice changed.
    PracticeChanged {
        /// The patient.
        patient: PatientRef,
        /// New practice code.
        practice: String,
    },
    /// The patient joins a register on a date.
    RegisterJoined {
        /// The patient.
        patient: PatientRef,
        /// The register.
        register: Register,
        /// First day on it.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// The patient leaves a register on a date.
    RegisterLeft {
        /// The patient.
        patient: PatientRef,
        /// The register.
        register: Register,
        /// Day they came off it.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// A frailty level is recorded.
    FrailtyRecorded {
        /// The patient.
        patient: PatientRef,
        /// Level.
        level: FrailtyLevel,
        /// Date assessed.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// A safeguarding concern is raised (restricted).
    SafeguardingRaised {
        /// The patient.
        patient: PatientRef,
        /// Date raised.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// The safeguarding concern is closed.
    SafeguardingClosed {
        /// The patient.
        patient: PatientRef,
    },
    /// A ReSPECT form is recorded (presence, dates, where held; no content).
    RespectRecorded {
        /// The patient.
        patient: PatientRef,
        /// Date completed.
        #[serde(with = "serde_util::date")]
        completed_on: NaiveDate,
        /// Review date, if set.
        #[serde(
            with = "serde_util::opt_date",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        review_on: Option<NaiveDate>,
        /// Where the form is held.
        held_at: String,
    },
    /// Someone joins the patient's care team.
    CareTeamJoined {
        /// The patient.
        patient: PatientRef,
        /// Person id.
        member: String,
        /// Role.
        role: CareRole,
    },
    /// Someone leaves the patient's care team.
    CareTeamLeft {
        /// The patient.
        patient: PatientRef,
        /// Person id.
        member: String,
    },

    // ---- staff, rota, absence -------------------------------------------------------------
    /// A member of staff joins the team.
    StaffJoined {
        /// New staff id.
        staff: StaffId,
        /// Band.
        band: Band,
        /// Skills.
        skills: Vec<Skill>,
    },
    /// A member of staff's skills are replaced.
    SkillsChanged {
        /// The staff member.
        staff: StaffId,
        /// New skills.
        skills: Vec<Skill>,
    },
    /// A member of staff leaves; `on` is their last working day.
    StaffLeft {
        /// The staff member.
        staff: StaffId,
        /// Last working day.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// A member of staff's weekly rota is set from a date.
    RotaSet {
        /// The staff member.
        staff: StaffId,
        /// Weekdays worked.
        #[serde(with = "serde_util::weekdays")]
        days: Vec<Weekday>,
        /// Allocations per shift.
        capacity: u32,
        /// First day the rota applies.
        #[serde(with = "serde_util::date")]
        from: NaiveDate,
    },
    /// An absence is recorded (dates inclusive).
    AbsenceRecorded {
        /// New absence id.
        absence: AbsenceId,
        /// Who is away.
        staff: StaffId,
        /// Why.
        kind: AbsenceKind,
        /// First day.
        #[serde(with = "serde_util::date")]
        from: NaiveDate,
        /// Last day.
        #[serde(with = "serde_util::date")]
        to: NaiveDate,
    },
    /// An absence is cancelled.
    AbsenceCancelled {
        /// The absence.
        absence: AbsenceId,
    },
    /// Cover is arranged for one day of an absence.
    CoverArranged {
        /// The absence.
        absence: AbsenceId,
        /// The day covered.
        #[serde(with = "serde_util::date")]
        date: NaiveDate,
        /// Who covers.
        cover: StaffId,
    },

    // ---- referrals --------------------------------------------------------------------------
    /// A referral (or, with `duty`, a duty-desk request) is received.
    ReferralReceived {
        /// New referral id.
        referral: ReferralId,
        /// The patient.
        patient: PatientRef,
        /// When it was received (not after the envelope's `at`).
        #[serde(with = "serde_util::instant")]
        received_at: DateTime<Utc>,
        /// Who referred.
        referrer: String,
        /// For a duty-desk request, what it asks for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duty: Option<DutyRequest>,
        /// A skill the work needs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        required_skill: Option<Skill>,
    },
    /// The referral is triaged (or re-triaged before first contact).
    ReferralTriaged {
        /// The referral.
        referral: ReferralId,
        /// Priority.
        priority: Priority,
        /// UCR condition, required for `ucr_2_hour`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ucr_condition: Option<UcrCondition>,
    },
    /// The service accepts the referral.
    ReferralAccepted {
        /// The referral.
        referral: ReferralId,
    },
    /// The referral is allocated (or re-allocated) to a member of staff.
    ReferralAllocated {
        /// The referral.
        referral: ReferralId,
        /// Who takes it.
        staff: StaffId,
    },
    /// The patient is signposted to another service; closes the referral.
    ReferralSignposted {
        /// The referral.
        referral: ReferralId,
        /// The service signposted to.
        service: String,
    },
    /// The patient is referred onward; closes the referral.
    ReferredOnward {
        /// The referral.
        referral: ReferralId,
        /// The organisation or service referred to.
        to: String,
    },
    /// The referral is closed.
    ReferralClosed {
        /// The referral.
        referral: ReferralId,
        /// How it ended (not `signposted` or `referred_onward`: those have their own events).
        outcome: CloseOutcome,
    },

    // ---- contacts ---------------------------------------------------------------------------
    /// A contact is logged. Linked to an open referral with outcome `made`, it is the
    /// referral's first contact if it has none.
    ContactLogged {
        /// New contact id.
        contact: ContactId,
        /// The patient.
        patient: PatientRef,
        /// Who made it.
        staff: StaffId,
        /// When it took place (not after the envelope's `at`).
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
        /// How.
        mode: ContactMode,
        /// Outcome.
        outcome: ContactOutcome,
        /// The referral it was for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referral: Option<ReferralId>,
        /// SNOMED CT concept (partition 00 or 10).
        #[serde(
            with = "serde_util::opt_snomed",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        snomed: Option<SnomedId>,
        /// Duration in minutes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<u32>,
    },

    // ---- care plans and outcome measures --------------------------------------------------------
    /// A personalised care and support plan is agreed.
    CarePlanAgreed {
        /// New plan id.
        plan: CarePlanId,
        /// The patient.
        patient: PatientRef,
        /// Date agreed.
        #[serde(with = "serde_util::date")]
        agreed_on: NaiveDate,
        /// First review date.
        #[serde(with = "serde_util::date")]
        review_on: NaiveDate,
        /// Goals.
        #[serde(default)]
        goals: Vec<Goal>,
        /// Shared with the out-of-hours provider.
        #[serde(default)]
        shared_with_ooh: bool,
    },
    /// The plan is reviewed and the next review set.
    CarePlanReviewed {
        /// The plan.
        plan: CarePlanId,
        /// Date reviewed.
        #[serde(with = "serde_util::date")]
        reviewed_on: NaiveDate,
        /// Next review date.
        #[serde(with = "serde_util::date")]
        next_review_on: NaiveDate,
    },
    /// A goal is added to the plan.
    GoalAdded {
        /// The plan.
        plan: CarePlanId,
        /// The goal.
        goal: Goal,
    },
    /// A goal's status changes.
    GoalUpdated {
        /// The plan.
        plan: CarePlanId,
        /// The goal.
        goal: GoalId,
        /// New status.
        status: GoalStatus,
    },
    /// The plan is closed.
    CarePlanClosed {
        /// The plan.
        plan: CarePlanId,
        /// Date closed.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// An outcome measure is recorded (values only).
    OutcomeRecorded {
        /// The patient.
        patient: PatientRef,
        /// Date assessed.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
        /// The measure.
        measure: OutcomeMeasure,
    },

    // ---- tasks ----------------------------------------------------------------------------------
    /// A task is created. Links are optional; a patient is inferred from the referral, stay or
    /// plan when not given, and must agree with them when given.
    TaskCreated {
        /// New task id.
        task: TaskId,
        /// Owner.
        owner: StaffId,
        /// Due date.
        #[serde(with = "serde_util::date")]
        due: NaiveDate,
        /// Kind.
        kind: TaskKind,
        /// What is to be done.
        text: Note,
        /// The patient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        patient: Option<PatientRef>,
        /// The referral.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referral: Option<ReferralId>,
        /// The stay.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stay: Option<StayId>,
        /// The care plan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        care_plan: Option<CarePlanId>,
    },
    /// The task gets a new owner.
    TaskReassigned {
        /// The task.
        task: TaskId,
        /// New owner.
        owner: StaffId,
    },
    /// The task's due date changes.
    TaskDueChanged {
        /// The task.
        task: TaskId,
        /// New due date.
        #[serde(with = "serde_util::date")]
        due: NaiveDate,
    },
    /// The task was chased (at the envelope's `at`, by its `who`).
    TaskChased {
        /// The task.
        task: TaskId,
    },
    /// The task is done.
    TaskDone {
        /// The task.
        task: TaskId,
        /// Date done.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
    /// The task is cancelled.
    TaskCancelled {
        /// The task.
        task: TaskId,
        /// Date cancelled.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },

    // ---- hospital flow ----------------------------------------------------------------------------
    /// A ward opens.
    WardOpened {
        /// New ward id.
        ward: WardId,
        /// Site.
        site: String,
        /// Beds.
        beds: u32,
    },
    /// A ward's bed count changes.
    WardBedsChanged {
        /// The ward.
        ward: WardId,
        /// New number of beds.
        beds: u32,
    },
    /// A patient is admitted.
    Admitted {
        /// New stay id.
        stay: StayId,
        /// The patient (not already in hospital).
        patient: PatientRef,
        /// Admission ward.
        ward: WardId,
        /// When admitted (not after the envelope's `at`).
        #[serde(with = "serde_util::instant")]
        admitted_at: DateTime<Utc>,
        /// How.
        method: AdmissionMethod,
        /// The referring organisation, if another hospital.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referring_org: Option<String>,
    },
    /// The patient moves ward (at the envelope's `at`).
    WardTransferred {
        /// The stay.
        stay: StayId,
        /// The ward moved to.
        ward: WardId,
    },
    /// The discharge ready date is set or revised.
    DischargeReadyDateSet {
        /// The stay.
        stay: StayId,
        /// The date.
        #[serde(with = "serde_util::date")]
        date: NaiveDate,
    },
    /// A delay reason is recorded from a date (on or after the discharge ready date).
    DelayRecorded {
        /// The stay.
        stay: StayId,
        /// Delay-reason list version.
        version: String,
        /// Reason code.
        code: String,
        /// The date it applies from.
        #[serde(with = "serde_util::date")]
        from: NaiveDate,
    },
    /// The stay is escalated under a configured rule.
    Escalated {
        /// The stay.
        stay: StayId,
        /// Rule id.
        rule: String,
    },
    /// Repatriation to another hospital is requested.
    RepatriationRequested {
        /// New request id.
        repatriation: RepatriationId,
        /// The stay.
        stay: StayId,
        /// The receiving organisation.
        to_org: String,
    },
    /// A repatriation request moves on (`accepted`, `transferred` or `cancelled`).
    RepatriationUpdated {
        /// The request.
        repatriation: RepatriationId,
        /// New status.
        status: RepatriationStatus,
    },
    /// Transport is booked.
    TransportBooked {
        /// New booking id.
        transport: TransportId,
        /// The stay.
        stay: StayId,
        /// Mobility need.
        mobility: Mobility,
        /// Pick-up time.
        #[serde(with = "serde_util::instant")]
        booked_for: DateTime<Utc>,
        /// Provider's reference.
        provider_ref: String,
    },
    /// What happened to a transport booking.
    TransportCompleted {
        /// The booking.
        transport: TransportId,
        /// Outcome.
        outcome: TransportOutcome,
    },
    /// The patient is discharged.
    Discharged {
        /// The stay.
        stay: StayId,
        /// When (not before admission, not after the envelope's `at`).
        #[serde(with = "serde_util::instant")]
        discharged_at: DateTime<Utc>,
        /// Where to.
        destination: Destination,
    },
    /// The GP practice reviewed the discharge.
    DischargeReviewed {
        /// The stay.
        stay: StayId,
    },

    // ---- handovers ----------------------------------------------------------------------------------
    /// A handover between settings starts.
    HandoverStarted {
        /// New handover id.
        handover: HandoverId,
        /// The patient.
        patient: PatientRef,
        /// Setting handing over.
        from: Setting,
        /// Setting taking over.
        to: Setting,
    },
    /// A checklist item of a handover is done on a date.
    HandoverItemDone {
        /// The handover.
        handover: HandoverId,
        /// The item.
        item: HandoverItem,
        /// Date done.
        #[serde(with = "serde_util::date")]
        on: NaiveDate,
    },
}

/// The snake_case names of every event kind, in declaration order.
///
/// # Example
///
/// ```
/// use carecoord::caseload::EVENT_KINDS;
/// assert_eq!(EVENT_KINDS.len(), 53);
/// assert_eq!(EVENT_KINDS[0], "configured");
/// ```
pub const EVENT_KINDS: [&str; 53] = [
    "configured",
    "patient_registered",
    "practice_changed",
    "register_joined",
    "register_left",
    "frailty_recorded",
    "safeguarding_raised",
    "safeguarding_closed",
    "respect_recorded",
    "care_team_joined",
    "care_team_left",
    "staff_joined",
    "skills_changed",
    "staff_left",
    "rota_set",
    "absence_recorded",
    "absence_cancelled",
    "cover_arranged",
    "referral_received",
    "referral_triaged",
    "referral_accepted",
    "referral_allocated",
    "referral_signposted",
    "referred_onward",
    "referral_closed",
    "contact_logged",
    "care_plan_agreed",
    "care_plan_reviewed",
    "goal_added",
    "goal_updated",
    "care_plan_closed",
    "outcome_recorded",
    "task_created",
    "task_reassigned",
    "task_due_changed",
    "task_chased",
    "task_done",
    "task_cancelled",
    "ward_opened",
    "ward_beds_changed",
    "admitted",
    "ward_transferred",
    "discharge_ready_date_set",
    "delay_recorded",
    "escalated",
    "repatriation_requested",
    "repatriation_updated",
    "transport_booked",
    "transport_completed",
    "discharged",
    "discharge_reviewed",
    "handover_started",
    "handover_item_done",
];

impl Event {
    /// The event's snake_case kind, as in its JSON tag (one of [`EVENT_KINDS`]).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Event, StayId};
    /// assert_eq!(Event::DischargeReviewed { stay: StayId::new("S1")? }.kind(), "discharge_reviewed");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Configured(_) => "configured",
            Event::PatientRegistered { .. } => "patient_registered",
            Event::PracticeChanged { .. } => "practice_changed",
            Event::RegisterJoined { .. } => "register_joined",
            Event::RegisterLeft { .. } => "register_left",
            Event::FrailtyRecorded { .. } => "frailty_recorded",
            Event::SafeguardingRaised { .. } => "safeguarding_raised",
            Event::SafeguardingClosed { .. } => "safeguarding_closed",
            Event::RespectRecorded { .. } => "respect_recorded",
            Event::CareTeamJoined { .. } => "care_team_joined",
            Event::CareTeamLeft { .. } => "care_team_left",
            Event::StaffJoined { .. } => "staff_joined",
            Event::SkillsChanged { .. } => "skills_changed",
            Event::StaffLeft { .. } => "staff_left",
            Event::RotaSet { .. } => "rota_set",
            Event::AbsenceRecorded { .. } => "absence_recorded",
            Event::AbsenceCancelled { .. } => "absence_cancelled",
            Event::CoverArranged { .. } => "cover_arranged",
            Event::ReferralReceived { .. } => "referral_received",
            Event::ReferralTriaged { .. } => "referral_triaged",
            Event::ReferralAccepted { .. } => "referral_accepted",
            Event::ReferralAllocated { .. } => "referral_allocated",
            Event::ReferralSignposted { .. } => "referral_signposted",
            Event::ReferredOnward { .. } => "referred_onward",
            Event::ReferralClosed { .. } => "referral_closed",
            Event::ContactLogged { .. } => "contact_logged",
            Event::CarePlanAgreed { .. } => "care_plan_agreed",
            Event::CarePlanReviewed { .. } => "care_plan_reviewed",
            Event::GoalAdded { .. } => "goal_added",
            Event::GoalUpdated { .. } => "goal_updated",
            Event::CarePlanClosed { .. } => "care_plan_closed",
            Event::OutcomeRecorded { .. } => "outcome_recorded",
            Event::TaskCreated { .. } => "task_created",
            Event::TaskReassigned { .. } => "task_reassigned",
            Event::TaskDueChanged { .. } => "task_due_changed",
            Event::TaskChased { .. } => "task_chased",
            Event::TaskDone { .. } => "task_done",
            Event::TaskCancelled { .. } => "task_cancelled",
            Event::WardOpened { .. } => "ward_opened",
            Event::WardBedsChanged { .. } => "ward_beds_changed",
            Event::Admitted { .. } => "admitted",
            Event::WardTransferred { .. } => "ward_transferred",
            Event::DischargeReadyDateSet { .. } => "discharge_ready_date_set",
            Event::DelayRecorded { .. } => "delay_recorded",
            Event::Escalated { .. } => "escalated",
            Event::RepatriationRequested { .. } => "repatriation_requested",
            Event::RepatriationUpdated { .. } => "repatriation_updated",
            Event::TransportBooked { .. } => "transport_booked",
            Event::TransportCompleted { .. } => "transport_completed",
            Event::Discharged { .. } => "discharged",
            Event::DischargeReviewed { .. } => "discharge_reviewed",
            Event::HandoverStarted { .. } => "handover_started",
            Event::HandoverItemDone { .. } => "handover_item_done",
        }
    }

    /// Parses one event from JSON (the form [`Event::to_json`] writes).
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidJson`] with the line, column and category of the problem
    /// (`syntax`, `data` for a wrong field, type or value, `eof`); never the text itself.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{CaseloadError, Event};
    ///
    /// let err = Event::from_json(r#"{"referral_accepted":{"referral":"R-7","extra":1}}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid_json");
    /// assert!(matches!(err, CaseloadError::InvalidJson { category: "data", line: 1, .. }));
    /// ```
    pub fn from_json(text: &str) -> Result<Event, CaseloadError> {
        serde_json::from_str(text).map_err(|e| CaseloadError::from_json_error(&e))
    }

    /// The event as compact JSON.
    ///
    /// # Errors
    ///
    /// None: every event serializes.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::{Event, PatientRef};
    /// let e = Event::SafeguardingClosed { patient: PatientRef::new("P1")? };
    /// assert_eq!(e.to_json(), r#"{"safeguarding_closed":{"patient":"P1"}}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
