/* intern: see include/cxtop/intern.h.
 *
 * Strings live in one growing arena, each entry laid out as
 *   [uint32 length][bytes][NUL]
 * with offs[id] pointing at it (for intern_str). The index is an
 * open-addressing table of 16-byte slots, each holding the string's first
 * 8 bytes (zero-padded), its id + 1, and a tag (the top 24 bits of the
 * hash) beside its length (255 = 255 or more). A lookup of a known id of
 * up to 8 bytes — the per-row cost of 200,000 customer ids such as
 * C0057800 — thus touches one slot and nothing else: one cache line. A
 * longer id also compares its arena entry. */
#include "cxtop/intern.h"

#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdlib.h>
#include <string.h>

struct intern_slot {
	uint64_t head;  /* first 8 bytes, zero-padded */
	uint32_t id1;   /* id + 1; 0 = empty */
	uint32_t meta;  /* hash tag << 8 | min(length, 255) */
};

struct intern {
	char *arena;
	size_t alen, acap;
	uint32_t *offs;    /* id -> arena offset of the entry */
	uint32_t count;
	size_t ocap;
	struct intern_slot *slots;
	size_t cap;        /* power of two */
};

#define INTERN_INLINE 8 /* bytes a slot holds */
#define INTERN_HDR 4    /* length before the bytes */

static inline uint32_t intern_meta(uint64_t h, size_t n)
{
	return (uint32_t)(h >> 40) << 8 | (uint32_t)(n < 255 ? n : 255);
}

static inline uint64_t intern_head(const char *s, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, s, n < INTERN_INLINE ? n : INTERN_INLINE);
	return v;
}

static inline uint32_t intern_u32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

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
	xfree_table(t->slots);
	free(t);
}

/* 1 if the n bytes at a and b are equal: inline, since a call to memcmp
 * costs more than comparing the rest of a short id. */
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

/* Slot index for s: where it is, or the empty slot where it would go.
 * head and meta are s's (intern_head, intern_meta). */
static size_t intern_probe(const struct intern *t, uint64_t h, uint64_t head, uint32_t meta,
			   const char *s, size_t n, uint32_t *id)
{
	size_t i = h & (t->cap - 1);
	*id = UINT32_MAX;
	for (; t->slots[i].id1; i = (i + 1) & (t->cap - 1)) {
		const struct intern_slot *sl = &t->slots[i];
		if (sl->meta != meta || sl->head != head)
			continue;
		if (n > INTERN_INLINE) {
			/* the rest of a long id is in its arena entry */
			const char *e = t->arena + t->offs[sl->id1 - 1];
			if (intern_u32(e) != n ||
			    !intern_same(e + INTERN_HDR + INTERN_INLINE, s + INTERN_INLINE,
					 n - INTERN_INLINE))
				continue;
		}
		*id = sl->id1 - 1;
		return i;
	}
	return i;
}

/* Slots keep only part of the hash, so growing the table hashes each
 * string again (amortised O(1) per id, like any doubling). */
static void intern_rehash(struct intern *t)
{
	size_t ncap = t->cap * 2;
	struct intern_slot *ns = xcalloc_table(ncap, sizeof *ns);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->slots[i].id1)
			continue;
		const char *e = t->arena + t->offs[t->slots[i].id1 - 1];
		uint64_t h = util_hash(e + INTERN_HDR, intern_u32(e));
		size_t j = h & (ncap - 1);
		while (ns[j].id1)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	xfree_table(t->slots);
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
	intern_probe(t, h, intern_head(s, n), intern_meta(h, n), s, n, &id);
	return id;
}

void intern_prefetch_slot(const struct intern *t, uint64_t h)
{
	__builtin_prefetch(&t->slots[h & (t->cap - 1)]);
}

void intern_prefetch_entry(const struct intern *t, uint64_t h)
{
	const struct intern_slot *sl = &t->slots[h & (t->cap - 1)];
	/* only an id longer than a slot's 8 bytes reads its arena entry */
	if (sl->id1 && (sl->meta & 0xff) > INTERN_INLINE && (sl->meta >> 8) == (uint32_t)(h >> 40))
		__builtin_prefetch(t->arena + t->offs[sl->id1 - 1]);
}

uint32_t intern_add(struct intern *t, const char *s, size_t n)
{
	return intern_add_hashed(t, util_hash(s, n), s, n);
}

uint32_t intern_add_hashed(struct intern *t, uint64_t h, const char *s, size_t n)
{
	uint64_t head = intern_head(s, n);
	uint32_t meta = intern_meta(h, n), id;
	size_t i = intern_probe(t, h, head, meta, s, n, &id);
	if (id != UINT32_MAX)
		return id;
	if (t->count == UINT32_MAX - 1 || t->alen + INTERN_HDR + n + 1 >= UINT32_MAX - 1)
		util_fatal("more than 4 GiB of distinct ids");
	id = t->count++;
	t->offs = xgrow(t->offs, &t->ocap, t->count, sizeof *t->offs);
	t->arena = xgrow(t->arena, &t->acap, t->alen + INTERN_HDR + n + 1, 1);
	uint32_t off = (uint32_t)t->alen, len = (uint32_t)n;
	char *e = t->arena + off;
	memcpy(e, &len, 4);
	memcpy(e + INTERN_HDR, s, n);
	e[INTERN_HDR + n] = '\0';
	t->alen += INTERN_HDR + n + 1;
	t->offs[id] = off;
	t->slots[i] = (struct intern_slot){ .head = head, .id1 = id + 1, .meta = meta };
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

/* The arena, the ids' offsets and the slots as they are: a load is three
 * copies, no hashing (200,000 ids re-added took longer than reading the
 * rest of a state). */
void intern_save(const struct intern *t, struct statefile_w *w)
{
	statefile_put_u64(w, t->alen);
	statefile_put(w, t->arena, t->alen);
	statefile_put_u32(w, t->count);
	statefile_put(w, t->offs, (size_t)t->count * sizeof *t->offs);
	statefile_put_u64(w, t->cap);
	statefile_put_table(w, t->slots, t->cap * sizeof *t->slots);
}

struct intern *intern_load(struct statefile_r *r)
{
	uint64_t alen = statefile_get_u64(r);
	if (alen > statefile_left(r)) {
		statefile_mark_bad(r);
		return NULL;
	}
	struct intern *t = xcalloc(1, sizeof *t);
	t->alen = t->acap = (size_t)alen;
	t->arena = xmalloc(alen ? (size_t)alen : 1);
	statefile_get(r, t->arena, (size_t)alen);
	uint32_t count = statefile_get_u32(r);
	t->offs = xmalloc(count ? count * sizeof *t->offs : 1);
	t->count = t->ocap = count;
	if ((uint64_t)count * sizeof *t->offs <= statefile_left(r))
		statefile_get(r, t->offs, count * sizeof *t->offs);
	else
		statefile_mark_bad(r);
	uint64_t cap = statefile_get_u64(r);
	if (!cap || (cap & (cap - 1)) != 0 || count >= cap ||
	    cap > statefile_left(r) / sizeof *t->slots) {
		statefile_mark_bad(r);
	} else {
		t->cap = (size_t)cap;
		t->slots = statefile_get_table(r, t->cap * sizeof *t->slots);
	}
	/* every entry inside the arena, with its length */
	for (uint32_t i = 0; i < count && !statefile_bad(r); i++)
		if (t->offs[i] + (uint64_t)INTERN_HDR >= alen)
			statefile_mark_bad(r);
	if (statefile_bad(r)) {
		intern_free(t);
		return NULL;
	}
	return t;
}
