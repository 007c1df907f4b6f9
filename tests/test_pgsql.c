/* Tests of pgsql, the pushdown's SQL, without a server: the text of each
 * statement against golden files (tests/golden/pgsql-*.sql; run with
 * CXTOP_UPDATE_GOLDEN=1 to write them after a deliberate change, then read
 * the diff), identifiers and words quoted, and the reasons a source is
 * read as raw rows instead. That the SQL gives the numbers the CSV path
 * gives is tests/pg_equiv.sh's part, against a real server. */
#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/pgsql.h"
#include "cxtop/schema.h"

static char *dir;

static void load(struct config *cfg, const char *ini)
{
	char err[512], path[4200];
	tu_write(dir, "c.ini", "w", ini);
	snprintf(path, sizeof path, "%s/c.ini", dir);
	config_defaults(cfg);
	if (config_load(cfg, path, 1, err, sizeof err) != 0)
		fail_msg("config: %s", err);
}

static const struct config_source *events_of(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->nsources; i++)
		if (cfg->sources[i].kind == SCHEMA_EVENTS)
			return &cfg->sources[i];
	fail_msg("no events source");
	return NULL;
}

/* Compare text with tests/golden/NAME (or write it). */
static void golden(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "tests/golden/%s", name);
	if (getenv("CXTOP_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s is missing (CXTOP_UPDATE_GOLDEN=1 writes it)", path);
	static char want[1 << 16];
	size_t n = fread(want, 1, sizeof want - 1, f);
	fclose(f);
	want[n] = '\0';
	if (strcmp(want, text) != 0)
		fail_msg("%s differs:\nwant: %s\ngot:  %s", path, want, text);
}

static void statements(const char *name, const struct pgsql_events *e, const char *key)
{
	char buf[1 << 16], file[128];
	char *a = pgsql_events_aggregates(e), *r = pgsql_events_rest(e, key);
	snprintf(buf, sizeof buf, "-- aggregates\n%s;\n-- rest\n%s;\n", a, r);
	snprintf(file, sizeof file, "pgsql-%s.sql", name);
	golden(file, buf);
	free(a);
	free(r);
}

/* Typed columns, an xid8 bound, config words with an apostrophe and
 * non-ASCII letters, a column name with a double quote. */
static void test_typed(void **state)
{
	(void)state;
	struct config cfg;
	load(&cfg, "[database:w]\n"
		   "[events]\ndatabase = w\ntable = analytics.events\nkey = id\n"
		   "col.customer_id = member \"id\"\n"
		   "event.open = Geöffnet\nevent.click = l'clic\nevent.sent = SENT\n");
	const struct config_source *src = events_of(&cfg);
	struct pgsql_events e = {
		.src = src,
		.from = "\"analytics\".\"events\" AS x",
		.xid = "xid",
		.ts = {"timestamp", PGSQL_T_TIMESTAMPTZ},
		.customer = {"member \"id\"", PGSQL_T_TEXT},
		.event = {"event", PGSQL_T_TEXT},
		.campaign = {"campaign_id", PGSQL_T_EXACT},
		.machine = {"machine", PGSQL_T_BOOL},
		.value = {"value", PGSQL_T_EXACT},
		.engaged_mask = cfg.engaged_events,
		.hve_mask = cfg.hve_events,
	};
	assert_null(pgsql_events_unsupported(&e));
	statements("typed", &e, "id");
	char *p = pgsql_events_aggregates(&e);
	/* quoted as PostgreSQL reads them */
	assert_non_null(strstr(p, "x.\"member \"\"id\"\"\"::text"));
	/* a pair's flags by the word: a config word with its event's aliases,
	 * in the spellings exports use (ASCII case only); an open is a
	 * machine's where the flag says so */
	assert_non_null(strstr(p, "IN ('l''clic', 'L''CLIC', 'L''clic', 'click', 'CLICK', 'Click', "
				  "'clicked', 'CLICKED', 'Clicked', 'clicked email', 'CLICKED EMAIL', "
				  "'Clicked email', 'Clicked Email') THEN 16 WHEN"));
	assert_non_null(strstr(p, "IN ('geöffnet', 'GEöFFNET', 'Geöffnet', 'open', "));
	assert_non_null(strstr(p, "'Opened Email') THEN CASE WHEN (CASE WHEN x.\"machine\" THEN 1 "
				  "ELSE 0 END) = 1 THEN 4 ELSE 12 END WHEN"));
	assert_non_null(strstr(p, "IN ('machine_open', 'MACHINE_OPEN', 'Machine_open', "
				  "'Machine_Open') THEN 4 END)::text AS flags"));
	/* only the words it knows, config words first */
	assert_non_null(strstr(p, "AND x.\"event\"::text IN ('geöffnet', 'GEöFFNET', 'Geöffnet', "
				  "'l''clic', 'L''CLIC', 'L''clic', 'sent', "));
	assert_non_null(strstr(p, "x.\"xid\" < $1::xid8"));
	free(p);
	config_free(&cfg);
}

/* Text values and flags, a date column, no campaign, a query source. */
static void test_text(void **state)
{
	(void)state;
	struct config cfg;
	load(&cfg, "[database:w]\n"
		   "[events]\ndatabase = w\nquery = SELECT * FROM e\n");
	struct pgsql_events e = {
		.src = events_of(&cfg),
		.from = "(SELECT * FROM e) AS x",
		.ts = {"timestamp", PGSQL_T_DATE},
		.customer = {"customer_id", PGSQL_T_EXACT},
		.event = {"event", PGSQL_T_OTHER},
		.machine = {"machine", PGSQL_T_TEXT},
		.value = {"value", PGSQL_T_TEXT},
		.engaged_mask = cfg.engaged_events,
		.hve_mask = cfg.hve_events,
	};
	assert_null(pgsql_events_unsupported(&e));
	statements("text", &e, NULL);
	config_free(&cfg);
}

static const char *why(const char *extra, int ts_type)
{
	static struct config cfg;
	static int loaded;
	char ini[1024];
	if (loaded)
		config_free(&cfg);
	snprintf(ini, sizeof ini, "[database:w]\n[events]\ndatabase = w\ntable = e\n%s", extra);
	load(&cfg, ini);
	loaded = 1;
	static struct pgsql_events e;
	e = (struct pgsql_events){
		.src = events_of(&cfg),
		.from = "\"e\" AS x",
		.ts = {"timestamp", ts_type},
		.customer = {"customer_id", PGSQL_T_TEXT},
		.event = {"event", PGSQL_T_TEXT},
	};
	return pgsql_events_unsupported(&e);
}

/* What SQL cannot read as record.c does is read as raw rows, and why. */
static void test_unsupported(void **state)
{
	(void)state;
	assert_null(why("", PGSQL_T_TIMESTAMPTZ));
	assert_string_equal(why("", PGSQL_T_TEXT), "timestamp is not a date or time type");
	assert_string_equal(why("map.event = Opened: open\n", PGSQL_T_TIMESTAMPTZ),
			    "a map. key reads the values");
	assert_string_equal(why("decimal = comma\n", PGSQL_T_TIMESTAMPTZ),
			    "numbers are read in a local style");
	assert_string_equal(why("date_format = %d.%m.%Y\n", PGSQL_T_DATE), "date_format is set");
	assert_string_equal(why("timezone = Europe/Berlin\n", PGSQL_T_TIMESTAMP),
			    "timestamp has no time zone and a timezone is set");
	assert_null(why("timezone = Europe/Berlin\n", PGSQL_T_TIMESTAMPTZ));
	assert_string_equal(why("const.campaign_id = spring\n", PGSQL_T_TIMESTAMPTZ),
			    "a const. key sets a column");
	why("", PGSQL_T_TIMESTAMPTZ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_unsupported),
	};
	dir = tu_tmpdir();
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	tu_rmrf(dir);
	return r;
}
