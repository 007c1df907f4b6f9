/* ui: the live dashboard (SPEC section 4) — ncurses screens on top of
 * ingest and view. ui_run owns the terminal from start to restore; the
 * main loop is single-threaded: poll() on the terminal, the inotify fd and
 * a timer; read what changed in bounded batches; rebuild the view at most
 * every refresh_ms and redraw only when something changed. */
#ifndef CXTOP_UI_H
#define CXTOP_UI_H

#include "cxtop/config.h"

struct ui_opts {
	const char *data_dir;
	const char *theme;   /* NAME|FILE from -t, else cfg->theme, else default */
	int ascii;           /* --ascii */
	int no_color;        /* --no-color or NO_COLOR */
	const char *state;   /* --state FILE, or NULL: the default */
	int no_state;        /* --no-state */
};

/* Exit status when TERM is unset or unknown to terminfo (bad usage: the
 * dashboard cannot start; --once needs no terminal). */
#define UI_EXIT_TERM 2

/* Run the dashboard until the user quits or a signal asks to; the terminal
 * is restored on every way out. Returns the exit status: 0, or
 * UI_EXIT_TERM without a usable terminal type. */
int ui_run(struct config *cfg, const struct ui_opts *o);

#endif
