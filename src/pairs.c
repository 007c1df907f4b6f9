/* pairs: see include/cxtop/pairs.h. The hash is util_mix64, as in hmap:
 * the keys are packed small integers whose low bits alone would cluster
 * under linear probing. */
#include "cxtop/pairs.h"

#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

#define PAIRS_KEY UINT64_C(0x00ffffffffffffff)

static inline uint64_t pairs_key(uint32_t campaign, uint32_t customer)
{
	return ((uint64_t)campaign + 1) << 32 | customer;
}

static inline size_t pairs_slot(uint64_t key, size_t mask)
{
	return (size_t)util_mix64(key) & mask;
}

void pairs_init(struct pairs *p)
{
	memset(p, 0, sizeof *p);
}

void pairs_clear(struct pairs *p)
{
	xfree_table(p->e);
	pairs_init(p);
}

/* Rehash into ncap entries: a table zeroed at once (xcalloc_table: huge
 * pages, the fewest misses), or, for a reservation made before the rows
 * come, one whose pages the kernel zeroes as the rows first touch them, so
 * that no turn pays for the whole table. */
static void pairs_rehash(struct pairs *p, size_t ncap, int lazy)
{
	uint64_t *ne = lazy ? xcalloc(ncap, sizeof *ne) : xcalloc_table(ncap, sizeof *ne);
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->e[i])
			continue;
		size_t j = pairs_slot(p->e[i] & PAIRS_KEY, ncap - 1);
		while (ne[j])
			j = (j + 1) & (ncap - 1);
		ne[j] = p->e[i];
	}
	xfree_table(p->e);
	p->e = ne;
	p->cap = ncap;
}

static void pairs_grow(struct pairs *p)
{
	pairs_rehash(p, p->cap ? p->cap * 2 : 1024, 0);
}

void pairs_reserve(struct pairs *p, size_t n)
{
	/* the load pairs_put keeps: count <= 0.7 cap */
	size_t ncap = p->cap ? p->cap : 1024;
	while (ncap * 7 / 10 < n)
		ncap *= 2;
	if (ncap > p->cap)
		pairs_rehash(p, ncap, 1);
}

uint64_t *pairs_put(struct pairs *p, uint32_t campaign, uint32_t customer, int *added)
{
	if (campaign > PAIRS_CAMPAIGNS_MAX)
		util_fatal("more than %u campaigns", PAIRS_CAMPAIGNS_MAX);
	if ((p->count + 1) * 10 > p->cap * 7)
		pairs_grow(p);
	uint64_t key = pairs_key(campaign, customer);
	size_t mask = p->cap - 1, i = pairs_slot(key, mask);
	for (; p->e[i]; i = (i + 1) & mask) {
		if ((p->e[i] & PAIRS_KEY) == key) {
			*added = 0;
			return &p->e[i];
		}
	}
	p->e[i] = key;
	p->count++;
	*added = 1;
	return &p->e[i];
}

void pairs_prefetch(const struct pairs *p, uint32_t campaign, uint32_t customer)
{
	if (p->cap)
		__builtin_prefetch(&p->e[pairs_slot(pairs_key(campaign, customer), p->cap - 1)]);
}

void pairs_save(const struct pairs *p, struct statefile_w *w)
{
	statefile_put_u64(w, p->cap);
	statefile_put_u64(w, p->count);
	statefile_put_table(w, p->e, p->cap * sizeof *p->e);
}

int pairs_load(struct pairs *p, struct statefile_r *r)
{
	uint64_t cap = statefile_get_u64(r), count = statefile_get_u64(r);
	if ((cap & (cap - 1)) != 0 || count > cap || cap * sizeof *p->e > statefile_left(r) ||
	    (cap && count >= cap)) {
		statefile_mark_bad(r);
		return -1;
	}
	pairs_clear(p);
	if (!cap)
		return 0;
	p->e = statefile_get_table(r, (size_t)cap * sizeof *p->e);
	p->cap = (size_t)cap;
	p->count = (size_t)count;
	return statefile_bad(r) ? -1 : 0;
}
