/* outcome: what each NPS score's people did afterwards. See
 * include/cxtop/outcome.h.
 *
 * One pass over the responses finds each customer's latest NPS response
 * of the window (a customer who answered twice is one respondent, with
 * the later score); a second pass counts each respondent once, reading
 * the customer's churn date and latest unsubscribe and conversion, which
 * the store keeps per customer. The Wilson interval is used for the rates
 * because respondents per score are often few, where the normal
 * approximation gives intervals below 0 or above 100 %. */
#include "cxtop/outcome.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int outcome_band_of(int s)
{
	return s <= 4 ? OUTCOME_HARD : s <= 6 ? OUTCOME_SOFT : s <= 8 ? OUTCOME_PASSIVE : OUTCOME_PROMOTER;
}

const char *outcome_band_name(int band)
{
	static const char *const names[OUTCOME_NBANDS] = {"hard_detractors", "soft_detractors",
							  "passives", "promoters"};
	return band >= 0 && band < OUTCOME_NBANDS ? names[band] : "?";
}

const char *outcome_band_scores(int band)
{
	static const char *const scores[OUTCOME_NBANDS] = {"0-4", "5-6", "7-8", "9-10"};
	return band >= 0 && band < OUTCOME_NBANDS ? scores[band] : "?";
}

static void outcome_add(struct outcome_set *set, int score, int churned, int opted, int conv)
{
	struct outcome_counts *c[2] = {&set->score[score], &set->band[outcome_band_of(score)]};
	for (int i = 0; i < 2; i++) {
		c[i]->respondents++;
		c[i]->churned += (uint32_t)churned;
		c[i]->opted_out += (uint32_t)opted;
		c[i]->converted += (uint32_t)conv;
	}
}

/* The first response at or after day lo when the store's responses are in
 * time order (a binary search), else 0. */
static size_t outcome_first(const struct store *s, int64_t day_lo)
{
	if (!s->responses_sorted)
		return 0;
	size_t a = 0, b = s->nresponses;
	int64_t t0 = day_lo * 86400;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (s->responses[mid].ts < t0)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

void outcome_build(const struct store *s, int64_t day_lo, int64_t day_hi,
		   struct outcome_set *all, struct outcome_set *per_campaign, size_t ncamp,
		   struct outcome_set *per_segment, size_t nseg, uint32_t *scratch)
{
	uint32_t nc = intern_count(s->customer_ids);
	memset(all, 0, sizeof *all);
	if (per_campaign)
		memset(per_campaign, 0, ncamp * sizeof *per_campaign);
	if (per_segment)
		memset(per_segment, 0, nseg * sizeof *per_segment);
	if (!nc || !s->nresponses)
		return;
	/* each customer's latest response of the window: its index + 1 */
	uint32_t *latest = scratch ? scratch : xcalloc(nc, sizeof *latest);
	size_t first = outcome_first(s, day_lo);
	for (size_t i = first; i < s->nresponses; i++) {
		const struct store_response *r = &s->responses[i];
		if (r->survey != SCHEMA_SURVEY_NPS || r->customer == STORE_NONE ||
		    !s->customers[r->customer].in_csv)
			continue;
		int64_t d = parse_day(r->ts);
		if (d < day_lo || d > day_hi)
			continue;
		uint32_t *l = &latest[r->customer];
		/* the later one; of two at one second, the one read later */
		if (!*l || s->responses[*l - 1].ts <= r->ts)
			*l = (uint32_t)i + 1;
	}
	/* each respondent once: at its latest response */
	for (size_t i = first; i < s->nresponses; i++) {
		const struct store_response *r = &s->responses[i];
		if (r->customer == STORE_NONE || latest[r->customer] != i + 1)
			continue;
		const struct store_customer *cu = &s->customers[r->customer];
		/* a churn on the day of the answer counts: the answer did not
		 * keep them; a churn flag without a date counts as after */
		int churned = cu->has_churn ? parse_day(cu->churn) >= parse_day(r->ts)
					    : cu->undated && cu->churned;
		int opted = cu->last_unsub != INT64_MIN && cu->last_unsub >= r->ts;
		int conv = cu->last_conv != INT64_MIN && cu->last_conv > r->ts;
		outcome_add(all, r->score, churned, opted, conv);
		if (per_campaign && r->campaign != STORE_NONE && r->campaign < ncamp)
			outcome_add(&per_campaign[r->campaign], r->score, churned, opted, conv);
		uint32_t seg = r->segment != STORE_NONE ? r->segment : cu->segment;
		if (per_segment && seg != STORE_NONE && seg < nseg)
			outcome_add(&per_segment[seg], r->score, churned, opted, conv);
	}
	if (!scratch) {
		free(latest);
		return;
	}
	for (size_t i = first; i < s->nresponses; i++)
		if (s->responses[i].customer != STORE_NONE)
			latest[s->responses[i].customer] = 0;
}

void outcome_rate(uint32_t k, uint32_t n, double *rate, double *lo, double *hi)
{
	if (!n) {
		*rate = *lo = *hi = NAN;
		return;
	}
	/* Wilson score interval, z = 1.96 */
	const double z = 1.959963984540054;
	double p = (double)k / n, z2n = z * z / n;
	double centre = (p + z2n / 2) / (1 + z2n);
	double half = z * sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
	*rate = p;
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
}

void outcome_sentence(const struct outcome_set *o, int ascii, char *buf, size_t n)
{
	const struct outcome_counts *h = &o->band[OUTCOME_HARD], *s = &o->band[OUTCOME_SOFT],
				    *p = &o->band[OUTCOME_PASSIVE];
	buf[0] = '\0';
	if (!h->respondents || !s->respondents || !p->respondents)
		return;
	double rh = (double)h->churned / h->respondents, rs = (double)s->churned / s->respondents,
	       rp = (double)p->churned / p->respondents;
	const char *en = ascii ? "-" : "\xe2\x80\x93", *em = ascii ? "-" : "\xe2\x80\x94";
	int like_passives = fabs(rs - rp) <= fabs(rs - rh);
	snprintf(buf, n, "soft detractors (5%s6) churned %.0f%% %s like %s (%.0f%%), not like %s (%.0f%%)",
		 en, 100 * rs, em, like_passives ? "passives" : "hard detractors",
		 100 * (like_passives ? rp : rh), like_passives ? "hard detractors" : "passives",
		 100 * (like_passives ? rh : rp));
}
