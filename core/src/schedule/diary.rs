//! The compiled form of an instance: ids resolved to indices, local times converted to UTC
//! minutes, series expanded, and busy time held as minute bitsets. The solver, the queries
//! and the checker all read an instance through a [`Diary`].

use chrono::{Datelike, NaiveDateTime, Weekday};
use rustc_hash::FxHashMap;

use super::format::{Instance, RoomChoice, Solution};
use super::series::{expand_all, Occurrence};
use super::time::{is_real_local, local_to_utc, Grid, GridStart, MinuteSet, UtcMin};
use super::ScheduleError;

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdRef {
    Person(usize),
    Room(usize),
    Meeting(usize),
    Series(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct PersonD {
    pub id: String,
    pub works: [bool; 7],
    /// Busy intervals in UTC minutes, sorted by start.
    pub busy: Vec<(UtcMin, UtcMin)>,
    /// Occurrence indices this person attends, sorted by start.
    pub occ: Vec<usize>,
    /// Busy time and series occurrences.
    pub blocked: MinuteSet,
}

#[derive(Debug, Clone)]
pub(crate) struct RoomD {
    pub id: String,
    pub is_virtual: bool,
    /// Seats (0 for a physical room without capacity; unused for virtual rooms).
    pub capacity: u32,
    pub unavailable: Vec<(UtcMin, UtcMin)>,
    /// Occurrence indices held in this room if it is physical, sorted by start.
    pub occ: Vec<usize>,
    /// Unavailable time and (physical rooms) series occurrences.
    pub blocked: MinuteSet,
}

#[derive(Debug, Clone)]
pub(crate) struct SeriesD {
    pub id: String,
    pub attendees: Vec<usize>,
    pub room: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct MeetingD {
    pub id: String,
    pub duration: i64,
    pub required: Vec<usize>,
    pub preferred: Vec<usize>,
    pub earliest: Option<UtcMin>,
    pub latest: Option<UtcMin>,
    /// Allowed rooms, and only physical ones if the meeting needs one (format §5.2's
    /// candidate rooms; capacity is a blocker, not a filter).
    pub rooms: Vec<usize>,
    /// Every allowed room (before the physical filter).
    pub allowed: Vec<usize>,
    pub needs_physical: bool,
    pub seats: u32,
    pub priority: u32,
    pub pinned: Option<(NaiveDateTime, usize)>,
    /// Previous start and room (`None` if the room id is unknown).
    pub previous: Option<(NaiveDateTime, Option<usize>)>,
}

/// A placed meeting of a solution, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    pub start: NaiveDateTime,
    pub u0: UtcMin,
    pub u1: UtcMin,
    pub room: usize,
}

/// An instance compiled for fast questions: who is free when, where, and why not.
///
/// Build it once per instance (it expands the series and builds a minute bitset per person
/// and room), then ask many questions; [`Diary::earliest_common_slot`] answers in
/// microseconds on a month's diary. With [`Diary::with_solution`] the meetings of a plan count
/// as busy time too.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{Diary, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5},
///   "people": [{"id": "p1", "busy": [{"start": "2026-03-23T08:00", "end": "2026-03-23T12:00"}]}]}"#)?;
/// let diary = Diary::new(&inst)?;
/// let slot = diary.earliest_common_slot(&["p1"], &[], 60, None, None)?.unwrap();
/// assert_eq!(slot.start.to_string(), "2026-03-23 12:00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Diary {
    pub(crate) grid: Grid,
    pub(crate) ids: FxHashMap<String, IdRef>,
    pub(crate) people: Vec<PersonD>,
    pub(crate) rooms: Vec<RoomD>,
    pub(crate) series: Vec<SeriesD>,
    pub(crate) occ: Vec<Occurrence>,
    pub(crate) meetings: Vec<MeetingD>,
    /// Grid starts on business days, in time order.
    pub(crate) starts: Vec<GridStart>,
    /// Placed meetings of the solution given to [`Diary::with_solution`].
    pub(crate) placed: Vec<Option<Placed>>,
    /// Required-person occupancy by placed meetings.
    pub(crate) placed_people: Vec<MinuteSet>,
    /// Physical-room occupancy by placed meetings.
    pub(crate) placed_rooms: Vec<MinuteSet>,
}

/// A hard-rule problem of a slot: the violation code of format §5.1 and the ids involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub code: &'static str,
    pub ids: Vec<String>,
}

pub(crate) fn overlaps_any(list: &[(UtcMin, UtcMin)], a: UtcMin, b: UtcMin) -> bool {
    // Sorted by start: only intervals starting before b can overlap.
    let end = list.partition_point(|(s, _)| *s < b);
    list[..end].iter().any(|(_, e)| *e > a)
}

pub(crate) fn weekday_index(w: Weekday) -> usize {
    w.num_days_from_monday() as usize
}

impl Diary {
    /// Compiles an instance: validates it, expands its series and builds the bitsets.
    ///
    /// # Errors
    ///
    /// Any error of [`Instance::validate`].
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Diary, Instance};
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}]}"#)?;
    /// assert!(Diary::new(&inst).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(instance: &Instance) -> Result<Diary, ScheduleError> {
        instance.validate()?;
        let h = &instance.horizon;
        let grid = Grid::new(
            h.start,
            h.days,
            h.grain_minutes,
            h.day_start,
            h.day_end,
            &h.bank_holidays,
        );
        let mut ids = FxHashMap::default();
        for (i, p) in instance.people.iter().enumerate() {
            ids.insert(p.id.clone(), IdRef::Person(i));
        }
        for (i, r) in instance.rooms.iter().enumerate() {
            ids.insert(r.id.clone(), IdRef::Room(i));
        }
        for (i, m) in instance.meetings.iter().enumerate() {
            ids.insert(m.id.clone(), IdRef::Meeting(i));
        }
        for (i, s) in instance.series.iter().enumerate() {
            ids.insert(s.id.clone(), IdRef::Series(i));
        }
        let person = |id: &str| match ids.get(id) {
            Some(IdRef::Person(i)) => *i,
            _ => unreachable!("validated"),
        };
        let room = |id: &str| match ids.get(id) {
            Some(IdRef::Room(i)) => Some(*i),
            _ => None,
        };
        let mut people: Vec<PersonD> = instance
            .people
            .iter()
            .map(|p| {
                let mut works = [false; 7];
                for w in &p.working_days {
                    works[weekday_index(*w)] = true;
                }
                let mut busy: Vec<(UtcMin, UtcMin)> = p
                    .busy
                    .iter()
                    .map(|b| (local_to_utc(b.start), local_to_utc(b.end)))
                    .collect();
                busy.sort_unstable();
                let mut blocked = grid.minute_set();
                for (a, b) in &busy {
                    blocked.insert(*a, *b);
                }
                PersonD {
                    id: p.id.clone(),
                    works,
                    busy,
                    occ: Vec::new(),
                    blocked,
                }
            })
            .collect();
        let mut rooms: Vec<RoomD> = instance
            .rooms
            .iter()
            .map(|r| {
                let mut unavailable: Vec<(UtcMin, UtcMin)> = r
                    .unavailable
                    .iter()
                    .map(|b| (local_to_utc(b.start), local_to_utc(b.end)))
                    .collect();
                unavailable.sort_unstable();
                let mut blocked = grid.minute_set();
                for (a, b) in &unavailable {
                    blocked.insert(*a, *b);
                }
                RoomD {
                    id: r.id.clone(),
                    is_virtual: r.is_virtual,
                    capacity: if r.is_virtual {
                        u32::MAX
                    } else {
                        r.capacity.unwrap_or(0)
                    },
                    unavailable,
                    occ: Vec::new(),
                    blocked,
                }
            })
            .collect();
        let series: Vec<SeriesD> = instance
            .series
            .iter()
            .map(|s| SeriesD {
                id: s.id.clone(),
                attendees: s.attendees.iter().map(|p| person(p)).collect(),
                room: s.room.as_deref().and_then(room),
            })
            .collect();
        let occ = expand_all(instance, &grid)?;
        for (k, o) in occ.iter().enumerate() {
            let s = &series[o.series];
            for &p in &s.attendees {
                people[p].occ.push(k);
                people[p].blocked.insert(o.u0, o.u1);
            }
            if let Some(r) = s.room {
                if !rooms[r].is_virtual {
                    rooms[r].occ.push(k);
                    rooms[r].blocked.insert(o.u0, o.u1);
                }
            }
        }
        let all_rooms: Vec<usize> = (0..rooms.len()).collect();
        let meetings = instance
            .meetings
            .iter()
            .map(|m| {
                let allowed: Vec<usize> = match &m.rooms {
                    RoomChoice::Any => all_rooms.clone(),
                    RoomChoice::Only(list) => list.iter().filter_map(|r| room(r)).collect(),
                };
                MeetingD {
                    id: m.id.clone(),
                    duration: i64::from(m.duration_minutes),
                    required: m.required.iter().map(|p| person(p)).collect(),
                    preferred: m.preferred.iter().map(|p| person(p)).collect(),
                    earliest: m.earliest.map(local_to_utc),
                    latest: m.latest.map(local_to_utc),
                    rooms: allowed
                        .iter()
                        .copied()
                        .filter(|r| !(m.needs_physical && rooms[*r].is_virtual))
                        .collect(),
                    allowed,
                    needs_physical: m.needs_physical,
                    seats: (m.required.len() + m.preferred.len()) as u32,
                    priority: m.priority,
                    pinned: m
                        .pinned
                        .as_ref()
                        .map(|p| (p.start, room(&p.room).expect("validated"))),
                    previous: None,
                }
            })
            .collect::<Vec<_>>();
        let mut diary = Diary {
            starts: grid.business_starts(),
            placed: vec![None; meetings.len()],
            placed_people: Vec::new(),
            placed_rooms: Vec::new(),
            grid,
            ids,
            people,
            rooms,
            series,
            occ,
            meetings,
        };
        if let Some(prev) = &instance.previous {
            for a in &prev.assignments {
                if let Some(IdRef::Meeting(i)) = diary.ids.get(&a.meeting).copied() {
                    let r = diary.room_index(&a.room);
                    diary.meetings[i].previous = Some((a.start, r));
                }
            }
        }
        diary.rebuild_placed_sets();
        Ok(diary)
    }

    /// Compiles an instance and marks the meetings placed by `solution` as busy time for their
    /// required people and physical rooms, so queries find gaps in the plan.
    ///
    /// # Errors
    ///
    /// Any error of [`Instance::validate`]; [`ScheduleError::UnknownId`] if an assignment
    /// names an unknown meeting or room; [`ScheduleError::InvalidTime`] if a start does not
    /// exist on the local clock.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{solve, Diary, Instance, SolveOptions};
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
    ///   "rooms": [{"id": "virt", "virtual": true}],
    ///   "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1"]}]}"#)?;
    /// let plan = solve(&inst, &SolveOptions::default())?;
    /// let diary = Diary::with_solution(&inst, &plan)?;
    /// let slot = diary.earliest_common_slot(&["p1"], &[], 30, None, None)?.unwrap();
    /// assert_eq!(slot.start.to_string(), "2026-03-23 09:00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_solution(instance: &Instance, solution: &Solution) -> Result<Diary, ScheduleError> {
        let mut d = Diary::new(instance)?;
        for (i, a) in solution.assignments.iter().enumerate() {
            let Some(IdRef::Meeting(m)) = d.ids.get(&a.meeting).copied() else {
                return Err(ScheduleError::UnknownId {
                    path: format!("assignments[{i}].meeting"),
                    kind: "meeting",
                });
            };
            let Some(IdRef::Room(r)) = d.ids.get(&a.room).copied() else {
                return Err(ScheduleError::UnknownId {
                    path: format!("assignments[{i}].room"),
                    kind: "room",
                });
            };
            if !is_real_local(a.start) {
                return Err(ScheduleError::InvalidTime {
                    path: format!("assignments[{i}].start"),
                    reason: "does not exist on the local clock (clock change)".into(),
                });
            }
            let u0 = local_to_utc(a.start);
            d.placed[m] = Some(Placed {
                start: a.start,
                u0,
                u1: u0 + d.meetings[m].duration,
                room: r,
            });
        }
        d.rebuild_placed_sets();
        Ok(d)
    }

    pub(crate) fn rebuild_placed_sets(&mut self) {
        self.placed_people = vec![self.grid.minute_set(); self.people.len()];
        self.placed_rooms = vec![self.grid.minute_set(); self.rooms.len()];
        for (m, p) in self.placed.iter().enumerate() {
            let Some(p) = p else { continue };
            for &q in &self.meetings[m].required {
                self.placed_people[q].insert(p.u0, p.u1);
            }
            if !self.rooms[p.room].is_virtual {
                self.placed_rooms[p.room].insert(p.u0, p.u1);
            }
        }
    }

    pub(crate) fn person_index(&self, id: &str) -> Option<usize> {
        match self.ids.get(id) {
            Some(IdRef::Person(i)) => Some(*i),
            _ => None,
        }
    }

    pub(crate) fn room_index(&self, id: &str) -> Option<usize> {
        match self.ids.get(id) {
            Some(IdRef::Room(i)) => Some(*i),
            _ => None,
        }
    }

    /// Problems of a start that depend only on the start and duration (format §5.1 `bad_start`
    /// to `window`). `window` is `(earliest, latest)` in UTC minutes.
    pub(crate) fn intrinsic_problems(
        &self,
        local: NaiveDateTime,
        duration: i64,
        window: (Option<UtcMin>, Option<UtcMin>),
    ) -> Vec<&'static str> {
        let mut out = Vec::new();
        let g = &self.grid;
        let tod = local
            .time()
            .signed_duration_since(chrono::NaiveTime::MIN)
            .num_minutes();
        if tod % i64::from(g.grain) != 0 || !is_real_local(local) {
            out.push("bad_start");
        }
        let date = local.date();
        if g.day_of(date).is_none() {
            out.push("outside_horizon");
        }
        if g.holidays.contains(&date) {
            out.push("bank_holiday");
        }
        if date.weekday().num_days_from_monday() >= 5 {
            out.push("weekend");
        }
        let u0 = local_to_utc(local);
        let u1 = u0 + duration;
        if tod < i64::from(g.day_start) || g.end_tod(date, u1) > i64::from(g.day_end) {
            out.push("outside_working_hours");
        }
        if window.0.is_some_and(|e| u0 < e) || window.1.is_some_and(|l| u1 > l) {
            out.push("window");
        }
        out
    }

    /// Series occurrences overlapping `[a, b)` among `list` (occurrence indices sorted by start).
    pub(crate) fn occ_overlapping<'a>(
        &'a self,
        list: &'a [usize],
        a: UtcMin,
        b: UtcMin,
    ) -> impl Iterator<Item = usize> + 'a {
        let end = list.partition_point(|k| self.occ[*k].u0 < b);
        list[..end]
            .iter()
            .copied()
            .filter(move |k| self.occ[*k].u1 > a)
    }

    /// Why required person `p` cannot attend `[u0, u1)` on `date`, ignoring placed meetings:
    /// `not_working_day`, `person_busy`, and `person_series` with the series id.
    pub(crate) fn person_static_problems(
        &self,
        p: usize,
        weekday: Weekday,
        u0: UtcMin,
        u1: UtcMin,
    ) -> Vec<Problem> {
        let person = &self.people[p];
        let mut out = Vec::new();
        if !person.works[weekday_index(weekday)] {
            out.push(Problem {
                code: "not_working_day",
                ids: vec![person.id.clone()],
            });
        }
        if overlaps_any(&person.busy, u0, u1) {
            out.push(Problem {
                code: "person_busy",
                ids: vec![person.id.clone()],
            });
        }
        for k in self.occ_overlapping(&person.occ, u0, u1) {
            out.push(Problem {
                code: "person_series",
                ids: vec![
                    person.id.clone(),
                    self.series[self.occ[k].series].id.clone(),
                ],
            });
        }
        out
    }

    /// Why room `r` cannot host meeting `m` over `[u0, u1)`, ignoring placed meetings.
    pub(crate) fn room_static_problems(
        &self,
        m: usize,
        r: usize,
        u0: UtcMin,
        u1: UtcMin,
    ) -> Vec<Problem> {
        let room = &self.rooms[r];
        let meeting = &self.meetings[m];
        let mut out = Vec::new();
        let one = |code| Problem {
            code,
            ids: vec![room.id.clone()],
        };
        if !meeting.allowed.contains(&r) {
            out.push(one("room_not_allowed"));
        }
        if meeting.needs_physical && room.is_virtual {
            out.push(one("room_not_physical"));
        }
        if !room.is_virtual && room.capacity < meeting.seats {
            out.push(one("room_capacity"));
        }
        if overlaps_any(&room.unavailable, u0, u1) {
            out.push(one("room_unavailable"));
        }
        for k in self.occ_overlapping(&room.occ, u0, u1) {
            out.push(Problem {
                code: "room_series",
                ids: vec![room.id.clone(), self.series[self.occ[k].series].id.clone()],
            });
        }
        out
    }

    /// Every hard-rule problem of meeting `m` at `local` in room `r`, ignoring other meetings.
    pub(crate) fn slot_problems(&self, m: usize, local: NaiveDateTime, r: usize) -> Vec<Problem> {
        let meeting = &self.meetings[m];
        let mut out: Vec<Problem> = self
            .intrinsic_problems(local, meeting.duration, (meeting.earliest, meeting.latest))
            .into_iter()
            .map(|code| Problem {
                code,
                ids: Vec::new(),
            })
            .collect();
        let u0 = local_to_utc(local);
        let u1 = u0 + meeting.duration;
        out.extend(self.room_static_problems(m, r, u0, u1));
        for &p in &meeting.required {
            out.extend(self.person_static_problems(p, local.weekday(), u0, u1));
        }
        out
    }
}
