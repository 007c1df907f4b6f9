/* theme: colour roles read from INI theme files with inih (SPEC section 5),
 * and their colour pairs on the terminal. See include/cxtop/theme.h.
 *
 * A file is loaded over the built-in default, so a theme may leave roles
 * out; the built-in default is themes/default.ini written as data (a test
 * keeps the two equal). Any error (unknown section or key, bad colour or
 * attribute) leaves the built-in default in place: a theme is either used
 * whole or not at all, never half-applied.
 *
 * The file is read by inifile (libinih with line numbers, so that an empty
 * unknown section is still reported with its line; long and quoted values;
 * the first error as "FILE:LINE: key 'K': reason").
 *
 * Degrading. 256-colour indices are the xterm palette (0-15 system colours,
 * 16-231 a 6x6x6 cube, 232-255 a grey ramp). On an 8-colour terminal each
 * index becomes the nearest of the eight basic colours by hue, a grey black
 * or white by lightness (see theme_nearest8); with no colour, only
 * attributes remain and a role with a background gets reverse video so that
 * bars and the selection stay visible. */
#include "cxtop/theme.h"

#include "cxtop/inifile.h"
#include "cxtop/util.h"

#include <curses.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum theme_sec { THEME_SEC_NONE, THEME_SEC_THEME, THEME_SEC_ROLES };

struct theme_state {
	struct theme *t;
	struct inifile *ini;    /* the file being read: path, line, error */
	enum theme_sec sec;
};

static const char *const theme_keys[THEME_ROLE_COUNT] = {
#define THEME_ROLE_KEY(id, key) [THEME_##id] = key,
	THEME_ROLES(THEME_ROLE_KEY)
#undef THEME_ROLE_KEY
};

static const char *const theme_color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} theme_attr_names[] = {
	{ "bold", THEME_A_BOLD },
	{ "dim", THEME_A_DIM },
	{ "underline", THEME_A_UNDERLINE },
	{ "reverse", THEME_A_REVERSE },
	{ "standout", THEME_A_STANDOUT },
};

#define THEME_NATTRS (sizeof theme_attr_names / sizeof theme_attr_names[0])

/* themes/default.ini as data. Colour names are their 0-15 indices. */
#define THEME_D THEME_DEFAULT_COLOR
static const struct theme_style theme_default_roles[THEME_ROLE_COUNT] = {
	[THEME_TITLE] = { 15, 4, THEME_A_BOLD },           /* bright-white blue */
	[THEME_HEADER] = { 7, 4, 0 },                      /* white blue */
	[THEME_FOOTER] = { 0, 6, 0 },                      /* black cyan */
	[THEME_BORDER] = { 244, THEME_D, 0 },
	[THEME_TEXT] = { THEME_D, THEME_D, 0 },
	[THEME_DIM] = { 244, THEME_D, THEME_A_DIM },
	[THEME_VANITY] = { 180, THEME_D, THEME_A_BOLD },
	[THEME_CX] = { 117, THEME_D, THEME_A_BOLD },
	[THEME_GOOD] = { 114, THEME_D, THEME_A_BOLD },
	[THEME_BAD] = { 203, THEME_D, THEME_A_BOLD },
	[THEME_ALERT] = { 215, THEME_D, THEME_A_BOLD },
	[THEME_HARD_DETRACTOR] = { 160, THEME_D, 0 },
	[THEME_SOFT_DETRACTOR] = { 209, THEME_D, 0 },
	[THEME_PASSIVE] = { 250, THEME_D, 0 },
	[THEME_PROMOTER] = { 71, THEME_D, 0 },
	[THEME_SELECTION] = { 0, 117, 0 },                 /* black 117 */
};
#undef THEME_D

/* curses attributes of each role, computed by theme_apply. */
static unsigned long theme_attrs[THEME_ROLE_COUNT];

/* ---- values ------------------------------------------------------------ */

/* A colour word: default, a name, bright-NAME or 0-255; -2 if none. */
static int theme_color(const char *s)
{
	int bright = 0;
	char *end;
	long v;

	if (util_strieq(s, "default"))
		return THEME_DEFAULT_COLOR;
	if (strncasecmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	for (int i = 0; i < 8; i++)
		if (util_strieq(s, theme_color_names[i]))
			return i + bright;
	if (bright || *s < '0' || *s > '9')
		return -2;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > 255)
		return -2;
	return (int)v;
}

/* "FG BG [ATTR...]" into *out; an error names the key. */
static void theme_style_parse(struct theme_state *st, const char *key, const char *value,
			      struct theme_style *out)
{
	char *copy = xstrdup(value);
	char *p = copy;
	struct theme_style s = { THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };
	int n = 0;

	for (;;) {
		char *w;
		size_t len;

		p += strspn(p, " \t");
		if (!*p)
			break;
		w = p;
		len = strcspn(p, " \t");
		p += len;
		if (*p)
			*p++ = '\0';
		if (n < 2) {
			int c = theme_color(w);
			if (c == -2) {
				inifile_error(st->ini, key,
					      "'%s' is not a colour (default, black, red, green, "
					      "yellow, blue, magenta, cyan, white, bright-NAME or "
					      "0-255)",
					      w);
				goto out;
			}
			if (n == 0)
				s.fg = c;
			else
				s.bg = c;
		} else {
			size_t a;
			for (a = 0; a < THEME_NATTRS; a++)
				if (util_strieq(w, theme_attr_names[a].name))
					break;
			if (a == THEME_NATTRS) {
				inifile_error(st->ini, key,
					      "'%s' is not an attribute (bold, dim, underline, "
					      "reverse, standout)",
					      w);
				goto out;
			}
			s.attrs |= theme_attr_names[a].bit;
		}
		n++;
	}
	if (n < 2) {
		inifile_error(st->ini, key, "expected FOREGROUND BACKGROUND [ATTRIBUTE...]");
		goto out;
	}
	*out = s;
out:
	free(copy);
}

static void theme_roles_key(struct theme_state *st, const char *key, const char *value)
{
	char list[512];
	size_t n = 0;

	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		if (util_strieq(key, theme_keys[r])) {
			theme_style_parse(st, key, value, &st->t->role[r]);
			return;
		}
	}
	list[0] = '\0';
	for (int r = 0; r < THEME_ROLE_COUNT && n < sizeof list; r++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", r ? ", " : "",
				      theme_keys[r]);
	inifile_error(st->ini, key, "unknown role in [roles] (%s)", list);
}

/* The name of a "[name]" line. */
static void theme_section(struct inifile *f, char *name)
{
	struct theme_state *st = f->user;

	if (util_strieq(name, "theme"))
		st->sec = THEME_SEC_THEME;
	else if (util_strieq(name, "roles"))
		st->sec = THEME_SEC_ROLES;
	else
		inifile_error(f, NULL, "unknown section [%s] (theme, roles)", name);
}

static void theme_key(struct inifile *f, const char *name, const char *value)
{
	struct theme_state *st = f->user;

	switch (st->sec) {
	case THEME_SEC_NONE:
		inifile_error(f, name, "outside a section (start with [theme] or [roles])");
		break;
	case THEME_SEC_THEME:
		if (!util_strieq(name, "name"))
			inifile_error(f, name, "unknown key in [theme] (name)");
		else if (!value[0])
			inifile_error(f, name, "empty name");
		else if (strlen(value) >= sizeof st->t->name)
			inifile_error(f, name, "name longer than %zu bytes", sizeof st->t->name - 1);
		else
			util_strlcpy(st->t->name, value, sizeof st->t->name);
		break;
	case THEME_SEC_ROLES:
		theme_roles_key(st, name, value);
		break;
	}
}

/* ---- loading ----------------------------------------------------------- */

void theme_builtin(struct theme *t)
{
	memset(t, 0, sizeof *t);
	util_strlcpy(t->name, "default", sizeof t->name);
	memcpy(t->role, theme_default_roles, sizeof t->role);
}

const char *theme_role_key(enum theme_role r)
{
	if ((int)r < 0 || r >= THEME_ROLE_COUNT)
		return "?";
	return theme_keys[r];
}

int theme_load_file(struct theme *t, const char *path, char *err, size_t errlen)
{
	struct inifile f = { .path = path, .section = theme_section, .key = theme_key,
			     .err = err, .errlen = errlen };
	struct theme_state st = { .t = t, .ini = &f };
	const char *base = strrchr(path, '/');
	size_t len;

	f.user = &st;
	theme_builtin(t);
	/* Named after the file until a name key says otherwise. */
	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	if (len > 0 && len < sizeof t->name) {
		memcpy(t->name, base, len);
		t->name[len] = '\0';
	}
	if (inifile_parse(&f) != 0) {
		theme_builtin(t);
		return -1;
	}
	util_strlcpy(t->path, path, sizeof t->path);
	return 0;
}

/* The theme directories in search order; each entry is a fresh string
 * (or NULL where the place does not exist). */
#define THEME_NDIRS 3
static void theme_dirs(const char *datadir, char *dirs[THEME_NDIRS])
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0])
		dirs[0] = xasprintf("%s/cxtop/themes", xdg);
	else if (home && home[0])
		dirs[0] = xasprintf("%s/.local/share/cxtop/themes", home);
	else
		dirs[0] = NULL;
	dirs[1] = datadir && datadir[0] ? xasprintf("%s/themes", datadir) : NULL;
	dirs[2] = xstrdup("./themes");
}

static void theme_dirs_free(char *dirs[THEME_NDIRS])
{
	for (int i = 0; i < THEME_NDIRS; i++)
		free(dirs[i]);
}

int theme_load(struct theme *t, const char *name_or_file, const char *datadir, char *err,
	       size_t errlen)
{
	const char *v = name_or_file;
	size_t len = strlen(v);
	char *dirs[THEME_NDIRS];
	char searched[1024];
	size_t used = 0;
	int rc = -1;

	if (errlen)
		err[0] = '\0';
	if (strchr(v, '/') || (len >= 4 && strcmp(v + len - 4, ".ini") == 0))
		return theme_load_file(t, v, err, errlen);
	theme_builtin(t);
	if (!v[0]) {
		snprintf(err, errlen, "empty theme name");
		return -1;
	}
	searched[0] = '\0';
	theme_dirs(datadir, dirs);
	for (int i = 0; i < THEME_NDIRS; i++) {
		char *path;
		FILE *f;

		if (!dirs[i])
			continue;
		path = xasprintf("%s/%s.ini", dirs[i], v);
		f = fopen(path, "r");
		if (f) {
			fclose(f);
			rc = theme_load_file(t, path, err, errlen);
			free(path);
			theme_dirs_free(dirs);
			return rc;
		}
		if (used < sizeof searched)
			used += (size_t)snprintf(searched + used, sizeof searched - used, "%s%s",
						 used ? ", " : "", dirs[i]);
		free(path);
	}
	theme_dirs_free(dirs);
	/* "default" is always there: it is built in. */
	if (strcmp(v, "default") == 0)
		return 0;
	snprintf(err, errlen, "theme '%s' not found (searched %s)", v, searched);
	return rc;
}

/* "default" first, then by name. */
static int theme_name_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int dx = strcmp(x, "default") == 0, dy = strcmp(y, "default") == 0;

	if (dx != dy)
		return dy - dx;
	return strcmp(x, y);
}

char **theme_names(const char *datadir, size_t *n)
{
	char *dirs[THEME_NDIRS];
	char **names = NULL;
	size_t count = 0, cap = 0, j = 0;

	/* The built-in default is always available. */
	names = xgrow(names, &cap, count + 1, sizeof *names);
	names[count++] = xstrdup("default");
	theme_dirs(datadir, dirs);
	for (int i = 0; i < THEME_NDIRS; i++) {
		DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
		struct dirent *e;

		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			if (e->d_name[0] == '.' || len <= 4 ||
			    strcmp(e->d_name + len - 4, ".ini") != 0)
				continue;
			names = xgrow(names, &cap, count + 1, sizeof *names);
			names[count++] = xstrndup(e->d_name, len - 4);
		}
		closedir(d);
	}
	theme_dirs_free(dirs);
	qsort(names, count, sizeof *names, theme_name_cmp);
	for (size_t i = 0; i < count; i++) {
		if (j && strcmp(names[j - 1], names[i]) == 0)
			free(names[i]);
		else
			names[j++] = names[i];
	}
	*n = j;
	return names;
}

void theme_names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- colours ----------------------------------------------------------- */

/* RGB of a 256-colour index 16-255 in the xterm palette. */
static void theme_rgb(int c, int rgb[3])
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[c / 6 % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/* Plain RGB distance to xterm's eight colours sends greys to yellow (grey
 * 244 is nearer (205,205,0) than (229,229,229)) and pastels to white (the
 * default theme's green 114 and blue 117), losing the meaning of a role. So
 * a colour is first split: a grey (saturation under 0.3) becomes black or
 * white, whichever is nearer in lightness; any other colour has its grey
 * part removed and is stretched to full saturation, then goes to the
 * nearest corner of the RGB cube among the six hues (red, green, yellow,
 * blue, magenta, cyan), which is the nearest hue. */
int theme_nearest8(int color)
{
	int rgb[3], v[3], max, min, best = COLOR_RED;
	long bestd = -1;

	if (color < 0 || color > 255)
		return THEME_DEFAULT_COLOR;
	if (color < 16)
		return color & 7; /* bright-X is X */
	theme_rgb(color, rgb);
	max = min = rgb[0];
	for (int k = 1; k < 3; k++) {
		max = rgb[k] > max ? rgb[k] : max;
		min = rgb[k] < min ? rgb[k] : min;
	}
	if ((max - min) * 10 < max * 3 || max == 0)
		return max + min >= 229 ? COLOR_WHITE : COLOR_BLACK; /* lightness vs 229/2 */
	for (int k = 0; k < 3; k++)
		v[k] = ((rgb[k] - min) * 255 + (max - min) / 2) / (max - min);
	/* curses colours 1-6 are the cube corners: bit 0 red, 1 green, 2 blue */
	for (int c = 1; c <= 6; c++) {
		long d = 0;
		for (int k = 0; k < 3; k++) {
			int corner = (c >> k & 1) ? 255 : 0;
			d += (long)(v[k] - corner) * (v[k] - corner);
		}
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = c;
		}
	}
	return best;
}

/* ---- terminal ---------------------------------------------------------- */

/* The colour to give init_pair: degraded to what the terminal shows. */
static short theme_pair_color(int c, int colors, int have_default, int is_bg)
{
	if (c >= 0 && (colors < 256 || c >= COLORS))
		c = theme_nearest8(c);
	if (c < 0 && !have_default)
		c = is_bg ? COLOR_BLACK : COLOR_WHITE;
	return (short)c;
}

int theme_start(int want)
{
	/* COLORS and COLOR_PAIRS are only known once start_color() ran: read
	 * before, they are 0 and every theme fell back to 8 colours. */
	if (!want || !has_colors() || start_color() != OK)
		return 0;
	return COLORS >= 256 ? 256 : COLORS >= 8 ? 8 : 0;
}

void theme_apply(const struct theme *t, int colors)
{
	int pairs = 0, have_default = 0;

	if (colors > 0 && has_colors()) {
		have_default = use_default_colors() == OK;
		pairs = COLOR_PAIRS > THEME_ROLE_COUNT && COLORS >= 8;
	}
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		const struct theme_style *s = &t->role[r];
		unsigned long a = 0;

		if (s->attrs & THEME_A_BOLD)
			a |= A_BOLD;
		if (s->attrs & THEME_A_DIM)
			a |= A_DIM;
		if (s->attrs & THEME_A_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & THEME_A_REVERSE)
			a |= A_REVERSE;
		if (s->attrs & THEME_A_STANDOUT)
			a |= A_STANDOUT;
		if (pairs) {
			init_pair((short)(r + 1), theme_pair_color(s->fg, colors, have_default, 0),
				  theme_pair_color(s->bg, colors, have_default, 1));
			a |= (unsigned long)COLOR_PAIR(r + 1);
		} else if (s->bg != THEME_DEFAULT_COLOR) {
			a |= A_REVERSE; /* a bar or the selection must still show */
		}
		theme_attrs[r] = a;
	}
}

unsigned long theme_attr(enum theme_role r)
{
	if ((int)r < 0 || r >= THEME_ROLE_COUNT)
		return 0;
	return theme_attrs[r];
}
