/* csvin: libcsv driven by bytes from follow. One csvin per open file: the
 * first row is the header (a UTF-8 BOM is dropped, at the start of the file
 * and at the start of any later line between rows, as a second export
 * appended to the first has one), every further row goes
 * through record_from_row and out through the sink. libcsv keeps its state
 * between csvin_feed calls, so a row — even a quoted field with newlines —
 * split across two appends is parsed once, whole; a last line without its
 * newline stays inside the parser until more bytes or csvin_end come.
 *
 * Line numbers are physical lines of the file (1 = header), counting the
 * newlines inside quoted fields, so "events.csv:1042" is where an editor
 * shows the row; LF, CRLF and a lone CR (old Mac files) each end a line.
 *
 * Memory per file is bounded whatever the bytes: a field longer than 1 MiB,
 * or a row longer than 1 MiB, is rejected ("field 5 longer than 1 MiB",
 * "row longer than 1 MiB") without being kept, and reading goes on at the
 * next row; so is a row of more than 4096 fields. An empty file is not an
 * error: it has no header and no rows. */
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
	/* a rejected row whose label (in column col, enum schema_col) its
	 * map.X lacks; NULL = report it through reject */
	void (*unmapped)(void *ctx, uint64_t line, int col, const char *label);
	/* the header lacks required columns: the file is ignored */
	void (*header_error)(void *ctx, const char *message);
	/* the header was read, with something to say (a mapped column whose
	 * name appears twice); may be NULL */
	void (*header_notice)(void *ctx, const char *message);
	/* every row after the header as split, before record_from_row looks
	 * at it (none of a row refused unread); may be NULL (tests) */
	void (*fields)(void *ctx, char *const *f, const size_t *len, size_t n, uint64_t line);
};

struct csvin;

/* Hand what record_from_row made of one row to the sink, as csvin does for
 * each row of a file (a database source's rows take the same way). */
void csvin_deliver(const struct csvin_sink *sink, void *ctx, const struct record_map *m,
		   enum record_status st, const struct record *r, const char *why, uint64_t line);

/* The column names of a header whose second row (sub, NULL = none) names
 * sub-answers, as SurveyMonkey writes it: "QUESTION / SUB-ANSWER", the
 * question spanning the empty cells to its right; a sub-answer "Response"
 * or empty adds nothing. Returns nq fresh strings in a fresh array (the
 * caller frees each and the array). */
char **csvin_join_names(char *const *q, size_t nq, char *const *sub, size_t nsub);

/* A parser for files of source src (borrowed; must outlive the csvin). */
struct csvin *csvin_new(const struct config_source *src);
void csvin_free(struct csvin *c);
/* A new file starts: drop any partial row, expect a header. */
void csvin_begin(struct csvin *c);
/* Parse n more bytes. */
void csvin_feed(struct csvin *c, const char *buf, size_t n, const struct csvin_sink *sink, void *ctx);
/* The file ended: a last row without newline is parsed now; one whose last
 * quoted field was never closed is rejected ("unterminated quoted field"),
 * not counted truncated. */
void csvin_end(struct csvin *c, const struct csvin_sink *sink, void *ctx);
/* 1 while a row has begun and not ended: a last line without its newline,
 * or a quoted field still open across line ends (so the last byte read
 * being a newline does not mean the row is complete); 0 between rows. */
int csvin_in_row(const struct csvin *c);
/* Plain lines (no quote, no stray CR, at most 64 KiB) are split by csvin
 * itself, faster than libcsv and with the same fields, which every other
 * line goes through: on by default; off, libcsv reads every line (the
 * reference the tests and fuzz_csvsplit compare the fast path with). */
void csvin_set_fast_lines(struct csvin *c, int on);
/* Reading a file's rows elsewhere (parread, issue 13). csvin_can_split:
 * 1 when c is between rows right after an LF, in a UTF-8 (or
 * single-byte) file whose header was read without error, so that the next
 * bytes, if they start a row, can be parsed by a clone. csvin_clone: a new
 * parser of the same file at that point (its header, map and options),
 * counting lines from 1; the caller frees it. csvin_rows_restart: a clone
 * back between rows at line 1, whatever it was reading. csvin_line: the
 * physical line where c's next row starts. csvin_advance: lines whole lines
 * ending in a line end were parsed by a clone as c would have: c is now past
 * them, between rows. */
int csvin_can_split(const struct csvin *c);
/* 1 when c holds the start of a row that has no line end in it yet (a
 * row being written): its bytes are all after the file's last line end,
 * and reading from there again, at csvin_line, gives the same row. */
int csvin_row_on_one_line(const struct csvin *c);
struct csvin *csvin_clone(const struct csvin *c);
void csvin_rows_restart(struct csvin *c);
uint64_t csvin_line(const struct csvin *c);
void csvin_advance(struct csvin *c, uint64_t lines);
/* Between rows just after a CR, whose LF may be yet to come (a CRLF file
 * read to between the two): an LF next ends no line. csvin_after_cr says
 * c is there (csvin_can_split says no); csvin_set_after_cr puts a parser
 * set by csvin_advance there (a state written there, taken up). */
int csvin_after_cr(const struct csvin *c);
void csvin_set_after_cr(struct csvin *c);
/* Header error message of the current file, or NULL. */
const char *csvin_header_error(const struct csvin *c);
/* 1 once the header of the current file was read and mapped. */
int csvin_has_header(const struct csvin *c);

#endif
