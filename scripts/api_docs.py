#!/usr/bin/python3
"""Build the API reference (Doxygen, docs/Doxyfile) and check its warnings.

    scripts/api_docs.py OUTDIR [--update-baseline]
    scripts/api_docs.py --filter HEADER

Runs doxygen from the source root with CSM_API_OUT=OUTDIR (the HTML lands
in OUTDIR, OUTDIR/index.html first), then compares doxygen's warnings --
undocumented public symbols above all -- with docs/api-docs-baseline.txt,
the list of warnings still known (file and text, no line numbers).  Any
warning not in the list fails, and so does a listed warning that no longer
occurs (remove it from the list: the list only shrinks).  The goal is an
empty list.  Exit status 0 = clean, 1 = mismatch, 77 = doxygen missing.

With --filter, print HEADER as doxygen should read it (docs/Doxyfile's
INPUT_FILTER): a column description that a column list splits into
adjacent string literals over continued lines ("... when "  \\ / "not by
segment") becomes one literal, so the member documentation generated from
it (CSM_COLUMN_MEMBER in docs/Doxyfile) reads as one sentence.  The
removed line breaks are added after the macro, so every line after it
keeps its number.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "docs", "api-docs-baseline.txt")

# A line of a macro definition ending inside a description: '"  \'.
SPLIT_END = re.compile(r'"[ \t]*\\$')
# The next line carrying on with the next literal: '   "'.
SPLIT_START = re.compile(r'^[ \t]*"')


def join_split_literals(text):
    lines = text.split("\n")
    out = []
    pending = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        while (SPLIT_END.search(line) and i + 1 < len(lines)
               and SPLIT_START.match(lines[i + 1])):
            line = SPLIT_END.sub("", line) + SPLIT_START.sub("", lines[i + 1])
            i += 1
            pending += 1
        out.append(line)
        if pending and not line.endswith("\\"):
            out.extend([""] * pending)
            pending = 0
        i += 1
    return "\n".join(out)



def normalise(line):
    # "<path>/include/csmetrics/x.h:12: error: text" -> "x.h: text"
    m = re.match(r"^(?:.*/)?([^/:]+):\d+: (?:error|warning): (.*)$", line)
    if m:
        return "%s: %s" % (m.group(1), m.group(2).strip())
    return line.strip()


def main(argv):
    if len(argv) == 3 and argv[1] == "--filter":
        with open(argv[2], encoding="utf-8") as f:
            sys.stdout.write(join_split_literals(f.read()))
        return 0
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
