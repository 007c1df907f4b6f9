/* Unit tests for datefmt (date_format) and tz (timezone, zone
 * abbreviations). Every expected instant was computed independently with
 * Python's datetime and zoneinfo (the same tz database), e.g.
 *   datetime(2026,3,29,2,30,tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
 * and the values are the exports' own, as SOURCES.md lists them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/datefmt.h"
#include "cxtop/tz.h"

/* Parse s with fmt (and zone z for times without a zone, overrides over)
 * from a heap copy of exactly its bytes, so ASan sees any overread. */
static int df_parse(const char *fmt, const char *s, const struct tz *z,
		    const struct tz_abbrev *over, size_t nover, struct datefmt_memo *memo,
		    int64_t *out, const char **why)
{
	struct datefmt f;
	char err[256];
	if (datefmt_compile(&f, fmt, err, sizeof err) != 0)
		fail_msg("format \"%s\" refused: %s", fmt, err);
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	struct datefmt_value v;
	int rc = datefmt_parse(&f, over, nover, memo, copy, n, &v, why);
	free(copy);
	if (rc == 0) {
		*out = v.has_zone ? v.local - v.zone_off : v.local;
		if (v.has_time && !v.has_zone && z)
			*out = tz_local_to_utc(z, *out);
	}
	return rc;
}

static void df_ok_tz(const char *fmt, const char *s, const struct tz *z, int64_t want)
{
	int64_t got = -1;
	const char *why = NULL;
	if (df_parse(fmt, s, z, NULL, 0, NULL, &got, &why) != 0)
		fail_msg("\"%s\" with %s rejected: %s", s, fmt, why);
	if (got != want)
		fail_msg("\"%s\" with %s: got %lld, want %lld", s, fmt, (long long)got,
			 (long long)want);
}

static void df_ok(const char *fmt, const char *s, int64_t want)
{
	df_ok_tz(fmt, s, NULL, want);
}

static void df_bad(const char *fmt, const char *s, const char *reason)
{
	int64_t got = -1;
	const char *why = NULL;
	if (df_parse(fmt, s, NULL, NULL, 0, NULL, &got, &why) == 0)
		fail_msg("\"%s\" with %s accepted as %lld, want \"%s\"", s, fmt, (long long)got,
			 reason);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\" with %s: reason \"%s\", want \"%s\"", s, fmt, why, reason);
}

static struct tz *zone(const char *name)
{
	char err[512];
	struct tz *z = tz_load(name, err, sizeof err);
	if (!z)
		fail_msg("%s: %s", name, err);
	return z;
}

/* The formats of SOURCES.md and of European exports. */
static void test_real_formats(void **state)
{
	df_ok("%m/%d/%y %H:%M", "9/8/18 15:29", 1536420540);       /* SurveyMonkey */
	df_ok("%m/%d/%y %H:%M", "5/10/18 4:01", 1525924860);       /* Excel */
	df_ok("%m/%d/%Y %H:%M", "5/16/2018 12:42", 1526474520);    /* Typeform via Excel */
	df_ok("%m/%d/%Y %H:%M:%S", "8/27/2014 11:29:31", 1409138971); /* Google Sheets */
	/* Google Forms download: 12-hour clock and a zone abbreviation */
	df_ok("%Y/%m/%d %I:%M:%S %p %Z", "2022/03/26 11:00:19 PM AST", 1648350019);
	df_ok("%d/%m/%Y", "26/08/2025", 1756166400);
	df_ok("%d %b %Y", "03 Nov 2026", 1793664000);
	df_ok("%d. %B %Y", "3. M\xc3\xa4rz 2026", 1772496000);
	df_ok("%d. %B %Y", "3. Maerz 2026", 1772496000);
	df_ok("%a, %d %b %Y %H:%M", "Mi, 07 Okt 2026 09:15", 1791364500);
	df_ok("%A %e %B %Y %H:%M", "Wednesday  7 October 2026 09:15", 1791364500);
	df_ok("%FT%T%z", "2026-11-03T14:05:00+0100", 1793711100);
	df_ok("%FT%T%z", "2026-11-03T14:05:00+01:00", 1793711100);
	df_ok("%FT%T%z", "2026-11-03T13:05:00Z", 1793711100);
	df_ok("%d.%m.%Y %H:%M:%S.%f", "03.11.2026 13:05:00.250", 1793711100);
	df_ok("%d.%m.%Y %T", "03.11.2026 13:05:00,250", 1793711100); /* fraction after %S */
	df_ok("%D %R", "11/03/26 13:05", 1793711100);
	/* 12 AM is midnight, 12 PM noon; a.m./p.m. spelled out */
	df_ok("%d.%m.%Y %I:%M %p", "03.11.2026 12:05 am", 1793664300);
	df_ok("%d.%m.%Y %I:%M %p", "03.11.2026 12:05 p.m.", 1793707500);
	/* a value may stop after its date: a plain date */
	df_ok("%d.%m.%Y %H:%M", "03.11.2026", 1793664000);
	/* spaces around the value and runs of spaces inside */
	df_ok("%d.%m.%Y %H:%M", "  03.11.2026    14:05 ", 1793714700);
}

static void test_rejections(void **state)
{
	df_bad("%m/%d/%y %H:%M", "13/31/18 10:00", "no such day");
	df_bad("%d.%m.%Y", "31.02.2026", "no such day");
	df_bad("%d.%m.%Y", "29.02.2026", "no such day");
	df_ok("%d.%m.%Y", "29.02.2028", 1835395200);
	df_bad("%m/%d/%y %H:%M", "9/8/18 25:00", "bad time");
	df_bad("%m/%d/%y %H:%M", "9-8-18 10:00", "does not match the format");
	df_bad("%m/%d/%y %H:%M", "9/8/18 10:00 extra", "does not match the format");
	df_bad("%m/%d/%y %H:%M", "9/8/18 10", "does not match the format"); /* time begun, cut */
	df_bad("%d.%m.%Y", "1.1.1969", "year out of range 1970-2199");
	df_bad("%Y-%m-%d %H:%M %Z", "2026-11-03 14:05 XYZ",
	       "unknown zone abbreviation (set zone.NAME = +hh:mm)");
	df_bad("%d %b %Y", "03 Foo 2026", "not a month name");
	df_bad("%d.%m.%Y %I:%M %p", "03.11.2026 13:05 PM", "hour not 1-12");
	df_bad("%d.%m.%Y", "", "empty");
}

static void compile_bad(const char *fmt, const char *want)
{
	struct datefmt f;
	char err[256];
	if (datefmt_compile(&f, fmt, err, sizeof err) == 0)
		fail_msg("format \"%s\" accepted", fmt);
	if (!strstr(err, want))
		fail_msg("format \"%s\": \"%s\", want \"%s\"", fmt, err, want);
}

static void test_compile_errors(void **state)
{
	compile_bad("%d.%m.%Q", "%Q is not a date_format directive");
	compile_bad("%d.%m.", "no year");
	compile_bad("%d.%Y", "no month");
	compile_bad("%m.%Y", "no day");
	compile_bad("%d.%m.%Y %I:%M", "%I (12-hour clock) needs %p");
	compile_bad("%d.%m.%Y %H:%M %p", "%p (AM/PM) needs %I");
	compile_bad("%d.%m.%Y %d", "%d twice");
	compile_bad("%d.%m.%Y %", "ends with a lone %");
	compile_bad("%d.%m.%Y %M", "minutes but no hour");
}

/* Abbreviations: the built-in list, and an override that wins. */
static void test_abbreviations(void **state)
{
	int64_t got;
	const char *why;
	struct tz_abbrev over[] = {{"AST", 3 * 3600}};
	assert_int_equal(df_parse("%Y/%m/%d %I:%M:%S %p %Z", "2022/03/26 11:00:19 PM AST", NULL,
				  over, 1, NULL, &got, &why),
			 0);
	assert_int_equal(got, 1648324819); /* Arabia Standard Time, +03:00 */
	df_ok("%Y-%m-%d %H:%M %Z", "2026-11-03 14:05 CET", 1793711100);
	df_ok("%Y-%m-%d %H:%M %Z", "2026-11-03 14:05 utc", 1793714700);
	int off;
	assert_int_equal(tz_abbrev_find(NULL, 0, "CEST", 4, &off), 0);
	assert_int_equal(off, 7200);
	assert_int_equal(tz_abbrev_find(NULL, 0, "EST", 3, &off), 0);
	assert_int_equal(off, -18000);
	assert_int_equal(tz_parse_offset("+05:30", &off), 0);
	assert_int_equal(off, 19800);
	assert_int_equal(tz_parse_offset("-0400", &off), 0);
	assert_int_equal(off, -14400);
	assert_int_equal(tz_parse_offset("+19:00", &off), -1);
	assert_int_equal(tz_parse_offset("0100", &off), -1);
}

/* IANA zones, both sides of every change, from the table and the rule. */
static void test_zones(void **state)
{
	struct tz *berlin = zone("Europe/Berlin"), *ny = zone("America/New_York");
	struct tz *sydney = zone("Australia/Sydney"), *tokyo = zone("Asia/Tokyo");
	struct tz *kolkata = zone("Asia/Kolkata"), *utc = zone("UTC");

	df_ok_tz("%d.%m.%Y %H:%M", "03.11.2026 14:05", berlin, 1793711100); /* CET */
	df_ok_tz("%d.%m.%Y %H:%M", "01.07.2026 12:00", berlin, 1782900000); /* CEST */
	/* the hour skipped on 29 March: read with the offset before it */
	df_ok_tz("%Y-%m-%d %H:%M", "2026-03-29 02:30", berlin, 1774747800);
	/* the hour repeated on 25 October: its first occurrence (CEST) */
	df_ok_tz("%Y-%m-%d %H:%M", "2026-10-25 02:30", berlin, 1792888200);
	df_ok_tz("%Y-%m-%d %H:%M", "2026-11-01 01:30", ny, 1793511000);
	/* southern hemisphere: summer in January */
	df_ok_tz("%Y-%m-%d %H:%M", "2026-01-15 12:00", sydney, 1768438800);
	df_ok_tz("%Y-%m-%d %H:%M", "2026-07-15 12:00", sydney, 1784080800);
	/* past the table's last change (2037): the file's POSIX rule */
	df_ok_tz("%Y-%m-%d %H:%M", "2150-07-01 12:00", berlin, 5695956000);
	df_ok_tz("%Y-%m-%d %H:%M", "2150-12-01 12:00", berlin, 5709178800);
	df_ok_tz("%Y-%m-%d %H:%M", "2150-03-29 02:30", berlin, 5687803800);
	df_ok_tz("%Y-%m-%d %H:%M", "2180-01-15 12:00", sydney, 6628179600);
	df_ok_tz("%Y-%m-%d %H:%M", "2180-07-15 12:00", sydney, 6643908000);
	df_ok_tz("%d.%m.%Y %H:%M", "03.11.2026 14:05", tokyo, 1793682300);
	df_ok_tz("%d.%m.%Y %H:%M", "03.11.2026 14:05", kolkata, 1793694900);
	df_ok_tz("%d.%m.%Y %H:%M", "03.11.2026 14:05", utc, 1793714700);
	/* a plain date is its calendar day in any zone */
	df_ok_tz("%d/%m/%Y", "26/08/2025", berlin, 1756166400);
	/* a written zone wins over the source's */
	df_ok_tz("%FT%T%z", "2026-11-03T14:05:00+00:00", berlin, 1793714700);
	assert_int_equal(tz_offset_at(berlin, 1793711100), 3600);
	assert_int_equal(tz_offset_at(berlin, 1782900000), 7200);

	char err[512];
	assert_null(tz_load("Europe/Berln", err, sizeof err));
	assert_non_null(strstr(err, "unknown time zone 'Europe/Berln'"));
	assert_null(tz_load("../etc/passwd", err, sizeof err));
	assert_non_null(strstr(err, "not a time zone name"));
	tz_free(berlin);
	tz_free(ny);
	tz_free(sydney);
	tz_free(tokyo);
	tz_free(kolkata);
	tz_free(utc);
	tz_free(NULL);
}

/* The memo of the last date never changes a result: every value of a
 * sequence parses the same with and without it. */
static void test_memo(void **state)
{
	static const char *const seq[] = {
		"9/8/18 15:29", "9/8/18 15:30", "9/8/18", "9/8/185:29", "9/8/18 1:00",
		"9/18/18 1:00", "9/8/18 1:00", "19/8/18 1:00", "9/8/18x", "9/8/18 24:00",
		"9/8/19 0:00", "9/8/18  7:07", "10/8/18 7:07", "9/8/18 7:07",
	};
	/* with seconds: the short path after a remembered date reads
	 * "[sep]H:M[:S]" itself; it must agree with the op loop */
	static const char *const seq2[] = {
		"9/8/18 7:07:01", "9/8/18 7:07:01.5", "9/8/18 7:07:01.", "9/8/18 7:07",
		"9/8/18 7:0701", "9/8/18T7:07:01", "9/8/18 7:07:01,25", "9/8/18 07:07:01 ",
		"9/8/18 7:7:1", "9/8/18 7:07:61", "9/8/18 7:60:00", "9/8/18 :07:01", "9/8/18 ",
		"9/8/18 123:07:01", "9/8/18 7:07:01Z",
	};
	static const struct { const char *fmt; const char *const *seq; size_t n; } runs[] = {
		{"%m/%d/%y %H:%M", seq, sizeof seq / sizeof seq[0]},
		{"%m/%d/%y %H:%M:%S", seq2, sizeof seq2 / sizeof seq2[0]},
		{"%m/%d/%y %T", seq2, sizeof seq2 / sizeof seq2[0]},
		{"%m/%d/%yT%H:%M:%S", seq2, sizeof seq2 / sizeof seq2[0]},
		{"%m/%d/%y %H:%M:%S.%f", seq2, sizeof seq2 / sizeof seq2[0]},
		{"%m/%d/%y %H:%M:%S%z", seq2, sizeof seq2 / sizeof seq2[0]},
	};
	for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
		struct datefmt_memo memo;
		memset(&memo, 0, sizeof memo);
		for (size_t i = 0; i < runs[k].n; i++) {
			const char *v = runs[k].seq[i];
			int64_t a = -1, b = -1;
			const char *wa = "", *wb = "";
			int ra = df_parse(runs[k].fmt, v, NULL, NULL, 0, &memo, &a, &wa);
			int rb = df_parse(runs[k].fmt, v, NULL, NULL, 0, NULL, &b, &wb);
			if (ra != rb || (ra == 0 && a != b) || (ra != 0 && strcmp(wa, wb) != 0))
				fail_msg("%s \"%s\": with memo %d %lld %s, without %d %lld %s",
					 runs[k].fmt, v, ra, (long long)a, wa, rb, (long long)b, wb);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_formats),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_memo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
