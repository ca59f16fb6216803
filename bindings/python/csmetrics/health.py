"""Health scorecards (csmetrics/health.h): a scorecard read from its JSON
spec scores accounts; the band distribution and the accounts most at risk
of a scoring result.

Definitions: docs/health-scores.md.  The tables are the C library's
"health" / "health_measures" / "health_groups", "health_bands" and
"health_at_risk" / "health_reasons" (csmetrics._table).
"""
import difflib
import json
import os
import warnings

import numpy as np
import pandas as pd

from . import _arrays, _csm, _ids, _table
from ._errors import InvalidArgumentError, MissingInputWarning, _fail
from ._options import options

__all__ = ["Scorecard"]


# What scoring does with an input no account has, by its missing-data policy
# (csm_health_scorecard_input_policy; None: an input only overrides read).
_WITHOUT = {
    "renormalize": "every account is scored without that measure (the others' weights "
                   "renormalized)",
    "zero": "every account scores 0 on that measure",
    None: "the overrides on it never fire",
}


def _lacking(frame, name, inputs):
    """Why the frame gives input ``name`` no value: no such column (with the
    frame's closest unused column name, a likely misspelling), or a column
    without values."""
    if name in frame:
        return f"column {name!r} has no value (NaN in every row)"
    spare = [c for c in frame.columns if isinstance(c, str) and c not in inputs]
    close = difflib.get_close_matches(name, spare, n=1)
    return f"the frame has no column {name!r}" + (
        f" (did you mean {close[0]!r}?)" if close else "")


def _previous(frame, previous):
    """The rows of ``previous`` for the accounts of ``frame``, in frame's
    order (Scorecard.score): matched on the column account_id when both
    have it, else on the index; a previous without ``reindex`` (a dict of
    columns) is taken as it is, row for row."""
    if not hasattr(previous, "reindex"):
        return previous
    if "account_id" in frame and "account_id" in previous:
        have, want = pd.Index(previous["account_id"]), pd.Index(frame["account_id"])
    else:
        have, want = previous.index, frame.index
    twice = have.duplicated()
    if twice.any():
        row = int(np.flatnonzero(twice)[0])
        raise _fail(InvalidArgumentError, f"account {have[row]!r} is in previous twice",
                    row=row, field="previous")
    return previous.set_axis(have, axis=0).reindex(want)


def _count(x, field):
    """A count option (size_t in C): None, or a whole number >= 0."""
    if x is None:
        return None
    v = _arrays.integer(x, field)
    if v < 0:
        raise _fail(InvalidArgumentError, f"{field} must be >= 0", field=field)
    return v


class Scorecard:
    """A health scorecard read from its JSON spec (docs/health-scores.md).

    ``Scorecard.from_json(text_or_path)``, ``Scorecard.from_dict(d)``,
    ``.to_json()``, ``.to_dict()``, ``.inputs`` (and ``.input_policies``,
    each input's missing-data policy, None for an override-only input),
    ``.measures``, ``.groups``,
    ``.bands``, ``.overrides``, ``.score(frame, previous=None)``, and on a
    scoring result ``.band_distribution(scores, mrr=None)`` and
    ``.at_risk(scores, account_id=None, mrr=None, top_n=None,
    n_reasons=None)``."""

    def __init__(self, ptr):
        # ptr: the SWIG object owning the C scorecard (freed with it)
        self._ptr = ptr

        def each(count, item):
            return [item(ptr, i) for i in range(count(ptr))]

        self.inputs = each(_csm.health_scorecard_input_count, _csm.health_scorecard_input_name)
        self.measures = each(_csm.health_scorecard_measure_count, _csm.health_scorecard_measure_name)
        self.measure_group = each(_csm.health_scorecard_measure_count, _csm.health_scorecard_measure_group)
        self.groups = each(_csm.health_scorecard_group_count, _csm.health_scorecard_group_name)
        self.bands = each(_csm.health_scorecard_band_count, _csm.health_scorecard_band_name)
        self.overrides = each(_csm.health_scorecard_override_count, _csm.health_scorecard_override_name)
        # the missing-data policy of each input ("renormalize", "zero",
        # "fail"; None for an input only overrides read)
        self.input_policies = each(_csm.health_scorecard_input_count,
                                   _csm.health_scorecard_input_policy)

    @classmethod
    def from_json(cls, text_or_path):
        """From JSON text or the path of a JSON file.  Malformed JSON raises
        ParseError (line and column); an invalid spec InvalidArgumentError
        whose message names the exact path, e.g.
        "EINVAL: $.groups[1].measures[0].weight: must be >= 0"."""
        text = text_or_path
        if isinstance(text_or_path, os.PathLike) or (
                isinstance(text_or_path, str) and not text_or_path.lstrip().startswith("{")
                and os.path.exists(text_or_path)):
            with open(text_or_path, encoding="utf-8") as f:
                text = f.read()
        return cls(_csm.health_scorecard_from_json(str(text), None))

    @classmethod
    def from_dict(cls, d):
        """From a dict with the JSON spec's structure."""
        return cls.from_json(json.dumps(d))

    def to_json(self):
        """The canonical JSON text (every default written out)."""
        return _csm.py_scorecard_to_json(self._ptr)

    def to_dict(self):
        return json.loads(self.to_json())

    def score(self, frame, previous=None, as_table=False):
        """Score the accounts of ``frame`` (a DataFrame with one column per
        input; missing columns and NaN are missing values; extra columns are
        ignored).  An input that no row has (the frame lacks the column,
        spells it differently, or has only NaN in it; the library's
        csm_health_absent_inputs) is a MissingInputWarning naming it, why
        (with the closest column name) and what scoring does without it;
        a measure whose missing policy is "fail" raises MissingValueError
        instead.  ``previous``: a DataFrame with ``score`` (and optionally
        ``band`` names), one row per account, matched to frame's accounts
        by the column ``account_id`` when both frames have one, else by
        the index (any hashable account ids, in any order); an account it
        lacks has no previous score (change NaN), an account it has twice
        is an InvalidArgumentError naming the row.

        Returns a DataFrame indexed like frame: the table "health" (score,
        raw_score, band_index, band (the name; None without a band),
        override_index, override (the name of the first override that
        fired, or None), override_mask, change, moved, flag_bits), then per
        measure ``measure_score_<m>``, ``weight_<m>``, ``contribution_<m>``
        (the long table "health_measures") and ``group_contribution_<g>``
        per group ("health_groups").  ``as_table=True`` returns the
        csmetrics.Table "health" instead (its rows are the accounts in
        frame's order, key ``account`` = 0, 1, ...;
        ``result_table("health_measures")`` and ``"health_groups"`` the
        long tables).  The DataFrame keeps that Table in
        ``attrs["health"]``, for band_distribution and at_risk."""
        n = len(frame)
        vals = np.full((n, len(self.inputs)), np.nan)
        for j, name in enumerate(self.inputs):
            if name in frame:
                vals[:, j] = _arrays.as_array(frame[name], np.float64, name)
        vals = np.ascontiguousarray(vals)
        absent, error = _csm.py_health_absent_inputs(self._ptr, vals)
        why = []  # the absent "fail" measures: the error's explanation
        for k in absent:
            name, policy = self.inputs[k], self.input_policies[k]
            lacking = _lacking(frame, name, self.inputs)
            if policy == "fail":
                why.append(f"{name!r}: {lacking}")
            else:
                warnings.warn(f"scorecard input {name!r}: {lacking}; {_WITHOUT[policy]}",
                              MissingInputWarning, stacklevel=2)
        if error is not None:
            error.args = (f"{error.args[0]} ({'; '.join(why)})",)
            raise error
        ps = pb = None
        if previous is not None:
            prev = _previous(frame, previous)
            if "score" in prev:
                ps = _arrays.as_array(prev["score"], np.float64, "score")
            if "band" in prev:
                lut = {b: i for i, b in enumerate(self.bands)}
                pb = np.asarray([lut.get(b, -1) for b in prev["band"]], dtype=np.int32)
        t = _table.Table(_csm.py_scorecard_score(self._ptr, vals, ps, pb))
        if as_table:
            return t
        accounts = _table.frame(t)
        # (labels: the names, for zero accounts)
        measures = _table.pivot(t.result_table("health_measures"), "measure_name",
                                ["measure_score", "weight", "contribution"],
                                index=["account"], labels=self.measures)
        groups = _table.pivot(t.result_table("health_groups"), "group_name",
                              ["group_contribution"], index=["account"], labels=self.groups)
        data = {k: accounts[k].to_numpy() for k in accounts.columns}
        for part in (measures, groups):
            data.update((k, part[k].to_numpy()) for k in part.columns)
        df = pd.DataFrame(data, index=frame.index, copy=False)
        df.attrs["health"] = t
        return df

    def _health(self, scores):
        """The "health" Table of a scoring result (score's DataFrame or
        Table)."""
        t = scores.attrs.get("health") if isinstance(scores, pd.DataFrame) else scores
        if not isinstance(t, _table.Table) or t.kind != "health":
            raise _fail(InvalidArgumentError, "expected the result of Scorecard.score "
                        "(its DataFrame or Table)", field="scores")
        return t

    def band_distribution(self, scores, mrr=None, as_table=False):
        """How the scored accounts spread over the bands: the DataFrame of
        the table "health_bands", one row per band of the scorecard (all of
        them) from the best band down, indexed by band index: band_name,
        accounts, share (accounts / accounts with a band; NaN when none
        has one), mrr (sum of the band's accounts' ``mrr``, optional, one
        per scored account; NaN counts 0).  Accounts without a band are in
        no row.  ``scores``: the result of score (DataFrame or Table).
        ``as_table=True`` returns the csmetrics.Table."""
        t = self._health(scores)
        conv = _csm.py_health_bands_compute(t._conv["result"], self._ptr,
                                            _arrays.optional(mrr, np.float64, "mrr"))
        return _table.result(conv, as_table, keep_codes=True)

    def at_risk(self, scores, account_id=None, mrr=None, top_n=None, n_reasons=None,
                reasons=False, as_table=False):
        """The accounts most at risk and why: the DataFrame of the table
        "health_at_risk" indexed by rank (1 = lowest score; ties by mrr
        descending, then account order): account (row in scores), account_id
        (``account_id[row]``, default the row; integers or any hashable
        labels, shown as given, e.g. ``account_id=scores.index``), score,
        band, band_name, mrr
        (NaN when unknown), top_reasons ("measure -points; ...", then
        "override: name").  The points of measure k are weight x (100 -
        measure_score).  ``top_n`` accounts (0 = every scored one) and
        ``n_reasons`` measures each (0..8); None keeps the C defaults
        (CSM_HEALTH_RISKS_OPTS_INIT).

        ``reasons=True`` returns (accounts, reasons) with the DataFrame of
        "health_reasons" indexed by (rank, reason): measure, measure_name,
        points.  ``as_table=True`` returns the csmetrics.Table
        "health_at_risk" (``result_table("health_reasons")``)."""
        t = self._health(scores)
        o = options(_csm.health_risks_opts, top_n=_count(top_n, "top_n"),
                    n_reasons=_count(n_reasons, "n_reasons"))
        acc, acc_keys = _ids.encode(account_id, "account_id", np.int64)
        conv = _csm.py_health_at_risk(t._conv["result"], acc,
                                      _arrays.optional(mrr, np.float64, "mrr"), o)
        risk = _table.Table(conv, 0, keep_codes=True,
                            label_keys=_ids.label_keys(account_id=acc_keys))
        if as_table:
            return risk
        df = _table.frame(risk, keep_codes=True)
        if reasons:
            return df, _table.frame(risk.result_table("health_reasons"), keep_codes=True)
        return df
