/* intern: see include/cxtop/intern.h. Strings live in one growing arena
 * (offsets, not pointers, so growth never invalidates the table); the
 * index is an open-addressing table of (hash, id) pairs. */
#include "cxtop/intern.h"

#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

struct intern {
	char *arena;
	size_t alen, acap;
	uint64_t *offs;    /* id -> arena offset */
	uint32_t count;
	size_t ocap;
	uint64_t *hashes;  /* slot -> hash (0 = empty) */
	uint32_t *ids;     /* slot -> id */
	size_t cap;        /* power of two */
};

static uint64_t intern_hash(const char *s, size_t n)
{
	uint64_t h = util_fnv(UTIL_FNV_INIT, s, n);
	return h ? h : 1;
}

struct intern *intern_new(void)
{
	struct intern *t = xcalloc(1, sizeof *t);
	t->cap = 256;
	t->hashes = xcalloc(t->cap, sizeof *t->hashes);
	t->ids = xcalloc(t->cap, sizeof *t->ids);
	return t;
}

void intern_free(struct intern *t)
{
	if (!t)
		return;
	free(t->arena);
	free(t->offs);
	free(t->hashes);
	free(t->ids);
	free(t);
}

static int intern_eq(const struct intern *t, uint32_t id, const char *s, size_t n)
{
	const char *p = t->arena + t->offs[id];
	return memcmp(p, s, n) == 0 && p[n] == '\0';
}

static void intern_rehash(struct intern *t)
{
	size_t ncap = t->cap * 2;
	uint64_t *nh = xcalloc(ncap, sizeof *nh);
	uint32_t *ni = xcalloc(ncap, sizeof *ni);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->hashes[i])
			continue;
		size_t j = t->hashes[i] & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = t->hashes[i];
		ni[j] = t->ids[i];
	}
	free(t->hashes);
	free(t->ids);
	t->hashes = nh;
	t->ids = ni;
	t->cap = ncap;
}

uint32_t intern_find(const struct intern *t, const char *s, size_t n)
{
	uint64_t h = intern_hash(s, n);
	size_t i = h & (t->cap - 1);
	while (t->hashes[i]) {
		if (t->hashes[i] == h && intern_eq(t, t->ids[i], s, n))
			return t->ids[i];
		i = (i + 1) & (t->cap - 1);
	}
	return UINT32_MAX;
}

uint32_t intern_add(struct intern *t, const char *s, size_t n)
{
	uint64_t h = intern_hash(s, n);
	size_t i = h & (t->cap - 1);
	while (t->hashes[i]) {
		if (t->hashes[i] == h && intern_eq(t, t->ids[i], s, n))
			return t->ids[i];
		i = (i + 1) & (t->cap - 1);
	}
	uint32_t id = t->count++;
	t->offs = xgrow(t->offs, &t->ocap, t->count, sizeof *t->offs);
	t->arena = xgrow(t->arena, &t->acap, t->alen + n + 1, 1);
	t->offs[id] = t->alen;
	memcpy(t->arena + t->alen, s, n);
	t->arena[t->alen + n] = '\0';
	t->alen += n + 1;
	t->hashes[i] = h;
	t->ids[i] = id;
	if ((size_t)t->count * 10 > t->cap * 7)
		intern_rehash(t);
	return id;
}

const char *intern_str(const struct intern *t, uint32_t i)
{
	return t->arena + t->offs[i];
}

uint32_t intern_count(const struct intern *t)
{
	return t->count;
}
