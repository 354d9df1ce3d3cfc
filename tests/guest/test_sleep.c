/* Sleeps and timers against Linux: nanosleep and clock_nanosleep (relative,
 * TIMER_ABSTIME, the clocks, errors, EINTR with the time left), a sleep
 * that survives a stop and continue, setitimer/getitimer with intervals,
 * and alarm. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile int g_alarms;

static void on_alarm(int sig)
{
	(void)sig;
	g_alarms++;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void test_nanosleep(void)
{
	struct timespec req = { 0, 30 * 1000 * 1000 }, bad = { 0, 1000000000 }, neg = { -1, 0 };
	int64_t t0 = now_ns(CLOCK_MONOTONIC);

	CHECK(nanosleep(&req, NULL) == 0);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= 30 * 1000 * 1000);
	CHECK_ERR(nanosleep(&bad, NULL), EINVAL);
	CHECK_ERR(nanosleep(&neg, NULL), EINVAL);
	CHECK_ERR(nanosleep(g_low_addr, NULL), EFAULT);
	struct timespec zero = { 0, 0 };
	CHECK(nanosleep(&zero, NULL) == 0);
}

static void test_clock_nanosleep(void)
{
	struct timespec req = { 0, 20 * 1000 * 1000 }, abs;
	clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME };

	for (unsigned i = 0; i < 3; i++) {
		int64_t t0 = now_ns(clocks[i]);
		CHECK(clock_nanosleep(clocks[i], 0, &req, NULL) == 0);
		CHECK(now_ns(clocks[i]) - t0 >= 20 * 1000 * 1000);
	}
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) == 0);
	int64_t target = abs.tv_sec * 1000000000LL + abs.tv_nsec;
	CHECK(now_ns(CLOCK_MONOTONIC) >= target);
	/* A time already past returns at once. */
	abs.tv_sec = 0;
	abs.tv_nsec = 1;
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) == 0);
	/* glibc returns the error number itself. */
	CHECK(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL) == EINVAL);
	CHECK(clock_nanosleep(99, 0, &req, NULL) == EINVAL);
	struct timespec bad = { 0, -1 };
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL);
}

static void alarm_in_ms(int ms, int interval_ms)
{
	struct itimerval it = { { interval_ms / 1000, (interval_ms % 1000) * 1000 },
				{ ms / 1000, (ms % 1000) * 1000 } };

	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
}

static void test_eintr_remaining(void)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	g_alarms = 0;
	alarm_in_ms(50, 0);
	/* Even with SA_RESTART a sleep ends with EINTR and the time left. */
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK(g_alarms == 1);
	CHECK(rem.tv_sec == 1 && rem.tv_nsec > 0);
	alarm_in_ms(30, 0);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem) == EINTR);
	CHECK(rem.tv_sec == 1);
	signal(SIGALRM, SIG_DFL);
}

/* A child sleeping 600 ms is stopped and continued: the sleep goes on
 * (restart_syscall) rather than failing. */
static void test_sleep_across_stop(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec req = { 0, 600 * 1000 * 1000 };
		int64_t t0 = now_ns(CLOCK_MONOTONIC);
		int r = nanosleep(&req, NULL);
		_exit(r == 0 && now_ns(CLOCK_MONOTONIC) - t0 >= 600 * 1000 * 1000 ? 0 : 1);
	}
	usleep(50 * 1000);
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	usleep(20 * 1000);
	kill(pid, SIGCONT);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_itimer(void)
{
	struct itimerval it, old;
	sigset_t none;

	signal(SIGALRM, on_alarm);
	g_alarms = 0;
	alarm_in_ms(20, 20);
	CHECK(getitimer(ITIMER_REAL, &it) == 0);
	CHECK(it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 20000);
	CHECK(it.it_value.tv_sec == 0 && it.it_value.tv_usec > 0 && it.it_value.tv_usec <= 20000);
	sigemptyset(&none);
	while (g_alarms < 3)
		sigsuspend(&none);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_REAL, &off, &old) == 0);
	CHECK(old.it_interval.tv_usec == 20000);
	CHECK(getitimer(ITIMER_REAL, &it) == 0 && it.it_value.tv_sec == 0 &&
	      it.it_value.tv_usec == 0);
	/* A 1 us period must not swamp the kernel: let it run 50 ms, then stop.
	 * (Not under the qemu-user reference: its emulated signals cannot keep up.) */
	if (on_rivet()) {
		struct itimerval fast = { { 0, 1 }, { 0, 1 } };
		g_alarms = 0;
		CHECK(setitimer(ITIMER_REAL, &fast, NULL) == 0);
		usleep(50 * 1000);
		CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
		CHECK(g_alarms > 0);
	}
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	CHECK_ERR(setitimer(ITIMER_REAL, &bad, NULL), EINVAL);
	CHECK_ERR(setitimer(5, &off, NULL), EINVAL);
	CHECK_ERR(getitimer(ITIMER_REAL, g_low_addr), EFAULT);

	/* alarm is setitimer underneath; it returns the seconds that were left. */
	g_alarms = 0;
	CHECK(alarm(5) == 0);
	CHECK(alarm(1) >= 4);
	while (g_alarms == 0)
		sigsuspend(&none);
	CHECK(alarm(0) == 0);
	signal(SIGALRM, SIG_DFL);
}

/* SIGALRM with the default action ends the process. */
static void test_alarm_kills(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		alarm_in_ms(20, 0);
		for (;;)
			sigsuspend(&none);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
}

/* POSIX timers: SI_TIMER siginfo with the sigev_value, periods, overruns
 * while the signal is blocked, SIGEV_NONE, deletion. */
static void test_posix_timers(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1,
				.sigev_value.sival_int = 0x1234 };
	struct itimerspec its = { { 0, 20 * 1000 * 1000 }, { 0, 20 * 1000 * 1000 } }, cur;
	sigset_t set;
	siginfo_t si;
	timer_t t, quiet;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
	sev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_REALTIME, &sev, &quiet) == 0);
	CHECK(timer_settime(t, 0, &its, NULL) == 0);
	CHECK(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_nsec == 20 * 1000 * 1000 &&
	      cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR1);
	CHECK(si.si_code == SI_TIMER && si.si_value.sival_int == 0x1234);
	usleep(120 * 1000); /* blocked: expiries pile up as overruns */
	CHECK(sigwaitinfo(&set, &si) == SIGUSR1 && si.si_code == SI_TIMER && si.si_overrun >= 2);

	its.it_interval.tv_nsec = 0;
	its.it_value.tv_sec = 5;
	its.it_value.tv_nsec = 0;
	CHECK(timer_settime(quiet, 0, &its, NULL) == 0);
	CHECK(timer_gettime(quiet, &cur) == 0 && cur.it_value.tv_sec == 4);
	its.it_value.tv_nsec = 1000000000;
	CHECK_ERR(timer_settime(quiet, 0, &its, NULL), EINVAL);
	CHECK(timer_delete(quiet) == 0);
	CHECK(timer_delete(t) == 0);
	CHECK_ERR(timer_gettime(t, &cur), EINVAL);
	CHECK_ERR(timer_delete(t), EINVAL);
	CHECK_ERR(timer_create(99, &sev, &t), EINVAL);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 99;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &sev, &t), EINVAL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(void)
{
	test_nanosleep();
	test_clock_nanosleep();
	test_eintr_remaining();
	test_sleep_across_stop();
	test_itimer();
	test_alarm_kills();
	test_posix_timers();
	return check_done("test_sleep");
}
