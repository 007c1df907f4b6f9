/* storeio: the store into a state file and back (issue 14). What it
 * writes is everything the numbers are made of — the id tables, the
 * campaigns, customers, (campaign, customer) pairs, engaged days,
 * audience owners, days, responses and comments, and the counters kept
 * beside them — and what it leaves out is what a new process rebuilds
 * anyway (the caches' logs, the lookup cache, a recount under way: a store
 * whose bases were being recounted is loaded as not yet settled). Tables
 * go as they are in memory, so that a load is copies, not hashing: a
 * state is read by the build that wrote it (the layout's sizes are
 * written first and checked). Besides store.c, the only writer of a
 * store's fields. */
#ifndef CXTOP_STOREIO_H
#define CXTOP_STOREIO_H

#include "cxtop/statefile.h"
#include "cxtop/store.h"

void storeio_save(const struct store *s, struct statefile_w *w);
/* A store read from r, with the masks of store_new; NULL (r marked bad)
 * if what was read is not a store of this build. */
struct store *storeio_load(struct statefile_r *r, unsigned engaged_mask, unsigned hve_mask);

#endif
