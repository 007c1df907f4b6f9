/* fuzz_parse: libFuzzer target for the field parsers and text repairs of
 * parse.h, which see every field of every row. The whole input is one field
 * (pointer and length, not NUL-terminated: libFuzzer's buffer ends exactly
 * at size, so ASan catches a read past the length).
 *
 * Invariants checked (a violation aborts, as a crash):
 * - parse_timestamp: an accepted value lies in 1970-2199, and formatting it
 *   and parsing the text again gives it back (parse_format_ts), as does the
 *   date of its day (parse_format_date, midnight UTC);
 * - parse_decimal: an accepted value is finite, within 1e15, never -0, and
 *   equal to what strtod makes of the same text (the fast path claims to be
 *   exact);
 * - parse_int: equal to strtol when there is no ".0" fraction;
 * - parse_bool: 0 or 1;
 * - parse_utf8_repair: the output is valid UTF-8, NUL-terminated, shorter
 *   than the capacity, even for a small capacity; valid input is copied
 *   unchanged;
 * - parse_latin1_to_utf8: valid UTF-8 of n + (bytes >= 0x80) bytes. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxtop/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TS_END INT64_C(7258118400)

static void fuzz_fail(const char *what, const char *s, size_t n)
{
	fprintf(stderr, "fuzz_parse: invariant broken: %s for \"%.*s\"\n", what, (int)n, s);
	abort();
}

/* The field as a NUL-terminated string, or NULL if it holds a NUL. */
static char *fuzz_cstr(const char *s, size_t n)
{
	char *c;

	if (memchr(s, '\0', n))
		return NULL;
	c = malloc(n + 1);
	if (!c)
		abort();
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static void fuzz_timestamp(const char *s, size_t n)
{
	char buf[64];
	const char *why = NULL;
	int64_t ts, back;

	if (parse_timestamp(s, n, &ts, &why) < 0) {
		if (!why || !*why)
			fuzz_fail("timestamp rejected without a reason", s, n);
		return;
	}
	if (ts < 0 || ts >= FUZZ_TS_END)
		fuzz_fail("timestamp out of 1970-2199", s, n);
	parse_format_ts(ts, buf, sizeof buf);
	if (parse_timestamp(buf, strlen(buf), &back, &why) < 0 || back != ts)
		fuzz_fail("format/parse round trip of the timestamp", s, n);
	parse_format_date(ts, buf, sizeof buf);
	if (parse_timestamp(buf, strlen(buf), &back, &why) < 0 ||
	    back != parse_day(ts) * 86400)
		fuzz_fail("format/parse round trip of the date", s, n);
}

static void fuzz_decimal(const char *s, size_t n)
{
	const char *why = NULL;
	double v, r;
	char *c, *end;

	if (parse_decimal(s, n, &v, &why) < 0) {
		if (!why || !*why)
			fuzz_fail("decimal rejected without a reason", s, n);
		return;
	}
	if (!isfinite(v) || fabs(v) > 1e15)
		fuzz_fail("decimal out of range", s, n);
	if (v == 0 && signbit(v))
		fuzz_fail("decimal is a negative zero", s, n);
	c = fuzz_cstr(s, n);
	if (!c)
		fuzz_fail("decimal accepted with a NUL byte", s, n);
	errno = 0;
	r = strtod(c, &end);
	/* the grammar is strtod's minus hex, inf and nan, plus trailing
	 * blanks that strtod leaves */
	end += strspn(end, " \t");
	if (*end != '\0' || r != v)
		fuzz_fail("decimal differs from strtod", s, n);
	free(c);
}

static void fuzz_int(const char *s, size_t n)
{
	const char *why = NULL;
	long v, r;
	char *c, *end;

	if (parse_int(s, n, &v, &why) < 0) {
		if (!why || !*why)
			fuzz_fail("int rejected without a reason", s, n);
		return;
	}
	c = fuzz_cstr(s, n);
	if (!c)
		fuzz_fail("int accepted with a NUL byte", s, n);
	if (!strchr(c, '.')) {
		errno = 0;
		r = strtol(c, &end, 10);
		end += strspn(end, " \t");
		if (errno || *end != '\0' || r != v)
			fuzz_fail("int differs from strtol", s, n);
	}
	free(c);
}

static void fuzz_bool(const char *s, size_t n)
{
	const char *why = NULL;
	int b = -1;

	if (parse_bool(s, n, &b, &why) < 0) {
		if (!why || !*why)
			fuzz_fail("bool rejected without a reason", s, n);
		return;
	}
	if (b != 0 && b != 1)
		fuzz_fail("bool neither 0 nor 1", s, n);
}

static void fuzz_text(const char *s, size_t n, size_t small)
{
	size_t cap = 3 * n + 1, k, high = 0;
	char *dst = malloc(cap);
	int valid = parse_utf8_valid(s, n);

	if (!dst)
		abort();
	k = parse_utf8_repair(dst, cap, s, n);
	if (k >= cap || dst[k] != '\0' || !parse_utf8_valid(dst, k))
		fuzz_fail("repair output is not valid UTF-8", s, n);
	if (valid && (k != n || memcmp(dst, s, n) != 0))
		fuzz_fail("repair changed valid UTF-8", s, n);
	if (!valid && k == n && memcmp(dst, s, n) == 0)
		fuzz_fail("repair kept invalid UTF-8", s, n);
	/* a capacity too small for everything: whole characters only */
	if (small) {
		k = parse_utf8_repair(dst, small, s, n);
		if (k >= small || dst[k] != '\0' || !parse_utf8_valid(dst, k))
			fuzz_fail("truncated repair is not valid UTF-8", s, n);
	}
	free(dst);

	cap = 2 * n + 1;
	dst = malloc(cap);
	if (!dst)
		abort();
	for (size_t i = 0; i < n; i++)
		high += (unsigned char)s[i] >= 0x80;
	k = parse_latin1_to_utf8(dst, cap, s, n);
	if (k != n + high || dst[k] != '\0' || !parse_utf8_valid(dst, k))
		fuzz_fail("latin1 conversion", s, n);
	free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	fuzz_timestamp(s, size);
	fuzz_decimal(s, size);
	fuzz_int(s, size);
	fuzz_bool(s, size);
	fuzz_text(s, size, size ? (size_t)data[0] % 16 + 1 : 0);
	return 0;
}
