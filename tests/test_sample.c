/* The seed scenarios of sample_data/ (see sample_data/README.md), asserted
 * by number through the whole pipeline: the stories the sample data must
 * tell, so that a regenerated sample cannot silently lose one. */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/report.h"
#include "cxtop/ingest.h"
#include "cxtop/alert.h"
#include "cxtop/view.h"

static struct config cfg;
static struct ingest *in;

static int setup(void **state)
{
	config_defaults(&cfg);
	in = ingest_new(&cfg, "sample_data");
	ingest_read_all(in);
	ingest_flush_partial(in);
	return 0;
}

static int teardown(void **state)
{
	ingest_free(in);
	config_free(&cfg);
	return 0;
}

static const struct view_campaign *find(const struct view *v, const char *id)
{
	for (size_t i = 0; i < v->ncampaigns; i++)
		if (!strcmp(v->campaigns[i].campaign_id, id))
			return &v->campaigns[i];
	fail_msg("campaign %s not in the sample", id);
	return NULL;
}

static int has_alert(const struct view *v, int kind, const char *subject)
{
	for (size_t i = 0; i < v->nalerts; i++)
		if (v->alerts[i].kind == kind && (!subject || !strcmp(v->alerts[i].subject, subject)))
			return 1;
	return 0;
}

static void test_sample_is_clean_and_large(void **state)
{
	assert_int_equal(ingest_rejected(in), 0);
	struct view *v = view_build(ingest_store(in), &cfg, 0, INT64_MIN);
	alert_build(v, &cfg);
	assert_true(v->cx.customers >= 1000);
	assert_true(v->ncampaigns >= 20);
	assert_true(ingest_source(in, 0)->rows >= 20000);
	view_free(v);
}

/* 1,000 reached, 100 click, 100 opt out; then the 900 left, 100 click. */
static void test_denominator_trap(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	const struct view_campaign *a = find(v, "sms-flash-1"), *b = find(v, "sms-flash-2");
	assert_int_equal(a->delivered, 1000);
	assert_int_equal(a->unique_clicks, 100);
	assert_int_equal(a->optouts, 100);
	assert_int_equal(b->delivered, 900);
	assert_int_equal(b->unique_clicks, 100);
	assert_float_equal(a->ctr, 0.10, 1e-12);
	assert_true(fabs(b->ctr - 0.111) < 0.0005);
	assert_int_equal(a->base, 1000);
	assert_int_equal(b->base, 1000);
	assert_float_equal(b->ctr_base, 0.10, 1e-12);
	assert_float_equal(b->audience_retained, 0.90, 1e-12);
	assert_true(has_alert(v, VIEW_AL_CTR_INFLATED, b->name));
	view_free(v);
}

/* The same NPS from different detractors: a 6 is not a 0. */
static void test_same_nps_different_detractors(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 0, INT64_MIN);
	alert_build(v, &cfg);
	const struct view_campaign *m = find(v, "nps-mild"), *h = find(v, "nps-harsh");
	assert_int_equal(m->nps.n, 200);
	assert_int_equal(h->nps.n, 200);
	assert_float_equal(m->nps.nps, 20.0, 1e-9);
	assert_float_equal(h->nps.nps, 20.0, 1e-9);
	assert_true(m->nps.soft_detractors > m->nps.hard_detractors);
	assert_true(h->nps.hard_detractors > h->nps.soft_detractors);
	assert_true(m->nps.mean_detractor_score - h->nps.mean_detractor_score > 2.0);
	assert_true(m->nps.wrs > h->nps.wrs);
	view_free(v);
}

static void test_three_quarters_opted_in(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	assert_int_equal(v->cx.opted_in * 4, v->cx.customers * 3);
	assert_float_equal(v->cx.opted_in_share, 0.75, 1e-12);
	assert_float_equal(v->cx.disengaged, 0.25, 1e-12);
	view_free(v);
}

static void test_reach_up_churn_up(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	assert_true(v->vanity.reach > v->vanity_prev.reach);
	assert_true(v->cx.churn_rate_monthly > v->cx_prev.churn_rate_monthly);
	/* the figures of sample_data/README.md, scenario 4 */
	assert_int_equal(v->cx.churned_30d, 231);
	assert_int_equal(v->cx.active_30d_ago, 3941);
	assert_int_equal(v->cx_prev.churned_30d, 107);
	assert_int_equal(v->cx_prev.active_30d_ago, 3563);
	assert_true(fabs(v->cx.clv - 5073.08) < 0.005);
	assert_true(has_alert(v, VIEW_AL_REACH_UP_CHURN_UP, NULL));
	view_free(v);
}

/* Scenario 6 of sample_data/README.md: what the score predicts. */
static void test_score_predicts(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	static const uint32_t resp[4] = {77, 56, 106, 257}, churned[4] = {23, 3, 6, 5};
	for (int b = 0; b < OUTCOME_NBANDS; b++) {
		assert_int_equal(v->outcomes.band[b].respondents, resp[b]);
		assert_int_equal(v->outcomes.band[b].churned, churned[b]);
	}
	double r, lo, hi;
	outcome_rate(23, 77, &r, &lo, &hi);
	assert_true(fabs(lo - 0.208) < 0.0005 && fabs(hi - 0.408) < 0.0005);
	char words[256];
	outcome_sentence(&v->outcomes, 1, words, sizeof words);
	assert_string_equal(words, "soft detractors (5-6) churned 5% - like passives (6%), not like "
				   "hard detractors (30%)");
	assert_true(has_alert(v, VIEW_AL_SOFT_DETRACTORS_STAY, NULL));
	assert_true(has_alert(v, VIEW_AL_DETRACTORS_LEAVE, NULL));
	view_free(v);
}

static void test_response_rate_falls(void **state)
{
	struct view *v = view_build(ingest_store(in), &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	assert_true(v->nps_prev.response_rate - v->nps.response_rate >= 0.05);
	assert_true(has_alert(v, VIEW_AL_SURVEY_RESPONSE_DROP, NULL));
	view_free(v);
}

/* ---- chunking invariance ----------------------------------------------- */

static struct store *chunk_store;

static void chunk_record(void *ctx, const struct record *r, uint64_t line)
{
	store_apply(chunk_store, r);
}

static void chunk_reject(void *ctx, uint64_t line, const char *reason)
{
	fail_msg("rejection at line %llu: %s", (unsigned long long)line, reason);
}

/* Every sample file fed to csvin in pseudo-random pieces of 1 byte to 64 KiB
 * gives exactly the view a whole read gives (the JSON of both compared). */
static void test_chunking_invariance(void **state)
{
	static const struct csvin_sink sink = { .record = chunk_record, .reject = chunk_reject };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	char *a = NULL, *b = NULL;
	size_t alen, blen;

	chunk_store = store_new(cfg.engaged_events, cfg.hve_events);
	for (size_t i = 0; i < cfg.nsources; i++) {
		char path[4096];
		snprintf(path, sizeof path, "sample_data/%s", cfg.sources[i].path);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		size_t n = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		char *buf = malloc(n);
		assert_int_equal(fread(buf, 1, n, f), n);
		fclose(f);
		struct csvin *c = csvin_new(&cfg.sources[i]);
		for (size_t off = 0; off < n;) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			/* mostly small pieces, so rows and quoted fields are split */
			size_t piece = (rng & 1) ? 1 + (rng >> 8) % 97 : 1 + (rng >> 8) % 65536;
			if (piece > n - off)
				piece = n - off;
			csvin_feed(c, buf + off, piece, &sink, NULL);
			off += piece;
		}
		csvin_end(c, &sink, NULL);
		csvin_free(c);
		free(buf);
	}
	for (int w = 0; w < 2; w++) {
		int days = w ? 0 : 30;
		struct view *v1 = view_build(ingest_store(in), &cfg, days, INT64_MIN);
		alert_build(v1, &cfg);
		struct view *v2 = view_build(chunk_store, &cfg, days, INT64_MIN);
		alert_build(v2, &cfg);
		FILE *fa = open_memstream(&a, &alen), *fb = open_memstream(&b, &blen);
		/* the same ingest counters are printed for both: only the view
		 * part can differ */
		report_write(fa, REPORT_JSON, v1, in, &cfg, 1);
		report_write(fb, REPORT_JSON, v2, in, &cfg, 1);
		fclose(fa);
		fclose(fb);
		assert_true(alen > 10000);
		assert_string_equal(a, b);
		free(a);
		free(b);
		view_free(v1);
		view_free(v2);
	}
	store_free(chunk_store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_is_clean_and_large),
		cmocka_unit_test(test_denominator_trap),
		cmocka_unit_test(test_same_nps_different_detractors),
		cmocka_unit_test(test_three_quarters_opted_in),
		cmocka_unit_test(test_reach_up_churn_up),
		cmocka_unit_test(test_response_rate_falls),
		cmocka_unit_test(test_score_predicts),
		cmocka_unit_test(test_chunking_invariance),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
