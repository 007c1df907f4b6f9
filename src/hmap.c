/* hmap: see include/cxtop/hmap.h. The hash is a 64-bit finaliser (the
 * murmur3 fmix) because keys are packed small integers whose low bits alone
 * would cluster badly under linear probing. */
#include "cxtop/hmap.h"

#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t hmap_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

void hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof *m);
}

void hmap_clear(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	hmap_init(m);
}

static void hmap_grow(struct hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	uint64_t *nk = xcalloc(ncap, sizeof *nk);
	uint32_t *nv = xmalloc(ncap * sizeof *nv);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = hmap_hash(m->keys[i]) & (ncap - 1);
		while (nk[j])
			j = (j + 1) & (ncap - 1);
		nk[j] = m->keys[i];
		nv[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = nk;
	m->vals = nv;
	m->cap = ncap;
}

uint32_t *hmap_put(struct hmap *m, uint64_t key, int *added)
{
	if ((m->count + 1) * 10 > m->cap * 7)
		hmap_grow(m);
	size_t mask = m->cap - 1;
	size_t i = hmap_hash(key) & mask;
	while (m->keys[i]) {
		if (m->keys[i] == key) {
			*added = 0;
			return &m->vals[i];
		}
		i = (i + 1) & mask;
	}
	m->keys[i] = key;
	m->vals[i] = 0;
	m->count++;
	*added = 1;
	return &m->vals[i];
}

uint32_t *hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	size_t i = hmap_hash(key) & mask;
	while (m->keys[i]) {
		if (m->keys[i] == key)
			return &m->vals[i];
		i = (i + 1) & mask;
	}
	return NULL;
}
