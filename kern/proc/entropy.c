#include <frame/time.h>
#include <string.h>
#include "proc/entropy.h"

static uint64_t s[4];
static bool seeded;

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next(void)
{
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

void entropy_fill(void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!seeded) {
		uint64_t seed = time_now_ns() ^ timer_ticks() << 32;
		for (int i = 0; i < 4; i++)
			s[i] = splitmix(&seed);
		seeded = true;
	}
	/* Fold in the clock each call, so outputs depend on timing too. */
	s[0] ^= time_now_ns();
	while (len) {
		uint64_t v = next();
		size_t n = MIN(len, sizeof(v));
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}
