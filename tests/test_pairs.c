/* Unit tests for pairs: the (campaign, customer) set keeps every pair
 * once with the flags set on it, across the table's growth, at the largest
 * campaign and customer indices an entry can hold, and as the store walks
 * it (every nonzero slot one pair, parts decoded back). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/pairs.h"

/* A deterministic spread of pairs: campaign i % 500, customer i * 7919. */
static uint32_t tp_campaign(uint32_t i)
{
	return i % 500;
}

static uint32_t tp_customer(uint32_t i)
{
	return i * 7919u;
}

static void test_put_and_flags(void **state)
{
	struct pairs p;
	int added;
	pairs_init(&p);
	uint64_t *e = pairs_put(&p, 3, 42, &added);
	assert_int_equal(added, 1);
	assert_int_equal(pairs_flags(*e), 0);
	pairs_set(e, 0x01);
	pairs_set(e, 0x80);
	e = pairs_put(&p, 3, 42, &added);
	assert_int_equal(added, 0);
	assert_int_equal(pairs_flags(*e), 0x81);
	assert_int_equal(pairs_campaign(*e), 3);
	assert_int_equal(pairs_customer(*e), 42);
	/* the same customer in another campaign is another pair */
	e = pairs_put(&p, 4, 42, &added);
	assert_int_equal(added, 1);
	assert_int_equal(pairs_flags(*e), 0);
	assert_int_equal(p.count, 2);
	pairs_clear(&p);
	assert_int_equal(p.count, 0);
	e = pairs_put(&p, 3, 42, &added);
	assert_int_equal(added, 1);
	pairs_clear(&p);
}

static void test_growth_keeps_everything(void **state)
{
	const uint32_t n = 300000;
	struct pairs p;
	int added;
	pairs_init(&p);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t *e = pairs_put(&p, tp_campaign(i), tp_customer(i), &added);
		assert_int_equal(added, 1);
		pairs_set(e, i & 0xff);
	}
	assert_int_equal(p.count, n);
	assert_true(p.count * 10 <= p.cap * 7);
	/* every pair found again with its flags; none added twice */
	for (uint32_t i = 0; i < n; i++) {
		uint64_t *e = pairs_put(&p, tp_campaign(i), tp_customer(i), &added);
		assert_int_equal(added, 0);
		assert_int_equal(pairs_flags(*e), i & 0xff);
	}
	/* a walk over the slots sees each pair once, parts intact */
	size_t seen = 0;
	uint64_t sum_c = 0, sum_u = 0, want_c = 0, want_u = 0;
	for (size_t i = 0; i < p.cap; i++) {
		if (!p.e[i])
			continue;
		seen++;
		sum_c += pairs_campaign(p.e[i]);
		sum_u += pairs_customer(p.e[i]);
	}
	for (uint32_t i = 0; i < n; i++) {
		want_c += tp_campaign(i);
		want_u += tp_customer(i);
	}
	assert_int_equal(seen, n);
	assert_true(sum_c == want_c);
	assert_true(sum_u == want_u);
	pairs_clear(&p);
}

/* A reservation made before the rows come holds them without growing, and
 * one made over existing pairs keeps them. */
static void test_reserve(void **state)
{
	struct pairs p;
	int added;
	pairs_init(&p);
	for (uint32_t i = 0; i < 100; i++)
		pairs_set(pairs_put(&p, tp_campaign(i), tp_customer(i), &added), 1u << (i % 8));
	pairs_reserve(&p, 300000);
	size_t cap = p.cap;
	assert_true(cap * 7 / 10 >= 300000);
	assert_true(cap <= 1u << 20); /* not more than the next power of two needs */
	for (uint32_t i = 0; i < 300000; i++)
		pairs_put(&p, tp_campaign(i), tp_customer(i), &added);
	assert_int_equal(p.cap, cap); /* no growth */
	assert_int_equal(p.count, 300000);
	for (uint32_t i = 0; i < 100; i++) {
		uint64_t *e = pairs_put(&p, tp_campaign(i), tp_customer(i), &added);
		assert_int_equal(added, 0);
		assert_int_equal(pairs_flags(*e), 1u << (i % 8));
	}
	pairs_reserve(&p, 10); /* never shrinks */
	assert_int_equal(p.cap, cap);
	pairs_clear(&p);
}

static void test_extremes(void **state)
{
	struct pairs p;
	int added;
	pairs_init(&p);
	/* campaign 0 and customer 0 are a real pair, not an empty slot */
	uint64_t *e = pairs_put(&p, 0, 0, &added);
	assert_int_equal(added, 1);
	assert_true(*e != 0);
	pairs_set(e, 0xff);
	e = pairs_put(&p, PAIRS_CAMPAIGNS_MAX, UINT32_MAX, &added);
	assert_int_equal(added, 1);
	pairs_set(e, 0x40);
	assert_int_equal(pairs_campaign(*e), PAIRS_CAMPAIGNS_MAX);
	assert_int_equal(pairs_customer(*e), UINT32_MAX);
	assert_int_equal(pairs_flags(*e), 0x40);
	/* all flags set on one pair leave its neighbours' keys alone */
	e = pairs_put(&p, 0, 0, &added);
	assert_int_equal(added, 0);
	assert_int_equal(pairs_flags(*e), 0xff);
	assert_int_equal(pairs_campaign(*e), 0);
	assert_int_equal(pairs_customer(*e), 0);
	e = pairs_put(&p, 0, 1, &added);
	assert_int_equal(added, 1);
	assert_int_equal(p.count, 3);
	pairs_clear(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_and_flags),
		cmocka_unit_test(test_growth_keeps_everything),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
