/* bench_pg: the figures of a database source that only the loop itself
 * can give (tests/bench_pg.sh runs it beside a throwaway server, after
 * make bench's table):
 *   bench_pg turns CONFIG   the cold read driven as the dashboard drives it
 *                           (ingest_step with its per-turn budget, poll()
 *                           between): the longest turn and the 99th
 *                           percentile, in ms;
 *   bench_pg live CONFIG TABLE
 *                           after the cold read, 1,000 rows inserted in one
 *                           commit (on a second connection): ms from the
 *                           commit's return until the store counts them and
 *                           a view of them is built.
 *   bench_pg bytes CONFIG TABLE
 *                           the bytes of the rows a pushdown cold start
 *                           receives and of the raw rows of TABLE, counted
 *                           as the protocol sends them (a DataRow is 7
 *                           bytes, then 4 per field plus its text).
 * Prints "name value" lines for the script. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/pgsrc.h"
#include "cxtop/store.h"
#include "cxtop/view.h"

#define BENCH_PG_BUDGET (4u << 20) /* ui.c's UI_READ_BUDGET */

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The wire bytes of the rows of sql ($1 = param if not NULL). */
static double wire_bytes(PGconn *db, const char *sql, const char *param)
{
	const char *v[1] = {param};
	double n = 0;
	if (!PQsendQueryParams(db, sql, param ? 1 : 0, NULL, v, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(db)) {
		fprintf(stderr, "bench_pg: %s", PQerrorMessage(db));
		exit(1);
	}
	PGresult *r;
	while ((r = PQgetResult(db)) != NULL) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			n += 7;
			for (int i = 0; i < PQnfields(r); i++)
				n += 4 + (PQgetisnull(r, 0, i) ? 0 : PQgetlength(r, 0, i));
		} else if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "bench_pg: %s", PQresultErrorMessage(r));
			exit(1);
		}
		PQclear(r);
	}
	return n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One turn of the dashboard's loop: poll the sockets (or its wake time),
 * then one ingest_step; returns the step's ms. */
static double turn(struct ingest *in, int *more)
{
	struct pollfd fds[16];
	size_t n = ingest_pollfds(in, fds, 16);
	int64_t w = ingest_wake_in(in);
	if (!*more)
		poll(fds, (nfds_t)n, w >= 0 && w < 100 ? (int)w : 100);
	double t0 = ms_now();
	*more = ingest_step(in, BENCH_PG_BUDGET) & INGEST_MORE;
	return ms_now() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_pg turns|live CONFIG [TABLE]\n");
		return 2;
	}
	struct config cfg;
	char err[512];
	config_defaults(&cfg);
	if (config_load(&cfg, argv[2], 1, err, sizeof err) != 0) {
		fprintf(stderr, "bench_pg: %s\n", err);
		return 2;
	}
	struct ingest *in = ingest_new(&cfg, ".");
	const struct ingest_source *s = ingest_source(in, 0);
	size_t cap = 1 << 16, nt = 0;
	double *t = malloc(cap * sizeof *t), longest = 0;
	int more = 1;
	/* the cold read, and the view built every refresh_ms as the
	 * dashboard builds it while rows arrive (its loop turn holds both) */
	struct view_memo *memo = view_memo_new();
	double next_view = ms_now() + cfg.refresh_ms, longest_view = 0;
	while (strcmp(ingest_db_state(s), "read") && strcmp(ingest_db_state(s), "live") &&
	       strcmp(ingest_db_state(s), "error")) {
		double d = turn(in, &more);
		if (ms_now() >= next_view) {
			double v0 = ms_now();
			view_free(view_build_memo(ingest_store(in), &cfg, cfg.window_days, INT64_MIN, memo));
			double vd = ms_now() - v0;
			longest_view = vd > longest_view ? vd : longest_view;
			d += vd;
			next_view = ms_now() + cfg.refresh_ms;
		}
		if (nt == cap)
			t = realloc(t, (cap *= 2) * sizeof *t);
		t[nt++] = d;
		if (d > longest)
			longest = d;
	}
	view_memo_free(memo);
	if (!strcmp(ingest_db_state(s), "error")) {
		fprintf(stderr, "bench_pg: %s\n", s->header_error ? s->header_error : "error");
		return 1;
	}
	if (!strcmp(argv[1], "turns")) {
		qsort(t, nt, sizeof *t, cmp);
		printf("rows %llu\nturns %zu\nlongest_ms %.2f\np99_ms %.2f\nlongest_view_ms %.2f\n",
		       (unsigned long long)s->rows, nt, longest, t[nt * 99 / 100], longest_view);
		return 0;
	}
	if (argc < 4)
		return 2;
	PGconn *db = PQconnectdb("");
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "bench_pg: %s", PQerrorMessage(db));
		return 1;
	}
	if (!strcmp(argv[1], "bytes")) {
		double push = 0;
		uint64_t h;
		char hs[32], raw[256];
		for (int i = 0; i < 2; i++) {
			const char *sql = pgsrc_push_sql(s->pg, i, &h);
			if (!sql) {
				fprintf(stderr, "bench_pg: no pushdown (%s)\n", ingest_db_pushdown(s));
				return 1;
			}
			snprintf(hs, sizeof hs, "%llu", (unsigned long long)h);
			push += wire_bytes(db, sql, h ? hs : NULL);
		}
		snprintf(raw, sizeof raw, "SELECT * FROM %s", argv[3]);
		printf("push_bytes %.0f\nraw_bytes %.0f\n", push, wire_bytes(db, raw, NULL));
		return 0;
	}
	uint64_t before = s->rows;
	char q[512];
	snprintf(q, sizeof q,
		 "INSERT INTO %s (\"timestamp\", customer_id, campaign_id, event) SELECT "
		 "now(), 'late' || g, 'live-bench', 'open' FROM generate_series(1, 1000) g",
		 argv[3]);
	/* let the source settle into its poll rhythm first */
	for (double end = ms_now() + 1000; ms_now() < end;)
		turn(in, &more);
	PGresult *r = PQexec(db, q);
	double committed = ms_now();
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench_pg: %s", PQerrorMessage(db));
		return 1;
	}
	PQclear(r);
	double step = 0; /* the longest turn on the way */
	while (s->rows < before + 1000 && ms_now() - committed < 30000) {
		double d = turn(in, &more);
		step = d > step ? d : step;
	}
	double read = ms_now();
	struct view *v = view_build(ingest_store(in), &cfg, cfg.window_days, INT64_MIN);
	double seen = ms_now();
	view_free(v);
	/* the figure, and its two parts: the rows in the store (the wait
	 * for the next poll, the read), and the view built over them */
	printf("live_rows %llu\nlive_ms %.1f\nread_ms %.1f\nview_ms %.1f\nstep_ms %.1f\npoll_ms %d\n",
	       (unsigned long long)(s->rows - before), seen - committed, read - committed,
	       seen - read, step, cfg.sources[0].poll_ms);
	PQfinish(db);
	ingest_free(in);
	config_free(&cfg);
	free(t);
	return 0;
}
