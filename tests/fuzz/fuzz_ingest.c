/* fuzz_ingest: libFuzzer target for CSV ingestion through record validation,
 * the store and the view — csvin -> record -> store -> view, the path every
 * byte of a watched export takes.
 *
 * Input layout (FUZZ_INGEST_HDR bytes of choices, then the file's bytes):
 *   [0] source profile: one of the five default sources (config_defaults),
 *       or a source of one of the real-export configs embedded below (col.,
 *       const., event., na, encoding = latin1), index modulo the count
 *   [1] options: bits 0-1 delimiter (keep, ';', tab, '|'); bit 2 changes
 *       the encoding (Latin-1, Windows-1252, UTF-16, by the last byte);
 *       bit 3 toggles lenient numbers; bit 4 preloads a small
 *       consistent dataset of every kind first, so that view sees the
 *       fuzzed rows beside campaigns, customers and responses; bit 5 settles
 *       the store before the view (ingest does after a burst, view must cope
 *       either way); bit 6 clears the kind afterwards and builds the view
 *       again (a rebuild); bit 7 feeds the bytes a second time as a new file
 *       (csvin_begin: a rotation)
 *   [2] window: 30d, 7d, 90d, all
 *   [3..6] chunk sizes, used in turn: b < 128 gives b+1 bytes, else
 *       (b-127)*64, so reads of one byte and of a few KiB both occur and
 *       partial lines and quoted newlines straddle the reads.
 *
 * Invariants checked on every record (a violation aborts, as a crash):
 * its kind is the source's, ids and texts are valid UTF-8, timestamps lie
 * in 1970-2199, scores in the survey's range, numbers finite and within
 * parse_decimal's bound; reasons and unknown event words never carry a
 * control character or invalid UTF-8 (they are printed as they are); line
 * numbers of the rows of one file strictly increase. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxtop/config.h"
#include "cxtop/csvin.h"
#include "cxtop/parse.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"
#include "cxtop/store.h"
#include "cxtop/alert.h"
#include "cxtop/view.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_INGEST_HDR 7
/* 2200-01-01T00:00:00Z, parse.c's first second out of range */
#define FUZZ_TS_END INT64_C(7258118400)

/* The sample_data/realdata configs, trimmed to their source sections, so
 * that the mappings real exports need (a question as header, constants,
 * vendor event words, "NA" as no answer, Latin-1) are fuzzed too. */
static const char *const fuzz_configs[] = {
	"[responses]\n"
	"path = a.csv\n"
	"const.survey = nps\n"
	"const.timestamp = 2023-01-31\n"
	"col.customer_id = CustomerID\n"
	"col.score = How likely are you to recommend this airline?\n"
	"col.segment = Airline\n",

	"[responses]\n"
	"path = b.csv\n"
	"encoding = latin1\n"
	"na = NA\n"
	"const.survey = nps\n"
	"const.timestamp = 2017-06-30\n"
	"col.customer_id = id\n"
	"col.score = nps\n"
	"col.comment = explication\n",

	"[events]\n"
	"path = m.csv\n"
	"col.event = action\n"
	"col.customer_id = member_id\n"
	"col.campaign_id = campaign_id\n"
	"event.sent = sent\n"
	"event.open = open\n"
	"event.click = click\n"
	"event.bounce = bounce\n"
	"event.unsubscribe = unsub\n"
	"event.complaint = abuse\n"
	"[events:unsubscribes]\n"
	"path = u.csv\n"
	"col.customer_id = member_id\n"
	"const.event = unsubscribe\n"
	"[campaigns]\n"
	"path = c.csv\n"
	"col.campaign_id = id\n"
	"col.name = title\n"
	"col.start_date = send_time\n"
	"const.channel = email\n",

	"[responses]\n"
	"path = s.csv\n"
	"const.survey = nps\n"
	"col.timestamp = Timestamp\n"
	"col.customer_id = Timestamp\n"
	"col.score = On a scale of 0-10, how would you rate Sudzilla?\n"
	"col.comment = ...why?\n",

	"[general]\n"
	"engaged_events = click, conversion, open\n"
	"[events]\n"
	"path = e.csv\n"
	"numbers = lenient\n"
	"delimiter = ;\n"
	"event.open = Geöffnet, opened\n"
	"event.machine_open = mpp\n"
	"event.conversion = purchase\n"
	"[customers]\n"
	"path = k.csv\n"
	"col.customer_id = Kunde\n"
	"col.monthly_revenue = Umsatz\n"
	"numbers = lenient\n",
};
#define FUZZ_NCONFIGS (sizeof fuzz_configs / sizeof fuzz_configs[0])

/* A small dataset of every kind, consistent with itself (campaigns with
 * events, customers who respond), fed before the fuzzed file when asked. */
static const char *const fuzz_preload[SCHEMA_KIND_COUNT] = {
	[SCHEMA_EVENTS] = "timestamp,customer_id,campaign_id,event,value,machine\n"
			  "2026-10-01T09:00:00Z,C1,em-1,sent,,\n"
			  "2026-10-01T09:00:01Z,C1,em-1,delivered,,\n"
			  "2026-10-01T09:05:00Z,C1,em-1,open,,yes\n"
			  "2026-10-01T09:06:00Z,C1,em-1,click,,\n"
			  "2026-10-02T10:00:00Z,C2,em-1,sent,,\n"
			  "2026-10-02T10:00:00Z,C2,em-1,bounce,,\n"
			  "2026-10-20T09:00:00Z,C2,sms-1,delivered,,\n"
			  "2026-10-20T09:10:00Z,C2,sms-1,conversion,49.5,\n"
			  "2026-10-21T09:00:00Z,C3,sms-1,unsubscribe,,\n"
			  "2026-10-21T09:00:00Z,C3,,survey_sent,,\n",
	[SCHEMA_RESPONSES] = "timestamp,customer_id,survey,score,campaign_id,segment,comment\n"
			     "2026-10-03T12:00:00Z,C1,nps,9,em-1,smb,fine\n"
			     "2026-10-22T12:00:00Z,C2,nps,3,sms-1,,\"too many\n texts\"\n"
			     "2026-10-22T13:00:00Z,C3,csat,4,,,\n"
			     "2026-10-22T14:00:00Z,C3,ces,6,,,\n",
	[SCHEMA_CUSTOMERS] = "customer_id,signup_date,churn_date,segment,opted_in,monthly_revenue\n"
			     "C1,2025-01-01,,smb,yes,19.00\n"
			     "C2,2025-02-01,2026-10-25,enterprise,no,999\n"
			     "C3,2026-09-01,,,yes,\n",
	[SCHEMA_CAMPAIGNS] = "campaign_id,name,channel,start_date,spend\n"
			     "em-1,Autumn,email,2026-10-01,100\n"
			     "sms-1,Flash,sms,2026-10-20,50.5\n",
	[SCHEMA_AWARENESS] = "date,campaign_id,impressions,reach,aware,asked\n"
			     "2026-10-01,,1000,400,10,50\n"
			     "2026-10-20,sms-1,2000,900,,\n",
};

struct fuzz_profile {
	const struct config *cfg;
	const struct config_source *src;
};

static struct config fuzz_cfgs[1 + FUZZ_NCONFIGS];
static struct fuzz_profile fuzz_profiles[64];
static size_t fuzz_nprofiles;

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ingest: invariant broken: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[64], err[512];

	(void)argc;
	(void)argv;
	config_defaults(&fuzz_cfgs[0]);
	for (size_t i = 0; i < fuzz_cfgs[0].nsources; i++)
		fuzz_profiles[fuzz_nprofiles++] = (struct fuzz_profile){ &fuzz_cfgs[0],
									 &fuzz_cfgs[0].sources[i] };
	snprintf(path, sizeof path, "/tmp/cxtop-fuzz-ingest-%ld.ini", (long)getpid());
	for (size_t k = 0; k < FUZZ_NCONFIGS; k++) {
		struct config *cfg = &fuzz_cfgs[1 + k];
		FILE *f = fopen(path, "w");
		if (!f || fputs(fuzz_configs[k], f) < 0 || fclose(f) != 0)
			fuzz_fail("cannot write", path);
		config_defaults(cfg);
		if (config_load(cfg, path, 1, err, sizeof err) < 0)
			fuzz_fail("embedded config", err);
		for (size_t i = 0; i < cfg->nsources && fuzz_nprofiles < 64; i++)
			fuzz_profiles[fuzz_nprofiles++] = (struct fuzz_profile){ cfg, &cfg->sources[i] };
	}
	unlink(path);
	return 0;
}

/* ---- the sink ------------------------------------------------------------ */

struct fuzz_ctx {
	struct store *store;
	int kind;
	uint64_t last_line;
	uint64_t records, rejects, na, unknown, header_errors;
};

static void fuzz_line(struct fuzz_ctx *x, uint64_t line)
{
	if (line == 0 || line <= x->last_line)
		fuzz_fail("row line numbers must increase", NULL);
	x->last_line = line;
}

static void fuzz_utf8(const char *what, const char *s)
{
	if (!s)
		fuzz_fail(what, "NULL");
	if (!parse_utf8_valid(s, strlen(s)))
		fuzz_fail(what, "invalid UTF-8");
}

/* A message printed as it is: valid UTF-8 with no C0, DEL or C1 control. */
static void fuzz_printable(const char *what, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fuzz_utf8(what, s);
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0))
			fuzz_fail(what, "control character");
}

static void fuzz_ts(const char *what, int64_t ts)
{
	if (ts < 0 || ts >= FUZZ_TS_END)
		fuzz_fail(what, "timestamp out of range");
}

static void fuzz_num(const char *what, double v, int may_be_negative)
{
	if (!isfinite(v) || fabs(v) > 1e15 || (!may_be_negative && v < 0))
		fuzz_fail(what, "number out of range");
}

static void fuzz_record(void *ctx, const struct record *r, uint64_t line)
{
	struct fuzz_ctx *x = ctx;
	int lo, hi;

	fuzz_line(x, line);
	if (r->kind != x->kind)
		fuzz_fail("record kind", NULL);
	fuzz_utf8("customer", r->customer);
	fuzz_utf8("campaign", r->campaign);
	fuzz_utf8("segment", r->segment);
	fuzz_utf8("comment", r->comment);
	fuzz_utf8("name", r->name);
	fuzz_utf8("channel", r->channel);
	switch (r->kind) {
	case SCHEMA_EVENTS:
		fuzz_ts("event timestamp", r->ts);
		if (r->event < 0 || r->event >= SCHEMA_EV_COUNT || r->event == SCHEMA_EV_MACHINE_OPEN)
			fuzz_fail("event type", NULL);
		if (r->has_value)
			fuzz_num("value", r->value, 1);
		break;
	case SCHEMA_RESPONSES:
		fuzz_ts("response timestamp", r->ts);
		if (r->survey < 0 || r->survey >= SCHEMA_SURVEY_COUNT)
			fuzz_fail("survey", NULL);
		schema_survey_range(r->survey, &lo, &hi);
		if (r->score < lo || r->score > hi)
			fuzz_fail("score", "out of the survey's range");
		break;
	case SCHEMA_CUSTOMERS:
		fuzz_ts("signup", r->signup);
		if (r->has_churn) {
			fuzz_ts("churn", r->churn);
			if (parse_day(r->churn) < parse_day(r->signup))
				fuzz_fail("churn", "before signup");
		}
		if (r->has_revenue)
			fuzz_num("revenue", r->revenue, 0);
		break;
	case SCHEMA_CAMPAIGNS:
		if (r->has_start)
			fuzz_ts("start", r->start);
		fuzz_num("spend", r->spend, 0);
		break;
	case SCHEMA_AWARENESS:
		fuzz_ts("awareness date", r->ts);
		fuzz_num("impressions", r->impressions, 0);
		fuzz_num("reach", r->reach, 0);
		fuzz_num("aware", r->aware, 0);
		fuzz_num("asked", r->asked, 0);
		if (r->has_brand && r->aware > r->asked)
			fuzz_fail("aware", "greater than asked");
		break;
	default:
		fuzz_fail("record kind", "unknown");
	}
	store_apply(x->store, r);
	x->records++;
}

static void fuzz_reject(void *ctx, uint64_t line, const char *reason)
{
	struct fuzz_ctx *x = ctx;
	fuzz_line(x, line);
	fuzz_printable("rejection reason", reason);
	x->rejects++;
}

static void fuzz_na(void *ctx, uint64_t line)
{
	struct fuzz_ctx *x = ctx;
	fuzz_line(x, line);
	x->na++;
}

static void fuzz_unknown(void *ctx, uint64_t line, const char *word)
{
	struct fuzz_ctx *x = ctx;
	fuzz_line(x, line);
	fuzz_printable("unknown event word", word);
	x->unknown++;
}

static void fuzz_header_error(void *ctx, const char *message)
{
	struct fuzz_ctx *x = ctx;
	/* the header's own bytes are quoted in it as they are: the Sources
	 * screen and report_safe escape them, so only its presence is checked */
	if (!message || !message[0])
		fuzz_fail("header error", "empty message");
	x->header_errors++;
}

static const struct csvin_sink fuzz_sink = {
	.record = fuzz_record,
	.reject = fuzz_reject,
	.na = fuzz_na,
	.unknown_event = fuzz_unknown,
	.header_error = fuzz_header_error,
};

/* ---- one input ----------------------------------------------------------- */

static void fuzz_feed_file(struct csvin *c, struct fuzz_ctx *x, const uint8_t *p, size_t n,
			   const uint8_t chunks[4])
{
	size_t k = 0;

	csvin_begin(c);
	x->last_line = 0;
	while (n) {
		uint8_t b = chunks[k++ % 4];
		size_t step = b < 128 ? (size_t)b + 1 : (size_t)(b - 127) * 64;
		if (step > n)
			step = n;
		csvin_feed(c, (const char *)p, step, &fuzz_sink, x);
		p += step;
		n -= step;
	}
	csvin_end(c, &fuzz_sink, x);
}

/* A rate is a fraction 0-1 or undefined (NaN), whatever the input. */
static void fuzz_rate(const char *what, double x)
{
	char b[80];
	if (isnan(x))
		return;
	if (!(x >= 0.0 && x <= 1.0)) {
		snprintf(b, sizeof b, "%.17g", x);
		fuzz_fail(what, b);
	}
}

/* An NPS block adds up: the histogram sums to n, the bands partition it,
 * the score is in -100..100. */
static void fuzz_nps(const char *what, const struct view_nps *n)
{
	uint32_t sum = 0;
	for (int i = 0; i <= 10; i++)
		sum += n->histogram[i];
	if (sum != n->n)
		fuzz_fail(what, "histogram does not sum to n");
	if (n->promoters + n->passives + n->detractors != n->n)
		fuzz_fail(what, "promoters + passives + detractors != n");
	if (n->hard_detractors + n->soft_detractors != n->detractors)
		fuzz_fail(what, "hard + soft != detractors");
	if (!isnan(n->nps) && !(n->nps >= -100.0 && n->nps <= 100.0))
		fuzz_fail(what, "nps out of -100..100");
	if (!isnan(n->nps_if_soft_passive) &&
	    !(n->nps_if_soft_passive >= -100.0 && n->nps_if_soft_passive <= 100.0))
		fuzz_fail(what, "nps_if_soft_passive out of -100..100");
	if (!n->n && !isnan(n->nps))
		fuzz_fail(what, "nps defined with n = 0");
	fuzz_rate(what, n->response_rate);
	fuzz_rate(what, n->hard_share);
}

static void fuzz_invariants(const struct view *v)
{
	fuzz_rate("vanity.open_rate", v->vanity.open_rate);
	fuzz_rate("vanity.ctr", v->vanity.ctr);
	fuzz_rate("vanity.awareness", v->vanity.awareness);
	fuzz_rate("cx.optout_rate", v->cx.optout_rate);
	fuzz_rate("cx.opted_in_share", v->cx.opted_in_share);
	fuzz_rate("cx.disengaged", v->cx.disengaged);
	fuzz_rate("cx.churn_rate_monthly", v->cx.churn_rate_monthly);
	fuzz_rate("cx.retention_rate", v->cx.retention_rate);
	fuzz_rate("cx.csat", v->cx.csat);
	fuzz_rate("cx.ces_easy", v->cx.ces_easy);
	fuzz_nps("nps", &v->nps);
	for (size_t i = 0; i < v->ncampaigns; i++) {
		const struct view_campaign *c = &v->campaigns[i];
		fuzz_rate("campaign open_rate", c->open_rate);
		fuzz_rate("campaign human_open_rate", c->human_open_rate);
		fuzz_rate("campaign ctr", c->ctr);
		fuzz_rate("campaign ctor", c->ctor);
		fuzz_rate("campaign optout_rate", c->optout_rate);
		fuzz_rate("campaign bounce_rate", c->bounce_rate);
		fuzz_rate("campaign complaint_rate", c->complaint_rate);
		fuzz_rate("campaign ctr_base", c->ctr_base);
		fuzz_rate("campaign audience_retained", c->audience_retained);
		fuzz_nps("campaign nps", &c->nps);
	}
	for (size_t i = 0; i < v->nsegments; i++)
		fuzz_nps("segment nps", &v->segments[i].nps);
	for (size_t i = 0; i < v->nchannels; i++)
		fuzz_nps("channel nps", &v->channels[i].nps);
	for (size_t i = 0; i < v->nmonths; i++)
		fuzz_rate("month churn_rate", v->months[i].churn_rate);
}

static void fuzz_view(const struct store *s, const struct config *cfg, int window)
{
	struct view *v = view_build(s, cfg, window, INT64_MIN);
	alert_build(v, cfg);
	struct view_response *rs = NULL;
	size_t n;

	fuzz_invariants(v);

	for (size_t i = 0; i < v->nalerts; i++) {
		if (v->alerts[i].severity < 1 || v->alerts[i].severity > 3)
			fuzz_fail("alert severity", NULL);
		fuzz_utf8("alert message", v->alerts[i].message);
		fuzz_utf8("alert subject", v->alerts[i].subject);
	}
	/* the responses behind a bar, as the Campaign screen lists them */
	n = view_responses(s, v->ncampaigns ? v->campaigns[0].campaign_id : NULL, -1,
			   v->win.day_lo, v->win.day_hi, &rs);
	view_responses_free(rs, n);
	view_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[4] = { 0, ';', '\t', '|' };
	static const int windows[4] = { 30, 7, 90, 0 };
	const struct fuzz_profile *pr;
	struct config_source src;
	struct fuzz_ctx x = { 0 };
	uint8_t opt;
	struct csvin *c;

	if (size < FUZZ_INGEST_HDR)
		return 0;
	pr = &fuzz_profiles[data[0] % fuzz_nprofiles];
	opt = data[1];
	/* a shallow copy: its strings stay the profile's, only flags change */
	src = *pr->src;
	if (delims[opt & 3])
		src.delimiter = delims[opt & 3];
	if (opt & 4) /* an encoding other than the profile's, chosen by the data */
		src.encoding = (src.encoding + 1 + data[size - 1] % (CONFIG_ENC_UTF16BE)) %
			       (CONFIG_ENC_UTF16BE + 1);
	if (opt & 8)
		src.lenient_numbers = !src.lenient_numbers;

	x.store = store_new(pr->cfg->engaged_events, pr->cfg->hve_events);
	if (opt & 16) {
		/* the default sources of fuzz_cfgs[0] are in kind order */
		for (int k = 0; k < SCHEMA_KIND_COUNT; k++) {
			struct csvin *pc = csvin_new(&fuzz_cfgs[0].sources[k]);
			const uint8_t one[4] = { 127, 127, 127, 127 };
			x.kind = k;
			fuzz_feed_file(pc, &x, (const uint8_t *)fuzz_preload[k],
				       strlen(fuzz_preload[k]), one);
			csvin_free(pc);
		}
		if (x.rejects || x.header_errors || x.unknown)
			fuzz_fail("preload", "rows were refused");
	}
	x.kind = src.kind;
	c = csvin_new(&src);
	fuzz_feed_file(c, &x, data + FUZZ_INGEST_HDR, size - FUZZ_INGEST_HDR, data + 3);
	if (opt & 128)
		fuzz_feed_file(c, &x, data + FUZZ_INGEST_HDR, size - FUZZ_INGEST_HDR, data + 3);
	csvin_free(c);

	if (opt & 32)
		store_settle(x.store);
	fuzz_view(x.store, pr->cfg, windows[data[2] & 3]);
	if (opt & 64) {
		store_clear(x.store, src.kind);
		store_settle(x.store);
		fuzz_view(x.store, pr->cfg, windows[(data[2] >> 2) & 3]);
	}
#ifdef FUZZ_INGEST_DEBUG
	/* cc -DFUZZ_INGEST_DEBUG: what each input did, to check the seeds */
	fprintf(stderr, "profile %u kind %d: %llu records, %llu rejected, %llu na, %llu unknown, "
		"%llu header errors\n", (unsigned)(data[0] % fuzz_nprofiles), src.kind,
		(unsigned long long)x.records, (unsigned long long)x.rejects,
		(unsigned long long)x.na, (unsigned long long)x.unknown,
		(unsigned long long)x.header_errors);
#endif
	store_free(x.store);
	return 0;
}
