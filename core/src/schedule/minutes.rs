//! Minutes of a meeting (attendees, apologies, decisions and actions per patient) and the
//! action log that carries actions from meeting to meeting, with the overdue list and the
//! chasing list by owner.
//!
//! Patients are named by an opaque local case reference. Decision texts and action
//! descriptions are free text written by the minute-taker: they are redacted from `Debug`,
//! and a text that looks like an NHS number is refused.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agenda::{looks_like_nhs_number, render_html_body, render_markdown, Block, MeetingTime};
use super::time::parse_date;
use super::ScheduleError;

/// Where an action stands: open, done on a date, or cancelled on a date.
///
/// # Example
///
/// ```
/// use carecoord::schedule::ActionStatus;
/// use chrono::NaiveDate;
///
/// let done = ActionStatus::Done(NaiveDate::from_ymd_opt(2026, 4, 2).unwrap());
/// assert_eq!((done.as_str(), done.completed().unwrap().to_string()), ("done", "2026-04-02".into()));
/// assert_eq!(ActionStatus::Open.completed(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ActionStatus {
    /// Still to do.
    #[default]
    Open,
    /// Done on this date.
    Done(NaiveDate),
    /// Cancelled (no longer needed) on this date.
    Cancelled(NaiveDate),
}

impl ActionStatus {
    /// The JSON spelling: `open`, `done` or `cancelled`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionStatus;
    /// assert_eq!(ActionStatus::Open.as_str(), "open");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done(_) => "done",
            Self::Cancelled(_) => "cancelled",
        }
    }

    /// The date the action was done or cancelled.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionStatus;
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 4, 9).unwrap();
    /// assert_eq!(ActionStatus::Cancelled(d).completed(), Some(d));
    /// ```
    pub fn completed(&self) -> Option<NaiveDate> {
        match self {
            Self::Open => None,
            Self::Done(d) | Self::Cancelled(d) => Some(*d),
        }
    }

    fn text(&self) -> String {
        match self.completed() {
            None => self.as_str().to_string(),
            Some(d) => format!("{} {}", self.as_str(), d.format("%Y-%m-%d")),
        }
    }
}

/// An action raised at a meeting: who does what by when, for which patient (if any).
///
/// The description is free text and is redacted from `Debug`.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Action, ActionStatus, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let mdt = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let a = Action::new("A1", "Refer to falls service", "p2", NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), &mdt)
///     .for_patient("CASE-12");
/// assert_eq!((a.raised_at.as_str(), a.raised_on.to_string()), ("m1", "2026-03-24".into()));
/// assert_eq!(a.status, ActionStatus::Open);
/// assert!(!format!("{a:?}").contains("falls"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "ActionRepr", try_from = "ActionRepr")]
pub struct Action {
    /// Unique id in the action log.
    pub id: String,
    /// Opaque local case reference of the patient, if the action is about one.
    pub patient_ref: Option<String>,
    /// What is to be done (free text).
    pub description: String,
    /// Person id of the owner.
    pub owner: String,
    /// Due date.
    pub due: NaiveDate,
    /// Open, done or cancelled.
    pub status: ActionStatus,
    /// Id of the meeting that raised the action.
    pub raised_at: String,
    /// Date of that meeting.
    pub raised_on: NaiveDate,
}

impl Action {
    /// An open action raised at `meeting` (its id and date), about no patient.
    ///
    /// # Errors
    ///
    /// None; [`ActionLog::add`] checks the fields.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let a = Action::new("A2", "Book room for April", "p4", d, &m);
    /// assert_eq!(a.patient_ref, None);
    /// ```
    pub fn new(
        id: impl Into<String>,
        description: impl Into<String>,
        owner: impl Into<String>,
        due: NaiveDate,
        meeting: &MeetingTime,
    ) -> Self {
        Self {
            id: id.into(),
            patient_ref: None,
            description: description.into(),
            owner: owner.into(),
            due,
            status: ActionStatus::Open,
            raised_at: meeting.id.clone(),
            raised_on: meeting.start.date(),
        }
    }

    /// The same action about the patient with this case reference.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let a = Action::new("A1", "Review meds", "p1", d, &m).for_patient("CASE-3");
    /// assert_eq!(a.patient_ref.as_deref(), Some("CASE-3"));
    /// ```
    pub fn for_patient(mut self, patient_ref: impl Into<String>) -> Self {
        self.patient_ref = Some(patient_ref.into());
        self
    }

    /// Days past the due date on `as_of`, if the action is open and overdue.
    fn days_overdue(&self, as_of: NaiveDate) -> Option<u32> {
        (self.status == ActionStatus::Open && self.due < as_of)
            .then(|| u32::try_from((as_of - self.due).num_days()).unwrap_or(u32::MAX))
    }

    /// Checks the fields; `path` names the action (`actions[2]`, `minutes.actions[0]`).
    fn check(&self, path: &str) -> Result<(), ScheduleError> {
        let at = |f: &str| format!("{path}.{f}");
        for (field, value) in [
            ("id", &self.id),
            ("owner", &self.owner),
            ("raised_at", &self.raised_at),
        ] {
            if value.trim().is_empty() {
                return Err(ScheduleError::InvalidField {
                    path: at(field),
                    reason: "must not be empty".into(),
                });
            }
        }
        if let Some(p) = &self.patient_ref {
            if p.trim().is_empty() {
                return Err(ScheduleError::InvalidField {
                    path: at("patient_ref"),
                    reason: "must not be empty (leave it out for a general action)".into(),
                });
            }
            if looks_like_nhs_number(p) {
                return Err(ScheduleError::IdentifierNotAllowed {
                    path: at("patient_ref"),
                });
            }
        }
        if looks_like_nhs_number(&self.description) {
            return Err(ScheduleError::IdentifierNotAllowed {
                path: at("description"),
            });
        }
        if self.due < self.raised_on {
            return Err(ScheduleError::ActionDate {
                path: at("due"),
                reason: "due before the meeting that raised the action",
            });
        }
        check_completed(&self.status, self.raised_on, &at("status"))
    }

    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.patient_ref.clone().unwrap_or_else(|| "-".into()),
            self.description.clone(),
            self.owner.clone(),
            self.due.format("%Y-%m-%d").to_string(),
            self.status.text(),
            format!("{} ({})", self.raised_at, self.raised_on.format("%Y-%m-%d")),
        ]
    }
}

fn check_completed(
    status: &ActionStatus,
    raised_on: NaiveDate,
    path: &str,
) -> Result<(), ScheduleError> {
    if status.completed().is_some_and(|d| d < raised_on) {
        return Err(ScheduleError::ActionDate {
            path: path.to_string(),
            reason: "completed before the action was raised",
        });
    }
    Ok(())
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Action")
            .field("id", &self.id)
            .field("patient_ref", &self.patient_ref)
            .field("description", &"<redacted>")
            .field("owner", &self.owner)
            .field("due", &self.due)
            .field("status", &self.status)
            .field("raised_at", &self.raised_at)
            .field("raised_on", &self.raised_on)
            .finish()
    }
}

/// The JSON shape of an action.
#[derive(Clone, Serialize, Deserialize)]
struct ActionRepr {
    id: String,
    #[serde(default)]
    patient_ref: Option<String>,
    description: String,
    owner: String,
    due: String,
    status: String,
    #[serde(default)]
    completed: Option<String>,
    raised_at: String,
    raised_on: String,
}

impl From<Action> for ActionRepr {
    fn from(a: Action) -> Self {
        let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        Self {
            status: a.status.as_str().to_string(),
            completed: a.status.completed().map(date),
            id: a.id,
            patient_ref: a.patient_ref,
            description: a.description,
            owner: a.owner,
            due: date(a.due),
            raised_at: a.raised_at,
            raised_on: date(a.raised_on),
        }
    }
}

impl ActionRepr {
    fn into_action(self, path: &str) -> Result<Action, ScheduleError> {
        let at = |f: &str| format!("{path}.{f}");
        let date = |text: &str, f: &str| {
            parse_date(text).map_err(|reason| ScheduleError::InvalidTime {
                path: at(f),
                reason,
            })
        };
        let completed = self
            .completed
            .as_deref()
            .map(|t| date(t, "completed"))
            .transpose()?;
        let status = match (self.status.as_str(), completed) {
            ("open", None) => ActionStatus::Open,
            ("done", Some(d)) => ActionStatus::Done(d),
            ("cancelled", Some(d)) => ActionStatus::Cancelled(d),
            ("open", Some(_)) => {
                return Err(ScheduleError::InvalidField {
                    path: at("completed"),
                    reason: "must be null for an open action".into(),
                })
            }
            ("done" | "cancelled", None) => {
                return Err(ScheduleError::MissingField {
                    path: at("completed"),
                })
            }
            _ => {
                return Err(ScheduleError::InvalidField {
                    path: at("status"),
                    reason: "expected `open`, `done` or `cancelled`".into(),
                })
            }
        };
        let action = Action {
            due: date(&self.due, "due")?,
            raised_on: date(&self.raised_on, "raised_on")?,
            id: self.id,
            patient_ref: self.patient_ref,
            description: self.description,
            owner: self.owner,
            status,
            raised_at: self.raised_at,
        };
        action.check(path)?;
        Ok(action)
    }
}

impl TryFrom<ActionRepr> for Action {
    type Error = ScheduleError;

    fn try_from(r: ActionRepr) -> Result<Self, Self::Error> {
        r.into_action("action")
    }
}

/// A decision recorded in the minutes, about a patient or general. The text is redacted
/// from `Debug`.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Decision;
///
/// let d = Decision::new(Some("CASE-12"), "Start falls prevention plan");
/// assert_eq!(format!("{d:?}"), r#"Decision { patient_ref: Some("CASE-12"), text: <redacted> }"#);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Opaque local case reference, or `None` for a general decision.
    #[serde(default)]
    pub patient_ref: Option<String>,
    /// What was decided (free text).
    pub text: String,
}

impl Decision {
    /// A decision.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Decision;
    /// assert_eq!(Decision::new(None, "Move the MDT to Tuesdays").patient_ref, None);
    /// ```
    pub fn new(patient_ref: Option<&str>, text: impl Into<String>) -> Self {
        Self {
            patient_ref: patient_ref.map(str::to_string),
            text: text.into(),
        }
    }
}

impl fmt::Debug for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Decision {{ patient_ref: {:?}, text: <redacted> }}",
            self.patient_ref
        )
    }
}

/// The minutes of one meeting: who came, who sent apologies, and the decisions and actions,
/// grouped by patient when rendered.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Action, Decision, MeetingTime, Minutes};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "Frailty MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let mut minutes = Minutes::new(&m);
/// minutes.attendees = vec!["p1".into(), "p2".into()];
/// minutes.decisions.push(Decision::new(Some("CASE-12"), "Refer to falls service"));
/// minutes.actions.push(Action::new("A1", "Send referral", "p2", d.succ_opt().unwrap(), &m).for_patient("CASE-12"));
/// minutes.validate()?;
/// assert!(minutes.to_markdown().contains("## Patient CASE-12\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    /// The meeting.
    pub meeting: MeetingTime,
    /// Person ids present.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// Person ids who sent apologies.
    #[serde(default)]
    pub apologies: Vec<String>,
    /// Decisions, in the order taken.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Actions raised, in the order raised.
    #[serde(default)]
    pub actions: Vec<Action>,
}

impl Minutes {
    /// Empty minutes for a meeting.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{MeetingTime, Minutes};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// assert!(Minutes::new(&m).actions.is_empty());
    /// ```
    pub fn new(meeting: &MeetingTime) -> Self {
        Self {
            meeting: meeting.clone(),
            attendees: Vec::new(),
            apologies: Vec::new(),
            decisions: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// Checks the minutes: every action is valid (as for [`ActionLog::add`]), raised at this
    /// meeting on its date, with an id not used twice; no decision names a patient by
    /// something that looks like an NHS number.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidField`] (`actions[i].raised_at`, `actions[i].raised_on`) for
    /// an action of another meeting; [`ScheduleError::DuplicateEntry`] (`actions[i].id`);
    /// [`ScheduleError::IdentifierNotAllowed`]; any error of [`ActionLog::add`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, MeetingTime, Minutes};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut minutes = Minutes::new(&m);
    /// let a = Action::new("A1", "Chase OT", "p1", d, &m);
    /// minutes.actions = vec![a.clone(), a];
    /// assert_eq!(minutes.validate().unwrap_err().to_string(), "actions[1].id: duplicate action id");
    /// ```
    pub fn validate(&self) -> Result<(), ScheduleError> {
        for (i, d) in self.decisions.iter().enumerate() {
            if let Some(p) = &d.patient_ref {
                if looks_like_nhs_number(p) {
                    return Err(ScheduleError::IdentifierNotAllowed {
                        path: format!("decisions[{i}].patient_ref"),
                    });
                }
            }
            if looks_like_nhs_number(&d.text) {
                return Err(ScheduleError::IdentifierNotAllowed {
                    path: format!("decisions[{i}].text"),
                });
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, a) in self.actions.iter().enumerate() {
            let path = format!("actions[{i}]");
            a.check(&path)?;
            if a.raised_at != self.meeting.id {
                return Err(ScheduleError::InvalidField {
                    path: format!("{path}.raised_at"),
                    reason: "must be the id of the meeting of these minutes".into(),
                });
            }
            if a.raised_on != self.meeting.start.date() {
                return Err(ScheduleError::InvalidField {
                    path: format!("{path}.raised_on"),
                    reason: "must be the date of the meeting of these minutes".into(),
                });
            }
            if seen.contains(&a.id.as_str()) {
                return Err(ScheduleError::DuplicateEntry {
                    path: format!("{path}.id"),
                    what: "action id",
                });
            }
            seen.push(&a.id);
        }
        Ok(())
    }

    /// The minutes as Markdown: header, then one section per patient (in order of first
    /// mention) with its decisions and an action table, then general business.
    ///
    /// # Errors
    ///
    /// None (call [`Minutes::validate`] first to refuse bad minutes).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Decision, MeetingTime, Minutes};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut minutes = Minutes::new(&m);
    /// minutes.decisions.push(Decision::new(None, "Next meeting in the large room"));
    /// let md = minutes.to_markdown();
    /// assert!(md.starts_with("# Minutes: MDT\n"));
    /// assert!(md.contains("## General business\n\n### Decisions\n\n- Next meeting in the large room\n"));
    /// ```
    pub fn to_markdown(&self) -> String {
        render_markdown(&self.blocks())
    }

    /// The minutes as an HTML fragment (the blocks of [`Minutes::to_markdown`], escaped).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Decision, MeetingTime, Minutes};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut minutes = Minutes::new(&m);
    /// minutes.decisions.push(Decision::new(None, "Use <b> & co"));
    /// assert!(minutes.to_html().contains("<li>Use &lt;b&gt; &amp; co</li>"));
    /// ```
    pub fn to_html(&self) -> String {
        render_html_body(&self.blocks())
    }

    fn blocks(&self) -> Vec<Block> {
        let m = &self.meeting;
        let title = if m.title.trim().is_empty() {
            &m.id
        } else {
            &m.title
        };
        let none_if_empty = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        let mut head = vec![
            format!("Meeting: {}", m.id),
            format!("When: {} (Europe/London)", m.when()),
        ];
        if let Some(room) = &m.room {
            head.push(format!("Where: {room}"));
        }
        head.push(format!("Present: {}", none_if_empty(&self.attendees)));
        head.push(format!("Apologies: {}", none_if_empty(&self.apologies)));
        let mut out = vec![
            Block::Heading(1, format!("Minutes: {title}")),
            Block::List(head),
        ];
        // Patients in order of first mention, general business last.
        let mut groups: Vec<Option<&str>> = Vec::new();
        let mentions = self
            .decisions
            .iter()
            .map(|d| d.patient_ref.as_deref())
            .chain(self.actions.iter().map(|a| a.patient_ref.as_deref()));
        for p in mentions {
            if p.is_some() && !groups.contains(&p) {
                groups.push(p);
            }
        }
        if self.decisions.iter().any(|d| d.patient_ref.is_none())
            || self.actions.iter().any(|a| a.patient_ref.is_none())
        {
            groups.push(None);
        }
        for g in groups {
            out.push(Block::Heading(
                2,
                match g {
                    Some(p) => format!("Patient {p}"),
                    None => "General business".into(),
                },
            ));
            let decisions: Vec<String> = self
                .decisions
                .iter()
                .filter(|d| d.patient_ref.as_deref() == g)
                .map(|d| d.text.clone())
                .collect();
            if !decisions.is_empty() {
                out.push(Block::Heading(3, "Decisions".into()));
                out.push(Block::List(decisions));
            }
            let actions: Vec<Vec<String>> = self
                .actions
                .iter()
                .filter(|a| a.patient_ref.as_deref() == g)
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.description.clone(),
                        a.owner.clone(),
                        a.due.format("%Y-%m-%d").to_string(),
                        a.status.text(),
                    ]
                })
                .collect();
            if !actions.is_empty() {
                out.push(Block::Heading(3, "Actions".into()));
                out.push(Block::Table(
                    vec!["ID", "Action", "Owner", "Due", "Status"],
                    actions,
                ));
            }
        }
        out
    }
}

/// An open action past its due date, with the number of days it is overdue.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Action, ActionLog, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let mut log = ActionLog::new();
/// log.add(Action::new("A1", "Chase OT", "p1", NaiveDate::from_ymd_opt(2026, 3, 27).unwrap(), &m))?;
/// let late = log.overdue(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
/// assert_eq!((late[0].action.id.as_str(), late[0].days_overdue), ("A1", 5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueAction {
    /// The action.
    pub action: Action,
    /// Whole days from the due date to the date asked about.
    pub days_overdue: u32,
}

/// The overdue actions of one owner, most overdue first.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Action, ActionLog, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let mut log = ActionLog::new();
/// log.add(Action::new("A1", "Chase OT", "p1", d, &m))?;
/// log.add(Action::new("A2", "Send letter", "p1", d, &m))?;
/// let chase = log.chase_list(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap());
/// assert_eq!((chase[0].owner.as_str(), chase[0].actions.len()), ("p1", 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChaseGroup {
    /// Person id of the owner.
    pub owner: String,
    /// The owner's overdue actions, most overdue first.
    pub actions: Vec<OverdueAction>,
}

/// Actions collected across meetings, with their status.
///
/// Ids are unique; an action's completion date is never before the meeting that raised it.
/// Serialises as `{"actions": [...]}` with dates `YYYY-MM-DD`.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Action, ActionLog, ActionStatus, MeetingTime};
/// use chrono::NaiveDate;
///
/// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
/// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
/// let mut log = ActionLog::new();
/// log.add(Action::new("A1", "Chase OT", "p1", NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), &m))?;
/// log.set_status("A1", ActionStatus::Done(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()))?;
/// let back = ActionLog::from_json(&log.to_json())?;
/// assert_eq!(back, log);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionLog {
    actions: Vec<Action>,
    index: FxHashMap<String, usize>,
}

impl ActionLog {
    /// An empty log.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionLog;
    /// assert!(ActionLog::new().actions().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The actions in the order they were added.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", d, &m))?;
    /// assert_eq!(log.actions()[0].id, "A1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The action with this id.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionLog;
    /// assert!(ActionLog::new().get("A1").is_none());
    /// ```
    pub fn get(&self, id: &str) -> Option<&Action> {
        self.index.get(id).map(|&i| &self.actions[i])
    }

    /// Adds an action.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::DuplicateEntry`] (`action.id`) if the id is in the log;
    /// [`ScheduleError::InvalidField`] for an empty id, owner, meeting id or patient
    /// reference; [`ScheduleError::ActionDate`] if it is due, done or cancelled before the
    /// meeting that raised it; [`ScheduleError::IdentifierNotAllowed`] if its patient
    /// reference or description looks like an NHS number. Paths start with `action`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", d, &m))?;
    /// let err = log.add(Action::new("A1", "Again", "p2", d, &m)).unwrap_err();
    /// assert_eq!(err.code(), "duplicate_entry");
    /// let early = Action::new("A2", "Chase", "p1", d.pred_opt().unwrap(), &m);
    /// assert_eq!(log.add(early).unwrap_err().to_string(),
    ///            "action.due: due before the meeting that raised the action");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, action: Action) -> Result<(), ScheduleError> {
        self.add_at(action, "action")
    }

    fn add_at(&mut self, action: Action, path: &str) -> Result<(), ScheduleError> {
        action.check(path)?;
        if self.index.contains_key(&action.id) {
            return Err(ScheduleError::DuplicateEntry {
                path: format!("{path}.id"),
                what: "action id",
            });
        }
        self.index.insert(action.id.clone(), self.actions.len());
        self.actions.push(action);
        Ok(())
    }

    /// Adds every action of the minutes, or none of them.
    ///
    /// # Errors
    ///
    /// Any error of [`Minutes::validate`]; [`ScheduleError::DuplicateEntry`]
    /// (`actions[i].id`) if an action id is already in the log.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime, Minutes};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut minutes = Minutes::new(&m);
    /// minutes.actions.push(Action::new("A1", "Chase OT", "p1", d, &m));
    /// let mut log = ActionLog::new();
    /// assert_eq!(log.add_minutes(&minutes)?, 1);
    /// assert!(log.add_minutes(&minutes).is_err());
    /// assert_eq!(log.actions().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_minutes(&mut self, minutes: &Minutes) -> Result<usize, ScheduleError> {
        minutes.validate()?;
        for (i, a) in minutes.actions.iter().enumerate() {
            if self.index.contains_key(&a.id) {
                return Err(ScheduleError::DuplicateEntry {
                    path: format!("actions[{i}].id"),
                    what: "action id",
                });
            }
        }
        for a in &minutes.actions {
            self.index.insert(a.id.clone(), self.actions.len());
            self.actions.push(a.clone());
        }
        Ok(minutes.actions.len())
    }

    /// Sets the status of an action: done or cancelled on a date, or open again.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::UnknownAction`] (`id`) if no action has this id;
    /// [`ScheduleError::ActionDate`] (`status`) if the date is before the meeting that raised
    /// the action. The log is unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, ActionStatus, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", d, &m))?;
    /// let err = log.set_status("A1", ActionStatus::Done(d.pred_opt().unwrap())).unwrap_err();
    /// assert_eq!(err.to_string(), "status: completed before the action was raised");
    /// assert_eq!(log.set_status("A9", ActionStatus::Open).unwrap_err().code(), "unknown_action");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_status(&mut self, id: &str, status: ActionStatus) -> Result<(), ScheduleError> {
        let &i = self
            .index
            .get(id)
            .ok_or_else(|| ScheduleError::UnknownAction { path: "id".into() })?;
        let action = &mut self.actions[i];
        check_completed(&status, action.raised_on, "status")?;
        action.status = status;
        Ok(())
    }

    /// Open actions due before `as_of`, most overdue first (then by id): the chasing list.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(), &m))?;
    /// log.add(Action::new("A2", "Letter", "p2", NaiveDate::from_ymd_opt(2026, 3, 26).unwrap(), &m))?;
    /// // Due on the day asked about is not overdue.
    /// let late = log.overdue(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap());
    /// assert_eq!(late.len(), 1);
    /// assert_eq!((late[0].action.id.as_str(), late[0].days_overdue), ("A2", 4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn overdue(&self, as_of: NaiveDate) -> Vec<OverdueAction> {
        let mut out: Vec<OverdueAction> = self
            .actions
            .iter()
            .filter_map(|a| {
                a.days_overdue(as_of).map(|days| OverdueAction {
                    action: a.clone(),
                    days_overdue: days,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then_with(|| a.action.id.cmp(&b.action.id))
        });
        out
    }

    /// The overdue actions grouped by owner: owners with the most overdue action first
    /// (then by owner id), each owner's actions most overdue first.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", NaiveDate::from_ymd_opt(2026, 3, 27).unwrap(), &m))?;
    /// log.add(Action::new("A2", "Letter", "p2", d, &m))?;
    /// let owners: Vec<String> = log.chase_list(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())
    ///     .into_iter().map(|g| g.owner).collect();
    /// assert_eq!(owners, ["p2", "p1"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn chase_list(&self, as_of: NaiveDate) -> Vec<ChaseGroup> {
        let mut by_owner: BTreeMap<String, Vec<OverdueAction>> = BTreeMap::new();
        for o in self.overdue(as_of) {
            by_owner.entry(o.action.owner.clone()).or_default().push(o);
        }
        let mut groups: Vec<ChaseGroup> = by_owner
            .into_iter()
            .map(|(owner, actions)| ChaseGroup { owner, actions })
            .collect();
        // Stable sort: owners with equal maxima stay in id order.
        groups.sort_by_key(|g| std::cmp::Reverse(g.actions[0].days_overdue));
        groups
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.actions.iter().map(Action::row).collect()
    }

    /// The log as a Markdown table, one row per action in the order added.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Chase OT", "p1", d, &m).for_patient("CASE-3"))?;
    /// assert_eq!(log.to_markdown(), "\
    /// | ID | Patient | Action | Owner | Due | Status | Raised |
    /// | --- | --- | --- | --- | --- | --- | --- |
    /// | A1 | CASE-3 | Chase OT | p1 | 2026-03-24 | open | m1 (2026-03-24) |
    /// ");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        render_markdown(&[Block::Table(LOG_COLUMNS.to_vec(), self.rows())])
    }

    /// The log as an HTML `<table>` (text escaped).
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Action, ActionLog, MeetingTime};
    /// use chrono::NaiveDate;
    ///
    /// let d = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let m = MeetingTime::new("m1", "MDT", d.and_hms_opt(14, 0, 0).unwrap(), d.and_hms_opt(15, 0, 0).unwrap());
    /// let mut log = ActionLog::new();
    /// log.add(Action::new("A1", "Ask <GP> & OT", "p1", d, &m))?;
    /// assert!(log.to_html().contains("<td>Ask &lt;GP&gt; &amp; OT</td>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html(&self) -> String {
        render_html_body(&[Block::Table(LOG_COLUMNS.to_vec(), self.rows())])
    }

    /// The log as JSON: `{"actions": [...]}`, each action with `id`, `patient_ref`,
    /// `description`, `owner`, `due`, `status` (`open`/`done`/`cancelled`), `completed`,
    /// `raised_at` and `raised_on`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionLog;
    /// assert_eq!(ActionLog::new().to_json(), r#"{"actions":[]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an action log always serialises")
    }

    /// Reads a log written by [`ActionLog::to_json`], checking every action.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::Json`] for malformed JSON; [`ScheduleError::MissingField`],
    /// [`ScheduleError::InvalidField`] or [`ScheduleError::InvalidTime`] naming the path
    /// (`actions[2].due`); any error of [`ActionLog::add`], with paths `actions[i]...`.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::ActionLog;
    ///
    /// let err = ActionLog::from_json(r#"{"actions": [{"id": "A1", "description": "x", "owner": "p1",
    ///   "due": "2026-03-31", "status": "done", "completed": null, "raised_at": "m1",
    ///   "raised_on": "2026-03-24"}]}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "actions[0].completed: required field is missing");
    /// ```
    pub fn from_json(text: &str) -> Result<ActionLog, ScheduleError> {
        let v: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        Self::from_value(&v)
    }

    fn from_value(v: &Value) -> Result<ActionLog, ScheduleError> {
        let list = v
            .as_object()
            .ok_or_else(|| ScheduleError::InvalidField {
                path: "$".into(),
                reason: "expected an object".into(),
            })?
            .get("actions")
            .ok_or_else(|| ScheduleError::MissingField {
                path: "actions".into(),
            })?
            .as_array()
            .ok_or_else(|| ScheduleError::InvalidField {
                path: "actions".into(),
                reason: "expected an array".into(),
            })?;
        let mut log = ActionLog::new();
        for (i, item) in list.iter().enumerate() {
            let path = format!("actions[{i}]");
            let repr = ActionRepr::deserialize(item).map_err(|_| ScheduleError::InvalidField {
                path: path.clone(),
                reason: "expected an object with string fields id, description, owner, due, \
                         status, raised_at and raised_on"
                    .into(),
            })?;
            log.add_at(repr.into_action(&path)?, &path)?;
        }
        Ok(log)
    }
}

const LOG_COLUMNS: [&str; 7] = [
    "ID", "Patient", "Action", "Owner", "Due", "Status", "Raised",
];

fn json_error(e: &serde_json::Error) -> ScheduleError {
    let reason = match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of input",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "invalid data",
        serde_json::error::Category::Io => "read error",
    };
    ScheduleError::Json {
        line: e.line(),
        column: e.column(),
        reason: reason.into(),
    }
}

impl Serialize for ActionLog {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ActionLog", 1)?;
        st.serialize_field("actions", &self.actions)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for ActionLog {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        ActionLog::from_value(&v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn meeting(id: &str, d: u32) -> MeetingTime {
        let date = day(3, d);
        let mut m = MeetingTime::new(
            id,
            "Frailty MDT",
            date.and_hms_opt(14, 0, 0).unwrap(),
            date.and_hms_opt(15, 0, 0).unwrap(),
        );
        m.room = Some("rm1".into());
        m
    }

    /// Minutes of the MDT of Tuesday 24 March 2026 (synthetic).
    fn minutes() -> Minutes {
        let m = meeting("m1", 24);
        let mut min = Minutes::new(&m);
        min.attendees = vec!["p1".into(), "p2".into(), "p4".into()];
        min.apologies = vec!["p3".into()];
        min.decisions = vec![
            Decision::new(Some("CASE-0102"), "Refer to falls service"),
            Decision::new(Some("CASE-0103"), "Start anticipatory care plan"),
            Decision::new(None, "Next MDT in the large room"),
            Decision::new(Some("CASE-0102"), "Review at next MDT"),
        ];
        min.actions = vec![
            Action::new("A1", "Send falls referral", "p2", day(3, 27), &m).for_patient("CASE-0102"),
            Action::new("A2", "Book OT | home visit", "p4", day(3, 31), &m)
                .for_patient("CASE-0103"),
            Action::new("A3", "Book large room", "p4", day(4, 7), &m),
        ];
        min
    }

    const MINUTES_MD: &str = "\
# Minutes: Frailty MDT

- Meeting: m1
- When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)
- Where: rm1
- Present: p1, p2, p4
- Apologies: p3

## Patient CASE-0102

### Decisions

- Refer to falls service
- Review at next MDT

### Actions

| ID | Action | Owner | Due | Status |
| --- | --- | --- | --- | --- |
| A1 | Send falls referral | p2 | 2026-03-27 | open |

## Patient CASE-0103

### Decisions

- Start anticipatory care plan

### Actions

| ID | Action | Owner | Due | Status |
| --- | --- | --- | --- | --- |
| A2 | Book OT \\| home visit | p4 | 2026-03-31 | open |

## General business

### Decisions

- Next MDT in the large room

### Actions

| ID | Action | Owner | Due | Status |
| --- | --- | --- | --- | --- |
| A3 | Book large room | p4 | 2026-04-07 | open |
";

    #[test]
    fn minutes_markdown_groups_by_patient() {
        let min = minutes();
        min.validate().unwrap();
        assert_eq!(min.to_markdown(), MINUTES_MD);
        assert!(min
            .to_html()
            .contains("<tr><td>A2</td><td>Book OT | home visit</td><td>p4</td><td>2026-03-31</td><td>open</td></tr>"));
    }

    /// A log over two meetings: m1 on 24 March (A1-A3) and m2 on 31 March (A4, A5).
    fn log() -> ActionLog {
        let mut log = ActionLog::new();
        assert_eq!(log.add_minutes(&minutes()).unwrap(), 3);
        let m2 = meeting("m2", 31);
        log.add(
            Action::new("A4", "Chase GP letter", "p1", day(4, 2), &m2).for_patient("CASE-0104"),
        )
        .unwrap();
        log.add(
            Action::new("A5", "Update care plan", "p2", day(3, 31), &m2).for_patient("CASE-0103"),
        )
        .unwrap();
        log.set_status("A3", ActionStatus::Done(day(3, 30)))
            .unwrap();
        log
    }

    #[test]
    fn overdue_sorted_by_days_overdue() {
        // On 10 April: A1 due 27 Mar (14 days), A2 and A5 due 31 Mar (10 days each, by id),
        // A4 due 2 Apr (8 days); A3 is done.
        let late: Vec<(String, u32)> = log()
            .overdue(day(4, 10))
            .into_iter()
            .map(|o| (o.action.id, o.days_overdue))
            .collect();
        let want = [("A1", 14), ("A2", 10), ("A5", 10), ("A4", 8)];
        assert_eq!(late, want.map(|(a, d)| (a.to_string(), d)).to_vec());
        // Due today is not overdue; cancelled is never overdue.
        let mut l = log();
        l.set_status("A1", ActionStatus::Cancelled(day(3, 28)))
            .unwrap();
        let ids: Vec<String> = l
            .overdue(day(3, 31))
            .into_iter()
            .map(|o| o.action.id)
            .collect();
        assert!(ids.is_empty(), "{ids:?}");
    }

    #[test]
    fn chase_list_groups_by_owner() {
        // p2: A1 (14), A5 (10); p4: A2 (10); p1: A4 (8).
        let groups: Vec<(String, Vec<String>)> = log()
            .chase_list(day(4, 10))
            .into_iter()
            .map(|g| {
                (
                    g.owner,
                    g.actions.into_iter().map(|o| o.action.id).collect(),
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            groups,
            [
                ("p2".to_string(), s(&["A1", "A5"])),
                ("p4".to_string(), s(&["A2"])),
                ("p1".to_string(), s(&["A4"])),
            ]
        );
    }

    const LOG_MD: &str = "\
| ID | Patient | Action | Owner | Due | Status | Raised |
| --- | --- | --- | --- | --- | --- | --- |
| A1 | CASE-0102 | Send falls referral | p2 | 2026-03-27 | open | m1 (2026-03-24) |
| A2 | CASE-0103 | Book OT \\| home visit | p4 | 2026-03-31 | open | m1 (2026-03-24) |
| A3 | - | Book large room | p4 | 2026-04-07 | done 2026-03-30 | m1 (2026-03-24) |
| A4 | CASE-0104 | Chase GP letter | p1 | 2026-04-02 | open | m2 (2026-03-31) |
| A5 | CASE-0103 | Update care plan | p2 | 2026-03-31 | open | m2 (2026-03-31) |
";

    const LOG_HTML: &str = "\
<table>
<thead>
<tr><th>ID</th><th>Patient</th><th>Action</th><th>Owner</th><th>Due</th><th>Status</th><th>Raised</th></tr>
</thead>
<tbody>
<tr><td>A1</td><td>CASE-0102</td><td>Send falls referral</td><td>p2</td><td>2026-03-27</td><td>open</td><td>m1 (2026-03-24)</td></tr>
<tr><td>A2</td><td>CASE-0103</td><td>Book OT | home visit</td><td>p4</td><td>2026-03-31</td><td>open</td><td>m1 (2026-03-24)</td></tr>
<tr><td>A3</td><td>-</td><td>Book large room</td><td>p4</td><td>2026-04-07</td><td>done 2026-03-30</td><td>m1 (2026-03-24)</td></tr>
<tr><td>A4</td><td>CASE-0104</td><td>Chase GP letter</td><td>p1</td><td>2026-04-02</td><td>open</td><td>m2 (2026-03-31)</td></tr>
<tr><td>A5</td><td>CASE-0103</td><td>Update care plan</td><td>p2</td><td>2026-03-31</td><td>open</td><td>m2 (2026-03-31)</td></tr>
</tbody>
</table>
";

    #[test]
    fn log_tables() {
        let l = log();
        assert_eq!(l.to_markdown(), LOG_MD);
        assert_eq!(l.to_html(), LOG_HTML);
    }

    #[test]
    fn json_round_trip() {
        let l = log();
        let text = l.to_json();
        assert!(text.starts_with(
            r#"{"actions":[{"id":"A1","patient_ref":"CASE-0102","description":"Send falls referral","owner":"p2","due":"2026-03-27","status":"open","completed":null,"raised_at":"m1","raised_on":"2026-03-24"},"#
        ));
        assert!(text.contains(
            r#"{"id":"A3","patient_ref":null,"description":"Book large room","owner":"p4","due":"2026-04-07","status":"done","completed":"2026-03-30","raised_at":"m1","raised_on":"2026-03-24"}"#
        ));
        let back = ActionLog::from_json(&text).unwrap();
        assert_eq!(back, l);
        assert_eq!(back.get("A4").unwrap().raised_at, "m2");
        let via_serde: ActionLog = serde_json::from_str(&text).unwrap();
        assert_eq!(via_serde, l);
        let min: Minutes =
            serde_json::from_str(&serde_json::to_string(&minutes()).unwrap()).unwrap();
        assert_eq!(min, minutes());
    }

    #[test]
    fn from_json_errors_name_the_path() {
        let one = |fields: &str| {
            format!(
                r#"{{"actions": [{{"id": "A1", "description": "x", "owner": "p1", "raised_at": "m1",
                   "raised_on": "2026-03-24", {fields}}}]}}"#
            )
        };
        let err = |t: &str| ActionLog::from_json(t).unwrap_err();
        assert_eq!(
            err(&one(
                r#""due": "2026-03-31", "status": "open", "completed": "2026-03-30""#
            ))
            .to_string(),
            "actions[0].completed: must be null for an open action"
        );
        assert_eq!(
            err(&one(r#""due": "2026-03-31", "status": "closed""#)).to_string(),
            "actions[0].status: expected `open`, `done` or `cancelled`"
        );
        assert_eq!(
            err(&one(r#""due": "2026-02-30", "status": "open""#)).code(),
            "invalid_time"
        );
        assert_eq!(
            err(&one(
                r#""due": "2026-03-31", "status": "done", "completed": "2026-03-20""#
            ))
            .to_string(),
            "actions[0].status: completed before the action was raised"
        );
        assert_eq!(err(&one(r#""status": "open""#)).path(), Some("actions[0]"));
        assert_eq!(err("{\"actions\": [").code(), "invalid_json");
        assert_eq!(err("{}").to_string(), "actions: required field is missing");
        let dup = r#"{"actions": [
            {"id": "A1", "description": "x", "owner": "p1", "due": "2026-03-31", "status": "open", "raised_at": "m1", "raised_on": "2026-03-24"},
            {"id": "A1", "description": "y", "owner": "p1", "due": "2026-03-31", "status": "open", "raised_at": "m1", "raised_on": "2026-03-24"}]}"#;
        assert_eq!(err(dup).to_string(), "actions[1].id: duplicate action id");
    }

    #[test]
    fn status_updates_are_checked() {
        let mut l = log();
        assert_eq!(
            l.set_status("A9", ActionStatus::Done(day(4, 1))),
            Err(ScheduleError::UnknownAction { path: "id".into() })
        );
        // A4 was raised on 31 March.
        let err = l
            .set_status("A4", ActionStatus::Done(day(3, 30)))
            .unwrap_err();
        assert_eq!(err.code(), "action_date");
        assert_eq!(l.get("A4").unwrap().status, ActionStatus::Open);
        l.set_status("A4", ActionStatus::Done(day(3, 31))).unwrap();
        l.set_status("A4", ActionStatus::Open).unwrap();
        assert_eq!(l.get("A4").unwrap().status, ActionStatus::Open);
    }

    #[test]
    fn adding_is_checked_and_atomic() {
        let mut l = log();
        let m3 = meeting("m3", 31);
        let e = l
            .add(Action::new("A1", "again", "p1", day(4, 1), &m3))
            .unwrap_err();
        assert_eq!(e.to_string(), "action.id: duplicate action id");
        let e = l
            .add(Action::new("A6", "x", "p1", day(4, 1), &m3).for_patient("943 476 5919"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "action.patient_ref: looks like an NHS number; use a local case reference"
        );
        let e = l
            .add(Action::new("A6", "x", " ", day(4, 1), &m3))
            .unwrap_err();
        assert_eq!(e.to_string(), "action.owner: must not be empty");
        // Minutes whose second action clashes with the log add nothing.
        let mut min = Minutes::new(&m3);
        min.actions = vec![
            Action::new("A7", "new", "p1", day(4, 1), &m3),
            Action::new("A2", "clash", "p1", day(4, 1), &m3),
        ];
        assert_eq!(
            l.add_minutes(&min).unwrap_err().to_string(),
            "actions[1].id: duplicate action id"
        );
        assert!(l.get("A7").is_none());
        // An action of another meeting does not belong in these minutes.
        min.actions = vec![Action::new("A8", "x", "p1", day(4, 1), &meeting("m1", 24))];
        assert_eq!(
            min.validate().unwrap_err().to_string(),
            "actions[0].raised_at: must be the id of the meeting of these minutes"
        );
    }

    #[test]
    fn debug_hides_free_text() {
        let shown = format!("{:?} {:?}", minutes(), log());
        for secret in [
            "falls",
            "anticipatory",
            "large room",
            "home visit",
            "GP letter",
        ] {
            assert!(!shown.contains(secret), "{secret}");
        }
        assert!(shown.contains("CASE-0102"));
    }
}
