/* Unit tests for parse: timestamps (epoch values checked against
 * `date -u -d ... +%s`), decimals, integers, booleans, UTF-8 and Latin-1. */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "cxtop/parse.h"

/* Parse a timestamp from a heap copy of exactly its bytes (no NUL after
 * them), so ASan catches any read past the length. */
static int ts_parse(const char *s, int64_t *out, const char **why)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, n);
	rc = parse_timestamp(copy, n, out, why);
	free(copy);
	return rc;
}

static void ts_ok(const char *s, int64_t want)
{
	int64_t got = -12345;
	const char *why = NULL;

	if (ts_parse(s, &got, &why) != 0)
		fail_msg("\"%s\" rejected: %s", s, why);
	if (got != want)
		fail_msg("\"%s\": got %lld, want %lld", s, (long long)got, (long long)want);
}

static void ts_bad(const char *s, const char *reason)
{
	int64_t got = -12345;
	const char *why = NULL;

	if (ts_parse(s, &got, &why) == 0)
		fail_msg("\"%s\" accepted as %lld, want \"%s\"", s, (long long)got, reason);
	assert_non_null(why);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\": reason \"%s\", want \"%s\"", s, why, reason);
	assert_int_equal(got, -12345); /* *out untouched on failure */
}

static void test_ts_iso_forms(void **state)
{
	ts_ok("2026-11-03T14:05:00Z", 1793714700);
	ts_ok("2026-11-03 14:05:00", 1793714700);
	ts_ok("2026-11-03t14:05:00z", 1793714700);
	ts_ok("2026-11-03T14:05", 1793714700);
	ts_ok("2026-11-03T14:05Z", 1793714700);
	ts_ok("2026-11-03", 1793664000);
	ts_ok("1970-01-01", 0);
	ts_ok("1970-01-01T00:00:00Z", 0);
	ts_ok("2199-12-31T23:59:59Z", INT64_C(7258118399));
	ts_ok("  2026-11-03T14:05:00Z\t ", 1793714700);
	ts_ok("2016-12-31T23:59:59Z", 1483228799);
}

static void test_ts_fraction(void **state)
{
	ts_ok("2019-11-01 08:51:12.402", 1572598272);
	ts_ok("2019-11-01T08:51:12.4Z", 1572598272);
	ts_ok("2019-11-01T08:51:12,402", 1572598272);
	ts_ok("2026-11-03T14:05:59.999999Z", 1793714759);
	ts_ok("2026-11-03T14:05:00.123456789123+01:00", 1793711100);
	ts_bad("2026-11-03T14:05:00.", "bad time");
	ts_bad("2026-11-03T14:05:00.Z", "bad time");
}

static void test_ts_offsets(void **state)
{
	ts_ok("2026-11-03T14:05:00+01:00", 1793711100);
	ts_ok("2026-11-03T14:05:00+0100", 1793711100);
	ts_ok("2026-11-03T14:05:00+01", 1793711100);
	ts_ok("2026-11-03 14:05:00 +0100", 1793711100);
	ts_ok("2026-11-03T14:05:00-05:30", 1793734500);
	ts_ok("2026-11-03T14:05:00-0530", 1793734500);
	ts_ok("2026-11-03T14:05:00+00:00", 1793714700);
	ts_ok("2026-11-03T14:05:00-00:00", 1793714700);
	ts_ok("2026-11-03 14:05:00 UTC", 1793714700);
	/* An offset that crosses midnight and a month end. */
	ts_ok("2026-11-03T23:30:00-01:00", 1793752200);
	ts_ok("2026-12-31T23:30:00-01:00", 1798763400);
	ts_ok("1970-01-01T01:00:00+01:00", 0);
	ts_bad("2026-11-03T14:05:00+25:00", "bad time zone");
	ts_bad("2026-11-03T14:05:00+01:60", "bad time zone");
	ts_bad("2026-11-03T14:05:00+1", "bad time zone");
	ts_bad("2026-11-03T14:05:00+01:0", "bad time zone");
	ts_bad("2026-11-03T14:05:00+010", "bad time zone");
	ts_bad("2026-11-03T14:05:00+01x00", "bad time zone");
	ts_bad("2026-11-03T14:05:00Zjunk", "bad time zone");
	ts_bad("2026-11-03T14:05:00 CET", "bad time zone");
}

static void test_ts_epoch(void **state)
{
	ts_ok("1793714700", 1793714700);
	ts_ok("1793714700.402", 1793714700);
	ts_ok(" 1572598272 ", 1572598272);
	ts_ok("12345", 12345);
	ts_ok("7258118399", INT64_C(7258118399));
	ts_bad("2026", "not a date");
	ts_bad("1234", "not a date");
	ts_bad("1793714700.", "not a date");
	ts_bad("-1793714700", "not a date");
	ts_bad("1793714700x", "not a date");
	ts_bad("7258118400", "year out of range 1970-2199");
	/* Milliseconds since the epoch land far past 2199. */
	ts_bad("1793714700000", "year out of range 1970-2199");
	ts_bad("99999999999999999999999999999", "year out of range 1970-2199");
}

static void test_ts_leap_years(void **state)
{
	ts_ok("2024-02-29", 1709164800);
	ts_ok("2000-02-29", 951782400);
	ts_bad("2026-02-29", "no such day");
	ts_bad("2100-02-29", "no such day");
	ts_bad("2026-02-30", "no such day");
	ts_bad("2026-04-31", "no such day");
	ts_bad("2026-13-01", "no such day");
	ts_bad("2026-00-10", "no such day");
	ts_bad("2026-01-00", "no such day");
	ts_ok("2026-12-31", 1798675200);
}

static void test_ts_rejections(void **state)
{
	ts_bad("", "empty");
	ts_bad("   ", "empty");
	ts_bad("hello", "not a date");
	ts_bad("03/11/2026", "not a date");
	ts_bad("2026-11-3", "not a date");
	ts_bad("2026/11/03", "not a date");
	ts_bad("2026-11-03X14:05", "not a date");
	ts_bad("2026-1a-03", "not a date");
	ts_bad("0001-01-01", "year out of range 1970-2199");
	ts_bad("1969-12-31", "year out of range 1970-2199");
	ts_bad("2200-01-01", "year out of range 1970-2199");
	ts_bad("9999-12-31T23:59:59Z", "year out of range 1970-2199");
	/* In range as written, out of range once converted to UTC. */
	ts_bad("1970-01-01T00:30:00+01:00", "year out of range 1970-2199");
	ts_bad("2199-12-31T23:30:00-01:00", "year out of range 1970-2199");
	ts_ok("2199-12-31T23:30:00+01:00", INT64_C(7258113000));
	ts_bad("2026-11-03T24:00:00", "bad time");
	ts_bad("2026-11-03T14:60:00", "bad time");
	ts_bad("2026-11-03T14:05:61", "bad time");
	ts_bad("2026-11-03T14", "bad time");
	ts_bad("2026-11-03T14:5", "bad time");
	ts_bad("2026-11-03T14:05:0", "bad time");
	ts_bad("2026-11-03T1a:05", "bad time");
	ts_bad("2026-11-03T", "bad time");
}

/* The field is a slice of a larger buffer: only n bytes count. */
static void test_ts_not_terminated(void **state)
{
	const char row[] = "2026-11-03T14:05:00Z,1999,x";
	int64_t got = 0;
	const char *why = NULL;

	assert_int_equal(parse_timestamp(row, 20, &got, &why), 0);
	assert_int_equal(got, 1793714700);
	assert_int_equal(parse_timestamp(row, 10, &got, &why), 0);
	assert_int_equal(got, 1793664000);
	assert_int_equal(parse_timestamp(row, 19, &got, &why), 0);
	assert_int_equal(got, 1793714700);
	assert_int_equal(parse_timestamp(row, 21, &got, &why), -1);
	assert_string_equal(why, "bad time zone");
}

/* Every day of the accepted range: our calendar agrees with gmtime_r, and
 * formatting then parsing gives the same day back. */
static void test_ts_calendar_sweep(void **state)
{
	char buf[80]; /* room for any int fields, so -Wformat-truncation is quiet */
	int64_t got;
	const char *why;

	for (int64_t ts = 0; ts < INT64_C(7258118400); ts += 86400 + 3607) {
		time_t t = (time_t)ts;
		struct tm tm;

		assert_non_null(gmtime_r(&t, &tm));
		snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_int_equal(parse_timestamp(buf, strlen(buf), &got, &why), 0);
		assert_int_equal(got, ts);
		parse_format_ts(ts, buf, sizeof buf);
		assert_int_equal(parse_timestamp(buf, strlen(buf), &got, &why), 0);
		assert_int_equal(got, ts);
	}
}

static void test_format(void **state)
{
	char buf[32];

	parse_format_ts(1793714700, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-03T14:05:00Z");
	parse_format_date(1793714700, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-03");
	parse_format_ts(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	parse_format_ts(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	parse_format_date(-1, buf, sizeof buf);
	assert_string_equal(buf, "1969-12-31");
	parse_format_ts(951782400 + 86399, buf, sizeof buf);
	assert_string_equal(buf, "2000-02-29T23:59:59Z");
	parse_format_ts(INT64_C(7258118399), buf, 21); /* the documented minimum */
	assert_string_equal(buf, "2199-12-31T23:59:59Z");
	parse_format_ts(1793714700, buf, 11); /* truncates, stays terminated */
	assert_string_equal(buf, "2026-11-03");
}

static void test_day(void **state)
{
	assert_int_equal(parse_day(0), 0);
	assert_int_equal(parse_day(86399), 0);
	assert_int_equal(parse_day(86400), 1);
	assert_int_equal(parse_day(-1), -1);
	assert_int_equal(parse_day(-86400), -1);
	assert_int_equal(parse_day(-86401), -2);
	assert_int_equal(parse_day(1793714700), 20760);
}

static void dec_ok(const char *s, double want)
{
	double got = -999;
	const char *why = NULL;

	if (parse_decimal(s, strlen(s), &got, &why) != 0)
		fail_msg("\"%s\" rejected: %s", s, why);
	if (got != want)
		fail_msg("\"%s\": got %.17g, want %.17g", s, got, want);
}

static void dec_bad(const char *s, const char *reason)
{
	double got = -999;
	const char *why = NULL;

	if (parse_decimal(s, strlen(s), &got, &why) == 0)
		fail_msg("\"%s\" accepted as %.17g, want \"%s\"", s, got, reason);
	assert_non_null(why);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\": reason \"%s\", want \"%s\"", s, why, reason);
}

static void test_decimal_ok(void **state)
{
	double z = -1;
	const char *why;

	dec_ok("12.50", 12.5);
	dec_ok("-3", -3);
	dec_ok("+3", 3);
	dec_ok("1e3", 1000);
	dec_ok("1E+3", 1000);
	dec_ok("2.5e-1", 0.25);
	dec_ok("0.1", 0.1);
	dec_ok(".5", 0.5);
	dec_ok("5.", 5);
	dec_ok(" 7.25 ", 7.25);
	dec_ok("007", 7);
	dec_ok("0.000001", 0.000001);
	dec_ok("19.99", 19.99);
	dec_ok("1e15", 1e15);
	dec_ok("-1e15", -1e15);
	dec_ok("999999999999999", 999999999999999.0);
	dec_ok("0e999", 0);
	dec_ok("1e-400", 0);
	/* Past 15 significant digits the slow path must round like strtod. */
	dec_ok("3.14159265358979323846", 3.14159265358979323846);
	dec_ok("0.30000000000000000000001", 0.3);
	dec_ok("123456.789e-3", 123.456789);
	dec_ok("0.0000000000000000000000001234", 1.234e-25);

	assert_int_equal(parse_decimal("-0", 2, &z, &why), 0);
	assert_true(z == 0 && !signbit(z));
	assert_int_equal(parse_decimal("-0.000", 6, &z, &why), 0);
	assert_true(z == 0 && !signbit(z));
	/* Only n bytes count. */
	assert_int_equal(parse_decimal("12.5,99", 4, &z, &why), 0);
	assert_true(z == 12.5);
}

static void test_decimal_rejections(void **state)
{
	dec_bad("", "empty");
	dec_bad("  ", "empty");
	dec_bad("NaN", "not a number");
	dec_bad("nan", "not a number");
	dec_bad("inf", "not a number");
	dec_bad("-Infinity", "not a number");
	dec_bad("$12", "not a number");
	dec_bad("12$", "not a number");
	dec_bad("12 EUR", "not a number");
	dec_bad("1,200", "not a number");
	dec_bad("12,5", "not a number");
	dec_bad("1 200", "not a number");
	dec_bad("0x10", "not a number");
	dec_bad("12.5.1", "not a number");
	dec_bad("1e", "not a number");
	dec_bad("1e+", "not a number");
	dec_bad("e3", "not a number");
	dec_bad("-", "not a number");
	dec_bad(".", "not a number");
	dec_bad("--1", "not a number");
	dec_bad("1e308", "out of range");
	dec_bad("1e400", "out of range");
	dec_bad("-1e308", "out of range");
	dec_bad("1000000000000000.5", "out of range");
	dec_bad("1.0000000000000001e15", "out of range");
	dec_bad("12345678901234567", "out of range");
	dec_bad("1e99999999999999999999", "out of range");
}

/* Random decimals of the shapes exports use: the fast path must give the
 * very double strtod gives (the tests run in the "C" locale). */
static void test_decimal_matches_strtod(void **state)
{
	char buf[64];
	unsigned seed = 12345;

	for (int i = 0; i < 200000; i++) {
		double got, want;
		const char *why;
		unsigned r;
		int len;

		seed = seed * 1103515245u + 12345u;
		r = seed >> 8;
		switch (i % 4) {
		case 0:
			len = snprintf(buf, sizeof buf, "%u.%02u", r % 100000, (r >> 3) % 100);
			break;
		case 1:
			len = snprintf(buf, sizeof buf, "-%u.%u", r % 1000, r % 1000000);
			break;
		case 2:
			len = snprintf(buf, sizeof buf, "%ue%d", r % 10000, (int)(r % 31) - 20);
			break;
		default:
			len = snprintf(buf, sizeof buf, "0.%u%u", r, seed % 1000);
			break;
		}
		want = strtod(buf, NULL);
		if (fabs(want) > 1e15)
			continue;
		if (parse_decimal(buf, (size_t)len, &got, &why) != 0)
			fail_msg("\"%s\" rejected: %s", buf, why);
		if (got != want)
			fail_msg("\"%s\": got %.17g, strtod %.17g", buf, got, want);
	}
}

static void int_ok(const char *s, long want)
{
	long got = -999;
	const char *why = NULL;

	if (parse_int(s, strlen(s), &got, &why) != 0)
		fail_msg("\"%s\" rejected: %s", s, why);
	assert_int_equal(got, want);
}

static void int_bad(const char *s, const char *reason)
{
	long got = -999;
	const char *why = NULL;

	if (parse_int(s, strlen(s), &got, &why) == 0)
		fail_msg("\"%s\" accepted as %ld, want \"%s\"", s, got, reason);
	assert_non_null(why);
	if (strcmp(why, reason) != 0)
		fail_msg("\"%s\": reason \"%s\", want \"%s\"", s, why, reason);
	assert_int_equal(got, -999);
}

static void test_int(void **state)
{
	char buf[64];

	int_ok("9", 9);
	int_ok("+9", 9);
	int_ok("-3", -3);
	int_ok("9.0", 9);
	int_ok("10.00", 10);
	int_ok(" 9 ", 9);
	int_ok("0", 0);
	int_ok("-0", 0);
	int_ok("007", 7);
	snprintf(buf, sizeof buf, "%ld", LONG_MAX);
	int_ok(buf, LONG_MAX);
	snprintf(buf, sizeof buf, "%ld", LONG_MIN);
	int_ok(buf, LONG_MIN);
	int_bad("9.5", "not a whole number");
	int_bad("9.01", "not a whole number");
	int_bad("nine", "not a number");
	int_bad("", "empty");
	int_bad("  ", "empty");
	int_bad("9.", "not a number");
	int_bad(".0", "not a number");
	int_bad("-", "not a number");
	int_bad("9e0", "not a number");
	int_bad("9 9", "not a number");
	int_bad("1,000", "not a number");
	int_bad("99999999999999999999", "out of range");
	snprintf(buf, sizeof buf, "%lu", (unsigned long)LONG_MAX + 1);
	int_bad(buf, "out of range");
}

static void test_bool(void **state)
{
	/* t and f: PostgreSQL's text form of a boolean (database sources) */
	static const char *const yes[] = { "yes", "YES", "Yes", "true", "TRUE", "True", "1", "y", "Y", " yes ", "t", "T" };
	static const char *const no[] = { "no", "NO", "No", "false", "FALSE", "0", "n", "N", "\tno", "f" };
	static const char *const bad[] = { "maybe", "2", "ye", "yess", "tr", "fa", "on", "off", "-1", "1.0" };
	int v;
	const char *why;

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		v = -1;
		assert_int_equal(parse_bool(yes[i], strlen(yes[i]), &v, &why), 0);
		assert_int_equal(v, 1);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		v = -1;
		assert_int_equal(parse_bool(no[i], strlen(no[i]), &v, &why), 0);
		assert_int_equal(v, 0);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(parse_bool(bad[i], strlen(bad[i]), &v, &why), -1);
		assert_string_equal(why, "not yes/no");
	}
	assert_int_equal(parse_bool("", 0, &v, &why), -1);
	assert_string_equal(why, "empty");
	/* "yes" cut to "y" by the length is still yes; "no" cut to "n" is no. */
	assert_int_equal(parse_bool("yes", 1, &v, &why), 0);
	assert_int_equal(v, 1);
}

#define U8(s) parse_utf8_valid(s, sizeof(s) - 1)

static void test_utf8_valid(void **state)
{
	assert_true(U8(""));
	assert_true(U8("plain ascii, long enough for the word loop"));
	assert_true(U8("h\xC3\xA9llo"));                 /* é */
	assert_true(U8("\xE2\x82\xAC"));                 /* € */
	assert_true(U8("\xF0\x9F\x98\x80"));             /* U+1F600 */
	assert_true(U8("\xF4\x8F\xBF\xBF"));             /* U+10FFFF */
	assert_true(U8("\xED\x9F\xBF"));                 /* U+D7FF */
	assert_true(U8("\xEE\x80\x80"));                 /* U+E000 */
	assert_true(U8("\xC2\x80"));                     /* U+0080 */
	assert_true(U8("\xE0\xA0\x80"));                 /* U+0800 */
	assert_true(U8("\xF0\x90\x80\x80"));             /* U+10000 */
	assert_true(U8("a\0b"));                         /* NUL is valid UTF-8 */

	assert_false(U8("\xC0\x80"));                    /* overlong NUL */
	assert_false(U8("\xC1\xBF"));                    /* overlong */
	assert_false(U8("\xE0\x80\x80"));                /* overlong */
	assert_false(U8("\xE0\x9F\xBF"));                /* overlong */
	assert_false(U8("\xF0\x80\x80\x80"));            /* overlong */
	assert_false(U8("\xF0\x8F\xBF\xBF"));            /* overlong */
	assert_false(U8("\xED\xA0\x80"));                /* surrogate D800 */
	assert_false(U8("\xED\xBF\xBF"));                /* surrogate DFFF */
	assert_false(U8("\xF4\x90\x80\x80"));            /* U+110000 */
	assert_false(U8("\xF5\x80\x80\x80"));
	assert_false(U8("\xFF"));
	assert_false(U8("\x80"));                        /* lone continuation */
	assert_false(U8("\xE2\x82"));                    /* truncated at end */
	assert_false(U8("\xE2\x82" "A"));                /* truncated mid-string */
	assert_false(U8("\xF0\x9F\x98"));
	assert_false(U8("\xC3"));
	assert_false(U8("0123456789abcdef\xFF" "0123456789")); /* after a fast run */
	/* Only n bytes are read: a valid sequence cut by the length is invalid. */
	assert_false(parse_utf8_valid("\xE2\x82\xAC", 2));
	assert_true(parse_utf8_valid("ab\xE2\x82\xAC", 2));
}

static void test_utf8_repair(void **state)
{
	char out[64];
	size_t k;

	k = parse_utf8_repair(out, sizeof out, "a\xFF" "b", 3);
	assert_int_equal(k, 5);
	assert_string_equal(out, "a\xEF\xBF\xBD" "b");

	k = parse_utf8_repair(out, sizeof out, "h\xC3\xA9llo \xE2\x82\xAC", 10);
	assert_int_equal(k, 10);
	assert_string_equal(out, "h\xC3\xA9llo \xE2\x82\xAC");

	/* Each bad byte of a truncated sequence becomes one U+FFFD. */
	k = parse_utf8_repair(out, sizeof out, "\xE2\x82" "A", 3);
	assert_int_equal(k, 7);
	assert_string_equal(out, "\xEF\xBF\xBD\xEF\xBF\xBD" "A");

	k = parse_utf8_repair(out, sizeof out, "\xED\xA0\x80", 3);
	assert_int_equal(k, 9);
	assert_true(parse_utf8_valid(out, k));

	k = parse_utf8_repair(out, sizeof out, "\xC0\x80", 2);
	assert_int_equal(k, 6);
	assert_string_equal(out, "\xEF\xBF\xBD\xEF\xBF\xBD");

	/* 3*n+1 always holds the worst case. */
	k = parse_utf8_repair(out, 3 * 4 + 1, "\xFF\xFE\x80\xC3", 4);
	assert_int_equal(k, 12);
	assert_true(parse_utf8_valid(out, k));

	/* Truncation keeps whole characters and the terminator. */
	k = parse_utf8_repair(out, 5, "abc\xE2\x82\xAC", 6);
	assert_int_equal(k, 3);
	assert_string_equal(out, "abc");
	k = parse_utf8_repair(out, 6, "ab\xFF" "cd", 5);
	assert_int_equal(k, 5);
	assert_string_equal(out, "ab\xEF\xBF\xBD");
	k = parse_utf8_repair(out, 1, "abc", 3);
	assert_int_equal(k, 0);
	assert_string_equal(out, "");
	assert_int_equal(parse_utf8_repair(out, 0, "abc", 3), 0);
}

/* Windows-1252: the euro sign and curly quotes of 0x80-0x9F (checked with
 * Python's bytes.decode("cp1252")), the rest as Latin-1. */
static void test_cp1252(void **state)
{
	char out[64];
	size_t k = parse_cp1252_to_utf8(out, sizeof out, "\x80 5 \x93ok\x94 \x96 caf\xE9", 15);
	assert_string_equal(out, "\xE2\x82\xAC 5 \xE2\x80\x9Cok\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9");
	assert_int_equal(k, strlen(out));
	assert_true(parse_utf8_valid(out, k));
	/* undefined in Windows-1252: the C1 control of that number */
	k = parse_cp1252_to_utf8(out, sizeof out, "\x81\x9F", 2);
	assert_string_equal(out, "\xC2\x81\xC5\xB8");
}

static void dc_ok(const char *s, double want)
{
	double got = -1;
	const char *why = "";
	if (parse_decimal_comma(s, strlen(s), &got, &why) != 0)
		fail_msg("\"%s\" rejected: %s", s, why);
	if (got != want)
		fail_msg("\"%s\": got %.17g, want %.17g", s, got, want);
}

static void dc_bad(const char *s)
{
	double got = -1;
	const char *why = "";
	if (parse_decimal_comma(s, strlen(s), &got, &why) == 0)
		fail_msg("\"%s\" accepted as %.17g", s, got);
}

/* decimal = comma: German, French and Swiss-French writing of numbers. */
static void test_decimal_comma(void **state)
{
	dc_ok("1.234,56", 1234.56);
	dc_ok("1 234,56", 1234.56);
	dc_ok("1\xC2\xA0" "234,56 \xE2\x82\xAC", 1234.56);  /* NBSP, euro sign */
	dc_ok("1\xE2\x80\xAF" "234,56\xC2\xA0\xE2\x82\xAC", 1234.56); /* narrow NBSP */
	dc_ok("\xE2\x82\xAC 12,50", 12.5);
	dc_ok("EUR -12,5", -12.5);
	dc_ok("12,50 CHF", 12.5);
	dc_ok("-1.234.567,891", -1234567.891);
	dc_ok("1234", 1234);
	dc_ok("0,1", 0.1);
	dc_ok(" 7 ", 7);
	dc_ok("12.345", 12345); /* a thousands group, not a decimal point */
	dc_bad("1,234.56");     /* the other convention */
	dc_bad("1.23,4");
	dc_bad("1.2345,6");
	dc_bad("12,5,0");
	dc_bad(".5");
	dc_bad("1,");
	dc_bad("EUREUR 5");
	dc_bad("");
}

static void test_latin1(void **state)
{
	char out[64];
	size_t k;

	k = parse_latin1_to_utf8(out, sizeof out, "\xE9", 1);
	assert_int_equal(k, 2);
	assert_memory_equal(out, "\xC3\xA9", 3);

	k = parse_latin1_to_utf8(out, sizeof out, "caf\xE9 na\xEFve \xA3" "5", 13);
	assert_string_equal(out, "caf\xC3\xA9 na\xC3\xAFve \xC2\xA3" "5");
	assert_int_equal(k, 16);
	assert_true(parse_utf8_valid(out, k));

	k = parse_latin1_to_utf8(out, sizeof out, "\x80\xFF", 2);
	assert_string_equal(out, "\xC2\x80\xC3\xBF");
	assert_int_equal(k, 4);

	k = parse_latin1_to_utf8(out, sizeof out, "plain", 5);
	assert_string_equal(out, "plain");

	/* 2*n+1 always suffices; less truncates between characters. */
	k = parse_latin1_to_utf8(out, 2 * 3 + 1, "\xE9\xE9\xE9", 3);
	assert_int_equal(k, 6);
	k = parse_latin1_to_utf8(out, 4, "a\xE9\xE9", 3);
	assert_int_equal(k, 3);
	assert_string_equal(out, "a\xC3\xA9");
	k = parse_latin1_to_utf8(out, 3, "a\xE9", 2);
	assert_int_equal(k, 1);
	assert_string_equal(out, "a");
	assert_int_equal(parse_latin1_to_utf8(out, 0, "a", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts_iso_forms),
		cmocka_unit_test(test_ts_fraction),
		cmocka_unit_test(test_ts_offsets),
		cmocka_unit_test(test_ts_epoch),
		cmocka_unit_test(test_ts_leap_years),
		cmocka_unit_test(test_ts_rejections),
		cmocka_unit_test(test_ts_not_terminated),
		cmocka_unit_test(test_ts_calendar_sweep),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_decimal_ok),
		cmocka_unit_test(test_decimal_rejections),
		cmocka_unit_test(test_decimal_matches_strtod),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_repair),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_decimal_comma),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
