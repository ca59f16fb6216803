#!/usr/bin/python3
"""Build the API reference (Doxygen, docs/Doxyfile) and check its warnings.

    scripts/api_docs.py OUTDIR [--update-baseline]

Runs doxygen from the source root with CSM_API_OUT=OUTDIR (the HTML lands
in OUTDIR, OUTDIR/index.html first), then compares doxygen's warnings --
undocumented public symbols above all -- with docs/api-docs-baseline.txt,
the list of warnings still known (file and text, no line numbers).  Any
warning not in the list fails, and so does a listed warning that no longer
occurs (remove it from the list: the list only shrinks).  The goal is an
empty list.  Exit status 0 = clean, 1 = mismatch, 77 = doxygen missing.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "docs", "api-docs-baseline.txt")


def normalise(line):
    # "<path>/include/csmetrics/x.h:12: error: text" -> "x.h: text"
    m = re.match(r"^(?:.*/)?([^/:]+):\d+: (?:error|warning): (.*)$", line)
    if m:
        return "%s: %s" % (m.group(1), m.group(2).strip())
    return line.strip()


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(argv[1])
    update = "--update-baseline" in argv[2:]
    doxygen = shutil.which("doxygen")
    if doxygen is None:
        print("api-docs: doxygen not installed (Debian package doxygen)")
        return 77
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    log = os.path.join(out, "warnings.log")
    env = dict(os.environ, CSM_API_OUT=out, CSM_API_WARN_LOG=log)
    r = subprocess.run([doxygen, os.path.join("docs", "Doxyfile")], cwd=ROOT,
                       env=env)
    if r.returncode != 0:
        print("api-docs: doxygen exited with %d" % r.returncode)
        return 1
    with open(log) as f:
        got = sorted({normalise(l) for l in f if l.strip()})
    if update:
        with open(BASELINE, "w") as f:
            f.write("# Doxygen warnings not yet fixed (scripts/api_docs.py); "
                    "this list only shrinks.\n")
            f.writelines(g + "\n" for g in got)
        print("api-docs: baseline rewritten, %d entries" % len(got))
        return 0
    known = set()
    if os.path.exists(BASELINE):
        with open(BASELINE) as f:
            known = {l.rstrip("\n") for l in f
                     if l.strip() and not l.startswith("#")}
    new = [g for g in got if g not in known]
    gone = sorted(known - set(got))
    for g in new:
        print("api-docs: new warning: " + g)
    for g in gone:
        print("api-docs: fixed, remove from docs/api-docs-baseline.txt: " + g)
    if new or gone:
        return 1
    print("api-docs: %s/index.html, %d known warnings, no new ones"
          % (out, len(got)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
