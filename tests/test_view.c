/* Tests for store + view: records are applied directly and the numbers of
 * SPEC section 3 are checked against values worked out by hand. */
#include <math.h>
#include <stdio.h>

#include "testutil.h"

#include "storefix.h"

#include "cxtop/alert.h"

static void ev(struct store *s, int64_t ts, const char *cust, const char *camp, int e)
{
	sf_event(s, ts, cust, camp, e, 0, 0, 0);
}

static void ev_val(struct store *s, int64_t ts, const char *cust, const char *camp, int e,
		   double value, int machine)
{
	sf_event(s, ts, cust, camp, e, 1, value, machine);
}

static const struct view_campaign *find(const struct view *v, const char *id)
{
	for (size_t i = 0; i < v->ncampaigns; i++)
		if (!strcmp(v->campaigns[i].campaign_id, id))
			return &v->campaigns[i];
	fail_msg("campaign %s not in view", id);
	return NULL;
}

static const struct view_alert *alert(const struct view *v, int kind, const char *subject)
{
	for (size_t i = 0; i < v->nalerts; i++)
		if (v->alerts[i].kind == kind && (!subject || !strcmp(v->alerts[i].subject, subject)))
			return &v->alerts[i];
	return NULL;
}

/* SPEC 3.1: A reaches 1,000, 100 click, 100 opt out; B goes to the 900
 * left and 100 click: ctr 10 % -> 11.1 %, base 1,000, ctr_base 10 %. */
static void test_denominator_trap(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	char id[32];
	sf_campaign(s, "A", "Flash A", "sms", NOW - 10 * DAY);
	sf_campaign(s, "B", "Flash B", "sms", NOW - 3 * DAY);
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "c%d", i);
		ev(s, NOW - 10 * DAY, id, "A", SCHEMA_EV_SENT);
		ev(s, NOW - 10 * DAY, id, "A", SCHEMA_EV_DELIVERED);
		if (i < 100)
			ev(s, NOW - 10 * DAY + 60, id, "A", SCHEMA_EV_CLICK);
		else if (i < 200)
			ev(s, NOW - 10 * DAY + 60, id, "A", SCHEMA_EV_UNSUBSCRIBE);
	}
	for (int i = 0; i < 1000; i++) {
		if (i >= 100 && i < 200)
			continue;
		snprintf(id, sizeof id, "c%d", i);
		ev(s, NOW - 3 * DAY, id, "B", SCHEMA_EV_SENT);
		ev(s, NOW - 3 * DAY, id, "B", SCHEMA_EV_DELIVERED);
	}
	/* the 900 left: c0..c99 and c200..c999; 100 of them click */
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "c%d", 200 + i);
		ev(s, NOW - 3 * DAY + 60, id, "B", SCHEMA_EV_CLICK);
	}
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	const struct view_campaign *a = find(v, "A"), *b = find(v, "B");
	assert_int_equal(a->delivered, 1000);
	assert_int_equal(b->delivered, 900);
	assert_float_equal(a->ctr, 0.10, 1e-12);
	assert_float_equal(b->ctr, 100.0 / 900, 1e-12);
	assert_int_equal(a->base, 1000);
	assert_int_equal(b->base, 1000);
	assert_float_equal(a->ctr_base, 0.10, 1e-12);
	assert_float_equal(b->ctr_base, 0.10, 1e-12);
	assert_float_equal(b->audience_retained, 0.90, 1e-12);
	assert_float_equal(a->optout_rate, 0.10, 1e-12);
	const struct view_alert *al = alert(v, VIEW_AL_CTR_INFLATED, "Flash B");
	assert_non_null(al);
	assert_non_null(strstr(al->message, "10.0% -> 11.1%"));
	assert_null(alert(v, VIEW_AL_CTR_INFLATED, "Flash A"));
	/* window totals: sum over campaigns that start in W */
	assert_int_equal(v->totals.delivered, 1900);
	assert_float_equal(v->vanity.ctr, 200.0 / 1900, 1e-12);
	view_free(v);
	/* the first delivered event switched A and B from sent- to
	 * delivered-recipients: the view above counted from the pairs; once
	 * settled, the kept counts give the same bases */
	store_settle(s);
	assert_false(s->bases_dirty);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(find(v, "A")->base, 1000);
	assert_int_equal(find(v, "B")->base, 1000);
	view_free(v);
	assert_int_equal(s->campaigns[intern_find(s->campaign_ids, "A", 1)].n_first, 1000);
	assert_int_equal(s->campaigns[intern_find(s->campaign_ids, "B", 1)].n_first, 0);
	store_free(s);
}

/* The recount in steps (the dashboard's loop: a slice of the pairs per
 * turn) gives what one recount gives, and a change between two steps
 * starts it again instead of leaving a half-counted base; while a cold
 * read is under way (store_bulk) a view shows the bases as not known
 * rather than recounting them itself. */
static void test_bases_settled_in_steps(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	char id[16];
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof id, "c%d", i);
		ev(s, NOW - 9 * DAY, id, i % 3 ? "A" : "B", SCHEMA_EV_SENT);
		ev(s, NOW - 4 * DAY, id, "C", SCHEMA_EV_SENT);
	}
	/* C's first event moves before A's and B's: C first for everyone */
	ev(s, NOW - 12 * DAY, "c0", "C", SCHEMA_EV_CLICK);
	assert_true(s->bases_dirty);
	store_bulk(s, 1);
	struct view *v = view_build(s, &cfg, 30, NOW);
	assert_int_equal(find(v, "C")->base, 0); /* not known yet */
	assert_true(isnan(find(v, "C")->ctr_base)); /* shown as a dash */
	view_free(v);
	store_bulk(s, 0);
	int steps = 0, bounced = 0;
	/* nearly through the pairs, 100 of C's sends bounce: they are C's
	 * no more, and their first campaign is A or B; counted before the
	 * bounce, they would stay C's without the recount starting over */
	while (!store_settle_step(s, 500)) {
		assert_true(++steps < 200);
		if (!bounced && s->settle_pos + 500 >= s->pairs.cap) {
			for (int i = 0; i < 100; i++) {
				snprintf(id, sizeof id, "c%d", i);
				ev(s, NOW - 4 * DAY, id, "C", SCHEMA_EV_BOUNCE);
			}
			bounced = steps;
		}
	}
	assert_true(bounced > 3); /* it did take steps */
	assert_false(s->bases_dirty);
	uint32_t a = intern_find(s->campaign_ids, "A", 1), b = intern_find(s->campaign_ids, "B", 1),
		 c = intern_find(s->campaign_ids, "C", 1);
	assert_int_equal(s->campaigns[c].n_first, 2900);
	assert_int_equal(s->campaigns[a].n_first, 66); /* c1, c2, c4, ... of c0..c99 */
	assert_int_equal(s->campaigns[b].n_first, 34);
	v = view_build(s, &cfg, 30, NOW);
	assert_int_equal(find(v, "C")->base, 2900);
	view_free(v);
	/* a row between every two steps: the recount does not start over
	 * for ever, the third start goes through */
	ev(s, NOW - 4 * DAY, "c0", "C", SCHEMA_EV_SENT);
	ev(s, NOW - 13 * DAY, "c5", "A", SCHEMA_EV_CLICK); /* A first now */
	assert_true(s->bases_dirty);
	steps = 0;
	while (!store_settle_step(s, 500)) {
		snprintf(id, sizeof id, "n%d", steps);
		ev(s, NOW - 4 * DAY, id, "C", SCHEMA_EV_SENT);
		assert_true(++steps < 10);
	}
	assert_int_equal(s->campaigns[a].n_first, 2000); /* A's 2,000 first */
	store_free(s);
}

/* Bases under the changes that cannot be folded in O(1): a bounce after
 * the send on a sent-only campaign, an earlier event moving a start, and
 * the first delivered event switching the recipients rule. Each time the
 * incremental path marks the store dirty, and settling gives the numbers a
 * recount from the pairs gives. */
static void test_bases_rebuilt_when_needed(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	ev(s, NOW - 5 * DAY, "a", "P", SCHEMA_EV_SENT);
	ev(s, NOW - 5 * DAY, "b", "P", SCHEMA_EV_SENT);
	ev(s, NOW - 2 * DAY, "a", "Q", SCHEMA_EV_SENT);
	ev(s, NOW - 2 * DAY, "c", "Q", SCHEMA_EV_SENT);
	assert_false(s->bases_dirty);
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(find(v, "P")->base, 2);
	assert_int_equal(find(v, "Q")->base, 3);
	view_free(v);
	/* b bounces from P: P's recipients are a; Q reaches a and c */
	ev(s, NOW - 5 * DAY, "b", "P", SCHEMA_EV_BOUNCE);
	assert_true(s->bases_dirty);
	store_settle(s);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(find(v, "P")->base, 1);
	assert_int_equal(find(v, "Q")->base, 2);
	view_free(v);
	/* an event of Q dated before P moves Q's start first */
	ev(s, NOW - 9 * DAY, "d", "Q", SCHEMA_EV_CLICK);
	assert_true(s->bases_dirty);
	store_settle(s);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(find(v, "Q")->base, 2);
	assert_int_equal(find(v, "P")->base, 2);
	view_free(v);
	/* P gets a delivered event: only delivered customers are its recipients */
	ev(s, NOW - 5 * DAY, "e", "P", SCHEMA_EV_DELIVERED);
	assert_true(s->bases_dirty);
	store_settle(s);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(find(v, "P")->delivered, 1);
	assert_int_equal(find(v, "P")->base, 3); /* a, c (Q, earlier) and e */
	view_free(v);
	store_free(s);
}

static void test_nps_block(void **state)
{
	/* 10 responses: 0,3,5,6,7,8,9,9,10,10 */
	uint32_t h[11] = { 1, 0, 0, 1, 0, 1, 1, 1, 1, 2, 2 };
	struct view_nps n;
	view_nps_from_hist(&n, h, &cfg);
	assert_int_equal(n.n, 10);
	assert_int_equal(n.promoters, 4);
	assert_int_equal(n.passives, 2);
	assert_int_equal(n.detractors, 4);
	assert_int_equal(n.hard_detractors, 2);
	assert_int_equal(n.soft_detractors, 2);
	assert_float_equal(n.nps, 0.0, 1e-12);
	/* p = d = 0.4: moe = 100*1.96*sqrt(0.8/10) */
	assert_float_equal(n.nps_moe95, 100 * 1.96 * sqrt(0.08), 1e-9);
	assert_false(n.significant); /* n < 30 */
	assert_float_equal(n.mean_detractor_score, (0 + 3 + 5 + 6) / 4.0, 1e-12);
	assert_float_equal(n.nps_if_soft_passive, 20.0, 1e-12);
	assert_float_equal(n.wrs, 10.0 * 67 / 10, 1e-12);
	/* an empty block is undefined, not zero */
	uint32_t z[11] = { 0 };
	view_nps_from_hist(&n, z, &cfg);
	assert_true(isnan(n.nps));
	assert_true(isnan(n.wrs));
}

/* Same NPS, different detractors: a 6 is not a 0. */
static void test_same_nps_different_detractors(void **state)
{
	uint32_t mild[11] = { 0, 0, 0, 5, 5, 25, 25, 20, 20, 50, 50 };
	uint32_t harsh[11] = { 20, 15, 15, 5, 5, 0, 0, 20, 20, 50, 50 };
	struct view_nps a, b;
	view_nps_from_hist(&a, mild, &cfg);
	view_nps_from_hist(&b, harsh, &cfg);
	assert_float_equal(a.nps, 20.0, 1e-12);
	assert_float_equal(b.nps, 20.0, 1e-12);
	assert_true(a.mean_detractor_score > b.mean_detractor_score + 3);
	assert_true(a.wrs > b.wrs);
	assert_float_equal(a.nps_if_soft_passive, 45.0, 1e-12);
	assert_float_equal(b.nps_if_soft_passive, 20.0, 1e-12);
}

static void test_delivered_fallback_and_undefined(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	/* no delivered events: recipients = sent without bounce; a bounce that
	 * arrives before its send still counts */
	ev(s, NOW, "x", "E", SCHEMA_EV_BOUNCE);
	ev(s, NOW, "x", "E", SCHEMA_EV_SENT);
	ev(s, NOW, "y", "E", SCHEMA_EV_SENT);
	ev(s, NOW, "z", "E", SCHEMA_EV_SENT);
	ev(s, NOW, "y", "E", SCHEMA_EV_OPEN);
	ev_val(s, NOW, "z", "E", SCHEMA_EV_OPEN, 0, 1); /* machine only */
	ev(s, NOW, "q", "U", SCHEMA_EV_CLICK);           /* nothing delivered */
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	const struct view_campaign *e = find(v, "E"), *u = find(v, "U");
	assert_int_equal(e->sent, 3);
	assert_int_equal(e->bounces, 1);
	assert_int_equal(e->delivered, 2);
	assert_float_equal(e->bounce_rate, 1.0 / 3, 1e-12);
	assert_float_equal(e->open_rate, 1.0, 1e-12);
	assert_float_equal(e->human_open_rate, 0.5, 1e-12);
	assert_int_equal(e->machine_opens, 1);
	assert_true(isnan(u->ctr));
	assert_true(isnan(u->open_rate));
	assert_true(isnan(u->ctor));
	/* 1 of 2 unique opens by machine only: more than a third */
	const struct view_alert *a = alert(v, VIEW_AL_OPENS_MACHINE_HEAVY, "E");
	assert_non_null(a);
	assert_non_null(strstr(a->message, "human open rate is 50.0%, not 100.0%"));
	view_free(v);
	/* opens and nothing delivered: no rate to correct, no "nan%" */
	ev_val(s, NOW, "m1", "M", SCHEMA_EV_OPEN, 0, 1);
	ev_val(s, NOW, "m2", "M", SCHEMA_EV_OPEN, 0, 1);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	a = alert(v, VIEW_AL_OPENS_MACHINE_HEAVY, "M");
	assert_non_null(a);
	assert_null(strstr(a->message, "nan"));
	assert_non_null(strstr(a->message, "no deliveries are recorded"));
	view_free(v);
	store_free(s);
}

static void test_opted_in_churn_clv(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	/* 1,000 customers, 750 opted in (200 by the CSV, 50 by an unsubscribe) */
	char id[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "k%d", i);
		int64_t churn = 0;
		if (i < 20)
			churn = NOW - 5 * DAY; /* churned in the last 30 days */
		else if (i < 30)
			churn = NOW - 40 * DAY; /* churned before: not active 30d ago */
		sf_customer(s, id, NOW - 200 * DAY, churn, i >= 200 && i < 1000 ? 1 : 0, 50.0, "smb");
		if (i >= 200 && i < 250)
			ev(s, NOW - DAY, id, "C", SCHEMA_EV_UNSUBSCRIBE);
	}
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(v->cx.customers, 1000);
	assert_int_equal(v->cx.opted_in, 750);
	assert_float_equal(v->cx.opted_in_share, 0.75, 1e-12);
	assert_float_equal(v->cx.disengaged, 0.25, 1e-12);
	/* active 30 days ago: 990 (10 had churned); 20 churned since */
	assert_int_equal(v->cx.active_30d_ago, 990);
	assert_float_equal(v->cx.churn_rate_monthly, 20.0 / 990, 1e-12);
	assert_float_equal(v->cx.retention_rate, 1 - 20.0 / 990, 1e-12);
	assert_float_equal(v->cx.arpu, 50.0, 1e-12);
	assert_float_equal(v->cx.clv, 50.0 / (20.0 / 990), 1e-9);
	view_free(v);
	store_free(s);

	/* nobody churned: CLV is undefined, not infinite */
	s = store_new(cfg.engaged_events, cfg.hve_events);
	sf_customer(s, "a", NOW - 100 * DAY, 0, 1, 10.0, "");
	ev(s, NOW, "a", "C", SCHEMA_EV_SENT);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_float_equal(v->cx.churn_rate_monthly, 0.0, 0);
	assert_true(isnan(v->cx.clv));
	view_free(v);
	store_free(s);
}

static void test_windows_and_response_rate(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	/* day 0 (now's day) back to day 59: one nps 10 per day in the last 7
	 * days, one nps 0 per day on days 7..13, invitations every day */
	for (int d = 0; d < 60; d++) {
		ev(s, NOW - d * DAY, "inv", "", SCHEMA_EV_SURVEY_SENT);
		ev(s, NOW - d * DAY, "inv", "", SCHEMA_EV_SURVEY_SENT);
		if (d < 7)
			resp(s, NOW - d * DAY, "r", SCHEMA_SURVEY_NPS, 10, "", "");
		else if (d < 14)
			resp(s, NOW - d * DAY, "r", SCHEMA_SURVEY_NPS, 0, "", "");
	}
	struct view *v = view_build(s, &cfg, 7, NOW);
	alert_build(v, &cfg);
	assert_int_equal(v->nps.n, 7);
	assert_float_equal(v->nps.nps, 100.0, 1e-12);
	assert_int_equal(v->nps_prev.n, 7);
	assert_float_equal(v->nps_prev.nps, -100.0, 1e-12);
	assert_float_equal(v->nps.response_rate, 0.5, 1e-12);
	view_free(v);
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_int_equal(v->nps.n, 14);
	assert_float_equal(v->nps.nps, 0.0, 1e-12);
	assert_int_equal(v->nps_prev.n, 0);
	assert_true(isnan(v->nps_prev.nps));
	assert_float_equal(v->nps.response_rate, 14.0 / 60, 1e-12);
	assert_float_equal(v->nps_prev.response_rate, 0.0, 0);
	view_free(v);
	v = view_build(s, &cfg, 0, NOW);
	alert_build(v, &cfg);
	assert_int_equal(v->nps.n, 14);
	assert_false(v->has_prev);
	view_free(v);
	store_free(s);
}

static void test_response_drop_alert(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	char id[32];
	/* previous 30 days: 100 invitations, 30 answers; last 30: 100, 15 */
	for (int i = 0; i < 100; i++) {
		ev(s, NOW - 45 * DAY, "inv", "", SCHEMA_EV_SURVEY_SENT);
		ev(s, NOW - 5 * DAY, "inv", "", SCHEMA_EV_SURVEY_SENT);
	}
	for (int i = 0; i < 30; i++) {
		snprintf(id, sizeof id, "p%d", i);
		resp(s, NOW - 45 * DAY, id, SCHEMA_SURVEY_NPS, 9, "", "");
		if (i < 15)
			resp(s, NOW - 5 * DAY, id, SCHEMA_SURVEY_NPS, 9, "", "");
	}
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	const struct view_alert *a = alert(v, VIEW_AL_SURVEY_RESPONSE_DROP, NULL);
	assert_non_null(a);
	assert_non_null(strstr(a->message, "30.0% -> 15.0%"));
	view_free(v);
	store_free(s);
}

static void test_nps_hides_shift_and_moe(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	char id[32];
	/* both windows: 50 promoters, 20 passives, 30 detractors (NPS +20);
	 * previous detractors all 6, current all 0 */
	int n = 0;
	for (int w = 0; w < 2; w++) {
		int64_t t = w ? NOW - 40 * DAY : NOW - 2 * DAY;
		for (int i = 0; i < 100; i++) {
			int score = i < 50 ? 10 : i < 70 ? 8 : (w ? 6 : 0);
			snprintf(id, sizeof id, "n%d", n++);
			resp(s, t, id, SCHEMA_SURVEY_NPS, score, "", "");
		}
	}
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_float_equal(v->nps.nps, 20.0, 1e-12);
	assert_float_equal(v->nps_prev.nps, 20.0, 1e-12);
	assert_float_equal(v->nps.mean_detractor_score, 0.0, 1e-12);
	assert_float_equal(v->nps_prev.mean_detractor_score, 6.0, 1e-12);
	assert_non_null(alert(v, VIEW_AL_NPS_HIDES_SHIFT, NULL));
	/* unchanged NPS is no "change within the margin" */
	assert_null(alert(v, VIEW_AL_NPS_WITHIN_MOE, NULL));
	/* n = 100 gives a margin above 10 points: not significant */
	assert_false(v->nps.significant);
	assert_non_null(alert(v, VIEW_AL_NPS_LOW_N, NULL));
	view_free(v);
	/* one more promoter now: a change well inside the margin */
	resp(s, NOW - DAY, "extra", SCHEMA_SURVEY_NPS, 10, "", "");
	v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_non_null(alert(v, VIEW_AL_NPS_WITHIN_MOE, NULL));
	view_free(v);
	store_free(s);
}

static void test_engaged_cev(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	sf_customer(s, "a", NOW - 100 * DAY, 0, 1, -1, "");
	sf_customer(s, "b", NOW - 100 * DAY, 0, 0, -1, ""); /* opted out */
	sf_customer(s, "c", NOW - 100 * DAY, 0, 1, -1, "");
	ev(s, NOW - DAY, "a", "C", SCHEMA_EV_CLICK);
	ev(s, NOW - 2 * DAY, "a", "C", SCHEMA_EV_CLICK);
	ev(s, NOW - DAY, "b", "C", SCHEMA_EV_CLICK);
	ev_val(s, NOW - DAY, "c", "C", SCHEMA_EV_CONVERSION, 40.0, 0);
	ev_val(s, NOW - 50 * DAY, "c", "C", SCHEMA_EV_CONVERSION, 99.0, 0); /* before W */
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	assert_float_equal(v->cx.engaged, 2, 0);
	assert_float_equal(v->cx.hve, 1, 0);
	assert_float_equal(v->cx.cev, 40.0, 1e-12);
	assert_float_equal(v->cx.cev_per_engaged, 20.0, 1e-12);
	assert_float_equal(v->cx_prev.engaged, 1, 0);
	assert_float_equal(v->cx_prev.cev, 99.0, 1e-12);
	view_free(v);
	store_free(s);
}

static void test_complaints_and_segments(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	char id[32];
	for (int i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "m%d", i);
		ev(s, NOW - DAY, id, "M", SCHEMA_EV_DELIVERED);
	}
	ev(s, NOW - DAY, "m1", "M", SCHEMA_EV_COMPLAINT); /* 0.2 % > 0.1 % */
	sf_customer(s, "m1", NOW - 100 * DAY, 0, 1, -1, "enterprise");
	resp(s, NOW - DAY, "m1", SCHEMA_SURVEY_NPS, 3, "M", "");     /* customer's segment */
	resp(s, NOW - DAY, "m2", SCHEMA_SURVEY_NPS, 10, "M", "smb"); /* own segment */
	struct view *v = view_build(s, &cfg, 30, NOW);
	alert_build(v, &cfg);
	const struct view_alert *a = alert(v, VIEW_AL_COMPLAINT_RATE_HIGH, "M");
	assert_non_null(a);
	assert_non_null(strstr(a->message, "0.20%"));
	assert_int_equal(v->nsegments, 2);
	for (size_t i = 0; i < v->nsegments; i++) {
		if (!strcmp(v->segments[i].name, "enterprise"))
			assert_float_equal(v->segments[i].nps.nps, -100.0, 0);
		else
			assert_float_equal(v->segments[i].nps.nps, 100.0, 0);
	}
	assert_int_equal(find(v, "M")->nps.n, 2);
	view_free(v);
	store_free(s);
}

static void test_clear_kind(void **state)
{
	struct store *s = store_new(cfg.engaged_events, cfg.hve_events);
	sf_campaign(s, "A", "Alpha", "email", NOW - DAY);
	ev(s, NOW, "a", "A", SCHEMA_EV_DELIVERED);
	resp(s, NOW, "a", SCHEMA_SURVEY_NPS, 9, "A", "");
	store_clear(s, SCHEMA_EVENTS);
	struct view *v = view_build(s, &cfg, 30, INT64_MIN);
	alert_build(v, &cfg);
	const struct view_campaign *a = find(v, "A");
	assert_string_equal(a->name, "Alpha");
	assert_int_equal(a->delivered, 0);
	assert_int_equal(a->nps.n, 1);
	view_free(v);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_denominator_trap),
		cmocka_unit_test(test_bases_rebuilt_when_needed),
		cmocka_unit_test(test_bases_settled_in_steps),
		cmocka_unit_test(test_nps_block),
		cmocka_unit_test(test_same_nps_different_detractors),
		cmocka_unit_test(test_delivered_fallback_and_undefined),
		cmocka_unit_test(test_opted_in_churn_clv),
		cmocka_unit_test(test_windows_and_response_rate),
		cmocka_unit_test(test_response_drop_alert),
		cmocka_unit_test(test_nps_hides_shift_and_moe),
		cmocka_unit_test(test_engaged_cev),
		cmocka_unit_test(test_complaints_and_segments),
		cmocka_unit_test(test_clear_kind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
