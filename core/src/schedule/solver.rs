//! The solver: candidate starts per meeting from minute bitsets, a greedy by priority, then
//! ejection chains to place what is left, then local search on the objective of format §5.3.
//!
//! The search is deterministic for a given instance and seed: every loop runs in a fixed
//! order, the only randomness is a seeded generator, and the search stops on counters
//! (rounds without improvement). The time limit is a safety net; if it cuts the search short,
//! the result depends on the machine's speed.

use std::time::{Duration, Instant};

use chrono::Datelike;
use rustc_hash::FxHashMap;

use super::conflicts::{explain_unplaced, unexplained_slot};
use super::diary::{weekday_index, Diary, Placed};
use super::format::{Assignment, Instance, Solution, Unplaced};
use super::time::{local_to_utc, MinuteSet, UtcMin};
use super::ScheduleError;

/// Options of [`solve`].
///
/// # Example
///
/// ```
/// use carecoord::schedule::SolveOptions;
/// use std::time::Duration;
///
/// let o = SolveOptions::default();
/// assert_eq!(o.time_limit, Some(Duration::from_millis(1500)));
/// assert_eq!(o.seed, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolveOptions {
    /// Wall-clock budget for the search; `None` runs until the search stops improving.
    /// Default 1.5 s. The search usually stops earlier on its own.
    pub time_limit: Option<Duration>,
    /// Seed of the perturbation moves; the same instance and seed give the same plan.
    pub seed: u64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            time_limit: Some(Duration::from_millis(1500)),
            seed: 0,
        }
    }
}

/// Objective of format §5.3 without the hard violations (always 0 here):
/// `(-priority placed, moved, preferred conflicts, start grain sum)`; smaller is better.
pub(crate) type Objective = (i64, i64, i64, i64);

#[derive(Debug, Clone, Copy)]
struct Cand {
    si: u32,
    wd: u8,
    u0: UtcMin,
    u1: UtcMin,
    grain: i64,
    spref: u16,
    room_lo: u32,
    room_n: u16,
}

#[derive(Debug, Clone, Default)]
struct MeetingSearch {
    /// Candidate slots, sorted by (static preferred conflicts, start grain).
    cands: Vec<Cand>,
    /// Room pool indexed by `Cand::room_lo`; per candidate ordered virtual first, then by
    /// capacity.
    rooms: Vec<u16>,
    /// Index of the candidate at the previous start, and the previous room.
    prev: Option<(Option<usize>, Option<usize>)>,
    pinned: bool,
    /// Meetings sharing a required person.
    req_nb: Vec<usize>,
    /// Meetings `n` whose preferred people include people of this meeting, with those people.
    watchers: Vec<(usize, Vec<usize>)>,
}

type Pos = Option<(u32, u16)>;

/// Ruin-and-recreate rounds without a strict improvement before the search stops:
/// 100 plus 40 per meeting, at most 4000.
fn max_idle_rounds(meetings: usize) -> usize {
    (100 + 40 * meetings).min(4000)
}

struct Search<'a> {
    d: &'a Diary,
    ms: Vec<MeetingSearch>,
    pos: Vec<Pos>,
    people_busy: Vec<MinuteSet>,
    rooms_busy: Vec<MinuteSet>,
    /// Meetings in which a person is required or preferred.
    involved: Vec<Vec<usize>>,
    /// Meetings in which a person is required.
    req_in: Vec<Vec<usize>>,
    rng: u64,
    deadline: Option<Instant>,
}

#[inline]
fn overlap(a0: UtcMin, a1: UtcMin, b0: UtcMin, b1: UtcMin) -> bool {
    a0 < b1 && b0 < a1
}

impl<'a> Search<'a> {
    fn new(d: &'a Diary, options: &SolveOptions) -> Result<Self, ScheduleError> {
        let np = d.people.len();
        let mut involved = vec![Vec::new(); np];
        let mut req_in = vec![Vec::new(); np];
        for (m, md) in d.meetings.iter().enumerate() {
            for &p in &md.required {
                involved[p].push(m);
                req_in[p].push(m);
            }
            for &p in &md.preferred {
                involved[p].push(m);
            }
        }
        let start_wd: Vec<u8> = d
            .starts
            .iter()
            .map(|s| weekday_index(d.grid.date(s.day).weekday()) as u8)
            .collect();
        let mut ms: Vec<MeetingSearch> = (0..d.meetings.len())
            .map(|m| build_candidates(d, m, &start_wd))
            .collect::<Result<_, _>>()?;
        for (m, md) in d.meetings.iter().enumerate() {
            let mut req_nb: Vec<usize> = md
                .required
                .iter()
                .flat_map(|p| req_in[*p].iter().copied())
                .filter(|n| *n != m)
                .collect();
            req_nb.sort_unstable();
            req_nb.dedup();
            let inv: Vec<usize> = md.required.iter().chain(&md.preferred).copied().collect();
            let mut watchers: Vec<(usize, Vec<usize>)> = Vec::new();
            for (n, nd) in d.meetings.iter().enumerate() {
                if n == m {
                    continue;
                }
                let shared: Vec<usize> = nd
                    .preferred
                    .iter()
                    .copied()
                    .filter(|p| inv.contains(p))
                    .collect();
                if !shared.is_empty() {
                    watchers.push((n, shared));
                }
            }
            ms[m].req_nb = req_nb;
            ms[m].watchers = watchers;
        }
        let nm = d.meetings.len();
        if d.rooms.len() > usize::from(u16::MAX) {
            return Err(ScheduleError::InvalidField {
                path: "rooms".into(),
                reason: "at most 65535 rooms are supported".into(),
            });
        }
        Ok(Self {
            d,
            ms,
            pos: vec![None; nm],
            people_busy: vec![d.grid.minute_set(); np],
            rooms_busy: vec![d.grid.minute_set(); d.rooms.len()],
            involved,
            req_in,
            rng: options.seed ^ 0x9e37_79b9_7f4a_7c15,
            deadline: options.time_limit.map(|t| Instant::now() + t),
        })
    }

    fn next_rand(&mut self) -> u64 {
        // splitmix64
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn cand(&self, m: usize, ci: u32) -> &Cand {
        &self.ms[m].cands[ci as usize]
    }

    fn interval(&self, m: usize) -> Option<(UtcMin, UtcMin)> {
        self.pos[m].map(|(ci, _)| {
            let c = self.cand(m, ci);
            (c.u0, c.u1)
        })
    }

    fn place(&mut self, m: usize, ci: u32, r: u16) {
        debug_assert!(self.pos[m].is_none());
        let c = self.ms[m].cands[ci as usize];
        for &p in &self.d.meetings[m].required {
            debug_assert!(!self.people_busy[p].any(c.u0, c.u1));
            self.people_busy[p].insert(c.u0, c.u1);
        }
        if !self.d.rooms[r as usize].is_virtual {
            debug_assert!(!self.rooms_busy[r as usize].any(c.u0, c.u1));
            self.rooms_busy[r as usize].insert(c.u0, c.u1);
        }
        self.pos[m] = Some((ci, r));
    }

    fn unplace(&mut self, m: usize) {
        let Some((ci, r)) = self.pos[m].take() else {
            return;
        };
        let c = self.ms[m].cands[ci as usize];
        for &p in &self.d.meetings[m].required {
            self.people_busy[p].remove(c.u0, c.u1);
        }
        if !self.d.rooms[r as usize].is_virtual {
            self.rooms_busy[r as usize].remove(c.u0, c.u1);
        }
    }

    /// Restores a snapshot of positions, touching only meetings that differ.
    fn restore(&mut self, snap: &[Pos]) {
        let diff: Vec<usize> = (0..self.pos.len())
            .filter(|m| self.pos[*m] != snap[*m])
            .collect();
        for &m in &diff {
            self.unplace(m);
        }
        for &m in &diff {
            if let Some((ci, r)) = snap[m] {
                self.place(m, ci, r);
            }
        }
    }

    fn people_free(&self, m: usize, c: &Cand) -> bool {
        self.d.meetings[m]
            .required
            .iter()
            .all(|p| !self.people_busy[*p].any(c.u0, c.u1))
    }

    /// A free room for candidate `ci` of `m`, preferring `want`.
    fn free_room(&self, m: usize, ci: usize, want: Option<usize>) -> Option<u16> {
        let ms = &self.ms[m];
        let c = &ms.cands[ci];
        let pool = &ms.rooms[c.room_lo as usize..c.room_lo as usize + c.room_n as usize];
        let free = |r: u16| {
            self.d.rooms[r as usize].is_virtual || !self.rooms_busy[r as usize].any(c.u0, c.u1)
        };
        if let Some(w) = want {
            if pool.contains(&(w as u16)) && free(w as u16) {
                return Some(w as u16);
            }
        }
        pool.iter().copied().find(|r| free(*r))
    }

    fn moved(&self, m: usize, ci: usize, r: u16) -> i64 {
        match self.ms[m].prev {
            None => 0,
            Some((pc, pr)) => i64::from(!(pc == Some(ci) && pr == Some(r as usize))),
        }
    }

    /// Whether preferred person `p` of meeting `m` is unavailable over candidate `c`,
    /// ignoring meeting `skip`.
    fn pref_conflict(&self, m: usize, p: usize, c: &Cand, skip: usize) -> bool {
        let person = &self.d.people[p];
        if !person.works[c.wd as usize] || person.blocked.any(c.u0, c.u1) {
            return true;
        }
        self.involved[p].iter().any(|&n| {
            n != m
                && n != skip
                && self
                    .interval(n)
                    .is_some_and(|(a, b)| overlap(a, b, c.u0, c.u1))
        })
    }

    /// Preferred conflicts added by placing the (unplaced) meeting `m` at candidate `ci`.
    fn insertion_pref(&self, m: usize, ci: usize) -> i64 {
        let c = &self.ms[m].cands[ci];
        let md = &self.d.meetings[m];
        let mut total = md
            .preferred
            .iter()
            .filter(|p| self.pref_conflict(m, **p, c, usize::MAX))
            .count() as i64;
        for (n, shared) in &self.ms[m].watchers {
            let Some((nci, _)) = self.pos[*n] else {
                continue;
            };
            let nc = &self.ms[*n].cands[nci as usize];
            if !overlap(nc.u0, nc.u1, c.u0, c.u1) {
                continue;
            }
            total += shared
                .iter()
                .filter(|p| !self.pref_conflict(*n, **p, nc, m))
                .count() as i64;
        }
        total
    }

    /// The best position for the unplaced meeting `m` in the current state, by
    /// (moved, preferred conflicts added, start grain), better than `bound` if given.
    fn best_insertion(
        &self,
        m: usize,
        bound: Option<(i64, i64, i64)>,
    ) -> Option<((i64, i64, i64), usize, u16)> {
        let ms = &self.ms[m];
        let mut best: Option<((i64, i64, i64), usize, u16)> = None;
        let better = |k: (i64, i64, i64), best: &Option<((i64, i64, i64), usize, u16)>| {
            best.as_ref()
                .map_or(bound.is_none_or(|b| k < b), |(bk, _, _)| k < *bk)
        };
        if let Some((Some(pc), pr)) = ms.prev {
            let c = &ms.cands[pc];
            if self.people_free(m, c) {
                if let Some(r) = self.free_room(m, pc, pr) {
                    let k = (self.moved(m, pc, r), self.insertion_pref(m, pc), c.grain);
                    if better(k, &best) {
                        best = Some((k, pc, r));
                    }
                }
            }
        }
        let base_moved = i64::from(ms.prev.is_some());
        for (ci, c) in ms.cands.iter().enumerate() {
            let lb = (base_moved, i64::from(c.spref), c.grain);
            let cutoff = best.as_ref().map(|b| b.0).or(bound);
            if cutoff.is_some_and(|k| lb >= k) {
                break;
            }
            if !self.people_free(m, c) {
                continue;
            }
            let Some(r) = self.free_room(m, ci, None) else {
                continue;
            };
            let k = (self.moved(m, ci, r), self.insertion_pref(m, ci), c.grain);
            if better(k, &best) {
                best = Some((k, ci, r));
            }
        }
        best
    }

    fn objective(&self) -> Objective {
        let mut prio = 0i64;
        let mut moved = 0i64;
        let mut pref = 0i64;
        let mut grain = 0i64;
        for (m, md) in self.d.meetings.iter().enumerate() {
            match self.pos[m] {
                Some((ci, r)) => {
                    let c = &self.ms[m].cands[ci as usize];
                    prio += i64::from(md.priority);
                    grain += c.grain;
                    moved += self.moved(m, ci as usize, r);
                    pref += md
                        .preferred
                        .iter()
                        .filter(|p| self.pref_conflict(m, **p, c, usize::MAX))
                        .count() as i64;
                }
                None => moved += i64::from(self.ms[m].prev.is_some()),
            }
        }
        (-prio, moved, pref, grain)
    }

    /// Greedy placement of every unplaced meeting, by priority then fewest candidates.
    fn greedy(&mut self, order: &[usize]) {
        for &m in order {
            if self.pos[m].is_some() {
                continue;
            }
            if let Some((_, ci, r)) = self.best_insertion(m, None) {
                self.place(m, ci as u32, r);
            }
        }
    }

    fn priority_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.pos.len()).collect();
        order.sort_by_key(|m| {
            (
                std::cmp::Reverse(self.d.meetings[*m].priority),
                self.ms[*m].cands.len(),
                *m,
            )
        });
        order
    }

    /// Placed meetings blocking candidate `ci` of `m` through a required person, and the
    /// cheapest room option with its extra blockers. `None` if a pinned meeting blocks.
    fn blockers(&self, m: usize, ci: usize) -> Option<(Vec<usize>, u16)> {
        let c = &self.ms[m].cands[ci];
        let mut b: Vec<usize> = Vec::new();
        for &p in &self.d.meetings[m].required {
            if !self.people_busy[p].any(c.u0, c.u1) {
                continue;
            }
            for &n in &self.req_in[p] {
                if n != m
                    && self
                        .interval(n)
                        .is_some_and(|(a, e)| overlap(a, e, c.u0, c.u1))
                {
                    if self.ms[n].pinned {
                        return None;
                    }
                    b.push(n);
                }
            }
        }
        let ms = &self.ms[m];
        let pool = &ms.rooms[c.room_lo as usize..c.room_lo as usize + c.room_n as usize];
        let mut best: Option<(Vec<usize>, u16)> = None;
        for &r in pool {
            let mut extra = Vec::new();
            if !self.d.rooms[r as usize].is_virtual && self.rooms_busy[r as usize].any(c.u0, c.u1) {
                let mut pinned = false;
                for (n, p) in self.pos.iter().enumerate() {
                    if let Some((nci, nr)) = p {
                        let nc = self.cand(n, *nci);
                        if *nr == r && n != m && overlap(nc.u0, nc.u1, c.u0, c.u1) {
                            pinned |= self.ms[n].pinned;
                            if !b.contains(&n) {
                                extra.push(n);
                            }
                        }
                    }
                }
                if pinned {
                    continue;
                }
            }
            if best.as_ref().is_none_or(|(e, _)| extra.len() < e.len()) {
                best = Some((extra, r));
            }
        }
        let (extra, r) = best?;
        b.extend(extra);
        b.sort_unstable();
        b.dedup();
        Some((b, r))
    }

    /// Tries to place `m` by moving up to `max_b` blocking meetings elsewhere (each blocker
    /// may in turn move others when `depth > 1`). Applies the best chain if it improves the
    /// objective; meetings in `frozen` are never moved.
    fn eject_insert(&mut self, m: usize, depth: u32, frozen: &mut Vec<usize>) -> bool {
        const MAX_B: usize = 3;
        let start_obj = self.objective();
        let snap = self.pos.clone();
        self.unplace(m);
        let mut best: Option<(Objective, Vec<Pos>)> = None;
        let mut tried: FxHashMap<Vec<usize>, u32> = FxHashMap::default();
        frozen.push(m);
        let n_cands = self.ms[m].cands.len();
        let mut trials = 0;
        for ci in 0..n_cands {
            if trials >= 60 || self.out_of_time() {
                break;
            }
            let Some((b, r)) = self.blockers(m, ci) else {
                continue;
            };
            if b.len() > MAX_B || b.iter().any(|n| frozen.contains(n)) {
                continue;
            }
            let seen = tried.entry(b.clone()).or_insert(0);
            if *seen >= 2 {
                continue;
            }
            *seen += 1;
            trials += 1;
            let before = self.pos.clone();
            for &n in &b {
                self.unplace(n);
            }
            self.place(m, ci as u32, r);
            let mut order = b.clone();
            order.sort_by_key(|n| (std::cmp::Reverse(self.d.meetings[*n].priority), *n));
            frozen.extend(&b);
            for &n in &order {
                if let Some((_, nci, nr)) = self.best_insertion(n, None) {
                    self.place(n, nci as u32, nr);
                } else if depth > 1 {
                    self.eject_insert(n, depth - 1, frozen);
                }
            }
            frozen.truncate(frozen.len() - b.len());
            let obj = self.objective();
            if obj < start_obj && best.as_ref().is_none_or(|(bo, _)| obj < *bo) {
                best = Some((obj, self.pos.clone()));
            }
            self.restore(&before);
        }
        frozen.pop();
        match best {
            Some((_, p)) => {
                self.restore(&p);
                true
            }
            None => {
                self.restore(&snap);
                false
            }
        }
    }

    /// Moves single meetings to better positions until none improves.
    fn local_search(&mut self) -> bool {
        let mut any = false;
        loop {
            let mut improved = false;
            for m in 0..self.pos.len() {
                if self.ms[m].pinned {
                    continue;
                }
                let Some((ci, r)) = self.pos[m] else { continue };
                self.unplace(m);
                let here = (
                    self.moved(m, ci as usize, r),
                    self.insertion_pref(m, ci as usize),
                    self.cand(m, ci).grain,
                );
                match self.best_insertion(m, Some(here)) {
                    Some((_, nci, nr)) => {
                        self.place(m, nci as u32, nr);
                        improved = true;
                    }
                    None => self.place(m, ci, r),
                }
            }
            if !improved {
                return any;
            }
            any = true;
        }
    }

    fn place_unplaced_with_ejection(&mut self) -> bool {
        let mut any = false;
        loop {
            let mut changed = false;
            for m in self.priority_order() {
                if self.pos[m].is_some() || self.ms[m].cands.is_empty() {
                    continue;
                }
                if self.out_of_time() {
                    return any;
                }
                if let Some((_, ci, r)) = self.best_insertion(m, None) {
                    self.place(m, ci as u32, r);
                    changed = true;
                } else if self.eject_insert(m, 2, &mut Vec::new()) {
                    changed = true;
                }
            }
            if !changed {
                return any;
            }
            any = true;
        }
    }

    /// Compound moves: move a placed meeting to a slot held by others, moving them on.
    fn compound_moves(&mut self) -> bool {
        let mut any = false;
        for m in 0..self.pos.len() {
            if self.ms[m].pinned || self.pos[m].is_none() || self.out_of_time() {
                continue;
            }
            if self.eject_insert(m, 1, &mut Vec::new()) {
                any = true;
            }
        }
        any
    }

    /// Ruin and recreate around a random meeting: it is forced to another slot (one that is
    /// better for it but held by others, or a random nearby one), the meetings in the way or
    /// around it are re-inserted, then local search. Returns the objective reached; the
    /// caller keeps or undoes the result.
    fn perturb(&mut self) -> Objective {
        let movable: Vec<usize> = (0..self.pos.len())
            .filter(|m| !self.ms[*m].pinned && self.pos[*m].is_some())
            .collect();
        if movable.is_empty() {
            return self.objective();
        }
        let m0 = movable[(self.next_rand() % movable.len() as u64) as usize];
        let (ci0, r0) = self.pos[m0].expect("placed");
        let (a, b) = self.interval(m0).expect("placed");
        let mut ruin: Vec<usize> = Vec::new();
        if self.next_rand() % 2 == 0 {
            // Targeted: a better slot for m0, held by up to three movable meetings.
            self.unplace(m0);
            let here = self.ms[m0].cands[ci0 as usize];
            let better: Vec<usize> = (0..self.ms[m0].cands.len())
                .filter(|&ci| {
                    let c = &self.ms[m0].cands[ci];
                    ci != ci0 as usize && (c.spref, c.grain) < (here.spref, here.grain)
                })
                .take(200)
                .collect();
            let mut chosen = None;
            for _ in 0..8 {
                if better.is_empty() {
                    break;
                }
                let ci = better[(self.next_rand() % better.len() as u64) as usize];
                if let Some((bl, r)) = self.blockers(m0, ci) {
                    if bl.len() <= 3 {
                        chosen = Some((ci, bl, r));
                        break;
                    }
                }
            }
            let Some((ci, bl, r)) = chosen else {
                // Nothing to try: put it back exactly where it was.
                self.place(m0, ci0, r0);
                return self.objective();
            };
            for &n in &bl {
                self.unplace(n);
            }
            self.place(m0, ci as u32, r);
            ruin.extend(bl);
            // Meetings that prefer someone m0 now takes up at the new slot are re-inserted
            // too, so a preferred clash the move creates can be cleared by moving them (a
            // compound move that single-meeting moves and required-person ejection miss).
            let (x0, x1) = self.interval(m0).expect("placed");
            let clashing: Vec<usize> = self.ms[m0]
                .watchers
                .iter()
                .map(|(n, _)| *n)
                .filter(|&n| {
                    !self.ms[n].pinned
                        && self.interval(n).is_some_and(|(a, b)| overlap(a, b, x0, x1))
                })
                .collect();
            for n in clashing {
                self.unplace(n);
                ruin.push(n);
            }
        } else {
            // Random kick: m0 and some neighbours out, m0 to a random other free slot.
            let mut near: Vec<usize> = self.ms[m0]
                .req_nb
                .iter()
                .chain(self.ms[m0].watchers.iter().map(|(n, _)| n))
                .copied()
                .filter(|n| {
                    !self.ms[*n].pinned
                        && self
                            .interval(*n)
                            .is_some_and(|(x, y)| overlap(x, y, a - 1440, b + 1440))
                })
                .collect();
            near.sort_unstable();
            near.dedup();
            let k = (self.next_rand() % 4) as usize;
            for _ in 0..k.min(near.len()) {
                let i = (self.next_rand() % near.len() as u64) as usize;
                ruin.push(near.swap_remove(i));
            }
            self.unplace(m0);
            for &m in &ruin {
                self.unplace(m);
            }
            let free: Vec<(usize, u16)> = (0..self.ms[m0].cands.len())
                .filter(|ci| *ci != ci0 as usize && self.people_free(m0, &self.ms[m0].cands[*ci]))
                .filter_map(|ci| self.free_room(m0, ci, None).map(|r| (ci, r)))
                .take(12)
                .collect();
            if free.is_empty() {
                ruin.push(m0);
            } else {
                let (ci, r) = free[(self.next_rand() % free.len() as u64) as usize];
                self.place(m0, ci as u32, r);
            }
        }
        let n = ruin.len();
        for i in (1..n).rev() {
            let j = (self.next_rand() % (i as u64 + 1)) as usize;
            ruin.swap(i, j);
        }
        self.greedy(&ruin);
        self.place_unplaced_with_ejection();
        self.local_search();
        self.objective()
    }

    fn run(&mut self) {
        // 1. Pinned meetings.
        for m in 0..self.pos.len() {
            if self.ms[m].pinned {
                let r = self.ms[m].rooms[0];
                self.place(m, 0, r);
            }
        }
        let order = self.priority_order();
        // 2. Previous assignments that still fit.
        for &m in &order {
            if self.pos[m].is_some() {
                continue;
            }
            if let Some((Some(pc), Some(pr))) = self.ms[m].prev {
                let c = self.ms[m].cands[pc];
                if self.people_free(m, &c) && self.free_room(m, pc, Some(pr)) == Some(pr as u16) {
                    self.place(m, pc as u32, pr as u16);
                }
            }
        }
        // 3. Greedy, 4. ejection chains, 5. local search.
        self.greedy(&order);
        self.place_unplaced_with_ejection();
        self.local_search();
        loop {
            let a = self.compound_moves();
            let b = self.place_unplaced_with_ejection();
            let c = self.local_search();
            if !(a || b || c) || self.out_of_time() {
                break;
            }
        }
        // 6. Ruin and recreate until it stops paying; sideways moves are accepted.
        let mut best_obj = self.objective();
        let mut best_pos = self.pos.clone();
        let mut idle = 0;
        let max_idle = max_idle_rounds(self.pos.len());
        while idle < max_idle && !self.out_of_time() {
            let before = self.pos.clone();
            let cur = self.objective();
            let obj = self.perturb();
            if obj < best_obj {
                best_obj = obj;
                best_pos = self.pos.clone();
                idle = 0;
            } else {
                idle += 1;
                if obj > cur {
                    self.restore(&before);
                }
            }
        }
        self.restore(&best_pos);
    }
}

/// Candidate slots of meeting `m`: grid starts in working hours on business days inside its
/// window, where its required people work and are free of busy time and series, with the
/// rooms that can host it. A pinned meeting has exactly its pinned slot.
fn build_candidates(d: &Diary, m: usize, start_wd: &[u8]) -> Result<MeetingSearch, ScheduleError> {
    let md = &d.meetings[m];
    let mut out = MeetingSearch::default();
    if let Some((start, room)) = md.pinned {
        let path = format!("meetings[{m}].pinned");
        if let Some(p) = d.slot_problems(m, start, room).first() {
            return Err(ScheduleError::PinnedInfeasible { path, rule: p.code });
        }
        let u0 = local_to_utc(start);
        let si = d
            .starts
            .iter()
            .position(|s| s.utc == u0)
            .expect("a valid pinned start is a grid start");
        out.cands.push(Cand {
            si: si as u32,
            wd: start_wd[si],
            u0,
            u1: u0 + md.duration,
            grain: d.grid.start_grain(start),
            spref: 0,
            room_lo: 0,
            room_n: 1,
        });
        out.rooms.push(room as u16);
        out.pinned = true;
        out.cands[0].spref = md
            .preferred
            .iter()
            .filter(|p| {
                let person = &d.people[**p];
                !person.works[start_wd[si] as usize] || person.blocked.any(u0, u0 + md.duration)
            })
            .count() as u16;
        return Ok(out);
    }
    let mut room_order: Vec<usize> = md
        .rooms
        .iter()
        .copied()
        .filter(|r| d.rooms[*r].is_virtual || d.rooms[*r].capacity >= md.seats)
        .collect();
    room_order.sort_by_key(|r| (!d.rooms[*r].is_virtual, d.rooms[*r].capacity, *r));
    let lo = md
        .earliest
        .map_or(0, |e| d.starts.partition_point(|s| s.utc < e));
    let hi = md.latest.map_or(d.starts.len(), |l| {
        d.starts.partition_point(|s| s.utc + md.duration <= l)
    });
    for (si, s) in d.starts.iter().enumerate().take(hi).skip(lo) {
        let wd = start_wd[si] as usize;
        let (u0, u1) = (s.utc, s.utc + md.duration);
        if md.earliest.is_some_and(|e| u0 < e) || md.latest.is_some_and(|l| u1 > l) {
            continue;
        }
        if !md.required.iter().all(|p| d.people[*p].works[wd]) {
            continue;
        }
        let date = d.grid.date(s.day);
        if d.grid.end_tod(date, u1) > i64::from(d.grid.day_end) {
            continue;
        }
        if md.required.iter().any(|p| d.people[*p].blocked.any(u0, u1)) {
            continue;
        }
        let room_lo = out.rooms.len();
        for &r in &room_order {
            if !d.rooms[r].blocked.any(u0, u1) {
                out.rooms.push(r as u16);
            }
        }
        if out.rooms.len() == room_lo {
            continue;
        }
        let spref = md
            .preferred
            .iter()
            .filter(|p| {
                let person = &d.people[**p];
                !person.works[wd] || person.blocked.any(u0, u1)
            })
            .count() as u16;
        out.cands.push(Cand {
            si: si as u32,
            wd: wd as u8,
            u0,
            u1,
            grain: s.grain,
            spref,
            room_lo: room_lo as u32,
            room_n: (out.rooms.len() - room_lo) as u16,
        });
    }
    out.cands.sort_by_key(|c| (c.spref, c.grain));
    if let Some((pstart, proom)) = md.previous {
        let pu = local_to_utc(pstart);
        let pc = out
            .cands
            .iter()
            .position(|c| c.u0 == pu && d.grid.local_of(&d.starts[c.si as usize]) == pstart);
        out.prev = Some((pc, proom));
    }
    Ok(out)
}

/// Plans the meetings of an instance (format §5): every hard rule holds, then as much
/// priority as possible is placed, then as few meetings of `instance.previous` as possible
/// move, then preferred attendees clash as little as possible, then meetings start as early
/// as possible. Pinned meetings stay where they are. Unplaced meetings come with a reason and
/// a set of blocking ids that is checked to be true (format §5.2); the series conflict report
/// is exact (format §4.1).
///
/// # Errors
///
/// Any error of [`Instance::validate`]; [`ScheduleError::PinnedInfeasible`] if a pinned
/// meeting breaks a hard rule where it is pinned (or two pinned meetings clash).
///
/// # Example
///
/// ```
/// use carecoord::schedule::{solve, Instance, SolveOptions};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1", "name": "mini",
///   "horizon": {"start": "2026-03-23", "days": 5},
///   "people": [{"id": "p1", "busy": [{"start": "2026-03-23T08:00", "end": "2026-03-23T10:00"}]},
///              {"id": "p2"}],
///   "rooms": [{"id": "rm1", "capacity": 4, "virtual": false}],
///   "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1", "p2"], "priority": 5},
///                {"id": "m2", "duration_minutes": 30, "required": ["p2"], "priority": 1}]}"#)?;
/// let plan = solve(&inst, &SolveOptions::default())?;
/// let starts: Vec<String> = plan.assignments.iter().map(|a| a.start.to_string()).collect();
/// assert_eq!(starts, ["2026-03-23 10:00:00", "2026-03-23 08:00:00"]);
/// assert!(plan.unplaced.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solve(instance: &Instance, options: &SolveOptions) -> Result<Solution, ScheduleError> {
    let diary = Diary::new(instance)?;
    let mut search = Search::new(&diary, options)?;
    // Pinned meetings must not clash with each other.
    let pinned: Vec<usize> = (0..diary.meetings.len())
        .filter(|m| search.ms[*m].pinned)
        .collect();
    for (i, &a) in pinned.iter().enumerate() {
        for &b in &pinned[i + 1..] {
            let (ca, cb) = (search.ms[a].cands[0], search.ms[b].cands[0]);
            if !overlap(ca.u0, ca.u1, cb.u0, cb.u1) {
                continue;
            }
            let (ma, mb) = (&diary.meetings[a], &diary.meetings[b]);
            let rule = if ma.required.iter().any(|p| mb.required.contains(p)) {
                Some("person_double_booked")
            } else if search.ms[a].rooms[0] == search.ms[b].rooms[0]
                && !diary.rooms[search.ms[a].rooms[0] as usize].is_virtual
            {
                Some("room_double_booked")
            } else {
                None
            };
            if let Some(rule) = rule {
                return Err(ScheduleError::PinnedInfeasible {
                    path: format!("meetings[{b}].pinned"),
                    rule,
                });
            }
        }
    }
    search.run();
    let pos = search.pos.clone();
    finish(instance, diary.clone(), &search, &pos)
}

/// Builds the solution from positions: places anything still placeable, explains the rest.
fn finish(
    instance: &Instance,
    mut diary: Diary,
    search: &Search<'_>,
    pos: &[Pos],
) -> Result<Solution, ScheduleError> {
    let place_of = |m: usize, p: &Pos| -> Option<Placed> {
        p.map(|(ci, r)| {
            let c = search.ms[m].cands[ci as usize];
            Placed {
                start: diary.grid.local_of(&diary.starts[c.si as usize]),
                u0: c.u0,
                u1: c.u1,
                room: r as usize,
            }
        })
    };
    diary.placed = pos
        .iter()
        .enumerate()
        .map(|(m, p)| place_of(m, p))
        .collect();
    diary.rebuild_placed_sets();
    // Explain unplaced meetings; a slot found free is taken (cannot happen after the search,
    // but the explanation is the final word).
    let mut unplaced = Vec::new();
    loop {
        unplaced.clear();
        let mut changed = false;
        for m in 0..diary.meetings.len() {
            if diary.placed[m].is_some() {
                continue;
            }
            match explain_unplaced(&diary, m) {
                Ok((reason, mut conflicts)) => {
                    // The set cover is exact by construction; check it anyway, and fall back
                    // to every required person and candidate room, which always covers.
                    if unexplained_slot(&diary, m, &conflicts).is_some() {
                        let md = &diary.meetings[m];
                        conflicts = md
                            .required
                            .iter()
                            .map(|p| diary.people[*p].id.clone())
                            .chain(md.rooms.iter().map(|r| diary.rooms[*r].id.clone()))
                            .collect();
                    }
                    unplaced.push(Unplaced {
                        meeting: diary.meetings[m].id.clone(),
                        reason: reason.code().to_string(),
                        conflicts,
                    });
                }
                Err((start, room)) => {
                    let u0 = local_to_utc(start);
                    diary.placed[m] = Some(Placed {
                        start,
                        u0,
                        u1: u0 + diary.meetings[m].duration,
                        room,
                    });
                    diary.rebuild_placed_sets();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let assignments = diary
        .placed
        .iter()
        .enumerate()
        .filter_map(|(m, p)| {
            p.map(|p| Assignment {
                meeting: diary.meetings[m].id.clone(),
                start: p.start,
                room: diary.rooms[p.room].id.clone(),
            })
        })
        .collect();
    Ok(Solution {
        instance: instance.name.clone(),
        assignments,
        unplaced,
        series_conflicts: diary.series_conflict_report(),
    })
}
