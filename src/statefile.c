/* statefile: cxtop's kept state as one checked, atomically replaced file
 * (see include/cxtop/statefile.h for the layout and the guarantees). */
#include "cxtop/statefile.h"

#include "cxtop/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char statefile_magic[8] = { 'C', 'X', 'S', 'T', 'A', 'T', 'E', '\n' };
#define STATEFILE_HEAD 28 /* magic, format, deps, length */
#define STATEFILE_BUF (1u << 20)
/* A table of this size or more starts and ends on a page of the file, so
 * that a reader can map it (statefile_get_table); smaller ones are copied. */
#define STATEFILE_TABLE_MIN (256u << 10)
#define STATEFILE_PAGE 4096u

/* ---- the checksum ------------------------------------------------------ */

/* Four lanes over 8-byte words, each word xored in, multiplied by an odd
 * constant and rotated: every step is a bijection of the lane, so one
 * changed word changes the lane and the result, whatever the rest. Fast
 * enough to check a state of 100 MB in a few ms (FNV-1a, a byte at a
 * time, took 100 ms). */
#define STATEFILE_P1 0x9E3779B185EBCA87ULL
#define STATEFILE_P2 0xC2B2AE3D27D4EB4FULL

struct statefile_sum {
	uint64_t h[4];
	unsigned char tail[32];
	size_t ntail;
	uint64_t len;
};

static uint64_t statefile_rotl(uint64_t x, int r)
{
	return x << r | x >> (64 - r);
}

static void statefile_sum_init(struct statefile_sum *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 4; i++)
		s->h[i] = STATEFILE_P2 * (uint64_t)(i + 1);
}

static void statefile_sum_block(struct statefile_sum *s, const unsigned char *p)
{
	for (int i = 0; i < 4; i++) {
		uint64_t w;
		memcpy(&w, p + 8 * i, 8);
		s->h[i] = statefile_rotl((s->h[i] ^ w) * STATEFILE_P1, 31);
	}
}

static void statefile_sum_add(struct statefile_sum *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!n)
		return; /* data may be NULL: an empty array */
	s->len += n;
	if (s->ntail) {
		size_t k = 32 - s->ntail < n ? 32 - s->ntail : n;
		memcpy(s->tail + s->ntail, p, k);
		s->ntail += k;
		p += k;
		n -= k;
		if (s->ntail < 32)
			return;
		statefile_sum_block(s, s->tail);
		s->ntail = 0;
	}
	for (; n >= 32; p += 32, n -= 32)
		statefile_sum_block(s, p);
	memcpy(s->tail, p, n);
	s->ntail = n;
}

static uint64_t statefile_sum_end(struct statefile_sum *s)
{
	/* the last partial block padded with zeros, the length mixed in (so
	 * that trailing zeros are not lost) */
	memset(s->tail + s->ntail, 0, 32 - s->ntail);
	statefile_sum_block(s, s->tail);
	uint64_t h = s->len * STATEFILE_P2;
	for (int i = 0; i < 4; i++)
		h = statefile_rotl(h ^ s->h[i] * STATEFILE_P1, 27) * STATEFILE_P2;
	return h ^ h >> 29;
}

uint64_t statefile_checksum(const void *p, size_t n)
{
	struct statefile_sum s;
	statefile_sum_init(&s);
	statefile_sum_add(&s, p, n);
	return statefile_sum_end(&s);
}

/* The whole file's checksum: the header's fields and the payload's sum. */
static uint64_t statefile_seal(uint32_t format, uint64_t deps, uint64_t len, uint64_t payload)
{
	uint64_t v[4] = { format, deps, len, payload };
	return statefile_checksum(v, sizeof v);
}

/* ---- where ------------------------------------------------------------- */

/* mkdir -p of dir (mode 0700 for what it makes): 0, or -1 with errno. */
static int statefile_mkdirs(char *dir)
{
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		int r = mkdir(dir, 0700);
		*p = c;
		if (r != 0 && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
	}
}

char *statefile_path(const char *config_path, const char *data_dir, char *err, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *base;
	if (xdg && xdg[0] == '/')
		base = xasprintf("%s/cxtop", xdg);
	else if (home && home[0])
		base = xasprintf("%s/.local/state/cxtop", home);
	else {
		snprintf(err, n, "no place for the state: neither XDG_STATE_HOME nor HOME is set");
		return NULL;
	}
	/* the same directory and config under other names are one state */
	char dbuf[PATH_MAX], cbuf[PATH_MAX];
	const char *d = realpath(data_dir, dbuf) ? dbuf : data_dir;
	const char *c = config_path && config_path[0] && realpath(config_path, cbuf) ? cbuf
										   : config_path ? config_path : "";
	char *key = xasprintf("%s\n%s", d, c);
	uint64_t h = util_hash(key, strlen(key));
	free(key);
	char *path = xasprintf("%s/%016llx.state", base, (unsigned long long)h);
	free(base);
	return path;
}

/* ---- writing ----------------------------------------------------------- */

struct statefile_w {
	char *path, *tmp;
	int fd;
	int err;             /* the first errno of a write, 0 = none */
	uint64_t deps, len;
	struct statefile_sum sum;
	unsigned char *buf;
	size_t nbuf;
};

static void statefile_flush(struct statefile_w *w)
{
	size_t off = 0;
	while (off < w->nbuf && !w->err) {
		ssize_t k = write(w->fd, w->buf + off, w->nbuf - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			w->err = k < 0 ? errno : EIO;
		else
			off += (size_t)k;
	}
	w->nbuf = 0;
}

struct statefile_w *statefile_create(const char *path, uint64_t deps, char *err, size_t n)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (statefile_mkdirs(dir) != 0) {
			snprintf(err, n, "%s: cannot make the directory: %s", dir, strerror(errno));
			free(dir);
			return NULL;
		}
	}
	free(dir);
	struct statefile_w *w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	unlink(w->tmp); /* one of an earlier process with this pid */
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		snprintf(err, n, "%s: cannot write: %s", w->tmp, strerror(errno));
		free(w->tmp);
		free(w->path);
		free(w);
		return NULL;
	}
	w->deps = deps;
	w->buf = xmalloc(STATEFILE_BUF);
	statefile_sum_init(&w->sum);
	/* the header, its length filled in at the end */
	unsigned char head[STATEFILE_HEAD] = { 0 };
	memcpy(head, statefile_magic, 8);
	memcpy(w->buf, head, STATEFILE_HEAD);
	w->nbuf = STATEFILE_HEAD;
	return w;
}

void statefile_put(struct statefile_w *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	if (!n)
		return;
	statefile_sum_add(&w->sum, p, n);
	w->len += n;
	while (n) {
		size_t k = STATEFILE_BUF - w->nbuf < n ? STATEFILE_BUF - w->nbuf : n;
		memcpy(w->buf + w->nbuf, s, k);
		w->nbuf += k;
		s += k;
		n -= k;
		if (w->nbuf == STATEFILE_BUF)
			statefile_flush(w);
	}
}

/* Zeros from payload position pos to the next page of the file. */
static size_t statefile_pad(uint64_t pos)
{
	return (size_t)((STATEFILE_PAGE - (STATEFILE_HEAD + pos) % STATEFILE_PAGE) % STATEFILE_PAGE);
}

void statefile_put_table(struct statefile_w *w, const void *p, size_t n)
{
	static const unsigned char zeros[STATEFILE_PAGE];
	if (n >= STATEFILE_TABLE_MIN)
		statefile_put(w, zeros, statefile_pad(w->len));
	statefile_put(w, p, n);
	if (n >= STATEFILE_TABLE_MIN)
		statefile_put(w, zeros, statefile_pad(w->len));
}

void statefile_put_u32(struct statefile_w *w, uint32_t v)
{
	statefile_put(w, &v, sizeof v);
}

void statefile_put_u64(struct statefile_w *w, uint64_t v)
{
	statefile_put(w, &v, sizeof v);
}

void statefile_put_i64(struct statefile_w *w, int64_t v)
{
	statefile_put(w, &v, sizeof v);
}

void statefile_put_f64(struct statefile_w *w, double v)
{
	statefile_put(w, &v, sizeof v);
}

void statefile_put_str(struct statefile_w *w, const char *s)
{
	if (!s) {
		statefile_put_u64(w, UINT64_MAX);
		return;
	}
	size_t n = strlen(s);
	statefile_put_u64(w, n);
	statefile_put(w, s, n);
}

uint64_t statefile_written(const struct statefile_w *w)
{
	return w->len;
}

static void statefile_w_free(struct statefile_w *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->buf);
	free(w->tmp);
	free(w->path);
	free(w);
}

void statefile_abort(struct statefile_w *w)
{
	if (!w)
		return;
	unlink(w->tmp);
	statefile_w_free(w);
}

int statefile_commit(struct statefile_w *w, char *err, size_t n)
{
	uint64_t seal = statefile_seal(STATEFILE_FORMAT, w->deps, w->len, statefile_sum_end(&w->sum));
	memcpy(w->buf + w->nbuf, &seal, 8);
	w->nbuf += 8;
	statefile_flush(w);
	unsigned char head[STATEFILE_HEAD];
	uint32_t format = STATEFILE_FORMAT;
	memcpy(head, statefile_magic, 8);
	memcpy(head + 8, &format, 4);
	memcpy(head + 12, &w->deps, 8);
	memcpy(head + 20, &w->len, 8);
	if (!w->err && pwrite(w->fd, head, sizeof head, 0) != (ssize_t)sizeof head)
		w->err = errno ? errno : EIO;
	if (!w->err && fsync(w->fd) != 0)
		w->err = errno;
	if (!w->err && close(w->fd) != 0)
		w->err = errno;
	w->fd = -1;
	if (!w->err && rename(w->tmp, w->path) != 0)
		w->err = errno;
	if (w->err) {
		snprintf(err, n, "%s: cannot write the state: %s", w->path, strerror(w->err));
		statefile_abort(w);
		return -1;
	}
	/* the rename itself on disk: fsync of the directory */
	char *dir = xstrdup(w->path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		int dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	statefile_w_free(w);
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

/* The file is mapped, not read: small values are copied out of the
 * mapping, and a large table (statefile_get_table) gets a private mapping
 * of its own pages, so that taking up a state of 80 MB costs the page
 * faults and the checksum's pass instead of zeroed fresh pages and a copy
 * (read() into new memory was 45-100 ms of a 130 ms restart; mapped, 15).
 * Everything is summed on the way; statefile_end checks the sum. The state
 * is cxtop's own file, replaced by rename and never rewritten in place, so
 * a mapping of it stays what it was. */
struct statefile_r {
	int fd;
	uint32_t format;
	uint64_t deps, len, pos; /* the payload's length, and how much is read */
	struct statefile_sum sum;
	const unsigned char *map; /* the whole file, read only */
	size_t map_len;
	int bad;
	char *path;
};

struct statefile_r *statefile_open(const char *path, uint64_t deps, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, n, "no state yet");
		else
			snprintf(err, n, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	unsigned char head[STATEFILE_HEAD];
	const char *why = NULL;
	uint32_t format = 0;
	uint64_t fdeps = 0, len = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((uint64_t)st.st_size < STATEFILE_HEAD + 8 ||
		 pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
		 memcmp(head, statefile_magic, 8) != 0)
		why = "not a cxtop state";
	if (!why) {
		memcpy(&format, head + 8, 4);
		memcpy(&fdeps, head + 12, 8);
		memcpy(&len, head + 20, 8);
		if (format != STATEFILE_FORMAT)
			why = "of another state format";
		else if (len != (uint64_t)st.st_size - STATEFILE_HEAD - 8)
			why = "damaged: its length is wrong (cut short?)";
		else if (fdeps != deps)
			why = "written by another version of cxtop or for another config";
		else if ((uint64_t)st.st_size > SIZE_MAX)
			why = "too large for this machine";
	}
	void *map = MAP_FAILED;
	if (!why) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			why = strerror(errno);
	}
	if (why) {
		snprintf(err, n, "%s: %s", path, why);
		close(fd);
		return NULL;
	}
	struct statefile_r *r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->format = format;
	r->deps = fdeps;
	r->len = len;
	r->map = map;
	r->map_len = (size_t)st.st_size;
	r->path = xstrdup(path);
	statefile_sum_init(&r->sum);
	return r;
}

/* The next n bytes of the payload in the mapping, summed; NULL past the
 * end (the reader bad). */
static const unsigned char *statefile_take(struct statefile_r *r, size_t n)
{
	if (r->bad || n > r->len - r->pos) {
		r->bad = 1;
		return NULL;
	}
	const unsigned char *p = r->map + STATEFILE_HEAD + r->pos;
	statefile_sum_add(&r->sum, p, n);
	r->pos += n;
	return p;
}

void statefile_get(struct statefile_r *r, void *dst, size_t n)
{
	const unsigned char *p = statefile_take(r, n);
	if (p)
		memcpy(dst, p, n);
	else if (n)
		memset(dst, 0, n);
}

const void *statefile_get_view(struct statefile_r *r, size_t n)
{
	return statefile_take(r, n);
}

void *statefile_get_table(struct statefile_r *r, size_t n)
{
	if (n < STATEFILE_TABLE_MIN) {
		void *p = xmalloc(n ? n : 1);
		statefile_get(r, p, n);
		return p;
	}
	statefile_take(r, statefile_pad(r->pos)); /* zeros, summed like the rest */
	if (r->bad || n > r->len - r->pos) {
		r->bad = 1;
		return xcalloc(1, 1);
	}
	uint64_t off = STATEFILE_HEAD + r->pos;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), maplen = (n + page - 1) / page * page;
	void *p = MAP_FAILED;
	if (off % page == 0 && off + maplen <= r->map_len)
		p = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE, r->fd, (off_t)off);
	if (p == MAP_FAILED) {
		/* another page size than the writer's: a copy of the bytes */
		p = xmalloc(n);
		statefile_get(r, p, n);
	} else {
#ifdef MADV_POPULATE_READ
		/* the page tables at once, not a fault every 16 pages; the
		 * pages stay the file's until written (advice: fine if
		 * refused by an older kernel) */
		madvise(p, maplen, MADV_POPULATE_READ);
#endif
		statefile_sum_add(&r->sum, p, n);
		r->pos += n;
		util_table_adopt(p, maplen);
	}
	statefile_take(r, statefile_pad(r->pos));
	return p;
}

int statefile_end(struct statefile_r *r, char *err, size_t n)
{
	statefile_take(r, (size_t)(r->len - r->pos));
	uint64_t seal = 0;
	if (!r->bad)
		memcpy(&seal, r->map + STATEFILE_HEAD + r->len, 8);
	if (!r->bad &&
	    seal != statefile_seal(r->format, r->deps, r->len, statefile_sum_end(&r->sum))) {
		snprintf(err, n, "%s: damaged: its checksum is wrong", r->path);
		r->bad = 1;
		return -1;
	}
	if (r->bad) {
		snprintf(err, n, "%s: damaged: it cannot be read whole", r->path);
		return -1;
	}
	return 0;
}

uint32_t statefile_get_u32(struct statefile_r *r)
{
	uint32_t v;
	statefile_get(r, &v, sizeof v);
	return v;
}

uint64_t statefile_get_u64(struct statefile_r *r)
{
	uint64_t v;
	statefile_get(r, &v, sizeof v);
	return v;
}

int64_t statefile_get_i64(struct statefile_r *r)
{
	int64_t v;
	statefile_get(r, &v, sizeof v);
	return v;
}

double statefile_get_f64(struct statefile_r *r)
{
	double v;
	statefile_get(r, &v, sizeof v);
	return v;
}

char *statefile_get_str(struct statefile_r *r)
{
	uint64_t n = statefile_get_u64(r);
	if (n == UINT64_MAX || r->bad)
		return NULL;
	if (n > r->len - r->pos) {
		r->bad = 1;
		return NULL;
	}
	char *s = xmalloc((size_t)n + 1);
	statefile_get(r, s, (size_t)n);
	s[n] = '\0';
	if (r->bad || memchr(s, '\0', (size_t)n)) {
		free(s);
		r->bad = 1;
		return NULL;
	}
	return s;
}

int statefile_bad(const struct statefile_r *r)
{
	return r->bad;
}

void statefile_mark_bad(struct statefile_r *r)
{
	r->bad = 1;
}

uint64_t statefile_left(const struct statefile_r *r)
{
	return r->len - r->pos;
}

void statefile_close(struct statefile_r *r)
{
	if (!r)
		return;
	munmap((void *)r->map, r->map_len);
	close(r->fd);
	free(r->path);
	free(r);
}
