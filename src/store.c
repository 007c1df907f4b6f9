/* store: folds records into aggregates (see include/cxtop/store.h).
 *
 * Invariant: every counter equals what a full recomputation over the
 * records applied since the last store_clear of their kind would give, in
 * any arrival order — each distinct-customer counter moves exactly when its
 * flag is first set (and n_sent_ok also when a bounce arrives after the
 * send). This is what lets the file follower feed rows in any batch sizes. */
#include "cxtop/store.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

struct store *store_new(unsigned engaged_mask, unsigned hve_mask)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->engaged_mask = engaged_mask;
	s->hve_mask = hve_mask;
	s->customer_ids = intern_new();
	s->campaign_ids = intern_new();
	s->segments = intern_new();
	s->channels = intern_new();
	intern_add(s->channels, "email", 5); /* index 0: the default channel */
	s->last_campaign = STORE_NONE;
	pairs_init(&s->pairs);
	hmap_init(&s->engaged);
	hmap_init(&s->owners);
	s->responses_sorted = 1;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++) {
		s->max_ts[k] = INT64_MIN;
		s->min_ts[k] = INT64_MAX;
	}
	s->comments = xmalloc(1);
	s->comments[0] = '\0';
	s->comments_len = s->comments_cap = 1;
	return s;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < intern_count(s->campaign_ids); i++)
		free(s->campaigns[i].name);
	free(s->campaigns);
	xfree_table(s->customers);
	intern_free(s->customer_ids);
	intern_free(s->campaign_ids);
	intern_free(s->segments);
	intern_free(s->channels);
	pairs_clear(&s->pairs);
	hmap_clear(&s->engaged);
	hmap_clear(&s->owners);
	for (size_t i = 0; i < s->ndays; i++)
		free(s->days[i].eng);
	free(s->days);
	xfree_table(s->responses);
	free(s->comments);
	free(s->optout_log);
	free(s->outcome_log);
	free(s);
}

static uint32_t store_campaign_id(struct store *s, const char *id)
{
	/* exports are usually grouped by campaign: most rows repeat the last */
	if (s->last_campaign != STORE_NONE &&
	    strcmp(intern_str(s->campaign_ids, s->last_campaign), id) == 0)
		return s->last_campaign;
	uint32_t before = intern_count(s->campaign_ids);
	uint32_t c = intern_add(s->campaign_ids, id, strlen(id));
	if (c == before) {
		s->campaigns = xgrow(s->campaigns, &s->campaigns_cap, c + 1, sizeof *s->campaigns);
		memset(&s->campaigns[c], 0, sizeof s->campaigns[c]);
		s->campaigns[c].first_ts = INT64_MAX;
	}
	s->last_campaign = c;
	return c;
}

/* The index of customer id (n bytes, hash h = util_hash), added if new. */
static uint32_t store_customer_hashed(struct store *s, uint64_t h, const char *id, size_t n)
{
	uint32_t before = intern_count(s->customer_ids);
	uint32_t c = intern_add_hashed(s->customer_ids, h, id, n);
	if (c == before) {
		s->customers = xgrow_table(s->customers, &s->customers_cap, c + 1, sizeof *s->customers);
		memset(&s->customers[c], 0, sizeof s->customers[c]);
		s->customers[c].segment = STORE_NONE;
		s->customers[c].opted_in = 1;
		s->customers[c].last_unsub = s->customers[c].last_conv = INT64_MIN;
	}
	return c;
}

static uint32_t store_customer_id(struct store *s, const char *id)
{
	size_t n = strlen(id);
	return store_customer_hashed(s, util_hash(id, n), id, n);
}

static uint32_t store_segment_id(struct store *s, const char *seg)
{
	if (!*seg)
		return STORE_NONE;
	return intern_add(s->segments, seg, strlen(seg));
}

/* The day bucket of ts, growing the day array in either direction. */
static struct store_day *store_day(struct store *s, int64_t ts)
{
	int64_t d = parse_day(ts);
	if (!s->ndays) {
		s->days = xcalloc(1, sizeof *s->days);
		s->day_lo = d;
		s->ndays = 1;
	} else if (d < s->day_lo) {
		size_t add = (size_t)(s->day_lo - d);
		struct store_day *n = xcalloc(s->ndays + add, sizeof *n);
		memcpy(n + add, s->days, s->ndays * sizeof *n);
		free(s->days);
		s->days = n;
		s->ndays += add;
		s->day_lo = d;
	} else if (d >= s->day_lo + (int64_t)s->ndays) {
		size_t nd = (size_t)(d - s->day_lo) + 1;
		s->days = xrealloc(s->days, nd * sizeof *s->days);
		memset(s->days + s->ndays, 0, (nd - s->ndays) * sizeof *s->days);
		s->ndays = nd;
	}
	return &s->days[d - s->day_lo];
}

const struct store_day *store_day_get(const struct store *s, int64_t d)
{
	if (!s->ndays || d < s->day_lo || d >= s->day_lo + (int64_t)s->ndays)
		return NULL;
	return &s->days[d - s->day_lo];
}

static void store_see_ts(struct store *s, int kind, int64_t ts)
{
	if (ts > s->max_ts[kind])
		s->max_ts[kind] = ts;
	if (ts < s->min_ts[kind])
		s->min_ts[kind] = ts;
}

int store_is_recipient(const struct store_campaign *c, uint32_t fl)
{
	return c->n_delivered ? (fl & STORE_F_DELIVERED) != 0
			      : (fl & STORE_F_SENT) && !(fl & STORE_F_BOUNCE);
}

/* Customer cust became a recipient of campaign c: it owns the customer's
 * (channel, customer) entry if it starts before the current owner. */
static void store_recipient_gain(struct store *s, uint32_t c, uint32_t cust)
{
	struct store_campaign *sc = &s->campaigns[c];
	int added;
	uint32_t *own = hmap_put(&s->owners, ((uint64_t)sc->channel + 1) << 32 | cust, &added);
	if (added) {
		*own = c + 1;
		sc->n_first++;
		return;
	}
	uint32_t o = *own - 1;
	if (o != c && store_campaign_start(s, c) < store_campaign_start(s, o)) {
		s->campaigns[o].n_first--;
		sc->n_first++;
		*own = c + 1;
	}
}

/* A customer's opted-out status as opted_in_share counts it. */
static int store_opted_out(const struct store_customer *c)
{
	return c->in_csv && (!c->opted_in || c->unsubscribed);
}

/* Customer cust's opted-out status may have changed (see store.optout_log). */
static void store_optout_changed(struct store *s, uint32_t cust)
{
	s->optout_log = xgrow(s->optout_log, &s->optout_log_cap, s->optout_log_n + 1,
			      sizeof *s->optout_log);
	s->optout_log[s->optout_log_n++] = cust;
}

/* cust_hint, camp_hint: the customer's and campaign's index when the
 * caller already looked them up (store_apply_batch), else UINT32_MAX
 * (store_response and store_customer take cust_hint too). */
static void store_event(struct store *s, const struct record *r, uint32_t cust_hint,
			uint32_t camp_hint)
{
	uint32_t cust = cust_hint != UINT32_MAX ? cust_hint : store_customer_id(s, r->customer);
	int e = r->event;

	store_see_ts(s, SCHEMA_EVENTS, r->ts);
	if (e == SCHEMA_EV_UNSUBSCRIBE || e == SCHEMA_EV_CONVERSION) {
		int64_t *last = e == SCHEMA_EV_UNSUBSCRIBE ? &s->customers[cust].last_unsub
							   : &s->customers[cust].last_conv;
		if (r->ts > *last) {
			*last = r->ts;
			s->outcome_gen++;
			s->outcome_log = xgrow(s->outcome_log, &s->outcome_log_cap,
					       s->outcome_log_n + 1, sizeof *s->outcome_log);
			s->outcome_log[s->outcome_log_n++] = cust;
		}
	}
	if (e == SCHEMA_EV_UNSUBSCRIBE && !s->customers[cust].unsubscribed) {
		int was = store_opted_out(&s->customers[cust]);
		s->customers[cust].unsubscribed = 1;
		if (!was && store_opted_out(&s->customers[cust]))
			s->n_opted_out++;
		store_optout_changed(s, cust);
	}
	if (s->engaged_mask & (1u << e)) {
		int added;
		uint64_t key = ((uint64_t)cust + 1) << 32 | (uint32_t)parse_day(r->ts);
		hmap_put(&s->engaged, key, &added);
		if (added) {
			struct store_day *d = store_day(s, r->ts);
			d->eng = xgrow(d->eng, &d->eng_cap, d->eng_n + 1, sizeof *d->eng);
			d->eng[d->eng_n++] = cust;
		}
	}
	if (e == SCHEMA_EV_SURVEY_SENT)
		store_day(s, r->ts)->survey_sent++;
	if (s->hve_mask & (1u << e)) {
		struct store_day *d = store_day(s, r->ts);
		d->hve++;
		if (r->has_value)
			d->cev = util_money_add(d->cev, util_money_of(r->value));
	}
	if (!*r->campaign && e == SCHEMA_EV_SURVEY_SENT)
		return; /* a survey invitation outside any campaign */
	/* any other event without a campaign id (an automation flow's e-mail,
	 * an order nobody attributed) counts in the campaign "" that the view
	 * calls "(no campaign)": its funnel is real mail, and the window totals
	 * include it as they include every campaign */

	uint32_t c = camp_hint != UINT32_MAX ? camp_hint : store_campaign_id(s, r->campaign);
	struct store_campaign *sc = &s->campaigns[c];
	int added;

	sc->events++;
	if (r->ts < sc->first_ts) {
		/* an earlier event moves the start of a campaign without a
		 * start_date: who received which campaign first may change */
		if (!sc->has_start_csv && (sc->n_delivered || sc->n_sent_ok))
			s->bases_dirty = 1;
		sc->first_ts = r->ts;
	}
	if (e == SCHEMA_EV_CONVERSION || e == SCHEMA_EV_SURVEY_SENT) {
		/* no flag of the pair: its entry is not needed (nor made) */
		if (e == SCHEMA_EV_CONVERSION) {
			sc->conversions++;
			if (r->has_value)
				sc->revenue = util_money_add(sc->revenue, util_money_of(r->value));
		}
		return;
	}
	uint64_t *fl = pairs_put(&s->pairs, c, cust, &added);
	unsigned old = pairs_flags(*fl);
	switch (e) {
	case SCHEMA_EV_SENT:
		sc->sent++;
		pairs_set(fl, STORE_F_SENT);
		if (!(old & STORE_F_SENT) && !(old & STORE_F_BOUNCE)) {
			sc->n_sent_ok++;
			if (!sc->n_delivered)
				store_recipient_gain(s, c, cust);
		}
		break;
	case SCHEMA_EV_DELIVERED:
		pairs_set(fl, STORE_F_DELIVERED);
		if (!(old & STORE_F_DELIVERED)) {
			/* the first delivered event switches the campaign from
			 * sent-without-bounce recipients to delivered ones */
			if (!sc->n_delivered && sc->n_sent_ok)
				s->bases_dirty = 1;
			sc->n_delivered++;
			if (!s->bases_dirty)
				store_recipient_gain(s, c, cust);
		}
		break;
	case SCHEMA_EV_OPEN:
		if (!(old & STORE_F_OPEN))
			sc->n_open++;
		pairs_set(fl, STORE_F_OPEN);
		if (!r->machine) {
			if (!(old & STORE_F_HUMAN))
				sc->n_human++;
			pairs_set(fl, STORE_F_HUMAN);
		}
		break;
	case SCHEMA_EV_CLICK:
		if (!(old & STORE_F_CLICK))
			sc->n_click++;
		pairs_set(fl, STORE_F_CLICK);
		break;
	case SCHEMA_EV_UNSUBSCRIBE:
		if (!(old & STORE_F_UNSUB))
			sc->n_unsub++;
		pairs_set(fl, STORE_F_UNSUB);
		break;
	case SCHEMA_EV_BOUNCE:
		if (!(old & STORE_F_BOUNCE)) {
			sc->n_bounce++;
			if (old & STORE_F_SENT) {
				sc->n_sent_ok--;
				if (!sc->n_delivered)
					s->bases_dirty = 1; /* a recipient lost */
			}
		}
		pairs_set(fl, STORE_F_BOUNCE);
		break;
	case SCHEMA_EV_COMPLAINT:
		if (!(old & STORE_F_COMPLAINT))
			sc->n_complaint++;
		pairs_set(fl, STORE_F_COMPLAINT);
		break;
	default:
		break;
	}
}

static uint32_t store_comment_add(struct store *s, const char *text)
{
	size_t n = strlen(text);
	if (!n)
		return 0;
	if (s->comments_len + n + 1 > UINT32_MAX)
		return 0; /* beyond 4 GiB of comments, keep counting without text */
	s->comments = xgrow(s->comments, &s->comments_cap, s->comments_len + n + 1, 1);
	uint32_t off = (uint32_t)s->comments_len;
	memcpy(s->comments + off, text, n + 1);
	s->comments_len += n + 1;
	return off;
}

static void store_response(struct store *s, const struct record *r, uint32_t cust_hint)
{
	struct store_day *d = store_day(s, r->ts);
	struct store_response *sr;

	if (s->nresponses && r->ts < s->responses[s->nresponses - 1].ts)
		s->responses_sorted = 0;
	store_see_ts(s, SCHEMA_RESPONSES, r->ts);
	switch (r->survey) {
	case SCHEMA_SURVEY_NPS:
		d->nps[r->score]++;
		break;
	case SCHEMA_SURVEY_CSAT:
		d->csat_n++;
		d->csat_sum += (uint32_t)r->score;
		d->csat_top2 += r->score >= 4;
		break;
	case SCHEMA_SURVEY_CES:
		d->ces_n++;
		d->ces_sum += (uint32_t)r->score;
		d->ces_easy += r->score >= 5;
		break;
	}
	s->responses = xgrow_table(s->responses, &s->responses_cap, s->nresponses + 1, sizeof *sr);
	sr = &s->responses[s->nresponses++];
	memset(sr->pad, 0, sizeof sr->pad);
	sr->ts = r->ts;
	if (r->survey == SCHEMA_SURVEY_NPS)
		s->outcome_gen++;
	/* an anonymous answer has no customer (STORE_NONE): no joins */
	sr->customer = cust_hint != UINT32_MAX ? cust_hint
		       : *r->customer		? store_customer_id(s, r->customer)
						: STORE_NONE;
	sr->campaign = STORE_NONE;
	if (*r->campaign) {
		sr->campaign = store_campaign_id(s, r->campaign);
		if (r->survey == SCHEMA_SURVEY_NPS)
			s->campaigns[sr->campaign].nps[r->score]++;
	}
	sr->segment = store_segment_id(s, r->segment);
	sr->comment = store_comment_add(s, r->comment);
	sr->survey = (uint8_t)r->survey;
	sr->score = (uint8_t)r->score;
}

/* Add (sign = 1) or take back (-1) a customer's part of the day sums and
 * counters; a customer listed twice in customers.csv counts once, as its
 * last row says. */
static void store_customer_count(struct store *s, const struct store_customer *c, int sign)
{
	s->n_customers += (uint32_t)sign;
	if (store_opted_out(c))
		s->n_opted_out += (uint32_t)sign;
	if (c->undated) {
		s->n_undated += (uint32_t)sign;
		if (c->churned) {
			s->n_undated_churned += (uint32_t)sign;
		} else if (c->has_revenue) {
			s->n_undated_rev += (uint32_t)sign;
			s->undated_rev = util_money_add(s->undated_rev, sign * util_money_of(c->revenue));
		}
		return;
	}
	struct store_day *d = store_day(s, c->signup);
	d->signups += (uint32_t)sign;
	if (c->has_revenue) {
		d->nrev_in += (uint32_t)sign;
		d->rev_in = util_money_add(d->rev_in, sign * util_money_of(c->revenue));
	}
	if (c->has_churn) {
		d = store_day(s, c->churn);
		d->churns += (uint32_t)sign;
		if (c->has_revenue) {
			d->nrev_out += (uint32_t)sign;
			d->rev_out = util_money_add(d->rev_out, sign * util_money_of(c->revenue));
		}
	}
}

static void store_customer(struct store *s, const struct record *r, uint32_t cust_hint)
{
	uint32_t c = cust_hint != UINT32_MAX ? cust_hint : store_customer_id(s, r->customer);
	struct store_customer *sc = &s->customers[c];
	uint32_t seg0 = sc->segment;
	s->outcome_gen++;
	s->customers_gen++;
	/* opted out by customers.csv before and now (opted_in "no") */
	int out0 = sc->in_csv && !sc->opted_in, out1 = !r->opted_in;
	if (sc->in_csv)
		store_customer_count(s, sc, -1);
	sc->in_csv = 1;
	sc->signup = r->signup;
	sc->has_churn = (uint8_t)r->has_churn;
	/* the monthly rates need a signup day and, for a churned customer, a
	 * churn day; without them the customer counts apart */
	sc->undated = (uint8_t)(!r->has_signup || (r->churned && !r->has_churn));
	sc->churned = (uint8_t)r->churned;
	sc->churn = r->churn;
	sc->segment = store_segment_id(s, r->segment);
	sc->opted_in = (uint8_t)r->opted_in;
	if (sc->segment != seg0)
		s->segment_moves++;
	if (out0 != out1)
		store_optout_changed(s, c);
	sc->has_revenue = (uint8_t)r->has_revenue;
	sc->revenue = r->revenue;
	store_customer_count(s, sc, 1);
}

static uint32_t store_channel_id(struct store *s, const char *ch)
{
	char low[64];
	size_t n = 0;
	if (!*ch)
		return 0;
	/* channels compare case-insensitively: "Email" and "email" are one */
	for (; ch[n] && n < sizeof low - 1; n++)
		low[n] = (ch[n] >= 'A' && ch[n] <= 'Z') ? (char)(ch[n] + 32) : ch[n];
	return intern_add(s->channels, low, n);
}

static void store_campaign_row(struct store *s, const struct record *r)
{
	uint32_t c = store_campaign_id(s, r->campaign);
	struct store_campaign *sc = &s->campaigns[c];
	int64_t start0 = store_campaign_start(s, c);
	uint32_t ch0 = sc->channel;
	sc->in_csv = 1;
	free(sc->name);
	sc->name = xstrdup(r->name);
	sc->channel = store_channel_id(s, r->channel);
	sc->has_start_csv = r->has_start;
	sc->start_csv = r->start;
	sc->spend = r->spend;
	if ((sc->n_delivered || sc->n_sent_ok) &&
	    (sc->channel != ch0 || store_campaign_start(s, c) != start0))
		s->bases_dirty = 1;
}

static void store_awareness(struct store *s, const struct record *r)
{
	struct store_day *d = store_day(s, r->ts);
	store_see_ts(s, SCHEMA_AWARENESS, r->ts);
	d->awareness_rows++;
	d->impressions += r->impressions;
	d->reach += r->reach;
	if (r->has_brand) {
		d->aware += r->aware;
		d->asked += r->asked;
	}
}

static void store_apply_hinted(struct store *s, const struct record *r, uint32_t cust_hint,
			       uint32_t camp_hint)
{
	s->generation++;
	switch (r->kind) {
	case SCHEMA_EVENTS:
		store_event(s, r, cust_hint, camp_hint);
		break;
	case SCHEMA_RESPONSES:
		store_response(s, r, cust_hint);
		break;
	case SCHEMA_CUSTOMERS:
		store_customer(s, r, cust_hint);
		break;
	case SCHEMA_CAMPAIGNS:
		store_campaign_row(s, r);
		break;
	case SCHEMA_AWARENESS:
		store_awareness(s, r);
		break;
	}
}

void store_apply(struct store *s, const struct record *r)
{
	store_apply_hinted(s, r, UINT32_MAX, UINT32_MAX);
}

void store_clear(struct store *s, int kind)
{
	uint32_t nc = intern_count(s->campaign_ids), nu = intern_count(s->customer_ids);

	s->generation++;
	s->clears++;
	s->outcome_gen++;
	s->customers_gen++;
	s->optout_log_n = 0; /* caches start over after a clear */
	s->outcome_log_n = 0;
	s->max_ts[kind] = INT64_MIN;
	s->min_ts[kind] = INT64_MAX;
	switch (kind) {
	case SCHEMA_EVENTS:
		pairs_clear(&s->pairs);
		hmap_clear(&s->engaged);
		hmap_clear(&s->owners);
		s->bases_dirty = 0;
		for (uint32_t i = 0; i < nc; i++) {
			struct store_campaign *c = &s->campaigns[i];
			uint32_t nps[11];
			memcpy(nps, c->nps, sizeof nps);
			int in_csv = c->in_csv, has = c->has_start_csv;
			char *name = c->name;
			uint32_t ch = c->channel;
			int64_t st = c->start_csv;
			double spend = c->spend;
			memset(c, 0, sizeof *c);
			c->first_ts = INT64_MAX;
			memcpy(c->nps, nps, sizeof nps);
			c->in_csv = in_csv;
			c->has_start_csv = has;
			c->name = name;
			c->channel = ch;
			c->start_csv = st;
			c->spend = spend;
		}
		s->n_opted_out = 0;
		for (uint32_t i = 0; i < nu; i++) {
			s->customers[i].unsubscribed = 0;
			s->customers[i].last_unsub = s->customers[i].last_conv = INT64_MIN;
			s->n_opted_out += (uint32_t)store_opted_out(&s->customers[i]);
		}
		for (size_t i = 0; i < s->ndays; i++) {
			s->days[i].survey_sent = 0;
			s->days[i].hve = 0;
			s->days[i].cev = 0;
			free(s->days[i].eng);
			s->days[i].eng = NULL;
			s->days[i].eng_n = 0;
			s->days[i].eng_cap = 0;
		}
		break;
	case SCHEMA_RESPONSES:
		for (uint32_t i = 0; i < nc; i++)
			memset(s->campaigns[i].nps, 0, sizeof s->campaigns[i].nps);
		for (size_t i = 0; i < s->ndays; i++) {
			struct store_day *d = &s->days[i];
			memset(d->nps, 0, sizeof d->nps);
			d->csat_n = d->csat_top2 = d->csat_sum = 0;
			d->ces_n = d->ces_easy = d->ces_sum = 0;
		}
		s->nresponses = 0;
		s->comments_len = 1;
		s->responses_sorted = 1;
		break;
	case SCHEMA_CUSTOMERS:
		for (uint32_t i = 0; i < nu; i++) {
			struct store_customer *c = &s->customers[i];
			uint8_t unsub = c->unsubscribed;
			int64_t lu = c->last_unsub, lc = c->last_conv;
			memset(c, 0, sizeof *c);
			c->segment = STORE_NONE;
			c->opted_in = 1;
			c->unsubscribed = unsub;
			c->last_unsub = lu;
			c->last_conv = lc;
		}
		for (size_t i = 0; i < s->ndays; i++) {
			struct store_day *d = &s->days[i];
			d->signups = d->churns = d->nrev_in = d->nrev_out = 0;
			d->rev_in = d->rev_out = 0;
		}
		s->n_customers = s->n_opted_out = 0;
		s->n_undated = s->n_undated_churned = s->n_undated_rev = 0;
		s->undated_rev = 0;
		break;
	case SCHEMA_CAMPAIGNS:
		for (uint32_t i = 0; i < nc; i++) {
			struct store_campaign *c = &s->campaigns[i];
			free(c->name);
			c->name = NULL;
			c->in_csv = 0;
			c->channel = 0;
			c->has_start_csv = 0;
			c->spend = 0;
		}
		s->bases_dirty = s->pairs.count > 0;
		break;
	case SCHEMA_AWARENESS:
		for (size_t i = 0; i < s->ndays; i++) {
			struct store_day *d = &s->days[i];
			d->impressions = d->reach = d->aware = d->asked = 0;
			d->awareness_rows = 0;
		}
		break;
	}
}

int64_t store_now(const struct store *s)
{
	int64_t now = INT64_MIN;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		if (s->max_ts[k] > now)
			now = s->max_ts[k];
	return now;
}

int64_t store_first(const struct store *s)
{
	int64_t first = INT64_MAX;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		if (s->min_ts[k] < first)
			first = s->min_ts[k];
	return first;
}

int64_t store_campaign_start(const struct store *s, uint32_t c)
{
	const struct store_campaign *sc = &s->campaigns[c];
	return sc->has_start_csv ? sc->start_csv : sc->first_ts;
}

int store_campaign_present(const struct store *s, uint32_t c)
{
	const struct store_campaign *sc = &s->campaigns[c];
	if (sc->in_csv || sc->events)
		return 1;
	for (int i = 0; i < 11; i++)
		if (sc->nps[i])
			return 1;
	return 0;
}

uint32_t store_campaign_delivered(const struct store_campaign *c)
{
	return c->n_delivered ? c->n_delivered : c->n_sent_ok;
}

const char *store_comment(const struct store *s, const struct store_response *r)
{
	return s->comments + r->comment;
}

int store_settle_step(struct store *s, size_t budget)
{
	if (!s->bases_dirty)
		return 1;
	if (!s->settling || s->settle_gen != s->generation) {
		/* rows that keep coming between steps would start it again
		 * for ever (and ingest holds their change until it ends):
		 * the third start goes through in one */
		if (s->settling && ++s->settle_restarts >= 3)
			budget = SIZE_MAX;
		uint32_t nc = intern_count(s->campaign_ids);
		hmap_clear(&s->owners);
		for (uint32_t i = 0; i < nc; i++)
			s->campaigns[i].n_first = 0;
		s->settle_pos = 0;
		s->settle_gen = s->generation;
		s->settling = 1;
	}
	size_t end = s->pairs.cap - s->settle_pos > budget ? s->settle_pos + budget : s->pairs.cap;
	for (size_t i = s->settle_pos; i < end; i++) {
		uint64_t e = s->pairs.e[i];
		if (!e)
			continue;
		uint32_t c = pairs_campaign(e);
		if (store_is_recipient(&s->campaigns[c], pairs_flags(e)))
			store_recipient_gain(s, c, pairs_customer(e));
	}
	s->settle_pos = end;
	if (end < s->pairs.cap)
		return 0;
	s->bases_dirty = 0;
	s->settling = 0;
	s->settle_restarts = 0;
	return 1;
}

void store_settle(struct store *s)
{
	store_settle_step(s, SIZE_MAX);
}

void store_bulk(struct store *s, int on)
{
	s->bulk = on;
}

void store_reserve_pairs(struct store *s, size_t n)
{
	pairs_reserve(&s->pairs, n);
}

/* A customer's latest unsubscribe or conversion moved (store_event's
 * rule, for a seed). */
static void store_outcome_at(struct store *s, uint32_t cust, int64_t *last, int64_t ts)
{
	if (ts == INT64_MIN || ts <= *last)
		return;
	*last = ts;
	s->outcome_gen++;
	s->outcome_log = xgrow(s->outcome_log, &s->outcome_log_cap, s->outcome_log_n + 1,
			       sizeof *s->outcome_log);
	s->outcome_log[s->outcome_log_n++] = cust;
}

/* Rows a batch hints at once (store_apply_batch, store_seed_pairs). */
#define STORE_BATCH_MAX 256

/* store_seed_pair with the customer's and the campaign's indices known. */
static void store_seed_pair_at(struct store *s, const struct store_seed_pair *x, uint32_t cust,
			       uint32_t c)
{
	struct store_campaign *sc = &s->campaigns[c];
	int added;

	s->generation++;
	uint64_t *fl = pairs_put(&s->pairs, c, cust, &added);
	unsigned old = pairs_flags(*fl), now = old | x->flags, add = now & ~old;
	pairs_set(fl, x->flags);
	sc->n_delivered += !!(add & STORE_F_DELIVERED);
	sc->n_open += !!(add & STORE_F_OPEN);
	sc->n_human += !!(add & STORE_F_HUMAN);
	sc->n_click += !!(add & STORE_F_CLICK);
	sc->n_unsub += !!(add & STORE_F_UNSUB);
	sc->n_bounce += !!(add & STORE_F_BOUNCE);
	sc->n_complaint += !!(add & STORE_F_COMPLAINT);
	int ok_old = (old & STORE_F_SENT) && !(old & STORE_F_BOUNCE);
	int ok_now = (now & STORE_F_SENT) && !(now & STORE_F_BOUNCE);
	sc->n_sent_ok += (uint32_t)(ok_now - ok_old);
	/* who received which campaign first: recounted from the pairs */
	s->bases_dirty = 1;
}

void store_seed_pair(struct store *s, const struct store_seed_pair *x)
{
	store_seed_pairs(s, x, 1);
}

void store_seed_pairs(struct store *s, const struct store_seed_pair *x, size_t n)
{
	uint64_t h[STORE_BATCH_MAX];
	size_t len[STORE_BATCH_MAX];
	uint32_t cust[STORE_BATCH_MAX], camp[STORE_BATCH_MAX];
	size_t i;

	while (n > STORE_BATCH_MAX) {
		store_seed_pairs(s, x, STORE_BATCH_MAX);
		x += STORE_BATCH_MAX;
		n -= STORE_BATCH_MAX;
	}
	for (i = 0; i < n; i++) {
		len[i] = strlen(x[i].customer);
		h[i] = util_hash(x[i].customer, len[i]);
		intern_prefetch_slot(s->customer_ids, h[i]);
	}
	for (i = 0; i < n; i++)
		intern_prefetch_entry(s->customer_ids, h[i]);
	/* indices in the batch's order, as one by one would give them */
	for (i = 0; i < n; i++) {
		cust[i] = store_customer_hashed(s, h[i], x[i].customer, len[i]);
		camp[i] = store_campaign_id(s, x[i].campaign);
		pairs_prefetch(&s->pairs, camp[i], cust[i]);
	}
	for (i = 0; i < n; i++)
		store_seed_pair_at(s, &x[i], cust[i], camp[i]);
}

void store_seed_day(struct store *s, const struct store_seed_day *x)
{
	int64_t ts = x->day * 86400;
	int e = x->event;
	s->generation++;
	if (!x->rows)
		return;
	store_see_ts(s, SCHEMA_EVENTS, x->first_ts);
	store_see_ts(s, SCHEMA_EVENTS, x->last_ts);
	/* store_apply's rules, for rows alike */
	if (x->customer) {
		uint32_t cust = store_customer_id(s, x->customer);
		struct store_customer *cu = &s->customers[cust];
		if (e == SCHEMA_EV_UNSUBSCRIBE || e == SCHEMA_EV_CONVERSION)
			store_outcome_at(s, cust, e == SCHEMA_EV_UNSUBSCRIBE ? &cu->last_unsub
									       : &cu->last_conv,
					 x->last_ts);
		if (e == SCHEMA_EV_UNSUBSCRIBE && !cu->unsubscribed) {
			int was = store_opted_out(cu);
			cu->unsubscribed = 1;
			if (!was && store_opted_out(cu))
				s->n_opted_out++;
			store_optout_changed(s, cust);
		}
		if (s->engaged_mask & (1u << e)) {
			int added;
			hmap_put(&s->engaged, ((uint64_t)cust + 1) << 32 | (uint32_t)x->day, &added);
			if (added) {
				struct store_day *d = store_day(s, ts);
				d->eng = xgrow(d->eng, &d->eng_cap, d->eng_n + 1, sizeof *d->eng);
				d->eng[d->eng_n++] = cust;
			}
		}
	}
	if (e == SCHEMA_EV_SURVEY_SENT)
		store_day(s, ts)->survey_sent += x->rows;
	if (s->hve_mask & (1u << e)) {
		struct store_day *d = store_day(s, ts);
		d->hve += x->rows;
		d->cev = util_money_add(d->cev, x->value);
	}
	if (!*x->campaign && e == SCHEMA_EV_SURVEY_SENT)
		return; /* invitations outside any campaign */
	uint32_t c = store_campaign_id(s, x->campaign); /* may move s->campaigns */
	struct store_campaign *sc = &s->campaigns[c];
	sc->events += x->rows;
	if (x->first_ts < sc->first_ts) {
		sc->first_ts = x->first_ts; /* a campaign's start: who received it first */
		s->bases_dirty = 1;
	}
	if (e == SCHEMA_EV_SENT)
		sc->sent += x->rows;
	if (e == SCHEMA_EV_CONVERSION) {
		sc->conversions += x->rows;
		sc->revenue = util_money_add(sc->revenue, x->value);
	}
}

void store_apply_batch(struct store *s, const struct record *const *r, size_t n)
{
	uint64_t h[STORE_BATCH_MAX];
	size_t len[STORE_BATCH_MAX];
	uint32_t hint[STORE_BATCH_MAX], camp[STORE_BATCH_MAX], last_c = UINT32_MAX;
	const char *last_camp = NULL;
	size_t i;

	while (n > STORE_BATCH_MAX) {
		store_apply_batch(s, r, STORE_BATCH_MAX);
		r += STORE_BATCH_MAX;
		n -= STORE_BATCH_MAX;
	}
	for (i = 0; i < n; i++) {
		if (r[i]->id_hashed) {
			len[i] = r[i]->id_len;
			h[i] = r[i]->id_hash;
		} else {
			len[i] = strlen(r[i]->customer);
			h[i] = util_hash(r[i]->customer, len[i]);
		}
		intern_prefetch_slot(s->customer_ids, h[i]);
	}
	for (i = 0; i < n; i++)
		intern_prefetch_entry(s->customer_ids, h[i]);
	for (i = 0; i < n; i++) {
		const struct record *x = r[i];
		hint[i] = camp[i] = UINT32_MAX;
		if ((x->kind != SCHEMA_EVENTS && x->kind != SCHEMA_RESPONSES &&
		     x->kind != SCHEMA_CUSTOMERS) ||
		    (x->kind == SCHEMA_RESPONSES && !len[i]))
			continue; /* no customer: an anonymous answer */
		/* a customer seen for the first time is added here, in row
		 * order, as applying the rows one by one would add it: the
		 * same indices, without hashing its id again */
		uint32_t cust = store_customer_hashed(s, h[i], x->customer, len[i]);
		hint[i] = cust;
		/* only a customers.csv row, an unsubscribe and a conversion read the customer's
		 * entry: a hint for every row would spend memory bandwidth the
		 * pairs table needs */
		if (x->kind == SCHEMA_CUSTOMERS ||
		    (x->kind == SCHEMA_EVENTS && (x->event == SCHEMA_EV_UNSUBSCRIBE ||
						  x->event == SCHEMA_EV_CONVERSION)))
			__builtin_prefetch(&s->customers[cust]);
		if (x->kind != SCHEMA_EVENTS)
			continue;
		if (s->engaged_mask & (1u << x->event))
			hmap_prefetch(&s->engaged,
				      ((uint64_t)cust + 1) << 32 | (uint32_t)parse_day(x->ts));
		if (!*x->campaign)
			continue;
		/* rows of one campaign come together: hash its id once per run */
		if (!last_camp || strcmp(last_camp, x->campaign) != 0) {
			last_camp = x->campaign;
			last_c = intern_find(s->campaign_ids, x->campaign, strlen(x->campaign));
		}
		uint32_t c = camp[i] = last_c;
		if (c == UINT32_MAX)
			continue;
		if (x->event != SCHEMA_EV_CONVERSION && x->event != SCHEMA_EV_SURVEY_SENT)
			pairs_prefetch(&s->pairs, c, cust);
		/* a send or delivery may make the customer one of the campaign's
		 * audience: the (channel, customer) owner entry comes next */
		if (x->event == SCHEMA_EV_SENT || x->event == SCHEMA_EV_DELIVERED)
			hmap_prefetch(&s->owners,
				      ((uint64_t)s->campaigns[c].channel + 1) << 32 | cust);
	}
	for (i = 0; i < n; i++)
		store_apply_hinted(s, r[i], hint[i], camp[i]);
}
