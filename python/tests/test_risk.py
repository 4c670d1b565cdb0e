"""carecoord.risk: worked examples, rejects, inputs, windows, eFI bands, LACE, HOSPITAL,
models, tiers, cohorts and the row accounting.

Expected values come from ``core/data/risk/risk_examples.csv`` (worked by hand from the
published tables and checked against pycomorb, see ``core/data/risk/SOURCES.md`` section 6)
or, for LACE and HOSPITAL, from the published point tables (DOMAIN.md 2.13-2.14), worked by
hand in the comments.
"""
from __future__ import annotations

import csv
import datetime as dt
import pathlib
from typing import Any, Callable, Dict, List, Tuple

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecoord import errors, ids, risk

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "core" / "data" / "risk" / "risk_examples.csv"


def examples() -> List[Dict[str, str]]:
    with EXAMPLES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def long_table() -> pa.Table:
    """All worked examples as one long table (a patient without codes has one null code)."""
    pid: List[str] = []
    code: List[Any] = []
    age: List[int] = []
    for ex in examples():
        codes = [c for c in ex["codes"].split(";") if c]
        for c in codes or [None]:  # type: ignore[list-item]
            pid.append(ex["example_id"])
            code.append(c)
            age.append(int(ex["age"]))
    return pa.table({"patient_id": pid, "code": code, "age": pa.array(age, pa.int32())})


def by_patient(table: pa.Table, column: str) -> Dict[Any, Any]:
    return dict(zip(table.column("patient_id").to_pylist(), table.column(column).to_pylist()))


def counted(table: pa.Table, instrument: str) -> Dict[str, str]:
    """Categories counted after the hierarchy, `;`-joined and sorted, per patient."""
    e = risk.explain(table, instrument)
    out: Dict[str, List[str]] = {}
    for row in e.to_pylist():
        if row["suppressed_by"] is None:
            out.setdefault(row["patient_id"], []).append(row["category"])
    return {p: ";".join(sorted(c)) for p, c in out.items()}


# ---- worked examples ----------------------------------------------------------------------


def test_worked_examples_scores() -> None:
    t = long_table()
    c87 = by_patient(risk.charlson(t, age="age"), "score")
    q11 = by_patient(risk.charlson(t, weights="quan2011"), "score")
    vw = by_patient(risk.elixhauser(t), "score")
    hf = by_patient(risk.hfrs(t), "score")
    for ex in examples():
        p = ex["example_id"]
        assert c87[p] == int(ex["charlson1987_with_age"]), p
        assert q11[p] == int(ex["charlson_quan2011"]), p
        assert vw[p] == int(ex["elixhauser_vw2009"]), p
        assert hf[p] == float(ex["hfrs"]), p


def test_worked_examples_categories() -> None:
    t = long_table()
    ch = counted(t, "charlson")
    el = counted(t, "elixhauser")
    for ex in examples():
        p = ex["example_id"]
        assert ch.get(p, "") == ex["charlson_categories"], p
        assert el.get(p, "") == ex["elixhauser_categories"], p


def test_charlson_age_parts_and_metadata() -> None:
    s = risk.charlson(long_table(), age="age")
    row = s.filter(pa.compute.equal(s.column("patient_id"), "E12")).to_pylist()[0]
    assert (row["score"], row["comorbidity_score"], row["age_points"]) == (4, 0, 4)
    meta = s.schema.metadata
    assert meta[b"carecoord.instrument"] == b"charlson"
    assert meta[b"carecoord.weights"] == b"charlson1987"
    assert meta[b"carecoord.age_points"] == b"charlson1994"
    assert risk.charlson(long_table(), weights="shmi").schema.metadata[b"carecoord.weights"] == b"shmi"


def test_unknown_weights_raise() -> None:
    t = long_table()
    with pytest.raises(errors.RiskError) as e:
        risk.charlson(t, weights="quan")  # type: ignore[arg-type]
    assert e.value.code == "invalid_option"
    assert isinstance(e.value, ValueError)
    with pytest.raises(errors.RiskError):
        risk.elixhauser(t, weights="ahrq")  # type: ignore[arg-type]


# ---- rejects ------------------------------------------------------------------------------


def test_rejects_rows_fields_and_reasons() -> None:
    t = pa.table(
        {
            "patient_id": ["a", None, "a", "b", "b", "c"],
            "code": ["I21.4", "I50.0", None, "I2.14", "??", "E11.9"],
            "age": pa.array([70, 70, 70, 60, 60, -1], pa.int16()),
        }
    )
    scores, rejects = risk.charlson(t, age="age", with_rejects=True)
    assert rejects.to_pylist() == [
        {"row": 1, "patient_id": None, "field": "patient_id", "reason": "null_patient"},
        {"row": 2, "patient_id": "a", "field": "code", "reason": "null_code"},
        {"row": 3, "patient_id": "b", "field": "code", "reason": "misplaced_dot"},
        {"row": 4, "patient_id": "b", "field": "code", "reason": rejects.column("reason")[3].as_py()},
        {"row": 5, "patient_id": "c", "field": "age", "reason": "negative_age"},
    ]
    assert rejects.column("reason")[3].as_py() != ""
    assert scores.column("patient_id").to_pylist() == ["a", "b", "c"]
    # b: every row rejected, still a row; c: rejected for its age, so no age: score null.
    assert by_patient(scores, "score") == {"a": 4, "b": 2, "c": None}
    assert risk.row_counts(scores) == {"rows_in": 6, "rows_rejected": 5, "rows_excluded": 0}


def test_patient_with_all_rows_rejected_scores_zero() -> None:
    t = pa.table({"patient_id": ["a", "b", "b"], "code": ["I50.0", None, "I2.14"]})
    for fn in (risk.charlson, risk.elixhauser):
        s = fn(t)
        assert by_patient(s, "score") == {"a": 1 if fn is risk.charlson else 7, "b": 0}
    assert by_patient(risk.hfrs(t), "score") == {"a": 0.0, "b": 0.0}


def test_missing_and_mistyped_columns() -> None:
    t = pa.table({"patient_id": ["a"], "code": [1]})
    with pytest.raises(errors.RiskError) as e:
        risk.charlson(t)
    assert e.value.code == "column_type"
    with pytest.raises(errors.RiskError) as e:
        risk.hfrs(t, code="icd10")
    assert e.value.code == "missing_column"
    assert "icd10" in str(e.value)


# ---- inputs -------------------------------------------------------------------------------


def test_pandas_polars_pyarrow_agree() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    t = long_table()
    expected = {
        name: fn(t).select(["patient_id", "score"]).to_pylist()
        for name, fn in (("c", risk.charlson), ("e", risk.elixhauser), ("h", risk.hfrs))
    }
    inputs = [
        pl.from_arrow(t),
        t.to_pandas(),
        pd.DataFrame(t.to_pydict()),
        t.to_batches()[0],
    ]
    for inp in inputs:
        for name, fn in (("c", risk.charlson), ("e", risk.elixhauser), ("h", risk.hfrs)):
            got = fn(inp).select(["patient_id", "score"]).to_pylist()
            assert got == expected[name], (type(inp), name)


def test_pandas_without_arrow_stream_is_converted() -> None:
    # pandas < 3 DataFrames have no `__arrow_c_stream__`; they go through
    # pyarrow.Table.from_pandas(..., preserve_index=False).
    pd = pytest.importorskip("pandas")

    class OldFrame(pd.DataFrame):  # type: ignore[misc,name-defined]
        @property
        def __arrow_c_stream__(self) -> Any:
            raise AttributeError("__arrow_c_stream__")

    t = long_table()
    df = t.to_pandas()
    df.index = df.index + 100  # the index is not a column of the result
    old = OldFrame(df)
    assert not hasattr(old, "__arrow_c_stream__")
    assert risk.charlson(old).to_pylist() == risk.charlson(t).to_pylist()


def test_polars_integer_ids_keep_their_type() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"pid": [3, 3, 1], "code": ["I50.0", "I21.4", "J18.9"]})
    s = risk.charlson(df, patient="pid")
    assert s.schema.field("patient_id").type == pa.int64()
    assert by_patient(s, "score") == {3: 2, 1: 0}


def test_not_a_table() -> None:
    with pytest.raises(errors.UnsupportedTypeError):
        risk.charlson(42)


def test_multi_chunk_tables_and_row_numbers() -> None:
    t = long_table()
    chunked = pa.Table.from_batches(t.to_batches(max_chunksize=3))
    assert chunked.column("code").num_chunks > 1
    for fn in (risk.charlson, risk.elixhauser, risk.hfrs):
        assert fn(chunked).equals(fn(t))
    bad = pa.Table.from_batches(
        [
            pa.record_batch({"patient_id": ["a", "a"], "code": ["I50.0", "I50.1"]}),
            pa.record_batch({"patient_id": ["b", "b"], "code": ["I21.4", None]}),
        ]
    )
    _, rejects = risk.charlson(bad, with_rejects=True)
    assert rejects.column("row").to_pylist() == [3]


def _addresses(batches: List[pa.RecordBatch]) -> List[List[int]]:
    return [[b.address for col in rb.columns for b in col.buffers() if b is not None] for rb in batches]


def test_input_buffers_are_not_copied() -> None:
    # As polars' test_arrow_to_pyseries_with_one_chunk_does_not_copy_data: what the native
    # module reads over the C Stream interface (PyTable, whose record batches go to the core
    # as they are) sits at the addresses of the input, for a Table and a RecordBatch.
    t = pa.Table.from_batches(long_table().to_batches(max_chunksize=4))
    for inp, batches in ((t, t.to_batches()), (t.to_batches()[0], t.to_batches()[:1])):
        reader = pa.RecordBatchReader.from_stream(risk._as_table(inp))
        assert _addresses(list(reader)) == _addresses(batches)
    # And scoring leaves the input alone.
    before = _addresses(t.to_batches())
    risk.charlson(t)
    assert _addresses(t.to_batches()) == before


# ---- windows ------------------------------------------------------------------------------


def test_date_window() -> None:
    t = pa.table(
        {
            "patient_id": ["a", "a", "a", "a"],
            "code": ["I50.0", "I21.4", "E11.9", "C78.7"],
            "when": pa.array(
                [dt.date(2026, 11, 23), dt.date(2024, 11, 23), dt.date(2024, 11, 22), None],
                pa.date32(),
            ),
        }
    )
    index = dt.date(2026, 11, 23)
    s, rejects = risk.charlson(
        t, date="when", index_date=index, lookback_days=730, with_rejects=True
    )
    assert by_patient(s, "score") == {"a": 2}  # CHF + MI; diabetes is a day too early
    assert rejects.column("reason").to_pylist() == ["null_date"]
    assert risk.row_counts(s) == {"rows_in": 4, "rows_rejected": 1, "rows_excluded": 1}
    assert s.schema.metadata[b"carecoord.index_date"] == b"2026-11-23"
    # No look-back: the whole record up to the index date.
    assert by_patient(risk.charlson(t, date="when", index_date=index), "score") == {"a": 3}
    # ISO strings work as dates too.
    t2 = t.set_column(2, "when", pa.array(["2026-11-23", "2024-11-23", "2024-11-22", None]))
    assert by_patient(
        risk.charlson(t2, date="when", index_date=index, lookback_days=730), "score"
    ) == {"a": 2}


def test_window_options_checked() -> None:
    t = long_table()
    with pytest.raises(errors.RiskError):
        risk.charlson(t, lookback_days=30)
    with pytest.raises(errors.RiskError) as e:
        risk.charlson(t, index_date=dt.date(2026, 1, 1))  # no date column
    assert e.value.code == "invalid_option"


# ---- eFI ----------------------------------------------------------------------------------

def efi_list_and_codes() -> Tuple[List[Tuple[str, str]], List[str]]:
    """A made-up code list giving each of the 35 coded deficits one valid SCTID."""
    path = EXAMPLES.parent / "efi_deficits.csv"
    with path.open(encoding="utf-8", newline="") as f:
        deficits = [r["deficit_id"] for r in csv.DictReader(f) if r["deficit_id"] != "polypharmacy"]
    pairs = []
    for i, d in enumerate(deficits):
        # A concept id: item, partition 00, Verhoeff check digit.
        stem = (100000 + i) * 100
        pairs.append((d, f"{stem}{ids.snomed_verhoeff_check_digit(stem)}"))
    return pairs, [c for _, c in pairs]


@pytest.mark.parametrize(
    "count,clegg,rounded",
    [(4, "fit", "fit"), (5, "mild", "mild"), (8, "mild", "mild"), (9, "moderate", "moderate"),
     (12, "moderate", "moderate"), (13, "severe", "moderate"), (14, "severe", "severe")],
)
def test_efi_banding_boundaries(count: int, clegg: str, rounded: str) -> None:
    pairs, codes = efi_list_and_codes()
    assert len(set(codes)) == 35 and all(codes)
    t = pa.table({"patient_id": ["p"] * count, "code": codes[:count]})
    a = risk.efi(t, codelist=pairs)
    b = risk.efi(t, codelist=pairs, banding="rounded_2dp")
    assert a.column("deficits").to_pylist() == [count]
    assert a.column("efi").to_pylist() == [count / 36]
    assert (a.column("band")[0].as_py(), b.column("band")[0].as_py()) == (clegg, rounded)
    assert b.column("banding").to_pylist() == ["rounded_2dp"]
    assert a.schema.metadata[b"carecoord.codelist"] == b"user"


def test_efi_codelist_forms_and_errors(tmp_path: pathlib.Path) -> None:
    t = pa.table({"patient_id": ["p", "p"], "code": ["38341003", "22298007"]})
    csv_text = "deficit_id,code\nhypertension,38341003\n"
    f = tmp_path / "list.csv"
    f.write_text(csv_text, encoding="utf-8")
    for cl in (csv_text, str(f), f, [("hypertension", "38341003")], [("hypertension", 38341003)]):
        s, rejects = risk.efi(t, codelist=cl, with_rejects=True)
        assert s.column("deficits").to_pylist() == [1]
        assert rejects.column("reason").to_pylist() == ["check_digit_mismatch"]
    with pytest.raises(errors.RiskError) as e:
        risk.efi(t, codelist="deficit_id,code\nhypertension,38341003\nnot_a_deficit,38341003\n")
    assert e.value.code == "code_list"
    assert "line 3" in str(e.value)
    with pytest.raises(errors.RiskError):
        risk.efi(t, banding="rounded")  # type: ignore[arg-type]
    ex = risk.efi(t)
    assert ex.schema.metadata[b"carecoord.codelist"] == b"example"


def test_efi_polypharmacy() -> None:
    index = dt.date(2026, 11, 23)
    cond = pa.table({"patient_id": ["p1", "p2"], "code": ["38341003", "38341003"]})
    meds = pa.table(
        {
            "patient_id": ["p1"] * 5 + ["p2"] * 5,
            "code": ["m1", "m2", "m3", "m4", "m5"] * 2,
            "date": pa.array([dt.date(2026, 1, 1)] * 5 + [dt.date(2026, 1, 1)] * 4
                             + [dt.date(2025, 11, 23)], pa.date32()),
        }
    )
    s = risk.efi(cond, medications=meds, index_date=index)
    assert by_patient(s, "polypharmacy") == {"p1": True, "p2": False}
    assert by_patient(s, "deficits") == {"p1": 2, "p2": 1}
    assert risk.efi(cond).column("polypharmacy").to_pylist() == [None, None]
    with pytest.raises(errors.RiskError):
        risk.efi(cond, medications=meds)  # no index date


# ---- LACE and HOSPITAL --------------------------------------------------------------------


def test_lace_hand_checked() -> None:
    stays = pa.table(
        {
            "patient_id": ["p1", "p2", "p3", "p4", "p5"],
            "los_days": [0, 3, 14, 7, -1],
            "acute_admission": [False, True, True, False, True],
            "charlson": [0, 4, 3, 1, 0],
            "ed_visits_6m": [0, 5, 2, 3, 0],
        }
    )
    s, rejects = risk.lace(stays, with_rejects=True)
    # p1: 0+0+0+0 = 0; p2: L3 + A3 + C5 (4+) + E4 (4+) = 15; p3: L7 (14+) + 3 + 3 + 2 = 15;
    # p4: L5 (7-13) + 0 + 1 + 3 = 9; p5: negative LOS, rejected.
    assert by_patient(s, "lace") == {"p1": 0, "p2": 15, "p3": 15, "p4": 9}
    assert by_patient(s, "high_risk") == {"p1": False, "p2": True, "p3": True, "p4": False}
    assert rejects.select(["row", "field", "reason"]).to_pylist() == [
        {"row": 4, "field": "los_days", "reason": "negative_value"}
    ]
    inc = risk.lace(stays.slice(0, 4).set_column(1, "los_days", pa.array([1, 4, 15, 8])),
                    los_convention="inclusive_days")
    assert by_patient(inc, "lace") == {"p1": 0, "p2": 15, "p3": 15, "p4": 9}
    assert inc.column("los_convention").to_pylist() == ["inclusive_days"] * 4
    with pytest.raises(errors.RiskError):
        risk.lace(stays, los_convention="nights")  # type: ignore[arg-type]


def test_hospital_hand_checked() -> None:
    stays = pa.table(
        {
            "patient_id": ["p1", "p2", "p3"],
            "haemoglobin_g_dl": [11.9, 12.0, 10.0],
            "oncology_discharge": [True, False, True],
            "sodium_mmol_l": [134.0, 135.0, 130.0],
            "procedure": [True, False, True],
            "urgent_admission": [True, False, True],
            "admissions_12m": [6, 1, 2],
            "los_days": [5, 4, 10],
        }
    )
    s = risk.hospital(stays)
    # p1: H1 O2 S1 P1 I1 A5 (>5) L2 = 13 (the maximum); p2: 0;
    # p3: 1 + 2 + 1 + 1 + 1 + A2 (2-5) + 2 = 10.
    assert by_patient(s, "hospital") == {"p1": 13, "p2": 0, "p3": 10}
    assert by_patient(s, "band") == {"p1": "high", "p2": "low", "p3": "high"}
    g_l = stays.set_column(1, "hb", pa.array([119.0, 120.0, 100.0]))
    assert by_patient(risk.hospital(g_l, haemoglobin="hb", haemoglobin_unit="g/L"), "h") == {
        "p1": 1, "p2": 0, "p3": 1
    }
    _, rejects = risk.hospital(g_l, haemoglobin="hb", with_rejects=True)  # g/dL: implausible
    assert set(rejects.column("reason").to_pylist()) == {"implausible_for_unit"}


# ---- models -------------------------------------------------------------------------------


def test_model_apply() -> None:
    m = risk.model(
        {"name": "demo", "kind": "logistic", "intercept": -2.0,
         "terms": [{"feature": "charlson", "weight": 0.5}]}
    )
    t = pa.Table.from_batches(
        [pa.record_batch({"pid": ["p1"], "charlson": [4]}),
         pa.record_batch({"pid": ["p2"], "charlson": [None]}, schema=pa.schema([("pid", pa.string()), ("charlson", pa.int64())]))]
    )
    s, rejects = m.apply(t, id="pid", with_rejects=True)
    assert s.to_pylist() == [{"patient_id": "p1", "linear_predictor": 0.0, "probability": 0.5}]
    assert rejects.select(["row", "field", "reason"]).to_pylist() == [
        {"row": 1, "field": "charlson", "reason": "null_value"}
    ]
    assert risk.model(m.to_json()).name == "demo"


@pytest.mark.parametrize(
    "spec,path",
    [
        ('{"name": "m", "kind": "linear", "terms": [{"feature": "a", "weight": 1}, '
         '{"feature": "b", "wieght": 1}]}', "terms[1].wieght"),
        ('{"name": "m", "kind": "cubic", "terms": [{"feature": "a", "weight": 1}]}', "kind"),
        ("not json", "$"),
    ],
)
def test_model_validation_errors_name_the_path(spec: str, path: str) -> None:
    with pytest.raises(errors.RiskError) as e:
        risk.model(spec)
    assert isinstance(e.value, ValueError)
    assert e.value.code == "model_spec"
    assert f"`{path}" in str(e.value)


# ---- tiers and cohorts --------------------------------------------------------------------


def test_tiers_1000() -> None:
    t = pa.table({"patient_id": [f"p{i:04}" for i in range(1000)], "score": list(range(1000))})
    s = risk.tiers(t)
    counts = {r["values"]: r["counts"] for r in s.column("tier").value_counts().to_pylist()}
    assert counts == {1: 5, 2: 45, 3: 150, 4: 800}
    assert s.column("patient_id")[0].as_py() == "p0999"
    custom = risk.tiers(t, cuts=(0.5,))
    assert sorted(set(custom.column("tier").to_pylist())) == [1, 2]
    with pytest.raises(errors.RiskError):
        risk.tiers(t, cuts=(0.2, 0.1))


def test_cohort_filter() -> None:
    t = pa.table(
        {
            "patient_id": ["a", "b", "c"],
            "practice": ["SYN001", "SYN001", "SYN002"],
            "lace": [11.0, 14.0, 15.0],
        }
    )
    out = risk.cohort().practice_in("practice", ["SYN001"]).score_at_least("lace", 10).sort_by_score("lace").apply(t)
    assert out.column("patient_id").to_pylist() == ["b", "a"]
    assert "reasons" in out.column_names
    with pytest.raises(errors.RiskError) as e:
        risk.CohortFilter().on_register("palliative").apply(t)
    assert e.value.code == "missing_column"


def _people() -> pa.Table:
    """The six synthetic people of core/src/risk/cohort.rs (`people`)."""
    return pa.table(
        {
            "patient_id": ["p1", "p2", "p3", "p4", "p5", None],
            "age": pa.array([82, 91, 70, 88, 79, 85], pa.int32()),
            "practice": ["SYN001", "SYN001", "SYN001", "SYN002", "SYN001", "SYN001"],
            "palliative": [True, True, True, False, None, True],
            "efi_band": ["severe", "moderate", "severe", "mild", "Severe", "severe"],
            "lace": [12.0, 9.0, 15.0, 11.0, 10.0, 18.0],
            "on_caseload": [False, None, False, True, False, False],
            "last_contact": pa.array(
                [dt.date(2026, 7, 26), None, None, dt.date(2026, 11, 1), dt.date(2026, 8, 25), None],
                pa.date32(),
            ),
        }
    )


def _chunked(t: pa.Table, size: int) -> pa.Table:
    out = pa.Table.from_batches(t.to_batches(max_chunksize=size), schema=t.schema)
    assert out.column(0).num_chunks == -(-t.num_rows // size)
    return out


REVIEW = {
    "age": {"column": "age", "min": 75, "max": 120},
    "bands": [{"column": "efi_band", "in": ["moderate", "severe"]}],
    "labels": {"efi_band": "eFI"},
    "not_on_caseload": "on_caseload",
    "no_contact": {"column": "last_contact", "days": 90, "index_date": "2026-11-23"},
    "sort_by": "lace",
}


def test_cohort_multi_chunk_matches_single_chunk() -> None:
    f = (risk.cohort().age_between("age", 75, 120).band_in("efi_band", ["moderate", "severe"])
         .label("efi_band", "eFI").not_on_caseload("on_caseload")
         .no_contact_for_days("last_contact", 90, dt.date(2026, 11, 23)).sort_by_score("lace"))
    one = f.apply(_people())
    # Hand-checked in core/src/risk/cohort.rs (`locality_review_list`): p1 120 days; p5
    # "Severe", exactly 90 days; p2 caseload null, never contacted; sorted by lace 12, 10, 9.
    assert one.column("patient_id").to_pylist() == ["p1", "p5", "p2"]
    assert one.column("reasons").to_pylist() == [
        "age 82; eFI severe; no contact 120 days",
        "age 79; eFI Severe; no contact 90 days",
        "age 91; eFI moderate; never contacted",
    ]
    for size in (1, 2, 4, 5):
        many = f.apply(_chunked(_people(), size))
        assert many.equals(one, check_metadata=True), size
    # The JSON form selects the same.
    assert risk.CohortFilter.from_json(REVIEW).apply(_chunked(_people(), 2)).equals(one)
    assert risk.CohortFilter.from_json(f.to_json()).apply(_people()).equals(one)
    # No chunks at all: the columns are still checked, and the output keeps the schema.
    empty = pa.Table.from_batches([], schema=_people().schema)
    assert f.apply(empty).column_names == _people().column_names + ["reasons"]
    with pytest.raises(errors.RiskError) as e:
        risk.cohort().on_register("dementia").apply(empty)
    assert e.value.code == "missing_column"


def test_cohort_json_errors() -> None:
    with pytest.raises(errors.RiskError) as e:
        risk.CohortFilter.from_json({"age": {"column": "age", "min": 80, "max": 70}})
    assert e.value.code == "cohort_spec"
    assert isinstance(e.value, ValueError)
    assert "`age.min`" in str(e.value)
    with pytest.raises(errors.RiskError) as e:
        risk.CohortFilter.from_json("not json")
    assert "`$`" in str(e.value)


def test_model_multi_chunk_matches_single_chunk() -> None:
    m = risk.model(
        '{"name": "readmission-local-v1", "kind": "logistic", "intercept": -3.2,'
        ' "terms": [{"feature": "charlson", "weight": 0.4},'
        ' {"feature": "age", "weight": 0.03, "transform": {"min": 18}},'
        ' {"feature": "admissions_12m", "weight": 0.5, "cap": 5}]}'
    )
    t = pa.table(
        {
            "patient_id": ["p0", "p1", None, "p3", "p4"],
            "charlson": pa.array([2, None, 1, 0, 3], pa.int64()),
            "age": [70.0, 80.0, 60.0, 10.0, 90.0],
            "admissions_12m": pa.array([8, 0, 0, 0, 1], pa.int64()),
        }
    )
    one, one_rejects = m.apply(t, with_rejects=True)
    # Hand-computed (core/src/risk/model.rs): p0 -3.2 + 0.8 + 2.1 + 2.5 = 2.2;
    # p3 -3.2 + 0.03 * 18 = -2.66; p4 -3.2 + 1.2 + 2.7 + 0.5 = 1.2.
    assert one.column("patient_id").to_pylist() == ["p0", "p3", "p4"]
    assert one.column("linear_predictor").to_pylist() == pytest.approx([2.2, -2.66, 1.2], abs=1e-12)
    assert one.column("probability")[0].as_py() == pytest.approx(0.900249510880315, abs=1e-12)
    assert one_rejects.select(["row", "field", "reason"]).to_pylist() == [
        {"row": 1, "field": "charlson", "reason": "null_value"},
        {"row": 2, "field": "patient_id", "reason": "null_patient"},
    ]
    for size in (1, 2, 3):
        many, many_rejects = m.apply(_chunked(t, size), with_rejects=True)
        assert many.equals(one, check_metadata=True), size
        assert many_rejects.equals(one_rejects, check_metadata=True), size
    empty = pa.Table.from_batches([], schema=t.schema)
    assert m.apply(empty).num_rows == 0
    with pytest.raises(errors.RiskError) as e:
        m.apply(empty.drop_columns(["age"]))
    assert e.value.code == "missing_column"


def test_tiers_multi_chunk_matches_single_chunk() -> None:
    t = pa.table({"patient_id": [f"p{i:02}" for i in range(50)], "score": [(i * 7) % 11 for i in range(50)]})
    one, one_rejects = risk.tiers(t, with_rejects=True)
    many, many_rejects = risk.tiers(_chunked(t, 7), with_rejects=True)
    assert many.equals(one, check_metadata=True)
    assert many_rejects.equals(one_rejects, check_metadata=True)


def test_error_codes_come_from_the_core() -> None:
    # Every RiskError carries the core's RiskError::code(); the C codes are the same words
    # (CARECOORD_RESULT_RISK_<CODE>).
    cases: List[Tuple[Callable[[], object], str]] = [
        (lambda: risk.charlson(pa.table({"patient_id": ["a"], "code": [1]})), "column_type"),
        (lambda: risk.hfrs(long_table(), code="icd10"), "missing_column"),
        (lambda: risk.tiers(long_table(), score="age", cuts=(0.2, 0.1)), "invalid_option"),
        (lambda: risk.efi(long_table(), codelist="deficit_id,code\nfrailty,38341003\n"), "code_list"),
        (lambda: risk.model("{}"), "model_spec"),
        (lambda: risk.CohortFilter.from_json("[]"), "cohort_spec"),
    ]
    for call, code in cases:
        with pytest.raises(errors.RiskError) as e:
            call()
        assert e.value.code == code


# ---- row accounting -----------------------------------------------------------------------

CODES = ["I21.4", "i50.0", "E11.9", "C78.7", "F05.0", "J18.9", "I2.14", "", "??", "K70.3", "b20.1"]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
            st.one_of(st.none(), st.sampled_from(CODES)),
            st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1))),
        ),
        max_size=40,
    ),
    chunk=st.integers(1, 8),
)
def test_rows_in_equals_scored_excluded_rejected(
    rows: List[Tuple[Any, Any, Any]], chunk: int
) -> None:
    schema = pa.schema([("patient_id", pa.string()), ("code", pa.string()), ("d", pa.date32())])
    t = pa.Table.from_pylist(
        [{"patient_id": p, "code": c, "d": d} for p, c, d in rows], schema=schema
    )
    t = pa.Table.from_batches(t.to_batches(max_chunksize=chunk), schema=schema)
    for fn in (risk.charlson, risk.elixhauser, risk.hfrs):
        s, rejects = fn(t, date="d", index_date=dt.date(2026, 1, 1), lookback_days=365,
                        with_rejects=True)
        c = risk.row_counts(s)
        assert c["rows_in"] == len(rows)
        assert c["rows_rejected"] == rejects.num_rows
        scored = sum(1 for p, code, d in rows if p is not None and code is not None and d is not None)
        assert c["rows_in"] - c["rows_rejected"] - c["rows_excluded"] <= scored
        assert set(s.column("patient_id").to_pylist()) == {p for p, _, _ in rows if p is not None}
