/* Waiting and job control against Linux: stop and continue seen by wait4
 * (WUNTRACED, WCONTINUED) and waitid (WSTOPPED, WCONTINUED, WNOWAIT,
 * siginfo), SIGCHLD with CLD_* codes, SA_NOCLDSTOP, SIGCHLD ignored reaps
 * children itself, waiting by process group, an orphan's exit signal, and
 * argument errors. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/prctl.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* The Linux reference is qemu-user, which emulates a few things itself. */
/* Waits for signals forever (glibc's pause is ppoll, not ours to rely on). */
static void __attribute__((noreturn)) idle(void)
{
	sigset_t none;

	sigemptyset(&none);
	for (;;)
		sigsuspend(&none);
}

static volatile int g_chld, g_chld_code, g_chld_pid, g_chld_status;

static void chld_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	g_chld++;
	g_chld_code = si->si_code;
	g_chld_pid = si->si_pid;
	g_chld_status = si->si_status;
}

static void on_chld(int flags)
{
	struct sigaction sa = { .sa_sigaction = chld_handler, .sa_flags = SA_SIGINFO | SA_RESTART | flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

static void ms_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* The SIGCHLD may trail the wait that saw the change (it does under a
 * loaded qemu-user): give it up to two seconds. */
static void wait_chld(int count, int code)
{
	for (int i = 0; i < 400 && (g_chld < count || g_chld_code != code); i++)
		ms_sleep(5);
}

/* A child idling in a group of its own: a group whose parent is in
 * another group of the session is not orphaned, so SIGTSTP stops it
 * (the test may run as init, whose own group is orphaned). */
static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		idle();
	}
	setpgid(pid, pid);
	return pid;
}

static void test_stop_continue(void)
{
	int status;
	pid_t pid;

	on_chld(0);
	pid = idle_child();
	g_chld = 0;
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	wait_chld(1, CLD_STOPPED);
	CHECK(g_chld == 1 && g_chld_code == CLD_STOPPED && g_chld_pid == pid &&
	      g_chld_status == SIGSTOP);
	CHECK(waitpid(pid, &status, WUNTRACED | WNOHANG) == 0); /* reported once */
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	wait_chld(2, CLD_CONTINUED);
	CHECK(g_chld == 2 && g_chld_code == CLD_CONTINUED && g_chld_status == SIGCONT);

	/* waitid: WNOWAIT leaves the report for the next wait. */
	siginfo_t si;
	CHECK(kill(pid, SIGTSTP) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT) == 0);
	CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_STOPPED && si.si_pid == pid &&
	      si.si_status == SIGTSTP);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WSTOPPED | WNOHANG) == 0 && si.si_pid == 0);
	/* A stopped process still dies of SIGKILL. */
	CHECK(kill(pid, SIGKILL) == 0);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
	CHECK(si.si_code == CLD_KILLED && si.si_status == SIGKILL && si.si_pid == pid);
	wait_chld(4, CLD_KILLED);
	/* SIGKILL woke it without a CLD_CONTINUED report. */
	CHECK(g_chld == 4 && g_chld_code == CLD_KILLED && g_chld_status == SIGKILL);
	CHECK_ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

static void test_nocldstop(void)
{
	int status;
	pid_t pid;

	on_chld(SA_NOCLDSTOP);
	g_chld = 0;
	pid = idle_child();
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	kill(pid, SIGTERM); /* pending while stopped */
	kill(pid, SIGCONT);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	wait_chld(1, CLD_KILLED);
	/* Only the exit is signalled. qemu-user forwards the stop and continue
	 * too, and its host SIGCHLDs coalesce, so the reference cannot tell. */
	if (on_rivet())
		CHECK(g_chld == 1 && g_chld_code == CLD_KILLED && g_chld_status == SIGTERM);
	signal(SIGCHLD, SIG_DFL);
}

static void test_exit_info(void)
{
	siginfo_t si;
	pid_t pid = fork();

	if (pid == 0)
		_exit(9);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0 && si.si_code == CLD_EXITED &&
	      si.si_status == 9);
	memset(&si, 0, sizeof(si));
	CHECK(waitid(P_PID, pid, &si, WEXITED) == 0 && si.si_pid == pid && si.si_status == 9);
	CHECK_ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
}

static void test_ignored_sigchld(void)
{
	int status;
	pid_t pid;

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(1);
	/* No zombie is left: wait finds no child once it has gone. */
	CHECK_ERR(waitpid(pid, &status, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

static void test_by_group(void)
{
	int status;
	pid_t a, b;

	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		ms_sleep(20);
		_exit(2);
	}
	setpgid(a, a);
	b = fork();
	if (b == 0) {
		setpgid(0, a); /* joins a's group */
		ms_sleep(40);
		_exit(3);
	}
	setpgid(b, a);
	CHECK(getpgid(b) == a);
	CHECK_ERR(waitpid(0, &status, WNOHANG), ECHILD); /* none is in our own group */
	/* Both come back through their group, in whichever order they end. */
	for (int i = 0; i < 2; i++) {
		pid_t got = waitpid(-a, &status, 0);
		CHECK((got == a && WEXITSTATUS(status) == 2) || (got == b && WEXITSTATUS(status) == 3));
	}
	CHECK_ERR(waitpid(-a, &status, 0), ECHILD);

	/* kill to a group: both members get it. */
	a = idle_child();
	setpgid(a, a);
	b = fork();
	if (b == 0) {
		idle();
	}
	setpgid(b, a);
	CHECK(kill(-a, SIGUSR1) == 0);
	CHECK(waitpid(a, &status, 0) == a && WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	CHECK(waitpid(b, &status, 0) == b && WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	CHECK_ERR(kill(-a, SIGUSR1), ESRCH);
}

static volatile int g_usr1;

static void count_usr1(int sig)
{
	(void)sig;
	g_usr1++;
}

/* A child made with an exit signal other than SIGCHLD sends that one to its
 * parent, but once orphaned it sends SIGCHLD to whoever adopts it: nobody
 * may kill init (or a subreaper) by leaving it a child (Linux's
 * reparent_leader). We adopt it either way: as pid 1 under Rivet, as a
 * subreaper under Linux. */
static void test_orphan_exit_signal(void)
{
	int p[2], status;
	pid_t grandchild = 0;

	if (getpid() != 1 && prctl(36 /* PR_SET_CHILD_SUBREAPER */, 1) != 0)
		return;
	signal(SIGUSR1, count_usr1);
	CHECK(pipe(p) == 0);
	pid_t child = fork();
	if (child == 0) {
		long pid = syscall(SYS_clone, SIGUSR1, 0, 0, 0, 0);
		if (pid == 0) {
			ms_sleep(200); /* its parent is gone by then */
			_exit(3);
		}
		write(p[1], &pid, sizeof(int));
		_exit(0);
	}
	CHECK(read(p[0], &grandchild, sizeof(int)) == sizeof(int) && grandchild > 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(waitpid(grandchild, &status, 0) == grandchild && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 3);
	CHECK(g_usr1 == 0);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]), close(p[1]);
	if (getpid() != 1)
		prctl(36, 0);
}

static void test_errors(void)
{
	siginfo_t si;
	int status;

	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);
	CHECK_ERR(waitpid(-1, &status, 0x100), EINVAL);
	CHECK_ERR(waitid(P_ALL, 0, &si, 0), EINVAL);
	CHECK_ERR(waitid(P_PID, 0, &si, WEXITED), EINVAL);
	CHECK_ERR(waitid(7, 0, &si, WEXITED), EINVAL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_ERR(waitpid(pid, g_low_addr, 0), EFAULT);
}

int main(void)
{
	test_stop_continue();
	test_nocldstop();
	test_exit_info();
	test_ignored_sigchld();
	test_by_group();
	test_orphan_exit_signal();
	test_errors();
	return check_done("test_wait");
}
