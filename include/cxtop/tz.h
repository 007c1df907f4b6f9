/* tz: time zones for times written without one (SPEC 1, "timezone =
 * Europe/Berlin"), read from the system's tz database (TZif files under
 * $TZDIR, else /usr/share/zoneinfo), and the zone abbreviations that
 * exports print after a time ("11:00:19 PM AST").
 *
 * Nothing here touches the process's TZ, localtime() or mktime(): those
 * are global, slow, and would make one source's zone leak into another's.
 * A loaded zone is read-only, so one can be shared by every source and,
 * later, by several threads. */
#ifndef CXTOP_TZ_H
#define CXTOP_TZ_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* Load the IANA zone NAME ("Europe/Berlin", "America/New_York", "UTC").
 * Returns a zone the caller frees with tz_free, or NULL with err saying
 * why ("unknown time zone 'Europe/Berln' (not in /usr/share/zoneinfo)").
 * Names are relative to the tz directory: no "..", no leading '/'. */
struct tz *tz_load(const char *name, char *err, size_t errlen);
void tz_free(struct tz *z);
/* The name the zone was loaded by. */
const char *tz_name(const struct tz *z);

/* Seconds east of UTC in effect at the UTC instant t. */
int tz_offset_at(const struct tz *z, int64_t t);

/* The UTC instant of a wall-clock time in zone z, given as seconds since
 * 1970-01-01 00:00 of that wall clock. A time that happens twice (the hour
 * repeated when clocks go back) is its first occurrence; a time that never
 * happens (the hour skipped when clocks go forward) is read with the offset
 * before the change, so 02:30 on that day in Berlin is 03:30 CEST. */
int64_t tz_local_to_utc(const struct tz *z, int64_t local);

/* One zone abbreviation and its offset. */
struct tz_abbrev {
	char name[8];
	int off; /* seconds east of UTC */
};

/* Offset of a zone abbreviation (ASCII letters, case-insensitive): first in
 * the caller's overrides (the config's zone.X keys), then in the built-in
 * list (tz_builtin). Returns 0 and sets *off, or -1 if unknown. */
int tz_abbrev_find(const struct tz_abbrev *over, size_t nover, const char *s, size_t n,
		   int *off);
/* The built-in list, for the man page test and --detect: *n entries. */
const struct tz_abbrev *tz_builtin(size_t *n);

/* Parse an offset "+01:00", "-0330", "+5", "UTC" into seconds east of UTC.
 * Returns 0, or -1 if it is not one (or beyond +/-18 hours). */
int tz_parse_offset(const char *s, int *off);

#endif
