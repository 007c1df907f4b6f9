/* view: the numbers of SPEC section 3 for one window, derived from the
 * store. Pure: the same store, config, window and now give the same view.
 * The --once report and the screens both read a view, so they cannot
 * disagree.
 *
 * Windows are whole UTC days: "30d" is the 30 calendar days ending with the
 * day that holds now; the previous window is the 30 days before that. A rate
 * whose denominator is 0 is NAN (undefined), never 0. Rates are fractions
 * 0-1; NPS, its margin and WRS are points. */
#ifndef CXTOP_VIEW_H
#define CXTOP_VIEW_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "cxtop/cohort.h"
#include "cxtop/config.h"
#include "cxtop/outcome.h"
#include "cxtop/store.h"

#define VIEW_UNDEF NAN

struct view_nps {
	uint32_t n;
	uint32_t histogram[11];
	uint32_t promoters, passives, detractors, soft_detractors, hard_detractors;
	double nps, nps_moe95;
	int significant;
	double mean_detractor_score, nps_if_soft_passive, wrs;
	double hard_share;    /* hard detractors / n */
	double response_rate; /* window blocks only; NAN for campaigns/segments */
};

struct view_campaign {
	uint32_t idx;           /* store index */
	const char *campaign_id, *name, *channel;
	int64_t start;          /* INT64_MAX = unknown */
	uint32_t sent, delivered, bounces, unique_opens, human_opens, machine_opens;
	uint32_t unique_clicks, optouts, complaints, conversions;
	double revenue, spend;
	double open_rate, human_open_rate, ctr, ctor, optout_rate, bounce_rate, complaint_rate;
	uint32_t base;
	double ctr_base, audience_retained;
	int prev;               /* index in view.campaigns of the previous campaign of
				   the same channel by start, -1 = none */
	int in_window;          /* start lies in the window */
	struct view_nps nps;    /* lifetime responses carrying this campaign_id */
};

#define VIEW_ALERTS(X)                     \
	X(CTR_INFLATED, "ctr_inflated", 2)         \
	X(OPENS_UP_OPTOUTS_UP, "opens_up_optouts_up", 3) \
	X(REACH_UP_CHURN_UP, "reach_up_churn_up", 3)     \
	X(NPS_WITHIN_MOE, "nps_within_moe", 1)     \
	X(NPS_LOW_N, "nps_low_n", 1)               \
	X(NPS_HIDES_SHIFT, "nps_hides_shift", 2)   \
	X(SURVEY_RESPONSE_DROP, "survey_response_drop", 2) \
	X(COMPLAINT_RATE_HIGH, "complaint_rate_high", 3)   \
	X(OPENS_MACHINE_HEAVY, "opens_machine_heavy", 1) \
	X(SOFT_DETRACTORS_STAY, "soft_detractors_stay", 2) \
	X(DETRACTORS_LEAVE, "detractors_leave", 3)

enum view_alert_kind {
#define VIEW_AL_ENUM(id, name, sev) VIEW_AL_##id,
	VIEW_ALERTS(VIEW_AL_ENUM)
#undef VIEW_AL_ENUM
	VIEW_AL_COUNT
};

struct view_alert {
	int kind;
	int severity;        /* 3 = customers leaving, 1 = caution about a number */
	int campaign;        /* index in view.campaigns, -1 = the window */
	char subject[128];   /* campaign name, or "last 30d" / "all data" */
	char message[320];   /* plain words with the numbers */
};

struct view_vanity {
	double impressions, reach, awareness, open_rate, ctr, nps;
};

struct view_cx {
	double optout_rate, opted_in_share, disengaged, churn_rate_monthly, retention_rate;
	double arpu, clv, csat, csat_mean, ces, ces_easy, wrs;
	double engaged, hve, cev, cev_per_engaged;
	uint32_t customers, opted_in, churned_30d, active_30d_ago;
	/* churned of the customers who signed up by the window's end, ever
	 * (a churn table's headline); undated: customers without the days
	 * the monthly rates need (counted in this share and in ARPU) */
	double churned_share;
	uint32_t churned_ever, customers_ever, undated_customers;
};

/* Sums over the window's campaigns for the window rates. Each rate sums
 * only the campaigns whose own rate is defined (SPEC 3.1), so each has its
 * own delivered: opens of a campaign without delivered rows do not raise
 * the open rate of the others. */
struct view_totals {
	uint32_t campaigns, delivered;
	uint32_t unique_opens, open_delivered;
	uint32_t unique_clicks, click_delivered;
	uint32_t optouts, optout_delivered;
};

struct view_group {          /* an NPS block for a segment or a channel */
	const char *name;
	struct view_nps nps;
	struct outcome_set outcomes; /* segments only: the window's respondents */
};

struct view_month {
	int year, month;
	uint32_t churned, active_at_start;
	double churn_rate;
};

struct view_period {
	int days;            /* 7, 30, 90; 0 = all */
	int64_t day_lo, day_hi; /* inclusive UTC day numbers */
	int64_t start, end;  /* start of day_lo, now */
};

/* Trend points for sparklines: the window cut into up to VIEW_SPARK_N
 * equal runs of days, oldest first, each with the same numbers as the
 * window (churn at the end of each run). */
#define VIEW_SPARK_N 12

struct view_point {
	struct view_period period;
	struct view_vanity vanity;
	struct view_cx cx;
	double response_rate;
};

struct view {
	int64_t now;         /* INT64_MIN = no data yet */
	struct view_period win;
	int has_prev;        /* a previous window exists (not "all") */
	struct view_period prev;
	struct view_vanity vanity, vanity_prev;
	struct view_cx cx, cx_prev;
	struct view_nps nps, nps_prev;
	/* the window's NPS minus the previous window's, and the margin a change
	 * must pass to be real: the two 95% margins combined (SPEC 3.5); both
	 * NAN without a previous window with responses */
	double nps_change, nps_change_moe;
	struct view_totals totals, totals_prev;
	struct view_campaign *campaigns; /* by start, then id */
	size_t ncampaigns;
	struct view_group *segments;     /* customer segments, by name */
	size_t nsegments;
	struct view_group *channels;     /* NPS by the channel of the campaign, in
					    order of first appearance */
	size_t nchannels;
	struct view_alert *alerts;       /* most severe first */
	size_t nalerts;
	struct view_month *months;       /* churn per calendar month, oldest first */
	size_t nmonths;
	struct view_point series[VIEW_SPARK_N];
	size_t nseries;
	/* what each score's people did: the window's respondents (SPEC 3.6),
	 * all and per campaign (parallel to campaigns; NULL when no respondent
	 * answered a campaign's survey) */
	struct outcome_set outcomes;
	struct outcome_set *campaign_outcomes;
	/* signup cohorts, oldest first */
	struct cohort cohorts[COHORT_MAX];
	size_t ncohorts;
	char *strings;                   /* owns every string above */
};

/* Build the view of window_days (0 = all) ending at now (INT64_MIN = the
 * store's latest timestamp). The view owns all it holds and stays valid
 * while the store changes. Never NULL. Its alerts are empty: they are
 * built from the finished view by the layer above (alert_build), so the
 * view never depends on the alerts. */
struct view *view_build(const struct store *s, const struct config *cfg, int window_days,
			int64_t now);
void view_free(struct view *v);

/* A cache kept by the caller between builds of one store, so that the
 * sums whose cost grows with the rows of the window — distinct engaged
 * customers of the window, the previous window and the sparkline points;
 * the window's NPS responses by segment and by channel — fold in only
 * what the store appended since the last build. Anything it cannot fold
 * in cheaply (other window days, a store_clear, a customer moved to
 * another segment, a campaign moved to another channel, another store)
 * makes it start over, so a build with a memo gives exactly the view a
 * build without one gives. One memo per window setting; free it before
 * the store or pass it only that store. */
struct view_memo *view_memo_new(void);
void view_memo_free(struct view_memo *m);
/* The memo into a state, each part (engaged customers, NPS by group,
 * outcomes, cohorts) where it holds sums of s as s is now, and read back
 * into m (its parts replaced; -1 with the reader marked bad if it cannot
 * be read). Read back, it is of no store until view_memo_adopt gives it
 * the store read from the same state, before anything else changed it;
 * a part that does not fit that store starts over at the next build. A
 * restart then folds in only the rows read since (issue 14). */
struct statefile_w;
struct statefile_r;
void view_memo_save(const struct view_memo *m, const struct store *s, struct statefile_w *w);
int view_memo_load(struct view_memo *m, struct statefile_r *r);
void view_memo_adopt(struct view_memo *m, const struct store *s);
/* view_build, using and updating memo m (NULL = from scratch). */
struct view *view_build_memo(const struct store *s, const struct config *cfg, int window_days,
			     int64_t now, struct view_memo *m);
/* One response behind a histogram bar, copied out of the store. */
struct view_response {
	int64_t ts;
	int score;
	/* what the customer did after this answer (SPEC 3.6); known = 0 for an
	 * anonymous answer or one of somebody not in the customers source */
	int known, churned, opted_out, converted;
	char *customer;
	char *campaign;  /* "" = none */
	char *comment;
};

/* The NPS responses with score (0-10, or -1 = any) of campaign_id (NULL =
 * any campaign) dated in [day_lo, day_hi] (pass INT64_MIN, INT64_MAX for
 * all), newest first. *out is the caller's: free with
 * view_responses_free. Returns the count. */
size_t view_responses(const struct store *s, const char *campaign_id, int score, int64_t day_lo,
		      int64_t day_hi, struct view_response **out);
void view_responses_free(struct view_response *r, size_t n);

/* Name of an alert kind ("ctr_inflated"). */
const char *view_alert_name(int kind);
/* NPS block from a histogram (response_rate NAN). Exposed for the tests
 * and for the screens' segment selector. */
void view_nps_from_hist(struct view_nps *out, const uint32_t hist[11], const struct config *cfg);

#endif
