/* hmap: open-addressing hash map from nonzero uint64 keys to uint32
 * values (linear probing, load <= 0.7, doubles when full). The store keeps
 * its (customer, day) engagement set and its audience owners in hmaps:
 * one probe per event keeps updates O(1) amortised ((campaign, customer)
 * pairs, the largest set, have their own 8-byte table: pairs.h). Key
 * and value share one 16-byte entry, so a probe touches one cache line —
 * with millions of pairs nearly every probe misses the cache, and two
 * parallel arrays would miss twice. Key 0 is reserved as "empty". */
#ifndef CXTOP_HMAP_H
#define CXTOP_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	uint64_t key; /* 0 = empty */
	uint32_t val;
};

struct hmap {
	struct hmap_entry *e;
	size_t cap;   /* power of two, or 0 */
	size_t count;
};

void hmap_init(struct hmap *m);
void hmap_clear(struct hmap *m); /* frees storage; the map is empty and reusable */
/* Pointer to the value of key, inserting it with value 0 if new. The
 * pointer is valid until the next insertion. *added says if it was new. */
uint32_t *hmap_put(struct hmap *m, uint64_t key, int *added);
/* A memory hint for a probe of key that is about to come. */
void hmap_prefetch(const struct hmap *m, uint64_t key);
/* Pointer to the value of key, or NULL. */
uint32_t *hmap_get(const struct hmap *m, uint64_t key);

/* The map as it is, into a state (statefile.h), and read back into m
 * (empty): 0, or -1 with the reader marked bad. */
struct statefile_w;
struct statefile_r;
void hmap_save(const struct hmap *m, struct statefile_w *w);
int hmap_load(struct hmap *m, struct statefile_r *r);

#endif
