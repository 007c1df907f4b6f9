/*
 * demo_feed — keeps a copy of the sample data growing, for `make demo`.
 *
 *   demo_feed [--interval-ms N] [--seed S] [--max-seconds N] DIR
 *
 * Every interval (default 1000 ms) it appends a handful of rows to
 * DIR/events.csv (5-40) and DIR/responses.csv (0-3), and every 60 ticks
 * (once a minute at the default interval) one brand row for the next day to
 * DIR/awareness.csv, once that day has begun in data time.  Data time continues from the latest timestamp found at
 * the end of those files and advances 10 minutes per tick, so 30-day windows
 * move visibly.  Customer and campaign ids are taken from DIR/customers.csv
 * and DIR/campaigns.csv; each log file's header decides which columns are
 * written and in what order (unknown columns are left empty).
 *
 * Writing rules, so that a reader following the files sees what it would see
 * from a real exporter:
 *   - files are opened O_WRONLY|O_APPEND only: never created, truncated or
 *     rewritten;
 *   - each tick's rows for one file go out in one write() of complete lines,
 *     except that now and then (about one tick in six) the last row is
 *     written in two parts 200 ms apart — a writer caught mid-row, which the
 *     reader must hold back until the newline arrives;
 *   - a split row is always completed, even when a signal arrives between
 *     the two parts.
 * The rows depend only on the seed and the files' contents (own splitmix64
 * PRNG, no rand()); only how many ticks run depends on the clock.  Stops on
 * SIGINT/SIGTERM or after --max-seconds and prints a one-line summary on
 * stderr.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400
#define STEP_S 600 /* data seconds per tick */
#define MAXF 64    /* columns considered per header */
#define RING 512   /* recent deliveries / opens / clicks / invitations */
#define MAXRECENT 4

/* ---------------------------------------------------------------- PRNG -- */

#include "splitmix.h"

/* true with probability pct/1000 */
static int rp(uint32_t permille)
{
	return rb(1000) < permille;
}

/* index drawn from integer weights */
static int rw(const unsigned *w, int n)
{
	unsigned tot = 0;
	for (int i = 0; i < n; i++)
		tot += w[i];
	unsigned x = rb(tot);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ------------------------------------------------------------- helpers -- */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("demo_feed: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("demo_feed: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

/* growable output buffer */
struct buf {
	char *p;
	size_t len, cap;
};

static void bput(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void bputs(struct buf *b, const char *s)
{
	bput(b, s, strlen(s));
}

/* a field, quoted as RFC 4180 asks when it has to be */
static void bfield(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		bputs(b, s);
		return;
	}
	bput(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"')
			bput(b, "\"", 1);
		bput(b, s, 1);
	}
	bput(b, "\"", 1);
}

/* ---------------------------------------------------------------- time -- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int num(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**s))
			return 0;
		v = v * 10 + (*(*s)++ - '0');
	}
	*out = v;
	return 1;
}

/* ISO 8601 date or date-time (UTC, Z or +hh:mm), or epoch seconds; -1 on error */
static int64_t parse_time(const char *s)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	while (*s == ' ')
		s++;
	const char *p = s;
	if (*p && strspn(p, "0123456789") == strlen(p) && strlen(p) >= 9)
		return strtoll(p, NULL, 10);
	if (!num(&p, 4, &y) || *p++ != '-' || !num(&p, 2, &mo) || *p++ != '-' || !num(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	int64_t t = days_from_civil(y, mo, d) * DAY;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!num(&p, 2, &h) || *p++ != ':' || !num(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (!num(&p, 2, &se))
				return -1;
		}
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		t += h * 3600 + mi * 60 + se;
		if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (!num(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			num(&p, 2, &om);
			t -= sign * (oh * 3600 + om * 60);
		}
	}
	return t;
}

static void fmt_ts(char *out, size_t n, int64_t t)
{
	int y, m, d;
	int64_t days = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
	int64_t sec = t - days * DAY;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

static void fmt_date(char *out, size_t n, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* ----------------------------------------------------------------- CSV -- */

/* Splits one record in place (quotes honoured, "" unescaped); returns count. */
static int split_record(char *s, char **f, int max)
{
	int n = 0;
	size_t len = strlen(s);
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = 0;
	char *r = s, *w = s;
	for (;;) {
		if (n < max)
			f[n] = w;
		n++;
		if (*r == '"') {
			r++;
			for (;;) {
				if (!*r)
					break;
				if (*r == '"') {
					if (r[1] == '"') {
						*w++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*w++ = *r++;
			}
		}
		while (*r && *r != ',')
			*w++ = *r++;
		if (!*r) {
			*w = 0;
			break;
		}
		r++;
		*w++ = 0;
	}
	return n < max ? n : max;
}

/* Reads one CSV record (may span lines inside quotes); NULL at end. */
static char *read_record(FILE *fp, char **line, size_t *cap)
{
	static struct buf rec;
	if (!fp) {
		free(rec.p);
		rec = (struct buf){0};
		return NULL;
	}
	rec.len = 0;
	int inq = 0;
	ssize_t n;
	while ((n = getline(line, cap, fp)) > 0) {
		bput(&rec, *line, (size_t)n);
		for (ssize_t i = 0; i < n; i++)
			if ((*line)[i] == '"')
				inq = !inq;
		if (!inq)
			break;
	}
	return rec.len ? rec.p : NULL;
}

struct header {
	int n;
	char *name[MAXF];
};

static int col(const struct header *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (!strcasecmp(h->name[i], name))
			return i;
	return -1;
}

static void trim(char *s)
{
	size_t a = strspn(s, " \t"), n = strlen(s);
	while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = 0;
}

static int parse_header(char *rec, struct header *h)
{
	char *f[MAXF];
	if (!strncmp(rec, "\xEF\xBB\xBF", 3))
		rec += 3;
	h->n = split_record(rec, f, MAXF);
	for (int i = 0; i < h->n; i++) {
		trim(f[i]);
		h->name[i] = xstrdup(f[i]);
	}
	return h->n;
}

static void free_header(struct header *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->name[i]);
	h->n = 0;
}

/* Opens path and reads its header into h; the stream is left after it.
 * NULL when the file is missing or has no header, with errno's reason or
 * "no header" in why (the callers decide whether that is fatal). */
static FILE *open_csv(const char *path, struct header *h, char *why, size_t whyn)
{
	char *line = NULL, *rec;
	size_t cap = 0;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(why, whyn, "%s", strerror(errno));
		return NULL;
	}
	if (!(rec = read_record(fp, &line, &cap)) || parse_header(rec, h) < 1) {
		snprintf(why, whyn, "no header");
		free(line);
		fclose(fp);
		return NULL;
	}
	free(line);
	return fp;
}

/* ---------------------------------------------------------- input data -- */

struct customer {
	char *id, *segment;
};
static struct customer *g_cust;
static size_t g_ncust;

struct campaign {
	char *id;
	int email;
	int64_t start; /* day number, or INT64_MIN when unknown */
};
static struct campaign *g_camp;
static size_t g_ncamp;

static void load_customers(const char *dir)
{
	char path[4096], *line = NULL, *rec, *f[MAXF];
	size_t cap = 0, all = 0;
	struct header h;
	char why[128];
	snprintf(path, sizeof path, "%s/customers.csv", dir);
	FILE *fp = open_csv(path, &h, why, sizeof why);
	if (!fp)
		die("%s: %s", path, why);
	int cid = col(&h, "customer_id"), cchurn = col(&h, "churn_date"), cseg = col(&h, "segment");
	if (cid < 0)
		die("%s: no customer_id column", path);
	while ((rec = read_record(fp, &line, &cap))) {
		int n = split_record(rec, f, MAXF);
		if (n <= cid || !*f[cid])
			continue;
		all++;
		if (cchurn >= 0 && cchurn < n && *f[cchurn])
			continue; /* churned customers do not open emails */
		g_cust = xrealloc(g_cust, (g_ncust + 1) * sizeof *g_cust);
		g_cust[g_ncust].id = xstrdup(f[cid]);
		g_cust[g_ncust].segment = xstrdup(cseg >= 0 && cseg < n ? f[cseg] : "");
		g_ncust++;
	}
	free(line);
	free_header(&h);
	fclose(fp);
	if (!g_ncust)
		die("%s: no active customers among %zu", path, all);
}

static void load_campaigns(const char *dir)
{
	char path[4096], *line = NULL, *rec, *f[MAXF];
	size_t cap = 0;
	struct header h;
	char why[128];
	snprintf(path, sizeof path, "%s/campaigns.csv", dir);
	FILE *fp = open_csv(path, &h, why, sizeof why);
	if (!fp) {
		warnx("%s: %s (events get no campaign ids)", path, why);
		return;
	}
	int cid = col(&h, "campaign_id"), cch = col(&h, "channel"), cst = col(&h, "start_date");
	if (cid < 0)
		die("%s: no campaign_id column", path);
	while ((rec = read_record(fp, &line, &cap))) {
		int n = split_record(rec, f, MAXF);
		if (n <= cid || !*f[cid])
			continue;
		struct campaign c;
		c.id = xstrdup(f[cid]);
		/* the spec's default channel is email */
		c.email = cch < 0 || cch >= n || !*f[cch] || !strcasecmp(f[cch], "email");
		int64_t t = cst >= 0 && cst < n ? parse_time(f[cst]) : -1;
		c.start = t >= 0 ? t / DAY : INT64_MIN;
		g_camp = xrealloc(g_camp, (g_ncamp + 1) * sizeof *g_camp);
		g_camp[g_ncamp++] = c;
	}
	free(line);
	free_header(&h);
	fclose(fp);
}

/* The up to MAXRECENT email campaigns that started last, on or before day
 * `today`, newest first (later in the file first on equal dates). */
static int recent_email(int64_t today, int *out)
{
	int n = 0;
	for (size_t i = 0; i < g_ncamp; i++) {
		const struct campaign *c = &g_camp[i];
		if (!c->email || (c->start != INT64_MIN && c->start > today))
			continue;
		int j = n;
		while (j > 0 && g_camp[out[j - 1]].start <= c->start) {
			if (j < MAXRECENT)
				out[j] = out[j - 1];
			j--;
		}
		if (j < MAXRECENT)
			out[j] = (int)i;
		if (n < MAXRECENT)
			n++;
	}
	return n;
}

/* ---------------------------------------------------------- log files -- */

struct logfile {
	const char *name;
	char path[4096];
	int fd;
	struct header h;
	int64_t last;     /* latest timestamp (events, responses) or day (awareness) */
	int need_nl;      /* the file does not end with a newline */
	long impressions; /* awareness: last brand row */
	long reach;
	unsigned long rows;
};

/* Opens DIR/name for appending and reads its header and the tail: the latest
 * value of `tcol` and, for awareness, the last brand row.  Returns 0 when the
 * file cannot be used (a warning says why). */
static int open_log(struct logfile *lf, const char *dir, const char *name, const char *tcol)
{
	char why[128];
	memset(lf, 0, sizeof *lf);
	lf->name = name;
	lf->fd = -1;
	lf->last = -1;
	snprintf(lf->path, sizeof lf->path, "%s/%s", dir, name);
	FILE *fp = open_csv(lf->path, &lf->h, why, sizeof why);
	if (!fp) {
		warnx("%s: %s (not fed)", lf->path, why);
		return 0;
	}
	int tc = col(&lf->h, tcol);
	if (tc < 0) {
		warnx("%s: no %s column (not fed)", lf->path, tcol);
		fclose(fp);
		return 0;
	}
	/* the last 64 KiB are plenty to find the latest rows */
	struct stat st;
	if (fstat(fileno(fp), &st) < 0)
		die("%s: %s", lf->path, strerror(errno));
	off_t from = st.st_size > 65536 ? st.st_size - 65536 : 0;
	size_t len = (size_t)(st.st_size - from);
	char *tail = xrealloc(NULL, len + 1);
	if (fseeko(fp, from, SEEK_SET) < 0 || fread(tail, 1, len, fp) != len)
		die("%s: cannot read its end", lf->path);
	tail[len] = 0;
	fclose(fp);
	lf->need_nl = len > 0 && tail[len - 1] != '\n';
	int ci = col(&lf->h, "campaign_id"), cim = col(&lf->h, "impressions"), cr = col(&lf->h, "reach");
	char *save = NULL, *f[MAXF];
	for (char *l = strtok_r(tail, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int n = split_record(l, f, MAXF);
		if (n <= tc)
			continue;
		int64_t t = parse_time(f[tc]);
		if (t < 0)
			continue;
		if (!strcmp(tcol, "date"))
			t = t / DAY;
		if (t > lf->last)
			lf->last = t;
		if (cim >= 0 && n == lf->h.n && (ci < 0 || !*f[ci])) {
			lf->impressions = atol(f[cim]);
			lf->reach = cr >= 0 ? atol(f[cr]) : 0;
		}
	}
	free(tail);
	lf->fd = open(lf->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (lf->fd < 0) {
		warnx("%s: %s (not fed)", lf->path, strerror(errno));
		return 0;
	}
	if (lf->need_nl)
		warnx("%s: does not end with a newline; ending its last line first", lf->path);
	return 1;
}

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void sleep_ms(long ms, int interruptible)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !(interruptible && g_stop))
		;
}

static void write_all(struct logfile *lf, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(lf->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("%s: write: %s", lf->path, w < 0 ? strerror(errno) : "no progress");
		p += w;
		n -= (size_t)w;
	}
}

/* Appends the rows in b (complete lines).  With `split`, the last row goes in
 * two writes 200 ms apart; otherwise everything is one write(). */
static void append(struct logfile *lf, struct buf *b, int split)
{
	size_t off = 0;
	if (!b->len)
		return;
	if (lf->need_nl) {
		/* end the file's unterminated last line, in the same write */
		struct buf nb = {0};
		bput(&nb, "\n", 1);
		bput(&nb, b->p, b->len);
		free(b->p);
		*b = nb;
		lf->need_nl = 0;
	}
	if (split) {
		/* start of the last row */
		size_t start = b->len - 1;
		while (start > 0 && b->p[start - 1] != '\n')
			start--;
		size_t rowlen = b->len - start; /* includes its newline */
		if (rowlen >= 3) {
			off = start + 1 + rb((uint32_t)(rowlen - 2));
			write_all(lf, b->p, off);
			sleep_ms(200, 0); /* a writer mid-row; always finish it */
		}
	}
	write_all(lf, b->p + off, b->len - off);
}

/* ------------------------------------------------------------ the feed -- */

struct pair {
	int cust, camp;
};

struct ring {
	struct pair v[RING];
	unsigned n, at;
};

static void ring_add(struct ring *r, int cust, int camp)
{
	r->v[r->at] = (struct pair){cust, camp};
	r->at = (r->at + 1) % RING;
	if (r->n < RING)
		r->n++;
}

/* a recent entry (biased towards the newest), or 0 when empty */
static int ring_pick(const struct ring *r, struct pair *out)
{
	if (!r->n)
		return 0;
	unsigned k = rb(r->n < 64 ? r->n : 64);
	if (rp(250))
		k = rb(r->n);
	*out = r->v[(r->at + RING - 1 - k) % RING];
	return 1;
}

static struct ring g_deliv, g_opens, g_clicks, g_invited;

enum { E_SENT, E_DELIVERED, E_OPEN, E_CLICK, E_UNSUB, E_BOUNCE, E_COMPLAINT, E_CONV, E_SURVEY, E_N };
static const char *const EVNAME[E_N] = {"sent", "delivered", "open", "click", "unsubscribe",
					"bounce", "complaint", "conversion", "survey_sent"};
/* Relative weights: mostly delivered/open/click.  Opens go mostly to recent
 * deliveries, so about 35-40 % of delivered customers open, 4-5 % click,
 * 1 % opt out and 0.07 % complain (the complaint_rate alert fires above
 * 0.1 %). */
static const unsigned EVW[E_N] = {500, 3000, 1100, 140, 30, 100, 2, 60, 1000};

struct field {
	const char *name, *value;
};

/* One line in the header's column order; columns not named here stay empty. */
static void put_row(struct buf *b, const struct header *h, const struct field *fv, int nf)
{
	for (int i = 0; i < h->n; i++) {
		if (i)
			bput(b, ",", 1);
		for (int k = 0; k < nf; k++)
			if (!strcasecmp(h->name[i], fv[k].name)) {
				bfield(b, fv[k].value);
				break;
			}
	}
	bput(b, "\n", 1);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* n sorted timestamps in (t0, t0 + STEP_S] */
static void gen_times(int64_t t0, int64_t *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = t0 + 1 + rb(STEP_S);
	qsort(out, (size_t)n, sizeof *out, cmp_i64);
}

static int rand_cust(void)
{
	return (int)rb((uint32_t)g_ncust);
}

static int gen_events(struct logfile *lf, struct buf *b, int64_t t0)
{
	int64_t ts[40];
	int recent[MAXRECENT];
	int nrec = recent_email((t0 + STEP_S) / DAY, recent);
	int n = 5 + (int)rb(36);
	gen_times(t0, ts, n);
	for (int i = 0; i < n; i++) {
		char tbuf[32], vbuf[32] = "";
		const char *machine = "", *campaign = "";
		int e = rw(EVW, E_N), cust = rand_cust(), camp = -1;
		struct pair p;
		if (!nrec && e != E_SURVEY)
			e = E_SURVEY; /* nothing to send: only survey invitations */
		if (nrec) {
			static const unsigned cw[MAXRECENT] = {55, 25, 12, 8};
			camp = recent[rw(cw, nrec)];
		}
		switch (e) {
		case E_SENT:
		case E_DELIVERED:
		case E_BOUNCE:
			if (e == E_DELIVERED)
				ring_add(&g_deliv, cust, camp);
			break;
		case E_OPEN:
			if (ring_pick(&g_deliv, &p) && rp(950))
				cust = p.cust, camp = p.camp;
			machine = rp(235) ? "1" : "0";
			if (*machine == '0')
				ring_add(&g_opens, cust, camp);
			break;
		case E_CLICK:
			if (ring_pick(&g_opens, &p) && rp(850))
				cust = p.cust, camp = p.camp;
			ring_add(&g_clicks, cust, camp);
			break;
		case E_CONV: {
			if (ring_pick(&g_clicks, &p) && rp(700))
				cust = p.cust, camp = p.camp;
			static const unsigned price[] = {1990, 2900, 4990, 7900, 12900, 24900};
			unsigned cents = price[rb(6)] + (rp(300) ? rb(5000) : 0);
			snprintf(vbuf, sizeof vbuf, "%u.%02u", cents / 100, cents % 100);
			break;
		}
		case E_UNSUB:
		case E_COMPLAINT:
			if (ring_pick(&g_deliv, &p) && rp(600))
				cust = p.cust, camp = p.camp;
			break;
		case E_SURVEY:
			camp = -1; /* general invitations carry no campaign */
			ring_add(&g_invited, cust, -1);
			break;
		}
		if (camp >= 0)
			campaign = g_camp[camp].id;
		fmt_ts(tbuf, sizeof tbuf, ts[i]);
		struct field fv[] = {{"timestamp", tbuf},         {"customer_id", g_cust[cust].id},
				     {"campaign_id", campaign},   {"event", EVNAME[e]},
				     {"value", vbuf},             {"machine", machine}};
		put_row(b, &lf->h, fv, (int)(sizeof fv / sizeof fv[0]));
	}
	return n;
}

static const char *const COMMENTS[] = {
	"Fast delivery, great support",
	"Too many emails, please send fewer",
	"Love it",
	"The app is slow on Mondays, otherwise fine",
	"Checkout kept failing, had to call support",
	"Good value for money",
	"Prices went up again, not happy",
	"Support answered in 5 minutes, thanks!",
	"The \"premium\" plan is not worth it",
	"Très bien, merci !",
	"Great product.\nBut the invoice emails are confusing",
	"Not sure yet",
	"Easy to set up, hard to cancel",
};

static int gen_responses(struct logfile *lf, struct buf *b, int64_t t0)
{
	static const unsigned nw[4] = {35, 35, 20, 10}; /* 0-3 per tick */
	static const unsigned npsw[11] = {2, 1, 2, 2, 3, 5, 10, 13, 17, 22, 23}; /* about +20 */
	static const unsigned svw[3] = {70, 15, 15};
	int64_t ts[3];
	int recent[MAXRECENT];
	int nrec = recent_email((t0 + STEP_S) / DAY, recent);
	int n = rw(nw, 4);
	gen_times(t0, ts, n);
	for (int i = 0; i < n; i++) {
		char tbuf[32], sbuf[8];
		const char *survey, *campaign = "", *segment = "", *comment = "";
		int cust = rand_cust(), score;
		struct pair p;
		switch (rw(svw, 3)) {
		case 0:
			survey = "nps";
			score = rw(npsw, 11);
			if (ring_pick(&g_invited, &p) && rp(700))
				cust = p.cust;
			if (nrec && rp(300))
				campaign = g_camp[recent[0]].id;
			break;
		case 1:
			survey = "csat";
			score = 1 + rb(5);
			break;
		default:
			survey = "ces";
			score = 1 + rb(7);
			break;
		}
		if (rp(100))
			segment = g_cust[cust].segment;
		if (rp(350)) {
			/* the comment with a newline inside quotes is the rare one */
			unsigned nc = sizeof COMMENTS / sizeof COMMENTS[0];
			do
				comment = COMMENTS[rb(nc)];
			while (strchr(comment, '\n') && rp(800));
		}
		snprintf(sbuf, sizeof sbuf, "%d", score);
		fmt_ts(tbuf, sizeof tbuf, ts[i]);
		struct field fv[] = {{"timestamp", tbuf}, {"customer_id", g_cust[cust].id},
				     {"survey", survey},  {"score", sbuf},
				     {"campaign_id", campaign}, {"segment", segment},
				     {"comment", comment}};
		put_row(b, &lf->h, fv, (int)(sizeof fv / sizeof fv[0]));
	}
	return n;
}

/* The brand row for the day after the latest one, once that day has begun
 * in data time.  Returns 1 when a row was written. */
static int gen_awareness(struct logfile *lf, struct buf *b, int64_t now)
{
	int64_t day = lf->last + 1;
	if (lf->last < 0 || day > now / DAY)
		return 0;
	char dbuf[16], ibuf[24], rbuf[24], abuf[16] = "", kbuf[16] = "";
	long imp = lf->impressions > 0 ? lf->impressions : 100000;
	long reach = lf->reach > 0 ? lf->reach : imp / 3;
	imp = imp * (970 + (long)rb(70)) / 1000; /* -3 % .. +4 % */
	reach = reach * (970 + (long)rb(70)) / 1000;
	if (reach > imp)
		reach = imp;
	lf->impressions = imp;
	lf->reach = reach;
	fmt_date(dbuf, sizeof dbuf, day);
	snprintf(ibuf, sizeof ibuf, "%ld", imp);
	snprintf(rbuf, sizeof rbuf, "%ld", reach);
	if ((day + 3) % 7 == 0) { /* a Monday (1970-01-01 was a Thursday): brand lift */
		unsigned asked = 200 + rb(200);
		snprintf(kbuf, sizeof kbuf, "%u", asked);
		snprintf(abuf, sizeof abuf, "%u", asked * (300 + rb(60)) / 1000);
	}
	struct field fv[] = {{"date", dbuf},  {"campaign_id", ""}, {"impressions", ibuf},
			     {"reach", rbuf}, {"aware", abuf},     {"asked", kbuf}};
	put_row(b, &lf->h, fv, (int)(sizeof fv / sizeof fv[0]));
	lf->last = day;
	return 1;
}

/* ---------------------------------------------------------------- main -- */

static void free_all(struct logfile *ev, struct logfile *rs, struct logfile *aw)
{
	struct logfile *lf[3] = {ev, rs, aw};
	for (int i = 0; i < 3; i++) {
		free_header(&lf[i]->h);
		if (lf[i]->fd >= 0)
			close(lf[i]->fd);
	}
	for (size_t i = 0; i < g_ncust; i++) {
		free(g_cust[i].id);
		free(g_cust[i].segment);
	}
	for (size_t i = 0; i < g_ncamp; i++)
		free(g_camp[i].id);
	free(g_cust);
	free(g_camp);
	read_record(NULL, NULL, NULL);
}

static void usage(void)
{
	fputs("usage: demo_feed [--interval-ms N] [--seed S] [--max-seconds N] DIR\n"
	      "Appends realistic rows to DIR/events.csv and DIR/responses.csv every\n"
	      "interval (and brand rows to DIR/awareness.csv), 10 minutes of data time\n"
	      "per tick, until SIGINT/SIGTERM or --max-seconds.\n",
	      stderr);
	exit(2);
}

static unsigned long long num_arg(const char *s, unsigned long long lo, unsigned long long hi)
{
	char *end;
	if (!s)
		usage();
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
		usage();
	return v;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long interval = 1000, seed = 20261121, maxsec = 0;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--interval-ms"))
			interval = num_arg(i + 1 < argc ? argv[++i] : NULL, 10, 3600000);
		else if (!strcmp(a, "--seed"))
			seed = num_arg(i + 1 < argc ? argv[++i] : NULL, 0, UINT64_MAX);
		else if (!strcmp(a, "--max-seconds"))
			maxsec = num_arg(i + 1 < argc ? argv[++i] : NULL, 1, 100000000);
		else if (!strcmp(a, "-h") || !strcmp(a, "--help") || a[0] == '-' || dir)
			usage();
		else
			dir = a;
	}
	if (!dir)
		usage();
	g_rng = seed;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: sleeps end at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	load_customers(dir);
	load_campaigns(dir);
	struct logfile ev, rs, aw;
	int have_ev = open_log(&ev, dir, "events.csv", "timestamp");
	int have_rs = open_log(&rs, dir, "responses.csv", "timestamp");
	int have_aw = open_log(&aw, dir, "awareness.csv", "date");
	if (!have_ev && !have_rs)
		die("%s: neither events.csv nor responses.csv can be fed", dir);

	/* data time continues from the latest row of either log */
	int64_t clock = ev.last > rs.last ? ev.last : rs.last;
	if (clock < 0)
		clock = (int64_t)time(NULL);
	if (have_aw && aw.last >= 0 && aw.last * DAY > clock)
		clock = aw.last * DAY;
	int64_t start_clock = clock;

	unsigned long ticks = 0, nev = 0, nrs = 0, naw = 0, splits = 0;
	double t_start = mono();
	struct buf b = {0};
	for (;;) {
		/* sleep until the next tick, or stop */
		double next = t_start + (double)(ticks + 1) * (double)interval / 1000.0;
		if (maxsec && next > t_start + (double)maxsec + 1e-3)
			break;
		double wait = next - mono();
		if (wait > 0 && !g_stop)
			sleep_ms((long)(wait * 1000.0 + 0.5), 1);
		if (g_stop)
			break;
		/* one tick: events, responses, now and then an awareness row */
		int split_ev = 0, split_rs = 0;
		if (rp(170)) {
			if (have_rs && rp(330))
				split_rs = 1;
			else
				split_ev = 1;
		}
		if (have_ev) {
			b.len = 0;
			nev += (unsigned long)gen_events(&ev, &b, clock);
			append(&ev, &b, split_ev);
		}
		if (have_rs) {
			b.len = 0;
			int n = gen_responses(&rs, &b, clock);
			nrs += (unsigned long)n;
			split_rs = split_rs && n > 0;
			append(&rs, &b, split_rs);
		}
		splits += (unsigned long)((split_ev && have_ev) + split_rs);
		clock += STEP_S;
		ticks++;
		if (have_aw && ticks % 60 == 0) {
			b.len = 0;
			if (gen_awareness(&aw, &b, clock)) {
				naw++;
				append(&aw, &b, 0);
			}
		}
	}
	char t0[32], t1[32];
	fmt_ts(t0, sizeof t0, start_clock);
	fmt_ts(t1, sizeof t1, clock);
	fprintf(stderr,
		"demo_feed: %lu ticks: %lu events, %lu responses, %lu awareness rows, "
		"%lu rows written in two parts; data time %s -> %s\n",
		ticks, nev, nrs, naw, splits, t0, t1);
	free(b.p);
	free_all(&ev, &rs, &aw);
	return 0;
}
