/* A syscall fuzzer: random syscall numbers (the whole table, unknown ones
 * and numbers far past its end) with arguments drawn from values that
 * break kernels: NULL, kernel-space and unmapped pointers, misaligned ones,
 * pointers into the last bytes of a mapping followed by an unmapped page,
 * huge and negative lengths, valid and invalid descriptors.
 *
 *   fuzz_syscalls [--seed S] [--calls N] [--batch-calls K] [--jobs J]
 *   fuzz_syscalls --seed S --batch B [--batch-calls K] -v   (replay one batch)
 *
 * Every batch of K calls runs in a forked child (J at once) that can die by
 * any signal: only the kernel has to survive. Batch b's generator is seeded
 * from (S, b), so a batch replays exactly (its own calls; what the other
 * children did at the same time does not replay). The parent kills a batch
 * that outlives its deadline (a call may block for good: read on an empty
 * pipe with the interval timer disarmed, say) and names the call it was in.
 *
 * Not fuzzed, because they would end or wreck the run rather than test the
 * kernel: exit and exit_group (they only end a batch early), reboot,
 * sethostname and setdomainname (the console harness reads the prompt),
 * mount, umount2 and pivot_root (global state a batch cannot undo), and
 * most rt_sigreturn calls (a garbage frame ends the batch at once).
 * The batch's paths are its own files and device nodes, never the
 * system's; the clock, which a batch may set, is put back at the end.
 * Neutered: kill and the other signal senders only aim at the batch itself
 * or at pids that do not exist (kill(-1) or kill(0) would reach the shell);
 * clone and clone3 lose CLONE_VM, CLONE_VFORK and the thread flags (the
 * child would share the fuzzer's stack), and the child exits at once; the
 * memory calls (mmap MAP_FIXED, munmap, mprotect, mremap, madvise) only
 * reach the batch's own arena or addresses that are not the fuzzer's.
 *
 * Rivet only (tests/robustness): this is not a test of Linux behaviour, and
 * random syscalls as root are not something to do to the build machine. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#define PAGE 4096UL
#define ARENA_PAGES 16           /* the batch's own memory: mm calls land here */
#define SCRATCH_PAGES 4          /* argument buffers, then one unmapped page */
#define MAX_JOBS 16
#define NR_MAX 460               /* past the end of the riscv64 table (451) */
#define BATCH_SECONDS 20         /* a batch still running after this is killed */

/* ---- the generator: splitmix64, one state per batch ---------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t pick(const uint64_t *pool, size_t n)
{
	return pool[rnd() % n];
}
#define PICK(pool) pick(pool, sizeof(pool) / sizeof(pool[0]))

/* ---- what a batch has to aim at ------------------------------------------- */

struct batch_env {
	char *scratch;          /* SCRATCH_PAGES read-write, then an unmapped page */
	char *rdonly;           /* one read-only page */
	char *noaccess;         /* one PROT_NONE page */
	char *arena;            /* ARENA_PAGES the memory calls may wreck */
	int fds[24];
	int nfds;
	pid_t self;
};

static struct batch_env env;

/* Paths relative to the batch's scratch directory (its cwd), where it has
 * its own device nodes (null, zero, ptmx: a chmod or unlink of /dev/null
 * itself would break the system for everyone after it), and /proc files,
 * which refuse changes. */
static const char *const paths[] = {
	"a", "b", "d", "d/e", "fifo", "link", ".", "", "null", "zero", "ptmx",
	"/proc/self/maps", "/proc/self/status", "/proc/meminfo", "/proc/self/fd/0",
	"nonexistent/x",
};
static char *long_name;         /* 300 bytes: over NAME_MAX */
static char *long_path;         /* 5000 bytes: over PATH_MAX */

static const uint64_t small_values[] = {
	0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 127, 128, 255, 256, 1024, 4095, 4096, 4097,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL, (uint64_t)-1, (uint64_t)-2,
	(uint64_t)INT32_MIN, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
};
static const uint64_t lengths[] = {
	0, 1, 8, 15, 16, 64, 4095, 4096, 4097, 8192, 65536, 1 << 20, 0x7ffff000,
	0x7fffffff, 0x80000000, 0xffffffff, 1ULL << 40, 1ULL << 62, (uint64_t)-1,
	(uint64_t)-4096, 0x7fffffffffffffffULL,
};
/* Addresses that are never the fuzzer's: kernel space (the direct map, the
 * image), the top of user space, non-canonical ones, NULL and near it. */
static const uint64_t foreign_addresses[] = {
	0, 1, 16, 4095, 4096, 0xffffffc000000000ULL, 0xffffffc000001000ULL,
	0xffffffd800000000ULL, 0xffffffff80000000ULL, 0xffffffff80200000ULL,
	0xfffffffffffff000ULL, 0xffffffffffffffffULL, 0x0000004000000000ULL,
	0x0000003ffffff000ULL, 0x0000003fffffffffULL, 0x8000000000000000ULL,
	0x00007ffffffff000ULL, 0x0000002000000000ULL,
};

static uint64_t fd_arg(void)
{
	static const uint64_t bad[] = { (uint64_t)-1, (uint64_t)-100 /* AT_FDCWD */, 255, 256,
					1023, 65536, 0x7fffffff, 0x80000000, (uint64_t)INT32_MIN };

	if (rnd() % 5 == 0 || env.nfds == 0)
		return PICK(bad);
	return (uint64_t)env.fds[rnd() % env.nfds];
}

/* A pointer into memory of the batch: the scratch buffers at interesting
 * offsets (misaligned, and the last bytes before the unmapped page, so a
 * copy straddles into it), the read-only and inaccessible pages. */
static uint64_t own_pointer(void)
{
	uint64_t end = (uint64_t)(env.scratch + SCRATCH_PAGES * PAGE);

	switch (rnd() % 8) {
	case 0: return (uint64_t)env.scratch;
	case 1: return (uint64_t)env.scratch + 1 + rnd() % 7;               /* misaligned */
	case 2: return end - 1 - rnd() % 64;                                /* straddles */
	case 3: return end;                                                 /* unmapped */
	case 4: return (uint64_t)env.rdonly + (rnd() % 2 ? 0 : PAGE - 8);
	case 5: return (uint64_t)env.noaccess;
	case 6: return (uint64_t)env.scratch + (rnd() % (SCRATCH_PAGES * PAGE));
	default: return (uint64_t)env.arena + (rnd() % ARENA_PAGES) * PAGE;
	}
}

static uint64_t path_arg(void)
{
	switch (rnd() % 10) {
	case 0: return (uint64_t)long_name;
	case 1: return (uint64_t)long_path;
	case 2: { /* a name that runs into the unmapped page: no NUL before it */
		char *end = env.scratch + SCRATCH_PAGES * PAGE;
		memset(end - 16, 'z', 16);
		return (uint64_t)(end - 16);
	}
	default: return (uint64_t)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
	}
}

static uint64_t any_arg(void)
{
	switch (rnd() % 11) {
	case 0: return PICK(small_values);
	case 1: case 2: return fd_arg();
	case 3: return own_pointer();
	case 4: return PICK(foreign_addresses);
	case 5: return PICK(lengths);
	case 6: return path_arg();
	case 7: return rnd();
	case 8: return rnd() & 0xffffffff;
	case 9: return 1ULL << (rnd() % 64);
	default: return (uint64_t)-(int64_t)(rnd() % 140);
	}
}

/* Buffers the calls read get random bytes, and now and then something a
 * kernel would take for a real structure: iovecs and pollfds aimed at our
 * own buffers and descriptors, with a bad entry among them. */
static void fill_scratch(void)
{
	uint64_t *w = (uint64_t *)env.scratch;
	size_t words = SCRATCH_PAGES * PAGE / 8;

	for (size_t i = 0; i < words; i++)
		w[i] = rnd() % 3 ? rnd() : any_arg();
	if (rnd() % 2) {
		for (int i = 0; i < 16; i += 2) {
			w[i] = rnd() % 4 ? own_pointer() : PICK(foreign_addresses);
			w[i + 1] = rnd() % 4 ? rnd() % 512 : PICK(lengths);
		}
	}
	if (rnd() % 3 == 0) {
		int32_t *pfd = (int32_t *)(env.scratch + PAGE);
		for (int i = 0; i < 32; i += 2) {
			pfd[i] = (int32_t)fd_arg();
			pfd[i + 1] = (int32_t)(rnd() & 0xffff);
		}
	}
}

/* ---- neutering the calls that would reach past the batch ------------------ */

static bool skipped(long nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_reboot:
	case SYS_sethostname: case SYS_setdomainname:
	case SYS_mount: case SYS_umount2: case SYS_pivot_root:
		return true;
	case SYS_rt_sigreturn:
		return rnd() % 16 != 0; /* it ends most batches: the frame is garbage */
	default:
		return false;
	}
}

/* A pid a signal may go to: the batch itself or one that does not exist. */
static uint64_t safe_pid(void)
{
	static const uint64_t none[] = { 0x3fffffff, 99999, (uint64_t)-99999, 0x7fffffff };

	return rnd() % 4 == 0 ? (uint64_t)env.self : PICK(none);
}

static bool in_arena(uint64_t a)
{
	return a >= (uint64_t)env.arena && a < (uint64_t)env.arena + ARENA_PAGES * PAGE;
}

static uint64_t arena_end(void)
{
	return (uint64_t)env.arena + ARENA_PAGES * PAGE;
}

static uint64_t arena_or_foreign(void)
{
	return rnd() % 4 ? (uint64_t)env.arena + (rnd() % ARENA_PAGES) * PAGE + (rnd() % 8 ? 0 : 1 + rnd() % 64)
			 : PICK(foreign_addresses);
}

#define CLONE_UNSAFE (CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND | CLONE_SETTLS | \
		      CLONE_PARENT | CLONE_CHILD_CLEARTID)

static void neuter(long nr, uint64_t a[6])
{
	switch (nr) {
	case SYS_kill: case SYS_rt_sigqueueinfo:
		a[0] = safe_pid();
		break;
	case SYS_tkill:
		a[0] = safe_pid();
		break;
	case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
		a[0] = a[1] = safe_pid();
		break;
	case SYS_pidfd_send_signal: case SYS_pidfd_open: case SYS_process_vm_writev:
		a[0] = safe_pid();
		break;
	case SYS_clone:
		a[0] &= ~(uint64_t)CLONE_UNSAFE;
		a[1] = 0; /* no stack of its own: the child runs on its copy of ours */
		break;
	case SYS_clone3: {
		uint64_t *ca = (uint64_t *)env.scratch;
		ca[0] &= ~(uint64_t)CLONE_UNSAFE;
		ca[5] = ca[6] = 0;              /* stack, stack_size */
		a[0] = (uint64_t)ca;
		break;
	}
	case SYS_munmap: case SYS_mprotect: case SYS_madvise: case SYS_mremap:
	case SYS_mlock: case SYS_munlock: case SYS_msync: case SYS_mincore:
		if (!in_arena(a[0]))
			a[0] = arena_or_foreign();
		if (in_arena(a[0]) && a[1] > arena_end() - a[0])
			a[1] = arena_end() - a[0]; /* a huge length would reach the stack */
		if (nr == SYS_mremap)
			a[3] &= ~(uint64_t)MREMAP_FIXED, a[4] = arena_or_foreign();
		break;
	case SYS_mmap:
		if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !in_arena(a[0]))
			a[0] = arena_or_foreign();
		break;
	case SYS_brk:
		a[0] = rnd() % 2 ? 0 : a[0]; /* the batch uses no malloc after setup */
		break;
	case SYS_prctl:
		if (a[0] == 35 /* PR_SET_MM */)
			a[0] = 0;
		break;
	}
}

/* ---- one batch ------------------------------------------------------------ */

/* What the parent reads when a batch hangs or dies: the call it was in. */
struct batch_log {
	uint64_t batch, index, nr, args[6];
	volatile uint64_t done;
};

static struct batch_log *logs; /* MAP_SHARED, one per job slot */

static void *map_pages(size_t n, int prot)
{
	void *p = mmap(NULL, n * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(100);
	}
	return p;
}

static void add_fd(int fd)
{
	if (fd >= 0 && env.nfds < (int)(sizeof(env.fds) / sizeof(env.fds[0])))
		env.fds[env.nfds++] = fd;
}

static void open_descriptors(void)
{
	int p[2];

	mknod("null", S_IFCHR | 0666, makedev(1, 3));
	mknod("zero", S_IFCHR | 0666, makedev(1, 5));
	mknod("ptmx", S_IFCHR | 0666, makedev(5, 2));
	add_fd(open("null", O_RDWR));
	add_fd(open("zero", O_RDONLY));
	add_fd(open("a", O_RDWR | O_CREAT, 0644));
	add_fd(open(".", O_RDONLY | O_DIRECTORY));
	add_fd(open("/proc/self/maps", O_RDONLY));
	add_fd(open("/proc/meminfo", O_RDONLY));
	if (pipe(p) == 0)
		add_fd(p[0]), add_fd(p[1]);
	if (pipe2(p, O_NONBLOCK) == 0)
		add_fd(p[0]), add_fd(p[1]);
	if (mkfifo("fifo", 0644) == 0)
		add_fd(open("fifo", O_RDWR | O_NONBLOCK));
	add_fd(eventfd(0, EFD_NONBLOCK));
	add_fd(epoll_create1(0));
	int m = open("ptmx", O_RDWR | O_NOCTTY);
	add_fd(m);
	if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0)
		add_fd(open(ptsname(m), O_RDWR | O_NOCTTY));
	add_fd(socket(AF_UNIX, SOCK_STREAM, 0)); /* -1 where there are no sockets */
	symlink("a", "link");
	mkdir("d", 0755);
}

static void on_alarm(int sig)
{
	(void)sig; /* only there to interrupt blocking calls (EINTR) */
}

/* The batch's own world: a scratch directory as cwd, no terminal (stdio on
 * /dev/null, a new session), its memory and its descriptors. */
static void setup_batch(const char *dir)
{
	int null = open("/dev/null", O_RDWR);

	dup2(null, 0), dup2(null, 1), dup2(null, 2);
	close(null);
	setsid();
	if (mkdir(dir, 0755) != 0 || chmod(dir, 0777) != 0 || chdir(dir) != 0)
		_exit(101); /* 0777: a batch that becomes a user still works in it */
	env.self = getpid();
	env.scratch = map_pages(SCRATCH_PAGES + 1, PROT_READ | PROT_WRITE);
	munmap(env.scratch + SCRATCH_PAGES * PAGE, PAGE);
	env.rdonly = map_pages(1, PROT_READ);
	env.noaccess = map_pages(1, PROT_NONE);
	env.arena = map_pages(ARENA_PAGES, PROT_READ | PROT_WRITE);
	long_name = map_pages(1, PROT_READ | PROT_WRITE);
	memset(long_name, 'n', 300);
	long_path = map_pages(2, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 5000; i++)
		long_path[i] = i % 2 ? '/' : 'p';
	open_descriptors();
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	/* Every fourth batch runs as a user, after its setup: the permission
	 * paths get their share (root passes most checks). */
	if (rnd() % 4 == 0 && setgid(1000 + rnd() % 2) == 0)
		setuid(1000 + rnd() % 2);
}

static uint64_t batch_seed(uint64_t seed, uint64_t batch)
{
	rng_state = seed ^ (batch * 0xd1342543de82ef95ULL);
	return rnd();
}

static long pick_nr(void)
{
	static const long far[] = { 451, 500, 1000, 1 << 20, 0x7fffffff, -1, -2 };

	if (rnd() % 50 == 0)
		return far[rnd() % (sizeof(far) / sizeof(far[0]))];
	return (long)(rnd() % NR_MAX);
}

static void run_batch(uint64_t seed, uint64_t batch, int slot, long calls, bool verbose,
		      int log_fd)
{
	struct batch_log *log = &logs[slot];
	char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/fuzz.%d", getpid());
	rng_state = batch_seed(seed, batch);
	setup_batch(dir);
	log->batch = batch;
	for (long i = 0; i < calls; i++) {
		long nr = pick_nr();
		uint64_t a[6];

		if (skipped(nr))
			continue;
		for (int k = 0; k < 6; k++)
			a[k] = any_arg();
		neuter(nr, a);
		fill_scratch();
		log->index = (uint64_t)i;
		log->nr = (uint64_t)nr;
		memcpy(log->args, a, sizeof(a));
		if (verbose)
			dprintf(log_fd, "call %ld: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", i, nr,
				a[0], a[1], a[2], a[3], a[4], a[5]);
		long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if ((nr == SYS_clone || nr == SYS_clone3) && r == 0)
			_exit(0); /* the fork child: it was the call, not the batch */
		if (verbose)
			dprintf(log_fd, "  -> %ld (errno %d)\n", r, r == -1 ? errno : 0);
	}
	log->done = 1;
	_exit(0);
}

/* ---- the parent: J batches at a time, deadlines, cleanup ------------------ */

struct job {
	pid_t pid;
	uint64_t batch;
	time_t deadline;
};

struct totals {
	long batches, exited, signalled, hung, made;
	long by_signal[65];
};

static void rmtree_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		unlinkat(dirfd, name, 0);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rmtree_at(fd, e->d_name);
	closedir(d);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void report_call(const char *what, const struct batch_log *log, uint64_t seed)
{
	printf("fuzz: batch %lu %s in call %lu: syscall %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)"
	       " (replay: --seed %lu --batch %lu -v)\n",
	       log->batch, what, log->index, (long)log->nr, log->args[0], log->args[1],
	       log->args[2], log->args[3], log->args[4], log->args[5], seed, log->batch);
}

static void finish(struct job *j, int slot, int status, struct totals *t, uint64_t seed)
{
	char dir[64];

	t->batches++;
	t->made += (long)logs[slot].index + 1;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		t->signalled++;
		t->by_signal[sig < 65 ? sig : 0]++;
		if (sig == SIGKILL && now_s() > j->deadline) {
			t->hung++;
			if (t->hung <= 5)
				report_call("hung", &logs[slot], seed);
		}
	} else {
		t->exited++;
	}
	snprintf(dir, sizeof(dir), "/tmp/fuzz.%d", j->pid);
	rmtree_at(AT_FDCWD, dir);
	j->pid = 0;
}

static void kill_overdue(struct job *jobs, int njobs)
{
	time_t t = now_s();

	for (int i = 0; i < njobs; i++)
		if (jobs[i].pid > 0 && t > jobs[i].deadline) {
			kill(-jobs[i].pid, SIGKILL); /* its session's group: fork children too */
			kill(jobs[i].pid, SIGKILL);
		}
}

static int start_batch(struct job *j, int slot, uint64_t seed, uint64_t batch, long calls)
{
	memset(&logs[slot], 0, sizeof(logs[slot]));
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		run_batch(seed, batch, slot, calls, false, -1);
	*j = (struct job){ pid, batch, now_s() + BATCH_SECONDS };
	return 0;
}

static int slot_of(struct job *jobs, int njobs, pid_t pid)
{
	for (int i = 0; i < njobs; i++)
		if (jobs[i].pid == pid)
			return i;
	return -1;
}

static void reap(struct job *jobs, int njobs, struct totals *t, uint64_t seed, bool block)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		int slot = slot_of(jobs, njobs, pid);
		if (slot >= 0)
			finish(&jobs[slot], slot, status, t, seed);
		block = false; /* reparented grandchildren are not ours to wait for */
	}
}

/* Batches run until the calls they made (a batch killed early made fewer
 * than its share) reach total. */
/* The batches may set the clock (clock_settime, settimeofday): put it
 * back where it would be, so what runs after us sees the real date. */
static struct timespec real_start, mono_start;

static void save_clock(void)
{
	clock_gettime(CLOCK_REALTIME, &real_start);
	clock_gettime(CLOCK_MONOTONIC, &mono_start);
}

static void restore_clock(void)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	long ns = (mono.tv_sec - mono_start.tv_sec) * 1000000000L + mono.tv_nsec - mono_start.tv_nsec +
		  real_start.tv_nsec;
	real.tv_sec = real_start.tv_sec + ns / 1000000000L;
	real.tv_nsec = ns % 1000000000L;
	clock_settime(CLOCK_REALTIME, &real);
}

static int run_all(uint64_t seed, long total, long per_batch, int njobs)
{
	struct job jobs[MAX_JOBS] = { 0 };
	struct totals t = { 0 };
	uint64_t next = 0;
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	for (;;) {
		int running = 0;
		for (int i = 0; i < njobs; i++)
			running += jobs[i].pid > 0;
		for (int i = 0; i < njobs; i++) {
			if (jobs[i].pid || t.made + running * per_batch >= total)
				continue;
			if (start_batch(&jobs[i], i, seed, next, per_batch) == 0)
				next++, running++;
		}
		if (!running)
			break;
		nanosleep(&tick, NULL);
		kill_overdue(jobs, njobs);
		reap(jobs, njobs, &t, seed, false);
	}
	restore_clock();
	printf("fuzz: seed %lu: %ld calls in %ld batches of %ld (%d at once): %ld ended normally,"
	       " %ld by signals, %ld hung and killed\n",
	       seed, t.made, t.batches, per_batch, njobs, t.exited, t.signalled, t.hung);
	for (int s = 1; s < 65; s++)
		if (t.by_signal[s])
			printf("fuzz:   %ld by %s\n", t.by_signal[s], strsignal(s));
	return 0;
}

static int replay(uint64_t seed, uint64_t batch, long per_batch)
{
	int log_fd = dup(1), status;
	pid_t pid = fork();

	if (pid == 0)
		run_batch(seed, batch, 0, per_batch, true, log_fd);
	waitpid(pid, &status, 0);
	restore_clock();
	if (WIFSIGNALED(status))
		printf("fuzz: batch %lu killed by %s in call %lu\n", batch, strsignal(WTERMSIG(status)),
		       logs[0].index);
	else
		printf("fuzz: batch %lu ended with status %d\n", batch, WEXITSTATUS(status));
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/fuzz.%d", pid);
	rmtree_at(AT_FDCWD, dir);
	return 0;
}

static uint64_t fresh_seed(void)
{
	uint64_t s = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, &s, sizeof(s)) != sizeof(s))
		s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (fd >= 0)
		close(fd);
	return s % 1000000000000ULL; /* short enough to type back */
}

int main(int argc, char **argv)
{
	uint64_t seed = fresh_seed();
	long calls = 20000, per_batch = 500, batch = -1;
	int jobs = 4;
	bool verbose = false;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "0";
		if (!strcmp(argv[i], "--seed")) seed = strtoull(v, NULL, 0), i++;
		else if (!strcmp(argv[i], "--calls")) calls = strtol(v, NULL, 0), i++;
		else if (!strcmp(argv[i], "--batch-calls")) per_batch = strtol(v, NULL, 0), i++;
		else if (!strcmp(argv[i], "--jobs")) jobs = (int)strtol(v, NULL, 0), i++;
		else if (!strcmp(argv[i], "--batch")) batch = strtol(v, NULL, 0), i++;
		else if (!strcmp(argv[i], "-v")) verbose = true;
		else {
			fprintf(stderr, "usage: %s [--seed S] [--calls N] [--batch-calls K] [--jobs J]"
				" [--batch B -v]\n", argv[0]);
			return 2;
		}
	}
	if (jobs < 1 || jobs > MAX_JOBS || per_batch < 1)
		return 2;
	logs = mmap(NULL, sizeof(*logs) * MAX_JOBS, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (logs == MAP_FAILED)
		return 3;
	signal(SIGPIPE, SIG_IGN);
	printf("fuzz: seed %lu\n", seed);
	(void)verbose;
	save_clock();
	if (batch >= 0)
		return replay(seed, (uint64_t)batch, per_batch);
	return run_all(seed, calls, per_batch, jobs);
}
