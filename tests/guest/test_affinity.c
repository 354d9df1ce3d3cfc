/* CPU affinity is enforced: a thread pinned to a cpu runs there (getcpu)
 * from the moment sched_setaffinity returns, through yields and sleeps; the
 * threads and children it makes inherit the mask and stay in it; another
 * thread's mask is its own (tids, not processes), and that thread, running
 * elsewhere, is on its new cpu by the time the call returns;
 * the sizes and errors are Linux's. Meaningful with several cpus (the
 * smp4 run, or the Linux host); on one cpu the pinning checks hold
 * trivially. The host may have any number of cpus, so every cpu used is
 * taken from the mask the test starts with. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define MAX_TRIED 8 /* cpus pinned to one after the other */

static cpu_set_t start_set; /* what the test may use */
static int cpus[MAX_TRIED], ncpus;

static int cpu_now(void)
{
	unsigned c;

	return getcpu(&c, NULL) == 0 ? (int)c : -1;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int pin(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set);
}

static bool mask_is(pid_t tid, int cpu)
{
	cpu_set_t set;

	return sched_getaffinity(tid, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 &&
	       CPU_ISSET(cpu, &set);
}

static void unpin(void)
{
	CHECK(sched_setaffinity(0, sizeof(start_set), &start_set) == 0);
}

/* Yields and short sleeps (each a chance to be placed or stolen
 * elsewhere); returns how often the thread was seen off cpu. */
static int wander(int cpu, int rounds)
{
	int off = 0;

	for (int i = 0; i < rounds; i++) {
		if (i % 4 == 3)
			usleep(200);
		else
			sched_yield();
		off += cpu_now() != cpu;
	}
	return off;
}

/* --- the caller pins itself to each cpu in turn ------------------------- */

static void test_self(void)
{
	for (int i = 0; i < ncpus; i++) {
		int c = cpus[i];
		CHECK(pin(0, c) == 0);
		CHECK(cpu_now() == c); /* moved before the call returned */
		CHECK(mask_is(0, c));
		CHECK(wander(c, 200) == 0);
	}
	unpin();
}

/* --- sizes and errors --------------------------------------------------- */

static void test_errors(void)
{
	cpu_set_t set;
	unsigned long word;

	CPU_ZERO(&set);
	CHECK_ERR(sched_setaffinity(0, sizeof(set), &set), EINVAL); /* empty */
	CPU_SET(CPU_SETSIZE - 1, &set); /* cpu 1023: no such cpu online */
	CHECK_ERR(sched_setaffinity(0, sizeof(set), &set), EINVAL);
	CHECK_ERR(pin(999999999, cpus[0]), ESRCH);
	CHECK_ERR(sched_setaffinity(0, sizeof(set), g_low_addr), EFAULT);
	/* A buffer shorter than cpu_set_t (one long: the kernel's size may be
	 * more) is zero-extended. Not one byte: qemu-user refuses sizes that
	 * are not whole longs, which Linux itself accepts. */
	if (cpus[ncpus - 1] < 64) {
		word = 1ul << cpus[ncpus - 1];
		CHECK(syscall(SYS_sched_setaffinity, 0, sizeof(word), &word) == 0);
		CHECK(mask_is(0, cpus[ncpus - 1]));
		CHECK(cpu_now() == cpus[ncpus - 1]);
	}
	/* The answer's size: whole longs, no more than asked for. */
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	CHECK(n > 0 && n % sizeof(long) == 0 && n <= (long)sizeof(set));
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, sizeof(long) + 1, &set), EINVAL);
	unpin();
}

/* --- threads and children inherit the caller's mask --------------------- */

static int thread_cpu;

static void *pinned_thread(void *arg)
{
	(void)arg;
	if (!mask_is(0, thread_cpu))
		return (void *)1L;
	return (void *)(long)(wander(thread_cpu, 300) ? 2 : 0);
}

static void test_inherit(void)
{
	pthread_t t[4];
	int c = cpus[ncpus - 1];

	thread_cpu = c;
	CHECK(pin(0, c) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, pinned_thread, NULL) == 0);
	for (int i = 0; i < 4; i++) {
		void *ret = (void *)-1L;
		CHECK(pthread_join(t[i], &ret) == 0);
		CHECK(ret == NULL); /* 1: mask not inherited, 2: ran elsewhere */
	}
	pid_t pid = fork();
	if (pid == 0)
		_exit(mask_is(0, c) && wander(c, 200) == 0 ? 0 : 1);
	int st;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unpin();
}

/* --- another thread's mask: that thread alone, and it moves ------------- */

static volatile int other_tid, other_cpu = -1, target = -1, stop;
static volatile int on_target; /* getcpu calls on the target after the move */
static volatile int strayed;   /* ... and elsewhere: Linux moves it before the call returns */

static void *spinner(void *arg)
{
	(void)arg;
	other_tid = (int)syscall(SYS_gettid);
	while (!stop) {
		/* target is set after sched_setaffinity returned: a getcpu
		 * that follows its read runs after the move. */
		int want = __atomic_load_n(&target, __ATOMIC_ACQUIRE), c = cpu_now();
		other_cpu = c;
		if (want < 0)
			continue;
		if (c == want)
			on_target++;
		else
			strayed = 1;
	}
	return NULL;
}

static void test_other_thread(void)
{
	pthread_t t;
	cpu_set_t mine;
	double start;

	if (ncpus < 2)
		return;
	CHECK(pthread_create(&t, NULL, spinner, NULL) == 0);
	start = now();
	while ((!other_tid || other_cpu < 0) && now() - start < 10)
		usleep(1000);
	CHECK(other_tid && other_cpu >= 0);
	int c = other_cpu == cpus[0] ? cpus[1] : cpus[0]; /* not where it is */
	CHECK(pin(other_tid, c) == 0);
	CHECK(mask_is(other_tid, c));
	CHECK(sched_getaffinity(0, sizeof(mine), &mine) == 0 && CPU_EQUAL(&mine, &start_set));
	__atomic_store_n(&target, c, __ATOMIC_RELEASE);
	start = now();
	while (on_target < 300 && now() - start < 20)
		usleep(10000);
	stop = 1;
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(on_target >= 300);
	CHECK(!strayed);
}

/* --- two threads moving each other at once, over and over ------------- */

static volatile int cross_tid[2];
static volatile int cross_go;
static int cross_done;

static void *cross_mover(void *arg)
{
	int me = (int)(long)arg, fails = 0;

	cross_tid[me] = (int)syscall(SYS_gettid);
	while (!cross_go)
		;
	for (int i = 0; i < 300; i++)
		fails += pin(cross_tid[!me], cpus[(i + me) % ncpus]) != 0;
	/* Neither leaves before both are done: the other's tid must live. */
	__atomic_fetch_add(&cross_done, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&cross_done, __ATOMIC_ACQUIRE) < 2)
		sched_yield();
	return (void *)(long)fails;
}

static void test_cross_moves(void)
{
	pthread_t t[2];

	if (ncpus < 2)
		return;
	cross_go = 0;
	for (long i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, cross_mover, (void *)i) == 0);
	while (!cross_tid[0] || !cross_tid[1])
		usleep(1000);
	cross_go = 1;
	for (int i = 0; i < 2; i++) {
		void *fails = (void *)-1L;
		CHECK(pthread_join(t[i], &fails) == 0);
		CHECK(fails == NULL);
	}
}

/* --- Rivet's /proc shows the mask --------------------------------------- */

static void test_proc_status(void)
{
	char line[256], want[64];
	bool seen = false;
	int c = cpus[ncpus - 1];

	if (!on_rivet())
		return; /* the Linux oracle's /proc is the host's, seen through qemu */
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	CHECK(pin(0, c) == 0);
	snprintf(want, sizeof(want), "Cpus_allowed_list:\t%d\n", c);
	FILE *f = fopen("/proc/self/status", "r");
	CHECK(f != NULL);
	while (f && fgets(line, sizeof(line), f))
		seen |= strcmp(line, want) == 0;
	if (f)
		fclose(f);
	CHECK(seen);
	unpin();
}

int main(void)
{
	CHECK(sched_getaffinity(0, sizeof(start_set), &start_set) == 0);
	for (int c = 0; c < CPU_SETSIZE && ncpus < MAX_TRIED; c++)
		if (CPU_ISSET(c, &start_set))
			cpus[ncpus++] = c;
	CHECK(ncpus >= 1);
	if (!ncpus)
		return check_done("test_affinity");
	/* On Rivet the test's mask is every online hart. */
	if (on_rivet())
		CHECK(CPU_COUNT(&start_set) == sysconf(_SC_NPROCESSORS_ONLN));
	test_self();
	test_errors();
	test_inherit();
	test_other_thread();
	test_cross_moves();
	test_proc_status();
	printf("test_affinity: cpus used:");
	for (int i = 0; i < ncpus; i++)
		printf(" %d", cpus[i]);
	printf("\n");
	return check_done("test_affinity");
}
