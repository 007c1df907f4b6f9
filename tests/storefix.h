/* storefix: records applied straight to a store, for the tests of store
 * and view (test_view, test_viewmemo). Each helper fills the fields its
 * kind uses and "" for every other string, as record_from_row does; the
 * config is the defaults, set up and freed around each group. */
#ifndef CXTOP_TESTS_STOREFIX_H
#define CXTOP_TESTS_STOREFIX_H

#include "cxtop/config.h"
#include "cxtop/parse.h"
#include "cxtop/store.h"
#include "cxtop/view.h"

#define DAY 86400
/* 2026-11-20T12:00:00Z */
#define NOW 1795176000LL

static struct config cfg;

static int setup(void **state)
{
	config_defaults(&cfg);
	return 0;
}

static int teardown(void **state)
{
	config_free(&cfg);
	return 0;
}

/* An event; has_value says whether value is in the row. */
static void sf_event(struct store *s, int64_t ts, const char *cust, const char *camp, int e,
		     int has_value, double value, int machine)
{
	struct record r = { .kind = SCHEMA_EVENTS, .ts = ts, .event = e, .customer = cust,
			    .campaign = camp, .segment = "", .comment = "", .name = "", .channel = "",
			    .has_value = has_value, .value = value, .machine = machine };
	store_apply(s, &r);
}

static void resp(struct store *s, int64_t ts, const char *cust, int survey, int score,
		 const char *camp, const char *seg)
{
	struct record r = { .kind = SCHEMA_RESPONSES, .ts = ts, .survey = survey, .score = score,
			    .customer = cust, .campaign = camp, .segment = seg, .comment = "",
			    .name = "", .channel = "" };
	store_apply(s, &r);
}

static void sf_campaign(struct store *s, const char *id, const char *name, const char *channel,
			int64_t start)
{
	struct record r = { .kind = SCHEMA_CAMPAIGNS, .campaign = id, .name = name,
			    .channel = channel, .has_start = 1, .start = start, .customer = "",
			    .segment = "", .comment = "" };
	store_apply(s, &r);
}

/* A customers.csv row; churn 0 = none, revenue < 0 = none. */
static void sf_customer(struct store *s, const char *id, int64_t signup, int64_t churn,
			int opted_in, double revenue, const char *seg)
{
	struct record r = { .kind = SCHEMA_CUSTOMERS, .customer = id, .has_signup = 1, .signup = signup,
			    .has_churn = churn != 0, .churned = churn != 0, .churn = churn, .opted_in = opted_in,
			    .has_revenue = revenue >= 0, .revenue = revenue, .segment = seg,
			    .campaign = "", .comment = "", .name = "", .channel = "" };
	store_apply(s, &r);
}

#endif
