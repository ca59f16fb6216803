#!/usr/bin/env python3
"""Compile and run the JUnit 5 suite of the Java bindings in one JVM (meson
test `java`, suite java; make test-java).

    run_junit.py JAVAC JAVA CSMETRICS_JAR NATIVE_DIR CLASSES_DIR TEST_SOURCES...

The tests are compiled against the jar into CLASSES_DIR, then the JUnit
platform's console launcher (Debian junit5:
/usr/share/java/junit-platform-console-standalone.jar, or $JUNIT_CONSOLE_JAR)
runs every test class.  The JNI library comes from NATIVE_DIR through
java.library.path (the jar's own copy is tested by the example run).
Exit 77 (meson: skipped) when the launcher is not installed.
"""
import os
import shutil
import subprocess
import sys

CONSOLE = os.environ.get("JUNIT_CONSOLE_JAR",
                         "/usr/share/java/junit-platform-console-standalone.jar")


def main(argv):
    javac, java, jar, native, classes = argv[1:6]
    sources = argv[6:]
    if not os.path.isfile(CONSOLE):
        print(f"JUnit console launcher not found ({CONSOLE}): make deps-java")
        return 77
    shutil.rmtree(classes, ignore_errors=True)
    os.makedirs(classes)
    subprocess.run([javac, "-encoding", "UTF-8", "-Xlint:all", "-Werror", "-d", classes,
                    "-cp", os.pathsep.join([jar, CONSOLE])] + sources, check=True)
    return subprocess.run([java, "-Xcheck:jni", "-Djava.library.path=" + native,
                           "-jar", CONSOLE, "--disable-banner", "--details=tree",
                           "--fail-if-no-tests",
                           "--class-path", os.pathsep.join([jar, classes]),
                           "--scan-class-path", classes]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
