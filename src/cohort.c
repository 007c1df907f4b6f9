/* cohort: the signup-month retention triangle. See include/cxtop/cohort.h.
 *
 * One pass over the customers counts each cohort's size and, for those
 * who churned, the month of their churn relative to the signup month; the
 * triangle is then a running sum per cohort. A churn in the signup month
 * itself already misses month 0 (retained[0] < 1): the customer did not
 * make it to the first day of the next month. */
#include "cxtop/cohort.h"

#include "cxtop/parse.h"

#include <string.h>

/* Months since year 0 of the UTC day of t. */
static int64_t cohort_month(int64_t t)
{
	int64_t y;
	int m, d;
	parse_civil_from_days(parse_day(t), &y, &m, &d);
	return y * 12 + (m - 1);
}

size_t cohort_build(const struct store *s, int64_t now, struct cohort *out)
{
	uint32_t size[COHORT_MAX] = {0}, lost[COHORT_MAX][COHORT_MAX + 1];
	memset(lost, 0, sizeof lost);
	if (now == INT64_MIN)
		return 0;
	int64_t top = cohort_month(now), first = top - (COHORT_MAX - 1);
	uint32_t nc = intern_count(s->customer_ids);
	for (uint32_t i = 0; i < nc; i++) {
		const struct store_customer *c = &s->customers[i];
		if (!c->in_csv || c->undated)
			continue;
		int64_t m = cohort_month(c->signup);
		if (m < first || m > top)
			continue;
		size_t k = (size_t)(m - first);
		size[k]++;
		if (c->has_churn) {
			/* not retained from month (churn month - signup month) on */
			int64_t cm = cohort_month(c->churn) - m;
			if (cm < 0)
				cm = 0;
			if (cm <= COHORT_MAX)
				lost[k][cm]++;
		}
	}
	size_t n = 0;
	for (size_t k = 0; k < COHORT_MAX; k++) {
		if (!size[k])
			continue;
		struct cohort *o = &out[n++];
		memset(o, 0, sizeof *o);
		int64_t m = first + (int64_t)k;
		o->year = (int)(m / 12);
		o->month = (int)(m % 12) + 1;
		o->customers = size[k];
		o->nmonths = (size_t)(top - m) + 1;
		uint32_t gone = 0;
		for (size_t j = 0; j < o->nmonths; j++) {
			gone += lost[k][j];
			o->kept[j] = size[k] - gone;
			o->retained[j] = (double)o->kept[j] / size[k];
		}
	}
	return n;
}
