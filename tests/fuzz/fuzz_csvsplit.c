/* fuzz_csvsplit: libFuzzer target comparing csvin's fast path for plain
 * lines with libcsv, the reference (issue 13): any bytes, read once with
 * the fast path (fed in chunks) and once by libcsv alone (fed whole), must
 * give the same calls to the sink — every row's fields byte for byte, its
 * line, every record, rejection and header message.
 *
 * Input layout (FUZZ_SPLIT_HDR bytes of choices, then the file's bytes):
 *   [0] bits 0-1: the delimiter (',', ';', tab, '|')
 *   [1], [2] chunk sizes, used in turn: b < 128 gives b+1 bytes, else
 *       (b-127)*64, so that lines, CRLFs and quoted fields straddle reads.
 *
 * The invariant (a violation aborts, as a crash): the two logs are equal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SPLIT_HDR 3

struct fuzz_log {
	char *s;
	size_t len, cap;
};

static void fuzz_put(struct fuzz_log *g, const void *p, size_t n)
{
	if (g->len + n > g->cap) {
		size_t cap = g->cap ? g->cap : 4096;
		while (cap < g->len + n)
			cap *= 2;
		g->s = realloc(g->s, cap);
		if (!g->s)
			abort();
		g->cap = cap;
	}
	memcpy(g->s + g->len, p, n);
	g->len += n;
}

static void fuzz_line(struct fuzz_log *g, char tag, uint64_t line, const char *text)
{
	char head[32];
	int k = snprintf(head, sizeof head, "%c%llu ", tag, (unsigned long long)line);
	fuzz_put(g, head, (size_t)k);
	if (text)
		fuzz_put(g, text, strlen(text) + 1);
}

static void fz_record(void *ctx, const struct record *r, uint64_t line)
{
	fuzz_line(ctx, 'R', line, r->customer);
}

static void fz_reject(void *ctx, uint64_t line, const char *why)
{
	fuzz_line(ctx, 'X', line, why);
}

static void fz_na(void *ctx, uint64_t line)
{
	fuzz_line(ctx, 'N', line, NULL);
}

static void fz_unknown(void *ctx, uint64_t line, const char *word)
{
	fuzz_line(ctx, 'U', line, word);
}

static void fz_header(void *ctx, const char *msg)
{
	fuzz_line(ctx, 'H', 0, msg);
}

static void fz_fields(void *ctx, char *const *f, const size_t *len, size_t n, uint64_t line)
{
	struct fuzz_log *g = ctx;
	fuzz_line(g, 'F', line, NULL);
	for (size_t i = 0; i < n; i++) {
		/* a NUL inside a field is data: its bytes are compared whole */
		uint64_t k = len[i];
		fuzz_put(g, &k, sizeof k);
		fuzz_put(g, f[i], len[i] + 1); /* with its terminating NUL */
	}
}

static const struct csvin_sink fuzz_sink = {
	.record = fz_record,
	.reject = fz_reject,
	.na = fz_na,
	.unknown_event = fz_unknown,
	.header_error = fz_header,
	.fields = fz_fields,
};

static struct config fuzz_cfg;
static int fuzz_ready;

static size_t fuzz_chunk(uint8_t b)
{
	return b < 128 ? (size_t)b + 1 : (size_t)(b - 127) * 64;
}

static void fuzz_read(struct fuzz_log *g, const struct config_source *src, int fast,
		      const uint8_t *s, size_t n, const uint8_t *chunks)
{
	struct csvin *c = csvin_new(src);
	csvin_set_fast_lines(c, fast);
	size_t at = 0;
	for (int i = 0; at < n; i++) {
		size_t k = chunks ? fuzz_chunk(chunks[i % 2]) : n;
		if (k > n - at)
			k = n - at;
		/* a heap copy of exactly k bytes: ASan sees a read past it */
		char *b = malloc(k);
		if (!b)
			abort();
		memcpy(b, s + at, k);
		csvin_feed(c, b, k, &fuzz_sink, g);
		free(b);
		at += k;
	}
	csvin_end(c, &fuzz_sink, g);
	csvin_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {',', ';', '\t', '|'};
	if (size < FUZZ_SPLIT_HDR)
		return 0;
	if (!fuzz_ready) {
		config_defaults(&fuzz_cfg);
		fuzz_ready = 1;
	}
	struct config_source src = fuzz_cfg.sources[0];
	for (size_t i = 0; i < fuzz_cfg.nsources; i++)
		if (fuzz_cfg.sources[i].kind == SCHEMA_EVENTS)
			src = fuzz_cfg.sources[i];
	src.delimiter = delims[data[0] & 3];
	struct fuzz_log fast = {0}, ref = {0};
	fuzz_read(&fast, &src, 1, data + FUZZ_SPLIT_HDR, size - FUZZ_SPLIT_HDR, data + 1);
	fuzz_read(&ref, &src, 0, data + FUZZ_SPLIT_HDR, size - FUZZ_SPLIT_HDR, NULL);
	if (fast.len != ref.len || (fast.len && memcmp(fast.s, ref.s, fast.len) != 0)) {
		size_t i = 0;
		while (i < fast.len && i < ref.len && fast.s[i] == ref.s[i])
			i++;
		fprintf(stderr,
			"fuzz_csvsplit: invariant broken: the fast path and libcsv differ at byte %zu "
			"of their logs (%zu and %zu bytes)\n",
			i, fast.len, ref.len);
		abort();
	}
	free(fast.s);
	free(ref.s);
	return 0;
}
