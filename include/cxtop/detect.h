/* detect: cxtop --detect FILE... reads the start of each export and
 * writes a commented config that reads them when saved beside them: each
 * file's kind of source, encoding, delimiter, header rows, column mapping,
 * date format, decimal style and value maps, in English and German (SPEC
 * 1, 5). What it cannot decide is a comment in the config ("check: ..."),
 * never a silent guess. It writes no file.
 *
 * Bounded: at most DETECT_SAMPLE bytes of each file are read, whatever its
 * size. */
#ifndef CXTOP_DETECT_H
#define CXTOP_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DETECT_SAMPLE (1u << 20)

/* One file to describe: its name in the config (path = name), the first
 * bytes of it, its whole size and modification time (the day a file
 * without dates is read as, said in a comment). */
struct detect_input {
	const char *name;
	const unsigned char *data;
	size_t n;
	uint64_t size;
	int64_t mtime;
};

/* Write the config for the inputs to out. Returns 0, or -1 with err
 * naming the file and why it cannot be read at all (nothing written). */
int detect_write(FILE *out, const struct detect_input *in, size_t nin, char *err, size_t errlen);

/* --detect: read each path (bounded), then detect_write to out. Messages
 * go to errout. Returns the exit status: 0, or 1 if a file cannot be read
 * at all. */
int detect_main(FILE *out, FILE *errout, char *const *paths, int npaths);

#endif
