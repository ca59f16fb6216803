#!/usr/bin/python3
"""Build the API reference (Doxygen, docs/Doxyfile) and fail on any warning.

    scripts/api_docs.py OUTDIR
    scripts/api_docs.py --filter HEADER

Runs doxygen from the source root with CSM_API_OUT=OUTDIR (the HTML lands
in OUTDIR, OUTDIR/index.html first) and prints every warning doxygen wrote
to OUTDIR/warnings.log -- an undocumented public symbol above all.  Any
warning fails: every public symbol is documented in its header.
Exit status 0 = no warning, 1 = warnings (or doxygen failed), 77 = doxygen
missing (a skipped test).

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


def main(argv):
    if len(argv) == 3 and argv[1] == "--filter":
        with open(argv[2], encoding="utf-8") as f:
            sys.stdout.write(join_split_literals(f.read()))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(argv[1])
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
        warnings = [l.rstrip("\n") for l in f if l.strip()]
    for w in warnings:
        print("api-docs: " + w)
    if warnings:
        print("api-docs: %d warnings (document every public symbol in its "
              "header; see %s)" % (len(warnings), log))
        return 1
    print("api-docs: %s/index.html, no warnings" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
