/* ingest_state: ingest's part of the state kept between runs (issue 14):
 * what each file was read up to, the counts, the latest rejections and
 * unknown words, and the store.
 *
 * A file is taken up again only when nothing can be counted twice or
 * missed: it is the same file (device and inode) at the same path, no
 * shorter than what was read, still starting with the fingerprinted bytes
 * (follow_resume), and its parser was between rows when the state was
 * written (a row half written then is read whole from the file, with its
 * kind). Its parser gets its header again from the file's first lines and
 * goes on at the line it was at. Anything else — a file rewritten,
 * truncated, replaced or gone, a file new in a glob that is an old one
 * under another name (a rotation while cxtop was not running), a database
 * source (its watermark is not kept yet) — and that kind is read again from
 * the files, as a first read would: so that a run from the state always
 * gives what a run without it gives. */
#include "ingest_impl.h"

#include "cxtop/csvin.h"
#include "cxtop/pgsrc.h"
#include "cxtop/statefile.h"
#include "cxtop/storeio.h"
#include "cxtop/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define INGEST_STATE_MAGIC 0x494e474553543031ULL /* "INGEST01" */
/* A header longer than this is not looked for again: its kind is read
 * again instead. */
#define INGEST_STATE_HEADER_MAX (1u << 20)
/* How far back a row that spans lines is looked for (ingest_row_start):
 * parsed again once, by the writer of the state (a forked child while the
 * dashboard runs). */
#define INGEST_STATE_ROW_BACK (16u << 20)

/* The loop's clock, as ingest's: the cursor marks' ages are kept against
 * it. */
static int64_t ingest_state_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ingest_put_mark(struct statefile_w *w, const struct follow_mark *m)
{
	statefile_put_u32(w, (uint32_t)m->kept);
	statefile_put_u64(w, m->dev);
	statefile_put_u64(w, m->ino);
	statefile_put_u64(w, m->offset);
	statefile_put_u64(w, m->fp_hash);
	statefile_put_u64(w, m->fp_len);
	statefile_put_u64(w, m->fp_want);
	statefile_put_u64(w, m->size);
	statefile_put_i64(w, m->mtime_s);
	statefile_put_i64(w, m->mtime_ns);
}

static void ingest_get_mark(struct statefile_r *r, struct follow_mark *m)
{
	m->kept = (int)statefile_get_u32(r);
	m->dev = statefile_get_u64(r);
	m->ino = statefile_get_u64(r);
	m->offset = statefile_get_u64(r);
	m->fp_hash = statefile_get_u64(r);
	m->fp_len = statefile_get_u64(r);
	m->fp_want = statefile_get_u64(r);
	m->size = statefile_get_u64(r);
	m->mtime_s = statefile_get_i64(r);
	m->mtime_ns = statefile_get_i64(r);
}

/* The offset just past the last line end (LF or CR) before offset in the
 * file at path, looking back at most a row's longest; UINT64_MAX if there
 * is none there or the file cannot be read. */
static uint64_t ingest_line_start(const char *path, uint64_t offset)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return UINT64_MAX;
	uint64_t back = offset < INGEST_STATE_HEADER_MAX ? offset : INGEST_STATE_HEADER_MAX;
	char *buf = xmalloc(back ? (size_t)back : 1);
	ssize_t got = pread(fd, buf, (size_t)back, (off_t)(offset - back));
	close(fd);
	uint64_t at = UINT64_MAX;
	for (ssize_t i = got == (ssize_t)back ? got : 0; i-- > 0;) {
		if (buf[i] == '\n' || buf[i] == '\r') {
			at = offset - back + (uint64_t)i + 1;
			break;
		}
	}
	free(buf);
	return at;
}

static int ingest_row_start(const struct ingest_file *f, uint64_t offset, uint64_t *start,
			    uint64_t *line);

void ingest_save(struct ingest *in, struct statefile_w *w)
{
	ingest_quiesce(in);
	statefile_put_u64(w, INGEST_STATE_MAGIC);
	statefile_put_u64(w, in->nsources);
	for (size_t i = 0; i < in->nsources; i++) {
		const struct ingest_source *s = &in->sources[i];
		statefile_put_str(w, s->pattern);
		statefile_put_u32(w, (uint32_t)s->cfg->kind);
		statefile_put_u32(w, s->pg != NULL);
		statefile_put_u64(w, s->rows);
		statefile_put_u64(w, s->rejected);
		statefile_put_u64(w, s->na);
		statefile_put_u64(w, s->unknown_events);
		statefile_put_str(w, s->header_error);
		statefile_put_str(w, s->header_notice);
		statefile_put_u64(w, s->nfiles);
		for (size_t j = 0; j < s->nfiles; j++) {
			const struct ingest_file *f = s->files[j];
			struct follow_mark m;
			follow_mark(f->follow, &m);
			/* a log's parser between rows, or the row it holds is
			 * lost: it is read again with its kind */
			int between = schema_kind_file_kind(s->cfg->kind) == SCHEMA_SNAPSHOT ||
				      (f->last_nl && !csvin_in_row(f->csv)) || f->flushed;
			/* a row being written, on its line alone: the state
			 * goes back to the start of that line, which is read
			 * again when the row is done */
			int at_line = 0;
			uint64_t line = csvin_line(f->csv), start;
			if (!between && m.kept && csvin_row_on_one_line(f->csv)) {
				start = ingest_line_start(f->path, m.offset);
				if (start != UINT64_MAX && start >= m.fp_len) {
					m.offset = start;
					between = at_line = 1;
				}
			}
			/* one over several lines (a quoted field with line
			 * ends): back to where the row began, found by
			 * parsing again from the last point between rows */
			if (!between && m.kept && schema_kind_file_kind(s->cfg->kind) == SCHEMA_LOG &&
			    ingest_row_start(f, m.offset, &start, &line) && start >= m.fp_len) {
				m.offset = start;
				between = at_line = 1;
			}
			statefile_put_str(w, f->path);
			statefile_put_u32(w, (uint32_t)(m.kept && between));
			ingest_put_mark(w, &m);
			statefile_put_u64(w, line);
			statefile_put_u64(w, f->rows);
			statefile_put_u64(w, f->rejected);
			statefile_put_u64(w, f->na);
			/* 1: at a line end; 2 more: just after a CR (its LF,
			 * if it comes, ends no line) */
			statefile_put_u32(w, (uint32_t)(f->last_nl || at_line) |
						     (uint32_t)(between && !at_line && csvin_after_cr(f->csv)) << 1);
			statefile_put_u32(w, (uint32_t)f->flushed);
		}
		if (s->pg) {
			/* a database source: its watermark, and its counts */
			struct pgsrc_mark m;
			pgsrc_mark(s->pg, &m);
			statefile_put_u32(w, (uint32_t)m.kept);
			statefile_put_u64(w, m.horizon);
			statefile_put_u64(w, m.rows);
			statefile_put(w, m.sig0, sizeof m.sig0);
			statefile_put(w, m.push_note, sizeof m.push_note);
			if (m.kept)
				pgsrc_save_marks(s->pg, w, ingest_state_now_ms());
			statefile_put_u64(w, s->pgfile->rows);
			statefile_put_u64(w, s->pgfile->rejected);
			statefile_put_u64(w, s->pgfile->na);
		}
	}
	/* the rejections, oldest first, and the words */
	statefile_put_u64(w, in->ring_count);
	for (size_t i = in->ring_count; i-- > 0;) {
		const struct ingest_rejection *x = ingest_rejection(in, i);
		statefile_put_str(w, x->file);
		statefile_put_u64(w, x->line);
		statefile_put_str(w, x->reason);
		statefile_put_u32(w, (uint32_t)x->kind);
		statefile_put_u32(w, (uint32_t)x->by_key);
	}
	statefile_put_u64(w, in->nwords);
	for (size_t i = 0; i < in->nwords; i++) {
		const struct ingest_word *x = &in->words[i];
		statefile_put_str(w, x->word);
		statefile_put_str(w, x->file);
		statefile_put_u64(w, x->line);
		statefile_put_u64(w, x->count);
		statefile_put_u32(w, (uint32_t)x->kind);
		statefile_put_u32(w, (uint32_t)x->col);
		statefile_put_u32(w, (uint32_t)x->by_key);
	}
	storeio_save(in->store, w);
	statefile_put_u64(w, INGEST_STATE_MAGIC);
}

/* A saved file, as read back. */
struct ingest_saved {
	char *path;
	int resumable;
	struct follow_mark mark;
	uint64_t line, rows, rejected, na;
	int last_nl, after_cr, flushed;
};

/* ---- the header again -------------------------------------------------- */

struct ingest_reheader {
	int rows; /* calls for rows: the header was not alone in its lines */
	struct ingest_file *f;
};

static void ingest_rh_record(void *ctx, const struct record *r, uint64_t line)
{
	((struct ingest_reheader *)ctx)->rows++;
}

static void ingest_rh_line(void *ctx, uint64_t line)
{
	((struct ingest_reheader *)ctx)->rows++;
}

static void ingest_rh_reason(void *ctx, uint64_t line, const char *why)
{
	((struct ingest_reheader *)ctx)->rows++;
}

static void ingest_rh_unmapped(void *ctx, uint64_t line, int col, const char *label)
{
	((struct ingest_reheader *)ctx)->rows++;
}

static void ingest_rh_quiet(void *ctx, const char *msg)
{
	/* the source's header messages were kept with the state */
}

static const struct csvin_sink ingest_rh_sink = {
	.record = ingest_rh_record,
	.reject = ingest_rh_reason,
	.na = ingest_rh_line,
	.unknown_event = ingest_rh_reason,
	.unmapped = ingest_rh_unmapped,
	.header_error = ingest_rh_quiet,
	.header_notice = ingest_rh_quiet,
};

/* f's parser given its file's header again, a line at a time from byte 0,
 * and then set at the line it was at: 1, or 0 if that cannot be done (the
 * header's lines hold a row too, or end past the offset read). */
static int ingest_reheader(struct ingest_file *f, const struct ingest_saved *sv)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t cap = sv->mark.offset < INGEST_STATE_HEADER_MAX ? (size_t)sv->mark.offset
								 : INGEST_STATE_HEADER_MAX;
	char *buf = xmalloc(cap ? cap : 1);
	ssize_t got = pread(fd, buf, cap, 0);
	close(fd);
	struct ingest_reheader rh = { 0 };
	size_t off = 0;
	csvin_begin(f->csv);
	while (got > 0 && off < (size_t)got && !csvin_has_header(f->csv) &&
	       !csvin_header_error(f->csv)) {
		const char *nl = memchr(buf + off, '\n', (size_t)got - off);
		if (!nl)
			break;
		size_t to = (size_t)(nl - buf) + 1;
		csvin_feed(f->csv, buf + off, to - off, &ingest_rh_sink, &rh);
		off = to;
	}
	free(buf);
	int ok = !rh.rows && (csvin_has_header(f->csv) || csvin_header_error(f->csv)) &&
		 csvin_can_split(f->csv) && csvin_line(f->csv) <= sv->line;
	if (csvin_header_error(f->csv))
		ok = !rh.rows && !csvin_in_row(f->csv) && csvin_line(f->csv) <= sv->line;
	if (ok)
		csvin_advance(f->csv, sv->line - csvin_line(f->csv));
	return ok;
}

/* Where the row f's parser is in the middle of began, at offset: the
 * bytes from the last point where it was between rows after a line end
 * (f->safe_off; a clone of the parser) or from the file's start (a parser
 * as new) are parsed again, a line at a time, and the row began after the
 * last line after which that parser was between rows. 1 with that offset
 * and its line number; 0 when no such point is kept (a file read in
 * parallel chunks since), it is too far back, or the parser run again
 * does not end where f's is (its kind is then read again at the next
 * start). */
static int ingest_row_start(const struct ingest_file *f, uint64_t offset, uint64_t *start,
			    uint64_t *line)
{
	if (!f->safe_ok || f->safe_off > offset || offset - f->safe_off > INGEST_STATE_ROW_BACK ||
	    !csvin_in_row(f->csv))
		return 0;
	size_t n = (size_t)(offset - f->safe_off);
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char *buf = xmalloc(n ? n : 1);
	ssize_t got = pread(fd, buf, n, (off_t)f->safe_off);
	close(fd);
	int ok = 0;
	if (got == (ssize_t)n) {
		struct csvin *k = f->safe_ok == 2 ? csvin_clone(f->csv) : csvin_new(f->src->cfg);
		struct ingest_reheader rh = { 0 };
		uint64_t at = f->safe_off, at_line = f->safe_line;
		for (size_t off = 0; off < n;) {
			const char *nl = memchr(buf + off, '\n', n - off);
			size_t to = nl ? (size_t)(nl - buf) + 1 : n;
			csvin_feed(k, buf + off, to - off, &ingest_rh_sink, &rh);
			off = to;
			if (nl && csvin_can_split(k)) {
				at = f->safe_off + off;
				at_line = f->safe_line + csvin_line(k) - 1;
			}
		}
		/* the clone saw what the parser saw, from the same point */
		ok = csvin_in_row(k) && at < offset &&
		     f->safe_line + csvin_line(k) - 1 == csvin_line(f->csv);
		csvin_free(k);
		if (ok) {
			*start = at;
			*line = at_line;
		}
	}
	free(buf);
	return ok;
}

/* ---- taking a state up -------------------------------------------------- */

static int ingest_is_db(const struct ingest *in, size_t i)
{
	return in->sources[i].pg != NULL;
}

static void ingest_why(char *why, size_t n, const char *line)
{
	size_t len = strlen(why);
	if (len + 1 >= n)
		return;
	snprintf(why + len, n - len, "%s%s", len ? "\n" : "", line);
}

/* Where sv's file is now among s's names (a glob log rotated while cxtop
 * was not running: events.csv is events.csv.1 now): the name whose file
 * has sv's device and inode, or at_path when that one has (or none has). */
static struct ingest_file *ingest_find_moved(struct ingest_source *s, const struct ingest_saved *sv,
					     struct ingest_file *at_path)
{
	struct stat st;
	if (at_path && stat(at_path->path, &st) == 0 && (uint64_t)st.st_dev == sv->mark.dev &&
	    (uint64_t)st.st_ino == sv->mark.ino)
		return at_path;
	for (size_t k = 0; k < s->nfiles; k++)
		if (stat(s->files[k]->path, &st) == 0 && (uint64_t)st.st_dev == sv->mark.dev &&
		    (uint64_t)st.st_ino == sv->mark.ino)
			return s->files[k];
	return at_path;
}

/* Files with a new name now: their rejections and words are named so, as
 * a first read of the files as they are would name them; all at once, so
 * that in a chain (events.csv.1 is events.csv.2 now, events.csv is
 * events.csv.1) each entry moves once. */
struct ingest_rename {
	const char *from, *to;
	int kind;
};

static void ingest_apply_renames(struct ingest *in, const struct ingest_rename *rn, size_t n)
{
	for (size_t i = 0; i < in->ring_count && n; i++) {
		struct ingest_rejection *x = &in->ring[i];
		for (size_t k = 0; k < n && x->file; k++) {
			if (x->kind == rn[k].kind && strcmp(x->file, rn[k].from) == 0) {
				free(x->file);
				x->file = xstrdup(rn[k].to);
				break;
			}
		}
	}
	for (size_t i = 0; i < in->nwords && n; i++) {
		for (size_t k = 0; k < n; k++) {
			if (in->words[i].kind == rn[k].kind && strcmp(in->words[i].file, rn[k].from) == 0) {
				free(in->words[i].file);
				in->words[i].file = xstrdup(rn[k].to);
				break;
			}
		}
	}
}

int ingest_restore(struct ingest *in, struct statefile_r *r, char *why, size_t n)
{
	why[0] = '\0';
	if (statefile_get_u64(r) != INGEST_STATE_MAGIC || statefile_get_u64(r) != in->nsources) {
		snprintf(why, n, "the state is not of these sources");
		return -1;
	}
	struct src_saved {
		uint64_t rows, rejected, na, unknown;
		char *herr, *hnote;
		struct ingest_saved *files;
		size_t nfiles;
		int db;
		struct pgsrc_mark pg;
		struct pgsrc_marks *marks;
		uint64_t pg_rows, pg_rejected, pg_na;
	} *ss = xcalloc(in->nsources ? in->nsources : 1, sizeof *ss);
	int ok = 1;
	for (size_t i = 0; i < in->nsources && ok; i++) {
		char *pattern = statefile_get_str(r);
		uint32_t kind = statefile_get_u32(r);
		ok = pattern && strcmp(pattern, in->sources[i].pattern) == 0 &&
		     kind == (uint32_t)in->sources[i].cfg->kind;
		free(pattern);
		ss[i].db = (int)statefile_get_u32(r);
		ss[i].rows = statefile_get_u64(r);
		ss[i].rejected = statefile_get_u64(r);
		ss[i].na = statefile_get_u64(r);
		ss[i].unknown = statefile_get_u64(r);
		ss[i].herr = statefile_get_str(r);
		ss[i].hnote = statefile_get_str(r);
		uint64_t nf = statefile_get_u64(r);
		if (!ok || nf > statefile_left(r)) {
			ok = 0;
			break;
		}
		ss[i].files = xcalloc(nf ? (size_t)nf : 1, sizeof *ss[i].files);
		ss[i].nfiles = (size_t)nf;
		for (size_t j = 0; j < nf; j++) {
			struct ingest_saved *sv = &ss[i].files[j];
			sv->path = statefile_get_str(r);
			sv->resumable = (int)statefile_get_u32(r);
			ingest_get_mark(r, &sv->mark);
			sv->line = statefile_get_u64(r);
			sv->rows = statefile_get_u64(r);
			sv->rejected = statefile_get_u64(r);
			sv->na = statefile_get_u64(r);
			uint32_t nl = statefile_get_u32(r);
			sv->last_nl = (int)(nl & 1);
			sv->after_cr = (int)(nl >> 1 & 1);
			sv->flushed = (int)statefile_get_u32(r);
			if (!sv->path)
				ok = 0;
		}
		if (ss[i].db) {
			ss[i].pg.kept = (int)statefile_get_u32(r);
			ss[i].pg.horizon = statefile_get_u64(r);
			ss[i].pg.rows = statefile_get_u64(r);
			statefile_get(r, ss[i].pg.sig0, sizeof ss[i].pg.sig0);
			statefile_get(r, ss[i].pg.push_note, sizeof ss[i].pg.push_note);
			ss[i].pg.sig0[sizeof ss[i].pg.sig0 - 1] = '\0';
			ss[i].pg.push_note[sizeof ss[i].pg.push_note - 1] = '\0';
			if (ss[i].pg.kept && ingest_is_db(in, i)) {
				ss[i].marks = pgsrc_load_marks(r, in->sources[i].cfg, ingest_state_now_ms());
				if (!ss[i].marks)
					ok = 0;
			}
			ss[i].pg_rows = statefile_get_u64(r);
			ss[i].pg_rejected = statefile_get_u64(r);
			ss[i].pg_na = statefile_get_u64(r);
			if (!ingest_is_db(in, i))
				ok = 0;
		}
	}
	/* the rejections and words: into place only once all is read */
	uint64_t nrej = ok ? statefile_get_u64(r) : 0;
	struct ingest_rejection *rej = NULL;
	if (ok && nrej <= INGEST_REJECTIONS_MAX) {
		rej = xcalloc(nrej ? (size_t)nrej : 1, sizeof *rej);
		for (size_t i = 0; i < nrej; i++) {
			rej[i].file = statefile_get_str(r);
			rej[i].line = statefile_get_u64(r);
			rej[i].reason = statefile_get_str(r);
			rej[i].kind = (int)statefile_get_u32(r);
			rej[i].by_key = (int)statefile_get_u32(r);
		}
	} else {
		ok = 0;
	}
	uint64_t nw = ok ? statefile_get_u64(r) : 0;
	struct ingest_word *words = NULL;
	if (ok && nw <= statefile_left(r)) {
		words = xcalloc(nw ? (size_t)nw : 1, sizeof *words);
		for (size_t i = 0; i < nw; i++) {
			words[i].word = statefile_get_str(r);
			words[i].file = statefile_get_str(r);
			words[i].line = statefile_get_u64(r);
			words[i].count = statefile_get_u64(r);
			words[i].kind = (int)statefile_get_u32(r);
			words[i].col = (int)statefile_get_u32(r);
			words[i].by_key = (int)statefile_get_u32(r);
		}
	} else {
		ok = 0;
	}
	struct store *st = ok ? storeio_load(r, in->cfg->engaged_events, in->cfg->hve_events) : NULL;
	char damaged[512] = "";
	if (!st || statefile_get_u64(r) != INGEST_STATE_MAGIC || statefile_bad(r) ||
	    statefile_left(r) != 0 || statefile_end(r, damaged, sizeof damaged) != 0) {
		store_free(st);
		st = NULL;
		ok = 0;
	}
	if (ok) {
		store_free(in->store);
		in->store = st;
		for (size_t i = 0; i < nrej; i++) {
			struct ingest_rejection *x = &in->ring[in->ring_head];
			free(x->file);
			free(x->reason);
			*x = rej[i];
			for (int k = 0; k < 2; k++) /* a string the state lacked */
				if (!(k ? x->reason : x->file))
					*(k ? &x->reason : &x->file) = xstrdup("");
			in->ring_head = (in->ring_head + 1) % INGEST_REJECTIONS_MAX;
			if (in->ring_count < INGEST_REJECTIONS_MAX)
				in->ring_count++;
		}
		in->words = words;
		in->nwords = in->words_cap = (size_t)nw;
		for (size_t i = 0; i < nw; i++) {
			if (!words[i].word)
				words[i].word = xstrdup("");
			if (!words[i].file)
				words[i].file = xstrdup("");
		}
		words = NULL;
	} else {
		for (size_t i = 0; rej && i < nrej; i++) {
			free(rej[i].file);
			free(rej[i].reason);
		}
		for (size_t i = 0; words && i < nw; i++) {
			free(words[i].word);
			free(words[i].file);
		}
		free(words);
		util_strlcpy(why, damaged[0] ? damaged : "the state could not be read whole", n);
	}
	free(rej);

	/* each file taken up where it was, or its kind read again */
	int again[SCHEMA_KIND_COUNT] = { 0 };
	struct ingest_rename *rn = NULL;
	size_t nrn = 0, rn_cap = 0;
	for (size_t i = 0; i < in->nsources && ok; i++) {
		struct ingest_source *s = &in->sources[i];
		int kind = s->cfg->kind;
		char line[512];
		s->rows = ss[i].rows;
		s->rejected = ss[i].rejected;
		s->na = ss[i].na;
		s->unknown_events = ss[i].unknown;
		free(s->header_error);
		free(s->header_notice);
		s->header_error = ss[i].herr;
		s->header_notice = ss[i].hnote;
		ss[i].herr = ss[i].hnote = NULL;
		if (s->pg || ss[i].db) {
			/* a table read live past its xid horizon (or watched by
			 * its signature) goes on from there; anything else (a
			 * query, an id or timestamp cursor, a read under way) is
			 * read again, as every start did before: not said each
			 * time (a cron job would mail it every run), Sources
			 * shows the read */
			if (s->pg && ss[i].db && pgsrc_resume(s->pg, &ss[i].pg, ss[i].marks)) {
				s->pgfile->rows = ss[i].pg_rows;
				s->pgfile->rejected = ss[i].pg_rejected;
				s->pgfile->na = ss[i].pg_na;
				s->pg_reserved = 1;
			} else {
				again[kind] = 1;
			}
			continue;
		}
		ingest_expand(in, s);
		const char *bad = NULL, *badpath = NULL;
		for (size_t j = 0; j < ss[i].nfiles && !bad; j++) {
			struct ingest_saved *sv = &ss[i].files[j];
			struct ingest_file *f = NULL;
			for (size_t k = 0; k < s->nfiles && !f; k++)
				if (strcmp(s->files[k]->path, sv->path) == 0)
					f = s->files[k];
			badpath = sv->path;
			if (sv->mark.kept && s->is_glob && schema_kind_file_kind(kind) == SCHEMA_LOG)
				f = ingest_find_moved(s, sv, f);
			if (!f)
				bad = "is no longer there";
			else if (!sv->mark.kept)
				continue; /* nothing was read of it: read it as new */
			else if (!sv->resumable)
				bad = "was in the middle of a row";
			else if (!follow_resume(f->follow, &sv->mark))
				bad = "changed while cxtop was not running (rewritten, truncated, replaced or gone)";
			else if (schema_kind_file_kind(kind) == SCHEMA_LOG && !ingest_reheader(f, sv))
				bad = "has a header that cannot be read again";
			if (bad || !f)
				continue;
			if (strcmp(f->path, sv->path) != 0) {
				rn = xgrow(rn, &rn_cap, nrn + 1, sizeof *rn);
				rn[nrn++] = (struct ingest_rename){ sv->path, f->path, kind };
			}
			f->rows = sv->rows;
			f->rejected = sv->rejected;
			f->na = sv->na;
			f->last_nl = sv->last_nl;
			f->flushed = sv->flushed;
			if (sv->after_cr)
				csvin_set_after_cr(f->csv);
			f->sized = 1;
			/* between rows after a line end: where a row that spans
			 * lines would be looked for from */
			f->safe_off = sv->mark.offset;
			f->safe_line = sv->line;
			f->safe_ok = csvin_can_split(f->csv) ? 2 : 0;
			f->expect_begin = 0;
		}
		/* a file of the glob not in the state that is one of its files
		 * under a new name, yet not taken up as such */
		for (size_t k = 0; k < s->nfiles && !bad; k++) {
			struct stat fst;
			if (follow_offset(s->files[k]->follow) || stat(s->files[k]->path, &fst) != 0)
				continue;
			for (size_t j = 0; j < ss[i].nfiles && !bad; j++)
				if (ss[i].files[j].mark.kept && ss[i].files[j].mark.dev == (uint64_t)fst.st_dev &&
				    ss[i].files[j].mark.ino == (uint64_t)fst.st_ino) {
					bad = "was rotated while cxtop was not running";
					badpath = ss[i].files[j].path;
				}
		}
		if (bad && !again[kind]) {
			snprintf(line, sizeof line, "%s %s: %s read again", badpath, bad,
				 schema_kind_name(kind));
			ingest_why(why, n, line);
		}
		if (bad)
			again[kind] = 1;
	}
	if (ok)
		ingest_apply_renames(in, rn, nrn); /* before the saved paths go */
	free(rn);
	for (size_t i = 0; i < in->nsources; i++) {
		pgsrc_marks_free(ss[i].marks);
		free(ss[i].herr);
		free(ss[i].hnote);
		for (size_t j = 0; j < ss[i].nfiles; j++)
			free(ss[i].files[j].path);
		free(ss[i].files);
	}
	free(ss);
	if (!ok)
		return -1;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		if (again[k])
			ingest_rebuild_kind(in, k, NULL);
	return 0;
}
