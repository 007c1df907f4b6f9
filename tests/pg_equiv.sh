#!/bin/sh
# pg_equiv.sh — run beside a throwaway server (tests/pg_server.sh): load
# sample_data/ into typed PostgreSQL tables and check that cxtop --once
# --format json reads the same numbers from the database as from the CSV
# files, for every window (the "rows" block names the sources, which
# differ by design, and is left out of the comparison). Rows come through
# the same record validation, so every figure must be equal.
set -eu
cd "$(dirname "$0")/.."
bin=./cxtop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE events (id bigserial, "timestamp" timestamptz, customer_id text, campaign_id text,
                     event text, value numeric, machine boolean);
CREATE TABLE responses (id bigserial, "timestamp" timestamptz, customer_id text, survey text,
                        score integer, campaign_id text, segment text, comment text);
CREATE TABLE customers (customer_id text, signup_date date, churn_date date, segment text,
                        opted_in text, monthly_revenue numeric);
CREATE TABLE campaigns (campaign_id text, name text, channel text, start_date date,
                        spend numeric);
CREATE SCHEMA brand;
CREATE TABLE brand.awareness (date date, campaign_id text, impressions numeric, reach numeric,
                              aware numeric, asked numeric);
SQL
for t in events responses; do
	psql -q -v ON_ERROR_STOP=1 -c "\\copy $t (\"timestamp\", $(head -1 sample_data/$t.csv | cut -d, -f2-)) from 'sample_data/$t.csv' csv header" >/dev/null
done
for t in customers campaigns; do
	psql -q -v ON_ERROR_STOP=1 -c "\\copy $t from 'sample_data/$t.csv' csv header" >/dev/null
done
psql -q -v ON_ERROR_STOP=1 -c "\\copy brand.awareness from 'sample_data/awareness.csv' csv header" >/dev/null
cat >"$tmp/pg.ini" <<INI
[database:sample]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = sample
table = events
key = id
[responses]
database = sample
query = SELECT "timestamp", customer_id, survey, score, campaign_id, segment, comment FROM responses ORDER BY id
[customers]
database = sample
table = customers
[campaigns]
database = sample
table = campaigns
[awareness]
database = sample
table = brand.awareness
INI
fail=0
for w in 7d 30d 90d all; do
	$bin --once --format json -w $w sample_data >"$tmp/csv.json"
	$bin --once --format json -w $w -c "$tmp/pg.ini" >"$tmp/pg.json" || {
		echo "pg_equiv: cxtop --once -c pg.ini -w $w exited $?"; fail=1; continue; }
	if ! python3 - "$tmp/csv.json" "$tmp/pg.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ra, rb = a.pop("rows"), b.pop("rows")
for k in ra:
    for f in ("read", "rejected", "no_answer", "unknown_events"):
        if ra[k][f] != rb[k][f]:
            sys.exit("rows of %s: %s %s from the files, %s from the database" % (k, f, ra[k][f], rb[k][f]))
if a != b:
    for k in a:
        if a[k] != b.get(k):
            sys.exit("%s differs: files %s... database %s..." % (k, str(a[k])[:200], str(b.get(k))[:200]))
    sys.exit("the JSON differs")
PY
	then
		echo "pg_equiv: window $w: the database gives other numbers than the files"
		fail=1
	fi
done
# the dashboard reads them too, its sockets in the main loop's poll set:
# the Sources screen shows each database source read, with its rows
if command -v tmux >/dev/null; then
	sock=cxtop-pg-$$
	rows=$(python3 -c 'import json,sys; print(format(json.load(open(sys.argv[1]))["rows"]["events"]["read"], ","))' "$tmp/pg.json")
	tmux -L $sock new-session -d -s pg -x 100 -y 30 "env LANG=C.UTF-8 $bin -c $tmp/pg.ini"
	ok=0
	for i in $(seq 1 50); do
		tmux -L $sock send-keys -t pg 6
		if tmux -L $sock capture-pane -p -t pg | grep -q "events@sample .* read *$rows"; then
			ok=1
			break
		fi
		sleep 0.1
	done
	tmux -L $sock send-keys -t pg q
	tmux -L $sock kill-server 2>/dev/null || true
	if [ $ok = 0 ]; then
		echo "pg_equiv: the dashboard's Sources screen does not show events@sample read, $rows rows"
		fail=1
	fi
fi
[ $fail = 0 ] && echo "  PASS    pg_equiv: sample_data from PostgreSQL = from the files, 7d 30d 90d all; the dashboard reads it"
exit $fail
