/* ui: the dashboard's main loop, terminal life cycle, navigation and the
 * frame around every screen (header, breadcrumb, footer, help).
 *
 * Invariants:
 * - the terminal is restored on every way out: q, SIGINT/SIGTERM/SIGHUP
 *   (handlers only set a flag), a fatal error (util's fatal hook calls
 *   endwin), and ncurses' own SIGTSTP/SIGCONT handling for Ctrl-Z / fg;
 * - the view is rebuilt at most every refresh_ms and only when data or the
 *   window changed; the screen is redrawn only when something changed, so
 *   an idle dashboard sends nothing over SSH;
 * - ingestion goes on while paused; the paused view owns its strings and
 *   stays valid while the store changes;
 * - screens keep their own state (cursor, sort, filter) across navigation,
 *   so going back returns to exactly where the user was. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "cxtop/ui.h"

#include "cxtop/alert.h"
#include "cxtop/ingest.h"
#include "cxtop/keep.h"
#include "cxtop/parse.h"
#include "cxtop/theme.h"
#include "cxtop/uiscr.h"
#include "cxtop/util.h"
#include "cxtop/view.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_STACK_MAX 8
#define UI_READ_BUDGET (4u << 20) /* bytes per loop turn during a big read */
#define UI_QUIET_MS 2000          /* a file this quiet has finished its line */
/* A terminal never says "readable" with no key for this many wakeups in a
 * row (an escape sequence completes within ESCDELAY); a file at its end
 * or a closed pipe says it every time. */
#define UI_EOF_WAKEUPS 64
/* The timer's sweep over every file when inotify hears every change. */
#define UI_SWEEP_MS 30000

static const struct ui_screen *const ui_screens[UI_SCREEN_COUNT] = {
	[UI_OVERVIEW] = &ui_overview_screen,
	[UI_CAMPAIGNS] = &ui_campaigns_screen,
	[UI_CAMPAIGN] = &ui_campaign_screen,
	[UI_NPS] = &ui_nps_screen,
	[UI_RETENTION] = &ui_retention_screen,
	[UI_SOURCES] = &ui_sources_screen,
	[UI_RESPONSES] = &ui_responses_screen,
};

/* The global keys: one table feeds the footer and the help screen. */
static const struct ui_key ui_global_keys[] = {
	{ "1-6", "screens" },
	{ "Tab", "next screen" },
	{ "Esc", "back" },
	{ "w", "window" },
	{ "p", "pause" },
	{ "r", "re-read" },
	{ "t", "theme" },
	{ "?", "help" },
	{ "q", "quit" },
	{ NULL, NULL },
};

/* Long help for the global keys (the footer shows the short form). */
static const struct ui_key ui_global_help[] = {
	{ "1-6", "the six screens" },
	{ "Tab/S-Tab", "next / previous screen" },
	{ "Enter", "drill in" },
	{ "Esc/Bksp/h", "back where you were" },
	{ "w", "window 7d/30d/90d/all" },
	{ "p", "pause (reading goes on)" },
	{ "r", "re-read every source" },
	{ "t", "next theme" },
	{ "?", "this help" },
	{ "q", "quit" },
	{ NULL, NULL },
};

static volatile sig_atomic_t ui_quit_signal;
static volatile sig_atomic_t ui_cont_signal;

static void ui_on_signal(int sig)
{
	ui_quit_signal = sig;
}

/* A stop that did not come through ncurses' own SIGTSTP handler (kill
 * -STOP, a debugger) leaves the terminal in the shell's modes when the job
 * goes on: keys echo and the screen is the shell's. The loop then enters
 * curses mode again and redraws everything. */
static void ui_on_cont(int sig)
{
	(void)sig;
	ui_cont_signal = 1;
}

static int ui_curses_on;

static void ui_endwin(void)
{
	if (ui_curses_on) {
		ui_curses_on = 0;
		endwin();
	}
}

static int64_t ui_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ui_state {
	struct config *cfg;
	const struct ui_opts *opts;
	struct ingest *in;
	struct view *view;
	struct ui_ctx ctx;
	struct theme theme;
	char **themes;
	size_t nthemes, theme_i;
	char message[256];      /* a transient note in the header (theme error) */
	int64_t message_until;
	int stack[UI_STACK_MAX];
	int depth;
	int help;
	int paused;
	uint64_t rows_at_view;
	int window;             /* days, 0 = all */
	/* one memo per window the w key cycles through (and the configured
	 * one), so that switching windows does not throw the others' away */
	struct view_memo *memo[5];
	int data_dirty, need_draw, quit;
	int reread;          /* 'r': read at once, not at the next sweep */
	int unsaved;         /* data changed since the state was last written */
	int64_t last_save;
	struct keep *keep;   /* the state kept between runs, or NULL */
	char state_line[512]; /* what Sources says of it */
};

static void ui_note(struct ui_state *u, const char *msg)
{
	util_strlcpy(u->message, msg, sizeof u->message);
	u->message_until = ui_ms() + 8000;
	u->need_draw = 1;
}

/* The memo of window w (days, 0 = all). */
static struct view_memo **ui_memo(struct ui_state *u, int w)
{
	return &u->memo[w == 7 ? 0 : w == 30 ? 1 : w == 90 ? 2 : w == 0 ? 3 : 4];
}

static void ui_rebuild(struct ui_state *u)
{
	int64_t now = u->cfg->now_clock ? (int64_t)time(NULL) : INT64_MIN;
	int w = u->window;
	int slot = (int)(ui_memo(u, w) - u->memo);
	if (!u->memo[slot])
		u->memo[slot] = view_memo_new();
	view_free(u->view);
	u->view = view_build_memo(ingest_store(u->in), u->cfg, w, now, u->memo[slot]);
	alert_build(u->view, u->cfg);
	u->ctx.v = u->view;
	u->ctx.view_serial++;
	u->rows_at_view = ingest_rows(u->in);
	u->data_dirty = 0;
	u->need_draw = 1;
}

static int ui_top(const struct ui_state *u)
{
	return u->stack[u->depth - 1];
}

static void ui_push(struct ui_state *u, int screen)
{
	if (u->depth < UI_STACK_MAX)
		u->stack[u->depth++] = screen;
	else
		u->stack[u->depth - 1] = screen;
}

/* 1-6 and Tab go to a top-level screen: Overview is always the root, so
 * Esc from any of them comes back to it. The campaign screen opens on the
 * selected campaign, else the first one. */
static void ui_goto(struct ui_state *u, int screen)
{
	if (screen == UI_CAMPAIGN && !u->ctx.campaign[0]) {
		if (!u->view->ncampaigns) {
			ui_note(u, "no campaigns to show yet");
			return;
		}
		util_strlcpy(u->ctx.campaign, u->view->campaigns[0].campaign_id,
			     sizeof u->ctx.campaign);
	}
	u->depth = 1;
	u->stack[0] = UI_OVERVIEW;
	if (screen != UI_OVERVIEW)
		ui_push(u, screen);
	u->need_draw = 1;
}

static void ui_theme_next(struct ui_state *u)
{
	char err[512];
	if (!u->nthemes)
		return;
	u->theme_i = (u->theme_i + 1) % u->nthemes;
	if (theme_load(&u->theme, u->themes[u->theme_i], CXTOP_DATADIR, err, sizeof err) < 0)
		ui_note(u, err);
	else {
		char msg[128];
		snprintf(msg, sizeof msg, "theme: %s", u->themes[u->theme_i]);
		ui_note(u, msg);
	}
	theme_apply(&u->theme, u->ctx.colors);
	clearok(curscr, TRUE);
}

/* ---- frame --------------------------------------------------------------- */

static void ui_draw_header(struct ui_state *u)
{
	const struct view *v = u->view;
	char a[32], b[32], rows[32], rej[32], line[512];
	int ok = 0, waiting = 0, missing = 0, error = 0;
	uint64_t done, total;

	ui_fill(0, 0, COLS, THEME_HEADER);
	for (size_t i = 0; i < ingest_nsources(u->in); i++) {
		const struct ingest_source *s = ingest_source(u->in, i);
		const char *db = ingest_db_state(s);
		if (db) {
			/* a database source counts as a file would */
			ok += strcmp(db, "connecting") && strcmp(db, "error"); /* reading, cold N%, read, live */
			waiting += !strcmp(db, "connecting");
		} else if (!s->nfiles)
			waiting++;
		if (s->header_error)
			error++;
		for (size_t j = 0; j < s->nfiles; j++) {
			if (s->files[j]->same_as) {
				ok++; /* a second name of a file that is read */
				continue;
			}
			switch (follow_state(s->files[j]->follow)) {
			case FOLLOW_OK:
			case FOLLOW_ROTATED:
				ok++;
				break;
			case FOLLOW_WAITING:
				waiting++;
				break;
			case FOLLOW_MISSING:
				missing++;
				break;
			case FOLLOW_ERROR:
				error++;
				break;
			}
		}
	}
	/* narrow terminals get month-day dates so the header fits 80 columns */
	int narrow = COLS < 120;
	char e[32];
	if (v->now == INT64_MIN) {
		snprintf(a, sizeof a, "no data yet");
		b[0] = e[0] = '\0';
	} else {
		parse_format_date(v->win.start, a, sizeof a);
		parse_format_date(v->now, e, sizeof e);
		parse_format_ts(v->now, b, sizeof b);
		b[16] = '\0';
		b[10] = ' ';
		if (narrow) {
			memmove(a, a + 5, strlen(a + 5) + 1);
			memmove(e, e + 5, strlen(e + 5) + 1);
			memmove(b, b + 5, strlen(b + 5) + 1);
		}
	}
	ui_fmt_count(rows, sizeof rows, (double)u->rows_at_view);
	ui_fmt_count(rej, sizeof rej, (double)ingest_rejected(u->in));
	int x = 0;
	ui_put(0, x, COLS, THEME_TITLE, " cxtop ");
	x += 7;
	/* the states a user must not miss come first, before anything is cut */
	if (u->paused) {
		uint64_t now_rows = ingest_rows(u->in);
		snprintf(line, sizeof line, " PAUSED %llu waiting ",
			 (unsigned long long)(now_rows > u->rows_at_view ? now_rows - u->rows_at_view
									   : 0));
		x += ui_text(0, x, COLS - x, THEME_SELECTION, line);
	}
	ingest_progress(u->in, &done, &total);
	if (total && done < total) {
		snprintf(line, sizeof line, " reading %.0f%% of %.0f MB ",
			 100.0 * (double)done / (double)total, total / 1e6);
		x += ui_text(0, x, COLS - x, THEME_ALERT, line);
	}
	if (u->window)
		snprintf(line, sizeof line, " %dd %s..%s", u->window, a, e);
	else
		snprintf(line, sizeof line, " all %s..%s", a, e);
	x += ui_text(0, x, COLS - x, THEME_HEADER, line);
	if (b[0]) {
		snprintf(line, sizeof line, "  now %s%s", b, narrow ? "" : " UTC");
		x += ui_text(0, x, COLS - x, THEME_HEADER, line);
	}
	snprintf(line, sizeof line, "  files %d ok", ok);
	x += ui_text(0, x, COLS - x, THEME_HEADER, line);
	if (waiting || missing || error) {
		snprintf(line, sizeof line, "%s%s%d waiting%s%d missing%s%d error", "", ", ", waiting,
			 ", ", missing, ", ", error);
		x += ui_text(0, x, COLS - x, error || missing ? THEME_ALERT : THEME_HEADER, line);
	}
	snprintf(line, sizeof line, narrow ? "  %s rows %s rej" : "  %s rows read, %s rejected",
		 rows, rej);
	x += ui_text(0, x, COLS - x, THEME_HEADER, line);
	(void)x;
}

static void ui_draw_crumb(struct ui_state *u)
{
	int x = 1;
	ui_fill(1, 0, COLS, THEME_TEXT);
	for (int i = 0; i < u->depth; i++) {
		const struct ui_screen *s = ui_screens[u->stack[i]];
		char label[256];
		if (s->crumb)
			s->crumb(&u->ctx, label, sizeof label);
		else
			util_strlcpy(label, s->name, sizeof label);
		if (i) {
			ui_glyph(1, x, THEME_DIM, " \xe2\x80\xba ", " > ");
			x += 3;
		}
		x += ui_text(1, x, COLS - x - 1, i == u->depth - 1 ? THEME_TITLE : THEME_DIM, label);
	}
	if (u->message[0] && ui_ms() < u->message_until) {
		int w = ui_text_width(u->message);
		int mx = COLS - w - 1;
		if (mx < x + 2)
			mx = x + 2;
		ui_text(1, mx, COLS - mx, THEME_ALERT, u->message);
	}
}

/* The footer: the screen's keys, then the global ones, as many as fit. */
static void ui_draw_footer(struct ui_state *u)
{
	const struct ui_screen *s = ui_screens[ui_top(u)];
	int x = 0, y = LINES - 1;
	ui_fill(y, 0, COLS, THEME_FOOTER);
	for (int pass = 0; pass < 2; pass++) {
		const struct ui_key *k = pass ? ui_global_keys : s->keys;
		for (; k && k->label; k++) {
			int need = (int)strlen(k->label) + 1 + (int)strlen(k->help) + 2;
			if (x + need > COLS)
				return;
			ui_put(y, x + 1, COLS, THEME_FOOTER, "%s", k->label);
			attron(A_BOLD);
			mvaddstr(y, x + 1, k->label);
			attroff(A_BOLD);
			ui_put(y, x + 2 + (int)strlen(k->label), COLS, THEME_FOOTER, "%s", k->help);
			x += need;
		}
		if (!pass && s->keys && s->keys[0].label) {
			ui_glyph(y, x, THEME_FOOTER, "\xe2\x94\x82", "|");
			x += 1;
		}
	}
}

static int ui_count_keys(const struct ui_key *k)
{
	int n = 0;
	for (; k && k->label; k++)
		n++;
	return n;
}

/* Help from the same key tables as the footer: one column when it fits,
 * else the screen's keys beside the global ones. */
static void ui_draw_help(struct ui_state *u, int top, int height)
{
	const struct ui_screen *s = ui_screens[ui_top(u)];
	int ns = ui_count_keys(s->keys) + ui_count_keys(s->more);
	int ng = ui_count_keys(ui_global_help);
	int two = ns + ng + 3 > height;
	int w = COLS - 4 > 100 ? 100 : COLS - 4, x = (COLS - w) / 2, y = top;
	int cw = two ? w / 2 - 1 : w, gx = two ? x + w / 2 + 1 : x;

	for (int i = 0; i < height; i++)
		ui_fill(top + i, x - 1, w + 2, THEME_SELECTION);
	ui_put(y++, x, w, THEME_SELECTION, "Keys of %s (any key closes this help)", s->name);
	y++;
	int y0 = y;
	for (int pass = 0; pass < 2; pass++)
		for (const struct ui_key *k = pass ? s->more : s->keys; k && k->label; k++)
			if (y < top + height)
				ui_put(y++, x, cw, THEME_SELECTION, " %-14s %s", k->label, k->help);
	y = two ? y0 : y + 1;
	for (const struct ui_key *k = ui_global_help; k->label && y < top + height; k++)
		ui_put(y++, gx, cw, THEME_SELECTION, " %-11s %s", k->label, k->help);
}

static void ui_draw(struct ui_state *u)
{
	u->ctx.rows = LINES;
	u->ctx.cols = COLS;
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		char msg[96], part[64];
		snprintf(part, sizeof part, "(have %dx%d, need %dx%d)", COLS, LINES, UI_MIN_COLS,
			 UI_MIN_ROWS);
		snprintf(msg, sizeof msg, "terminal too small %s", part);
		int w = (int)strlen(msg), y = LINES / 2 - 1;
		if (w <= COLS) {
			ui_put(y, (COLS - w) / 2, COLS, THEME_ALERT, "%s", msg);
		} else { /* too narrow for one line: say it in two */
			ui_put(y++, COLS > 18 ? (COLS - 18) / 2 : 0, COLS, THEME_ALERT,
			       "terminal too small");
			w = (int)strlen(part);
			ui_put(y, COLS > w ? (COLS - w) / 2 : 0, COLS, THEME_ALERT, "%s", part);
		}
		ui_put(y + 2, COLS > 7 ? (COLS - 7) / 2 : 0, COLS, THEME_DIM, "q quits");
	} else {
		ui_draw_header(u);
		ui_draw_crumb(u);
		ui_screens[ui_top(u)]->draw(&u->ctx, 2, LINES - 3);
		if (u->help)
			ui_draw_help(u, 3, LINES - 5);
		ui_draw_footer(u);
	}
	attrset(A_NORMAL);
	wnoutrefresh(stdscr);
	doupdate();
	u->need_draw = 0;
}

/* ---- keys ---------------------------------------------------------------- */

static void ui_back(struct ui_state *u)
{
	if (u->depth > 1)
		u->depth--;
	u->need_draw = 1;
}

static void ui_key(struct ui_state *u, int key)
{
	int top = ui_top(u);
	int r;

	if (key == KEY_RESIZE) {
		clearok(curscr, TRUE);
		u->need_draw = 1;
		return;
	}
	if (u->help) {
		u->help = 0;
		u->need_draw = 1;
		return;
	}
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		if (key == 'q' || key == 'Q')
			u->quit = 1;
		return;
	}
	if (key == KEY_MOUSE) {
		MEVENT me;
		if (getmouse(&me) == OK && ui_screens[top]->click &&
		    (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))) {
			r = ui_screens[top]->click(&u->ctx, me.y, me.x);
			goto result;
		}
		return;
	}
	r = ui_screens[top]->key(&u->ctx, key);
	if (r == UI_K_IGNORED) {
		switch (key) {
		case 'q':
		case 'Q':
			u->quit = 1;
			return;
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
			ui_goto(u, key - '1');
			return;
		case '\t': {
			int next = top >= UI_SOURCES ? UI_OVERVIEW : top + 1;
			ui_goto(u, next);
			return;
		}
		case KEY_BTAB: {
			int prev = top == UI_OVERVIEW || top > UI_SOURCES ? UI_SOURCES : top - 1;
			ui_goto(u, prev);
			return;
		}
		case UI_KEY_ESC:
		case KEY_BACKSPACE:
		case 127:
		case 8:
		case 'h':
		case KEY_LEFT:
			ui_back(u);
			return;
		case 'w':
			u->window = u->window == 7 ? 30 : u->window == 30 ? 90 : u->window == 90 ? 0 : 7;
			ui_rebuild(u);
			return;
		case 'p':
			u->paused = !u->paused;
			if (!u->paused && u->data_dirty)
				ui_rebuild(u);
			u->need_draw = 1;
			return;
		case 'r':
			ingest_reread(u->in);
			u->data_dirty = 1;
			u->reread = 1;
			ui_note(u, "re-reading every source");
			return;
		case 't':
			ui_theme_next(u);
			u->need_draw = 1;
			return;
		case '?':
			u->help = 1;
			u->need_draw = 1;
			return;
		default:
			return;
		}
	}
result:
	if (r & UI_K_BACK)
		ui_back(u);
	if (r & UI_K_PUSH)
		ui_push(u, u->ctx.push_to);
	if (r)
		u->need_draw = 1;
}

/* Read every pending key (wide characters arrive as their code point).
 * Returns the number of keys read. */
static int ui_read_keys(struct ui_state *u)
{
	wint_t wc;
	int r, n = 0;
	while (!u->quit && (r = get_wch(&wc)) != ERR) {
		n++;
		int key = (int)wc;
		if (r == OK && wc == '\r')
			key = UI_KEY_ENTER;
		if (r == KEY_CODE_YES && wc == KEY_ENTER)
			key = UI_KEY_ENTER;
		ui_key(u, key);
	}
	return n;
}

/* ---- main loop ----------------------------------------------------------- */

static void ui_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Ctrl-\ would dump core with the alternate screen still on */
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = ui_on_cont;
	sigaction(SIGCONT, &sa, NULL);
}

/* Back from a stop: endwin then a refresh restores cxtop's terminal modes
 * (no echo, cbreak, keypad, the alternate screen) and repaints all. */
static void ui_resume(struct ui_state *u)
{
	ui_cont_signal = 0;
	endwin();
	refresh();
	clearok(curscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	u->need_draw = 1;
}

static void ui_load_theme(struct ui_state *u)
{
	char err[512];
	const char *name = u->opts->theme ? u->opts->theme : u->cfg->theme ? u->cfg->theme : "default";
	u->themes = theme_names(CXTOP_DATADIR, &u->nthemes);
	for (size_t i = 0; i < u->nthemes; i++)
		if (!strcmp(u->themes[i], name))
			u->theme_i = i;
	if (theme_load(&u->theme, name, CXTOP_DATADIR, err, sizeof err) < 0)
		ui_note(u, err); /* the built-in default is in place; say why */
}

/* The state of the last run taken up before the first read (issue 14):
 * only what changed since is read. What Sources says of it: where it is,
 * and what is read again and why (the first line; all of them in a note). */
static void ui_state_open(struct ui_state *u)
{
	char msg[4096] = "";
	if (u->opts->no_state) {
		snprintf(u->state_line, sizeof u->state_line, "state: none (--no-state)");
		return;
	}
	u->keep = keep_open(u->cfg, u->opts->data_dir, u->opts->state, msg, sizeof msg);
	if (!u->keep) {
		util_strlcpy(u->state_line, msg[0] ? msg : "state: none (state = off)",
			     sizeof u->state_line);
		if (msg[0])
			ui_note(u, msg);
		return;
	}
	/* the memo kept with the state: the first view folds in only the
	 * rows read since (a memo of another window starts over) */
	struct view_memo **m = ui_memo(u, u->window);
	if (!*m)
		*m = view_memo_new();
	int took = keep_restore(u->keep, u->in, *m, msg, sizeof msg);
	if (msg[0]) {
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0'; /* the first line here, with a word that more follow */
		util_strlcpy(u->state_line, msg, sizeof u->state_line);
		if (nl && strlen(u->state_line) + 12 < sizeof u->state_line)
			strcat(u->state_line, " (and more)");
		ui_note(u, u->state_line);
	} else {
		snprintf(u->state_line, sizeof u->state_line,
			 took ? "state: resumed from %s (only what changed since was read)"
			      : "state: none yet; kept in %s from now on",
			 keep_path(u->keep));
	}
	u->last_save = ui_ms();
}

/* Every state_interval seconds while data came, the state is written by a
 * child process (a copy of memory at that moment), so that no turn waits
 * for the write; how it went shows on Sources. */
static void ui_state_tick(struct ui_state *u, int64_t now, int reading)
{
	char msg[512];
	if (!u->keep)
		return;
	int r = keep_poll(u->keep, msg, sizeof msg);
	if (r < 0) {
		util_strlcpy(u->state_line, msg, sizeof u->state_line);
		ui_note(u, msg);
	} else if (r > 0) {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		snprintf(u->state_line, sizeof u->state_line, "state: written %02d:%02d:%02d to %s",
			 tm.tm_hour, tm.tm_min, tm.tm_sec, keep_path(u->keep));
		u->need_draw = 1;
	}
	if (!u->unsaved || reading || now - u->last_save < (int64_t)u->cfg->state_interval * 1000)
		return;
	u->last_save = now;
	u->unsaved = 0;
	if (keep_save_bg(u->keep, u->in, *ui_memo(u, u->window), msg, sizeof msg) < 0) {
		util_strlcpy(u->state_line, msg, sizeof u->state_line);
		ui_note(u, msg);
	}
}

int ui_run(struct config *cfg, const struct ui_opts *o)
{
	struct ui_state u;
	const char *nc = getenv("NO_COLOR");
	int64_t next_poll = 0, last_change = 0, last_view = 0;
	int more = 0, flushed = 1, input_gone = 0, empty_reads = 0;

	/* ncurses ends the process with its own message and status 1 (the
	 * config-error status) on an unknown TERM: ask terminfo first. */
	const char *term = getenv("TERM");
	int terr = 0;
	if (!term || !*term || setupterm(NULL, STDOUT_FILENO, &terr) != OK) {
		fprintf(stderr, "cxtop: unknown terminal type '%s': set TERM, or use --once\n",
			term ? term : "");
		return UI_EXIT_TERM;
	}
	del_curterm(cur_term);

	memset(&u, 0, sizeof u);
	u.cfg = cfg;
	u.opts = o;
	u.window = cfg->window_days;
	u.depth = 1;
	u.stack[0] = UI_OVERVIEW;
	u.ctx.cfg = cfg;
	u.ctx.mouse_y = u.ctx.mouse_x = -1;
	setlocale(LC_ALL, "");
	u.ctx.utf8 = !o->ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	ui_draw_setup(u.ctx.utf8);
	ui_load_theme(&u);

	u.in = ingest_new(cfg, o->data_dir);
	ingest_set_threads(u.in, config_threads(cfg));
	ui_state_open(&u);
	u.ctx.state_line = u.state_line;
	u.ctx.in = u.in;
	u.ctx.store = ingest_store(u.in);
	/* a first small read so the first frame has something to show */
	more = ingest_step(u.in, UI_READ_BUDGET) & INGEST_MORE;
	ui_rebuild(&u);

	ui_signals();
	util_set_fatal_hook(ui_endwin);
	if (!initscr())
		util_fatal("cannot initialise the terminal");
	ui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	u.ctx.colors = theme_start(!(o->no_color || (nc && *nc)));
	theme_apply(&u.theme, u.ctx.colors);
	u.need_draw = 1;

	while (!u.quit && !ui_quit_signal) {
		int64_t now = ui_ms();
		int timeout = more ? 0 : (int)(next_poll > now ? next_poll - now : 0);
		if (u.data_dirty && !u.paused) {
			int64_t due = last_view + cfg->refresh_ms - now;
			if (due < timeout)
				timeout = due > 0 ? (int)due : 0;
		}
		if (!flushed && timeout > UI_QUIET_MS)
			timeout = UI_QUIET_MS;
		if (u.message[0] && u.message_until > now && u.message_until - now < timeout)
			timeout = (int)(u.message_until - now) + 1;
		int64_t dbw = ingest_wake_in(u.in);
		if (dbw >= 0 && dbw < timeout)
			timeout = (int)dbw;
		if (u.need_draw)
			timeout = 0;
		/* the keyboard, inotify, then the sockets of database sources
		 * that are connecting or reading */
		struct pollfd fds[2 + 16] = { { .fd = STDIN_FILENO, .events = POLLIN },
					      { .fd = ingest_watch_fd(u.in), .events = POLLIN } };
		int nfds = fds[1].fd >= 0 ? 2 : 1;
		size_t ndb = ingest_pollfds(u.in, fds + nfds, 16);
		if (poll(fds, (nfds_t)nfds + ndb, timeout) < 0 && errno != EINTR)
			break;
		if (ui_quit_signal)
			break;
		if (ui_cont_signal)
			ui_resume(&u);
		/* The keyboard is gone (hang-up, closed): say so and end, rather
		 * than wake for it forever. */
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			input_gone = 1;
			break;
		}
		now = ui_ms();
		int read_now = more;
		if (nfds == 2 && (fds[1].revents & POLLIN) && ingest_watch_drain(u.in))
			read_now = 1;
		for (size_t k = 0; k < ndb; k++)
			if (fds[nfds + k].revents)
				read_now = 1; /* a database source's socket is ready */
		if (ingest_wake_in(u.in) == 0)
			read_now = 1; /* its poll_ms, a retry */
		if (now >= next_poll) {
			/* Where inotify hears every change the timer only sweeps
			 * now and then (a missed event, a rename out of the
			 * directory): a stat of every file each poll_ms cost 17 %
			 * of a core with 100,000 sources, for nothing. */
			read_now = 1;
			next_poll = now + (ingest_watch_complete(u.in) && cfg->poll_ms < UI_SWEEP_MS
						   ? UI_SWEEP_MS
						   : cfg->poll_ms);
		}
		if (read_now) {
			int f = ingest_step(u.in, UI_READ_BUDGET);
			more = f & INGEST_MORE;
			if (f & INGEST_CHANGED) {
				u.data_dirty = 1;
				u.unsaved = 1;
				last_change = now;
				flushed = 0;
			}
			if (more || u.paused)
				u.need_draw = 1; /* progress / waiting rows in the header */
		}
		if (!flushed && !more && now - last_change >= UI_QUIET_MS) {
			if (ingest_flush_partial(u.in))
				u.data_dirty = 1;
			flushed = 1;
		}
		/* Readable with no key in it, again and again: end of file (the
		 * keyboard input was a file or a closed pipe). */
		if (ui_read_keys(&u) || !(fds[0].revents & POLLIN))
			empty_reads = 0;
		else if (++empty_reads >= UI_EOF_WAKEUPS) {
			input_gone = 1;
			break;
		}
		if (u.reread) {
			/* the files were rewound: nothing wakes the loop for
			 * them (inotify hears no change), so read them now */
			u.reread = 0;
			more = 1;
		}
		if (u.data_dirty && !u.paused && now - last_view >= cfg->refresh_ms) {
			ui_rebuild(&u);
			last_view = now;
		}
		if (u.message[0] && now >= u.message_until) {
			u.message[0] = '\0';
			u.need_draw = 1;
		}
		ui_state_tick(&u, now, more);
		if (u.need_draw)
			ui_draw(&u);
	}
	ui_endwin();
	util_set_fatal_hook(NULL);
	if (input_gone)
		fputs("cxtop: the terminal's input ended (end of file or hang-up); quitting\n", stderr);
	if (u.keep) {
		/* a clean exit writes the state (a quit in the middle of a
		 * first read too: what was read is kept) */
		char msg[512];
		if (keep_save(u.keep, u.in, *ui_memo(&u, u.window), 0, msg, sizeof msg) < 0)
			fprintf(stderr, "cxtop: %s\n", msg);
		keep_free(u.keep);
	}
	view_free(u.view);
	for (size_t i = 0; i < sizeof u.memo / sizeof u.memo[0]; i++)
		view_memo_free(u.memo[i]);
	ingest_free(u.in);
	theme_names_free(u.themes, u.nthemes);
	return 0;
}
