/* cohort: customers by signup month and months since signup (SPEC 3.6).
 * retained[k] of the cohort of month c is the share of its customers with
 * no churn_date, or one on or after the first day of month c+k+1, for k
 * from 0 to the month of now: the classic retention triangle. The latest
 * COHORT_MAX months up to now that have customers; customers without a
 * signup day are in none.
 *
 * Pure: reads the store, O(customers). */
#ifndef CXTOP_COHORT_H
#define CXTOP_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/store.h"

#define COHORT_MAX 24

struct cohort {
	int year, month;            /* the signup month */
	uint32_t customers;
	size_t nmonths;             /* retained[0 .. nmonths-1]: months 0 .. now */
	double retained[COHORT_MAX];
	uint32_t kept[COHORT_MAX];  /* the counts behind retained */
};

/* The cohorts of the COHORT_MAX months ending with the month of now,
 * oldest first, into out[COHORT_MAX]; returns how many have customers.
 * now = INT64_MIN: none. */
size_t cohort_build(const struct store *s, int64_t now, struct cohort *out);

#endif
