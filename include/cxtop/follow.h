/* follow: one data file followed over time (SPEC section 2). It hands the
 * bytes that are new since the last call to a callback, in bounded batches,
 * and says what happened to the file: first seen, rotated, truncated or
 * rewritten in place, missing, unreadable.
 *
 * Log files are read from the last byte offset (64-bit), so an append costs
 * work proportional to the appended bytes. A rotation (new device+inode at
 * the path) drains the old open file to its end first, then reads the new
 * file from byte 0. A shrink, or a change of the fingerprint (the first
 * line plus up to FOLLOW_FP_TAIL bytes after it — every export starts with
 * the same header, so the bytes after it are what tell a rewrite), means the
 * file's contribution must be recomputed: follow reports FOLLOW_EV_RESET and
 * starts again from byte 0. A new file at the path whose fingerprint is the
 * log's own (rsync, cp, an editor's save, a restored directory) is a copy,
 * not a rotation: reading goes on from the same offset, or — when the old
 * file had already gone — a RESET makes its rows count once, not twice.
 * Snapshot files are re-read whole whenever their identity, size or mtime
 * changes.
 *
 * follow never writes to, locks, or moves a file; it opens read-only. */
#ifndef CXTOP_FOLLOW_H
#define CXTOP_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FOLLOW_FP_TAIL 1024

enum follow_mode { FOLLOW_LOG, FOLLOW_SNAPSHOT };

enum follow_state {
	FOLLOW_WAITING,   /* never seen yet */
	FOLLOW_OK,        /* open and read */
	FOLLOW_MISSING,   /* was seen, now gone; its data stays counted */
	FOLLOW_ROTATED,   /* replaced by a new file since the last call */
	FOLLOW_ERROR      /* unreadable: permission, a directory, a FIFO ... */
};

/* What the callback is told, in this order for one file's life:
 * BEGIN (a file starts at byte 0: the parser starts fresh, a header comes),
 * DATA* (bytes in file order), END (this file is read to its end and closed:
 * the parser may flush a last line without newline).
 * RESET comes alone, for a log whose content changed in place (truncated or
 * rewritten): everything counted from this path must be discarded; a BEGIN
 * from byte 0 follows on the same or a later call. */
enum follow_ev { FOLLOW_EV_BEGIN, FOLLOW_EV_DATA, FOLLOW_EV_END, FOLLOW_EV_RESET };

typedef void (*follow_cb)(void *ctx, enum follow_ev ev, const char *buf, size_t len);

struct follow;

/* Follow path (no glob); nothing is opened until the first follow_poll. */
struct follow *follow_new(const char *path, enum follow_mode mode);
/* Close and free; follow_free(NULL) does nothing. */
void follow_free(struct follow *f);

/* Flags returned by follow_poll. */
#define FOLLOW_CHANGED 1 /* bytes were delivered or the state changed */
#define FOLLOW_MORE    2 /* max_bytes was reached: call again for the rest */

/* Look at the file and deliver up to max_bytes of new bytes to cb. Cheap
 * when nothing changed (one stat). A log's last line without a newline is
 * delivered too: holding a partial row back is the parser's job, and its
 * state carries over between calls. Never fatal: problems become states. */
int follow_poll(struct follow *f, size_t max_bytes, follow_cb cb, void *ctx);

/* follow_poll with the path's stat taken by the caller: err is 0 and st
 * its result, or the errno of the failed stat. A caller that decided
 * something from that stat (ingest's rename matching) so acts on the same
 * look of the path as follow does. */
int follow_poll_stat(struct follow *f, int err, const struct stat *st, size_t max_bytes,
		     follow_cb cb, void *ctx);

/* The device and inode of the log file open for reading: returns 1 with
 * them set, 0 when no file is open (or f is a snapshot). */
int follow_open_id(const struct follow *f, dev_t *dev, ino_t *ino);
/* Exchange the open log files of a and b with their reading state
 * (offset, fingerprint, whether BEGIN was delivered); either may have none.
 * For a file renamed from one followed path to another: the follow of its
 * new path reads on from where the old one stopped, and the old path's
 * follow opens whatever is there now from byte 0. */
void follow_swap_file(struct follow *a, struct follow *b);

/* Whether the file at f's path, which f has not begun to read, is a copy
 * of the log of that is being read: it begins with the bytes of of's
 * fingerprint (which covers rows, not only the header) and is no larger
 * than of's file. logrotate's copytruncate makes such a copy before it
 * empties the log. */
int follow_copy_of(struct follow *f, const struct follow *of);

/* Forget the offset so that the next poll delivers BEGIN and the file from
 * byte 0 (used when a sibling source was reset and the kind is rebuilt). */
void follow_rewind(struct follow *f);

/* What a restart needs of a follow (issue 14): the identity of the file it
 * reads and how far, with the fingerprint of its first bytes; for a
 * snapshot, the identity, size and mtime of the copy last read whole. */
struct follow_mark {
	int kept;              /* a log begun, or a snapshot read whole */
	uint64_t dev, ino, offset;
	uint64_t fp_hash, fp_len, fp_want;
	uint64_t size;         /* a snapshot's, as read */
	int64_t mtime_s, mtime_ns;
};
void follow_mark(const struct follow *f, struct follow_mark *m);
/* Take m up again in a new follow (none polled yet): 1 if the file at the
 * path is m's file, not shorter than m's offset and still beginning with
 * the fingerprinted bytes (a snapshot: same identity, size and mtime), and
 * f then reads on from m's offset (a snapshot: is not read again until it
 * changes); 0 if not, f untouched (read from byte 0, as new). */
int follow_resume(struct follow *f, const struct follow_mark *m);

enum follow_state follow_state(const struct follow *f);
const char *follow_state_name(enum follow_state s);
/* Human reason for FOLLOW_ERROR ("permission denied"), else "". */
const char *follow_error(const struct follow *f);
const char *follow_path(const struct follow *f);
/* Bytes delivered of the current file, and its size at the last look. */
uint64_t follow_offset(const struct follow *f);
uint64_t follow_size(const struct follow *f);
/* Number of rotations and resets seen so far. */
unsigned follow_rotations(const struct follow *f);
unsigned follow_resets(const struct follow *f);

/* ---- change notification for the main loop --------------------------- */
/* One inotify instance for all followed paths; watches their directories
 * (so files that do not exist yet, renames and deletions are seen). When
 * inotify is unavailable, follow_watch_fd() is -1 and the caller polls every
 * poll_ms. Polling every poll_ms is also done when inotify works, because
 * inotify says nothing on NFS and some container mounts. */
struct follow_watch;
struct follow_watch *follow_watch_new(void);
void follow_watch_free(struct follow_watch *w);
/* Watch the directory that holds path (once per directory). */
void follow_watch_add(struct follow_watch *w, const char *path);
/* The fd to poll() for POLLIN, or -1 without inotify. */
int follow_watch_fd(const struct follow_watch *w);
/* Whether inotify hears every change of every followed path: it works,
 * every directory is watched (none is missing), each on a local file
 * system (not NFS, SMB, FUSE, overlayfs ...). Then the caller's timer need
 * not stat every file every poll_ms; a slow safety sweep is enough. */
int follow_watch_complete(const struct follow_watch *w);
/* Drain pending notifications; returns 1 if any arrived. */
int follow_watch_drain(struct follow_watch *w);

#endif
