"""Ids as users have them: any hashable values (``"cus_N1a..."``, UUIDs,
``"Mid-Market"``, integers) to the dense ids the C library takes, through
the library's key dictionary (csmetrics/keys.h), and back to the user's own
objects for result rows.

``encode(values, field)`` factorizes the values in pandas (None, NaN, NaT
and ``""`` are missing: id -1), gives the distinct values to the dictionary
as UTF-8 text (``str(value)``), and returns a :class:`Keys`: the ids of the
values (int64, -1 for missing) and the labels in id order (the original
objects).  Ids are the ranks of the labels' text in byte order, or in
numeric order when every label is an integer, so they do not depend on the
order of rows (docs/metrics.md, "Ids and labels").  Two distinct values with
the same text (``1`` and ``"1"``) are ambiguous: InvalidArgumentError.
"""

import numpy as np
import pandas as pd

from . import _csm
from ._errors import InvalidArgumentError, _fail


class Keys:
    """A finished key dictionary: ``ids`` (one per input value) and
    ``labels`` (object array, ``labels[id]`` is the user's value)."""

    __slots__ = ("ids", "labels", "_dict")

    def __init__(self, ids, labels, handle):
        self.ids = ids
        self.labels = labels
        self._dict = handle

    def __len__(self):
        return len(self.labels)

    def label(self, ids, null_label=None):
        """The labels of an array of ids; ids outside 0..len-1 (a missing
        id, CSM_CODE_ALL) become ``null_label``."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.full(ids.shape, null_label, dtype=object)
        ok = (ids >= 0) & (ids < len(self.labels))
        out[ok] = self.labels[ids[ok]]
        return out

    def lookup(self, values, field):
        """The ids of more values, all of which must be labels already
        (missing values give -1); KeyError-like InvalidArgumentError naming
        the first unknown one and its row."""
        codes = pd.Index(self.labels, dtype=object).get_indexer(_objects(values))
        missing = _is_missing(values)
        bad = (codes < 0) & ~missing
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise _fail(InvalidArgumentError,
                        f"{_at(values, row)!r} is not a known {field}", row=row,
                        field=field)
        return np.where(missing, -1, codes).astype(np.int64)


def _at(values, row):
    return values.iloc[row] if isinstance(values, pd.Series) else values[row]


def _objects(values):
    """values as a 1-D object ndarray (no dtype inference by pandas)."""
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype=object)
    return np.asarray(values, dtype=object).reshape(-1)


def _is_missing(values):
    v = _objects(values)
    return np.asarray(pd.isna(v), dtype=bool) | (v == "")


def encode(values, field):
    """Keys of `values` (a Series, Index, array or list of hashables)."""
    codes, uniques = pd.factorize(_objects(values), use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    keep = np.array([u != "" for u in uniques], dtype=bool)
    text = [str(u).encode("utf-8") for u in uniques]
    offsets = np.zeros(len(text) + 1, dtype=np.int64)
    if text:
        np.cumsum([len(t) for t in text], out=offsets[1:])
    uid = np.empty(len(text), dtype=np.int64)
    handle = _csm.py_keys_encode(np.frombuffer(b"".join(text), dtype=np.uint8),
                                 offsets, uid, None)
    n = _csm.keys_count(handle)
    if n != int(keep.sum()):
        seen = {}
        for i, t in enumerate(text):
            if keep[i] and t in seen:
                raise _fail(InvalidArgumentError,
                            f"{uniques[seen[t]]!r} and {uniques[i]!r} have the same "
                            f"text {t.decode('utf-8', 'replace')!r}", field=field)
            seen[t] = i
    labels = np.empty(n, dtype=object)
    labels[uid[keep]] = uniques[keep]
    uid[~keep] = -1
    ids = np.where(codes >= 0, uid[np.maximum(codes, 0)], -1).astype(np.int64)
    return Keys(ids, labels, handle)
