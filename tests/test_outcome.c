/* Unit tests for outcome (what each NPS score's people did) and cohort
 * (signup months), on a small store whose figures are worked by hand in the
 * comments. NOW is 2026-11-20 12:00 UTC; the 30-day window is 2026-10-22 to
 * 2026-11-20. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "storefix.h"

#include "cxtop/alert.h"
#include "cxtop/cohort.h"
#include "cxtop/outcome.h"

/* 2026-11-10 12:00 */
#define T10 (NOW - 10 * DAY)

static struct store *fixture(void)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	int64_t signup = NOW - 400 * DAY;
	/* a: answered 2 on day -20, then 9 on day -10: one respondent, a
	 * promoter; churned on day -5 (after the latest answer): churned */
	sf_customer(s, "a", signup, NOW - 5 * DAY, 1, 10, "");
	resp(s, NOW - 20 * DAY, "a", SCHEMA_SURVEY_NPS, 2, "", "");
	resp(s, T10, "a", SCHEMA_SURVEY_NPS, 9, "", "");
	/* b: answered 5 on day -10 but had churned on day -15: not churned
	 * after it; unsubscribed on day -12 (before): not opted out */
	sf_customer(s, "b", signup, NOW - 15 * DAY, 1, 10, "");
	sf_event(s, NOW - 12 * DAY, "b", "c1", SCHEMA_EV_UNSUBSCRIBE, 0, 0, 0);
	resp(s, T10, "b", SCHEMA_SURVEY_NPS, 5, "c1", "");
	/* c: answered 5, unsubscribed at the same second (at or after: yes),
	 * bought a day later (converted), churned the same day (churned) */
	sf_customer(s, "c", signup, T10, 1, 10, "");
	resp(s, T10, "c", SCHEMA_SURVEY_NPS, 5, "c1", "");
	sf_event(s, T10, "c", "c1", SCHEMA_EV_UNSUBSCRIBE, 0, 0, 0);
	sf_event(s, T10 + DAY, "c", "c1", SCHEMA_EV_CONVERSION, 1, 50, 0);
	/* d: answered 0, bought at the same second (after: no) */
	sf_customer(s, "d", signup, 0, 1, 10, "");
	resp(s, T10, "d", SCHEMA_SURVEY_NPS, 0, "", "");
	sf_event(s, T10, "d", "c1", SCHEMA_EV_CONVERSION, 1, 5, 0);
	/* no outcome: an anonymous answer, one of someone not in the
	 * customers source, one before the window, a CSAT answer */
	resp(s, T10, "", SCHEMA_SURVEY_NPS, 10, "", "");
	resp(s, T10, "stranger", SCHEMA_SURVEY_NPS, 10, "", "");
	sf_customer(s, "e", signup, 0, 1, 10, "");
	resp(s, NOW - 40 * DAY, "e", SCHEMA_SURVEY_NPS, 10, "", "");
	resp(s, T10, "e", SCHEMA_SURVEY_CSAT, 5, "", "");
	return s;
}

static void test_outcomes_by_hand(void **state)
{
	struct store *s = fixture();
	struct outcome_set o, camp[4];
	int64_t hi = parse_day(NOW), lo = hi - 29;
	uint32_t c1 = intern_find(s->campaign_ids, "c1", 2);
	outcome_build(s, lo, hi, &o, camp, intern_count(s->campaign_ids), NULL, 0);
	/* respondents: a (9), b (5), c (5), d (0) */
	assert_int_equal(o.score[9].respondents, 1);
	assert_int_equal(o.score[2].respondents, 0); /* a's earlier answer */
	assert_int_equal(o.score[5].respondents, 2);
	assert_int_equal(o.score[0].respondents, 1);
	assert_int_equal(o.score[10].respondents, 0);
	assert_int_equal(o.band[OUTCOME_PROMOTER].respondents, 1);
	assert_int_equal(o.band[OUTCOME_PROMOTER].churned, 1);   /* a */
	assert_int_equal(o.band[OUTCOME_SOFT].respondents, 2);
	assert_int_equal(o.band[OUTCOME_SOFT].churned, 1);       /* c, not b */
	assert_int_equal(o.band[OUTCOME_SOFT].opted_out, 1);     /* c, not b */
	assert_int_equal(o.band[OUTCOME_SOFT].converted, 1);     /* c */
	assert_int_equal(o.band[OUTCOME_HARD].respondents, 1);
	assert_int_equal(o.band[OUTCOME_HARD].converted, 0);     /* d: same second */
	assert_int_equal(o.band[OUTCOME_PASSIVE].respondents, 0);
	/* per campaign: b and c answered c1's survey */
	assert_int_equal(camp[c1].band[OUTCOME_SOFT].respondents, 2);
	assert_int_equal(camp[c1].band[OUTCOME_PROMOTER].respondents, 0);
	/* the rates: 1 of 2 with its Wilson interval (0.0945, 0.9055) */
	double r, l, h;
	outcome_rate(1, 2, &r, &l, &h);
	assert_float_equal(r, 0.5, 1e-12);
	assert_true(fabs(l - 0.0945) < 0.0001 && fabs(h - 0.9055) < 0.0001);
	outcome_rate(0, 0, &r, &l, &h);
	assert_true(isnan(r) && isnan(l) && isnan(h));
	/* the view carries the same, and the JSON-facing per-campaign copy */
	struct view *v = view_build(s, &cfg, 30, NOW);
	assert_int_equal(v->outcomes.band[OUTCOME_SOFT].churned, 1);
	assert_non_null(v->campaign_outcomes);
	store_free(s);
	view_free(v);
}

/* Cohorts: 2026-09 signups: x churned 2026-09-20 (misses month 0), y
 * churned 2026-10-01 (misses month 1 on), z stays; 2026-11: w. */
static void test_cohorts_by_hand(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	int64_t sep = 1788220800; /* 2026-09-01 */
	sf_customer(s, "x", sep + 2 * DAY, sep + 19 * DAY, 1, 10, "");
	sf_customer(s, "y", sep + 3 * DAY, sep + 30 * DAY, 1, 10, "");
	sf_customer(s, "z", sep + 4 * DAY, 0, 1, 10, "");
	sf_customer(s, "w", NOW - 5 * DAY, 0, 1, 10, "");
	struct cohort c[COHORT_MAX];
	size_t n = cohort_build(s, NOW, c);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].year, 2026);
	assert_int_equal(c[0].month, 9);
	assert_int_equal(c[0].customers, 3);
	assert_int_equal(c[0].nmonths, 3); /* September, October, November */
	assert_float_equal(c[0].retained[0], 2.0 / 3, 1e-12);
	assert_float_equal(c[0].retained[1], 1.0 / 3, 1e-12);
	assert_float_equal(c[0].retained[2], 1.0 / 3, 1e-12);
	assert_int_equal(c[1].month, 11);
	assert_int_equal(c[1].nmonths, 1);
	assert_float_equal(c[1].retained[0], 1.0, 1e-12);
	assert_int_equal(cohort_build(s, INT64_MIN, c), 0);
	store_free(s);
}

/* The month of t by the calendar, as a reference. */
static int64_t ref_month(int64_t t)
{
	int64_t y;
	int m, d;
	parse_civil_from_days(parse_day(t), &y, &m, &d);
	return y * 12 + (m - 1);
}

/* Cohorts of many customers whose signups and churns fall around month
 * starts (a second either side), years before and after: each cohort's
 * size and kept counts are those a month-by-the-calendar count gives. */
static void test_cohorts_at_month_edges(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	uint64_t r = 12345;
	uint32_t size[COHORT_MAX] = {0}, lost[COHORT_MAX][COHORT_MAX + 1];
	memset(lost, 0, sizeof lost);
	int64_t top = ref_month(NOW), first = top - (COHORT_MAX - 1);
	for (int i = 0; i < 3000; i++) {
		r = r * 6364136223846793005ULL + 1442695040888963407ULL;
		int64_t sm = top - 30 + (int64_t)(r >> 33) % 34; /* 30 months back .. 3 on */
		int64_t signup = parse_days_from_civil(sm / 12, (int)(sm % 12) + 1, 1) * DAY +
				 ((r >> 20) & 1 ? -1 : (int64_t)((r >> 21) % 3) * 86399);
		int64_t cmonth = sm - 2 + (int64_t)(r >> 40) % 60;
		int64_t churn = (r >> 10) % 3 ? 0 : parse_days_from_civil(cmonth / 12, (int)(cmonth % 12) + 1, 1) * DAY + ((r >> 12) & 1 ? -1 : 0);
		char id[16];
		snprintf(id, sizeof id, "k%d", i);
		sf_customer(s, id, signup, churn, 1, 10, "");
		int64_t m = ref_month(signup);
		if (m < first || m > top)
			continue;
		size[m - first]++;
		if (churn) {
			int64_t cm = ref_month(churn) - m;
			if (cm < 0)
				cm = 0;
			if (cm <= COHORT_MAX)
				lost[m - first][cm]++;
		}
	}
	struct cohort c[COHORT_MAX];
	size_t n = cohort_build(s, NOW, c), k = 0;
	for (size_t i = 0; i < COHORT_MAX; i++) {
		if (!size[i])
			continue;
		assert_true(k < n);
		assert_int_equal(c[k].year * 12 + c[k].month - 1, first + (int64_t)i);
		assert_int_equal(c[k].customers, size[i]);
		uint32_t gone = 0;
		for (size_t j = 0; j < c[k].nmonths; j++) {
			gone += lost[i][j];
			assert_int_equal(c[k].kept[j], size[i] - gone);
		}
		k++;
	}
	assert_int_equal(k, n);
	assert_true(n >= 20);
	store_free(s);
}

/* The alerts need intervals apart: with one respondent per band nothing
 * fires; with many, both do. */
static void test_outcome_alerts(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	int64_t signup = NOW - 400 * DAY;
	char id[32];
	/* 100 per band; churned after answering: hard 30, soft 6, passive 5,
	 * promoters 2 */
	static const int score[4] = {2, 6, 8, 10}, gone[4] = {30, 6, 5, 2};
	for (int b = 0; b < 4; b++)
		for (int i = 0; i < 100; i++) {
			snprintf(id, sizeof id, "b%d-%d", b, i);
			sf_customer(s, id, signup, i < gone[b] ? NOW - DAY : 0, 1, 10, "");
			resp(s, T10, id, SCHEMA_SURVEY_NPS, score[b], "", "");
		}
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	int soft = 0, leave = 0;
	for (size_t i = 0; i < v->nalerts; i++) {
		soft |= v->alerts[i].kind == VIEW_AL_SOFT_DETRACTORS_STAY;
		leave |= v->alerts[i].kind == VIEW_AL_DETRACTORS_LEAVE;
		if (v->alerts[i].kind == VIEW_AL_SOFT_DETRACTORS_STAY)
			assert_non_null(strstr(v->alerts[i].message,
					       "soft detractors (5-6) churned 6% - like passives (5%), not "
					       "like hard detractors (30%)"));
	}
	assert_true(soft && leave);
	view_free(v);
	store_free(s);

	s = store_new(cfg.engaged_events, cfg.hve_events);
	for (int b = 0; b < 4; b++) {
		snprintf(id, sizeof id, "one%d", b);
		sf_customer(s, id, signup, b == 0 ? NOW - DAY : 0, 1, 10, "");
		resp(s, T10, id, SCHEMA_SURVEY_NPS, score[b], "", "");
	}
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	for (size_t i = 0; i < v->nalerts; i++)
		assert_true(v->alerts[i].kind != VIEW_AL_SOFT_DETRACTORS_STAY &&
			    v->alerts[i].kind != VIEW_AL_DETRACTORS_LEAVE);
	view_free(v);
	store_free(s);
}

/* The memo folds in appended answers, unsubscribes, conversions and
 * customers rows and gives what a fresh build gives, at every step of a
 * random sequence (splitmix, fixed seed). */
static void test_memo_equals_fresh(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	struct outcome_memo *m = outcome_memo_new();
	uint64_t x = 0x243F6A8885A308D3ull;
	int64_t hi = parse_day(NOW), lo = hi - 29;
	char id[16], camp[16];
	for (int step = 0; step < 3000; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int c = (int)(x % 40), what = (int)((x >> 8) % 10);
		int64_t t = NOW - (int64_t)((x >> 16) % (40 * DAY));
		snprintf(id, sizeof id, "u%d", c);
		snprintf(camp, sizeof camp, "k%d", (int)((x >> 40) % 3));
		if (what < 4)
			resp(s, t, id, SCHEMA_SURVEY_NPS, (int)((x >> 24) % 11), what ? camp : "", "");
		else if (what < 6)
			sf_event(s, t, id, camp, SCHEMA_EV_UNSUBSCRIBE, 0, 0, 0);
		else if (what < 8)
			sf_event(s, t, id, camp, SCHEMA_EV_CONVERSION, 1, 5, 0);
		else
			sf_customer(s, id, NOW - 400 * DAY, (x >> 30) & 1 ? t : 0, 1, 10,
				    (x >> 31) & 1 ? "smb" : "");
		if (step % 7)
			continue;
		const struct outcome_set *mc, *ms;
		size_t nmc, nms;
		struct outcome_set fresh, fc[8], fs[8];
		size_t nc = intern_count(s->campaign_ids), ns = intern_count(s->segments);
		const struct outcome_set *a = outcome_memo_build(m, s, lo, hi, &mc, &nmc, &ms, &nms);
		outcome_build(s, lo, hi, &fresh, fc, nc, fs, ns);
		assert_memory_equal(a, &fresh, sizeof fresh);
		assert_int_equal(nmc, nc);
		assert_memory_equal(mc, fc, nc * sizeof *fc);
		assert_memory_equal(ms, fs, ns * sizeof *fs);
	}
	outcome_memo_free(m);
	store_free(s);
}

int main(void)
{
	(void)sf_campaign; /* storefix's, not needed here */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outcomes_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cohorts_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cohorts_at_month_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outcome_alerts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memo_equals_fresh, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
