#!/bin/sh
# pg_fault.sh — run beside a throwaway server (tests/pg_server.sh, which
# names its start and stop scripts): failures of a database source are
# states, not crashes, and change no number.
# - --once against a database that is not there, or a role that is not,
#   exits 1 naming the source and the database, with the server's words;
# - the dashboard started while the server is down says "error" and when
#   it tries again, and reads the rows once the server is back;
# - the server stopped and started again under a live source: it
#   reconnects, resumes from the xid horizon, counts no row twice;
# - the server stopped in the middle of a cold read: the read starts over
#   once it is back, and counts every row once;
# - a pushdown that hits statement_timeout falls back to raw rows, says so,
#   and gives the numbers of a raw read.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
sock=cxtop-pgfault-$$
cleanup() { tmux -L $sock kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE f_events (id bigserial, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
                       "timestamp" timestamptz DEFAULT now(), customer_id text,
                       campaign_id text, event text);
INSERT INTO f_events (customer_id, campaign_id, event) VALUES
  ('c1', 'k', 'delivered'), ('c2', 'k', 'delivered'), ('c3', 'k', 'open');
SQL
ini() { # DSN-EXTRA TABLE-OR-QUERY-LINE [more lines]
	printf '[database:w]\ndsn = host=%s dbname=%s user=%s %s\n[events]\ndatabase = w\n' \
		"$PGHOST" "${DB:-$PGDATABASE}" "${ROLE:-$PGUSER}" "$1"
	shift
	printf '%s\n' "$@"
}

# --once: the server's reason, naming source and database, exit 1
DB=nosuch ini "" "table = f_events" >"$tmp/nodb.ini"
ROLE=nobody ini "" "table = f_events" >"$tmp/norole.ini"
for c in nodb:'events@w: connection to server .* database "nosuch" does not exist' \
	 norole:'events@w: connection to server .* role "nobody" does not exist'; do
	st=0
	./cxtop --once -c "$tmp/${c%%:*}.ini" >/dev/null 2>"$tmp/err" || st=$?
	if [ $st != 1 ] || ! grep -q "${c#*:}" "$tmp/err"; then
		echo "pg_fault: --once with ${c%%:*}: exit $st, want 1 and: ${c#*:}"
		cat "$tmp/err"
		fail=1
	fi
done

command -v tmux >/dev/null || { echo "  SKIP    pg_fault: no tmux"; exit $fail; }
ini "" "table = f_events" "poll_ms = 100" >"$tmp/live.ini"
screen_has() { # PATTERN [SECONDS]: Sources shows it
	for i in $(seq 1 $((${2:-10} * 10))); do
		tmux -L $sock send-keys -t f 6
		tmux -L $sock capture-pane -p -t f | grep -q "$1" && return 0
		sleep 0.1
	done
	echo "pg_fault: want \"$1\" on Sources:"
	tmux -L $sock capture-pane -p -t f | sed -n 1,12p
	return 1
}

# started while the server is down
sh "$CXTOP_PG_STOP"
tmux -L $sock new-session -d -s f -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/live.ini 2>$tmp/stderr"
screen_has "events@w .* error  *0 " || fail=1
screen_has "error, trying again at [0-9:]*: events@w: connection to server" || fail=1
sh "$CXTOP_PG_START"
screen_has "events@w .* live  *3 " 20 || fail=1 # the backoff may have grown to 4 s

# stopped and started under a live source: nothing lost, nothing twice
sh "$CXTOP_PG_STOP"
screen_has "events@w .* error  *3 " || fail=1
sh "$CXTOP_PG_START"
psql -q -c "INSERT INTO f_events (customer_id, campaign_id, event) VALUES ('c4', 'k', 'click'), ('c5', 'k', 'click')" >/dev/null
screen_has "events@w .* live  *5 " 20 || fail=1
sleep 1
screen_has "events@w .* live  *5 " || fail=1
tmux -L $sock send-keys -t f q
sleep 0.3
if [ -s "$tmp/stderr" ]; then
	echo "pg_fault: the dashboard wrote to stderr (it scrolls the screen):"; cat "$tmp/stderr"; fail=1
fi

# stopped in the middle of a cold read (rows come slowly: 2,000 rows at
# 2 ms each, sent as they come): the read starts over when the server is back
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE FUNCTION slow_row() RETURNS boolean LANGUAGE plpgsql VOLATILE AS
  $$ BEGIN PERFORM pg_sleep(0.002); RETURN true; END $$;
CREATE TABLE f_big AS SELECT g AS id, timestamptz '2026-05-01' + g * interval '1 minute' AS "timestamp",
  'c' || (g % 300) AS customer_id, 'k' || (g % 7) AS campaign_id,
  (ARRAY['delivered', 'open', 'click'])[1 + g % 3] AS event FROM generate_series(1, 2000) g;
SQL
ini "" "query = SELECT * FROM f_big WHERE slow_row()" "pushdown = off" >"$tmp/slow.ini"
tmux -L $sock new-session -d -s f -x 150 -y 30 "env LANG=C.UTF-8 ./cxtop -c $tmp/slow.ini"
screen_has "events@w .* reading  *[1-9][0-9,]* " || fail=1
sh "$CXTOP_PG_STOP"
screen_has "events@w .* error " || fail=1
sh "$CXTOP_PG_START"
screen_has "events@w .* read  *2,000 " 30 || fail=1
tmux -L $sock send-keys -t f q

# a pushdown past statement_timeout: raw rows instead, the same numbers;
# the slowness is the test's own (a function that sleeps only inside the
# pushdown's aggregate, which it recognises by its text)
psql -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE FUNCTION slow_in_pushdown() RETURNS boolean LANGUAGE plpgsql VOLATILE AS
  $$ BEGIN IF current_query() LIKE '%bit_or%' THEN PERFORM pg_sleep(0.01); END IF;
     RETURN true; END $$;
SQL
ini "" "query = SELECT * FROM f_big WHERE slow_in_pushdown()" |
	sed 's/^dsn = .*/&\nstatement_timeout = 300ms/' >"$tmp/timeout.ini"
sed 's/^query = .*/&\npushdown = off/' "$tmp/timeout.ini" >"$tmp/raw.ini"
./cxtop --once --format json -w all -c "$tmp/raw.ini" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("rows"); print(json.dumps(d))' >"$tmp/raw.json"
./cxtop --once --format json -w all -c "$tmp/timeout.ini" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("rows"); print(json.dumps(d))' >"$tmp/fell.json"
cmp -s "$tmp/raw.json" "$tmp/fell.json" || { echo "pg_fault: the fallback's numbers differ from a raw read"; fail=1; }
./cxtop --once -w all -c "$tmp/timeout.ini" >"$tmp/fell.txt"
grep -q "events  *2000 rows, 0 rejected, read, pushdown off: pushdown failed (ERROR: canceling statement due to statement timeout.*): read as raw rows" "$tmp/fell.txt" || {
	echo "pg_fault: --once does not say the pushdown fell back:"; grep -A2 SOURCES "$tmp/fell.txt"; fail=1; }

[ $fail = 0 ] && echo "  PASS    pg_fault: --once names a missing database or role; server down at start, stopped under a live source and in a cold read: retried, resumed, nothing twice; a pushdown timeout reads raw rows"
exit $fail
