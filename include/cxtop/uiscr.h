/* uiscr: what the screens of the dashboard share — the context they draw
 * from, the screen table entry, key flags, and the drawing helpers of
 * src/ui/draw.c. Screens read the view (and the ingest counters) and draw;
 * they never touch the store or a file. Key handlers return flags and
 * never draw. */
#ifndef CXTOP_UISCR_H
#define CXTOP_UISCR_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/theme.h"
#include "cxtop/view.h"

enum ui_screen_id {
	UI_OVERVIEW,
	UI_CAMPAIGNS,
	UI_CAMPAIGN,
	UI_NPS,
	UI_RETENTION,
	UI_SOURCES,
	UI_RESPONSES, /* not numbered: reached from a histogram bar */
	UI_SCREEN_COUNT
};

/* Key handler results. */
#define UI_K_IGNORED 0
#define UI_K_HANDLED 1
#define UI_K_REDRAW 2
#define UI_K_BACK 4
#define UI_K_PUSH 8   /* open ctx->push_to on top of the current screen */

/* Key codes beyond ncurses' (wide characters arrive as themselves). */
#define UI_KEY_ENTER '\n'
#define UI_KEY_ESC 27

struct ui_key {
	const char *label;  /* as shown: "Enter", "s/S", "/" */
	const char *help;   /* what it does, a few words */
};

struct ui_ctx {
	const struct config *cfg;
	const struct ingest *in;
	const struct store *store; /* only passed on to view_* functions */
	const struct view *v;
	/* changes whenever v is rebuilt: what a screen caches from a view
	 * (a sorted row list) is keyed by it, never by the pointer, which a
	 * new view may reuse */
	uint64_t view_serial;
	int rows, cols;            /* terminal size */
	int utf8;                  /* UTF-8 glyphs allowed */
	int colors;                /* 0, 8 or 256 */
	/* selection shared between screens */
	char campaign[512];        /* selected campaign id, "" = none */
	int score;                 /* selected NPS score (0-10) */
	int push_to;               /* with UI_K_PUSH */
	int mouse_y, mouse_x;      /* last click, -1 = none */
	const char *state_line;    /* what the state between runs is doing, "" = nothing */
};

struct ui_screen {
	const char *name;   /* breadcrumb and tab label */
	/* draw the body between the header lines and the footer */
	void (*draw)(struct ui_ctx *c, int top, int height);
	/* a key; returns UI_K_* flags */
	int (*key)(struct ui_ctx *c, int key);
	/* a mouse click at screen coordinates, optional */
	int (*click)(struct ui_ctx *c, int y, int x);
	/* breadcrumb label when it depends on the selection, optional */
	void (*crumb)(struct ui_ctx *c, char *buf, size_t n);
	const struct ui_key *keys; /* this screen's keys, {NULL} ended */
	const struct ui_key *more; /* further keys shown only in help, optional */
};

extern const struct ui_screen ui_overview_screen;
extern const struct ui_screen ui_campaigns_screen;
extern const struct ui_screen ui_campaign_screen;
extern const struct ui_screen ui_nps_screen;
extern const struct ui_screen ui_retention_screen;
extern const struct ui_screen ui_sources_screen;
extern const struct ui_screen ui_responses_screen;

/* ---- drawing helpers (src/ui/draw.c) ---------------------------------- */

/* Our own text (labels, numbers) at y,x, clipped to width, in a role. */
void ui_put(int y, int x, int width, enum theme_role role, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Text from the data: control characters and escape sequences are shown as
 * visible escapes (\x1b, ^G ...), invalid or non-printable characters as
 * '?', non-ASCII as '?' without UTF-8; clipped to width columns with '~'
 * marking a cut. Returns the columns used. */
int ui_text(int y, int x, int width, enum theme_role role, const char *s);
/* Text right-aligned in width columns ending at x + width (display width,
 * so an em dash or accented name aligns like ASCII). */
void ui_rjust(int y, int x, int width, enum theme_role role, const char *s);
/* Columns the data text would take (after escaping). */
int ui_text_width(const char *s);
/* Fill width columns at y,x with spaces in a role (a bar background). */
void ui_fill(int y, int x, int width, enum theme_role role);
/* A horizontal bar of frac (0-1) of width columns, with eighth-blocks when
 * UTF-8 is on; glyph is the fill character for ASCII mode. */
void ui_bar(int y, int x, int width, double frac, enum theme_role role, char glyph);
/* A sparkline of n values (NAN = gap) in width columns. */
void ui_spark(int y, int x, int width, const double *vals, size_t n, enum theme_role role);
/* A horizontal rule. */
void ui_hline(int y, int x, int width, enum theme_role role);
/* A glyph by UTF-8/ASCII pair (e.g. "▲", "^"). */
void ui_glyph(int y, int x, enum theme_role role, const char *utf8, const char *ascii);

/* Formatting into buf: undefined (NAN) gives an em dash (or "-"). */
void ui_fmt_count(char *buf, size_t n, double x);
void ui_fmt_rate(char *buf, size_t n, double x);     /* 0.1234 -> "12.3%" */
/* part of whole as a rate ("12.3%"), undefined when whole is 0 */
void ui_fmt_share(char *buf, size_t n, uint32_t part, uint32_t whole);
void ui_fmt_points(char *buf, size_t n, double x);   /* +20.0 */
void ui_fmt_money(char *buf, size_t n, double x);    /* 1,234.50 / 12.3k */
void ui_fmt_date(char *buf, size_t n, int64_t ts);   /* 2026-11-20 */
/* How ui_delta shows a change. */
enum ui_change {
	UI_CH_ABS,      /* now - prev: "+2.0" (scores, NPS points) */
	UI_CH_POINTS,   /* rates: percentage points, "+4.7" */
	UI_CH_RELATIVE  /* counts and money: "+16%" */
};
/* A change with its arrow and the role that says whether it is good for
 * customers: up_is_good = 1, 0 (down is good) or -1 (neutral). Draws at y,x
 * within width; returns columns used. */
int ui_delta(int y, int x, int width, double now, double prev, enum ui_change how,
	     int up_is_good);
/* A count in at most 6 columns: 726, 12.3k, 3.64M. */
void ui_fmt_short(char *buf, size_t n, double x);
/* The em dash or "-" for undefined values. */
const char *ui_undef(void);

/* The four NPS bands — hard detractors 0-4, soft detractors 5-6, passives
 * 7-8, promoters 9-10 — each with a role and a glyph, so that they differ
 * with colour and without: the densest glyph for the angriest band, the
 * lightest for passives, who do not count in the score. One table for
 * every screen that draws a histogram. */
struct ui_band {
	enum theme_role role;
	const char *utf8, *ascii; /* glyph of a full cell */
	int lo, hi;               /* scores */
};
extern const struct ui_band ui_bands[4];
/* Index in ui_bands of a 0-10 score. */
int ui_band_of(int score);

/* Set by ui.c for the helpers. */
void ui_draw_setup(int utf8);

#endif
