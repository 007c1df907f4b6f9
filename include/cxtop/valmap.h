/* valmap: the values of a column mapped to others (SPEC 1, map.X): words
 * as scores ("Very easy: 7", "10 - Extremely likely: 10"), free-text survey
 * names to nps/csat/ces with glob patterns ("*Customer Satisfaction*:
 * csat"), any column's labels to what cxtop reads.
 *
 * Labels compare as header names do: trimmed, case-insensitively (ASCII),
 * with runs of Unicode spaces as one space. A label with * ? or [...] is a
 * pattern; exact labels are tried first, then patterns in the order
 * written. The map owns its strings; a lookup allocates nothing. */
#ifndef CXTOP_VALMAP_H
#define CXTOP_VALMAP_H

#include <stddef.h>

struct valmap;

/* Parse "label: value, label: value, ..." (a label or value with a comma
 * or a colon is written in double quotes; the value is what follows the
 * last unquoted colon). Returns the map, or NULL with err naming the item.
 * check, if not NULL, vets each value (returns NULL if fine, else a
 * reason), so that "Very easy: seven" is a config error, not a row
 * rejection later. */
struct valmap *valmap_parse(const char *spec, const char *(*check)(const char *value),
			    char *err, size_t errlen);
void valmap_free(struct valmap *m);

/* The value for the n bytes at s, or NULL if no label matches. */
const char *valmap_find(const struct valmap *m, const char *s, size_t n);

/* Number of labels. */
size_t valmap_count(const struct valmap *m);

#endif
