/* keep: the state of this run, locked, taken up and written (see
 * include/cxtop/keep.h). */
#include "cxtop/keep.h"

#include "cxtop/statefile.h"
#include "cxtop/view.h"
#include "cxtop/util.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct keep {
	char *path;
	int lock_fd;
	uint64_t deps;
	pid_t child;         /* a background write under way, or 0 */
	int clean;           /* the state on disk is the ingest's as of `changes` */
	uint64_t changes;
	uint64_t pending;    /* changes as of the background write under way */
	/* the ingest's work (ingest_work) when the state on disk was its
	 * own, that state's size, and the work as of the write under way */
	uint64_t base_bytes, base_upsets, size;
	uint64_t pending_bytes, pending_upsets;
};

/* A lazy write (--once: cron's runs) is skipped while the next start
 * would read again at most this share of the state's size in appended
 * bytes: taking up the state and reading them costs less than writing the
 * state now would (5M rows: 80 MB written and fsynced, 100-500 ms; 20 MB
 * of rows read, 150 ms), and the state on disk stays exact for it. A
 * write costs at most what the skipped ones saved, like renting skis
 * until their price is spent. */
#define KEEP_REREAD_SHARE 4

/* The ingest's work now is what the state on disk holds. */
static void keep_based(struct keep *k, const struct ingest *in)
{
	struct stat st;
	ingest_work(in, &k->base_bytes, &k->base_upsets);
	k->size = stat(k->path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* What the state depends on, hashed: version, format, config text, the
 * data directory resolved. */
static uint64_t keep_deps(const struct config *cfg, const char *data_dir)
{
	char dbuf[PATH_MAX];
	const char *d = realpath(data_dir, dbuf) ? dbuf : data_dir;
	char *head = xasprintf("cxtop %s state %d\n%s\n", CXTOP_VERSION, STATEFILE_FORMAT, d);
	uint64_t h = util_fnv(UTIL_FNV_INIT, head, strlen(head));
	free(head);
	if (cfg->file) {
		FILE *f = fopen(cfg->file, "rb");
		char buf[65536];
		size_t k;
		while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
			h = util_fnv(h, buf, k);
		if (f)
			fclose(f);
	}
	return h;
}

struct keep *keep_open(const struct config *cfg, const char *data_dir, const char *path,
		       char *msg, size_t n)
{
	msg[0] = '\0';
	if (!cfg->state && !path)
		return NULL;
	char *p = path ? xstrdup(path) : statefile_path(cfg->file, data_dir, msg, n);
	if (!p)
		return NULL;
	/* the lock beside the state: its directory first */
	char *dir = xstrdup(p), *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		char *cmd = dir;
		for (char *q = cmd + 1;; q++) {
			if (*q != '/' && *q)
				continue;
			char c = *q;
			*q = '\0';
			mkdir(cmd, 0700);
			*q = c;
			if (!c)
				break;
		}
	}
	free(dir);
	char *lock = xasprintf("%s.lock", p);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(msg, n, "state: %s: %s; reading without a state", lock, strerror(errno));
		free(lock);
		free(p);
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(msg, n,
			 "state: another cxtop keeps the state of this data and config (%s); "
			 "this one reads without it and writes none",
			 p);
		close(fd);
		free(lock);
		free(p);
		return NULL;
	}
	free(lock);
	/* temporary files of writers killed before they were done: with the
	 * lock held, no one else writes one now */
	char *pat = xasprintf("%s.tmp.*", p);
	glob_t g;
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			unlink(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pat);
	struct keep *k = xcalloc(1, sizeof *k);
	k->path = p;
	k->lock_fd = fd;
	k->deps = keep_deps(cfg, data_dir);
	return k;
}

static void keep_wait_child(struct keep *k)
{
	if (k->child > 0) {
		int st;
		while (waitpid(k->child, &st, 0) < 0 && errno == EINTR)
			;
		k->child = 0;
	}
}

void keep_free(struct keep *k)
{
	if (!k)
		return;
	keep_wait_child(k);
	close(k->lock_fd);
	free(k->path);
	free(k);
}

const char *keep_path(const struct keep *k)
{
	return k->path;
}

int keep_restore(struct keep *k, struct ingest *in, struct view_memo *memo, char *msg, size_t n)
{
	char why[2048];
	msg[0] = '\0';
	struct statefile_r *r = statefile_open(k->path, k->deps, why, sizeof why);
	if (!r) {
		if (strcmp(why, "no state yet") != 0)
			snprintf(msg, n, "state: %s; everything is read from the files", why);
		return 0;
	}
	/* the memo first (it is written before the store, whose section
	 * must end the file), taken up once the store is */
	struct view_memo *m = memo ? memo : view_memo_new();
	view_memo_load(m, r);
	int rc = ingest_restore(in, r, why, sizeof why);
	statefile_close(r);
	view_memo_adopt(m, ingest_store(in));
	if (!memo)
		view_memo_free(m);
	/* taken up whole: until something is read, the state on disk is it */
	k->clean = rc == 0 && !why[0];
	k->changes = ingest_changes(in);
	if (k->clean)
		keep_based(k, in);
	if (rc < 0) {
		int named = strncmp(why, k->path, strlen(k->path)) == 0;
		snprintf(msg, n, "state: %s%s%s; everything is read from the files", named ? "" : k->path,
			 named ? "" : ": ", why);
		return 0;
	}
	/* one line per kind read again */
	size_t len = 0;
	for (char *line = why; *line && len + 1 < n;) {
		char *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line) : strlen(line);
		int w = snprintf(msg + len, n - len, "%sstate: %.*s", len ? "\n" : "", (int)l, line);
		if (w < 0)
			break;
		len += (size_t)w < n - len ? (size_t)w : n - len - 1;
		line += l + (end ? 1 : 0);
	}
	return 1;
}

int keep_save(struct keep *k, struct ingest *in, const struct view_memo *memo, int lazy, char *msg,
	      size_t n)
{
	char err[512];
	keep_wait_child(k);
	ingest_quiesce(in);
	if (k->clean && ingest_changes(in) == k->changes)
		return 0; /* nothing read since it was written or taken up */
	uint64_t bytes, upsets;
	ingest_work(in, &bytes, &upsets);
	if (lazy && k->clean && upsets == k->base_upsets &&
	    bytes - k->base_bytes <= k->size / KEEP_REREAD_SHARE)
		return 0; /* only a few rows appended since: read again next time */
	struct statefile_w *w = statefile_create(k->path, k->deps, err, sizeof err);
	if (!w) {
		snprintf(msg, n, "state: %s", err);
		return -1;
	}
	view_memo_save(memo, ingest_store(in), w);
	ingest_save(in, w);
	if (statefile_commit(w, err, sizeof err) != 0) {
		snprintf(msg, n, "state: %s", err);
		k->clean = 0;
		return -1;
	}
	k->clean = 1;
	k->changes = ingest_changes(in);
	keep_based(k, in);
	return 0;
}

int keep_save_bg(struct keep *k, struct ingest *in, const struct view_memo *memo, char *msg,
		 size_t n)
{
	if (k->child > 0)
		return 0; /* the one before is still writing */
	/* everything read applied first: the child's copy is whole */
	ingest_quiesce(in);
	if (k->clean && ingest_changes(in) == k->changes)
		return 0;
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(msg, n, "state: cannot start writing: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* the child: write and go, touching nothing of the parent's
		 * terminal or threads; its exit status says how it went */
		char err[512];
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		struct statefile_w *w = statefile_create(k->path, k->deps, err, sizeof err);
		if (!w)
			_exit(2);
		view_memo_save(memo, ingest_store(in), w);
		ingest_save(in, w);
		_exit(statefile_commit(w, err, sizeof err) == 0 ? 0 : 1);
	}
	k->child = pid;
	k->pending = ingest_changes(in);
	ingest_work(in, &k->pending_bytes, &k->pending_upsets);
	return 0;
}

int keep_poll(struct keep *k, char *msg, size_t n)
{
	int st;
	if (k->child <= 0)
		return 0;
	pid_t r = waitpid(k->child, &st, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return 0;
	k->child = 0;
	if (r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		struct stat sst;
		k->clean = 1;
		k->changes = k->pending;
		k->base_bytes = k->pending_bytes;
		k->base_upsets = k->pending_upsets;
		k->size = stat(k->path, &sst) == 0 ? (uint64_t)sst.st_size : 0;
		return 1;
	}
	k->clean = 0;
	snprintf(msg, n, "state: %s could not be written (%s); the dashboard goes on without it",
		 k->path,
		 r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2 ? "its directory cannot be written"
							       : "a full disk, or an I/O error");
	return -1;
}
