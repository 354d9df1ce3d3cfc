/* futex(2) in one thread: the value check, timeouts, wakes without
 * waiters, requeue counts and argument errors, as Linux answers them. */
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts,
		  uint32_t *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_wait_value(void)
{
	uint32_t word = 5;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	double start;

	CHECK_ERR(futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0), EAGAIN);
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0), EAGAIN);
	start = now();
	CHECK_ERR(futex(&word, FUTEX_WAIT, 5, &ts, NULL, 0), ETIMEDOUT);
	CHECK(now() - start >= 0.019);
}

static void test_wait_bitset_absolute(void)
{
	uint32_t word = 1;
	struct timespec ts;
	double start = now();

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 10 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, &ts, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	CHECK(now() - start >= 0.009);
	/* A deadline in the past (but valid: not negative) times out at once. */
	ts.tv_sec = 0;
	ts.tv_nsec = 1;
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, &ts, NULL, FUTEX_BITSET_MATCH_ANY), ETIMEDOUT);
	CHECK_ERR(futex(&word, FUTEX_WAIT_BITSET, 1, &ts, NULL, 0), EINVAL);
}

static void test_wake_and_requeue(void)
{
	uint32_t a = 0, b = 0;

	CHECK(futex(&a, FUTEX_WAKE, 1, NULL, NULL, 0) == 0);
	CHECK(futex(&a, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0) == 0);
	CHECK(futex(&a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0xff) == 0);
	CHECK_ERR(futex(&a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), EINVAL);
	CHECK(futex(&a, FUTEX_REQUEUE, 1, (void *)1, &b, 0) == 0);
	CHECK(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)1, &b, 0) == 0);
	CHECK_ERR(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)1, &b, 7), EAGAIN);
}

static void test_bad_arguments(void)
{
	uint32_t words[2] = { 0, 0 };
	struct timespec bad_ts = { 0, 1000000000 };

	CHECK_ERR(futex((uint32_t *)((char *)words + 1), FUTEX_WAIT, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex((uint32_t *)((char *)words + 2), FUTEX_WAKE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR(futex((uint32_t *)g_low_addr, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	CHECK_ERR(futex((uint32_t *)g_kernel_addr, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	CHECK_ERR(futex(words, FUTEX_WAIT, 0, &bad_ts, NULL, 0), EINVAL);
	CHECK_ERR(futex(words, FUTEX_WAIT, 0, (struct timespec *)g_low_addr, NULL, 0), EFAULT);
	CHECK_ERR(futex(words, 77, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR(futex(words, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
}

int main(void)
{
	test_wait_value();
	test_wait_bitset_absolute();
	test_wake_and_requeue();
	test_bad_arguments();
	return check_done("test_futex");
}
