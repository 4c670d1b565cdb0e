//! `carecoord::schedule` for Python: solve, evaluate, the series reports, the diary queries,
//! and the meeting work (agendas, the action log, candidate slots and availability emails,
//! iCalendar export).
//!
//! Argument conversion only; every call goes through `boundary` (the GIL is released while
//! the core parses, solves, builds and renders). Documents arrive as JSON text (the Python
//! layer turns dicts and files into text) and solutions leave as the core's JSON text; the
//! other results are built as dicts and lists with the keys of the C API's JSON, and the
//! overdue and chasing lists as Arrow tables. Meeting times, agenda items and minutes arrive
//! as tuples that the Python layer has checked field by field (the actions of minutes as the
//! core's action-log JSON). Local times leave as `YYYY-MM-DDTHH:MM` strings, as the format
//! writes them. The public, documented API is `carecoord/schedule.py`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use arrow_array::{ArrayRef, Date32Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use carecoord::schedule::{
    availability_email, candidate_slots, evaluate, series_conflicts, series_occurrences, solve,
    to_icalendar, ActionLog, ActionStatus, Agenda, AgendaItem, AgendaOptions, CandidateOptions,
    Decision, DeferReason, Diary, EmailOptions, EntryItem, Evaluation, FixedItem, IcalOptions,
    Instance, Meeting, MeetingTime, Minutes, OverdueAction, PatientSummary, Previous, RiskScore,
    RoomChoice, RoomFilter, ScheduleError, SeriesConflict, Slot, Solution, SolveOptions, Violation,
    Window, SCHEMA,
};
use chrono::{NaiveDate, NaiveDateTime};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3_arrow::PyTable;

use crate::boundary::{enter_core, enter_core_ok};
use crate::errors::BindingError;

/// Tags a core error with the Python argument whose document it is about.
fn in_arg(argument: &'static str) -> impl Fn(ScheduleError) -> BindingError {
    move |error| BindingError::Schedule { argument, error }
}

fn read_instance(text: &str) -> Result<Instance, BindingError> {
    Instance::from_json(text).map_err(in_arg("instance"))
}

fn read_solution(text: &str, argument: &'static str) -> Result<Solution, BindingError> {
    Solution::from_json(text).map_err(in_arg(argument))
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Solve options from `time_limit` in seconds (`None`: the core default; infinity: no
/// limit) and `seed`.
fn solve_options(time_limit: Option<f64>, seed: u64) -> PyResult<SolveOptions> {
    let mut options = SolveOptions {
        seed,
        ..SolveOptions::default()
    };
    match time_limit {
        None => {}
        Some(t) if t == f64::INFINITY => options.time_limit = None,
        Some(t) => {
            options.time_limit = Some(Duration::try_from_secs_f64(t).map_err(|_| {
                PyValueError::new_err(
                    "time_limit must be a non-negative number of seconds, or math.inf for no limit",
                )
            })?)
        }
    }
    Ok(options)
}

/// Plan the meetings of `instance`; `previous` (a solution's JSON) replaces its previous
/// plan. Returns the solution as JSON text.
#[pyfunction]
#[pyo3(signature = (instance, previous=None, time_limit=None, seed=0))]
fn schedule_solve(
    py: Python<'_>,
    instance: String,
    previous: Option<String>,
    time_limit: Option<f64>,
    seed: u64,
) -> PyResult<String> {
    let options = solve_options(time_limit, seed)?;
    enter_core(py, move || {
        let mut inst = read_instance(&instance)?;
        if let Some(previous) = previous {
            inst.previous = Some(Previous {
                assignments: read_solution(&previous, "previous")?.assignments,
            });
        }
        let solution = solve(&inst, &options).map_err(in_arg("instance"))?;
        Ok::<_, BindingError>(solution.to_json())
    })
}

fn violations<'py>(py: Python<'py>, list: &[Violation]) -> PyResult<Bound<'py, PyList>> {
    let items = list
        .iter()
        .map(|v| {
            let d = PyDict::new(py);
            d.set_item("code", v.code)?;
            d.set_item("ids", &v.ids)?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// The evaluation as a dict with the keys of `schedule-eval --json` that the core computes.
fn evaluation_dict<'py>(
    py: Python<'py>,
    name: &str,
    e: &Evaluation,
    occurrences: usize,
    expected: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("schema", SCHEMA)?;
    d.set_item("instance", name)?;
    d.set_item("feasible", e.feasible)?;
    d.set_item("hard_violations", e.violations.len())?;
    d.set_item("meetings_total", e.meetings_total)?;
    d.set_item("meetings_placed", e.meetings_placed)?;
    d.set_item("priority_placed", e.priority_placed)?;
    d.set_item("priority_total", e.priority_total)?;
    d.set_item("preferred_conflicts", e.preferred_conflicts)?;
    d.set_item("moved", e.moved)?;
    d.set_item("start_grain_sum", e.start_grain_sum)?;
    d.set_item("series_occurrences", occurrences)?;
    d.set_item("series_conflicts_expected", expected)?;
    d.set_item("objective", e.objective.to_vec())?;
    d.set_item("violations", violations(py, &e.violations)?)?;
    d.set_item("warnings", violations(py, &e.warnings)?)?;
    let pairs = e
        .preferred_conflict_pairs
        .iter()
        .map(|c| {
            let p = PyDict::new(py);
            p.set_item("meeting", &c.meeting)?;
            p.set_item("person", &c.person)?;
            p.set_item("why", &c.why)?;
            Ok(p)
        })
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item("preferred_conflict_pairs", PyList::new(py, pairs)?)?;
    d.set_item("moved_meetings", &e.moved_meetings)?;
    Ok(d)
}

/// Check and score `solution` against `instance` (both JSON text).
#[pyfunction]
fn schedule_evaluate<'py>(
    py: Python<'py>,
    instance: String,
    solution: String,
) -> PyResult<Bound<'py, PyDict>> {
    let (name, e, occurrences, expected) = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        let sol = read_solution(&solution, "solution")?;
        let in_instance = in_arg("instance");
        let e = evaluate(&inst, &sol).map_err(&in_instance)?;
        let occurrences = series_occurrences(&inst).map_err(&in_instance)?.len();
        let expected = series_conflicts(&inst).map_err(&in_instance)?.len();
        Ok::<_, BindingError>((inst.name, e, occurrences, expected))
    })?;
    evaluation_dict(py, &name, &e, occurrences, expected)
}

fn conflict_dict<'py>(py: Python<'py>, c: &SeriesConflict) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("series", &c.series)?;
    d.set_item("start", local(c.start))?;
    d.set_item("conflicts", &c.conflicts)?;
    Ok(d)
}

/// The series conflict report of `instance` (JSON text), as a list of dicts.
#[pyfunction]
fn schedule_series_conflicts(py: Python<'_>, instance: String) -> PyResult<Bound<'_, PyList>> {
    let report = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        series_conflicts(&inst).map_err(in_arg("instance"))
    })?;
    let items = report
        .iter()
        .map(|c| conflict_dict(py, c))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn slot_dict<'py>(py: Python<'py>, s: &Slot) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("start", local(s.start))?;
    d.set_item("end", local(s.end))?;
    d.set_item("room", s.room.as_deref())?;
    d.set_item("preferred_unavailable", &s.preferred_unavailable)?;
    Ok(d)
}

/// `rooms` as the core's filter: `None` (with `needs_physical` false) asks for no room;
/// `"any"` or `None` with `needs_physical` any allowed room; a sequence of ids those rooms.
fn room_filter(
    rooms: Option<&Bound<'_, PyAny>>,
    needs_physical: bool,
) -> PyResult<Option<RoomFilter>> {
    let choice = match rooms {
        None if needs_physical => RoomChoice::Any,
        None => return Ok(None),
        Some(r) if r.is_instance_of::<PyString>() => {
            if r.extract::<String>()? != "any" {
                return Err(PyValueError::new_err(
                    "rooms must be \"any\", a sequence of room ids, or None",
                ));
            }
            RoomChoice::Any
        }
        Some(r) => RoomChoice::Only(r.extract::<Vec<String>>()?),
    };
    Ok(Some(RoomFilter {
        rooms: choice,
        needs_physical,
    }))
}

/// An instance compiled for fast diary questions (core `Diary`).
#[pyclass(name = "Diary", module = "carecoord._native", frozen)]
struct PyDiary {
    diary: Diary,
}

/// Arguments shared by the two slot searches.
struct SlotArgs {
    people: Vec<String>,
    preferred: Vec<String>,
    duration_minutes: u32,
    window: Window,
    rooms: Option<RoomFilter>,
}

impl SlotArgs {
    fn people(&self) -> Vec<&str> {
        self.people.iter().map(String::as_str).collect()
    }

    fn preferred(&self) -> Vec<&str> {
        self.preferred.iter().map(String::as_str).collect()
    }
}

#[pymethods]
impl PyDiary {
    /// Compile `instance` (JSON text), with the placed meetings of `solution` if given.
    #[new]
    #[pyo3(signature = (instance, solution=None))]
    fn new(py: Python<'_>, instance: String, solution: Option<String>) -> PyResult<Self> {
        let diary = enter_core(py, move || {
            let inst = read_instance(&instance)?;
            match solution {
                None => Diary::new(&inst).map_err(in_arg("instance")),
                Some(text) => {
                    let sol = read_solution(&text, "solution")?;
                    // The instance was validated when read: what fails here is the solution.
                    Diary::with_solution(&inst, &sol).map_err(in_arg("solution"))
                }
            }
        })?;
        Ok(Self { diary })
    }

    /// The best common slot as a dict, or `None`.
    #[pyo3(signature = (people, preferred, duration_minutes, earliest=None, latest=None, rooms=None, needs_physical=false))]
    #[allow(clippy::too_many_arguments)]
    fn earliest_common_slot<'py>(
        &self,
        py: Python<'py>,
        people: Vec<String>,
        preferred: Vec<String>,
        duration_minutes: u32,
        earliest: Option<NaiveDateTime>,
        latest: Option<NaiveDateTime>,
        rooms: Option<&Bound<'py, PyAny>>,
        needs_physical: bool,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let q = SlotArgs {
            people,
            preferred,
            duration_minutes,
            window: Window { earliest, latest },
            rooms: room_filter(rooms, needs_physical)?,
        };
        let diary = &self.diary;
        let slot = enter_core(py, move || {
            diary.earliest_common_slot(
                &q.people(),
                &q.preferred(),
                q.duration_minutes,
                Some(q.window),
                q.rooms.as_ref(),
            )
        })?;
        slot.map(|s| slot_dict(py, &s)).transpose()
    }

    /// Every free slot, as a list of dicts in time order.
    #[pyo3(signature = (people, preferred, duration_minutes, earliest=None, latest=None, rooms=None, needs_physical=false))]
    #[allow(clippy::too_many_arguments)]
    fn free_slots<'py>(
        &self,
        py: Python<'py>,
        people: Vec<String>,
        preferred: Vec<String>,
        duration_minutes: u32,
        earliest: Option<NaiveDateTime>,
        latest: Option<NaiveDateTime>,
        rooms: Option<&Bound<'py, PyAny>>,
        needs_physical: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let q = SlotArgs {
            people,
            preferred,
            duration_minutes,
            window: Window { earliest, latest },
            rooms: room_filter(rooms, needs_physical)?,
        };
        let diary = &self.diary;
        let slots = enter_core(py, move || {
            diary.free_slots(
                &q.people(),
                &q.preferred(),
                q.duration_minutes,
                Some(q.window),
                q.rooms.as_ref(),
            )
        })?;
        let items = slots
            .iter()
            .map(|s| slot_dict(py, s))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The ids that block `people` (and `room`) from `start` to `end`.
    #[pyo3(signature = (people, start, end, room=None))]
    fn who_blocks(
        &self,
        py: Python<'_>,
        people: Vec<String>,
        start: NaiveDateTime,
        end: NaiveDateTime,
        room: Option<String>,
    ) -> PyResult<Vec<String>> {
        let diary = &self.diary;
        enter_core(py, move || {
            let people: Vec<&str> = people.iter().map(String::as_str).collect();
            let slot = Slot {
                start,
                end,
                room,
                preferred_unavailable: Vec::new(),
            };
            diary.who_blocks(&people, &slot)
        })
    }
}

/// Every series occurrence of `instance` (JSON text) after the holiday policy, as dicts.
#[pyfunction]
fn schedule_series_occurrences(py: Python<'_>, instance: String) -> PyResult<Bound<'_, PyList>> {
    let list = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        series_occurrences(&inst).map_err(in_arg("instance"))
    })?;
    let items = list
        .iter()
        .map(|o| {
            let d = PyDict::new(py);
            d.set_item("series", &o.series)?;
            d.set_item("start", local(o.start))?;
            d.set_item("end", local(o.end))?;
            d.set_item("moved_from", o.moved_from.map(local))?;
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

fn no_meeting() -> ScheduleError {
    ScheduleError::InvalidQuery {
        argument: "meeting_id",
        reason: "no meeting with this id in the instance".into(),
    }
}

fn find_meeting<'a>(inst: &'a Instance, id: &str) -> Result<&'a Meeting, BindingError> {
    inst.meetings
        .iter()
        .find(|m| m.id == id)
        .ok_or_else(|| no_meeting().into())
}

fn meeting_time_dict<'py>(py: Python<'py>, m: &MeetingTime) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", &m.id)?;
    d.set_item("title", &m.title)?;
    d.set_item("start", local(m.start))?;
    d.set_item("end", local(m.end))?;
    d.set_item("room", m.room.as_deref())?;
    d.set_item("required", &m.required)?;
    d.set_item("preferred", &m.preferred)?;
    Ok(d)
}

/// The meeting time of `meeting_id` as placed by `solution` (both documents JSON text).
#[pyfunction]
fn schedule_meeting_time(
    py: Python<'_>,
    instance: String,
    solution: String,
    meeting_id: String,
) -> PyResult<Bound<'_, PyDict>> {
    let held = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        let sol = read_solution(&solution, "solution")?;
        let meeting = find_meeting(&inst, &meeting_id)?;
        let assignment = sol
            .assignments
            .iter()
            .find(|a| a.meeting == meeting_id)
            .ok_or_else(|| ScheduleError::InvalidQuery {
                argument: "meeting_id",
                reason: "the solution does not place this meeting".into(),
            })?;
        MeetingTime::placed(meeting, assignment).map_err(in_arg("solution"))
    })?;
    meeting_time_dict(py, &held)
}

/// A meeting time as the Python layer passes it: id, title, start, end, room, required,
/// preferred.
type MeetingArg = (
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    Option<String>,
    Vec<String>,
    Vec<String>,
);

fn meeting_time(m: MeetingArg) -> MeetingTime {
    let (id, title, start, end, room, required, preferred) = m;
    let mut held = MeetingTime::new(id, title, start, end);
    held.room = room;
    held.required = required;
    held.preferred = preferred;
    held
}

/// An agenda item as the Python layer passes it: patient_ref, label, risk_tier, breached,
/// days_since_review, minutes, involved, then the summary's reason, key_problems,
/// risk_scores (name, value) and open_actions.
type ItemArg = (
    String,
    String,
    Option<u8>,
    bool,
    Option<u32>,
    Option<u32>,
    Vec<String>,
    String,
    Vec<String>,
    Vec<(String, String)>,
    Vec<String>,
);

fn agenda_item(i: ItemArg) -> AgendaItem {
    let (
        patient_ref,
        label,
        risk_tier,
        breached,
        days_since_review,
        minutes,
        involved,
        reason,
        key_problems,
        risk_scores,
        open_actions,
    ) = i;
    let mut item = AgendaItem::new(patient_ref, label, risk_tier);
    item.breached = breached;
    item.days_since_review = days_since_review;
    item.minutes = minutes;
    item.involved = involved;
    item.summary = PatientSummary {
        reason,
        key_problems,
        risk_scores: risk_scores
            .into_iter()
            .map(|(n, v)| RiskScore::new(n, v))
            .collect(),
        open_actions,
    };
    item
}

/// A built agenda (core `Agenda`).
#[pyclass(name = "Agenda", module = "carecoord._native", frozen)]
struct PyAgenda {
    agenda: Agenda,
}

#[pymethods]
impl PyAgenda {
    /// Build the agenda; `opening` / `closing` `None` keep the core defaults.
    #[new]
    #[pyo3(signature = (meeting, items, default_minutes, opening, closing, backfill))]
    fn new(
        py: Python<'_>,
        meeting: MeetingArg,
        items: Vec<ItemArg>,
        default_minutes: u32,
        opening: Option<Vec<(String, u32)>>,
        closing: Option<Vec<(String, u32)>>,
        backfill: bool,
    ) -> PyResult<Self> {
        let fixed = |list: Vec<(String, u32)>| {
            list.into_iter()
                .map(|(t, m)| FixedItem::new(t, m))
                .collect::<Vec<_>>()
        };
        let defaults = AgendaOptions::default();
        let options = AgendaOptions {
            default_minutes,
            opening: opening.map_or(defaults.opening, fixed),
            closing: closing.map_or(defaults.closing, fixed),
            backfill,
        };
        let held = meeting_time(meeting);
        let items: Vec<AgendaItem> = items.into_iter().map(agenda_item).collect();
        let agenda = enter_core(py, move || {
            Agenda::build(&held, &items, &options).map_err(|e| {
                let argument = match e.path() {
                    Some(p) if p.starts_with("meeting") => "meeting",
                    Some(p) if p.starts_with("options") => "options",
                    _ => "items",
                };
                BindingError::Schedule { argument, error: e }
            })
        })?;
        Ok(Self { agenda })
    }

    /// The meeting time, as a dict.
    #[getter]
    fn meeting<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        meeting_time_dict(py, &self.agenda.meeting)
    }

    /// The time slots, as dicts.
    #[getter]
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .agenda
            .entries
            .iter()
            .map(|e| {
                let d = PyDict::new(py);
                d.set_item("start", local(e.start))?;
                d.set_item("end", local(e.end))?;
                let (kind, title, patient_ref) = match &e.item {
                    EntryItem::Fixed(t) => ("fixed", Some(t.as_str()), None),
                    EntryItem::Patient(p) => ("patient", None, Some(p.patient_ref.as_str())),
                };
                d.set_item("kind", kind)?;
                d.set_item("title", title)?;
                d.set_item("patient_ref", patient_ref)?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The deferred patients, as dicts.
    #[getter]
    fn deferred<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .agenda
            .deferred
            .iter()
            .map(|x| {
                let d = PyDict::new(py);
                let (needed, left) = match x.reason {
                    DeferReason::NotEnoughTime { needed, left } => (Some(needed), Some(left)),
                    DeferReason::BehindHigherPriority => (None, None),
                };
                d.set_item("patient_ref", &x.item.patient_ref)?;
                d.set_item("reason", x.reason.code())?;
                d.set_item("needed", needed)?;
                d.set_item("left", left)?;
                d.set_item("message", x.reason.to_string())?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Markdown, in full (`person` None) or for one attendee.
    #[pyo3(signature = (person=None))]
    fn to_markdown(&self, py: Python<'_>, person: Option<String>) -> String {
        let agenda = &self.agenda;
        enter_core_ok(py, move || match person {
            None => agenda.to_markdown(),
            Some(p) => agenda.to_markdown_for(&p),
        })
    }

    /// An HTML document, in full (`person` None) or for one attendee.
    #[pyo3(signature = (person=None))]
    fn to_html(&self, py: Python<'_>, person: Option<String>) -> String {
        let agenda = &self.agenda;
        enter_core_ok(py, move || match person {
            None => agenda.to_html(),
            Some(p) => agenda.to_html_for(&p),
        })
    }
}

/// Days since 1970-01-01 (Arrow `date32`).
fn date32(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

/// Overdue actions as a `pyarrow.Table`: `owner` first for the chasing list, else after
/// `description`.
fn overdue_table<'py>(
    py: Python<'py>,
    rows: &[&OverdueAction],
    owner_first: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let text = |f: fn(&OverdueAction) -> &str| -> ArrayRef {
        Arc::new(StringArray::from(
            rows.iter().map(|r| f(r)).collect::<Vec<_>>(),
        ))
    };
    let owner = ("owner", DataType::Utf8, false, text(|r| &r.action.owner));
    let mut columns = vec![
        ("id", DataType::Utf8, false, text(|r| &r.action.id)),
        (
            "patient_ref",
            DataType::Utf8,
            true,
            Arc::new(StringArray::from(
                rows.iter()
                    .map(|r| r.action.patient_ref.as_deref())
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        (
            "description",
            DataType::Utf8,
            false,
            text(|r| &r.action.description),
        ),
    ];
    if owner_first {
        columns.insert(0, owner);
    } else {
        columns.push(owner);
    }
    columns.extend([
        (
            "due",
            DataType::Date32,
            false,
            Arc::new(Date32Array::from(
                rows.iter()
                    .map(|r| date32(r.action.due))
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        (
            "days_overdue",
            DataType::Int32,
            false,
            Arc::new(Int32Array::from(
                rows.iter()
                    .map(|r| i32::try_from(r.days_overdue).unwrap_or(i32::MAX))
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        (
            "raised_at",
            DataType::Utf8,
            false,
            text(|r| &r.action.raised_at),
        ),
        (
            "raised_on",
            DataType::Date32,
            false,
            Arc::new(Date32Array::from(
                rows.iter()
                    .map(|r| date32(r.action.raised_on))
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
    ]);
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(n, t, null, _)| Field::new(*n, t.clone(), *null))
            .collect::<Vec<_>>(),
    ));
    let arrays = columns.into_iter().map(|c| c.3).collect::<Vec<_>>();
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).map_err(BindingError::from)?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// Actions carried across meetings (core `ActionLog`). Changed in place: a method that
/// changes the log holds it exclusively while the GIL is released.
#[pyclass(name = "ActionLog", module = "carecoord._native")]
pub(crate) struct PyActionLog {
    pub(crate) log: ActionLog,
}

#[pymethods]
impl PyActionLog {
    /// An empty log.
    #[new]
    fn new() -> Self {
        Self {
            log: ActionLog::new(),
        }
    }

    /// Read a log written by `to_json`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let log = enter_core(py, move || {
            ActionLog::from_json(&text).map_err(in_arg("text"))
        })?;
        Ok(Self { log })
    }

    /// Add the actions of a meeting's minutes; returns how many.
    #[pyo3(signature = (meeting, attendees, apologies, decisions, actions_json))]
    fn add_minutes(
        &mut self,
        py: Python<'_>,
        meeting: MeetingArg,
        attendees: Vec<String>,
        apologies: Vec<String>,
        decisions: Vec<(Option<String>, String)>,
        actions_json: String,
    ) -> PyResult<usize> {
        let log = &mut self.log;
        enter_core(py, move || {
            let mut minutes = Minutes::new(&meeting_time(meeting));
            minutes.attendees = attendees;
            minutes.apologies = apologies;
            minutes.decisions = decisions
                .into_iter()
                .map(|(p, t)| Decision {
                    patient_ref: p,
                    text: t,
                })
                .collect();
            let actions = ActionLog::from_json(&actions_json).map_err(in_arg("minutes"))?;
            minutes.actions = actions.actions().to_vec();
            log.add_minutes(&minutes).map_err(in_arg("minutes"))
        })
    }

    /// Set an action's status: `open`, or `done` / `cancelled` on `completed`.
    #[pyo3(signature = (action_id, status, completed=None))]
    fn set_status(
        &mut self,
        py: Python<'_>,
        action_id: String,
        status: String,
        completed: Option<NaiveDate>,
    ) -> PyResult<()> {
        let log = &mut self.log;
        enter_core(py, move || {
            let status = match (status.as_str(), completed) {
                ("open", None) => ActionStatus::Open,
                ("done", Some(d)) => ActionStatus::Done(d),
                ("cancelled", Some(d)) => ActionStatus::Cancelled(d),
                ("open", Some(_)) => {
                    return Err(in_arg("completed")(ScheduleError::InvalidField {
                        path: "completed".into(),
                        reason: "must be None for an open action".into(),
                    }))
                }
                ("done" | "cancelled", None) => {
                    return Err(in_arg("completed")(ScheduleError::MissingField {
                        path: "completed".into(),
                    }))
                }
                _ => {
                    return Err(in_arg("status")(ScheduleError::InvalidField {
                        path: "status".into(),
                        reason: "expected `open`, `done` or `cancelled`".into(),
                    }))
                }
            };
            log.set_status(&action_id, status).map_err(|e| match e {
                ScheduleError::UnknownAction { .. } => in_arg("action_id")(e),
                _ => in_arg("completed")(e),
            })
        })
    }

    /// The overdue actions on `as_of`, as a `pyarrow.Table`.
    fn overdue<'py>(&self, py: Python<'py>, as_of: NaiveDate) -> PyResult<Bound<'py, PyAny>> {
        let log = &self.log;
        let rows = enter_core_ok(py, move || log.overdue(as_of));
        overdue_table(py, &rows.iter().collect::<Vec<_>>(), false)
    }

    /// The chasing list on `as_of` (overdue actions grouped by owner), as a `pyarrow.Table`.
    fn chase_list<'py>(&self, py: Python<'py>, as_of: NaiveDate) -> PyResult<Bound<'py, PyAny>> {
        let log = &self.log;
        let groups = enter_core_ok(py, move || log.chase_list(as_of));
        let rows: Vec<&OverdueAction> = groups.iter().flat_map(|g| &g.actions).collect();
        overdue_table(py, &rows, true)
    }

    /// The log as a Markdown table.
    fn to_markdown(&self, py: Python<'_>) -> String {
        let log = &self.log;
        enter_core_ok(py, move || log.to_markdown())
    }

    /// The log as an HTML table.
    fn to_html(&self, py: Python<'_>) -> String {
        let log = &self.log;
        enter_core_ok(py, move || log.to_html())
    }

    /// The log as JSON text.
    fn to_json(&self, py: Python<'_>) -> String {
        let log = &self.log;
        enter_core_ok(py, move || log.to_json())
    }

    fn __len__(&self) -> usize {
        self.log.actions().len()
    }
}

/// Candidate slots of `meeting_id` in `instance` (JSON text), as slot dicts.
#[pyfunction]
#[pyo3(signature = (instance, meeting_id, max_slots, earliest=None, latest=None))]
fn schedule_candidate_slots(
    py: Python<'_>,
    instance: String,
    meeting_id: String,
    max_slots: usize,
    earliest: Option<NaiveDateTime>,
    latest: Option<NaiveDateTime>,
) -> PyResult<Bound<'_, PyList>> {
    let slots = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        let meeting = find_meeting(&inst, &meeting_id)?;
        let diary = Diary::new(&inst).map_err(in_arg("instance"))?;
        let window =
            (earliest.is_some() || latest.is_some()).then_some(Window { earliest, latest });
        candidate_slots(&diary, meeting, &CandidateOptions { max_slots, window })
            .map_err(BindingError::from)
    })?;
    let items = slots
        .iter()
        .map(|s| slot_dict(py, s))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// The availability email for `meeting_id`: `slots` (start, end, room) or, if `None`, the
/// default candidate slots. Returns `{"subject", "body"}`.
#[pyfunction]
#[pyo3(signature = (instance, meeting_id, slots, reply_by, greeting=None, sign_off=None))]
fn schedule_availability_email(
    py: Python<'_>,
    instance: String,
    meeting_id: String,
    slots: Option<Vec<(NaiveDateTime, NaiveDateTime, Option<String>)>>,
    reply_by: NaiveDate,
    greeting: Option<String>,
    sign_off: Option<String>,
) -> PyResult<Bound<'_, PyDict>> {
    let email = enter_core(py, move || {
        let inst = read_instance(&instance)?;
        let meeting = find_meeting(&inst, &meeting_id)?;
        let slots = match slots {
            Some(list) => list
                .into_iter()
                .map(|(start, end, room)| Slot {
                    start,
                    end,
                    room,
                    preferred_unavailable: Vec::new(),
                })
                .collect(),
            None => {
                let diary = Diary::new(&inst).map_err(in_arg("instance"))?;
                candidate_slots(&diary, meeting, &CandidateOptions::default())?
            }
        };
        let mut options = EmailOptions::new(reply_by);
        if let Some(g) = greeting {
            options.greeting = g;
        }
        if let Some(s) = sign_off {
            options.sign_off = s;
        }
        availability_email(&inst, meeting, &slots, &options).map_err(|e| match &e {
            ScheduleError::InvalidField { .. } => in_arg("reply_by")(e),
            _ => BindingError::from(e),
        })
    })?;
    let d = PyDict::new(py);
    d.set_item("subject", email.subject)?;
    d.set_item("body", email.body)?;
    Ok(d)
}

/// The plan as iCalendar text; `dtstamp` is a UTC date-time.
#[pyfunction]
#[pyo3(signature = (instance, solution, domain=None, prodid=None, dtstamp=None, sequence=0, addresses=None))]
#[allow(clippy::too_many_arguments)]
fn schedule_to_icalendar(
    py: Python<'_>,
    instance: String,
    solution: String,
    domain: Option<String>,
    prodid: Option<String>,
    dtstamp: Option<NaiveDateTime>,
    sequence: u32,
    addresses: Option<BTreeMap<String, String>>,
) -> PyResult<String> {
    enter_core(py, move || {
        let inst = read_instance(&instance)?;
        let sol = read_solution(&solution, "solution")?;
        let mut options = IcalOptions {
            dtstamp,
            sequence,
            addresses: addresses.unwrap_or_default(),
            ..IcalOptions::default()
        };
        if let Some(d) = domain {
            options.domain = d;
        }
        if let Some(p) = prodid {
            options.prodid = p;
        }
        to_icalendar(&inst, &sol, &options).map_err(|e| {
            // The only option the core checks is the domain.
            let argument = match e.path() {
                Some(p) if p.starts_with("options") => "domain",
                Some(p) if p.starts_with("assignments") => "solution",
                _ => "instance",
            };
            BindingError::Schedule { argument, error: e }
        })
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(schedule_solve, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_series_conflicts, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_series_occurrences, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_meeting_time, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_candidate_slots, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_availability_email, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_to_icalendar, m)?)?;
    m.add_class::<PyDiary>()?;
    m.add_class::<PyAgenda>()?;
    m.add_class::<PyActionLog>()?;
    Ok(())
}
