#include <frame/irq.h>
#include <frame/time.h>
#include <kern/entropy.h>
#include <string.h>
#include "proc/entropy.h"

static uint64_t s[4];
static bool seeded;
static uint64_t hw_bytes; /* fed by entropy_add since boot */

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

static void seed_once(void)
{
	if (!seeded) {
		uint64_t seed = time_now_ns() ^ timer_ticks() << 32;
		for (int i = 0; i < 4; i++)
			s[i] = splitmix(&seed);
		seeded = true;
	}
}

/* Hardware bytes are folded into the whole state: each 8-byte word is
 * xored into one state word, then the generator is stepped so the next
 * word lands in a fresh mix. Interrupts are off: drivers call this from
 * their handlers while a task may be in entropy_fill. */
void entropy_add(const void *buf, size_t len)
{
	const uint8_t *in = buf;
	unsigned long flags = irq_save();

	seed_once();
	hw_bytes += len;
	for (unsigned i = 0; len; i++) {
		uint64_t v = 0;
		size_t n = MIN(len, sizeof(v));
		memcpy(&v, in, n);
		s[i % 4] ^= v;
		(void)next();
		in += n;
		len -= n;
	}
	irq_restore(flags);
}

void entropy_fill(void *buf, size_t len)
{
	uint8_t *out = buf;
	unsigned long flags = irq_save();

	seed_once();
	/* Fold in the clock each call, so outputs depend on timing too. */
	s[0] ^= time_now_ns();
	while (len) {
		uint64_t v = next();
		size_t n = MIN(len, sizeof(v));
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	irq_restore(flags);
}

uint64_t entropy_hw_bytes(void)
{
	return hw_bytes;
}
