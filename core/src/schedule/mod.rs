//! Meeting scheduling for care coordination: read a `carecoord.schedule.v1` instance, plan
//! its meetings around people's diaries, rooms and recurring series, explain what cannot be
//! placed, and answer diary questions.
//!
//! ## Overview
//!
//! * [`Instance`] / [`Solution`]: the v1 JSON format (`formats/schedule-v1.md`), read with
//!   errors that name the JSON path ([`Instance::from_json`]) and written back
//!   ([`Solution::to_json`]).
//! * [`solve`]: places meetings under the hard rules of format §5.1 and the lexicographic
//!   objective of §5.3 (priority placed, then fewest moves from `previous`, then fewest
//!   preferred-attendee clashes, then earliest starts). Pinned meetings stay put. Each
//!   unplaced meeting gets an [`UnplacedReason`] and a set of blocking ids that is checked
//!   to be true (§5.2); the series conflict report is exact (§4.1). Deterministic for a
//!   given seed.
//! * [`Rrule`]: RFC 5545 recurrence rules expanded on local wall time, so a weekly 09:00
//!   series stays at 09:00 across clock changes; [`series_occurrences`] applies the holiday
//!   policy and [`series_conflicts`] gives the report.
//! * [`Diary`]: an instance compiled into minute bitsets for fast questions:
//!   [`Diary::earliest_common_slot`], [`Diary::free_slots`], [`Diary::who_blocks`].
//! * [`evaluate`]: checks and scores a solution as the reference evaluator does.
//! * [`Agenda`]: patients put in order (breach, risk tier, days since review) and packed
//!   into an MDT's time slots, rendered as Markdown or HTML in full or per attendee, with the
//!   summary only for patients the attendee is involved in.
//! * [`Minutes`] and [`ActionLog`]: decisions and actions per patient, action status,
//!   [`ActionLog::overdue`] and [`ActionLog::chase_list`], tables in Markdown and HTML, JSON.
//! * [`candidate_slots`] and [`availability_email`]: a few candidate slots for a meeting and
//!   the text of the email asking invitees which they can make.
//! * [`to_icalendar`]: RFC 5545 export of placed meetings and series (with `RRULE`,
//!   `EXDATE` and moved occurrences) in `Europe/London` time.
//!
//! All comparisons are made on real (UTC) instants; local times follow the UK rule of
//! format §1.1. Dates in the files are `Europe/London` wall-clock times.
//!
//! ## Example
//!
//! ```
//! use carecoord::schedule::{evaluate, solve, Instance, SolveOptions};
//!
//! let inst = Instance::from_json(r#"{
//!   "schema": "carecoord.schedule.v1", "name": "mini",
//!   "horizon": {"start": "2026-03-23", "days": 5, "bank_holidays": []},
//!   "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Wed"]}],
//!   "rooms": [{"id": "rm1", "capacity": 4, "virtual": false}],
//!   "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1", "p2"],
//!                 "rooms": "any", "needs_physical": true, "priority": 3}]
//! }"#)?;
//! let plan = solve(&inst, &SolveOptions::default())?;
//! assert_eq!(plan.assignments[0].start.to_string(), "2026-03-25 08:00:00");
//! assert!(evaluate(&inst, &plan)?.feasible);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod agenda;
mod availability;
mod conflicts;
mod diary;
mod error;
mod evaluate;
mod format;
mod ical;
mod minutes;
mod query;
mod rrule;
mod series;
mod solver;
mod time;

#[cfg(test)]
mod tests;

pub use agenda::{
    Agenda, AgendaEntry, AgendaItem, AgendaOptions, DeferReason, Deferred, EntryItem, FixedItem,
    MeetingTime, PatientSummary, RiskScore,
};
pub use availability::{
    availability_email, candidate_slots, AvailabilityEmail, CandidateOptions, EmailOptions,
};
pub use conflicts::UnplacedReason;
pub use diary::Diary;
pub use error::ScheduleError;
pub use evaluate::{evaluate, Evaluation, PreferredConflict, Violation};
pub use format::{
    Assignment, Busy, HolidayPolicy, Horizon, Instance, Meeting, Person, Pin, Previous, Room,
    RoomChoice, Series, SeriesConflict, Solution, Unavailable, Unplaced, SCHEMA,
};
pub use ical::{to_icalendar, IcalOptions};
pub use minutes::{Action, ActionLog, ActionStatus, ChaseGroup, Decision, Minutes, OverdueAction};
pub use query::{earliest_common_slot, free_slots, who_blocks, RoomFilter, Slot, Window};
pub use rrule::{Frequency, Occurrences, Rrule};
pub use series::{series_conflicts, series_occurrences, SeriesOccurrence};
pub use solver::{solve, SolveOptions};
