/* util: allocation that never returns NULL, the one fatal path, and small
 * string helpers shared by every module.
 *
 * Out-of-memory and impossible states end the program through util_fatal(),
 * which first runs the hook the UI registers (endwin) so the terminal is
 * never left broken. Errors a user can cause never come here. */
#ifndef CXTOP_UTIL_H
#define CXTOP_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Print "cxtop: MESSAGE" to stderr after running the fatal hook; exit(1). */
void util_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Register a function run once before a fatal exit (the UI's endwin). */
void util_set_fatal_hook(void (*hook)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of elem_size elements to hold at least need; doubles. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem_size);
/* Zeroed memory for a large table that is probed at random (hash tables
 * of millions of entries): from 4 MiB on it is 2 MiB-aligned and the kernel
 * is asked for transparent huge pages, so that a probe costs a cache miss
 * but rarely also a TLB miss. Free with free(). */
void *xcalloc_table(size_t count, size_t size);
/* Large tables taken up from a state file are mapped from it (private
 * pages the kernel reads in as they are touched: no copy and no zeroed
 * pages, a third of the time a restart took; statefile_get_table) rather
 * than allocated. util_table_adopt records such a mapping; xfree_table and
 * xrealloc_table tell the two kinds apart (on a malloc'd table they are
 * free and xrealloc). Main thread only: the worker threads never free or
 * grow the store's tables. */
void util_table_adopt(void *p, size_t n);
void xfree_table(void *p);
void *xrealloc_table(void *p, size_t n);
/* xgrow for an array that may be such a mapping. */
void *xgrow_table(void *p, size_t *cap, size_t need, size_t elem_size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* snprintf into a fresh heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The murmur3 64-bit finaliser: every input bit moves every output bit.
 * Hash tables keyed by packed small integers (hmap, pairs) and the string
 * hash use it, since the keys' low bits alone would cluster badly under
 * linear probing. */
static inline uint64_t util_mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* ASCII lower case of byte c, whatever the locale: ids, words and column
 * names compare case-insensitively in ASCII only (the text is UTF-8, and
 * tolower() of a UTF-8 byte in a single-byte locale would change it). */
static inline int util_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Copy src into dst of size n, always NUL-terminated (truncating). */
void util_strlcpy(char *dst, const char *src, size_t n);
/* A finite number rounded to a whole count with thousands separators
 * ("1,205,811", "-3,400") into buf of size n. Callers say what undefined
 * looks like in their output (em dash, "-", null), so NAN is theirs. */
void util_fmt_count(char *buf, size_t n, double x);
/* Money is summed in whole ten-thousandths of its unit (int64), not in
 * doubles: 0.1 + 0.2 cents would not add up, and a sum that values are
 * added to and taken from again (a customer's revenue, when a snapshot is
 * re-read) would drift. Four decimals cover every currency (three at most)
 * with room for rates; a value is rounded to them when summed. A sum
 * saturates at +/-922 trillion units instead of wrapping. */
#define UTIL_MONEY_SCALE 10000
int64_t util_money_of(double x);
double util_money_value(int64_t m);
int64_t util_money_add(int64_t a, int64_t b);
/* A finite double as the shortest decimal that reads back (strtod) as the
 * same double: 1234567.89 -> "1234567.89", 0.1 -> "0.1", whole values up
 * to 1e15 as integers. Plain positional notation from 1e-6 to 1e15, an
 * exponent only beyond. buf needs at least 40 bytes; NAN is the caller's. */
void util_fmt_shortest(char *buf, size_t n, double x);
/* The same by printf alone (%.15g, %.16g, %.17g and strtod): what
 * util_fmt_shortest must give, and its way for subnormals. */
void util_fmt_shortest_printf(char *buf, size_t n, double x);
/* s (n bytes) folded for comparing names and labels: trimmed, each run of
 * Unicode spaces (ASCII space, tab, NBSP U+00A0, U+2000-U+200A, narrow
 * NBSP U+202F, U+205F, U+3000) made one ASCII space, ASCII letters
 * lower-cased. Returns the length written to out (NUL-terminated, at most
 * cap - 1), or SIZE_MAX when it does not fit. */
size_t util_fold(const char *s, size_t n, char *out, size_t cap);
/* Trim ASCII spaces/tabs from both ends in place; returns s. */
char *util_trim(char *s);
/* Case-insensitive ASCII comparison of two NUL-terminated strings. */
int util_strieq(const char *a, const char *b);
/* 64-bit FNV-1a hash of n bytes, continuing from h (start with UTIL_FNV_INIT). */
#define UTIL_FNV_INIT 14695981039346656037ULL
uint64_t util_fnv(uint64_t h, const void *p, size_t n);
/* Fast 64-bit hash of n bytes, 8 bytes at a time, for hash tables of ids
 * (not stable across versions; never stored). */
uint64_t util_hash(const void *p, size_t n);

#endif
