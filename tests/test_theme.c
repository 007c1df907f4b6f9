/* Unit tests for theme: the shipped themes load, default.ini is the built-in
 * default, errors name file, line and key, the search path (XDG_DATA_HOME,
 * the data dir, ./themes), the list of names, the 8-colour mapping, the
 * promises of the colour-blind and monochrome themes, and the attributes
 * theme_apply computes on a real (dummy) terminal. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "cxtop/inifile.h"
#include "cxtop/theme.h"

static char tt_err[1024];

static const char *const tt_shipped[] = { "default", "light", "mono", "colorblind" };

/* Write text to a fresh dir/NAME and load it; *dir gets the directory. */
static int tt_load_text(struct theme *t, char **dir, const char *name, const char *text)
{
	char path[4096];

	*dir = tu_tmpdir();
	tu_write(*dir, name, "w", text);
	snprintf(path, sizeof path, "%s/%s", *dir, name);
	return theme_load_file(t, path, tt_err, sizeof tt_err);
}

static void tt_done(char *dir)
{
	tu_rmrf(dir);
	free(dir);
}

static void tt_assert_builtin(const struct theme *t)
{
	struct theme b;

	theme_builtin(&b);
	assert_string_equal(t->name, b.name);
	assert_memory_equal(t->role, b.role, sizeof b.role);
}

static void test_shipped_load(void **state)
{
	for (size_t i = 0; i < sizeof tt_shipped / sizeof tt_shipped[0]; i++) {
		struct theme t;
		char path[256];

		snprintf(path, sizeof path, "themes/%s.ini", tt_shipped[i]);
		tt_err[0] = 'x';
		if (theme_load_file(&t, path, tt_err, sizeof tt_err) != 0)
			fail_msg("%s: %s", path, tt_err);
		assert_string_equal(tt_err, "");
		assert_string_equal(t.name, tt_shipped[i]);
		assert_string_equal(t.path, path);
	}
}

static void test_default_is_builtin(void **state)
{
	struct theme file, b;

	assert_int_equal(theme_load_file(&file, "themes/default.ini", tt_err, sizeof tt_err), 0);
	theme_builtin(&b);
	assert_string_equal(b.path, "");
	assert_string_equal(file.name, b.name);
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		if (memcmp(&file.role[r], &b.role[r], sizeof b.role[r]) != 0)
			fail_msg("role %s: file %d %d %u, built-in %d %d %u", theme_role_key(r),
				 file.role[r].fg, file.role[r].bg, file.role[r].attrs, b.role[r].fg,
				 b.role[r].bg, b.role[r].attrs);
	}
}

static void test_values(void **state)
{
	struct theme t;
	char *dir;

	assert_int_equal(tt_load_text(&t, &dir, "x.ini",
				      "[theme]\nname = Mine\n\n[roles]\n"
				      "  title = bright-red default bold underline\n"
				      "text = 0 255 reverse standout dim ; comment\n"
				      "GOOD = Default Bright-Black\n"),
			 0);
	assert_string_equal(t.name, "Mine");
	assert_int_equal(t.role[THEME_TITLE].fg, 9);
	assert_int_equal(t.role[THEME_TITLE].bg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.role[THEME_TITLE].attrs, THEME_A_BOLD | THEME_A_UNDERLINE);
	assert_int_equal(t.role[THEME_TEXT].fg, 0);
	assert_int_equal(t.role[THEME_TEXT].bg, 255);
	assert_int_equal(t.role[THEME_TEXT].attrs,
			 THEME_A_REVERSE | THEME_A_STANDOUT | THEME_A_DIM);
	assert_int_equal(t.role[THEME_GOOD].fg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.role[THEME_GOOD].bg, 8);
	assert_int_equal(t.role[THEME_GOOD].attrs, 0);
	/* roles left out keep the built-in default */
	{
		struct theme b;
		theme_builtin(&b);
		assert_memory_equal(&t.role[THEME_BAD], &b.role[THEME_BAD], sizeof b.role[0]);
	}
	tt_done(dir);

	/* without a name key the theme is named after its file */
	assert_int_equal(tt_load_text(&t, &dir, "ocean.ini", "[roles]\ntext = blue default\n"), 0);
	assert_string_equal(t.name, "ocean");
	tt_done(dir);
}

/* Load text as dir/bad.ini; expect failure with "DIR/bad.ini:" + tail and
 * the built-in default left in t. */
static void tt_expect_error(const char *text, const char *tail)
{
	struct theme t;
	char *dir, want[4096];

	memset(&t, 0x55, sizeof t);
	assert_int_equal(tt_load_text(&t, &dir, "bad.ini", text), -1);
	snprintf(want, sizeof want, "%s/bad.ini:%s", dir, tail);
	assert_string_equal(tt_err, want);
	tt_assert_builtin(&t);
	assert_string_equal(t.path, "");
	tt_done(dir);
}

static void test_errors(void **state)
{
	tt_expect_error("[theme]\nname = x\n[roles]\ntext = default\tdefault\n"
			"good = purple default\n",
			"5: key 'good': 'purple' is not a colour (default, black, red, green, "
			"yellow, blue, magenta, cyan, white, bright-NAME or 0-255)");
	tt_expect_error("[roles]\ngood = 256 default\n",
			"2: key 'good': '256' is not a colour (default, black, red, green, "
			"yellow, blue, magenta, cyan, white, bright-NAME or 0-255)");
	tt_expect_error("[roles]\n\n\nbad = red -1\n",
			"4: key 'bad': '-1' is not a colour (default, black, red, green, "
			"yellow, blue, magenta, cyan, white, bright-NAME or 0-255)");
	tt_expect_error("[roles]\ntitle = red default bold\nalert = red default blink\n",
			"3: key 'alert': 'blink' is not an attribute (bold, dim, underline, "
			"reverse, standout)");
	tt_expect_error("; c\n[roles]\ntext = default default\nsparkle = red default\n",
			"4: key 'sparkle': unknown role in [roles] (title, header, footer, border, "
			"text, dim, vanity, cx, good, bad, alert, hard_detractor, soft_detractor, "
			"passive, promoter, selection)");
	tt_expect_error("[theme]\nname = x\nauthor = me\n",
			"3: key 'author': unknown key in [theme] (name)");
	tt_expect_error("[roles]\ntext = red\n",
			"2: key 'text': expected FOREGROUND BACKGROUND [ATTRIBUTE...]");
	tt_expect_error("[theme]\nname = x\n[colours]\n",
			"3: unknown section [colours] (theme, roles)");
	tt_expect_error("text = red default\n",
			"1: key 'text': outside a section (start with [theme] or [roles])");
	tt_expect_error("[roles]\ntext red default\n", "2: expected [section] or key = value");
}

static void test_missing_file(void **state)
{
	struct theme t;

	assert_int_equal(theme_load_file(&t, "/nonexistent/x.ini", tt_err, sizeof tt_err), -1);
	assert_string_equal(tt_err, "/nonexistent/x.ini: No such file or directory");
	tt_assert_builtin(&t);
}

static const char tt_sea[] = "[theme]\nname = sea\n[roles]\ntext = cyan default\n";

static void test_search_xdg(void **state)
{
	struct theme t;
	char *dir = tu_tmpdir(), sub[1024], want[4200];
	char *old = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;

	snprintf(sub, sizeof sub, "%s/cxtop", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/cxtop/themes", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_write(sub, "sea.ini", "w", tt_sea);
	/* a user theme named like a shipped one wins over ./themes */
	tu_write(sub, "light.ini", "w", "[theme]\nname = my-light\n");
	setenv("XDG_DATA_HOME", dir, 1);

	assert_int_equal(theme_load(&t, "sea", NULL, tt_err, sizeof tt_err), 0);
	assert_string_equal(t.name, "sea");
	assert_int_equal(t.role[THEME_TEXT].fg, COLOR_CYAN);
	snprintf(want, sizeof want, "%s/sea.ini", sub);
	assert_string_equal(t.path, want);

	assert_int_equal(theme_load(&t, "light", ".", tt_err, sizeof tt_err), 0);
	assert_string_equal(t.name, "my-light");

	/* names include the user's */
	{
		size_t n;
		char **names = theme_names(NULL, &n);
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found |= strcmp(names[i], "sea") == 0;
		assert_true(found);
		theme_names_free(names, n);
	}

	if (old) {
		setenv("XDG_DATA_HOME", old, 1);
		free(old);
	} else {
		unsetenv("XDG_DATA_HOME");
	}
	tt_done(dir);
}

static void test_search_datadir(void **state)
{
	struct theme t;
	char *xdg = tu_tmpdir(); /* empty: nothing found there */
	char *dir = tu_tmpdir(), sub[1024], want[4200];

	setenv("XDG_DATA_HOME", xdg, 1);
	snprintf(sub, sizeof sub, "%s/themes", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	tu_write(sub, "sea.ini", "w", tt_sea);

	assert_int_equal(theme_load(&t, "sea", dir, tt_err, sizeof tt_err), 0);
	assert_string_equal(t.name, "sea");
	snprintf(want, sizeof want, "%s/sea.ini", sub);
	assert_string_equal(t.path, want);

	/* ./themes is searched last */
	assert_int_equal(theme_load(&t, "mono", dir, tt_err, sizeof tt_err), 0);
	assert_string_equal(t.path, "./themes/mono.ini");

	/* a value with '/' or ending in .ini is a path */
	assert_int_equal(theme_load(&t, "themes/light.ini", NULL, tt_err, sizeof tt_err), 0);
	assert_string_equal(t.name, "light");
	assert_int_equal(theme_load(&t, want, NULL, tt_err, sizeof tt_err), 0);
	assert_string_equal(t.name, "sea");

	/* a missing name is an error naming it; t is the built-in */
	assert_int_equal(theme_load(&t, "nosuch", dir, tt_err, sizeof tt_err), -1);
	assert_non_null(strstr(tt_err, "theme 'nosuch' not found"));
	assert_non_null(strstr(tt_err, sub));
	tt_assert_builtin(&t);
	assert_int_equal(theme_load(&t, "nosuch.ini", dir, tt_err, sizeof tt_err), -1);
	assert_string_equal(tt_err, "nosuch.ini: No such file or directory");

	/* "default" is built in, so it is never missing */
	{
		char *empty = tu_tmpdir();
		assert_int_equal(chdir(empty), 0);
		assert_int_equal(theme_load(&t, "default", NULL, tt_err, sizeof tt_err), 0);
		tt_assert_builtin(&t);
		assert_int_equal(chdir(getenv("TT_CWD")), 0);
		tt_done(empty);
	}

	/* a bad file found by name reports its own error */
	tu_write(sub, "broken.ini", "w", "[roles]\ntext = nope default\n");
	assert_int_equal(theme_load(&t, "broken", dir, tt_err, sizeof tt_err), -1);
	snprintf(want, sizeof want, "%s/broken.ini:2: key 'text': 'nope' is not a colour", sub);
	assert_memory_equal(tt_err, want, strlen(want));
	tt_assert_builtin(&t);

	unsetenv("XDG_DATA_HOME");
	tt_done(dir);
	tt_done(xdg);
}

static void test_names(void **state)
{
	size_t n;
	char **names;
	char *xdg = tu_tmpdir();

	setenv("XDG_DATA_HOME", xdg, 1);
	names = theme_names(".", &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "default");
	assert_string_equal(names[1], "colorblind");
	assert_string_equal(names[2], "light");
	assert_string_equal(names[3], "mono");
	theme_names_free(names, n);
	theme_names_free(NULL, 0);
	unsetenv("XDG_DATA_HOME");
	tt_done(xdg);
}

static void test_nearest8(void **state)
{
	assert_int_equal(theme_nearest8(196), COLOR_RED);
	assert_int_equal(theme_nearest8(46), COLOR_GREEN);
	assert_int_equal(theme_nearest8(21), COLOR_BLUE);
	assert_int_equal(theme_nearest8(231), COLOR_WHITE);
	assert_int_equal(theme_nearest8(16), COLOR_BLACK);
	assert_int_equal(theme_nearest8(226), COLOR_YELLOW);
	assert_int_equal(theme_nearest8(201), COLOR_MAGENTA);
	assert_int_equal(theme_nearest8(51), COLOR_CYAN);
	assert_int_equal(theme_nearest8(232), COLOR_BLACK);  /* darkest grey */
	assert_int_equal(theme_nearest8(255), COLOR_WHITE);  /* lightest grey */
	assert_int_equal(theme_nearest8(244), COLOR_WHITE);  /* mid grey, not yellow */
	assert_int_equal(theme_nearest8(238), COLOR_BLACK);
	assert_int_equal(theme_nearest8(52), COLOR_RED);     /* dark red */
	/* pastels keep their hue (the default theme's good, cx, bad) */
	assert_int_equal(theme_nearest8(114), COLOR_GREEN);
	assert_int_equal(theme_nearest8(117), COLOR_CYAN);
	assert_int_equal(theme_nearest8(203), COLOR_RED);
	assert_int_equal(theme_nearest8(208), COLOR_YELLOW); /* orange */
	for (int c = 0; c < 8; c++) {
		assert_int_equal(theme_nearest8(c), c);
		assert_int_equal(theme_nearest8(c + 8), c); /* bright-X is X */
	}
	assert_int_equal(theme_nearest8(THEME_DEFAULT_COLOR), THEME_DEFAULT_COLOR);
}

static int tt_reddish_greenish(int a, int b)
{
	a = theme_nearest8(a);
	b = theme_nearest8(b);
	return (a == COLOR_RED && b == COLOR_GREEN) || (a == COLOR_GREEN && b == COLOR_RED);
}

static void test_colorblind(void **state)
{
	struct theme t;

	assert_int_equal(theme_load_file(&t, "themes/colorblind.ini", tt_err, sizeof tt_err), 0);
	assert_false(tt_reddish_greenish(t.role[THEME_GOOD].fg, t.role[THEME_BAD].fg));
	assert_false(tt_reddish_greenish(t.role[THEME_PROMOTER].fg,
					 t.role[THEME_HARD_DETRACTOR].fg));
	/* and good and bad are told apart even on 8 colours */
	assert_int_not_equal(theme_nearest8(t.role[THEME_GOOD].fg),
			     theme_nearest8(t.role[THEME_BAD].fg));
	/* the check itself catches the default theme's red/green */
	assert_true(tt_reddish_greenish(196, 46));
}

static void test_mono(void **state)
{
	struct theme t;

	assert_int_equal(theme_load_file(&t, "themes/mono.ini", tt_err, sizeof tt_err), 0);
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		assert_int_equal(t.role[r].fg, THEME_DEFAULT_COLOR);
		assert_int_equal(t.role[r].bg, THEME_DEFAULT_COLOR);
	}
}

static void test_role_keys(void **state)
{
	assert_string_equal(theme_role_key(THEME_TITLE), "title");
	assert_string_equal(theme_role_key(THEME_HARD_DETRACTOR), "hard_detractor");
	assert_string_equal(theme_role_key(THEME_SELECTION), "selection");
}

/* theme_apply on a dummy xterm-256color screen writing to /dev/null. */
static void test_apply(void **state)
{
	struct theme t;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	short fg, bg;

	assert_non_null(out);
	assert_non_null(in);
	scr = newterm("xterm-256color", out, in);
	if (!scr) {
		fclose(out);
		fclose(in);
		skip(); /* no terminfo entry here */
	}
	theme_builtin(&t);

	/* COLORS is known only after start_color: xterm-256color has 256 */
	assert_int_equal(theme_start(1), 256);
	theme_apply(&t, 256);
	assert_int_equal(theme_attr(THEME_GOOD),
			 (unsigned long)(COLOR_PAIR(THEME_GOOD + 1) | A_BOLD));
	assert_int_equal(pair_content(THEME_GOOD + 1, &fg, &bg), OK);
	assert_int_equal(fg, 114);
	assert_int_equal(bg, -1);
	assert_int_equal(pair_content(THEME_TITLE + 1, &fg, &bg), OK);
	assert_int_equal(fg, 15);
	assert_int_equal(bg, COLOR_BLUE);

	theme_apply(&t, 8);
	assert_int_equal(pair_content(THEME_BAD + 1, &fg, &bg), OK);
	assert_int_equal(fg, COLOR_RED);
	assert_int_equal(pair_content(THEME_TITLE + 1, &fg, &bg), OK);
	assert_int_equal(fg, COLOR_WHITE);
	assert_int_equal(bg, COLOR_BLUE);

	theme_apply(&t, 0);
	assert_int_equal(theme_attr(THEME_GOOD), (unsigned long)A_BOLD);
	assert_int_equal(theme_attr(THEME_TEXT), 0);
	/* a background becomes reverse video without colour */
	assert_int_equal(theme_attr(THEME_SELECTION), (unsigned long)A_REVERSE);

	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* -t /dev/zero, a FIFO or a huge file without line ends: refused at
 * once with the file named, and the built-in theme stays. */
static void test_unbounded_theme_refused(void **state)
{
	struct theme t, builtin;
	char *dir = tu_tmpdir(), path[4096];
	(void)state;
	theme_builtin(&builtin);
	assert_int_equal(theme_load_file(&t, "/dev/zero", tt_err, sizeof tt_err), -1);
	assert_string_equal(tt_err, "/dev/zero: not a regular file");
	assert_memory_equal(&t, &builtin, sizeof t);
	snprintf(path, sizeof path, "%s/huge.ini", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(truncate(path, (off_t)INIFILE_MAX_BYTES + 1), 0); /* sparse: all NULs */
	assert_int_equal(theme_load_file(&t, path, tt_err, sizeof tt_err), -1);
	assert_non_null(strstr(tt_err, "huge.ini: too large ("));
	assert_memory_equal(&t, &builtin, sizeof t);
	tt_done(dir);
}

int main(void)
{
	char cwd[4096];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbounded_theme_refused),
		cmocka_unit_test(test_shipped_load),
		cmocka_unit_test(test_default_is_builtin),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_search_xdg),
		cmocka_unit_test(test_search_datadir),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_nearest8),
		cmocka_unit_test(test_colorblind),
		cmocka_unit_test(test_mono),
		cmocka_unit_test(test_role_keys),
		cmocka_unit_test(test_apply),
	};

	if (!getcwd(cwd, sizeof cwd))
		return 1;
	setenv("TT_CWD", cwd, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
