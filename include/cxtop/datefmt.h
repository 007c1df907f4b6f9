/* datefmt: dates and times in the formats tools write (SPEC 1,
 * date_format), with strptime-style directives compiled once per config
 * key and applied to every field of that column.
 *
 *   %Y 4-digit year    %y 2-digit year (00-68 = 20xx, 69-99 = 19xx)
 *   %m month 1-12      %d %e day 1-31 (one or two digits; %e may lead with a space)
 *   %b %B month name or its abbreviation, English or German (Mar, März, Mrz)
 *   %a %A weekday name, read and ignored
 *   %H hour 0-23       %I hour 1-12 with %p (AM/PM, a.m./p.m.)
 *   %M minute          %S second, with an optional fraction (.402, dropped)
 *   %f a fraction's digits (after a literal '.' or ',')
 *   %z +hh:mm, +hhmm, +hh or Z     %Z a zone abbreviation (UTC, CET, AST ...)
 *   %T = %H:%M:%S  %R = %H:%M  %F = %Y-%m-%d  %D = %m/%d/%y  %% a '%'
 * A space in the format matches any run of spaces (or none); any other
 * character matches itself (letters case-insensitively). A value may stop
 * after its date: it is then a plain date. Day and month come from where
 * the format puts them, never from a guess.
 *
 * The parse gives the wall-clock time and, when the value carries one, its
 * zone offset; the caller (record) applies the source's time zone to times
 * without one. Pure: no allocation while parsing, no global state (the
 * memo of the last date is the caller's). */
#ifndef CXTOP_DATEFMT_H
#define CXTOP_DATEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/tz.h"

#define DATEFMT_OPS_MAX 32

struct datefmt {
	char text[64];              /* the format as written, for messages */
	unsigned char nops;
	unsigned char date_ops;     /* ops [0, date_ops) hold only the date: memo-able */
	/* a value may end at op i when last_date < i <= first_time: after
	 * its date, before its time */
	signed char last_date, first_time;
	/* the common time after the date, "[sep]H:M[:S]", parsed without the
	 * op loop: its op count (0 = none) */
	unsigned char hms_ops;
	struct { char op; char lit; } ops[DATEFMT_OPS_MAX];
};

/* The date part of the last value parsed, so that a file written in time
 * order (nearly every row has the date of the row before) skips it. */
struct datefmt_memo {
	char bytes[32];
	unsigned char len;          /* 0 = empty */
	int64_t day;
};

/* What a value holds. */
struct datefmt_value {
	int64_t local;              /* seconds since 1970-01-01 00:00 of its wall clock */
	int has_time;               /* 0: a plain date */
	int has_zone;               /* 1: zone_off applies (UTC = local - zone_off) */
	int zone_off;
};

/* Compile fmt. Returns 0, or -1 with err naming the directive ("%Q is not
 * a directive", "no day (%d)", "%I needs %p"). */
int datefmt_compile(struct datefmt *f, const char *fmt, char *err, size_t errlen);

/* Parse n bytes (leading and trailing spaces allowed) with f; zone
 * abbreviations are looked up in over[] first (tz_abbrev_find); memo may be
 * NULL. Returns 0, or -1 with *why a static reason ("does not match the
 * date_format", "no such day", "unknown zone abbreviation"). */
int datefmt_parse(const struct datefmt *f, const struct tz_abbrev *over, size_t nover,
		  struct datefmt_memo *memo, const char *s, size_t n, struct datefmt_value *out,
		  const char **why);

#endif
