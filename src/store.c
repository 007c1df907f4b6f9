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
	hmap_init(&s->pairs);
	hmap_init(&s->engaged);
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		s->max_ts[k] = INT64_MIN;
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
	free(s->customers);
	intern_free(s->customer_ids);
	intern_free(s->campaign_ids);
	intern_free(s->segments);
	intern_free(s->channels);
	hmap_clear(&s->pairs);
	hmap_clear(&s->engaged);
	free(s->days);
	free(s->responses);
	free(s->comments);
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

static uint32_t store_customer_id(struct store *s, const char *id)
{
	uint32_t before = intern_count(s->customer_ids);
	uint32_t c = intern_add(s->customer_ids, id, strlen(id));
	if (c == before) {
		s->customers = xgrow(s->customers, &s->customers_cap, c + 1, sizeof *s->customers);
		memset(&s->customers[c], 0, sizeof s->customers[c]);
		s->customers[c].segment = STORE_NONE;
		s->customers[c].opted_in = 1;
	}
	return c;
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
}

static void store_event(struct store *s, const struct record *r)
{
	uint32_t cust = store_customer_id(s, r->customer);
	int e = r->event;

	store_see_ts(s, SCHEMA_EVENTS, r->ts);
	if (e == SCHEMA_EV_UNSUBSCRIBE)
		s->customers[cust].unsubscribed = 1;
	if (s->engaged_mask & (1u << e)) {
		int added;
		uint64_t key = ((uint64_t)cust + 1) << 32 | (uint32_t)parse_day(r->ts);
		hmap_put(&s->engaged, key, &added);
	}
	if (e == SCHEMA_EV_SURVEY_SENT)
		store_day(s, r->ts)->survey_sent++;
	if (s->hve_mask & (1u << e)) {
		struct store_day *d = store_day(s, r->ts);
		d->hve++;
		if (r->has_value)
			d->cev += r->value;
	}
	if (!*r->campaign)
		return; /* a survey invitation outside any campaign */

	uint32_t c = store_campaign_id(s, r->campaign);
	struct store_campaign *sc = &s->campaigns[c];
	int added;
	uint32_t *fl = hmap_put(&s->pairs, ((uint64_t)c + 1) << 32 | cust, &added);
	uint32_t old = *fl;

	sc->events++;
	if (r->ts < sc->first_ts)
		sc->first_ts = r->ts;
	switch (e) {
	case SCHEMA_EV_SENT:
		sc->sent++;
		if (!(old & STORE_F_SENT) && !(old & STORE_F_BOUNCE))
			sc->n_sent_ok++;
		*fl |= STORE_F_SENT;
		break;
	case SCHEMA_EV_DELIVERED:
		if (!(old & STORE_F_DELIVERED))
			sc->n_delivered++;
		*fl |= STORE_F_DELIVERED;
		break;
	case SCHEMA_EV_OPEN:
		if (!(old & STORE_F_OPEN))
			sc->n_open++;
		*fl |= STORE_F_OPEN;
		if (!r->machine) {
			if (!(old & STORE_F_HUMAN))
				sc->n_human++;
			*fl |= STORE_F_HUMAN;
		}
		break;
	case SCHEMA_EV_CLICK:
		if (!(old & STORE_F_CLICK))
			sc->n_click++;
		*fl |= STORE_F_CLICK;
		break;
	case SCHEMA_EV_UNSUBSCRIBE:
		if (!(old & STORE_F_UNSUB))
			sc->n_unsub++;
		*fl |= STORE_F_UNSUB;
		break;
	case SCHEMA_EV_BOUNCE:
		if (!(old & STORE_F_BOUNCE)) {
			sc->n_bounce++;
			if (old & STORE_F_SENT)
				sc->n_sent_ok--;
		}
		*fl |= STORE_F_BOUNCE;
		break;
	case SCHEMA_EV_COMPLAINT:
		if (!(old & STORE_F_COMPLAINT))
			sc->n_complaint++;
		*fl |= STORE_F_COMPLAINT;
		break;
	case SCHEMA_EV_CONVERSION:
		sc->conversions++;
		if (r->has_value)
			sc->revenue += r->value;
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

static void store_response(struct store *s, const struct record *r)
{
	struct store_day *d = store_day(s, r->ts);
	struct store_response *sr;

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
	s->responses = xgrow(s->responses, &s->responses_cap, s->nresponses + 1, sizeof *sr);
	sr = &s->responses[s->nresponses++];
	sr->ts = r->ts;
	sr->customer = store_customer_id(s, r->customer);
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

static void store_customer(struct store *s, const struct record *r)
{
	uint32_t c = store_customer_id(s, r->customer);
	struct store_customer *sc = &s->customers[c];
	sc->in_csv = 1;
	sc->signup = r->signup;
	sc->has_churn = (uint8_t)r->has_churn;
	sc->churn = r->churn;
	sc->segment = store_segment_id(s, r->segment);
	sc->opted_in = (uint8_t)r->opted_in;
	sc->has_revenue = (uint8_t)r->has_revenue;
	sc->revenue = r->revenue;
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
	sc->in_csv = 1;
	free(sc->name);
	sc->name = xstrdup(r->name);
	sc->channel = store_channel_id(s, r->channel);
	sc->has_start_csv = r->has_start;
	sc->start_csv = r->start;
	sc->spend = r->spend;
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

void store_apply(struct store *s, const struct record *r)
{
	s->generation++;
	switch (r->kind) {
	case SCHEMA_EVENTS:
		store_event(s, r);
		break;
	case SCHEMA_RESPONSES:
		store_response(s, r);
		break;
	case SCHEMA_CUSTOMERS:
		store_customer(s, r);
		break;
	case SCHEMA_CAMPAIGNS:
		store_campaign_row(s, r);
		break;
	case SCHEMA_AWARENESS:
		store_awareness(s, r);
		break;
	}
}

void store_clear(struct store *s, int kind)
{
	uint32_t nc = intern_count(s->campaign_ids), nu = intern_count(s->customer_ids);

	s->generation++;
	s->max_ts[kind] = INT64_MIN;
	switch (kind) {
	case SCHEMA_EVENTS:
		hmap_clear(&s->pairs);
		hmap_clear(&s->engaged);
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
		for (uint32_t i = 0; i < nu; i++)
			s->customers[i].unsubscribed = 0;
		for (size_t i = 0; i < s->ndays; i++) {
			s->days[i].survey_sent = 0;
			s->days[i].hve = 0;
			s->days[i].cev = 0;
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
		break;
	case SCHEMA_CUSTOMERS:
		for (uint32_t i = 0; i < nu; i++) {
			struct store_customer *c = &s->customers[i];
			uint8_t unsub = c->unsubscribed;
			memset(c, 0, sizeof *c);
			c->segment = STORE_NONE;
			c->opted_in = 1;
			c->unsubscribed = unsub;
		}
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
