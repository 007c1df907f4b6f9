/* lexicon: the words real exports use, in English and German, for
 * cxtop --detect (detect.c): header names of each logical column, event
 * words, and the answer scales of survey tools (agree/disagree in 5 and 7
 * points, easy/difficult, satisfied/dissatisfied, likely/unlikely,
 * favourable/unfavourable, HubSpot's Negative/Neutral/Positive).
 *
 * Pure data with lookups; every comparison is on folded text (util_fold:
 * trimmed, lower-case ASCII, spaces as one). */
#ifndef CXTOP_LEXICON_H
#define CXTOP_LEXICON_H

#include <stddef.h>

/* How well header h names column c (enum schema_col) of kind k: 0 = not
 * at all, higher = better (an exact default name beats a synonym, a
 * person id beats a response id). */
int lexicon_header_rank(int kind, int col, const char *h);

/* The canonical event (enum schema_event) of an event word that is not a
 * default alias (German "geöffnet", "Kauf", HubSpot's "OPEN" is a default
 * alias already), or -1. */
int lexicon_event_word(const char *w);

/* An answer scale: its labels (folded) with their scores. */
struct lexicon_scale {
	const char *name;    /* "agree (5 points)" */
	int survey;          /* enum schema_survey it reads as */
	int lo, hi;          /* scores; not the survey's standard: scale.X */
	const char *const *labels; /* NULL-terminated, lo first */
	const int *scores;
};

/* The scale that holds most of the n labels (folded), preferring the
 * smallest; NULL if none holds at least two and half of them (or all, when
 * there is one). *covered (may be NULL) gets how many it holds. */
const struct lexicon_scale *lexicon_scale_of(char *const *labels, size_t n, size_t *covered);
/* 1 if label (folded) is one of scale s's. */
int lexicon_scale_has(const struct lexicon_scale *s, const char *label);

/* The survey a free-text survey name means (NPS, "Net Promoter",
 * "Customer Satisfaction", "Effort"...), or -1. */
int lexicon_survey_name(const char *name);
/* The same, and the keyword that decided it ("nps", "satisfaction"), for a
 * map.survey pattern *keyword*. */
int lexicon_survey_keyword(const char *name, const char **keyword);

/* A yes/no word as parse_bool does not read it ("ja", "nein",
 * "gekündigt"): 1 or 0, or -1 if not one. */
int lexicon_bool_word(const char *w);

#endif
