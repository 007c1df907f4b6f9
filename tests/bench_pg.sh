#!/bin/sh
# bench_pg.sh DATASET... — the warehouse part of `make bench` (SPEC 8),
# run beside a throwaway server (tests/pg_server.sh): each dataset's
# events.csv is loaded into a table with an id and an xid8 column, then,
# in one run, with ratios of figures measured side by side:
#   raw rows     psql \copy (SELECT * FROM events) TO STDOUT: bytes, wall
#   pushdown off cxtop --once reading every row: bytes received, wall
#   pushdown on  cxtop --once with the engine aggregating: bytes, wall
# "bytes" are counted as the protocol sends rows (bench_pg bytes: the
# pushdown's two statements run again, and SELECT * of the table; a
# socket's bytes are not in /proc/PID/io). Targets (issue 12): the
# pushdown transfers <= 25 % of the raw rows' bytes, and its wall time to
# the report is <= 1.5x the \copy of the raw events (each the best of
# three runs, taken in turn); both cxtop runs give
# the same numbers. Then bench_pg: the longest loop turn (a step of
# reading and, every refresh_ms, a view) while the rows stream in raw and
# while the pushdown's rows do (target <= 50 ms), and 1,000 inserted rows counted and a
# view built <= poll_ms + 100 ms after their commit.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '\n%s\n' "Warehouse (PostgreSQL on a unix socket, same run)"
printf '%-34s %12s %10s %9s %s\n' "" "bytes" "wall s" "ratio" "target"
best() { python3 -c "import sys; print('%.3f' % min(float(sys.argv[1]), float(sys.argv[2])))" "$1" "$2"; }
verdict() { python3 -c "import sys; print('ok' if float(sys.argv[1]) <= float(sys.argv[2]) else 'MISS')" "$1" "$2"; }
# run CMD...: wall seconds (and bytes read from files), as "WALL BYTES"
run() {
	python3 - "$@" <<'PY'
import os, subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=open(os.environ.get("OUT", "/dev/null"), "w"))
os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
wall = time.monotonic() - t
rchar = next(int(l.split()[1]) for l in open("/proc/%d/io" % p.pid) if l.startswith("rchar"))
p.wait()
print("%.3f %d" % (wall, rchar))
PY
}
for d in "$@"; do
	name=$(basename "$d")
	psql -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS events" -c "CREATE TABLE events (id bigserial PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(), \"timestamp\" timestamptz, customer_id text, campaign_id text, event text, value numeric, machine boolean)" >/dev/null 2>&1
	psql -q -v ON_ERROR_STOP=1 -c "\\copy events (\"timestamp\", $(head -1 "$d/events.csv" | cut -d, -f2-)) from '$d/events.csv' csv header" >/dev/null
	# the index the README asks for: a live read is a range of it, not
	# a scan of the table (at 5M rows a scan took 100-200 ms a poll)
	psql -q -c "CREATE INDEX ON events (xid)" >/dev/null
	psql -q -c "VACUUM ANALYZE events" >/dev/null
	rows=$(psql -Atc "SELECT count(*) FROM events")
	for mode in off on; do
		printf '[database:b]\ndsn = host=%s dbname=%s user=%s\n[events]\ndatabase = b\ntable = events\nkey = id\npushdown = %s\npoll_ms = 200\n' \
			"$PGHOST" "$PGDATABASE" "$PGUSER" $mode >"$tmp/$mode.ini"
	done
	# warm the cache, then measure each the best of three, in turn (the
	# machine is shared: one run alone can be a third slower)
	psql -q -c "\\copy (SELECT * FROM events) TO STDOUT" >/dev/null
	raw_wall=99999 off_wall=99999 on_wall=99999
	for i in 1 2 3; do
		set -- $(run psql -q -c "\\copy (SELECT * FROM events) TO STDOUT")
		raw_wall=$(best $raw_wall $1)
		set -- $(OUT=$tmp/off.json run ./cxtop --no-state --once --format json -w all -c "$tmp/off.ini")
		off_wall=$(best $off_wall $1)
		set -- $(OUT=$tmp/on.json run ./cxtop --no-state --once --format json -w all -c "$tmp/on.ini")
		on_wall=$(best $on_wall $1)
	done
	build/bench/bench_pg bytes "$tmp/on.ini" events >"$tmp/bytes"
	raw_bytes=$(sed -n 's/^raw_bytes //p' "$tmp/bytes")
	on_bytes=$(sed -n 's/^push_bytes //p' "$tmp/bytes")
	off_bytes=$raw_bytes
	same=$(python3 - "$tmp/off.json" "$tmp/on.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print("same numbers" if a == b else "DIFFERENT NUMBERS")
PY
)
	echo "$name: $rows event rows; pushdown on and off: $same"
	r1=$(python3 -c "print('%.3f' % ($on_bytes / $raw_bytes))")
	r2=$(python3 -c "print('%.2f' % ($on_wall / $raw_wall))")
	r3=$(python3 -c "print('%.2f' % ($off_wall / $raw_wall))")
	printf '%-34s %12s %10s %9s %s\n' "  psql \\copy of the raw rows" "$raw_bytes" "$raw_wall" "1" ""
	printf '%-34s %12s %10s %9s %s\n' "  cxtop --once, raw rows" "$off_bytes" "$off_wall" "${r3}x" ""
	printf '%-34s %12s %10s %9s %s\n' "  cxtop --once, pushdown: bytes" "$on_bytes" "" "$r1" "<= 0.25 $(verdict $r1 0.25)"
	printf '%-34s %12s %10s %9s %s\n' "  cxtop --once, pushdown: wall" "" "$on_wall" "${r2}x" "<= 1.5x $(verdict $r2 1.5)"
	# a turn: a step of reading, and the view built every refresh_ms as
	# the dashboard builds it while rows arrive
	for mode in off on; do
		build/bench/bench_pg turns "$tmp/$mode.ini" >"$tmp/turns"
		longest=$(sed -n 's/^longest_ms //p' "$tmp/turns")
		what="raw stream"
		[ $mode = on ] && what="pushdown"
		printf '%-34s %12s %10s %9s %s\n' "  longest loop turn, $what" "view $(sed -n 's/^longest_view_ms //p' "$tmp/turns") ms" "${longest} ms" "p99 $(sed -n 's/^p99_ms //p' "$tmp/turns")" "<= 50 ms $(verdict $longest 50)"
	done
	build/bench/bench_pg live "$tmp/on.ini" events >"$tmp/live"
	live=$(sed -n 's/^live_ms //p' "$tmp/live")
	printf '%-34s %12s %10s %9s %s\n' "  1,000 rows: commit to view" "" "${live} ms" "" "<= poll_ms + 100 = 300 ms $(verdict $live 300)"
	printf '%-34s %12s %10s\n' "    of which: rows read" "" "$(sed -n 's/^read_ms //p' "$tmp/live") ms"
	printf '%-34s %12s %10s\n' "    of which: view built" "" "$(sed -n 's/^view_ms //p' "$tmp/live") ms"
done
