/* rivet-bench: the kernel benchmark suite (docs/performance.md).
 *
 * A static riscv64 Linux program, run as /init (rdinit=/bin/rivet-bench) by
 * Rivet and by the reference Linux alike, in QEMU with -icount shift=0: guest
 * time then advances one nanosecond per guest instruction, so every figure
 * here counts instructions, repeatably. It mounts what it needs, runs each
 * benchmark, prints one line per figure and powers the machine off:
 *
 *   bench-kernel <sysname> <release>
 *   bench <name> <value> <unit>       unit ns or us: lower is better;
 *                                     MiB/s or files/s: higher is better
 *   bench-done <count>
 *
 * Each figure is the best of REPEATS runs (a timer tick landing inside one
 * run is noise, not the kernel's cost). Arguments:
 *   --quick   a tenth of the iterations (the ctest run: behaviour only);
 *             as /init, the word bench.quick on the kernel command line
 *   --exit    exit at once (the program fork+exec runs)
 * As a normal program (not PID 1) it mounts nothing and does not power off.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPEATS 3
#define SELF "/bin/rivet-bench"
#define DISK "/dev/vda"
#define DISK_DIR "/mnt"

/* The time CSR at the program's first instruction: the entry point reads it
 * before glibc's start-up runs, and it counts from 0 at QEMU's reset.
 * Linked with -e bench_entry. */
uint64_t bench_entry_ticks;
__asm__(".globl bench_entry\n"
	"bench_entry:\n"
	"	rdtime t0\n"
	/* no relaxation: gp is not set up before _start */
	"	.option push\n"
	"	.option norelax\n"
	"	lla t1, bench_entry_ticks\n"
	"	.option pop\n"
	"	sd t0, 0(t1)\n"
	"	j _start\n");

static int quick;
static int figures;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int errors;

/* Any error line makes the run invalid (bench/compare.py refuses it); only
 * the first few are printed, a loop of failures would flood the console. */
static void fail(const char *what)
{
	if (errors++ < 8) {
		printf("bench-error %s: %s\n", what, strerror(errno));
		fflush(stdout);
	}
}

static void report(const char *name, double value, const char *unit)
{
	printf("bench %s %.*f %s\n", name, value < 100 ? 2 : 0, value, unit);
	fflush(stdout);
	figures++;
}

static long iterations(long n)
{
	return quick ? (n / 10 > 0 ? n / 10 : 1) : n;
}

/* ---- the loop helpers: best of REPEATS, per operation ------------------- */

typedef void (*op_fn)(long n);

static double best_ns_per_op(op_fn op, long n)
{
	double best = 0;
	op(n / 10 + 1); /* warm caches and allocate what the first call would */
	for (int r = 0; r < REPEATS; r++) {
		uint64_t t0 = now_ns();
		op(n);
		double per = (double)(now_ns() - t0) / (double)n;
		if (r == 0 || per < best)
			best = per;
	}
	return best;
}

static void bench_op(const char *name, op_fn op, long n)
{
	report(name, best_ns_per_op(op, iterations(n)), "ns");
}

/* ---- system calls ----------------------------------------------------------- */

static int null_fd = -1;
static char byte_buf[1];

static void op_null(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void op_read_null(long n)
{
	for (long i = 0; i < n; i++)
		if (read(null_fd, byte_buf, 1) < 0)
			fail("read /dev/null");
}

static void op_write_null(long n)
{
	for (long i = 0; i < n; i++)
		if (write(null_fd, byte_buf, 1) != 1)
			fail("write /dev/null");
}

static void op_stat(long n)
{
	struct stat st;
	for (long i = 0; i < n; i++)
		if (stat(SELF, &st) < 0)
			fail("stat");
}

static void op_open_close(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(SELF, O_RDONLY);
		if (fd < 0)
			fail("open");
		close(fd);
	}
}

/* ---- processes -------------------------------------------------------------- */

static void wait_child(pid_t pid)
{
	int status;
	if (pid < 0)
		fail("fork");
	else if (waitpid(pid, &status, 0) != pid)
		fail("waitpid");
}

static void op_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		wait_child(pid);
	}
}

static void op_fork_exec(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execl(SELF, SELF, "--exit", (char *)NULL);
			_exit(127);
		}
		wait_child(pid);
	}
}

static void op_sh_true(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", "true", (char *)NULL);
			_exit(127);
		}
		wait_child(pid);
	}
}

/* ---- pipes and switching ---------------------------------------------------- */

/* One byte there and back between two processes, per round trip. */
static void op_pipe_round_trip(long n)
{
	int there[2], back[2];
	if (pipe(there) < 0 || pipe(back) < 0) {
		fail("pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(there[1]);
		close(back[0]);
		while (read(there[0], &c, 1) == 1 && write(back[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	char c = 'x';
	for (long i = 0; i < n; i++)
		if (write(there[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
			fail("pipe round trip");
	close(there[1]); /* the child reads the end of file and exits */
	wait_child(pid);
	close(back[0]);
}

#define PIPE_CHUNK (64 * 1024)

/* A child writes total bytes in 64 KiB writes; the parent reads them. */
static double pipe_bandwidth(long total)
{
	static char buf[PIPE_CHUNK];
	int fds[2];
	if (pipe(fds) < 0) {
		fail("pipe");
		return 0;
	}
	uint64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (long sent = 0; sent < total; sent += PIPE_CHUNK)
			if (write(fds[1], buf, PIPE_CHUNK) != PIPE_CHUNK)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	long got = 0;
	ssize_t r;
	while ((r = read(fds[0], buf, sizeof buf)) > 0)
		got += r;
	uint64_t t = now_ns() - t0;
	close(fds[0]);
	wait_child(pid);
	if (got != total)
		printf("bench-error pipe bandwidth: %ld of %ld bytes\n", got, total);
	return (double)got / (1024.0 * 1024.0) / ((double)t / 1e9);
}

static void bench_pipe_bandwidth(void)
{
	long total = iterations(256) * PIPE_CHUNK;
	double best = 0;
	for (int r = 0; r < REPEATS; r++) {
		double mibs = pipe_bandwidth(total);
		if (mibs > best)
			best = mibs;
	}
	report("pipe_bandwidth", best, "MiB/s");
}

/* Two processes take turns through a shared word, yielding while it is the
 * other's turn: each turn is one switch. A kernel whose sched_yield does not
 * switch pays a timer tick per turn instead. */
static void op_context_switch(long n)
{
	volatile long *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (turn == MAP_FAILED) {
		fail("mmap shared");
		return;
	}
	*turn = 0;
	pid_t pid = fork();
	long me = pid == 0 ? 1 : 0;
	for (long i = me; i < 2 * n; i += 2) {
		while (*turn != i)
			sched_yield();
		*turn = i + 1;
	}
	if (pid == 0)
		_exit(0);
	wait_child(pid);
	munmap((void *)turn, 4096);
}

static void bench_context_switch(void)
{
	/* n rounds are 2n switches */
	report("context_switch", best_ns_per_op(op_context_switch, iterations(2000)) / 2, "ns");
}

/* ---- memory ------------------------------------------------------------------ */

#define FAULT_PAGES 256

static void op_page_fault(long n)
{
	for (long i = 0; i < n; i += FAULT_PAGES) {
		char *p = mmap(NULL, FAULT_PAGES * 4096L, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail("mmap");
			return;
		}
		for (long pg = 0; pg < FAULT_PAGES; pg++)
			p[pg * 4096] = 1;
		munmap(p, FAULT_PAGES * 4096L);
	}
}

/* Page faults alone: the mmap and munmap around each batch measured apart
 * and taken off (op_mmap_untouched). */
static void op_mmap_untouched(long n)
{
	for (long i = 0; i < n; i += FAULT_PAGES) {
		void *p = mmap(NULL, FAULT_PAGES * 4096L, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail("mmap");
			return;
		}
		munmap(p, FAULT_PAGES * 4096L);
	}
}

static void bench_page_fault(void)
{
	long n = iterations(20) * FAULT_PAGES;
	double with = best_ns_per_op(op_page_fault, n);
	double without = best_ns_per_op(op_mmap_untouched, n);
	report("page_fault", with - without, "ns");
}

static void op_mmap_64k(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail("mmap");
			return;
		}
		munmap(p, 64 * 1024);
	}
}

/* ---- signals ----------------------------------------------------------------- */

static volatile long caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static void op_sigaction(long n)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigemptyset(&sa.sa_mask);
	for (long i = 0; i < n; i++)
		if (sigaction(SIGUSR1, &sa, NULL) < 0)
			fail("sigaction");
}

static void op_signal_delivery(long n)
{
	for (long i = 0; i < n; i++)
		kill(getpid(), SIGUSR1);
}

static void bench_signals(void)
{
	bench_op("signal_install", op_sigaction, 20000);
	caught = 0;
	bench_op("signal_delivery", op_signal_delivery, 5000);
	if (caught == 0)
		printf("bench-error signal delivery: no signal caught\n");
}

/* ---- files: create and delete -------------------------------------------- */

static const char *files_dir;

static void file_name(char *buf, size_t size, long i)
{
	snprintf(buf, size, "%s/bench/f%ld", files_dir, i);
}

static double create_files(long n)
{
	char name[64];
	uint64_t t0 = now_ns();
	for (long i = 0; i < n; i++) {
		file_name(name, sizeof name, i);
		int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0) {
			fail("create");
			return 0;
		}
		close(fd);
	}
	return (double)(now_ns() - t0);
}

static double delete_files(long n)
{
	char name[64];
	uint64_t t0 = now_ns();
	for (long i = 0; i < n; i++) {
		file_name(name, sizeof name, i);
		if (unlink(name) < 0)
			fail("unlink");
	}
	return (double)(now_ns() - t0);
}

/* ns per file (tmpfs) or files/s including a final sync (a disk). */
static void bench_files(const char *dir, const char *prefix, int on_disk)
{
	char path[64], name[64];
	long n = iterations(on_disk ? 500 : 1000);
	double best_create = 0, best_delete = 0;
	files_dir = dir;
	snprintf(path, sizeof path, "%s/bench", dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fail("mkdir");
		return;
	}
	for (int r = 0; r < REPEATS; r++) {
		uint64_t t0 = now_ns();
		double c = create_files(n);
		if (on_disk) {
			sync();
			c = (double)(now_ns() - t0);
		}
		t0 = now_ns();
		double d = delete_files(n);
		if (on_disk) {
			sync();
			d = (double)(now_ns() - t0);
		}
		if (r == 0 || c < best_create)
			best_create = c;
		if (r == 0 || d < best_delete)
			best_delete = d;
	}
	rmdir(path);
	snprintf(name, sizeof name, "%s_create", prefix);
	if (on_disk)
		report(name, (double)n / (best_create / 1e9), "files/s");
	else
		report(name, best_create / (double)n, "ns");
	snprintf(name, sizeof name, "%s_delete", prefix);
	if (on_disk)
		report(name, (double)n / (best_delete / 1e9), "files/s");
	else
		report(name, best_delete / (double)n, "ns");
}

/* ---- storage: ext2 on virtio-blk ------------------------------------------ */

#define IO_CHUNK (64 * 1024)

static int mount_disk(void)
{
	if (mount(DISK, DISK_DIR, "ext2", 0, NULL) == 0)
		return 0;
	fail("mount " DISK);
	return -1;
}

/* Sequential write of a new file, fsync included; MiB/s. */
static double disk_write(const char *path, long total)
{
	static char buf[IO_CHUNK];
	memset(buf, 0x5a, sizeof buf);
	uint64_t t0 = now_ns();
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0) {
		fail("create on disk");
		return 0;
	}
	for (long done = 0; done < total; done += IO_CHUNK)
		if (write(fd, buf, IO_CHUNK) != IO_CHUNK) {
			fail("write on disk");
			break;
		}
	if (fsync(fd) < 0)
		fail("fsync");
	close(fd);
	return (double)total / (1024.0 * 1024.0) / ((double)(now_ns() - t0) / 1e9);
}

/* Sequential read from a cold cache: the file system is mounted afresh. */
static double disk_read(const char *path, long total)
{
	static char buf[IO_CHUNK];
	if (umount(DISK_DIR) < 0 || mount_disk() < 0) {
		fail("remount");
		return 0;
	}
	uint64_t t0 = now_ns();
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		fail("open on disk");
		return 0;
	}
	long got = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		got += r;
	close(fd);
	double t = (double)(now_ns() - t0);
	if (got != total)
		printf("bench-error disk read: %ld of %ld bytes\n", got, total);
	return (double)got / (1024.0 * 1024.0) / (t / 1e9);
}

static void bench_disk(void)
{
	struct stat st;
	if (stat(DISK, &st) < 0 || mount_disk() < 0) {
		printf("bench-skip disk: no ext2 on " DISK "\n");
		return;
	}
	const char *path = DISK_DIR "/bench-seq";
	long total = iterations(256) * IO_CHUNK;
	double best_w = 0, best_r = 0;
	for (int r = 0; r < REPEATS; r++) {
		double w = disk_write(path, total);
		double rd = disk_read(path, total);
		best_w = w > best_w ? w : best_w;
		best_r = rd > best_r ? rd : best_r;
		unlink(path);
		sync();
	}
	report("ext2_seq_write", best_w, "MiB/s");
	report("ext2_seq_read", best_r, "MiB/s");
	bench_files(DISK_DIR, "ext2", 1);
	umount(DISK_DIR);
}

/* ---- boot ------------------------------------------------------------------- */

/* The time CSR's rate, from how far it moves while CLOCK_MONOTONIC moves
 * 10 ms (QEMU virt: 10 MHz, but a kernel is never asked). */
static double ticks_per_ns(void)
{
	uint64_t c0, c1, t0 = now_ns(), t;
	__asm__ volatile("rdtime %0" : "=r"(c0));
	while ((t = now_ns()) - t0 < 10000000u)
		;
	__asm__ volatile("rdtime %0" : "=r"(c1));
	return (double)(c1 - c0) / (double)(t - t0);
}

static void bench_boot(void)
{
	double per_ns = ticks_per_ns();
	if (per_ns <= 0) {
		printf("bench-error boot: the time CSR does not move\n");
		return;
	}
	report("boot_to_init", (double)bench_entry_ticks / per_ns / 1000.0, "us");
}

/* ---- as /init ---------------------------------------------------------------- */

static void mount_basics(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	/* Linux: device nodes come from devtmpfs; Rivet's /dev has them. */
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL) < 0)
		fail("mount /tmp");
}

/* bench.quick on the kernel command line: read from /proc/cmdline, since
 * neither kernel hands such a word to init. */
static int cmdline_has(const char *word)
{
	char line[1024];
	FILE *f = fopen("/proc/cmdline", "r");
	int found = 0;
	if (!f)
		return 0;
	if (fgets(line, sizeof line, f))
		for (char *w = strtok(line, " \n"); w; w = strtok(NULL, " \n"))
			found |= strcmp(w, word) == 0;
	fclose(f);
	return found;
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	fail("reboot");
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct utsname u;
	int as_init = getpid() == 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--exit") == 0)
			return 0;
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
	}
	if (as_init) {
		mount_basics();
		quick |= cmdline_has("bench.quick");
	}
	uname(&u);
	printf("bench-kernel %s %s\n", u.sysname, u.release);
	if (as_init)
		bench_boot();

	null_fd = open("/dev/null", O_RDWR);
	if (null_fd < 0)
		fail("open /dev/null");
	bench_op("null_syscall", op_null, 50000);
	bench_op("read_dev_null", op_read_null, 50000);
	bench_op("write_dev_null", op_write_null, 50000);
	bench_op("stat", op_stat, 10000);
	bench_op("open_close", op_open_close, 10000);
	bench_op("fork_exit_wait", op_fork, 300);
	bench_op("fork_exec_wait", op_fork_exec, 100);
	bench_op("sh_c_true", op_sh_true, 100);
	bench_op("pipe_round_trip", op_pipe_round_trip, 5000);
	bench_pipe_bandwidth();
	bench_context_switch();
	bench_page_fault();
	bench_op("mmap_munmap_64k", op_mmap_64k, 5000);
	bench_signals();
	bench_files("/tmp", "tmpfs", 0);
	if (as_init)
		bench_disk();

	printf("bench-done %d\n", figures);
	fflush(stdout);
	if (as_init)
		power_off();
	return 0;
}
