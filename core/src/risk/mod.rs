//! Risk stratification and case finding: Charlson, Elixhauser (van Walraven), HFRS, eFI,
//! LACE, HOSPITAL, custom models, population tiers and cohort filters.
//!
//! (Module overview doc to be completed by the risk authors.)

mod error;
pub use error::RiskError;
