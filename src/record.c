/* record: header mapping and row validation (SPEC section 1).
 *
 * The map is built once per file header, so the per-row work is index
 * lookups, one hash for the event word, and the field parsers. Every reason
 * a row can be refused is produced here, worded for the user who will open
 * the file at that line. */
#include "cxtop/record.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free text (a comment, a campaign name) with invalid UTF-8 is repaired into
 * these buffers; a record lives for one row, and each thread that reads
 * rows (parread's workers) has its own (record_thread_free). */
static _Thread_local char *record_fix[2];
static _Thread_local size_t record_fix_cap[2];

static uint64_t record_word_hash(const char *w, size_t n)
{
	uint64_t h = UTIL_FNV_INIT;
	while (n && (*w == ' ' || *w == '\t')) {
		w++;
		n--;
	}
	while (n && (w[n - 1] == ' ' || w[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)util_lower((unsigned char)w[i]);
		h = util_fnv(h, &c, 1);
	}
	return h ? h : 1;
}

static int record_word_eq(const char *a, const char *b, size_t bn)
{
	/* a is NUL-terminated and trimmed, b is (pointer, length), untrimmed */
	while (bn && (*b == ' ' || *b == '\t')) {
		b++;
		bn--;
	}
	while (bn && (b[bn - 1] == ' ' || b[bn - 1] == '\t'))
		bn--;
	for (size_t i = 0; i < bn; i++, a++)
		if (!*a || util_lower((unsigned char)*a) != util_lower((unsigned char)b[i]))
			return 0;
	return *a == '\0';
}

static void record_word_add(struct record_map *m, const char *word, int event)
{
	uint64_t h = record_word_hash(word, strlen(word));
	size_t i = h % RECORD_WORDS_MAX;
	for (size_t k = 0; k < RECORD_WORDS_MAX; k++, i = (i + 1) % RECORD_WORDS_MAX) {
		if (!m->words[i].hash) {
			m->words[i].hash = h;
			m->words[i].word = word;
			m->words[i].event = event;
			return;
		}
		if (m->words[i].hash == h && record_word_eq(m->words[i].word, word, strlen(word)))
			return; /* first mapping wins: config words are added first */
	}
}

int record_event_lookup(const struct record_map *m, const char *word, size_t len)
{
	uint64_t h = record_word_hash(word, len);
	size_t i = h % RECORD_WORDS_MAX;
	for (size_t k = 0; k < RECORD_WORDS_MAX; k++, i = (i + 1) % RECORD_WORDS_MAX) {
		if (!m->words[i].hash)
			return -1;
		if (m->words[i].hash == h && record_word_eq(m->words[i].word, word, len))
			return m->words[i].event;
	}
	return -1;
}

/* Event word lookup through the small cache of words seen as written. */
static int record_event_cached(struct record_map *m, const char *w, size_t n)
{
	for (unsigned i = 0; i < m->nseen; i++) {
		if (m->seen[i].len != n)
			continue;
		size_t k = 0; /* inline: words are a few bytes, a memcmp call costs more */
		while (k < n && m->seen[i].word[k] == w[k])
			k++;
		if (k == n)
			return m->seen[i].event;
	}
	int e = record_event_lookup(m, w, n);
	if (n < sizeof m->seen[0].word && e >= 0) {
		unsigned k = m->nseen < RECORD_SEEN_MAX ? m->nseen++ : (unsigned)(n % RECORD_SEEN_MAX);
		memcpy(m->seen[k].word, w, n);
		m->seen[k].len = (unsigned char)n;
		m->seen[k].event = e;
	}
	return e;
}

/* Header names compare case-insensitively after folding Unicode spaces
 * (SPEC 1; see record_fold). */
static int record_header_eq(const char *want, const char *got, size_t gn)
{
	char a[1024], b[1024];
	size_t an = util_fold(want, strlen(want), a, sizeof a);
	size_t bn = util_fold(got, gn, b, sizeof b);
	if (an == SIZE_MAX || bn == SIZE_MAX) {
		/* longer than any header: compare as written */
		return strlen(want) == gn && strncmp(want, got, gn) == 0;
	}
	return an == bn && memcmp(a, b, an) == 0;
}

/* Edit distance of two folded names, bounded: for "the closest header
 * present" in a col. error. */
static size_t record_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[257];
	if (la > 256 || lb > 256)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The header most like want, for the message of a col. that is not there. */
static size_t record_closest(const char *want, char *const *hdr, const size_t *lens, size_t n)
{
	char a[1024], b[1024];
	size_t best = SIZE_MAX, bi = SIZE_MAX;
	if (util_fold(want, strlen(want), a, sizeof a) == SIZE_MAX)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (util_fold(hdr[i], lens[i], b, sizeof b) == SIZE_MAX)
			continue;
		size_t d = record_distance(a, b);
		if (d < best) {
			best = d;
			bi = i;
		}
	}
	return bi;
}

/* The column a name picks: the first header equal to it; or, for
 * "NAME#N" when no header is named that, the N-th header named NAME (two
 * columns of one name, as Excel and survey tools write them). -1 if none. */
static int record_find(const char *want, char *const *hdr, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (record_header_eq(want, hdr[i], lens[i]))
			return (int)i;
	const char *hash = strrchr(want, '#');
	if (!hash || !hash[1] || strspn(hash + 1, "0123456789") != strlen(hash + 1) ||
	    strlen(hash + 1) > 4)
		return -1;
	int nth = atoi(hash + 1);
	char stem[1024];
	if (nth < 1 || (size_t)(hash - want) >= sizeof stem)
		return -1;
	memcpy(stem, want, (size_t)(hash - want));
	stem[hash - want] = '\0';
	for (size_t i = 0; i < n; i++)
		if (record_header_eq(stem, hdr[i], lens[i]) && --nth == 0)
			return (int)i;
	return -1;
}

/* A notice when the header named like column i appears again. */
static void record_dup_notice(struct record_map *m, int c, const char *want, char *const *hdr,
			      const size_t *lens, size_t n, size_t i)
{
	char name[64], msg[1024];
	if (m->notice[0])
		return;
	snprintf(name, sizeof name, "%.*s", (int)(lens[i] < 60 ? lens[i] : 60), hdr[i]);
	for (size_t j = 0; j < n; j++) {
		if (j == i || !record_header_eq(name, hdr[j], lens[j]))
			continue;
		if (j > i)
			snprintf(msg, sizeof msg,
				 "columns %zu and %zu are both named \"%s\": %s reads column %zu "
				 "(col.%s = %s#2 reads column %zu)",
				 i + 1, j + 1, name, schema_col_name(c), i + 1, schema_col_name(c), name,
				 j + 1);
		else
			snprintf(msg, sizeof msg,
				 "columns %zu and %zu are both named \"%s\": %s reads column %zu", j + 1,
				 i + 1, name, schema_col_name(c), i + 1);
		util_strlcpy(m->notice, msg, sizeof m->notice);
		return;
	}
}

int record_map_build(struct record_map *m, const struct config_source *src,
		     char *const *hdr, const size_t *lens, size_t n, char *err, size_t errlen)
{
	char missing[512] = "";
	const char *why;

	memset(m, 0, sizeof *m);
	m->kind = src->kind;
	m->src = src;
	m->nfields = n;
	for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
		m->idx[c] = -1;
		if (!schema_col_use(src->kind, c))
			continue;
		const char *want = src->col[c] ? src->col[c] : schema_col_name(c);
		m->konst[c] = src->konst[c];
		/* the config wins: a const. applies even where the file has a
		 * column of that default name (Google Forms' Timestamp), and an
		 * ignored column is not read */
		if (!m->konst[c] && !(src->ignore & (1u << c))) {
			m->idx[c] = record_find(want, hdr, lens, n);
			if (m->idx[c] >= 0)
				record_dup_notice(m, c, want, hdr, lens, n, (size_t)m->idx[c]);
		}
		m->fmt[c] = config_datefmt_of(src, c);
		m->vmap[c] = config_valmap_of(src, c);
		if (src->col[c] && m->idx[c] < 0 && !m->konst[c] && schema_col_use(src->kind, c) != 2) {
			/* a mapping the user wrote that finds nothing is a mistake,
			 * even for an optional column: it would silently read as
			 * absent (a header with an NBSP looks identical) */
			size_t k = record_closest(want, hdr, lens, n);
			snprintf(err, errlen, "col.%s: no column \"%s\" in the header%s%.*s%s",
				 schema_col_name(c), want, k != SIZE_MAX ? " (closest: \"" : "",
				 k != SIZE_MAX ? (int)lens[k] : 0, k != SIZE_MAX ? hdr[k] : "",
				 k != SIZE_MAX ? "\")" : "");
			return -1;
		}
		if (schema_col_use(src->kind, c) == 2 && m->idx[c] < 0 && !m->konst[c]) {
			size_t l = strlen(missing);
			snprintf(missing + l, sizeof missing - l, "%s%s", l ? ", " : "", want);
		}
	}
	/* customers: a signup date, or tenure instead of it */
	if (src->kind == SCHEMA_CUSTOMERS && m->idx[SCHEMA_COL_SIGNUP_DATE] < 0 &&
	    !m->konst[SCHEMA_COL_SIGNUP_DATE] && m->idx[SCHEMA_COL_TENURE] < 0 &&
	    !m->konst[SCHEMA_COL_TENURE]) {
		size_t l = strlen(missing);
		snprintf(missing + l, sizeof missing - l, "%s%s (or tenure)", l ? ", " : "",
			 src->col[SCHEMA_COL_SIGNUP_DATE] ? src->col[SCHEMA_COL_SIGNUP_DATE]
							  : "signup_date");
	}
	if (missing[0]) {
		char found[512] = "";
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(found);
			if (l + lens[i] + 8 >= sizeof found) {
				snprintf(found + l, sizeof found - l, ", ...");
				break;
			}
			snprintf(found + l, sizeof found - l, "%s%s", l ? ", " : "", hdr[i]);
		}
		snprintf(err, errlen, "missing column%s %s (found: %s)",
			 strchr(missing, ',') ? "s" : "", missing, found[0] ? found : "nothing");
		return -1;
	}
	/* constant dates are parsed once; a bad one is a header-level error */
	int tcol = src->kind == SCHEMA_AWARENESS ? SCHEMA_COL_DATE : SCHEMA_COL_TIMESTAMP;
	if (m->idx[tcol] < 0 && m->konst[tcol]) {
		if (parse_timestamp(m->konst[tcol], strlen(m->konst[tcol]), &m->konst_ts, &why) < 0) {
			snprintf(err, errlen, "const.%s \"%s\": %s", schema_col_name(tcol),
				 m->konst[tcol], why);
			return -1;
		}
	}
	for (size_t i = 0; i < src->nwords; i++)
		record_word_add(m, src->words[i].word, src->words[i].event);
	for (int e = 0; e < SCHEMA_EV_COUNT; e++)
		for (const char *const *a = schema_event_aliases(e); *a; a++)
			record_word_add(m, *a, e);
	return 0;
}

/* The field of column c: the file's value (through the column's map.X
 * when a label matches), else the const, else "". Inlined into each of
 * its half a dozen calls per row: called, it was 4% of a cold read
 * (interleaved -j 1 runs of 10M rows: CPU -5%). */
static inline __attribute__((always_inline)) const char *
record_get(const struct record_map *m, char **f, const size_t *lens, int c, size_t *len)
{
	int i = m->idx[c];
	if (i >= 0) {
		if (m->vmap[c] && lens[i]) {
			const char *x = valmap_find(m->vmap[c], f[i], lens[i]);
			if (x) {
				*len = strlen(x);
				return x;
			}
		}
		*len = lens[i];
		return f[i];
	}
	if (m->konst[c]) {
		*len = strlen(m->konst[c]);
		return m->konst[c];
	}
	*len = 0;
	return "";
}

/* Printable excerpt of a bad value for a message: at most about 40 bytes,
 * cut on a character boundary; valid UTF-8 is kept (so "Geöffnet" can be
 * copied into event.open = ...), invalid bytes become U+FFFD, and control
 * characters (C0, DEL and C1) become '?', so a reason never carries an
 * escape sequence to a terminal. */
static void record_excerpt(char *dst, size_t cap, const char *s, size_t n)
{
	char tmp[3 * 48 + 1];
	size_t len, j = 0;

	len = parse_utf8_repair(tmp, sizeof tmp, s, n < 48 ? n : 48);
	for (size_t i = 0; i < len && j + 4 < cap;) {
		unsigned char c = (unsigned char)tmp[i];
		size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (i >= 40 || (n > 48 && i + k > 40)) {
			memcpy(dst + j, "...", 3);
			j += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f || (c == 0xC2 && (unsigned char)tmp[i + 1] < 0xA0)) {
			dst[j++] = '?';
		} else {
			if (j + k + 4 >= cap)
				break;
			memcpy(dst + j, tmp + i, k);
			j += k;
		}
		i += k;
	}
	dst[j] = '\0';
}

/* A value column c could not read: with a map.X on c, the label the map
 * lacks (reported once per label); else a plain rejection. */
static int record_refuse(struct record_map *m, int c, char *why, size_t whylen, const char *v,
			 size_t n, const char *reason);

static int record_reject(char *why, size_t whylen, const char *col, const char *v, size_t n,
			 const char *reason)
{
	char ex[64];
	record_excerpt(ex, sizeof ex, v, n);
	snprintf(why, whylen, "%s \"%s\": %s", col, ex, reason);
	return RECORD_REJECT;
}

static int record_refuse(struct record_map *m, int c, char *why, size_t whylen, const char *v,
			 size_t n, const char *reason)
{
	if (!m->vmap[c])
		return record_reject(why, whylen, schema_col_name(c), v, n, reason);
	record_excerpt(why, whylen < 64 ? whylen : 64, v, n);
	m->unmapped_col = c;
	return RECORD_UNMAPPED;
}

static int record_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* 1 if the n bytes are printable-or-control ASCII without NUL: the common
 * id or comment, valid UTF-8 with nothing to check further. */
static int record_plain(const char *s, size_t n)
{
	/* eight bytes at a time: no high bit set, no zero byte (Mycroft) */
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w | ((w - ones) & ~w)) & highs)
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] - 1u >= 0x7Fu)
			return 0;
	return 1;
}

/* An id or keyword: required ones must be non-empty; all must be UTF-8. */
static int record_id(const struct record_map *m, char **f, const size_t *lens, int c,
		     int required, const char **out, char *why, size_t whylen)
{
	size_t n;
	const char *v = record_get(m, f, lens, c, &n);
	if (required && record_is_blank(v, n)) {
		snprintf(why, whylen, "%s empty", schema_col_name(c));
		return RECORD_REJECT;
	}
	if (record_plain(v, n)) {
		*out = v;
		return RECORD_OK;
	}
	/* the store keeps ids as C strings: "c1\0x" would be counted as c1 */
	if (memchr(v, '\0', n)) {
		snprintf(why, whylen, "%s: contains a NUL byte", schema_col_name(c));
		return RECORD_REJECT;
	}
	if (!parse_utf8_valid(v, n)) {
		snprintf(why, whylen, "%s: invalid UTF-8", schema_col_name(c));
		return RECORD_REJECT;
	}
	*out = v;
	return RECORD_OK;
}

/* Free text: invalid UTF-8 and NUL bytes (which would cut the C string
 * short) become U+FFFD, never a rejection. */
static const char *record_text(const struct record_map *m, char **f, const size_t *lens, int c,
			       int slot)
{
	static const char fffd[3] = { '\xEF', '\xBF', '\xBD' };
	size_t n, k = 0;
	const char *v = record_get(m, f, lens, c, &n);
	const char *nul;
	if (record_plain(v, n) || (!memchr(v, '\0', n) && parse_utf8_valid(v, n)))
		return v;
	record_fix[slot] = xgrow(record_fix[slot], &record_fix_cap[slot], 3 * n + 1, 1);
	char *d = record_fix[slot];
	size_t cap = record_fix_cap[slot];
	for (const char *p = v, *e = v + n; p <= e; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(e - p));
		size_t seg = (size_t)((nul ? nul : e) - p);
		k += parse_utf8_repair(d + k, cap - k, p, seg);
		if (!nul)
			break;
		memcpy(d + k, fffd, 3);
		k += 3;
		d[k] = '\0';
	}
	return d;
}

/* A date or time field through the column's date_format (or ISO 8601),
 * in UTC: a time written without a zone is in the source's timezone (UTC
 * if none). A plain date stays the calendar day it names. */
static int record_parse_time(struct record_map *m, int c, const char *v, size_t n, int64_t *out,
			     const char **why)
{
	const struct config_source *src = m->src;
	int64_t ts;
	int has_time, utc;
	if (m->fmt[c]) {
		struct datefmt_value dv;
		if (datefmt_parse(m->fmt[c], src->abbrevs, src->nabbrevs, &m->memo[c], v, n, &dv,
				  why) < 0)
			return -1;
		ts = dv.has_zone ? dv.local - dv.zone_off : dv.local;
		has_time = dv.has_time;
		utc = dv.has_zone;
	} else {
		unsigned flags;
		if (parse_timestamp_ex(v, n, &ts, &flags, why) < 0)
			return -1;
		has_time = (flags & PARSE_TS_TIME) != 0;
		utc = (flags & PARSE_TS_ZONE) != 0;
	}
	if (has_time && !utc && src->tz)
		ts = tz_local_to_utc(src->tz, ts);
	if (ts < 0 || ts >= PARSE_TS_END) {
		*why = "year out of range 1970-2199";
		return -1;
	}
	*out = ts;
	return 0;
}

static int record_time(struct record_map *m, char **f, const size_t *lens, int c,
		       int required, int64_t *out, int *present, char *why, size_t whylen)
{
	size_t n;
	const char *why2;
	const char *v = record_get(m, f, lens, c, &n);
	if (m->idx[c] < 0 && m->konst[c] && (c == SCHEMA_COL_TIMESTAMP || c == SCHEMA_COL_DATE)) {
		*out = m->konst_ts;
		if (present)
			*present = 1;
		return RECORD_OK;
	}
	if (record_is_blank(v, n)) {
		if (present)
			*present = 0;
		if (required) {
			snprintf(why, whylen, "%s empty", schema_col_name(c));
			return RECORD_REJECT;
		}
		return RECORD_OK;
	}
	if (record_parse_time(m, c, v, n, out, &why2) < 0) {
		if (m->fmt[c]) {
			char reason[128];
			snprintf(reason, sizeof reason, "%s (date_format %s)", why2, m->fmt[c]->text);
			return record_reject(why, whylen, schema_col_name(c), v, n, reason);
		}
		return record_reject(why, whylen, schema_col_name(c), v, n, why2);
	}
	if (present)
		*present = 1;
	return RECORD_OK;
}

static int record_num(const struct record_map *m, char **f, const size_t *lens, int c,
		      int required, double *out, int *present, char *why, size_t whylen)
{
	size_t n;
	const char *why2;
	const char *v = record_get(m, f, lens, c, &n);
	*present = 0;
	if (record_is_blank(v, n)) {
		if (required) {
			snprintf(why, whylen, "%s empty", schema_col_name(c));
			return RECORD_REJECT;
		}
		return RECORD_OK;
	}
	if (m->src->decimal_comma) {
		if (parse_decimal_comma(v, n, out, &why2) < 0)
			return record_reject(why, whylen, schema_col_name(c), v, n, why2);
	} else if (m->src->lenient_numbers && n < 64) {
		/* numbers = lenient: currency symbols, spaces, apostrophes and
		 * commas are thousands decoration around a '.' decimal point */
		char t[64];
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)v[i];
			if (ch == '$' || ch == ',' || ch == ' ' || ch == '\'' || ch == '_')
				continue;
			if (ch == 0xE2 && i + 2 < n && (unsigned char)v[i + 1] == 0x82 &&
			    (unsigned char)v[i + 2] == 0xAC) { /* euro sign */
				i += 2;
				continue;
			}
			if (ch == 0xC2 && i + 1 < n &&
			    ((unsigned char)v[i + 1] == 0xA3 || (unsigned char)v[i + 1] == 0xA5)) {
				i += 1; /* pound, yen */
				continue;
			}
			t[k++] = (char)ch;
		}
		if (parse_decimal(t, k, out, &why2) < 0)
			return record_reject(why, whylen, schema_col_name(c), v, n, why2);
	} else if (parse_decimal(v, n, out, &why2) < 0)
		return record_reject(why, whylen, schema_col_name(c), v, n, why2);
	if (*out < 0 && c != SCHEMA_COL_VALUE)
		return record_reject(why, whylen, schema_col_name(c), v, n, "negative");
	*present = 1;
	return RECORD_OK;
}

static int record_is_na(const struct config_source *src, const char *v, size_t n)
{
	if (record_is_blank(v, n))
		return 1;
	for (size_t i = 0; i < src->nna; i++)
		if (record_word_eq(src->na[i], v, n))
			return 1;
	return 0;
}

static int record_events(struct record_map *m, char **f, const size_t *lens,
			 struct record *r, char *why, size_t whylen)
{
	int st, present;
	size_t n;
	const char *v, *why2;

	if ((st = record_time(m, f, lens, SCHEMA_COL_TIMESTAMP, 1, &r->ts, NULL, why, whylen)))
		return st;
	if ((st = record_id(m, f, lens, SCHEMA_COL_CUSTOMER_ID, 1, &r->customer, why, whylen)))
		return st;
	v = record_get(m, f, lens, SCHEMA_COL_EVENT, &n);
	if (record_is_blank(v, n)) {
		snprintf(why, whylen, "event empty");
		return RECORD_REJECT;
	}
	r->event = record_event_cached(m, v, n);
	if (r->event < 0) {
		record_excerpt(why, whylen < 64 ? whylen : 64, v, n);
		return RECORD_UNKNOWN_EVENT;
	}
	/* An event need not belong to a campaign: automation (flow) e-mails,
	 * orders nobody attributed, survey invitations. The store counts them
	 * where no campaign is needed and in the "(no campaign)" row. */
	if ((st = record_id(m, f, lens, SCHEMA_COL_CAMPAIGN_ID, 0, &r->campaign, why, whylen)))
		return st;
	if (r->event == SCHEMA_EV_MACHINE_OPEN) {
		r->event = SCHEMA_EV_OPEN;
		r->machine = 1;
	}
	v = record_get(m, f, lens, SCHEMA_COL_MACHINE, &n);
	if (!record_is_blank(v, n)) {
		int b;
		if (parse_bool(v, n, &b, &why2) < 0)
			return record_refuse(m, SCHEMA_COL_MACHINE, why, whylen, v, n, why2);
		r->machine |= b;
	}
	if ((st = record_num(m, f, lens, SCHEMA_COL_VALUE, 0, &r->value, &present, why, whylen)))
		return st;
	r->has_value = present;
	return RECORD_OK;
}

static int record_responses(struct record_map *m, char **f, const size_t *lens,
			    struct record *r, char *why, size_t whylen)
{
	int st, lo, hi;
	size_t n;
	long score;
	const char *v, *why2;

	if ((st = record_time(m, f, lens, SCHEMA_COL_TIMESTAMP, 1, &r->ts, NULL, why, whylen)))
		return st;
	/* an anonymous answer counts in NPS, CSAT and CES, not in joins on
	 * the customer */
	if ((st = record_id(m, f, lens, SCHEMA_COL_CUSTOMER_ID, 0, &r->customer, why, whylen)))
		return st;
	v = record_get(m, f, lens, SCHEMA_COL_SURVEY, &n);
	{
		char w[16];
		size_t k = 0;
		while (n && (*v == ' ')) {
			v++;
			n--;
		}
		while (n && v[n - 1] == ' ')
			n--;
		if (n < sizeof w && !memchr(v, '\0', n)) {
			memcpy(w, v, n);
			w[n] = '\0';
			k = 1;
		}
		r->survey = k ? schema_survey_find(w) : -1;
		if (r->survey < 0)
			return record_refuse(m, SCHEMA_COL_SURVEY, why, whylen, v, n,
					     "not nps, csat or ces");
	}
	v = record_get(m, f, lens, SCHEMA_COL_SCORE, &n);
	if (record_is_na(m->src, v, n))
		return RECORD_NA;
	if (parse_int(v, n, &score, &why2) < 0)
		return record_refuse(m, SCHEMA_COL_SCORE, why, whylen, v, n, why2);
	lo = m->src->scale[r->survey].lo;
	hi = m->src->scale[r->survey].hi;
	if (score < lo || score > hi) {
		char reason[48];
		snprintf(reason, sizeof reason, "out of range %d-%d for %s", lo, hi,
			 schema_survey_name(r->survey));
		return record_reject(why, whylen, "score", v, n, reason);
	}
	{
		/* a source's own scale (scale.csat = 0-2) is read onto the
		 * standard one, linearly and rounded: 0, 1, 2 are 1, 3, 5 */
		int dlo, dhi;
		schema_survey_range(r->survey, &dlo, &dhi);
		if (lo != dlo || hi != dhi)
			score = dlo + ((score - lo) * (dhi - dlo) * 2 + (hi - lo)) / (2 * (hi - lo));
	}
	r->score = (int)score;
	if ((st = record_id(m, f, lens, SCHEMA_COL_CAMPAIGN_ID, 0, &r->campaign, why, whylen)))
		return st;
	if ((st = record_id(m, f, lens, SCHEMA_COL_SEGMENT, 0, &r->segment, why, whylen)))
		return st;
	r->comment = record_text(m, f, lens, SCHEMA_COL_COMMENT, 0);
	return RECORD_OK;
}

static int record_customers(struct record_map *m, char **f, const size_t *lens,
			    struct record *r, char *why, size_t whylen)
{
	int st;
	size_t n;
	const char *v, *why2;

	if ((st = record_id(m, f, lens, SCHEMA_COL_CUSTOMER_ID, 1, &r->customer, why, whylen)))
		return st;
	/* a dated table needs each signup date; one with tenure instead has
	 * none (its customers count in the churned share and ARPU, not in
	 * the monthly rates, which need days) */
	int dated = m->idx[SCHEMA_COL_SIGNUP_DATE] >= 0 || m->konst[SCHEMA_COL_SIGNUP_DATE];
	if ((st = record_time(m, f, lens, SCHEMA_COL_SIGNUP_DATE, dated, &r->signup, &r->has_signup,
			      why, whylen)))
		return st;
	if ((st = record_time(m, f, lens, SCHEMA_COL_CHURN_DATE, 0, &r->churn, &r->has_churn, why,
			      whylen)))
		return st;
	r->churned = r->has_churn;
	v = record_get(m, f, lens, SCHEMA_COL_CHURNED, &n);
	if (!record_is_blank(v, n)) {
		int b;
		if (parse_bool(v, n, &b, &why2) < 0)
			return record_refuse(m, SCHEMA_COL_CHURNED, why, whylen, v, n, why2);
		if (!b && r->has_churn) {
			v = record_get(m, f, lens, SCHEMA_COL_CHURN_DATE, &n);
			return record_reject(why, whylen, "churn_date", v, n,
					     "given for a customer whose churned flag says no");
		}
		r->churned |= b;
	}
	{
		int present;
		if ((st = record_num(m, f, lens, SCHEMA_COL_TENURE, 0, &r->tenure, &present, why,
				     whylen)))
			return st;
		r->has_tenure = present;
	}
	/* day granularity, as the churn figures are: a churn on the signup day
	 * is fine, one before it is a broken row */
	if (r->has_churn && r->has_signup && parse_day(r->churn) < parse_day(r->signup)) {
		v = record_get(m, f, lens, SCHEMA_COL_CHURN_DATE, &n);
		return record_reject(why, whylen, "churn_date", v, n, "before signup_date");
	}
	if ((st = record_id(m, f, lens, SCHEMA_COL_SEGMENT, 0, &r->segment, why, whylen)))
		return st;
	r->opted_in = 1;
	v = record_get(m, f, lens, SCHEMA_COL_OPTED_IN, &n);
	if (!record_is_blank(v, n) && parse_bool(v, n, &r->opted_in, &why2) < 0)
		return record_refuse(m, SCHEMA_COL_OPTED_IN, why, whylen, v, n, why2);
	return record_num(m, f, lens, SCHEMA_COL_MONTHLY_REVENUE, 0, &r->revenue, &r->has_revenue,
			  why, whylen);
}

static int record_campaigns(struct record_map *m, char **f, const size_t *lens,
			    struct record *r, char *why, size_t whylen)
{
	int st, present;
	size_t n;

	if ((st = record_id(m, f, lens, SCHEMA_COL_CAMPAIGN_ID, 1, &r->campaign, why, whylen)))
		return st;
	record_get(m, f, lens, SCHEMA_COL_NAME, &n);
	r->name = record_text(m, f, lens, SCHEMA_COL_NAME, 1);
	if ((st = record_id(m, f, lens, SCHEMA_COL_CHANNEL, 0, &r->channel, why, whylen)))
		return st;
	if ((st = record_time(m, f, lens, SCHEMA_COL_START_DATE, 0, &r->start, &r->has_start, why,
			      whylen)))
		return st;
	return record_num(m, f, lens, SCHEMA_COL_SPEND, 0, &r->spend, &present, why, whylen);
}

static int record_awareness(struct record_map *m, char **f, const size_t *lens,
			    struct record *r, char *why, size_t whylen)
{
	int st, p, pa, pk;

	if ((st = record_time(m, f, lens, SCHEMA_COL_DATE, 1, &r->ts, NULL, why, whylen)))
		return st;
	if ((st = record_num(m, f, lens, SCHEMA_COL_IMPRESSIONS, 1, &r->impressions, &p, why,
			     whylen)))
		return st;
	if ((st = record_id(m, f, lens, SCHEMA_COL_CAMPAIGN_ID, 0, &r->campaign, why, whylen)))
		return st;
	if ((st = record_num(m, f, lens, SCHEMA_COL_REACH, 0, &r->reach, &p, why, whylen)))
		return st;
	if ((st = record_num(m, f, lens, SCHEMA_COL_AWARE, 0, &r->aware, &pa, why, whylen)))
		return st;
	if ((st = record_num(m, f, lens, SCHEMA_COL_ASKED, 0, &r->asked, &pk, why, whylen)))
		return st;
	if (pa && pk && r->aware > r->asked) {
		snprintf(why, whylen, "aware %.0f greater than asked %.0f", r->aware, r->asked);
		return RECORD_REJECT;
	}
	r->has_brand = pa && pk;
	return RECORD_OK;
}

enum record_status record_from_row(struct record_map *m, char **f, const size_t *lens,
				   size_t n, struct record *r, char *why, size_t whylen)
{
	static const char empty[] = "";

	if (n != m->nfields) {
		snprintf(why, whylen, "%zu field%s, the header has %zu", n, n == 1 ? "" : "s",
			 m->nfields);
		return RECORD_REJECT;
	}
	memset(r, 0, sizeof *r);
	r->kind = m->kind;
	r->customer = r->campaign = r->segment = r->comment = r->name = r->channel = empty;
	switch (m->kind) {
	case SCHEMA_EVENTS:
		return record_events(m, f, lens, r, why, whylen);
	case SCHEMA_RESPONSES:
		return record_responses(m, f, lens, r, why, whylen);
	case SCHEMA_CUSTOMERS:
		return record_customers(m, f, lens, r, why, whylen);
	case SCHEMA_CAMPAIGNS:
		return record_campaigns(m, f, lens, r, why, whylen);
	case SCHEMA_AWARENESS:
		return record_awareness(m, f, lens, r, why, whylen);
	}
	snprintf(why, whylen, "unknown source kind");
	return RECORD_REJECT;
}

void record_thread_free(void)
{
	for (int i = 0; i < 2; i++) {
		free(record_fix[i]);
		record_fix[i] = NULL;
		record_fix_cap[i] = 0;
	}
}
