/* Clocks and randomness. CLOCK_REALTIME (and its coarse and TAI forms) is
 * the monotonic clock plus the wall-clock offset an RTC driver set
 * (kern/time/wallclock.c); the other clocks count from boot. */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include <kern/wallclock.h>
#include "proc/cred.h"
#include "syscall/syscall.h"
#include "proc/entropy.h"

#define CLOCK_REALTIME 0
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_SGI_CYCLE 10
#define CLOCK_TAI 11
#define NSEC_PER_SEC 1000000000LL
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

struct timespec {
	int64_t sec, nsec;
};

struct timeval {
	int64_t sec, usec;
};

static bool is_realtime(uint64_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE ||
	       clock == CLOCK_REALTIME_ALARM || clock == CLOCK_TAI;
}

SYSCALL(clock_gettime)
{
	uint64_t now;
	struct timespec ts;

	/* The CPU-time clocks are approximated by elapsed time. */
	if (args->a[0] > CLOCK_TAI)
		return -EINVAL;
	now = is_realtime(args->a[0]) ? wallclock_now_ns() : time_now_ns();
	ts = (struct timespec){ (int64_t)(now / NSEC_PER_SEC), (int64_t)(now % NSEC_PER_SEC) };
	return copy_to_user(args->a[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL(gettimeofday)
{
	uint64_t now = wallclock_now_ns();
	struct timeval tv = { (int64_t)(now / NSEC_PER_SEC), (int64_t)(now % NSEC_PER_SEC / 1000) };

	if (args->a[0] && copy_to_user(args->a[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (args->a[1]) { /* struct timezone: UTC */
		int32_t tz[2] = { 0, 0 };
		if (copy_to_user(args->a[1], tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

/* The clocks tick at the timebase; the coarse ones at the timer tick. */
SYSCALL(clock_getres)
{
	uint64_t clock = args->a[0];
	bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
	struct timespec res = { 0, (int64_t)(coarse ? NSEC_PER_SEC / timer_hz()
						    : (NSEC_PER_SEC + (int64_t)timebase_hz() - 1) /
							      (int64_t)timebase_hz()) };

	if (clock > CLOCK_TAI || clock == CLOCK_SGI_CYCLE) /* removed from Linux: EINVAL */
		return -EINVAL;
	if (args->a[1] && copy_to_user(args->a[1], &res, sizeof(res)))
		return -EFAULT;
	return 0;
}

/* Only CLOCK_REALTIME can be set (Linux: EINVAL for the others). */
SYSCALL(clock_settime)
{
	struct timespec ts;

	if (args->a[0] > CLOCK_TAI)
		return -EINVAL;
	if (!cred_capable())
		return -EPERM; /* CAP_SYS_TIME */
	if (copy_from_user(&ts, args->a[1], sizeof(ts)))
		return -EFAULT;
	if (args->a[0] != CLOCK_REALTIME || ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NSEC_PER_SEC)
		return -EINVAL;
	wallclock_set((uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec);
	return 0;
}

SYSCALL(settimeofday)
{
	struct timeval tv;

	if (!args->a[0])
		return 0; /* only a timezone: accepted, time stays UTC */
	if (!cred_capable())
		return -EPERM; /* CAP_SYS_TIME */
	if (copy_from_user(&tv, args->a[0], sizeof(tv)))
		return -EFAULT;
	if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000)
		return -EINVAL;
	wallclock_set((uint64_t)tv.sec * NSEC_PER_SEC + (uint64_t)tv.usec * 1000);
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
