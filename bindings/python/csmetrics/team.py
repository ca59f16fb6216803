"""Team efficiency (csmetrics/team.h): accounts, MRR/ARR and at-risk
accounts per owner (CSM) in a month of a ledger, as ``Ledger.team``.

Definitions: docs/metrics.md, "Team efficiency".  The tables are the C
library's "team" and "team_summary" (csmetrics._table).
"""
import numpy as np

from . import _arrays, _csm, _table
from ._options import options
from .ledger import Ledger


def _team(self, owner_customer, owner, at_risk=None, month=None, as_table=False):
    """Accounts, MRR/ARR and at-risk accounts per owner (CSM) in ``month``
    (None: the C default, CSM_TEAM_OPTS_INIT: the ledger's last month): a
    DataFrame of the table "team" indexed by owner (csm_team_owner_none() for
    unassigned customers), whose ``attrs`` hold the one row of
    "team_summary": month, n_csm, accounts_per_csm, arr_per_csm,
    owned_accounts, owned_arr, flags.  ``as_table=True`` returns the
    csmetrics.Table "team" instead (``result_table("team_summary")`` for
    the summary)."""
    o = options(_csm.team_opts, month=_arrays.month_scalar(month, "month"))
    conv = _csm.py_team_compute(self._ptr,
                                _arrays.as_array(owner_customer, np.int64, "owner_customer"),
                                _arrays.as_array(owner, np.int32, "owner"),
                                _arrays.optional(at_risk, np.int64, "at_risk"), o)
    t = _table.Table(conv, 0, keep_codes=True)
    if as_table:
        return t
    df = _table.frame(t, keep_codes=True)
    df.attrs.update(_table.row(t.result_table("team_summary"), keys=True))
    return df


Ledger.team = _team
