/* The wall-clock offset. One 64-bit word, written whole, so readers in any
 * context see either the old or the new offset. */
#include <frame/log.h>
#include <frame/time.h>
#include <kern/wallclock.h>

static volatile int64_t offset_ns;
static volatile bool is_set;

void wallclock_set(uint64_t unix_ns)
{
	offset_ns = (int64_t)(unix_ns - time_now_ns());
	is_set = true;
	pr_info("wallclock: %lu s since 1970\n", unix_ns / 1000000000);
}

uint64_t wallclock_now_ns(void)
{
	return time_now_ns() + (uint64_t)offset_ns;
}

int64_t wallclock_offset_ns(void)
{
	return offset_ns;
}

bool wallclock_is_set(void)
{
	return is_set;
}

uint64_t wallclock_to_monotonic(uint64_t realtime_ns)
{
	int64_t off = offset_ns;

	if (off >= 0)
		return realtime_ns > (uint64_t)off ? realtime_ns - (uint64_t)off : 0;
	return realtime_ns + (uint64_t)-off; /* clock set before 1970 + uptime */
}
