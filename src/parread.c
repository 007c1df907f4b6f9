/* parread: chunks of a file parsed on worker threads, applied in order (see
 * include/cxtop/parread.h for the contract and why a split is safe).
 *
 * Slots form a ring in the order of the file: sequence numbers below
 * `queued` are chunks handed out, `queued` itself is the chunk being
 * filled, and below `applied` they are done with. A worker takes the next
 * chunk handed out (`taken`), parses it with its own csvin clone into the
 * slot (records with their strings copied and their customer hashed, the
 * other sink calls as notes
 * that remember how many records came before them) and marks it done; the
 * calling thread applies done slots from `applied` on. A slot's fields are
 * written by one thread at a time: its state, under the mutex, says which. */
#include "cxtop/parread.h"

#include "cxtop/schema.h"
#include "cxtop/util.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARREAD_CHUNK (256u << 10)
/* A chunk with no line end to cut at (one quoted field of megabytes) is
 * read by the file's own csvin once it reaches this many chunks' bytes. */
#define PARREAD_SERIAL_CHUNKS 8

enum parread_state { PARREAD_FREE, PARREAD_QUEUED, PARREAD_WORKING, PARREAD_DONE };

enum parread_kind { PARREAD_REJECT, PARREAD_NA, PARREAD_UNKNOWN, PARREAD_UNMAPPED };

struct parread_note {
	int kind;            /* enum parread_kind */
	int col;             /* PARREAD_UNMAPPED */
	uint64_t line;       /* in the chunk, from 1 */
	size_t at;           /* records before it */
	char *text;          /* reason, word or label */
};

struct parread_slot {
	int state;
	int serial;          /* for the file's csvin, not a worker */
	char *in;            /* the chunk's bytes */
	size_t len, cap;
	/* results */
	struct record *rec;  /* their strings in text */
	uint64_t *rline;
	size_t nrec, rcap;
	char *text;
	size_t tlen, tcap;
	struct parread_note *notes;
	size_t nnotes, ncap;
	uint64_t lines;      /* line ends in the chunk, counted as csvin counts them */
	int clean;           /* it ended between rows */
};

struct parread_worker {
	struct parread *p;
	pthread_t thread;
	struct csvin *clone; /* this read's, set by parread_begin */
};

struct parread {
	int nworkers;
	size_t chunk;
	struct parread_worker *workers;
	pthread_mutex_t mu;
	pthread_cond_t work_cv;  /* a chunk handed out, or stop */
	pthread_cond_t done_cv;  /* a chunk done */
	int stop;
	struct parread_slot *slots;
	size_t nslots;
	uint64_t queued, taken, applied;
	/* the read under way */
	int active;
	struct csvin *c;
	struct csvin *own;       /* c's clone for the chunks this thread parses */
	struct parread_sink sink;
	int c_clean;             /* c is between rows after a line end */
	const struct record **ptrs;
	size_t pcap;
	uint64_t nparallel, nserial, nhelped;
};

static struct parread_slot *parread_slot(struct parread *p, uint64_t seq)
{
	return &p->slots[seq % p->nslots];
}

/* ---- a worker: one chunk's sink calls, kept --------------------------- */

/* The records' strings, copied into the slot's text: room for all six
 * first, so that a record is never left half moved; when the text moves,
 * the records before point into the new one. */
static void parread_keep_record(void *ctx, const struct record *r, uint64_t line)
{
	struct parread_slot *s = ctx;
	const char *str[6] = { r->customer, r->campaign, r->segment, r->comment, r->name, r->channel };
	size_t len[6], need = 0;
	for (int i = 0; i < 6; i++) {
		len[i] = strlen(str[i]);
		need += len[i] ? len[i] + 1 : 0;
	}
	if (s->tlen + need > s->tcap) {
		char *old = s->text;
		s->text = xgrow(s->text, &s->tcap, s->tlen + need, 1);
		for (size_t i = 0; old && s->text != old && i < s->nrec; i++) {
			struct record *x = &s->rec[i];
			const char **f[6] = { &x->customer, &x->campaign, &x->segment, &x->comment, &x->name,
					      &x->channel };
			for (int k = 0; k < 6; k++)
				if (**f[k])
					*f[k] = s->text + (*f[k] - old);
		}
	}
	if (s->nrec == s->rcap) {
		s->rec = xgrow(s->rec, &s->rcap, s->nrec + 1, sizeof *s->rec);
		s->rline = xrealloc(s->rline, s->rcap * sizeof *s->rline);
	}
	struct record *c = &s->rec[s->nrec];
	*c = *r;
	const char **f[6] = { &c->customer, &c->campaign, &c->segment, &c->comment, &c->name,
			      &c->channel };
	for (int i = 0; i < 6; i++) {
		if (!len[i]) {
			*f[i] = "";
			continue;
		}
		memcpy(s->text + s->tlen, str[i], len[i] + 1);
		*f[i] = s->text + s->tlen;
		s->tlen += len[i] + 1;
	}
	/* the hash the store looks the customer up by, done here, where the
	 * id is in this core's cache */
	c->id_hashed = 1;
	c->id_len = len[0];
	c->id_hash = util_hash(c->customer, len[0]);
	s->rline[s->nrec++] = line;
}

static void parread_keep_note(struct parread_slot *s, int kind, uint64_t line, int col,
			      const char *text)
{
	s->notes = xgrow(s->notes, &s->ncap, s->nnotes + 1, sizeof *s->notes);
	s->notes[s->nnotes++] = (struct parread_note){
		.kind = kind, .col = col, .line = line, .at = s->nrec,
		.text = text ? xstrdup(text) : NULL
	};
}

static void parread_keep_reject(void *ctx, uint64_t line, const char *reason)
{
	parread_keep_note(ctx, PARREAD_REJECT, line, 0, reason);
}

static void parread_keep_na(void *ctx, uint64_t line)
{
	parread_keep_note(ctx, PARREAD_NA, line, 0, NULL);
}

static void parread_keep_unknown(void *ctx, uint64_t line, const char *word)
{
	parread_keep_note(ctx, PARREAD_UNKNOWN, line, 0, word);
}

static void parread_keep_unmapped(void *ctx, uint64_t line, int col, const char *label)
{
	parread_keep_note(ctx, PARREAD_UNMAPPED, line, col, label);
}

/* the header was read before the split: a clone never sees one */
static const struct csvin_sink parread_keep = {
	.record = parread_keep_record,
	.reject = parread_keep_reject,
	.na = parread_keep_na,
	.unknown_event = parread_keep_unknown,
	.unmapped = parread_keep_unmapped,
};

static void parread_results_clear(struct parread_slot *s)
{
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i].text);
	s->nnotes = 0;
	s->nrec = 0;
	s->tlen = 0;
}

static void parread_parse(struct parread_slot *s, struct csvin *k)
{
	parread_results_clear(s);
	/* a row's strings are at most its bytes: room enough, nearly always,
	 * to never move the text */
	s->text = xgrow(s->text, &s->tcap, s->len + s->len / 4 + 64, 1);
	csvin_rows_restart(k);
	csvin_feed(k, s->in, s->len, &parread_keep, s);
	s->clean = csvin_can_split(k);
	s->lines = csvin_line(k) - 1;
}

/* parread_take: a thread that takes the next sequence number parses its
 * slot only if the slot is still waiting for a parser (QUEUED). A chunk
 * for the file's csvin is DONE from the start, and a chunk the calling
 * thread parsed and applied — with the one after it, for the file's csvin
 * — before a woken worker got the mutex is FREE or being filled again:
 * parsing it would race with its next use (seen as a worker still
 * parsing with the clone parread_begin had freed). */

static void *parread_worker_main(void *arg)
{
	struct parread_worker *w = arg;
	struct parread *p = w->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->taken == p->queued)
			pthread_cond_wait(&p->work_cv, &p->mu);
		if (p->stop)
			break;
		struct parread_slot *s = parread_slot(p, p->taken++);
		if (s->state != PARREAD_QUEUED)
			continue; /* see parread_take */
		s->state = PARREAD_WORKING;
		struct csvin *k = w->clone;
		pthread_mutex_unlock(&p->mu);
		parread_parse(s, k);
		pthread_mutex_lock(&p->mu);
		s->state = PARREAD_DONE;
		pthread_cond_broadcast(&p->done_cv);
	}
	pthread_mutex_unlock(&p->mu);
	record_thread_free();
	return NULL;
}

/* ---- the calling thread ----------------------------------------------- */

struct parread *parread_new(int workers, size_t chunk)
{
	struct parread *p = xcalloc(1, sizeof *p);
	p->chunk = chunk ? chunk : PARREAD_CHUNK;
	p->nslots = 2 * (size_t)(workers > 0 ? workers : 1) + 4;
	p->slots = xcalloc(p->nslots, sizeof *p->slots);
	p->workers = xcalloc((size_t)(workers > 0 ? workers : 1), sizeof *p->workers);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	/* the workers block every signal (they inherit the mask they are
	 * made with): a SIGCONT or SIGWINCH must reach the main thread, whose
	 * poll it interrupts, or the dashboard is not redrawn after fg */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < workers || i == 0; i++) {
		p->workers[i].p = p;
		if (pthread_create(&p->workers[i].thread, NULL, parread_worker_main,
				   &p->workers[i]) != 0)
			break;
		p->nworkers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!p->nworkers) {
		parread_free(p);
		return NULL;
	}
	return p;
}

static void parread_slot_free(struct parread_slot *s)
{
	parread_results_clear(s);
	free(s->in);
	free(s->rec);
	free(s->rline);
	free(s->text);
	free(s->notes);
}

void parread_free(struct parread *p)
{
	if (!p)
		return;
	parread_end(p);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nworkers; i++) {
		pthread_join(p->workers[i].thread, NULL);
		csvin_free(p->workers[i].clone);
	}
	csvin_free(p->own);
	pthread_cond_destroy(&p->done_cv);
	pthread_cond_destroy(&p->work_cv);
	pthread_mutex_destroy(&p->mu);
	for (size_t i = 0; i < p->nslots; i++)
		parread_slot_free(&p->slots[i]);
	free(p->slots);
	free(p->workers);
	free(p->ptrs);
	free(p);
}

int parread_begin(struct parread *p, struct csvin *c, const struct parread_sink *sink)
{
	if (p->active || !csvin_can_split(c))
		return 0;
	p->active = 1;
	p->c = c;
	p->sink = *sink;
	p->c_clean = 1;
	/* no worker holds a slot between reads: the clones change hands here */
	for (int i = 0; i < p->nworkers; i++) {
		csvin_free(p->workers[i].clone);
		p->workers[i].clone = csvin_clone(c);
	}
	csvin_free(p->own);
	p->own = csvin_clone(c);
	parread_slot(p, p->queued)->len = 0;
	return 1;
}

int parread_active(const struct parread *p)
{
	return p && p->active;
}

/* Records [from, to) of s to the sink, as pointers with their strings. */
static void parread_give_records(struct parread *p, struct parread_slot *s, size_t from,
				 size_t to, uint64_t base)
{
	if (from == to)
		return;
	if (!p->sink.records) {
		for (size_t i = from; i < to; i++)
			p->sink.rows->record(p->sink.ctx, &s->rec[i], base + s->rline[i]);
		return;
	}
	p->ptrs = xgrow(p->ptrs, &p->pcap, to - from, sizeof *p->ptrs);
	for (size_t i = from; i < to; i++)
		p->ptrs[i - from] = &s->rec[i];
	p->sink.records(p->sink.ctx, p->ptrs, to - from);
}

static void parread_give_note(struct parread *p, const struct parread_note *n, uint64_t base)
{
	const struct csvin_sink *k = p->sink.rows;
	uint64_t line = base + n->line;
	switch (n->kind) {
	case PARREAD_REJECT:
		k->reject(p->sink.ctx, line, n->text);
		break;
	case PARREAD_NA:
		if (k->na)
			k->na(p->sink.ctx, line);
		break;
	case PARREAD_UNKNOWN:
		if (k->unknown_event)
			k->unknown_event(p->sink.ctx, line, n->text);
		break;
	case PARREAD_UNMAPPED:
		/* csvin_deliver reports it through reject when the sink has
		 * no unmapped: the clone's sink had one, so do it here */
		if (k->unmapped) {
			k->unmapped(p->sink.ctx, line, n->col, n->text);
		} else {
			char msg[320];
			snprintf(msg, sizeof msg, "%s \"%s\": not in map.%s",
				 schema_col_name(n->col), n->text, schema_col_name(n->col));
			k->reject(p->sink.ctx, line, msg);
		}
		break;
	}
}

/* The oldest chunk handed out, once done: its results if the file was
 * between rows where it begins and it ended between rows too, else its
 * bytes parsed again by the file's csvin. */
static void parread_apply(struct parread *p)
{
	struct parread_slot *s = parread_slot(p, p->applied);
	if (!s->serial && p->c_clean && s->clean) {
		uint64_t base = csvin_line(p->c) - 1;
		size_t at = 0;
		for (size_t i = 0; i < s->nnotes; i++) {
			parread_give_records(p, s, at, s->notes[i].at, base);
			at = s->notes[i].at;
			parread_give_note(p, &s->notes[i], base);
		}
		parread_give_records(p, s, at, s->nrec, base);
		csvin_advance(p->c, s->lines);
		p->nparallel++;
	} else {
		csvin_feed(p->c, s->in, s->len, p->sink.rows, p->sink.ctx);
		p->c_clean = csvin_can_split(p->c);
		p->nserial++;
	}
	parread_results_clear(s);
	s->len = 0;
	s->serial = 0;
	pthread_mutex_lock(&p->mu);
	s->state = PARREAD_FREE;
	pthread_mutex_unlock(&p->mu);
	p->applied++;
}

/* Apply the oldest chunk handed out, waiting for it if wait, else only if
 * it is done; returns whether one was applied. */
static int parread_apply_next(struct parread *p, int wait)
{
	if (p->applied == p->queued)
		return 0;
	struct parread_slot *s = parread_slot(p, p->applied);
	pthread_mutex_lock(&p->mu);
	while (wait && s->state != PARREAD_DONE) {
		/* rather than wait, parse a chunk no worker has taken yet: the
		 * worker is the slower side when the store's work per row is
		 * light, and then this core idled (a -j 2 read: 3.5 s, with
		 * 4.7 s of CPU for both) */
		if (p->taken < p->queued) {
			struct parread_slot *t = parread_slot(p, p->taken++);
			if (t->state != PARREAD_QUEUED)
				continue; /* see parread_take */
			t->state = PARREAD_WORKING;
			pthread_mutex_unlock(&p->mu);
			parread_parse(t, p->own);
			p->nhelped++;
			pthread_mutex_lock(&p->mu);
			t->state = PARREAD_DONE;
			continue;
		}
		pthread_cond_wait(&p->done_cv, &p->mu);
	}
	int done = s->state == PARREAD_DONE;
	pthread_mutex_unlock(&p->mu);
	if (done)
		parread_apply(p);
	return done;
}

/* Where the chunk being filled may end: past its first line end at or
 * after min bytes with an even count of quotes before it; 0 if none. */
static size_t parread_cut(const char *b, size_t n, size_t min)
{
	if (min > n)
		return 0;
	if (!memchr(b, '"', n)) {
		const char *nl = memchr(b + min - 1, '\n', n - (min - 1));
		return nl ? (size_t)(nl - b) + 1 : 0;
	}
	unsigned odd = 0;
	for (size_t i = 0; i < n; i++) {
		odd ^= b[i] == '"';
		if (b[i] == '\n' && !odd && i + 1 >= min)
			return i + 1;
	}
	return 0;
}

/* Hand out the first cut bytes of the chunk being filled (serial: for the
 * file's csvin), the rest starting the next one. */
static void parread_hand_out(struct parread *p, size_t cut, int serial)
{
	/* the next slot to fill must be free: apply the oldest until it is */
	while (p->queued + 1 - p->applied >= p->nslots)
		parread_apply_next(p, 1);
	struct parread_slot *s = parread_slot(p, p->queued), *next = parread_slot(p, p->queued + 1);
	size_t rest = s->len - cut;
	next->in = xgrow(next->in, &next->cap, rest > p->chunk ? rest : p->chunk, 1);
	memcpy(next->in, s->in + cut, rest);
	next->len = rest;
	s->len = cut;
	pthread_mutex_lock(&p->mu);
	s->serial = serial;
	s->state = serial ? PARREAD_DONE : PARREAD_QUEUED;
	p->queued++;
	pthread_cond_signal(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
}

void parread_feed(struct parread *p, const char *buf, size_t n)
{
	struct parread_slot *s = parread_slot(p, p->queued);
	s->in = xgrow(s->in, &s->cap, s->len + n, 1);
	memcpy(s->in + s->len, buf, n);
	s->len += n;
	while (s->len >= p->chunk) {
		size_t cut = parread_cut(s->in, s->len, p->chunk);
		if (cut) {
			parread_hand_out(p, cut, 0);
		} else if (s->len >= PARREAD_SERIAL_CHUNKS * p->chunk) {
			parread_hand_out(p, s->len, 1);
		} else {
			break;
		}
		s = parread_slot(p, p->queued);
	}
	while (parread_apply_next(p, 0))
		;
}

void parread_end(struct parread *p)
{
	if (!p || !p->active)
		return;
	while (parread_apply_next(p, 1))
		;
	/* the bytes after the last cut: a last row without its line end, or
	 * fewer than a chunk */
	struct parread_slot *s = parread_slot(p, p->queued);
	if (s->len)
		csvin_feed(p->c, s->in, s->len, p->sink.rows, p->sink.ctx);
	s->len = 0;
	p->active = 0;
	p->c = NULL;
}

void parread_counts(const struct parread *p, uint64_t *parallel, uint64_t *serial,
		    uint64_t *helped)
{
	*parallel = p ? p->nparallel : 0;
	*serial = p ? p->nserial : 0;
	*helped = p ? p->nhelped : 0;
}
