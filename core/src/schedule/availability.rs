//! Availability requests: find a few candidate slots for a meeting in a diary, and write the
//! email that asks the invitees which of them they can make.
//!
//! Slots come from [`Diary::free_slots`], so every rule of the diary applies: the required
//! people must all be free and working, a room the meeting accepts must be free and big
//! enough, and the slot lies in working hours on a business day. Each slot lists the
//! preferred people who cannot make it. Output is deterministic.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::agenda::{date_text, span_text};
use super::diary::Diary;
use super::format::{Instance, Meeting};
use super::query::{RoomFilter, Slot, Window};
use super::ScheduleError;

/// How candidate slots are chosen.
///
/// # Example
///
/// ```
/// use carecoord::schedule::CandidateOptions;
///
/// let o = CandidateOptions::default();
/// assert_eq!((o.max_slots, o.window), (3, None));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateOptions {
    /// At most this many slots (default 3); positive.
    pub max_slots: usize,
    /// Only slots in this window (local times); the meeting's own `earliest` and `latest`
    /// apply as well.
    pub window: Option<Window>,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        Self {
            max_slots: 3,
            window: None,
        }
    }
}

/// Up to `options.max_slots` candidate slots for `meeting`, at most one per day, in time
/// order.
///
/// For each day the best slot is the one leaving out the fewest preferred people, then the
/// earliest. Days are then chosen by the same rule (fewest preferred people left out, then
/// earliest), so a later day where everyone can come beats an earlier day where someone
/// cannot. Each slot carries the room chosen (a virtual room if the meeting accepts one,
/// else the smallest that fits) and the preferred people who cannot make it. With
/// [`Diary::with_solution`], meetings of that plan block their people and rooms too.
///
/// # Errors
///
/// [`ScheduleError::InvalidQuery`] if `max_slots` is 0, the duration is 0, or the meeting
/// names a person or room the diary does not know.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{candidate_slots, CandidateOptions, Diary, Instance};
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5},
///   "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue", "Thu"]},
///              {"id": "p3", "working_days": ["Thu"]}],
///   "rooms": [{"id": "rm1", "capacity": 4, "virtual": false}],
///   "meetings": [{"id": "m1", "title": "MDT", "duration_minutes": 60, "required": ["p1", "p2"],
///                 "preferred": ["p3"], "rooms": "any", "needs_physical": true}]}"#)?;
/// let diary = Diary::new(&inst)?;
/// let slots = candidate_slots(&diary, &inst.meetings[0], &CandidateOptions::default())?;
/// let starts: Vec<String> = slots.iter().map(|s| s.start.to_string()).collect();
/// // Tuesday (p3 cannot come) and Thursday (p3 can); p2 works no other day.
/// assert_eq!(starts, ["2026-03-24 08:00:00", "2026-03-26 08:00:00"]);
/// assert_eq!(slots[0].preferred_unavailable, ["p3"]);
/// assert!(slots[1].preferred_unavailable.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn candidate_slots(
    diary: &Diary,
    meeting: &Meeting,
    options: &CandidateOptions,
) -> Result<Vec<Slot>, ScheduleError> {
    if options.max_slots == 0 {
        return Err(ScheduleError::InvalidQuery {
            argument: "max_slots",
            reason: "must be positive".into(),
        });
    }
    let w = options.window.unwrap_or_default();
    let later = |a: Option<NaiveDateTime>, b: Option<NaiveDateTime>| match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let sooner = |a: Option<NaiveDateTime>, b: Option<NaiveDateTime>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let window = Window {
        earliest: later(w.earliest, meeting.earliest),
        latest: sooner(w.latest, meeting.latest),
    };
    let required: Vec<&str> = meeting.required.iter().map(String::as_str).collect();
    let preferred: Vec<&str> = meeting.preferred.iter().map(String::as_str).collect();
    let rooms = RoomFilter {
        rooms: meeting.rooms.clone(),
        needs_physical: meeting.needs_physical,
    };
    let all = diary.free_slots(
        &required,
        &preferred,
        meeting.duration_minutes,
        Some(window),
        Some(&rooms),
    )?;
    // Best slot per day: fewest preferred people missing, then earliest (slots come in
    // time order, so the first with the fewest wins).
    let mut best: BTreeMap<NaiveDate, Slot> = BTreeMap::new();
    for s in all {
        let day = s.start.date();
        match best.get(&day) {
            Some(b) if b.preferred_unavailable.len() <= s.preferred_unavailable.len() => {}
            _ => {
                best.insert(day, s);
            }
        }
    }
    let mut days: Vec<Slot> = best.into_values().collect();
    days.sort_by_key(|s| (s.preferred_unavailable.len(), s.start));
    days.truncate(options.max_slots);
    days.sort_by_key(|s| s.start);
    Ok(days)
}

/// What the availability email says besides the slots.
///
/// # Example
///
/// ```
/// use carecoord::schedule::EmailOptions;
/// use chrono::NaiveDate;
///
/// let o = EmailOptions::new(NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
/// assert_eq!(o.greeting, "Dear colleagues,");
/// assert_eq!(o.sign_off, "Care coordination team");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailOptions {
    /// Date by which to reply; must be before the first option's date.
    pub reply_by: NaiveDate,
    /// First line (default `Dear colleagues,`).
    pub greeting: String,
    /// Name under "Thank you," (default `Care coordination team`).
    pub sign_off: String,
}

impl EmailOptions {
    /// Options with the default greeting and sign-off.
    ///
    /// # Errors
    ///
    /// None.
    ///
    /// # Example
    ///
    /// ```
    /// use carecoord::schedule::EmailOptions;
    /// use chrono::NaiveDate;
    ///
    /// let mut o = EmailOptions::new(NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    /// o.sign_off = "ILR coordinator".into();
    /// assert_eq!(o.reply_by.to_string(), "2026-03-20");
    /// ```
    pub fn new(reply_by: NaiveDate) -> Self {
        Self {
            reply_by,
            greeting: "Dear colleagues,".into(),
            sign_off: "Care coordination team".into(),
        }
    }
}

/// The subject and plain-text body of an availability email.
///
/// # Example
///
/// ```
/// use carecoord::schedule::AvailabilityEmail;
///
/// let e = AvailabilityEmail { subject: "s".into(), body: "b".into() };
/// assert_eq!(e.subject, "s");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityEmail {
    /// Subject line.
    pub subject: String,
    /// Plain-text body, lines ending `\n`.
    pub body: String,
}

/// Writes the email asking the invitees of `meeting` which of `slots` they can attend:
/// numbered options with dates like `Tue 24 Mar 2026, 09:00-10:00` in `Europe/London`
/// time and the room's name (or id), a reply-by date and a short closing.
///
/// Attendee ids and the preferred people each slot leaves out are not printed: the email
/// goes to everyone invited.
///
/// # Errors
///
/// [`ScheduleError::InvalidQuery`] (argument `slots`) if `slots` is empty;
/// [`ScheduleError::InvalidField`] (`options.reply_by`) if the reply-by date is not before
/// the first option's date.
///
/// # Example
///
/// ```
/// use carecoord::schedule::{availability_email, candidate_slots, CandidateOptions, Diary,
///                           EmailOptions, Instance};
/// use chrono::NaiveDate;
///
/// let inst = Instance::from_json(r#"{"schema": "carecoord.schedule.v1",
///   "horizon": {"start": "2026-03-23", "days": 5},
///   "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue"]}],
///   "rooms": [{"id": "virt", "name": "Video call", "virtual": true}],
///   "meetings": [{"id": "m1", "title": "Frailty MDT", "duration_minutes": 60,
///                 "required": ["p1", "p2"]}]}"#)?;
/// let slots = candidate_slots(&Diary::new(&inst)?, &inst.meetings[0], &CandidateOptions::default())?;
/// let email = availability_email(&inst, &inst.meetings[0], &slots,
///                                &EmailOptions::new(NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()))?;
/// assert_eq!(email.subject, "Availability request: Frailty MDT (reply by Fri 20 Mar 2026)");
/// assert!(email.body.contains("\n1. Tue 24 Mar 2026, 08:00-09:00, Video call\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn availability_email(
    instance: &Instance,
    meeting: &Meeting,
    slots: &[Slot],
    options: &EmailOptions,
) -> Result<AvailabilityEmail, ScheduleError> {
    let Some(first) = slots.iter().map(|s| s.start.date()).min() else {
        return Err(ScheduleError::InvalidQuery {
            argument: "slots",
            reason: "no candidate slots to offer".into(),
        });
    };
    if options.reply_by >= first {
        return Err(ScheduleError::InvalidField {
            path: "options.reply_by".into(),
            reason: "must be before the date of the first option".into(),
        });
    }
    let title = if meeting.title.trim().is_empty() {
        meeting.id.as_str()
    } else {
        meeting.title.as_str()
    };
    let single_line = |s: &str| s.replace(['\r', '\n'], " ");
    let title = single_line(title);
    let reply_by = date_text(options.reply_by);
    let room_name = |id: &str| {
        instance
            .rooms
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.name.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| id.to_string())
    };
    let mut body = String::new();
    body.push_str(&single_line(&options.greeting));
    body.push_str("\n\n");
    body.push_str(&format!(
        "We are arranging the meeting below and would like to know when you can attend.\n\n\
         Meeting: {title}\nLength: {} minutes\n\n\
         Please reply with the numbers of all the options you can make:\n\n",
        meeting.duration_minutes
    ));
    for (i, s) in slots.iter().enumerate() {
        body.push_str(&format!("{}. {}", i + 1, span_text(s.start, s.end)));
        if let Some(room) = &s.room {
            body.push_str(", ");
            body.push_str(&single_line(&room_name(room)));
        }
        body.push('\n');
    }
    body.push_str(&format!(
        "\nAll times are UK time (Europe/London).\nPlease reply by {reply_by}.\n\nThank you,\n{}\n",
        single_line(&options.sign_off)
    ));
    Ok(AvailabilityEmail {
        subject: format!("Availability request: {title} (reply by {reply_by})"),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand, week of Monday 23 March 2026 and the next (BST from Sunday 29th):
    /// p2 works Tue-Thu, so Monday and Friday are out. Tue: p1 busy until 12:00, so 12:00
    /// (p3 free). Wed: 08:00, but p3 is on leave. Thu: rm1 closed until 10:00, so 10:00
    /// (p3 free). The meeting needs a physical room, so the video room is never offered.
    fn instance() -> Instance {
        Instance::from_json(
            r#"{"schema": "carecoord.schedule.v1",
              "horizon": {"start": "2026-03-23", "days": 14, "bank_holidays": ["2026-04-03"]},
              "people": [
                {"id": "p1", "busy": [{"start": "2026-03-24T08:00", "end": "2026-03-24T12:00"}]},
                {"id": "p2", "working_days": ["Tue", "Wed", "Thu"]},
                {"id": "p3", "busy": [{"start": "2026-03-25T00:00", "end": "2026-03-26T00:00"}]}],
              "rooms": [
                {"id": "rm1", "name": "Practice meeting room", "capacity": 3, "virtual": false,
                 "unavailable": [{"start": "2026-03-26T08:00", "end": "2026-03-26T10:00"}]},
                {"id": "virt", "name": "Video call", "virtual": true}],
              "meetings": [{"id": "m1", "title": "Frailty MDT", "duration_minutes": 60,
                "required": ["p1", "p2"], "preferred": ["p3"], "rooms": "any",
                "needs_physical": true, "latest": "2026-03-27T18:00"}]}"#,
        )
        .unwrap()
    }

    fn text(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| {
                format!(
                    "{} {} {:?}",
                    span_text(s.start, s.end),
                    s.room.as_deref().unwrap_or("-"),
                    s.preferred_unavailable
                )
            })
            .collect()
    }

    #[test]
    fn best_slot_per_day_then_best_days() {
        let inst = instance();
        let diary = Diary::new(&inst).unwrap();
        let m = &inst.meetings[0];
        let three = candidate_slots(&diary, m, &CandidateOptions::default()).unwrap();
        assert_eq!(
            text(&three),
            [
                "Tue 24 Mar 2026, 12:00-13:00 rm1 []",
                "Wed 25 Mar 2026, 08:00-09:00 rm1 [\"p3\"]",
                "Thu 26 Mar 2026, 10:00-11:00 rm1 []",
            ]
        );
        // With two, the day p3 cannot make is dropped.
        let two = CandidateOptions {
            max_slots: 2,
            ..CandidateOptions::default()
        };
        assert_eq!(
            text(&candidate_slots(&diary, m, &two).unwrap()),
            [
                "Tue 24 Mar 2026, 12:00-13:00 rm1 []",
                "Thu 26 Mar 2026, 10:00-11:00 rm1 []",
            ]
        );
    }

    #[test]
    fn windows_combine_with_the_meeting_window() {
        let inst = instance();
        let diary = Diary::new(&inst).unwrap();
        let mut m = inst.meetings[0].clone();
        let d = |day: u32, h: u32| {
            NaiveDate::from_ymd_opt(2026, 3, day)
                .unwrap()
                .and_hms_opt(h, 0, 0)
        };
        let from_wed = CandidateOptions {
            window: Some(Window {
                earliest: d(25, 0),
                latest: None,
            }),
            ..CandidateOptions::default()
        };
        // The meeting's own `latest` (Friday 27th) still applies.
        assert_eq!(
            text(&candidate_slots(&diary, &m, &from_wed).unwrap()),
            [
                "Wed 25 Mar 2026, 08:00-09:00 rm1 [\"p3\"]",
                "Thu 26 Mar 2026, 10:00-11:00 rm1 []",
            ]
        );
        // Into BST: Tuesday 31 March at 08:00 local.
        m.latest = None;
        let next_week = CandidateOptions {
            max_slots: 1,
            window: Some(Window {
                earliest: d(30, 0),
                latest: None,
            }),
        };
        assert_eq!(
            text(&candidate_slots(&diary, &m, &next_week).unwrap()),
            ["Tue 31 Mar 2026, 08:00-09:00 rm1 []"]
        );
        let none = CandidateOptions {
            max_slots: 0,
            ..CandidateOptions::default()
        };
        assert_eq!(
            candidate_slots(&diary, &m, &none).unwrap_err().to_string(),
            "query argument `max_slots`: must be positive"
        );
        m.required.push("nobody".into());
        assert_eq!(
            candidate_slots(&diary, &m, &CandidateOptions::default())
                .unwrap_err()
                .code(),
            "invalid_query"
        );
    }

    const BODY: &str = "\
Dear colleagues,

We are arranging the meeting below and would like to know when you can attend.

Meeting: Frailty MDT
Length: 60 minutes

Please reply with the numbers of all the options you can make:

1. Tue 24 Mar 2026, 12:00-13:00, Practice meeting room
2. Wed 25 Mar 2026, 08:00-09:00, Practice meeting room
3. Thu 26 Mar 2026, 10:00-11:00, Practice meeting room

All times are UK time (Europe/London).
Please reply by Mon 23 Mar 2026.

Thank you,
Care coordination team
";

    #[test]
    fn email_text() {
        let inst = instance();
        let diary = Diary::new(&inst).unwrap();
        let m = &inst.meetings[0];
        let slots = candidate_slots(&diary, m, &CandidateOptions::default()).unwrap();
        let reply_by = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
        let email = availability_email(&inst, m, &slots, &EmailOptions::new(reply_by)).unwrap();
        assert_eq!(
            email.subject,
            "Availability request: Frailty MDT (reply by Mon 23 Mar 2026)"
        );
        assert_eq!(email.body, BODY);
        // Same input, same text.
        assert_eq!(
            availability_email(&inst, m, &slots, &EmailOptions::new(reply_by)).unwrap(),
            email
        );
        let late = EmailOptions::new(reply_by.succ_opt().unwrap());
        assert_eq!(
            availability_email(&inst, m, &slots, &late)
                .unwrap_err()
                .to_string(),
            "options.reply_by: must be before the date of the first option"
        );
        assert_eq!(
            availability_email(&inst, m, &[], &EmailOptions::new(reply_by))
                .unwrap_err()
                .code(),
            "invalid_query"
        );
    }
}
