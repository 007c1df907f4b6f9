/* pgsrc: a database source (SPEC 8) as the counterpart of follow + csvin
 * for one source: it connects (pgconn), fixes the session (UTC times, a
 * read-only transaction default, the statement timeout), reads the table
 * or query's rows and turns each into a record through the same mapping
 * and validation as a CSV row (record_from_row with the result's column
 * names as the header), handing it to the same sink. Rows are numbered
 * from 1 in the order read (by key when the source has one), and that
 * number is the "line" of a rejection ("events@warehouse:17: ...").
 *
 * An events source's cold read is pushed down where SQL can do it exactly
 * (pgsql.h): the engine aggregates and the store is seeded, in one
 * REPEATABLE READ transaction that also fixes the horizon live reads
 * start from. */
#ifndef CXTOP_PGSRC_H
#define CXTOP_PGSRC_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/store.h"

struct pgsrc;

enum pgsrc_state {
	PGSRC_CONNECTING,
	PGSRC_READING, /* the cold read's rows are arriving */
	PGSRC_DONE,    /* every row read */
	PGSRC_FAILED   /* pgsrc_error says why; it retries (pgsrc_retry_in) */
};

/* A source of src (database = NAME) over db (both borrowed). An events
 * source is pushed down (pgsql.h) unless pushdown = off, or no_push
 * (borrowed, NULL = none) says why not: the masks are the config's
 * engaged and high-value events. */
struct pgsrc *pgsrc_new(const struct config_source *src, const struct config_database *db,
			unsigned engaged_mask, unsigned hve_mask, const char *no_push,
			int64_t now_ms);
void pgsrc_free(struct pgsrc *p);
int pgsrc_state(const struct pgsrc *p);
/* The last failure, "source@database: reason", or "" (cleared once a new
 * connection is set up). */
const char *pgsrc_error(const struct pgsrc *p);
/* A failed source tries again by itself, the wait doubling from 1 s to
 * 60 s: the ms until then, or -1 when it has not failed. */
int64_t pgsrc_retry_in(const struct pgsrc *p, int64_t now_ms);
/* 1 if the source reads new rows past a watermark after its cold read
 * (cursor = xid, or auto with an xid8 column). */
int pgsrc_live(const struct pgsrc *p);
/* The pushdown as Sources says it: "on", "off", "off: why", or "not
 * known yet" before it is known. */
const char *pgsrc_pushdown(const struct pgsrc *p);
/* Why the pushdown failed (returned with PGSRC_RESET: read the kind again
 * with this as no_push), or NULL. */
const char *pgsrc_fallback(const struct pgsrc *p);
/* The cold read's progress in % of the table's estimated rows, -1 when
 * not reading or unknown (a query). */
int pgsrc_percent(const struct pgsrc *p);
/* How it reads, for Sources: "cursor xid, pushdown on" (into buf). */
void pgsrc_describe(const struct pgsrc *p, char *buf, size_t n);
/* The rows the planner expects the table to hold (pg_class.reltuples),
 * once asked before the cold read; 0 = not known. */
int64_t pgsrc_estimate(const struct pgsrc *p);
/* The pushdown's statements once planned (i = 0 the aggregates, 1 the rest;
 * NULL otherwise) and the horizon they were bound to (0 = none): for make
 * bench, which runs them again to count their bytes. */
const char *pgsrc_push_sql(const struct pgsrc *p, int i, uint64_t *horizon);
/* 1 if the line numbers given to the sink are the rows' integer key
 * values (key = names an integer column), not row numbers. */
int pgsrc_by_key(const struct pgsrc *p);
/* Rows read so far (with the rows the engine aggregated). */
uint64_t pgsrc_rows(const struct pgsrc *p);
/* The ms until it wants a step though its socket says nothing (the next
 * poll_ms, a retry, a connect deadline), or -1. */
int64_t pgsrc_wake_in(const struct pgsrc *p, int64_t now_ms);
/* The descriptor to poll and its events, or -1. */
int pgsrc_pollfd(const struct pgsrc *p, short *events);

/* What a restart needs of a table source (issue 14): the xid horizon
 * below which every row was read, the rows counted, and the table's
 * signature (its relfilenode, or for a table not read live a hash of its
 * rows) to tell a truncation or rebuild since. kept = 0 where it cannot be
 * taken up (a query, an id or timestamp cursor, a read under way). */
struct pgsrc_mark {
	int kept;
	uint64_t horizon, rows;
	char sig0[96];
	char push_note[200];
};
void pgsrc_mark(const struct pgsrc *p, struct pgsrc_mark *m);
/* An id or timestamp cursor's marks (idmark.h, tsmark.h) into a state,
 * after pgsrc_mark; read back into a holder (NULL, the reader bad, if not
 * marks), freed by pgsrc_marks_free unless pgsrc_resume takes them. */
struct statefile_w;
struct statefile_r;
struct pgsrc_marks;
void pgsrc_save_marks(const struct pgsrc *p, struct statefile_w *w, int64_t now_ms);
struct pgsrc_marks *pgsrc_load_marks(struct statefile_r *r, const struct config_source *src,
				     int64_t now_ms);
void pgsrc_marks_free(struct pgsrc_marks *k);
/* Take m (and a cursor's marks k, which it takes over) up in a new source
 * (none stepped yet): it connects, compares the signature (another one:
 * PGSRC_RESET, read the kind again) and reads on from the horizon or its
 * cursor's marks; until it has read up to the present its state is
 * READING. 1 if taken up. */
int pgsrc_resume(struct pgsrc *p, const struct pgsrc_mark *m, struct pgsrc_marks *k);

#define PGSRC_CHANGED 1
#define PGSRC_MORE 2
#define PGSRC_RESET 4 /* the table changed under the read (a snapshot
		       * rewritten, a log truncated or rebuilt): rebuild the
		       * kind, with a new pgsrc */
/* Where the pushdown's aggregates go (store_seed_*), with the ctx of
 * pgsrc_step. */
struct pgsrc_seeds {
	void (*pairs)(void *ctx, const struct store_seed_pair *x, size_t n);
	void (*day)(void *ctx, const struct store_seed_day *x);
};

/* Advance by at most budget rows, each to sink(ctx), each aggregate row to
 * seeds(ctx). */
int pgsrc_step(struct pgsrc *p, int64_t now_ms, size_t budget, const struct csvin_sink *sink,
	       const struct pgsrc_seeds *seeds, void *ctx);

#endif
