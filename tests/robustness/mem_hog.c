/* Processes that map and touch more memory than there is. Each case must
 * end in an OOM kill (SIGKILL) of the biggest process, never a dead
 * kernel; robustness_tests.py checks the kernel's "Out of memory: Killed
 * process N (comm)" lines and that MemFree comes back afterwards.
 *
 *   mem_hog alone     one process touches free memory + 64 MiB: it is killed
 *   mem_hog biggest   a sleeping process holds 60% of free memory; another
 *                     then touches 50%: the sleeper (the bigger) is killed,
 *                     the toucher finishes
 *   mem_hog exempt    as biggest, but the sleeper's oom_score_adj is -1000:
 *                     the toucher is killed instead, the sleeper lives
 *   mem_hog preferred a sleeper holds 40% (adj 0), a smaller one 25% with
 *                     oom_score_adj 1000, a third touches 45%: the smaller
 *                     sleeper is the one killed, the toucher finishes; the
 *                     sleepers' /proc/PID/oom_score are printed before
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

/* Sets the calling process's /proc/self/oom_score_adj (it is root). */
static void set_adj(int adj)
{
	FILE *f = fopen("/proc/self/oom_score_adj", "w");

	if (!f || fprintf(f, "%d\n", adj) < 0 || fclose(f) != 0) {
		perror("oom_score_adj");
		_exit(5);
	}
}

static long oom_score(pid_t pid)
{
	char path[64];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/oom_score", pid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* A child that sets its adj, touches len bytes, says so and sleeps. */
static pid_t holder(unsigned long len, int adj)
{
	int ready[2];
	char c = 0;
	pid_t pid;

	if (pipe(ready))
		_exit(3);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		set_adj(adj);
		touch(len);
		write(ready[1], &c, 1);
		for (;;)
			pause();
	}
	if (read(ready[0], &c, 1) != 1)
		_exit(4);
	close(ready[0]);
	close(ready[1]);
	return pid;
}

/* A child that touches len bytes and exits 0 (if it is not killed). */
static pid_t toucher(unsigned long len)
{
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		touch(len);
		_exit(0);
	}
	return pid;
}

static bool killed(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

static int exempt(void)
{
	unsigned long avail = free_bytes();
	pid_t a = holder(avail / 10 * 6, -1000), b;
	int status_a, status_b;
	char buf_a[64], buf_b[64];

	printf("mem_hog: pid %d holds %lu MiB (oom_score_adj -1000, oom_score %ld), ", a,
	       avail / 10 * 6 >> 20, oom_score(a));
	b = toucher(avail / 2);
	printf("pid %d touches %lu MiB\n", b, avail / 2 >> 20);
	waitpid(b, &status_b, 0);
	usleep(100 * 1000); /* a wrong kill of the holder would be pending by now */
	bool holder_alive = waitpid(a, &status_a, WNOHANG) == 0;
	kill(a, SIGKILL);
	waitpid(a, &status_a, 0);
	printf("mem_hog: exempt: holder %s, toucher %s\n",
	       holder_alive ? "alive" : how(status_a, buf_a, sizeof(buf_a)),
	       how(status_b, buf_b, sizeof(buf_b)));
	return holder_alive && killed(status_b) ? 0 : 1;
}

static int preferred(void)
{
	unsigned long avail = free_bytes();
	pid_t a = holder(avail / 10 * 4, 0);
	pid_t b = holder(avail / 4, 1000), c;
	int status_a, status_b, status_c;
	char buf_a[64], buf_b[64], buf_c[64];

	printf("mem_hog: pid %d holds %lu MiB (oom_score %ld), pid %d holds %lu MiB"
	       " (oom_score_adj 1000, oom_score %ld), ", a, avail / 10 * 4 >> 20, oom_score(a), b,
	       avail / 4 >> 20, oom_score(b));
	c = toucher(avail / 20 * 9);
	printf("pid %d touches %lu MiB\n", c, avail / 20 * 9 >> 20);
	waitpid(c, &status_c, 0);
	usleep(100 * 1000);
	bool a_alive = waitpid(a, &status_a, WNOHANG) == 0;
	kill(a, SIGKILL);
	kill(b, SIGKILL); /* if the killer spared it */
	waitpid(a, &status_a, 0);
	waitpid(b, &status_b, 0);
	printf("mem_hog: preferred: big holder %s, small holder %s, toucher %s\n",
	       a_alive ? "alive" : how(status_a, buf_a, sizeof(buf_a)),
	       how(status_b, buf_b, sizeof(buf_b)), how(status_c, buf_c, sizeof(buf_c)));
	return a_alive && WIFEXITED(status_c) && WEXITSTATUS(status_c) == 0 ? 0 : 1;
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
	if (argc == 2 && !strcmp(argv[1], "exempt"))
		return exempt();
	if (argc == 2 && !strcmp(argv[1], "preferred"))
		return preferred();
	fprintf(stderr, "usage: %s alone|biggest|exempt|preferred\n", argv[0]);
	return 2;
}
