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
        └── UnsupportedTypeError(InvalidInputError, TypeError)

``InvalidInputError`` is also a ``ValueError``, so ``except ValueError`` catches every error
caused by bad input; ``UnsupportedTypeError`` (a column of the wrong Arrow type) is also a
``TypeError``.

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

from typing import Any, Tuple, Type

__all__ = [
    "CarecoordError",
    "InvalidInputError",
    "NhsNumberError",
    "SnomedIdError",
    "Icd10Error",
    "CalendarError",
    "RiskError",
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
