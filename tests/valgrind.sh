#!/bin/bash
# valgrind (memcheck) on the real program, built without sanitizers
# (build/vg/cxtop, -O1 -g; `make valgrind` builds it first):
#  1. --once --format json on the sample data,
#  2. --once --format text on a real export (sample_data/realdata/botanic.ini),
#  3. a short scripted screen session at 80x24 in tmux on a private socket:
#     every screen, a drill-down and back, the window key, pause, help, quit.
# Each run must end with "ERROR SUMMARY: 0 errors" and no block definitely
# or indirectly lost. Memory ncurses keeps until exit by design is "still
# reachable" (and a few bytes of libtinfo's tiparm cache "possibly lost"),
# which is not a failure. Suppressions for what is not ours would go in
# tests/valgrind.supp; none is needed with Debian 12's ncurses 6.4.
set -u
cd "$(dirname "$0")/.." || exit 1
bin=$PWD/build/vg/cxtop
supp=$PWD/tests/valgrind.supp
sock=vg-$$
tmp=$(mktemp -d)
fail=0
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
# VG_KEEP=1 keeps the logs and names their directory
[ -n "${VG_KEEP:-}" ] && cleanup() { T kill-server 2>/dev/null; echo "valgrind: logs kept in $tmp"; }
trap cleanup EXIT

command -v valgrind >/dev/null || { echo "valgrind: valgrind missing (make valgrind installs it)"; exit 1; }
command -v tmux >/dev/null || { echo "valgrind: tmux missing (make deps installs it)"; exit 1; }
[ -x "$bin" ] || { echo "valgrind: $bin missing (make build/vg/cxtop)"; exit 1; }

vg=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=1 --num-callers=30
	--track-fds=no)
[ -f "$supp" ] && vg+=(--suppressions="$supp")

# verdict NAME LOG: the log's figures on one line; a failure shows the log
verdict() {
	local name=$1 log=$2 errs lost
	errs=$(grep -o 'ERROR SUMMARY: [0-9,]* errors' "$log" | tail -1)
	lost=$(grep -E '(definitely|indirectly) lost: [0-9,]+ bytes' "$log" |
		sed -E 's/.*(definitely|indirectly) lost: ([0-9,]+) bytes.*/\1 \2/' | tr '\n' ' ')
	if [ "$errs" != "ERROR SUMMARY: 0 errors" ] ||
		grep -qE '(definitely|indirectly) lost: [1-9][0-9,]* bytes' "$log"; then
		echo "  FAIL    valgrind $name: ${errs:-no ERROR SUMMARY} ${lost}(log follows)"
		sed 's/^/    | /' "$log" | tail -80
		fail=1
		return
	fi
	printf '  PASS    valgrind %-28s %s, heap %s%s\n' "$name" "${errs#ERROR SUMMARY: }" \
		"$(grep -o 'total heap usage: .*' "$log" | tail -1 | sed 's/total heap usage: //')" \
		"$(grep -oE '(possibly lost|still reachable): [0-9,]* bytes' "$log" | sed 's/^/, /' | tr -d '\n')"
}

# --once runs
once() { # NAME ARGS...
	local name=$1
	shift
	"${vg[@]}" --log-file="$tmp/$name.log" "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local st=$?
	if [ $st != 0 ]; then
		echo "  FAIL    valgrind $name: exit status $st"
		sed 's/^/    | /' "$tmp/$name.err" | tail -20
		fail=1
	fi
	verdict "$name" "$tmp/$name.log"
}
once once-json-sample --once --format json sample_data
once once-text-botanic --once --format text -c sample_data/realdata/botanic.ini

# the screen session: valgrind makes everything slow, so each step waits
# for its text for up to 20 s
cap() { T capture-pane -p -t vg; }
wait_for() { # TEXT [SECONDS]
	local i
	for i in $(seq 1 $(( ${2:-20} * 10 ))); do
		cap | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "  FAIL    valgrind screen: '$1' not on the screen after ${2:-20} s:"
	cap | sed 's/^/    | /'
	fail=1
	return 1
}
key() { # KEY [TEXT to wait for]
	T send-keys -t vg "$1"
	if [ $# -gt 1 ]; then wait_for "$2"; else sleep 0.5; fi
}

T new-session -d -s vg -x 80 -y 24 \
	"env TERM=xterm-256color LANG=C.UTF-8 ${vg[*]} --log-file=$tmp/screen.log $bin sample_data; echo EXITED \$?; sleep 60"
if wait_for "THE METRICS GAP" 30; then
	key 2 Campaigns
	key Down
	key Enter FUNNEL
	key Right
	key Enter responses
	key Escape FUNNEL
	key Escape Campaigns
	key 4 "hard detractors"
	key 5 Retention
	key 6 Sources
	key w
	key p PAUSED
	key p
	key '?'
	key q
	# q closes the help where it is open; quit for sure
	cap | grep -q EXITED || key q
	wait_for EXITED 30
fi
if cap | grep -q 'EXITED'; then
	cap | grep -q 'EXITED 0' || { echo "  FAIL    valgrind screen: $(cap | grep EXITED)"; fail=1; }
	verdict screen-session-80x24 "$tmp/screen.log"
else
	echo "  FAIL    valgrind screen: cxtop did not exit"
	fail=1
fi

exit $fail
