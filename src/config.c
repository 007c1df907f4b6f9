/* config: the INI file of SPEC section 5 read into struct config.
 * See include/cxtop/config.h.
 *
 * The file is read by inifile (libinih with line numbers, long and quoted
 * values, the first error as "FILE:LINE: key 'K': reason"); this module
 * only says what each section and key means. A source exists from its
 * section header on, so its line is the header's.
 *
 * Thresholds are stored as fractions (0.05) and may be written either way:
 * a bare number is a fraction 0-1, a number with '%' is a percentage ("5%",
 * "0.1%"). A bare number above 1 is refused rather than guessed at, since
 * "5" could mean 5 % or a mistake. Scores in points (nps_max_moe,
 * nps_shift_points, detractor_mean_drop) are plain numbers.
 *
 * The first error stops the parse; cfg is then partly updated but still
 * valid for config_free(). */
#include "cxtop/config.h"

#include "cxtop/inifile.h"
#include "cxtop/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

enum config_sec { CONFIG_SEC_NONE, CONFIG_SEC_GENERAL, CONFIG_SEC_SOURCE, CONFIG_SEC_DATABASE };

struct config_state {
	struct config *cfg;
	struct inifile *ini;    /* the file being read: path, line, error */
	enum config_sec sec;
	size_t cur;             /* index of the current source in cfg->sources */
	size_t db;              /* index of the current [database:NAME] */
	int named_source;       /* this file has had a source section */
	/* section name -> source index + 1 (open addressing, case-folded), so
	 * a config of 100,000 sections is read in linear time; rebuilt when
	 * the defaults are dropped and indices move */
	size_t *names;
	size_t nnames_cap;      /* slots, a power of two; 0 = not built */
	size_t sources_cap;
};

static const char *const config_default_na[] = { "", "NA", "N/A", "null" };

/* ---- sources ----------------------------------------------------------- */

static void config_set_na(struct config_source *src, const char *const *words, size_t n)
{
	for (size_t i = 0; i < src->nna; i++)
		free(src->na[i]);
	free(src->na);
	src->na = xcalloc(n, sizeof *src->na);
	src->nna = n;
	for (size_t i = 0; i < n; i++)
		src->na[i] = xstrdup(words[i]);
}

static void config_source_init(struct config_source *src, int kind, const char *name,
			       const char *path, int line)
{
	memset(src, 0, sizeof *src);
	src->kind = kind;
	src->name = xstrdup(name);
	src->path = path ? xstrdup(path) : NULL;
	src->delimiter = ',';
	src->header_rows = 1;
	src->line = line;
	for (int k = 0; k < SCHEMA_SURVEY_COUNT; k++) {
		schema_survey_range(k, &src->scale[k].lo, &src->scale[k].hi);
	}
	config_set_na(src, config_default_na,
		      sizeof config_default_na / sizeof config_default_na[0]);
}

static void config_source_free(struct config_source *src)
{
	free(src->name);
	free(src->path);
	for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
		free(src->col[c]);
		free(src->konst[c]);
	}
	for (size_t i = 0; i < src->nwords; i++)
		free(src->words[i].word);
	free(src->words);
	for (size_t i = 0; i < src->nna; i++)
		free(src->na[i]);
	free(src->na);
	free(src->datefmts);
	free(src->abbrevs);
	free(src->database);
	free(src->table);
	free(src->query);
	free(src->key);
	free(src->cursor_ts);
	free(src->listen);
	for (size_t i = 0; i < src->nmaps; i++)
		valmap_free(src->maps[i].map);
	free(src->maps);
	memset(src, 0, sizeof *src);
}

static struct config_source *config_add_source(struct config *cfg, size_t *cap)
{
	if (*cap < cfg->nsources)
		*cap = cfg->nsources; /* sources from an earlier load */
	cfg->sources = xgrow(cfg->sources, cap, cfg->nsources + 1, sizeof *cfg->sources);
	return &cfg->sources[cfg->nsources++];
}

static uint64_t config_name_hash(const char *s)
{
	uint64_t h = UTIL_FNV_INIT;
	for (; *s; s++) {
		char c = (char)util_lower((unsigned char)*s);
		h = util_fnv(h, &c, 1);
	}
	return h;
}

static void config_names_put(struct config_state *st, size_t idx)
{
	size_t mask = st->nnames_cap - 1;
	size_t k = (size_t)config_name_hash(st->cfg->sources[idx].name) & mask;
	while (st->names[k])
		k = (k + 1) & mask;
	st->names[k] = idx + 1;
}

/* The index of the source named name (case-insensitive), or SIZE_MAX. */
static size_t config_names_find(struct config_state *st, const char *name)
{
	struct config *cfg = st->cfg;
	if (!st->nnames_cap || st->nnames_cap < 2 * (cfg->nsources + 1)) {
		size_t cap = 64;
		while (cap < 4 * (cfg->nsources + 1))
			cap *= 2;
		free(st->names);
		st->names = xcalloc(cap, sizeof *st->names);
		st->nnames_cap = cap;
		for (size_t i = 0; i < cfg->nsources; i++)
			config_names_put(st, i);
	}
	size_t mask = st->nnames_cap - 1;
	for (size_t k = (size_t)config_name_hash(name) & mask; st->names[k]; k = (k + 1) & mask)
		if (util_strieq(cfg->sources[st->names[k] - 1].name, name))
			return st->names[k] - 1;
	return SIZE_MAX;
}

/* Drop the default sources (line 0): the file names its own. */
static void config_drop_defaults(struct config *cfg)
{
	size_t j = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		if (cfg->sources[i].line == 0)
			config_source_free(&cfg->sources[i]);
		else
			cfg->sources[j++] = cfg->sources[i];
	}
	cfg->nsources = j;
}

/* ---- public ------------------------------------------------------------ */

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->window_days = 30;
	cfg->refresh_ms = 250;
	cfg->poll_ms = 500; /* appends show within half a second even without inotify */
	cfg->state = 1;
	cfg->state_interval = 60;
	cfg->now_clock = 0;
	cfg->gross_margin = 1.0;
	cfg->nps_min_n = 30;
	cfg->nps_max_moe = 10.0;
	cfg->engaged_events = 1u << SCHEMA_EV_CLICK | 1u << SCHEMA_EV_CONVERSION;
	cfg->hve_events = 1u << SCHEMA_EV_CONVERSION;
	cfg->complaint_rate_max = 0.001;  /* bulk-sender limit of the big mailbox providers */
	cfg->machine_open_share = 1.0 / 3.0;
	cfg->nps_shift_points = 3.0;
	cfg->detractor_mean_drop = 1.0;
	cfg->hard_share_rise = 0.05;
	cfg->response_drop = 0.05;
	cfg->response_rate_min = 0.10;
	cfg->soft_stay_margin = 0.05;
	cfg->detractors_leave_gap = 0.05;
	size_t cap = 0;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++)
		config_source_init(config_add_source(cfg, &cap), k, schema_kind_name(k),
				   schema_kind_default_file(k), 0);
}

int config_parse_window(const char *s)
{
	if (util_strieq(s, "7d"))
		return 7;
	if (util_strieq(s, "30d"))
		return 30;
	if (util_strieq(s, "90d"))
		return 90;
	if (util_strieq(s, "all"))
		return 0;
	return -1;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->file);
	free(cfg->data_dir);
	free(cfg->theme);
	for (size_t i = 0; i < cfg->nsources; i++)
		config_source_free(&cfg->sources[i]);
	free(cfg->sources);
	for (size_t i = 0; i < cfg->ndatabases; i++) {
		free(cfg->databases[i].name);
		free(cfg->databases[i].dsn);
		free(cfg->databases[i].sslmode);
		free(cfg->databases[i].work_mem);
	}
	free(cfg->databases);
	for (size_t i = 0; i < cfg->nzones; i++)
		tz_free(cfg->zones[i]);
	free(cfg->zones);
	free(cfg->abbrevs);
	memset(cfg, 0, sizeof *cfg);
}

/* ---- values ------------------------------------------------------------ */

/* A finite number filling all of s, with an optional '%' when pct is
 * non-NULL (*pct set to whether it was there). */
static int config_number(const char *s, double *out, int *pct)
{
	char *end;
	double v;

	if (pct)
		*pct = 0;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (pct && *end == '%') {
		*pct = 1;
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* Next comma-separated item of *p, trimmed, as a fresh string; NULL after
 * the last. "a,,b" has an empty middle item. */
static char *config_item(const char **p)
{
	const char *s = *p;
	const char *e;

	if (!s)
		return NULL;
	e = strchr(s, ',');
	*p = e ? e + 1 : NULL;
	return util_trim(xstrndup(s, e ? (size_t)(e - s) : strlen(s)));
}

/* Comma list of canonical event names to a bit mask; -1 on a bad name. */
static int config_event_mask(struct config_state *st, const char *key, const char *v, unsigned *out)
{
	unsigned mask = 0;
	const char *p = v;
	char *item;

	while ((item = config_item(&p))) {
		int e = item[0] ? schema_event_find(item) : -2;
		if (e == -1)
			inifile_error(st->ini, key,
				      "unknown event '%s' (use canonical names: sent, open, click, "
				      "unsubscribe, bounce, complaint, conversion ...)", item);
		free(item);
		if (e == -1)
			return -1;
		if (e >= 0)
			mask |= 1u << e;
	}
	if (!mask) {
		inifile_error(st->ini, key, "empty event list");
		return -1;
	}
	*out = mask;
	return 0;
}

/* Light check of a constant date; the full parse is record's. */
static int config_looks_like_date(const char *s)
{
	size_t n = strspn(s, "0123456789");
	if (n > 0 && s[n] == '\0')
		return 1; /* Unix epoch seconds */
	return n == 4 && s[4] == '-' && isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
	       s[7] == '-' && isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]) &&
	       (s[10] == '\0' || s[10] == 'T' || s[10] == ' ');
}

/* ---- [general] --------------------------------------------------------- */

enum config_type {
	CONFIG_T_INT,    /* integer in [lo, hi] */
	CONFIG_T_FRAC,   /* fraction in [lo, hi], or a percentage */
	CONFIG_T_POINTS, /* plain number in [lo, hi] */
	CONFIG_T_WINDOW,
	CONFIG_T_NOW,
	CONFIG_T_ONOFF,  /* on or off (yes/no, true/false, 1/0) */
	CONFIG_T_STRING,
	CONFIG_T_DIR,
	CONFIG_T_EVENTS,
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t off;
	double lo, hi;
};

#define CONFIG_KEY(name, type, lo, hi) { #name, type, offsetof(struct config, name), lo, hi }

static const struct config_key config_general_keys[] = {
	{ "data_dir", CONFIG_T_DIR, offsetof(struct config, data_dir), 0, 0 },
	{ "window", CONFIG_T_WINDOW, offsetof(struct config, window_days), 0, 0 },
	CONFIG_KEY(refresh_ms, CONFIG_T_INT, 10, 60000),
	CONFIG_KEY(poll_ms, CONFIG_T_INT, 50, 3600000),
	CONFIG_KEY(threads, CONFIG_T_INT, 0, 1024),
	CONFIG_KEY(state, CONFIG_T_ONOFF, 0, 0),
	CONFIG_KEY(state_interval, CONFIG_T_INT, 1, 86400),
	{ "now", CONFIG_T_NOW, offsetof(struct config, now_clock), 0, 0 },
	CONFIG_KEY(theme, CONFIG_T_STRING, 0, 0),
	CONFIG_KEY(gross_margin, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(nps_min_n, CONFIG_T_INT, 1, 1e9),
	CONFIG_KEY(nps_max_moe, CONFIG_T_POINTS, 0, 200),
	CONFIG_KEY(engaged_events, CONFIG_T_EVENTS, 0, 0),
	CONFIG_KEY(hve_events, CONFIG_T_EVENTS, 0, 0),
	CONFIG_KEY(complaint_rate_max, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(machine_open_share, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(nps_shift_points, CONFIG_T_POINTS, 0, 200),
	CONFIG_KEY(detractor_mean_drop, CONFIG_T_POINTS, 0, 10),
	CONFIG_KEY(hard_share_rise, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(response_drop, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(response_rate_min, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(soft_stay_margin, CONFIG_T_FRAC, 0, 1),
	CONFIG_KEY(detractors_leave_gap, CONFIG_T_FRAC, 0, 1),
};

/* data_dir relative to the directory of the config file. */
static char *config_resolve_dir(const char *cfgpath, const char *v)
{
	const char *slash = strrchr(cfgpath, '/');
	char *dir, *out;

	if (v[0] == '/' || !slash)
		return xstrdup(v);
	dir = slash == cfgpath ? xstrdup("/") : xstrndup(cfgpath, (size_t)(slash - cfgpath));
	if (strcmp(v, ".") == 0 || strcmp(v, "./") == 0)
		return dir;
	out = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", v);
	free(dir);
	return out;
}

/* ---- time zones (both [general] and source sections) ------------------ */

/* The zone named v, loaded once per config however many sources name it. */
static const struct tz *config_zone(struct config_state *st, const char *name, const char *v)
{
	char why[512];
	struct config *cfg = st->cfg;
	for (size_t i = 0; i < cfg->nzones; i++)
		if (strcmp(tz_name(cfg->zones[i]), v) == 0)
			return cfg->zones[i];
	struct tz *z = tz_load(v, why, sizeof why);
	if (!z) {
		inifile_error(st->ini, name, "%s", why);
		return NULL;
	}
	cfg->zones = xrealloc(cfg->zones, (cfg->nzones + 1) * sizeof *cfg->zones);
	cfg->zones[cfg->nzones++] = z;
	return z;
}

/* zone.X = +hh:mm into a list (a later key for the same name wins). */
static void config_abbrev(struct config_state *st, struct tz_abbrev **list, size_t *n,
			  const char *name, const char *x, const char *v)
{
	int off;
	size_t len = strlen(x);
	if (!len || len >= sizeof (*list)->name || strspn(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						  "abcdefghijklmnopqrstuvwxyz") != len) {
		inifile_error(st->ini, name, "'%s' is not a zone abbreviation (1-7 letters)", x);
		return;
	}
	if (tz_parse_offset(v, &off) < 0) {
		inifile_error(st->ini, name, "'%s' is not an offset (+01:00, -0400, UTC)", v);
		return;
	}
	size_t i = 0;
	while (i < *n && !util_strieq((*list)[i].name, x))
		i++;
	if (i == *n) {
		*list = xrealloc(*list, (*n + 1) * sizeof **list);
		(*n)++;
	}
	util_strlcpy((*list)[i].name, x, sizeof (*list)[i].name);
	(*list)[i].off = off;
}

static void config_general(struct config_state *st, const char *name, const char *v)
{
	const struct config_key *k = NULL;
	char *base = (char *)st->cfg;
	double d;
	int pct, w;

	if (util_strieq(name, "timezone")) {
		const struct tz *z = config_zone(st, name, v);
		if (z)
			st->cfg->tz = z;
		return;
	}
	if (strncasecmp(name, "zone.", 5) == 0) {
		config_abbrev(st, &st->cfg->abbrevs, &st->cfg->nabbrevs, name, name + 5, v);
		return;
	}
	for (size_t i = 0; i < sizeof config_general_keys / sizeof config_general_keys[0]; i++)
		if (util_strieq(config_general_keys[i].name, name))
			k = &config_general_keys[i];
	if (!k) {
		inifile_error(st->ini, name, "unknown key in [general]");
		return;
	}
	switch (k->type) {
	case CONFIG_T_INT:
		if (config_number(v, &d, NULL) < 0 || d != floor(d) || d < k->lo || d > k->hi)
			inifile_error(st->ini, name,
				      "'%s' is not a whole number from %.0f to %.0f",
				      v, k->lo, k->hi);
		else
			*(int *)(base + k->off) = (int)d;
		break;
	case CONFIG_T_FRAC:
		if (config_number(v, &d, &pct) < 0) {
			inifile_error(st->ini, name, "'%s' is not a number (write 0.05 or 5%%)", v);
			break;
		}
		if (pct)
			d /= 100.0;
		if (d < k->lo || d > k->hi)
			inifile_error(st->ini, name,
				      "'%s' is out of range: a fraction 0-1 or a percentage 0-100%%",
				      v);
		else
			*(double *)(base + k->off) = d;
		break;
	case CONFIG_T_POINTS:
		if (config_number(v, &d, NULL) < 0 || d < k->lo || d > k->hi)
			inifile_error(st->ini, name,
				      "'%s' is not a number from %g to %g", v, k->lo, k->hi);
		else
			*(double *)(base + k->off) = d;
		break;
	case CONFIG_T_WINDOW:
		w = config_parse_window(v);
		if (w < 0)
			inifile_error(st->ini, name,
				      "'%s' is not a window (7d, 30d, 90d or all)", v);
		else
			st->cfg->window_days = w;
		break;
	case CONFIG_T_NOW:
		if (util_strieq(v, "data"))
			st->cfg->now_clock = 0;
		else if (util_strieq(v, "clock"))
			st->cfg->now_clock = 1;
		else
			inifile_error(st->ini, name, "'%s' is not data or clock", v);
		break;
	case CONFIG_T_ONOFF:
		if (util_strieq(v, "on") || util_strieq(v, "yes") || util_strieq(v, "true") ||
		    strcmp(v, "1") == 0)
			*(int *)(base + k->off) = 1;
		else if (util_strieq(v, "off") || util_strieq(v, "no") || util_strieq(v, "false") ||
			 strcmp(v, "0") == 0)
			*(int *)(base + k->off) = 0;
		else
			inifile_error(st->ini, name, "'%s' is not on or off", v);
		break;
	case CONFIG_T_STRING:
	case CONFIG_T_DIR:
		if (!v[0]) {
			inifile_error(st->ini, name, "empty value");
			break;
		}
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = k->type == CONFIG_T_DIR
						    ? config_resolve_dir(st->ini->path, v)
						    : xstrdup(v);
		break;
	case CONFIG_T_EVENTS:
		config_event_mask(st, name, v, (unsigned *)(base + k->off));
		break;
	}
}

/* ---- source sections --------------------------------------------------- */

/* Column X of "col.X" / "const.X", checked against the source's kind. */
static int config_col(struct config_state *st, const struct config_source *src,
		      const char *name, const char *x)
{
	int c = schema_col_find(x);
	char known[256] = "";

	if (c >= 0 && schema_col_use(src->kind, c))
		return c;
	for (int i = 0; i < SCHEMA_COL_COUNT; i++) {
		if (!schema_col_use(src->kind, i))
			continue;
		if (known[0])
			strncat(known, ", ", sizeof known - strlen(known) - 1);
		strncat(known, schema_col_name(i), sizeof known - strlen(known) - 1);
	}
	inifile_error(st->ini, name, "[%s] has no column '%s' (columns: %s)", src->name, x, known);
	return -1;
}

static void config_set_col(struct config_state *st, struct config_source *src, const char *name,
			   const char *x, const char *v)
{
	int c = config_col(st, src, name, x);
	if (c < 0)
		return;
	if (!v[0]) {
		inifile_error(st->ini, name, "empty header name");
		return;
	}
	if (src->konst[c]) {
		inifile_error(st->ini, name,
			      "const.%s is also set; a column is read or constant, not both", x);
		return;
	}
	if (src->ignore & (1u << c)) {
		inifile_error(st->ini, name, "%s is in ignore; a column is read or ignored", x);
		return;
	}
	free(src->col[c]);
	src->col[c] = xstrdup(v);
}

static void config_set_const(struct config_state *st, struct config_source *src, const char *name,
			     const char *x, const char *v)
{
	int c = config_col(st, src, name, x);
	if (c < 0)
		return;
	if (!v[0]) {
		inifile_error(st->ini, name, "empty value");
		return;
	}
	if (src->col[c]) {
		inifile_error(st->ini, name,
			      "col.%s is also set; a column is read or constant, not both", x);
		return;
	}
	switch (c) {
	case SCHEMA_COL_SURVEY:
		if (schema_survey_find(v) < 0) {
			inifile_error(st->ini, name, "unknown survey '%s' (nps, csat or ces)", v);
			return;
		}
		break;
	case SCHEMA_COL_EVENT:
		if (schema_event_find(v) < 0) {
			inifile_error(st->ini, name,
				      "'%s' is not a canonical event name (sent, open, click, "
				      "unsubscribe, bounce, complaint, conversion ...)", v);
			return;
		}
		break;
	case SCHEMA_COL_TIMESTAMP:
	case SCHEMA_COL_DATE:
	case SCHEMA_COL_SIGNUP_DATE:
	case SCHEMA_COL_CHURN_DATE:
	case SCHEMA_COL_START_DATE:
		if (!config_looks_like_date(v)) {
			inifile_error(st->ini, name,
				      "'%s' is not a date (YYYY-MM-DD, a timestamp or epoch seconds)",
				      v);
			return;
		}
		break;
	default:
		break;
	}
	free(src->konst[c]);
	src->konst[c] = xstrdup(v);
}

static void config_add_words(struct config_state *st, struct config_source *src, const char *name,
			     const char *x, const char *v)
{
	int e = schema_event_find(x);
	const char *p = v;
	char *item;
	int added = 0;

	if (src->kind != SCHEMA_EVENTS) {
		inifile_error(st->ini, name,
			      "event words only apply to events sources, not [%s]", src->name);
		return;
	}
	if (e < 0) {
		inifile_error(st->ini, name,
			      "unknown event '%s' (use canonical names: sent, delivered, open, "
			      "click, unsubscribe, bounce, complaint, conversion, survey_sent, machine_open)", x);
		return;
	}
	while ((item = config_item(&p))) {
		int dup = 0;
		for (size_t i = 0; item[0] && i < src->nwords; i++) {
			if (!util_strieq(src->words[i].word, item))
				continue;
			if (src->words[i].event != e) {
				inifile_error(st->ini, name, "'%s' is already mapped to %s", item,
					      schema_event_name(src->words[i].event));
				free(item);
				return;
			}
			dup = 1;
		}
		if (!item[0] || dup) {
			added |= dup;
			free(item);
			continue;
		}
		src->words = xrealloc(src->words, (src->nwords + 1) * sizeof *src->words);
		src->words[src->nwords].word = item;
		src->words[src->nwords].event = e;
		src->nwords++;
		added = 1;
	}
	if (!added)
		inifile_error(st->ini, name, "no words given");
}

static void config_set_na_list(struct config_source *src, const char *v)
{
	const char *p = v;
	char *item;

	config_set_na(src, config_default_na, 1); /* "" is always "no answer" */
	while ((item = config_item(&p))) {
		int dup = 0;
		for (size_t i = 0; i < src->nna; i++)
			dup |= util_strieq(src->na[i], item);
		if (dup) {
			free(item);
			continue;
		}
		src->na = xrealloc(src->na, (src->nna + 1) * sizeof *src->na);
		src->na[src->nna++] = item;
	}
}

/* ---- database sections and database sources (SPEC 8) ----------------- */

/* A duration: "10s", "500ms", "5min", "2h", or a bare number of
 * bare_unit milliseconds. -1 if it is not one. */
static long config_duration_ms(const char *v, long bare_unit)
{
	char *end;
	double x = strtod(v, &end);
	if (end == v || x < 0 || !isfinite(x))
		return -1;
	while (*end == ' ')
		end++;
	double unit = !*end			    ? (double)bare_unit
		      : util_strieq(end, "ms")	    ? 1
		      : util_strieq(end, "s")	    ? 1000
		      : util_strieq(end, "min")	    ? 60000
		      : util_strieq(end, "h")	    ? 3600000
						    : -1;
	if (unit < 0 || x * unit > 86400000.0 * 7)
		return -1;
	return (long)(x * unit + 0.5);
}

const struct config_database *config_database_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ndatabases; i++)
		if (util_strieq(cfg->databases[i].name, name))
			return &cfg->databases[i];
	return NULL;
}

static void config_database_section(struct config_state *st, const char *name)
{
	struct config *cfg = st->cfg;
	if (!name[0] || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				     "0123456789_-") != strlen(name)) {
		inifile_error(st->ini, NULL, "[database:%s]: a name of letters, digits, _ and -",
			      name);
		return;
	}
	st->sec = CONFIG_SEC_DATABASE;
	for (size_t i = 0; i < cfg->ndatabases; i++)
		if (util_strieq(cfg->databases[i].name, name)) {
			st->db = i; /* a repeated section continues it */
			return;
		}
	cfg->databases = xrealloc(cfg->databases, (cfg->ndatabases + 1) * sizeof *cfg->databases);
	struct config_database *d = &cfg->databases[cfg->ndatabases];
	memset(d, 0, sizeof *d);
	d->name = xstrdup(name);
	d->dsn = xstrdup("");
	d->connect_timeout_ms = 10000;
	d->line = st->ini->lineno;
	st->db = cfg->ndatabases++;
}

static void config_database_key(struct config_state *st, const char *name, const char *v)
{
	struct config_database *d = &st->cfg->databases[st->db];
	long ms;
	if (util_strieq(name, "dsn")) {
		free(d->dsn);
		d->dsn = xstrdup(v);
	} else if (util_strieq(name, "sslmode")) {
		static const char *const modes[] = {"disable", "allow", "prefer", "require",
						    "verify-ca", "verify-full", NULL};
		size_t i = 0;
		while (modes[i] && strcmp(modes[i], v) != 0)
			i++;
		if (!modes[i]) {
			inifile_error(st->ini, name, "'%s' is not an sslmode (disable, allow, prefer, "
						     "require, verify-ca, verify-full)", v);
			return;
		}
		free(d->sslmode);
		d->sslmode = xstrdup(v);
	} else if (util_strieq(name, "connect_timeout") || util_strieq(name, "statement_timeout")) {
		/* libpq writes connect_timeout in seconds: a bare number is that */
		if ((ms = config_duration_ms(v, 1000)) < 0 || (ms == 0 && name[0] == 'c')) {
			inifile_error(st->ini, name, "'%s' is not a duration (10s, 500ms, 5min)", v);
			return;
		}
		if (name[0] == 'c' || name[0] == 'C')
			d->connect_timeout_ms = (int)ms;
		else
			d->statement_timeout_ms = (int)ms;
	} else if (util_strieq(name, "work_mem")) {
		char *end;
		strtol(v, &end, 10);
		if (end == v || !(util_strieq(end, "kB") || util_strieq(end, "MB") ||
				  util_strieq(end, "GB") || !*end)) {
			inifile_error(st->ini, name, "'%s' is not a size (64MB, 512kB, 1GB)", v);
			return;
		}
		free(d->work_mem);
		d->work_mem = xstrdup(v);
	} else if (util_strieq(name, "password")) {
		inifile_error(st->ini, name, "no password in the config: use ~/.pgpass, PGPASSFILE "
					     "or the service file");
	} else {
		inifile_error(st->ini, name, "unknown key in [database:%s] (dsn, sslmode, "
					     "connect_timeout, statement_timeout, work_mem)",
			      d->name);
	}
}

/* An identifier path as a table name may be: "table" or "schema.table". */
static int config_table_ok(const char *v)
{
	int dots = 0;
	if (!v[0] || v[0] == '.' || v[strlen(v) - 1] == '.')
		return 0;
	for (const char *p = v; *p; p++) {
		if (*p == '.') {
			if (++dots > 1 || p[1] == '.')
				return 0;
		} else if ((unsigned char)*p < 0x20 || *p == '"') {
			return 0;
		}
	}
	return 1;
}

static void config_source_db_key(struct config_state *st, struct config_source *src,
				 const char *name, const char *v)
{
	long ms;
	char **str = util_strieq(name, "database") ? &src->database
		     : util_strieq(name, "table")  ? &src->table
		     : util_strieq(name, "query")  ? &src->query
		     : util_strieq(name, "key")	   ? &src->key
		     : util_strieq(name, "listen") ? &src->listen
		     : util_strieq(name, "cursor.timestamp") ? &src->cursor_ts
						   : NULL;
	if (str) {
		if (!v[0]) {
			inifile_error(st->ini, name, "empty value");
			return;
		}
		if (str == &src->table && !config_table_ok(v)) {
			inifile_error(st->ini, name, "'%s' is not a table (table or schema.table)", v);
			return;
		}
		if (str == &src->query && strncasecmp(v, "select", 6) != 0 &&
		    strncasecmp(v, "with", 4) != 0) {
			inifile_error(st->ini, name, "a query is a SELECT (or WITH ... SELECT)");
			return;
		}
		free(*str);
		*str = xstrdup(v);
		return;
	}
	if (util_strieq(name, "cursor")) {
		static const char *const words[] = {"auto", "xid", "id", "timestamp", "none", NULL};
		int i = 0;
		while (words[i] && !util_strieq(words[i], v))
			i++;
		if (!words[i])
			inifile_error(st->ini, name, "'%s' is not auto, xid, id, timestamp or none", v);
		else
			src->cursor = i;
	} else if (util_strieq(name, "pushdown")) {
		if (util_strieq(v, "auto"))
			src->pushdown = CONFIG_PUSHDOWN_AUTO;
		else if (util_strieq(v, "on"))
			src->pushdown = CONFIG_PUSHDOWN_ON;
		else if (util_strieq(v, "off"))
			src->pushdown = CONFIG_PUSHDOWN_OFF;
		else
			inifile_error(st->ini, name, "'%s' is not auto, on or off", v);
	} else if (util_strieq(name, "lag")) {
		if ((ms = config_duration_ms(v, 1000)) < 0)
			inifile_error(st->ini, name, "'%s' is not a duration (30s, 500ms, 2min)", v);
		else
			src->lag_ms = (int)ms;
	} else { /* poll_ms */
		char *end;
		long x = strtol(v, &end, 10);
		if (*end || end == v || x < 50 || x > 3600000)
			inifile_error(st->ini, name, "'%s' is not a whole number from 50 to 3600000", v);
		else
			src->poll_ms = (int)x;
	}
}

/* ignore = segment, comment: columns of the kind that are not read even
 * where the file has them (a column of that default name holding something
 * else). */
static void config_set_ignore(struct config_state *st, struct config_source *src,
			      const char *name, const char *v)
{
	const char *p = v;
	char *item;
	unsigned mask = 0;
	while ((item = config_item(&p))) {
		int c = item[0] ? config_col(st, src, name, item) : -1;
		if (item[0] && c < 0) {
			free(item);
			return;
		}
		if (c >= 0 && (src->col[c] || src->konst[c])) {
			inifile_error(st->ini, name, "%s is also mapped by col.%s or const.%s", item,
				      item, item);
			free(item);
			return;
		}
		if (c >= 0)
			mask |= 1u << c;
		free(item);
	}
	if (!mask) {
		inifile_error(st->ini, name, "no columns given");
		return;
	}
	src->ignore = mask;
}

/* What a map.X value must be, by column: the check gives the reason a
 * value cannot be read, so the mistake is the config's, at its line. */
static const char *config_check_score(const char *v)
{
	char *end;
	long x = strtol(v, &end, 10);
	return *end || end == v || x < 0 || x > 100 ? "not a whole-number score" : NULL;
}

static const char *config_check_survey(const char *v)
{
	return schema_survey_find(v) < 0 ? "not nps, csat or ces" : NULL;
}

static const char *config_check_event(const char *v)
{
	return schema_event_find(v) < 0 ? "not a canonical event name" : NULL;
}

static const char *config_check_bool(const char *v)
{
	static const char *const words[] = {"yes", "no", "true", "false", "1", "0", "y", "n"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (util_strieq(v, words[i]))
			return NULL;
	return "not yes or no";
}

static void config_set_map(struct config_state *st, struct config_source *src, const char *name,
			   const char *x, const char *v)
{
	char why[512];
	int c = config_col(st, src, name, x);
	if (c < 0)
		return;
	const char *(*check)(const char *) = NULL;
	switch (c) {
	case SCHEMA_COL_SCORE:
		check = config_check_score;
		break;
	case SCHEMA_COL_SURVEY:
		check = config_check_survey;
		break;
	case SCHEMA_COL_EVENT:
		check = config_check_event;
		break;
	case SCHEMA_COL_OPTED_IN:
	case SCHEMA_COL_MACHINE:
		check = config_check_bool;
		break;
	default:
		break;
	}
	struct valmap *m = valmap_parse(v, check, why, sizeof why);
	if (!m) {
		inifile_error(st->ini, name, "%s", why);
		return;
	}
	size_t i = 0;
	while (i < src->nmaps && src->maps[i].col != c)
		i++;
	if (i == src->nmaps)
		src->maps = xrealloc(src->maps, ++src->nmaps * sizeof *src->maps);
	else
		valmap_free(src->maps[i].map);
	src->maps[i].col = c;
	src->maps[i].map = m;
}

const struct valmap *config_valmap_of(const struct config_source *src, int c)
{
	for (size_t i = 0; i < src->nmaps; i++)
		if (src->maps[i].col == c)
			return src->maps[i].map;
	return NULL;
}

/* scale.csat = 0-2 (and ces): the scores a source writes; nps is always
 * 0-10. record maps them onto the standard scale. */
static void config_set_scale(struct config_state *st, struct config_source *src,
			     const char *name, const char *v)
{
	const char *x = name + 6;
	int k = schema_survey_find(x);
	long lo, hi;
	char *end;
	if (src->kind != SCHEMA_RESPONSES) {
		inifile_error(st->ini, name, "survey scales apply to responses sources, not [%s]",
			      src->name);
		return;
	}
	if (k < 0 || k == SCHEMA_SURVEY_NPS) {
		inifile_error(st->ini, name, "'%s' is not csat or ces (NPS is always 0-10)", x);
		return;
	}
	lo = strtol(v, &end, 10);
	if (end == v || *end != '-' || (hi = strtol(end + 1, &end, 10), *end) || lo < 0 ||
	    hi > 100 || lo >= hi) {
		inifile_error(st->ini, name, "'%s' is not a scale LOW-HIGH (such as 0-2 or 1-5)", v);
		return;
	}
	src->scale[k].lo = (int)lo;
	src->scale[k].hi = (int)hi;
}

static int config_is_date_col(int c)
{
	return c == SCHEMA_COL_TIMESTAMP || c == SCHEMA_COL_DATE || c == SCHEMA_COL_SIGNUP_DATE ||
	       c == SCHEMA_COL_CHURN_DATE || c == SCHEMA_COL_START_DATE;
}

/* date_format (x NULL) or date_format.X. */
static void config_set_datefmt(struct config_state *st, struct config_source *src,
			       const char *name, const char *x, const char *v)
{
	char why[256];
	int c = -1;
	if (x) {
		if ((c = config_col(st, src, name, x)) < 0)
			return;
		if (!config_is_date_col(c)) {
			inifile_error(st->ini, name, "%s is not a date column", x);
			return;
		}
	}
	struct datefmt f;
	if (datefmt_compile(&f, v, why, sizeof why) < 0) {
		inifile_error(st->ini, name, "%s", why);
		return;
	}
	size_t i = 0;
	while (i < src->ndatefmts && src->datefmts[i].col != c)
		i++;
	if (i == src->ndatefmts)
		src->datefmts = xrealloc(src->datefmts, ++src->ndatefmts * sizeof *src->datefmts);
	src->datefmts[i].col = c;
	src->datefmts[i].fmt = f;
}

const struct datefmt *config_datefmt_of(const struct config_source *src, int c)
{
	const struct datefmt *all = NULL;
	for (size_t i = 0; i < src->ndatefmts; i++) {
		if (src->datefmts[i].col == c)
			return &src->datefmts[i].fmt;
		if (src->datefmts[i].col == -1)
			all = &src->datefmts[i].fmt;
	}
	return all;
}

static void config_source_key(struct config_state *st, const char *name, const char *v)
{
	struct config_source *src = &st->cfg->sources[st->cur];

	if (util_strieq(name, "path")) {
		if (!v[0]) {
			inifile_error(st->ini, name, "empty path");
			return;
		}
		free(src->path);
		src->path = xstrdup(v);
	} else if (util_strieq(name, "delimiter")) {
		if (strcmp(v, ",") == 0 || util_strieq(v, "comma"))
			src->delimiter = ',';
		else if (strcmp(v, ";") == 0 || util_strieq(v, "semicolon"))
			src->delimiter = ';';
		else if (strcmp(v, "|") == 0 || util_strieq(v, "pipe"))
			src->delimiter = '|';
		else if (strcmp(v, "\\t") == 0 || strcmp(v, "\t") == 0 || util_strieq(v, "tab"))
			src->delimiter = '\t';
		else
			inifile_error(st->ini, name, "'%s' is not a delimiter (, ; | or tab)", v);
	} else if (util_strieq(name, "encoding")) {
		if (util_strieq(v, "utf-8") || util_strieq(v, "utf8"))
			src->encoding = CONFIG_ENC_UTF8;
		else if (util_strieq(v, "latin1") || util_strieq(v, "latin-1") ||
			 util_strieq(v, "iso-8859-1"))
			src->encoding = CONFIG_ENC_LATIN1;
		else if (util_strieq(v, "windows-1252") || util_strieq(v, "cp1252") ||
			 util_strieq(v, "win1252"))
			src->encoding = CONFIG_ENC_CP1252;
		else if (util_strieq(v, "utf-16le") || util_strieq(v, "utf-16"))
			src->encoding = CONFIG_ENC_UTF16LE;
		else if (util_strieq(v, "utf-16be"))
			src->encoding = CONFIG_ENC_UTF16BE;
		else
			inifile_error(st->ini, name,
				      "'%s' is not an encoding (utf-8, latin1, windows-1252, utf-16le "
				      "or utf-16be)", v);
	} else if (util_strieq(name, "na")) {
		config_set_na_list(src, v);
	} else if (util_strieq(name, "decimal")) {
		if (util_strieq(v, "point") || strcmp(v, ".") == 0)
			src->decimal_comma = 0;
		else if (util_strieq(v, "comma") || strcmp(v, ",") == 0)
			src->decimal_comma = 1;
		else
			inifile_error(st->ini, name, "'%s' is not point or comma", v);
	} else if (util_strieq(name, "numbers")) {
		if (util_strieq(v, "strict"))
			src->lenient_numbers = 0;
		else if (util_strieq(v, "lenient"))
			src->lenient_numbers = 1;
		else
			inifile_error(st->ini, name, "'%s' is not strict or lenient", v);
	} else if (strncasecmp(name, "map.", 4) == 0) {
		config_set_map(st, src, name, name + 4, v);
	} else if (strncasecmp(name, "scale.", 6) == 0) {
		config_set_scale(st, src, name, v);
	} else if (util_strieq(name, "database") || util_strieq(name, "table") ||
		   util_strieq(name, "query") || util_strieq(name, "key") ||
		   util_strieq(name, "cursor") || util_strieq(name, "cursor.timestamp") ||
		   util_strieq(name, "lag") ||
		   util_strieq(name, "pushdown") || util_strieq(name, "listen") ||
		   util_strieq(name, "poll_ms")) {
		config_source_db_key(st, src, name, v);
	} else if (util_strieq(name, "header_rows") || util_strieq(name, "subheader")) {
		char *end;
		long n = strtol(v, &end, 10);
		int is_rows = util_strieq(name, "header_rows");
		if (*end || end == v || n < (is_rows ? 1 : 2) || n > 20)
			inifile_error(st->ini, name, "'%s' is not a row number from %d to 20", v,
				      is_rows ? 1 : 2);
		else if (is_rows)
			src->header_rows = (int)n;
		else
			src->subheader = (int)n;
	} else if (util_strieq(name, "ignore")) {
		config_set_ignore(st, src, name, v);
	} else if (util_strieq(name, "date_format") || strncasecmp(name, "date_format.", 12) == 0) {
		config_set_datefmt(st, src, name, name[11] ? name + 12 : NULL, v);
	} else if (util_strieq(name, "timezone")) {
		const struct tz *z = config_zone(st, name, v);
		if (z) {
			src->tz = z;
			src->tz_set = 1;
		}
	} else if (strncasecmp(name, "zone.", 5) == 0) {
		config_abbrev(st, &src->abbrevs, &src->nabbrevs, name, name + 5, v);
	} else if (strncasecmp(name, "col.", 4) == 0) {
		config_set_col(st, src, name, name + 4, v);
	} else if (strncasecmp(name, "const.", 6) == 0) {
		config_set_const(st, src, name, name + 6, v);
	} else if (strncasecmp(name, "event.", 6) == 0) {
		config_add_words(st, src, name, name + 6, v);
	} else {
		inifile_error(st->ini, name, "unknown key in [%s] (path, delimiter, encoding, na, "
			      "numbers, decimal, database, table, query, key, cursor, cursor.timestamp, "
			      "lag, pushdown, "
			      "listen, poll_ms, header_rows, subheader, ignore, date_format, timezone, zone.X, "
			      "col.X, const.X, event.X, "
			      "map.X, scale.X)",
			      src->name);
	}
}

/* The name of a "[name]" line. */
static void config_section(struct inifile *f, char *name)
{
	struct config_state *st = f->user;
	char *colon;
	int kind;
	struct config *cfg = st->cfg;

	if (util_strieq(name, "general")) {
		st->sec = CONFIG_SEC_GENERAL;
		return;
	}
	if (strncasecmp(name, "database:", 9) == 0) {
		config_database_section(st, name + 9);
		return;
	}
	colon = strchr(name, ':');
	if (colon)
		*colon = '\0';
	kind = schema_kind_find(name);
	if (colon) {
		*colon = ':';
		if (!colon[1])
			kind = -1; /* "[events:]" */
	}
	if (kind < 0) {
		inifile_error(st->ini, NULL,
			      "unknown section [%s] (general, events, responses, customers, "
			      "campaigns, awareness, or KIND:NAME for a further source)", name);
		return;
	}
	if (!st->named_source) {
		config_drop_defaults(cfg);
		st->named_source = 1;
		st->nnames_cap = 0; /* indices moved */
	}
	st->sec = CONFIG_SEC_SOURCE;
	size_t at = config_names_find(st, name);
	if (at != SIZE_MAX) {
		st->cur = at; /* a repeated section continues the source */
		return;
	}
	/* [events] defaults to events.csv; [events:x] must give its own path. */
	config_source_init(config_add_source(cfg, &st->sources_cap), kind, name,
			   colon ? NULL : schema_kind_default_file(kind), st->ini->lineno);
	st->cur = cfg->nsources - 1;
	if (st->nnames_cap >= 2 * (cfg->nsources + 1))
		config_names_put(st, st->cur);
}

/* ---- inifile callbacks ------------------------------------------------ */

static void config_key(struct inifile *f, const char *name, const char *value)
{
	struct config_state *st = f->user;

	switch (st->sec) {
	case CONFIG_SEC_NONE:
		inifile_error(f, name,
			      "outside a section (start with [general] or a source section)");
		break;
	case CONFIG_SEC_GENERAL:
		config_general(st, name, value);
		break;
	case CONFIG_SEC_SOURCE:
		config_source_key(st, name, value);
		break;
	case CONFIG_SEC_DATABASE:
		config_database_key(st, name, value);
		break;
	}
}

int config_load(struct config *cfg, const char *path, int must_exist, char *err, size_t errlen)
{
	struct inifile f = { .path = path, .section = config_section, .key = config_key,
			     .missing_ok = !must_exist, .err = err, .errlen = errlen };
	struct config_state st = { .cfg = cfg, .ini = &f };
	int rc;

	f.user = &st;
	rc = inifile_parse(&f);
	free(st.names);
	if (!f.opened)
		return rc > 0 ? 0 : -1;
	free(cfg->file);
	cfg->file = xstrdup(path);
	/* [general] timezone and zone.X apply to every source that does not
	 * set its own, wherever the sections are in the file */
	for (size_t i = 0; i < cfg->nsources; i++) {
		struct config_source *src = &cfg->sources[i];
		if (!src->tz_set)
			src->tz = cfg->tz;
		for (size_t k = 0; k < cfg->nabbrevs; k++) {
			size_t j = 0;
			while (j < src->nabbrevs && !util_strieq(src->abbrevs[j].name, cfg->abbrevs[k].name))
				j++;
			if (j < src->nabbrevs)
				continue; /* the section's own wins */
			src->abbrevs = xrealloc(src->abbrevs, (src->nabbrevs + 1) * sizeof *src->abbrevs);
			src->abbrevs[src->nabbrevs++] = cfg->abbrevs[k];
		}
	}
	for (size_t i = 0; rc == 0 && !f.errline && i < cfg->nsources; i++) {
		const struct config_source *src = &cfg->sources[i];
		if (src->subheader > src->header_rows) {
			f.lineno = src->line;
			inifile_error(&f, "subheader",
				      "row %d of a header of %d row%s in [%s] (set header_rows)",
				      src->subheader, src->header_rows, src->header_rows == 1 ? "" : "s",
				      src->name);
		}
	}
	for (size_t i = 0; rc == 0 && !f.errline && i < cfg->nsources; i++) {
		struct config_source *src = &cfg->sources[i];
		if (!src->database) {
			if (src->table || src->query || src->key || src->listen || src->cursor_ts) {
				f.lineno = src->line;
				inifile_error(&f, src->table ? "table" : src->query ? "query"
							 : src->key   ? "key"
							 : src->listen ? "listen"
								      : "cursor.timestamp",
					      "goes with database = NAME in [%s]", src->name);
			}
			continue;
		}
		f.lineno = src->line;
		if (!config_database_find(cfg, src->database))
			inifile_error(&f, "database", "no [database:%s] section for [%s]",
				      src->database, src->name);
		else if (!src->table == !src->query)
			inifile_error(&f, src->table ? "query" : "table",
				      "[%s] reads a table or a query, one of them", src->name);
		else if (src->cursor == CONFIG_CURSOR_ID && !src->key)
			inifile_error(&f, "cursor", "cursor = id in [%s] needs key = COLUMN (a unique "
				      "integer id)", src->name);
		else if (src->cursor == CONFIG_CURSOR_TIMESTAMP && (!src->key || !src->cursor_ts))
			inifile_error(&f, "cursor", "cursor = timestamp in [%s] needs key = COLUMN (a "
				      "unique integer id) and cursor.timestamp = COLUMN (the time the "
				      "loader wrote the row)", src->name);
		else if (src->cursor_ts && src->cursor != CONFIG_CURSOR_TIMESTAMP)
			inifile_error(&f, "cursor.timestamp", "goes with cursor = timestamp in [%s]",
				      src->name);
		/* a database source reads no file: [events] has events.csv as
		 * its default path, which must not be read as well */
		free(src->path);
		src->path = xasprintf("%s@%s", src->name, src->database);
	}
	for (size_t i = 0; rc == 0 && !f.errline && i < cfg->nsources; i++) {
		if (!cfg->sources[i].path) {
			f.lineno = cfg->sources[i].line;
			inifile_error(&f, "path", "required in [%s] (only [%s] defaults to %s)",
				      cfg->sources[i].name, schema_kind_name(cfg->sources[i].kind),
				      schema_kind_default_file(cfg->sources[i].kind));
		}
	}
	return f.errline ? -1 : 0;
}

int config_threads(const struct config *cfg)
{
	if (cfg->threads > 0)
		return cfg->threads;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
