"""The one generation of the SWIG bindings (bindings/python/common.i): option
structs at the C defaults, status codes and error texts from C, optional
arrays (None -> NULL), dicts of columns for column structs, length checks.
Expected values come from the public headers themselves, read here as text
(an implementation independent of the bindings), or are written out by hand
from the formats the headers document."""
import glob
import os
import re

import numpy as np
import pytest

import csmetrics as csm
from csmetrics import _csm, _errors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADERS = sorted(glob.glob(os.path.join(ROOT, "include", "csmetrics", "*.h")))


def _strip_comments(text):
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S))


def _header_option_defaults():
    """{struct name: [(member, initializer text), ...]} for every option
    struct of the headers, from its typedef and its _INIT macro (paired by
    the macro's sizeof(struct))."""
    text = _strip_comments("".join(open(h).read() for h in HEADERS)).replace("\\\n", " ")
    members = {}
    for name, body in re.findall(r"typedef struct (csm_\w+_opts) \{(.*?)\} \1;", text, re.S):
        names = []
        for decl in body.split(";"):
            decl = decl.strip()
            if not decl:
                continue
            first, *rest = decl.split(",")
            names.append(first.split()[-1].lstrip("*"))
            names.extend(r.strip().lstrip("*") for r in rest)
        members[name] = names
    inits = {}
    for init in re.findall(r"#define CSM_\w+_OPTS_INIT\s*\{([^}]*)\}", text):
        values = [v.strip() for v in init.split(",")]
        struct = re.fullmatch(r"sizeof\((\w+)\)", values[0]).group(1)
        inits[struct] = values
    assert set(members) == set(inits), "every option struct has an _INIT macro"
    return {s: list(zip(members[s], inits[s] + ["0"] * (len(members[s]) - len(inits[s]))))
            for s in members}


def _c_value(text):
    """The value of an initializer: a number, NULL or a CSM_ constant."""
    if text == "NULL":
        return None
    if text.startswith("CSM_"):
        return getattr(_csm, text[4:])
    return float(text) if re.search(r"[.eE]", text) else int(text)


def test_option_structs_start_at_the_headers_defaults():
    defaults = _header_option_defaults()
    assert len(defaults) >= 17  # nps, csat, ces, ltv, ledger, ..., health_risk
    for struct, fields in defaults.items():
        o = getattr(_csm, struct[4:])()  # csm_x_opts -> _csm.x_opts
        for member, init in fields:
            if member == "size":
                assert o.size > 0, struct
            elif init == "NULL" or not hasattr(type(o), member):
                continue  # pointer members: not settable from Python
            else:
                assert getattr(o, member) == _c_value(init), (struct, member)


def test_status_codes_and_names_are_the_headers():
    # CSM_STATUS_MAP in common.h: X(NAME, value, "message")
    text = open(os.path.join(ROOT, "include", "csmetrics", "common.h")).read()
    pinned = {name: int(v) for name, v in re.findall(r"X\((E[A-Z]+), (\d+), \"", text)}
    assert pinned["EINVAL"] == 1 and pinned["EMISSING"] == 9
    classes = [csm.InvalidArgumentError, csm.DomainError, csm.OutOfMemoryError,
               csm.DuplicateError, csm.RangeError, csm.ConvergenceError, csm.ParseError,
               csm.NotFoundError, csm.MissingValueError]
    assert {c.status: c.code for c in classes} == pinned
    assert csm.InputTypeError.code == pinned["EINVAL"]


def test_python_layer_errors_are_worded_by_c():
    # the csm_error text format of common.h: "NAME: row R, field 'F': msg", row and field
    # only when given
    e = _errors._fail(csm.DomainError, "must be whole", row=3, field="t")
    assert str(e) == "EDOMAIN: row 3, field 't': must be whole"
    assert (e.row, e.field, e.detail, e.code) == (3, "t", "must be whole", 2)
    assert str(_errors._fail(csm.InvalidArgumentError, "bad", field="x")) == \
        "EINVAL: field 'x': bad"
    assert str(_errors._fail(csm.RangeError, "too many")) == "ERANGE: too many"
    assert str(_errors._fail(csm.InputTypeError, "a str", row=np.int64(0))) == \
        "EINVAL: row 0: a str"


def test_optional_arrays_none_is_null():
    # Kaplan-Meier: weights NULL = 1 each and group NULL = one curve (survival.h), so
    # None gives the table of explicit unit weights
    t = np.array([2.0, 3.0, 3.0, 5.0])
    e = np.array([1, 1, 0, 1], np.uint8)
    a = _csm.py_km_compute(t, e, None, None, None, None)
    b = _csm.py_km_compute(t, e, np.ones(4), None, None, None)
    col = {c[0]: c[5] for c in a["tables"][0]["columns"]}
    ref = {c[0]: c[5] for c in b["tables"][0]["columns"]}
    # by hand: S(2) = 3/4, S(3) = 3/4 x (1 - 1/3) = 1/2, S(5) = 0
    np.testing.assert_allclose(col["survival"], [0.75, 0.5, 0.0])
    np.testing.assert_array_equal(col["survival"], ref["survival"])
    # and a given array of another length is rejected, named, in the library's words
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.py_km_compute(t, e, np.ones(3), None, None, None)
    assert str(ei.value) == ("EINVAL: field 'weight': array length differs from the "
                             "other input columns")
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.py_km_compute(t, e[:3], None, None, None, None)
    assert ei.value.field == "event"


def test_column_structs_from_dicts():
    # csm_activity_rows from {member: array or None}: a count column left out (or None) is
    # NULL, so its measures are NaN (activity.h); the others are computed
    rows = {"account_id": np.array([1, 2], np.int64),
            "licensed_seats": np.array([10.0, 30.0]), "activated_seats": np.array([5.0, 15.0]),
            "sessions": None}
    conv = _csm.activity_compute(rows, None)
    t = csm.Table(conv, 0)
    m = t.result_table("activity_measures")
    rate = dict(zip(zip(m["key"], m["measure"]), m["rate"]))
    assert rate[(1, "activation_rate")] == 0.5  # 5 / 10
    assert rate[(2, "activation_rate")] == 0.5  # 15 / 30
    assert np.isnan(rate[(1, "sessions_per_user")])
    assert [name for name, _ in _csm.py_activity_rows_columns()][:2] == ["account_id", "role"]
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.activity_compute({**rows, "seats": np.ones(2)}, None)
    assert str(ei.value) == "EINVAL: field 'seats': no such column"
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.activity_compute({**rows, "minutes": np.ones(3)}, None)
    assert ei.value.field == "minutes"


def test_renewal_outputs_are_optional():
    # one contract due in the window and not renewed: churned (renewals.h); its columns are
    # csm_contracts' (one 10-day interval of 100 over the 10-day term: value 100)
    rows = {"customer_id": np.array([1], np.int64), "start_day": np.array([0], np.int32),
            "end_day": np.array([9], np.int32), "amount": np.array([100.0]),
            "interval_count": np.array([10], np.int32),
            "interval_unit": np.array([_csm.UNIT_DAY], np.uint8)}
    o = _csm.renewals_opts()
    conv = _csm.py_renewals_compute(None, None, rows, 0, 30, o)
    assert csm.Table(conv, 0)["churned"][0] == 1
    outcome, match = np.full(1, 255, np.uint8), np.zeros(1, np.int64)
    _csm.py_renewals_compute(outcome, match, rows, 0, 30, o)
    assert _csm.renewals_outcome_name(int(outcome[0])) == "churned" and match[0] == -1
    with pytest.raises(csm.InvalidArgumentError) as ei:
        _csm.py_renewals_compute(np.zeros(2, np.uint8), None, rows, 0, 30, o)
    assert ei.value.field == "outcome"


def test_flags_outputs_start_from_zero():
    # csm_sbg_expected_lifetime only ever sets bits of *flags: the wrapper passes 0.
    # alpha 2, beta 1: E[T] = (2 + 1 - 1) / (2 - 1) = 2, no flag; alpha 1: infinite
    assert _csm.sbg_expected_lifetime(2.0, 1.0) == [2.0, 0]
    value, flags = _csm.sbg_expected_lifetime(1.0, 1.0)
    assert np.isnan(value) and flags == _csm.flag_infinite()


def test_flag_names_are_the_c_constants():
    # CSM_FLAG_ZERO_DENOMINATOR = 1 << 1 (common.h), CSM_FLAG_INFINITE (survival.h): the
    # names, lower-case, in bit order
    assert csm.flag_names(2) == ["zero_denominator"]
    assert csm.flag_names(_csm.flag_infinite() | 1) == ["empty", "infinite"]
    assert csm.flag_names(0) == []
