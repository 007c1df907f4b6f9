/* hmap: see include/cxtop/hmap.h. The hash is util_mix64 (the murmur3
 * finaliser) because keys are packed small integers whose low bits alone
 * would cluster badly under linear probing. */
#include "cxtop/hmap.h"

#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t hmap_hash(uint64_t k)
{
	return util_mix64(k);
}

void hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof *m);
}

void hmap_clear(struct hmap *m)
{
	free(m->e);
	hmap_init(m);
}

static void hmap_grow(struct hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	struct hmap_entry *ne = xcalloc_table(ncap, sizeof *ne);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		size_t j = hmap_hash(m->e[i].key) & (ncap - 1);
		while (ne[j].key)
			j = (j + 1) & (ncap - 1);
		ne[j] = m->e[i];
	}
	free(m->e);
	m->e = ne;
	m->cap = ncap;
}

uint32_t *hmap_put(struct hmap *m, uint64_t key, int *added)
{
	if ((m->count + 1) * 10 > m->cap * 7)
		hmap_grow(m);
	size_t mask = m->cap - 1;
	size_t i = hmap_hash(key) & mask;
	while (m->e[i].key) {
		if (m->e[i].key == key) {
			*added = 0;
			return &m->e[i].val;
		}
		i = (i + 1) & mask;
	}
	m->e[i].key = key;
	m->e[i].val = 0;
	m->count++;
	*added = 1;
	return &m->e[i].val;
}

uint32_t *hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	size_t i = hmap_hash(key) & mask;
	while (m->e[i].key) {
		if (m->e[i].key == key)
			return &m->e[i].val;
		i = (i + 1) & mask;
	}
	return NULL;
}

void hmap_prefetch(const struct hmap *m, uint64_t key)
{
	if (m->cap)
		__builtin_prefetch(&m->e[hmap_hash(key) & (m->cap - 1)]);
}
