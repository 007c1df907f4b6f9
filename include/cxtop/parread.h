/* parread: a large file's rows split, parsed and validated on worker
 * threads, and handed on in the order of the file (issue 13: every core on
 * a cold read).
 *
 * The bytes of one file come in order (parread_feed). They are cut into
 * chunks of about `chunk` bytes at a line end where the count of quotes
 * since the chunk began is even, and each chunk is parsed by a worker with
 * its own clone of the file's csvin (csvin_clone), as if a row began there:
 * a guess, since a line end may lie inside a quoted field that the quote
 * count misjudges (libcsv reads a quote inside an unquoted field as a
 * character). The guess is checked before a chunk's results are used: a
 * chunk counts only if the chunk before it ended between rows (its parser
 * idle after its last line end), and otherwise the file's own csvin parses
 * its bytes again, in order, so the split can cost time but never change a
 * number. The results are applied on the calling thread, in the order of
 * the file: every call the file's csvin would have made to the sink, with
 * the same line numbers, in the same order; the store is touched by that
 * thread alone, with no lock.
 *
 * A chunk's results wait until the chunks before it are applied; the
 * calling thread applies what is ready as it feeds, and when every slot is
 * in use it parses a chunk no worker has taken yet, as a worker would,
 * or waits for the oldest (a chunk's parse: about 1 ms), so a loop that
 * feeds a bounded budget per turn stays responsive and no core idles. Between
 * parread_begin and parread_end the file's csvin must not be used by
 * anyone else: the last rows fed may still be with a worker. */
#ifndef CXTOP_PARREAD_H
#define CXTOP_PARREAD_H

#include <stddef.h>
#include <stdint.h>

#include "cxtop/csvin.h"
#include "cxtop/record.h"

struct parread_sink {
	/* every call the file's csvin makes, in its order, with the file's
	 * line numbers (borrowed) */
	const struct csvin_sink *rows;
	/* a run of records between two other calls at once, in order (the
	 * records live until it returns); NULL: rows->record for each */
	void (*records)(void *ctx, const struct record *const *r, size_t n);
	void *ctx;
};

struct parread;

/* workers threads (at least 1) reading chunks of about chunk bytes
 * (0: 256 KiB). NULL if no thread can be started (read in one, then). */
struct parread *parread_new(int workers, size_t chunk);
/* Ends a read under way (parread_end) and stops the workers. */
void parread_free(struct parread *p);
/* Start reading the file of c (borrowed until parread_end) from where c
 * is, with its calls going to sink (copied). 0, and nothing started,
 * unless csvin_can_split(c). */
int parread_begin(struct parread *p, struct csvin *c, const struct parread_sink *sink);
/* 1 between parread_begin and parread_end. */
int parread_active(const struct parread *p);
/* n more bytes of the file; applies the chunks that are ready. */
void parread_feed(struct parread *p, const char *buf, size_t n);
/* Apply every chunk, waiting for the workers, and give the bytes after the
 * last chunk to c: afterwards c is as if it had been fed every byte. */
void parread_end(struct parread *p);
/* Chunks applied from a worker's results, chunks c parsed again itself (a
 * guess that was wrong, or no line end to cut at), and chunks the calling
 * thread parsed as a worker would, since parread_new. */
void parread_counts(const struct parread *p, uint64_t *parallel, uint64_t *serial,
		    uint64_t *helped);

#endif
