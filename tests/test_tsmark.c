/* Tests of tsmark, the ingestion-time cursor's watermark: a simulated
 * table whose rows carry the time their transaction began and become
 * visible when it commits, read every poll like pgsrc reads it (every row
 * at or above tsmark_low, the new ones counted). No row may count twice; a
 * row whose commit comes within lag (less one poll) of its time must count
 * once; a later one may be lost, which the docs say. */
#include "testutil.h"

#include "cxtop/tsmark.h"

/* splitmix64, as the data generator's (tests/splitmix.h) */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static void test_in_order(void **state)
{
	(void)state;
	struct tsmark *m = tsmark_new(1000);
	assert_true(tsmark_low(m) == INT64_MIN);
	for (int64_t k = 1; k <= 5; k++)
		assert_int_equal(tsmark_see(m, 10000 + k * 100, k), 1);
	assert_true(tsmark_high(m) == 10500);
	assert_true(tsmark_low(m) == 9500);
	/* read again: every row is at or above the low mark */
	for (int64_t k = 1; k <= 5; k++)
		assert_int_equal(tsmark_see(m, 10000 + k * 100, k), 0);
	/* a late commit inside the lag: new, once */
	assert_int_equal(tsmark_see(m, 9600, 42), 1);
	assert_int_equal(tsmark_see(m, 9600, 42), 0);
	/* the mark moves on: the old rows are below it, a row there is not
	 * asked for again, and one that comes anyway is taken as new (the
	 * read that asks for rows at or above the mark never brings it) */
	assert_int_equal(tsmark_see(m, 20000, 6), 1);
	assert_true(tsmark_low(m) == 19000);
	assert_int_equal(tsmark_see(m, 20000, 6), 0);
	/* keys INT64_MIN and 0, which a hash set of nonzero keys must not
	 * confuse */
	assert_int_equal(tsmark_see(m, 20001, 0), 1);
	assert_int_equal(tsmark_see(m, 20001, INT64_MIN), 1);
	assert_int_equal(tsmark_see(m, 20001, 0), 0);
	assert_int_equal(tsmark_see(m, 20001, INT64_MIN), 0);
	tsmark_free(m);
}

struct row {
	int64_t ts, commit;
	int counted;
};

/* Rows begin every 1 to 3 time units; most commit at once, some a little
 * later, a few later than lag. A poll every 7 units reads the committed
 * rows at or above the low mark, in time order as the SQL asks. */
static void test_late_commits(void **state)
{
	(void)state;
	enum { N = 200000, LAG = 500, POLL = 7 };
	static struct row r[N];
	uint64_t seed = 20261202;
	int64_t t = 1000000;
	for (int i = 0; i < N; i++) {
		t += 1 + (int64_t)(splitmix64(&seed) % 3);
		uint64_t d = splitmix64(&seed) % 1000;
		int64_t delay = d < 900 ? 0 : d < 990 ? (int64_t)(d % 400) : LAG + (int64_t)(d % 300);
		r[i] = (struct row){t, t + delay, 0};
	}
	struct tsmark *m = tsmark_new(LAG);
	size_t most = 0;
	int first = 0; /* rows before it are below every mark to come */
	for (int64_t now = 1000000; now <= t + 2000; now += POLL) {
		int64_t low = tsmark_low(m);
		while (low != INT64_MIN && first < N && r[first].ts < low - 2 * LAG)
			first++;
		for (int i = first; i < N && r[i].ts <= now; i++) {
			if (r[i].commit > now || r[i].ts < low)
				continue;
			if (tsmark_see(m, r[i].ts, i))
				r[i].counted++;
		}
		if (tsmark_kept(m) > most)
			most = tsmark_kept(m);
	}
	int lost = 0;
	for (int i = 0; i < N; i++) {
		if (r[i].counted > 1)
			fail_msg("row %d (time %lld) counted %d times", i, (long long)r[i].ts,
				 r[i].counted);
		if (r[i].commit - r[i].ts <= LAG - POLL && r[i].counted != 1)
			fail_msg("row %d committed %lld after its time, within lag %d: counted %d",
				 i, (long long)(r[i].commit - r[i].ts), LAG, r[i].counted);
		lost += !r[i].counted;
	}
	/* the ones beyond lag are lost, the docs say so: some must be, or
	 * the test does not test the limit */
	assert_true(lost > 0 && lost < N / 50);
	/* memory: the last lag of rows (a row per 2 units: 250), not all */
	assert_true(most < 4000);
	tsmark_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_late_commits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
