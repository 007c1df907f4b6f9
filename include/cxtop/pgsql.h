/* pgsql: the SQL of an events source's pushdown (SPEC 8), as text, from
 * the source's configuration and the columns its table or query has. Pure:
 * no connection, no state; tests/test_pgsql.c compares its output with
 * golden files.
 *
 * The engine aggregates only the rows it can vouch for: a row is "clean"
 * when SQL can tell that record_from_row would accept it and what it would
 * make of it (a timestamp in 1970-2199 of a date or time type, a customer
 * id that is not blank, an event word of the source's table of words as
 * written give or take ASCII case and spaces, a machine flag and a value
 * that parse exactly). Every other row is sent as it is (pgsql_events_rest)
 * and takes the CSV path, so rejections, unknown words and their reasons
 * are the CSV path's by construction and both paths agree on Sources.
 *
 * Two aggregates carry what the store needs, both grouped by customer (or
 * by campaign and day) so that on Citus, with events distributed by
 * customer_id, each is computed on the shards and only summed on the
 * coordinator:
 * - pairs: one row per (campaign, customer) of the rows that make a pair,
 *   with the bit_or of the pair's flags (store.h STORE_F_*): three short
 *   columns, the most rows there are;
 * - days: one row per (campaign, day) for the counts of the day's rows,
 *   and one per (campaign, customer, day) where the store keeps the
 *   customer (an engaging row, an unsubscribe, a conversion): rows, sends,
 *   invitations, conversions and revenue, high-value events and their
 *   value, first and last times, the last unsubscribe and conversion.
 *   Invitations outside any campaign have campaign NULL.
 * The event word is matched against the source's words in their usual
 * spellings by hashed IN lists: in the pairs a CASE of one list per event
 * (which stops at the first match; cheaper than a join with a VALUES list
 * of the words), in the days the word as written, which the client reads
 * (pgsql_lex).
 * Columns of the results, in order, are listed at each function. */
#ifndef CXTOP_PGSQL_H
#define CXTOP_PGSQL_H

#include <stddef.h>

#include "cxtop/config.h"

/* What a column's type is to the pushdown. */
enum pgsql_type {
	PGSQL_T_OTHER,
	PGSQL_T_TEXT,        /* text, varchar, char, name */
	PGSQL_T_TIMESTAMPTZ,
	PGSQL_T_TIMESTAMP,   /* without time zone: UTC unless configured */
	PGSQL_T_DATE,
	PGSQL_T_EXACT,       /* smallint, integer, bigint, numeric */
	PGSQL_T_FLOAT,       /* real, double precision */
	PGSQL_T_BOOL
};

/* The type of a column of type OID oid (pg_type.oid of the built-in
 * types; a domain or an enum is PGSQL_T_OTHER). */
int pgsql_type_of_oid(unsigned oid);

struct pgsql_col {
	const char *name; /* as the relation names it; NULL = not there */
	int type;         /* enum pgsql_type */
};

struct pgsql_events {
	const struct config_source *src;
	/* the FROM item, aliased x: "\"s\".\"t\" AS x" or "(SELECT ...) AS x" */
	const char *from;
	const char *xid;  /* the xid8 column reads stop below ($1), NULL = none */
	struct pgsql_col ts, customer, event, campaign, machine, value;
	unsigned engaged_mask, hve_mask; /* bits (1 << enum schema_event) */
};

/* NULL if the pushdown can do src's rows exactly; else why not, in words
 * for Sources ("date_format is set", "timestamp is text"). */
const char *pgsql_events_unsupported(const struct pgsql_events *e);

/* Both aggregates in one statement (UNION ALL), three columns:
 * - a pair: campaign, customer, flags (of the rows that make a pair: not
 *   conversions or invitations), as decimal text;
 * - a day: campaign ('' for none), customer (NULL on a row of counts), and
 *   "d,DAY,N,FIRST_TS,LAST_TS,VALUE,WORD": days since 1970-01-01, rows,
 *   their first and last times (seconds since 1970), the money of the
 *   high-value events and conversions among them (util_money units), and
 *   the event word as the rows write it (pgsql_lex_event reads it);
 * - rows the rest is to send: any two columns and "u,N", N rows (a table
 *   without such rows needs no rest).
 * Fresh string. */
char *pgsql_events_aggregates(const struct pgsql_events *e);
/* The event of a word as the aggregates match it (the source's words and
 * aliases in lower, upper, capitalised and title case; a machine open is an
 * open), enum schema_event, or -1. */
struct pgsql_lex;
struct pgsql_lex *pgsql_lex_new(const struct config_source *src);
int pgsql_lex_event(const struct pgsql_lex *l, const char *word);
void pgsql_lex_free(struct pgsql_lex *l);

/* The rows the aggregates leave out, every column, in key order if key
 * is not NULL. Fresh string. */
char *pgsql_events_rest(const struct pgsql_events *e, const char *key);

/* Append name quoted as an SQL identifier to *out (len, cap as xgrow);
 * dotted (a table name) is quoted part by part. */
void pgsql_ident(char **out, size_t *len, size_t *cap, const char *name, int dotted);

#endif
