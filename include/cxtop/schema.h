/* schema: the data model of SPEC section 1 as tables — source kinds, their
 * logical columns (with default header names and required flags), event
 * types with their default aliases, and survey types. config validates keys
 * against it; record maps rows through it. Pure data, no state. */
#ifndef CXTOP_SCHEMA_H
#define CXTOP_SCHEMA_H

#include <stddef.h>

enum schema_kind {
	SCHEMA_EVENTS,
	SCHEMA_RESPONSES,
	SCHEMA_CUSTOMERS,
	SCHEMA_CAMPAIGNS,
	SCHEMA_AWARENESS,
	SCHEMA_KIND_COUNT
};

/* Logical columns, the union over all kinds. */
enum schema_col {
	SCHEMA_COL_TIMESTAMP,
	SCHEMA_COL_CUSTOMER_ID,
	SCHEMA_COL_CAMPAIGN_ID,
	SCHEMA_COL_EVENT,
	SCHEMA_COL_VALUE,
	SCHEMA_COL_MACHINE,
	SCHEMA_COL_SURVEY,
	SCHEMA_COL_SCORE,
	SCHEMA_COL_SEGMENT,
	SCHEMA_COL_COMMENT,
	SCHEMA_COL_SIGNUP_DATE,
	SCHEMA_COL_CHURN_DATE,
	SCHEMA_COL_OPTED_IN,
	SCHEMA_COL_MONTHLY_REVENUE,
	SCHEMA_COL_NAME,
	SCHEMA_COL_CHANNEL,
	SCHEMA_COL_START_DATE,
	SCHEMA_COL_SPEND,
	SCHEMA_COL_DATE,
	SCHEMA_COL_IMPRESSIONS,
	SCHEMA_COL_REACH,
	SCHEMA_COL_AWARE,
	SCHEMA_COL_ASKED,
	SCHEMA_COL_CHURNED,
	SCHEMA_COL_TENURE,
	SCHEMA_COL_COUNT
};

enum schema_event {
	SCHEMA_EV_SENT,
	SCHEMA_EV_DELIVERED,
	SCHEMA_EV_OPEN,
	SCHEMA_EV_CLICK,
	SCHEMA_EV_UNSUBSCRIBE,
	SCHEMA_EV_BOUNCE,
	SCHEMA_EV_COMPLAINT,
	SCHEMA_EV_CONVERSION,
	SCHEMA_EV_SURVEY_SENT,
	SCHEMA_EV_MACHINE_OPEN,
	SCHEMA_EV_COUNT
};

enum schema_survey { SCHEMA_SURVEY_NPS, SCHEMA_SURVEY_CSAT, SCHEMA_SURVEY_CES, SCHEMA_SURVEY_COUNT };

enum schema_file_kind { SCHEMA_LOG, SCHEMA_SNAPSHOT };

/* Name of a kind as used in config sections ("events"), or NULL. */
const char *schema_kind_name(enum schema_kind k);
/* Kind for a section name (case-insensitive), or -1. */
int schema_kind_find(const char *name);
/* Default file name ("events.csv") and whether it is a log or snapshot. */
const char *schema_kind_default_file(enum schema_kind k);
enum schema_file_kind schema_kind_file_kind(enum schema_kind k);

/* Default header name of a logical column ("customer_id"). */
const char *schema_col_name(enum schema_col c);
/* Column for a name (case-insensitive), or -1. */
int schema_col_find(const char *name);
/* 1 if column c belongs to kind k; 2 if it is also required there. */
int schema_col_use(enum schema_kind k, enum schema_col c);

/* Canonical event word ("unsubscribe"). */
const char *schema_event_name(enum schema_event e);
/* Event for a canonical name (case-insensitive), or -1 (no aliases). */
int schema_event_find(const char *name);
/* Default aliases of an event, NULL-terminated (canonical name first). */
const char *const *schema_event_aliases(enum schema_event e);

const char *schema_survey_name(enum schema_survey s);
int schema_survey_find(const char *name);
/* Valid score range of a survey (nps 0-10, csat 1-5, ces 1-7). */
void schema_survey_range(enum schema_survey s, int *lo, int *hi);

#endif
