/* Unit tests for seeding the store with a database's pairs (pushdown):
 * a batch of pairs (store_seed_pairs, with its memory hints) leaves the
 * store as the same pairs seeded one by one, and both count each
 * campaign's distinct customers per flag as the pairs say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/intern.h"
#include "cxtop/store.h"

#define TS_N 700 /* more than a batch of hints (256): the loop splits it */
#define TS_CAMPAIGNS 7
#define TS_CUSTOMERS 150

static char ts_camp[TS_N][16], ts_cust[TS_N][16];

/* Pairs that repeat: a customer in a campaign several times, with other
 * flags each time; long customer ids too (past the 8 bytes a slot holds). */
static void ts_pairs(struct store_seed_pair *x)
{
	for (unsigned i = 0; i < TS_N; i++) {
		snprintf(ts_camp[i], sizeof ts_camp[i], "K%u", i % TS_CAMPAIGNS);
		snprintf(ts_cust[i], sizeof ts_cust[i], i % 3 ? "C%05u" : "customer-%05u",
			 (i * 37u) % TS_CUSTOMERS);
		x[i].campaign = ts_camp[i];
		x[i].customer = ts_cust[i];
		x[i].flags = (1u << (i % 8)) | (i % 5 == 0 ? STORE_F_SENT : 0);
	}
}

static const struct store_campaign *ts_campaign(const struct store *s, const char *id)
{
	uint32_t c = intern_find(s->campaign_ids, id, strlen(id));
	assert_true(c != UINT32_MAX);
	return &s->campaigns[c];
}

static void test_batch_equals_one_by_one(void **state)
{
	(void)state;
	static struct store_seed_pair x[TS_N];
	ts_pairs(x);
	struct store *a = store_new(0, 0), *b = store_new(0, 0);
	for (unsigned i = 0; i < TS_N; i++)
		store_seed_pair(a, &x[i]);
	store_seed_pairs(b, x, TS_N);

	/* the distinct customers of each campaign per flag, counted here */
	static unsigned seen[TS_CAMPAIGNS][2 * TS_CUSTOMERS];
	memset(seen, 0, sizeof seen);
	for (unsigned i = 0; i < TS_N; i++)
		seen[i % TS_CAMPAIGNS][(i * 37u) % TS_CUSTOMERS + (i % 3 ? 0 : TS_CUSTOMERS)] |=
			x[i].flags;
	for (unsigned c = 0; c < TS_CAMPAIGNS; c++) {
		char id[16];
		unsigned open = 0, click = 0, bounce = 0, sent_ok = 0;
		for (unsigned u = 0; u < 2 * TS_CUSTOMERS; u++) {
			open += !!(seen[c][u] & STORE_F_OPEN);
			click += !!(seen[c][u] & STORE_F_CLICK);
			bounce += !!(seen[c][u] & STORE_F_BOUNCE);
			sent_ok += (seen[c][u] & STORE_F_SENT) && !(seen[c][u] & STORE_F_BOUNCE);
		}
		snprintf(id, sizeof id, "K%u", c);
		const struct store_campaign *ca = ts_campaign(a, id), *cb = ts_campaign(b, id);
		assert_int_equal(ca->n_open, open);
		assert_int_equal(ca->n_click, click);
		assert_int_equal(ca->n_bounce, bounce);
		assert_int_equal(ca->n_sent_ok, sent_ok);
		assert_true(open > 0 && sent_ok > 0);
		assert_int_equal(cb->n_open, ca->n_open);
		assert_int_equal(cb->n_human, ca->n_human);
		assert_int_equal(cb->n_click, ca->n_click);
		assert_int_equal(cb->n_delivered, ca->n_delivered);
		assert_int_equal(cb->n_unsub, ca->n_unsub);
		assert_int_equal(cb->n_bounce, ca->n_bounce);
		assert_int_equal(cb->n_complaint, ca->n_complaint);
		assert_int_equal(cb->n_sent_ok, ca->n_sent_ok);
	}
	/* the customers in the same order: the same indices */
	assert_int_equal(intern_count(b->customer_ids), intern_count(a->customer_ids));
	for (uint32_t i = 0; i < intern_count(a->customer_ids); i++)
		assert_string_equal(intern_str(b->customer_ids, i), intern_str(a->customer_ids, i));
	assert_int_equal(b->pairs.count, a->pairs.count);
	store_free(a);
	store_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_equals_one_by_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
