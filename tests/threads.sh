#!/bin/sh
# threads.sh — reading with more threads changes no number (issue 13): the
# --once JSON of -j 2, 3 and 8 equals -j 1's, for every window, on the
# sample data and two generated datasets (files large enough for a
# parallel read of hundreds of chunks), and on the bench's 5M-row data;
# the dashboard's first read with -j 2 ends with -j 1's row count on
# screen; a bad -j is a usage error. Run from the repository root after
# make.
set -eu
bin=./cxtop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/gen_sample --events 400000 --customers 30000 --campaigns 120 --seed 7 "$tmp/a" >/dev/null
build/gen_sample --events 150000 --customers 4000 --campaigns 30 --seed 11 "$tmp/b" >/dev/null
fail=0
n=0
for d in sample_data "$tmp/a" "$tmp/b"; do
	for w in 7d 30d 90d all; do
		"$bin" -j 1 --once --format json -w $w "$d" >"$tmp/one.json"
		for j in 2 3 8; do
			"$bin" -j $j --once --format json -w $w "$d" >"$tmp/more.json"
			n=$((n + 1))
			if ! cmp -s "$tmp/one.json" "$tmp/more.json"; then
				echo "  FAIL    threads: -j $j differs from -j 1 on $d, window $w"
				fail=1
			fi
		done
	done
done
# the same through the config key
printf '[general]\nthreads = 2\n' >"$tmp/t.ini"
"$bin" -c "$tmp/t.ini" --once --format json -w all "$tmp/a" >"$tmp/more.json"
"$bin" -j 1 --once --format json -w all "$tmp/a" >"$tmp/one.json"
cmp -s "$tmp/one.json" "$tmp/more.json" || { echo "  FAIL    threads: threads = 2 differs"; fail=1; }
# the bench's 5M-row data (230 MB of events: 900 chunks)
build/gen_sample --events 5000000 --customers 200000 --campaigns 500 --seed 20261120 "$tmp/c" >/dev/null
for w in 30d all; do
	"$bin" -j 1 --once --format json -w $w "$tmp/c" >"$tmp/one.json"
	for j in 2 3 8; do
		"$bin" -j $j --once --format json -w $w "$tmp/c" >"$tmp/more.json"
		n=$((n + 1))
		cmp -s "$tmp/one.json" "$tmp/more.json" ||
			{ echo "  FAIL    threads: -j $j differs from -j 1 on the 5M data, window $w"; fail=1; }
	done
done
rm -rf "$tmp/c"
# the dashboard: its first read in parallel ends with every row counted
want=$(python3 -c 'import json,sys; print(sum(s["read"] for s in json.load(sys.stdin)["rows"].values()))' <<EOF_J
$("$bin" -j 1 --once --format json -w all "$tmp/a")
EOF_J
)
sock="cxtop-threads-$$"
tmux -L "$sock" new-session -d -s d -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $bin -j 2 $tmp/a; sleep 30"
# the count once it stays the same for a second and the header no longer
# says reading (a frame may show the old count while the bases settle)
got= last= same=0
for i in $(seq 1 150); do
	sleep 0.2
	head=$(tmux -L "$sock" capture-pane -p -t d | head -1)
	case $head in *reading*|'') same=0; continue ;; esac
	got=$(printf '%s' "$head" | grep -oE '[0-9,]+ rows' | tr -d ', rows')
	if [ -n "$got" ] && [ "$got" = "$last" ]; then
		same=$((same + 1))
		[ $same -ge 5 ] && break
	else
		same=0
	fi
	last=$got
done
tmux -L "$sock" kill-server 2>/dev/null || true
if [ "$got" != "$want" ]; then
	echo "  FAIL    threads: the dashboard with -j 2 shows '$got' rows once read, want $want"
	fail=1
fi
for bad in 0 -3 x 2000; do
	if out=$("$bin" -j "$bad" --once sample_data 2>&1); then
		echo "  FAIL    threads: -j $bad accepted"
		fail=1
	elif ! printf '%s' "$out" | grep -q "bad thread count '$bad' (use 1 to 1024)"; then
		echo "  FAIL    threads: -j $bad: $out"
		fail=1
	fi
done
[ $fail = 0 ] || exit 1
echo "  PASS    threads: -j 2, 3 and 8 give -j 1's JSON ($n runs: sample data and 2 generated datasets, 7d 30d 90d all, the 5M bench data, 30d all; threads = 2 in the config); the dashboard's parallel first read shows all $want rows; bad -j refused"
