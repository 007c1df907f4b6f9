/* csvin: libcsv driven by bytes from follow. One csvin per open file: the
 * first row is the header (a UTF-8 BOM is dropped), every further row goes
 * through record_from_row and out through the sink. libcsv keeps its state
 * between csvin_feed calls, so a row — even a quoted field with newlines —
 * split across two appends is parsed once, whole; a last line without its
 * newline stays inside the parser until more bytes or csvin_end come.
 *
 * Line numbers are physical lines of the file (1 = header), counting the
 * newlines inside quoted fields, so "events.csv:1042" is where an editor
 * shows the row. */
#ifndef CXTOP_CSVIN_H
#define CXTOP_CSVIN_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/config.h"
#include "cxtop/record.h"

struct csvin_sink {
	void (*record)(void *ctx, const struct record *r, uint64_t line);
	void (*reject)(void *ctx, uint64_t line, const char *reason);
	void (*na)(void *ctx, uint64_t line);
	void (*unknown_event)(void *ctx, uint64_t line, const char *word);
	/* the header lacks required columns: the file is ignored */
	void (*header_error)(void *ctx, const char *message);
};

struct csvin;

/* A parser for files of source src (borrowed; must outlive the csvin). */
struct csvin *csvin_new(const struct config_source *src);
void csvin_free(struct csvin *c);
/* A new file starts: drop any partial row, expect a header. */
void csvin_begin(struct csvin *c);
/* Parse n more bytes. */
void csvin_feed(struct csvin *c, const char *buf, size_t n, const struct csvin_sink *sink, void *ctx);
/* The file ended: a last row without newline is parsed now. */
void csvin_end(struct csvin *c, const struct csvin_sink *sink, void *ctx);
/* Header error message of the current file, or NULL. */
const char *csvin_header_error(const struct csvin *c);
/* 1 once the header of the current file was read and mapped. */
int csvin_has_header(const struct csvin *c);

#endif
