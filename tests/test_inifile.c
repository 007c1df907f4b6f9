/* Unit tests for inifile: the physical line of every section and key
 * (comments, blank lines, a BOM, indentation), values longer than inih's
 * 200-byte line, quoted values, section syntax, the first error winning
 * and stopping the parse, and a missing file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cxtop/inifile.h"

static char ti_err[1024];

/* What the callbacks saw, one "LINE [name]" or "LINE key=value" per line. */
struct ti_log {
	char text[8192];
	size_t len;
	const char *fail_key; /* the key callback refuses this key */
};

static void ti_section(struct inifile *f, char *name)
{
	struct ti_log *log = f->user;

	log->len += (size_t)snprintf(log->text + log->len, sizeof log->text - log->len,
				     "%d [%s]\n", f->lineno, name);
	if (strcmp(name, "bad") == 0)
		inifile_error(f, NULL, "unknown section [%s]", name);
}

static void ti_key(struct inifile *f, const char *key, const char *value)
{
	struct ti_log *log = f->user;

	log->len += (size_t)snprintf(log->text + log->len, sizeof log->text - log->len,
				     "%d %s=%s\n", f->lineno, key, value);
	if (log->fail_key && strcmp(key, log->fail_key) == 0)
		inifile_error(f, key, "'%s' refused", value);
}

/* Write text to a fresh dir/t.ini and parse it into *log; returns
 * inifile_parse's status. *path gets the file (caller frees). */
static int ti_parse(struct ti_log *log, char **dir, char *path, size_t pathlen, const char *text)
{
	struct inifile f = { .path = path, .user = log, .section = ti_section, .key = ti_key,
			     .err = ti_err, .errlen = sizeof ti_err };

	log->text[0] = '\0';
	log->len = 0;
	*dir = tu_tmpdir();
	tu_write(*dir, "t.ini", "w", text);
	snprintf(path, pathlen, "%s/t.ini", *dir);
	return inifile_parse(&f);
}

/* Parse text, expecting rc, the callbacks' log and (with rc -1) the error
 * "DIR/t.ini:" + tail. */
static void ti_expect(const char *text, const char *fail_key, int rc, const char *seen,
		      const char *tail)
{
	struct ti_log log = { .fail_key = fail_key };
	char *dir, path[4096], want[4200];

	assert_int_equal(ti_parse(&log, &dir, path, sizeof path, text), rc);
	assert_string_equal(log.text, seen);
	if (tail) {
		snprintf(want, sizeof want, "%s:%s", path, tail);
		assert_string_equal(ti_err, want);
	} else {
		assert_string_equal(ti_err, "");
	}
	tu_rmrf(dir);
	free(dir);
}

static void test_line_numbers(void **state)
{
	ti_expect("\xEF\xBB\xBF; comment\n"
		  "\n"
		  "# another\n"
		  "[empty]\n"
		  "   [ sec ]   ; trailing comment\n"
		  "a = 1\n"
		  "\t  b=two words  \n"
		  "\n"
		  "c: 3\n"
		  "d =\n",
		  NULL, 0,
		  "4 [empty]\n5 [sec]\n6 a=1\n7 b=two words\n9 c=3\n10 d=\n", NULL);
	/* a BOM only counts on the first line */
	ti_expect("[s]\n\xEF\xBB\xBFk = v\n", NULL, 0, "1 [s]\n2 \xEF\xBB\xBFk=v\n", NULL);
}

static void test_long_value(void **state)
{
	char value[301], text[1024], seen[1024];

	memset(value, 'x', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	memcpy(value, "Why; not?", 9);
	snprintf(text, sizeof text, "[s]\n; c\nq = %s   ; the question\nafter = 1\n", value);
	snprintf(seen, sizeof seen, "1 [s]\n3 q=%s\n4 after=1\n", value);
	ti_expect(text, NULL, 0, seen, NULL);

	/* a key that does not fit inih's line */
	snprintf(text, sizeof text, "[s]\n%s = 1\n", value);
	ti_expect(text, NULL, -1, "1 [s]\n", "2: key too long");
	/* a long line that is no key = value */
	snprintf(text, sizeof text, "[s]\n%s\n", value + 9);
	ti_expect(text, NULL, -1, "1 [s]\n", "2: expected [section] or key = value");
}

static void test_quoted_value(void **state)
{
	ti_expect("[s]\n"
		  "a = \"  x ; \"\"y\"\" ; z  \"   ; comment\n"
		  "b = \"\"\n"
		  "c = ;\n"
		  "d = e ; inline comment\n",
		  NULL, 0, "1 [s]\n2 a=  x ; \"y\" ; z  \n3 b=\n4 c=;\n5 d=e\n", NULL);
	ti_expect("[s]\nk = \"open\n", NULL, -1, "1 [s]\n", "2: key 'k': missing closing quote");
	ti_expect("[s]\nk = \"a\" b\n", NULL, -1, "1 [s]\n", "2: key 'k': text after closing quote");
}

static void test_section_syntax(void **state)
{
	ti_expect("\n[s\nk = v\n", NULL, -1, "", "2: missing ']' in section header");
	ti_expect("[s] x\n", NULL, -1, "", "1: text after section header");
	ti_expect("[s] # c\n", NULL, 0, "1 [s]\n", NULL);
}

static void test_first_error_wins(void **state)
{
	/* the callback's error stops the parse: nothing after line 3 is seen */
	ti_expect("[s]\na = 1\nb = 2\nb = 3\n[bad]\nno equals sign\n", "b", -1,
		  "1 [s]\n2 a=1\n3 b=2\n", "3: key 'b': '2' refused");
	/* a section error, then a key error on a later line */
	ti_expect("[s]\n\n[bad]\nb = 2\n", "b", -1, "1 [s]\n3 [bad]\n", "3: unknown section [bad]");
	/* inih's own error (no '=') does not stop inih, but it is the first */
	ti_expect("[s]\na = 1\n\nno equals sign\nb = 2\n", "b", -1, "1 [s]\n2 a=1\n5 b=2\n",
		  "4: expected [section] or key = value");
}

static void test_error_after_parse(void **state)
{
	struct ti_log log = { 0 };
	struct inifile f = { .path = "x.ini", .user = &log, .section = ti_section,
			     .key = ti_key, .err = ti_err, .errlen = sizeof ti_err };

	/* a check made after the parse names the line it is about */
	f.lineno = 7;
	inifile_error(&f, "path", "required in [%s]", "events:x");
	assert_string_equal(ti_err, "x.ini:7: key 'path': required in [events:x]");
	assert_int_equal(f.errline, 7);
	f.lineno = 9;
	inifile_error(&f, NULL, "later");
	assert_string_equal(ti_err, "x.ini:7: key 'path': required in [events:x]");
}

static void test_missing_file(void **state)
{
	struct ti_log log = { 0 };
	struct inifile f = { .path = "/nonexistent/cxtop/t.ini", .user = &log,
			     .section = ti_section, .key = ti_key, .err = ti_err,
			     .errlen = sizeof ti_err };

	assert_int_equal(inifile_parse(&f), -1);
	assert_string_equal(ti_err, "/nonexistent/cxtop/t.ini: No such file or directory");
	assert_int_equal(f.opened, 0);
	f.missing_ok = 1;
	assert_int_equal(inifile_parse(&f), 1);
	assert_string_equal(ti_err, "");
	assert_int_equal(f.opened, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_quoted_value),
		cmocka_unit_test(test_section_syntax),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_error_after_parse),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
