"""Risk stratification and case finding: Charlson, Elixhauser, HFRS, eFI, LACE, HOSPITAL,
custom models, population tiers and cohort filters (DOMAIN.md 2.9-2.15).

Inputs are Arrow-compatible tables: a pyarrow ``Table`` or ``RecordBatch``, a polars
``DataFrame`` or anything else with ``__arrow_c_stream__`` (the Arrow PyCapsule interface),
or a pandas ``DataFrame`` (converted with ``pyarrow.Table.from_pandas(...,
preserve_index=False)`` when it has no ``__arrow_c_stream__``). Arrow record batches are
handed to the compiled core as they are, without copying their buffers, and the GIL is
released while scoring.

The code-based scores (:func:`charlson`, :func:`elixhauser`, :func:`hfrs`, :func:`efi`) read
a *long* table: one row per (patient, code), optionally with a date and an age column. They
return a ``pyarrow.Table`` with one row per patient present in the input, in order of first
appearance (a patient whose rows were all rejected still has a row, with no category), with
``patient_id``, ``score`` and one boolean column per category. Nothing is dropped silently:
bad rows go to a rejects table (``row``, ``patient_id``, ``field``, ``reason``; pass
``with_rejects=True`` to get it) and the schema metadata records the row accounting
(``carecoord.rows_in = rows scored + carecoord.rows_excluded + carecoord.rows_rejected``),
the instrument and the weights used. See :func:`row_counts`.

Reference tables and their provenance: ``core/data/risk/SOURCES.md``.

Examples
--------
>>> import pyarrow as pa
>>> from carecoord import risk
>>> t = pa.table({"patient_id": ["a", "a", "b"], "code": ["I21.4", "e11.9", "J18.9"]})
>>> risk.charlson(t, weights="quan2011").column("score").to_pylist()
[0, 0]
>>> risk.charlson(t).column("score").to_pylist()  # Charlson 1987: MI 1 + diabetes 1
[2, 0]
>>> risk.hfrs(t).column("score").to_pylist()
[0.0, 1.1]
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import sys as _sys
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _native
from .errors import RiskError, UnsupportedTypeError

__all__ = [
    "charlson",
    "elixhauser",
    "hfrs",
    "efi",
    "lace",
    "hospital",
    "explain",
    "model",
    "Model",
    "tiers",
    "cohort",
    "CohortFilter",
    "row_counts",
]

#: Any Arrow-compatible table (see the module docstring); ``Any`` because pyarrow, polars and
#: pandas types are all welcome and pyarrow ships no type information.
TableLike = Any
#: A pyarrow ``Table``.
ArrowTable = Any
#: A pyarrow ``Table``, or ``(scores, rejects)`` with ``with_rejects=True``; ``Any`` so that
#: callers need no casts.
Result = Any
_NativeResult = Tuple[Any, Any, Optional[Any], Tuple[int, int, int, int, int]]

CharlsonWeights = Literal["charlson", "charlson1987", "quan2011", "shmi"]
EfiBanding = Literal["clegg2016", "rounded_2dp"]
LosConvention = Literal["midnights", "inclusive_days"]


def _as_table(table: TableLike) -> Any:
    """An object with ``__arrow_c_stream__`` for the native module (no copy of Arrow data)."""
    if hasattr(table, "__arrow_c_stream__"):
        return table
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    pd = _sys.modules.get("pandas")
    if pd is not None and isinstance(table, pd.DataFrame):
        # pandas < 3 has no `__arrow_c_stream__`: convert (this copies).
        return pa.Table.from_pandas(table, preserve_index=False)
    raise UnsupportedTypeError(
        f"expected an Arrow-compatible table (pyarrow, polars or pandas), got "
        f"{type(table).__name__}",
        "unsupported_type",
    )


def _check_window(index_date: Optional[_dt.date], lookback_days: Optional[int]) -> None:
    if lookback_days is not None and index_date is None:
        raise RiskError(
            "option `lookback_days`: needs `index_date` (and a date column)", "invalid_option"
        )
    if lookback_days is not None and lookback_days < 0:
        raise RiskError("option `lookback_days`: must not be negative", "invalid_option")
    if index_date is not None and (
        not isinstance(index_date, _dt.date) or isinstance(index_date, _dt.datetime)
    ):
        raise RiskError("option `index_date`: must be a datetime.date", "invalid_option")


def _result(native: _NativeResult, with_rejects: bool) -> Result:
    scores, rejects, _explanations, _counts = native
    return (scores, rejects) if with_rejects else scores


def row_counts(table: ArrowTable) -> Dict[str, int]:
    """The row accounting recorded in a result's schema metadata.

    Parameters
    ----------
    table
        A scores or rejects table returned by this module.

    Returns
    -------
    dict
        ``rows_in``, ``rows_rejected`` and ``rows_excluded`` (rows outside a date window);
        ``rows_in - rows_rejected - rows_excluded`` rows were scored.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": ["a", "a"], "code": ["I50.0", "I2.14"]})
    >>> row_counts(elixhauser(t))
    {'rows_in': 2, 'rows_rejected': 1, 'rows_excluded': 0}
    """
    meta = table.schema.metadata or {}
    out = {}
    for key in ("rows_in", "rows_rejected", "rows_excluded"):
        value = meta.get(f"carecoord.{key}".encode())
        if value is not None:
            out[key] = int(value)
    return out


def charlson(
    table: TableLike,
    *,
    weights: CharlsonWeights = "charlson",
    age: Optional[str] = None,
    patient: str = "patient_id",
    code: str = "code",
    date: Optional[str] = None,
    index_date: Optional[_dt.date] = None,
    lookback_days: Optional[int] = None,
    with_rejects: bool = False,
) -> Result:
    """Charlson comorbidity index per patient from ICD-10 codes.

    Conditions are coded as in Quan et al., *Med Care* 2005;43:1130 (17 categories, prefix
    match on the cleaned code: upper case, dots removed, so ``i25.2`` is ``I252``). Weights:
    Charlson et al., *J Chronic Dis* 1987;40:373 (``"charlson"``, the default); Quan et al.,
    *Am J Epidemiol* 2011;173:676 (``"quan2011"``, AIDS/HIV 4); or the UK SHMI weights on
    Quan 2005 categories (``"shmi"``, an approximation of SHMI, noted in the metadata).
    Hierarchy: moderate/severe over mild liver disease, diabetes with over without chronic
    complications, metastatic solid tumour over any malignancy.

    Parameters
    ----------
    table
        Long-format table (pyarrow, polars, pandas): one row per (patient, code).
    weights
        ``"charlson"`` (``"charlson1987"``), ``"quan2011"`` or ``"shmi"``.
    age
        Name of a column with the patient's age in whole years at the index date, or None.
        With it, Charlson 1994 age points are added (50-59: 1, 60-69: 2, 70-79: 3,
        80+: 4; *J Clin Epidemiol* 1994;47:1245) and the result also has
        ``comorbidity_score`` and ``age_points``; a patient with no age gets a null score.
        Quan 2011 weights are normally used without age points.
    patient, code
        Names of the patient id (strings or integers) and ICD-10 code (strings) columns.
    date
        Name of the event date column (dates, timestamps or ISO strings); read only with
        ``index_date``.
    index_date, lookback_days
        Only codes dated in ``[index_date - lookback_days, index_date]`` count (the whole
        record up to ``index_date`` when ``lookback_days`` is None). Others are *excluded*
        (counted in ``carecoord.rows_excluded``), not rejected.
    with_rejects
        Also return the rejects table.

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        Scores: ``patient_id``, ``score`` (int32), [``comorbidity_score``, ``age_points``],
        then 17 boolean flags as found, before the hierarchy (``mi``, ``chf``, ... ``aids``).
        Rejects: ``row`` (zero-based across chunks), ``patient_id``, ``field``, ``reason``
        (``null_patient``, ``null_code``, ``negative_age``, an ICD-10 rule such as
        ``misplaced_dot``, ``null_date``, ``invalid_date``).

    Raises
    ------
    RiskError
        A missing column, a column of the wrong type, or an invalid option.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({
    ...     "patient_id": ["a", "a", "b", "b"],
    ...     "code": ["I21.4", "E11.9", "I25.1", None],
    ...     "age": [72, 72, 45, 45],
    ... })
    >>> scores, rejects = charlson(t, age="age", with_rejects=True)
    >>> scores.column("score").to_pylist()  # a: MI 1 + diabetes 1 + age 3
    [5, 0]
    >>> rejects.to_pylist()
    [{'row': 3, 'patient_id': 'b', 'field': 'code', 'reason': 'null_code'}]
    >>> scores.schema.metadata[b"carecoord.weights"]
    b'charlson1987'
    """
    _check_window(index_date, lookback_days)
    native = _native.risk_charlson(
        _as_table(table), weights, patient, code, date, age, index_date, lookback_days, False
    )
    return _result(native, with_rejects)


def _vw(weights: str) -> None:
    if weights not in ("van_walraven", "van_walraven2009"):
        raise RiskError(
            "option `weights`: expected `van_walraven` (van Walraven 2009)", "invalid_option"
        )


def elixhauser(
    table: TableLike,
    *,
    weights: Literal["van_walraven", "van_walraven2009"] = "van_walraven",
    patient: str = "patient_id",
    code: str = "code",
    date: Optional[str] = None,
    index_date: Optional[_dt.date] = None,
    lookback_days: Optional[int] = None,
    with_rejects: bool = False,
) -> Result:
    """Elixhauser comorbidity score per patient, van Walraven weights.

    31 conditions coded as in Quan et al., *Med Care* 2005;43:1130; weights from van
    Walraven et al., *Med Care* 2009;47:626 (-7 for drug abuse up to 12 for metastatic
    cancer). Totals may be negative and are **not** clipped at 0. Hierarchy: complicated
    over uncomplicated hypertension and diabetes, metastatic cancer over solid tumour. One
    code may flag two categories (e.g. I11.0: heart failure and complicated hypertension).

    Parameters
    ----------
    table
        Long-format table: one row per (patient, code).
    weights
        ``"van_walraven"`` (the only weight set).
    patient, code, date, index_date, lookback_days, with_rejects
        As for :func:`charlson`.

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        Scores: ``patient_id``, ``score`` (int32), then 31 boolean flags (``chf``, ``carit``,
        ... ``depre``) as found, before the hierarchy. Rejects as for :func:`charlson`.

    Raises
    ------
    RiskError
        A missing column, a column of the wrong type, or an invalid option.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": [10, 10, 11], "code": ["C78.7", "C18.7", "F11.2"]})
    >>> s = elixhauser(t)
    >>> s.column("score").to_pylist()  # metastases suppress the solid tumour; drug abuse -7
    [12, -7]
    >>> s.column("solidtum").to_pylist()  # the raw flag is kept
    [True, False]
    """
    _vw(weights)
    _check_window(index_date, lookback_days)
    native = _native.risk_elixhauser(
        _as_table(table), patient, code, date, index_date, lookback_days, False
    )
    return _result(native, with_rejects)


def hfrs(
    table: TableLike,
    *,
    patient: str = "patient_id",
    code: str = "code",
    date: Optional[str] = None,
    index_date: Optional[_dt.date] = None,
    lookback_days: Optional[int] = None,
    with_rejects: bool = False,
) -> Result:
    """Hospital Frailty Risk Score per patient (Gilbert et al., *Lancet* 2018;391:1775).

    Sum of the points of 109 three-character ICD-10 groups, each group counted once per
    patient however many codes hit it; totals are exact (computed in tenths) and rounded to
    one decimal place. Bands: low (< 5), intermediate (5-15), high (> 15). The paper scores
    people aged 75+ over the index admission and the previous two years' emergency
    admissions: select those rows yourself, or use ``index_date`` with
    ``lookback_days=730``.

    Parameters
    ----------
    table
        Long-format table: one row per (patient, code).
    patient, code, date, index_date, lookback_days, with_rejects
        As for :func:`charlson`.

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        Scores: ``patient_id``, ``score`` (float64, one decimal), ``score_tenths`` (int32),
        ``band``, then 109 boolean group flags (``F00``, ``G81``, ...).

    Raises
    ------
    RiskError
        A missing column, a column of the wrong type, or an invalid option.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": ["a", "a", "a", "b"],
    ...               "code": ["F05.0", "F05.1", "f05.9", "J18.9"]})
    >>> s = hfrs(t)
    >>> s.column("score").to_pylist()  # F05 counts once: 3.2, not 9.6
    [3.2, 1.1]
    >>> s.column("band").to_pylist()
    ['low', 'low']
    """
    _check_window(index_date, lookback_days)
    native = _native.risk_hfrs(
        _as_table(table), patient, code, date, index_date, lookback_days, False
    )
    return _result(native, with_rejects)


def explain(
    table: TableLike,
    instrument: str = "charlson",
    *,
    weights: Optional[str] = None,
    patient: str = "patient_id",
    code: str = "code",
    date: Optional[str] = None,
    index_date: Optional[_dt.date] = None,
    lookback_days: Optional[int] = None,
) -> ArrowTable:
    """Why each patient scored what they did: the explanations table of a score.

    Parameters
    ----------
    table
        Long-format table, as for :func:`charlson`.
    instrument
        ``"charlson"``, ``"elixhauser"`` or ``"hfrs"``.
    weights
        For Charlson: ``"charlson"`` (default), ``"quan2011"`` or ``"shmi"``; for
        Elixhauser ``"van_walraven"``; ignored for HFRS.
    patient, code, date, index_date, lookback_days
        As for :func:`charlson`.

    Returns
    -------
    pyarrow.Table
        One row per (patient, category present): ``patient_id``, ``category``, ``label``,
        ``weight`` (HFRS also ``weight_tenths``), ``codes`` (the distinct cleaned codes,
        ``;``-joined), ``rows`` (their input row numbers) and ``suppressed_by`` (the
        dominant category when the hierarchy zeroes this one; such rows add nothing).

    Raises
    ------
    RiskError
        An unknown instrument, a missing column or an invalid option.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": ["a", "a", "a"], "code": ["C18.7", "C78.7", "c787"]})
    >>> e = explain(t, "charlson")
    >>> e.select(["category", "weight", "codes", "rows", "suppressed_by"]).to_pylist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'category': 'canc', 'weight': 2, 'codes': 'C187', 'rows': [0], 'suppressed_by': 'metacanc'},
     {'category': 'metacanc', 'weight': 6, 'codes': 'C787', 'rows': [1, 2], 'suppressed_by': None}]
    """
    _check_window(index_date, lookback_days)
    t = _as_table(table)
    if instrument == "charlson":
        native = _native.risk_charlson(
            t, weights or "charlson", patient, code, date, None, index_date, lookback_days, True
        )
    elif instrument == "elixhauser":
        _vw(weights or "van_walraven")
        native = _native.risk_elixhauser(t, patient, code, date, index_date, lookback_days, True)
    elif instrument == "hfrs":
        native = _native.risk_hfrs(t, patient, code, date, index_date, lookback_days, True)
    else:
        raise RiskError(
            "option `instrument`: expected `charlson`, `elixhauser` or `hfrs`", "invalid_option"
        )
    return native[2]


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _codelist_csv(
    codelist: Union[None, str, "_os.PathLike[str]", Iterable[Tuple[str, Union[str, int]]]],
) -> Optional[str]:
    if codelist is None:
        return None
    if isinstance(codelist, _os.PathLike):
        with open(codelist, encoding="utf-8") as f:
            return f.read()
    if isinstance(codelist, str):
        if "\n" in codelist:  # CSV text; otherwise a path
            return codelist
        with open(codelist, encoding="utf-8") as f:
            return f.read()
    lines = ["deficit_id,code"]
    for pair in codelist:
        deficit, concept = pair
        lines.append(f"{_csv_field(str(deficit))},{_csv_field(str(concept))}")
    return "\n".join(lines) + "\n"


def efi(
    table: TableLike,
    *,
    medications: Optional[TableLike] = None,
    codelist: Union[
        None, str, "_os.PathLike[str]", Iterable[Tuple[str, Union[str, int]]]
    ] = None,
    banding: EfiBanding = "clegg2016",
    index_date: Optional[_dt.date] = None,
    lookback_days: Optional[int] = None,
    patient: str = "patient_id",
    code: str = "code",
    date: Optional[str] = None,
    medication_patient: str = "patient_id",
    medication_code: str = "code",
    medication_date: str = "date",
    with_rejects: bool = False,
) -> Result:
    """Electronic Frailty Index per patient (Clegg et al., *Age Ageing* 2016;45:353).

    36 deficits; eFI = deficits present / 36, banded on the integer count. 35 deficits come
    from SNOMED CT condition codes through ``codelist``; the 36th, polypharmacy, is present
    when the patient had five or more distinct medication codes dated in the 12 months up to
    ``index_date`` (``medications`` needed; without them polypharmacy is not assessed and its
    column is null).

    Parameters
    ----------
    table
        Long-format condition table: one row per (patient, SNOMED CT concept id as text).
    medications
        Optional long-format medication table (patient, medication code, date).
    codelist
        The SNOMED CT code list (``deficit_id,code``): a path (``str`` or ``os.PathLike``),
        CSV text (a ``str`` with a line break), or an iterable of ``(deficit_id,
        concept_id)`` pairs. None uses the **bundled illustrative list**,
        written by this project for tests and demos: it is *not clinically complete* (it
        undercounts frailty) and results made with it say so in their metadata
        (``carecoord.codelist`` = ``example``, ``carecoord.note``). Supply the licensed list
        for real use (``core/data/risk/SOURCES.md`` section 5).
    banding
        ``"clegg2016"`` (default: 0-4 fit, 5-8 mild, 9-12 moderate, 13+ severe, the
        published thresholds on the exact fraction) or ``"rounded_2dp"`` (the score rounded
        to two decimals first, as clinical systems show it: 9-13 moderate, 14+ severe).
    index_date
        The date the eFI is computed at: needed for polypharmacy; with ``date``, conditions
        recorded after it are excluded.
    lookback_days
        Only conditions recorded in the ``lookback_days`` days before ``index_date`` count.
    patient, code, date
        Condition table column names (``date`` optional).
    medication_patient, medication_code, medication_date
        Medication table column names.
    with_rejects
        Also return the rejects table (medication fields are prefixed ``medications.``).

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        Scores: ``patient_id``, ``deficits``, ``efi``, ``band``, ``banding``, then one boolean
        column per deficit.

    Raises
    ------
    RiskError
        A bad code list line (code ``code_list``), an unknown banding, medications without
        ``index_date``, a missing column.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": ["p1", "p1"], "code": ["38341003", "49436004"]})
    >>> s = efi(t)  # bundled illustrative list: not clinically complete
    >>> s.select(["deficits", "band", "banding"]).to_pylist()
    [{'deficits': 2, 'band': 'fit', 'banding': 'clegg2016'}]
    >>> s.schema.metadata[b"carecoord.codelist"]
    b'example'
    >>> efi(t, codelist=[("hypertension", "38341003")]).column("deficits").to_pylist()
    [1]
    """
    _check_window(index_date, lookback_days)
    native = _native.risk_efi(
        _as_table(table),
        None if medications is None else _as_table(medications),
        _codelist_csv(codelist),
        banding,
        patient,
        code,
        date,
        medication_patient,
        medication_code,
        medication_date,
        index_date,
        lookback_days,
    )
    return _result(native, with_rejects)


def lace(
    table: TableLike,
    *,
    patient: str = "patient_id",
    stay: Optional[str] = None,
    los_days: str = "los_days",
    acute_admission: str = "acute_admission",
    charlson: str = "charlson",
    ed_visits_6m: str = "ed_visits_6m",
    los_convention: LosConvention = "midnights",
    with_rejects: bool = False,
) -> Result:
    """LACE readmission index per stay (van Walraven et al., *CMAJ* 2010;182:551).

    L: length of stay in midnights (< 1: 0, 1: 1, 2: 2, 3: 3, 4-6: 4, 7-13: 5, 14+: 7);
    A: acute admission 3; C: Charlson (1987 weights) 0-3 as is, 4+ gives 5; E: emergency
    department visits in the previous 6 months, 0-3 as is, 4+ gives 4. Range 0-19, high
    risk at 10 or more.

    Parameters
    ----------
    table
        Stay-level table, one row per stay.
    patient, stay
        Patient id column and optional stay id column (copied to the output).
    los_days, acute_admission, charlson, ed_visits_6m
        Column names: counts (integers, or whole floats) and a Boolean (or 0/1) flag.
    los_convention
        How ``los_days`` was counted: ``"midnights"`` or ``"inclusive_days"`` (converted).
    with_rejects
        Also return the rejects table.

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        ``row``, ``patient_id``, [``stay_id``], ``l``, ``a``, ``c``, ``e``, ``lace``,
        ``high_risk``, ``los_convention``.

    Raises
    ------
    RiskError
        A missing column, a column of the wrong type, an unknown ``los_convention``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> stays = pa.table({"patient_id": ["p1"], "los_days": [5], "acute_admission": [True],
    ...                   "charlson": [2], "ed_visits_6m": [1]})
    >>> lace(stays).select(["l", "a", "c", "e", "lace", "high_risk"]).to_pylist()
    [{'l': 4, 'a': 3, 'c': 2, 'e': 1, 'lace': 10, 'high_risk': True}]
    """
    native = _native.risk_lace(
        _as_table(table),
        patient,
        stay,
        los_days,
        acute_admission,
        charlson,
        ed_visits_6m,
        los_convention,
    )
    return _result(native, with_rejects)


def hospital(
    table: TableLike,
    *,
    patient: str = "patient_id",
    stay: Optional[str] = None,
    haemoglobin: str = "haemoglobin_g_dl",
    haemoglobin_unit: Literal["g/dL", "g/L"] = "g/dL",
    oncology_discharge: str = "oncology_discharge",
    sodium: str = "sodium_mmol_l",
    procedure: str = "procedure",
    urgent_admission: str = "urgent_admission",
    admissions_12m: str = "admissions_12m",
    los_days: str = "los_days",
    los_convention: LosConvention = "midnights",
    with_rejects: bool = False,
) -> Result:
    """HOSPITAL score per stay (Donzé et al., *JAMA Intern Med* 2013;173:632).

    Haemoglobin < 12 g/dL at discharge 1; discharge from oncology 2; sodium < 135 mmol/L 1;
    procedure during the stay 1; urgent index admission 1; admissions in the previous 12
    months 0-1: 0, 2-5: 2, more than 5: 5; length of stay 5 days or more 2. Range 0-13; low
    0-4, intermediate 5-6, high 7+.

    Parameters
    ----------
    table
        Stay-level table, one row per stay.
    patient, stay
        Patient id column and optional stay id column.
    haemoglobin, haemoglobin_unit
        Haemoglobin column and its unit, ``"g/dL"`` (the paper) or ``"g/L"`` (UK labs).
    oncology_discharge, sodium, procedure, urgent_admission, admissions_12m, los_days
        Column names.
    los_convention
        ``"midnights"`` or ``"inclusive_days"``.
    with_rejects
        Also return the rejects table.

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        ``row``, ``patient_id``, [``stay_id``], ``h``, ``o``, ``s``, ``p``, ``i``, ``t``,
        ``al``, ``hospital``, ``band``, ``los_convention``.

    Raises
    ------
    RiskError
        A missing column, a column of the wrong type, an unknown unit or convention.

    Examples
    --------
    >>> import pyarrow as pa
    >>> stays = pa.table({"patient_id": ["p1"], "hb": [119.0], "oncology_discharge": [False],
    ...     "sodium_mmol_l": [134.0], "procedure": [True], "urgent_admission": [True],
    ...     "admissions_12m": [2], "los_days": [5]})
    >>> hospital(stays, haemoglobin="hb", haemoglobin_unit="g/L").select(
    ...     ["hospital", "band"]).to_pylist()
    [{'hospital': 8, 'band': 'high'}]
    """
    native = _native.risk_hospital(
        _as_table(table),
        patient,
        stay,
        haemoglobin,
        haemoglobin_unit,
        oncology_discharge,
        sodium,
        procedure,
        urgent_admission,
        admissions_12m,
        los_days,
        los_convention,
    )
    return _result(native, with_rejects)


class Model:
    """A validated custom linear or logistic risk model (see :func:`model`).

    Parameters
    ----------
    spec_json
        The model as JSON text or as a ``dict``.

    Examples
    --------
    >>> m = Model({"name": "m", "kind": "linear", "terms": [{"feature": "age", "weight": 0.1}]})
    >>> (m.name, m.kind)
    ('m', 'linear')
    """

    __slots__ = ("_native",)

    def __init__(self, spec_json: Union[str, Dict[str, Any]]) -> None:
        text = spec_json if isinstance(spec_json, str) else _json.dumps(spec_json)
        self._native: _native.RiskModel = _native.RiskModel(text)

    @property
    def name(self) -> str:
        """The model's name."""
        return self._native.name

    @property
    def kind(self) -> str:
        """``"linear"`` or ``"logistic"``."""
        return self._native.kind

    def to_json(self) -> str:
        """The model as JSON text (the format :func:`model` reads).

        Examples
        --------
        >>> m = model('{"name": "m", "kind": "linear", "terms": [{"feature": "a", "weight": 1}]}')
        >>> model(m.to_json()).name
        'm'
        """
        return self._native.to_json()

    def apply(self, table: TableLike, id: str = "patient_id", *, with_rejects: bool = False) -> Result:
        """Apply the model to every row of a patient-level table.

        Parameters
        ----------
        table
            One row per patient, with the id column and one column per feature (numbers,
            booleans or numeric strings).
        id
            The id column (the output column is always ``patient_id``).
        with_rejects
            Also return the rejects table (rows with a null or non-finite feature). A table of
            several chunks is read chunk by chunk, without concatenating it first; ``row``
            numbers count across chunks.

        Returns
        -------
        pyarrow.Table or (pyarrow.Table, pyarrow.Table)
            ``patient_id``, ``linear_predictor`` and, for a logistic model, ``probability``.

        Examples
        --------
        >>> import pyarrow as pa
        >>> m = model('{"name": "m", "kind": "logistic", "intercept": -2, '
        ...           '"terms": [{"feature": "charlson", "weight": 0.5}]}')
        >>> m.apply(pa.table({"patient_id": ["p1"], "charlson": [4]})).to_pylist()
        [{'patient_id': 'p1', 'linear_predictor': 0.0, 'probability': 0.5}]
        """
        native = self._native.apply(_as_table(table), id)
        return _result(native, with_rejects)

    def __repr__(self) -> str:
        return f"Model(name={self.name!r}, kind={self.kind!r})"


def model(spec_json: Union[str, Dict[str, Any]]) -> Model:
    """Load and validate a custom linear or logistic model from JSON.

    Format: ``{"name", "kind": "linear"|"logistic", "intercept", "description", "terms":
    [{"feature", "weight", "cap", "transform": {"min", "max", "center", "scale"}}]}``.
    A term's value is ``(clamp(x, min, max or cap) - center) / scale``; the linear predictor
    is ``intercept + sum(weight * value)``; a logistic model also gives
    ``1 / (1 + exp(-linear predictor))``.

    Parameters
    ----------
    spec_json
        JSON text or a ``dict``.

    Returns
    -------
    Model
        Use :meth:`Model.apply`.

    Raises
    ------
    RiskError
        (code ``model_spec``) naming the JSON path of the first problem, e.g. an unknown
        field ``terms[1].wieght``.

    Examples
    --------
    >>> model('{"name": "m", "kind": "linear", "terms": [{"feature": "a", "wieght": 1}]}')
    Traceback (most recent call last):
    ...
    carecoord.errors.RiskError: model specification at `terms[0].wieght`: unknown field; expected one of `feature`, `weight`, `cap`, `transform`
    """
    return Model(spec_json)


def tiers(
    table: TableLike,
    *,
    id: str = "patient_id",
    score: str = "score",
    cuts: Sequence[float] = (0.005, 0.05, 0.20),
    with_rejects: bool = False,
) -> Result:
    """Population risk tiers: top 0.5%, top 5%, top 20% and the rest by default.

    People are sorted by score, highest first, ties broken by id (so results are
    reproducible); with N people the first ``ceil(N * cuts[0])`` form tier 1, up to
    ``ceil(N * cuts[1])`` tier 2, and so on. ``tie_at_boundary`` marks people tied on score
    across a tier boundary (the cut there was arbitrary).

    Parameters
    ----------
    table
        Patient-level table with an id and a numeric score column.
    id, score
        Column names.
    cuts
        Increasing cumulative fractions, each in (0, 1].
    with_rejects
        Also return the rejects table (null ids or scores, duplicate ids).

    Returns
    -------
    pyarrow.Table or (pyarrow.Table, pyarrow.Table)
        In rank order: ``patient_id``, ``score``, ``rank``, ``tier``, ``tie_at_boundary``.

    Raises
    ------
    RiskError
        Invalid cuts, a missing column or a non-numeric score.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": [f"p{i:04}" for i in range(1000)], "score": range(1000)})
    >>> tiers(t).column("tier").value_counts().to_pylist()
    [{'values': 1, 'counts': 5}, {'values': 2, 'counts': 45}, {'values': 3, 'counts': 150}, {'values': 4, 'counts': 800}]
    """
    native = _native.risk_tiers(_as_table(table), id, score, [float(c) for c in cuts])
    return _result(native, with_rejects)


class CohortFilter:
    """Select people for an integrated locality review; each method returns a new filter.

    All criteria must hold. A null value does not meet a criterion, except that a null
    caseload flag counts as not on a caseload and a null last-contact date as never
    contacted (both favour review). The result has every input column for the selected
    rows plus ``reasons``, the criteria met in plain words.

    Examples
    --------
    >>> import datetime as dt, pyarrow as pa
    >>> t = pa.table({
    ...     "patient_id": ["a", "b", "c"], "age": [82, 64, 90],
    ...     "efi_band": ["severe", "severe", "fit"],
    ...     "on_caseload": [False, False, False],
    ...     "last_contact": pa.array([dt.date(2026, 7, 26), None, None]),
    ... })
    >>> f = (CohortFilter().age_between("age", 75, 120)
    ...      .band_in("efi_band", ["moderate", "severe"]).label("efi_band", "eFI")
    ...      .not_on_caseload("on_caseload")
    ...      .no_contact_for_days("last_contact", 90, dt.date(2026, 11, 23)))
    >>> f.apply(t).column("reasons").to_pylist()
    ['age 82; eFI severe; no contact 120 days']
    """

    __slots__ = ("_native",)

    def __init__(self, _inner: Optional[_native.CohortFilter] = None) -> None:
        self._native: _native.CohortFilter = _native.CohortFilter() if _inner is None else _inner

    @classmethod
    def from_json(cls, spec_json: Union[str, Dict[str, Any]]) -> "CohortFilter":
        """A filter from its JSON form (the form the C ABI takes), text or a ``dict``.

        Every field is optional: ``id_column``; ``age`` (``column``, ``min``, ``max``);
        ``practice`` (``column``, ``in``); ``registers`` (column names); ``bands`` (a list of
        ``column``, ``in``); ``scores`` (a list of ``column``, ``at_least``);
        ``not_on_caseload`` (a column); ``not_on_caseload_ids``; ``no_contact`` (``column``,
        ``days``, ``index_date`` as ``YYYY-MM-DD``); ``sort_by``; ``labels`` (column: label).

        Raises
        ------
        RiskError
            (code ``cohort_spec``) naming the JSON path of the first problem.

        Examples
        --------
        >>> import pyarrow as pa
        >>> f = CohortFilter.from_json({"scores": [{"column": "lace", "at_least": 10}],
        ...                             "labels": {"lace": "LACE"}})
        >>> t = pa.table({"patient_id": ["a", "b"], "lace": [11.0, 9.0]})
        >>> f.apply(t).column("reasons").to_pylist()
        ['LACE 11']
        >>> CohortFilter.from_json('{"bands": [{"column": "efi_band", "in": []}]}')
        Traceback (most recent call last):
        ...
        carecoord.errors.RiskError: cohort filter specification at `bands[0].in`: an empty band set selects nobody
        """
        text = spec_json if isinstance(spec_json, str) else _json.dumps(spec_json)
        return cls(_native.CohortFilter.from_json(text))

    def to_json(self) -> str:
        """The filter in the JSON form :meth:`from_json` reads.

        Examples
        --------
        >>> f = CohortFilter().score_at_least("lace", 10)
        >>> CohortFilter.from_json(f.to_json()).to_json() == f.to_json()
        True
        """
        return self._native.to_json()

    def id_column(self, column: str) -> "CohortFilter":
        """The id column (default ``patient_id``).

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().id_column("pid").apply(t).column("pid").to_pylist()
        ['a', 'b']
        """
        return CohortFilter(self._native.id_column(column))

    def age_between(self, column: str, min: int, max: int) -> "CohortFilter":
        """Age (whole years) from ``min`` to ``max``, both included.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().age_between("age", 75, 120).apply(t).column("reasons").to_pylist()
        ['age 82']
        """
        return CohortFilter(self._native.age_between(column, min, max))

    def practice_in(self, column: str, practices: Iterable[str]) -> "CohortFilter":
        """Registered at one of ``practices`` (ODS codes).

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().practice_in("practice", ["SYN002"]).apply(t).column("patient_id").to_pylist()
        ['b']
        """
        return CohortFilter(self._native.practice_in(column, list(practices)))

    def on_register(self, column: str) -> "CohortFilter":
        """On a register (a Boolean or 0/1 column is true).

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().on_register("palliative").apply(t).column("patient_id").to_pylist()
        ['a']
        """
        return CohortFilter(self._native.on_register(column))

    def band_in(self, column: str, bands: Iterable[str]) -> "CohortFilter":
        """A band column (e.g. eFI band) takes one of ``bands``.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().band_in("efi_band", ["severe"]).apply(t).column("patient_id").to_pylist()
        ['a']
        """
        return CohortFilter(self._native.band_in(column, list(bands)))

    def score_at_least(self, column: str, threshold: float) -> "CohortFilter":
        """A score column is at least ``threshold``.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().score_at_least("lace", 10).apply(t).column("patient_id").to_pylist()
        ['a']
        """
        return CohortFilter(self._native.score_at_least(column, float(threshold)))

    def not_on_caseload(self, column: str) -> "CohortFilter":
        """Not on a caseload (the Boolean column is false or null).

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().not_on_caseload("on_caseload").apply(t).column("patient_id").to_pylist()
        ['a', 'b']
        """
        return CohortFilter(self._native.not_on_caseload(column))

    def not_on_caseload_ids(self, ids: Iterable[str]) -> "CohortFilter":
        """Not one of ``ids`` (people already on a caseload).

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().not_on_caseload_ids(["a"]).apply(t).column("patient_id").to_pylist()
        ['b']
        """
        return CohortFilter(self._native.not_on_caseload_ids([str(i) for i in ids]))

    def no_contact_for_days(
        self, column: str, days: int, index_date: _dt.date
    ) -> "CohortFilter":
        """No contact in the ``days`` days before ``index_date`` (null: never contacted).

        Examples
        --------
        >>> import datetime as dt, pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"],
        ...               "last_contact": pa.array([dt.date(2026, 11, 1), None])})
        >>> f = CohortFilter().no_contact_for_days("last_contact", 90, dt.date(2026, 11, 23))
        >>> f.apply(t).column("reasons").to_pylist()
        ['never contacted']
        """
        return CohortFilter(self._native.no_contact_for_days(column, days, index_date))

    def sort_by_score(self, column: str) -> "CohortFilter":
        """Sort the selection by a score column, highest first.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().sort_by_score("age").apply(t).column("patient_id").to_pylist()
        ['a', 'b']
        """
        return CohortFilter(self._native.sort_by_score(column))

    def label(self, column: str, label: str) -> "CohortFilter":
        """The words used for ``column`` in ``reasons``.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().band_in("efi_band", ["severe"]).label("efi_band", "eFI").apply(t).column("reasons").to_pylist()
        ['eFI severe']
        """
        return CohortFilter(self._native.label(column, label))

    def apply(self, table: TableLike) -> ArrowTable:
        """The selected rows with a ``reasons`` column (a pyarrow ``Table``).

        A table of several chunks is read chunk by chunk, without concatenating it first;
        the result (one chunk) is the same as for the concatenated table.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = pa.table({"patient_id": ["a", "b"], "pid": ["a", "b"], "age": [82, 64],
        ...               "practice": ["SYN001", "SYN002"], "palliative": [True, False],
        ...               "efi_band": ["severe", "fit"], "lace": [11.0, 9.0],
        ...               "on_caseload": [False, None]})
        >>> CohortFilter().score_at_least("lace", 10).apply(t).num_rows
        1
        """
        return self._native.apply(_as_table(table))


def cohort() -> CohortFilter:
    """An empty :class:`CohortFilter` (selects everyone with an id).

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"patient_id": ["a", "b"], "lace": [11.0, 9.0]})
    >>> cohort().score_at_least("lace", 10).apply(t).column("patient_id").to_pylist()
    ['a']
    """
    return CohortFilter()
