/* storeio (issue 14): a store written into a state and read back gives the
 * same report, byte for byte, for every window (the sample data, settled
 * and not); a loaded store goes on as the original does (the rest of a
 * file applied to both gives the same report again); what is not a store
 * of this build (another mask, a cut or garbled payload) is refused, not
 * half loaded. */
#include <stdio.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/ingest.h"
#include "cxtop/report.h"
#include "cxtop/statefile.h"
#include "cxtop/storeio.h"
#include "cxtop/view.h"

static struct config cfg;
static struct ingest *in;
static char path[64];

static int setup(void **state)
{
	config_defaults(&cfg);
	in = ingest_new(&cfg, "sample_data");
	ingest_read_all(in);
	ingest_flush_partial(in);
	strcpy(path, "/tmp/cxtop-storeio-XXXXXX");
	int fd = mkstemp(path);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	ingest_free(in);
	config_free(&cfg);
	return 0;
}

static char *report(struct store *s, int days)
{
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);
	struct view *v = view_build(s, &cfg, days, INT64_MIN);
	report_write(f, REPORT_JSON, v, in, &cfg, 1);
	fclose(f);
	view_free(v);
	return out;
}

static struct store *round_trip(const struct store *s)
{
	char err[256];
	struct statefile_w *w = statefile_create(path, 1, err, sizeof err);
	assert_non_null(w);
	storeio_save(s, w);
	assert_int_equal(statefile_commit(w, err, sizeof err), 0);
	struct statefile_r *r = statefile_open(path, 1, err, sizeof err);
	assert_non_null(r);
	struct store *l = storeio_load(r, cfg.engaged_events, cfg.hve_events);
	assert_non_null(l);
	assert_false(statefile_bad(r));
	assert_int_equal(statefile_left(r), 0);
	assert_int_equal(statefile_end(r, err, sizeof err), 0);
	statefile_close(r);
	return l;
}

static void same_reports(struct store *a, struct store *b)
{
	static const int windows[] = { 7, 30, 90, 0 };
	for (int i = 0; i < 4; i++) {
		char *x = report(a, windows[i]), *y = report(b, windows[i]);
		assert_true(strlen(x) > 2000);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
}

static void test_sample_round_trip(void **state)
{
	struct store *s = (struct store *)ingest_store(in);
	struct store *l = round_trip(s);
	assert_int_equal(intern_count(l->customer_ids), intern_count(s->customer_ids));
	assert_int_equal(l->pairs.count, s->pairs.count);
	same_reports(s, l);
	/* the texts behind a histogram bar (the responses screen), which the
	 * report does not print */
	assert_int_equal(l->nresponses, s->nresponses);
	size_t texts = 0;
	for (size_t i = 0; i < s->nresponses; i++) {
		assert_string_equal(store_comment(s, &s->responses[i]), store_comment(l, &l->responses[i]));
		texts += store_comment(s, &s->responses[i])[0] != '\0';
	}
	assert_true(texts > 100);
	store_free(l);
}

/* records to every store in the list */
struct many {
	struct store *s[2];
	int n;
};

static void on_record(void *ctx, const struct record *r, uint64_t line)
{
	struct many *m = ctx;
	for (int i = 0; i < m->n; i++)
		store_apply(m->s[i], r);
}

static void on_reject(void *ctx, uint64_t line, const char *why)
{
}

static const struct csvin_sink sink = { .record = on_record, .reject = on_reject };

static char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(*n + 1);
	assert_int_equal(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void test_goes_on_after_load(void **state)
{
	struct many m = { .s = { store_new(cfg.engaged_events, cfg.hve_events) }, .n = 1 };
	struct csvin *c[16];
	char *text[16];
	size_t len[16], cut[16];
	for (size_t k = 0; k < cfg.nsources; k++) {
		char p[256];
		snprintf(p, sizeof p, "sample_data/%s", cfg.sources[k].path);
		text[k] = slurp(p, &len[k]);
		/* logs are cut in the middle of a row, snapshots read whole */
		cut[k] = schema_kind_file_kind(cfg.sources[k].kind) == SCHEMA_LOG ? len[k] * 2 / 5 + 3
										    : len[k];
		c[k] = csvin_new(&cfg.sources[k]);
		csvin_feed(c[k], text[k], cut[k], &sink, &m);
	}
	store_settle(m.s[0]);
	m.s[1] = round_trip(m.s[0]);
	same_reports(m.s[0], m.s[1]);
	/* the rest to both: new pairs, responses, days; tables that grow */
	size_t pairs = m.s[0]->pairs.count, responses = m.s[0]->nresponses;
	m.n = 2;
	for (size_t k = 0; k < cfg.nsources; k++) {
		csvin_feed(c[k], text[k] + cut[k], len[k] - cut[k], &sink, &m);
		csvin_end(c[k], &sink, &m);
		csvin_free(c[k]);
		free(text[k]);
	}
	assert_true(m.s[1]->pairs.count > pairs);
	assert_true(m.s[1]->nresponses > responses);
	store_settle(m.s[0]);
	store_settle(m.s[1]);
	same_reports(m.s[0], m.s[1]);
	store_free(m.s[0]);
	store_free(m.s[1]);
}

static void test_refused(void **state)
{
	char err[256];
	const struct store *s = ingest_store(in);
	/* another engaged mask: another config's store */
	struct statefile_w *w = statefile_create(path, 1, err, sizeof err);
	storeio_save(s, w);
	assert_int_equal(statefile_commit(w, err, sizeof err), 0);
	struct statefile_r *r = statefile_open(path, 1, err, sizeof err);
	assert_null(storeio_load(r, cfg.engaged_events ^ 1, cfg.hve_events));
	assert_true(statefile_bad(r));
	statefile_close(r);
	/* a payload cut at many points (each a valid state file of its own
	 * length): never loaded, never a crash */
	w = statefile_create(path, 1, err, sizeof err);
	storeio_save(s, w);
	uint64_t total = statefile_written(w);
	statefile_abort(w);
	for (uint64_t cutat = 0; cutat < total; cutat += total / 97 + 1) {
		struct statefile_w *full = statefile_create(path, 1, err, sizeof err);
		storeio_save(s, full);
		statefile_abort(full);
		/* the first cutat bytes of the store, as a payload */
		char tmp[96];
		snprintf(tmp, sizeof tmp, "%s.full", path);
		struct statefile_w *fw = statefile_create(tmp, 1, err, sizeof err);
		storeio_save(s, fw);
		assert_int_equal(statefile_commit(fw, err, sizeof err), 0);
		struct statefile_r *fr = statefile_open(tmp, 1, err, sizeof err);
		const void *bytes = statefile_get_view(fr, (size_t)cutat);
		struct statefile_w *cw = statefile_create(path, 1, err, sizeof err);
		statefile_put(cw, bytes, (size_t)cutat);
		statefile_put_u64(cw, 0xdeadbeefULL); /* and garbage after */
		assert_int_equal(statefile_commit(cw, err, sizeof err), 0);
		statefile_close(fr);
		unlink(tmp);
		r = statefile_open(path, 1, err, sizeof err);
		assert_non_null(r);
		assert_null(storeio_load(r, cfg.engaged_events, cfg.hve_events));
		statefile_close(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_round_trip),
		cmocka_unit_test(test_goes_on_after_load),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
