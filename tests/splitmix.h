/* splitmix: the deterministic PRNG (splitmix64) of the data generator and
 * the demo feeder: same seed, same bytes, on every machine. Never rand():
 * its sequence differs between C libraries. */
#ifndef CXTOP_SPLITMIX_H
#define CXTOP_SPLITMIX_H

#include <stdint.h>

static uint64_t g_rng;

static uint64_t rnd(void)
{
	uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint32_t rb(uint32_t n)
{
	return n ? (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32) : 0;
}

#endif
