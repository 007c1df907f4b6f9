/* sources: screen 6 (SPEC 4.6, section 2) — where the numbers come from.
 * A table of every file of every source (path, kind, state, rows read,
 * rejected, "no answer", bytes read of size), a source's header error and
 * unknown event words under it, then the latest rejections as
 * `file:line: reason`, newest first.
 *
 * Invariants:
 * - read-only: it looks at the ingest counters and follow states, never at
 *   the store or a file;
 * - everything from the data or the config (paths, names, reasons, words)
 *   goes through ui_text, so a crafted file name cannot drive the terminal;
 * - the keys scroll the rejection list only; the file table stays put, and
 *   is clipped (with a count of what is hidden) so that the rejections keep
 *   a few lines even with many files;
 * - a state is spelled out as well as coloured, so it reads without colour.
 *
 * The table is laid out in one pass that can run without drawing (y = -1
 * makes every helper a no-op): the first pass counts its lines, the second
 * draws what fits. */
#include "cxtop/uiscr.h"

#include "cxtop/follow.h"
#include "cxtop/ingest.h"
#include "cxtop/schema.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SR_WIDE_COLS 140 /* from here: full counts, errors inline, full paths */
#define SR_MIN_LIST 3    /* rejection lines kept free below the table */

/* Scroll state of the rejection list, kept across navigation. */
static struct {
	size_t first; /* index of the first rejection shown (0 = newest) */
	int page;     /* rejection lines shown at the last draw */
} sr;

/* Column widths and positions of the file table for one terminal width. */
struct sr_cols {
	int wide;
	int name, path, kind, state, rows, rej, na, read, rot; /* widths */
	int xname, xpath, xkind, xstate, xrows, xrej, xna, xread, xrot;
};

/* Lines of the table: n counts them; only those before lim are drawn, and
 * none when draw is 0. */
struct sr_out {
	int top, lim, n, draw;
};

static int sr_line(struct sr_out *o)
{
	int y = o->top + o->n++;
	return o->draw && y < o->lim ? y : -1;
}

static void sr_layout(struct sr_cols *k, int cols)
{
	int x = 1;
	k->wide = cols >= SR_WIDE_COLS;
	if (k->wide) {
		k->name = 20, k->kind = 8, k->state = 26, k->rows = 11, k->rej = 9;
		k->na = 9, k->read = 14, k->rot = 7;
	} else {
		k->name = 11, k->kind = 8, k->state = 7, k->rows = 6, k->rej = 5;
		k->na = 6, k->read = 9, k->rot = 0;
	}
	k->path = cols - 1 - (k->name + k->kind + k->state + k->rows + k->rej + k->na + k->read +
			      k->rot) - (k->wide ? 8 : 7) - 1;
	if (k->path < 8)
		k->path = 8;
	k->xname = x, x += k->name + 1;
	k->xpath = x, x += k->path + 1;
	k->xkind = x, x += k->kind + 1;
	k->xstate = x, x += k->state + 1;
	k->xrows = x, x += k->rows + 1;
	k->xrej = x, x += k->rej + 1;
	k->xna = x, x += k->na + 1;
	k->xread = x, x += k->read + 1;
	k->xrot = x;
}

/* Bytes as ls -h does: 512B, 4.0K, 3.2M, 240M. */
static void sr_bytes(char *b, size_t n, uint64_t v)
{
	static const char units[] = "KMGTP";
	double d = (double)v;
	int u = -1;
	if (v < 1024) {
		snprintf(b, n, "%uB", (unsigned)v);
		return;
	}
	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(b, n, d < 10 ? "%.1f%c" : "%.0f%c", d, units[u]);
}

static void sr_count(const struct sr_cols *k, char *b, size_t n, uint64_t v)
{
	if (k->wide)
		ui_fmt_count(b, n, (double)v);
	else
		ui_fmt_short(b, n, (double)v);
}

static const char *sr_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

/* Data text shortened from the left ("~copy/events.csv"), so that the file
 * name, the part that tells files apart, stays visible. */
static void sr_path(int y, int x, int w, enum theme_role role, const char *s)
{
	size_t k = strlen(s), best = k;
	if (w <= 0)
		return;
	if (ui_text_width(s) <= w) {
		ui_text(y, x, w, role, s);
		return;
	}
	/* grow the suffix one character at a time while it fits in w - 1 */
	while (k > 0) {
		size_t j = k - 1;
		while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
			j--;
		if (ui_text_width(s + j) > w - 1)
			break;
		best = k = j;
	}
	/* "~/x.csv" would read as a home directory */
	if (s[best] == '/' && s[best + 1])
		best++;
	ui_put(y, x, 1, role, "~");
	ui_text(y, x + 1, w - 1, role, s + best);
}

/* Data text wrapped over at most maxl lines of w columns (the last one cut
 * with '~' by ui_text if it still does not fit), breaking at a space where
 * there is one. Returns the lines used. */
static int sr_wrap(struct sr_out *o, int x, int w, enum theme_role role, const char *s, int maxl)
{
	char buf[1024];
	int used = 0;
	if (w < 8)
		w = 8;
	while (*s && used < maxl) {
		int y = sr_line(o);
		size_t len = strlen(s), fit = 0, sp = 0, i = 0;
		used++;
		if (used == maxl || ui_text_width(s) <= w) {
			ui_text(y, x, w, role, s);
			break;
		}
		while (i < len && i < sizeof buf - 1) {
			size_t j = i + 1;
			while (j < len && ((unsigned char)s[j] & 0xC0) == 0x80)
				j++;
			if (j > sizeof buf - 1)
				break;
			memcpy(buf, s, j);
			buf[j] = '\0';
			if (ui_text_width(buf) > w)
				break;
			if (s[i] == ' ')
				sp = j;
			fit = i = j;
		}
		if (!fit) /* a single character wider than w: give up on wrapping */
			fit = len;
		if (sp > fit / 2 && fit < len)
			fit = sp;
		memcpy(buf, s, fit);
		buf[fit] = '\0';
		ui_text(y, x, w, role, buf);
		s += fit;
	}
	return used;
}

static enum theme_role sr_state_role(enum follow_state st)
{
	switch (st) {
	case FOLLOW_OK:
		return THEME_GOOD;
	case FOLLOW_WAITING:
		return THEME_DIM;
	case FOLLOW_ROTATED:
		return THEME_ALERT;
	case FOLLOW_MISSING:
	case FOLLOW_ERROR:
		break;
	}
	return THEME_BAD;
}

static const char *sr_kind(const struct ingest_source *s)
{
	return schema_kind_file_kind(s->cfg->kind) == SCHEMA_SNAPSHOT ? "snapshot" : "log";
}

static void sr_heading(const struct sr_cols *k, int y)
{
	ui_put(y, k->xname, k->name, THEME_DIM, "source");
	ui_put(y, k->xpath, k->path, THEME_DIM, "file");
	ui_put(y, k->xkind, k->kind, THEME_DIM, "kind");
	ui_put(y, k->xstate, k->state, THEME_DIM, "state");
	ui_put(y, k->xrows, k->rows, THEME_DIM, "%*s", k->rows, "rows");
	ui_put(y, k->xrej, k->rej, THEME_DIM, "%*s", k->rej, k->wide ? "rejected" : "rej.");
	ui_put(y, k->xna, k->na, THEME_DIM, "%*s", k->na, k->wide ? "no answer" : "no ans");
	ui_put(y, k->xread, k->read, THEME_DIM, "%*s", k->read, k->wide ? "read of size" : "read/size");
	if (k->wide)
		ui_put(y, k->xrot, k->rot, THEME_DIM, "%*s", k->rot, "rot/rst");
}

/* One file's row, and its error on a line of its own when the reason does
 * not fit the state column. */
static void sr_file(struct sr_out *o, const struct sr_cols *k, const struct ingest_source *s,
		    const struct ingest_file *f, int first)
{
	const struct follow *fl = f->follow;
	enum follow_state st = follow_state(fl);
	enum theme_role role = sr_state_role(st);
	uint64_t off = follow_offset(fl), size = follow_size(fl);
	char state[160], a[32], b[32], read[80];
	int y = sr_line(o), inline_err = 1;

	if (first)
		ui_text(y, k->xname, k->name, THEME_TEXT, s->cfg->name);
	sr_path(y, k->xpath, k->path, THEME_TEXT, f->path);
	ui_put(y, k->xkind, k->kind, THEME_DIM, "%s", sr_kind(s));
	if (st == FOLLOW_ERROR && follow_error(fl)[0]) {
		snprintf(state, sizeof state, "error: %s", follow_error(fl));
		if ((int)strlen(state) > k->state) {
			inline_err = 0;
			snprintf(state, sizeof state, "error");
		}
	} else if (f->same_as) {
		/* a second name of a file read under another (hard link, a
		 * copytruncate copy not yet cut loose): its rows count there */
		const char *base = strrchr(f->same_as, '/');
		snprintf(state, sizeof state, "= %s", base ? base + 1 : f->same_as);
		if ((int)strlen(state) > k->state)
			snprintf(state, sizeof state, "same");
		role = THEME_DIM;
	} else {
		snprintf(state, sizeof state, "%s", follow_state_name(st));
	}
	ui_text(y, k->xstate, k->state, role, state);
	sr_count(k, a, sizeof a, f->rows);
	ui_put(y, k->xrows, k->rows, THEME_TEXT, "%*s", k->rows, a);
	sr_count(k, a, sizeof a, f->rejected);
	ui_put(y, k->xrej, k->rej, f->rejected ? THEME_BAD : THEME_DIM, "%*s", k->rej, a);
	sr_count(k, a, sizeof a, f->na);
	ui_put(y, k->xna, k->na, THEME_DIM, "%*s", k->na, a);
	sr_bytes(a, sizeof a, off);
	sr_bytes(b, sizeof b, size);
	snprintf(read, sizeof read, k->wide ? "%s of %s" : "%s/%s", a, b);
	ui_put(y, k->xread, k->read, off < size ? THEME_ALERT : THEME_DIM, "%*s", k->read, read);
	if (k->wide) {
		snprintf(a, sizeof a, "%u/%u", follow_rotations(fl), follow_resets(fl));
		ui_put(y, k->xrot, k->rot, THEME_DIM, "%*s", k->rot, a);
	}
	if (!inline_err) {
		snprintf(state, sizeof state, "error: %s", follow_error(fl));
		y = sr_line(o);
		ui_glyph(y, k->xpath, THEME_BAD, "\xe2\x86\xb3", ">");
		ui_text(y, k->xpath + 2, k->path + k->kind + k->state + 2, THEME_BAD, state);
	}
}

/* A source whose glob matched nothing yet: one row, waiting. */
static void sr_empty(struct sr_out *o, const struct sr_cols *k, const struct ingest_source *s)
{
	int y = sr_line(o);
	const char *db = ingest_db_state(s);
	ui_text(y, k->xname, k->name, THEME_TEXT, s->cfg->name);
	sr_path(y, k->xpath, k->path, THEME_DIM, s->pattern);
	ui_put(y, k->xkind, k->kind, THEME_DIM, "%s", sr_kind(s));
	if (db) {
		/* a database source: its state and rows, no bytes */
		char a[24], b[24], c[24];
		sr_count(k, a, sizeof a, s->rows);
		sr_count(k, b, sizeof b, s->rejected);
		sr_count(k, c, sizeof c, s->na);
		/* "cold 45%" where the column has room, "45%" where not */
		if (!k->wide && !strncmp(db, "cold ", 5))
			db += 5;
		ui_put(y, k->xstate, k->state, !strcmp(db, "error") ? THEME_BAD : THEME_TEXT, "%s", db);
		ui_rjust(y, k->xrows, k->rows, THEME_TEXT, a);
		ui_rjust(y, k->xrej, k->rej, s->rejected ? THEME_ALERT : THEME_TEXT, b);
		ui_rjust(y, k->xna, k->na, THEME_TEXT, c);
		ui_put(y, k->xread, k->read, THEME_DIM, "%*s", k->read, "rows");
		char how[256];
		y = sr_line(o);
		ui_glyph(y, k->xpath, THEME_DIM, "\xe2\x86\xb3", ">");
		ui_text(y, k->xpath + 2, COLS - k->xpath - 3, THEME_DIM,
			ingest_db_detail(s, how, sizeof how));
		return;
	}
	ui_put(y, k->xstate, k->state, THEME_DIM, "%s", follow_state_name(FOLLOW_WAITING));
	ui_put(y, k->xrows, k->rows, THEME_DIM, "%*s", k->rows, ui_undef());
	ui_put(y, k->xrej, k->rej, THEME_DIM, "%*s", k->rej, ui_undef());
	ui_put(y, k->xna, k->na, THEME_DIM, "%*s", k->na, ui_undef());
	ui_put(y, k->xread, k->read, THEME_DIM, "%*s", k->read, ui_undef());
}

static int sr_owns(const struct ingest_source *s, const char *path)
{
	for (size_t j = 0; j < s->nfiles; j++)
		if (strcmp(s->files[j]->path, path) == 0)
			return 1;
	return 0;
}

/* Unknown event words and unmapped labels first seen in this source's
 * files, at most maxw. */
static void sr_words(struct sr_out *o, const struct sr_cols *k, struct ui_ctx *c,
		     const struct ingest_source *s, int maxw)
{
	char line[640];
	size_t nw = ingest_nwords(c->in);
	int shown = 0, more = 0;
	uint64_t more_rows = 0;
	int w = c->cols - 4;

	for (size_t i = 0; i < nw; i++) {
		const struct ingest_word *wd = ingest_word(c->in, i);
		if (!sr_owns(s, wd->file))
			continue;
		if (shown >= maxw) {
			more++;
			more_rows += wd->count;
			continue;
		}
		char where[260];
		ingest_where(where, sizeof where, k->wide ? wd->file : sr_basename(wd->file),
			     wd->line, wd->by_key);
		if (wd->col == SCHEMA_COL_EVENT)
			snprintf(line, sizeof line, "unknown event word \"%.200s\" x%llu, first at %s",
				 wd->word, (unsigned long long)wd->count, where);
		else /* rows rejected: the label is missing from map.X */
			snprintf(line, sizeof line,
				 "%s \"%.200s\" not in map.%s: %llu rows rejected, first at %s",
				 schema_col_name(wd->col), wd->word, schema_col_name(wd->col),
				 (unsigned long long)wd->count, where);
		ui_text(sr_line(o), 3, w, THEME_ALERT, line);
		shown++;
	}
	if (more)
		ui_put(sr_line(o), 3, w, THEME_ALERT, "... and %d more word%s (%llu rows)",
		       more, more == 1 ? "" : "s", (unsigned long long)more_rows);
}

/* The whole table from o->top; returns its lines. */
static int sr_table(struct sr_out *o, const struct sr_cols *k, struct ui_ctx *c, int height)
{
	int maxw = height >= 40 ? 8 : 3;     /* unknown words per source */
	int maxe = height >= 40 ? 8 : 3;     /* lines of a header error */
	size_t ns = ingest_nsources(c->in);

	sr_heading(k, sr_line(o));
	for (size_t i = 0; i < ns; i++) {
		const struct ingest_source *s = ingest_source(c->in, i);
		if (!s->nfiles)
			sr_empty(o, k, s);
		for (size_t j = 0; j < s->nfiles; j++)
			sr_file(o, k, s, s->files[j], j == 0);
		if (s->header_error && ingest_db_retry_in(s) >= 0) {
			/* a database source that failed tries again by itself; the
			 * time of day, not a countdown, so that an idle screen
			 * needs no redraw (nothing is sent over SSH) */
			char line[1024], at[16];
			time_t t = time(NULL) + (time_t)((ingest_db_retry_in(s) + 999) / 1000);
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(at, sizeof at, "%H:%M:%S", &tm);
			/* the time first: a long libpq message is cut in a small
			 * terminal */
			snprintf(line, sizeof line, "error, trying again at %s: %s", at, s->header_error);
			sr_wrap(o, 3, c->cols - 4, THEME_BAD, line, maxe);
		} else if (s->header_error) {
			char line[1024];
			snprintf(line, sizeof line, "%s: %s", ingest_db_state(s) ? "error" : "bad header",
				 s->header_error);
			sr_wrap(o, 3, c->cols - 4, THEME_BAD, line, maxe);
		}
		if (s->header_notice) {
			char line[1024];
			snprintf(line, sizeof line, "notice: %s", s->header_notice);
			sr_wrap(o, 3, c->cols - 4, THEME_ALERT, line, maxe);
		}
		sr_words(o, k, c, s, maxw);
	}
	return o->n;
}

/* One rejection: "file:line:" dim, the reason in text. */
static void sr_rejection(struct ui_ctx *c, int y, const struct ingest_rejection *r)
{
	char loc[600];
	const char *file = r->file ? r->file : "?";
	int x = 1, w = c->cols - 2;
	if (c->cols < SR_WIDE_COLS || ui_text_width(file) > c->cols / 3)
		file = sr_basename(file);
	char where[560];
	snprintf(loc, sizeof loc, "%.550s:",
		 ingest_where(where, sizeof where, file, r->line, r->by_key));
	x += ui_text(y, x, w, THEME_DIM, loc);
	if (x + 1 < c->cols - 1)
		ui_text(y, x + 1, c->cols - 2 - x, THEME_TEXT, r->reason ? r->reason : "");
}

static void ui_sources_draw(struct ui_ctx *c, int top, int height)
{
	struct sr_cols k;
	struct sr_out o = { top, top, 0, 0 };
	int bottom = top + height;
	size_t nrej = ingest_nrejections(c->in);
	uint64_t total = ingest_rejected(c->in);
	char a[32], b[32];

	sr_layout(&k, c->cols);
	/* The table's room: all it needs, but leave the rejection title, the
	 * explanation and up to SR_MIN_LIST lines of the list below it. */
	int need = sr_table(&o, &k, c, height);
	int st = c->state_line && c->state_line[0]; /* a line for the state */
	int room = height - 2 - st - (nrej < SR_MIN_LIST ? (nrej ? (int)nrej : 1) : SR_MIN_LIST);
	if (room < 2)
		room = 2;
	if (need <= room)
		room = need;
	o = (struct sr_out){ top, top + room - (need > room), 0, 1 };
	sr_table(&o, &k, c, height);
	if (need > room)
		ui_put(top + room - 1, 3, c->cols - 4, THEME_DIM,
		       "... %d more line%s (a taller terminal shows them)", need - room + 1,
		       need - room + 1 == 1 ? "" : "s");

	int y = top + room;
	if (y >= bottom)
		return;
	if (st) {
		ui_put(y, 1, c->cols - 2, strstr(c->state_line, "cannot") || strstr(c->state_line, "another")
						 ? THEME_ALERT : THEME_DIM,
		       "%s", c->state_line);
		if (++y >= bottom)
			return;
	}
	ui_fmt_count(a, sizeof a, (double)nrej);
	ui_fmt_count(b, sizeof b, (double)total);
	ui_hline(y, 0, c->cols, THEME_BORDER);
	if (nrej)
		ui_put(y, 2, c->cols - 4, THEME_ALERT, " Latest rejections (%s of %s) ", a, b);
	else
		ui_put(y, 2, c->cols - 4, THEME_GOOD, " Latest rejections ");
	if (++y >= bottom)
		return;
	ui_put(y, 1, c->cols - 2, THEME_DIM, "%s",
	       c->cols >= 100
		       ? "rejected: rows that could not be used; they are skipped and counted; the "
			 "program keeps reading."
		       : "rejected: rows that could not be used; skipped and counted, reading goes on.");
	if (++y >= bottom)
		return;

	int rows = bottom - y;
	sr.page = rows;
	if (!nrej) {
		if (ingest_rejected(c->in))
			ui_put(y, 1, c->cols - 2, THEME_ALERT, "%s",
			       "The rejected rows are the labels listed above, once per label.");
		else
			ui_put(y, 1, c->cols - 2, THEME_GOOD, "No rows rejected.");
		sr.first = 0;
		return;
	}
	if (sr.first + (size_t)rows > nrej)
		sr.first = nrej > (size_t)rows ? nrej - (size_t)rows : 0;
	for (int i = 0; i < rows && sr.first + (size_t)i < nrej; i++)
		sr_rejection(c, y + i, ingest_rejection(c->in, sr.first + (size_t)i));
	if (nrej > (size_t)rows) {
		/* where the list stands, on the title line, right-aligned */
		char pos[64];
		size_t last = sr.first + (size_t)rows;
		snprintf(pos, sizeof pos, " %zu-%zu, Up/Dn to scroll ", sr.first + 1, last);
		int w = (int)strlen(pos);
		if (c->cols - w - 2 > 40)
			ui_put(y - 2, c->cols - w - 2, w, THEME_DIM, "%s", pos);
	}
}

static int ui_sources_key(struct ui_ctx *c, int key)
{
	size_t n = ingest_nrejections(c->in);
	size_t page = sr.page > 1 ? (size_t)sr.page - 1 : 1;
	size_t max = n > (size_t)sr.page ? n - (size_t)sr.page : 0;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (sr.first > 0)
			sr.first--;
		break;
	case KEY_DOWN:
	case 'j':
		if (sr.first < max)
			sr.first++;
		break;
	case KEY_PPAGE:
		sr.first = sr.first > page ? sr.first - page : 0;
		break;
	case KEY_NPAGE:
		sr.first = sr.first + page < max ? sr.first + page : max;
		break;
	case KEY_HOME:
		sr.first = 0;
		break;
	case KEY_END:
		sr.first = max;
		break;
	default:
		return UI_K_IGNORED;
	}
	return UI_K_REDRAW;
}

static const struct ui_key ui_sources_keys[] = {
	{ "Up/Dn", "scroll rejections" },
	{ NULL, NULL },
};

static const struct ui_key ui_sources_more[] = {
	{ "j/k, PgUp/PgDn", "scroll the rejections" },
	{ "Home/End", "newest / oldest" },
	{ NULL, NULL },
};

const struct ui_screen ui_sources_screen = {
	.name = "Sources",
	.draw = ui_sources_draw,
	.key = ui_sources_key,
	.keys = ui_sources_keys,
	.more = ui_sources_more,
};
