//! Checking and applying each event. Every handler checks everything first, using `&self`
//! only, and returns the mutation as a closure; so a rejected event changes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::ids::{id_problem, looks_like_nhs_number};
use super::state::{Commit, Cx};
use super::{
    AbsenceSpan, CareTeamMember, Caseload, CaseloadError, ClockStart, CloseOutcome, Contact, Event,
    FrailtyRecord, Goal, HandoverItem, Note, OutcomeRecord, Patient, Priority, Referral,
    ReferralStatus, RegisterSpell, RepatriationStatus, Respect, Rota, Staff, Task, TaskStatus,
    TwoHourClock, Unavailable,
};
use crate::calendar::{elapsed_deadline, local_date};
use crate::flow::{
    DelayEntry, DelayReasonTable, DrdChange, EscalationEntry, Handover, Repatriation, Stay,
    TransportBooking, Ward, WardMove,
};
use crate::ids::SnomedPartition;

type Res<'e> = Result<Commit<'e>, CaseloadError>;

/// The oldest a date of birth may be, in years before the event.
const MAX_AGE_YEARS: u32 = 130;

fn get<'a, V>(
    map: &'a BTreeMap<impl std::borrow::Borrow<str> + Ord, V>,
    cx: &Cx<'_>,
    field: &'static str,
    entity: &'static str,
    id: &str,
) -> Result<&'a V, CaseloadError> {
    map.get(id).ok_or_else(|| cx.not_found(field, entity))
}

fn new_id<V>(
    map: &BTreeMap<impl std::borrow::Borrow<str> + Ord, V>,
    cx: &Cx<'_>,
    field: &'static str,
    entity: &'static str,
    id: &str,
) -> Result<(), CaseloadError> {
    if let Some(reason) = id_problem(id) {
        return Err(cx.invalid(field, reason));
    }
    if map.contains_key(id) {
        return Err(cx.duplicate(field, entity));
    }
    Ok(())
}

/// A short text field: 1 to `max` bytes, no control characters, nothing like an NHS number.
fn text(cx: &Cx<'_>, field: &'static str, value: &str, max: usize) -> Result<(), CaseloadError> {
    if value.trim().is_empty() {
        return Err(cx.invalid(field, "must not be empty"));
    }
    if value.len() > max {
        return Err(cx.invalid(field, "too long"));
    }
    if value.chars().any(char::is_control) {
        return Err(cx.invalid(field, "must not contain control characters"));
    }
    if looks_like_nhs_number(value) {
        return Err(cx.invalid(field, "contains what looks like an NHS number"));
    }
    Ok(())
}

fn note(cx: &Cx<'_>, field: &'static str, value: &Note) -> Result<(), CaseloadError> {
    match value.problem() {
        Some(reason) => Err(cx.invalid(field, reason)),
        None => Ok(()),
    }
}

/// The instant a past event happened must not be after it was recorded.
fn not_after_recording(
    cx: &Cx<'_>,
    field: &'static str,
    t: DateTime<Utc>,
) -> Result<(), CaseloadError> {
    if t > cx.at {
        return Err(cx.order(field, "after the time the event was recorded"));
    }
    Ok(())
}

fn check_goals<'g>(
    cx: &Cx<'_>,
    goals: impl IntoIterator<Item = &'g Goal>,
    existing: &[Goal],
) -> Result<(), CaseloadError> {
    let mut seen: Vec<&str> = existing.iter().map(|g| g.id.as_str()).collect();
    for g in goals {
        if let Some(reason) = id_problem(g.id.as_str()) {
            return Err(cx.invalid("goal", reason));
        }
        if seen.contains(&g.id.as_str()) {
            return Err(cx.duplicate("goal", "goal in this plan"));
        }
        seen.push(g.id.as_str());
        note(cx, "goal.text", &g.text)?;
    }
    Ok(())
}

impl Caseload {
    /// Checks one event and returns its mutation.
    pub(crate) fn plan_event<'e>(&self, cx: Cx<'e>, event: &'e Event) -> Res<'e> {
        let at = cx.at;
        let who = cx.who;
        match event {
            // ---- settings ----------------------------------------------------------------
            Event::Configured(settings) => {
                let compiled = settings
                    .compile()
                    .map_err(|(field, reason)| cx.invalid(field, reason))?;
                Ok(Box::new(move |s: &mut Caseload| {
                    s.settings = settings.clone();
                    s.compiled = compiled;
                }))
            }

            // ---- patients ------------------------------------------------------------------
            Event::PatientRegistered {
                patient,
                nhs_number,
                practice,
                birth_date,
            } => {
                new_id(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if nhs_number.is_some_and(|n| self.by_nhs.contains_key(&n)) {
                    return Err(cx.duplicate("nhs_number", "patient"));
                }
                text(&cx, "practice", practice, 64)?;
                if *birth_date > cx.day {
                    return Err(cx.order("birth_date", "after the day the event was recorded"));
                }
                if cx.day.years_since(*birth_date).unwrap_or(0) > MAX_AGE_YEARS {
                    return Err(cx.invalid("birth_date", "more than 130 years ago"));
                }
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(n) = nhs_number {
                        s.by_nhs.insert(*n, patient.clone());
                    }
                    s.patients.insert(
                        patient.clone(),
                        Patient {
                            id: patient.clone(),
                            nhs_number: *nhs_number,
                            practice: practice.clone(),
                            birth_date: *birth_date,
                            registers: Vec::new(),
                            frailty: None,
                            safeguarding_since: None,
                            respect: None,
                            care_team: Vec::new(),
                            outcomes: Vec::new(),
                            current_stay: None,
                            last_discharged_at: None,
                            contacts: 0,
                            last_contact_at: None,
                        },
                    );
                }))
            }
            Event::PracticeChanged { patient, practice } => {
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                text(&cx, "practice", practice, 64)?;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.practice = practice.clone();
                    }
                }))
            }
            Event::RegisterJoined {
                patient,
                register,
                on,
            } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if p.open_spell(*register).is_some() {
                    return Err(cx.state(
                        "patient",
                        "on the register",
                        "the patient is already on this register",
                    ));
                }
                if *on < p.birth_date {
                    return Err(cx.order("on", "before the patient's date of birth"));
                }
                if let Some(last) = p
                    .registers
                    .iter()
                    .filter(|s| s.register == *register)
                    .filter_map(|s| s.to)
                    .max()
                {
                    if *on < last {
                        return Err(cx.order("on", "before the end of the previous spell"));
                    }
                }
                let (register, on) = (*register, *on);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.registers.push(RegisterSpell {
                            register,
                            from: on,
                            to: None,
                        });
                    }
                }))
            }
            Event::RegisterLeft {
                patient,
                register,
                on,
            } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                let Some(i) = p.open_spell(*register) else {
                    return Err(cx.state(
                        "patient",
                        "not on the register",
                        "the patient is not on this register",
                    ));
                };
                if *on < p.registers[i].from {
                    return Err(cx.order("on", "before the patient joined the register"));
                }
                let on = *on;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(spell) = s
                        .patients
                        .get_mut(patient.as_str())
                        .and_then(|p| p.registers.get_mut(i))
                    {
                        spell.to = Some(on);
                    }
                }))
            }
            Event::FrailtyRecorded { patient, level, on } => {
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if *on > cx.day {
                    return Err(cx.order("on", "after the day the event was recorded"));
                }
                let record = FrailtyRecord {
                    level: *level,
                    on: *on,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.frailty = Some(record);
                    }
                }))
            }
            Event::SafeguardingRaised { patient, on } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if p.safeguarding_since.is_some() {
                    return Err(cx.state(
                        "patient",
                        "under a safeguarding concern",
                        "a concern is already open",
                    ));
                }
                let on = *on;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.safeguarding_since = Some(on);
                    }
                }))
            }
            Event::SafeguardingClosed { patient } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if p.safeguarding_since.is_none() {
                    return Err(cx.state(
                        "patient",
                        "without a safeguarding concern",
                        "no concern is open",
                    ));
                }
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.safeguarding_since = None;
                    }
                }))
            }
            Event::RespectRecorded {
                patient,
                completed_on,
                review_on,
                held_at,
            } => {
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                text(&cx, "held_at", held_at, 64)?;
                if review_on.is_some_and(|r| r < *completed_on) {
                    return Err(cx.order("review_on", "before the form was completed"));
                }
                if *completed_on > cx.day {
                    return Err(cx.order("completed_on", "after the day the event was recorded"));
                }
                let record = Respect {
                    completed_on: *completed_on,
                    review_on: *review_on,
                    held_at: held_at.clone(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.respect = Some(record);
                    }
                }))
            }
            Event::CareTeamJoined {
                patient,
                member,
                role,
            } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if let Some(reason) = id_problem(member) {
                    return Err(cx.invalid("member", reason));
                }
                if p.care_team.iter().any(|m| &m.member == member) {
                    return Err(cx.duplicate("member", "care team member"));
                }
                let role = *role;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.care_team.push(CareTeamMember {
                            member: member.clone(),
                            role,
                        });
                    }
                }))
            }
            Event::CareTeamLeft { patient, member } => {
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if !p.care_team.iter().any(|m| &m.member == member) {
                    return Err(cx.not_found("member", "care team member"));
                }
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.care_team.retain(|m| &m.member != member);
                    }
                }))
            }

            // ---- staff -----------------------------------------------------------------------
            Event::StaffJoined {
                staff,
                band,
                skills,
            } => {
                new_id(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                let mut skills = skills.clone();
                skills.sort_unstable();
                skills.dedup();
                let band = *band;
                Ok(Box::new(move |s: &mut Caseload| {
                    s.staff.insert(
                        staff.clone(),
                        Staff {
                            id: staff.clone(),
                            band,
                            skills,
                            left_on: None,
                            rota: None,
                            absences: Vec::new(),
                            covering: BTreeMap::new(),
                            allocations: BTreeMap::new(),
                        },
                    );
                }))
            }
            Event::SkillsChanged { staff, skills } => {
                get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                let mut skills = skills.clone();
                skills.sort_unstable();
                skills.dedup();
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(m) = s.staff.get_mut(staff.as_str()) {
                        m.skills = skills;
                    }
                }))
            }
            Event::StaffLeft { staff, on } => {
                let m = get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                if m.left_on.is_some() {
                    return Err(cx.state("member of staff", "left", "already left the team"));
                }
                let on = *on;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(m) = s.staff.get_mut(staff.as_str()) {
                        m.left_on = Some(on);
                    }
                }))
            }
            Event::RotaSet {
                staff,
                days,
                capacity,
                from,
            } => {
                let m = get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                if m.has_left_by(*from) {
                    return Err(cx.unavailable("staff", Unavailable::Left));
                }
                if days.is_empty() {
                    return Err(cx.invalid("days", "must name at least one weekday"));
                }
                if *capacity > 100 {
                    return Err(cx.invalid("capacity", "at most 100 allocations per shift"));
                }
                let mut days = days.clone();
                days.sort_unstable_by_key(|d| d.num_days_from_monday());
                days.dedup();
                let rota = Rota {
                    days,
                    capacity: *capacity,
                    from: *from,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(m) = s.staff.get_mut(staff.as_str()) {
                        m.rota = Some(rota);
                    }
                }))
            }
            Event::AbsenceRecorded {
                absence,
                staff,
                kind,
                from,
                to,
            } => {
                new_id(&self.absences, &cx, "absence", "absence", absence.as_str())?;
                let m = get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                if to < from {
                    return Err(cx.order("to", "before the first day of the absence"));
                }
                if (*to - *from).num_days() > 366 {
                    return Err(cx.invalid("to", "an absence is at most 367 days"));
                }
                if m.absences.iter().any(|a| a.from <= *to && *from <= a.to) {
                    return Err(cx.state(
                        "member of staff",
                        "already absent",
                        "the absence overlaps another",
                    ));
                }
                let (kind, from, to) = (*kind, *from, *to);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(m) = s.staff.get_mut(staff.as_str()) {
                        m.absences.push(AbsenceSpan {
                            id: absence.clone(),
                            from,
                            to,
                        });
                        m.absences.sort_by_key(|a| a.from);
                    }
                    s.absences.insert(
                        absence.clone(),
                        super::Absence {
                            id: absence.clone(),
                            staff: staff.clone(),
                            kind,
                            from,
                            to,
                            cancelled: false,
                            cover: BTreeMap::new(),
                        },
                    );
                }))
            }
            Event::AbsenceCancelled { absence } => {
                let a = get(&self.absences, &cx, "absence", "absence", absence.as_str())?;
                if a.cancelled {
                    return Err(cx.state("absence", "cancelled", "already cancelled"));
                }
                Ok(Box::new(move |s: &mut Caseload| {
                    let Some(a) = s.absences.get_mut(absence.as_str()) else {
                        return;
                    };
                    a.cancelled = true;
                    let cover = std::mem::take(&mut a.cover);
                    let owner = a.staff.clone();
                    if let Some(m) = s.staff.get_mut(owner.as_str()) {
                        m.absences.retain(|x| &x.id != absence);
                    }
                    for (day, who) in cover {
                        if let Some(m) = s.staff.get_mut(who.as_str()) {
                            if let Some(list) = m.covering.get_mut(&day) {
                                list.retain(|x| x != absence);
                                if list.is_empty() {
                                    m.covering.remove(&day);
                                }
                            }
                        }
                    }
                }))
            }
            Event::CoverArranged {
                absence,
                date,
                cover,
            } => {
                let a = get(&self.absences, &cx, "absence", "absence", absence.as_str())?;
                if a.cancelled {
                    return Err(cx.state(
                        "absence",
                        "cancelled",
                        "cannot cover a cancelled absence",
                    ));
                }
                if *date < a.from || *date > a.to {
                    return Err(cx.order("date", "not within the absence"));
                }
                if a.cover.contains_key(date) {
                    return Err(cx.state(
                        "absence",
                        "covered that day",
                        "cover is already arranged for that day",
                    ));
                }
                let m = get(&self.staff, &cx, "cover", "member of staff", cover.as_str())?;
                if m.id == a.staff {
                    return Err(cx.invalid("cover", "cannot cover their own absence"));
                }
                if m.has_left_by(*date) {
                    return Err(cx.unavailable("cover", Unavailable::Left));
                }
                if m.is_absent_on(*date) {
                    return Err(cx.unavailable("cover", Unavailable::Absent));
                }
                let date = *date;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(a) = s.absences.get_mut(absence.as_str()) {
                        a.cover.insert(date, cover.clone());
                    }
                    if let Some(m) = s.staff.get_mut(cover.as_str()) {
                        m.covering.entry(date).or_default().push(absence.clone());
                    }
                }))
            }

            // ---- referrals ---------------------------------------------------------------------
            Event::ReferralReceived {
                referral,
                patient,
                received_at,
                referrer,
                duty,
                required_skill,
            } => {
                new_id(
                    &self.referrals,
                    &cx,
                    "referral",
                    "referral",
                    referral.as_str(),
                )?;
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                not_after_recording(&cx, "received_at", *received_at)?;
                text(&cx, "referrer", referrer, 100)?;
                let due = match duty {
                    Some(_) => Some(
                        self.compiled
                            .duty
                            .add_working_days(*received_at, self.settings.duty_request_working_days)
                            .map_err(|e| cx.deadline(e))?,
                    ),
                    None => None,
                };
                let r = Referral {
                    id: referral.clone(),
                    patient: patient.clone(),
                    duty: *duty,
                    referrer: referrer.clone(),
                    required_skill: *required_skill,
                    received_at: *received_at,
                    priority: None,
                    ucr_condition: None,
                    triaged_at: None,
                    accepted_at: None,
                    allocated_to: None,
                    allocated_at: None,
                    first_contact_at: None,
                    clock_start: due.map(|_| *received_at),
                    due_at: due,
                    due_set_at: due.map(|_| at),
                    status: ReferralStatus::Received,
                    closed_at: None,
                    outcome: None,
                    onward_to: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    s.referrals.insert(referral.clone(), r);
                }))
            }
            Event::ReferralTriaged {
                referral,
                priority,
                ucr_condition,
            } => {
                let r = self.open_referral(&cx, referral.as_str())?;
                if r.duty.is_some() {
                    return Err(cx.state(
                        "referral",
                        "a duty request",
                        "duty requests are not triaged",
                    ));
                }
                if r.first_contact_at.is_some() {
                    return Err(cx.state(
                        "referral",
                        "in progress",
                        "cannot be triaged after first contact",
                    ));
                }
                match (priority, ucr_condition) {
                    (Priority::Ucr2Hour, None) => {
                        return Err(cx.invalid("ucr_condition", "required for ucr_2_hour"))
                    }
                    (Priority::Routine, Some(_)) => {
                        return Err(cx.invalid("ucr_condition", "only for UCR priorities"))
                    }
                    _ => {}
                }
                let start = match self.settings.clock_start {
                    ClockStart::Received => Some(r.received_at),
                    ClockStart::Accepted => r.accepted_at,
                };
                let due = match start {
                    Some(start) => self.deadline(&cx, *priority, start)?,
                    None => None,
                };
                let (priority, condition) = (*priority, *ucr_condition);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(r) = s.referrals.get_mut(referral.as_str()) {
                        r.priority = Some(priority);
                        r.ucr_condition = condition;
                        r.triaged_at = Some(at);
                        if r.status == ReferralStatus::Received {
                            r.status = ReferralStatus::Triaged;
                        }
                        if start.is_some() {
                            r.clock_start = start;
                            r.due_at = due;
                            r.due_set_at = due.map(|_| at);
                        }
                    }
                }))
            }
            Event::ReferralAccepted { referral } => {
                let r = self.open_referral(&cx, referral.as_str())?;
                if r.status != ReferralStatus::Triaged {
                    return Err(cx.state(
                        "referral",
                        r.status.as_str(),
                        "only a triaged referral can be accepted",
                    ));
                }
                let due = match (self.settings.clock_start, r.priority) {
                    (ClockStart::Accepted, Some(p)) => Some(self.deadline(&cx, p, at)?),
                    _ => None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(r) = s.referrals.get_mut(referral.as_str()) {
                        r.accepted_at = Some(at);
                        r.status = ReferralStatus::Accepted;
                        if let Some(due) = due {
                            r.clock_start = Some(at);
                            r.due_at = due;
                            r.due_set_at = due.map(|_| at);
                        }
                    }
                }))
            }
            Event::ReferralAllocated { referral, staff } => {
                let r = self.open_referral(&cx, referral.as_str())?;
                let allowed = match r.status {
                    ReferralStatus::Accepted
                    | ReferralStatus::Allocated
                    | ReferralStatus::InProgress => true,
                    ReferralStatus::Received => r.duty.is_some(),
                    _ => false,
                };
                if !allowed {
                    return Err(cx.state(
                        "referral",
                        r.status.as_str(),
                        "only an accepted referral (or a duty request) can be allocated",
                    ));
                }
                let m = get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                if m.has_left_by(cx.day) {
                    return Err(cx.unavailable("staff", Unavailable::Left));
                }
                if m.is_absent_on(cx.day) {
                    return Err(cx.unavailable("staff", Unavailable::Absent));
                }
                if r.required_skill.is_some_and(|k| !m.has_skill(k)) {
                    return Err(cx.unavailable("staff", Unavailable::MissingSkill));
                }
                let day = cx.day;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(r) = s.referrals.get_mut(referral.as_str()) {
                        r.allocated_to = Some(staff.clone());
                        r.allocated_at = Some(at);
                        if r.status != ReferralStatus::InProgress {
                            r.status = ReferralStatus::Allocated;
                        }
                    }
                    if let Some(m) = s.staff.get_mut(staff.as_str()) {
                        *m.allocations.entry(day).or_insert(0) += 1;
                    }
                }))
            }
            Event::ReferralSignposted { referral, service } => {
                self.open_referral(&cx, referral.as_str())?;
                text(&cx, "service", service, 100)?;
                Ok(self.close_referral(
                    referral.as_str(),
                    at,
                    CloseOutcome::Signposted,
                    Some(service),
                ))
            }
            Event::ReferredOnward { referral, to } => {
                self.open_referral(&cx, referral.as_str())?;
                text(&cx, "to", to, 100)?;
                Ok(self.close_referral(
                    referral.as_str(),
                    at,
                    CloseOutcome::ReferredOnward,
                    Some(to),
                ))
            }
            Event::ReferralClosed { referral, outcome } => {
                self.open_referral(&cx, referral.as_str())?;
                if matches!(
                    outcome,
                    CloseOutcome::Signposted | CloseOutcome::ReferredOnward
                ) {
                    return Err(cx.invalid(
                        "outcome",
                        "use referral_signposted or referred_onward for this outcome",
                    ));
                }
                Ok(self.close_referral(referral.as_str(), at, *outcome, None))
            }

            // ---- contacts ------------------------------------------------------------------------
            Event::ContactLogged {
                contact,
                patient,
                staff,
                at: when,
                mode,
                outcome,
                referral,
                snomed,
                minutes,
            } => {
                new_id(&self.contacts, &cx, "contact", "contact", contact.as_str())?;
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                get(&self.staff, &cx, "staff", "member of staff", staff.as_str())?;
                not_after_recording(&cx, "at", *when)?;
                if let Some(code) = snomed {
                    if code.partition() != SnomedPartition::Concept {
                        return Err(cx.invalid("snomed", "must be a concept (partition 00 or 10)"));
                    }
                }
                if minutes.is_some_and(|m| m > 24 * 60) {
                    return Err(cx.invalid("minutes", "at most 1440 minutes"));
                }
                let mut first_contact = false;
                if let Some(rid) = referral {
                    let r = get(&self.referrals, &cx, "referral", "referral", rid.as_str())?;
                    if &r.patient != patient {
                        return Err(cx.invalid("referral", "belongs to another patient"));
                    }
                    if *when < r.received_at {
                        return Err(cx.order("at", "before the referral was received"));
                    }
                    first_contact =
                        r.is_open() && r.first_contact_at.is_none() && outcome.is_made();
                }
                let c = Contact {
                    id: contact.clone(),
                    patient: patient.clone(),
                    staff: staff.clone(),
                    at: *when,
                    mode: *mode,
                    outcome: *outcome,
                    referral: referral.clone(),
                    snomed: *snomed,
                    minutes: *minutes,
                };
                let when = *when;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.contacts += 1;
                        p.last_contact_at = p.last_contact_at.max(Some(when));
                    }
                    if first_contact {
                        if let Some(r) = referral
                            .as_ref()
                            .and_then(|rid| s.referrals.get_mut(rid.as_str()))
                        {
                            r.first_contact_at = Some(when);
                            r.status = ReferralStatus::InProgress;
                        }
                    }
                    s.contacts.insert(contact.clone(), c);
                }))
            }

            // ---- care plans -------------------------------------------------------------------------
            Event::CarePlanAgreed {
                plan,
                patient,
                agreed_on,
                review_on,
                goals,
                shared_with_ooh,
            } => {
                new_id(&self.care_plans, &cx, "plan", "care plan", plan.as_str())?;
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if review_on < agreed_on {
                    return Err(cx.order("review_on", "before the plan was agreed"));
                }
                check_goals(&cx, goals, &[])?;
                let p = super::CarePlan {
                    id: plan.clone(),
                    patient: patient.clone(),
                    agreed_on: *agreed_on,
                    review_on: *review_on,
                    goals: goals.clone(),
                    shared_with_ooh: *shared_with_ooh,
                    last_reviewed_on: None,
                    closed_on: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    s.care_plans.insert(plan.clone(), p);
                }))
            }
            Event::CarePlanReviewed {
                plan,
                reviewed_on,
                next_review_on,
            } => {
                let p = self.open_plan(&cx, plan.as_str())?;
                if *reviewed_on < p.agreed_on {
                    return Err(cx.order("reviewed_on", "before the plan was agreed"));
                }
                if next_review_on < reviewed_on {
                    return Err(cx.order("next_review_on", "before the review"));
                }
                let (reviewed_on, next) = (*reviewed_on, *next_review_on);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.care_plans.get_mut(plan.as_str()) {
                        p.last_reviewed_on = Some(reviewed_on);
                        p.review_on = next;
                    }
                }))
            }
            Event::GoalAdded { plan, goal } => {
                let p = self.open_plan(&cx, plan.as_str())?;
                check_goals(&cx, [goal], &p.goals)?;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.care_plans.get_mut(plan.as_str()) {
                        p.goals.push(goal.clone());
                    }
                }))
            }
            Event::GoalUpdated { plan, goal, status } => {
                let p = self.open_plan(&cx, plan.as_str())?;
                let Some(i) = p.goals.iter().position(|g| &g.id == goal) else {
                    return Err(cx.not_found("goal", "goal in this plan"));
                };
                let status = *status;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(g) = s
                        .care_plans
                        .get_mut(plan.as_str())
                        .and_then(|p| p.goals.get_mut(i))
                    {
                        g.status = status;
                    }
                }))
            }
            Event::CarePlanClosed { plan, on } => {
                let p = self.open_plan(&cx, plan.as_str())?;
                if *on < p.agreed_on {
                    return Err(cx.order("on", "before the plan was agreed"));
                }
                let on = *on;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.care_plans.get_mut(plan.as_str()) {
                        p.closed_on = Some(on);
                    }
                }))
            }
            Event::OutcomeRecorded {
                patient,
                on,
                measure,
            } => {
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if let Some((field, reason)) = measure.problem() {
                    return Err(cx.invalid(field, reason));
                }
                if let super::OutcomeMeasure::Cfs { assessor_role, .. } = measure {
                    text(&cx, "assessor_role", assessor_role, 64)?;
                }
                if *on > cx.day {
                    return Err(cx.order("on", "after the day the event was recorded"));
                }
                let record = OutcomeRecord {
                    measure: measure.clone(),
                    on: *on,
                    recorded_by: who.to_string(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.outcomes.push(record);
                    }
                }))
            }

            // ---- tasks ------------------------------------------------------------------------------
            Event::TaskCreated {
                task,
                owner,
                due,
                kind,
                text: description,
                patient,
                referral,
                stay,
                care_plan,
            } => {
                new_id(&self.tasks, &cx, "task", "task", task.as_str())?;
                self.owner(&cx, owner.as_str())?;
                note(&cx, "text", description)?;
                let mut linked = Vec::new();
                if let Some(r) = referral {
                    linked.push(
                        &get(&self.referrals, &cx, "referral", "referral", r.as_str())?.patient,
                    );
                }
                if let Some(st) = stay {
                    linked.push(&get(&self.stays, &cx, "stay", "stay", st.as_str())?.patient);
                }
                if let Some(cp) = care_plan {
                    linked.push(
                        &get(&self.care_plans, &cx, "care_plan", "care plan", cp.as_str())?.patient,
                    );
                }
                let who_for = match patient {
                    Some(p) => {
                        get(&self.patients, &cx, "patient", "patient", p.as_str())?;
                        Some(p)
                    }
                    None => linked.first().copied(),
                };
                if linked.iter().any(|l| Some(*l) != who_for) {
                    return Err(cx.invalid(
                        "patient",
                        "does not match the linked referral, stay or care plan",
                    ));
                }
                let t = Task {
                    id: task.clone(),
                    owner: owner.clone(),
                    due: *due,
                    kind: *kind,
                    text: description.clone(),
                    patient: who_for.cloned(),
                    referral: referral.clone(),
                    stay: stay.clone(),
                    care_plan: care_plan.clone(),
                    created_at: at,
                    status: TaskStatus::Open,
                    closed_on: None,
                    chases: 0,
                    last_chased_at: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    s.tasks.insert(task.clone(), t);
                }))
            }
            Event::TaskReassigned { task, owner } => {
                self.open_task(&cx, task.as_str())?;
                self.owner(&cx, owner.as_str())?;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(t) = s.tasks.get_mut(task.as_str()) {
                        t.owner = owner.clone();
                    }
                }))
            }
            Event::TaskDueChanged { task, due } => {
                self.open_task(&cx, task.as_str())?;
                let due = *due;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(t) = s.tasks.get_mut(task.as_str()) {
                        t.due = due;
                    }
                }))
            }
            Event::TaskChased { task } => {
                self.open_task(&cx, task.as_str())?;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(t) = s.tasks.get_mut(task.as_str()) {
                        t.chases += 1;
                        t.last_chased_at = Some(at);
                    }
                }))
            }
            Event::TaskDone { task, on } | Event::TaskCancelled { task, on } => {
                let t = self.open_task(&cx, task.as_str())?;
                if *on < local_date(t.created_at) {
                    return Err(cx.order("on", "before the task was created"));
                }
                let status = if matches!(event, Event::TaskDone { .. }) {
                    TaskStatus::Done
                } else {
                    TaskStatus::Cancelled
                };
                let on = *on;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(t) = s.tasks.get_mut(task.as_str()) {
                        t.status = status;
                        t.closed_on = Some(on);
                    }
                }))
            }

            // ---- hospital flow ----------------------------------------------------------------------
            Event::WardOpened { ward, site, beds } => {
                new_id(&self.wards, &cx, "ward", "ward", ward.as_str())?;
                text(&cx, "site", site, 64)?;
                if *beds > 2000 {
                    return Err(cx.invalid("beds", "at most 2000 beds"));
                }
                let w = Ward {
                    id: ward.clone(),
                    site: site.clone(),
                    beds: *beds,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    s.wards.insert(ward.clone(), w);
                }))
            }
            Event::WardBedsChanged { ward, beds } => {
                get(&self.wards, &cx, "ward", "ward", ward.as_str())?;
                if *beds > 2000 {
                    return Err(cx.invalid("beds", "at most 2000 beds"));
                }
                let beds = *beds;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(w) = s.wards.get_mut(ward.as_str()) {
                        w.beds = beds;
                    }
                }))
            }
            Event::Admitted {
                stay,
                patient,
                ward,
                admitted_at,
                method,
                referring_org,
            } => {
                new_id(&self.stays, &cx, "stay", "stay", stay.as_str())?;
                let p = get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                get(&self.wards, &cx, "ward", "ward", ward.as_str())?;
                if p.current_stay.is_some() {
                    return Err(cx.state("patient", "in hospital", "already has an open stay"));
                }
                not_after_recording(&cx, "admitted_at", *admitted_at)?;
                if p.last_discharged_at.is_some_and(|d| *admitted_at < d) {
                    return Err(cx.order("admitted_at", "before the patient's last discharge"));
                }
                if let Some(org) = referring_org {
                    text(&cx, "referring_org", org, 64)?;
                }
                let st = Stay {
                    id: stay.clone(),
                    patient: patient.clone(),
                    admitted_at: *admitted_at,
                    method: *method,
                    referring_org: referring_org.clone(),
                    wards: vec![WardMove {
                        ward: ward.clone(),
                        at: *admitted_at,
                    }],
                    drd_history: Vec::new(),
                    delays: Vec::new(),
                    escalations: Vec::new(),
                    repatriations: Vec::new(),
                    transports: Vec::new(),
                    discharged_at: None,
                    destination: None,
                    review: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.current_stay = Some(stay.clone());
                    }
                    s.stays.insert(stay.clone(), st);
                }))
            }
            Event::WardTransferred { stay, ward } => {
                let st = self.open_stay(&cx, stay.as_str())?;
                get(&self.wards, &cx, "ward", "ward", ward.as_str())?;
                let current = st.wards.last();
                if current.is_some_and(|m| &m.ward == ward) {
                    return Err(cx.invalid("ward", "the patient is already on this ward"));
                }
                if current.is_some_and(|m| at < m.at) {
                    return Err(cx.order("ward", "before the patient's last ward move"));
                }
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.wards.push(WardMove {
                            ward: ward.clone(),
                            at,
                        });
                    }
                }))
            }
            Event::DischargeReadyDateSet { stay, date } => {
                let st = self.open_stay(&cx, stay.as_str())?;
                if *date < local_date(st.admitted_at) {
                    return Err(cx.order("date", "before the admission date"));
                }
                let change = DrdChange {
                    date: *date,
                    set_at: at,
                    set_by: who.to_string(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.drd_history.push(change);
                    }
                }))
            }
            Event::DelayRecorded {
                stay,
                version,
                code,
                from,
            } => {
                let st = self.open_stay(&cx, stay.as_str())?;
                let Some(reason) = DelayReasonTable::builtin().get(version, code) else {
                    return Err(cx.not_found("code", "delay reason (version and code)"));
                };
                let Some(drd) = st.drd() else {
                    return Err(cx.state(
                        "stay",
                        "without a discharge ready date",
                        "set the discharge ready date first",
                    ));
                };
                if *from < drd {
                    return Err(cx.order("from", "before the discharge ready date"));
                }
                if *from > cx.day {
                    return Err(cx.order("from", "after the day the event was recorded"));
                }
                let entry = DelayEntry {
                    version: reason.version.clone(),
                    code: reason.code.clone(),
                    category: reason.category.clone(),
                    from: *from,
                    recorded_at: at,
                    recorded_by: who.to_string(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.delays.push(entry);
                    }
                }))
            }
            Event::Escalated { stay, rule } => {
                let st = self.open_stay(&cx, stay.as_str())?;
                let Some(r) = self
                    .settings
                    .escalation_rules
                    .iter()
                    .find(|r| &r.id == rule)
                else {
                    return Err(cx.not_found("rule", "escalation rule"));
                };
                if st.escalations.iter().any(|e| &e.rule == rule) {
                    return Err(cx.state("stay", "escalated", "already escalated under this rule"));
                }
                let entry = EscalationEntry {
                    rule: rule.clone(),
                    level: r.level,
                    at,
                    by: who.to_string(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.escalations.push(entry);
                    }
                }))
            }
            Event::RepatriationRequested {
                repatriation,
                stay,
                to_org,
            } => {
                new_id(
                    &self.repatriations,
                    &cx,
                    "repatriation",
                    "repatriation request",
                    repatriation.as_str(),
                )?;
                let st = self.open_stay(&cx, stay.as_str())?;
                text(&cx, "to_org", to_org, 64)?;
                let open = st.repatriations.iter().any(|id| {
                    self.repatriations.get(id.as_str()).is_some_and(|r| {
                        matches!(
                            r.status,
                            RepatriationStatus::Requested | RepatriationStatus::Accepted
                        )
                    })
                });
                if open {
                    return Err(cx.state(
                        "stay",
                        "awaiting repatriation",
                        "a repatriation request is already open",
                    ));
                }
                let r = Repatriation {
                    id: repatriation.clone(),
                    stay: stay.clone(),
                    to_org: to_org.clone(),
                    status: RepatriationStatus::Requested,
                    requested_at: at,
                    accepted_at: None,
                    closed_at: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.repatriations.push(repatriation.clone());
                    }
                    s.repatriations.insert(repatriation.clone(), r);
                }))
            }
            Event::RepatriationUpdated {
                repatriation,
                status,
            } => {
                let r = get(
                    &self.repatriations,
                    &cx,
                    "repatriation",
                    "repatriation request",
                    repatriation.as_str(),
                )?;
                use RepatriationStatus as R;
                let ok = matches!(
                    (r.status, status),
                    (R::Requested, R::Accepted | R::Cancelled)
                        | (R::Accepted, R::Transferred | R::Cancelled)
                );
                if !ok {
                    return Err(cx.state(
                        "repatriation request",
                        r.status.as_str(),
                        "that status does not follow (requested -> accepted -> transferred; cancel before transfer)",
                    ));
                }
                let status = *status;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(r) = s.repatriations.get_mut(repatriation.as_str()) {
                        r.status = status;
                        match status {
                            R::Accepted => r.accepted_at = Some(at),
                            _ => r.closed_at = Some(at),
                        }
                    }
                }))
            }
            Event::TransportBooked {
                transport,
                stay,
                mobility,
                booked_for,
                provider_ref,
            } => {
                new_id(
                    &self.transports,
                    &cx,
                    "transport",
                    "transport booking",
                    transport.as_str(),
                )?;
                self.open_stay(&cx, stay.as_str())?;
                text(&cx, "provider_ref", provider_ref, 64)?;
                let t = TransportBooking {
                    id: transport.clone(),
                    stay: stay.clone(),
                    mobility: *mobility,
                    booked_for: *booked_for,
                    provider_ref: provider_ref.clone(),
                    outcome: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.transports.push(transport.clone());
                    }
                    s.transports.insert(transport.clone(), t);
                }))
            }
            Event::TransportCompleted { transport, outcome } => {
                let t = get(
                    &self.transports,
                    &cx,
                    "transport",
                    "transport booking",
                    transport.as_str(),
                )?;
                if t.outcome.is_some() {
                    return Err(cx.state(
                        "transport booking",
                        "completed",
                        "its outcome is already recorded",
                    ));
                }
                let outcome = *outcome;
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(t) = s.transports.get_mut(transport.as_str()) {
                        t.outcome = Some(outcome);
                    }
                }))
            }
            Event::Discharged {
                stay,
                discharged_at,
                destination,
            } => {
                let st = self.open_stay(&cx, stay.as_str())?;
                if *discharged_at < st.admitted_at {
                    return Err(cx.order("discharged_at", "before the admission"));
                }
                if st.wards.last().is_some_and(|m| *discharged_at < m.at) {
                    return Err(cx.order("discharged_at", "before the patient's last ward move"));
                }
                not_after_recording(&cx, "discharged_at", *discharged_at)?;
                let patient = st.patient.clone();
                let (when, destination) = (*discharged_at, *destination);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.discharged_at = Some(when);
                        st.destination = Some(destination);
                    }
                    if let Some(p) = s.patients.get_mut(patient.as_str()) {
                        p.current_stay = None;
                        p.last_discharged_at = Some(when);
                    }
                }))
            }
            Event::DischargeReviewed { stay } => {
                let st = get(&self.stays, &cx, "stay", "stay", stay.as_str())?;
                if st.discharged_at.is_none() {
                    return Err(cx.state(
                        "stay",
                        "in hospital",
                        "only a discharge can be reviewed",
                    ));
                }
                if st.review.is_some() {
                    return Err(cx.state("stay", "reviewed", "the discharge is already reviewed"));
                }
                let review = crate::flow::DischargeReview {
                    at,
                    by: who.to_string(),
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(st) = s.stays.get_mut(stay.as_str()) {
                        st.review = Some(review);
                    }
                }))
            }

            // ---- handovers ------------------------------------------------------------------------
            Event::HandoverStarted {
                handover,
                patient,
                from,
                to,
            } => {
                new_id(
                    &self.handovers,
                    &cx,
                    "handover",
                    "handover",
                    handover.as_str(),
                )?;
                get(&self.patients, &cx, "patient", "patient", patient.as_str())?;
                if from == to {
                    return Err(cx.invalid("to", "must differ from `from`"));
                }
                let h = Handover {
                    id: handover.clone(),
                    patient: patient.clone(),
                    from: *from,
                    to: *to,
                    started_at: at,
                    notes_sent: None,
                    notes_received: None,
                    package_confirmed: None,
                };
                Ok(Box::new(move |s: &mut Caseload| {
                    s.handovers.insert(handover.clone(), h);
                }))
            }
            Event::HandoverItemDone { handover, item, on } => {
                let h = get(
                    &self.handovers,
                    &cx,
                    "handover",
                    "handover",
                    handover.as_str(),
                )?;
                let done = match item {
                    HandoverItem::NotesSent => h.notes_sent,
                    HandoverItem::NotesReceived => h.notes_received,
                    HandoverItem::PackageConfirmed => h.package_confirmed,
                };
                if done.is_some() {
                    return Err(cx.state(
                        "handover",
                        "with the item done",
                        "the item is already done",
                    ));
                }
                if *on < local_date(h.started_at) {
                    return Err(cx.order("on", "before the handover started"));
                }
                let (item, on) = (*item, *on);
                Ok(Box::new(move |s: &mut Caseload| {
                    if let Some(h) = s.handovers.get_mut(handover.as_str()) {
                        let slot = match item {
                            HandoverItem::NotesSent => &mut h.notes_sent,
                            HandoverItem::NotesReceived => &mut h.notes_received,
                            HandoverItem::PackageConfirmed => &mut h.package_confirmed,
                        };
                        *slot = Some(on);
                    }
                }))
            }
        }
    }

    fn open_referral(&self, cx: &Cx<'_>, id: &str) -> Result<&Referral, CaseloadError> {
        let r = get(&self.referrals, cx, "referral", "referral", id)?;
        if !r.is_open() {
            return Err(cx.state("referral", "closed", "a closed referral cannot change"));
        }
        if cx.at < r.received_at {
            return Err(cx.order("referral", "recorded before the referral was received"));
        }
        Ok(r)
    }

    fn close_referral<'e>(
        &self,
        id: &'e str,
        at: DateTime<Utc>,
        outcome: CloseOutcome,
        onward: Option<&'e String>,
    ) -> Commit<'e> {
        Box::new(move |s: &mut Caseload| {
            if let Some(r) = s.referrals.get_mut(id) {
                r.status = ReferralStatus::Closed;
                r.closed_at = Some(at);
                r.outcome = Some(outcome);
                r.onward_to = onward.cloned();
            }
        })
    }

    fn open_plan(&self, cx: &Cx<'_>, id: &str) -> Result<&super::CarePlan, CaseloadError> {
        let p = get(&self.care_plans, cx, "plan", "care plan", id)?;
        if p.closed_on.is_some() {
            return Err(cx.state("care plan", "closed", "a closed plan cannot change"));
        }
        Ok(p)
    }

    fn open_task(&self, cx: &Cx<'_>, id: &str) -> Result<&Task, CaseloadError> {
        let t = get(&self.tasks, cx, "task", "task", id)?;
        if t.status != TaskStatus::Open {
            return Err(cx.state("task", t.status.as_str(), "only an open task can change"));
        }
        Ok(t)
    }

    fn owner(&self, cx: &Cx<'_>, id: &str) -> Result<(), CaseloadError> {
        let m = get(&self.staff, cx, "owner", "member of staff", id)?;
        if m.has_left_by(cx.day) {
            return Err(cx.unavailable("owner", Unavailable::Left));
        }
        Ok(())
    }

    fn open_stay(&self, cx: &Cx<'_>, id: &str) -> Result<&Stay, CaseloadError> {
        let st = get(&self.stays, cx, "stay", "stay", id)?;
        if st.discharged_at.is_some() {
            return Err(cx.state("stay", "discharged", "the stay has ended"));
        }
        if cx.at < st.admitted_at {
            return Err(cx.order("stay", "recorded before the admission"));
        }
        Ok(st)
    }

    /// The response deadline for `priority` with the clock starting at `start`.
    fn deadline(
        &self,
        cx: &Cx<'_>,
        priority: Priority,
        start: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, CaseloadError> {
        let team = &self.compiled.team;
        let due = match priority {
            Priority::Ucr2Hour => match self.settings.ucr_2_hour_clock {
                TwoHourClock::ServiceHours => team
                    .deadline_in_service_hours(start, self.compiled.two_hours)
                    .map(Some),
                TwoHourClock::Elapsed => Ok(Some(elapsed_deadline(start, self.compiled.two_hours))),
            },
            Priority::Ucr2Day => team
                .add_working_days(start, self.settings.ucr_2_day_working_days)
                .map(Some),
            Priority::Routine => match self.settings.routine_working_days {
                Some(days) => team.add_working_days(start, days).map(Some),
                None => Ok(None),
            },
        };
        due.map_err(|e| cx.deadline(e))
    }
}
