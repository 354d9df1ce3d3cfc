/* Host stand-ins for the kernel services the frame sources under test call:
 * panic prints and aborts, klog goes to stderr (only with RIVET_TEST_VERBOSE
 * set), spinlocks only check that they are balanced and never taken twice,
 * and strlcpy (not in glibc 2.36) is the frame's own, built renamed. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <frame/log.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include "host_compat.h"
#include "rivet_string.h"
#include "stubs.h"
#include "test.h"

int t_passed, t_failed;
int host_locks_held;
unsigned long host_klog_calls;

void panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

void kvlog(enum log_level level, const char *fmt, va_list ap)
{
	host_klog_calls++;
	if (getenv("RIVET_TEST_VERBOSE")) {
		fprintf(stderr, "klog<%d>: ", (int)level);
		vfprintf(stderr, fmt, ap);
	}
}

void klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvlog(level, fmt, ap);
	va_end(ap);
}

void spin_lock(spinlock_t *lock)
{
	if (lock->locked)
		panic("spinlock %s taken twice (deadlock on a real hart)", lock->name);
	lock->locked = 1;
	host_locks_held++;
}

void spin_unlock(spinlock_t *lock)
{
	if (!lock->locked)
		panic("spinlock %s released while free", lock->name);
	lock->locked = 0;
	host_locks_held--;
}

unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	spin_lock(lock);
	return 0x2; /* a made-up sstatus.SIE, handed back on restore */
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	if (flags != 0x2)
		panic("spinlock %s: irq flags 0x%lx were not the ones saved", lock->name, flags);
	spin_unlock(lock);
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	return rivet_strlcpy(dst, src, size);
}

/* Runs fn(arg) in a child with its stderr captured in out; returns the
 * wait status, or -1. */
static int run_child(void (*fn)(void *), void *arg, char *out, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	out[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while (len < size - 1 && (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void describe(int status, char *buf, size_t size)
{
	if (status == -1)
		snprintf(buf, size, "could not be run");
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "exited with %d", WEXITSTATUS(status));
}

void expect_panic(const char *what, void (*fn)(void *), void *arg, const char *want)
{
	char out[8192], how[64];
	int status = run_child(fn, arg, out, sizeof(out));

	describe(status, how, sizeof(how));
	CHECK_MSG(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
			  strstr(out, "panic: ") && strstr(out, want),
		  "%s: expected a panic mentioning \"%s\"; the child %s, saying:\n%s", what, want,
		  how, out);
}

void expect_exit(const char *what, void (*fn)(void *), void *arg, int code)
{
	char out[8192], how[64];
	int status = run_child(fn, arg, out, sizeof(out));

	describe(status, how, sizeof(how));
	CHECK_MSG(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code,
		  "%s: expected exit %d; the child %s, saying:\n%s", what, code, how, out);
}

int test_done(const char *name)
{
	CHECK_MSG(host_locks_held == 0, "%d spinlocks still held", host_locks_held);
	printf("%s: %d passed, %d failed\n", name, t_passed, t_failed);
	return t_failed ? 1 : 0;
}
