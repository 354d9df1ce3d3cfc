/* The floating-point registers belong to each user context: a value held
 * in an FP register survives switches to another process that uses the
 * registers too, a signal handler that changes them, fork (the child
 * starts with the parent's values and its changes stay its own), and a
 * thread of the same process. The kernel loads them lazily (frame/user),
 * so each of these is a way a stale load would show. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* Keeps x in fa0 (f10) across a yield that lets others run: the compiler
 * cannot move it to memory around the asm. */
static double hold_across_yield(double x, int yields)
{
	register double r __asm__("fa0") = x;
	for (int i = 0; i < yields; i++) {
		__asm__ volatile("" : "+f"(r));
		sched_yield();
		__asm__ volatile("" : "+f"(r));
	}
	return r;
}

/* Writes v into every FP register the handler can reach, and fcsr. */
static void clobber_fp(double v)
{
	register double a0 __asm__("fa0") = v, a1 __asm__("fa1") = v, s0 __asm__("fs0") = v;
	register double t0 __asm__("ft0") = v, s1 __asm__("fs1") = v;
	__asm__ volatile("fsrm %0" : : "r"(2)); /* round down */
	__asm__ volatile("" : "+f"(a0), "+f"(a1), "+f"(s0), "+f"(t0), "+f"(s1));
}

static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	clobber_fp(-1.0);
	handled = 1;
}

static void check_signal(void)
{
	register double keep __asm__("fs1") = 3.25;
	unsigned frm_before, frm_after;
	__asm__ volatile("frrm %0" : "=r"(frm_before));
	signal(SIGUSR1, on_usr1);
	__asm__ volatile("" : "+f"(keep));
	kill(getpid(), SIGUSR1);
	__asm__ volatile("" : "+f"(keep));
	__asm__ volatile("frrm %0" : "=r"(frm_after));
	CHECK(handled);
	CHECK(keep == 3.25);
	CHECK(frm_after == frm_before);
}

static void check_processes(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		/* The child: its own values in the same registers. */
		double mine = hold_across_yield(-7.5, 200);
		_exit(mine == -7.5 ? 0 : 1);
	}
	double ours = hold_across_yield(11.0, 200);
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(ours == 11.0);
	close(fds[0]);
	close(fds[1]);
}

static void check_fork_inherits(void)
{
	register double v __asm__("fs2") = 42.5;
	__asm__ volatile("" : "+f"(v));
	pid_t pid = fork();
	if (pid == 0) {
		__asm__ volatile("" : "+f"(v));
		int ok = v == 42.5;
		clobber_fp(9.0);
		_exit(ok ? 0 : 1);
	}
	int status = -1;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	__asm__ volatile("" : "+f"(v));
	CHECK(v == 42.5);
}

static void *thread_body(void *arg)
{
	double got = hold_across_yield(*(double *)arg, 100);
	return (void *)(intptr_t)(got == *(double *)arg);
}

static void check_threads(void)
{
	pthread_t t;
	double theirs = 0.125;
	void *ok = NULL;
	CHECK(pthread_create(&t, NULL, thread_body, &theirs) == 0);
	double ours = hold_across_yield(64.0, 100);
	CHECK(pthread_join(t, &ok) == 0);
	CHECK(ok == (void *)1);
	CHECK(ours == 64.0);
}

int main(void)
{
	check_signal();
	check_processes();
	check_fork_inherits();
	check_threads();
	return check_done("test_fpu");
}
