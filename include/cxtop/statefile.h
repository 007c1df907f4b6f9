/* statefile: the container of what cxtop keeps between runs (issue 14,
 * SPEC 7). It knows nothing of what it holds: the store and the files'
 * positions are written into it and read back by their own modules
 * (storeio, ...); it gives them a byte stream that is either whole and
 * exactly what was written, or refused with a reason.
 *
 * Layout: "CXSTATE\n", the format version (u32), the dependencies' hash
 * (u64: what the caller says the state depends on, such as the config's
 * text and cxtop's version; a state of other dependencies is refused as
 * "written by another version or config"), the payload's length (u64),
 * the payload, and a checksum (u64) of everything before it. Numbers are
 * little-endian as the machine writes them: a state is read by the
 * machine that wrote it; a foreign one fails the magic or the checksum.
 * Tables of 256 KiB or more sit on pages of their own (statefile_put_table)
 * so that a reader maps them instead of copying.
 *
 * Written atomically: a temporary file beside the state (mode 0600, its
 * directory made 0700), fsync, rename over the state, fsync of the
 * directory; a failed write (a full disk) removes the temporary file and
 * leaves the previous state as it was. Read from a mapping of the file (a
 * large table keeps its own mapping) and checksummed on the way: what was read
 * may be trusted only once statefile_end says the whole is intact, so a
 * reader builds what it reads apart and puts it in place after that. A
 * read past the payload's end returns zeros and marks the reader bad, so a
 * state that lies about its lengths cannot make its reader run off. */
#ifndef CXTOP_STATEFILE_H
#define CXTOP_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#define STATEFILE_FORMAT 4

/* Where the state of a config (its path, or "" for none) and a data
 * directory lives: $XDG_STATE_HOME/cxtop/, else ~/.local/state/cxtop/, a
 * file named by a hash of both (data_dir resolved). A fresh string; NULL
 * with a reason in err when neither directory can be named (no HOME). */
char *statefile_path(const char *config_path, const char *data_dir, char *err, size_t n);

/* The checksum of the format (fast: lanes of 64-bit multiply and rotate,
 * so that one changed word always changes it). */
uint64_t statefile_checksum(const void *p, size_t n);

struct statefile_w;
/* A state being written to path (its temporary file made now); NULL with
 * the reason in err (an unwritable directory). */
struct statefile_w *statefile_create(const char *path, uint64_t deps, char *err, size_t n);
void statefile_put(struct statefile_w *w, const void *p, size_t n);
void statefile_put_u32(struct statefile_w *w, uint32_t v);
void statefile_put_u64(struct statefile_w *w, uint64_t v);
void statefile_put_i64(struct statefile_w *w, int64_t v);
void statefile_put_f64(struct statefile_w *w, double v);
/* A string with its length; NULL is kept apart from "". */
void statefile_put_str(struct statefile_w *w, const char *s);
/* A large array (a hash table's slots, ...) that a reader takes up with
 * statefile_get_table: from 256 KiB on it is put on pages of its own of
 * the file (zeros before and after), so that it can be mapped. */
void statefile_put_table(struct statefile_w *w, const void *p, size_t n);
/* Bytes written so far (the payload). */
uint64_t statefile_written(const struct statefile_w *w);
/* Finish and put the state in place (frees w): 0, or -1 with the reason
 * in err (ENOSPC, EIO: the old state stays, the temporary file goes). */
int statefile_commit(struct statefile_w *w, char *err, size_t n);
/* Drop the state being written (frees w; NULL does nothing). */
void statefile_abort(struct statefile_w *w);

struct statefile_r;
/* The state at path, its header checked: NULL with the reason in err ("no
 * state yet" when there is none; "damaged: its length is wrong", "written
 * by another version of cxtop or for another config", ...). */
struct statefile_r *statefile_open(const char *path, uint64_t deps, char *err, size_t n);
/* The next n bytes into p (zeros past the end, and the reader bad). */
void statefile_get(struct statefile_r *r, void *p, size_t n);
/* The next n bytes in a buffer of the reader's (valid until the next
 * call of it or statefile_close), or NULL past the end (the reader bad). */
const void *statefile_get_view(struct statefile_r *r, size_t n);
/* The n bytes of a statefile_put_table, in memory of the caller's: a
 * private mapping of the file's pages when they are large (no copy: the
 * kernel reads a page in when it is first touched and copies it when it
 * is first written), else a malloc'd copy. Free or grow it with
 * xfree_table / xrealloc_table (util.h), never free. Never NULL; zeros
 * and the reader bad past the end. */
void *statefile_get_table(struct statefile_r *r, size_t n);
uint32_t statefile_get_u32(struct statefile_r *r);
uint64_t statefile_get_u64(struct statefile_r *r);
int64_t statefile_get_i64(struct statefile_r *r);
double statefile_get_f64(struct statefile_r *r);
/* A fresh string (the caller frees it), or NULL as written (or bad). */
char *statefile_get_str(struct statefile_r *r);
/* 1 once a read went past the end, or a reader marked it (a value out of
 * its range): what was read cannot be trusted. */
int statefile_bad(const struct statefile_r *r);
void statefile_mark_bad(struct statefile_r *r);
/* Bytes of payload not read yet. */
uint64_t statefile_left(const struct statefile_r *r);
/* Read what is left and the checksum: 0 when the whole state is what was
 * written, else -1 with the reason in err ("damaged: its checksum is
 * wrong"): nothing read from it may then be used. */
int statefile_end(struct statefile_r *r, char *err, size_t n);
void statefile_close(struct statefile_r *r);

#endif
