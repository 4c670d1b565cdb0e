"""Turn any column-like object into an Arrow C stream for the native module.

Accepted: anything with ``__arrow_c_stream__`` (pyarrow ``ChunkedArray``, polars ``Series``,
pandas >= 3 ``Series``, arro3, nanoarrow), anything with ``__arrow_c_array__`` (pyarrow
``Array``), and anything ``pyarrow.array`` can convert (numpy arrays, pandas < 3 ``Series``,
Python lists). Arrow data is passed on as it is: its buffers are not copied on the way to
Rust (see ``tests/test_arrow.py``, which checks buffer addresses as polars does).

The export is done here, in Python, so that a conversion failure raises
:class:`~carecoord.errors.UnsupportedTypeError` with a message that names only the type of the
failure: converters such as ``pyarrow.array`` quote the offending value in their messages,
and carecoord messages never contain input values.

Examples
--------
>>> import pyarrow as pa
>>> stream = as_stream(["9434765919", None])
>>> pa.chunked_array(stream).to_pylist()
['9434765919', None]
"""

from __future__ import annotations

from typing import Any, Optional

from .errors import UnsupportedTypeError

__all__ = ["ArrowStream", "as_stream"]

#: What the column arguments accept (see the module docstring); ``Any`` because pyarrow,
#: polars, pandas and numpy types are all welcome and pyarrow ships no type information.
ColumnLike = Any


class ArrowStream:
    """A one-shot holder of an exported ``ArrowArrayStream`` PyCapsule.

    It implements the Arrow PyCapsule interface's ``__arrow_c_stream__``, so pyarrow,
    polars and the native module can all read it, once.

    Parameters
    ----------
    capsule
        The ``arrow_array_stream`` capsule returned by some ``__arrow_c_stream__()``.

    Examples
    --------
    >>> import pyarrow as pa
    >>> s = ArrowStream(pa.chunked_array([[1, 2]]).__arrow_c_stream__())
    >>> pa.chunked_array(s).to_pylist()
    [1, 2]
    """

    __slots__ = ("_capsule",)

    def __init__(self, capsule: object) -> None:
        self._capsule: Optional[object] = capsule

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """Hand over the stream capsule (only once; ``requested_schema`` is not supported)."""
        if requested_schema is not None:
            raise NotImplementedError("carecoord streams cannot be cast on export")
        capsule, self._capsule = self._capsule, None
        if capsule is None:
            raise RuntimeError("this Arrow stream has already been consumed")
        return capsule


def _unsupported(what: str, exc: BaseException) -> UnsupportedTypeError:
    # Name the exception type only: converters' messages may quote the value.
    return UnsupportedTypeError(
        f"could not read the column as Arrow ({what} raised {type(exc).__name__}); "
        "pass an Arrow-compatible column of strings, integers or dates",
        "unsupported_type",
    )


def as_stream(column: ColumnLike) -> ArrowStream:
    """Export ``column`` as an Arrow C stream, without copying Arrow data.

    Parameters
    ----------
    column
        A pyarrow ``Array`` or ``ChunkedArray``, a polars or pandas ``Series``, a numpy array,
        a Python list, or any object implementing the Arrow PyCapsule interface.

    Returns
    -------
    ArrowStream
        A one-shot object with ``__arrow_c_stream__``.

    Raises
    ------
    UnsupportedTypeError
        If the object cannot be converted to Arrow (e.g. a list mixing strings and numbers).

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> pa.chunked_array(as_stream(np.array([9434765919]))).type
    DataType(int64)
    >>> as_stream([1, "a"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    carecoord.errors.UnsupportedTypeError: could not read the column as Arrow (pyarrow.array raised Arrow...); pass an Arrow-compatible column of strings, integers or dates
    """
    if hasattr(column, "__arrow_c_stream__"):
        try:
            return ArrowStream(column.__arrow_c_stream__())
        except Exception as exc:
            raise _unsupported("__arrow_c_stream__", exc) from None

    import pyarrow as pa

    try:
        # A pyarrow Array (or any `__arrow_c_array__` producer) is imported without a copy.
        array = column if isinstance(column, pa.Array) else pa.array(column)
    except Exception as exc:
        raise _unsupported("pyarrow.array", exc) from None
    if array.type == pa.null():
        # A list of only None has no type of its own: read it as (null) strings.
        array = array.cast(pa.string())
    return ArrowStream(pa.chunked_array([array]).__arrow_c_stream__())
