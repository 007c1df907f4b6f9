/* config: the INI file of SPEC section 5, read once with inih into a plain
 * struct that is passed down the pipeline. Nothing else reads the file.
 *
 * Sources: with no source section in the file, cxtop reads the five default
 * files (events.csv ...) of the data directory. As soon as the file has one
 * source section, only the sources it names are read — a config written for
 * one survey export should not show four "waiting" sources. */
#ifndef CXTOP_CONFIG_H
#define CXTOP_CONFIG_H

#include <stddef.h>
#include "cxtop/datefmt.h"
#include "cxtop/schema.h"
#include "cxtop/tz.h"
#include "cxtop/valmap.h"

/* encoding = ...: what a source's bytes are. UTF-16 is also recognised by
 * its byte order mark whatever the key says (Excel's "Unicode text"). */
enum config_encoding {
	CONFIG_ENC_UTF8,
	CONFIG_ENC_LATIN1,
	CONFIG_ENC_CP1252, /* Windows-1252: Latin-1 with printable 0x80-0x9F */
	CONFIG_ENC_UTF16LE,
	CONFIG_ENC_UTF16BE
};

/* A [database:NAME] section: a PostgreSQL-protocol connection that
 * sources can read from (SPEC 8). The dsn is a libpq conninfo string, a
 * URI or "service=NAME"; empty means libpq's defaults (PGHOST, ~/.pgpass,
 * the service file). There is no password key on purpose. */
struct config_database {
	char *name;              /* NAME of [database:NAME] */
	char *dsn;               /* "" = libpq's defaults */
	char *sslmode;           /* NULL = the dsn's or libpq's */
	int connect_timeout_ms;  /* enforced by cxtop's loop; 10 s unless set */
	int statement_timeout_ms;/* 0 = the server's */
	char *work_mem;          /* NULL = the server's; "64MB" */
	int line;
};

/* cursor = ...: how a database source reads rows past the last it read. */
enum config_cursor {
	CONFIG_CURSOR_AUTO,
	CONFIG_CURSOR_XID,
	CONFIG_CURSOR_ID,
	CONFIG_CURSOR_TIMESTAMP,
	CONFIG_CURSOR_NONE
};

/* pushdown = ...: whether the engine aggregates on the cold start. */
enum config_pushdown { CONFIG_PUSHDOWN_AUTO, CONFIG_PUSHDOWN_ON, CONFIG_PUSHDOWN_OFF };

/* A date_format key: for one column, or (col -1) every date column of the
 * source without its own. */
struct config_datefmt {
	int col; /* enum schema_col, -1 = all */
	struct datefmt fmt;
};

/* A map.X key: the values of column col mapped to others. */
struct config_valmap {
	int col; /* enum schema_col */
	struct valmap *map;
};

/* The scale of a survey in one source (scale.X): scores lo..hi. */
struct config_scale {
	int lo, hi;
};

/* Mapping of one event word (as written in the export) to an event type. */
struct config_word {
	char *word;
	int event; /* enum schema_event */
};

struct config_source {
	int kind;            /* enum schema_kind */
	char *name;          /* section as written: "events" or "events:unsubscribes" */
	char *path;          /* path or glob; relative paths are under data_dir */
	char delimiter;      /* ',' unless set */
	int encoding;        /* enum config_encoding: converted to UTF-8 on read */
	int lenient_numbers; /* numbers = lenient: "$1,200.50" reads as 1200.50 */
	int decimal_comma;   /* decimal = comma: "1.234,56 €" reads as 1234.56 */
	char *col[SCHEMA_COL_COUNT];   /* header name override, NULL = default */
	char *konst[SCHEMA_COL_COUNT]; /* const.X value, NULL = none */
	unsigned ignore;               /* ignore = X, Y: bit (1 << column), not read */
	int header_rows;               /* rows of the header, 1 unless set */
	int subheader;                 /* the header row naming sub-answers, 0 = none */
	struct config_word *words;     /* event.X words, in file order */
	size_t nwords;
	char **na;                     /* "no answer" score words */
	size_t nna;
	struct config_valmap *maps;    /* map.X, one per column */
	size_t nmaps;
	struct config_scale scale[SCHEMA_SURVEY_COUNT]; /* nps is always 0-10 */
	struct config_datefmt *datefmts; /* date_format, date_format.X */
	size_t ndatefmts;
	/* timezone: for times written without a zone; NULL = UTC. Owned by
	 * the config (zones), shared by the sources that name it. */
	const struct tz *tz;
	int tz_set;                    /* the section has its own timezone key */
	/* zone.X overrides, the section's own first, then [general]'s */
	struct tz_abbrev *abbrevs;
	size_t nabbrevs;
	/* a database source (database = NAME) reads table or query instead
	 * of path */
	char *database;                /* NULL = a file source */
	char *table;                   /* "schema.table" or "table" */
	char *query;                   /* SELECT ..., used as a subquery */
	char *key;                     /* unique monotonic column */
	int cursor;                    /* enum config_cursor */
	char *cursor_ts;               /* cursor.timestamp: the loader's time column */
	int lag_ms;                    /* id / timestamp cursors: late commits */
	int pushdown;                  /* enum config_pushdown */
	char *listen;                  /* NOTIFY channel, NULL = none */
	int poll_ms;                   /* 0 = [general] poll_ms */
	int line;                      /* line of the section header, 0 = default */
};

struct config {
	char *file;          /* path of the config file read, NULL = none */
	/* [general] data_dir; a relative value is taken relative to the config
	 * file's own directory (data_dir = . means "next to the config").
	 * NULL = "." unless given on the command line. */
	char *data_dir;
	int window_days;     /* 7, 30, 90, or 0 = all */
	int refresh_ms;      /* 250 */
	int poll_ms;         /* 500 */
	int threads;         /* threads for reading: 0 = the online CPUs (-j) */
	int state;           /* keep the counted state between runs: 1 (state = off: 0) */
	int state_interval;  /* seconds between the dashboard's state writes: 60 */
	int now_clock;       /* 0 = now is the latest data timestamp, 1 = wall clock */
	char *theme;         /* NULL = default */
	double gross_margin; /* 1.0 */
	int nps_min_n;       /* 30 */
	double nps_max_moe;  /* 10 points */
	unsigned engaged_events; /* bit mask of schema_event: click, conversion */
	unsigned hve_events;     /* bit mask: conversion */
	/* alert thresholds (SPEC 3.5), as fractions or points */
	double complaint_rate_max;   /* 0.001 */
	double machine_open_share;   /* 1/3 */
	double nps_shift_points;     /* 3 */
	double detractor_mean_drop;  /* 1.0 */
	double hard_share_rise;      /* 5 points, stored 0.05 */
	double response_drop;        /* 5 points, stored 0.05 */
	double response_rate_min;    /* 0.10 */
	double soft_stay_margin;     /* 5 points, stored 0.05 */
	double detractors_leave_gap; /* 5 points, stored 0.05 */
	struct config_source *sources;
	size_t nsources;
	/* [general] timezone and zone.X: the default of every source */
	const struct tz *tz;
	struct tz_abbrev *abbrevs;
	size_t nabbrevs;
	struct tz **zones;   /* every zone loaded, owned */
	size_t nzones;
	struct config_database *databases; /* [database:NAME] sections */
	size_t ndatabases;
};

/* The [database:NAME] section named name, or NULL. */
const struct config_database *config_database_find(const struct config *cfg, const char *name);

/* Fill cfg with the defaults and the five default sources. */
void config_defaults(struct config *cfg);
/* Read path into cfg (on top of the defaults already there). Returns 0, or
 * -1 with err holding "FILE:LINE: key 'K': reason". A missing file is an
 * error only when must_exist is set (an explicit -c). */
int config_load(struct config *cfg, const char *path, int must_exist, char *err, size_t errlen);
/* The date format of column c of src: its own date_format.X, else the
 * source's date_format, else NULL (ISO 8601 and epoch seconds). */
const struct datefmt *config_datefmt_of(const struct config_source *src, int c);
/* The map.X of column c of src, or NULL. */
const struct valmap *config_valmap_of(const struct config_source *src, int c);
/* Parse a window word ("7d", "30d", "90d", "all"): days, 0 = all, -1 = bad. */
int config_parse_window(const char *s);
/* Release everything cfg owns; the struct itself is not freed. */
void config_free(struct config *cfg);

/* Threads to read with: the config's (or -j's), else the online CPUs. */
int config_threads(const struct config *cfg);

#endif
