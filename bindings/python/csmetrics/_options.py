"""Option structs: the C library's own, passed whole.

Every configurable C call takes a ``csm_<x>_opts`` struct.  Its SWIG class
(``_csm.<x>_opts``) is constructed with every field at the C default
(``csm_<x>_opts_init``); ``options`` sets the fields a caller named and
leaves the others alone, so no default value is written in Python: a
Python option parameter that defaults to None means "the C default".
The names an enumerated option takes are the C enumeration's too
(``choices``).
"""

from . import _csm


def options(struct, **fields):
    """The option struct ``struct`` (a class of csmetrics._csm, e.g.
    ``_csm.km_opts``) at the C defaults, with each given field set; a
    field given as None keeps its default.  A misspelt field is an
    AttributeError (the classes take no new attributes)."""
    return set_fields(struct(), **fields)


def set_fields(o, **fields):
    """Set each given field of the option struct ``o`` (None: leave it);
    returns ``o``."""
    for name, value in fields.items():
        if value is not None:
            setattr(o, name, value)
    return o


def flag(value):
    """A yes/no option as the C int (None stays None: the C default)."""
    return None if value is None else int(bool(value))


def choices(prefix):
    """{name: value} of the C enumeration whose constants (in _csm) start
    with ``prefix``: each name is the constant's without the prefix, lower
    case (``choices("DENOM_")`` -> {"start": 0, "start_plus_new": 1,
    ...}), in the order of their values, so no Python list repeats them."""
    values = {name[len(prefix):].lower(): value for name, value in vars(_csm).items()
              if name.startswith(prefix) and isinstance(value, int)}
    return dict(sorted(values.items(), key=lambda kv: kv[1]))
