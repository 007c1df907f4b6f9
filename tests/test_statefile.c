/* statefile (issue 14): what is written is read back exactly; a state
 * that is missing, cut short, of another version or config, or has any
 * one bit flipped is refused with its reason; a failed write (the file
 * size limit standing in for a full disk) leaves the old state and no
 * temporary file; an unwritable directory is an error, not a crash. */
#include "testutil.h"

#include "cxtop/statefile.h"
#include "cxtop/util.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/cxtop-statefile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

static char *path_in(const char *name)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void write_sample(const char *path, uint64_t deps)
{
	char err[256];
	struct statefile_w *w = statefile_create(path, deps, err, sizeof err);
	assert_non_null(w);
	statefile_put_u32(w, 42);
	statefile_put_u64(w, UINT64_MAX - 1);
	statefile_put_i64(w, -7);
	statefile_put_f64(w, 0.125);
	statefile_put_str(w, "Köln, Düsseldorf");
	statefile_put_str(w, "");
	statefile_put_str(w, NULL);
	unsigned char big[100000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7 + 3);
	statefile_put(w, big, sizeof big);
	assert_int_equal(statefile_written(w), 4 + 8 + 8 + 8 + 8 + strlen("Köln, Düsseldorf") + 8 + 8 + sizeof big);
	assert_int_equal(statefile_commit(w, err, sizeof err), 0);
}

static void test_round_trip(void **state)
{
	char err[256];
	const char *p = path_in("a/b/s.state");
	write_sample(p, 99);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct statefile_r *r = statefile_open(p, 99, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(statefile_get_u32(r), 42);
	assert_true(statefile_get_u64(r) == UINT64_MAX - 1);
	assert_int_equal(statefile_get_i64(r), -7);
	assert_true(statefile_get_f64(r) == 0.125);
	char *s = statefile_get_str(r);
	assert_string_equal(s, "Köln, Düsseldorf");
	free(s);
	s = statefile_get_str(r);
	assert_string_equal(s, "");
	free(s);
	assert_null(statefile_get_str(r));
	const unsigned char *big = statefile_get_view(r, 100000);
	assert_non_null(big);
	assert_int_equal(big[99999], (unsigned char)(99999 * 7 + 3));
	assert_false(statefile_bad(r));
	assert_int_equal(statefile_left(r), 0);
	assert_int_equal(statefile_end(r, err, sizeof err), 0);
	/* past the end: zeros, and the reader is bad */
	assert_int_equal(statefile_get_u64(r), 0);
	assert_true(statefile_bad(r));
	statefile_close(r);
}

static void test_refusals(void **state)
{
	char err[256];
	const char *p = path_in("r.state");
	assert_null(statefile_open(p, 1, err, sizeof err));
	assert_string_equal(err, "no state yet");
	write_sample(p, 5);
	assert_null(statefile_open(p, 6, err, sizeof err));
	assert_non_null(strstr(err, "written by another version of cxtop or for another config"));
	/* one byte of the payload changed: the header passes, the sum not */
	{
		FILE *g = fopen(p, "r+b");
		fseek(g, 40, SEEK_SET);
		int c = fgetc(g);
		fseek(g, 40, SEEK_SET);
		fputc(c ^ 0x10, g);
		fclose(g);
		struct statefile_r *r = statefile_open(p, 5, err, sizeof err);
		assert_non_null(r);
		while (statefile_left(r))
			statefile_get_view(r, statefile_left(r) < 1000 ? (size_t)statefile_left(r) : 1000);
		assert_int_equal(statefile_end(r, err, sizeof err), -1);
		assert_non_null(strstr(err, "damaged: its checksum is wrong"));
		statefile_close(r);
		write_sample(p, 5);
	}
	/* cut short */
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size - 1), 0);
	assert_null(statefile_open(p, 5, err, sizeof err));
	assert_non_null(strstr(err, "damaged"));
	/* a file that is not a state */
	FILE *f = fopen(p, "w");
	fputs("timestamp,customer_id\n", f);
	fclose(f);
	assert_null(statefile_open(p, 5, err, sizeof err));
	assert_non_null(strstr(err, "not a cxtop state"));
}

static void test_every_flipped_bit(void **state)
{
	char err[256];
	const char *p = path_in("f.state");
	struct statefile_w *w = statefile_create(p, 3, err, sizeof err);
	assert_non_null(w);
	for (uint32_t i = 0; i < 40; i++)
		statefile_put_u32(w, i * 2654435761u);
	assert_int_equal(statefile_commit(w, err, sizeof err), 0);
	FILE *f = fopen(p, "rb");
	unsigned char buf[512];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	size_t refused = 0;
	for (size_t bit = 0; bit < n * 8; bit++) {
		buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
		f = fopen(p, "wb");
		fwrite(buf, 1, n, f);
		fclose(f);
		/* refused by its header, or once read, by the checksum */
		struct statefile_r *r = statefile_open(p, 3, err, sizeof err);
		refused += r == NULL || statefile_end(r, err, sizeof err) != 0;
		statefile_close(r);
		buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
	}
	assert_int_equal(refused, n * 8);
	/* and unflipped it is read */
	f = fopen(p, "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	struct statefile_r *r = statefile_open(p, 3, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(statefile_get_u32(r), 0);
	assert_int_equal(statefile_end(r, err, sizeof err), 0);
	statefile_close(r);
}

/* Tables: a large one comes back as a private mapping of the file's own
 * pages (page-aligned, the same bytes), which may be written without
 * touching the file, grown and freed as a malloc'd one; a small one is a
 * copy; a bit flipped inside a mapped table fails the checksum. */
static void fill(unsigned char *t, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		t[i] = (unsigned char)(i * 131 + seed + (i >> 12));
}

static void test_tables(void **state)
{
	char err[256];
	const char *p = path_in("t.state");
	size_t nbig = 300001, nsmall = 1000, nlarge = (1u << 20) + 5;
	unsigned char *big = malloc(nbig), *small = malloc(nsmall), *large = malloc(nlarge);
	fill(big, nbig, 1);
	fill(small, nsmall, 2);
	fill(large, nlarge, 3);
	struct statefile_w *w = statefile_create(p, 4, err, sizeof err);
	assert_non_null(w);
	statefile_put_u32(w, 7); /* the table starts off a page */
	statefile_put_table(w, big, nbig);
	statefile_put_u32(w, 8);
	statefile_put_table(w, small, nsmall);
	statefile_put_table(w, large, nlarge);
	statefile_put_u32(w, 9);
	assert_int_equal(statefile_commit(w, err, sizeof err), 0);
	for (int round = 0; round < 2; round++) {
		struct statefile_r *r = statefile_open(p, 4, err, sizeof err);
		assert_non_null(r);
		assert_int_equal(statefile_get_u32(r), 7);
		unsigned char *a = statefile_get_table(r, nbig);
		assert_int_equal(statefile_get_u32(r), 8);
		unsigned char *b = statefile_get_table(r, nsmall);
		unsigned char *c = statefile_get_table(r, nlarge);
		assert_int_equal(statefile_get_u32(r), 9);
		assert_int_equal(statefile_left(r), 0);
		assert_int_equal(statefile_end(r, err, sizeof err), 0);
		statefile_close(r);
		assert_int_equal((uintptr_t)a % 4096, 0);
		assert_int_equal((uintptr_t)c % 4096, 0);
		assert_memory_equal(a, big, nbig);
		assert_memory_equal(b, small, nsmall);
		assert_memory_equal(c, large, nlarge);
		/* written: the file stays (the second round reads it again) */
		memset(a, 0xee, nbig);
		c[nlarge - 1] ^= 0xff;
		a = xrealloc_table(a, 2 * nbig);
		assert_memory_equal(a, (unsigned char[64]){ [0 ... 63] = 0xee }, 64);
		memset(a + nbig, 1, nbig);
		c = xrealloc_table(c, nlarge - 5);
		assert_memory_equal(c, large, nlarge - 5);
		xfree_table(a);
		xfree_table(b);
		xfree_table(c);
	}
	/* a bit flipped in the large table (file bytes 311296 on: 28 + 4,
	 * a page, the big table, its pad, 4 + 1000, the next page) */
	FILE *f = fopen(p, "r+b");
	fseek(f, 320000, SEEK_SET);
	int ch = fgetc(f);
	fseek(f, 320000, SEEK_SET);
	fputc(ch ^ 4, f);
	fclose(f);
	struct statefile_r *r = statefile_open(p, 4, err, sizeof err);
	assert_non_null(r);
	statefile_get_u32(r);
	xfree_table(statefile_get_table(r, nbig));
	statefile_get_u32(r);
	xfree_table(statefile_get_table(r, nsmall));
	xfree_table(statefile_get_table(r, nlarge));
	assert_int_equal(statefile_end(r, err, sizeof err), -1);
	assert_non_null(strstr(err, "checksum"));
	statefile_close(r);
	free(big);
	free(small);
	free(large);
}

static size_t tmp_files(void)
{
	size_t k = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)))
		k += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return k;
}

static void test_failed_write_keeps_old(void **state)
{
	char err[256];
	const char *p = path_in("w.state");
	write_sample(p, 8);
	/* a write past the file size limit fails as a full disk does */
	struct rlimit old, lim = { 4096, 4096 };
	getrlimit(RLIMIT_FSIZE, &old);
	lim.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	struct statefile_w *w = statefile_create(p, 8, err, sizeof err);
	assert_non_null(w);
	unsigned char big[3 << 20] = { 1 };
	statefile_put(w, big, sizeof big);
	assert_int_equal(statefile_commit(w, err, sizeof err), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_non_null(strstr(err, "cannot write the state"));
	assert_int_equal(tmp_files(), 0);
	struct statefile_r *r = statefile_open(p, 8, err, sizeof err);
	assert_non_null(r); /* the old one, whole */
	assert_int_equal(statefile_get_u32(r), 42);
	statefile_close(r);
}

static void test_unwritable_dir(void **state)
{
	char err[256];
	if (geteuid() == 0) {
		/* root writes anywhere: a path under a regular file instead */
		FILE *f = fopen(path_in("plain"), "w");
		fclose(f);
		assert_null(statefile_create(path_in("plain/s.state"), 1, err, sizeof err));
	} else {
		assert_int_equal(mkdir(path_in("ro"), 0500), 0);
		assert_null(statefile_create(path_in("ro/s.state"), 1, err, sizeof err));
	}
	assert_non_null(strstr(err, "cannot"));
}

static void test_path(void **state)
{
	char err[256];
	setenv("XDG_STATE_HOME", dir, 1);
	char *a = statefile_path("", "/tmp", err, sizeof err);
	char *b = statefile_path("", "/tmp/", err, sizeof err);
	char *c = statefile_path("/etc/hostname", "/tmp", err, sizeof err);
	assert_non_null(a);
	assert_string_equal(a, b); /* one directory under two names */
	assert_string_not_equal(a, c);
	assert_true(strncmp(a, dir, strlen(dir)) == 0);
	assert_non_null(strstr(a, "/cxtop/"));
	free(a);
	free(b);
	free(c);
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/analyst", 1);
	a = statefile_path("", "/tmp", err, sizeof err);
	assert_true(strncmp(a, "/home/analyst/.local/state/cxtop/", 33) == 0);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_flipped_bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
