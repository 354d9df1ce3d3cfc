/* Process groups and sessions against Linux: setpgid's rules (ESRCH,
 * EPERM across sessions and for a session leader, EACCES after the child
 * exec'd, EINVAL), getpgid/getpgrp/getsid, setsid (EPERM for a group
 * leader), inheritance by fork. Checks run in children so the test does
 * not depend on where the harness put it. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* Runs fn in a child; its checks come back as the exit status. */
/* Waits for signals forever (glibc's pause is ppoll, not ours to rely on). */
static void __attribute__((noreturn)) idle(void)
{
	sigset_t none;

	sigemptyset(&none);
	for (;;)
		sigsuspend(&none);
}

static void in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		printf("FAIL: child check %d failed\n", WEXITSTATUS(status));
	CHECK(WEXITSTATUS(status) == 0);
}

static int new_session(void)
{
	pid_t me = getpid();

	if (getpgid(0) == me && setpgid(0, getppid()) != 0)
		return 1;
	if (setsid() != me)
		return 2;
	if (getsid(0) != me || getpgrp() != me || getpgid(me) != me)
		return 3;
	errno = 0;
	if (setsid() != -1 || errno != EPERM) /* a group (and session) leader */
		return 4;
	errno = 0;
	if (setpgid(0, 0) != -1 || errno != EPERM) /* a session leader cannot move */
		return 5;
	pid_t c = fork();
	if (c == 0)
		_exit(getsid(0) == me && getpgrp() == me ? 0 : 1);
	int st;
	waitpid(c, &st, 0);
	return WEXITSTATUS(st) ? 6 : 0;
}

static int group_leader_setsid(void)
{
	if (setpgid(0, 0) != 0)
		return 1;
	errno = 0;
	return setsid() == -1 && errno == EPERM ? 0 : 2;
}

static int child_rules(void)
{
	int st;
	pid_t parent_sid;

	if (setsid() < 0) /* own session: the rules below are about sessions */
		return 1;
	parent_sid = getsid(0);
	pid_t c = fork();
	if (c == 0) {
		idle();
	}
	if (setpgid(c, c) != 0 || getpgid(c) != c)
		return 2;
	if (setpgid(c, getpid()) != 0 || getpgid(c) != getpid()) /* back into ours */
		return 3;
	errno = 0;
	if (setpgid(c, 999999) != -1 || errno != EPERM) /* no such group here */
		return 4;
	errno = 0;
	if (setpgid(c, -1) != -1 || errno != EINVAL)
		return 5;
	errno = 0;
	if (setpgid(999999, 0) != -1 || errno != ESRCH)
		return 6;
	errno = 0;
	if (setpgid(getppid(), 0) != -1 || errno != ESRCH) /* not our child */
		return 7;
	/* A child in another session: EPERM. */
	pid_t d = fork();
	if (d == 0) {
		setsid();
		idle();
	}
	while (getsid(d) == parent_sid)
		usleep(1000);
	errno = 0;
	if (setpgid(d, d) != -1 || errno != EPERM)
		return 8;
	kill(c, SIGKILL);
	kill(d, SIGKILL);
	waitpid(c, &st, 0);
	waitpid(d, &st, 0);
	errno = 0;
	if (getpgid(999999) != -1 || errno != ESRCH)
		return 9;
	errno = 0;
	if (getsid(999999) != -1 || errno != ESRCH)
		return 10;
	return 0;
}

static pid_t g_main_pid;

static void hup_handler(int sig)
{
	(void)sig;
	kill(g_main_pid, SIGUSR1);
	_exit(0);
}

/* A leaves its session with a stopped child B in a group of B's own: the
 * group is orphaned by A's exit, so B gets SIGHUP and SIGCONT. */
static void test_orphaned_group(void)
{
	sigset_t usr1;
	struct timespec three = { 3, 0 };
	int st;

	g_main_pid = getpid();
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pid_t a = fork();
	if (a == 0) {
		setsid();
		pid_t b = fork();
		if (b == 0) {
			setpgid(0, 0);
			signal(SIGHUP, hup_handler);
			raise(SIGSTOP);
			idle();
		}
		waitpid(b, &st, WUNTRACED);
		_exit(WIFSTOPPED(st) ? 0 : 1);
	}
	CHECK(waitpid(a, &st, 0) == a && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(sigtimedwait(&usr1, NULL, &three) == SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

/* setpgid on a child after it exec'd: EACCES. */
static void test_after_exec(const char *self)
{
	int st;

	pid_t pid = fork();
	if (pid == 0) {
		char *const argv[] = { (char *)self, "sleeper", NULL };
		execv(self, argv);
		_exit(98);
	}
	usleep(200 * 1000);
	errno = 0;
	int r = setpgid(pid, pid);
	int err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (!on_rivet() && WIFEXITED(st) && WEXITSTATUS(st) == 98) {
		printf("SKIP: this Linux reference cannot exec riscv64 programs\n");
		return;
	}
	CHECK(r == -1 && err == EACCES);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sleeper") == 0) {
		idle();
	}
	CHECK(getpgrp() == getpgid(0) && getpgid(0) == getpgid(getpid()));
	/* A session led from outside our PID namespace reads as 0 (a CI container). */
	CHECK(getsid(0) == getsid(getpid()) && (on_rivet() ? getsid(0) > 0 : getsid(0) >= 0));
	in_child(new_session);
	in_child(group_leader_setsid);
	in_child(child_rules);
	test_orphaned_group();
	test_after_exec(argv[0]);
	return check_done("test_pgrp");
}
