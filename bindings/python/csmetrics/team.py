"""Team efficiency (csmetrics/team.h): accounts, MRR/ARR and at-risk
accounts per owner (CSM) in a month of a ledger, as ``Ledger.team``.

Definitions: docs/metrics.md, "Team efficiency".  The tables are the C
library's "team" and "team_summary" (csmetrics._table).
"""
import numpy as np

from . import _arrays, _csm, _ids, _table
from ._options import options
from .ledger import Ledger


def _team(self, owner_customer, owner, at_risk=None, month=None, as_table=False):
    """Accounts, MRR/ARR and at-risk accounts per owner (CSM) in ``month``
    (None: the C default, CSM_TEAM_OPTS_INIT: the ledger's last month): a
    DataFrame of the table "team" indexed by owner (csm_team_owner_none() for
    unassigned customers with integer owner ids; owners given as strings or
    other labels show as given, None is no owner and the unassigned row is
    "unassigned"), whose ``attrs`` hold the one row of
    "team_summary": month, n_csm, accounts_per_csm, arr_per_csm,
    owned_accounts, owned_arr, flags.  ``as_table=True`` returns the
    csmetrics.Table "team" instead (``result_table("team_summary")`` for
    the summary)."""
    o = options(_csm.team_opts, month=_arrays.month_scalar(month, "month"))
    unknown = "error" if self._customers is None else "ignore"
    cust = _ids.lookup(owner_customer, self._customers, "owner_customer", np.int64, unknown)
    own, owner_keys = _ids.encode(owner, "owner", np.int32, missing=True)
    if self._customers is not None or owner_keys is not None:
        # labels: a customer the ledger does not have is active nowhere, an
        # owner None leaves its customer unassigned: both rows dropped
        keep = (cust >= 0) if self._customers is not None else np.ones(len(cust), bool)
        if owner_keys is not None and len(own) == len(cust):
            keep &= own >= 0
        if len(own) == len(cust) and not keep.all():
            cust, own = cust[keep], own[keep]
    risk = None
    if at_risk is not None:
        risk = _ids.lookup(at_risk, self._customers, "at_risk", np.int64, unknown)
        risk = risk[risk >= 0] if self._customers is not None else risk
    conv = _csm.py_team_compute(self._ptr, cust, own, risk, o)
    labels = dict(self._labels, **_ids.label_keys(owner=owner_keys))
    t = _table.Table(conv, 0, keep_codes=True, label_keys=labels)
    if as_table:
        return t
    df = _table.frame(t, keep_codes=True)
    df.attrs.update(_table.row(t.result_table("team_summary"), keys=True))
    return df


Ledger.team = _team
