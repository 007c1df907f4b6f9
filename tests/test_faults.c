/* File-system faults while cxtop runs (issue 5, item 4): real files in a
 * temporary directory, read through the whole pipeline (ingest -> follow ->
 * csvin -> store -> view) while they are deleted, rotated mid-row,
 * truncated, made unreadable, replaced by a directory, a symlink or a FIFO,
 * or while the data directory itself goes away and comes back.
 *
 * Every test checks what a user would: that the program goes on (every
 * call returns; an alarm fails a test that would hang), that the rows
 * already counted stay counted, the state the Sources screen shows
 * (follow_state_name / follow_error), and that reading resumes once the
 * file is back. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/follow.h"
#include "cxtop/ingest.h"
#include "cxtop/store.h"
#include "cxtop/view.h"

#define EV_HDR "timestamp,customer_id,campaign_id,event,value,machine\n"
#define EV(ts, c, ev) "2026-11-01T10:00:" ts "Z," c ",A," ev ",,\n"
#define CUST_HDR "customer_id,signup_date,opted_in\n"
#define CUT_REASON "unfinished row: the file was rotated or removed in the middle of it"

struct fx {
	char *dir;  /* the temporary directory */
	char *data; /* the data directory cxtop reads: dir itself, or dir/data */
	struct config cfg;
	struct ingest *in;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	f->dir = tu_tmpdir();
	f->data = strdup(f->dir);
	config_defaults(&f->cfg);
	*state = f;
	/* a test that blocks (a FIFO opened for reading) fails instead of
	 * hanging the suite */
	alarm(20);
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	alarm(0);
	ingest_free(f->in);
	config_free(&f->cfg);
	tu_rmrf(f->dir);
	free(f->data);
	free(f->dir);
	free(f);
	return 0;
}

static char *fx_path(const struct fx *f, const char *name)
{
	size_t n = strlen(f->data) + strlen(name) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", f->data, name);
	return p;
}

static void fx_write(struct fx *f, const char *name, const char *mode, const char *text)
{
	tu_write(f->data, name, mode, text);
}

static void fx_run(struct fx *f)
{
	if (!f->in)
		f->in = ingest_new(&f->cfg, f->data);
	ingest_read_all(f->in);
}

static const struct ingest_source *fx_src(struct fx *f, const char *name)
{
	for (size_t i = 0; i < ingest_nsources(f->in); i++)
		if (!strcmp(ingest_source(f->in, i)->cfg->name, name))
			return ingest_source(f->in, i);
	fail_msg("no source %s", name);
	return NULL;
}

static const struct follow *fx_follow(struct fx *f, const char *name)
{
	const struct ingest_source *s = fx_src(f, name);

	assert_int_equal(s->nfiles, 1);
	return s->files[0]->follow;
}

/* The state as the Sources screen shows it. */
static const char *fx_state(struct fx *f, const char *name)
{
	return follow_state_name(follow_state(fx_follow(f, name)));
}

static const char *fx_error(struct fx *f, const char *name)
{
	return follow_error(fx_follow(f, name));
}

/* Numbers of the whole history, from the view the screens draw. */
struct fx_nums {
	uint32_t sent, clicks, customers;
};

static struct fx_nums fx_view(struct fx *f)
{
	struct view *v = view_build(ingest_store(f->in), &f->cfg, 0, INT64_MIN);
	struct fx_nums n = { 0 };

	for (size_t i = 0; i < v->ncampaigns; i++) {
		if (!strcmp(v->campaigns[i].campaign_id, "A")) {
			n.sent = v->campaigns[i].sent;
			n.clicks = v->campaigns[i].unique_clicks;
		}
	}
	n.customers = (uint32_t)v->cx.customers;
	view_free(v);
	return n;
}

static void test_deleted_then_new_file(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv");

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_string_equal(fx_state(f, "events"), "ok");

	/* a row written just before the deletion still counts */
	fx_write(f, "events.csv", "a", EV("03", "c3", "sent"));
	assert_int_equal(unlink(p), 0);
	assert_true(ingest_step(f->in, 1 << 20) & INGEST_CHANGED);
	assert_string_equal(fx_state(f, "events"), "missing");
	assert_string_equal(fx_error(f, "events"), "");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_view(f).sent, 3);
	/* missing stays quiet and alive */
	for (int i = 0; i < 3; i++)
		assert_false(ingest_step(f->in, 1 << 20) & INGEST_CHANGED);
	assert_int_equal(fx_view(f).sent, 3);

	/* a new export appears: history kept, its rows counted */
	fx_write(f, "events.csv", "w", EV_HDR EV("10", "c4", "sent") EV("11", "c5", "sent"));
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 5);
	assert_int_equal(fx_src(f, "events")->rejected, 0);
	assert_int_equal(fx_view(f).sent, 5);
	free(p);
}

static void test_moved_away_and_back_counts_once(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *b = fx_path(f, "events.bak");

	fx_write(f, "events.csv", "w",
		 EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent") EV("03", "c3", "click"));
	fx_run(f);
	assert_int_equal(rename(p, b), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "missing");
	assert_int_equal(fx_view(f).sent, 2);

	/* the same file back: the same rows, not twice as many */
	assert_int_equal(rename(b, p), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_view(f).sent, 2);
	assert_int_equal(fx_view(f).clicks, 1);
	assert_int_equal(follow_resets(fx_follow(f, "events")), 1);
	free(b);
	free(p);
}

/* The header and n sent rows, c1 .. cn: 50 rows are past the fingerprint
 * (the header and 1 KiB after it). */
static char *ev_rows(int n)
{
	size_t cap = sizeof EV_HDR + (size_t)n * 64;
	char *s = malloc(cap);
	size_t len;

	assert_non_null(s);
	len = (size_t)snprintf(s, cap, "%s", EV_HDR);
	for (int i = 1; i <= n; i++)
		len += (size_t)snprintf(s + len, cap - len, "2026-11-01T10:%02d:%02dZ,c%d,A,sent,,\n",
					i / 60, i % 60, i);
	return s;
}

static void test_replaced_by_copy_counts_once(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *t = fx_path(f, ".events.csv.tmp");
	char *v50 = ev_rows(50), *v51 = ev_rows(51), *v45 = ev_rows(45);

	fx_write(f, "events.csv", "w", v50);
	fx_run(f);
	assert_int_equal(fx_view(f).sent, 50);
	/* rsync, cp or an editor: a new file with the old rows and one more
	 * renamed over the path; reading goes on after what was counted */
	fx_write(f, ".events.csv.tmp", "w", v51);
	assert_int_equal(rename(t, p), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 51);
	assert_int_equal(fx_view(f).sent, 51);
	assert_int_equal(follow_rotations(fx_follow(f, "events")), 0);
	assert_int_equal(follow_resets(fx_follow(f, "events")), 0);

	/* an older, shorter copy: recomputed from the file as it now is */
	fx_write(f, ".events.csv.tmp", "w", v45);
	assert_int_equal(rename(t, p), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 45);
	assert_int_equal(fx_view(f).sent, 45);
	assert_int_equal(follow_resets(fx_follow(f, "events")), 1);

	free(v45);
	free(v51);
	free(v50);
	free(t);
	free(p);
}

static void test_rotated_mid_row_rejects_the_cut_row(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *old = fx_path(f, "events.csv.1");
	const struct ingest_rejection *rej;

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	fx_run(f);
	/* the writer is in the middle of a click row (",,no" was next) ... */
	fx_write(f, "events.csv", "a", "2026-11-01T10:00:03Z,c3,A,click,,");
	ingest_step(f->in, 1 << 20);
	assert_int_equal(fx_src(f, "events")->rows, 2);
	/* ... when the file is rotated and a new one started */
	assert_int_equal(rename(p, old), 0);
	fx_write(f, "events.csv", "w", EV_HDR EV("10", "c4", "sent"));
	ingest_read_all(f->in);

	/* "...,A,click,," would parse as a click; it is the start of a row
	 * whose end never came, so it is rejected and named */
	assert_string_equal(fx_state(f, "events"), "rotated");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_src(f, "events")->rejected, 1);
	assert_int_equal(ingest_nrejections(f->in), 1);
	rej = ingest_rejection(f->in, 0);
	assert_int_equal(rej->line, 4);
	assert_string_equal(rej->reason, CUT_REASON);
	assert_non_null(strstr(rej->file, "events.csv"));
	/* nothing counted before is lost, the new file is counted */
	assert_int_equal(fx_view(f).sent, 3);
	assert_int_equal(fx_view(f).clicks, 0);
	assert_int_equal(follow_rotations(fx_follow(f, "events")), 1);

	/* shown once, then plain ok; appends to the new file count */
	ingest_step(f->in, 1 << 20);
	assert_string_equal(fx_state(f, "events"), "ok");
	fx_write(f, "events.csv", "a", EV("11", "c5", "click"));
	ingest_read_all(f->in);
	assert_int_equal(fx_view(f).clicks, 1);
	assert_int_equal(fx_src(f, "events")->rows, 4);
	free(old);
	free(p);
}

static void test_rotated_mid_row_finished_by_writer(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *old = fx_path(f, "events.csv.1");

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent"));
	fx_run(f);
	fx_write(f, "events.csv", "a", "2026-11-01T10:00:03Z,c3,A,cli");
	ingest_step(f->in, 1 << 20);
	/* the writer still holds the old file: it finishes the row there
	 * before it opens the new one */
	assert_int_equal(rename(p, old), 0);
	tu_write(f->data, "events.csv.1", "a", "ck,,\n");
	fx_write(f, "events.csv", "w", EV_HDR EV("10", "c4", "sent"));
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_src(f, "events")->rejected, 0);
	assert_int_equal(fx_view(f).sent, 2);
	assert_int_equal(fx_view(f).clicks, 1);
	free(old);
	free(p);
}

static void test_truncated_is_recomputed(void **state)
{
	struct fx *f = *state;

	fx_write(f, "events.csv", "w",
		 EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent") EV("03", "c3", "click"));
	fx_run(f);
	assert_int_equal(fx_view(f).sent, 2);

	/* cut to fewer rows: the counts are those of the file as it is */
	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent"));
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 1);
	assert_int_equal(fx_view(f).sent, 1);
	assert_int_equal(fx_view(f).clicks, 0);
	assert_int_equal(follow_resets(fx_follow(f, "events")), 1);

	/* cut to nothing, then written again from the header */
	fx_write(f, "events.csv", "w", "");
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 0);
	assert_int_equal(fx_view(f).sent, 0);
	fx_write(f, "events.csv", "a", EV_HDR EV("05", "c5", "sent") EV("06", "c6", "sent"));
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_int_equal(fx_view(f).sent, 2);
}

/* As root, permission bits mean nothing: the steps that must be refused
 * run as nobody (seteuid 65534), as in tests/test_follow.c. */
static int as_root;

static void become_user(int on)
{
	if (as_root)
		assert_int_equal(seteuid(on ? 65534 : 0), 0);
}

/* ingest_read_all as the unprivileged user; asserts wait until root is
 * back, so that a failure can still clean up. */
static void read_all_as_user(struct fx *f)
{
	become_user(1);
	ingest_read_all(f->in);
	become_user(0);
}

static void test_unreadable_then_readable(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv");

	as_root = geteuid() == 0;
	assert_int_equal(chmod(f->dir, 0755), 0);
	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	assert_int_equal(chmod(p, 0644), 0);
	f->in = ingest_new(&f->cfg, f->data);
	read_all_as_user(f);
	assert_int_equal(fx_src(f, "events")->rows, 2);

	/* made unreadable while open, with a row waiting */
	fx_write(f, "events.csv", "a", EV("03", "c3", "sent"));
	assert_int_equal(chmod(p, 0000), 0);
	read_all_as_user(f);
	assert_string_equal(fx_state(f, "events"), "error");
	assert_string_equal(fx_error(f, "events"), "permission denied");
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_int_equal(fx_view(f).sent, 2);
	read_all_as_user(f);
	assert_string_equal(fx_error(f, "events"), "permission denied");

	/* readable again: on from where it was, nothing twice */
	assert_int_equal(chmod(p, 0644), 0);
	read_all_as_user(f);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_string_equal(fx_error(f, "events"), "");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_view(f).sent, 3);

	/* a snapshot made unreadable: its rows stay, and come back as they are */
	free(p);
	p = fx_path(f, "customers.csv");
	fx_write(f, "customers.csv", "w", CUST_HDR "c1,2026-01-01,yes\n");
	assert_int_equal(chmod(p, 0644), 0);
	read_all_as_user(f);
	assert_int_equal(fx_view(f).customers, 1);
	assert_int_equal(chmod(p, 0000), 0);
	read_all_as_user(f);
	assert_string_equal(fx_error(f, "customers"), "permission denied");
	assert_int_equal(fx_view(f).customers, 1);
	assert_int_equal(chmod(p, 0644), 0);
	read_all_as_user(f);
	assert_string_equal(fx_state(f, "customers"), "ok");
	assert_int_equal(fx_view(f).customers, 1);
	assert_int_equal(fx_view(f).sent, 3);
	free(p);
}

static void test_replaced_by_directory(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *c = fx_path(f, "customers.csv");

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	fx_write(f, "customers.csv", "w", CUST_HDR "c1,2026-01-01,yes\nc2,2026-01-01,no\n");
	fx_run(f);

	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(unlink(c), 0);
	assert_int_equal(mkdir(c, 0755), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "error");
	assert_string_equal(fx_error(f, "events"), "is a directory");
	assert_string_equal(fx_error(f, "customers"), "is a directory");
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_int_equal(fx_view(f).sent, 2);
	assert_int_equal(fx_view(f).customers, 2);

	assert_int_equal(rmdir(p), 0);
	assert_int_equal(rmdir(c), 0);
	fx_write(f, "events.csv", "w", EV_HDR EV("10", "c3", "sent"));
	fx_write(f, "customers.csv", "w",
		 CUST_HDR "c1,2026-01-01,yes\nc2,2026-01-01,no\nc3,2026-01-01,yes\n");
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_string_equal(fx_state(f, "customers"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_view(f).sent, 3);
	/* a snapshot is the file as it now is */
	assert_int_equal(fx_view(f).customers, 3);
	free(c);
	free(p);
}

static void test_replaced_by_symlink(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *arch = fx_path(f, "archive");
	char *t1 = fx_path(f, "archive/feed-1.csv"), *t2 = fx_path(f, "archive/feed-2.csv");

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	fx_run(f);
	assert_int_equal(mkdir(arch, 0755), 0);
	tu_write(arch, "feed-1.csv", "w", EV_HDR EV("10", "c3", "sent") EV("11", "c4", "sent"));
	tu_write(arch, "feed-2.csv", "w", EV_HDR EV("20", "c5", "sent"));

	/* the file becomes a symlink to another file: that file is new */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(t1, p), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "rotated");
	assert_int_equal(fx_src(f, "events")->rows, 4);
	assert_int_equal(fx_view(f).sent, 4);
	ingest_step(f->in, 1 << 20);
	assert_string_equal(fx_state(f, "events"), "ok");
	/* appends to the target are followed */
	tu_write(arch, "feed-1.csv", "a", EV("12", "c6", "sent"));
	ingest_read_all(f->in);
	assert_int_equal(fx_view(f).sent, 5);

	/* pointed elsewhere: the next file */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(t2, p), 0);
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 6);
	assert_int_equal(fx_view(f).sent, 6);
	assert_int_equal(follow_rotations(fx_follow(f, "events")), 2);

	/* dangling: missing, counts kept */
	assert_int_equal(unlink(t2), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "missing");
	assert_int_equal(fx_view(f).sent, 6);
	free(t2);
	free(t1);
	free(arch);
	free(p);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_fifo_is_an_error_and_never_blocks(void **state)
{
	struct fx *f = *state;
	char *p = fx_path(f, "events.csv"), *c = fx_path(f, "customers.csv");
	double t0;
	int wfd;

	fx_write(f, "events.csv", "w", EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent"));
	fx_run(f);

	/* a FIFO in place of the log, with a writer that never writes, and
	 * one where a snapshot is expected, with no writer at all: opening
	 * either for reading would block */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(mkfifo(c, 0644), 0);
	wfd = open(p, O_RDWR | O_NONBLOCK);
	assert_true(wfd >= 0);
	t0 = now_s();
	for (int i = 0; i < 5; i++)
		ingest_read_all(f->in);
	ingest_flush_partial(f->in);
	assert_true(now_s() - t0 < 2.0);
	assert_string_equal(fx_state(f, "events"), "error");
	assert_string_equal(fx_error(f, "events"), "not a regular file");
	assert_string_equal(fx_error(f, "customers"), "not a regular file");
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_int_equal(fx_view(f).sent, 2);
	close(wfd);

	assert_int_equal(unlink(p), 0);
	assert_int_equal(unlink(c), 0);
	fx_write(f, "events.csv", "w", EV_HDR EV("10", "c3", "sent"));
	fx_write(f, "customers.csv", "w", CUST_HDR "c1,2026-01-01,yes\n");
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_string_equal(fx_state(f, "customers"), "ok");
	assert_int_equal(fx_view(f).sent, 3);
	assert_int_equal(fx_view(f).customers, 1);
	free(c);
	free(p);
}

static int wait_readable_ms(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms);
}

static int wait_readable(int fd)
{
	return wait_readable_ms(fd, 2000);
}

#define DD_EVENTS EV_HDR EV("01", "c1", "sent") EV("02", "c2", "sent") EV("03", "c3", "click")
#define DD_CUSTOMERS CUST_HDR "c1,2026-01-01,yes\nc2,2026-01-01,no\n"

static void fx_make_data_dir(struct fx *f)
{
	assert_int_equal(mkdir(f->data, 0755), 0);
	fx_write(f, "events.csv", "w", DD_EVENTS);
	fx_write(f, "customers.csv", "w", DD_CUSTOMERS);
}

static void test_data_dir_removed_and_recreated(void **state)
{
	struct fx *f = *state;
	struct fx_nums n;
	char cmd[4200];
	char *data = fx_path(f, "data");

	free(f->data);
	f->data = data;
	fx_make_data_dir(f);
	fx_run(f);
	n = fx_view(f);
	assert_int_equal(n.sent, 2);
	assert_int_equal(n.clicks, 1);
	assert_int_equal(n.customers, 2);
	ingest_watch_drain(f->in);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->data);
	assert_int_equal(system(cmd), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "missing");
	assert_string_equal(fx_state(f, "customers"), "missing");
	assert_string_equal(fx_state(f, "responses"), "waiting");
	n = fx_view(f);
	assert_int_equal(n.sent, 2);
	assert_int_equal(n.customers, 2);
	for (int i = 0; i < 3; i++)
		assert_false(ingest_step(f->in, 1 << 20) & INGEST_CHANGED);

	/* back with the same files: the same numbers, not twice as many */
	fx_make_data_dir(f);
	if (ingest_watch_fd(f->in) >= 0) /* watched again once it is back */
		assert_int_equal(ingest_watch_drain(f->in), 1);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_string_equal(fx_state(f, "customers"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 3);
	n = fx_view(f);
	assert_int_equal(n.sent, 2);
	assert_int_equal(n.clicks, 1);
	assert_int_equal(n.customers, 2);

	/* and the watch sees appends in the new directory */
	fx_write(f, "events.csv", "a", EV("04", "c4", "sent"));
	if (ingest_watch_fd(f->in) >= 0) {
		assert_int_equal(wait_readable(ingest_watch_fd(f->in)), 1);
		assert_int_equal(ingest_watch_drain(f->in), 1);
	}
	ingest_read_all(f->in);
	assert_int_equal(fx_view(f).sent, 3);

	/* removed again; back while only the timer's steps run, as in the
	 * main loop, which drains only when the watch fd says so: the steps
	 * watch the directory again */
	assert_int_equal(system(cmd), 0);
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "missing");
	/* the removal is news the main loop drains; the kernel drops the
	 * watch only once the files read from there are closed */
	while (ingest_watch_fd(f->in) >= 0 && wait_readable_ms(ingest_watch_fd(f->in), 200) == 1)
		ingest_watch_drain(f->in);
	fx_make_data_dir(f);
	fx_write(f, "events.csv", "a", EV("04", "c4", "sent"));
	ingest_read_all(f->in);
	assert_int_equal(fx_view(f).sent, 3);
	fx_write(f, "events.csv", "a", EV("05", "c5", "sent"));
	if (ingest_watch_fd(f->in) >= 0)
		assert_int_equal(wait_readable(ingest_watch_fd(f->in)), 1);
	ingest_read_all(f->in);
	assert_int_equal(fx_view(f).sent, 4);

	/* removed and recreated between two looks, with a row more: the new
	 * copies are read on from where the old files were */
	assert_int_equal(system(cmd), 0);
	fx_make_data_dir(f);
	fx_write(f, "events.csv", "a",
		 EV("04", "c4", "sent") EV("05", "c5", "sent") EV("06", "c6", "sent"));
	ingest_read_all(f->in);
	assert_string_equal(fx_state(f, "events"), "ok");
	assert_int_equal(fx_src(f, "events")->rows, 6);
	n = fx_view(f);
	assert_int_equal(n.sent, 5);
	assert_int_equal(n.clicks, 1);
	assert_int_equal(n.customers, 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_deleted_then_new_file),
		T(test_moved_away_and_back_counts_once),
		T(test_replaced_by_copy_counts_once),
		T(test_rotated_mid_row_rejects_the_cut_row),
		T(test_rotated_mid_row_finished_by_writer),
		T(test_truncated_is_recomputed),
		T(test_unreadable_then_readable),
		T(test_replaced_by_directory),
		T(test_replaced_by_symlink),
		T(test_fifo_is_an_error_and_never_blocks),
		T(test_data_dir_removed_and_recreated),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
