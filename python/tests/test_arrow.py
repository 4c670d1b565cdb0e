"""Tests of carecoord._arrow: every kind of column gives the same answer, without copies."""

from __future__ import annotations

from typing import Any, Callable, List

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from carecoord import ids
from carecoord._arrow import ArrowStream, as_stream

NHS = ["9434765919", None, "9434765918", "943 476 5919", "1111111111", "4000000632"]
NHS_INT = [9_434_765_919, None, 9_434_765_918, 100_000_002, 1_111_111_111]


def _kinds(values: List[Any], pa_type: pa.DataType, pl_type: Any, pd_type: str) -> List[Any]:
    return [
        values,
        pa.array(values, pa_type),
        pa.chunked_array([values[:2], values[2:]], pa_type),
        pl.Series(values, dtype=pl_type),
        pd.Series(values, dtype=pd_type),
    ]


FUNCTIONS: List[Callable[[Any], pa.Array]] = [
    ids.nhs_number_validate,
    ids.nhs_number_normalise,
    ids.nhs_number_reasons,
    ids.snomed_validate,
    ids.snomed_reasons,
]


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_string_column_kinds_agree(fn: Callable[[Any], pa.Array]) -> None:
    # list, pyarrow Array / ChunkedArray, polars (string_view), pandas 3 (large_string)
    results = [fn(c).to_pylist() for c in _kinds(NHS, pa.string(), pl.String, "str")]
    results.append(fn(pa.array(NHS, pa.large_string())).to_pylist())
    results.append(fn(pa.array(NHS, pa.string_view())).to_pylist())
    results.append(fn(np.array(NHS, dtype=object)).to_pylist())
    assert all(r == results[0] for r in results)
    assert len(results[0]) == len(NHS)


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_integer_column_kinds_agree(fn: Callable[[Any], pa.Array]) -> None:
    results = [fn(c).to_pylist() for c in _kinds(NHS_INT, pa.int64(), pl.Int64, "Int64")]
    no_nulls = [v for v in NHS_INT if v is not None]
    base = fn(no_nulls).to_pylist()
    assert fn(np.array(no_nulls, dtype=np.int64)).to_pylist() == base
    assert fn(pl.Series(no_nulls)).to_pylist() == base
    assert fn(pd.Series(no_nulls)).to_pylist() == base
    assert all(r == results[0] for r in results)


def test_icd10_kinds_agree() -> None:
    codes = ["i21.4", None, "I2.14"]
    got = [ids.icd10_clean_column(c).to_pylist() for c in _kinds(codes, pa.string(), pl.String, "str")]
    assert got == [["I214", None, None]] * 5


def _addresses(array: pa.Array) -> List[int]:
    return [b.address for b in array.buffers() if b is not None]


def test_as_stream_does_not_copy_pyarrow_array() -> None:
    # As polars' test_arrow_to_pyseries_with_one_chunk_does_not_copy_data: the data reaches
    # the stream (and so Rust) at the address it had in the input.
    arr = pa.array(["9434765919", None, "x"] * 1000)
    through = pa.chunked_array(as_stream(arr))
    assert through.num_chunks == 1
    assert _addresses(through.chunk(0)) == _addresses(arr)


def test_as_stream_does_not_copy_chunked_array() -> None:
    chunked = pa.chunked_array([pa.array([1, 2, None]), pa.array([3])])
    through = pa.chunked_array(as_stream(chunked))
    assert [_addresses(c) for c in through.chunks] == [_addresses(c) for c in chunked.chunks]


def test_as_stream_does_not_copy_numpy_int64() -> None:
    values = np.arange(9_000_000_000, 9_000_100_000, dtype=np.int64)
    through = pa.chunked_array(as_stream(values))
    assert through.chunk(0).buffers()[1].address == values.ctypes.data


def test_rust_shares_the_input_null_buffer() -> None:
    # The boolean output of validation reuses the input's validity bitmap (core
    # ids::batch docs), so the address coming back from Rust is the input's: nothing was
    # copied on the way in, in the core, or on the way out.
    arr = pa.array(["9434765919", None, "x", None] * 1000)
    out = ids.nhs_number_validate(arr)
    assert out.buffers()[0] is not None
    assert out.buffers()[0].address == arr.buffers()[0].address


def test_stream_is_one_shot() -> None:
    stream = as_stream([1, 2])
    pa.chunked_array(stream)
    with pytest.raises(RuntimeError):
        stream.__arrow_c_stream__()
    with pytest.raises(NotImplementedError):
        ArrowStream(object()).__arrow_c_stream__(requested_schema=object())


def test_polars_dataframe_is_not_a_column() -> None:
    from carecoord.errors import UnsupportedTypeError

    with pytest.raises(UnsupportedTypeError):
        ids.nhs_number_validate(pl.DataFrame({"a": ["9434765919"]}))
