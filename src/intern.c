/* intern: see include/cxtop/intern.h. Strings live in one growing arena
 * (offsets, not pointers, so growth never invalidates the table); the
 * index is an open-addressing table of 8-byte slots, each the upper 32 bits
 * of the hash beside id + 1 — one cache line touched per probe, which is
 * what the per-row lookup of 200,000 customer ids is bound by. */
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
	uint64_t *slots;   /* hash >> 32 << 32 | (id + 1); 0 = empty */
	size_t cap;        /* power of two */
};

static uint64_t intern_hash(const char *s, size_t n)
{
	return util_hash(s, n);
}

#define INTERN_TAG(h) ((h) & 0xffffffff00000000ULL)
#define INTERN_ID(slot) ((uint32_t)(slot) - 1)

struct intern *intern_new(void)
{
	struct intern *t = xcalloc(1, sizeof *t);
	t->cap = 256;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	return t;
}

void intern_free(struct intern *t)
{
	if (!t)
		return;
	free(t->arena);
	free(t->offs);
	free(t->slots);
	free(t);
}

static int intern_eq(const struct intern *t, uint32_t id, const char *s, size_t n)
{
	const char *p = t->arena + t->offs[id];
	return memcmp(p, s, n) == 0 && p[n] == '\0';
}

/* Slots keep only the upper half of the hash, so growing the table hashes
 * each string again (amortised O(1) per id, like any doubling). */
static void intern_rehash(struct intern *t)
{
	size_t ncap = t->cap * 2;
	uint64_t *ns = xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i])
			continue;
		uint32_t id = INTERN_ID(t->slots[i]);
		const char *str = t->arena + t->offs[id];
		uint64_t h = intern_hash(str, strlen(str));
		size_t j = h & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
}

uint32_t intern_find(const struct intern *t, const char *s, size_t n)
{
	uint64_t h = intern_hash(s, n);
	size_t i = h & (t->cap - 1);
	while (t->slots[i]) {
		if (INTERN_TAG(t->slots[i]) == INTERN_TAG(h) && intern_eq(t, INTERN_ID(t->slots[i]), s, n))
			return INTERN_ID(t->slots[i]);
		i = (i + 1) & (t->cap - 1);
	}
	return UINT32_MAX;
}

uint32_t intern_add(struct intern *t, const char *s, size_t n)
{
	uint64_t h = intern_hash(s, n);
	size_t i = h & (t->cap - 1);
	while (t->slots[i]) {
		if (INTERN_TAG(t->slots[i]) == INTERN_TAG(h) && intern_eq(t, INTERN_ID(t->slots[i]), s, n))
			return INTERN_ID(t->slots[i]);
		i = (i + 1) & (t->cap - 1);
	}
	if (t->count == UINT32_MAX - 1)
		util_fatal("more than 4 billion distinct ids");
	uint32_t id = t->count++;
	t->offs = xgrow(t->offs, &t->ocap, t->count, sizeof *t->offs);
	t->arena = xgrow(t->arena, &t->acap, t->alen + n + 1, 1);
	t->offs[id] = t->alen;
	memcpy(t->arena + t->alen, s, n);
	t->arena[t->alen + n] = '\0';
	t->alen += n + 1;
	t->slots[i] = INTERN_TAG(h) | ((uint64_t)id + 1);
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
