"""Ids as users have them, for the C library's integer id columns
(customer, account, segment, owner, group).

* Numbers (an integer, float or nullable-integer array, or a list of
  ints) are passed as they are (``_arrays.as_array``: zero copy for an
  exact array), and results show them as given: integer ids keep working
  exactly as before, without the dictionary.
* Any other values -- strings ("cus_N1a...", "Mid-Market"), UUIDs, any
  hashable -- go through the library's key dictionary
  (csmetrics/keys.h via csmetrics._keys): the ids C reads are the ranks of
  the labels, and every DataFrame keyed by that column shows the user's
  own objects (``label_keys`` of csmetrics._table), with the library's
  null label ("all", "unassigned") for the rows without one.
"""

import numpy as np
import pandas as pd

from . import _arrays, _keys
from ._errors import DomainError, InvalidArgumentError, _fail

_NUMBER_KINDS = ("integer", "floating", "mixed-integer-float", "boolean", "empty")


def _numeric(x):
    """Whether x holds numbers (read as ids as they are)."""
    if isinstance(x, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray, np.ndarray)):
        if x.dtype.kind in "biuf":
            return True
        if x.dtype.kind != "O":
            return False
    return pd.api.types.infer_dtype(_keys._objects(x), skipna=False) in _NUMBER_KINDS


def encode(x, field, dtype, missing=False):
    """(the ids C reads, as ``dtype``; the Keys of their labels, or None for
    numbers).  A missing value (None, NaN, "") raises DomainError naming its
    row, unless ``missing``: then its id is -1 for the caller to handle."""
    if x is None:
        return None, None
    if _numeric(x):
        return _arrays.as_array(x, dtype, field), None
    k = _keys.encode(x, field)
    if not missing and (k.ids < 0).any():
        raise _fail(DomainError, f"missing {field}", row=int(np.flatnonzero(k.ids < 0)[0]),
                    field=field)
    return np.ascontiguousarray(k.ids, dtype=dtype), k


def lookup(x, keys, field, dtype, unknown="error", of="the ledger's customer ids"):
    """The ids of x among the labels of ``keys`` (a ledger's customers, the
    contracts' customers: ``of`` names them in the error); numbers as they
    are when ``keys`` is None.  A value that is not a label is an
    InvalidArgumentError naming its row, or, with ``unknown="ignore"``, id
    -1 (for the caller to drop)."""
    if keys is None:
        if not _numeric(x):
            raise _fail(InvalidArgumentError, f"{of} are numbers; these are not",
                        field=field)
        return _arrays.as_array(x, dtype, field)
    if unknown == "error":
        return np.ascontiguousarray(keys.lookup(x, field), dtype=dtype)
    codes = pd.Index(keys.labels, dtype=object).get_indexer(_keys._objects(x))
    return np.ascontiguousarray(codes, dtype=dtype)


def label_keys(**keys):
    """{column name: Keys} of the columns given Keys (others left out)."""
    return {name: k for name, k in keys.items() if k is not None}
