/* Clocks and randomness. */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "syscall/syscall.h"
#include "proc/entropy.h"

#define CLOCK_REALTIME 0
#define CLOCK_TAI 11
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

struct timespec {
	int64_t sec, nsec;
};

struct timeval {
	int64_t sec, usec;
};

SYSCALL(clock_gettime)
{
	uint64_t now = time_now_ns();
	struct timespec ts = { (int64_t)(now / 1000000000), (int64_t)(now % 1000000000) };

	/* Every clock counts from boot until an RTC gives the wall time; the
	 * CPU-time clocks are approximated by elapsed time (one process). */
	if (args->a[0] > CLOCK_TAI)
		return -EINVAL;
	return copy_to_user(args->a[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL(gettimeofday)
{
	uint64_t now = time_now_ns();
	struct timeval tv = { (int64_t)(now / 1000000000), (int64_t)(now % 1000000000 / 1000) };

	if (args->a[0] && copy_to_user(args->a[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (args->a[1]) { /* struct timezone: UTC */
		int32_t tz[2] = { 0, 0 };
		if (copy_to_user(args->a[1], tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL(getrandom)
{
	uint64_t ubuf = args->a[0], len = args->a[1];
	uint8_t chunk[64];
	uint64_t done = 0;

	if (args->a[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > (1UL << 25))
		len = 1UL << 25; /* Linux caps one call at 32 MiB */
	while (done < len) {
		uint64_t n = MIN(len - done, sizeof(chunk));
		entropy_fill(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}
