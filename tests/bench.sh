#!/bin/sh
# bench.sh — driver of `make bench` and `make bench-smoke`: makes sure the
# peers (gawk, sqlite3) are installed, generates the data sets with
# build/gen_sample (reused when their stamp says the same parameters and the
# same generator), then runs build/bench, which prints the one table.
#
#   sh tests/bench.sh          full sizes: 1M and 5M events, 10,000 campaigns,
#                              and 10M events for the cold read against DuckDB
#                              (tests/bench_cold.py), and restarts of the 5M
#                              data from its state (tests/bench_state.py)
#   sh tests/bench.sh --smoke  tiny sizes, one run each, no verdicts (CI)
#
# Environment: BENCH_DIR (default build/bench) holds the data and the work
# copies; BENCH_RUNS / BENCH_RUNS_BIG override the number of runs.
set -eu

mode=full
if [ "${1:-}" = "--smoke" ]; then
	mode=smoke
fi
dir=${BENCH_DIR:-build/bench}
gen=build/gen_sample
mkdir -p "$dir"

# ---- peers ---------------------------------------------------------------
missing=""
command -v gawk >/dev/null 2>&1 || missing="$missing gawk"
command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
	echo "bench: installing missing Debian packages:$missing (with ${SUDO:-apt-get as root})"
	if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null; }; then
		if [ "$mode" = full ]; then
			echo "bench: could not install:$missing — install them and run make bench again" >&2
			exit 1
		fi
		echo "bench: could not install:$missing — their rows are skipped" >&2
	fi
fi

# ---- data ----------------------------------------------------------------
# The stamp holds the parameters and a checksum of the generator: a data set
# is generated again only when either changed (or a file is missing).
gensum=$(cksum <tests/gen_sample.c | cut -d' ' -f1)
dataset() { # NAME EVENTS CUSTOMERS CAMPAIGNS
	d="$dir/$1"
	want="events=$2 customers=$3 campaigns=$4 seed=20261120 gen=$gensum"
	if [ -f "$d/.stamp" ] && [ "$(cat "$d/.stamp")" = "$want" ] &&
		[ -f "$d/events.csv" ] && [ -f "$d/responses.csv" ] &&
		[ -f "$d/customers.csv" ] && [ -f "$d/campaigns.csv" ]; then
		return 0
	fi
	echo "bench: generating $d ($2 events, $3 customers, $4 campaigns)" >&2
	rm -rf "$d"
	"$gen" --events "$2" --customers "$3" --campaigns "$4" --seed 20261120 "$d" >/dev/null
	echo "$want" >"$d/.stamp"
}

if [ "$mode" = full ]; then
	dataset ev1m 1000000 200000 500
	dataset ev5m 5000000 200000 500
	dataset draw10k 200000 20000 10000
	build/bench/bench --runs "${BENCH_RUNS:-5}" --runs-big "${BENCH_RUNS_BIG:-5}" \
		--frames 200 --work "$dir/work" --cxtop ./cxtop \
		"$dir/ev1m" "$dir/ev5m" "$dir/draw10k" sample_data
	# the cold read of 10M rows against DuckDB, gawk and the floor (issue 13)
	dataset ev10m 10000000 200000 200
	python3 tests/bench_cold.py "$dir/ev10m"
	# a restart from the state of the 5M-row data (issue 14)
	python3 tests/bench_state.py "$dir/ev5m"
	# the warehouse figures, beside a throwaway PostgreSQL server
	exec sh tests/pg_server.sh sh tests/bench_pg.sh "$dir/ev1m" "$dir/ev5m"
else
	# gen_sample needs at least 3,000 customers
	dataset smoke-ev1 20000 3000 50
	dataset smoke-ev2 40000 3000 50
	dataset smoke-draw 20000 3000 500
	exec build/bench/bench --smoke --runs "${BENCH_RUNS:-1}" --runs-big "${BENCH_RUNS_BIG:-1}" \
		--frames 20 --work "$dir/smoke-work" --cxtop ./cxtop \
		"$dir/smoke-ev1" "$dir/smoke-ev2" "$dir/smoke-draw" sample_data
fi
