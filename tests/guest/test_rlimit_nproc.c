/* RLIMIT_NPROC against Linux: a user (real uid) with the limit at N can
 * have N threads; fork and pthread-less clone beyond that give EAGAIN, and
 * the slot comes back once a child is reaped. Root is exempt (Linux's
 * INIT_USER and CAP_SYS_RESOURCE rule; checked on Rivet only, since a
 * container's root may be neither). The system-wide cap is tested by the
 * fork bomb in tests/robustness, which would be unkind to the host here. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define LIMIT 16
#define UID 54321 /* a user with no processes of its own anywhere */

/* Children that wait for the end of the test on a pipe. */
static pid_t spawn_waiter(const int release[2])
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(release[1]);
		read(release[0], &c, 1);
		_exit(0);
	}
	return pid;
}

/* fork gives EAGAIN (a child it makes anyway ends at once). */
static bool fork_refused(void)
{
	errno = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return pid == -1 && errno == EAGAIN;
}

/* Runs as UID with RLIMIT_NPROC = LIMIT: it is one thread of the user
 * itself, so LIMIT - 1 children fit (fewer under qemu-riscv64, whose
 * processes have helper threads: Linux counts threads, and a qemu child
 * that cannot start its own may abort with "Bail out!"). Exit status:
 * 0, or the step that failed. */
static int as_user(void)
{
	struct rlimit rl = { LIMIT, LIMIT };
	pid_t kids[LIMIT];
	int rel[2], n, status;

	if (setrlimit(RLIMIT_NPROC, &rl) != 0 || pipe(rel) != 0)
		return 10;
	if (setuid(UID) != 0)
		return 11;
	for (n = 0; n < LIMIT; n++) {
		errno = 0;
		if ((kids[n] = spawn_waiter(rel)) < 0)
			break;
	}
	if (n == 0 || n == LIMIT || errno != EAGAIN)
		return printf("%d children, then errno %d\n", n, errno), 20; /* the limit held, with EAGAIN */
	if (on_rivet() && n != LIMIT - 1)
		return 21;
	kill(kids[0], SIGKILL);
	if (on_rivet()) {
		/* A zombie still counts, until it is reaped. */
		usleep(100 * 1000);
		if (!fork_refused())
			return 31;
	}
	if (waitpid(kids[0], &status, 0) != kids[0])
		return 32;
	if ((kids[0] = spawn_waiter(rel)) < 0)
		return 33; /* the reaped child's slot is free again */
	close(rel[1]);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], &status, 0);
	return 0;
}

static void test_user_limit(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(as_user());
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFEXITED(status) && WEXITSTATUS(status))
		printf("as_user failed at step %d\n", WEXITSTATUS(status));
}

/* Root forks past its own RLIMIT_NPROC. */
static void test_root_exempt(void)
{
	struct rlimit rl = { 1, 1 }, old;
	int status;

	CHECK(getrlimit(RLIMIT_NPROC, &old) == 0);
	CHECK(setrlimit(RLIMIT_NPROC, &rl) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(setrlimit(RLIMIT_NPROC, &old) == 0);
}

/* The default limit is finite and at most the system's cap. */
static void test_default(void)
{
	struct rlimit rl;

	CHECK(getrlimit(RLIMIT_NPROC, &rl) == 0);
	CHECK(rl.rlim_cur > LIMIT && rl.rlim_cur <= rl.rlim_max);
	if (on_rivet()) {
		mkdir("/proc", 0555); /* we may be init, before anyone mounted it */
		mount("proc", "/proc", "proc", 0, NULL);
		FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
		long max = 0;
		CHECK(f && fscanf(f, "%ld", &max) == 1);
		CHECK((long)rl.rlim_cur == max / 2); /* Linux's init value */
		if (f)
			fclose(f);
	}
}

int main(void)
{
	if (geteuid() != 0) {
		printf("not root: RLIMIT_NPROC checks skipped\n");
		CHECK(1);
		return check_done("test_rlimit_nproc");
	}
	test_default();
	test_user_limit();
	if (on_rivet())
		test_root_exempt();
	return check_done("test_rlimit_nproc");
}
