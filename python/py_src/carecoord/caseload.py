"""The caseload: patients, staff and the rota, referrals with response clocks, contacts,
care plans, tasks and hospital flow, kept as the fold of an event journal.

A :class:`Caseload` is held in memory (``Caseload()``), kept in a durable journal file
(:meth:`Caseload.open`: every change is written and synced before it is applied; a torn
tail left by a crash is repaired) or replayed read-only from one (:meth:`Caseload.replay`).
Changes are *events* (``docs/caseload.md`` section 2 lists the 53 kinds): a dict such as
``{"referral_triaged": {"referral": "R1", "priority": "ucr_2_hour", "ucr_condition":
"fall"}}`` or the same as JSON text. :meth:`Caseload.apply` checks one event against the
model and applies it, or raises a :class:`~carecoord.errors.CaseloadError` subclass and
changes nothing; :meth:`Caseload.load` loads a whole table of events and returns the rows it
rejected. Queries (:meth:`~Caseload.breaching_within`, :meth:`~Caseload.long_stay`, ...)
return ``pyarrow.Table`` objects with a fixed schema per query, also when empty: instants
are ``timestamp[ms, tz=UTC]``, dates ``date32``, counts ``uint32``; polars users call
``pl.from_arrow``.

Instants must be timezone-aware ``datetime`` objects (a naive one raises
:class:`~carecoord.errors.CalendarError` with code ``naive_datetime``, a ``ValueError``);
dates are ``datetime.date``. The compiled core opens and replays journals, records and
loads events and answers queries with the GIL released; one caseload can be queried from
several threads at once.

Messages of errors and rejected rows name the event's sequence number or row, its kind and
the field at fault, never a value: no id, NHS number, date of birth or free text.

Examples
--------
A fall referred at 16:30 BST on Friday 10 July 2026 and triaged as UCR two-hour: 90
minutes of service time are left that day (to 18:00 BST), the other 30 the next morning
from 08:00 BST, so it is due at 08:30 BST (07:30 UTC).

>>> import datetime as dt
>>> from carecoord.caseload import Caseload
>>> utc = dt.timezone.utc
>>> t0 = dt.datetime(2026, 7, 10, 15, 30, tzinfo=utc)
>>> c = Caseload()
>>> c.apply({"patient_registered": {"patient": "P1", "practice": "SYN004",
...                                 "birth_date": dt.date(1939, 2, 11)}}, who="duty-1", at=t0)
1
>>> c.apply({"referral_received": {"referral": "R1", "patient": "P1", "received_at": t0,
...                                "referrer": "NHS 111"}}, who="duty-1", at=t0)
2
>>> c.apply({"referral_triaged": {"referral": "R1", "priority": "ucr_2_hour",
...                               "ucr_condition": "fall"}}, who="duty-1", at=t0)
3
>>> soon = c.breaching_within(dt.datetime(2026, 7, 11, 7, 0, tzinfo=utc))
>>> soon.select(["referral", "clock", "minutes_to_due"]).to_pylist()
[{'referral': 'R1', 'clock': 'running', 'minutes_to_due': 30}]
>>> soon["due_at"][0].as_py() == dt.datetime(2026, 7, 11, 7, 30, tzinfo=utc)
True
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import TYPE_CHECKING, Any, Dict, Iterable, Literal, Mapping, Optional, Union

from . import _native
from .calendar import _date, _instant
from .risk import _as_table

__all__ = ["Caseload", "EventLike", "LosBand"]

#: An event: a dict ``{kind: fields}`` (``datetime`` and ``date`` values are allowed and
#: written as RFC 3339 / ``YYYY-MM-DD``) or the same as JSON text.
EventLike = Union[Mapping[str, Any], str]
#: The lowest length-of-stay band :meth:`Caseload.long_stay` lists.
LosBand = Literal["7+", "14+", "21+"]

_Table = Any  # pyarrow ships no type information

if TYPE_CHECKING:
    from .schedule import ActionLog


def _json_value(value: Any) -> Any:
    """``json.dumps`` fallback: aware datetimes as RFC 3339 UTC, dates as ISO dates."""
    if isinstance(value, _dt.datetime):
        return _instant(value, "a datetime in the event").isoformat().replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(
        f"event values must be JSON types, datetime or date, not {type(value).__name__}"
    )


def _rfc3339(value: _dt.datetime, name: str) -> str:
    return _instant(value, name).isoformat().replace("+00:00", "Z")


def _iso_date(value: _dt.date, name: str) -> str:
    return _date(value, name).isoformat()


def _text(value: str, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


class Caseload:
    """A caseload: in memory, kept in a journal (:meth:`open`) or replayed (:meth:`replay`).

    ``Caseload()`` is empty and in memory: nothing is written anywhere.

    Examples
    --------
    >>> from carecoord.caseload import Caseload
    >>> c = Caseload()
    >>> (c.last_seq, c.is_durable, c.report)
    (0, False, {'last_seq': 0, 'rejected': [], 'warnings': []})
    """

    __slots__ = ("_native",)

    def __init__(self) -> None:
        self._native = _native.Caseload()

    @classmethod
    def _wrap(cls, native: _native.Caseload) -> Caseload:
        self = cls.__new__(cls)
        self._native = native
        return self

    @classmethod
    def open(cls, path: Union[str, _os.PathLike[str]]) -> Caseload:
        """Open a caseload journal for writing, creating it if missing.

        The journal is replayed into the state; a torn last record (a crash mid-append) is
        truncated and reported in :attr:`report`. Every later change is appended and synced
        before it is applied, so the file always holds exactly the accepted events.

        Parameters
        ----------
        path
            The journal file.

        Returns
        -------
        Caseload

        Raises
        ------
        carecoord.errors.JournalError
            A subclass: ``NotAJournalError`` for a file that is not a journal,
            ``JournalSchemaMismatchError`` for a journal of something else,
            ``JournalCorruptError`` for damage before the last record, ``JournalIoError``.

        Examples
        --------
        >>> import datetime as dt, pathlib, tempfile
        >>> from carecoord.caseload import Caseload
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.journal"
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> c = Caseload.open(path)
        >>> c.apply({"patient_registered": {"patient": "P1", "practice": "SYN001",
        ...                                 "birth_date": "1950-01-01"}}, who="pcc-1", at=at)
        1
        >>> del c
        >>> Caseload.open(path).last_seq
        1
        """
        return cls._wrap(_native.Caseload.open(_os.fspath(path)))

    @classmethod
    def replay(cls, path: Union[str, _os.PathLike[str]]) -> Caseload:
        """Replay a caseload journal read-only.

        The file is not changed: a torn last record is ignored and reported in
        :attr:`report` (code ``torn_tail``). Events applied afterwards are kept in memory
        only.

        Parameters
        ----------
        path
            The journal file.

        Returns
        -------
        Caseload

        Raises
        ------
        carecoord.errors.JournalError
            A subclass, as for :meth:`open` (``JournalIoError`` when the file is missing).

        Examples
        --------
        >>> import datetime as dt, pathlib, tempfile
        >>> from carecoord.caseload import Caseload
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.journal"
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> Caseload.open(path).apply({"patient_registered": {"patient": "P1",
        ...     "practice": "SYN001", "birth_date": "1950-01-01"}}, who="pcc-1", at=at)
        1
        >>> r = Caseload.replay(path)
        >>> (r.last_seq, r.is_durable, r.report["warnings"])
        (1, False, [])
        """
        return cls._wrap(_native.Caseload.replay(_os.fspath(path)))

    def __repr__(self) -> str:
        return f"Caseload(durable={self.is_durable}, last_seq={self.last_seq})"

    @property
    def last_seq(self) -> int:
        """Sequence number of the last event applied (0 for an empty caseload).

        Examples
        --------
        >>> from carecoord.caseload import Caseload
        >>> Caseload().last_seq
        0
        """
        return self._native.last_seq

    @property
    def is_durable(self) -> bool:
        """Whether changes are written to a journal (only for :meth:`open`).

        Examples
        --------
        >>> from carecoord.caseload import Caseload
        >>> Caseload().is_durable
        False
        """
        return self._native.is_durable

    @property
    def report(self) -> Dict[str, Any]:
        """What opening or replaying the journal found.

        A dict with ``last_seq`` (the last event in the journal), ``warnings`` (damage
        worked around: ``{"code": "torn_tail", "offset": n, "message": ...}``) and
        ``rejected`` (events of the journal the model refused on replay: ``{"seq", "code",
        "message"}``; a journal written by carecoord has none). Empty for an in-memory
        caseload.

        Examples
        --------
        >>> from carecoord.caseload import Caseload
        >>> Caseload().report
        {'last_seq': 0, 'rejected': [], 'warnings': []}
        """
        report: Dict[str, Any] = _json.loads(self._native.report_json())
        return report

    def apply(self, event: EventLike, *, who: str, at: _dt.datetime) -> int:
        """Check one event against the model and apply it.

        A durable caseload (:meth:`open`) appends the event to its journal and syncs it
        before applying it. A rejected event changes nothing and writes nothing.

        Parameters
        ----------
        event
            ``{kind: fields}`` as a dict (``datetime`` values must be timezone-aware;
            ``date`` values are allowed) or as JSON text.
        who
            Who recorded the event (a staff id or system name).
        at
            When it was recorded (timezone-aware). Events with their own instant
            (``received_at``, ``admitted_at``, ...) may be recorded later, never earlier.

        Returns
        -------
        int
            The event's sequence number.

        Raises
        ------
        carecoord.errors.CaseloadError
            A subclass naming the rule broken: ``CaseloadNotFoundError`` (an unknown
            referral, stay, ...), ``CaseloadDuplicateError``, ``CaseloadInvalidFieldError``
            (e.g. an id that looks like an NHS number), ``CaseloadInvalidStateError``,
            ``CaseloadOutOfOrderError``, ``CaseloadStaffUnavailableError``,
            ``CaseloadInvalidJsonError``, ``CaseloadInvalidRequestError`` (the event does
            not fit its kind's fields). ``e.seq`` is the number the event would have had.
        carecoord.errors.JournalError
            Writing to the journal failed.
        carecoord.errors.CalendarError
            ``at`` or a datetime in ``event`` is naive (code ``naive_datetime``).

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> from carecoord.errors import CaseloadNotFoundError
        >>> c = Caseload()
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> c.apply('{"staff_joined": {"staff": "N1", "band": "6", "skills": ["nursing"]}}',
        ...         who="lead", at=at)
        1
        >>> try:
        ...     c.apply({"referral_closed": {"referral": "R9", "outcome": "completed"}},
        ...             who="lead", at=at)
        ... except CaseloadNotFoundError as e:
        ...     print(e.seq, "|", e)
        2 | event 2 (referral_closed): field `referral`: no referral with this id
        >>> c.last_seq
        1
        """
        if isinstance(event, str):
            text = event
        elif isinstance(event, Mapping):
            text = _json.dumps(event, default=_json_value)
        else:
            raise TypeError(
                f"event must be a dict or JSON text (str), not {type(event).__name__}"
            )
        return self._native.record_json(_text(who, "who"), _instant(at, "at"), text)

    def load(
        self,
        table: Any,
        *,
        event: Optional[str] = None,
        who: Optional[str] = None,
        recorded_at: Optional[_dt.datetime] = None,
    ) -> _Table:
        """Load a table of events, one per row; return the rows that were not applied.

        Columns: ``event`` (the event kind, or the ``event`` option for every row),
        ``who`` (or the option), ``recorded_at`` (a timestamp with a time zone or RFC 3339
        text; or the option), and one column per field of the event, by name (null means
        absent; lists and structs for nested fields; dates as ``date32`` or
        ``YYYY-MM-DD`` text). Rows are applied in order; a row that does not read as its
        event, or that the model rejects, is reported and the rest still applied. A
        durable caseload appends the applied rows of each record batch with one sync.

        Parameters
        ----------
        table
            A pyarrow ``Table`` or ``RecordBatch``, a polars or pandas ``DataFrame``, or
            anything with ``__arrow_c_stream__``. Its record batches are read without a
            copy; row numbers count across all of them.
        event, who, recorded_at
            Values for every row, when the table has no such column (``recorded_at``
            timezone-aware).

        Returns
        -------
        pyarrow.Table
            The rejected rows, in row order: ``row`` (uint64, zero-based in ``table``),
            ``kind`` (the event kind, null if unknown), ``code`` (the
            :class:`~carecoord.errors.CaseloadError` code) and ``message`` (names the
            field, never a value). The schema metadata holds ``applied``, ``rejected`` and
            ``first_seq`` (the sequence number of the first applied event) as text;
            ``applied + rejected`` is the number of rows in ``table``.

        Raises
        ------
        carecoord.errors.CaseloadInvalidRequestError
            A column cannot be read as event fields at all (nothing of that batch is
            applied).
        carecoord.errors.CalendarError
            A timestamp column has no time zone, or ``recorded_at`` is naive (code
            ``naive_datetime``).
        carecoord.errors.JournalError
            Writing to the journal failed (the caseload must then be opened again).

        Examples
        --------
        >>> import datetime as dt
        >>> import pyarrow as pa
        >>> from carecoord.caseload import Caseload
        >>> t = pa.table({"patient": ["P1", "P2", "P3"],
        ...               "practice": ["SYN001", None, "SYN002"],
        ...               "birth_date": pa.array([dt.date(1950, 1, 1)] * 3, pa.date32())})
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> c = Caseload()
        >>> rejects = c.load(t, event="patient_registered", who="import", recorded_at=at)
        >>> rejects.to_pylist()  # doctest: +NORMALIZE_WHITESPACE
        [{'row': 1, 'kind': 'patient_registered', 'code': 'invalid_request',
          'message': 'bulk load row 1: field `practice`: missing field `practice`'}]
        >>> rejects.schema.metadata[b"applied"], rejects.schema.metadata[b"rejected"]
        (b'2', b'1')
        """
        native = self._native.load_batch(
            _as_table(table),
            None if event is None else _text(event, "event"),
            None if who is None else _text(who, "who"),
            None if recorded_at is None else _instant(recorded_at, "recorded_at"),
        )
        rejects, applied, first_seq = native
        return rejects.replace_schema_metadata(
            {
                "applied": str(applied),
                "rejected": str(rejects.num_rows),
                "first_seq": str(first_seq),
            }
        )

    # ---- queries --------------------------------------------------------------------------

    def _query(self, name: str, **params: Any) -> _Table:
        return self._native.run_json(_json.dumps({"query": name, **params}))

    def breaching_within(
        self, at: _dt.datetime, within: _dt.timedelta = _dt.timedelta(hours=1)
    ) -> _Table:
        """Referrals breaching, or about to breach, their response clock.

        At ``at``: clocks already breached with no first contact or closure yet, and
        clocks running that are due within ``within`` of ``at`` (deadline ``<= at +
        within``). Only what was known at ``at`` counts, so any past instant can be
        asked about. Sorted by deadline, then referral id.

        Parameters
        ----------
        at
            The instant asked about (timezone-aware).
        within
            How far ahead "about to breach" looks, in whole minutes; ``timedelta(0)`` for
            the breached only.

        Returns
        -------
        pyarrow.Table
            ``referral``, ``patient``, ``practice``, ``priority``, ``ucr_condition``,
            ``duty``, ``clock`` (``running`` or ``breached``), ``received_at``,
            ``due_at`` (timestamp[ms, tz=UTC]), ``minutes_to_due`` (int64, negative once
            breached), ``allocated_to``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> at = dt.datetime(2026, 7, 11, 8, 0, tzinfo=dt.timezone.utc)
        >>> Caseload().breaching_within(at, within=dt.timedelta(0)).num_rows
        0
        """
        if not isinstance(within, _dt.timedelta):
            raise TypeError("within must be a datetime.timedelta")
        minutes, rest = divmod(within, _dt.timedelta(minutes=1))
        if rest or minutes < 0 or minutes >= 2**32:
            raise ValueError("within must be a non-negative whole number of minutes")
        return self._query(
            "breaching_within", at=_rfc3339(at, "at"), within_minutes=int(minutes)
        )

    def breaches_on(self, day: _dt.date, now: _dt.datetime) -> _Table:
        """Today's breaches: referrals whose deadline fell on local date ``day`` and that
        were breached as known at ``now`` (still open, contacted late or closed late).

        Parameters
        ----------
        day
            The ``Europe/London`` date whose deadlines are checked.
        now
            As known at this instant (timezone-aware).

        Returns
        -------
        pyarrow.Table
            The columns of :meth:`breaching_within`, sorted by deadline then referral.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> now = dt.datetime(2026, 1, 5, 17, 0, tzinfo=dt.timezone.utc)
        >>> Caseload().breaches_on(dt.date(2026, 1, 5), now).column_names[:3]
        ['referral', 'patient', 'practice']
        """
        return self._query(
            "breaches_on", day=_iso_date(day, "day"), now=_rfc3339(now, "now")
        )

    def caseload_of(self, staff: str) -> _Table:
        """The open referrals allocated to a member of staff, by deadline (none last), then
        referral id; empty for an unknown id.

        Returns
        -------
        pyarrow.Table
            ``referral``, ``patient``, ``practice``, ``priority``, ``duty``, ``status``,
            ``received_at``, ``allocated_at``, ``due_at``, ``first_contact_at``.

        Examples
        --------
        >>> from carecoord.caseload import Caseload
        >>> Caseload().caseload_of("N1").num_rows
        0
        """
        return self._query("caseload_of", staff=_text(staff, "staff"))

    def workload(self, day: _dt.date) -> _Table:
        """Each member of staff's day: rostered, absent, cover, capacity, allocations and
        open work, in staff id order (staff who have left are left out).

        Returns
        -------
        pyarrow.Table
            ``staff``, ``band``, ``rostered``, ``absent``, ``covering``, ``capacity``,
            ``allocated``, ``remaining``, ``open_referrals``, ``open_tasks``,
            ``overdue_tasks``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> c = Caseload()
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)  # a Monday
        >>> _ = c.apply({"staff_joined": {"staff": "N1", "band": "6", "skills": ["nursing"]}},
        ...             who="lead", at=at)
        >>> _ = c.apply({"rota_set": {"staff": "N1", "days": ["mon"], "capacity": 2,
        ...                           "from": dt.date(2026, 1, 5)}}, who="lead", at=at)
        >>> c.workload(dt.date(2026, 1, 5)).select(["staff", "capacity", "remaining"]).to_pylist()
        [{'staff': 'N1', 'capacity': 2, 'remaining': 2}]
        """
        return self._query("workload", day=_iso_date(day, "day"))

    def suggest_allocation(
        self, at: _dt.datetime, skill: Optional[str] = None
    ) -> _Table:
        """Who could take a new piece of work at ``at``: one row.

        Parameters
        ----------
        at
            When the work is to be allocated (timezone-aware).
        skill
            The skill the work needs (``nursing``, ``physiotherapy``, ...), if any.

        Returns
        -------
        pyarrow.Table
            One row: ``staff``, ``remaining``, ``open_referrals``, and ``reason`` (null),
            or ``staff`` null and ``reason`` the code of why nobody can
            (``service_closed``, ``no_staff_with_skill``, ``none_on_shift``,
            ``all_absent``, ``all_at_capacity``).

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> Caseload().suggest_allocation(at, skill="nursing").to_pylist()
        [{'staff': None, 'remaining': None, 'open_referrals': None, 'reason': 'no_staff_with_skill'}]
        """
        params: Dict[str, Any] = {"at": _rfc3339(at, "at")}
        if skill is not None:
            params["skill"] = _text(skill, "skill")
        return self._query("suggest_allocation", **params)

    def uncovered_shifts(self, start: _dt.date, end: _dt.date) -> _Table:
        """Rostered shifts from ``start`` to ``end`` (inclusive) lost to an absence with no
        cover arranged, by date then staff id.

        Returns
        -------
        pyarrow.Table
            ``date`` (date32), ``staff``, ``absence``, ``kind``, ``capacity``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().uncovered_shifts(dt.date(2026, 1, 5), dt.date(2026, 1, 11)).schema.field("date").type
        DataType(date32[day])
        """
        return self._query(
            "uncovered_shifts", **{"from": _iso_date(start, "start"), "to": _iso_date(end, "end")}
        )

    def reviews_due(self, today: _dt.date) -> _Table:
        """Open care plans whose review is due (review date on or before ``today``), most
        overdue first, then plan id.

        Returns
        -------
        pyarrow.Table
            ``plan``, ``patient``, ``practice``, ``review_on``, ``days_overdue``,
            ``last_reviewed_on``, ``active_goals``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().reviews_due(dt.date(2026, 1, 5)).num_rows
        0
        """
        return self._query("reviews_due", today=_iso_date(today, "today"))

    def chase_list(self, today: _dt.date, action_logs: Iterable["ActionLog"] = ()) -> _Table:
        """The chasing list: open tasks due before ``today`` and, from each
        :class:`carecoord.schedule.ActionLog` in ``action_logs``, the open MDT actions due
        before ``today``, grouped by owner (owners with the most overdue item first), most
        overdue first within an owner, tasks before MDT actions on a tie.

        Returns
        -------
        pyarrow.Table
            ``owner``, ``source`` (``task`` or ``mdt``), ``id``, ``patient``, ``kind``,
            ``due``, ``days_overdue``, ``chases``, ``last_chased_at``.

        Raises
        ------
        TypeError
            An item of ``action_logs`` is not an ``ActionLog``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> from carecoord.schedule import ActionLog
        >>> c = Caseload()
        >>> at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
        >>> _ = c.apply({"staff_joined": {"staff": "N1", "band": "6", "skills": ["nursing"]}},
        ...             who="lead", at=at)
        >>> _ = c.apply({"task_created": {"task": "T1", "owner": "N1", "due": "2026-03-03",
        ...              "kind": "chase_document", "text": "Chase the discharge letter"}},
        ...             who="lead", at=at)
        >>> c.chase_list(dt.date(2026, 3, 6)).select(["owner", "id", "days_overdue"]).to_pylist()
        [{'owner': 'N1', 'id': 'T1', 'days_overdue': 3}]
        >>> log = ActionLog()
        >>> log.add_minutes({
        ...     "meeting": {"id": "m1", "start": "2026-02-24T14:00", "end": "2026-02-24T15:00"},
        ...     "actions": [{"id": "A1", "patient_ref": "P-12", "description": "Chase CHC date",
        ...                  "owner": "flow-2", "due": "2026-03-01", "status": "open",
        ...                  "raised_at": "m1", "raised_on": "2026-02-24"}]})
        1
        >>> rows = c.chase_list(dt.date(2026, 3, 6), [log])
        >>> [(r["owner"], r["source"], r["id"], r["days_overdue"]) for r in rows.to_pylist()]
        [('flow-2', 'mdt', 'A1', 5), ('N1', 'task', 'T1', 3)]
        """
        from .schedule import ActionLog

        logs = []
        for i, log in enumerate(action_logs):
            if not isinstance(log, ActionLog):
                raise TypeError(
                    f"action_logs[{i}]: expected carecoord.schedule.ActionLog, got {type(log).__name__}"
                )
            logs.append(log._native)
        return self._native.chase_list(_date(today, "today"), logs)

    def overdue_tasks(self, today: _dt.date) -> _Table:
        """Open tasks due before ``today`` (the chasing list's rows, in the same order).

        Returns
        -------
        pyarrow.Table
            The columns of :meth:`chase_list`.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().overdue_tasks(dt.date(2026, 1, 5)).num_rows
        0
        """
        return self._query("overdue_tasks", today=_iso_date(today, "today"))

    def respect_worklist(self, today: _dt.date) -> _Table:
        """Patients on the palliative register or with severe frailty who have no ReSPECT
        form, or whose form's review is due, by practice then patient.

        Returns
        -------
        pyarrow.Table
            ``patient``, ``practice``, ``palliative``, ``frailty``, ``reason``,
            ``review_on``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().respect_worklist(dt.date(2026, 1, 5)).num_rows
        0
        """
        return self._query("respect_worklist", today=_iso_date(today, "today"))

    def register_members(self, register: str, day: _dt.date) -> _Table:
        """Patients on a register on ``day``, by practice then patient.

        Parameters
        ----------
        register
            ``palliative``, ``learning_disability`` or ``carer``.
        day
            The date.

        Returns
        -------
        pyarrow.Table
            ``patient``, ``practice``, ``since``, ``last_contact_at``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().register_members("palliative", dt.date(2026, 1, 5)).column_names
        ['patient', 'practice', 'since', 'last_contact_at']
        """
        return self._query(
            "register_members", register=_text(register, "register"), day=_iso_date(day, "day")
        )

    def ucr_two_hour_performance(
        self, start: _dt.date, end: _dt.date, now: _dt.datetime
    ) -> _Table:
        """UCR two-hour performance for referrals received on local dates ``start`` up to
        ``end`` (exclusive), as known at ``now``: one row.

        Returns
        -------
        pyarrow.Table
            One row: ``from``, ``to``, ``in_scope``, ``met``, ``breached``, ``stopped``,
            ``running``, ``percent_met`` (null when nothing is in scope).

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> now = dt.datetime(2026, 2, 1, 0, 0, tzinfo=dt.timezone.utc)
        >>> row = Caseload().ucr_two_hour_performance(dt.date(2026, 1, 1), dt.date(2026, 2, 1), now)
        >>> row.select(["in_scope", "met", "percent_met"]).to_pylist()
        [{'in_scope': 0, 'met': 0, 'percent_met': None}]
        """
        return self._query(
            "ucr_two_hour_performance",
            **{
                "from": _iso_date(start, "start"),
                "to": _iso_date(end, "end"),
                "now": _rfc3339(now, "now"),
            },
        )

    def long_stay(self, at: _dt.datetime, band: LosBand = "7+") -> _Table:
        """Patients in hospital at ``at`` whose stay reaches ``band`` days (``7+`` the
        stranded list, ``21+`` super-stranded), with their delay, escalations,
        repatriation and open actions; longest stay first.

        Returns
        -------
        pyarrow.Table
            ``stay``, ``patient``, ``practice``, ``ward``, ``site``, ``admitted_at``,
            ``los``, ``los_convention``, ``band``, ``discharge_ready_date``,
            ``delay_days``, ``delay_version``, ``delay_code``, ``delay_category``,
            ``delay_reasons_recorded``, ``escalation_level``, ``escalations``,
            ``repatriation``, ``open_actions``, ``overdue_actions``, ``next_action_due``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> c = Caseload()
        >>> t0 = dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.timezone.utc)
        >>> events = [
        ...     {"patient_registered": {"patient": "P1", "practice": "SYN001",
        ...                             "birth_date": "1940-05-01"}},
        ...     {"ward_opened": {"ward": "W1", "site": "General", "beds": 20}},
        ...     {"admitted": {"stay": "S1", "patient": "P1", "ward": "W1",
        ...                   "admitted_at": t0, "method": "emergency"}},
        ... ]
        >>> for e in events:
        ...     _ = c.apply(e, who="flow-1", at=t0)
        >>> later = dt.datetime(2026, 2, 23, 9, 0, tzinfo=dt.timezone.utc)
        >>> c.long_stay(later, band="21+").select(["stay", "los", "band"]).to_pylist()
        [{'stay': 'S1', 'los': 22, 'band': '21_plus'}]
        """
        return self._query("long_stay", at=_rfc3339(at, "at"), band=_text(band, "band"))

    def ward_census(self, at: _dt.datetime) -> _Table:
        """The census of every ward at ``at``: occupied and free beds, occupancy, delayed
        patients, long-stay bands, the day's admissions and discharges; by ward id.

        Returns
        -------
        pyarrow.Table
            ``ward``, ``site``, ``beds``, ``occupied``, ``available``,
            ``occupancy_percent``, ``delayed``, ``los_7_plus``, ``los_14_plus``,
            ``los_21_plus``, ``admitted_today``, ``discharged_today``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> at = dt.datetime(2026, 1, 5, 23, 59, tzinfo=dt.timezone.utc)
        >>> Caseload().ward_census(at).num_columns
        12
        """
        return self._query("ward_census", at=_rfc3339(at, "at"))

    def escalations_due(self, at: _dt.datetime) -> _Table:
        """Escalations due at ``at``: each stay in hospital and each configured rule that
        fires, with no escalation under that rule yet; highest level first.

        Returns
        -------
        pyarrow.Table
            ``stay``, ``patient``, ``ward``, ``rule``, ``level``, ``los``,
            ``delay_days``, ``delay_category``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().escalations_due(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)).num_rows
        0
        """
        return self._query("escalations_due", at=_rfc3339(at, "at"))

    def discharge_review_queue(
        self, at: _dt.datetime, practice: Optional[str] = None
    ) -> _Table:
        """Discharges for the GP practice to review: older patients discharged by ``at``
        and not reviewed yet (deaths excluded), oldest discharge first.

        Parameters
        ----------
        at
            The instant (timezone-aware).
        practice
            Only this practice's patients (all practices if ``None``).

        Returns
        -------
        pyarrow.Table
            ``stay``, ``patient``, ``practice``, ``age_at_discharge``, ``method``,
            ``discharged_at``, ``destination``, ``los``, ``days_since_discharge``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> at = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
        >>> Caseload().discharge_review_queue(at, practice="SYN001").num_rows
        0
        """
        params: Dict[str, Any] = {"at": _rfc3339(at, "at")}
        if practice is not None:
            params["practice"] = _text(practice, "practice")
        return self._query("discharge_review_queue", **params)

    def open_repatriations(self, at: _dt.datetime) -> _Table:
        """Repatriation requests open (requested or accepted) at ``at``, longest waiting
        first.

        Returns
        -------
        pyarrow.Table
            ``repatriation``, ``stay``, ``patient``, ``to_org``, ``status``,
            ``requested_at``, ``days_waiting``.

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> Caseload().open_repatriations(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)).num_rows
        0
        """
        return self._query("open_repatriations", at=_rfc3339(at, "at"))

    def handover_summary(
        self,
        patient: str,
        at: _dt.datetime,
        include_nhs_number: bool = False,
        include_restricted: bool = False,
    ) -> Optional[Dict[str, Any]]:
        """The handover summary of a patient at ``at``, as a dict (``None`` for an unknown
        patient).

        Parameters
        ----------
        patient
            The patient's local reference.
        at
            The instant (timezone-aware): open items as they are then, length of stay and
            delay up to it.
        include_nhs_number
            Include the NHS number (left out by default).
        include_restricted
            Include restricted markers such as safeguarding (left out by default).

        Returns
        -------
        dict or None
            The summary with the keys of the core's JSON (instants as RFC 3339 text).

        Examples
        --------
        >>> import datetime as dt
        >>> from carecoord.caseload import Caseload
        >>> c = Caseload()
        >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        >>> _ = c.apply({"patient_registered": {"patient": "P1", "practice": "SYN001",
        ...                                     "birth_date": "1950-01-01"}}, who="duty", at=at)
        >>> c.handover_summary("P1", at)["practice"]
        'SYN001'
        >>> c.handover_summary("P404", at) is None
        True
        """
        for name, flag in (
            ("include_nhs_number", include_nhs_number),
            ("include_restricted", include_restricted),
        ):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be a bool")
        text = self._native.run_json_text(
            _json.dumps(
                {
                    "query": "handover_summary",
                    "patient": _text(patient, "patient"),
                    "at": _rfc3339(at, "at"),
                    "include_nhs_number": include_nhs_number,
                    "include_restricted": include_restricted,
                }
            )
        )
        summary: Optional[Dict[str, Any]] = _json.loads(text)
        return summary
