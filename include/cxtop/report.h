/* report: the --once output of SPEC section 6 — a readable text overview,
 * one JSON object, or the campaigns table as CSV — written from a view and
 * the ingest counters. Pure formatting: no metric is computed here. The
 * JSON layout is documented in man/cxtop.1 and kept stable. */
#ifndef CXTOP_REPORT_H
#define CXTOP_REPORT_H

#include <stdio.h>

#include "cxtop/ingest.h"
#include "cxtop/view.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_CSV };

/* Parse "text", "json", "csv"; -1 if none. */
int report_parse_format(const char *s);
/* Write the report; ascii: plain ASCII text ("-" for undefined, not an
 * em dash). Returns 0, or -1 on a write error. */
int report_write(FILE *out, enum report_format fmt, const struct view *v,
		 const struct ingest *in, const struct config *cfg, int ascii);
/* Copy s to out with control characters and escape sequences shown as
 * visible \xNN text, so data can never drive the terminal. */
void report_safe(FILE *out, const char *s);

#endif
