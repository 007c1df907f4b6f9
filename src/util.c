/* util: allocation that never fails, the single fatal path, small strings.
 * See include/cxtop/util.h. */
#include "cxtop/util.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void (*util_fatal_hook)(void);

void util_set_fatal_hook(void (*hook)(void))
{
	util_fatal_hook = hook;
}

void util_fatal(const char *fmt, ...)
{
	va_list ap;
	void (*hook)(void) = util_fatal_hook;

	util_fatal_hook = NULL; /* a failure inside the hook must not recurse */
	if (hook)
		hook();
	fputs("cxtop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		util_fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		util_fatal("out of memory (%zu x %zu bytes)", count, size);
	return p;
}

void *xcalloc_table(size_t count, size_t size)
{
	const size_t huge = (size_t)2 << 20;
	void *p;
	if (size && count > SIZE_MAX / size)
		util_fatal("table too large");
	size_t n = count * size;
	if (n < 2 * huge)
		return xcalloc(count, size);
	n = (n + huge - 1) & ~(huge - 1);
	if (posix_memalign(&p, huge, n) != 0)
		util_fatal("out of memory (%zu bytes)", n);
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE); /* advice only: fine if refused */
#endif
	memset(p, 0, n);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		util_fatal("out of memory (%zu bytes)", n);
	return q;
}

/* The capacity xgrow doubles to, or cap itself when need fits. */
static size_t util_grown(size_t cap, size_t need, size_t elem_size)
{
	size_t c = cap;
	if (need <= c)
		return c;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / elem_size)
			util_fatal("array too large");
		c *= 2;
	}
	return c;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t elem_size)
{
	size_t c = util_grown(*cap, need, elem_size);
	if (c == *cap)
		return p;
	*cap = c;
	return xrealloc(p, c * elem_size);
}

/* ---- tables mapped from a state file -------------------------------------- */

/* A handful at a time (the store's largest tables), so a list will do. */
static struct util_mapped {
	void *p;
	size_t n;
} *util_mapped;
static size_t util_nmapped, util_mapped_cap;

void util_table_adopt(void *p, size_t n)
{
	util_mapped = xgrow(util_mapped, &util_mapped_cap, util_nmapped + 1, sizeof *util_mapped);
	util_mapped[util_nmapped++] = (struct util_mapped){ p, n };
}

/* The mapping's length, taken off the list; 0 for a malloc'd table. */
static size_t util_table_unadopt(void *p)
{
	for (size_t i = 0; p && i < util_nmapped; i++) {
		if (util_mapped[i].p != p)
			continue;
		size_t n = util_mapped[i].n;
		util_mapped[i] = util_mapped[--util_nmapped];
		if (!util_nmapped) {
			free(util_mapped);
			util_mapped = NULL;
			util_mapped_cap = 0;
		}
		return n;
	}
	return 0;
}

void xfree_table(void *p)
{
	size_t n = util_table_unadopt(p);
	if (n)
		munmap(p, n);
	else
		free(p);
}

void *xrealloc_table(void *p, size_t n)
{
	size_t old = util_table_unadopt(p);
	if (!old)
		return xrealloc(p, n);
	void *q = xmalloc(n);
	memcpy(q, p, old < n ? old : n);
	munmap(p, old);
	return q;
}

void *xgrow_table(void *p, size_t *cap, size_t need, size_t elem_size)
{
	size_t c = util_grown(*cap, need, elem_size);
	if (c == *cap)
		return p;
	*cap = c;
	return xrealloc_table(p, c * elem_size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		util_fatal("bad format");
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void util_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len;
	if (n == 0)
		return;
	len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void util_fmt_count(char *b, size_t n, double x)
{
	char t[48];
	size_t j = 0, len;
	if (!n)
		return;
	snprintf(t, sizeof t, "%.0f", x < 0 ? -x : x);
	len = strlen(t);
	if (x <= -0.5 && j + 1 < n)
		b[j++] = '-';
	for (size_t i = 0; i < len && j + 2 < n; i++) {
		b[j++] = t[i];
		if ((len - i - 1) % 3 == 0 && i + 1 < len)
			b[j++] = ',';
	}
	b[j] = '\0';
}

char *util_trim(char *s)
{
	char *e, *b = s;
	while (*b == ' ' || *b == '\t')
		b++;
	if (b != s)
		memmove(s, b, strlen(b) + 1); /* one move, not one per blank */
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int util_strieq(const char *a, const char *b)
{
	while (*a && *b) {
		if (util_lower((unsigned char)*a) != util_lower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	return *a == *b;
}

uint64_t util_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t util_hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x100000001b3ULL), k;
	while (n >= 8) {
		memcpy(&k, b, 8);
		h = (h ^ util_mix64(k)) * 0x87c37b91114253d5ULL;
		h = (h << 31) | (h >> 33);
		b += 8;
		n -= 8;
	}
	/* the last 0-7 bytes without a variable-length memcpy (a libc call):
	 * two overlapping loads cover them, and for a given n the bytes map
	 * to k one to one, which is all a hash of (bytes, n) needs */
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, b, 4);
		memcpy(&hi, b + n - 4, 4);
		k = (uint64_t)hi << 32 | lo;
	} else if (n) {
		k = (uint64_t)b[0] | (uint64_t)b[n / 2] << 8 | (uint64_t)b[n - 1] << 16;
	} else {
		k = 0;
	}
	h ^= util_mix64(k ^ n);
	return util_mix64(h);
}

int64_t util_money_of(double x)
{
	double u = x * UTIL_MONEY_SCALE;
	if (!(u == u))
		return 0;
	if (u >= 9.2e18)
		return INT64_MAX;
	if (u <= -9.2e18)
		return -INT64_MAX;
	return llround(u);
}

double util_money_value(int64_t m)
{
	return (double)m / UTIL_MONEY_SCALE;
}

int64_t util_money_add(int64_t a, int64_t b)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : -INT64_MAX;
	return r;
}

/* The shortest %.Ng that round-trips is the shortest decimal there is
 * (17 significant digits always do, for IEEE doubles). %g switches to an
 * exponent from 1e-5 down and from 10^N up, so such a result is written
 * again positionally with the same significant digits. */
/* Significant digits of a %g number: its mantissa's digits after any
 * leading zeros. */
static int util_sig_digits(const char *b)
{
	int k = 0, lead = 1;
	for (; *b && *b != 'e' && *b != 'E'; b++) {
		if (*b < '0' || *b > '9' || (lead && *b == '0'))
			continue;
		lead = 0;
		k++;
	}
	return k ? k : 1;
}

void util_fmt_shortest_printf(char *buf, size_t n, double x)
{
	int p;
	char *e;

	if (x == 0) {
		snprintf(buf, n, "0");
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(buf, n, "%.0f", x);
		return;
	}
	/* The shortest of %.1g .. %.17g that reads back as x. Where one of 15
	 * digits or fewer does, %.15g (trailing zeros dropped) is that one:
	 * x is within half an ulp (1.1e-16 of it) of the short decimal, far
	 * inside half a unit of the 15th digit. So one try covers nearly every
	 * number (a loop from 1 took 17 tries for a ratio, and a fifth of a
	 * --once report's time); subnormals, with fewer digits of precision,
	 * take the loop. */
	p = 1;
	if (fabs(x) >= DBL_MIN) {
		snprintf(buf, n, "%.15g", x);
		if (strtod(buf, NULL) == x) {
			p = util_sig_digits(buf);
		} else {
			p = 16;
			snprintf(buf, n, "%.16g", x);
			if (strtod(buf, NULL) != x)
				p = 17;
		}
	} else {
		for (; p < 17; p++) {
			snprintf(buf, n, "%.*g", p, x);
			if (strtod(buf, NULL) == x)
				break;
		}
	}
	if (p == 17)
		snprintf(buf, n, "%.17g", x);
	e = strchr(buf, 'e');
	if (e && fabs(x) >= 1e-6 && fabs(x) < 1e15) {
		int exp10 = atoi(e + 1);
		int decimals = p - 1 - exp10;
		snprintf(buf, n, "%.*f", decimals > 0 ? decimals : 0, x);
	}
}

/* Shortest decimals by integer arithmetic, for 1e-6 <= |x| < 1e15 (what a
 * report prints): x = m / 2^s exactly (m of 53 bits, s from 3 to 72), so
 * x's decimal digits rounded at any place are a product and a shift of
 * 128 bits, rounded half to even on the exact remainder as printf rounds,
 * and whether a decimal reads back as x is a comparison with the bounds
 * of x's rounding interval, as strtod rounds. Three printfs and two
 * strtods per number had been a third of a --once report's time. */
__extension__ typedef unsigned __int128 util_u128;

static util_u128 util_pow10(int k)
{
	util_u128 r = 1;
	while (k-- > 0)
		r *= 10;
	return r;
}

/* m * 10^k / 2^s rounded half to even (k <= 22: below 2^128). */
static uint64_t util_dec_round(uint64_t m, int s, int k)
{
	util_u128 v = (util_u128)m * util_pow10(k), mask = ((util_u128)1 << s) - 1;
	util_u128 q = v >> s, r = v & mask, half = (util_u128)1 << (s - 1);
	if (r > half || (r == half && (q & 1)))
		q++;
	return (uint64_t)q;
}

/* Does c x 10^-j (j from 0 to 21) read back as m / 2^s? Between the
 * midpoints to x's neighbours, the midpoints included when m is even (a
 * tie goes to the even significand); below a power of two the lower
 * neighbour is half as far. Scaled by 10^j 2^(s+2): all below 2^128. */
static int util_reads_back(uint64_t c, int j, uint64_t m, int s)
{
	util_u128 v = (util_u128)c << (s + 2), p = util_pow10(j);
	util_u128 lo = ((util_u128)4 * m - (m == (UINT64_C(1) << 52) ? 1 : 2)) * p;
	util_u128 hi = ((util_u128)4 * m + 2) * p;
	return m & 1 ? lo < v && v < hi : lo <= v && v <= hi;
}

/* v in decimal at dst, at least width digits (zeros before): their count.
 * dst has room for 20. */
static int util_put_u64(char *dst, uint64_t v, int width)
{
	char t[24];
	int k = 0;
	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k < width)
		t[k++] = '0';
	for (int i = 0; i < k; i++)
		dst[i] = t[k - 1 - i];
	return k;
}

/* tmp's k bytes and a NUL into buf of n bytes, cut as snprintf cuts. */
static void util_put_str(char *buf, size_t n, const char *tmp, size_t k)
{
	if (!n)
		return;
	if (k >= n)
		k = n - 1;
	memcpy(buf, tmp, k);
	buf[k] = '\0';
}

/* x's shortest form as util_fmt_shortest_printf gives it, into buf: 1, or
 * 0 (outside the range, or a case not covered) for the printf way. */
static int util_fmt_fast(char *buf, size_t n, double x)
{
	double a = fabs(x);
	if (!(a >= 1e-6 && a < 1e15))
		return 0;
	uint64_t bits;
	memcpy(&bits, &a, sizeof bits);
	uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
	int s = 1075 - (int)(bits >> 52);
	if (s < 3 || s > 72)
		return 0;
	/* the decimal exponent: 17 digits at 10^(X-16) are 10^16 .. 10^17 */
	int X = (int)floor(log10(a)), tries = 0;
	for (;; tries++) {
		if (tries > 2 || 16 - X < 0 || 16 - X > 22)
			return 0;
		util_u128 f = ((util_u128)m * util_pow10(16 - X)) >> s;
		if (f >= util_pow10(17))
			X++;
		else if (f < util_pow10(16))
			X--;
		else
			break;
	}
	/* %.15g's digits, then %.16g's, then %.17g's: the first that reads
	 * back (j, the decimals of the scaled value, is 14..16 - e <= 21) */
	uint64_t c = 0;
	int prec = 0, e = X;
	for (int p = 15; p <= 17 && !prec; p++) {
		int k = p - 1 - X;
		if (k > 22)
			return 0;
		c = util_dec_round(m, s, k);
		e = X;
		if (c == (uint64_t)util_pow10(p)) {
			c /= 10; /* 9.99..9 up to 10 */
			e = X + 1;
		}
		if (p == 17 || util_reads_back(c, p - 1 - e, m, s))
			prec = p;
	}
	char dig[24];
	util_put_u64(dig, c, prec);
	int p = prec;
	if (prec == 15)
		while (p > 1 && dig[p - 1] == '0')
			p--;
	/* positional, as the printf way writes this range */
	char tmp[64];
	size_t k = 0;
	if (x < 0)
		tmp[k++] = '-';
	if (e < 0) {
		tmp[k++] = '0';
		tmp[k++] = '.';
		for (int i = -1; i > e; i--)
			tmp[k++] = '0';
		memcpy(tmp + k, dig, (size_t)p);
		k += (size_t)p;
	} else {
		for (int i = 0; i <= e; i++)
			tmp[k++] = i < p ? dig[i] : '0';
		if (p > e + 1) {
			tmp[k++] = '.';
			memcpy(tmp + k, dig + e + 1, (size_t)(p - e - 1));
			k += (size_t)(p - e - 1);
		}
	}
	util_put_str(buf, n, tmp, k);
	return 1;
}

void util_fmt_shortest(char *buf, size_t n, double x)
{
	/* counts, most of a report's numbers: an integer below 10^15 is
	 * exact in an int64, and its digits are what %.0f writes */
	if (x == floor(x) && fabs(x) < 1e15) {
		char tmp[24];
		size_t k = 0;
		if (x < 0)
			tmp[k++] = '-';
		k += (size_t)util_put_u64(tmp + k, (uint64_t)fabs(x), 1);
		util_put_str(buf, n, tmp, k);
		return;
	}
	if (!util_fmt_fast(buf, n, x))
		util_fmt_shortest_printf(buf, n, x);
}

/* Bytes of a Unicode space at p (n bytes left), 0 if none: ASCII space
 * and tab, NBSP U+00A0, U+2000-U+200A, narrow NBSP U+202F, U+205F and
 * the ideographic space U+3000. Exports and spreadsheets put NBSPs in
 * headers that look identical on screen. */
static size_t util_space_len(const unsigned char *p, size_t n)
{
	if (*p == ' ' || *p == '\t' || *p == '\r')
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xaf))
		return 3;
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* s folded for comparing header names: trimmed, each run of Unicode
 * spaces made one ASCII space, ASCII letters lower-cased. Returns the
 * length written to out (at most cap - 1), or SIZE_MAX when it does not
 * fit. */
size_t util_fold(const char *s, size_t n, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t o = 0, sp;
	int pending = 0;
	while (p < end) {
		if ((sp = util_space_len(p, (size_t)(end - p))) > 0) {
			pending = o > 0;
			p += sp;
			continue;
		}
		if (o + 2 >= cap)
			return SIZE_MAX;
		if (pending)
			out[o++] = ' ';
		pending = 0;
		out[o++] = (char)util_lower(*p++);
	}
	out[o] = '\0';
	return o;
}
