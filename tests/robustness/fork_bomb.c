/* A fork bomb, as root: every process forks until fork fails, then waits.
 * It must end in EAGAIN from the kernel's thread cap (threads-max; root is
 * exempt from RLIMIT_NPROC), not in ENOMEM or a dead kernel, and once the
 * bomb is released every process goes and the memory comes back (the
 * caller, robustness_tests.py, reads /proc/meminfo around it).
 *
 *   fork_bomb    -> "fork_bomb: N processes at the cap of M, every refused fork EAGAIN"
 *
 * Rivet only: on the build machine this would be a fork bomb. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc_number.h"

#define FORKS_EACH 64 /* a bound, so a kernel without a cap ends too */

struct shared {
	volatile int stop;          /* the coordinator says: fork no more */
};

/* One process of the bomb: fork until refused (children do the same),
 * report the errno of the refusal, wait for the release (EOF on it). */
static void __attribute__((noreturn)) bomb(struct shared *sh, int report, int release)
{
	unsigned char err = 0;
	char c;

	for (int i = 0; i < FORKS_EACH && !sh->stop; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			err = (unsigned char)errno;
			break;
		}
	}
	if (write(report, &err, 1) != 1)
		_exit(2);
	while (read(release, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int main(void)
{
	struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int report[2], release[2];
	long max = read_proc_number("/proc/sys/kernel/threads-max");
	long processes = 0, eagain = 0, other = 0, unrefused = 0;
	int other_errno = 0;
	unsigned char err;

	if (sh == MAP_FAILED || pipe(report) || pipe(release))
		return 3;
	fflush(stdout);
	pid_t root = fork();
	if (root == 0) {
		close(report[0]);
		close(release[1]);
		bomb(sh, report[1], release[0]);
	}
	close(report[1]);
	close(release[0]);
	/* The first refusal means the bomb reached the cap: stop it there. */
	while (read(report[0], &err, 1) == 1) {
		processes++;
		if (err == EAGAIN)
			eagain++;
		else if (err)
			other++, other_errno = err;
		else
			unrefused++;
		if (err && !sh->stop) {
			sh->stop = 1;
			sleep(1); /* those still forking meet the cap or the flag */
			close(release[1]); /* everyone may go now */
		}
	}
	if (!sh->stop)
		close(release[1]);
	waitpid(root, NULL, 0);
	printf("fork_bomb: %ld processes (threads-max %ld): %ld refused with EAGAIN, %ld with"
	       " another errno%s%s, %ld stopped by the flag or their bound\n",
	       processes, max, eagain, other, other ? ": " : "", other ? strerror(other_errno) : "",
	       unrefused);
	if (eagain == 0 || other != 0) {
		printf("fork_bomb: FAILED: the bomb must end in EAGAIN only\n");
		return 1;
	}
	return 0;
}
