#!/usr/bin/env python3
"""The Debian symbols file of libcsmetrics, generated from the version
script (debian/rules, override_dh_makeshlibs):

    debian_symbols.py lib/csmetrics.map SONAME PACKAGE DEV_PACKAGE > FILE

Every exported symbol belongs to a version node of the map, so the file has
one `(symver)NODE VERSION` pattern per node (plus the node's own symbol):
VERSION is the first release that exported the node, from NODE_RELEASES.
A node of the map missing there is an error -- a new node needs its release
written down here, which is the minimal version packages built against it
depend on.
"""
import re
import sys

# version node -> the first upstream release with it
NODE_RELEASES = {
    "CSMETRICS_2": "0.2.0",
}


def nodes(map_text):
    text = re.sub(r"/\*.*?\*/", "", map_text, flags=re.S)
    return re.findall(r"(?m)^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\{", text)


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__.strip().splitlines()[3].strip())
    map_path, soname, package, dev = sys.argv[1:]
    with open(map_path, encoding="utf-8") as f:
        found = nodes(f.read())
    if not found:
        raise SystemExit(f"debian_symbols: no version node in {map_path}")
    unknown = [n for n in found if n not in NODE_RELEASES]
    if unknown:
        raise SystemExit(f"debian_symbols: add the first release of {unknown} "
                         "to NODE_RELEASES in scripts/debian_symbols.py")
    out = [f"{soname} {package} #MINVER#", f"* Build-Depends-Package: {dev}"]
    for n in found:
        out.append(f" {n}@{n} {NODE_RELEASES[n]}")
        out.append(f" (symver){n} {NODE_RELEASES[n]}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
