/* pairs: see include/cxtop/pairs.h. The hash is util_mix64, as in hmap:
 * the keys are packed small integers whose low bits alone would cluster
 * under linear probing. */
#include "cxtop/pairs.h"

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
	free(p->e);
	pairs_init(p);
}

static void pairs_grow(struct pairs *p)
{
	size_t ncap = p->cap ? p->cap * 2 : 1024;
	uint64_t *ne = xcalloc_table(ncap, sizeof *ne);
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->e[i])
			continue;
		size_t j = pairs_slot(p->e[i] & PAIRS_KEY, ncap - 1);
		while (ne[j])
			j = (j + 1) & (ncap - 1);
		ne[j] = p->e[i];
	}
	free(p->e);
	p->e = ne;
	p->cap = ncap;
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
