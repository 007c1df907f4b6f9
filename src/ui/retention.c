/* retention: the Retention screen (SPEC 4.5) — whether customers stay. The
 * CX metrics of SPEC 3.4 (retention, churn, ARPU, CLV, opted-in share,
 * disengagement, CSAT, CES, CEV), each with the denominator in its label,
 * the counts behind it, the change against the previous window (coloured by
 * whether it is good for customers: churn up is bad) and a sparkline over
 * the window; then churn per calendar month (churned of the customers active
 * at the month's start), newest first, as labelled bars.
 *
 * Layout: at 130 columns and more the months stand beside the metrics and
 * use the full height; below that they go under the metrics and get the
 * rows that are left (Up/Down scroll to older months). The metric rows are
 * one table, so a metric is added in one place. */
#include "cxtop/uiscr.h"

#include "cxtop/schema.h"

#include <curses.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum rt_unit { RT_COUNT, RT_RATE, RT_MONEY, RT_SCORE };

/* What stands beside the value: the counts behind it. */
enum rt_detail {
	RT_D_NONE,
	RT_D_STAYED,  /* active 30 days ago - churned */
	RT_D_CHURNED, /* churned of active 30 days ago */
	RT_D_MARGIN,  /* the gross margin CLV assumes */
	RT_D_OPTED,   /* opted in of customers */
	RT_D_OPTOUT,  /* opted out of customers */
	RT_D_CSAT,    /* mean of 1-5 */
	RT_D_CES,     /* easy share */
	RT_D_HVE,     /* high-value-experience events */
	RT_D_EVER     /* churned of customers, ever */
};

struct rt_metric {
	const char *label; /* names the denominator; at most 29 columns */
	size_t off;        /* double in struct view_cx */
	enum rt_unit unit;
	int up_is_good;    /* 1, 0, or -1 = neutral */
	enum rt_detail detail;
};

#define RT_C(f) offsetof(struct view_cx, f)

static const struct rt_metric rt_metrics[] = {
	{ "retention (of active 30d ago)", RT_C(retention_rate), RT_RATE, 1, RT_D_STAYED },
	{ "churn (of active 30 days ago)", RT_C(churn_rate_monthly), RT_RATE, 0, RT_D_CHURNED },
	{ "churned (of customers, ever)", RT_C(churned_share), RT_RATE, 0, RT_D_EVER },
	{ "ARPU (monthly, of active)", RT_C(arpu), RT_MONEY, 1, RT_D_NONE },
	{ "CLV (ARPU x margin / churn)", RT_C(clv), RT_MONEY, 1, RT_D_MARGIN },
	{ "opted in (of customers)", RT_C(opted_in_share), RT_RATE, 1, RT_D_OPTED },
	{ "disengaged (of customers)", RT_C(disengaged), RT_RATE, 0, RT_D_OPTOUT },
	{ "opt-outs (of delivered)", RT_C(optout_rate), RT_RATE, 0, RT_D_NONE },
	{ "CSAT 4-5 (of responses)", RT_C(csat), RT_RATE, 1, RT_D_CSAT },
	{ "CES mean (1-7, 7 = easy)", RT_C(ces), RT_SCORE, 1, RT_D_CES },
	{ "CEV (value of HVE events)", RT_C(cev), RT_MONEY, 1, RT_D_HVE },
	{ "engaged (not opted out)", RT_C(engaged), RT_COUNT, 1, RT_D_NONE },
	{ "CEV per engaged customer", RT_C(cev_per_engaged), RT_MONEY, 1, RT_D_NONE },
};

#define RT_N (sizeof rt_metrics / sizeof rt_metrics[0])
#define RT_WIDE 130  /* months beside the metrics from here on */
#define RT_PANE 80   /* width of the metrics pane */

static struct {
	size_t first; /* first month shown, counted from the newest */
	int rows;     /* month rows shown at the last draw, for paging */
	int cohorts;  /* c: the signup cohorts instead of churn per month */
} rt;

static double rt_get(const struct view_cx *cx, size_t off)
{
	double d;
	memcpy(&d, (const char *)cx + off, sizeof d);
	return d;
}

static void rt_fmt(char *b, size_t n, double x, enum rt_unit u)
{
	switch (u) {
	case RT_COUNT:
		ui_fmt_count(b, n, x);
		break;
	case RT_RATE:
		ui_fmt_rate(b, n, x);
		break;
	case RT_MONEY:
		ui_fmt_money(b, n, x); /* 5,972.62 below 100k, then 123.4k, 1.23M */
		break;
	case RT_SCORE:
		if (isnan(x))
			snprintf(b, n, "%s", ui_undef());
		else
			snprintf(b, n, "%.2f", x);
		break;
	}
}

/* "PART of WHOLE" with separators, nothing when whole is 0. */
static void rt_of(char *b, size_t n, uint32_t part, uint32_t whole)
{
	char x[24], y[24];
	if (!whole)
		return;
	ui_fmt_count(x, sizeof x, part);
	ui_fmt_count(y, sizeof y, whole);
	snprintf(b, n, "%s of %s", x, y);
}

static void rt_detail(char *b, size_t n, const struct ui_ctx *c, enum rt_detail d)
{
	const struct view_cx *cx = &c->v->cx;
	char x[24];
	b[0] = '\0';
	switch (d) {
	case RT_D_NONE:
		break;
	case RT_D_STAYED:
		if (!cx->active_30d_ago)
			break;
		ui_fmt_count(x, sizeof x,
			     cx->active_30d_ago >= cx->churned_30d
				     ? (double)(cx->active_30d_ago - cx->churned_30d)
				     : 0);
		snprintf(b, n, "%s stayed", x);
		break;
	case RT_D_CHURNED:
		rt_of(b, n, cx->churned_30d, cx->active_30d_ago);
		break;
	case RT_D_EVER:
		rt_of(b, n, cx->churned_ever, cx->customers_ever);
		break;
	case RT_D_MARGIN:
		snprintf(b, n, "margin %.0f%%", 100 * c->cfg->gross_margin);
		break;
	case RT_D_OPTED:
		rt_of(b, n, cx->opted_in, cx->customers);
		break;
	case RT_D_OPTOUT:
		rt_of(b, n, cx->customers >= cx->opted_in ? cx->customers - cx->opted_in : 0,
		      cx->customers);
		break;
	case RT_D_CSAT:
		if (!isnan(cx->csat_mean))
			snprintf(b, n, "mean %.2f of 5", cx->csat_mean);
		break;
	case RT_D_CES:
		if (isnan(cx->ces_easy))
			break;
		ui_fmt_rate(x, sizeof x, cx->ces_easy);
		snprintf(b, n, "easy 5-7 %s", x);
		break;
	case RT_D_HVE: {
		/* what counts as a high-value experience comes from the config:
		 * name it when it is one kind of event and fits */
		int kinds = 0, only = 0;
		for (int e = 0; e < SCHEMA_EV_COUNT; e++) {
			if (c->cfg->hve_events & (1u << e)) {
				kinds++;
				only = e;
			}
		}
		ui_fmt_count(x, sizeof x, cx->hve);
		snprintf(b, n, "%s %s%s", x,
			 kinds == 1 ? schema_event_name((enum schema_event)only) : "HVE event",
			 cx->hve == 1 ? "" : "s");
		if (strlen(b) > 16)
			snprintf(b, n, "%s HVE event%s", x, cx->hve == 1 ? "" : "s");
		break;
	}
	}
}

/* Why CLV has no value, in plain words. */
static const char *rt_clv_why(const struct view_cx *cx)
{
	if (cx->undated_customers && !cx->active_30d_ago)
		return "undefined: it needs a monthly churn, and that needs days";
	if (!cx->active_30d_ago)
		return "undefined: nobody was active 30 days ago";
	if (!cx->churned_30d)
		return "undefined: nobody churned in the last 30 days";
	return "undefined: no revenue from active customers";
}

static void rt_row(struct ui_ctx *c, int y, int x, int w, const struct rt_metric *m)
{
	const struct view *v = c->v;
	const int lw = 30, vw = 9, tw = 16, dw = 8;
	int sw = w - lw - vw - tw - dw - 3;
	double now = rt_get(&v->cx, m->off);
	double prev = v->has_prev ? rt_get(&v->cx_prev, m->off) : VIEW_UNDEF;
	double series[VIEW_SPARK_N];
	char val[32], det[96];

	ui_put(y, x, lw, THEME_TEXT, "%s", m->label);
	if (m->off == RT_C(churn_rate_monthly) && isnan(now) && v->cx.undated_customers) {
		ui_put(y, x + lw + 1, w - lw - 1, THEME_ALERT, "%s",
		       "undefined: customers have a churn flag, no days");
		return;
	}
	if (m->off == RT_C(clv) && isnan(now)) {
		/* the reason says "undefined" and needs the whole row */
		ui_put(y, x + lw + 1, w - lw - 1, THEME_ALERT, "%s", rt_clv_why(&v->cx));
		return;
	}
	rt_fmt(val, sizeof val, now, m->unit);
	ui_rjust(y, x + lw, vw, THEME_CX, val);
	rt_detail(det, sizeof det, c, m->detail);
	ui_put(y, x + lw + vw + 2, tw, THEME_DIM, "%s", det);
	ui_delta(y, x + lw + vw + tw + 2, dw, now, prev,
		 m->unit == RT_RATE			       ? UI_CH_POINTS
		 : m->unit == RT_COUNT || m->unit == RT_MONEY ? UI_CH_RELATIVE
							       : UI_CH_ABS,
		 m->up_is_good);
	if (sw >= 3 && v->nseries) {
		for (size_t i = 0; i < v->nseries; i++)
			series[i] = rt_get(&v->series[i].cx, m->off);
		ui_spark(y, x + lw + vw + tw + dw + 3, sw > VIEW_SPARK_N ? VIEW_SPARK_N : sw, series,
			 v->nseries, THEME_DIM);
	}
}

/* The metrics pane: a heading row, then one row per metric. */
static void rt_draw_metrics(struct ui_ctx *c, int y, int x, int w)
{
	const struct view *v = c->v;
	ui_put(y, x, 40, THEME_CX, "RETENTION  whether customers stay");
	if (v->has_prev)
		ui_put(y, x + 57, 10, THEME_DIM, "vs %dd", v->prev.days);
	if (v->nseries && w - 66 >= 3)
		ui_put(y, x + 66, w - 66, THEME_DIM, "trend");
	for (size_t i = 0; i < RT_N; i++)
		rt_row(c, y + 1 + (int)i, x, w, &rt_metrics[i]);
}

/* Churn per calendar month, newest first, from rt.first on. */
static void rt_draw_months(struct ui_ctx *c, int y, int x, int w, int rows)
{
	const struct view *v = c->v;
	char rate[16], a[24], b[24], lab[64], head[128];
	double max = 0;
	int n = (int)v->nmonths;

	rows--;
	rt.rows = rows;
	if (rt.first + (size_t)rows > (size_t)n)
		rt.first = n > rows ? (size_t)(n - rows) : 0;
	ui_hline(y, x, w, THEME_BORDER);
	ui_put(y, x + 2, w - 4, THEME_CX, " CHURN PER MONTH  churned of active at month start ");
	if (n > rows && rows > 0) {
		snprintf(head, sizeof head, " %zu-%zu of %d, Up/Dn ", rt.first + 1,
			 rt.first + (size_t)rows, n);
		int hw = (int)strlen(head);
		ui_put(y, x + w - hw - 2, hw, THEME_DIM, "%s", head);
	}
	y++;
	if (rows <= 0)
		return;
	if (!n) {
		ui_put(y, x + 1, w - 2, THEME_DIM, "no customers yet");
		return;
	}
	for (int i = 0; i < n; i++)
		if (!isnan(v->months[i].churn_rate) && v->months[i].churn_rate > max)
			max = v->months[i].churn_rate;
	for (int r = 0; r < rows && (size_t)r + rt.first < (size_t)n; r++) {
		const struct view_month *m = &v->months[n - 1 - (int)rt.first - r];
		int current = (size_t)r + rt.first == 0;
		ui_fmt_rate(rate, sizeof rate, m->churn_rate);
		ui_fmt_count(a, sizeof a, m->churned);
		ui_fmt_count(b, sizeof b, m->active_at_start);
		snprintf(lab, sizeof lab, "(%s of %s)", a, b);
		ui_put(y + r, x + 1, 8, THEME_TEXT, "%04d-%02d", m->year, m->month);
		ui_rjust(y + r, x + 9, 6, THEME_CX, rate);
		ui_put(y + r, x + 17, 18, THEME_DIM, "%-17s", lab);
		int bx = x + 35, bw = w - 35 - (current ? 9 : 1);
		if (bw > 0 && max > 0 && !isnan(m->churn_rate)) {
			double f = m->churn_rate / max;
			ui_bar(y + r, bx, bw, f, THEME_BAD, '#');
			if (current)
				ui_put(y + r, bx + (int)lround(f * bw) + 1, 8, THEME_DIM, "so far");
		} else if (current) {
			ui_put(y + r, bx, 8, THEME_DIM, "so far");
		}
	}
}

/* The signup cohorts, newest first from rt.first on: each row a signup
 * month, each cell the share still a customer k months later, a shade
 * glyph before the number so that it reads in ASCII and without colour. */
static void rt_draw_cohorts(struct ui_ctx *c, int y, int x, int w, int rows)
{
	static const char *const shade8[] = {" ", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x96\x93",
					     "\xe2\x96\x88"};
	static const char shade_ascii[] = " .:+#";
	const struct view *v = c->v;
	int n = (int)v->ncohorts, cw = 5, lw = 15;
	int ncol = (w - lw - 2) / cw;
	char head[128];

	rows--;
	rt.rows = rows;
	if (rt.first + (size_t)rows > (size_t)n)
		rt.first = n > rows ? (size_t)(n - rows) : 0;
	ui_hline(y, x, w, THEME_BORDER);
	ui_put(y, x + 2, w - 4, THEME_CX, " SIGNUP COHORTS  %% still customers k months after signup ");
	if (n > rows && rows > 0) {
		snprintf(head, sizeof head, " %zu-%zu of %d ", rt.first + 1, rt.first + (size_t)rows, n);
		int hw = (int)strlen(head);
		ui_put(y, x + w - hw - 2, hw, THEME_DIM, "%s", head);
	}
	y++;
	if (rows <= 0)
		return;
	if (!n) {
		ui_put(y, x + 1, w - 2, THEME_DIM, "no customers with a signup date in the last 24 months");
		return;
	}
	/* the month numbers above the cells */
	ui_put(y, x + 1, lw, THEME_DIM, "signup  custs");
	for (int k = 0; k < ncol; k++)
		ui_put(y, x + lw + k * cw, cw, THEME_DIM, "%4d", k);
	for (int r = 0; r + 1 < rows && (size_t)r + rt.first < (size_t)n; r++) {
		const struct cohort *co = &v->cohorts[n - 1 - (int)rt.first - r];
		char cnt[24];
		ui_fmt_count(cnt, sizeof cnt, co->customers);
		ui_put(y + 1 + r, x + 1, 8, THEME_TEXT, "%04d-%02d", co->year, co->month);
		ui_rjust(y + 1 + r, x + 9, 5, THEME_DIM, cnt);
		for (int k = 0; k < ncol && (size_t)k < co->nmonths; k++) {
			double f = co->retained[k];
			int lvl = f >= 0.9 ? 4 : f >= 0.75 ? 3 : f >= 0.5 ? 2 : f > 0 ? 1 : 0;
			int cx = x + lw + k * cw;
			enum theme_role role = f >= 0.75 ? THEME_GOOD : f >= 0.5 ? THEME_TEXT : THEME_BAD;
			if (c->utf8)
				ui_glyph(y + 1 + r, cx, role, shade8[lvl], " ");
			else
				ui_put(y + 1 + r, cx, 1, role, "%c", shade_ascii[lvl]);
			ui_put(y + 1 + r, cx + 1, cw - 1, role, "%3.0f", 100 * f);
		}
		if ((size_t)ncol < co->nmonths)
			ui_glyph(y + 1 + r, x + lw + ncol * cw, THEME_DIM, "\xe2\x80\xa6", ">");
	}
}

/* Churn per month as vertical bars, oldest to newest: the trend at a
 * glance where the screen has rows to spare. */
static void rt_draw_trend(struct ui_ctx *c, int y, int x, int w, int rows)
{
	static const char *const eighths[] = { "", "\xe2\x96\x81", "\xe2\x96\x82",
					       "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
					       "\xe2\x96\x86", "\xe2\x96\x87" };
	const struct view *v = c->v;
	int n = (int)v->nmonths, first = 0, h = rows - 4;
	double max = 0;

	if (!n || h < 3)
		return;
	int cw = w / n > 5 ? 5 : w / n;
	if (cw < 3) {
		cw = 3;
		first = n - w / 3; /* the newest that fit */
	}
	for (int i = first; i < n; i++)
		if (!isnan(v->months[i].churn_rate) && v->months[i].churn_rate > max)
			max = v->months[i].churn_rate;
	ui_hline(y, x, w, THEME_BORDER);
	ui_put(y, x + 2, w - 4, THEME_CX, " MONTHLY CHURN TREND  %% of active, oldest to newest ");
	int base = y + 1 + h + 1; /* the row under the bars */
	for (int i = first; i < n; i++) {
		const struct view_month *m = &v->months[i];
		int bx = x + 1 + (i - first) * cw, bw = cw - 1;
		double f = max > 0 && !isnan(m->churn_rate) ? m->churn_rate / max : 0;
		int units = (int)lround(f * h * 8);
		for (int r = 0; r < units / 8; r++)
			for (int k = 0; k < bw; k++)
				ui_glyph(base - 1 - r, bx + k, THEME_BAD, "\xe2\x96\x88", "#");
		if (units % 8)
			for (int k = 0; k < bw; k++)
				ui_glyph(base - 1 - units / 8, bx + k, THEME_BAD, eighths[units % 8],
					 units % 8 >= 4 ? "#" : " ");
		int top = base - 1 - (units + 7) / 8;
		if (!isnan(m->churn_rate) && top > y)
			ui_put(top, bx, cw, THEME_TEXT, "%.*f", bw >= 4 ? 2 : 1,
			       100 * m->churn_rate);
		ui_put(base, bx, cw, i == n - 1 ? THEME_DIM : THEME_TEXT, "%02d%s", m->month,
		       i == n - 1 ? "*" : "");
		if (m->month == 1 || i == first)
			ui_put(base + 1, bx, 5, THEME_DIM, "%04d", m->year);
	}
	ui_put(base + 1, x + w - 12, 12, THEME_DIM, "* so far");
}

static void ui_retention_draw(struct ui_ctx *c, int top, int height)
{
	int metric_rows = 1 + (int)RT_N;
	int list = (int)(rt.cohorts ? c->v->ncohorts + 1 : c->v->nmonths) + 1;
	void (*pane)(struct ui_ctx *, int, int, int, int) = rt.cohorts ? rt_draw_cohorts
								       : rt_draw_months;
	if (c->cols >= RT_WIDE) {
		rt_draw_metrics(c, top, 1, RT_PANE - 2);
		pane(c, top, RT_PANE, c->cols - RT_PANE, height);
		if (height - metric_rows - 1 >= 9)
			rt_draw_trend(c, top + metric_rows + 1, 0, RT_PANE - 1,
				      height - metric_rows - 1);
	} else {
		int left = height - metric_rows;
		rt_draw_metrics(c, top, 1, c->cols - 2);
		if (left - list >= 9) {
			pane(c, top + metric_rows, 0, c->cols, list);
			rt_draw_trend(c, top + metric_rows + list, 0, c->cols, left - list);
		} else {
			pane(c, top + metric_rows, 0, c->cols, left);
		}
	}
}

static int ui_retention_key(struct ui_ctx *c, int key)
{
	size_t n = rt.cohorts ? c->v->ncohorts + 1 : c->v->nmonths,
	       page = rt.rows > 1 ? (size_t)rt.rows - 1 : 1;
	size_t last = n > (size_t)rt.rows ? n - (size_t)rt.rows : 0;
	switch (key) {
	case KEY_DOWN:
	case 'j':
		if (rt.first < last)
			rt.first++;
		return UI_K_REDRAW;
	case KEY_UP:
	case 'k':
		if (rt.first > 0)
			rt.first--;
		return UI_K_REDRAW;
	case KEY_NPAGE:
		rt.first = rt.first + page < last ? rt.first + page : last;
		return UI_K_REDRAW;
	case KEY_PPAGE:
		rt.first = rt.first > page ? rt.first - page : 0;
		return UI_K_REDRAW;
	case KEY_HOME:
		rt.first = 0;
		return UI_K_REDRAW;
	case KEY_END:
		rt.first = last;
		return UI_K_REDRAW;
	case 'c':
		rt.cohorts = !rt.cohorts;
		rt.first = 0;
		return UI_K_REDRAW;
	}
	return UI_K_IGNORED;
}

static const struct ui_key ui_retention_keys[] = {
	{ "Up/Dn", "older months" },
	{ "c", "cohorts / months" },
	{ NULL, NULL },
};

static const struct ui_key ui_retention_more[] = {
	{ "j/k", "older / newer months" },
	{ NULL, NULL },
};

const struct ui_screen ui_retention_screen = {
	.name = "Retention",
	.draw = ui_retention_draw,
	.key = ui_retention_key,
	.keys = ui_retention_keys,
	.more = ui_retention_more,
};
