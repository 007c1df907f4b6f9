#!/bin/bash
# Screen tests: the real binary in tmux at 80x24 and 160x48 on the sample
# data. Each check reads the screen as a user would (capture-pane) and
# looks for labels and for the numbers --once prints. Runs on a private
# tmux server so it never touches the user's sessions.
set -u
cd "$(dirname "$0")/.." || exit 1
bin=$PWD/cxtop
sock=cxtop-test-$$
fail=0
tmp=$(mktemp -d)
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

command -v tmux >/dev/null || { echo "screen: tmux missing (make deps installs it)"; exit 1; }
command -v python3 >/dev/null || { echo "screen: python3 missing"; exit 1; }

# start NAME W H ENV... -- ARGS...: run cxtop in a new session
start() {
	local name=$1 w=$2 h=$3
	shift 3
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	T new-session -d -s "$name" -x "$w" -y "$h" \
		"env TERM=xterm-256color ${envs[*]} $bin $* ; echo EXITED; sleep 30"
}
cap() { T capture-pane -p -t "$1"; }
keys() { local s=$1; shift; T send-keys -t "$s" "$@"; sleep 0.25; }
# wait_for SESSION TEXT [SECONDS]: true once TEXT is on the screen
wait_for() {
	local i
	for i in $(seq 1 $(( ${3:-5} * 10 ))); do
		cap "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}
# expect SESSION DESCRIPTION TEXT...: every TEXT must be on the screen
expect() {
	local s=$1 desc=$2
	shift 2
	local t
	for t in "$@"; do
		if ! wait_for "$s" "$t" 3; then
			echo "screen: $desc: '$t' not on screen:"
			cap "$s" | sed 's/^/    | /'
			fail=1
			return 1
		fi
	done
	return 0
}
reject() { # SESSION DESCRIPTION TEXT: TEXT must not be on the screen
	if cap "$1" | grep -qF -- "$3"; then
		echo "screen: $2: '$3' should not be on screen:"
		cap "$1" | sed 's/^/    | /'
		fail=1
	fi
}

# The numbers --once gives, formatted as the screens show them.
eval "$(./cxtop --once --format json sample_data | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = {x["campaign_id"]: x for x in d["campaigns"]}
s2 = c["sms-flash-2"]
print("NPS=%+.1f" % d["nps"]["nps"])
print("NPS_N=%d" % d["nps"]["n"])
print("CHURN=%.1f%%" % (100 * d["cx"]["churn_rate_monthly"]))
print("OPENS=%.1f%%" % (100 * d["vanity"]["open_rate"]))
print("OPTIN=%.1f%%" % (100 * d["cx"]["opted_in_share"]))
print("S2_CTR=%.1f%%" % (100 * s2["ctr"]))
print("S2_BASE=%.1f%%" % (100 * s2["ctr_base"]))
print("S2_DELIV=%d" % s2["delivered"])
print("CHURNED=\"%s of %s\"" % (format(d["cx"]["churned_30d"], ","), format(d["cx"]["active_30d_ago"], ",")))
print("CLV=%s" % format(d["cx"]["clv"], ",.2f"))
h = d["nps_outcomes"][0]
print("HARD0=\"churned after %d/%d\"" % (h["churned"], h["respondents"]))
print("HARD0_PCT=\"%d%%\"" % round(100 * h["churn_rate"]))
print("HARD0_WORD=churn")
b = {x["band"]: x for x in d["nps_band_outcomes"]}
co = d["cohorts"][-2]
print("COHORT_ROW=\"%s   %s\"" % (co["cohort"], format(co["customers"], ",")))
print("BANDS=\"churned %d%% — like passives (%d%%), not like hard detractors (%d%%)\"" % (
    round(100 * b["soft_detractors"]["churn_rate"]), round(100 * b["passives"]["churn_rate"]),
    round(100 * b["hard_detractors"]["churn_rate"])))
')"

for size in 80x24 160x48; do
	w=${size%x*} h=${size#*x}
	s=ov$w
	start $s $w $h LANG=C.UTF-8 -- sample_data
	expect $s "overview $size" "VANITY" "RETENTION" "THE METRICS GAP" "$NPS" "$CHURN" \
		"$OPENS" "$OPTIN" "ctr_inflated" "reach_up_churn_up" "Overview"
	for k in 2:Campaigns 3:FUNNEL 4:NPS 5:Retention 6:Sources 1:VANITY; do
		keys $s "${k%%:*}"
		expect $s "screen ${k%%:*} at $size" "${k#*:}"
	done
	keys $s 5
	expect $s "retention numbers at $size" "$CHURN" "$CHURNED" "$CLV" "$OPTIN"
	keys $s 6
	expect $s "sources at $size" "events" "responses" "customers" "campaigns" "awareness" \
		"No rows rejected."
	keys $s 1
	keys $s q
	expect $s "q quits at $size" "EXITED"
done

# The drill-down path and back, at 80x24 and 160x48
for size in 80x24 160x48; do
	w=${size%x*} h=${size#*x}
	s=dd$w
	start $s $w $h LANG=C.UTF-8 -- sample_data
	expect $s "drill start $size" "VANITY"
	keys $s 2
	expect $s "campaigns $size" "Overview" "Campaigns"
	keys $s / S M S Space F l a s h Space S a l e Space I I
	keys $s Enter
	keys $s Enter
	expect $s "SMS Flash Sale II detail $size" "SMS Flash Sale II" "900" "$S2_CTR" \
		"$S2_BASE" "90.0%" "ctr_inflated"
	keys $s Escape
	keys $s / n p s - m i l d Enter Enter
	expect $s "nps-mild detail $size" "Loyalty Survey" "+20.0" "n 200"
	keys $s Right Right Right Right Right Right
	expect $s "bar 6 selected $size" "score 6"
	keys $s Enter
	expect $s "responses of bar 6 $size" "30 responses" "scored 6" "NPS 6" "stayed"
	keys $s Escape
	expect $s "back to the detail, same bar $size" "Loyalty Survey" "score 6"
	keys $s Escape
	expect $s "back to campaigns, filter kept $size" "nps-mild"
	keys $s Escape Escape
	expect $s "back to the overview $size" "VANITY" "THE METRICS GAP"
	# NPS screen: a bar opens the window's responses with that score
	keys $s 4
	expect $s "NPS screen $size" "$NPS" "$NPS_N" "hard detractors"
	# what each score's respondents did: the bar's counts, the row of
	# percentages and the bands in words (numbers from --once)
	expect $s "NPS outcomes $size" "$HARD0_PCT" "$BANDS"
	[ "$size" = 80x24 ] && expect $s "NPS outcome rule $size" "$HARD0"
	keys $s o
	expect $s "NPS outcome toggle $size" "opted out"
	keys $s o o
	# Enter on bar 0: each response with what its customer did since
	keys $s Enter
	expect $s "responses with outcomes $size" "scored 0" "$HARD0_WORD"
	keys $s Escape
	# the signup cohorts on the Retention screen (c), numbers from --once
	keys $s 5 c
	expect $s "cohorts $size" "SIGNUP COHORTS" "$COHORT_ROW"
	keys $s c
	keys $s q
done

# Data cannot drive the terminal: escape sequences in a campaign name are
# shown as text, the pane title stays, the screen stays whole
mkdir -p "$tmp/evil"
cp sample_data/*.csv "$tmp/evil/"
printf 'evil-1,"Evil\033]2;HACKED\007 \033[2J\033[31mRed\007\b\b",email,2026-11-19,0\n' \
	>>"$tmp/evil/campaigns.csv"
printf '2026-11-19T10:00:00Z,c1,evil-1,delivered,,\n' >>"$tmp/evil/events.csv"
start ev 100 30 LANG=C.UTF-8 -- "$tmp/evil"
expect ev "evil start" "VANITY"
title0=$(T display -p -t ev '#{pane_title}')
keys ev 2 / e v i l Enter
expect ev "escaped name shown" 'Evil\e]2;HACKED^G'
keys ev Enter
expect ev "escaped name in the detail" 'Evil\e]2;HACKED^G' "FUNNEL"
title1=$(T display -p -t ev '#{pane_title}')
[ "$title0" = "$title1" ] || { echo "screen: the pane title changed: '$title0' -> '$title1'"; fail=1; }
cap ev | grep -q "HACKED" || fail=1
keys ev q

# Themes: t cycles them; a bad theme file is named with its line and the
# default is used
start th 100 30 LANG=C.UTF-8 -- sample_data
expect th "theme start" "VANITY"
keys th t
expect th "t cycles themes" "theme: "
keys th q
printf '[theme]\nname = broken\n[roles]\ntitle = purple default\n' >"$tmp/broken.ini"
start tb 100 30 LANG=C.UTF-8 -- --theme "$tmp/broken.ini" sample_data
expect tb "bad theme file" "broken.ini:4" "VANITY"
keys tb q

# Resize to 40x10 and back, without restarting
start rs 80 24 LANG=C.UTF-8 -- sample_data
expect rs "before resize" "VANITY"
T resize-window -t rs -x 40 -y 10
expect rs "resize to 40x10" "terminal too small" "(have 40x10, need 80x24)"
T resize-window -t rs -x 79 -y 30
expect rs "resize to 79x30" "terminal too small (have 79x30, need 80x24)"
T resize-window -t rs -x 80 -y 24
expect rs "resize back" "VANITY" "THE METRICS GAP"
T resize-window -t rs -x 160 -y 48
expect rs "resize to 160x48" "VANITY"
keys rs q

# NO_COLOR: no colour escape codes at all (attributes are fine)
start nc 80 24 LANG=C.UTF-8 NO_COLOR=1 -- sample_data
expect nc "NO_COLOR screen" "VANITY"
if T capture-pane -p -e -t nc | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'; then
	echo "screen: NO_COLOR screen holds colour codes"
	fail=1
fi
keys nc q

# 256 colours where the terminal has them (the default theme's 244, 117 ...),
# a clean 8-colour fallback where it has not: no 256-colour code, yet colours
start c256 80 24 LANG=C.UTF-8 -- sample_data
expect c256 "256-colour screen" "VANITY"
if ! T capture-pane -p -e -t c256 | grep -qE $'\e\\[([0-9;]*;)?38;5;(244|117)m'; then
	echo "screen: TERM=xterm-256color: no 256-colour SGR (38;5;N) on the screen"
	fail=1
fi
keys c256 q
start c8 80 24 LANG=C.UTF-8 TERM=xterm -- sample_data
expect c8 "8-colour screen" "VANITY"
if T capture-pane -p -e -t c8 | grep -qE $'\e\\[([0-9;]*;)?[34]8;5;'; then
	echo "screen: TERM=xterm: 256-colour codes on an 8-colour terminal"
	fail=1
fi
if ! T capture-pane -p -e -t c8 | grep -qE $'\e\\[([0-9;]*;)?3[1-7]m'; then
	echo "screen: TERM=xterm: no 8-colour foreground at all"
	fail=1
fi
keys c8 q

# Every way out restores the terminal: Ctrl-\ (SIGQUIT) leaves no alternate
# screen and no hidden cursor; a stop that is not Ctrl-Z (kill -STOP, then
# fg from the shell) comes back in curses mode, redrawn, reading keys.
T new-session -d -s sh -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 bash --norc --noprofile"
keys sh "PS1='sh\$ '" Enter
keys sh "$bin sample_data" Enter
expect sh "dashboard from a shell" "VANITY"
pid=$(pgrep -n -f "^$bin sample_data")
kill -STOP "$pid"
expect sh "stopped by kill -STOP" "Stopped"
keys sh "fg" Enter
expect sh "back after fg: redrawn" "VANITY" "THE METRICS GAP"
keys sh 2
expect sh "back after fg: keys are read" "Overview › Campaigns"
reject sh "back after fg: keys do not echo" "sh$ fg2"
kill -QUIT "$pid"
sleep 0.5
if [ "$(T display -p -t sh '#{alternate_on}#{cursor_flag}')" != "01" ]; then
	echo "screen: after SIGQUIT the terminal is not restored (alternate_on cursor_flag = $(T display -p -t sh '#{alternate_on}#{cursor_flag}'), want 01)"
	fail=1
fi
kill -0 "$pid" 2>/dev/null && { echo "screen: cxtop still runs after SIGQUIT"; fail=1; }
T kill-session -t sh

# Keyboard input at end of file (stdin from /dev/null): a message and an
# exit, not a loop spinning on a readable input with no key in it
start eof 80 24 LANG=C.UTF-8 -- sample_data "</dev/null"
expect eof "stdin at end of file" "the terminal's input ended" "EXITED"

# An unknown or unset TERM: cxtop's own message and the usage status (2),
# not ncurses' message with the config-error status
T new-session -d -s termbad -x 80 -y 24 "env TERM=bogus-term $bin sample_data; echo STATUS=\$?; sleep 30"
expect termbad "unknown TERM" "cxtop: unknown terminal type 'bogus-term': set TERM, or use --once" "STATUS=2"
T new-session -d -s termunset -x 80 -y 24 "env -u TERM $bin sample_data; echo STATUS=\$?; sleep 30"
expect termunset "unset TERM" "cxtop: unknown terminal type '': set TERM, or use --once" "STATUS=2"

# No busy loop: an idle dashboard with 100,000 sources (their files absent,
# their directory watched by inotify) uses next to no CPU. Before, every
# poll_ms stat'ed every file: 17 % of a core.
# The first frame must come within expect's 3 s as well: a config of
# 100,000 sections is read in linear time (it took 76 s with a linear search
# per section; make bench prints the figure and its 10x-sections ratio).
mkdir -p "$tmp/many"
python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("[general]\ndata_dir = .\n")
    for i in range(100000):
        f.write("[events:s%d]\npath = ev%d.csv\n" % (i, i))
' "$tmp/many/many.ini"
start many 80 24 LANG=C.UTF-8 -- -c "$tmp/many/many.ini"
expect many "100,000 sources" "VANITY"
sleep 3
pid=$(pgrep -n -f "^$bin -c $tmp/many/many.ini")
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
t0=$(ticks "$pid")
sleep 5
t1=$(ticks "$pid")
hz=$(getconf CLK_TCK)
# 5 % of a core over 5 s
if [ $((t1 - t0)) -gt $((hz * 5 / 20)) ]; then
	echo "screen: idle with 100,000 sources: $((t1 - t0)) ticks of CPU in 5 s (hz $hz), want at most $((hz * 5 / 20))"
	fail=1
fi
keys many q

# --ascii: no byte outside ASCII on any screen
start as 80 24 LANG=C.UTF-8 -- --ascii sample_data
expect as "--ascii screen" "VANITY"
for k in 1 2 3 4 5 6; do
	keys as $k
	sleep 0.2
	if cap as | LC_ALL=C grep -q $'[\x80-\xff]'; then
		echo "screen: --ascii screen $k holds non-ASCII characters:"
		cap as | sed 's/^/    | /'
		fail=1
	fi
done
keys as q

# Live: an append to a watched file changes a number on screen
mkdir -p "$tmp/live"
cp sample_data/*.csv "$tmp/live/"
start lv 80 24 LANG=C.UTF-8 -- "$tmp/live"
expect lv "live start" "VANITY"
rows() { cap lv | head -1 | grep -oE '[0-9,]+ rows' | tr -d ', rows'; }
# wait for the first read to finish (the count stops moving)
before=$(rows)
for i in $(seq 1 30); do
	sleep 0.3
	now=$(rows)
	[ "$now" = "$before" ] && ! cap lv | head -1 | grep -q reading && break
	before=$now
done
printf '2026-11-20T18:30:00Z,c1,sms-flash-2,click,,\n2026-11-20T18:31:00Z,c2,sms-flash-2,click,,\n' \
	>>"$tmp/live/events.csv"
sleep 1.5
after=$(rows)
if [ -z "$before" ] || [ -z "$after" ] || [ $((after - before)) -ne 2 ]; then
	echo "screen: live append: rows went '$before' -> '$after', want +2"
	cap lv | sed 's/^/    | /'
	fail=1
fi
expect lv "live now moved" "now 11-20 18:31"
# paused: reading goes on and the header counts the rows waiting
keys lv p
expect lv "paused" "PAUSED 0 waiting"
printf '2026-11-20T18:40:00Z,c3,sms-flash-2,click,,\n' >>"$tmp/live/events.csv"
expect lv "paused, a row waiting" "PAUSED 1 waiting" "now 11-20 18:31"
keys lv p
expect lv "unpaused" "now 11-20 18:40"
reject lv "unpaused" "PAUSED"
# r reads every file again at once, not at the next sweep 30 s later
full=$(rows)
keys lv r
for i in $(seq 1 30); do
	sleep 0.2
	[ "$(rows)" = "$full" ] && ! cap lv | head -1 | grep -q reading && break
done
if [ "$(rows)" != "$full" ]; then
	echo "screen: r: rows went '$full' -> '$(rows)' 6 s after r, want '$full' again"
	cap lv | sed 's/^/    | /'
	fail=1
fi
keys lv q

# The terminal is restored on SIGTERM, SIGINT and SIGHUP: no alternate
# screen left on, the cursor visible again
for sig in TERM INT HUP; do
	start sg 80 24 LANG=C.UTF-8 -- sample_data
	expect sg "before SIG$sig" "VANITY"
	pkill -$sig -f "^$bin sample_data" 2>/dev/null || pkill -$sig -x cxtop
	expect sg "SIG$sig ends cxtop" "EXITED"
	st=$(T display -p -t sg '#{alternate_on} #{cursor_flag}')
	if [ "$st" != "0 1" ]; then
		echo "screen: after SIG$sig the terminal is not restored (alternate_on cursor_flag = $st)"
		fail=1
	fi
	T kill-session -t sg
done

# Ctrl-Z gives the shell back a clean terminal; fg brings the screen back
T new-session -d -s tz -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 PS1='sh$ ' bash --norc -i"
sleep 0.3
keys tz "$bin sample_data" Enter
expect tz "before Ctrl-Z" "VANITY"
keys tz C-z
expect tz "Ctrl-Z" "Stopped"
st=$(T display -p -t tz '#{alternate_on}')
[ "$st" = 0 ] || { echo "screen: Ctrl-Z left the alternate screen on"; fail=1; }
keys tz "fg" Enter
expect tz "fg" "VANITY" "THE METRICS GAP"
keys tz q
T kill-session -t tz

# The mouse: a click selects a row, a click on the selected row opens it, a
# click on a column header sorts by it. Clicks are sent as the SGR mouse
# reports (1006) a terminal writes for xterm-256color.
click() { # SESSION X Y (0-based cell)
	local hex
	hex=$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' $(($2 + 1)) $(($3 + 1)) $(($2 + 1)) $(($3 + 1)) |
		od -An -tx1)
	T send-keys -t "$1" -H $hex
	sleep 0.3
}
start mz 100 30 LANG=C.UTF-8 -- sample_data
expect mz "mouse start" "VANITY"
keys mz 2
expect mz "mouse campaigns" "sorted by start"
y=$(cap mz | grep -n "SMS Flash Sale II" | head -1 | cut -d: -f1)
if [ -z "$y" ]; then
	echo "screen: mouse: SMS Flash Sale II not in the campaigns table"
	fail=1
else
	click mz 5 $((y - 1))
	if ! cap mz | sed -n "${y}p" | grep -q "^▶ SMS Flash Sale II"; then
		echo "screen: mouse: a click on row $y did not select SMS Flash Sale II:"
		cap mz | sed 's/^/    | /'
		fail=1
	fi
	click mz 5 $((y - 1))
	expect mz "mouse: a click on the selected row opens it" "Campaigns › SMS Flash Sale II" \
		"$S2_CTR"
	keys mz Escape
	hy=$(cap mz | grep -n "deliv open%" | head -1 | cut -d: -f1)
	hx=$(cap mz | sed -n "${hy}p" | python3 -c 'import sys; print(sys.stdin.read().index("deliv"))')
	click mz "$hx" $((hy - 1))
	expect mz "mouse: a click on a header sorts by it" "sorted by delivered, highest first"
fi
keys mz q

[ $fail = 0 ] && echo "screen: all screen tests passed"
exit $fail
