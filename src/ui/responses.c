/* responses: the NPS responses behind one histogram bar of the campaign
 * screen (SPEC 4.3): every response of ctx->campaign scored ctx->score,
 * newest first, one line each: time, customer, comment.
 *
 * Invariants:
 * - the list is copied out of the store by view_responses and cached; it
 *   is rebuilt (and the old one freed) only when the campaign, the score or
 *   the view changes. The view is compared by pointer and, because a new
 *   view may reuse a freed one's address, also by its "now" and by the
 *   bar's count in it;
 * - responses are lifetime responses of the campaign, like the campaign's
 *   histogram, so the count here equals the bar's count;
 * - customer ids and comments come from the data: drawn through ui_text,
 *   one line each, cut with '~'. */
#include "cxtop/uiscr.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static struct {
	int loaded;
	char campaign[512];
	int score;
	uint64_t serial;       /* ui_ctx.view_serial of the view it was read for */
	int64_t now;
	uint32_t expect;       /* the bar's count in that view */
	struct view_response *list;
	size_t n;
	size_t first;          /* first response shown */
	int page;              /* responses shown by the last draw */
} rs = { .page = 1 };

static const struct view_campaign *rs_campaign(const struct ui_ctx *c)
{
	for (size_t i = 0; i < c->v->ncampaigns; i++)
		if (!strcmp(c->v->campaigns[i].campaign_id, c->campaign))
			return &c->v->campaigns[i];
	return NULL;
}

static void rs_load(const struct ui_ctx *c)
{
	const struct view_campaign *k = rs_campaign(c);
	int all = !c->campaign[0]; /* from the NPS screen: every campaign, in the window */
	int ok = c->score >= 0 && c->score <= 10;
	uint32_t expect = !ok ? 0 : all ? c->v->nps.histogram[c->score] : k ? k->nps.histogram[c->score] : 0;
	int same_bar = rs.loaded && rs.score == c->score && !strcmp(rs.campaign, c->campaign);
	if (same_bar && rs.serial == c->view_serial && rs.now == c->v->now && rs.expect == expect)
		return;
	view_responses_free(rs.list, rs.n);
	if (all)
		rs.n = view_responses(c->store, NULL, c->score, c->v->win.day_lo, c->v->win.day_hi,
				      &rs.list);
	else
		rs.n = view_responses(c->store, c->campaign, c->score, INT64_MIN, INT64_MAX, &rs.list);
	rs.loaded = 1;
	util_strlcpy(rs.campaign, c->campaign, sizeof rs.campaign);
	rs.score = c->score;
	rs.serial = c->view_serial;
	rs.now = c->v->now;
	rs.expect = expect;
	if (!same_bar)
		rs.first = 0;
}

static void ui_responses_draw(struct ui_ctx *c, int top, int height)
{
	const struct view_campaign *k = rs_campaign(c);
	int bottom = top + height, y = top, x;
	int wide = c->cols >= 120;
	int cw = wide ? 20 : 12, cx = 19, ax = cx + cw + 1, aw = wide ? 24 : 9;
	int mx = ax + aw + 1, mw = c->cols - 1 - mx;
	char b[96];

	if (!k && c->campaign[0]) {
		x = 2 + ui_text(y + 1, 2, c->cols - 4, THEME_ALERT, "campaign \"");
		x += ui_text(y + 1, x, c->cols - 4 - x, THEME_ALERT, c->campaign);
		ui_text(y + 1, x, c->cols - 2 - x, THEME_ALERT, "\" not in the data any more");
		return;
	}
	rs_load(c);

	snprintf(b, sizeof b, "%zu response%s ", rs.n, rs.n == 1 ? "" : "s");
	x = 1 + ui_text(y, 1, c->cols - 2, THEME_TEXT, b);
	snprintf(b, sizeof b, "scored %d", c->score);
	x += ui_text(y, x, c->cols - 1 - x, ui_bands[ui_band_of(c->score)].role, b);
	if (k) {
		x += ui_text(y, x, c->cols - 1 - x, THEME_TEXT, " for ");
		x += ui_text(y, x, c->cols - 1 - x, THEME_TITLE, k->name);
		ui_text(y, x, c->cols - 1 - x, THEME_DIM, "  (all time, newest first)");
	} else {
		if (c->v->win.days)
			snprintf(b, sizeof b, " in the last %dd, all campaigns (newest first)",
				 c->v->win.days);
		else
			snprintf(b, sizeof b, " in all data, all campaigns (newest first)");
		ui_text(y, x, c->cols - 1 - x, THEME_DIM, b);
	}
	y++;

	rs.page = bottom - y - 1;
	if (rs.page < 1)
		rs.page = 1;
	if (rs.first + (size_t)rs.page > rs.n)
		rs.first = rs.n > (size_t)rs.page ? rs.n - (size_t)rs.page : 0;
	ui_put(y, 1, 17, THEME_BORDER, "%s", "time (UTC)");
	ui_put(y, cx, cw, THEME_BORDER, "%s", "customer");
	ui_put(y, ax, aw, THEME_BORDER, "%s", wide ? "afterwards" : "after");
	ui_put(y, mx, mw, THEME_BORDER, "%s", "comment");
	if (rs.n > (size_t)rs.page) {
		size_t last = rs.first + (size_t)rs.page;
		snprintf(b, sizeof b, "%zu-%zu of %zu", rs.first + 1, last > rs.n ? rs.n : last,
			 rs.n);
		int w = (int)strlen(b);
		ui_put(y, c->cols - 1 - w, w, THEME_DIM, "%s", b);
	}
	y++;
	if (!rs.n)
		ui_put(y, 1, c->cols - 2, THEME_DIM, "no nps response of this campaign scored %d",
		       c->score);
	for (size_t i = rs.first; i < rs.n && y < bottom; i++, y++) {
		const struct view_response *r = &rs.list[i];
		char ts[32];
		parse_format_ts(r->ts, ts, sizeof ts);
		ts[10] = ' '; /* 2026-11-04T11:11:50Z -> 2026-11-04 11:11 */
		ts[16] = '\0';
		ui_put(y, 1, 17, THEME_TEXT, "%s", ts);
		if (r->customer[0])
			ui_text(y, cx, cw, THEME_TEXT, r->customer);
		else
			ui_put(y, cx, cw, THEME_DIM, "%s", "anonymous");
		/* what they did since: churned, opted out, bought; "stayed" when
		 * none; "-" without a customer to follow */
		if (!r->known) {
			ui_put(y, ax, aw, THEME_DIM, "%s", "-");
		} else if (r->churned || r->opted_out || r->converted) {
			char o[64];
			snprintf(o, sizeof o, "%s%s%s%s%s", r->churned ? (wide ? "churned" : "churn") : "",
				 r->churned && (r->opted_out || r->converted) ? "," : "",
				 r->opted_out ? (wide ? "opted out" : "optout") : "",
				 r->opted_out && r->converted ? "," : "",
				 r->converted ? (wide ? "bought" : "buy") : "");
			ui_put(y, ax, aw, r->churned || r->opted_out ? THEME_BAD : THEME_GOOD, "%s", o);
		} else {
			ui_put(y, ax, aw, THEME_TEXT, "%s", "stayed");
		}
		if (r->comment[0])
			ui_text(y, mx, mw, THEME_TEXT, r->comment);
		else
			ui_put(y, mx, mw, THEME_DIM, "%s", "(no comment)");
	}
}

static int ui_responses_key(struct ui_ctx *c, int key)
{
	long d;
	rs_load(c); /* keys can arrive before the first draw of a new bar */
	switch (key) {
	case KEY_DOWN:
	case 'j':
		d = 1;
		break;
	case KEY_UP:
	case 'k':
		d = -1;
		break;
	case KEY_NPAGE:
	case ' ':
		d = rs.page;
		break;
	case KEY_PPAGE:
		d = -rs.page;
		break;
	case KEY_HOME:
	case 'g':
		d = -(long)rs.n;
		break;
	case KEY_END:
	case 'G':
		d = (long)rs.n;
		break;
	default:
		return UI_K_IGNORED;
	}
	long f = (long)rs.first + d, max = (long)rs.n - rs.page;
	if (f > max)
		f = max;
	if (f < 0)
		f = 0;
	rs.first = (size_t)f;
	return UI_K_REDRAW;
}

static void ui_responses_crumb(struct ui_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "NPS %d", c->score);
}

static const struct ui_key ui_responses_keys[] = {
	{ "Up/Dn", "scroll" },
	{ "PgUp/PgDn", "page" },
	{ NULL, NULL },
};

static const struct ui_key ui_responses_more[] = {
	{ "j/k", "scroll down / up" },
	{ "Home/End", "first / last response" },
	{ NULL, NULL },
};

const struct ui_screen ui_responses_screen = {
	.name = "Responses",
	.draw = ui_responses_draw,
	.key = ui_responses_key,
	.crumb = ui_responses_crumb,
	.keys = ui_responses_keys,
	.more = ui_responses_more,
};
