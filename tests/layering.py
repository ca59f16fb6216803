#!/usr/bin/python3
"""The layering and naming rules of docs/CONVENTIONS.md ("Names and layout",
"Layering"), checked on the source tree:

1. hosts (cli/, bindings/, examples/, extensions/) include no header of lib/ (only the
   public csmetrics/*.h);
2. lib/ includes, from lib/internal/, only the infrastructure headers and the
   ledger's read interface (INTERNAL_SHARED), or an internal header named
   after the including file's own family (lib/internal/sbg.h for lib/sbg*.c);
3. a public header includes only public headers;
4. family = header = prefix: every function and struct type a family header
   declares is csm_<family> or starts with csm_<family>_, and every macro
   starts with CSM_<FAMILY>_ (or is a column list named after its table);
   core headers common.h and table.h, and the umbrellas, are exempt.

Usage: layering.py SOURCE_ROOT.  Prints every violation with file:line and
exits 1 if there is one.
"""
import pathlib
import re
import sys

INTERNAL_SHARED = {"util.h", "table.h", "sort.h", "special.h", "contracts.h",
                   "ledger_impl.h",
                   "movements.h", "partial.h"}
CORE = {"common.h", "table.h", "version.h"}
UMBRELLAS = {"csmetrics.h", "survival.h"}
# column lists named after their table rather than their family
TABLE_LISTS = {"CSM_COHORT_CELLS_COLUMNS", "CSM_RENEWAL_CONTRACTS_COLUMNS"}
INCLUDE = re.compile(r'^\s*[#%]\s*include\s*[<"]([^>"]+)[>"]', re.M)


def includes(path):
    text = path.read_text(errors="replace")
    for m in INCLUDE.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m.group(1)


def main(root):
    root = pathlib.Path(root)
    bad = []

    def fail(path, line, msg):
        bad.append(f"{path.relative_to(root)}:{line}: {msg}")

    # 1. hosts
    for host in ("cli", "bindings", "examples", "extensions"):
        for path in sorted((root / host).rglob("*")):
            if path.suffix not in (".c", ".h", ".i", ".cc", ".cpp"):
                continue
            for line, inc in includes(path):
                if inc.startswith(("internal/", "lib/", "../lib", "../../lib")):
                    fail(path, line, f"a host includes {inc}: use the public "
                         "csmetrics/*.h headers")

    # 2. the library
    lib = root / "lib"
    for path in sorted(lib.rglob("*")):
        if path.suffix not in (".c", ".h"):
            continue
        own = path.stem.split("_")[0]
        for line, inc in includes(path):
            if not inc.startswith("internal/") and "/internal/" not in inc:
                continue
            name = inc.rsplit("/", 1)[1]
            stem = name[:-2]
            if name in INTERNAL_SHARED or stem.split("_")[0] == own or \
                    path.parent.name == stem or (path.parent.name == "internal"
                                                 and stem == own):
                continue
            fail(path, line, f"includes {inc}, the internals of another "
                 "family: use its public header")

    # 3 and 4. public headers
    for path in sorted((root / "include" / "csmetrics").glob("*.h")):
        for line, inc in includes(path):
            if inc.startswith("csmetrics/"):
                if not (root / "include" / inc).exists() and \
                        inc != "csmetrics/version.h":
                    fail(path, line, f"includes {inc}, not a public header")
            elif not re.fullmatch(r"std\w+\.h|limits\.h|stdatomic\.h", inc):
                fail(path, line, f"includes {inc}, not a public or standard header")
        if path.name in CORE or path.name in UMBRELLAS:
            continue
        fam = path.stem
        text = path.read_text()
        decl = re.compile(r"CSM_API\b[^;{]*?\b(csm_\w+)\s*\(|typedef struct (csm_\w+)")
        # macros: CSM_<FAMILY>_*; a column list may be named after its table
        # (CSM_<TABLE>_COLUMNS, e.g. CSM_COHORT_CELLS_COLUMNS for "cohort_cells")
        for m in re.finditer(r"^#define (CSM_\w+)", text, re.M):
            name = m.group(1)
            if name.startswith(f"CSM_{fam.upper()}_") or name in TABLE_LISTS:
                continue
            fail(path, text.count("\n", 0, m.start()) + 1,
                 f"{name} in {path.name}: a family header's macros start with "
                 f"CSM_{fam.upper()}_ (family = header = prefix)")
        for m in decl.finditer(text):
            name = m.group(1) or m.group(2)
            if name == f"csm_{fam}" or name.startswith(f"csm_{fam}_"):
                continue
            fail(path, text.count("\n", 0, m.start()) + 1,
                 f"{name} in {path.name}: a family header declares only "
                 f"csm_{fam} and csm_{fam}_* (family = header = prefix)")

    for b in bad:
        print(b)
    print(f"layering: {len(bad)} violation(s)" if bad else "layering: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
