//! # carecoord
//!
//! Care coordination for NHS community, primary-care and acute flow teams: identifiers
//! (NHS number, SNOMED CT, ICD-10), UK calendars with service hours and deadlines, and (in
//! later modules) caseloads, risk stratification and meeting scheduling.
//!
//! ## Overview
//!
//! * [`ids`]: NHS number (modulus 11), SNOMED CT identifiers (Verhoeff, partition), ICD-10
//!   code cleaning. Scalar functions plus Arrow batch functions that validate millions of
//!   values in one call.
//! * [`calendar`]: UK bank holidays for the three GOV.UK divisions, service hours, working-day
//!   arithmetic and deadlines in `Europe/London`, correct across daylight saving changes.
//! * `synth` (feature `synth`, on by default): a seeded synthetic register for demos,
//!   tests and benchmarks. Only synthetic data, with NHS numbers in the 999 test range.
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
mod error;
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
