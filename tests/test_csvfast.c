/* Unit tests for csvin's fast path (issue 13): plain lines split without
 * libcsv give the fields libcsv gives, on the same rows and lines. Each
 * input is read twice, fast path on and off (libcsv for every line, the
 * reference), fed whole, byte by byte and in chunks of 3 and 7 bytes; the
 * logs of fields, records and rejections must be equal, and a few inputs
 * are checked against the fields a user would expect. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"

#include "csvlog.h"

static void tf_record(void *ctx, const struct record *r, uint64_t line)
{
	csvlog_add(ctx, "R%llu %s %s %s\n", (unsigned long long)line, r->customer, r->campaign,
		   schema_event_name(r->event));
}

/* "F<line> [f1][f2]..." for every row after the header */
static void tf_fields(void *ctx, char *const *f, const size_t *len, size_t n, uint64_t line)
{
	csvlog_add(ctx, "F%llu ", (unsigned long long)line);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(f[i]), len[i]);
		csvlog_add(ctx, "[%s]", f[i]);
	}
	csvlog_add(ctx, "\n");
}

static const struct csvin_sink tf_sink = {
	.record = tf_record,
	.reject = csvlog_reject,
	.na = csvlog_na,
	.unknown_event = csvlog_unknown,
	.header_error = csvlog_header_error,
	.fields = tf_fields,
};

/* The log of reading s as the events source (delimiter d), in chunks of
 * chunk bytes (0 = whole), from heap copies so ASan sees over-reads. */
static void tf_read(struct csvlog *g, const char *s, char d, int fast, size_t chunk)
{
	struct config cfg;
	struct config_source src = {0};
	config_defaults(&cfg);
	for (size_t i = 0; i < cfg.nsources; i++)
		if (cfg.sources[i].kind == SCHEMA_EVENTS)
			src = cfg.sources[i];
	src.delimiter = d;
	struct csvin *c = csvin_new(&src);
	csvin_set_fast_lines(c, fast);
	memset(g, 0, sizeof *g);
	size_t n = strlen(s), at = 0;
	while (at < n) {
		size_t k = chunk && chunk < n - at ? chunk : n - at;
		char *b = malloc(k);
		assert_non_null(b);
		memcpy(b, s + at, k);
		csvin_feed(c, b, k, &tf_sink, g);
		free(b);
		at += k;
	}
	csvin_end(c, &tf_sink, g);
	csvin_free(c);
	config_free(&cfg);
}

/* s read with the fast path equals s read by libcsv alone, however fed;
 * returns the log (static) for the caller's own checks. */
static const char *tf_same(const char *s, char d)
{
	static struct csvlog ref, got;
	static const size_t chunks[] = {0, 1, 3, 7};
	tf_read(&ref, s, d, 0, 0);
	for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
		tf_read(&got, s, d, 1, chunks[i]);
		if (strcmp(got.text, ref.text) != 0)
			fail_msg("fast path, chunks of %zu:\n%s---\nlibcsv:\n%s---", chunks[i],
				 got.text, ref.text);
	}
	return ref.text;
}

#define HDR "timestamp,customer_id,campaign_id,event\n"

static void test_plain_rows(void **state)
{
	(void)state;
	const char *log = tf_same(HDR "2026-01-01,c1,spring,open\n"
				      "2026-01-02,c2,spring,click\n",
				  ',');
	assert_string_equal(log, "F2 [2026-01-01][c1][spring][open]\n"
				 "R2 c1 spring open\n"
				 "F3 [2026-01-02][c2][spring][click]\n"
				 "R3 c2 spring click\n");
}

/* Padding is trimmed as libcsv trims it (spaces and tabs around a field,
 * not inside); a line of padding alone is no row; empty fields stay. */
static void test_padding_and_empty(void **state)
{
	(void)state;
	const char *log = tf_same(HDR " 2026-01-01 ,\tc1\t, spring sale ,open\n"
				      "   \n"
				      "\n"
				      "2026-01-02,,spring,\n"
				      " ,\n",
				  ',');
	assert_string_equal(log, "F2 [2026-01-01][c1][spring sale][open]\n"
				 "R2 c1 spring sale open\n"
				 "F5 [2026-01-02][][spring][]\n"
				 "X5 customer_id empty\n"
				 "F6 [][]\n"
				 "X6 2 fields, the header has 4\n");
}

/* CRLF and lone CR line ends, a last line without its line end. */
static void test_line_ends(void **state)
{
	(void)state;
	const char *log = tf_same(HDR "2026-01-01,c1,spring,open\r\n"
				      "\r\n"
				      "2026-01-02,c2,spring,open\r"
				      "2026-01-03,c3,spring,open\n"
				      "2026-01-04,c4,spring,open",
				  ',');
	assert_non_null(strstr(log, "R2 c1 spring open\nF4 [2026-01-02]"));
	assert_non_null(strstr(log, "R5 c3 spring open\n"));
	assert_non_null(strstr(log, "R6 c4 spring open\n"));
}

/* Quoted fields (with delimiters, quotes and line ends inside) go to
 * libcsv, and the plain lines around them do not: the lines still count. */
static void test_quotes_between_plain_lines(void **state)
{
	(void)state;
	const char *log = tf_same(HDR "2026-01-01,c1,spring,open\n"
				      "2026-01-02,\"c,2\",\"spr\"\"ing\",open\n"
				      "2026-01-03,c3,\"two\nlines\",open\n"
				      "2026-01-04,c4,spring,open\n"
				      "2026-01-05,c5,spr\"ing,open\n"
				      "2026-01-06,c6,spring,open\n",
				  ',');
	assert_non_null(strstr(log, "F3 [2026-01-02][c,2][spr\"ing][open]\n"));
	assert_non_null(strstr(log, "F4 [2026-01-03][c3][two\nlines][open]\n"));
	assert_non_null(strstr(log, "R6 c4 spring open\n"));
	assert_non_null(strstr(log, "R8 c6 spring open\n"));
}

/* Other delimiters: tab (where a tab is no padding), semicolon, pipe. */
static void test_delimiters(void **state)
{
	(void)state;
	const char *log = tf_same("timestamp\tcustomer_id\tcampaign_id\tevent\n"
				  "2026-01-01\t c1 \t\tspring\topen\n"
				  "2026-01-02\tc2\tspring\topen\n",
				  '\t');
	assert_non_null(strstr(log, "F2 [2026-01-01][c1][][spring][open]\n"));
	assert_non_null(strstr(log, "R3 c2 spring open\n"));
	tf_same("timestamp;customer_id;campaign_id;event\n2026-01-01; c1;spring,sale;open\n", ';');
	tf_same("timestamp|customer_id|campaign_id|event\n2026-01-01|c1|spring|open|\n", '|');
}

/* A row wider than 4096 fields, a BOM between rows, a repeated header. */
static void test_limits_bom_header(void **state)
{
	(void)state;
	size_t n = 5000, k = 0;
	char *s = malloc(strlen(HDR) + 2 * n + 200);
	assert_non_null(s);
	k += (size_t)sprintf(s, "%s", HDR);
	for (size_t i = 0; i < n; i++) {
		s[k++] = 'a';
		s[k++] = ',';
	}
	k += (size_t)sprintf(s + k, "\n\xEF\xBB\xBF" HDR "2026-01-01,c1,spring,open\n");
	s[k] = '\0';
	const char *log = tf_same(s, ',');
	assert_non_null(strstr(log, "X2 more than 4096 fields\n"));
	assert_non_null(strstr(log, "X3 repeated header row\n"));
	assert_non_null(strstr(log, "R4 c1 spring open\n"));
	free(s);
}

/* Pseudo-random bytes drawn from the characters that matter to a CSV
 * reader: the two paths agree on every one of them. */
static void test_random_bytes(void **state)
{
	(void)state;
	static const char alphabet[] = "ab ,\t;\"\r\n\n\n1-:";
	uint64_t x = 20261203;
	char s[600];
	for (int round = 0; round < 300; round++) {
		size_t len = strlen(HDR);
		memcpy(s, HDR, len);
		size_t n = len + (size_t)(round % 400);
		for (size_t i = len; i < n; i++) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			s[i] = alphabet[(x >> 33) % (sizeof alphabet - 1)];
		}
		s[n] = '\0';
		tf_same(s, round % 3 ? ',' : '\t');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rows),
		cmocka_unit_test(test_padding_and_empty),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_quotes_between_plain_lines),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_limits_bom_header),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
