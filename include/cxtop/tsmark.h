/* tsmark: the watermark of a database source read by an ingestion-time
 * cursor (cursor = timestamp, SPEC 8). The loader stamps each row with the
 * time it was loaded (cursor.timestamp = COLUMN) and each row has a unique
 * integer key. A transaction that commits late carries a time earlier than
 * rows already read, so reading "time > the last time seen" would lose it;
 * every read takes the rows from tsmark_low (the highest time seen less
 * lag) instead, and tsmark_see says which of them are new, by key: the
 * keys read at or above tsmark_low are kept, so a row read again is not
 * counted twice.
 *
 * Exact for every transaction whose rows' time is within lag of the highest
 * time seen when it commits; a later commit is lost, as with any polling
 * cursor (the xid cursor has no such limit). Memory: the keys of the last
 * lag of rows, and as many again before they are forgotten. */
#ifndef CXTOP_TSMARK_H
#define CXTOP_TSMARK_H

#include <stddef.h>
#include <stdint.h>

struct tsmark;

/* lag in microseconds, as the times are. */
struct tsmark *tsmark_new(int64_t lag_us);
void tsmark_free(struct tsmark *m);
/* The row with this time (microseconds since 1970) and key was read: 1 if
 * it is new (count it), 0 if it was read before. A row below tsmark_low is
 * new, and not kept: no read asks for it again. */
int tsmark_see(struct tsmark *m, int64_t ts_us, int64_t key);
/* Every row at or above this time is to be read; INT64_MIN = all. */
int64_t tsmark_low(const struct tsmark *m);
/* The highest time seen, INT64_MIN if none. */
int64_t tsmark_high(const struct tsmark *m);
/* Keys kept (rows at or above tsmark_low, and some below not yet
 * forgotten). */
size_t tsmark_kept(const struct tsmark *m);

/* Into a state and back (issue 14): the rows kept, in the order seen
 * (taken up again by tsmark_see, so the keys and the high mark come back
 * as they were); NULL, the reader marked bad, when it is not one. */
struct statefile_w;
struct statefile_r;
void tsmark_save(const struct tsmark *m, struct statefile_w *w);
struct tsmark *tsmark_load(struct statefile_r *r, int64_t lag_us);
#endif
