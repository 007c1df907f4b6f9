#!/bin/sh
# Golden tests of the real binary: --once outputs of the sample data and of
# the real exports compared byte for byte with tests/golden/, plus the exit
# statuses and messages of SPEC section 5.
# Regenerate after an intended change with: sh tests/golden.sh --update
# (then read the diff before committing it).
set -u
cd "$(dirname "$0")/.." || exit 1
bin=./cxtop
gold=tests/golden
update=0
[ "${1:-}" = "--update" ] && update=1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # name, command...
	name=$1
	shift
	"$@" >"$tmp/$name" 2>"$tmp/$name.err"
	if [ $update = 1 ]; then
		cp "$tmp/$name" "$gold/$name"
	elif ! cmp -s "$tmp/$name" "$gold/$name"; then
		echo "golden: $name differs from $gold/$name:"
		diff -u "$gold/$name" "$tmp/$name" | head -40
		fail=1
	fi
}

expect() { # description, expected status, expected stderr text, command...
	desc=$1 want=$2 text=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "golden: $desc: exit status $got, want $want"
		fail=1
	fi
	if ! grep -qF -- "$text" "$tmp/err"; then
		echo "golden: $desc: stderr lacks '$text':"
		cat "$tmp/err"
		fail=1
	fi
}

mkdir -p "$gold"
for w in 7d 30d 90d all; do
	check "sample-$w.json" $bin --once --format json --window $w sample_data
done
check sample-30d.txt $bin --once sample_data
check sample-30d-ascii.txt $bin --once --ascii sample_data
check sample-campaigns.csv $bin --once --format csv sample_data
for c in airline sudzilla botanic mailchimp hubspot carpentries qualtrics starwars telco googleforms klaviyo; do
	check "realdata-$c.json" $bin --once --format json --window all \
		-c sample_data/realdata/$c.ini
done
# made-up exports in the layouts of other tools (tests/exports)
for c in hubspot_feedback german_excel; do
	check "export-$c.json" $bin --once --format json -c tests/exports/$c.ini
	check "export-$c.txt" $bin --once -c tests/exports/$c.ini
done

# --detect of every real export and every made-up one (tests/exports), and
# the --once report of the config it prints, read beside a copy of the file
# (its modification time fixed: a file without dates is read as of that day)
abs=$(pwd)/cxtop
for f in sample_data/realdata/*.csv tests/exports/*.csv tests/exports/*.txt; do
	b=$(basename "$f")
	n=${b%.*}
	d="$tmp/detect/$n"
	mkdir -p "$d"
	cp "$f" "$d/$b"
	touch -d '2026-11-02 12:00:00 UTC' "$d/$b"
	check "detect-$n.ini" $bin --detect "$d/$b"
	$bin --detect "$d/$b" >"$d/cxtop.ini" 2>/dev/null
	check "detect-run-$n.txt" sh -c 'cd "$1" && "$2" --once -c cxtop.ini' sh "$d" "$abs"
done
expect "detect missing file" 1 "cxtop: nope.csv: No such file or directory" \
	$bin --detect nope.csv
expect "detect a directory" 1 "cxtop: sample_data: not a regular file" $bin --detect sample_data
printf '\000\001\002binary' >"$tmp/binary.csv"
expect "detect binary" 1 "binary.csv: not a text file (it holds NUL bytes)" \
	$bin --detect "$tmp/binary.csv"
: >"$tmp/empty.csv"
expect "detect empty" 1 "empty.csv: empty file (no header row)" $bin --detect "$tmp/empty.csv"
expect "detect no file" 2 "--detect needs one or more files" $bin --detect
# two sources of one kind: the second gets its own section name (copies
# with a fixed modification time, as above: the day a file without dates
# is read as of must not be the day of the checkout)
mkdir -p "$tmp/two"
cp tests/exports/typeform_excel.csv sample_data/realdata/prepbench_airline_nps_prepair.csv "$tmp/two/"
touch -d '2026-11-02 12:00:00 UTC' "$tmp/two/"*.csv
check "detect-two.ini" $bin --detect "$tmp/two/typeform_excel.csv" \
	"$tmp/two/prepbench_airline_nps_prepair.csv"

# a database source whose server is not there: --once names the source
# and gives libpq's reason, exit 1 (tests/pg_equiv.sh reads a real one)
printf '[database:w]\ndsn = host=/nonexistent-cxtop\n[events]\ndatabase = w\ntable = ev\n' \
	>"$tmp/db.ini"
expect "database source, no server" 1 \
	"cxtop: events@w: connection to server on socket \"/nonexistent-cxtop/.s.PGSQL.5432\" failed" \
	$bin --once -c "$tmp/db.ini"

# exit statuses and messages
expect "bad option" 2 "unknown option '--bogus'" $bin --bogus
expect "bad window" 2 "bad window '3d'" $bin --once -w 3d sample_data
expect "bad format" 2 "bad format 'xml'" $bin --once --format xml sample_data
expect "no terminal" 2 "use --once" $bin sample_data
printf '[general]\nwindow = 30d\nbogus_key = 1\n' >"$tmp/bad.ini"
# --once reports a file in the error state as the Sources screen does
mkdir "$tmp/loop" && ln -s events.csv "$tmp/loop/events.csv"
if ! $bin --once "$tmp/loop" | grep -qF "error: $tmp/loop/events.csv: Too many levels of symbolic links"; then
	echo "golden: --once does not report the symlink loop:"
	$bin --once "$tmp/loop" | tail -8
	fail=1
fi
expect "config not a regular file" 1 "cxtop: /dev/zero: not a regular file" $bin --once -c /dev/zero sample_data
: >"$tmp/huge.ini" && truncate -s 100M "$tmp/huge.ini"
expect "config too large" 1 "huge.ini: too large (104857600 bytes; the limit is 64 MiB)" $bin --once -c "$tmp/huge.ini" sample_data
expect "bad config key" 1 "bad.ini:3: " $bin --once -c "$tmp/bad.ini" sample_data
expect "bad config key named" 1 "bogus_key" $bin --once -c "$tmp/bad.ini" sample_data
expect "missing config" 1 "nope.ini" $bin --once -c "$tmp/nope.ini" sample_data
mkdir -p "$tmp/hdr"
printf 'when,who\n2026-01-01,a\n' >"$tmp/hdr/events.csv"
expect "header error" 1 "events.csv: missing columns" $bin --once "$tmp/hdr"
$bin --help | grep -q -- '--once' || { echo "golden: --help lacks --once"; fail=1; }
$bin --version | grep -q '^cxtop ' || { echo "golden: --version"; fail=1; }

# JSON must parse, and undefined values are null, never 0 (python3 is on
# every Debian machine this runs on; skip the check where it is not)
if command -v python3 >/dev/null 2>&1; then
	for f in "$gold"/*.json; do
		python3 -m json.tool "$f" >/dev/null || { echo "golden: $f is not valid JSON"; fail=1; }
	done
fi

[ $fail = 0 ] && echo "golden: all outputs match"
exit $fail
