/* ingest: drives follow -> csvin -> record -> store for all sources (see
 * include/cxtop/ingest.h for the rebuild rules). */
#include "cxtop/ingest.h"

#include "cxtop/parread.h"
#include "cxtop/pgsrc.h"

#include "cxtop/csvin.h"
#include "cxtop/util.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "ingest_impl.h"

static int64_t ingest_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ingest_has_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

static struct ingest_file *ingest_file_add(struct ingest *in, struct ingest_source *src,
					   const char *path)
{
	struct ingest_file *f = xcalloc(1, sizeof *f);
	enum follow_mode mode =
		schema_kind_file_kind(src->cfg->kind) == SCHEMA_LOG ? FOLLOW_LOG : FOLLOW_SNAPSHOT;
	f->path = xstrdup(path);
	f->follow = follow_new(path, mode);
	f->csv = csvin_new(src->cfg);
	f->src = src;
	f->in = in;
	f->last_nl = 1;
	src->files = xrealloc(src->files, (src->nfiles + 1) * sizeof *src->files);
	src->files[src->nfiles++] = f;
	follow_watch_add(in->watch, path);
	return f;
}

struct ingest *ingest_new(const struct config *cfg, const char *data_dir)
{
	struct ingest *in = xcalloc(1, sizeof *in);
	in->cfg = cfg;
	in->store = store_new(cfg->engaged_events, cfg->hve_events);
	in->batch = &in->batch_mem;
	in->watch = follow_watch_new();
	in->sources = xcalloc(cfg->nsources ? cfg->nsources : 1, sizeof *in->sources);
	in->nsources = cfg->nsources;
	for (size_t i = 0; i < cfg->nsources; i++) {
		struct ingest_source *s = &in->sources[i];
		const char *p = cfg->sources[i].path;
		s->cfg = &cfg->sources[i];
		if (cfg->sources[i].database) {
			/* a database source: its rows come through pgsrc, counted
			 * under an entry named "source@database" (p) */
			s->pattern = xstrdup(p);
			s->pgfile = xcalloc(1, sizeof *s->pgfile);
			s->pgfile->path = xstrdup(p);
			s->pgfile->src = s;
			s->pgfile->in = in;
			s->pgfile->last_nl = 1;
			s->pg = pgsrc_new(&cfg->sources[i],
					  config_database_find(cfg, cfg->sources[i].database),
					  cfg->engaged_events, cfg->hve_events, NULL, ingest_now_ms());
			continue;
		}
		s->pattern = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", data_dir, p);
		s->is_glob = ingest_has_glob(s->pattern);
		if (!s->is_glob)
			ingest_file_add(in, s, s->pattern);
		else
			follow_watch_add(in->watch, s->pattern);
	}
	return in;
}

static void ingest_file_free(struct ingest_file *f)
{
	follow_free(f->follow);
	csvin_free(f->csv);
	free(f->path);
	free(f);
}

void ingest_free(struct ingest *in)
{
	if (!in)
		return;
	ingest_set_threads(in, 1); /* a parallel read ends in its file's parser */
	for (size_t i = 0; i < in->nsources; i++) {
		struct ingest_source *s = &in->sources[i];
		for (size_t j = 0; j < s->nfiles; j++)
			ingest_file_free(s->files[j]);
		free(s->files);
		free(s->pattern);
		pgsrc_free(s->pg);
		free(s->pg_no_push);
		if (s->pgfile) {
			free(s->pgfile->path);
			free(s->pgfile);
		}
		free(s->header_error);
		free(s->header_notice);
	}
	for (size_t i = 0; i < INGEST_REJECTIONS_MAX; i++) {
		free(in->ring[i].file);
		free(in->ring[i].reason);
	}
	for (size_t i = 0; i < in->nwords; i++) {
		free(in->words[i].word);
		free(in->words[i].file);
	}
	free(in->words);
	free(in->batch_mem.text);
	free(in->sources);
	follow_watch_free(in->watch);
	store_free(in->store);
	free(in);
}

/* logrotate's compress and delaycompress leave events.csv.2.gz beside the
 * logs, and events.csv* matches it: its rows were counted from the file
 * before it was compressed, and its bytes are not CSV. */
static int ingest_compressed(const char *path)
{
	static const char *const ext[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip", ".Z" };
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && strcmp(path + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* New files matching a glob are added in name order (glob sorts). */
void ingest_expand(struct ingest *in, struct ingest_source *s)
{
	glob_t g;
	if (!s->is_glob || glob(s->pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		int known = ingest_compressed(g.gl_pathv[i]);
		for (size_t j = 0; j < s->nfiles && !known; j++)
			known = strcmp(s->files[j]->path, g.gl_pathv[i]) == 0;
		if (!known)
			ingest_file_add(in, s, g.gl_pathv[i]);
	}
	globfree(&g);
}

/* ---- one file under several names --------------------------------------- */

/* A file is known by device and inode, whatever its path (SPEC 2). Under a
 * glob a rotation moves a file from one matching name to another
 * (events.csv -> events.csv.1, events.csv -> events-20261101.csv): the
 * follow of the new name takes over the open file where the old one
 * stopped, with its parser state and counts, instead of reading it again
 * from byte 0; the old name's follow then opens its new file. A name whose
 * file is already read under another name (a hard link) is not read. Each
 * step stats every name of the source once, and the follows act on those
 * same stats, so a rename between the two looks cannot slip through. */
struct ingest_id {
	dev_t dev;
	ino_t ino;
	size_t file;
};

static int ingest_id_cmp(const void *a, const void *b)
{
	const struct ingest_id *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

static struct ingest_id *ingest_id_find(struct ingest_id *ids, size_t n, dev_t dev, ino_t ino)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid].dev < dev || (ids[mid].dev == dev && ids[mid].ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo].dev == dev && ids[lo].ino == ino ? &ids[lo] : NULL;
}

/* The file of a and b, with what was read of it, changes hands. */
static void ingest_file_swap(struct ingest_file *a, struct ingest_file *b)
{
	struct ingest_file t = *a;
	follow_swap_file(a->follow, b->follow);
	a->csv = b->csv;
	a->rows = b->rows;
	a->rejected = b->rejected;
	a->na = b->na;
	a->last_nl = b->last_nl;
	a->flushed = b->flushed;
	a->expect_begin = b->expect_begin;
	b->csv = t.csv;
	b->rows = t.rows;
	b->rejected = t.rejected;
	b->na = t.na;
	b->last_nl = t.last_nl;
	b->flushed = t.flushed;
	b->expect_begin = t.expect_begin;
}

/* Stat every name of s, hand each open file to the name it now has, and
 * mark the names whose file another name reads (same_as). */
static void ingest_match_names(struct ingest_source *s)
{
	size_t n = s->nfiles, nopen = 0, npath = 0;
	struct ingest_id *open = xcalloc(n, sizeof *open), *path = xcalloc(n, sizeof *path);
	size_t *pos = xcalloc(n, sizeof *pos);

	for (size_t j = 0; j < n; j++) {
		struct ingest_file *f = s->files[j];
		f->stat_err = stat(f->path, &f->st) == 0 ? 0 : errno;
		f->same_as = NULL;
		if (follow_open_id(f->follow, &open[nopen].dev, &open[nopen].ino))
			open[nopen++].file = j;
	}
	qsort(open, nopen, sizeof *open, ingest_id_cmp);
	for (size_t j = 0; j < n; j++)
		pos[j] = SIZE_MAX;
	for (size_t i = 0; i < nopen; i++)
		pos[open[i].file] = i;
	for (size_t j = 0; j < n; j++) {
		struct ingest_file *f = s->files[j];
		struct ingest_id *e;
		if (f->stat_err || !S_ISREG(f->st.st_mode))
			continue;
		e = ingest_id_find(open, nopen, f->st.st_dev, f->st.st_ino);
		if (!e) {
			path[npath++] = (struct ingest_id){ f->st.st_dev, f->st.st_ino, j };
			continue;
		}
		if (e->file == j)
			continue;
		struct ingest_file *k = s->files[e->file];
		if (!k->stat_err && k->st.st_dev == e->dev && k->st.st_ino == e->ino) {
			f->same_as = k->path; /* a second name of k's file */
			continue;
		}
		/* k's open file left k's name and is j's now */
		size_t kidx = e->file, q = pos[j];
		ingest_file_swap(f, k);
		e->file = j;
		pos[j] = (size_t)(e - open);
		pos[kidx] = q;
		if (q != SIZE_MAX)
			open[q].file = kidx;
	}
	/* logrotate's copytruncate copies a log to a new name and then empties
	 * it: while the copy is no more than the log read so far, it holds the
	 * same rows, so it waits. Once the log is cut, the RESET that follows
	 * recounts the kind from the files, the copy included. */
	for (size_t i = 0; i < npath; i++) {
		struct ingest_file *f = s->files[path[i].file];
		for (size_t o = 0; o < nopen && !f->same_as; o++) {
			struct ingest_file *k = s->files[open[o].file];
			if (!k->stat_err && k->st.st_dev == open[o].dev && k->st.st_ino == open[o].ino &&
			    (uint64_t)k->st.st_size >= follow_offset(k->follow) &&
			    follow_copy_of(f->follow, k->follow))
				f->same_as = k->path;
		}
	}
	/* new names of one file that nobody reads yet: the first reads it */
	qsort(path, npath, sizeof *path, ingest_id_cmp);
	for (size_t i = 1; i < npath; i++)
		if (path[i].dev == path[i - 1].dev && path[i].ino == path[i - 1].ino)
			s->files[path[i].file]->same_as = s->files[path[i - 1].file]->same_as
								  ? s->files[path[i - 1].file]->same_as
								  : s->files[path[i - 1].file]->path;
	free(open);
	free(path);
	free(pos);
}

/* ---- csvin sink --------------------------------------------------------- */

/* Apply b's records, on whichever thread holds the store. Their string
 * pointers are offsets into the batch's text until now (the text may move
 * while it grows). */
static void ingest_batch_apply(struct store *st, struct ingest_batch *b)
{
	const struct record *ptrs[INGEST_BATCH];
	if (!b->n)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct record *r = &b->rec[i];
		r->customer = b->text + (size_t)(uintptr_t)r->customer;
		r->campaign = b->text + (size_t)(uintptr_t)r->campaign;
		r->segment = b->text + (size_t)(uintptr_t)r->segment;
		r->comment = b->text + (size_t)(uintptr_t)r->comment;
		r->name = b->text + (size_t)(uintptr_t)r->name;
		r->channel = b->text + (size_t)(uintptr_t)r->channel;
		ptrs[i] = r;
	}
	store_apply_batch(st, ptrs, b->n);
	b->n = 0;
	b->len = 0;
}

/* Apply every waiting record now. After it the store holds every record
 * read here (a parallel read's chunks in flight aside: ingest_par_end). */
static void ingest_batch_flush(struct ingest *in)
{
	ingest_batch_apply(in->store, in->batch);
}

/* A parallel read starts only where it pays for its hand-offs: this many
 * bytes left in the file (16 chunks of parread's 256 KiB). */
#define INGEST_PAR_LEFT (4u << 20)

void ingest_set_threads(struct ingest *in, int n)
{
	ingest_set_parallel(in, n, 0, INGEST_PAR_LEFT);
}

static void ingest_par_end(struct ingest *in);

void ingest_set_parallel(struct ingest *in, int n, size_t chunk, uint64_t min_left)
{
	if (in->par) {
		ingest_par_end(in);
		parread_free(in->par);
		in->par = NULL;
	}
	in->par_chunk = chunk;
	in->par_left = min_left;
	if (n >= 2)
		in->par = parread_new(n - 1, chunk); /* NULL: one thread, the same numbers */
}

/* A run of a parallel read's records, in the order of the file, after
 * those read here before it. */
static void ingest_par_records(void *ctx, const struct record *const *r, size_t n)
{
	struct ingest_file *f = ctx;
	ingest_batch_flush(f->in);
	store_apply_batch(f->in->store, r, n);
	f->rows += n;
	f->src->rows += n;
	f->in->changed = 1;
}

/* Every chunk of the parallel read applied: its file's parser is as if it
 * had read every byte itself, and the store holds every row read. */
static void ingest_par_end(struct ingest *in)
{
	if (!in->par_file)
		return;
	parread_end(in->par);
	in->par_file = NULL;
}


void ingest_quiesce(struct ingest *in)
{
	ingest_par_end(in);
	ingest_batch_flush(in);
}

/* Bytes of f read in parallel from here: a large part of the file left, no
 * other parallel read under way, and (an events log) the tables sized from
 * its first rows, which parread would otherwise hand on late. */
static int ingest_par_start(struct ingest_file *f)
{
	struct ingest *in = f->in;
	if (!in->par || in->par_file || f->flushed)
		return 0;
	if (f->src->cfg->kind == SCHEMA_EVENTS && !f->sized)
		return 0;
	uint64_t size = follow_size(f->follow), off = follow_offset(f->follow);
	if (size < off || size - off < in->par_left)
		return 0;
	struct parread_sink sink = { .rows = &ingest_sink, .records = ingest_par_records, .ctx = f };
	if (!parread_begin(in->par, f->csv, &sink))
		return 0;
	in->par_file = f;
	return 1;
}

/* Copy a string into the batch text; returns its offset as a pointer. */
static const char *ingest_batch_str(struct ingest_batch *b, const char *s)
{
	if (!*s)
		return (const char *)(uintptr_t)0; /* offset 0 always holds "" */
	size_t n = strlen(s);
	b->text = xgrow(b->text, &b->cap, b->len + n + 1, 1);
	size_t off = b->len;
	memcpy(b->text + off, s, n + 1);
	b->len += n + 1;
	return (const char *)(uintptr_t)off;
}

static void ingest_on_record(void *ctx, const struct record *r, uint64_t line)
{
	struct ingest_file *f = ctx;
	struct ingest_batch *b = f->in->batch;
	if (!b->len) {
		b->text = xgrow(b->text, &b->cap, 1, 1);
		b->text[0] = '\0';
		b->len = 1;
	}
	struct record *c = &b->rec[b->n++];
	*c = *r;
	c->customer = ingest_batch_str(b, r->customer);
	c->campaign = ingest_batch_str(b, r->campaign);
	c->segment = ingest_batch_str(b, r->segment);
	c->comment = ingest_batch_str(b, r->comment);
	c->name = ingest_batch_str(b, r->name);
	c->channel = ingest_batch_str(b, r->channel);
	if (b->n == INGEST_BATCH)
		ingest_batch_flush(f->in);
	f->rows++;
	f->src->rows++;
}

/* Whether f's "lines" are key values (a database source with a key). */
static int ingest_by_key(const struct ingest_file *f)
{
	return f->src->pg && pgsrc_by_key(f->src->pg);
}

const char *ingest_where(char *buf, size_t n, const char *file, uint64_t line, int by_key)
{
	snprintf(buf, n, by_key ? "%s: key %llu" : "%s:%llu", file, (unsigned long long)line);
	return buf;
}

static void ingest_on_reject(void *ctx, uint64_t line, const char *reason)
{
	struct ingest_file *f = ctx;
	struct ingest *in = f->in;
	struct ingest_rejection *r = &in->ring[in->ring_head];

	f->rejected++;
	f->src->rejected++;
	free(r->file);
	free(r->reason);
	r->file = xstrdup(f->path);
	r->line = line;
	r->by_key = ingest_by_key(f);
	r->reason = xstrdup(reason);
	r->kind = f->src->cfg->kind;
	in->ring_head = (in->ring_head + 1) % INGEST_REJECTIONS_MAX;
	if (in->ring_count < INGEST_REJECTIONS_MAX)
		in->ring_count++;
}

static void ingest_on_na(void *ctx, uint64_t line)
{
	struct ingest_file *f = ctx;
	f->na++;
	f->src->na++;
}

/* One more row of word (an event word, or a label of column col). */
static void ingest_word_seen(struct ingest_file *f, uint64_t line, int col, const char *word)
{
	struct ingest *in = f->in;
	for (size_t i = 0; i < in->nwords; i++) {
		if (in->words[i].kind == f->src->cfg->kind && in->words[i].col == col &&
		    strcmp(in->words[i].word, word) == 0) {
			in->words[i].count++;
			return;
		}
	}
	in->words = xgrow(in->words, &in->words_cap, in->nwords + 1, sizeof *in->words);
	in->words[in->nwords++] = (struct ingest_word){
		.word = xstrdup(word), .file = xstrdup(f->path), .line = line, .count = 1,
		.kind = f->src->cfg->kind, .col = col, .by_key = ingest_by_key(f)
	};
}

static void ingest_on_unknown(void *ctx, uint64_t line, const char *word)
{
	struct ingest_file *f = ctx;
	f->src->unknown_events++;
	ingest_word_seen(f, line, SCHEMA_COL_EVENT, word);
}

/* A label its map.X lacks: the row is a rejection, counted as such, but
 * listed once per label (a survey export writes the same few words on
 * thousands of rows) instead of filling the ring. */
static void ingest_on_unmapped(void *ctx, uint64_t line, int col, const char *label)
{
	struct ingest_file *f = ctx;
	f->rejected++;
	f->src->rejected++;
	ingest_word_seen(f, line, col, label);
}

static void ingest_on_header_error(void *ctx, const char *msg)
{
	struct ingest_file *f = ctx;
	free(f->src->header_error);
	f->src->header_error = xasprintf("%s: %s", f->path, msg);
}

static void ingest_on_header_notice(void *ctx, const char *msg)
{
	struct ingest_file *f = ctx;
	free(f->src->header_notice);
	f->src->header_notice = xasprintf("%s: %s", f->path, msg);
}

const struct csvin_sink ingest_sink = {
	.record = ingest_on_record,
	.reject = ingest_on_reject,
	.na = ingest_on_na,
	.unknown_event = ingest_on_unknown,
	.unmapped = ingest_on_unmapped,
	.header_error = ingest_on_header_error,
	.header_notice = ingest_on_header_notice,
};

/* A log file ends only when it left its path (rotated, deleted, replaced).
 * A last row without its newline then is a row the writer was still
 * writing: "...,click" may be "...,click,12.50,no" cut short, and would
 * count as a click of value 0. It is rejected whatever it would parse to;
 * a row the writer finishes before the file is ended is read whole. (A
 * last line that stayed quiet was counted already by ingest_flush_partial,
 * as the writer was then taken to be done with it.) */
#define INGEST_CUT_ROW "unfinished row: the file was rotated or removed in the middle of it"

static void ingest_on_cut_record(void *ctx, const struct record *r, uint64_t line)
{
	ingest_on_reject(ctx, line, INGEST_CUT_ROW);
}

static void ingest_on_cut_line(void *ctx, uint64_t line)
{
	ingest_on_reject(ctx, line, INGEST_CUT_ROW);
}

static void ingest_on_cut_reject(void *ctx, uint64_t line, const char *reason)
{
	ingest_on_reject(ctx, line, INGEST_CUT_ROW);
}

static void ingest_on_cut_unknown(void *ctx, uint64_t line, const char *word)
{
	ingest_on_reject(ctx, line, INGEST_CUT_ROW);
}

/* A database's aggregates of rows it did not send (pushdown): into the
 * store after the records before them, and counted as read rows. */
static void ingest_on_seed_pairs(void *ctx, const struct store_seed_pair *x, size_t n)
{
	struct ingest_file *f = ctx;
	ingest_batch_flush(f->in);
	store_seed_pairs(f->in->store, x, n);
	f->in->changed = 1; /* its rows are counted by their days */
}

static void ingest_on_seed_day(void *ctx, const struct store_seed_day *x)
{
	struct ingest_file *f = ctx;
	ingest_batch_flush(f->in);
	store_seed_day(f->in->store, x);
	f->rows += x->rows;
	f->src->rows += x->rows;
	f->in->changed = 1;
}

static const struct pgsrc_seeds ingest_seeds = {
	.pairs = ingest_on_seed_pairs,
	.day = ingest_on_seed_day,
};

static const struct csvin_sink ingest_cut_sink = {
	.record = ingest_on_cut_record,
	.reject = ingest_on_cut_reject,
	.na = ingest_on_cut_line,
	.unknown_event = ingest_on_cut_unknown,
	.header_error = ingest_on_header_error,
};

/* ---- rebuilds ----------------------------------------------------------- */

/* A rebuilt kind's rejections and unknown words come again as its files
 * are read again: the old ones go, or Sources would list them twice. The
 * ring keeps its order (oldest first from the tail). */
static void ingest_forget_kind(struct ingest *in, int kind)
{
	struct ingest_rejection keep[INGEST_REJECTIONS_MAX];
	size_t n = 0;
	for (size_t i = in->ring_count; i-- > 0;) {
		size_t k = (in->ring_head + INGEST_REJECTIONS_MAX - 1 - i) % INGEST_REJECTIONS_MAX;
		struct ingest_rejection *r = &in->ring[k];
		if (r->kind == kind) {
			free(r->file);
			free(r->reason);
		} else {
			keep[n++] = *r;
		}
		*r = (struct ingest_rejection){ 0 };
	}
	for (size_t i = 0; i < n; i++)
		in->ring[i] = keep[i];
	in->ring_count = n;
	in->ring_head = n % INGEST_REJECTIONS_MAX;
	size_t w = 0;
	for (size_t i = 0; i < in->nwords; i++) {
		if (in->words[i].kind == kind) {
			free(in->words[i].word);
			free(in->words[i].file);
		} else {
			in->words[w++] = in->words[i];
		}
	}
	in->nwords = w;
}

/* Before a long read of an events log (issue 13): the pairs table made
 * the size the rest of the file will need, from the bytes per row so far,
 * so that it is not doubled, rehashed and zeroed again a dozen times on
 * the way (half a pair per row, as for a database source: the bench data
 * makes 0.37 to 0.39). Once per file, after its first rows, and only when
 * what is left is large; a guess too small costs the growth it would
 * have, one too large costs untouched pages (zeroed as they are used). */
#define INGEST_SIZE_ROWS 4096
#define INGEST_SIZE_BYTES (16u << 20)

static void ingest_size_tables(struct ingest_file *f, size_t len)
{
	f->fed += len;
	if (f->sized || f->rows < INGEST_SIZE_ROWS)
		return;
	f->sized = 1;
	uint64_t size = follow_size(f->follow);
	if (size <= f->fed || size - f->fed < INGEST_SIZE_BYTES)
		return;
	uint64_t left = (size - f->fed) * f->rows / f->fed;
	struct store *st = f->in->store;
	ingest_batch_flush(f->in); /* the table may move */
	store_reserve_pairs(st, st->pairs.count + (size_t)(left / 2));
}

/* Clear kind in the store and have every file of that kind read again. */
void ingest_rebuild_kind(struct ingest *in, int kind, struct ingest_file *except)
{
	in->upsets++;
	ingest_par_end(in);
	store_clear(in->store, kind);
	ingest_forget_kind(in, kind);
	for (size_t i = 0; i < in->nsources; i++) {
		struct ingest_source *s = &in->sources[i];
		if (s->cfg->kind != kind)
			continue;
		s->rows = s->rejected = s->na = s->unknown_events = 0;
		if (s->pg) {
			/* read again from the start: the cold read anew, as raw
			 * rows once a pushdown failed (a statement timeout) */
			if (pgsrc_fallback(s->pg) && !s->pg_no_push)
				s->pg_no_push = xstrdup(pgsrc_fallback(s->pg));
			pgsrc_free(s->pg);
			s->pg = pgsrc_new(s->cfg, config_database_find(in->cfg, s->cfg->database),
					  in->cfg->engaged_events, in->cfg->hve_events, s->pg_no_push,
					  ingest_now_ms());
			s->pgfile->rows = s->pgfile->rejected = s->pgfile->na = 0;
			s->pg_reported = 0;
			s->pg_reserved = 0;
			free(s->header_error); /* the new read says it again if need be */
			s->header_error = NULL;
		}
		for (size_t j = 0; j < s->nfiles; j++) {
			struct ingest_file *f = s->files[j];
			f->rows = f->rejected = f->na = 0;
			if (f == except)
				continue;
			follow_rewind(f->follow);
			f->expect_begin = 1;
		}
	}
}

static void ingest_on_follow_ev(struct ingest_file *f, enum follow_ev ev, const char *buf,
				size_t len);

static void ingest_on_follow(void *ctx, enum follow_ev ev, const char *buf, size_t len)
{
	struct ingest_file *f = ctx;
	f->in->events++;
	if (ev == FOLLOW_EV_DATA)
		f->in->work += len;
	else
		f->in->upsets++; /* a file begun, ended (rotated) or reset */
	/* nothing may pass a waiting record: a parallel read's chunks, then
	 * the batch; only more bytes of the file a parallel read is reading
	 * may join it */
	if (f->in->par_file && (ev != FOLLOW_EV_DATA || f->in->par_file != f))
		ingest_par_end(f->in);
	if (ev != FOLLOW_EV_DATA)
		ingest_batch_flush(f->in);
	ingest_on_follow_ev(f, ev, buf, len);
	if (ev != FOLLOW_EV_DATA)
		ingest_batch_flush(f->in);
}

/* f's bytes to its parser in parts of about 64 KiB that end at a line
 * end, noting after each whether the parser is between rows there
 * (csvin_can_split): the last such point is kept (f->safe_off) for a
 * state written while a row that spans lines is unfinished, so that it is
 * looked for in the last 64 KiB or so. A parser reads the same in any
 * parts; a part costs a memchr. */
#define INGEST_SAFE_STEP 65536

static void ingest_feed(struct ingest_file *f, const char *buf, size_t len)
{
	uint64_t at = follow_offset(f->follow); /* it moves after the call */
	while (len) {
		size_t k = len <= INGEST_SAFE_STEP ? len : INGEST_SAFE_STEP;
		const char *nl = memchr(buf + k - 1, '\n', len - k + 1);
		k = nl ? (size_t)(nl - buf) + 1 : len;
		csvin_feed(f->csv, buf, k, &ingest_sink, f);
		if (nl && csvin_can_split(f->csv)) {
			f->safe_off = at + k;
			f->safe_line = csvin_line(f->csv);
			f->safe_ok = 2;
		}
		buf += k;
		len -= k;
		at += k;
	}
}

static void ingest_on_follow_ev(struct ingest_file *f, enum follow_ev ev, const char *buf,
				size_t len)
{
	struct ingest *in = f->in;
	int kind = f->src->cfg->kind;

	in->changed = 1;
	switch (ev) {
	case FOLLOW_EV_BEGIN:
		csvin_begin(f->csv);
		f->safe_off = 0; /* read from the start by a parser as new */
		f->safe_line = 1;
		f->safe_ok = 1;
		f->last_nl = 1;
		f->flushed = 0;
		if (f->src->header_error && strncmp(f->src->header_error, f->path, strlen(f->path)) == 0) {
			free(f->src->header_error);
			f->src->header_error = NULL;
		}
		if (f->src->header_notice &&
		    strncmp(f->src->header_notice, f->path, strlen(f->path)) == 0) {
			free(f->src->header_notice);
			f->src->header_notice = NULL;
		}
		if (f->expect_begin) {
			f->expect_begin = 0;
		} else if (schema_kind_file_kind(kind) == SCHEMA_SNAPSHOT) {
			/* a changed snapshot: only this kind is rebuilt */
			ingest_rebuild_kind(in, kind, f);
		}
		break;
	case FOLLOW_EV_DATA:
		if (f->flushed) {
			/* bytes after a line we already counted as complete: that
			 * line was unfinished after all, so recount the kind */
			in->pending_reset[kind] = 1;
			return;
		}
		if (in->par_file == f || ingest_par_start(f))
			parread_feed(in->par, buf, len);
		else
			ingest_feed(f, buf, len);
		if (len)
			f->last_nl = buf[len - 1] == '\n' || buf[len - 1] == '\r';
		if (kind == SCHEMA_EVENTS)
			ingest_size_tables(f, len);
		break;
	case FOLLOW_EV_END:
		if (!f->flushed)
			csvin_end(f->csv,
				  schema_kind_file_kind(kind) == SCHEMA_LOG ? &ingest_cut_sink
									    : &ingest_sink,
				  f);
		f->last_nl = 1;
		f->flushed = 0;
		break;
	case FOLLOW_EV_RESET:
		in->pending_reset[kind] = 1;
		break;
	}
}

int ingest_step(struct ingest *in, size_t budget)
{
	int flags = 0;
	size_t per = budget / (in->nsources ? in->nsources : 1);

	if (per < 65536)
		per = 65536;
	in->changed = 0;
	/* Events are consumed here too so that a watched directory that was
	 * removed is watched again once it is back: nothing in a removed
	 * directory can wake the main loop, only its timer's step. One read
	 * that finds nothing when all is quiet. */
	follow_watch_drain(in->watch);
	for (size_t i = 0; i < in->nsources; i++) {
		struct ingest_source *s = &in->sources[i];
		if (s->pg) {
			/* a file's rows read so far come before the database's */
			ingest_par_end(in);
			/* rows, not bytes: about one per 64 bytes of a file's budget */
			int r = pgsrc_step(s->pg, ingest_now_ms(), per / 64, &ingest_sink,
					   &ingest_seeds, s->pgfile);
			ingest_batch_flush(in); /* the store has every row counted */
			if (!s->pg_reserved && s->cfg->kind == SCHEMA_EVENTS &&
			    pgsrc_estimate(s->pg) > 0) {
				/* room for the pairs before they come, while the
				 * table is empty: half the rows (the bench data
				 * makes 0.37 a row), so that a growth does not
				 * rehash millions in one turn */
				store_reserve_pairs(in->store, (size_t)pgsrc_estimate(s->pg) / 2);
				s->pg_reserved = 1;
			}
			int pc = pgsrc_percent(s->pg);
			if (pc >= 0)
				snprintf(s->pg_cold, sizeof s->pg_cold, "cold %d%%", pc);
			else
				s->pg_cold[0] = '\0';
			if (r & PGSRC_RESET)
				in->pending_reset[s->cfg->kind] = 1; /* read the kind again */
			if (r & PGSRC_MORE)
				flags |= INGEST_MORE;
			if (r & PGSRC_CHANGED) {
				in->changed = 1;
				in->events++;
				in->upsets++;
			}
			if (pgsrc_state(s->pg) == PGSRC_FAILED &&
			    (!s->header_error || strcmp(s->header_error, pgsrc_error(s->pg)) != 0)) {
				/* the latest failure (each retry may fail otherwise) */
				free(s->header_error);
				s->header_error = xstrdup(pgsrc_error(s->pg));
				s->pg_reported = 1;
			} else if (s->pg_reported && pgsrc_state(s->pg) != PGSRC_FAILED &&
				   !pgsrc_error(s->pg)[0]) {
				/* connected and set up again */
				free(s->header_error);
				s->header_error = NULL;
				s->pg_reported = 0;
			}
			continue;
		}
		ingest_expand(in, s);
		int names = s->is_glob && s->nfiles > 1 &&
			    schema_kind_file_kind(s->cfg->kind) == SCHEMA_LOG;
		if (names) {
			ingest_par_end(in); /* the names may trade parsers */
			ingest_match_names(s);
		}
		for (size_t j = 0; j < s->nfiles; j++) {
			struct ingest_file *f = s->files[j];
			int r;
			if (!names)
				r = follow_poll(f->follow, per, ingest_on_follow, f);
			else if (f->same_as)
				continue;
			else
				r = follow_poll_stat(f->follow, f->stat_err, &f->st, per,
						     ingest_on_follow, f);
			if (r & FOLLOW_MORE)
				flags |= INGEST_MORE;
			/* a state change alone (missing, error) is news too */
			if (r & FOLLOW_CHANGED)
				in->changed = 1;
		}
	}
	/* a parallel read's chunks go on across the steps of a burst, and are
	 * all applied at its end */
	if (!(flags & INGEST_MORE))
		ingest_par_end(in);
	ingest_batch_flush(in); /* the store holds every row read */
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++) {
		if (!in->pending_reset[k])
			continue;
		in->pending_reset[k] = 0;
		ingest_rebuild_kind(in, k, NULL);
		flags |= INGEST_MORE;
	}
	/* settle once a burst of reading is over, not after every batch of a
	 * large first read: a recount of the audience bases is O(pairs). A
	 * database's cold read arrives as the server sends it, in steps that
	 * end without MORE: settling after each made 200,000 seeded pairs
	 * cost 8 s (quadratic); it settles when the read is over */
	int cold = 0;
	for (size_t i = 0; i < in->nsources; i++)
		cold |= in->sources[i].pg && pgsrc_state(in->sources[i].pg) == PGSRC_READING;
	int busy = (flags & INGEST_MORE) || cold;
	store_bulk(in->store, busy);
	if (!busy && !store_settle_step(in->store, INGEST_SETTLE_PAIRS)) {
		/* the recount goes on at the next turn, a slice at a time;
		 * what changed is told when it ends, or the view would recount
		 * the bases itself, all at once */
		in->held_change |= in->changed;
		return flags | INGEST_MORE;
	}
	if (in->changed || in->held_change)
		flags |= INGEST_CHANGED;
	in->held_change = 0;
	return flags;
}

const char *ingest_db_state(const struct ingest_source *s)
{
	if (!s->pg)
		return NULL;
	switch (pgsrc_state(s->pg)) {
	case PGSRC_CONNECTING:
		return "connecting";
	case PGSRC_READING:
		/* "cold 45%" of the table's estimated rows, as of the last step */
		return s->pg_cold[0] ? s->pg_cold : "reading";
	case PGSRC_DONE:
		return pgsrc_live(s->pg) ? "live" : "read";
	default:
		return "error";
	}
}

const char *ingest_db_detail(const struct ingest_source *s, char *buf, size_t n)
{
	if (!s->pg)
		return NULL;
	pgsrc_describe(s->pg, buf, n);
	return buf;
}

int64_t ingest_wake_in(const struct ingest *in)
{
	int64_t best = -1, now = ingest_now_ms();
	for (size_t i = 0; i < in->nsources; i++) {
		const struct ingest_source *s = &in->sources[i];
		int64_t w = s->pg ? pgsrc_wake_in(s->pg, now) : -1;
		if (w >= 0 && (best < 0 || w < best))
			best = w;
	}
	return best;
}

int64_t ingest_db_retry_in(const struct ingest_source *s)
{
	return s->pg ? pgsrc_retry_in(s->pg, ingest_now_ms()) : -1;
}

const char *ingest_db_pushdown(const struct ingest_source *s)
{
	return s->pg ? pgsrc_pushdown(s->pg) : NULL;
}

size_t ingest_pollfds(const struct ingest *in, struct pollfd *fds, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < in->nsources && n < max; i++) {
		const struct ingest_source *s = &in->sources[i];
		short ev = 0;
		int fd = s->pg ? pgsrc_pollfd(s->pg, &ev) : -1;
		if (fd < 0)
			continue;
		fds[n].fd = fd;
		fds[n].events = ev;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

/* A database source still connecting or reading: its descriptor is
 * polled for at most ms (--once waits for it; the dashboard polls it in
 * its own loop). Returns 0 when none is busy. */
static int ingest_pg_wait(struct ingest *in, int ms)
{
	struct pollfd fds[64];
	int busy = 0;
	for (size_t i = 0; i < in->nsources; i++) {
		const struct ingest_source *s = &in->sources[i];
		int st = s->pg ? pgsrc_state(s->pg) : PGSRC_DONE;
		busy |= st != PGSRC_DONE && st != PGSRC_FAILED;
	}
	if (busy)
		poll(fds, (nfds_t)ingest_pollfds(in, fds, 64), ms);
	return busy;
}

void ingest_read_all(struct ingest *in)
{
	for (;;) {
		while (ingest_step(in, 1 << 22) & INGEST_MORE)
			;
		if (!ingest_pg_wait(in, 100))
			break;
	}
}

uint64_t ingest_changes(const struct ingest *in)
{
	return in->events + in->store->generation;
}

void ingest_work(const struct ingest *in, uint64_t *bytes, uint64_t *upsets)
{
	*bytes = in->work;
	*upsets = in->upsets;
}

int ingest_flush_partial(struct ingest *in)
{
	int any = 0;
	ingest_par_end(in);
	for (size_t i = 0; i < in->nsources; i++) {
		struct ingest_source *s = &in->sources[i];
		for (size_t j = 0; j < s->nfiles; j++) {
			struct ingest_file *f = s->files[j];
			if ((f->last_nl && !csvin_in_row(f->csv)) || f->flushed)
				continue;
			csvin_end(f->csv, &ingest_sink, f);
			f->flushed = 1;
			any = 1;
			in->events++;
		}
	}
	ingest_batch_flush(in);
	return any;
}

void ingest_reread(struct ingest *in)
{
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		ingest_rebuild_kind(in, k, NULL);
}

const struct store *ingest_store(const struct ingest *in)
{
	return in->store;
}

size_t ingest_nsources(const struct ingest *in)
{
	return in->nsources;
}

const struct ingest_source *ingest_source(const struct ingest *in, size_t i)
{
	return &in->sources[i];
}

size_t ingest_nrejections(const struct ingest *in)
{
	return in->ring_count;
}

const struct ingest_rejection *ingest_rejection(const struct ingest *in, size_t i)
{
	size_t k = (in->ring_head + INGEST_REJECTIONS_MAX - 1 - i) % INGEST_REJECTIONS_MAX;
	return &in->ring[k];
}

struct ingest_ranked {
	const struct ingest_rejection *r;
	size_t rank;   /* the file's place among the sources' files; SIZE_MAX: none */
	size_t age;    /* 0 = the newest */
};

static int ingest_ranked_cmp(const void *a, const void *b)
{
	const struct ingest_ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank == SIZE_MAX ? 1 : y->rank == SIZE_MAX ? -1 : x->rank > y->rank ? -1 : 1;
	if (x->r->line != y->r->line)
		return x->r->line > y->r->line ? -1 : 1;
	return x->age < y->age ? -1 : x->age > y->age;
}

static int ingest_ranked_by_file(const void *a, const void *b)
{
	const struct ingest_ranked *x = a, *y = b;
	return strcmp(x->r->file, y->r->file);
}

void ingest_rejections_ordered(const struct ingest *in, const struct ingest_rejection **out)
{
	size_t n = in->ring_count;
	if (!n)
		return;
	struct ingest_ranked *v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct ingest_ranked){ ingest_rejection(in, i), SIZE_MAX, i };
	/* each distinct file's place looked up once */
	qsort(v, n, sizeof *v, ingest_ranked_by_file);
	for (size_t i = 0; i < n; i++) {
		if (i && strcmp(v[i].r->file, v[i - 1].r->file) == 0) {
			v[i].rank = v[i - 1].rank;
			continue;
		}
		size_t rank = 0;
		for (size_t k = 0; k < in->nsources && v[i].rank == SIZE_MAX; k++) {
			const struct ingest_source *s = &in->sources[k];
			if (s->pgfile && strcmp(s->pgfile->path, v[i].r->file) == 0)
				v[i].rank = rank;
			rank++;
			for (size_t j = 0; j < s->nfiles && v[i].rank == SIZE_MAX; j++, rank++)
				if (strcmp(s->files[j]->path, v[i].r->file) == 0)
					v[i].rank = rank;
		}
	}
	qsort(v, n, sizeof *v, ingest_ranked_cmp);
	for (size_t i = 0; i < n; i++)
		out[i] = v[i].r;
	free(v);
}

size_t ingest_nwords(const struct ingest *in)
{
	return in->nwords;
}

const struct ingest_word *ingest_word(const struct ingest *in, size_t i)
{
	return &in->words[i];
}

uint64_t ingest_rows(const struct ingest *in)
{
	uint64_t n = 0;
	for (size_t i = 0; i < in->nsources; i++)
		n += in->sources[i].rows;
	return n;
}

uint64_t ingest_rejected(const struct ingest *in)
{
	uint64_t n = 0;
	for (size_t i = 0; i < in->nsources; i++)
		n += in->sources[i].rejected;
	return n;
}

void ingest_progress(const struct ingest *in, uint64_t *done, uint64_t *total)
{
	*done = *total = 0;
	for (size_t i = 0; i < in->nsources; i++) {
		const struct ingest_source *s = &in->sources[i];
		for (size_t j = 0; j < s->nfiles; j++) {
			*done += follow_offset(s->files[j]->follow);
			*total += follow_size(s->files[j]->follow);
		}
	}
}

int ingest_watch_fd(const struct ingest *in)
{
	return follow_watch_fd(in->watch);
}

int ingest_watch_drain(struct ingest *in)
{
	return follow_watch_drain(in->watch);
}

int ingest_watch_complete(const struct ingest *in)
{
	/* a database source is polled every poll_ms: inotify hears none of it */
	for (size_t i = 0; i < in->nsources; i++)
		if (in->sources[i].pg)
			return 0;
	return follow_watch_complete(in->watch);
}
