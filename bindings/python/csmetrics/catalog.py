"""The metric catalog and the definitions as SQL (csmetrics/catalog.h,
csmetrics/sql.h; docs/sql.md)."""
from . import _csm
from .renewals import _day

__all__ = ["catalog", "sql"]

_DIALECTS = {"postgres": _csm.SQL_POSTGRES, "duckdb": _csm.SQL_DUCKDB,
             "snowflake": _csm.SQL_SNOWFLAKE, "bigquery": _csm.SQL_BIGQUERY}
_PRESETS = {"default": _csm.PRESET_DEFAULT, "chartmogul_b2b": _csm.PRESET_CHARTMOGUL_B2B,
            "stripe": _csm.PRESET_STRIPE, "baremetrics": _csm.PRESET_BAREMETRICS}
_NRR = {"snapshot": _csm.NRR_SNAPSHOT, "movement_sum": _csm.NRR_MOVEMENT_SUM}
_DENOM = {"start": _csm.DENOM_START, "start_plus_new": _csm.DENOM_START_PLUS_NEW,
          "average": _csm.DENOM_AVERAGE}
_COLUMNS = ("customer", "month", "mrr", "segment", "score", "weight", "group", "start",
            "end", "value", "id")


def catalog():
    """Every metric of the catalog: a list of dicts with name, title, family,
    aliases, formula_words, formula, unit, table, column, column_doc,
    options, presets ({preset name: choice}) and sql_query (None when no
    query computes it), as `csmetrics catalog --format json` prints them."""
    return _csm.py_catalog()


def _pick(table, value, what):
    if value not in table:
        raise ValueError(f"{what} must be one of {', '.join(table)}, not {value!r}")
    return table[value]


def sql(metric, dialect="postgres", *, preset=None, table=None, columns=None,
        by_segment=False, window=None, nrr_mode=None, reactivation_window=None,
        churn_denominator=None, baseline=None, max_age=None, confidence=None,
        window_start=None, window_end=None, grace_days=None, late_counts=False,
        include_upsells=False, as_of=None):
    """One SQL query computing ``metric`` (a catalog name or alias, or
    "movements", "retention", "cohorts", "nps", "renewals") with the
    library's definitions, as `csmetrics sql` writes it.  ``columns``: a
    dict {customer, month, mrr, segment, score, weight, group, start, end,
    value, id: the column's name}; ``preset`` first sets the definition
    options (churn denominator, NRR mode), then the explicit options apply.
    Renewals: ``window_start``, ``window_end`` (required) and ``as_of`` are
    day indices, dates or strings, as renewals() takes them.
    InvalidArgumentError for a metric without a query or a bad option."""
    o = _csm.sql_opts()
    o.dialect = _pick(_DIALECTS, dialect, "dialect")
    if preset is not None:
        _csm.sql_opts_preset(o, _pick(_PRESETS, preset, "preset"))
    o.by_segment = 1 if by_segment else 0
    if window is not None:
        o.window = int(window)
    if nrr_mode is not None:
        o.nrr_mode = _pick(_NRR, nrr_mode, "nrr_mode")
    if reactivation_window is not None:
        o.reactivation_window = int(reactivation_window)
    if churn_denominator is not None:
        o.churn_denominator = _pick(_DENOM, churn_denominator, "churn_denominator")
    if baseline is not None:
        o.baseline = int(baseline)
    if max_age is not None:
        o.max_age = int(max_age)
    if confidence is not None:
        o.confidence = float(confidence)
    if window_start is not None:
        o.window_start = _day(window_start, "window_start")
    if window_end is not None:
        o.window_end = _day(window_end, "window_end")
    if as_of is not None:
        o.as_of_day = _day(as_of, "as_of")
    if grace_days is not None:
        o.grace_days = int(grace_days)
    o.late_counts = 1 if late_counts else 0
    o.include_upsells = 1 if include_upsells else 0
    cols = dict(columns or {})
    unknown = set(cols) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown column roles {sorted(unknown)}; roles: {', '.join(_COLUMNS)}")
    return _csm.py_sql(metric, o, table, *(cols.get(k) for k in _COLUMNS))
