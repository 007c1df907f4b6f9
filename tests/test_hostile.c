/* Hostile rows (issue 5, item 3): each test feeds one kind of broken or
 * malicious input through csvin (and through ingest on real temporary
 * files where reading files matters) and names what the user sees: the
 * exact rejection reason at its physical line, or the value kept. After
 * every hostile row a good row must still be read: nothing stops the
 * ingestion, nothing crashes, memory stays bounded.
 *
 * The sink writes one line per call, as in test_csvin.c: "R3 ..." a record
 * at line 3, "X4 reason" a rejection, "N5" a no-answer, "U6 word" an
 * unknown event, "H message" a header error. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/ingest.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"

#include "csvlog.h"

#define MIB (1024 * 1024)
/* the 50 MB field of the issue */
#define HUGE_FIELD (50u * 1000 * 1000)
/* what a 50 MB field may add to the peak resident size */
#define RSS_SLACK_KIB (16 * 1024)

/* Long texts are shown by their length so that logs stay readable. */
static const char *th_text(const char *s, char *tmp, size_t cap)
{
	size_t n = strlen(s);
	if (n <= 64)
		return s;
	snprintf(tmp, cap, "%zu bytes", n);
	return tmp;
}

static void th_record(void *ctx, const struct record *r, uint64_t line)
{
	struct csvlog *g = ctx;
	unsigned long long l = (unsigned long long)line;
	char tmp[32];

	switch (r->kind) {
	case SCHEMA_EVENTS:
		csvlog_add(g, "R%llu %s %s %s", l, r->customer, r->campaign,
		       schema_event_name(r->event));
		if (r->has_value)
			csvlog_add(g, " value=%g%s", r->value, r->value == 0 && signbit(r->value) ? " (negative zero)" : "");
		csvlog_add(g, "\n");
		break;
	case SCHEMA_RESPONSES:
		csvlog_add(g, "R%llu %s %s %d [%s]\n", l, r->customer, schema_survey_name(r->survey),
		       r->score, th_text(r->comment, tmp, sizeof tmp));
		break;
	case SCHEMA_CUSTOMERS:
		csvlog_add(g, "R%llu %s", l, r->customer);
		if (r->has_revenue)
			csvlog_add(g, " revenue=%g%s", r->revenue,
			       r->revenue == 0 && signbit(r->revenue) ? " (negative zero)" : "");
		csvlog_add(g, "\n");
		break;
	case SCHEMA_CAMPAIGNS:
		csvlog_add(g, "R%llu %s [%s]\n", l, r->campaign, r->name);
		break;
	default:
		csvlog_add(g, "R%llu kind %d\n", l, r->kind);
		break;
	}
}

static const struct csvin_sink th_sink = CSVLOG_SINK(th_record);

/* ---- fixture: a csvin on a default source, and a temporary directory --- */

struct th {
	struct config cfg;
	struct config_source src;
	struct csvin *c;
	struct csvlog log;
	char *dir;
	struct ingest *in;
};

static int th_setup(void **state)
{
	struct th *t = calloc(1, sizeof *t);

	assert_non_null(t);
	config_defaults(&t->cfg);
	t->dir = tu_tmpdir();
	*state = t;
	return 0;
}

static int th_teardown(void **state)
{
	struct th *t = *state;

	csvin_free(t->c);
	ingest_free(t->in);
	config_free(&t->cfg);
	tu_rmrf(t->dir);
	free(t->dir);
	free(t);
	return 0;
}

static void th_open(struct th *t, int kind)
{
	csvin_free(t->c);
	t->c = NULL;
	for (size_t i = 0; i < t->cfg.nsources; i++) {
		if (t->cfg.sources[i].kind == kind) {
			t->src = t->cfg.sources[i];
			t->c = csvin_new(&t->src);
			memset(&t->log, 0, sizeof t->log);
			return;
		}
	}
	fail_msg("no default source of kind %d", kind);
}

/* Start a new file on the same csvin with an empty log. */
static void th_again(struct th *t)
{
	csvin_begin(t->c);
	memset(&t->log, 0, sizeof t->log);
}

/* Feed n exact bytes (NULs included) from a heap copy, so ASan sees reads
 * past them. */
static void th_feedn(struct th *t, const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);

	assert_non_null(copy);
	memcpy(copy, s, n);
	csvin_feed(t->c, copy, n, &th_sink, &t->log);
	free(copy);
}

static void th_feed(struct th *t, const char *s)
{
	th_feedn(t, s, strlen(s));
}

static void th_feed_bytes(struct th *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		th_feedn(t, s + i, 1);
}

static void th_end(struct th *t)
{
	csvin_end(t->c, &th_sink, &t->log);
}

static void th_expect(struct th *t, const char *want)
{
	if (strcmp(t->log.text, want) != 0)
		fail_msg("sink got:\n%s---\nwant:\n%s---", t->log.text, want);
}

/* The same bytes fed whole, then one at a time, give the same log. */
static void th_expect_both(struct th *t, const char *file, size_t n, const char *want)
{
	th_again(t);
	th_feedn(t, file, n);
	th_end(t);
	th_expect(t, want);
	th_again(t);
	th_feed_bytes(t, file, n);
	th_end(t);
	th_expect(t, want);
}

static long th_peak_rss_kib(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* A generated field: n bytes of a repeating pattern, produced in pieces so
 * that the test itself never holds the 50 MB. */
struct th_gen {
	const char *pattern;
	size_t plen;
	size_t left;
	size_t at;
};

static size_t th_gen_next(struct th_gen *g, char *buf, size_t cap)
{
	size_t k = 0;
	while (k < cap && g->left) {
		buf[k++] = g->pattern[g->at];
		g->at = (g->at + 1) % g->plen;
		g->left--;
	}
	return k;
}

/* Feed a generated field in pieces: fixed 64 KiB, or pseudo-random sizes
 * (1 to 8191 bytes) when seed is not 0. */
static void th_feed_gen(struct th *t, const char *pattern, size_t n, unsigned seed)
{
	static char buf[65536];
	struct th_gen g = { pattern, strlen(pattern), n, 0 };
	size_t k;

	for (;;) {
		size_t piece = sizeof buf;
		if (seed) {
			seed = seed * 1103515245u + 12345u;
			piece = 1 + (seed >> 8) % 8191;
		}
		if ((k = th_gen_next(&g, buf, piece)) == 0)
			break;
		csvin_feed(t->c, buf, k, &th_sink, &t->log);
	}
}

/* Lines in n bytes of a repeated pattern (it holds only LF line ends). */
static size_t th_gen_lines(const char *pattern, size_t n)
{
	size_t plen = strlen(pattern), per = 0, rest = 0;
	for (size_t i = 0; i < plen; i++)
		per += pattern[i] == '\n';
	for (size_t i = 0; i < n % plen; i++)
		rest += pattern[i] == '\n';
	return n / plen * per + rest;
}

#define RESP_HDR "timestamp,customer_id,survey,score,comment\n"
#define EV_HDR "timestamp,customer_id,campaign_id,event\n"

/* ---- a 50 MB field ------------------------------------------------------ */

/* Unquoted, then quoted with line ends, escaped quotes and commas inside:
 * the row is rejected, its bytes are not kept, the next row is read at the
 * right line, and the peak resident size grows by less than 16 MiB. */
static void test_huge_field_rejected_memory_bounded(void **state)
{
	static const char quoted_pattern[] = "0123456789 \"\"quoted\"\", with a comma,\n";
	struct th *t = *state;
	char want[512];
	long before = th_peak_rss_kib();
	/* whole patterns, so that the closing quote is not read as escaped */
	size_t qn = HUGE_FIELD - HUGE_FIELD % (sizeof quoted_pattern - 1);
	size_t lines = th_gen_lines(quoted_pattern, qn);

	th_open(t, SCHEMA_RESPONSES);
	th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,ok\n2026-01-01,c2,nps,9,");
	th_feed_gen(t, "x", HUGE_FIELD, 0);
	th_feed(t, "\n2026-01-01,c3,nps,8,after\n");
	/* quoted: the line ends inside count, the closing quote is found */
	th_feed(t, "2026-01-01,c4,nps,7,\"");
	th_feed_gen(t, quoted_pattern, qn, 0);
	th_feed(t, "\"\n2026-01-01,c5,nps,6,after\n");
	/* the huge field first in its row, and its row never ended by a newline */
	th_feed_gen(t, "y", HUGE_FIELD, 0);
	th_end(t);
	snprintf(want, sizeof want,
		 "R2 c1 nps 9 [ok]\n"
		 "X3 field 5 longer than 1 MiB\n"
		 "R4 c3 nps 8 [after]\n"
		 "X5 field 5 longer than 1 MiB\n"
		 "R%zu c5 nps 6 [after]\n"
		 "X%zu field 1 longer than 1 MiB\n",
		 6 + lines, 7 + lines);
	th_expect(t, want);
	long grew = th_peak_rss_kib() - before;
	if (grew > RSS_SLACK_KIB)
		fail_msg("peak RSS grew by %ld KiB reading three 50 MB fields", grew);
}

/* Where libcsv's buffer fills must not matter: a 3 MiB quoted field (line
 * ends, CRLF, escaped quotes) followed by padding spaces after its closing
 * quote, fed in pieces of pseudo-random sizes, gives the same log as fed
 * in 64 KiB pieces; so does a run of spaces long enough to fill the buffer
 * by itself. */
static void test_huge_field_any_chunking(void **state)
{
	static const char pattern[] = "ab\"\"c,\r\nd\n\"\" \r";
	struct th *t = *state;
	char want[512], first[512];
	size_t n = 3 * MIB - 3 * MIB % (sizeof pattern - 1), lines = 0;

	/* "\r\n" once, '\n' once, lone '\r' once per pattern */
	for (size_t i = 0; i < n; i++) {
		char ch = pattern[i % (sizeof pattern - 1)];
		char nx = pattern[(i + 1) % (sizeof pattern - 1)];
		lines += ch == '\n' || (ch == '\r' && (i + 1 == n || nx != '\n'));
	}
	snprintf(want, sizeof want,
		 "X2 field 5 longer than 1 MiB\n"
		 "R%zu c2 nps 9 [next]\n"
		 "X%zu field 5 longer than 1 MiB\n"
		 "R%zu c4 nps 9 [last]\n",
		 3 + lines, 4 + lines, 5 + lines);
	for (unsigned seed = 0; seed < 4; seed++) {
		th_open(t, SCHEMA_RESPONSES);
		th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,\"");
		th_feed_gen(t, pattern, n, seed);
		th_feed(t, "\"");
		th_feed_gen(t, " ", MIB / 2, seed);
		th_feed(t, "\n2026-01-01,c2,nps,9,next\n2026-01-01,c3,nps,9,\"a\"");
		th_feed_gen(t, " ", 2 * MIB, seed);
		th_feed(t, "\n2026-01-01,c4,nps,9,last\n");
		th_end(t);
		if (seed == 0)
			memcpy(first, t->log.text, t->log.len + 1);
		assert_string_equal(t->log.text, first);
	}
	th_expect(t, want);
}

/* A field just under the limit is read; a row whose fields together pass
 * 1 MiB is rejected as a row. */
static void test_long_field_and_long_row(void **state)
{
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,");
	th_feed_gen(t, "z", MIB - 100, 0);
	th_feed(t, "\n2026-01-01,c2,");
	th_feed_gen(t, "s", 600 * 1000, 0);
	th_feed(t, ",9,");
	th_feed_gen(t, "z", 600 * 1000, 0);
	th_feed(t, "\n2026-01-01,c3,nps,9,fine\n");
	th_end(t);
	th_expect(t, "R2 c1 nps 9 [1048476 bytes]\n"
		     "X3 row longer than 1 MiB\n"
		     "R4 c3 nps 9 [fine]\n");

	/* a header past the limit: the file's one error */
	th_again(t);
	th_feed(t, "timestamp,");
	th_feed_gen(t, "h", 2 * MIB, 0);
	th_feed(t, "\n2026-01-01,c1,nps,9,x\n");
	th_end(t);
	th_expect(t, "H header field 2 longer than 1 MiB\n");
	assert_int_equal(csvin_has_header(t->c), 0);
}

/* The same through ingest on a real 50 MB file: counted once as a
 * rejection at file:line, the rows around it read, memory bounded. */
static void test_huge_field_ingest(void **state)
{
	struct th *t = *state;
	char path[4096], buf[65536];
	long before = th_peak_rss_kib();
	FILE *o;

	snprintf(path, sizeof path, "%s/responses.csv", t->dir);
	o = fopen(path, "w");
	assert_non_null(o);
	fputs(RESP_HDR "2026-11-01T10:00:00Z,c1,nps,9,ok\n2026-11-01T10:00:00Z,c2,nps,9,\"", o);
	memset(buf, 'q', sizeof buf);
	for (size_t done = 0; done < HUGE_FIELD; done += sizeof buf)
		assert_int_equal(fwrite(buf, 1, sizeof buf, o), sizeof buf);
	fputs("\"\n2026-11-01T10:00:00Z,c3,nps,3,after\n", o);
	assert_int_equal(fclose(o), 0);

	t->in = ingest_new(&t->cfg, t->dir);
	ingest_read_all(t->in);
	ingest_flush_partial(t->in);
	assert_int_equal(ingest_rows(t->in), 2);
	assert_int_equal(ingest_rejected(t->in), 1);
	assert_int_equal(ingest_nrejections(t->in), 1);
	assert_int_equal(ingest_rejection(t->in, 0)->line, 3);
	assert_string_equal(ingest_rejection(t->in, 0)->reason, "field 5 longer than 1 MiB");
	long grew = th_peak_rss_kib() - before;
	if (grew > RSS_SLACK_KIB)
		fail_msg("peak RSS grew by %ld KiB ingesting a 50 MB field", grew);
}

/* ---- NUL bytes ---------------------------------------------------------- */

/* An id with a NUL is rejected (the store keeps ids as C strings: "c\0x"
 * would silently count as "c"); free text keeps its length, the NUL shown
 * as U+FFFD; dates, numbers and keywords with a NUL are not what they
 * look like. */
static void test_nul_bytes(void **state)
{
	static const char file[] =
		RESP_HDR
		"2026-01-01,c\0x,nps,9,ok\n"
		"2026-01-01,c2,nps,9,go\0od\0\n"
		"2026-01-01\0,c3,nps,9,\n"
		"2026-01-01,c4,nps\0,9,\n"
		"2026-01-01,c5,nps,9\0,\n"
		"2026-01-01,c6,nps,9,\"quoted\0\"\n"
		"2026-01-01,c7,nps,9,after\n";
	static const char events[] =
		EV_HDR
		"2026-01-01,c1,spr\0ing,open\n"
		"2026-01-01,c2,spring,op\0en\n"
		"2026-01-01,c3,spring,open\n";
	static const char campaigns[] =
		"campaign_id,name\n"
		"A,Spring\0Sale\n";
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, file, sizeof file - 1,
		       "X2 customer_id: contains a NUL byte\n"
		       "R3 c2 nps 9 [go\xEF\xBF\xBDod\xEF\xBF\xBD]\n"
		       "X4 timestamp \"2026-01-01?\": not a date\n"
		       "X5 survey \"nps?\": not nps, csat or ces\n"
		       "X6 score \"9?\": not a number\n"
		       "R7 c6 nps 9 [quoted\xEF\xBF\xBD]\n"
		       "R8 c7 nps 9 [after]\n");
	th_open(t, SCHEMA_EVENTS);
	th_expect_both(t, events, sizeof events - 1,
		       "X2 campaign_id: contains a NUL byte\n"
		       "U3 op?en\n"
		       "R4 c3 spring open\n");
	th_open(t, SCHEMA_CAMPAIGNS);
	th_expect_both(t, campaigns, sizeof campaigns - 1, "R2 A [Spring\xEF\xBF\xBDSale]\n");
}

/* ---- CR-only line ends ---------------------------------------------------- */

/* Old Mac files end lines with CR alone: rows are read, blank lines and CRs
 * inside a quoted field count as lines, so rejections name the right
 * line. */
static void test_cr_only_line_ends(void **state)
{
	static const char file[] =
		"timestamp,customer_id,survey,score,comment\r"
		"2026-01-01,c1,nps,9,a\r"
		"\r"
		"2026-01-01,c2,nps,9,\"two\rlines\"\r"
		"2026-01-01,c3,nps,11,\r"
		"2026-01-01,c4,nps,7,last";
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, file, sizeof file - 1,
		       "R2 c1 nps 9 [a]\n"
		       "R4 c2 nps 9 [two\rlines]\n"
		       "X6 score \"11\": out of range 0-10 for nps\n"
		       "R7 c4 nps 7 [last]\n");

	/* and through ingest, where a CR ends the last line as LF does */
	tu_write(t->dir, "responses.csv", "w", file);
	tu_write(t->dir, "responses.csv", "a", "\r");
	t->in = ingest_new(&t->cfg, t->dir);
	ingest_read_all(t->in);
	assert_int_equal(ingest_rows(t->in), 3);
	assert_int_equal(ingest_rejected(t->in), 1);
	assert_int_equal(ingest_rejection(t->in, 0)->line, 6);
}

/* ---- a BOM in the middle of the file ------------------------------------- */

/* Two exports concatenated: the second one's BOM is not part of the first
 * field, so its header is the repeated header and a data row after a BOM
 * reads normally. A BOM inside a quoted field, or in the middle of a
 * field, is data (U+FEFF), kept. */
static void test_bom_mid_file(void **state)
{
	static const char file[] =
		"\xEF\xBB\xBF" RESP_HDR
		"2026-01-01,c1,nps,9,a\n"
		"\xEF\xBB\xBF" RESP_HDR
		"2026-01-02,c2,nps,9,b\r\n"
		"\xEF\xBB\xBF"
		"2026-01-03,c3,nps,9,c\n"
		"2026-01-03,c4,nps,9,\"first\n"
		"\xEF\xBB\xBFsecond\"\n"
		"\xEF\xBB\xBF\"2026-01-04\",c5,nps,8,\"a,b\"\n"
		"2026-01-05,c6,nps,8,x\xEF\xBB\xBFy\n"
		"2026-01-05,c7,nps,8,\xEF\xBB\xBF\n"
		"\xEF\xBB"
		"2026-01-06,c8,nps,8,not a BOM\n";
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, file, sizeof file - 1,
		       "R2 c1 nps 9 [a]\n"
		       "X3 repeated header row\n"
		       "R4 c2 nps 9 [b]\n"
		       "R5 c3 nps 9 [c]\n"
		       "R6 c4 nps 9 [first\n\xEF\xBB\xBFsecond]\n"
		       "R8 c5 nps 8 [a,b]\n"
		       "R9 c6 nps 8 [x\xEF\xBB\xBFy]\n"
		       "R10 c7 nps 8 [\xEF\xBB\xBF]\n"
		       "X11 timestamp \"\xEF\xBF\xBD\xEF\xBF\xBD"
		       "2026-01-06\": not a date\n");

	/* a BOM's first bytes at the very end of the file are data */
	th_again(t);
	th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,a\n\xEF\xBB");
	th_end(t);
	th_expect(t, "R2 c1 nps 9 [a]\n"
		     "X3 1 field, the header has 5\n");
}

/* ---- invalid UTF-8 --------------------------------------------------------- */

/* Ids are rejected, free text is repaired to U+FFFD. */
static void test_invalid_utf8(void **state)
{
	static const char file[] =
		"timestamp,customer_id,survey,score,campaign_id,segment,comment\n"
		"2026-01-01,c\xff" "1,nps,9,,,ok\n"
		"2026-01-01,c\xc0\xaf,nps,9,,,ok\n"
		"2026-01-01,c3,nps,9,A\xed\xa0\x80,,ok\n"
		"2026-01-01,c4,nps,9,,vip\xe9,ok\n"
		"2026-01-01,c5,nps,9,,,caf\xe9 \xc3\n"
		"2026-01-01,c\xc3\xa9,nps,9,,,caf\xc3\xa9\n";
	static const char campaigns[] =
		"campaign_id,name\n"
		"A,Spring \xff Sale\n"
		"B\x80,Autumn\n";
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, file, sizeof file - 1,
		       "X2 customer_id: invalid UTF-8\n"
		       "X3 customer_id: invalid UTF-8\n"
		       "X4 campaign_id: invalid UTF-8\n"
		       "X5 segment: invalid UTF-8\n"
		       "R6 c5 nps 9 [caf\xEF\xBF\xBD \xEF\xBF\xBD]\n"
		       "R7 c\xc3\xa9 nps 9 [caf\xc3\xa9]\n");
	th_open(t, SCHEMA_CAMPAIGNS);
	th_expect_both(t, campaigns, sizeof campaigns - 1,
		       "R2 A [Spring \xEF\xBF\xBD Sale]\n"
		       "X3 campaign_id: invalid UTF-8\n");
}

/* ---- unbalanced quotes at end of file ------------------------------------- */

/* A quoted field still open when the file ends is rejected at the line
 * where its row starts, not counted truncated; a closed one is read. */
static void test_unterminated_quote_at_eof(void **state)
{
	struct th *t = *state;

	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, RESP_HDR "2026-01-01,c1,nps,9,a\n2026-01-02,c2,nps,9,\"unterminated",
		       sizeof RESP_HDR "2026-01-01,c1,nps,9,a\n2026-01-02,c2,nps,9,\"unterminated" - 1,
		       "R2 c1 nps 9 [a]\n"
		       "X3 unterminated quoted field\n");
	/* with line ends inside the open quote */
	th_expect_both(t, RESP_HDR "2026-01-01,c1,nps,9,a\n2026-01-02,c2,nps,9,\"never\nclosed\n",
		       sizeof RESP_HDR "2026-01-01,c1,nps,9,a\n2026-01-02,c2,nps,9,\"never\nclosed\n" - 1,
		       "R2 c1 nps 9 [a]\n"
		       "X3 unterminated quoted field\n");
	/* a newline last does not mean the row is complete */
	th_again(t);
	th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,a\n");
	assert_int_equal(csvin_in_row(t->c), 0);
	th_feed(t, "2026-01-02,c2,nps,9,\"never\nclosed\n");
	assert_int_equal(csvin_in_row(t->c), 1);
	th_feed(t, "now\"\n");
	assert_int_equal(csvin_in_row(t->c), 0);
	th_feed(t, "2026-01-03,c3,nps,9,no newline");
	assert_int_equal(csvin_in_row(t->c), 1);
	th_end(t);
	assert_int_equal(csvin_in_row(t->c), 0);
	th_expect(t, "R2 c1 nps 9 [a]\n"
		     "R3 c2 nps 9 [never\nclosed\nnow]\n"
		     "R6 c3 nps 9 [no newline]\n");
	/* the open quote is the row's first byte */
	th_expect_both(t, RESP_HDR "\n\"2026-01-02,c2,nps,9,x\n",
		       sizeof RESP_HDR "\n\"2026-01-02,c2,nps,9,x\n" - 1,
		       "X3 unterminated quoted field\n");
	/* closed quotes at the end of the file are fine, padding or not */
	th_expect_both(t, RESP_HDR "2026-01-02,c2,nps,9,\"closed\"",
		       sizeof RESP_HDR "2026-01-02,c2,nps,9,\"closed\"" - 1,
		       "R2 c2 nps 9 [closed]\n");
	th_expect_both(t, RESP_HDR "2026-01-02,c2,nps,9,\"a \"\"b\"\"\"  ",
		       sizeof RESP_HDR "2026-01-02,c2,nps,9,\"a \"\"b\"\"\"  " - 1,
		       "R2 c2 nps 9 [a \"b\"]\n");
	/* the header itself never closed: the file's one error */
	th_again(t);
	th_feed(t, "\"timestamp,customer_id,survey,score,comment\n2026-01-01,c1,nps,9,a\n");
	th_end(t);
	th_expect(t, "H header has an unterminated quoted field\n");
	assert_int_equal(csvin_has_header(t->c), 0);
	/* the parser is whole again for the next file */
	th_again(t);
	th_feed(t, RESP_HDR "2026-01-01,c1,nps,9,a\n");
	th_end(t);
	th_expect(t, "R2 c1 nps 9 [a]\n");

	/* through ingest: --once counts the last line as the file ends */
	tu_write(t->dir, "responses.csv", "w",
		 RESP_HDR "2026-11-01T10:00:00Z,c1,nps,9,a\n2026-11-01T10:00:00Z,c2,nps,9,\"open");
	t->in = ingest_new(&t->cfg, t->dir);
	ingest_read_all(t->in);
	assert_int_equal(ingest_rows(t->in), 1);
	assert_int_equal(ingest_rejected(t->in), 0);
	assert_true(ingest_flush_partial(t->in));
	assert_int_equal(ingest_rows(t->in), 1);
	assert_int_equal(ingest_rejected(t->in), 1);
	assert_int_equal(ingest_rejection(t->in, 0)->line, 3);
	assert_string_equal(ingest_rejection(t->in, 0)->reason, "unterminated quoted field");
}

/* ---- 10,000 columns ------------------------------------------------------- */

static char *th_wide(size_t n, const char *cell)
{
	size_t cl = strlen(cell), k = 0;
	char *s = malloc(n * (cl + 1) + 2);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		memcpy(s + k, cell, cl);
		k += cl;
		s[k++] = i + 1 < n ? ',' : '\n';
	}
	s[k] = '\0';
	return s;
}

static void test_ten_thousand_columns(void **state)
{
	struct th *t = *state;
	char *row = th_wide(10000, "2026-01-01");
	char *hdr = th_wide(10000, "timestamp");

	th_open(t, SCHEMA_EVENTS);
	th_feed(t, EV_HDR);
	th_feed(t, row);
	th_feed(t, "2026-01-01,c1,spring,open\n");
	th_end(t);
	th_expect(t, "X2 more than 4096 fields\n"
		     "R3 c1 spring open\n");

	/* a header of 10,000 columns: the file is refused once, its rows are
	 * not counted one by one */
	th_again(t);
	th_feed(t, hdr);
	th_feed(t, row);
	th_feed(t, "2026-01-01,c1,spring,open\n");
	th_end(t);
	th_expect(t, "H header has more than 4096 columns\n");
	assert_int_equal(t->log.headers, 1);
	assert_int_equal(csvin_has_header(t->c), 0);
	free(row);
	free(hdr);
}

/* ---- a header only, an empty file ------------------------------------------ */

/* Neither is an error. A header alone is a file with no rows yet; an empty
 * file (or one of blank lines) has no header yet either, like a file that
 * does not exist: the source is just empty, and a header is expected once
 * bytes arrive. */
static void test_header_only_and_empty(void **state)
{
	struct th *t = *state;

	th_open(t, SCHEMA_EVENTS);
	th_feed(t, EV_HDR);
	th_end(t);
	th_expect(t, "");
	assert_int_equal(csvin_has_header(t->c), 1);
	assert_null(csvin_header_error(t->c));

	th_again(t);
	th_feed(t, "timestamp,customer_id,campaign_id,event");
	th_end(t);
	th_expect(t, "");
	assert_int_equal(csvin_has_header(t->c), 1);

	th_again(t);
	th_feedn(t, "", 0);
	th_end(t);
	th_expect(t, "");
	assert_int_equal(csvin_has_header(t->c), 0);
	assert_null(csvin_header_error(t->c));

	th_again(t);
	th_feed(t, "\n\r\n\r\n");
	th_end(t);
	th_expect(t, "");
	assert_int_equal(csvin_has_header(t->c), 0);
	assert_null(csvin_header_error(t->c));

	/* through ingest: zero rows, zero rejections, no header error */
	tu_write(t->dir, "events.csv", "w", "");
	tu_write(t->dir, "responses.csv", "w", RESP_HDR);
	t->in = ingest_new(&t->cfg, t->dir);
	ingest_read_all(t->in);
	ingest_flush_partial(t->in);
	assert_int_equal(ingest_rows(t->in), 0);
	assert_int_equal(ingest_rejected(t->in), 0);
	for (size_t i = 0; i < ingest_nsources(t->in); i++)
		assert_null(ingest_source(t->in, i)->header_error);
	/* the empty file gets its header later: read as any file */
	tu_write(t->dir, "events.csv", "a", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent\n");
	ingest_read_all(t->in);
	assert_int_equal(ingest_rows(t->in), 1);
	assert_int_equal(ingest_rejected(t->in), 0);
}

/* ---- a duplicated header row in the middle ---------------------------------- */

/* An export appended to another: its header is one rejected row, "repeated
 * header row", whatever its quoting or line ends; the rows after it count. */
static void test_repeated_header_mid_file(void **state)
{
	static const char file[] =
		EV_HDR
		"2026-01-01,c1,spring,open\n"
		"\"timestamp\",\"customer_id\",\"campaign_id\",\"event\"\r\n"
		"2026-01-02,c2,spring,open\r\n"
		"\xEF\xBB\xBF" EV_HDR
		"2026-01-03,c3,spring,click\n";
	struct th *t = *state;

	th_open(t, SCHEMA_EVENTS);
	th_expect_both(t, file, sizeof file - 1,
		       "R2 c1 spring open\n"
		       "X3 repeated header row\n"
		       "R4 c2 spring open\n"
		       "X5 repeated header row\n"
		       "R6 c3 spring click\n");

	/* through ingest: the second export is appended to the live file */
	tu_write(t->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent\n");
	t->in = ingest_new(&t->cfg, t->dir);
	ingest_read_all(t->in);
	tu_write(t->dir, "events.csv", "a",
		 "\xEF\xBB\xBF" EV_HDR "2026-11-02T10:00:00Z,c2,A,sent\n");
	ingest_read_all(t->in);
	assert_int_equal(ingest_rows(t->in), 2);
	assert_int_equal(ingest_rejected(t->in), 1);
	assert_int_equal(ingest_rejection(t->in, 0)->line, 3);
	assert_string_equal(ingest_rejection(t->in, 0)->reason, "repeated header row");
}

/* ---- numbers and dates ------------------------------------------------------ */

static void test_numbers_and_dates(void **state)
{
	static const char customers[] =
		"customer_id,signup_date,monthly_revenue\n"
		"c1,2026-01-01,1e308\n"
		"c2,2026-01-01,NaN\n"
		"c3,2026-01-01,-0\n"
		"c4,2026-02-30,1\n"
		"c5,2026-01-01,inf\n"
		"c6,2026-01-01,-1e308\n"
		"c7,2026-01-01,1e400\n"
		"c8,2025-02-29,1\n"
		"c9,2028-02-29,-0.0e5\n"
		"c10,2026-04-31T10:00:00Z,1\n";
	static const char events[] =
		"timestamp,customer_id,campaign_id,event,value\n"
		"2026-01-01,c1,A,purchase,1e308\n"
		"2026-01-01,c2,A,purchase,nan\n"
		"2026-01-01,c3,A,purchase,-0\n"
		"2026-02-30,c4,A,purchase,1\n"
		"2026-01-01,c5,A,purchase,-12.5\n";
	static const char responses[] =
		"timestamp,customer_id,survey,score\n"
		"2026-01-01,c1,nps,-0\n"
		"2026-01-01,c2,nps,1e308\n"
		"2026-01-01,c3,nps,NaN\n";
	struct th *t = *state;

	th_open(t, SCHEMA_CUSTOMERS);
	th_expect_both(t, customers, sizeof customers - 1,
		       "X2 monthly_revenue \"1e308\": out of range\n"
		       "X3 monthly_revenue \"NaN\": not a number\n"
		       "R4 c3 revenue=0\n"
		       "X5 signup_date \"2026-02-30\": no such day\n"
		       "X6 monthly_revenue \"inf\": not a number\n"
		       "X7 monthly_revenue \"-1e308\": out of range\n"
		       "X8 monthly_revenue \"1e400\": out of range\n"
		       "X9 signup_date \"2025-02-29\": no such day\n"
		       "R10 c9 revenue=0\n"
		       "X11 signup_date \"2026-04-31T10:00:00Z\": no such day\n");
	th_open(t, SCHEMA_EVENTS);
	th_expect_both(t, events, sizeof events - 1,
		       "X2 value \"1e308\": out of range\n"
		       "X3 value \"nan\": not a number\n"
		       "R4 c3 A conversion value=0\n"
		       "X5 timestamp \"2026-02-30\": no such day\n"
		       "R6 c5 A conversion value=-12.5\n");
	th_open(t, SCHEMA_RESPONSES);
	th_expect_both(t, responses, sizeof responses - 1,
		       "R2 c1 nps 0 []\n"
		       "X3 score \"1e308\": not a number\n"
		       "X4 score \"NaN\": not a number\n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, th_setup, th_teardown)
	const struct CMUnitTest tests[] = {
		/* first, while the peak resident size is still low */
		T(test_huge_field_rejected_memory_bounded),
		T(test_huge_field_ingest),
		T(test_huge_field_any_chunking),
		T(test_long_field_and_long_row),
		T(test_nul_bytes),
		T(test_cr_only_line_ends),
		T(test_bom_mid_file),
		T(test_invalid_utf8),
		T(test_unterminated_quote_at_eof),
		T(test_ten_thousand_columns),
		T(test_header_only_and_empty),
		T(test_repeated_header_mid_file),
		T(test_numbers_and_dates),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
