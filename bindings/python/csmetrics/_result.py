"""Result objects for the scalar metric families."""

import math

from . import _csm

_FLAG_NAMES = (
    ("empty", _csm.FLAG_EMPTY),
    ("zero_denominator", _csm.FLAG_ZERO_DENOMINATOR),
    ("floored", _csm.FLAG_FLOORED),
    ("capped", _csm.FLAG_CAPPED),
    ("degenerate", _csm.FLAG_DEGENERATE),
    ("clamped", _csm.FLAG_CLAMPED),
)


def flag_names(flags):
    """Names of the result flags set in ``flags`` (an int), e.g.
    ``["zero_denominator"]``: empty (no observations), zero_denominator (a
    ratio had a zero denominator, so it is NaN), floored, capped, degenerate
    (a variance is 0 or undefined), clamped (an interval was clamped)."""
    flags = int(flags)
    return [name for name, bit in _FLAG_NAMES if flags & bit]


def struct_fields(obj):
    """{field: value} of a SWIG-wrapped C struct, in declaration order."""
    out = {}
    for name, attr in vars(type(obj)).items():
        if isinstance(attr, property) and not name.startswith("_") and name not in (
            "this",
            "thisown",
        ):
            out[name] = getattr(obj, name)
    return out


class Result:
    """The fields of a C result struct as read-only attributes.

    ``as_dict()`` gives them as a dict (in the C struct's order) and
    ``flag_names`` decodes ``flags``.  Two results are equal when all their
    fields are (NaN equal to NaN)."""

    __slots__ = ("_values", "_struct")

    def __init__(self, values, _struct=None):
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_struct", _struct)

    @classmethod
    def _from_struct(cls, obj):
        # keeps the C struct too, for functions that take a result back
        # (e.g. nps_compare)
        return cls(struct_fields(obj), obj)

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._values))

    def as_dict(self):
        """The fields as a dict, in the C struct's order."""
        return dict(self._values)

    @property
    def stderr(self):
        """Alias of ``se`` (the standard error) where the result has one."""
        try:
            return self._values["se"]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no standard error") from None

    @property
    def flag_names(self):
        """Names of the flags set in ``flags`` (see csmetrics.flag_names)."""
        return flag_names(self._values.get("flags", 0))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        if self._values.keys() != other._values.keys():
            return False
        for k, a in self._values.items():
            b = other._values[k]
            if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
                continue
            if a != b:
                return False
        return True

    __hash__ = None

    def __repr__(self):
        body = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({body})"


class Metric(float):
    """One figure with its flags (C ``csm_metric``): a float, plus
    ``flags`` and ``flag_names``.  A zero denominator gives NaN with the
    "zero_denominator" flag."""

    __slots__ = ("flags",)

    def __new__(cls, value, flags=0):
        self = super().__new__(cls, value)
        self.flags = int(flags)
        return self

    @classmethod
    def _from_struct(cls, obj):
        return cls(obj.value, obj.flags)

    @property
    def value(self):
        """The figure as a plain float."""
        return float(self)

    @property
    def flag_names(self):
        """Names of the flags set in ``flags``."""
        return flag_names(self.flags)

    def __repr__(self):
        if self.flags:
            return f"Metric({float(self)!r}, flags={self.flag_names})"
        return f"Metric({float(self)!r})"
