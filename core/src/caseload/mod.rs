//! The caseload: patients, staff and the 7-day rota, referrals through their life with
//! response deadlines and breach detection, contacts, personalised care plans, outcome
//! measures, tasks with chasing — and, with [`flow`](crate::flow), inpatient stays — kept as
//! the fold of a durable event journal.
//!
//! ## Overview
//!
//! * [`Event`]: every change, one serde-tagged enum (JSON:
//!   `{"referral_triaged":{"referral":"R-1","priority":"ucr_2_hour","ucr_condition":"fall"}}`);
//!   [`EVENT_KINDS`] lists the 53 kinds.
//! * [`Caseload`]: the state. [`Caseload::apply`] checks an event against the model and
//!   applies it, or rejects it with a typed [`CaseloadError`] and changes nothing (closing a
//!   referral that does not exist, a discharge before the admission, allocating to absent
//!   staff, ...). The state is a pure fold of the events, so replaying a journal gives the
//!   same state byte for byte ([`Caseload::to_json`]).
//! * [`CaseloadJournal`]: a caseload kept in a [`journal`](crate::journal) file (schema
//!   [`SCHEMA`]): [`CaseloadJournal::open`] replays it (repairing a torn tail after a
//!   crash), [`CaseloadJournal::record`] checks, appends durably, then applies.
//!   [`Caseload::replay`] replays read-only.
//! * Queries return plain rows for bindings (Arrow columns, JSON):
//!   [`Caseload::breaching_within`] (breaching or about to breach),
//!   [`Caseload::breaches_on`] (today's breaches), [`Caseload::caseload_of`],
//!   [`Caseload::workload`], [`Caseload::suggest_allocation`] (with a [`NoAllocation`]
//!   reason when nobody can take the work), [`Caseload::uncovered_shifts`],
//!   [`Caseload::reviews_due`], [`Caseload::chase_list`] (tasks plus MDT actions from
//!   [`schedule::ActionLog`](crate::schedule::ActionLog)s), [`Caseload::respect_worklist`],
//!   [`Caseload::register_members`], [`Caseload::ucr_two_hour_performance`]; the flow
//!   queries are listed in [`flow`](crate::flow).
//! * [`Settings`]: service hours, when clocks start, clock lengths, LOS convention and
//!   escalation rules; changed by an [`Event::Configured`] so replays use the settings that
//!   were in force.
//!
//! ## Response clocks
//!
//! A community referral's clock starts at receipt (or at acceptance, [`ClockStart`]) and
//! its deadline is set at triage from the team's service hours (08:00-18:00 every day,
//! bank holidays included, by default): UCR two-hour = 120 minutes of service time (the
//! clock pauses outside service hours, [`TwoHourClock`]); UCR two-day = close of the second
//! working day; routine = close of the tenth working day. A duty-desk request's deadline is
//! the close of the next working day of the duty desk (Monday-Friday), set at receipt. The
//! clock is met by the first contact with outcome `made` at or before the deadline
//! ([`Referral::clock_at`]). Deadlines are computed once, when the clock starts, and stored.
//!
//! ## Information governance
//!
//! Patients are named by opaque local references ([`PatientRef`]); ids and free text that
//! look like NHS numbers are refused. Errors name the event's sequence number, kind and
//! field, never a value. `Debug` of a [`Patient`] shows only its reference and practice;
//! free text ([`Note`]) shows only its length; NHS numbers are masked. Rows carry no NHS
//! number or date of birth. Safeguarding markers appear only in restricted output.
//!
//! ## Example
//!
//! ```
//! use carecoord::caseload::{Caseload, ClockStatus, Event, PatientRef, Priority, ReferralId, UcrCondition};
//! use carecoord::journal::Envelope;
//! use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
//!
//! let mut c = Caseload::new();
//! // A fall referred at 16:30 BST (15:30 UTC) on Friday 10 July 2026.
//! let t0 = Utc.with_ymd_and_hms(2026, 7, 10, 15, 30, 0).unwrap();
//! let events = vec![
//!     Event::PatientRegistered { patient: PatientRef::new("P1")?, nhs_number: None, practice: "SYN004".into(), birth_date: NaiveDate::from_ymd_opt(1939, 2, 11).unwrap() },
//!     Event::ReferralReceived { referral: ReferralId::new("R1")?, patient: PatientRef::new("P1")?, received_at: t0, referrer: "NHS 111".into(), duty: None, required_skill: None },
//!     Event::ReferralTriaged { referral: ReferralId::new("R1")?, priority: Priority::Ucr2Hour, ucr_condition: Some(UcrCondition::Fall) },
//! ];
//! for (i, event) in events.into_iter().enumerate() {
//!     c.apply(&Envelope { seq: i as u64 + 1, who: "duty-1".into(), at: t0, event })?;
//! }
//! // 90 minutes that day (to 18:00 BST), 30 the next morning: due 08:30 BST = 07:30 UTC.
//! let due = Utc.with_ymd_and_hms(2026, 7, 11, 7, 30, 0).unwrap();
//! assert_eq!(c.referral("R1").unwrap().due_at, Some(due));
//! // At 07:00 UTC it is about to breach within the hour...
//! let soon = c.breaching_within(Utc.with_ymd_and_hms(2026, 7, 11, 7, 0, 0).unwrap(), TimeDelta::hours(1));
//! assert_eq!((soon[0].clock, soon[0].minutes_to_due), (ClockStatus::Running, 30));
//! // ...and at 08:00 UTC it has breached.
//! let late = c.breaching_within(Utc.with_ymd_and_hms(2026, 7, 11, 8, 0, 0).unwrap(), TimeDelta::zero());
//! assert_eq!((late[0].clock, late[0].minutes_to_due), (ClockStatus::Breached, -30));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod apply;
mod error;
mod event;
mod ids;
mod model;
mod query;
pub(crate) mod serde_util;
mod settings;
mod state;
mod store;
mod table;
mod types;

#[cfg(test)]
mod tests;

pub use error::{CaseloadError, NoAllocation, Rejection, Unavailable};
pub use event::{Event, EVENT_KINDS};
pub use ids::{
    check_id, AbsenceId, CarePlanId, ContactId, GoalId, HandoverId, IdError, Note, PatientRef,
    ReferralId, RepatriationId, StaffId, StayId, TaskId, TransportId, WardId, MAX_ID_LEN,
    MAX_NOTE_LEN,
};
pub use model::{
    Absence, AbsenceSpan, CarePlan, CareTeamMember, ClockStatus, Contact, FrailtyRecord, Goal,
    OutcomeMeasure, OutcomeRecord, Patient, Referral, ReferralStatus, RegisterSpell, Respect, Rota,
    Staff, Task, TaskStatus,
};
pub use query::{
    AllocationSuggestion, BreachRow, CaseloadRow, ChaseRow, ChaseSource, RegisterMemberRow,
    RespectRow, ReviewRow, UcrPerformance, UncoveredShift, WorkloadRow,
};
pub use settings::{ClockStart, HoursSpec, Settings, TwoHourClock};
pub use state::Caseload;
pub use store::{BatchOutcome, CaseloadJournal, Replay, ReplayReport, SCHEMA};
pub use table::{
    events_to_batches, AllocationRow, BulkOptions, BulkReport, Query, RowReject, Rows, Session,
};
pub use types::{
    AbsenceKind, AdmissionMethod, Band, CareRole, CloseOutcome, ContactMode, ContactOutcome,
    Destination, DutyRequest, FrailtyLevel, GoalStatus, HandoverItem, Mobility, Priority, Register,
    RepatriationStatus, Setting, Skill, TaskKind, TransportOutcome, UcrCondition, UnknownCode,
    UCR_CONDITIONS_VERSION,
};
