/* Tests for view_memo: a view rebuilt with a memo after the store changed
 * must equal, field by field, a view built from scratch — whatever changed:
 * rows appended to the window's days, customers who opt out or back in,
 * responses out of time order, customers moved to another segment,
 * campaigns to another channel, a new day that moves the window, a
 * store_clear. A few numbers are also checked by hand. */
#include <math.h>
#include <stdio.h>

#include "testutil.h"
#include "splitmix.h"

#include "storefix.h"

#include "cxtop/alert.h"

static void ev(struct store *s, int64_t ts, const char *cust, const char *camp, int e, double value)
{
	sf_event(s, ts, cust, camp, e, value > 0, value, 0);
}

static void camp(struct store *s, const char *id, const char *channel, int64_t start)
{
	sf_campaign(s, id, id, channel, start);
}

static void cust(struct store *s, const char *id, int64_t signup, int opted_in, const char *seg)
{
	sf_customer(s, id, signup, 0, opted_in, 120, seg);
}

/* ---- field-by-field comparison ------------------------------------------ */

static void same_d(double a, double b, const char *what, const char *field)
{
	if ((isnan(a) && isnan(b)) || a == b)
		return;
	fail_msg("%s.%s: memo %.17g, scratch %.17g", what, field, a, b);
}

static void same_u(int64_t a, int64_t b, const char *what, const char *field)
{
	if (a != b)
		fail_msg("%s.%s: memo %lld, scratch %lld", what, field, (long long)a, (long long)b);
}

#define D(f) same_d(a->f, b->f, what, #f)
#define U(f) same_u((int64_t)a->f, (int64_t)b->f, what, #f)

static void same_nps(const struct view_nps *a, const struct view_nps *b, const char *what)
{
	U(n);
	for (int i = 0; i <= 10; i++)
		U(histogram[i]);
	U(promoters), U(passives), U(detractors), U(soft_detractors), U(hard_detractors);
	D(nps), D(nps_moe95), U(significant), D(mean_detractor_score), D(nps_if_soft_passive);
	D(wrs), D(hard_share), D(response_rate);
}

static void same_period(const struct view_period *a, const struct view_period *b,
			const char *what)
{
	U(days), U(day_lo), U(day_hi), U(start), U(end);
}

static void same_vanity(const struct view_vanity *a, const struct view_vanity *b,
			const char *what)
{
	D(impressions), D(reach), D(awareness), D(open_rate), D(ctr), D(nps);
}

static void same_cx(const struct view_cx *a, const struct view_cx *b, const char *what)
{
	D(optout_rate), D(opted_in_share), D(disengaged), D(churn_rate_monthly);
	D(retention_rate), D(arpu), D(clv), D(csat), D(csat_mean), D(ces), D(ces_easy), D(wrs);
	D(engaged), D(hve), D(cev), D(cev_per_engaged);
	U(customers), U(opted_in), U(churned_30d), U(active_30d_ago);
}

static void same_totals(const struct view_totals *a, const struct view_totals *b,
			const char *what)
{
	U(campaigns), U(delivered), U(unique_opens), U(unique_clicks), U(optouts);
}

static void same_campaign(const struct view_campaign *a, const struct view_campaign *b,
			  const char *what)
{
	assert_string_equal(a->campaign_id, b->campaign_id);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->channel, b->channel);
	U(idx), U(start), U(sent), U(delivered), U(bounces), U(unique_opens), U(human_opens);
	U(machine_opens), U(unique_clicks), U(optouts), U(complaints), U(conversions);
	D(revenue), D(spend), D(open_rate), D(human_open_rate), D(ctr), D(ctor), D(optout_rate);
	D(bounce_rate), D(complaint_rate), U(base), D(ctr_base), D(audience_retained);
	U(prev), U(in_window);
	same_nps(&a->nps, &b->nps, what);
}

static void same_group(const struct view_group *a, const struct view_group *b, const char *what)
{
	assert_string_equal(a->name, b->name);
	same_nps(&a->nps, &b->nps, what);
}

#undef D
#undef U

static void same_view(const struct view *a, const struct view *b)
{
	same_u(a->now, b->now, "view", "now");
	same_period(&a->win, &b->win, "win");
	same_u(a->has_prev, b->has_prev, "view", "has_prev");
	same_period(&a->prev, &b->prev, "prev");
	same_vanity(&a->vanity, &b->vanity, "vanity");
	same_vanity(&a->vanity_prev, &b->vanity_prev, "vanity_prev");
	same_cx(&a->cx, &b->cx, "cx");
	same_cx(&a->cx_prev, &b->cx_prev, "cx_prev");
	same_nps(&a->nps, &b->nps, "nps");
	same_nps(&a->nps_prev, &b->nps_prev, "nps_prev");
	same_d(a->nps_change, b->nps_change, "view", "nps_change");
	same_d(a->nps_change_moe, b->nps_change_moe, "view", "nps_change_moe");
	same_totals(&a->totals, &b->totals, "totals");
	same_totals(&a->totals_prev, &b->totals_prev, "totals_prev");
	assert_int_equal(a->ncampaigns, b->ncampaigns);
	for (size_t i = 0; i < a->ncampaigns; i++)
		same_campaign(&a->campaigns[i], &b->campaigns[i], "campaign");
	assert_int_equal(a->nsegments, b->nsegments);
	for (size_t i = 0; i < a->nsegments; i++)
		same_group(&a->segments[i], &b->segments[i], "segment");
	assert_int_equal(a->nchannels, b->nchannels);
	for (size_t i = 0; i < a->nchannels; i++)
		same_group(&a->channels[i], &b->channels[i], "channel");
	assert_int_equal(a->nalerts, b->nalerts);
	for (size_t i = 0; i < a->nalerts; i++) {
		assert_int_equal(a->alerts[i].kind, b->alerts[i].kind);
		assert_int_equal(a->alerts[i].severity, b->alerts[i].severity);
		assert_int_equal(a->alerts[i].campaign, b->alerts[i].campaign);
		assert_string_equal(a->alerts[i].subject, b->alerts[i].subject);
		assert_string_equal(a->alerts[i].message, b->alerts[i].message);
	}
	/* outcomes by score and cohorts: all plain numbers, compared whole */
	assert_memory_equal(&a->outcomes, &b->outcomes, sizeof a->outcomes);
	assert_int_equal(a->campaign_outcomes != NULL, b->campaign_outcomes != NULL);
	if (a->campaign_outcomes)
		assert_memory_equal(a->campaign_outcomes, b->campaign_outcomes,
				    a->ncampaigns * sizeof *a->campaign_outcomes);
	for (size_t i = 0; i < a->nsegments; i++)
		assert_memory_equal(&a->segments[i].outcomes, &b->segments[i].outcomes,
				    sizeof a->segments[i].outcomes);
	assert_int_equal(a->ncohorts, b->ncohorts);
	assert_memory_equal(a->cohorts, b->cohorts, a->ncohorts * sizeof *a->cohorts);
	assert_int_equal(a->nmonths, b->nmonths);
	for (size_t i = 0; i < a->nmonths; i++) {
		assert_int_equal(a->months[i].year, b->months[i].year);
		assert_int_equal(a->months[i].month, b->months[i].month);
		assert_int_equal(a->months[i].churned, b->months[i].churned);
		assert_int_equal(a->months[i].active_at_start, b->months[i].active_at_start);
		same_d(a->months[i].churn_rate, b->months[i].churn_rate, "month", "churn_rate");
	}
	assert_int_equal(a->nseries, b->nseries);
	for (size_t i = 0; i < a->nseries; i++) {
		same_period(&a->series[i].period, &b->series[i].period, "series.period");
		same_vanity(&a->series[i].vanity, &b->series[i].vanity, "series.vanity");
		same_cx(&a->series[i].cx, &b->series[i].cx, "series.cx");
		same_d(a->series[i].response_rate, b->series[i].response_rate, "series",
		       "response_rate");
	}
}

/* Build with the memo and from scratch; they must agree. Returns the memo
 * build for further checks (the caller frees it). */
static struct view *build(const struct store *s, struct view_memo *m, int days, int64_t now)
{
	struct view *a = view_build_memo(s, &cfg, days, now, m);
	alert_build(a, &cfg);
	struct view *b = view_build(s, &cfg, days, now);
	alert_build(b, &cfg);
	same_view(a, b);
	view_free(b);
	return a;
}

static double engaged_after(const struct store *s, struct view_memo *m, int days)
{
	struct view *v = build(s, m, days, INT64_MIN);
	double e = v->cx.engaged;
	view_free(v);
	return e;
}

/* ---- the cases ----------------------------------------------------------- */

/* Each kind of change, one after another, on one memo. */
static void test_memo_follows_each_change(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	struct view_memo *m = view_memo_new();
	char id[32];

	camp(s, "A", "email", NOW - 40 * DAY);
	camp(s, "B", "sms", NOW - 20 * DAY);
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof id, "c%d", i);
		cust(s, id, NOW - 400 * DAY, 1, i % 2 ? "smb" : "ent");
	}
	/* c0..c19 click in the window, c20..c29 only in the previous one */
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof id, "c%d", i);
		int64_t ts = i < 20 ? NOW - (i % 25) * DAY : NOW - 45 * DAY;
		ev(s, ts, id, i < 10 ? "A" : "B", SCHEMA_EV_CLICK, 0);
		resp(s, ts, id, SCHEMA_SURVEY_NPS, i % 11, i < 10 ? "A" : "B", "");
	}
	assert_int_equal((int)engaged_after(s, m, 30), 20);

	/* more engagement on days already counted, one new customer */
	ev(s, NOW - 3 * DAY, "c25", "B", SCHEMA_EV_CONVERSION, 40);
	ev(s, NOW - 3 * DAY, "c0", "A", SCHEMA_EV_CLICK, 0);
	ev(s, NOW - 2 * DAY, "new1", "A", SCHEMA_EV_CLICK, 0);
	assert_int_equal((int)engaged_after(s, m, 30), 22);

	/* two engaged customers unsubscribe: they no longer count */
	ev(s, NOW - DAY, "c1", "A", SCHEMA_EV_UNSUBSCRIBE, 0);
	ev(s, NOW - DAY, "new1", "A", SCHEMA_EV_UNSUBSCRIBE, 0);
	assert_int_equal((int)engaged_after(s, m, 30), 20);

	/* customers.csv says c2 opted out, then in again */
	cust(s, "c2", NOW - 400 * DAY, 0, "ent");
	assert_int_equal((int)engaged_after(s, m, 30), 19);
	cust(s, "c2", NOW - 400 * DAY, 1, "ent");
	assert_int_equal((int)engaged_after(s, m, 30), 20);

	/* a response older than the last one, still in the window */
	resp(s, NOW - 10 * DAY, "c3", SCHEMA_SURVEY_NPS, 0, "B", "");
	struct view *v = build(s, m, 30, INT64_MIN);
	uint32_t sms_n = 0;
	for (size_t i = 0; i < v->nchannels; i++)
		if (!strcmp(v->channels[i].name, "sms"))
			sms_n = v->channels[i].nps.n;
	assert_int_equal(sms_n, 11); /* c10..c19 and this one */
	view_free(v);

	/* c4 (ent) moves to smb: its response moves with it */
	v = build(s, m, 30, INT64_MIN);
	uint32_t smb0 = 0, smb1 = 0;
	for (size_t i = 0; i < v->nsegments; i++)
		if (!strcmp(v->segments[i].name, "smb"))
			smb0 = v->segments[i].nps.n;
	view_free(v);
	cust(s, "c4", NOW - 400 * DAY, 1, "smb");
	v = build(s, m, 30, INT64_MIN);
	for (size_t i = 0; i < v->nsegments; i++)
		if (!strcmp(v->segments[i].name, "smb"))
			smb1 = v->segments[i].nps.n;
	assert_int_equal(smb1, smb0 + 1);
	view_free(v);

	/* campaign B moves to another channel */
	camp(s, "B", "push", NOW - 20 * DAY);
	v = build(s, m, 30, INT64_MIN);
	view_free(v);

	/* a new day: the window moves by one day */
	ev(s, NOW + DAY, "c5", "A", SCHEMA_EV_CLICK, 0);
	v = build(s, m, 30, INT64_MIN);
	assert_int_equal(v->win.day_hi, parse_day(NOW) + 1);
	view_free(v);

	/* events are read again from the start */
	store_clear(s, SCHEMA_EVENTS);
	assert_int_equal((int)engaged_after(s, m, 30), 0);
	ev(s, NOW, "c1", "A", SCHEMA_EV_CLICK, 0); /* no longer unsubscribed */
	ev(s, NOW, "c7", "A", SCHEMA_EV_CLICK, 0);
	assert_int_equal((int)engaged_after(s, m, 30), 2);

	/* nothing changed at all */
	v = build(s, m, 30, INT64_MIN);
	view_free(v);
	view_memo_free(m);
	store_free(s);
}

/* A fixed now with data after it, and a memo moved between stores. */
static void test_memo_fixed_now_and_other_store(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	struct store *t = store_new(cfg.engaged_events, cfg.hve_events);
	struct view_memo *m = view_memo_new();

	ev(s, NOW - DAY, "a", "A", SCHEMA_EV_CLICK, 0);
	ev(s, NOW + 2 * DAY, "b", "A", SCHEMA_EV_CLICK, 0); /* after now */
	struct view *v = build(s, m, 7, NOW);
	assert_int_equal((int)v->cx.engaged, 1);
	view_free(v);
	ev(s, NOW, "c", "A", SCHEMA_EV_CLICK, 0);
	v = build(s, m, 7, NOW);
	assert_int_equal((int)v->cx.engaged, 2);
	view_free(v);

	ev(t, NOW, "x", "A", SCHEMA_EV_CLICK, 0);
	v = build(t, m, 7, NOW);
	assert_int_equal((int)v->cx.engaged, 1);
	view_free(v);
	view_memo_free(m);
	store_free(s);
	store_free(t);
}

/* Random changes of every kind, checked after each small batch for the
 * 7-day, 30-day and all-data windows, each with its own memo. */
static void test_memo_random(void **state)
{
	static const char *const segs[] = {"", "smb", "ent", "mid"};
	static const char *const chans[] = {"email", "sms", "push"};
	static const char *const camps[] = {"A", "B", "C", ""};
	static const int windows[] = {7, 30, 0};
	struct view_memo *m[3];
	char id[32];

	for (int seed = 1; seed <= 4; seed++) {
		struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
		int64_t clock = NOW;
		g_rng = (uint64_t)seed;
		for (int w = 0; w < 3; w++)
			m[w] = view_memo_new();
		for (int step = 0; step < 150; step++) {
			int ops = 1 + (int)rb(6);
			for (int o = 0; o < ops; o++) {
				uint32_t k = rb(100);
				snprintf(id, sizeof id, "u%u", rb(60));
				int64_t ts = clock - (int64_t)rb(70) * DAY + rb(DAY);
				const char *c = camps[rb(4)];
				if (k < 35)
					ev(s, ts, id, c, rb(2) ? SCHEMA_EV_CLICK : SCHEMA_EV_CONVERSION,
					   rb(100));
				else if (k < 45)
					ev(s, ts, id, c, rb(2) ? SCHEMA_EV_SENT : SCHEMA_EV_DELIVERED, 0);
				else if (k < 50)
					ev(s, ts, id, c, SCHEMA_EV_UNSUBSCRIBE, 0);
				else if (k < 57)
					ev(s, ts, id, c, SCHEMA_EV_SURVEY_SENT, 0);
				else if (k < 75)
					resp(s, ts, id, SCHEMA_SURVEY_NPS, (int)rb(11), c, segs[rb(4)]);
				else if (k < 78)
					resp(s, ts, id, rb(2) ? SCHEMA_SURVEY_CSAT : SCHEMA_SURVEY_CES,
					     1 + (int)rb(5), c, "");
				else if (k < 88)
					cust(s, id, clock - (int64_t)rb(300) * DAY, rb(4) != 0,
					     segs[rb(4)]);
				else if (k < 92 && *c)
					camp(s, c, chans[rb(3)], clock - (int64_t)rb(60) * DAY);
				else if (k < 98)
					clock += DAY; /* the next rows move the window */
				else if (rb(4) == 0)
					store_clear(s, (int)rb(SCHEMA_KIND_COUNT));
			}
			store_settle(s);
			for (int w = 0; w < 3; w++)
				view_free(build(s, m[w], windows[w], INT64_MIN));
		}
		for (int w = 0; w < 3; w++)
			view_memo_free(m[w]);
		store_free(s);
	}
}

static void test_memo_free_null(void **state)
{
	view_memo_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memo_follows_each_change),
		cmocka_unit_test(test_memo_fixed_now_and_other_store),
		cmocka_unit_test(test_memo_random),
		cmocka_unit_test(test_memo_free_null),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
