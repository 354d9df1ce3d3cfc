/* I/O accounting for /proc/diskstats (see block.h): counted when a request
 * is queued and when it completes, in every device it went through. */
#include <frame/irq.h>
#include <frame/time.h>
#include "block/block.h"

/* The level each counter reached goes to level[]: the peak is taken only
 * once the driver has accepted the request (block_stats_accepted), so a
 * refused one never counts as in flight. */
void block_stats_start(struct block_stats *s[2], unsigned level[2], uint64_t now)
{
	for (int i = 0; i < 2 && s[i]; i++) {
		if (s[i]->in_flight++ == 0)
			s[i]->busy_since = now;
		level[i] = s[i]->in_flight;
	}
}

void block_stats_accepted(struct block_stats *s[2], const unsigned level[2])
{
	for (int i = 0; i < 2 && s[i]; i++)
		s[i]->max_in_flight = MAX(s[i]->max_in_flight, level[i]);
}

static void stop(struct block_stats *s, uint64_t now)
{
	if (--s->in_flight == 0)
		s->busy_ns += now - s->busy_since;
}

/* The driver refused the request: it was never in flight (nor busy). */
void block_stats_cancel(struct block_stats *s[2])
{
	for (int i = 0; i < 2 && s[i]; i++)
		s[i]->in_flight--;
}

/* One clock reading for the request's time and the busy time, so the busy
 * time never exceeds the sum of the requests' (diskstats readers compare). */
void block_stats_done(struct block_stats *s[2], enum block_op op, uint32_t count,
		      uint32_t sector_size, uint64_t start, uint64_t now)
{
	for (int i = 0; i < 2 && s[i]; i++) {
		s[i]->ios[op]++;
		s[i]->sectors[op] += (uint64_t)count * sector_size / 512;
		s[i]->ns[op] += now - start;
		stop(s[i], now);
	}
}

void block_stats_read(const struct blockdev *bd, struct block_stats *out)
{
	struct block_stats *s[2];
	unsigned long flags;

	block_stats_of(bd, s);
	flags = irq_save();
	*out = *s[0];
	if (out->in_flight)
		out->busy_ns += time_now_ns() - out->busy_since;
	irq_restore(flags);
}
