/* Chunking invariance on random datasets (issue 5): for random files of
 * every source kind — quoted fields with commas, quotes and newlines, a
 * stray quote inside an unquoted field, CRLF or LF, a BOM now and then,
 * bad rows among good ones — feeding a file in random-sized pieces gives
 * exactly the same records, rejections (with their line numbers) and view
 * as reading it at once; and so does reading it with parread (issue 13)
 * for every count of worker threads (1, 2, 3, 8) times chunk sizes (16 and
 * 97 bytes, which cut inside quoted fields and rows all the time, and
 * 4096), with the records handed on one by one or in runs. And a state
 * written while a row is half read (issue 14) — above all one that spans
 * lines, a quoted comment with a line end — and taken up once the rest
 * of the file is there gives what reading the whole file gives; and a
 * view through the memo kept with the state (issue 14), after the rest is
 * read, gives what a view from scratch gives. */
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/ingest.h"
#include "cxtop/keep.h"
#include "cxtop/parread.h"
#include "cxtop/report.h"
#include "cxtop/store.h"
#include "cxtop/view.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, tmp, (size_t)n + 1);
	b->len += (size_t)n;
}

/* A date in November 2026, sometimes a broken one. */
static void put_ts(struct buf *b)
{
	if (!pick(40))
		put(b, "2026-02-30T10:00:00Z");
	else
		put(b, "2026-11-%02uT%02u:%02u:00Z", 1 + pick(20), pick(24), pick(60));
}

/* A free-text field: plain, or quoted with commas, quotes and newlines. */
static void put_text(struct buf *b, const char *eol)
{
	static const char *const words[] = { "great", "slow, delivery", "said \"\"fine\"\"", "ok" };
	if (pick(2)) {
		/* a quote inside an unquoted field is a character to libcsv:
		 * a count of quotes misjudges where rows begin after it */
		put(b, "%s", pick(6) ? pick(2) ? "fine" : "" : "a 5\" screen");
		return;
	}
	put(b, "\"%s", words[pick(4)]);
	if (!pick(3))
		put(b, "%snext line", eol);
	put(b, "\"");
}

static void gen(struct buf *b, int kind)
{
	const char *eol = pick(2) ? "\r\n" : "\n";
	static const char *const events[] = { "sent", "delivered", "open", "click", "unsubscribe",
					      "bounce", "conversion", "survey_sent", "forwarded" };
	static const char *const surveys[] = { "nps", "nps", "csat", "ces", "nope" };
	unsigned rows = 200 + pick(400);

	if (!pick(4))
		put(b, "\xEF\xBB\xBF");
	switch (kind) {
	case SCHEMA_EVENTS:
		put(b, "timestamp,customer_id,campaign_id,event,value,machine%s", eol);
		for (unsigned i = 0; i < rows; i++) {
			put_ts(b);
			unsigned e = pick(9);
			put(b, ",c%u,k%u,%s,%s,%s%s", pick(60), pick(5), events[e],
			    e == 6 ? "19.90" : "", e == 2 && pick(3) == 0 ? "1" : "", eol);
		}
		break;
	case SCHEMA_RESPONSES:
		put(b, "timestamp,customer_id,survey,score,campaign_id,segment,comment%s", eol);
		for (unsigned i = 0; i < rows; i++) {
			put_ts(b);
			put(b, ",c%u,%s,%u,%s,%s,", pick(60), surveys[pick(5)], pick(12),
			    pick(2) ? "k1" : "", pick(3) ? "" : "smb");
			put_text(b, eol);
			put(b, "%s", eol);
		}
		break;
	case SCHEMA_CUSTOMERS:
		put(b, "customer_id,signup_date,churn_date,segment,opted_in,monthly_revenue%s", eol);
		for (unsigned i = 0; i < 60; i++)
			put(b, "c%u,2026-0%u-01,%s,%s,%s,%u.50%s", i, 1 + pick(9),
			    pick(5) ? "" : "2026-11-10", pick(2) ? "smb" : "", pick(4) ? "yes" : "no",
			    pick(100), eol);
		break;
	case SCHEMA_CAMPAIGNS:
		put(b, "campaign_id,name,channel,start_date,spend%s", eol);
		for (unsigned i = 0; i < 5; i++) {
			put(b, "k%u,", i);
			put_text(b, eol);
			put(b, ",%s,2026-11-0%u,100%s", pick(2) ? "email" : "sms", 1 + i, eol);
		}
		break;
	case SCHEMA_AWARENESS:
		put(b, "date,impressions,reach,aware,asked%s", eol);
		for (unsigned i = 0; i < 20; i++)
			put(b, "2026-11-%02u,%u,%u,%u,%u%s", 1 + i, 1000 + pick(999), 500 + pick(99),
			    pick(50), 50 + pick(50), eol);
		break;
	}
	if (pick(2)) /* sometimes no newline after the last row */
		b->len -= strlen(eol), b->p[b->len] = '\0';
}

struct log {
	struct store *s;
	struct buf text; /* every rejection, in order, with its line */
};

static void on_record(void *ctx, const struct record *r, uint64_t line)
{
	struct log *l = ctx;
	store_apply(l->s, r);
}

static void on_reject(void *ctx, uint64_t line, const char *reason)
{
	struct log *l = ctx;
	put(&l->text, "%llu: %s\n", (unsigned long long)line, reason);
}

static void on_unknown(void *ctx, uint64_t line, const char *word)
{
	struct log *l = ctx;
	put(&l->text, "%llu: unknown %s\n", (unsigned long long)line, word);
}

static const struct csvin_sink sink = {
	.record = on_record,
	.reject = on_reject,
	.unknown_event = on_unknown,
};

/* The JSON of a view of s (window days), through memo m if not NULL. */
static char *view_json_memo(struct store *s, const struct config *cfg, struct ingest *in, int days,
			    struct view_memo *m)
{
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);
	store_settle(s);
	struct view *v = view_build_memo(s, cfg, days, INT64_MIN, m);
	report_write(f, REPORT_JSON, v, in, cfg, 1);
	fclose(f);
	view_free(v);
	return out;
}

static char *view_json(struct store *s, const struct config *cfg, struct ingest *in, int days)
{
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);
	store_settle(s);
	struct view *v = view_build(s, cfg, days, INT64_MIN);
	report_write(f, REPORT_JSON, v, in, cfg, 1);
	fclose(f);
	view_free(v);
	return out;
}

static void test_random_datasets(void **state)
{
	struct config cfg;
	config_defaults(&cfg);
	/* an ingest with no files: its counters are the same in both reports */
	struct ingest *in = ingest_new(&cfg, "/nonexistent-cxtop-test-dir");

	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct log whole = { .s = store_new(cfg.engaged_events, cfg.hve_events) };
		struct log parts = { .s = store_new(cfg.engaged_events, cfg.hve_events) };
		rng_state = seed * 0x9e3779b97f4a7c15ULL;
		for (size_t k = 0; k < cfg.nsources; k++) {
			struct buf file = { 0 };
			gen(&file, cfg.sources[k].kind);
			struct csvin *a = csvin_new(&cfg.sources[k]), *b = csvin_new(&cfg.sources[k]);
			csvin_feed(a, file.p, file.len, &sink, &whole);
			csvin_end(a, &sink, &whole);
			for (size_t off = 0; off < file.len;) {
				size_t piece = pick(2) ? 1 + pick(7) : 1 + pick(4096);
				if (piece > file.len - off)
					piece = file.len - off;
				csvin_feed(b, file.p + off, piece, &sink, &parts);
				off += piece;
			}
			csvin_end(b, &sink, &parts);
			csvin_free(a);
			csvin_free(b);
			free(file.p);
		}
		assert_non_null(whole.text.p); /* the datasets do hold bad rows */
		assert_string_equal(whole.text.p, parts.text.p);
		for (int w = 0; w < 2; w++) {
			char *x = view_json(whole.s, &cfg, in, w ? 0 : 30);
			char *y = view_json(parts.s, &cfg, in, w ? 0 : 30);
			assert_true(strlen(x) > 1000);
			assert_string_equal(x, y);
			free(x);
			free(y);
		}
		store_free(whole.s);
		store_free(parts.s);
		free(whole.text.p);
		free(parts.text.p);
	}
	ingest_free(in);
	config_free(&cfg);
}

static void on_records(void *ctx, const struct record *const *r, size_t n)
{
	struct log *l = ctx;
	store_apply_batch(l->s, r, n);
}

static const struct csvin_sink sink_na = {
	.record = on_record,
	.reject = on_reject,
	.unknown_event = on_unknown,
};

/* file read by c: its header and first rows here, up to a line end past
 * a random point where c can split, then the rest through parread in
 * random pieces. */
static void read_parallel(struct parread *p, struct csvin *c, const struct buf *file,
			  struct log *l, int runs)
{
	size_t off = 0, start = (size_t)pick((unsigned)file->len / 3 + 1);
	struct parread_sink ps = { .rows = &sink_na, .records = runs ? on_records : NULL, .ctx = l };
	int begun = 0;
	while (off < file->len && !begun) {
		const char *nl = memchr(file->p + off, '\n', file->len - off);
		size_t to = nl ? (size_t)(nl - file->p) + 1 : file->len;
		csvin_feed(c, file->p + off, to - off, &sink_na, l);
		off = to;
		if (off >= start)
			begun = parread_begin(p, c, &ps);
	}
	while (off < file->len) {
		size_t piece = pick(2) ? 1 + pick(7) : 1 + pick(5000);
		if (piece > file->len - off)
			piece = file->len - off;
		parread_feed(p, file->p + off, piece);
		off += piece;
	}
	parread_end(p);
	assert_false(parread_active(p));
	csvin_end(c, &sink_na, l);
}

static void test_parallel_reads(void **state)
{
	static const int workers[] = { 1, 2, 3, 8 };
	static const size_t chunks[] = { 16, 97, 4096 };
	struct config cfg;
	config_defaults(&cfg);
	struct ingest *in = ingest_new(&cfg, "/nonexistent-cxtop-test-dir");
	uint64_t par_total = 0, ser_total = 0, help_total = 0;

	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct buf files[16] = { 0 };
		rng_state = seed * 0x51afd7ed558ccd1ULL;
		assert_true(cfg.nsources <= 16);
		for (size_t k = 0; k < cfg.nsources; k++)
			gen(&files[k], cfg.sources[k].kind);
		struct log whole = { .s = store_new(cfg.engaged_events, cfg.hve_events) };
		for (size_t k = 0; k < cfg.nsources; k++) {
			struct csvin *a = csvin_new(&cfg.sources[k]);
			csvin_feed(a, files[k].p, files[k].len, &sink_na, &whole);
			csvin_end(a, &sink_na, &whole);
			csvin_free(a);
		}
		char *want[2];
		for (int w = 0; w < 2; w++)
			want[w] = view_json(whole.s, &cfg, in, w ? 0 : 30);
		for (size_t wi = 0; wi < 4; wi++) {
			for (size_t ci = 0; ci < 3; ci++) {
				struct parread *p = parread_new(workers[wi], chunks[ci]);
				assert_non_null(p);
				struct log par = { .s = store_new(cfg.engaged_events, cfg.hve_events) };
				for (size_t k = 0; k < cfg.nsources; k++) {
					struct csvin *c = csvin_new(&cfg.sources[k]);
					read_parallel(p, c, &files[k], &par, (int)(k + ci) % 2);
					csvin_free(c);
				}
				assert_string_equal(whole.text.p, par.text.p);
				for (int w = 0; w < 2; w++) {
					char *got = view_json(par.s, &cfg, in, w ? 0 : 30);
					assert_string_equal(want[w], got);
					free(got);
				}
				uint64_t np, ns, nh;
				parread_counts(p, &np, &ns, &nh);
				par_total += np;
				ser_total += ns;
				help_total += nh;
				parread_free(p);
				store_free(par.s);
				free(par.text.p);
			}
		}
		for (int w = 0; w < 2; w++)
			free(want[w]);
		for (size_t k = 0; k < cfg.nsources; k++)
			free(files[k].p);
		store_free(whole.s);
		free(whole.text.p);
	}
	/* every way was taken: chunks parsed in parallel (some of them by
	 * the calling thread instead of waiting), and chunks read again in
	 * order where a guess began inside a quoted field */
	print_message("parread: %llu chunks from workers (%llu parsed by the caller), "
		      "%llu read again\n",
		      (unsigned long long)par_total, (unsigned long long)help_total,
		      (unsigned long long)ser_total);
	assert_true(par_total > 1000);
	assert_true(help_total > 100);
	assert_true(ser_total > 10);
	ingest_free(in);
	config_free(&cfg);
}

static void write_file(const char *path, const char *p, size_t n, const char *mode)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* The report of the data in dir, read whole, from the state at st if
 * given (*msg: what keep_restore said). */
static char *resumed_json(const struct config *cfg, const char *dir, const char *st, char *msg,
			  size_t n)
{
	struct ingest *in = ingest_new(cfg, dir);
	struct keep *k = st ? keep_open(cfg, dir, st, msg, n) : NULL;
	if (st) {
		assert_non_null(k);
		keep_restore(k, in, NULL, msg, n);
	}
	ingest_read_all(in);
	ingest_flush_partial(in);
	char *out = view_json((struct store *)ingest_store(in), cfg, in, 0);
	keep_free(k);
	ingest_free(in);
	return out;
}

static void test_resume_mid_row(void **state)
{
	struct config cfg;
	config_defaults(&cfg);
	char dir[] = "/tmp/cxtop-resume-XXXXXX", path[64], st[64], msg[4096];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/responses.csv", dir);
	snprintf(st, sizeof st, "%s.state", dir);
	const struct config_source *src = NULL;
	for (size_t k = 0; k < cfg.nsources; k++)
		if (cfg.sources[k].kind == SCHEMA_RESPONSES)
			src = &cfg.sources[k];
	unsigned spanning = 0, cuts = 0;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		rng_state = seed * 0x2545f4914f6cdd1dULL;
		struct buf file = { 0 };
		gen(&file, SCHEMA_RESPONSES);
		/* cuts inside rows that span lines (found by a parser of
		 * our own), and anywhere */
		size_t at[24], nat = 0;
		struct csvin *probe = csvin_new(src);
		struct log none = { .s = store_new(cfg.engaged_events, cfg.hve_events) };
		for (size_t off = 0; off < file.len && nat < 16; off++) {
			csvin_feed(probe, file.p + off, 1, &sink, &none);
			if (off > 4096 && csvin_in_row(probe) && !csvin_row_on_one_line(probe) &&
			    file.p[off] != '\r' && !pick(8))
				at[nat++] = off + 1;
		}
		csvin_free(probe);
		store_free(none.s);
		free(none.text.p);
		size_t nspan = nat;
		while (nat < 24)
			at[nat++] = 1 + pick((unsigned)file.len - 1);
		char *want = NULL;
		write_file(path, file.p, file.len, "wb");
		want = resumed_json(&cfg, dir, NULL, msg, sizeof msg);
		for (size_t c = 0; c < nat; c++) {
			/* the dashboard read this much and wrote its state */
			unlink(st);
			write_file(path, file.p, at[c], "wb");
			struct ingest *in = ingest_new(&cfg, dir);
			struct keep *k = keep_open(&cfg, dir, st, msg, sizeof msg);
			assert_non_null(k);
			ingest_read_all(in);
			assert_int_equal(keep_save(k, in, NULL, 0, msg, sizeof msg), 0);
			keep_free(k);
			ingest_free(in);
			/* the rest comes; a start from the state reads it */
			write_file(path, file.p + at[c], file.len - at[c], "ab");
			char *got = resumed_json(&cfg, dir, st, msg, sizeof msg);
			if (strcmp(got, want) != 0) {
				print_message("seed %llu cut at %zu of %zu (%s): %s\n", (unsigned long long)seed, at[c], file.len,
					      c < nspan ? "spanning" : "anywhere", msg);
			}
			assert_string_equal(got, want);
			if (c < nspan) {
				/* taken up whole: nothing read again */
				if (msg[0])
					print_message("cut at %zu of %zu: %s\n", at[c], file.len, msg);
				assert_string_equal(msg, "");
				spanning++;
			}
			cuts++;
			free(got);
		}
		free(want);
		free(file.p);
	}
	print_message("resume: %u cuts, %u inside rows over several lines\n", cuts, spanning);
	assert_true(spanning >= 20);
	unlink(st);
	unlink(path);
	char lock[80];
	snprintf(lock, sizeof lock, "%s.lock", st);
	unlink(lock);
	rmdir(dir);
	config_free(&cfg);
}

/* The view's memo kept with the state (issue 14): random files of every
 * kind, each cut at a random point; the part before the cut read, viewed
 * through a memo (or viewed, then more read: a periodic write of the
 * dashboard, its memo behind the store) and the state written with the
 * memo; the rest appended (and now and then the customers snapshot
 * changed); a start from the state, viewed through the memo taken up,
 * gives what one whole read viewed from scratch gives, in the window the
 * memo was of and in another. */
static void test_resume_memo(void **state)
{
	static const int windows[] = { 0, 7, 30 };
	static const int kinds[] = { SCHEMA_EVENTS, SCHEMA_RESPONSES, SCHEMA_CUSTOMERS,
				     SCHEMA_CAMPAIGNS };
	static const char *const names[] = { "events.csv", "responses.csv", "customers.csv",
					     "campaigns.csv" };
	struct config cfg;
	config_defaults(&cfg);
	char dir[] = "/tmp/cxtop-memo-XXXXXX", path[4][96], st[64], msg[4096];
	assert_non_null(mkdtemp(dir));
	snprintf(st, sizeof st, "%s.state", dir);
	for (int k = 0; k < 4; k++)
		snprintf(path[k], sizeof path[k], "%s/%s", dir, names[k]);
	unsigned runs = 0, taken = 0;
	for (uint64_t seed = 1; seed <= 24; seed++) {
		rng_state = seed * 0x9e3779b97f4a7c15ULL;
		struct buf file[4] = { 0 }, other = { 0 };
		for (int k = 0; k < 4; k++)
			gen(&file[k], kinds[k]);
		gen(&other, SCHEMA_CUSTOMERS);
		/* the first and last instants in the first rows: the rows that
		 * come later leave the windows' days where they were, so the
		 * memo is used, not started over */
		static const char *const bounds[2] = {
			"2026-11-01T00:00:00Z,c1,k1,sent,,\n2026-11-20T23:59:00Z,c2,k2,open,,\n"
			"2026-11-18T10:00:00Z,z1,k1,open,,\n",
			"2026-11-01T00:00:00Z,c3,nps,6,k1,,ok\n2026-11-20T23:59:00Z,c4,nps,9,,,ok\n"
			"2026-11-18T10:00:00Z,z1,nps,6,k1,,ok\n"
		};
		size_t first[2];
		for (int k = 0; k < 2; k++) {
			char *nl = memchr(file[k].p, '\n', file[k].len);
			size_t at = (size_t)(nl - file[k].p) + 1, add = strlen(bounds[k]);
			char *p = malloc(file[k].len + add + 1);
			memcpy(p, file[k].p, at);
			memcpy(p + at, bounds[k], add);
			memcpy(p + at + add, file[k].p + at, file[k].len - at + 1);
			free(file[k].p);
			file[k].p = p;
			file[k].len += add;
			file[k].cap = file[k].len + 1;
			first[k] = at + add;
		}
		int w = windows[seed % 3], w2 = windows[(seed + 1) % 3];
		int behind = seed % 4 == 0, twice = seed % 4 == 1 || seed % 4 == 2;
		int change_customers = seed % 5 == 0;
		/* z1 (engaged and a soft detractor before the cut) opts out
		 * in the first row after it: the first entry of the logs the
		 * memo must replay after the restart */
		static const char z1_unsub[] = "2026-11-19T10:00:00Z,z1,k1,unsubscribe,,\n";
		static const char z1_row[] = "z1,2026-01-01,,smb,yes,10.50\n";
		size_t zat = first[0] + pick((unsigned)(file[0].len - first[0]) / (seed % 2 ? 1 : 8));
		while (zat < file[0].len && file[0].p[zat - 1] != '\n')
			zat++;
		{
			size_t add = strlen(z1_unsub);
			char *p = malloc(file[0].len + add + 1);
			memcpy(p, file[0].p, zat);
			memcpy(p + zat, z1_unsub, add);
			memcpy(p + zat + add, file[0].p + zat, file[0].len - zat + 1);
			free(file[0].p);
			file[0].p = p;
			file[0].len += add;
		}
		/* gen may leave a file's last row without its line end */
		put(&file[2], "%s%s", file[2].p[file[2].len - 1] == '\n' ? "" : "\n", z1_row);
		put(&other, "%s%s", other.p[other.len - 1] == '\n' ? "" : "\n", z1_row);
		size_t cut[4];
		for (int k = 0; k < 4; k++) {
			/* logs cut anywhere; snapshots whole or not there yet */
			/* early cuts too: later rows then still move what a
			 * customer did after their answer */
			cut[k] = k == 0 ? zat
				 : k == 1 ? first[k] + pick((unsigned)(file[k].len - first[k]) /
							    (seed % 2 ? 1 : 8))
				 : pick(4) ? file[k].len : 0;
			write_file(path[k], file[k].p, cut[k], "wb");
		}
		unlink(st);
		struct ingest *in = ingest_new(&cfg, dir);
		struct keep *kp = keep_open(&cfg, dir, st, msg, sizeof msg);
		assert_non_null(kp);
		struct view_memo *m = view_memo_new();
		if (twice) {
			/* the logs' part before the cut read in two, a view
			 * after each: the memo's log positions are past 0 */
			for (int k = 0; k < 2; k++)
				write_file(path[k], file[k].p, first[k] + (cut[k] - first[k]) / 2, "wb");
			ingest_read_all(in);
			free(view_json_memo((struct store *)ingest_store(in), &cfg, in, w, m));
			for (int k = 0; k < 2; k++) {
				size_t from = first[k] + (cut[k] - first[k]) / 2;
				write_file(path[k], file[k].p + from, cut[k] - from, "ab");
			}
		}
		ingest_read_all(in);
		free(view_json_memo((struct store *)ingest_store(in), &cfg, in, w, m));
		if (behind) {
			/* more read after the view: the memo is behind */
			for (int k = 0; k < 2; k++) {
				size_t more = (file[k].len - cut[k]) / 2;
				write_file(path[k], file[k].p + cut[k], more, "ab");
				cut[k] += more;
			}
			ingest_read_all(in);
		}
		assert_int_equal(keep_save(kp, in, m, 0, msg, sizeof msg), 0);
		keep_free(kp);
		view_memo_free(m);
		ingest_free(in);
		/* the rest comes */
		for (int k = 0; k < 4; k++) {
			if (k == 2 && change_customers)
				write_file(path[k], other.p, other.len, "wb");
			else if (k < 2)
				write_file(path[k], file[k].p + cut[k], file[k].len - cut[k], "ab");
			else if (!cut[k])
				write_file(path[k], file[k].p, file[k].len, "wb");
		}
		char *want[2], *got[2];
		struct ingest *whole = ingest_new(&cfg, dir);
		ingest_read_all(whole);
		ingest_flush_partial(whole);
		for (int i = 0; i < 2; i++)
			want[i] = view_json((struct store *)ingest_store(whole), &cfg, whole,
					    i ? w2 : w);
		ingest_free(whole);
		in = ingest_new(&cfg, dir);
		kp = keep_open(&cfg, dir, st, msg, sizeof msg);
		assert_non_null(kp);
		m = view_memo_new();
		taken += keep_restore(kp, in, m, msg, sizeof msg);
		ingest_read_all(in);
		ingest_flush_partial(in);
		for (int i = 0; i < 2; i++) {
			got[i] = view_json_memo((struct store *)ingest_store(in), &cfg, in, i ? w2 : w,
						m);
			if (strcmp(got[i], want[i]) != 0)
				print_message("seed %llu, window %d (memo of %d days)%s%s%s: %s\n",
					      (unsigned long long)seed, i ? w2 : w, w,
					      behind ? ", memo behind" : "", twice ? ", two views" : "",
					      change_customers ? ", customers changed" : "", msg);
			assert_string_equal(got[i], want[i]);
			free(got[i]);
			free(want[i]);
			runs++;
		}
		view_memo_free(m);
		keep_free(kp);
		ingest_free(in);
		for (int k = 0; k < 4; k++)
			free(file[k].p);
		free(other.p);
	}
	print_message("memo: %u views from %u states taken up\n", runs, taken);
	assert_int_equal(taken, 24);
	unlink(st);
	char lock[80];
	snprintf(lock, sizeof lock, "%s.lock", st);
	unlink(lock);
	for (int k = 0; k < 4; k++)
		unlink(path[k]);
	rmdir(dir);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_datasets),
		cmocka_unit_test(test_parallel_reads),
		cmocka_unit_test(test_resume_mid_row),
		cmocka_unit_test(test_resume_memo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
