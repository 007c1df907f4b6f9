/* pgsql: SQL text of an events source's pushdown. See include/cxtop/pgsql.h.
 *
 * Each "clean" test below mirrors a rule of record.c for one column, on the
 * side of caution: where SQL cannot be sure the C code reads a value the
 * same way (a machine flag " yes" with a space, a value with five
 * decimals, a float beyond 1e9), the row is not clean and goes through
 * record_from_row. Being wrong in that direction costs bytes; the other
 * direction would cost a wrong number, so every test is exact.
 *
 * Identifiers are quoted; the only literals are event words from the
 * config (quoted with '' for ', the session has standard_conforming_strings
 * on) and numbers. The xid8 bound is the one parameter ($1). */
#include "cxtop/pgsql.h"

#include "cxtop/schema.h"
#include "cxtop/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_type OIDs of the built-in types (src/include/catalog/pg_type.dat) */
int pgsql_type_of_oid(unsigned oid)
{
	switch (oid) {
	case 25: case 1043: case 1042: case 19:
		return PGSQL_T_TEXT;
	case 1184:
		return PGSQL_T_TIMESTAMPTZ;
	case 1114:
		return PGSQL_T_TIMESTAMP;
	case 1082:
		return PGSQL_T_DATE;
	case 20: case 21: case 23: case 1700:
		return PGSQL_T_EXACT;
	case 700: case 701:
		return PGSQL_T_FLOAT;
	case 16:
		return PGSQL_T_BOOL;
	default:
		return PGSQL_T_OTHER;
	}
}

struct pgsql_buf {
	char *s;
	size_t len, cap;
};

static void pgsql_add(struct pgsql_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pgsql_add(struct pgsql_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	b->s = xgrow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void pgsql_ident(char **out, size_t *len, size_t *cap, const char *name, int dotted)
{
	const char *p = name;
	for (;;) {
		const char *dot = dotted ? strchr(p, '.') : NULL;
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		*out = xgrow(*out, cap, *len + 2 * n + 4, 1);
		(*out)[(*len)++] = '"';
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '"')
				(*out)[(*len)++] = '"';
			(*out)[(*len)++] = p[i];
		}
		(*out)[(*len)++] = '"';
		if (!dot)
			break;
		(*out)[(*len)++] = '.';
		p = dot + 1;
	}
	(*out)[*len] = '\0';
}

/* x."name" */
static void pgsql_col(struct pgsql_buf *b, const struct pgsql_col *c)
{
	pgsql_add(b, "x.");
	pgsql_ident(&b->s, &b->len, &b->cap, c->name, 0);
}

static void pgsql_literal(struct pgsql_buf *b, const char *s, size_t n)
{
	b->s = xgrow(b->s, &b->cap, b->len + 2 * n + 3, 1);
	b->s[b->len++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			b->s[b->len++] = '\'';
		b->s[b->len++] = s[i];
	}
	b->s[b->len++] = '\'';
	b->s[b->len] = '\0';
}

/* ASCII lower case, as util_lower folds event words and yes/no words:
 * translate() rather than lower(), which follows the database's locale.
 * Written as "translate(" ... PGSQL_LOWER_END. */
#define PGSQL_LOWER_END ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

const char *pgsql_events_unsupported(const struct pgsql_events *e)
{
	const struct config_source *src = e->src;
	static const int cols[] = {SCHEMA_COL_TIMESTAMP, SCHEMA_COL_CUSTOMER_ID, SCHEMA_COL_EVENT,
				   SCHEMA_COL_CAMPAIGN_ID, SCHEMA_COL_MACHINE, SCHEMA_COL_VALUE};
	if (src->kind != SCHEMA_EVENTS)
		return "only events are aggregated by the engine";
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (config_valmap_of(src, cols[i]))
			return "a map. key reads the values";
		if (src->konst[cols[i]])
			return "a const. key sets a column";
		if (config_datefmt_of(src, cols[i]))
			return "date_format is set";
	}
	if (src->decimal_comma || src->lenient_numbers)
		return "numbers are read in a local style";
	if (!e->ts.name || !e->customer.name || !e->event.name)
		return "a required column is missing";
	switch (e->ts.type) {
	case PGSQL_T_TIMESTAMPTZ:
	case PGSQL_T_DATE:
		break;
	case PGSQL_T_TIMESTAMP:
		if (src->tz)
			return "timestamp has no time zone and a timezone is set";
		break;
	default:
		return "timestamp is not a date or time type";
	}
	/* ids and words by their text: ::text is the type's output except
	 * for a boolean ("true" against "t") */
	if (e->customer.type == PGSQL_T_BOOL || e->event.type == PGSQL_T_BOOL ||
	    (e->campaign.name && e->campaign.type == PGSQL_T_BOOL))
		return "an id or the event is a boolean";
	if (e->value.name && e->value.type != PGSQL_T_EXACT && e->value.type != PGSQL_T_FLOAT &&
	    e->value.type != PGSQL_T_TEXT)
		return "value is not a number or text";
	return NULL;
}

/* The timestamp in seconds since 1970 (a fraction dropped, as
 * parse_timestamp drops it; a date is its midnight UTC). */
static void pgsql_t(struct pgsql_buf *b, const struct pgsql_events *e)
{
	if (e->ts.type == PGSQL_T_DATE) {
		pgsql_add(b, "((");
		pgsql_col(b, &e->ts);
		pgsql_add(b, " - DATE '1970-01-01')::bigint * 86400)");
		return;
	}
	pgsql_add(b, "floor(extract(epoch FROM ");
	pgsql_col(b, &e->ts);
	pgsql_add(b, "))::bigint");
}

/* The event code (enum schema_event) of the row's word, NULL if the word
 * is not one of the source's: config words first, as record_map_build
 * adds them, then the default aliases; the first mapping of a word wins. */
static void pgsql_word(struct pgsql_buf *b, char ***seen, size_t *nseen, size_t *cap,
		       const char *w, int code)
{
	while (*w == ' ' || *w == '\t')
		w++;
	size_t len = strlen(w);
	while (len && (w[len - 1] == ' ' || w[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	char *lw = xstrndup(w, len);
	for (size_t j = 0; j < len; j++)
		lw[j] = (char)util_lower((unsigned char)lw[j]);
	for (size_t j = 0; j < *nseen; j++) {
		if (strcmp((*seen)[j], lw) == 0) {
			free(lw);
			return;
		}
	}
	*seen = xgrow(*seen, cap, *nseen + 1, sizeof **seen);
	(*seen)[(*nseen)++] = lw;
	pgsql_add(b, " WHEN ");
	pgsql_literal(b, lw, len);
	pgsql_add(b, " THEN %d", code);
}

static void pgsql_k0(struct pgsql_buf *b, const struct pgsql_events *e)
{
	const struct config_source *src = e->src;
	char **seen = NULL;
	size_t nseen = 0, cap = 0;
	struct pgsql_buf whens = {0};
	for (size_t i = 0; i < src->nwords; i++)
		pgsql_word(&whens, &seen, &nseen, &cap, src->words[i].word, src->words[i].event);
	for (int ev = 0; ev < SCHEMA_EV_COUNT; ev++)
		for (const char *const *al = schema_event_aliases(ev); *al; al++)
			pgsql_word(&whens, &seen, &nseen, &cap, *al, ev);
	/* the word as written first: most rows write it in lower case, and
	 * an exact comparison costs less than folding every row; the folded
	 * one (spaces trimmed, ASCII case) only where that finds nothing */
	pgsql_add(b, "coalesce(CASE ");
	pgsql_col(b, &e->event);
	pgsql_add(b, "::text%s END, CASE translate(btrim(", whens.s);
	pgsql_col(b, &e->event);
	pgsql_add(b, "::text, E' \\t')" PGSQL_LOWER_END "%s END)", whens.s);
	free(whens.s);
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
}

/* The machine flag of the column: 0 or 1, NULL when it does not read as
 * parse_bool's words written plainly (then the row is not clean). */
static void pgsql_machine(struct pgsql_buf *b, const struct pgsql_events *e)
{
	const struct pgsql_col *c = &e->machine;
	if (!c->name) {
		pgsql_add(b, "0");
		return;
	}
	if (c->type == PGSQL_T_BOOL) {
		pgsql_add(b, "CASE WHEN ");
		pgsql_col(b, c);
		pgsql_add(b, " THEN 1 ELSE 0 END");
		return;
	}
	pgsql_add(b, "CASE WHEN ");
	pgsql_col(b, c);
	pgsql_add(b, " IS NULL OR btrim(");
	pgsql_col(b, c);
	pgsql_add(b, "::text, E' \\t') = '' THEN 0 WHEN translate(");
	pgsql_col(b, c);
	pgsql_add(b, "::text" PGSQL_LOWER_END " IN ('yes', 'true', '1', 'y', 't') THEN 1 "
		     "WHEN translate(");
	pgsql_col(b, c);
	pgsql_add(b, "::text" PGSQL_LOWER_END " IN ('no', 'false', '0', 'n', 'f') THEN 0 END");
}

/* The value's test (true when absent, blank, or a number read exactly)
 * and its money units. util_money_of rounds value * 10000 of the double
 * parse_decimal reads: for at most four decimals below 1e11 that is the
 * decimal itself times 10000; a float's numeric form has 15 significant
 * digits, exact to that rounding below 1e9. */
#define PGSQL_VALUE_RE "'^-?[0-9]{1,11}([.][0-9]{1,4})?$'"

static void pgsql_value_ok(struct pgsql_buf *b, const struct pgsql_events *e)
{
	const struct pgsql_col *c = &e->value;
	if (!c->name) {
		pgsql_add(b, "true");
		return;
	}
	pgsql_add(b, "CASE WHEN ");
	pgsql_col(b, c);
	pgsql_add(b, " IS NULL THEN true");
	switch (c->type) {
	case PGSQL_T_EXACT:
	case PGSQL_T_FLOAT:
		pgsql_add(b, " WHEN abs(");
		pgsql_col(b, c);
		pgsql_add(b, ") < %s THEN round(", c->type == PGSQL_T_EXACT ? "1e11" : "1e9");
		pgsql_col(b, c);
		pgsql_add(b, "::numeric, 4) = ");
		pgsql_col(b, c);
		pgsql_add(b, "::numeric ELSE false END");
		break;
	default:
		pgsql_add(b, " WHEN btrim(");
		pgsql_col(b, c);
		pgsql_add(b, "::text, E' \\t') = '' THEN true ELSE ");
		pgsql_col(b, c);
		pgsql_add(b, "::text ~ " PGSQL_VALUE_RE " END");
		break;
	}
}

static void pgsql_value(struct pgsql_buf *b, const struct pgsql_events *e)
{
	const struct pgsql_col *c = &e->value;
	if (!c->name) {
		pgsql_add(b, "NULL::bigint");
		return;
	}
	pgsql_add(b, "CASE WHEN ");
	pgsql_col(b, c);
	if (c->type == PGSQL_T_EXACT || c->type == PGSQL_T_FLOAT) {
		pgsql_add(b, " IS NOT NULL AND abs(");
		pgsql_col(b, c);
		pgsql_add(b, ") < 1e11 THEN round(");
		pgsql_col(b, c);
		pgsql_add(b, "::numeric * 10000)::bigint END");
		return;
	}
	pgsql_add(b, "::text ~ " PGSQL_VALUE_RE " THEN round(");
	pgsql_col(b, c);
	pgsql_add(b, "::numeric * 10000)::bigint END");
}

/* The time is in 1970-2199 (parse_timestamp's range). */
static void pgsql_ts_ok(struct pgsql_buf *b, const struct pgsql_events *e)
{
	static const char *const lo[] = {
		[PGSQL_T_TIMESTAMPTZ] = "TIMESTAMPTZ '1970-01-01 00:00:00+00'",
		[PGSQL_T_TIMESTAMP] = "TIMESTAMP '1970-01-01 00:00:00'",
		[PGSQL_T_DATE] = "DATE '1970-01-01'",
	};
	static const char *const hi[] = {
		[PGSQL_T_TIMESTAMPTZ] = "TIMESTAMPTZ '2200-01-01 00:00:00+00'",
		[PGSQL_T_TIMESTAMP] = "TIMESTAMP '2200-01-01 00:00:00'",
		[PGSQL_T_DATE] = "DATE '2200-01-01'",
	};
	pgsql_col(b, &e->ts);
	pgsql_add(b, " >= %s AND ", lo[e->ts.type]);
	pgsql_col(b, &e->ts);
	pgsql_add(b, " < %s", hi[e->ts.type]);
}

/* The clean test without the event word and the machine flag (which the
 * aggregates compute once per row and test afterwards). */
static void pgsql_clean_base(struct pgsql_buf *b, const struct pgsql_events *e)
{
	pgsql_add(b, "(");
	pgsql_ts_ok(b, e);
	pgsql_add(b, " AND btrim(");
	pgsql_col(b, &e->customer);
	pgsql_add(b, "::text, E' \\t') <> '' AND ");
	pgsql_value_ok(b, e);
	pgsql_add(b, ")");
}

/* The clean test of a row of x (see the header). */
static void pgsql_clean(struct pgsql_buf *b, const struct pgsql_events *e)
{
	pgsql_add(b, "(");
	pgsql_clean_base(b, e);
	pgsql_add(b, " AND (");
	pgsql_k0(b, e);
	pgsql_add(b, ") IS NOT NULL AND (");
	pgsql_machine(b, e);
	pgsql_add(b, ") IS NOT NULL)");
}

static void pgsql_where(struct pgsql_buf *b, const struct pgsql_events *e)
{
	pgsql_add(b, " FROM %s WHERE ", e->from);
	if (e->xid) {
		pgsql_add(b, "x.");
		pgsql_ident(&b->s, &b->len, &b->cap, e->xid, 0);
		pgsql_add(b, " < $1::xid8 AND ");
	}
}

/* WITH e AS (the clean rows as t, u, c, k, m, v) */
static void pgsql_with(struct pgsql_buf *b, const struct pgsql_events *e)
{
	/* OFFSET 0 keeps r a subquery of its own, so that each row's word,
	 * flag and value are worked out once and not again in every FILTER
	 * of the aggregates (3.4 s instead of 9.9 s at 1M rows); its columns
	 * are therefore computed for every row, guarded where a value
	 * outside the clean test could raise an error (an infinite time) */
	pgsql_add(b, "WITH r AS (SELECT CASE WHEN ");
	pgsql_ts_ok(b, e);
	pgsql_add(b, " THEN ");
	pgsql_t(b, e);
	pgsql_add(b, " END AS t, ");
	pgsql_col(b, &e->customer);
	pgsql_add(b, "::text AS u, ");
	if (e->campaign.name) {
		pgsql_add(b, "coalesce(");
		pgsql_col(b, &e->campaign);
		pgsql_add(b, "::text, '')");
	} else {
		pgsql_add(b, "''::text");
	}
	pgsql_add(b, " AS c, ");
	pgsql_k0(b, e);
	pgsql_add(b, " AS k0, ");
	pgsql_machine(b, e);
	pgsql_add(b, " AS m0, ");
	pgsql_value(b, e);
	pgsql_add(b, " AS v, ");
	pgsql_clean_base(b, e);
	pgsql_add(b, " AS ok");
	pgsql_where(b, e);
	pgsql_add(b, "true OFFSET 0), ");
	/* a machine-open word is an open with the machine flag */
	pgsql_add(b, "e AS (SELECT t, u, c, CASE WHEN k0 = %d THEN %d ELSE k0 END AS k, "
		     "CASE WHEN k0 = %d THEN 1 ELSE m0 END AS m, v FROM r WHERE ok AND k0 IS NOT "
		     "NULL AND m0 IS NOT NULL) ",
		  SCHEMA_EV_MACHINE_OPEN, SCHEMA_EV_OPEN, SCHEMA_EV_MACHINE_OPEN);
}

/* "(0, 3)" of the events in mask, or "(-1)" for none */
static void pgsql_set(struct pgsql_buf *b, unsigned mask)
{
	int first = 1;
	pgsql_add(b, "(");
	for (int ev = 0; ev < SCHEMA_EV_COUNT; ev++) {
		if (ev == SCHEMA_EV_MACHINE_OPEN || !(mask & (1u << ev)))
			continue;
		pgsql_add(b, first ? "%d" : ", %d", ev);
		first = 0;
	}
	pgsql_add(b, first ? "-1)" : ")");
}

char *pgsql_events_pairs(const struct pgsql_events *e)
{
	struct pgsql_buf b = {0};
	pgsql_with(&b, e);
	pgsql_add(&b,
		  "SELECT c, u, bit_or(CASE k WHEN %d THEN %d WHEN %d THEN %d WHEN %d THEN CASE "
		  "WHEN m = 1 THEN %d ELSE %d END WHEN %d THEN %d WHEN %d THEN %d WHEN %d THEN %d "
		  "WHEN %d THEN %d ELSE 0 END) AS flags, ",
		  SCHEMA_EV_SENT, 1 << 0, SCHEMA_EV_DELIVERED, 1 << 1, SCHEMA_EV_OPEN, 1 << 2,
		  (1 << 2) | (1 << 3), SCHEMA_EV_CLICK, 1 << 4, SCHEMA_EV_UNSUBSCRIBE, 1 << 5,
		  SCHEMA_EV_BOUNCE, 1 << 6, SCHEMA_EV_COMPLAINT, 1 << 7);
	pgsql_add(&b,
		  "count(*) FILTER (WHERE k NOT IN (%d, %d)) AS pair_events, count(*) AS events, "
		  "min(t) AS first_ts, max(t) AS last_ts, count(*) FILTER (WHERE k = %d) AS sent, "
		  "count(*) FILTER (WHERE k = %d) AS conversions, "
		  "least(greatest(coalesce(sum(v) FILTER (WHERE k = %d), 0), -9223372036854775807), "
		  "9223372036854775807)::bigint AS revenue, "
		  "max(t) FILTER (WHERE k = %d) AS last_unsub, max(t) FILTER (WHERE k = %d) AS "
		  "last_conversion FROM e WHERE NOT (c = '' AND k = %d) GROUP BY c, u",
		  SCHEMA_EV_CONVERSION, SCHEMA_EV_SURVEY_SENT, SCHEMA_EV_SENT, SCHEMA_EV_CONVERSION,
		  SCHEMA_EV_CONVERSION, SCHEMA_EV_UNSUBSCRIBE, SCHEMA_EV_CONVERSION,
		  SCHEMA_EV_SURVEY_SENT);
	return b.s;
}

char *pgsql_events_days(const struct pgsql_events *e)
{
	struct pgsql_buf b = {0};
	pgsql_with(&b, e);
	/* the customer only where the row engages: the counts of a day's
	 * other rows (survey invitations, most of them) need no customer,
	 * and one row per day carries them (558,000 invitations made
	 * 558,000 (customer, day) rows at the 1M bench size) */
	pgsql_add(&b, "SELECT CASE WHEN k IN ");
	pgsql_set(&b, e->engaged_mask);
	pgsql_add(&b, " THEN u END AS eu, t / 86400 AS day, bool_or(k IN ");
	pgsql_set(&b, e->engaged_mask);
	pgsql_add(&b, ") AS engaged, count(*) FILTER (WHERE k = %d) AS survey_sent, ",
		  SCHEMA_EV_SURVEY_SENT);
	pgsql_add(&b, "count(*) FILTER (WHERE k IN ");
	pgsql_set(&b, e->hve_mask);
	pgsql_add(&b, ") AS hve, least(greatest(coalesce(sum(v) FILTER (WHERE k IN ");
	pgsql_set(&b, e->hve_mask);
	pgsql_add(&b, "), 0), -9223372036854775807), 9223372036854775807)::bigint AS cev, "
		      "count(*) FILTER (WHERE c = '' AND k = %d) AS outside, "
		      "min(t) FILTER (WHERE c = '' AND k = %d) AS outside_first, "
		      "max(t) FILTER (WHERE c = '' AND k = %d) AS outside_last FROM e WHERE k IN ",
		  SCHEMA_EV_SURVEY_SENT, SCHEMA_EV_SURVEY_SENT, SCHEMA_EV_SURVEY_SENT);
	pgsql_set(&b, e->engaged_mask | e->hve_mask | (1u << SCHEMA_EV_SURVEY_SENT));
	pgsql_add(&b, " GROUP BY eu, day");
	return b.s;
}

char *pgsql_events_rest(const struct pgsql_events *e, const char *key)
{
	struct pgsql_buf b = {0};
	pgsql_add(&b, "SELECT x.*");
	pgsql_where(&b, e);
	pgsql_add(&b, "NOT coalesce(");
	pgsql_clean(&b, e);
	pgsql_add(&b, ", false)");
	if (key) {
		pgsql_add(&b, " ORDER BY x.");
		pgsql_ident(&b.s, &b.len, &b.cap, key, 0);
	}
	return b.s;
}
