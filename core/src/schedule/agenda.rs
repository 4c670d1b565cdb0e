//! Agenda builder for MDT-style meetings: patients are put in order of urgency, packed into
//! consecutive time slots between fixed opening and closing items, and the agenda is
//! rendered as Markdown or HTML, in full or for one attendee.
//!
//! Order: a breached referral or deadline first, then the more urgent risk tier (tier 1 is
//! the highest, as in [`risk::tiers`](crate::risk::tiers)), then the longest time since the
//! last review (never reviewed first), then the patient reference, so the order never
//! depends on input order. Times are `Europe/London` wall-clock times; durations are real
//! minutes.
//!
//! Information governance: a patient is named on the agenda by an opaque local case
//! reference. The display label (e.g. initials and age) and the summary are personal: they
//! are redacted from `Debug`, and the per-attendee rendering shows them only for patients
//! whose care that attendee is involved in ("no more identifiers than needed"). A reference
//! or label that looks like an NHS number is refused.

use std::cmp::Reverse;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::format::{Assignment, Meeting};
use super::time::{local_to_utc, utc_to_local};
use super::ScheduleError;
use crate::ids::NhsNumber;

/// A meeting as it is held: id, title, local start and end, room, and who is invited.
///
/// Shared by agendas ([`Agenda`]) and minutes ([`Minutes`](super::Minutes)).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Assignment, Meeting, MeetingTime};
/// use chrono::NaiveDate;
///
/// let mut m = Meeting::new("m1", 60, ["p1", "p2"]);
/// m.title = "Frailty MDT".into();
/// let start = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap().and_hms_opt(14, 0, 0).unwrap();
/// let a = Assignment { meeting: "m1".into(), start, room: "rm1".into() };
/// let held = MeetingTime::placed(&m, &a)?;
/// assert_eq!(held.end.to_string(), "2026-03-24 15:00:00");
/// assert_eq!(held.when(), "Tue 24 Mar 2026, 14:00-15:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingTime {
    /// Meeting id.
    pub id: String,
    /// Title shown at the top of the agenda or minutes (the id if empty).
    #[serde(default)]
    pub title: String,
    /// Local start (`Europe/London`).
    #[serde(with = "serde_time::local")]
    pub start: NaiveDateTime,
    /// Local end.
    #[serde(with = "serde_time::local")]
    pub end: NaiveDateTime,
    /// Room id or name, shown as "Where".
    #[serde(default)]
    pub room: Option<String>,
    /// Person ids who must attend.
    #[serde(default)]
    pub required: Vec<String>,
    /// Person ids who should attend if they can.
    #[serde(default)]
    pub preferred: Vec<String>,
}

impl MeetingTime {
    /// A meeting from `start` to `end` (local times) with no room and no invitees.
    ///
    /// # Errors
    ///
    /// None; [`Agenda::build`] checks that `end` is after `start`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::MeetingTime;
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 26).unwrap();
    /// let m = MeetingTime::new("ilr-1", "ILR", d.and_hms_opt(9, 0, 0).unwrap(), d.and_hms_opt(10, 30, 0).unwrap());
    /// assert_eq!(m.when(), "Thu 26 Mar 2026, 09:00-10:30");
    /// ```
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            start,
            end,
            room: None,
            required: Vec::new(),
            preferred: Vec::new(),
        }
    }

    /// A meeting of an instance placed by a solution: start and room from `assignment`,
    /// end `duration_minutes` real minutes later, invitees from `meeting`.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidQuery`] (argument `assignment`) if the assignment is for
    /// another meeting.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Instance, MeetingTime, Solution};
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
    ///   "meetings": [{"id": "m1", "title": "MDT", "duration_minutes": 45, "required": ["p1"]}]}"#)?;
    /// let sol = Solution::from_json(r#"{"assignments": [{"meeting": "m1", "start": "2026-03-25T10:00", "room": "virt"}]}"#)?;
    /// let held = MeetingTime::placed(&inst.meetings[0], &sol.assignments[0])?;
    /// assert_eq!((held.title.as_str(), held.room.as_deref()), ("MDT", Some("virt")));
    /// assert_eq!(held.when(), "Wed 25 Mar 2026, 10:00-10:45");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn placed(meeting: &Meeting, assignment: &Assignment) -> Result<Self, ScheduleError> {
        if meeting.id != assignment.meeting {
            return Err(ScheduleError::InvalidQuery {
                argument: "assignment",
                reason: "is for a different meeting".into(),
            });
        }
        Ok(Self {
            id: meeting.id.clone(),
            title: meeting.title.clone(),
            start: assignment.start,
            end: add_minutes(assignment.start, meeting.duration_minutes),
            room: Some(assignment.room.clone()),
            required: meeting.required.clone(),
            preferred: meeting.preferred.clone(),
        })
    }

    /// The date and times as written on agendas and emails: `Tue 24 Mar 2026, 14:00-15:00`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::MeetingTime;
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    /// let m = MeetingTime::new("m", "", d.and_hms_opt(8, 0, 0).unwrap(), d.and_hms_opt(8, 45, 0).unwrap());
    /// assert_eq!(m.when(), "Wed 1 Apr 2026, 08:00-08:45");
    /// ```
    pub fn when(&self) -> String {
        span_text(self.start, self.end)
    }

    /// The title, or the id when the title is empty.
    fn heading(&self) -> &str {
        if self.title.trim().is_empty() {
            &self.id
        } else {
            &self.title
        }
    }
}

/// One patient put forward for discussion.
///
/// `patient_ref` is an opaque local case reference (never an NHS number); `label` (e.g.
/// initials and age) and `summary` are personal and are redacted from `Debug`.
///
/// # Example
///
/// ```
/// use carecoord::schedule::AgendaItem;
///
/// let mut item = AgendaItem::new("CASE-0012", "AB, 84", Some(1));
/// item.breached = true;
/// item.involved = vec!["p2".into()];
/// item.summary.reason = "Falls at home".into();
/// let shown = format!("{item:?}");
/// assert!(shown.contains("CASE-0012") && !shown.contains("AB, 84") && !shown.contains("Falls"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Opaque local case reference, unique on the agenda; shown to every attendee.
    pub patient_ref: String,
    /// Display label such as initials and age; shown only where needed.
    #[serde(default)]
    pub label: String,
    /// Population risk tier: 1 is the highest risk, as in
    /// [`risk::tiers`](crate::risk::tiers); `None` if not tiered (sorts after every tier).
    #[serde(default)]
    pub risk_tier: Option<u8>,
    /// A referral or review deadline has been breached.
    #[serde(default)]
    pub breached: bool,
    /// Days since the last review; `None` if never reviewed.
    #[serde(default)]
    pub days_since_review: Option<u32>,
    /// Minutes needed; `None` takes [`AgendaOptions::default_minutes`].
    #[serde(default)]
    pub minutes: Option<u32>,
    /// Person ids involved in the patient's care: they see the summary.
    #[serde(default)]
    pub involved: Vec<String>,
    /// The collated summary for the discussion.
    #[serde(default)]
    pub summary: PatientSummary,
}

impl AgendaItem {
    /// An item with a reference, a label and a risk tier; not breached, never reviewed,
    /// default time, nobody involved, empty summary.
    ///
    /// # Errors
    ///
    /// None; [`Agenda::build`] checks the fields.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::AgendaItem;
    ///
    /// let item = AgendaItem::new("CASE-7", "CD, 77", None);
    /// assert_eq!((item.minutes, item.days_since_review), (None, None));
    /// ```
    pub fn new(
        patient_ref: impl Into<String>,
        label: impl Into<String>,
        risk_tier: Option<u8>,
    ) -> Self {
        Self {
            patient_ref: patient_ref.into(),
            label: label.into(),
            risk_tier,
            breached: false,
            days_since_review: None,
            minutes: None,
            involved: Vec::new(),
            summary: PatientSummary::default(),
        }
    }

    /// The sort key of the allocation order (smaller first).
    fn order_key(&self) -> (bool, u16, (u8, Reverse<u32>), &str) {
        (
            !self.breached,
            self.risk_tier.map_or(u16::MAX, u16::from),
            match self.days_since_review {
                None => (0, Reverse(u32::MAX)),
                Some(d) => (1, Reverse(d)),
            },
            &self.patient_ref,
        )
    }

    fn title(&self, with_label: bool) -> String {
        if with_label && !self.label.trim().is_empty() {
            format!("Patient {} ({})", self.patient_ref, self.label)
        } else {
            format!("Patient {}", self.patient_ref)
        }
    }
}

impl fmt::Debug for AgendaItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgendaItem")
            .field("patient_ref", &self.patient_ref)
            .field("label", &"<redacted>")
            .field("risk_tier", &self.risk_tier)
            .field("breached", &self.breached)
            .field("days_since_review", &self.days_since_review)
            .field("minutes", &self.minutes)
            .field("involved", &self.involved)
            .field("summary", &self.summary)
            .finish()
    }
}

/// The collated summary of a patient for the meeting: reason for discussion, key problems,
/// risk scores and open actions. Free text, so `Debug` shows only counts.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{PatientSummary, RiskScore};
///
/// let s = PatientSummary {
///     reason: "Two falls in a month".into(),
///     key_problems: vec!["Falls".into(), "COPD".into()],
///     risk_scores: vec![RiskScore::new("eFI", "0.36 (severe)")],
///     open_actions: vec![],
/// };
/// assert_eq!(format!("{s:?}"), "PatientSummary { reason: <redacted>, key_problems: 2, risk_scores: 1, open_actions: 0 }");
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PatientSummary {
    /// Why the patient is being discussed.
    #[serde(default)]
    pub reason: String,
    /// Key problems, one per entry.
    #[serde(default)]
    pub key_problems: Vec<String>,
    /// Risk scores with their values as shown.
    #[serde(default)]
    pub risk_scores: Vec<RiskScore>,
    /// Open actions carried from earlier meetings.
    #[serde(default)]
    pub open_actions: Vec<String>,
}

impl fmt::Debug for PatientSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PatientSummary {{ reason: <redacted>, key_problems: {}, risk_scores: {}, open_actions: {} }}",
            self.key_problems.len(),
            self.risk_scores.len(),
            self.open_actions.len()
        )
    }
}

/// A risk score as shown on the agenda: instrument name and value text (value redacted
/// from `Debug`).
///
/// # Example
///
/// ```
/// use carecoord::schedule::RiskScore;
///
/// let r = RiskScore::new("LACE", "12");
/// assert_eq!(format!("{r:?}"), r#"RiskScore { name: "LACE", value: <redacted> }"#);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskScore {
    /// Instrument, e.g. `eFI`, `LACE`, `HFRS`.
    pub name: String,
    /// Value as shown, e.g. `0.36 (severe)`.
    pub value: String,
}

impl RiskScore {
    /// A score with a name and a value.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::RiskScore;
    /// assert_eq!(RiskScore::new("eFI", "0.2").name, "eFI");
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl fmt::Debug for RiskScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RiskScore {{ name: {:?}, value: <redacted> }}",
            self.name
        )
    }
}

/// A fixed item at the start or end of every agenda, e.g. "Actions from last meeting".
///
/// # Example
///
/// ```
/// use carecoord::schedule::FixedItem;
/// assert_eq!(FixedItem::new("Any other business", 5).minutes, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedItem {
    /// Title shown on the agenda.
    pub title: String,
    /// Minutes allowed (positive).
    pub minutes: u32,
}

impl FixedItem {
    /// A fixed item.
    ///
    /// # Errors
    ///
    /// None; [`Agenda::build`] checks that `minutes` is positive.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::FixedItem;
    /// assert_eq!(FixedItem::new("Apologies", 2).title, "Apologies");
    /// ```
    pub fn new(title: impl Into<String>, minutes: u32) -> Self {
        Self {
            title: title.into(),
            minutes,
        }
    }
}

/// How an agenda is built.
///
/// # Example
///
/// ```
/// use carecoord::schedule::AgendaOptions;
///
/// let o = AgendaOptions::default();
/// assert_eq!(o.default_minutes, 10);
/// assert_eq!(o.opening[0].title, "Actions from last meeting");
/// assert_eq!(o.closing[0].title, "Any other business");
/// assert!(!o.backfill);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaOptions {
    /// Minutes for a patient whose item gives none (default 10).
    pub default_minutes: u32,
    /// Items before the patients (default: "Actions from last meeting", 10 minutes).
    pub opening: Vec<FixedItem>,
    /// Items after the patients (default: "Any other business", 5 minutes).
    pub closing: Vec<FixedItem>,
    /// If true, a later patient who fits may take time that an earlier (more urgent)
    /// patient could not use; if false (default) the order is strict and everyone after the
    /// first patient who does not fit is deferred.
    pub backfill: bool,
}

impl Default for AgendaOptions {
    fn default() -> Self {
        Self {
            default_minutes: 10,
            opening: vec![FixedItem::new("Actions from last meeting", 10)],
            closing: vec![FixedItem::new("Any other business", 5)],
            backfill: false,
        }
    }
}

/// What fills a slot of the agenda.
///
/// # Example
///
/// ```
/// use carecoord::schedule::EntryItem;
/// let e = EntryItem::Fixed("Any other business".into());
/// assert!(matches!(e, EntryItem::Fixed(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryItem {
    /// An opening or closing item, by title.
    Fixed(String),
    /// A patient's discussion.
    Patient(AgendaItem),
}

/// A time slot of the agenda.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, EntryItem, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let agenda = Agenda::build(&m, &[AgendaItem::new("CASE-1", "AB, 84", Some(2))], &AgendaOptions::default())?;
/// let e = &agenda.entries[1];
/// assert_eq!((e.start.to_string(), e.end.to_string()), ("2026-03-24 14:10:00".into(), "2026-03-24 14:20:00".into()));
/// assert!(matches!(&e.item, EntryItem::Patient(p) if p.patient_ref == "CASE-1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaEntry {
    /// Local start.
    pub start: NaiveDateTime,
    /// Local end.
    pub end: NaiveDateTime,
    /// What is discussed.
    pub item: EntryItem,
}

/// Why a patient was left off the agenda.
///
/// # Example
///
/// ```
/// use carecoord::schedule::DeferReason;
///
/// let r = DeferReason::NotEnoughTime { needed: 20, left: 5 };
/// assert_eq!(r.code(), "not_enough_time");
/// assert_eq!(r.to_string(), "not enough time (needs 20 minutes, 5 left)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeferReason {
    /// The patient needs more minutes than are left.
    NotEnoughTime {
        /// Minutes the patient needs.
        needed: u32,
        /// Minutes left when the patient's turn came.
        left: u32,
    },
    /// A more urgent patient did not fit, and the order is strict
    /// ([`AgendaOptions::backfill`] is false).
    BehindHigherPriority,
}

impl DeferReason {
    /// A short stable snake_case code: `not_enough_time` or `behind_higher_priority`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::DeferReason;
    /// assert_eq!(DeferReason::BehindHigherPriority.code(), "behind_higher_priority");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotEnoughTime { .. } => "not_enough_time",
            Self::BehindHigherPriority => "behind_higher_priority",
        }
    }
}

impl fmt::Display for DeferReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotEnoughTime { needed, left } => {
                write!(f, "not enough time (needs {needed} minutes, {left} left)")
            }
            Self::BehindHigherPriority => {
                f.write_str("a more urgent patient did not fit (strict order)")
            }
        }
    }
}

/// A patient put forward but not on this agenda, with the reason.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, DeferReason, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(14, 30, 0).unwrap());
/// let mut long = AgendaItem::new("CASE-2", "EF, 90", Some(1));
/// long.minutes = Some(30);
/// let agenda = Agenda::build(&m, &[long], &AgendaOptions::default())?;
/// assert_eq!(agenda.deferred[0].reason, DeferReason::NotEnoughTime { needed: 30, left: 15 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    /// The patient's item.
    pub item: AgendaItem,
    /// Why it is not on the agenda.
    pub reason: DeferReason,
}

/// A built agenda: the meeting, its time slots in order, and the deferred patients.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "Frailty MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let mut a = AgendaItem::new("CASE-1", "AB, 84", Some(2));
/// a.involved = vec!["p2".into()];
/// let b = AgendaItem::new("CASE-2", "CD, 77", Some(1));
/// let agenda = Agenda::build(&m, &[a, b], &AgendaOptions::default())?;
/// // Tier 1 before tier 2.
/// let md = agenda.to_markdown_for("p2");
/// assert!(md.contains("| 14:10-14:20 | Patient CASE-2 |"));
/// assert!(md.contains("| 14:20-14:30 | Patient CASE-1 (AB, 84) |"));
/// assert!(!md.contains("CD, 77"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda {
    /// The meeting.
    pub meeting: MeetingTime,
    /// Time slots in order: opening items, patients, closing items.
    pub entries: Vec<AgendaEntry>,
    /// Patients not on the agenda, in allocation order.
    pub deferred: Vec<Deferred>,
}

impl Agenda {
    /// Orders the patients (breach, risk tier, days since review, reference) and packs them
    /// into consecutive slots after the opening items, keeping time for the closing items,
    /// which follow the last patient.
    ///
    /// # Errors
    ///
    /// * [`ScheduleError::InvalidTime`] (`meeting.end`) if the meeting does not end after it
    ///   starts;
    /// * [`ScheduleError::InvalidField`] for a zero `minutes` (`items[i].minutes`,
    ///   `options.default_minutes`, `options.opening[i].minutes`), an empty reference, a
    ///   risk tier of 0, or fixed items longer than the meeting (`options`);
    /// * [`ScheduleError::DuplicateEntry`] (`items[i].patient_ref`) for a repeated
    ///   reference;
    /// * [`ScheduleError::IdentifierNotAllowed`] if the reference, the label or a summary
    ///   text holds what looks like an NHS number.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let err = Agenda::build(&m, &[AgendaItem::new("943 476 5919", "AB", None)], &AgendaOptions::default())
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "items[0].patient_ref: looks like an NHS number; use a local case reference");
    /// ```
    pub fn build(
        meeting: &MeetingTime,
        items: &[AgendaItem],
        options: &AgendaOptions,
    ) -> Result<Agenda, ScheduleError> {
        let length = local_to_utc(meeting.end) - local_to_utc(meeting.start);
        if length <= 0 {
            return Err(ScheduleError::InvalidTime {
                path: "meeting.end".into(),
                reason: "must be after the start".into(),
            });
        }
        if options.default_minutes == 0 {
            return Err(positive("options.default_minutes"));
        }
        let mut fixed_total: i64 = 0;
        for (name, list) in [("opening", &options.opening), ("closing", &options.closing)] {
            for (i, f) in list.iter().enumerate() {
                if f.minutes == 0 {
                    return Err(positive(&format!("options.{name}[{i}].minutes")));
                }
                fixed_total += i64::from(f.minutes);
            }
        }
        if fixed_total > length {
            return Err(ScheduleError::InvalidField {
                path: "options".into(),
                reason: format!(
                    "opening and closing items take {fixed_total} minutes but the meeting lasts {length}"
                ),
            });
        }
        check_items(items)?;

        let mut order: Vec<&AgendaItem> = items.iter().collect();
        order.sort_by(|a, b| a.order_key().cmp(&b.order_key()));

        let mut entries = Vec::new();
        let mut cursor = meeting.start;
        for f in &options.opening {
            let end = add_minutes(cursor, f.minutes);
            entries.push(AgendaEntry {
                start: cursor,
                end,
                item: EntryItem::Fixed(f.title.clone()),
            });
            cursor = end;
        }
        let mut left = length - fixed_total;
        let mut deferred = Vec::new();
        let mut blocked = false;
        for item in order {
            let needed = item.minutes.unwrap_or(options.default_minutes);
            if blocked {
                deferred.push(Deferred {
                    item: item.clone(),
                    reason: DeferReason::BehindHigherPriority,
                });
            } else if i64::from(needed) <= left {
                let end = add_minutes(cursor, needed);
                entries.push(AgendaEntry {
                    start: cursor,
                    end,
                    item: EntryItem::Patient(item.clone()),
                });
                cursor = end;
                left -= i64::from(needed);
            } else {
                deferred.push(Deferred {
                    item: item.clone(),
                    reason: DeferReason::NotEnoughTime {
                        needed,
                        left: u32::try_from(left).unwrap_or(u32::MAX),
                    },
                });
                blocked = !options.backfill;
            }
        }
        for f in &options.closing {
            let end = add_minutes(cursor, f.minutes);
            entries.push(AgendaEntry {
                start: cursor,
                end,
                item: EntryItem::Fixed(f.title.clone()),
            });
            cursor = end;
        }
        Ok(Agenda {
            meeting: meeting.clone(),
            entries,
            deferred,
        })
    }

    /// The patients on the agenda, in order.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut late = AgendaItem::new("CASE-9", "GH, 70", Some(3));
    /// late.breached = true;
    /// let items = [AgendaItem::new("CASE-1", "AB, 84", Some(1)), late];
    /// let agenda = Agenda::build(&m, &items, &AgendaOptions::default())?;
    /// let refs: Vec<&str> = agenda.patients().map(|p| p.patient_ref.as_str()).collect();
    /// assert_eq!(refs, ["CASE-9", "CASE-1"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn patients(&self) -> impl Iterator<Item = &AgendaItem> {
        self.entries.iter().filter_map(|e| match &e.item {
            EntryItem::Patient(p) => Some(p),
            EntryItem::Fixed(_) => None,
        })
    }

    /// The full agenda as Markdown: every patient with label and summary (for the chair and
    /// the coordinator).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let agenda = Agenda::build(&m, &[AgendaItem::new("CASE-1", "AB, 84", Some(1))], &AgendaOptions::default())?;
    /// let md = agenda.to_markdown();
    /// assert!(md.starts_with("# Agenda: MDT\n"));
    /// assert!(md.contains("## 14:10-14:20 Patient CASE-1 (AB, 84)\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        render_markdown(&self.blocks(None))
    }

    /// The full agenda as an HTML document (text escaped).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT <north>", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let agenda = Agenda::build(&m, &[], &AgendaOptions::default())?;
    /// assert!(agenda.to_html().contains("<h1>Agenda: MDT &lt;north&gt;</h1>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html(&self) -> String {
        render_html(&self.title(None), &self.blocks(None))
    }

    /// The agenda for one attendee as Markdown: the collated summary (and label) only for
    /// patients whose `involved` list names `person`; other patients show only their time
    /// slot and reference, and deferred patients only if `person` is involved.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut item = AgendaItem::new("CASE-1", "AB, 84", Some(1));
    /// item.involved = vec!["p1".into()];
    /// let agenda = Agenda::build(&m, &[item], &AgendaOptions::default())?;
    /// assert!(agenda.to_markdown_for("p1").contains("AB, 84"));
    /// assert!(!agenda.to_markdown_for("p9").contains("AB, 84"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_markdown_for(&self, person: &str) -> String {
        render_markdown(&self.blocks(Some(person)))
    }

    /// The agenda for one attendee as an HTML document; see [`Agenda::to_markdown_for`].
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Agenda, AgendaItem, AgendaOptions, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let agenda = Agenda::build(&m, &[AgendaItem::new("CASE-1", "AB, 84", Some(1))], &AgendaOptions::default())?;
    /// let html = agenda.to_html_for("p9");
    /// assert!(html.contains("<td>Patient CASE-1</td>") && !html.contains("AB, 84"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html_for(&self, person: &str) -> String {
        render_html(&self.title(Some(person)), &self.blocks(Some(person)))
    }

    fn title(&self, person: Option<&str>) -> String {
        match person {
            None => format!("Agenda: {}", self.meeting.heading()),
            Some(p) => format!("Agenda: {} (for {p})", self.meeting.heading()),
        }
    }

    /// The document for everyone (`None`) or for one attendee.
    fn blocks(&self, person: Option<&str>) -> Vec<Block> {
        let sees = |item: &AgendaItem| person.is_none_or(|p| item.involved.iter().any(|x| x == p));
        let m = &self.meeting;
        let mut out = vec![Block::Heading(1, self.title(person))];
        let mut head = vec![
            format!("Meeting: {}", m.id),
            format!("When: {} (Europe/London)", m.when()),
        ];
        if let Some(room) = &m.room {
            head.push(format!("Where: {room}"));
        }
        if !m.required.is_empty() {
            head.push(format!("Required: {}", m.required.join(", ")));
        }
        if !m.preferred.is_empty() {
            head.push(format!("Optional: {}", m.preferred.join(", ")));
        }
        out.push(Block::List(head));
        if person.is_some() {
            out.push(Block::Para(
                "Details are shown only for patients whose care you are involved in.".into(),
            ));
        }
        let rows = self
            .entries
            .iter()
            .map(|e| {
                let what = match &e.item {
                    EntryItem::Fixed(t) => t.clone(),
                    EntryItem::Patient(p) => p.title(sees(p)),
                };
                vec![times_text(e.start, e.end), what]
            })
            .collect();
        out.push(Block::Table(vec!["Time", "Item"], rows));
        for e in &self.entries {
            let EntryItem::Patient(p) = &e.item else {
                continue;
            };
            if !sees(p) {
                continue;
            }
            out.push(Block::Heading(
                2,
                format!("{} {}", times_text(e.start, e.end), p.title(true)),
            ));
            out.push(Block::List(summary_lines(p)));
        }
        let deferred: Vec<String> = self
            .deferred
            .iter()
            .filter(|d| sees(&d.item))
            .map(|d| format!("{}: {}", d.item.title(true), d.reason))
            .collect();
        if !deferred.is_empty() {
            out.push(Block::Heading(2, "Deferred to a later meeting".into()));
            out.push(Block::List(deferred));
        }
        out
    }
}

fn summary_lines(p: &AgendaItem) -> Vec<String> {
    let s = &p.summary;
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join("; ")
        }
    };
    let reason = if s.reason.trim().is_empty() {
        "not given"
    } else {
        s.reason.as_str()
    };
    let scores: Vec<String> = s
        .risk_scores
        .iter()
        .map(|r| format!("{} {}", r.name, r.value))
        .collect();
    vec![
        format!("Reason for discussion: {reason}"),
        format!(
            "Risk tier: {}",
            p.risk_tier
                .map_or("not tiered".to_string(), |t| t.to_string())
        ),
        format!(
            "Deadline breached: {}",
            if p.breached { "yes" } else { "no" }
        ),
        format!(
            "Last review: {}",
            match p.days_since_review {
                None => "never".to_string(),
                Some(1) => "1 day ago".to_string(),
                Some(d) => format!("{d} days ago"),
            }
        ),
        format!("Key problems: {}", list(&s.key_problems)),
        format!("Risk scores: {}", list(&scores)),
        format!("Open actions: {}", list(&s.open_actions)),
        format!("Involved: {}", list(&p.involved)),
    ]
}

fn positive(path: &str) -> ScheduleError {
    ScheduleError::InvalidField {
        path: path.into(),
        reason: "must be a positive number of minutes".into(),
    }
}

fn check_items(items: &[AgendaItem]) -> Result<(), ScheduleError> {
    let mut seen: Vec<&str> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = |f: &str| format!("items[{i}].{f}");
        if item.patient_ref.trim().is_empty() {
            return Err(ScheduleError::InvalidField {
                path: path("patient_ref"),
                reason: "must not be empty".into(),
            });
        }
        if looks_like_nhs_number(&item.patient_ref) {
            return Err(ScheduleError::IdentifierNotAllowed {
                path: path("patient_ref"),
            });
        }
        let s = &item.summary;
        let texts = [
            (path("label"), item.label.as_str()),
            (path("summary.reason"), s.reason.as_str()),
        ]
        .into_iter()
        .chain(
            s.key_problems
                .iter()
                .enumerate()
                .map(|(k, t)| (path(&format!("summary.key_problems[{k}]")), t.as_str())),
        )
        .chain(s.risk_scores.iter().enumerate().map(|(k, r)| {
            (
                path(&format!("summary.risk_scores[{k}].value")),
                r.value.as_str(),
            )
        }))
        .chain(
            s.open_actions
                .iter()
                .enumerate()
                .map(|(k, t)| (path(&format!("summary.open_actions[{k}]")), t.as_str())),
        );
        for (p, text) in texts {
            if looks_like_nhs_number(text) {
                return Err(ScheduleError::IdentifierNotAllowed { path: p });
            }
        }
        if item.risk_tier == Some(0) {
            return Err(ScheduleError::InvalidField {
                path: path("risk_tier"),
                reason: "tiers start at 1 (the highest risk)".into(),
            });
        }
        if item.minutes == Some(0) {
            return Err(positive(&path("minutes")));
        }
        if seen.contains(&item.patient_ref.as_str()) {
            return Err(ScheduleError::DuplicateEntry {
                path: path("patient_ref"),
                what: "patient reference",
            });
        }
        seen.push(&item.patient_ref);
    }
    Ok(())
}

/// Whether `text` holds a valid NHS number: a run of exactly ten digits, or three runs of
/// 3, 3 and 4 digits joined by single spaces or hyphens (the layouts
/// [`NhsNumber::parse`] accepts), passing the modulus 11 check.
pub(super) fn looks_like_nhs_number(text: &str) -> bool {
    let b = text.as_bytes();
    // Maximal digit runs: (start, end).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    let valid = |s: &str| NhsNumber::is_valid(s);
    for (k, &(s, e)) in runs.iter().enumerate() {
        if e - s == 10 && valid(&text[s..e]) {
            return true;
        }
        if let [(s1, e1), (s2, e2)] = runs.get(k + 1..k + 3).unwrap_or(&[]) {
            let sep = |at: usize| matches!(b[at], b' ' | b'-');
            if e - s == 3
                && *s1 == e + 1
                && sep(e)
                && e1 - s1 == 3
                && *s2 == e1 + 1
                && sep(*e1)
                && e2 - s2 == 4
            {
                let joined = format!("{}{}{}", &text[s..e], &text[*s1..*e1], &text[*s2..*e2]);
                if valid(&joined) {
                    return true;
                }
            }
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// Times.
// ---------------------------------------------------------------------------------------

/// `t` plus `minutes` real minutes, as a local time.
pub(super) fn add_minutes(t: NaiveDateTime, minutes: u32) -> NaiveDateTime {
    utc_to_local(local_to_utc(t) + i64::from(minutes))
}

/// `Tue 24 Mar 2026`.
pub(super) fn date_text(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// `14:00-15:00` (the end's date is added if it differs).
pub(super) fn times_text(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!("{}-{}", start.format("%H:%M"), end.format("%H:%M"))
    } else {
        format!(
            "{}-{} {}",
            start.format("%H:%M"),
            date_text(end.date()),
            end.format("%H:%M")
        )
    }
}

/// `Tue 24 Mar 2026, 14:00-15:00`.
pub(super) fn span_text(start: NaiveDateTime, end: NaiveDateTime) -> String {
    format!("{}, {}", date_text(start.date()), times_text(start, end))
}

// ---------------------------------------------------------------------------------------
// A small document model rendered as Markdown or HTML, so both renderings say the same.
// ---------------------------------------------------------------------------------------

/// A block of a rendered document; all text is plain and escaped by the renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    Heading(u8, String),
    Para(String),
    List(Vec<String>),
    Table(Vec<&'static str>, Vec<Vec<String>>),
}

/// Escapes text for Markdown: the characters that could start markup are
/// backslash-escaped (CommonMark allows this for any ASCII punctuation), and line breaks
/// become spaces so a value cannot start a new block.
pub(super) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub(super) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn render_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match b {
            Block::Heading(level, t) => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&md_escape(t));
                out.push('\n');
            }
            Block::Para(t) => {
                out.push_str(&md_escape(t));
                out.push('\n');
            }
            Block::List(items) => {
                for t in items {
                    out.push_str("- ");
                    out.push_str(&md_escape(t));
                    out.push('\n');
                }
            }
            Block::Table(head, rows) => {
                out.push_str(&md_row(head.iter().map(|h| md_escape(h))));
                out.push_str(&md_row(head.iter().map(|_| "---".to_string())));
                for r in rows {
                    out.push_str(&md_row(r.iter().map(|c| md_escape(c))));
                }
            }
        }
    }
    out
}

fn md_row(cells: impl Iterator<Item = String>) -> String {
    let mut line = String::from("|");
    for c in cells {
        line.push(' ');
        line.push_str(&c);
        line.push_str(" |");
    }
    line.push('\n');
    line
}

/// The blocks as HTML elements, one per line.
pub(super) fn render_html_body(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, t) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", html_escape(t)));
            }
            Block::Para(t) => out.push_str(&format!("<p>{}</p>\n", html_escape(t))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for t in items {
                    out.push_str(&format!("<li>{}</li>\n", html_escape(t)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(head, rows) => {
                out.push_str("<table>\n<thead>\n<tr>");
                for h in head {
                    out.push_str(&format!("<th>{}</th>", html_escape(h)));
                }
                out.push_str("</tr>\n</thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        out.push_str(&format!("<td>{}</td>", html_escape(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out
}

/// A whole HTML document with a title.
pub(super) fn render_html(title: &str, blocks: &[Block]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n{}</body>\n</html>\n",
        html_escape(title),
        render_html_body(blocks)
    )
}

// ---------------------------------------------------------------------------------------
// Serde helpers: chrono's serde feature is off in this workspace.
// ---------------------------------------------------------------------------------------

pub(super) mod serde_time {
    /// Local date-times as `YYYY-MM-DDTHH:MM`, as in the format.
    pub(crate) mod local {
        use chrono::NaiveDateTime;
        use serde::{Deserialize, Deserializer, Serializer};

        use crate::schedule::time::{format_local, parse_local};

        pub(crate) fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&format_local(*t))
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<NaiveDateTime, D::Error> {
            let text = String::deserialize(d)?;
            parse_local(&text).map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn mdt() -> MeetingTime {
        let mut m = MeetingTime::new("m1", "Frailty MDT", at(24, 14, 0), at(24, 15, 0));
        m.room = Some("rm1".into());
        m.required = vec!["p1".into(), "p2".into(), "p4".into()];
        m.preferred = vec!["p3".into()];
        m
    }

    fn item(
        r: &str,
        label: &str,
        tier: Option<u8>,
        days: Option<u32>,
        minutes: Option<u32>,
        involved: &[&str],
    ) -> AgendaItem {
        let mut it = AgendaItem::new(r, label, tier);
        it.days_since_review = days;
        it.minutes = minutes;
        it.involved = involved.iter().map(|s| s.to_string()).collect();
        it
    }

    /// Six synthetic patients. Order worked by hand: CASE-0102 (breached) first; then
    /// tier 1: CASE-0103 (never reviewed) before CASE-0104 (100 days); then tier 2 with 40
    /// days each: CASE-0101 before CASE-0105 by reference; then CASE-0106 (not tiered).
    /// The meeting has 60 - 10 - 5 = 45 minutes for patients: 15 + 15 + 10 = 40 are used
    /// by the first three, leaving 5, too few for CASE-0101's 10.
    fn items() -> Vec<AgendaItem> {
        let mut c = item("CASE-0103", "EF, 91", Some(1), None, Some(15), &["p4"]);
        c.summary = PatientSummary {
            reason: "Two falls in March".into(),
            key_problems: vec!["Falls".into(), "Heart failure <NYHA III>".into()],
            risk_scores: vec![
                RiskScore::new("eFI", "0.36 (severe)"),
                RiskScore::new("LACE", "12"),
            ],
            open_actions: vec!["OT home assessment (*urgent*)".into()],
        };
        let mut b = item("CASE-0102", "CD, 77", Some(3), Some(10), Some(15), &["p2"]);
        b.breached = true;
        vec![
            item(
                "CASE-0101",
                "AB, 84",
                Some(2),
                Some(40),
                None,
                &["p1", "p2"],
            ),
            b,
            c,
            item("CASE-0104", "GH, 68", Some(1), Some(100), Some(10), &["p1"]),
            item("CASE-0105", "IJ, 80", Some(2), Some(40), Some(10), &["p4"]),
            item("CASE-0106", "KL, 59", None, Some(3), Some(5), &[]),
        ]
    }

    fn times(a: &Agenda) -> Vec<String> {
        a.entries
            .iter()
            .map(|e| {
                let what = match &e.item {
                    EntryItem::Fixed(t) => t.clone(),
                    EntryItem::Patient(p) => p.patient_ref.clone(),
                };
                format!("{} {what}", times_text(e.start, e.end))
            })
            .collect()
    }

    #[test]
    fn strict_order_packs_and_defers() {
        let a = Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap();
        assert_eq!(
            times(&a),
            [
                "14:00-14:10 Actions from last meeting",
                "14:10-14:25 CASE-0102",
                "14:25-14:40 CASE-0103",
                "14:40-14:50 CASE-0104",
                "14:50-14:55 Any other business",
            ]
        );
        let deferred: Vec<(String, DeferReason)> = a
            .deferred
            .iter()
            .map(|d| (d.item.patient_ref.clone(), d.reason))
            .collect();
        assert_eq!(
            deferred,
            [
                (
                    "CASE-0101".to_string(),
                    DeferReason::NotEnoughTime {
                        needed: 10,
                        left: 5
                    }
                ),
                ("CASE-0105".to_string(), DeferReason::BehindHigherPriority),
                ("CASE-0106".to_string(), DeferReason::BehindHigherPriority),
            ]
        );
    }

    #[test]
    fn backfill_lets_a_short_item_use_the_last_minutes() {
        let options = AgendaOptions {
            backfill: true,
            ..AgendaOptions::default()
        };
        let a = Agenda::build(&mdt(), &items(), &options).unwrap();
        // CASE-0101 and CASE-0105 need 10 minutes with 5 left; CASE-0106 needs exactly 5.
        assert_eq!(
            times(&a),
            [
                "14:00-14:10 Actions from last meeting",
                "14:10-14:25 CASE-0102",
                "14:25-14:40 CASE-0103",
                "14:40-14:50 CASE-0104",
                "14:50-14:55 CASE-0106",
                "14:55-15:00 Any other business",
            ]
        );
        let codes: Vec<&str> = a.deferred.iter().map(|d| d.reason.code()).collect();
        assert_eq!(codes, ["not_enough_time", "not_enough_time"]);
    }

    #[test]
    fn input_order_does_not_matter() {
        let mut rev = items();
        rev.reverse();
        assert_eq!(
            Agenda::build(&mdt(), &rev, &AgendaOptions::default()).unwrap(),
            Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap()
        );
    }

    const FULL_MD: &str = "\
# Agenda: Frailty MDT

- Meeting: m1
- When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)
- Where: rm1
- Required: p1, p2, p4
- Optional: p3

| Time | Item |
| --- | --- |
| 14:00-14:10 | Actions from last meeting |
| 14:10-14:25 | Patient CASE-0102 (CD, 77) |
| 14:25-14:40 | Patient CASE-0103 (EF, 91) |
| 14:40-14:50 | Patient CASE-0104 (GH, 68) |
| 14:50-14:55 | Any other business |

## 14:10-14:25 Patient CASE-0102 (CD, 77)

- Reason for discussion: not given
- Risk tier: 3
- Deadline breached: yes
- Last review: 10 days ago
- Key problems: none
- Risk scores: none
- Open actions: none
- Involved: p2

## 14:25-14:40 Patient CASE-0103 (EF, 91)

- Reason for discussion: Two falls in March
- Risk tier: 1
- Deadline breached: no
- Last review: never
- Key problems: Falls; Heart failure \\<NYHA III\\>
- Risk scores: eFI 0.36 (severe); LACE 12
- Open actions: OT home assessment (\\*urgent\\*)
- Involved: p4

## 14:40-14:50 Patient CASE-0104 (GH, 68)

- Reason for discussion: not given
- Risk tier: 1
- Deadline breached: no
- Last review: 100 days ago
- Key problems: none
- Risk scores: none
- Open actions: none
- Involved: p1

## Deferred to a later meeting

- Patient CASE-0101 (AB, 84): not enough time (needs 10 minutes, 5 left)
- Patient CASE-0105 (IJ, 80): a more urgent patient did not fit (strict order)
- Patient CASE-0106 (KL, 59): a more urgent patient did not fit (strict order)
";

    #[test]
    fn full_markdown() {
        let a = Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap();
        assert_eq!(a.to_markdown(), FULL_MD);
    }

    const P4_MD: &str = "\
# Agenda: Frailty MDT (for p4)

- Meeting: m1
- When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)
- Where: rm1
- Required: p1, p2, p4
- Optional: p3

Details are shown only for patients whose care you are involved in.

| Time | Item |
| --- | --- |
| 14:00-14:10 | Actions from last meeting |
| 14:10-14:25 | Patient CASE-0102 |
| 14:25-14:40 | Patient CASE-0103 (EF, 91) |
| 14:40-14:50 | Patient CASE-0104 |
| 14:50-14:55 | Any other business |

## 14:25-14:40 Patient CASE-0103 (EF, 91)

- Reason for discussion: Two falls in March
- Risk tier: 1
- Deadline breached: no
- Last review: never
- Key problems: Falls; Heart failure \\<NYHA III\\>
- Risk scores: eFI 0.36 (severe); LACE 12
- Open actions: OT home assessment (\\*urgent\\*)
- Involved: p4

## Deferred to a later meeting

- Patient CASE-0105 (IJ, 80): a more urgent patient did not fit (strict order)
";

    #[test]
    fn per_attendee_markdown_shows_only_their_patients() {
        let a = Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap();
        assert_eq!(a.to_markdown_for("p4"), P4_MD);
        // p3 is involved in no patient: references and times only, no labels, no summary.
        let p3 = a.to_markdown_for("p3");
        for label in ["AB, 84", "CD, 77", "EF, 91", "GH, 68", "IJ, 80", "KL, 59"] {
            assert!(!p3.contains(label), "{label}");
        }
        assert!(!p3.contains("Falls") && !p3.contains("Deferred"));
        assert!(p3.contains("| 14:25-14:40 | Patient CASE-0103 |"));
    }

    const P4_HTML: &str = "\
<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>Agenda: Frailty MDT (for p4)</title>
</head>
<body>
<h1>Agenda: Frailty MDT (for p4)</h1>
<ul>
<li>Meeting: m1</li>
<li>When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)</li>
<li>Where: rm1</li>
<li>Required: p1, p2, p4</li>
<li>Optional: p3</li>
</ul>
<p>Details are shown only for patients whose care you are involved in.</p>
<table>
<thead>
<tr><th>Time</th><th>Item</th></tr>
</thead>
<tbody>
<tr><td>14:00-14:10</td><td>Actions from last meeting</td></tr>
<tr><td>14:10-14:25</td><td>Patient CASE-0102</td></tr>
<tr><td>14:25-14:40</td><td>Patient CASE-0103 (EF, 91)</td></tr>
<tr><td>14:40-14:50</td><td>Patient CASE-0104</td></tr>
<tr><td>14:50-14:55</td><td>Any other business</td></tr>
</tbody>
</table>
<h2>14:25-14:40 Patient CASE-0103 (EF, 91)</h2>
<ul>
<li>Reason for discussion: Two falls in March</li>
<li>Risk tier: 1</li>
<li>Deadline breached: no</li>
<li>Last review: never</li>
<li>Key problems: Falls; Heart failure &lt;NYHA III&gt;</li>
<li>Risk scores: eFI 0.36 (severe); LACE 12</li>
<li>Open actions: OT home assessment (*urgent*)</li>
<li>Involved: p4</li>
</ul>
<h2>Deferred to a later meeting</h2>
<ul>
<li>Patient CASE-0105 (IJ, 80): a more urgent patient did not fit (strict order)</li>
</ul>
</body>
</html>
";

    #[test]
    fn per_attendee_html() {
        let a = Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap();
        assert_eq!(a.to_html_for("p4"), P4_HTML);
        let full = a.to_html();
        assert!(full.contains("<tr><td>14:10-14:25</td><td>Patient CASE-0102 (CD, 77)</td></tr>"));
        assert!(full.contains(
            "<li>Patient CASE-0106 (KL, 59): a more urgent patient did not fit (strict order)</li>"
        ));
    }

    #[test]
    fn escaping_in_both_renderings() {
        let mut m = mdt();
        m.title = "MDT | \"north\" & <south>\nline".into();
        let a = Agenda::build(&m, &[], &AgendaOptions::default()).unwrap();
        assert!(a
            .to_markdown()
            .starts_with("# Agenda: MDT \\| \"north\" \\& \\<south\\> line\n"));
        assert!(a
            .to_html()
            .contains("<h1>Agenda: MDT | &quot;north&quot; &amp; &lt;south&gt;\nline</h1>"));
    }

    #[test]
    fn debug_hides_labels_and_summaries() {
        let a = Agenda::build(&mdt(), &items(), &AgendaOptions::default()).unwrap();
        let shown = format!("{a:?}");
        for secret in [
            "EF, 91",
            "CD, 77",
            "AB, 84",
            "Falls",
            "0.36",
            "urgent",
            "Two falls",
        ] {
            assert!(!shown.contains(secret), "{secret}");
        }
        assert!(shown.contains("CASE-0103"));
    }

    #[test]
    fn placed_meeting_times_cross_no_clock_change_surprises() {
        // Monday 30 March 2026 is in BST: 09:00 local plus 90 minutes is 10:30 local.
        let mut m = Meeting::new("m2", 90, ["p1"]);
        m.title = "ILR".into();
        let a = Assignment {
            meeting: "m2".into(),
            start: at(30, 9, 0),
            room: "virt".into(),
        };
        let held = MeetingTime::placed(&m, &a).unwrap();
        assert_eq!(held.when(), "Mon 30 Mar 2026, 09:00-10:30");
        let other = Assignment {
            meeting: "m9".into(),
            ..a
        };
        assert_eq!(
            MeetingTime::placed(&m, &other).unwrap_err().code(),
            "invalid_query"
        );
    }

    #[test]
    fn bad_input_gives_typed_errors() {
        let o = AgendaOptions::default();
        let err = |m: &MeetingTime, items: &[AgendaItem], o: &AgendaOptions| {
            Agenda::build(m, items, o).unwrap_err().to_string()
        };
        let one = |f: &dyn Fn(&mut AgendaItem)| {
            let mut it = item("CASE-1", "AB, 84", Some(1), None, None, &[]);
            f(&mut it);
            vec![it]
        };
        let mut backwards = mdt();
        backwards.end = backwards.start;
        assert_eq!(
            err(&backwards, &[], &o),
            "meeting.end: must be after the start"
        );
        let twice = vec![items()[0].clone(), items()[0].clone()];
        assert_eq!(
            err(&mdt(), &twice, &o),
            "items[1].patient_ref: duplicate patient reference"
        );
        assert_eq!(
            err(&mdt(), &one(&|i| i.minutes = Some(0)), &o),
            "items[0].minutes: must be a positive number of minutes"
        );
        assert_eq!(
            err(&mdt(), &one(&|i| i.risk_tier = Some(0)), &o),
            "items[0].risk_tier: tiers start at 1 (the highest risk)"
        );
        assert_eq!(
            err(&mdt(), &one(&|i| i.patient_ref = " ".into()), &o),
            "items[0].patient_ref: must not be empty"
        );
        // 943 476 5919 is the NHS number of the crate's own doc examples (valid check digit).
        let e =
            Agenda::build(&mdt(), &one(&|i| i.label = "AB 943-476-5919".into()), &o).unwrap_err();
        assert_eq!(e.code(), "identifier_not_allowed");
        assert_eq!(
            e.to_string(),
            "items[0].label: looks like an NHS number; use a local case reference"
        );
        assert!(!format!("{e:?}").contains("5919"));
        assert_eq!(
            err(
                &mdt(),
                &one(&|i| i.summary.key_problems = vec!["ok".into(), "NHS 9434765919".into()]),
                &o
            ),
            "items[0].summary.key_problems[1]: looks like an NHS number; use a local case reference"
        );
        let long = AgendaOptions {
            opening: vec![FixedItem::new("Long", 50)],
            closing: vec![FixedItem::new("AOB", 15)],
            ..AgendaOptions::default()
        };
        assert_eq!(
            err(&mdt(), &[], &long),
            "options: opening and closing items take 65 minutes but the meeting lasts 60"
        );
        let zero = AgendaOptions {
            closing: vec![FixedItem::new("AOB", 0)],
            ..AgendaOptions::default()
        };
        assert_eq!(
            err(&mdt(), &[], &zero),
            "options.closing[0].minutes: must be a positive number of minutes"
        );
    }

    #[test]
    fn nhs_number_detection() {
        for yes in [
            "9434765919",
            "943 476 5919",
            "943-476-5919",
            "CASE-9434765919",
            "ref 4000000632 here",
        ] {
            assert!(looks_like_nhs_number(yes), "{yes}");
        }
        for no in [
            "9434765918",
            "CASE-0102",
            "94347659190",
            "Tel 01234 567890",
            "943 476  5919",
            "AB, 84",
            "",
        ] {
            assert!(!looks_like_nhs_number(no), "{no}");
        }
    }

    #[test]
    fn items_read_from_json() {
        let it: AgendaItem = serde_json::from_str(
            r#"{"patient_ref": "CASE-7", "label": "MN, 66", "risk_tier": 2, "breached": true,
                "summary": {"reason": "Carer breakdown", "risk_scores": [{"name": "eFI", "value": "0.2"}]}}"#,
        )
        .unwrap();
        assert_eq!(
            (it.risk_tier, it.breached, it.days_since_review, it.minutes),
            (Some(2), true, None, None)
        );
        assert_eq!(it.summary.risk_scores[0], RiskScore::new("eFI", "0.2"));
        let m: MeetingTime = serde_json::from_str(
            r#"{"id": "m1", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"}"#,
        )
        .unwrap();
        assert_eq!(m.when(), "Tue 24 Mar 2026, 14:00-15:00");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"id":"m1","title":"","start":"2026-03-24T14:00","end":"2026-03-24T15:00","room":null,"required":[],"preferred":[]}"#
        );
    }
}
