"""Tests of carecoord.errors: the hierarchy, stable codes, and no input values in messages."""

from __future__ import annotations

import pickle
from typing import Callable, List, Type

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carecoord import errors, ids
from carecoord.errors import (
    CalendarError,
    CarecoordError,
    Icd10Error,
    InvalidInputError,
    NhsNumberError,
    RiskError,
    SnomedIdError,
    UnsupportedTypeError,
)

INPUT_ERRORS: List[Type[InvalidInputError]] = [
    NhsNumberError,
    SnomedIdError,
    Icd10Error,
    CalendarError,
    RiskError,
    UnsupportedTypeError,
]


@pytest.mark.parametrize("cls", INPUT_ERRORS)
def test_every_input_error_is_a_value_error(cls: Type[InvalidInputError]) -> None:
    assert issubclass(cls, InvalidInputError)
    assert issubclass(cls, CarecoordError)
    assert issubclass(cls, ValueError)


def test_unsupported_type_is_also_a_type_error() -> None:
    assert issubclass(UnsupportedTypeError, TypeError)
    assert not issubclass(NhsNumberError, TypeError)


def test_all_is_complete() -> None:
    exported = {getattr(errors, n) for n in errors.__all__}
    schedule = {c for c in exported if issubclass(c, errors.ScheduleError)}
    # One class per ScheduleError variant, plus the base.
    assert len(schedule) == 15 and errors.ScheduleError in schedule
    # One class per CaseloadError variant but `journal` (raised as the journal's class),
    # one per JournalError and per FlowError variant, plus their bases.
    caseload = {c for c in exported if issubclass(c, errors.CaseloadError)}
    journal = {c for c in exported if issubclass(c, errors.JournalError)}
    flow = {c for c in exported if issubclass(c, errors.FlowError)}
    assert (len(caseload), len(journal), len(flow)) == (12, 10, 4)
    assert exported == (
        {CarecoordError, InvalidInputError, *INPUT_ERRORS} | schedule | caseload | journal | flow
    )


def test_code_and_message() -> None:
    e = NhsNumberError("NHS number check digit mismatch", "check_digit_mismatch")
    assert e.code == "check_digit_mismatch"
    assert str(e) == "NHS number check digit mismatch"
    assert CarecoordError("x").code == "internal"


@pytest.mark.parametrize("cls", [CarecoordError, *INPUT_ERRORS])
def test_pickle_keeps_class_message_and_code(cls: Type[CarecoordError]) -> None:
    e = cls("some rule broken", "some_code")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls
    assert (str(back), back.code) == ("some rule broken", "some_code")


# Each call raises the given class, with the given code, from the Rust core.
CASES: List[tuple[Callable[[], object], Type[CarecoordError], str]] = [
    (lambda: ids.nhs_number_parse("9434765918"), NhsNumberError, "check_digit_mismatch"),
    (lambda: ids.nhs_number_mask("1234567890"), NhsNumberError, "check_digit_ten"),
    (lambda: ids.nhs_number_range("943476591X"), NhsNumberError, "invalid_character"),
    (lambda: ids.snomed_parse("22298007"), SnomedIdError, "check_digit_mismatch"),
    (lambda: ids.icd10_clean("I2.14"), Icd10Error, "misplaced_dot"),
    (lambda: ids.icd10_clean_column(pa.array([1])), UnsupportedTypeError, "unsupported_type"),
    (lambda: ids.nhs_number_validate(pa.array([1.5])), UnsupportedTypeError, "unsupported_type"),
]


@pytest.mark.parametrize(("call", "cls", "code"), CASES)
def test_core_errors_arrive_as_their_class(
    call: Callable[[], object], cls: Type[CarecoordError], code: str
) -> None:
    with pytest.raises(cls) as info:
        call()
    assert type(info.value) is cls
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def _assert_no_value(e: BaseException, value: str) -> None:
    text = " ".join([str(e), repr(e), *map(str, e.args)])
    assert value not in text
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 4:
        assert digits not in text.replace(" ", "").replace("-", "")


@given(st.text(alphabet="0123456789 -Xé", min_size=4, max_size=16))
def test_nhs_errors_never_contain_the_input(s: str) -> None:
    try:
        ids.nhs_number_parse(s)
    except NhsNumberError as e:
        _assert_no_value(e, s.strip())


@given(st.text(alphabet="0123456789a", min_size=4, max_size=22))
def test_snomed_errors_never_contain_the_input(s: str) -> None:
    try:
        ids.snomed_parse(s)
    except SnomedIdError as e:
        _assert_no_value(e, s.strip())


@given(st.text(alphabet="ABI0123456789.#*", min_size=4, max_size=12))
def test_icd10_errors_never_contain_the_input(s: str) -> None:
    try:
        ids.icd10_clean(s)
    except Icd10Error as e:
        _assert_no_value(e, s.strip())


def test_conversion_errors_do_not_quote_the_input() -> None:
    # pyarrow's own message would quote the offending value; ours names only the failure.
    with pytest.raises(UnsupportedTypeError) as info:
        ids.nhs_number_validate([9434765919, "9434765918"])
    _assert_no_value(info.value, "9434765918")
    assert info.value.__cause__ is None and info.value.__suppress_context__
