#!/usr/bin/env python3
"""Compile the Java bindings and pack csmetrics.jar (a meson custom_target
step).

    build_jar.py --javac JAVAC --jar JAR --gen GEN_DIR --native LIB.so
                 --arch CPU --out OUT.jar --classes CLASS_DIR SOURCE...

javac compiles the SWIG-generated classes (GEN_DIR) with the hand-written
ones (SOURCE...) into CLASS_DIR (emptied first); the JNI library is copied
to CLASS_DIR/org/csmetrics/native/linux-CPU/ so NativeLoader can extract it
from the jar; `jar` packs CLASS_DIR into OUT.jar.
"""
import argparse
import os
import shutil
import subprocess


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--javac", "--jar", "--gen", "--native", "--arch", "--out", "--classes"):
        ap.add_argument(opt, required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    shutil.rmtree(a.classes, ignore_errors=True)
    os.makedirs(a.classes)
    gen = sorted(os.path.join(a.gen, f) for f in os.listdir(a.gen) if f.endswith(".java"))
    subprocess.run([a.javac, "-encoding", "UTF-8", "--release", "11", "-Xlint:all",
                    "-Xlint:-removal", "-Xlint:-deprecation", "-Werror", "-nowarn",
                    "-d", a.classes] + gen + a.sources, check=True)
    native = os.path.join(a.classes, "org", "csmetrics", "native", "linux-" + a.arch)
    os.makedirs(native)
    shutil.copyfile(a.native, os.path.join(native, os.path.basename(a.native)))
    if os.path.exists(a.out):
        os.remove(a.out)
    subprocess.run([a.jar, "--create", "--file", a.out, "-C", a.classes, "."], check=True)


if __name__ == "__main__":
    main()
