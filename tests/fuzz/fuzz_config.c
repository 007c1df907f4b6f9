/* fuzz_config: libFuzzer target for config_load (inifile + config), the
 * first thing cxtop reads and the one file a user edits by hand.
 *
 * The input is written to /tmp/cxtop-fuzz-config-PID.ini (one fixed name
 * per process, removed at exit) and loaded over the defaults, as -c does.
 * Then, for each source the file left, a header made of the source's own
 * column names is mapped (record_map_build), as csvin does with the first
 * row of a file, so that col. and const. values reach record.
 *
 * Invariants checked (a violation aborts, as a crash): an error message
 * names the file ("PATH:LINE: ..." or "PATH: ..."); a loaded config has a
 * known window, sources of known kinds with a name, a path and a delimiter,
 * event words mapped to real events, and non-empty event masks; config_free
 * leaves nothing behind (LeakSanitizer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxtop/config.h"
#include "cxtop/record.h"
#include "cxtop/schema.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "fuzzfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("config");
	return 0;
}

static void fuzz_write(const uint8_t *data, size_t size)
{
	FILE *f = fopen(fuzz_path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_fail("cannot write", fuzz_path);
}

/* Map a header of the source's own column names, as csvin would. */
static void fuzz_map(const struct config_source *src)
{
	char *hdr[SCHEMA_COL_COUNT];
	size_t lens[SCHEMA_COL_COUNT], n = 0;
	char err[1024];
	struct record_map *m = malloc(sizeof *m);

	if (!m)
		abort();
	for (int c = 0; c < SCHEMA_COL_COUNT; c++) {
		if (!schema_col_use(src->kind, c) || src->konst[c])
			continue;
		hdr[n] = (char *)(src->col[c] ? src->col[c] : schema_col_name(c));
		lens[n] = strlen(hdr[n]);
		n++;
	}
	/* only a bad const. date can refuse a header naming every column */
	if (record_map_build(m, src, hdr, lens, n, err, sizeof err) < 0 &&
	    strncmp(err, "const.", 6) != 0)
		fuzz_fail("the source's own header was refused", err);
	free(m);
}

static void fuzz_check(const struct config *cfg)
{
	if (cfg->window_days != 0 && cfg->window_days != 7 && cfg->window_days != 30 &&
	    cfg->window_days != 90)
		fuzz_fail("window", NULL);
	if (!cfg->engaged_events || !cfg->hve_events ||
	    cfg->engaged_events >= 1u << SCHEMA_EV_COUNT || cfg->hve_events >= 1u << SCHEMA_EV_COUNT)
		fuzz_fail("event masks", NULL);
	if (cfg->gross_margin < 0 || cfg->gross_margin > 1)
		fuzz_fail("gross_margin", NULL);
	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct config_source *s = &cfg->sources[i];
		if (s->kind < 0 || s->kind >= SCHEMA_KIND_COUNT)
			fuzz_fail("source kind", s->name);
		if (!s->name || !s->name[0] || !s->path || !s->path[0])
			fuzz_fail("source without a name or a path", s->name);
		if (!s->delimiter || s->delimiter == '"' || s->delimiter == '\n' ||
		    s->delimiter == '\r')
			fuzz_fail("source delimiter", s->name);
		for (size_t w = 0; w < s->nwords; w++)
			if (!s->words[w].word || !s->words[w].word[0] || s->words[w].event < 0 ||
			    s->words[w].event >= SCHEMA_EV_COUNT)
				fuzz_fail("event word", s->name);
		fuzz_map(s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[1024];
	size_t plen = strlen(fuzz_path);

	fuzz_write(data, size);
	config_defaults(&cfg);
	err[0] = '\0';
	if (config_load(&cfg, fuzz_path, 1, err, sizeof err) < 0) {
		if (strncmp(err, fuzz_path, plen) != 0 || err[plen] != ':')
			fuzz_fail("error message does not name the file", err);
	} else {
		if (err[0])
			fuzz_fail("success with an error message", err);
		fuzz_check(&cfg);
	}
	config_free(&cfg);
	return 0;
}
