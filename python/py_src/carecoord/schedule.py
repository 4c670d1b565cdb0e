"""Meeting scheduling: plan MDTs, locality reviews and discharge meetings around busy diaries.

Documents follow the ``carecoord.schedule.v1`` format (``formats/schedule-v1.md``): an
*instance* lists people with their working days and busy time, rooms, recurring series
(RFC 5545 RRULEs on ``Europe/London`` wall time, with a bank-holiday policy), the meetings
to place and optionally a previous plan; a *solution* lists the placed meetings, the
unplaced ones with a reason and the ids that block them, and the series conflicts.

Around the plan, the meeting work: :func:`agenda` packs patients into an MDT's time and
renders the agenda (Markdown or HTML, in full or per attendee); :class:`ActionLog` carries
the actions of each meeting's minutes, with the overdue and chasing lists as pyarrow
tables; :func:`candidate_slots` and :func:`availability_email` ask invitees when they can
come; :func:`to_icalendar` exports the plan and its series (RFC 5545), whose occurrences
are those of :func:`series_occurrences`.

Each function takes a document as a ``dict``, as JSON text (``str``) or as a
``pathlib.Path`` to a JSON file. :func:`solve` returns the kind it was given (``str`` in,
``str`` out; otherwise a ``dict``). Local times are ``"YYYY-MM-DDTHH:MM"`` strings, as in
the format. The compiled core parses, plans and answers with the GIL released.

Errors are :class:`carecoord.errors.ScheduleError` subclasses (``MissingFieldError``,
``UnknownIdError``, ...), each with ``code``, the JSON ``path`` and the ``argument`` at
fault. Messages never repeat a value from the document.

Examples
--------
>>> from carecoord import schedule
>>> inst = {
...     "schema": "carecoord.schedule.v1", "name": "mini",
...     "horizon": {"start": "2026-03-23", "days": 5, "bank_holidays": []},
...     "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Wed"]}],
...     "rooms": [{"id": "rm1", "capacity": 4, "virtual": False}],
...     "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1", "p2"],
...                   "rooms": "any", "needs_physical": True, "priority": 3}],
... }
>>> plan = schedule.solve(inst)
>>> plan["assignments"]
[{'meeting': 'm1', 'start': '2026-03-25T08:00', 'room': 'rm1'}]
>>> schedule.evaluate(inst, plan)["objective"]
[0, -3, 0, 0, 224]
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import math as _math
import os as _os
import pathlib as _pathlib
import re as _re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _native
from .errors import (
    InvalidFieldError,
    InvalidJsonError,
    InvalidQueryError,
    InvalidTimeError,
    MissingFieldError,
)

__all__ = [
    "solve",
    "evaluate",
    "series_conflicts",
    "series_occurrences",
    "Diary",
    "meeting_time",
    "agenda",
    "Agenda",
    "ActionLog",
    "candidate_slots",
    "availability_email",
    "to_icalendar",
    "Document",
    "LocalTime",
]

#: A ``carecoord.schedule.v1`` document: a dict, JSON text, or the path of a JSON file.
Document = Union[Mapping[str, Any], str, _os.PathLike[str]]
#: A local ``Europe/London`` wall-clock time: a naive ``datetime`` or ``"YYYY-MM-DDTHH:MM"``.
LocalTime = Union[_dt.datetime, str]


def _text(doc: Document, argument: str) -> Tuple[str, bool]:
    """The document as JSON text, and whether it was given as text."""
    if isinstance(doc, str):
        return doc, True
    if isinstance(doc, _os.PathLike):
        return _pathlib.Path(doc).read_text(encoding="utf-8"), False
    if isinstance(doc, Mapping):
        return _json.dumps(doc), False
    raise TypeError(
        f"{argument} must be a dict, JSON text (str) or a pathlib.Path, not {type(doc).__name__}"
    )


def _time_limit(time_limit: Optional[float]) -> Optional[float]:
    if time_limit is None:
        return None
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)):
        raise TypeError("time_limit must be a number of seconds or None")
    if _math.isnan(time_limit) or time_limit < 0:
        raise ValueError("time_limit must be a non-negative number of seconds, or math.inf")
    return float(time_limit)


@overload
def solve(
    instance: str,
    previous: Optional[Document] = ...,
    time_limit: Optional[float] = ...,
    *,
    seed: int = ...,
) -> str: ...


@overload
def solve(
    instance: Union[Mapping[str, Any], _os.PathLike[str]],
    previous: Optional[Document] = ...,
    time_limit: Optional[float] = ...,
    *,
    seed: int = ...,
) -> Dict[str, Any]: ...


def solve(
    instance: Document,
    previous: Optional[Document] = None,
    time_limit: Optional[float] = None,
    *,
    seed: int = 0,
) -> Union[str, Dict[str, Any]]:
    """Plan the meetings of an instance.

    Places as many meetings as the hard rules allow (format §5.1), by the lexicographic
    objective of §5.3: most priority placed, then fewest moves from the previous plan, then
    fewest preferred-attendee conflicts, then earliest starts. Pinned meetings stay put.
    Every unplaced meeting comes back with a reason and the ids that block it, and the
    series conflict report is exact (§4.1).

    Parameters
    ----------
    instance
        The instance: a dict, JSON text or a ``pathlib.Path``.
    previous
        An earlier solution (or just ``{"assignments": [...]}``) whose assignments replace
        the instance's own ``previous``; ``None`` keeps the instance's.
    time_limit
        Search budget in seconds; ``None`` for the default (1.5 s), ``math.inf`` for no
        limit. The search usually stops earlier on its own.
    seed
        Seed of the search: the same instance and seed give the same plan (unless the
        time limit cuts the search short).

    Returns
    -------
    str or dict
        The solution (format §3): JSON text when ``instance`` was text, else a dict.

    Raises
    ------
    carecoord.errors.ScheduleError
        A subclass naming the first problem in a document (``e.argument`` says which one,
        ``e.path`` where), or ``PinnedInfeasibleError`` when a pinned slot breaks a hard
        rule.
    OSError
        A ``pathlib.Path`` could not be read.

    Examples
    --------
    >>> from carecoord import schedule
    >>> text = '''{"schema": "carecoord.schedule.v1", "name": "one",
    ...   "horizon": {"start": "2026-03-23", "days": 5}, "people": [{"id": "p1"}],
    ...   "rooms": [{"id": "virt", "virtual": true}],
    ...   "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"]}]}'''
    >>> out = schedule.solve(text, time_limit=0.5, seed=1)
    >>> isinstance(out, str) and '"start": "2026-03-23T08:00"' in out
    True
    >>> moved = {"assignments": [{"meeting": "m1", "start": "2026-03-24T10:00", "room": "virt"}]}
    >>> schedule.solve(text, previous=moved).count("2026-03-24T10:00")
    1
    """
    text, as_text = _text(instance, "instance")
    previous_text = None if previous is None else _text(previous, "previous")[0]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise ValueError("seed must be an integer from 0 to 2**64 - 1")
    out = _native.schedule_solve(text, previous_text, _time_limit(time_limit), seed)
    if as_text:
        return out
    parsed: Dict[str, Any] = _json.loads(out)
    return parsed


def evaluate(instance: Document, solution: Document) -> Dict[str, Any]:
    """Check a solution against an instance and score it, as ``schedule-eval --json`` does.

    Parameters
    ----------
    instance, solution
        The documents: dicts, JSON text or ``pathlib.Path`` objects.

    Returns
    -------
    dict
        ``schema``, ``instance`` (its name), ``feasible``, ``hard_violations``,
        ``meetings_total``, ``meetings_placed``, ``priority_placed``, ``priority_total``,
        ``preferred_conflicts``, ``moved`` (``None`` without a previous plan),
        ``start_grain_sum``, ``series_occurrences``, ``series_conflicts_expected``,
        ``objective`` (``[hard violations, -priority placed, moved, preferred conflicts,
        start grain sum]``, smaller is better in order), ``violations`` and ``warnings``
        (lists of ``{"code", "ids"}``), ``preferred_conflict_pairs`` (``{"meeting",
        "person", "why"}``: the pairs counted in ``preferred_conflicts``, ``why`` the
        person's own problems and ``meeting:<id>`` for overlapping meetings that need them)
        and ``moved_meetings`` (ids, in the previous plan's order). The keys mean what they
        mean in the reference evaluator, which also prints a free-text ``detail`` per
        violation (not produced here). A broken rule is a violation, not an exception.

    Raises
    ------
    carecoord.errors.ScheduleError
        A document could not be read (``e.argument`` is ``"instance"`` or ``"solution"``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
    ...         "people": [{"id": "p1"}],
    ...         "meetings": [{"id": "m1", "duration_minutes": 30, "required": ["p1"]}]}
    >>> e = schedule.evaluate(inst, {"assignments": []})
    >>> e["feasible"], e["violations"]
    (False, [{'code': 'missing_meeting', 'ids': ['m1']}])
    """
    return _native.schedule_evaluate(_text(instance, "instance")[0], _text(solution, "solution")[0])


def series_conflicts(instance: Document) -> List[Dict[str, Any]]:
    """The series conflict report (format §4.1).

    Every series occurrence in conflict with an attendee (not working that day, or busy), its
    room (unavailable) or another series (a shared attendee, or the same physical room),
    with exactly those ids: the ``series_conflicts`` a solution must list.

    Parameters
    ----------
    instance
        The instance: a dict, JSON text or a ``pathlib.Path``.

    Returns
    -------
    list of dict
        ``{"series", "start", "conflicts"}`` sorted by start, then series.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 7},
    ...         "people": [{"id": "p1", "working_days": ["Tue"]}],
    ...         "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO",
    ...                     "dtstart": "2026-03-23T09:00", "duration_minutes": 30,
    ...                     "attendees": ["p1"], "room": None}]}
    >>> schedule.series_conflicts(inst)
    [{'series': 's1', 'start': '2026-03-23T09:00', 'conflicts': ['p1']}]
    """
    return _native.schedule_series_conflicts(_text(instance, "instance")[0])


def _local(value: Optional[LocalTime], argument: str) -> Optional[_dt.datetime]:
    """A local time argument as a naive datetime (``None`` stays ``None``)."""
    if value is None:
        return None
    return _required_local(value, argument)


def _required_local(value: object, argument: str) -> _dt.datetime:
    """A local time argument as a naive datetime."""
    parsed: Optional[_dt.datetime] = None
    if isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, _dt.datetime):
        parsed = value
    if parsed is None or parsed.tzinfo is not None:
        raise InvalidQueryError(
            f"query argument `{argument}`: expected a local date-time (a naive datetime or "
            "\"YYYY-MM-DDTHH:MM\")",
            "invalid_query",
            None,
            argument,
        )
    return parsed


def _ids(ids: Sequence[str], argument: str) -> List[str]:
    if isinstance(ids, str):
        raise TypeError(f"{argument} must be a sequence of ids, not a single string")
    return [str(i) for i in ids]


class Diary:
    """An instance compiled for fast diary questions.

    Built once (the series are expanded and everyone's busy time is indexed), then asked
    many questions in microseconds: the earliest common slot, every free slot, who blocks
    a slot. With ``solution``, the meetings it places count as busy time for their
    required people and physical rooms.

    Slots start on the instance's grain, on business days that are working days of every
    one of ``people``, inside working hours and the horizon. A room is chosen only when
    ``rooms`` is given or ``needs_physical`` is true: a virtual room if allowed, else the
    smallest that seats everyone.

    Parameters
    ----------
    instance
        The instance: a dict, JSON text or a ``pathlib.Path``.
    solution
        A plan whose placed meetings count as busy time, or ``None``.

    Examples
    --------
    >>> from carecoord.schedule import Diary
    >>> diary = Diary({"schema": "carecoord.schedule.v1",
    ...                "horizon": {"start": "2026-03-23", "days": 5},
    ...                "people": [{"id": "p1"}, {"id": "p2", "busy": [
    ...                    {"start": "2026-03-24T08:00", "end": "2026-03-24T11:00"}]}],
    ...                "rooms": [{"id": "rm1", "capacity": 2, "virtual": False}]})
    >>> diary.earliest_common_slot(["p1"], 60, preferred=["p2"],
    ...                            earliest="2026-03-24T08:00", needs_physical=True)
    {'start': '2026-03-24T11:00', 'end': '2026-03-24T12:00', 'room': 'rm1', 'preferred_unavailable': []}
    >>> diary.who_blocks(["p1", "p2"], "2026-03-24T10:30", "2026-03-24T11:30")
    ['p2']
    """

    def __init__(self, instance: Document, solution: Optional[Document] = None) -> None:
        solution_text = None if solution is None else _text(solution, "solution")[0]
        self._native: _native.Diary = _native.Diary(_text(instance, "instance")[0], solution_text)

    def earliest_common_slot(
        self,
        people: Sequence[str],
        duration_minutes: int,
        *,
        preferred: Sequence[str] = (),
        earliest: Optional[LocalTime] = None,
        latest: Optional[LocalTime] = None,
        rooms: Union[str, Sequence[str], None] = None,
        needs_physical: bool = False,
    ) -> Optional[Dict[str, Any]]:
        """The best slot where all of ``people`` are free (and a room, if asked for).

        The one leaving out the fewest ``preferred`` people, and among those the earliest
        (the order of the objective of format §5.3).

        Parameters
        ----------
        people
            Ids of the people who must all be free.
        duration_minutes
            Length of the slot, a positive integer.
        preferred
            Ids of people wanted if possible.
        earliest, latest
            The slot starts at or after ``earliest`` and ends by ``latest`` (local times).
        rooms
            ``"any"`` or a sequence of room ids to need a room; ``None`` for no room (unless
            ``needs_physical``).
        needs_physical
            Only physical rooms (with ``rooms=None``: any physical room).

        Returns
        -------
        dict or None
            ``{"start", "end", "room", "preferred_unavailable"}`` (``room`` is ``None``
            when no room was asked for), or ``None`` when there is no such slot.

        Raises
        ------
        carecoord.errors.InvalidQueryError
            An unknown person or room id, a duration of 0, or a malformed time; ``argument``
            names the argument.

        Examples
        --------
        >>> from carecoord.schedule import Diary
        >>> diary = Diary({"schema": "carecoord.schedule.v1",
        ...                "horizon": {"start": "2026-03-23", "days": 5},
        ...                "people": [{"id": "p1", "working_days": ["Wed"]}, {"id": "p2"}]})
        >>> diary.earliest_common_slot(["p1", "p2"], 60)["start"]
        '2026-03-25T08:00'
        >>> diary.earliest_common_slot(["p1"], 60, latest="2026-03-24T18:00") is None
        True
        """
        return self._native.earliest_common_slot(
            _ids(people, "people"),
            _ids(preferred, "preferred"),
            duration_minutes,
            _local(earliest, "earliest"),
            _local(latest, "latest"),
            rooms,
            needs_physical,
        )

    def free_slots(
        self,
        people: Sequence[str],
        duration_minutes: int,
        *,
        preferred: Sequence[str] = (),
        earliest: Optional[LocalTime] = None,
        latest: Optional[LocalTime] = None,
        rooms: Union[str, Sequence[str], None] = None,
        needs_physical: bool = False,
    ) -> List[Dict[str, Any]]:
        """Every slot start where all of ``people`` are free, in time order.

        Same arguments and rules as :meth:`earliest_common_slot`; each slot lists the
        preferred people it leaves out.

        Returns
        -------
        list of dict
            ``{"start", "end", "room", "preferred_unavailable"}`` per free start.

        Examples
        --------
        >>> from carecoord.schedule import Diary
        >>> diary = Diary({"schema": "carecoord.schedule.v1",
        ...                "horizon": {"start": "2026-03-23", "days": 1,
        ...                            "day_start": "09:00", "day_end": "10:00"},
        ...                "people": [{"id": "p1", "busy": [
        ...                    {"start": "2026-03-23T09:00", "end": "2026-03-23T09:20"}]}]})
        >>> [s["start"] for s in diary.free_slots(["p1"], 30)]
        ['2026-03-23T09:30']
        """
        return self._native.free_slots(
            _ids(people, "people"),
            _ids(preferred, "preferred"),
            duration_minutes,
            _local(earliest, "earliest"),
            _local(latest, "latest"),
            rooms,
            needs_physical,
        )

    def who_blocks(
        self,
        people: Sequence[str],
        start: LocalTime,
        end: LocalTime,
        *,
        room: Optional[str] = None,
    ) -> List[str]:
        """The ids that block ``people`` (and ``room``) from ``start`` to ``end``.

        People first (not working that day, busy, in a series or in a placed meeting), then
        the room (unavailable, a series, a placed meeting, or too small for ``people``), then
        the series and meetings involved. Empty when nothing blocks.

        Examples
        --------
        >>> from carecoord.schedule import Diary
        >>> diary = Diary({"schema": "carecoord.schedule.v1",
        ...                "horizon": {"start": "2026-03-23", "days": 7},
        ...                "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue"]}],
        ...                "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=MO",
        ...                            "dtstart": "2026-03-23T09:00", "duration_minutes": 30,
        ...                            "attendees": ["p1"], "room": None}]})
        >>> diary.who_blocks(["p1", "p2"], "2026-03-23T09:15", "2026-03-23T10:00")
        ['p1', 'p2', 's1']
        """
        return self._native.who_blocks(
            _ids(people, "people"),
            _required_local(start, "start"),
            _required_local(end, "end"),
            room,
        )


# --------------------------------------------------------------------------------------
# Series occurrences and meeting times.
# --------------------------------------------------------------------------------------


def series_occurrences(instance: Document) -> List[Dict[str, Any]]:
    """Every occurrence of every series inside the horizon, after the holiday policy.

    Mirrors the core's ``series_occurrences`` (format §4): an occurrence on a weekend or a
    listed bank holiday is dropped (``holiday_policy: "skip"``) or moved to the next
    business day (``"next_working_day"``); times stay on ``Europe/London`` wall time across
    clock changes. These are exactly the occurrences a calendar made by
    :func:`to_icalendar` shows between the horizon's dates.

    Parameters
    ----------
    instance
        The instance: a dict, JSON text or a ``pathlib.Path``.

    Returns
    -------
    list of dict
        ``{"series", "start", "end", "moved_from"}`` sorted by start, then series;
        ``moved_from`` is the rule's date-time of a moved occurrence, else ``None``.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1",
    ...         "horizon": {"start": "2026-03-30", "days": 14,
    ...                     "bank_holidays": ["2026-04-03", "2026-04-06"]},
    ...         "people": [{"id": "p1"}],
    ...         "series": [{"id": "s1", "rrule": "FREQ=WEEKLY;BYDAY=FR",
    ...                     "dtstart": "2026-01-02T14:00", "duration_minutes": 60,
    ...                     "attendees": ["p1"], "room": None,
    ...                     "holiday_policy": "next_working_day"}]}
    >>> schedule.series_occurrences(inst)[0]
    {'series': 's1', 'start': '2026-04-07T14:00', 'end': '2026-04-07T15:00', 'moved_from': '2026-04-03T14:00'}
    """
    return _native.schedule_series_occurrences(_text(instance, "instance")[0])


def meeting_time(instance: Document, solution: Document, meeting_id: str) -> Dict[str, Any]:
    """The meeting time of a placed meeting: what :func:`agenda` and minutes take.

    Parameters
    ----------
    instance, solution
        The documents: dicts, JSON text or ``pathlib.Path`` objects.
    meeting_id
        A meeting of the instance that the solution places.

    Returns
    -------
    dict
        ``{"id", "title", "start", "end", "room", "required", "preferred"}``; the end is
        ``duration_minutes`` real minutes after the start.

    Raises
    ------
    carecoord.errors.InvalidQueryError
        The instance has no such meeting, or the solution does not place it.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
    ...         "people": [{"id": "p1"}], "rooms": [{"id": "virt", "virtual": True}],
    ...         "meetings": [{"id": "m1", "title": "MDT", "duration_minutes": 45,
    ...                       "required": ["p1"]}]}
    >>> plan = {"assignments": [{"meeting": "m1", "start": "2026-03-25T10:00", "room": "virt"}]}
    >>> schedule.meeting_time(inst, plan, "m1")
    {'id': 'm1', 'title': 'MDT', 'start': '2026-03-25T10:00', 'end': '2026-03-25T10:45', 'room': 'virt', 'required': ['p1'], 'preferred': []}
    """
    return _native.schedule_meeting_time(
        _text(instance, "instance")[0], _text(solution, "solution")[0], _str(meeting_id, "meeting_id")
    )


# --------------------------------------------------------------------------------------
# Reading the meeting-work arguments field by field (paths as the C API names them).
# --------------------------------------------------------------------------------------

_LOCAL = _re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:00)?$")
_DATE = _re.compile(r"^\d{4}-\d{2}-\d{2}$")
_U32 = 2**32 - 1


def _str(value: object, argument: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _invalid(path: str, reason: str, argument: str) -> InvalidFieldError:
    return InvalidFieldError(f"{path or '$'}: {reason}", "invalid_field", path or "$", argument)


def _parse_local(value: object, path: str, argument: str) -> _dt.datetime:
    if isinstance(value, _dt.datetime) and value.tzinfo is None:
        return value
    if isinstance(value, str) and _LOCAL.match(value):
        try:
            return _dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidTimeError(
        f"{path}: expected a local date-time `YYYY-MM-DDTHH:MM` without offset",
        "invalid_time",
        path,
        argument,
    )


def _parse_date(value: object, path: str, argument: str) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidTimeError(
        f"{path}: expected a date (a datetime.date or \"YYYY-MM-DD\")", "invalid_time", path, argument
    )


class _Fields:
    """The fields of one JSON-like object, read with its path; ``None`` reads as absent."""

    def __init__(self, value: object, path: str, argument: str) -> None:
        if not isinstance(value, Mapping):
            raise _invalid(path, "expected an object", argument)
        self.map: Mapping[str, Any] = value
        self.path = path
        self.argument = argument

    def at(self, key: str) -> str:
        return _join(self.path, key)

    def get(self, key: str) -> Any:
        return self.map.get(key)

    def missing(self, key: str) -> MissingFieldError:
        path = self.at(key)
        return MissingFieldError(f"{path}: required field is missing", "missing_field", path, self.argument)

    def opt_string(self, key: str) -> Optional[str]:
        v = self.get(key)
        if v is None or isinstance(v, str):
            return v
        raise _invalid(self.at(key), "expected a string", self.argument)

    def string(self, key: str) -> str:
        v = self.opt_string(key)
        if v is None:
            raise self.missing(key)
        return v

    def strings(self, key: str) -> List[str]:
        out: List[str] = []
        for i, v in enumerate(self.array(key)):
            if not isinstance(v, str):
                raise _invalid(f"{self.at(key)}[{i}]", "expected a string", self.argument)
            out.append(v)
        return out

    def array(self, key: str) -> List[Any]:
        v = self.get(key)
        if v is None:
            return []
        if isinstance(v, (str, bytes, Mapping)) or not isinstance(v, Sequence):
            raise _invalid(self.at(key), "expected an array", self.argument)
        return list(v)

    def opt_int(self, key: str, high: int = _U32) -> Optional[int]:
        v = self.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= high:
            reason = "expected a non-negative integer" if high == _U32 else f"expected an integer from 0 to {high}"
            raise _invalid(self.at(key), reason, self.argument)
        return v

    def int(self, key: str) -> int:
        v = self.opt_int(key)
        if v is None:
            raise self.missing(key)
        return v

    def boolean(self, key: str) -> bool:
        v = self.get(key)
        if v is None:
            return False
        if not isinstance(v, bool):
            raise _invalid(self.at(key), "expected true or false", self.argument)
        return v

    def local(self, key: str) -> _dt.datetime:
        v = self.get(key)
        if v is None:
            raise self.missing(key)
        return _parse_local(v, self.at(key), self.argument)

    def obj(self, key: str) -> Optional["_Fields"]:
        v = self.get(key)
        return None if v is None else _Fields(v, self.at(key), self.argument)


_MeetingArg = Tuple[str, str, _dt.datetime, _dt.datetime, Optional[str], List[str], List[str]]


def _meeting_arg(value: object, path: str, argument: str) -> _MeetingArg:
    m = _Fields(value, path, argument)
    return (
        m.string("id"),
        m.opt_string("title") or "",
        m.local("start"),
        m.local("end"),
        m.opt_string("room"),
        m.strings("required"),
        m.strings("preferred"),
    )


def _item_arg(value: object, path: str) -> Tuple[Any, ...]:
    f = _Fields(value, path, "items")
    summary = f.obj("summary")
    scores: List[Tuple[str, str]] = []
    reason = ""
    problems: List[str] = []
    actions: List[str] = []
    if summary is not None:
        for k, r in enumerate(summary.array("risk_scores")):
            score = _Fields(r, f"{summary.at('risk_scores')}[{k}]", "items")
            scores.append((score.string("name"), score.string("value")))
        reason = summary.opt_string("reason") or ""
        problems = summary.strings("key_problems")
        actions = summary.strings("open_actions")
    return (
        f.string("patient_ref"),
        f.opt_string("label") or "",
        f.opt_int("risk_tier", 255),
        f.boolean("breached"),
        f.opt_int("days_since_review"),
        f.opt_int("minutes"),
        f.strings("involved"),
        reason,
        problems,
        scores,
        actions,
    )


def _document(value: Union[Document, Sequence[Any]], argument: str) -> Any:
    """A JSON-like value: text and paths are parsed, anything else is taken as it is."""
    if isinstance(value, (str, _os.PathLike)):
        text = _text(value, argument)[0]
        try:
            return _json.loads(text)
        except _json.JSONDecodeError as e:
            # json's messages are fixed phrases ("Expecting ',' delimiter"); no input text.
            raise InvalidJsonError(
                f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}",
                "invalid_json",
                None,
                argument,
            ) from None
    return value


def _json_default(value: object) -> str:
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# --------------------------------------------------------------------------------------
# Agendas.
# --------------------------------------------------------------------------------------


class Agenda:
    """A built MDT agenda: the meeting, its time slots, and the deferred patients.

    Made by :func:`agenda`. Patients appear in :attr:`entries` and :attr:`deferred` by
    their opaque case reference only; labels and summaries go into the renderings.

    Examples
    --------
    >>> from carecoord import schedule
    >>> mdt = {"id": "m1", "title": "MDT", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"}
    >>> a = schedule.agenda(mdt, [{"patient_ref": "CASE-1", "label": "AB, 84", "risk_tier": 1}])
    >>> [(e["start"][11:], e["kind"], e["title"] or e["patient_ref"]) for e in a.entries]
    [('14:00', 'fixed', 'Actions from last meeting'), ('14:10', 'patient', 'CASE-1'), ('14:20', 'fixed', 'Any other business')]
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Agenda) -> None:
        self._native = native

    @property
    def meeting(self) -> Dict[str, Any]:
        """The meeting time (``{"id", "title", "start", "end", "room", "required", "preferred"}``)."""
        return self._native.meeting

    @property
    def entries(self) -> List[Dict[str, Any]]:
        """The time slots in order: ``{"start", "end", "kind", "title", "patient_ref"}``.

        ``kind`` is ``"fixed"`` (an opening or closing item, with its ``title``) or
        ``"patient"`` (with the ``patient_ref``).
        """
        return self._native.entries

    @property
    def deferred(self) -> List[Dict[str, Any]]:
        """Patients not on the agenda, in allocation order.

        ``{"patient_ref", "reason", "needed", "left", "message"}``: ``reason`` is
        ``"not_enough_time"`` (with the minutes ``needed`` and those ``left``) or
        ``"behind_higher_priority"`` (strict order: a more urgent patient did not fit).
        """
        return self._native.deferred

    def to_markdown(self, person: Optional[str] = None) -> str:
        """The agenda as Markdown, in full or for one attendee.

        Parameters
        ----------
        person
            ``None`` for the full agenda (every label and summary, for the chair). A person
            id for that attendee's copy: labels and summaries only for patients whose
            ``involved`` list names the person; other patients by reference and time only.

        Examples
        --------
        >>> from carecoord import schedule
        >>> mdt = {"id": "m1", "title": "MDT", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"}
        >>> a = schedule.agenda(mdt, [{"patient_ref": "CASE-1", "label": "AB, 84", "involved": ["p1"]}])
        >>> print(a.to_markdown("p2").split("\\n\\n")[3].strip())
        | Time | Item |
        | --- | --- |
        | 14:00-14:10 | Actions from last meeting |
        | 14:10-14:20 | Patient CASE-1 |
        | 14:20-14:25 | Any other business |
        >>> "AB, 84" in a.to_markdown("p1")
        True
        """
        return self._native.to_markdown(None if person is None else _str(person, "person"))

    def to_html(self, person: Optional[str] = None) -> str:
        """The agenda as an HTML document (text escaped); ``person`` as for :meth:`to_markdown`.

        Examples
        --------
        >>> from carecoord import schedule
        >>> mdt = {"id": "m1", "title": "MDT <north>", "start": "2026-03-24T14:00",
        ...        "end": "2026-03-24T15:00"}
        >>> "<h1>Agenda: MDT &lt;north&gt;</h1>" in schedule.agenda(mdt, []).to_html()
        True
        """
        return self._native.to_html(None if person is None else _str(person, "person"))

    def __repr__(self) -> str:
        m = self.meeting
        return f"<Agenda {m['id']} {m['start']}: {len(self.entries)} slots, {len(self.deferred)} deferred>"


def agenda(
    meeting: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
    *,
    options: Optional[Mapping[str, Any]] = None,
) -> Agenda:
    """Build an MDT agenda: patients in order of urgency, packed into the meeting's time.

    Order: a breached deadline first, then risk tier 1 before 2 (untiered last), then the
    longest since the last review (never reviewed first), then the reference. Patients are
    packed into consecutive slots after the opening items, keeping time for the closing
    items; those who do not fit are deferred with a reason.

    Parameters
    ----------
    meeting
        A meeting time: ``{"id", "title" (optional), "start", "end", "room" (optional),
        "required", "preferred" (optional lists of person ids)}``, times local
        ``"YYYY-MM-DDTHH:MM"`` strings or naive datetimes; :func:`meeting_time` makes one
        from a plan.
    items
        Patients put forward: ``{"patient_ref"`` (an opaque local case reference, never an
        NHS number), ``"label"`` (e.g. initials and age), ``"risk_tier"`` (1 is the highest
        risk), ``"breached"``, ``"days_since_review"``, ``"minutes"`` (time needed),
        ``"involved"`` (person ids who see the summary), ``"summary": {"reason",
        "key_problems", "risk_scores": [{"name", "value"}], "open_actions"}}``; only
        ``patient_ref`` is required.
    options
        ``{"default_minutes": 10, "opening": [{"title", "minutes"}], "closing": [...],
        "backfill": False}``, each key optional. The defaults open with "Actions from last
        meeting" (10 minutes) and close with "Any other business" (5 minutes). With
        ``backfill`` false the order is strict: everyone after the first patient who does
        not fit is deferred.

    Returns
    -------
    Agenda

    Raises
    ------
    carecoord.errors.ScheduleError
        ``IdentifierNotAllowedError`` for a reference, label or summary text that looks like
        an NHS number; ``DuplicateEntryError``, ``InvalidFieldError``, ``InvalidTimeError``,
        ``MissingFieldError``. ``e.argument`` is ``"meeting"``, ``"items"`` or ``"options"``
        and ``e.path`` the field (``items[2].label``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> mdt = {"id": "m1", "title": "Frailty MDT", "start": "2026-03-24T14:00",
    ...        "end": "2026-03-24T15:00", "room": "rm1", "required": ["p1", "p2"]}
    >>> items = [
    ...     {"patient_ref": "CASE-0101", "label": "AB, 84", "risk_tier": 2, "days_since_review": 40},
    ...     {"patient_ref": "CASE-0102", "label": "CD, 77", "risk_tier": 1, "breached": True,
    ...      "minutes": 15},
    ... ]
    >>> a = schedule.agenda(mdt, items)
    >>> [(e["start"][11:], e["end"][11:], e["patient_ref"]) for e in a.entries if e["kind"] == "patient"]
    [('14:10', '14:25', 'CASE-0102'), ('14:25', '14:35', 'CASE-0101')]
    >>> tight = schedule.agenda(mdt, items, options={"opening": [],
    ...                          "closing": [{"title": "AOB", "minutes": 45}]})
    >>> tight.deferred
    [{'patient_ref': 'CASE-0101', 'reason': 'not_enough_time', 'needed': 10, 'left': 0, 'message': 'not enough time (needs 10 minutes, 0 left)'}]
    """
    held = _meeting_arg(meeting, "meeting", "meeting")
    if isinstance(items, (str, bytes, Mapping)) or not isinstance(items, Sequence):
        raise _invalid("items", "expected an array of agenda items", "items")
    rows = [_item_arg(item, f"items[{i}]") for i, item in enumerate(items)]
    o = _Fields({} if options is None else options, "options", "options")
    default_minutes = o.opt_int("default_minutes")

    def fixed(key: str) -> Optional[List[Tuple[str, int]]]:
        if o.get(key) is None:
            return None
        out = []
        for i, item in enumerate(o.array(key)):
            f = _Fields(item, f"{o.at(key)}[{i}]", "options")
            out.append((f.string("title"), f.int("minutes")))
        return out

    native = _native.Agenda(
        held,
        rows,
        10 if default_minutes is None else default_minutes,
        fixed("opening"),
        fixed("closing"),
        o.boolean("backfill"),
    )
    return Agenda(native)


# --------------------------------------------------------------------------------------
# The action log.
# --------------------------------------------------------------------------------------


class ActionLog:
    """Actions raised at meetings and carried from one to the next, with their status.

    Each action has an id (unique in the log), an optional patient reference, a
    description, an owner (person id), a due date and a status (``open``, or ``done`` /
    ``cancelled`` on a date), and the meeting that raised it. Overdue actions make the
    chasing list. Methods that change the log hold it while the core works (with the GIL
    released), so use one log from one thread at a time.

    Examples
    --------
    >>> import datetime as dt
    >>> from carecoord.schedule import ActionLog
    >>> log = ActionLog()
    >>> log.add_minutes({
    ...     "meeting": {"id": "m1", "start": "2026-03-24T14:00", "end": "2026-03-24T15:00"},
    ...     "actions": [{"id": "A1", "patient_ref": "CASE-0102", "description": "Send referral",
    ...                  "owner": "p2", "due": "2026-03-27", "status": "open",
    ...                  "raised_at": "m1", "raised_on": "2026-03-24"}]})
    1
    >>> log.overdue(dt.date(2026, 4, 1)).select(["id", "owner", "days_overdue"]).to_pylist()
    [{'id': 'A1', 'owner': 'p2', 'days_overdue': 5}]
    >>> log.set_status("A1", "done", dt.date(2026, 3, 26))
    >>> log.overdue("2026-04-01").num_rows
    0
    """

    __slots__ = ("_native",)

    def __init__(self) -> None:
        self._native: _native.ActionLog = _native.ActionLog()

    @classmethod
    def from_json(cls, text: Union[str, _os.PathLike[str]]) -> "ActionLog":
        """Read a log written by :meth:`to_json` (JSON text or a ``pathlib.Path``), checking
        every action.

        Raises
        ------
        carecoord.errors.ScheduleError
            Naming the path (``actions[2].due``), with ``e.argument == "text"``.

        Examples
        --------
        >>> from carecoord.schedule import ActionLog
        >>> len(ActionLog.from_json('{"actions": []}'))
        0
        """
        log = cls.__new__(cls)
        log._native = _native.ActionLog.from_json(_text(text, "text")[0])
        return log

    def add_minutes(self, minutes: Union[Document, Mapping[str, Any]]) -> int:
        """Add every action of a meeting's minutes, or none of them; returns how many.

        Parameters
        ----------
        minutes
            A dict, JSON text or ``pathlib.Path``: ``{"meeting": {...a meeting time, as for
            :func:`agenda`...}, "attendees": [...], "apologies": [...], "decisions":
            [{"patient_ref", "text"}], "actions": [{"id", "patient_ref", "description",
            "owner", "due", "status", "completed", "raised_at", "raised_on"}]}``; each
            action raised at this meeting on its date, dates ``"YYYY-MM-DD"`` (or
            ``datetime.date``).

        Raises
        ------
        carecoord.errors.ScheduleError
            ``DuplicateEntryError`` (an id used twice or already in the log),
            ``ActionDateError`` (due or completed before the meeting),
            ``IdentifierNotAllowedError`` (text that looks like an NHS number), ... with
            ``e.argument == "minutes"`` and the path. The log is unchanged.

        Examples
        --------
        >>> from carecoord.schedule import ActionLog
        >>> log = ActionLog()
        >>> log.add_minutes({"meeting": {"id": "m1", "start": "2026-03-24T14:00",
        ...                              "end": "2026-03-24T15:00"},
        ...                  "decisions": [{"patient_ref": None, "text": "Move to Tuesdays"}]})
        0
        """
        doc = _document(minutes, "minutes")
        f = _Fields(doc, "", "minutes")
        if f.get("meeting") is None:
            raise f.missing("meeting")
        held = _meeting_arg(f.get("meeting"), "meeting", "minutes")
        decisions = []
        for i, d in enumerate(f.array("decisions")):
            dec = _Fields(d, f"decisions[{i}]", "minutes")
            decisions.append((dec.opt_string("patient_ref"), dec.string("text")))
        actions = _json.dumps({"actions": f.array("actions")}, default=_json_default)
        return self._native.add_minutes(
            held, f.strings("attendees"), f.strings("apologies"), decisions, actions
        )

    def set_status(
        self, action_id: str, status: str, completed: Union[_dt.date, str, None] = None
    ) -> None:
        """Set an action's status: ``"open"``, or ``"done"`` / ``"cancelled"`` on ``completed``.

        Raises
        ------
        carecoord.errors.UnknownActionError
            No action has this id.
        carecoord.errors.ActionDateError
            ``completed`` is before the meeting that raised the action.

        Examples
        --------
        >>> from carecoord.schedule import ActionLog
        >>> try:
        ...     ActionLog().set_status("A9", "open")
        ... except Exception as e:
        ...     print(type(e).__name__, e.argument)
        UnknownActionError action_id
        """
        day = None if completed is None else _parse_date(completed, "completed", "completed")
        self._native.set_status(_str(action_id, "action_id"), _str(status, "status"), day)

    def overdue(self, as_of: Union[_dt.date, str]) -> Any:
        """Open actions due before ``as_of``, most overdue first (then by id).

        An action due on ``as_of`` is not overdue; done and cancelled ones never are.

        Returns
        -------
        pyarrow.Table
            Columns ``id``, ``patient_ref`` (null for general actions), ``description``,
            ``owner``, ``due`` (date32), ``days_overdue`` (int32), ``raised_at``,
            ``raised_on`` (date32).
        """
        return self._native.overdue(_parse_date(as_of, "as_of", "as_of"))

    def chase_list(self, as_of: Union[_dt.date, str]) -> Any:
        """The overdue actions grouped by owner: the owner with the most overdue action
        first (then by owner id), each owner's actions most overdue first.

        Returns
        -------
        pyarrow.Table
            The columns of :meth:`overdue` with ``owner`` first; each owner's rows together.
        """
        return self._native.chase_list(_parse_date(as_of, "as_of", "as_of"))

    def to_markdown(self) -> str:
        """The log as a Markdown table (ID, Patient, Action, Owner, Due, Status, Raised)."""
        return self._native.to_markdown()

    def to_html(self) -> str:
        """The log as an HTML ``<table>``, text escaped."""
        return self._native.to_html()

    def to_json(self) -> str:
        """The log as JSON text, ``{"actions": [...]}``, read back by :meth:`from_json`."""
        return self._native.to_json()

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"<ActionLog: {len(self)} actions>"


# --------------------------------------------------------------------------------------
# Availability requests and iCalendar export.
# --------------------------------------------------------------------------------------


def candidate_slots(
    instance: Document,
    meeting_id: str,
    *,
    max_slots: int = 3,
    window: Optional[Tuple[Optional[LocalTime], Optional[LocalTime]]] = None,
) -> List[Dict[str, Any]]:
    """A few candidate slots for a meeting, at most one per day, in time order.

    The required people are all free and working, a room the meeting accepts is free and
    big enough, and the slot lies in working hours on a business day and in the meeting's
    own window. Days where fewer preferred people are left out win, then earlier days.

    Parameters
    ----------
    instance
        The instance: a dict, JSON text or a ``pathlib.Path``.
    meeting_id
        One of its meetings.
    max_slots
        At most this many slots (positive).
    window
        ``(earliest, latest)`` local times (either may be ``None``) narrowing the search.

    Returns
    -------
    list of dict
        ``{"start", "end", "room", "preferred_unavailable"}``.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
    ...         "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue", "Thu"]},
    ...                    {"id": "p3", "working_days": ["Thu"]}],
    ...         "rooms": [{"id": "rm1", "capacity": 4, "virtual": False}],
    ...         "meetings": [{"id": "m1", "duration_minutes": 60, "required": ["p1", "p2"],
    ...                       "preferred": ["p3"], "rooms": "any", "needs_physical": True}]}
    >>> [(s["start"], s["preferred_unavailable"]) for s in schedule.candidate_slots(inst, "m1")]
    [('2026-03-24T08:00', ['p3']), ('2026-03-26T08:00', [])]
    >>> [s["start"] for s in schedule.candidate_slots(inst, "m1", max_slots=1)]
    ['2026-03-26T08:00']
    """
    if isinstance(max_slots, bool) or not isinstance(max_slots, int):
        raise TypeError("max_slots must be a positive integer")
    if max_slots < 0:
        raise ValueError("max_slots must be a positive integer")
    earliest, latest = (None, None) if window is None else window
    return _native.schedule_candidate_slots(
        _text(instance, "instance")[0],
        _str(meeting_id, "meeting_id"),
        max_slots,
        _local(earliest, "earliest"),
        _local(latest, "latest"),
    )


def availability_email(
    instance: Document,
    meeting_id: str,
    slots: Optional[Sequence[Mapping[str, Any]]] = None,
    *,
    reply_by: Union[_dt.date, str],
    greeting: Optional[str] = None,
    sign_off: Optional[str] = None,
) -> Dict[str, str]:
    """The text of the email asking a meeting's invitees which slots they can make.

    Numbered options with dates like ``Tue 24 Mar 2026, 09:00-10:00`` in UK time and the
    room's name, a reply-by date and a short closing. No attendee id or patient detail is
    printed: the email goes to everyone invited.

    Parameters
    ----------
    instance, meeting_id
        As for :func:`candidate_slots`.
    slots
        The options to offer (``{"start", "end", "room"}`` dicts, as
        :func:`candidate_slots` returns them); ``None`` for ``candidate_slots(instance,
        meeting_id)``.
    reply_by
        Date by which to reply; before the first option's date.
    greeting, sign_off
        First line (default ``"Dear colleagues,"``) and the name under "Thank you,"
        (default ``"Care coordination team"``).

    Returns
    -------
    dict
        ``{"subject", "body"}``; the body's lines end ``"\\n"``.

    Raises
    ------
    carecoord.errors.InvalidFieldError
        ``reply_by`` is not before the first option (``e.argument == "reply_by"``).
    carecoord.errors.InvalidQueryError
        An unknown meeting id, or no slots to offer.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "horizon": {"start": "2026-03-23", "days": 5},
    ...         "people": [{"id": "p1"}, {"id": "p2", "working_days": ["Tue"]}],
    ...         "rooms": [{"id": "virt", "name": "Video call", "virtual": True}],
    ...         "meetings": [{"id": "m1", "title": "Frailty MDT", "duration_minutes": 60,
    ...                       "required": ["p1", "p2"]}]}
    >>> email = schedule.availability_email(inst, "m1", reply_by="2026-03-20")
    >>> email["subject"]
    'Availability request: Frailty MDT (reply by Fri 20 Mar 2026)'
    >>> print(email["body"].split("\\n\\n")[4])
    1. Tue 24 Mar 2026, 08:00-09:00, Video call
    """
    rows = None
    if slots is not None:
        if isinstance(slots, (str, bytes, Mapping)) or not isinstance(slots, Sequence):
            raise _invalid("slots", "expected an array of slots", "slots")
        rows = []
        for i, s in enumerate(slots):
            f = _Fields(s, f"slots[{i}]", "slots")
            rows.append((f.local("start"), f.local("end"), f.opt_string("room")))
    return _native.schedule_availability_email(
        _text(instance, "instance")[0],
        _str(meeting_id, "meeting_id"),
        rows,
        _parse_date(reply_by, "reply_by", "reply_by"),
        None if greeting is None else _str(greeting, "greeting"),
        None if sign_off is None else _str(sign_off, "sign_off"),
    )


def to_icalendar(
    instance: Document,
    solution: Document,
    *,
    domain: str = "carecoord.invalid",
    prodid: Optional[str] = None,
    dtstamp: Optional[_dt.datetime] = None,
    sequence: int = 0,
    addresses: Optional[Mapping[str, str]] = None,
) -> str:
    """The plan as iCalendar text (RFC 5545), for diaries and calendar clients.

    The ``Europe/London`` ``VTIMEZONE``, one ``VEVENT`` per placed meeting and one
    recurring ``VEVENT`` per series with its ``RRULE``, an ``EXDATE`` per occurrence the
    holiday policy skips and an overriding ``VEVENT`` (``RECURRENCE-ID``) per occurrence it
    moves. Times are local with ``TZID=Europe/London``; ``ATTENDEE`` lines carry
    ``ROLE=REQ-PARTICIPANT`` (required people, series attendees) or ``ROLE=OPT-PARTICIPANT``
    (preferred people). Lines end CRLF, folded at 75 octets. Unplaced meetings are left out.

    Parameters
    ----------
    instance, solution
        The documents: dicts, JSON text or ``pathlib.Path`` objects.
    domain
        Domain of the ``UID`` s (``<id>@<domain>``) and of default addresses.
    prodid
        ``PRODID`` of the calendar (default ``-//carecoord//schedule v1//EN``).
    dtstamp
        ``DTSTAMP`` of every event, a timezone-aware datetime (written in UTC); ``None``
        for midnight UTC on the horizon's first date, so the same plan gives the same text.
    sequence
        ``SEQUENCE`` of every event: raise it when re-sending a changed plan.
    addresses
        Email address per person id; others get ``<id>@<domain>``.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1",
    ...         "horizon": {"start": "2026-03-23", "days": 14, "bank_holidays": ["2026-04-03"]},
    ...         "people": [{"id": "p1"}],
    ...         "series": [{"id": "s1", "title": "Huddle", "rrule": "FREQ=WEEKLY;BYDAY=FR",
    ...                     "dtstart": "2026-03-27T14:00", "duration_minutes": 30,
    ...                     "attendees": ["p1"], "room": None}]}
    >>> ics = schedule.to_icalendar(inst, {"assignments": []})
    >>> series = ics.split("BEGIN:VEVENT\\r\\n")[1].split("\\r\\n")
    >>> [l for l in series if l.startswith(("DTSTART", "RRULE", "EXDATE"))]
    ['DTSTART;TZID=Europe/London:20260327T140000', 'RRULE:FREQ=WEEKLY;BYDAY=FR', 'EXDATE;TZID=Europe/London:20260403T140000']
    """
    stamp = None
    if dtstamp is not None:
        if not isinstance(dtstamp, _dt.datetime) or dtstamp.tzinfo is None:
            raise ValueError("dtstamp must be a timezone-aware datetime (it is written in UTC)")
        stamp = dtstamp.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= _U32:
        raise ValueError("sequence must be an integer from 0 to 2**32 - 1")
    return _native.schedule_to_icalendar(
        _text(instance, "instance")[0],
        _text(solution, "solution")[0],
        _str(domain, "domain"),
        None if prodid is None else _str(prodid, "prodid"),
        stamp,
        sequence,
        None if addresses is None else {str(k): _str(v, "addresses") for k, v in addresses.items()},
    )
