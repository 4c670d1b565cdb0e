//! # carecoord
//!
//! Care coordination for NHS community, primary-care and acute flow teams: identifiers
//! (NHS number, SNOMED CT, ICD-10), UK calendars with service hours and deadlines, risk
//! stratification, meeting scheduling, and caseloads kept as a durable journal of events.
//!
//! ## Overview
//!
//! * [`ids`]: NHS number (modulus 11), SNOMED CT identifiers (Verhoeff, partition), ICD-10
//!   code cleaning. Scalar functions plus Arrow batch functions that validate millions of
//!   values in one call.
//! * [`calendar`]: UK bank holidays for the three GOV.UK divisions, service hours, working-day
//!   arithmetic and deadlines in `Europe/London`, correct across daylight saving changes.
//! * [`risk`]: Charlson, Elixhauser, HFRS, eFI, LACE, HOSPITAL, custom models, population
//!   tiers and cohort filters over long-format Arrow tables, with rejects and explanations.
//! * [`schedule`]: meeting planning (format `carecoord.schedule.v1`), diary queries, agendas,
//!   minutes and action logs, availability emails, iCalendar export.
//! * [`journal`]: an append-only, checksummed, versioned event file with crash recovery.
//! * [`caseload`] and [`flow`]: patients, staff and rota, referrals with deadlines and breach
//!   detection, care plans, contacts, tasks; inpatient stays, delays, escalation, discharge;
//!   the state is a fold of journaled events.
//! * `synth` (feature `synth`, on by default): a seeded synthetic locality (register, coded
//!   records, meetings, a year of caseload events) for demos, tests and benchmarks. Only
//!   synthetic data, with NHS numbers in the 999 test range.
//!
//! ## Information governance
//!
//! No error message, `Debug` or `Display` output of this crate contains an NHS number or
//! other patient identifier: errors name the rule broken and the row or field, never the value.
//!
//! ## Example
//!
//! ```
//! use carecoord::ids::NhsNumber;
//!
//! let n: NhsNumber = "943 476 5919".parse()?;
//! assert_eq!(n.as_str(), "9434765919");
//! assert_eq!(format!("{n:?}"), "NhsNumber(***-***-5919)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Crate features
//!
//! * `synth` (default): the synthetic register generator in `synth`.
#![warn(missing_docs)]

pub mod calendar;
pub mod caseload;
mod error;
pub mod flow;
pub mod ids;
pub mod journal;
pub mod risk;
pub mod schedule;
#[cfg(feature = "synth")]
pub mod synth;

pub use error::Error;

/// The README's Rust quickstart runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
