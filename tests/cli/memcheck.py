"""Running the csmetrics binary under the CLI tests, optionally wrapped.

CSM_CLI_WRAPPER (environment): a command line put in front of the binary,
e.g. "valgrind --quiet --error-exitcode=99 --leak-check=full" (the meson
test setup 'clivalgrind' sets it).  Whatever the wrapper, and for an
ASan/UBSan-instrumented binary too, a run whose stderr holds a sanitizer or
valgrind report, or that ended with the wrapper's error exit code 99, is a
memory error: memory_errors() lists them so that the test scripts can fail.
"""
import os
import re
import shlex
import subprocess

WRAPPER = shlex.split(os.environ.get("CSM_CLI_WRAPPER", ""))
WRAPPER_ERROR_EXIT = 99
# AddressSanitizer / LeakSanitizer reports, UBSan's "file:line:col: runtime error:",
# and valgrind's "==PID== " prefixed lines (printed with --quiet only for errors)
_REPORT = re.compile(r"ERROR: (Address|Leak)Sanitizer|SUMMARY: \w+Sanitizer|"
                     r"^\S+:\d+:\d+: runtime error: |^==\d+== ", re.M)
_errors = []


def run(exe, args):
    """subprocess.run([wrapper..., exe, *args]) with captured text output;
    records a memory error (see memory_errors) when the run shows one."""
    p = subprocess.run([*WRAPPER, exe, *args], capture_output=True, text=True)
    m = _REPORT.search(p.stderr)
    if m or (WRAPPER and p.returncode == WRAPPER_ERROR_EXIT):
        start = m.start() if m else 0
        _errors.append((" ".join(args), p.returncode, p.stderr[start:start + 2000]))
    return p


def memory_errors():
    """[(arguments, exit code, report excerpt)] of the runs with a memory error."""
    return list(_errors)
