"""The dashboard's two caches, one for each kind of thing it keeps (ARCHITECTURE.md, Caching: one story).

- **Data results** (`on_data_key`): what a query or a builder of the library returns for one state of the
  data (a named query's frame, the release, the overview, the briefing, the pack), kept per process and keyed
  on the data key its first argument names (the snapshot read and the partner extracts behind its views) and
  its other, plain arguments. A new snapshot is a new key, so nothing stale is served.
- **Built figures and derived tables** (`memoised`): what a page builds from data results on every rerun
  (Plotly figures, tables of numbers), keyed on a fingerprint of the inputs themselves: a table's fingerprint
  is a digest of the bytes behind its columns, so equal inputs give the same figure and any change a new one.

Both keep each builder's last results, least recently used dropped first, shared by every session; a table
or series comes back as the caller's own shallow copy, and everything else is read-only.
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
    if isinstance(built, dict):
        return {name: _own_copy(part) for name, part in built.items()}
    return built.copy(deep=False) if isinstance(built, (pd.DataFrame, pd.Series)) else built


class Results:
    """One builder's last results, least recently used dropped first, shared by every thread."""

    def __init__(self, builder: Callable, size: int) -> None:
        self.builder, self.size = builder, size
        self.kept: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def find(self, key: Any) -> tuple[bool, Any]:
        with self.lock:
            if key not in self.kept:
                return False, None
            self.kept.move_to_end(key)
            return True, self.kept[key]

    def keep(self, key: Any, built: Any) -> None:
        with self.lock:
            self.kept[key] = built
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()

    def get_or_make(self, key: Any, make: Callable[[], Any]) -> Any:
        """The result kept under `key`, else `make()`'s, kept (for a caller that works out its own key, as the
        release's protection does from a digest of the rows each week was decided from)."""
        found, built = self.find(key)
        if not found:
            built = make()
            self.keep(key, built)
        return built


_EVERY_BUILDER: list[Callable] = []  # every cached builder, in the order they were declared


def _cached(builder: Callable[..., Built], size: int, key_of: Callable[[tuple, dict], Any]) -> Callable[..., Built]:
    results = Results(builder, size)

    @functools.wraps(builder)
    def build(*args, **kwargs) -> Built:
        return _own_copy(results.get_or_make(key_of(args, kwargs), lambda: builder(*args, **kwargs)))

    build.results = results  # type: ignore[attr-defined]
    build.cache_clear = results.clear  # type: ignore[attr-defined]
    _EVERY_BUILDER.append(build)
    return build


def memoised(builder: Callable[..., Built]) -> Callable[..., Built]:
    """`builder` with its last PER_BUILDER results kept, keyed on a fingerprint of its arguments (tables by
    their content). A table or series comes back as a copy, so a caller that changes it changes only its own."""
    return _cached(builder, PER_BUILDER, lambda args, kwargs: fingerprint((args, tuple(sorted(kwargs.items())))))


def on_data_key(size: int) -> Callable[[Callable[..., Built]], Callable[..., Built]]:
    """A builder of data results, called as `builder(data_key, *plain_arguments)`, with its last `size` results
    kept on exactly those arguments (hashable: the data key, names, dates, numbers, tuples)."""

    def cache(builder: Callable[..., Built]) -> Callable[..., Built]:
        return _cached(builder, size, lambda args, kwargs: (args, tuple(sorted(kwargs.items()))))

    return cache


def builders() -> tuple[Callable, ...]:
    """Every cached builder declared in the modules imported so far (for clear_all, and for the test that
    every one of them is called and none of their shared results changes)."""
    return tuple(_EVERY_BUILDER)


def clear_all() -> None:
    """Forget every cached result, data results and figures (for a benchmark's cold runs, or a test that
    counts queries)."""
    for build in _EVERY_BUILDER:
        build.results.clear()  # type: ignore[attr-defined]
