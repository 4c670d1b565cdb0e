//! Questions a coordinator asks of a diary: the earliest common slot, every free slot in a
//! window, and who blocks a given slot.

use chrono::{Datelike, NaiveDateTime};

use super::diary::{weekday_index, Diary};
use super::format::{Instance, RoomChoice};
use super::time::{local_to_utc, utc_to_local, UtcMin};
use super::ScheduleError;

/// A time window in local time: a slot must start at or after `earliest` and end by `latest`.
///
/// # Example
///
/// ```
/// use carecoord::schedule::Window;
/// assert_eq!(Window::default(), Window { earliest: None, latest: None });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    /// No slot starts before this local time.
    pub earliest: Option<NaiveDateTime>,
    /// No slot ends after this local time.
    pub latest: Option<NaiveDateTime>,
}

/// The rooms a slot may use, as a meeting states them.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{RoomChoice, RoomFilter};
///
/// let f = RoomFilter { rooms: RoomChoice::Any, needs_physical: true };
/// assert!(f.needs_physical);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomFilter {
    /// Allowed rooms.
    pub rooms: RoomChoice,
    /// Whether a virtual room is unacceptable.
    pub needs_physical: bool,
}

/// A free slot: start and end in local time, the room chosen (if a room was asked for) and
/// the preferred people who cannot come.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{earliest_common_slot, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}, {"id": "p2"}]}"#)?;
/// let slot = earliest_common_slot(&inst, &["p1", "p2"], &[], 45, None, None)?.unwrap();
/// assert_eq!(slot.end.to_string(), "2026-03-23 08:45:00");
/// assert_eq!(slot.room, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Local start.
    pub start: NaiveDateTime,
    /// Local end.
    pub end: NaiveDateTime,
    /// Room id, if a room was asked for.
    pub room: Option<String>,
    /// Preferred people who are unavailable in this slot.
    pub preferred_unavailable: Vec<String>,
}

struct Query {
    people: Vec<usize>,
    preferred: Vec<usize>,
    duration: i64,
    lo: usize,
    hi: usize,
    earliest: Option<UtcMin>,
    latest: Option<UtcMin>,
    rooms: Option<Vec<usize>>,
    seats: u32,
}

impl Diary {
    fn query(
        &self,
        people: &[&str],
        preferred: &[&str],
        duration_minutes: u32,
        window: Option<Window>,
        rooms: Option<&RoomFilter>,
    ) -> Result<Query, ScheduleError> {
        let resolve = |ids: &[&str], argument: &'static str| -> Result<Vec<usize>, ScheduleError> {
            ids.iter()
                .enumerate()
                .map(|(i, id)| {
                    self.person_index(id)
                        .ok_or_else(|| ScheduleError::InvalidQuery {
                            argument,
                            reason: format!("item {i} is not a person of the instance"),
                        })
                })
                .collect()
        };
        let people_ix = resolve(people, "people")?;
        let preferred_ix = resolve(preferred, "preferred")?;
        if duration_minutes == 0 {
            return Err(ScheduleError::InvalidQuery {
                argument: "duration_minutes",
                reason: "must be positive".into(),
            });
        }
        let duration = i64::from(duration_minutes);
        let w = window.unwrap_or_default();
        let earliest = w.earliest.map(local_to_utc);
        let latest = w.latest.map(local_to_utc);
        let lo = earliest.map_or(0, |e| self.starts.partition_point(|s| s.utc < e));
        let hi = latest.map_or(self.starts.len(), |l| {
            self.starts.partition_point(|s| s.utc + duration <= l)
        });
        let rooms_ix = match rooms {
            None => None,
            Some(f) => {
                let mut list: Vec<usize> = match &f.rooms {
                    RoomChoice::Any => (0..self.rooms.len()).collect(),
                    RoomChoice::Only(ids) => ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| {
                            self.room_index(id)
                                .ok_or_else(|| ScheduleError::InvalidQuery {
                                    argument: "rooms",
                                    reason: format!("item {i} is not a room of the instance"),
                                })
                        })
                        .collect::<Result<_, _>>()?,
                };
                list.retain(|r| !(f.needs_physical && self.rooms[*r].is_virtual));
                list.sort_by_key(|r| (!self.rooms[*r].is_virtual, self.rooms[*r].capacity, *r));
                Some(list)
            }
        };
        Ok(Query {
            seats: (people_ix.len() + preferred_ix.len()) as u32,
            people: people_ix,
            preferred: preferred_ix,
            duration,
            lo,
            hi: hi.max(lo),
            earliest,
            latest,
            rooms: rooms_ix,
        })
    }

    /// The slot at grid start `si` if everyone in `q.people` and a room are free:
    /// (room, preferred people unavailable).
    fn try_start(&self, q: &Query, si: usize) -> Option<(Option<usize>, Vec<usize>)> {
        let s = &self.starts[si];
        let (u0, u1) = (s.utc, s.utc + q.duration);
        if q.earliest.is_some_and(|e| u0 < e) || q.latest.is_some_and(|l| u1 > l) {
            return None;
        }
        let date = self.grid.date(s.day);
        let wd = weekday_index(date.weekday());
        if self.grid.end_tod(date, u1) > i64::from(self.grid.day_end) {
            return None;
        }
        for &p in &q.people {
            let person = &self.people[p];
            if !person.works[wd] || person.blocked.any(u0, u1) || self.placed_people[p].any(u0, u1)
            {
                return None;
            }
        }
        let room = match &q.rooms {
            None => None,
            Some(list) => Some(*list.iter().find(|r| {
                let room = &self.rooms[**r];
                (room.is_virtual || room.capacity >= q.seats)
                    && !room.blocked.any(u0, u1)
                    && (room.is_virtual || !self.placed_rooms[**r].any(u0, u1))
            })?),
        };
        let missing = q
            .preferred
            .iter()
            .copied()
            .filter(|&p| {
                let person = &self.people[p];
                !person.works[wd]
                    || person.blocked.any(u0, u1)
                    || self.placed_people[p].any(u0, u1)
                    || self.placed.iter().enumerate().any(|(m, pl)| {
                        pl.is_some_and(|pl| pl.u0 < u1 && u0 < pl.u1)
                            && self.meetings[m].preferred.contains(&p)
                    })
            })
            .collect();
        Some((room, missing))
    }

    fn slot(&self, q: &Query, si: usize, room: Option<usize>, missing: Vec<usize>) -> Slot {
        let s = &self.starts[si];
        Slot {
            start: self.grid.local_of(s),
            end: utc_to_local(s.utc + q.duration),
            room: room.map(|r| self.rooms[r].id.clone()),
            preferred_unavailable: missing
                .into_iter()
                .map(|p| self.people[p].id.clone())
                .collect(),
        }
    }

    /// The best slot where all of `people` are free (and a room, if `rooms` is given): the
    /// one leaving out the fewest `preferred` people, and among those the earliest — the
    /// order of the objective of format §5.3.
    ///
    /// Slots start on the grid, on business days that are working days of every one of
    /// `people`, inside working hours, the horizon and `window`. Busy time, series and (with
    /// [`Diary::with_solution`]) placed meetings block people; unavailability, series and
    /// placed meetings block physical rooms, and a physical room must seat everyone.
    /// The room chosen is a virtual one if allowed, else the smallest that fits.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidQuery`] if a person or room id is unknown or the duration is 0.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Diary, Instance, RoomFilter, Window};
    /// use chrono::NaiveDate;
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 5},
    ///   "people": [{"id": "p1"}, {"id": "p2", "busy": [{"start": "2026-03-24T08:00", "end": "2026-03-24T11:00"}]}],
    ///   "rooms": [{"id": "rm1", "capacity": 2, "virtual": false}]}"#)?;
    /// let diary = Diary::new(&inst)?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 24).unwrap();
    /// let window = Window { earliest: Some(day.and_hms_opt(8, 0, 0).unwrap()), latest: None };
    /// let physical = RoomFilter { needs_physical: true, ..Default::default() };
    /// let slot = diary.earliest_common_slot(&["p1"], &["p2"], 60, Some(window), Some(&physical))?.unwrap();
    /// assert_eq!(slot.start.to_string(), "2026-03-24 11:00:00");
    /// assert_eq!(slot.room.as_deref(), Some("rm1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn earliest_common_slot(
        &self,
        people: &[&str],
        preferred: &[&str],
        duration_minutes: u32,
        window: Option<Window>,
        rooms: Option<&RoomFilter>,
    ) -> Result<Option<Slot>, ScheduleError> {
        let q = self.query(people, preferred, duration_minutes, window, rooms)?;
        let mut best: Option<(usize, usize, Option<usize>, Vec<usize>)> = None;
        for si in q.lo..q.hi {
            if let Some((room, missing)) = self.try_start(&q, si) {
                if best.as_ref().is_none_or(|b| missing.len() < b.0) {
                    let done = missing.is_empty();
                    best = Some((missing.len(), si, room, missing));
                    if done {
                        break;
                    }
                }
            }
        }
        Ok(best.map(|(_, si, room, missing)| self.slot(&q, si, room, missing)))
    }

    /// Every slot start where all of `people` are free (and a room, if `rooms` is given), in
    /// time order, with the preferred people each slot leaves out. Same rules as
    /// [`Diary::earliest_common_slot`].
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidQuery`] if a person or room id is unknown or the duration is 0.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Diary, Instance};
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 1, "day_start": "09:00", "day_end": "10:00"},
    ///   "people": [{"id": "p1", "busy": [{"start": "2026-03-23T09:00", "end": "2026-03-23T09:20"}]}]}"#)?;
    /// let slots = Diary::new(&inst)?.free_slots(&["p1"], &[], 30, None, None)?;
    /// let starts: Vec<String> = slots.iter().map(|s| s.start.format("%H:%M").to_string()).collect();
    /// assert_eq!(starts, ["09:30"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn free_slots(
        &self,
        people: &[&str],
        preferred: &[&str],
        duration_minutes: u32,
        window: Option<Window>,
        rooms: Option<&RoomFilter>,
    ) -> Result<Vec<Slot>, ScheduleError> {
        let q = self.query(people, preferred, duration_minutes, window, rooms)?;
        Ok((q.lo..q.hi)
            .filter_map(|si| {
                self.try_start(&q, si)
                    .map(|(room, missing)| self.slot(&q, si, room, missing))
            })
            .collect())
    }

    /// The ids that block `people` (and `slot.room`, if any) over `slot`: people first (not
    /// working that day, busy, in a series or in a placed meeting), then rooms (unavailable,
    /// series, placed meeting, or too small for `people`), then the series and meetings
    /// involved. Empty if nothing blocks.
    ///
    /// # Errors
    ///
    /// [`ScheduleError::InvalidQuery`] if a person or the room is unknown, or the slot ends
    /// before it starts.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::{Diary, Instance, Slot};
    /// use chrono::NaiveDate;
    ///
    /// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
    ///   "horizon": {"start": "2026-03-23", "days": 7},
    ///   "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue"]}],
    ///   "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart": "2026-03-23T09:00",
    ///               "duration_minutes": 30, "attendees": ["p1"], "room": null}]}"#)?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
    /// let slot = Slot {
    ///     start: day.and_hms_opt(9, 15, 0).unwrap(),
    ///     end: day.and_hms_opt(10, 0, 0).unwrap(),
    ///     room: None,
    ///     preferred_unavailable: vec![],
    /// };
    /// assert_eq!(Diary::new(&inst)?.who_blocks(&["p1", "p2"], &slot)?, ["p1", "p2", "s1"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn who_blocks(&self, people: &[&str], slot: &Slot) -> Result<Vec<String>, ScheduleError> {
        let q = self.query(people, &[], 1, None, None)?;
        let (u0, u1) = (local_to_utc(slot.start), local_to_utc(slot.end));
        if u1 <= u0 {
            return Err(ScheduleError::InvalidQuery {
                argument: "slot",
                reason: "must end after it starts".into(),
            });
        }
        let wd = slot.start.weekday();
        let mut persons: Vec<String> = Vec::new();
        let mut rooms: Vec<String> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        let add = |list: &mut Vec<String>, id: &str| {
            if !list.iter().any(|x| x == id) {
                list.push(id.to_string());
            }
        };
        let placed_overlapping = |m: usize| self.placed[m].is_some_and(|p| p.u0 < u1 && u0 < p.u1);
        for &p in &q.people {
            for prob in self.person_static_problems(p, wd, u0, u1) {
                add(&mut persons, &prob.ids[0]);
                for id in &prob.ids[1..] {
                    add(&mut others, id);
                }
            }
            for (m, md) in self.meetings.iter().enumerate() {
                if placed_overlapping(m) && md.required.contains(&p) {
                    add(&mut persons, &self.people[p].id);
                    add(&mut others, &md.id);
                }
            }
        }
        if let Some(rid) = &slot.room {
            let r = self
                .room_index(rid)
                .ok_or_else(|| ScheduleError::InvalidQuery {
                    argument: "slot",
                    reason: "room is not a room of the instance".into(),
                })?;
            let room = &self.rooms[r];
            if (!room.is_virtual && room.capacity < q.people.len() as u32)
                || super::diary::overlaps_any(&room.unavailable, u0, u1)
            {
                add(&mut rooms, &room.id);
            }
            for k in self.occ_overlapping(&room.occ, u0, u1) {
                add(&mut rooms, &room.id);
                add(&mut others, &self.series[self.occ[k].series].id);
            }
            if !room.is_virtual {
                for (m, md) in self.meetings.iter().enumerate() {
                    if placed_overlapping(m) && self.placed[m].is_some_and(|p| p.room == r) {
                        add(&mut rooms, &room.id);
                        add(&mut others, &md.id);
                    }
                }
            }
        }
        persons.extend(rooms);
        persons.extend(others);
        Ok(persons)
    }
}

/// [`Diary::earliest_common_slot`] on a diary built for this one question.
///
/// # Errors
///
/// Any error of [`Instance::validate`] or of [`Diary::earliest_common_slot`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::{earliest_common_slot, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5},
///   "people": [{"id": "p1", "working_days": ["Wed"]}, {"id": "p2"}]}"#)?;
/// let slot = earliest_common_slot(&inst, &["p1", "p2"], &[], 60, None, None)?.unwrap();
/// assert_eq!(slot.start.to_string(), "2026-03-25 08:00:00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn earliest_common_slot(
    instance: &Instance,
    people: &[&str],
    preferred: &[&str],
    duration_minutes: u32,
    window: Option<Window>,
    rooms: Option<&RoomFilter>,
) -> Result<Option<Slot>, ScheduleError> {
    Diary::new(instance)?.earliest_common_slot(people, preferred, duration_minutes, window, rooms)
}

/// [`Diary::free_slots`] on a diary built for this one question.
///
/// # Errors
///
/// Any error of [`Instance::validate`] or of [`Diary::free_slots`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::{free_slots, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 1}, "people": [{"id": "p1"}]}"#)?;
/// // 08:00 to 17:00 in quarter hours: 37 starts for a one-hour slot.
/// assert_eq!(free_slots(&inst, &["p1"], &[], 60, None, None)?.len(), 37);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn free_slots(
    instance: &Instance,
    people: &[&str],
    preferred: &[&str],
    duration_minutes: u32,
    window: Option<Window>,
    rooms: Option<&RoomFilter>,
) -> Result<Vec<Slot>, ScheduleError> {
    Diary::new(instance)?.free_slots(people, preferred, duration_minutes, window, rooms)
}

/// [`Diary::who_blocks`] on a diary built for this one question.
///
/// # Errors
///
/// Any error of [`Instance::validate`] or of [`Diary::who_blocks`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::{who_blocks, Instance, Slot};
/// use chrono::NaiveDate;
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 1},
///   "people": [{"id": "p1", "busy": [{"start": "2026-03-23T09:00", "end": "2026-03-23T10:00"}]}]}"#)?;
/// let day = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
/// let slot = Slot { start: day.and_hms_opt(9, 30, 0).unwrap(), end: day.and_hms_opt(10, 30, 0).unwrap(),
///                   room: None, preferred_unavailable: vec![] };
/// assert_eq!(who_blocks(&inst, &["p1"], &slot)?, ["p1"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn who_blocks(
    instance: &Instance,
    people: &[&str],
    slot: &Slot,
) -> Result<Vec<String>, ScheduleError> {
    Diary::new(instance)?.who_blocks(people, slot)
}
