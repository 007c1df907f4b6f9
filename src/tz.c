/* tz: IANA time zones from TZif files, and zone abbreviations.
 * See include/cxtop/tz.h.
 *
 * A TZif file (RFC 8536) lists the UTC instants where a zone's offset
 * changes, and ends with a POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3")
 * for the instants after its last listed change: Debian's "fat" files list
 * changes up to 2037, "slim" ones stop where the rule takes over. cxtop
 * reads years up to 2199, so both the table and the rule are used. Only the
 * 64-bit (version 2+) data is read; a version 1 file is read from its
 * 32-bit table. Leap-second records ("right/" zones) are skipped: cxtop
 * counts POSIX seconds. */
#include "cxtop/tz.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_FILE_MAX (1 << 20)
#define TZ_DAY 86400

/* A POSIX rule date: Mm.w.d (month, week 1-5 with 5 = last, weekday 0 =
 * Sunday), Jn (day 1-365, February 29 never counted) or n (day 0-365). */
struct tz_when {
	char type; /* 'M', 'J', 'n' */
	int month, week, wday, day;
	int secs; /* local time of day of the change, may be < 0 or > 24 h */
};

struct tz {
	char name[128];
	size_t n;      /* listed changes */
	int64_t *at;   /* UTC instant of change i, ascending */
	int32_t *off;  /* offset from at[i] on */
	int32_t off0;  /* offset before at[0] */
	/* the footer rule, for instants after at[n - 1] (or all, if n == 0) */
	int has_rule, has_dst;
	int32_t std_off, dst_off;
	struct tz_when start, end;
};

/* ---- the built-in abbreviations -------------------------------------------- */

/* What exports print after a time. Some abbreviations name several zones;
 * the list takes the one the tools users have print (North American and
 * European zones first), and the config's zone.X = +hh:mm overrides any:
 * AST is Atlantic (-04:00), not Arabia (+03:00); CST is US Central
 * (-06:00), not China (+08:00); IST is India (+05:30), not Ireland or
 * Israel; BST is British Summer Time. */
static const struct tz_abbrev tz_list[] = {
	{"UTC", 0}, {"GMT", 0}, {"UT", 0}, {"Z", 0},
	{"WET", 0}, {"WEST", 3600}, {"BST", 3600},
	{"CET", 3600}, {"CEST", 7200}, {"MEZ", 3600}, {"MESZ", 7200},
	{"MET", 3600}, {"MEST", 7200},
	{"EET", 7200}, {"EEST", 10800}, {"MSK", 10800},
	{"IST", 19800}, {"SGT", 28800}, {"HKT", 28800}, {"AWST", 28800},
	{"JST", 32400}, {"KST", 32400},
	{"ACST", 34200}, {"ACDT", 37800}, {"AEST", 36000}, {"AEDT", 39600},
	{"NZST", 43200}, {"NZDT", 46800},
	{"NST", -12600}, {"NDT", -9000},
	{"AST", -14400}, {"ADT", -10800},
	{"EST", -18000}, {"EDT", -14400},
	{"CST", -21600}, {"CDT", -18000},
	{"MST", -25200}, {"MDT", -21600},
	{"PST", -28800}, {"PDT", -25200},
	{"AKST", -32400}, {"AKDT", -28800},
	{"HST", -36000},
};

const struct tz_abbrev *tz_builtin(size_t *n)
{
	*n = sizeof tz_list / sizeof tz_list[0];
	return tz_list;
}

static int tz_name_eq(const char *a, const char *s, size_t n)
{
	size_t i = 0;
	for (; i < n; i++)
		if (!a[i] || util_lower((unsigned char)a[i]) != util_lower((unsigned char)s[i]))
			return 0;
	return a[i] == '\0';
}

int tz_abbrev_find(const struct tz_abbrev *over, size_t nover, const char *s, size_t n,
		   int *off)
{
	for (size_t i = 0; i < nover; i++)
		if (tz_name_eq(over[i].name, s, n)) {
			*off = over[i].off;
			return 0;
		}
	for (size_t i = 0; i < sizeof tz_list / sizeof tz_list[0]; i++)
		if (tz_name_eq(tz_list[i].name, s, n)) {
			*off = tz_list[i].off;
			return 0;
		}
	return -1;
}

int tz_parse_offset(const char *s, int *off)
{
	int sign = 1, hh = 0, mm = 0, k = 0;
	if (util_strieq(s, "UTC") || util_strieq(s, "GMT") || util_strieq(s, "Z")) {
		*off = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && k < 2) {
		hh = hh * 10 + (*s++ - '0');
		k++;
	}
	if (!k)
		return -1;
	if (*s == ':')
		s++;
	if (*s) {
		if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') || s[2])
			return -1;
		mm = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (hh > 18 || mm > 59 || (hh == 18 && mm))
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* ---- the POSIX rule ------------------------------------------------------- */

/* [+-]hh[:mm[:ss]] at *p; POSIX writes offsets west-positive. */
static int tz_rule_time(const char **p, int *secs)
{
	const char *s = *p;
	int sign = 1, part[3] = {0, 0, 0};
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int k = 0;
		if (i && *s != ':')
			break;
		if (i)
			s++;
		while (*s >= '0' && *s <= '9' && k < 3) {
			part[i] = part[i] * 10 + (*s++ - '0');
			k++;
		}
		if (!k)
			return -1;
	}
	*secs = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*p = s;
	return 0;
}

/* A zone name in a rule: letters, or <...> (which may hold digits, +, -). */
static int tz_rule_name(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		if (*s != '>')
			return -1;
		*p = s + 1;
		return 0;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - *p < 3)
		return -1;
	*p = s;
	return 0;
}

static int tz_rule_num(const char **p, int *v)
{
	int k = 0;
	*v = 0;
	while (**p >= '0' && **p <= '9' && k < 4) {
		*v = *v * 10 + (*(*p)++ - '0');
		k++;
	}
	return k ? 0 : -1;
}

static int tz_rule_when(const char **p, struct tz_when *w)
{
	memset(w, 0, sizeof *w);
	w->secs = 2 * 3600; /* POSIX default: 02:00 */
	if (**p == 'M') {
		(*p)++;
		w->type = 'M';
		if (tz_rule_num(p, &w->month) || *(*p)++ != '.' || tz_rule_num(p, &w->week) ||
		    *(*p)++ != '.' || tz_rule_num(p, &w->wday))
			return -1;
		if (w->month < 1 || w->month > 12 || w->week < 1 || w->week > 5 || w->wday > 6)
			return -1;
	} else if (**p == 'J') {
		(*p)++;
		w->type = 'J';
		if (tz_rule_num(p, &w->day) || w->day < 1 || w->day > 365)
			return -1;
	} else {
		w->type = 'n';
		if (tz_rule_num(p, &w->day) || w->day > 365)
			return -1;
	}
	if (**p == '/') {
		(*p)++;
		if (tz_rule_time(p, &w->secs))
			return -1;
	}
	return 0;
}

static int tz_rule_parse(struct tz *z, const char *s)
{
	int std;
	if (tz_rule_name(&s) || tz_rule_time(&s, &std))
		return -1;
	z->std_off = -std;
	z->has_rule = 1;
	if (!*s)
		return 0;
	if (tz_rule_name(&s))
		return -1;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		int dst;
		if (tz_rule_time(&s, &dst))
			return -1;
		z->dst_off = -dst;
	}
	if (*s++ != ',' || tz_rule_when(&s, &z->start) || *s++ != ',' ||
	    tz_rule_when(&s, &z->end) || *s)
		return -1;
	z->has_dst = 1;
	return 0;
}

/* Day number (since 1970-01-01) of a rule date in year y. */
static int64_t tz_when_day(const struct tz_when *w, int y)
{
	if (w->type == 'J') {
		int d = w->day; /* 1-365, February 29 skipped */
		int64_t jan1 = parse_days_from_civil(y, 1, 1);
		return jan1 + d - 1 + (parse_leap(y) && d >= 60);
	}
	if (w->type == 'n')
		return parse_days_from_civil(y, 1, 1) + w->day;
	int64_t first = parse_days_from_civil(y, w->month, 1);
	/* 1970-01-01 was a Thursday (4) */
	int wd = (int)(((first % 7) + 7 + 4) % 7);
	int64_t d = first + (w->wday - wd + 7) % 7 + 7 * (w->week - 1);
	int64_t last = first + parse_month_days(y, w->month) - 1;
	while (d > last)
		d -= 7;
	return d;
}

static int tz_rule_offset(const struct tz *z, int64_t t)
{
	if (!z->has_dst)
		return z->std_off;
	int64_t y;
	int m, d;
	parse_civil_from_days(parse_day(t + z->std_off), &y, &m, &d);
	/* the change to summer time is written in standard time, the change
	 * back in summer time */
	int64_t on = tz_when_day(&z->start, (int)y) * TZ_DAY + z->start.secs - z->std_off;
	int64_t off = tz_when_day(&z->end, (int)y) * TZ_DAY + z->end.secs - z->dst_off;
	if (on < off)
		return t >= on && t < off ? z->dst_off : z->std_off;
	return t >= off && t < on ? z->std_off : z->dst_off; /* southern hemisphere */
}

/* ---- TZif ----------------------------------------------------------------- */

static uint32_t tz_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t tz_be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)tz_be32(p) << 32 | tz_be32(p + 4));
}

/* Parse one TZif data block at p (end e) with times of tsize bytes;
 * *next is set past it. */
static int tz_block(struct tz *z, const unsigned char *p, const unsigned char *e, int tsize,
		    const unsigned char **next)
{
	if (e - p < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	uint32_t isut = tz_be32(p + 20), isstd = tz_be32(p + 24), leap = tz_be32(p + 28);
	uint32_t timecnt = tz_be32(p + 32), typecnt = tz_be32(p + 36), charcnt = tz_be32(p + 40);
	if (typecnt == 0 || typecnt > 256 || timecnt > 100000 || charcnt > 100000 || leap > 100000 ||
	    isut > 256 || isstd > 256)
		return -1;
	size_t need = (size_t)timecnt * ((size_t)tsize + 1) + (size_t)typecnt * 6 + charcnt +
		      (size_t)leap * ((size_t)tsize + 4) + isstd + isut;
	p += 44;
	if ((size_t)(e - p) < need)
		return -1;
	const unsigned char *times = p, *idx = p + (size_t)timecnt * (size_t)tsize;
	const unsigned char *types = idx + timecnt;
	free(z->at);
	free(z->off);
	z->at = xmalloc((timecnt ? timecnt : 1) * sizeof *z->at);
	z->off = xmalloc((timecnt ? timecnt : 1) * sizeof *z->off);
	z->n = timecnt;
	for (uint32_t i = 0; i < timecnt; i++) {
		if (idx[i] >= typecnt)
			return -1;
		z->at[i] = tsize == 8 ? tz_be64(times + 8 * (size_t)i)
				      : (int64_t)(int32_t)tz_be32(times + 4 * (size_t)i);
		z->off[i] = (int32_t)tz_be32(types + 6 * (size_t)idx[i]);
		if (i && z->at[i] <= z->at[i - 1])
			return -1;
	}
	z->off0 = (int32_t)tz_be32(types);
	*next = p + need;
	return 0;
}

static int tz_parse(struct tz *z, const unsigned char *p, size_t len)
{
	const unsigned char *e = p + len, *next;
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	int version = p[4];
	if (tz_block(z, p, e, 4, &next))
		return -1;
	if (version < '2')
		return 0;
	if (tz_block(z, next, e, 8, &next))
		return -1;
	/* the footer: "\n" TZ-string "\n" */
	if (next < e && *next == '\n') {
		const unsigned char *nl = memchr(next + 1, '\n', (size_t)(e - next - 1));
		if (nl && nl > next + 1) {
			char rule[128];
			size_t k = (size_t)(nl - next - 1);
			if (k < sizeof rule) {
				memcpy(rule, next + 1, k);
				rule[k] = '\0';
				if (tz_rule_parse(z, rule))
					z->has_rule = z->has_dst = 0; /* the table alone */
			}
		}
	}
	return 0;
}

static int tz_name_ok(const char *name)
{
	if (!name[0] || name[0] == '/' || strlen(name) >= 100 || strstr(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return 0;
	return 1;
}

struct tz *tz_load(const char *name, char *err, size_t errlen)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	if (!dir || !dir[0])
		dir = "/usr/share/zoneinfo";
	if (!tz_name_ok(name)) {
		snprintf(err, errlen, "'%s' is not a time zone name (such as Europe/Berlin)", name);
		return NULL;
	}
	struct tz *z = xcalloc(1, sizeof *z);
	util_strlcpy(z->name, name, sizeof z->name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (util_strieq(name, "UTC") || util_strieq(name, "Etc/UTC")) {
			z->has_rule = 1; /* UTC needs no file */
			return z;
		}
		snprintf(err, errlen, "unknown time zone '%s' (%s: %s)", name, path,
			 errno == ENOENT ? "no such zone in the tz database" : strerror(errno));
		free(z);
		return NULL;
	}
	unsigned char *buf = xmalloc(TZ_FILE_MAX);
	size_t len = fread(buf, 1, TZ_FILE_MAX, f);
	fclose(f);
	if (tz_parse(z, buf, len) != 0) {
		snprintf(err, errlen, "time zone '%s': %s is not a TZif file", name, path);
		free(buf);
		tz_free(z);
		return NULL;
	}
	free(buf);
	return z;
}

void tz_free(struct tz *z)
{
	if (!z)
		return;
	free(z->at);
	free(z->off);
	free(z);
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

int tz_offset_at(const struct tz *z, int64_t t)
{
	if (z->n == 0)
		return z->has_rule ? tz_rule_offset(z, t) : z->off0;
	if (t < z->at[0])
		return z->off0;
	if (t >= z->at[z->n - 1] && z->has_rule)
		return tz_rule_offset(z, t);
	size_t lo = 0, hi = z->n; /* the last change at or before t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[lo];
}

int64_t tz_local_to_utc(const struct tz *z, int64_t local)
{
	/* the offsets in effect a day either side: no zone changes twice in a
	 * day, so the true offset is one of them */
	int before = tz_offset_at(z, local - TZ_DAY), after = tz_offset_at(z, local + TZ_DAY);
	if (before == after)
		return local - before; /* no change near: nearly every time */
	if (tz_offset_at(z, local - before) == before)
		return local - before; /* the first occurrence when both fit */
	if (tz_offset_at(z, local - after) == after)
		return local - after;
	return local - before; /* in the skipped hour */
}
