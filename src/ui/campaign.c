/* campaign: one campaign in detail (SPEC 4.3). Left: the funnel delivered
 * -> opened -> clicked -> converted as bars of delivered, each rate printed
 * with its denominator; right: the campaign's NPS histogram 0-10; below:
 * the naive rates next to the audience-anchored ones (SPEC 3.1, the
 * denominator trap), then the campaign's alerts.
 *
 * Invariants:
 * - the campaign is found by id (ctx->campaign) in each draw, so a view
 *   rebuild or a window change never leaves a stale pointer; a campaign
 *   gone from the data says so instead of drawing;
 * - the selected bar is ctx->score (0-10), shared with the responses
 *   screen that Enter opens;
 * - Left/Right always move the bar selection (Left is also the global back
 *   key: here Esc, Backspace and h go back);
 * - the four NPS bands differ without colour: each has a role and its own
 *   glyph (UTF-8 shading, or an ASCII letter), and is named under the axis;
 * - every number comes from the view, the same as --once; the only figure
 *   computed here is conversions / delivered, a plain ratio for the bar;
 * - data text (names, ids, channels, alert messages) goes through ui_text. */
#include "cxtop/uiscr.h"

#include "cxtop/util.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CD_BARS_MIN 5  /* histogram rows at 80x24 */
#define CD_BARS_MAX 16 /* taller stops adding information */

/* The bands' labels on this screen, longest first (the first that fits is
 * used); roles and glyphs are ui_bands'. */
static const char *const cd_band_labels[4][3] = {
	{ "hard detr. 0-4", "hard 0-4", "hard" },
	{ "soft detr. 5-6", "soft 5-6", "soft" },
	{ "passives 7-8", "passives", "pass" },
	{ "promoters 9-10", "promoters", "prom" },
};

/* Where the last draw put the histogram, for clicks. */
static struct {
	int ok;                /* a histogram was drawn */
	int x, bw;             /* first bar's column, bar width (gap 1) */
	int y0, y1;            /* rows [y0, y1] take clicks: bars and axis */
} cd;

static const struct view_campaign *cd_find(const struct ui_ctx *c, size_t *index)
{
	for (size_t i = 0; i < c->v->ncampaigns; i++) {
		if (!strcmp(c->v->campaigns[i].campaign_id, c->campaign)) {
			if (index)
				*index = i;
			return &c->v->campaigns[i];
		}
	}
	return NULL;
}

/* ---- funnel and rates (left) ------------------------------------------- */

static void cd_funnel_row(int y, int x, int w, const char *label, uint32_t count, double den,
			  enum theme_role role, char glyph)
{
	char cb[24], rb[16];
	double f = den > 0 ? count / den : NAN;
	int bw = w - 10 - 8 - 7;
	ui_fmt_count(cb, sizeof cb, count);
	ui_fmt_rate(rb, sizeof rb, f);
	ui_put(y, x, 10, THEME_TEXT, "%s", label);
	ui_put(y, x + 10, 7, THEME_TEXT, "%7s", cb);
	if (bw > 2 && !isnan(f))
		ui_bar(y, x + 18, bw, f, role, glyph);
	int rw = ui_text_width(rb);
	ui_text(y, x + w - rw, rw, role, rb);
}

static int cd_funnel(const struct ui_ctx *c, const struct view_campaign *k, int y, int x, int w)
{
	char a[32], b[32], d[32], e[32];
	double den = k->delivered ? k->delivered : k->sent;

	ui_fmt_count(a, sizeof a, den);
	if (k->delivered)
		ui_put(y++, x, w, THEME_BORDER, "FUNNEL  bars and %% of %s delivered", a);
	else if (k->sent)
		ui_put(y++, x, w, THEME_BORDER, "FUNNEL  none delivered: %% of %s sent", a);
	else
		ui_put(y++, x, w, THEME_BORDER, "FUNNEL  nothing delivered: rates undefined");
	cd_funnel_row(y++, x, w, k->delivered || !k->sent ? "delivered" : "sent",
		      k->delivered ? k->delivered : k->sent, den, THEME_TEXT, '=');
	cd_funnel_row(y++, x, w, "opened", k->unique_opens, den, THEME_VANITY, '=');
	cd_funnel_row(y++, x, w, "clicked", k->unique_clicks, den, THEME_VANITY, '=');
	cd_funnel_row(y++, x, w, "converted", k->conversions, den, THEME_CX, '=');

	ui_fmt_rate(a, sizeof a, k->open_rate);
	ui_fmt_count(b, sizeof b, k->delivered);
	ui_put(y++, x, w, THEME_TEXT, "open rate %s of %s delivered", a, b);
	ui_fmt_rate(a, sizeof a, k->ctor);
	ui_fmt_count(b, sizeof b, k->unique_opens);
	ui_put(y++, x, w, THEME_TEXT, "click-to-open %s of %s opened", a, b);
	ui_fmt_count(a, sizeof a, k->human_opens);
	ui_fmt_rate(b, sizeof b, k->human_open_rate);
	ui_fmt_count(d, sizeof d, k->machine_opens);
	ui_put(y++, x, w, THEME_TEXT, "opens: %s human (%s), %s machine", a, b, d);
	ui_fmt_count(a, sizeof a, k->optouts);
	ui_fmt_rate(b, sizeof b, k->optout_rate);
	ui_put(y++, x, w, k->optouts ? THEME_CX : THEME_TEXT, "opt-outs %s (%s of delivered)", a,
	       b);
	ui_fmt_count(a, sizeof a, k->complaints);
	if (isnan(k->complaint_rate))
		util_strlcpy(b, ui_undef(), sizeof b);
	else /* two decimals: the bulk-sender limit is 0.1% */
		snprintf(b, sizeof b, "%.2f%%", 100 * k->complaint_rate);
	ui_fmt_count(d, sizeof d, k->bounces);
	ui_fmt_rate(e, sizeof e, k->bounce_rate);
	ui_put(y++, x, w, THEME_TEXT, "complaints %s (%s), bounces %s (%s)", a, b, d, e);
	return y;
}

/* Naive next to audience-anchored, full width, three rows: a label column,
 * the naive number (of delivered) and the anchored one (of the channel's
 * audience so far, SPEC 3.1 base). */
static void cd_anchored(const struct ui_ctx *c, const struct view_campaign *k, int y)
{
	char a[32], b[32], d[32];
	int wide = c->cols >= 120;
	int lx = 1, nx = wide ? 22 : 14, ax = wide ? 64 : 39, aw = c->cols - 1 - ax;

	ui_put(y, nx, ax - nx - 1, THEME_VANITY, "%s",
	       wide ? "NAIVE, of delivered (as reported)" : "NAIVE, of delivered");
	/* the channel comes from the data: through ui_text */
	int x = ax + ui_text(y, ax, aw, THEME_CX,
			     wide ? "AUDIENCE-ANCHORED, of the " : "ANCHORED, of the ");
	x += ui_text(y, x, ax + aw - x, THEME_CX, k->channel);
	ui_text(y, x, ax + aw - x, THEME_CX, " audience so far");
	y++;
	ui_fmt_rate(a, sizeof a, k->ctr);
	ui_fmt_count(b, sizeof b, k->delivered);
	ui_fmt_count(d, sizeof d, k->base);
	ui_put(y, lx, nx - lx - 1, THEME_TEXT, "%s", "click rate");
	ui_put(y, nx, ax - nx - 1, THEME_VANITY, "%s of %s%s", a, b, wide ? " delivered" : "");
	ui_fmt_rate(a, sizeof a, k->ctr_base);
	ui_put(y, ax, aw, THEME_CX, "%s of base %s%s", a, d,
	       wide ? " customers reached so far" : "");
	y++;
	ui_put(y, lx, nx - lx - 1, THEME_TEXT, "%s", "audience");
	ui_put(y, nx, ax - nx - 1, THEME_VANITY, "%s delivered", b);
	ui_fmt_rate(a, sizeof a, k->audience_retained);
	ui_put(y, ax, aw, THEME_CX, "%s retained (%s of %s)", a, b, d);
}

/* ---- NPS histogram (right) --------------------------------------------- */

/* One bar in whole cells of its band's glyph: eighth blocks would be solid
 * and lose the shading that tells the bands apart without colour. */
static void cd_bar(int x, int ybase, int bw, int rows, uint32_t count, uint32_t max, int score)
{
	const struct ui_band *band = &ui_bands[ui_band_of(score)];
	int cells = max ? (int)lround((double)count / max * rows) : 0;
	if (count && !cells)
		cells = 1; /* a score somebody gave is never invisible */
	for (int r = 0; r < cells && r < rows; r++)
		for (int i = 0; i < bw; i++)
			ui_glyph(ybase - r, x + i, band->role, band->utf8, band->ascii);
}

/* The histogram in rows [y, y + 6 + bars) of [x, x + w); o: what the
 * campaign's respondents did since answering, or NULL. */
static void cd_histogram(struct ui_ctx *c, const struct view_campaign *k,
			 const struct outcome_set *o, int y, int x, int w, int bars)
{
	const struct view_nps *n = &k->nps;
	char a[32];
	uint32_t max = 0;
	int bw = (w - 1) / 11 - 1;

	cd.ok = 0;
	if (bw < 1)
		return;
	if (bw > 6)
		bw = 6;
	if (!n->n) {
		ui_put(y, x, w, THEME_BORDER, "%s", "NPS  no responses carry this campaign");
		ui_put(y + 1, x, w, THEME_DIM, "%s", "(nps responses with its campaign_id)");
		return;
	}
	ui_fmt_points(a, sizeof a, n->nps);
	ui_put(y, x, w, THEME_VANITY, "NPS %s %s%.1f  n %u%s", a, c->utf8 ? "\xc2\xb1" : "+/-",
	       n->nps_moe95, n->n, n->significant ? "" : "  not signif.");
	if (isnan(n->mean_detractor_score))
		ui_put(y + 1, x, w, THEME_TEXT, "%s", "no detractors (0-6)");
	else
		ui_put(y + 1, x, w, THEME_TEXT, "mean detractor score %.1f (of 0-6)",
		       n->mean_detractor_score);
	for (int s = 0; s <= 10; s++)
		if (n->histogram[s] > max)
			max = n->histogram[s];
	int ybase = y + 1 + bars, axis = ybase + 1;
	for (int s = 0; s <= 10; s++) {
		int bx = x + s * (bw + 1);
		cd_bar(bx, ybase, bw, bars, n->histogram[s], max, s);
		enum theme_role r = s == c->score ? THEME_SELECTION : THEME_TEXT;
		if (s == c->score)
			ui_fill(axis, bx, bw, THEME_SELECTION);
		ui_put(axis, bx + (bw - (s == 10 ? 2 : 1) + 1) / 2, bw, r, "%d", s);
	}
	/* band names under the axis, each across its own bars */
	for (int b = 0; b < 4; b++) {
		const struct ui_band *band = &ui_bands[b];
		int bx = x + band->lo * (bw + 1);
		int span = (band->hi - band->lo + 1) * (bw + 1) - 1;
		ui_glyph(axis + 1, bx, band->role, band->utf8, band->ascii);
		for (int l = 0; l < 3; l++) {
			int len = (int)strlen(cd_band_labels[b][l]);
			if (len + 1 <= span - 1) {
				ui_put(axis + 1, bx + 2, span - 2, band->role, "%s",
				       cd_band_labels[b][l]);
				break;
			}
			if (len <= span - 1 || l == 2) {
				ui_put(axis + 1, bx + 1, span - 1, band->role, "%s",
				       cd_band_labels[b][l]);
				break;
			}
		}
	}
	/* churned after answering, % of each score's respondents (numbers:
	 * they read without colour) */
	for (int s = 0; s <= 10; s++) {
		const struct outcome_counts *oc = o ? &o->score[s] : NULL;
		int bx = x + s * (bw + 1);
		if (oc && oc->respondents)
			ui_put(axis + 2, bx, bw + 1, THEME_CX, "%*.0f", bw + (bw >= 3 ? 0 : 1),
			       100.0 * oc->churned / oc->respondents);
		else
			ui_put(axis + 2, bx, bw + 1, THEME_DIM, "%*s", bw, "-");
	}
	uint32_t h = n->histogram[c->score];
	ui_fmt_share(a, sizeof a, h, n->n);
	if (o && o->score[c->score].respondents)
		ui_put(axis + 3, x, w, THEME_TEXT, "score %d: %u (%s), churned %u/%u after",
		       c->score, h, a, o->score[c->score].churned, o->score[c->score].respondents);
	else
		ui_put(axis + 3, x, w, THEME_TEXT, "score %d: %u (%s); row 3: churn %%, Enter lists",
		       c->score, h, a);
	cd.ok = 1;
	cd.x = x;
	cd.bw = bw;
	cd.y0 = y + 2;
	cd.y1 = axis;
}

/* ---- alerts (below) ---------------------------------------------------- */

/* Draw (or with draw = 0 only count) s word-wrapped: the first line from
 * x0, the next ones from x, all ending before x + w; no row at or past
 * ymax. Returns the rows needed. */
static int cd_wrap(int y, int x0, int x, int w, int ymax, enum theme_role role, const char *s,
		   int draw)
{
	char line[1024];
	int rows = 0;
	while (*s) {
		int avail = x + w - (rows ? x : x0);
		size_t len = 0, best = 0;
		while (s[len] == ' ')
			s++;
		if (!*s)
			break;
		/* the longest run of whole words that fits */
		for (;;) {
			size_t e = len;
			while (s[e] == ' ')
				e++;
			while (s[e] && s[e] != ' ')
				e++;
			if (e == len || e >= sizeof line)
				break;
			memcpy(line, s, e);
			line[e] = '\0';
			if (ui_text_width(line) > avail)
				break;
			best = len = e;
		}
		if (!best) { /* one word wider than the line: cut it */
			best = strcspn(s, " ");
			if (best >= sizeof line)
				best = sizeof line - 1;
		}
		memcpy(line, s, best);
		line[best] = '\0';
		if (draw && y + rows < ymax)
			ui_text(y + rows, rows ? x : x0, avail, role, line);
		rows++;
		s += best;
	}
	return rows;
}

static void cd_alerts(const struct ui_ctx *c, size_t index, int y, int bottom)
{
	const struct view *v = c->v;
	size_t n = 0, shown = 0;
	for (size_t i = 0; i < v->nalerts; i++)
		n += v->alerts[i].campaign == (int)index;
	ui_hline(y, 0, c->cols, THEME_BORDER);
	ui_put(y, 2, c->cols - 4, THEME_ALERT, " ALERTS  %zu for this campaign ", n);
	y++;
	if (!n) {
		ui_put(y, 2, c->cols - 4, THEME_DIM, "%s",
		       "none: no vanity number of this campaign hides customers leaving");
		return;
	}
	for (size_t i = 0; i < v->nalerts; i++) {
		const struct view_alert *a = &v->alerts[i];
		if (a->campaign != (int)index)
			continue;
		const char *name = view_alert_name(a->kind);
		int lx = 5 + (int)strlen(name) + 2;
		int need = cd_wrap(y, lx, 5, c->cols - 6, bottom, THEME_TEXT, a->message, 0);
		int left = bottom - y - (shown + 1 < n ? 1 : 0); /* keep a row for "more" */
		if (need > left && shown)
			break;
		ui_put(y, 1, 4, a->severity >= 3 ? THEME_BAD : THEME_ALERT, "%s",
		       a->severity >= 3 ? "!!!" : a->severity == 2 ? "!!" : "!");
		ui_put(y, 5, c->cols - 6, THEME_ALERT, "%s:", name);
		cd_wrap(y, lx, 5, c->cols - 6, bottom, THEME_TEXT, a->message, 1);
		y += need;
		shown++;
	}
	if (shown < n && y < bottom)
		ui_put(y, 5, c->cols - 6, THEME_DIM, "+%zu more (Overview lists every alert)",
		       n - shown);
}

/* ---- the screen -------------------------------------------------------- */

static void ui_campaign_draw(struct ui_ctx *c, int top, int height)
{
	size_t index;
	const struct view_campaign *k = cd_find(c, &index);
	int bottom = top + height, y = top;
	char a[32];

	cd.ok = 0;
	if (!k) {
		int x = 2 + ui_text(y + 1, 2, c->cols - 4, THEME_ALERT, "campaign \"");
		x += ui_text(y + 1, x, c->cols - 4 - x, THEME_ALERT, c->campaign);
		ui_text(y + 1, x, c->cols - 2 - x, THEME_ALERT, "\" not in the data any more");
		ui_put(y + 3, 2, c->cols - 4, THEME_DIM, "%s",
		       "Esc goes back; 2 lists the campaigns there are");
		return;
	}
	if (c->score < 0 || c->score > 10)
		c->score = 0;

	/* title: name, channel, start, id */
	int x = 1 + ui_text(y, 1, c->cols / 2, THEME_TITLE, k->name);
	x += ui_text(y, x, c->cols - 1 - x, THEME_DIM, "  ");
	x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, k->channel);
	ui_fmt_date(a, sizeof a, k->start);
	x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, ", started ");
	x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, a);
	x += ui_text(y, x, c->cols - 1 - x, THEME_DIM, k->in_window ? " (in the window)"
								     : " (before the window)");
	if (c->cols - 1 - x > 8) {
		x += ui_text(y, x, c->cols - 1 - x, THEME_DIM, "  id ");
		ui_text(y, x, c->cols - 1 - x, THEME_DIM, k->campaign_id);
	}
	y++;

	/* top: funnel left, histogram right; taller bars when there is room */
	int bars = CD_BARS_MIN + (height - 21 > 0 ? height - 21 : 0);
	if (bars > CD_BARS_MAX)
		bars = CD_BARS_MAX;
	int rw = c->cols >= 120 ? c->cols / 2 - 4 : 37;
	if (rw > 11 * 7 + 1)
		rw = 11 * 7 + 1;
	int rx = c->cols - rw - 1, lw = rx - 3;
	if (lw > 64)
		lw = 64;
	int yl = cd_funnel(c, k, y, 1, lw);
	cd_histogram(c, k, c->v->campaign_outcomes ? &c->v->campaign_outcomes[index] : NULL, y,
		     rx, rw, bars);
	int yr = k->nps.n ? y + bars + 6 : y + 2;
	y = yl > yr ? yl : yr;

	if (y + 3 <= bottom)
		cd_anchored(c, k, y);
	y += 3;
	if (y < bottom)
		cd_alerts(c, index, y, bottom);
}

static int cd_open(struct ui_ctx *c)
{
	if (!cd_find(c, NULL))
		return UI_K_HANDLED;
	c->push_to = UI_RESPONSES;
	return UI_K_PUSH;
}

static int ui_campaign_key(struct ui_ctx *c, int key)
{
	switch (key) {
	case KEY_LEFT:
		if (c->score > 0)
			c->score--;
		return UI_K_REDRAW;
	case KEY_RIGHT:
	case 'l':
		if (c->score < 10)
			c->score++;
		return UI_K_REDRAW;
	case KEY_HOME:
		c->score = 0;
		return UI_K_REDRAW;
	case KEY_END:
		c->score = 10;
		return UI_K_REDRAW;
	case UI_KEY_ENTER:
		return cd_open(c);
	}
	return UI_K_IGNORED;
}

/* A click on a bar (or its axis number) selects it; on the selected one
 * lists its responses. */
static int ui_campaign_click(struct ui_ctx *c, int y, int x)
{
	if (!cd.ok || y < cd.y0 || y > cd.y1 || x < cd.x)
		return UI_K_IGNORED;
	int s = (x - cd.x) / (cd.bw + 1);
	if (s > 10 || (x - cd.x) % (cd.bw + 1) == cd.bw)
		return UI_K_IGNORED;
	if (s == c->score)
		return cd_open(c);
	c->score = s;
	return UI_K_REDRAW;
}

static void ui_campaign_crumb(struct ui_ctx *c, char *buf, size_t n)
{
	const struct view_campaign *k = cd_find(c, NULL);
	util_strlcpy(buf, k ? k->name : c->campaign, n);
}

static const struct ui_key ui_campaign_keys[] = {
	{ "Left/Right", "NPS bar" },
	{ "Enter", "its responses" },
	{ NULL, NULL },
};

static const struct ui_key ui_campaign_more[] = {
	{ "l, Home/End", "next, first, last bar" },
	{ "click", "select, again: open" },
	{ NULL, NULL },
};

const struct ui_screen ui_campaign_screen = {
	.name = "Campaign",
	.draw = ui_campaign_draw,
	.key = ui_campaign_key,
	.click = ui_campaign_click,
	.crumb = ui_campaign_crumb,
	.keys = ui_campaign_keys,
	.more = ui_campaign_more,
};
