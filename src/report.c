/* report: --once output (SPEC section 6). Formatting only; every number
 * comes from the view, every count from ingest.
 *
 * Undefined values are "null" in JSON, empty in CSV and an em dash (or "-"
 * with --ascii) in text. Text from the data passes through report_safe (or
 * JSON escaping), so a crafted campaign name cannot drive a terminal. */
#include "cxtop/report.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int report_parse_format(const char *s)
{
	if (!strcmp(s, "text"))
		return REPORT_TEXT;
	if (!strcmp(s, "json"))
		return REPORT_JSON;
	if (!strcmp(s, "csv"))
		return REPORT_CSV;
	return -1;
}

/* A control character at p: C0 (U+0000-U+001F), DEL, or a C1 control
 * (U+0080-U+009F, UTF-8 C2 80..C2 9F) — C1 holds CSI and OSC, which drive
 * a terminal as well as their ESC forms. Returns its code point, or -1. */
static int report_ctl(const unsigned char *p, int *len)
{
	if (*p < 0x20 || *p == 0x7f) {
		*len = 1;
		return *p;
	}
	if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
		*len = 2;
		return p[1];
	}
	return -1;
}

/* Text and CSV spell a control as visible text: \xNN for C0 and DEL,
 * \u00NN for C1. */
static void report_safe_n(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end && *p) {
		int len, c = report_ctl(p, &len);
		if (c < 0)
			fputc(*p, out);
		else if (c < 0x80)
			fprintf(out, "\\x%02x", c);
		else
			fprintf(out, "\\u%04x", c);
		p += c < 0 ? 1 : len;
	}
}

void report_safe(FILE *out, const char *s)
{
	report_safe_n(out, s, strlen(s));
}

/* The k-th file of s in the error state (a symlink loop, permission
 * denied, a directory), as the Sources screen shows it: "PATH: reason".
 * Returns 0 when there is none. */
static int report_file_error(const struct ingest_source *s, size_t k, char *b, size_t n)
{
	for (size_t j = 0; j < s->nfiles; j++) {
		const struct follow *fl = s->files[j]->follow;
		if (follow_state(fl) != FOLLOW_ERROR || k--)
			continue;
		snprintf(b, n, "%s: %s", s->files[j]->path, follow_error(fl));
		return 1;
	}
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static void report_jstr(FILE *o, const char *s)
{
	fputc('"', o);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", o);
			break;
		case '\\':
			fputs("\\\\", o);
			break;
		case '\n':
			fputs("\\n", o);
			break;
		case '\t':
			fputs("\\t", o);
			break;
		case '\r':
			fputs("\\r", o);
			break;
		default: {
			int len, c = report_ctl(p, &len);
			if (c < 0) {
				fputc(*p, o);
			} else {
				/* C1 too: JSON allows it raw, a terminal does not */
				fprintf(o, "\\u%04x", c);
				p += len - 1;
			}
		}
		}
	}
	fputc('"', o);
}

/* Numbers keep their value: the shortest decimal that reads back as the
 * same double (money keeps its cents, counts stay whole). */
static void report_jnum(FILE *o, double x)
{
	char b[64];
	if (isnan(x) || isinf(x)) {
		fputs("null", o);
		return;
	}
	util_fmt_shortest(b, sizeof b, x);
	fputs(b, o);
}

static void report_jts(FILE *o, int64_t ts)
{
	char b[40];
	if (ts == INT64_MIN || ts == INT64_MAX) {
		fputs("null", o);
		return;
	}
	parse_format_ts(ts, b, sizeof b);
	report_jstr(o, b);
}

#define JK(o, k) fprintf(o, "\"%s\": ", k)

static void report_jnps(FILE *o, const struct view_nps *n)
{
	fputs("{\"n\": ", o);
	fprintf(o, "%u, \"histogram\": [", n->n);
	for (int i = 0; i <= 10; i++)
		fprintf(o, "%s%u", i ? ", " : "", n->histogram[i]);
	fprintf(o, "], \"promoters\": %u, \"passives\": %u, \"detractors\": %u, "
		   "\"soft_detractors\": %u, \"hard_detractors\": %u, \"nps\": ",
		n->promoters, n->passives, n->detractors, n->soft_detractors, n->hard_detractors);
	report_jnum(o, n->nps);
	fputs(", \"nps_moe95\": ", o);
	report_jnum(o, n->nps_moe95);
	fprintf(o, ", \"significant\": %s, \"mean_detractor_score\": ",
		n->significant ? "true" : "false");
	report_jnum(o, n->mean_detractor_score);
	fputs(", \"nps_if_soft_passive\": ", o);
	report_jnum(o, n->nps_if_soft_passive);
	fputs(", \"wrs\": ", o);
	report_jnum(o, n->wrs);
	fputs(", \"response_rate\": ", o);
	report_jnum(o, n->response_rate);
	fputc('}', o);
}

/* One outcome object's fields: counts and rates; with bounds, the 95 %
 * Wilson interval of each rate. */
/* The report's hot lines (every campaign's fields and outcomes, 2 KB a
 * campaign) are put together with fputs rather than fprintf: a format
 * parsed for each number was a third of a restart's report. */
static void report_jkey(FILE *o, const char *sep, const char *name, const char *suffix)
{
	fputs(sep, o);
	fputc('"', o);
	fputs(name, o);
	fputs(suffix, o);
	fputs("\": ", o);
}

static void report_joutcome(FILE *o, const struct outcome_counts *c, int bounds)
{
	const struct {
		const char *name;
		uint32_t k;
	} rates[] = {{"churn", c->churned}, {"optout", c->opted_out}, {"conversion", c->converted}};
	report_jkey(o, "", "respondents", "");
	report_jnum(o, c->respondents);
	report_jkey(o, ", ", "churned", "");
	report_jnum(o, c->churned);
	report_jkey(o, ", ", "opted_out", "");
	report_jnum(o, c->opted_out);
	report_jkey(o, ", ", "converted", "");
	report_jnum(o, c->converted);
	for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
		double r, lo, hi;
		outcome_rate(rates[i].k, c->respondents, &r, &lo, &hi);
		report_jkey(o, ", ", rates[i].name, "_rate");
		report_jnum(o, r);
		if (!bounds)
			continue;
		report_jkey(o, ", ", rates[i].name, "_rate_lo");
		report_jnum(o, lo);
		report_jkey(o, ", ", rates[i].name, "_rate_hi");
		report_jnum(o, hi);
	}
}

/* "nps_outcomes": [11 scores], "nps_band_outcomes": [4 bands] (SPEC 3.6);
 * ind is the indent of the array items. */
static void report_joutcomes(FILE *o, const struct outcome_set *s, const char *ind)
{
	fputs("\"nps_outcomes\": [", o);
	for (int k = 0; k <= 10; k++) {
		fputs(k ? ",\n" : "\n", o);
		fputs(ind, o);
		report_jkey(o, "{", "score", "");
		report_jnum(o, k);
		fputs(", ", o);
		report_joutcome(o, &s->score[k], 0);
		fputc('}', o);
	}
	fputs("],\n  \"nps_band_outcomes\": [", o);
	for (int b = 0; b < OUTCOME_NBANDS; b++) {
		fprintf(o, "%s\n%s{\"band\": \"%s\", \"scores\": \"%s\", ", b ? "," : "", ind,
			outcome_band_name(b), outcome_band_scores(b));
		report_joutcome(o, &s->band[b], 1);
		fputc('}', o);
	}
	fputc(']', o);
}

static int report_has_respondents(const struct outcome_set *s)
{
	uint32_t r = 0;
	for (int b = 0; b < OUTCOME_NBANDS; b++)
		r += s->band[b].respondents;
	return r > 0;
}

struct report_field {
	const char *name;
	size_t off;
	int is_int; /* uint32_t, else double */
};

#define RF_D(s, f) { #f, offsetof(struct s, f), 0 }
#define RF_U(s, f) { #f, offsetof(struct s, f), 1 }

static const struct report_field report_vanity_fields[] = {
	RF_D(view_vanity, impressions), RF_D(view_vanity, reach), RF_D(view_vanity, awareness),
	RF_D(view_vanity, open_rate), RF_D(view_vanity, ctr), RF_D(view_vanity, nps),
};

static const struct report_field report_cx_fields[] = {
	RF_D(view_cx, optout_rate), RF_D(view_cx, opted_in_share), RF_D(view_cx, disengaged),
	RF_D(view_cx, churn_rate_monthly), RF_D(view_cx, retention_rate), RF_D(view_cx, arpu),
	RF_D(view_cx, clv), RF_D(view_cx, csat), RF_D(view_cx, csat_mean), RF_D(view_cx, ces),
	RF_D(view_cx, ces_easy), RF_D(view_cx, wrs), RF_D(view_cx, engaged), RF_D(view_cx, hve),
	RF_D(view_cx, cev), RF_D(view_cx, cev_per_engaged), RF_U(view_cx, customers),
	RF_U(view_cx, opted_in), RF_U(view_cx, churned_30d), RF_U(view_cx, active_30d_ago),
	RF_D(view_cx, churned_share), RF_U(view_cx, churned_ever), RF_U(view_cx, customers_ever),
	RF_U(view_cx, undated_customers),
};

static const struct report_field report_campaign_fields[] = {
	RF_U(view_campaign, sent), RF_U(view_campaign, delivered), RF_U(view_campaign, bounces),
	RF_U(view_campaign, unique_opens), RF_U(view_campaign, human_opens),
	RF_U(view_campaign, machine_opens), RF_U(view_campaign, unique_clicks),
	RF_U(view_campaign, optouts), RF_U(view_campaign, complaints),
	RF_U(view_campaign, conversions), RF_D(view_campaign, revenue),
	RF_D(view_campaign, spend), RF_D(view_campaign, open_rate),
	RF_D(view_campaign, human_open_rate), RF_D(view_campaign, ctr), RF_D(view_campaign, ctor),
	RF_D(view_campaign, optout_rate), RF_D(view_campaign, bounce_rate),
	RF_D(view_campaign, complaint_rate), RF_U(view_campaign, base),
	RF_D(view_campaign, ctr_base), RF_D(view_campaign, audience_retained),
};

static double report_get(const void *base, const struct report_field *f)
{
	const char *p = (const char *)base + f->off;
	if (f->is_int) {
		uint32_t u;
		memcpy(&u, p, sizeof u);
		return u;
	}
	double d;
	memcpy(&d, p, sizeof d);
	return d;
}

static void report_jfields(FILE *o, const void *base, const struct report_field *f, size_t n,
			   int open)
{
	if (open)
		fputc('{', o);
	for (size_t i = 0; i < n; i++) {
		report_jkey(o, (i || !open) ? ", " : "", f[i].name, "");
		report_jnum(o, report_get(base, &f[i]));
	}
	if (open)
		fputc('}', o);
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static void report_json_window(FILE *o, const struct view_period *p, int64_t now)
{
	fputs("{\"start\": ", o);
	report_jts(o, now == INT64_MIN ? INT64_MIN : p->start);
	fputs(", \"end\": ", o);
	report_jts(o, now == INT64_MIN ? INT64_MIN : p->end); /* no data: no window */
	fputs(", \"days\": ", o);
	if (p->days)
		fprintf(o, "%d", p->days);
	else
		fputs("null", o);
	fputs(", \"now\": ", o);
	report_jts(o, now);
	fputc('}', o);
}

static void report_json(FILE *o, const struct view *v, const struct ingest *in)
{
	fputs("{\n  \"window\": ", o);
	report_json_window(o, &v->win, v->now);
	fputs(",\n  \"previous_window\": ", o);
	if (v->has_prev)
		report_json_window(o, &v->prev, v->now);
	else
		fputs("null", o);
	fputs(",\n  \"rows\": {", o);
	for (size_t i = 0; i < ingest_nsources(in); i++) {
		const struct ingest_source *s = ingest_source(in, i);
		fprintf(o, "%s\n    ", i ? "," : "");
		report_jstr(o, s->cfg->name);
		fprintf(o, ": {\"kind\": \"%s\", \"read\": %llu, \"rejected\": %llu, \"no_answer\": %llu, "
			   "\"unknown_events\": %llu, \"files\": %zu, \"error\": ",
			schema_kind_name(s->cfg->kind), (unsigned long long)s->rows,
			(unsigned long long)s->rejected, (unsigned long long)s->na,
			(unsigned long long)s->unknown_events, s->nfiles);
		char fe[4200];
		if (s->header_error)
			report_jstr(o, s->header_error);
		else if (report_file_error(s, 0, fe, sizeof fe))
			report_jstr(o, fe);
		else
			fputs("null", o);
		if (s->header_notice) {
			fputs(", \"notice\": ", o);
			report_jstr(o, s->header_notice);
		}
		fputc('}', o);
	}
	fputs("\n  },\n  \"vanity\": ", o);
	report_jfields(o, &v->vanity, report_vanity_fields, NF(report_vanity_fields), 1);
	fputs(",\n  \"vanity_previous\": ", o);
	if (v->has_prev)
		report_jfields(o, &v->vanity_prev, report_vanity_fields, NF(report_vanity_fields), 1);
	else
		fputs("null", o);
	fputs(",\n  \"cx\": ", o);
	report_jfields(o, &v->cx, report_cx_fields, NF(report_cx_fields), 1);
	fputs(",\n  \"cx_previous\": ", o);
	if (v->has_prev)
		report_jfields(o, &v->cx_prev, report_cx_fields, NF(report_cx_fields), 1);
	else
		fputs("null", o);
	fputs(",\n  \"nps\": ", o);
	report_jnps(o, &v->nps);
	fputs(",\n  \"nps_previous\": ", o);
	if (v->has_prev)
		report_jnps(o, &v->nps_prev);
	else
		fputs("null", o);
	fputs(",\n  ", o);
	report_joutcomes(o, &v->outcomes, "    ");
	fputs(",\n  \"cohorts\": [", o);
	for (size_t i = 0; i < v->ncohorts; i++) {
		const struct cohort *c = &v->cohorts[i];
		fprintf(o, "%s\n    {\"cohort\": \"%04d-%02d\", \"customers\": %u, \"retained\": [",
			i ? "," : "", c->year, c->month, c->customers);
		for (size_t k = 0; k < c->nmonths; k++) {
			fputs(k ? ", " : "", o);
			report_jnum(o, c->retained[k]);
		}
		fputs("]}", o);
	}
	fputs("\n  ]", o);
	fputs(",\n  \"campaigns\": [", o);
	for (size_t i = 0; i < v->ncampaigns; i++) {
		const struct view_campaign *c = &v->campaigns[i];
		fprintf(o, "%s\n    {\"campaign_id\": ", i ? "," : "");
		report_jstr(o, c->campaign_id);
		fputs(", \"name\": ", o);
		report_jstr(o, c->name);
		fputs(", \"channel\": ", o);
		report_jstr(o, c->channel);
		fputs(", \"start\": ", o);
		report_jts(o, c->start);
		fprintf(o, ", \"in_window\": %s", c->in_window ? "true" : "false");
		report_jfields(o, c, report_campaign_fields, NF(report_campaign_fields), 0);
		fputs(", \"nps\": ", o);
		report_jnps(o, &c->nps);
		if (v->campaign_outcomes && report_has_respondents(&v->campaign_outcomes[i])) {
			fputs(", ", o);
			report_joutcomes(o, &v->campaign_outcomes[i], "      ");
		}
		fputc('}', o);
	}
	fputs("\n  ],\n  \"segments\": [", o);
	for (size_t i = 0; i < v->nsegments; i++) {
		fprintf(o, "%s\n    {\"segment\": ", i ? "," : "");
		report_jstr(o, v->segments[i].name);
		fputs(", \"nps\": ", o);
		report_jnps(o, &v->segments[i].nps);
		if (report_has_respondents(&v->segments[i].outcomes)) {
			fputs(", ", o);
			report_joutcomes(o, &v->segments[i].outcomes, "      ");
		}
		fputc('}', o);
	}
	fputs("\n  ],\n  \"channels\": [", o);
	for (size_t i = 0; i < v->nchannels; i++) {
		fprintf(o, "%s\n    {\"channel\": ", i ? "," : "");
		report_jstr(o, v->channels[i].name);
		fputs(", \"nps\": ", o);
		report_jnps(o, &v->channels[i].nps);
		fputc('}', o);
	}
	fputs("\n  ],\n  \"churn_by_month\": [", o);
	for (size_t i = 0; i < v->nmonths; i++) {
		const struct view_month *m = &v->months[i];
		fprintf(o, "%s\n    {\"month\": \"%04d-%02d\", \"churned\": %u, \"active_at_start\": %u, "
			   "\"churn_rate\": ",
			i ? "," : "", m->year, m->month, m->churned, m->active_at_start);
		report_jnum(o, m->churn_rate);
		fputc('}', o);
	}
	fputs("\n  ],\n  \"alerts\": [", o);
	for (size_t i = 0; i < v->nalerts; i++) {
		const struct view_alert *a = &v->alerts[i];
		fprintf(o, "%s\n    {\"kind\": \"%s\", \"severity\": %d, \"subject\": ", i ? "," : "",
			view_alert_name(a->kind), a->severity);
		report_jstr(o, a->subject);
		fputs(", \"message\": ", o);
		report_jstr(o, a->message);
		fputc('}', o);
	}
	fputs("\n  ],\n  \"unknown_events\": [", o);
	for (size_t i = 0, k = 0; i < ingest_nwords(in); i++) {
		const struct ingest_word *w = ingest_word(in, i);
		if (w->col != SCHEMA_COL_EVENT)
			continue;
		fprintf(o, "%s\n    {\"word\": ", k++ ? "," : "");
		report_jstr(o, w->word);
		fprintf(o, ", \"count\": %llu, \"file\": ", (unsigned long long)w->count);
		report_jstr(o, w->file);
		fprintf(o, ", \"%s\": %llu}", w->by_key ? "key" : "line", (unsigned long long)w->line);
	}
	/* labels a map.X lacks: their rows are rejections, listed once */
	fputs("\n  ],\n  \"unmapped_labels\": [", o);
	for (size_t i = 0, k = 0; i < ingest_nwords(in); i++) {
		const struct ingest_word *w = ingest_word(in, i);
		if (w->col == SCHEMA_COL_EVENT)
			continue;
		fprintf(o, "%s\n    {\"column\": \"%s\", \"label\": ", k++ ? "," : "",
			schema_col_name(w->col));
		report_jstr(o, w->word);
		fprintf(o, ", \"rejected\": %llu, \"file\": ", (unsigned long long)w->count);
		report_jstr(o, w->file);
		fprintf(o, ", \"%s\": %llu}", w->by_key ? "key" : "line", (unsigned long long)w->line);
	}
	fputs("\n  ],\n  \"rejections\": [", o);
	size_t nrej = ingest_nrejections(in);
	const struct ingest_rejection **rej = xcalloc(nrej ? nrej : 1, sizeof *rej);
	ingest_rejections_ordered(in, rej);
	for (size_t i = 0; i < nrej; i++) {
		const struct ingest_rejection *r = rej[i];
		fprintf(o, "%s\n    {\"file\": ", i ? "," : "");
		report_jstr(o, r->file);
		fprintf(o, ", \"%s\": %llu, \"reason\": ", r->by_key ? "key" : "line",
			(unsigned long long)r->line);
		report_jstr(o, r->reason);
		fputc('}', o);
	}
	free(rej);
	fputs("\n  ]\n}\n", o);
}

/* ---- CSV ---------------------------------------------------------------- */

/* RFC 4180 quoting when a field holds a comma or a quote. Line ends and
 * every other control are written as \xNN (C1 as \u00NN), as in text: CSV
 * has no escape of its own, and the output often goes to a terminal. So a
 * field never spans lines either. */
static void report_cstr(FILE *o, const char *s)
{
	if (!strpbrk(s, ",\"")) {
		report_safe(o, s);
		return;
	}
	fputc('"', o);
	for (const char *p = s; *p;) {
		const char *q = strchr(p, '"');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		report_safe_n(o, p, n);
		if (!q)
			break;
		fputs("\"\"", o);
		p = q + 1;
	}
	fputc('"', o);
}

static void report_cnum(FILE *o, double x)
{
	if (isnan(x) || isinf(x))
		return; /* an empty cell is how spreadsheets spell "no value" */
	report_jnum(o, x);
}

static void report_csv(FILE *o, const struct view *v)
{
	fputs("campaign_id,name,channel,start,in_window", o);
	for (size_t i = 0; i < NF(report_campaign_fields); i++)
		fprintf(o, ",%s", report_campaign_fields[i].name);
	fputs(",nps_n,nps,nps_moe95,mean_detractor_score,wrs\n", o);
	for (size_t i = 0; i < v->ncampaigns; i++) {
		const struct view_campaign *c = &v->campaigns[i];
		char b[40] = "";
		if (c->start != INT64_MAX)
			parse_format_ts(c->start, b, sizeof b);
		report_cstr(o, c->campaign_id);
		fputc(',', o);
		report_cstr(o, c->name);
		fputc(',', o);
		report_cstr(o, c->channel);
		fprintf(o, ",%s,%d", b, c->in_window);
		for (size_t k = 0; k < NF(report_campaign_fields); k++) {
			fputc(',', o);
			report_cnum(o, report_get(c, &report_campaign_fields[k]));
		}
		fprintf(o, ",%u,", c->nps.n);
		report_cnum(o, c->nps.nps);
		fputc(',', o);
		report_cnum(o, c->nps.nps_moe95);
		fputc(',', o);
		report_cnum(o, c->nps.mean_detractor_score);
		fputc(',', o);
		report_cnum(o, c->nps.wrs);
		fputc('\n', o);
	}
}

/* ---- text --------------------------------------------------------------- */

enum report_unit { RU_COUNT, RU_RATE, RU_POINTS, RU_MONEY, RU_SCORE };

struct report_text {
	FILE *o;
	const char *undef;
};

static void report_fmt(char *b, size_t n, double x, enum report_unit u, const char *undef)
{
	if (isnan(x) || isinf(x)) {
		snprintf(b, n, "%s", undef);
		return;
	}
	switch (u) {
	case RU_COUNT:
		util_fmt_count(b, n, x);
		break;
	case RU_RATE:
		snprintf(b, n, "%.1f%%", 100 * x);
		break;
	case RU_POINTS:
		snprintf(b, n, "%+.1f", x);
		break;
	case RU_MONEY:
		snprintf(b, n, "%.2f", x);
		break;
	case RU_SCORE:
		snprintf(b, n, "%.2f", x);
		break;
	}
}

static void report_row(struct report_text *t, const char *label, double now, double prev,
		       int has_prev, enum report_unit u)
{
	char a[48], b[48], d[48] = "";
	report_fmt(a, sizeof a, now, u, t->undef);
	report_fmt(b, sizeof b, prev, u, t->undef);
	if (has_prev && !isnan(now) && !isnan(prev)) {
		if (u == RU_RATE)
			snprintf(d, sizeof d, "%+.1f pts", 100 * (now - prev));
		else if (u == RU_POINTS)
			snprintf(d, sizeof d, "%+.1f", now - prev);
		else if (prev != 0)
			snprintf(d, sizeof d, "%+.1f%%", 100 * (now - prev) / fabs(prev));
	}
	if (has_prev)
		fprintf(t->o, "  %-32s %12s %12s %11s\n", label, a, b, d);
	else
		fprintf(t->o, "  %-32s %12s\n", label, a);
}

/* Wrap text at width, indenting continuation lines. */
static void report_wrap(FILE *o, const char *s, int indent, int width)
{
	int col = indent;
	const char *p = s;
	while (*p) {
		const char *w = p;
		while (*w && *w != ' ')
			w++;
		int len = (int)(w - p);
		if (col > indent && col + 1 + len > width) {
			fprintf(o, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', o);
			col++;
		}
		char word[512];
		snprintf(word, sizeof word, "%.*s", len, p);
		report_safe(o, word);
		col += len;
		p = *w ? w + 1 : w;
	}
	fputc('\n', o);
}

/* What each score's people did: the respondents of the window (a customer
 * of the customers source, latest answer), by score and by band. */
static void report_text_outcomes(FILE *o, const struct view *v, const struct report_text *t)
{
	const struct outcome_set *s = &v->outcomes;
	uint32_t total = 0;
	for (int b = 0; b < OUTCOME_NBANDS; b++)
		total += s->band[b].respondents;
	fputs("\nWHAT EACH SCORE'S PEOPLE DID (respondents: customers, latest answer in the window)\n",
	      o);
	if (!total) {
		fputs("  no respondent is a customer of the customers source\n", o);
		return;
	}
	fputs("  score  respondents  churned  opted out  converted\n", o);
	for (int k = 0; k <= 10; k++) {
		const struct outcome_counts *c = &s->score[k];
		char a[16], b[16], d[16];
		double r, lo, hi;
		outcome_rate(c->churned, c->respondents, &r, &lo, &hi);
		report_fmt(a, sizeof a, r, RU_RATE, t->undef);
		outcome_rate(c->opted_out, c->respondents, &r, &lo, &hi);
		report_fmt(b, sizeof b, r, RU_RATE, t->undef);
		outcome_rate(c->converted, c->respondents, &r, &lo, &hi);
		report_fmt(d, sizeof d, r, RU_RATE, t->undef);
		fprintf(o, "  %5d  %11u  %7s  %9s  %9s\n", k, c->respondents, a, b, d);
	}
	static const char *const label[OUTCOME_NBANDS] = {"hard detractors (0-4)", "soft detractors (5-6)",
							  "passives (7-8)", "promoters (9-10)"};
	for (int b = 0; b < OUTCOME_NBANDS; b++) {
		const struct outcome_counts *c = &s->band[b];
		double r, lo, hi;
		outcome_rate(c->churned, c->respondents, &r, &lo, &hi);
		if (isnan(r)) {
			fprintf(o, "  %-22s no respondents\n", label[b]);
			continue;
		}
		fprintf(o, "  %-22s churned %u of %u, %.1f%% (95%% %.1f-%.1f%%)\n", label[b], c->churned,
			c->respondents, 100 * r, 100 * lo, 100 * hi);
	}
	char words[256];
	outcome_sentence(s, 1, words, sizeof words);
	if (words[0])
		fprintf(o, "  %s\n", words);
}

/* The signup cohorts: retained share by months since signup. */
static void report_text_cohorts(FILE *o, const struct view *v)
{
	if (!v->ncohorts)
		return;
	fputs("\nSIGNUP COHORTS (share still a customer at the start of month k+1 after signup)\n",
	      o);
	fputs("  cohort   customers", o);
	size_t maxk = 0;
	for (size_t i = 0; i < v->ncohorts; i++)
		if (v->cohorts[i].nmonths > maxk)
			maxk = v->cohorts[i].nmonths;
	for (size_t k = 0; k < maxk; k++)
		fprintf(o, " %4zu", k);
	fputc('\n', o);
	for (size_t i = 0; i < v->ncohorts; i++) {
		const struct cohort *c = &v->cohorts[i];
		fprintf(o, "  %04d-%02d  %9u", c->year, c->month, c->customers);
		for (size_t k = 0; k < c->nmonths; k++)
			fprintf(o, " %3.0f%%", 100 * c->retained[k]);
		fputc('\n', o);
	}
}

static void report_text(FILE *o, const struct view *v, const struct ingest *in, int ascii)
{
	struct report_text t = { o, ascii ? "-" : "\xe2\x80\x94" };
	char a[40], b[40];
	int hp = v->has_prev;

	if (v->now == INT64_MIN) {
		fputs("cxtop: no data yet (no timestamped rows in any log source)\n", o);
	} else {
		parse_format_date(v->win.start, a, sizeof a);
		parse_format_ts(v->now, b, sizeof b);
		char c[40];
		parse_format_date(v->now, c, sizeof c);
		if (v->win.days)
			fprintf(o, "cxtop  last %d days: %s .. %s (now %s)\n", v->win.days, a, c, b);
		else
			fprintf(o, "cxtop  all data: %s .. %s (now %s)\n", a, c, b);
	}
	report_fmt(a, sizeof a, (double)ingest_rows(in), RU_COUNT, t.undef);
	report_fmt(b, sizeof b, (double)ingest_rejected(in), RU_COUNT, t.undef);
	fprintf(o, "rows: %s read, %s rejected\n\n", a, b);

	if (hp)
		fprintf(o, "%-34s %12s %12s %11s\n", "VANITY (awareness)", "window", "previous",
			"change");
	else
		fprintf(o, "%-34s %12s\n", "VANITY (awareness)", "window");
	report_row(&t, "impressions", v->vanity.impressions, v->vanity_prev.impressions, hp, RU_COUNT);
	report_row(&t, "reach", v->vanity.reach, v->vanity_prev.reach, hp, RU_COUNT);
	report_row(&t, "brand awareness (of asked)", v->vanity.awareness, v->vanity_prev.awareness,
		   hp, RU_RATE);
	report_row(&t, "open rate (of delivered)", v->vanity.open_rate, v->vanity_prev.open_rate,
		   hp, RU_RATE);
	report_row(&t, "click rate (of delivered)", v->vanity.ctr, v->vanity_prev.ctr, hp, RU_RATE);
	report_row(&t, "NPS", v->vanity.nps, v->vanity_prev.nps, hp, RU_POINTS);
	fputs("\nCUSTOMER EXPERIENCE (retention)\n", o);
	const struct view_cx *x = &v->cx, *y = &v->cx_prev;
	report_row(&t, "opt-out rate (of delivered)", x->optout_rate, y->optout_rate, hp, RU_RATE);
	report_row(&t, "opted-in share (of customers)", x->opted_in_share, y->opted_in_share, hp,
		   RU_RATE);
	report_row(&t, "disengaged (opted out)", x->disengaged, y->disengaged, hp, RU_RATE);
	report_row(&t, "monthly churn (30d)", x->churn_rate_monthly, y->churn_rate_monthly, hp,
		   RU_RATE);
	report_row(&t, "retention (30d)", x->retention_rate, y->retention_rate, hp, RU_RATE);
	report_row(&t, "churned (of customers, ever)", x->churned_share, y->churned_share, hp,
		   RU_RATE);
	report_row(&t, "ARPU (monthly, active)", x->arpu, y->arpu, hp, RU_MONEY);
	report_row(&t, "CLV (ARPU x margin / churn)", x->clv, y->clv, hp, RU_MONEY);
	report_row(&t, "CSAT (4-5 of responses)", x->csat, y->csat, hp, RU_RATE);
	report_row(&t, "CES (mean, 1-7, 7 easiest)", x->ces, y->ces, hp, RU_SCORE);
	report_row(&t, "CES easy (5-7 of responses)", x->ces_easy, y->ces_easy, hp, RU_RATE);
	report_row(&t, "WRS (willingness to recommend)", x->wrs, y->wrs, hp, RU_SCORE);
	report_row(&t, "engaged customers", x->engaged, y->engaged, hp, RU_COUNT);
	report_row(&t, "high-value events", x->hve, y->hve, hp, RU_COUNT);
	report_row(&t, "CEV (value of those events)", x->cev, y->cev, hp, RU_MONEY);
	report_row(&t, "CEV per engaged customer", x->cev_per_engaged, y->cev_per_engaged, hp,
		   RU_MONEY);
	if (isnan(x->clv) && !isnan(x->arpu) && x->churn_rate_monthly == 0)
		fputs("  (CLV undefined: nobody churned in the last 30 days)\n", o);
	if (x->undated_customers && isnan(x->churn_rate_monthly)) {
		util_fmt_count(a, sizeof a, x->undated_customers);
		fprintf(o, "  (monthly churn undefined: %s customers have no signup or churn day, "
			   "only a churn flag)\n", a);
	}

	const struct view_nps *n = &v->nps;
	fprintf(o, "\nNPS (window): n = %u", n->n);
	if (n->n) {
		report_fmt(a, sizeof a, n->response_rate, RU_RATE, t.undef);
		fprintf(o, ", NPS %+.1f +/- %.1f (95%%), %s\n  response rate %s of invitations\n",
			n->nps, n->nps_moe95, n->significant ? "significant" : "NOT significant", a);
		uint32_t max = 1;
		for (int i = 0; i <= 10; i++)
			if (n->histogram[i] > max)
				max = n->histogram[i];
		for (int i = 0; i <= 10; i++) {
			static const char band[] = "HHHHHSSPPRR"; /* hard, soft, passive, promoter */
			static const char glyph[] = "xxxxx==--##";
			int w = (int)((40.0 * n->histogram[i] + max - 1) / max);
			fprintf(o, "  %2d %c |", i, band[i]);
			for (int k = 0; k < w; k++)
				fputc(glyph[i], o);
			fprintf(o, " %u (%.1f%%)\n", n->histogram[i], 100.0 * n->histogram[i] / n->n);
		}
		fprintf(o, "  H hard detractors (0-4) %u, S soft detractors (5-6) %u,\n"
			   "  P passives (7-8) %u, R promoters (9-10) %u\n",
			n->hard_detractors, n->soft_detractors, n->passives, n->promoters);
		report_fmt(a, sizeof a, n->mean_detractor_score, RU_SCORE, t.undef);
		fprintf(o, "  WRS %.1f, mean detractor score %s,\n"
			   "  NPS if soft detractors became passive %+.1f\n",
			n->wrs, a, n->nps_if_soft_passive);
		report_text_outcomes(o, v, &t);
	} else {
		fputs(" (no NPS responses in the window)\n", o);
	}
	report_text_cohorts(o, v);

	fputs("\nALERTS (most severe first)\n", o);
	if (!v->nalerts)
		fputs("  none\n", o);
	for (size_t i = 0; i < v->nalerts; i++) {
		const struct view_alert *al = &v->alerts[i];
		fprintf(o, "  [%s] %s\n", al->severity >= 3 ? "!!!" : al->severity == 2 ? "!! " : "!  ",
			view_alert_name(al->kind));
		fputs("      ", o);
		report_wrap(o, al->message, 6, 79);
	}

	fputs("\nSOURCES\n", o);
	for (size_t i = 0; i < ingest_nsources(in); i++) {
		const struct ingest_source *s = ingest_source(in, i);
		fputs("  ", o);
		report_safe(o, s->cfg->name);
		size_t nl = strlen(s->cfg->name);
		fprintf(o, "%*s %llu rows, %llu rejected", nl < 22 ? (int)(22 - nl) : 0, "", (unsigned long long)s->rows, (unsigned long long)s->rejected);
		if (s->na)
			fprintf(o, ", %llu no answer", (unsigned long long)s->na);
		if (ingest_db_state(s)) {
			fprintf(o, ", %s", ingest_db_state(s));
			if (s->cfg->kind == SCHEMA_EVENTS) {
				fputs(", pushdown ", o);
				report_safe(o, ingest_db_pushdown(s));
			}
		}
		else if (!s->nfiles)
			fputs(", no file yet", o);
		fputc('\n', o);
		if (s->header_error) {
			fputs("    error: ", o);
			report_safe(o, s->header_error);
			fputc('\n', o);
		}
		if (s->header_notice) {
			fputs("    notice: ", o);
			report_safe(o, s->header_notice);
			fputc('\n', o);
		}
		char fe[4200];
		for (size_t k = 0; report_file_error(s, k, fe, sizeof fe); k++) {
			fputs("    error: ", o);
			report_safe(o, fe);
			fputc('\n', o);
		}
	}
	for (size_t i = 0; i < ingest_nwords(in); i++) {
		const struct ingest_word *w = ingest_word(in, i);
		if (w->col == SCHEMA_COL_EVENT) {
			fputs("  unknown event word \"", o);
			report_safe(o, w->word);
			fprintf(o, "\" x%llu (first at ", (unsigned long long)w->count);
		} else {
			fprintf(o, "  %s \"", schema_col_name(w->col));
			report_safe(o, w->word);
			fprintf(o, "\" not in map.%s: %llu rows rejected (first at ",
				schema_col_name(w->col), (unsigned long long)w->count);
		}
		char where[600];
		report_safe(o, ingest_where(where, sizeof where, w->file, w->line, w->by_key));
		fputs(")\n", o);
	}
	size_t nr = ingest_nrejections(in);
	if (nr) {
		fprintf(o, "\nLATEST REJECTIONS (%zu of %llu shown)\n", nr < 10 ? nr : 10,
			(unsigned long long)ingest_rejected(in));
		const struct ingest_rejection **rej = xcalloc(nr, sizeof *rej);
		ingest_rejections_ordered(in, rej);
		for (size_t i = 0; i < nr && i < 10; i++) {
			const struct ingest_rejection *r = rej[i];
			fputs("  ", o);
			char where[600];
			report_safe(o, ingest_where(where, sizeof where, r->file, r->line, r->by_key));
			fputs(": ", o);
			report_safe(o, r->reason);
			fputc('\n', o);
		}
		free(rej);
	}
}

int report_write(FILE *out, enum report_format fmt, const struct view *v,
		 const struct ingest *in, const struct config *cfg, int ascii)
{
	switch (fmt) {
	case REPORT_JSON:
		report_json(out, v, in);
		break;
	case REPORT_CSV:
		report_csv(out, v);
		break;
	case REPORT_TEXT:
		report_text(out, v, in, ascii);
		break;
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
