/* outcome: what the people behind each NPS score did afterwards (SPEC
 * 3.6). A respondent with score s is a customer of the customers source
 * whose latest NPS response dated in the window has score s; anonymous
 * answers have no outcome. Churned: a churn_date on or after that
 * response's day (or a churned flag without a date); opted out: an
 * unsubscribe at or after its timestamp; converted: a conversion after it.
 *
 * Pure: reads the store, writes the caller's structs. O(responses) with a
 * scratch array of one entry per customer. */
#ifndef CXTOP_OUTCOME_H
#define CXTOP_OUTCOME_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/store.h"

/* The NPS bands, in the order the JSON and the screens list them. */
enum outcome_band {
	OUTCOME_HARD,     /* hard detractors 0-4 */
	OUTCOME_SOFT,     /* soft detractors 5-6 */
	OUTCOME_PASSIVE,  /* 7-8 */
	OUTCOME_PROMOTER, /* 9-10 */
	OUTCOME_NBANDS
};

struct outcome_counts {
	uint32_t respondents, churned, opted_out, converted;
};

struct outcome_set {
	struct outcome_counts score[11];
	struct outcome_counts band[OUTCOME_NBANDS];
};

/* The band of score s (0-10). */
int outcome_band_of(int s);
/* "hard_detractors", "soft_detractors", "passives", "promoters". */
const char *outcome_band_name(int band);
/* "0-4", "5-6", "7-8", "9-10". */
const char *outcome_band_scores(int band);

/* Outcomes of the NPS responses dated in days [day_lo, day_hi] into all;
 * per_campaign[ncamp] and per_segment[nseg] (may be NULL) get the same
 * split by the campaign and the segment of each respondent's latest
 * response (its own segment, else its customer's). The sets are zeroed
 * first. */
void outcome_build(const struct store *s, int64_t day_lo, int64_t day_hi,
		   struct outcome_set *all, struct outcome_set *per_campaign, size_t ncamp,
		   struct outcome_set *per_segment, size_t nseg);

/* The same kept up to date between calls: a build folds in only the
 * responses appended since the last one and the customers whose latest
 * unsubscribe or conversion moved (store.outcome_log), so that a dashboard
 * frame after new rows costs those rows. Another window, a clear, a
 * changed customers snapshot or another store start it over; the result
 * is the same as outcome_build's. The sets returned stay valid until the
 * next build or outcome_memo_free. */
struct outcome_memo;
struct outcome_memo *outcome_memo_new(void);
void outcome_memo_free(struct outcome_memo *m);
/* The memo into a state when it holds sums of s as s is now (else a mark
 * that there is none), and read back (into a new memo, m's fields
 * replaced; -1 with the reader marked bad if it cannot be read). A memo
 * read back is of no store until outcome_memo_adopt gives it the one read
 * from the same state, before anything else changed it: 0, or -1 where
 * it does not fit that store (it then starts over at its next build). */
struct statefile_w;
struct statefile_r;
void outcome_memo_save(const struct outcome_memo *m, const struct store *s,
		       struct statefile_w *w);
int outcome_memo_load(struct outcome_memo *m, struct statefile_r *r);
int outcome_memo_adopt(struct outcome_memo *m, const struct store *s);
const struct outcome_set *outcome_memo_build(struct outcome_memo *m, const struct store *s,
					     int64_t day_lo, int64_t day_hi,
					     const struct outcome_set **per_campaign, size_t *ncamp,
					     const struct outcome_set **per_segment, size_t *nseg);

/* k of n as a rate with its 95 % Wilson score interval; NAN for all three
 * when n is 0. */
void outcome_rate(uint32_t k, uint32_t n, double *rate, double *lo, double *hi);

/* What the bands' churn says, in words, into buf: "soft detractors (5-6)
 * churned 11% - like passives (9%), not like hard detractors (18%)", or
 * the same the other way round; "" when a band of the three has no
 * respondents. ascii: '-' instead of the en and em dashes. */
void outcome_sentence(const struct outcome_set *o, int ascii, char *buf, size_t n);

#endif
