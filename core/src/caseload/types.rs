//! Closed code lists of the caseload: registers, skills, bands, priorities, UCR conditions,
//! outcomes and the like. Each is written in JSON and in rows as its snake_case code
//! ([`as_str`](Skill::as_str)), and parsed back with `FromStr`.

use serde::{Deserialize, Serialize};

/// A code that is not in a closed code list; names the list, never the text.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Skill;
///
/// let err = "juggling".parse::<Skill>().unwrap_err();
/// assert_eq!(err.to_string(), "not a Skill code");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a {list} code")]
pub struct UnknownCode {
    /// The code list (`Skill`, `Priority`, ...).
    pub list: &'static str,
}

macro_rules! code_list {
    (
        $(#[$doc:meta])*
        $name:ident, example = ($variant_ex:ident, $code_ex:literal) {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$doc])*
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!("use carecoord::caseload::", stringify!($name), ";")]
        ///
        #[doc = concat!("let c: ", stringify!($name), " = \"", $code_ex, "\".parse()?;")]
        #[doc = concat!("assert_eq!(c, ", stringify!($name), "::", stringify!($variant_ex), ");")]
        #[doc = concat!("assert_eq!(c.as_str(), \"", $code_ex, "\");")]
        #[doc = concat!("assert!(", stringify!($name), "::ALL.contains(&c));")]
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case code written in JSON and rows.
            ///
            /// # Errors
            ///
            /// None.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::caseload::UnknownCode;
            fn from_str(s: &str) -> Result<Self, $crate::caseload::UnknownCode> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::caseload::UnknownCode { list: stringify!($name) }),
                }
            }
        }
    };
}

pub(crate) use code_list;

code_list!(
    /// A practice register a patient can be on (DOMAIN 1, post 002), with membership history.
    Register, example = (Palliative, "palliative") {
        /// Palliative care register.
        Palliative = "palliative",
        /// Learning disability register.
        LearningDisability = "learning_disability",
        /// Carers register.
        Carer = "carer",
    }
);

code_list!(
    /// Recorded frailty level (the eFI categories, DOMAIN 2.9), as recorded by the practice.
    FrailtyLevel, example = (Moderate, "moderate") {
        /// Fit.
        Fit = "fit",
        /// Mild frailty.
        Mild = "mild",
        /// Moderate frailty.
        Moderate = "moderate",
        /// Severe frailty.
        Severe = "severe",
    }
);

code_list!(
    /// A skill that work can require and staff can have.
    Skill, example = (Nursing, "nursing") {
        /// Registered nursing.
        Nursing = "nursing",
        /// Physiotherapy.
        Physiotherapy = "physiotherapy",
        /// Occupational therapy.
        OccupationalTherapy = "occupational_therapy",
        /// Paramedic practice.
        Paramedic = "paramedic",
        /// Social work.
        SocialWork = "social_work",
        /// Healthcare support work (assistant practitioner, HCA).
        HealthcareSupport = "healthcare_support",
        /// Non-medical prescribing.
        Prescribing = "prescribing",
        /// Palliative and end-of-life care.
        PalliativeCare = "palliative_care",
        /// Care coordination and administration.
        Coordination = "coordination",
        /// Hospital discharge coordination.
        DischargeCoordination = "discharge_coordination",
    }
);

code_list!(
    /// Agenda for Change pay band.
    Band, example = (B4, "4") {
        /// Band 2.
        B2 = "2",
        /// Band 3.
        B3 = "3",
        /// Band 4.
        B4 = "4",
        /// Band 5.
        B5 = "5",
        /// Band 6.
        B6 = "6",
        /// Band 7.
        B7 = "7",
        /// Band 8a.
        B8a = "8a",
        /// Band 8b.
        B8b = "8b",
        /// Band 8c.
        B8c = "8c",
        /// Band 8d.
        B8d = "8d",
        /// Band 9.
        B9 = "9",
    }
);

code_list!(
    /// A care team role (DOMAIN 1, post 002: GPs, nurses, pharmacists, link workers, ...).
    CareRole, example = (Gp, "gp") {
        /// General practitioner.
        Gp = "gp",
        /// District or community nurse.
        DistrictNurse = "district_nurse",
        /// Pharmacist.
        Pharmacist = "pharmacist",
        /// Social prescribing link worker.
        LinkWorker = "link_worker",
        /// Health and wellbeing coach.
        HealthCoach = "health_coach",
        /// Care coordinator.
        CareCoordinator = "care_coordinator",
        /// Social worker.
        SocialWorker = "social_worker",
        /// Therapist (physiotherapy, occupational therapy).
        Therapist = "therapist",
        /// Any other role.
        Other = "other",
    }
);

code_list!(
    /// The response priority set at triage (DOMAIN 2.6).
    Priority, example = (Ucr2Hour, "ucr_2_hour") {
        /// Urgent Community Response two-hour crisis response.
        Ucr2Hour = "ucr_2_hour",
        /// Urgent Community Response two-day response (reablement, recovery).
        Ucr2Day = "ucr_2_day",
        /// Routine community referral.
        Routine = "routine",
    }
);

code_list!(
    /// The nine UCR clinical conditions or needs (NHS England 2022 guidance, DOMAIN 2.6),
    /// list version [`UCR_CONDITIONS_VERSION`].
    UcrCondition, example = (Fall, "fall") {
        /// Fall without apparent serious injury.
        Fall = "fall",
        /// Decompensation of frailty.
        FrailtyDecompensation = "frailty_decompensation",
        /// Reduced function, deconditioning or reduced mobility.
        ReducedFunction = "reduced_function",
        /// Palliative or end-of-life crisis support.
        PalliativeCrisis = "palliative_crisis",
        /// Urgent equipment provision.
        UrgentEquipment = "urgent_equipment",
        /// Confusion or delirium.
        ConfusionDelirium = "confusion_delirium",
        /// Urgent catheter care.
        UrgentCatheterCare = "urgent_catheter_care",
        /// Urgent support for diabetes.
        UrgentDiabetesSupport = "urgent_diabetes_support",
        /// Breakdown of unpaid carer support that would otherwise cause a health crisis.
        CarerBreakdown = "carer_breakdown",
    }
);

/// The version of the UCR condition list in [`UcrCondition`]: NHS England guidance 2022.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{UcrCondition, UCR_CONDITIONS_VERSION};
///
/// assert_eq!(UCR_CONDITIONS_VERSION, "nhse-2022");
/// assert_eq!(UcrCondition::ALL.len(), 9);
/// ```
pub const UCR_CONDITIONS_VERSION: &str = "nhse-2022";

code_list!(
    /// What a duty-desk request asks for (DOMAIN 1, post 003); such requests are short-lived
    /// referrals with a working-day deadline from receipt.
    DutyRequest, example = (Prescription, "prescription") {
        /// An appointment request.
        Appointment = "appointment",
        /// A repeat prescription request (status only; no prescribing).
        Prescription = "prescription",
        /// A request to be signposted to another service.
        Signposting = "signposting",
        /// A request for an onward referral to secondary care, as instructed.
        OnwardReferral = "onward_referral",
        /// Anything else.
        Other = "other",
    }
);

code_list!(
    /// How a referral ended.
    CloseOutcome, example = (Completed, "completed") {
        /// The episode of care was completed.
        Completed = "completed",
        /// The patient was signposted to another service.
        Signposted = "signposted",
        /// The patient was referred onward.
        ReferredOnward = "referred_onward",
        /// The referral was declined (not appropriate for the service).
        Declined = "declined",
        /// The referrer or patient withdrew it.
        Withdrawn = "withdrawn",
        /// The patient was admitted to hospital.
        Admitted = "admitted",
        /// The patient died.
        Died = "died",
        /// A duplicate of another referral.
        Duplicate = "duplicate",
    }
);

code_list!(
    /// How a contact was made.
    ContactMode, example = (HomeVisit, "home_visit") {
        /// Telephone.
        Phone = "phone",
        /// Visit at home (or usual place of residence).
        HomeVisit = "home_visit",
        /// Clinic or practice appointment.
        Clinic = "clinic",
        /// Video consultation.
        Video = "video",
        /// Letter.
        Letter = "letter",
        /// Email or electronic message.
        Message = "message",
        /// Group consultation.
        Group = "group",
    }
);

code_list!(
    /// What came of a contact. A contact linked to a referral whose outcome
    /// [`is_made`](ContactOutcome::is_made) is the referral's first contact if it has none.
    ContactOutcome, example = (Made, "made") {
        /// The patient (or their representative) was reached and the contact took place.
        Made = "made",
        /// Not reached (no answer, not at home).
        NoAnswer = "no_answer",
        /// The patient did not attend.
        DidNotAttend = "did_not_attend",
        /// Cancelled by the patient.
        CancelledByPatient = "cancelled_by_patient",
        /// Cancelled by the service.
        CancelledByService = "cancelled_by_service",
    }
);

impl ContactOutcome {
    /// Whether the contact took place (only [`ContactOutcome::Made`]).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::ContactOutcome;
    /// assert!(ContactOutcome::Made.is_made());
    /// assert!(!ContactOutcome::NoAnswer.is_made());
    /// ```
    pub fn is_made(self) -> bool {
        self == ContactOutcome::Made
    }
}

code_list!(
    /// Progress of a care plan goal.
    GoalStatus, example = (Achieved, "achieved") {
        /// Being worked on.
        Active = "active",
        /// Achieved.
        Achieved = "achieved",
        /// Partly achieved.
        PartlyAchieved = "partly_achieved",
        /// Not achieved.
        NotAchieved = "not_achieved",
        /// No longer pursued.
        Withdrawn = "withdrawn",
    }
);

code_list!(
    /// The kind of a task or action.
    TaskKind, example = (ChaseDocument, "chase_document") {
        /// A follow-up with the patient or another service.
        FollowUp = "follow_up",
        /// Chase a document or reply from another organisation.
        ChaseDocument = "chase_document",
        /// Feed back to the referrer.
        ReferrerFeedback = "referrer_feedback",
        /// An action to progress a hospital discharge.
        DischargeAction = "discharge_action",
        /// An item of a handover between care settings.
        Handover = "handover",
        /// A meeting action.
        MeetingAction = "meeting_action",
        /// Anything else.
        Other = "other",
    }
);

code_list!(
    /// Why a member of staff is away.
    AbsenceKind, example = (Sickness, "sickness") {
        /// Sickness.
        Sickness = "sickness",
        /// Annual leave.
        AnnualLeave = "annual_leave",
        /// Training or study leave.
        Training = "training",
        /// Any other absence.
        Other = "other",
    }
);

code_list!(
    /// How a patient was admitted.
    AdmissionMethod, example = (Emergency, "emergency") {
        /// Emergency (acute, unplanned) admission.
        Emergency = "emergency",
        /// Elective (planned) admission.
        Elective = "elective",
        /// Transfer from another hospital.
        Transfer = "transfer",
    }
);

code_list!(
    /// Where a patient went on leaving hospital.
    Destination, example = (UsualResidence, "usual_residence") {
        /// Home or usual place of residence.
        UsualResidence = "usual_residence",
        /// A care home (residential or nursing).
        CareHome = "care_home",
        /// A community hospital or other bedded rehabilitation.
        CommunityBed = "community_bed",
        /// Another acute hospital (repatriation or specialist care).
        OtherHospital = "other_hospital",
        /// A hospice.
        Hospice = "hospice",
        /// The patient died.
        Died = "died",
        /// Anywhere else.
        Other = "other",
    }
);

code_list!(
    /// Where a repatriation request stands.
    RepatriationStatus, example = (Accepted, "accepted") {
        /// Requested of the receiving hospital.
        Requested = "requested",
        /// Accepted by the receiving hospital.
        Accepted = "accepted",
        /// The patient was transferred.
        Transferred = "transferred",
        /// Cancelled.
        Cancelled = "cancelled",
    }
);

code_list!(
    /// The mobility need a transport booking must meet.
    Mobility, example = (Wheelchair, "wheelchair") {
        /// Walks with or without help.
        Walking = "walking",
        /// Travels in a wheelchair.
        Wheelchair = "wheelchair",
        /// Needs a stretcher.
        Stretcher = "stretcher",
        /// Needs bariatric transport.
        Bariatric = "bariatric",
    }
);

code_list!(
    /// What happened to a transport booking.
    TransportOutcome, example = (Completed, "completed") {
        /// The journey took place.
        Completed = "completed",
        /// Cancelled before the journey.
        Cancelled = "cancelled",
        /// The crew arrived but the patient was not ready.
        PatientNotReady = "patient_not_ready",
        /// The provider did not arrive.
        ProviderFailed = "provider_failed",
    }
);

code_list!(
    /// A care setting, for handovers.
    Setting, example = (Hospital, "hospital") {
        /// Acute hospital.
        Hospital = "hospital",
        /// Community health services.
        Community = "community",
        /// General practice.
        GeneralPractice = "general_practice",
        /// Care home.
        CareHome = "care_home",
        /// Adult social care.
        SocialCare = "social_care",
        /// Hospice.
        Hospice = "hospice",
        /// Out-of-hours provider.
        OutOfHours = "out_of_hours",
        /// Anywhere else.
        Other = "other",
    }
);

code_list!(
    /// An item of the handover checklist (DOMAIN 1, post 002).
    HandoverItem, example = (NotesSent, "notes_sent") {
        /// Notes sent by the setting handing over.
        NotesSent = "notes_sent",
        /// Notes received by the setting taking over.
        NotesReceived = "notes_received",
        /// The care package is confirmed in place.
        PackageConfirmed = "package_confirmed",
    }
);
