//! Seeded synthetic data for demos, tests and benchmarks (feature `synth`).
//!
//! Only synthetic data: every NHS number is in the 900 000 0000 - 999 999 9999 range that is
//! never issued to patients (DOMAIN.md 2.1), practice codes start with `SYN`, and nothing is
//! drawn from real records. The same seed gives the same output on every machine (ChaCha8).
//!
//! ```
//! use carecoord::synth::{register, RegisterConfig};
//!
//! let a = register(&RegisterConfig { patients: 500, ..RegisterConfig::default() });
//! let b = register(&RegisterConfig { patients: 500, ..RegisterConfig::default() });
//! assert_eq!(a.rows, b.rows);
//! assert_eq!(a.rows.len(), 500);
//! ```

mod caseload;
mod locality;
mod register;
mod schedule;

pub use caseload::{caseload_year, CaseloadSynthConfig, SynthCounts, SyntheticCaseload};
pub use locality::{locality, Locality};
pub use register::{register, Practice, RegisterConfig, RegisterRow, Sex, SyntheticRegister};
pub use schedule::{
    locality_month, schedule_disruption, schedule_instance, DisruptionConfig, LocalityMonthConfig,
    ScheduleInstanceConfig,
};
