/* store: the aggregates every metric is derived from. It knows nothing of
 * files, terminals or windows; store_apply folds one record in, O(1)
 * amortised: a few hash probes and counter increments.
 *
 * What is kept, and why it is enough for SPEC section 3:
 * - per campaign: lifetime funnel counters, where "distinct customers with
 *   event X" is kept exact by a (campaign, customer) -> flags set
 *   (pairs.h): a counter moves only when a flag is set for the first time;
 * - per day (UTC): survey histograms and sums, invitations, high-value
 *   events, awareness sums — any window is a sum over <= 90 days;
 * - per customer: the customers.csv attributes and "has unsubscribed";
 * - a (customer, day) set of engagement, for distinct engaged customers in
 *   any window;
 * - the responses themselves (compact), for segments and for listing the
 *   responses behind a histogram bar.
 * The structs are public so that view can read them; only store writes. */
#ifndef CXTOP_STORE_H
#define CXTOP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/hmap.h"
#include "cxtop/pairs.h"
#include "cxtop/intern.h"
#include "cxtop/record.h"

/* (campaign, customer) flags */
enum {
	STORE_F_SENT = 1 << 0,
	STORE_F_DELIVERED = 1 << 1,
	STORE_F_OPEN = 1 << 2,
	STORE_F_HUMAN = 1 << 3,
	STORE_F_CLICK = 1 << 4,
	STORE_F_UNSUB = 1 << 5,
	STORE_F_BOUNCE = 1 << 6,
	STORE_F_COMPLAINT = 1 << 7,
};

#define STORE_NONE UINT32_MAX

struct store_campaign {
	/* from campaigns.csv */
	int in_csv;
	char *name;           /* NULL unless in campaigns.csv */
	uint32_t channel;     /* index in store.channels; "email" by default */
	int has_start_csv;
	int64_t start_csv;
	double spend;
	/* from events (lifetime of the campaign) */
	int64_t first_ts;     /* INT64_MAX = no event */
	uint32_t events;
	uint32_t sent;
	uint32_t n_delivered; /* distinct customers with delivered */
	uint32_t n_sent_ok;   /* distinct customers with sent and no bounce */
	uint32_t n_bounce, n_open, n_human, n_click, n_unsub, n_complaint;
	uint32_t conversions;
	int64_t revenue;      /* util_money units */
	uint32_t n_first;     /* recipients for whom this is the channel's first
				 campaign they received (see store.owners) */
	/* from responses carrying this campaign_id (lifetime) */
	uint32_t nps[11];
};

struct store_customer {
	int64_t signup;
	int64_t churn;
	double revenue;
	uint32_t segment;     /* STORE_NONE = none */
	uint8_t in_csv, has_churn, opted_in, has_revenue;
	uint8_t undated;      /* no signup day, or churned on an unknown day */
	uint8_t churned;      /* an undated customer's churned flag */
	/* the latest unsubscribe and conversion event, INT64_MIN = none: what
	 * a respondent did after answering (SPEC 3.6) */
	int64_t last_unsub, last_conv;
	uint8_t unsubscribed; /* any unsubscribe event */
};

struct store_day {
	/* customers.csv by day: signups and churns, with the revenue of those
	 * that have one, so that "active at the end of day d" and ARPU are
	 * prefix sums over days instead of a pass over every customer */
	uint32_t signups, churns, nrev_in, nrev_out;
	int64_t rev_in, rev_out; /* util_money units */
	/* customers engaged that day (distinct, via store.engaged) */
	uint32_t *eng;
	uint32_t eng_n;
	size_t eng_cap;
	uint32_t nps[11];
	uint32_t csat_n, csat_top2, csat_sum;
	uint32_t ces_n, ces_easy, ces_sum;
	uint32_t survey_sent;
	uint32_t hve;
	int64_t cev;          /* util_money units */
	double impressions, reach, aware, asked;
	uint32_t awareness_rows;
};

struct store_response {
	int64_t ts;
	uint32_t customer;
	uint32_t campaign;    /* STORE_NONE = none */
	uint32_t segment;     /* the response's own segment, STORE_NONE = none */
	uint32_t comment;     /* offset in comments, length-prefixed */
	uint8_t survey;
	uint8_t score;
	uint8_t pad[6];       /* zero: the array goes to a state as it is */
};

struct store {
	unsigned engaged_mask, hve_mask;
	struct intern *customer_ids, *campaign_ids, *segments, *channels;
	struct store_campaign *campaigns; /* indexed like campaign_ids */
	size_t campaigns_cap;
	struct store_customer *customers; /* indexed like customer_ids */
	size_t customers_cap;
	struct pairs pairs;     /* (campaign, customer) -> STORE_F_* */
	struct hmap engaged;    /* (customer+1)<<32 | day -> 1 */
	struct store_day *days; /* day_lo .. day_lo+ndays-1 */
	int64_t day_lo;
	size_t ndays;
	struct store_response *responses;
	size_t nresponses, responses_cap;
	char *comments;         /* NUL-terminated texts; offset 0 is "" */
	size_t comments_len, comments_cap;
	int64_t max_ts[SCHEMA_KIND_COUNT]; /* INT64_MIN = none */
	int64_t min_ts[SCHEMA_KIND_COUNT]; /* INT64_MAX = none */
	/* customers.csv population and how many of it are opted out (opted_in
	 * no, or any unsubscribe event), kept exact on every change */
	uint32_t n_customers, n_opted_out;
	/* customers without the days the monthly rates need (a churn table
	 * with a Yes/No flag and tenure, or a churned flag without a date):
	 * counted here, not in the days, for the churned share and ARPU */
	uint32_t n_undated, n_undated_churned, n_undated_rev;
	int64_t undated_rev; /* util_money units: revenue of undated active ones */
	/* audience bases (SPEC 3.1): (channel+1)<<32 | customer -> campaign+1
	 * of the earliest-starting campaign of that channel the customer
	 * received; each campaign counts its n_first. A change that cannot be
	 * folded in O(1) (a start moving, a recipient lost to a later bounce,
	 * a campaign switching from sent- to delivered-recipients) sets
	 * bases_dirty, and store_settle recomputes from the pairs. */
	struct hmap owners;
	int bases_dirty;
	/* store_settle_step: the next pair to count, the generation the
	 * recount started at (any change since starts it again), whether one
	 * is under way; and bulk: a large read is under way and the bases
	 * are recounted at its end (store_bulk) */
	size_t settle_pos;
	uint64_t settle_gen;
	int settling, settle_restarts, bulk;
	/* responses arrive in time order (the usual case): windows can then
	 * start at a binary-searched index */
	int responses_sorted;
	uint64_t generation;    /* bumped by every change, for caches */
	/* bumped by what the outcomes of a score and the signup cohorts
	 * depend on: a customers row, an unsubscribe or conversion event, an
	 * NPS response, a clear */
	uint64_t outcome_gen, customers_gen;
	uint32_t last_campaign; /* lookup cache of store_campaign_id */
	/* For caches that fold in only what was appended since they last
	 * looked (view_memo): per-day engaged lists and responses only grow,
	 * except through store_clear, which bumps clears (and empties the
	 * log). The log lists, oldest first, the customers whose opted-out
	 * status may have changed (a first unsubscribe event, a customers.csv
	 * opted_in that differs from before), so that a cache can correct
	 * just them; segment_moves counts customers.csv rows that gave a
	 * customer another segment. */
	uint64_t clears;
	uint64_t segment_moves;
	/* what clears, customers_gen and segment_moves were when storeio
	 * took this store up from a state (from_state): a memo kept in the
	 * same state is of the store as it was then (view_memo_adopt) */
	int from_state;
	uint64_t loaded_clears, loaded_customers_gen, loaded_segment_moves;
	uint32_t *optout_log;
	size_t optout_log_n, optout_log_cap;
	/* customers whose latest unsubscribe or conversion moved, in order:
	 * the outcomes memo refolds only them (reset by a clear) */
	uint32_t *outcome_log;
	size_t outcome_log_n, outcome_log_cap;
};

struct store *store_new(unsigned engaged_mask, unsigned hve_mask);
void store_free(struct store *s);
/* Fold one record in. */
void store_apply(struct store *s, const struct record *r);
/* Fold n records in, in order — the same result as n store_apply calls.
 * Before applying, it walks the batch three times issuing memory hints
 * (customer slot, then arena entry, then the customer and pair entries),
 * so that the cache misses of 64 rows overlap instead of queueing: with
 * 200,000 customers and millions of pairs, those misses are most of the
 * per-row cost. */
void store_apply_batch(struct store *s, const struct record *const *r, size_t n);
/* Recompute what a change could not fold in O(1) (the audience bases).
 * ingest calls it after each batch; view copes with an unsettled store by
 * computing the same numbers itself. */
void store_settle(struct store *s);
/* The same in steps of at most budget pairs, for a loop that must not
 * stall (1.9M pairs took 90-140 ms in one): 1 once settled, 0 while more
 * is to do. A change to the store between steps starts the recount again. */
int store_settle_step(struct store *s, size_t budget);
/* While on (a cold read under way), a view does not recount unsettled
 * bases itself, O(pairs) at every refresh: it shows them as not known yet
 * (base 0), and the recount comes once, at the end of the read. */
void store_bulk(struct store *s, int on);
/* Room for about n (campaign, customer) pairs (pairs_reserve). */
void store_reserve_pairs(struct store *s, size_t n);
/* Whether campaign c's pair flags make the customer one of its recipients. */
int store_is_recipient(const struct store_campaign *c, uint32_t flags);

/* Seeds: what a database aggregated from event rows it did not send
 * (pushdown, SPEC 8; pgsql.h). Seeding leaves the store as applying those
 * rows would have, in any order with other seeds and records: every
 * distinct-customer counter moves for the flags newly set, sums add up,
 * "latest" values take the maximum; the audience bases are left to
 * store_settle. */
struct store_seed_pair {
	const char *campaign, *customer;
	unsigned flags;        /* STORE_F_* */
};
/* The rows of one event on one day of a campaign, and of a customer where
 * the store keeps that (pgsql.h, a day of the aggregates). */
struct store_seed_day {
	const char *campaign;  /* "" for none */
	const char *customer;  /* NULL: the rows of counts */
	int64_t day;           /* days since 1970-01-01 */
	int event;             /* enum schema_event */
	uint32_t rows;
	int64_t first_ts, last_ts;
	int64_t value;         /* util_money units, of the rows that have one */
};
void store_seed_pair(struct store *s, const struct store_seed_pair *x);
/* n pairs, as n store_seed_pair calls: with memory hints first (the
 * customer's slot, then the pair's), as store_apply_batch gives them, so
 * that the misses of a batch overlap (1.9M seeded pairs: 0.7 s of misses
 * one at a time). */
void store_seed_pairs(struct store *s, const struct store_seed_pair *x, size_t n);
void store_seed_day(struct store *s, const struct store_seed_day *x);

/* Forget everything derived from records of kind (before re-reading it). */
void store_clear(struct store *s, int kind);
/* Latest timestamp of any log source, INT64_MIN without data ("now"). */
int64_t store_now(const struct store *s);
/* Earliest timestamp of any log source, INT64_MAX without data. */
int64_t store_first(const struct store *s);
/* Day bucket for day d, or NULL outside the data. */
const struct store_day *store_day_get(const struct store *s, int64_t d);
/* Start of a campaign: start_date from campaigns.csv, else its first
 * event; INT64_MAX if neither. */
int64_t store_campaign_start(const struct store *s, uint32_t c);
/* 1 if the campaign has anything to show (in campaigns.csv, events or
 * responses). */
int store_campaign_present(const struct store *s, uint32_t c);
/* delivered = distinct customers with a delivered event; without any
 * delivered event, those with sent and no bounce (SPEC 3.1). */
uint32_t store_campaign_delivered(const struct store_campaign *c);
/* Comment text of a response. */
const char *store_comment(const struct store *s, const struct store_response *r);

/* A memory hint: customer c (or STORE_NONE) is about to be looked at. The
 * view's passes over responses and engaged customers look customers up at
 * random in a table of 13 MB at 200,000 customers, a cache miss each; a
 * hint STORE_PREFETCH_AHEAD items ahead overlaps the misses. */
#define STORE_PREFETCH_AHEAD 16
static inline void store_prefetch_customer(const struct store *s, uint32_t c)
{
	if (c != STORE_NONE)
		__builtin_prefetch(&s->customers[c]);
}

#endif
