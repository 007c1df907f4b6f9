/* inifile: the one way cxtop reads an INI file (config and themes) with
 * libinih, with the physical line of every key and section and one error
 * message "FILE:LINE: key 'K': reason" for the first thing that is wrong.
 *
 * Syntax, the same for every file: "[name]" sections (an optional ; or #
 * comment may follow the ']'), "key = value" or "key: value" lines, whole-
 * line comments starting with ; or #, blank lines, a UTF-8 BOM at the start.
 * Lines are trimmed, so an indented key never continues the previous value.
 * A value may be longer than inih's 200-byte line; an inline comment needs
 * a blank before its ';'. A value in double quotes keeps its spaces and any
 * ';' ("" is a quote), and a value starting with ';' is a value, not a
 * comment ("delimiter = ;"). Values reach the key callback trimmed.
 *
 * The first error wins: its message is the one kept. An error recorded
 * with inifile_error stops the parse (no callback runs after it); a line
 * inih refuses itself (no '=' or ':') is only known when inih returns, so
 * later lines are still handed to the callbacks, but its message wins. */
#ifndef CXTOP_INIFILE_H
#define CXTOP_INIFILE_H

#include <stddef.h>
#include <stdio.h>

struct inifile {
	/* Set by the caller (zero the rest). */
	const char *path;  /* the file, as given; also the prefix of messages */
	void *user;        /* for the callbacks */
	/* A "[name]" line; name is trimmed and may be changed in place. */
	void (*section)(struct inifile *f, char *name);
	/* A "key = value" line; key and value are trimmed. */
	void (*key)(struct inifile *f, const char *key, const char *value);
	int missing_ok;    /* a file that does not exist is not an error */
	char *err;         /* the message of the first error, "" if none */
	size_t errlen;

	/* Kept by inifile_parse; read them from the callbacks. */
	int lineno;        /* physical line being handled (1 = first) */
	int errline;       /* line of the first error, 0 = none, -1 = not of a line */
	int opened;        /* the file was opened */
	FILE *fp;
	char *buf;         /* getline buffer */
	size_t bufcap;
	char *longval;     /* value of the current long or quoted line */
	long long left;    /* bytes that may still be read */
};

/* A config or theme file larger than this is refused (a config of 100,000
 * sections is about 6 MiB). */
#define INIFILE_MAX_BYTES (64 << 20)

/* Record an error at f->lineno as "FILE:LINE: key 'KEY': REASON" (or
 * "FILE:LINE: REASON" when key is NULL), unless one is recorded already:
 * the first error wins. Also usable after inifile_parse, with f->lineno
 * set to the line to name. */
void inifile_error(struct inifile *f, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open f->path, call f->section and f->key line by line, close it.
 * Returns 0; 1 when the file does not exist and f->missing_ok is set (err
 * stays empty); or -1 with the message in f->err (for a file that cannot be
 * opened or read, "FILE: strerror"). The caller owns nothing new; f stays
 * readable (lineno, errline, opened) and inifile_error still works on it. */
int inifile_parse(struct inifile *f);

#endif
