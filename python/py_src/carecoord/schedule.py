"""Meeting scheduling: plan MDTs, locality reviews and discharge meetings around busy diaries.

Documents follow the ``carecoord.schedule.v1`` format (``formats/schedule-v1.md``): an
*instance* lists people with their working days and busy time, rooms, recurring series
(RFC 5545 RRULEs on ``Europe/London`` wall time, with a bank-holiday policy), the meetings
to place and optionally a previous plan; a *solution* lists the placed meetings, the
unplaced ones with a reason and the ids that block them, and the series conflicts.

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
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _native
from .errors import InvalidQueryError

__all__ = ["solve", "evaluate", "series_conflicts", "Diary", "Document", "LocalTime"]

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
        (lists of ``{"code", "ids"}``). The keys mean what they mean in the reference
        evaluator, which also prints a free-text ``detail`` per violation and the
        ``preferred_conflict_pairs`` and ``moved_meetings`` lists (not produced here). A
        broken rule is a violation, not an exception.

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
