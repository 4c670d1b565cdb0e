//! Tests of the caseload and flow model: deadlines and breaches from worked examples,
//! rejections that change nothing, allocation, flow queries, JSON of every event kind,
//! redaction, journal replay (byte-identical, torn tail, corruption, a killed writer) and a
//! property test over random event sequences.
//!
//! Expected values are worked out by hand from DOMAIN.md rules (2.4 time, 2.5 service hours,
//! 2.6 UCR, 2.7 LOS, 2.8 DRD and delay) and the UK bank holidays of 2026; each test says how.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use proptest::prelude::*;

use super::*;
use crate::flow::{LosBand, SummaryOptions};
use crate::journal::Envelope;
use crate::schedule::{Action, ActionLog, MeetingTime};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A caseload being driven by a test: applies events with increasing sequence numbers.
struct Drive {
    c: Caseload,
    seq: u64,
}

impl Drive {
    fn new() -> Self {
        Self {
            c: Caseload::new(),
            seq: 0,
        }
    }

    fn ok(&mut self, at: DateTime<Utc>, event: Event) {
        self.seq += 1;
        let kind = event.kind();
        let env = Envelope {
            seq: self.seq,
            who: "tester".into(),
            at,
            event,
        };
        if let Err(e) = self.c.apply(&env) {
            panic!("{kind} rejected: {e}");
        }
    }

    /// Applies an event that must be rejected; checks that nothing changed.
    fn err(&mut self, at: DateTime<Utc>, event: Event) -> CaseloadError {
        let before = self.c.to_json();
        let env = Envelope {
            seq: self.seq + 1,
            who: "tester".into(),
            at,
            event,
        };
        let checked = self.c.check(&env);
        let e = self.c.apply(&env).expect_err("event should be rejected");
        assert_eq!(checked, Err(e.clone()), "check and apply disagree");
        assert_eq!(
            self.c.to_json(),
            before,
            "a rejected event changed the state"
        );
        assert_eq!(e.seq(), Some(self.seq + 1));
        e
    }

    fn patient(&mut self, at: DateTime<Utc>, id: &str, birth: NaiveDate, practice: &str) {
        self.ok(
            at,
            Event::PatientRegistered {
                patient: PatientRef::new(id).unwrap(),
                nhs_number: None,
                practice: practice.into(),
                birth_date: birth,
            },
        );
    }

    fn staff(&mut self, at: DateTime<Utc>, id: &str, skills: &[Skill], days: &[Weekday], cap: u32) {
        self.ok(
            at,
            Event::StaffJoined {
                staff: sid(id),
                band: Band::B6,
                skills: skills.to_vec(),
            },
        );
        self.ok(
            at,
            Event::RotaSet {
                staff: sid(id),
                days: days.to_vec(),
                capacity: cap,
                from: day(2026, 1, 1),
            },
        );
    }

    fn referral(&mut self, at: DateTime<Utc>, id: &str, patient: &str, skill: Option<Skill>) {
        self.ok(
            at,
            Event::ReferralReceived {
                referral: rid(id),
                patient: PatientRef::new(patient).unwrap(),
                received_at: at,
                referrer: "NHS 111".into(),
                duty: None,
                required_skill: skill,
            },
        );
    }

    fn triage(&mut self, at: DateTime<Utc>, id: &str, priority: Priority) {
        let ucr_condition = (priority == Priority::Ucr2Hour).then_some(UcrCondition::Fall);
        self.ok(
            at,
            Event::ReferralTriaged {
                referral: rid(id),
                priority,
                ucr_condition,
            },
        );
    }

    fn contact(&mut self, at: DateTime<Utc>, id: &str, referral: &str, outcome: ContactOutcome) {
        let patient = self.c.referral(referral).unwrap().patient.clone();
        self.ok(
            at,
            Event::ContactLogged {
                contact: ContactId::new(id).unwrap(),
                patient,
                staff: sid("N1"),
                at,
                mode: ContactMode::HomeVisit,
                outcome,
                referral: Some(rid(referral)),
                snomed: None,
                minutes: Some(30),
            },
        );
    }
}

fn sid(s: &str) -> StaffId {
    StaffId::new(s).unwrap()
}
fn rid(s: &str) -> ReferralId {
    ReferralId::new(s).unwrap()
}
fn pid(s: &str) -> PatientRef {
    PatientRef::new(s).unwrap()
}
fn stid(s: &str) -> StayId {
    StayId::new(s).unwrap()
}
fn wid(s: &str) -> WardId {
    WardId::new(s).unwrap()
}

const ALL_WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A caseload with one patient P1 (born 1940-03-15, SYN001) and nurse N1 on every day.
fn base() -> Drive {
    let mut t = Drive::new();
    let t0 = utc(2026, 1, 2, 9, 0);
    t.patient(t0, "P1", day(1940, 3, 15), "SYN001");
    t.staff(t0, "N1", &[Skill::Nursing], &ALL_WEEK, 3);
    t
}

// ------------------------------------------------------------------------------------------
// Deadlines (DOMAIN 2.5, 2.6; bank holidays of England and Wales 2026).

#[test]
fn deadline_worked_examples() {
    let mut t = base();
    // UCR 2-hour, received 16:30 BST Friday 10 July 2026 (15:30Z): 90 minutes to 18:00 BST,
    // 30 from 08:00 BST on Saturday: due 08:30 BST = 07:30Z.
    t.referral(utc(2026, 7, 10, 15, 30), "R1", "P1", None);
    t.triage(utc(2026, 7, 10, 15, 40), "R1", Priority::Ucr2Hour);
    assert_eq!(
        t.c.referral("R1").unwrap().due_at,
        Some(utc(2026, 7, 11, 7, 30))
    );
    assert_eq!(
        t.c.referral("R1").unwrap().clock_start,
        Some(utc(2026, 7, 10, 15, 30))
    );

    // UCR 2-day, received 09:00 BST Thursday 2 April 2026: the 7-day team works Good Friday
    // and Saturday, so the second working day is Saturday 4 April, closing 18:00 BST = 17:00Z.
    t.referral(utc(2026, 4, 2, 8, 0), "R2", "P1", None);
    t.triage(utc(2026, 4, 2, 8, 30), "R2", Priority::Ucr2Day);
    assert_eq!(
        t.c.referral("R2").unwrap().due_at,
        Some(utc(2026, 4, 4, 17, 0))
    );

    // Routine (10 working days) from Thursday 2 April: Fri 3 ... Sun 12 April, 17:00Z.
    t.referral(utc(2026, 4, 2, 8, 0), "R3", "P1", None);
    t.triage(utc(2026, 4, 2, 9, 0), "R3", Priority::Routine);
    assert_eq!(
        t.c.referral("R3").unwrap().due_at,
        Some(utc(2026, 4, 12, 17, 0))
    );

    // Duty request received 16:00 BST Friday 22 May 2026 (15:00Z): the duty desk works
    // Monday-Friday and Monday 25 May is the Spring bank holiday, so the next working day
    // is Tuesday 26 May, closing 18:00 BST = 17:00Z. Set at receipt, no triage.
    t.ok(
        utc(2026, 5, 22, 15, 0),
        Event::ReferralReceived {
            referral: rid("D1"),
            patient: pid("P1"),
            received_at: utc(2026, 5, 22, 15, 0),
            referrer: "Patient".into(),
            duty: Some(DutyRequest::Prescription),
            required_skill: None,
        },
    );
    let d1 = t.c.referral("D1").unwrap();
    assert_eq!(d1.due_at, Some(utc(2026, 5, 26, 17, 0)));
    assert_eq!(d1.due_set_at, Some(utc(2026, 5, 22, 15, 0)));
    let e = t.err(
        utc(2026, 5, 22, 15, 5),
        Event::ReferralTriaged {
            referral: rid("D1"),
            priority: Priority::Routine,
            ucr_condition: None,
        },
    );
    assert_eq!(e.code(), "invalid_state");

    // Received before opening: 06:00 GMT on 14 January, clock starts 08:00, due 10:00Z.
    t.referral(utc(2026, 1, 14, 6, 0), "R4", "P1", None);
    t.triage(utc(2026, 1, 14, 8, 5), "R4", Priority::Ucr2Hour);
    assert_eq!(
        t.c.referral("R4").unwrap().due_at,
        Some(utc(2026, 1, 14, 10, 0))
    );
}

#[test]
fn clock_start_at_acceptance_and_elapsed_clock() {
    let mut t = base();
    let s = Settings {
        clock_start: ClockStart::Accepted,
        ..Settings::default()
    };
    t.ok(utc(2026, 1, 14, 7, 0), Event::Configured(s));
    // Received 09:00 GMT, triaged 09:10: no deadline until acceptance at 10:00; then
    // 2 hours of service time: 12:00Z.
    t.referral(utc(2026, 1, 14, 9, 0), "R1", "P1", None);
    t.triage(utc(2026, 1, 14, 9, 10), "R1", Priority::Ucr2Hour);
    assert_eq!(t.c.referral("R1").unwrap().due_at, None);
    assert_eq!(
        t.c.referral("R1")
            .unwrap()
            .clock_at(utc(2026, 1, 14, 9, 30)),
        ClockStatus::NotStarted
    );
    t.ok(
        utc(2026, 1, 14, 10, 0),
        Event::ReferralAccepted {
            referral: rid("R1"),
        },
    );
    assert_eq!(
        t.c.referral("R1").unwrap().due_at,
        Some(utc(2026, 1, 14, 12, 0))
    );

    // Elapsed clock from receipt: 17:30 GMT + 120 minutes = 19:30Z, outside service hours.
    let s = Settings {
        ucr_2_hour_clock: TwoHourClock::Elapsed,
        ..Settings::default()
    };
    t.ok(utc(2026, 1, 15, 7, 0), Event::Configured(s));
    t.referral(utc(2026, 1, 15, 17, 30), "R2", "P1", None);
    t.triage(utc(2026, 1, 15, 17, 35), "R2", Priority::Ucr2Hour);
    assert_eq!(
        t.c.referral("R2").unwrap().due_at,
        Some(utc(2026, 1, 15, 19, 30))
    );
    // The first referral keeps the deadline computed under the settings then in force.
    assert_eq!(
        t.c.referral("R1").unwrap().due_at,
        Some(utc(2026, 1, 14, 12, 0))
    );

    // Bad settings are rejected by field.
    let mut bad = Settings::default();
    bad.team_hours.days.clear();
    let e = t.err(utc(2026, 1, 16, 7, 0), Event::Configured(bad));
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "team_hours",
            ..
        }
    ));
    let mut bad = Settings::default();
    bad.escalation_rules.push(bad.escalation_rules[0].clone());
    let e = t.err(utc(2026, 1, 16, 7, 0), Event::Configured(bad));
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "escalation_rules",
            ..
        }
    ));
}

#[test]
fn default_settings_compile() {
    assert!(Settings::default().compile().is_ok());
}

// ------------------------------------------------------------------------------------------
// Breaches at any instant.

#[test]
fn clock_states_and_breach_queries() {
    let mut t = base();
    t.staff(utc(2026, 1, 2, 9, 0), "N2", &[Skill::Nursing], &ALL_WEEK, 3);
    // Four UCR 2-hour referrals received 09:00 GMT on Wednesday 14 January 2026, due 11:00Z.
    for r in ["RA", "RB", "RC", "RD"] {
        t.referral(utc(2026, 1, 14, 9, 0), r, "P1", None);
        t.triage(utc(2026, 1, 14, 9, 5), r, Priority::Ucr2Hour);
    }
    // RA: contact exactly at the deadline (met). RB: a minute late (breached).
    // RC: signposted at 10:00 (stopped). RD: nothing (breached from 11:00 on).
    t.contact(utc(2026, 1, 14, 11, 0), "C1", "RA", ContactOutcome::Made);
    t.contact(
        utc(2026, 1, 14, 10, 30),
        "C2",
        "RB",
        ContactOutcome::NoAnswer,
    );
    t.contact(utc(2026, 1, 14, 11, 1), "C3", "RB", ContactOutcome::Made);
    t.ok(
        utc(2026, 1, 14, 10, 0),
        Event::ReferralSignposted {
            referral: rid("RC"),
            service: "Falls prevention service".into(),
        },
    );
    let r = |id| t.c.referral(id).unwrap().clone();
    let late = utc(2026, 1, 14, 12, 0);
    assert_eq!(r("RA").clock_at(late), ClockStatus::Met);
    assert_eq!(r("RB").clock_at(late), ClockStatus::Breached);
    assert_eq!(r("RB").first_contact_at, Some(utc(2026, 1, 14, 11, 1)));
    assert_eq!(r("RC").clock_at(late), ClockStatus::Stopped);
    assert_eq!(r("RD").clock_at(late), ClockStatus::Breached);
    // As known at 10:45: all running except RC (stopped at 10:00).
    let at = utc(2026, 1, 14, 10, 45);
    assert_eq!(r("RA").clock_at(at), ClockStatus::Running);
    assert_eq!(r("RB").clock_at(at), ClockStatus::Running);
    assert_eq!(r("RC").clock_at(at), ClockStatus::Stopped);
    // Before triage at 09:05 the deadline was not known.
    assert_eq!(
        r("RA").clock_at(utc(2026, 1, 14, 9, 1)),
        ClockStatus::NotStarted
    );

    // About to breach within 15 minutes of 10:45: RA, RB, RD (due 11:00, 15 minutes away).
    let rows = t.c.breaching_within(at, TimeDelta::minutes(15));
    let ids: Vec<&str> = rows.iter().map(|r| r.referral.as_str()).collect();
    assert_eq!(ids, ["RA", "RB", "RD"]);
    assert!(rows
        .iter()
        .all(|r| r.minutes_to_due == 15 && r.clock == ClockStatus::Running));
    assert_eq!(rows[0].practice, "SYN001");
    // Within 14 minutes: none.
    assert!(t.c.breaching_within(at, TimeDelta::minutes(14)).is_empty());
    // At 11:00:30 RA is met; RB (contact at 11:01 not yet made) and RD breached.
    let rows = t.c.breaching_within(
        utc(2026, 1, 14, 11, 0) + TimeDelta::seconds(30),
        TimeDelta::zero(),
    );
    let ids: Vec<(&str, ClockStatus)> = rows
        .iter()
        .map(|r| (r.referral.as_str(), r.clock))
        .collect();
    assert_eq!(
        ids,
        [("RB", ClockStatus::Breached), ("RD", ClockStatus::Breached)]
    );
    // At 12:00 only RD is still breaching (RB was contacted, late).
    let rows = t.c.breaching_within(late, TimeDelta::hours(1));
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].referral.as_str(), rows[0].minutes_to_due),
        ("RD", -60)
    );
    // Today's breaches at 17:00: RB (late contact) and RD.
    let rows = t.c.breaches_on(day(2026, 1, 14), utc(2026, 1, 14, 17, 0));
    let ids: Vec<&str> = rows.iter().map(|r| r.referral.as_str()).collect();
    assert_eq!(ids, ["RB", "RD"]);
    assert!(t
        .c
        .breaches_on(day(2026, 1, 15), utc(2026, 1, 15, 17, 0))
        .is_empty());

    // KPI: 4 in scope; met 1, breached 2, stopped 1 -> 1 / 3 = 33.3%.
    let k =
        t.c.ucr_two_hour_performance(day(2026, 1, 1), day(2026, 2, 1), late);
    assert_eq!(
        (k.in_scope, k.met, k.breached, k.stopped, k.running),
        (4, 1, 2, 1, 0)
    );
    assert_eq!(k.percent_met, Some(33.3));
}

// ------------------------------------------------------------------------------------------
// Rejections: typed, naming the field, never a value, and nothing changes.

#[test]
fn rejections_change_nothing() {
    let mut t = base();
    let at = utc(2026, 2, 2, 10, 0); // a Monday
                                     // Closing a referral that does not exist.
    let e = t.err(
        at,
        Event::ReferralClosed {
            referral: rid("R-MISSING"),
            outcome: CloseOutcome::Completed,
        },
    );
    assert_eq!(
        e.to_string(),
        "event 4 (referral_closed): field `referral`: no referral with this id"
    );
    assert!(!e.to_string().contains("R-MISSING"));

    // A patient id that looks like an NHS number; a duplicate patient.
    let e = t.err(
        at,
        Event::PatientRegistered {
            patient: PatientRef::unchecked("9434765919"),
            nhs_number: None,
            practice: "SYN001".into(),
            birth_date: day(1950, 1, 1),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "patient",
            ..
        }
    ));
    assert!(!e.to_string().contains("9434765919"));
    let e = t.err(
        at,
        Event::PatientRegistered {
            patient: pid("P1"),
            nhs_number: None,
            practice: "SYN001".into(),
            birth_date: day(1950, 1, 1),
        },
    );
    assert_eq!(e.code(), "duplicate");
    // Born after the day it is recorded.
    let e = t.err(
        at,
        Event::PatientRegistered {
            patient: pid("P9"),
            nhs_number: None,
            practice: "SYN001".into(),
            birth_date: day(2026, 2, 3),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::OutOfOrder {
            field: "birth_date",
            ..
        }
    ));

    // Sequence numbers must increase.
    let env = Envelope {
        seq: 1,
        who: "x".into(),
        at,
        event: Event::SafeguardingRaised {
            patient: pid("P1"),
            on: day(2026, 2, 2),
        },
    };
    assert!(matches!(
        t.c.apply(&env),
        Err(CaseloadError::InvalidField { field: "seq", .. })
    ));

    // Referral life: accept before triage; UCR 2-hour without a condition.
    t.referral(at, "R1", "P1", Some(Skill::Nursing));
    let e = t.err(
        at,
        Event::ReferralAccepted {
            referral: rid("R1"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "received",
            ..
        }
    ));
    let e = t.err(
        at,
        Event::ReferralTriaged {
            referral: rid("R1"),
            priority: Priority::Ucr2Hour,
            ucr_condition: None,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "ucr_condition",
            ..
        }
    ));
    t.triage(at, "R1", Priority::Ucr2Day);
    let e = t.err(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("N1"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "triaged",
            ..
        }
    ));
    t.ok(
        at,
        Event::ReferralAccepted {
            referral: rid("R1"),
        },
    );

    // Allocating to absent staff, to staff without the skill, to staff who left.
    t.ok(
        at,
        Event::AbsenceRecorded {
            absence: AbsenceId::new("A1").unwrap(),
            staff: sid("N1"),
            kind: AbsenceKind::Sickness,
            from: day(2026, 2, 2),
            to: day(2026, 2, 3),
        },
    );
    let e = t.err(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("N1"),
        },
    );
    assert_eq!(
        e.to_string(),
        format!(
            "event {} (referral_allocated): field `staff`: the member of staff absent that day",
            t.seq + 1
        )
    );
    assert_eq!(
        e,
        CaseloadError::StaffUnavailable {
            seq: t.seq + 1,
            event: "referral_allocated",
            field: "staff",
            reason: Unavailable::Absent
        }
    );
    t.staff(at, "PT1", &[Skill::Physiotherapy], &ALL_WEEK, 3);
    let e = t.err(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("PT1"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::StaffUnavailable {
            reason: Unavailable::MissingSkill,
            ..
        }
    ));
    t.staff(at, "N3", &[Skill::Nursing], &ALL_WEEK, 3);
    t.ok(
        at,
        Event::StaffLeft {
            staff: sid("N3"),
            on: day(2026, 2, 1),
        },
    );
    let e = t.err(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("N3"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::StaffUnavailable {
            reason: Unavailable::Left,
            ..
        }
    ));
    // Unknown staff; overlapping absence; absence ending before it starts.
    let e = t.err(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("NOPE"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::NotFound {
            entity: "member of staff",
            ..
        }
    ));
    let e = t.err(
        at,
        Event::AbsenceRecorded {
            absence: AbsenceId::new("A2").unwrap(),
            staff: sid("N1"),
            kind: AbsenceKind::AnnualLeave,
            from: day(2026, 2, 3),
            to: day(2026, 2, 10),
        },
    );
    assert_eq!(e.code(), "invalid_state");
    let e = t.err(
        at,
        Event::AbsenceRecorded {
            absence: AbsenceId::new("A2").unwrap(),
            staff: sid("N1"),
            kind: AbsenceKind::AnnualLeave,
            from: day(2026, 3, 3),
            to: day(2026, 3, 2),
        },
    );
    assert!(matches!(e, CaseloadError::OutOfOrder { field: "to", .. }));
    // Once the absence is cancelled the allocation goes through.
    t.ok(
        at,
        Event::AbsenceCancelled {
            absence: AbsenceId::new("A1").unwrap(),
        },
    );
    t.ok(
        at,
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("N1"),
        },
    );

    // A contact for another patient's referral; a SNOMED CT description id.
    t.patient(at, "P2", day(1950, 1, 1), "SYN002");
    let contact = |patient: &str, snomed: Option<crate::ids::SnomedId>| Event::ContactLogged {
        contact: ContactId::new("C1").unwrap(),
        patient: pid(patient),
        staff: sid("N1"),
        at,
        mode: ContactMode::Phone,
        outcome: ContactOutcome::Made,
        referral: Some(rid("R1")),
        snomed,
        minutes: None,
    };
    let e = t.err(at, contact("P2", None));
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "referral",
            ..
        }
    ));
    // Item 12345, partition 01 (description), Verhoeff check digit.
    let body = 1_234_501u64;
    let description: crate::ids::SnomedId =
        format!("{body}{}", crate::ids::SnomedId::verhoeff_check_digit(body))
            .parse()
            .unwrap();
    let e = t.err(at, contact("P1", Some(description)));
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "snomed",
            ..
        }
    ));
    // A contact recorded as happening after it was recorded.
    let e = t.err(
        at,
        Event::ContactLogged {
            contact: ContactId::new("C1").unwrap(),
            patient: pid("P1"),
            staff: sid("N1"),
            at: at + TimeDelta::minutes(5),
            mode: ContactMode::Phone,
            outcome: ContactOutcome::Made,
            referral: None,
            snomed: None,
            minutes: None,
        },
    );
    assert!(matches!(e, CaseloadError::OutOfOrder { field: "at", .. }));

    // Closing twice; outcome that has its own event.
    t.ok(
        at,
        Event::ReferralClosed {
            referral: rid("R1"),
            outcome: CloseOutcome::Completed,
        },
    );
    let e = t.err(
        at,
        Event::ReferralClosed {
            referral: rid("R1"),
            outcome: CloseOutcome::Completed,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "closed",
            ..
        }
    ));
    t.referral(at, "R2", "P1", None);
    let e = t.err(
        at,
        Event::ReferralClosed {
            referral: rid("R2"),
            outcome: CloseOutcome::Signposted,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidField {
            field: "outcome",
            ..
        }
    ));

    // Outcome measures out of range; free text with an NHS number in it.
    for (measure, field) in [
        (
            OutcomeMeasure::Pam {
                score: 101,
                level: 4,
            },
            "score",
        ),
        (
            OutcomeMeasure::Pam {
                score: 50,
                level: 0,
            },
            "level",
        ),
        (
            OutcomeMeasure::Cfs {
                level: 10,
                assessor_role: "nurse".into(),
            },
            "level",
        ),
        (OutcomeMeasure::Barthel { total: 21, max: 20 }, "total"),
        (OutcomeMeasure::Barthel { total: 10, max: 50 }, "max"),
    ] {
        let e = t.err(
            at,
            Event::OutcomeRecorded {
                patient: pid("P1"),
                on: day(2026, 2, 2),
                measure,
            },
        );
        assert!(
            matches!(e, CaseloadError::InvalidField { field: f, .. } if f == field),
            "{e}"
        );
    }
    let e = t.err(
        at,
        Event::TaskCreated {
            task: TaskId::new("T1").unwrap(),
            owner: sid("N1"),
            due: day(2026, 2, 5),
            kind: TaskKind::FollowUp,
            text: Note::new("Ring about 943 476 5919"),
            patient: None,
            referral: None,
            stay: None,
            care_plan: None,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidField { field: "text", .. }
    ));
    assert!(!e.to_string().contains("5919"));
}

#[test]
fn flow_rejections_change_nothing() {
    let mut t = base();
    let t0 = utc(2026, 3, 1, 10, 0);
    t.ok(
        t0,
        Event::WardOpened {
            ward: wid("W1"),
            site: "North".into(),
            beds: 2,
        },
    );
    t.ok(
        t0,
        Event::Admitted {
            stay: stid("S1"),
            patient: pid("P1"),
            ward: wid("W1"),
            admitted_at: t0,
            method: AdmissionMethod::Emergency,
            referring_org: None,
        },
    );
    let later = utc(2026, 3, 5, 10, 0);
    // Discharge before admission.
    let e = t.err(
        later,
        Event::Discharged {
            stay: stid("S1"),
            discharged_at: utc(2026, 2, 28, 9, 0),
            destination: Destination::UsualResidence,
        },
    );
    assert_eq!(
        e.to_string(),
        "event 6 (discharged): field `discharged_at`: before the admission"
    );
    // A second admission of a patient in hospital.
    let e = t.err(
        later,
        Event::Admitted {
            stay: stid("S2"),
            patient: pid("P1"),
            ward: wid("W1"),
            admitted_at: later,
            method: AdmissionMethod::Emergency,
            referring_org: None,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "in hospital",
            ..
        }
    ));
    // A delay before any discharge ready date; DRD before admission.
    let delay = |code: &str, from| Event::DelayRecorded {
        stay: stid("S1"),
        version: "acute-sitrep-2023".into(),
        code: code.into(),
        from,
    };
    let e = t.err(later, delay("x", day(2026, 3, 4)));
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "without a discharge ready date",
            ..
        }
    ));
    let e = t.err(
        later,
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: day(2026, 2, 28),
        },
    );
    assert!(matches!(e, CaseloadError::OutOfOrder { field: "date", .. }));
    t.ok(
        later,
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: day(2026, 3, 3),
        },
    );
    // Unknown code, a code of another version, a delay before the DRD, one in the future.
    let e = t.err(later, delay("xix", day(2026, 3, 4)));
    assert!(matches!(e, CaseloadError::NotFound { field: "code", .. }));
    let e = t.err(later, delay("C10", day(2026, 3, 4)));
    assert_eq!(e.code(), "not_found");
    let e = t.err(later, delay("x", day(2026, 3, 2)));
    assert!(matches!(e, CaseloadError::OutOfOrder { field: "from", .. }));
    let e = t.err(later, delay("x", day(2026, 3, 6)));
    assert!(matches!(e, CaseloadError::OutOfOrder { field: "from", .. }));
    t.ok(later, delay("x", day(2026, 3, 4)));
    // Unknown rule; escalating twice.
    let e = t.err(
        later,
        Event::Escalated {
            stay: stid("S1"),
            rule: "delay-99".into(),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::NotFound {
            entity: "escalation rule",
            ..
        }
    ));
    t.ok(
        later,
        Event::Escalated {
            stay: stid("S1"),
            rule: "delay-3".into(),
        },
    );
    let e = t.err(
        later,
        Event::Escalated {
            stay: stid("S1"),
            rule: "delay-3".into(),
        },
    );
    assert_eq!(e.code(), "invalid_state");
    // Repatriation must be requested, then accepted, before transfer.
    t.ok(
        later,
        Event::RepatriationRequested {
            repatriation: RepatriationId::new("REP1").unwrap(),
            stay: stid("S1"),
            to_org: "SYN-TRUST-2".into(),
        },
    );
    let e = t.err(
        later,
        Event::RepatriationUpdated {
            repatriation: RepatriationId::new("REP1").unwrap(),
            status: RepatriationStatus::Transferred,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "requested",
            ..
        }
    ));
    let e = t.err(
        later,
        Event::RepatriationRequested {
            repatriation: RepatriationId::new("REP2").unwrap(),
            stay: stid("S1"),
            to_org: "SYN-TRUST-2".into(),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "awaiting repatriation",
            ..
        }
    ));
    // Reviewing a discharge that has not happened.
    let e = t.err(later, Event::DischargeReviewed { stay: stid("S1") });
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "in hospital",
            ..
        }
    ));
    // Discharge, then anything on the stay is refused.
    t.ok(
        later,
        Event::Discharged {
            stay: stid("S1"),
            discharged_at: later,
            destination: Destination::UsualResidence,
        },
    );
    let e = t.err(
        later,
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: day(2026, 3, 5),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState {
            state: "discharged",
            ..
        }
    ));
    // Readmission before the discharge instant.
    let e = t.err(
        later,
        Event::Admitted {
            stay: stid("S2"),
            patient: pid("P1"),
            ward: wid("W1"),
            admitted_at: later - TimeDelta::minutes(1),
            method: AdmissionMethod::Emergency,
            referring_org: None,
        },
    );
    assert!(matches!(
        e,
        CaseloadError::OutOfOrder {
            field: "admitted_at",
            ..
        }
    ));
}

// ------------------------------------------------------------------------------------------
// Rota, absence, cover and allocation.

#[test]
fn allocation_by_skill_and_capacity() {
    let mut t = Drive::new();
    let t0 = utc(2026, 1, 2, 9, 0);
    t.patient(t0, "P1", day(1940, 3, 15), "SYN001");
    // N1: Mon-Fri, 2 a shift. N2: Sat-Sun and Mon, 3 a shift. PT1: physio, every day, 1.
    let mon_fri = &ALL_WEEK[..5];
    t.staff(t0, "N1", &[Skill::Nursing], mon_fri, 2);
    t.staff(
        t0,
        "N2",
        &[Skill::Nursing],
        &[Weekday::Sat, Weekday::Sun, Weekday::Mon],
        3,
    );
    t.staff(t0, "PT1", &[Skill::Physiotherapy], &ALL_WEEK, 1);
    let monday = utc(2026, 2, 2, 9, 0);
    // Monday: N2 has 3 left, N1 2 -> N2.
    let s =
        t.c.suggest_allocation(Some(Skill::Nursing), monday)
            .unwrap();
    assert_eq!(
        (s.staff.as_str(), s.remaining, s.open_referrals),
        ("N2", 3, 0)
    );
    // Most capacity left first, then fewest open referrals: N2 (3 left), N1 (2 left each,
    // N1 has none open), N2 (2 left vs 1), N1 (1 left each, N1 has 1 open, N2 2).
    for (i, who) in ["N2", "N1", "N2", "N1"].iter().enumerate() {
        let r = format!("R{i}");
        t.referral(monday, &r, "P1", Some(Skill::Nursing));
        t.triage(monday, &r, Priority::Routine);
        t.ok(monday, Event::ReferralAccepted { referral: rid(&r) });
        let s =
            t.c.suggest_allocation(Some(Skill::Nursing), monday)
                .unwrap();
        assert_eq!(s.staff.as_str(), *who, "allocation {i}");
        t.ok(
            monday,
            Event::ReferralAllocated {
                referral: rid(&r),
                staff: s.staff,
            },
        );
    }
    // Now N1 has used both places, N2 has one left.
    let s =
        t.c.suggest_allocation(Some(Skill::Nursing), monday)
            .unwrap();
    assert_eq!(
        (s.staff.as_str(), s.remaining, s.open_referrals),
        ("N2", 1, 2)
    );
    t.referral(monday, "R9", "P1", Some(Skill::Nursing));
    t.triage(monday, "R9", Priority::Routine);
    t.ok(
        monday,
        Event::ReferralAccepted {
            referral: rid("R9"),
        },
    );
    t.ok(
        monday,
        Event::ReferralAllocated {
            referral: rid("R9"),
            staff: sid("N2"),
        },
    );
    assert_eq!(
        t.c.suggest_allocation(Some(Skill::Nursing), monday),
        Err(NoAllocation::AllAtCapacity)
    );
    // Capacity is advisory: a lead can still allocate over it.
    let w = t.c.workload(day(2026, 2, 2));
    let n1 = w.iter().find(|r| r.staff.as_str() == "N1").unwrap();
    assert_eq!(
        (n1.capacity, n1.allocated, n1.remaining, n1.open_referrals),
        (2, 2, 0, 2)
    );
    let n2 = w.iter().find(|r| r.staff.as_str() == "N2").unwrap();
    assert_eq!(
        (n2.capacity, n2.allocated, n2.remaining, n2.open_referrals),
        (3, 3, 0, 3)
    );
    assert_eq!(t.c.caseload_of("N1").len(), 2);
    // Tuesday: only N1 rostered with nursing; after N1's sickness, nobody (all absent).
    let tuesday = utc(2026, 2, 3, 9, 0);
    assert_eq!(
        t.c.suggest_allocation(Some(Skill::Nursing), tuesday)
            .unwrap()
            .staff
            .as_str(),
        "N1"
    );
    t.ok(
        tuesday,
        Event::AbsenceRecorded {
            absence: AbsenceId::new("A1").unwrap(),
            staff: sid("N1"),
            kind: AbsenceKind::Sickness,
            from: day(2026, 2, 3),
            to: day(2026, 2, 4),
        },
    );
    assert_eq!(
        t.c.suggest_allocation(Some(Skill::Nursing), tuesday),
        Err(NoAllocation::AllAbsent)
    );
    // Uncovered shifts: N1's Tuesday and Wednesday.
    let u = t.c.uncovered_shifts(day(2026, 2, 1), day(2026, 2, 8));
    let got: Vec<(NaiveDate, &str, u32)> = u
        .iter()
        .map(|r| (r.date, r.staff.as_str(), r.capacity))
        .collect();
    assert_eq!(
        got,
        [(day(2026, 2, 3), "N1", 2), (day(2026, 2, 4), "N1", 2)]
    );
    // N2 covers Tuesday: on shift with N1's capacity (2).
    t.ok(
        tuesday,
        Event::CoverArranged {
            absence: AbsenceId::new("A1").unwrap(),
            date: day(2026, 2, 3),
            cover: sid("N2"),
        },
    );
    let s =
        t.c.suggest_allocation(Some(Skill::Nursing), tuesday)
            .unwrap();
    assert_eq!((s.staff.as_str(), s.remaining), ("N2", 2));
    assert_eq!(
        t.c.uncovered_shifts(day(2026, 2, 1), day(2026, 2, 8)).len(),
        1
    );
    let row =
        t.c.workload(day(2026, 2, 3))
            .into_iter()
            .find(|r| r.staff.as_str() == "N2")
            .unwrap();
    assert_eq!((row.rostered, row.covering, row.capacity), (false, 1, 2));
    // Cover by the absent person, or twice the same day, is refused.
    let e = t.err(
        tuesday,
        Event::CoverArranged {
            absence: AbsenceId::new("A1").unwrap(),
            date: day(2026, 2, 3),
            cover: sid("PT1"),
        },
    );
    assert_eq!(e.code(), "invalid_state");
    let e = t.err(
        tuesday,
        Event::CoverArranged {
            absence: AbsenceId::new("A1").unwrap(),
            date: day(2026, 2, 4),
            cover: sid("N1"),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidField { field: "cover", .. }
    ));
    // Skills nobody has; nobody rostered (Sunday: only N2 nursing, who is rostered Sunday;
    // use a skill only N1 has on a Saturday instead).
    assert_eq!(
        t.c.suggest_allocation(Some(Skill::SocialWork), tuesday),
        Err(NoAllocation::NoStaffWithSkill)
    );
    t.staff(
        t0 + TimeDelta::days(40),
        "OT1",
        &[Skill::OccupationalTherapy],
        mon_fri,
        2,
    );
    assert_eq!(
        t.c.suggest_allocation(Some(Skill::OccupationalTherapy), utc(2026, 2, 7, 10, 0)),
        Err(NoAllocation::NoneOnShift)
    );
    // A team that does not work weekends: the service is closed on Saturday.
    let s = Settings {
        team_hours: HoursSpec::weekday_office(crate::calendar::Region::EnglandAndWales),
        ..Settings::default()
    };
    t.ok(utc(2026, 2, 6, 7, 0), Event::Configured(s));
    assert_eq!(
        t.c.suggest_allocation(None, utc(2026, 2, 7, 10, 0)),
        Err(NoAllocation::ServiceClosed)
    );
}

// ------------------------------------------------------------------------------------------
// Care plans, tasks and chasing.

#[test]
fn care_plan_reviews_and_chasing() {
    let mut t = base();
    let at = utc(2026, 1, 5, 10, 0);
    t.ok(
        at,
        Event::CarePlanAgreed {
            plan: CarePlanId::new("PLAN1").unwrap(),
            patient: pid("P1"),
            agreed_on: day(2026, 1, 5),
            review_on: day(2026, 4, 5),
            goals: vec![
                Goal {
                    id: GoalId::new("G1").unwrap(),
                    text: Note::new("Walk to the shop"),
                    status: GoalStatus::Active,
                },
                Goal {
                    id: GoalId::new("G2").unwrap(),
                    text: Note::new("Lunch club"),
                    status: GoalStatus::Active,
                },
            ],
            shared_with_ooh: true,
        },
    );
    t.ok(
        at,
        Event::GoalUpdated {
            plan: CarePlanId::new("PLAN1").unwrap(),
            goal: GoalId::new("G2").unwrap(),
            status: GoalStatus::Achieved,
        },
    );
    let e = t.err(
        at,
        Event::GoalAdded {
            plan: CarePlanId::new("PLAN1").unwrap(),
            goal: Goal {
                id: GoalId::new("G1").unwrap(),
                text: Note::new("x"),
                status: GoalStatus::Active,
            },
        },
    );
    assert_eq!(e.code(), "duplicate");
    // Due on the review date (DOMAIN: due when review date <= today), 0 days overdue.
    assert!(t.c.reviews_due(day(2026, 4, 4)).is_empty());
    let rows = t.c.reviews_due(day(2026, 4, 5));
    assert_eq!(
        (
            rows[0].plan.as_str(),
            rows[0].days_overdue,
            rows[0].active_goals
        ),
        ("PLAN1", 0, 1)
    );
    assert_eq!(t.c.reviews_due(day(2026, 4, 15))[0].days_overdue, 10);
    t.ok(
        utc(2026, 4, 8, 10, 0),
        Event::CarePlanReviewed {
            plan: CarePlanId::new("PLAN1").unwrap(),
            reviewed_on: day(2026, 4, 8),
            next_review_on: day(2026, 7, 8),
        },
    );
    assert!(t.c.reviews_due(day(2026, 4, 15)).is_empty());
    assert_eq!(
        t.c.care_plan("PLAN1").unwrap().last_reviewed_on,
        Some(day(2026, 4, 8))
    );

    // Tasks: T1 (N1, due 1 Apr), T2 (N1, due 6 Apr), T3 (N2, due 8 Apr), T4 done.
    t.staff(at, "N2", &[Skill::Nursing], &ALL_WEEK, 3);
    for (id, owner, due) in [
        ("T1", "N1", day(2026, 4, 1)),
        ("T2", "N1", day(2026, 4, 6)),
        ("T3", "N2", day(2026, 4, 8)),
        ("T4", "N2", day(2026, 3, 1)),
    ] {
        t.ok(
            at,
            Event::TaskCreated {
                task: TaskId::new(id).unwrap(),
                owner: sid(owner),
                due,
                kind: TaskKind::ChaseDocument,
                text: Note::new("Letter from the memory clinic"),
                patient: None,
                referral: None,
                stay: None,
                care_plan: Some(CarePlanId::new("PLAN1").unwrap()),
            },
        );
    }
    assert_eq!(t.c.task("T1").unwrap().patient, Some(pid("P1")));
    t.ok(
        utc(2026, 3, 2, 9, 0),
        Event::TaskDone {
            task: TaskId::new("T4").unwrap(),
            on: day(2026, 3, 2),
        },
    );
    t.ok(
        utc(2026, 4, 7, 9, 0),
        Event::TaskChased {
            task: TaskId::new("T1").unwrap(),
        },
    );
    let e = t.err(
        utc(2026, 4, 7, 9, 0),
        Event::TaskChased {
            task: TaskId::new("T4").unwrap(),
        },
    );
    assert!(matches!(
        e,
        CaseloadError::InvalidState { state: "done", .. }
    ));
    // An MDT action owned by N2, due 30 March.
    let d = day(2026, 3, 24);
    let m = MeetingTime::new(
        "m1",
        "MDT",
        d.and_hms_opt(14, 0, 0).unwrap(),
        d.and_hms_opt(15, 0, 0).unwrap(),
    );
    let mut log = ActionLog::new();
    log.add(
        Action::new("A1", "Refer to falls service", "N2", day(2026, 3, 30), &m).for_patient("P1"),
    )
    .unwrap();
    let rows = t.c.chase_list(day(2026, 4, 10), &[&log]);
    let got: Vec<(&str, &str, u32, ChaseSource)> = rows
        .iter()
        .map(|r| (r.owner.as_str(), r.id.as_str(), r.days_overdue, r.source))
        .collect();
    // On 10 April: A1 due 30 March (11 days), T1 1 April (9), T2 6 April (4), T3 8 April (2).
    // N2's worst (11) beats N1's (9).
    assert_eq!(
        got,
        [
            ("N2", "A1", 11, ChaseSource::Mdt),
            ("N2", "T3", 2, ChaseSource::Task),
            ("N1", "T1", 9, ChaseSource::Task),
            ("N1", "T2", 4, ChaseSource::Task),
        ]
    );
    assert_eq!(
        (rows[2].chases, rows[2].last_chased_at),
        (1, Some(utc(2026, 4, 7, 9, 0)))
    );
    assert_eq!(t.c.overdue_tasks(day(2026, 4, 10)).len(), 3);
    assert_eq!(t.c.open_tasks_of("N1").len(), 2);
}

// ------------------------------------------------------------------------------------------
// Registers, ReSPECT, handover summary, redaction.

#[test]
fn registers_respect_and_summary() {
    let mut t = Drive::new();
    let at = utc(2026, 5, 1, 10, 0);
    t.ok(
        at,
        Event::PatientRegistered {
            patient: pid("P1"),
            nhs_number: Some("9434765919".parse().unwrap()),
            practice: "SYN003".into(),
            birth_date: day(1936, 5, 2),
        },
    );
    t.patient(at, "P2", day(1950, 1, 1), "SYN003");
    t.ok(
        at,
        Event::RegisterJoined {
            patient: pid("P1"),
            register: Register::Palliative,
            on: day(2026, 2, 1),
        },
    );
    let e = t.err(
        at,
        Event::RegisterJoined {
            patient: pid("P1"),
            register: Register::Palliative,
            on: day(2026, 3, 1),
        },
    );
    assert_eq!(e.code(), "invalid_state");
    t.ok(
        at,
        Event::RegisterJoined {
            patient: pid("P2"),
            register: Register::Carer,
            on: day(2026, 1, 1),
        },
    );
    t.ok(
        at,
        Event::RegisterLeft {
            patient: pid("P2"),
            register: Register::Carer,
            on: day(2026, 4, 1),
        },
    );
    t.ok(
        at,
        Event::FrailtyRecorded {
            patient: pid("P2"),
            level: FrailtyLevel::Severe,
            on: day(2026, 4, 1),
        },
    );
    t.ok(
        at,
        Event::SafeguardingRaised {
            patient: pid("P1"),
            on: day(2026, 4, 20),
        },
    );
    // Membership history: P2 was a carer on 31 March, not on 1 April.
    assert_eq!(
        t.c.register_members(Register::Carer, day(2026, 3, 31))
            .len(),
        1
    );
    assert!(t
        .c
        .register_members(Register::Carer, day(2026, 4, 1))
        .is_empty());
    // ReSPECT worklist: P1 palliative without a form, P2 severely frail without a form.
    let w = t.c.respect_worklist(day(2026, 5, 1));
    let got: Vec<(&str, &str)> = w.iter().map(|r| (r.patient.as_str(), r.reason)).collect();
    assert_eq!(got, [("P1", "no_form"), ("P2", "no_form")]);
    t.ok(
        at,
        Event::RespectRecorded {
            patient: pid("P1"),
            completed_on: day(2025, 5, 1),
            review_on: Some(day(2026, 5, 1)),
            held_at: "home".into(),
        },
    );
    let w = t.c.respect_worklist(day(2026, 5, 1));
    assert_eq!((w[0].patient.as_str(), w[0].reason), ("P1", "review_due"));
    assert!(t
        .c
        .respect_worklist(day(2026, 4, 30))
        .iter()
        .all(|r| r.patient.as_str() != "P1"));

    // Summary: age on 1 May 2026 is 89 (90 on 2 May); NHS number and safeguarding only when asked.
    let s =
        t.c.handover_summary("P1", at, SummaryOptions::default())
            .unwrap();
    assert_eq!(
        (s.age, s.nhs_number, s.safeguarding_concern),
        (89, None, None)
    );
    assert_eq!(s.registers, [Register::Palliative]);
    let s =
        t.c.handover_summary(
            "P1",
            at,
            SummaryOptions {
                include_nhs_number: true,
                include_restricted: true,
            },
        )
        .unwrap();
    assert_eq!(s.safeguarding_concern, Some(true));
    assert_eq!(s.nhs_number.unwrap().as_str(), "9434765919");
    let debug = format!("{s:?}");
    assert!(!debug.contains("9434765919") && debug.contains("***-***-5919"));
    // Patient Debug: no NHS number, no date of birth.
    let debug = format!("{:?}", t.c.patient("P1").unwrap());
    assert!(!debug.contains("5919") && !debug.contains("1936"));
    assert!(t
        .c
        .handover_summary("P9", at, SummaryOptions::default())
        .is_none());
    // Caseload Debug: counts only.
    assert!(format!("{:?}", t.c).starts_with("Caseload { last_seq: "));
}

// ------------------------------------------------------------------------------------------
// Flow: LOS, DRD, delays, escalation, census, over-65 review queue.

#[test]
fn flow_worked_example() {
    let mut t = Drive::new();
    let t0 = utc(2026, 3, 1, 22, 30); // 22:30 GMT Sunday 1 March
    t.ok(
        t0,
        Event::WardOpened {
            ward: wid("AMU"),
            site: "North".into(),
            beds: 4,
        },
    );
    t.ok(
        t0,
        Event::WardOpened {
            ward: wid("W2"),
            site: "North".into(),
            beds: 2,
        },
    );
    // P1 born 10 July 1961: 64 until 9 July 2026, 65 from 10 July.
    t.patient(t0, "P1", day(1961, 7, 10), "SYN001");
    t.patient(t0, "P2", day(1930, 1, 1), "SYN002");
    t.patient(t0, "P3", day(1961, 7, 10), "SYN001");
    t.staff(t0, "F1", &[Skill::DischargeCoordination], &ALL_WEEK[..5], 0);
    t.ok(
        t0,
        Event::Admitted {
            stay: stid("S1"),
            patient: pid("P2"),
            ward: wid("AMU"),
            admitted_at: t0,
            method: AdmissionMethod::Emergency,
            referring_org: None,
        },
    );
    // Moves to W2 at 10:00 on 2 March.
    t.ok(
        utc(2026, 3, 2, 10, 0),
        Event::WardTransferred {
            stay: stid("S1"),
            ward: wid("W2"),
        },
    );
    t.ok(
        utc(2026, 3, 9, 9, 0),
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: day(2026, 3, 10),
        },
    );
    // Revised to 12 March on 10 March: history kept.
    t.ok(
        utc(2026, 3, 10, 9, 0),
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: day(2026, 3, 12),
        },
    );
    t.ok(
        utc(2026, 3, 13, 10, 0),
        Event::DelayRecorded {
            stay: stid("S1"),
            version: "acute-sitrep-2023".into(),
            code: "viii".into(),
            from: day(2026, 3, 13),
        },
    );
    t.ok(
        utc(2026, 3, 13, 11, 0),
        Event::TaskCreated {
            task: TaskId::new("T1").unwrap(),
            owner: sid("F1"),
            due: day(2026, 3, 16),
            kind: TaskKind::DischargeAction,
            text: Note::new("Chase package of care start date"),
            patient: None,
            referral: None,
            stay: Some(stid("S1")),
            care_plan: None,
        },
    );
    let s = t.c.stay("S1").unwrap();
    assert_eq!(s.drd_history.len(), 2);
    assert_eq!(s.drd(), Some(day(2026, 3, 12)));
    assert_eq!(s.drd_at(utc(2026, 3, 9, 12, 0)), Some(day(2026, 3, 10)));
    assert_eq!(s.ward_at(utc(2026, 3, 2, 9, 0)).unwrap().as_str(), "AMU");

    // Census at 12:00 GMT on 22 March (a Sunday): 21 midnights (1 -> 22 March), delayed
    // 22 - 12 = 10 days, pathway 1, one open action overdue (due 16 March).
    let census = utc(2026, 3, 22, 12, 0);
    let rows = t.c.long_stay(census, LosBand::Days21Plus);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.los, r.los_convention, r.band),
        (21, "midnights", LosBand::Days21Plus)
    );
    assert_eq!((r.ward.as_str(), r.site.as_str()), ("W2", "North"));
    assert_eq!(
        (r.discharge_ready_date, r.delay_days),
        (Some(day(2026, 3, 12)), Some(10))
    );
    assert_eq!(
        (r.delay_code.as_deref(), r.delay_category.as_deref()),
        (Some("viii"), Some("pathway-1"))
    );
    assert_eq!(
        (r.open_actions, r.overdue_actions, r.next_action_due),
        (1, 1, Some(day(2026, 3, 16)))
    );
    assert_eq!(t.c.stay_open_actions("S1").len(), 1);
    // On 21 March (20 midnights) it is 14+ but not 21+.
    assert!(t
        .c
        .long_stay(utc(2026, 3, 21, 12, 0), LosBand::Days21Plus)
        .is_empty());
    assert_eq!(
        t.c.long_stay(utc(2026, 3, 21, 12, 0), LosBand::Days14Plus)
            .len(),
        1
    );
    // Escalations due at the census: delay-7 (10 >= 7, level 2), los-21 (level 2), delay-3.
    let rows = t.c.escalations_due(census);
    let due: Vec<(&str, u8)> = rows.iter().map(|r| (r.rule.as_str(), r.level)).collect();
    // Sorted by level (highest first), then stay, then rule.
    assert_eq!(due, [("delay-7", 2), ("los-21", 2), ("delay-3", 1)]);
    t.ok(
        census,
        Event::Escalated {
            stay: stid("S1"),
            rule: "delay-7".into(),
        },
    );
    assert_eq!(t.c.escalations_due(census).len(), 2);
    assert_eq!(
        t.c.long_stay(census, LosBand::Days7Plus)[0].escalation_level,
        Some(2)
    );

    // Ward census at the same instant: W2 has 1 of 2 beds (50.0%), delayed, all bands.
    let w: Vec<_> = t.c.ward_census(census);
    let w2 = w.iter().find(|r| r.ward.as_str() == "W2").unwrap();
    assert_eq!(
        (w2.occupied, w2.available, w2.occupancy_percent),
        (1, 1, Some(50.0))
    );
    assert_eq!(
        (w2.delayed, w2.los_7_plus, w2.los_14_plus, w2.los_21_plus),
        (1, 1, 1, 1)
    );
    assert_eq!(
        w.iter()
            .find(|r| r.ward.as_str() == "AMU")
            .unwrap()
            .occupied,
        0
    );

    // Discharged 14:00 GMT on 23 March: delay = 23 - 12 = 11 (DOMAIN 2.8).
    let out = utc(2026, 3, 23, 14, 0);
    t.ok(
        out,
        Event::Discharged {
            stay: stid("S1"),
            discharged_at: out,
            destination: Destination::UsualResidence,
        },
    );
    assert_eq!(
        t.c.stay("S1").unwrap().delay_days(out + TimeDelta::days(5)),
        Some(11)
    );
    assert_eq!(
        t.c.stay("S1")
            .unwrap()
            .los_midnights(out + TimeDelta::days(5)),
        22
    );
    let w = t.c.ward_census(utc(2026, 3, 23, 23, 0));
    let w2 = w.iter().find(|r| r.ward.as_str() == "W2").unwrap();
    assert_eq!((w2.occupied, w2.discharged_today), (0, 1));

    // Over-65 queue: P2 (96) discharged 23 March is in it; P1 discharged on 9 July (aged 64)
    // is not; P3 (same birthday) discharged on 10 July (aged 65) is.
    for (stay, patient, day_out) in [("S2", "P1", 9), ("S3", "P3", 10)] {
        let a = utc(2026, 7, day_out - 1, 10, 0);
        t.ok(
            a,
            Event::Admitted {
                stay: stid(stay),
                patient: pid(patient),
                ward: wid("W2"),
                admitted_at: a,
                method: AdmissionMethod::Elective,
                referring_org: None,
            },
        );
        let o = utc(2026, 7, day_out, 10, 0);
        t.ok(
            o,
            Event::Discharged {
                stay: stid(stay),
                discharged_at: o,
                destination: Destination::UsualResidence,
            },
        );
    }
    let q = t.c.discharge_review_queue(None, utc(2026, 7, 12, 9, 0));
    let got: Vec<(&str, u32, u32, u32)> = q
        .iter()
        .map(|r| {
            (
                r.stay.as_str(),
                r.age_at_discharge,
                r.los,
                r.days_since_discharge,
            )
        })
        .collect();
    assert_eq!(got, [("S1", 96, 22, 111), ("S3", 65, 1, 2)]);
    assert_eq!(
        t.c.discharge_review_queue(Some("SYN001"), utc(2026, 7, 12, 9, 0))
            .len(),
        1
    );
    t.ok(
        utc(2026, 7, 12, 10, 0),
        Event::DischargeReviewed { stay: stid("S3") },
    );
    assert!(t
        .c
        .discharge_review_queue(Some("SYN001"), utc(2026, 7, 12, 11, 0))
        .is_empty());
    // As known before the review, it was still queued.
    assert_eq!(
        t.c.discharge_review_queue(Some("SYN001"), utc(2026, 7, 12, 9, 0))
            .len(),
        1
    );
}

#[test]
fn repatriation_transport_and_handover() {
    let mut t = base();
    let t0 = utc(2026, 6, 1, 9, 0);
    t.ok(
        t0,
        Event::WardOpened {
            ward: wid("W1"),
            site: "South".into(),
            beds: 10,
        },
    );
    t.ok(
        t0,
        Event::Admitted {
            stay: stid("S1"),
            patient: pid("P1"),
            ward: wid("W1"),
            admitted_at: t0,
            method: AdmissionMethod::Transfer,
            referring_org: Some("SYN-TRUST-3".into()),
        },
    );
    let rep = RepatriationId::new("REP1").unwrap();
    t.ok(
        utc(2026, 6, 3, 11, 0),
        Event::RepatriationRequested {
            repatriation: rep.clone(),
            stay: stid("S1"),
            to_org: "SYN-TRUST-3".into(),
        },
    );
    let open = t.c.open_repatriations(utc(2026, 6, 5, 12, 0));
    assert_eq!(
        (open[0].status, open[0].days_waiting),
        (RepatriationStatus::Requested, 2)
    );
    t.ok(
        utc(2026, 6, 5, 14, 0),
        Event::RepatriationUpdated {
            repatriation: rep.clone(),
            status: RepatriationStatus::Accepted,
        },
    );
    assert_eq!(
        t.c.open_repatriations(utc(2026, 6, 5, 15, 0))[0].status,
        RepatriationStatus::Accepted
    );
    t.ok(
        utc(2026, 6, 5, 15, 0),
        Event::TransportBooked {
            transport: TransportId::new("TR1").unwrap(),
            stay: stid("S1"),
            mobility: Mobility::Stretcher,
            booked_for: utc(2026, 6, 6, 10, 0),
            provider_ref: "NEPTS-1".into(),
        },
    );
    t.ok(
        utc(2026, 6, 6, 10, 30),
        Event::TransportCompleted {
            transport: TransportId::new("TR1").unwrap(),
            outcome: TransportOutcome::Completed,
        },
    );
    let e = t.err(
        utc(2026, 6, 6, 10, 31),
        Event::TransportCompleted {
            transport: TransportId::new("TR1").unwrap(),
            outcome: TransportOutcome::Cancelled,
        },
    );
    assert_eq!(e.code(), "invalid_state");
    t.ok(
        utc(2026, 6, 6, 10, 40),
        Event::RepatriationUpdated {
            repatriation: rep.clone(),
            status: RepatriationStatus::Transferred,
        },
    );
    t.ok(
        utc(2026, 6, 6, 10, 41),
        Event::Discharged {
            stay: stid("S1"),
            discharged_at: utc(2026, 6, 6, 10, 40),
            destination: Destination::OtherHospital,
        },
    );
    assert!(t.c.open_repatriations(utc(2026, 6, 7, 0, 0)).is_empty());
    assert_eq!(t.c.stay("S1").unwrap().transports.len(), 1);

    let h = HandoverId::new("HO1").unwrap();
    let e = t.err(
        t0,
        Event::HandoverStarted {
            handover: h.clone(),
            patient: pid("P1"),
            from: Setting::Hospital,
            to: Setting::Hospital,
        },
    );
    assert!(matches!(e, CaseloadError::InvalidField { field: "to", .. }));
    t.ok(
        utc(2026, 6, 6, 11, 0),
        Event::HandoverStarted {
            handover: h.clone(),
            patient: pid("P1"),
            from: Setting::Hospital,
            to: Setting::Community,
        },
    );
    t.ok(
        utc(2026, 6, 6, 12, 0),
        Event::HandoverItemDone {
            handover: h.clone(),
            item: HandoverItem::NotesSent,
            on: day(2026, 6, 6),
        },
    );
    let e = t.err(
        utc(2026, 6, 6, 12, 0),
        Event::HandoverItemDone {
            handover: h.clone(),
            item: HandoverItem::NotesSent,
            on: day(2026, 6, 6),
        },
    );
    assert_eq!(e.code(), "invalid_state");
    let e = t.err(
        utc(2026, 6, 6, 12, 0),
        Event::HandoverItemDone {
            handover: h.clone(),
            item: HandoverItem::NotesReceived,
            on: day(2026, 6, 5),
        },
    );
    assert_eq!(e.code(), "out_of_order");
    assert_eq!(t.c.incomplete_handovers().len(), 1);
    t.ok(
        utc(2026, 6, 8, 12, 0),
        Event::HandoverItemDone {
            handover: h.clone(),
            item: HandoverItem::NotesReceived,
            on: day(2026, 6, 8),
        },
    );
    t.ok(
        utc(2026, 6, 8, 12, 0),
        Event::HandoverItemDone {
            handover: h.clone(),
            item: HandoverItem::PackageConfirmed,
            on: day(2026, 6, 8),
        },
    );
    assert!(t.c.incomplete_handovers().is_empty());
}

// ------------------------------------------------------------------------------------------
// JSON of every event kind.

fn one_of_each() -> Vec<Event> {
    let d = day(2026, 1, 5);
    let t = utc(2026, 1, 5, 9, 0);
    let note = || Note::new("text");
    vec![
        Event::Configured(Settings::default()),
        Event::PatientRegistered {
            patient: pid("P1"),
            nhs_number: Some("9434765919".parse().unwrap()),
            practice: "SYN001".into(),
            birth_date: d,
        },
        Event::PracticeChanged {
            patient: pid("P1"),
            practice: "SYN002".into(),
        },
        Event::RegisterJoined {
            patient: pid("P1"),
            register: Register::Carer,
            on: d,
        },
        Event::RegisterLeft {
            patient: pid("P1"),
            register: Register::Carer,
            on: d,
        },
        Event::FrailtyRecorded {
            patient: pid("P1"),
            level: FrailtyLevel::Mild,
            on: d,
        },
        Event::SafeguardingRaised {
            patient: pid("P1"),
            on: d,
        },
        Event::SafeguardingClosed { patient: pid("P1") },
        Event::RespectRecorded {
            patient: pid("P1"),
            completed_on: d,
            review_on: None,
            held_at: "home".into(),
        },
        Event::CareTeamJoined {
            patient: pid("P1"),
            member: "GP-1".into(),
            role: CareRole::Gp,
        },
        Event::CareTeamLeft {
            patient: pid("P1"),
            member: "GP-1".into(),
        },
        Event::StaffJoined {
            staff: sid("N1"),
            band: Band::B8a,
            skills: vec![Skill::Nursing],
        },
        Event::SkillsChanged {
            staff: sid("N1"),
            skills: vec![],
        },
        Event::StaffLeft {
            staff: sid("N1"),
            on: d,
        },
        Event::RotaSet {
            staff: sid("N1"),
            days: vec![Weekday::Sat],
            capacity: 2,
            from: d,
        },
        Event::AbsenceRecorded {
            absence: AbsenceId::new("A1").unwrap(),
            staff: sid("N1"),
            kind: AbsenceKind::Training,
            from: d,
            to: d,
        },
        Event::AbsenceCancelled {
            absence: AbsenceId::new("A1").unwrap(),
        },
        Event::CoverArranged {
            absence: AbsenceId::new("A1").unwrap(),
            date: d,
            cover: sid("N2"),
        },
        Event::ReferralReceived {
            referral: rid("R1"),
            patient: pid("P1"),
            received_at: t,
            referrer: "GP".into(),
            duty: Some(DutyRequest::Appointment),
            required_skill: Some(Skill::Nursing),
        },
        Event::ReferralTriaged {
            referral: rid("R1"),
            priority: Priority::Ucr2Hour,
            ucr_condition: Some(UcrCondition::CarerBreakdown),
        },
        Event::ReferralAccepted {
            referral: rid("R1"),
        },
        Event::ReferralAllocated {
            referral: rid("R1"),
            staff: sid("N1"),
        },
        Event::ReferralSignposted {
            referral: rid("R1"),
            service: "Befriending".into(),
        },
        Event::ReferredOnward {
            referral: rid("R1"),
            to: "Memory clinic".into(),
        },
        Event::ReferralClosed {
            referral: rid("R1"),
            outcome: CloseOutcome::Duplicate,
        },
        Event::ContactLogged {
            contact: ContactId::new("C1").unwrap(),
            patient: pid("P1"),
            staff: sid("N1"),
            at: t,
            mode: ContactMode::Video,
            outcome: ContactOutcome::Made,
            referral: Some(rid("R1")),
            snomed: Some("22298006".parse().unwrap()),
            minutes: Some(20),
        },
        Event::CarePlanAgreed {
            plan: CarePlanId::new("PL1").unwrap(),
            patient: pid("P1"),
            agreed_on: d,
            review_on: d,
            goals: vec![Goal {
                id: GoalId::new("G1").unwrap(),
                text: note(),
                status: GoalStatus::Active,
            }],
            shared_with_ooh: false,
        },
        Event::CarePlanReviewed {
            plan: CarePlanId::new("PL1").unwrap(),
            reviewed_on: d,
            next_review_on: d,
        },
        Event::GoalAdded {
            plan: CarePlanId::new("PL1").unwrap(),
            goal: Goal {
                id: GoalId::new("G2").unwrap(),
                text: note(),
                status: GoalStatus::Withdrawn,
            },
        },
        Event::GoalUpdated {
            plan: CarePlanId::new("PL1").unwrap(),
            goal: GoalId::new("G2").unwrap(),
            status: GoalStatus::NotAchieved,
        },
        Event::CarePlanClosed {
            plan: CarePlanId::new("PL1").unwrap(),
            on: d,
        },
        Event::OutcomeRecorded {
            patient: pid("P1"),
            on: d,
            measure: OutcomeMeasure::Cfs {
                level: 6,
                assessor_role: "gp".into(),
            },
        },
        Event::TaskCreated {
            task: TaskId::new("T1").unwrap(),
            owner: sid("N1"),
            due: d,
            kind: TaskKind::Other,
            text: note(),
            patient: None,
            referral: None,
            stay: Some(stid("S1")),
            care_plan: None,
        },
        Event::TaskReassigned {
            task: TaskId::new("T1").unwrap(),
            owner: sid("N2"),
        },
        Event::TaskDueChanged {
            task: TaskId::new("T1").unwrap(),
            due: d,
        },
        Event::TaskChased {
            task: TaskId::new("T1").unwrap(),
        },
        Event::TaskDone {
            task: TaskId::new("T1").unwrap(),
            on: d,
        },
        Event::TaskCancelled {
            task: TaskId::new("T1").unwrap(),
            on: d,
        },
        Event::WardOpened {
            ward: wid("W1"),
            site: "North".into(),
            beds: 20,
        },
        Event::WardBedsChanged {
            ward: wid("W1"),
            beds: 22,
        },
        Event::Admitted {
            stay: stid("S1"),
            patient: pid("P1"),
            ward: wid("W1"),
            admitted_at: t,
            method: AdmissionMethod::Elective,
            referring_org: Some("SYN-TRUST-1".into()),
        },
        Event::WardTransferred {
            stay: stid("S1"),
            ward: wid("W2"),
        },
        Event::DischargeReadyDateSet {
            stay: stid("S1"),
            date: d,
        },
        Event::DelayRecorded {
            stay: stid("S1"),
            version: "dtoc-2018".into(),
            code: "Dii".into(),
            from: d,
        },
        Event::Escalated {
            stay: stid("S1"),
            rule: "los-21".into(),
        },
        Event::RepatriationRequested {
            repatriation: RepatriationId::new("RP1").unwrap(),
            stay: stid("S1"),
            to_org: "SYN-TRUST-1".into(),
        },
        Event::RepatriationUpdated {
            repatriation: RepatriationId::new("RP1").unwrap(),
            status: RepatriationStatus::Cancelled,
        },
        Event::TransportBooked {
            transport: TransportId::new("TR1").unwrap(),
            stay: stid("S1"),
            mobility: Mobility::Bariatric,
            booked_for: t,
            provider_ref: "P-1".into(),
        },
        Event::TransportCompleted {
            transport: TransportId::new("TR1").unwrap(),
            outcome: TransportOutcome::PatientNotReady,
        },
        Event::Discharged {
            stay: stid("S1"),
            discharged_at: t,
            destination: Destination::Hospice,
        },
        Event::DischargeReviewed { stay: stid("S1") },
        Event::HandoverStarted {
            handover: HandoverId::new("H1").unwrap(),
            patient: pid("P1"),
            from: Setting::OutOfHours,
            to: Setting::SocialCare,
        },
        Event::HandoverItemDone {
            handover: HandoverId::new("H1").unwrap(),
            item: HandoverItem::PackageConfirmed,
            on: d,
        },
    ]
}

#[test]
fn every_event_kind_round_trips_through_json() {
    let events = one_of_each();
    assert_eq!(events.len(), EVENT_KINDS.len());
    for (e, kind) in events.iter().zip(EVENT_KINDS) {
        assert_eq!(e.kind(), kind);
        let json = e.to_json();
        assert!(json.starts_with(&format!("{{\"{kind}\":")), "{json}");
        assert_eq!(&Event::from_json(&json).unwrap(), e, "{json}");
        // Debug shows no free text and no whole NHS number.
        let debug = format!("{e:?}");
        assert!(!debug.contains("9434765919"));
        assert!(!debug.contains("\"text\""));
    }
    // Examples of the JSON form.
    assert_eq!(
        events[19].to_json(),
        r#"{"referral_triaged":{"referral":"R1","priority":"ucr_2_hour","ucr_condition":"carer_breakdown"}}"#
    );
    assert_eq!(
        events[40].to_json(),
        r#"{"admitted":{"stay":"S1","patient":"P1","ward":"W1","admitted_at":"2026-01-05T09:00:00Z","method":"elective","referring_org":"SYN-TRUST-1"}}"#
    );
    // Bad inputs: unknown field, bad NHS number, bad date, unknown code, unknown kind.
    for bad in [
        r#"{"referral_accepted":{"referral":"R1","x":1}}"#,
        r#"{"patient_registered":{"patient":"P1","nhs_number":"9434765918","practice":"S","birth_date":"1950-01-01"}}"#,
        r#"{"frailty_recorded":{"patient":"P1","level":"mild","on":"2026-13-01"}}"#,
        r#"{"frailty_recorded":{"patient":"P1","level":"very","on":"2026-01-01"}}"#,
        r#"{"no_such_event":{}}"#,
        r#"{"referral_accepted":"#,
    ] {
        let e = Event::from_json(bad).unwrap_err();
        assert_eq!(e.code(), "invalid_json", "{bad}");
        assert!(!e.to_string().contains("9434765918"));
    }
    // Instants with an offset are read as UTC.
    let e = Event::from_json(
        r#"{"contact_logged":{"contact":"C1","patient":"P1","staff":"N1","at":"2026-07-01T10:00:00+01:00","mode":"phone","outcome":"made"}}"#,
    )
    .unwrap();
    assert!(matches!(e, Event::ContactLogged { at, .. } if at == utc(2026, 7, 1, 9, 0)));
}

// ------------------------------------------------------------------------------------------
// Journal: byte-identical replay, torn tail, corruption, a killed writer.

/// The journal tests use the synthetic generator (feature `synth`).
#[cfg(feature = "synth")]
mod journal {
    use super::*;
    use crate::journal::{Journal, Warning};
    use std::fs;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "carecoord-caseload-{name}-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn small_month() -> Vec<Envelope<Event>> {
        crate::synth::caseload_year(&crate::synth::CaseloadSynthConfig {
            days: 30,
            ..crate::synth::CaseloadSynthConfig::small()
        })
        .events
    }

    fn write_events(path: &std::path::Path, events: &[Envelope<Event>]) {
        let mut j = crate::journal::OpenOptions::new()
            .create_new(true)
            .schema(SCHEMA)
            .open::<Event>(path)
            .unwrap();
        j.append_batch(events.iter().map(|e| (e.who.as_str(), e.at, &e.event)))
            .unwrap();
    }

    #[test]
    fn journal_replay_is_byte_identical() {
        let events = small_month();
        assert!(events.len() > 3_000, "{}", events.len());
        let (direct, rejected) = Caseload::from_events(&events);
        assert!(rejected.is_empty());
        let dir = TempDir::new("replay");
        let path = dir.0.join("c.journal");
        // Written through the store in batches of uneven size.
        let mut store = CaseloadJournal::open(&path).unwrap();
        for chunk in events.chunks(997) {
            let out = store
                .record_batch(
                    chunk
                        .iter()
                        .map(|e| (e.who.as_str(), e.at, e.event.clone())),
                )
                .unwrap();
            assert!(out.rejected.is_none());
        }
        assert_eq!(store.caseload().to_json(), direct.to_json());
        drop(store);
        let a = Caseload::replay(&path).unwrap();
        let b = Caseload::replay(&path).unwrap();
        assert_eq!(a.caseload.to_json(), direct.to_json());
        assert_eq!(a.caseload.to_json(), b.caseload.to_json());
        assert_eq!(a.report.last_seq, events.len() as u64);
        assert!(a.report.rejected.is_empty() && a.report.warnings.is_empty());
        // Reopen and continue: single records extend the same journal.
        let mut store = CaseloadJournal::open(&path).unwrap();
        assert_eq!(store.caseload().to_json(), direct.to_json());
        let at = events.last().unwrap().at;
        let seq = store
            .record(
                "tester",
                at,
                Event::SafeguardingRaised {
                    patient: events_first_patient(&events),
                    on: crate::calendar::local_date(at),
                },
            )
            .unwrap();
        assert_eq!(seq, events.len() as u64 + 1);
        // A rejected event writes nothing.
        let len = fs::metadata(&path).unwrap().len();
        let e = store
            .record(
                "tester",
                at,
                Event::ReferralClosed {
                    referral: rid("R-NOPE"),
                    outcome: CloseOutcome::Completed,
                },
            )
            .unwrap_err();
        assert_eq!(e.seq(), Some(seq + 1));
        assert_eq!(fs::metadata(&path).unwrap().len(), len);
        // Wrong schema label: refused.
        let other = dir.0.join("other.journal");
        Journal::<Event>::create(&other).unwrap();
        assert_eq!(Caseload::replay(&other).unwrap_err().code(), "journal");
        assert_eq!(CaseloadJournal::open(&other).unwrap_err().code(), "journal");
    }

    fn events_first_patient(events: &[Envelope<Event>]) -> PatientRef {
        events
            .iter()
            .find_map(|e| match &e.event {
                Event::PatientRegistered { patient, .. } => Some(patient.clone()),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn torn_tail_is_ignored_then_repaired_and_corruption_is_an_error() {
        let events = small_month();
        let n = 2_000;
        let dir = TempDir::new("torn");
        let path = dir.0.join("c.journal");
        write_events(&path, &events[..n]);
        let bytes = fs::read(&path).unwrap();
        let starts: Vec<usize> = (0..bytes.len())
            .filter(|&i| i == 0 || bytes[i - 1] == b'\n')
            .collect();
        let last = starts[starts.len() - 1];
        // Cut the last record in half: a crash mid-append.
        let cut = last + (bytes.len() - last) / 2;
        fs::write(&path, &bytes[..cut]).unwrap();
        let (expected, _) = Caseload::from_events(&events[..n - 1]);
        // Read-only replay: the torn record is ignored with a warning.
        let r = Caseload::replay(&path).unwrap();
        assert_eq!(r.caseload.to_json(), expected.to_json());
        assert_eq!(r.report.last_seq, n as u64 - 1);
        assert!(matches!(
            r.report.warnings[..],
            [Warning::TornTail { record, offset, repaired: false, .. }] if record == n as u64 && offset == last as u64
        ));
        // Strict open refuses; the default open repairs it and continues.
        assert_eq!(
            CaseloadJournal::open_existing(&path).unwrap_err().code(),
            "journal"
        );
        let mut store = CaseloadJournal::open(&path).unwrap();
        assert!(matches!(
            store.report().warnings[..],
            [Warning::TornTail { repaired: true, .. }]
        ));
        assert_eq!(store.caseload().to_json(), expected.to_json());
        assert_eq!(fs::metadata(&path).unwrap().len(), last as u64);
        let e = &events[n - 1];
        store.record(&e.who, e.at, e.event.clone()).unwrap();
        drop(store);
        let (full, _) = Caseload::from_events(&events[..n]);
        assert_eq!(
            Caseload::replay(&path).unwrap().caseload.to_json(),
            full.to_json()
        );

        // A flipped byte in a middle record: an error with its offset; nothing after it is used.
        let mut bytes = fs::read(&path).unwrap();
        let mid = starts[1000];
        bytes[mid + 5] ^= 0x01;
        fs::write(&path, &bytes).unwrap();
        let e = Caseload::replay(&path).unwrap_err();
        match e {
            CaseloadError::Journal(j) => {
                assert_eq!((j.code(), j.offset()), ("corrupt_record", Some(mid as u64)))
            }
            other => panic!("{other}"),
        }
        assert_eq!(CaseloadJournal::open(&path).unwrap_err().code(), "journal");
    }

    const CHILD_ENV: &str = "CARECOORD_CASELOAD_CRASH_CHILD";

    /// Child mode of [`killed_writer_recovers_every_acknowledged_event`]: with `CHILD_ENV` set,
    /// records the synthetic month in batches of 1-4, printing `ACK <seq>` after each. Without
    /// it (a normal test run) it does nothing.
    #[test]
    fn crash_child_caseload_writer() {
        use std::io::Write;
        let Some(path) = std::env::var_os(CHILD_ENV) else {
            return;
        };
        let events = small_month();
        let mut store = CaseloadJournal::open(&path).expect("child: open");
        let mut out = std::io::stdout().lock();
        loop {
            let next = store.next_seq() as usize;
            if next > events.len() {
                std::thread::sleep(std::time::Duration::from_secs(60));
                continue;
            }
            let k = (next % 4 + 1).min(events.len() + 1 - next);
            let batch = &events[next - 1..next - 1 + k];
            let res = store
                .record_batch(
                    batch
                        .iter()
                        .map(|e| (e.who.as_str(), e.at, e.event.clone())),
                )
                .expect("child: record");
            assert!(res.rejected.is_none(), "child: rejected");
            writeln!(out, "ACK {}", res.recorded.end - 1).expect("child: pipe");
            out.flush().expect("child: pipe");
        }
    }

    #[cfg(unix)]
    #[test]
    fn killed_writer_recovers_every_acknowledged_event() {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};

        let dir = TempDir::new("crash");
        let path = dir.0.join("crash.journal");
        let exe = std::env::current_exe().unwrap();
        let module = module_path!();
        let module = module.split_once("::").map_or(module, |(_, rest)| rest);
        let child_test = format!("{module}::crash_child_caseload_writer");
        let events = small_month();
        let mut acked = 0u64;
        for round in 0..3 {
            let mut child = Command::new(&exe)
                .args([
                    child_test.as_str(),
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_ENV, &path)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let ack = |line: &str| line.strip_prefix("ACK ").map(|n| n.parse::<u64>().unwrap());
            let target = acked + 150;
            while acked < target {
                match lines.next() {
                    Some(Ok(line)) => acked = ack(&line).unwrap_or(acked),
                    _ => {
                        let status = child.wait().unwrap();
                        panic!("round {round}: child writer stopped early ({status})");
                    }
                }
            }
            child.kill().unwrap();
            for line in lines {
                acked = ack(&line.unwrap()).unwrap_or(acked).max(acked);
            }
            child.wait().unwrap();
            // Every acknowledged event is there; the state is the fold of exactly the events
            // read, byte for byte.
            let r = Caseload::replay(&path).unwrap();
            let n = r.report.last_seq;
            assert!(n >= acked, "round {round}: {n} read, {acked} acknowledged");
            assert!(r.report.warnings.len() <= 1);
            assert!(r.report.rejected.is_empty());
            let (expected, _) = Caseload::from_events(&events[..n as usize]);
            assert_eq!(r.caseload.to_json(), expected.to_json(), "round {round}");
        }
    }
}

// ------------------------------------------------------------------------------------------
// Property: a rejected event never changes the state, and the accepted events replay to the
// same state.

#[derive(Debug, Clone)]
enum Op {
    Patient(u8),
    Staff(u8),
    Absent(u8, u8),
    Referral(u8, u8),
    Triage(u8, u8),
    Accept(u8),
    Allocate(u8, u8),
    Contact(u8, u8),
    Close(u8),
    Ward,
    Admit(u8, u8),
    Drd(u8, u8),
    Delay(u8, u8),
    Discharge(u8, i8),
    Task(u8, u8),
    TaskDone(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4).prop_map(Op::Patient),
        (0u8..3).prop_map(Op::Staff),
        (0u8..3, 0u8..4).prop_map(|(a, b)| Op::Absent(a, b)),
        (0u8..3, 0u8..4).prop_map(|(a, b)| Op::Referral(a, b)),
        (0u8..3, 0u8..4).prop_map(|(a, b)| Op::Triage(a, b)),
        (0u8..3).prop_map(Op::Accept),
        (0u8..3, 0u8..3).prop_map(|(a, b)| Op::Allocate(a, b)),
        (0u8..3, 0u8..4).prop_map(|(a, b)| Op::Contact(a, b)),
        (0u8..3).prop_map(Op::Close),
        Just(Op::Ward),
        (0u8..3, 0u8..4).prop_map(|(a, b)| Op::Admit(a, b)),
        (0u8..3, 0u8..6).prop_map(|(a, b)| Op::Drd(a, b)),
        (0u8..3, 0u8..6).prop_map(|(a, b)| Op::Delay(a, b)),
        (0u8..3, -2i8..3).prop_map(|(a, b)| Op::Discharge(a, b)),
        (0u8..3, 0u8..3).prop_map(|(a, b)| Op::Task(a, b)),
        (0u8..3).prop_map(Op::TaskDone),
    ]
}

fn to_event(op: &Op, at: DateTime<Utc>) -> Event {
    let p = |i: u8| pid(&format!("P{i}"));
    let s = |i: u8| sid(&format!("N{i}"));
    let r = |i: u8| rid(&format!("R{i}"));
    let st = |i: u8| stid(&format!("S{i}"));
    let today = crate::calendar::local_date(at);
    let plus = |n: i64| today + TimeDelta::days(n);
    match *op {
        Op::Patient(i) => Event::PatientRegistered {
            patient: p(i),
            nhs_number: None,
            practice: "SYN001".into(),
            birth_date: day(1950, 1, 1),
        },
        Op::Staff(i) => Event::StaffJoined {
            staff: s(i),
            band: Band::B5,
            skills: vec![Skill::Nursing],
        },
        Op::Absent(i, d) => Event::AbsenceRecorded {
            absence: AbsenceId::new(format!("A{i}{d}")).unwrap(),
            staff: s(i),
            kind: AbsenceKind::Sickness,
            from: plus(i64::from(d) - 1),
            to: plus(i64::from(d)),
        },
        Op::Referral(i, j) => Event::ReferralReceived {
            referral: r(i),
            patient: p(j),
            received_at: at,
            referrer: "GP".into(),
            duty: None,
            required_skill: Some(Skill::Nursing),
        },
        Op::Triage(i, k) => Event::ReferralTriaged {
            referral: r(i),
            priority: [
                Priority::Ucr2Hour,
                Priority::Ucr2Day,
                Priority::Routine,
                Priority::Ucr2Hour,
            ][k as usize],
            ucr_condition: (k == 0).then_some(UcrCondition::Fall),
        },
        Op::Accept(i) => Event::ReferralAccepted { referral: r(i) },
        Op::Allocate(i, j) => Event::ReferralAllocated {
            referral: r(i),
            staff: s(j),
        },
        Op::Contact(i, j) => Event::ContactLogged {
            contact: ContactId::new(format!("C-{}", at.timestamp() / 3600)).unwrap(),
            patient: p(j),
            staff: s(0),
            at,
            mode: ContactMode::Phone,
            outcome: ContactOutcome::Made,
            referral: Some(r(i)),
            snomed: None,
            minutes: None,
        },
        Op::Close(i) => Event::ReferralClosed {
            referral: r(i),
            outcome: CloseOutcome::Completed,
        },
        Op::Ward => Event::WardOpened {
            ward: wid("W"),
            site: "North".into(),
            beds: 3,
        },
        Op::Admit(i, j) => Event::Admitted {
            stay: st(i),
            patient: p(j),
            ward: wid("W"),
            admitted_at: at,
            method: AdmissionMethod::Emergency,
            referring_org: None,
        },
        Op::Drd(i, d) => Event::DischargeReadyDateSet {
            stay: st(i),
            date: plus(i64::from(d) - 3),
        },
        Op::Delay(i, d) => Event::DelayRecorded {
            stay: st(i),
            version: "acute-sitrep-2023".into(),
            code: "vi".into(),
            from: plus(i64::from(d) - 3),
        },
        Op::Discharge(i, h) => Event::Discharged {
            stay: st(i),
            discharged_at: at - TimeDelta::hours(i64::from(h) * 24),
            destination: Destination::UsualResidence,
        },
        Op::Task(i, j) => Event::TaskCreated {
            task: TaskId::new(format!("T{i}")).unwrap(),
            owner: s(j),
            due: plus(2),
            kind: TaskKind::FollowUp,
            text: Note::new("x"),
            patient: None,
            referral: Some(r(i)),
            stay: None,
            care_plan: None,
        },
        Op::TaskDone(i) => Event::TaskDone {
            task: TaskId::new(format!("T{i}")).unwrap(),
            on: today,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn rejected_events_change_nothing_and_accepted_ones_replay(ops in proptest::collection::vec(op(), 1..80)) {
        let mut c = Caseload::new();
        let mut accepted = Vec::new();
        let mut seq = 0;
        // Start from four patients, three nurses and a ward so that later events can land.
        let setup = (0..4).map(Op::Patient).chain((0..3).map(Op::Staff)).chain([Op::Ward]);
        let ops: Vec<Op> = setup.chain(ops).collect();
        for (k, o) in ops.iter().enumerate() {
            let at = utc(2026, 2, 2, 8, 0) + TimeDelta::hours(k as i64 * 7);
            let env = Envelope { seq: seq + 1, who: "p".into(), at, event: to_event(o, at) };
            let before = c.to_json();
            match c.apply(&env) {
                Ok(()) => {
                    seq += 1;
                    accepted.push(env);
                }
                Err(e) => {
                    prop_assert_eq!(c.to_json(), before);
                    prop_assert_eq!(e.seq(), Some(seq + 1));
                }
            }
        }
        let (replayed, rejected) = Caseload::from_events(&accepted);
        prop_assert!(rejected.is_empty());
        prop_assert_eq!(replayed.to_json(), c.to_json());
    }
}
