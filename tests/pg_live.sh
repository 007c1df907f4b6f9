#!/bin/sh
# pg_live.sh — run beside a throwaway server (tests/pg_server.sh): a table
# with an xid8 column is read live past the xid horizon, exactly once,
# whatever the commit order. Writer A inserts in a transaction that stays
# open for 3 s; writer B inserts after it and commits at once. An id
# watermark would take B's later id and then lose A's row for good
# (warehouse.md, section 2); here B's row waits below the horizon until A
# ends, then both count, once. Observed on the dashboard's Sources screen.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
sock=cxtop-pglive-$$
cleanup() { tmux -L $sock kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
command -v tmux >/dev/null || { echo "  SKIP    pg_live: no tmux"; exit 0; }
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE live_customers (customer_id text, signup_date date, churn_date date);
INSERT INTO live_customers VALUES ('c1', '2026-01-01', NULL), ('c2', '2026-02-01', NULL);
CREATE TABLE live_events (id bigserial, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                          "timestamp" timestamptz DEFAULT now(), customer_id text,
                          campaign_id text, event text);
INSERT INTO live_events (customer_id, campaign_id, event) VALUES
  ('c1', 'k', 'delivered'), ('c2', 'k', 'delivered'), ('c3', 'k', 'open');
SQL
cat >"$tmp/live.ini" <<INI
[database:s]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = s
table = live_events
poll_ms = 100
[customers]
database = s
table = live_customers
poll_ms = 100
INI
tmux -L $sock new-session -d -s live -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/live.ini"
rows_are() { # N [SOURCE STATE]: Sources shows the source with N rows, within 5 s
	for i in $(seq 1 50); do
		tmux -L $sock send-keys -t live 6
		tmux -L $sock capture-pane -p -t live | grep -q "${2:-events}@s .* ${3:-live} *$1 " &&
			return 0
		sleep 0.1
	done
	echo "pg_live: want $1 rows of ${2:-events} on Sources:"
	tmux -L $sock capture-pane -p -t live | sed -n 3,6p
	return 1
}
fail=0
rows_are 3 || fail=1
psql -q -c "BEGIN; INSERT INTO live_events (customer_id, campaign_id, event) VALUES ('a', 'k', 'click'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
writer=$!
sleep 0.5
psql -q -c "INSERT INTO live_events (customer_id, campaign_id, event) VALUES ('b', 'k', 'click')" >/dev/null
sleep 1
# B committed, but below the horizon nothing is safe while A is open,
# and Sources says why the new rows wait
rows_are 3 || fail=1
# (once they have waited a second: a moment's wait is a busy server's
# normal; A stays open until 3 s)
says=0
for i in $(seq 1 12); do
	tmux -L $sock send-keys -t live 6
	tmux -L $sock capture-pane -p -t live | grep -q "new rows wait for a transaction open since [0-9][0-9]:[0-9][0-9]:[0-9][0-9]" && { says=1; break; }
	sleep 0.1
done
[ $says = 1 ] || {
	echo "pg_live: Sources does not say the rows wait for an open transaction:"
	tmux -L $sock capture-pane -p -t live | sed -n 3,6p; fail=1; }
wait $writer
rows_are 5 || fail=1
sleep 1
rows_are 5 || fail=1 # and no row twice
tmux -L $sock capture-pane -p -t live | grep -q "new rows wait" && {
	echo "pg_live: Sources still says the rows wait, after the transaction ended"; fail=1; }
# a snapshot table that changes is read again, whole; a log table that is
# truncated rebuilds its kind
rows_are 2 customers read || fail=1
psql -q -c "INSERT INTO live_customers VALUES ('c3', '2026-03-01', NULL)" >/dev/null
rows_are 3 customers read || fail=1
psql -q -c "TRUNCATE live_events" >/dev/null
rows_are 0 || fail=1
psql -q -c "INSERT INTO live_events (customer_id, campaign_id, event) VALUES ('d', 'k', 'open')" >/dev/null
rows_are 1 || fail=1
tmux -L $sock send-keys -t live q
# LISTEN: with poll_ms at a minute, a NOTIFY from a statement trigger
# brings the new row within a second or two
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE notified (xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                       "timestamp" timestamptz DEFAULT now(), customer_id text,
                       campaign_id text, event text);
CREATE FUNCTION notified_tell() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_notify('cxtop_events', ''); RETURN NULL; END $$;
CREATE TRIGGER notified_tell AFTER INSERT ON notified
  FOR EACH STATEMENT EXECUTE FUNCTION notified_tell();
INSERT INTO notified (customer_id, campaign_id, event) VALUES ('e1', 'k', 'open');
SQL
cat >"$tmp/listen.ini" <<INI
[database:s]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = s
table = notified
poll_ms = 60000
listen = cxtop_events
INI
tmux -L $sock new-session -d -s live -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/listen.ini"
rows_are 1 || fail=1
psql -q -c "INSERT INTO notified (customer_id, campaign_id, event) VALUES ('e2', 'k', 'click')" >/dev/null
rows_are 2 || fail=1
# 1,000 rows in one commit all arrive (how soon is make bench's figure)
psql -q -c "INSERT INTO notified (customer_id, campaign_id, event) SELECT 'm' || g, 'k', 'open' FROM generate_series(1, 1000) g" >/dev/null
rows_are 1,002 || fail=1
tmux -L $sock send-keys -t live q
# cursor = id (a table without xid8): a transaction that commits within
# lag of a later id is counted once when it commits; one that commits
# later than lag is lost, as the man page says of polling cursors
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE by_id (id bigserial PRIMARY KEY, "timestamp" timestamptz DEFAULT now(),
                    customer_id text, campaign_id text, event text);
INSERT INTO by_id (customer_id, campaign_id, event) VALUES
  ('c1', 'k', 'delivered'), ('c2', 'k', 'delivered'), ('c3', 'k', 'open');
SQL
for lag in 6s 1s; do
	cat >"$tmp/id.ini" <<INI
[database:s]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = s
table = by_id
key = id
cursor = id
lag = $lag
poll_ms = 100
INI
	n=$(psql -Atc "SELECT count(*) FROM by_id")
	tmux -L $sock new-session -d -s live -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/id.ini"
	rows_are $n || fail=1
	psql -q -c "BEGIN; INSERT INTO by_id (customer_id, campaign_id, event) VALUES ('a', 'k', 'click'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
	writer=$!
	sleep 0.5
	psql -q -c "INSERT INTO by_id (customer_id, campaign_id, event) VALUES ('b', 'k', 'click')" >/dev/null
	rows_are $((n + 1)) || fail=1 # B at once: an id cursor does not wait
	wait $writer
	# A's hole filled within lag; or A came 3 s after B with lag 1 s: lost
	if [ $lag = 6s ]; then want=$((n + 2)); else want=$((n + 1)); sleep 1; fi
	rows_are $want || fail=1
	sleep 1
	rows_are $want || fail=1 # and nothing twice
	tmux -L $sock send-keys -t live q
	sleep 0.3
done
# cursor = timestamp (the loader's time, here now(): the time its
# transaction began): A begins, B and (lag 1 s) C commit at once; A commits
# 3 s after its time, within lag 6 s (counted once) or after C moved the
# mark past it with lag 1 s (lost, as the man page says)
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE by_ts (id bigserial PRIMARY KEY, loaded_at timestamptz NOT NULL DEFAULT now(),
                    "timestamp" timestamptz DEFAULT now(), customer_id text, campaign_id text,
                    event text);
INSERT INTO by_ts (customer_id, campaign_id, event) VALUES
  ('c1', 'k', 'delivered'), ('c2', 'k', 'delivered'), ('c3', 'k', 'open');
SQL
for lag in 6s 1s; do
	cat >"$tmp/ts.ini" <<INI
[database:s]
dsn = host=$PGHOST dbname=$PGDATABASE user=$PGUSER
[events]
database = s
table = by_ts
key = id
cursor = timestamp
cursor.timestamp = loaded_at
lag = $lag
poll_ms = 100
INI
	n=$(psql -Atc "SELECT count(*) FROM by_ts")
	tmux -L $sock new-session -d -s live -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/ts.ini"
	rows_are $n || fail=1
	psql -q -c "BEGIN; INSERT INTO by_ts (customer_id, campaign_id, event) VALUES ('a', 'k', 'click'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
	writer=$!
	sleep 0.5
	psql -q -c "INSERT INTO by_ts (customer_id, campaign_id, event) VALUES ('b', 'k', 'click')" >/dev/null
	rows_are $((n + 1)) || fail=1
	if [ $lag = 1s ]; then
		sleep 1.5
		psql -q -c "INSERT INTO by_ts (customer_id, campaign_id, event) VALUES ('c', 'k', 'click')" >/dev/null
		rows_are $((n + 2)) || fail=1
	fi
	wait $writer
	want=$((n + 2))
	rows_are $want || fail=1
	sleep 1
	rows_are $want || fail=1 # and nothing twice
	tmux -L $sock capture-pane -p -t live | grep -q "cursor timestamp (loaded_at), lag ${lag%s} s" || {
		echo "  FAIL    pg_live: Sources does not say cursor timestamp (loaded_at), lag ${lag%s} s"; fail=1; }
	tmux -L $sock send-keys -t live q
	sleep 0.3
done
[ $fail = 0 ] && echo "  PASS    pg_live: rows past the xid horizon, a late commit counted once (Sources says the rows wait for it); a changed snapshot and a truncated log read again; a NOTIFY wakes the read, 1,000 rows arrive; cursor = id and cursor = timestamp count a commit within lag once and lose one beyond it"
exit $fail
