/* keep: this run's state between runs (issue 14, SPEC 7): where it lives,
 * the lock that gives it to one cxtop at a time, what it depends on, and
 * taking it up into an ingest or writing it from one (statefile.h holds
 * the container, ingest_save/ingest_restore what goes in it).
 *
 * A state depends on cxtop's version, the state format, the config file's
 * text and the data directory: any of them different and the state is not
 * used (everything is read from the files, and the state written anew).
 * The lock is an flock on STATE.lock: a second cxtop on the same data and
 * config says so and runs without the state (it neither reads nor writes
 * it, so the first one's is never overwritten by a half-read one). */
#ifndef CXTOP_KEEP_H
#define CXTOP_KEEP_H

#include <stddef.h>
#include <sys/types.h>

#include "cxtop/config.h"
#include "cxtop/ingest.h"

struct keep;

/* The state of cfg (its file) and data_dir at path (NULL: the default,
 * statefile_path), locked. NULL when there is none to keep, with the
 * reason in msg ("" when the state is off by choice). */
struct keep *keep_open(const struct config *cfg, const char *data_dir, const char *path,
		       char *msg, size_t n);
/* Release the lock and free (a background write under way is waited
 * for). NULL does nothing. */
void keep_free(struct keep *k);
const char *keep_path(const struct keep *k);
/* Take the state up into in (new, nothing read yet), and the view memo
 * kept with it into memo (NULL: none wanted; view_memo_adopt: its parts
 * that do not fit start over). msg: "" when taken up whole or when there
 * was none yet; else lines saying what is read again and why. Returns 1
 * if a state was taken up (whole or in part). */
struct view_memo;
int keep_restore(struct keep *k, struct ingest *in, struct view_memo *memo, char *msg, size_t n);
/* Write in's state now, with memo (the view memo of in's store, or NULL;
 * view_memo_save keeps only what is current): 0, or -1 with the reason in msg (the old state
 * stays). Skipped when nothing was read since the state on disk; lazy
 * (--once) also skips it while all that was read since is rows appended
 * to files it went on reading, no more than a quarter of the state's size
 * in bytes: the next start reads those again, which costs less than the
 * write (the state on disk stays exact for the files as they were). */
int keep_save(struct keep *k, struct ingest *in, const struct view_memo *memo, int lazy, char *msg,
	      size_t n);
/* The same in a child process (fork: a copy of memory as it is now), so
 * that a loop does not wait for the write: 0 once started (or one is still
 * under way), -1 with msg if it cannot start. keep_poll says how the last
 * one ended: 1 done, -1 failed (msg), 0 none ended since the last call. */
int keep_save_bg(struct keep *k, struct ingest *in, const struct view_memo *memo, char *msg,
		 size_t n);
int keep_poll(struct keep *k, char *msg, size_t n);

#endif
