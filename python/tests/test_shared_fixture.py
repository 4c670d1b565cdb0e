"""The identifier fixture shared with the Rust and C tests (tests/data/ids_cases.csv)."""
from __future__ import annotations

import csv
import pathlib
from typing import List

import pyarrow as pa
import pytest

from carecoord import errors, ids

FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "ids_cases.csv"


def cases() -> List[List[str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    return rows[1:]


@pytest.mark.parametrize("kind,value,valid,reason,canonical", cases())
def test_scalar_matches_fixture(kind: str, value: str, valid: str, reason: str, canonical: str) -> None:
    ok = valid == "true"
    if kind == "nhs_number":
        assert ids.nhs_number_is_valid(value) is ok
        if ok:
            assert ids.nhs_number_parse(value) == canonical
        else:
            with pytest.raises(errors.NhsNumberError) as e:
                ids.nhs_number_parse(value)
            assert e.value.code == reason
    elif kind == "snomed":
        assert ids.snomed_is_valid(value) is ok
        if not ok:
            with pytest.raises(errors.SnomedIdError) as e:
                ids.snomed_parse(value)
            assert e.value.code == reason
    else:
        if ok:
            assert ids.icd10_clean(value) == canonical
        else:
            with pytest.raises(errors.Icd10Error) as e:
                ids.icd10_clean(value)
            assert e.value.code == reason


def test_columns_match_fixture() -> None:
    rows = cases()
    for kind, fn in (
        ("nhs_number", ids.nhs_number_reasons),
        ("snomed", ids.snomed_reasons),
        ("icd10", ids.icd10_reasons),
    ):
        subset = [r for r in rows if r[0] == kind]
        got = fn(pa.array([r[1] for r in subset])).to_pylist()
        assert got == [r[3] or None for r in subset]
