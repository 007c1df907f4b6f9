/* overview: the metrics gap (SPEC 4.1). Vanity metrics on the left, the
 * retention (CX) metrics on the right, each with its value, the change
 * against the previous window — the arrow coloured by whether the change is
 * good for customers, not by whether the number went up — and a trend
 * sparkline; below them the alerts, most severe first. Enter on an alert
 * opens what it is about. The metric rows are one table, so a metric is
 * added in one place. */
#include "cxtop/uiscr.h"

#include "cxtop/util.h"

#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum ov_unit { OV_COUNT, OV_RATE, OV_POINTS, OV_MONEY, OV_SCORE };

struct ov_metric {
	const char *label;      /* at 80 columns: denominator in the label */
	const char *wide;       /* at >= 120 columns */
	int cx;                 /* 0 = vanity, 1 = cx */
	size_t off;             /* in struct view_vanity or view_cx */
	enum ov_unit unit;
	int up_is_good;         /* 1, 0, or -1 = neutral */
};

#define OV_V(f) 0, offsetof(struct view_vanity, f)
#define OV_C(f) 1, offsetof(struct view_cx, f)

/* Vanity changes are drawn neutral on purpose: more opens or reach is not
 * by itself good for customers — that is the point of the gap. */
static const struct ov_metric ov_metrics[] = {
	{ "impressions", "impressions", OV_V(impressions), OV_COUNT, -1 },
	{ "reach", "reach (people)", OV_V(reach), OV_COUNT, -1 },
	{ "aware/asked", "brand awareness (of asked)", OV_V(awareness), OV_RATE, -1 },
	{ "opens/delivered", "open rate (of delivered)", OV_V(open_rate), OV_RATE, -1 },
	{ "clicks/delivered", "click rate (of delivered)", OV_V(ctr), OV_RATE, -1 },
	{ "NPS", "NPS (promoters - detractors)", OV_V(nps), OV_POINTS, 1 },
	{ "opt-outs/deliv.", "opt-out rate (of delivered)", OV_C(optout_rate), OV_RATE, 0 },
	{ "opted-in share", "opted-in share (of customers)", OV_C(opted_in_share), OV_RATE, 1 },
	{ "monthly churn", "monthly churn (of active)", OV_C(churn_rate_monthly), OV_RATE, 0 },
	{ "churned ever", "churned (of customers, ever)", OV_C(churned_share), OV_RATE, 0 },
	{ "CLV", "CLV (ARPU x margin / churn)", OV_C(clv), OV_MONEY, 1 },
	{ "CSAT 4-5", "CSAT (4-5 of responses)", OV_C(csat), OV_RATE, 1 },
	{ "CES (1-7)", "CES (mean 1-7, 7 easiest)", OV_C(ces), OV_SCORE, 1 },
	{ "WRS (0-100)", "WRS (willingness to recommend)", OV_C(wrs), OV_SCORE, 1 },
	{ "engaged", "engaged (not opted out)", OV_C(engaged), OV_COUNT, 1 },
	{ "CEV/engaged", "CEV per engaged customer", OV_C(cev_per_engaged), OV_MONEY, 1 },
};

#define OV_N (sizeof ov_metrics / sizeof ov_metrics[0])

static struct {
	size_t sel;   /* selected alert */
	size_t first; /* first alert shown */
	int alerts_top, alerts_rows; /* where the alert list was drawn, for clicks */
} ov;

static double ov_get(const struct ov_metric *m, const struct view_vanity *va,
		     const struct view_cx *cx)
{
	const char *base = m->cx ? (const char *)cx : (const char *)va;
	double d;
	memcpy(&d, base + m->off, sizeof d);
	return d;
}

static void ov_fmt(char *b, size_t n, double x, enum ov_unit u)
{
	switch (u) {
	case OV_COUNT:
		ui_fmt_count(b, n, x);
		break;
	case OV_RATE:
		ui_fmt_rate(b, n, x);
		break;
	case OV_POINTS:
		ui_fmt_points(b, n, x);
		break;
	case OV_MONEY:
		ui_fmt_money(b, n, x);
		break;
	case OV_SCORE:
		if (x != x)
			snprintf(b, n, "%s", ui_undef());
		else
			snprintf(b, n, "%.1f", x);
		break;
	}
}

static void ov_row(struct ui_ctx *c, int y, int x, int w, const struct ov_metric *m)
{
	const struct view *v = c->v;
	char val[32];
	int wide = c->cols >= 120;
	int lw = wide ? 31 : 16, vw = wide ? 11 : 7, dw = 7;
	int sw = w - lw - vw - dw - 3;
	double now = ov_get(m, &v->vanity, &v->cx);
	double prev = v->has_prev ? ov_get(m, &v->vanity_prev, &v->cx_prev) : VIEW_UNDEF;
	double series[VIEW_SPARK_N];

	ui_put(y, x, lw, THEME_TEXT, "%s", wide ? m->wide : m->label);
	if (!wide && (m->unit == OV_COUNT || m->unit == OV_MONEY))
		ui_fmt_short(val, sizeof val, now);
	else
		ov_fmt(val, sizeof val, now, m->unit);
	ui_rjust(y, x + lw + 1, vw, m->cx ? THEME_CX : THEME_VANITY, val);
	ui_delta(y, x + lw + vw + 2, dw, now, prev,
		 m->unit == OV_RATE    ? UI_CH_POINTS
		 : m->unit == OV_COUNT || m->unit == OV_MONEY ? UI_CH_RELATIVE
							       : UI_CH_ABS,
		 m->up_is_good);
	if (sw >= 3) {
		for (size_t i = 0; i < v->nseries; i++)
			series[i] = ov_get(m, &v->series[i].vanity, &v->series[i].cx);
		ui_spark(y, x + lw + vw + dw + 3, sw > 12 ? 12 : sw, series, v->nseries, THEME_DIM);
	}
}

static const char *ov_severity(int s)
{
	return s >= 3 ? "!!!" : s == 2 ? "!! " : "!  ";
}

/* Word-wrap text into at most maxl lines of width columns; lines[] point
 * into buf. Returns the number of lines. */
static int ov_wrap(const char *text, int width, char *buf, size_t cap, char **lines, int maxl)
{
	int n = 0;
	size_t o = 0;
	const char *p = text;
	while (*p && n < maxl && o + 2 < cap) {
		char line[1024];
		size_t l = 0;
		const char *last_fit = p;
		size_t last_len = 0;
		/* take words while the line fits */
		while (*p) {
			const char *w = p;
			while (*w && *w != ' ')
				w++;
			size_t add = (size_t)(w - p) + (l ? 1 : 0);
			if (l + add >= sizeof line)
				break;
			if (l)
				line[l] = ' ';
			memcpy(line + l + (l ? 1 : 0), p, (size_t)(w - p));
			line[l + add] = '\0';
			if (ui_text_width(line) > width && l)
				break;
			l += add;
			last_fit = *w ? w + 1 : w;
			last_len = l;
			p = last_fit;
		}
		if (!last_len) { /* one word longer than the line: cut it */
			p += strlen(p);
			last_len = strlen(last_fit) < sizeof line - 1 ? strlen(last_fit) : sizeof line - 1;
			memcpy(line, last_fit, last_len);
		}
		line[last_len] = '\0';
		if (o + last_len + 1 >= cap)
			break;
		memcpy(buf + o, line, last_len + 1);
		lines[n++] = buf + o;
		o += last_len + 1;
	}
	return n;
}

/* Alert rows as drawn, for mouse clicks. */
#define OV_MAX_DRAWN 64
static struct {
	size_t idx;
	int y, h;
} ov_drawn[OV_MAX_DRAWN];
static int ov_ndrawn;

/* The campaigns that started in the window, newest first: where the gap
 * shows per campaign (click rate beside clicks of the whole audience). */
static void ov_campaigns(struct ui_ctx *c, int y, int rows)
{
	const struct view *v = c->v;
	char d[16], a[16], b[16], o[16];
	int shown = 0;
	ui_hline(y, 0, c->cols, THEME_BORDER);
	ui_put(y++, 2, c->cols - 4, THEME_TITLE, " CAMPAIGNS IN THE WINDOW  newest first ");
	ui_put(y++, 1, c->cols - 2, THEME_DIM, "%-40s %-8s %10s %18s %18s %16s", "campaign", "channel",
	       "delivered", "clicks/delivered", "clicks/audience", "opt-outs/deliv.");
	for (size_t k = v->ncampaigns; k-- > 0 && shown < rows - 2;) {
		const struct view_campaign *vc = &v->campaigns[k];
		if (!vc->in_window)
			continue;
		ui_text(y, 1, 40, THEME_TEXT, vc->name);
		ui_text(y, 42, 8, THEME_DIM, vc->channel);
		ui_fmt_count(d, sizeof d, vc->delivered);
		ui_fmt_rate(a, sizeof a, vc->ctr);
		ui_fmt_rate(b, sizeof b, vc->ctr_base);
		ui_fmt_rate(o, sizeof o, vc->optout_rate);
		ui_rjust(y, 51, 10, THEME_TEXT, d);
		ui_rjust(y, 62, 18, THEME_TEXT, a);
		ui_rjust(y, 81, 18, THEME_TEXT, b);
		ui_rjust(y, 100, 16, THEME_TEXT, o);
		y++;
		shown++;
	}
}

static void ui_overview_draw(struct ui_ctx *c, int top, int height)
{
	const struct view *v = c->v;
	int half = c->cols / 2;
	int y = top, nv = 0, nc = 0;

	ui_put(y, 1, half - 2, THEME_VANITY, "VANITY  what looks good on a slide");
	ui_put(y, half + 1, half - 2, THEME_CX, "RETENTION  whether customers stay");
	y++;
	for (size_t i = 0; i < OV_N; i++) {
		const struct ov_metric *m = &ov_metrics[i];
		if (m->cx)
			ov_row(c, y + nc++, half + 1, half - 2, m);
		else
			ov_row(c, y + nv++, 1, half - 2, m);
	}
	/* where the left column is shorter, say what the NPS stands on */
	if (nv < nc && v->nps.n) {
		ui_put(y + nv + 1, 1, half - 2, THEME_DIM, "NPS n = %u, +/- %.1f%s", v->nps.n,
		       v->nps.nps_moe95, v->nps.significant ? "" : " (not significant)");
	}
	if (nv < nc - 2 && v->has_prev) {
		ui_put(y + nv + 2, 1, half - 2, THEME_DIM, "change vs previous %dd", v->win.days);
	}
	y += nc > nv ? nc : nv;
	ui_hline(y, 0, c->cols, THEME_BORDER);
	ui_put(y, 2, c->cols - 4, THEME_ALERT, " THE METRICS GAP  %zu alert%s, most severe first ",
	       v->nalerts, v->nalerts == 1 ? "" : "s");
	y++;
	int rows = top + height - y;
	ov.alerts_top = y;
	ov.alerts_rows = rows;
	ov_ndrawn = 0;
	if (!v->nalerts) {
		ui_put(y, 2, c->cols - 4, THEME_DIM, "No gap found: no vanity number is improving while "
						     "customers leave.");
		return;
	}
	if (ov.sel >= v->nalerts)
		ov.sel = v->nalerts - 1;
	/* as much of each alert as the screen holds: the whole message
	 * wrapped, else one line of it under the title, else one line */
	char wbuf[4096], *lines[8];
	/* wrap only until the alerts are known not to fit: with hundreds of
	 * alerts (10,000 campaigns) wrapping them all every frame is the
	 * frame's whole cost */
	int full = 0;
	for (size_t i = 0; i < v->nalerts && full <= rows; i++)
		full += 1 + ov_wrap(v->alerts[i].message, c->cols - 6, wbuf, sizeof wbuf, lines, 8);
	int mode = full <= rows ? 3 : 2 * (int)v->nalerts <= rows ? 2 : 1;
	int per = mode == 3 ? 2 : mode; /* for scrolling only */
	int fit = rows / per;
	if (fit < 1)
		fit = 1;
	if (mode == 3)
		ov.first = 0;
	else {
		if (ov.sel < ov.first)
			ov.first = ov.sel;
		if (ov.sel >= ov.first + (size_t)fit)
			ov.first = ov.sel - (size_t)fit + 1;
	}
	for (size_t i = ov.first; i < v->nalerts; i++) {
		const struct view_alert *a = &v->alerts[i];
		int sel = i == ov.sel;
		enum theme_role r = sel ? THEME_SELECTION : THEME_TEXT;
		int nl = mode == 3 ? ov_wrap(a->message, c->cols - 6, wbuf, sizeof wbuf, lines, 8) : 0;
		int h = mode == 3 ? 1 + nl : mode;
		if (y + h > top + height)
			break;
		for (int k = 0; k < h && sel; k++)
			ui_fill(y + k, 0, c->cols, THEME_SELECTION);
		ui_put(y, 1, 4, sel ? THEME_SELECTION : a->severity >= 3 ? THEME_BAD : THEME_ALERT, "%s",
		       ov_severity(a->severity));
		ui_put(y, 5, 22, sel ? THEME_SELECTION : THEME_ALERT, "%-21s", view_alert_name(a->kind));
		if (mode == 1) {
			ui_text(y, 27, c->cols - 28, r, a->message);
		} else {
			ui_text(y, 27, c->cols - 28, r, a->subject);
			if (mode == 2)
				ui_text(y + 1, 5, c->cols - 6, r, a->message);
			else
				for (int k = 0; k < nl; k++)
					ui_text(y + 1 + k, 5, c->cols - 6, r, lines[k]);
		}
		if (ov_ndrawn < OV_MAX_DRAWN) {
			ov_drawn[ov_ndrawn].idx = i;
			ov_drawn[ov_ndrawn].y = y;
			ov_drawn[ov_ndrawn++].h = h;
		}
		y += h;
	}
	/* room to spare on a big terminal: the campaigns behind the numbers */
	if (mode == 3 && top + height - y >= 6 && c->cols >= 120)
		ov_campaigns(c, y + 1, top + height - y - 1);
}

/* Where an alert leads: its campaign, else the screen of its numbers. */
static int ov_open(struct ui_ctx *c)
{
	const struct view *v = c->v;
	if (ov.sel >= v->nalerts)
		return UI_K_IGNORED;
	const struct view_alert *a = &v->alerts[ov.sel];
	if (a->campaign >= 0 && (size_t)a->campaign < v->ncampaigns) {
		util_strlcpy(c->campaign, v->campaigns[a->campaign].campaign_id, sizeof c->campaign);
		c->push_to = UI_CAMPAIGN;
	} else if (a->kind == VIEW_AL_REACH_UP_CHURN_UP) {
		c->push_to = UI_RETENTION;
	} else if (a->kind == VIEW_AL_OPENS_UP_OPTOUTS_UP) {
		c->push_to = UI_CAMPAIGNS;
	} else {
		c->push_to = UI_NPS;
	}
	return UI_K_PUSH;
}

static int ui_overview_key(struct ui_ctx *c, int key)
{
	size_t n = c->v->nalerts;
	switch (key) {
	case KEY_DOWN:
	case 'j':
		if (ov.sel + 1 < n)
			ov.sel++;
		return UI_K_REDRAW;
	case KEY_UP:
	case 'k':
		if (ov.sel > 0)
			ov.sel--;
		return UI_K_REDRAW;
	case UI_KEY_ENTER:
		return ov_open(c);
	}
	return UI_K_IGNORED;
}

static int ui_overview_click(struct ui_ctx *c, int y, int x)
{
	for (int k = 0; k < ov_ndrawn; k++) {
		if (y < ov_drawn[k].y || y >= ov_drawn[k].y + ov_drawn[k].h)
			continue;
		if (ov_drawn[k].idx == ov.sel)
			return ov_open(c);
		ov.sel = ov_drawn[k].idx;
		return UI_K_REDRAW;
	}
	return UI_K_IGNORED;
}

static const struct ui_key ui_overview_keys[] = {
	{ "Up/Dn", "alert" },
	{ "Enter", "open it" },
	{ NULL, NULL },
};

static const struct ui_key ui_overview_more[] = {
	{ "j/k", "next / previous alert" },
	{ "click", "select, again: open" },
	{ NULL, NULL },
};

const struct ui_screen ui_overview_screen = {
	.name = "Overview",
	.draw = ui_overview_draw,
	.key = ui_overview_key,
	.click = ui_overview_click,
	.keys = ui_overview_keys,
	.more = ui_overview_more,
};
