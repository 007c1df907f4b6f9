#!/bin/sh
# pg_equiv.sh — run beside a throwaway server (tests/pg_server.sh): load
# data into typed PostgreSQL tables and check that cxtop --once --format
# json reads the same numbers from the database as from the CSV files, for
# every window, with the events read as raw rows (pushdown = off) and
# aggregated by the engine (pushdown = on): sample_data, two generated
# datasets of other seeds, and a table of hostile rows (text columns with
# blank ids, unknown and oddly written words, values and flags SQL must not
# guess at, times out of range) where the two reads must also agree on
# every rejection and its reason. The "rows" block names the sources, which
# differ by design, so only its counts are compared with the files.
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
load() {
	for t in events responses; do
		psql -q -v ON_ERROR_STOP=1 -c "\\copy $t (\"timestamp\", $(head -1 $1/$t.csv | cut -d, -f2-)) from '$1/$t.csv' csv header" >/dev/null
	done
	for t in customers campaigns; do
		psql -q -v ON_ERROR_STOP=1 -c "\\copy $t from '$1/$t.csv' csv header" >/dev/null
	done
	psql -q -v ON_ERROR_STOP=1 -c "\\copy brand.awareness from '$1/awareness.csv' csv header" >/dev/null
}
load sample_data
# same(A B [rows|all]): the two JSON reports agree; "rows" compares the
# rows block's counts only (files against a database), "all" everything
same() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if sys.argv[3] == "rows":
    ra, rb = a.pop("rows"), b.pop("rows")
    for k in ra:
        for f in ("read", "rejected", "no_answer", "unknown_events"):
            if ra[k][f] != rb[k][f]:
                sys.exit("rows of %s: %s %s in one, %s in the other" % (k, f, ra[k][f], rb[k][f]))
    for k in ("rejections", "unknown_events", "unmapped_labels"):
        a.pop(k, None), b.pop(k, None)
if a != b:
    for k in a:
        if a[k] != b.get(k):
            sys.exit("%s differs: %s... against %s..." % (k, str(a[k])[:300], str(b.get(k))[:300]))
    sys.exit("the JSON differs")
PY
}
fail=0
# windows NAME CSV OFF ON W...: for each window, the files (CSV: a data
# directory, or -c INI) and the database read as raw rows (OFF) and pushed
# down (ON) give the same numbers, and the two database reads the same
# report
windows() {
	name=$1 csv=$2 off=$3 on=$4
	shift 4
	for w in "$@"; do
		$bin --once --format json -w $w $csv >"$tmp/csv.json"
		for mode in off on; do
			ini=$off
			[ $mode = on ] && ini=$on
			$bin --once --format json -w $w -c "$ini" >"$tmp/$mode.json" || {
				echo "pg_equiv: $name: cxtop --once -w $w, pushdown $mode, exited $?"; fail=1; continue; }
			same "$tmp/csv.json" "$tmp/$mode.json" rows || {
				echo "pg_equiv: $name: window $w, pushdown $mode: the database gives other numbers than the files"
				fail=1; }
		done
		same "$tmp/off.json" "$tmp/on.json" all || {
			echo "pg_equiv: $name: window $w: pushdown on and off disagree"; fail=1; }
	done
}
# check NAME CSVDIR INI: the files and the database, both pushdown modes
check() {
	sed 's/^key = id$/key = id\npushdown = off/' "$3" >"$tmp/off.ini"
	sed 's/^key = id$/key = id\npushdown = on/' "$3" >"$tmp/on.ini"
	windows "$1" "$2" "$tmp/off.ini" "$tmp/on.ini" 7d 30d 90d all
	$bin --once -c "$tmp/on.ini" | grep -q "^  events .*, pushdown on$" || {
		echo "pg_equiv: $1: --once does not say the events were pushed down"; fail=1; }
}
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
check sample_data sample_data "$tmp/pg.ini"
# generated datasets of other seeds: the same tables, reloaded
for seed in 7 1234; do
	build/gen_sample --events 30000 --customers 3000 --campaigns 25 --seed $seed "$tmp/gen" >/dev/null
	psql -q -v ON_ERROR_STOP=1 -c "TRUNCATE events, responses, customers, campaigns, brand.awareness" >/dev/null
	load "$tmp/gen"
	check "seed $seed" "$tmp/gen" "$tmp/pg.ini"
done
cp "$tmp/on.json" "$tmp/last.json" # what the events table holds now, all time
# hostile rows: text columns, so that SQL sees what a CSV file would hold;
# the pushdown aggregates only the rows it can vouch for and sends the
# rest, and both reads name the same rejections by key
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE hostile (id bigserial, ts timestamptz, customer_id text, campaign_id text,
                      event text, value text, machine text);
INSERT INTO hostile (ts, customer_id, campaign_id, event, value, machine) VALUES
 ('2026-05-01 10:00:00.75+00', 'c1', 'k1', 'sent', NULL, NULL),
 ('2026-05-01 10:00:01+00', 'c1', 'k1', 'Delivered ', '', 'no'),
 ('2026-05-01 10:00:02+00', 'c1', 'k1', E'\t OPEN', NULL, 'YES'),
 ('2026-05-01 10:00:02+00', 'c2', 'k1', 'open', NULL, ' yes'),
 ('2026-05-01 10:00:02+00', 'c2', 'k1', 'open', NULL, 'maybe'),
 ('2026-05-01 10:00:02+00', 'c2', 'k1', 'machine_open', NULL, 'f'),
 ('2026-05-01 10:00:03+00', '  ', 'k1', 'click', NULL, NULL),
 ('2026-05-01 10:00:03+00', NULL, 'k1', 'click', NULL, NULL),
 ('2026-05-01 10:00:03+00', 'c3', NULL, 'click', NULL, NULL),
 ('2026-05-01 10:00:03+00', 'c3', '', 'conversion', '12.5', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'conversion', '12.34567', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'conversion', '12,5', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'conversion', 'abc', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'conversion', ' 7 ', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'Purchase', '-3.5', NULL),
 ('2026-05-01 10:00:03+00', 'c3', 'k2', 'conversion', '99999999999999999999', NULL),
 ('2026-05-01 10:00:03+00', 'c4', 'k2', 'pageview', NULL, NULL),
 ('2026-05-01 10:00:03+00', 'c4', 'k2', 'PageView', NULL, NULL),
 ('2026-05-01 10:00:03+00', 'c4', 'k2', NULL, NULL, NULL),
 ('2026-05-01 10:00:03+00', 'c4', 'k2', '', NULL, NULL),
 (NULL, 'c4', 'k2', 'click', NULL, NULL),
 ('1960-01-01 00:00:00+00', 'c4', 'k2', 'click', NULL, NULL),
 ('2300-01-01 00:00:00+00', 'c4', 'k2', 'click', NULL, NULL),
 ('2026-05-02 00:00:00+00', 'c5', 'k2', 'unsubscribe', NULL, NULL),
 ('2026-05-03 00:00:00+00', 'c5', 'k2', 'bounce', NULL, NULL),
 ('2026-05-03 00:00:00+00', 'c5', 'k2', 'sent', NULL, NULL),
 ('2026-05-03 00:00:00+00', 'c6', '', 'survey_sent', NULL, NULL),
 ('2026-05-04 00:00:00+00', 'c6', 'k3', 'survey_sent', NULL, NULL),
 ('2026-05-04 00:00:00+00', 'c6', 'k3', 'complaint', NULL, NULL),
 ('2026-05-04 00:00:00+00', E'c\u00e9', E'k\u00e9', 'click', NULL, NULL),
 ('2026-05-04 00:00:00+00', 'c7', E'k\u001b[31m', 'Klick', NULL, NULL);
SQL
cat >"$tmp/hostile.ini" <<INI
[database:sample]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = sample
table = hostile
key = id
col.timestamp = ts
event.click = klick
INI
sed 's/^key = id$/key = id\npushdown = off/' "$tmp/hostile.ini" >"$tmp/off.ini"
for w in 7d all; do
	$bin --once --format json -w $w -c "$tmp/off.ini" >"$tmp/off.json"
	$bin --once --format json -w $w -c "$tmp/hostile.ini" >"$tmp/on.json"
	same "$tmp/off.json" "$tmp/on.json" all || {
		echo "pg_equiv: hostile rows, window $w: pushdown on and off disagree"; fail=1; }
done
$bin --once -c "$tmp/hostile.ini" >"$tmp/hostile.txt"
# 31 rows: 11 rejected (a flag "maybe", two blank ids, three values, two
# blank words, a missing time, two years out of range), two unknown words
# as written ("pageview", "PageView"), 18 read
$bin --once --format json -c "$tmp/hostile.ini" >"$tmp/on.json"
grep -qF '"key": 5, "reason": "machine \"maybe\": not yes/no"' "$tmp/on.json" || {
	echo "pg_equiv: hostile rows: key 5's flag \"maybe\" is not the oldest rejection"; fail=1; }
for want in "events  *18 rows, 11 rejected, read, pushdown on" \
	    "events@sample: key 12: value \"12,5\": not a number" \
	    "unknown event word \"PageView\" x1 (first at events@sample: key 18)"; do
	grep -q "$want" "$tmp/hostile.txt" || {
		echo "pg_equiv: hostile rows: --once does not say: $want"; cat "$tmp/hostile.txt"; fail=1; }
done
# a SQL_ASCII database lets any bytes in: invalid UTF-8 in an id is the
# CSV path's rejection, an escape sequence in a campaign id never reaches
# the terminal raw, the pushdown steps aside (the encoding is not UTF8),
# and a 50 MB comment is read like any other
psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE rawbytes ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
PGDATABASE=rawbytes psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE events (id bigserial, "timestamp" timestamptz, customer_id text, campaign_id text, event text);
INSERT INTO events ("timestamp", customer_id, campaign_id, event) VALUES
  ('2026-05-01 10:00+00', E'c\xff1', 'k', 'open'),
  ('2026-05-01 10:00+00', 'c2', E'k\x1b[2J', 'delivered'),
  ('2026-05-01 10:00+00', 'c3', 'k', 'delivered');
CREATE TABLE responses (id bigserial, "timestamp" timestamptz, customer_id text, survey text,
                        score integer, comment text);
INSERT INTO responses ("timestamp", customer_id, survey, score, comment) VALUES
  ('2026-05-01 11:00+00', 'c3', 'nps', 9, repeat('long ', 10 * 1024 * 1024));
SQL
cat >"$tmp/raw.ini" <<INI
[database:raw]
dsn = host=$PGHOST dbname=rawbytes user=$PGUSER
[events]
database = raw
table = events
key = id
[responses]
database = raw
table = responses
key = id
INI
st=0
$bin --once -w all -c "$tmp/raw.ini" >"$tmp/raw.txt" 2>&1 || st=$?
for want in "events  *2 rows, 1 rejected, read, pushdown off: the database's encoding is not UTF8" \
	    "events@raw: key 1: customer_id: invalid UTF-8" "responses  *1 rows, 0 rejected, read" \
	    "NPS (window): n = 1"; do
	grep -q "$want" "$tmp/raw.txt" || {
		echo "pg_equiv: SQL_ASCII bytes: --once does not say: $want"; fail=1; }
done
$bin --once --format csv -w all -c "$tmp/raw.ini" >"$tmp/raw.csv" 2>&1 || st=$?
grep -qF 'k\x1b[2J,' "$tmp/raw.csv" || {
	echo "pg_equiv: SQL_ASCII bytes: the CSV does not name campaign k\\x1b[2J"; fail=1; }
if [ $st != 0 ] || LC_ALL=C grep -q "$(printf '\033')" "$tmp/raw.txt" "$tmp/raw.csv"; then
	echo "pg_equiv: SQL_ASCII bytes: exit $st, or an escape byte reached the report"; fail=1
fi
# the dashboard reads them too, its sockets in the main loop's poll set:
# the Sources screen shows each database source read, with its rows
if command -v tmux >/dev/null; then
	sock=cxtop-pg-$$
	rows=$(python3 -c 'import json,sys; print(format(json.load(open(sys.argv[1]))["rows"]["events"]["read"], ","))' "$tmp/last.json")
	tmux -L $sock new-session -d -s pg -x 150 -y 30 "env LANG=C.UTF-8 $bin -c $tmp/pg.ini"
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
# real exports (sample_data/realdata), loaded as a warehouse would hold
# them: every column text but the time (timestamp without a zone, UTC) and
# where there is one the value (numeric) and the machine flag (boolean); the
# [events] section of the real config, with database and table for path.
# HubSpot writes its words in upper case (OPEN), Klaviyo in title case
# (Received Email): the pushdown must take both, and agree with the files.
# real NAME INI CSV PUSH TYPED...: TYPED is column:type
real() {
	name=$1 ini=$2 csv=$3 push=$4
	shift 4
	cols=$(head -1 "$csv" | tr -d '\r' | python3 -c "import sys; print(', '.join('\"%s\" text' % c for c in sys.stdin.read().strip().split(',')))")
	psql -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS real_$name" -c "CREATE TABLE real_$name ($cols)" \
		-c "\\copy real_$name from '$csv' csv header" >/dev/null
	# a surrogate key, as a warehouse table has one: it names a row alike
	# however it was read (without one a row is named by its place in the
	# read, which the pushdown's rest does not share)
	psql -q -c "ALTER TABLE real_$name ADD COLUMN row_id bigserial" >/dev/null
	for ct in "$@"; do
		psql -q -v ON_ERROR_STOP=1 -c "ALTER TABLE real_$name ALTER COLUMN \"${ct%%:*}\" TYPE ${ct#*:} USING nullif(\"${ct%%:*}\", '')::${ct#*:}" >/dev/null
	done
	# the [events] section, without its path
	sed -n '/^\[events\]/,/^\[/p' "$ini" | grep -v '^\[\|^path\|^;' >"$tmp/real.keys"
	{ printf '[events]\npath = %s\n' "$(pwd)/$csv"; cat "$tmp/real.keys"; } >"$tmp/real_csv.ini"
	for mode in off on; do
		{ printf '[database:s]\ndsn = host=%s dbname=%s user=%s\n[events]\ndatabase = s\ntable = real_%s\nkey = row_id\npushdown = %s\n' \
			"$PGHOST" "$PGDATABASE" "$PGUSER" "$name" "$mode"; cat "$tmp/real.keys"; } >"$tmp/real_$mode.ini"
	done
	windows "$name" "-c $tmp/real_csv.ini" "$tmp/real_off.ini" "$tmp/real_on.ini" 30d all
	$bin --once -c "$tmp/real_on.ini" | grep -q "^  events .*, pushdown $push" || {
		echo "pg_equiv: $name: --once does not say pushdown $push:"; $bin --once -c "$tmp/real_on.ini" | grep "^  events"; fail=1; }
}
r=sample_data/realdata
real hubspot $r/hubspot.ini $r/hubspot_email_event_fivetran.csv on created:timestamp filtered_event:boolean
real klaviyo $r/klaviyo.ini $r/klaviyo_event_fivetran.csv on datetime:timestamp property_value:numeric
real mailchimp $r/mailchimp.ini $r/fivetran_mailchimp_campaign_recipient_activity.csv on timestamp:timestamp
[ $fail = 0 ] && echo "  PASS    pg_equiv: PostgreSQL = the files, raw rows and pushdown, 7d 30d 90d all: sample_data, 2 generated datasets, the HubSpot, Klaviyo and Mailchimp exports; hostile rows named alike; SQL_ASCII bytes and a 50 MB comment; the dashboard reads it"
exit $fail
