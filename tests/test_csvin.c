/* Unit tests for csvin: bytes in, records and rejections out, with the
 * physical line numbers an editor shows. The sink writes one line per call
 * into a log ("R3 c1 spring open", "X4 repeated header row", "N5", "U6 word",
 * "H message"), so each test compares what the user would see as one
 * string, and the same file fed whole or byte by byte must give the same
 * log. */
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

static void tc_record(void *ctx, const struct record *r, uint64_t line)
{
	struct csvlog *g = ctx;

	switch (r->kind) {
	case SCHEMA_EVENTS:
		csvlog_add(g, "R%llu %s %s %s%s\n", (unsigned long long)line, r->customer, r->campaign,
		       schema_event_name(r->event), r->machine ? " machine" : "");
		break;
	case SCHEMA_RESPONSES:
		csvlog_add(g, "R%llu %s %s %d [%s]\n", (unsigned long long)line, r->customer,
		       schema_survey_name(r->survey), r->score, r->comment);
		break;
	case SCHEMA_CUSTOMERS:
		csvlog_add(g, "R%llu %s opted_in=%d\n", (unsigned long long)line, r->customer,
		       r->opted_in);
		break;
	default:
		csvlog_add(g, "R%llu kind %d\n", (unsigned long long)line, r->kind);
		break;
	}
}

static const struct csvin_sink tc_sink = CSVLOG_SINK(tc_record);

/* The default config, and a copy of one of its sources that a test may
 * change before csvin_new (delimiter, latin1). */
struct tc {
	struct config cfg;
	struct config_source src;
	struct csvin *c;
	struct csvlog log;
};

static int tc_setup(void **state)
{
	struct tc *t = calloc(1, sizeof *t);

	assert_non_null(t);
	config_defaults(&t->cfg);
	*state = t;
	return 0;
}

static int tc_teardown(void **state)
{
	struct tc *t = *state;

	csvin_free(t->c);
	config_free(&t->cfg);
	free(t);
	return 0;
}

static void tc_use(struct tc *t, int kind)
{
	for (size_t i = 0; i < t->cfg.nsources; i++) {
		if (t->cfg.sources[i].kind == kind) {
			t->src = t->cfg.sources[i];
			return;
		}
	}
	fail_msg("no default source of kind %d", kind);
}

static void tc_open(struct tc *t, int kind)
{
	if (!t->src.name)
		tc_use(t, kind);
	t->c = csvin_new(&t->src);
	assert_non_null(t->c);
	memset(&t->log, 0, sizeof t->log);
}

/* Feed s (its exact bytes, from a heap copy so ASan sees over-reads). */
static void tc_feed(struct tc *t, const char *s)
{
	size_t n = strlen(s);
	char *copy = malloc(n ? n : 1);

	assert_non_null(copy);
	memcpy(copy, s, n);
	csvin_feed(t->c, copy, n, &tc_sink, &t->log);
	free(copy);
}

static void tc_feed_bytes(struct tc *t, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		char *b = malloc(1);
		assert_non_null(b);
		*b = s[i];
		csvin_feed(t->c, b, 1, &tc_sink, &t->log);
		free(b);
	}
}

static void tc_end(struct tc *t)
{
	csvin_end(t->c, &tc_sink, &t->log);
}

static void tc_expect(struct tc *t, const char *want)
{
	if (strcmp(t->log.text, want) != 0)
		fail_msg("sink got:\n%s---\nwant:\n%s---", t->log.text, want);
}

static void tc_clear(struct tc *t)
{
	t->log.text[0] = '\0';
	t->log.len = 0;
}

/* ---- tests -------------------------------------------------------------- */

static const char tc_events_file[] =
	"timestamp,customer_id,campaign_id,event,machine\n"
	"2026-01-01T10:00:00Z,c1,spring,sent,\n"
	"\n"
	"2026-01-01T10:05:00Z,\"c,2\",spring,Opened Email,yes\n"
	"2026-01-01T10:06:00Z,c3,\"spr\"\"ing\",click,\n"
	"2026-01-01T10:07:00Z,c4,spring,forwarded,\n"
	"2026-02-30,c5,spring,open,\n"
	"2026-01-01T10:08:00Z,c6,spring,open\n"
	"\r\n"
	"2026-01-01T10:09:00Z,c7,spring,machine_open,\n";

static const char tc_events_log[] =
	"R2 c1 spring sent\n"
	"R4 c,2 spring open machine\n"
	"R5 c3 spr\"ing click\n"
	"U6 forwarded\n"
	"X7 timestamp \"2026-02-30\": no such day\n"
	"X8 4 fields, the header has 5\n"
	"R10 c7 spring open machine\n";

static void test_whole_vs_bytewise(void **state)
{
	struct tc *t = *state;
	char whole[8192];

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, tc_events_file);
	tc_end(t);
	tc_expect(t, tc_events_log);
	assert_int_equal(csvin_has_header(t->c), 1);
	assert_null(csvin_header_error(t->c));
	memcpy(whole, t->log.text, t->log.len + 1);

	csvin_begin(t->c);
	tc_clear(t);
	tc_feed_bytes(t, tc_events_file);
	tc_end(t);
	assert_string_equal(t->log.text, whole);
}

static void test_quoted_newline_split(void **state)
{
	static const char part1[] =
		"timestamp,customer_id,survey,score,comment\n"
		"2026-01-01,c1,nps,9,\"first li";
	static const char part2[] =
		"ne\nsecond line\"\n"
		"2026-01-02,c2,nps,3,plain\n";
	struct tc *t = *state;

	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, part1);
	tc_expect(t, "");
	tc_feed(t, part2);
	tc_expect(t, "R2 c1 nps 9 [first line\nsecond line]\n"
		     "R4 c2 nps 3 [plain]\n");
	tc_end(t);
	tc_expect(t, "R2 c1 nps 9 [first line\nsecond line]\n"
		     "R4 c2 nps 3 [plain]\n");

	/* split right after the embedded newline, three lines in the field */
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "timestamp,customer_id,survey,score,comment\n"
		   "2026-01-01,c1,nps,9,\"a\n");
	tc_expect(t, "");
	tc_feed(t, "b\r\nc\"\n2026-01-02,c2,nps,3,plain\n");
	tc_expect(t, "R2 c1 nps 9 [a\nb\r\nc]\n"
		     "R5 c2 nps 3 [plain]\n");
}

static void test_last_line_without_newline(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\n"
		   "2026-01-01,c1,spring,open\n"
		   "2026-01-01,c2,spring,cli");
	tc_expect(t, "R2 c1 spring open\n");
	/* the writer finishes its row: parsed once, whole */
	tc_feed(t, "ck\n2026-01-01,c3,spring,sent");
	tc_expect(t, "R2 c1 spring open\n"
		     "R3 c2 spring click\n");
	tc_end(t);
	tc_expect(t, "R2 c1 spring open\n"
		     "R3 c2 spring click\n"
		     "R4 c3 spring sent\n");
}

static void test_crlf_and_blank_lines(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\r\n"
		   "2026-01-01,c1,spring,open\r\n"
		   "\r\n"
		   "\r\n"
		   "2026-01-01,c2,spring,click\r\n");
	tc_expect(t, "R2 c1 spring open\n"
		     "R5 c2 spring click\n");

	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "\n"
		   "timestamp,customer_id,campaign_id,event\n"
		   "\n"
		   "2026-01-01,c1,spring,open\n"
		   "\n"
		   "\n"
		   "2026-01-01,c2,spring,click\n"
		   "2026-01-01,,spring,click\n");
	tc_expect(t, "R4 c1 spring open\n"
		     "R7 c2 spring click\n"
		     "X8 customer_id empty\n");

	/* CRLF split between two feeds counts once */
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\r");
	tc_feed(t, "\n2026-01-01,c1,spring,open\r");
	tc_feed(t, "\n2026-01-01,c2,spring,open\r\n");
	tc_expect(t, "R2 c1 spring open\n"
		     "R3 c2 spring open\n");
}

static void test_bom(void **state)
{
	static const char file[] =
		"\xEF\xBB\xBFtimestamp,customer_id,campaign_id,event\n"
		"2026-01-01,c1,spring,open\n";
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, file);
	tc_expect(t, "R2 c1 spring open\n");
	assert_int_equal(csvin_has_header(t->c), 1);

	/* the BOM split across feeds */
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "\xEF");
	tc_feed(t, "\xBB");
	tc_feed(t, "\xBFtimestamp,customer_id,campaign_id,event\n2026-01-01,c1,spring,open\n");
	tc_expect(t, "R2 c1 spring open\n");

	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "\xEF\xBB");
	tc_feed(t, "\xBFtimestamp,customer_id,campaign_id,event\n");
	tc_feed(t, "2026-01-01,c1,spring,open\n");
	tc_expect(t, "R2 c1 spring open\n");

	csvin_begin(t->c);
	tc_clear(t);
	tc_feed_bytes(t, file);
	tc_expect(t, "R2 c1 spring open\n");

	/* no BOM, first feeds shorter than a BOM: nothing lost */
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "t");
	tc_feed(t, "i");
	tc_feed(t, "mestamp,customer_id,campaign_id,event\n2026-01-01,c1,spring,open\n");
	tc_expect(t, "R2 c1 spring open\n");
	assert_int_equal(csvin_has_header(t->c), 1);
}

static void test_latin1(void **state)
{
	struct tc *t = *state;

	tc_use(t, SCHEMA_RESPONSES);
	t->src.encoding = CONFIG_ENC_LATIN1;
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "timestamp,customer_id,survey,score,comment\n"
		   "2026-01-01,ren\xe9,nps,8,caf\xe9 froid\n");
	tc_expect(t, "R2 ren\xc3\xa9 nps 8 [caf\xc3\xa9 froid]\n");
}

/* Feed n exact bytes (they may hold NULs), whole or one at a time. */
static void tc_feed_n(struct tc *t, const char *s, size_t n, int bytewise)
{
	for (size_t i = 0; i < n;) {
		size_t k = bytewise ? 1 : n;
		char *b = malloc(k);
		assert_non_null(b);
		memcpy(b, s + i, k);
		csvin_feed(t->c, b, k, &tc_sink, &t->log);
		free(b);
		i += k;
	}
}

/* UTF-8 text to UTF-16 (le or be) with a byte order mark, for the tests. */
static size_t tc_utf16(char *out, const char *u8, int le)
{
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)u8;
	unsigned bom = 0xFEFF;
	out[k++] = (char)(le ? bom & 0xFF : bom >> 8);
	out[k++] = (char)(le ? bom >> 8 : bom & 0xFF);
	while (*p) {
		unsigned cp;
		if (*p < 0x80) {
			cp = *p++;
		} else if (*p < 0xE0) {
			cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
			p += 2;
		} else if (*p < 0xF0) {
			cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
			p += 3;
		} else {
			cp = (p[0] & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 |
			     (p[3] & 0x3Fu);
			p += 4;
		}
		unsigned units[2], nu = 1;
		units[0] = cp;
		if (cp >= 0x10000) {
			units[0] = 0xD800 + ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			nu = 2;
		}
		for (unsigned i = 0; i < nu; i++) {
			out[k++] = (char)(le ? units[i] & 0xFF : units[i] >> 8);
			out[k++] = (char)(le ? units[i] >> 8 : units[i] & 0xFF);
		}
	}
	return k;
}

/* Excel's "Unicode text": UTF-16 with a byte order mark, read without any
 * encoding key, little- and big-endian, whole and byte by byte; a
 * character beyond the BMP (a surrogate pair) survives; CRLF lines count
 * once. A half code unit at the end is U+FFFD. */
static void test_utf16(void **state)
{
	struct tc *t = *state;
	static const char text[] = "timestamp\tcustomer_id\tsurvey\tscore\tcomment\r\n"
				   "2026-01-01\tren\xc3\xa9\tnps\t8\tsuper \xf0\x9f\x98\x80\r\n"
				   "2026-01-01\tc2\tnps\t11\t\r\n";
	static const char want[] = "R2 ren\xc3\xa9 nps 8 [super \xf0\x9f\x98\x80]\n"
				   "X3 score \"11\": out of range 0-10 for nps\n";
	char buf[512];

	tc_use(t, SCHEMA_RESPONSES);
	t->src.delimiter = '\t';
	tc_open(t, SCHEMA_RESPONSES);
	for (int le = 0; le < 2; le++) {
		size_t n = tc_utf16(buf, text, le);
		for (int bytewise = 0; bytewise < 2; bytewise++) {
			csvin_begin(t->c);
			tc_clear(t);
			tc_feed_n(t, buf, n, bytewise);
			tc_end(t);
			tc_expect(t, want);
		}
	}
	/* a last line cut in the middle of a code unit */
	size_t n = tc_utf16(buf, "timestamp\tcustomer_id\tsurvey\tscore\tcomment\r\n"
				 "2026-01-01\tc3\tnps\t9\tok", 1);
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed_n(t, buf, n - 1, 0);
	tc_end(t);
	tc_expect(t, "R2 c3 nps 9 [o\xef\xbf\xbd]\n");
}

/* encoding = windows-1252: Excel's "CSV" on a Western Windows. */
static void test_cp1252_file(void **state)
{
	struct tc *t = *state;

	tc_use(t, SCHEMA_RESPONSES);
	t->src.encoding = CONFIG_ENC_CP1252;
	t->src.delimiter = ';';
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "timestamp;customer_id;survey;score;comment\r\n"
		   "2026-01-01;m\xfcller;nps;10;\x84super\x93 \x96 5 \x80\r\n");
	tc_expect(t, "R2 m\xc3\xbcller nps 10 [\xe2\x80\x9esuper\xe2\x80\x9c \xe2\x80\x93 5 "
		     "\xe2\x82\xac]\n");
}

static void test_semicolon_and_tab(void **state)
{
	struct tc *t = *state;

	tc_use(t, SCHEMA_RESPONSES);
	t->src.delimiter = ';';
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "timestamp;customer_id;survey;score;comment\n"
		   "2026-01-01;c1;nps;7;good, fast\n"
		   "2026-01-01;c2;nps;7,5;x\n");
	tc_expect(t, "R2 c1 nps 7 [good, fast]\n"
		     "X3 score \"7,5\": not a number\n");
	csvin_free(t->c);

	tc_use(t, SCHEMA_RESPONSES);
	t->src.delimiter = '\t';
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "timestamp\tcustomer_id\tsurvey\tscore\tcomment\n"
		   "2026-01-01\tc1\tcsat\t4\tvery  good service \n"
		   "2026-01-01\tc2\tcsat\t\t\n"
		   "2026-01-01\tc3\tces\t5\tno, thanks\n");
	tc_expect(t, "R2 c1 csat 4 [very  good service]\n"
		     "N3\n"
		     "R4 c3 ces 5 [no, thanks]\n");
}

static void test_repeated_header(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\n"
		   "2026-01-01,c1,spring,open\n"
		   "timestamp,customer_id,campaign_id,event\n"
		   "2026-01-02,c2,spring,open\n");
	tc_expect(t, "R2 c1 spring open\n"
		     "X3 repeated header row\n"
		     "R4 c2 spring open\n");
}

/* Qualtrics: header_rows = 3, the question texts (with a newline inside a
 * quoted cell) and the ImportId row are neither data nor rejections; line
 * numbers stay physical; fed whole or byte by byte alike. */
static void test_header_rows(void **state)
{
	struct tc *t = *state;
	static const char file[] =
		"timestamp,customer_id,survey,score\n"
		"Erfassungsdatum,\"Antwort-ID\nder Umfrage\",Umfrage,Wert\n"
		"\"{\"\"ImportId\"\":\"\"recordedDate\"\"}\",x,y,z\n"
		"2026-01-01,c1,nps,9\n"
		"2026-01-01,c2,nps,11\n";
	static const char want[] = "R5 c1 nps 9 []\n"
				   "X6 score \"11\": out of range 0-10 for nps\n";

	tc_use(t, SCHEMA_RESPONSES);
	t->src.header_rows = 3;
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, file);
	tc_end(t);
	tc_expect(t, want);
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed_bytes(t, file);
	tc_end(t);
	tc_expect(t, want);
}

/* SurveyMonkey: subheader = 2 names a column "QUESTION / SUB-ANSWER", the
 * question spanning the empty cells to its right; "Response" adds nothing. */
static void test_subheader(void **state)
{
	struct tc *t = *state;
	static char score[] = "How would you rate us? / Support";
	static char cust[] = "RespondentID";
	static char survey[] = "Which survey";

	tc_use(t, SCHEMA_RESPONSES);
	t->src.header_rows = 2;
	t->src.subheader = 2;
	t->src.col[SCHEMA_COL_SCORE] = score;
	t->src.col[SCHEMA_COL_CUSTOMER_ID] = cust;
	t->src.col[SCHEMA_COL_SURVEY] = survey;
	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "RespondentID,timestamp,Which survey,How would you rate us?,,\n"
		   ",,Response,Product,Support,Price\n"
		   "r1,2026-01-01,csat,2,4,5\n");
	tc_end(t);
	tc_expect(t, "R3 r1 csat 4 []\n");
}

static void test_header_missing_columns(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, "time,customer_id,event\n"
		   "2026-01-01,c1,open\n"
		   "2026-01-01,c2,open\n");
	tc_feed(t, "garbage\n");
	tc_end(t);
	tc_expect(t, "H missing columns timestamp, campaign_id (found: time, customer_id, event)\n");
	assert_int_equal(t->log.headers, 1);
	assert_int_equal(csvin_has_header(t->c), 0);
	assert_non_null(csvin_header_error(t->c));
	assert_string_equal(csvin_header_error(t->c),
			    "missing columns timestamp, campaign_id (found: time, customer_id, event)");
}

static void test_begin_resets(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_EVENTS);
	assert_int_equal(csvin_has_header(t->c), 0);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\n"
		   "2026-01-01,c1,spring,open\n"
		   "2026-01-01,c2,spr");
	tc_expect(t, "R2 c1 spring open\n");

	/* a new file: the partial row is dropped, the new header maps columns */
	csvin_begin(t->c);
	assert_int_equal(csvin_has_header(t->c), 0);
	tc_clear(t);
	tc_feed(t, "event,campaign_id,customer_id,timestamp\n"
		   "click,autumn,c9,2026-01-02\n");
	tc_end(t);
	tc_expect(t, "R2 c9 autumn click\n");

	/* after a bad header, a good file is read again */
	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, "nothing,useful\n1,2\n");
	assert_int_equal(t->log.headers, 1);
	assert_non_null(csvin_header_error(t->c));
	csvin_begin(t->c);
	assert_null(csvin_header_error(t->c));
	tc_clear(t);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\n"
		   "2026-01-01,c1,spring,open\n");
	tc_expect(t, "R2 c1 spring open\n");
	assert_int_equal(csvin_has_header(t->c), 1);
}

static void test_na_and_unknown_through_sink(void **state)
{
	struct tc *t = *state;

	tc_open(t, SCHEMA_RESPONSES);
	tc_feed(t, "timestamp,customer_id,survey,score\n"
		   "2026-01-01,c1,nps,N/A\n"
		   "2026-01-01,c2,nps,11\n"
		   "2026-01-01,c3,nps,\"10\"\n");
	tc_expect(t, "N2\n"
		     "X3 score \"11\": out of range 0-10 for nps\n"
		     "R4 c3 nps 10 []\n");
}

/* A row or header wider than csvin's 4,096-field limit is refused with a
 * reason, not read past the field table (a crafted CSV must not crash). */
static void test_too_many_fields(void **state)
{
	struct tc *t = *state;
	size_t n = 5000, k = 0;
	char *wide = malloc(2 * n + 64);

	assert_non_null(wide);
	for (size_t i = 0; i < n; i++) {
		wide[k++] = 'a';
		wide[k++] = ',';
	}
	wide[k++] = '\n';
	wide[k] = '\0';

	tc_open(t, SCHEMA_EVENTS);
	tc_feed(t, "timestamp,customer_id,campaign_id,event\n");
	tc_feed(t, wide);
	tc_feed(t, "2026-01-01,c1,spring,open\n");
	tc_expect(t, "X2 more than 4096 fields\n"
		     "R3 c1 spring open\n");

	csvin_begin(t->c);
	tc_clear(t);
	tc_feed(t, wide);
	tc_feed(t, "2026-01-01,c1,spring,open\n");
	tc_expect(t, "H header has more than 4096 columns\n");
	assert_int_equal(csvin_has_header(t->c), 0);
	free(wide);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tc_setup, tc_teardown)
	const struct CMUnitTest tests[] = {
		T(test_whole_vs_bytewise),
		T(test_quoted_newline_split),
		T(test_last_line_without_newline),
		T(test_crlf_and_blank_lines),
		T(test_bom),
		T(test_latin1),
		T(test_utf16),
		T(test_cp1252_file),
		T(test_semicolon_and_tab),
		T(test_repeated_header),
		T(test_header_rows),
		T(test_subheader),
		T(test_header_missing_columns),
		T(test_begin_resets),
		T(test_na_and_unknown_through_sink),
		T(test_too_many_fields),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
