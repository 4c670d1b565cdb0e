"""Exceptions raised by carecoord.

Every exception carries a stable, machine-readable ``code`` (the core library's
``code()`` string, such as ``"check_digit_mismatch"``) and a message that names the rule
broken. Messages never contain the value that was rejected: no NHS number, identifier or
other patient data appears in them (DOMAIN.md section 4).

The hierarchy::

    CarecoordError(Exception)
    └── InvalidInputError(CarecoordError, ValueError)
        ├── NhsNumberError
        ├── SnomedIdError
        ├── Icd10Error
        ├── CalendarError
        ├── RiskError
        ├── ScheduleError
        │   ├── InvalidJsonError
        │   ├── MissingFieldError
        │   ├── InvalidFieldError
        │   ├── DuplicateIdError
        │   ├── UnknownIdError
        │   ├── InvalidTimeError
        │   ├── InvalidRruleError
        │   ├── UnsupportedRruleError
        │   ├── PinnedInfeasibleError
        │   ├── InvalidQueryError
        │   ├── DuplicateEntryError
        │   ├── UnknownActionError
        │   ├── ActionDateError
        │   └── IdentifierNotAllowedError
        └── UnsupportedTypeError(InvalidInputError, TypeError)

``InvalidInputError`` is also a ``ValueError``, so ``except ValueError`` catches every error
caused by bad input; ``UnsupportedTypeError`` (a column of the wrong Arrow type) is also a
``TypeError``. Each ``ScheduleError`` subclass is one variant of the core's
``schedule::ScheduleError`` (its ``code`` in CamelCase); they also carry the JSON ``path``
and the ``argument`` at fault.

Examples
--------
>>> from carecoord import ids
>>> from carecoord.errors import NhsNumberError
>>> try:
...     ids.nhs_number_parse("9434765918")
... except NhsNumberError as e:
...     print(e.code, "|", e)
check_digit_mismatch | NHS number check digit mismatch
"""

from __future__ import annotations

from typing import Any, Optional, Tuple, Type

__all__ = [
    "CarecoordError",
    "InvalidInputError",
    "NhsNumberError",
    "SnomedIdError",
    "Icd10Error",
    "CalendarError",
    "RiskError",
    "ScheduleError",
    "InvalidJsonError",
    "MissingFieldError",
    "InvalidFieldError",
    "DuplicateIdError",
    "UnknownIdError",
    "InvalidTimeError",
    "InvalidRruleError",
    "UnsupportedRruleError",
    "PinnedInfeasibleError",
    "InvalidQueryError",
    "DuplicateEntryError",
    "UnknownActionError",
    "ActionDateError",
    "IdentifierNotAllowedError",
    "UnsupportedTypeError",
]


class CarecoordError(Exception):
    """Base class of every carecoord exception.

    Parameters
    ----------
    message
        What went wrong, naming the rule broken (never the rejected value).
    code
        A short stable code for the rule broken, for programs to match on.

    Attributes
    ----------
    code : str
        The stable code, e.g. ``"check_digit_mismatch"`` or ``"unknown_region"``.

    Examples
    --------
    >>> e = CarecoordError("something failed", "internal")
    >>> (str(e), e.code)
    ('something failed', 'internal')
    """

    code: str

    def __init__(self, message: str, code: str = "internal") -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self) -> Tuple[Type[CarecoordError], Tuple[str, str], Any]:
        # Keep `code` through pickling (multiprocessing, concurrent.futures).
        return (type(self), (str(self), self.code), self.__dict__)


class InvalidInputError(CarecoordError, ValueError):
    """The input was invalid (also a :class:`ValueError`).

    Examples
    --------
    >>> issubclass(InvalidInputError, ValueError)
    True
    """


class NhsNumberError(InvalidInputError):
    """An NHS number failed validation (DOMAIN.md 2.1).

    Codes: ``empty``, ``invalid_character``, ``bad_grouping``, ``wrong_length``,
    ``all_same_digit``, ``check_digit_ten``, ``check_digit_mismatch``, ``range_not_allowed``.

    Examples
    --------
    >>> from carecoord import ids
    >>> try:
    ...     ids.nhs_number_parse("1111111111")
    ... except NhsNumberError as e:
    ...     print(e.code)
    all_same_digit
    """


class SnomedIdError(InvalidInputError):
    """A SNOMED CT identifier failed validation (DOMAIN.md 2.2).

    Codes: ``empty``, ``invalid_character``, ``wrong_length``, ``leading_zero``,
    ``check_digit_mismatch``, ``reserved_partition``, ``short_extension``, ``not_a_concept``.

    Examples
    --------
    >>> from carecoord import ids
    >>> try:
    ...     ids.snomed_parse("22298007")
    ... except SnomedIdError as e:
    ...     print(e.code)
    check_digit_mismatch
    """


class Icd10Error(InvalidInputError):
    """An ICD-10 code could not be cleaned.

    Codes: ``empty``, ``invalid_character``, ``misplaced_dot``, ``too_short``, ``too_long``,
    ``bad_category``.

    Examples
    --------
    >>> from carecoord import ids
    >>> try:
    ...     ids.icd10_clean("I2.14")
    ... except Icd10Error as e:
    ...     print(e.code)
    misplaced_dot
    """


class CalendarError(InvalidInputError):
    """A calendar computation failed (DOMAIN.md 2.3-2.5).

    Codes come from the core's ``CalendarError``, e.g. ``nonexistent_local_time``,
    ``ambiguous_local_time``, ``unknown_region``; the Python layer adds ``naive_datetime``
    for a datetime without a timezone where an instant is needed.

    Examples
    --------
    >>> from carecoord import calendar
    >>> try:
    ...     calendar.bank_holidays("atlantis", 2026)
    ... except CalendarError as e:
    ...     print(e.code)
    unknown_region
    """


class RiskError(InvalidInputError):
    """A risk computation could not run on its input (core ``risk::RiskError``).

    Codes: ``missing_column``, ``column_type``, ``invalid_option``, ``code_list``,
    ``model_spec``, ``arrow``.

    Examples
    --------
    >>> RiskError("column `age` not found in the input table", "missing_column").code
    'missing_column'
    """


class ScheduleError(InvalidInputError):
    """A scheduling document or diary query is invalid (core ``schedule::ScheduleError``).

    Raised as one subclass per core variant; catch this class for all of them. The message
    names the JSON path and the rule broken, never a value from the document (titles and
    labels are free text and may hold personal data).

    Parameters
    ----------
    message
        What went wrong.
    code
        The core's stable code, e.g. ``"unknown_id"``.
    path
        The JSON path of the problem inside the argument's document, e.g.
        ``"meetings[0].required[1]"``; ``None`` for invalid JSON and for queries.
    argument
        The argument at fault: ``"instance"``, ``"previous"`` or ``"solution"`` for a
        document; for a diary query the core's name of the argument (``"people"``,
        ``"rooms"``, ``"duration_minutes"``, ``"slot"``, ...); ``None`` when not known.

    Attributes
    ----------
    code : str
    path : str or None
    argument : str or None

    Examples
    --------
    >>> from carecoord import schedule
    >>> try:
    ...     schedule.solve({"schema": "carecoord.schedule.v1"})
    ... except ScheduleError as e:
    ...     print(type(e).__name__, e.code, e.path, e.argument)
    MissingFieldError missing_field horizon instance
    """

    path: Optional[str]
    argument: Optional[str]

    def __init__(
        self,
        message: str,
        code: str = "internal",
        path: Optional[str] = None,
        argument: Optional[str] = None,
    ) -> None:
        super().__init__(message, code)
        # Pickling rebuilds the exception from (message, code), then restores these from
        # the instance __dict__ (CarecoordError.__reduce__).
        self.path = path
        self.argument = argument


class InvalidJsonError(ScheduleError):
    """A document is not well-formed JSON (code ``invalid_json``); the message gives the line
    and column.

    Examples
    --------
    >>> from carecoord import schedule
    >>> try:
    ...     schedule.series_conflicts('{"schema": ')
    ... except InvalidJsonError as e:
    ...     print(e.code, "|", e)
    invalid_json | invalid JSON at line 1, column 11: unexpected end of input
    """


class MissingFieldError(ScheduleError):
    """A required field is missing (code ``missing_field``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> try:
    ...     schedule.series_conflicts({"schema": "carecoord.schedule.v1"})
    ... except MissingFieldError as e:
    ...     print(e.path)
    horizon
    """


class InvalidFieldError(ScheduleError):
    """A field has the wrong JSON type or a value outside its domain (code
    ``invalid_field``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> try:
    ...     schedule.series_conflicts({**inst, "rooms": {}})
    ... except InvalidFieldError as e:
    ...     print(e.path, "|", e)
    rooms | rooms: expected an array
    """


class DuplicateIdError(ScheduleError):
    """An id is used twice across people, rooms, meetings and series (code
    ``duplicate_id``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> try:
    ...     schedule.series_conflicts({**inst, "rooms": [{"id": "p1", "virtual": True}]})
    ... except DuplicateIdError as e:
    ...     print(e.path)
    rooms[0].id
    """


class UnknownIdError(ScheduleError):
    """A reference names an id that is not defined, or one of the wrong kind (code
    ``unknown_id``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> m1 = {"id": "m1", "duration_minutes": 30, "required": ["p1", "p2"]}
    >>> try:
    ...     schedule.solve({**inst, "meetings": [m1]})
    ... except UnknownIdError as e:
    ...     print(e.path, "|", e)
    meetings[0].required[1] | meetings[0].required[1]: unknown person id
    """


class InvalidTimeError(ScheduleError):
    """A date, time or date-time is malformed or breaks a time rule (code
    ``invalid_time``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> plan = {"assignments": [{"meeting": "m1", "start": "24/03/2026 09:00", "room": "r"}]}
    >>> try:
    ...     schedule.evaluate(inst, plan)
    ... except InvalidTimeError as e:
    ...     print(e.argument, e.path)
    solution assignments[0].start
    """


class InvalidRruleError(ScheduleError):
    """A series' RRULE could not be parsed or is invalid (code ``invalid_rrule``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> s1 = {"id": "s1", "rrule": "FREQ=WEEKLY;INTERVAL=0", "dtstart": "2026-03-23T09:00",
    ...       "duration_minutes": 30, "attendees": ["p1"]}
    >>> try:
    ...     schedule.series_conflicts({**inst, "series": [s1]})
    ... except InvalidRruleError as e:
    ...     print(e.path)
    series[0].rrule
    """


class UnsupportedRruleError(ScheduleError):
    """A series' RRULE uses a part that is not expanded, such as ``FREQ=HOURLY`` (code
    ``unsupported_rrule``).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> s1 = {"id": "s1", "rrule": "FREQ=HOURLY", "dtstart": "2026-03-23T09:00",
    ...       "duration_minutes": 30, "attendees": ["p1"]}
    >>> try:
    ...     schedule.series_conflicts({**inst, "series": [s1]})
    ... except UnsupportedRruleError as e:
    ...     print(e)
    series[0].rrule: RRULE part `FREQ=HOURLY` is not supported
    """


class PinnedInfeasibleError(ScheduleError):
    """A pinned meeting breaks a hard rule where it is pinned (code ``pinned_infeasible``);
    the message names the rule (format §5.1).

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> m1 = {"id": "m1", "duration_minutes": 60, "required": ["p1"],
    ...       "pinned": {"start": "2026-03-28T09:00", "room": "virt"}}
    >>> try:
    ...     schedule.solve({**inst, "rooms": [{"id": "virt", "virtual": True}], "meetings": [m1]})
    ... except PinnedInfeasibleError as e:
    ...     print(e)
    meetings[0].pinned: pinned slot breaks hard rule `outside_horizon`
    """


class InvalidQueryError(ScheduleError):
    """A diary query names an unknown person or room, or asks something impossible (code
    ``invalid_query``); ``argument`` names the query argument.

    Examples
    --------
    >>> from carecoord import schedule
    >>> inst = {"schema": "carecoord.schedule.v1", "people": [{"id": "p1"}],
    ...         "horizon": {"start": "2026-03-23", "days": 5}}
    >>> diary = schedule.Diary(inst)
    >>> try:
    ...     diary.earliest_common_slot(["p1", "p7"], 30)
    ... except InvalidQueryError as e:
    ...     print(e.argument, "|", e)
    people | query argument `people`: item 1 is not a person of the instance
    """


class DuplicateEntryError(ScheduleError):
    """An entry repeats a key that must be unique in its list, such as an action id (code
    ``duplicate_entry``).

    Examples
    --------
    >>> DuplicateEntryError("actions[2].id: duplicate action id", "duplicate_entry",
    ...                     "actions[2].id").path
    'actions[2].id'
    """


class UnknownActionError(ScheduleError):
    """An action id is not in the action log (code ``unknown_action``).

    Examples
    --------
    >>> UnknownActionError("id: no action with this id in the log", "unknown_action", "id").code
    'unknown_action'
    """


class ActionDateError(ScheduleError):
    """An action's dates contradict each other, e.g. completed before it was raised (code
    ``action_date``).

    Examples
    --------
    >>> ActionDateError("actions[0].due: due before it was raised", "action_date",
    ...                 "actions[0].due").code
    'action_date'
    """


class IdentifierNotAllowedError(ScheduleError):
    """A field shown to every attendee (agenda, minutes) holds what looks like an NHS
    number; use a local case reference (code ``identifier_not_allowed``).

    Examples
    --------
    >>> IdentifierNotAllowedError("items[2].patient_ref: looks like an NHS number; use a "
    ...                           "local case reference", "identifier_not_allowed",
    ...                           "items[2].patient_ref").path
    'items[2].patient_ref'
    """


class UnsupportedTypeError(InvalidInputError, TypeError):
    """A column has an Arrow type the function cannot read (also a :class:`TypeError`).

    Examples
    --------
    >>> from carecoord import ids
    >>> try:
    ...     ids.icd10_clean_column([1, 2])
    ... except UnsupportedTypeError as e:
    ...     print(e.code)
    unsupported_type
    """
