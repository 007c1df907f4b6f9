/* Tests for follow: real files in a temporary directory, checked by what the
 * consumer sees — the bytes delivered and the order of BEGIN/DATA/END/RESET
 * — and by the state a user would read in the sources panel. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "testutil.h"

#include "cxtop/follow.h"

/* Everything the callback was told, as one string: "B", "E", "R" for the
 * events and "D:<bytes>" for data, consecutive DATA merged, '|' between. */
struct rec {
	char seq[1 << 16];
	size_t len;
	int last_data;
	unsigned data_calls;
	size_t data_bytes;
};

static void rec_put(struct rec *r, const char *s, size_t n)
{
	assert_true(r->len + n + 1 < sizeof r->seq);
	memcpy(r->seq + r->len, s, n);
	r->len += n;
	r->seq[r->len] = '\0';
}

static void rec_cb(void *ctx, enum follow_ev ev, const char *buf, size_t len)
{
	struct rec *r = ctx;
	static const char *const tag[] = { "B", "D:", "E", "R" };

	if (ev == FOLLOW_EV_DATA) {
		assert_non_null(buf);
		assert_true(len > 0);
		r->data_calls++;
		r->data_bytes += len;
		if (!r->last_data) {
			if (r->len)
				rec_put(r, "|", 1);
			rec_put(r, tag[ev], 2);
		}
		rec_put(r, buf, len);
		r->last_data = 1;
		return;
	}
	if (r->len)
		rec_put(r, "|", 1);
	rec_put(r, tag[ev], 1);
	r->last_data = 0;
}

static void rec_clear(struct rec *r)
{
	memset(r, 0, sizeof *r);
}

/* Poll once with a large budget into a fresh record; returns the flags. */
static int poll_into(struct follow *f, struct rec *r)
{
	rec_clear(r);
	return follow_poll(f, 1 << 20, rec_cb, r);
}

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Give a file a distinct mtime, as a later write would have: the kernel's
 * timestamps are coarse (a clock tick), so two writes in one test may share
 * one, and a same-size rewrite would then be invisible to stat. */
static void bump_mtime(const char *path, int secs)
{
	struct stat st;
	struct timespec ts[2];

	assert_int_equal(stat(path, &st), 0);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	ts[1].tv_sec += secs;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_append_costs_only_appended_bytes(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "events.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;
	const char *head = "id,score\n1,9\n2,10\n";
	const char *more = "3,7\n4,0\n";

	assert_string_equal(follow_path(f), p);
	tu_write(dir, "events.csv", "w", head);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:id,score\n1,9\n2,10\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);
	assert_int_equal(follow_offset(f), strlen(head));
	assert_int_equal(follow_size(f), strlen(head));

	/* Nothing changed: nothing delivered, no change reported. */
	assert_int_equal(poll_into(f, &r), 0);
	assert_string_equal(r.seq, "");

	tu_write(dir, "events.csv", "a", more);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "D:3,7\n4,0\n");
	assert_int_equal(r.data_bytes, strlen(more));
	assert_int_equal(follow_offset(f), strlen(head) + strlen(more));
	assert_int_equal(follow_resets(f), 0);
	assert_int_equal(follow_rotations(f), 0);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_empty_file_begins(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "e.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "e.csv", "w", "");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B");
	tu_write(dir, "e.csv", "a", "h\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "D:h\n");

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_batches_bounded_by_max_bytes(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "big.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;
	char text[10001];
	int flags;

	for (size_t i = 0; i < 10000; i++)
		text[i] = (i % 50 == 49) ? '\n' : (char)('a' + i % 26);
	text[10000] = '\0';
	tu_write(dir, "big.csv", "w", text);

	rec_clear(&r);
	flags = follow_poll(f, 4096, rec_cb, &r);
	assert_int_equal(flags, FOLLOW_CHANGED | FOLLOW_MORE);
	assert_int_equal(r.data_bytes, 4096);
	assert_int_equal(follow_offset(f), 4096);
	assert_int_equal(follow_size(f), 10000);
	flags = follow_poll(f, 4096, rec_cb, &r);
	assert_int_equal(flags, FOLLOW_CHANGED | FOLLOW_MORE);
	assert_int_equal(r.data_bytes, 8192);
	flags = follow_poll(f, 4096, rec_cb, &r);
	assert_int_equal(flags, FOLLOW_CHANGED);
	assert_int_equal(r.data_bytes, 10000);
	/* One BEGIN, then the file in order, exactly once. */
	assert_memory_equal(r.seq, "B|D:", 4);
	assert_string_equal(r.seq + 4, text);
	assert_int_equal(follow_poll(f, 4096, rec_cb, &r), 0);

	/* A budget that ends exactly at the end of the file is not "more". */
	tu_write(dir, "big.csv", "a", "0123456789");
	rec_clear(&r);
	assert_int_equal(follow_poll(f, 10, rec_cb, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "D:0123456789");

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_partial_last_line_delivered(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "p.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "p.csv", "w", "a,b\n1,\"two");
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:a,b\n1,\"two");
	tu_write(dir, "p.csv", "a", " lines\"\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "D: lines\"\n");
	assert_int_equal(follow_offset(f), strlen("a,b\n1,\"two lines\"\n"));

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_rotation_drains_old_file_first(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "log.csv"), *old = path_in(dir, "log.csv.1");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "log.csv", "w", "h\n1\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:h\n1\n");

	/* A writer adds rows, then logrotate moves the file and a new one
	 * starts: the late rows come before the new file's BEGIN. */
	tu_write(dir, "log.csv", "a", "2\n3\n");
	assert_int_equal(rename(p, old), 0);
	tu_write(dir, "log.csv", "w", "h\n4\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "D:2\n3\n|E|B|D:h\n4\n");
	assert_int_equal(follow_rotations(f), 1);
	assert_int_equal(follow_resets(f), 0);
	assert_int_equal(follow_state(f), FOLLOW_ROTATED);
	assert_int_equal(follow_offset(f), 4);

	/* Reported once, then plain OK. */
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "");
	assert_int_equal(follow_state(f), FOLLOW_OK);
	tu_write(dir, "log.csv", "a", "5\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "D:5\n");

	follow_free(f);
	tu_rmrf(dir);
	free(old);
	free(p);
	free(dir);
}

static void test_rotation_drain_respects_budget(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "log.csv"), *old = path_in(dir, "log.csv.1");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "log.csv", "w", "h\n");
	poll_into(f, &r);
	tu_write(dir, "log.csv", "a", "111\n222\n");
	assert_int_equal(rename(p, old), 0);
	tu_write(dir, "log.csv", "w", "h\n9\n");

	rec_clear(&r);
	assert_int_equal(follow_poll(f, 4, rec_cb, &r), FOLLOW_CHANGED | FOLLOW_MORE);
	assert_string_equal(r.seq, "D:111\n");
	assert_int_equal(follow_rotations(f), 0);
	assert_int_equal(follow_poll(f, 4, rec_cb, &r), FOLLOW_CHANGED | FOLLOW_MORE);
	assert_string_equal(r.seq, "D:111\n222\n|E|B");
	assert_int_equal(follow_rotations(f), 1);
	assert_int_equal(follow_poll(f, 4, rec_cb, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "D:111\n222\n|E|B|D:h\n9\n");

	follow_free(f);
	tu_rmrf(dir);
	free(old);
	free(p);
	free(dir);
}

static void test_truncation_resets(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "t.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "t.csv", "w", "h\n1\n2\n3\n");
	poll_into(f, &r);
	tu_write(dir, "t.csv", "w", "h\n7\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "R|B|D:h\n7\n");
	assert_int_equal(follow_resets(f), 1);
	assert_int_equal(follow_rotations(f), 0);
	assert_int_equal(follow_offset(f), 4);
	assert_int_equal(follow_state(f), FOLLOW_OK);

	/* Appends after the reset are plain appends again. */
	tu_write(dir, "t.csv", "a", "8\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "D:8\n");
	assert_int_equal(follow_resets(f), 1);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

/* Overwrite the start of a file without truncating it (same size). */
static void overwrite_in_place(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, text, strlen(text), 0), (ssize_t)strlen(text));
	close(fd);
	bump_mtime(path, 5);
}

static void test_rewrite_in_place_same_size_resets(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "w.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "w.csv", "w", "id,score\n1,9\n2,8\n");
	poll_into(f, &r);
	/* Same header, same length, different rows: only the bytes after
	 * the header tell. */
	overwrite_in_place(p, "id,score\n5,1\n6,2\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "R|B|D:id,score\n5,1\n6,2\n");
	assert_int_equal(follow_resets(f), 1);

	/* A touch without a content change is not a rewrite. */
	bump_mtime(p, 10);
	assert_int_equal(poll_into(f, &r), 0);
	assert_string_equal(r.seq, "");
	assert_int_equal(follow_resets(f), 1);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_fingerprint_covers_tail_after_header(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "big.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;
	char text[3001];

	/* A change within FOLLOW_FP_TAIL bytes after the header resets, even
	 * when the file was grown in the same step. */
	memset(text, 'x', 3000);
	text[2] = '\n';
	for (int i = 100; i < 3000; i += 100)
		text[i] = '\n';
	text[3000] = '\0';
	tu_write(dir, "big.csv", "w", text);
	poll_into(f, &r);
	assert_int_equal(r.data_bytes, 3000);
	text[FOLLOW_FP_TAIL] = 'y';
	overwrite_in_place(p, text);
	tu_write(dir, "big.csv", "a", "z\n");
	poll_into(f, &r);
	assert_memory_equal(r.seq, "R|B|D:", 6);
	assert_int_equal(r.data_bytes, 3002);
	assert_int_equal(follow_resets(f), 1);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_waiting_then_appears(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "later.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	assert_int_equal(follow_state(f), FOLLOW_WAITING);
	assert_int_equal(poll_into(f, &r), 0);
	assert_string_equal(r.seq, "");
	assert_int_equal(follow_state(f), FOLLOW_WAITING);
	assert_string_equal(follow_error(f), "");
	assert_string_equal(follow_state_name(follow_state(f)), "waiting");

	tu_write(dir, "later.csv", "w", "h\n1\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n1\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_deleted_file_drained_then_missing(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "d.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "d.csv", "w", "h\n1\n");
	poll_into(f, &r);
	tu_write(dir, "d.csv", "a", "2\n");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "D:2\n|E");
	assert_int_equal(follow_state(f), FOLLOW_MISSING);
	assert_string_equal(follow_state_name(FOLLOW_MISSING), "missing");
	assert_int_equal(poll_into(f, &r), 0);

	/* Back again: a new file from byte 0, not a rotation. */
	tu_write(dir, "d.csv", "w", "h\n3\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n3\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);
	assert_int_equal(follow_resets(f), 0);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

/* Run the next steps as an unprivileged user when the tests run as root,
 * so that permission checks mean something; a no-op otherwise. */
static int as_root;

static void become_user(int on)
{
	if (!as_root)
		return;
	assert_int_equal(seteuid(on ? 65534 : 0), 0);
}

static void test_permission_denied_then_back(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "perm.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct follow *g;
	struct rec r;
	int flags, st;

	as_root = geteuid() == 0;
	assert_int_equal(chmod(dir, 0755), 0);
	tu_write(dir, "perm.csv", "w", "h\n1\n");
	assert_int_equal(chmod(p, 0000), 0);

	/* Never readable: ERROR from the start. */
	become_user(1);
	flags = poll_into(f, &r);
	st = follow_state(f);
	become_user(0);
	assert_int_equal(flags, FOLLOW_CHANGED);
	assert_string_equal(r.seq, "");
	assert_int_equal(st, FOLLOW_ERROR);
	assert_string_equal(follow_error(f), "permission denied");
	assert_string_equal(follow_state_name(st), "error");

	assert_int_equal(chmod(p, 0644), 0);
	become_user(1);
	flags = poll_into(f, &r);
	st = follow_state(f);
	become_user(0);
	assert_int_equal(flags, FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n1\n");
	assert_int_equal(st, FOLLOW_OK);
	assert_string_equal(follow_error(f), "");

	/* Open, then made unreadable: ERROR, and when readable again the
	 * same file goes on from where it was (no BEGIN, nothing twice). */
	assert_int_equal(chmod(p, 0000), 0);
	become_user(1);
	poll_into(f, &r);
	st = follow_state(f);
	become_user(0);
	assert_int_equal(st, FOLLOW_ERROR);
	assert_string_equal(follow_error(f), "permission denied");
	tu_write(dir, "perm.csv", "a", "2\n");
	assert_int_equal(chmod(p, 0644), 0);
	become_user(1);
	poll_into(f, &r);
	st = follow_state(f);
	become_user(0);
	assert_int_equal(st, FOLLOW_OK);
	assert_string_equal(r.seq, "D:2\n");

	/* Root reads anyway when not switching users: just no error then. */
	if (as_root) {
		g = follow_new(p, FOLLOW_LOG);
		assert_int_equal(chmod(p, 0000), 0);
		poll_into(g, &r);
		assert_int_equal(follow_state(g), FOLLOW_OK);
		assert_string_equal(r.seq, "B|D:h\n1\n2\n");
		follow_free(g);
	}

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_directory_then_file(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "x.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_int_equal(follow_state(f), FOLLOW_ERROR);
	assert_string_equal(follow_error(f), "is a directory");
	assert_string_equal(r.seq, "");
	assert_int_equal(poll_into(f, &r), 0);

	assert_int_equal(rmdir(p), 0);
	tu_write(dir, "x.csv", "w", "h\n1\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n1\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);

	/* An open file replaced by a directory: drained, ended, ERROR. */
	tu_write(dir, "x.csv", "a", "2\n");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	poll_into(f, &r);
	assert_string_equal(r.seq, "D:2\n|E");
	assert_int_equal(follow_state(f), FOLLOW_ERROR);
	assert_string_equal(follow_error(f), "is a directory");

	assert_int_equal(rmdir(p), 0);
	tu_write(dir, "x.csv", "w", "h\n3\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:h\n3\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);

	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_fifo_is_error_without_blocking(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "pipe.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct follow *s = follow_new(p, FOLLOW_SNAPSHOT);
	struct rec r;

	assert_int_equal(mkfifo(p, 0644), 0);
	alarm(10); /* a blocking open would hang the suite: fail it instead */
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_int_equal(poll_into(s, &r), FOLLOW_CHANGED);
	alarm(0);
	assert_int_equal(follow_state(f), FOLLOW_ERROR);
	assert_string_equal(follow_error(f), "not a regular file");
	assert_int_equal(follow_state(s), FOLLOW_ERROR);
	assert_string_equal(r.seq, "");

	assert_int_equal(unlink(p), 0);
	tu_write(dir, "pipe.csv", "w", "h\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:h\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);

	follow_free(s);
	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static void test_symlink_reads_target(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "link.csv"), *t = path_in(dir, "real.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct rec r;

	tu_write(dir, "real.csv", "w", "h\n1\n");
	assert_int_equal(symlink(t, p), 0);
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:h\n1\n");
	assert_int_equal(follow_state(f), FOLLOW_OK);
	tu_write(dir, "real.csv", "a", "2\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "D:2\n");

	follow_free(f);
	tu_rmrf(dir);
	free(t);
	free(p);
	free(dir);
}

static void test_snapshot_reread_whole(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "snap.csv"), *tmp = path_in(dir, "snap.tmp");
	struct follow *f = follow_new(p, FOLLOW_SNAPSHOT);
	struct rec r;

	tu_write(dir, "snap.csv", "w", "h\n1\n");
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n1\n|E");
	assert_int_equal(follow_state(f), FOLLOW_OK);
	assert_int_equal(poll_into(f, &r), 0);

	/* Replaced atomically, as exporters do. */
	tu_write(dir, "snap.tmp", "w", "h\n2\n3\n");
	assert_int_equal(rename(tmp, p), 0);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n2\n3\n|E");

	/* Rewritten in place, same size: re-read whole, never RESET. */
	overwrite_in_place(p, "h\n4\n5\n");
	poll_into(f, &r);
	assert_string_equal(r.seq, "B|D:h\n4\n5\n|E");
	assert_int_equal(follow_resets(f), 0);

	/* Batches: END only after the last one. */
	tu_write(dir, "snap.csv", "w", "h\n6\n7\n");
	bump_mtime(p, 20);
	rec_clear(&r);
	assert_int_equal(follow_poll(f, 3, rec_cb, &r), FOLLOW_CHANGED | FOLLOW_MORE);
	assert_string_equal(r.seq, "B|D:h\n6");
	assert_int_equal(follow_poll(f, 3, rec_cb, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n6\n7\n|E");

	/* Gone: its data stays, the state says so. */
	assert_int_equal(unlink(p), 0);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "");
	assert_int_equal(follow_state(f), FOLLOW_MISSING);

	follow_free(f);
	tu_rmrf(dir);
	free(tmp);
	free(p);
	free(dir);
}

static void test_rewind(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "rw.csv");
	struct follow *f = follow_new(p, FOLLOW_LOG);
	struct follow *s = follow_new(p, FOLLOW_SNAPSHOT);
	struct rec r;

	tu_write(dir, "rw.csv", "w", "h\n1\n2\n");
	poll_into(f, &r);
	follow_rewind(f);
	assert_int_equal(poll_into(f, &r), FOLLOW_CHANGED);
	assert_string_equal(r.seq, "B|D:h\n1\n2\n");
	assert_int_equal(follow_offset(f), 6);
	assert_int_equal(follow_resets(f), 0);
	assert_int_equal(poll_into(f, &r), 0);

	poll_into(s, &r);
	assert_int_equal(poll_into(s, &r), 0);
	follow_rewind(s);
	poll_into(s, &r);
	assert_string_equal(r.seq, "B|D:h\n1\n2\n|E");

	follow_free(s);
	follow_free(f);
	tu_rmrf(dir);
	free(p);
	free(dir);
}

static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	return poll(&pfd, 1, 2000);
}

static void test_watch_sees_append(void **state)
{
	char *dir = tu_tmpdir(), *p = path_in(dir, "wa.csv");
	char *sub = path_in(dir, "later"), *subfile = path_in(sub, "x.csv");
	struct follow_watch *w = follow_watch_new();

	tu_write(dir, "wa.csv", "w", "h\n");
	follow_watch_add(w, p);
	follow_watch_add(w, p); /* once per directory */
	follow_watch_add(w, subfile);
	if (follow_watch_fd(w) < 0) {
		follow_watch_free(w);
		tu_rmrf(dir);
		free(subfile);
		free(sub);
		free(p);
		free(dir);
		skip();
	}
	assert_int_equal(follow_watch_drain(w), 0);

	tu_write(dir, "wa.csv", "a", "1\n");
	assert_int_equal(wait_readable(follow_watch_fd(w)), 1);
	assert_int_equal(follow_watch_drain(w), 1);
	assert_int_equal(follow_watch_drain(w), 0);

	/* A directory that did not exist is watched once it appears. */
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(follow_watch_drain(w), 1);
	tu_write(sub, "x.csv", "w", "h\n");
	assert_int_equal(wait_readable(follow_watch_fd(w)), 1);
	assert_int_equal(follow_watch_drain(w), 1);

	follow_watch_free(w);
	follow_watch_free(NULL);
	tu_rmrf(dir);
	free(subfile);
	free(sub);
	free(p);
	free(dir);
}

static void test_api_basics(void **state)
{
	/* Offsets are 64-bit by type, so files over 4 GiB cannot wrap. */
	_Static_assert(_Generic(follow_offset((const struct follow *)0), uint64_t: 1, default: 0),
		       "follow_offset must be uint64_t");
	_Static_assert(_Generic(follow_size((const struct follow *)0), uint64_t: 1, default: 0),
		       "follow_size must be uint64_t");
	follow_free(NULL);
	assert_string_equal(follow_state_name(FOLLOW_OK), "ok");
	assert_string_equal(follow_state_name(FOLLOW_ROTATED), "rotated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_costs_only_appended_bytes),
		cmocka_unit_test(test_empty_file_begins),
		cmocka_unit_test(test_batches_bounded_by_max_bytes),
		cmocka_unit_test(test_partial_last_line_delivered),
		cmocka_unit_test(test_rotation_drains_old_file_first),
		cmocka_unit_test(test_rotation_drain_respects_budget),
		cmocka_unit_test(test_truncation_resets),
		cmocka_unit_test(test_rewrite_in_place_same_size_resets),
		cmocka_unit_test(test_fingerprint_covers_tail_after_header),
		cmocka_unit_test(test_waiting_then_appears),
		cmocka_unit_test(test_deleted_file_drained_then_missing),
		cmocka_unit_test(test_permission_denied_then_back),
		cmocka_unit_test(test_directory_then_file),
		cmocka_unit_test(test_fifo_is_error_without_blocking),
		cmocka_unit_test(test_symlink_reads_target),
		cmocka_unit_test(test_snapshot_reread_whole),
		cmocka_unit_test(test_rewind),
		cmocka_unit_test(test_watch_sees_append),
		cmocka_unit_test(test_api_basics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
