/* Unit tests for record: header mapping (names found case-insensitively and
 * trimmed, in any order, col./const./event. settings, missing columns named)
 * and every reason a row is refused, worded exactly as the user reads it
 * next to "file:line:". Rows are split here on the source's delimiter (no
 * quoting: csvin's job) into heap copies of exactly each field, so ASan sees
 * any read past a field. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"

#define TR_MAXF 32

struct tr_row {
	char *f[TR_MAXF];
	size_t len[TR_MAXF];
	size_t n;
};

/* One test's world: the default config, a working copy of one of its
 * sources (edited by the test; its pointers stay owned by cfg or static),
 * the map, the current row and the last result. */
struct tr {
	struct config cfg;
	struct config_source src;
	struct record_map map;
	struct tr_row hdr, row;
	struct record r;
	char why[256];
	char err[1024];
};

static void tr_row_free(struct tr_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static void tr_split(struct tr_row *r, const char *line, char delim)
{
	const char *p = line;

	tr_row_free(r);
	for (;;) {
		const char *e = strchr(p, delim);
		size_t n = e ? (size_t)(e - p) : strlen(p);

		assert_true(r->n < TR_MAXF);
		r->f[r->n] = malloc(n + 1);
		assert_non_null(r->f[r->n]);
		memcpy(r->f[r->n], p, n);
		r->f[r->n][n] = '\0';
		r->len[r->n++] = n;
		if (!e)
			break;
		p = e + 1;
	}
}

static int tr_setup(void **state)
{
	struct tr *t = calloc(1, sizeof *t);

	assert_non_null(t);
	config_defaults(&t->cfg);
	*state = t;
	return 0;
}

static int tr_teardown(void **state)
{
	struct tr *t = *state;

	tr_row_free(&t->hdr);
	tr_row_free(&t->row);
	config_free(&t->cfg);
	free(t);
	return 0;
}

/* Work on (a copy of) the default source of kind k. */
static void tr_use(struct tr *t, int kind)
{
	for (size_t i = 0; i < t->cfg.nsources; i++) {
		if (t->cfg.sources[i].kind == kind) {
			t->src = t->cfg.sources[i];
			return;
		}
	}
	fail_msg("no default source of kind %d", kind);
}

static int tr_build(struct tr *t, const char *header)
{
	t->err[0] = '\0';
	tr_split(&t->hdr, header, t->src.delimiter);
	return record_map_build(&t->map, &t->src, t->hdr.f, t->hdr.len, t->hdr.n, t->err,
				sizeof t->err);
}

static void tr_header(struct tr *t, const char *header)
{
	if (tr_build(t, header) != 0)
		fail_msg("header \"%s\" refused: %s", header, t->err);
}

static void tr_header_bad(struct tr *t, const char *header, const char *want)
{
	if (tr_build(t, header) == 0)
		fail_msg("header \"%s\" accepted, want \"%s\"", header, want);
	assert_string_equal(t->err, want);
}

static enum record_status tr_feed(struct tr *t, const char *line)
{
	t->why[0] = '\0';
	tr_split(&t->row, line, t->src.delimiter);
	return record_from_row(&t->map, t->row.f, t->row.len, t->row.n, &t->r, t->why,
			       sizeof t->why);
}

static void tr_ok(struct tr *t, const char *line)
{
	enum record_status st = tr_feed(t, line);
	if (st != RECORD_OK)
		fail_msg("row \"%s\": status %d (%s), want OK", line, (int)st, t->why);
}

static void tr_reject(struct tr *t, const char *line, const char *want)
{
	enum record_status st = tr_feed(t, line);
	if (st != RECORD_REJECT)
		fail_msg("row \"%s\": status %d, want rejected \"%s\"", line, (int)st, want);
	assert_string_equal(t->why, want);
}

/* ---- header ------------------------------------------------------------- */

static void test_header_case_trim_order_extra(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, " Event ,CAMPAIGN_ID,utm_source,  Customer_Id,Timestamp  ,Value");
	tr_ok(t, "open,spring,newsletter,c42,2026-01-02 10:00:00,");
	assert_int_equal(t->r.kind, SCHEMA_EVENTS);
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	assert_string_equal(t->r.campaign, "spring");
	assert_string_equal(t->r.customer, "c42");
	assert_int_equal(t->r.ts, 1767348000);
	assert_int_equal(t->r.machine, 0);
	assert_int_equal(t->r.has_value, 0);

	tr_ok(t, "purchase,spring,x,c42,2026-01-02,-12.5");
	assert_int_equal(t->r.event, SCHEMA_EV_CONVERSION);
	assert_int_equal(t->r.has_value, 1);
	assert_true(t->r.value == -12.5); /* a refund may be negative */
	assert_int_equal(t->r.ts, 1767312000);
}

static void test_header_col_mapping(void **state)
{
	struct tr *t = *state;
	static char email[] = "Email Address";
	static char what[] = "How likely are you to recommend us?";

	tr_use(t, SCHEMA_RESPONSES);
	t->src.col[SCHEMA_COL_CUSTOMER_ID] = email;
	t->src.col[SCHEMA_COL_SCORE] = what;
	tr_header(t, "Submitted,email address,survey,How likely are you to recommend us?,"
		     "timestamp,customer_id");
	tr_ok(t, "x,ann@example.com,nps,9,2026-01-01,not-this-one");
	assert_string_equal(t->r.customer, "ann@example.com");
	assert_int_equal(t->r.score, 9);
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_NPS);

	/* with the mapping set, the default name no longer counts */
	tr_header_bad(t, "timestamp,customer_id,survey,score",
		      "col.customer_id: no column \"Email Address\" in the header (closest: "
		      "\"score\")");
	t->src.col[SCHEMA_COL_CUSTOMER_ID] = NULL;
	tr_header_bad(t, "timestamp,customer_id,survey,score",
		      "missing column How likely are you to recommend us? "
		      "(found: timestamp, customer_id, survey, score)");
}

/* Headers and col. values compare after folding Unicode spaces (NBSP,
 * narrow NBSP, tabs, runs) to one space; a col. for an optional column
 * that finds nothing is an error naming the key, the header looked for
 * and the closest header present (a real Typeform header held an NBSP). */
static void test_header_spaces_and_mapping_mistakes(void **state)
{
	struct tr *t = *state;
	static char what[] = "How likely are you to recommend us?";
	static char seg[] = "Customer Segment";
	static char cmt[] = "Anything else?";

	tr_use(t, SCHEMA_RESPONSES);
	t->src.col[SCHEMA_COL_SCORE] = what;
	t->src.col[SCHEMA_COL_SEGMENT] = seg;
	/* NBSP, narrow NBSP and a double space in the file's headers */
	tr_header(t, "timestamp,customer_id,survey,How likely are\xc2\xa0you to recommend"
		     "\xe2\x80\xaf us?,Customer  Segment");
	tr_ok(t, "2026-01-01,c1,nps,9,gold");
	assert_int_equal(t->r.score, 9);
	assert_string_equal(t->r.segment, "gold");
	/* an optional column mapped to a header that is not there */
	t->src.col[SCHEMA_COL_COMMENT] = cmt;
	tr_header_bad(t, "timestamp,customer_id,survey,How likely are you to recommend us?,"
			 "Customer Segment,Anything else",
		      "col.comment: no column \"Anything else?\" in the header "
		      "(closest: \"Anything else\")");
}

/* Two columns of one name: a notice names both positions and how to read
 * the second, and NAME#2 reads it. */
static void test_header_duplicate_names(void **state)
{
	struct tr *t = *state;
	static char second[] = "Score#2";

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score,Score");
	assert_string_equal(t->map.notice, "columns 4 and 5 are both named \"score\": score reads "
					   "column 4 (col.score = score#2 reads column 5)");
	tr_ok(t, "2026-01-01,c1,nps,3,9");
	assert_int_equal(t->r.score, 3);
	t->src.col[SCHEMA_COL_SCORE] = second;
	tr_header(t, "timestamp,customer_id,survey,score,Score");
	tr_ok(t, "2026-01-01,c1,nps,3,9");
	assert_int_equal(t->r.score, 9);
	assert_string_equal(t->map.notice, "columns 4 and 5 are both named \"Score\": score reads "
					   "column 5");
	/* one name once: no notice */
	t->src.col[SCHEMA_COL_SCORE] = NULL;
	tr_header(t, "timestamp,customer_id,survey,score");
	assert_string_equal(t->map.notice, "");
}

static void test_header_const(void **state)
{
	struct tr *t = *state;
	static char nps[] = "nps";
	static char day[] = "2024-05-01";
	static char badday[] = "2024-02-30";
	static char unsub[] = "unsubscribe";

	tr_use(t, SCHEMA_RESPONSES);
	t->src.konst[SCHEMA_COL_SURVEY] = nps;
	t->src.konst[SCHEMA_COL_TIMESTAMP] = day;
	tr_header(t, "customer_id,score");
	tr_ok(t, "c1,10");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_NPS);
	assert_int_equal(t->r.score, 10);
	assert_int_equal(t->r.ts, 1714521600);
	tr_reject(t, "c1,11", "score \"11\": out of range 0-10 for nps");

	/* the config wins: the constant applies even where the file has a
	 * column of that default name (Google Forms' Timestamp) */
	tr_header(t, "customer_id,score,timestamp,survey");
	tr_ok(t, "c1,5,2026/01/01 10:00:00 PM AST,csat");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_NPS);
	assert_int_equal(t->r.ts, 1714521600);

	/* ignore = segment: a column of that name is not read */
	t->src.ignore = 1u << SCHEMA_COL_SEGMENT;
	tr_header(t, "customer_id,score,segment");
	tr_ok(t, "c1,5,not a segment \x01");
	assert_string_equal(t->r.segment, "");
	/* ignoring a required column leaves it missing */
	t->src.ignore = 1u << SCHEMA_COL_CUSTOMER_ID;
	tr_header(t, "customer_id,score,segment");
	tr_ok(t, "c1,5,x"); /* customer_id is optional for responses */
	assert_string_equal(t->r.customer, "");
	t->src.ignore = 0;

	t->src.konst[SCHEMA_COL_TIMESTAMP] = badday;
	tr_header_bad(t, "customer_id,score", "const.timestamp \"2024-02-30\": no such day");

	/* const.event: an unsubscribe export without an event column */
	tr_use(t, SCHEMA_EVENTS);
	t->src.konst[SCHEMA_COL_EVENT] = unsub;
	tr_header(t, "timestamp,customer_id,campaign_id");
	tr_ok(t, "2026-01-01,c1,spring");
	assert_int_equal(t->r.event, SCHEMA_EV_UNSUBSCRIBE);
}

static void test_header_missing(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header_bad(t, "timestamp,customer,event,extra",
		      "missing columns customer_id, campaign_id "
		      "(found: timestamp, customer, event, extra)");
	tr_header_bad(t, "timestamp,customer_id,campaign_id",
		      "missing column event (found: timestamp, customer_id, campaign_id)");

	tr_use(t, SCHEMA_CUSTOMERS);
	tr_header_bad(t, "id,joined", "missing columns customer_id, signup_date (or tenure) (found: id, joined)");
	tr_use(t, SCHEMA_CAMPAIGNS);
	tr_header_bad(t, "campaign_id,title", "missing column name (found: campaign_id, title)");
	tr_use(t, SCHEMA_AWARENESS);
	tr_header_bad(t, "date,reach", "missing column impressions (found: date, reach)");
}

/* ---- rejections --------------------------------------------------------- */

static void test_reject_field_count(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_reject(t, "2026-01-01,c1,open", "3 fields, the header has 4");
	tr_reject(t, "2026-01-01,c1,spring,open,", "5 fields, the header has 4");
	tr_reject(t, "2026-01-01 c1 spring open", "1 field, the header has 4");
	tr_ok(t, "2026-01-01,c1,spring,open");
}

static void test_reject_empty_required(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_reject(t, "2026-01-01,,spring,open", "customer_id empty");
	tr_reject(t, "2026-01-01,   ,spring,open", "customer_id empty");
	tr_reject(t, ",c1,spring,open", "timestamp empty");
	tr_reject(t, "2026-01-01,c1,spring,", "event empty");

	tr_use(t, SCHEMA_CUSTOMERS);
	tr_header(t, "customer_id,signup_date");
	tr_reject(t, "c1,", "signup_date empty");
	tr_use(t, SCHEMA_CAMPAIGNS);
	tr_header(t, "campaign_id,name");
	tr_reject(t, ",Spring sale", "campaign_id empty");
	tr_use(t, SCHEMA_AWARENESS);
	tr_header(t, "date,impressions");
	tr_reject(t, "2026-01-01,", "impressions empty");
}

static void test_reject_bad_timestamp(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_reject(t, "2026-02-30,c1,spring,open", "timestamp \"2026-02-30\": no such day");
	tr_reject(t, "yesterday,c1,spring,open", "timestamp \"yesterday\": not a date");
	tr_ok(t, "2028-02-29,c1,spring,open"); /* leap day */

	tr_use(t, SCHEMA_CUSTOMERS);
	tr_header(t, "customer_id,signup_date,churn_date");
	tr_reject(t, "c1,2026-01-01,2026-13-01", "churn_date \"2026-13-01\": no such day");
}

static void test_reject_score_range(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score");
	tr_reject(t, "2026-01-01,c1,nps,11", "score \"11\": out of range 0-10 for nps");
	tr_reject(t, "2026-01-01,c1,nps,-1", "score \"-1\": out of range 0-10 for nps");
	tr_reject(t, "2026-01-01,c1,csat,6", "score \"6\": out of range 1-5 for csat");
	tr_reject(t, "2026-01-01,c1,csat,0", "score \"0\": out of range 1-5 for csat");
	tr_reject(t, "2026-01-01,c1,ces,0", "score \"0\": out of range 1-7 for ces");
	tr_reject(t, "2026-01-01,c1,ces,8", "score \"8\": out of range 1-7 for ces");
	tr_reject(t, "2026-01-01,c1,nps,7.5", "score \"7.5\": not a whole number");
	tr_reject(t, "2026-01-01,c1,nps,high", "score \"high\": not a number");

	tr_ok(t, "2026-01-01,c1,nps,0");
	assert_int_equal(t->r.score, 0);
	tr_ok(t, "2026-01-01,c1,nps,9.0"); /* spreadsheets */
	assert_int_equal(t->r.score, 9);
	tr_ok(t, "2026-01-01,c1,csat,5");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_CSAT);
	tr_ok(t, "2026-01-01,c1,ces,7");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_CES);
	assert_int_equal(t->r.score, 7);
	tr_ok(t, "2026-01-01,c1,ces,1");
}

static void test_reject_survey_word(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score");
	tr_reject(t, "2026-01-01,c1,csi,3", "survey \"csi\": not nps, csat or ces");
	tr_reject(t, "2026-01-01,c1,,3", "survey \"\": not nps, csat or ces");
	tr_reject(t, "2026-01-01,c1,net promoter score,3",
		  "survey \"net promoter score\": not nps, csat or ces");
	tr_ok(t, "2026-01-01,c1, NPS ,3");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_NPS);
	tr_ok(t, "2026-01-01,c1,Csat,3");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_CSAT);
}

static void test_reject_bad_numbers(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event,value");
	tr_reject(t, "2026-01-01,c1,spring,purchase,$12", "value \"$12\": not a number");
	tr_reject(t, "2026-01-01,c1,spring,purchase,12 EUR", "value \"12 EUR\": not a number");
	tr_reject(t, "2026-01-01,c1,spring,purchase,NaN", "value \"NaN\": not a number");
	tr_ok(t, "2026-01-01,c1,spring,purchase,12.50");
	assert_true(t->r.value == 12.5);

	/* a thousands separator, in a file whose delimiter lets it through */
	tr_use(t, SCHEMA_CUSTOMERS);
	t->src.delimiter = ';';
	tr_header(t, "customer_id;signup_date;monthly_revenue");
	tr_reject(t, "c1;2026-01-01;1,200", "monthly_revenue \"1,200\": not a number");
	tr_reject(t, "c1;2026-01-01;-5", "monthly_revenue \"-5\": negative");
	tr_ok(t, "c1;2026-01-01;1200");
	assert_int_equal(t->r.has_revenue, 1);
	assert_true(t->r.revenue == 1200.0);

	tr_use(t, SCHEMA_CAMPAIGNS);
	tr_header(t, "campaign_id,name,spend");
	tr_reject(t, "spring,Spring,€300", "spend \"€300\": not a number");

	/* control bytes never reach the terminal through a reason */
	tr_use(t, SCHEMA_AWARENESS);
	tr_header(t, "date,impressions");
	tr_reject(t, "2026-01-01,\x1b]0;pwned\x07", "impressions \"?]0;pwned?\": not a number");
}

static void test_reject_invalid_utf8_id(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_reject(t, "2026-01-01,c\xff" "1,spring,open", "customer_id: invalid UTF-8");
	tr_reject(t, "2026-01-01,c1,spr\xc3,open", "campaign_id: invalid UTF-8");
	tr_ok(t, "2026-01-01,j\xc3\xbcrgen,spring,open"); /* valid UTF-8 is fine */
	assert_string_equal(t->r.customer, "j\xc3\xbcrgen");

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score,segment");
	tr_reject(t, "2026-01-01,c1,nps,9,\xe9lite", "segment: invalid UTF-8");
}

static void test_reject_machine(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event,machine");
	tr_reject(t, "2026-01-01,c1,spring,open,maybe", "machine \"maybe\": not yes/no");
	tr_ok(t, "2026-01-01,c1,spring,open,TRUE");
	assert_int_equal(t->r.machine, 1);
	tr_ok(t, "2026-01-01,c1,spring,open,0");
	assert_int_equal(t->r.machine, 0);
	tr_ok(t, "2026-01-01,c1,spring,open,");
	assert_int_equal(t->r.machine, 0);
}

/* ---- accepted rows ------------------------------------------------------ */

static void test_free_text_repaired(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score,comment");
	tr_ok(t, "2026-01-01,c1,nps,3,caf\xe9 was cold");
	assert_string_equal(t->r.comment, "caf\xef\xbf\xbd was cold");
	tr_ok(t, "2026-01-01,c1,nps,3,fine \xc3\xa9t\xc3\xa9");
	assert_string_equal(t->r.comment, "fine \xc3\xa9t\xc3\xa9");
	tr_ok(t, "2026-01-01,c1,nps,3,");
	assert_string_equal(t->r.comment, "");

	tr_use(t, SCHEMA_CAMPAIGNS);
	tr_header(t, "campaign_id,name");
	tr_ok(t, "spring,Fr\xfchling \x80sale");
	assert_string_equal(t->r.name, "Fr\xef\xbf\xbdhling \xef\xbf\xbdsale");
	assert_string_equal(t->r.campaign, "spring");
}

static void test_score_na(void **state)
{
	struct tr *t = *state;
	static char dash[] = "-";
	static char *dash_only[] = { dash };

	tr_use(t, SCHEMA_RESPONSES);
	tr_header(t, "timestamp,customer_id,survey,score");
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,"), RECORD_NA);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,  "), RECORD_NA);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,NA"), RECORD_NA);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,N/A"), RECORD_NA);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,n/a"), RECORD_NA);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,csat,null"), RECORD_NA);
	/* an NA answer still needs a valid row around it */
	tr_reject(t, "2026-13-01,c1,nps,NA", "timestamp \"2026-13-01\": no such day");
	/* an anonymous answer (no customer id) is read, not rejected */
	tr_ok(t, "2026-01-01,,nps,9");
	assert_string_equal(t->r.customer, "");
	assert_int_equal(t->r.score, 9);

	/* na = - : the configured list replaces the default one */
	t->src.na = dash_only;
	t->src.nna = 1;
	tr_header(t, "timestamp,customer_id,survey,score");
	assert_int_equal(tr_feed(t, "2026-01-01,c1,nps,-"), RECORD_NA);
	tr_reject(t, "2026-01-01,c1,nps,N/A", "score \"N/A\": not a number");
}

static void test_unknown_event(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	assert_int_equal(tr_feed(t, "2026-01-01,c1,spring,Forwarded Email"), RECORD_UNKNOWN_EVENT);
	assert_string_equal(t->why, "Forwarded Email");
	assert_int_equal(tr_feed(t, "2026-01-01,c1,spring,webhook"), RECORD_UNKNOWN_EVENT);
	assert_string_equal(t->why, "webhook");
	assert_int_equal(record_event_lookup(&t->map, "webhook", 7), -1);
}

static void test_default_aliases(void **state)
{
	static const struct { const char *word; int event; } cases[] = {
		{ "sent", SCHEMA_EV_SENT },
		{ "Received Email", SCHEMA_EV_SENT },
		{ "delivered", SCHEMA_EV_DELIVERED },
		{ "opened", SCHEMA_EV_OPEN },
		{ "Opened Email", SCHEMA_EV_OPEN },
		{ "opened email", SCHEMA_EV_OPEN },
		{ "CLICKED", SCHEMA_EV_CLICK },
		{ "Clicked Email", SCHEMA_EV_CLICK },
		{ "opt-out", SCHEMA_EV_UNSUBSCRIBE },
		{ "opt_out", SCHEMA_EV_UNSUBSCRIBE },
		{ "optout", SCHEMA_EV_UNSUBSCRIBE },
		{ "Unsubscribed", SCHEMA_EV_UNSUBSCRIBE },
		{ "bounced", SCHEMA_EV_BOUNCE },
		{ "Bounced Email", SCHEMA_EV_BOUNCE },
		{ "spam", SCHEMA_EV_COMPLAINT },
		{ "spam_report", SCHEMA_EV_COMPLAINT },
		{ "Marked Email as Spam", SCHEMA_EV_COMPLAINT },
		{ "purchase", SCHEMA_EV_CONVERSION },
		{ "order", SCHEMA_EV_CONVERSION },
		{ "survey_invite", SCHEMA_EV_SURVEY_SENT },
		{ " Survey_Sent ", SCHEMA_EV_SURVEY_SENT },
	};
	struct tr *t = *state;
	char line[128];

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(line, sizeof line, "2026-01-01,c1,spring,%s", cases[i].word);
		tr_ok(t, line);
		if (t->r.event != cases[i].event)
			fail_msg("\"%s\": event %d, want %d", cases[i].word, t->r.event,
				 cases[i].event);
		assert_int_equal(record_event_lookup(&t->map, cases[i].word, strlen(cases[i].word)),
				 cases[i].event);
	}
}

static void test_machine_open(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event,machine");
	tr_ok(t, "2026-01-01,c1,spring,machine_open,");
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	assert_int_equal(t->r.machine, 1);
	tr_ok(t, "2026-01-01,c1,spring,Machine_Open,no"); /* the word alone says machine */
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	assert_int_equal(t->r.machine, 1);
	tr_ok(t, "2026-01-01,c1,spring,open,y");
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	assert_int_equal(t->r.machine, 1);
	tr_ok(t, "2026-01-01,c1,spring,open,n");
	assert_int_equal(t->r.machine, 0);
}

static void test_config_event_words(void **state)
{
	struct tr *t = *state;
	static char geoeffnet[] = "Geöffnet";
	static char abgemeldet[] = "abgemeldet";
	static char opened[] = "opened";
	static struct config_word words[] = {
		{ geoeffnet, SCHEMA_EV_OPEN },
		{ abgemeldet, SCHEMA_EV_UNSUBSCRIBE },
		{ opened, SCHEMA_EV_CLICK }, /* the config wins over a default alias */
	};

	tr_use(t, SCHEMA_EVENTS);
	t->src.words = words;
	t->src.nwords = sizeof words / sizeof words[0];
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_ok(t, "2026-01-01,c1,spring,Geöffnet");
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	tr_ok(t, "2026-01-01,c1,spring,GEöFFNET");
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	tr_ok(t, "2026-01-01,c1,spring,Abgemeldet");
	assert_int_equal(t->r.event, SCHEMA_EV_UNSUBSCRIBE);
	tr_ok(t, "2026-01-01,c1,spring,opened");
	assert_int_equal(t->r.event, SCHEMA_EV_CLICK);
	tr_ok(t, "2026-01-01,c1,spring,open"); /* other defaults still there */
	assert_int_equal(t->r.event, SCHEMA_EV_OPEN);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,spring,geoeffnet"), RECORD_UNKNOWN_EVENT);
	assert_string_equal(t->why, "geoeffnet");
}

static struct valmap *tr_map(const char *spec)
{
	char err[256];
	struct valmap *m = valmap_parse(spec, NULL, err, sizeof err);
	if (!m)
		fail_msg("map \"%s\": %s", spec, err);
	return m;
}

/* map.score and map.survey (with glob patterns), scale.csat: one HubSpot
 * feedback export holding NPS, CSAT and CES surveys named in free text. */
static void test_value_maps(void **state)
{
	struct tr *t = *state;
	struct config_valmap maps[2];

	tr_use(t, SCHEMA_RESPONSES);
	maps[0].col = SCHEMA_COL_SURVEY;
	maps[0].map = tr_map("*Net Promoter*: nps, *NPS*: nps, *Customer Satisfaction*: csat, "
			     "*Customer Effort*: ces");
	maps[1].col = SCHEMA_COL_SCORE;
	maps[1].map = tr_map("Negative: 0, Neutral: 1, Positive: 2, Very easy: 7, "
			     "\"Easy: mostly\": 6, 10 - Extremely likely: 10, 0 - Not at all likely: 0");
	t->src.maps = maps;
	t->src.nmaps = 2;
	t->src.scale[SCHEMA_SURVEY_CSAT].lo = 0;
	t->src.scale[SCHEMA_SURVEY_CSAT].hi = 2;
	tr_header(t, "timestamp,customer_id,survey,score");

	tr_ok(t, "2026-01-01,c1,Quarterly NPS Survey,9");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_NPS);
	assert_int_equal(t->r.score, 9);
	/* labels: case-insensitive, trimmed, spaces folded */
	tr_ok(t, "2026-01-01,c1,quarterly nps survey,  10  -  EXTREMELY likely ");
	assert_int_equal(t->r.score, 10);
	tr_ok(t, "2026-01-01,c1,Support ticket closed - Customer Satisfaction Survey,Positive");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_CSAT);
	assert_int_equal(t->r.score, 5); /* 2 of 0-2 is 5 of 1-5 */
	tr_ok(t, "2026-01-01,c1,Support ticket closed - Customer Satisfaction Survey,neutral");
	assert_int_equal(t->r.score, 3);
	tr_ok(t, "2026-01-01,c1,Support ticket closed - Customer Satisfaction Survey,Negative");
	assert_int_equal(t->r.score, 1);
	tr_ok(t, "2026-01-01,c1,Help centre: Customer Effort Score,Very easy");
	assert_int_equal(t->r.survey, SCHEMA_SURVEY_CES);
	assert_int_equal(t->r.score, 7);
	tr_ok(t, "2026-01-01,c1,Help centre: Customer Effort Score,Easy: mostly");
	assert_int_equal(t->r.score, 6);
	/* a value the map lacks but the column reads is read */
	tr_ok(t, "2026-01-01,c1,csat,1");
	assert_int_equal(t->r.score, 3);
	/* a label neither reads: a rejection naming the label */
	assert_int_equal(tr_feed(t, "2026-01-01,c1,Quarterly NPS Survey,Very likely"),
			 RECORD_UNMAPPED);
	assert_string_equal(t->why, "Very likely");
	assert_int_equal(t->map.unmapped_col, SCHEMA_COL_SCORE);
	assert_int_equal(tr_feed(t, "2026-01-01,c1,Onboarding feedback,9"), RECORD_UNMAPPED);
	assert_string_equal(t->why, "Onboarding feedback");
	assert_int_equal(t->map.unmapped_col, SCHEMA_COL_SURVEY);
	/* the source's scale bounds the score before it is mapped */
	tr_reject(t, "2026-01-01,c1,Support ticket closed - Customer Satisfaction Survey,3",
		  "score \"3\": out of range 0-2 for csat");
	valmap_free(maps[0].map);
	valmap_free(maps[1].map);
	t->src.maps = NULL;
	t->src.nmaps = 0;
}

static void test_events_without_campaign(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_EVENTS);
	tr_header(t, "timestamp,customer_id,campaign_id,event");
	tr_ok(t, "2026-01-01,c1,,survey_sent");
	assert_int_equal(t->r.event, SCHEMA_EV_SURVEY_SENT);
	assert_string_equal(t->r.campaign, "");
	tr_ok(t, "2026-01-01,c1,,survey_invite");
	tr_ok(t, "2026-01-01,c1,nps-q1,survey_sent");
	assert_string_equal(t->r.campaign, "nps-q1");
	/* an automation (flow) e-mail and an unattributed order are read */
	tr_ok(t, "2026-01-01,c1,,click");
	assert_string_equal(t->r.campaign, "");
	assert_int_equal(t->r.event, SCHEMA_EV_CLICK);
	tr_ok(t, "2026-01-01,c1,,purchase");
	assert_int_equal(t->r.event, SCHEMA_EV_CONVERSION);
}

static void test_customers(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_CUSTOMERS);
	tr_header(t, "customer_id,signup_date");
	tr_ok(t, "c1,2026-01-01");
	assert_string_equal(t->r.customer, "c1");
	assert_int_equal(t->r.signup, 1767225600);
	assert_int_equal(t->r.opted_in, 1); /* default yes */
	assert_int_equal(t->r.has_churn, 0);
	assert_int_equal(t->r.has_revenue, 0);
	assert_string_equal(t->r.segment, "");

	tr_header(t, "customer_id,signup_date,churn_date,segment,opted_in,monthly_revenue");
	tr_ok(t, "c1,2025-06-01,,smb,n,");
	assert_int_equal(t->r.opted_in, 0);
	assert_int_equal(t->r.has_churn, 0);
	assert_string_equal(t->r.segment, "smb");
	tr_ok(t, "c2,2025-06-01,2026-01-01,smb,,49.90");
	assert_int_equal(t->r.opted_in, 1); /* empty = default yes */
	assert_int_equal(t->r.has_churn, 1);
	assert_int_equal(t->r.churn, 1767225600);
	assert_int_equal(t->r.has_revenue, 1);
	assert_true(t->r.revenue == 49.9);
	tr_ok(t, "c3,2025-06-01,,smb,No,0");
	assert_int_equal(t->r.opted_in, 0);
	assert_int_equal(t->r.has_revenue, 1);
	tr_ok(t, "c4,2025-06-01,,smb,YES,");
	assert_int_equal(t->r.opted_in, 1);
	tr_reject(t, "c5,2025-06-01,,smb,perhaps,", "opted_in \"perhaps\": not yes/no");

	/* a churn table without dates: a churned flag and tenure */
	tr_header(t, "customer_id,tenure,churned,monthly_revenue");
	tr_ok(t, "c1,34,No,56.95");
	assert_int_equal(t->r.has_signup, 0);
	assert_int_equal(t->r.churned, 0);
	assert_int_equal(t->r.has_tenure, 1);
	assert_true(t->r.tenure == 34);
	tr_ok(t, "c2,2,Yes,53.85");
	assert_int_equal(t->r.churned, 1);
	assert_int_equal(t->r.has_churn, 0); /* no churn day */
	tr_reject(t, "c3,2,maybe,1", "churned \"maybe\": not yes/no");
	tr_reject(t, "c3,-2,No,1", "tenure \"-2\": negative");
	/* with dates, the flag may say what the date says, not the opposite */
	tr_header(t, "customer_id,signup_date,churn_date,churned");
	tr_ok(t, "c1,2025-01-01,2025-06-01,yes");
	assert_int_equal(t->r.churned, 1);
	assert_int_equal(t->r.has_churn, 1);
	tr_ok(t, "c2,2025-01-01,,yes"); /* churned on a day nobody wrote */
	assert_int_equal(t->r.churned, 1);
	assert_int_equal(t->r.has_signup, 1);
	tr_reject(t, "c3,2025-01-01,2025-06-01,no",
		  "churn_date \"2025-06-01\": given for a customer whose churned flag says no");
	/* a dated table needs each signup date; neither date nor tenure: */
	tr_reject(t, "c4,,,no", "signup_date empty");
	tr_header_bad(t, "customer_id,churned",
		      "missing column signup_date (or tenure) (found: customer_id, churned)");
}

static void test_campaigns(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_CAMPAIGNS);
	tr_header(t, "campaign_id,name");
	tr_ok(t, "spring,Spring sale");
	assert_string_equal(t->r.campaign, "spring");
	assert_string_equal(t->r.name, "Spring sale");
	assert_string_equal(t->r.channel, ""); /* store takes "" as email */
	assert_int_equal(t->r.has_start, 0);
	assert_true(t->r.spend == 0.0);

	tr_header(t, "campaign_id,name,channel,start_date,spend");
	tr_ok(t, "sms1,Flash,sms,2026-01-01,300.5");
	assert_string_equal(t->r.channel, "sms");
	assert_int_equal(t->r.has_start, 1);
	assert_int_equal(t->r.start, 1767225600);
	assert_true(t->r.spend == 300.5);
	tr_ok(t, "e1,Plain,,,");
	assert_string_equal(t->r.channel, "");
	assert_int_equal(t->r.has_start, 0);
	tr_reject(t, "e1,Plain,email,soon,", "start_date \"soon\": not a date");
}

static void test_awareness(void **state)
{
	struct tr *t = *state;

	tr_use(t, SCHEMA_AWARENESS);
	tr_header(t, "date,impressions,reach,aware,asked");
	tr_ok(t, "2026-01-01,10000,4000,30,50");
	assert_int_equal(t->r.ts, 1767225600);
	assert_true(t->r.impressions == 10000.0);
	assert_true(t->r.reach == 4000.0);
	assert_int_equal(t->r.has_brand, 1);
	assert_true(t->r.aware == 30.0 && t->r.asked == 50.0);
	tr_ok(t, "2026-01-01,10000,4000,50,50");
	assert_int_equal(t->r.has_brand, 1);
	tr_reject(t, "2026-01-01,10000,4000,60,50", "aware 60 greater than asked 50");
	tr_ok(t, "2026-01-01,10000,,30,");
	assert_int_equal(t->r.has_brand, 0); /* needs both */
	tr_reject(t, "2026-01-01,-3,,,", "impressions \"-3\": negative");
}

/* An unknown word keeps its accents (so it can be copied into the config)
 * but never its control characters. */
static void test_unknown_word_excerpt(void **state)
{
	struct config cfg;
	struct record_map m;
	struct record r;
	char err[256], why[256];
	char h0[] = "timestamp", h1[] = "customer_id", h2[] = "campaign_id", h3[] = "event";
	char *hdr[] = { h0, h1, h2, h3 };
	size_t hl[] = { 9, 11, 11, 5 };
	config_defaults(&cfg);
	assert_int_equal(record_map_build(&m, &cfg.sources[SCHEMA_EVENTS], hdr, hl, 4, err, sizeof err), 0);
	char f0[] = "2026-11-01", f1[] = "c", f2[] = "k", f3[] = "Ge\xc3\xb6" "ffnet\x1b]0;x\x07";
	char *f[] = { f0, f1, f2, f3 };
	size_t fl[] = { strlen(f0), 1, 1, strlen(f3) };
	assert_int_equal(record_from_row(&m, f, fl, 4, &r, why, sizeof why), RECORD_UNKNOWN_EVENT);
	assert_string_equal(why, "Ge\xc3\xb6" "ffnet?]0;x?");
	config_free(&cfg);
}

/* numbers = lenient reads "$1,200.50" and "€ 1 200" as numbers; strict
 * (the default) rejects them. */
static void test_lenient_numbers(void **state)
{
	struct config cfg;
	struct record_map m;
	struct record r;
	char err[256], why[256];
	char h0[] = "campaign_id", h1[] = "name", h2[] = "spend";
	char *hdr[] = { h0, h1, h2 };
	size_t hl[] = { 11, 4, 5 };
	config_defaults(&cfg);
	struct config_source *src = &cfg.sources[SCHEMA_CAMPAIGNS];
	char f0[] = "c1", f1[] = "Spring", f2[] = "$1,200.50";
	char *f[] = { f0, f1, f2 };
	size_t fl[] = { 2, 6, strlen(f2) };
	assert_int_equal(record_map_build(&m, src, hdr, hl, 3, err, sizeof err), 0);
	assert_int_equal(record_from_row(&m, f, fl, 3, &r, why, sizeof why), RECORD_REJECT);
	assert_string_equal(why, "spend \"$1,200.50\": not a number");
	src->lenient_numbers = 1;
	assert_int_equal(record_from_row(&m, f, fl, 3, &r, why, sizeof why), RECORD_OK);
	assert_float_equal(r.spend, 1200.50, 1e-9);
	char g2[] = "\xe2\x82\xac 1 200";
	f[2] = g2;
	fl[2] = strlen(g2);
	assert_int_equal(record_from_row(&m, f, fl, 3, &r, why, sizeof why), RECORD_OK);
	assert_float_equal(r.spend, 1200.0, 1e-9);
	config_free(&cfg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tr_setup, tr_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lenient_numbers),
		cmocka_unit_test(test_unknown_word_excerpt),
		T(test_header_case_trim_order_extra),
		T(test_header_col_mapping),
		T(test_header_spaces_and_mapping_mistakes),
		T(test_header_duplicate_names),
		T(test_header_const),
		T(test_header_missing),
		T(test_reject_field_count),
		T(test_reject_empty_required),
		T(test_reject_bad_timestamp),
		T(test_reject_score_range),
		T(test_reject_survey_word),
		T(test_reject_bad_numbers),
		T(test_reject_invalid_utf8_id),
		T(test_reject_machine),
		T(test_free_text_repaired),
		T(test_score_na),
		T(test_unknown_event),
		T(test_default_aliases),
		T(test_machine_open),
		T(test_config_event_words),
		T(test_events_without_campaign),
		T(test_value_maps),
		T(test_customers),
		T(test_campaigns),
		T(test_awareness),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
