#!/usr/bin/env python3
"""bench_state.py DATASET — issue 14's restart figures, part of `make bench`.

On DATASET (the bench's 5M-row data), in one run, the runs taken in turn
(round-robin), each figure the median of RUNS with min and max:

  cold      cxtop --no-state --once --format json (every file read whole)
  restart   cxtop --once --format json from the state of the run before,
            nothing changed since (the state read, checked, taken up, and
            written again at the end)
  append    the same after 1,000 rows were appended to events.csv

and once: the state file's size against the peak RSS of the cold run; and
build/bench/bench_state, in process: the dashboard's first frame (read,
first view) without a state and from one, and the longest wait of the
loop for a periodic state write (the fork; the child writes) of 5.
Both runs' JSON must be equal (a difference exits 1). The state lives in a
temporary XDG_STATE_HOME, removed at the end; the rows appended go to a
copy of the data, never to DATASET.
Targets (issue 14): a restart <= 5% of the cold read (--once, and to the
first frame), the state file no larger than peak RSS, no loop turn waiting
more than 50 ms for a state write."""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_STATE_RUNS", "5"))
CXTOP = os.path.join(ROOT, "cxtop")


def run(args, env, out=subprocess.DEVNULL):
    """Wall seconds and peak RSS (bytes) of one cxtop run."""
    t0 = time.monotonic()
    p = subprocess.Popen([CXTOP] + args, stdout=out, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    if status != 0:
        sys.exit("bench_state: cxtop %s exited %d: %s" % (" ".join(args), status, err))
    return wall, ru.ru_maxrss * 1024, err


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_state.py DATASET")
    src = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="cxtop-bench-state-")
    try:
        data = os.path.join(tmp, "data")
        shutil.copytree(src, data)
        env = dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "xdg"))
        once = ["--once", "--format", "json", "--window", "all", data]
        times = {"cold": [], "restart": [], "append": []}
        rss = 0
        run(once, env)  # the first state
        rows = 0
        for _ in range(RUNS):
            w, m, _ = run(["--no-state"] + once, env)
            times["cold"].append(w)
            rss = max(rss, m)
            w, _, err = run(once, env)
            if "state" in err:
                sys.exit("bench_state: the restart did not take the state up: " + err)
            times["restart"].append(w)
            with open(os.path.join(data, "events.csv"), "a") as f:
                for i in range(1000):
                    f.write("2026-11-20T23:%02d:%02dZ,C%06d,bench-append,click,,\n"
                            % (i // 60 % 60, i % 60, rows + i))
            rows += 1000
            w, _, _ = run(once, env)
            times["append"].append(w)
        with open(os.path.join(tmp, "a.json"), "w") as a:
            run(once, env, a)
        with open(os.path.join(tmp, "b.json"), "w") as b:
            run(["--no-state"] + once, env, b)
        same = open(os.path.join(tmp, "a.json")).read() == open(os.path.join(tmp, "b.json")).read()
        state = [f for f in os.listdir(os.path.join(tmp, "xdg", "cxtop")) if f.endswith(".state")]
        size = os.path.getsize(os.path.join(tmp, "xdg", "cxtop", state[0])) if state else 0
        med = {k: statistics.median(v) for k, v in times.items()}
        print("\nRestart from the state (%s, %d runs in turn, one run of the bench)" % (src, RUNS))
        print("%-50s %9s %9s %9s" % ("", "median", "min", "max"))
        for k, label in (("cold", "cold: cxtop --no-state --once"),
                         ("restart", "restart: --once from the state, nothing new"),
                         ("append", "restart: --once from the state, +1,000 rows")):
            print("  %-48s %7.3f s %7.3f s %7.3f s" % (label, med[k], min(times[k]), max(times[k])))
        print("  state file %.1f MB, peak RSS of the cold run %.1f MB" % (size / 1e6, rss / 1e6))
        print("  check: the JSON from the state equals --no-state's: %s" % ("equal" if same else "DIFFERENT"))
        print("%-50s %9s %9s   %s" % ("  target (ratios of medians of this run)", "measured", "target", "verdict"))
        r = med["restart"] / med["cold"]
        print("  %-48s %8.1f%% %8s   %s" % ("restart / cold, --once", 100 * r, "<= 5%", "PASS" if r <= 0.05 else "MISS"))
        r2 = med["append"] / med["cold"]
        print("  %-48s %8.1f%% %8s   %s" % ("restart +1,000 rows / cold, --once", 100 * r2, "<= 5%",
                                             "PASS" if r2 <= 0.05 else "MISS"))
        r3 = size / rss if rss else 0
        print("  %-48s %8.2fx %8s   %s" % ("state file / peak RSS", r3, "<= 1", "PASS" if r3 <= 1 else "MISS"))
        helper = os.path.join(ROOT, "build", "bench", "bench_state")
        if os.path.exists(helper):
            out = subprocess.run([helper, data, os.path.join(tmp, "frame.state")], env=env,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit("bench_state: %s" % out.stderr)
            f = out.stdout.split()
            cold, warm, stall, write = float(f[1]), float(f[3]), float(f[5]), float(f[7])
            print("  first frame (in process): cold %.3f s, from the state %.3f s; a periodic write:"
                  " the loop waits %.1f ms, the child writes for %.0f ms" % (cold, warm, stall, write))
            r4 = warm / cold
            print("  %-48s %8.1f%% %8s   %s" % ("first frame from the state / cold", 100 * r4, "<= 5%",
                                                 "PASS" if r4 <= 0.05 else "MISS"))
            print("  %-48s %6.1f ms %8s   %s" % ("longest wait for a state write", stall, "<= 50 ms",
                                                  "PASS" if stall <= 50 else "MISS"))
        if not same:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


main()
