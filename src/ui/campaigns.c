/* campaigns: the table of every campaign (SPEC 4.2), sortable by any column
 * and filtered by text, from which Enter opens the campaign screen.
 *
 * Invariants:
 * - the cursor follows a campaign id, not a row number: each draw and each
 *   key rebuilds the row list (filter, then sort) when the view, the sort
 *   or the filter changed, and finds the id again, so a view rebuild or a
 *   new sort keeps the same campaign under the cursor; when it is filtered
 *   out or gone, the cursor stays at the same row number and adopts that
 *   row's campaign;
 * - the state is static, so coming back finds the same sort, filter, cursor
 *   and scroll;
 * - undefined rates (denominator 0) sort last in both directions: reversing
 *   a sort must never bring a column of em dashes to the top;
 * - data strings (names, ids, channels, the filter typed by the user) are
 *   drawn through ui_text only.
 * Rows of campaigns that started before the window are drawn dim: their
 * numbers are lifetime numbers, but they are not part of the window totals.
 * Default sort: start, newest first — the question is usually "how did the
 * last sends do". */
#include "cxtop/uiscr.h"

#include "cxtop/util.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cl_id {
	CL_NAME,
	CL_CHANNEL,
	CL_START,
	CL_DELIVERED,
	CL_OPEN,
	CL_HUMAN,
	CL_CTR,
	CL_CTOR,
	CL_CTR_BASE,
	CL_OPTOUT,
	CL_BOUNCE,
	CL_RETAINED,
	CL_NPS,
	CL_REVENUE,
	CL_N
};

enum cl_kind { CL_K_TEXT, CL_K_DATE, CL_K_COUNT, CL_K_RATE, CL_K_NPS, CL_K_MONEY };

struct cl_col {
	const char *head;    /* header at any width */
	const char *what;    /* in the status line: "sorted by open rate" */
	enum cl_kind kind;
	int w, w_wide;       /* columns including one leading space; 0 = hidden */
	enum theme_role role;
};

/* Widths: at 80 columns the fixed columns take 64, leaving 14 for the name
 * (after the cursor column and a margin); from 120 columns the full date
 * and the extra columns take 99 and the name gets the rest, up to 40. */
static const struct cl_col cl_cols[CL_N] = {
	[CL_NAME] = { "name", "name", CL_K_TEXT, 0, 0, THEME_TEXT },
	[CL_CHANNEL] = { "chan", "channel", CL_K_TEXT, 7, 7, THEME_TEXT },
	[CL_START] = { "start", "start", CL_K_DATE, 6, 11, THEME_TEXT },
	[CL_DELIVERED] = { "deliv", "delivered", CL_K_COUNT, 6, 7, THEME_TEXT },
	[CL_OPEN] = { "open%", "open rate", CL_K_RATE, 6, 6, THEME_VANITY },
	[CL_HUMAN] = { "human%", "human open rate", CL_K_RATE, 0, 7, THEME_VANITY },
	[CL_CTR] = { "ctr%", "click rate", CL_K_RATE, 6, 6, THEME_VANITY },
	[CL_CTOR] = { "ctor%", "click-to-open rate", CL_K_RATE, 0, 6, THEME_VANITY },
	[CL_CTR_BASE] = { "ctr/base", "clicks of the audience", CL_K_RATE, 9, 9, THEME_CX },
	[CL_OPTOUT] = { "optout", "opt-out rate", CL_K_RATE, 7, 7, THEME_CX },
	[CL_BOUNCE] = { "bounce%", "bounce rate", CL_K_RATE, 0, 8, THEME_TEXT },
	[CL_RETAINED] = { "retain", "audience retained", CL_K_RATE, 7, 7, THEME_CX },
	[CL_NPS] = { "NPS (n)", "NPS", CL_K_NPS, 10, 10, THEME_VANITY },
	[CL_REVENUE] = { "revenue", "revenue", CL_K_MONEY, 0, 10, THEME_TEXT },
};

#define CL_WIDE_COLS 120
#define CL_NAME_MAX 40

static struct {
	int sort;             /* enum cl_id */
	int desc;
	char filter[128];
	int typing;           /* '/' was pressed: keys go to the filter */
	char sel[512];        /* campaign id under the cursor */
	size_t cur, first;
	int page;             /* table rows shown by the last draw */
	int head_y, table_y;  /* where the last draw put them, for clicks */
	int col_x[CL_N], col_w[CL_N]; /* col_w 0 = not shown */
	size_t *rows;         /* indices into v->campaigns, filtered and sorted */
	size_t nrows, cap;
	/* what rows were built for: the same view, sort and filter give the
	 * same rows, so a redraw (a key, a tick, a resize) does not sort
	 * 10,000 campaigns again */
	int built, built_sort, built_desc;
	uint64_t built_serial;
	char built_filter[128];
	double *keys;         /* the sort column's values, by view index */
	size_t keys_cap;
} cl = { .sort = CL_START, .desc = 1, .page = 1, .head_y = -1, .table_y = -1 };

static const struct view_campaign *cl_base; /* for the qsort comparator */

static int cl_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static int cl_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = cl_lower((unsigned char)*a), y = cl_lower((unsigned char)*b);
		if (x != y || !x)
			return x - y;
	}
}

/* ASCII case-insensitive substring test (non-ASCII bytes match exactly). */
static int cl_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return 1;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] &&
		       cl_lower((unsigned char)hay[i]) == cl_lower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static const char *cl_textval(const struct view_campaign *k, int col)
{
	return col == CL_CHANNEL ? k->channel : k->name;
}

static double cl_value(const struct view_campaign *k, int col)
{
	switch (col) {
	case CL_START:
		return k->start == INT64_MAX ? NAN : (double)k->start;
	case CL_DELIVERED:
		return k->delivered;
	case CL_OPEN:
		return k->open_rate;
	case CL_HUMAN:
		return k->human_open_rate;
	case CL_CTR:
		return k->ctr;
	case CL_CTOR:
		return k->ctor;
	case CL_CTR_BASE:
		return k->ctr_base;
	case CL_OPTOUT:
		return k->optout_rate;
	case CL_BOUNCE:
		return k->bounce_rate;
	case CL_RETAINED:
		return k->audience_retained;
	case CL_NPS:
		return k->nps.n ? k->nps.nps : NAN;
	case CL_REVENUE:
		return k->revenue;
	}
	return NAN;
}

static int cl_cmp(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const struct view_campaign *a = &cl_base[ia], *b = &cl_base[ib];
	int r;
	if (cl_cols[cl.sort].kind == CL_K_TEXT) {
		r = cl_casecmp(cl_textval(a, cl.sort), cl_textval(b, cl.sort));
	} else {
		double x = cl.keys[ia], y = cl.keys[ib];
		if (isnan(x) || isnan(y)) {
			if (isnan(x) != isnan(y))
				return isnan(x) ? 1 : -1; /* undefined last, either way */
			r = 0;
		} else {
			r = (x > y) - (x < y);
		}
	}
	if (cl.desc)
		r = -r;
	if (!r)
		r = (ia > ib) - (ia < ib); /* stable: the view's order (start, id) */
	return r;
}

static void cl_set_cur(const struct ui_ctx *c, size_t i)
{
	cl.cur = i;
	if (i < cl.nrows)
		util_strlcpy(cl.sel, c->v->campaigns[cl.rows[i]].campaign_id, sizeof cl.sel);
}

/* Filter and sort the view's campaigns into cl.rows; find the cursor. */
static void cl_build(const struct ui_ctx *c)
{
	const struct view *v = c->v;
	if (cl.built && cl.built_serial == c->view_serial && cl.built_sort == cl.sort &&
	    cl.built_desc == cl.desc && !strcmp(cl.built_filter, cl.filter)) {
		if (cl.cur < cl.nrows && !strcmp(v->campaigns[cl.rows[cl.cur]].campaign_id, cl.sel))
			return; /* same rows, cursor still on its campaign */
		goto find;
	}
	cl.built = 1;
	cl.built_serial = c->view_serial;
	cl.built_sort = cl.sort;
	cl.built_desc = cl.desc;
	util_strlcpy(cl.built_filter, cl.filter, sizeof cl.built_filter);
	cl.rows = xgrow(cl.rows, &cl.cap, v->ncampaigns + 1, sizeof *cl.rows);
	/* a number column's values once, not twice per comparison */
	if (cl_cols[cl.sort].kind != CL_K_TEXT) {
		cl.keys = xgrow(cl.keys, &cl.keys_cap, v->ncampaigns + 1, sizeof *cl.keys);
		for (size_t i = 0; i < v->ncampaigns; i++)
			cl.keys[i] = cl_value(&v->campaigns[i], cl.sort);
	}
	cl.nrows = 0;
	for (size_t i = 0; i < v->ncampaigns; i++) {
		const struct view_campaign *k = &v->campaigns[i];
		if (cl_contains(k->name, cl.filter) || cl_contains(k->campaign_id, cl.filter) ||
		    cl_contains(k->channel, cl.filter))
			cl.rows[cl.nrows++] = i;
	}
	cl_base = v->campaigns;
	if (cl.nrows > 1)
		qsort(cl.rows, cl.nrows, sizeof *cl.rows, cl_cmp);
find:
	for (size_t i = 0; i < cl.nrows; i++) {
		if (!strcmp(v->campaigns[cl.rows[i]].campaign_id, cl.sel)) {
			cl.cur = i;
			return;
		}
	}
	if (cl.cur >= cl.nrows)
		cl.cur = cl.nrows ? cl.nrows - 1 : 0;
	cl_set_cur(c, cl.cur);
}

/* Column positions for this width; returns the name's width. */
static int cl_layout(int cols)
{
	int wide = cols >= CL_WIDE_COLS, x, fixed = 0;
	for (int i = 1; i < CL_N; i++)
		fixed += wide ? cl_cols[i].w_wide : cl_cols[i].w;
	int nw = cols - 2 - fixed;
	if (nw > CL_NAME_MAX)
		nw = CL_NAME_MAX;
	if (nw < 4)
		nw = 4;
	cl.col_x[CL_NAME] = 2;
	cl.col_w[CL_NAME] = nw;
	x = 2 + nw;
	for (int i = 1; i < CL_N; i++) {
		int w = wide ? cl_cols[i].w_wide : cl_cols[i].w;
		cl.col_x[i] = x;
		cl.col_w[i] = w;
		x += w;
	}
	return nw;
}

static void cl_cell(char *b, size_t n, const struct view_campaign *k, int col, int w)
{
	double x = cl_value(k, col);
	switch (cl_cols[col].kind) {
	case CL_K_TEXT:
		util_strlcpy(b, cl_textval(k, col), n);
		break;
	case CL_K_DATE:
		ui_fmt_date(b, n, k->start);
		if (w < 11 && strlen(b) == 10)
			memmove(b, b + 5, 6); /* MM-DD */
		break;
	case CL_K_COUNT:
		ui_fmt_count(b, n, x);
		if ((int)strlen(b) > w - 1)
			ui_fmt_short(b, n, x);
		break;
	case CL_K_RATE:
		ui_fmt_rate(b, n, x);
		if (!isnan(x) && (int)strlen(b) > w - 1)
			snprintf(b, n, "%.0f%%", 100 * x);
		break;
	case CL_K_NPS: {
		char nb[16];
		if (!k->nps.n) {
			util_strlcpy(b, ui_undef(), n);
			break;
		}
		ui_fmt_short(nb, sizeof nb, k->nps.n);
		snprintf(b, n, "%+.0f (%s)", k->nps.nps, nb);
		if ((int)strlen(b) > w - 1)
			snprintf(b, n, "%+.0f", k->nps.nps);
		break;
	}
	case CL_K_MONEY:
		ui_fmt_money(b, n, x);
		break;
	}
}


static const char *cl_arrow(const struct ui_ctx *c)
{
	if (cl.desc)
		return c->utf8 ? "\xe2\x96\xbc" : "v";
	return c->utf8 ? "\xe2\x96\xb2" : "^";
}

static void cl_draw_header(const struct ui_ctx *c, int y)
{
	char h[48];
	for (int i = 0; i < CL_N; i++) {
		int w = cl.col_w[i], x = cl.col_x[i], on = i == cl.sort;
		enum theme_role r = on ? THEME_TITLE : THEME_BORDER;
		if (!w)
			continue;
		if (cl_cols[i].kind == CL_K_TEXT) {
			int off = i == CL_NAME ? 0 : 1;
			snprintf(h, sizeof h, "%s%s", cl_cols[i].head, on ? cl_arrow(c) : "");
			ui_text(y, x + off, w - off, r, h);
		} else {
			snprintf(h, sizeof h, "%s%s", on ? cl_arrow(c) : "", cl_cols[i].head);
			ui_rjust(y, x, w, r, h);
		}
	}
}

static const char *cl_order_words(void)
{
	switch (cl_cols[cl.sort].kind) {
	case CL_K_TEXT:
		return cl.desc ? "Z-A" : "A-Z";
	case CL_K_DATE:
		return cl.desc ? "newest first" : "oldest first";
	default:
		return cl.desc ? "highest first" : "lowest first";
	}
}

/* The last body line: the filter prompt while typing, else what is shown. */
static void cl_draw_status(const struct ui_ctx *c, int y)
{
	char b[160];
	int x = 1, w = c->cols - 2;
	if (cl.typing) {
		x += ui_text(y, x, w, THEME_TITLE, "filter /");
		x += ui_text(y, x, c->cols - 1 - x - 1, THEME_TEXT, cl.filter);
		ui_glyph(y, x, THEME_SELECTION, " ", "_");
		x += 2;
		snprintf(b, sizeof b,
			 "%zu match%s  (Enter keeps, Esc clears, matches name, id, channel)",
			 cl.nrows, cl.nrows == 1 ? "" : "es");
		ui_text(y, x, c->cols - 1 - x, THEME_DIM, b);
		return;
	}
	if (cl.filter[0]) {
		snprintf(b, sizeof b, "%zu of %zu match \"", cl.nrows, c->v->ncampaigns);
		x += ui_text(y, x, w, THEME_TEXT, b);
		x += ui_text(y, x, c->cols / 3, THEME_ALERT, cl.filter);
		x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, "\" (Esc clears)");
	} else {
		snprintf(b, sizeof b, "%zu campaign%s", cl.nrows, cl.nrows == 1 ? "" : "s");
		x += ui_text(y, x, w, THEME_TEXT, b);
	}
	snprintf(b, sizeof b, ", sorted by %s, %s", cl_cols[cl.sort].what, cl_order_words());
	x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, b);
	ui_text(y, x, c->cols - 1 - x, THEME_DIM, "; dim: started before the window");
}

static void ui_campaigns_draw(struct ui_ctx *c, int top, int height)
{
	const struct view *v = c->v;
	int bottom = top + height, y = top;
	char b[64];

	if (height < 4)
		return;
	cl_build(c);
	cl_layout(c->cols);
	if (c->cols >= CL_WIDE_COLS)
		ui_put(y++, 1, c->cols - 2, THEME_DIM, "%s",
		       "rates are of delivered; ctr/base = clicks of the channel's audience so far "
		       "(base); retain = delivered / base, the audience still reached");
	else
		ui_put(y++, 1, c->cols - 2, THEME_DIM, "%s",
		       "rates of delivered; ctr/base = clicks of the channel's audience so far");
	cl.head_y = y;
	cl_draw_header(c, y++);
	cl.table_y = y;
	cl.page = bottom - 1 - y;
	if (cl.page < 1)
		cl.page = 1;
	if (cl.cur < cl.first)
		cl.first = cl.cur;
	if (cl.cur >= cl.first + (size_t)cl.page)
		cl.first = cl.cur - (size_t)cl.page + 1;
	/* after a resize or a shorter list, fill the table from the bottom up */
	if (cl.first + (size_t)cl.page > cl.nrows)
		cl.first = cl.nrows > (size_t)cl.page ? cl.nrows - (size_t)cl.page : 0;

	if (!cl.nrows) {
		if (v->ncampaigns) {
			int x = 2 + ui_text(y, 2, c->cols - 4, THEME_DIM, "no campaign matches \"");
			x += ui_text(y, x, c->cols - 3 - x, THEME_ALERT, cl.filter);
			ui_text(y, x, c->cols - 1 - x, THEME_DIM, "\" in name, id or channel");
		} else {
			ui_put(y, 2, c->cols - 4, THEME_DIM, "%s", "no campaigns in the data yet");
		}
	}
	for (size_t i = cl.first; i < cl.nrows && y < bottom - 1; i++, y++) {
		const struct view_campaign *k = &v->campaigns[cl.rows[i]];
		int sel = i == cl.cur;
		if (sel) {
			ui_fill(y, 0, c->cols, THEME_SELECTION);
			ui_glyph(y, 0, THEME_SELECTION, "\xe2\x96\xb6", ">");
		}
		for (int col = 0; col < CL_N; col++) {
			int w = cl.col_w[col], x = cl.col_x[col];
			enum theme_role r = cl_cols[col].role;
			if (sel)
				r = THEME_SELECTION;
			else if (!k->in_window)
				r = THEME_DIM;
			if (!w)
				continue;
			if (cl_cols[col].kind == CL_K_TEXT) {
				int off = col == CL_NAME ? 0 : 1;
				ui_text(y, x + off, w - off, r, cl_textval(k, col));
			} else {
				cl_cell(b, sizeof b, k, col, w);
				ui_rjust(y, x, w, r, b);
			}
		}
	}
	cl_draw_status(c, bottom - 1);
}

static int cl_open(struct ui_ctx *c)
{
	if (cl.cur >= cl.nrows)
		return UI_K_HANDLED;
	util_strlcpy(c->campaign, c->v->campaigns[cl.rows[cl.cur]].campaign_id, sizeof c->campaign);
	c->push_to = UI_CAMPAIGN;
	return UI_K_PUSH;
}

static void cl_move(const struct ui_ctx *c, long d)
{
	long i = (long)cl.cur + d;
	if (!cl.nrows)
		return;
	if (i < 0)
		i = 0;
	if (i >= (long)cl.nrows)
		i = (long)cl.nrows - 1;
	cl_set_cur(c, (size_t)i);
}

/* Sort by col in its natural direction: text A-Z, numbers and dates
 * highest (newest) first. */
static void cl_sort_by(int col)
{
	cl.sort = col;
	cl.desc = cl_cols[col].kind != CL_K_TEXT;
}

/* Append the code point key to the filter as UTF-8. */
static void cl_append(int key)
{
	unsigned cp = (unsigned)key;
	char u[4];
	size_t n, l = strlen(cl.filter);
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (l + n >= sizeof cl.filter)
		return;
	memcpy(cl.filter + l, u, n);
	cl.filter[l + n] = '\0';
}

/* A key while typing the filter. Every key is taken (so q or 1 type
 * themselves) except the moving keys, which still move. */
static int cl_type(int key)
{
	size_t l = strlen(cl.filter);
	switch (key) {
	case UI_KEY_ENTER:
		cl.typing = 0;
		return UI_K_REDRAW;
	case UI_KEY_ESC:
		cl.typing = 0;
		cl.filter[0] = '\0';
		return UI_K_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (!l) {
			cl.typing = 0;
			return UI_K_REDRAW;
		}
		while (l > 1 && ((unsigned char)cl.filter[l - 1] & 0xC0) == 0x80)
			l--;
		cl.filter[l - 1] = '\0';
		return UI_K_REDRAW;
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		return UI_K_IGNORED;
	}
	if (key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xA0) &&
	    !(key >= KEY_MIN && key <= KEY_MAX) && key < 0x110000) {
		cl_append(key);
		return UI_K_REDRAW;
	}
	return UI_K_HANDLED;
}

static int cl_key(struct ui_ctx *c, int key)
{
	cl_build(c);
	cl_layout(c->cols);
	if (cl.typing) {
		int r = cl_type(key);
		if (r != UI_K_IGNORED)
			return r;
	}
	switch (key) {
	case KEY_DOWN:
	case 'j':
		cl_move(c, 1);
		return UI_K_REDRAW;
	case KEY_UP:
	case 'k':
		cl_move(c, -1);
		return UI_K_REDRAW;
	case KEY_NPAGE:
		cl_move(c, cl.page);
		return UI_K_REDRAW;
	case KEY_PPAGE:
		cl_move(c, -cl.page);
		return UI_K_REDRAW;
	case KEY_HOME:
	case 'g':
		cl_move(c, -(long)cl.nrows);
		return UI_K_REDRAW;
	case KEY_END:
	case 'G':
		cl_move(c, (long)cl.nrows);
		return UI_K_REDRAW;
	case UI_KEY_ENTER:
		return cl_open(c);
	case 's': {
		/* the next column shown at this width */
		int col = cl.sort;
		do
			col = (col + 1) % CL_N;
		while (!cl.col_w[col] && col != cl.sort);
		cl_sort_by(col);
		return UI_K_REDRAW;
	}
	case 'S':
		cl.desc = !cl.desc;
		return UI_K_REDRAW;
	case '/': /* a new filter, as in less and vi */
		cl.typing = 1;
		cl.filter[0] = '\0';
		return UI_K_REDRAW;
	case UI_KEY_ESC:
		/* Esc clears a filter first; with none it goes back */
		if (cl.filter[0]) {
			cl.filter[0] = '\0';
			return UI_K_REDRAW;
		}
		return UI_K_IGNORED;
	}
	return UI_K_IGNORED;
}

/* A click on a header sorts by that column (again: reverses); on a row it
 * selects it; on the selected row it opens it. */
static int ui_campaigns_click(struct ui_ctx *c, int y, int x)
{
	cl_build(c);
	if (y == cl.head_y) {
		for (int i = 0; i < CL_N; i++) {
			if (cl.col_w[i] && x >= cl.col_x[i] && x < cl.col_x[i] + cl.col_w[i]) {
				if (i == cl.sort)
					cl.desc = !cl.desc;
				else
					cl_sort_by(i);
				return UI_K_REDRAW;
			}
		}
		return UI_K_IGNORED;
	}
	if (y < cl.table_y || y >= cl.table_y + cl.page)
		return UI_K_IGNORED;
	size_t i = cl.first + (size_t)(y - cl.table_y);
	if (i >= cl.nrows)
		return UI_K_IGNORED;
	if (i == cl.cur)
		return cl_open(c);
	cl_set_cur(c, i);
	return UI_K_REDRAW;
}

/* The row under the cursor is the selected campaign for the whole
 * dashboard, so '3' opens the campaign the user was looking at. */
static int ui_campaigns_key(struct ui_ctx *c, int key)
{
	int r = cl_key(c, key);
	if (cl.cur < cl.nrows)
		util_strlcpy(c->campaign, c->v->campaigns[cl.rows[cl.cur]].campaign_id,
			     sizeof c->campaign);
	return r;
}

static const struct ui_key ui_campaigns_keys[] = {
	{ "Up/Dn", "move" },
	{ "Enter", "open" },
	{ "s/S", "sort" },
	{ "/", "filter" },
	{ NULL, NULL },
};

static const struct ui_key ui_campaigns_more[] = {
	{ "j/k", "move down / up" },
	{ "PgUp/PgDn", "a page up / down" },
	{ "Home/End, g/G", "first / last campaign" },
	{ "Esc", "cancel / clear filter" },
	{ "click", "select, again: open" },
	{ NULL, NULL },
};

const struct ui_screen ui_campaigns_screen = {
	.name = "Campaigns",
	.draw = ui_campaigns_draw,
	.key = ui_campaigns_key,
	.click = ui_campaigns_click,
	.keys = ui_campaigns_keys,
	.more = ui_campaigns_more,
};
