/* pgsrc: a database source's cold read. See include/cxtop/pgsrc.h.
 *
 * The SQL is built here with identifiers quoted ("schema"."table", with ""
 * for a quote, as PostgreSQL reads them) and values as parameters; a
 * query = is used as a subquery. The session is set with set_config() in
 * one statement, so that the statement timeout travels as a parameter. */
#include "cxtop/pgsrc.h"

#include "cxtop/idmark.h"
#include "cxtop/pgconn.h"
#include "cxtop/pgsql.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"
#include "cxtop/tsmark.h"
#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the query in flight */
/* pair rows handed to the store at once (store_seed_pairs) */
#define PGSRC_PAIRS 128

enum {
	PGSRC_SETUP,    /* the session's set_config */
	PGSRC_FINDXID,  /* the table's xid8 column, for cursor = xid / auto */
	PGSRC_HORIZON,  /* pg_snapshot_xmin(pg_current_snapshot()) */
	PGSRC_COLD,     /* the cold read */
	PGSRC_LIVE,     /* rows between the last horizon and the new one */
	PGSRC_IDLE,     /* live, waiting for poll_ms */
	PGSRC_SIG0,     /* the table's signature before the cold read */
	PGSRC_SIG,      /* ... and again, every poll_ms */
	PGSRC_LISTEN,   /* LISTEN channel, before the first signature */
	/* the pushdown (events): the encodings and columns it depends on,
	 * then one REPEATABLE READ transaction with the horizon, the two
	 * aggregates and the rows they leave out */
	PGSRC_P_ENC,
	PGSRC_P_COLS,
	PGSRC_P_BEGIN,
	PGSRC_P_MEM,
	PGSRC_P_HORIZON,
	PGSRC_P_AGG,     /* both aggregates, one statement */
	PGSRC_P_REST,
	PGSRC_P_IDMAX,   /* cursor = id: the highest id aggregated, */
	PGSRC_P_IDHOLES, /* and the missing ids below it */
	PGSRC_P_TSKEYS,  /* cursor = timestamp: the keys of the last lag */
	PGSRC_P_PLAN,    /* the planner's settings for the rest */
	PGSRC_P_COMMIT,
	PGSRC_IDREAD,    /* cursor = id: every row above the watermark */
	PGSRC_TSREAD,    /* cursor = timestamp: every row from the low mark */
	PGSRC_EST        /* the table's row estimate (pg_class.reltuples) */
};

struct pgsrc {
	const struct config_source *src;
	const struct config_database *db;
	struct pgconn *conn;
	int state, query;
	uint64_t rows;
	char err[640];
	char *sql;
	struct record_map map;
	int have_map, map_failed;
	/* the row handed to record_from_row, which may repair fields in
	 * place: copies, not libpq's storage */
	char *buf, **fptr;
	size_t *flen, cap, fcap;
	/* the sink of the current step */
	const struct csvin_sink *sink;
	void *ctx;
	/* live past a watermark (cursor = xid): the xid8 column, the horizon
	 * every row below which has been read, and the next one being read */
	char xidcol[128];
	int live;
	uint64_t horizon, next_horizon, next_xmax;
	/* a horizon held by a transaction left open (the rows committed
	 * after it wait): since when (the loop's clock, and the wall clock
	 * for Sources), and whether Sources says so yet */
	int64_t held_ms;
	time_t held_at;
	int held_shown;
	int64_t next_poll;
	char *live_sql;
	/* the table's signature: its relfilenode (a TRUNCATE or a rewrite
	 * gives a new one), and for a table that is not read live a hash of
	 * its rows; a change means read again */
	char *sig_sql;
	char sig0[96], sig[96];
	int watch;
	/* pushdown: what Sources says of it ("on", "off: why"), why a
	 * failed one should be read as raw rows instead (PGSRC_RESET), the
	 * encodings it needs, and its statements */
	const char *no_push;
	unsigned engaged_mask, hve_mask;
	char *sql_cols;
	char push_note[200];
	char fallback[600];
	int pushing;
	char encs[2][32];
	char *agg_sql, *rest_sql;
	struct pgsql_lex *lex; /* the words of the aggregates' day rows */
	uint64_t unclean;      /* rows the aggregates left to the rest */
	const struct pgsrc_seeds *seeds;
	/* pair rows not handed on yet: their ids copied (a row lives only
	 * while it is read), handed on PGSRC_PAIRS at a time, and at the end
	 * of every step (store_seed_pairs overlaps a batch's misses) */
	struct store_seed_pair pairs[PGSRC_PAIRS];
	size_t pair_at[PGSRC_PAIRS][2], npairs;
	char *pair_bytes;
	size_t pair_len, pair_cap;
	/* failures are states: the time of the last step, when to try
	 * again and how often it failed in a row (the backoff doubles from
	 * 1 s to 60 s); whether the cold read ever ended (then a new
	 * connection resumes: the signature is compared, live reads go on
	 * from the horizon) and whether this connection is such a resume */
	int64_t now_ms, retry_at;
	int attempts, cold_done, resuming;
	/* taken up from the state of an earlier run (pgsrc_resume), and not
	 * yet read up to the present: counted as reading, so that --once
	 * waits for it */
	int restored;
	/* the key column's index in the rows (an integer key names
	 * rejections: "key 123"), -1 = none */
	int key_idx;
	/* cursor = id: the holes below the highest id (idmark.h) and the
	 * statements of its reads */
	struct idmark *idm;
	int64_t id_top;
	int64_t est;      /* rows the planner expects, 0 = unknown */
	char *idread_sql, *idholes_sql, *idmax_sql;
	/* cursor = timestamp: the keys of the last lag (tsmark.h); its raw
	 * reads end each row with the time in microseconds, cxtop's column,
	 * which is not the source's */
	struct tsmark *tsm;
	char *tsread_sql, *tskeys_sql;
};

/* A source read live by polling with a cursor of its own (id, timestamp),
 * as against the xid horizon (p->live). */
static int pgsrc_polled(const struct pgsrc *p)
{
	return p->idm || p->tsm;
}

static void pgsrc_ident(char **out, size_t *len, size_t *cap, const char *name)
{
	pgsql_ident(out, len, cap, name, 1);
}

/* The FROM item of the source, aliased x. */
static char *pgsrc_from(const struct config_source *src)
{
	if (src->query)
		return xasprintf("(%s) AS x", src->query);
	char *t = NULL;
	size_t tl = 0, tc = 0;
	pgsrc_ident(&t, &tl, &tc, src->table);
	char *f = xasprintf("%s AS x", t);
	free(t);
	return f;
}

static char *pgsrc_cold_sql(const struct config_source *src)
{
	char *s = NULL;
	size_t len = 0, cap = 0;
	const char *head = "SELECT * FROM ";
	s = xgrow(s, &cap, strlen(head) + 1, 1);
	strcpy(s, head);
	len = strlen(head);
	if (src->table) {
		pgsrc_ident(&s, &len, &cap, src->table);
	} else {
		char *q = xasprintf("(%s) AS cxtop_query", src->query);
		s = xgrow(s, &cap, len + strlen(q) + 1, 1);
		strcpy(s + len, q);
		len += strlen(q);
		free(q);
	}
	if (src->key) {
		const char *ob = " ORDER BY ";
		s = xgrow(s, &cap, len + strlen(ob) + 1, 1);
		strcpy(s + len, ob);
		len += strlen(ob);
		pgsrc_ident(&s, &len, &cap, src->key);
	}
	return s;
}

struct pgsrc *pgsrc_new(const struct config_source *src, const struct config_database *db,
			unsigned engaged_mask, unsigned hve_mask, const char *no_push,
			int64_t now_ms)
{
	struct pgsrc *p = xcalloc(1, sizeof *p);
	p->src = src;
	p->db = db;
	p->no_push = no_push;
	p->key_idx = -1;
	if (src->cursor == CONFIG_CURSOR_ID && src->key) {
		char *from = pgsrc_from(src), *k = NULL;
		size_t kl = 0, kc = 0;
		pgsql_ident(&k, &kl, &kc, src->key, 0);
		p->idm = idmark_new(src->lag_ms);
		p->idread_sql = xasprintf("SELECT x.* FROM %s WHERE x.%s > $1 ORDER BY x.%s", from, k, k);
		p->idmax_sql = xasprintf("SELECT max(x.%s)::text FROM %s", k, from);
		/* the missing ids of the top 100,000 as ranges (gaps and
		 * islands): what a late commit may still fill */
		p->idholes_sql = xasprintf(
			"SELECT min(g)::text, max(g)::text FROM (SELECT g, g - row_number() OVER "
			"(ORDER BY g) AS grp FROM generate_series(greatest($1::bigint - 99999, 1), "
			"$1::bigint) g LEFT JOIN (SELECT x.%s AS k FROM %s WHERE x.%s > $1::bigint - "
			"100000) t ON t.k = g WHERE t.k IS NULL) s GROUP BY grp ORDER BY 1",
			k, from, k);
		free(from);
		free(k);
	}
	if (src->cursor == CONFIG_CURSOR_TIMESTAMP && src->key && src->cursor_ts) {
		char *from = pgsrc_from(src), *k = NULL, *t = NULL;
		size_t kl = 0, kc = 0, tl = 0, tc = 0;
		pgsql_ident(&k, &kl, &kc, src->key, 0);
		pgsql_ident(&t, &tl, &tc, src->cursor_ts, 0);
		p->tsm = tsmark_new((int64_t)src->lag_ms * 1000);
		/* a time without a zone reads as UTC (the session's zone),
		 * as its extract(epoch) does; the bound is a value, so an
		 * index on the column serves the read */
		char *us = xasprintf("(extract(epoch FROM x.%s) * 1000000)::int8", t);
		p->sql = xasprintf("SELECT x.*, %s AS cxtop_us FROM %s ORDER BY x.%s", us, from, k);
		p->tsread_sql = xasprintf("SELECT x.*, %s AS cxtop_us FROM %s WHERE x.%s >= "
					  "'epoch'::timestamptz + $1::int8 * interval '1 microsecond' "
					  "ORDER BY x.%s, x.%s",
					  us, from, t, t, k);
		p->tskeys_sql = xasprintf("WITH m AS (SELECT max(x.%s) AS top FROM %s) SELECT "
					  "x.%s::text, %s::text FROM %s, m WHERE x.%s >= m.top - "
					  "$1::int8 * interval '1 millisecond' AND x.%s IS NOT NULL",
					  t, from, k, us, from, t, k);
		free(us);
		free(from);
		free(k);
		free(t);
	}
	p->engaged_mask = engaged_mask;
	p->hve_mask = hve_mask;
	if (src->kind != SCHEMA_EVENTS || src->pushdown == CONFIG_PUSHDOWN_OFF)
		snprintf(p->push_note, sizeof p->push_note, "off");
	else if (no_push)
		snprintf(p->push_note, sizeof p->push_note, "off: %s", no_push);
	if (!p->sql)
		p->sql = pgsrc_cold_sql(src);
	char *from = pgsrc_from(src);
	p->sql_cols = xasprintf("SELECT * FROM %s LIMIT 0", from);
	free(from);
	p->conn = pgconn_open(db->dsn, db->sslmode, db->connect_timeout_ms, now_ms);
	p->state = PGSRC_CONNECTING;
	return p;
}

void pgsrc_free(struct pgsrc *p)
{
	if (!p)
		return;
	free(p->pair_bytes);
	pgconn_free(p->conn);
	free(p->sql);
	free(p->live_sql);
	free(p->sig_sql);
	idmark_free(p->idm);
	free(p->idread_sql);
	free(p->idmax_sql);
	free(p->idholes_sql);
	tsmark_free(p->tsm);
	free(p->tsread_sql);
	free(p->tskeys_sql);
	free(p->agg_sql);
	pgsql_lex_free(p->lex);
	free(p->sql_cols);
	free(p->rest_sql);
	free(p->buf);
	free(p->fptr);
	free(p->flen);
	free(p);
}

int pgsrc_state(const struct pgsrc *p)
{
	if (p->restored && (p->state == PGSRC_DONE || p->state == PGSRC_CONNECTING))
		return p->state == PGSRC_DONE ? PGSRC_READING : PGSRC_CONNECTING;
	return p->state;
}

void pgsrc_mark(const struct pgsrc *p, struct pgsrc_mark *m)
{
	memset(m, 0, sizeof *m);
	/* between reads of a table whose cold read has ended, with its
	 * signature to tell a truncation or rebuild since: nothing half read */
	if (!p->cold_done || p->resuming || p->restored || p->state != PGSRC_DONE ||
	    p->query != PGSRC_IDLE || !p->src->table || !p->sig0[0])
		return;
	m->kept = 1;
	m->horizon = p->horizon;
	m->rows = p->rows;
	memcpy(m->sig0, p->sig0, sizeof m->sig0);
	memcpy(m->push_note, p->push_note, sizeof m->push_note);
}

/* An id or timestamp cursor's marks, as a state keeps them. */
struct pgsrc_marks {
	struct idmark *idm;
	struct tsmark *tsm;
};

void pgsrc_save_marks(const struct pgsrc *p, struct statefile_w *w, int64_t now_ms)
{
	statefile_put_u32(w, p->idm ? 1 : p->tsm ? 2 : 0);
	if (p->idm)
		idmark_save(p->idm, w, now_ms);
	else if (p->tsm)
		tsmark_save(p->tsm, w);
}

struct pgsrc_marks *pgsrc_load_marks(struct statefile_r *r, const struct config_source *src,
				     int64_t now_ms)
{
	struct pgsrc_marks *k = xcalloc(1, sizeof *k);
	uint32_t t = statefile_get_u32(r);
	if (t == 1)
		k->idm = idmark_load(r, src->lag_ms, now_ms);
	else if (t == 2)
		k->tsm = tsmark_load(r, (int64_t)src->lag_ms * 1000);
	else if (t != 0)
		statefile_mark_bad(r);
	if (statefile_bad(r)) {
		pgsrc_marks_free(k);
		return NULL;
	}
	return k;
}

void pgsrc_marks_free(struct pgsrc_marks *k)
{
	if (!k)
		return;
	idmark_free(k->idm);
	tsmark_free(k->tsm);
	free(k);
}

int pgsrc_resume(struct pgsrc *p, const struct pgsrc_mark *m, struct pgsrc_marks *k)
{
	if (!m->kept || p->cold_done || p->rows || !p->src->table || p->state != PGSRC_CONNECTING)
		return 0;
	/* a cursor of its own takes its marks up, the kind it had */
	if ((p->idm != NULL) != (k && k->idm) || (p->tsm != NULL) != (k && k->tsm))
		return 0;
	if (p->idm) {
		idmark_free(p->idm);
		p->idm = k->idm;
		k->idm = NULL;
	}
	if (p->tsm) {
		tsmark_free(p->tsm);
		p->tsm = k->tsm;
		k->tsm = NULL;
	}
	/* as after a lost connection: the signature is compared (another
	 * one: read it all again), then live reads go on from the horizon */
	p->cold_done = 1;
	p->resuming = 1;
	p->restored = 1;
	p->horizon = m->horizon;
	p->rows = m->rows;
	memcpy(p->sig0, m->sig0, sizeof p->sig0);
	p->sig0[sizeof p->sig0 - 1] = '\0';
	p->watch = p->sig0[0] != 0;
	if (m->push_note[0]) {
		memcpy(p->push_note, m->push_note, sizeof p->push_note);
		p->push_note[sizeof p->push_note - 1] = '\0';
	}
	return 1;
}

const char *pgsrc_error(const struct pgsrc *p)
{
	return p->err;
}

int pgsrc_live(const struct pgsrc *p)
{
	return p->live || pgsrc_polled(p);
}

const char *pgsrc_pushdown(const struct pgsrc *p)
{
	return p->push_note[0] ? p->push_note : "not known yet";
}

int64_t pgsrc_estimate(const struct pgsrc *p)
{
	return p->est > 0 ? p->est : 0;
}

int pgsrc_percent(const struct pgsrc *p)
{
	if (p->state != PGSRC_READING || p->est <= 0)
		return -1;
	uint64_t pc = p->rows * 100 / (uint64_t)p->est;
	return pc > 99 ? 99 : (int)pc; /* an estimate: never 100 % before the end */
}

/* A lag as the config would write it: "30 s", "2 min", "500 ms". */
static void pgsrc_lag(char *buf, size_t n, int ms)
{
	if (ms >= 60000 && ms % 60000 == 0)
		snprintf(buf, n, "%d min", ms / 60000);
	else if (ms >= 1000 && ms % 1000 == 0)
		snprintf(buf, n, "%d s", ms / 1000);
	else
		snprintf(buf, n, "%d ms", ms);
}

void pgsrc_describe(const struct pgsrc *p, char *buf, size_t n)
{
	char lag[32];
	pgsrc_lag(lag, sizeof lag, p->src->lag_ms);
	if (p->state == PGSRC_CONNECTING) {
		snprintf(buf, n, "connecting to %s", pgconn_host(p->conn));
		return;
	}
	const char *cur = p->live ? "xid" : p->idm ? "id" : p->tsm ? "timestamp"
		: p->watch ? "none, re-read on change" : "none";
	snprintf(buf, n, "cursor %s", cur);
	if (p->held_shown) {
		/* local time, as the time of a retry on Sources */
		char t[16];
		struct tm tm;
		localtime_r(&p->held_at, &tm);
		strftime(t, sizeof t, "%H:%M:%S", &tm);
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, ", new rows wait for a transaction open since %s", t);
	}
	if (p->tsm) {
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, " (%s), lag %s", p->src->cursor_ts, lag);
	}
	if (p->idm) {
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, ", lag %s, %zu hole%s", lag,
			 idmark_holes(p->idm), idmark_holes(p->idm) == 1 ? "" : "s");
	}
	if (p->src->kind == SCHEMA_EVENTS) {
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, ", pushdown %s", pgsrc_pushdown(p));
	}
}

const char *pgsrc_push_sql(const struct pgsrc *p, int i, uint64_t *horizon)
{
	*horizon = p->live ? p->horizon : 0;
	return i == 0 ? p->agg_sql : i == 1 ? p->rest_sql : NULL;
}

int pgsrc_by_key(const struct pgsrc *p)
{
	return p->key_idx >= 0;
}

const char *pgsrc_fallback(const struct pgsrc *p)
{
	return p->fallback[0] ? p->fallback : NULL;
}

uint64_t pgsrc_rows(const struct pgsrc *p)
{
	return p->rows;
}

int pgsrc_pollfd(const struct pgsrc *p, short *events)
{
	/* nothing to wait on when failed, or read and not querying (a live
	 * source waits for poll_ms, which the caller's timer brings) */
	/* idle and live: only a LISTEN source has something to wait for */
	if (p->state == PGSRC_FAILED ||
	    (p->state == PGSRC_DONE && p->query == PGSRC_IDLE && !p->src->listen))
		return -1;
	return pgconn_pollfd(p->conn, events);
}

#define PGSRC_RETRY_MIN_MS 1000
#define PGSRC_RETRY_MAX_MS 60000

static void pgsrc_fail(struct pgsrc *p, const char *what, const char *why)
{
	snprintf(p->err, sizeof p->err, "%s@%s: %s%s", p->src->name, p->db->name, what, why);
	p->state = PGSRC_FAILED;
	p->pushing = 0;
	int64_t wait = PGSRC_RETRY_MIN_MS;
	for (int i = 0; i < p->attempts && wait < PGSRC_RETRY_MAX_MS; i++)
		wait *= 2;
	p->attempts++;
	p->retry_at = p->now_ms + (wait < PGSRC_RETRY_MAX_MS ? wait : PGSRC_RETRY_MAX_MS);
}

int64_t pgsrc_wake_in(const struct pgsrc *p, int64_t now_ms)
{
	int64_t at;
	if (p->state == PGSRC_FAILED)
		at = p->retry_at;
	else if (p->state == PGSRC_CONNECTING)
		at = now_ms + 100; /* the connect deadline is cxtop's to check */
	else if (p->query == PGSRC_IDLE && (p->live || p->watch || pgsrc_polled(p)))
		at = p->next_poll;
	else
		return -1; /* a query running: its socket wakes the loop */
	return at > now_ms ? at - now_ms : 0;
}

int64_t pgsrc_retry_in(const struct pgsrc *p, int64_t now_ms)
{
	if (p->state != PGSRC_FAILED)
		return -1;
	return p->retry_at > now_ms ? p->retry_at - now_ms : 0;
}

/* The time to try again has come. A cold read that had delivered rows
 * cannot go on where it broke off (a new transaction sees other rows):
 * the kind is read again, with a new pgsrc. Otherwise connect anew, and
 * once the cold read had ended, resume (pgsrc_next). */
static int pgsrc_retry(struct pgsrc *p, int64_t now_ms)
{
	if (!p->cold_done && p->rows)
		return PGSRC_RESET | PGSRC_CHANGED;
	pgconn_free(p->conn);
	p->conn = pgconn_open(p->db->dsn, p->db->sslmode, p->db->connect_timeout_ms, now_ms);
	p->state = PGSRC_CONNECTING;
	p->resuming = p->cold_done;
	return PGSRC_CHANGED | PGSRC_MORE;
}

/* The pairs kept so far, to the store. */
static void pgsrc_flush_pairs(struct pgsrc *p)
{
	if (!p->npairs)
		return;
	for (size_t i = 0; i < p->npairs; i++) {
		p->pairs[i].campaign = p->pair_bytes + p->pair_at[i][0];
		p->pairs[i].customer = p->pair_bytes + p->pair_at[i][1];
	}
	if (p->seeds)
		p->seeds->pairs(p->ctx, p->pairs, p->npairs);
	p->npairs = 0;
	p->pair_len = 0;
}

static size_t pgsrc_keep(struct pgsrc *p, const char *s, int n)
{
	size_t at = p->pair_len;
	p->pair_bytes = xgrow(p->pair_bytes, &p->pair_cap, at + (size_t)n + 1, 1);
	memcpy(p->pair_bytes + at, s, (size_t)n + 1);
	p->pair_len += (size_t)n + 1;
	return at;
}

/* A row of the aggregates (pgsql.h says what it holds): a seed for the
 * store, and a day's rows counted as read. */
static void pgsrc_seed_row(struct pgsrc *p, const struct pgconn_row *row)
{
	if (!p->seeds)
		return;
	if (row->nfields < 3 || row->isnull[2])
		return;
	const char *x = row->values[2];
	if (x[0] == 'u') {
		/* rows the rest is to send (pgsql.h) */
		p->unclean += strtoull(x + 2, NULL, 10);
		return;
	}
	if (x[0] != 'd') {
		size_t k = p->npairs++;
		p->pair_at[k][0] = pgsrc_keep(p, row->values[0], row->lens[0]);
		p->pair_at[k][1] = pgsrc_keep(p, row->values[1], row->lens[1]);
		p->pairs[k].flags = (unsigned)strtoul(x, NULL, 10);
		if (p->npairs == PGSRC_PAIRS)
			pgsrc_flush_pairs(p);
		return;
	}
	/* a day: "d,DAY,N,FIRST_TS,LAST_TS,VALUE,WORD" (pgsql.h) */
	int64_t f[5];
	const char *q = x + 1;
	for (int i = 0; i < 5; i++) {
		if (*q != ',')
			return; /* not of ours: ignored rather than guessed */
		q++;
		f[i] = strtoll(q, NULL, 10);
		while (*q && *q != ',')
			q++;
	}
	if (*q != ',')
		return;
	struct store_seed_day d = {
		.campaign = row->isnull[0] ? "" : row->values[0],
		.customer = row->isnull[1] ? NULL : row->values[1],
		.day = f[0],
		.event = pgsql_lex_event(p->lex, q + 1),
		.rows = (uint32_t)f[1],
		.first_ts = f[2],
		.last_ts = f[3],
		.value = f[4],
	};
	if (d.event < 0)
		return; /* the SQL took only the source's words */
	/* every clean row is in exactly one day row */
	p->rows += d.rows;
	p->seeds->day(p->ctx, &d);
}

/* One row of the cold read: the first makes the map from the result's
 * column names, as a CSV header makes it. */
static void pgsrc_row(void *ctx, const struct pgconn_row *row)
{
	struct pgsrc *p = ctx;
	char why[256], err[1024];
	size_t n = (size_t)row->nfields, need = 0;
	if (p->query == PGSRC_FINDXID) {
		if (!p->xidcol[0] && row->nfields && row->lens[0] < (int)sizeof p->xidcol)
			memcpy(p->xidcol, row->values[0], (size_t)row->lens[0] + 1);
		return;
	}
	if (p->query == PGSRC_SIG0 || p->query == PGSRC_SIG) {
		char *d = p->query == PGSRC_SIG0 ? p->sig0 : p->sig;
		if (row->nfields && !row->isnull[0] && row->lens[0] < 96)
			memcpy(d, row->values[0], (size_t)row->lens[0] + 1);
		return;
	}
	if (p->query == PGSRC_HORIZON || p->query == PGSRC_P_HORIZON) {
		if (row->nfields && !row->isnull[0])
			p->next_horizon = strtoull(row->values[0], NULL, 10);
		if (row->nfields > 1 && !row->isnull[1])
			p->next_xmax = strtoull(row->values[1], NULL, 10);
		return;
	}
	if (p->query == PGSRC_EST) {
		if (row->nfields && !row->isnull[0])
			p->est = strtoll(row->values[0], NULL, 10);
		return;
	}
	if (p->query == PGSRC_P_ENC) {
		for (int i = 0; i < 2 && i < row->nfields; i++)
			snprintf(p->encs[i], sizeof p->encs[i], "%s", row->values[i]);
		return;
	}
	if (p->query == PGSRC_P_AGG) {
		pgsrc_seed_row(p, row);
		return;
	}
	if (p->query == PGSRC_P_IDMAX) {
		if (row->nfields && !row->isnull[0]) {
			p->id_top = strtoll(row->values[0], NULL, 10);
			idmark_seen_up_to(p->idm, p->id_top);
		}
		return;
	}
	if (p->query == PGSRC_P_TSKEYS) {
		if (row->nfields >= 2 && !row->isnull[0] && !row->isnull[1])
			tsmark_see(p->tsm, strtoll(row->values[1], NULL, 10),
				   strtoll(row->values[0], NULL, 10));
		return;
	}
	if (p->query == PGSRC_P_IDHOLES) {
		if (row->nfields >= 2 && !row->isnull[0])
			idmark_missing(p->idm, strtoll(row->values[0], NULL, 10),
				       strtoll(row->values[1], NULL, 10), p->now_ms);
		return;
	}
	if (p->map_failed || (p->query != PGSRC_COLD && p->query != PGSRC_LIVE &&
			      p->query != PGSRC_P_REST && p->query != PGSRC_IDREAD &&
			      p->query != PGSRC_TSREAD))
		return; /* the session's set_config row, or a header refused */
	/* cursor = timestamp: the time cxtop asked for, last, is not a
	 * column of the source (the rows a pushdown leaves out have none) */
	int us_idx = p->tsm && p->query != PGSRC_P_REST && n ? (int)n - 1 : -1;
	if (us_idx >= 0)
		n--;
	if (!p->have_map) {
		size_t *lens = xcalloc(n ? n : 1, sizeof *lens);
		for (size_t i = 0; i < n; i++)
			lens[i] = strlen(row->names[i]);
		if (record_map_build(&p->map, p->src, (char *const *)row->names, lens, n, err,
				     sizeof err) < 0) {
			p->map_failed = 1;
			if (p->sink->header_error)
				p->sink->header_error(p->ctx, err);
		} else if (p->map.notice[0] && p->sink->header_notice) {
			p->sink->header_notice(p->ctx, p->map.notice);
		}
		free(lens);
		p->have_map = 1;
		for (size_t i = 0; p->src->key && i < n; i++) {
			int t = pgsql_type_of_oid(row->types[i]);
			if (strcmp(row->names[i], p->src->key) == 0 && t == PGSQL_T_EXACT) {
				p->key_idx = (int)i;
				break;
			}
		}
		if (pgsrc_polled(p) && p->key_idx < 0) {
			pgsrc_fail(p, p->idm ? "cursor = id: " : "cursor = timestamp: ",
				   "key is not an integer column of the rows");
			p->map_failed = 1;
			return;
		}
		if (p->map_failed)
			return;
	}
	for (size_t i = 0; i < n; i++)
		need += (size_t)row->lens[i] + 1;
	p->buf = xgrow(p->buf, &p->cap, need ? need : 1, 1);
	p->fptr = xgrow(p->fptr, &p->fcap, n ? n : 1, sizeof *p->fptr);
	p->flen = xrealloc(p->flen, (n ? n : 1) * sizeof *p->flen);
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		p->fptr[i] = p->buf + off;
		memcpy(p->buf + off, row->values[i], (size_t)row->lens[i]);
		p->buf[off + (size_t)row->lens[i]] = '\0';
		p->flen[i] = (size_t)row->lens[i];
		off += (size_t)row->lens[i] + 1;
	}
	if (p->idm && p->query != PGSRC_P_REST) {
		/* cursor = id: a row read again above a hole is not new; the
		 * rows a pushdown leaves out are (the aggregates hold the
		 * others, and P_IDMAX / P_IDHOLES the watermark) */
		if (p->key_idx < 0 || row->isnull[p->key_idx])
			return; /* refused when the map was made */
		if (!idmark_see(p->idm, strtoll(row->values[p->key_idx], NULL, 10), p->now_ms))
			return;
	}
	if (us_idx >= 0) {
		/* cursor = timestamp: a row read again from the low mark is
		 * not new. A row without a key or a time is read by the cold
		 * read, which reads each row once, and never again (no read
		 * past the mark asks for it) */
		int bare = row->isnull[p->key_idx] || row->isnull[us_idx];
		if (bare ? p->query != PGSRC_COLD
			 : !tsmark_see(p->tsm, strtoll(row->values[us_idx], NULL, 10),
				       strtoll(row->values[p->key_idx], NULL, 10)))
			return;
	}
	p->rows++;
	struct record r;
	enum record_status st = record_from_row(&p->map, p->fptr, p->flen, n, &r, why, sizeof why);
	/* a rejection is named by the row's key where there is one: the
	 * same row has the same name however it was read (raw rows, the
	 * rows a pushdown leaves out, live reads) */
	uint64_t line = p->rows;
	if (p->key_idx >= 0)
		line = row->isnull[p->key_idx] ? 0 : strtoull(row->values[p->key_idx], NULL, 10);
	csvin_deliver(p->sink, p->ctx, &p->map, st, &r, why, line);
}

static int pgsrc_send(struct pgsrc *p, int query, const char *sql, int n, const char *const *v)
{
	if (pgconn_query(p->conn, sql, n, v) != 0) {
		pgsrc_fail(p, "", pgconn_error(p->conn));
		return PGSRC_CHANGED;
	}
	p->query = query;
	return PGSRC_CHANGED | PGSRC_MORE;
}

/* Ask for the table's signature: relfilenode, and for a table not read
 * live the count and a hash of its rows (so that a rewritten snapshot,
 * or a log without an xid8 column that grew, is read again). */
static int pgsrc_signature(struct pgsrc *p, int query)
{
	if (!p->sig_sql) {
		char *t = NULL;
		size_t tl = 0, tc = 0;
		pgsrc_ident(&t, &tl, &tc, p->src->table);
		p->sig_sql = p->live || pgsrc_polled(p)
				     ? xasprintf("SELECT relfilenode::text FROM pg_class WHERE oid = "
						 "to_regclass($1)")
				     : xasprintf("SELECT c.relfilenode::text || ':' || (SELECT count(*) || ':' "
						 "|| coalesce(sum(hashtext(x::text)::bigint), 0) FROM %s x) "
						 "FROM pg_class c WHERE c.oid = to_regclass($1)",
						 t);
		free(t);
	}
	const char *v[1] = {p->src->table};
	return pgsrc_send(p, query, p->sig_sql, 1, v);
}

/* the horizon, and the next xid to be handed out: below it and at or above
 * the horizon, transactions are still open */
#define PGSRC_HORIZON_SQL                                                                          \
	"SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() s"

/* The cold read as raw rows: all of them, or (live) those below a first
 * horizon. */
static int pgsrc_raw_cold(struct pgsrc *p)
{
	if (!p->live)
		return pgsrc_send(p, PGSRC_COLD, p->sql, 0, NULL);
	return pgsrc_send(p, PGSRC_HORIZON, PGSRC_HORIZON_SQL, 0, NULL);
}

/* The cold read: pushed down when it may be (events, pushdown not off,
 * not fallen back), else raw. */
static int pgsrc_cold_start(struct pgsrc *p)
{
	if (p->push_note[0])
		return pgsrc_raw_cold(p);
	return pgsrc_send(p, PGSRC_P_ENC,
			  "SELECT current_setting('server_encoding'), "
			  "current_setting('client_encoding')",
			  0, NULL);
}

/* The columns are known: the pushdown's SQL, or why there is none. */
static int pgsrc_push_plan(struct pgsrc *p)
{
	int nc = pgconn_ncols(p->conn);
	char **names = xcalloc((size_t)(nc ? nc : 1), sizeof *names);
	size_t *lens = xcalloc((size_t)(nc ? nc : 1), sizeof *lens);
	unsigned *types = xcalloc((size_t)(nc ? nc : 1), sizeof *types);
	char err[1024];
	struct record_map m;
	for (int i = 0; i < nc; i++) {
		names[i] = (char *)pgconn_colname(p->conn, i);
		lens[i] = strlen(names[i]);
		types[i] = pgconn_coltype(p->conn, i);
	}
	int ok = record_map_build(&m, p->src, names, lens, (size_t)nc, err, sizeof err) == 0;
	char *from = pgsrc_from(p->src);
	struct pgsql_events e = {
		.src = p->src,
		.from = from,
		.xid = p->live ? p->xidcol : NULL,
		.engaged_mask = p->engaged_mask,
		.hve_mask = p->hve_mask,
	};
	struct {
		struct pgsql_col *c;
		int col;
	} want[] = {
		{&e.ts, SCHEMA_COL_TIMESTAMP},	     {&e.customer, SCHEMA_COL_CUSTOMER_ID},
		{&e.event, SCHEMA_COL_EVENT},	     {&e.campaign, SCHEMA_COL_CAMPAIGN_ID},
		{&e.machine, SCHEMA_COL_MACHINE},    {&e.value, SCHEMA_COL_VALUE},
	};
	for (size_t i = 0; ok && i < sizeof want / sizeof want[0]; i++) {
		int k = m.idx[want[i].col];
		if (k >= 0) {
			want[i].c->name = names[k];
			want[i].c->type = pgsql_type_of_oid(types[k]);
		}
	}
	const char *why = !ok ? "the columns do not map" /* the raw read says why */
			  : strcmp(p->encs[0], "UTF8") != 0 || strcmp(p->encs[1], "UTF8") != 0
				  ? "the database's encoding is not UTF8"
				  : pgsql_events_unsupported(&e);
	if (!why) {
		p->agg_sql = pgsql_events_aggregates(&e);
		p->lex = pgsql_lex_new(p->src);
		p->rest_sql = pgsql_events_rest(&e, p->src->key);
	}
	free(from);
	free(names);
	free(lens);
	free(types);
	if (why) {
		snprintf(p->push_note, sizeof p->push_note, "off: %s", why);
		if (p->src->pushdown == CONFIG_PUSHDOWN_ON && ok) {
			pgsrc_fail(p, "pushdown = on: ", why);
			return PGSRC_CHANGED;
		}
		return pgsrc_raw_cold(p);
	}
	snprintf(p->push_note, sizeof p->push_note, "on");
	p->pushing = 1;
	return pgsrc_send(p, PGSRC_P_BEGIN, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0,
			  NULL);
}

/* The next statement of the pushdown's transaction. */
static int pgsrc_push_next(struct pgsrc *p, int64_t now_ms)
{
	char h[32];
	const char *v[1] = {h};
	int np = p->live ? 1 : 0;
	snprintf(h, sizeof h, "%llu", (unsigned long long)p->next_horizon);
	switch (p->query) {
	case PGSRC_P_ENC:
		return pgsrc_send(p, PGSRC_P_COLS, p->sql_cols, 0, NULL);
	case PGSRC_P_COLS:
		return pgsrc_push_plan(p);
	case PGSRC_P_BEGIN:
		/* for this transaction: work_mem; no sorted aggregation (the
		 * planner takes the groups of (campaign, customer, day) for as
		 * many as the rows and sorts a million rows where a hash table
		 * of 15,000 groups does: 1.0 s against 0.5 s at the 1M bench
		 * size); and the two GROUP BYs each on a worker of their own
		 * (Parallel Append), not each spread over the workers in turn:
		 * no partial scans, parallel plans cheap (1.6 s against 1.1 s) */
		/* work_mem, when the config leaves it out: room for the pairs
		 * of the table's estimated rows, a pair per row at most and 140
		 * bytes each in the engine's hash table (1.9M pairs took 256
		 * MB at the 5M bench size), which may take work_mem times
		 * hash_mem_multiplier; from the server's own setting up to 1 GB.
		 * A limit, not an allocation: the engine takes what the groups
		 * need, and below that it spills them to disk (64 MB at 5M
		 * rows: 5 batches, 0.6 s more) */
		snprintf(h, sizeof h, "%lld", (long long)(p->est > 0 ? p->est : 0));
		{
			const char *m[2] = {p->db->work_mem, h};
			return pgsrc_send(
				p, PGSRC_P_MEM,
				"SELECT set_config('work_mem', coalesce($1, (greatest(pg_size_bytes("
				"current_setting('work_mem')), least($2::bigint * 140 / coalesce("
				"current_setting('hash_mem_multiplier', true)::float8, 1), 1073741824)"
				"::bigint) / 1024)::text || 'kB'), true), "
				"set_config('enable_sort', 'off', true), "
				"set_config('parallel_setup_cost', '0', true), "
				"set_config('parallel_tuple_cost', '0', true), "
				"set_config('min_parallel_table_scan_size', '1TB', true)",
				2, m);
		}
	case PGSRC_P_MEM:
		/* the horizon of this transaction's snapshot: the aggregates
		 * stop below it and the live reads start there */
		if (p->live)
			return pgsrc_send(p, PGSRC_P_HORIZON, PGSRC_HORIZON_SQL, 0, NULL);
		/* fall through */
	case PGSRC_P_HORIZON:
		return pgsrc_send(p, PGSRC_P_AGG, p->agg_sql, np, v);
	case PGSRC_P_AGG:
		/* the watermark of a polling cursor, in the same snapshot */
		if (p->idm)
			return pgsrc_send(p, PGSRC_P_IDMAX, p->idmax_sql, 0, NULL);
		if (p->tsm) {
			/* the rows of the last lag, whatever path they took:
			 * the first read past the mark reads them again */
			snprintf(h, sizeof h, "%d", p->src->lag_ms);
			return pgsrc_send(p, PGSRC_P_TSKEYS, p->tskeys_sql, 1, v);
		}
		/* fall through */
	case PGSRC_P_IDHOLES:
	case PGSRC_P_TSKEYS:
	plan:
		if (!p->unclean) /* every row is in the aggregates */
			return pgsrc_send(p, PGSRC_P_COMMIT, "COMMIT", 0, NULL);
		/* the rest in key order: the planner expects many rows and
		 * walks the key's index to spare a sort, where the rows are
		 * few and a parallel scan finds them (0.31 s against 0.12 s) */
		return pgsrc_send(p, PGSRC_P_PLAN,
				  "SELECT set_config('enable_sort', 'on', true), "
				  "set_config('enable_indexscan', 'off', true), "
				  "set_config('min_parallel_table_scan_size', reset_val, true) FROM "
				  "pg_settings WHERE name = 'min_parallel_table_scan_size'",
				  0, NULL);
	case PGSRC_P_IDMAX:
		/* without a row there is no hole */
		if (p->id_top) {
			snprintf(h, sizeof h, "%lld", (long long)p->id_top);
			return pgsrc_send(p, PGSRC_P_IDHOLES, p->idholes_sql, 1, v);
		}
		goto plan;
	case PGSRC_P_PLAN:
		snprintf(h, sizeof h, "%llu", (unsigned long long)p->next_horizon);
		return pgsrc_send(p, PGSRC_P_REST, p->rest_sql, np, v);
	case PGSRC_P_REST:
		return pgsrc_send(p, PGSRC_P_COMMIT, "COMMIT", 0, NULL);
	case PGSRC_P_COMMIT:
		p->pushing = 0;
		if (p->live)
			p->horizon = p->next_horizon;
		p->state = PGSRC_DONE;
		p->query = PGSRC_IDLE;
		p->next_poll = now_ms + (p->src->poll_ms ? p->src->poll_ms : 500);
		return PGSRC_CHANGED;
	}
	return 0;
}

/* LISTEN when asked to, then the table's signature. */
static int pgsrc_listen(struct pgsrc *p)
{
	if (p->src->listen) {
		/* a NOTIFY wakes the next read at once; poll_ms stays, as it
		 * does beside inotify (a notification is a hint) */
		char *t = NULL, *sql;
		size_t tl = 0, tc = 0;
		pgsrc_ident(&t, &tl, &tc, p->src->listen);
		sql = xasprintf("LISTEN %s", t);
		int r = pgsrc_send(p, PGSRC_LISTEN, sql, 0, NULL);
		free(sql);
		free(t);
		return r;
	}
	return pgsrc_signature(p, p->resuming ? PGSRC_SIG : PGSRC_SIG0);
}

/* cursor = id: the rows above the watermark (rows read again above a
 * hole are dropped by pgsrc_row). */
static int pgsrc_id_read(struct pgsrc *p)
{
	char low[32];
	const char *v[1] = {low};
	int64_t l = idmark_low(p->idm);
	snprintf(low, sizeof low, "%lld", (long long)(l == INT64_MIN ? INT64_MIN + 1 : l));
	return pgsrc_send(p, PGSRC_IDREAD, p->idread_sql, 1, v);
}

/* After a new horizon: is it held by a transaction left open (it did not
 * move, and a transaction below the next xid is still open)? Sources says
 * so once it has been held for a second or two polls, whichever is longer
 * (a busy server always has transactions in flight, but its horizon
 * moves); 1 when what Sources says changes. */
static int pgsrc_held(struct pgsrc *p, int64_t now_ms)
{
	int was = p->held_shown;
	if (p->next_horizon > p->horizon || p->next_xmax <= p->next_horizon) {
		p->held_ms = 0;
		p->held_shown = 0;
		return was;
	}
	if (!p->held_ms) {
		p->held_ms = now_ms;
		p->held_at = time(NULL);
	}
	int64_t after = 2 * (int64_t)(p->src->poll_ms ? p->src->poll_ms : 500);
	if (now_ms - p->held_ms >= (after > 1000 ? after : 1000))
		p->held_shown = 1;
	return was != p->held_shown;
}

/* cursor = timestamp: the rows from the low mark (rows read again are
 * dropped by pgsrc_row); all of them while no row has been seen. */
static int pgsrc_ts_read(struct pgsrc *p)
{
	char low[32];
	const char *v[1] = {low};
	int64_t l = tsmark_low(p->tsm);
	if (l == INT64_MIN)
		return pgsrc_send(p, PGSRC_TSREAD, p->sql, 0, NULL);
	snprintf(low, sizeof low, "%lld", (long long)l);
	return pgsrc_send(p, PGSRC_TSREAD, p->tsread_sql, 1, v);
}

/* The query after the one that just ended (or after a wait). cursor = xid
 * reads exactly once, with no duplicates, whatever the commit order: every
 * transaction with an xid below pg_snapshot_xmin(pg_current_snapshot()) has
 * ended, so the rows below that horizon can no longer change; each read
 * takes the rows from the last horizon up to a new one fixed by the
 * query before it (warehouse.md, section 2). */
static int pgsrc_next(struct pgsrc *p, int64_t now_ms)
{
	char a[32], b[32];
	const char *v[2] = {a, b};
	if (p->query >= PGSRC_P_ENC && p->query <= PGSRC_P_COMMIT)
		return pgsrc_push_next(p, now_ms);
	switch (p->query) {
	case PGSRC_SETUP:
		p->attempts = 0; /* connected and set up: the backoff starts over */
		p->err[0] = '\0';
		if (p->resuming && !p->src->table) {
			p->resuming = 0;
			p->query = PGSRC_IDLE;
			return PGSRC_CHANGED;
		}
		if (p->src->table && p->src->cursor != CONFIG_CURSOR_NONE &&
		    p->src->cursor != CONFIG_CURSOR_ID && p->src->cursor != CONFIG_CURSOR_TIMESTAMP) {
			v[0] = p->src->table;
			return pgsrc_send(p, PGSRC_FINDXID,
					  "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
					  "to_regclass($1) AND a.atttypid = 'xid8'::regtype AND a.attnum > 0 "
					  "AND NOT a.attisdropped ORDER BY a.attnum LIMIT 1",
					  1, v);
		}
		if (p->src->table)
			return pgsrc_listen(p);
		return pgsrc_cold_start(p);
	case PGSRC_FINDXID:
		if (!p->xidcol[0] && p->src->cursor == CONFIG_CURSOR_XID) {
			pgsrc_fail(p, "cursor = xid: ", "the table has no xid8 column");
			return PGSRC_CHANGED;
		}
		p->live = p->xidcol[0] != 0;
		return pgsrc_listen(p);
	case PGSRC_LISTEN:
		return pgsrc_signature(p, p->resuming ? PGSRC_SIG : PGSRC_SIG0);
	case PGSRC_SIG0:
		p->watch = p->sig0[0] != 0;
		v[0] = p->src->table;
		return pgsrc_send(p, PGSRC_EST,
				  "SELECT greatest(reltuples, 0)::bigint::text FROM pg_class WHERE oid = "
				  "to_regclass($1)",
				  1, v);
	case PGSRC_EST:
		return pgsrc_cold_start(p);
	case PGSRC_SIG:
		p->resuming = 0;
		if (strcmp(p->sig, p->sig0) != 0)
			return PGSRC_RESET | PGSRC_CHANGED; /* read it all again */
		if (p->idm)
			return pgsrc_id_read(p);
		if (p->tsm)
			return pgsrc_ts_read(p);
		if (!p->live) {
			p->query = PGSRC_IDLE;
			p->next_poll = now_ms + (p->src->poll_ms ? p->src->poll_ms : 500);
			if (p->restored) {
				p->restored = 0; /* unchanged since: up to date */
				return PGSRC_CHANGED;
			}
			return 0;
		}
		return pgsrc_send(p, PGSRC_HORIZON, PGSRC_HORIZON_SQL, 0, NULL);
	case PGSRC_HORIZON: {
		if (!p->live_sql) {
			/* SELECT * FROM "t" WHERE "x" >= $1 AND "x" < $2 ORDER BY "x": the
			 * cold read is the first of these, from horizon 0 */
			char *t = NULL, *x = NULL;
			size_t tl = 0, tc = 0, xl = 0, xc = 0;
			pgsrc_ident(&t, &tl, &tc, p->src->table);
			pgsrc_ident(&x, &xl, &xc, p->xidcol);
			p->live_sql = xasprintf("SELECT * FROM %s WHERE %s >= $1::xid8 AND %s < $2::xid8 "
						"ORDER BY %s",
						t, x, x, x);
			free(t);
			free(x);
		}
		snprintf(a, sizeof a, "%llu", (unsigned long long)p->horizon);
		snprintf(b, sizeof b, "%llu", (unsigned long long)p->next_horizon);
		int held = pgsrc_held(p, now_ms);
		if (p->next_horizon <= p->horizon) {
			/* nothing ended since: wait for poll_ms */
			p->query = PGSRC_IDLE;
			p->next_poll = now_ms + (p->src->poll_ms ? p->src->poll_ms : 500);
			if (p->state == PGSRC_READING || p->restored) {
				p->state = PGSRC_DONE;
				p->restored = 0;
				return PGSRC_CHANGED;
			}
			return held ? PGSRC_CHANGED : 0;
		}
		return pgsrc_send(p, p->state == PGSRC_READING ? PGSRC_COLD : PGSRC_LIVE, p->live_sql,
				  2, v) | (held ? PGSRC_CHANGED : 0);
	}
	case PGSRC_IDREAD:
	case PGSRC_TSREAD:
	case PGSRC_COLD:
	case PGSRC_LIVE:
		if (p->idm)
			idmark_settle(p->idm, now_ms);
		if (!p->live) {
			p->state = PGSRC_DONE;
			p->restored = 0;       /* read up to the present */
			p->query = PGSRC_IDLE; /* watched for changes, if a table */
			p->next_poll = now_ms + (p->src->poll_ms ? p->src->poll_ms : 500);
			return PGSRC_CHANGED;
		}
		p->horizon = p->next_horizon;
		if (p->state == PGSRC_READING)
			p->state = PGSRC_DONE; /* the cold read is over: live from here */
		p->restored = 0;         /* read up to the present */
		p->query = PGSRC_IDLE;
		p->next_poll = now_ms + (p->src->poll_ms ? p->src->poll_ms : 500);
		return PGSRC_CHANGED;
	case PGSRC_IDLE:
		if (p->watch)
			return pgsrc_signature(p, PGSRC_SIG);
		if (p->idm)
			return pgsrc_id_read(p);
		if (p->tsm)
			return pgsrc_ts_read(p);
		if (!p->live)
			return 0;
		return pgsrc_send(p, PGSRC_HORIZON, PGSRC_HORIZON_SQL, 0, NULL);
	}
	return 0;
}

static int pgsrc_advance(struct pgsrc *p, int64_t now_ms, size_t budget);

int pgsrc_step(struct pgsrc *p, int64_t now_ms, size_t budget, const struct csvin_sink *sink,
	       const struct pgsrc_seeds *seeds, void *ctx)
{
	p->sink = sink;
	p->seeds = seeds;
	p->ctx = ctx;
	p->now_ms = now_ms;
	if (p->state == PGSRC_FAILED)
		return now_ms >= p->retry_at ? pgsrc_retry(p, now_ms) : 0;
	if (p->state == PGSRC_DONE && !p->live && !p->watch && !pgsrc_polled(p))
		return 0;
	int r = pgsrc_advance(p, now_ms, budget);
	if (p->state == PGSRC_DONE && !p->resuming)
		p->cold_done = 1;
	return r;
}

static int pgsrc_advance(struct pgsrc *p, int64_t now_ms, size_t budget)
{
	int st0 = p->state;
	int f = pgconn_step(p->conn, now_ms, budget, pgsrc_row, p);
	pgsrc_flush_pairs(p); /* the store has what was read, each step */
	if (pgconn_state(p->conn) == PGCONN_FAILED) {
		pgsrc_fail(p, "", pgconn_error(p->conn));
		return PGSRC_CHANGED;
	}
	if (p->state == PGSRC_CONNECTING && pgconn_state(p->conn) == PGCONN_READY) {
		/* the session: times in UTC, read only, the statement timeout */
		char timeout[32];
		snprintf(timeout, sizeof timeout, "%d", p->db->statement_timeout_ms);
		const char *params[] = {timeout};
		if (pgconn_query(p->conn,
				 "SELECT set_config('TimeZone', 'UTC', false), "
				 "set_config('DateStyle', 'ISO', false), "
				 "set_config('extra_float_digits', '1', false), "
				 /* UTF-8 from any server encoding, except that a
				  * SQL_ASCII database holds bytes the server would
				  * refuse to convert: those come as they are and
				  * take the CSV path's checks */
				 "set_config('client_encoding', CASE current_setting('server_encoding') "
				 "WHEN 'SQL_ASCII' THEN 'SQL_ASCII' ELSE 'UTF8' END, false), "
				 "set_config('standard_conforming_strings', 'on', false), "
				 "set_config('default_transaction_read_only', 'on', false), "
				 "set_config('statement_timeout', $1, false)",
				 1, params) != 0) {
			pgsrc_fail(p, "", pgconn_error(p->conn));
			return PGSRC_CHANGED;
		}
		/* a resume is not a cold read: Sources goes on saying live */
		p->state = p->resuming ? PGSRC_DONE : PGSRC_READING;
		p->query = PGSRC_SETUP;
		return PGSRC_CHANGED | PGSRC_MORE;
	}
	if ((f & PGCONN_DONE) && pgconn_error(p->conn)[0] && p->pushing) {
		/* a statement timeout (57014) or any other error of the
		 * pushdown: what it seeded is dropped with the kind, and the
		 * next read takes raw rows */
		snprintf(p->fallback, sizeof p->fallback, "pushdown failed (%s): read as raw rows",
			 pgconn_error(p->conn));
		p->pushing = 0;
		return PGSRC_RESET | PGSRC_CHANGED;
	}
	if ((f & PGCONN_DONE) && pgconn_error(p->conn)[0]) {
		pgsrc_fail(p, p->query == PGSRC_SETUP ? "setting up the session: " : "", 
			   pgconn_error(p->conn));
		return PGSRC_CHANGED;
	}
	if (f & PGCONN_NOTIFY)
		p->next_poll = now_ms; /* the table changed: look now */
	if (f & PGCONN_DONE)
		return pgsrc_next(p, now_ms);
	if (p->query == PGSRC_IDLE && now_ms >= p->next_poll)
		return pgsrc_next(p, now_ms);
	return (f & PGCONN_CHANGED ? PGSRC_CHANGED : 0) | (f & PGCONN_MORE ? PGSRC_MORE : 0) |
	       (p->state != st0 ? PGSRC_CHANGED : 0);
}
