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
};

/* Run the dashboard until the user quits or a signal asks to; the terminal
 * is restored on every way out. Returns the exit status (0). */
int ui_run(struct config *cfg, const struct ui_opts *o);

#endif
