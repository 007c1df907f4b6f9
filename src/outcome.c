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
#include "cxtop/statefile.h"
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

struct outcome_memo {
	const struct store *s;
	uint64_t clears, customers_gen;
	int ok;
	int64_t lo, hi;
	size_t resp_pos, log_pos;
	uint32_t *latest;  /* per customer: its latest response of the window + 1 */
	uint8_t *flags;    /* per customer: what is counted for it (OUTCOME_F_*) */
	size_t ncust;
	struct outcome_set all, *camp, *seg;
	size_t ncamp, nseg, camp_cap, seg_cap;
};

#define OUTCOME_F_CHURNED 1u
#define OUTCOME_F_OPTED 2u
#define OUTCOME_F_CONV 4u

struct outcome_memo *outcome_memo_new(void)
{
	return xcalloc(1, sizeof(struct outcome_memo));
}

void outcome_memo_free(struct outcome_memo *m)
{
	if (!m)
		return;
	free(m->latest);
	free(m->flags);
	free(m->camp);
	free(m->seg);
	free(m);
}

#define OUTCOME_MEMO_MAGIC UINT64_C(0x6f7574636f6d6531) /* "outcome1" */

void outcome_memo_save(const struct outcome_memo *m, const struct store *s,
		       struct statefile_w *w)
{
	/* current: every response and every outcome change of s folded in
	 * (the log is not kept in the state, so a memo behind it is not) */
	int cur = m && m->ok && m->s == s && m->clears == s->clears &&
		  m->customers_gen == s->customers_gen && m->log_pos == s->outcome_log_n;
	statefile_put_u64(w, OUTCOME_MEMO_MAGIC);
	statefile_put_u32(w, (uint32_t)cur);
	if (!cur)
		return;
	statefile_put_i64(w, m->lo);
	statefile_put_i64(w, m->hi);
	statefile_put_u64(w, m->resp_pos);
	statefile_put_u64(w, m->ncust);
	statefile_put(w, m->latest, m->ncust * sizeof *m->latest);
	statefile_put(w, m->flags, m->ncust);
	statefile_put(w, &m->all, sizeof m->all);
	statefile_put_u64(w, m->ncamp);
	statefile_put(w, m->camp, m->ncamp * sizeof *m->camp);
	statefile_put_u64(w, m->nseg);
	statefile_put(w, m->seg, m->nseg * sizeof *m->seg);
}

int outcome_memo_load(struct outcome_memo *m, struct statefile_r *r)
{
	free(m->latest);
	free(m->flags);
	free(m->camp);
	free(m->seg);
	memset(m, 0, sizeof *m);
	if (statefile_get_u64(r) != OUTCOME_MEMO_MAGIC) {
		statefile_mark_bad(r);
		return -1;
	}
	if (!statefile_get_u32(r))
		return statefile_bad(r) ? -1 : 0;
	m->lo = statefile_get_i64(r);
	m->hi = statefile_get_i64(r);
	m->resp_pos = (size_t)statefile_get_u64(r);
	uint64_t nc = statefile_get_u64(r);
	if (nc > statefile_left(r) / 5) {
		statefile_mark_bad(r);
		return -1;
	}
	m->ncust = (size_t)nc;
	m->latest = xcalloc(m->ncust ? m->ncust : 1, sizeof *m->latest);
	m->flags = xcalloc(m->ncust ? m->ncust : 1, 1);
	statefile_get(r, m->latest, m->ncust * sizeof *m->latest);
	statefile_get(r, m->flags, m->ncust);
	statefile_get(r, &m->all, sizeof m->all);
	for (int k = 0; k < 2; k++) {
		uint64_t n = statefile_get_u64(r);
		if (n > statefile_left(r) / sizeof(struct outcome_set)) {
			statefile_mark_bad(r);
			return -1;
		}
		struct outcome_set *a = xcalloc(n ? (size_t)n : 1, sizeof *a);
		statefile_get(r, a, (size_t)n * sizeof *a);
		*(k ? &m->seg : &m->camp) = a;
		*(k ? &m->nseg : &m->ncamp) = (size_t)n;
		*(k ? &m->seg_cap : &m->camp_cap) = n ? (size_t)n : 1;
	}
	if (statefile_bad(r))
		return -1;
	m->ok = 2; /* read, not yet adopted */
	return 0;
}

int outcome_memo_adopt(struct outcome_memo *m, const struct store *s)
{
	if (m->ok != 2) {
		m->ok = 0;
		return -1;
	}
	int fits = s->from_state && m->ncust <= intern_count(s->customer_ids) &&
		   m->resp_pos <= s->nresponses && m->ncamp <= intern_count(s->campaign_ids) &&
		   m->nseg <= intern_count(s->segments);
	for (size_t c = 0; fits && c < m->ncust; c++)
		fits = m->latest[c] <= s->nresponses;
	if (!fits) {
		m->ok = 0;
		return -1;
	}
	m->ok = 1;
	m->s = s;
	m->clears = s->loaded_clears;
	m->customers_gen = s->loaded_customers_gen;
	m->log_pos = 0; /* the log began again with the store taken up */
	return 0;
}

/* Grow an array of *n elements to need, the new ones zero. */
static void *outcome_grow(void *p, size_t *n, size_t *cap, size_t need, size_t elem)
{
	if (need > *cap) {
		size_t c = *cap ? *cap : 16;
		while (c < need)
			c *= 2;
		p = xrealloc(p, c * elem);
		*cap = c;
	}
	if (need > *n) {
		memset((char *)p + *n * elem, 0, (need - *n) * elem);
		*n = need;
	}
	return p;
}

static void outcome_count(struct outcome_set *set, int score, unsigned fl, int sign)
{
	struct outcome_counts *c[2] = {&set->score[score], &set->band[outcome_band_of(score)]};
	for (int i = 0; i < 2; i++) {
		c[i]->respondents += (uint32_t)sign;
		c[i]->churned += (uint32_t)(sign * !!(fl & OUTCOME_F_CHURNED));
		c[i]->opted_out += (uint32_t)(sign * !!(fl & OUTCOME_F_OPTED));
		c[i]->converted += (uint32_t)(sign * !!(fl & OUTCOME_F_CONV));
	}
}

/* Add (sign 1) or take back (-1) customer c's respondent, with its flags. */
static void outcome_apply(struct outcome_memo *m, const struct store *s, uint32_t c, int sign)
{
	const struct store_response *r = &s->responses[m->latest[c] - 1];
	const struct store_customer *cu = &s->customers[c];
	unsigned fl = m->flags[c];
	outcome_count(&m->all, r->score, fl, sign);
	if (r->campaign != STORE_NONE && r->campaign < m->ncamp)
		outcome_count(&m->camp[r->campaign], r->score, fl, sign);
	uint32_t seg = r->segment != STORE_NONE ? r->segment : cu->segment;
	if (seg != STORE_NONE && seg < m->nseg)
		outcome_count(&m->seg[seg], r->score, fl, sign);
}

/* What customer c did after its latest response: a churn on the day of
 * the answer counts (the answer did not keep them), a churned flag
 * without a date counts as after; an unsubscribe at the same second
 * counts, a conversion must come after. */
static unsigned outcome_flags(const struct store *s, uint32_t c, int64_t ts)
{
	const struct store_customer *cu = &s->customers[c];
	unsigned fl = 0;
	if (cu->has_churn ? parse_day(cu->churn) >= parse_day(ts) : cu->undated && cu->churned)
		fl |= OUTCOME_F_CHURNED;
	if (cu->last_unsub != INT64_MIN && cu->last_unsub >= ts)
		fl |= OUTCOME_F_OPTED;
	if (cu->last_conv != INT64_MIN && cu->last_conv > ts)
		fl |= OUTCOME_F_CONV;
	return fl;
}

const struct outcome_set *outcome_memo_build(struct outcome_memo *m, const struct store *s,
					     int64_t day_lo, int64_t day_hi,
					     const struct outcome_set **per_campaign, size_t *ncamp,
					     const struct outcome_set **per_segment, size_t *nseg)
{
	size_t nc = intern_count(s->customer_ids);
	if (!m->ok || m->s != s || m->clears != s->clears || m->customers_gen != s->customers_gen ||
	    m->lo != day_lo || m->hi != day_hi) {
		/* start over: the same fold from the window's first response */
		memset(&m->all, 0, sizeof m->all);
		m->ncamp = m->nseg = 0;
		if (m->latest)
			memset(m->latest, 0, m->ncust * sizeof *m->latest);
		if (m->flags)
			memset(m->flags, 0, m->ncust);
		m->s = s;
		m->clears = s->clears;
		m->customers_gen = s->customers_gen;
		m->lo = day_lo;
		m->hi = day_hi;
		m->resp_pos = outcome_first(s, day_lo);
		m->log_pos = s->outcome_log_n;
		m->ok = 1;
	}
	if (nc > m->ncust) {
		m->latest = xrealloc(m->latest, nc * sizeof *m->latest);
		m->flags = xrealloc(m->flags, nc);
		memset(m->latest + m->ncust, 0, (nc - m->ncust) * sizeof *m->latest);
		memset(m->flags + m->ncust, 0, nc - m->ncust);
		m->ncust = nc;
	}
	m->camp = outcome_grow(m->camp, &m->ncamp, &m->camp_cap, intern_count(s->campaign_ids),
			       sizeof *m->camp);
	m->seg = outcome_grow(m->seg, &m->nseg, &m->seg_cap, intern_count(s->segments),
			      sizeof *m->seg);
	/* the responses appended since: a later answer replaces a customer's */
	for (size_t i = m->resp_pos; i < s->nresponses; i++) {
		const struct store_response *r = &s->responses[i];
		if (i + STORE_PREFETCH_AHEAD < s->nresponses)
			store_prefetch_customer(s, r[STORE_PREFETCH_AHEAD].customer);
		if (r->survey != SCHEMA_SURVEY_NPS || r->customer == STORE_NONE)
			continue;
		int64_t d = parse_day(r->ts);
		if (d < day_lo || d > day_hi || !s->customers[r->customer].in_csv)
			continue;
		uint32_t c = r->customer;
		/* the later one; of two at one second, the one read later */
		if (m->latest[c] && s->responses[m->latest[c] - 1].ts > r->ts)
			continue;
		if (m->latest[c])
			outcome_apply(m, s, c, -1);
		m->latest[c] = (uint32_t)i + 1;
		m->flags[c] = (uint8_t)outcome_flags(s, c, r->ts);
		outcome_apply(m, s, c, 1);
	}
	m->resp_pos = s->nresponses;
	/* the customers whose latest unsubscribe or conversion moved */
	for (size_t i = m->log_pos; i < s->outcome_log_n; i++) {
		uint32_t c = s->outcome_log[i];
		if (c >= m->ncust || !m->latest[c])
			continue;
		outcome_apply(m, s, c, -1);
		m->flags[c] = (uint8_t)outcome_flags(s, c, s->responses[m->latest[c] - 1].ts);
		outcome_apply(m, s, c, 1);
	}
	m->log_pos = s->outcome_log_n;
	if (per_campaign)
		*per_campaign = m->camp;
	if (ncamp)
		*ncamp = m->ncamp;
	if (per_segment)
		*per_segment = m->seg;
	if (nseg)
		*nseg = m->nseg;
	return &m->all;
}

void outcome_build(const struct store *s, int64_t day_lo, int64_t day_hi,
		   struct outcome_set *all, struct outcome_set *per_campaign, size_t ncamp,
		   struct outcome_set *per_segment, size_t nseg)
{
	struct outcome_memo *m = outcome_memo_new();
	const struct outcome_set *c, *g;
	size_t nc, ng;
	*all = *outcome_memo_build(m, s, day_lo, day_hi, &c, &nc, &g, &ng);
	if (per_campaign)
		for (size_t i = 0; i < ncamp; i++)
			per_campaign[i] = i < nc ? c[i] : (struct outcome_set){0};
	if (per_segment)
		for (size_t i = 0; i < nseg; i++)
			per_segment[i] = i < ng ? g[i] : (struct outcome_set){0};
	outcome_memo_free(m);
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
