/* idmark: holes below the highest id seen. See include/cxtop/idmark.h.
 *
 * The holes are disjoint ranges in ascending order in one array: a row
 * read inside a hole splits it (binary search, then one memmove), which
 * is cheap because holes are few (in-flight transactions and rollbacks of
 * the last lag seconds). */
#include "cxtop/idmark.h"

#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

struct idmark_hole {
	int64_t lo, hi;    /* missing ids lo..hi */
	int64_t since;     /* when they were first missed (ms) */
};

struct idmark {
	int64_t lag_ms;
	int64_t high;      /* INT64_MIN = nothing seen */
	struct idmark_hole *h;
	size_t n, cap;
};

struct idmark *idmark_new(int64_t lag_ms)
{
	struct idmark *m = xcalloc(1, sizeof *m);
	m->lag_ms = lag_ms;
	m->high = INT64_MIN;
	return m;
}

void idmark_free(struct idmark *m)
{
	if (!m)
		return;
	free(m->h);
	free(m);
}

static void idmark_insert(struct idmark *m, size_t at, int64_t lo, int64_t hi, int64_t since)
{
	if (m->n == IDMARK_HOLES_MAX) {
		/* too many: the lowest, oldest holes go first, a quarter at a
		 * time so that the move is paid once per many holes */
		size_t drop = IDMARK_HOLES_MAX / 4;
		memmove(m->h, m->h + drop, (m->n - drop) * sizeof *m->h);
		m->n -= drop;
		at = at > drop ? at - drop : 0;
	}
	m->h = xgrow(m->h, &m->cap, m->n + 1, sizeof *m->h);
	memmove(m->h + at + 1, m->h + at, (m->n - at) * sizeof *m->h);
	m->h[at] = (struct idmark_hole){lo, hi, since};
	m->n++;
}

/* The index of the first hole whose hi >= k. */
static size_t idmark_find(const struct idmark *m, int64_t k)
{
	size_t a = 0, b = m->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (m->h[mid].hi < k)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

int idmark_see(struct idmark *m, int64_t k, int64_t now_ms)
{
	if (m->high == INT64_MIN || k > m->high) {
		if (m->high != INT64_MIN && k > m->high + 1)
			idmark_insert(m, m->n, m->high + 1, k - 1, now_ms);
		m->high = k;
		return 1;
	}
	size_t i = idmark_find(m, k);
	if (i == m->n || m->h[i].lo > k)
		return 0; /* read before */
	struct idmark_hole *x = &m->h[i];
	if (x->lo == x->hi) {
		memmove(m->h + i, m->h + i + 1, (m->n - i - 1) * sizeof *m->h);
		m->n--;
	} else if (k == x->lo) {
		x->lo++;
	} else if (k == x->hi) {
		x->hi--;
	} else {
		int64_t hi = x->hi, since = x->since;
		x->hi = k - 1;
		idmark_insert(m, i + 1, k + 1, hi, since);
	}
	return 1;
}

void idmark_missing(struct idmark *m, int64_t lo, int64_t hi, int64_t now_ms)
{
	if (lo > hi)
		return;
	size_t i = idmark_find(m, lo);
	if (i < m->n && m->h[i].lo <= hi)
		return; /* overlaps a hole already known */
	idmark_insert(m, i, lo, hi, now_ms);
}

void idmark_seen_up_to(struct idmark *m, int64_t high)
{
	if (m->high == INT64_MIN || high > m->high)
		m->high = high;
}

void idmark_settle(struct idmark *m, int64_t now_ms)
{
	size_t w = 0;
	for (size_t i = 0; i < m->n; i++)
		if (now_ms - m->h[i].since < m->lag_ms)
			m->h[w++] = m->h[i];
	m->n = w;
}

int64_t idmark_low(const struct idmark *m)
{
	if (m->n)
		return m->h[0].lo - 1;
	return m->high;
}

int64_t idmark_high(const struct idmark *m)
{
	return m->high;
}

size_t idmark_holes(const struct idmark *m)
{
	return m->n;
}

void idmark_save(const struct idmark *m, struct statefile_w *w, int64_t now_ms)
{
	statefile_put_i64(w, m->high);
	statefile_put_u64(w, m->n);
	for (size_t i = 0; i < m->n; i++) {
		statefile_put_i64(w, m->h[i].lo);
		statefile_put_i64(w, m->h[i].hi);
		statefile_put_i64(w, now_ms - m->h[i].since);
	}
}

struct idmark *idmark_load(struct statefile_r *r, int64_t lag_ms, int64_t now_ms)
{
	int64_t high = statefile_get_i64(r);
	uint64_t n = statefile_get_u64(r);
	if (n > IDMARK_HOLES_MAX || n > statefile_left(r) / 24) {
		statefile_mark_bad(r);
		return NULL;
	}
	struct idmark *m = idmark_new(lag_ms);
	m->high = high;
	m->h = xcalloc(n ? (size_t)n : 1, sizeof *m->h);
	m->cap = n ? (size_t)n : 1;
	for (size_t i = 0; i < n; i++) {
		m->h[i].lo = statefile_get_i64(r);
		m->h[i].hi = statefile_get_i64(r);
		int64_t age = statefile_get_i64(r);
		/* ranges in order, below the highest id: else not an idmark */
		if (m->h[i].lo > m->h[i].hi || m->h[i].hi >= high ||
		    (i && m->h[i].lo <= m->h[i - 1].hi) || age < 0)
			statefile_mark_bad(r);
		m->h[i].since = now_ms - age;
	}
	m->n = (size_t)n;
	if (statefile_bad(r)) {
		idmark_free(m);
		return NULL;
	}
	return m;
}
