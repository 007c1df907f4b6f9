/* parse: field parsers of SPEC section 1 and the byte-level text repairs.
 * See include/cxtop/parse.h.
 *
 * These run once per field of every row (millions of rows on a first read),
 * so the common shapes are parsed by hand: no sscanf, no strtol, no
 * mktime/timegm (which consult the TZ database and the locale). Calendar
 * arithmetic is Howard Hinnant's days_from_civil / civil_from_days, exact
 * for the proleptic Gregorian calendar.
 *
 * Invariants: inputs are (pointer, length) and never read past length (a
 * field is usually a slice of a larger buffer, not NUL-terminated); nothing
 * here allocates; every rejection sets *why to a static string. */
#include "cxtop/parse.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARSE_DAY_SECS 86400
#define PARSE_YEAR_MIN 1970
#define PARSE_YEAR_MAX 2199
/* No revenue or count is this large; beyond it doubles stop summing
 * cents exactly. */
#define PARSE_DECIMAL_MAX 1e15

static const char parse_why_year[] = "year out of range 1970-2199";

static int parse_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrow [*p, *e) by leading and trailing spaces and tabs. */
static void parse_trim(const char **p, const char **e)
{
	while (*p < *e && parse_is_space(**p))
		(*p)++;
	while (*e > *p && parse_is_space((*e)[-1]))
		(*e)--;
}

/* Value of k ASCII digits at p, or -1 if any is not a digit. */
static int parse_digits(const char *p, int k)
{
	int v = 0;
	for (int i = 0; i < k; i++) {
		if (!parse_is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int parse_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int parse_month_days(int y, int m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && parse_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (Hinnant's days_from_civil): shifts the
 * year to start in March so the leap day is last, then counts 400-year
 * eras of 146097 days. Valid for any y, including negative. */
int64_t parse_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Inverse of parse_days_from_civil (Hinnant's civil_from_days). */
void parse_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Unix epoch seconds: at least 5 digits (so a bare year such as "2026" is
 * not mistaken for 1970-01-01T00:33:46Z), optional fraction dropped. */
static int parse_epoch(const char *p, const char *e, int64_t *out, const char **why)
{
	const char *q = p;
	int64_t v = 0;
	int big = 0;

	while (q < e && parse_is_digit(*q)) {
		if (v < PARSE_TS_END)
			v = v * 10 + (*q - '0');
		else
			big = 1; /* stop before int64 overflows; already out of range */
		q++;
	}
	if (q - p < 5) {
		*why = "not a date";
		return -1;
	}
	if (q < e && *q == '.') {
		const char *f = ++q;
		while (q < e && parse_is_digit(*q))
			q++;
		if (q == f) {
			*why = "not a date";
			return -1;
		}
	}
	if (q != e) {
		*why = "not a date";
		return -1;
	}
	if (big || v >= PARSE_TS_END) {
		*why = parse_why_year;
		return -1;
	}
	*out = v;
	return 0;
}

/* The zone designator after a time: "Z", "+hh:mm", "-hh:mm", "+hhmm",
 * "+hh", or "UTC"/"GMT", optionally after one space (some exports write
 * "14:05:00 +0100"). Sets *off to seconds east of UTC. */
static int parse_zone(const char *q, const char *e, int *off, unsigned *flags)
{
	int sign, hh, mm = 0;
	size_t len;

	*off = 0;
	if (q == e)
		return 0;
	*flags |= PARSE_TS_ZONE;
	if (*q == ' ')
		q++;
	len = (size_t)(e - q);
	if (len == 1 && (*q == 'Z' || *q == 'z'))
		return 0;
	if (len == 3 && (memcmp(q, "UTC", 3) == 0 || memcmp(q, "GMT", 3) == 0))
		return 0;
	if (len < 3 || (*q != '+' && *q != '-'))
		return -1;
	sign = *q == '-' ? -1 : 1;
	hh = parse_digits(q + 1, 2);
	if (len == 6 && q[3] != ':')
		return -1;
	if (len == 6)
		mm = parse_digits(q + 4, 2);
	else if (len == 5)
		mm = parse_digits(q + 3, 2);
	else if (len != 3)
		return -1;
	/* Real offsets span -12:00..+14:00; 23:59 is the ISO 8601 limit. */
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* "hh:mm[:ss[.frac]][zone]" starting at q; adds seconds of the day and
 * subtracts the zone offset. */
static int parse_time(const char *q, const char *e, int64_t *secs, unsigned *flags,
		      const char **why)
{
	int hh, mm, ss = 0, off;

	if (e - q < 5 || q[2] != ':') {
		*why = "bad time";
		return -1;
	}
	hh = parse_digits(q, 2);
	mm = parse_digits(q + 3, 2);
	q += 5;
	if (q < e && *q == ':') {
		if (e - q < 3 || (ss = parse_digits(q + 1, 2)) < 0) {
			*why = "bad time";
			return -1;
		}
		q += 3;
		/* ISO 8601 allows ',' as the decimal sign; the fraction is
		 * dropped because the store counts whole seconds. */
		if (q < e && (*q == '.' || *q == ',')) {
			const char *f = ++q;
			while (q < e && parse_is_digit(*q))
				q++;
			if (q == f) {
				*why = "bad time";
				return -1;
			}
		}
	}
	/* ss == 60 is a leap second; it rolls into the next minute. */
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss > 60) {
		*why = "bad time";
		return -1;
	}
	*flags |= PARSE_TS_TIME;
	if (parse_zone(q, e, &off, flags) < 0) {
		*why = "bad time zone";
		return -1;
	}
	*secs = hh * 3600 + mm * 60 + ss - off;
	return 0;
}

/* The last valid date parsed and its day number. Exports are written in
 * time order, so nearly every timestamp has the date of the one before:
 * comparing ten bytes replaces checking and converting them. Each thread
 * that parses rows has its own; the memo never changes what a date parses
 * to. */
static _Thread_local char parse_memo_date[10];
static _Thread_local int64_t parse_memo_day = INT64_MIN;

int parse_timestamp(const char *s, size_t n, int64_t *out, const char **why)
{
	unsigned flags;
	return parse_timestamp_ex(s, n, out, &flags, why);
}

int parse_timestamp_ex(const char *s, size_t n, int64_t *out, unsigned *flags, const char **why)
{
	const char *p = s, *e = s + n;
	int y, m, d;
	int64_t ts, day, secs = 0;

	*flags = 0;
	parse_trim(&p, &e);
	if (p == e) {
		*why = "empty";
		return -1;
	}
	if (e - p >= 10 && parse_memo_day != INT64_MIN && memcmp(p, parse_memo_date, 10) == 0) {
		day = parse_memo_day;
		goto time;
	}
	if (e - p < 10 || p[4] != '-') {
		*flags = PARSE_TS_TIME | PARSE_TS_ZONE;
		return parse_epoch(p, e, out, why);
	}
	y = parse_digits(p, 4);
	m = parse_digits(p + 5, 2);
	d = parse_digits(p + 8, 2);
	if (y < 0 || m < 0 || d < 0 || p[7] != '-') {
		*why = "not a date";
		return -1;
	}
	if (y < PARSE_YEAR_MIN || y > PARSE_YEAR_MAX) {
		*why = parse_why_year;
		return -1;
	}
	if (m < 1 || m > 12 || d < 1 || d > parse_month_days(y, m)) {
		*why = "no such day";
		return -1;
	}
	day = parse_days_from_civil(y, m, d);
	memcpy(parse_memo_date, p, 10);
	parse_memo_day = day;
time:
	p += 10;
	if (p < e) {
		if (*p != 'T' && *p != 't' && *p != ' ') {
			*why = "not a date";
			return -1;
		}
		if (parse_time(p + 1, e, &secs, flags, why) < 0)
			return -1;
	}
	ts = day * PARSE_DAY_SECS + secs;
	/* An offset can push the first or last day across the range edge. */
	if (ts < 0 || ts >= PARSE_TS_END) {
		*why = parse_why_year;
		return -1;
	}
	*out = ts;
	return 0;
}

/* Powers of ten that doubles hold exactly (5^22 < 2^53). */
static const double parse_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The rare decimal the fast path cannot round exactly (more than 15
 * significant digits, or a large exponent): hand it to strtod after the
 * grammar has been checked, so strtod never sees hex, "inf" or "nan". The
 * UI calls setlocale(), so '.' is swapped for the locale's decimal point
 * rather than trusting LC_NUMERIC to be "C". */
static int parse_decimal_slow(const char *p, const char *e, double *v, const char **why)
{
	char buf[512];
	const char *dp = localeconv()->decimal_point;
	size_t dlen = dp && *dp ? strlen(dp) : 1;
	size_t k = 0;
	char *end;

	for (; p < e; p++) {
		if (k + dlen + 1 >= sizeof buf) {
			*why = "number too long";
			return -1;
		}
		if (*p == '.' && dp && *dp) {
			memcpy(buf + k, dp, dlen);
			k += dlen;
		} else {
			buf[k++] = *p;
		}
	}
	buf[k] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	if (*end != '\0') {
		*why = "not a number";
		return -1;
	}
	return 0;
}

int parse_decimal(const char *s, size_t n, double *out, const char **why)
{
	const char *p = s, *e = s + n, *q;
	uint64_t mant = 0;
	int sig = 0, digits = 0, neg = 0, exact = 1;
	long exp10 = 0;
	double v;

	parse_trim(&p, &e);
	if (p == e) {
		*why = "empty";
		return -1;
	}
	q = p;
	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	/* Mantissa digits into an integer; leading zeros are not significant,
	 * and past 15 significant digits the exact fast path no longer holds. */
	for (; q < e && parse_is_digit(*q); q++, digits++) {
		if (mant == 0 && *q == '0')
			continue;
		if (sig < 19)
			mant = mant * 10 + (uint64_t)(*q - '0');
		else
			exp10++;
		sig++;
	}
	if (q < e && *q == '.') {
		for (q++; q < e && parse_is_digit(*q); q++, digits++) {
			if (mant == 0 && *q == '0') {
				exp10--;
				continue;
			}
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(*q - '0');
				exp10--;
			}
			sig++;
		}
	}
	if (digits == 0) {
		*why = "not a number";
		return -1;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		long x = 0;
		int xneg = 0;
		const char *f;

		q++;
		if (q < e && (*q == '+' || *q == '-'))
			xneg = *q++ == '-';
		for (f = q; q < e && parse_is_digit(*q); q++)
			if (x < 100000) /* far past any double; avoids overflow */
				x = x * 10 + (*q - '0');
		if (q == f) {
			*why = "not a number";
			return -1;
		}
		exp10 += xneg ? -x : x;
	}
	if (q != e) {
		*why = "not a number";
		return -1;
	}
	if (sig > 15 || exp10 < -22 || exp10 > 22)
		exact = 0;
	if (mant == 0) {
		v = 0;
	} else if (exact) {
		/* One correctly rounded operation on two exact doubles gives the
		 * same result as strtod (Clinger's fast path). */
		v = exp10 >= 0 ? (double)mant * parse_pow10[exp10] : (double)mant / parse_pow10[-exp10];
		if (neg)
			v = -v;
	} else if ((sig < 19 ? sig : 19) + exp10 > 16) {
		v = HUGE_VAL; /* mant has that many digits: at least 1e16 */
	} else if (parse_decimal_slow(p, e, &v, why) < 0) {
		return -1;
	}
	if (!(fabs(v) <= PARSE_DECIMAL_MAX)) {
		*why = "out of range";
		return -1;
	}
	*out = v == 0 ? 0.0 : v; /* "-0" is 0, not a negative zero */
	return 0;
}

int parse_int(const char *s, size_t n, long *out, const char **why)
{
	const char *p = s, *e = s + n;
	unsigned long v = 0, lim;
	int neg = 0, any = 0;

	parse_trim(&p, &e);
	if (p == e) {
		*why = "empty";
		return -1;
	}
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (; p < e && parse_is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (lim - d) / 10) {
			*why = "out of range";
			return -1;
		}
		v = v * 10 + d;
		any = 1;
	}
	if (!any) {
		*why = "not a number";
		return -1;
	}
	/* Spreadsheets save whole numbers as "9.0": allow zeros only. */
	if (p < e && *p == '.') {
		const char *f = ++p;
		while (p < e && *p == '0')
			p++;
		if (p < e && parse_is_digit(*p)) {
			*why = "not a whole number";
			return -1;
		}
		if (p == f) {
			*why = "not a number";
			return -1;
		}
	}
	if (p != e) {
		*why = "not a number";
		return -1;
	}
	if (neg && v)
		*out = -(long)(v - 1) - 1; /* reaches LONG_MIN without overflow */
	else
		*out = (long)v;
	return 0;
}

/* Case-insensitive compare of the n bytes at p with lower-case word w. */
static int parse_word(const char *p, size_t n, const char *w)
{
	size_t i;
	for (i = 0; i < n && w[i]; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[i])
			return 0;
	}
	return i == n && w[i] == '\0';
}

int parse_bool(const char *s, size_t n, int *out, const char **why)
{
	/* t and f: how PostgreSQL writes a boolean as text */
	static const char *const yes[] = { "yes", "true", "1", "y", "t" };
	static const char *const no[] = { "no", "false", "0", "n", "f" };
	const char *p = s, *e = s + n;
	size_t len;

	parse_trim(&p, &e);
	len = (size_t)(e - p);
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (parse_word(p, len, yes[i])) {
			*out = 1;
			return 0;
		}
		if (parse_word(p, len, no[i])) {
			*out = 0;
			return 0;
		}
	}
	*why = "not yes/no";
	return -1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid.
 * The second-byte ranges follow Unicode Table 3-7: E0 and F0 exclude
 * overlong forms, ED excludes surrogates, F4 stops at U+10FFFF; C0, C1 and
 * F5..FF never occur. */
static size_t parse_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		len = 2;
	else if (c < 0xF0)
		len = 3;
	else if (c < 0xF5)
		len = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return len;
}

int parse_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;
		/* Most fields are ASCII: skip eight bytes at a time. */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i == n)
			break;
		k = parse_utf8_seq(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t parse_utf8_repair(char *dst, size_t cap, const char *src, size_t n)
{
	static const char fffd[3] = { '\xEF', '\xBF', '\xBD' };
	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0, k = 0;

	if (cap == 0)
		return 0;
	while (i < n) {
		size_t len = parse_utf8_seq(p + i, n - i);
		/* Whole characters only: a truncated copy stays valid UTF-8. */
		if (len == 0) {
			if (k + 3 >= cap)
				break;
			memcpy(dst + k, fffd, 3);
			k += 3;
			i++;
		} else {
			if (k + len >= cap)
				break;
			memcpy(dst + k, src + i, len);
			k += len;
			i += len;
		}
	}
	dst[k] = '\0';
	return k;
}

size_t parse_latin1_to_utf8(char *dst, size_t cap, const char *src, size_t n)
{
	size_t k = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c < 0x80) {
			if (k + 1 >= cap)
				break;
			dst[k++] = (char)c;
		} else {
			/* Latin-1 is the first 256 code points: two bytes each. */
			if (k + 2 >= cap)
				break;
			dst[k++] = (char)(0xC0 | (c >> 6));
			dst[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	dst[k] = '\0';
	return k;
}

int64_t parse_day(int64_t ts)
{
	int64_t d = ts / PARSE_DAY_SECS;
	return ts % PARSE_DAY_SECS < 0 ? d - 1 : d;
}

void parse_format_ts(int64_t ts, char *buf, size_t cap)
{
	int64_t day = parse_day(ts), y;
	int64_t sod = ts - day * PARSE_DAY_SECS;
	int m, d;

	parse_civil_from_days(day, &y, &m, &d);
	snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

void parse_format_date(int64_t ts, char *buf, size_t cap)
{
	int64_t y;
	int m, d;

	parse_civil_from_days(parse_day(ts), &y, &m, &d);
	snprintf(buf, cap, "%04lld-%02d-%02d", (long long)y, m, d);
}

size_t parse_cp1252_to_utf8(char *dst, size_t cap, const char *src, size_t n)
{
	/* 0x80-0x9F of Windows-1252 (0 = undefined there: the C1 control) */
	static const uint16_t high[32] = {
		0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
		0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
		0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
		0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
	};
	size_t k = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)src[i];
		if (c >= 0x80 && c < 0xA0 && high[c - 0x80])
			c = high[c - 0x80];
		if (c < 0x80) {
			if (k + 1 >= cap)
				break;
			dst[k++] = (char)c;
		} else if (c < 0x800) {
			if (k + 2 >= cap)
				break;
			dst[k++] = (char)(0xC0 | (c >> 6));
			dst[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			if (k + 3 >= cap)
				break;
			dst[k++] = (char)(0xE0 | (c >> 12));
			dst[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			dst[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	dst[k] = '\0';
	return k;
}

/* Bytes of a currency sign or code at p (n left), 0 if none: € $ £ ¥,
 * or three capital letters (EUR, CHF, USD). */
static size_t parse_currency(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x82 && u[2] == 0xAC)
		return 3;
	if (n >= 2 && u[0] == 0xC2 && (u[1] == 0xA3 || u[1] == 0xA5))
		return 2;
	if (n >= 1 && u[0] == '$')
		return 1;
	if (n >= 3 && u[0] >= 'A' && u[0] <= 'Z' && u[1] >= 'A' && u[1] <= 'Z' && u[2] >= 'A' &&
	    u[2] <= 'Z' && (n == 3 || !(u[3] >= 'A' && u[3] <= 'Z')))
		return 3;
	return 0;
}

/* Bytes of a group separator at p: '.', ' ', NBSP, narrow NBSP. */
static size_t parse_group_sep(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	if (*p == '.' || *p == ' ')
		return 1;
	if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

/* [p, e) without the spaces, NBSPs and narrow NBSPs at either end. */
static void parse_trim_blanks(const char **p, const char **e)
{
	for (;;) {
		size_t g = *p < *e ? parse_group_sep(*p, (size_t)(*e - *p)) : 0;
		if (!g || **p == '.')
			break;
		*p += g;
	}
	for (;;) {
		const unsigned char *u = (const unsigned char *)*e;
		if (*e > *p && u[-1] == ' ')
			*e -= 1;
		else if (*e - *p >= 2 && u[-2] == 0xC2 && u[-1] == 0xA0)
			*e -= 2;
		else if (*e - *p >= 3 && u[-3] == 0xE2 && u[-2] == 0x80 && u[-1] == 0xAF)
			*e -= 3;
		else
			break;
	}
}

int parse_decimal_comma(const char *s, size_t n, double *out, const char **why)
{
	const char *p = s, *e = s + n;
	char t[64];
	size_t k = 0, cur;
	int group_len = 0, sep_seen = 0;

	parse_trim(&p, &e);
	parse_trim_blanks(&p, &e);
	if ((cur = parse_currency(p, (size_t)(e - p))) > 0) {
		p += cur;
		parse_trim_blanks(&p, &e);
	}
	/* a currency after the number: a sign, or a code after a non-letter */
	for (size_t c = 1; c <= 3 && !cur; c++) {
		if ((size_t)(e - p) > c && parse_currency(e - c, c) == c &&
		    !(c == 3 && e[-4] >= 'A' && e[-4] <= 'Z')) {
			e -= c;
			parse_trim_blanks(&p, &e);
			break;
		}
	}
	if (p == e) {
		*why = "empty";
		return -1;
	}
	if (*p == '-' || *p == '+')
		t[k++] = *p++;
	for (; p < e; p++) {
		size_t g;
		if (parse_is_digit(*p)) {
			if (k + 2 >= sizeof t)
				goto bad;
			t[k++] = *p;
			group_len++;
			continue;
		}
		if (*p == ',')
			break;
		if ((g = parse_group_sep(p, (size_t)(e - p))) > 0) {
			/* the first group has 1-3 digits, every later one 3 */
			if (group_len == 0 || group_len > 3 || (sep_seen && group_len != 3))
				goto bad;
			sep_seen = 1;
			group_len = 0;
			p += g - 1;
			continue;
		}
		goto bad;
	}
	if (sep_seen && group_len != 3)
		goto bad;
	if (p < e && *p == ',') {
		t[k++] = '.';
		if (p + 1 == e)
			goto bad; /* "1," */
		for (p++; p < e; p++) {
			if (!parse_is_digit(*p) || k + 2 >= sizeof t)
				goto bad;
			t[k++] = *p;
		}
	}
	return parse_decimal(t, k, out, why);
bad:
	*why = "not a number (decimal = comma: 1.234,56)";
	return -1;
}

size_t parse_put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t parse_utf16_to_utf8(char *dst, size_t cap, const unsigned char *src, size_t n, int le)
{
	size_t k = 0;
	unsigned high = 0;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned u = le ? (unsigned)src[i] | (unsigned)src[i + 1] << 8
				: (unsigned)src[i] << 8 | src[i + 1];
		unsigned cp;
		if (high && u >= 0xDC00 && u <= 0xDFFF) {
			cp = 0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00);
			high = 0;
		} else {
			if (high) {
				if (k + 4 >= cap)
					break;
				k += parse_put_utf8(dst + k, 0xFFFD);
				high = 0;
			}
			if (u >= 0xD800 && u <= 0xDBFF) {
				high = u;
				continue;
			}
			cp = u >= 0xDC00 && u <= 0xDFFF ? 0xFFFD : u;
		}
		if (k + 4 >= cap)
			break;
		k += parse_put_utf8(dst + k, cp);
	}
	if ((high || n % 2) && k + 4 < cap)
		k += parse_put_utf8(dst + k, 0xFFFD);
	dst[k] = '\0';
	return k;
}
