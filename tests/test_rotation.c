/* Tests for log rotation under a glob (SPEC 2: a file is known by device
 * and inode whatever its path). A writer appends conversion rows and
 * rotates its log the three ways logrotate and export jobs do:
 * rename-and-create (events.csv -> events.csv.1 -> events.csv.2), dated
 * rename (events.csv -> events-20261101.csv) and copytruncate (copied to
 * events.csv.1, then truncated). The dashboard's ingest reads between the
 * writer's steps, live, and a fresh ingest reads the final directory, as
 * --once does; both must equal the writer's own count of rows and
 * revenue, campaign by campaign. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/store.h"
#include "cxtop/util.h"

#define EV_HDR "timestamp,customer_id,campaign_id,event,value,machine\n"
#define NCAMP 4

struct rot {
	char *dir;
	struct config cfg;
	struct ingest *live;
	uint64_t rows;             /* rows the writer wrote */
	long cents[NCAMP];         /* revenue per campaign, in cents */
	unsigned seq;
};

static int rot_setup(void **state)
{
	struct rot *r = calloc(1, sizeof *r);
	r->dir = tu_tmpdir();
	config_defaults(&r->cfg);
	*state = r;
	return 0;
}

static int rot_teardown(void **state)
{
	struct rot *r = *state;
	ingest_free(r->live);
	config_free(&r->cfg);
	tu_rmrf(r->dir);
	free(r->dir);
	free(r);
	return 0;
}

static void rot_config(struct rot *r, const char *pattern)
{
	char ini[4096], body[256], err[512];
	snprintf(body, sizeof body, "[events]\npath = %s\n", pattern);
	tu_write(r->dir, "cx.ini", "w", body);
	snprintf(ini, sizeof ini, "%s/cx.ini", r->dir);
	config_free(&r->cfg);
	config_defaults(&r->cfg);
	assert_int_equal(config_load(&r->cfg, ini, 1, err, sizeof err), 0);
	r->live = ingest_new(&r->cfg, r->dir);
}

static void rot_path(const struct rot *r, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", r->dir, name);
}

/* Append n conversion rows to name (created with its header if new). */
static void rot_append(struct rot *r, const char *name, int n)
{
	char path[4096];
	struct stat st;
	rot_path(r, name, path, sizeof path);
	int fresh = stat(path, &st) != 0 || st.st_size == 0;
	/* O_APPEND, as a logging writer opens its file: after a copytruncate
	 * it writes at the new end, not at its old offset */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "a");
	if (fresh)
		fputs(EV_HDR, fp);
	for (int i = 0; i < n; i++) {
		unsigned k = r->seq++;
		int camp = (int)(k % NCAMP);
		long cents = 100 + (long)(k % 997) * 7;
		fprintf(fp, "2026-11-%02uT10:%02u:%02uZ,c%u,C%d,conversion,%ld.%02ld,\n",
			1 + k / 86400 % 28, k / 60 % 60, k % 60, k % 500, camp, cents / 100,
			cents % 100);
		r->cents[camp] += cents;
		r->rows++;
	}
	fclose(fp);
}

static void rot_rename(struct rot *r, const char *from, const char *to)
{
	char a[4096], b[4096];
	rot_path(r, from, a, sizeof a);
	rot_path(r, to, b, sizeof b);
	assert_int_equal(rename(a, b), 0);
}

/* Copy from to to: its first half only when half is set. */
static void rot_copy_only(struct rot *r, const char *from, const char *to, int half)
{
	char a[4096], b[4096];
	struct stat st;
	rot_path(r, from, a, sizeof a);
	rot_path(r, to, b, sizeof b);
	assert_int_equal(stat(a, &st), 0);
	size_t want = half ? (size_t)st.st_size / 2 : (size_t)st.st_size;
	char *buf = malloc(want + 1);
	FILE *in = fopen(a, "rb"), *out = fopen(b, "wb");
	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(fread(buf, 1, want, in), want);
	assert_int_equal(fwrite(buf, 1, want, out), want);
	fclose(in);
	fclose(out);
	free(buf);
}

static void rot_truncate(struct rot *r, const char *name)
{
	char a[4096];
	rot_path(r, name, a, sizeof a);
	assert_int_equal(truncate(a, 0), 0);
}

/* logrotate's copytruncate: copy the log's bytes to a new file, then cut
 * the log to 0 bytes in place (same inode). */
static void rot_copytruncate(struct rot *r, const char *from, const char *to)
{
	char a[4096], b[4096], buf[65536];
	rot_path(r, from, a, sizeof a);
	rot_path(r, to, b, sizeof b);
	FILE *in = fopen(a, "rb"), *out = fopen(b, "wb");
	assert_non_null(in);
	assert_non_null(out);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
	assert_int_equal(truncate(a, 0), 0);
}

/* The dashboard's loop: small budgets, so a step can stop mid-file. */
static void rot_step(struct rot *r)
{
	for (int i = 0; i < 64 && (ingest_step(r->live, 4096) & INGEST_MORE); i++)
		;
}

/* What ingest in counts must be what the writer wrote. */
static void rot_expect(const struct rot *r, struct ingest *in, const char *who)
{
	const struct store *s = ingest_store(in);
	const struct ingest_source *src = ingest_source(in, 0);
	if (src->rows != r->rows)
		fail_msg("%s: %llu rows counted, %llu written", who, (unsigned long long)src->rows,
			 (unsigned long long)r->rows);
	assert_int_equal(src->rejected, 0);
	for (int c = 0; c < NCAMP; c++) {
		char id[16];
		snprintf(id, sizeof id, "C%d", c);
		uint32_t k = intern_find(s->campaign_ids, id, strlen(id));
		assert_int_not_equal(k, UINT32_MAX);
		long got = (long)(s->campaigns[k].revenue / (UTIL_MONEY_SCALE / 100));
		if (got != r->cents[c])
			fail_msg("%s: campaign %s revenue %.2f, written %.2f", who, id,
				 got / 100.0, r->cents[c] / 100.0);
	}
}

/* Read the final directory from scratch, as --once does. */
static void rot_expect_once(const struct rot *r)
{
	struct ingest *once = ingest_new(&r->cfg, r->dir);
	ingest_read_all(once);
	ingest_flush_partial(once);
	rot_expect(r, once, "--once");
	ingest_free(once);
}

static void test_rename_and_create(void **state)
{
	struct rot *r = *state;
	rot_config(r, "events.csv*");
	rot_append(r, "events.csv", 300);
	rot_step(r);
	for (int round = 0; round < 4; round++) {
		rot_append(r, "events.csv", 57);
		rot_step(r);
		/* the writer adds rows after the step, then logrotate moves
		 * every generation up one and creates a new log */
		rot_append(r, "events.csv", 11);
		for (int g = round; g >= 1; g--) {
			char from[32], to[32];
			snprintf(from, sizeof from, "events.csv.%d", g);
			snprintf(to, sizeof to, "events.csv.%d", g + 1);
			rot_rename(r, from, to);
		}
		rot_rename(r, "events.csv", "events.csv.1");
		/* the writer has not reopened yet: rows land in the renamed file */
		rot_append(r, "events.csv.1", 5);
		rot_step(r);
		rot_append(r, "events.csv.1", 3);
		rot_append(r, "events.csv", 40);
		rot_step(r);
		rot_expect(r, r->live, "live");
	}
	rot_expect_once(r);
}

static void test_dated_rename(void **state)
{
	struct rot *r = *state;
	rot_config(r, "events*.csv");
	rot_append(r, "events.csv", 250);
	rot_step(r);
	for (int day = 1; day <= 4; day++) {
		char dated[64];
		snprintf(dated, sizeof dated, "events-202611%02d.csv", day);
		rot_append(r, "events.csv", 33);
		rot_rename(r, "events.csv", dated);
		rot_append(r, dated, 4);
		rot_step(r);
		rot_append(r, "events.csv", 21);
		rot_step(r);
		rot_expect(r, r->live, "live");
	}
	rot_expect_once(r);
}

static void test_copytruncate(void **state)
{
	struct rot *r = *state;
	rot_config(r, "events.csv*");
	rot_append(r, "events.csv", 200);
	rot_step(r);
	for (int round = 0; round < 3; round++) {
		rot_append(r, "events.csv", 29);
		rot_step(r);
		for (int g = round; g >= 1; g--) {
			char from[32], to[32];
			snprintf(from, sizeof from, "events.csv.%d", g);
			snprintf(to, sizeof to, "events.csv.%d", g + 1);
			rot_rename(r, from, to);
		}
		if (round == 1) {
			/* the dashboard looks while the copy is made, before the
			 * log is emptied: the copy holds rows already counted */
			rot_copy_only(r, "events.csv", "events.csv.1", 1);
			rot_step(r);
			rot_expect(r, r->live, "live, copy half made");
			rot_copy_only(r, "events.csv", "events.csv.1", 0);
			rot_step(r);
			rot_expect(r, r->live, "live, copy made, log not emptied yet");
			rot_truncate(r, "events.csv");
		} else {
			rot_copytruncate(r, "events.csv", "events.csv.1");
		}
		/* the writer goes on at the start of the emptied file */
		rot_append(r, "events.csv", 17);
		rot_step(r);
		rot_expect(r, r->live, "live");
	}
	rot_expect_once(r);
}

/* One inode under two matching names (a hard link, cp -l) is one file. */
static void test_hard_link_counts_once(void **state)
{
	struct rot *r = *state;
	char a[4096], b[4096];
	rot_config(r, "events*.csv");
	rot_append(r, "events.csv", 120);
	rot_step(r);
	rot_path(r, "events.csv", a, sizeof a);
	rot_path(r, "events-copy.csv", b, sizeof b);
	assert_int_equal(link(a, b), 0);
	rot_append(r, "events.csv", 10);
	rot_step(r);
	rot_expect(r, r->live, "live");
	rot_expect_once(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rename_and_create, rot_setup, rot_teardown),
		cmocka_unit_test_setup_teardown(test_dated_rename, rot_setup, rot_teardown),
		cmocka_unit_test_setup_teardown(test_copytruncate, rot_setup, rot_teardown),
		cmocka_unit_test_setup_teardown(test_hard_link_counts_once, rot_setup, rot_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
