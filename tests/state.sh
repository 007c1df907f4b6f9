#!/bin/sh
# state.sh — the state kept between runs (issue 14) makes --once faster,
# never different: after each change below, --once --format json from the
# state equals --once --no-state on the same files, and where the state
# could not be used whole, stderr says why in one line. Cases: unchanged;
# rows appended; a half-written row then finished; truncated; rewritten in
# place; a snapshot changed; a file removed; the config changed; a glob
# log rotated while cxtop was not running; a flipped byte and a cut state;
# kill -9 while the state is written (many times); a full disk (the file
# size limit); an unwritable state directory; a second cxtop while the
# state is locked; --state FILE, --no-state and state = off. Run from the
# repository root after make.
set -eu
bin=./cxtop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/xdg"
fail=0
n=0
d="$tmp/d"
cp -r sample_data "$d"
ini="$tmp/c.ini"
printf '[general]\nwindow = all\n' >"$ini"

# same NAME [WANT_ERR_TEXT] [ARGS]: the state run equals the --no-state run;
# with WANT_ERR_TEXT, stderr holds it (else stderr is empty)
same() {
	name=$1 want=$2
	shift 2
	"$bin" -c "$ini" "$@" --once --format json "$d" >"$tmp/a.json" 2>"$tmp/a.err" || true
	"$bin" -c "$ini" --no-state --once --format json "$d" >"$tmp/b.json" 2>/dev/null || true
	n=$((n + 1))
	if ! cmp -s "$tmp/a.json" "$tmp/b.json"; then
		echo "  FAIL    state: $name: the run from the state differs from --no-state"
		diff "$tmp/a.json" "$tmp/b.json" | head -10 | sed 's/^/    | /'
		fail=1
	fi
	if [ -n "$want" ]; then
		grep -qF -- "$want" "$tmp/a.err" ||
			{ echo "  FAIL    state: $name: stderr lacks '$want': $(cat "$tmp/a.err")"; fail=1; }
	elif grep -q "state" "$tmp/a.err"; then
		echo "  FAIL    state: $name: unexpected: $(cat "$tmp/a.err")"
		fail=1
	fi
}
statefile() { ls -t "$XDG_STATE_HOME"/cxtop/*.state 2>/dev/null | head -1; }
rows() { python3 -c 'import json,sys; print(sum(s["read"] for s in json.load(open(sys.argv[1]))["rows"].values()))' "$1"; }

same "first run" ""
st=$(statefile)
[ -n "$st" ] || { echo "  FAIL    state: no state written under $XDG_STATE_HOME/cxtop"; exit 1; }
dstate=$st # the state of $ini and $d (one path per config file and data)
[ "$(stat -c %a "$st")" = 600 ] || { echo "  FAIL    state: $st is not mode 0600"; fail=1; }
case $st in "$d"*) echo "  FAIL    state: the state is in the data directory"; fail=1 ;; esac
same "unchanged" ""
before=$(rows "$tmp/a.json")
printf '2026-11-20T18:30:00Z,c1,sms-flash-2,click,,\n2026-11-20T18:31:00Z,c2,sms-flash-2,click,,\n' >>"$d/events.csv"
cp "$dstate" "$tmp/st.kept"
same "rows appended" ""
[ "$(rows "$tmp/a.json")" = $((before + 2)) ] ||
	{ echo "  FAIL    state: 2 rows appended, rows went $before -> $(rows "$tmp/a.json")"; fail=1; }
# a few rows appended: --once does not write the state again (the next
# start reads them again, cheaper than the write), and the next run is
# still exact; more than a quarter of the state's size appended: written
cmp -s "$dstate" "$tmp/st.kept" || { echo "  FAIL    state: 2 rows appended and --once wrote the state"; fail=1; }
same "rows appended, again" ""
[ "$(rows "$tmp/a.json")" = $((before + 2)) ] ||
	{ echo "  FAIL    state: the second run from the kept state counts $(rows "$tmp/a.json") rows, not $((before + 2))"; fail=1; }
python3 -c 'import sys
for i in range(int(sys.argv[1]) // 40 + 1): print("2026-11-20T18:30:%02dZ,c%d,sms-flash-2,click,," % (i % 60, i % 50))' \
	$(($(stat -c %s "$dstate") / 4)) >"$tmp/many"
cat "$tmp/many" >>"$d/events.csv"
same "many rows appended" ""
cmp -s "$dstate" "$tmp/st.kept" && { echo "  FAIL    state: $(wc -l <"$tmp/many") rows appended and --once kept the old state"; fail=1; }
[ "$(rows "$tmp/a.json")" = $((before + 2 + $(wc -l <"$tmp/many"))) ] ||
	{ echo "  FAIL    state: many rows appended: rows $(rows "$tmp/a.json")"; fail=1; }
printf '2026-11-20T18:32:00Z,c3,sms-flash-2,cli' >>"$d/events.csv"
same "a half-written row" ""
printf 'ck,,\n' >>"$d/events.csv"
same "the row finished" ""
echo "2026-11-21T00:00:00Z,c9,k,opne,," >>"$d/events.csv"
echo "2026-11-21T00:00:00Z,c9,x,open,," >>"$d/responses.csv"
same "bad rows appended" ""
head -c 200000 "$d/events.csv" >"$tmp/e" && cat "$tmp/e" >"$d/events.csv"
same "truncated" "events.csv changed while cxtop was not running"
sed -i 's/sms-flash-2/sms-flash-3/' "$d/events.csv"
same "rewritten (a new file)" "events read again"
# rewritten in place: the same file, the same size, other first rows
# (only the fingerprint tells)
printf 'timestamp,customer_id,campaign_id,event,value,machine\n2026-11-01T00:00:00Z,c7,xx' |
	dd of="$d/events.csv" conv=notrunc 2>/dev/null
same "rewritten in place" "events.csv changed while cxtop was not running"
sed -i '2d' "$d/customers.csv"
same "a snapshot changed" "customers read again"
mv "$d/awareness.csv" "$tmp/aw.csv"
same "a file removed" "awareness read again"
mv "$tmp/aw.csv" "$d/awareness.csv"
same "a file back" ""
printf '[general]\nwindow = all\nnps_min_n = 20\n' >"$ini"
same "the config changed" "another version of cxtop or for another config"

# a glob log rotated while cxtop was not running
g="$tmp/g"
mkdir -p "$g"
cp sample_data/*.csv "$g/"
gini="$tmp/g.ini"
printf '[events]\npath = events.csv*\n' >"$gini"
"$bin" -c "$gini" --once --format json "$g" >/dev/null 2>&1
mv "$g/events.csv" "$g/events.csv.1"
printf 'timestamp,customer_id,campaign_id,event,value,machine\n2026-11-20T18:40:00Z,c1,sms-flash-2,click,,\n' >"$g/events.csv"
"$bin" -c "$gini" --once --format json "$g" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$gini" --no-state --once --format json "$g" >"$tmp/b.json" 2>/dev/null
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: a rotated glob log differs from --no-state"; fail=1; }
# taken up under its new name, as a live rotation: nothing read again
[ ! -s "$tmp/a.err" ] || { echo "  FAIL    state: rotation: stderr says '$(cat "$tmp/a.err")'"; fail=1; }
# and a chain: events.csv.1 -> .2, events.csv -> .1, a new events.csv,
# with a bad row in the one that moves twice (its rejection renamed)
echo "2026-11-20T18:41:00Z,c2,sms-flash-2,click,12x," >>"$g/events.csv"
"$bin" -c "$gini" --once --format json "$g" >/dev/null 2>&1
mv "$g/events.csv.1" "$g/events.csv.2"
mv "$g/events.csv" "$g/events.csv.1"
printf 'timestamp,customer_id,campaign_id,event,value,machine\n2026-11-20T18:50:00Z,c3,sms-flash-2,click,,\n' >"$g/events.csv"
"$bin" -c "$gini" --once --format json "$g" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$gini" --no-state --once --format json "$g" >"$tmp/b.json" 2>/dev/null
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: a rotation chain differs from --no-state"; diff "$tmp/a.json" "$tmp/b.json" | head -5; fail=1; }
grep -q '"reason"' "$tmp/b.json" || { echo "  FAIL    state: the chain's bad row was not rejected"; fail=1; }
[ ! -s "$tmp/a.err" ] || { echo "  FAIL    state: rotation chain: stderr says '$(cat "$tmp/a.err")'"; fail=1; }

# a damaged state: a flipped byte, a cut file
echo "2026-11-21T00:02:00Z,c9,k1,click,," >>"$d/events.csv"
same "state rewritten" ""
st=$dstate
printf '\377' | dd of="$st" bs=1 seek=5000 conv=notrunc 2>/dev/null
same "a flipped byte" "damaged"
# a state of another version: what it depends on (bytes 12-19 of the
# header) is not this build's
echo "2026-11-21T00:03:00Z,c9,k1,click,," >>"$d/events.csv"
same "state rewritten again" ""
st=$dstate
printf 'OTHERVER' | dd of="$st" bs=1 seek=12 conv=notrunc 2>/dev/null
same "another version" "written by another version of cxtop or for another config"
size=$(stat -c %s "$st")
truncate -s $((size / 2)) "$st"
same "a cut state" "damaged"

# kill -9 while the state is written: the next run is right
big="$tmp/big"
build/gen_sample --events 300000 --customers 20000 --campaigns 60 --seed 3 "$big" >/dev/null
"$bin" --no-state --once --format json "$big" >"$tmp/want.json"
killed=0 writing=0
"$bin" --once --format json "$big" >/dev/null 2>&1
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	# a customer more (the snapshot read again): the run must write
	echo "C9$i,2025-05-06,,smb,yes,19.00" >>"$big/customers.csv"
	"$bin" --once --format json "$big" >/dev/null 2>&1 &
	pid=$!
	# 0 to 40 ms: a restart reads little, and most of it is the write
	sleep "0.0$(( (i * 37) % 5 ))"
	ls "$XDG_STATE_HOME"/cxtop/ | grep -q '\.tmp\.' && writing=$((writing + 1))
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null || true
	echo "2026-11-21T00:0$((i % 10)):00Z,c$i,k1,click,," >>"$big/events.csv"
	"$bin" --no-state --once --format json "$big" >"$tmp/want.json"
	"$bin" --once --format json "$big" >"$tmp/got.json" 2>/dev/null
	n=$((n + 1))
	cmp -s "$tmp/want.json" "$tmp/got.json" ||
		{ echo "  FAIL    state: after kill -9 number $i the run differs from --no-state"; fail=1; }
done
[ $killed -ge 4 ] || { echo "  FAIL    state: only $killed of 12 runs were still going when killed"; fail=1; }
echo "  state: 12 runs killed -9: $killed still going, $writing of them seen writing the state"
ls "$XDG_STATE_HOME"/cxtop/ | grep -q '\.tmp\.' &&
	{ echo "  FAIL    state: temporary files left: $(ls "$XDG_STATE_HOME"/cxtop/)"; fail=1; }

# a full disk (a write past the file size limit fails as one does)
printf '[general]\nwindow = all\n' >"$ini"
same "state for the full disk" "another version"
st=$dstate
cp "$st" "$tmp/st.before"
# a customer more: the snapshot read again, so the state must be written
echo "C999999,2025-05-06,,smb,yes,19.00" >>"$d/customers.csv"
# (the report goes through a pipe, which the limit does not touch)
( ulimit -f 64; "$bin" -c "$ini" --once --format json "$d" 2>"$tmp/a.err" ) | cat >"$tmp/a.json"
"$bin" -c "$ini" --no-state --once --format json "$d" >"$tmp/b.json" 2>/dev/null
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: full disk: the report differs"; fail=1; }
grep -qF "cannot write the state" "$tmp/a.err" ||
	{ echo "  FAIL    state: full disk: stderr says '$(cat "$tmp/a.err")'"; fail=1; }
cmp -s "$st" "$tmp/st.before" || { echo "  FAIL    state: full disk: the old state was changed"; fail=1; }
same "after the full disk" "customers read again"

# an unwritable state directory
XDG_STATE_HOME=/proc/cxtop-nowhere "$bin" -c "$ini" --once --format json "$d" >"$tmp/a.json" 2>"$tmp/a.err" || true
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: unwritable dir: the report differs"; fail=1; }
grep -q "state" "$tmp/a.err" || { echo "  FAIL    state: unwritable dir: nothing said"; fail=1; }

# a second cxtop while the state is locked: it says so, writes nothing
st=$dstate
cp "$st" "$tmp/st.before"
flock "$st.lock" sleep 3 &
lpid=$!
sleep 0.3
echo "C999998,2025-05-06,,smb,yes,19.00" >>"$d/customers.csv" # unlocked, a write
"$bin" -c "$ini" --once --format json "$d" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$ini" --no-state --once --format json "$d" >"$tmp/b.json" 2>/dev/null
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: locked: the report differs"; fail=1; }
grep -qF "another cxtop keeps the state" "$tmp/a.err" ||
	{ echo "  FAIL    state: locked: stderr says '$(cat "$tmp/a.err")'"; fail=1; }
cmp -s "$st" "$tmp/st.before" || { echo "  FAIL    state: locked: the state was written"; fail=1; }
wait $lpid

# --state FILE, --no-state, state = off
"$bin" -c "$ini" --state "$tmp/mine.state" --once --format json "$d" >/dev/null
[ -s "$tmp/mine.state" ] || { echo "  FAIL    state: --state FILE wrote nothing"; fail=1; }
same "--state FILE" "" --state "$tmp/mine.state"
rm -rf "$tmp/x2"
XDG_STATE_HOME="$tmp/x2" "$bin" -c "$ini" --no-state --once "$d" >/dev/null
[ ! -e "$tmp/x2" ] || { echo "  FAIL    state: --no-state wrote $(ls -R "$tmp/x2")"; fail=1; }
printf '[general]\nstate = off\n' >"$tmp/off.ini"
XDG_STATE_HOME="$tmp/x2" "$bin" -c "$tmp/off.ini" --once "$d" >/dev/null
[ ! -e "$tmp/x2" ] || { echo "  FAIL    state: state = off wrote $(ls -R "$tmp/x2")"; fail=1; }
if "$bin" --state "$tmp/s" --no-state --once "$d" >/dev/null 2>&1; then
	echo "  FAIL    state: --state with --no-state accepted"
	fail=1
fi
# the dashboard writes its state every state_interval seconds while data
# comes, in a child process; killed -9 after such a write, the next run
# from the state is right
dd="$tmp/dash"
cp -r sample_data "$dd"
printf '[general]\nwindow = all\nstate_interval = 1\n' >"$tmp/dash.ini"
sock="cxtop-state-$$"
tmux -L "$sock" new-session -d -s d -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $bin -c $tmp/dash.ini $dd; sleep 30"
sleep 1.5
printf '2026-11-20T18:30:00Z,c1,sms-flash-2,click,,\n' >>"$dd/events.csv"
written=
for i in $(seq 1 40); do
	sleep 0.25
	tmux -L "$sock" send-keys -t d 6
	if tmux -L "$sock" capture-pane -p -t d | grep -q "state: written"; then
		written=1
		break
	fi
done
[ -n "$written" ] || { echo "  FAIL    state: the dashboard's Sources never said 'state: written'"; tmux -L "$sock" capture-pane -p -t d | sed 's/^/    | /'; fail=1; }
pkill -9 -f "^$bin -c $tmp/dash.ini" || true
tmux -L "$sock" kill-server 2>/dev/null || true
printf '2026-11-20T18:31:00Z,c2,sms-flash-2,click,,\n' >>"$dd/events.csv"
"$bin" -c "$tmp/dash.ini" --once --format json "$dd" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$tmp/dash.ini" --no-state --once --format json "$dd" >"$tmp/b.json"
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: after the dashboard was killed the run differs"; fail=1; }
[ ! -s "$tmp/a.err" ] || { echo "  FAIL    state: after the dashboard: $(cat "$tmp/a.err")"; fail=1; }
# the dashboard quits while a row is half written (its line not yet taken
# as done): the state goes back to that line's start, so the row is read
# whole when finished, and nothing is read again
tmux -L "$sock" new-session -d -s h -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $bin -c $tmp/dash.ini $dd; sleep 30"
sleep 1.5
printf '2026-11-20T18:32:00Z,c3,sms-fla' >>"$dd/events.csv"
sleep 0.4
tmux -L "$sock" send-keys -t h q
sleep 1
tmux -L "$sock" kill-server 2>/dev/null || true
printf 'sh-2,click,,\n' >>"$dd/events.csv"
"$bin" -c "$tmp/dash.ini" --once --format json "$dd" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$tmp/dash.ini" --no-state --once --format json "$dd" >"$tmp/b.json"
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: a row half written at quit: the run differs"; fail=1; }
[ ! -s "$tmp/a.err" ] || { echo "  FAIL    state: a row half written at quit: $(cat "$tmp/a.err")"; fail=1; }
# the same with a row that spans lines (a comment with a line end, in
# quotes) unfinished at quit: the state goes back to where the row began,
# found by parsing again from the last point between rows
tmux -L "$sock" new-session -d -s m -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $bin -c $tmp/dash.ini $dd; sleep 30"
sleep 1.5
printf '2026-11-20T18:33:00Z,C000007,csat,4,,,"Gut, aber\nder Versand war' >>"$dd/responses.csv"
sleep 0.4
tmux -L "$sock" send-keys -t m q
sleep 1
tmux -L "$sock" kill-server 2>/dev/null || true
printf ' langsam"\n2026-11-20T18:34:00Z,C000008,csat,5,,,"ok"\n' >>"$dd/responses.csv"
"$bin" -c "$tmp/dash.ini" --once --format json "$dd" >"$tmp/a.json" 2>"$tmp/a.err"
"$bin" -c "$tmp/dash.ini" --no-state --once --format json "$dd" >"$tmp/b.json"
n=$((n + 1))
cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "  FAIL    state: a row over two lines half written at quit: the run differs"; fail=1; }
[ ! -s "$tmp/a.err" ] || { echo "  FAIL    state: a row over two lines half written at quit: $(cat "$tmp/a.err")"; fail=1; }
[ $fail = 0 ] || exit 1
echo "  PASS    state: $n runs from the state equal --no-state (appends, a half-written row, truncation, rewrites, a snapshot, a file removed and back, another config, a glob log rotated and a rotation chain (taken up under the new names), a flipped byte, a state of another version, a cut state, $killed of 12 runs killed -9 while reading or writing, a full disk, an unwritable directory, a held lock, the dashboard killed -9 after its periodic write, the dashboard quit with a row half written, on one line and over two); --state, --no-state, state = off"
