/* csvin: libcsv + header + record mapping for one file at a time.
 *
 * libcsv calls back per field and per row end; fields are copied into one
 * row buffer (NUL-separated) so that record_from_row sees NUL-terminated
 * strings. CSV_REPALL_NL makes libcsv report every line end outside a
 * record, which is how blank lines and CRLF pairs are counted into physical
 * line numbers without scanning the bytes twice.
 *
 * Hostile input (issue 5) never stops the reading and never costs memory in
 * proportion to the file:
 * - libcsv keeps the field being parsed in its entry buffer and grows it
 *   without limit. Its realloc function here refuses to go past
 *   CSVIN_ENTRY_MAX, which makes csv_parse stop early with CSV_ENOMEM; the
 *   field's bytes so far are then dropped (a byte or two of libcsv's state
 *   is kept, see csvin_drop_entry) and parsing resumes at the same byte, so
 *   libcsv's own quote rules still find where the row ends. The row is
 *   rejected ("field 5 longer than 1 MiB") and the next one is read.
 * - The row buffer holds at most CSVIN_ROW_MAX bytes of fields; a longer
 *   row is rejected without being copied.
 * - A UTF-8 BOM at the start of any line outside a quoted field (a second
 *   export appended to the first) is dropped before libcsv sees it, so that
 *   the repeated header is recognised as such and a data row after it reads
 *   normally. A BOM inside a quoted field is data.
 * - A quoted field still open when the file ends is rejected
 *   ("unterminated quoted field") rather than counted truncated.
 * - An empty file is not an error: no header, no rows (the source is just
 *   empty, as a missing one is). A header alone is a file with no rows.
 * - A lone CR (old Mac line ends) is a line end, inside quoted fields too,
 *   as it is for libcsv outside them. */
#include "cxtop/csvin.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#include <emmintrin.h>
#define CSVIN_WIDE 1
#endif

/* A row wider than this is rejected rather than mapped (issue: 10,000
 * columns must not cost 10,000 lookups per row forever). */
#define CSVIN_MAX_FIELDS 4096
/* No id, date, number or comment is near this long; a longer field or row
 * is a broken or hostile file, and refusing it bounds memory per file. */
#define CSVIN_FIELD_MAX (1u << 20)
#define CSVIN_ROW_MAX (1u << 20)
#define CSVIN_LIMIT_TEXT "1 MiB"
/* libcsv's entry buffer also holds a closing quote and the padding spaces
 * after it until the field ends; the slack lets a field of exactly
 * CSVIN_FIELD_MAX bytes through so that the length check below decides. */
#define CSVIN_ENTRY_MAX (CSVIN_FIELD_MAX + 64)
/* libcsv grows its buffer by blk_size bytes at a time (128 by default):
 * linear growth, a realloc per 128 bytes of a long field. csvin sets
 * blk_size to the buffer's size before each slice of input and feeds
 * slices no longer than that, so the buffer doubles instead. */
#define CSVIN_BLK_MIN 4096
/* An entry buffer grown past this is given back once no field is open. */
#define CSVIN_ENTRY_KEEP 65536
/* The fast path (csvin_fast_lines) takes a line up to this long; a longer
 * one goes to libcsv, which knows the limits of fields and rows. */
#define CSVIN_FAST_MAX 65536
/* Lines in a row the fast path gave to libcsv before it hands libcsv the
 * rest of the feed (a file that quotes every field: Qualtrics, Excel). */
#define CSVIN_FAST_MISSES 8

static const unsigned char csvin_bom[3] = { 0xEF, 0xBB, 0xBF };

struct csvin {
	const struct config_source *src;
	struct csv_parser p;
	int idle_state;   /* libcsv's pstate between rows (right after csv_init) */
	/* current row */
	char *buf;
	size_t len, cap;
	size_t raw;       /* bytes of the row's fields as read (before Latin-1) */
	char **fptr;      /* field starts in buf (moved with it when it grows) */
	size_t *flen;
	size_t nf, fcap;
	/* lines */
	uint64_t line;     /* physical line where the next row starts */
	uint64_t row_line; /* physical line where the current row started */
	int prev_term;     /* last line-end character seen */
	int overflow;      /* current row has too many fields */
	int entry_long;    /* libcsv's entry buffer was dropped in this field */
	int refused;       /* overflow or toolong: fields are no longer kept */
	int fast;          /* not refused, not entry_long, not Latin-1 */
	int fast_lines;    /* the fast path may split lines (csvin_set_fast_lines) */
	int fast_miss;     /* lines in a row it gave to libcsv */
	char toolong[64];  /* why the current row is refused unread, or "" */
	/* header */
	int have_header;
	struct record_map *map; /* made with the first header: a file that never
				   appears (100,000 configured sources) costs no 6 KB word table */
	char *hdr_err;
	char *hdr;         /* the header row's bytes, to spot it repeated */
	size_t hdr_len;
	/* a header of several rows (header_rows): rows seen, and the names of
	 * the first row and of the sub-answer row, kept until the last one */
	int hrow;
	char **hnames[2];
	size_t hn[2];
	/* UTF-16 (by its byte order mark, or encoding = utf-16le/be): the
	 * bytes are made UTF-8 before libcsv sees them. mode 0 = the start of
	 * the file is not yet seen, 1 = bytes as they are, 2 = UTF-16LE,
	 * 3 = UTF-16BE; a code unit or surrogate pair split between feeds
	 * waits in u16_pend / u16_high */
	int mode;
	unsigned char start[2];
	size_t nstart;
	unsigned char u16_pend[1];
	size_t nu16_pend;
	unsigned u16_high;
	char *u8;
	size_t u8_cap;
	/* BOM at the start of a line: bytes of a possible BOM held back */
	int bol;           /* the last byte given to libcsv ended a line (or none yet) */
	unsigned char pend[3];
	size_t npend;
	/* sink of the current feed */
	const struct csvin_sink *sink;
	void *ctx;
};

/* libcsv's realloc: never past CSVIN_ENTRY_MAX (see the top of the file). */
static void *csvin_realloc(void *ptr, size_t size)
{
	if (size > CSVIN_ENTRY_MAX)
		return NULL;
	return realloc(ptr, size);
}

/* Tabs are not padding when tab is the delimiter; only spaces are. */
static int csvin_is_space(unsigned char ch)
{
	return ch == ' ';
}

static void csvin_parser_init(struct csvin *c)
{
	if (csv_init(&c->p, CSV_REPALL_NL) != 0)
		util_fatal("libcsv: cannot initialise parser");
	c->idle_state = c->p.pstate;
	csv_set_delim(&c->p, (unsigned char)c->src->delimiter);
	csv_set_realloc_func(&c->p, csvin_realloc);
	csv_set_blk_size(&c->p, CSVIN_BLK_MIN);
	c->p.is_space = NULL;
	/* libcsv's built-in test (space or tab) is inlined and fast; only a
	 * tab-delimited file needs its own, where tab is not padding */
	if (c->src->delimiter == '\t')
		csv_set_space_func(&c->p, csvin_is_space);
}

/* Forget the row being read (its fields, its limits). */
static void csvin_row_reset(struct csvin *c)
{
	c->len = c->nf = c->raw = 0;
	c->overflow = 0;
	c->entry_long = 0;
	c->refused = 0;
	c->fast = c->src->encoding != CONFIG_ENC_LATIN1 && c->src->encoding != CONFIG_ENC_CP1252;
	c->toolong[0] = '\0';
}

struct csvin *csvin_new(const struct config_source *src)
{
	struct csvin *c = xcalloc(1, sizeof *c);
	c->src = src;
	c->fast_lines = 1;
	csvin_parser_init(c);
	csvin_begin(c);
	return c;
}

static void csvin_hnames_free(struct csvin *c)
{
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < c->hn[k]; i++)
			free(c->hnames[k][i]);
		free(c->hnames[k]);
		c->hnames[k] = NULL;
		c->hn[k] = 0;
	}
	c->hrow = 0;
}

void csvin_free(struct csvin *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	free(c->buf);
	free(c->flen);
	free(c->fptr);
	free(c->hdr_err);
	free(c->hdr);
	csvin_hnames_free(c);
	free(c->map);
	free(c->u8);
	free(c);
}

void csvin_begin(struct csvin *c)
{
	csv_free(&c->p);
	csvin_parser_init(c);
	csvin_row_reset(c);
	c->line = c->row_line = 1;
	c->prev_term = 0;
	c->have_header = 0;
	free(c->hdr_err);
	c->hdr_err = NULL;
	free(c->hdr);
	c->hdr = NULL;
	c->hdr_len = 0;
	csvin_hnames_free(c);
	c->mode = 0;
	c->nstart = c->nu16_pend = 0;
	c->u16_high = 0;
	c->bol = 1;
	c->npend = 0;
}

/* Line ends in n bytes of a field: LF, CRLF and a lone CR each count once.
 * next is the byte after them (-1 at the end of the field, where a CR is a
 * lone one: the closing quote follows it). */
static uint64_t csvin_lines(const char *s, size_t n, int next)
{
	uint64_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			k++;
		else if (s[i] == '\r' && (i + 1 < n ? s[i + 1] != '\n' : next != '\n'))
			k++;
	}
	return k;
}

/* 1 if some byte of s is below 14 (CR, LF, and the rarer controls): this
 * runs for every field of every row, and almost none holds a line end, so
 * eight bytes are tested at a time (Mycroft's "has less than" bit trick). */
static inline int csvin_maybe_lines(const char *s, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w - ones * 14) & ~w & highs)
			return 1;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] < 14)
			return 1;
	return 0;
}

/* The row is refused unread: keep the first reason. */
static void csvin_too_long(struct csvin *c, const char *what)
{
	if (!c->toolong[0])
		snprintf(c->toolong, sizeof c->toolong, "%s longer than %s", what,
			 CSVIN_LIMIT_TEXT);
}

/* A field of a row that is refused unread, or that makes it so. */
static void csvin_field_refused(struct csvin *c, size_t n)
{
	if (c->entry_long || n > CSVIN_FIELD_MAX) {
		char what[32];
		snprintf(what, sizeof what, "field %zu", c->nf + 1);
		csvin_too_long(c, what);
		c->entry_long = 0;
	} else if (c->raw + n > CSVIN_ROW_MAX) {
		csvin_too_long(c, "row");
	}
	if (c->nf >= CSVIN_MAX_FIELDS)
		c->overflow = 1;
	c->refused = 1;
	c->fast = 0;
	c->raw += n;
	c->nf++; /* only the count grows */
}

/* Copy n bytes of a field in whole 8-byte words, and say whether one of
 * them is below 14 (csvin_maybe_lines's test) in the same pass. The words
 * may run up to 7 bytes past n on both sides: the caller checked that src
 * (libcsv's entry buffer) and dst have that room. Bytes past n in the last
 * word are set to 0xFF for the test, so they never count. */
static inline int csvin_copy_words(char *dst, const char *src, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t low = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, src + i, 8);
		memcpy(dst + i, &w, 8);
		low |= (w - ones * 14) & ~w & highs;
	}
	if (i < n) {
		memcpy(&w, src + i, 8);
		memcpy(dst + i, &w, 8);
		w |= ~UINT64_C(0) << (8 * (n - i)); /* little-endian: bytes past n are high */
		low |= (w - ones * 14) & ~w & highs;
	}
	return low != 0;
}

/* Room for n more bytes of fields (plus the 8 bytes of slack the next
 * short field needs) and one more field; the current row's field pointers
 * move with the buffer. */
static void csvin_reserve(struct csvin *c, size_t n)
{
	size_t need = c->len + n + 1 + 8;
	if (need > c->cap) {
		char *old = c->buf;
		c->buf = xgrow(c->buf, &c->cap, need, 1);
		for (size_t i = 0; i < c->nf; i++)
			c->fptr[i] = c->buf + (c->fptr[i] - old);
	}
	if (c->nf + 1 > c->fcap) {
		c->fptr = xgrow(c->fptr, &c->fcap, c->nf + 1, sizeof *c->fptr);
		c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
	}
}

/* Every field the fast path of csvin_field does not take: the first of a
 * row that outgrew the buffer, Latin-1, and the refused ones. */
static __attribute__((noinline)) void csvin_field_slow(struct csvin *c, const char *f, size_t n)
{
	/* line ends inside a quoted field are lines of the file too */
	if (csvin_maybe_lines(f, n))
		c->line += csvin_lines(f, n, -1);
	if (c->refused || c->entry_long || n > CSVIN_FIELD_MAX || c->raw + n > CSVIN_ROW_MAX ||
	    c->nf >= CSVIN_MAX_FIELDS) {
		csvin_field_refused(c, n);
		return;
	}
	c->raw += n;
	int enc = c->src->encoding;
	csvin_reserve(c, enc == CONFIG_ENC_CP1252 ? 3 * n : enc == CONFIG_ENC_LATIN1 ? 2 * n : n);
	c->fptr[c->nf] = c->buf + c->len;
	if (enc == CONFIG_ENC_LATIN1 || enc == CONFIG_ENC_CP1252) {
		size_t w = enc == CONFIG_ENC_LATIN1
				   ? parse_latin1_to_utf8(c->buf + c->len, c->cap - c->len, f, n)
				   : parse_cp1252_to_utf8(c->buf + c->len, c->cap - c->len, f, n);
		c->flen[c->nf] = w;
		c->len += w + 1;
	} else {
		memcpy(c->buf + c->len, f, n);
		c->buf[c->len + n] = '\0';
		c->flen[c->nf] = n;
		c->len += n + 1;
	}
	c->nf++;
}

static void csvin_field(void *s, size_t n, void *data)
{
	struct csvin *c = data;

	if (c->nf == 0 && !c->entry_long)
		c->row_line = c->line;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The common field: short, UTF-8, within every limit (c->fast says
	 * the row is not refused and the file is not Latin-1). libcsv hands
	 * over its entry buffer (a field always starts at its first byte), so
	 * whole words can be read while n + 8 is within its size. */
	if (c->fast && s && n + 8 <= c->p.entry_size && c->raw + n <= CSVIN_ROW_MAX &&
	    c->nf < c->fcap && c->nf < CSVIN_MAX_FIELDS && c->len + n + 9 <= c->cap) {
		char *d = c->buf + c->len;
		if (csvin_copy_words(d, s, n))
			c->line += csvin_lines(s, n, -1);
		d[n] = '\0';
		c->raw += n;
		c->fptr[c->nf] = d;
		c->flen[c->nf] = n;
		c->len += n + 1;
		c->nf++;
		return;
	}
#endif
	csvin_field_slow(c, s ? s : "", n);
}

/* libcsv stopped with its entry buffer full at CSVIN_ENTRY_MAX: drop the
 * field's bytes so far and let it go on. The last byte, or two when libcsv
 * counts padding spaces, is kept: when the field ends libcsv removes its
 * closing quote and that padding from the buffer (entry_pos -= spaces + 1),
 * and whether spaces is zero decides what a following quote means, so
 * spaces becomes 0 or 1 with as many bytes left to remove. The row is
 * already refused, so the bytes' values do not matter. */
static void csvin_drop_entry(struct csvin *c)
{
	struct csv_parser *p = &c->p;
	size_t sp = p->spaces ? 1 : 0, keep = sp + 1;
	size_t drop = p->entry_pos - keep;
	char *b = (char *)p->entry_buf;

	if (c->nf == 0 && !c->entry_long)
		c->row_line = c->line;
	c->line += csvin_lines(b, drop, (unsigned char)b[drop]);
	memmove(b, b + drop, keep);
	p->entry_pos = keep;
	p->spaces = sp;
	p->status = CSV_SUCCESS;
	c->entry_long = 1;
	c->fast = 0;
}

static void csvin_header_fail(struct csvin *c, const char *err)
{
	c->hdr_err = xstrdup(err);
	if (c->sink->header_error)
		c->sink->header_error(c->ctx, err);
}

static void csvin_map(struct csvin *c, char *const *names, const size_t *lens, size_t n)
{
	char err[1024];
	if (!c->map)
		c->map = xmalloc(sizeof *c->map);
	if (record_map_build(c->map, c->src, names, lens, n, err, sizeof err) < 0)
		csvin_header_fail(c, err);
	else if (c->map->notice[0] && c->sink->header_notice)
		c->sink->header_notice(c->ctx, c->map->notice);
}

/* The column names of a header of several rows: the first row's, and where
 * a row names sub-answers (subheader, SurveyMonkey's second row) the
 * question joined to its sub-answer, "QUESTION / SUB-ANSWER". A question
 * spans the empty cells to its right; a sub-answer "Response" (a question
 * with one answer) or empty adds nothing. */
char **csvin_join_names(char *const *q, size_t nq, char *const *sub, size_t nsub)
{
	char **names = xcalloc(nq ? nq : 1, sizeof *names);
	const char *question = "";
	for (size_t i = 0; i < nq; i++) {
		const char *s = sub && i < nsub ? sub[i] : "";
		if (*q[i])
			question = q[i];
		if (sub && *s && !util_strieq(s, "Response"))
			names[i] = xasprintf("%s / %s", question, s);
		else
			names[i] = xstrdup(*q[i] || !sub ? q[i] : question);
	}
	return names;
}

static void csvin_header_names(struct csvin *c)
{
	size_t n = c->hn[0];
	char **names = csvin_join_names(c->hnames[0], n, c->src->subheader ? c->hnames[1] : NULL,
					c->hn[1]);
	size_t *lens = xcalloc(n ? n : 1, sizeof *lens);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(names[i]);
	csvin_map(c, names, lens, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(lens);
}

/* One row of the header: the first (its bytes kept, to spot it repeated
 * later), then any further rows of header_rows (question texts, import
 * ids: not data, not rejections). The map is made with the last. */
static void csvin_header(struct csvin *c)
{
	char err[1024];
	int rows = c->src->header_rows > 1 ? c->src->header_rows : 1;

	c->hrow++;
	if (c->overflow || c->toolong[0]) {
		c->have_header = 1;
		if (c->overflow)
			snprintf(err, sizeof err, "header has more than %d columns", CSVIN_MAX_FIELDS);
		else
			snprintf(err, sizeof err, "header %s", c->toolong);
		csvin_header_fail(c, err);
		return;
	}
	if (c->hrow == 1) {
		c->hdr = xstrndup(c->buf, c->len);
		c->hdr_len = c->len;
		if (rows == 1) {
			c->have_header = 1;
			csvin_map(c, c->fptr, c->flen, c->nf);
			return;
		}
	}
	if (c->hrow == 1 || c->hrow == c->src->subheader) {
		int k = c->hrow == 1 ? 0 : 1;
		c->hnames[k] = xcalloc(c->nf ? c->nf : 1, sizeof *c->hnames[k]);
		c->hn[k] = c->nf;
		for (size_t i = 0; i < c->nf; i++)
			c->hnames[k][i] = xstrndup(c->fptr[i], c->flen[i]);
	}
	if (c->hrow < rows)
		return;
	c->have_header = 1;
	csvin_header_names(c);
}

static void csvin_row(int term, void *data)
{
	struct csvin *c = data;
	char why[256];
	struct record r;

	if (c->nf == 0) {
		/* a line end outside a record: a blank line, or the LF of CRLF */
		if (!(term == '\n' && c->prev_term == '\r') && term != -1)
			c->line++;
		c->prev_term = term;
		return;
	}
	c->prev_term = term;
	uint64_t line = c->row_line;
	if (term != -1)
		c->line++;
	if (c->have_header && c->sink->fields)
		c->sink->fields(c->ctx, c->fptr, c->flen, c->refused ? 0 : c->nf, line);
	if (!c->have_header) {
		csvin_header(c);
	} else if (c->hdr_err) {
		/* the source's one error is its header; rows are not counted */
	} else if (c->overflow) {
		snprintf(why, sizeof why, "more than %d fields", CSVIN_MAX_FIELDS);
		c->sink->reject(c->ctx, line, why);
	} else if (c->toolong[0]) {
		c->sink->reject(c->ctx, line, c->toolong);
	} else if (c->len == c->hdr_len && memcmp(c->buf, c->hdr, c->len) == 0) {
		/* the header again in the middle: two exports concatenated */
		c->sink->reject(c->ctx, line, "repeated header row");
	} else {
		enum record_status st =
			record_from_row(c->map, c->fptr, c->flen, c->nf, &r, why, sizeof why);
		csvin_deliver(c->sink, c->ctx, c->map, st, &r, why, line);
	}
	csvin_row_reset(c);
}

void csvin_deliver(const struct csvin_sink *sink, void *ctx, const struct record_map *m,
		   enum record_status st, const struct record *r, const char *why, uint64_t line)
{
	switch (st) {
	case RECORD_OK:
		sink->record(ctx, r, line);
		break;
	case RECORD_REJECT:
		sink->reject(ctx, line, why);
		break;
	case RECORD_NA:
		if (sink->na)
			sink->na(ctx, line);
		break;
	case RECORD_UNKNOWN_EVENT:
		if (sink->unknown_event)
			sink->unknown_event(ctx, line, why);
		break;
	case RECORD_UNMAPPED:
		if (sink->unmapped) {
			sink->unmapped(ctx, line, m->unmapped_col, why);
		} else {
			char msg[320];
			snprintf(msg, sizeof msg, "%s \"%s\": not in map.%s",
				 schema_col_name(m->unmapped_col), why, schema_col_name(m->unmapped_col));
			sink->reject(ctx, line, msg);
		}
		break;
	}
}

/* Give n bytes to libcsv in slices no longer than its growth step (so its
 * buffer doubles), dropping the bytes of a field that outgrows
 * CSVIN_ENTRY_MAX. */
static void csvin_libcsv(struct csvin *c, const char *buf, size_t n)
{
	while (n) {
		size_t blk = c->p.entry_size > CSVIN_BLK_MIN ? c->p.entry_size : CSVIN_BLK_MIN;
		size_t slice = n < blk ? n : blk;
		csv_set_blk_size(&c->p, blk);
		size_t done = csv_parse(&c->p, buf, slice, csvin_field, csvin_row, c);
		if (done != slice) {
			/* in non-strict mode only memory stops libcsv: our own
			 * limit, or the machine's */
			if (csv_error(&c->p) != CSV_ENOMEM ||
			    csv_get_buffer_size(&c->p) < CSVIN_ENTRY_MAX)
				util_fatal("libcsv: %s", csv_strerror(csv_error(&c->p)));
			csvin_drop_entry(c);
		}
		buf += done;
		n -= done;
	}
}

/* Padding around an unquoted field, as libcsv trims it: spaces, and tabs
 * where tab is not the delimiter. */
static inline int csvin_pad(const struct csvin *c, unsigned char ch)
{
	return ch == ' ' || (ch == '\t' && c->src->delimiter != '\t');
}

#ifdef CSVIN_WIDE
/* csvin_fast_row for the common line, 16 bytes at a time: the line copied
 * whole, each delimiter made its field's NUL in place, so that a byte is
 * tested in a vector compare rather than by a branch (the byte loop was a
 * fifth of a cold read's time). It takes only lines whose fields have no
 * padding at either end — the row buffer is then exactly what the byte
 * loop makes, the repeated-header test compares it as before — and
 * returns -1, the row left empty, for any other line (csvin_fast_row
 * reads it); 0 where libcsv must (a quote, a stray CR, too many fields). */
static int csvin_fast_row_wide(struct csvin *c, const unsigned char *p, size_t n)
{
	const unsigned char d = (unsigned char)c->src->delimiter;
	const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8('"'),
		      vr = _mm_set1_epi8('\r');
	csvin_reserve(c, n + 16);
	unsigned char *o = (unsigned char *)c->buf + c->len;
	memcpy(o, p, n);
	memset(o + n, 0, 16); /* the last block's tail: compared, never a field */
	size_t a = 0;         /* where the field begins */
	for (size_t i = 0; i < n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(o + i));
		unsigned bad = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr)));
		unsigned dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
		if (n - i < 16) {
			unsigned keep = (1u << (n - i)) - 1;
			bad &= keep;
			dm &= keep;
		}
		if (bad)
			goto refuse;
		for (; dm; dm &= dm - 1) {
			size_t e = i + (size_t)__builtin_ctz(dm);
			if (e > a && (csvin_pad(c, o[a]) || csvin_pad(c, o[e - 1])))
				goto narrow;
			if (c->nf >= CSVIN_MAX_FIELDS)
				goto refuse;
			if (c->nf + 1 > c->fcap) {
				c->fptr = xgrow(c->fptr, &c->fcap, c->nf + 1, sizeof *c->fptr);
				c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
			}
			o[e] = '\0';
			c->fptr[c->nf] = (char *)o + a;
			c->flen[c->nf] = e - a;
			c->raw += e - a;
			c->nf++;
			a = e + 1;
		}
	}
	if (n > a && (csvin_pad(c, o[a]) || csvin_pad(c, o[n - 1])))
		goto narrow;
	if (c->nf == 0 && a == n)
		return 1; /* an empty line: a line end outside a row */
	if (c->nf >= CSVIN_MAX_FIELDS)
		goto refuse;
	if (c->nf + 1 > c->fcap) {
		c->fptr = xgrow(c->fptr, &c->fcap, c->nf + 1, sizeof *c->fptr);
		c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
	}
	c->fptr[c->nf] = (char *)o + a; /* its NUL is o[n], set above */
	c->flen[c->nf] = n - a;
	c->raw += n - a;
	c->nf++;
	c->len += n + 1;
	return 1;
narrow:
	csvin_row_reset(c);
	return -1;
refuse:
	csvin_row_reset(c);
	return 0;
}
#endif

/* One line of n bytes (without its LF) if it is plain — no quote, no CR
 * but a last one before the LF — split into the row's fields as libcsv
 * gives them: at each delimiter, padding trimmed, a line of padding alone
 * no row at all. One pass: each byte is copied as it is tested (a
 * delimiter becomes the field's NUL), so the row takes at most n + 1
 * bytes. 0, the row left empty, where libcsv must read the line: a quote
 * or a stray CR in it, or more fields than libcsv's path allows. */
static int csvin_fast_row(struct csvin *c, const unsigned char *p, size_t n)
{
	const unsigned char d = (unsigned char)c->src->delimiter;
	c->row_line = c->line;
#ifdef CSVIN_WIDE
	int w = csvin_fast_row_wide(c, p, n);
	if (w >= 0)
		return w;
#endif
	csvin_reserve(c, n);
	unsigned char *o = (unsigned char *)c->buf + c->len, *start = o;
	size_t i = 0;
	for (;;) {
		/* a field: leading padding skipped, then bytes up to the
		 * delimiter or the end, its trailing padding dropped */
		while (i < n && csvin_pad(c, p[i]))
			i++;
		unsigned char *f = o, *last = o; /* last: past the last non-padding byte */
		for (; i < n; i++) {
			unsigned char ch = p[i];
			if (ch == d)
				break;
			if (ch == '"' || ch == '\r')
				goto refuse;
			*o++ = ch;
			if (!csvin_pad(c, ch))
				last = o;
		}
		if (i == n && c->nf == 0 && last == f) {
			/* padding alone, or nothing: a line end outside a row */
			return 1;
		}
		if (c->nf >= CSVIN_MAX_FIELDS)
			goto refuse;
		if (c->nf + 1 > c->fcap) {
			c->fptr = xgrow(c->fptr, &c->fcap, c->nf + 1, sizeof *c->fptr);
			c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
		}
		size_t k = (size_t)(last - f);
		o = last;
		*o++ = '\0';
		c->fptr[c->nf] = (char *)f;
		c->flen[c->nf] = k;
		c->raw += k;
		c->nf++;
		if (i == n)
			break;
		i++; /* the delimiter */
	}
	c->len += (size_t)(o - start);
	return 1;
refuse:
	csvin_row_reset(c);
	return 0;
}


/* Whether the next line may skip libcsv: between rows of a file whose
 * header is read, UTF-8, a delimiter that is no padding and no quote. */
static int csvin_fast_ok(const struct csvin *c)
{
	char d = (char)c->src->delimiter;
	return c->fast_lines && c->have_header && c->fast && !c->refused && !c->entry_long &&
	       c->nf == 0 && c->p.pstate == c->idle_state && c->p.entry_pos == 0 &&
	       d != ' ' && d != '"' && d != '\r' && d != '\n';
}

/* The fast path (issue 13): whole plain lines are split here and given to
 * csvin_row as libcsv would give them (a CRLF line as a row ended by CR,
 * then an empty line end by LF); libcsv reads every other line and stays
 * the reference (test_csvfast and fuzz_csvsplit compare the two on any
 * bytes). Returns the bytes taken: whole lines, up to the first one that
 * needs libcsv or the last one without its LF. */
static size_t csvin_fast_lines(struct csvin *c, const char *s, size_t n)
{
	size_t done = 0;
	while (done < n) {
		const char *p = s + done;
		const char *nl = memchr(p, '\n', n - done);
		if (!nl)
			break;
		size_t len = (size_t)(nl - p);
		int crlf = len && p[len - 1] == '\r';
		size_t body = len - (size_t)crlf;
		if (body > CSVIN_FAST_MAX || !csvin_fast_row(c, (const unsigned char *)p, body))
			break;
		if (crlf)
			csvin_row('\r', c);
		csvin_row('\n', c);
		done += len + 1;
	}
	return done;
}

/* n bytes: plain lines by the fast path, the others by libcsv, a line at
 * a time while the fast path may take the next (the header's rows too;
 * after CSVIN_FAST_MISSES lines in a row it could not, libcsv takes the
 * rest of these bytes). */
static void csvin_parse(struct csvin *c, const char *buf, size_t n)
{
	c->fast_miss = 0;
	while (n) {
		if (csvin_fast_ok(c)) {
			size_t k = csvin_fast_lines(c, buf, n);
			if (k)
				c->fast_miss = 0;
			buf += k;
			n -= k;
			if (!n)
				break;
		}
		size_t k = n;
		if (c->fast_lines && c->fast && c->fast_miss < CSVIN_FAST_MISSES) {
			const char *nl = memchr(buf, '\n', n);
			if (nl)
				k = (size_t)(nl - buf) + 1;
			c->fast_miss++;
		}
		csvin_libcsv(c, buf, k);
		buf += k;
		n -= k;
	}
	if (c->p.entry_size > CSVIN_ENTRY_KEEP && c->p.entry_pos == 0)
		csv_free(&c->p); /* libcsv allocates it again when needed */
}

/* Parse n bytes and note whether they ended a line. */
static void csvin_parse_bytes(struct csvin *c, const unsigned char *s, size_t n)
{
	if (!n)
		return;
	csvin_parse(c, (const char *)s, n);
	c->bol = s[n - 1] == '\n' || s[n - 1] == '\r';
}

/* Bytes that are UTF-8 (or a single-byte encoding) from here on. */
static void csvin_feed8(struct csvin *c, const unsigned char *s, size_t n)
{
	if (c->npend) {
		/* a BOM's first bytes ended the last feed: complete or refute */
		while (n && c->npend < 3 && *s == csvin_bom[c->npend]) {
			c->pend[c->npend++] = *s++;
			n--;
		}
		if (c->npend == 3) {
			c->npend = 0; /* a BOM: dropped */
		} else if (!n) {
			return; /* still a BOM's prefix: wait for more */
		} else {
			size_t k = c->npend;
			c->npend = 0;
			csvin_parse_bytes(c, c->pend, k);
		}
	}
	while (n) {
		/* the next EF at the start of a line; everything before it is
		 * parsed as it is */
		size_t i = 0;
		for (;;) {
			const unsigned char *e = memchr(s + i, 0xEF, n - i);
			if (!e) {
				i = n;
				break;
			}
			i = (size_t)(e - s);
			if (i == 0 ? c->bol : (s[i - 1] == '\n' || s[i - 1] == '\r'))
				break;
			i++;
			if (i == n)
				break;
		}
		csvin_parse_bytes(c, s, i);
		s += i;
		n -= i;
		if (!n)
			break;
		/* s[0] is EF at a line start: a BOM only between rows, not
		 * inside a quoted field */
		size_t k = 0;
		if (c->p.pstate == c->idle_state)
			while (k < 3 && k < n && s[k] == csvin_bom[k])
				k++;
		if (k == 3) {
			s += 3;
			n -= 3;
			c->bol = 0;
		} else if (k == n) {
			memcpy(c->pend, s, k);
			c->npend = k;
			return;
		} else {
			csvin_parse_bytes(c, s, 1);
			s++;
			n--;
		}
	}
}

/* UTF-16 code units to UTF-8 for csvin_feed8; an unpaired surrogate is
 * U+FFFD (the text is repaired, as invalid UTF-8 is). */
static void csvin_feed16(struct csvin *c, const unsigned char *s, size_t n)
{
	int le = c->mode == 2;
	c->u8 = xgrow(c->u8, &c->u8_cap, 2 * n + 8, 1);
	size_t k = 0;
	while (n) {
		unsigned char b[2];
		if (c->nu16_pend) {
			b[0] = c->u16_pend[0];
			b[1] = *s++;
			n--;
			c->nu16_pend = 0;
		} else if (n == 1) {
			c->u16_pend[0] = *s;
			c->nu16_pend = 1;
			break;
		} else {
			b[0] = s[0];
			b[1] = s[1];
			s += 2;
			n -= 2;
		}
		unsigned u = le ? (unsigned)b[0] | (unsigned)b[1] << 8 : (unsigned)b[0] << 8 | b[1];
		if (c->u16_high) {
			unsigned hi = c->u16_high;
			c->u16_high = 0;
			if (u >= 0xDC00 && u <= 0xDFFF) {
				k += parse_put_utf8(c->u8 + k,
						    0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00));
				continue;
			}
			k += parse_put_utf8(c->u8 + k, 0xFFFD);
		}
		if (u >= 0xD800 && u <= 0xDBFF)
			c->u16_high = u;
		else if (u >= 0xDC00 && u <= 0xDFFF)
			k += parse_put_utf8(c->u8 + k, 0xFFFD);
		else
			k += parse_put_utf8(c->u8 + k, u);
	}
	csvin_feed8(c, (const unsigned char *)c->u8, k);
}

/* The first two bytes of a file decide: a UTF-16 byte order mark (dropped)
 * or the source's encoding. */
static void csvin_start(struct csvin *c)
{
	int enc = c->src->encoding;
	if (c->nstart == 2 && c->start[0] == 0xFF && c->start[1] == 0xFE)
		c->mode = 2;
	else if (c->nstart == 2 && c->start[0] == 0xFE && c->start[1] == 0xFF)
		c->mode = 3;
	else {
		c->mode = enc == CONFIG_ENC_UTF16LE ? 2 : enc == CONFIG_ENC_UTF16BE ? 3 : 1;
		if (c->mode == 1)
			csvin_feed8(c, c->start, c->nstart);
		else
			csvin_feed16(c, c->start, c->nstart);
	}
	c->nstart = 0;
}

void csvin_feed(struct csvin *c, const char *buf, size_t n, const struct csvin_sink *sink,
		void *ctx)
{
	const unsigned char *s = (const unsigned char *)buf;

	c->sink = sink;
	c->ctx = ctx;
	while (c->mode == 0 && n) {
		c->start[c->nstart++] = *s++;
		n--;
		/* only FF FE and FE FF mark UTF-16: any other first byte decides */
		if (c->nstart == 2 || (c->start[0] != 0xFF && c->start[0] != 0xFE))
			csvin_start(c);
	}
	if (!n)
		return;
	if (c->mode == 1)
		csvin_feed8(c, s, n);
	else
		csvin_feed16(c, s, n);
}

void csvin_end(struct csvin *c, const struct csvin_sink *sink, void *ctx)
{
	c->sink = sink;
	c->ctx = ctx;
	if (c->mode == 0 && c->nstart)
		csvin_start(c); /* a one-byte file */
	if (c->mode >= 2 && (c->nu16_pend || c->u16_high)) {
		/* half a code unit or a lone high surrogate at the end */
		static const unsigned char fffd[3] = {0xEF, 0xBF, 0xBD};
		c->nu16_pend = 0;
		c->u16_high = 0;
		csvin_feed8(c, fffd, 3);
	}
	if (c->npend) {
		/* the file ended inside what could have been a BOM: it is data */
		size_t k = c->npend;
		c->npend = 0;
		csvin_parse_bytes(c, c->pend, k);
	}
	/* CSV_STRICT_FINI (which needs CSV_STRICT) makes csv_fini refuse a
	 * quoted field without its closing quote; strict mode is on for this
	 * call only, since it would stop csv_parse at a stray quote */
	csv_set_opts(&c->p, CSV_REPALL_NL | CSV_STRICT | CSV_STRICT_FINI);
	if (csv_fini(&c->p, csvin_field, csvin_row, c) != 0) {
		uint64_t line = c->nf == 0 && !c->entry_long ? c->line : c->row_line;
		if (!c->have_header) {
			c->have_header = 1;
			csvin_header_fail(c, "header has an unterminated quoted field");
		} else if (!c->hdr_err) {
			c->sink->reject(c->ctx, line, "unterminated quoted field");
		}
		csv_free(&c->p);
		csvin_parser_init(c);
		csvin_row_reset(c);
	}
	csv_set_opts(&c->p, CSV_REPALL_NL);
	/* the parser is reusable after csv_fini; the next file calls begin */
	c->bol = 1;
}

int csvin_in_row(const struct csvin *c)
{
	return c->npend > 0 || c->p.pstate != c->idle_state;
}

const char *csvin_header_error(const struct csvin *c)
{
	return c->hdr_err;
}

int csvin_has_header(const struct csvin *c)
{
	return c->have_header && !c->hdr_err;
}

void csvin_set_fast_lines(struct csvin *c, int on)
{
	c->fast_lines = on;
}

int csvin_can_split(const struct csvin *c)
{
	/* after a CR, an LF would end no line: a clone, which starts as after
	 * an LF, would count one */
	return c->mode == 1 && c->have_header && !c->hdr_err && !csvin_in_row(c) && c->bol &&
	       c->prev_term != '\r' && c->nf == 0 && c->p.entry_pos == 0 && c->src->delimiter != '"' &&
	       c->src->delimiter != '\n' && c->src->delimiter != '\r';
}

/* Between rows after a line end (as csvin_can_split requires), a parser
 * knows only the file's header and where it is: a clone has the header's
 * bytes and map (the map's caches are its own) and starts at line 1. */
struct csvin *csvin_clone(const struct csvin *c)
{
	struct csvin *k = csvin_new(c->src);
	k->fast_lines = c->fast_lines;
	k->mode = 1;
	k->have_header = 1;
	k->hrow = c->hrow;
	k->hdr = xmalloc(c->hdr_len + 1);
	memcpy(k->hdr, c->hdr, c->hdr_len);
	k->hdr[c->hdr_len] = '\0';
	k->hdr_len = c->hdr_len;
	k->map = xmalloc(sizeof *k->map);
	memcpy(k->map, c->map, sizeof *k->map);
	k->prev_term = '\n';
	return k;
}

void csvin_rows_restart(struct csvin *k)
{
	if (csvin_in_row(k) || k->nf || k->p.entry_pos) {
		csv_free(&k->p);
		csvin_parser_init(k);
		csvin_row_reset(k);
	}
	k->npend = 0;
	k->bol = 1;
	k->line = k->row_line = 1;
	k->prev_term = '\n';
}

int csvin_row_on_one_line(const struct csvin *c)
{
	/* unquoted, so no line end can be inside the field being read; and
	 * none in the fields before it (they move line on as they end) */
	return c->mode == 1 && csvin_in_row(c) && !c->npend && !c->p.quoted && !c->entry_long &&
	       !c->refused && (c->nf == 0 || c->line == c->row_line);
}

int csvin_after_cr(const struct csvin *c)
{
	return c->prev_term == '\r' && c->bol && !csvin_in_row(c) && c->nf == 0;
}

void csvin_set_after_cr(struct csvin *c)
{
	c->prev_term = '\r';
}

uint64_t csvin_line(const struct csvin *c)
{
	return c->line;
}

void csvin_advance(struct csvin *c, uint64_t lines)
{
	c->line += lines;
	c->row_line = c->line;
	c->prev_term = '\n';
	c->bol = 1;
}
