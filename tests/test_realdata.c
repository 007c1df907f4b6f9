/* Real public exports (sample_data/realdata, see SOURCES.md there) read
 * through their example configs. The expected figures can be recomputed by
 * anyone from the files, e.g. with a spreadsheet or Python's csv module. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/view.h"

struct run {
	struct config cfg;
	struct ingest *in;
	struct view *v;
};

static void run_config(struct run *r, const char *ini)
{
	char err[512];
	config_defaults(&r->cfg);
	assert_int_equal(config_load(&r->cfg, ini, 1, err, sizeof err), 0);
	r->in = ingest_new(&r->cfg, r->cfg.data_dir);
	ingest_read_all(r->in);
	ingest_flush_partial(r->in);
	r->v = view_build(ingest_store(r->in), &r->cfg, 0, INT64_MIN);
}

static void run_free(struct run *r)
{
	view_free(r->v);
	ingest_free(r->in);
	config_free(&r->cfg);
}

/* The airline export: no timestamp, no survey column, the question text as
 * the score header. n = 184, 74 promoters, 35 detractors, NPS 21.2. */
static void test_airline(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/airline.ini");
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->nps.n, 184);
	assert_int_equal(r.v->nps.promoters, 74);
	assert_int_equal(r.v->nps.detractors, 35);
	assert_float_equal(r.v->nps.nps, 100.0 * (74 - 35) / 184, 1e-9);
	assert_true(fabs(r.v->nps.nps - 21.2) < 0.05);
	run_free(&r);
}

/* The event survey: millisecond timestamps, quoted comments with commas.
 * 39 responses, 8 promoters, 22 detractors: NPS -35.9. */
static void test_sudzilla(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/sudzilla.ini");
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->nps.n, 39);
	assert_int_equal(r.v->nps.promoters, 8);
	assert_int_equal(r.v->nps.detractors, 22);
	assert_true(fabs(r.v->nps.nps - -35.9) < 0.05);
	/* 2019-11-01 08:51:12.402: fractional seconds dropped, read as UTC */
	assert_int_equal(ingest_store(r.in)->responses[0].ts, 1572598272);
	assert_string_equal(store_comment(ingest_store(r.in), &ingest_store(r.in)->responses[0]),
			    "Bad service");
	run_free(&r);
}

/* SurveyMonkey (The Carpentries): dates as 9/8/18 15:29 (date_format),
 * UniqueID empty in 735 of 967 rows (anonymous answers count), 78 empty
 * scores. n = 889, 501 promoters, 71 detractors: NPS +48.37. */
static void test_carpentries(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/carpentries.ini");
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->nps.n, 889);
	assert_int_equal(r.v->nps.promoters, 501);
	assert_int_equal(r.v->nps.detractors, 71);
	assert_true(fabs(r.v->nps.nps - 48.37) < 0.005);
	/* the first row, 9/8/18 15:29: 2018-09-08T15:29:00Z */
	assert_int_equal(ingest_store(r.in)->responses[0].ts, 1536420540);
	run_free(&r);
}

/* The Latin-1 retail file: 13,954 rows, 342 "NA" scores (no answer, not
 * rejections), 13,612 scores: 8,465 promoters, 1,194 detractors. */
static void test_botanic(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/botanic.ini");
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(ingest_source(r.in, 0)->na, 342);
	assert_int_equal(r.v->nps.n, 13612);
	assert_int_equal(r.v->nps.promoters, 8465);
	assert_int_equal(r.v->nps.detractors, 1194);
	assert_true(fabs(r.v->nps.nps - 53.42) < 0.005);
	/* the comments arrive as UTF-8: "très" in row 2 */
	const struct store *s = ingest_store(r.in);
	assert_non_null(strstr(store_comment(s, &s->responses[1]), "tr\xc3\xa8s peu"));
	run_free(&r);
}

/* The email platform: activity (open, click), a separate unsubscribe file
 * feeding the same events, and campaign metadata with ~40 columns. */
static void test_mailchimp(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/mailchimp.ini");
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(ingest_rows(r.in), 17 + 1 + 1);
	const struct view_campaign *c = NULL, *u = NULL;
	for (size_t i = 0; i < r.v->ncampaigns; i++) {
		if (!strcmp(r.v->campaigns[i].campaign_id, "c2b4c1c0d9"))
			c = &r.v->campaigns[i];
		if (!strcmp(r.v->campaigns[i].campaign_id, "b63e7b8aff"))
			u = &r.v->campaigns[i];
	}
	assert_non_null(c);
	assert_non_null(u);
	assert_string_equal(c->name, "Release 0.1.1");
	assert_int_equal(c->unique_opens, 7);
	assert_int_equal(c->unique_clicks, 2);
	assert_float_equal(c->ctor, 2.0 / 7, 1e-12);
	/* no sent or delivered rows in the export: rates on delivered are
	 * undefined, not zero */
	assert_true(isnan(c->open_rate));
	assert_int_equal(u->optouts, 1);
	run_free(&r);
}

/* HubSpot events: campaign 86863875 has 18 opens and no delivered row.
 * Its open rate is undefined and the window's open rate is campaign 2's
 * alone: 1 open of 1 delivered (not 19 of 1, 1900 %). */
static void test_hubspot_rates_stay_rates(void **state)
{
	struct run r = { 0 };
	(void)state;
	run_config(&r, "sample_data/realdata/hubspot.ini");
	assert_int_equal(ingest_rows(r.in), 97);
	int seen = 0;
	for (size_t i = 0; i < r.v->ncampaigns; i++) {
		const struct view_campaign *c = &r.v->campaigns[i];
		if (!strcmp(c->campaign_id, "86863875")) {
			assert_int_equal(c->unique_opens, 18);
			assert_int_equal(c->delivered, 0);
			assert_true(isnan(c->open_rate));
			seen++;
		}
		if (!strcmp(c->campaign_id, "2")) {
			assert_int_equal(c->delivered, 1);
			assert_int_equal(c->unique_opens, 1);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	assert_float_equal(r.v->vanity.open_rate, 1.0, 1e-12);
	assert_float_equal(r.v->vanity.ctr, 0.0, 1e-12);
	run_free(&r);
}

/* IBM's Telco churn table: a Yes/No churn flag and tenure, no dates.
 * 7,043 customers, 1,869 churned (26.54 %); the 5,174 who stayed pay 61.27
 * a month on average. A monthly rate needs days: undefined. */
static void test_telco(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/telco.ini");
	assert_int_equal(ingest_rows(r.in), 7043);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->cx.customers, 7043);
	assert_int_equal(r.v->cx.churned_ever, 1869);
	assert_int_equal(r.v->cx.customers_ever, 7043);
	assert_true(fabs(100 * r.v->cx.churned_share - 26.54) < 0.005);
	assert_true(fabs(r.v->cx.arpu - 61.27) < 0.005);
	assert_true(isnan(r.v->cx.churn_rate_monthly));
	assert_int_equal(r.v->cx.undated_customers, 7043);
	run_free(&r);
}

/* Qualtrics: three header rows (names, question texts, ImportId JSON);
 * header_rows = 3 makes the last two neither data nor rejections. One
 * response, Q1 = 2: NPS -100 on n = 1; RecordedDate 2017-07-18 08:28:48 in
 * Europe/Zurich (CEST) is 06:28:48 UTC. */
static void test_qualtrics(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/qualtrics.ini");
	assert_int_equal(ingest_rows(r.in), 1);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->nps.n, 1);
	assert_float_equal(r.v->nps.nps, -100.0, 1e-9);
	assert_int_equal(ingest_store(r.in)->responses[0].ts, 1500359328);
	assert_string_equal(store_comment(ingest_store(r.in), &ingest_store(r.in)->responses[0]),
			    "Hello World!");
	run_free(&r);
}

/* SurveyMonkey (FiveThirtyEight's Star Wars survey): two header rows, the
 * Han Solo column named only in the second ("QUESTION / Han Solo"), words
 * as scores. 1,186 respondents: 814 rated him, 761 favourably (93.49 %),
 * 372 empty or "Unfamiliar (N/A)". */
static void test_starwars(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/starwars.ini");
	assert_int_equal(ingest_rows(r.in), 814);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(ingest_source(r.in, 0)->na, 372);
	assert_float_equal(r.v->cx.csat, 761.0 / 814.0, 1e-9);
	run_free(&r);
}

/* A made-up HubSpot feedback export (tests/exports): NPS, CSAT and CES
 * surveys named in free text in one file (map.survey with patterns), CSAT
 * as Negative/Neutral/Positive (map.score, scale.csat = 0-2), US 12-hour
 * times in New York. Figures from Python's csv module: NPS n = 10 with 5
 * promoters and 3 detractors (+20.0); CSAT 4 of 7 satisfied; CES mean 5.0
 * with 3 of 4 easy; "Very positive" twice, not in the map: 2 rejected rows
 * and one entry naming the label. */
static void test_hubspot_feedback(void **state)
{
	struct run r;
	run_config(&r, "tests/exports/hubspot_feedback.ini");
	assert_int_equal(ingest_rows(r.in), 21);
	assert_int_equal(ingest_rejected(r.in), 2);
	assert_int_equal(ingest_nrejections(r.in), 0); /* listed once, as a label */
	assert_int_equal(ingest_nwords(r.in), 1);
	assert_string_equal(ingest_word(r.in, 0)->word, "Very positive");
	assert_int_equal(ingest_word(r.in, 0)->col, SCHEMA_COL_SCORE);
	assert_int_equal(ingest_word(r.in, 0)->count, 2);
	assert_int_equal(r.v->nps.n, 10);
	assert_int_equal(r.v->nps.promoters, 5);
	assert_int_equal(r.v->nps.detractors, 3);
	assert_float_equal(r.v->nps.nps, 20.0, 1e-9);
	assert_float_equal(r.v->cx.csat, 4.0 / 7.0, 1e-9);
	assert_float_equal(r.v->cx.ces, 5.0, 1e-9);
	assert_float_equal(r.v->cx.ces_easy, 0.75, 1e-9);
	/* 11/02/2026 9:00 AM in New York (EST, the day after DST ended) */
	assert_int_equal(ingest_store(r.in)->responses[0].ts, 1793628000);
	run_free(&r);
}

/* Made-up German Excel exports (tests/exports/german_excel.ini): customers
 * in Windows-1252 with ';', 03.11.2025 dates, "1.234,56 €" amounts and a
 * ja/nein flag; events as Excel's "Unicode text" (UTF-16LE with a BOM,
 * tabs) with German words and times. Figures worked by hand in the .ini. */
static void test_german_excel(void **state)
{
	struct run r;
	run_config(&r, "tests/exports/german_excel.ini");
	assert_int_equal(ingest_rows(r.in), 17);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->cx.customers, 8);
	assert_int_equal(r.v->cx.opted_in, 4);
	assert_int_equal(r.v->cx.churned_30d, 1);
	assert_int_equal(r.v->cx.active_30d_ago, 7);
	assert_true(fabs(r.v->cx.arpu - 4637.06 / 5) < 1e-9);
	assert_true(fabs(r.v->cx.cev - 1448.90) < 1e-9);
	int seen = 0;
	for (size_t i = 0; i < r.v->ncampaigns; i++) {
		const struct view_campaign *c = &r.v->campaigns[i];
		if (strcmp(c->campaign_id, "Herbst-Angebot") == 0) {
			assert_int_equal(c->delivered, 3);
			assert_int_equal(c->unique_opens, 2);
			assert_int_equal(c->unique_clicks, 1);
			assert_int_equal(c->optouts, 1);
			assert_true(fabs(c->revenue - 149.90) < 1e-9);
			seen++;
		} else if (c->campaign_id[0] == '\0') {
			assert_string_equal(c->name, "(no campaign)");
			assert_int_equal(c->conversions, 1);
			assert_true(fabs(c->revenue - 1299.00) < 1e-9);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	assert_int_equal(r.v->now, 1793786400); /* the last event, 04.11.2026 11:00 CET */
	run_free(&r);
}

/* Google Forms: every field quoted, "2022/03/26 11:00:19 PM AST", no
 * respondent id, 1-4 ratings of three options (three sources of one file).
 * Satisfied (3-4): 1 + 2 + 3 of 9. */
static void test_googleforms(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/googleforms.ini");
	assert_int_equal(ingest_rows(r.in), 9);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_float_equal(r.v->cx.csat, 6.0 / 9.0, 1e-9);
	/* 11:00:19 PM at -04:00 is 03:00:19 UTC the next day */
	assert_int_equal(ingest_store(r.in)->responses[0].ts, 1648350019);
	run_free(&r);
}

/* Klaviyo: metric names as event words, a flow e-mail and an order without
 * a campaign id (read into "(no campaign)", not rejected). */
static void test_klaviyo(void **state)
{
	struct run r;
	run_config(&r, "sample_data/realdata/klaviyo.ini");
	assert_int_equal(ingest_rows(r.in), 4);
	assert_int_equal(ingest_rejected(r.in), 0);
	assert_int_equal(r.v->ncampaigns, 3);
	int none = 0;
	for (size_t i = 0; i < r.v->ncampaigns; i++) {
		const struct view_campaign *c = &r.v->campaigns[i];
		if (c->campaign_id[0])
			continue;
		none++;
		assert_string_equal(c->name, "(no campaign)");
		assert_int_equal(c->sent, 1);
		assert_int_equal(c->conversions, 1);
	}
	assert_int_equal(none, 1);
	assert_float_equal(r.v->cx.hve, 1, 1e-12);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hubspot_rates_stay_rates),
		cmocka_unit_test(test_airline),
		cmocka_unit_test(test_sudzilla),
		cmocka_unit_test(test_carpentries),
		cmocka_unit_test(test_hubspot_feedback),
		cmocka_unit_test(test_qualtrics),
		cmocka_unit_test(test_telco),
		cmocka_unit_test(test_starwars),
		cmocka_unit_test(test_german_excel),
		cmocka_unit_test(test_googleforms),
		cmocka_unit_test(test_klaviyo),
		cmocka_unit_test(test_botanic),
		cmocka_unit_test(test_mailchimp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
