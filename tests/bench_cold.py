#!/usr/bin/env python3
"""bench_cold.py DATASET — issue 13's cold-read table, part of `make bench`.

DATASET holds a gen_sample events.csv (10M rows in `make bench`). In one
run, the contenders taken in turn (round-robin, so that a slow minute of
the shared machine hits them all alike), each figure the median of RUNS
with min and max:

  floor      build/bench/bench --floor: one bare libcsv pass, no work
  cxtop      cxtop --once --format json --window all, events.csv alone
  duckdb 2   DuckDB (@duckdb/node-api, installed into build/duckdb by this
  duckdb 1   script with npm; never a dependency of cxtop), 2 and 1
             threads: count(DISTINCT customer_id) GROUP BY campaign, event
  gawk       the same distinct counts (a set of (campaign, event, customer))

Equal work is checked: the unique opens and clicks of every campaign are
the same in cxtop's JSON, DuckDB's and gawk's counts (a difference exits 1).
Where node or npm is missing or the package cannot be installed, the
DuckDB lines say so and are skipped; the bench never fails for it.
Targets (issue 13): cxtop <= 0.8 x DuckDB 2 threads, <= 1.5 x the floor,
gawk >= 6 x cxtop, peak RSS <= 30 bytes per event row."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
DUCK = os.path.join(ROOT, "build", "duckdb")
QUERY = """import { DuckDBInstance } from '@duckdb/node-api';
const [file, threads] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await inst.connect();
const t0 = performance.now();
const r = await con.runAndReadAll(`SELECT campaign_id, event, count(DISTINCT customer_id)
  FROM read_csv('${file}', header = true, all_varchar = true)
  WHERE campaign_id <> '' GROUP BY ALL`);
const secs = (performance.now() - t0) / 1000;
const counts = {};
for (const [c, e, n] of r.getRows()) counts[c + ' ' + e] = Number(n);
console.log(JSON.stringify({ secs, counts }));
"""
GAWK = r"""NR > 1 && $3 != "" {
	k = $3 " " $4
	if (!((k, $2) in seen)) { seen[k, $2] = 1; n[k]++ }
}
END { for (k in n) print k, n[k] }"""


def duckdb_ready():
    """The package in build/duckdb, installed once; None if it cannot be."""
    mod = os.path.join(DUCK, "node_modules", "@duckdb", "node-api")
    if not os.path.isdir(mod):
        if not shutil.which("node") or not shutil.which("npm"):
            return "node and npm are not on this machine"
        os.makedirs(DUCK, exist_ok=True)
        r = subprocess.run(["npm", "install", "--prefix", DUCK, "--silent", "--no-audit",
                            "--no-fund", "@duckdb/node-api"], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.isdir(mod):
            return "npm could not install @duckdb/node-api: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    with open(os.path.join(DUCK, "q.mjs"), "w") as f:
        f.write(QUERY)
    return None


def timed(argv, cwd=None, out=subprocess.DEVNULL):
    """Wall seconds and peak RSS (bytes) of one run of argv."""
    t = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, stdout=out)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    if status != 0:
        sys.exit("bench_cold: %s failed (status %d)" % (argv[0], status))
    return wall, ru.ru_maxrss * 1024


def main():
    data = os.path.abspath(sys.argv[1])
    events = os.path.join(data, "events.csv")
    alone = os.path.join(data, "alone")
    os.makedirs(alone, exist_ok=True)
    link = os.path.join(alone, "events.csv")
    if not os.path.exists(link):
        os.symlink(events, link)
    cxtop = os.path.join(ROOT, "cxtop")
    bench = os.path.join(ROOT, "build", "bench", "bench")
    why_not = duckdb_ready()
    fig = {k: [] for k in ("floor", "cxtop", "duck2", "duck1", "gawk")}
    rss = []
    checks = {}
    subprocess.run([bench, "--floor", events], stdout=subprocess.DEVNULL, check=True)  # cache
    rows = 0
    for _ in range(RUNS):
        out = subprocess.run([bench, "--floor", events], capture_output=True, text=True,
                             check=True).stdout.split()
        fig["floor"].append(float(out[0]))
        rows = int(out[1]) - 1
        with open(os.path.join(alone, "once.json"), "w") as f:
            w, m = timed([cxtop, "--no-state", "--once", "--format", "json", "--window", "all"], alone, f)
        fig["cxtop"].append(w)
        rss.append(m)
        if not why_not:
            for t in (2, 1):
                r = subprocess.run(["node", os.path.join(DUCK, "q.mjs"), events, str(t)],
                                   capture_output=True, text=True, cwd=DUCK)
                if r.returncode != 0:
                    why_not = "DuckDB failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
                    break
                res = json.loads(r.stdout)
                fig["duck%d" % t].append(res["secs"])
                checks["duckdb"] = res["counts"]
        t = time.monotonic()
        r = subprocess.run(["gawk", "-F,", GAWK, events], capture_output=True, text=True,
                           check=True)
        fig["gawk"].append(time.monotonic() - t)
        checks["gawk"] = {" ".join(l.split()[:2]): int(l.split()[2])
                          for l in r.stdout.splitlines()}
    with open(os.path.join(alone, "once.json")) as f:
        camps = json.load(f)["campaigns"]
    mine = {}
    for c in camps:
        mine[c["campaign_id"] + " open"] = c["unique_opens"]
        mine[c["campaign_id"] + " click"] = c["unique_clicks"]
    same = {}
    for peer, counts in checks.items():
        bad = [k for k in mine if counts.get(k, 0) != mine[k]]
        same[peer] = "equal" if not bad else "DIFFERENT (%s: cxtop %d, %s %d)" % (
            bad[0], mine[bad[0]], peer, counts.get(bad[0], 0))

    def med(k):
        return statistics.median(fig[k]) if fig[k] else None

    def line(label, k, extra=""):
        v = fig[k]
        if not v:
            print("  %-44s %s" % (label, extra))
            return
        print("  %-44s %8.2f s %8.2f s %8.2f s   %s" % (label, med(k), min(v), max(v), extra))

    print()
    print("Cold read of %s event rows (%s, %.0f MB), %d runs in turn, one run of the bench"
          % ("{:,}".format(rows), os.path.relpath(events, ROOT), os.path.getsize(events) / 1e6, RUNS))
    print("  %-44s %10s %10s %10s   %s" % ("", "median", "min", "max", "vs cxtop"))
    c = med("cxtop")
    line("cxtop --once --format json --window all", "cxtop", "1")
    for k, label in (("duck2", "DuckDB, 2 threads: distinct counts"),
                     ("duck1", "DuckDB, 1 thread")):
        if why_not:
            line(label, k, "skipped: " + why_not)
        else:
            line(label, k, "%.2f" % (med(k) / c))
    line("gawk, the same distinct counts", "gawk", "%.2f" % (med("gawk") / c))
    line("libcsv pass alone (the floor)", "floor", "%.2f" % (med("floor") / c))
    for peer, verdict in same.items():
        print("  check: unique opens and clicks of %d campaigns, cxtop and %s: %s"
              % (len(camps), peer, verdict))
    rss_row = statistics.median(rss) / rows
    print("  peak RSS of cxtop --once: %.1f MB, %.1f bytes per event row"
          % (statistics.median(rss) / 1e6, rss_row))
    print("  %-44s %10s %10s   %s" % ("target (ratios of medians of this run)", "measured", "target", "verdict"))

    def verdict(label, v, op, t, unit="x"):
        ok = v <= t if op == "<=" else v >= t
        print("  %-44s %9.2f%s %6s %.1f%s   %s" % (label, v, unit, op, t, unit, "PASS" if ok else "MISS"))

    if not why_not:
        verdict("cxtop / DuckDB 2 threads", c / med("duck2"), "<=", 0.8)
    verdict("cxtop / libcsv pass", c / med("floor"), "<=", 1.5)
    verdict("gawk / cxtop", med("gawk") / c, ">=", 6.0)
    verdict("peak RSS per event row", rss_row, "<=", 30.0, " B")
    if any(v != "equal" for v in same.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
