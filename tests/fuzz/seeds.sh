#!/bin/sh
# Regenerate the seed corpora of the fuzz targets in tests/fuzz/corpus/ from
# sample_data/, themes/ and a few hand-written inputs. Run from the
# repository root: sh tests/fuzz/seeds.sh. The output is deterministic and
# committed; the corpora the fuzzers grow live in build/fuzz/corpus-work/.
#
# fuzz_ingest inputs start with 7 bytes of choices (see fuzz_ingest.c):
# profile, options, window, four chunk sizes. Profiles 0-4 are the default
# sources (events responses customers campaigns awareness); then come the
# embedded real-export configs: 5 airline, 6 botanic (Latin-1), 7 mailchimp
# activity, 8 mailchimp unsubscribes, 9 mailchimp campaigns, 10 sudzilla,
# 11 semicolon/lenient events, 12 lenient customers.
set -eu

C=tests/fuzz/corpus
rm -rf "$C"
mkdir -p "$C/ingest" "$C/config" "$C/theme" "$C/parse"

# $1 file, $2 profile, $3 options, $4 window, $5 chunk sizes (4 octal
# escapes); the CSV bytes come on stdin
ingest() {
	printf "\\$(printf %03o "$2")\\$(printf %03o "$3")\\$(printf %03o "$4")$5" >"$C/ingest/$1"
	cat >>"$C/ingest/$1"
}

# the sample data: first 50 lines of each file, two ways of reading it
k=0
for f in events responses customers campaigns awareness; do
	head -n 50 "sample_data/$f.csv" | ingest "sample-$f" $k 32 0 '\007\037\000\220'
	# the same with the other kinds preloaded, rebuilt, read twice, all days
	head -n 50 "sample_data/$f.csv" | ingest "sample-$f-preload" $k $((16 + 32 + 64 + 128)) 3 '\001\377\012\100'
	k=$((k + 1))
done

# the real exports, through their own configs
R=sample_data/realdata
head -n 50 $R/prepbench_airline_nps_prepair.csv | ingest real-airline 5 32 3 '\017\200\003\077'
head -n 50 $R/botanic_nps_fr.csv | ingest real-botanic 6 32 3 '\177\002\220\011'
head -n 20 $R/fivetran_mailchimp_campaign_recipient_activity.csv | ingest real-mailchimp-activity 7 48 3 '\040\001\377\005'
ingest real-mailchimp-unsubscribe 8 48 3 '\003\003\003\003' <$R/fivetran_mailchimp_unsubscribe.csv
ingest real-mailchimp-campaign 9 48 3 '\100\000\177\010' <$R/fivetran_mailchimp_campaign.csv
head -n 12 $R/prepbench_sudzilla_nps.csv | ingest real-sudzilla 10 32 3 '\002\160\013\233'

# hand-written shapes: BOM, CRLF, quoted newlines and quotes, blank lines,
# a repeated header, a short row, a NUL, a last line without newline
printf '\357\273\277timestamp,customer_id,campaign_id,event,value,machine\r\n2026-11-01T10:00:00Z,C1,em-1,sent,,\r\n\r\n"2026-11-01 10:00:01","C1","em-1","delivered","",""\r\n2026-11-01T10:05:00+01:00,"C""2",em-1,open,,yes\r\ntimestamp,customer_id,campaign_id,event,value,machine\r\n1793714700,C3,em-1,click,1e3,0\r\n2026-11-02,C4,em-1\r\n2026-11-02,C\0005,em-1,Open,,\r\n2026-11-02T00:00:00Z,C6,em-1,unsubscribe,-0,n' |
	ingest hand-events-crlf 0 48 0 '\000\001\002\003'
printf 'timestamp,customer_id,survey,score,campaign_id,segment,comment\n2026-11-01T10:00:00Z,C1,nps,10,em-1,smb,"line one\nline two, with ""quotes"""\n2026-11-01T11:00:00Z,C2,NPS,9.0,,,\377\376 bad utf-8\n2026-11-01T12:00:00Z,C3,csat,NA,,,\n2026-11-01T13:00:00Z,C4,ces,8,,,out of range\n2026-11-01T14:00:00Z,C5,nps,"6\n' |
	ingest hand-responses-quoted 1 48 2 '\000\004\000\010'
printf 'customer_id,signup_date,churn_date,segment,opted_in,monthly_revenue\nC1,2026-02-28,2026-02-30,smb,yes,1e308\nC2,2026-01-01,2025-12-31,,no,NaN\nC3,2026-01-01,,,maybe,\nC4,2026-01-01,2026-03-01,ent,1,99.5\n' |
	ingest hand-customers-bad 2 32 3 '\177\177\177\177'
printf 'timestamp;customer_id;campaign_id;event;value;machine\n2026-11-01T10:00:00Z;C1;em-1;Ge\303\266ffnet;;\n2026-11-01T10:00:00Z;C1;em-1;purchase;$1,200.50;\n2026-11-01T10:00:00Z;C1;em-1;mpp;;\ntimestamp;customer_id;campaign_id;event;value;machine\n2026-11-01T10:00:00Z;C2;em-1;opened;\342\202\254 12;\n' |
	ingest hand-events-lenient 11 0 3 '\005\011\000\002'
printf 'Kunde;signup_date;Umsatz\nK1;2026-01-01;"1 200,00"\nK2;2026-01-02;\302\24399\n' |
	ingest hand-customers-lenient 12 1 3 '\000\000\000\000'
printf 'date\tcampaign_id\timpressions\treach\taware\tasked\n2026-11-01\t\t1000\t400\t60\t50\n2026-11-02\tx\t 2000 \t900\t\t\n' |
	ingest hand-awareness-tab 4 34 1 '\010\010\010\010'
printf 'campaign_id|name|channel|start_date|spend\nem-1|Caf\351 \033]0;owned\007|email|2026-11-01|10\nem-2|x\r|sms||\n' |
	ingest hand-campaigns-pipe-latin1 3 39 3 '\001\001\001\001'

# configs: the real-data configs, every [general] key, and shapes of values
for f in $R/*.ini; do
	cp "$f" "$C/config/real-$(basename "$f" .ini)"
done
cat >"$C/config/all-general" <<'EOF'
; every [general] key
[general]
data_dir = data
window = 7d
refresh_ms = 500
poll_ms = 2000
now = clock
theme = light
gross_margin = 60%
nps_min_n = 50
nps_max_moe = 7.5
engaged_events = open, click
hve_events = conversion,click
complaint_rate_max = 0.2%
machine_open_share = 0.5
nps_shift_points = 4
detractor_mean_drop = 0.5
hard_share_rise = 10%
response_drop = 0.02
response_rate_min = 15 %
EOF
cat >"$C/config/sources" <<'EOF'
[events]
path = ev/*.csv
delimiter = tab
encoding = iso-8859-1
numbers = lenient
na = NA, n/a, -
col.customer_id = "  Kunde ; Nr  "
const.campaign_id = em-1
event.open = Geöffnet, opened
event.machine_open = mpp
[events:second]
path = second.csv
const.timestamp = 1793714700
const.event = unsubscribe
[responses]
na = skip
const.survey = csat
col.score = How likely are you to recommend us? It's a long question, as survey tools make them, and it does not fit into inih's line of two hundred bytes at all, so it goes through the long value path.
[customers]
delimiter = ;
[awareness]
const.date = 2026-11-01
col.impressions = Impr.
[campaigns]
col.name = Title
const.channel = sms
EOF
printf '\357\273\277[general]\r\nwindow = all ; comment\r\n[events:x]\r\npath: x.csv\r\n' >"$C/config/bom-crlf"
printf '[general]\nwindow = 30d\n[events]\ncol.score = x\n' >"$C/config/error"

# themes
for f in themes/*.ini; do
	cp "$f" "$C/theme/$(basename "$f" .ini)"
done
printf '[theme]\nname = "quoted name"\n[roles]\ntitle = bright-white 17 bold underline reverse standout dim\nbad = 256 default\n' >"$C/theme/errors"

# field values for the parsers
n=0
while IFS= read -r v; do
	printf '%s' "$v" >"$C/parse/v$n"
	n=$((n + 1))
done <<'EOF'
2026-11-03T14:05:00Z
2026-11-03 14:05:00.402
  2026-11-03T14:05:00+01:00 
2026-11-03T23:59:60-0930
2026-02-29
2024-02-29T00:00:00 UTC
2199-12-31T23:59:59Z
1969-12-31T23:59:59Z
1793714700
1793714700.402
12.50
-0
1e308
0.30000000000000000000001
123456.789e-3
-1e15
1000000000000000.5
NaN
9.0
-9223372036854775808
yes
FALSE
Café
EOF
printf 'caf\351 \377\376\355\240\200\360\220\200\200\364\220\200\200\300\257' >"$C/parse/bad-utf8"

# fuzz_detect: the start of every real and made-up export, and the samples
mkdir -p "$C/detect"
for f in $R/*.csv tests/exports/*.csv tests/exports/*.txt; do
	head -c 8000 "$f" >"$C/detect/$(basename "$f")"
done
for f in events responses customers campaigns awareness; do
	head -n 30 "sample_data/$f.csv" >"$C/detect/sample-$f.csv"
done

# fuzz_csvsplit: 3 bytes of choices (delimiter, two chunk sizes), then a
# file: the samples, real exports that quote fields, CRLF and hostile lines
mkdir -p "$C/csvsplit"
split() {
	printf "\\$(printf %03o "$2")$3" >"$C/csvsplit/$1"
	cat >>"$C/csvsplit/$1"
}
for f in events responses customers; do
	head -n 40 "sample_data/$f.csv" | split "sample-$f" 0 '\007\220'
done
for f in $R/*.csv; do
	head -c 6000 "$f" | split "real-$(basename "$f" .csv)" 0 '\002\377'
done
printf 'timestamp,customer_id,campaign_id,event\r\n 2026-01-01 ,c1,\t spring sale ,open\r\n\r\n2026-01-02,"c,2","two\r\nlines",open\r2026-01-03,c3,spr"ing,open\n   \n,,\n' |
	split crlf-and-quotes 0 '\000\003'
printf 'timestamp\tcustomer_id\tcampaign_id\tevent\n2026-01-01\t c1 \t\tspring\topen\n2026-01-02\tc2\tspring\topen' |
	split tab-no-final-newline 2 '\010\001'
