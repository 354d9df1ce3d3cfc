/* A seeded xorshift generator: RIVET_TEST_SEED=<n> replays a run. */
#ifndef HOST_RNG_H
#define HOST_RNG_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state;

static inline void rng_init(const char *test)
{
	const char *s = getenv("RIVET_TEST_SEED");

	rng_state = s ? strtoull(s, NULL, 0) : 0x5eed1234abcdULL;
	if (!rng_state)
		rng_state = 1;
	printf("%s: seed %llu (set RIVET_TEST_SEED to replay)\n", test,
	       (unsigned long long)rng_state);
}

static inline uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static inline uint64_t rng_below(uint64_t n)
{
	return rng() % n;
}

#endif
