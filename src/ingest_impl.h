/* ingest's private parts, shared by its files (ingest.c, ingest_state.c):
 * not an interface, the struct behind struct ingest. */
#ifndef CXTOP_INGEST_IMPL_H
#define CXTOP_INGEST_IMPL_H

#include "cxtop/ingest.h"
#include "cxtop/record.h"

/* Records wait here in batches so that store_apply_batch can overlap their
 * cache misses; the strings they point at are copied, since csvin reuses
 * its row buffer. A batch is always applied before ingest returns or
 * touches the store otherwise.
 *
 * With two threads or more (ingest_set_threads), the long read of a large
 * file goes to parread: its chunks are split, parsed and validated on
 * worker threads and applied here, in the order of the file, so the store
 * is touched by this thread alone and the numbers are those of one thread
 * (issue 13). The last chunks of a step may still be with the workers when
 * ingest_step returns MORE (the next step goes on feeding them); every
 * other use of that file's parser, of the store by another source, or the
 * end of the burst first applies them all (ingest_par_end). */
#define INGEST_BATCH 4096
/* pairs the audience recount takes per turn: about 10 ms (1.9M pairs took
 * 90-140 ms at once) */
#define INGEST_SETTLE_PAIRS (1u << 18)

struct ingest_batch {
	struct record rec[INGEST_BATCH];
	size_t n;
	char *text;       /* the records' strings, NUL-separated */
	size_t len, cap;
};

struct ingest {
	const struct config *cfg;
	struct store *store;
	struct ingest_batch batch_mem;
	struct ingest_batch *batch;     /* &batch_mem */
	struct parread *par;            /* NULL: one thread */
	struct ingest_file *par_file;   /* the file par reads, or NULL */
	size_t par_chunk;               /* its chunk size (0: parread's) */
	uint64_t par_left;              /* bytes left in a file for a parallel read */
	struct ingest_source *sources;
	size_t nsources;
	struct ingest_rejection ring[INGEST_REJECTIONS_MAX];
	size_t ring_head, ring_count; /* head = next slot to write */
	struct ingest_word *words;
	size_t nwords, words_cap;
	struct follow_watch *watch;
	int pending_reset[SCHEMA_KIND_COUNT];
	int changed;
	int held_change; /* changed, not yet told: the bases are being recounted */
	uint64_t events;  /* file events and database steps that changed something */
	uint64_t work;    /* bytes of files read, ever (ingest_work) */
	uint64_t upsets;  /* anything else that changed the store (ingest_work) */
};

/* Clear kind in the store and have every file of that kind read again
 * (except: a file whose new read is already under way). */
void ingest_rebuild_kind(struct ingest *in, int kind, struct ingest_file *except);
/* Files matching a glob source that are not known yet, added. */
void ingest_expand(struct ingest *in, struct ingest_source *s);
/* The sink every file's rows go through. */
extern const struct csvin_sink ingest_sink;

#endif
