#!/usr/bin/python3
"""Time the csmetrics CLI's health and team sections against the number of
accounts (`make bench-cli`): for each size, a synthetic company
(bench/gen_company.py, generated once into --data) and the median wall and
CPU time of --runs runs of `csmetrics health DIR` and `csmetrics team DIR`,
with the peak RSS and the CPU time per account (flat when the sections are
linear; on a shared machine the wall time also counts the waits).

    bench_cli.py [--sizes 20000,40000,1000000] [--runs 3] [--build build]
                 [--data /tmp/csm-bench-cli]

Benchmarks only: nothing here is a pass/fail test."""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of cmd,
    which must exit 0."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}")
    return dt, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20000,40000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--data", default="/tmp/csm-bench-cli")
    a = ap.parse_args()
    exe = os.path.join(a.build, "cli", "csmetrics")
    print(f"{'accounts':>10} {'section':>8} {'wall s':>7} {'cpu s':>7} {'cpu us/account':>15} "
          f"{'peak MiB':>9}")
    for n in (int(s) for s in a.sizes.split(",")):
        d = os.path.join(a.data, f"company-{n}")
        if not os.path.exists(os.path.join(d, "contracts.csv")):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_company.py"), d, str(n)],
                           check=True)
        for section in ("health", "team"):
            walls, cpus, peak = [], [], 0.0
            for _ in range(a.runs):
                dt, cpu, rss = timed([exe, section, d])
                walls.append(dt)
                cpus.append(cpu)
                peak = max(peak, rss)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"{n:>10} {section:>8} {wall:>7.2f} {cpu:>7.2f} {1e6 * cpu / n:>15.1f} "
                  f"{peak:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
