/* Tests of idmark, the id cursor's watermark: a simulated table whose
 * inserts commit out of id order, read every poll like pgsrc reads it
 * (every id above idmark_low, the new ones counted). No id may count
 * twice; an id whose transaction commits within lag of becoming a hole
 * must count once; one that commits later is lost, which the docs say. */
#include "testutil.h"

#include "cxtop/idmark.h"

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
	struct idmark *m = idmark_new(1000);
	assert_int_equal(idmark_low(m), INT64_MIN);
	for (int64_t k = 1; k <= 5; k++)
		assert_int_equal(idmark_see(m, k, 0), 1);
	assert_int_equal(idmark_see(m, 3, 0), 0); /* read again */
	assert_int_equal(idmark_low(m), 5);
	assert_int_equal(idmark_holes(m), 0);
	idmark_free(m);
}

static void test_hole_fills(void **state)
{
	(void)state;
	struct idmark *m = idmark_new(1000);
	idmark_see(m, 1, 0);
	idmark_see(m, 2, 0);
	idmark_see(m, 5, 10); /* 3 and 4 are in flight */
	assert_int_equal(idmark_low(m), 2);
	assert_int_equal(idmark_holes(m), 1);
	assert_int_equal(idmark_see(m, 5, 20), 0);
	assert_int_equal(idmark_see(m, 4, 30), 1);
	assert_int_equal(idmark_low(m), 2);
	assert_int_equal(idmark_see(m, 3, 40), 1);
	assert_int_equal(idmark_low(m), 5);
	/* a hole split in the middle, then given up after lag */
	idmark_see(m, 10, 50);
	assert_int_equal(idmark_see(m, 8, 60), 1);
	assert_int_equal(idmark_holes(m), 2); /* 6-7 and 9 */
	idmark_settle(m, 1049);
	assert_int_equal(idmark_low(m), 5);
	idmark_settle(m, 1050);
	assert_int_equal(idmark_low(m), 10);
	assert_int_equal(idmark_see(m, 7, 1100), 0); /* too late: lost, not counted */
	idmark_free(m);
}

/* What a database said of ids it aggregated (pushdown): the holes of the
 * top of the range, and the highest id. */
static void test_missing(void **state)
{
	(void)state;
	struct idmark *m = idmark_new(1000);
	idmark_seen_up_to(m, 100);
	idmark_missing(m, 40, 41, 0);
	idmark_missing(m, 97, 97, 0);
	assert_int_equal(idmark_low(m), 39);
	assert_int_equal(idmark_see(m, 50, 1), 0);
	assert_int_equal(idmark_see(m, 41, 1), 1);
	assert_int_equal(idmark_see(m, 101, 1), 1);
	assert_int_equal(idmark_see(m, 97, 1), 1);
	assert_int_equal(idmark_low(m), 39);
	assert_int_equal(idmark_see(m, 40, 1), 1);
	assert_int_equal(idmark_low(m), 101);
	idmark_free(m);
}

/* A simulated table: ids handed out in order every 1-3 ms, each commits
 * after a random delay (most at once, some slow, a few never: rolled
 * back); read every poll. */
static void test_simulated(void **state)
{
	(void)state;
	enum { N = 20000 };
	const int64_t lag = 2000, poll = 100;
	static int64_t commit[N + 1];
	static int delivered[N + 1];
	uint64_t rng = 42;
	int64_t t = 0;
	for (int i = 1; i <= N; i++) {
		t += 1 + (int64_t)(splitmix64(&rng) % 3);
		uint64_t r = splitmix64(&rng) % 1000;
		int64_t d = r < 900 ? 0 : r < 990 ? (int64_t)(splitmix64(&rng) % 1500) : r < 995 ? 5000
			  : INT64_MAX / 4; /* rolled back */
		commit[i] = t + d;
	}
	struct idmark *m = idmark_new(lag);
	for (int64_t now = 0; now < t + 10000; now += poll) {
		int64_t low = idmark_low(m);
		for (int i = 1; i <= N; i++)
			if (commit[i] <= now && (low == INT64_MIN || i > low))
				delivered[i] += idmark_see(m, i, now);
		idmark_settle(m, now);
	}
	int lost_slow = 0;
	for (int i = 1; i <= N; i++) {
		assert_true(delivered[i] <= 1);
		if (commit[i] >= INT64_MAX / 8)
			assert_int_equal(delivered[i], 0);
		else if (!delivered[i])
			lost_slow++;
	}
	/* only the 5 s commits (beyond the 2 s lag) may be lost: about 0.5 % */
	for (int i = 1; i <= N; i++) {
		if (commit[i] >= INT64_MAX / 8 || delivered[i])
			continue;
		/* the row's id became a hole when a later id committed; it
		 * was given up lag after that; so it committed later than
		 * the first commit of a higher id plus lag - poll */
		int64_t first_higher = INT64_MAX;
		for (int j = i + 1; j <= N && j < i + 4000; j++)
			if (commit[j] < first_higher)
				first_higher = commit[j];
		assert_true(commit[i] > first_higher + lag - poll);
	}
	assert_true(lost_slow > 0 && lost_slow < N / 100);
	assert_int_equal(idmark_holes(m), 0);
	idmark_free(m);
}

/* More holes than it keeps: the lowest go first, nothing counts twice. */
static void test_cap(void **state)
{
	(void)state;
	struct idmark *m = idmark_new(1000000);
	for (int64_t k = 0; k < 2 * IDMARK_HOLES_MAX + 10; k++)
		idmark_see(m, 2 * k, 0);
	assert_true(idmark_holes(m) <= IDMARK_HOLES_MAX);
	assert_true(idmark_holes(m) > IDMARK_HOLES_MAX / 2);
	assert_int_equal(idmark_see(m, 1, 1), 0); /* given up */
	assert_int_equal(idmark_see(m, 4 * IDMARK_HOLES_MAX + 17, 1), 1);
	assert_int_equal(idmark_see(m, 4 * IDMARK_HOLES_MAX + 17, 1), 0);
	idmark_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_hole_fills),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_simulated),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
