/* draw: small drawing helpers shared by the screens (see uiscr.h).
 *
 * Every string that comes from a data file goes through ui_text, which
 * decodes UTF-8 itself and shows control characters as visible escapes, so
 * a crafted CSV can never retitle, recolour or drive the terminal. Glyphs
 * come in UTF-8/ASCII pairs; ASCII is used without a UTF-8 locale or with
 * --ascii. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "cxtop/uiscr.h"

#include "cxtop/parse.h"
#include "cxtop/util.h"

#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int ui_utf8;

void ui_draw_setup(int utf8)
{
	ui_utf8 = utf8;
}

const struct ui_band ui_bands[4] = {
	{ THEME_HARD_DETRACTOR, "\xe2\x96\x88", "X", 0, 4 },
	{ THEME_SOFT_DETRACTOR, "\xe2\x96\x93", "x", 5, 6 },
	{ THEME_PASSIVE, "\xe2\x96\x91", "-", 7, 8 },
	{ THEME_PROMOTER, "\xe2\x96\x92", "#", 9, 10 },
};

int ui_band_of(int score)
{
	return score <= 4 ? 0 : score <= 6 ? 1 : score <= 8 ? 2 : 3;
}

const char *ui_undef(void)
{
	return ui_utf8 ? "\xe2\x80\x94" : "-";
}

static void ui_role(enum theme_role role)
{
	attrset((attr_t)theme_attr(role));
}

void ui_put(int y, int x, int width, enum theme_role role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (width <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* our own strings may hold UTF-8 glyphs and the em dash */
	ui_text(y, x, width, role, buf);
}

/* Decode one UTF-8 character; returns bytes used (>= 1), *wc = -1 if bad. */
static size_t ui_decode(const unsigned char *s, size_t n, long *wc)
{
	unsigned char c = s[0];
	size_t need;
	long v;
	if (c < 0x80) {
		*wc = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		v = c & 0x07;
	} else {
		*wc = -1;
		return 1;
	}
	if (n < need) {
		*wc = -1;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*wc = -1;
			return 1;
		}
		v = v << 6 | (s[i] & 0x3F);
	}
	if ((need == 3 && v < 0x800) || (need == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF)) {
		*wc = -1;
		return 1;
	}
	*wc = v;
	return need;
}

/* Sanitise s into out: the text as it will be shown, with its width. */
static int ui_sanitise(const char *s, char *out, size_t cap, int maxw, int *cut)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	int w = 0;
	*cut = 0;
	while (n) {
		long wc;
		size_t k = ui_decode(p, n, &wc);
		char piece[16];
		int pw;
		if (wc < 0) {
			snprintf(piece, sizeof piece, "?");
			pw = 1;
		} else if (wc < 0x20 || wc == 0x7f) {
			/* C0 controls: ESC as \e, the rest as ^X */
			if (wc == 0x1b)
				snprintf(piece, sizeof piece, "\\e");
			else if (wc == 0x7f)
				snprintf(piece, sizeof piece, "^?");
			else
				snprintf(piece, sizeof piece, "^%c", (char)(wc + '@'));
			pw = 2;
		} else if (wc >= 0x80 && wc < 0xA0) {
			snprintf(piece, sizeof piece, "\\x%02lx", wc); /* C1 controls (CSI, OSC) */
			pw = 4;
		} else if (wc < 0x80) {
			piece[0] = (char)wc;
			piece[1] = '\0';
			pw = 1;
		} else if (!ui_utf8) {
			snprintf(piece, sizeof piece, "?");
			pw = 1;
		} else {
			pw = wcwidth((wchar_t)wc);
			if (pw < 0) {
				snprintf(piece, sizeof piece, "?");
				pw = 1;
			} else {
				memcpy(piece, p, k);
				piece[k] = '\0';
			}
		}
		if (w + pw > maxw) {
			*cut = 1;
			break;
		}
		size_t pl = strlen(piece);
		if (o + pl + 1 >= cap)
			break;
		memcpy(out + o, piece, pl);
		o += pl;
		w += pw;
		p += k;
		n -= k;
	}
	out[o] = '\0';
	return w;
}

int ui_text_width(const char *s)
{
	char buf[4096];
	int cut;
	return ui_sanitise(s, buf, sizeof buf, 1 << 20, &cut);
}

int ui_text(int y, int x, int width, enum theme_role role, const char *s)
{
	char buf[4096];
	int cut, w;
	if (width <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	w = ui_sanitise(s, buf, sizeof buf, width, &cut);
	if (cut && width > 0) {
		/* make room for the cut mark */
		w = ui_sanitise(s, buf, sizeof buf, width - 1, &cut);
		size_t l = strlen(buf);
		buf[l] = '~';
		buf[l + 1] = '\0';
		w++;
	}
	ui_role(role);
	mvaddstr(y, x, buf);
	return w;
}

void ui_rjust(int y, int x, int width, enum theme_role role, const char *s)
{
	int w = ui_text_width(s);
	if (w > width)
		w = width;
	ui_text(y, x + width - w, w, role, s);
}

void ui_fill(int y, int x, int width, enum theme_role role)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + width > COLS)
		width = COLS - x;
	ui_role(role);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
}

void ui_glyph(int y, int x, enum theme_role role, const char *utf8, const char *ascii)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	ui_role(role);
	mvaddstr(y, x, ui_utf8 ? utf8 : ascii);
}

void ui_bar(int y, int x, int width, double frac, enum theme_role role, char glyph)
{
	static const char *const eighths[] = { "", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
					       "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
					       "\xe2\x96\x89" };
	if (isnan(frac) || width <= 0 || y < 0 || y >= LINES)
		return;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	if (x + width > COLS)
		width = COLS - x;
	int units = (int)lround(frac * width * 8);
	ui_role(role);
	move(y, x);
	for (int i = 0; i < units / 8; i++) {
		if (ui_utf8)
			addstr("\xe2\x96\x88");
		else
			addch((chtype)(unsigned char)glyph);
	}
	if (units % 8 && units / 8 < width) {
		if (ui_utf8)
			addstr(eighths[units % 8]);
		else if (units % 8 >= 4)
			addch((chtype)(unsigned char)glyph);
	}
}

void ui_spark(int y, int x, int width, const double *vals, size_t n, enum theme_role role)
{
	static const char *const blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					      "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					      "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-~=+*#";
	double lo = INFINITY, hi = -INFINITY;
	if (width <= 0 || y < 0 || y >= LINES)
		return;
	size_t first = n > (size_t)width ? n - (size_t)width : 0;
	for (size_t i = first; i < n; i++) {
		if (isnan(vals[i]))
			continue;
		if (vals[i] < lo)
			lo = vals[i];
		if (vals[i] > hi)
			hi = vals[i];
	}
	ui_role(role);
	move(y, x);
	for (size_t i = first; i < n; i++) {
		if (isnan(vals[i]) || isinf(lo)) {
			addch(' ');
			continue;
		}
		int k = hi > lo ? (int)lround((vals[i] - lo) / (hi - lo) * 7) : 3;
		if (ui_utf8)
			addstr(blocks[k]);
		else
			addch((chtype)(unsigned char)ascii[k]);
	}
}

void ui_hline(int y, int x, int width, enum theme_role role)
{
	if (y < 0 || y >= LINES)
		return;
	if (x + width > COLS)
		width = COLS - x;
	ui_role(role);
	move(y, x);
	for (int i = 0; i < width; i++)
		addstr(ui_utf8 ? "\xe2\x94\x80" : "-");
}

void ui_fmt_count(char *b, size_t n, double x)
{
	if (isnan(x) || isinf(x))
		util_strlcpy(b, ui_undef(), n);
	else
		util_fmt_count(b, n, x);
}

void ui_fmt_rate(char *b, size_t n, double x)
{
	if (isnan(x) || isinf(x))
		util_strlcpy(b, ui_undef(), n);
	else
		snprintf(b, n, "%.1f%%", 100 * x);
}

void ui_fmt_share(char *b, size_t n, uint32_t part, uint32_t whole)
{
	ui_fmt_rate(b, n, whole ? (double)part / whole : VIEW_UNDEF);
}

void ui_fmt_points(char *b, size_t n, double x)
{
	if (isnan(x) || isinf(x))
		util_strlcpy(b, ui_undef(), n);
	else
		snprintf(b, n, "%+.1f", x);
}

void ui_fmt_money(char *b, size_t n, double x)
{
	if (isnan(x) || isinf(x))
		util_strlcpy(b, ui_undef(), n);
	else if (fabs(x) >= 1e6)
		snprintf(b, n, "%.2fM", x / 1e6);
	else if (fabs(x) >= 1e5)
		snprintf(b, n, "%.1fk", x / 1e3);
	else {
		/* 3,388.70: whole units with separators, then the cents */
		char whole[32];
		double c = round(fabs(x) * 100);
		ui_fmt_count(whole, sizeof whole, floor(c / 100));
		snprintf(b, n, "%s%s.%02d", x < 0 ? "-" : "", whole, (int)fmod(c, 100));
	}
}

void ui_fmt_date(char *b, size_t n, int64_t ts)
{
	if (ts == INT64_MIN || ts == INT64_MAX)
		util_strlcpy(b, ui_undef(), n);
	else
		parse_format_date(ts, b, n);
}

int ui_delta(int y, int x, int width, double now, double prev, enum ui_change how,
	     int up_is_good)
{
	char b[32];
	enum theme_role role = THEME_DIM;
	const char *u = "\xe2\x96\xac", *a = "=";
	double d;

	if (isnan(now) || isnan(prev) || (how == UI_CH_RELATIVE && prev == 0)) {
		return 0;
	}
	d = how == UI_CH_POINTS ? 100 * (now - prev)
	    : how == UI_CH_RELATIVE ? 100 * (now - prev) / fabs(prev)
				    : now - prev;
	if (fabs(d) < 0.05) {
		snprintf(b, sizeof b, "0.0");
	} else {
		if (how == UI_CH_RELATIVE)
			snprintf(b, sizeof b, fabs(d) >= 999.5 ? ">999%%" : "%+.0f%%", d);
		else
			snprintf(b, sizeof b, "%+.1f", d);
		u = d > 0 ? "\xe2\x96\xb2" : "\xe2\x96\xbc";
		a = d > 0 ? "^" : "v";
		if (up_is_good >= 0)
			role = (d > 0) == (up_is_good == 1) ? THEME_GOOD : THEME_BAD;
	}
	ui_glyph(y, x, role, u, a);
	ui_put(y, x + 1, width - 1, role, "%s", b);
	return 1 + (int)strlen(b);
}

void ui_fmt_short(char *b, size_t n, double x)
{
	double ax = fabs(x);
	if (isnan(x) || isinf(x))
		util_strlcpy(b, ui_undef(), n);
	else if (ax >= 999.5e6)
		snprintf(b, n, "%.2fG", x / 1e9);
	else if (ax >= 999.5e3)
		snprintf(b, n, "%.2fM", x / 1e6);
	else if (ax >= 9999.5)
		snprintf(b, n, "%.1fk", x / 1e3);
	else
		snprintf(b, n, "%.0f", x);
}
