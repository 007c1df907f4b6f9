/* Tests for report (--once output): no control byte leaves raw in text,
 * JSON or CSV, whatever the data holds; numbers keep their value (the
 * shortest decimal that reads back as the same double). Built from real
 * files through ingest and view, as --once does. */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/report.h"
#include "cxtop/util.h"
#include "cxtop/alert.h"
#include "cxtop/view.h"

/* Everything a crafted name can hold that drives a terminal: ESC-based
 * OSC (retitle) and CSI (clear, colour), BEL, backspace, DEL, the C1 CSI
 * (U+009B) and OSC (U+009D) in UTF-8, a tab and a line end. */
#define EVIL "Evil\033]2;HACKED\007 \033[2J\033[31mRed\b\x7f \xc2\x9b" "31m \xc2\x9d" "0;t\xc2\x9c" \
	     "\ttab"

struct out {
	char *buf;
	size_t len;
};

static struct out report_of(enum report_format fmt, const char *campaigns, const char *events)
{
	char *dir = tu_tmpdir();
	struct config cfg;
	struct out o = { 0 };
	config_defaults(&cfg);
	tu_write(dir, "campaigns.csv", "w", campaigns);
	tu_write(dir, "events.csv", "w", events);
	struct ingest *in = ingest_new(&cfg, dir);
	ingest_read_all(in);
	ingest_flush_partial(in);
	struct view *v = view_build(ingest_store(in), &cfg, 0, INT64_MIN);
	alert_build(v, &cfg);
	FILE *f = open_memstream(&o.buf, &o.len);
	assert_int_equal(report_write(f, fmt, v, in, &cfg, 0), 0);
	fclose(f);
	view_free(v);
	ingest_free(in);
	config_free(&cfg);
	tu_rmrf(dir);
	free(dir);
	return o;
}

/* No C0 but the report's own line ends, no DEL, no C1 anywhere. */
static void assert_no_controls(const struct out *o, const char *fmt)
{
	const unsigned char *p = (const unsigned char *)o->buf;
	for (size_t i = 0; i < o->len; i++) {
		int bad = (p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f ||
			  (p[i] == 0xc2 && i + 1 < o->len && p[i + 1] >= 0x80 && p[i + 1] < 0xa0);
		if (bad)
			fail_msg("%s: control byte 0x%02x raw at offset %zu: ...%.40s", fmt, p[i], i,
				 o->buf + (i > 20 ? i - 20 : 0));
	}
}

#define CAMP_HDR "campaign_id,name,channel,start_date,spend\n"
#define EV_HDR "timestamp,customer_id,campaign_id,event,value,machine\n"

static void test_controls_escaped_in_every_format(void **state)
{
	const char *camps = CAMP_HDR "evil-1,\"" EVIL "\",email,2026-11-01,0\n";
	const char *evs = EV_HDR "2026-11-02T10:00:00Z,c1,evil-1,delivered,,\n"
				 "2026-11-02T10:00:01Z,c1,evil-1,open,,\n";
	static const struct {
		enum report_format fmt;
		const char *name, *shown;
	} f[] = {
		{ REPORT_TEXT, "text", NULL },
		{ REPORT_JSON, "json", "Evil\\u001b]2;HACKED\\u0007 \\u001b[2J\\u001b[31mRed\\u0008\\u007f "
				       "\\u009b31m \\u009d0;t\\u009c\\ttab" },
		{ REPORT_CSV, "csv", "Evil\\x1b]2;HACKED\\x07 \\x1b[2J\\x1b[31mRed\\x08\\x7f \\u009b31m "
				     "\\u009d0;t\\u009c\\x09tab" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		struct out o = report_of(f[i].fmt, camps, evs);
		assert_no_controls(&o, f[i].name);
		if (f[i].shown && !strstr(o.buf, f[i].shown))
			fail_msg("%s: the name is not shown as %s:\n%s", f[i].name, f[i].shown, o.buf);
		free(o.buf);
	}
}

/* An alert message, a rejection and an unknown event word carry data too:
 * the text report escapes them all. */
static void test_controls_in_messages_escaped(void **state)
{
	const char *camps = CAMP_HDR "c\xc2\x9b" "2J,Name,email,2026-11-01,0\n";
	const char *evs = EV_HDR "2026-11-02T10:00:00Z,c1,c\xc2\x9b" "2J,delivered,,\n"
				 "2026-11-02T10:00:00Z,c1,x,\033[2Jboom,,\n"
				 "2026-11-02T10:00:00Z,c1,x,open,\xc2\x9b" "5,\n";
	(void)state;
	for (int fmt = REPORT_TEXT; fmt <= REPORT_CSV; fmt++) {
		struct out o = report_of((enum report_format)fmt, camps, evs);
		assert_no_controls(&o, fmt == REPORT_TEXT ? "text" : fmt == REPORT_JSON ? "json" : "csv");
		free(o.buf);
	}
}

/* The shortest decimal that reads back as the same double, across
 * magnitudes; no exponent between 1e-6 and 1e15. */
static void test_numbers_keep_their_value(void **state)
{
	static const struct {
		double x;
		const char *want;
	} c[] = {
		{ 1234567.89, "1234567.89" },
		{ 0.1, "0.1" },
		{ 596.7, "596.7" },
		{ 12.5, "12.5" },
		{ 100, "100" },
		{ -3, "-3" },
		{ 0, "0" },
		{ 1e14 + 0.5, "100000000000000.5" },
		{ 999999999999999, "999999999999999" },
		{ 1.0 / 3.0, "0.3333333333333333" },
		{ 0.340909090909090909, "0.3409090909090909" },
		{ 0.00001234, "0.00001234" },
		{ 0.000001, "0.000001" },
		{ 1e-7, "1e-07" },
		{ 1e20, "1e+20" },
		{ 98765432.1, "98765432.1" },
		{ 0.07, "0.07" },
	};
	char b[64];
	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		util_fmt_shortest(b, sizeof b, c[i].x);
		if (strcmp(b, c[i].want) != 0)
			fail_msg("%.17g printed as %s, want %s", c[i].x, b, c[i].want);
		assert_true(strtod(b, NULL) == c[i].x);
	}
	/* every double of many magnitudes reads back exactly */
	uint64_t s = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double x = ldexp((double)(s >> 11), (int)(s % 160) - 100 - 53) * ((s & 1) ? -1 : 1);
		util_fmt_shortest(b, sizeof b, x);
		if (strtod(b, NULL) != x)
			fail_msg("%.17g printed as %s, which reads back as %.17g", x, b, strtod(b, NULL));
		if (fabs(x) >= 1e-6 && fabs(x) < 1e15 && strchr(b, 'e'))
			fail_msg("%.17g printed with an exponent: %s", x, b);
	}
}

/* The shortest form from one printf of 17 digits is the printf-only
 * one, character for character: ratios of counts (what reports print),
 * random bit patterns of every exponent, and the edges (half-way digits,
 * ties of exact binary fractions, powers of two, 9s that carry, 1e-5,
 * 1e-6 and 1e15 up close). */
static void test_shortest_is_printfs(void **state)
{
	char a[64], b[64];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	size_t n = 0, diff = 0;
	(void)state;
	for (int i = 0; i < 600000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double x;
		switch (i % 10) {
		case 8: /* a count, or minus one */
			x = (double)(int64_t)(s % 200000) - (double)((s >> 20) % 3 == 0) * 100000;
			break;
		case 9: /* an integer of any size up to past 10^15 */
			x = (double)(int64_t)((s >> 11) % 2200000000000000ull) - 1.1e15;
			break;
		case 0: /* a ratio of counts */
			x = (double)(s % 100000) / (double)(1 + (s >> 20) % 200000);
			break;
		case 1: { /* any bits */
			uint64_t u = s;
			memcpy(&x, &u, sizeof x);
			break;
		}
		case 2: /* a count times a share */
			x = (double)(s % 1000) * 100.0 / (double)(1 + (s >> 30) % 997);
			break;
		case 3: /* near the edges of positional notation */
			x = ldexp((double)(s >> 11), -53) * pow(10, (double)((int)(s % 8) - 7 + ((s >> 3) % 2) * 21));
			break;
		case 4: /* a short decimal nudged by an ulp or two */
			x = nextafter((double)(s % 100000) / 1000.0, (s >> 40) & 1 ? 1e300 : -1e300);
			break;
		case 5: /* few digits, many magnitudes */
			x = (double)(s % 1000) * pow(10, (double)((int)((s >> 10) % 40) - 25));
			break;
		case 6: /* exact binary fractions: digits that end in a tie */
			x = ldexp((double)(s >> 14), -(int)((s >> 3) % 64));
			break;
		case 7: /* powers of two and their neighbours */
			x = ldexp(1.0, (int)(s % 70) - 20);
			if ((s >> 8) % 3)
				x = nextafter(x, (s >> 8) % 3 == 1 ? 0.0 : 1e300);
			break;
		}
		if (!isfinite(x))
			continue;
		util_fmt_shortest(a, sizeof a, x);
		util_fmt_shortest_printf(b, sizeof b, x);
		n++;
		if (strcmp(a, b) != 0 && diff++ < 5)
			print_message("%.17g: %s, printf gives %s\n", x, a, b);
	}
	/* the edges of the integers' way, and buffers too short (cut as
	 * snprintf cuts) */
	static const double edge[] = { 0.0, -0.0, 1, -1, 9, 10, 1e15 - 1, -(1e15 - 1), 1e15, -1e15,
				       1e15 + 2, 4503599627370496.0, 123456789012, 0.5, -0.25 };
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		for (size_t len = 1; len <= sizeof a; len = len < 8 ? len + 1 : sizeof a) {
			memset(a, 'x', sizeof a);
			memset(b, 'x', sizeof b);
			util_fmt_shortest(a, len, edge[i]);
			util_fmt_shortest_printf(b, len, edge[i]);
			n++;
			if (memcmp(a, b, len) != 0 && diff++ < 10)
				print_message("%.17g in %zu bytes: %s, printf gives %s\n", edge[i], len,
					      a, b);
			if (len == sizeof a)
				break;
		}
	}
	print_message("shortest: %zu doubles, %zu differ\n", n, diff);
	assert_int_equal(diff, 0);
}

/* Revenue keeps its cents in JSON and CSV. */
static void test_revenue_keeps_cents(void **state)
{
	const char *camps = CAMP_HDR "big,Big Sale,email,2026-11-01,2500000.25\n";
	const char *evs = EV_HDR "2026-11-02T10:00:00Z,c1,big,delivered,,\n"
				 "2026-11-02T10:00:00Z,c1,big,conversion,1234567.89,\n"
				 "2026-11-02T10:00:00Z,c2,small,delivered,,\n"
				 "2026-11-02T10:00:00Z,c2,small,conversion,0.1,\n"
				 "2026-11-02T10:00:00Z,c3,small,conversion,0.2,\n";
	(void)state;
	struct out j = report_of(REPORT_JSON, camps, evs);
	if (!strstr(j.buf, "\"revenue\": 1234567.89,") || !strstr(j.buf, "\"spend\": 2500000.25,"))
		fail_msg("json lost the cents:\n%s", j.buf);
	/* summed as money, not as doubles: 0.1 + 0.2 is 0.3 */
	if (!strstr(j.buf, "\"revenue\": 0.3,"))
		fail_msg("0.1 + 0.2 is not 0.3 in json:\n%s", j.buf);
	free(j.buf);
	struct out c = report_of(REPORT_CSV, camps, evs);
	if (!strstr(c.buf, ",1234567.89,") || !strstr(c.buf, ",2500000.25,"))
		fail_msg("csv lost the cents:\n%s", c.buf);
	free(c.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls_escaped_in_every_format),
		cmocka_unit_test(test_controls_in_messages_escaped),
		cmocka_unit_test(test_numbers_keep_their_value),
		cmocka_unit_test(test_shortest_is_printfs),
		cmocka_unit_test(test_revenue_keeps_cents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
