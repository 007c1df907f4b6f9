/* schema: the tables of SPEC section 1 (kinds, columns, event words,
 * surveys). Everything else looks names up here, so a column or alias is
 * added in one place. */
#include "cxtop/schema.h"

#include "cxtop/util.h"

#include <string.h>

static const char *const schema_kind_names[SCHEMA_KIND_COUNT] = {
	"events", "responses", "customers", "campaigns", "awareness",
};

static const char *const schema_kind_files[SCHEMA_KIND_COUNT] = {
	"events.csv", "responses.csv", "customers.csv", "campaigns.csv", "awareness.csv",
};

static const char *const schema_col_names[SCHEMA_COL_COUNT] = {
	[SCHEMA_COL_TIMESTAMP] = "timestamp",
	[SCHEMA_COL_CUSTOMER_ID] = "customer_id",
	[SCHEMA_COL_CAMPAIGN_ID] = "campaign_id",
	[SCHEMA_COL_EVENT] = "event",
	[SCHEMA_COL_VALUE] = "value",
	[SCHEMA_COL_MACHINE] = "machine",
	[SCHEMA_COL_SURVEY] = "survey",
	[SCHEMA_COL_SCORE] = "score",
	[SCHEMA_COL_SEGMENT] = "segment",
	[SCHEMA_COL_COMMENT] = "comment",
	[SCHEMA_COL_SIGNUP_DATE] = "signup_date",
	[SCHEMA_COL_CHURN_DATE] = "churn_date",
	[SCHEMA_COL_OPTED_IN] = "opted_in",
	[SCHEMA_COL_MONTHLY_REVENUE] = "monthly_revenue",
	[SCHEMA_COL_NAME] = "name",
	[SCHEMA_COL_CHANNEL] = "channel",
	[SCHEMA_COL_START_DATE] = "start_date",
	[SCHEMA_COL_SPEND] = "spend",
	[SCHEMA_COL_DATE] = "date",
	[SCHEMA_COL_IMPRESSIONS] = "impressions",
	[SCHEMA_COL_REACH] = "reach",
	[SCHEMA_COL_AWARE] = "aware",
	[SCHEMA_COL_ASKED] = "asked",
	[SCHEMA_COL_CHURNED] = "churned",
	[SCHEMA_COL_TENURE] = "tenure",
};

/* 2 = required, 1 = optional, 0 = not a column of that kind (SPEC 1). */
static const unsigned char schema_use[SCHEMA_KIND_COUNT][SCHEMA_COL_COUNT] = {
	[SCHEMA_EVENTS] = {
		[SCHEMA_COL_TIMESTAMP] = 2, [SCHEMA_COL_CUSTOMER_ID] = 2,
		[SCHEMA_COL_CAMPAIGN_ID] = 2, [SCHEMA_COL_EVENT] = 2,
		[SCHEMA_COL_VALUE] = 1, [SCHEMA_COL_MACHINE] = 1,
	},
	/* customer_id is optional for responses: anonymous answers (Google
	 * Forms has no respondent id) count in NPS, CSAT and CES */
	[SCHEMA_RESPONSES] = {
		[SCHEMA_COL_TIMESTAMP] = 2, [SCHEMA_COL_CUSTOMER_ID] = 1,
		[SCHEMA_COL_SURVEY] = 2, [SCHEMA_COL_SCORE] = 2,
		[SCHEMA_COL_CAMPAIGN_ID] = 1, [SCHEMA_COL_SEGMENT] = 1,
		[SCHEMA_COL_COMMENT] = 1,
	},
	/* signup_date is required unless the table gives tenure instead (a
	 * churn table with a Yes/No flag and months, no dates): record checks
	 * that one of them is there */
	[SCHEMA_CUSTOMERS] = {
		[SCHEMA_COL_CUSTOMER_ID] = 2, [SCHEMA_COL_SIGNUP_DATE] = 1,
		[SCHEMA_COL_CHURN_DATE] = 1, [SCHEMA_COL_SEGMENT] = 1,
		[SCHEMA_COL_OPTED_IN] = 1, [SCHEMA_COL_MONTHLY_REVENUE] = 1,
		[SCHEMA_COL_CHURNED] = 1, [SCHEMA_COL_TENURE] = 1,
	},
	[SCHEMA_CAMPAIGNS] = {
		[SCHEMA_COL_CAMPAIGN_ID] = 2, [SCHEMA_COL_NAME] = 2,
		[SCHEMA_COL_CHANNEL] = 1, [SCHEMA_COL_START_DATE] = 1,
		[SCHEMA_COL_SPEND] = 1,
	},
	[SCHEMA_AWARENESS] = {
		[SCHEMA_COL_DATE] = 2, [SCHEMA_COL_IMPRESSIONS] = 2,
		[SCHEMA_COL_CAMPAIGN_ID] = 1, [SCHEMA_COL_REACH] = 1,
		[SCHEMA_COL_AWARE] = 1, [SCHEMA_COL_ASKED] = 1,
	},
};

static const char *const schema_ev_sent[] = { "sent", "Received Email", NULL };
static const char *const schema_ev_delivered[] = { "delivered", NULL };
static const char *const schema_ev_open[] = { "open", "opened", "Opened Email", NULL };
static const char *const schema_ev_click[] = { "click", "clicked", "Clicked Email", NULL };
static const char *const schema_ev_unsub[] = {
	"unsubscribe", "unsubscribed", "opt_out", "optout", "opt-out", "Unsubscribed", NULL
};
static const char *const schema_ev_bounce[] = { "bounce", "bounced", "Bounced Email", NULL };
static const char *const schema_ev_complaint[] = {
	"complaint", "spam", "spam_report", "Marked Email as Spam", NULL
};
static const char *const schema_ev_conversion[] = { "conversion", "purchase", "order", NULL };
static const char *const schema_ev_survey_sent[] = { "survey_sent", "survey_invite", NULL };
static const char *const schema_ev_machine_open[] = { "machine_open", NULL };

static const char *const *const schema_ev_aliases[SCHEMA_EV_COUNT] = {
	schema_ev_sent, schema_ev_delivered, schema_ev_open, schema_ev_click,
	schema_ev_unsub, schema_ev_bounce, schema_ev_complaint, schema_ev_conversion,
	schema_ev_survey_sent, schema_ev_machine_open,
};

static const char *const schema_survey_names[SCHEMA_SURVEY_COUNT] = { "nps", "csat", "ces" };
static const int schema_survey_lo[SCHEMA_SURVEY_COUNT] = { 0, 1, 1 };
static const int schema_survey_hi[SCHEMA_SURVEY_COUNT] = { 10, 5, 7 };

static int schema_find(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (util_strieq(names[i], name))
			return i;
	return -1;
}

const char *schema_kind_name(enum schema_kind k)
{
	return (unsigned)k < SCHEMA_KIND_COUNT ? schema_kind_names[k] : NULL;
}

int schema_kind_find(const char *name)
{
	return schema_find(schema_kind_names, SCHEMA_KIND_COUNT, name);
}

const char *schema_kind_default_file(enum schema_kind k)
{
	return schema_kind_files[k];
}

enum schema_file_kind schema_kind_file_kind(enum schema_kind k)
{
	return (k == SCHEMA_CUSTOMERS || k == SCHEMA_CAMPAIGNS) ? SCHEMA_SNAPSHOT : SCHEMA_LOG;
}

const char *schema_col_name(enum schema_col c)
{
	return schema_col_names[c];
}

int schema_col_find(const char *name)
{
	return schema_find(schema_col_names, SCHEMA_COL_COUNT, name);
}

int schema_col_use(enum schema_kind k, enum schema_col c)
{
	return schema_use[k][c];
}

const char *schema_event_name(enum schema_event e)
{
	return schema_ev_aliases[e][0];
}

int schema_event_find(const char *name)
{
	for (int i = 0; i < SCHEMA_EV_COUNT; i++)
		if (util_strieq(schema_ev_aliases[i][0], name))
			return i;
	return -1;
}

const char *const *schema_event_aliases(enum schema_event e)
{
	return schema_ev_aliases[e];
}

const char *schema_survey_name(enum schema_survey s)
{
	return schema_survey_names[s];
}

int schema_survey_find(const char *name)
{
	return schema_find(schema_survey_names, SCHEMA_SURVEY_COUNT, name);
}

void schema_survey_range(enum schema_survey s, int *lo, int *hi)
{
	*lo = schema_survey_lo[s];
	*hi = schema_survey_hi[s];
}
