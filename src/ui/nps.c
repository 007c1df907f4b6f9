/* nps: the NPS screen (SPEC 4.4) — "a 6 is not a 0". A single NPS folds a
 * 0-10 distribution into one number; this screen shows the distribution it
 * hides: a large histogram coloured by band (hard detractors 0-4, soft
 * detractors 5-6, passives 7-8, promoters 9-10), each band also drawn with
 * its own glyph so it reads without colour, then the NPS with its Wald 95%
 * margin, n, significance, response rate, WRS, mean detractor score, the NPS
 * if the soft detractors were passive, and the change from the previous
 * window judged against the combined margin. A selector picks the block:
 * all responses, one channel or one customer segment.
 *
 * Invariants: the selection is kept by kind and name, so it survives a view
 * rebuild that adds or reorders segments (and falls back to "all" when its
 * group disappears); the previous window exists only for "all", so deltas
 * and the response rate are shown for "all" only; Enter on a bar opens the
 * responses with that score across all campaigns (ctx->campaign = ""). */
#include "cxtop/uiscr.h"

#include "cxtop/util.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define NPS_STATS_ROWS 7 /* the rule with the bar caption, then 6 rows */
#define NPS_ITEMS_SHOWN 64

enum nps_kind { NPS_ALL, NPS_CHANNEL, NPS_SEGMENT };

/* The bands' names on this screen; roles and glyphs are ui_bands'. */
struct nps_band {
	const struct ui_band *band;
	const char *name, *brief; /* under the axis, long and short */
	const char *one;          /* one response of the band */
};

static const struct nps_band nps_bands[4] = {
	{ &ui_bands[0], "hard detractors", "hard", "hard detractor" },
	{ &ui_bands[1], "soft detractors", "soft", "soft detractor" },
	{ &ui_bands[2], "passives", "passive", "passive" },
	{ &ui_bands[3], "promoters", "promo", "promoter" },
};

static struct {
	enum nps_kind kind;
	char name[256];   /* channel or segment name when kind != NPS_ALL */
	int bar;          /* selected score 0-10 */
	/* geometry of the last draw, for mouse clicks */
	int sel_y, nitems;
	int item_x0[NPS_ITEMS_SHOWN], item_x1[NPS_ITEMS_SHOWN], item_i[NPS_ITEMS_SHOWN];
	int hist_y0, hist_y1, hist_x, stride, bw;
	int measure;      /* the outcome row: 0 churned, 1 opted out, 2 converted */
} nps;

static const char *const nps_measures[3] = {"churned", "opted out", "converted"};

static uint32_t nps_measure_of(const struct outcome_counts *c)
{
	return nps.measure == 0 ? c->churned : nps.measure == 1 ? c->opted_out : c->converted;
}

/* Items of the selector: 0 = all, then channels, then segments. */
static size_t nps_nitems(const struct view *v)
{
	return 1 + v->nchannels + v->nsegments;
}

static const struct view_group *nps_item(const struct view *v, size_t i, enum nps_kind *kind)
{
	if (i == 0) {
		*kind = NPS_ALL;
		return NULL;
	}
	i--;
	if (i < v->nchannels) {
		*kind = NPS_CHANNEL;
		return &v->channels[i];
	}
	*kind = NPS_SEGMENT;
	return &v->segments[i - v->nchannels];
}

/* The current item's index; resolves the kept name against this view. */
static size_t nps_current(const struct view *v)
{
	size_t n = nps_nitems(v);
	for (size_t i = 1; nps.kind != NPS_ALL && i < n; i++) {
		enum nps_kind k;
		const struct view_group *g = nps_item(v, i, &k);
		if (k == nps.kind && !strcmp(g->name ? g->name : "", nps.name))
			return i;
	}
	nps.kind = NPS_ALL;
	return 0;
}

static void nps_select(const struct view *v, size_t i)
{
	const struct view_group *g = nps_item(v, i, &nps.kind);
	util_strlcpy(nps.name, g && g->name ? g->name : "", sizeof nps.name);
}

static const struct view_nps *nps_block(const struct view *v)
{
	enum nps_kind k;
	const struct view_group *g = nps_item(v, nps_current(v), &k);
	return g ? &g->nps : &v->nps;
}

/* The outcomes of the selection: all, or a segment's; NULL for a channel
 * (a respondent's channel is not one thing). */
static const struct outcome_set *nps_outcomes(const struct view *v)
{
	enum nps_kind k;
	const struct view_group *g = nps_item(v, nps_current(v), &k);
	return k == NPS_ALL ? &v->outcomes : k == NPS_SEGMENT ? &g->outcomes : NULL;
}

/* ---- drawing ------------------------------------------------------------- */

/* The selector row: "all  channel: email push  segment: smb ..." with the
 * current item highlighted; scrolled so the current item is visible. */
static void nps_draw_selector(struct ui_ctx *c, int y)
{
	const struct view *v = c->v;
	size_t n = nps_nitems(v), cur = nps_current(v), first = 0;
	int x0 = 1, right = c->cols - 2;
	enum nps_kind k, pk;

	/* widths: item label + 2 spaces, plus a group prefix before the first
	 * item of a kind */
	for (;;) {
		int w = first ? 2 : 0;
		pk = (enum nps_kind)-1;
		for (size_t i = first; i <= cur; i++) {
			const struct view_group *g = nps_item(v, i, &k);
			if (k != pk && k != NPS_ALL)
				w += 9;
			pk = k;
			w += (g ? (g->name[0] ? ui_text_width(g->name) : 7) : 3) + 2;
		}
		if (w <= right - x0 - 2 || first == cur)
			break;
		first++;
	}
	nps.sel_y = y;
	nps.nitems = 0;
	int x = x0;
	if (first) {
		ui_glyph(y, x, THEME_DIM, "\xe2\x80\xb9", "<");
		x += 2;
	}
	pk = (enum nps_kind)-1;
	for (size_t i = first; i < n; i++) {
		const struct view_group *g = nps_item(v, i, &k);
		int w = g ? (g->name[0] ? ui_text_width(g->name) : 7) : 3;
		int pre = (k != pk && k != NPS_ALL) ? 9 : 0;
		if (x + pre + w > right) {
			if (i != cur) {
				ui_glyph(y, right, THEME_DIM, "\xe2\x80\xba", ">");
				break;
			}
			w = right - x - pre; /* a name longer than the row: cut it */
		}
		if (pre) {
			ui_put(y, x, pre, THEME_DIM, "%s", k == NPS_CHANNEL ? "channel:" : "segment:");
			x += pre;
		}
		pk = k;
		enum theme_role r = i == cur		  ? THEME_SELECTION
				    : g && g->nps.n == 0 ? THEME_DIM
							 : THEME_TEXT;
		if (!g)
			ui_put(y, x, w, r, "all");
		else if (g->name[0])
			ui_text(y, x, w, r, g->name);
		else
			ui_put(y, x, w, r, "(blank)");
		if (nps.nitems < NPS_ITEMS_SHOWN) {
			nps.item_x0[nps.nitems] = x;
			nps.item_x1[nps.nitems] = x + w;
			nps.item_i[nps.nitems] = (int)i;
			nps.nitems++;
		}
		x += w + 2;
	}
}

/* n columns of a glyph into buf. */
static void nps_repeat(char *buf, size_t cap, const char *glyph, int n)
{
	size_t gl = strlen(glyph), o = 0;
	for (int i = 0; i < n && o + gl < cap; i++) {
		memcpy(buf + o, glyph, gl);
		o += gl;
	}
	buf[o] = '\0';
}

/* The first of the candidate labels that fits in w columns, centred on a
 * rule of the band's role. */
static void nps_band_label(struct ui_ctx *c, int y, int x, int w, const struct nps_band *b,
			   const struct view_nps *s)
{
	char cand[6][96], share[16], rule[512];
	uint32_t cnt = 0;
	for (int k = b->band->lo; k <= b->band->hi; k++)
		cnt += s->histogram[k];
	ui_fmt_share(share, sizeof share, cnt, s->n);
	snprintf(cand[0], sizeof cand[0], " %s %d-%d: %u = %s ", b->name, b->band->lo, b->band->hi, cnt, share);
	snprintf(cand[1], sizeof cand[1], " %s %d-%d %s ", b->name, b->band->lo, b->band->hi, share);
	snprintf(cand[2], sizeof cand[2], "%s %d-%d", b->name, b->band->lo, b->band->hi);
	snprintf(cand[3], sizeof cand[3], "%s", b->name);
	snprintf(cand[4], sizeof cand[4], "%s %d-%d", b->brief, b->band->lo, b->band->hi);
	snprintf(cand[5], sizeof cand[5], "%s", b->brief);
	for (int i = 0; i < 6; i++) {
		int lw = ui_text_width(cand[i]);
		if (lw > w && i < 5)
			continue;
		if (i < 2) {
			nps_repeat(rule, sizeof rule, c->utf8 ? "\xe2\x94\x80" : "-", w);
			ui_put(y, x, w, b->band->role, "%s", rule);
		}
		ui_put(y, x + (lw < w ? (w - lw) / 2 : 0), w, b->band->role, "%s", cand[i]);
		return;
	}
}

static void nps_draw_hist(struct ui_ctx *c, const struct view_nps *s,
			  const struct outcome_set *o, int y0, int rows)
{
	int width = c->cols - 2;
	int stride = width / 11;
	int gap = stride >= 10 ? 3 : stride >= 5 ? 2 : 1;
	int bw = stride - gap;
	int x0 = 1 + (width - 11 * stride) / 2 + gap / 2;
	int bars = rows - 5; /* count above; axis, percentages, outcomes, bands below */
	int axis = y0 + rows - 4;
	uint32_t max = 0;
	char buf[512], t[32];

	nps.hist_y0 = y0;
	nps.hist_y1 = y0 + rows;
	nps.hist_x = x0;
	nps.stride = stride;
	nps.bw = bw;
	if (bars < 1)
		return;
	for (int k = 0; k <= 10; k++)
		if (s->histogram[k] > max)
			max = s->histogram[k];
	for (int k = 0; k <= 10; k++) {
		const struct nps_band *b = &nps_bands[ui_band_of(k)];
		int bx = x0 + k * stride, sel = k == nps.bar;
		uint32_t cnt = s->histogram[k];
		int h = max ? (int)lround((double)cnt / max * bars) : 0;
		if (cnt && h < 1)
			h = 1;
		nps_repeat(buf, sizeof buf, c->utf8 ? b->band->utf8 : b->band->ascii, bw);
		for (int r = 0; r < h; r++)
			ui_put(axis - 1 - r, bx, bw, b->band->role, "%s", buf);
		ui_fmt_short(t, sizeof t, cnt);
		int tw = (int)strlen(t);
		ui_put(axis - 1 - h, bx + (bw - tw + 1) / 2, stride, sel ? THEME_TITLE : THEME_TEXT,
		       "%s", t);
		if (sel)
			ui_fill(axis, bx, bw, THEME_SELECTION);
		snprintf(t, sizeof t, "%d", k);
		tw = (int)strlen(t);
		ui_put(axis, bx + (bw - tw + 1) / 2, bw, sel ? THEME_SELECTION : b->band->role, "%s", t);
		ui_fmt_share(t, sizeof t, cnt, s->n);
		tw = ui_text_width(t);
		ui_put(axis + 1, bx + (bw - tw + 1) / 2, stride, sel ? THEME_TITLE : THEME_DIM, "%s",
		       t);
		/* what the score's respondents did since: a percentage in
		 * text, so it reads without colour */
		const struct outcome_counts *oc = o ? &o->score[k] : NULL;
		if (oc && oc->respondents)
			snprintf(t, sizeof t, "%.0f%%", 100.0 * nps_measure_of(oc) / oc->respondents);
		else
			snprintf(t, sizeof t, "%s", ui_undef());
		tw = ui_text_width(t);
		ui_put(axis + 2, bx + (bw - tw + 1) / 2, stride, oc && oc->respondents ? THEME_CX : THEME_DIM,
		       "%s", t);
	}
	for (int i = 0; i < 4; i++) {
		const struct nps_band *b = &nps_bands[i];
		int bx = x0 + b->band->lo * stride;
		nps_band_label(c, axis + 3, bx, (b->band->hi - b->band->lo) * stride + bw, b, s);
	}
	if (!s->n) {
		const char *msg = "no NPS responses in this window for this selection";
		int w = (int)strlen(msg);
		ui_put(y0 + bars / 2, (c->cols - w) / 2, w, THEME_DIM, "%s", msg);
	}
}

/* One stats row: label, value, optional change. */
static void nps_stat(int y, int x, int lw, int vw, enum theme_role role, const char *label,
		     const char *value)
{
	ui_put(y, x, lw, THEME_TEXT, "%s", label);
	ui_rjust(y, x + lw, vw - 1, role, value);
}

static void nps_draw_stats(struct ui_ctx *c, const struct view_nps *s, int all, int y)
{
	const struct view *v = c->v;
	const struct view_nps *p = &v->nps_prev;
	int prev = all && v->has_prev;
	int half = c->cols / 2, wide = c->cols >= 120;
	int lw = wide ? 36 : 18, vw = wide ? 16 : 14, dw = half - 2 - lw - vw;
	int xl = 1, xr = half + 1;
	const char *pm = c->utf8 ? "\xc2\xb1" : "+/-";
	char a[32], b[128], line[160];

	/* left: the score and what it stands on */
	ui_fmt_points(a, sizeof a, s->nps);
	if (s->n && !isnan(s->nps_moe95))
		snprintf(b, sizeof b, "%s %s %.1f", a, pm, s->nps_moe95);
	else
		util_strlcpy(b, a, sizeof b);
	nps_stat(y, xl, lw, vw, THEME_CX, wide ? "NPS (promoters - detractors)" : "NPS (95% margin)",
		 b);
	if (prev)
		ui_delta(y, xl + lw + vw, dw, s->nps, p->nps, UI_CH_ABS, 1);

	ui_fmt_count(a, sizeof a, s->n);
	nps_stat(y + 1, xl, lw, vw, THEME_TEXT, "responses (n)", a);
	if (prev)
		ui_delta(y + 1, xl + lw + vw, dw, s->n, p->n, UI_CH_RELATIVE, -1);

	ui_fmt_rate(a, sizeof a, all ? s->response_rate : VIEW_UNDEF);
	nps_stat(y + 2, xl, lw, vw, THEME_TEXT,
		 wide ? "response rate (of invitations)" : "responded/invited", a);
	if (prev)
		ui_delta(y + 2, xl + lw + vw, dw, s->response_rate, p->response_rate, UI_CH_POINTS,
			 1);
	else if (!all)
		ui_put(y + 2, xl + lw + vw, dw, THEME_DIM, "for all");

	if (!s->n)
		snprintf(line, sizeof line, "no responses: nothing to judge");
	else if ((int)s->n < c->cfg->nps_min_n)
		snprintf(line, sizeof line, "not significant: n < %d", c->cfg->nps_min_n);
	else if (!s->significant || s->nps_moe95 > c->cfg->nps_max_moe)
		snprintf(line, sizeof line, "not significant: margin > %g", c->cfg->nps_max_moe);
	else
		snprintf(line, sizeof line, "significant (n %s %d, margin %s %g)",
			 c->utf8 ? "\xe2\x89\xa5" : ">=", c->cfg->nps_min_n,
			 c->utf8 ? "\xe2\x89\xa4" : "<=", c->cfg->nps_max_moe);
	ui_put(y + 3, xl, half - 2, s->n && s->significant ? THEME_GOOD : THEME_ALERT, "%s", line);

	/* the change judged against the combined margin (SPEC 3.5) */
	if (!all) {
		ui_put(y + 4, xl, half - 2, THEME_DIM, "change: kept for \"all\" only");
	} else if (!v->has_prev) {
		ui_put(y + 4, xl, half - 2, THEME_DIM, "change: no previous window for all data");
	} else if (isnan(v->nps_change)) {
		ui_put(y + 4, xl, half - 2, THEME_DIM, "change: %s (no responses to compare)",
		       ui_undef());
	} else {
		double d = v->nps_change, m = v->nps_change_moe;
		int real = fabs(d) >= m;
		snprintf(line, sizeof line, "change %+.1f %s %s%.1f: %s", d,
			 real ? "beyond" : "within", pm, m, real ? "real" : "noise");
		ui_put(y + 4, xl, half - 2, real ? (d < 0 ? THEME_BAD : THEME_GOOD) : THEME_DIM, "%s",
		       line);
	}

	/* right: what the single number hides */
	snprintf(a, sizeof a, "%.1f", s->wrs);
	nps_stat(y, xr, lw, vw, THEME_CX, wide ? "WRS (10 x mean score, 0-100)" : "WRS (0-100)",
		 isnan(s->wrs) ? ui_undef() : a);
	if (prev)
		ui_delta(y, xr + lw + vw, dw, s->wrs, p->wrs, UI_CH_ABS, 1);

	snprintf(a, sizeof a, "%.2f", s->mean_detractor_score);
	nps_stat(y + 1, xr, lw, vw, THEME_TEXT,
		 wide ? "mean detractor score (0-6)" : "mean detractor 0-6",
		 isnan(s->mean_detractor_score) ? ui_undef() : a);
	if (prev)
		ui_delta(y + 1, xr + lw + vw, dw, s->mean_detractor_score, p->mean_detractor_score,
			 UI_CH_ABS, 1);

	ui_fmt_points(a, sizeof a, s->nps_if_soft_passive);
	nps_stat(y + 2, xr, lw, vw, THEME_TEXT,
		 wide ? "NPS if soft detractors were passive" : "NPS if 5-6 passive", a);
	if (prev)
		ui_delta(y + 2, xr + lw + vw, dw, s->nps_if_soft_passive, p->nps_if_soft_passive,
			 UI_CH_ABS, 1);

	ui_fmt_rate(a, sizeof a, s->hard_share);
	nps_stat(y + 3, xr, lw, vw, THEME_TEXT,
		 wide ? "hard detractors 0-4 (of responses)" : "hard 0-4 (of n)", a);
	if (prev)
		ui_delta(y + 3, xr + lw + vw, dw, s->hard_share, p->hard_share, UI_CH_POINTS, 0);

	ui_fmt_count(a, sizeof a, s->detractors);
	ui_put(y + 4, xr, half - 2, THEME_TEXT, "detractors %s = %u hard + %u soft", a,
	       s->hard_detractors, s->soft_detractors);
}

static void ui_nps_draw(struct ui_ctx *c, int top, int height)
{
	const struct view *v = c->v;
	size_t cur = nps_current(v);
	const struct view_nps *s = nps_block(v);
	int hist_rows = height - 1 - NPS_STATS_ROWS;
	int ys = top + 1 + hist_rows;
	char cnt[32], pct[32], line[256];

	if (nps.bar < 0 || nps.bar > 10)
		nps.bar = 0;
	const struct outcome_set *o = nps_outcomes(v);
	nps_draw_selector(c, top);
	nps_draw_hist(c, s, o, top + 1, hist_rows);

	/* the rule names the selected bar and what Enter does with it */
	const struct nps_band *b = &nps_bands[ui_band_of(nps.bar)];
	ui_hline(ys, 0, c->cols, THEME_BORDER);
	ui_fmt_count(cnt, sizeof cnt, s->histogram[nps.bar]);
	ui_fmt_share(pct, sizeof pct, s->histogram[nps.bar], s->n);
	if (cur)
		snprintf(line, sizeof line, " score %d, %s: %s (%s)  Enter lists score %d, all segments ",
			 nps.bar, b->one, cnt, pct, nps.bar);
	else if (c->cols < 110 && o && o->score[nps.bar].respondents)
		snprintf(line, sizeof line, " score %d, %s: %s (%s)  Enter lists them ", nps.bar,
			 b->one, cnt, pct);
	else
		snprintf(line, sizeof line, " score %d, %s: %s response%s (%s)  Enter lists them ",
			 nps.bar, b->one, cnt, s->histogram[nps.bar] == 1 ? "" : "s", pct);
	/* the outcome row's measure, for the selected score */
	if (o && o->score[nps.bar].respondents) {
		size_t l = strlen(line);
		snprintf(line + l, sizeof line - l, c->cols >= 110 ? " %s after: %u of %u customers (o) "
								   : " %s after %u/%u ",
			 nps_measures[nps.measure], nps_measure_of(&o->score[nps.bar]),
			 o->score[nps.bar].respondents);
	}
	ui_put(ys, 2, c->cols - 4, THEME_TITLE, "%s", line);
	nps_draw_stats(c, s, cur == 0, ys + 1);
	/* the bands compared, in words */
	char words[256];
	if (o)
		outcome_sentence(o, !c->utf8, words, sizeof words);
	else
		snprintf(words, sizeof words, "what respondents did: per segment or for all, not per "
					      "channel");
	if (o && !words[0])
		snprintf(words, sizeof words, "what respondents did: too few respondents who are in "
					      "the customers file");
	/* narrow: "soft (5-6) churned ..." fits 80 columns */
	if (o && ui_text_width(words) > c->cols - 2 && !strncmp(words, "soft detractors ", 16))
		memmove(words + 4, words + 15, strlen(words + 15) + 1);
	ui_put(ys + 6, 1, c->cols - 2, o && o->band[OUTCOME_HARD].respondents ? THEME_ALERT : THEME_DIM,
	       "%s", words);
}

/* ---- keys ---------------------------------------------------------------- */

static int nps_open(struct ui_ctx *c)
{
	c->score = nps.bar;
	c->campaign[0] = '\0'; /* all campaigns */
	c->push_to = UI_RESPONSES;
	return UI_K_PUSH;
}

static int ui_nps_key(struct ui_ctx *c, int key)
{
	size_t n = nps_nitems(c->v), cur = nps_current(c->v);
	switch (key) {
	case ']':
	case 's':
		nps_select(c->v, (cur + 1) % n);
		return UI_K_REDRAW;
	case '[':
	case 'S':
		nps_select(c->v, (cur + n - 1) % n);
		return UI_K_REDRAW;
	case KEY_LEFT:
		if (nps.bar > 0)
			nps.bar--;
		return UI_K_REDRAW;
	case KEY_RIGHT:
		if (nps.bar < 10)
			nps.bar++;
		return UI_K_REDRAW;
	case KEY_HOME:
		nps.bar = 0;
		return UI_K_REDRAW;
	case KEY_END:
		nps.bar = 10;
		return UI_K_REDRAW;
	case UI_KEY_ENTER:
		return nps_open(c);
	case 'o':
		nps.measure = (nps.measure + 1) % 3;
		return UI_K_REDRAW;
	}
	return UI_K_IGNORED;
}

static int ui_nps_click(struct ui_ctx *c, int y, int x)
{
	if (y == nps.sel_y) {
		for (int i = 0; i < nps.nitems; i++) {
			if (x >= nps.item_x0[i] && x < nps.item_x1[i]) {
				nps_select(c->v, (size_t)nps.item_i[i]);
				return UI_K_REDRAW;
			}
		}
		return UI_K_IGNORED;
	}
	if (y >= nps.hist_y0 && y < nps.hist_y1 && nps.stride > 0 && x >= nps.hist_x) {
		int k = (x - nps.hist_x) / nps.stride;
		if (k > 10 || (x - nps.hist_x) % nps.stride >= nps.bw)
			return UI_K_IGNORED;
		if (k == nps.bar)
			return nps_open(c);
		nps.bar = k;
		return UI_K_REDRAW;
	}
	return UI_K_IGNORED;
}

static void ui_nps_crumb(struct ui_ctx *c, char *buf, size_t n)
{
	if (nps_current(c->v) == 0)
		snprintf(buf, n, "NPS");
	else
		snprintf(buf, n, "NPS %s %s", nps.kind == NPS_CHANNEL ? "channel" : "segment",
			 nps.name);
}

static const struct ui_key ui_nps_keys[] = {
	{ "[ ]/s", "segment" },
	{ "Left/Right", "score" },
	{ "Enter", "responses" },
	{ "o", "churn/opt-out/conv." },
	{ NULL, NULL },
};

static const struct ui_key ui_nps_more[] = {
	{ "S", "previous segment" },
	{ "Home/End", "score 0 / score 10" },
	{ "click", "select, again: open" },
	{ NULL, NULL },
};

const struct ui_screen ui_nps_screen = {
	.name = "NPS",
	.draw = ui_nps_draw,
	.key = ui_nps_key,
	.click = ui_nps_click,
	.crumb = ui_nps_crumb,
	.keys = ui_nps_keys,
	.more = ui_nps_more,
};
