/* theme: colour roles of the screens, read from INI theme files with inih
 * (SPEC section 5). One list of roles (THEME_ROLES) expands into the enum,
 * the theme-file keys and the defaults, so they cannot drift.
 *
 * A theme file has a [theme] section (name = ...) and a [roles] section,
 * one key per role: `role = FG BG [ATTR...]` where FG/BG are `default`, a
 * colour name (black red green yellow blue magenta cyan white, bright-NAME)
 * or a 256-colour number 0-255, and ATTR is bold, dim, underline, reverse,
 * standout. Loading never touches the terminal; theme_apply does (after
 * initscr), degrading each colour to what the terminal can show: 256
 * colours, 8 colours (nearest of the eight), or none (attributes only). */
#ifndef CXTOP_THEME_H
#define CXTOP_THEME_H

#include <stddef.h>

#define THEME_ROLES(X)       \
	X(TITLE, "title")          \
	X(HEADER, "header")        \
	X(FOOTER, "footer")        \
	X(BORDER, "border")        \
	X(TEXT, "text")            \
	X(DIM, "dim")              \
	X(VANITY, "vanity")        \
	X(CX, "cx")                \
	X(GOOD, "good")            \
	X(BAD, "bad")              \
	X(ALERT, "alert")          \
	X(HARD_DETRACTOR, "hard_detractor") \
	X(SOFT_DETRACTOR, "soft_detractor") \
	X(PASSIVE, "passive")      \
	X(PROMOTER, "promoter")    \
	X(SELECTION, "selection")

enum theme_role {
#define THEME_ROLE_ENUM(id, key) THEME_##id,
	THEME_ROLES(THEME_ROLE_ENUM)
#undef THEME_ROLE_ENUM
	THEME_ROLE_COUNT
};

#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
	int fg, bg;       /* THEME_DEFAULT_COLOR, or 0-255 */
	unsigned attrs;   /* THEME_A_* */
};

#define THEME_A_BOLD 1u
#define THEME_A_DIM 2u
#define THEME_A_UNDERLINE 4u
#define THEME_A_REVERSE 8u
#define THEME_A_STANDOUT 16u

struct theme {
	char name[64];
	char path[1024];  /* file it came from, "" for the built-in default */
	struct theme_style role[THEME_ROLE_COUNT];
};

/* The built-in default theme (used when no file loads). */
void theme_builtin(struct theme *t);
/* Key of a role in theme files ("hard_detractor"). */
const char *theme_role_key(enum theme_role r);
/* Load a theme file over the built-in default. Returns 0, or -1 with err
 * holding "FILE:LINE: key 'K': reason" (t then holds the built-in). */
int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen);
/* Resolve NAME|FILE: a value containing '/' or ending in ".ini" is a path;
 * otherwise NAME.ini is searched in $XDG_DATA_HOME/cxtop/themes (else
 * ~/.local/share/cxtop/themes), then datadir/themes, then ./themes.
 * Returns 0, or -1 with err (t then holds the built-in default). */
int theme_load(struct theme *t, const char *name_or_file, const char *datadir, char *err,
	       size_t errlen);
/* Names of the themes found in the search path (sorted, deduplicated,
 * "default" first), for cycling with 't'. Caller frees with theme_names_free. */
char **theme_names(const char *datadir, size_t *n);
void theme_names_free(char **names, size_t n);
/* Nearest of the 8 basic colours to a 256-colour index. */
int theme_nearest8(int color);

/* ---- terminal side (needs ncurses initialised) ------------------------ */
/* Start colour on the terminal when want is set and it has colours;
 * returns the colours to draw with: 0 (none), 8 or 256. Call once, after
 * initscr and before theme_apply. */
int theme_start(int want);
/* Set up colour pairs for t on the current terminal: colors = 0 (none),
 * 8 or 256. Pair numbers are role + 1. */
void theme_apply(const struct theme *t, int colors);
/* curses attributes (COLOR_PAIR | A_BOLD ...) of a role after theme_apply. */
unsigned long theme_attr(enum theme_role r);

#endif
