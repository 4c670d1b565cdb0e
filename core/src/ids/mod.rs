//! Identifiers: NHS number, SNOMED CT identifier and ICD-10 code.
//!
//! Each identifier is a validated newtype with a scalar parser ([`NhsNumber`], [`SnomedId`],
//! [`Icd10Code`]) and an Arrow batch counterpart in [`batch`] that checks millions of values
//! in one pass and returns Arrow arrays (null where the input was null).
//!
//! Errors name the rule broken, never the value: `NhsNumber`'s `Debug` and `Display` mask all
//! but the last four digits, and [`NhsNumber::as_str`] gives the canonical form on request.
//!
//! ```
//! use carecoord::ids::{Icd10Code, NhsNumber, SnomedId, SnomedPartition};
//!
//! assert!(NhsNumber::is_valid("943-476-5919"));
//! let concept: SnomedId = "38341003".parse()?;
//! assert_eq!(concept.partition(), SnomedPartition::Concept);
//! assert_eq!(Icd10Code::parse(" i21.4 ")?.as_str(), "I214");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod batch;
mod icd10;
mod nhs;
mod snomed;

pub use icd10::{Icd10Code, Icd10Error};
pub use nhs::{NhsNumber, NhsNumberError, NhsNumberRange};
pub use snomed::{SnomedId, SnomedIdError, SnomedPartition};
