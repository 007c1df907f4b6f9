#!/usr/bin/env python3
"""Soak test (make soak): the real dashboard in tmux follows an events log
that a writer appends to at 2,000 rows/s for SOAK_SECONDS (default 300),
rotating it every ROTATE_SECONDS (default 15) in turn by rename-and-create
(events.csv -> events.csv.1 -> events.csv.2 ...), dated rename
(events.csv -> events-20261101T120000.csv) and logrotate's copytruncate
(copied to events.csv.cN, then emptied in place). The source is the glob
events*csv*, so every generation matches.

At the end three counts must agree: the writer's own (rows, and revenue per
campaign in cents), the dashboard's (the header's row count and the
Campaigns screen's revenue column, read off the screen) and --once's
(JSON rows, CSV revenue). Prints what it compared; exits 1 on a mismatch.
Not part of make check: it takes minutes."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "cxtop")
SECONDS = float(os.environ.get("SOAK_SECONDS", "300"))
ROTATE = float(os.environ.get("ROTATE_SECONDS", "15"))
RATE = int(os.environ.get("SOAK_RATE", "2000"))
NCAMP = 40
# the Campaigns screen writes a revenue of 100,000 or more as "300.3k":
# values are kept small enough that every campaign's stays below, whole
CONVERSIONS = max(1, int(RATE * SECONDS / NCAMP / 5))
VALUE_RANGE = max(100, int(2 * 9000000 / CONVERSIONS) - 200)
HDR = "timestamp,customer_id,campaign_id,event,value,machine\n"
SOCK = "cxtop-soak-%d" % os.getpid()


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK] + list(args), capture_output=True, text=True).stdout


class Writer:
    def __init__(self, d):
        self.d = d
        self.rows = 0
        self.cents = [0] * NCAMP
        self.seq = 0
        self.gen = 0
        self.copies = 0
        self.rotations = {"rename": 0, "dated": 0, "copytruncate": 0}
        self.fd = None
        self.open()

    def path(self, name):
        return os.path.join(self.d, name)

    def open(self):
        p = self.path("events.csv")
        fresh = not os.path.exists(p) or os.path.getsize(p) == 0
        self.fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if fresh:
            os.write(self.fd, HDR.encode())

    def write(self, n):
        out = []
        for _ in range(n):
            k = self.seq
            self.seq += 1
            camp = k % NCAMP
            ts = 1793534400 + k // 50  # 2026-11-01 + 50 rows a second
            t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
            cust = "c%d" % (k * 7919 % 20000)
            # every campaign converts; values stay small enough that a
            # campaign's revenue is shown whole (under 1M) on the screen
            if (k // NCAMP) % 5 == 0:
                cents = 100 + (k * 37) % VALUE_RANGE
                out.append("%s,%s,C%02d,conversion,%d.%02d,\n" % (t, cust, camp, cents // 100, cents % 100))
                self.cents[camp] += cents
            else:
                out.append("%s,%s,C%02d,%s,,\n" % (t, cust, camp, ("delivered", "open", "click", "delivered")[k % 4]))
        os.write(self.fd, "".join(out).encode())
        self.rows += n

    def rotate(self):
        scheme = ("rename", "dated", "copytruncate")[sum(self.rotations.values()) % 3]
        self.rotations[scheme] += 1
        if scheme == "rename":
            gens = sorted((int(m.group(1)) for m in
                           (re.fullmatch(r"events\.csv\.(\d+)", f) for f in os.listdir(self.d)) if m),
                          reverse=True)
            for g in gens:
                os.rename(self.path("events.csv.%d" % g), self.path("events.csv.%d" % (g + 1)))
            os.rename(self.path("events.csv"), self.path("events.csv.1"))
            self.write(RATE // 100)  # the writer has not reopened yet
            os.close(self.fd)
            self.open()
        elif scheme == "dated":
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-%d" % self.rotations["dated"]
            os.rename(self.path("events.csv"), self.path("events-%s.csv" % stamp))
            self.write(RATE // 100)
            os.close(self.fd)
            self.open()
        else:
            self.copies += 1
            shutil.copyfile(self.path("events.csv"), self.path("events.csv.c%d" % self.copies))
            os.truncate(self.path("events.csv"), 0)
            # O_APPEND: the writer goes on at the new end, writes a header
            # as a fresh export would
            os.write(self.fd, HDR.encode())


def screen():
    return tmux("capture-pane", "-p", "-t", "soak")


def header_rows(text):
    m = re.search(r"([\d,]+) rows", text.splitlines()[0] if text else "")
    return int(m.group(1).replace(",", "")) if m else -1


def dashboard_revenue():
    """Campaign -> revenue in cents, read off the Campaigns screen."""
    text = screen()
    lines = text.splitlines()
    hdr = next((i for i, l in enumerate(lines) if "revenue" in l and "name" in l), None)
    out = {}
    if hdr is None:
        return out, text
    for l in lines[hdr + 1:]:
        m = re.match(r"^[ >\u25b6]\s*(C\d\d)\s.*?([\d,]+\.\d\d)\s*$", l)
        if m:
            out[m.group(1)] = int(m.group(2).replace(",", "").replace(".", ""))
    return out, text


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit("soak: build cxtop first (make)")
    d = tempfile.mkdtemp(prefix="cxtop-soak-")
    ini = os.path.join(d, "soak.ini")
    with open(ini, "w") as f:
        f.write("[general]\ndata_dir = .\nwindow = all\n[events]\npath = events*csv*\n")
    w = Writer(d)
    w.write(RATE // 10)
    tmux("new-session", "-d", "-s", "soak", "-x", "200", "-y", "60",
         "env TERM=xterm-256color LANG=C.UTF-8 %s -c %s; sleep 600" % (BIN, ini))
    try:
        start = time.time()
        next_rot = start + ROTATE
        tick = 0.01
        next_tick = start
        last_report = start
        while time.time() - start < SECONDS:
            now = time.time()
            if now >= next_rot:
                w.rotate()
                next_rot += ROTATE
            w.write(RATE // 100)
            next_tick += tick
            if now - last_report >= 30:
                print("soak: %4.0fs  %9d rows written, dashboard says %d, rotations %s" %
                      (now - start, w.rows, header_rows(screen()), w.rotations), flush=True)
                last_report = now
            time.sleep(max(0.0, next_tick - time.time()))
        os.close(w.fd)
        # the dashboard catches up
        deadline = time.time() + 60
        while time.time() < deadline and header_rows(screen()) != w.rows:
            time.sleep(0.5)
        time.sleep(3)  # past the quiet time, so a last partial line is flushed
        tmux("send-keys", "-t", "soak", "2")
        time.sleep(1.0)
        dash_rows = header_rows(screen())
        dash_rev, text = dashboard_revenue()
        once = json.loads(subprocess.run([BIN, "--once", "--format", "json", "-c", ini],
                                         capture_output=True, text=True, check=True).stdout)
        once_rows = once["rows"]["events"]["read"]
        once_rej = once["rows"]["events"]["rejected"]
        csvout = subprocess.run([BIN, "--once", "--format", "csv", "-c", ini],
                                capture_output=True, text=True, check=True).stdout
        once_rev = {r["campaign_id"]: round(float(r["revenue"]) * 100)
                    for r in csv.DictReader(io.StringIO(csvout))}
        bad = 0
        print("soak: %.0f s at %d rows/s, rotations %s" % (SECONDS, RATE, w.rotations))
        print("soak: rows: written %d, dashboard %d, --once %d (%d rejected)" %
              (w.rows, dash_rows, once_rows, once_rej))
        if not (w.rows == dash_rows == once_rows) or once_rej:
            bad = 1
        wrong = []
        for c in range(NCAMP):
            cid = "C%02d" % c
            if not (w.cents[c] == dash_rev.get(cid) == once_rev.get(cid)):
                wrong.append("%s: written %.2f, dashboard %s, --once %s" % (
                    cid, w.cents[c] / 100, dash_rev.get(cid), once_rev.get(cid)))
        print("soak: revenue of %d campaigns: %d agree three ways" % (NCAMP, NCAMP - len(wrong)))
        for l in wrong:
            print("soak:   " + l)
        if wrong:
            bad = 1
            print(text)
        print("soak: %s" % ("FAIL" if bad else "all counts agree"))
        return bad
    finally:
        tmux("kill-server")
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
