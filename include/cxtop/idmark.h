/* idmark: the watermark of a database source read by an id cursor
 * (cursor = id, SPEC 8). Ids are handed out when a row is inserted and seen
 * when its transaction commits, so a later id can be visible before an
 * earlier one (warehouse.md, section 2): reading "id > the last id seen"
 * loses the earlier row for good. idmark keeps the holes instead: the ids
 * below the highest seen that have not been seen, each with the time it was
 * first missed. A read asks for every id above idmark_low (the last id
 * below which nothing is missing), idmark_see says which rows are new (a
 * row read again above a hole is not counted twice), and a hole still
 * empty after lag is taken for what it usually is, an id that will never
 * come (a rolled-back insert, a cached sequence value), and given up.
 *
 * Exact for every transaction that commits within lag of a later id's
 * commit; a later commit is lost, as with any polling cursor (the xid
 * cursor has no such limit). Memory: one entry per hole range, at most
 * IDMARK_HOLES_MAX; past that the lowest quarter is given up early. */
#ifndef CXTOP_IDMARK_H
#define CXTOP_IDMARK_H

#include <stddef.h>
#include <stdint.h>

#define IDMARK_HOLES_MAX 65536

struct idmark;

struct idmark *idmark_new(int64_t lag_ms);
void idmark_free(struct idmark *m);
/* The row with id k was read at now_ms: 1 if it is new (count it), 0 if it
 * was read before. */
int idmark_see(struct idmark *m, int64_t k, int64_t now_ms);
/* Ids lo..hi are known to be missing below the highest id, as of now_ms
 * (what a database said of ids it did not send), and that highest id. */
void idmark_missing(struct idmark *m, int64_t lo, int64_t hi, int64_t now_ms);
void idmark_seen_up_to(struct idmark *m, int64_t high);
/* Give up holes older than lag. */
void idmark_settle(struct idmark *m, int64_t now_ms);
/* Every id above this is to be read (ids at or below it are done). */
int64_t idmark_low(const struct idmark *m);
/* The highest id seen, INT64_MIN if none. */
int64_t idmark_high(const struct idmark *m);
/* Hole ranges waiting. */
size_t idmark_holes(const struct idmark *m);

/* Into a state and back (issue 14): the highest id and the holes, each
 * with how long it had been missing at now_ms (the monotonic clocks of two
 * runs do not agree); NULL, the reader marked bad, when it is not one. */
struct statefile_w;
struct statefile_r;
void idmark_save(const struct idmark *m, struct statefile_w *w, int64_t now_ms);
struct idmark *idmark_load(struct statefile_r *r, int64_t lag_ms, int64_t now_ms);
#endif
