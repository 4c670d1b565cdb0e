//! Risk stratification and case finding: Charlson, Elixhauser (van Walraven), HFRS, eFI,
//! LACE, HOSPITAL, custom models, population tiers and cohort filters.
//!
//! ## Comorbidity and frailty from ICD-10 codes
//!
//! * [`charlson`]: Charlson comorbidity index, Quan et al. 2005 ICD-10 coding, weights
//!   Charlson 1987, Quan 2011 or UK SHMI ([`CharlsonWeights`]; SHMI weights on Quan
//!   categories approximate SHMI), optional Charlson 1994 age points.
//! * [`elixhauser`]: Elixhauser comorbidity measures (Quan 2005 ICD-10, 31 categories) with
//!   van Walraven 2009 weights; totals may be negative and are not clipped.
//! * [`hfrs`]: Hospital Frailty Risk Score (Gilbert et al. 2018), 109 three-character groups
//!   each counted once per patient, computed in tenths, bands low/intermediate/high.
//!
//! Input is a long-format Arrow table (one or more [`RecordBatch`](arrow_array::RecordBatch)es
//! with the same schema): patient id, code, optional date ([`Window`]) and optional age
//! ([`LongInput`]). The result ([`ScoreResult`]) has one scores row per patient in order of
//! first appearance, a rejects table (row, patient, field, reason: nothing is dropped
//! silently), optional explanations (which categories fired, from which rows and cleaned
//! codes, with what weight, and what the hierarchy suppressed), and [`RowCounts`] with
//! `rows_in = rows_scored + rows_excluded + rows_rejected`. The reference tables are compiled
//! in (`core/data/risk/`, provenance in `core/data/risk/SOURCES.md`).
//!
//! Scalar helpers score one patient without Arrow: [`charlson_for_codes`],
//! [`elixhauser_for_codes`], [`hfrs_for_codes`].
//!
//! ## Patient-level tables
//!
//! [`ModelSpec`] (custom linear or logistic models from JSON), [`tiers_table`] (population
//! tiers) and [`CohortFilter`] (case finding for an integrated locality review) read one row
//! per patient, again as one or more record batches read batch by batch without
//! concatenation ([`ModelSpec::apply_batches`], [`CohortFilter::apply_batches`]).
//!
//! Errors that stop a computation are [`RiskError`]s, each with a stable
//! [`code`](RiskError::code) shared with the Python and C bindings.
//!
//! ```
//! use carecoord::risk::{charlson_for_codes, elixhauser_for_codes, hfrs_for_codes, CharlsonWeights};
//!
//! let codes = ["I21.4", "I50.0", "E11.9", "I25.1"];
//! assert_eq!(charlson_for_codes(&codes, CharlsonWeights::Quan2011, None)?.score, 2);
//! assert_eq!(elixhauser_for_codes(&codes)?.score, 7);
//! assert_eq!(hfrs_for_codes(&["F05.0", "F05.1"])?.score_tenths, 32);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod codes;
mod cohort;
mod comorbidity;
mod efi;
mod error;
mod explain;
mod hfrs;
mod hospital;
mod input;
mod lace;
mod model;
mod output;
mod tiers;

pub use codes::{CategorySet, HfrsGroups, Instrument};
pub use cohort::{CohortFilter, CohortMatch};
pub use comorbidity::{
    charlson, charlson_age_points, charlson_for_codes, elixhauser, elixhauser_for_codes,
    CharlsonScore, CharlsonWeights, ElixhauserScore,
};
pub use efi::{
    efi, efi_deficits, efi_for_deficits, EfiBand, EfiBanding, EfiCodeList, EfiDeficit, EfiOptions,
    EfiScore, EFI_DEFICIT_COUNT,
};
pub use error::RiskError;
pub use hfrs::{hfrs, hfrs_for_codes, HfrsBand, HfrsScore};
pub use hospital::{
    hospital, HaemoglobinUnit, HospitalBand, HospitalColumns, HospitalInput, HospitalScore,
};
pub use input::{LongInput, ScoreOptions, Window};
pub use lace::{lace, LaceColumns, LaceInput, LaceScore, LosConvention, LACE_HIGH_RISK};
pub use model::{FeatureTransform, ModelKind, ModelPrediction, ModelSpec, ModelTerm};
pub use output::{RowCounts, ScoreResult};
pub use tiers::{
    tier_boundaries, tiers, tiers_by_position, tiers_table, TierAssignment, TierOptions,
    DEFAULT_TIER_CUTS,
};
