/* bench_child: the children bench.c spawns (bench --child-*), each in a
 * fresh process so that its figures (time, peak RSS) are its own: the
 * in-process cold ingest followed by timed appends, the chunking check,
 * the re-append of the same rows, drawing every screen into a virtual
 * terminal, and startup to the first frame. Each prints its figures on
 * stdout, one per line, for bench.c to read. */
#include "bench.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/ingest.h"
#include "cxtop/report.h"
#include "cxtop/store.h"
#include "cxtop/theme.h"
#include "cxtop/uiscr.h"
#include "cxtop/util.h"
#include "cxtop/alert.h"
#include "cxtop/view.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- in-process ingest -------------------------------------------------- */

struct cold {
	double ingest, view; /* seconds */
};

/* ingest_new + ingest_read_all + ingest_flush_partial + view_build. */
static struct ingest *cold_ingest(const struct config *cfg, const char *dir, struct view **v,
				  struct cold *t)
{
	int64_t t0 = bench_ns();
	struct ingest *in = ingest_new(cfg, dir);
	ingest_read_all(in);
	ingest_flush_partial(in);
	int64_t t1 = bench_ns();
	*v = view_build(ingest_store(in), cfg, BENCH_WINDOW, INT64_MIN);
	alert_build(*v, cfg);
	int64_t t2 = bench_ns();
	t->ingest = bench_secs(t0, t1);
	t->view = bench_secs(t1, t2);
	return in;
}

/* "the view's row count": the event rows a view counts one by one (sent
 * and conversions, summed over campaigns). */
static uint64_t view_event_rows(const struct view *v)
{
	uint64_t n = 0;
	for (size_t i = 0; i < v->ncampaigns; i++)
		n += (uint64_t)v->campaigns[i].sent + v->campaigns[i].conversions;
	return n;
}

/* ---- appending rows ----------------------------------------------------- */

struct ids {
	char **id;
	size_t n;
};

/* First column of every data row of a file (ids hold no comma or quote). */
static void ids_load(struct ids *ids, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t cap = 0;
	if (!f)
		bench_die("%s: %s", path, strerror(errno));
	memset(ids, 0, sizeof *ids);
	if (!fgets(line, sizeof line, f))
		bench_die("%s: empty", path);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, ",\r\n")] = '\0';
		if (!*line)
			continue;
		ids->id = xgrow(ids->id, &cap, ids->n + 1, sizeof *ids->id);
		ids->id[ids->n++] = xstrdup(line);
	}
	fclose(f);
	if (!ids->n)
		bench_die("%s: no ids", path);
}

static void ids_free(struct ids *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->id[i]);
	free(ids->id);
}

/* Timestamp of the last row of an events file (the generator writes them
 * in order, the latest last). */
static time_t last_timestamp(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	uint64_t size = bench_file_size(path);
	size_t want = size < sizeof buf - 1 ? (size_t)size : sizeof buf - 1;
	if (fd < 0 || pread(fd, buf, want, (off_t)(size - want)) != (ssize_t)want)
		bench_die("%s: cannot read its end", path);
	close(fd);
	buf[want] = '\0';
	while (want && buf[want - 1] == '\n')
		buf[--want] = '\0';
	char *line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (sscanf(line, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) != 6)
		bench_die("%s: last row has no timestamp: %s", path, line);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

struct appender {
	struct ids cust, camp;
	time_t next; /* timestamp of the next row */
};

/* Append n rows of existing customers and campaigns, timestamps after the
 * last, 7 in 10 "sent" and 3 in 10 "conversion" with a value: each adds
 * exactly one to view_event_rows. */
static void append_rows(const char *path, struct appender *a, int n)
{
	size_t cap = (size_t)n * 96 + 1, len = 0;
	char *buf = xmalloc(cap);
	for (int i = 0; i < n; i++) {
		struct tm tm;
		char ts[32];
		time_t t = a->next++;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		const char *cu = a->cust.id[bench_rand() % a->cust.n];
		const char *ca = a->camp.id[bench_rand() % a->camp.n];
		int r = i % 10 < 7
			    ? snprintf(buf + len, cap - len, "%s,%s,%s,sent,,\n", ts, cu, ca)
			    : snprintf(buf + len, cap - len, "%s,%s,%s,conversion,%u.%02u,\n", ts,
				       cu, ca, (unsigned)(10 + bench_rand() % 90),
				       (unsigned)(bench_rand() % 100));
		if (r < 0 || (size_t)r >= cap - len)
			bench_die("append buffer too small");
		len += (size_t)r;
	}
	int fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) != 0)
		bench_die("append to %s: %s", path, strerror(errno));
	free(buf);
}

/* ---- chunking invariance ------------------------------------------------ */

static struct store *chunk_store;
static uint64_t chunk_rejects;

static void chunk_record(void *ctx, const struct record *r, uint64_t line)
{
	store_apply(chunk_store, r);
}

static void chunk_reject(void *ctx, uint64_t line, const char *reason)
{
	chunk_rejects++;
}

static char *view_json(const struct view *v, const struct ingest *in, const struct config *cfg,
		       size_t *len)
{
	char *s = NULL;
	FILE *f = open_memstream(&s, len);
	if (!f || report_write(f, REPORT_JSON, v, in, cfg, 1) < 0 || fclose(f) != 0)
		bench_die("report_write to memory failed");
	return s;
}

/* Feed every file of dir to csvin in pseudo-random pieces (1 to 97 bytes
 * or 1 byte to 64 KiB) into a fresh store, and compare the JSON of its view
 * with the whole read's (in), for the bench window and "all". Returns 1 if
 * identical; *bytes = length of the JSON compared. */
static int chunk_check(const struct config *cfg, const char *dir, const struct ingest *in,
		       size_t *bytes)
{
	static const struct csvin_sink sink = {.record = chunk_record, .reject = chunk_reject};
	static char buf[1 << 20];
	int same = 1;

	chunk_store = store_new(cfg->engaged_events, cfg->hve_events);
	chunk_rejects = 0;
	for (size_t i = 0; i < cfg->nsources; i++) {
		char path[4096];
		bench_path(path, sizeof path, dir, cfg->sources[i].path);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		struct csvin *c = csvin_new(&cfg->sources[i]);
		for (;;) {
			ssize_t r = read(fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			for (size_t off = 0; off < (size_t)r;) {
				uint64_t x = bench_rand();
				size_t piece = (x & 1) ? 1 + (x >> 8) % 97 : 1 + (x >> 8) % 65536;
				if (piece > (size_t)r - off)
					piece = (size_t)r - off;
				csvin_feed(c, buf + off, piece, &sink, NULL);
				off += piece;
			}
		}
		close(fd);
		csvin_end(c, &sink, NULL);
		csvin_free(c);
	}
	if (chunk_rejects != ingest_rejected(in))
		same = 0;
	*bytes = 0;
	for (int w = 0; w < 2; w++) {
		int days = w ? 0 : BENCH_WINDOW;
		size_t la, lb;
		struct view *v1 = view_build(ingest_store(in), cfg, days, INT64_MIN);
		alert_build(v1, cfg);
		struct view *v2 = view_build(chunk_store, cfg, days, INT64_MIN);
		alert_build(v2, cfg);
		char *a = view_json(v1, in, cfg, &la), *b = view_json(v2, in, cfg, &lb);
		if (la != lb || memcmp(a, b, la) != 0)
			same = 0;
		*bytes += la;
		free(a);
		free(b);
		view_free(v1);
		view_free(v2);
	}
	store_free(chunk_store);
	chunk_store = NULL;
	return same;
}

/* ---- drawing -------------------------------------------------------------- */

const struct ui_screen *const bench_screens[] = {
    &ui_overview_screen, &ui_campaigns_screen, &ui_campaign_screen,
    &ui_nps_screen,	 &ui_retention_screen, &ui_sources_screen,
};
const size_t bench_nscreens = sizeof bench_screens / sizeof bench_screens[0];

struct term {
	SCREEN *scr;
	FILE *out, *in;
};

/* A virtual 256-colour terminal of rows x cols writing to /dev/null, with
 * the built-in theme applied. */
static void term_open(struct term *t, int rows, int cols)
{
	struct theme th;
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8"))
		setlocale(LC_ALL, "");
	setenv("TERM", "xterm-256color", 1);
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	if (!t->out || !t->in)
		bench_die("/dev/null: %s", strerror(errno));
	t->scr = newterm(NULL, t->out, t->in);
	if (!t->scr)
		bench_die(
		    "newterm(xterm-256color) failed: is ncurses-term/ncurses-base installed?");
	set_term(t->scr);
	resizeterm(rows, cols);
	ui_draw_setup(1);
	theme_builtin(&th);
	theme_apply(&th, 256);
}

static void term_close(struct term *t)
{
	endwin();
	delscreen(t->scr);
	fclose(t->out);
	fclose(t->in);
}

static void ctx_fill(struct ui_ctx *c, const struct config *cfg, const struct ingest *in,
		     const struct view *v)
{
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	c->in = in;
	c->store = ingest_store(in);
	c->v = v;
	c->view_serial = 1;
	c->rows = BENCH_DRAW_ROWS;
	c->cols = BENCH_DRAW_COLS;
	c->utf8 = 1;
	c->colors = 256;
	if (v->ncampaigns)
		util_strlcpy(c->campaign, v->campaigns[0].campaign_id, sizeof c->campaign);
	c->score = 6;
	c->mouse_y = c->mouse_x = -1;
}

static void frame(const struct ui_screen *s, struct ui_ctx *c)
{
	erase();
	s->draw(c, 2, BENCH_DRAW_ROWS - 3);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- children: startup, re-append, in-process runs, drawing ------------- */

/* From the start of main: ingest of dir, view_build, a virtual terminal,
 * one overview frame. Prints "T_MAIN T_FRAME" (monotonic ns) on stdout. */
int child_startup(const char *dir, int64_t t_main)
{
	struct config cfg;
	struct view *v;
	struct cold ct;
	struct term t;
	struct ui_ctx c;

	config_defaults(&cfg);
	struct ingest *in = cold_ingest(&cfg, dir, &v, &ct);
	term_open(&t, BENCH_DRAW_ROWS, BENCH_DRAW_COLS);
	ctx_fill(&c, &cfg, in, v);
	frame(&ui_overview_screen, &c);
	int64_t t_frame = bench_ns();
	term_close(&t);
	printf("%lld %lld\n", (long long)t_main, (long long)t_frame);
	view_free(v);
	ingest_free(in);
	config_free(&cfg);
	return 0;
}

long self_maxrss(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Cold ingest of work (1M events), then a second copy of the data rows of
 * pristine events appended to work/events.csv and read with ingest_step.
 * Prints "RSS_BEFORE_KB RSS_AFTER_KB ROWS_BEFORE ROWS_AFTER". */
int child_reappend(const char *work, const char *pristine_events)
{
	struct config cfg;
	struct view *v;
	struct cold ct;
	char path[4096];

	config_defaults(&cfg);
	struct ingest *in = cold_ingest(&cfg, work, &v, &ct);
	long a = self_maxrss();
	uint64_t r0 = ingest_rows(in);
	bench_path(path, sizeof path, work, "events.csv");
	bench_copy(pristine_events, path, 1, 1);
	while (ingest_step(in, BENCH_STEP_BUDGET) & INGEST_MORE)
		;
	view_free(v);
	v = view_build(ingest_store(in), &cfg, BENCH_WINDOW, INT64_MIN);
	alert_build(v, &cfg);
	long b = self_maxrss();
	printf("%ld %ld %llu %llu\n", a, b, (unsigned long long)r0,
	       (unsigned long long)ingest_rows(in));
	view_free(v);
	ingest_free(in);
	config_free(&cfg);
	return 0;
}

/* One in-process run in a fresh process: cold ingest of work (a copy of
 * dir whose events.csv is at its pristine size), the chunking check if
 * asked, then BENCH_APPENDS_PER_RUN appends of 1,000 rows, each timed until
 * the view reflects them. Prints, one per line:
 *   cold INGEST_S VIEW_S
 *   incr TOTAL_S STEP_S VIEW_S OK   (OK: +1,000 ingest rows and view rows)
 *   chunk SAME BYTES                (with check)
 *   rss KB                          (peak RSS of this process) */
int child_cold(const char *dir, const char *work, int check)
{
	struct config cfg;
	struct view *v;
	struct cold ct;
	struct appender ap;
	char path[4096], work_events[4096];

	config_defaults(&cfg);
	bench_path(path, sizeof path, dir, "customers.csv");
	ids_load(&ap.cust, path);
	bench_path(path, sizeof path, dir, "campaigns.csv");
	ids_load(&ap.camp, path);
	bench_path(path, sizeof path, dir, "events.csv");
	ap.next = last_timestamp(path) + 1;
	bench_path(work_events, sizeof work_events, work, "events.csv");

	struct ingest *in = cold_ingest(&cfg, work, &v, &ct);
	printf("cold %.9f %.9f\n", ct.ingest, ct.view);
	if (check) {
		size_t bytes;
		int same = chunk_check(&cfg, dir, in, &bytes);
		printf("chunk %d %zu\n", same, bytes);
	}
	/* the dashboard keeps a view_memo per window from its first build on:
	 * fill one here, untimed, so that the appends below rebuild the way
	 * the dashboard does after each read */
	struct view_memo *memo = view_memo_new();
	view_free(view_build_memo(ingest_store(in), &cfg, BENCH_WINDOW, INT64_MIN, memo));
	for (int j = 0; j < BENCH_APPENDS_PER_RUN; j++) {
		uint64_t rows0 = ingest_rows(in), seen0 = view_event_rows(v);
		uint64_t rej0 = ingest_rejected(in);
		append_rows(work_events, &ap, BENCH_APPEND_ROWS);
		int64_t t0 = bench_ns();
		while (ingest_step(in, BENCH_STEP_BUDGET) & INGEST_MORE)
			;
		int64_t t1 = bench_ns();
		struct view *v2 =
		    view_build_memo(ingest_store(in), &cfg, BENCH_WINDOW, INT64_MIN, memo);
		int64_t t2 = bench_ns();
		int ok = ingest_rows(in) - rows0 == BENCH_APPEND_ROWS &&
			 view_event_rows(v2) - seen0 == BENCH_APPEND_ROWS &&
			 ingest_rejected(in) == rej0;
		if (!ok)
			bench_note("append %d: ingest rows +%llu, view rows +%llu, rejected +%llu "
				   "(want +1000, +1000, +0)",
				   j + 1, (unsigned long long)(ingest_rows(in) - rows0),
				   (unsigned long long)(view_event_rows(v2) - seen0),
				   (unsigned long long)(ingest_rejected(in) - rej0));
		printf("incr %.9f %.9f %.9f %d\n", bench_secs(t0, t2), bench_secs(t0, t1),
		       bench_secs(t1, t2), ok);
		view_free(v);
		v = v2;
	}
	printf("rss %ld\n", self_maxrss());
	view_memo_free(memo);
	view_free(v);
	ingest_free(in);
	ids_free(&ap.cust);
	ids_free(&ap.camp);
	config_free(&cfg);
	return 0;
}

/* Every screen at 200x60 on dir's data. Prints "ncamp N", then per screen
 * "draw I FIRST_S FRAMES_PER_BATCH BATCH_S..." (seconds per frame). */
int child_draw(const char *dir, int frames, int batches)
{
	struct config cfg;
	struct view *v;
	struct cold ct;
	struct term t;
	struct ui_ctx c;

	config_defaults(&cfg);
	struct ingest *in = cold_ingest(&cfg, dir, &v, &ct);
	printf("ncamp %zu\n", v->ncampaigns);
	term_open(&t, BENCH_DRAW_ROWS, BENCH_DRAW_COLS);
	char out[bench_nscreens][512];
	for (size_t i = 0; i < bench_nscreens; i++) {
		const struct ui_screen *s = bench_screens[i];
		size_t len;
		ctx_fill(&c, &cfg, in, v);
		/* the first frame paints every cell; later ones repaint an
		 * unchanged screen: what a refresh with no new data costs */
		int64_t t0 = bench_ns();
		frame(s, &c);
		double first = bench_secs(t0, bench_ns());
		/* batches of about 0.25 s, at most frames frames */
		int nf = first > 0 ? (int)(0.25 / first) : frames;
		if (nf > frames)
			nf = frames;
		if (nf < 3)
			nf = 3;
		len = (size_t)snprintf(out[i], sizeof out[i], "draw %zu %.9f %d", i, first, nf);
		for (int b = 0; b < batches; b++) {
			int64_t b0 = bench_ns();
			for (int f = 0; f < nf; f++)
				frame(s, &c);
			double per = bench_secs(b0, bench_ns()) / nf;
			if (len < sizeof out[i])
				len += (size_t)snprintf(out[i] + len, sizeof out[i] - len, " %.9f",
							per);
		}
	}
	term_close(&t);
	/* stdout only now: the terminal wrote to /dev/null, not here */
	for (size_t i = 0; i < bench_nscreens; i++)
		printf("%s\n", out[i]);
	view_free(v);
	ingest_free(in);
	config_free(&cfg);
	return 0;
}

