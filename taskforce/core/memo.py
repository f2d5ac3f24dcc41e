"""Memoising what is built from data on every rerun (Plotly figures, derived tables), keyed on the content of
the inputs.

A page reruns from the top at every click, and rebuilding the same figure from the same cached table is most
of a warm script run (Plotly validates every property it is given). `memoised` keeps the last figures each
builder made, keyed on a fingerprint of its arguments: a table's fingerprint is a digest of its pickled
form (values, index, column names and types), so equal inputs give the same figure and any change gives a new one.
The figures are shared between sessions and must be treated as read-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

Built = TypeVar("Built")
PER_BUILDER = 48
_ALL_RESULTS: list[OrderedDict] = []  # every memoised builder's results, for clear_all
# Called with each result as it is built: the test that no builder changes a shared result watches here.
BUILD_WATCHERS: list[Callable[[Any], None]] = []
_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime, pd.Timestamp, np.generic)
# Columns whose values are all in one NumPy array (categoricals are not: their codes need their categories).
_NUMPY_BACKED = (pd.arrays.NumpyExtensionArray, pd.arrays.DatetimeArray, pd.arrays.TimedeltaArray)
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _digest(values: pd.DataFrame | pd.Series) -> str:
    """A digest of the table's memory: each column's type and the bytes that hold its values (an Arrow
    column's buffers, with each chunk's offset and length; a NumPy column's array), the column names and the
    index. Equal digests mean equal tables. Equal tables laid out differently in memory may differ, which only
    costs a rebuild. Pickling the table for this cost a fifth of a trends rerun: pandas combines an Arrow
    column's chunks into a new array to pickle it."""
    digest = hashlib.blake2b(digest_size=16)
    columns = values.items() if isinstance(values, pd.DataFrame) else [(values.name, values)]
    for name, column in columns:
        digest.update(repr((name, str(column.dtype))).encode())
        _add_values(digest, column.array)
    _add_index(digest, values.index)
    return digest.hexdigest()


def _add_index(digest, index: pd.Index) -> None:
    if isinstance(index, pd.RangeIndex):
        digest.update(repr(("range", index.start, index.stop, index.step, index.name)).encode())
    elif isinstance(index, pd.MultiIndex):
        digest.update(pickle.dumps(index, protocol=5))
    else:
        digest.update(repr(("index", index.name, str(index.dtype))).encode())
        _add_values(digest, index.array)


def _add_values(digest, array) -> None:
    """The bytes behind one column: its Arrow buffers, or its NumPy array when it holds numbers or times;
    anything else (Python objects) pickled."""
    chunked = getattr(array, "_pa_array", None)
    if chunked is not None and not pa.types.is_dictionary(chunked.type):  # a dictionary's buffers hold codes
        digest.update(str(chunked.type).encode())
        for chunk in chunked.chunks:
            digest.update(repr(("chunk", chunk.offset, len(chunk))).encode())
            for buffer in chunk.buffers():
                digest.update(b"-" if buffer is None else memoryview(buffer))
        return
    if isinstance(array, _NUMPY_BACKED) and array._ndarray.dtype.kind in "biufcmM":
        plain = array._ndarray
        digest.update(repr(("numpy", plain.dtype.str, plain.shape)).encode())
        digest.update(np.ascontiguousarray(plain).view(np.uint8).data)
        return
    if isinstance(array, _MASKED):
        data, mask = vars(array)["_data"], vars(array)["_mask"]  # the values and where they are missing
        digest.update(repr(("masked", data.dtype.str, data.shape)).encode())
        digest.update(np.ascontiguousarray(data).view(np.uint8).data)
        digest.update(np.ascontiguousarray(mask).view(np.uint8).data)
        return
    digest.update(pickle.dumps(array, protocol=5))


def fingerprint(value: Any) -> Any:
    """A hashable stand-in for an argument, equal exactly when the arguments are equal."""
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)), value.shape, _digest(value))
    if isinstance(value, pd.Series):
        return ("series", str(value.name), str(value.dtype), len(value), _digest(value))
    if isinstance(value, dict):
        return ("dict", tuple((fingerprint(key), fingerprint(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(item) for item in value))
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, fingerprint(dataclasses.astuple(value)))
    raise TypeError(f"cannot fingerprint a {type(value).__name__}; pass tables, series, or plain values")


def _own_copy(built: Any) -> Any:
    """A table's shallow copy: pandas 3 copies on write, so a caller's change to it never reaches the shared
    one (tests/app/test_cached_results_stay_unchanged.py); a deep copy cost each rerun a copy of every value."""
    if isinstance(built, tuple):
        return tuple(_own_copy(part) for part in built)
    return built.copy(deep=False) if isinstance(built, (pd.DataFrame, pd.Series)) else built


def memoised(builder: Callable[..., Built]) -> Callable[..., Built]:
    """`builder` with its last PER_BUILDER results kept, least recently used dropped first. A table or series
    comes back as a copy, so a caller that changes it changes only its own."""
    results: OrderedDict[Any, Built] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(builder)
    def build(*args, **kwargs) -> Built:
        key = fingerprint((args, tuple(sorted(kwargs.items()))))
        with lock:
            if key in results:
                results.move_to_end(key)
                return _own_copy(results[key])
        built = builder(*args, **kwargs)
        for watch in BUILD_WATCHERS:
            watch(built)
        with lock:
            results[key] = built
            while len(results) > PER_BUILDER:
                results.popitem(last=False)
        return _own_copy(built)

    build.cache_clear = results.clear  # type: ignore[attr-defined]
    _ALL_RESULTS.append(results)
    return build


def clear_all() -> None:
    """Forget every memoised result (for a benchmark's cold runs)."""
    for results in _ALL_RESULTS:
        results.clear()
