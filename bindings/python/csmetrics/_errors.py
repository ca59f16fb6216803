"""Exceptions raised by csmetrics.

Every error is a :class:`csmetrics.Error`.  Bad input (a value outside its
domain, an invalid argument or option, a duplicate row in strict mode) is
also a :class:`ValueError`.  The message is the library's ``csm_error`` text,
which names the status, the 0-based row and the field, e.g.
``EDOMAIN: row 7, field 'mrr': MRR must be >= 0``; the same pieces are
attributes of the exception.

The status codes and their names are the C library's (CSM_STATUS_MAP,
csm_status_name); the text is always worded by the library's
csm_error_set, also for the errors the Python layer finds itself.
"""

from . import _csm

__all__ = [
    "Error",
    "InvalidArgumentError",
    "DomainError",
    "DuplicateError",
    "InputTypeError",
    "OutOfMemoryError",
    "RangeError",
    "ConvergenceError",
    "ParseError",
    "NotFoundError",
    "MissingValueError",
    "MissingInputWarning",
]


# csm_status code -> the class of its errors (filled as the classes are defined)
_BY_CODE = {}


class Error(Exception):
    """Base class of every csmetrics error.

    Attributes: ``status`` (the status name without prefix, e.g.
    ``"EDOMAIN"``), ``code`` (its numeric csm_status value), ``row`` (0-based
    index of the offending input element, or None), ``field`` (name of the
    offending input, or None) and ``detail`` (the explanation without status,
    row and field).
    """

    status = None
    code = None

    def __init_subclass__(cls, **kwargs):
        # a class that names its csm_status code gets the status's name from
        # C and is the class of that code's errors (_from_status)
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            cls.status = _csm.status_name(cls.code)
            _BY_CODE[cls.code] = cls

    def __init__(self, message, *, row=None, field=None, detail=None, code=None):
        super().__init__(message)
        self.row = row
        self.field = field
        self.detail = detail
        if code is not None:
            self.code = code


class InvalidArgumentError(Error, ValueError):
    """CSM_EINVAL: a missing array, arrays of different lengths, a bad option."""

    code = _csm.EINVAL


class DomainError(Error, ValueError):
    """CSM_EDOMAIN: an input value outside its domain (negative or non-finite
    money, a score outside its scale, a fraction where a whole number is
    needed)."""

    code = _csm.EDOMAIN


class OutOfMemoryError(Error, MemoryError):
    """CSM_ENOMEM: an allocation failed."""

    code = _csm.ENOMEM


class DuplicateError(Error, ValueError):
    """CSM_EDUP: a duplicate key, e.g. a (customer, period) row twice in
    strict mode."""

    code = _csm.EDUP


class RangeError(Error, OverflowError):
    """CSM_ERANGE: a result or size out of representable range."""

    code = _csm.ERANGE


class ConvergenceError(Error, RuntimeError):
    """CSM_ENOCONV: a numerical method did not converge."""

    code = _csm.ENOCONV


class ParseError(Error, ValueError):
    """CSM_EPARSE: a malformed specification."""

    code = _csm.EPARSE


class NotFoundError(Error, LookupError):
    """CSM_ENOTFOUND: a named item was not found."""

    code = _csm.ENOTFOUND


class MissingValueError(Error, ValueError):
    """CSM_EMISSING: a required value is missing."""

    code = _csm.EMISSING


class InputTypeError(InvalidArgumentError, TypeError):
    """An input whose type cannot become the array C needs (strings, objects,
    complex numbers).  Raised by the Python layer; status EINVAL."""


class MissingInputWarning(UserWarning):
    """An input the computation needs is absent from every row (e.g. a
    scorecard input that the frame lacks or spells differently): the
    result is computed without it.  Filter it with the ``warnings``
    module; ``warnings.simplefilter("error", csm.MissingInputWarning)``
    makes it an exception."""


def _from_status(code, name, row, field, detail, text):
    """Exception instance for a failed csm_status (called from the SWIG
    module with the csm_error contents)."""
    cls = _BY_CODE.get(code, Error)
    return cls(text, row=row, field=field, detail=detail, code=code)


def _fail(cls, detail, *, row=None, field=None):
    """An exception raised by the Python layer, worded by the C library
    (csm_error_set): ``STATUS: row R, field 'F': detail``."""
    text = _csm.py_error_text(cls.code, _csm.NO_ROW if row is None else int(row), field,
                              detail)
    return cls(text, row=row, field=field, detail=detail)
