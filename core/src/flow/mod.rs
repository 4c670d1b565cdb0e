//! Hospital patient flow: inpatient stays, length of stay with the midnight rule, long-stay
//! bands, discharge ready dates and delays with reasons from a versioned table, escalation
//! rules, repatriation requests, transport bookings, discharges, the over-65 discharge
//! review queue for GP practices, and handovers between settings (DOMAIN 1, posts 000 and
//! 002; DOMAIN 2.7 and 2.8).
//!
//! ## Overview
//!
//! * [`length_of_stay`] and [`LosBand`]: the **midnight rule** — LOS is the number of
//!   `Europe/London` midnights between admission and discharge (or a census instant),
//!   `local_date(end) - local_date(admission)`, so a same-day stay is 0;
//!   [`LosConvention::InclusiveDays`](crate::risk::LosConvention) counts both ends
//!   (midnights + 1) and is only used when asked for. Bands 7+ / 14+ / 21+ are cumulative
//!   and always taken on midnights.
//! * [`DelayReasonTable`]: the compiled-in, versioned delay reasons (`dtoc-2018`,
//!   `acute-sitrep-2020`, `acute-sitrep-2023`, `community-sitrep-2023`).
//! * [`EscalationRule`] and [`Trigger`]: configurable rules (`los >= N`, `delay >= N`,
//!   `delay >= N in category C`).
//! * State: [`Ward`], [`Stay`] (with its [`DrdChange`] history, [`DelayEntry`]s,
//!   [`EscalationEntry`]s), [`Repatriation`], [`TransportBooking`], [`Handover`]. They
//!   change only through [`caseload::Event`](crate::caseload::Event)s applied to a
//!   [`Caseload`](crate::caseload::Caseload), which also answers the flow queries:
//!   [`long_stay`](crate::caseload::Caseload::long_stay),
//!   [`ward_census`](crate::caseload::Caseload::ward_census),
//!   [`escalations_due`](crate::caseload::Caseload::escalations_due),
//!   [`discharge_review_queue`](crate::caseload::Caseload::discharge_review_queue),
//!   [`open_repatriations`](crate::caseload::Caseload::open_repatriations),
//!   [`handover_summary`](crate::caseload::Caseload::handover_summary).
//!
//! Delay in days is `local_date(discharge) - DRD` (0 = discharged on the ready date); a
//! patient still in is delayed once the local date is after the DRD (DOMAIN 2.8).
//!
//! ## Example
//!
//! ```
//! use carecoord::caseload::{AdmissionMethod, Caseload, Event, PatientRef, StayId, WardId};
//! use carecoord::flow::LosBand;
//! use carecoord::journal::Envelope;
//! use chrono::{NaiveDate, TimeZone, Utc};
//!
//! let mut c = Caseload::new();
//! let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
//! let p = PatientRef::new("P1")?;
//! let s = StayId::new("S1")?;
//! let events = vec![
//!     Event::WardOpened { ward: WardId::new("W1")?, site: "North".into(), beds: 24 },
//!     Event::PatientRegistered { patient: p.clone(), nhs_number: None, practice: "SYN001".into(), birth_date: NaiveDate::from_ymd_opt(1936, 8, 1).unwrap() },
//!     Event::Admitted { stay: s.clone(), patient: p, ward: WardId::new("W1")?, admitted_at: t0, method: AdmissionMethod::Emergency, referring_org: None },
//!     Event::DischargeReadyDateSet { stay: s.clone(), date: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap() },
//!     Event::DelayRecorded { stay: s.clone(), version: "acute-sitrep-2023".into(), code: "x".into(), from: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap() },
//! ];
//! for (i, e) in events.into_iter().enumerate() {
//!     c.apply(&Envelope { seq: i as u64 + 1, who: "flow-1".into(), at: t0 + chrono::TimeDelta::days(9), event: e })?;
//! }
//! // On 23 March 2026 (GMT): 22 midnights, delayed 13 days, pathway 3.
//! let census = Utc.with_ymd_and_hms(2026, 3, 23, 12, 0, 0).unwrap();
//! let rows = c.long_stay(census, LosBand::Days21Plus);
//! assert_eq!((rows[0].los, rows[0].delay_days), (22, Some(13)));
//! assert_eq!(rows[0].delay_category.as_deref(), Some("pathway-3"));
//! let rows = c.escalations_due(census);
//! let due: Vec<&str> = rows.iter().map(|r| r.rule.as_str()).collect();
//! assert_eq!(due, ["delay-7", "los-21", "delay-3"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod escalation;
mod handover;
mod los;
mod query;
mod reasons;
mod stay;

pub use error::FlowError;
pub use escalation::{EscalationRule, Trigger};
pub use handover::{
    HandoverSummary, PlanBrief, ReferralBrief, StayBrief, SummaryOptions, TaskBrief,
};
pub use los::{length_of_stay, LosBand};
pub use query::{
    DischargeReviewRow, EscalationDueRow, LongStayRow, RepatriationRow, WardCensusRow,
    DISCHARGE_REVIEW_AGE,
};
pub use reasons::{DelayReason, DelayReasonTable};
pub use stay::{
    DelayEntry, DischargeReview, DrdChange, EscalationEntry, Handover, Repatriation, Stay,
    TransportBooking, Ward, WardMove,
};
