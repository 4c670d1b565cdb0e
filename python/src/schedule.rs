//! `carecoord::schedule` for Python: solve, evaluate, the series conflict report and the
//! diary queries.
//!
//! Argument conversion only; every call goes through `boundary` (the GIL is released while
//! the core parses, solves and answers). Documents arrive as JSON text (the Python layer
//! turns dicts and files into text) and solutions leave as the core's JSON text; the other
//! results are built as dicts and lists with the keys of the C API's JSON. Local times leave
//! as `YYYY-MM-DDTHH:MM` strings, as the format writes them. The public, documented API is
//! `carecoord/schedule.py`.

use std::time::Duration;

use carecoord::schedule::{
    evaluate, series_conflicts, series_occurrences, solve, Diary, Evaluation, Instance, Previous,
    RoomChoice, RoomFilter, ScheduleError, SeriesConflict, Slot, Solution, SolveOptions, Violation,
    Window, SCHEMA,
};
use chrono::NaiveDateTime;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::boundary::enter_core;
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

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(schedule_solve, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_series_conflicts, m)?)?;
    m.add_class::<PyDiary>()?;
    Ok(())
}
