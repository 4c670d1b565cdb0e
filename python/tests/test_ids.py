"""Tests of carecoord.ids: scalar and vectorised identifier validation.

Expected values come from DOMAIN.md 2.1/2.2 (published test vectors, sums worked by hand
there), from the PyPI package ``nhs-number`` 2.2.0 (the peer oracle, marked ``peer``), or
are worked by hand in the comments.
"""

from __future__ import annotations

import datetime
import random
import threading
import unicodedata
from typing import Callable, List, Optional, Sequence

from nhs_number.validate import calculate_checksum as peer_checksum
from nhs_number.validate import is_valid as peer_is_valid
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecoord import ids
from carecoord.errors import Icd10Error, NhsNumberError, SnomedIdError

# --------------------------------------------------------------------------------------------
# NHS number: scalar
# --------------------------------------------------------------------------------------------

# DOMAIN.md 2.1 test vectors.
VALID_NHS = ["9434765919", "9876543210", "4000000632"]
INVALID_NHS = {
    "9434765918": "check_digit_mismatch",  # 9434765919 with the last digit changed
    "1234567890": "check_digit_ten",  # weighted sum 1*10+2*9+...+9*2 = 210, 210 % 11 = 1
    "0000000000": "all_same_digit",
    "1111111111": "all_same_digit",
}


@pytest.mark.parametrize("s", VALID_NHS)
def test_published_valid_vectors(s: str) -> None:
    assert ids.nhs_number_is_valid(s)
    assert ids.nhs_number_parse(s) == s


@pytest.mark.parametrize(("s", "code"), sorted(INVALID_NHS.items()))
def test_published_invalid_vectors(s: str, code: str) -> None:
    assert not ids.nhs_number_is_valid(s)
    with pytest.raises(NhsNumberError) as info:
        ids.nhs_number_parse(s)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("s", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("943476591X", "invalid_character"),
        ("94 34765919", "bad_grouping"),
        ("943 476-5919", "bad_grouping"),  # separators must be the same
        ("943  476 5919", "bad_grouping"),
        ("94347659", "wrong_length"),
        ("94347659190", "wrong_length"),
    ],
)
def test_layout_errors(s: str, code: str) -> None:
    with pytest.raises(NhsNumberError) as info:
        ids.nhs_number_parse(s)
    assert info.value.code == code


@pytest.mark.parametrize("s", ["943 476 5919", "943-476-5919", " 9434765919\t", "9434765919"])
def test_accepted_layouts_normalise(s: str) -> None:
    assert ids.nhs_number_parse(s) == "9434765919"
    assert ids.nhs_number_to_spaced(s) == "943 476 5919"
    assert ids.nhs_number_mask(s) == "***-***-5919"


def test_ranges() -> None:
    # Boundaries from DOMAIN.md 2.1; each number completed by hand with its check digit:
    # 010000000 -> weighted sum 9 -> 11 - 9 = 2.
    assert ids.nhs_number_range("0100000002") == "scottish_chi"
    assert ids.nhs_number_range("4000000632") == "england_wales_iom"
    assert ids.nhs_number_range("9434765919") == "test"
    # 320000000 -> 3*10 + 2*9 = 48, 48 % 11 = 4, check 7.
    assert ids.nhs_number_range("3200000007") == "northern_ireland"
    # 500000000 -> 50, 50 % 11 = 6, check 5: valid but never issued.
    assert ids.nhs_number_range("5000000005") == "unallocated"
    with pytest.raises(NhsNumberError):
        ids.nhs_number_range("9434765918")


def test_with_check_digit() -> None:
    assert ids.nhs_number_with_check_digit(943_476_591) == "9434765919"
    assert ids.nhs_number_with_check_digit(10_000_000) == "0100000002"
    with pytest.raises(NhsNumberError) as info:
        ids.nhs_number_with_check_digit(123_456_789)  # see 1234567890 above
    assert info.value.code == "check_digit_ten"
    with pytest.raises(NhsNumberError) as info:
        ids.nhs_number_with_check_digit(111_111_111)
    assert info.value.code == "all_same_digit"
    for bad in (-1, 1_000_000_000, 2**64, 2**70):
        with pytest.raises(NhsNumberError) as info:
            ids.nhs_number_with_check_digit(bad)
        assert info.value.code == "wrong_length"
    with pytest.raises(TypeError):
        ids.nhs_number_with_check_digit(True)


@given(st.integers(0, 999_999_999), st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_fails(first: int, pos: int, delta: int) -> None:
    # Modulus 11 with distinct weights catches every single substitution (DOMAIN.md 2.1).
    try:
        n = ids.nhs_number_with_check_digit(first)
    except NhsNumberError:
        return
    digits = list(n)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    assert not ids.nhs_number_is_valid("".join(digits))


# --------------------------------------------------------------------------------------------
# NHS number: peer comparison with PyPI nhs-number 2.2.0
# --------------------------------------------------------------------------------------------


def _peer_complete(prefix: str) -> Optional[str]:
    """Complete nine digits with the peer's own check digit; None when it would be 10."""
    check = peer_checksum(prefix)
    return None if check is None or check == 10 else prefix + str(check)


def _generate_nhs_candidates(n: int, seed: int) -> List[str]:
    """Valid numbers from random prefixes in every range, plus corrupted copies."""
    rng = random.Random(seed)
    ranges = [
        (10_000_000, 311_299_999),  # Scottish CHI (DDMMYY...): many prefixes are not dates
        (320_000_000, 399_999_999),  # Northern Ireland
        (400_000_000, 499_999_999),  # England, Wales, Isle of Man
        (600_000_000, 799_999_999),  # England, Wales, Isle of Man
        (500_000_000, 599_999_999),  # never issued
        (900_000_000, 999_999_999),  # test and synthetic
    ]

    def valid(test_range_only: bool = False) -> str:
        while True:
            lo, hi = ranges[-1] if test_range_only else rng.choice(ranges)
            full = _peer_complete(f"{rng.randint(lo, hi):09d}")
            if full is not None:
                return full

    def one_digit_changed(s: str) -> str:
        i = rng.randrange(10)
        return s[:i] + str((int(s[i]) + rng.randint(1, 9)) % 10) + s[i + 1 :]

    def transposed(s: str) -> str:
        i = rng.randrange(9)
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]

    def wrong_length(s: str) -> str:
        i = rng.randrange(10)
        if rng.random() < 0.5:
            return s[:i] + s[i + 1 :]
        return s[:i] + str(rng.randrange(10)) + s[i:]

    def letter(s: str) -> str:
        i = rng.randrange(10)
        return s[:i] + rng.choice("AbOlxX") + s[i + 1 :]

    def layout(s: str) -> str:
        return rng.choice(
            [
                f"{s[:3]} {s[3:6]} {s[6:]}",
                f"{s[:3]}-{s[3:6]}-{s[6:]}",
                f"  {s}\t",
                f" {s[:3]} {s[3:6]} {s[6:]}\n",
                f"{s[:3]}-{s[3:6]} {s[6:]}",  # mixed separators
                f"{s[:2]} {s[2:6]} {s[6:]}",  # wrong grouping
                f"{s[:3]}  {s[3:6]} {s[6:]}",  # double space
                f"{s[:3]} {s[3:]}",  # one separator
            ]
        )

    def unicode_digits(_: str) -> str:
        # Arabic-Indic, Devanagari or full-width digits for the ASCII ones. Only test-range
        # numbers, so that the peer's CHI date rule does not also apply.
        s = valid(test_range_only=True)
        base = rng.choice([0x0660, 0x0966, 0xFF10])
        return "".join(chr(base + int(c)) for c in s)

    out: List[str] = []
    out += [str(d) * 10 for d in range(10)]
    out += [f"{str(d) * 3} {str(d) * 3} {str(d) * 4}" for d in range(10)]
    makers: Sequence[tuple[int, Callable[[str], str]]] = [
        (15_000, one_digit_changed),
        (15_000, transposed),
        (10_000, wrong_length),
        (10_000, letter),
        (10_000, layout),
        (1_000, unicode_digits),
    ]
    for count, make in makers:
        out += [make(valid()) for _ in range(count)]
    out += ["".join(rng.choice("0123456789") for _ in range(10)) for _ in range(5_000)]
    while len(out) < n:
        out.append(valid())
    rng.shuffle(out)
    return out


def _is_ddmmyy(six: str) -> bool:
    try:
        datetime.datetime.strptime(six, "%d%m%y")
    except ValueError:
        return False
    return True


def _peer_differs_by_documented_rule(s: str) -> bool:
    """Whether nhs-number 2.2.0 is documented (below) to disagree with carecoord on ``s``.

    1. All ten digits the same: DOMAIN.md 2.1 rejects these (they pass the checksum but are
       never issued); the peer accepts them, except where its CHI date rule (2.) rejects.
    2. Scottish CHI range 0100000000-3112999999: the peer also requires the first six
       digits to be a DDMMYY date (its issue #25); DOMAIN.md 2.1 has no such rule, ranges
       are information only.
    3. Non-ASCII digits (Arabic-Indic, Devanagari, full-width): the peer's ``\\d`` regex
       and ``int()`` accept any Unicode decimal digit; DOMAIN.md 2.1 says ASCII digits.
    """
    stripped = s.strip()
    if stripped and not stripped.isascii():
        ascii_form = "".join(
            str(unicodedata.digit(c)) if c.isdigit() else c for c in stripped
        )
        return ids.nhs_number_is_valid(ascii_form)
    try:
        canonical = ids.nhs_number_parse(s)
    except NhsNumberError as e:
        if e.code != "all_same_digit":
            return False
        digits = s.strip().replace(" ", "").replace("-", "")
        return not (100_000_000 <= int(digits) <= 3_112_999_999) or _is_ddmmyy(digits[:6])
    in_chi = 100_000_000 <= int(canonical) <= 3_112_999_999
    return in_chi and not _is_ddmmyy(canonical[:6])


@pytest.mark.peer
def test_nhs_number_is_valid_matches_peer_nhs_number() -> None:
    samples = _generate_nhs_candidates(100_000, seed=20261123)
    assert len(samples) == 100_000
    ours = [ids.nhs_number_is_valid(s) for s in samples]
    peer = [peer_is_valid(s) for s in samples]
    differences = {s for s, a, b in zip(samples, ours, peer) if a != b}
    documented = {s for s in samples if _peer_differs_by_documented_rule(s)}
    assert differences == documented
    # Every documented rule actually shows up in this sample.
    assert "2222222222" not in differences  # all-same, but 22/22/22 is no date: both reject
    assert "1111111111" in differences  # all-same, 11/11/11 is a date: peer accepts
    assert any(not s.strip().isascii() for s in differences)
    assert any(s.isascii() and len(set(s)) > 1 for s in differences)  # CHI dates
    # The vectorised path agrees with the scalar one on all 100,000.
    assert ids.nhs_number_validate(samples).to_pylist() == ours
    # A sanity check that the sample is balanced.
    assert 20_000 < sum(ours) < 80_000


@pytest.mark.peer
def test_nhs_number_integer_column_matches_peer_nhs_number() -> None:
    # The peer reads an int with str(n).zfill(10); carecoord restores leading zeros from
    # int64 columns the same way, so the documented differences are the same as above.
    rng = random.Random(7)
    ints = [rng.randrange(10**10) for _ in range(5_000)]
    ints += [int(ids.nhs_number_with_check_digit(p)) for p in range(10_000_000, 10_005_000)
             if _peer_complete(f"{p:09d}") is not None]
    ours = ids.nhs_number_validate(pa.array(ints, pa.int64())).to_pylist()
    peer = [peer_is_valid(i) for i in ints]  # type: ignore[arg-type]  # it takes ints too
    differences = {i for i, a, b in zip(ints, ours, peer) if a != b}
    documented = {i for i in ints if _peer_differs_by_documented_rule(f"{i:010d}")}
    assert differences == documented
    # Numbers below 1_000_000_000 (CHI numbers with a leading zero) were read as valid.
    assert any(ok for i, ok in zip(ints, ours) if i < 1_000_000_000)


# --------------------------------------------------------------------------------------------
# NHS number: vectorised
# --------------------------------------------------------------------------------------------


def test_vectorised_nhs_number_functions() -> None:
    col = ["943 476 5919", "9434765918", None, "1111111111", "", "0100000002"]
    assert ids.nhs_number_validate(col).to_pylist() == [True, False, None, False, False, True]
    assert ids.nhs_number_normalise(col).to_pylist() == [
        "9434765919", None, None, None, None, "0100000002",
    ]
    assert ids.nhs_number_reasons(col).to_pylist() == [
        None, "check_digit_mismatch", None, "all_same_digit", "empty", None,
    ]
    assert isinstance(ids.nhs_number_validate(col), pa.BooleanArray)
    assert isinstance(ids.nhs_number_normalise(col), pa.StringArray)


def test_integer_columns_restore_leading_zeros() -> None:
    # 100000002 is the CHI number 0100000002 held as an integer (check digit by hand above).
    ints = pa.array([9_434_765_919, 100_000_002, -1, 12_345_678_901, None], pa.int64())
    assert ids.nhs_number_validate(ints).to_pylist() == [True, True, False, False, None]
    assert ids.nhs_number_normalise(ints).to_pylist() == [
        "9434765919", "0100000002", None, None, None,
    ]
    assert ids.nhs_number_reasons(ints).to_pylist() == [
        None, None, "invalid_character", "wrong_length", None,
    ]
    for t in (pa.int32(), pa.uint64()):
        assert ids.nhs_number_validate(pa.array([100_000_002], t)).to_pylist() == [True]


def test_multi_chunk_and_empty_columns() -> None:
    chunked = pa.chunked_array([["9434765919", None], [], ["1"]])
    out = ids.nhs_number_validate(chunked)
    assert isinstance(out, pa.Array)  # one array, chunks joined
    assert out.to_pylist() == [True, None, False]
    empty = ids.nhs_number_reasons(pa.chunked_array([], pa.string()))
    assert len(empty) == 0 and empty.type == pa.string()
    assert len(ids.nhs_number_validate([])) == 0
    assert ids.nhs_number_validate([None, None]).to_pylist() == [None, None]


def _synthetic_numbers(n: int, seed: int) -> tuple[pa.Array, np.ndarray]:
    """``n`` test-range NHS numbers as int64, and which are valid (numpy, no carecoord)."""
    rng = np.random.default_rng(seed)
    prefixes = rng.integers(900_000_000, 1_000_000_000, size=n, dtype=np.int64)
    digits = (prefixes[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    total = (digits * np.arange(10, 1, -1)).sum(axis=1)
    check = (11 - total % 11) % 11  # 11 -> 0
    numbers = prefixes * 10 + np.where(check == 10, 0, check)
    # 9999999999 passes the checksum but has all digits the same (DOMAIN.md 2.1).
    return pa.array(numbers), (check != 10) & (numbers != 9_999_999_999)


def test_one_million_numbers() -> None:
    ints, expected = _synthetic_numbers(1_000_000, seed=1)
    assert np.array_equal(ids.nhs_number_validate(ints).to_numpy(zero_copy_only=False), expected)
    strings = ints.cast(pa.string())
    valid = ids.nhs_number_validate(strings)
    assert len(valid) == 1_000_000
    assert valid.true_count == int(expected.sum())
    reasons = ids.nhs_number_reasons(strings)
    # Rows in = valid + invalid + null.
    assert valid.true_count + (len(reasons) - reasons.null_count) + valid.null_count == len(ints)


def test_gil_released_two_threads() -> None:
    # Each thread validates 2M numbers; the core runs with the GIL released (py.detach), so
    # both can run at once. Only completion and results are checked, never timing.
    ints, expected = _synthetic_numbers(2_000_000, seed=2)
    strings = ints.cast(pa.string())
    results: dict[int, int] = {}

    def work(i: int) -> None:
        results[i] = ids.nhs_number_validate(strings).true_count

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: int(expected.sum()), 1: int(expected.sum())}


nhs_like = st.text(alphabet="0123456789 -x\t", min_size=0, max_size=14)


@given(st.lists(st.one_of(st.none(), nhs_like), max_size=50))
def test_nhs_vectorised_equals_scalar(values: List[Optional[str]]) -> None:
    valid = ids.nhs_number_validate(pa.array(values, pa.string())).to_pylist()
    normal = ids.nhs_number_normalise(pa.array(values, pa.string())).to_pylist()
    reasons = ids.nhs_number_reasons(pa.array(values, pa.string())).to_pylist()
    assert len(valid) == len(values)
    for v, ok, norm, why in zip(values, valid, normal, reasons):
        if v is None:
            assert ok is None and norm is None and why is None
            continue
        assert ok == ids.nhs_number_is_valid(v)
        if ok:
            assert norm == ids.nhs_number_parse(v) and why is None
        else:
            assert norm is None
            with pytest.raises(NhsNumberError) as info:
                ids.nhs_number_parse(v)
            assert why == info.value.code
    n_valid = sum(1 for x in valid if x)
    n_invalid = sum(1 for x in reasons if x is not None)
    n_null = sum(1 for x in values if x is None)
    assert n_valid + n_invalid + n_null == len(values)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=30))
def test_nhs_integer_column_equals_string_form(values: List[Optional[int]]) -> None:
    # An int64 value v means the digits of v with leading zeros restored to ten.
    got = ids.nhs_number_validate(pa.array(values, pa.int64())).to_pylist()
    for v, ok in zip(values, got):
        if v is None:
            assert ok is None
        else:
            assert ok == (0 <= v and ids.nhs_number_is_valid(f"{v:010d}"))


# --------------------------------------------------------------------------------------------
# SNOMED CT
# --------------------------------------------------------------------------------------------

# DOMAIN.md 2.2 vectors.
VALID_SCTID = ["22298006", "38341003", "73211009", "404684003", "763264000", "100005",
               "11000001102"]


@pytest.mark.parametrize("s", VALID_SCTID)
def test_snomed_valid_vectors(s: str) -> None:
    assert ids.snomed_is_valid(s)
    assert ids.snomed_parse(s).value == int(s)
    assert ids.snomed_verhoeff_check_digit(int(s[:-1])) == int(s[-1])


def test_snomed_parse_details() -> None:
    assert ids.snomed_parse("38341003") == ids.SnomedId(38341003, "concept", False, None)
    ext = ids.snomed_parse("11000001102")  # item 1, namespace 1000001, partition 10, check 2
    assert (ext.partition, ext.is_extension, ext.namespace) == ("concept", True, 1_000_001)
    with pytest.raises(SnomedIdError) as info:
        ids.snomed_parse("22298007")
    assert info.value.code == "check_digit_mismatch"
    # 100005 is a concept; 100014 (partition 01) is a description: its Verhoeff check digit,
    # worked with the standard tables (Verhoeff 1969, as on Wikipedia), is 4.
    assert ids.snomed_verhoeff_check_digit(10001) == 4
    assert ids.snomed_parse("100014").partition == "description"
    with pytest.raises(SnomedIdError) as info:
        ids.snomed_parse("100014", concept=True)
    assert info.value.code == "not_a_concept"
    with pytest.raises(SnomedIdError) as info:
        ids.snomed_verhoeff_check_digit(-1)
    assert info.value.code == "wrong_length"


def test_snomed_vectorised() -> None:
    col = ["22298006", "22298007", None, "012345", "abc"]
    assert ids.snomed_validate(col).to_pylist() == [True, False, None, False, False]
    assert ids.snomed_reasons(col).to_pylist() == [
        None, "check_digit_mismatch", None, "leading_zero", "invalid_character",
    ]
    assert ids.snomed_validate(pa.array([22298006, 22298007], pa.int64())).to_pylist() == [
        True, False,
    ]


@given(st.lists(st.one_of(st.none(), st.text("0123456789", max_size=20)), max_size=40))
def test_snomed_vectorised_equals_scalar(values: List[Optional[str]]) -> None:
    valid = ids.snomed_validate(pa.array(values, pa.string())).to_pylist()
    reasons = ids.snomed_reasons(pa.array(values, pa.string())).to_pylist()
    for v, ok, why in zip(values, valid, reasons):
        if v is None:
            assert ok is None and why is None
        else:
            assert ok == ids.snomed_is_valid(v)
            assert (why is None) == ok
    assert sum(1 for x in valid if x) + sum(1 for x in reasons if x) + values.count(None) == len(
        values
    )


@given(st.integers(1, 10**16))
def test_snomed_completed_body_is_valid_unless_partition_reserved(body: int) -> None:
    s = f"{body}{ids.snomed_verhoeff_check_digit(body)}"
    partition = s[-3:-1]
    if 6 <= len(s) <= 18 and partition in {"00", "01", "02", "10", "11", "12"}:
        if partition[0] == "1" and len(s) < 11:
            return  # an extension id too short for its namespace
        assert ids.snomed_is_valid(s)
    else:
        assert not ids.snomed_is_valid(s)


# --------------------------------------------------------------------------------------------
# ICD-10
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("i21.4", "I214"), (" e11.9 ", "E119"), ("A17.0\u2020", "A170"), ("G01*", "G01"),
     ("I10X", "I10X"), ("C4A", "C4A")],
)
def test_icd10_clean(raw: str, clean: str) -> None:
    assert ids.icd10_clean(raw) == clean
    assert ids.icd10_clean_column([raw]).to_pylist() == [clean]


def test_icd10_errors_and_parse() -> None:
    assert ids.icd10_parse("i214") == ids.Icd10Code("I214", "I21", "I21.4")
    for raw, code in [("I2.14", "misplaced_dot"), ("", "empty"), ("I2", "too_short"),
                      ("I21456789", "too_long"), ("12A", "bad_category"),
                      ("I2#1", "invalid_character")]:
        with pytest.raises(Icd10Error) as info:
            ids.icd10_clean(raw)
        assert info.value.code == code
        assert ids.icd10_reasons([raw]).to_pylist() == [code]


@given(st.lists(st.one_of(st.none(), st.text("AIZaz019.*† X", max_size=9)), max_size=40))
def test_icd10_vectorised_equals_scalar(values: List[Optional[str]]) -> None:
    cleaned = ids.icd10_clean_column(values + ["I10"]).to_pylist()[:-1]
    reasons = ids.icd10_reasons(values + ["I10"]).to_pylist()[:-1]
    for v, c, why in zip(values, cleaned, reasons):
        if v is None:
            assert c is None and why is None
            continue
        try:
            expected: Optional[str] = ids.icd10_clean(v)
        except Icd10Error as e:
            expected = None
            assert why == e.code
        assert c == expected
