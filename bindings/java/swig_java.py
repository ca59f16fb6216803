#!/usr/bin/env python3
"""Run SWIG for the Java bindings (a meson custom_target step).

    swig_java.py SWIG INTERFACE WRAP_C STAMP GEN_DIR INCLUDE_DIR IFACE_DIR

SWIG writes the C wrapper WRAP_C and one .java file per class into GEN_DIR
(emptied first, so a class dropped from the interface does not linger);
STAMP lists the generated classes, for the jar step (build_jar.py).
SWIGWORDSIZE64: stdint.i then declares int64_t as the platform's `long`
(LP64), so the wrapper's pointers match the C prototypes; common.i maps
that `long` to Java's long.
"""
import os
import shutil
import subprocess
import sys


def main(argv):
    swig, iface, wrap_c, stamp, gen, include, iface_dir = argv[1:8]
    shutil.rmtree(gen, ignore_errors=True)
    os.makedirs(gen)
    subprocess.run([swig, "-java", "-package", "org.csmetrics", "-outdir", gen,
                    "-I" + include, "-I" + iface_dir, "-DSWIGWORDSIZE64", "-o", wrap_c, iface],
                   check=True)
    names = sorted(f for f in os.listdir(gen) if f.endswith(".java"))
    with open(stamp, "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main(sys.argv)
