//! Why a meeting is unplaced (format §5.2): a reason code and a small set of ids such that
//! every candidate slot is blocked by at least one of them, checked to be true.

use chrono::{Datelike, NaiveDateTime};

use super::diary::{Diary, Problem};
use super::time::UtcMin;

/// Why a meeting was left unplaced.
///
/// # Example
///
/// ```
/// use carecoord::schedule::UnplacedReason;
/// assert_eq!(UnplacedReason::NoCommonFreeSlot.code(), "no_common_free_slot");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnplacedReason {
    /// No start passes the calendar and window rules (business days, working hours, window).
    NoSlotInWindow,
    /// The meeting's room list leaves no usable room (none allowed, or only virtual rooms for
    /// a meeting that needs a physical one).
    NoAllowedRoom,
    /// The required people, rooms or series leave no gap, whatever else is placed.
    NoCommonFreeSlot,
    /// A gap exists only if other placed meetings move.
    BlockedByOtherMeetings,
    /// Every gap is taken by a placed meeting of higher priority.
    LowerPriority,
}

impl UnplacedReason {
    /// The stable snake_case code written in solutions.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::UnplacedReason;
    /// assert_eq!(UnplacedReason::LowerPriority.code(), "lower_priority");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Self::NoSlotInWindow => "no_slot_in_window",
            Self::NoAllowedRoom => "no_allowed_room",
            Self::NoCommonFreeSlot => "no_common_free_slot",
            Self::BlockedByOtherMeetings => "blocked_by_other_meetings",
            Self::LowerPriority => "lower_priority",
        }
    }
}

/// The candidate starts of meeting `m` in the sense of format §5.2: grid starts on business
/// days inside working hours and the window. Returns `(start index, u0, u1)`.
pub(crate) fn candidate_starts(d: &Diary, m: usize) -> Vec<(usize, UtcMin, UtcMin)> {
    let md = &d.meetings[m];
    let mut out = Vec::new();
    for (si, s) in d.starts.iter().enumerate() {
        let (u0, u1) = (s.utc, s.utc + md.duration);
        if md.earliest.is_some_and(|e| u0 < e) || md.latest.is_some_and(|l| u1 > l) {
            continue;
        }
        if d.grid.end_tod(d.grid.date(s.day), u1) > i64::from(d.grid.day_end) {
            continue;
        }
        out.push((si, u0, u1));
    }
    out
}

/// Placed meetings (other than `m`) overlapping `[u0, u1)`.
fn placed_overlapping(
    d: &Diary,
    m: usize,
    u0: UtcMin,
    u1: UtcMin,
) -> impl Iterator<Item = usize> + '_ {
    d.placed
        .iter()
        .enumerate()
        .filter(move |(n, p)| *n != m && p.is_some_and(|p| p.u0 < u1 && u0 < p.u1))
        .map(|(n, _)| n)
}

/// Every problem of slot (`local`, room `r`) for meeting `m`, placed meetings included, as
/// the checker lists them (person and room problems only; the caller has checked the
/// intrinsic rules).
pub(crate) fn slot_blockers(
    d: &Diary,
    m: usize,
    local: NaiveDateTime,
    u0: UtcMin,
    u1: UtcMin,
    r: usize,
) -> Vec<Problem> {
    let md = &d.meetings[m];
    let mut out = Vec::new();
    for &p in &md.required {
        out.extend(d.person_static_problems(p, local.weekday(), u0, u1));
    }
    out.extend(d.room_static_problems(m, r, u0, u1));
    let physical = !d.rooms[r].is_virtual;
    for n in placed_overlapping(d, m, u0, u1) {
        let nd = &d.meetings[n];
        for p in md.required.iter().filter(|p| nd.required.contains(p)) {
            out.push(Problem {
                code: "person_double_booked",
                ids: vec![d.people[*p].id.clone(), nd.id.clone()],
            });
        }
        if physical && d.placed[n].is_some_and(|pl| pl.room == r) {
            out.push(Problem {
                code: "room_double_booked",
                ids: vec![d.rooms[r].id.clone(), nd.id.clone()],
            });
        }
    }
    out
}

/// A candidate slot of unplaced meeting `m` that no id of `conflicts` blocks (format §5.2),
/// or a free slot; `None` if `conflicts` is a true explanation.
pub(crate) fn unexplained_slot(
    d: &Diary,
    m: usize,
    conflicts: &[String],
) -> Option<(NaiveDateTime, usize)> {
    for (si, u0, u1) in candidate_starts(d, m) {
        let local = d.grid.local_of(&d.starts[si]);
        for &r in &d.meetings[m].rooms {
            let probs = slot_blockers(d, m, local, u0, u1, r);
            if !probs
                .iter()
                .any(|p| p.ids.iter().any(|id| conflicts.contains(id)))
            {
                return Some((local, r));
            }
        }
    }
    None
}

/// A candidate slot of meeting `m` that breaks no hard rule, placed meetings included.
pub(crate) fn free_slot(d: &Diary, m: usize) -> Option<(NaiveDateTime, usize)> {
    for (si, u0, u1) in candidate_starts(d, m) {
        let local = d.grid.local_of(&d.starts[si]);
        for &r in &d.meetings[m].rooms {
            if slot_blockers(d, m, local, u0, u1, r).is_empty() {
                return Some((local, r));
            }
        }
    }
    None
}

/// Explains why meeting `m` (unplaced in `d.placed`) cannot be placed: a reason and a small
/// set of ids, people first, such that every candidate slot is blocked by one of them.
/// `Err((start, room))` if some slot is in fact free.
pub(crate) fn explain_unplaced(
    d: &Diary,
    m: usize,
) -> Result<(super::UnplacedReason, Vec<String>), (NaiveDateTime, usize)> {
    use super::UnplacedReason as R;
    let md = &d.meetings[m];
    if md.rooms.is_empty() {
        return Ok((R::NoAllowedRoom, Vec::new()));
    }
    let starts = candidate_starts(d, m);
    if starts.is_empty() {
        return Ok((R::NoSlotInWindow, Vec::new()));
    }
    let np = d.people.len();
    let nr = md.rooms.len();
    // Per start: the required people who block it; per (start, room): whether the room does.
    let mut people_sets: Vec<Vec<usize>> = Vec::with_capacity(starts.len());
    let mut room_blocked: Vec<bool> = Vec::with_capacity(starts.len() * nr);
    let mut any_static_free = false;
    let mut all_free_lower = true;
    for &(si, u0, u1) in &starts {
        let wd = super::diary::weekday_index(d.grid.date(d.starts[si].day).weekday());
        let mut ps = Vec::new();
        let mut person_static = false;
        for &p in &md.required {
            let st = !d.people[p].works[wd] || d.people[p].blocked.any(u0, u1);
            person_static |= st;
            if st || d.placed_people[p].any(u0, u1) {
                ps.push(p);
            }
        }
        for &r in &md.rooms {
            let room = &d.rooms[r];
            let st = (!room.is_virtual && room.capacity < md.seats) || room.blocked.any(u0, u1);
            let dy = !room.is_virtual && d.placed_rooms[r].any(u0, u1);
            room_blocked.push(st || dy);
            if ps.is_empty() && !st && !dy {
                return Err((d.grid.local_of(&d.starts[si]), r));
            }
            if !person_static && !st {
                // Statically free slot: blocked only by placed meetings.
                any_static_free = true;
                let local = d.grid.local_of(&d.starts[si]);
                let higher = slot_blockers(d, m, local, u0, u1, r).iter().any(|p| {
                    p.ids.iter().any(|id| match d.ids.get(id) {
                        Some(super::diary::IdRef::Meeting(n)) => {
                            d.meetings[*n].priority > md.priority
                        }
                        _ => false,
                    })
                });
                all_free_lower &= higher;
            }
        }
        people_sets.push(ps);
    }
    // Greedy set cover: people first, then rooms; then drop ids that are not needed.
    let ns = starts.len();
    let covered_by = |chosen_p: &[bool], chosen_r: &[bool], i: usize, j: usize| {
        people_sets[i].iter().any(|p| chosen_p[*p]) || (room_blocked[i * nr + j] && chosen_r[j])
    };
    let mut chosen_p = vec![false; np];
    let mut chosen_r = vec![false; nr];
    let mut order: Vec<(bool, usize)> = Vec::new(); // (is_person, index)
    loop {
        let mut count = vec![0usize; np];
        for set in &people_sets {
            if set.iter().any(|p| chosen_p[*p]) {
                continue;
            }
            for p in set {
                count[*p] += 1;
            }
        }
        let best = (0..np)
            .filter(|p| count[*p] > 0)
            .max_by_key(|p| (count[*p], std::cmp::Reverse(*p)));
        let Some(p) = best else { break };
        chosen_p[p] = true;
        order.push((true, p));
    }
    loop {
        let mut count = vec![0usize; nr];
        for i in 0..ns {
            for j in 0..nr {
                if room_blocked[i * nr + j] && !covered_by(&chosen_p, &chosen_r, i, j) {
                    count[j] += 1;
                }
            }
        }
        let best = (0..nr)
            .filter(|j| count[*j] > 0)
            .max_by_key(|j| (count[*j], std::cmp::Reverse(*j)));
        let Some(j) = best else { break };
        chosen_r[j] = true;
        order.push((false, j));
    }
    let all_covered =
        |cp: &[bool], cr: &[bool]| (0..ns).all(|i| (0..nr).all(|j| covered_by(cp, cr, i, j)));
    debug_assert!(all_covered(&chosen_p, &chosen_r));
    for &(is_person, k) in order.iter().rev() {
        if is_person {
            chosen_p[k] = false;
            if !all_covered(&chosen_p, &chosen_r) {
                chosen_p[k] = true;
            }
        } else {
            chosen_r[k] = false;
            if !all_covered(&chosen_p, &chosen_r) {
                chosen_r[k] = true;
            }
        }
    }
    let mut ids: Vec<String> = Vec::new();
    for &p in &md.required {
        if chosen_p[p] {
            ids.push(d.people[p].id.clone());
        }
    }
    for (j, &r) in md.rooms.iter().enumerate() {
        if chosen_r[j] {
            ids.push(d.rooms[r].id.clone());
        }
    }
    let reason = if !any_static_free {
        R::NoCommonFreeSlot
    } else if all_free_lower {
        R::LowerPriority
    } else {
        R::BlockedByOtherMeetings
    };
    Ok((reason, ids))
}
