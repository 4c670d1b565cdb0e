"""carecoord.schedule.to_icalendar checked by outside libraries (issue 6).

Each plan is exported, parsed with ``icalendar.Calendar.from_ical`` and every event and
series expanded with ``recurring_ical_events.of(cal).between(horizon start, horizon end)``.
The set of (meeting or series id, local start, local end) must be exactly the occurrences
our plan and series report: the solution's assignments (ends worked out here with
``zoneinfo``, in real minutes) and ``schedule.series_occurrences``, which applies the
holiday policy. The fixtures span the clock changes of 29 March and 25 October 2026, Good
Friday skips and Easter Monday moves (S3 covers a whole year, with COUNT and UNTIL rules).
ATTENDEE roles and the TZID of every date-time are checked too.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any, Dict, List, Set, Tuple
from zoneinfo import ZoneInfo

import pytest

from carecoord import schedule

icalendar = pytest.importorskip("icalendar")
recurring_ical_events = pytest.importorskip("recurring_ical_events")

SHARED = pathlib.Path(__file__).resolve().parents[2].parent / "shared"
EXAMPLES = SHARED / "examples" / "schedule"
LONDON = ZoneInfo("Europe/London")
UTC = dt.timezone.utc

Occurrence = Tuple[str, str, str]


def example(name: str) -> Dict[str, Any]:
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared folder sits beside the project)")
    loaded: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def local_text(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M")


def plus_real_minutes(start: str, minutes: int) -> str:
    """A local start plus real minutes, as a local time (across a clock change too)."""
    aware = dt.datetime.fromisoformat(start).replace(tzinfo=LONDON)
    return local_text((aware.astimezone(UTC) + dt.timedelta(minutes=minutes)).astimezone(LONDON))


def horizon(instance: Dict[str, Any]) -> Tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(instance["horizon"]["start"])
    return start, start + dt.timedelta(days=instance["horizon"]["days"])


def expected(instance: Dict[str, Any], solution: Dict[str, Any]) -> Set[Occurrence]:
    meetings = {m["id"]: m for m in instance["meetings"]}
    out: Set[Occurrence] = set()
    for a in solution["assignments"]:
        end = plus_real_minutes(a["start"], meetings[a["meeting"]]["duration_minutes"])
        out.add((a["meeting"], a["start"], end))
    for o in schedule.series_occurrences(instance):
        out.add((o["series"], o["start"], o["end"]))
    return out


def expand(ics: str, instance: Dict[str, Any]) -> Tuple[Any, List[Occurrence]]:
    cal = icalendar.Calendar.from_ical(ics)
    first, end = horizon(instance)
    found: List[Occurrence] = []
    for ev in recurring_ical_events.of(cal).between(first, end):
        uid = str(ev["UID"])
        ident, _, domain = uid.partition("@")
        assert domain == "carecoord.invalid", uid
        start = ev["DTSTART"].dt
        stop = ev["DTEND"].dt
        assert isinstance(start, dt.datetime) and start.tzinfo is not None, uid
        found.append(
            (ident, local_text(start.astimezone(LONDON)), local_text(stop.astimezone(LONDON)))
        )
    return cal, found


def check_events(cal: Any, instance: Dict[str, Any]) -> None:
    """TZID on every date-time, and ATTENDEE roles as the instance says."""
    timezones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert timezones == ["Europe/London"]
    meetings = {m["id"]: m for m in instance["meetings"]}
    series = {s["id"]: s for s in instance.get("series", [])}
    for ev in cal.walk("VEVENT"):
        ident = str(ev["UID"]).partition("@")[0]
        for key in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if key in ev:
                assert ev[key].params["TZID"] == "Europe/London", (ident, key)
        attendees = ev.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        roles = sorted((str(a.params["CN"]), str(a.params["ROLE"])) for a in attendees)
        for a in attendees:
            assert str(a) == f"mailto:{a.params['CN']}@carecoord.invalid"
        if ident in meetings:
            m = meetings[ident]
            want = [(p, "REQ-PARTICIPANT") for p in m["required"]]
            want += [(p, "OPT-PARTICIPANT") for p in m.get("preferred", [])]
        else:
            want = [(p, "REQ-PARTICIPANT") for p in series[ident]["attendees"]]
        assert roles == sorted(want), ident


def event_lines(ics: str) -> List[str]:
    """The unfolded lines inside VEVENTs."""
    lines = ics.replace("\r\n ", "").split("\r\n")
    out, inside = [], False
    for line in lines:
        inside = (inside or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if inside:
            out.append(line)
    return out


def check(instance: Dict[str, Any], solution: Dict[str, Any]) -> Set[Occurrence]:
    ics = schedule.to_icalendar(instance, solution)
    assert ics.endswith("END:VCALENDAR\r\n")
    for line in event_lines(ics):
        if line.startswith(("DTSTART", "DTEND", "EXDATE", "RECURRENCE-ID")):
            assert line.split(":")[0].endswith(";TZID=Europe/London"), line
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n")), "lines are folded"
    cal, found = expand(ics, instance)
    assert len(found) == len(set(found)), "no occurrence twice"
    want = expected(instance, solution)
    assert set(found) == want
    check_events(cal, instance)
    return want


def test_tiny_with_its_reference_solution() -> None:
    instance = example("tiny.json")
    path = EXAMPLES / "tiny.solution.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    solution = json.loads(path.read_text(encoding="utf-8"))
    got = check(instance, solution)
    # Hand-checked: s1 (Mondays 09:00) on 23 and 30 March, the second after the clocks go
    # forward on 29 March; Easter Monday's moved to Tuesday 7 April. s2 (Fridays 14:00) on
    # 27 March, skipping Good Friday (3 April).
    assert {o for o in got if o[0] in ("s1", "s2")} == {
        ("s1", "2026-03-23T09:00", "2026-03-23T09:30"),
        ("s1", "2026-03-30T09:00", "2026-03-30T09:30"),
        ("s1", "2026-04-07T09:00", "2026-04-07T09:30"),
        ("s2", "2026-03-27T14:00", "2026-03-27T15:00"),
    }


def test_s3_solved_by_us() -> None:
    instance = example("S3-seed1.json")
    solution = schedule.solve(instance)
    got = check(instance, solution)
    starts = {o[1][:10] for o in got}
    # Both clock changes are inside the year: occurrences in the weeks around them.
    assert any("2026-03-23" <= d <= "2026-04-03" for d in starts)
    assert any("2026-10-19" <= d <= "2026-10-30" for d in starts)
    # Moved and skipped occurrences are in the check.
    occ = schedule.series_occurrences(instance)
    assert any(o["moved_from"] for o in occ)
    assert all(o[1][:10] not in instance["horizon"]["bank_holidays"] for o in got if o[0].startswith("s"))


def test_dst_weeks_and_holidays_by_hand() -> None:
    """A synthetic instance across both clock changes: a Friday 09:00 series stays at 09:00
    local (08:00 UTC in summer, 09:00 UTC in winter); a meeting on the Monday after each
    change; Good Friday skipped (with COUNT), Easter Monday moved (with UNTIL)."""
    instance = {
        "schema": "carecoord.schedule.v1",
        "name": "dst",
        "horizon": {"start": "2026-03-23", "days": 224, "bank_holidays": ["2026-04-03", "2026-04-06"]},
        "people": [{"id": "p1"}, {"id": "p2"}],
        "rooms": [{"id": "rm1", "capacity": 4, "virtual": False}],
        "series": [
            {"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=FR;COUNT=3", "dtstart": "2026-03-27T09:00",
             "duration_minutes": 60, "attendees": ["p1"], "room": None, "holiday_policy": "skip"},
            {"id": "s2", "rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260407T000000",
             "dtstart": "2026-03-23T09:00", "duration_minutes": 30, "attendees": ["p2"],
             "room": "rm1", "holiday_policy": "next_working_day"},
            {"id": "s3", "rrule": "FREQ=WEEKLY;BYDAY=FR", "dtstart": "2026-10-23T09:00",
             "duration_minutes": 60, "attendees": ["p1"], "room": None},
        ],
        "meetings": [
            {"id": "m1", "duration_minutes": 90, "required": ["p1"], "preferred": ["p2"]},
            {"id": "m2", "duration_minutes": 90, "required": ["p2"]},
        ],
    }
    plan = {"assignments": [
        {"meeting": "m1", "start": "2026-03-30T10:00", "room": "rm1"},
        {"meeting": "m2", "start": "2026-10-26T09:00", "room": "rm1"},
    ]}
    got = check(instance, plan)
    assert got == {
        ("m1", "2026-03-30T10:00", "2026-03-30T11:30"),
        ("m2", "2026-10-26T09:00", "2026-10-26T10:30"),
        # COUNT=3 counts Good Friday, which is skipped.
        ("s1", "2026-03-27T09:00", "2026-03-27T10:00"),
        ("s1", "2026-04-10T09:00", "2026-04-10T10:00"),
        ("s2", "2026-03-23T09:00", "2026-03-23T09:30"),
        ("s2", "2026-03-30T09:00", "2026-03-30T09:30"),
        # UNTIL is midnight local on 7 April: Easter Monday's occurrence (6 April) is in the
        # rule and moves to Tuesday 7 April.
        ("s2", "2026-04-07T09:00", "2026-04-07T09:30"),
        ("s3", "2026-10-23T09:00", "2026-10-23T10:00"),
        ("s3", "2026-10-30T09:00", "2026-10-30T10:00"),
    }
    ics = schedule.to_icalendar(instance, plan)
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260406T230000Z\r\n" in ics
    assert "EXDATE;TZID=Europe/London:20260403T090000\r\n" in ics
    assert "RECURRENCE-ID;TZID=Europe/London:20260406T090000\r\n" in ics
    # In UTC the occurrences before and after 25 October differ by the hour the clocks moved.
    cal = icalendar.Calendar.from_ical(ics)
    utc = sorted(
        ev["DTSTART"].dt.astimezone(UTC).strftime("%m-%dT%H:%MZ")
        for ev in recurring_ical_events.of(cal).between(dt.date(2026, 10, 1), dt.date(2026, 11, 2))
        if str(ev["UID"]).startswith("s3@")
    )
    assert utc == ["10-23T08:00Z", "10-30T09:00Z"]


def test_options_reach_the_text() -> None:
    instance = {
        "schema": "carecoord.schedule.v1",
        "horizon": {"start": "2026-03-23", "days": 5},
        "people": [{"id": "p1"}, {"id": "p2"}],
        "rooms": [{"id": "virt", "name": "Video call", "virtual": True}],
        "meetings": [{"id": "m1", "title": "MDT; north, east", "duration_minutes": 30,
                      "required": ["p1"], "preferred": ["p2"]}],
    }
    plan = {"assignments": [{"meeting": "m1", "start": "2026-03-24T09:00", "room": "virt"}]}
    ics = schedule.to_icalendar(
        instance,
        plan,
        domain="nhs.example",
        dtstamp=dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        sequence=2,
        addresses={"p1": "lead@nhs.example"},
    )
    assert "\r\nUID:m1@nhs.example\r\nDTSTAMP:20260301T090000Z\r\nSEQUENCE:2\r\n" in ics
    assert "\r\nSUMMARY:MDT\\; north\\, east\r\n" in ics
    assert "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;CN=p1:mailto:lead@nhs.example\r\n" in ics
    assert "\r\nATTENDEE;ROLE=OPT-PARTICIPANT;CN=p2:mailto:p2@nhs.example\r\n" in ics
    ev = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(ev["SUMMARY"]) == "MDT; north, east"
    assert str(ev["LOCATION"]) == "Video call"
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.to_icalendar(instance, plan, dtstamp=dt.datetime(2026, 3, 1))
    from carecoord.errors import InvalidFieldError, UnknownIdError

    with pytest.raises(InvalidFieldError) as e:
        schedule.to_icalendar(instance, plan, domain="nhs example")
    assert (e.value.path, e.value.argument) == ("options.domain", "domain")
    bad = {"assignments": [{"meeting": "m9", "start": "2026-03-24T09:00", "room": "virt"}]}
    with pytest.raises(UnknownIdError) as e2:
        schedule.to_icalendar(instance, bad)
    assert (e2.value.path, e2.value.argument) == ("assignments[0].meeting", "solution")
