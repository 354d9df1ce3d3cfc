/* Threads as glibc's pthreads use them: clone with the thread flags, tids,
 * shared memory and descriptors, futex-backed mutexes and condition
 * variables, thread-local storage, signals to the process and to one
 * thread, exit of one thread against exit_group, robust mutexes, and
 * posix_spawn (CLONE_VM|CLONE_VFORK). Linked with -pthread. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

static void *square(void *arg)
{
	return (void *)((uintptr_t)arg * (uintptr_t)arg);
}

static void test_create_join(void)
{
	pthread_t t[10];
	void *ret;

	for (uintptr_t i = 0; i < 10; i++)
		CHECK(pthread_create(&t[i], NULL, square, (void *)i) == 0);
	for (uintptr_t i = 0; i < 10; i++) {
		CHECK(pthread_join(t[i], &ret) == 0);
		CHECK((uintptr_t)ret == i * i);
	}
}

static atomic_int g_started;

static void *count_start(void *arg)
{
	(void)arg;
	atomic_fetch_add(&g_started, 1);
	return NULL;
}

/* More threads than a process usually has, all alive at once. */
static void test_many_threads(void)
{
	enum { N = 48 };
	pthread_t t[N];
	int made = 0;

	for (int i = 0; i < N; i++)
		made += pthread_create(&t[i], NULL, count_start, NULL) == 0;
	CHECK(made == N);
	for (int i = 0; i < made; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(atomic_load(&g_started) == N);
}

static long mem_free_kb(void)
{
	char buf[2048], *line;
	int fd;
	ssize_t len;

	/* A joined thread's task is freed once its hart has switched away
	 * from it (on another hart, a moment later): let that happen. */
	usleep(20000);
	fd = open("/proc/meminfo", O_RDONLY);
	len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	line = strstr(buf, "MemFree:");
	return line ? atol(line + 8) : -1;
}

/* Threads come and go without the kernel keeping anything of them (Rivet
 * only: elsewhere the host's free memory moves for its own reasons). */
static void test_no_leak(void)
{
	long before, after;
	pthread_t t;
	int ok = 0;

	for (int i = 0; i < 20; i++) /* warm glibc's stack cache */
		if (pthread_create(&t, NULL, count_start, NULL) == 0)
			pthread_join(t, NULL);
	before = mem_free_kb();
	for (int i = 0; i < 300; i++)
		ok += pthread_create(&t, NULL, count_start, NULL) == 0 && pthread_join(t, NULL) == 0;
	after = mem_free_kb();
	CHECK(ok == 300);
	printf("MemFree before %ld kB, after %ld kB\n", before, after);
	if (on_rivet() && before > 0)
		CHECK(after > before - 256);
	/* Threads that end on their first run, one after another while main
	 * waits: each exit switches to a task that never ran before (Rivet
	 * once lost the kernel stack of every such thread but the last). */
	before = mem_free_kb();
	ok = 0;
	for (int round = 0; round < 10; round++) {
		pthread_t batch[16];
		for (int i = 0; i < 16; i++)
			ok += pthread_create(&batch[i], NULL, count_start, NULL) == 0;
		for (int i = 0; i < 16; i++)
			pthread_join(batch[i], NULL);
	}
	after = mem_free_kb();
	CHECK(ok == 160);
	printf("MemFree before %ld kB, after %ld kB (batches)\n", before, after);
	if (on_rivet() && before > 0)
		CHECK(after > before - 256);
}

static int g_shared;
static int g_pipe[2];

static void *use_shared(void *arg)
{
	char c = 'x';

	(void)arg;
	g_shared = 1234; /* the same memory */
	/* The same descriptor table: a pipe the main thread made. */
	if (write(g_pipe[1], &c, 1) != 1)
		return (void *)1;
	return (void *)(intptr_t)pipe(g_pipe); /* new descriptors, seen by main */
}

static void test_shared_memory_and_fds(void)
{
	pthread_t t;
	void *ret;
	char c = 0;
	int old[2];

	CHECK(pipe(g_pipe) == 0);
	old[0] = g_pipe[0];
	old[1] = g_pipe[1];
	CHECK(pthread_create(&t, NULL, use_shared, NULL) == 0);
	CHECK(pthread_join(t, &ret) == 0 && ret == NULL);
	CHECK(g_shared == 1234);
	CHECK(read(old[0], &c, 1) == 1 && c == 'x');
	CHECK(fcntl(g_pipe[0], F_GETFD) >= 0 && fcntl(g_pipe[1], F_GETFD) >= 0);
	CHECK(g_pipe[0] != old[0]);
	for (int i = 0; i < 2; i++) {
		close(old[i]);
		close(g_pipe[i]);
	}
}

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static long g_counter;

static void *add_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&g_lock);
		long v = g_counter;
		if ((i & 63) == 0)
			sched_yield(); /* let others contend while we hold it */
		g_counter = v + 1;
		pthread_mutex_unlock(&g_lock);
	}
	return NULL;
}

static void test_mutex_contention(void)
{
	enum { N = 6 };
	pthread_t t[N];

	for (int i = 0; i < N; i++)
		CHECK(pthread_create(&t[i], NULL, add_many, NULL) == 0);
	for (int i = 0; i < N; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(g_counter == N * 5000L);
}

/* A bounded queue of one slot: producers and consumers wait on the cond. */
static int g_slot, g_full, g_consumed_sum;

static void *producer(void *arg)
{
	for (int i = 1; i <= 200; i++) {
		pthread_mutex_lock(&g_lock);
		while (g_full)
			pthread_cond_wait(&g_cond, &g_lock);
		g_slot = i * (int)(intptr_t)arg;
		g_full = 1;
		pthread_cond_broadcast(&g_cond);
		pthread_mutex_unlock(&g_lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&g_lock);
		while (!g_full)
			pthread_cond_wait(&g_cond, &g_lock);
		g_consumed_sum += g_slot;
		g_full = 0;
		pthread_cond_broadcast(&g_cond);
		pthread_mutex_unlock(&g_lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p[2], c[2];

	for (int i = 0; i < 2; i++) {
		CHECK(pthread_create(&p[i], NULL, producer, (void *)(intptr_t)(i + 1)) == 0);
		CHECK(pthread_create(&c[i], NULL, consumer, NULL) == 0);
	}
	for (int i = 0; i < 2; i++) {
		CHECK(pthread_join(p[i], NULL) == 0);
		CHECK(pthread_join(c[i], NULL) == 0);
	}
	CHECK(g_consumed_sum == 3 * 200 * 201 / 2);
}

static __thread int g_tls = 7;

static void *tls_thread(void *arg)
{
	uintptr_t tp = (uintptr_t)__builtin_thread_pointer();

	if (g_tls != 7) /* a fresh copy of the initial value */
		return (void *)1;
	g_tls = (int)(intptr_t)arg;
	sched_yield();
	if (g_tls != (int)(intptr_t)arg)
		return (void *)2;
	return (void *)tp;
}

static void test_tls(void)
{
	pthread_t t[3];
	void *tp[3];

	g_tls = 99;
	for (int i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, tls_thread, (void *)(intptr_t)(100 + i)) == 0);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], &tp[i]) == 0 && (uintptr_t)tp[i] > 2);
	CHECK(tp[0] != tp[1] && tp[1] != tp[2] && tp[0] != tp[2]);
	CHECK(tp[0] != __builtin_thread_pointer());
	CHECK(g_tls == 99);
}

struct ids {
	pid_t pid, tid;
};

static void *get_ids(void *arg)
{
	struct ids *ids = arg;

	ids->pid = getpid();
	ids->tid = gettid();
	return NULL;
}

static void test_ids(void)
{
	struct ids ids = { 0, 0 };
	pthread_t t;

	CHECK(gettid() == getpid()); /* the main thread leads the group */
	CHECK(pthread_create(&t, NULL, get_ids, &ids) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(ids.pid == getpid());
	CHECK(ids.tid != getpid() && ids.tid > 0);
	CHECK(syscall(SYS_tgkill, getpid(), gettid(), 0) == 0);
}

static atomic_int g_handled_by, g_ready, g_stop;

static void record_tid(int sig)
{
	(void)sig;
	atomic_store(&g_handled_by, gettid());
}

/* Waits with the signal unblocked until told to stop. */
static void *signal_taker(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	atomic_store(&g_ready, gettid());
	while (!atomic_load(&g_stop))
		usleep(1000);
	return NULL;
}

static bool wait_for(atomic_int *v, int timeout_ms)
{
	for (int i = 0; i < timeout_ms && !atomic_load(v); i++)
		usleep(1000);
	return atomic_load(v) != 0;
}

/* kill() to the process: the one thread that does not block it takes it. */
static void test_process_signal(void)
{
	struct sigaction sa = { .sa_handler = record_tid };
	sigset_t set, old;
	pthread_t t;

	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	atomic_store(&g_ready, 0);
	atomic_store(&g_stop, 0);
	atomic_store(&g_handled_by, 0);
	CHECK(pthread_create(&t, NULL, signal_taker, NULL) == 0);
	CHECK(wait_for(&g_ready, 5000));
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(wait_for(&g_handled_by, 5000));
	CHECK(atomic_load(&g_handled_by) == atomic_load(&g_ready));
	atomic_store(&g_stop, 1);
	CHECK(pthread_join(t, NULL) == 0);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static void *wait_usr1(void *arg)
{
	sigset_t set, pending;
	int sig = 0;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigpending(&pending) || !sigismember(&pending, SIGUSR1))
		return NULL; /* the process's pending signals are ours to see */
	return sigwait(&set, &sig) == 0 ? (void *)(intptr_t)sig : NULL;
}

/* A signal every thread blocks stays pending for the process: a thread
 * that asks for it later (sigwait) gets it. */
static void test_process_pending(void)
{
	sigset_t set, old, pending;
	pthread_t t;
	void *ret;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1));
	CHECK(pthread_create(&t, NULL, wait_usr1, NULL) == 0);
	CHECK(pthread_join(t, &ret) == 0 && (intptr_t)ret == SIGUSR1);
	CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1));
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void *sleeper(void *arg)
{
	(void)arg;
	atomic_store(&g_ready, gettid());
	while (!atomic_load(&g_stop))
		usleep(1000);
	return NULL;
}

/* pthread_kill (tgkill): that thread and no other runs the handler. */
static void test_pthread_kill(void)
{
	struct sigaction sa = { .sa_handler = record_tid };
	pthread_t t;

	sigaction(SIGUSR2, &sa, NULL); /* installed after the thread exists */
	atomic_store(&g_ready, 0);
	atomic_store(&g_stop, 0);
	atomic_store(&g_handled_by, 0);
	CHECK(pthread_create(&t, NULL, sleeper, NULL) == 0);
	CHECK(wait_for(&g_ready, 5000));
	CHECK(pthread_kill(t, SIGUSR2) == 0);
	CHECK(wait_for(&g_handled_by, 5000));
	CHECK(atomic_load(&g_handled_by) == atomic_load(&g_ready));
	CHECK(pthread_kill(t, 0) == 0);
	atomic_store(&g_stop, 1);
	CHECK(pthread_join(t, NULL) == 0);
	signal(SIGUSR2, SIG_DFL);
}

static void *exit_later(void *arg)
{
	usleep(20000);
	exit((int)(intptr_t)arg); /* exit_group: the whole process */
}

static void *exit_thread_only(void *arg)
{
	syscall(SYS_exit, (int)(intptr_t)arg); /* this thread alone */
	return (void *)1;
}

static void *kill_main(void *arg)
{
	pthread_kill(*(pthread_t *)arg, SIGTERM); /* default action: all die */
	for (;;)
		pause();
	return NULL;
}

static int run_child(void (*body)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		body();
		_exit(100);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* The main thread leaves first; the process lives on in the other. */
static void leader_exits_first(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exit_later, (void *)7);
	pthread_exit(NULL);
}

static void other_thread_exit_group(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exit_later, (void *)5);
	for (;;)
		pause(); /* exit_group ends this sleep */
}

static void raw_exit_one_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exit_thread_only, (void *)3);
	pthread_join(t, NULL); /* the clear_child_tid wake still happens */
	_exit(9);
}

static void fatal_signal_from_thread(void)
{
	pthread_t t, self = pthread_self();

	pthread_create(&t, NULL, kill_main, &self);
	for (;;)
		pause();
}

static void test_exit_semantics(void)
{
	int st = run_child(leader_exits_first);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	st = run_child(other_thread_exit_group);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	st = run_child(raw_exit_one_thread);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	st = run_child(fatal_signal_from_thread);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

static const char *g_self;

static void *exec_from_thread(void *arg)
{
	char *argv[] = { (char *)g_self, "exec-child", NULL };

	(void)arg;
	execve(g_self, argv, environ);
	_exit(errno == ENOEXEC ? 98 : 99);
}

/* execve from a thread other than the main one: the others die and the
 * new program runs as the process, with its pid (checked by exec-child). */
static void exec_in_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exec_from_thread, NULL);
	for (;;)
		pause();
}

static void test_exec_from_thread(void)
{
	int st = run_child(exec_in_thread);

	if (!on_rivet() && WIFEXITED(st) && WEXITSTATUS(st) == 98)
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
	else
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 44);
}

static void *change_fs(void *arg)
{
	(void)arg;
	umask(033);
	return (void *)(intptr_t)chdir("/dev");
}

/* CLONE_FS: a thread's chdir and umask are the process's. */
static void test_shared_fs(void)
{
	char cwd[256], here[64];
	mode_t old = umask(022);
	pthread_t t;
	void *ret;

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(pthread_create(&t, NULL, change_fs, NULL) == 0);
	CHECK(pthread_join(t, &ret) == 0 && ret == NULL);
	CHECK(getcwd(here, sizeof(here)) && strcmp(here, "/dev") == 0);
	CHECK(umask(old) == 033);
	CHECK(chdir(cwd) == 0);
}

/* /proc/self/status counts the threads (qemu-user's has its own too). */
static int status_threads(void)
{
	char buf[4096], *line;
	int fd = open("/proc/self/status", O_RDONLY), n = -1;
	ssize_t len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return -1;
	buf[len] = 0;
	if ((line = strstr(buf, "\nThreads:")))
		n = atoi(line + 9);
	return n;
}

/* True if /proc/self/task has an entry for tid. */
static bool task_listed(int tid)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)))
		found |= atoi(e->d_name) == tid;
	if (d)
		closedir(d);
	return found;
}

/* On Rivet exactly one more while a thread runs; qemu-user has threads of
 * its own that come and go, so there only "more than one". */
static void test_thread_count(void)
{
	pthread_t t;
	int before, during;

	if (status_threads() < 0) { /* the guest init has no /proc yet */
		mkdir("/proc", 0555);
		CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0);
	}
	before = status_threads();
	atomic_store(&g_ready, 0);
	atomic_store(&g_stop, 0);
	CHECK(pthread_create(&t, NULL, sleeper, NULL) == 0);
	CHECK(wait_for(&g_ready, 5000));
	during = status_threads();
	CHECK(task_listed(getpid()) && task_listed(atomic_load(&g_ready)));
	if (on_rivet())
		CHECK(before == 1 && during == 2);
	else
		CHECK(before >= 1 && during >= 2);
	atomic_store(&g_stop, 1);
	CHECK(pthread_join(t, NULL) == 0);
	/* /proc stays mounted: test_no_leak reads /proc/meminfo. */
}

static volatile long *g_ticks; /* shared with the parent (MAP_SHARED) */

static void *tick(void *arg)
{
	(void)arg;
	for (;;) {
		(*g_ticks)++;
		usleep(1000);
	}
	return NULL;
}

static void ticking_child(void)
{
	pthread_t t;

	pthread_create(&t, NULL, tick, NULL);
	for (;;)
		pause();
}

static long ticks_over(int ms)
{
	long before = *g_ticks;

	usleep(ms * 1000);
	return *g_ticks - before;
}

/* SIGSTOP to the process stops every thread; SIGCONT runs them all. */
static void test_group_stop(void)
{
	int status;
	pid_t pid;

	g_ticks = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(g_ticks != MAP_FAILED);
	if (g_ticks == MAP_FAILED)
		return;
	pid = fork();
	if (pid == 0) {
		ticking_child();
		_exit(0);
	}
	for (int i = 0; i < 5000 && *g_ticks == 0; i++)
		usleep(1000);
	CHECK(*g_ticks > 0);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	usleep(20000); /* a tick already past its check may still land */
	CHECK(ticks_over(100) == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(ticks_over(200) > 0);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	munmap((void *)g_ticks, 4096);
}

static void *fork_here(void *arg)
{
	pid_t parent = (pid_t)(intptr_t)arg, pid = fork();

	if (pid == 0) /* one thread, its own leader, a child of the process */
		_exit(getpid() == gettid() && getppid() == parent ? 0 : 1);
	return (void *)(intptr_t)pid;
}

/* fork in a thread: the child is the process's, so another thread waits. */
static void test_fork_from_thread(void)
{
	pthread_t t;
	void *ret;
	int status;

	CHECK(pthread_create(&t, NULL, fork_here, (void *)(intptr_t)getpid()) == 0);
	CHECK(pthread_join(t, &ret) == 0 && (intptr_t)ret > 0);
	CHECK(waitpid((pid_t)(intptr_t)ret, &status, 0) == (pid_t)(intptr_t)ret);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static pthread_mutex_t g_robust;

static void *lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g_robust);
	return NULL; /* still holding it */
}

/* set_robust_list: a lock whose owner died is handed over as EOWNERDEAD. */
static void test_robust_mutex(void)
{
	pthread_mutexattr_t a;
	struct timespec deadline;
	pthread_t t;
	int err;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	if (pthread_mutex_init(&g_robust, &a) != 0) {
		printf("SKIP: robust mutexes unavailable (no set_robust_list)\n");
		return;
	}
	CHECK(pthread_create(&t, NULL, lock_and_die, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	err = pthread_mutex_timedlock(&g_robust, &deadline);
	CHECK(err == EOWNERDEAD);
	if (err == EOWNERDEAD) {
		CHECK(pthread_mutex_consistent(&g_robust) == 0);
		CHECK(pthread_mutex_unlock(&g_robust) == 0);
	}
}

static int g_vm_word;

static int vm_child(void *arg)
{
	g_vm_word = (int)(intptr_t)arg; /* our memory, not a copy */
	return 0;
}

/* clone(CLONE_VM) without CLONE_VFORK or CLONE_THREAD: a process that
 * shares our memory, on its own stack. qemu-user refuses such clones. */
static void test_clone_vm(void)
{
	size_t size = 64 * 1024;
	char *stack = malloc(size);
	int status;
	pid_t pid = clone(vm_child, stack + size, CLONE_VM | SIGCHLD, (void *)42);

	if (pid < 0 && errno == EINVAL && !on_rivet()) {
		printf("SKIP: qemu-user does not run CLONE_VM processes\n");
	} else {
		CHECK(pid > 0);
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK(g_vm_word == 42);
	}
	free(stack);
}

/* clone3 as fork (exit_signal SIGCHLD, no stack) and its argument checks.
 * qemu-user has no clone3 (glibc then falls back to clone). */
static void test_clone3(void)
{
	uint64_t ca[8] = { 0, 0, 0, 0, SIGCHLD, 0, 0, 0 }; /* struct clone_args v0 */
	char big[128] = { 0 };
	int status;
	long pid = syscall(SYS_clone3, ca, sizeof(ca));

	if (pid < 0 && errno == ENOSYS && !on_rivet()) {
		printf("SKIP: no clone3 in this Linux reference\n");
		return;
	}
	if (pid == 0)
		_exit(3);
	CHECK(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 3);
	CHECK_ERR(syscall(SYS_clone3, g_low_addr, sizeof(ca)), EFAULT);
	CHECK_ERR(syscall(SYS_clone3, ca, 32), EINVAL);        /* smaller than version 0 */
	CHECK_ERR(syscall(SYS_clone3, big, 8192), E2BIG);      /* more than a page */
	ca[0] = CLONE_THREAD | CLONE_VM;                       /* no CLONE_SIGHAND */
	CHECK_ERR(syscall(SYS_clone3, ca, sizeof(ca)), EINVAL);
	ca[0] = 0;
	ca[5] = 4096; /* a stack without a size */
	CHECK_ERR(syscall(SYS_clone3, ca, sizeof(ca)), EINVAL);
}

static void test_clone_flag_rules(void)
{
	/* CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND needs CLONE_VM. */
	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0), EINVAL);
	CHECK(sched_yield() == 0);
}

/* A tid word clone cannot write is ignored (Linux's put_user results go
 * unchecked): the clone succeeds and the child runs. */
static void test_clone_settid_fault(void)
{
	int *bad = (int *)8, status;
	long pid = syscall(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, 0, bad, 0,
			   bad);

	if (pid == 0)
		_exit(7);
	CHECK(pid > 0);
	CHECK(pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 7);
}

/* File actions run in the child (on glibc's stack in our memory) before
 * the exec: its stdout becomes a pipe we read. */
static void test_spawn_actions(const char *self)
{
	char *argv[] = { (char *)self, "spawn-child", NULL };
	posix_spawn_file_actions_t fa;
	char buf[16] = { 0 };
	int fds[2], status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	CHECK(posix_spawn(&pid, self, &fa, NULL, argv, environ) == 0);
	close(fds[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!on_rivet() && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
	} else {
		CHECK(read(fds[0], buf, sizeof(buf) - 1) == 8 && strcmp(buf, "spawned\n") == 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 43);
	}
	close(fds[0]);
	posix_spawn_file_actions_destroy(&fa);
}

/* posix_spawn (CLONE_VM|CLONE_VFORK: the child runs on its own stack in our
 * memory, and reports a failed exec through it). */
static void test_posix_spawn(const char *self)
{
	char *argv[] = { (char *)self, "spawn-child", NULL };
	char *bad[] = { "/nonexistent/program", NULL };
	pid_t pid;
	int status, err;

	CHECK(posix_spawn(&pid, self, NULL, NULL, argv, environ) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!on_rivet() && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		printf("SKIP: this Linux reference cannot exec riscv64 programs (no binfmt_misc)\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 43);
	test_spawn_actions(self);
	err = posix_spawn(&pid, bad[0], NULL, NULL, bad, environ);
	if (err == 0) { /* qemu-user runs CLONE_VM|CLONE_VFORK as a plain fork */
		CHECK(!on_rivet());
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 127);
	} else {
		CHECK(err == ENOENT);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "spawn-child") == 0)
		return write(1, "spawned\n", 8) == 8 ? 43 : 1;
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
		return getpid() == gettid() ? 44 : 45;
	g_self = argv[0];
	test_create_join();
	test_many_threads();
	test_shared_memory_and_fds();
	test_mutex_contention();
	test_condvar();
	test_tls();
	test_ids();
	test_process_signal();
	test_pthread_kill();
	test_process_pending();
	test_exit_semantics();
	test_exec_from_thread();
	test_fork_from_thread();
	test_shared_fs();
	test_thread_count();
	test_no_leak();
	test_group_stop();
	test_robust_mutex();
	test_clone_flag_rules();
	test_clone_settid_fault();
	test_clone_vm();
	test_clone3();
	test_posix_spawn(argv[0]);
	return check_done("test_threads");
}
