"""Exceptions raised by carecoord.

Every exception carries a stable, machine-readable ``code`` (the core library's
``code()`` string, such as ``"check_digit_mismatch"``) and a message that names the rule
broken. Messages never contain the value that was rejected: no NHS number, identifier or
other patient data appears in them (DOMAIN.md section 4).

The hierarchy::

    CarecoordError(Exception)
    ├── InvalidInputError(CarecoordError, ValueError)
    │   ├── NhsNumberError
    │   ├── SnomedIdError
    │   ├── Icd10Error
    │   ├── CalendarError
    │   ├── RiskError
    │   ├── ScheduleError
    │   │   ├── InvalidJsonError
    │   │   ├── MissingFieldError
    │   │   ├── InvalidFieldError
    │   │   ├── DuplicateIdError
    │   │   ├── UnknownIdError
    │   │   ├── InvalidTimeError
    │   │   ├── InvalidRruleError
    │   │   ├── UnsupportedRruleError
    │   │   ├── PinnedInfeasibleError
    │   │   ├── InvalidQueryError
    │   │   ├── DuplicateEntryError
    │   │   ├── UnknownActionError
    │   │   ├── ActionDateError
    │   │   └── IdentifierNotAllowedError
    │   ├── FlowError
    │   │   ├── FlowEndBeforeStartError
    │   │   ├── FlowTableRowError
    │   │   └── FlowDuplicateReasonError
    │   └── UnsupportedTypeError(InvalidInputError, TypeError)
    ├── CaseloadError(CarecoordError)                 (.seq)
    │   ├── CaseloadNotFoundError(CaseloadError, InvalidInputError)
    │   ├── CaseloadDuplicateError(CaseloadError, InvalidInputError)
    │   ├── CaseloadInvalidFieldError(CaseloadError, InvalidInputError)
    │   ├── CaseloadInvalidStateError(CaseloadError, InvalidInputError)
    │   ├── CaseloadOutOfOrderError(CaseloadError, InvalidInputError)
    │   ├── CaseloadStaffUnavailableError(CaseloadError, InvalidInputError)
    │   ├── CaseloadDeadlineError(CaseloadError, InvalidInputError)
    │   ├── CaseloadInvalidJsonError(CaseloadError, InvalidInputError)
    │   ├── CaseloadInvalidRequestError(CaseloadError, InvalidInputError)
    │   ├── CaseloadNoAllocationError
    │   └── CaseloadPoisonedError
    └── JournalError(CarecoordError)                  (.offset)
        ├── JournalIoError
        ├── NotAJournalError
        ├── JournalTornHeaderError
        ├── JournalUnsupportedVersionError
        ├── JournalSchemaMismatchError
        ├── JournalCorruptError
        ├── JournalTornTailError
        ├── JournalInvalidEventError
        └── JournalPoisonedError

``InvalidInputError`` is also a ``ValueError``, so ``except ValueError`` catches every error
caused by bad input; ``UnsupportedTypeError`` (a column of the wrong Arrow type) is also a
``TypeError``. Each ``ScheduleError`` subclass is one variant of the core's
``schedule::ScheduleError`` (its ``code`` in CamelCase); they also carry the JSON ``path``
and the ``argument`` at fault.

The caseload, journal and flow classes follow the same rule, one class per variant of the
core's ``caseload::CaseloadError``, ``journal::JournalError`` and ``flow::FlowError``, named
after the module and the variant (``CaseloadNotFoundError`` for ``not_found``;
``NotAJournalError`` rather than ``JournalNotAJournalError``). An event the caseload model
rejects is bad input, so those classes are also ``InvalidInputError`` (and ``ValueError``);
``CaseloadPoisonedError``, ``CaseloadNoAllocationError`` and the journal classes are not. A
caseload error caused by its journal (the core's ``CaseloadError::Journal``) is raised as
the ``JournalError`` subclass of the journal's error.

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
    "FlowError",
    "FlowEndBeforeStartError",
    "FlowTableRowError",
    "FlowDuplicateReasonError",
    "CaseloadError",
    "CaseloadNotFoundError",
    "CaseloadDuplicateError",
    "CaseloadInvalidFieldError",
    "CaseloadInvalidStateError",
    "CaseloadOutOfOrderError",
    "CaseloadStaffUnavailableError",
    "CaseloadDeadlineError",
    "CaseloadNoAllocationError",
    "CaseloadInvalidJsonError",
    "CaseloadInvalidRequestError",
    "CaseloadPoisonedError",
    "JournalError",
    "JournalIoError",
    "NotAJournalError",
    "JournalTornHeaderError",
    "JournalUnsupportedVersionError",
    "JournalSchemaMismatchError",
    "JournalCorruptError",
    "JournalTornTailError",
    "JournalInvalidEventError",
    "JournalPoisonedError",
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


class FlowError(InvalidInputError):
    """A patient-flow computation or delay-reason table failed (core ``flow::FlowError``).

    Raised as one subclass per core variant. Messages name the line and field, never a value.

    Examples
    --------
    >>> e = FlowEndBeforeStartError("the end of the stay is before the admission",
    ...                             "end_before_start")
    >>> isinstance(e, FlowError), isinstance(e, ValueError), e.code
    (True, True, 'end_before_start')
    """


class FlowEndBeforeStartError(FlowError):
    """The end of a stay (discharge or census) is before its admission (code
    ``end_before_start``).

    Examples
    --------
    >>> FlowEndBeforeStartError("the end of the stay is before the admission",
    ...                         "end_before_start").code
    'end_before_start'
    """


class FlowTableRowError(FlowError):
    """A row of a delay-reason table is malformed (code ``table_row``).

    Examples
    --------
    >>> FlowTableRowError("delay-reason table line 3: field `code`: must not be empty",
    ...                   "table_row").code
    'table_row'
    """


class FlowDuplicateReasonError(FlowError):
    """A delay-reason table repeats a (version, code) pair (code ``duplicate_reason``).

    Examples
    --------
    >>> FlowDuplicateReasonError("delay-reason table line 4: the version and code repeat "
    ...                          "an earlier row", "duplicate_reason").code
    'duplicate_reason'
    """


class CaseloadError(CarecoordError):
    """A caseload event was rejected, or a caseload request could not be used (core
    ``caseload::CaseloadError``).

    Raised as one subclass per core variant; catch this class for all of them. A rejected
    event changes nothing. The message names the event's sequence number, its kind and the
    field or entity at fault, never a value (no id, NHS number, date of birth or free text).

    Parameters
    ----------
    message
        What went wrong.
    code
        The core's stable code, e.g. ``"not_found"``.
    seq
        The sequence number of the rejected event (the number it would have had); ``None``
        when the error is not a rejection of one event.

    Attributes
    ----------
    code : str
    seq : int or None

    Examples
    --------
    >>> import datetime as dt
    >>> from carecoord.caseload import Caseload
    >>> c = Caseload()
    >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> try:
    ...     c.apply({"referral_closed": {"referral": "R-404", "outcome": "completed"}},
    ...             who="duty", at=at)
    ... except CaseloadError as e:
    ...     print(type(e).__name__, e.code, e.seq)
    ...     print(e)
    CaseloadNotFoundError not_found 1
    event 1 (referral_closed): field `referral`: no referral with this id
    """

    seq: Optional[int]

    def __init__(self, message: str, code: str = "internal", seq: Optional[int] = None) -> None:
        super().__init__(message, code)
        # Restored from the instance __dict__ after unpickling (CarecoordError.__reduce__).
        self.seq = seq


class CaseloadNotFoundError(CaseloadError, InvalidInputError):
    """The event refers to an entity that does not exist (code ``not_found``).

    Examples
    --------
    >>> e = CaseloadNotFoundError("event 4 (referral_closed): field `referral`: no referral "
    ...                           "with this id", "not_found", 4)
    >>> (e.seq, isinstance(e, ValueError))
    (4, True)
    """


class CaseloadDuplicateError(CaseloadError, InvalidInputError):
    """The event creates an entity whose id is taken (code ``duplicate``).

    Examples
    --------
    >>> CaseloadDuplicateError("event 2 (patient_registered): field `patient`: a patient "
    ...                        "with this id already exists", "duplicate", 2).seq
    2
    """


class CaseloadInvalidFieldError(CaseloadError, InvalidInputError):
    """A field's value breaks a rule: empty, out of range, not an allowed code, an id or
    free text that looks like an NHS number, ... (code ``invalid_field``).

    Examples
    --------
    >>> CaseloadInvalidFieldError("event 9 (rota_set): field `days`: must not be empty",
    ...                           "invalid_field", 9).code
    'invalid_field'
    """


class CaseloadInvalidStateError(CaseloadError, InvalidInputError):
    """The entity is not in a state that allows the event, e.g. closing a closed referral
    (code ``invalid_state``).

    Examples
    --------
    >>> CaseloadInvalidStateError("event 7 (referral_closed): the referral is closed: it "
    ...                           "cannot be closed again", "invalid_state", 7).seq
    7
    """


class CaseloadOutOfOrderError(CaseloadError, InvalidInputError):
    """A date or instant is out of order with another, e.g. a discharge before the
    admission (code ``out_of_order``).

    Examples
    --------
    >>> CaseloadOutOfOrderError("event 5 (discharged): field `discharged_at`: before the "
    ...                         "admission", "out_of_order", 5).code
    'out_of_order'
    """


class CaseloadStaffUnavailableError(CaseloadError, InvalidInputError):
    """The member of staff cannot take the work: absent, left, or without the skill (code
    ``staff_unavailable``).

    Examples
    --------
    >>> CaseloadStaffUnavailableError("event 8 (referral_allocated): field `staff`: the "
    ...                               "member of staff absent that day",
    ...                               "staff_unavailable", 8).seq
    8
    """


class CaseloadDeadlineError(CaseloadError, InvalidInputError):
    """A response deadline could not be computed from the service calendar (code
    ``deadline``).

    Examples
    --------
    >>> CaseloadDeadlineError("event 3 (referral_triaged): the response deadline cannot be "
    ...                       "computed: no service time", "deadline", 3).code
    'deadline'
    """


class CaseloadNoAllocationError(CaseloadError):
    """Nobody can be given the work (code ``no_allocation``); the message says why.

    Examples
    --------
    >>> CaseloadNoAllocationError("no allocation possible: nobody in the team has the skill",
    ...                           "no_allocation").seq is None
    True
    """


class CaseloadInvalidJsonError(CaseloadError, InvalidInputError):
    """Event JSON could not be read (code ``invalid_json``); the message gives the line and
    column.

    Examples
    --------
    >>> import datetime as dt
    >>> from carecoord.caseload import Caseload
    >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> try:
    ...     Caseload().apply('{"patient_registered": ', who="duty", at=at)
    ... except CaseloadInvalidJsonError as e:
    ...     print(e.code, "|", e)
    invalid_json | event JSON: eof error at line 1, column 23
    """


class CaseloadInvalidRequestError(CaseloadError, InvalidInputError):
    """An event, a query, bulk-load options or a row of a bulk load does not fit its
    shape; the message names the field at fault (code ``invalid_request``).

    Examples
    --------
    >>> import datetime as dt
    >>> from carecoord.caseload import Caseload
    >>> at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> try:
    ...     Caseload().apply({"patient_registered": {"patient": "P1", "practice": "SYN001"}},
    ...                      who="duty", at=at)
    ... except CaseloadInvalidRequestError as e:
    ...     print(e)
    event: field `birth_date`: missing field `birth_date`
    """


class CaseloadPoisonedError(CaseloadError):
    """An earlier append to the caseload journal failed, so memory and disk may disagree:
    open the journal again (code ``poisoned``).

    Examples
    --------
    >>> CaseloadPoisonedError("an earlier append failed; reopen the caseload journal",
    ...                       "poisoned").code
    'poisoned'
    """


class JournalError(CarecoordError):
    """An event journal could not be opened, read or appended to (core
    ``journal::JournalError``).

    Raised as one subclass per core variant; catch this class for all of them. Messages
    name the record number and byte offset, never the contents of a record.

    Parameters
    ----------
    message
        What went wrong.
    code
        The core's stable code, e.g. ``"not_a_journal"``.
    offset
        The byte offset in the file the error refers to, when there is one.

    Attributes
    ----------
    code : str
    offset : int or None

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from carecoord.caseload import Caseload
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = path.write_text("shopping list")
    >>> try:
    ...     Caseload.replay(path)
    ... except JournalError as e:
    ...     print(type(e).__name__, e.code)
    NotAJournalError not_a_journal
    """

    offset: Optional[int]

    def __init__(
        self, message: str, code: str = "internal", offset: Optional[int] = None
    ) -> None:
        super().__init__(message, code)
        self.offset = offset


class JournalIoError(JournalError):
    """The operating system refused a read, write, sync or open (code ``io``).

    Examples
    --------
    >>> JournalIoError("journal open failed: Permission denied (os error 13)", "io").code
    'io'
    """


class NotAJournalError(JournalError):
    """The file does not start with a ``carecoord.journal`` header line (code
    ``not_a_journal``).

    Examples
    --------
    >>> NotAJournalError("not a carecoord journal: the first line is not JSON",
    ...                  "not_a_journal").code
    'not_a_journal'
    """


class JournalTornHeaderError(JournalError):
    """The file holds only part of its header line: a crash while it was being created
    (code ``torn_header``).

    Examples
    --------
    >>> JournalTornHeaderError("journal header is incomplete (12 bytes): the journal was "
    ...                        "not fully created", "torn_header", 0).offset
    0
    """


class JournalUnsupportedVersionError(JournalError):
    """The header names a format version this library does not read (code
    ``unsupported_version``).

    Examples
    --------
    >>> JournalUnsupportedVersionError("journal format version 9 is not supported (this "
    ...                                "library reads version 1)", "unsupported_version").code
    'unsupported_version'
    """


class JournalSchemaMismatchError(JournalError):
    """The journal holds another kind of event, e.g. it is not a caseload journal (code
    ``schema_mismatch``).

    Examples
    --------
    >>> JournalSchemaMismatchError("journal schema is `a`, expected `b`", "schema_mismatch").code
    'schema_mismatch'
    """


class JournalCorruptError(JournalError):
    """A record before the last is damaged or out of sequence (code ``corrupt_record``);
    ``offset`` is where it starts.

    Examples
    --------
    >>> JournalCorruptError("record 3 at byte 200 is corrupt: checksum mismatch",
    ...                     "corrupt_record", 200).offset
    200
    """


class JournalTornTailError(JournalError):
    """The journal ends with a torn record and was not repaired (code ``torn_tail``).
    Opening it for writing repairs it; a read-only replay reports it as a warning instead.

    Examples
    --------
    >>> JournalTornTailError("record 4 at byte 310 is torn (17 bytes to the end of the "
    ...                      "file); open with repair_torn_tail to truncate it",
    ...                      "torn_tail", 310).offset
    310
    """


class JournalInvalidEventError(JournalError):
    """An event cannot be recorded, e.g. an empty ``who`` (code ``invalid_event``);
    nothing was written.

    Examples
    --------
    >>> JournalInvalidEventError("event 0 of the batch: field `who`: must not be empty",
    ...                          "invalid_event").code
    'invalid_event'
    """


class JournalPoisonedError(JournalError):
    """An earlier append failed while writing or syncing, so what is on disk is unknown:
    open the journal again, which recovers it (code ``poisoned``).

    Examples
    --------
    >>> JournalPoisonedError("an earlier append failed; reopen the journal to recover it",
    ...                      "poisoned").code
    'poisoned'
    """
