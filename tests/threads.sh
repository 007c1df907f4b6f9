#!/bin/sh
# threads.sh — reading with more threads changes no number (issue 13): the
# --once JSON of -j 2, 3 and 8 equals -j 1's, for every window, on the
# sample data and two generated datasets (with files large enough for
# hundreds of hand-offs between the reading and the applying thread); a
# bad -j is a usage error. Run from the repository root after make.
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
echo "  PASS    threads: -j 2, 3 and 8 give -j 1's JSON ($n runs: sample data and 2 generated datasets, 7d 30d 90d all; threads = 2 in the config); bad -j refused"
