/* Helpers shared by the cmocka tests: temporary directories and files. */
#ifndef CXTOP_TESTUTIL_H
#define CXTOP_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* Make a fresh temporary directory; returns a static-lifetime heap path. */
static inline char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/cxtop-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

/* Write (mode "w") or append ("a") text to dir/name. */
static inline void tu_write(const char *dir, const char *name, const char *mode, const char *text)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, mode);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Remove a directory tree made by tu_tmpdir. */
static inline void tu_rmrf(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("rm -rf %s failed", dir);
}

#endif
