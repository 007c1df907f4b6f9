/* detect: a commented config for export files cxtop has not seen.
 * See include/cxtop/detect.h.
 *
 * Per file: decode the sample (a UTF-16 byte order mark, valid UTF-8, else
 * Windows-1252 or Latin-1), find the delimiter (the candidate that splits
 * the first lines into the same number of fields), split the rows with
 * libcsv, recognise extra header rows (Qualtrics' ImportId row,
 * SurveyMonkey's sub-answers), score each source kind by the headers it
 * names (lexicon) and by what the values look like, map the columns, and
 * look at the values of each mapped column: date formats (day/month order
 * from values over 12), decimals, event words, score words and scales,
 * survey names, yes/no words.
 *
 * Everything written is checked the way cxtop will read it (datefmt,
 * parse, valmap's syntax), so the config loads; what could not be decided
 * is written as a "check:" comment. Text from the file that goes into a
 * comment is made printable first: the config goes to a terminal. */
#include "cxtop/detect.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/datefmt.h"
#include "cxtop/lexicon.h"
#include "cxtop/parse.h"
#include "cxtop/schema.h"
#include "cxtop/tz.h"
#include "cxtop/util.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DT_ROWS_MAX 2000
#define DT_FIELDS_MAX 1024
#define DT_DISTINCT_MAX 64

struct dt_row {
	char **f;
	size_t n;
};

struct dt_file {
	const struct detect_input *in;
	int enc;       /* enum config_encoding */
	int bom16;     /* UTF-16 by its byte order mark */
	char *text;
	size_t len;
	char delim;
	struct dt_row *rows;
	size_t nrows, rows_cap;
	struct dt_row cur; /* the row libcsv is filling */
	size_t cur_cap;
	int header_rows, subheader;
	char **names;
	size_t nnames;
	int kind;
	int col[SCHEMA_COL_COUNT];
	int span_days;     /* of the dates seen, for window = all */
	int const_event;   /* an events file without an event column: the event
			      its name says (unsubscribes.csv), else -1 */
	int score_by_values; /* the score column was found by its values */
	int day_first_hint;
};

/* ---- text from the file, made safe --------------------------------------- */

/* s for a comment: control bytes (C0, DEL, C1) as '?', at most max bytes. */
static void dt_safe(FILE *o, const char *s, size_t max)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			fputc('?', o);
		else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0) {
			fputc('?', o);
			i++;
		} else
			fputc(c, o);
	}
	if (n > max)
		fputs("...", o);
}

/* 1 if s can be a config value at all: no control bytes (a line break
 * would end it). */
static int dt_writable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
			return 0;
	return 1;
}

/* A value as inifile reads it back: quoted (with "" for a quote) when it
 * starts or ends with a space or a quote, or holds " ;" (a comment). */
static void dt_value(FILE *o, const char *s)
{
	size_t n = strlen(s);
	int quote = n == 0 || s[0] == ' ' || s[0] == '"' || s[n - 1] == ' ' || strstr(s, " ;") ||
		    strstr(s, "\t;") || s[0] == ';' || s[0] == '#';
	if (!quote) {
		fputs(s, o);
		return;
	}
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', o);
		fputc(*s, o);
	}
	fputc('"', o);
}

/* ---- decoding -------------------------------------------------------------- */

static int dt_decode(struct dt_file *f, char *err, size_t errlen)
{
	const unsigned char *d = f->in->data;
	size_t n = f->in->n;
	int cut = f->in->size > n; /* the sample ends inside the file */

	f->enc = CONFIG_ENC_UTF8;
	if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
		int le = d[0] == 0xFF;
		f->enc = le ? CONFIG_ENC_UTF16LE : CONFIG_ENC_UTF16BE;
		f->bom16 = 1;
		f->text = xmalloc(2 * n + 8);
		f->len = parse_utf16_to_utf8(f->text, 2 * n + 8, d + 2, n - 2, le);
	} else {
		if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
			d += 3;
			n -= 3;
		}
		if (cut) { /* whole lines only: a character may be split at the end */
			const unsigned char *nl = NULL;
			for (size_t i = n; i > 0; i--)
				if (d[i - 1] == '\n') {
					nl = d + i;
					break;
				}
			if (nl)
				n = (size_t)(nl - d);
		}
		int c1 = 0;
		for (size_t i = 0; i < n; i++)
			c1 |= d[i] >= 0x80 && d[i] < 0xA0;
		if (memchr(d, '\0', n)) {
			snprintf(err, errlen, "not a text file (it holds NUL bytes)");
			return -1;
		}
		if (parse_utf8_valid((const char *)d, n)) {
			f->text = xstrndup((const char *)d, n);
			f->len = n;
		} else {
			/* not UTF-8: a single-byte encoding. Windows-1252 when bytes
			 * 0x80-0x9F occur (in Latin-1 they are control codes no
			 * export writes), else Latin-1 (both read the same then) */
			f->enc = c1 ? CONFIG_ENC_CP1252 : CONFIG_ENC_LATIN1;
			f->text = xmalloc(3 * n + 1);
			f->len = c1 ? parse_cp1252_to_utf8(f->text, 3 * n + 1, (const char *)d, n)
				    : parse_latin1_to_utf8(f->text, 3 * n + 1, (const char *)d, n);
		}
	}
	if (f->bom16 && cut) {
		size_t k = f->len;
		while (k && f->text[k - 1] != '\n')
			k--;
		if (k)
			f->len = k;
	}
	if (memchr(f->text, '\0', f->len)) {
		snprintf(err, errlen, "not a text file (it holds NUL characters)");
		return -1;
	}
	size_t k = 0;
	while (k < f->len && (f->text[k] == ' ' || f->text[k] == '\t' || f->text[k] == '\r' ||
			      f->text[k] == '\n'))
		k++;
	if (k == f->len) {
		snprintf(err, errlen, "empty file (no header row)");
		return -1;
	}
	return 0;
}

/* ---- delimiter and rows ---------------------------------------------------- */

/* The candidate that splits the first lines into one number of fields,
 * most often; outside quotes. */
static char dt_delimiter(const struct dt_file *f)
{
	static const char cand[] = {',', ';', '\t', '|'};
	int best = 0, bestscore = -1;
	for (int k = 0; k < 4; k++) {
		int counts[32], nl = 0, q = 0, cnt = 0;
		for (size_t i = 0; i < f->len && nl < 32; i++) {
			char ch = f->text[i];
			if (ch == '"')
				q = !q;
			else if (!q && ch == cand[k])
				cnt++;
			else if (!q && ch == '\n') {
				counts[nl++] = cnt;
				cnt = 0;
			}
		}
		if (nl < 32 && cnt)
			counts[nl++] = cnt;
		int score = 0;
		for (int i = 0; i < nl; i++)
			score += counts[i] > 0 && counts[i] == counts[0];
		if (score > bestscore) {
			bestscore = score;
			best = k;
		}
	}
	return bestscore > 0 ? cand[best] : ',';
}

static void dt_field(void *s, size_t n, void *data)
{
	struct dt_file *f = data;
	if (f->nrows >= DT_ROWS_MAX || f->cur.n >= DT_FIELDS_MAX)
		return;
	f->cur.f = xgrow(f->cur.f, &f->cur_cap, f->cur.n + 1, sizeof *f->cur.f);
	f->cur.f[f->cur.n++] = util_trim(xstrndup(s ? s : "", n));
}

static void dt_rowend(int term, void *data)
{
	struct dt_file *f = data;
	(void)term;
	if (!f->cur.n)
		return;
	if (f->nrows < DT_ROWS_MAX) {
		f->rows = xgrow(f->rows, &f->rows_cap, f->nrows + 1, sizeof *f->rows);
		f->rows[f->nrows++] = f->cur;
	} else {
		for (size_t i = 0; i < f->cur.n; i++)
			free(f->cur.f[i]);
		free(f->cur.f);
	}
	memset(&f->cur, 0, sizeof f->cur);
	f->cur_cap = 0;
}

static void dt_rows(struct dt_file *f)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		util_fatal("libcsv: cannot initialise parser");
	csv_set_delim(&p, (unsigned char)f->delim);
	csv_parse(&p, f->text, f->len, dt_field, dt_rowend, f);
	csv_fini(&p, dt_field, dt_rowend, f);
	csv_free(&p);
	if (f->cur.n)
		dt_rowend(-1, f);
}

static const char *dt_cell(const struct dt_row *r, size_t i)
{
	return i < r->n ? r->f[i] : "";
}

/* ---- header rows ----------------------------------------------------------- */

static void dt_header(struct dt_file *f)
{
	f->header_rows = 1;
	if (f->nrows >= 3) {
		/* Qualtrics: the third row is {"ImportId":...} JSON */
		size_t nonempty = 0, json = 0;
		for (size_t i = 0; i < f->rows[2].n; i++) {
			const char *c = f->rows[2].f[i];
			nonempty += *c != '\0';
			json += strncmp(c, "{\"ImportId\"", 11) == 0;
		}
		if (nonempty && 2 * json >= nonempty)
			f->header_rows = 3;
	}
	if (f->header_rows == 1 && f->nrows >= 2) {
		/* SurveyMonkey: a second row of sub-answers ("Response", or the
		 * options), under empty cells that continue a question */
		int response = 0, continued = 0;
		for (size_t i = 0; i < f->rows[1].n; i++) {
			response |= util_strieq(f->rows[1].f[i], "Response");
			continued |= i > 0 && !*dt_cell(&f->rows[0], i) && *f->rows[1].f[i];
		}
		if (response && continued) {
			f->header_rows = 2;
			f->subheader = 2;
		}
	}
	const struct dt_row *h = &f->rows[0];
	f->nnames = h->n;
	if (f->subheader)
		f->names = csvin_join_names(h->f, h->n, f->rows[1].f, f->rows[1].n);
	else {
		f->names = xcalloc(h->n ? h->n : 1, sizeof *f->names);
		for (size_t i = 0; i < h->n; i++)
			f->names[i] = xstrdup(h->f[i]);
	}
}

static size_t dt_ndata(const struct dt_file *f)
{
	return f->nrows > (size_t)f->header_rows ? f->nrows - (size_t)f->header_rows : 0;
}

static const struct dt_row *dt_data(const struct dt_file *f, size_t i)
{
	return &f->rows[(size_t)f->header_rows + i];
}

/* Non-empty values of column i in the sample. */
static size_t dt_filled(const struct dt_file *f, int i)
{
	size_t k = 0;
	for (size_t r = 0; r < dt_ndata(f); r++)
		k += *dt_cell(dt_data(f, r), (size_t)i) != '\0';
	return k;
}

/* ---- distinct values --------------------------------------------------------- */

struct dt_distinct {
	char *v[DT_DISTINCT_MAX];
	size_t count[DT_DISTINCT_MAX];
	size_t n;
	int more; /* more distinct values than kept */
};

static int dt_is_na(const char *v)
{
	return !*v || util_strieq(v, "NA") || util_strieq(v, "N/A") || util_strieq(v, "null");
}

static void dt_distinct_of(const struct dt_file *f, int col, struct dt_distinct *d)
{
	memset(d, 0, sizeof *d);
	for (size_t r = 0; r < dt_ndata(f); r++) {
		const char *v = dt_cell(dt_data(f, r), (size_t)col);
		if (dt_is_na(v))
			continue;
		size_t i = 0;
		while (i < d->n && !util_strieq(d->v[i], v))
			i++;
		if (i == d->n) {
			if (d->n == DT_DISTINCT_MAX) {
				d->more = 1;
				continue;
			}
			d->v[d->n++] = (char *)v;
		}
		d->count[i]++;
	}
}

/* An answer that means "no answer": "Unfamiliar (N/A)", "Don't know". */
static int dt_na_word(const char *v)
{
	char f[256];
	if (util_fold(v, strlen(v), f, sizeof f) == SIZE_MAX)
		return 0;
	return strstr(f, "n/a") || strstr(f, "not applicable") || strstr(f, "don't know") ||
	       strstr(f, "weiss nicht") || strstr(f, "wei\xc3\x9f nicht") || strstr(f, "keine angabe");
}

static int dt_is_int(const char *v, long *x)
{
	const char *why;
	return parse_int(v, strlen(v), x, &why) == 0;
}

/* ---- kinds and columns -------------------------------------------------------- */

/* The best header for column c of kind k not yet taken: its index, or -1. */
static int dt_best(const struct dt_file *f, int k, int c, const int *taken, int *rank)
{
	int bi = -1, br = 0, bfilled = 0;
	for (size_t i = 0; i < f->nnames; i++) {
		if (taken[i] || !dt_writable(f->names[i]) || !f->names[i][0])
			continue;
		int r = lexicon_header_rank(k, c, f->names[i]);
		if (!r)
			continue;
		/* a candidate without a value in the sample (Qualtrics'
		 * RecipientEmail of an anonymous survey) loses to one with */
		int filled = dt_filled(f, (int)i) > 0 || !dt_ndata(f);
		if (filled > bfilled || (filled == bfilled && r > br)) {
			bi = (int)i;
			br = r;
			bfilled = filled;
		}
	}
	if (rank)
		*rank = br;
	return bi;
}

/* Share of the event column's values that are event words cxtop knows. */
static double dt_event_share(const struct dt_file *f, int col)
{
	size_t known = 0, all = 0;
	for (size_t r = 0; r < dt_ndata(f); r++) {
		const char *v = dt_cell(dt_data(f, r), (size_t)col);
		if (!*v)
			continue;
		all++;
		int ok = lexicon_event_word(v) >= 0;
		for (int e = 0; !ok && e < SCHEMA_EV_COUNT; e++)
			for (const char *const *a = schema_event_aliases(e); *a && !ok; a++)
				ok = util_strieq(*a, v);
		known += ok;
	}
	return all ? (double)known / (double)all : 0;
}

/* "10 - Extremely likely": a score, " - ", a word. Its score, or -1. */
static long dt_numbered_label(const char *v)
{
	const char *p = v;
	long x = 0;
	int k = 0;
	while (*p >= '0' && *p <= '9' && k < 3) {
		x = x * 10 + (*p++ - '0');
		k++;
	}
	if (!k || x > 10)
		return -1;
	while (*p == ' ')
		p++;
	if (*p != '-' && *p != ':' && *p != '=')
		return -1;
	p++;
	if (*p != ' ')
		return -1;
	while (*p == ' ')
		p++;
	return (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (unsigned char)*p >= 0x80
		       ? x
		       : -1;
}

/* Share of values that are scores (0-10) or words of a known scale;
 * *words says whether words made it. */
static double dt_score_share(const struct dt_file *f, int col, int *words)
{
	struct dt_distinct d;
	dt_distinct_of(f, col, &d);
	size_t ok = 0, all = 0;
	char *folded[DT_DISTINCT_MAX];
	size_t nw = 0;
	for (size_t i = 0; i < d.n; i++) {
		long x;
		all += d.count[i];
		if (dt_is_int(d.v[i], &x) && x >= 0 && x <= 10)
			ok += d.count[i];
		else if (dt_numbered_label(d.v[i]) >= 0 || dt_na_word(d.v[i]))
			ok += d.count[i];
		else {
			char b[256];
			if (util_fold(d.v[i], strlen(d.v[i]), b, sizeof b) != SIZE_MAX)
				folded[nw++] = xstrdup(b);
		}
	}
	if (words)
		*words = 0;
	size_t cov = 0;
	if (nw && lexicon_scale_of(folded, nw, &cov) && cov == nw) {
		for (size_t i = 0; i < d.n; i++) {
			long x;
			if (!dt_is_int(d.v[i], &x) && dt_numbered_label(d.v[i]) < 0 &&
			    !dt_na_word(d.v[i]))
				ok += d.count[i];
		}
		if (words)
			*words = 1;
	}
	for (size_t i = 0; i < nw; i++)
		free(folded[i]);
	return all ? (double)ok / (double)all : 0;
}

/* The event a file's name says ("mailchimp_unsubscribe.csv"), or -1. */
static int dt_name_event(const char *path)
{
	static const struct {
		const char *w;
		int e;
	} words[] = {
		{"unsubscribe", SCHEMA_EV_UNSUBSCRIBE}, {"abmeld", SCHEMA_EV_UNSUBSCRIBE},
		{"optout", SCHEMA_EV_UNSUBSCRIBE},      {"opt-out", SCHEMA_EV_UNSUBSCRIBE},
		{"bounce", SCHEMA_EV_BOUNCE},           {"complaint", SCHEMA_EV_COMPLAINT},
		{"click", SCHEMA_EV_CLICK},             {"open", SCHEMA_EV_OPEN},
		{"order", SCHEMA_EV_CONVERSION},        {"purchase", SCHEMA_EV_CONVERSION},
		{"bestellung", SCHEMA_EV_CONVERSION},   {"kauf", SCHEMA_EV_CONVERSION},
	};
	char f[256];
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (util_fold(b, strlen(b), f, sizeof f) == SIZE_MAX)
		return -1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(f, words[i].w))
			return words[i].e;
	return -1;
}

/* A survey export's score column found by its values: the first column
 * (not an id, a time or a tool's bookkeeping) whose every value is a
 * 0-10 score or a word of a known scale. -1 if none. */
static int dt_score_by_values(const struct dt_file *f, const int *taken)
{
	static const char *const skip[] = {"status", "progress", "finished", "duration (in seconds)",
					   "locationlatitude", "locationlongitude", NULL};
	int first = -1;
	for (size_t i = 0; i < f->nnames; i++) {
		char h[512];
		if (taken[i] || !f->names[i][0] || !dt_writable(f->names[i]) ||
		    util_fold(f->names[i], strlen(f->names[i]), h, sizeof h) == SIZE_MAX)
			continue;
		int bad = 0;
		for (size_t k = 0; skip[k]; k++)
			bad |= strcmp(h, skip[k]) == 0;
		if (bad || strstr(h, "id") == h + strlen(h) - 2 || dt_filled(f, (int)i) == 0)
			continue;
		int words;
		if (dt_score_share(f, (int)i, &words) >= 0.999) {
			if (words)
				return (int)i; /* words of a scale: an opinion, not a rank */
			if (first < 0)
				first = (int)i;
		}
	}
	return first;
}

/* A survey tool's export: more header rows, or questions as headers. */
static int dt_survey_like(const struct dt_file *f)
{
	if (f->header_rows > 1)
		return 1;
	for (size_t i = 0; i < f->nnames; i++)
		if (strchr(f->names[i], '?'))
			return 1;
	return 0;
}

static int dt_required(int k, int c)
{
	if (k == SCHEMA_RESPONSES)
		return c == SCHEMA_COL_SCORE;
	if (k == SCHEMA_CUSTOMERS)
		return c == SCHEMA_COL_CUSTOMER_ID;
	if (k == SCHEMA_EVENTS)
		return c == SCHEMA_COL_EVENT || c == SCHEMA_COL_CUSTOMER_ID;
	return schema_col_use(k, c) == 2;
}

/* Score of kind k for the file, or -1 if it cannot be that kind; fills
 * col[] with its mapping. */
static int dt_kind_score(struct dt_file *f, int k, int *col)
{
	int taken[DT_FIELDS_MAX] = {0}, score = 0;
	/* required columns first, so an optional one cannot take their header */
	for (int pass = 0; pass < 2; pass++)
		for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
			if (!schema_col_use(k, c) || dt_required(k, c) != !pass)
				continue;
			int r, i = dt_best(f, k, c, taken, &r);
			col[c] = i;
			if (i < 0 && !pass && k == SCHEMA_EVENTS && c == SCHEMA_COL_EVENT &&
			    dt_name_event(f->in->name) >= 0)
				continue; /* const.event from the file's name */
			if (i < 0 && !pass && k == SCHEMA_RESPONSES && c == SCHEMA_COL_SCORE &&
			    dt_survey_like(f) && (i = dt_score_by_values(f, taken)) >= 0) {
				col[c] = i;
				r = 50;
			}
			if (i < 0) {
				if (!pass)
					return -1;
				continue;
			}
			if ((size_t)i < DT_FIELDS_MAX)
				taken[i] = 1;
			score += r;
		}
	if (k == SCHEMA_CUSTOMERS && col[SCHEMA_COL_SIGNUP_DATE] < 0 &&
	    col[SCHEMA_COL_TENURE] < 0 && col[SCHEMA_COL_CHURNED] < 0 &&
	    col[SCHEMA_COL_MONTHLY_REVENUE] < 0)
		return -1; /* an id alone is not a customer table */
	if (k == SCHEMA_EVENTS && col[SCHEMA_COL_EVENT] >= 0)
		score += (int)(300 * dt_event_share(f, col[SCHEMA_COL_EVENT])) - 150;
	if (k == SCHEMA_RESPONSES)
		score += (int)(300 * dt_score_share(f, col[SCHEMA_COL_SCORE], NULL)) - 150;
	if (k == SCHEMA_CAMPAIGNS && col[SCHEMA_COL_NAME] < 0)
		return -1;
	return score;
}

static void dt_choose_kind(struct dt_file *f)
{
	int best = -1, bscore = -1, tmp[SCHEMA_COL_COUNT];
	f->kind = -1;
	for (int c = 0; c < SCHEMA_COL_COUNT; c++)
		f->col[c] = -1;
	for (int k = 0; k < SCHEMA_KIND_COUNT; k++) {
		for (int c = 0; c < SCHEMA_COL_COUNT; c++)
			tmp[c] = -1;
		int s = dt_kind_score(f, k, tmp);
		if (s > bscore) {
			bscore = s;
			best = k;
			memcpy(f->col, tmp, sizeof tmp);
		}
	}
	f->kind = best;
	f->const_event = f->kind == SCHEMA_EVENTS && f->col[SCHEMA_COL_EVENT] < 0
				 ? dt_name_event(f->in->name)
				 : -1;
	f->score_by_values = f->kind == SCHEMA_RESPONSES && f->col[SCHEMA_COL_SCORE] >= 0 &&
			     !lexicon_header_rank(SCHEMA_RESPONSES, SCHEMA_COL_SCORE,
						  f->names[f->col[SCHEMA_COL_SCORE]]);
}

/* ---- dates ------------------------------------------------------------------- */

/* Most specific first: the first format every value fits is taken. */
static const char *const dt_formats[] = {
	"%Y/%m/%d %I:%M:%S %p %Z", "%Y/%m/%d %I:%M %p %Z", "%Y/%m/%d %I:%M:%S %p",
	"%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
	"%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
	"%m/%d/%Y", "%m/%d/%y %I:%M:%S %p", "%m/%d/%y %I:%M %p", "%m/%d/%y %H:%M:%S",
	"%m/%d/%y %H:%M", "%m/%d/%y",
	"%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M",
	"%d/%m/%y",
	"%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d.%m.%y %H:%M", "%d.%m.%y",
	"%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%m-%d-%Y %H:%M", "%m-%d-%Y",
	"%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y", "%d. %B %Y", "%b %d, %Y %I:%M %p",
	"%b %d, %Y", "%a, %d %b %Y %H:%M:%S %z", "%Y-%m-%d %H:%M:%S %Z",
};

/* The same format with day and month swapped, or NULL. */
static const char *dt_swapped(const char *fmt)
{
	static char buf[64];
	const char *d = strstr(fmt, "%d"), *m = strstr(fmt, "%m");
	if (!d || !m || strlen(fmt) >= sizeof buf)
		return NULL;
	/* 03.11.2026 is day first wherever dots are written (Germany,
	 * Switzerland, Austria, the Nordics): no other order to weigh */
	if ((d < m ? d : m)[2] == '.')
		return NULL;
	strcpy(buf, fmt);
	buf[d - fmt + 1] = 'm';
	buf[m - fmt + 1] = 'd';
	return buf;
}

static int dt_fits(const char *fmt, char *const *v, size_t n, int *has_zone, int64_t *lo,
		   int64_t *hi, int *timed)
{
	struct datefmt df;
	char err[128];
	if (datefmt_compile(&df, fmt, err, sizeof err) != 0)
		return 0;
	*has_zone = 0;
	*timed = 0;
	for (size_t i = 0; i < n; i++) {
		struct datefmt_value dv;
		const char *why;
		if (datefmt_parse(&df, NULL, 0, NULL, v[i], strlen(v[i]), &dv, &why) != 0)
			return 0;
		*has_zone |= dv.has_zone;
		*timed |= dv.has_time;
		int64_t t = dv.local - (dv.has_zone ? dv.zone_off : 0);
		if (t < *lo)
			*lo = t;
		if (t > *hi)
			*hi = t;
	}
	return 1;
}

/* Write the date handling of column c (key "date_format" or
 * "date_format.X"). */
static void dt_dates(FILE *o, struct dt_file *f, int c, int own_key)
{
	char *v[400];
	size_t n = 0;
	int idx = f->col[c];
	for (size_t r = 0; r < dt_ndata(f) && n < 400; r++) {
		const char *x = dt_cell(dt_data(f, r), (size_t)idx);
		if (*x)
			v[n++] = (char *)x;
	}
	if (!n)
		return;
	/* ISO 8601 and epoch seconds need no format */
	int iso = 1, zone = 1, timed = 0;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < n && iso; i++) {
		int64_t t;
		unsigned fl;
		const char *why;
		iso = parse_timestamp_ex(v[i], strlen(v[i]), &t, &fl, &why) == 0;
		zone &= (fl & PARSE_TS_ZONE) != 0;
		timed |= (fl & PARSE_TS_TIME) != 0;
		if (iso && t < lo)
			lo = t;
		if (iso && t > hi)
			hi = t;
	}
	char key[48];
	snprintf(key, sizeof key, own_key ? "date_format.%s" : "date_format", schema_col_name(c));
	if (iso) {
		if (timed && !zone)
			fprintf(o, "; check: these times have no zone and are read as UTC; if they are "
				   "local times,\n; set timezone = Area/City%s\n",
				f->header_rows == 3 ? " (Qualtrics writes the survey's zone)" : "");
	} else {
		const char *fmt = NULL;
		int has_zone = 0;
		for (size_t i = 0; i < sizeof dt_formats / sizeof dt_formats[0]; i++) {
			int64_t l = INT64_MAX, h = INT64_MIN;
			int t;
			/* a format with a time only for values that have one: dates
			 * alone take the date's own format */
			if (dt_fits(dt_formats[i], v, n, &has_zone, &l, &h, &t) &&
			    (t || (!strstr(dt_formats[i], "%H") && !strstr(dt_formats[i], "%I")))) {
				fmt = dt_formats[i];
				lo = l;
				hi = h;
				break;
			}
		}
		if (!fmt) {
			fputs("; check: the dates of ", o);
			dt_safe(o, f->names[idx], 60);
			fputs(" (such as \"", o);
			dt_safe(o, v[0], 40);
			fputs("\") fit no known layout: write their date_format\n", o);
			fprintf(o, "; %s = %%d.%%m.%%Y %%H:%%M\n", key);
			return;
		}
		const char *sw = dt_swapped(fmt);
		int64_t l2 = INT64_MAX, h2 = INT64_MIN;
		int z2, t2;
		char chosen[64];
		util_strlcpy(chosen, fmt, sizeof chosen);
		if (sw && dt_fits(sw, v, n, &z2, &l2, &h2, &t2)) {
			/* no day above 12 decides: say so, and take the order the
			 * file's other signs suggest */
			int day_first = f->day_first_hint;
			const char *pick = day_first == (strstr(fmt, "%d") < strstr(fmt, "%m")) ? fmt : sw;
			util_strlcpy(chosen, pick, sizeof chosen);
			fprintf(o, "; check: no day above 12 in %zu dates, so day and month could be "
				   "either way round;\n; assumed %s (%s)\n",
				n, strstr(chosen, "%d") < strstr(chosen, "%m") ? "day first" : "month first",
				day_first ? "German or European signs in the file" : "the US tools' default");
			if (pick == sw) {
				lo = l2;
				hi = h2;
			}
		} else if (sw) {
			fprintf(o, "; %s: a value above 12 decides the order\n",
				strstr(chosen, "%d") < strstr(chosen, "%m") ? "day first" : "month first");
		}
		fprintf(o, "%s = %s\n", key, chosen);
		if (strstr(chosen, "%Z")) {
			fputs("; zone abbreviations are read with the built-in list (AST = -04:00, "
			      "CST = -06:00, IST = +05:30);\n; set zone.NAME = +hh:mm if yours mean "
			      "another zone\n", o);
		} else if (!has_zone && (strstr(chosen, "%H") || strstr(chosen, "%I"))) {
			fputs("; check: these times have no zone and are read as UTC; if they are local "
			      "times,\n; set timezone = Area/City\n", o);
		}
	}
	if (hi > lo && (c == SCHEMA_COL_TIMESTAMP || c == SCHEMA_COL_DATE)) {
		int days = (int)((hi - lo) / 86400);
		if (days > f->span_days)
			f->span_days = days;
	}
}

/* ---- numbers ----------------------------------------------------------------- */

static void dt_numbers(FILE *o, struct dt_file *f, int *comma_written)
{
	static const int cols[] = {SCHEMA_COL_VALUE, SCHEMA_COL_MONTHLY_REVENUE, SCHEMA_COL_SPEND,
				   SCHEMA_COL_IMPRESSIONS, SCHEMA_COL_REACH, SCHEMA_COL_TENURE};
	int point_ok = 1, comma_ok = 1, lenient = 0, any = 0, grouped = 0;
	for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
		int idx = f->col[cols[k]];
		if (idx < 0 || !schema_col_use(f->kind, cols[k]))
			continue;
		for (size_t r = 0; r < dt_ndata(f); r++) {
			const char *v = dt_cell(dt_data(f, r), (size_t)idx);
			double x;
			const char *why;
			if (!*v)
				continue;
			any = 1;
			int p = parse_decimal(v, strlen(v), &x, &why) == 0;
			int c = parse_decimal_comma(v, strlen(v), &x, &why) == 0;
			point_ok &= p;
			comma_ok &= c;
			grouped |= strchr(v, ',') != NULL;
			lenient |= !p && (strchr(v, '$') || strchr(v, ','));
		}
	}
	if (!any)
		return;
	if (!point_ok && comma_ok) {
		fputs("; amounts are written with a decimal comma (1.234,56)\ndecimal = comma\n", o);
		*comma_written = 1;
	} else if (point_ok && comma_ok && !grouped && f->day_first_hint) {
		fputs("; check: every amount reads the same with a decimal point or comma; read "
		      "with a point\n", o);
	} else if (!point_ok && lenient) {
		fputs("; amounts carry currency signs or thousands commas ($1,200.50)\nnumbers = "
		      "lenient\n", o);
	} else if (!point_ok) {
		fputs("; check: some amounts are not numbers cxtop reads (see the rejections)\n", o);
	}
}

/* ---- value maps ---------------------------------------------------------------- */

/* A label cxtop can write in a map: no quote (valmap cannot escape one),
 * no pattern characters (they would make it a pattern). */
static int dt_label_ok(const char *s)
{
	return dt_writable(s) && !strpbrk(s, "\"*?[");
}

/* Append "label: value" to a map being built in buf. */
static void dt_map_add(char **buf, size_t *len, size_t *cap, const char *label, const char *value)
{
	int quote = strpbrk(label, ",:") != NULL;
	size_t need = *len + strlen(label) + strlen(value) + 8;
	*buf = xgrow(*buf, cap, need, 1);
	*len += (size_t)snprintf(*buf + *len, *cap - *len, "%s%s%s%s: %s", *len ? ", " : "",
				 quote ? "\"" : "", label, quote ? "\"" : "", value);
}

static void dt_map_write(FILE *o, const char *col, const char *buf)
{
	fprintf(o, "map.%s = ", col);
	dt_value(o, buf);
	fputc('\n', o);
}

/* The score column: numbers (a 0-10 question is NPS), "N - label" values,
 * or the words of a known scale. Writes map.score, const.survey, scale.X
 * and na as needed; *survey gets the survey (or -1). */
static void dt_scores(FILE *o, const struct dt_file *f, int *survey_out)
{
	struct dt_distinct d;
	int idx = f->col[SCHEMA_COL_SCORE];
	dt_distinct_of(f, idx, &d);
	long lo = 1000, hi = -1;
	char *words[DT_DISTINCT_MAX], *map = NULL, *na = NULL;
	size_t nw = 0, mlen = 0, mcap = 0, nalen = 0, nacap = 0;
	int survey = -1;
	for (size_t i = 0; i < d.n; i++) {
		long x;
		const char *v = d.v[i];
		if (dt_is_int(v, &x)) {
			if (x < lo)
				lo = x;
			if (x > hi)
				hi = x;
		} else if (dt_numbered_label(v) >= 0 && dt_label_ok(v)) {
			/* "10 - Extremely likely": the number is the score */
			long s = dt_numbered_label(v);
			char num[24];
			snprintf(num, sizeof num, "%ld", s);
			dt_map_add(&map, &mlen, &mcap, v, num);
			if (s < lo)
				lo = s;
			if (s > hi)
				hi = s;
		} else {
			char b[256];
			if (dt_na_word(v)) {
				if (dt_label_ok(v) && !strchr(v, ',')) {
					nacap = nalen + strlen(v) + 4 > nacap ? nalen + strlen(v) + 64 : nacap;
					na = xrealloc(na, nacap);
					nalen += (size_t)snprintf(na + nalen, nacap - nalen, "%s%s",
								  nalen ? ", " : "", v);
				}
				continue;
			}
			if (util_fold(v, strlen(v), b, sizeof b) != SIZE_MAX)
				words[nw++] = xstrdup(b);
		}
	}
	size_t cov = 0;
	const struct lexicon_scale *sc = nw ? lexicon_scale_of(words, nw, &cov) : NULL;
	if (sc) {
		for (size_t i = 0; sc->labels[i]; i++) {
			char num[16];
			snprintf(num, sizeof num, "%d", sc->scores[i]);
			/* the file's own spelling where it has the label */
			const char *label = sc->labels[i];
			for (size_t j = 0; j < d.n; j++) {
				char b[256];
				if (util_fold(d.v[j], strlen(d.v[j]), b, sizeof b) != SIZE_MAX &&
				    strcmp(b, sc->labels[i]) == 0 && dt_label_ok(d.v[j]))
					label = d.v[j];
			}
			dt_map_add(&map, &mlen, &mcap, label, num);
		}
		fprintf(o, "; the answers are words of a known scale: %s\n", sc->name);
		for (size_t i = 0; i < nw; i++) {
			if (lexicon_scale_has(sc, words[i]))
				continue;
			fputs("; check: \"", o);
			dt_safe(o, words[i], 60);
			fputs("\" is not in that scale: its rows are rejected (listed once) unless "
			      "you add it to map.score\n", o);
		}
		survey = sc->survey;
		if (sc->lo < lo)
			lo = sc->lo;
		if (sc->hi > hi)
			hi = sc->hi;
	} else if (nw) {
		fprintf(o, "; check: %zu answer%s in no known scale, such as \"", nw, nw == 1 ? "" : "s");
		dt_safe(o, words[0], 40);
		fputs("\": add them to map.score (label: score) or they are rejected\n", o);
	}
	if (map)
		dt_map_write(o, "score", map);
	if (na) {
		fputs("; answers that mean \"no answer\"\nna = ", o);
		dt_value(o, na);
		fputc('\n', o);
	}
	if (f->col[SCHEMA_COL_SURVEY] < 0 && survey < 0 && hi >= 0) {
		/* the question decides, else the range */
		const char *h = f->names[idx];
		int q = lexicon_survey_name(h);
		char fh[512];
		util_fold(h, strlen(h), fh, sizeof fh);
		if (q < 0 && (strstr(fh, "satisf") || strstr(fh, "zufrieden") || strstr(fh, "useful")))
			q = SCHEMA_SURVEY_CSAT;
		if (q < 0 && (strstr(fh, "easy") || strstr(fh, "einfach")))
			q = SCHEMA_SURVEY_CES;
		if (q >= 0)
			survey = q;
		else if (lo >= 0 && hi <= 10 && hi > 7)
			survey = SCHEMA_SURVEY_NPS;
		else if (lo >= 1 && hi <= 5)
			survey = SCHEMA_SURVEY_CSAT;
		if (survey >= 0 && q < 0)
			fprintf(o, "; check: read as %s from the scores alone (%ld-%ld)\n",
				schema_survey_name(survey), lo, hi);
	}
	if (survey >= 0 && f->col[SCHEMA_COL_SURVEY] < 0)
		fprintf(o, "const.survey = %s\n", schema_survey_name(survey));
	if (survey == SCHEMA_SURVEY_CSAT || survey == SCHEMA_SURVEY_CES) {
		int slo, shi;
		schema_survey_range(survey, &slo, &shi);
		long want_lo = sc ? sc->lo : lo, want_hi = sc ? sc->hi : hi;
		if (want_lo >= 0 && want_hi > want_lo && (want_lo != slo || want_hi != shi) &&
		    want_hi <= 100 && (sc || want_hi < shi)) {
			if (!sc)
				fprintf(o, "; check: the scale is the range of the scores seen (%ld-%ld); "
					   "set the question's own\n", want_lo, want_hi);
			fprintf(o, "; scores %ld-%ld are read onto the %d-%d scale\nscale.%s = %ld-%ld\n",
				want_lo, want_hi, slo, shi, schema_survey_name(survey), want_lo, want_hi);
		}
	}
	if (survey < 0 && f->col[SCHEMA_COL_SURVEY] < 0)
		fputs("; check: which survey is this (nps 0-10, csat 1-5, ces 1-7)?\n; const.survey = "
		      "nps\n", o);
	*survey_out = survey;
	for (size_t i = 0; i < nw; i++)
		free(words[i]);
	free(map);
	free(na);
}

/* The survey column: nps/csat/ces as they are, or free-text names mapped
 * by the keyword that names the survey. */
static void dt_surveys(FILE *o, const struct dt_file *f)
{
	struct dt_distinct d;
	dt_distinct_of(f, f->col[SCHEMA_COL_SURVEY], &d);
	char *map = NULL;
	size_t mlen = 0, mcap = 0, unknown = 0;
	const char *first_unknown = NULL;
	const char *seen[16];
	size_t nseen = 0;
	for (size_t i = 0; i < d.n; i++) {
		if (schema_survey_find(d.v[i]) >= 0)
			continue;
		const char *kw;
		int s = lexicon_survey_keyword(d.v[i], &kw);
		if (s < 0) {
			unknown++;
			first_unknown = first_unknown ? first_unknown : d.v[i];
			continue;
		}
		size_t j = 0;
		while (j < nseen && strcmp(seen[j], kw) != 0)
			j++;
		if (j < nseen || nseen == 16)
			continue;
		seen[nseen++] = kw;
		char pat[64];
		snprintf(pat, sizeof pat, "*%s*", kw);
		dt_map_add(&map, &mlen, &mcap, pat, schema_survey_name(s));
	}
	if (map) {
		fputs("; the survey column names surveys in free text: sorted by their words\n", o);
		dt_map_write(o, "survey", map);
	}
	if (unknown) {
		fprintf(o, "; check: %zu survey name%s not recognised, such as \"", unknown,
			unknown == 1 ? "" : "s");
		dt_safe(o, first_unknown, 60);
		fputs("\": add them to map.survey\n", o);
	}
	free(map);
}

/* Event words: default aliases need nothing; German and tool words get an
 * event.X line; the rest are named in a comment (cxtop counts them as
 * unknown words, not as rejections). */
static void dt_events(FILE *o, const struct dt_file *f)
{
	struct dt_distinct d;
	dt_distinct_of(f, f->col[SCHEMA_COL_EVENT], &d);
	char *lists[SCHEMA_EV_COUNT] = {0};
	size_t lens[SCHEMA_EV_COUNT] = {0}, caps[SCHEMA_EV_COUNT] = {0};
	for (size_t i = 0; i < d.n; i++) {
		int known = 0;
		for (int e = 0; !known && e < SCHEMA_EV_COUNT; e++)
			for (const char *const *a = schema_event_aliases(e); *a && !known; a++)
				known = util_strieq(*a, d.v[i]);
		if (known)
			continue;
		int e = lexicon_event_word(d.v[i]);
		if (e >= 0 && dt_writable(d.v[i]) && !strchr(d.v[i], ',')) {
			lists[e] = xgrow(lists[e], &caps[e], lens[e] + strlen(d.v[i]) + 4, 1);
			lens[e] += (size_t)snprintf(lists[e] + lens[e], caps[e] - lens[e], "%s%s",
						    lens[e] ? ", " : "", d.v[i]);
			continue;
		}
		fputs("; unknown event word \"", o);
		dt_safe(o, d.v[i], 60);
		fprintf(o, "\" (%zu rows): counted, not read; map it with event.NAME = ...\n",
			d.count[i]);
	}
	for (int e = 0; e < SCHEMA_EV_COUNT; e++)
		if (lists[e]) {
			fprintf(o, "event.%s = ", schema_event_name(e));
			dt_value(o, lists[e]);
			fputc('\n', o);
			free(lists[e]);
		}
}

/* A yes/no column: parse_bool's words need nothing; ja/nein get a map. */
static void dt_bools(FILE *o, const struct dt_file *f, int c)
{
	struct dt_distinct d;
	dt_distinct_of(f, f->col[c], &d);
	char *map = NULL;
	size_t mlen = 0, mcap = 0;
	int bad = 0;
	for (size_t i = 0; i < d.n; i++) {
		int b;
		const char *why;
		if (parse_bool(d.v[i], strlen(d.v[i]), &b, &why) == 0)
			continue;
		b = lexicon_bool_word(d.v[i]);
		if (b < 0 || !dt_label_ok(d.v[i])) {
			bad++;
			continue;
		}
		dt_map_add(&map, &mlen, &mcap, d.v[i], b ? "yes" : "no");
	}
	if (map)
		dt_map_write(o, schema_col_name(c), map);
	if (bad)
		fprintf(o, "; check: %d value%s of %s are not yes or no\n", bad, bad == 1 ? "" : "s",
			schema_col_name(c));
	free(map);
}

/* ---- one section ----------------------------------------------------------------- */

static const char *dt_encoding_name(int e)
{
	switch (e) {
	case CONFIG_ENC_LATIN1:
		return "latin1";
	case CONFIG_ENC_CP1252:
		return "windows-1252";
	case CONFIG_ENC_UTF16LE:
		return "utf-16le";
	case CONFIG_ENC_UTF16BE:
		return "utf-16be";
	default:
		return "utf-8";
	}
}

static const char *dt_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* German or European signs: the day probably comes first. */
static int dt_day_first(const struct dt_file *f)
{
	if (f->delim == ';' || f->enc == CONFIG_ENC_CP1252)
		return 1;
	for (size_t i = 0; i < f->nnames; i++) {
		const unsigned char *p = (const unsigned char *)f->names[i];
		for (; *p; p++)
			if (p[0] == 0xC3 && (p[1] == 0xA4 || p[1] == 0xB6 || p[1] == 0xBC || p[1] == 0x9F))
				return 1; /* ä ö ü ß */
		if (lexicon_header_rank(SCHEMA_EVENTS, SCHEMA_COL_TIMESTAMP, f->names[i]) &&
		    (util_strieq(f->names[i], "Datum") || util_strieq(f->names[i], "Zeitstempel")))
			return 1;
	}
	return 0;
}

static void dt_section(FILE *o, struct dt_file *f, const char *section)
{
	const struct detect_input *in = f->in;
	size_t nd = dt_ndata(f);
	char a[32], b[32];
	util_fmt_count(a, sizeof a, (double)in->n);
	util_fmt_count(b, sizeof b, (double)in->size);
	fputs("\n; ", o);
	dt_safe(o, dt_basename(in->name), 200);
	if (f->nrows >= DT_ROWS_MAX)
		fprintf(o, ": %s bytes; the first %zu data rows were looked at\n", b, nd);
	else if (in->n >= in->size)
		fprintf(o, ": %zu data row%s, %s bytes\n", nd, nd == 1 ? "" : "s", b);
	else
		fprintf(o, ": %zu data row%s in the first %s of %s bytes\n", nd, nd == 1 ? "" : "s",
			a, b);
	if (f->kind < 0) {
		fputs("; check: cxtop could not tell what kind of source this is (events, responses, "
		      "customers,\n; campaigns or awareness). Its columns: ", o);
		for (size_t i = 0; i < f->nnames && i < 12; i++) {
			fputs(i ? ", " : "", o);
			dt_safe(o, f->names[i], 40);
		}
		fputs(f->nnames > 12 ? ", ...\n" : "\n", o);
		fputs("; write a section such as [responses] with col.X keys (see man cxtop)\n", o);
		return;
	}
	fprintf(o, "[%s]\npath = ", section);
	dt_value(o, dt_basename(in->name));
	fputc('\n', o);
	if (f->bom16)
		fprintf(o, "; UTF-16 (%s-endian) with a byte order mark: recognised without an "
			   "encoding key\n", f->enc == CONFIG_ENC_UTF16LE ? "little" : "big");
	else if (f->enc != CONFIG_ENC_UTF8)
		fprintf(o, "; not UTF-8: %s\nencoding = %s\n",
			f->enc == CONFIG_ENC_CP1252 ? "bytes 0x80-0x9F, so Windows-1252"
						    : "Latin-1 (ISO 8859-1)",
			dt_encoding_name(f->enc));
	if (f->delim != ',')
		fprintf(o, "delimiter = %s\n", f->delim == '\t' ? "tab" : f->delim == ';' ? ";" : "|");
	if (f->header_rows == 3)
		fputs("; Qualtrics: names, question texts and ImportId rows\nheader_rows = 3\n", o);
	if (f->subheader)
		fputs("; SurveyMonkey: questions, then sub-answers; a column is \"QUESTION / "
		      "SUB-ANSWER\"\nheader_rows = 2\nsubheader = 2\n", o);
	/* columns */
	for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
		if (!schema_col_use(f->kind, c))
			continue;
		int idx = f->col[c];
		if (idx < 0)
			continue;
		const char *h = f->names[idx];
		char fa[512], fb[64];
		if (util_fold(h, strlen(h), fa, sizeof fa) != SIZE_MAX &&
		    util_fold(schema_col_name(c), strlen(schema_col_name(c)), fb, sizeof fb) !=
			    SIZE_MAX &&
		    strcmp(fa, fb) == 0)
			continue; /* the default name */
		fprintf(o, "col.%s = ", schema_col_name(c));
		dt_value(o, h);
		fputc('\n', o);
	}
	/* what is missing */
	if (f->kind == SCHEMA_RESPONSES || f->kind == SCHEMA_EVENTS) {
		if (f->col[SCHEMA_COL_TIMESTAMP] < 0) {
			char day[16];
			time_t t = (time_t)in->mtime;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(day, sizeof day, "%Y-%m-%d", &tm);
			fprintf(o, "; check: no date column; the rows are read as of the file's "
				   "modification day:\n; set the day they were written\nconst.timestamp "
				   "= %s\n", day);
		}
	}
	if (f->kind == SCHEMA_RESPONSES) {
		int idc = f->col[SCHEMA_COL_CUSTOMER_ID];
		if (idc < 0)
			fputs("; no respondent id: the answers are anonymous (they count in NPS, CSAT "
			      "and CES)\n", o);
		else if (dt_filled(f, idc) < nd)
			fprintf(o, "; %s is empty in %zu of %zu rows: those answers are anonymous\n",
				schema_col_name(SCHEMA_COL_CUSTOMER_ID), nd - dt_filled(f, idc), nd);
	}
	if (f->const_event >= 0)
		fprintf(o, "; no event column: the file's name says what each row is\nconst.event = "
			   "%s\n", schema_event_name(f->const_event));
	if (f->score_by_values)
		fputs("; check: no column is named like a score; this one was taken because its "
		      "values are scores\n; (the first such column): set col.score to the question "
		      "you want\n", o);
	if (f->kind == SCHEMA_EVENTS && f->col[SCHEMA_COL_CAMPAIGN_ID] < 0)
		fputs("; no campaign column: every event counts in the \"(no campaign)\" row\n; "
		      "check: set col.campaign_id if the file has one under another name\n", o);
	/* dates */
	int own[SCHEMA_COL_COUNT] = {0}, ndates = 0;
	static const int dcols[] = {SCHEMA_COL_TIMESTAMP, SCHEMA_COL_DATE, SCHEMA_COL_SIGNUP_DATE,
				    SCHEMA_COL_CHURN_DATE, SCHEMA_COL_START_DATE};
	for (size_t k = 0; k < sizeof dcols / sizeof dcols[0]; k++)
		if (schema_col_use(f->kind, dcols[k]) && f->col[dcols[k]] >= 0)
			own[ndates++] = dcols[k];
	for (int k = 0; k < ndates; k++)
		dt_dates(o, f, own[k], ndates > 1);
	int comma = 0;
	dt_numbers(o, f, &comma);
	/* values */
	if (f->kind == SCHEMA_EVENTS)
		dt_events(o, f);
	if (f->kind == SCHEMA_RESPONSES) {
		int survey;
		if (f->col[SCHEMA_COL_SURVEY] >= 0)
			dt_surveys(o, f);
		dt_scores(o, f, &survey);
	}
	if (f->kind == SCHEMA_EVENTS && f->col[SCHEMA_COL_MACHINE] >= 0)
		dt_bools(o, f, SCHEMA_COL_MACHINE);
	if (f->kind == SCHEMA_CUSTOMERS) {
		if (f->col[SCHEMA_COL_OPTED_IN] >= 0)
			dt_bools(o, f, SCHEMA_COL_OPTED_IN);
		if (f->col[SCHEMA_COL_CHURNED] >= 0)
			dt_bools(o, f, SCHEMA_COL_CHURNED);
		if (f->col[SCHEMA_COL_SIGNUP_DATE] < 0)
			fputs("; no signup dates: the churned share and ARPU are shown, monthly churn "
			      "needs days\n", o);
	}
}

static void dt_file_free(struct dt_file *f)
{
	for (size_t r = 0; r < f->nrows; r++) {
		for (size_t i = 0; i < f->rows[r].n; i++)
			free(f->rows[r].f[i]);
		free(f->rows[r].f);
	}
	for (size_t i = 0; i < f->cur.n; i++)
		free(f->cur.f[i]);
	free(f->cur.f);
	free(f->rows);
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->text);
}

/* A section name for a second source of a kind: "kind:stem". */
static void dt_section_name(char *buf, size_t n, int kind, const char *file, int second)
{
	if (!second) {
		snprintf(buf, n, "%s", schema_kind_name(kind));
		return;
	}
	char stem[64];
	size_t k = 0;
	for (const char *p = dt_basename(file); *p && *p != '.' && k + 1 < sizeof stem; p++)
		stem[k++] = (char)(((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
					   ? *p
					   : '_');
	stem[k] = '\0';
	snprintf(buf, n, "%s:%s", schema_kind_name(kind), k ? stem : "more");
}

int detect_write(FILE *out, const struct detect_input *in, size_t nin, char *err, size_t errlen)
{
	struct dt_file *f = xcalloc(nin ? nin : 1, sizeof *f);
	char why[256];
	int rc = 0;
	for (size_t i = 0; i < nin && !rc; i++) {
		f[i].in = &in[i];
		if (dt_decode(&f[i], why, sizeof why) < 0) {
			snprintf(err, errlen, "%s: %s", in[i].name, why);
			rc = -1;
			break;
		}
		f[i].delim = dt_delimiter(&f[i]);
		dt_rows(&f[i]);
		if (!f[i].nrows) {
			snprintf(err, errlen, "%s: no header row", in[i].name);
			rc = -1;
			break;
		}
		dt_header(&f[i]);
		f[i].day_first_hint = dt_day_first(&f[i]);
		dt_choose_kind(&f[i]);
	}
	if (rc == 0) {
		char *body = NULL;
		size_t blen = 0;
		FILE *o = open_memstream(&body, &blen);
		if (!o)
			util_fatal("out of memory");
		int used[SCHEMA_KIND_COUNT] = {0}, span = 0;
		for (size_t i = 0; i < nin; i++) {
			char section[96];
			if (f[i].kind >= 0)
				dt_section_name(section, sizeof section, f[i].kind, in[i].name,
						used[f[i].kind]++ > 0);
			dt_section(o, &f[i], section);
			if (f[i].span_days > span)
				span = f[i].span_days;
		}
		fclose(o);
		fprintf(out, "; cxtop config written by cxtop --detect %s from:\n", CXTOP_VERSION);
		for (size_t i = 0; i < nin; i++) {
			fputs(";   ", out);
			dt_safe(out, dt_basename(in[i].name), 200);
			fputc('\n', out);
		}
		fputs("; Save it beside the files and run:  cxtop -c THIS_FILE.ini\n"
		      "; Lines starting with ';' are comments; \"check:\" marks what cxtop could not "
		      "decide.\n\n[general]\ndata_dir = .\n", out);
		if (span > 30)
			fprintf(out, "; the dates span %d days: show them all rather than the last 30\n"
				     "window = all\n", span);
		fwrite(body, 1, blen, out);
		free(body);
	}
	for (size_t i = 0; i < nin; i++)
		dt_file_free(&f[i]);
	free(f);
	return rc;
}

int detect_main(FILE *out, FILE *errout, char *const *paths, int npaths)
{
	struct detect_input *in = xcalloc((size_t)npaths, sizeof *in);
	unsigned char **bufs = xcalloc((size_t)npaths, sizeof *bufs);
	char err[4400];
	int status = 0;
	for (int i = 0; i < npaths && !status; i++) {
		struct stat st;
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st) != 0) {
			fprintf(errout, "cxtop: %s: %s\n", paths[i], strerror(errno));
			status = 1;
		} else if (!S_ISREG(st.st_mode)) {
			fprintf(errout, "cxtop: %s: not a regular file\n", paths[i]);
			status = 1;
		} else {
			size_t cap = st.st_size < DETECT_SAMPLE ? (size_t)st.st_size : DETECT_SAMPLE;
			bufs[i] = xmalloc(cap ? cap : 1);
			size_t got = 0;
			while (got < cap) {
				ssize_t r = read(fd, bufs[i] + got, cap - got);
				if (r < 0 && errno == EINTR)
					continue;
				if (r <= 0)
					break;
				got += (size_t)r;
			}
			in[i] = (struct detect_input){.name = paths[i], .data = bufs[i], .n = got,
						      .size = (uint64_t)st.st_size,
						      .mtime = (int64_t)st.st_mtime};
		}
		if (fd >= 0)
			close(fd);
	}
	if (!status && detect_write(out, in, (size_t)npaths, err, sizeof err) != 0) {
		fprintf(errout, "cxtop: %s\n", err);
		status = 1;
	}
	for (int i = 0; i < npaths; i++)
		free(bufs[i]);
	free(bufs);
	free(in);
	return status;
}
