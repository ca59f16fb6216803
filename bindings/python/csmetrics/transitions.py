"""Health band transitions (csmetrics/transitions.h): how many accounts
moved from each band of one month to each band of a later one, with row
shares, and how many stayed, improved, worsened, entered or left.

Definitions: docs/metrics.md, "Band transitions".  The tables are the C
library's "transitions" and "transitions_summary" (csmetrics._table).
"""
import numpy as np

from . import _arrays, _csm, _ids, _table
from ._options import options

__all__ = ["band_transitions"]


def band_transitions(account, month, band, from_month=None, to_month=None, n_bands=None,
                     as_table=False):
    """The band transition matrix of a health panel (one row per account
    and month: ``account`` any hashable ids, ``month`` months, ``band`` the
    health band index, -1 = no band) between ``from_month`` and
    ``to_month`` (None: the C defaults, CSM_TRANSITIONS_OPTS_INIT: the
    latest month of the rows and the month before it).  ``n_bands`` (None:
    1 + the largest band) fixes the matrix's size.

    Returns a DataFrame indexed by (from_band, to_band), -1 (no band) first:
    accounts, row_share (accounts / the accounts of the from_band row) and
    flag_bits; ``attrs`` hold the one row of "transitions_summary":
    from_month, to_month, banded, stayed, improved, worsened, entered,
    left.  ``df["accounts"].unstack()`` is the matrix.  ``as_table=True``
    returns the csmetrics.Table "transitions" instead."""
    acc, _ = _ids.encode(account, "account", np.int64)
    o = options(_csm.transitions_opts, from_month=_arrays.month_scalar(from_month, "from_month"),
                to_month=_arrays.month_scalar(to_month, "to_month"),
                n_bands=None if n_bands is None else _arrays.integer(n_bands, "n_bands"))
    conv = _csm.py_transitions_compute(acc, _arrays.month_index(month, "month"),
                                       _arrays.as_array(band, np.int32, "band"), o)
    t = _table.Table(conv, 0, keep_codes=True)
    if as_table:
        return t
    df = _table.frame(t, keep_codes=True)
    df.attrs.update(_table.row(t.result_table("transitions_summary"), keys=True))
    return df
