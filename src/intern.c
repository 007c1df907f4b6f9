/* intern: see include/cxtop/intern.h.
 *
 * Strings live in one growing arena, each entry laid out as
 *   [uint32 id][uint32 length][bytes][NUL]
 * and the index is an open-addressing table of 8-byte slots, each the upper
 * 32 bits of the hash beside the entry's arena offset + 1. A lookup of a
 * known id — the per-row cost of 200,000 customer ids — thus touches one
 * slot and one arena entry (id, length and bytes side by side): two cache
 * lines, no pointer chase through an id -> offset table. */
#include "cxtop/intern.h"

#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

struct intern {
	char *arena;
	size_t alen, acap;
	uint32_t *offs;    /* id -> arena offset of the entry (for intern_str) */
	uint32_t count;
	size_t ocap;
	uint64_t *slots;   /* hash tag | (entry offset + 1); 0 = empty */
	size_t cap;        /* power of two */
};

#define INTERN_TAG(h) ((h) & 0xffffffff00000000ULL)
#define INTERN_OFF(slot) ((uint32_t)(slot) - 1)
#define INTERN_HDR 8 /* id and length before the bytes */

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

static inline uint32_t intern_u32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* memcmp(a, b, n) == 0 for the short ids that are nearly every lookup,
 * inline: a call to memcmp costs more than comparing a C0057800. */
static inline int intern_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	for (; n; a++, b++, n--)
		if (*a != *b)
			return 0;
	return 1;
}

/* The id of the entry at off if it holds s, else UINT32_MAX. */
static inline uint32_t intern_match(const struct intern *t, uint32_t off, const char *s, size_t n)
{
	const char *e = t->arena + off;
	if (intern_u32(e + 4) != n || !intern_same(e + INTERN_HDR, s, n))
		return UINT32_MAX;
	return intern_u32(e);
}

/* Slot index for s: where it is, or the empty slot where it would go. */
static size_t intern_probe(const struct intern *t, uint64_t h, const char *s, size_t n,
			   uint32_t *id)
{
	size_t i = h & (t->cap - 1);
	*id = UINT32_MAX;
	while (t->slots[i]) {
		if (INTERN_TAG(t->slots[i]) == INTERN_TAG(h)) {
			*id = intern_match(t, INTERN_OFF(t->slots[i]), s, n);
			if (*id != UINT32_MAX)
				return i;
		}
		i = (i + 1) & (t->cap - 1);
	}
	return i;
}

/* Slots keep only the upper half of the hash, so growing the table hashes
 * each string again (amortised O(1) per id, like any doubling). */
static void intern_rehash(struct intern *t)
{
	size_t ncap = t->cap * 2;
	uint64_t *ns = xcalloc_table(ncap, sizeof *ns);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i])
			continue;
		const char *e = t->arena + INTERN_OFF(t->slots[i]);
		uint64_t h = util_hash(e + INTERN_HDR, intern_u32(e + 4));
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
	return intern_find_hashed(t, util_hash(s, n), s, n);
}

uint32_t intern_find_hashed(const struct intern *t, uint64_t h, const char *s, size_t n)
{
	uint32_t id;
	intern_probe(t, h, s, n, &id);
	return id;
}

void intern_prefetch_slot(const struct intern *t, uint64_t h)
{
	__builtin_prefetch(&t->slots[h & (t->cap - 1)]);
}

void intern_prefetch_entry(const struct intern *t, uint64_t h)
{
	uint64_t slot = t->slots[h & (t->cap - 1)];
	if (slot && INTERN_TAG(slot) == INTERN_TAG(h))
		__builtin_prefetch(t->arena + INTERN_OFF(slot));
}

uint32_t intern_add(struct intern *t, const char *s, size_t n)
{
	uint64_t h = util_hash(s, n);
	uint32_t id;
	size_t i = intern_probe(t, h, s, n, &id);
	if (id != UINT32_MAX)
		return id;
	if (t->count == UINT32_MAX - 1 || t->alen + INTERN_HDR + n + 1 >= UINT32_MAX - 1)
		util_fatal("more than 4 GiB of distinct ids");
	id = t->count++;
	t->offs = xgrow(t->offs, &t->ocap, t->count, sizeof *t->offs);
	t->arena = xgrow(t->arena, &t->acap, t->alen + INTERN_HDR + n + 1, 1);
	uint32_t off = (uint32_t)t->alen, len = (uint32_t)n;
	char *e = t->arena + off;
	memcpy(e, &id, 4);
	memcpy(e + 4, &len, 4);
	memcpy(e + INTERN_HDR, s, n);
	e[INTERN_HDR + n] = '\0';
	t->alen += INTERN_HDR + n + 1;
	t->offs[id] = off;
	t->slots[i] = INTERN_TAG(h) | ((uint64_t)off + 1);
	if ((size_t)t->count * 10 > t->cap * 7)
		intern_rehash(t);
	return id;
}

const char *intern_str(const struct intern *t, uint32_t i)
{
	return t->arena + t->offs[i] + INTERN_HDR;
}

uint32_t intern_count(const struct intern *t)
{
	return t->count;
}
