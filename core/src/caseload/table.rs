//! The caseload as the bindings see it: a [`Session`] (a caseload with or without a durable
//! journal behind it), queries named by JSON ([`Query`]) whose rows come back as JSON or as
//! an Arrow [`RecordBatch`] with a fixed schema ([`Rows`]), and bulk loading of events from
//! an Arrow batch with every bad row reported ([`Session::load_batch`]).
//!
//! The C ABI and the Python wheel hold a [`Session`] and pass JSON and Arrow through it, so
//! both offer the same queries under the same names as the [`Caseload`] methods.
//!
//! # Example
//!
//! ```
//! use carecoord::caseload::{Query, Session};
//! use chrono::{TimeZone, Utc};
//!
//! let mut s = Session::in_memory();
//! let t0 = Utc.with_ymd_and_hms(2026, 7, 10, 15, 30, 0).unwrap();
//! s.record_json("duty", t0, r#"{"patient_registered":{"patient":"P1","practice":"SYN004","birth_date":"1939-02-11"}}"#)?;
//! s.record_json("duty", t0, r#"{"referral_received":{"referral":"R1","patient":"P1","received_at":"2026-07-10T15:30:00Z","referrer":"NHS 111","duty":null,"required_skill":null}}"#)?;
//! s.record_json("duty", t0, r#"{"referral_triaged":{"referral":"R1","priority":"ucr_2_hour","ucr_condition":"fall"}}"#)?;
//! let rows = s.run_json(r#"{"query":"breaching_within","at":"2026-07-11T07:00:00Z","within_minutes":60}"#)?;
//! assert_eq!(rows.len(), 1);
//! assert!(rows.to_json().contains(r#""due_at":"2026-07-11T07:30:00Z","minutes_to_due":30"#));
//! let batch = rows.to_record_batch()?;
//! assert_eq!(batch.schema().field_with_name("minutes_to_due")?.data_type(), &arrow_schema::DataType::Int64);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::serde_util;
use super::{
    BreachRow, Caseload, CaseloadError, CaseloadJournal, CaseloadRow, ChaseRow, Event,
    RegisterMemberRow, ReplayReport, RespectRow, ReviewRow, Skill, UcrPerformance, UncoveredShift,
    WorkloadRow,
};
use crate::flow::{
    DischargeReviewRow, EscalationDueRow, HandoverSummary, LongStayRow, LosBand, RepatriationRow,
    SummaryOptions, WardCensusRow,
};
use crate::journal::Envelope;

// ---- queries ---------------------------------------------------------------------------

/// A caseload query as data, read from JSON `{"query": "<name>", ...parameters}`. The names
/// and parameters are those of the [`Caseload`] methods; dates are `YYYY-MM-DD`, instants
/// RFC 3339.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Query;
/// let q = Query::from_json(r#"{"query":"long_stay","at":"2026-03-02T09:00:00Z","band":"21+"}"#)?;
/// assert_eq!(q.name(), "long_stay");
/// let err = Query::from_json(r#"{"query":"long_stay","at":"2026-03-02T09:00:00Z","band":"22+"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "query: field `band`: unknown variant, expected one of `under_7`, `7+`, `7_plus`, `14+`, `14_plus`, `21+`, `21_plus`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Query {
    /// [`Caseload::breaching_within`].
    BreachingWithin {
        /// The instant asked about.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
        /// How far ahead "about to breach" looks, in minutes (0: breached only).
        within_minutes: u32,
    },
    /// [`Caseload::breaches_on`].
    BreachesOn {
        /// The local date whose deadlines are checked.
        #[serde(with = "serde_util::date")]
        day: NaiveDate,
        /// As known at this instant.
        #[serde(with = "serde_util::instant")]
        now: DateTime<Utc>,
    },
    /// [`Caseload::caseload_of`].
    CaseloadOf {
        /// The member of staff.
        staff: String,
    },
    /// [`Caseload::workload`].
    Workload {
        /// The local date.
        #[serde(with = "serde_util::date")]
        day: NaiveDate,
    },
    /// [`Caseload::suggest_allocation`]: one row, `staff` null and `reason` set when nobody
    /// can take the work.
    SuggestAllocation {
        /// The skill the work needs, if any.
        #[serde(default)]
        skill: Option<Skill>,
        /// When the work is to be allocated.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
    },
    /// [`Caseload::uncovered_shifts`].
    UncoveredShifts {
        /// First local date.
        #[serde(with = "serde_util::date")]
        from: NaiveDate,
        /// Last local date (inclusive).
        #[serde(with = "serde_util::date")]
        to: NaiveDate,
    },
    /// [`Caseload::reviews_due`].
    ReviewsDue {
        /// Today's local date.
        #[serde(with = "serde_util::date")]
        today: NaiveDate,
    },
    /// [`Caseload::chase_list`] with no action logs (caseload tasks only: a query is data;
    /// the bindings' `chase_list` entry points take the logs themselves).
    ChaseList {
        /// Today's local date.
        #[serde(with = "serde_util::date")]
        today: NaiveDate,
    },
    /// [`Caseload::overdue_tasks`].
    OverdueTasks {
        /// Today's local date.
        #[serde(with = "serde_util::date")]
        today: NaiveDate,
    },
    /// [`Caseload::respect_worklist`].
    RespectWorklist {
        /// Today's local date.
        #[serde(with = "serde_util::date")]
        today: NaiveDate,
    },
    /// [`Caseload::register_members`].
    RegisterMembers {
        /// The register.
        register: super::Register,
        /// The local date.
        #[serde(with = "serde_util::date")]
        day: NaiveDate,
    },
    /// [`Caseload::ucr_two_hour_performance`]: one row.
    UcrTwoHourPerformance {
        /// First local date of receipt.
        #[serde(with = "serde_util::date")]
        from: NaiveDate,
        /// Local date of receipt to stop before (exclusive).
        #[serde(with = "serde_util::date")]
        to: NaiveDate,
        /// As known at this instant.
        #[serde(with = "serde_util::instant")]
        now: DateTime<Utc>,
    },
    /// [`Caseload::long_stay`].
    LongStay {
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
        /// The lowest band listed: `7+`, `14+`, `21+` (or `7_plus`, ...); default `7+`.
        #[serde(default = "default_band", deserialize_with = "band")]
        band: LosBand,
    },
    /// [`Caseload::ward_census`].
    WardCensus {
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
    },
    /// [`Caseload::escalations_due`].
    EscalationsDue {
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
    },
    /// [`Caseload::discharge_review_queue`].
    DischargeReviewQueue {
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
        /// Only this practice (all if absent).
        #[serde(default)]
        practice: Option<String>,
    },
    /// [`Caseload::open_repatriations`].
    OpenRepatriations {
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
    },
    /// [`Caseload::handover_summary`]: a JSON object (null for an unknown patient), no
    /// Arrow form.
    HandoverSummary {
        /// The patient's local reference.
        patient: String,
        /// The instant.
        #[serde(with = "serde_util::instant")]
        at: DateTime<Utc>,
        /// Include the NHS number.
        #[serde(default)]
        include_nhs_number: bool,
        /// Include restricted markers (safeguarding).
        #[serde(default)]
        include_restricted: bool,
    },
}

fn default_band() -> LosBand {
    LosBand::Days7Plus
}

fn band<'de, D: serde::Deserializer<'de>>(d: D) -> Result<LosBand, D::Error> {
    #[derive(Deserialize)]
    enum Short {
        #[serde(rename = "under_7")]
        Under7,
        #[serde(rename = "7_plus", alias = "7+")]
        D7,
        #[serde(rename = "14_plus", alias = "14+")]
        D14,
        #[serde(rename = "21_plus", alias = "21+")]
        D21,
    }
    Ok(match Short::deserialize(d)? {
        Short::Under7 => LosBand::Under7,
        Short::D7 => LosBand::Days7Plus,
        Short::D14 => LosBand::Days14Plus,
        Short::D21 => LosBand::Days21Plus,
    })
}

impl Query {
    /// Reads a query from JSON.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidRequest`] naming the field at fault (an unknown query name
    /// is field `query`), or [`CaseloadError::InvalidJson`] for text that is not JSON.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::Query;
    /// let err = Query::from_json(r#"{"query":"workload"}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "query: field `day`: missing field `day`");
    /// let err = Query::from_json(r#"{"query":"workloads","day":"2026-01-05"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("query: field `query`: unknown variant, expected one of `breaching_within`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Query, CaseloadError> {
        let mut fields: Map<String, Value> =
            serde_json::from_str(text).map_err(|e| CaseloadError::from_json_error(&e))?;
        let invalid = |reason: &str| CaseloadError::InvalidRequest {
            what: "query".to_string(),
            path: "query".to_string(),
            reason: reason.to_string(),
        };
        let name = match fields.remove("query") {
            Some(Value::String(name)) => name,
            Some(_) => return Err(invalid("must be text")),
            None => return Err(invalid("missing: name the query")),
        };
        tagged_from_value("query", &name, fields)
    }

    /// The query's name (the `query` member of its JSON).
    ///
    /// # Errors
    ///
    /// None.
    pub fn name(&self) -> &'static str {
        match self {
            Self::BreachingWithin { .. } => "breaching_within",
            Self::BreachesOn { .. } => "breaches_on",
            Self::CaseloadOf { .. } => "caseload_of",
            Self::Workload { .. } => "workload",
            Self::SuggestAllocation { .. } => "suggest_allocation",
            Self::UncoveredShifts { .. } => "uncovered_shifts",
            Self::ReviewsDue { .. } => "reviews_due",
            Self::ChaseList { .. } => "chase_list",
            Self::OverdueTasks { .. } => "overdue_tasks",
            Self::RespectWorklist { .. } => "respect_worklist",
            Self::RegisterMembers { .. } => "register_members",
            Self::UcrTwoHourPerformance { .. } => "ucr_two_hour_performance",
            Self::LongStay { .. } => "long_stay",
            Self::WardCensus { .. } => "ward_census",
            Self::EscalationsDue { .. } => "escalations_due",
            Self::DischargeReviewQueue { .. } => "discharge_review_queue",
            Self::OpenRepatriations { .. } => "open_repatriations",
            Self::HandoverSummary { .. } => "handover_summary",
        }
    }
}

/// Deserializes `value`, naming the field at fault and never the value.
fn from_value<T: serde::de::DeserializeOwned>(
    what: &str,
    value: Value,
) -> Result<T, CaseloadError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        CaseloadError::InvalidRequest {
            what: what.to_string(),
            path,
            reason: safe_reason(&e.into_inner().to_string()),
        }
    })
}

/// Serde's message without any echo of the input: `invalid type: string "x", expected u32`
/// becomes `invalid type, expected u32`; `unknown variant `x`, expected ...` becomes
/// `unknown variant, expected ...`. Messages of the crate's own parsers name only the form.
fn safe_reason(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    for prefix in [
        "invalid type",
        "invalid value",
        "unknown variant",
        "invalid length",
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match rest.find(", expected") {
                Some(i) => format!("{prefix}{}", &rest[i..]),
                None => prefix.to_string(),
            };
        }
    }
    if message.starts_with("unknown field") {
        return match message.find(", expected") {
            Some(i) => format!("unknown field{}", &message[i..]),
            None => "unknown field".to_string(),
        };
    }
    message.to_string()
}

/// Deserializes the externally tagged `{kind: fields}`, naming the field at fault relative
/// to the variant (`birth_date`, not `patient_registered.birth_date`); `event` (`query`)
/// when the
/// variant name is unknown, the missing field's name when one is missing.
fn tagged_from_value<T: serde::de::DeserializeOwned>(
    what: &str,
    kind: &str,
    fields: Map<String, Value>,
) -> Result<T, CaseloadError> {
    let mut tagged = Map::new();
    tagged.insert(kind.to_string(), Value::Object(fields));
    from_value(what, Value::Object(tagged)).map_err(|e| match e {
        CaseloadError::InvalidRequest { what, path, reason } => {
            let missing = reason
                .strip_prefix("missing field `")
                .and_then(|r| r.strip_suffix('`'));
            let path = match (
                path.strip_prefix(kind).map(|p| p.strip_prefix('.')),
                missing,
            ) {
                (Some(Some(field)), Some(m)) => format!("{field}.{m}"),
                (Some(Some(field)), None) => field.to_string(),
                (Some(None), Some(m)) => m.to_string(),
                (Some(None), None) => ".".to_string(),
                (None, _) if what == "query" => "query".to_string(),
                (None, _) => "event".to_string(),
            };
            CaseloadError::InvalidRequest { what, path, reason }
        }
        other => other,
    })
}

// ---- rows --------------------------------------------------------------------------------

/// The one row of a [`Query::SuggestAllocation`]: the suggestion, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationRow {
    /// The member of staff suggested.
    pub staff: Option<String>,
    /// Their capacity left that day.
    pub remaining: Option<u32>,
    /// Their open referrals.
    pub open_referrals: Option<u32>,
    /// Why nobody can be suggested ([`NoAllocation`](super::NoAllocation) code).
    pub reason: Option<&'static str>,
}

/// The rows a [`Query`] returns.
///
/// # Example
///
/// ```
/// use carecoord::caseload::{Query, Session};
/// let s = Session::in_memory();
/// let rows = s.run(&Query::from_json(r#"{"query":"ward_census","at":"2026-01-05T09:00:00Z"}"#)?);
/// assert_eq!((rows.len(), rows.to_json().as_str()), (0, "[]"));
/// // An empty result keeps its schema.
/// assert_eq!(rows.to_record_batch()?.num_columns(), 12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rows {
    /// `breaching_within`, `breaches_on`.
    Breaches(Vec<BreachRow>),
    /// `caseload_of`.
    Caseload(Vec<CaseloadRow>),
    /// `workload`.
    Workload(Vec<WorkloadRow>),
    /// `suggest_allocation`.
    Allocation(Vec<AllocationRow>),
    /// `uncovered_shifts`.
    UncoveredShifts(Vec<UncoveredShift>),
    /// `reviews_due`.
    Reviews(Vec<ReviewRow>),
    /// `chase_list`, `overdue_tasks`.
    Chase(Vec<ChaseRow>),
    /// `respect_worklist`.
    Respect(Vec<RespectRow>),
    /// `register_members`.
    RegisterMembers(Vec<RegisterMemberRow>),
    /// `ucr_two_hour_performance`.
    UcrPerformance(Vec<UcrPerformance>),
    /// `long_stay`.
    LongStay(Vec<LongStayRow>),
    /// `ward_census`.
    WardCensus(Vec<WardCensusRow>),
    /// `escalations_due`.
    Escalations(Vec<EscalationDueRow>),
    /// `discharge_review_queue`.
    DischargeReviews(Vec<DischargeReviewRow>),
    /// `open_repatriations`.
    Repatriations(Vec<RepatriationRow>),
    /// `handover_summary` (boxed: the summary is large).
    Handover(Option<Box<HandoverSummary>>),
}

/// Column kinds of the fixed query schemas.
#[derive(Clone, Copy)]
enum C {
    /// Text.
    S,
    /// Boolean.
    B,
    /// u8.
    U8,
    /// u32.
    U32,
    /// i64.
    I64,
    /// f64.
    F64,
    /// Instant: timestamp in milliseconds, UTC.
    Ts,
    /// Local date.
    D,
}

/// `(name, kind, nullable)` per column, in the rows' field order.
type Spec = &'static [(&'static str, C, bool)];

const BREACH: Spec = &[
    ("referral", C::S, false),
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("priority", C::S, true),
    ("ucr_condition", C::S, true),
    ("duty", C::S, true),
    ("clock", C::S, false),
    ("received_at", C::Ts, false),
    ("due_at", C::Ts, false),
    ("minutes_to_due", C::I64, false),
    ("allocated_to", C::S, true),
];
const CASELOAD: Spec = &[
    ("referral", C::S, false),
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("priority", C::S, true),
    ("duty", C::S, true),
    ("status", C::S, false),
    ("received_at", C::Ts, false),
    ("allocated_at", C::Ts, true),
    ("due_at", C::Ts, true),
    ("first_contact_at", C::Ts, true),
];
const WORKLOAD: Spec = &[
    ("staff", C::S, false),
    ("band", C::S, false),
    ("rostered", C::B, false),
    ("absent", C::B, false),
    ("covering", C::U32, false),
    ("capacity", C::U32, false),
    ("allocated", C::U32, false),
    ("remaining", C::U32, false),
    ("open_referrals", C::U32, false),
    ("open_tasks", C::U32, false),
    ("overdue_tasks", C::U32, false),
];
const ALLOCATION: Spec = &[
    ("staff", C::S, true),
    ("remaining", C::U32, true),
    ("open_referrals", C::U32, true),
    ("reason", C::S, true),
];
const UNCOVERED: Spec = &[
    ("date", C::D, false),
    ("staff", C::S, false),
    ("absence", C::S, false),
    ("kind", C::S, false),
    ("capacity", C::U32, false),
];
const REVIEW: Spec = &[
    ("plan", C::S, false),
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("review_on", C::D, false),
    ("days_overdue", C::U32, false),
    ("last_reviewed_on", C::D, true),
    ("active_goals", C::U32, false),
];
const CHASE: Spec = &[
    ("owner", C::S, false),
    ("source", C::S, false),
    ("id", C::S, false),
    ("patient", C::S, true),
    ("kind", C::S, false),
    ("due", C::D, false),
    ("days_overdue", C::U32, false),
    ("chases", C::U32, false),
    ("last_chased_at", C::Ts, true),
];
const RESPECT: Spec = &[
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("palliative", C::B, false),
    ("frailty", C::S, true),
    ("reason", C::S, false),
    ("review_on", C::D, true),
];
const REGISTER: Spec = &[
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("since", C::D, false),
    ("last_contact_at", C::Ts, true),
];
const UCR: Spec = &[
    ("from", C::D, false),
    ("to", C::D, false),
    ("in_scope", C::U32, false),
    ("met", C::U32, false),
    ("breached", C::U32, false),
    ("stopped", C::U32, false),
    ("running", C::U32, false),
    ("percent_met", C::F64, true),
];
const LONG_STAY: Spec = &[
    ("stay", C::S, false),
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("ward", C::S, false),
    ("site", C::S, false),
    ("admitted_at", C::Ts, false),
    ("los", C::U32, false),
    ("los_convention", C::S, false),
    ("band", C::S, false),
    ("discharge_ready_date", C::D, true),
    ("delay_days", C::U32, true),
    ("delay_version", C::S, true),
    ("delay_code", C::S, true),
    ("delay_category", C::S, true),
    ("delay_reasons_recorded", C::U32, false),
    ("escalation_level", C::U8, true),
    ("escalations", C::U32, false),
    ("repatriation", C::S, true),
    ("open_actions", C::U32, false),
    ("overdue_actions", C::U32, false),
    ("next_action_due", C::D, true),
];
const CENSUS: Spec = &[
    ("ward", C::S, false),
    ("site", C::S, false),
    ("beds", C::U32, false),
    ("occupied", C::U32, false),
    ("available", C::U32, false),
    ("occupancy_percent", C::F64, true),
    ("delayed", C::U32, false),
    ("los_7_plus", C::U32, false),
    ("los_14_plus", C::U32, false),
    ("los_21_plus", C::U32, false),
    ("admitted_today", C::U32, false),
    ("discharged_today", C::U32, false),
];
const ESCALATION: Spec = &[
    ("stay", C::S, false),
    ("patient", C::S, false),
    ("ward", C::S, false),
    ("rule", C::S, false),
    ("level", C::U8, false),
    ("los", C::U32, false),
    ("delay_days", C::U32, true),
    ("delay_category", C::S, true),
];
const DISCHARGE_REVIEW: Spec = &[
    ("stay", C::S, false),
    ("patient", C::S, false),
    ("practice", C::S, false),
    ("age_at_discharge", C::U32, false),
    ("method", C::S, false),
    ("discharged_at", C::Ts, false),
    ("destination", C::S, true),
    ("los", C::U32, false),
    ("days_since_discharge", C::U32, false),
];
const REPATRIATION: Spec = &[
    ("repatriation", C::S, false),
    ("stay", C::S, false),
    ("patient", C::S, false),
    ("to_org", C::S, false),
    ("status", C::S, false),
    ("requested_at", C::Ts, false),
    ("days_waiting", C::U32, false),
];

fn schema_of(spec: Spec) -> SchemaRef {
    let fields: Vec<Field> = spec
        .iter()
        .map(|&(name, kind, nullable)| {
            let t = match kind {
                C::S => DataType::Utf8,
                C::B => DataType::Boolean,
                C::U8 => DataType::UInt8,
                C::U32 => DataType::UInt32,
                C::I64 => DataType::Int64,
                C::F64 => DataType::Float64,
                C::Ts => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
                C::D => DataType::Date32,
            };
            Field::new(name, t, nullable)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

fn batch_of<T: Serialize>(spec: Spec, rows: &[T]) -> Result<RecordBatch, CaseloadError> {
    let schema = schema_of(spec);
    let arrow = |e: arrow_schema::ArrowError| CaseloadError::InvalidRequest {
        what: "query rows".to_string(),
        path: ".".to_string(),
        reason: format!("cannot build the Arrow batch: {e}"),
    };
    let mut decoder = arrow_json::ReaderBuilder::new(schema.clone())
        .with_batch_size(rows.len().max(1))
        .with_strict_mode(true)
        .build_decoder()
        .map_err(arrow)?;
    decoder.serialize(rows).map_err(arrow)?;
    Ok(decoder
        .flush()
        .map_err(arrow)?
        .unwrap_or_else(|| RecordBatch::new_empty(schema)))
}

/// Applies `$f` to the row vector of every variant but `Handover`, with its column spec.
macro_rules! each_rows {
    ($rows:expr, $handover:expr, |$spec:ident, $v:ident| $f:expr) => {
        match $rows {
            Rows::Breaches($v) => {
                let $spec = BREACH;
                $f
            }
            Rows::Caseload($v) => {
                let $spec = CASELOAD;
                $f
            }
            Rows::Workload($v) => {
                let $spec = WORKLOAD;
                $f
            }
            Rows::Allocation($v) => {
                let $spec = ALLOCATION;
                $f
            }
            Rows::UncoveredShifts($v) => {
                let $spec = UNCOVERED;
                $f
            }
            Rows::Reviews($v) => {
                let $spec = REVIEW;
                $f
            }
            Rows::Chase($v) => {
                let $spec = CHASE;
                $f
            }
            Rows::Respect($v) => {
                let $spec = RESPECT;
                $f
            }
            Rows::RegisterMembers($v) => {
                let $spec = REGISTER;
                $f
            }
            Rows::UcrPerformance($v) => {
                let $spec = UCR;
                $f
            }
            Rows::LongStay($v) => {
                let $spec = LONG_STAY;
                $f
            }
            Rows::WardCensus($v) => {
                let $spec = CENSUS;
                $f
            }
            Rows::Escalations($v) => {
                let $spec = ESCALATION;
                $f
            }
            Rows::DischargeReviews($v) => {
                let $spec = DISCHARGE_REVIEW;
                $f
            }
            Rows::Repatriations($v) => {
                let $spec = REPATRIATION;
                $f
            }
            Rows::Handover(h) => $handover(h),
        }
    };
}

impl Rows {
    /// The number of rows (a handover summary counts 1, or 0 for an unknown patient).
    ///
    /// # Errors
    ///
    /// None.
    #[allow(unused_variables)]
    pub fn len(&self) -> usize {
        each_rows!(
            self,
            |h: &Option<Box<HandoverSummary>>| usize::from(h.is_some()),
            |spec, v| v.len()
        )
    }

    /// Whether there are no rows.
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows as a JSON array of objects (a handover summary: one object, or `null`).
    /// Instants are RFC 3339 UTC, dates `YYYY-MM-DD`, codes snake_case.
    ///
    /// # Errors
    ///
    /// None.
    #[allow(unused_variables)]
    pub fn to_json(&self) -> String {
        each_rows!(
            self,
            |h: &Option<Box<HandoverSummary>>| serde_json::to_string(h).unwrap_or_default(),
            |spec, v| serde_json::to_string(v).unwrap_or_default()
        )
    }

    /// The rows as one Arrow batch with the query's fixed schema (also when empty): codes
    /// and ids as UTF-8, instants as `Timestamp(Millisecond, "UTC")`, dates as `Date32`,
    /// counts as `UInt32`, nullable exactly where the row field is optional.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidRequest`] for a handover summary (nested: use
    /// [`Rows::to_json`]).
    pub fn to_record_batch(&self) -> Result<RecordBatch, CaseloadError> {
        each_rows!(
            self,
            |_: &Option<Box<HandoverSummary>>| Err(CaseloadError::InvalidRequest {
                what: "query".to_string(),
                path: "query".to_string(),
                reason: "handover_summary is nested: ask for JSON".to_string(),
            }),
            |spec, v| batch_of(spec, v)
        )
    }
}

impl Caseload {
    /// Runs a [`Query`].
    ///
    /// # Errors
    ///
    /// None: parameters were checked when the query was read.
    ///
    /// # Example
    ///
    /// See [`Session`].
    pub fn run(&self, query: &Query) -> Rows {
        match query {
            Query::BreachingWithin { at, within_minutes } => Rows::Breaches(
                self.breaching_within(*at, TimeDelta::minutes(i64::from(*within_minutes))),
            ),
            Query::BreachesOn { day, now } => Rows::Breaches(self.breaches_on(*day, *now)),
            Query::CaseloadOf { staff } => Rows::Caseload(self.caseload_of(staff)),
            Query::Workload { day } => Rows::Workload(self.workload(*day)),
            Query::SuggestAllocation { skill, at } => {
                Rows::Allocation(vec![match self.suggest_allocation(*skill, *at) {
                    Ok(s) => AllocationRow {
                        staff: Some(s.staff.as_str().to_string()),
                        remaining: Some(s.remaining),
                        open_referrals: Some(s.open_referrals),
                        reason: None,
                    },
                    Err(why) => AllocationRow {
                        staff: None,
                        remaining: None,
                        open_referrals: None,
                        reason: Some(why.code()),
                    },
                }])
            }
            Query::UncoveredShifts { from, to } => {
                Rows::UncoveredShifts(self.uncovered_shifts(*from, *to))
            }
            Query::ReviewsDue { today } => Rows::Reviews(self.reviews_due(*today)),
            Query::ChaseList { today } => Rows::Chase(self.chase_list(*today, &[])),
            Query::OverdueTasks { today } => Rows::Chase(self.overdue_tasks(*today)),
            Query::RespectWorklist { today } => Rows::Respect(self.respect_worklist(*today)),
            Query::RegisterMembers { register, day } => {
                Rows::RegisterMembers(self.register_members(*register, *day))
            }
            Query::UcrTwoHourPerformance { from, to, now } => {
                Rows::UcrPerformance(vec![self.ucr_two_hour_performance(*from, *to, *now)])
            }
            Query::LongStay { at, band } => Rows::LongStay(self.long_stay(*at, *band)),
            Query::WardCensus { at } => Rows::WardCensus(self.ward_census(*at)),
            Query::EscalationsDue { at } => Rows::Escalations(self.escalations_due(*at)),
            Query::DischargeReviewQueue { at, practice } => {
                Rows::DischargeReviews(self.discharge_review_queue(practice.as_deref(), *at))
            }
            Query::OpenRepatriations { at } => Rows::Repatriations(self.open_repatriations(*at)),
            Query::HandoverSummary {
                patient,
                at,
                include_nhs_number,
                include_restricted,
            } => Rows::Handover(
                self.handover_summary(
                    patient,
                    *at,
                    SummaryOptions {
                        include_nhs_number: *include_nhs_number,
                        include_restricted: *include_restricted,
                    },
                )
                .map(Box::new),
            ),
        }
    }
}

// ---- bulk loading -------------------------------------------------------------------------

/// Options of a bulk load ([`Session::load_batch`]): values for the envelope columns the
/// batch does not have, and the number of the batch's first row within the whole table.
///
/// # Example
///
/// ```
/// use carecoord::caseload::BulkOptions;
/// let o = BulkOptions::from_json(r#"{"event":"patient_registered","who":"import","recorded_at":"2026-01-05T09:00:00Z"}"#)?;
/// assert_eq!(o.event.as_deref(), Some("patient_registered"));
/// assert_eq!(o.first_row, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkOptions {
    /// The event kind of every row (`patient_registered`, ...), when the batch has no
    /// `event` column.
    #[serde(default)]
    pub event: Option<String>,
    /// Who recorded the events, when the batch has no `who` column.
    #[serde(default)]
    pub who: Option<String>,
    /// When the events were recorded, when the batch has no `recorded_at` column.
    #[serde(default, with = "serde_util::opt_instant")]
    pub recorded_at: Option<DateTime<Utc>>,
    /// Added to row numbers in rejects (for a table passed as several batches).
    #[serde(default)]
    pub first_row: u64,
}

impl BulkOptions {
    /// Reads options from JSON (every member optional).
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidRequest`] naming the member at fault.
    pub fn from_json(text: &str) -> Result<BulkOptions, CaseloadError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| CaseloadError::from_json_error(&e))?;
        from_value("bulk options", value)
    }
}

/// A row of a bulk load that was not applied: its number in the input (zero-based, plus
/// [`BulkOptions::first_row`]), its event kind if known, the error code
/// ([`CaseloadError::code`]) and a message naming the field, never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReject {
    /// Zero-based row number in the input table.
    pub row: u64,
    /// The row's event kind, if it could be read.
    pub kind: Option<String>,
    /// The error code.
    pub code: &'static str,
    /// What is wrong, naming the field.
    pub message: String,
}

/// What a bulk load did: rows in = `applied` + `rejects.len()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkReport {
    /// Rows applied (and, for a durable session, recorded).
    pub applied: u64,
    /// Sequence number of the first applied event (the next sequence number if none was).
    pub first_seq: u64,
    /// The rows not applied, in row order.
    pub rejects: Vec<RowReject>,
}

impl BulkReport {
    /// The report as JSON: `{"applied":n,"first_seq":n,"rejects":[{"row","kind","code","message"}]}`.
    ///
    /// # Errors
    ///
    /// None.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The rejects as an Arrow batch: `row` (UInt64), `kind`, `code`, `message` (UTF-8).
    ///
    /// # Errors
    ///
    /// None.
    pub fn rejects_batch(&self) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("row", DataType::UInt64, false),
            Field::new("kind", DataType::Utf8, true),
            Field::new("code", DataType::Utf8, false),
            Field::new("message", DataType::Utf8, false),
        ]));
        let r = &self.rejects;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from_iter_values(r.iter().map(|x| x.row))),
            Arc::new(StringArray::from_iter(r.iter().map(|x| x.kind.as_deref()))),
            Arc::new(StringArray::from_iter_values(r.iter().map(|x| x.code))),
            Arc::new(StringArray::from_iter_values(
                r.iter().map(|x| x.message.as_str()),
            )),
        ];
        RecordBatch::try_new(schema, columns)
            .unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(Schema::empty())))
    }
}

/// One parsed row of a bulk load: its row number, who, when, the event.
pub(crate) type BulkRow = (u64, String, DateTime<Utc>, Event);

/// A row the model rejected: its row number, event kind and why.
pub(crate) type ModelReject = (u64, &'static str, CaseloadError);

fn reject(row: u64, kind: Option<&str>, error: &CaseloadError) -> RowReject {
    RowReject {
        row,
        kind: kind.map(str::to_string),
        code: error.code(),
        message: error.to_string(),
    }
}

/// Reads every row of `batch` as an event envelope: the rows that parse, and rejects for the
/// rest. Columns are converted to JSON values by `arrow-json` (nulls omitted).
fn parse_rows(
    batch: &RecordBatch,
    options: &BulkOptions,
) -> Result<(Vec<BulkRow>, Vec<RowReject>), CaseloadError> {
    let mut buffer = Vec::new();
    {
        let mut writer = arrow_json::LineDelimitedWriter::new(&mut buffer);
        writer
            .write(batch)
            .and_then(|()| writer.finish())
            .map_err(|e| CaseloadError::InvalidRequest {
                what: "bulk load".to_string(),
                path: ".".to_string(),
                reason: format!("a column cannot be read as event fields: {e}"),
            })?;
    }
    let mut rows = Vec::with_capacity(batch.num_rows());
    let mut rejects = Vec::new();
    let lines = buffer.split(|&b| b == b'\n').filter(|l| !l.is_empty());
    for (i, line) in lines.enumerate() {
        let row = options.first_row + i as u64;
        match parse_row(row, line, options) {
            Ok(parsed) => rows.push(parsed),
            Err((kind, e)) => rejects.push(reject(row, kind.as_deref(), &e)),
        }
    }
    Ok((rows, rejects))
}

type RowError = (Option<String>, CaseloadError);

fn parse_row(row: u64, line: &[u8], options: &BulkOptions) -> Result<BulkRow, RowError> {
    let what = format!("bulk load row {row}");
    let invalid = |kind: Option<&str>, path: &str, reason: &str| {
        (
            kind.map(str::to_string),
            CaseloadError::InvalidRequest {
                what: what.clone(),
                path: path.to_string(),
                reason: reason.to_string(),
            },
        )
    };
    let mut fields: Map<String, Value> =
        serde_json::from_slice(line).map_err(|e| (None, CaseloadError::from_json_error(&e)))?;
    let event_kind = match fields.remove("event") {
        Some(Value::String(k)) => k,
        Some(_) => return Err(invalid(None, "event", "must be text")),
        None => match &options.event {
            Some(k) => k.clone(),
            None => {
                return Err(invalid(
                    None,
                    "event",
                    "missing: give an event column or option",
                ))
            }
        },
    };
    let kind = Some(event_kind.as_str());
    let who = match fields.remove("who") {
        Some(Value::String(w)) => w,
        Some(_) => return Err(invalid(kind, "who", "must be text")),
        None => match &options.who {
            Some(w) => w.clone(),
            None => return Err(invalid(kind, "who", "missing: give a who column or option")),
        },
    };
    let at = match fields.remove("recorded_at") {
        Some(Value::String(t)) => DateTime::parse_from_rfc3339(&t)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                invalid(
                    kind,
                    "recorded_at",
                    "expected an instant with a time zone (RFC 3339 or a timestamp column with a zone)",
                )
            })?,
        Some(_) => return Err(invalid(kind, "recorded_at", "must be a timestamp")),
        None => match options.recorded_at {
            Some(t) => t,
            None => {
                return Err(invalid(
                    kind,
                    "recorded_at",
                    "missing: give a recorded_at column or option",
                ))
            }
        },
    };
    let kind = event_kind.clone();
    let event: Event =
        tagged_from_value(&what, &kind, fields).map_err(|e| (Some(kind.clone()), e))?;
    Ok((row, who, at, event))
}

/// Events as Arrow batches that [`Session::load_batch`] reads back: one batch per run of
/// consecutive events of one kind, with the columns `event`, `who`, `recorded_at` and the
/// event's fields, types inferred by `arrow-json` from the events' JSON (instants and dates
/// as text, nested fields as structs and lists). For exporting a journal to Arrow tools, and
/// for tests and benchmarks of bulk loading.
///
/// # Errors
///
/// [`CaseloadError::InvalidRequest`] if a batch cannot be built (not expected).
///
/// # Example
///
/// ```
/// use carecoord::caseload::{events_to_batches, BulkOptions, Event, PatientRef, Session};
/// use carecoord::journal::Envelope;
/// use chrono::{NaiveDate, TimeZone, Utc};
///
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let events: Vec<Envelope<Event>> = (1..=3)
///     .map(|i| Envelope {
///         seq: i,
///         who: "import".into(),
///         at,
///         event: Event::PatientRegistered {
///             patient: PatientRef::new(&format!("P{i}")).unwrap(),
///             nhs_number: None,
///             practice: "SYN001".into(),
///             birth_date: NaiveDate::from_ymd_opt(1940, 1, 1).unwrap(),
///         },
///     })
///     .collect();
/// let batches = events_to_batches(&events)?;
/// assert_eq!((batches.len(), batches[0].num_rows()), (1, 3));
/// let mut s = Session::in_memory();
/// assert_eq!(s.load_batch(&batches[0], &BulkOptions::default())?.applied, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn events_to_batches(events: &[Envelope<Event>]) -> Result<Vec<RecordBatch>, CaseloadError> {
    let arrow = |e: arrow_schema::ArrowError| CaseloadError::InvalidRequest {
        what: "event export".to_string(),
        path: ".".to_string(),
        reason: format!("cannot build the Arrow batch: {e}"),
    };
    let mut batches = Vec::new();
    for run in events.chunk_by(|a, b| a.event.kind() == b.event.kind()) {
        let lines: Vec<Value> = run
            .iter()
            .map(|e| {
                let mut row = match serde_json::to_value(&e.event) {
                    Ok(Value::Object(tagged)) => match tagged.into_iter().next() {
                        Some((_, Value::Object(fields))) => fields,
                        _ => Map::new(),
                    },
                    _ => Map::new(),
                };
                row.insert("event".into(), e.event.kind().into());
                row.insert("who".into(), e.who.clone().into());
                row.insert("recorded_at".into(), serde_util::fmt_instant(&e.at).into());
                Value::Object(row)
            })
            .collect();
        let schema = arrow_json::reader::infer_json_schema_from_iterator(
            lines.iter().map(|v| Ok(v.clone())),
        )
        .map_err(arrow)?;
        let mut decoder = arrow_json::ReaderBuilder::new(Arc::new(schema))
            .with_batch_size(lines.len())
            .build_decoder()
            .map_err(arrow)?;
        decoder.serialize(&lines).map_err(arrow)?;
        if let Some(batch) = decoder.flush().map_err(arrow)? {
            batches.push(batch);
        }
    }
    Ok(batches)
}

// ---- session ----------------------------------------------------------------------------

enum Backing {
    Memory(Box<Caseload>),
    Journal(Box<CaseloadJournal>),
}

/// A caseload as a binding holds it: in memory only, replayed read-only from a journal
/// (later events are kept in memory), or kept in a journal that every change is written to
/// durably before it is applied.
///
/// # Example
///
/// ```
/// use carecoord::caseload::Session;
/// use chrono::{TimeZone, Utc};
///
/// let path = std::env::temp_dir().join(format!("cc-doc-session-{}.journal", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let mut s = Session::open(&path)?;
/// assert!(s.is_durable());
/// let seq = s.record_json("pcc-1", at, r#"{"patient_registered":{"patient":"P1","practice":"SYN001","birth_date":"1950-01-01"}}"#)?;
/// assert_eq!(seq, 1);
/// drop(s);
/// let r = Session::replay(&path)?;
/// assert_eq!((r.caseload().last_seq(), r.report().last_seq), (1, 1));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Session {
    backing: Backing,
    report: ReplayReport,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("durable", &self.is_durable())
            .field("last_seq", &self.caseload().last_seq())
            .finish_non_exhaustive()
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::in_memory()
    }
}

impl Session {
    /// An empty caseload in memory.
    ///
    /// # Errors
    ///
    /// None.
    pub fn in_memory() -> Session {
        Session {
            backing: Backing::Memory(Box::default()),
            report: ReplayReport::default(),
        }
    }

    /// Opens (or creates) a caseload journal for writing ([`CaseloadJournal::open`]:
    /// replays it and repairs a torn tail).
    ///
    /// # Errors
    ///
    /// As [`CaseloadJournal::open`].
    pub fn open(path: impl AsRef<Path>) -> Result<Session, CaseloadError> {
        let journal = CaseloadJournal::open(path)?;
        let report = journal.report().clone();
        Ok(Session {
            backing: Backing::Journal(Box::new(journal)),
            report,
        })
    }

    /// Replays a caseload journal read-only ([`Caseload::replay`]); events recorded later
    /// are applied in memory only.
    ///
    /// # Errors
    ///
    /// As [`Caseload::replay`].
    pub fn replay(path: impl AsRef<Path>) -> Result<Session, CaseloadError> {
        let replay = Caseload::replay(path)?;
        Ok(Session {
            backing: Backing::Memory(Box::new(replay.caseload)),
            report: replay.report,
        })
    }

    /// The state.
    ///
    /// # Errors
    ///
    /// None.
    pub fn caseload(&self) -> &Caseload {
        match &self.backing {
            Backing::Memory(c) => c,
            Backing::Journal(j) => j.caseload(),
        }
    }

    /// What opening or replaying found (empty for [`Session::in_memory`]).
    ///
    /// # Errors
    ///
    /// None.
    pub fn report(&self) -> &ReplayReport {
        &self.report
    }

    /// Whether changes are written to a journal.
    ///
    /// # Errors
    ///
    /// None.
    pub fn is_durable(&self) -> bool {
        matches!(self.backing, Backing::Journal(_))
    }

    /// Checks and applies one event (recording it durably first when the session is
    /// durable); returns its sequence number.
    ///
    /// # Errors
    ///
    /// A [`CaseloadError`] rejection (nothing changes), or a journal error.
    pub fn record(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        event: Event,
    ) -> Result<u64, CaseloadError> {
        match &mut self.backing {
            Backing::Journal(j) => j.record(who, at, event),
            Backing::Memory(c) => {
                let seq = c.last_seq() + 1;
                c.apply(&Envelope {
                    seq,
                    who: who.to_string(),
                    at,
                    event,
                })?;
                Ok(seq)
            }
        }
    }

    /// [`Session::record`] of an event given as JSON ([`Event::from_json`]).
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidRequest`] naming the field when the JSON does not fit an
    /// event; otherwise as [`Session::record`].
    pub fn record_json(
        &mut self,
        who: &str,
        at: DateTime<Utc>,
        event_json: &str,
    ) -> Result<u64, CaseloadError> {
        let value: Value =
            serde_json::from_str(event_json).map_err(|e| CaseloadError::from_json_error(&e))?;
        let event: Event = match value {
            // `{kind: {fields}}`: name fields relative to the kind.
            Value::Object(mut tagged) if tagged.len() == 1 => {
                match tagged
                    .iter()
                    .next()
                    .map(|(k, v)| (k.clone(), v.is_object()))
                {
                    Some((kind, true)) => match tagged.remove(&kind) {
                        Some(Value::Object(fields)) => tagged_from_value("event", &kind, fields)?,
                        _ => from_value("event", Value::Object(tagged))?,
                    },
                    _ => from_value("event", Value::Object(tagged))?,
                }
            }
            other => from_value("event", other)?,
        };
        self.record(who, at, event)
    }

    /// Loads one event per row of `batch`. Columns: `event`, the event kind (or
    /// [`BulkOptions::event`]), `who` (or [`BulkOptions::who`]), `recorded_at` (a timestamp
    /// with a zone or RFC 3339 text; or [`BulkOptions::recorded_at`]); every other column
    /// is a field of the event by name (null =
    /// absent; lists and structs for nested fields; dates as `Date32` or `YYYY-MM-DD`).
    /// Rows that do not read as an event, or that the model rejects, are reported and the
    /// rest applied in row order; a durable session appends them in one synced write.
    /// Rows in = [`BulkReport::applied`] + rejects.
    ///
    /// # Errors
    ///
    /// [`CaseloadError::InvalidRequest`] when a column type cannot be read at all; a
    /// journal error when the append fails (the session is then poisoned).
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{RecordBatch, StringArray, Date32Array};
    /// use carecoord::caseload::{BulkOptions, Session};
    /// use chrono::{TimeZone, Utc};
    ///
    /// let batch = RecordBatch::try_from_iter([
    ///     ("patient", Arc::new(StringArray::from(vec!["P1", "P2", "P3"])) as _),
    ///     ("practice", Arc::new(StringArray::from(vec![Some("SYN001"), None, Some("SYN002")])) as _),
    ///     ("birth_date", Arc::new(Date32Array::from(vec![-7000, -8000, -9000])) as _),
    /// ])?;
    /// let options = BulkOptions {
    ///     event: Some("patient_registered".into()),
    ///     who: Some("import".into()),
    ///     recorded_at: Some(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()),
    ///     first_row: 0,
    /// };
    /// let mut s = Session::in_memory();
    /// let report = s.load_batch(&batch, &options)?;
    /// assert_eq!(report.applied, 2);
    /// assert_eq!((report.rejects[0].row, report.rejects[0].code), (1, "invalid_request"));
    /// assert_eq!(report.rejects[0].message, "bulk load row 1: field `practice`: missing field `practice`");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_batch(
        &mut self,
        batch: &RecordBatch,
        options: &BulkOptions,
    ) -> Result<BulkReport, CaseloadError> {
        let (rows, mut rejects) = parse_rows(batch, options)?;
        let first_seq = self.caseload().last_seq() + 1;
        let (applied, model_rejects) = match &mut self.backing {
            Backing::Journal(j) => j.record_each(rows)?,
            Backing::Memory(c) => {
                let mut applied = 0u64;
                let mut rejected = Vec::new();
                for (row, who, at, event) in rows {
                    let kind = event.kind();
                    let env = Envelope {
                        seq: c.last_seq() + 1,
                        who,
                        at,
                        event,
                    };
                    match c.apply(&env) {
                        Ok(()) => applied += 1,
                        Err(e) => rejected.push((row, kind, e)),
                    }
                }
                (applied, rejected)
            }
        };
        rejects.extend(
            model_rejects
                .into_iter()
                .map(|(row, kind, e)| reject(row, Some(kind), &e)),
        );
        rejects.sort_by_key(|r| r.row);
        Ok(BulkReport {
            applied,
            first_seq,
            rejects,
        })
    }

    /// Runs a query ([`Caseload::run`]).
    ///
    /// # Errors
    ///
    /// None.
    pub fn run(&self, query: &Query) -> Rows {
        self.caseload().run(query)
    }

    /// Reads a query from JSON ([`Query::from_json`]) and runs it.
    ///
    /// # Errors
    ///
    /// As [`Query::from_json`].
    pub fn run_json(&self, query_json: &str) -> Result<Rows, CaseloadError> {
        Ok(self.run(&Query::from_json(query_json)?))
    }
}

impl ReplayReport {
    /// The report as JSON (members in name order): `{"last_seq":n,"rejected":[{"code",
    /// "message","seq"}],"warnings":[{"code","message","offset"}]}`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::caseload::ReplayReport;
    /// assert_eq!(ReplayReport::default().to_json(), r#"{"last_seq":0,"rejected":[],"warnings":[]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let warnings: Vec<Value> = self
            .warnings
            .iter()
            .map(|w| {
                serde_json::json!({"code": w.code(), "offset": w.offset(), "message": w.to_string()})
            })
            .collect();
        let rejected: Vec<Value> = self
            .rejected
            .iter()
            .map(|r| serde_json::json!({"seq": r.seq, "code": r.error.code(), "message": r.error.to_string()}))
            .collect();
        serde_json::json!({"last_seq": self.last_seq, "warnings": warnings, "rejected": rejected})
            .to_string()
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
