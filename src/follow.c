/* follow: one data file followed over time, plus the inotify watch that
 * tells the main loop when to look again. See include/cxtop/follow.h.
 *
 * Each follow_poll starts with one stat(path) and decides from it alone
 * whether anything must be read, so an idle file costs one system call.
 *
 * Invariants:
 *  - fd is the file being read, or -1. dev/ino are its identity (from fstat
 *    on the fd, not from the path, so a swap between stat and open cannot
 *    confuse us). The fd is never closed before it has been read to its end
 *    and END delivered, except when the caller rewinds.
 *  - begun says BEGIN was delivered for the file on fd; every DATA follows a
 *    BEGIN, every END closes a BEGIN.
 *  - offset is the number of bytes of the file on fd delivered since its
 *    BEGIN. Bytes are always delivered in file order from offset, so the
 *    fingerprint can be built from the delivered bytes without extra reads.
 *  - fp_hash covers bytes [0, fp_len) of the file on fd; fp_len <= offset.
 *  - Every callback is counted against max_bytes only for DATA bytes; BEGIN,
 *    END and RESET are free, so a poll with budget left always makes
 *    progress.
 *
 * Logs keep their fd open between polls (a rotated file is still readable
 * through it). Snapshots are opened, read whole and closed; between polls a
 * snapshot fd is open only while a read was cut short by max_bytes.
 *
 * A copy is not a rotation. A new file at the path whose fingerprint is the
 * one of the log counted so far — and that fingerprint covers bytes past
 * the header, so that a rotated header-only file is not taken for it — is
 * the same log again: rsync, cp or an editor replaced it, or the data
 * directory was restored. Counting it as a new file would count its rows
 * twice. While the old file is still open, reading simply goes on in the
 * copy from the same offset (a shorter copy is then a shrink: RESET). When
 * the old file was already ended (it went missing, or a directory or FIFO
 * stood in its place), the copy comes with RESET before its BEGIN, so the
 * kind is recounted from the files as they now are. */
#define _FILE_OFFSET_BITS 64 /* offsets over 4 GiB on 32-bit systems too */

#include "cxtop/follow.h"
#include "cxtop/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

_Static_assert(sizeof(off_t) >= 8, "follow needs 64-bit file offsets");

/* Read buffer size: large enough to make a first read of a big file cheap
 * in system calls, small enough to stay in cache. */
#define FOLLOW_BUF 65536
/* A first line longer than this is not a CSV header; the fingerprint then
 * stops looking for its end so that a check never reads more than
 * FOLLOW_FP_HEAD + FOLLOW_FP_TAIL bytes. */
#define FOLLOW_FP_HEAD 16384

_Static_assert(FOLLOW_FP_HEAD + FOLLOW_FP_TAIL <= FOLLOW_BUF, "fingerprint must fit the buffer");

struct follow {
	char *path;
	enum follow_mode mode;
	enum follow_state state;
	char err[96];

	int fd;
	dev_t dev;
	ino_t ino;
	int begun;
	uint64_t offset;
	uint64_t size;

	struct stat last; /* the path's stat at the last look */
	int last_ok;      /* last holds a regular file */
	int denied;       /* the path's file may not be read (re-asked on chmod) */
	int seen;         /* a file was opened once: gone means MISSING */

	/* snapshot: identity, size and mtime of the copy last read whole */
	struct stat snap;
	int snap_ok;

	uint64_t fp_hash;
	uint64_t fp_len;
	uint64_t fp_want; /* fp_len stops here; 0 while the first '\n' is unknown */

	/* the fingerprint of the log last ended because it left the path, to
	 * tell a copy of it that comes back from a new file (see the top) */
	int gone_ok;
	uint64_t gone_hash;
	uint64_t gone_fplen;

	unsigned rotations;
	unsigned resets;
	char *buf;
};

/* One poll's callback, budget and result flags, passed down the helpers. */
struct follow_run {
	follow_cb cb;
	void *ctx;
	size_t budget;
	int flags;
};

/* What stat(path) said. */
enum follow_look {
	FOLLOW_LOOK_FILE,    /* a regular file (a symlink to one counts) */
	FOLLOW_LOOK_GONE,    /* nothing there */
	FOLLOW_LOOK_OTHER,   /* something that is not a regular file */
	FOLLOW_LOOK_UNKNOWN  /* stat failed: we cannot tell what is there */
};

struct follow *follow_new(const char *path, enum follow_mode mode)
{
	struct follow *f = xcalloc(1, sizeof *f);

	f->path = xstrdup(path);
	f->mode = mode;
	f->state = FOLLOW_WAITING;
	f->fd = -1;
	return f;
}

void follow_free(struct follow *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->buf);
	free(f->path);
	free(f);
}

static void follow_set_state(struct follow *f, enum follow_state s, const char *err)
{
	f->state = s;
	util_strlcpy(f->err, s == FOLLOW_ERROR && err ? err : "", sizeof f->err);
}

static void follow_errno_msg(char *msg, size_t n, int err)
{
	if (err == EACCES || err == EPERM)
		util_strlcpy(msg, "permission denied", n);
	else
		util_strlcpy(msg, strerror(err), n);
}

/* What a stat of the path said: err is 0 with st its result, or errno. */
static enum follow_look follow_look(int err, const struct stat *st, char *msg, size_t n)
{
	if (err) {
		if (err == ENOENT || err == ENOTDIR)
			return FOLLOW_LOOK_GONE;
		follow_errno_msg(msg, n, err);
		return FOLLOW_LOOK_UNKNOWN;
	}
	if (S_ISDIR(st->st_mode)) {
		util_strlcpy(msg, "is a directory", n);
		return FOLLOW_LOOK_OTHER;
	}
	if (!S_ISREG(st->st_mode)) {
		util_strlcpy(msg, "not a regular file", n);
		return FOLLOW_LOOK_OTHER;
	}
	return FOLLOW_LOOK_FILE;
}

static int follow_same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Same file with the same content as far as stat can tell. ctime is in the
 * comparison so that a rewrite that restores the old mtime (cp -p, touch -r)
 * is still noticed. */
static int follow_same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size && a->st_mode == b->st_mode &&
	       a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	       follow_same_time(&a->st_mtim, &b->st_mtim) &&
	       follow_same_time(&a->st_ctim, &b->st_ctim);
}

/* Whether the regular file at the path may be read, and remember st as the
 * last look. Access is asked again only when the file, its owner or its
 * mode changed, so an unchanged file still costs just the one stat. An open
 * fd would keep reading after a chmod 000, but the user asked to follow the
 * path and is told it became unreadable. */
static int follow_readable(struct follow *f, const struct stat *st)
{
	if (!f->last_ok || st->st_dev != f->last.st_dev || st->st_ino != f->last.st_ino ||
	    st->st_mode != f->last.st_mode || st->st_uid != f->last.st_uid ||
	    st->st_gid != f->last.st_gid)
		f->denied = faccessat(AT_FDCWD, f->path, R_OK, AT_EACCESS) != 0 &&
			    (errno == EACCES || errno == EPERM);
	f->last = *st;
	f->last_ok = 1;
	return !f->denied;
}

static void follow_fp_clear(struct follow *f)
{
	f->fp_hash = UTIL_FNV_INIT;
	f->fp_len = 0;
	f->fp_want = 0;
}

/* Extend the fingerprint with n bytes delivered at file offset f->offset
 * (always == fp_len while the fingerprint is still growing). */
static void follow_fp_feed(struct follow *f, const char *p, size_t n)
{
	size_t take = n;

	if (f->fp_len != f->offset || (f->fp_want && f->fp_len >= f->fp_want))
		return;
	if (!f->fp_want) {
		size_t look = n;
		const char *nl;

		if (f->fp_len + look > FOLLOW_FP_HEAD)
			look = (size_t)(FOLLOW_FP_HEAD - f->fp_len);
		nl = memchr(p, '\n', look);
		if (nl)
			f->fp_want = f->fp_len + (uint64_t)(nl - p) + 1 + FOLLOW_FP_TAIL;
		else if (f->fp_len + n >= FOLLOW_FP_HEAD)
			f->fp_want = FOLLOW_FP_HEAD + FOLLOW_FP_TAIL;
	}
	if (f->fp_want && f->fp_len + take > f->fp_want)
		take = (size_t)(f->fp_want - f->fp_len);
	f->fp_hash = util_fnv(f->fp_hash, p, take);
	f->fp_len += take;
}

/* Do the first len bytes of fd hash to hash? One pread of at most
 * FOLLOW_FP_HEAD + FOLLOW_FP_TAIL bytes, whatever the file's size. */
static int follow_fd_matches(struct follow *f, int fd, uint64_t len, uint64_t hash)
{
	size_t want = (size_t)len, got = 0;

	if (!want)
		return 1;
	while (got < want) {
		ssize_t n = pread(fd, f->buf + got, want - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* shorter than before: changed */
		got += (size_t)n;
	}
	return util_fnv(UTIL_FNV_INIT, f->buf, want) == hash;
}

/* Do the first fp_len bytes of the file on fd still hash the same? */
static int follow_fp_matches(struct follow *f)
{
	return follow_fd_matches(f, f->fd, f->fp_len, f->fp_hash);
}

/* The fingerprint says something about rows, not just the header: it
 * covers at least one byte after the first line. */
static int follow_fp_has_rows(const struct follow *f)
{
	return f->fp_want && f->fp_len > f->fp_want - FOLLOW_FP_TAIL;
}

static void follow_begin(struct follow *f, struct follow_run *r)
{
	if (f->begun)
		return;
	f->begun = 1;
	f->offset = 0;
	follow_fp_clear(f);
	r->cb(r->ctx, FOLLOW_EV_BEGIN, NULL, 0);
	r->flags |= FOLLOW_CHANGED;
}

/* Deliver the file on fd from offset, BEGIN first if not done yet.
 * Returns 1 at end of file, 0 when the budget ran out with bytes still
 * pending (FOLLOW_MORE is then set), -1 on a read error (msg set). */
static int follow_read(struct follow *f, struct follow_run *r, char *msg, size_t msgn)
{
	follow_begin(f, r);
	for (;;) {
		size_t want = r->budget < FOLLOW_BUF ? r->budget : FOLLOW_BUF;
		ssize_t n;

		if (!want) {
			struct stat st;
			/* Only more bytes than delivered make FOLLOW_MORE true, so a
			 * file that fits the budget exactly is finished now. */
			if (fstat(f->fd, &st) == 0 && (uint64_t)st.st_size <= f->offset)
				return 1;
			r->flags |= FOLLOW_MORE;
			return 0;
		}
		n = pread(f->fd, f->buf, want, (off_t)f->offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 1; /* a mandatory lock: nothing more for now */
		if (n < 0) {
			follow_errno_msg(msg, msgn, errno);
			return -1;
		}
		if (n == 0)
			return 1;
		follow_fp_feed(f, f->buf, (size_t)n);
		r->cb(r->ctx, FOLLOW_EV_DATA, f->buf, (size_t)n);
		r->flags |= FOLLOW_CHANGED;
		f->offset += (uint64_t)n;
		r->budget -= (size_t)n;
		if (f->offset > f->size)
			f->size = f->offset;
	}
}

/* The file on fd is finished for good: END and close. */
static void follow_end(struct follow *f, struct follow_run *r)
{
	if (f->begun) {
		r->cb(r->ctx, FOLLOW_EV_END, NULL, 0);
		r->flags |= FOLLOW_CHANGED;
	}
	f->begun = 0;
	close(f->fd);
	f->fd = -1;
}

/* Open the path, read-only and non-blocking (a FIFO swapped in after the
 * stat must not hang us). Returns the fd with st set from it; else -1 with
 * the state to report and msg. f->fd is left alone. */
static int follow_open_fd(struct follow *f, struct stat *st, enum follow_state *fail, char *msg,
			  size_t n)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR) {
			*fail = f->seen ? FOLLOW_MISSING : FOLLOW_WAITING;
			return -1;
		}
		if (e == EACCES || e == EPERM)
			f->denied = 1;
		follow_errno_msg(msg, n, e);
		*fail = FOLLOW_ERROR;
		return -1;
	}
	if (fstat(fd, st) != 0) {
		follow_errno_msg(msg, n, errno);
		close(fd);
		*fail = FOLLOW_ERROR;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		/* swapped after our stat */
		util_strlcpy(msg, S_ISDIR(st->st_mode) ? "is a directory" : "not a regular file", n);
		close(fd);
		*fail = FOLLOW_ERROR;
		return -1;
	}
	if (!f->buf)
		f->buf = xmalloc(FOLLOW_BUF);
	return fd;
}

/* Open the path as a new file to read from byte 0. Returns 1 with fd, dev,
 * ino and st set; else 0 with the state to report and msg. */
static int follow_open(struct follow *f, struct stat *st, enum follow_state *fail, char *msg,
		       size_t n)
{
	int fd = follow_open_fd(f, st, fail, msg, n);

	if (fd < 0)
		return 0;
	f->fd = fd;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->begun = 0;
	f->offset = 0;
	f->size = (uint64_t)st->st_size;
	f->seen = 1;
	follow_fp_clear(f);
	return 1;
}

/* A log whose fd is still the file at the path: check for a shrink or an
 * in-place rewrite when stat changed, then deliver what is new. */
static void follow_log_current(struct follow *f, const struct stat *st, int fresh, int rotated,
			       struct follow_run *r)
{
	char msg[96] = "";
	int changed = fresh || !f->last_ok || !follow_same_stat(st, &f->last);

	if (!follow_readable(f, st)) {
		follow_set_state(f, FOLLOW_ERROR, "permission denied");
		return;
	}
	follow_set_state(f, rotated ? FOLLOW_ROTATED : FOLLOW_OK, NULL);
	if (changed && f->begun &&
	    ((uint64_t)st->st_size < f->offset || !follow_fp_matches(f))) {
		/* The bytes already delivered are no longer the file's: the
		 * consumer must drop them and take the file again from 0. */
		r->cb(r->ctx, FOLLOW_EV_RESET, NULL, 0);
		r->flags |= FOLLOW_CHANGED;
		f->resets++;
		f->begun = 0;
		f->offset = 0;
		follow_fp_clear(f);
	}
	f->size = (uint64_t)st->st_size > f->offset ? (uint64_t)st->st_size : f->offset;
	if (f->begun && f->offset >= f->size && !changed)
		return; /* the one-stat path: nothing new */
	if (follow_read(f, r, msg, sizeof msg) < 0)
		follow_set_state(f, FOLLOW_ERROR, msg);
}

/* The file on fd left the path and a regular file st is there now. If it
 * is a copy of the log on fd (see the top), read on in it from the same
 * offset and return 1; else return 0 and leave everything as it was. */
static int follow_log_copy(struct follow *f, struct stat *st, struct follow_run *r)
{
	char msg[96] = "";
	enum follow_state fail;
	struct stat nst;
	int fd;

	if (!f->begun || !follow_fp_has_rows(f) || !follow_readable(f, st))
		return 0;
	fd = follow_open_fd(f, &nst, &fail, msg, sizeof msg);
	if (fd < 0)
		return 0;
	if (!follow_fd_matches(f, fd, f->fp_len, f->fp_hash)) {
		close(fd);
		return 0;
	}
	close(f->fd);
	f->fd = fd;
	f->dev = nst.st_dev;
	f->ino = nst.st_ino;
	/* a shorter copy is a shrink of this log: follow_log_current resets */
	follow_log_current(f, &nst, 1, 0, r);
	return 1;
}

/* A new file was opened after the log's last file was ended: if it is a
 * copy of that one, what was counted from it is dropped (RESET) before the
 * copy is read from byte 0. */
static void follow_log_came_back(struct follow *f, struct follow_run *r)
{
	int back = f->gone_ok && follow_fd_matches(f, f->fd, f->gone_fplen, f->gone_hash);

	f->gone_ok = 0;
	if (!back)
		return;
	r->cb(r->ctx, FOLLOW_EV_RESET, NULL, 0);
	r->flags |= FOLLOW_CHANGED;
	f->resets++;
}

static void follow_poll_log(struct follow *f, enum follow_look look, struct stat *st,
			    const char *lookmsg, struct follow_run *r)
{
	char msg[96] = "";
	enum follow_state fail;
	int rotated = 0;

	if (f->fd >= 0) {
		int res;

		if (look == FOLLOW_LOOK_UNKNOWN) {
			/* stat failed (a directory on the way lost its x bit):
			 * it may still be our file, so keep fd and wait. */
			f->last_ok = 0;
			follow_set_state(f, FOLLOW_ERROR, lookmsg);
			return;
		}
		if (look == FOLLOW_LOOK_FILE && st->st_dev == f->dev && st->st_ino == f->ino) {
			follow_log_current(f, st, 0, 0, r);
			return;
		}
		/* The file on fd left the path (renamed, deleted, replaced).
		 * Rows a writer added before that are still in it: read it to
		 * its end before anything else. A read error ends it too. */
		res = follow_read(f, r, msg, sizeof msg);
		if (res == 0)
			return;
		if (res > 0 && look == FOLLOW_LOOK_FILE && follow_log_copy(f, st, r))
			return;
		/* Remembered so that a copy coming back later is known. */
		f->gone_ok = res > 0 && look != FOLLOW_LOOK_FILE && follow_fp_has_rows(f);
		f->gone_hash = f->fp_hash;
		f->gone_fplen = f->fp_len;
		follow_end(f, r);
		if (look == FOLLOW_LOOK_FILE)
			rotated = 1;
	}
	if (look != FOLLOW_LOOK_FILE) {
		f->last_ok = 0;
		if (look == FOLLOW_LOOK_GONE)
			follow_set_state(f, f->seen ? FOLLOW_MISSING : FOLLOW_WAITING, NULL);
		else
			follow_set_state(f, FOLLOW_ERROR, lookmsg);
		return;
	}
	if (!follow_readable(f, st)) {
		follow_set_state(f, FOLLOW_ERROR, "permission denied");
		return;
	}
	if (!follow_open(f, st, &fail, msg, sizeof msg)) {
		follow_set_state(f, fail, msg);
		return;
	}
	if (rotated)
		f->rotations++;
	follow_log_came_back(f, r);
	follow_log_current(f, st, 1, rotated, r);
}

/* A snapshot's identity, size or mtime changed since it was read whole. */
static int follow_snap_changed(const struct follow *f, const struct stat *st)
{
	return !f->snap_ok || st->st_dev != f->snap.st_dev || st->st_ino != f->snap.st_ino ||
	       st->st_size != f->snap.st_size || !follow_same_time(&st->st_mtim, &f->snap.st_mtim);
}

static void follow_poll_snapshot(struct follow *f, enum follow_look look, struct stat *st,
				 const char *lookmsg, struct follow_run *r)
{
	char msg[96] = "";
	enum follow_state fail;
	int res;

	if (f->fd >= 0) {
		/* A re-read cut short by max_bytes: the open fd is a consistent
		 * view of the file it started on, so finish it first; a newer
		 * file at the path is read next. */
		res = follow_read(f, r, msg, sizeof msg);
		if (res == 0)
			return;
		follow_end(f, r);
		if (res < 0) {
			f->snap_ok = 0;
			follow_set_state(f, FOLLOW_ERROR, msg);
			return;
		}
	}
	if (look != FOLLOW_LOOK_FILE) {
		f->last_ok = 0;
		if (look == FOLLOW_LOOK_GONE)
			follow_set_state(f, f->seen ? FOLLOW_MISSING : FOLLOW_WAITING, NULL);
		else
			follow_set_state(f, FOLLOW_ERROR, lookmsg);
		return;
	}
	if (!follow_readable(f, st)) {
		follow_set_state(f, FOLLOW_ERROR, "permission denied");
		return;
	}
	if (!follow_snap_changed(f, st)) {
		follow_set_state(f, FOLLOW_OK, NULL);
		return;
	}
	if (!follow_open(f, st, &fail, msg, sizeof msg)) {
		follow_set_state(f, fail, msg);
		return;
	}
	/* Remembered now, from the fd: a change made while the read is in
	 * progress makes the next look differ, and the file is read again. */
	f->snap = *st;
	f->snap_ok = 1;
	follow_set_state(f, FOLLOW_OK, NULL);
	res = follow_read(f, r, msg, sizeof msg);
	if (res == 0)
		return;
	follow_end(f, r);
	if (res < 0) {
		f->snap_ok = 0;
		follow_set_state(f, FOLLOW_ERROR, msg);
	}
}

int follow_poll(struct follow *f, size_t max_bytes, follow_cb cb, void *ctx)
{
	struct stat st;
	int err = stat(f->path, &st) == 0 ? 0 : errno;

	return follow_poll_stat(f, err, &st, max_bytes, cb, ctx);
}

int follow_poll_stat(struct follow *f, int err, const struct stat *pathst, size_t max_bytes,
		     follow_cb cb, void *ctx)
{
	struct follow_run r = { .cb = cb, .ctx = ctx, .budget = max_bytes, .flags = 0 };
	enum follow_state old = f->state;
	char olderr[sizeof f->err];
	char lookmsg[96] = "";
	struct stat st;
	enum follow_look look;

	memcpy(olderr, f->err, sizeof olderr);
	if (!err)
		st = *pathst;
	look = follow_look(err, &st, lookmsg, sizeof lookmsg);
	if (f->mode == FOLLOW_SNAPSHOT)
		follow_poll_snapshot(f, look, &st, lookmsg, &r);
	else
		follow_poll_log(f, look, &st, lookmsg, &r);
	if (f->state != old || strcmp(olderr, f->err) != 0)
		r.flags |= FOLLOW_CHANGED;
	return r.flags;
}

void follow_rewind(struct follow *f)
{
	if (f->mode == FOLLOW_SNAPSHOT) {
		/* Drop a read in progress without END: the caller rebuilds and
		 * waits for the BEGIN of a whole new read. */
		if (f->fd >= 0) {
			close(f->fd);
			f->fd = -1;
		}
		f->begun = 0;
		f->snap_ok = 0;
		return;
	}
	/* With begun cleared, the next read sends BEGIN and starts at 0 (also
	 * when the file turns out to have been rotated meanwhile). */
	f->begun = 0;
	f->offset = 0;
	follow_fp_clear(f);
}

void follow_mark(const struct follow *f, struct follow_mark *m)
{
	memset(m, 0, sizeof *m);
	if (f->mode == FOLLOW_SNAPSHOT) {
		/* a read whole: none under way (its fd is open while one is) */
		if (!f->snap_ok || f->fd >= 0)
			return;
		m->kept = 1;
		m->dev = (uint64_t)f->snap.st_dev;
		m->ino = (uint64_t)f->snap.st_ino;
		m->size = (uint64_t)f->snap.st_size;
		m->mtime_s = (int64_t)f->snap.st_mtim.tv_sec;
		m->mtime_ns = (int64_t)f->snap.st_mtim.tv_nsec;
		return;
	}
	if (f->fd < 0 || !f->begun)
		return;
	m->kept = 1;
	m->dev = (uint64_t)f->dev;
	m->ino = (uint64_t)f->ino;
	m->offset = f->offset;
	m->fp_hash = f->fp_hash;
	m->fp_len = f->fp_len;
	m->fp_want = f->fp_want;
}

int follow_resume(struct follow *f, const struct follow_mark *m)
{
	struct stat st;
	enum follow_state fail;
	char msg[96];
	if (!m->kept || f->fd >= 0 || f->begun)
		return 0;
	if (f->mode == FOLLOW_SNAPSHOT) {
		if (stat(f->path, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_dev != m->dev ||
		    (uint64_t)st.st_ino != m->ino || (uint64_t)st.st_size != m->size ||
		    (int64_t)st.st_mtim.tv_sec != m->mtime_s ||
		    (int64_t)st.st_mtim.tv_nsec != m->mtime_ns)
			return 0;
		f->snap = st;
		f->snap_ok = 1;
		f->seen = 1;
		f->size = f->offset = (uint64_t)st.st_size; /* read whole, as Sources says */
		return 1;
	}
	int fd = follow_open_fd(f, &st, &fail, msg, sizeof msg);
	if (fd < 0)
		return 0;
	if ((uint64_t)st.st_dev != m->dev || (uint64_t)st.st_ino != m->ino ||
	    (uint64_t)st.st_size < m->offset || m->fp_len > m->offset ||
	    m->fp_len > FOLLOW_FP_HEAD + FOLLOW_FP_TAIL ||
	    !follow_fd_matches(f, fd, m->fp_len, m->fp_hash)) {
		close(fd);
		return 0;
	}
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->begun = 1;
	f->offset = m->offset;
	f->size = (uint64_t)st.st_size;
	f->seen = 1;
	f->fp_hash = m->fp_hash;
	f->fp_len = m->fp_len;
	f->fp_want = m->fp_want;
	return 1;
}

int follow_open_id(const struct follow *f, dev_t *dev, ino_t *ino)
{
	if (f->mode != FOLLOW_LOG || f->fd < 0)
		return 0;
	*dev = f->dev;
	*ino = f->ino;
	return 1;
}

/* Only what belongs to the open file moves; what belongs to the path (the
 * last look, access, seen, the fingerprint of a log that went away) stays.
 * The next poll of each then finds a file it has not looked at through
 * that path: its stat differs from last, so the fingerprint is checked
 * before anything is read on. */
void follow_swap_file(struct follow *a, struct follow *b)
{
#define FOLLOW_SWAP(field)                  \
	do {                                \
		__typeof__(a->field) t_ = a->field; \
		a->field = b->field;        \
		b->field = t_;              \
	} while (0)
	FOLLOW_SWAP(fd);
	FOLLOW_SWAP(dev);
	FOLLOW_SWAP(ino);
	FOLLOW_SWAP(begun);
	FOLLOW_SWAP(offset);
	FOLLOW_SWAP(size);
	FOLLOW_SWAP(fp_hash);
	FOLLOW_SWAP(fp_len);
	FOLLOW_SWAP(fp_want);
	FOLLOW_SWAP(buf);
#undef FOLLOW_SWAP
	a->last_ok = b->last_ok = 0;
	if (a->fd >= 0)
		a->seen = 1;
	if (b->fd >= 0)
		b->seen = 1;
}

int follow_copy_of(struct follow *f, const struct follow *of)
{
	struct stat st;
	int fd, same;

	if (f->mode != FOLLOW_LOG || f->fd >= 0 || f->begun || of->fd < 0 || !of->begun ||
	    !follow_fp_has_rows(of))
		return 0;
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (!f->buf)
		f->buf = xmalloc(FOLLOW_BUF);
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= of->size &&
	       follow_fd_matches(f, fd, of->fp_len, of->fp_hash);
	close(fd);
	return same;
}

enum follow_state follow_state(const struct follow *f)
{
	return f->state;
}

const char *follow_state_name(enum follow_state s)
{
	switch (s) {
	case FOLLOW_WAITING:
		return "waiting";
	case FOLLOW_OK:
		return "ok";
	case FOLLOW_MISSING:
		return "missing";
	case FOLLOW_ROTATED:
		return "rotated";
	case FOLLOW_ERROR:
		return "error";
	}
	return "?";
}

const char *follow_error(const struct follow *f)
{
	return f->state == FOLLOW_ERROR ? f->err : "";
}

const char *follow_path(const struct follow *f)
{
	return f->path;
}

uint64_t follow_offset(const struct follow *f)
{
	return f->offset;
}

uint64_t follow_size(const struct follow *f)
{
	return f->size;
}

unsigned follow_rotations(const struct follow *f)
{
	return f->rotations;
}

unsigned follow_resets(const struct follow *f)
{
	return f->resets;
}

/* ---- change notification ------------------------------------------------ */

/* Directories are watched rather than files: a file that does not exist yet,
 * a rename onto the path and a deletion all show up as events in the
 * directory. A directory that does not exist yet (or was removed) has
 * wd -1 and is added again on each drain. */
struct follow_watch_dir {
	char *dir;
	int wd;
	int local;  /* on a file system where inotify hears every change */
};

struct follow_watch {
	int fd;
	struct follow_watch_dir *dirs;
	size_t n, cap;
};

#define FOLLOW_WATCH_MASK                                                            \
	(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
	 IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

struct follow_watch *follow_watch_new(void)
{
	struct follow_watch *w = xcalloc(1, sizeof *w);

	/* Without inotify (limits reached, odd kernels) fd stays -1 and the
	 * caller's timer polling is all there is. */
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return w;
}

void follow_watch_free(struct follow_watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n; i++)
		free(w->dirs[i].dir);
	free(w->dirs);
	free(w);
}

static char *follow_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* File systems where inotify does not hear every change: another machine
 * writes (NFS, SMB/CIFS, Ceph, AFS, Coda, GFS2, OCFS2, 9p), a user-space
 * file system (FUSE: sshfs, rclone), or a lower layer changed under the
 * mount (overlayfs). Their directories keep the timer polling. */
static int follow_fs_local(const char *dir)
{
	static const unsigned long remote[] = {
		0x6969,     /* NFS */
		0x517B,     /* SMB */
		0xFF534D42, /* CIFS */
		0xFE534D42, /* SMB2 */
		0x65735546, /* FUSE */
		0x01021997, /* 9p */
		0x00C36400, /* Ceph */
		0x5346414F, /* AFS */
		0x73757245, /* Coda */
		0x01161970, /* GFS2 */
		0x7461636F, /* OCFS2 */
		0x794C7630, /* overlayfs */
	};
	struct statfs sf;
	if (statfs(dir, &sf) != 0)
		return 0;
	for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
		if ((unsigned long)(unsigned int)sf.f_type == remote[i])
			return 0;
	return 1;
}

static int follow_watch_try(struct follow_watch *w, struct follow_watch_dir *d)
{
	if (w->fd < 0 || d->wd >= 0)
		return 0;
	d->wd = inotify_add_watch(w->fd, d->dir, FOLLOW_WATCH_MASK);
	if (d->wd >= 0)
		d->local = follow_fs_local(d->dir);
	return d->wd >= 0;
}

int follow_watch_complete(const struct follow_watch *w)
{
	if (w->fd < 0 || !w->n)
		return 0;
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd < 0 || !w->dirs[i].local)
			return 0;
	return 1;
}

static void follow_watch_add_dir(struct follow_watch *w, char *dir);

void follow_watch_add(struct follow_watch *w, const char *path)
{
	struct stat st;
	/* a symlinked file changes in its target's directory: watch that
	 * one too, or an append to it would wake nothing */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (real) {
			follow_watch_add_dir(w, follow_dirname(real));
			free(real);
		}
	}
	follow_watch_add_dir(w, follow_dirname(path));
}

/* Watch dir (taken) once. */
static void follow_watch_add_dir(struct follow_watch *w, char *dir)
{
	struct follow_watch_dir *d;

	for (size_t i = 0; i < w->n; i++) {
		if (strcmp(w->dirs[i].dir, dir) == 0) {
			free(dir);
			return;
		}
	}
	w->dirs = xgrow(w->dirs, &w->cap, w->n + 1, sizeof *w->dirs);
	d = &w->dirs[w->n++];
	d->dir = dir;
	d->wd = -1;
	d->local = 0;
	follow_watch_try(w, d);
}

int follow_watch_fd(const struct follow_watch *w)
{
	return w->fd;
}

int follow_watch_drain(struct follow_watch *w)
{
	_Alignas(struct inotify_event) char buf[4096];
	int any = 0;

	if (w->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EAGAIN: drained */
		any = 1;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			/* The kernel dropped the watch (directory removed or
			 * unmounted): re-add it once the directory is back. */
			if (ev->mask & IN_IGNORED) {
				for (size_t i = 0; i < w->n; i++)
					if (w->dirs[i].wd == ev->wd)
						w->dirs[i].wd = -1;
			}
			p += sizeof *ev + ev->len;
		}
	}
	/* A directory that appeared since is itself news: files may be in it. */
	for (size_t i = 0; i < w->n; i++)
		if (follow_watch_try(w, &w->dirs[i]))
			any = 1;
	return any;
}
