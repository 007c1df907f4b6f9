#!/bin/sh
# pg_state.sh — run beside a throwaway server (tests/pg_server.sh): a
# database source taken up from the state of an earlier run (issue 14).
# A table read live past its xid horizon goes on from there: rows inserted
# between two --once runs are read once (the run from the state equals a
# run without one); a table truncated or rebuilt since is read again (its
# signature differs); a table watched by a hash of its rows (customers,
# no xid8 column) changed since is read again too; with the xid horizon
# (pushdown on and off) and with an id and a timestamp cursor (their marks
# kept).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/xdg"
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DROP TABLE IF EXISTS st_events, st_customers;
CREATE TABLE st_customers (customer_id text, signup_date date, churn_date date);
INSERT INTO st_customers VALUES ('c1', '2026-01-01', NULL), ('c2', '2026-02-01', NULL);
CREATE TABLE st_events (id bigserial, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                        "timestamp" timestamptz, customer_id text, campaign_id text,
                        event text, value numeric);
INSERT INTO st_events ("timestamp", customer_id, campaign_id, event, value)
  SELECT timestamptz '2026-11-01' + g * interval '1 minute', 'c' || (g % 50), 'k' || (g % 4),
         (ARRAY['sent','delivered','open','click','conversion'])[1 + g % 5],
         CASE WHEN g % 5 = 4 THEN 19.5 END
  FROM generate_series(1, 5000) g;
SQL
fail=0
n=0
for push in on off id ts; do
	case $push in
	id) cursor='cursor = id
key = id
lag = 2s' ;;
	ts) cursor='cursor = timestamp
key = id
cursor.timestamp = timestamp
lag = 2s' ;;
	*) cursor="pushdown = $push" ;;
	esac
	cat >"$tmp/$push.ini" <<INI
[database:s]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = s
table = st_events
$cursor
[customers]
database = s
table = st_customers
INI
	# same NAME WANT_ERR: the run from the state equals --no-state's
	same() {
		./cxtop -c "$tmp/$push.ini" --once --format json -w all >"$tmp/a.json" 2>"$tmp/a.err"
		./cxtop -c "$tmp/$push.ini" --no-state --once --format json -w all >"$tmp/b.json" 2>/dev/null
		n=$((n + 1))
		if ! cmp -s "$tmp/a.json" "$tmp/b.json"; then
			echo "  FAIL    pg_state: $push, $1: the run from the state differs"
			diff "$tmp/a.json" "$tmp/b.json" | head -6 | sed 's/^/    | /'
			fail=1
		fi
		[ ! -s "$tmp/a.err" ] || { echo "  FAIL    pg_state: $1: $(cat "$tmp/a.err")"; fail=1; }
	}
	rm -rf "$XDG_STATE_HOME"
	same "first run"
	ls "$XDG_STATE_HOME"/cxtop/*.state >/dev/null 2>&1 || { echo "  FAIL    pg_state: no state written"; fail=1; }
	same "unchanged"
	# (later than every row: a timestamp cursor reads what is newer than
	# its mark less lag, as it would live)
	psql -q -c "INSERT INTO st_events (\"timestamp\", customer_id, campaign_id, event) VALUES
	  ('2026-11-25', 'c7', 'k1', 'click'), ('2026-11-25', 'c8', 'k9', 'open')" >/dev/null
	same "2 rows inserted"
	rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"]["events"]["read"])' "$tmp/a.json")
	psql -q -c "INSERT INTO st_events (\"timestamp\", customer_id, campaign_id, event) VALUES ('2026-11-26', 'c9', 'k1', 'click')" >/dev/null
	same "1 row more"
	now=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"]["events"]["read"])' "$tmp/a.json")
	[ "$now" = $((rows + 1)) ] || { echo "  FAIL    pg_state: 1 row inserted, rows $rows -> $now"; fail=1; }
	psql -q -c "UPDATE st_customers SET churn_date = '2026-11-15' WHERE customer_id = 'c1'" >/dev/null
	same "customers changed"
	psql -q -c "TRUNCATE st_events; INSERT INTO st_events (\"timestamp\", customer_id, campaign_id, event) VALUES ('2026-11-22', 'c1', 'k1', 'open')" >/dev/null
	same "truncated and refilled"
	# put the rows back for the other pushdown
	psql -q -v ON_ERROR_STOP=1 -c "INSERT INTO st_events (\"timestamp\", customer_id, campaign_id, event)
	  SELECT timestamptz '2026-11-01' + g * interval '1 minute', 'c' || (g % 50), 'k' || (g % 4), 'delivered'
	  FROM generate_series(1, 3000) g" >/dev/null
done
psql -q -c "DROP TABLE st_events, st_customers" >/dev/null
[ $fail = 0 ] || exit 1
echo "  PASS    pg_state: $n runs from the state equal --no-state (the xid horizon with pushdown on and off, cursor = id, cursor = timestamp: unchanged, rows inserted and read once, a customers table changed, a table truncated and refilled)"
