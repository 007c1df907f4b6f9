/* bench_state.c DIR STATE — the dashboard's side of issue 14's figures, in
 * process (tests/bench_state.py runs it and prints the verdicts):
 *
 *   cold   ingest + read everything + the first view, no state (the
 *          dashboard's first frame without one)
 *   warm   the state taken up + read what is new + the first view (the
 *          first frame after a restart)
 *   stall  the longest keep_save_bg call of 5 (what the loop waits for a
 *          periodic write: the fork), and how long the child took
 *
 * Prints "cold S warm S stall MS write MS" on one line. STATE is written
 * and removed by the caller. */
#include "cxtop/config.h"
#include "cxtop/ingest.h"
#include "cxtop/keep.h"
#include "cxtop/view.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double bs_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* An ingest of dir read to its end with its first view; with k, from the
 * state first. Returns the seconds it took. */
static double bs_first_frame(const struct config *cfg, const char *dir, struct keep *k,
			     struct ingest **out)
{
	char msg[4096];
	double t0 = bs_now();
	struct ingest *in = ingest_new(cfg, dir);
	ingest_set_threads(in, config_threads(cfg));
	if (k)
		keep_restore(k, in, NULL, msg, sizeof msg);
	ingest_read_all(in);
	ingest_flush_partial(in);
	struct view *v = view_build(ingest_store(in), cfg, cfg->window_days, INT64_MIN);
	double t = bs_now() - t0;
	view_free(v);
	*out = in;
	return t;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_state DIR STATE\n");
		return 2;
	}
	struct config cfg;
	char msg[4096];
	config_defaults(&cfg);
	struct ingest *in;
	double cold = bs_first_frame(&cfg, argv[1], NULL, &in);
	struct keep *k = keep_open(&cfg, argv[1], argv[2], msg, sizeof msg);
	if (!k || keep_save(k, in, NULL, 0, msg, sizeof msg) != 0) {
		fprintf(stderr, "bench_state: %s\n", msg);
		return 1;
	}
	ingest_free(in);
	double warm = bs_first_frame(&cfg, argv[1], k, &in);
	double stall = 0, write = 0;
	for (int i = 0; i < 5; i++) {
		ingest_reread(in); /* a change, or the write is skipped */
		ingest_read_all(in);
		double a = bs_now();
		if (keep_save_bg(k, in, NULL, msg, sizeof msg) != 0) {
			fprintf(stderr, "bench_state: %s\n", msg);
			return 1;
		}
		double b = bs_now();
		int r;
		while ((r = keep_poll(k, msg, sizeof msg)) == 0)
			usleep(500);
		if (r < 0) {
			fprintf(stderr, "bench_state: %s\n", msg);
			return 1;
		}
		if (b - a > stall)
			stall = b - a;
		if (bs_now() - b > write)
			write = bs_now() - b;
	}
	printf("cold %.4f warm %.4f stall %.2f write %.1f\n", cold, warm, stall * 1e3, write * 1e3);
	keep_free(k);
	ingest_free(in);
	config_free(&cfg);
	return 0;
}
