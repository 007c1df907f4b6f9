/* fuzz_detect: libFuzzer target for cxtop --detect (detect_write), which
 * reads the start of any file a user points it at and prints a config.
 *
 * The input is the file's first bytes (its size taken as twice as large
 * every other input, so the cut-off sample path runs too). Invariants
 * checked (a violation aborts, as a crash): detect_write either refuses
 * the file with a message naming it, or writes a config that config_load
 * accepts as it stands (the config it prints must load); its output holds
 * no control byte other than a newline (it goes to a terminal); and
 * nothing leaks (LeakSanitizer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxtop/config.h"
#include "cxtop/detect.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "fuzzfile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_init("detect");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct detect_input in = {.name = "export.csv", .data = data, .n = size,
				  .size = (size & 1) ? 2 * (uint64_t)size + 1 : size,
				  .mtime = 1793664000};
	char *out = NULL, err[4400];
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	if (!o)
		abort();
	int rc = detect_write(o, &in, 1, err, sizeof err);
	fclose(o);
	if (rc != 0) {
		if (strncmp(err, "export.csv: ", 12) != 0)
			fuzz_fail("a refusal does not name the file", err);
		if (len)
			fuzz_fail("a refused file still printed a config", NULL);
		free(out);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f ||
		    (c == 0xC2 && i + 1 < len && (unsigned char)out[i + 1] >= 0x80 &&
		     (unsigned char)out[i + 1] < 0xA0))
			fuzz_fail("a control byte in the config", NULL);
	}
	FILE *f = fopen(fuzz_path, "wb");
	if (!f || fwrite(out, 1, len, f) != len || fclose(f) != 0)
		fuzz_fail("cannot write", fuzz_path);
	struct config cfg;
	config_defaults(&cfg);
	if (config_load(&cfg, fuzz_path, 1, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n---\n%.*s\n---\n", err, (int)len, out);
		fuzz_fail("the printed config does not load", err);
	}
	config_free(&cfg);
	free(out);
	return 0;
}
