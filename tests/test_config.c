/* Unit tests for config: defaults, every [general] key, source sections and
 * their mappings, error messages naming file, line and key, and the example
 * configs for the real exports in sample_data/realdata/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/schema.h"

static char tc_err[1024];

/* Write text to a fresh dir/config.ini and load it on top of the defaults;
 * returns config_load's status. *dir gets the directory (caller removes). */
static int tc_load(struct config *cfg, char **dir, const char *text)
{
	char path[4096];

	*dir = tu_tmpdir();
	tu_write(*dir, "config.ini", "w", text);
	snprintf(path, sizeof path, "%s/config.ini", *dir);
	config_defaults(cfg);
	return config_load(cfg, path, 1, tc_err, sizeof tc_err);
}

static void tc_done(struct config *cfg, char *dir)
{
	config_free(cfg);
	tu_rmrf(dir);
	free(dir);
}

static const struct config_source *tc_source(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nsources; i++)
		if (strcmp(cfg->sources[i].name, name) == 0)
			return &cfg->sources[i];
	return NULL;
}

static void test_defaults(void **state)
{
	struct config cfg;

	config_defaults(&cfg);
	assert_null(cfg.file);
	assert_null(cfg.data_dir);
	assert_null(cfg.theme);
	assert_int_equal(cfg.window_days, 30);
	assert_int_equal(cfg.refresh_ms, 250);
	assert_int_equal(cfg.poll_ms, 500);
	assert_int_equal(cfg.now_clock, 0);
	assert_true(cfg.gross_margin == 1.0);
	assert_int_equal(cfg.nps_min_n, 30);
	assert_true(cfg.nps_max_moe == 10.0);
	assert_int_equal(cfg.engaged_events, 1u << SCHEMA_EV_CLICK | 1u << SCHEMA_EV_CONVERSION);
	assert_int_equal(cfg.hve_events, 1u << SCHEMA_EV_CONVERSION);
	assert_true(cfg.complaint_rate_max == 0.001);
	assert_true(cfg.machine_open_share > 0.3333 && cfg.machine_open_share < 0.3334);
	assert_true(cfg.nps_shift_points == 3.0);
	assert_true(cfg.detractor_mean_drop == 1.0);
	assert_true(cfg.hard_share_rise == 0.05);
	assert_true(cfg.response_drop == 0.05);
	assert_true(cfg.response_rate_min == 0.10);

	assert_int_equal(cfg.nsources, SCHEMA_KIND_COUNT);
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++) {
		const struct config_source *s = &cfg.sources[k];
		assert_int_equal(s->kind, k);
		assert_string_equal(s->name, schema_kind_name(k));
		assert_string_equal(s->path, schema_kind_default_file(k));
		assert_int_equal(s->delimiter, ',');
		assert_int_equal(s->encoding, CONFIG_ENC_UTF8);
		assert_int_equal(s->line, 0);
		assert_int_equal(s->nwords, 0);
		for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
			assert_null(s->col[c]);
			assert_null(s->konst[c]);
		}
		assert_int_equal(s->nna, 4);
		assert_string_equal(s->na[0], "");
		assert_string_equal(s->na[1], "NA");
		assert_string_equal(s->na[2], "N/A");
		assert_string_equal(s->na[3], "null");
	}
	config_free(&cfg);
	config_free(&cfg); /* safe twice */
	config_free(NULL);
}

static void test_general_keys(void **state)
{
	struct config cfg;
	char *dir;

	assert_int_equal(tc_load(&cfg, &dir,
		"; every [general] key\n"
		"[general]\n"
		"data_dir = data\n"
		"window = 7d\n"
		"refresh_ms = 500\n"
		"poll_ms = 2000\n"
		"now = clock\n"
		"theme = light\n"
		"gross_margin = 60%\n"
		"nps_min_n = 50\n"
		"nps_max_moe = 7.5\n"
		"engaged_events = open, click\n"
		"hve_events = conversion,click\n"
		"complaint_rate_max = 0.2%\n"
		"machine_open_share = 0.5\n"
		"nps_shift_points = 4\n"
		"detractor_mean_drop = 0.5\n"
		"hard_share_rise = 10%\n"
		"response_drop = 0.02\n"
		"response_rate_min = 15 %\n"), 0);
	assert_non_null(strstr(cfg.file, "config.ini"));
	/* relative to the config file's directory */
	assert_non_null(cfg.data_dir);
	assert_int_equal(strncmp(cfg.data_dir, dir, strlen(dir)), 0);
	assert_string_equal(cfg.data_dir + strlen(dir), "/data");
	assert_int_equal(cfg.window_days, 7);
	assert_int_equal(cfg.refresh_ms, 500);
	assert_int_equal(cfg.poll_ms, 2000);
	assert_int_equal(cfg.now_clock, 1);
	assert_string_equal(cfg.theme, "light");
	assert_true(cfg.gross_margin > 0.5999 && cfg.gross_margin < 0.6001);
	assert_int_equal(cfg.nps_min_n, 50);
	assert_true(cfg.nps_max_moe == 7.5);
	assert_int_equal(cfg.engaged_events, 1u << SCHEMA_EV_OPEN | 1u << SCHEMA_EV_CLICK);
	assert_int_equal(cfg.hve_events, 1u << SCHEMA_EV_CONVERSION | 1u << SCHEMA_EV_CLICK);
	assert_true(cfg.complaint_rate_max > 0.00199 && cfg.complaint_rate_max < 0.00201);
	assert_true(cfg.machine_open_share == 0.5);
	assert_true(cfg.nps_shift_points == 4.0);
	assert_true(cfg.detractor_mean_drop == 0.5);
	assert_true(cfg.hard_share_rise > 0.0999 && cfg.hard_share_rise < 0.1001);
	assert_true(cfg.response_drop == 0.02);
	assert_true(cfg.response_rate_min > 0.1499 && cfg.response_rate_min < 0.1501);
	/* no source section: the five defaults stay */
	assert_int_equal(cfg.nsources, SCHEMA_KIND_COUNT);
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "[general]\nwindow = all\nnow = data\ndata_dir = /srv/cx\n"), 0);
	assert_int_equal(cfg.window_days, 0);
	assert_int_equal(cfg.now_clock, 0);
	assert_string_equal(cfg.data_dir, "/srv/cx");
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "[general]\ndata_dir = .\n"), 0);
	assert_string_equal(cfg.data_dir, dir);
	tc_done(&cfg, dir);
}

static void test_parse_window(void **state)
{
	assert_int_equal(config_parse_window("7d"), 7);
	assert_int_equal(config_parse_window("30d"), 30);
	assert_int_equal(config_parse_window("90D"), 90);
	assert_int_equal(config_parse_window("all"), 0);
	assert_int_equal(config_parse_window("14d"), -1);
	assert_int_equal(config_parse_window(""), -1);
	assert_int_equal(config_parse_window("30"), -1);
}

static void test_source_mapping(void **state)
{
	struct config cfg;
	const struct config_source *r, *e;
	char *dir;

	assert_int_equal(tc_load(&cfg, &dir,
		"[responses]\n"
		"path = survey-*.csv\n"
		"delimiter = ;\n"
		"encoding = latin1\n"
		"na = NA, -, n/a\n"
		"col.customer_id = Email Address\n"
		"col.score = Score\n"
		"const.survey = csat\n"
		"const.timestamp = 2024-05-01\n"
		"\n"
		"[events]\n"
		"path = activity.tsv\n"
		"delimiter = tab\n"
		"encoding = UTF-8\n"
		"event.open = Opened Email, opened\n"
		"event.click = Clicked\n"
		"event.open = Viewed\n"), 0);
	/* the file names its sources: only those two */
	assert_int_equal(cfg.nsources, 2);
	r = tc_source(&cfg, "responses");
	assert_non_null(r);
	assert_int_equal(r->kind, SCHEMA_RESPONSES);
	assert_int_equal(r->line, 1);
	assert_string_equal(r->path, "survey-*.csv");
	assert_int_equal(r->delimiter, ';');
	assert_int_equal(r->encoding, CONFIG_ENC_LATIN1);
	assert_string_equal(r->col[SCHEMA_COL_CUSTOMER_ID], "Email Address");
	assert_string_equal(r->col[SCHEMA_COL_SCORE], "Score");
	assert_null(r->col[SCHEMA_COL_TIMESTAMP]);
	assert_string_equal(r->konst[SCHEMA_COL_SURVEY], "csat");
	assert_string_equal(r->konst[SCHEMA_COL_TIMESTAMP], "2024-05-01");
	assert_int_equal(r->nna, 4);
	assert_string_equal(r->na[0], "");
	assert_string_equal(r->na[1], "NA");
	assert_string_equal(r->na[2], "-");
	assert_string_equal(r->na[3], "n/a");

	e = tc_source(&cfg, "events");
	assert_non_null(e);
	assert_int_equal(e->kind, SCHEMA_EVENTS);
	assert_int_equal(e->line, 11);
	assert_string_equal(e->path, "activity.tsv");
	assert_int_equal(e->delimiter, '\t');
	assert_int_equal(e->encoding, CONFIG_ENC_UTF8);
	assert_int_equal(e->nwords, 4);
	assert_string_equal(e->words[0].word, "Opened Email");
	assert_int_equal(e->words[0].event, SCHEMA_EV_OPEN);
	assert_string_equal(e->words[1].word, "opened");
	assert_int_equal(e->words[1].event, SCHEMA_EV_OPEN);
	assert_string_equal(e->words[2].word, "Clicked");
	assert_int_equal(e->words[2].event, SCHEMA_EV_CLICK);
	assert_string_equal(e->words[3].word, "Viewed");
	assert_int_equal(e->words[3].event, SCHEMA_EV_OPEN);
	assert_int_equal(e->nna, 4); /* default list */
	tc_done(&cfg, dir);

	/* a source section without keys still replaces the defaults */
	assert_int_equal(tc_load(&cfg, &dir, "[general]\nwindow = 90d\n\n[campaigns]\n"), 0);
	assert_int_equal(cfg.nsources, 1);
	assert_string_equal(cfg.sources[0].path, "campaigns.csv");
	assert_int_equal(cfg.sources[0].line, 4);
	tc_done(&cfg, dir);
}

static void test_second_events_source(void **state)
{
	struct config cfg;
	const struct config_source *e, *u;
	char *dir;

	assert_int_equal(tc_load(&cfg, &dir,
		"[events]\n"
		"path = activity.csv\n"
		"[events:unsubscribes]\n"
		"path = unsubscribes.csv\n"
		"const.event = unsubscribe\n"), 0);
	assert_int_equal(cfg.nsources, 2);
	e = tc_source(&cfg, "events");
	u = tc_source(&cfg, "events:unsubscribes");
	assert_non_null(e);
	assert_non_null(u);
	assert_int_equal(e->kind, SCHEMA_EVENTS);
	assert_int_equal(u->kind, SCHEMA_EVENTS);
	assert_string_equal(e->path, "activity.csv");
	assert_string_equal(u->path, "unsubscribes.csv");
	assert_null(e->konst[SCHEMA_COL_EVENT]);
	assert_string_equal(u->konst[SCHEMA_COL_EVENT], "unsubscribe");
	tc_done(&cfg, dir);

	/* [events:x] has no default file: events.csv is [events]'s */
	assert_int_equal(tc_load(&cfg, &dir, "[events]\n[events:x]\ncol.value = amount\n"), -1);
	assert_non_null(strstr(tc_err, ":2: key 'path'"));
	tc_done(&cfg, dir);
}

static void test_unknown_key(void **state)
{
	struct config cfg;
	char *dir;

	assert_int_equal(tc_load(&cfg, &dir, "[general]\nwindow = 7d\nbogus = 1\n"), -1);
	assert_non_null(strstr(tc_err, "/config.ini:3: key 'bogus'"));
	assert_int_equal(strncmp(tc_err, dir, strlen(dir)), 0);
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "[responses]\n\n  colour = red\n"), -1);
	assert_non_null(strstr(tc_err, "config.ini:3: key 'colour'"));
	tc_done(&cfg, dir);

	/* a column of another kind */
	assert_int_equal(tc_load(&cfg, &dir, "[events]\ncol.score = Score\n"), -1);
	assert_non_null(strstr(tc_err, "config.ini:2: key 'col.score'"));
	assert_non_null(strstr(tc_err, "timestamp, customer_id"));
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "[events]\nevent.opened = Opened\n"), -1);
	assert_non_null(strstr(tc_err, ":2: key 'event.opened'"));
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "window = 7d\n"), -1);
	assert_non_null(strstr(tc_err, ":1: key 'window'"));
	tc_done(&cfg, dir);

	/* an unknown section is reported even with no keys in it */
	assert_int_equal(tc_load(&cfg, &dir, "[general]\n; x\n[evnets]\n"), -1);
	assert_non_null(strstr(tc_err, "config.ini:3: unknown section [evnets]"));
	tc_done(&cfg, dir);

	assert_int_equal(tc_load(&cfg, &dir, "[general]\nthis is not a key\n"), -1);
	assert_non_null(strstr(tc_err, "config.ini:2:"));
	tc_done(&cfg, dir);
}

static void test_bad_values(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "[general]\nwindow = 14d\n", ":2: key 'window': '14d'" },
		{ "[general]\nrefresh_ms = fast\n", ":2: key 'refresh_ms'" },
		{ "[general]\npoll_ms = 1.5\n", ":2: key 'poll_ms'" },
		{ "[general]\nnow = later\n", ":2: key 'now'" },
		{ "[general]\nhard_share_rise = 5\n", ":2: key 'hard_share_rise'" },
		{ "[general]\ncomplaint_rate_max = 120%\n", ":2: key 'complaint_rate_max'" },
		{ "[general]\nnps_max_moe = -1\n", ":2: key 'nps_max_moe'" },
		{ "[general]\nengaged_events = click, like\n", ":2: key 'engaged_events': unknown event 'like'" },
		{ "[general]\nhve_events = ,\n", ":2: key 'hve_events'" },
		{ "[general]\ntheme =\n", ":2: key 'theme'" },
		{ "[events]\ndelimiter = ::\n", ":2: key 'delimiter'" },
		{ "[events]\nencoding = utf-32\n", ":2: key 'encoding'" },
		{ "[events]\nconst.event = opened\n", ":2: key 'const.event'" },
		{ "[responses]\nconst.survey = ces2\n", ":2: key 'const.survey'" },
		{ "[responses]\nconst.timestamp = May 1st\n", ":2: key 'const.timestamp'" },
		{ "[responses]\ncol.score = S\nconst.score = 5\n", ":3: key 'const.score'" },
		{ "[responses]\nevent.open = x\n", ":2: key 'event.open'" },
		{ "[events]\nevent.open = x\nevent.click = X\n", ":3: key 'event.click': 'X' is already mapped to open" },
		{ "[events]\ncol.event = \"Event\n", ":2: key 'col.event': missing closing quote" },
		{ "[events:]\n", ":1: unknown section [events:]" },
		{ "[events]\ndate_format = %d.%m.%Q\n", ":2: key 'date_format': %Q is not a date_format directive" },
		{ "[events]\ndate_format = %d.%m\n", ":2: key 'date_format': date_format '%d.%m' has no year" },
		{ "[customers]\ndate_format.segment = %d.%m.%Y\n", ":2: key 'date_format.segment': segment is not a date column" },
		{ "[customers]\ndate_format.when = %d.%m.%Y\n", ":2: key 'date_format.when': [customers] has no column 'when'" },
		{ "[events]\ntimezone = Europe/Berln\n", ":2: key 'timezone': unknown time zone 'Europe/Berln'" },
		{ "[general]\ntimezone = ../../etc/passwd\n", ":2: key 'timezone': '../../etc/passwd' is not a time zone name" },
		{ "[general]\nzone.AST = 3\n", ":2: key 'zone.AST': '3' is not an offset" },
		{ "[events]\nzone.A1 = +01:00\n", ":2: key 'zone.A1': 'A1' is not a zone abbreviation" },
		{ "[responses]\nignore = segment, what\n", ":2: key 'ignore': [responses] has no column 'what'" },
		{ "[responses]\ncol.segment = S\nignore = segment\n", ":3: key 'ignore': segment is also mapped" },
		{ "[responses]\nignore = segment\ncol.segment = S\n", ":3: key 'col.segment': segment is in ignore" },
		{ "[responses]\nmap.score = Very easy: seven\n", ":2: key 'map.score': 'Very easy: seven': not a whole-number score" },
		{ "[responses]\nmap.survey = *Satisfaction*: sat\n", ":2: key 'map.survey': '*Satisfaction*: sat': not nps, csat or ces" },
		{ "[responses]\nmap.score = Very easy 7\n", ":2: key 'map.score': 'Very easy 7' has no ':' between label and value" },
		{ "[responses]\nmap.score = A: 1, a: 2\n", ":2: key 'map.score': label 'a' is given twice" },
		{ "[responses]\nmap.score = B: 2, \"A: 1\n", ":2: key 'map.score': a missing closing quote" },
		{ "[events]\nmap.event = Opened: opened\n", ":2: key 'map.event': 'Opened: opened': not a canonical event name" },
		{ "[responses]\nscale.nps = 1-5\n", ":2: key 'scale.nps': 'nps' is not csat or ces" },
		{ "[responses]\nscale.csat = 2-0\n", ":2: key 'scale.csat': '2-0' is not a scale" },
		{ "[events]\nscale.csat = 0-2\n", ":2: key 'scale.csat': survey scales apply to responses sources" },
		{ "[database:]\n", ":1: [database:]: a name of letters" },
		{ "[database:w h]\n", ":1: [database:w h]: a name of letters" },
		{ "[database:w]\nhost = x\n", ":2: key 'host': unknown key in [database:w]" },
		{ "[database:w]\npassword = secret\n", ":2: key 'password': no password in the config" },
		{ "[database:w]\nsslmode = maybe\n", ":2: key 'sslmode': 'maybe' is not an sslmode" },
		{ "[database:w]\nconnect_timeout = soon\n", ":2: key 'connect_timeout': 'soon' is not a duration" },
		{ "[database:w]\nwork_mem = lots\n", ":2: key 'work_mem': 'lots' is not a size" },
		{ "[events]\ndatabase = nope\ntable = t\n", ":1: key 'database': no [database:nope] section for [events]" },
		{ "[database:w]\n[events]\ndatabase = w\ntable = t\nquery = SELECT 1\n", ":2: key 'query': [events] reads a table or a query, one of them" },
		{ "[database:w]\n[events]\ndatabase = w\n", ":2: key 'table': [events] reads a table or a query" },
		{ "[events]\ntable = t\n", ":1: key 'table': goes with database = NAME in [events]" },
		{ "[events]\ntable = a..b\n", ":2: key 'table': 'a..b' is not a table" },
		{ "[events]\nquery = DROP TABLE x\n", ":2: key 'query': a query is a SELECT" },
		{ "[events]\ncursor = lsn\n", ":2: key 'cursor': 'lsn' is not auto, xid, id, timestamp or none" },
		{ "[events]\npushdown = maybe\n", ":2: key 'pushdown': 'maybe' is not auto, on or off" },
		{ "[events]\nlag = -1s\n", ":2: key 'lag': '-1s' is not a duration" },
		{ "[events]\npoll_ms = 10\n", ":2: key 'poll_ms': '10' is not a whole number from 50" },
		{ "[database:w]\n[events]\ndatabase = w\ntable = t\ncursor = timestamp\nkey = id\n", ":2: key 'cursor': cursor = timestamp in [events] needs key = COLUMN (a unique integer id) and cursor.timestamp = COLUMN" },
		{ "[database:w]\n[events]\ndatabase = w\ntable = t\ncursor.timestamp = loaded_at\n", ":2: key 'cursor.timestamp': goes with cursor = timestamp in [events]" },
		{ "[events]\ncursor.timestamp = loaded_at\n", ":1: key 'cursor.timestamp': goes with database = NAME in [events]" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config cfg;
		char *dir;
		int rc = tc_load(&cfg, &dir, cases[i].text);
		if (rc != -1 || !strstr(tc_err, cases[i].want))
			fail_msg("case %zu: rc %d, err \"%s\", want \"%s\"", i, rc, tc_err, cases[i].want);
		tc_done(&cfg, dir);
	}
}

/* date_format per source and per column, timezone and zone.X in
 * [general] and per source: the source's own wins, wherever [general] is. */
static void test_dates_and_zones(void **state)
{
	struct config cfg;
	char *dir;
	int rc = tc_load(&cfg, &dir,
			 "[customers]\n"
			 "date_format = %d.%m.%Y\n"
			 "date_format.churn_date = %m/%d/%y\n"
			 "timezone = America/New_York\n"
			 "zone.AST = +03:00\n"
			 "[responses]\n"
			 "ignore = segment, comment\n"
			 "[general]\n"
			 "timezone = Europe/Berlin\n"
			 "zone.AST = -04:00\n"
			 "zone.XST = +05:00\n");
	if (rc != 0)
		fail_msg("%s", tc_err);
	const struct config_source *c = tc_source(&cfg, "customers");
	const struct config_source *r = tc_source(&cfg, "responses");
	assert_string_equal(config_datefmt_of(c, SCHEMA_COL_SIGNUP_DATE)->text, "%d.%m.%Y");
	assert_string_equal(config_datefmt_of(c, SCHEMA_COL_CHURN_DATE)->text, "%m/%d/%y");
	assert_null(config_datefmt_of(r, SCHEMA_COL_TIMESTAMP));
	assert_string_equal(tz_name(c->tz), "America/New_York");
	assert_string_equal(tz_name(r->tz), "Europe/Berlin");
	int off;
	assert_int_equal(tz_abbrev_find(c->abbrevs, c->nabbrevs, "AST", 3, &off), 0);
	assert_int_equal(off, 3 * 3600); /* the section's own */
	assert_int_equal(tz_abbrev_find(c->abbrevs, c->nabbrevs, "XST", 3, &off), 0);
	assert_int_equal(off, 5 * 3600); /* [general]'s, below it in the file */
	assert_int_equal(tz_abbrev_find(r->abbrevs, r->nabbrevs, "AST", 3, &off), 0);
	assert_int_equal(off, -4 * 3600);
	assert_int_equal(r->ignore, (1u << SCHEMA_COL_SEGMENT) | (1u << SCHEMA_COL_COMMENT));
	assert_int_equal(cfg.nzones, 2); /* each zone loaded once */
	tc_done(&cfg, dir);
}

/* [database:NAME] sections and database sources (SPEC 8): every key read
 * as written, the source's path naming it "source@database". */
static void test_database_sources(void **state)
{
	struct config cfg;
	char *dir;
	int rc = tc_load(&cfg, &dir,
			 "[database:warehouse]\n"
			 "dsn = host=/tmp dbname=crm\n"
			 "sslmode = verify-full\n"
			 "connect_timeout = 3\n"
			 "statement_timeout = 5min\n"
			 "work_mem = 64MB\n"
			 "[events]\n"
			 "database = warehouse\n"
			 "table = analytics.email_events\n"
			 "key = id\n"
			 "cursor = xid\n"
			 "lag = 500ms\n"
			 "pushdown = off\n"
			 "listen = cxtop_events\n"
			 "poll_ms = 2000\n"
			 "[customers]\n"
			 "database = warehouse\n"
			 "query = SELECT id AS customer_id, created AS signup_date FROM crm.people\n");
	if (rc != 0)
		fail_msg("%s", tc_err);
	const struct config_database *d = config_database_find(&cfg, "WAREHOUSE");
	assert_non_null(d);
	assert_string_equal(d->dsn, "host=/tmp dbname=crm");
	assert_string_equal(d->sslmode, "verify-full");
	assert_int_equal(d->connect_timeout_ms, 3000); /* libpq's unit: seconds */
	assert_int_equal(d->statement_timeout_ms, 300000);
	assert_string_equal(d->work_mem, "64MB");
	const struct config_source *e = tc_source(&cfg, "events");
	assert_string_equal(e->database, "warehouse");
	assert_string_equal(e->table, "analytics.email_events");
	assert_string_equal(e->key, "id");
	assert_int_equal(e->cursor, CONFIG_CURSOR_XID);
	assert_int_equal(e->lag_ms, 500);
	assert_int_equal(e->pushdown, CONFIG_PUSHDOWN_OFF);
	assert_string_equal(e->listen, "cxtop_events");
	assert_int_equal(e->poll_ms, 2000);
	assert_string_equal(e->path, "events@warehouse"); /* not events.csv */
	const struct config_source *c = tc_source(&cfg, "customers");
	assert_null(c->table);
	assert_non_null(strstr(c->query, "FROM crm.people"));
	assert_null(e->cursor_ts);
	tc_done(&cfg, dir);
	/* the ingestion-time cursor: its column, beside key and lag */
	rc = tc_load(&cfg, &dir,
		     "[database:w]\n[events]\ndatabase = w\ntable = t\nkey = id\n"
		     "cursor = timestamp\ncursor.timestamp = loaded_at\nlag = 30s\n");
	if (rc != 0)
		fail_msg("%s", tc_err);
	e = tc_source(&cfg, "events");
	assert_int_equal(e->cursor, CONFIG_CURSOR_TIMESTAMP);
	assert_string_equal(e->cursor_ts, "loaded_at");
	assert_int_equal(e->lag_ms, 30000);
	tc_done(&cfg, dir);
}

static void test_missing_file(void **state)
{
	struct config cfg;

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, "/nonexistent/cxtop/config.ini", 1, tc_err, sizeof tc_err), -1);
	assert_non_null(strstr(tc_err, "/nonexistent/cxtop/config.ini"));
	assert_int_equal(config_load(&cfg, "/nonexistent/cxtop/config.ini", 0, tc_err, sizeof tc_err), 0);
	assert_null(cfg.file);
	assert_int_equal(cfg.nsources, SCHEMA_KIND_COUNT);
	config_free(&cfg);
}

static void test_header_text(void **state)
{
	struct config cfg;
	const struct config_source *r;
	char *dir, text[1024], longhdr[601];

	assert_int_equal(tc_load(&cfg, &dir,
		"[responses]\n"
		"col.score = On a scale of 0-10, how would you rate Sudzilla?\n"
		"col.comment = ...why?\n"
		"col.segment = \"  Segment ; \"\"tier\"\"  \"  ; quoted keeps spaces and ;\n"), 0);
	r = tc_source(&cfg, "responses");
	assert_string_equal(r->col[SCHEMA_COL_SCORE], "On a scale of 0-10, how would you rate Sudzilla?");
	assert_string_equal(r->col[SCHEMA_COL_COMMENT], "...why?");
	assert_string_equal(r->col[SCHEMA_COL_SEGMENT], "  Segment ; \"tier\"  ");
	tc_done(&cfg, dir);

	/* longer than inih's line buffer */
	memset(longhdr, 'x', sizeof longhdr - 1);
	longhdr[sizeof longhdr - 1] = '\0';
	memcpy(longhdr, "How likely, ", 12);
	longhdr[sizeof longhdr - 2] = '?';
	snprintf(text, sizeof text, "[responses]\ncol.score = %s   ; the question\nconst.survey = nps\n", longhdr);
	assert_int_equal(tc_load(&cfg, &dir, text), 0);
	r = tc_source(&cfg, "responses");
	assert_string_equal(r->col[SCHEMA_COL_SCORE], longhdr);
	assert_string_equal(r->konst[SCHEMA_COL_SURVEY], "nps");
	tc_done(&cfg, dir);
}

/* Load sample_data/realdata/NAME.ini and check every source's file exists. */
static void tc_realdata(struct config *cfg, const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "sample_data/realdata/%s.ini", name);
	config_defaults(cfg);
	if (config_load(cfg, path, 1, tc_err, sizeof tc_err) != 0)
		fail_msg("%s: %s", path, tc_err);
	assert_string_equal(cfg->data_dir, "sample_data/realdata");
	for (size_t i = 0; i < cfg->nsources; i++) {
		char file[512];
		snprintf(file, sizeof file, "%s/%s", cfg->data_dir, cfg->sources[i].path);
		if (access(file, R_OK) != 0)
			fail_msg("%s: [%s] path %s not readable", path, cfg->sources[i].name, file);
	}
}

static void test_realdata_configs(void **state)
{
	struct config cfg;
	const struct config_source *s;

	tc_realdata(&cfg, "airline");
	assert_int_equal(cfg.nsources, 1);
	s = tc_source(&cfg, "responses");
	assert_non_null(s);
	assert_string_equal(s->col[SCHEMA_COL_SCORE], "How likely are you to recommend this airline?");
	assert_string_equal(s->col[SCHEMA_COL_CUSTOMER_ID], "CustomerID");
	assert_string_equal(s->col[SCHEMA_COL_SEGMENT], "Airline");
	assert_string_equal(s->konst[SCHEMA_COL_SURVEY], "nps");
	assert_non_null(s->konst[SCHEMA_COL_TIMESTAMP]);
	config_free(&cfg);

	tc_realdata(&cfg, "sudzilla");
	assert_int_equal(cfg.nsources, 1);
	s = tc_source(&cfg, "responses");
	assert_string_equal(s->col[SCHEMA_COL_SCORE], "On a scale of 0-10, how would you rate Sudzilla?");
	assert_string_equal(s->col[SCHEMA_COL_TIMESTAMP], "Timestamp");
	assert_string_equal(s->col[SCHEMA_COL_COMMENT], "...why?");
	assert_string_equal(s->konst[SCHEMA_COL_SURVEY], "nps");
	config_free(&cfg);

	tc_realdata(&cfg, "botanic");
	assert_int_equal(cfg.nsources, 1);
	s = tc_source(&cfg, "responses");
	assert_int_equal(s->encoding, CONFIG_ENC_LATIN1);
	assert_string_equal(s->col[SCHEMA_COL_CUSTOMER_ID], "id");
	assert_string_equal(s->col[SCHEMA_COL_SCORE], "nps");
	assert_string_equal(s->col[SCHEMA_COL_COMMENT], "explication");
	assert_int_equal(s->nna, 2);
	assert_string_equal(s->na[0], "");
	assert_string_equal(s->na[1], "NA");
	config_free(&cfg);

	tc_realdata(&cfg, "mailchimp");
	assert_int_equal(cfg.nsources, 3);
	s = tc_source(&cfg, "events");
	assert_non_null(s);
	assert_string_equal(s->col[SCHEMA_COL_EVENT], "action");
	assert_string_equal(s->col[SCHEMA_COL_CUSTOMER_ID], "member_id");
	assert_true(s->nwords >= 3);
	s = tc_source(&cfg, "events:unsubscribes");
	assert_non_null(s);
	assert_int_equal(s->kind, SCHEMA_EVENTS);
	assert_string_equal(s->konst[SCHEMA_COL_EVENT], "unsubscribe");
	s = tc_source(&cfg, "campaigns");
	assert_non_null(s);
	assert_string_equal(s->col[SCHEMA_COL_CAMPAIGN_ID], "id");
	assert_string_equal(s->col[SCHEMA_COL_NAME], "title");
	assert_string_equal(s->col[SCHEMA_COL_START_DATE], "send_time");
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_general_keys),
		cmocka_unit_test(test_parse_window),
		cmocka_unit_test(test_source_mapping),
		cmocka_unit_test(test_second_events_source),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_dates_and_zones),
		cmocka_unit_test(test_database_sources),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_header_text),
		cmocka_unit_test(test_realdata_configs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
