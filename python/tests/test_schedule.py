"""carecoord.schedule: the shared examples solved and checked by the reference evaluator,
dict/str/Path round trips, previous plans, options, the diary queries and the error classes.

The objective vectors are the ones the Rust core gets on the shared examples
(``core/src/schedule/tests.rs``); the reference evaluator ``shared/tools/schedule-eval`` is
run on every solution, with this interpreter (it needs python-dateutil). The diary answers
were worked out by hand (comments at each check); the C tests (``tests/c/test_schedule.c``)
check the same ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import pathlib
import pickle
import subprocess
import sys
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

import pytest

from carecoord import errors, schedule
from carecoord.errors import (
    DuplicateIdError,
    InvalidFieldError,
    InvalidInputError,
    InvalidJsonError,
    InvalidQueryError,
    InvalidRruleError,
    InvalidTimeError,
    MissingFieldError,
    PinnedInfeasibleError,
    ScheduleError,
    UnknownIdError,
    UnsupportedRruleError,
)

SHARED = pathlib.Path(__file__).resolve().parents[2].parent / "shared"
EXAMPLES = SHARED / "examples" / "schedule"
EVALUATOR = SHARED / "tools" / "schedule-eval"

#: Objective vectors the Rust core reaches with the default options (and the reference
#: evaluator confirms): [hard violations, -priority placed, moved, preferred conflicts,
#: start grain sum].
OBJECTIVES = {
    "tiny.json": [0, -16, 0, 0, 1856],
    "S1-seed1.json": [0, -379, 0, 25, 59573],
    "S2-seed1.json": [0, -475, 8, 37, 65049],
    "S3-seed1.json": [0, -642, 0, 33, 1789503],
}


def example(name: str) -> pathlib.Path:
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared folder sits beside the project)")
    return path


def reference_eval(instance: pathlib.Path, solution: Dict[str, Any], tmp: pathlib.Path) -> Dict[str, Any]:
    """Run ``schedule-eval INSTANCE SOLUTION --json`` on a solution."""
    if not EVALUATOR.is_file():
        pytest.skip(f"{EVALUATOR} not found")
    pytest.importorskip("dateutil", reason="the reference evaluator needs python-dateutil")
    path = tmp / "solution.json"
    path.write_text(json.dumps(solution), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(EVALUATOR), str(instance), str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    result: Dict[str, Any] = json.loads(run.stdout)
    return result


def tiny() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(example("tiny.json").read_text(encoding="utf-8"))
    return loaded


# --------------------------------------------------------------------------------------
# The shared examples, checked by the reference evaluator.
# --------------------------------------------------------------------------------------

#: The keys of `schedule-eval --json` that `evaluate` also returns (all but the free-text
#: `detail` of violations).
SHARED_KEYS = [
    "schema",
    "instance",
    "feasible",
    "hard_violations",
    "meetings_total",
    "meetings_placed",
    "priority_placed",
    "priority_total",
    "preferred_conflicts",
    "moved",
    "start_grain_sum",
    "series_occurrences",
    "series_conflicts_expected",
    "objective",
    "preferred_conflict_pairs",
    "moved_meetings",
]


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_examples_are_solved_feasibly(name: str, tmp_path: pathlib.Path) -> None:
    path = example(name)
    solution = schedule.solve(path)
    ref = reference_eval(path, solution, tmp_path)
    assert ref["hard_violations"] == 0, ref["violations"]
    assert ref["warnings"] == []
    assert ref["objective"] == OBJECTIVES[name]
    ours = schedule.evaluate(path, solution)
    assert {k: ours[k] for k in SHARED_KEYS} == {k: ref[k] for k in SHARED_KEYS}
    assert ours["violations"] == [] and ours["warnings"] == []


def test_evaluate_reports_the_reference_violations(tmp_path: pathlib.Path) -> None:
    # tiny's reference solution with m1 moved into p1's Tuesday clinic (09:00-12:00) and m2
    # dropped: person_busy for m1, missing_meeting for m2.
    path = example("tiny.json")
    broken = json.loads((EXAMPLES / "tiny.solution.json").read_text(encoding="utf-8"))
    broken["assignments"][0]["start"] = "2026-03-24T09:00"
    broken["assignments"] = [a for a in broken["assignments"] if a["meeting"] != "m2"]
    ref = reference_eval(path, broken, tmp_path)
    ours = schedule.evaluate(path, broken)
    assert ours["feasible"] is False
    assert {k: ours[k] for k in SHARED_KEYS} == {k: ref[k] for k in SHARED_KEYS}

    def codes(vs: List[Dict[str, Any]]) -> List[Tuple[str, List[str]]]:
        return sorted((v["code"], v["ids"]) for v in vs)

    assert codes(ours["violations"]) == codes(ref["violations"])
    assert ("person_busy", ["m1", "p1"]) in codes(ours["violations"])
    assert ("missing_meeting", ["m2"]) in codes(ours["violations"])
    assert codes(ours["warnings"]) == codes(ref["warnings"])


def test_tiny_solution_in_detail() -> None:
    sol = schedule.solve(tiny())
    assert sol["schema"] == "carecoord.schedule.v1"
    assert sol["instance"] == "tiny"
    starts = {a["meeting"]: (a["start"], a["room"]) for a in sol["assignments"]}
    # m1 stays where tiny's previous plan has it; m4 is pinned.
    assert starts["m1"] == ("2026-03-24T14:00", "rm1")
    assert starts["m4"] == ("2026-03-31T10:00", "rm1")
    assert sol["unplaced"] == [
        {"meeting": "m3", "reason": "no_common_free_slot", "conflicts": ["p2", "p5"]}
    ]
    reference = json.loads((EXAMPLES / "tiny.solution.json").read_text(encoding="utf-8"))
    assert sol["series_conflicts"] == reference["series_conflicts"]
    assert schedule.series_conflicts(tiny()) == reference["series_conflicts"]


# --------------------------------------------------------------------------------------
# Documents as dict, str and Path; previous plans; options.
# --------------------------------------------------------------------------------------


def test_solve_returns_the_kind_it_was_given() -> None:
    path = example("tiny.json")
    text = path.read_text(encoding="utf-8")
    from_dict = schedule.solve(json.loads(text))
    from_text = schedule.solve(text)
    from_path = schedule.solve(path)
    assert isinstance(from_dict, dict) and isinstance(from_path, dict)
    assert isinstance(from_text, str)
    assert json.loads(from_text) == from_dict == from_path
    # Every kind is accepted by evaluate, and a solution dict round-trips through JSON.
    for instance in (text, path, json.loads(text)):
        for solution in (from_text, from_dict):
            assert schedule.evaluate(instance, solution)["objective"] == OBJECTIVES["tiny.json"]


def test_solve_rejects_other_kinds() -> None:
    with pytest.raises(TypeError, match="instance must be a dict"):
        schedule.solve([1, 2])  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="previous must be a dict"):
        schedule.solve(tiny(), previous=3)  # type: ignore[call-overload]
    with pytest.raises(FileNotFoundError):
        schedule.solve(pathlib.Path("no-such-instance.json"))


def test_previous_replaces_the_instance_plan(tmp_path: pathlib.Path) -> None:
    # Monday 30 March 10:00 in rm1 is feasible for m1 (p1, p2, p4 free, rm1 free), so the
    # re-plan keeps it there: fewest moves come before the preferred p3 (on leave that day).
    previous = {"assignments": [{"meeting": "m1", "start": "2026-03-30T10:00", "room": "rm1"}]}
    prev_path = tmp_path / "previous.json"
    prev_path.write_text(json.dumps(previous), encoding="utf-8")
    for given in (previous, json.dumps(previous), prev_path):
        sol = schedule.solve(tiny(), previous=given)
        m1 = next(a for a in sol["assignments"] if a["meeting"] == "m1")
        assert (m1["start"], m1["room"]) == ("2026-03-30T10:00", "rm1")
    # Scored against tiny's own previous plan (m1 on 24 March), m1 has moved and p3 misses it.
    scored = schedule.evaluate(tiny(), sol)
    assert (scored["moved"], scored["preferred_conflicts"]) == (1, 1)
    assert scored["moved_meetings"] == ["m1"]
    assert scored["preferred_conflict_pairs"] == [{"meeting": "m1", "person": "p3", "why": ["person_busy"]}]
    # The same plan as an instance's own previous gives the same solution.
    with_previous = {**tiny(), "previous": previous}
    assert schedule.solve(with_previous) == sol


def test_options() -> None:
    inst = tiny()
    default = schedule.solve(inst)
    # The search stops on its own long before any of these limits on tiny.
    assert schedule.solve(inst, time_limit=None) == default
    assert schedule.solve(inst, None, 5.0) == default
    assert schedule.solve(inst, time_limit=math.inf) == default
    assert schedule.solve(inst, time_limit=3) == default
    assert schedule.solve(inst, seed=0) == default
    assert schedule.evaluate(inst, schedule.solve(inst, seed=12345))["objective"] == OBJECTIVES["tiny.json"]
    for bad in (-1.0, math.nan):
        with pytest.raises(ValueError, match="time_limit"):
            schedule.solve(inst, time_limit=bad)
    with pytest.raises(TypeError, match="time_limit"):
        schedule.solve(inst, time_limit="1")  # type: ignore[call-overload]
    for bad_seed in (-1, 2**64):
        with pytest.raises(ValueError, match="seed"):
            schedule.solve(inst, seed=bad_seed)


def test_same_input_and_seed_give_the_same_plan_across_threads() -> None:
    path = example("S1-seed1.json")
    text = path.read_text(encoding="utf-8")
    results: List[Optional[str]] = [None] * 3

    def work(i: int) -> None:
        results[i] = schedule.solve(text, seed=7)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] is not None and results[0] == results[1] == results[2]


# --------------------------------------------------------------------------------------
# Diary queries (hand-checked).
# --------------------------------------------------------------------------------------

#: Monday 23 to Friday 27 March 2026, 08:00-18:00: p1 works every day and has a weekly
#: Monday 09:00-09:30 series s1; p2 is busy Tuesday 08:00-11:00; p3 works on Tuesdays only;
#: rm1 is a physical room for two; m1 is a one-hour meeting for p1.
DIARY: Dict[str, Any] = {
    "schema": "carecoord.schedule.v1",
    "name": "diary",
    "horizon": {"start": "2026-03-23", "days": 5},
    "people": [
        {"id": "p1"},
        {"id": "p2", "busy": [{"start": "2026-03-24T08:00", "end": "2026-03-24T11:00"}]},
        {"id": "p3", "working_days": ["Tue"]},
    ],
    "rooms": [{"id": "rm1", "capacity": 2, "virtual": False}],
    "series": [
        {
            "id": "s1",
            "rrule": "FREQ=WEEKLY;BYDAY=MO",
            "dtstart": "2026-03-23T09:00",
            "duration_minutes": 30,
            "attendees": ["p1"],
            "room": None,
        }
    ],
    "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1"], "rooms": "any"}],
}


def slot(start: str, end: str, room: Optional[str] = None, missing: Tuple[str, ...] = ()) -> Dict[str, Any]:
    return {"start": start, "end": end, "room": room, "preferred_unavailable": list(missing)}


def test_earliest_common_slot() -> None:
    d = schedule.Diary(DIARY)
    # p1 alone: Monday 08:00-09:00 ends as s1 begins.
    assert d.earliest_common_slot(["p1"], 60) == slot("2026-03-23T08:00", "2026-03-23T09:00")
    # From Tuesday 08:00 with p2 preferred and a physical room: p2 is busy until 11:00.
    got = d.earliest_common_slot(
        ["p1"], 60, preferred=["p2"], earliest="2026-03-24T08:00", needs_physical=True
    )
    assert got == slot("2026-03-24T11:00", "2026-03-24T12:00", "rm1")
    # A naive datetime works as well as a string.
    same = d.earliest_common_slot(
        ["p1"], 60, preferred=["p2"], earliest=dt.datetime(2026, 3, 24, 8), rooms="any"
    )
    assert same == got
    # When every slot leaves p2 out, the earliest one says so.
    early = d.earliest_common_slot(
        ["p1"], 60, preferred=["p2"], earliest="2026-03-24T08:00", latest="2026-03-24T10:00"
    )
    assert early == slot("2026-03-24T08:00", "2026-03-24T09:00", None, ("p2",))
    # Three people do not fit in rm1 (two seats); p2 has no free hour before 09:00.
    assert d.earliest_common_slot(["p1", "p2", "p3"], 60, rooms=["rm1"]) is None
    assert (
        d.earliest_common_slot(["p2"], 60, earliest="2026-03-24T08:00", latest="2026-03-24T09:00")
        is None
    )


def test_free_slots() -> None:
    d = schedule.Diary(DIARY)
    # p2 on Tuesday, ending by 13:00: 11:00, 11:15, 11:30, 11:45 and 12:00.
    got = d.free_slots(["p2"], 60, earliest="2026-03-24T08:00", latest="2026-03-24T13:00")
    assert [s["start"][11:] for s in got] == ["11:00", "11:15", "11:30", "11:45", "12:00"]
    assert got[-1] == slot("2026-03-24T12:00", "2026-03-24T13:00")
    # p1 and p3 share Tuesday only: 08:00-17:00 starts for an hour, 37 quarter hours.
    tuesday = d.free_slots(["p1", "p3"], 60)
    assert len(tuesday) == 37
    assert {s["start"][:10] for s in tuesday} == {"2026-03-24"}
    assert d.free_slots(["p1", "p2", "p3"], 60, rooms=["rm1"]) == []


def test_who_blocks() -> None:
    d = schedule.Diary(DIARY)
    # Monday 09:15-10:00: p1 is in s1 until 09:30 and p3 does not work on Mondays.
    assert d.who_blocks(["p1", "p3"], "2026-03-23T09:15", "2026-03-23T10:00") == ["p1", "p3", "s1"]
    # Tuesday 10:00-11:00 in rm1 for three: p2 is busy and rm1 seats two.
    assert d.who_blocks(
        ["p1", "p2", "p3"], dt.datetime(2026, 3, 24, 10), dt.datetime(2026, 3, 24, 11), room="rm1"
    ) == ["p2", "rm1"]
    assert d.who_blocks(["p1"], "2026-03-24T10:00", "2026-03-24T11:00") == []


def test_diary_with_a_plan() -> None:
    # m1 placed Monday 08:00-09:00 in rm1 blocks p1 and rm1 until then; s1 until 09:30.
    plan = {"assignments": [{"meeting": "m1", "start": "2026-03-23T08:00", "room": "rm1"}]}
    d = schedule.Diary(DIARY, plan)
    got = d.earliest_common_slot(["p1"], 60)
    assert got is not None and got["start"] == "2026-03-23T09:30"
    assert d.who_blocks(["p1"], "2026-03-23T08:30", "2026-03-23T09:15", room="rm1") == [
        "p1",
        "rm1",
        "s1",
        "m1",
    ]


# --------------------------------------------------------------------------------------
# Errors: class, code, JSON path, argument; no document values in messages.
# --------------------------------------------------------------------------------------


def mini(**extra: Any) -> Dict[str, Any]:
    inst: Dict[str, Any] = {
        "schema": "carecoord.schedule.v1",
        "horizon": {"start": "2026-03-23", "days": 5},
        "people": [{"id": "p1"}],
        "rooms": [{"id": "virt", "virtual": True}],
    }
    inst.update(extra)
    return inst


def series(rrule: str) -> Dict[str, Any]:
    return {
        "id": "s1",
        "rrule": rrule,
        "dtstart": "2026-03-23T09:00",
        "duration_minutes": 30,
        "attendees": ["p1"],
    }


BAD_TIME = {"assignments": [{"meeting": "m1", "start": "soon", "room": "virt"}]}

# (call, class, code, path, argument, text the message must contain)
ERROR_CASES: List[Tuple[Callable[[], object], Type[ScheduleError], str, Optional[str], Optional[str], str]] = [
    (
        lambda: schedule.solve('{"schema": '),
        InvalidJsonError,
        "invalid_json",
        None,
        "instance",
        "invalid JSON at line 1, column 11",
    ),
    (
        lambda: schedule.solve({"schema": "carecoord.schedule.v1"}),
        MissingFieldError,
        "missing_field",
        "horizon",
        "instance",
        "horizon: required field is missing",
    ),
    (
        lambda: schedule.series_conflicts(mini(rooms={})),
        InvalidFieldError,
        "invalid_field",
        "rooms",
        "instance",
        "rooms: expected an array",
    ),
    (
        lambda: schedule.solve(mini(meetings=[{"id": "p1", "duration_minutes": 30, "required": []}])),
        DuplicateIdError,
        "duplicate_id",
        "meetings[0].id",
        "instance",
        "meetings[0].id: duplicate id",
    ),
    (
        lambda: schedule.solve(
            mini(meetings=[{"id": "m1", "duration_minutes": 30, "required": ["p1", "Jane Doe"]}])
        ),
        UnknownIdError,
        "unknown_id",
        "meetings[0].required[1]",
        "instance",
        "meetings[0].required[1]: unknown person id",
    ),
    (
        lambda: schedule.Diary(mini(people=[{"id": "p1", "busy": [{"start": "2026-03-23", "end": "2026-03-24"}]}])),
        InvalidTimeError,
        "invalid_time",
        "people[0].busy[0].start",
        "instance",
        "people[0].busy[0].start:",
    ),
    (
        lambda: schedule.series_conflicts(mini(series=[series("FREQ=WEEKLY;INTERVAL=0")])),
        InvalidRruleError,
        "invalid_rrule",
        "series[0].rrule",
        "instance",
        "series[0].rrule: invalid RRULE",
    ),
    (
        lambda: schedule.series_conflicts(mini(series=[series("FREQ=HOURLY")])),
        UnsupportedRruleError,
        "unsupported_rrule",
        "series[0].rrule",
        "instance",
        "RRULE part `FREQ=HOURLY` is not supported",
    ),
    (
        lambda: schedule.solve(
            mini(
                people=[{"id": "p1", "busy": [{"start": "2026-03-23T08:00", "end": "2026-03-23T12:00"}]}],
                meetings=[
                    {
                        "id": "m1",
                        "duration_minutes": 60,
                        "required": ["p1"],
                        "pinned": {"start": "2026-03-23T09:00", "room": "virt"},
                    }
                ],
            )
        ),
        PinnedInfeasibleError,
        "pinned_infeasible",
        "meetings[0].pinned",
        "instance",
        "pinned slot breaks hard rule `person_busy`",
    ),
    (
        lambda: schedule.solve(mini(), previous=BAD_TIME),
        InvalidTimeError,
        "invalid_time",
        "assignments[0].start",
        "previous",
        "assignments[0].start: expected a local date-time",
    ),
    (
        lambda: schedule.evaluate(mini(), {"assignments": 3}),
        InvalidFieldError,
        "invalid_field",
        "assignments",
        "solution",
        "assignments: expected an array",
    ),
    (
        lambda: schedule.Diary(
            mini(meetings=[{"id": "m1", "duration_minutes": 30, "required": ["p1"]}]),
            {"assignments": [{"meeting": "m1", "start": "2026-03-23T09:00", "room": "Room of Jane Doe"}]},
        ),
        UnknownIdError,
        "unknown_id",
        "assignments[0].room",
        "solution",
        "assignments[0].room: unknown room id",
    ),
    (
        lambda: schedule.Diary(mini()).earliest_common_slot(["p1", "Jane Doe"], 30),
        InvalidQueryError,
        "invalid_query",
        None,
        "people",
        "query argument `people`: item 1 is not a person of the instance",
    ),
    (
        lambda: schedule.Diary(mini()).free_slots(["p1"], 0),
        InvalidQueryError,
        "invalid_query",
        None,
        "duration_minutes",
        "query argument `duration_minutes`: must be positive",
    ),
    (
        lambda: schedule.Diary(mini()).free_slots(["p1"], 30, rooms=["rm9"]),
        InvalidQueryError,
        "invalid_query",
        None,
        "rooms",
        "query argument `rooms`: item 0 is not a room of the instance",
    ),
    (
        lambda: schedule.Diary(mini()).earliest_common_slot(["p1"], 30, earliest="next week"),
        InvalidQueryError,
        "invalid_query",
        None,
        "earliest",
        "query argument `earliest`: expected a local date-time",
    ),
    (
        lambda: schedule.Diary(mini()).who_blocks(
            ["p1"], dt.datetime(2026, 3, 23, 10, tzinfo=dt.timezone.utc), "2026-03-23T11:00"
        ),
        InvalidQueryError,
        "invalid_query",
        None,
        "start",
        "query argument `start`: expected a local date-time",
    ),
    (
        lambda: schedule.Diary(mini()).who_blocks(["p1"], "2026-03-23T10:00", "2026-03-23T09:00"),
        InvalidQueryError,
        "invalid_query",
        None,
        "slot",
        "query argument `slot`: must end after it starts",
    ),
]


@pytest.mark.parametrize(("call", "cls", "code", "path", "argument", "text"), ERROR_CASES)
def test_errors_arrive_as_their_class(
    call: Callable[[], object],
    cls: Type[ScheduleError],
    code: str,
    path: Optional[str],
    argument: Optional[str],
    text: str,
) -> None:
    with pytest.raises(cls) as info:
        call()
    e = info.value
    assert type(e) is cls
    assert (e.code, e.path, e.argument) == (code, path, argument)
    assert text in str(e)
    assert "Jane" not in " ".join([str(e), repr(e), *map(str, e.args)])
    assert isinstance(e, ScheduleError) and isinstance(e, InvalidInputError)
    assert isinstance(e, ValueError)


def test_every_schedule_class_is_exported_and_pickles() -> None:
    classes = [
        getattr(errors, n)
        for n in errors.__all__
        if isinstance(getattr(errors, n), type) and issubclass(getattr(errors, n), ScheduleError)
    ]
    # The base and one class per variant of the core's ScheduleError.
    assert len(classes) == 15
    for cls in classes:
        e = cls("p: some rule broken", "some_code", "meetings[0]", "instance")
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is cls
        assert (str(back), back.code, back.path, back.argument) == (
            "p: some rule broken",
            "some_code",
            "meetings[0]",
            "instance",
        )
    assert ScheduleError("x").path is None and ScheduleError("x").argument is None


def test_bad_rooms_and_people_arguments() -> None:
    d = schedule.Diary(mini())
    with pytest.raises(ValueError, match='rooms must be "any"'):
        d.free_slots(["p1"], 30, rooms="some")
    with pytest.raises(TypeError, match="sequence of ids"):
        d.free_slots("p1", 30)
    with pytest.raises(TypeError, match="sequence of ids"):
        d.free_slots(["p1"], 30, preferred="p1")


def test_a_multibyte_character_in_a_time_is_an_error_not_a_panic() -> None:
    inst = mini(people=[{"id": "p1", "busy": [{"start": "2026-03-23T09:0\u00e900", "end": "2026-03-23T10:00"}]}])
    with pytest.raises(InvalidTimeError):
        schedule.solve(inst)


def test_inputs_are_not_modified() -> None:
    inst = tiny()
    before = copy.deepcopy(inst)
    sol = schedule.solve(inst)
    schedule.evaluate(inst, sol)
    schedule.Diary(inst, sol)
    assert inst == before
