/* Tests of pgconn against a real server: run by `make pg-check` (part of
 * `make check`) beside the throwaway server of tests/pg_server.sh, which
 * sets PGHOST; without PGHOST (the plain unit run) they are skipped. They
 * check what the main loop relies on: connecting never blocks and ends
 * READY, rows come at most a budget per step with PGCONN_MORE while more
 * are buffered, an SQL error leaves the connection usable with libpq's
 * message, a server that is not there is FAILED with its reason. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#include "cxtop/pgconn.h"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sum {
	size_t rows;
	long long total;
	int nfields;
	char name0[32];
	int nulls;
};

static void on_row(void *ctx, const struct pgconn_row *r)
{
	struct sum *s = ctx;
	s->rows++;
	s->nfields = r->nfields;
	snprintf(s->name0, sizeof s->name0, "%s", r->names[0]);
	s->total += atoll(r->values[0]);
	s->nulls += r->isnull[1];
}

/* Poll and step until the state is not want_not; fails after 10 s. */
static void drive(struct pgconn *c, int until_done, size_t budget, struct sum *s, size_t *max_step)
{
	int64_t end = now_ms() + 10000;
	for (;;) {
		short ev = 0;
		int fd = pgconn_pollfd(c, &ev);
		struct pollfd p = {fd, ev, 0};
		if (fd >= 0)
			poll(&p, 1, 50);
		size_t before = s ? s->rows : 0;
		int f;
		do {
			f = pgconn_step(c, now_ms(), budget, on_row, s);
			if (s && max_step && s->rows - before > *max_step)
				*max_step = s->rows - before;
			before = s ? s->rows : 0;
		} while (f & PGCONN_MORE);
		if (until_done ? (f & PGCONN_DONE) != 0 : pgconn_state(c) != PGCONN_CONNECTING)
			return;
		if (pgconn_state(c) == PGCONN_FAILED)
			return;
		if (now_ms() > end)
			fail_msg("no progress in 10 s: state %d, %s", pgconn_state(c), pgconn_error(c));
	}
}

static void test_rows_within_budget(void **state)
{
	if (!getenv("PGHOST"))
		skip();
	struct pgconn *c = pgconn_open("", NULL, 5000, now_ms());
	drive(c, 0, 0, NULL, NULL);
	if (pgconn_state(c) != PGCONN_READY)
		fail_msg("not ready: %s", pgconn_error(c));
	const char *params[] = {"10000"};
	assert_int_equal(pgconn_query(c, "SELECT g AS n, CASE WHEN g % 10 = 0 THEN NULL ELSE 'x' END "
					 "FROM generate_series(1, $1::int) g",
				      1, params),
			 0);
	struct sum s = {0};
	size_t max_step = 0;
	drive(c, 1, 1000, &s, &max_step);
	assert_int_equal(s.rows, 10000);
	assert_true(s.total == 50005000LL);
	assert_int_equal(s.nfields, 2);
	assert_string_equal(s.name0, "n");
	assert_int_equal(s.nulls, 1000); /* NULL is isnull, value "" */
	assert_true(max_step <= 1000);   /* the budget holds */
	assert_int_equal(pgconn_state(c), PGCONN_READY);
	assert_string_equal(pgconn_error(c), "");
	/* an SQL error: libpq's message, the connection still usable */
	assert_int_equal(pgconn_query(c, "SELECT 1/0", 0, NULL), 0);
	drive(c, 1, 1000, &s, NULL);
	assert_non_null(strstr(pgconn_error(c), "division by zero"));
	assert_int_equal(pgconn_state(c), PGCONN_READY);
	assert_int_equal(pgconn_query(c, "SELECT 7, 'y'", 0, NULL), 0);
	memset(&s, 0, sizeof s);
	drive(c, 1, 1000, &s, NULL);
	assert_int_equal(s.rows, 1);
	assert_true(s.total == 7);
	pgconn_free(c);
}

/* A query still running when the connection is freed (q, r) is cancelled
 * on the server: its backend stops running it. */
static void test_free_cancels(void **state)
{
	if (!getenv("PGHOST"))
		skip();
	struct pgconn *c = pgconn_open("application_name=cxtop_sleeper", NULL, 5000, now_ms());
	drive(c, 0, 0, NULL, NULL);
	assert_int_equal(pgconn_state(c), PGCONN_READY);
	assert_int_equal(pgconn_query(c, "SELECT pg_sleep(30)", 0, NULL), 0);
	pgconn_step(c, now_ms(), 10, on_row, NULL);
	int64_t t0 = now_ms();
	pgconn_free(c);
	assert_true(now_ms() - t0 < 2000);
	/* another session sees no pg_sleep running within a second */
	struct pgconn *w = pgconn_open("", NULL, 5000, now_ms());
	drive(w, 0, 0, NULL, NULL);
	int gone = 0;
	for (int i = 0; i < 20 && !gone; i++) {
		struct sum s = {0};
		assert_int_equal(pgconn_query(w, "SELECT count(*), NULL FROM pg_stat_activity WHERE "
						 "query = 'SELECT pg_sleep(30)' AND state = 'active'",
					      0, NULL),
				 0);
		drive(w, 1, 1000, &s, NULL);
		gone = s.rows == 1 && s.total == 0;
		if (!gone) {
			struct timespec ts = {0, 50000000};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(gone);
	pgconn_free(w);
}

static void test_no_server(void **state)
{
	if (!getenv("PGHOST"))
		skip();
	/* a socket directory with no server in it: FAILED, with the reason */
	struct pgconn *c = pgconn_open("host=/nonexistent-cxtop-dir", NULL, 5000, now_ms());
	drive(c, 0, 0, NULL, NULL);
	assert_int_equal(pgconn_state(c), PGCONN_FAILED);
	assert_non_null(strstr(pgconn_error(c), "/nonexistent-cxtop-dir"));
	assert_null(strchr(pgconn_error(c), '\n'));
	pgconn_free(c);
	/* a query before being connected is refused */
	c = pgconn_open("", NULL, 5000, now_ms());
	assert_int_equal(pgconn_query(c, "SELECT 1", 0, NULL), -1);
	pgconn_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_within_budget),
		cmocka_unit_test(test_free_cancels),
		cmocka_unit_test(test_no_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
