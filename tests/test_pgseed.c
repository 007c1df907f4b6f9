/* Pushdown invariance against a real server (run by `make pg-check` beside
 * tests/pg_server.sh; skipped without PGHOST): seeding the store from the
 * engine's aggregates of the first k rows and then reading the rest live,
 * past the xid horizon or an id watermark, must leave exactly what one raw read of all rows
 * leaves, for several k (none, one, a part, all). The sibling of the
 * chunking-invariance tests of the file path. What is compared is the
 * whole --once JSON report of every window, byte for byte. */
#include <libpq-fe.h>
#include <poll.h>
#include <time.h>

#include "testutil.h"

#include "cxtop/alert.h"
#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/report.h"
#include "cxtop/view.h"

static char *dir;
static PGconn *db;

static void sql(const char *q)
{
	PGresult *r = PQexec(db, q);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(db));
	PQclear(r);
}

static long long count(const char *q)
{
	PGresult *r = PQexec(db, q);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(db));
	long long n = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

/* The --once JSON of in's store for a window. */
static char *report(struct ingest *in, const struct config *cfg, int window)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct view *v = view_build(ingest_store(in), cfg, window, INT64_MIN);
	alert_build(v, cfg);
	assert_int_equal(report_write(f, REPORT_JSON, v, in, cfg, 0), 0);
	view_free(v);
	fclose(f);
	return buf;
}

static void load_config(struct config *cfg, const char *table, const char *pushdown,
			const char *cursor)
{
	char ini[1024], err[512], path[4200];
	snprintf(ini, sizeof ini,
		 "[database:s]\n[events]\ndatabase = s\ntable = %s\nkey = id\npushdown = %s\n"
		 "poll_ms = 50\ncursor = %s\nlag = 10s\n%s",
		 table, pushdown, cursor,
		 strcmp(cursor, "timestamp") == 0 ? "cursor.timestamp = loaded_at\n" : "");
	tu_write(dir, "c.ini", "w", ini);
	snprintf(path, sizeof path, "%s/c.ini", dir);
	config_defaults(cfg);
	if (config_load(cfg, path, 1, err, sizeof err) != 0)
		fail_msg("config: %s", err);
}

/* Step in until the events source has want rows and is live, idle. */
static void settle(struct ingest *in, unsigned long long want)
{
	const struct ingest_source *s = ingest_source(in, 0);
	for (int i = 0; i < 1500; i++) {
		while (ingest_step(in, 1 << 22) & INGEST_MORE)
			;
		if (s->rows + s->rejected >= want && !strcmp(ingest_db_state(s), "live"))
			return;
		poll(NULL, 0, 10);
	}
	fail_msg("the source has %llu of %llu rows, %s", (unsigned long long)s->rows, want,
		 ingest_db_state(s));
}

static const char *const COLS = "\"timestamp\", customer_id, campaign_id, event, value, machine";

static void test_seed_then_live(void **state)
{
	(void)state;
	if (!getenv("PGHOST"))
		skip();
	char q[1024];
	/* every row of sample_data's events, in file order */
	sql("DROP TABLE IF EXISTS seed_src");
	sql("CREATE TABLE seed_src (id bigserial, \"timestamp\" timestamptz, customer_id text, "
	    "campaign_id text, event text, value numeric, machine boolean)");
	snprintf(q, sizeof q,
		 "psql -q -v ON_ERROR_STOP=1 -c \"\\copy seed_src (%s) from "
		 "'sample_data/events.csv' csv header\"",
		 "\\\"timestamp\\\", customer_id, campaign_id, event, value, machine");
	assert_int_equal(system(q), 0);
	long long total = count("SELECT count(*) FROM seed_src");
	assert_true(total > 70000);

	/* the reference: one raw read of all the rows */
	struct config cfg;
	load_config(&cfg, "seed_src", "off", "auto");
	struct ingest *in = ingest_new(&cfg, dir);
	ingest_read_all(in);
	assert_string_equal(ingest_db_pushdown(ingest_source(in, 0)), "off");
	static const int windows[] = {7, 30, 90, 0};
	char *want[4];
	for (int w = 0; w < 4; w++)
		want[w] = report(in, &cfg, windows[w]);
	ingest_free(in);
	config_free(&cfg);

	/* live past the xid horizon, by id (the watermark the pushdown
	 * leaves: the highest id and the holes below it) and by the
	 * loader's time (the keys of the last lag) */
	const struct {
		long long k;
		const char *cursor;
	} ks[] = {{0, "auto"},	       {1, "auto"},	 {20000, "auto"},    {total, "auto"},
		  {30000, "id"},       {0, "timestamp"}, {30000, "timestamp"}, {total, "timestamp"}};
	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		long long k = ks[i].k;
		const char *cursor = ks[i].cursor;
		sql("DROP TABLE IF EXISTS seed_k");
		sql("CREATE TABLE seed_k (id bigint PRIMARY KEY, xid xid8 NOT NULL DEFAULT "
		    "pg_current_xact_id(), loaded_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
		    "\"timestamp\" timestamptz, customer_id text, "
		    "campaign_id text, event text, value numeric, machine boolean)");
		snprintf(q, sizeof q,
			 "INSERT INTO seed_k (id, %s) SELECT id, %s FROM seed_src WHERE id <= %lld",
			 COLS, COLS, k);
		sql(q);
		load_config(&cfg, "seed_k", "on", cursor);
		in = ingest_new(&cfg, dir);
		ingest_read_all(in);
		const struct ingest_source *s = ingest_source(in, 0);
		assert_string_equal(ingest_db_pushdown(s), "on");
		assert_int_equal(s->rows + s->rejected, (unsigned long long)k);
		char how[200], want_how[64];
		snprintf(want_how, sizeof want_how, "cursor %s",
			 strcmp(cursor, "auto") == 0 ? "xid" : cursor);
		ingest_db_detail(s, how, sizeof how);
		if (strncmp(how, want_how, strlen(want_how)) != 0)
			fail_msg("cursor = %s reads as \"%s\"", cursor, how);
		/* the rest arrives while it is live: in two commits */
		snprintf(q, sizeof q,
			 "INSERT INTO seed_k (id, %s) SELECT id, %s FROM seed_src WHERE id > %lld "
			 "AND id <= %lld",
			 COLS, COLS, k, k + (total - k) / 2);
		sql(q);
		snprintf(q, sizeof q,
			 "INSERT INTO seed_k (id, %s) SELECT id, %s FROM seed_src WHERE id > %lld",
			 COLS, COLS, k + (total - k) / 2);
		sql(q);
		settle(in, (unsigned long long)total);
		for (int w = 0; w < 4; w++) {
			char *got = report(in, &cfg, windows[w]);
			if (strcmp(got, want[w]) != 0) {
				size_t j = 0;
				while (got[j] && got[j] == want[w][j])
					j++;
				fail_msg("cursor %s, k = %lld, window %d: seeded + live differs from one read at "
					 "byte %zu: ...%.120s... against ...%.120s...",
					 cursor, k, windows[w], j, got + (j > 40 ? j - 40 : 0),
					 want[w] + (j > 40 ? j - 40 : 0));
			}
			free(got);
		}
		ingest_free(in);
		config_free(&cfg);
	}
	for (int w = 0; w < 4; w++)
		free(want[w]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_then_live),
	};
	dir = tu_tmpdir();
	if (getenv("PGHOST")) {
		db = PQconnectdb("");
		if (PQstatus(db) != CONNECTION_OK) {
			fprintf(stderr, "test_pgseed: %s", PQerrorMessage(db));
			return 1;
		}
	}
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	PQfinish(db);
	tu_rmrf(dir);
	return r;
}
