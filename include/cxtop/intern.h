/* intern: a string table mapping ids (customer, campaign, segment,
 * channel) to dense uint32 indices, so that the store keys everything by
 * small integers. Owns its strings. Lookups are O(1) amortised. */
#ifndef CXTOP_INTERN_H
#define CXTOP_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern;

struct intern *intern_new(void);
void intern_free(struct intern *t);
/* Index of s (n bytes), adding it if new. */
uint32_t intern_add(struct intern *t, const char *s, size_t n);
/* Index of s, or UINT32_MAX if absent. */
uint32_t intern_find(const struct intern *t, const char *s, size_t n);
/* The NUL-terminated string of index i (owned by the table). */
const char *intern_str(const struct intern *t, uint32_t i);
uint32_t intern_count(const struct intern *t);

/* Memory hints for a lookup of a string with hash h (util_hash) that is
 * about to come; they change no result. Stage 1 fetches its slot; stage 2,
 * once the slot is likely in cache, the arena entry it points at. */
void intern_prefetch_slot(const struct intern *t, uint64_t h);
void intern_prefetch_entry(const struct intern *t, uint64_t h);
/* intern_find and intern_add with the hash (util_hash) already computed. */
uint32_t intern_find_hashed(const struct intern *t, uint64_t h, const char *s, size_t n);
uint32_t intern_add_hashed(struct intern *t, uint64_t h, const char *s, size_t n);

/* The table as it is, into a state (statefile.h), and a table read back
 * from one: the same ids for the same strings; NULL (the reader marked
 * bad) when what was read is not a table. */
struct statefile_w;
struct statefile_r;
void intern_save(const struct intern *t, struct statefile_w *w);
struct intern *intern_load(struct statefile_r *r);

#endif
