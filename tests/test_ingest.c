/* Tests for ingest: the whole pipeline on real files in a temporary
 * directory — appends, partial lines, quoted newlines across appends,
 * rotation, truncation, rewrites, snapshot rebuilds, waiting for files,
 * globs, header errors — checked by the counts a user would read. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/store.h"
#include "cxtop/view.h"

#define EV_HDR "timestamp,customer_id,campaign_id,event,value,machine\n"
#define RESP_HDR "timestamp,customer_id,survey,score,campaign_id,segment,comment\n"

struct fx {
	char *dir;
	struct config cfg;
	struct ingest *in;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = tu_tmpdir();
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	ingest_free(f->in);
	config_free(&f->cfg);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static const struct ingest_source *fx_src(struct fx *f, const char *name)
{
	for (size_t i = 0; i < ingest_nsources(f->in); i++)
		if (!strcmp(ingest_source(f->in, i)->cfg->name, name))
			return ingest_source(f->in, i);
	fail_msg("no source %s", name);
	return NULL;
}

static uint32_t fx_campaign_field(struct fx *f, const char *id, int which)
{
	const struct store *s = ingest_store(f->in);
	uint32_t c = intern_find(s->campaign_ids, id, strlen(id));
	if (c == UINT32_MAX)
		return 0;
	const struct store_campaign *sc = &s->campaigns[c];
	return which == 0 ? sc->sent : which == 1 ? store_campaign_delivered(sc) : sc->n_click;
}

static void fx_run(struct fx *f)
{
	if (!f->in)
		f->in = ingest_new(&f->cfg, f->dir);
	ingest_read_all(f->in);
}

static void test_append_reads_only_new_bytes(void **state)
{
	struct fx *f = *state;
	uint64_t done0, total0, done1, total1;
	const char *more = "2026-11-02T10:00:00Z,c9,A,sent,,\n";

	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n2026-11-01T10:00:01Z,c2,A,sent,,\n");
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rows, 2);
	ingest_progress(f->in, &done0, &total0);
	tu_write(f->dir, "events.csv", "a", more);
	assert_true(ingest_step(f->in, 1 << 20) & INGEST_CHANGED);
	ingest_progress(f->in, &done1, &total1);
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(done1 - done0, strlen(more));
	assert_int_equal(fx_campaign_field(f, "A", 0), 3);
	/* nothing changed: nothing read, and the step says so */
	assert_false(ingest_step(f->in, 1 << 20) & INGEST_CHANGED);
}

static void test_partial_line_waits(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,se");
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rows, 0);
	tu_write(f->dir, "events.csv", "a", "nt,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 1);
	assert_int_equal(fx_src(f, "events")->rejected, 0);
	assert_int_equal(fx_campaign_field(f, "A", 0), 1);
}

static void test_quoted_newline_across_appends(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "responses.csv", "w",
		 RESP_HDR "2026-11-01T10:00:00Z,c1,nps,9,,,\"first line\n");
	fx_run(f);
	assert_int_equal(fx_src(f, "responses")->rows, 0);
	tu_write(f->dir, "responses.csv", "a",
		 "second line\"\n2026-11-01T11:00:00Z,c2,nps,11,,,\n");
	ingest_read_all(f->in);
	const struct store *s = ingest_store(f->in);
	assert_int_equal(fx_src(f, "responses")->rows, 1);
	assert_int_equal(s->nresponses, 1);
	assert_string_equal(store_comment(s, &s->responses[0]), "first line\nsecond line");
	/* the bad row after the two-line comment is line 4 of the file */
	assert_int_equal(ingest_nrejections(f->in), 1);
	assert_int_equal(ingest_rejection(f->in, 0)->line, 4);
	assert_string_equal(ingest_rejection(f->in, 0)->reason,
			    "score \"11\": out of range 0-10 for nps");
}

static void test_rotation_keeps_history(void **state)
{
	struct fx *f = *state;
	char a[4096], b[4096];

	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n");
	fx_run(f);
	/* a row lands in the old file just before it is rotated away */
	tu_write(f->dir, "events.csv", "a", "2026-11-01T10:00:02Z,c2,A,sent,,\n");
	snprintf(a, sizeof a, "%s/events.csv", f->dir);
	snprintf(b, sizeof b, "%s/events.csv.1", f->dir);
	assert_int_equal(rename(a, b), 0);
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-02T10:00:00Z,c3,A,sent,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 3);
	assert_int_equal(fx_campaign_field(f, "A", 0), 3);
}

static void test_truncation_recomputes(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n2026-11-01T10:00:00Z,c2,A,sent,,\n"
			"2026-11-01T10:00:00Z,c3,A,sent,,\n");
	fx_run(f);
	assert_int_equal(fx_campaign_field(f, "A", 0), 3);
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-05T10:00:00Z,c1,B,sent,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 1);
	assert_int_equal(fx_campaign_field(f, "A", 0), 0);
	assert_int_equal(fx_campaign_field(f, "B", 0), 1);
}

static void test_rewrite_in_place_recomputes(void **state)
{
	struct fx *f = *state;
	/* same header, same length, different rows: only the bytes after the
	 * header tell the difference */
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,click,,\n");
	fx_run(f);
	assert_int_equal(fx_campaign_field(f, "A", 2), 1);
	sleep(1); /* a different mtime, as a real export job would leave */
	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c1,A,click,,\n2026-11-01T10:00:00Z,c2,A,click,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_campaign_field(f, "A", 2), 2);
	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c7,Z,click,,\n2026-11-01T10:00:00Z,c8,Z,click,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_campaign_field(f, "A", 2), 0);
	assert_int_equal(fx_campaign_field(f, "Z", 2), 2);
	assert_int_equal(fx_src(f, "events")->rows, 2);
}

static void test_snapshot_rebuilt_alone(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n");
	tu_write(f->dir, "customers.csv", "w",
		 "customer_id,signup_date,opted_in\nc1,2026-01-01,yes\nc2,2026-01-01,no\n");
	fx_run(f);
	struct view *v = view_build(ingest_store(f->in), &f->cfg, 0, INT64_MIN);
	assert_int_equal(v->cx.customers, 2);
	assert_int_equal(v->cx.opted_in, 1);
	view_free(v);
	tu_write(f->dir, "customers.csv", "w",
		 "customer_id,signup_date,opted_in\nc1,2026-01-01,yes\nc3,2026-01-01,yes\n"
		 "c4,2026-01-01,yes\n");
	ingest_read_all(f->in);
	v = view_build(ingest_store(f->in), &f->cfg, 0, INT64_MIN);
	assert_int_equal(v->cx.customers, 3);
	assert_int_equal(v->cx.opted_in, 3);
	view_free(v);
	/* the events were not read again */
	assert_int_equal(fx_src(f, "events")->rows, 1);
	assert_int_equal(fx_campaign_field(f, "A", 0), 1);
}

static void test_missing_file_is_waited_for(void **state)
{
	struct fx *f = *state;
	fx_run(f);
	assert_int_equal(ingest_rows(f->in), 0);
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 1);
}

static void test_header_error_one_source(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w",
		 "when,who,what\n2026-11-01T10:00:00Z,c1,sent\n");
	tu_write(f->dir, "responses.csv", "w", RESP_HDR "2026-11-01T10:00:00Z,c1,nps,9,,,\n");
	fx_run(f);
	const struct ingest_source *e = fx_src(f, "events");
	assert_non_null(e->header_error);
	assert_non_null(strstr(e->header_error, "events.csv: missing columns timestamp, "
						 "customer_id, campaign_id, event (found: when, who, what)"));
	assert_int_equal(e->rows, 0);
	assert_int_equal(e->rejected, 0);
	assert_int_equal(fx_src(f, "responses")->rows, 1);
}

static void test_rejections_counted_and_kept(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "responses.csv", "w",
		 RESP_HDR "2026-11-01T10:00:00Z,c1,nps,9,,,\n"
			  "2026-13-01T10:00:00Z,c1,nps,9,,,\n"
			  "2026-11-01T10:00:00Z,c1,nps,11,,,\n"
			  "2026-11-01T10:00:00Z,c1,nps,NA,,,\n");
	fx_run(f);
	const struct ingest_source *r = fx_src(f, "responses");
	assert_int_equal(r->rows, 1);
	assert_int_equal(r->rejected, 2);
	assert_int_equal(r->na, 1);
	assert_int_equal(ingest_rejection(f->in, 0)->line, 4);
	assert_string_equal(ingest_rejection(f->in, 0)->reason,
			    "score \"11\": out of range 0-10 for nps");
	assert_int_equal(ingest_rejection(f->in, 1)->line, 3);
	assert_non_null(strstr(ingest_rejection(f->in, 1)->file, "responses.csv"));
}

static void test_rejection_ring_is_bounded(void **state)
{
	struct fx *f = *state;
	FILE *o;
	char path[4096];
	snprintf(path, sizeof path, "%s/events.csv", f->dir);
	o = fopen(path, "w");
	fputs(EV_HDR, o);
	for (int i = 0; i < 1500; i++)
		fprintf(o, "not-a-date-%d,c1,A,sent,,\n", i);
	fclose(o);
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rejected, 1500);
	assert_int_equal(ingest_nrejections(f->in), INGEST_REJECTIONS_MAX);
	/* the newest first: line 1501 holds row 1499 */
	assert_int_equal(ingest_rejection(f->in, 0)->line, 1501);
	assert_int_equal(ingest_rejection(f->in, INGEST_REJECTIONS_MAX - 1)->line, 502);
}

static void test_glob_sources_count_together(void **state)
{
	struct fx *f = *state;
	char ini[4096];
	char err[512];
	tu_write(f->dir, "cx.ini", "w", "[events]\npath = events-*.csv\n");
	snprintf(ini, sizeof ini, "%s/cx.ini", f->dir);
	config_free(&f->cfg);
	config_defaults(&f->cfg);
	assert_int_equal(config_load(&f->cfg, ini, 1, err, sizeof err), 0);
	tu_write(f->dir, "events-2026-10.csv", "w", EV_HDR "2026-10-01T10:00:00Z,c1,A,sent,,\n");
	tu_write(f->dir, "events-2026-11.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c2,A,sent,,\n");
	fx_run(f);
	assert_int_equal(ingest_nsources(f->in), 1);
	assert_int_equal(fx_src(f, "events")->nfiles, 2);
	assert_int_equal(fx_campaign_field(f, "A", 0), 2);
	/* a new rotated export appears and is picked up */
	tu_write(f->dir, "events-2026-12.csv", "w", EV_HDR "2026-12-01T10:00:00Z,c3,A,sent,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_campaign_field(f, "A", 0), 3);
}

static void test_flushed_line_continued_is_recounted(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n"
						   "2026-11-01T10:00:00Z,c2,A,click,,ye");
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rows, 1);
	/* the writer seems done: the last line is counted as it is ("ye" is
	 * not a yes/no for machine) */
	assert_true(ingest_flush_partial(f->in));
	assert_int_equal(fx_src(f, "events")->rejected, 1);
	/* ... but it was not: the line is finished later, so it is recounted */
	tu_write(f->dir, "events.csv", "a", "s\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 2);
	assert_int_equal(fx_src(f, "events")->rejected, 0);
	assert_int_equal(fx_campaign_field(f, "A", 2), 1);
}

static void test_reread(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w", EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n");
	fx_run(f);
	ingest_reread(f->in);
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 1);
	assert_int_equal(fx_campaign_field(f, "A", 0), 1);
}

/* A rebuilt kind starts its rejections and unknown words over: the file
 * is rewritten in place (and a flushed line is continued), and Sources
 * must not show "2 of 1" rejections or a word counted twice. */
static void test_rebuild_starts_rejections_over(void **state)
{
	struct fx *f = *state;
	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c1,A,sent,,\n"
			"2026-11-01T10:00:01Z,c2,A,sent,abc,\n"
			"2026-11-01T10:00:02Z,c3,A,blink,,\n");
	fx_run(f);
	assert_int_equal(fx_src(f, "events")->rejected, 1);
	assert_int_equal(ingest_nrejections(f->in), 1);
	assert_int_equal(ingest_nwords(f->in), 1);
	assert_int_equal(ingest_word(f->in, 0)->count, 1);
	/* rewritten in place: same size, other bytes after the header */
	tu_write(f->dir, "events.csv", "w",
		 EV_HDR "2026-11-01T10:00:00Z,c9,A,sent,,\n"
			"2026-11-01T10:00:01Z,c2,A,sent,abc,\n"
			"2026-11-01T10:00:02Z,c3,A,blink,,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rejected, 1);
	assert_int_equal(ingest_nrejections(f->in), 1);
	assert_int_equal(ingest_rejection(f->in, 0)->line, 3);
	assert_int_equal(ingest_nwords(f->in), 1);
	assert_int_equal(ingest_word(f->in, 0)->count, 1);
	assert_int_equal(fx_src(f, "events")->unknown_events, 1);
	/* a flushed last line that is continued: recounted, once */
	tu_write(f->dir, "events.csv", "a", "2026-11-01T10:00:03Z,c4,A,sent,x");
	ingest_read_all(f->in);
	assert_true(ingest_flush_partial(f->in));
	assert_int_equal(fx_src(f, "events")->rejected, 2);
	tu_write(f->dir, "events.csv", "a", "y,\n");
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rejected, 2);
	assert_int_equal(ingest_nrejections(f->in), 2);
	assert_int_equal(ingest_word(f->in, 0)->count, 1);
}

/* A long events log (issue 13): the pairs table is sized from the file's
 * size after the first rows, once, and does not grow during the rest of
 * the read; the counts are those of the file. */
static void test_large_log_sized_once(void **state)
{
	struct fx *f = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/events.csv", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(EV_HDR, fp);
	/* 150,000 (campaign, customer) pairs of 50 campaigns, each sent,
	 * delivered and opened: 450,000 rows, 21 MB */
	static const char *const ev[] = {"sent", "delivered", "open"};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 150000; i++)
			fprintf(fp, "2026-11-01T10:%02d:%02dZ,customer-%06d,campaign-%02d,%s,,\n",
				(i / 60) % 60, i % 60, i, i % 50, ev[k]);
	assert_int_equal(fclose(fp), 0);
	f->in = ingest_new(&f->cfg, f->dir);
	ingest_step(f->in, 4 << 20);
	const struct store *s = ingest_store(f->in);
	size_t cap = s->pairs.cap;
	assert_true(s->pairs.count < 150000); /* only the start is read */
	assert_true(cap * 7 / 10 >= 150000);  /* room for all of them already */
	ingest_read_all(f->in);
	assert_int_equal(fx_src(f, "events")->rows, 450000);
	assert_int_equal(s->pairs.count, 150000);
	assert_int_equal(s->pairs.cap, cap); /* never doubled */
	assert_int_equal(fx_campaign_field(f, "campaign-07", 0), 3000);
	assert_int_equal(fx_campaign_field(f, "campaign-07", 1), 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_reads_only_new_bytes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_partial_line_waits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_quoted_newline_across_appends, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rotation_keeps_history, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_truncation_recomputes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rewrite_in_place_recomputes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_rebuilt_alone, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_is_waited_for, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_header_error_one_source, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rejections_counted_and_kept, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rejection_ring_is_bounded, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_glob_sources_count_together, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_flushed_line_continued_is_recounted, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_reread, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_large_log_sized_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rebuild_starts_rejections_over, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
