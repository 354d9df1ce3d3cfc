/* Processes that map and touch more memory than there is. Each case must
 * end in an OOM kill (SIGKILL) of the biggest process, never a dead
 * kernel; robustness_tests.py checks the kernel's "Out of memory: Killed
 * process N (comm)" lines and that MemFree comes back afterwards.
 *
 *   mem_hog alone     one process touches free memory + 64 MiB: it is killed
 *   mem_hog biggest   a sleeping process holds 60% of free memory; another
 *                     then touches 50%: the sleeper (the bigger) is killed,
 *                     the toucher finishes
 *
 * Rivet only: on the build machine it would eat the host's memory. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static unsigned long free_bytes(void)
{
	struct sysinfo si;

	return sysinfo(&si) == 0 ? si.freeram * si.mem_unit : 0;
}

/* Touches len bytes of fresh anonymous memory, a page at a time. */
static void touch(unsigned long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(3);
	}
	for (unsigned long off = 0; off < len; off += PAGE)
		p[off] = 1;
}

static const char *how(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by %s", strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "exited with %d", WEXITSTATUS(status));
	return buf;
}

static int alone(void)
{
	unsigned long want = free_bytes() + (64UL << 20);
	char buf[64];
	int status;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		touch(want);
		_exit(0); /* all of it fitted: there is no OOM killer */
	}
	printf("mem_hog: pid %d touches %lu MiB\n", pid, want >> 20);
	waitpid(pid, &status, 0);
	printf("mem_hog: alone: %s\n", how(status, buf, sizeof(buf)));
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1;
}

static int biggest(void)
{
	unsigned long avail = free_bytes();
	int ready[2], status_a, status_b;
	char c = 0, buf_a[64], buf_b[64];

	if (pipe(ready))
		return 3;
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		touch(avail / 10 * 6);
		write(ready[1], &c, 1);
		for (;;)
			pause();
	}
	if (read(ready[0], &c, 1) != 1)
		return 4;
	pid_t b = fork();
	if (b == 0) {
		touch(avail / 2);
		_exit(0);
	}
	printf("mem_hog: pid %d holds %lu MiB, pid %d touches %lu MiB\n", a, avail / 10 * 6 >> 20,
	       b, avail / 2 >> 20);
	waitpid(b, &status_b, 0);
	kill(a, SIGKILL); /* if the killer spared it */
	waitpid(a, &status_a, 0);
	printf("mem_hog: biggest: holder %s, toucher %s\n", how(status_a, buf_a, sizeof(buf_a)),
	       how(status_b, buf_b, sizeof(buf_b)));
	bool ok = WIFEXITED(status_b) && WEXITSTATUS(status_b) == 0 && WIFSIGNALED(status_a);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "alone"))
		return alone();
	if (argc == 2 && !strcmp(argv[1], "biggest"))
		return biggest();
	fprintf(stderr, "usage: %s alone|biggest\n", argv[0]);
	return 2;
}
