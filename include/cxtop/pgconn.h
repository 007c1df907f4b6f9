/* pgconn: one PostgreSQL-protocol connection as a non-blocking state
 * machine for cxtop's single-threaded poll() loop (SPEC 8): connect with
 * cxtop's own deadline, send one query at a time with its values as
 * parameters, and hand the rows over in single-row mode, at most a budget
 * per step, so that no loop turn waits on the server or holds a whole
 * result. It knows nothing of cxtop's schema.
 *
 * The caller polls pgconn_pollfd()'s descriptor for its events (they change
 * while connecting: re-read them every turn) and calls pgconn_step() when
 * it is ready, or at once when the last step returned PGCONN_MORE (rows are
 * then buffered inside libpq and the socket may never become readable for
 * them). */
#ifndef CXTOP_PGCONN_H
#define CXTOP_PGCONN_H

#include <stddef.h>
#include <stdint.h>

struct pgconn;

enum pgconn_state {
	PGCONN_CONNECTING,
	PGCONN_READY,  /* connected, no query running */
	PGCONN_QUERY,  /* a query's rows are arriving */
	PGCONN_FAILED  /* see pgconn_error; free it and open another */
};

/* One row of a result: nfields columns, by name; a NULL is isnull[i] with
 * values[i] "". Valid only during the callback. */
struct pgconn_row {
	int nfields;
	const char *const *names;
	const char *const *values;
	const int *lens;
	const int *isnull;
	const unsigned *types; /* type OIDs (pg_type.oid) */
};

typedef void (*pgconn_row_fn)(void *ctx, const struct pgconn_row *row);

/* Start connecting to dsn (a conninfo string, a URI or "service=NAME"; ""
 * for libpq's defaults), with sslmode if not NULL; connecting fails after
 * connect_timeout_ms from now_ms. Never NULL: a failure to even start is
 * a connection in PGCONN_FAILED. */
struct pgconn *pgconn_open(const char *dsn, const char *sslmode, int connect_timeout_ms,
			   int64_t now_ms);
/* Close; a query still running is cancelled on the server first. */
void pgconn_free(struct pgconn *c);
int pgconn_state(const struct pgconn *c);
/* The last error, one line ("connection to server ... failed: ..."), or
 * "" if none. A failed query leaves the connection READY with its error
 * here until the next query. */
const char *pgconn_error(const struct pgconn *c);

/* The descriptor to poll and the events (POLLIN / POLLOUT) it waits for;
 * -1 when there is nothing to wait on. A READY connection is polled for
 * input too: notifications come on it. */
int pgconn_pollfd(const struct pgconn *c, short *events);

/* Send sql with nparams text parameters ($1 ...). Only when READY;
 * returns 0, or -1 with pgconn_error set. */
int pgconn_query(struct pgconn *c, const char *sql, int nparams, const char *const *params);

/* The host (or socket directory) it connects to, for Sources. */
const char *pgconn_host(const struct pgconn *c);
/* The SQLSTATE of the last query's error ("57014": cancelled, as by
 * statement_timeout), or "". */
const char *pgconn_sqlstate(const struct pgconn *c);
/* The columns of the last query's result (also one without rows): their
 * number, names and type OIDs (pg_type.oid); valid until the next query
 * ends. */
int pgconn_ncols(const struct pgconn *c);
const char *pgconn_colname(const struct pgconn *c, int i);
unsigned pgconn_coltype(const struct pgconn *c, int i);

#define PGCONN_CHANGED 1 /* the state changed or rows were handed over */
#define PGCONN_MORE 2    /* rows are waiting: step again without polling */
#define PGCONN_DONE 4    /* the query ended (all rows given, or an error) */
#define PGCONN_NOTIFY 8  /* a NOTIFY arrived on a channel this session LISTENs to */

/* Advance: connect, flush, read, and give at most budget rows to fn.
 * Returns PGCONN_* flags. */
int pgconn_step(struct pgconn *c, int64_t now_ms, size_t budget, pgconn_row_fn fn, void *ctx);

#endif
