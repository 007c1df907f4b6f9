/* csvlog: a csvin sink that writes all it is told into one text log, so a
 * test compares one string: "X<line> reason" for a rejection, "N<line>"
 * for a no-answer score, "U<line> word" for an unknown event word, "H msg"
 * for a header error. Each test formats its records itself ("R<line> ...")
 * with csvlog_add, since what matters differs from test to test. Include
 * after testutil.h and the cxtop headers. */
#ifndef CXTOP_CSVLOG_H
#define CXTOP_CSVLOG_H

struct csvlog {
	char text[16384];
	size_t len;
	int headers; /* header_error calls */
};

static inline void csvlog_add(struct csvlog *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void csvlog_add(struct csvlog *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->text + g->len, sizeof g->text - g->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof g->text - g->len);
	g->len += (size_t)n;
}

static inline void csvlog_reject(void *ctx, uint64_t line, const char *reason)
{
	csvlog_add(ctx, "X%llu %s\n", (unsigned long long)line, reason);
}

static inline void csvlog_na(void *ctx, uint64_t line)
{
	csvlog_add(ctx, "N%llu\n", (unsigned long long)line);
}

static inline void csvlog_unknown(void *ctx, uint64_t line, const char *word)
{
	csvlog_add(ctx, "U%llu %s\n", (unsigned long long)line, word);
}

static inline void csvlog_header_error(void *ctx, const char *message)
{
	struct csvlog *g = ctx;

	g->headers++;
	csvlog_add(g, "H %s\n", message);
}

/* A sink that logs everything, with the test's own record formatter. */
#define CSVLOG_SINK(record_fn)                                              \
	{                                                                   \
		.record = (record_fn), .reject = csvlog_reject, .na = csvlog_na, \
		.unknown_event = csvlog_unknown,                             \
		.header_error = csvlog_header_error,                         \
	}

#endif
