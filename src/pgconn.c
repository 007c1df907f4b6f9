/* pgconn: a non-blocking libpq connection. See include/cxtop/pgconn.h.
 *
 * libpq's asynchronous API as its documentation describes it
 * (../shared/design/warehouse.md, section 1): PQconnectStartParams with
 * expand_dbname so that one dsn value can be a conninfo string, a URI or a
 * service; PQconnectPoll driven by the socket's readiness until OK, with
 * cxtop's own deadline (libpq ignores connect_timeout in this mode);
 * PQsetnonblocking, PQsendQueryParams, PQflush until done; single-row mode
 * set right after sending, because a whole result of a million rows held
 * 184 MB and blocked the loop for ~190 ms in the measurements; then
 * PQconsumeInput, and PQgetResult only while PQisBusy says it will not
 * block.
 *
 * libpq is loaded when the first connection is opened, not linked: with
 * the twenty libraries it brings (TLS, Kerberos, LDAP, ...) it cost every
 * start 4 ms — every --once from cron, every restart from the state (a
 * restart of 5M rows takes 80-100 ms), for users without a database
 * source too. Where it cannot be loaded, a database source fails with
 * that reason; files are read as ever. */
#include "cxtop/pgconn.h"

#include "cxtop/util.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PGCONN_CHUNK_ROWS 1024

/* ---- libpq, loaded on first use --------------------------------------- */

#ifdef LIBPQ_HAS_CHUNK_MODE
#define PGCONN_FN_CHUNK(X) X(PQsetChunkedRowsMode)
#else
#define PGCONN_FN_CHUNK(X)
#endif
#define PGCONN_FNS(X)                                                                        \
	X(PQcancel) X(PQclear) X(PQconnectPoll) X(PQconnectStartParams) X(PQconsumeInput)    \
	X(PQerrorMessage) X(PQfinish) X(PQflush) X(PQfname) X(PQfreeCancel) X(PQfreemem)      \
	X(PQftype) X(PQgetCancel) X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue)  \
	X(PQhost) X(PQisBusy) X(PQnfields) X(PQnotifies) X(PQntuples) X(PQresultErrorField)   \
	X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQueryParams)                        \
	X(PQsetNoticeProcessor) X(PQsetSingleRowMode) X(PQsetnonblocking) X(PQsocket)         \
	X(PQstatus) PGCONN_FN_CHUNK(X)

#define PGCONN_PTR(f) static __typeof__(f) *pgconn_##f;
PGCONN_FNS(PGCONN_PTR)
#undef PGCONN_PTR

/* 0 once every function is there; -1 with the reason in err. */
static int pgconn_load(char *err, size_t n)
{
	static int loaded; /* 1 done, -1 failed (said again each time) */
	static char why[256];
	if (!loaded) {
		void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			const char *e = dlerror();
			snprintf(why, sizeof why, "libpq cannot be loaded (%s); install libpq5",
				 e ? e : "libpq.so.5");
			loaded = -1;
		} else {
			loaded = 1;
#define PGCONN_SYM(f)                                                                        \
	if (loaded > 0 && !(*(void **)&pgconn_##f = dlsym(h, #f))) {                         \
		snprintf(why, sizeof why, "libpq.so.5 lacks %s: too old a libpq", #f);        \
		loaded = -1;                                                                 \
	}
			PGCONN_FNS(PGCONN_SYM)
#undef PGCONN_SYM
		}
	}
	if (loaded < 0)
		snprintf(err, n, "%s", why);
	return loaded > 0 ? 0 : -1;
}

/* From here on every libpq call goes through what was loaded. */
#define PQcancel pgconn_PQcancel
#define PQclear pgconn_PQclear
#define PQconnectPoll pgconn_PQconnectPoll
#define PQconnectStartParams pgconn_PQconnectStartParams
#define PQconsumeInput pgconn_PQconsumeInput
#define PQerrorMessage pgconn_PQerrorMessage
#define PQfinish pgconn_PQfinish
#define PQflush pgconn_PQflush
#define PQfname pgconn_PQfname
#define PQfreeCancel pgconn_PQfreeCancel
#define PQfreemem pgconn_PQfreemem
#define PQftype pgconn_PQftype
#define PQgetCancel pgconn_PQgetCancel
#define PQgetResult pgconn_PQgetResult
#define PQgetisnull pgconn_PQgetisnull
#define PQgetlength pgconn_PQgetlength
#define PQgetvalue pgconn_PQgetvalue
#define PQhost pgconn_PQhost
#define PQisBusy pgconn_PQisBusy
#define PQnfields pgconn_PQnfields
#define PQnotifies pgconn_PQnotifies
#define PQntuples pgconn_PQntuples
#define PQresultErrorField pgconn_PQresultErrorField
#define PQresultErrorMessage pgconn_PQresultErrorMessage
#define PQresultStatus pgconn_PQresultStatus
#define PQsendQueryParams pgconn_PQsendQueryParams
#define PQsetNoticeProcessor pgconn_PQsetNoticeProcessor
#define PQsetSingleRowMode pgconn_PQsetSingleRowMode
#define PQsetnonblocking pgconn_PQsetnonblocking
#define PQsocket pgconn_PQsocket
#define PQstatus pgconn_PQstatus
#define PQsetChunkedRowsMode pgconn_PQsetChunkedRowsMode

struct pgconn {
	PGconn *conn;
	int state;
	int want;          /* while connecting: POLLIN or POLLOUT */
	int flushing;      /* a query is not all sent yet */
	int64_t deadline;  /* connecting fails at this time (ms) */
	int timeout_ms;
	char err[512];
	/* the current row's arrays, grown to the widest result */
	const char **names, **values;
	int *lens, *isnull;
	unsigned *types;
	int cap;
	/* the last result's columns (names and type OIDs), kept past the
	 * query for a probe that returns no row; and its error's SQLSTATE */
	char **cols;
	unsigned *coltypes;
	int ncols;
	char sqlstate[6];
};

static void pgconn_keep_columns(struct pgconn *c, const PGresult *res)
{
	for (int i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	c->ncols = PQnfields(res);
	c->cols = xrealloc(c->cols, (size_t)(c->ncols ? c->ncols : 1) * sizeof *c->cols);
	c->coltypes = xrealloc(c->coltypes, (size_t)(c->ncols ? c->ncols : 1) * sizeof *c->coltypes);
	for (int i = 0; i < c->ncols; i++) {
		c->cols[i] = xstrdup(PQfname(res, i));
		c->coltypes[i] = (unsigned)PQftype(res, i);
	}
}

/* libpq's messages end with a newline and may hold several lines: one
 * line for Sources and --once. */
static void pgconn_set_error(struct pgconn *c, const char *msg)
{
	size_t k = 0;
	for (const char *p = msg; *p && k + 1 < sizeof c->err; p++) {
		char ch = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
		if (ch == ' ' && (k == 0 || c->err[k - 1] == ' '))
			continue;
		c->err[k++] = ch;
	}
	while (k && c->err[k - 1] == ' ')
		k--;
	c->err[k] = '\0';
}

/* libpq's default notice processor writes the server's notices and
 * warnings ("NOTICE: ...", "terminating connection due to administrator
 * command") to stderr: on the dashboard's terminal that scrolls the screen
 * under ncurses. A notice is not an error; errors come with results. */
static void pgconn_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

struct pgconn *pgconn_open(const char *dsn, const char *sslmode, int connect_timeout_ms,
			   int64_t now_ms)
{
	struct pgconn *c = xcalloc(1, sizeof *c);
	/* cxtop's defaults before dbname (the dsn), its overrides after it:
	 * of repeated keywords libpq keeps the last */
	const char *kw[4], *val[4];
	int n = 0;
	kw[n] = "application_name", val[n++] = "cxtop";
	kw[n] = "dbname", val[n++] = dsn;
	if (sslmode)
		kw[n] = "sslmode", val[n++] = sslmode;
	kw[n] = NULL, val[n] = NULL;
	c->timeout_ms = connect_timeout_ms;
	c->deadline = now_ms + connect_timeout_ms;
	char why[256];
	if (pgconn_load(why, sizeof why) != 0) {
		pgconn_set_error(c, why);
		c->state = PGCONN_FAILED;
		return c;
	}
	c->conn = PQconnectStartParams(kw, val, 1);
	c->want = POLLOUT; /* "as if PQconnectPoll had returned WRITING" */
	if (!c->conn) {
		pgconn_set_error(c, "out of memory starting a connection");
		c->state = PGCONN_FAILED;
	} else if (PQstatus(c->conn) == CONNECTION_BAD) {
		pgconn_set_error(c, PQerrorMessage(c->conn));
		c->state = PGCONN_FAILED;
	} else {
		PQsetNoticeProcessor(c->conn, pgconn_notice, NULL);
		c->state = PGCONN_CONNECTING;
	}
	return c;
}

void pgconn_free(struct pgconn *c)
{
	if (!c)
		return;
	if (c->conn && c->state == PGCONN_QUERY) {
		/* a query still running (q, r, a rebuild): cancel it, or the
		 * server would go on until it next writes to us. PQcancel waits
		 * one round trip on its own connection (4 ms on a unix socket);
		 * libpq 17's PQcancelStart would not, and is not here yet */
		char buf[256];
		PGcancel *cn = PQgetCancel(c->conn);
		if (cn) {
			PQcancel(cn, buf, (int)sizeof buf);
			PQfreeCancel(cn);
		}
	}
	if (c->conn)
		PQfinish(c->conn);
	for (int i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	free(c->cols);
	free(c->coltypes);
	free(c->names);
	free(c->values);
	free(c->lens);
	free(c->isnull);
	free(c->types);
	free(c);
}

int pgconn_state(const struct pgconn *c)
{
	return c->state;
}

const char *pgconn_error(const struct pgconn *c)
{
	return c->err;
}

int pgconn_pollfd(const struct pgconn *c, short *events)
{
	if (!c->conn || c->state == PGCONN_FAILED || PQsocket(c->conn) < 0)
		return -1;
	if (c->state == PGCONN_CONNECTING)
		*events = (short)c->want;
	else
		*events = (short)(POLLIN | (c->flushing ? POLLOUT : 0));
	return PQsocket(c->conn);
}

int pgconn_query(struct pgconn *c, const char *sql, int nparams, const char *const *params)
{
	if (c->state != PGCONN_READY) {
		pgconn_set_error(c, "a query while the connection is not ready");
		return -1;
	}
	c->err[0] = '\0';
	c->sqlstate[0] = '\0';
	if (!PQsendQueryParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		pgconn_set_error(c, PQerrorMessage(c->conn));
		return -1;
	}
#ifdef LIBPQ_HAS_CHUNK_MODE
	/* libpq 17: rows in chunks, fewer PGresults to allocate than one
	 * per row (the budget may be passed by less than one chunk) */
	if (!PQsetChunkedRowsMode(c->conn, PGCONN_CHUNK_ROWS)) {
#else
	if (!PQsetSingleRowMode(c->conn)) {
#endif
		pgconn_set_error(c, "single-row mode refused");
		return -1;
	}
	c->state = PGCONN_QUERY;
	c->flushing = PQflush(c->conn) == 1;
	return 0;
}

static void pgconn_fail(struct pgconn *c, const char *msg)
{
	pgconn_set_error(c, msg);
	c->state = PGCONN_FAILED;
}

static int pgconn_connect_step(struct pgconn *c, int64_t now_ms)
{
	if (now_ms >= c->deadline) {
		char msg[128];
		snprintf(msg, sizeof msg, "no connection after %d ms (connect_timeout)", c->timeout_ms);
		pgconn_fail(c, msg);
		return PGCONN_CHANGED;
	}
	switch (PQconnectPoll(c->conn)) {
	case PGRES_POLLING_READING:
		c->want = POLLIN;
		return 0;
	case PGRES_POLLING_WRITING:
		c->want = POLLOUT;
		return 0;
	case PGRES_POLLING_OK:
		if (PQsetnonblocking(c->conn, 1) != 0) {
			pgconn_fail(c, PQerrorMessage(c->conn));
			return PGCONN_CHANGED;
		}
		c->state = PGCONN_READY;
		return PGCONN_CHANGED;
	default:
		pgconn_fail(c, PQerrorMessage(c->conn));
		return PGCONN_CHANGED;
	}
}

/* Hand one single-row result to fn. */
static void pgconn_row(struct pgconn *c, PGresult *res, int r, pgconn_row_fn fn, void *ctx)
{
	int nf = PQnfields(res);
	if (nf > c->cap) {
		c->cap = nf;
		c->names = xrealloc(c->names, (size_t)nf * sizeof *c->names);
		c->values = xrealloc(c->values, (size_t)nf * sizeof *c->values);
		c->lens = xrealloc(c->lens, (size_t)nf * sizeof *c->lens);
		c->isnull = xrealloc(c->isnull, (size_t)nf * sizeof *c->isnull);
		c->types = xrealloc(c->types, (size_t)nf * sizeof *c->types);
	}
	for (int i = 0; i < nf; i++) {
		c->names[i] = PQfname(res, i);
		c->isnull[i] = PQgetisnull(res, r, i);
		c->values[i] = c->isnull[i] ? "" : PQgetvalue(res, r, i);
		c->lens[i] = c->isnull[i] ? 0 : PQgetlength(res, r, i);
		c->types[i] = (unsigned)PQftype(res, i);
	}
	struct pgconn_row row = {nf, c->names, c->values, c->lens, c->isnull, c->types};
	if (fn)
		fn(ctx, &row);
}

int pgconn_step(struct pgconn *c, int64_t now_ms, size_t budget, pgconn_row_fn fn, void *ctx)
{
	int flags = 0;
	if (c->state == PGCONN_CONNECTING)
		return pgconn_connect_step(c, now_ms);
	if (c->state == PGCONN_READY) {
		/* between queries only notifications arrive */
		if (!PQconsumeInput(c->conn)) {
			pgconn_fail(c, PQerrorMessage(c->conn));
			return PGCONN_CHANGED;
		}
		PGnotify *n;
		while ((n = PQnotifies(c->conn)) != NULL) {
			PQfreemem(n);
			flags |= PGCONN_NOTIFY;
		}
		return flags;
	}
	if (c->state != PGCONN_QUERY)
		return 0;
	if (c->flushing) {
		int r = PQflush(c->conn);
		if (r < 0) {
			pgconn_fail(c, PQerrorMessage(c->conn));
			return PGCONN_CHANGED | PGCONN_DONE;
		}
		c->flushing = r == 1;
	}
	if (!PQconsumeInput(c->conn)) {
		pgconn_fail(c, PQerrorMessage(c->conn));
		return PGCONN_CHANGED | PGCONN_DONE;
	}
	size_t given = 0;
	while (!PQisBusy(c->conn)) {
		if (given >= budget)
			return flags | PGCONN_MORE; /* rows buffered: step again */
		PGresult *res = PQgetResult(c->conn);
		if (!res) {
			c->state = PGCONN_READY;
			return flags | PGCONN_CHANGED | PGCONN_DONE;
		}
		switch (PQresultStatus(res)) {
#ifdef LIBPQ_HAS_CHUNK_MODE
		case PGRES_TUPLES_CHUNK:
			for (int r = 0; r < PQntuples(res); r++)
				pgconn_row(c, res, r, fn, ctx);
			given += (size_t)PQntuples(res);
			flags |= PGCONN_CHANGED;
			break;
#endif
		case PGRES_SINGLE_TUPLE:
			pgconn_row(c, res, 0, fn, ctx);
			given++;
			flags |= PGCONN_CHANGED;
			break;
		case PGRES_TUPLES_OK:
			/* the end of the rows (NULL comes next); it still names
			 * the columns, also of a result without rows */
			pgconn_keep_columns(c, res);
			break;
		case PGRES_COMMAND_OK:
			break;
		default: {
			const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			snprintf(c->sqlstate, sizeof c->sqlstate, "%s", st ? st : "");
			pgconn_set_error(c, PQresultErrorMessage(res));
			flags |= PGCONN_CHANGED;
			break;
		}
		}
		PQclear(res);
	}
	PGnotify *n;
	while ((n = PQnotifies(c->conn)) != NULL) {
		PQfreemem(n);
		flags |= PGCONN_NOTIFY;
	}
	if (PQstatus(c->conn) == CONNECTION_BAD) {
		pgconn_fail(c, PQerrorMessage(c->conn));
		return flags | PGCONN_CHANGED | PGCONN_DONE;
	}
	return flags;
}

const char *pgconn_sqlstate(const struct pgconn *c)
{
	return c->sqlstate;
}

int pgconn_ncols(const struct pgconn *c)
{
	return c->ncols;
}

const char *pgconn_colname(const struct pgconn *c, int i)
{
	return c->cols[i];
}

unsigned pgconn_coltype(const struct pgconn *c, int i)
{
	return c->coltypes[i];
}

const char *pgconn_host(const struct pgconn *c)
{
	const char *h = c->conn ? PQhost(c->conn) : NULL;
	return h && *h ? h : "the default server";
}
