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

/* The words of the source, each in the forms a file or a table writes it
 * (lower case, upper case, capitalised, title case: "opened email",
 * "OPENED EMAIL", "Opened email", "Opened Email"), with the event each
 * reads as: config words first, as record_map_build adds them, then the
 * default aliases; the first mapping of a word wins. An exact match of
 * these forms is a hash lookup in the engine; any other spelling the CSV
 * path would still read (" Open", "oPEN") is left to it as a raw row. */
struct pgsql_words {
	char **form;
	int *code;
	size_t n, cap, ccap;
};

static void pgsql_form(struct pgsql_words *w, char *f, int code)
{
	for (size_t j = 0; j < w->n; j++) {
		if (strcmp(w->form[j], f) == 0) {
			free(f);
			return;
		}
	}
	w->form = xgrow(w->form, &w->cap, w->n + 1, sizeof *w->form);
	w->code = xgrow(w->code, &w->ccap, w->n + 1, sizeof *w->code);
	w->form[w->n] = f;
	w->code[w->n++] = code;
}

static void pgsql_word(struct pgsql_words *w, char ***seen, size_t *nseen, size_t *cap,
		       const char *word, int code)
{
	while (*word == ' ' || *word == '\t')
		word++;
	size_t len = strlen(word);
	while (len && (word[len - 1] == ' ' || word[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	char *lw = xstrndup(word, len);
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
	char *up = xstrdup(lw), *capd = xstrdup(lw), *title = xstrdup(lw);
	for (size_t j = 0; j < len; j++) {
		if (up[j] >= 'a' && up[j] <= 'z')
			up[j] = (char)(up[j] - 'a' + 'A');
		if ((j == 0 || strchr(" _-", lw[j - 1])) && title[j] >= 'a' && title[j] <= 'z')
			title[j] = (char)(title[j] - 'a' + 'A');
	}
	if (capd[0] >= 'a' && capd[0] <= 'z')
		capd[0] = (char)(capd[0] - 'a' + 'A');
	pgsql_form(w, xstrdup(lw), code);
	pgsql_form(w, up, code);
	pgsql_form(w, capd, code);
	pgsql_form(w, title, code);
}

static void pgsql_words_of(struct pgsql_words *w, const struct config_source *src)
{
	char **seen = NULL;
	size_t nseen = 0, cap = 0;
	memset(w, 0, sizeof *w);
	for (size_t i = 0; i < src->nwords; i++)
		pgsql_word(w, &seen, &nseen, &cap, src->words[i].word, src->words[i].event);
	for (int ev = 0; ev < SCHEMA_EV_COUNT; ev++)
		for (const char *const *al = schema_event_aliases(ev); *al; al++)
			pgsql_word(w, &seen, &nseen, &cap, *al, ev);
	for (size_t j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
}

static void pgsql_words_free(struct pgsql_words *w)
{
	for (size_t j = 0; j < w->n; j++)
		free(w->form[j]);
	free(w->form);
	free(w->code);
}

/* A word's flag in its (campaign, customer) pair (store.h STORE_F_*): an
 * open is a human open (4 | 8) unless the machine flag says otherwise,
 * a machine-open word is an open without the human bit. */
static int pgsql_flag_of(int code)
{
	switch (code) {
	case SCHEMA_EV_SENT: return 1 << 0;
	case SCHEMA_EV_DELIVERED: return 1 << 1;
	case SCHEMA_EV_OPEN: return (1 << 2) | (1 << 3);
	case SCHEMA_EV_MACHINE_OPEN: return 1 << 2;
	case SCHEMA_EV_CLICK: return 1 << 4;
	case SCHEMA_EV_UNSUBSCRIBE: return 1 << 5;
	case SCHEMA_EV_BOUNCE: return 1 << 6;
	case SCHEMA_EV_COMPLAINT: return 1 << 7;
	default: return 0;
	}
}

/* x."event" IN (every form): the words SQL can vouch for. */
static void pgsql_in_words(struct pgsql_buf *b, const struct pgsql_events *e)
{
	struct pgsql_words w;
	pgsql_words_of(&w, e->src);
	pgsql_col(b, &e->event);
	pgsql_add(b, "::text IN (");
	for (size_t j = 0; j < w.n; j++) {
		if (j)
			pgsql_add(b, ", ");
		pgsql_literal(b, w.form[j], strlen(w.form[j]));
	}
	pgsql_add(b, ")");
	pgsql_words_free(&w);
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

/* The clean test of a row without its event word (tested beside it):
 * a time in range, a customer that is not blank (the first byte tells
 * for nearly every row, so btrim runs only where it could matter), a
 * value and a machine flag that read exactly. */
static void pgsql_clean_base(struct pgsql_buf *b, const struct pgsql_events *e)
{
	pgsql_add(b, "(");
	pgsql_ts_ok(b, e);
	pgsql_add(b, " AND (ascii(");
	pgsql_col(b, &e->customer);
	pgsql_add(b, "::text) NOT IN (0, 9, 32) OR btrim(");
	pgsql_col(b, &e->customer);
	pgsql_add(b, "::text, E' \\t') <> '') AND ");
	pgsql_value_ok(b, e);
	if (e->machine.name && e->machine.type != PGSQL_T_BOOL) {
		pgsql_add(b, " AND (");
		pgsql_machine(b, e);
		pgsql_add(b, ") IS NOT NULL");
	}
	pgsql_add(b, ")");
}

/* FROM x WHERE [below the xid bound AND] */
static void pgsql_where(struct pgsql_buf *b, const struct pgsql_events *e)
{
	pgsql_add(b, " FROM %s WHERE ", e->from);
	if (e->xid) {
		pgsql_add(b, "x.");
		pgsql_ident(&b->s, &b->len, &b->cap, e->xid, 0);
		pgsql_add(b, " < $1::xid8 AND ");
	}
}

/* The campaign of a row, '' for none. */
static void pgsql_campaign(struct pgsql_buf *b, const struct pgsql_events *e)
{
	if (!e->campaign.name) {
		pgsql_add(b, "''::text");
		return;
	}
	pgsql_add(b, "coalesce(");
	pgsql_col(b, &e->campaign);
	pgsql_add(b, "::text, '')");
}

/* x."event" IN (the forms of the events in mask): a hashed lookup of the
 * word as written. A machine open counts as an open where as_open is set
 * (the days need to know only the event), as itself where it is not. */
static void pgsql_in_forms(struct pgsql_buf *b, const struct pgsql_events *e, unsigned mask,
			   int as_open)
{
	struct pgsql_words w;
	int first = 1;
	pgsql_words_of(&w, e->src);
	pgsql_col(b, &e->event);
	pgsql_add(b, "::text IN (");
	for (size_t j = 0; j < w.n; j++) {
		int code = as_open && w.code[j] == SCHEMA_EV_MACHINE_OPEN ? SCHEMA_EV_OPEN : w.code[j];
		if (!(mask & (1u << code)))
			continue;
		if (!first)
			pgsql_add(b, ", ");
		pgsql_literal(b, w.form[j], strlen(w.form[j]));
		first = 0;
	}
	pgsql_add(b, first ? "NULL)" : ")");
	pgsql_words_free(&w);
}

static void pgsql_in_events(struct pgsql_buf *b, const struct pgsql_events *e, unsigned mask)
{
	pgsql_in_forms(b, e, mask, 1);
}

/* The events a pair's flags record, most frequent first (a row's CASE
 * stops at its first match). */
static const int pgsql_pair_events[] = {
	SCHEMA_EV_SENT,	  SCHEMA_EV_DELIVERED, SCHEMA_EV_OPEN,	    SCHEMA_EV_CLICK,
	SCHEMA_EV_BOUNCE, SCHEMA_EV_UNSUBSCRIBE, SCHEMA_EV_COMPLAINT, SCHEMA_EV_MACHINE_OPEN,
};

static char *pgsql_events_pairs(const struct pgsql_events *e)
{
	struct pgsql_buf b = {0};
	unsigned mask = 0;
	pgsql_add(&b, "SELECT ");
	pgsql_campaign(&b, e);
	pgsql_add(&b, " AS c, ");
	pgsql_col(&b, &e->customer);
	/* a word's flag by a CASE of hashed IN lists, not a join with a
	 * VALUES list of the words: the join cost the engine 0.45 s of the
	 * 3.45 s of this GROUP BY at the 5M bench size */
	pgsql_add(&b, "::text AS u, bit_or(CASE");
	for (size_t i = 0; i < sizeof pgsql_pair_events / sizeof *pgsql_pair_events; i++) {
		int ev = pgsql_pair_events[i];
		mask |= 1u << ev;
		pgsql_add(&b, " WHEN ");
		pgsql_in_forms(&b, e, 1u << ev, 0);
		if (ev == SCHEMA_EV_OPEN && e->machine.name) {
			/* an open that the flag says a machine made */
			pgsql_add(&b, " THEN CASE WHEN (");
			pgsql_machine(&b, e);
			pgsql_add(&b, ") = 1 THEN %d ELSE %d END", pgsql_flag_of(SCHEMA_EV_MACHINE_OPEN),
				  pgsql_flag_of(ev));
		} else {
			pgsql_add(&b, " THEN %d", pgsql_flag_of(ev));
		}
	}
	pgsql_add(&b, " END)::text AS flags");
	pgsql_where(&b, e);
	pgsql_clean_base(&b, e);
	pgsql_add(&b, " AND ");
	pgsql_in_forms(&b, e, mask, 0);
	pgsql_add(&b, " GROUP BY 1, 2");
	return b.s;
}

/* A time in seconds since 1970 (a fraction dropped, as parse_timestamp
 * drops it; a date is its midnight UTC), of the expression in sql. */
static void pgsql_t_of(struct pgsql_buf *b, const struct pgsql_events *e, const char *sql)
{
	if (e->ts.type == PGSQL_T_DATE)
		pgsql_add(b, "((%s - DATE '1970-01-01')::bigint * 86400)", sql);
	else
		pgsql_add(b, "floor(extract(epoch FROM %s))::bigint", sql);
}

static char *pgsql_events_days(const struct pgsql_events *e)
{
	struct pgsql_buf b = {0};
	/* the day's rows by their word as written, which the client reads
	 * as pgsql_lex does: no join, where the days need the event only
	 * to tell counts apart (a million rows, 0.4 s of the engine's time
	 * at the 1M bench size) */
	pgsql_add(&b, "SELECT ");
	pgsql_campaign(&b, e);
	/* the customer only where the store keeps it by customer: engaging
	 * rows, unsubscribes and conversions; one row per (campaign, day,
	 * word) carries the counts of all the others (sends, invitations:
	 * most rows) */
	pgsql_add(&b, " AS c, CASE WHEN ");
	pgsql_in_events(&b, e, e->engaged_mask | (1u << SCHEMA_EV_UNSUBSCRIBE) |
				       (1u << SCHEMA_EV_CONVERSION));
	pgsql_add(&b, " THEN ");
	pgsql_col(&b, &e->customer);
	/* the UTC day (the session's time zone is UTC), of a time in range:
	 * every row is grouped, the rows the rest will send too */
	pgsql_add(&b, "::text END AS eu, CASE WHEN ");
	pgsql_ts_ok(&b, e);
	pgsql_add(&b, " THEN ");
	pgsql_col(&b, &e->ts);
	pgsql_add(&b, "%s - DATE '1970-01-01' END AS day, ",
		  e->ts.type == PGSQL_T_DATE ? "" : "::date");
	pgsql_col(&b, &e->event);
	/* whether the row is clean: the others are counted, in groups of
	 * their own, so that a table without any needs no second scan for
	 * them (the rest: 0.13 s at the 1M bench size) */
	pgsql_add(&b, "::text AS w, coalesce(");
	pgsql_clean_base(&b, e);
	pgsql_add(&b, " AND ");
	pgsql_in_words(&b, e);
	pgsql_add(&b, ", false) AS ok, count(*) AS n, min(");
	pgsql_col(&b, &e->ts);
	pgsql_add(&b, ") AS first_t, max(");
	pgsql_col(&b, &e->ts);
	pgsql_add(&b, ") AS last_t, least(greatest(coalesce(sum(");
	pgsql_value(&b, e);
	pgsql_add(&b, ") FILTER (WHERE ");
	pgsql_in_events(&b, e, e->hve_mask | (1u << SCHEMA_EV_CONVERSION));
	pgsql_add(&b, "), 0), -9223372036854775807), 9223372036854775807)::bigint AS value");
	pgsql_where(&b, e);
	pgsql_add(&b, "true GROUP BY 1, 2, 3, 4, 5");
	return b.s;
}

char *pgsql_events_aggregates(const struct pgsql_events *e)
{
	/* one statement, so that one snapshot and one round trip hold both,
	 * and so that the engine may run the two GROUP BYs at once, each on
	 * a worker (Parallel Append): on two cores that halves the wait. The
	 * branches must give the same columns; a pair's three stay three,
	 * and a day's are packed into the third as text, the word last
	 * (format() writes a NULL as nothing); the times are converted here,
	 * for the clean groups only (an unclean one may hold an infinite
	 * time) */
	char *pairs = pgsql_events_pairs(e), *days = pgsql_events_days(e);
	struct pgsql_buf b = {0};
	pgsql_add(&b, "%s UNION ALL SELECT c, eu, CASE WHEN ok THEN format('d,%%s,%%s,%%s,%%s,%%s,%%s', "
		      "day, n, ",
		  pairs);
	pgsql_t_of(&b, e, "first_t");
	pgsql_add(&b, ", ");
	pgsql_t_of(&b, e, "last_t");
	pgsql_add(&b, ", value, w) ELSE 'u,' || n END FROM (%s) AS d", days);
	free(pairs);
	free(days);
	return b.s;
}

struct pgsql_lex {
	struct pgsql_words w;
};

struct pgsql_lex *pgsql_lex_new(const struct config_source *src)
{
	struct pgsql_lex *l = xcalloc(1, sizeof *l);
	pgsql_words_of(&l->w, src);
	return l;
}

int pgsql_lex_event(const struct pgsql_lex *l, const char *word)
{
	for (size_t j = 0; j < l->w.n; j++)
		if (strcmp(l->w.form[j], word) == 0)
			return l->w.code[j] == SCHEMA_EV_MACHINE_OPEN ? SCHEMA_EV_OPEN : l->w.code[j];
	return -1;
}

void pgsql_lex_free(struct pgsql_lex *l)
{
	if (!l)
		return;
	pgsql_words_free(&l->w);
	free(l);
}

char *pgsql_events_rest(const struct pgsql_events *e, const char *key)
{
	struct pgsql_buf b = {0};
	pgsql_add(&b, "SELECT x.*");
	pgsql_where(&b, e);
	pgsql_add(&b, "NOT coalesce(");
	pgsql_clean_base(&b, e);
	pgsql_add(&b, " AND ");
	pgsql_in_words(&b, e);
	pgsql_add(&b, ", false)");
	if (key) {
		pgsql_add(&b, " ORDER BY x.");
		pgsql_ident(&b.s, &b.len, &b.cap, key, 0);
	}
	return b.s;
}
