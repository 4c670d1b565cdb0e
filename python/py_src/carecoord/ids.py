"""Identifiers: NHS number, SNOMED CT identifier (SCTID) and ICD-10 code.

Scalar functions take one string; vectorised functions take a whole column (pyarrow, polars,
pandas, numpy or a Python list; see :mod:`carecoord._arrow`) and return one ``pyarrow.Array``
of the same length, with nulls where the input was null. Polars users can wrap results with
``pl.from_arrow``; pandas users with ``.to_pandas()``.

Rules (DOMAIN.md 2.1, 2.2):

* NHS number: ten ASCII digits, given as ``9434765919``, ``943 476 5919`` or ``943-476-5919``
  (surrounding white space ignored); modulus 11 check digit; numbers whose ten digits are all
  the same are rejected. Integer columns (``int64``, ``uint64``, ``int32``) are read with
  leading zeros restored, so Scottish CHI numbers survive an integer column.
* SNOMED CT identifier: 6 to 18 digits, no leading zero, Verhoeff check digit, partition
  ``00``/``01``/``02`` (International) or ``10``/``11``/``12`` (extension, with a 7-digit
  namespace). Integer columns are accepted.
* ICD-10: cleaned to upper case without dot, dagger or asterisk (``i21.4`` -> ``I214``).
  String columns only.

Errors are :class:`~carecoord.errors.NhsNumberError`, :class:`~carecoord.errors.SnomedIdError`
and :class:`~carecoord.errors.Icd10Error` (all ``ValueError``), with a stable ``.code`` and a
message that never contains the rejected value. Vectorised functions never raise for bad
rows: ``*_reasons`` gives the code of the rule each row broke. A column of an unreadable type
(floats, say: a pandas integer column with ``NaN`` is ``float64``; use the ``"Int64"``
dtype) raises :class:`~carecoord.errors.UnsupportedTypeError`.

Examples
--------
>>> from carecoord import ids
>>> ids.nhs_number_parse("943 476 5919")
'9434765919'
>>> ids.nhs_number_validate(["9434765919", "9434765918", None]).to_pylist()
[True, False, None]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from . import _native
from ._arrow import ColumnLike, as_stream
from .errors import NhsNumberError, SnomedIdError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "SnomedId",
    "Icd10Code",
    "nhs_number_parse",
    "nhs_number_is_valid",
    "nhs_number_range",
    "nhs_number_with_check_digit",
    "nhs_number_mask",
    "nhs_number_to_spaced",
    "snomed_parse",
    "snomed_is_valid",
    "snomed_verhoeff_check_digit",
    "icd10_parse",
    "icd10_clean",
    "nhs_number_validate",
    "nhs_number_normalise",
    "nhs_number_reasons",
    "snomed_validate",
    "snomed_reasons",
    "icd10_clean_column",
    "icd10_reasons",
]

_U64_LIMIT = 2**64


def _require_int(value: object, name: str) -> None:
    # `bool` is an `int` but never a meaningful identifier.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int")


# --------------------------------------------------------------------------------------------
# NHS number
# --------------------------------------------------------------------------------------------


def nhs_number_parse(s: str) -> str:
    """Validate an NHS number and return its canonical ten digits.

    Parameters
    ----------
    s
        ``9434765919``, ``943 476 5919`` or ``943-476-5919``; surrounding white space is
        ignored.

    Returns
    -------
    str
        The ten digits without separators.

    Raises
    ------
    NhsNumberError
        Naming the rule broken (``.code``: ``empty``, ``invalid_character``, ``bad_grouping``,
        ``wrong_length``, ``all_same_digit``, ``check_digit_ten``, ``check_digit_mismatch``).

    Examples
    --------
    >>> nhs_number_parse("943-476-5919")
    '9434765919'
    >>> nhs_number_parse("1234567890")
    Traceback (most recent call last):
    ...
    carecoord.errors.NhsNumberError: NHS number check digit would be 10 (no valid number has these first nine digits)
    """
    return _native.nhs_number_parse(s)


def nhs_number_is_valid(s: str) -> bool:
    """Whether ``s`` is a valid NHS number (in any layout :func:`nhs_number_parse` accepts).

    Parameters
    ----------
    s
        The candidate number.

    Returns
    -------
    bool

    Examples
    --------
    >>> nhs_number_is_valid("943 476 5919")
    True
    >>> nhs_number_is_valid("1111111111")  # all digits the same: never issued
    False
    """
    return _native.nhs_number_is_valid(s)


def nhs_number_range(s: str) -> str:
    """The allocation range of a valid NHS number (information only; never a rejection).

    Parameters
    ----------
    s
        A valid NHS number.

    Returns
    -------
    str
        ``scottish_chi``, ``northern_ireland``, ``england_wales_iom``, ``test`` (999 and the
        rest of 900 000 0000 upwards: synthetic records) or ``unallocated``.

    Raises
    ------
    NhsNumberError
        If ``s`` is not a valid NHS number.

    Examples
    --------
    >>> nhs_number_range("4000000632")
    'england_wales_iom'
    >>> nhs_number_range("9434765919")
    'test'
    """
    return _native.nhs_number_range(s)


def nhs_number_with_check_digit(first_nine: int) -> str:
    """Complete nine leading digits with their check digit (to make synthetic numbers).

    Parameters
    ----------
    first_nine
        ``0`` to ``999_999_999``; leading zeros are implied (``10_000_000`` is ``010000000``).

    Returns
    -------
    str
        The ten-digit NHS number.

    Raises
    ------
    NhsNumberError
        ``check_digit_ten`` when no valid number starts with these digits,
        ``all_same_digit`` (e.g. ``111_111_111``), ``wrong_length`` when ``first_nine`` is
        negative or has more than nine digits.

    Examples
    --------
    >>> nhs_number_with_check_digit(943_476_591)
    '9434765919'
    >>> nhs_number_with_check_digit(10_000_000)
    '0100000002'
    """
    _require_int(first_nine, "first_nine")
    if not 0 <= first_nine < _U64_LIMIT:
        raise NhsNumberError(
            "first nine digits must be an integer from 0 to 999999999", "wrong_length"
        )
    return _native.nhs_number_with_check_digit(first_nine)


def nhs_number_mask(s: str) -> str:
    """The masked form of a valid NHS number, showing only the last four digits.

    Parameters
    ----------
    s
        A valid NHS number.

    Returns
    -------
    str
        ``***-***-`` followed by the last four digits.

    Raises
    ------
    NhsNumberError
        If ``s`` is not a valid NHS number.

    Examples
    --------
    >>> nhs_number_mask("943 476 5919")
    '***-***-5919'
    """
    return _native.nhs_number_mask(s)


def nhs_number_to_spaced(s: str) -> str:
    """The spaced ``3 3 4`` form of a valid NHS number, as printed on letters.

    Parameters
    ----------
    s
        A valid NHS number.

    Returns
    -------
    str

    Raises
    ------
    NhsNumberError
        If ``s`` is not a valid NHS number.

    Examples
    --------
    >>> nhs_number_to_spaced("9434765919")
    '943 476 5919'
    """
    return _native.nhs_number_to_spaced(s)


# --------------------------------------------------------------------------------------------
# SNOMED CT
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SnomedId:
    """A valid SNOMED CT identifier, as returned by :func:`snomed_parse`.

    Attributes
    ----------
    value : int
        The identifier.
    partition : str
        ``concept``, ``description`` or ``relationship``.
    is_extension : bool
        Whether it is a long-format (extension) identifier with a namespace.
    namespace : int or None
        The 7-digit namespace of an extension identifier, ``None`` for the International
        release.

    Examples
    --------
    >>> SnomedId(38341003, "concept", False, None).value
    38341003
    """

    value: int
    partition: str
    is_extension: bool
    namespace: Optional[int]


def snomed_parse(s: str, *, concept: bool = False) -> SnomedId:
    """Validate a SNOMED CT identifier and describe it.

    Parameters
    ----------
    s
        The identifier as a decimal string (surrounding white space ignored).
    concept
        Require a concept identifier (partition ``00`` or ``10``), as coded entries do.

    Returns
    -------
    SnomedId

    Raises
    ------
    SnomedIdError
        Naming the rule broken (``.code``: ``empty``, ``invalid_character``,
        ``wrong_length``, ``leading_zero``, ``check_digit_mismatch``,
        ``reserved_partition``, ``short_extension``, ``not_a_concept``).

    Examples
    --------
    >>> snomed_parse("38341003")
    SnomedId(value=38341003, partition='concept', is_extension=False, namespace=None)
    >>> snomed_parse("11000001102").namespace
    1000001
    """
    value, partition, is_extension, namespace = _native.snomed_parse(s, concept)
    return SnomedId(value, partition, is_extension, namespace)


def snomed_is_valid(s: str) -> bool:
    """Whether ``s`` is a valid SNOMED CT identifier of any partition.

    Parameters
    ----------
    s
        The candidate identifier.

    Returns
    -------
    bool

    Examples
    --------
    >>> snomed_is_valid("22298006"), snomed_is_valid("22298007")
    (True, False)
    """
    return _native.snomed_is_valid(s)


def snomed_verhoeff_check_digit(body: int) -> int:
    """The Verhoeff check digit that completes ``body`` into an identifier.

    Parameters
    ----------
    body
        The identifier without its last digit (a non-negative integer below ``2**64``).

    Returns
    -------
    int
        A digit 0-9.

    Raises
    ------
    SnomedIdError
        ``wrong_length`` if ``body`` is negative or does not fit in 64 bits.

    Examples
    --------
    >>> snomed_verhoeff_check_digit(2229800)  # 22298006
    6
    """
    _require_int(body, "body")
    if not 0 <= body < _U64_LIMIT:
        raise SnomedIdError(
            "identifier body must be a non-negative integer below 2**64", "wrong_length"
        )
    return _native.snomed_verhoeff_check_digit(body)


# --------------------------------------------------------------------------------------------
# ICD-10
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Icd10Code:
    """A cleaned ICD-10 code, as returned by :func:`icd10_parse`.

    Attributes
    ----------
    code : str
        Upper case, no dot, no dagger or asterisk (``I214``).
    category : str
        The three-character category (``I21``).
    dotted : str
        The code with its dot restored (``I21.4``).

    Examples
    --------
    >>> Icd10Code("I214", "I21", "I21.4").category
    'I21'
    """

    code: str
    category: str
    dotted: str


def icd10_parse(s: str) -> Icd10Code:
    """Clean an ICD-10 code and describe it.

    Parameters
    ----------
    s
        A code such as ``i21.4``, ``A17.0†`` or ``G01*``.

    Returns
    -------
    Icd10Code

    Raises
    ------
    Icd10Error
        Naming the rule broken (``.code``: ``empty``, ``invalid_character``,
        ``misplaced_dot``, ``too_short``, ``too_long``, ``bad_category``).

    Examples
    --------
    >>> icd10_parse(" i21.4 ")
    Icd10Code(code='I214', category='I21', dotted='I21.4')
    """
    code, category, dotted = _native.icd10_parse(s)
    return Icd10Code(code, category, dotted)


def icd10_clean(s: str) -> str:
    """Clean an ICD-10 code: upper case, no white space, dot, dagger or asterisk.

    Parameters
    ----------
    s
        A code such as ``i21.4``, ``A17.0†`` or ``G01*``.

    Returns
    -------
    str

    Raises
    ------
    Icd10Error
        As :func:`icd10_parse`.

    Examples
    --------
    >>> icd10_clean("A17.0†"), icd10_clean("I10X")
    ('A170', 'I10X')
    """
    return icd10_parse(s).code


# --------------------------------------------------------------------------------------------
# Vectorised
# --------------------------------------------------------------------------------------------


def nhs_number_validate(column: ColumnLike) -> pa.BooleanArray:
    """Whether each row is a valid NHS number.

    Parameters
    ----------
    column
        Strings (any layout :func:`nhs_number_parse` accepts) or integers; pyarrow, polars,
        pandas, numpy or a list.

    Returns
    -------
    pyarrow.BooleanArray
        Same length as ``column``; null where the input is null.

    Raises
    ------
    UnsupportedTypeError
        If the column is neither strings nor ``int64``/``uint64``/``int32``.

    Examples
    --------
    >>> nhs_number_validate(["943 476 5919", "9434765918", None]).to_pylist()
    [True, False, None]
    >>> import numpy as np
    >>> nhs_number_validate(np.array([9434765919, 100000002])).to_pylist()  # 0100000002
    [True, True]
    """
    return _native.nhs_number_validate(as_stream(column))


def nhs_number_normalise(column: ColumnLike) -> pa.StringArray:
    """The canonical ten digits of each valid NHS number; null for invalid and null rows.

    Parameters
    ----------
    column
        As :func:`nhs_number_validate`.

    Returns
    -------
    pyarrow.StringArray

    Raises
    ------
    UnsupportedTypeError
        As :func:`nhs_number_validate`.

    Examples
    --------
    >>> nhs_number_normalise(["943-476-5919", "x", None]).to_pylist()
    ['9434765919', None, None]
    """
    return _native.nhs_number_normalise(as_stream(column))


def nhs_number_reasons(column: ColumnLike) -> pa.StringArray:
    """The rule each row broke (a :class:`~carecoord.errors.NhsNumberError` code).

    Null for valid rows and for null rows, so rows in = valid + invalid + null.

    Parameters
    ----------
    column
        As :func:`nhs_number_validate`.

    Returns
    -------
    pyarrow.StringArray

    Raises
    ------
    UnsupportedTypeError
        As :func:`nhs_number_validate`.

    Examples
    --------
    >>> nhs_number_reasons(["9434765919", "1111111111", "12345"]).to_pylist()
    [None, 'all_same_digit', 'wrong_length']
    """
    return _native.nhs_number_reasons(as_stream(column))


def snomed_validate(column: ColumnLike) -> pa.BooleanArray:
    """Whether each row is a valid SNOMED CT identifier (any partition).

    Parameters
    ----------
    column
        Strings or integers (``int64``/``uint64``/``int32``).

    Returns
    -------
    pyarrow.BooleanArray
        Null where the input is null.

    Raises
    ------
    UnsupportedTypeError
        If the column is neither strings nor integers.

    Examples
    --------
    >>> snomed_validate(["22298006", "22298007", None]).to_pylist()
    [True, False, None]
    """
    return _native.snomed_validate(as_stream(column))


def snomed_reasons(column: ColumnLike) -> pa.StringArray:
    """The rule each row broke (a :class:`~carecoord.errors.SnomedIdError` code).

    Parameters
    ----------
    column
        As :func:`snomed_validate`.

    Returns
    -------
    pyarrow.StringArray
        Null for valid and null rows.

    Raises
    ------
    UnsupportedTypeError
        As :func:`snomed_validate`.

    Examples
    --------
    >>> snomed_reasons([22298006, 22298007, 12345]).to_pylist()
    [None, 'check_digit_mismatch', 'wrong_length']
    """
    return _native.snomed_reasons(as_stream(column))


def icd10_clean_column(column: ColumnLike) -> pa.StringArray:
    """Each ICD-10 code cleaned as :func:`icd10_clean` does; null for malformed and null rows.

    Parameters
    ----------
    column
        Strings.

    Returns
    -------
    pyarrow.StringArray

    Raises
    ------
    UnsupportedTypeError
        If the column is not strings.

    Examples
    --------
    >>> icd10_clean_column(["i21.4", "??", None]).to_pylist()
    ['I214', None, None]
    """
    return _native.icd10_clean_column(as_stream(column))


def icd10_reasons(column: ColumnLike) -> pa.StringArray:
    """The rule each row broke (an :class:`~carecoord.errors.Icd10Error` code).

    Parameters
    ----------
    column
        Strings.

    Returns
    -------
    pyarrow.StringArray
        Null for clean and null rows.

    Raises
    ------
    UnsupportedTypeError
        If the column is not strings.

    Examples
    --------
    >>> icd10_reasons(["I21.4", "I2.14", "X"]).to_pylist()
    [None, 'misplaced_dot', 'too_short']
    """
    return _native.icd10_reasons(as_stream(column))
