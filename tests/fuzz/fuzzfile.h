/* fuzzfile: what the fuzz targets that read a file share — a per-process
 * temporary file for the input, removed at exit, and one way to report a
 * broken invariant (abort, so that libFuzzer keeps the input). Include
 * after <stdio.h>, <stdlib.h> and <unistd.h>. */
#ifndef CXTOP_FUZZFILE_H
#define CXTOP_FUZZFILE_H

static char fuzz_path[64];
static const char *fuzz_name = "fuzz";

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_%s: invariant broken: %s%s%s\n", fuzz_name, what,
		detail ? ": " : "", detail ? detail : "");
	abort();
}

static void fuzz_cleanup(void)
{
	unlink(fuzz_path);
}

/* /tmp/cxtop-fuzz-NAME-PID.ini, removed when the process ends. */
static void fuzz_file_init(const char *name)
{
	fuzz_name = name;
	snprintf(fuzz_path, sizeof fuzz_path, "/tmp/cxtop-fuzz-%s-%ld.ini", name, (long)getpid());
	atexit(fuzz_cleanup);
}

#endif
