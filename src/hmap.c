/* hmap: see include/cxtop/hmap.h. The hash is util_mix64 (the murmur3
 * finaliser) because keys are packed small integers whose low bits alone
 * would cluster badly under linear probing. */
#include "cxtop/hmap.h"

#include "cxtop/statefile.h"
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
	xfree_table(m->e);
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
	xfree_table(m->e);
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

/* Entries as they are (their padding is zero: tables are zeroed when
 * made and entries written field by field). */
void hmap_save(const struct hmap *m, struct statefile_w *w)
{
	statefile_put_u64(w, m->cap);
	statefile_put_u64(w, m->count);
	statefile_put_table(w, m->e, m->cap * sizeof *m->e);
}

int hmap_load(struct hmap *m, struct statefile_r *r)
{
	uint64_t cap = statefile_get_u64(r), count = statefile_get_u64(r);
	if ((cap & (cap - 1)) != 0 || count > cap || cap * sizeof *m->e > statefile_left(r) ||
	    (cap && count >= cap)) {
		statefile_mark_bad(r);
		return -1;
	}
	hmap_clear(m);
	if (!cap)
		return 0;
	m->e = statefile_get_table(r, (size_t)cap * sizeof *m->e);
	m->cap = (size_t)cap;
	m->count = (size_t)count;
	return statefile_bad(r) ? -1 : 0;
}
