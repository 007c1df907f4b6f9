/* bench: the figures of `make bench` (and `make bench-smoke`) in one table.
 *
 *   bench [--smoke] [--runs N] [--runs-big N] [--frames N] --work DIR
 *         --cxtop PATH SMALL_DIR BIG_DIR DRAW_DIR SAMPLE_DIR
 *   bench --floor FILE    one bare libcsv pass: "SECONDS ROWS FIELDS"
 *
 * SMALL_DIR and BIG_DIR hold gen_sample data sets (1M and 5M events for
 * `make bench`), DRAW_DIR one with many campaigns (10,000), SAMPLE_DIR the
 * sample data. tests/bench.sh generates them and runs this program. This
 * file is the driver; the in-process children it spawns are in
 * tests/bench_child.c (their shared declarations in tests/bench.h).
 *
 * How the figures are taken, so that ratios hold on a noisy shared machine:
 * - every figure is the median of several runs, with min and max beside it;
 *   the contenders on one file run round-robin (floor, cxtop --once,
 *   in-process, gawk, sqlite3, then again), so a slow minute of the machine
 *   hits them all alike; every ratio is of medians of the same bench run;
 * - every timed region is bracketed by clock_gettime(CLOCK_MONOTONIC) and
 *   holds no sleep and no printing; setup (copies, truncation, appending the
 *   rows) is outside it;
 * - "cold" means a fresh process state, not a cold page cache: the files
 *   were just written or read, so every contender reads them from memory;
 * - every in-process figure comes from a fresh child process (this same
 *   program, --child-*), so this process stays a few MB: a child's
 *   ru_maxrss (wait4) is at least its parent's peak RSS (posix_spawn shares
 *   the parent's memory until exec), so the parent must stay smaller than
 *   anything measured.
 * Only figures are printed; a missed target is a verdict in the table, not
 * a failure. A correctness check that fails (chunked view differs from the
 * whole read, or an append not reflected exactly) exits 1. */
#include "bench.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/datefmt.h"
#include "cxtop/ingest.h"
#include "cxtop/parse.h"
#include "cxtop/report.h"
#include "cxtop/store.h"
#include "cxtop/theme.h"
#include "cxtop/uiscr.h"
#include "cxtop/util.h"
#include "cxtop/view.h"

#include <csv.h>
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- small helpers ------------------------------------------------------ */

static int bench_failed; /* a correctness check failed */

static void bench_vnote(const char *fmt, va_list ap)
{
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void bench_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bench_vnote(fmt, ap);
	va_end(ap);
	exit(2);
}

void bench_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bench_vnote(fmt, ap);
	va_end(ap);
}

int64_t bench_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double bench_secs(int64_t a, int64_t b)
{
	return (double)(b - a) / 1e9;
}

static uint64_t bench_rng = 0x9e3779b97f4a7c15ULL;

uint64_t bench_rand(void)
{
	bench_rng ^= bench_rng << 13;
	bench_rng ^= bench_rng >> 7;
	bench_rng ^= bench_rng << 17;
	return bench_rng;
}

uint64_t bench_file_size(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		bench_die("%s: %s", path, strerror(errno));
	return (uint64_t)st.st_size;
}

void bench_path(char *buf, size_t n, const char *dir, const char *file)
{
	if ((size_t)snprintf(buf, n, "%s/%s", dir, file) >= n)
		bench_die("path too long: %s/%s", dir, file);
}

/* ---- samples ------------------------------------------------------------ */

struct samples {
	double v[BENCH_MAX_RUNS * BENCH_APPENDS_PER_RUN];
	int n;
};

static void sm_add(struct samples *s, double x)
{
	if (s->n < (int)(sizeof s->v / sizeof s->v[0]))
		s->v[s->n++] = x;
}

static int sm_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double sm_med(const struct samples *s)
{
	double t[sizeof s->v / sizeof s->v[0]];
	if (!s->n)
		return NAN;
	memcpy(t, s->v, (size_t)s->n * sizeof *t);
	qsort(t, (size_t)s->n, sizeof *t, sm_cmp);
	return s->n % 2 ? t[s->n / 2] : (t[s->n / 2 - 1] + t[s->n / 2]) / 2;
}

static double sm_min(const struct samples *s)
{
	double m = s->n ? s->v[0] : NAN;
	for (int i = 1; i < s->n; i++)
		if (s->v[i] < m)
			m = s->v[i];
	return m;
}

static double sm_max(const struct samples *s)
{
	double m = s->n ? s->v[0] : NAN;
	for (int i = 1; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}

/* ---- child processes ---------------------------------------------------- */

static int bench_have(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[4096];
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n &&
		    (size_t)snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, cmd) < sizeof buf &&
		    access(buf, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* Run argv with stdout to /dev/null (or captured into out, up to n - 1
 * bytes, NUL-terminated); returns the exit status. secs: wall time from just
 * before the spawn to the reaping; rss_kb: the child's ru_maxrss; t0_ns:
 * the monotonic time just before the spawn. */
static int bench_run(const char *const argv[], char *out, size_t n, double *secs, long *rss_kb,
		     int64_t *t0_ns)
{
	posix_spawn_file_actions_t fa;
	int pfd[2] = {-1, -1};
	pid_t pid;
	int status = 0;
	struct rusage ru;

	posix_spawn_file_actions_init(&fa);
	if (out) {
		if (pipe(pfd) != 0)
			bench_die("pipe: %s", strerror(errno));
		posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, pfd[0]);
		posix_spawn_file_actions_addclose(&fa, pfd[1]);
	} else {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	}
	int64_t t0 = bench_ns();
	/* posix_spawn does not modify argv; its prototype predates const */
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)(uintptr_t)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		bench_die("cannot run %s: %s", argv[0], strerror(rc));
	if (out) {
		size_t got = 0;
		close(pfd[1]);
		for (;;) {
			char sink[4096];
			char *dst = got + 1 < n ? out + got : sink;
			size_t room = got + 1 < n ? n - 1 - got : sizeof sink;
			ssize_t r = read(pfd[0], dst, room);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (dst == out + got)
				got += (size_t)r;
		}
		out[got] = '\0';
		close(pfd[0]);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			bench_die("wait4: %s", strerror(errno));
	int64_t t1 = bench_ns();
	if (secs)
		*secs = bench_secs(t0, t1);
	if (rss_kb)
		*rss_kb = ru.ru_maxrss;
	if (t0_ns)
		*t0_ns = t0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- files -------------------------------------------------------------- */

void bench_copy(const char *from, const char *to, int skip_first_line, int append)
{
	int in = open(from, O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
	static char buf[1 << 16];
	int skipping = skip_first_line;
	if (in < 0 || out < 0)
		bench_die("copy %s -> %s: %s", from, to, strerror(errno));
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			bench_die("%s: %s", from, strerror(errno));
		if (r == 0)
			break;
		char *p = buf;
		size_t len = (size_t)r;
		if (skipping) {
			char *nl = memchr(buf, '\n', len);
			if (!nl)
				continue;
			skipping = 0;
			len -= (size_t)(nl + 1 - buf);
			p = nl + 1;
		}
		while (len) {
			ssize_t w = write(out, p, len);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				bench_die("%s: %s", to, strerror(errno));
			p += w;
			len -= (size_t)w;
		}
	}
	close(in);
	/* a fresh copy is flushed now, so that its write-back does not run
	 * during a timed region */
	if (!append && fsync(out) != 0)
		bench_die("fsync %s: %s", to, strerror(errno));
	if (close(out) != 0)
		bench_die("%s: %s", to, strerror(errno));
}

static const char *const bench_files[] = {"events.csv", "responses.csv", "customers.csv",
					  "campaigns.csv", "awareness.csv"};

/* work = a copy of dir whose events.csv can grow: events.csv is copied, the
 * other files hard-linked (copied where links fail). */
static void bench_work_setup(const char *dir, const char *work)
{
	char a[4096], b[4096];
	mkdir(work, 0777);
	for (size_t i = 0; i < sizeof bench_files / sizeof bench_files[0]; i++) {
		bench_path(a, sizeof a, dir, bench_files[i]);
		bench_path(b, sizeof b, work, bench_files[i]);
		unlink(b);
		if (access(a, F_OK) != 0)
			continue;
		if (i == 0 || link(a, b) != 0)
			bench_copy(a, b, 0, 0);
	}
}

static void bench_truncate(const char *path, uint64_t size)
{
	if (truncate(path, (off_t)size) != 0)
		bench_die("truncate %s: %s", path, strerror(errno));
}

/* ---- floor: a bare libcsv pass ------------------------------------------ */

struct floor_count {
	uint64_t fields, rows;
};

static void floor_field(void *s, size_t len, void *data)
{
	((struct floor_count *)data)->fields++;
}

static void floor_row(int c, void *data)
{
	((struct floor_count *)data)->rows++;
}

/* csv_parse over the file in 64 KiB reads, counting fields and rows; the
 * parser options are csvin's. Returns seconds. */
static double floor_pass(const char *path, struct floor_count *cnt)
{
	static char buf[1 << 16];
	struct csv_parser p;
	int64_t t0 = bench_ns();
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		bench_die("%s: %s", path, strerror(errno));
	if (csv_init(&p, CSV_REPALL_NL) != 0)
		bench_die("csv_init failed");
	memset(cnt, 0, sizeof *cnt);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (csv_parse(&p, buf, (size_t)r, floor_field, floor_row, cnt) != (size_t)r)
			bench_die("%s: %s", path, csv_strerror(csv_error(&p)));
	}
	csv_fini(&p, floor_field, floor_row, cnt);
	csv_free(&p);
	close(fd);
	return bench_secs(t0, bench_ns());
}

/* ---- the table ------------------------------------------------------------ */

enum unit { U_TIME, U_MB, U_BYTES, U_COUNT };

struct target {
	char label[96];
	double value;	/* NAN = not measured */
	char shown[48]; /* value as shown ("2.31x", "0.42%") */
	char want[32];	/* "<= 2.5x" */
	int pass;
};

static struct target bench_targets[48];
static size_t bench_ntargets;

static void target_add(const char *label, double value, const char *shown, const char *want,
		       int pass)
{
	if (bench_ntargets == sizeof bench_targets / sizeof bench_targets[0])
		bench_die("too many targets");
	struct target *t = &bench_targets[bench_ntargets++];
	util_strlcpy(t->label, label, sizeof t->label);
	t->value = value;
	util_strlcpy(t->shown, shown, sizeof t->shown);
	util_strlcpy(t->want, want, sizeof t->want);
	t->pass = pass;
}

static void fmt_value(char *buf, size_t n, enum unit u, double x)
{
	if (isnan(x)) {
		snprintf(buf, n, "-");
		return;
	}
	switch (u) {
	case U_TIME:
		if (x >= 10)
			snprintf(buf, n, "%.1f s", x);
		else if (x >= 1)
			snprintf(buf, n, "%.2f s", x);
		else if (x >= 0.1)
			snprintf(buf, n, "%.0f ms", x * 1e3);
		else if (x >= 0.01)
			snprintf(buf, n, "%.1f ms", x * 1e3);
		else
			snprintf(buf, n, "%.2f ms", x * 1e3);
		break;
	case U_MB:
		snprintf(buf, n, "%.1f MB", x / 1e6);
		break;
	case U_BYTES:
		snprintf(buf, n, "%.1f B", x);
		break;
	case U_COUNT:
		snprintf(buf, n, "%.0f", x);
		break;
	}
}

static void fmt_count(char *buf, size_t n, uint64_t x)
{
	char t[32];
	int len = snprintf(t, sizeof t, "%llu", (unsigned long long)x), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
}

/* A config of n event sources whose files are absent (what a team that
 * generates one section per campaign ends up with): it measures reading the
 * config and setting up the sources, nothing else. */
static void bench_write_config(const char *path, const char *data_dir, int n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		bench_die("%s: %s", path, strerror(errno));
	fprintf(f, "[general]\ndata_dir = %s\n", data_dir);
	for (int i = 0; i < n; i++)
		fprintf(f, "[events:s%d]\npath = ev%d.csv\n", i, i);
	if (fclose(f) != 0)
		bench_die("%s: %s", path, strerror(errno));
}

/* ---- date parsing: the ISO parser against date_format, per field ---- */

#define BENCH_DATES 1000000
enum { DP_ISO, DP_FMT, DP_FMT_TZ, DP_COUNT };

/* n timestamps 7 s apart from 2026-01-01, written as an export would (time
 * order, so most rows share the date of the row before: both parsers
 * remember it), parsed by each parser. Returns the seconds of each pass in
 * secs[] and 0 if every parser gave the same instants (for UTC). */
static int bench_dates(int n, double secs[DP_COUNT])
{
	const size_t w = 24;
	char *iso = xmalloc((size_t)n * w), *us = xmalloc((size_t)n * w);
	size_t *iso_n = xmalloc((size_t)n * sizeof *iso_n), *us_n = xmalloc((size_t)n * sizeof *us_n);
	int64_t *a = xmalloc((size_t)n * sizeof *a), *b = xmalloc((size_t)n * sizeof *b);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		time_t t = (time_t)(1767225600 + (int64_t)i * 7);
		struct tm tm;
		gmtime_r(&t, &tm);
		iso_n[i] = strftime(iso + (size_t)i * w, w, "%Y-%m-%d %H:%M:%S", &tm);
		us_n[i] = (size_t)snprintf(us + (size_t)i * w, w, "%d/%d/%d %d:%02d:%02d",
					   tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, tm.tm_hour,
					   tm.tm_min, tm.tm_sec);
	}
	struct datefmt f;
	struct datefmt_memo memo;
	char err[128];
	if (datefmt_compile(&f, "%m/%d/%Y %H:%M:%S", err, sizeof err) != 0)
		bench_die("date_format: %s", err);
	char zerr[512];
	struct tz *berlin = tz_load("Europe/Berlin", zerr, sizeof zerr);
	for (int p = 0; p < DP_COUNT; p++) {
		const char *why;
		int64_t t0 = bench_ns();
		memset(&memo, 0, sizeof memo);
		for (int i = 0; i < n; i++) {
			if (p == DP_ISO) {
				unsigned fl;
				if (parse_timestamp_ex(iso + (size_t)i * w, iso_n[i], &a[i], &fl, &why))
					bad = 1;
				continue;
			}
			struct datefmt_value v;
			if (datefmt_parse(&f, NULL, 0, &memo, us + (size_t)i * w, us_n[i], &v, &why))
				bad = 1;
			b[i] = p == DP_FMT_TZ && berlin ? tz_local_to_utc(berlin, v.local) : v.local;
		}
		secs[p] = bench_secs(t0, bench_ns());
		if (p == DP_FMT)
			bad |= memcmp(a, b, (size_t)n * sizeof *a) != 0;
	}
	if (!berlin)
		secs[DP_FMT_TZ] = NAN;
	tz_free(berlin);
	free(iso);
	free(us);
	free(iso_n);
	free(us_n);
	free(a);
	free(b);
	return bad;
}

/* ---- main ------------------------------------------------------------------ */

struct dataset {
	const char *dir;
	char label[16];	 /* "1M", "5M" */
	uint64_t events; /* data rows of events.csv */
	uint64_t events_bytes, all_bytes;
	char events_path[4096];
	char work[4096];
	char work_events[4096];
	char evonly[4096]; /* a directory with events.csv alone (a hard link) */
	int runs;
};

/* One figure row per measured thing, samples of both sizes. */
enum fig {
	F_FLOOR,
	F_FLOOR_ALL,
	F_ONCE,
	F_ONCE_EV,
	F_COLD,
	F_COLD_INGEST,
	F_COLD_VIEW,
	F_GAWK,
	F_SQLITE,
	F_INCR,
	F_INCR_STEP,
	F_INCR_VIEW,
	F_RSS,
	F_RSS_EV,
	F_COUNT
};

static const char *const fig_labels[F_COUNT] = {
    [F_FLOOR] = "floor: libcsv pass over events.csv (64 KiB reads)",
    [F_FLOOR_ALL] = "  libcsv pass over all five files (for a, b)",
    [F_ONCE] = "cold (a): cxtop --once --format json, wall",
    [F_ONCE_EV] = "cold (c): cxtop --once, events.csv alone, wall",
    [F_COLD] = "cold (b): in-process ingest + view_build 30d",
    [F_COLD_INGEST] = "  of which ingest (new+read_all+flush)",
    [F_COLD_VIEW] = "  of which view_build",
    [F_GAWK] = "peer: gawk count by campaign,event",
    [F_SQLITE] = "peer: sqlite3 :memory: .import + GROUP BY",
    [F_INCR] = "incremental: +1,000 rows until the view shows",
    [F_INCR_STEP] = "  of which ingest_step until no INGEST_MORE",
    [F_INCR_VIEW] = "  of which view_build",
    [F_RSS] = "peak RSS, cxtop --once (wait4 ru_maxrss)",
    [F_RSS_EV] = "  bytes of peak RSS per event row",
};

static enum unit fig_unit(int f)
{
	return f == F_RSS ? U_MB : f == F_RSS_EV ? U_BYTES : U_TIME;
}

static void dataset_init(struct dataset *d, const char *dir, const char *work_root,
			 const char *name)
{
	char path[4096];
	memset(d, 0, sizeof *d);
	d->dir = dir;
	bench_path(d->events_path, sizeof d->events_path, dir, "events.csv");
	d->events_bytes = bench_file_size(d->events_path);
	for (size_t i = 0; i < sizeof bench_files / sizeof bench_files[0]; i++) {
		bench_path(path, sizeof path, dir, bench_files[i]);
		if (access(path, F_OK) == 0)
			d->all_bytes += bench_file_size(path);
	}
	bench_path(d->work, sizeof d->work, work_root, name);
	bench_path(d->work_events, sizeof d->work_events, d->work, "events.csv");
	snprintf(path, sizeof path, "%s-events", name);
	bench_path(d->evonly, sizeof d->evonly, work_root, path);
}

static void size_label(char *buf, size_t n, uint64_t events)
{
	if (events >= 1000000)
		snprintf(buf, n, "%.0fM", (double)events / 1e6);
	else
		snprintf(buf, n, "%.0fk", (double)events / 1e3);
}

int main(int argc, char **argv)
{
	int64_t t_main = bench_ns();
	int smoke = 0, runs = 5, runs_big = 5, frames = 200;
	const char *work_root = NULL, *cxtop = "./cxtop";
	const char *pos[4];
	int npos = 0;

	if (argc == 3 && !strcmp(argv[1], "--floor")) {
		/* one libcsv pass over a file, for tests/bench_cold.py */
		struct floor_count fc;
		double secs = floor_pass(argv[2], &fc);
		printf("%.6f %llu %llu\n", secs, (unsigned long long)fc.rows,
		       (unsigned long long)fc.fields);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--child-startup"))
		return child_startup(argv[2], t_main);
	if (argc == 4 && !strcmp(argv[1], "--child-reappend"))
		return child_reappend(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "--child-cold"))
		return child_cold(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "--child-draw"))
		return child_draw(argv[2], atoi(argv[3]), atoi(argv[4]));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--smoke"))
			smoke = 1;
		else if (!strcmp(a, "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(a, "--runs-big") && i + 1 < argc)
			runs_big = atoi(argv[++i]);
		else if (!strcmp(a, "--frames") && i + 1 < argc)
			frames = atoi(argv[++i]);
		else if (!strcmp(a, "--work") && i + 1 < argc)
			work_root = argv[++i];
		else if (!strcmp(a, "--cxtop") && i + 1 < argc)
			cxtop = argv[++i];
		else if (a[0] != '-' && npos < 4)
			pos[npos++] = a;
		else
			bench_die("usage: bench [--smoke] [--runs N] [--runs-big N] [--frames N] "
				  "--work DIR [--cxtop PATH] SMALL BIG DRAW SAMPLE");
	}
	if (npos != 4 || !work_root)
		bench_die("usage: bench [--smoke] [--runs N] [--runs-big N] [--frames N] "
			  "--work DIR [--cxtop PATH] SMALL BIG DRAW SAMPLE");
	if (runs < 1 || runs > BENCH_MAX_RUNS || runs_big < 1 || runs_big > BENCH_MAX_RUNS ||
	    frames < 1)
		bench_die("runs must be 1..%d, frames >= 1", BENCH_MAX_RUNS);

	/* children see no user config or rc file, and the C locale (the
	 * fastest setting for gawk) */
	char home[4096], self[4096];
	mkdir(work_root, 0777);
	bench_path(home, sizeof home, work_root, "home");
	mkdir(home, 0777);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("LC_ALL", "C", 1);
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		bench_die("/proc/self/exe: %s", strerror(errno));
	self[sl] = '\0';

	int have_gawk = bench_have("gawk"), have_sqlite = bench_have("sqlite3");
	struct dataset ds[2];
	dataset_init(&ds[0], pos[0], work_root, "small");
	dataset_init(&ds[1], pos[1], work_root, "big");
	ds[0].runs = runs;
	ds[1].runs = runs_big;

	struct samples fig[F_COUNT][2];
	memset(fig, 0, sizeof fig);
	int incr_ok[2] = {1, 1};
	int chunk_same = -1;
	size_t chunk_bytes = 0;

	/* ---- per size: round-robin runs ---- */
	for (int k = 0; k < 2; k++) {
		struct dataset *d = &ds[k];
		struct floor_count fc;
		char path[4096];

		floor_pass(d->events_path, &fc); /* warms the page cache, counts rows */
		d->events = fc.rows ? fc.rows - 1 : 0;
		size_label(d->label, sizeof d->label, d->events);
		bench_note("%s: %s (%llu event rows), %d run%s", d->label, d->dir,
			   (unsigned long long)d->events, d->runs, d->runs == 1 ? "" : "s");
		bench_work_setup(d->dir, d->work);
		{
			char to[4096];
			mkdir(d->evonly, 0777);
			bench_path(to, sizeof to, d->evonly, "events.csv");
			unlink(to);
			if (link(d->events_path, to) != 0)
				bench_copy(d->events_path, to, 0, 0);
		}

		for (int r = 0; r < d->runs; r++) {
			bench_note("%s run %d/%d", d->label, r + 1, d->runs);
			/* floor */
			sm_add(&fig[F_FLOOR][k], floor_pass(d->events_path, &fc));
			double all = 0;
			for (size_t i = 0; i < sizeof bench_files / sizeof bench_files[0]; i++) {
				struct floor_count fc2;
				bench_path(path, sizeof path, d->dir, bench_files[i]);
				if (access(path, F_OK) == 0)
					all += floor_pass(path, &fc2);
			}
			sm_add(&fig[F_FLOOR_ALL][k], all);

			/* cold (a): the real program */
			{
				const char *av[] = {cxtop,  "--no-state", "--once", "--format",
						    "json", d->dir,   NULL};
				double sec;
				long rss;
				int st = bench_run(av, NULL, 0, &sec, &rss, NULL);
				if (st != 0)
					bench_die("%s --once %s exited %d", cxtop, d->dir, st);
				sm_add(&fig[F_ONCE][k], sec);
				sm_add(&fig[F_RSS][k], (double)rss * 1024);
				sm_add(&fig[F_RSS_EV][k], (double)rss * 1024 / (double)d->events);
			}
			/* the same program on the floor's and the peers' file alone */
			{
				const char *av[] = {cxtop,  "--no-state", "--once", "--format",
						    "json", d->evonly, NULL};
				double sec;
				int st = bench_run(av, NULL, 0, &sec, NULL, NULL);
				if (st != 0)
					bench_die("%s --once %s exited %d", cxtop, d->evonly, st);
				sm_add(&fig[F_ONCE_EV][k], sec);
			}

			/* cold (b) in-process in a fresh child, on the work copy (the
			 * same bytes), then the appends; the big size's last run also
			 * checks the chunked feed */
			{
				static char out[8192];
				int check = k == 1 && r == d->runs - 1;
				const char *av[] = {self,    "--child-cold",	d->dir,
						    d->work, check ? "1" : "0", NULL};
				bench_truncate(d->work_events, d->events_bytes);
				if (bench_run(av, out, sizeof out, NULL, NULL, NULL) != 0)
					bench_die("in-process child failed on %s", d->dir);
				bench_truncate(d->work_events, d->events_bytes);
				int got_cold = 0;
				for (char *line = strtok(out, "\n"); line;
				     line = strtok(NULL, "\n")) {
					double x, y, z;
					int ok;
					size_t bytes;
					if (sscanf(line, "cold %lf %lf", &x, &y) == 2) {
						sm_add(&fig[F_COLD][k], x + y);
						sm_add(&fig[F_COLD_INGEST][k], x);
						sm_add(&fig[F_COLD_VIEW][k], y);
						got_cold = 1;
					} else if (sscanf(line, "incr %lf %lf %lf %d", &x, &y, &z,
							  &ok) == 4) {
						sm_add(&fig[F_INCR][k], x);
						sm_add(&fig[F_INCR_STEP][k], y);
						sm_add(&fig[F_INCR_VIEW][k], z);
						if (!ok)
							incr_ok[k] = 0;
					} else if (sscanf(line, "chunk %d %zu", &ok, &bytes) == 2) {
						chunk_same = ok;
						chunk_bytes = bytes;
					}
				}
				if (!got_cold)
					bench_die("in-process child printed no figures");
			}

			/* peers */
			if (have_gawk) {
				const char *av[] = {
				    "gawk", "-F,",
				    "NR>1{n[$3\",\"$4]++} END{for (k in n) print k\",\"n[k]}",
				    d->events_path, NULL};
				double sec;
				if (bench_run(av, NULL, 0, &sec, NULL, NULL) != 0)
					bench_die("gawk failed on %s", d->events_path);
				sm_add(&fig[F_GAWK][k], sec);
			}
			if (have_sqlite) {
				char imp[4200];
				snprintf(imp, sizeof imp, ".import %s events", d->events_path);
				const char *av[] = {
				    "sqlite3",
				    "-batch",
				    "-cmd",
				    ".mode csv",
				    "-cmd",
				    imp,
				    ":memory:",
				    "SELECT campaign_id, event, count(*) FROM events "
				    "GROUP BY 1,2;",
				    NULL};
				double sec;
				if (bench_run(av, NULL, 0, &sec, NULL, NULL) != 0)
					bench_die("sqlite3 failed on %s", d->events_path);
				sm_add(&fig[F_SQLITE][k], sec);
			}
		}
	}
	if (chunk_same == 0 || !incr_ok[0] || !incr_ok[1])
		bench_failed = 1;

	/* ---- memory: re-append of the same rows to the small file ---- */
	long re_a = 0, re_b = 0;
	unsigned long long re_r0 = 0, re_r1 = 0;
	{
		char out[256];
		bench_note("%s: re-append memory (child)", ds[0].label);
		bench_truncate(ds[0].work_events, ds[0].events_bytes);
		const char *av[] = {self, "--child-reappend", ds[0].work, ds[0].events_path, NULL};
		if (bench_run(av, out, sizeof out, NULL, NULL, NULL) != 0 ||
		    sscanf(out, "%ld %ld %llu %llu", &re_a, &re_b, &re_r0, &re_r1) != 4)
			bench_die("re-append child failed: %s", out);
		bench_truncate(ds[0].work_events, ds[0].events_bytes);
		if (re_r1 - re_r0 != ds[0].events)
			bench_failed = 1;
	}

	/* ---- drawing: every screen at 200x60 with many campaigns ---- */
	struct samples draw_ms[bench_nscreens], draw_first[bench_nscreens];
	int draw_nf[bench_nscreens];
	size_t draw_ncamp = 0;
	memset(draw_ms, 0, sizeof draw_ms);
	memset(draw_first, 0, sizeof draw_first);
	memset(draw_nf, 0, sizeof draw_nf);
	{
		static char out[8192];
		char fr[16], nb[16];
		snprintf(fr, sizeof fr, "%d", frames);
		snprintf(nb, sizeof nb, "%d", smoke ? 1 : BENCH_DRAW_BATCHES);
		const char *av[] = {self, "--child-draw", pos[2], fr, nb, NULL};
		bench_note("drawing: every screen on %s (child)", pos[2]);
		if (bench_run(av, out, sizeof out, NULL, NULL, NULL) != 0)
			bench_die("drawing child failed");
		for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
			size_t i;
			int nf, used;
			double first;
			if (sscanf(line, "ncamp %zu", &draw_ncamp) == 1)
				continue;
			if (sscanf(line, "draw %zu %lf %d%n", &i, &first, &nf, &used) != 3 ||
			    i >= bench_nscreens)
				continue;
			sm_add(&draw_first[i], first);
			draw_nf[i] = nf;
			for (char *p = line + used;;) {
				char *end;
				double x = strtod(p, &end);
				if (end == p)
					break;
				sm_add(&draw_ms[i], x);
				p = end;
			}
		}
	}

	/* ---- startup to first frame on the sample data ---- */
	struct samples st_spawn, st_main;
	memset(&st_spawn, 0, sizeof st_spawn);
	memset(&st_main, 0, sizeof st_main);
	{
		int n = smoke ? 1 : 2 * runs;
		bench_note("startup: %d runs on %s", n, pos[3]);
		for (int r = 0; r < n; r++) {
			char out[256];
			long long tm, tf;
			int64_t t0;
			const char *av[] = {self, "--child-startup", pos[3], NULL};
			if (bench_run(av, out, sizeof out, NULL, NULL, &t0) != 0 ||
			    sscanf(out, "%lld %lld", &tm, &tf) != 2)
				bench_die("startup child failed: %s", out);
			sm_add(&st_spawn, bench_secs(t0, tf));
			sm_add(&st_main, bench_secs(tm, tf));
		}
	}

	/* ---- large configs: --once with many sections, two sizes ---- */
	int cfg_n[2] = {smoke ? 1000 : 10000, smoke ? 10000 : 100000};
	struct samples cfg_sec[2], cfg_rss[2];
	memset(cfg_sec, 0, sizeof cfg_sec);
	memset(cfg_rss, 0, sizeof cfg_rss);
	{
		char empty[4096], cfg[2][4096], name[64];
		bench_path(empty, sizeof empty, work_root, "config-data");
		mkdir(empty, 0777);
		for (int k = 0; k < 2; k++) {
			snprintf(name, sizeof name, "config-%d.ini", cfg_n[k]);
			bench_path(cfg[k], sizeof cfg[k], work_root, name);
			bench_write_config(cfg[k], empty, cfg_n[k]);
		}
		bench_note("large configs: %d and %d sections, %d runs", cfg_n[0], cfg_n[1], runs);
		for (int r = 0; r < runs; r++)
			for (int k = 0; k < 2; k++) {
				const char *av[] = {cxtop,  "--no-state", "--once", "-c", cfg[k], "--format",
						    "json", NULL};
				double sec;
				long rss;
				if (bench_run(av, NULL, 0, &sec, &rss, NULL) != 0)
					bench_die("%s --once -c %s failed", cxtop, cfg[k]);
				sm_add(&cfg_sec[k], sec);
				sm_add(&cfg_rss[k], (double)rss * 1024);
			}
	}

	/* ---- date parsing ---- */
	struct samples dp[DP_COUNT];
	int dates_same = 1;
	memset(dp, 0, sizeof dp);
	{
		int n = smoke ? BENCH_DATES / 10 : BENCH_DATES;
		bench_note("date parsing: %d fields per parser, %d runs", n, runs);
		for (int r = 0; r < runs; r++) {
			double secs[DP_COUNT];
			if (bench_dates(n, secs))
				dates_same = 0;
			for (int p = 0; p < DP_COUNT; p++)
				sm_add(&dp[p], secs[p] / n);
		}
		if (!dates_same)
			bench_failed = 1;
	}

	/* ---- --detect on the big events file: reads a fixed 1 MiB ---- */
	struct samples det;
	memset(&det, 0, sizeof det);
	{
		bench_note("--detect on %s, %d runs", ds[1].events_path, runs);
		for (int r = 0; r < runs; r++) {
			const char *av[] = {cxtop, "--detect", ds[1].events_path, NULL};
			double sec;
			if (bench_run(av, NULL, 0, &sec, NULL, NULL) != 0)
				bench_die("%s --detect %s failed", cxtop, ds[1].events_path);
			sm_add(&det, sec);
		}
	}

	/* ---- the table ---- */
	time_t wall = time(NULL);
	struct tm tmw;
	char date[64], c0[32], c1[32], b0[32], b1[32];
	double load[3] = {NAN, NAN, NAN};
	gmtime_r(&wall, &tmw);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tmw);
	getloadavg(load, 3);
	fmt_count(c0, sizeof c0, ds[0].events);
	fmt_count(c1, sizeof c1, ds[1].events);
	printf("\ncxtop bench%s  %s  %ld CPUs  load %.2f  (%.1f s)\n", smoke ? " (smoke)" : "",
	       date, sysconf(_SC_NPROCESSORS_ONLN), load[0], bench_secs(t_main, bench_ns()));
	printf("data: %s = %s event rows (events.csv %.1f MB, all five files %.1f MB)\n",
	       ds[0].label, c0, (double)ds[0].events_bytes / 1e6, (double)ds[0].all_bytes / 1e6);
	printf("      %s = %s event rows (events.csv %.1f MB, all five files %.1f MB)\n",
	       ds[1].label, c1, (double)ds[1].events_bytes / 1e6, (double)ds[1].all_bytes / 1e6);
	printf("runs: %d at %s, %d at %s (incremental: %d appends per run); every figure is "
	       "median [min max]\n",
	       ds[0].runs, ds[0].label, ds[1].runs, ds[1].label, BENCH_APPENDS_PER_RUN);
	printf("cold (a) and (b) read all five files; the floor, the peers and cold (c) read "
	       "events.csv alone.\n\n");

	snprintf(b0, sizeof b0, "%s events", ds[0].label);
	snprintf(b1, sizeof b1, "%s events", ds[1].label);
	printf("%-50s %29s   %29s\n", "", b0, b1);
	printf("%-50s %9s %9s %9s   %9s %9s %9s\n", "figure", "median", "min", "max", "median",
	       "min", "max");
	for (int f = 0; f < F_COUNT; f++) {
		char m[2][3][24];
		int skipped = (f == F_GAWK && !have_gawk) || (f == F_SQLITE && !have_sqlite);
		for (int k = 0; k < 2; k++) {
			fmt_value(m[k][0], 24, fig_unit(f), sm_med(&fig[f][k]));
			fmt_value(m[k][1], 24, fig_unit(f), sm_min(&fig[f][k]));
			fmt_value(m[k][2], 24, fig_unit(f), sm_max(&fig[f][k]));
		}
		if (skipped) {
			printf("%-50s %29s   %29s\n", fig_labels[f], "skipped (not installed)", "");
			continue;
		}
		printf("%-50s %9s %9s %9s   %9s %9s %9s\n", fig_labels[f], m[0][0], m[0][1],
		       m[0][2], m[1][0], m[1][1], m[1][2]);
	}
	printf("%-50s %29s   %29s\n", "  check: each append +1,000 ingest rows and view rows",
	       incr_ok[0] ? "ok" : "FAIL", incr_ok[1] ? "ok" : "FAIL");
	{
		char a[24], b[24], g[24];
		fmt_value(a, sizeof a, U_MB, (double)re_a * 1024);
		fmt_value(b, sizeof b, U_MB, (double)re_b * 1024);
		snprintf(g, sizeof g, "%+.1f%%", 100.0 * (double)(re_b - re_a) / (double)re_a);
		printf("%-50s %9s  %.1f B/event row\n",
		       "peak RSS in-process (1 child), after cold + view", a,
		       (double)re_a * 1024 / (double)ds[0].events);
		printf("%-50s %9s  %s, %.1f B/event row (2 x %s rows)\n",
		       "  after appending the same rows a second time", b, g,
		       (double)re_b * 1024 / (2.0 * (double)ds[0].events), ds[0].label);
		printf("%-50s %9s\n", "  check: ingest rows doubled",
		       re_r1 - re_r0 == ds[0].events ? "ok" : "FAIL");
	}
	if (chunk_same >= 0)
		printf("%-50s %9s  %s rows fed in pieces of 1 B-64 KiB; %zu bytes of JSON (30d, "
		       "all)\n",
		       "check: chunked csvin+store view = whole read",
		       chunk_same ? "identical" : "DIFFERENT", ds[1].label, chunk_bytes);
	{
		char a[24];
		fmt_value(a, sizeof a, U_MB, (double)self_maxrss() * 1024);
		printf("%-50s %9s  (below every child's figure: wait4 ru_maxrss is clean)\n",
		       "peak RSS of this bench process", a);
	}

	printf("\n%-50s %9s %9s %9s   %s\n",
	       smoke ? "drawing at 200x60, smoke data" : "drawing at 200x60, 10,000-campaign data",
	       "median", "min", "max", "first frame, frames per batch");
	printf(
	    "  (%zu campaigns in the view; erase + draw + wnoutrefresh + doupdate to /dev/null;\n"
	    "   %d batches, each figure = batch time / frames)\n",
	    draw_ncamp, smoke ? 1 : BENCH_DRAW_BATCHES);
	for (size_t i = 0; i < bench_nscreens; i++) {
		char a[24], b[24], c[24], d[24], label[64];
		fmt_value(a, sizeof a, U_TIME, sm_med(&draw_ms[i]));
		fmt_value(b, sizeof b, U_TIME, sm_min(&draw_ms[i]));
		fmt_value(c, sizeof c, U_TIME, sm_max(&draw_ms[i]));
		fmt_value(d, sizeof d, U_TIME, sm_med(&draw_first[i]));
		snprintf(label, sizeof label, "  %s, per frame", bench_screens[i]->name);
		printf("%-50s %9s %9s %9s   %s, %d\n", label, a, b, c, d, draw_nf[i]);
	}
	{
		char a[24], b[24], c[24];
		printf("\n%-50s %9s %9s %9s   %d runs\n",
		       "startup to first frame (sample_data, 200x60)", "median", "min", "max",
		       st_spawn.n);
		fmt_value(a, sizeof a, U_TIME, sm_med(&st_spawn));
		fmt_value(b, sizeof b, U_TIME, sm_min(&st_spawn));
		fmt_value(c, sizeof c, U_TIME, sm_max(&st_spawn));
		printf("%-50s %9s %9s %9s\n",
		       "  from posix_spawn (exec, ld.so, ingest, view, draw)", a, b, c);
		fmt_value(a, sizeof a, U_TIME, sm_med(&st_main));
		fmt_value(b, sizeof b, U_TIME, sm_min(&st_main));
		fmt_value(c, sizeof c, U_TIME, sm_max(&st_main));
		printf("%-50s %9s %9s %9s\n", "  from the start of main", a, b, c);
	}

	printf("\n%-50s %9s %9s %9s   %s\n", "large configs: --once, files absent", "median",
	       "min", "max", "peak RSS");
	for (int k = 0; k < 2; k++) {
		char a[24], b[24], c[24], m[24], label[64], cnt[32];
		fmt_count(cnt, sizeof cnt, (uint64_t)cfg_n[k]);
		snprintf(label, sizeof label, "  %s [events:NAME] sections", cnt);
		fmt_value(a, sizeof a, U_TIME, sm_med(&cfg_sec[k]));
		fmt_value(b, sizeof b, U_TIME, sm_min(&cfg_sec[k]));
		fmt_value(c, sizeof c, U_TIME, sm_max(&cfg_sec[k]));
		fmt_value(m, sizeof m, U_MB, sm_med(&cfg_rss[k]));
		printf("%-50s %9s %9s %9s   %s, %.0f B/section\n", label, a, b, c, m,
		       sm_med(&cfg_rss[k]) / cfg_n[k]);
	}

	{
		static const char *const dp_labels[DP_COUNT] = {
		    "  ISO 8601 (2026-01-01 00:00:07)",
		    "  date_format %m/%d/%Y %H:%M:%S (1/1/2026 0:00:07)",
		    "  the same, then timezone = Europe/Berlin",
		};
		printf("\n%-50s %9s %9s %9s\n", "date parsing, per field (fields in time order)",
		       "median", "min", "max");
		for (int p = 0; p < DP_COUNT; p++)
			printf("%-50s %7.1f ns %6.1f ns %6.1f ns\n", dp_labels[p], 1e9 * sm_med(&dp[p]),
			       1e9 * sm_min(&dp[p]), 1e9 * sm_max(&dp[p]));
		printf("%-50s %9s\n", "  check: both parsers give the same instants",
		       dates_same ? "ok" : "FAIL");
	}

	{
		char a[24], b[24], c[24], label[96];
		snprintf(label, sizeof label, "cxtop --detect events.csv (%.0f MB)",
			 (double)ds[1].events_bytes / 1e6);
		fmt_value(a, sizeof a, U_TIME, sm_med(&det));
		fmt_value(b, sizeof b, U_TIME, sm_min(&det));
		fmt_value(c, sizeof c, U_TIME, sm_max(&det));
		printf("\n%-50s %9s %9s %9s   reads the first 1 MiB whatever the size\n", label, a, b,
		       c);
	}

	/* ---- targets: ratios of medians from this run ---- */
	for (int k = 0; k < 2; k++) {
		char label[96], shown[48];
		/* every ratio compares the same bytes: cxtop on events.csv alone
		 * against the floor and the peers, which read that file; cxtop
		 * on all five files against the floor's pass over all five */
		double floor = sm_med(&fig[F_FLOOR][k]), cold = sm_med(&fig[F_COLD][k]);
		double floor_all = sm_med(&fig[F_FLOOR_ALL][k]);
		double once = sm_med(&fig[F_ONCE][k]), once_ev = sm_med(&fig[F_ONCE_EV][k]);
		double x = once_ev / floor;
		snprintf(label, sizeof label, "%s --once events.csv / floor events.csv", ds[k].label);
		snprintf(shown, sizeof shown, "%.2fx", x);
		target_add(label, x, shown, "<= 2.5x", x <= 2.5);
		x = once / floor_all;
		snprintf(label, sizeof label, "%s cold (a) --once / floor, all five", ds[k].label);
		snprintf(shown, sizeof shown, "%.2fx", x);
		target_add(label, x, shown, "<= 2.5x", x <= 2.5);
		x = cold / floor_all;
		snprintf(label, sizeof label, "%s cold (b) in-process / floor, all five", ds[k].label);
		snprintf(shown, sizeof shown, "%.2fx", x);
		target_add(label, x, shown, "<= 2.5x", x <= 2.5);
		if (have_gawk) {
			x = sm_med(&fig[F_GAWK][k]) / once_ev;
			snprintf(label, sizeof label, "%s gawk / --once events.csv", ds[k].label);
			snprintf(shown, sizeof shown, "%.2fx", x);
			target_add(label, x, shown, ">= 4x", x >= 4);
		}
		if (have_sqlite) {
			x = sm_med(&fig[F_SQLITE][k]) / once_ev;
			snprintf(label, sizeof label, "%s sqlite3 / --once events.csv", ds[k].label);
			snprintf(shown, sizeof shown, "%.2fx", x);
			target_add(label, x, shown, ">= 8x", x >= 8);
		}
		x = sm_med(&fig[F_INCR][k]) / cold;
		snprintf(label, sizeof label, "%s incremental 1,000 rows / cold (b)", ds[k].label);
		snprintf(shown, sizeof shown, "%.2f%%", 100 * x);
		target_add(label, x, shown, "<= 1%", x <= 0.01);
	}
	{
		char label[96], shown[48];
		double x = sm_med(&fig[F_INCR][1]) / sm_med(&fig[F_INCR][0]);
		snprintf(label, sizeof label, "incremental %s / %s", ds[1].label, ds[0].label);
		snprintf(shown, sizeof shown, "%.2fx", x);
		target_add(label, x, shown, "<= 1.5x", x <= 1.5);
		x = sm_med(&fig[F_RSS_EV][1]);
		snprintf(label, sizeof label, "peak RSS at %s per event row", ds[1].label);
		snprintf(shown, sizeof shown, "%.1f B", x);
		target_add(label, x, shown, "<= 80 B", x <= 80);
		x = (double)(re_b - re_a) / (double)re_a;
		snprintf(label, sizeof label, "RSS growth, %s re-appended", ds[0].label);
		snprintf(shown, sizeof shown, "%+.1f%%", 100 * x);
		target_add(label, x, shown, "< 5%", x < 0.05);
		for (size_t i = 0; i < bench_nscreens; i++) {
			x = sm_med(&draw_ms[i]);
			snprintf(label, sizeof label, "screen %s per frame",
				 bench_screens[i]->name);
			snprintf(shown, sizeof shown, "%.2f ms", 1e3 * x);
			target_add(label, x, shown, "<= 2 ms", x <= 0.002);
		}
		x = sm_med(&dp[DP_FMT]) / sm_med(&dp[DP_ISO]);
		snprintf(label, sizeof label, "date_format parse / ISO parse, per field");
		snprintf(shown, sizeof shown, "%.2fx", x);
		target_add(label, x, shown, "<= 1.5x", x <= 1.5);
		/* linear: ten times the sections cost at most twelve times the
		 * time (a quadratic search would cost a hundred times) */
		x = sm_med(&cfg_sec[1]) / sm_med(&cfg_sec[0]);
		snprintf(label, sizeof label, "large config %dx the sections / %d", cfg_n[1] / cfg_n[0],
			 cfg_n[0]);
		snprintf(shown, sizeof shown, "%.1fx", x);
		target_add(label, x, shown, "<= 12x", x <= 12);
		x = sm_med(&cfg_sec[1]);
		snprintf(label, sizeof label, "large config, %d sections --once", cfg_n[1]);
		snprintf(shown, sizeof shown, "%.2f s", x);
		target_add(label, x, shown, "<= 1 s", x <= 1.0);
		x = sm_med(&det);
		snprintf(label, sizeof label, "--detect of the %s events file", ds[1].label);
		snprintf(shown, sizeof shown, "%.0f ms", 1e3 * x);
		target_add(label, x, shown, "<= 1 s", x <= 1.0);
		x = sm_med(&st_spawn);
		snprintf(label, sizeof label, "startup to first frame (from spawn)");
		snprintf(shown, sizeof shown, "%.1f ms", 1e3 * x);
		target_add(label, x, shown, "<= 100 ms", x <= 0.100);
	}
	printf("\n%-50s %12s %12s   %s\n", "target (ratios of medians of this run)", "measured",
	       "target", smoke ? "verdict (not judged at smoke sizes)" : "verdict");
	int npass = 0;
	for (size_t i = 0; i < bench_ntargets; i++) {
		const struct target *t = &bench_targets[i];
		npass += t->pass;
		printf("%-50s %12s %12s   %s\n", t->label, t->shown, t->want,
		       smoke		 ? "-"
		       : isnan(t->value) ? "n/a"
		       : t->pass	 ? "PASS"
					 : "MISS");
	}
	if (!smoke)
		printf("%d of %zu targets met\n", npass, bench_ntargets);
	if (bench_failed)
		printf("\nbench: a correctness check FAILED (see above)\n");
	return bench_failed ? 1 : 0;
}
