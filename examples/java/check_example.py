#!/usr/bin/env python3
"""Run examples/java/NrrGrr.java on examples/data/demo/mrr.csv and check its
NRR and GRR against the csmetrics command's on the same data (meson test
java-example, suite java; make test runs it).

    check_example.py JAVAC JAVA CSMETRICS_JAR CSMETRICS_CLI SRC_ROOT WORK_DIR

The example runs without java.library.path, so the JNI library comes out of
the jar (NativeLoader's extraction path).  Both sides use the default
12-month window; every month the CLI shows must match to 1e-12 (relative).
"""
import csv
import io
import json
import os
import subprocess
import sys


def main(argv):
    javac, java, jar, cli, root, work = argv[1:7]
    os.makedirs(work, exist_ok=True)
    src = os.path.join(root, "examples", "java", "NrrGrr.java")
    subprocess.run([javac, "-encoding", "UTF-8", "-cp", jar, "-d", work, src], check=True)
    data = os.path.join(root, "examples", "data", "demo")
    out = subprocess.run([java, "-cp", os.pathsep.join([jar, work]), "NrrGrr",
                          os.path.join(data, "mrr.csv")],
                         check=True, capture_output=True, text=True).stdout
    rows = {r["end_month"]: r for r in csv.DictReader(io.StringIO(out))}
    report = json.loads(subprocess.run([cli, "retention", data, "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    sec = next(s for s in report["sections"] if s["key"] == "retention")
    assert sec["rows"], "the CLI printed no retention rows"
    for want in sec["rows"]:
        got = rows[want["end_month"]]
        assert got["start_month"] == want["start_month"], (got, want)
        for k in ("nrr", "grr"):
            g, w = float(got[k]), float(want[k])
            assert abs(g - w) <= 1e-12 * max(1.0, abs(w)), (want["end_month"], k, g, w)
        print(f"{want['end_month']}: nrr {got['nrr']} grr {got['grr']} (CLI agrees)")
    print(f"NrrGrr.java matches csmetrics retention on {len(sec['rows'])} months")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
