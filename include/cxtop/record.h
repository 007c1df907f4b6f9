/* record: one CSV row of a source becomes one typed record, or a rejection
 * with a reason (SPEC section 1, "Bad rows"). The mapping from the file's
 * header to the logical columns of schema.h — with the config's col.,
 * const., event. and na settings — is built once per file header.
 *
 * Strings in a record point into the caller's row buffer or the map's
 * constants: valid until the next row. Ids and keywords must be valid UTF-8
 * without NUL bytes (else rejected: "customer_id: invalid UTF-8",
 * "customer_id: contains a NUL byte"); free text (comment, name) is
 * repaired, never rejected: invalid bytes and NULs become U+FFFD. */
#ifndef CXTOP_RECORD_H
#define CXTOP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/config.h"
#include "cxtop/schema.h"

struct record {
	int kind;            /* enum schema_kind */
	/* customer's length and util_hash, where the thread that read the
	 * row computed them (parread's workers: the thread that applies it
	 * is the busier one); 0 = not yet. Near the fields an event's apply
	 * reads, so that a record read on another core costs fewer lines */
	int id_hashed;
	uint64_t id_hash;
	size_t id_len;
	int64_t ts;          /* timestamp (events, responses) or date (awareness) */
	/* events */
	int event;           /* enum schema_event */
	int machine;         /* open made by a machine */
	int has_value;
	double value;
	/* ids and texts: NUL-terminated, "" when absent */
	const char *customer;
	const char *campaign;
	const char *segment;
	const char *comment;
	const char *name;
	const char *channel;
	/* responses */
	int survey;          /* enum schema_survey */
	int score;
	/* customers */
	int has_signup;      /* 0: a table without dates (tenure instead) */
	int64_t signup;
	int has_churn;       /* a churn_date */
	int64_t churn;
	int churned;         /* churned: a churn_date, or the churned flag */
	int has_tenure;
	double tenure;       /* months */
	int opted_in;
	int has_revenue;
	double revenue;
	/* campaigns */
	int has_start;
	int64_t start;
	double spend;
	/* awareness */
	double impressions, reach, aware, asked;
	int has_brand;       /* aware and asked both present */
};

#define RECORD_WORDS_MAX 256
#define RECORD_SEEN_MAX 8

struct record_map {
	int kind;
	int idx[SCHEMA_COL_COUNT];        /* field index, -1 = not in the file */
	const char *konst[SCHEMA_COL_COUNT];
	int64_t konst_ts;                 /* const.timestamp / const.date, parsed */
	size_t nfields;                   /* fields in the header */
	const struct config_source *src;
	/* event words: open addressing on lower-cased FNV, config words first */
	struct { uint64_t hash; const char *word; int event; } words[RECORD_WORDS_MAX];
	/* the last distinct words seen as written, so that most rows skip the
	 * case-folding hash: an export uses a handful of words */
	struct { char word[31]; unsigned char len; int event; } seen[RECORD_SEEN_MAX];
	unsigned nseen;
	/* date_format of each date column (NULL = ISO 8601 / epoch), and the
	 * memo of the last date it parsed */
	const struct datefmt *fmt[SCHEMA_COL_COUNT];
	/* map.X of each column, NULL = none */
	const struct valmap *vmap[SCHEMA_COL_COUNT];
	int unmapped_col;                 /* set with RECORD_UNMAPPED */
	struct datefmt_memo memo[SCHEMA_COL_COUNT];
	/* set by record_map_build when a mapped column's header name appears
	 * twice: which one is read and how to name the other; "" if none */
	char notice[256];
};

/* Result of record_from_row. */
enum record_status {
	RECORD_OK,
	RECORD_REJECT,      /* why holds the reason */
	RECORD_NA,          /* score is a "no answer" word: skipped, not rejected */
	RECORD_UNKNOWN_EVENT, /* why holds the event word */
	RECORD_UNMAPPED      /* a label of a column with a map.X that neither the
			      * map nor the column reads: why holds the label,
			      * m->unmapped_col the column; a rejection reported
			      * once per label */
};

/* Build the map for a header row. Returns 0, or -1 with err naming the
 * missing columns and the columns found. */
int record_map_build(struct record_map *m, const struct config_source *src,
		     char *const *hdr, const size_t *lens, size_t n, char *err, size_t errlen);

/* Convert one row (fields NUL-terminated, lens their lengths; fields may be
 * modified in place for repairs). The map's word cache is updated. */
enum record_status record_from_row(struct record_map *m, char **f, const size_t *lens,
				   size_t n, struct record *r, char *why, size_t whylen);

/* Free this thread's repair buffers (a reading thread that ends). */
void record_thread_free(void);

/* Look up an event word with the map's aliases; -1 if unknown. */
int record_event_lookup(const struct record_map *m, const char *word, size_t len);

#endif
