/* storeio: a store written into a state file and read back (see
 * include/cxtop/storeio.h). The order below is the format: the layout's
 * sizes, the masks, the four id tables, then the arrays and tables, then
 * the counters. */
#include "cxtop/storeio.h"

#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

#define STOREIO_MAGIC 0x53544f5245303031ULL /* "STORE001" */

/* Sizes of what goes as it is in memory: another build's layout is not
 * read. */
static const uint32_t storeio_layout[] = {
	sizeof(struct store_campaign), sizeof(struct store_customer), sizeof(struct store_day),
	sizeof(struct hmap_entry), sizeof(struct store_response), SCHEMA_KIND_COUNT,
};

#define STOREIO_NLAYOUT (sizeof storeio_layout / sizeof storeio_layout[0])

/* Responses as they are (their padding is zeroed as each is added), and
 * checked: each comment inside the comments read. */
static int storeio_get_responses(struct store *s, struct statefile_r *r)
{
	uint64_t n = statefile_get_u64(r);
	if (n > statefile_left(r) / sizeof *s->responses)
		return -1;
	s->responses = statefile_get_table(r, (size_t)n * sizeof *s->responses);
	s->nresponses = s->responses_cap = (size_t)n;
	for (size_t i = 0; i < n; i++)
		if (s->responses[i].comment >= s->comments_len)
			return -1;
	return statefile_bad(r) ? -1 : 0;
}

void storeio_save(const struct store *s, struct statefile_w *w)
{
	statefile_put_u64(w, STOREIO_MAGIC);
	statefile_put_u32(w, (uint32_t)STOREIO_NLAYOUT);
	statefile_put(w, storeio_layout, sizeof storeio_layout);
	statefile_put_u32(w, s->engaged_mask);
	statefile_put_u32(w, s->hve_mask);
	intern_save(s->customer_ids, w);
	intern_save(s->campaign_ids, w);
	intern_save(s->segments, w);
	intern_save(s->channels, w);
	/* campaigns as they are, their names apart */
	uint32_t nc = intern_count(s->campaign_ids), nu = intern_count(s->customer_ids);
	statefile_put(w, s->campaigns, nc * sizeof *s->campaigns);
	for (uint32_t i = 0; i < nc; i++)
		statefile_put_str(w, s->campaigns[i].name);
	statefile_put_table(w, s->customers, nu * sizeof *s->customers);
	pairs_save(&s->pairs, w);
	hmap_save(&s->engaged, w);
	hmap_save(&s->owners, w);
	/* days as they are, each one's engaged customers apart */
	statefile_put_i64(w, s->day_lo);
	statefile_put_u64(w, s->ndays);
	statefile_put(w, s->days, s->ndays * sizeof *s->days);
	for (size_t i = 0; i < s->ndays; i++)
		statefile_put(w, s->days[i].eng, s->days[i].eng_n * sizeof *s->days[i].eng);
	statefile_put_u64(w, s->comments_len);
	statefile_put(w, s->comments, s->comments_len);
	statefile_put_u64(w, s->nresponses);
	statefile_put_table(w, s->responses, s->nresponses * sizeof *s->responses);
	statefile_put(w, s->max_ts, sizeof s->max_ts);
	statefile_put(w, s->min_ts, sizeof s->min_ts);
	statefile_put_u32(w, s->n_customers);
	statefile_put_u32(w, s->n_opted_out);
	statefile_put_u32(w, s->n_undated);
	statefile_put_u32(w, s->n_undated_churned);
	statefile_put_u32(w, s->n_undated_rev);
	statefile_put_i64(w, s->undated_rev);
	/* a recount under way is not kept: loaded, the bases are unsettled */
	statefile_put_u32(w, (uint32_t)(s->bases_dirty || s->settling));
	statefile_put_u32(w, (uint32_t)s->responses_sorted);
	statefile_put_u64(w, s->generation);
	statefile_put_u64(w, s->outcome_gen);
	statefile_put_u64(w, s->customers_gen);
	statefile_put_u64(w, s->clears);
	statefile_put_u64(w, s->segment_moves);
	statefile_put_u64(w, STOREIO_MAGIC);
}

/* n elements of size bytes into a fresh array, or NULL (r bad). */
static void *storeio_array(struct statefile_r *r, uint64_t n, size_t size)
{
	if (n > statefile_left(r) / (size ? size : 1)) {
		statefile_mark_bad(r);
		return NULL;
	}
	void *a = xmalloc(n ? (size_t)n * size : 1);
	statefile_get(r, a, (size_t)n * size);
	return a;
}

static int storeio_load_into(struct store *s, struct statefile_r *r)
{
	uint32_t layout[STOREIO_NLAYOUT];
	if (statefile_get_u64(r) != STOREIO_MAGIC || statefile_get_u32(r) != STOREIO_NLAYOUT)
		return -1;
	statefile_get(r, layout, sizeof layout);
	if (memcmp(layout, storeio_layout, sizeof layout) != 0)
		return -1;
	if (statefile_get_u32(r) != s->engaged_mask || statefile_get_u32(r) != s->hve_mask)
		return -1;
	struct intern **tabs[4] = { &s->customer_ids, &s->campaign_ids, &s->segments, &s->channels };
	for (int i = 0; i < 4; i++) {
		struct intern *t = intern_load(r);
		if (!t)
			return -1;
		intern_free(*tabs[i]);
		*tabs[i] = t;
	}
	uint32_t nc = intern_count(s->campaign_ids), nu = intern_count(s->customer_ids);
	s->campaigns = storeio_array(r, nc, sizeof *s->campaigns);
	if (!s->campaigns)
		return -1;
	s->campaigns_cap = nc;
	for (uint32_t i = 0; i < nc; i++)
		s->campaigns[i].name = NULL; /* what was written is an old address */
	for (uint32_t i = 0; i < nc; i++)
		s->campaigns[i].name = statefile_get_str(r);
	if (nu > statefile_left(r) / sizeof *s->customers)
		return -1;
	s->customers = statefile_get_table(r, nu * sizeof *s->customers);
	s->customers_cap = nu;
	if (pairs_load(&s->pairs, r) || hmap_load(&s->engaged, r) || hmap_load(&s->owners, r))
		return -1;
	s->day_lo = statefile_get_i64(r);
	uint64_t nd = statefile_get_u64(r);
	s->days = storeio_array(r, nd, sizeof *s->days);
	if (!s->days)
		return -1;
	s->ndays = (size_t)nd;
	for (size_t i = 0; i < s->ndays; i++) {
		s->days[i].eng = NULL; /* old addresses, until read */
		s->days[i].eng_cap = 0;
	}
	for (size_t i = 0; i < s->ndays; i++) {
		struct store_day *d = &s->days[i];
		if (!d->eng_n)
			continue;
		d->eng = storeio_array(r, d->eng_n, sizeof *d->eng);
		if (!d->eng) {
			d->eng_n = 0;
			return -1;
		}
		d->eng_cap = d->eng_n;
	}
	uint64_t clen = statefile_get_u64(r);
	char *comments = storeio_array(r, clen, 1);
	if (!comments || !clen || comments[clen - 1] != '\0') {
		free(comments);
		return -1;
	}
	free(s->comments);
	s->comments = comments;
	s->comments_len = s->comments_cap = (size_t)clen;
	if (storeio_get_responses(s, r) != 0)
		return -1;
	statefile_get(r, s->max_ts, sizeof s->max_ts);
	statefile_get(r, s->min_ts, sizeof s->min_ts);
	s->n_customers = statefile_get_u32(r);
	s->n_opted_out = statefile_get_u32(r);
	s->n_undated = statefile_get_u32(r);
	s->n_undated_churned = statefile_get_u32(r);
	s->n_undated_rev = statefile_get_u32(r);
	s->undated_rev = statefile_get_i64(r);
	s->bases_dirty = (int)statefile_get_u32(r);
	s->responses_sorted = (int)statefile_get_u32(r);
	s->generation = statefile_get_u64(r) + 1;
	s->outcome_gen = statefile_get_u64(r) + 1;
	s->customers_gen = statefile_get_u64(r) + 1;
	s->clears = statefile_get_u64(r) + 1;
	s->segment_moves = statefile_get_u64(r);
	s->from_state = 1;
	s->loaded_clears = s->clears;
	s->loaded_customers_gen = s->customers_gen;
	s->loaded_segment_moves = s->segment_moves;
	if (statefile_get_u64(r) != STOREIO_MAGIC)
		return -1;
	/* indices that point into the tables read: a state that passed its
	 * checksum but not these is not of this build's store */
	uint32_t nseg = intern_count(s->segments), nch = intern_count(s->channels);
	for (uint32_t i = 0; i < nc; i++)
		if (s->campaigns[i].channel >= nch)
			return -1;
	for (uint32_t i = 0; i < nu; i++)
		if (s->customers[i].segment != STORE_NONE && s->customers[i].segment >= nseg)
			return -1;
	return statefile_bad(r) ? -1 : 0;
}

struct store *storeio_load(struct statefile_r *r, unsigned engaged_mask, unsigned hve_mask)
{
	struct store *s = store_new(engaged_mask, hve_mask);
	if (storeio_load_into(s, r) != 0) {
		statefile_mark_bad(r);
		if (!s->campaigns) {
			/* store_free walks the campaigns of the id table */
			intern_free(s->campaign_ids);
			s->campaign_ids = intern_new();
		}
		store_free(s);
		return NULL;
	}
	return s;
}
