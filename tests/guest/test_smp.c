/* Many harts at once: threads and processes running side by side, futex
 * ping-pong between threads, fork storms, and the TLB shootdown proof: a
 * page unmapped (or made PROT_NONE) by one thread while another spins on it
 * must fault in the spinner as soon as munmap has returned, never show the
 * old data. Meaningful on any number of harts; the smp4 variant of the
 * guest suite runs it on 4. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NTHREADS 8
#define ADDS 20000

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --- threads counting together ----------------------------------------- */

static long atomic_total, locked_total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int start_flag;
static unsigned cpus_seen; /* bit per cpu number (getcpu), atomically or-ed */

static void *counter(void *arg)
{
	unsigned cpu = 0;

	(void)arg;
	while (!__atomic_load_n(&start_flag, __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < ADDS; i++) {
		__atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&total_lock);
		locked_total++;
		pthread_mutex_unlock(&total_lock);
		if (i % 1000 == 0 && getcpu(&cpu, NULL) == 0 && cpu < 32)
			__atomic_fetch_or(&cpus_seen, 1u << cpu, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_threads_count(void)
{
	pthread_t t[NTHREADS];
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	for (int i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, counter, NULL) == 0);
	__atomic_store_n(&start_flag, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(atomic_total == (long)NTHREADS * ADDS);
	CHECK(locked_total == (long)NTHREADS * ADDS);
	/* On Rivet with several harts the threads really ran on several. */
	if (on_rivet() && online > 1)
		CHECK(__builtin_popcount(cpus_seen) > 1);
}

/* --- the online harts as the affinity mask and /proc/cpuinfo say -------- */

static void test_cpu_count(void)
{
	cpu_set_t set;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	CHECK(online >= 1);
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0);
	CHECK(CPU_COUNT(&set) == online);
	if (on_rivet()) {
		/* Booted as init: /proc is not mounted yet (Linux's cpuinfo
		 * differs by architecture, so only Rivet's is counted). */
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		FILE *f = fopen("/proc/cpuinfo", "r");
		char line[256];
		long n = 0;
		CHECK(f != NULL);
		while (f && fgets(line, sizeof(line), f))
			n += strncmp(line, "processor", 9) == 0;
		if (f)
			fclose(f);
		CHECK(n == online);
	}
}

/* --- futex ping-pong: each side waits for the other's turn -------------- */

#define ROUNDS 2000
static uint32_t turn; /* 0: ping's turn, 1: pong's */

static long futex(uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void play(uint32_t mine, int *count)
{
	for (int i = 0; i < ROUNDS; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != mine)
			futex(&turn, FUTEX_WAIT_PRIVATE, !mine);
		(*count)++;
		__atomic_store_n(&turn, !mine, __ATOMIC_RELEASE);
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	}
}

static void *pong(void *arg)
{
	play(1, arg);
	return NULL;
}

static void test_futex_ping_pong(void)
{
	pthread_t t;
	int pings = 0, pongs = 0;
	double start = now();

	turn = 0;
	CHECK(pthread_create(&t, NULL, pong, &pongs) == 0);
	play(0, &pings);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(pings == ROUNDS && pongs == ROUNDS);
	CHECK(now() - start < 60); /* no lost wake-up left a side asleep */
}

/* --- unmapping under a spinning thread (TLB shootdown) ------------------ */

static volatile char *victim;
static volatile int change_done; /* set right after munmap/mprotect returned */
static volatile int spinner_ready;
static long stale_reads;         /* reads that succeeded after change_done */
static __thread sigjmp_buf spin_jump;
static __thread volatile int spinning;
static void *fault_addr;
static int fault_code;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	if (!spinning)
		abort();
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(spin_jump, 1);
}

static void *spinner(void *arg)
{
	long sum = 0;

	(void)arg;
	spinning = 1;
	if (sigsetjmp(spin_jump, 1) == 0) {
		for (;;) {
			/* The flag first: if the change is done, the load after it
			 * must fault; a stale TLB entry would let it read. */
			int done = __atomic_load_n(&change_done, __ATOMIC_ACQUIRE);
			sum += victim[0];
			if (done)
				stale_reads++;
			spinner_ready = 1;
		}
	}
	spinning = 0;
	return (void *)sum;
}

/* Unmaps (or protects) the page while a thread spins reading it. */
static void shootdown_case(bool unmap)
{
	pthread_t t;
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double start;

	CHECK(p != MAP_FAILED);
	p[0] = 42;
	victim = p;
	change_done = 0;
	spinner_ready = 0;
	stale_reads = 0;
	fault_addr = NULL;
	CHECK(pthread_create(&t, NULL, spinner, NULL) == 0);
	start = now();
	while (!spinner_ready && now() - start < 10)
		sched_yield();
	CHECK(spinner_ready);
	usleep(20000); /* let it spin (on another hart, if there is one) */
	CHECK((unmap ? munmap(p, 4096) : mprotect(p, 4096, PROT_NONE)) == 0);
	__atomic_store_n(&change_done, 1, __ATOMIC_RELEASE);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(stale_reads == 0);
	CHECK(fault_addr == p);
	CHECK(fault_code == (unmap ? SEGV_MAPERR : SEGV_ACCERR));
	if (!unmap)
		munmap(p, 4096);
}

static void test_shootdown(void)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
	for (int i = 0; i < 5; i++) {
		shootdown_case(true);
		shootdown_case(false);
	}
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigaction(SIGSEGV, &sa, NULL);
}

/* --- processes at once: a fork storm, each child forking again ---------- */

#define STORM 8
#define GRANDCHILDREN 4

static int grandchildren(int base)
{
	int ok = 0;

	for (int i = 0; i < GRANDCHILDREN; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit((base + i) & 0x7f);
		if (pid < 0)
			return 0;
	}
	for (int i = 0; i < GRANDCHILDREN; i++) {
		int st;
		pid_t pid = wait(&st);
		ok += pid > 0 && WIFEXITED(st);
	}
	return ok;
}

static void test_fork_storm(void)
{
	pid_t pids[STORM];
	int good = 0;

	for (int i = 0; i < STORM; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(grandchildren(i * 10) == GRANDCHILDREN ? 10 + i : 1);
		CHECK(pids[i] > 0);
	}
	for (int i = 0; i < STORM; i++) {
		int st;
		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 10 + i)
			good++;
	}
	CHECK(good == STORM);
	CHECK(wait(NULL) == -1 && errno == ECHILD);
}

/* --- copy-on-write after fork, with a thread writing meanwhile ---------- */

static volatile long cow_word;
static volatile int cow_stop;

static void *cow_writer(void *arg)
{
	(void)arg;
	while (!cow_stop)
		cow_word++;
	return NULL;
}

static void test_cow_with_threads(void)
{
	pthread_t t;

	cow_word = 0;
	cow_stop = 0;
	CHECK(pthread_create(&t, NULL, cow_writer, NULL) == 0);
	for (int i = 0; i < 8; i++) {
		long seen, later;
		pid_t pid = fork();
		if (pid == 0) {
			/* The child's copy is frozen: the parent's writer thread
			 * must not show through (it does not exist here). */
			seen = cow_word;
			usleep(30000);
			later = cow_word;
			_exit(seen == later ? 0 : 1);
		}
		int st;
		CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	cow_stop = 1;
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(cow_word > 0);
}

int main(void)
{
	test_cpu_count();
	test_threads_count();
	test_futex_ping_pong();
	test_shootdown();
	test_fork_storm();
	test_cow_with_threads();
	return check_done("test_smp");
}
