/* bench.h: what the two halves of the bench program share. bench.c is
 * the driver (samples, child processes, the floor and the peers, the
 * table); bench_child.c the in-process children it spawns (cold ingest and
 * appends, re-append, drawing, startup). See bench.c for how figures are
 * taken. */
#ifndef CXTOP_TESTS_BENCH_H
#define CXTOP_TESTS_BENCH_H

#include "cxtop/uiscr.h"

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_RUNS	      64
#define BENCH_APPEND_ROWS     1000
#define BENCH_APPENDS_PER_RUN 20
#define BENCH_STEP_BUDGET     (4u << 20) /* the screen loop's read budget */
#define BENCH_DRAW_ROWS	      60
#define BENCH_DRAW_COLS	      200
#define BENCH_DRAW_BATCHES    5
#define BENCH_WINDOW	      30

/* ---- helpers (bench.c) ---- */

/* "bench: MESSAGE" on stderr, then exit 2. */
void bench_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* A progress line on stderr. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* CLOCK_MONOTONIC in ns; seconds between two such readings. */
int64_t bench_ns(void);
double bench_secs(int64_t a, int64_t b);
/* A deterministic pseudo-random number. */
uint64_t bench_rand(void);
uint64_t bench_file_size(const char *path);
/* dir/file into buf of size n (dies if it does not fit). */
void bench_path(char *buf, size_t n, const char *dir, const char *file);
/* Copy (or append) from to to, optionally without from's first line. */
void bench_copy(const char *from, const char *to, int skip_first_line, int append);

/* ---- children (bench_child.c), run as bench --child-* ---- */

int child_startup(const char *dir, int64_t t_main);
int child_reappend(const char *work, const char *pristine_events);
int child_cold(const char *dir, const char *work, int check);
int child_draw(const char *dir, int frames, int batches);
/* This process's peak RSS in KiB (getrusage). */
long self_maxrss(void);
/* The screens drawn, in the table's order. */
extern const struct ui_screen *const bench_screens[];
extern const size_t bench_nscreens;

#endif
