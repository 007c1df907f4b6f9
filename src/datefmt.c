/* datefmt: strptime-style date formats, compiled once, parsed per field.
 * See include/cxtop/datefmt.h.
 *
 * Why not strptime(3): it depends on the process locale (month names,
 * AM/PM), is not in C11, fills a struct tm that then needs timegm (a GNU
 * extension that consults the tz database), and is several times slower
 * than the hand-written ISO parser this must keep pace with (SPEC: at most
 * 1.5x per field). Here a format is a short array of ops walked once per
 * value, and the date part of the previous value is remembered. */
#include "cxtop/datefmt.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <stdio.h>
#include <string.h>

#define DATEFMT_LIT 'L'   /* op: a literal character */
#define DATEFMT_SPACE ' ' /* op: any run of spaces, or none */

static const char datefmt_nomatch[] = "does not match the format";

static int datefmt_is_date_op(char op)
{
	return op == 'Y' || op == 'y' || op == 'm' || op == 'd' || op == 'e' || op == 'b' ||
	       op == 'a';
}

static int datefmt_is_time_op(char op)
{
	return op == 'H' || op == 'I' || op == 'M' || op == 'S' || op == 'f' || op == 'p' ||
	       op == 'z' || op == 'Z';
}

static int datefmt_add(struct datefmt *f, char op, char lit, char *err, size_t errlen)
{
	if (f->nops == DATEFMT_OPS_MAX) {
		snprintf(err, errlen, "date_format '%s' is too long", f->text);
		return -1;
	}
	f->ops[f->nops].op = op;
	f->ops[f->nops].lit = lit;
	f->nops++;
	return 0;
}

int datefmt_compile(struct datefmt *f, const char *fmt, char *err, size_t errlen)
{
	int seen[128] = {0};
	memset(f, 0, sizeof *f);
	if (strlen(fmt) >= sizeof f->text) {
		snprintf(err, errlen, "date_format is longer than %zu characters", sizeof f->text - 1);
		return -1;
	}
	util_strlcpy(f->text, fmt, sizeof f->text);
	for (const char *p = fmt; *p; p++) {
		const char *expand = NULL;
		if (*p == ' ' || *p == '\t') {
			if (f->nops && f->ops[f->nops - 1].op == DATEFMT_SPACE)
				continue;
			if (datefmt_add(f, DATEFMT_SPACE, 0, err, errlen))
				return -1;
			continue;
		}
		if (*p != '%') {
			if (datefmt_add(f, DATEFMT_LIT, *p, err, errlen))
				return -1;
			continue;
		}
		char c = *++p;
		switch (c) {
		case 'T': expand = "HMS"; break;
		case 'R': expand = "HM"; break;
		case 'F': expand = "Ymd"; break;
		case 'D': expand = "mdy"; break;
		case 'B': c = 'b'; break;
		case 'A': c = 'a'; break;
		case '%':
			if (datefmt_add(f, DATEFMT_LIT, '%', err, errlen))
				return -1;
			continue;
		case 'Y': case 'y': case 'm': case 'd': case 'e': case 'b': case 'a':
		case 'H': case 'I': case 'M': case 'S': case 'f': case 'p': case 'z': case 'Z':
			break;
		case '\0':
			snprintf(err, errlen, "date_format '%s' ends with a lone %%", fmt);
			return -1;
		default:
			snprintf(err, errlen,
				 "%%%c is not a date_format directive (%%Y %%y %%m %%d %%e %%b %%B %%a "
				 "%%H %%I %%M %%S %%f %%p %%z %%Z %%T %%R %%F %%D)", c);
			return -1;
		}
		if (expand) {
			/* the separators of the shorthand */
			char sep = c == 'F' ? '-' : c == 'D' ? '/' : ':';
			for (const char *x = expand; *x; x++) {
				if (x != expand && datefmt_add(f, DATEFMT_LIT, sep, err, errlen))
					return -1;
				if (datefmt_add(f, *x, 0, err, errlen))
					return -1;
				seen[(unsigned char)*x]++;
			}
			continue;
		}
		if (datefmt_add(f, c, 0, err, errlen))
			return -1;
		seen[(unsigned char)c]++;
	}
	/* each field once, and enough of them to name a day */
	static const char fields[] = "YymdebHIMSpzZ";
	for (const char *x = fields; *x; x++)
		if (seen[(unsigned char)*x] > 1) {
			snprintf(err, errlen, "date_format '%s' has %%%c twice", fmt, *x);
			return -1;
		}
	if (seen['d'] + seen['e'] > 1 || seen['Y'] + seen['y'] > 1 || seen['H'] + seen['I'] > 1 ||
	    seen['z'] + seen['Z'] > 1) {
		snprintf(err, errlen, "date_format '%s' gives one field twice", fmt);
		return -1;
	}
	if (!seen['Y'] && !seen['y']) {
		snprintf(err, errlen, "date_format '%s' has no year (%%Y or %%y)", fmt);
		return -1;
	}
	if (!seen['m'] && !seen['b']) {
		snprintf(err, errlen, "date_format '%s' has no month (%%m or %%b)", fmt);
		return -1;
	}
	if (!seen['d'] && !seen['e']) {
		snprintf(err, errlen, "date_format '%s' has no day (%%d or %%e)", fmt);
		return -1;
	}
	if (seen['I'] != seen['p']) {
		snprintf(err, errlen, "date_format '%s': %s", fmt,
			 seen['I'] ? "%I (12-hour clock) needs %p (AM/PM)"
				   : "%p (AM/PM) needs %I (12-hour clock), not %H");
		return -1;
	}
	if ((seen['M'] || seen['S']) && !seen['H'] && !seen['I']) {
		snprintf(err, errlen, "date_format '%s' has minutes but no hour (%%H or %%I)", fmt);
		return -1;
	}
	/* the ops before the first time field that end with the last date
	 * field: their bytes are the memo's key */
	int last_date = -1;
	for (int i = 0; i < f->nops; i++) {
		if (datefmt_is_time_op(f->ops[i].op))
			break;
		if (datefmt_is_date_op(f->ops[i].op))
			last_date = i;
	}
	int all_before = 1;
	for (int i = last_date + 1; i < f->nops; i++)
		if (datefmt_is_date_op(f->ops[i].op))
			all_before = 0;
	f->date_ops = all_before ? (unsigned char)(last_date + 1) : 0;
	/* "[sep]%H:%M[:%S]" right after a memo-able date */
	if (f->date_ops && f->date_ops + 4 <= f->nops) {
		int k = f->date_ops;
		char sep = f->ops[k].op;
		if ((sep == DATEFMT_SPACE || sep == DATEFMT_LIT) && f->ops[k + 1].op == 'H' &&
		    f->ops[k + 2].op == DATEFMT_LIT && f->ops[k + 2].lit == ':' &&
		    f->ops[k + 3].op == 'M') {
			f->hms_ops = 4;
			if (k + 6 <= f->nops && f->ops[k + 4].op == DATEFMT_LIT &&
			    f->ops[k + 4].lit == ':' && f->ops[k + 5].op == 'S')
				f->hms_ops = 6;
		}
	}
	f->last_date = -1;
	f->first_time = (signed char)f->nops;
	for (int i = 0; i < f->nops; i++) {
		if (datefmt_is_date_op(f->ops[i].op))
			f->last_date = (signed char)i;
		if (datefmt_is_time_op(f->ops[i].op) && f->first_time == f->nops)
			f->first_time = (signed char)i;
	}
	return 0;
}

/* ---- names ------------------------------------------------------------------ */

static const struct { const char *name; unsigned char month; } datefmt_months[] = {
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
	{"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
	{"december", 12},
	{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8},
	{"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
	/* German, and Austrian Jänner */
	{"januar", 1}, {"j\xc3\xa4nner", 1}, {"j\xc3\xa4n", 1}, {"februar", 2},
	{"m\xc3\xa4rz", 3}, {"maerz", 3}, {"m\xc3\xa4r", 3}, {"mrz", 3}, {"mai", 5},
	{"juni", 6}, {"juli", 7}, {"oktober", 10}, {"okt", 10}, {"dezember", 12}, {"dez", 12},
};

static const char *const datefmt_days[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend",
	"sonntag", "mo", "di", "mi", "do", "fr", "sa", "so",
};

static int datefmt_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Length of name at p if it matches (ASCII case-insensitively) and is not
 * followed by another letter, else 0. */
static size_t datefmt_word(const char *name, const char *p, const char *e)
{
	size_t k = 0;
	for (; name[k]; k++)
		if (p + k >= e || util_lower((unsigned char)p[k]) != (unsigned char)name[k])
			return 0;
	if (p + k < e && datefmt_is_alpha((unsigned char)p[k]))
		return 0;
	return k;
}

static int datefmt_month_name(const char **p, const char *e)
{
	size_t best = 0;
	int month = 0;
	for (size_t i = 0; i < sizeof datefmt_months / sizeof datefmt_months[0]; i++) {
		size_t k = datefmt_word(datefmt_months[i].name, *p, e);
		if (k > best) {
			best = k;
			month = datefmt_months[i].month;
		}
	}
	*p += best;
	return month;
}

static int datefmt_day_name(const char **p, const char *e)
{
	size_t best = 0;
	for (size_t i = 0; i < sizeof datefmt_days / sizeof datefmt_days[0]; i++) {
		size_t k = datefmt_word(datefmt_days[i], *p, e);
		if (k > best)
			best = k;
	}
	*p += best;
	return best > 0;
}

/* ---- parsing ---------------------------------------------------------------- */

/* Up to max digits (at least min) at *p. */
static inline int datefmt_num(const char **p, const char *e, int min, int max)
{
	int v = 0, k = 0;
	while (k < max && *p < e && **p >= '0' && **p <= '9') {
		v = v * 10 + (*(*p)++ - '0');
		k++;
	}
	return k >= min ? v : -1;
}

static int datefmt_zone(const char **p, const char *e, int *off)
{
	const char *q = *p;
	if (q < e && (*q == 'Z' || *q == 'z')) {
		*off = 0;
		*p = q + 1;
		return 0;
	}
	if (q >= e || (*q != '+' && *q != '-'))
		return -1;
	int sign = *q++ == '-' ? -1 : 1;
	int hh = datefmt_num(&q, e, 2, 2), mm = 0;
	if (hh < 0)
		return -1;
	if (q < e && *q == ':')
		q++;
	if (q < e && *q >= '0' && *q <= '9' && (mm = datefmt_num(&q, e, 2, 2)) < 0)
		return -1;
	if (hh > 18 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	*p = q;
	return 0;
}

/* 1 if the memo's bytes start [p, e) (which holds at least memo->len).
 * Most dates are 6-10 bytes: one or two word compares, no memcmp call. */
static inline int datefmt_memo_eq(const struct datefmt_memo *memo, const char *p, const char *e)
{
	size_t len = memo->len;
	if (len <= 8 && e - p >= 8) {
		uint64_t a, b, mask = len == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * len)) - 1;
		memcpy(&a, p, 8);
		memcpy(&b, memo->bytes, 8);
		/* little- or big-endian alike: compare the first len bytes */
		if (*(const unsigned char *)&mask == 0)
			mask = ~UINT64_C(0) << (8 * (8 - len));
		return ((a ^ b) & mask) == 0;
	}
	if (len <= 16 && e - p >= 16) {
		uint64_t a[2], b[2];
		memcpy(a, p, 16);
		memcpy(b, memo->bytes, 16);
		if (a[0] != b[0])
			return 0;
		return memcmp(p + 8, memo->bytes + 8, len - 8) == 0;
	}
	return memcmp(p, memo->bytes, len) == 0;
}

/* The time "[sep]H:M[:S]" of f->ops[date_ops ...] at *p, as the op loop
 * would read it; 0 and *p moved past it, or -1 (nothing moved: the op loop
 * then reads it and says what is wrong). */
static inline int datefmt_hms(const struct datefmt *f, const char **p, const char *e, int *h,
			      int *m, int *sec)
{
	const char *q = *p;
	int k = f->date_ops, hh, mm, ss = 0;
	if (f->ops[k].op == DATEFMT_SPACE) {
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
	} else if (q < e && (*q == f->ops[k].lit ||
			     util_lower((unsigned char)*q) == util_lower((unsigned char)f->ops[k].lit))) {
		q++;
	} else {
		return -1;
	}
	if ((hh = datefmt_num(&q, e, 1, 2)) < 0 || q >= e || *q++ != ':' ||
	    (mm = datefmt_num(&q, e, 1, 2)) < 0)
		return -1;
	if (f->hms_ops == 6) {
		if (q >= e || *q++ != ':' || (ss = datefmt_num(&q, e, 1, 2)) < 0)
			return -1;
		/* the optional fraction, unless the format spells it */
		if (q < e && (*q == '.' || *q == ',') &&
		    !(k + 6 < f->nops && f->ops[k + 6].op == DATEFMT_LIT &&
		      (f->ops[k + 6].lit == '.' || f->ops[k + 6].lit == ','))) {
			const char *r = q + 1;
			while (r < e && *r >= '0' && *r <= '9')
				r++;
			if (r == q + 1)
				return -1;
			q = r;
		}
	}
	*h = hh;
	*m = mm;
	*sec = ss;
	*p = q;
	return 0;
}

/* The day number of a parsed date, checked. */
static int datefmt_day_of(int year, int month, int day, int64_t *days, const char **why)
{
	if (year < 1970 || year > 2199) {
		*why = "year out of range 1970-2199";
		return -1;
	}
	if (month < 1 || month > 12 || day < 1 || day > parse_month_days(year, month)) {
		*why = "no such day";
		return -1;
	}
	*days = parse_days_from_civil(year, month, day);
	return 0;
}

int datefmt_parse(const struct datefmt *f, const struct tz_abbrev *over, size_t nover,
		  struct datefmt_memo *memo, const char *s, size_t n, struct datefmt_value *out,
		  const char **why)
{
	const char *p = s, *e = s + n;
	int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0, pm = -1;
	int i = 0, got_day = 0;
	int64_t days = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e) {
		*why = "empty";
		return -1;
	}
	out->has_time = out->has_zone = out->zone_off = 0;
	const char *start = p;
	if (memo && memo->len && (size_t)(e - p) >= memo->len && datefmt_memo_eq(memo, p, e) &&
	    (p + memo->len == e || !(datefmt_is_alpha((unsigned char)p[memo->len]) ||
				     (p[memo->len] >= '0' && p[memo->len] <= '9')))) {
		days = memo->day;
		got_day = 1;
		p += memo->len;
		i = f->date_ops;
		if (f->hms_ops && datefmt_hms(f, &p, e, &hour, &minute, &second) == 0) {
			i += f->hms_ops;
			out->has_time = 1;
		}
	}
	for (; i < f->nops; i++) {
		char op = f->ops[i].op;
		if (i == f->date_ops && f->date_ops && !got_day) {
			/* the date is complete: check it once, remember its bytes */
			if (datefmt_day_of(year, month, day, &days, why) < 0)
				return -1;
			got_day = 1;
			size_t len = (size_t)(p - start);
			if (memo && len > 0 && len < sizeof memo->bytes) {
				memcpy(memo->bytes, start, len);
				memo->len = (unsigned char)len;
				memo->day = days;
			}
		}
		if (p == e && op != DATEFMT_SPACE) {
			/* a value may stop after its date, before its time */
			if (i > f->last_date && i <= f->first_time)
				break;
			goto nomatch;
		}
		switch (op) {
		case DATEFMT_SPACE:
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
			break;
		case DATEFMT_LIT:
			if (*p != f->ops[i].lit &&
			    util_lower((unsigned char)*p) != util_lower((unsigned char)f->ops[i].lit))
				goto nomatch;
			p++;
			break;
		case 'Y':
			if ((year = datefmt_num(&p, e, 4, 4)) < 0)
				goto nomatch;
			break;
		case 'y':
			if ((year = datefmt_num(&p, e, 2, 2)) < 0)
				goto nomatch;
			year += year < 69 ? 2000 : 1900;
			break;
		case 'm':
			if ((month = datefmt_num(&p, e, 1, 2)) < 0)
				goto nomatch;
			break;
		case 'e':
			if (*p == ' ')
				p++;
			/* fall through */
		case 'd':
			if ((day = datefmt_num(&p, e, 1, 2)) < 0)
				goto nomatch;
			break;
		case 'b':
			if (!(month = datefmt_month_name(&p, e))) {
				*why = "not a month name";
				return -1;
			}
			break;
		case 'a':
			if (!datefmt_day_name(&p, e)) {
				*why = "not a weekday name";
				return -1;
			}
			break;
		case 'H':
		case 'I':
			if ((hour = datefmt_num(&p, e, 1, 2)) < 0)
				goto nomatch;
			if (op == 'I' && (hour < 1 || hour > 12)) {
				*why = "hour not 1-12";
				return -1;
			}
			out->has_time = 1;
			break;
		case 'M':
			if ((minute = datefmt_num(&p, e, 1, 2)) < 0)
				goto nomatch;
			break;
		case 'S':
			if ((second = datefmt_num(&p, e, 1, 2)) < 0)
				goto nomatch;
			/* an optional fraction, unless the format spells it */
			if (p < e && (*p == '.' || *p == ',') &&
			    !(i + 1 < f->nops && f->ops[i + 1].op == DATEFMT_LIT &&
			      (f->ops[i + 1].lit == '.' || f->ops[i + 1].lit == ','))) {
				const char *q = p + 1;
				while (q < e && *q >= '0' && *q <= '9')
					q++;
				if (q == p + 1)
					goto nomatch;
				p = q;
			}
			break;
		case 'f': {
			const char *q = p;
			while (p < e && *p >= '0' && *p <= '9')
				p++;
			if (p == q)
				goto nomatch;
			break;
		}
		case 'p': {
			/* AM, PM, am, a.m., p.m. */
			char a = (char)util_lower((unsigned char)*p);
			const char *q = p + 1;
			int dots = q < e && *q == '.';
			if (a != 'a' && a != 'p')
				goto nomatch;
			q += dots;
			if (q >= e || util_lower((unsigned char)*q) != 'm')
				goto nomatch;
			q++;
			if (dots && q < e && *q == '.')
				q++;
			pm = a == 'p';
			p = q;
			break;
		}
		case 'z':
			if (datefmt_zone(&p, e, &out->zone_off) < 0) {
				*why = "bad time zone";
				return -1;
			}
			out->has_zone = 1;
			break;
		case 'Z': {
			const char *q = p;
			while (q < e && q - p < 7 && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
				q++;
			if (q == p || tz_abbrev_find(over, nover, p, (size_t)(q - p), &out->zone_off) < 0) {
				*why = "unknown zone abbreviation (set zone.NAME = +hh:mm)";
				return -1;
			}
			out->has_zone = 1;
			p = q;
			break;
		}
		}
	}
	if (p != e)
		goto nomatch;
	if (!got_day && datefmt_day_of(year, month, day, &days, why) < 0)
		return -1;
	if (pm >= 0)
		hour = hour % 12 + (pm ? 12 : 0);
	if (hour > 23 || minute > 59 || second > 60) {
		*why = "bad time";
		return -1;
	}
	if (!out->has_time)
		out->has_zone = 0; /* a plain date is a calendar day, not an instant */
	out->local = days * 86400 + hour * 3600 + minute * 60 + second;
	return 0;

nomatch:
	*why = datefmt_nomatch;
	return -1;
}
