/* tsmark: the keys of the last lag of rows. See include/cxtop/tsmark.h.
 *
 * The keys sit in an array in the order read, with an hmap from key to
 * presence for the lookups. Keys below the low mark are forgotten in one
 * pass when the array has doubled since the last pass, so that a pass is
 * paid for by as many insertions (an hmap cannot delete; it is rebuilt). */
#include "cxtop/tsmark.h"

#include "cxtop/hmap.h"
#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdlib.h>

struct tsmark_row {
	int64_t ts, key;
};

struct tsmark {
	int64_t lag_us;
	int64_t high;             /* INT64_MIN = nothing seen */
	struct tsmark_row *r;
	size_t n, cap, after_pass; /* rows kept, and kept after the last pass */
	struct hmap keys;         /* key ^ TSMARK_FLIP -> 1 */
	int zero;                 /* the key that maps to 0, which hmap reserves */
};

/* keys are often small integers and 0 is hmap's empty slot: flip the top
 * bit, so that only INT64_MIN needs the side flag */
#define TSMARK_FLIP 0x8000000000000000ull

struct tsmark *tsmark_new(int64_t lag_us)
{
	struct tsmark *m = xcalloc(1, sizeof *m);
	m->lag_us = lag_us < 0 ? 0 : lag_us;
	m->high = INT64_MIN;
	hmap_init(&m->keys);
	return m;
}

void tsmark_free(struct tsmark *m)
{
	if (!m)
		return;
	free(m->r);
	hmap_clear(&m->keys);
	free(m);
}

int64_t tsmark_low(const struct tsmark *m)
{
	if (m->high == INT64_MIN)
		return INT64_MIN;
	return m->high < INT64_MIN + m->lag_us ? INT64_MIN : m->high - m->lag_us;
}

int64_t tsmark_high(const struct tsmark *m)
{
	return m->high;
}

size_t tsmark_kept(const struct tsmark *m)
{
	return m->n;
}

static int tsmark_has(const struct tsmark *m, int64_t key)
{
	uint64_t k = (uint64_t)key ^ TSMARK_FLIP;
	return k ? hmap_get(&m->keys, k) != NULL : m->zero;
}

static void tsmark_keep(struct tsmark *m, int64_t key)
{
	uint64_t k = (uint64_t)key ^ TSMARK_FLIP;
	int added;
	if (k)
		*hmap_put(&m->keys, k, &added) = 1;
	else
		m->zero = 1;
}

/* Forget the rows below the low mark. */
static void tsmark_pass(struct tsmark *m)
{
	int64_t low = tsmark_low(m);
	size_t j = 0;
	hmap_clear(&m->keys);
	m->zero = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (m->r[i].ts < low)
			continue;
		m->r[j++] = m->r[i];
		tsmark_keep(m, m->r[i].key);
	}
	m->n = j;
	m->after_pass = j;
}

int tsmark_see(struct tsmark *m, int64_t ts_us, int64_t key)
{
	if (ts_us < tsmark_low(m))
		return 1;
	if (tsmark_has(m, key))
		return 0;
	if (ts_us > m->high)
		m->high = ts_us;
	if (m->n >= 2 * m->after_pass + 1024)
		tsmark_pass(m);
	m->r = xgrow(m->r, &m->cap, m->n + 1, sizeof *m->r);
	m->r[m->n++] = (struct tsmark_row){ts_us, key};
	tsmark_keep(m, key);
	return 1;
}

void tsmark_save(const struct tsmark *m, struct statefile_w *w)
{
	statefile_put_u64(w, m->n);
	for (size_t i = 0; i < m->n; i++) {
		statefile_put_i64(w, m->r[i].ts);
		statefile_put_i64(w, m->r[i].key);
	}
}

struct tsmark *tsmark_load(struct statefile_r *r, int64_t lag_us)
{
	uint64_t n = statefile_get_u64(r);
	if (n > statefile_left(r) / 16) {
		statefile_mark_bad(r);
		return NULL;
	}
	struct tsmark *m = tsmark_new(lag_us);
	for (size_t i = 0; i < n && !statefile_bad(r); i++) {
		int64_t ts = statefile_get_i64(r), key = statefile_get_i64(r);
		tsmark_see(m, ts, key);
	}
	if (statefile_bad(r)) {
		tsmark_free(m);
		return NULL;
	}
	return m;
}
