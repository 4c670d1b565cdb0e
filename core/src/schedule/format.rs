//! The `carecoord.schedule.v1` instance and solution (format §2-§3): types, JSON reading
//! with errors that name the JSON path, JSON writing, and validation of instances.

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::rrule::Rrule;
use super::time::{
    format_hhmm, format_local, parse_date, parse_hhmm, parse_local, parse_weekday, weekday_name,
};
use super::ScheduleError;

/// The schema name both files carry.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Solution, SCHEMA};
///
/// assert!(Solution::default().to_json().contains(SCHEMA));
/// ```
pub const SCHEMA: &str = "carecoord.schedule.v1";

/// A scheduling problem: people, rooms, meetings to place, fixed series, and optionally the
/// previous plan (format §2).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Instance;
///
/// let inst = Instance::from_json(r#"{
///   "schema": "carecoord.schedule.v1", "name": "mini",
///   "horizon": {"start": "2026-03-23", "days": 5, "bank_holidays": []},
///   "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Mon", "Tue"]}],
///   "rooms": [{"id": "virt", "capacity": null, "virtual": true}],
///   "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1", "p2"], "priority": 2}]
/// }"#)?;
/// assert_eq!(inst.meetings[0].priority, 2);
/// assert_eq!(inst.horizon.grain_minutes, 15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Informational name (`name`), copied into solutions as `instance`.
    pub name: String,
    /// The plan's dates, grid and working hours.
    pub horizon: Horizon,
    /// People who attend meetings and series.
    pub people: Vec<Person>,
    /// Physical and virtual rooms.
    pub rooms: Vec<Room>,
    /// One-off meetings to place.
    pub meetings: Vec<Meeting>,
    /// Fixed recurring series.
    pub series: Vec<Series>,
    /// An earlier plan for the same meetings (disruption scenarios), if any.
    pub previous: Option<Previous>,
}

/// The plan's dates, start-time grid and working hours (format §2 `horizon`).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Horizon;
/// use chrono::NaiveDate;
///
/// let h = Horizon::new(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(), 35);
/// assert_eq!((h.grain_minutes, h.day_start, h.day_end), (15, 480, 1080));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Horizon {
    /// First local date of the plan.
    #[serde(serialize_with = "ser_date")]
    pub start: NaiveDate,
    /// Number of calendar days; the plan covers `[start, start + days)`.
    pub days: u32,
    /// Start-time grid in minutes; divides 1440.
    pub grain_minutes: u32,
    /// Start of working hours, minutes after local midnight (written `HH:MM`).
    #[serde(serialize_with = "ser_hhmm")]
    pub day_start: u32,
    /// End of working hours, minutes after local midnight (written `HH:MM`).
    #[serde(serialize_with = "ser_hhmm")]
    pub day_end: u32,
    /// Always `Europe/London`, the only supported value.
    pub timezone: String,
    /// Informational bank-holiday region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_holiday_region: Option<String>,
    /// Every bank holiday inside the horizon; authoritative.
    #[serde(serialize_with = "ser_dates")]
    pub bank_holidays: Vec<NaiveDate>,
}

impl Horizon {
    /// A horizon with the format's defaults: 15-minute grain, 08:00-18:00, no holidays.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Horizon;
    /// use chrono::NaiveDate;
    ///
    /// let h = Horizon::new(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 365);
    /// assert_eq!(h.timezone, "Europe/London");
    /// ```
    pub fn new(start: NaiveDate, days: u32) -> Self {
        Self {
            start,
            days,
            grain_minutes: 15,
            day_start: 8 * 60,
            day_end: 18 * 60,
            timezone: "Europe/London".into(),
            bank_holiday_region: None,
            bank_holidays: Vec::new(),
        }
    }
}

/// A person's working days and busy time (format §2 `people`).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Person;
///
/// let p = Person::new("p1");
/// assert_eq!(p.working_days.len(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Unique id.
    pub id: String,
    /// Informational role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Informational practice code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practice: Option<String>,
    /// Weekdays the person works (default Monday-Friday).
    #[serde(serialize_with = "ser_weekdays")]
    pub working_days: Vec<Weekday>,
    /// Busy intervals (clinics, leave, ...), local times.
    pub busy: Vec<Busy>,
}

impl Person {
    /// A person working Monday-Friday with no busy time.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Person;
    /// assert!(Person::new("p9").busy.is_empty());
    /// ```
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            role: None,
            practice: None,
            working_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            busy: Vec::new(),
        }
    }
}

/// A busy interval `[start, end)` of a person, in local time.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Instance;
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 1},
///   "people": [{"id": "p1", "busy": [{"start": "2026-03-23T09:00", "end": "2026-03-23T10:00"}]}]}"#)?;
/// assert_eq!(inst.people[0].busy[0].start.to_string(), "2026-03-23 09:00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Busy {
    /// Local start.
    #[serde(serialize_with = "ser_local")]
    pub start: NaiveDateTime,
    /// Local end (exclusive).
    #[serde(serialize_with = "ser_local")]
    pub end: NaiveDateTime,
    /// Informational label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A room; virtual rooms have no capacity and host any number of meetings at once.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Instance;
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 1},
///   "rooms": [{"id": "rm1", "capacity": 6, "virtual": false}]}"#)?;
/// assert_eq!(inst.rooms[0].capacity, Some(6));
/// assert!(!inst.rooms[0].is_virtual);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Room {
    /// Unique id.
    pub id: String,
    /// Informational name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seats of a physical room (`null` reads as 0 for a physical room).
    pub capacity: Option<u32>,
    /// Whether the room is virtual (JSON `virtual`).
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
    /// Intervals when the room cannot be used.
    pub unavailable: Vec<Unavailable>,
}

/// An interval `[start, end)` when a room cannot be used, in local time.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Instance;
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 1},
///   "rooms": [{"id": "rm1", "capacity": 6, "virtual": false, "unavailable": [
///     {"start": "2026-03-23T08:00", "end": "2026-03-23T12:00", "reason": "maintenance"}]}]}"#)?;
/// assert_eq!(inst.rooms[0].unavailable[0].reason.as_deref(), Some("maintenance"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    /// Local start.
    #[serde(serialize_with = "ser_local")]
    pub start: NaiveDateTime,
    /// Local end (exclusive).
    #[serde(serialize_with = "ser_local")]
    pub end: NaiveDateTime,
    /// Informational reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Which rooms a meeting may use.
///
/// # Example
///
/// ```
/// use carecoord::schedule::RoomChoice;
/// assert_eq!(RoomChoice::default(), RoomChoice::Any);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RoomChoice {
    /// Any room (JSON `"any"`).
    #[default]
    Any,
    /// Only these room ids.
    Only(Vec<String>),
}

impl Serialize for RoomChoice {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RoomChoice::Any => s.serialize_str("any"),
            RoomChoice::Only(v) => v.serialize(s),
        }
    }
}

/// A one-off meeting to place (format §2 `meetings`).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Meeting, RoomChoice};
///
/// let m = Meeting::new("m1", 60, ["p1", "p2"]);
/// assert_eq!((m.priority, &m.rooms), (1, &RoomChoice::Any));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    /// Unique id.
    pub id: String,
    /// Informational title.
    pub title: String,
    /// Length in real minutes.
    pub duration_minutes: u32,
    /// People who must attend (hard rules apply).
    pub required: Vec<String>,
    /// People who should attend if free (scored, never hard, but they need seats).
    pub preferred: Vec<String>,
    /// The meeting must not start before this local time.
    #[serde(
        serialize_with = "ser_opt_local",
        skip_serializing_if = "Option::is_none"
    )]
    pub earliest: Option<NaiveDateTime>,
    /// The meeting must end by this local time.
    #[serde(
        serialize_with = "ser_opt_local",
        skip_serializing_if = "Option::is_none"
    )]
    pub latest: Option<NaiveDateTime>,
    /// Rooms the meeting may use.
    pub rooms: RoomChoice,
    /// Whether a virtual room is unacceptable.
    pub needs_physical: bool,
    /// A fixed start and room, if pinned.
    pub pinned: Option<Pin>,
    /// Value gained by placing the meeting (positive).
    pub priority: u32,
}

impl Meeting {
    /// A meeting with the format's defaults: no preferred people, no window, any room,
    /// not pinned, priority 1.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Meeting;
    /// assert_eq!(Meeting::new("m9", 45, ["p1"]).required, ["p1"]);
    /// ```
    pub fn new<I, S>(id: impl Into<String>, duration_minutes: u32, required: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            id: id.into(),
            title: String::new(),
            duration_minutes,
            required: required.into_iter().map(Into::into).collect(),
            preferred: Vec::new(),
            earliest: None,
            latest: None,
            rooms: RoomChoice::Any,
            needs_physical: false,
            pinned: None,
            priority: 1,
        }
    }
}

/// A fixed start and room of a pinned meeting.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Pin;
/// use chrono::NaiveDate;
///
/// let pin = Pin {
///     start: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap().and_hms_opt(10, 0, 0).unwrap(),
///     room: "rm1".into(),
/// };
/// assert_eq!(pin.room, "rm1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pin {
    /// Local start.
    #[serde(serialize_with = "ser_local")]
    pub start: NaiveDateTime,
    /// Room id.
    pub room: String,
}

/// What happens to a series occurrence that falls on a weekend or bank holiday (format §4).
///
/// # Example
///
/// ```
/// use carecoord::schedule::HolidayPolicy;
/// assert_eq!(HolidayPolicy::default().as_str(), "skip");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HolidayPolicy {
    /// The occurrence is dropped.
    #[default]
    Skip,
    /// The occurrence moves to the next business day at the same local time.
    NextWorkingDay,
}

impl HolidayPolicy {
    /// The JSON spelling: `skip` or `next_working_day`.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::HolidayPolicy;
    /// assert_eq!(HolidayPolicy::NextWorkingDay.as_str(), "next_working_day");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::NextWorkingDay => "next_working_day",
        }
    }
}

impl Serialize for HolidayPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A fixed recurring series (format §2 `series`, §4).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{HolidayPolicy, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 7}, "people": [{"id": "p1"}],
///   "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2026-01-05T09:00",
///               "duration_minutes": 30, "attendees": ["p1"], "room": null,
///               "holiday_policy": "next_working_day"}]}"#)?;
/// assert_eq!(inst.series[0].holiday_policy, HolidayPolicy::NextWorkingDay);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Unique id.
    pub id: String,
    /// Informational title.
    pub title: String,
    /// RFC 5545 RRULE value, evaluated on local wall time.
    pub rrule: String,
    /// First occurrence, local time.
    #[serde(serialize_with = "ser_local")]
    pub dtstart: NaiveDateTime,
    /// Length of each occurrence in real minutes.
    pub duration_minutes: u32,
    /// People who attend every occurrence.
    pub attendees: Vec<String>,
    /// Room id (possibly virtual) or none.
    pub room: Option<String>,
    /// Weekend and bank-holiday policy.
    pub holiday_policy: HolidayPolicy,
}

/// The earlier plan of a disruption scenario; only its assignments are read.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Previous;
/// assert!(Previous::default().assignments.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Previous {
    /// The earlier placements.
    pub assignments: Vec<Assignment>,
}

/// A placed meeting: its local start and room.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Solution;
///
/// let sol = Solution::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "assignments": [{"meeting": "m1", "start": "2026-03-24T14:00", "room": "rm1"}]}"#)?;
/// assert_eq!(sol.assignments[0].room, "rm1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Assignment {
    /// Meeting id.
    pub meeting: String,
    /// Local start.
    #[serde(serialize_with = "ser_local")]
    pub start: NaiveDateTime,
    /// Room id.
    pub room: String,
}

/// A meeting left unplaced, with a reason code and the ids that block it (format §5.2).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Solution;
///
/// let sol = Solution::from_json(r#"{"unplaced": [
///   {"meeting": "m3", "reason": "no_common_free_slot", "conflicts": ["p2", "p5"]}]}"#)?;
/// assert_eq!(sol.unplaced[0].conflicts, ["p2", "p5"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// Meeting id.
    pub meeting: String,
    /// Reason code ([`UnplacedReason::code`](super::UnplacedReason::code) values when made
    /// by this crate; free text in general).
    pub reason: String,
    /// Ids such that every candidate slot is blocked by at least one of them.
    pub conflicts: Vec<String>,
}

/// A series occurrence in conflict and every id it conflicts with (format §4.1).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Solution;
///
/// let sol = Solution::from_json(r#"{"series_conflicts": [
///   {"series": "s1", "start": "2026-03-23T09:00", "conflicts": ["rm1"]}]}"#)?;
/// assert_eq!(sol.series_conflicts[0].conflicts, ["rm1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesConflict {
    /// Series id.
    pub series: String,
    /// Local start of the occurrence.
    #[serde(serialize_with = "ser_local")]
    pub start: NaiveDateTime,
    /// Every id the occurrence conflicts with, sorted.
    pub conflicts: Vec<String>,
}

/// A plan: placed meetings, unplaced meetings with reasons, and the series conflict report
/// (format §3).
///
/// # Example
///
/// ```
/// use carecoord::schedule::Solution;
///
/// let sol = Solution::from_json(r#"{"schema": "carecoord.schedule.v1", "instance": "tiny",
///   "assignments": [], "unplaced": [], "series_conflicts": []}"#)?;
/// assert_eq!(sol.instance, "tiny");
/// assert!(sol.to_json().contains("\"schema\": \"carecoord.schedule.v1\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Solution {
    /// The instance name (informational).
    pub instance: String,
    /// Placed meetings.
    pub assignments: Vec<Assignment>,
    /// Unplaced meetings.
    pub unplaced: Vec<Unplaced>,
    /// Series occurrences in conflict.
    pub series_conflicts: Vec<SeriesConflict>,
}

// ---------------------------------------------------------------------------------------
// Serialisation helpers (chrono's serde feature is off in this workspace).
// ---------------------------------------------------------------------------------------

fn ser_local<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_local(*t))
}

fn ser_opt_local<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_local(*t)),
        None => s.serialize_none(),
    }
}

fn ser_date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.format("%Y-%m-%d").to_string())
}

fn ser_dates<S: Serializer>(d: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(d.iter().map(|d| d.format("%Y-%m-%d").to_string()))
}

fn ser_hhmm<S: Serializer>(m: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_hhmm(*m))
}

fn ser_weekdays<S: Serializer>(w: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(w.iter().map(|w| weekday_name(*w)))
}

impl Serialize for Instance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Instance", 8)?;
        st.serialize_field("schema", SCHEMA)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("horizon", &self.horizon)?;
        st.serialize_field("people", &self.people)?;
        st.serialize_field("rooms", &self.rooms)?;
        st.serialize_field("meetings", &self.meetings)?;
        st.serialize_field("series", &self.series)?;
        st.serialize_field("previous", &self.previous)?;
        st.end()
    }
}

impl Serialize for Solution {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Solution", 5)?;
        st.serialize_field("schema", SCHEMA)?;
        st.serialize_field("instance", &self.instance)?;
        st.serialize_field("assignments", &self.assignments)?;
        st.serialize_field("unplaced", &self.unplaced)?;
        st.serialize_field("series_conflicts", &self.series_conflicts)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Instance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Instance::from_value(&v).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Solution {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Solution::from_value(&v).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------
// Path-aware reading.
// ---------------------------------------------------------------------------------------

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn bad(path: &str, reason: impl Into<String>) -> ScheduleError {
    ScheduleError::InvalidField {
        path: path.to_string(),
        reason: reason.into(),
    }
}

fn bad_time(path: &str, reason: impl Into<String>) -> ScheduleError {
    ScheduleError::InvalidTime {
        path: path.to_string(),
        reason: reason.into(),
    }
}

/// An object being read, with its path.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: &str) -> Result<Self, ScheduleError> {
        match v {
            Value::Object(map) => Ok(Self {
                map,
                path: path.to_string(),
            }),
            _ => Err(bad(
                if path.is_empty() { "$" } else { path },
                "expected an object",
            )),
        }
    }

    fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The field, with JSON `null` read as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn req(&self, key: &str) -> Result<&'a Value, ScheduleError> {
        self.get(key).ok_or_else(|| ScheduleError::MissingField {
            path: self.path(key),
        })
    }

    fn string(&self, key: &str) -> Result<String, ScheduleError> {
        as_string(self.req(key)?, &self.path(key))
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, ScheduleError> {
        self.get(key)
            .map(|v| as_string(v, &self.path(key)))
            .transpose()
    }

    fn uint(&self, key: &str) -> Result<Option<u32>, ScheduleError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        // Integral floats (`60.0`) are read as integers, as the reference evaluator does.
        v.as_u64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
                    .map(|f| f as u64)
            })
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| bad(&self.path(key), "expected a non-negative integer"))
    }

    fn positive(&self, key: &str) -> Result<Option<u32>, ScheduleError> {
        match self.uint(key) {
            Ok(Some(0)) | Err(_) => Err(bad(&self.path(key), "expected a positive integer")),
            other => other,
        }
    }

    fn boolean(&self, key: &str) -> Result<bool, ScheduleError> {
        match self.get(key) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(bad(&self.path(key), "expected true or false")),
        }
    }

    fn array(&self, key: &str) -> Result<&'a [Value], ScheduleError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(bad(&self.path(key), "expected an array")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, ScheduleError> {
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| as_string(v, &format!("{}[{i}]", self.path(key))))
            .collect()
    }

    fn local(&self, key: &str) -> Result<NaiveDateTime, ScheduleError> {
        let p = self.path(key);
        let s = as_string(self.req(key)?, &p)?;
        parse_local(&s).map_err(|r| bad_time(&p, r))
    }

    fn opt_local(&self, key: &str) -> Result<Option<NaiveDateTime>, ScheduleError> {
        if self.get(key).is_none() {
            return Ok(None);
        }
        self.local(key).map(Some)
    }

    fn objects(&self, key: &str) -> Result<Vec<Obj<'a>>, ScheduleError> {
        let base = self.path(key);
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| Obj::new(v, &format!("{base}[{i}]")))
            .collect()
    }
}

fn as_string(v: &Value, path: &str) -> Result<String, ScheduleError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(path, "expected a string"))
}

fn parse_json(text: &str) -> Result<Value, ScheduleError> {
    serde_json::from_str(text).map_err(|e| {
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
    })
}

fn read_busy(o: &Obj<'_>) -> Result<Busy, ScheduleError> {
    Ok(Busy {
        start: o.local("start")?,
        end: o.local("end")?,
        label: o.opt_string("label")?,
    })
}

fn read_assignment(o: &Obj<'_>) -> Result<Assignment, ScheduleError> {
    Ok(Assignment {
        meeting: o.string("meeting")?,
        start: o.local("start")?,
        room: o.string("room")?,
    })
}

impl Instance {
    /// Reads and validates an instance from JSON text.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::Json`] for malformed JSON; otherwise the first problem found, naming
    /// its JSON path: a missing or mistyped field, a bad time, an unknown or duplicate id, an
    /// invalid RRULE, ... (see [`Instance::validate`]).
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Instance;
    ///
    /// let err = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 5},
    ///   "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["nobody"]}]}"#)
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "meetings[0].required[0]: unknown person id");
    /// ```
    pub fn from_json(text: &str) -> Result<Instance, ScheduleError> {
        let inst = Self::from_value(&parse_json(text)?)?;
        Ok(inst)
    }

    /// Reads and validates an instance from a parsed JSON value.
    fn from_value(v: &Value) -> Result<Instance, ScheduleError> {
        let top = Obj::new(v, "")?;
        match top.get("schema") {
            Some(Value::String(s)) if s == SCHEMA => {}
            None => {
                return Err(ScheduleError::MissingField {
                    path: "schema".into(),
                })
            }
            Some(_) => return Err(bad("schema", format!("must be \"{SCHEMA}\""))),
        }
        let h = Obj::new(top.req("horizon")?, "horizon")?;
        let hhmm = |key: &str, default: u32| -> Result<u32, ScheduleError> {
            match h.get(key) {
                None => Ok(default),
                Some(v) => {
                    parse_hhmm(&as_string(v, &h.path(key))?).map_err(|r| bad_time(&h.path(key), r))
                }
            }
        };
        let start_s = h.string("start")?;
        let horizon = Horizon {
            start: parse_date(&start_s).map_err(|r| bad_time(&h.path("start"), r))?,
            days: h
                .positive("days")?
                .ok_or_else(|| ScheduleError::MissingField {
                    path: h.path("days"),
                })?,
            grain_minutes: h.positive("grain_minutes")?.unwrap_or(15),
            day_start: hhmm("day_start", 480)?,
            day_end: hhmm("day_end", 1080)?,
            timezone: h
                .opt_string("timezone")?
                .unwrap_or_else(|| "Europe/London".into()),
            bank_holiday_region: h.opt_string("bank_holiday_region")?,
            bank_holidays: h
                .strings("bank_holidays")?
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    parse_date(s).map_err(|r| bad_time(&format!("horizon.bank_holidays[{i}]"), r))
                })
                .collect::<Result<_, _>>()?,
        };
        let mut people = Vec::new();
        for p in top.objects("people")? {
            let working_days = match p.get("working_days") {
                None => Person::new("").working_days,
                Some(_) => p
                    .strings("working_days")?
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        parse_weekday(s).ok_or_else(|| {
                            bad(
                                &format!("{}[{i}]", p.path("working_days")),
                                "expected Mon, Tue, Wed, Thu, Fri, Sat or Sun",
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?,
            };
            people.push(Person {
                id: p.string("id")?,
                role: p.opt_string("role")?,
                practice: p.opt_string("practice")?,
                working_days,
                busy: p
                    .objects("busy")?
                    .iter()
                    .map(read_busy)
                    .collect::<Result<_, _>>()?,
            });
        }
        let mut rooms = Vec::new();
        for r in top.objects("rooms")? {
            rooms.push(Room {
                id: r.string("id")?,
                name: r.opt_string("name")?,
                capacity: r.uint("capacity")?,
                is_virtual: r.boolean("virtual")?,
                unavailable: r
                    .objects("unavailable")?
                    .iter()
                    .map(|u| {
                        Ok(Unavailable {
                            start: u.local("start")?,
                            end: u.local("end")?,
                            reason: u.opt_string("reason")?,
                        })
                    })
                    .collect::<Result<_, ScheduleError>>()?,
            });
        }
        let mut meetings = Vec::new();
        for m in top.objects("meetings")? {
            let rooms = match m.get("rooms") {
                None => RoomChoice::Any,
                Some(Value::String(s)) if s == "any" => RoomChoice::Any,
                Some(Value::Array(_)) => RoomChoice::Only(m.strings("rooms")?),
                Some(_) => {
                    return Err(bad(
                        &m.path("rooms"),
                        "expected \"any\" or an array of room ids",
                    ))
                }
            };
            let pinned = match m.get("pinned") {
                None => None,
                Some(v) => {
                    let p = Obj::new(v, &m.path("pinned"))?;
                    Some(Pin {
                        start: p.local("start")?,
                        room: p.string("room")?,
                    })
                }
            };
            meetings.push(Meeting {
                id: m.string("id")?,
                title: m.opt_string("title")?.unwrap_or_default(),
                duration_minutes: m.positive("duration_minutes")?.ok_or_else(|| {
                    ScheduleError::MissingField {
                        path: m.path("duration_minutes"),
                    }
                })?,
                required: m.strings("required")?,
                preferred: m.strings("preferred")?,
                earliest: m.opt_local("earliest")?,
                latest: m.opt_local("latest")?,
                rooms,
                needs_physical: m.boolean("needs_physical")?,
                pinned,
                priority: m.positive("priority")?.unwrap_or(1),
            });
        }
        let mut series = Vec::new();
        for s in top.objects("series")? {
            let holiday_policy = match s.opt_string("holiday_policy")?.as_deref() {
                None | Some("skip") => HolidayPolicy::Skip,
                Some("next_working_day") => HolidayPolicy::NextWorkingDay,
                Some(_) => {
                    return Err(bad(
                        &s.path("holiday_policy"),
                        "expected \"skip\" or \"next_working_day\"",
                    ))
                }
            };
            series.push(Series {
                id: s.string("id")?,
                title: s.opt_string("title")?.unwrap_or_default(),
                rrule: s.string("rrule")?,
                dtstart: s.local("dtstart")?,
                duration_minutes: s.positive("duration_minutes")?.ok_or_else(|| {
                    ScheduleError::MissingField {
                        path: s.path("duration_minutes"),
                    }
                })?,
                attendees: s.strings("attendees")?,
                room: s.opt_string("room")?,
                holiday_policy,
            });
        }
        let previous = match top.get("previous") {
            None => None,
            Some(v) => {
                let p = Obj::new(v, "previous")?;
                Some(Previous {
                    assignments: p
                        .objects("assignments")?
                        .iter()
                        .map(read_assignment)
                        .collect::<Result<_, _>>()?,
                })
            }
        };
        let inst = Instance {
            name: top.opt_string("name")?.unwrap_or_default(),
            horizon,
            people,
            rooms,
            meetings,
            series,
            previous,
        };
        inst.validate()?;
        Ok(inst)
    }

    /// Writes the instance as JSON (pretty-printed, local times as `YYYY-MM-DDTHH:MM`).
    ///
    /// # Errors
    ///
    /// None: every instance can be written.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Instance;
    ///
    /// let text = r#"{"schema": "carecoord.schedule.v1", "name": "x",
    ///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}]}"#;
    /// let inst = Instance::from_json(text)?;
    /// assert_eq!(Instance::from_json(&inst.to_json())?, inst);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("instances always serialise")
    }

    /// Checks the rules of format §2 that JSON types cannot express.
    ///
    /// Checks: ids unique across people, rooms, meetings and series; every reference known;
    /// `required`/`preferred` disjoint and without repeats; grain dividing 1440;
    /// `day_start < day_end`; timezone `Europe/London`; intervals ending after they start;
    /// `earliest` before `latest`; RRULEs parsing. Ids in `previous` that name no meeting are
    /// allowed (the format ignores them).
    ///
    /// # Errors
    ///
    /// The first problem found, naming its JSON path.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Horizon, Instance, Person};
    /// use chrono::NaiveDate;
    ///
    /// let mut inst = Instance {
    ///     name: "x".into(),
    ///     horizon: Horizon::new(NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), 5),
    ///     people: vec![Person::new("p1"), Person::new("p1")],
    ///     rooms: vec![], meetings: vec![], series: vec![], previous: None,
    /// };
    /// assert_eq!(inst.validate().unwrap_err().to_string(),
    ///     "people[1].id: duplicate id (ids must be unique across people, rooms, meetings and series)");
    /// inst.people.pop();
    /// inst.validate()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), ScheduleError> {
        let h = &self.horizon;
        if h.days == 0 {
            return Err(bad("horizon.days", "expected a positive integer"));
        }
        if h.grain_minutes == 0 || 1440 % h.grain_minutes != 0 {
            return Err(bad("horizon.grain_minutes", "must divide 1440"));
        }
        if h.day_start > 1440 || h.day_end > 1440 || h.day_start >= h.day_end {
            return Err(bad_time(
                "horizon.day_end",
                "working hours must satisfy day_start < day_end <= 24:00",
            ));
        }
        if h.timezone != "Europe/London" {
            return Err(bad(
                "horizon.timezone",
                "only \"Europe/London\" is supported",
            ));
        }
        if h.start
            .checked_add_days(chrono::Days::new(u64::from(h.days) + 400))
            .is_none()
        {
            return Err(bad_time(
                "horizon.days",
                "horizon ends outside the supported date range",
            ));
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Kind {
            Person,
            Room,
            Meeting,
            Series,
        }
        let mut ids: FxHashMap<&str, Kind> = FxHashMap::default();
        for (kind, list) in [
            (
                Kind::Person,
                self.people
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                Kind::Room,
                self.rooms.iter().map(|r| r.id.as_str()).collect(),
            ),
            (
                Kind::Meeting,
                self.meetings.iter().map(|m| m.id.as_str()).collect(),
            ),
            (
                Kind::Series,
                self.series.iter().map(|s| s.id.as_str()).collect(),
            ),
        ] {
            let section = match kind {
                Kind::Person => "people",
                Kind::Room => "rooms",
                Kind::Meeting => "meetings",
                Kind::Series => "series",
            };
            for (i, id) in list.into_iter().enumerate() {
                if id.is_empty() {
                    return Err(bad(&format!("{section}[{i}].id"), "must not be empty"));
                }
                if ids.insert(id, kind).is_some() {
                    return Err(ScheduleError::DuplicateId {
                        path: format!("{section}[{i}].id"),
                    });
                }
            }
        }
        let is = |id: &str, kind: Kind| ids.get(id) == Some(&kind);
        let interval =
            |path: String, s: NaiveDateTime, e: NaiveDateTime| -> Result<(), ScheduleError> {
                if super::time::local_to_utc(e) <= super::time::local_to_utc(s) {
                    return Err(bad_time(&path, "end must be after start"));
                }
                Ok(())
            };
        for (i, p) in self.people.iter().enumerate() {
            for (j, b) in p.busy.iter().enumerate() {
                interval(format!("people[{i}].busy[{j}].end"), b.start, b.end)?;
            }
        }
        for (i, r) in self.rooms.iter().enumerate() {
            for (j, b) in r.unavailable.iter().enumerate() {
                interval(format!("rooms[{i}].unavailable[{j}].end"), b.start, b.end)?;
            }
        }
        for (i, m) in self.meetings.iter().enumerate() {
            if m.duration_minutes == 0 {
                return Err(bad(
                    &format!("meetings[{i}].duration_minutes"),
                    "expected a positive integer",
                ));
            }
            if m.priority == 0 {
                return Err(bad(
                    &format!("meetings[{i}].priority"),
                    "expected a positive integer",
                ));
            }
            let mut seen = FxHashSet::default();
            for (key, list) in [("required", &m.required), ("preferred", &m.preferred)] {
                for (j, p) in list.iter().enumerate() {
                    let path = format!("meetings[{i}].{key}[{j}]");
                    if !is(p, Kind::Person) {
                        return Err(ScheduleError::UnknownId {
                            path,
                            kind: "person",
                        });
                    }
                    if !seen.insert(p.as_str()) {
                        return Err(bad(&path, "a person appears twice in required/preferred"));
                    }
                }
            }
            if let RoomChoice::Only(list) = &m.rooms {
                for (j, r) in list.iter().enumerate() {
                    if !is(r, Kind::Room) {
                        return Err(ScheduleError::UnknownId {
                            path: format!("meetings[{i}].rooms[{j}]"),
                            kind: "room",
                        });
                    }
                }
            }
            if let (Some(e), Some(l)) = (m.earliest, m.latest) {
                if super::time::local_to_utc(l) <= super::time::local_to_utc(e) {
                    return Err(bad_time(
                        &format!("meetings[{i}].latest"),
                        "must be after earliest",
                    ));
                }
            }
            if let Some(pin) = &m.pinned {
                if !is(&pin.room, Kind::Room) {
                    return Err(ScheduleError::UnknownId {
                        path: format!("meetings[{i}].pinned.room"),
                        kind: "room",
                    });
                }
            }
        }
        for (i, s) in self.series.iter().enumerate() {
            if s.duration_minutes == 0 {
                return Err(bad(
                    &format!("series[{i}].duration_minutes"),
                    "expected a positive integer",
                ));
            }
            for (j, p) in s.attendees.iter().enumerate() {
                if !is(p, Kind::Person) {
                    return Err(ScheduleError::UnknownId {
                        path: format!("series[{i}].attendees[{j}]"),
                        kind: "person",
                    });
                }
            }
            if let Some(r) = &s.room {
                if !is(r, Kind::Room) {
                    return Err(ScheduleError::UnknownId {
                        path: format!("series[{i}].room"),
                        kind: "room",
                    });
                }
            }
            Rrule::parse(&s.rrule).map_err(|e| e.at(&format!("series[{i}].rrule")))?;
        }
        Ok(())
    }
}

impl Solution {
    /// Reads a solution from JSON text (the schema name, if present, must be v1).
    ///
    /// # Errors
    ///
    /// [`ScheduleError::Json`] for malformed JSON; otherwise the first missing or mistyped
    /// field or malformed time, naming its JSON path. Ids are not checked against an instance.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Solution;
    ///
    /// let err = Solution::from_json(r#"{"assignments": [{"meeting": "m1", "start": "2026-03-24 14h"}]}"#)
    ///     .unwrap_err();
    /// assert_eq!(err.path(), Some("assignments[0].start"));
    /// ```
    pub fn from_json(text: &str) -> Result<Solution, ScheduleError> {
        Self::from_value(&parse_json(text)?)
    }

    fn from_value(v: &Value) -> Result<Solution, ScheduleError> {
        let top = Obj::new(v, "")?;
        match top.get("schema") {
            None => {}
            Some(Value::String(s)) if s == SCHEMA => {}
            Some(_) => return Err(bad("schema", format!("must be \"{SCHEMA}\""))),
        }
        let mut unplaced = Vec::new();
        for u in top.objects("unplaced")? {
            unplaced.push(Unplaced {
                meeting: u.string("meeting")?,
                reason: u.opt_string("reason")?.unwrap_or_default(),
                conflicts: u.strings("conflicts")?,
            });
        }
        let mut series_conflicts = Vec::new();
        for c in top.objects("series_conflicts")? {
            series_conflicts.push(SeriesConflict {
                series: c.string("series")?,
                start: c.local("start")?,
                conflicts: c.strings("conflicts")?,
            });
        }
        Ok(Solution {
            instance: top.opt_string("instance")?.unwrap_or_default(),
            assignments: top
                .objects("assignments")?
                .iter()
                .map(read_assignment)
                .collect::<Result<_, _>>()?,
            unplaced,
            series_conflicts,
        })
    }

    /// Writes the solution as JSON (pretty-printed).
    ///
    /// # Errors
    ///
    /// None: every solution can be written.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::Solution;
    ///
    /// let sol = Solution { instance: "tiny".into(), ..Default::default() };
    /// assert_eq!(Solution::from_json(&sol.to_json())?, sol);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("solutions always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Value {
        serde_json::json!({
            "schema": SCHEMA, "name": "t",
            "horizon": {"start": "2026-03-23", "days": 5},
            "people": [{"id": "p1"}, {"id": "p2"}],
            "rooms": [{"id": "r1", "capacity": 4, "virtual": false}],
            "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"], "preferred": ["p2"]}],
            "series": [{"id": "s1", "rrule": "FREQ=WEEKLY", "dtstart": "2026-03-23T09:00",
                        "duration_minutes": 30, "attendees": ["p1"], "room": "r1"}]
        })
    }

    fn err_with(f: impl FnOnce(&mut Value)) -> ScheduleError {
        let mut v = base();
        f(&mut v);
        Instance::from_json(&v.to_string()).unwrap_err()
    }

    #[test]
    fn base_reads_and_round_trips() {
        let inst = Instance::from_json(&base().to_string()).unwrap();
        assert_eq!(Instance::from_json(&inst.to_json()).unwrap(), inst);
        let again: Instance = serde_json::from_str(&inst.to_json()).unwrap();
        assert_eq!(again, inst);
    }

    #[test]
    fn errors_name_paths() {
        type Edit = Box<dyn FnOnce(&mut Value)>;
        let cases: Vec<(Edit, &str, &str)> = vec![
            (
                Box::new(|v| v["schema"] = "v0".into()),
                "invalid_field",
                "schema",
            ),
            (
                Box::new(|v| v["horizon"]["grain_minutes"] = 7.into()),
                "invalid_field",
                "horizon.grain_minutes",
            ),
            (
                Box::new(|v| v["horizon"]["day_start"] = "8am".into()),
                "invalid_time",
                "horizon.day_start",
            ),
            (
                Box::new(|v| v["horizon"]["timezone"] = "UTC".into()),
                "invalid_field",
                "horizon.timezone",
            ),
            (
                Box::new(|v| v["people"][1]["id"] = "r1".into()),
                "duplicate_id",
                "rooms[0].id",
            ),
            (
                Box::new(|v| v["people"][1]["working_days"] = serde_json::json!(["Monday"])),
                "invalid_field",
                "people[1].working_days[0]",
            ),
            (
                Box::new(|v| {
                    v["people"][0]["busy"] = serde_json::json!([{"start": "2026-03-23T10:00", "end": "2026-03-23T09:00"}])
                }),
                "invalid_time",
                "people[0].busy[0].end",
            ),
            (
                Box::new(|v| v["meetings"][0]["preferred"] = serde_json::json!(["p1"])),
                "invalid_field",
                "meetings[0].preferred[0]",
            ),
            (
                Box::new(|v| v["meetings"][0]["rooms"] = serde_json::json!(["r9"])),
                "unknown_id",
                "meetings[0].rooms[0]",
            ),
            (
                Box::new(|v| v["meetings"][0]["duration_minutes"] = 0.into()),
                "invalid_field",
                "meetings[0].duration_minutes",
            ),
            (
                Box::new(|v| v["meetings"][0]["earliest"] = "2026-03-23T09:00:15".into()),
                "invalid_time",
                "meetings[0].earliest",
            ),
            (
                Box::new(|v| {
                    v["meetings"][0]["pinned"] = serde_json::json!({"start": "2026-03-23T09:00"})
                }),
                "missing_field",
                "meetings[0].pinned.room",
            ),
            (
                Box::new(|v| v["series"][0]["rrule"] = "FREQ=FORTNIGHTLY".into()),
                "invalid_rrule",
                "series[0].rrule",
            ),
            (
                Box::new(|v| v["series"][0]["holiday_policy"] = "never".into()),
                "invalid_field",
                "series[0].holiday_policy",
            ),
            (
                Box::new(|v| v["series"][0]["id"] = "m1".into()),
                "duplicate_id",
                "series[0].id",
            ),
        ];
        for (f, code, path) in cases {
            let e = err_with(f);
            assert_eq!((e.code(), e.path()), (code, Some(path)), "{e}");
        }
        let e = Instance::from_json("{\"schema\": ").unwrap_err();
        assert_eq!(e.code(), "invalid_json");
    }

    #[test]
    fn messages_never_echo_values() {
        let e = err_with(|v| v["meetings"][0]["title"] = serde_json::json!(42));
        assert_eq!(e.to_string(), "meetings[0].title: expected a string");
        let e = err_with(|v| v["meetings"][0]["required"] = serde_json::json!(["Mrs Smith"]));
        assert!(!e.to_string().contains("Smith"));
    }
}
