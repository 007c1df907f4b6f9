/* pairs: the set of (campaign, customer) pairs that events name, each with
 * eight flags (the store's STORE_F_*: sent, delivered, opened, ...). It is
 * the store's largest table — one entry per recipient of each campaign,
 * millions of them — so an entry is 8 bytes, key and flags together:
 *   flags << 56 | (campaign + 1) << 32 | customer
 * which caps campaigns at PAIRS_CAMPAIGNS_MAX (16.7 million) and halves
 * the memory and cache misses of a 16-byte hmap entry. Open addressing,
 * linear probing, load <= 0.7, doubles when full; 0 is an empty slot. */
#ifndef CXTOP_PAIRS_H
#define CXTOP_PAIRS_H

#include <stddef.h>
#include <stdint.h>

#define PAIRS_CAMPAIGNS_MAX ((1u << 24) - 2)

struct pairs {
	uint64_t *e;  /* cap entries; 0 = empty */
	size_t cap;   /* power of two, or 0 */
	size_t count;
};

void pairs_init(struct pairs *p);
/* Frees the storage; the set is empty and reusable. */
void pairs_clear(struct pairs *p);
/* The entry of (campaign, customer), inserted without flags if new (*added
 * says so); campaign must be <= PAIRS_CAMPAIGNS_MAX. The pointer is valid
 * until the next insertion. */
uint64_t *pairs_put(struct pairs *p, uint32_t campaign, uint32_t customer, int *added);
/* Room for n pairs without growing: for a large read whose size is known
 * before it starts, so that the table is not rehashed, all at once, as it
 * doubles (2M to 4M entries took 70-100 ms in one loop turn). */
void pairs_reserve(struct pairs *p, size_t n);
/* A memory hint for a pairs_put that is about to come. */
void pairs_prefetch(const struct pairs *p, uint32_t campaign, uint32_t customer);

/* Parts of an entry (nonzero). */
static inline unsigned pairs_flags(uint64_t e)
{
	return (unsigned)(e >> 56);
}

static inline uint32_t pairs_campaign(uint64_t e)
{
	return (uint32_t)(e >> 32 & 0xffffff) - 1;
}

static inline uint32_t pairs_customer(uint64_t e)
{
	return (uint32_t)e;
}

/* Sets flags (the low 8 bits of f) in entry *e. */
static inline void pairs_set(uint64_t *e, unsigned f)
{
	*e |= (uint64_t)(f & 0xff) << 56;
}

/* The table as it is, into a state (statefile.h), and read back into p
 * (empty): 0, or -1 with the reader marked bad. */
struct statefile_w;
struct statefile_r;
void pairs_save(const struct pairs *p, struct statefile_w *w);
int pairs_load(struct pairs *p, struct statefile_r *r);

#endif
