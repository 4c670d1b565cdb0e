"""carecoord.schedule meeting work: agendas, the action log, candidate slots and the
availability email, meeting times, and their errors.

The fixtures are the ones of the C tests (``tests/c/test_schedule.c``), so the C and Python
surfaces are held to the same hand-checked values; the reasoning is in the comment of each
test. All data are synthetic.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pathlib
from typing import Any, Dict, List

import pyarrow as pa
import pytest

from carecoord import schedule
from carecoord.errors import (
    ActionDateError,
    DuplicateEntryError,
    IdentifierNotAllowedError,
    InvalidFieldError,
    InvalidJsonError,
    InvalidQueryError,
    InvalidTimeError,
    MissingFieldError,
    ScheduleError,
    UnknownActionError,
)

MDT: Dict[str, Any] = {
    "id": "m1",
    "title": "Frailty MDT",
    "start": "2026-03-24T14:00",
    "end": "2026-03-24T15:00",
    "room": "rm1",
    "required": ["p1", "p2"],
    "preferred": ["p3"],
}
ITEMS: List[Dict[str, Any]] = [
    {
        "patient_ref": "CASE-0101",
        "label": "AB, 84",
        "risk_tier": 2,
        "days_since_review": 40,
        "involved": ["p1"],
        "summary": {
            "reason": "Falls at home",
            "key_problems": ["Falls", "COPD"],
            "risk_scores": [{"name": "eFI", "value": "0.31 (moderate)"}],
        },
    },
    {
        "patient_ref": "CASE-0102",
        "label": "CD, 77",
        "risk_tier": 1,
        "breached": True,
        "minutes": 15,
        "involved": ["p2"],
    },
]

# CASE-0102 has a breached deadline, so it goes first (15 minutes, 14:10-14:25) although
# CASE-0101 has waited 40 days; CASE-0101 takes the default 10 minutes (14:25-14:35);
# "Any other business" follows (5 minutes).
FULL_MARKDOWN = """\
# Agenda: Frailty MDT

- Meeting: m1
- When: Tue 24 Mar 2026, 14:00-15:00 (Europe/London)
- Where: rm1
- Required: p1, p2
- Optional: p3

| Time | Item |
| --- | --- |
| 14:00-14:10 | Actions from last meeting |
| 14:10-14:25 | Patient CASE-0102 (CD, 77) |
| 14:25-14:35 | Patient CASE-0101 (AB, 84) |
| 14:35-14:40 | Any other business |

## 14:10-14:25 Patient CASE-0102 (CD, 77)

- Reason for discussion: not given
- Risk tier: 1
- Deadline breached: yes
- Last review: never
- Key problems: none
- Risk scores: none
- Open actions: none
- Involved: p2

## 14:25-14:35 Patient CASE-0101 (AB, 84)

- Reason for discussion: Falls at home
- Risk tier: 2
- Deadline breached: no
- Last review: 40 days ago
- Key problems: Falls; COPD
- Risk scores: eFI 0.31 (moderate)
- Open actions: none
- Involved: p1
"""


def test_agenda_entries_and_full_markdown() -> None:
    a = schedule.agenda(MDT, ITEMS)
    assert a.meeting == MDT
    assert a.entries == [
        {"start": "2026-03-24T14:00", "end": "2026-03-24T14:10", "kind": "fixed",
         "title": "Actions from last meeting", "patient_ref": None},
        {"start": "2026-03-24T14:10", "end": "2026-03-24T14:25", "kind": "patient",
         "title": None, "patient_ref": "CASE-0102"},
        {"start": "2026-03-24T14:25", "end": "2026-03-24T14:35", "kind": "patient",
         "title": None, "patient_ref": "CASE-0101"},
        {"start": "2026-03-24T14:35", "end": "2026-03-24T14:40", "kind": "fixed",
         "title": "Any other business", "patient_ref": None},
    ]
    assert a.deferred == []
    assert a.to_markdown() == FULL_MARKDOWN
    # Input order does not matter; datetimes work as well as strings.
    held = dict(MDT, start=dt.datetime(2026, 3, 24, 14), end=dt.datetime(2026, 3, 24, 15))
    assert schedule.agenda(held, ITEMS[::-1]).to_markdown() == FULL_MARKDOWN
    assert repr(a) == "<Agenda m1 2026-03-24T14:00: 4 slots, 0 deferred>"


def test_per_attendee_copies_show_only_their_patients() -> None:
    a = schedule.agenda(MDT, ITEMS)
    p1 = a.to_markdown("p1")
    assert p1.startswith("# Agenda: Frailty MDT (for p1)\n")
    assert "| 14:10-14:25 | Patient CASE-0102 |\n" in p1
    assert "## 14:25-14:35 Patient CASE-0101 (AB, 84)\n" in p1
    assert "CD, 77" not in p1 and "Deadline breached: yes" not in p1
    # p3 is involved in no patient: references and times only.
    p3 = a.to_markdown("p3")
    for secret in ("AB, 84", "CD, 77", "Falls", "0.31"):
        assert secret not in p3
    html = a.to_html("p2")
    assert html.startswith("<!DOCTYPE html>\n")
    assert "<tr><td>14:25-14:35</td><td>Patient CASE-0101</td></tr>" in html
    assert "<h2>14:10-14:25 Patient CASE-0102 (CD, 77)</h2>" in html
    assert "Falls at home" not in html
    assert "<li>Risk scores: eFI 0.31 (moderate)</li>" in a.to_html()


def test_agenda_options_defer_and_backfill() -> None:
    # No opening item and 45 closing minutes leave 15: CASE-0102 fits exactly, CASE-0101
    # (10 minutes) is deferred with none left.
    tight = {"opening": [], "closing": [{"title": "AOB", "minutes": 45}]}
    a = schedule.agenda(MDT, ITEMS, options=tight)
    assert a.deferred == [{
        "patient_ref": "CASE-0101", "reason": "not_enough_time", "needed": 10, "left": 0,
        "message": "not enough time (needs 10 minutes, 0 left)",
    }]
    assert a.entries[-1] == {"start": "2026-03-24T14:15", "end": "2026-03-24T15:00",
                             "kind": "fixed", "title": "AOB", "patient_ref": None}
    assert "## Deferred to a later meeting\n\n- Patient CASE-0101 (AB, 84): not enough time " \
           "(needs 10 minutes, 0 left)\n" in a.to_markdown()
    # 35 minutes of closing leave 25: CASE-0102 (15) fits; then CASE-0103 (20) does not, and
    # in strict order CASE-0101 (10) is deferred behind it; with backfill it takes the 10.
    items = ITEMS + [{"patient_ref": "CASE-0103", "risk_tier": 1, "minutes": 20, "days_since_review": 90}]
    strict = schedule.agenda(MDT, items, options={"opening": [], "closing": [{"title": "AOB", "minutes": 35}]})
    assert [(d["patient_ref"], d["reason"]) for d in strict.deferred] == [
        ("CASE-0103", "not_enough_time"), ("CASE-0101", "behind_higher_priority")]
    back = schedule.agenda(MDT, items, options={"opening": [], "backfill": True,
                                                "closing": [{"title": "AOB", "minutes": 35}]})
    assert [e["patient_ref"] for e in back.entries if e["kind"] == "patient"] == ["CASE-0102", "CASE-0101"]
    assert schedule.agenda(MDT, ITEMS, options={"default_minutes": 20}).entries[2]["end"] == "2026-03-24T14:45"


def test_agenda_errors_name_argument_and_path() -> None:
    # 943 476 5919 has a valid check digit (the crate's own doc example).
    with pytest.raises(IdentifierNotAllowedError) as e:
        schedule.agenda(MDT, [{"patient_ref": "CASE-1", "label": "AB 943 476 5919"}])
    assert (e.value.code, e.value.path, e.value.argument) == (
        "identifier_not_allowed", "items[0].label", "items")
    assert "5919" not in str(e.value)
    with pytest.raises(IdentifierNotAllowedError):
        schedule.agenda(MDT, [{"patient_ref": "CASE-9434765919"}])
    with pytest.raises(IdentifierNotAllowedError) as e:
        schedule.agenda(MDT, [{"patient_ref": "C", "summary": {"key_problems": ["ok", "NHS 9434765919"]}}])
    assert e.value.path == "items[0].summary.key_problems[1]"
    with pytest.raises(DuplicateEntryError) as e2:
        schedule.agenda(MDT, [{"patient_ref": "C"}, {"patient_ref": "C"}])
    assert str(e2.value) == "items[1].patient_ref: duplicate patient reference"
    with pytest.raises(InvalidTimeError) as e3:
        schedule.agenda(dict(MDT, end=MDT["start"]), [])
    assert (str(e3.value), e3.value.argument) == ("meeting.end: must be after the start", "meeting")
    with pytest.raises(InvalidTimeError) as e3:
        schedule.agenda(dict(MDT, start="24/03/2026 14:00"), [])
    assert e3.value.path == "meeting.start"
    with pytest.raises(MissingFieldError) as e4:
        schedule.agenda({"id": "m1", "start": "2026-03-24T14:00"}, [])
    assert e4.value.path == "meeting.end"
    with pytest.raises(InvalidFieldError) as e5:
        schedule.agenda(MDT, [{"patient_ref": "C", "risk_tier": "high"}])
    assert str(e5.value) == "items[0].risk_tier: expected an integer from 0 to 255"
    with pytest.raises(InvalidFieldError) as e5:
        schedule.agenda(MDT, [{"patient_ref": "C", "risk_tier": 0}])
    assert str(e5.value) == "items[0].risk_tier: tiers start at 1 (the highest risk)"
    with pytest.raises(InvalidFieldError) as e5:
        schedule.agenda(MDT, [], options={"opening": [{"title": "Long", "minutes": 61}]})
    assert (e5.value.path, e5.value.argument) == ("options", "options")
    with pytest.raises(InvalidFieldError):
        schedule.agenda(MDT, {"patient_ref": "C"})  # type: ignore[arg-type]


def test_meeting_time_from_a_plan() -> None:
    inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 14},
            "people": [{"id": "p1"}], "rooms": [{"id": "virt", "virtual": True}],
            "meetings": [{"id": "m1", "title": "ILR", "duration_minutes": 90, "required": ["p1"]}]}
    # Monday 30 March is in BST: 09:00 plus 90 minutes is 10:30 local.
    plan = {"assignments": [{"meeting": "m1", "start": "2026-03-30T09:00", "room": "virt"}]}
    held = schedule.meeting_time(inst, plan, "m1")
    assert held == {"id": "m1", "title": "ILR", "start": "2026-03-30T09:00",
                    "end": "2026-03-30T10:30", "room": "virt", "required": ["p1"], "preferred": []}
    assert schedule.agenda(held, []).entries[0]["start"] == "2026-03-30T09:00"
    with pytest.raises(InvalidQueryError) as e:
        schedule.meeting_time(inst, plan, "m9")
    assert e.value.argument == "meeting_id"
    with pytest.raises(InvalidQueryError, match="does not place"):
        schedule.meeting_time(inst, {"assignments": []}, "m1")


# --------------------------------------------------------------------------------------
# The action log.
# --------------------------------------------------------------------------------------


def action(i: str, ref: Any, desc: str, owner: str, due: str, meeting: str, day: str) -> Dict[str, Any]:
    return {"id": i, "patient_ref": ref, "description": desc, "owner": owner, "due": due,
            "status": "open", "completed": None, "raised_at": meeting, "raised_on": day}


M1: Dict[str, Any] = {
    "meeting": {"id": "m1", "title": "Frailty MDT", "start": "2026-03-24T14:00",
                "end": "2026-03-24T15:00", "room": "rm1"},
    "attendees": ["p1", "p2", "p4"],
    "apologies": ["p3"],
    "decisions": [{"patient_ref": "CASE-0102", "text": "Refer to falls service"}],
    "actions": [
        action("A1", "CASE-0102", "Send falls referral", "p2", "2026-03-27", "m1", "2026-03-24"),
        action("A2", "CASE-0103", "Book OT | home visit", "p4", "2026-03-31", "m1", "2026-03-24"),
        action("A3", None, "Book large room", "p4", "2026-04-07", "m1", "2026-03-24"),
    ],
}
M2: Dict[str, Any] = {
    "meeting": {"id": "m2", "title": "Frailty MDT", "start": "2026-03-31T14:00", "end": "2026-03-31T15:00"},
    "actions": [
        action("A4", "CASE-0104", "Chase GP letter", "p1", "2026-04-02", "m2", "2026-03-31"),
        action("A5", "CASE-0103", "Update care plan", "p2", "2026-03-31", "m2", "2026-03-31"),
    ],
}

LOG_MARKDOWN = """\
| ID | Patient | Action | Owner | Due | Status | Raised |
| --- | --- | --- | --- | --- | --- | --- |
| A1 | CASE-0102 | Send falls referral | p2 | 2026-03-27 | open | m1 (2026-03-24) |
| A2 | CASE-0103 | Book OT \\| home visit | p4 | 2026-03-31 | open | m1 (2026-03-24) |
| A3 | - | Book large room | p4 | 2026-04-07 | done 2026-03-30 | m1 (2026-03-24) |
| A4 | CASE-0104 | Chase GP letter | p1 | 2026-04-02 | open | m2 (2026-03-31) |
| A5 | CASE-0103 | Update care plan | p2 | 2026-03-31 | open | m2 (2026-03-31) |
"""


def two_meetings(tmp_path: pathlib.Path) -> schedule.ActionLog:
    """m1 on Tuesday 24 March raises A1-A3 (given as a dict), m2 on 31 March raises A4 and
    A5 (given as a file); A3 is done on 30 March."""
    log = schedule.ActionLog()
    assert log.add_minutes(M1) == 3
    path = tmp_path / "m2.json"
    path.write_text(json.dumps(M2), encoding="utf-8")
    assert log.add_minutes(path) == 2
    log.set_status("A3", "done", "2026-03-30")
    return log


def test_overdue_and_chase_list_as_tables(tmp_path: pathlib.Path) -> None:
    log = two_meetings(tmp_path)
    # On Friday 10 April: A1 (due 27 March) is 14 days overdue, A2 and A5 (due 31 March) 10
    # days each (then by id), A4 (due 2 April) 8 days; A3 is done.
    late = log.overdue(dt.date(2026, 4, 10))
    assert isinstance(late, pa.Table)
    assert late.column_names == ["id", "patient_ref", "description", "owner", "due",
                                 "days_overdue", "raised_at", "raised_on"]
    assert late.schema.field("due").type == pa.date32()
    assert late.schema.field("days_overdue").type == pa.int32()
    assert late.to_pylist()[0] == {
        "id": "A1", "patient_ref": "CASE-0102", "description": "Send falls referral",
        "owner": "p2", "due": dt.date(2026, 3, 27), "days_overdue": 14, "raised_at": "m1",
        "raised_on": dt.date(2026, 3, 24),
    }
    assert list(zip(late["id"].to_pylist(), late["days_overdue"].to_pylist())) == [
        ("A1", 14), ("A2", 10), ("A5", 10), ("A4", 8)]
    # By owner: p2 (A1 14, A5 10), p4 (A2 10), p1 (A4 8).
    chase = log.chase_list("2026-04-10")
    assert chase.column_names[0] == "owner"
    assert list(zip(chase["owner"].to_pylist(), chase["id"].to_pylist())) == [
        ("p2", "A1"), ("p2", "A5"), ("p4", "A2"), ("p1", "A4")]
    # Due on the day asked about is not overdue; an empty table keeps its schema.
    empty = log.overdue("2026-03-27")
    assert empty.num_rows == 0 and empty.schema == late.schema
    # Cancelling takes an action off the list.
    log.set_status("A1", "cancelled", dt.date(2026, 3, 28))
    assert log.overdue("2026-04-10")["id"].to_pylist() == ["A2", "A5", "A4"]
    log.set_status("A1", "open")
    assert log.overdue("2026-04-10").num_rows == 4


def test_log_tables_and_json_round_trip(tmp_path: pathlib.Path) -> None:
    log = two_meetings(tmp_path)
    assert len(log) == 5 and repr(log) == "<ActionLog: 5 actions>"
    assert log.to_markdown() == LOG_MARKDOWN
    assert ("<tr><td>A2</td><td>CASE-0103</td><td>Book OT | home visit</td><td>p4</td>"
            "<td>2026-03-31</td><td>open</td><td>m1 (2026-03-24)</td></tr>") in log.to_html()
    text = log.to_json()
    assert ('{"id":"A3","patient_ref":null,"description":"Book large room","owner":"p4",'
            '"due":"2026-04-07","status":"done","completed":"2026-03-30"') in text
    back = schedule.ActionLog.from_json(text)
    assert back.to_json() == text
    path = tmp_path / "log.json"
    path.write_text(text, encoding="utf-8")
    assert schedule.ActionLog.from_json(path).to_markdown() == LOG_MARKDOWN


def test_minutes_accept_dates_and_datetimes() -> None:
    m = copy.deepcopy(M2)
    m["meeting"]["start"] = dt.datetime(2026, 3, 31, 14)
    m["actions"][0]["due"] = dt.date(2026, 4, 2)
    m["actions"][0]["raised_on"] = dt.date(2026, 3, 31)
    log = schedule.ActionLog()
    assert log.add_minutes(m) == 2
    assert log.overdue("2026-04-03")["id"].to_pylist() == ["A5", "A4"]
    assert schedule.ActionLog().add_minutes(json.dumps(M2)) == 2


def test_action_log_errors(tmp_path: pathlib.Path) -> None:
    log = two_meetings(tmp_path)
    before = log.to_json()
    with pytest.raises(UnknownActionError) as e:
        log.set_status("A9", "open")
    assert (e.value.code, e.value.argument, str(e.value)) == (
        "unknown_action", "action_id", "id: no action with this id in the log")
    # A4 was raised on 31 March.
    with pytest.raises(ActionDateError) as e2:
        log.set_status("A4", "done", "2026-03-30")
    assert str(e2.value) == "status: completed before the action was raised"
    with pytest.raises(MissingFieldError):
        log.set_status("A4", "done")
    with pytest.raises(InvalidFieldError) as e3:
        log.set_status("A4", "closed")
    assert e3.value.argument == "status"
    with pytest.raises(InvalidTimeError):
        log.set_status("A4", "done", "30/03/2026")
    # An NHS number in a description: refused, and none of the minutes is added.
    bad = copy.deepcopy(M2)
    bad["meeting"]["id"] = "m3"
    for i, a in enumerate(bad["actions"]):
        a["id"], a["raised_at"] = f"A{6 + i}", "m3"
    bad["actions"][1]["description"] = "Ring about 943 476 5919"
    with pytest.raises(IdentifierNotAllowedError) as e4:
        log.add_minutes(bad)
    assert (e4.value.code, e4.value.path, e4.value.argument) == (
        "identifier_not_allowed", "actions[1].description", "minutes")
    assert "5919" not in str(e4.value)
    with pytest.raises(DuplicateEntryError) as e5:
        log.add_minutes(M2)
    assert str(e5.value) == "actions[0].id: duplicate action id"
    with pytest.raises(InvalidJsonError) as e6:
        log.add_minutes('{"meeting": ')
    assert str(e6.value).startswith("invalid JSON at line 1, column 13: ")
    assert e6.value.argument == "minutes"
    with pytest.raises(MissingFieldError) as e7:
        log.add_minutes({"attendees": []})
    assert e7.value.path == "meeting"
    with pytest.raises(InvalidTimeError) as e8:
        bad_due = copy.deepcopy(M1)
        bad_due["actions"][0]["due"] = "27/03/2026"
        schedule.ActionLog().add_minutes(bad_due)
    assert e8.value.path == "actions[0].due"
    with pytest.raises(ScheduleError) as e9:
        schedule.ActionLog.from_json('{"actions": [{"id": "A1"}]}')
    assert (e9.value.path, e9.value.argument) == ("actions[0]", "text")
    with pytest.raises(InvalidJsonError):
        schedule.ActionLog.from_json("{")
    assert log.to_json() == before


# --------------------------------------------------------------------------------------
# Candidate slots and the availability email.
# --------------------------------------------------------------------------------------

# Worked by hand (weeks of 23 and 30 March 2026): p2 works Tuesday to Thursday; p1 is busy
# on Tuesday until 12:00; p3 (preferred) is on leave on Wednesday; rm1 is closed on
# Thursday until 10:00; the meeting needs a physical room and must end by Friday 27 March.
AVAIL: Dict[str, Any] = {
    "schema": "carecoord.schedule.v1",
    "horizon": {"start": "2026-03-23", "days": 14, "bank_holidays": ["2026-04-03"]},
    "people": [
        {"id": "p1", "busy": [{"start": "2026-03-24T08:00", "end": "2026-03-24T12:00"}]},
        {"id": "p2", "working_days": ["Tue", "Wed", "Thu"]},
        {"id": "p3", "busy": [{"start": "2026-03-25T00:00", "end": "2026-03-26T00:00"}]},
    ],
    "rooms": [
        {"id": "rm1", "name": "Practice meeting room", "capacity": 3, "virtual": False,
         "unavailable": [{"start": "2026-03-26T08:00", "end": "2026-03-26T10:00"}]},
        {"id": "virt", "name": "Video call", "virtual": True},
    ],
    "meetings": [{"id": "m1", "title": "Frailty MDT", "duration_minutes": 60,
                  "required": ["p1", "p2"], "preferred": ["p3"], "rooms": "any",
                  "needs_physical": True, "latest": "2026-03-27T18:00"}],
}
SLOTS = [
    {"start": "2026-03-24T12:00", "end": "2026-03-24T13:00", "room": "rm1", "preferred_unavailable": []},
    {"start": "2026-03-25T08:00", "end": "2026-03-25T09:00", "room": "rm1", "preferred_unavailable": ["p3"]},
    {"start": "2026-03-26T10:00", "end": "2026-03-26T11:00", "room": "rm1", "preferred_unavailable": []},
]
BODY = """\
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
"""


def test_candidate_slots() -> None:
    assert schedule.candidate_slots(AVAIL, "m1") == SLOTS
    # Two: the Wednesday p3 cannot make is dropped.
    assert schedule.candidate_slots(AVAIL, "m1", max_slots=2) == [SLOTS[0], SLOTS[2]]
    # Into BST without the meeting's own `latest`: Tuesday 31 March at 08:00 local.
    open_ended = copy.deepcopy(AVAIL)
    del open_ended["meetings"][0]["latest"]
    assert schedule.candidate_slots(open_ended, "m1", max_slots=1,
                                    window=("2026-03-30T00:00", None)) == [
        {"start": "2026-03-31T08:00", "end": "2026-03-31T09:00", "room": "rm1", "preferred_unavailable": []}]
    with pytest.raises(InvalidQueryError) as e:
        schedule.candidate_slots(AVAIL, "m1", max_slots=0)
    assert (str(e.value), e.value.argument) == ("query argument `max_slots`: must be positive", "max_slots")
    with pytest.raises(InvalidQueryError) as e:
        schedule.candidate_slots(AVAIL, "m9")
    assert e.value.argument == "meeting_id"


def test_availability_email() -> None:
    email = schedule.availability_email(AVAIL, "m1", reply_by=dt.date(2026, 3, 23))
    assert email == {"subject": "Availability request: Frailty MDT (reply by Mon 23 Mar 2026)",
                     "body": BODY}
    # The same slots given explicitly give the same email.
    assert schedule.availability_email(AVAIL, "m1", SLOTS, reply_by="2026-03-23") == email
    custom = schedule.availability_email(AVAIL, "m1", SLOTS[:1], reply_by="2026-03-20",
                                         greeting="Dear ILR team,", sign_off="ILR coordinator")
    assert custom["body"].startswith("Dear ILR team,\n\n")
    assert custom["body"].endswith("Thank you,\nILR coordinator\n")
    assert "\n1. Tue 24 Mar 2026, 12:00-13:00, Practice meeting room\n\nAll times" in custom["body"]
    for secret in ("p1", "p2", "p3"):
        assert secret not in email["body"]
    with pytest.raises(InvalidFieldError) as e:
        schedule.availability_email(AVAIL, "m1", reply_by="2026-03-24")
    assert (str(e.value), e.value.argument) == (
        "options.reply_by: must be before the date of the first option", "reply_by")
    with pytest.raises(InvalidQueryError) as e2:
        schedule.availability_email(AVAIL, "m1", [], reply_by="2026-03-20")
    assert e2.value.argument == "slots"
    with pytest.raises(InvalidTimeError) as e3:
        schedule.availability_email(AVAIL, "m1", [{"start": "noon", "end": "2026-03-24T13:00"}],
                                    reply_by="2026-03-20")
    assert e3.value.path == "slots[0].start"
    with pytest.raises(InvalidTimeError):
        schedule.availability_email(AVAIL, "m1", reply_by="23 March")
