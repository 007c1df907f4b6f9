/* ingest: the pipeline's driver — follow -> csvin -> record -> store for
 * every configured source. It expands globs (read in name order), keeps one
 * follow and one csvin per file, counts rows and rejections per source,
 * keeps the latest rejections in a bounded ring, and turns file events into
 * store rebuilds:
 * - a log truncated or rewritten in place: its kind is cleared and every
 *   file of that kind is read again from the start ("recomputed from the
 *   files as they now are"; a rotated-away file that no longer exists
 *   cannot be read again, so its rows are gone after such a rebuild);
 * - a snapshot that changed: its kind alone is cleared and re-read;
 * - a log that leaves its path with an unfinished last row (rotated or
 *   removed mid-row): that row is rejected ("unfinished row"), never
 *   counted cut short; a copy of a log put back at its path counts once.
 * The screen loop calls ingest_step with a byte budget so that keys stay
 * responsive during a large first read. */
#ifndef CXTOP_INGEST_H
#define CXTOP_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cxtop/config.h"
#include "cxtop/follow.h"
#include "cxtop/store.h"

#define INGEST_REJECTIONS_MAX 1000

struct ingest_file {
	char *path;
	struct follow *follow;
	struct csvin *csv;
	struct ingest_source *src;
	struct ingest *in;
	uint64_t rows, rejected, na;
	int last_nl;         /* the last byte delivered was a newline (or none yet) */
	int flushed;         /* a last line without newline was counted */
	int expect_begin;    /* rewound by us: its BEGIN is not a new change */
	int sized;           /* the store's tables were sized from this file */
	uint64_t fed;        /* bytes given to csv while it was not sized yet */
	/* a point from which the parser can be run again to where it is:
	 * where a row that spans lines, unfinished when the state is
	 * written, began is found so (ingest_save). safe_ok: 0 none, 1 the
	 * file's start, 2 between rows after a line end (read serially) */
	uint64_t safe_off, safe_line;
	int safe_ok;
	const char *same_as; /* another name of this file, which reads it (a glob's hard link) */
	int stat_err;        /* this step's stat of path: 0 and st, or errno (glob logs) */
	struct stat st;
};

struct ingest_source {
	const struct config_source *cfg;
	char *pattern;       /* full path or glob */
	int is_glob;
	struct ingest_file **files;
	size_t nfiles;
	uint64_t rows, rejected, na, unknown_events;
	char *header_error;  /* "FILE: missing column ..." of the latest header, or NULL */
	/* a database source: its reader, and the file-like entry its rows are
	 * counted under (the sink's context), not one of files[] */
	struct pgsrc *pg;
	struct ingest_file *pgfile;
	int pg_reported;     /* its failure is in header_error */
	int pg_reserved;     /* the store has room for its cold read's pairs */
	char *pg_no_push;    /* why its pushdown failed: raw rows from then on */
	char pg_cold[24];    /* "cold 45%" while its cold read runs, else "" */
	char *header_notice; /* "FILE: columns 3 and 7 are both named ..." or NULL */
};

struct ingest_rejection {
	char *file;
	uint64_t line;
	char *reason;
	int kind;            /* enum schema_kind: a rebuild of it drops the entry */
	int by_key;          /* line is the row's key value (a database source
				* with key =), not a line number */
};

struct ingest_word {         /* an unknown event word, or a label its map.X
				* lacks (rows rejected), reported once */
	char *word;
	char *file;
	uint64_t line, count;
	int kind;
	int col;             /* SCHEMA_COL_EVENT: an unknown event word; else
				* the column of an unmapped label */
	int by_key;          /* line is a key value (see ingest_rejection) */
};

struct ingest;
struct pgsrc;

/* Sources of cfg under data_dir (borrowed: cfg must outlive the ingest). */
struct ingest *ingest_new(const struct config *cfg, const char *data_dir);
void ingest_free(struct ingest *in);

#define INGEST_CHANGED 1
#define INGEST_MORE 2
/* Read what changed, up to about budget bytes. Returns INGEST_* flags. */
int ingest_step(struct ingest *in, size_t budget);
/* Read everything there is now (for --once). */
void ingest_read_all(struct ingest *in);
/* Count a last line that has no newline yet in every file (for --once, or
 * a file that stayed quiet): the writer is taken to be done with it. If
 * bytes are appended to that line later, its kind is rebuilt. */
int ingest_flush_partial(struct ingest *in);
/* Forget everything and read every source again from the start ('r'). */
void ingest_reread(struct ingest *in);

/* Read with n threads: with 2 or more, a file with at least 4 MiB left to
 * read (an events log: after its first 4,096 rows) is cut into chunks that
 * n worker threads split, parse and validate, applied to the store here in
 * the order of the file (parread: the same numbers, line numbers and
 * rejections as with one); 1, the default, reads it all here. */
void ingest_set_threads(struct ingest *in, int n);
/* The same with parread's chunk size (0: its default) and the bytes a file
 * must have left for a parallel read (for tests: small chunks, small
 * files). */
void ingest_set_parallel(struct ingest *in, int n, size_t chunk, uint64_t min_left);
const struct store *ingest_store(const struct ingest *in);

/* The state between runs (issue 14, statefile.h). ingest_save applies
 * every row read, then writes each file's identity and position with its
 * counts, the latest rejections and unknown words, and the store.
 * ingest_restore, on an ingest that has read nothing yet, takes them up:
 * a file unchanged since goes on from where it was (appended bytes are
 * read next), and a kind with a file that changed meanwhile (rewritten,
 * truncated, replaced, gone, rotated, a row half written) or a database
 * source is read again from the start, with one line each in why. 0, or
 * -1 with the reason in why when the state is not of these sources or
 * not whole (the ingest is then as new: read everything). */
struct statefile_w;
struct statefile_r;
void ingest_save(struct ingest *in, struct statefile_w *w);
/* A number that moves with anything read or rebuilt (bytes of a file, a
 * database step with news, a last line counted, a store change): equal
 * twice, nothing changed in between (keep skips writing an unchanged
 * state). */
uint64_t ingest_changes(const struct ingest *in);
/* What was read since the ingest began, both counts only growing: the
 * bytes of files read, and the upsets (a file begun, rotated or reset, a
 * kind read again, a database change). Between two moments with the same
 * upsets, the store only took in bytes appended to files it went on
 * reading, so a start from the state of the first moment would read just
 * those bytes again (keep weighs that against writing the state). */
void ingest_work(const struct ingest *in, uint64_t *bytes, uint64_t *upsets);
/* Apply every row read (a parallel read's chunks in flight, the batch):
 * the store holds them all and each file's parser is its own again. */
void ingest_quiesce(struct ingest *in);
int ingest_restore(struct ingest *in, struct statefile_r *r, char *why, size_t n);
size_t ingest_nsources(const struct ingest *in);
const struct ingest_source *ingest_source(const struct ingest *in, size_t i);
/* Latest rejections, i = 0 is the newest; n = how many are kept. */
size_t ingest_nrejections(const struct ingest *in);
const struct ingest_rejection *ingest_rejection(const struct ingest *in, size_t i);
/* The same rejections as a cold read of the files as they are would list
 * them: by source, file and line, the last first (the ring holds them as
 * they arrived, which after a restart or a rebuild is another order).
 * out has room for ingest_nrejections. */
void ingest_rejections_ordered(const struct ingest *in, const struct ingest_rejection **out);
size_t ingest_nwords(const struct ingest *in);
const struct ingest_word *ingest_word(const struct ingest *in, size_t i);
/* Totals over all sources. */
uint64_t ingest_rows(const struct ingest *in);
uint64_t ingest_rejected(const struct ingest *in);
/* Bytes read and bytes known to exist, for progress during a first read. */
void ingest_progress(const struct ingest *in, uint64_t *done, uint64_t *total);
/* A database source's pushdown as pgsrc_pushdown says it, or NULL for a
 * file source. */
const char *ingest_db_pushdown(const struct ingest_source *s);
/* How a database source reads ("cursor xid, pushdown on"), into buf;
 * NULL for a file source. */
const char *ingest_db_detail(const struct ingest_source *s, char *buf, size_t n);
/* The ms until a database source wants a step on its own (its poll_ms,
 * a retry), -1 if none: the main loop wakes for it as for its timer (the
 * file sweep may be 30 s apart where inotify hears every change). */
int64_t ingest_wake_in(const struct ingest *in);
/* A failed database source's ms until it tries again, -1 if none. */
int64_t ingest_db_retry_in(const struct ingest_source *s);
/* A database source's state in a word: "connecting", "reading" or "cold
 * 45%" (the cold read, with its share of the table's estimated rows),
 * "read" (all of it), "live" (read, and reading new rows past the xid
 * horizon or a cursor), "error"; NULL for a file source. */
const char *ingest_db_state(const struct ingest_source *s);
/* "FILE:LINE" of a rejection or word as the user reads it, or for a
 * database source with a key "SOURCE@DB: key K" (into buf of n bytes). */
const char *ingest_where(char *buf, size_t n, const char *file, uint64_t line, int by_key);
/* The sockets of database sources that are connecting or reading, with
 * their events, into fds[max] (the main loop polls them beside the keyboard
 * and inotify, and steps ingest when one is ready); returns how many. */
struct pollfd;
size_t ingest_pollfds(const struct ingest *in, struct pollfd *fds, size_t max);
/* inotify fd to poll, or -1; and draining it. */
int ingest_watch_fd(const struct ingest *in);
int ingest_watch_drain(struct ingest *in);
/* follow_watch_complete for every source's paths. */
int ingest_watch_complete(const struct ingest *in);

#endif
