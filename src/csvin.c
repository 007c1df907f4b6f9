/* csvin: libcsv + header + record mapping for one file at a time.
 *
 * libcsv calls back per field and per row end; fields are copied into one
 * row buffer (NUL-separated) so that record_from_row sees NUL-terminated
 * strings. CSV_REPALL_NL makes libcsv report every line end outside a
 * record, which is how blank lines and CRLF pairs are counted into physical
 * line numbers without scanning the bytes twice. */
#include "cxtop/csvin.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

/* A row wider than this is rejected rather than mapped (issue: 10,000
 * columns must not cost 10,000 lookups per row forever). */
#define CSVIN_MAX_FIELDS 4096

struct csvin {
	const struct config_source *src;
	struct csv_parser p;
	/* current row */
	char *buf;
	size_t len, cap;
	size_t *off;      /* field start offsets into buf */
	size_t *flen;
	size_t nf, fcap;
	char **fptr;      /* rebuilt per row from off (buf may move) */
	size_t fptr_cap;
	/* lines */
	uint64_t line;     /* physical line where the next row starts */
	uint64_t row_line; /* physical line where the current row started */
	int prev_term;     /* last line-end character seen */
	int overflow;      /* current row has too many fields */
	/* header */
	int have_header;
	struct record_map map;
	char *hdr_err;
	char *hdr;         /* the header row's bytes, to spot it repeated */
	size_t hdr_len;
	/* BOM handling at the start of a file */
	int at_start;
	unsigned char pend[3];
	size_t npend;
	/* sink of the current feed */
	const struct csvin_sink *sink;
	void *ctx;
};

static void csvin_parser_init(struct csvin *c)
{
	if (csv_init(&c->p, CSV_REPALL_NL) != 0)
		util_fatal("libcsv: cannot initialise parser");
	csv_set_delim(&c->p, (unsigned char)c->src->delimiter);
	c->p.is_space = NULL;
}

/* Tabs are not padding when tab is the delimiter; only spaces are. */
static int csvin_is_space(unsigned char ch)
{
	return ch == ' ';
}

struct csvin *csvin_new(const struct config_source *src)
{
	struct csvin *c = xcalloc(1, sizeof *c);
	c->src = src;
	csvin_parser_init(c);
	if (src->delimiter == '\t')
		csv_set_space_func(&c->p, csvin_is_space);
	csvin_begin(c);
	return c;
}

void csvin_free(struct csvin *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	free(c->buf);
	free(c->off);
	free(c->flen);
	free(c->fptr);
	free(c->hdr_err);
	free(c->hdr);
	free(c);
}

void csvin_begin(struct csvin *c)
{
	csv_free(&c->p);
	csvin_parser_init(c);
	/* libcsv's built-in test (space or tab) is inlined and fast; only a
	 * tab-delimited file needs its own, where tab is not padding */
	if (c->src->delimiter == '\t')
		csv_set_space_func(&c->p, csvin_is_space);
	c->len = c->nf = 0;
	c->line = c->row_line = 1;
	c->prev_term = 0;
	c->overflow = 0;
	c->have_header = 0;
	free(c->hdr_err);
	c->hdr_err = NULL;
	free(c->hdr);
	c->hdr = NULL;
	c->hdr_len = 0;
	c->at_start = 1;
	c->npend = 0;
}

static void csvin_field(void *s, size_t n, void *data)
{
	struct csvin *c = data;
	const char *f = s ? s : "";

	if (c->nf == 0)
		c->row_line = c->line;
	/* newlines inside a quoted field are lines of the file too */
	if (n)
		for (const char *p = memchr(f, '\n', n); p;
		     p = memchr(p + 1, '\n', n - (size_t)(p + 1 - f)))
			c->line++;
	if (c->nf >= CSVIN_MAX_FIELDS) {
		c->overflow = 1;
		c->nf++;
		return;
	}
	size_t need = c->len + (c->src->latin1 ? 2 * n : n) + 1;
	if (need > c->cap)
		c->buf = xgrow(c->buf, &c->cap, need, 1);
	if (c->nf + 1 > c->fcap) {
		c->off = xgrow(c->off, &c->fcap, c->nf + 1, sizeof *c->off);
		c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
	}
	c->off[c->nf] = c->len;
	if (c->src->latin1) {
		size_t w = parse_latin1_to_utf8(c->buf + c->len, c->cap - c->len, f, n);
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

static void csvin_row_fields(struct csvin *c)
{
	/* past CSVIN_MAX_FIELDS only the count grew: no offsets to read */
	size_t n = c->overflow ? CSVIN_MAX_FIELDS : c->nf;
	c->fptr = xgrow(c->fptr, &c->fptr_cap, n + 1, sizeof *c->fptr);
	for (size_t i = 0; i < n; i++)
		c->fptr[i] = c->buf + c->off[i];
}

static void csvin_header(struct csvin *c)
{
	char err[1024];

	c->have_header = 1;
	c->hdr = xstrndup(c->buf, c->len);
	c->hdr_len = c->len;
	if (c->overflow)
		snprintf(err, sizeof err, "header has more than %d columns", CSVIN_MAX_FIELDS);
	if (c->overflow ||
	    record_map_build(&c->map, c->src, c->fptr, c->flen, c->nf, err, sizeof err) < 0) {
		c->hdr_err = xstrdup(err);
		if (c->sink->header_error)
			c->sink->header_error(c->ctx, err);
	}
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
	csvin_row_fields(c);
	if (!c->have_header) {
		csvin_header(c);
	} else if (c->hdr_err) {
		/* the source's one error is its header; rows are not counted */
	} else if (c->overflow) {
		snprintf(why, sizeof why, "more than %d fields", CSVIN_MAX_FIELDS);
		c->sink->reject(c->ctx, line, why);
	} else if (c->len == c->hdr_len && memcmp(c->buf, c->hdr, c->len) == 0) {
		/* the header again in the middle: two exports concatenated */
		c->sink->reject(c->ctx, line, "repeated header row");
	} else {
		switch (record_from_row(&c->map, c->fptr, c->flen, c->nf, &r, why, sizeof why)) {
		case RECORD_OK:
			c->sink->record(c->ctx, &r, line);
			break;
		case RECORD_REJECT:
			c->sink->reject(c->ctx, line, why);
			break;
		case RECORD_NA:
			if (c->sink->na)
				c->sink->na(c->ctx, line);
			break;
		case RECORD_UNKNOWN_EVENT:
			if (c->sink->unknown_event)
				c->sink->unknown_event(c->ctx, line, why);
			break;
		}
	}
	c->len = c->nf = 0;
	c->overflow = 0;
}

static void csvin_parse(struct csvin *c, const char *buf, size_t n)
{
	size_t done = csv_parse(&c->p, buf, n, csvin_field, csvin_row, c);
	if (done != n) {
		/* only out-of-memory stops libcsv in non-strict mode */
		util_fatal("libcsv: %s", csv_strerror(csv_error(&c->p)));
	}
}

void csvin_feed(struct csvin *c, const char *buf, size_t n, const struct csvin_sink *sink,
		void *ctx)
{
	c->sink = sink;
	c->ctx = ctx;
	if (c->at_start) {
		/* hold the first bytes until we know whether they are a BOM */
		while (n && c->npend < 3) {
			c->pend[c->npend++] = (unsigned char)*buf++;
			n--;
		}
		if (c->npend < 3 && memcmp(c->pend, "\xEF\xBB\xBF", c->npend) == 0)
			return;
		c->at_start = 0;
		if (!(c->npend == 3 && memcmp(c->pend, "\xEF\xBB\xBF", 3) == 0))
			csvin_parse(c, (const char *)c->pend, c->npend);
	}
	if (n)
		csvin_parse(c, buf, n);
}

void csvin_end(struct csvin *c, const struct csvin_sink *sink, void *ctx)
{
	c->sink = sink;
	c->ctx = ctx;
	if (c->at_start && c->npend) {
		c->at_start = 0;
		if (memcmp(c->pend, "\xEF\xBB\xBF", c->npend) != 0)
			csvin_parse(c, (const char *)c->pend, c->npend);
	}
	csv_fini(&c->p, csvin_field, csvin_row, c);
	/* the parser is reusable after csv_fini; the next file calls begin */
}

const char *csvin_header_error(const struct csvin *c)
{
	return c->hdr_err;
}

int csvin_has_header(const struct csvin *c)
{
	return c->have_header && !c->hdr_err;
}
