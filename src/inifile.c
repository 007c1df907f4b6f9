/* inifile: INI files read with libinih, with line numbers. Used by config
 * and theme, which only say what a section or a key means.
 * See include/cxtop/inifile.h.
 *
 * Line numbers. libinih's handler only receives line numbers when the
 * library itself was built with INI_HANDLER_LINENO, which Debian's is not,
 * and it is never called for a section without keys. So the file is fed to
 * ini_parse_stream() through our own reader, one physical line per call:
 * the reader counts lines (inih calls the handler for a line before it
 * reads the next one, so the count is the handler's line, and inih's own
 * count in its return value is ours too), takes the [section] lines itself
 * (an empty or unknown section is still seen, with its line), and strips
 * leading blanks so that inih's multi-line continuation never turns an
 * indented key into part of the previous value.
 *
 * Long and quoted values. inih reads into a fixed 200-byte line, but a
 * survey question used as a column header can be longer. A line that does
 * not fit, or whose value starts with a double quote, is handed to inih as
 * "KEY=\x01" and the real value is kept aside in f->longval: the text after
 * the first '=' (or ':', inih's rule) up to an inline " ;" comment, or the
 * text between the quotes with "" for a quote (so a header may keep a " ; "
 * or outer spaces). A value that starts with ';' is kept too (inih would
 * take it for a comment), so "delimiter = ;" works. Values are trimmed.
 *
 * Errors. The first error is kept in f->err and f->errline; the reader then
 * returns end-of-file, so no callback runs after it. inih's own error (a
 * line without '=' or ':') is only its return value: the line of the first
 * one, which wins over a later error of ours. */
#include "cxtop/inifile.h"

#include "cxtop/util.h"

#include <ini.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The value inih sees for a line whose real value is in f->longval. */
#define INIFILE_LONGVAL "\x01"

void inifile_error(struct inifile *f, const char *key, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	if (f->errline)
		return;
	f->errline = f->lineno > 0 ? f->lineno : 1;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (key)
		snprintf(f->err, f->errlen, "%s:%d: key '%s': %s", f->path, f->errline, key, reason);
	else
		snprintf(f->err, f->errlen, "%s:%d: %s", f->path, f->errline, reason);
}

/* A "[...]" line, already trimmed: check its syntax, pass on the name. */
static void inifile_section(struct inifile *f, char *s)
{
	char *end = strchr(s, ']');
	char *rest;

	if (!end) {
		inifile_error(f, NULL, "missing ']' in section header");
		return;
	}
	rest = end + 1;
	rest += strspn(rest, " \t");
	if (*rest && *rest != ';' && *rest != '#') {
		inifile_error(f, NULL, "text after section header");
		return;
	}
	*end = '\0';
	f->section(f, util_trim(s + 1));
}

/* Value between double quotes at s ("" is a quote); the rest of the line may
 * only be a comment. Returns a fresh string, or NULL on a syntax error. */
static char *inifile_unquote(struct inifile *f, const char *key, const char *s)
{
	char *out = xmalloc(strlen(s) + 1);
	size_t n = 0;

	for (s++; *s; s++) {
		if (*s == '"' && s[1] == '"') {
			out[n++] = '"';
			s++;
		} else if (*s == '"') {
			break;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	if (*s != '"') {
		inifile_error(f, key, "missing closing quote");
	} else {
		s++;
		s += strspn(s, " \t");
		if (!*s || *s == ';' || *s == '#')
			return out;
		inifile_error(f, key, "text after closing quote");
	}
	free(out);
	return NULL;
}

/* Value of an unquoted long line: up to an inline " ;" comment, trimmed. */
static char *inifile_plain_value(const char *s)
{
	const char *e = s;
	while (*e && !(*e == ';' && e > s && (e[-1] == ' ' || e[-1] == '\t')))
		e++;
	return util_trim(xstrndup(s, (size_t)(e - s)));
}

/* fgets-style reader for ini_parse_stream: one physical line per call. */
static char *inifile_reader(char *str, int num, void *stream)
{
	struct inifile *f = stream;
	ssize_t n;
	char *s, *sep, *key;

	if (f->errline)
		return NULL; /* stop at the first error */
	n = getline(&f->buf, &f->bufcap, f->fp);
	if (n < 0)
		return NULL;
	f->lineno++;
	f->left -= n;
	if (f->left < 0) {
		/* it grew while being read */
		inifile_error(f, NULL, "file grew past the limit of %d MiB", INIFILE_MAX_BYTES >> 20);
		return NULL;
	}
	s = f->buf;
	if (f->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	s = util_trim(s);
	if (*s == '[')
		inifile_section(f, s);
	if (!*s || *s == '[' || *s == ';' || *s == '#') {
		util_strlcpy(str, "\n", (size_t)num);
		return str;
	}
	sep = s + strcspn(s, "=:");
	if (*sep) {
		const char *v = sep + 1 + strspn(sep + 1, " \t");
		if (*v == '"' || *v == ';' || strlen(s) + 2 > (size_t)num) {
			key = util_trim(xstrndup(s, (size_t)(sep - s)));
			free(f->longval);
			f->longval = *v == '"' ? inifile_unquote(f, key, v) : inifile_plain_value(v);
			if (!f->longval || strlen(key) + 4 > (size_t)num) {
				if (f->longval)
					inifile_error(f, NULL, "key too long");
				free(key);
				return NULL;
			}
			snprintf(str, (size_t)num, "%s=%s\n", key, INIFILE_LONGVAL);
			free(key);
			return str;
		}
	} else if (strlen(s) + 2 > (size_t)num) {
		inifile_error(f, NULL, "expected [section] or key = value");
		return NULL;
	}
	snprintf(str, (size_t)num, "%s\n", s);
	return str;
}

static int inifile_handler(void *user, const char *section, const char *name, const char *value)
{
	struct inifile *f = user;

	if (strcmp(value, INIFILE_LONGVAL) == 0 && f->longval)
		value = f->longval;
	f->key(f, name, value);
	return f->errline == 0;
}

int inifile_parse(struct inifile *f)
{
	int rc;

	if (f->errlen)
		f->err[0] = '\0';
	f->lineno = 0;
	f->errline = 0;
	f->opened = 0;
	f->fp = fopen(f->path, "r");
	if (!f->fp) {
		if (errno == ENOENT && f->missing_ok)
			return 1;
		snprintf(f->err, f->errlen, "%s: %s", f->path, strerror(errno));
		f->errline = -1;
		return -1;
	}
	/* Only a regular file of bounded size: /dev/zero, a FIFO or a huge
	 * file without line ends would otherwise be read (and a "line" of it
	 * kept) without end before the first frame. */
	struct stat st;
	if (fstat(fileno(f->fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > INIFILE_MAX_BYTES) {
		int isreg = S_ISREG(st.st_mode);
		if (!isreg)
			snprintf(f->err, f->errlen, "%s: not a regular file", f->path);
		else
			snprintf(f->err, f->errlen, "%s: too large (%lld bytes; the limit is %d MiB)",
				 f->path, (long long)st.st_size, INIFILE_MAX_BYTES >> 20);
		f->errline = -1;
		fclose(f->fp);
		f->fp = NULL;
		return -1;
	}
	f->left = (long long)INIFILE_MAX_BYTES;
	f->opened = 1;
	rc = ini_parse_stream(inifile_reader, f, inifile_handler, f);
	if (ferror(f->fp) && !f->errline) {
		snprintf(f->err, f->errlen, "%s: %s", f->path, strerror(errno));
		f->errline = -1;
	}
	/* inih's line count is ours (one physical line per reader call). */
	if (rc > 0 && (!f->errline || rc < f->errline)) {
		f->errline = 0;
		f->lineno = rc;
		inifile_error(f, NULL, "expected [section] or key = value");
	} else if (rc < 0 && !f->errline) {
		snprintf(f->err, f->errlen, "%s: cannot parse", f->path);
		f->errline = -1;
	}
	free(f->buf);
	free(f->longval);
	fclose(f->fp);
	f->buf = NULL;
	f->bufcap = 0;
	f->longval = NULL;
	f->fp = NULL;
	return f->errline ? -1 : 0;
}
