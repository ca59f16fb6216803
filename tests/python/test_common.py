"""Package basics: version, calendar helpers, status messages, errors."""
import re

import numpy as np
import pandas as pd
import pytest

import csmetrics as csm
from csmetrics import _csm, _errors


def test_version_is_the_c_library_version():
    # meson.build: project(version : '0.2.0'); csm_version() returns it
    assert csm.__version__ == _csm.version() == csm.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", csm.__version__)
    major, minor, patch = (int(x) for x in csm.__version__.split("."))
    # csm_version_number() = MAJOR*10000 + MINOR*100 + PATCH
    assert csm.version_number() == major * 10000 + minor * 100 + patch


def test_month_and_day_helpers():
    assert csm.month(2024, 1) == 24288  # 2024*12 + 0
    assert csm.month(1970, 12) == 23651  # 1970*12 + 11
    assert csm.day(1970, 1, 1) == 0
    # 2024-01-01 is 54 years after 1970-01-01, with 13 leap days in between
    # (1972, 1976, ..., 2020): 54*365 + 13 = 19723; 2024-03-01 is 31 (Jan)
    # + 29 (Feb 2024) days later: 19783
    assert csm.day(2024, 3, 1) == 19783
    assert _csm.day_to_ymd(19783) == [2024, 3, 1]
    assert _csm.day_month(19783) == 24290  # 2024*12 + 2
    assert list(csm.month_index(["2024-01", "2025-12"])) == [24288, 24311]  # 2025*12+11
    p = csm.month_period([24288, 24311])
    assert list(p.astype(str)) == ["2024-01", "2025-12"]


def test_strerror_and_names():
    assert csm.strerror("EDOMAIN") == "input value outside its domain"
    assert csm.strerror(_csm.EINVAL).startswith("invalid argument")
    assert _csm.status_name(_csm.EDUP) == "EDUP"
    assert _csm.strerror(999) == "unknown status"


def test_flag_names():
    assert csm.flag_names(0) == []
    # FLAG_EMPTY = 1, FLAG_ZERO_DENOMINATOR = 2: 3 = both
    assert csm.FLAG_EMPTY == 1 and csm.FLAG_ZERO_DENOMINATOR == 2
    assert csm.flag_names(3) == ["empty", "zero_denominator"]


def test_error_hierarchy():
    for cls in (csm.DomainError, csm.InvalidArgumentError, csm.DuplicateError,
                csm.InputTypeError):
        assert issubclass(cls, csm.Error) and issubclass(cls, ValueError)
    assert issubclass(csm.InputTypeError, TypeError)
    assert issubclass(csm.OutOfMemoryError, MemoryError)
    assert not issubclass(csm.ConvergenceError, ValueError)


def test_each_status_raises_its_class():
    # the status values of CSM_STATUS_MAP (common.h): EINVAL 1 .. EMISSING 9,
    # each raised as the class the bindings document for it; 42 is no status
    want = {1: csm.InvalidArgumentError, 2: csm.DomainError, 3: csm.OutOfMemoryError,
            4: csm.DuplicateError, 5: csm.RangeError, 6: csm.ConvergenceError,
            7: csm.ParseError, 8: csm.NotFoundError, 9: csm.MissingValueError,
            42: csm.Error}
    for code, cls in want.items():
        e = _errors._from_status(code, "X", None, None, "d", "X: d")
        assert type(e) is cls and e.code == code and str(e) == "X: d"
    # InputTypeError names no code of its own: EINVAL stays InvalidArgumentError
    assert csm.InputTypeError.code == 1


def test_exceptions_are_exported():
    for name in ["Error", "InvalidArgumentError", "DomainError", "DuplicateError",
                 "InputTypeError", "OutOfMemoryError", "RangeError", "ConvergenceError",
                 "ParseError", "NotFoundError", "MissingValueError"]:
        assert name in csm.__all__ and getattr(csm, name) is getattr(_errors, name)


def test_c_error_text_names_row_and_field(fx):
    mrr = fx["mrr"].copy()
    mrr[7] = -1.0
    with pytest.raises(csm.DomainError) as ei:
        csm.Ledger(fx["customer_id"], fx["period"], mrr)
    e = ei.value
    # the C library's csm_error text, verbatim
    assert str(e) == "EDOMAIN: row 7, field 'mrr': MRR must be >= 0"
    assert (e.status, e.code, e.row, e.field) == ("EDOMAIN", 2, 7, "mrr")
    assert e.detail == "MRR must be >= 0"


def test_status_without_error_detail_uses_strerror():
    # csm_movements_opts_preset has no csm_error: an unknown preset is EINVAL
    # with the csm_strerror() text
    o = _csm.movements_opts()
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.movements_opts_preset(o, 99)
    assert str(ei.value) == "EINVAL: " + _csm.strerror(_csm.EINVAL)
    assert ei.value.row is None and ei.value.field is None


def test_option_structs_start_from_the_c_defaults():
    o = _csm.movements_opts()
    assert o.size > 0  # sizeof(csm_movements_opts), set by csm_movements_opts_init
    assert o.first_month == _csm.MONTH_NONE == np.iinfo(np.int32).min
    r = _csm.retention_opts()
    assert r.window == 12  # CSM_RETENTION_OPTS_INIT
    with pytest.raises(AttributeError):
        o.size = 0  # read-only
    with pytest.raises(AttributeError):
        o.no_such_option = 1  # typos are not silently ignored


def test_option_vocabularies_are_the_c_enumerations():
    import sys
    from csmetrics import ledger as lg
    ltv = sys.modules["csmetrics.ltv"]
    activity = sys.modules["csmetrics.activity"]
    # the enumerations' constants and values as the C headers declare them
    # (common.h CSM_PRESET_*, movements.h CSM_DENOM_*, retention.h CSM_NRR_*,
    # contracts.h CSM_UNIT_* / CSM_CHARGE_* / CSM_PRORATION_* /
    # CSM_DISCOUNT_*, ltv.h CSM_ZERO_CHURN_*, activity.h CSM_ACTIVITY_BY_* and
    # CSM_ACTIVITY_ALL), named without prefix in lower case, in value order
    # (items compared as lists: the order is part of the error messages)
    want = [
        (lg.PRESETS, ["default", "chartmogul_b2b", "stripe", "baremetrics"]),
        (lg.CHURN_DENOMINATORS, ["start", "start_plus_new", "average", "daily"]),
        (lg.NRR_MODES, ["snapshot", "movement_sum"]),
        (lg.INTERVAL_UNITS, ["month", "year", "week", "day", "term"]),
        (lg.CHARGE_KINDS, ["recurring", "one_time", "usage"]),
        (lg.PRORATIONS, ["snapshot", "daily"]),
        (lg.DISCOUNT_MODES, ["all", "recurring", "ignore"]),
        (ltv.ZERO_CHURN_POLICIES, ["error", "floor", "cap"]),
        (activity._GROUPS, ["account", "segment", "role", "cohort", "all", "stage",
                            "category"]),
    ]
    for table, names in want:
        assert list(table.items()) == [(name, i) for i, name in enumerate(names)]


def test_result_record():
    r = csm.Result({"a": 1.0, "b": float("nan"), "flags": 2})
    assert r.a == 1.0 and r.flag_names == ["zero_denominator"]
    assert r == csm.Result({"a": 1.0, "b": float("nan"), "flags": 2})
    assert r.as_dict()["flags"] == 2
    with pytest.raises(AttributeError):
        r.a = 2
    with pytest.raises(AttributeError):
        r.missing  # noqa: B018
    assert "a=1.0" in repr(r)


def test_month_period_none_is_nat():
    p = csm.month_period([_csm.MONTH_NONE])
    assert pd.isna(p[0])


def test_every_public_name_is_documented():
    import inspect
    for name in csm.__all__:
        obj = getattr(csm, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"csm.{name} has no docstring"
    for name, member in vars(csm.Ledger).items():
        if not name.startswith("_") and (callable(member) or isinstance(member, property)):
            assert inspect.getdoc(member), f"csm.Ledger.{name} has no docstring"
