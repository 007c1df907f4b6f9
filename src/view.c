/* view: SPEC section 3 computed from the store for one window.
 *
 * Cost: O(days in window) for the day sums, O(campaigns log campaigns) for
 * the campaign table, O(pairs) for the audience base (only when the store
 * is not settled), and, from scratch, O(engaged customer-days) for the
 * distinct engaged counts and O(window responses) for segments and
 * channels. Those last two grow with the rows a window holds, so a
 * view_memo keeps them between builds and folds in only what the store
 * appended: a rebuild after a small append costs about the same at any
 * history size. Nothing here writes the store. */
#include "cxtop/view.h"

#include "cxtop/parse.h"
#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static double view_ratio(double num, double den)
{
	return den > 0 ? num / den : VIEW_UNDEF;
}

/* A share of a whole (opens of delivered): undefined when the part is
 * larger than the whole, which only inconsistent data gives (opens from
 * customers with no delivered row, as in an export cut by date): no
 * number in 0-1 would be true then. */
static double view_share(double part, double whole)
{
	return whole > 0 && part <= whole ? part / whole : VIEW_UNDEF;
}

const char *view_alert_name(int kind)
{
	static const char *const names[] = {
#define VIEW_AL_NAME(id, name, sev) name,
		VIEW_ALERTS(VIEW_AL_NAME)
#undef VIEW_AL_NAME
	};
	return (kind >= 0 && kind < VIEW_AL_COUNT) ? names[kind] : "?";
}

void view_nps_from_hist(struct view_nps *o, const uint32_t hist[11], const struct config *cfg)
{
	uint64_t sum = 0, dsum = 0;

	memset(o, 0, sizeof *o);
	memcpy(o->histogram, hist, sizeof o->histogram);
	for (int i = 0; i <= 10; i++) {
		o->n += hist[i];
		sum += (uint64_t)i * hist[i];
		if (i <= 6)
			dsum += (uint64_t)i * hist[i];
	}
	o->promoters = hist[9] + hist[10];
	o->passives = hist[7] + hist[8];
	o->soft_detractors = hist[5] + hist[6];
	o->hard_detractors = hist[0] + hist[1] + hist[2] + hist[3] + hist[4];
	o->detractors = o->soft_detractors + o->hard_detractors;
	o->response_rate = VIEW_UNDEF;
	if (!o->n) {
		o->nps = o->nps_moe95 = o->mean_detractor_score = VIEW_UNDEF;
		o->nps_if_soft_passive = o->wrs = o->hard_share = VIEW_UNDEF;
		return;
	}
	double n = o->n, p = o->promoters / n, d = o->detractors / n;
	o->nps = 100.0 * (p - d);
	/* Wald interval of a difference of two proportions from one sample:
	 * var(p - d) = (p + d - (p - d)^2) / n. */
	o->nps_moe95 = 100.0 * 1.96 * sqrt((p + d - (p - d) * (p - d)) / n);
	o->significant = o->n >= (uint32_t)cfg->nps_min_n && o->nps_moe95 <= cfg->nps_max_moe;
	o->mean_detractor_score = view_ratio((double)dsum, o->detractors);
	o->nps_if_soft_passive = 100.0 * ((double)o->promoters - o->hard_detractors) / n;
	o->wrs = 10.0 * (double)sum / n;
	o->hard_share = o->hard_detractors / n;
}

static void view_period(struct view_period *p, int days, int64_t now_day, int64_t lo_day,
			int64_t now)
{
	p->days = days;
	p->day_hi = now_day;
	p->day_lo = days ? now_day - days + 1 : lo_day;
	p->start = p->day_lo * DAY;
	p->end = now;
}

/* Sum the day buckets of a period. */
static void view_days(const struct store *s, const struct view_period *p, struct store_day *o)
{
	memset(o, 0, sizeof *o);
	for (int64_t d = p->day_lo; d <= p->day_hi; d++) {
		const struct store_day *x = store_day_get(s, d);
		if (!x)
			continue;
		for (int i = 0; i <= 10; i++)
			o->nps[i] += x->nps[i];
		o->csat_n += x->csat_n;
		o->csat_top2 += x->csat_top2;
		o->csat_sum += x->csat_sum;
		o->ces_n += x->ces_n;
		o->ces_easy += x->ces_easy;
		o->ces_sum += x->ces_sum;
		o->survey_sent += x->survey_sent;
		o->hve += x->hve;
		o->cev = util_money_add(o->cev, x->cev);
		o->impressions += x->impressions;
		o->reach += x->reach;
		o->aware += x->aware;
		o->asked += x->asked;
		o->awareness_rows += x->awareness_rows;
	}
}

static int view_opted_out(const struct store_customer *c)
{
	return (c->in_csv && !c->opted_in) || c->unsubscribed;
}

/* Running totals of the customers.csv day sums, so that "active at the end
 * of day d", churns up to d and ARPU at d are O(1) lookups; built once per
 * view in O(days). */
struct view_cum {
	int64_t lo;
	size_t n;
	uint32_t *signups, *churns, *nin, *nout;
	int64_t *rin, *rout; /* util_money units */
};

struct view_cum_at {
	uint32_t signups, churns, nin, nout;
	int64_t rin, rout;
};

static void view_cum_build(const struct store *s, struct view_cum *c)
{
	memset(c, 0, sizeof *c);
	c->lo = s->day_lo;
	c->n = s->ndays;
	if (!c->n)
		return;
	c->signups = xmalloc(c->n * sizeof *c->signups);
	c->churns = xmalloc(c->n * sizeof *c->churns);
	c->nin = xmalloc(c->n * sizeof *c->nin);
	c->nout = xmalloc(c->n * sizeof *c->nout);
	c->rin = xmalloc(c->n * sizeof *c->rin);
	c->rout = xmalloc(c->n * sizeof *c->rout);
	for (size_t i = 0; i < c->n; i++) {
		const struct store_day *d = &s->days[i];
		c->signups[i] = d->signups + (i ? c->signups[i - 1] : 0);
		c->churns[i] = d->churns + (i ? c->churns[i - 1] : 0);
		c->nin[i] = d->nrev_in + (i ? c->nin[i - 1] : 0);
		c->nout[i] = d->nrev_out + (i ? c->nout[i - 1] : 0);
		c->rin[i] = util_money_add(d->rev_in, i ? c->rin[i - 1] : 0);
		c->rout[i] = util_money_add(d->rev_out, i ? c->rout[i - 1] : 0);
	}
}

static void view_cum_free(struct view_cum *c)
{
	free(c->signups);
	free(c->churns);
	free(c->nin);
	free(c->nout);
	free(c->rin);
	free(c->rout);
}

/* Totals up to and including day d. */
static void view_cum_get(const struct view_cum *c, int64_t d, struct view_cum_at *o)
{
	memset(o, 0, sizeof *o);
	if (!c->n || d < c->lo)
		return;
	size_t i = d - c->lo >= (int64_t)c->n ? c->n - 1 : (size_t)(d - c->lo);
	o->signups = c->signups[i];
	o->churns = c->churns[i];
	o->nin = c->nin[i];
	o->nout = c->nout[i];
	o->rin = c->rin[i];
	o->rout = c->rout[i];
}

/* Customers active at the end of day d: signed up by then, not churned by
 * then (a churn is never before its signup: record rejects that). */
static uint32_t view_active(const struct view_cum_at *a)
{
	return a->signups - a->churns;
}

/* ---- memo: the window sums that grow with the rows ------------------- */

#define VIEW_NP (2 + VIEW_SPARK_N) /* window, previous window, sparkline points */
/* per customer, 2 bytes: a bit per period the customer was engaged in,
 * and whether they were opted out when last counted */
#define VIEW_MEMO_OUT 0x8000u
_Static_assert(VIEW_NP < 16, "a uint16_t holds a bit per period and VIEW_MEMO_OUT");

struct view_memo {
	const struct store *s; /* the store it holds sums of */
	uint64_t clears;       /* its store.clears then */
	/* engaged customers per period (view_memo_engaged) */
	int eng_ok;
	size_t np;
	int64_t lo[VIEW_NP], hi[VIEW_NP]; /* the periods' days */
	int64_t dlo;                      /* first day of any period */
	size_t ndays;                     /* days from dlo to the last of any */
	uint32_t *seen;                   /* per day: store_day.eng entries folded in */
	uint16_t *dbits;                  /* per day: the periods that hold it */
	uint16_t *cust;                   /* per customer, see VIEW_MEMO_OUT */
	size_t ncust;
	size_t log_pos;                   /* store.optout_log entries replayed */
	uint32_t count[VIEW_NP];          /* customers with the bit, not opted out */
	/* the window's NPS histograms by segment and channel (view_memo_groups) */
	int grp_ok;
	int64_t g_lo, g_hi;
	uint64_t seg_moves;               /* store.segment_moves then */
	size_t resp_pos;                  /* store.responses looked at */
	uint32_t *camp_ch;                /* each campaign's channel, as counted */
	size_t ncamp;
	uint32_t (*seg)[11], (*ch)[11];
	size_t nseg, nch;
	/* outcomes by score and cohorts: they change only with what they read
	 * (store.outcome_gen, store.customers_gen), so a frame after events
	 * that are not unsubscribes or conversions costs nothing */
	struct outcome_memo *out;
	const struct outcome_set *out_all, *out_camp, *out_seg;
	size_t out_ncamp, out_nseg;
	int coh_ok;
	uint64_t coh_gen;
	int64_t coh_month;
	struct cohort coh[COHORT_MAX];
	size_t ncoh;
};

struct view_memo *view_memo_new(void)
{
	return xcalloc(1, sizeof(struct view_memo));
}

static void view_memo_parts_free(struct view_memo *m)
{
	free(m->seen);
	free(m->dbits);
	free(m->cust);
	free(m->camp_ch);
	free(m->seg);
	free(m->ch);
}

void view_memo_free(struct view_memo *m)
{
	if (!m)
		return;
	view_memo_parts_free(m);
	outcome_memo_free(m->out);
	free(m);
}

#define VIEW_MEMO_MAGIC UINT64_C(0x766965776d656d31) /* "viewmem1" */
#define VIEW_MEMO_ENG 1u
#define VIEW_MEMO_GRP 2u
#define VIEW_MEMO_COH 4u

void view_memo_save(const struct view_memo *m, const struct store *s, struct statefile_w *w)
{
	int cur = m && m->s == s && m->clears == s->clears;
	/* the opt-out log is not kept in the state: a memo behind it is not */
	unsigned parts = !cur ? 0
			      : (m->eng_ok && m->log_pos == s->optout_log_n ? VIEW_MEMO_ENG : 0) |
					(m->grp_ok && m->seg_moves == s->segment_moves ? VIEW_MEMO_GRP : 0) |
					(m->coh_ok && m->coh_gen == s->customers_gen ? VIEW_MEMO_COH : 0);
	statefile_put_u64(w, VIEW_MEMO_MAGIC);
	statefile_put_u32(w, parts);
	if (parts & VIEW_MEMO_ENG) {
		statefile_put_u64(w, m->np);
		for (size_t k = 0; k < m->np; k++) {
			statefile_put_i64(w, m->lo[k]);
			statefile_put_i64(w, m->hi[k]);
		}
		statefile_put_i64(w, m->dlo);
		statefile_put_u64(w, m->ndays);
		statefile_put(w, m->seen, (m->ndays + 1) * sizeof *m->seen);
		statefile_put(w, m->dbits, (m->ndays + 1) * sizeof *m->dbits);
		statefile_put_u64(w, m->ncust);
		statefile_put(w, m->cust, m->ncust * sizeof *m->cust);
		statefile_put(w, m->count, sizeof m->count);
	}
	if (parts & VIEW_MEMO_GRP) {
		statefile_put_i64(w, m->g_lo);
		statefile_put_i64(w, m->g_hi);
		statefile_put_u64(w, m->resp_pos);
		statefile_put_u64(w, m->ncamp);
		statefile_put(w, m->camp_ch, m->ncamp * sizeof *m->camp_ch);
		statefile_put_u64(w, m->nseg);
		statefile_put(w, m->seg, m->nseg * sizeof *m->seg);
		statefile_put_u64(w, m->nch);
		statefile_put(w, m->ch, m->nch * sizeof *m->ch);
	}
	if (parts & VIEW_MEMO_COH) {
		statefile_put_i64(w, m->coh_month);
		statefile_put_u64(w, m->ncoh);
		for (size_t i = 0; i < m->ncoh; i++) {
			const struct cohort *c = &m->coh[i];
			statefile_put_u32(w, (uint32_t)c->year);
			statefile_put_u32(w, (uint32_t)c->month);
			statefile_put_u32(w, c->customers);
			statefile_put_u64(w, c->nmonths);
			for (size_t j = 0; j < COHORT_MAX; j++) {
				statefile_put_f64(w, c->retained[j]);
				statefile_put_u32(w, c->kept[j]);
			}
		}
	}
	outcome_memo_save(cur ? m->out : NULL, s, w);
}

/* A u64 count of elem-byte items that the reader can still hold. */
static int view_memo_count(struct statefile_r *r, size_t elem, size_t *n)
{
	uint64_t v = statefile_get_u64(r);
	if (statefile_bad(r) || v > statefile_left(r) / elem) {
		statefile_mark_bad(r);
		return -1;
	}
	*n = (size_t)v;
	return 0;
}

int view_memo_load(struct view_memo *m, struct statefile_r *r)
{
	struct outcome_memo *out = m->out;
	view_memo_parts_free(m);
	memset(m, 0, sizeof *m);
	m->out = out ? out : outcome_memo_new();
	if (statefile_get_u64(r) != VIEW_MEMO_MAGIC) {
		statefile_mark_bad(r);
		return -1;
	}
	unsigned parts = statefile_get_u32(r);
	size_t n;
	if (parts & VIEW_MEMO_ENG) {
		if (view_memo_count(r, 16, &m->np) < 0 || m->np > VIEW_NP)
			goto bad;
		for (size_t k = 0; k < m->np; k++) {
			m->lo[k] = statefile_get_i64(r);
			m->hi[k] = statefile_get_i64(r);
		}
		m->dlo = statefile_get_i64(r);
		if (view_memo_count(r, sizeof *m->seen + sizeof *m->dbits, &m->ndays) < 0)
			goto bad;
		m->seen = xcalloc(m->ndays + 1, sizeof *m->seen);
		m->dbits = xcalloc(m->ndays + 1, sizeof *m->dbits);
		statefile_get(r, m->seen, (m->ndays + 1) * sizeof *m->seen);
		statefile_get(r, m->dbits, (m->ndays + 1) * sizeof *m->dbits);
		if (view_memo_count(r, sizeof *m->cust, &m->ncust) < 0)
			goto bad;
		m->cust = xcalloc(m->ncust ? m->ncust : 1, sizeof *m->cust);
		statefile_get(r, m->cust, m->ncust * sizeof *m->cust);
		statefile_get(r, m->count, sizeof m->count);
		m->eng_ok = 1;
	}
	if (parts & VIEW_MEMO_GRP) {
		m->g_lo = statefile_get_i64(r);
		m->g_hi = statefile_get_i64(r);
		m->resp_pos = (size_t)statefile_get_u64(r);
		if (view_memo_count(r, sizeof *m->camp_ch, &m->ncamp) < 0)
			goto bad;
		m->camp_ch = xcalloc(m->ncamp ? m->ncamp : 1, sizeof *m->camp_ch);
		statefile_get(r, m->camp_ch, m->ncamp * sizeof *m->camp_ch);
		for (int k = 0; k < 2; k++) {
			if (view_memo_count(r, sizeof *m->seg, &n) < 0)
				goto bad;
			uint32_t(*a)[11] = xcalloc(n ? n : 1, sizeof *a);
			statefile_get(r, a, n * sizeof *a);
			*(k ? &m->ch : &m->seg) = a;
			*(k ? &m->nch : &m->nseg) = n;
		}
		m->grp_ok = 1;
	}
	if (parts & VIEW_MEMO_COH) {
		m->coh_month = statefile_get_i64(r);
		if (view_memo_count(r, 1, &m->ncoh) < 0 || m->ncoh > COHORT_MAX)
			goto bad;
		for (size_t i = 0; i < m->ncoh; i++) {
			struct cohort *c = &m->coh[i];
			c->year = (int)statefile_get_u32(r);
			c->month = (int)statefile_get_u32(r);
			c->customers = statefile_get_u32(r);
			c->nmonths = (size_t)statefile_get_u64(r);
			for (size_t j = 0; j < COHORT_MAX; j++) {
				c->retained[j] = statefile_get_f64(r);
				c->kept[j] = statefile_get_u32(r);
			}
			if (c->nmonths > COHORT_MAX)
				goto bad;
		}
		m->coh_ok = 1;
	}
	if (outcome_memo_load(m->out, r) < 0 || statefile_bad(r))
		goto bad;
	return 0;
bad:
	statefile_mark_bad(r);
	m->eng_ok = m->grp_ok = m->coh_ok = 0;
	return -1;
}

void view_memo_adopt(struct view_memo *m, const struct store *s)
{
	if (!s->from_state) {
		m->eng_ok = m->grp_ok = m->coh_ok = 0;
	}
	if (m->eng_ok) {
		/* every index it holds within the store read */
		int fits = m->ncust <= intern_count(s->customer_ids);
		for (size_t i = 0; fits && i < m->ndays; i++) {
			const struct store_day *sd = store_day_get(s, m->dlo + (int64_t)i);
			fits = m->seen[i] <= (sd ? sd->eng_n : 0);
		}
		m->eng_ok = fits;
		m->log_pos = 0; /* the log began again with the store taken up */
	}
	if (m->grp_ok)
		m->grp_ok = m->resp_pos <= s->nresponses && m->ncamp <= intern_count(s->campaign_ids) &&
			    m->nseg <= intern_count(s->segments) + 1 &&
			    m->nch <= intern_count(s->channels) + 1;
	m->seg_moves = s->loaded_segment_moves;
	m->coh_gen = s->loaded_customers_gen;
	if (m->out && s->from_state)
		outcome_memo_adopt(m->out, s);
	m->s = s;
	m->clears = s->loaded_clears;
}

/* The outcomes of the window's respondents, folded in as they change
 * (outcome_memo). */
static void view_memo_outcomes(struct view_memo *m, const struct store *s,
			       const struct view_period *w)
{
	if (!m->out)
		m->out = outcome_memo_new();
	m->out_all = outcome_memo_build(m->out, s, w->day_lo, w->day_hi, &m->out_camp,
					&m->out_ncamp, &m->out_seg, &m->out_nseg);
}

/* The cohorts, from the memo while the customers and the month of now
 * are the same (now moves with every row; the triangle only by month). */
static void view_memo_cohorts(struct view_memo *m, const struct store *s, int64_t now)
{
	int64_t month = INT64_MIN, y;
	int mo, d;
	if (now != INT64_MIN) {
		parse_civil_from_days(parse_day(now), &y, &mo, &d);
		month = y * 12 + mo;
	}
	if (m->coh_ok && m->coh_gen == s->customers_gen && m->coh_month == month)
		return;
	m->ncoh = cohort_build(s, now, m->coh);
	m->coh_ok = 1;
	m->coh_gen = s->customers_gen;
	m->coh_month = month;
}

/* Grow an array of *n elements to need, the new ones zero. */
static void *view_grow_zero(void *p, size_t *n, size_t need, size_t elem)
{
	if (need <= *n)
		return p;
	if (!*n) {
		free(p);
		*n = need;
		return xcalloc(need, elem);
	}
	p = xrealloc(p, need * elem);
	memset((char *)p + *n * elem, 0, (need - *n) * elem);
	*n = need;
	return p;
}

static void view_memo_engaged_reset(struct view_memo *m, const struct store *s,
				    const struct view_period *const *p, size_t np)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	m->np = np;
	for (size_t k = 0; k < np; k++) {
		m->lo[k] = p[k]->day_lo;
		m->hi[k] = p[k]->day_hi;
		if (m->lo[k] > m->hi[k])
			continue; /* empty: no previous window */
		lo = m->lo[k] < lo ? m->lo[k] : lo;
		hi = m->hi[k] > hi ? m->hi[k] : hi;
	}
	m->dlo = lo;
	m->ndays = lo <= hi ? (size_t)(hi - lo) + 1 : 0;
	free(m->seen);
	free(m->dbits);
	m->seen = xcalloc(m->ndays + 1, sizeof *m->seen);
	m->dbits = xcalloc(m->ndays + 1, sizeof *m->dbits);
	for (size_t k = 0; k < np; k++)
		for (int64_t d = m->lo[k]; d <= m->hi[k]; d++)
			m->dbits[d - lo] |= (uint16_t)(1u << k);
	if (m->cust)
		memset(m->cust, 0, m->ncust * sizeof *m->cust);
	memset(m->count, 0, sizeof m->count);
	/* statuses are read as customers are first counted: older changes
	 * are already in them */
	m->log_pos = s->optout_log_n;
	m->eng_ok = 1;
}

/* Distinct customers engaged on some day of each period, not opted out
 * now. From scratch, one walk over the per-day lists of the periods' days
 * with a bit per period per customer; after that, only the entries the
 * lists gained since (they only grow by appending), and the customers
 * whose opted-out status may have changed (store.optout_log), each moving
 * the counts of the periods it is in. */
static void view_memo_engaged(struct view_memo *m, const struct store *s,
			      const struct view_period *const *p, size_t np, uint32_t *out)
{
	int same = m->eng_ok && m->np == np;
	for (size_t k = 0; same && k < np; k++)
		same = m->lo[k] == p[k]->day_lo && m->hi[k] == p[k]->day_hi;
	if (!same)
		view_memo_engaged_reset(m, s, p, np);
	m->cust = view_grow_zero(m->cust, &m->ncust, intern_count(s->customer_ids),
				 sizeof *m->cust);
	for (size_t i = m->log_pos; i < s->optout_log_n; i++) {
		uint32_t c = s->optout_log[i];
		uint16_t *mc = &m->cust[c];
		int o = view_opted_out(&s->customers[c]);
		if (!*mc || o == !!(*mc & VIEW_MEMO_OUT))
			continue;
		*mc ^= VIEW_MEMO_OUT;
		for (size_t k = 0; k < np; k++)
			if ((*mc >> k) & 1u)
				m->count[k] = o ? m->count[k] - 1 : m->count[k] + 1;
	}
	m->log_pos = s->optout_log_n;
	for (size_t i = 0; i < m->ndays; i++) {
		const struct store_day *sd = store_day_get(s, m->dlo + (int64_t)i);
		uint16_t bits = m->dbits[i];
		if (!sd || !bits || m->seen[i] >= sd->eng_n)
			continue;
		for (uint32_t j = m->seen[i]; j < sd->eng_n; j++) {
			if (j + STORE_PREFETCH_AHEAD < sd->eng_n) {
				__builtin_prefetch(&m->cust[sd->eng[j + STORE_PREFETCH_AHEAD]]);
				store_prefetch_customer(s, sd->eng[j + STORE_PREFETCH_AHEAD]);
			}
			uint16_t *mc = &m->cust[sd->eng[j]];
			uint16_t add = bits & (uint16_t)~*mc;
			if (!add)
				continue;
			if (!*mc && view_opted_out(&s->customers[sd->eng[j]]))
				*mc = VIEW_MEMO_OUT;
			*mc |= add;
			if (!(*mc & VIEW_MEMO_OUT))
				for (size_t k = 0; k < np; k++)
					m->count[k] += (add >> k) & 1u;
		}
		m->seen[i] = sd->eng_n;
	}
	memcpy(out, m->count, np * sizeof *out);
}

/* Index of the first response at or after t0 (responses in time order). */
static size_t view_first_response(const struct store *s, int64_t t0)
{
	size_t lo = 0, hi = s->nresponses;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->responses[mid].ts < t0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The window's NPS responses by segment (the response's own, else the
 * customer's) and by the channel of their campaign. From scratch, a walk of
 * the window's responses; after that, only the responses appended since,
 * in any time order (each is checked against the window). A customer
 * moved to another segment or a campaign to another channel starts over:
 * which past responses that moves is not kept. */
static void view_memo_groups(struct view_memo *m, const struct store *s, const struct view_period *w)
{
	uint32_t nc = intern_count(s->campaign_ids);
	int same = m->grp_ok && m->g_lo == w->day_lo && m->g_hi == w->day_hi &&
		   m->seg_moves == s->segment_moves;
	for (size_t i = 0; same && i < m->ncamp; i++)
		same = m->camp_ch[i] == s->campaigns[i].channel;
	if (!same) {
		m->g_lo = w->day_lo;
		m->g_hi = w->day_hi;
		m->seg_moves = s->segment_moves;
		if (m->seg)
			memset(m->seg, 0, m->nseg * sizeof *m->seg);
		if (m->ch)
			memset(m->ch, 0, m->nch * sizeof *m->ch);
		m->ncamp = 0; /* the channels are taken again below */
		/* responses in time order: skip to the window's first one */
		m->resp_pos = s->responses_sorted ? view_first_response(s, w->day_lo * DAY) : 0;
		m->grp_ok = 1;
	}
	m->seg = view_grow_zero(m->seg, &m->nseg, intern_count(s->segments) + 1, sizeof *m->seg);
	m->ch = view_grow_zero(m->ch, &m->nch, intern_count(s->channels) + 1, sizeof *m->ch);
	for (size_t i = m->resp_pos; i < s->nresponses; i++) {
		const struct store_response *r = &s->responses[i];
		if (i + STORE_PREFETCH_AHEAD < s->nresponses)
			store_prefetch_customer(s, r[STORE_PREFETCH_AHEAD].customer);
		if (r->survey != SCHEMA_SURVEY_NPS)
			continue;
		int64_t d = parse_day(r->ts);
		if (d < w->day_lo || d > w->day_hi)
			continue;
		uint32_t seg = r->segment != STORE_NONE	 ? r->segment
			       : r->customer != STORE_NONE ? s->customers[r->customer].segment
							   : STORE_NONE;
		if (seg != STORE_NONE)
			m->seg[seg][r->score]++;
		if (r->campaign != STORE_NONE)
			m->ch[s->campaigns[r->campaign].channel][r->score]++;
	}
	m->resp_pos = s->nresponses;
	size_t n0 = m->ncamp;
	m->camp_ch = view_grow_zero(m->camp_ch, &m->ncamp, nc, sizeof *m->camp_ch);
	for (size_t i = n0; i < nc; i++)
		m->camp_ch[i] = s->campaigns[i].channel;
}

/* Churn over the 30 days ending with day d (SPEC 3.4): churn dates on the
 * days (d-30, d] over customers active at the end of day d-30; SPEC counts
 * every churn in the 30 days, including customers who signed up within
 * them (the simple "lost in the month / had at its start" rate). ARPU over
 * customers active at the end of day d. */
static void view_churn(const struct store *s, const struct view_cum *cum, int64_t d,
		       struct view_cx *cx)
{
	struct view_cum_at a0, a1;
	view_cum_get(cum, d - 30, &a0);
	view_cum_get(cum, d, &a1);
	cx->churned_30d = a1.churns - a0.churns;
	cx->active_30d_ago = view_active(&a0);
	cx->churn_rate_monthly = view_share(cx->churned_30d, cx->active_30d_ago);
	cx->retention_rate = 1.0 - cx->churn_rate_monthly;
	/* customers without days (a churn table with a flag and tenure) are
	 * active or churned as their flag says, whatever the window */
	cx->arpu = view_ratio(util_money_value(a1.rin - a1.rout + s->undated_rev),
			      (double)a1.nin - a1.nout + s->n_undated_rev);
	cx->undated_customers = s->n_undated;
	cx->churned_ever = a1.churns + s->n_undated_churned;
	cx->customers_ever = a1.signups + s->n_undated;
	cx->churned_share = view_share(cx->churned_ever, cx->customers_ever);
}

static void view_cx_fill(const struct store *s, const struct config *cfg,
			 const struct view_period *p, const struct store_day *d,
			 const struct view_totals *t, const struct view_nps *nps, uint32_t engaged,
			 const struct view_cum *cum, struct view_cx *cx)
{
	memset(cx, 0, sizeof *cx);
	cx->optout_rate = view_share(t->optouts, t->optout_delivered);
	/* opted-in share is about the customers.csv population as it is now */
	cx->customers = s->n_customers;
	cx->opted_in = s->n_customers - s->n_opted_out;
	cx->opted_in_share = view_ratio(cx->opted_in, cx->customers);
	cx->disengaged = 1.0 - cx->opted_in_share;
	view_churn(s, cum, parse_day(p->end), cx);
	cx->clv = (cx->churn_rate_monthly > 0) ? cx->arpu * cfg->gross_margin / cx->churn_rate_monthly
					       : VIEW_UNDEF;
	cx->csat = view_ratio(d->csat_top2, d->csat_n);
	cx->csat_mean = view_ratio(d->csat_sum, d->csat_n);
	cx->ces = view_ratio(d->ces_sum, d->ces_n);
	cx->ces_easy = view_ratio(d->ces_easy, d->ces_n);
	cx->wrs = nps->wrs;
	cx->engaged = engaged;
	cx->hve = d->hve;
	cx->cev = util_money_value(d->cev);
	cx->cev_per_engaged = view_ratio(cx->cev, cx->engaged);
}

static int view_campaign_cmp(const void *a, const void *b)
{
	const struct view_campaign *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->campaign_id, y->campaign_id);
}

static void view_campaign_rates(struct view_campaign *c)
{
	double del = c->delivered;
	c->open_rate = view_share(c->unique_opens, del);
	c->human_open_rate = view_share(c->human_opens, del);
	c->ctr = view_share(c->unique_clicks, del);
	c->ctor = view_share(c->unique_clicks, c->unique_opens);
	c->optout_rate = view_share(c->optouts, del);
	c->bounce_rate = view_share(c->bounces, del + c->bounces);
	c->complaint_rate = view_share(c->complaints, del);
	c->ctr_base = view_share(c->unique_clicks, c->base);
	c->audience_retained = view_share(c->delivered, c->base);
}

/* Audience base (SPEC 3.1): distinct recipients over all campaigns of the
 * same channel that started no later than this one. Each customer counts
 * from their earliest campaign in the channel, so base(c) is a prefix sum
 * over the channel's campaigns in start order. */
static void view_bases(const struct store *s, struct view *v)
{
	size_t n = v->ncampaigns;
	uint32_t *first = xcalloc(n + 1, sizeof *first);

	if (!s->bases_dirty) {
		for (size_t i = 0; i < n; i++)
			first[i] = s->campaigns[v->campaigns[i].idx].n_first;
	} else if (s->bulk) {
		/* a cold read under way: the bases come at its end (first[]
		 * stays 0, the bases are not known yet) */
	} else {
		/* the store was not settled: the same counts, the slow way */
		int *pos_of = xmalloc((intern_count(s->campaign_ids) + 1) * sizeof *pos_of);
		struct hmap minpos;
		for (uint32_t i = 0; i < intern_count(s->campaign_ids); i++)
			pos_of[i] = -1;
		for (size_t i = 0; i < n; i++)
			pos_of[v->campaigns[i].idx] = (int)i;
		hmap_init(&minpos);
		for (size_t i = 0; i < s->pairs.cap; i++) {
			uint64_t e = s->pairs.e[i];
			if (!e)
				continue;
			uint32_t camp = pairs_campaign(e), cust = pairs_customer(e);
			const struct store_campaign *sc = &s->campaigns[camp];
			int pos = pos_of[camp];
			if (!store_is_recipient(sc, pairs_flags(e)) || pos < 0)
				continue;
			int added;
			uint64_t key = ((uint64_t)sc->channel + 1) << 32 | cust;
			uint32_t *mp = hmap_put(&minpos, key, &added);
			/* positions are stored +1 so that 0 can mean "none yet" */
			if (added || (uint32_t)pos + 1 < *mp)
				*mp = (uint32_t)pos + 1;
		}
		for (size_t i = 0; i < minpos.cap; i++)
			if (minpos.e[i].key)
				first[minpos.e[i].val - 1]++;
		hmap_clear(&minpos);
		free(pos_of);
	}
	/* walk the campaigns in start order keeping a running total per
	 * channel; campaigns that start at the same moment share one base */
	uint32_t nch = intern_count(s->channels);
	uint32_t *running = xcalloc(nch + 1, sizeof *running);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v->campaigns[j].start == v->campaigns[i].start)
			running[s->campaigns[v->campaigns[j].idx].channel] += first[j], j++;
		for (size_t k = i; k < j; k++)
			v->campaigns[k].base = running[s->campaigns[v->campaigns[k].idx].channel];
		i = j;
	}
	free(running);
	free(first);
}

static void view_campaigns(const struct store *s, const struct config *cfg, struct view *v)
{
	uint32_t nc = intern_count(s->campaign_ids);

	v->campaigns = xcalloc(nc ? nc : 1, sizeof *v->campaigns);
	for (uint32_t i = 0; i < nc; i++) {
		const struct store_campaign *sc = &s->campaigns[i];
		if (!store_campaign_present(s, i))
			continue;
		struct view_campaign *c = &v->campaigns[v->ncampaigns++];
		c->idx = i;
		c->campaign_id = intern_str(s->campaign_ids, i);
		c->name = sc->name && *sc->name ? sc->name
			  : *c->campaign_id	? c->campaign_id
						: "(no campaign)";
		c->channel = intern_str(s->channels, sc->channel);
		c->start = store_campaign_start(s, i);
		c->sent = sc->sent;
		c->delivered = store_campaign_delivered(sc);
		c->bounces = sc->n_bounce;
		c->unique_opens = sc->n_open;
		c->human_opens = sc->n_human;
		c->machine_opens = sc->n_open - sc->n_human;
		c->unique_clicks = sc->n_click;
		c->optouts = sc->n_unsub;
		c->complaints = sc->n_complaint;
		c->conversions = sc->conversions;
		c->revenue = util_money_value(sc->revenue);
		c->spend = sc->spend;
		view_nps_from_hist(&c->nps, sc->nps, cfg);
	}
	qsort(v->campaigns, v->ncampaigns, sizeof *v->campaigns, view_campaign_cmp);
	view_bases(s, v);
	for (size_t i = 0; i < v->ncampaigns; i++) {
		struct view_campaign *c = &v->campaigns[i];
		view_campaign_rates(c);
		c->prev = -1;
		for (size_t j = i; j-- > 0;) {
			if (v->campaigns[j].channel == c->channel) {
				c->prev = (int)j;
				break;
			}
		}
	}
}

static int view_in(int64_t start, const struct view_period *p)
{
	if (start == INT64_MAX)
		return 0;
	int64_t d = parse_day(start);
	return d >= p->day_lo && d <= p->day_hi;
}

static void view_totals(const struct view *v, const struct view_period *p, struct view_totals *t,
			int mark)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < v->ncampaigns; i++) {
		struct view_campaign *c = &v->campaigns[i];
		if (!view_in(c->start, p))
			continue;
		if (mark)
			c->in_window = 1;
		t->campaigns++;
		t->delivered += c->delivered;
		if (!isnan(c->open_rate)) {
			t->unique_opens += c->unique_opens;
			t->open_delivered += c->delivered;
		}
		if (!isnan(c->ctr)) {
			t->unique_clicks += c->unique_clicks;
			t->click_delivered += c->delivered;
		}
		if (!isnan(c->optout_rate)) {
			t->optouts += c->optouts;
			t->optout_delivered += c->delivered;
		}
	}
}

static void view_vanity_fill(const struct store_day *d, const struct view_totals *t,
			     const struct view_nps *nps, struct view_vanity *o)
{
	o->impressions = d->awareness_rows ? d->impressions : VIEW_UNDEF;
	o->reach = d->awareness_rows ? d->reach : VIEW_UNDEF;
	o->awareness = view_share(d->aware, d->asked);
	o->open_rate = view_share(t->unique_opens, t->open_delivered);
	o->ctr = view_share(t->unique_clicks, t->click_delivered);
	o->nps = nps->nps;
}

static int view_group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct view_group *)a)->name, ((const struct view_group *)b)->name);
}

/* Segments and channels: NPS of the window's responses per group. */
static void view_groups(const struct store *s, const struct config *cfg, struct view_memo *m,
			struct view *v)
{
	uint32_t nseg = intern_count(s->segments), nch = intern_count(s->channels);

	view_memo_groups(m, s, &v->win);
	uint32_t(*sh)[11] = m->seg, (*ch)[11] = m->ch;
	v->segments = xcalloc(nseg + 1, sizeof *v->segments);
	for (uint32_t i = 0; i < nseg; i++) {
		struct view_group *g = &v->segments[v->nsegments++];
		g->name = intern_str(s->segments, i);
		view_nps_from_hist(&g->nps, sh[i], cfg);
		if (i < m->out_nseg)
			g->outcomes = m->out_seg[i];
	}
	qsort(v->segments, v->nsegments, sizeof *v->segments, view_group_cmp);
	/* a channel is listed when a campaign uses it or a response names it */
	unsigned char *used = xcalloc(nch + 1, 1);
	for (size_t j = 0; j < v->ncampaigns; j++)
		used[s->campaigns[v->campaigns[j].idx].channel] = 1;
	v->channels = xcalloc(nch + 1, sizeof *v->channels);
	for (uint32_t i = 0; i < nch; i++) {
		uint32_t tot = 0;
		for (int k = 0; k <= 10; k++)
			tot += ch[i][k];
		if (!used[i] && !tot)
			continue;
		struct view_group *g = &v->channels[v->nchannels++];
		g->name = intern_str(s->channels, i);
		view_nps_from_hist(&g->nps, ch[i], cfg);
	}
	free(used);
}

static int64_t view_days_from_civil(int y, int m)
{
	char buf[48];
	int64_t ts;
	const char *why;
	snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
	if (parse_timestamp(buf, strlen(buf), &ts, &why) < 0)
		return 0;
	return ts;
}

/* Churn per calendar month, up to 24 months ending with now's month. */
static void view_months(const struct view_cum *cum, struct view *v)
{
	char buf[32];
	int y, m, n = 24;

	if (v->now == INT64_MIN)
		return;
	parse_format_date(v->now, buf, sizeof buf);
	y = atoi(buf);
	m = atoi(buf + 5);
	v->months = xcalloc((size_t)n, sizeof *v->months);
	for (int i = n - 1; i >= 0; i--) {
		int yy = y, mm = m - i;
		while (mm <= 0) {
			mm += 12;
			yy--;
		}
		int64_t d0 = parse_day(view_days_from_civil(yy, mm));
		int64_t d1 = parse_day(view_days_from_civil(mm == 12 ? yy + 1 : yy, mm == 12 ? 1 : mm + 1));
		struct view_cum_at a0, a1;
		/* active at the start of the month = at the end of the day before */
		view_cum_get(cum, d0 - 1, &a0);
		view_cum_get(cum, d1 - 1, &a1);
		uint32_t active = view_active(&a0), churned = a1.churns - a0.churns;
		if (!active && !v->nmonths)
			continue; /* before the first customer */
		struct view_month *vm = &v->months[v->nmonths++];
		vm->year = yy;
		vm->month = mm;
		vm->active_at_start = active;
		vm->churned = churned;
		vm->churn_rate = view_share(churned, active);
	}
}

/* Sparkline points: the window in up to VIEW_SPARK_N runs of whole days. */
static void view_series_periods(struct view *v)
{
	int64_t span = v->win.day_hi - v->win.day_lo + 1;
	int64_t n = span < VIEW_SPARK_N ? span : VIEW_SPARK_N;
	int64_t len = n > 0 ? (span + n - 1) / n : 0;

	if (v->now == INT64_MIN || n <= 0)
		return;
	for (int64_t k = 0; k < n; k++) {
		struct view_point *pt = &v->series[v->nseries++];
		pt->period.days = (int)len;
		pt->period.day_hi = v->win.day_hi - (n - 1 - k) * len;
		pt->period.day_lo = pt->period.day_hi - len + 1;
		pt->period.start = pt->period.day_lo * DAY;
		pt->period.end = k == n - 1 ? v->now : pt->period.day_hi * DAY + DAY - 1;
	}
}

static void view_series(const struct store *s, const struct config *cfg, const struct view_cum *cum,
			const uint32_t *engaged, struct view *v)
{
	for (size_t k = 0; k < v->nseries; k++) {
		struct view_point *pt = &v->series[k];
		struct view_totals t;
		struct view_nps nps;
		struct store_day d;
		view_totals(v, &pt->period, &t, 0);
		view_days(s, &pt->period, &d);
		view_nps_from_hist(&nps, d.nps, cfg);
		pt->response_rate = view_share(nps.n, d.survey_sent);
		view_vanity_fill(&d, &t, &nps, &pt->vanity);
		view_cx_fill(s, cfg, &pt->period, &d, &t, &nps, engaged[k], cum, &pt->cx);
	}
}

/* ---- build ------------------------------------------------------------- */

static void view_own_strings(struct view *v);

struct view *view_build(const struct store *s, const struct config *cfg, int window_days,
			int64_t now)
{
	return view_build_memo(s, cfg, window_days, now, NULL);
}

struct view *view_build_memo(const struct store *s, const struct config *cfg, int window_days,
			     int64_t now, struct view_memo *memo)
{
	struct view *v = xcalloc(1, sizeof *v);
	/* without a memo, a fresh one: the same code path, so a build with a
	 * memo cannot drift from one without */
	struct view_memo *m = memo ? memo : view_memo_new();
	struct store_day d, dp;

	v->now = now == INT64_MIN ? store_now(s) : now;
	int64_t now_day = v->now == INT64_MIN ? 0 : parse_day(v->now);
	int64_t first = store_first(s);
	int64_t lo = first == INT64_MAX ? now_day : parse_day(first);
	view_period(&v->win, window_days, now_day, lo < now_day ? lo : now_day, v->now);
	v->has_prev = window_days > 0;
	view_period(&v->prev, window_days, now_day - window_days, 0, v->win.start - 1);
	if (!v->has_prev)
		memset(&v->prev, 0, sizeof v->prev);

	view_campaigns(s, cfg, v);
	/* campaigns that start before the first day bucket still count in "all" */
	if (!window_days) {
		for (size_t i = 0; i < v->ncampaigns; i++)
			if (v->campaigns[i].start != INT64_MAX &&
			    parse_day(v->campaigns[i].start) < v->win.day_lo)
				v->win.day_lo = parse_day(v->campaigns[i].start);
		v->win.start = v->win.day_lo * DAY;
	}
	view_series_periods(v);
	/* engaged customers of every period in one walk: the window, the
	 * previous window, then the sparkline points */
	const struct view_period *periods[VIEW_NP];
	uint32_t engaged[VIEW_NP];
	size_t np = 0;
	periods[np++] = &v->win;
	periods[np++] = &v->prev; /* empty days range when there is none */
	for (size_t k = 0; k < v->nseries; k++)
		periods[np++] = &v->series[k].period;
	if (!v->has_prev)
		v->prev.day_lo = 1, v->prev.day_hi = 0;
	if (m->s != s || m->clears != s->clears) {
		m->eng_ok = m->grp_ok = m->coh_ok = 0;
		m->s = s;
		m->clears = s->clears;
	}
	view_memo_engaged(m, s, periods, np, engaged);
	if (!v->has_prev)
		memset(&v->prev, 0, sizeof v->prev);
	struct view_cum cum;
	view_cum_build(s, &cum);

	view_totals(v, &v->win, &v->totals, 1);
	view_days(s, &v->win, &d);
	view_nps_from_hist(&v->nps, d.nps, cfg);
	v->nps.response_rate = view_share(v->nps.n, d.survey_sent);
	view_vanity_fill(&d, &v->totals, &v->nps, &v->vanity);
	view_cx_fill(s, cfg, &v->win, &d, &v->totals, &v->nps, engaged[0], &cum, &v->cx);
	if (v->has_prev) {
		view_totals(v, &v->prev, &v->totals_prev, 0);
		view_days(s, &v->prev, &dp);
		view_nps_from_hist(&v->nps_prev, dp.nps, cfg);
		v->nps_prev.response_rate = view_share(v->nps_prev.n, dp.survey_sent);
		view_vanity_fill(&dp, &v->totals_prev, &v->nps_prev, &v->vanity_prev);
		view_cx_fill(s, cfg, &v->prev, &dp, &v->totals_prev, &v->nps_prev, engaged[1], &cum,
			     &v->cx_prev);
	}
	v->nps_change = v->nps_change_moe = VIEW_UNDEF;
	if (v->has_prev && v->nps.n && v->nps_prev.n) {
		v->nps_change = v->nps.nps - v->nps_prev.nps;
		v->nps_change_moe = sqrt(v->nps.nps_moe95 * v->nps.nps_moe95 +
					 v->nps_prev.nps_moe95 * v->nps_prev.nps_moe95);
	}
	view_memo_outcomes(m, s, &v->win);
	v->outcomes = *m->out_all;
	view_groups(s, cfg, m, v);
	/* per campaign, parallel to v->campaigns, where any respondent is */
	for (size_t i = 0; i < v->ncampaigns; i++) {
		uint32_t k = v->campaigns[i].idx;
		if (k >= m->out_ncamp)
			continue;
		uint32_t r = 0;
		for (int b = 0; b < OUTCOME_NBANDS; b++)
			r += m->out_camp[k].band[b].respondents;
		if (!r)
			continue;
		if (!v->campaign_outcomes)
			v->campaign_outcomes = xcalloc(v->ncampaigns, sizeof *v->campaign_outcomes);
		v->campaign_outcomes[i] = m->out_camp[k];
	}
	view_memo_cohorts(m, s, v->now);
	memcpy(v->cohorts, m->coh, m->ncoh * sizeof *m->coh);
	v->ncohorts = m->ncoh;
	if (!memo)
		view_memo_free(m);
	view_months(&cum, v);
	view_series(s, cfg, &cum, engaged + 2, v);
	view_cum_free(&cum);
	view_own_strings(v);
	return v;
}

/* Copy every string the view borrows from the store into one block the
 * view owns, so that a view stays valid while the store keeps changing (the
 * screens hold a paused view while ingestion goes on). */
static void view_own_strings(struct view *v)
{
	size_t need = 0, off = 0;
#define VIEW_LEN(p) (need += strlen(p) + 1)
	for (size_t i = 0; i < v->ncampaigns; i++) {
		VIEW_LEN(v->campaigns[i].campaign_id);
		VIEW_LEN(v->campaigns[i].name);
		VIEW_LEN(v->campaigns[i].channel);
	}
	for (size_t i = 0; i < v->nsegments; i++)
		VIEW_LEN(v->segments[i].name);
	for (size_t i = 0; i < v->nchannels; i++)
		VIEW_LEN(v->channels[i].name);
#undef VIEW_LEN
	v->strings = xmalloc(need + 1);
#define VIEW_OWN(p)                                   \
	do {                                          \
		size_t l_ = strlen(p) + 1;            \
		memcpy(v->strings + off, (p), l_);    \
		(p) = v->strings + off;               \
		off += l_;                            \
	} while (0)
	for (size_t i = 0; i < v->ncampaigns; i++) {
		VIEW_OWN(v->campaigns[i].campaign_id);
		VIEW_OWN(v->campaigns[i].name);
		VIEW_OWN(v->campaigns[i].channel);
	}
	for (size_t i = 0; i < v->nsegments; i++)
		VIEW_OWN(v->segments[i].name);
	for (size_t i = 0; i < v->nchannels; i++)
		VIEW_OWN(v->channels[i].name);
#undef VIEW_OWN
}

void view_free(struct view *v)
{
	if (!v)
		return;
	free(v->strings);
	free(v->campaigns);
	free(v->segments);
	free(v->channels);
	free(v->alerts);
	free(v->months);
	free(v->campaign_outcomes);
	free(v);
}

static int view_response_cmp(const void *a, const void *b)
{
	const struct view_response *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->customer, y->customer);
}

size_t view_responses(const struct store *s, const char *campaign_id, int score, int64_t day_lo,
		      int64_t day_hi, struct view_response **out)
{
	uint32_t camp = STORE_NONE;
	size_t n = 0, cap = 0;
	struct view_response *r = NULL;

	if (campaign_id) {
		camp = intern_find(s->campaign_ids, campaign_id, strlen(campaign_id));
		if (camp == STORE_NONE) {
			*out = NULL;
			return 0;
		}
	}
	for (size_t i = 0; i < s->nresponses; i++) {
		const struct store_response *sr = &s->responses[i];
		if (sr->survey != SCHEMA_SURVEY_NPS || (score >= 0 && sr->score != score) ||
		    (campaign_id && sr->campaign != camp))
			continue;
		int64_t d = parse_day(sr->ts);
		if (d < day_lo || d > day_hi)
			continue;
		r = xgrow(r, &cap, n + 1, sizeof *r);
		r[n].ts = sr->ts;
		r[n].score = sr->score;
		r[n].customer = xstrdup(sr->customer == STORE_NONE
						? ""
						: intern_str(s->customer_ids, sr->customer));
		r[n].known = r[n].churned = r[n].opted_out = r[n].converted = 0;
		if (sr->customer != STORE_NONE && s->customers[sr->customer].in_csv) {
			const struct store_customer *cu = &s->customers[sr->customer];
			r[n].known = 1;
			r[n].churned = cu->has_churn ? parse_day(cu->churn) >= parse_day(sr->ts)
						     : cu->undated && cu->churned;
			r[n].opted_out = cu->last_unsub != INT64_MIN && cu->last_unsub >= sr->ts;
			r[n].converted = cu->last_conv != INT64_MIN && cu->last_conv > sr->ts;
		}
		r[n].campaign = xstrdup(sr->campaign == STORE_NONE
						? ""
						: intern_str(s->campaign_ids, sr->campaign));
		r[n].comment = xstrdup(store_comment(s, sr));
		n++;
	}
	if (n)
		qsort(r, n, sizeof *r, view_response_cmp);
	*out = r;
	return n;
}

void view_responses_free(struct view_response *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].customer);
		free(r[i].campaign);
		free(r[i].comment);
	}
	free(r);
}
