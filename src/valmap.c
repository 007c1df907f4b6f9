/* valmap: value maps of map.X keys. See include/cxtop/valmap.h.
 *
 * A map holds a few to a few dozen labels; a row looks its field up once.
 * Exact labels sit in a small open-addressing table keyed by the folded
 * text, so a lookup is one fold and one hash whatever the map's size;
 * patterns (rare: survey names) are matched with fnmatch(3) on the folded
 * text after the exact labels. */
#include "cxtop/valmap.h"

#include "cxtop/util.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALMAP_TEXT_MAX 512

struct valmap_item {
	char *label; /* folded */
	char *value;
	uint64_t hash;
};

struct valmap {
	struct valmap_item *items; /* exact labels, then patterns, as written */
	size_t n, nexact;
	size_t *slots;             /* exact items + 1, open addressing */
	size_t nslots;             /* a power of two */
};

static uint64_t valmap_hash(const char *s, size_t n)
{
	uint64_t h = util_fnv(UTIL_FNV_INIT, s, n);
	return h ? h : 1;
}

static int valmap_is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The next item of *p up to an unquoted comma: label and value split at the
 * last unquoted colon, quotes removed. Returns 1, 0 at the end, -1 on a
 * malformed item (err says why). */
static int valmap_item_next(const char **p, char *label, char *value, size_t cap, char *err,
			    size_t errlen)
{
	const char *s = *p;
	char buf[2][VALMAP_TEXT_MAX];
	size_t len[2] = {0, 0};
	int part = 0, quoted = 0, colon_at = -1;
	char tmp[VALMAP_TEXT_MAX];
	size_t t = 0;
	/* first collect the item with quote marks removed, remembering where
	 * the last unquoted colon is */
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && *s == ',')
			break;
		if (!quoted && *s == ':')
			colon_at = (int)t;
		if (t + 1 >= sizeof tmp) {
			snprintf(err, errlen, "a label longer than %d bytes", VALMAP_TEXT_MAX - 1);
			return -1;
		}
		tmp[t++] = *s;
	}
	if (quoted) {
		snprintf(err, errlen, "a missing closing quote");
		return -1;
	}
	*p = *s == ',' ? s + 1 : s;
	tmp[t] = '\0';
	if (colon_at < 0) {
		snprintf(err, errlen, "'%s' has no ':' between label and value", util_trim(tmp));
		return -1;
	}
	for (size_t i = 0; i < t; i++) {
		if ((int)i == colon_at) {
			part = 1;
			continue;
		}
		buf[part][len[part]++] = tmp[i];
	}
	buf[0][len[0]] = buf[1][len[1]] = '\0';
	util_strlcpy(label, util_trim(buf[0]), cap);
	util_strlcpy(value, util_trim(buf[1]), cap);
	if (!label[0] || !value[0]) {
		snprintf(err, errlen, "'%s' has an empty %s", util_trim(tmp), label[0] ? "value" : "label");
		return -1;
	}
	return 1;
}

struct valmap *valmap_parse(const char *spec, const char *(*check)(const char *value),
			    char *err, size_t errlen)
{
	struct valmap *m = xcalloc(1, sizeof *m);
	size_t cap = 0;
	char label[VALMAP_TEXT_MAX], value[VALMAP_TEXT_MAX], folded[VALMAP_TEXT_MAX];
	const char *p = spec;
	int rc;
	/* exact labels first in items[], patterns after: two passes */
	for (int pass = 0; pass < 2; pass++) {
		p = spec;
		while ((rc = valmap_item_next(&p, label, value, sizeof label, err, errlen)) == 1) {
			if (valmap_is_pattern(label) != pass)
				continue;
			const char *why = check ? check(value) : NULL;
			if (why) {
				snprintf(err, errlen, "'%s: %s': %s", label, value, why);
				valmap_free(m);
				return NULL;
			}
			size_t fl = util_fold(label, strlen(label), folded, sizeof folded);
			if (fl == SIZE_MAX) {
				snprintf(err, errlen, "label '%.40s...' is too long", label);
				valmap_free(m);
				return NULL;
			}
			for (size_t i = 0; i < m->n; i++)
				if (strcmp(m->items[i].label, folded) == 0) {
					snprintf(err, errlen, "label '%s' is given twice", label);
					valmap_free(m);
					return NULL;
				}
			m->items = xgrow(m->items, &cap, m->n + 1, sizeof *m->items);
			m->items[m->n++] = (struct valmap_item){
				.label = xstrdup(folded), .value = xstrdup(value),
				.hash = valmap_hash(folded, fl)};
			if (!pass)
				m->nexact++;
		}
		if (rc < 0) {
			valmap_free(m);
			return NULL;
		}
	}
	if (!m->n) {
		snprintf(err, errlen, "no 'label: value' items");
		valmap_free(m);
		return NULL;
	}
	m->nslots = 8;
	while (m->nslots < 2 * m->nexact)
		m->nslots *= 2;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	for (size_t i = 0; i < m->nexact; i++) {
		size_t k = (size_t)m->items[i].hash & (m->nslots - 1);
		while (m->slots[k])
			k = (k + 1) & (m->nslots - 1);
		m->slots[k] = i + 1;
	}
	return m;
}

void valmap_free(struct valmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->items[i].label);
		free(m->items[i].value);
	}
	free(m->items);
	free(m->slots);
	free(m);
}

const char *valmap_find(const struct valmap *m, const char *s, size_t n)
{
	char folded[VALMAP_TEXT_MAX];
	size_t fl = util_fold(s, n, folded, sizeof folded);
	if (fl == SIZE_MAX)
		return NULL; /* longer than any label */
	uint64_t h = valmap_hash(folded, fl);
	for (size_t k = (size_t)h & (m->nslots - 1); m->slots[k]; k = (k + 1) & (m->nslots - 1)) {
		const struct valmap_item *it = &m->items[m->slots[k] - 1];
		if (it->hash == h && strcmp(it->label, folded) == 0)
			return it->value;
	}
	for (size_t i = m->nexact; i < m->n; i++)
		if (fnmatch(m->items[i].label, folded, 0) == 0)
			return m->items[i].value;
	return NULL;
}

size_t valmap_count(const struct valmap *m)
{
	return m->n;
}
