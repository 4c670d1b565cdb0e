"""UK calendars: bank holidays, ``Europe/London`` time, service hours and deadlines.

Bank holidays of the three GOV.UK divisions (``england-and-wales``, ``scotland``,
``northern-ireland``; ``england``, ``wales`` and ``ni`` are accepted too) come from the
compiled-in GOV.UK table for 2018-2028 (plus the Scottish 2026-06-15 holiday added by the
project) and from the published rules, marked ``source="rules"`` and provisional, for other
years from 1900 to 2199 (DOMAIN.md 2.3). Rule-based years know no one-off holidays.

Time zones (DOMAIN.md 2.4): an *instant* must be a timezone-aware ``datetime``; a naive one
raises :class:`~carecoord.errors.CalendarError` with code ``naive_datetime`` rather than being
guessed. To use a ``Europe/London`` wall-clock time, convert it first with
:func:`local_to_utc`, choosing what happens in the autumn fold with ``disambiguation=``.
Instants returned are UTC-aware datetimes; display them with
``.astimezone(zoneinfo.ZoneInfo("Europe/London"))``. Timestamp columns must carry a time zone
too (polars ``.dt.replace_time_zone``, pandas ``.dt.tz_localize``); date questions take
``datetime.date`` values or ``date32``/``date64`` columns.

Examples
--------
>>> import datetime as dt
>>> from carecoord import calendar
>>> calendar.is_bank_holiday(dt.date(2026, 4, 6))  # Easter Monday
True
>>> calendar.is_bank_holiday(dt.date(2026, 4, 6), region="scotland")
False
>>> team = calendar.ServiceHours.community_seven_day()  # 08:00-18:00, every day
>>> referral = dt.datetime(2026, 3, 28, 17, 0, tzinfo=dt.timezone.utc)  # 17:00 GMT, Saturday
>>> team.deadline_in_service_hours(referral, dt.timedelta(hours=2))  # 1 h Sat + 1 h Sun (BST)
datetime.datetime(2026, 3, 29, 8, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, List, Literal, Optional, Tuple, Union

from . import _native
from ._arrow import ColumnLike, as_stream
from .errors import CalendarError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "REGIONS",
    "BankHoliday",
    "BankHolidayPolicy",
    "ServiceHours",
    "bank_holidays",
    "bank_holidays_between",
    "bank_holiday",
    "is_bank_holiday",
    "is_bank_holiday_column",
    "local_to_utc",
    "local_date",
    "elapsed_deadline",
]

#: The GOV.UK bank-holiday divisions, in GOV.UK order.
REGIONS: Tuple[str, str, str] = ("england-and-wales", "scotland", "northern-ireland")

Disambiguation = Literal["reject", "earlier", "later"]

_NAIVE = (
    "{name} has no timezone; attach one (e.g. tzinfo=datetime.timezone.utc) or convert a "
    "Europe/London wall-clock time with carecoord.calendar.local_to_utc(..., "
    'disambiguation="reject"|"earlier"|"later")'
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _instant(value: _dt.datetime, name: str) -> _dt.datetime:
    """An aware datetime as UTC; naive ones are rejected, never guessed."""
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{name} must be a datetime.datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise CalendarError(_NAIVE.format(name=name), "naive_datetime")
    return value.astimezone(_dt.timezone.utc)


def _date(value: _dt.date, name: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime; "
            "for an instant use carecoord.calendar.local_date(...)"
        )
    if not isinstance(value, _dt.date):
        raise TypeError(f"{name} must be a datetime.date")
    return value


def _timedelta(value: _dt.timedelta, name: str) -> _dt.timedelta:
    if not isinstance(value, _dt.timedelta):
        raise TypeError(f"{name} must be a datetime.timedelta")
    return value


def _table(rows: List[Tuple[_dt.date, str, str, str]]) -> pa.Table:
    import pyarrow as pa

    dates, titles, regions, sources = zip(*rows) if rows else ((), (), (), ())
    return pa.table(
        {
            "date": pa.array(dates, pa.date32()),
            "title": pa.array(titles, pa.string()),
            "region": pa.array(regions, pa.string()),
            "source": pa.array(sources, pa.string()),
        }
    )


# --------------------------------------------------------------------------------------------
# Bank holidays
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankHoliday:
    """One bank holiday in one division, as returned by :func:`bank_holiday`.

    Attributes
    ----------
    date : datetime.date
        The date the holiday is taken (the substitute date where one applies).
    title : str
        The GOV.UK title (ASCII apostrophes), with ``" (substitute day)"`` where the date is
        a substitute.
    region : str
        The division's GOV.UK slug.
    source : str
        ``"table"`` (announced GOV.UK dates) or ``"rules"`` (provisional).

    Examples
    --------
    >>> import datetime as dt
    >>> bank_holiday(dt.date(2026, 11, 30), region="scotland")
    BankHoliday(date=datetime.date(2026, 11, 30), title="St Andrew's Day", region='scotland', source='table')
    """

    date: _dt.date
    title: str
    region: str
    source: str


def bank_holidays(region: str, year: int) -> pa.Table:
    """Bank holidays of ``region`` in ``year``, sorted by date.

    Parameters
    ----------
    region
        ``england-and-wales``, ``scotland`` or ``northern-ireland`` (case-insensitive;
        ``england``, ``wales`` and ``ni`` also accepted).
    year
        1900 to 2199. Years outside 2018-2028 come from the rules (``source="rules"``).

    Returns
    -------
    pyarrow.Table
        Columns ``date`` (date32), ``title``, ``region`` (the GOV.UK slug), ``source``
        (``table`` or ``rules``).

    Raises
    ------
    CalendarError
        ``unknown_region`` or ``year_out_of_range``.

    Examples
    --------
    >>> t = bank_holidays("scotland", 2026)
    >>> t.num_rows, t.column_names
    (10, ['date', 'title', 'region', 'source'])
    >>> t.column("title")[1].as_py()
    '2nd January'
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError("year must be an int")
    if not -(2**31) <= year < 2**31:
        raise CalendarError("year is outside the supported range 1900-2199", "year_out_of_range")
    return _table(_native.bank_holidays(region, year))


def bank_holidays_between(region: str, start: _dt.date, end: _dt.date) -> pa.Table:
    """Bank holidays of ``region`` from ``start`` to ``end``, both inclusive.

    Parameters
    ----------
    region
        As :func:`bank_holidays`.
    start, end
        The first and last dates; empty if ``end`` is before ``start``.

    Returns
    -------
    pyarrow.Table
        As :func:`bank_holidays`.

    Raises
    ------
    CalendarError
        ``unknown_region``, or ``year_out_of_range`` outside 1900-2199.

    Examples
    --------
    >>> import datetime as dt
    >>> t = bank_holidays_between("england-and-wales", dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    >>> t.column("title").to_pylist()
    ['Christmas Day', 'Boxing Day (substitute day)', "New Year's Day"]
    """
    return _table(
        _native.bank_holidays_between(region, _date(start, "start"), _date(end, "end"))
    )


def bank_holiday(date: _dt.date, region: str = "england-and-wales") -> Optional[BankHoliday]:
    """The bank holiday of ``region`` on ``date``, or ``None``.

    Parameters
    ----------
    date
        A calendar date (``datetime.date``; not a ``datetime``).
    region
        As :func:`bank_holidays`.

    Returns
    -------
    BankHoliday or None
        ``None`` also for dates outside 1900-2199.

    Raises
    ------
    CalendarError
        ``unknown_region``.

    Examples
    --------
    >>> import datetime as dt
    >>> bank_holiday(dt.date(2027, 12, 28)).title
    'Boxing Day (substitute day)'
    >>> bank_holiday(dt.date(2027, 12, 29)) is None
    True
    """
    row = _native.bank_holiday(region, _date(date, "date"))
    return None if row is None else BankHoliday(*row)


def is_bank_holiday(date: _dt.date, region: str = "england-and-wales") -> bool:
    """Whether ``date`` is a bank holiday in ``region``.

    Parameters
    ----------
    date
        A calendar date (``datetime.date``). For an instant, pass ``local_date(instant)``.
    region
        As :func:`bank_holidays`.

    Returns
    -------
    bool
        ``False`` for dates outside 1900-2199.

    Raises
    ------
    CalendarError
        ``unknown_region``.

    Examples
    --------
    >>> import datetime as dt
    >>> is_bank_holiday(dt.date(2026, 6, 15), region="scotland")  # World Cup holiday
    True
    >>> is_bank_holiday(dt.date(2026, 7, 13), region="ni")  # 12 July is a Sunday
    True
    """
    return _native.is_bank_holiday(region, _date(date, "date"))


def is_bank_holiday_column(dates: ColumnLike, region: str = "england-and-wales") -> pa.BooleanArray:
    """Whether each row is a bank holiday in ``region`` (vectorised :func:`is_bank_holiday`).

    Parameters
    ----------
    dates
        A ``date32`` or ``date64`` column, or a timestamp column with a time zone (each
        instant is taken at its ``Europe/London`` date); pyarrow, polars, pandas, numpy or a
        list of ``datetime.date``.
    region
        As :func:`bank_holidays`.

    Returns
    -------
    pyarrow.BooleanArray
        Null where the input is null.

    Raises
    ------
    CalendarError
        ``unknown_region``; ``naive_datetime`` for a timestamp column without a time zone.
    UnsupportedTypeError
        For any other column type.

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2026, 12, 25), dt.date(2026, 12, 27), dt.date(2026, 12, 28), None]
    >>> is_bank_holiday_column(days).to_pylist()  # Boxing Day (Sat) moves to Mon 28th
    [True, False, True, None]
    >>> import pyarrow as pa
    >>> late = pa.array([dt.datetime(2026, 8, 30, 23, 30)], pa.timestamp("us", tz="UTC"))
    >>> is_bank_holiday_column(late).to_pylist()  # 00:30 BST on Monday 31 August
    [True]
    """
    return _native.is_bank_holiday_column(region, as_stream(dates))


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------


def local_to_utc(local: _dt.datetime, disambiguation: Disambiguation = "reject") -> _dt.datetime:
    """The UTC instant of a ``Europe/London`` wall-clock time; never guesses.

    Parameters
    ----------
    local
        A naive ``datetime`` read as ``Europe/London`` wall-clock time.
    disambiguation
        For a time that occurs twice (01:00-01:59 on the last Sunday of October):
        ``"reject"`` (default) raises, ``"earlier"`` takes the BST instant, ``"later"`` the
        GMT one. A time in the spring-forward gap (01:00-01:59 on the last Sunday of March)
        never exists and always raises.

    Returns
    -------
    datetime.datetime
        UTC-aware.

    Raises
    ------
    CalendarError
        ``nonexistent_local_time``, ``ambiguous_local_time``, ``aware_datetime`` if
        ``local`` already has a timezone, ``unknown_disambiguation``.

    Examples
    --------
    >>> import datetime as dt
    >>> fold = dt.datetime(2026, 10, 25, 1, 30)
    >>> local_to_utc(fold, disambiguation="earlier")  # 01:30 BST
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.timezone.utc)
    >>> local_to_utc(fold, disambiguation="later")  # 01:30 GMT
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.timezone.utc)
    >>> local_to_utc(dt.datetime(2026, 3, 29, 1, 30))
    Traceback (most recent call last):
    ...
    carecoord.errors.CalendarError: local time does not exist in Europe/London (daylight saving gap)
    """
    if not isinstance(local, _dt.datetime):
        raise TypeError("local must be a datetime.datetime")
    if local.tzinfo is not None:
        raise CalendarError(
            "local already has a timezone; use .astimezone(datetime.timezone.utc) instead",
            "aware_datetime",
        )
    if disambiguation not in ("reject", "earlier", "later"):
        raise CalendarError(
            'disambiguation must be "reject", "earlier" or "later"', "unknown_disambiguation"
        )
    return _native.local_to_utc(local, disambiguation)


def local_date(instant: _dt.datetime) -> _dt.date:
    """The ``Europe/London`` calendar date of an instant.

    Parameters
    ----------
    instant
        A timezone-aware ``datetime``.

    Returns
    -------
    datetime.date

    Raises
    ------
    CalendarError
        ``naive_datetime``.

    Examples
    --------
    >>> import datetime as dt
    >>> local_date(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.timezone.utc))  # 00:30 BST
    datetime.date(2026, 7, 1)
    """
    return _native.local_date(_instant(instant, "instant"))


def elapsed_deadline(start: _dt.datetime, within: _dt.timedelta) -> _dt.datetime:
    """The wall-clock deadline ``within`` after ``start`` (elapsed time, not service time).

    Durations are measured between instants, so a 2-hour clock across a daylight saving
    change is still 120 minutes.

    Parameters
    ----------
    start
        A timezone-aware ``datetime``.
    within
        The duration.

    Returns
    -------
    datetime.datetime
        UTC-aware.

    Raises
    ------
    CalendarError
        ``naive_datetime``.

    Examples
    --------
    >>> import datetime as dt
    >>> start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.timezone.utc)  # 00:30 GMT
    >>> elapsed_deadline(start, dt.timedelta(hours=2))  # 03:30 BST
    datetime.datetime(2026, 3, 29, 2, 30, tzinfo=datetime.timezone.utc)
    """
    return _native.elapsed_deadline(_instant(start, "start"), _timedelta(within, "within"))


# --------------------------------------------------------------------------------------------
# Service hours
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankHolidayPolicy:
    """Whether a service works on bank holidays.

    Build with :meth:`worked` or :meth:`closed`.

    Attributes
    ----------
    closed_region : str or None
        The division whose bank holidays close the service; ``None`` if they are worked.

    Examples
    --------
    >>> BankHolidayPolicy.closed("wales")
    BankHolidayPolicy(closed_region='england-and-wales')
    >>> BankHolidayPolicy.worked().closed_region is None
    True
    """

    closed_region: Optional[str] = None

    def __post_init__(self) -> None:
        if self.closed_region is not None:
            object.__setattr__(self, "closed_region", _native.region_slug(self.closed_region))

    @classmethod
    def worked(cls) -> BankHolidayPolicy:
        """Bank holidays are ordinary days.

        Returns
        -------
        BankHolidayPolicy

        Examples
        --------
        >>> BankHolidayPolicy.worked()
        BankHolidayPolicy(closed_region=None)
        """
        return cls(None)

    @classmethod
    def closed(cls, region: str) -> BankHolidayPolicy:
        """Closed on the bank holidays of ``region``.

        Parameters
        ----------
        region
            As :func:`bank_holidays`.

        Returns
        -------
        BankHolidayPolicy

        Raises
        ------
        CalendarError
            ``unknown_region``.

        Examples
        --------
        >>> BankHolidayPolicy.closed("NI").closed_region
        'northern-ireland'
        """
        return cls(region)


def _weekday(day: Union[int, str]) -> int:
    if isinstance(day, str):
        key = day.strip().lower()
        for number, name in enumerate(_WEEKDAYS):
            if key in (name, name[:3]):
                return number
    elif not isinstance(day, bool) and isinstance(day, int) and 0 <= day <= 6:
        return day
    raise CalendarError(
        "invalid service hours: days are 0 (Monday) to 6 (Sunday) or names such as "
        '"mon" or "monday"',
        "invalid_service_hours",
    )


class ServiceHours:
    """A service calendar: open ``open``-``close`` local time on some days of the week.

    Times are ``Europe/London`` wall-clock times on the same day (no overnight services).
    Clocks measured here pause outside service hours (DOMAIN.md 2.5); for elapsed time use
    :func:`elapsed_deadline`. Every instant argument must be timezone-aware.

    Parameters
    ----------
    open, close
        Naive ``datetime.time`` values; ``open`` must be before ``close``.
    days
        Days of the week the service works: ``date.weekday()`` numbers (0 = Monday) or names
        (``"mon"``/``"monday"``, case-insensitive).
    bank_holidays
        :class:`BankHolidayPolicy`; by default bank holidays are worked.

    Raises
    ------
    CalendarError
        ``invalid_service_hours`` (``open`` not before ``close``, no days, bad day names,
        times with a tzinfo), ``unknown_region``.

    Examples
    --------
    >>> import datetime as dt
    >>> clinic = ServiceHours(dt.time(9), dt.time(17), ["mon", "wed", "fri"],
    ...                       bank_holidays=BankHolidayPolicy.closed("england-and-wales"))
    >>> clinic
    ServiceHours(datetime.time(9, 0), datetime.time(17, 0), [0, 2, 4], bank_holidays=BankHolidayPolicy(closed_region='england-and-wales'))
    >>> clinic.is_working_day(dt.date(2026, 4, 6))  # Easter Monday
    False
    """

    __slots__ = ("_inner",)

    def __init__(
        self,
        open: _dt.time,
        close: _dt.time,
        days: Iterable[Union[int, str]],
        *,
        bank_holidays: Optional[BankHolidayPolicy] = None,
    ) -> None:
        for name, t in (("open", open), ("close", close)):
            if not isinstance(t, _dt.time):
                raise TypeError(f"{name} must be a datetime.time")
            if t.tzinfo is not None:
                raise CalendarError(
                    "invalid service hours: opening and closing times are Europe/London "
                    "wall-clock times and take no tzinfo",
                    "invalid_service_hours",
                )
        if isinstance(days, (str, bytes)):
            raise TypeError("days must be an iterable of weekdays, not a single string")
        policy = BankHolidayPolicy.worked() if bank_holidays is None else bank_holidays
        if not isinstance(policy, BankHolidayPolicy):
            raise TypeError("bank_holidays must be a BankHolidayPolicy")
        self._inner = _native.ServiceHours(
            open, close, [_weekday(d) for d in days], policy.closed_region
        )

    @classmethod
    def _wrap(cls, inner: _native.ServiceHours) -> ServiceHours:
        self = cls.__new__(cls)
        self._inner = inner
        return self

    @classmethod
    def community_seven_day(cls) -> ServiceHours:
        """08:00-18:00 every day, bank holidays worked (the community team, DOMAIN.md 2.5).

        Returns
        -------
        ServiceHours

        Examples
        --------
        >>> ServiceHours.community_seven_day().days
        (0, 1, 2, 3, 4, 5, 6)
        """
        return cls._wrap(_native.ServiceHours.community_seven_day())

    @classmethod
    def weekday_office(cls, region: str) -> ServiceHours:
        """08:00-18:00 Monday to Friday, closed on ``region``'s bank holidays (duty team).

        Parameters
        ----------
        region
            As :func:`bank_holidays`.

        Returns
        -------
        ServiceHours

        Raises
        ------
        CalendarError
            ``unknown_region``.

        Examples
        --------
        >>> ServiceHours.weekday_office("scotland").bank_holidays
        BankHolidayPolicy(closed_region='scotland')
        """
        return cls._wrap(_native.ServiceHours.weekday_office(region))

    @classmethod
    def ucr_national(cls) -> ServiceHours:
        """08:00-20:00 seven days, bank holidays worked: the national UCR minimum (2.6).

        Returns
        -------
        ServiceHours

        Examples
        --------
        >>> ServiceHours.ucr_national().close
        datetime.time(20, 0)
        """
        return cls._wrap(_native.ServiceHours.ucr_national())

    @property
    def open(self) -> _dt.time:
        """The local opening time.

        Examples
        --------
        >>> ServiceHours.ucr_national().open
        datetime.time(8, 0)
        """
        return self._inner.open

    @property
    def close(self) -> _dt.time:
        """The local closing time (closed from this time on).

        Examples
        --------
        >>> ServiceHours.community_seven_day().close
        datetime.time(18, 0)
        """
        return self._inner.close

    @property
    def days(self) -> Tuple[int, ...]:
        """The service days as ``date.weekday()`` numbers, Monday first.

        Examples
        --------
        >>> ServiceHours.weekday_office("england").days
        (0, 1, 2, 3, 4)
        """
        return tuple(self._inner.days)

    @property
    def bank_holidays(self) -> BankHolidayPolicy:
        """The bank-holiday policy.

        Examples
        --------
        >>> ServiceHours.ucr_national().bank_holidays
        BankHolidayPolicy(closed_region=None)
        """
        return BankHolidayPolicy(self._inner.closed_region)

    def __repr__(self) -> str:
        return (
            f"ServiceHours({self.open!r}, {self.close!r}, {list(self.days)!r}, "
            f"bank_holidays={self.bank_holidays!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServiceHours):
            return NotImplemented
        return bool(self._inner == other._inner)

    def __hash__(self) -> int:
        return hash(self._inner)

    def is_working_day(self, date: _dt.date) -> bool:
        """Whether the service works on local date ``date``.

        Parameters
        ----------
        date
            A ``datetime.date``.

        Returns
        -------
        bool

        Examples
        --------
        >>> import datetime as dt
        >>> ServiceHours.weekday_office("england").is_working_day(dt.date(2026, 4, 3))
        False
        """
        return self._inner.is_working_day(_date(date, "date"))

    def opening_on(self, date: _dt.date) -> Optional[Tuple[_dt.datetime, _dt.datetime]]:
        """The UTC instants the service opens and closes on ``date``, or ``None``.

        A configured time in the spring-forward gap becomes 02:00 BST; one in the autumn
        fold resolves to the longer day (earlier opening, later closing).

        Parameters
        ----------
        date
            A ``datetime.date``.

        Returns
        -------
        tuple of datetime.datetime, or None
            ``None`` when ``date`` is not a working day.

        Examples
        --------
        >>> import datetime as dt
        >>> opens, closes = ServiceHours.community_seven_day().opening_on(dt.date(2026, 3, 29))
        >>> opens.hour, closes.hour  # 08:00 and 18:00 BST
        (7, 17)
        """
        return self._inner.opening_on(_date(date, "date"))

    def is_open(self, instant: _dt.datetime) -> bool:
        """Whether the service is open at ``instant`` (opening inclusive, closing exclusive).

        Parameters
        ----------
        instant
            A timezone-aware ``datetime``.

        Returns
        -------
        bool

        Raises
        ------
        CalendarError
            ``naive_datetime``.

        Examples
        --------
        >>> import datetime as dt
        >>> team = ServiceHours.community_seven_day()
        >>> team.is_open(dt.datetime(2026, 7, 1, 17, 30, tzinfo=dt.timezone.utc))  # 18:30 BST
        False
        """
        return self._inner.is_open(_instant(instant, "instant"))

    def next_opening(self, instant: _dt.datetime) -> _dt.datetime:
        """The first instant at or after ``instant`` when the service is open.

        Parameters
        ----------
        instant
            A timezone-aware ``datetime``.

        Returns
        -------
        datetime.datetime
            UTC-aware.

        Raises
        ------
        CalendarError
            ``naive_datetime``; ``no_service_time`` if it does not open within 3660 days.

        Examples
        --------
        >>> import datetime as dt
        >>> office = ServiceHours.weekday_office("england-and-wales")
        >>> office.next_opening(dt.datetime(2026, 4, 4, 12, tzinfo=dt.timezone.utc))
        datetime.datetime(2026, 4, 7, 7, 0, tzinfo=datetime.timezone.utc)
        """
        return self._inner.next_opening(_instant(instant, "instant"))

    def service_time_between(self, start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta:
        """The time inside service hours in ``[start, end)``; zero if ``end <= start``.

        Parameters
        ----------
        start, end
            Timezone-aware ``datetime`` values.

        Returns
        -------
        datetime.timedelta

        Raises
        ------
        CalendarError
            ``naive_datetime``.

        Examples
        --------
        >>> import datetime as dt
        >>> utc = dt.timezone.utc
        >>> ServiceHours.community_seven_day().service_time_between(
        ...     dt.datetime(2026, 3, 28, 17, tzinfo=utc), dt.datetime(2026, 3, 29, 8, tzinfo=utc))
        datetime.timedelta(seconds=7200)
        """
        return self._inner.service_time_between(_instant(start, "start"), _instant(end, "end"))

    def deadline_in_service_hours(
        self, start: _dt.datetime, within: _dt.timedelta
    ) -> _dt.datetime:
        """When ``within`` of service time has elapsed since ``start``.

        The clock starts at ``start`` if open, else at the next opening, and pauses from
        each closing to the next opening.

        Parameters
        ----------
        start
            A timezone-aware ``datetime``.
        within
            A non-negative ``timedelta``.

        Returns
        -------
        datetime.datetime
            UTC-aware.

        Raises
        ------
        CalendarError
            ``naive_datetime``, ``negative_duration``, ``no_service_time``.

        Examples
        --------
        >>> import datetime as dt
        >>> team = ServiceHours.community_seven_day()
        >>> start = dt.datetime(2026, 6, 10, 16, 30, tzinfo=dt.timezone.utc)  # 17:30 BST
        >>> team.deadline_in_service_hours(start, dt.timedelta(hours=2))  # 09:30 BST next day
        datetime.datetime(2026, 6, 11, 8, 30, tzinfo=datetime.timezone.utc)
        """
        return self._inner.deadline_in_service_hours(
            _instant(start, "start"), _timedelta(within, "within")
        )

    def deadline_in_service_hours_column(
        self, starts: ColumnLike, within: _dt.timedelta
    ) -> pa.TimestampArray:
        """Vectorised :meth:`deadline_in_service_hours` over a timestamp column.

        Parameters
        ----------
        starts
            A timestamp column with a time zone (any unit); pyarrow, polars, pandas or a list
            of aware datetimes.
        within
            A non-negative ``timedelta``, the same for every row.

        Returns
        -------
        pyarrow.TimestampArray
            Same unit as ``starts``, time zone ``UTC``; null where the input is null.

        Raises
        ------
        CalendarError
            ``naive_datetime`` for a column without a time zone; the first row's
            ``negative_duration`` or ``no_service_time`` error.
        UnsupportedTypeError
            If ``starts`` is not a timestamp column.

        Examples
        --------
        >>> import datetime as dt
        >>> utc = dt.timezone.utc
        >>> team = ServiceHours.community_seven_day()
        >>> starts = [dt.datetime(2026, 3, 28, 17, tzinfo=utc), None]
        >>> due = team.deadline_in_service_hours_column(starts, dt.timedelta(hours=2))
        >>> due.type
        TimestampType(timestamp[us, tz=UTC])
        >>> [None if d is None else d.isoformat() for d in due.to_pylist()]
        ['2026-03-29T08:00:00+00:00', None]
        """
        return self._inner.deadline_in_service_hours_column(
            as_stream(starts), _timedelta(within, "within")
        )

    def add_working_days(self, start: _dt.datetime, days: int) -> _dt.datetime:
        """The closing instant of the ``days``-th working day after the local date of ``start``.

        The day of ``start`` never counts. With ``days=0``: the closing of ``start``'s day if
        that is a working day and ``start`` is before closing, else of the next working day.

        Parameters
        ----------
        start
            A timezone-aware ``datetime``.
        days
            A non-negative number of working days.

        Returns
        -------
        datetime.datetime
            UTC-aware.

        Raises
        ------
        CalendarError
            ``naive_datetime``, ``negative_duration`` (``days < 0``), ``no_service_time``.

        Examples
        --------
        >>> import datetime as dt
        >>> office = ServiceHours.weekday_office("england-and-wales")
        >>> thursday = dt.datetime(2026, 4, 2, 9, tzinfo=dt.timezone.utc)  # before Easter
        >>> office.add_working_days(thursday, 2)  # Tue 7 and Wed 8 April, 18:00 BST
        datetime.datetime(2026, 4, 8, 17, 0, tzinfo=datetime.timezone.utc)
        """
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError("days must be an int")
        if days < 0:
            raise CalendarError("number of working days must not be negative", "negative_duration")
        if days >= 2**32:
            raise CalendarError(
                "not enough service time within the search horizon of 3660 days",
                "no_service_time",
            )
        return self._inner.add_working_days(_instant(start, "start"), days)

    def working_days_between(self, start: _dt.date, end: _dt.date) -> int:
        """Working days in ``(start, end]``; negative if ``end`` is before ``start``.

        Parameters
        ----------
        start, end
            ``datetime.date`` values.

        Returns
        -------
        int

        Examples
        --------
        >>> import datetime as dt
        >>> office = ServiceHours.weekday_office("england-and-wales")
        >>> office.working_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 8))
        2
        """
        return self._inner.working_days_between(_date(start, "start"), _date(end, "end"))
