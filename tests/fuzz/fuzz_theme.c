/* fuzz_theme: libFuzzer target for theme_load_file (inifile + theme), which
 * reads files a user may download or write by hand.
 *
 * The input is written to /tmp/cxtop-fuzz-theme-PID.ini (one fixed name per
 * process, removed at exit) and loaded.
 *
 * Invariants checked (a violation aborts, as a crash): an error message
 * names the file and leaves exactly the built-in theme; a loaded theme has
 * every colour default or 0-255, only known attribute bits, a NUL-terminated
 * name and its path; theme_nearest8 maps every colour into 0-7. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxtop/theme.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ATTRS \
	(THEME_A_BOLD | THEME_A_DIM | THEME_A_UNDERLINE | THEME_A_REVERSE | THEME_A_STANDOUT)

#include "fuzzfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("theme");
	return 0;
}

static void fuzz_color(int c)
{
	int n;

	if (c != THEME_DEFAULT_COLOR && (c < 0 || c > 255))
		fuzz_fail("colour out of range", NULL);
	if (c >= 0) {
		n = theme_nearest8(c);
		if (n < 0 || n > 7)
			fuzz_fail("theme_nearest8 out of 0-7", NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t, builtin;
	char err[1024];
	size_t plen = strlen(fuzz_path);
	FILE *f = fopen(fuzz_path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_fail("cannot write", fuzz_path);
	err[0] = '\0';
	theme_builtin(&builtin);
	if (theme_load_file(&t, fuzz_path, err, sizeof err) < 0) {
		if (strncmp(err, fuzz_path, plen) != 0 || err[plen] != ':')
			fuzz_fail("error message does not name the file", err);
		if (memcmp(t.role, builtin.role, sizeof t.role) != 0 ||
		    strcmp(t.name, builtin.name) != 0 || t.path[0])
			fuzz_fail("a failed load left something other than the built-in", err);
		return 0;
	}
	if (err[0])
		fuzz_fail("success with an error message", err);
	if (!memchr(t.name, '\0', sizeof t.name) || !t.name[0])
		fuzz_fail("theme name", NULL);
	if (strcmp(t.path, fuzz_path) != 0)
		fuzz_fail("theme path", t.path);
	for (int r = 0; r < THEME_ROLE_COUNT; r++) {
		fuzz_color(t.role[r].fg);
		fuzz_color(t.role[r].bg);
		if (t.role[r].attrs & ~FUZZ_ATTRS)
			fuzz_fail("unknown attribute bits", theme_role_key(r));
	}
	return 0;
}
