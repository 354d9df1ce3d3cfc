/* The wall clock and randomness against Linux: CLOCK_REALTIME and
 * gettimeofday give today's date (Rivet reads the goldfish RTC) while
 * CLOCK_MONOTONIC is a separate, earlier-starting clock; absolute
 * CLOCK_REALTIME deadlines (clock_nanosleep, futex) are honoured in wall
 * time; clock_settime's argument checks; getrandom. Never sets the clock:
 * under qemu-user as root that would set the host's. */
#include <linux/futex.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NS 1000000000LL
#define Y2020 1577836800LL /* 2020-01-01T00:00:00Z */

static int64_t ns_of(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -1;
	return ts.tv_sec * NS + ts.tv_nsec;
}

static void test_wall_time(void)
{
	struct timeval tv;
	int64_t rt = ns_of(CLOCK_REALTIME), mono = ns_of(CLOCK_MONOTONIC);
	time_t t = time(NULL);

	CHECK(rt / NS > Y2020);
	CHECK(mono >= 0 && mono < rt);
	CHECK(gettimeofday(&tv, NULL) == 0);
	CHECK(tv.tv_sec >= rt / NS && tv.tv_sec - rt / NS <= 2);
	CHECK(t >= rt / NS && t - rt / NS <= 2);
	CHECK(ns_of(CLOCK_REALTIME_COARSE) / NS - rt / NS <= 2);
	CHECK(ns_of(CLOCK_TAI) / NS > Y2020);
	/* Both advance together, apart by a fixed offset. */
	for (int i = 0; i < 100; i++) {
		int64_t m2 = ns_of(CLOCK_MONOTONIC);
		CHECK(m2 >= mono);
		mono = m2;
	}
}

static void test_realtime_deadlines(void)
{
	struct timespec target, past = { 1, 0 };
	int64_t m0 = ns_of(CLOCK_MONOTONIC), goal = ns_of(CLOCK_REALTIME) + 50000000;
	uint32_t word = 0;

	target.tv_sec = goal / NS;
	target.tv_nsec = goal % NS;
	CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, NULL) == 0);
	CHECK(ns_of(CLOCK_REALTIME) >= goal);
	CHECK(ns_of(CLOCK_MONOTONIC) - m0 < 2 * NS); /* not slept in the wrong clock */
	CHECK(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL) == 0);

	m0 = ns_of(CLOCK_MONOTONIC);
	goal = ns_of(CLOCK_REALTIME) + 30000000;
	target.tv_sec = goal / NS;
	target.tv_nsec = goal % NS;
	CHECK_ERR(syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &target,
			  NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	CHECK(ns_of(CLOCK_REALTIME) >= goal);
	CHECK(ns_of(CLOCK_MONOTONIC) - m0 < 2 * NS);
}

static void test_settime_checks(void)
{
	struct timespec ts = { Y2020, 0 }, bad = { Y2020, NS };

	CHECK_ERR(clock_settime(CLOCK_MONOTONIC, &ts), EINVAL);
	CHECK_ERR(clock_settime(CLOCK_BOOTTIME, &ts), EINVAL);
	CHECK_ERR(clock_settime(99, &ts), EINVAL);
	CHECK_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, g_low_addr), EFAULT);
	CHECK_ERR(clock_settime(CLOCK_REALTIME, &bad), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_REALTIME, g_low_addr), EFAULT);
}

static void test_getres(void)
{
	struct timespec r = { -1, -1 };

	CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0);
	CHECK(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000);
	CHECK(clock_getres(CLOCK_REALTIME_COARSE, &r) == 0);
	CHECK(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 20000000);
	CHECK(clock_getres(CLOCK_REALTIME, NULL) == 0);
	CHECK_ERR(clock_getres(99, &r), EINVAL);
}

static void test_getrandom(void)
{
	unsigned char a[64], b[64];

	CHECK(getrandom(a, sizeof(a), 0) == sizeof(a));
	CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK) == sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK_ERR(getrandom(a, sizeof(a), 0x100), EINVAL);
	CHECK_ERR(getrandom(g_low_addr, 16, 0), EFAULT);
}

int main(void)
{
	test_wall_time();
	test_realtime_deadlines();
	test_settime_checks();
	test_getres();
	test_getrandom();
	return check_done("test_clock");
}
