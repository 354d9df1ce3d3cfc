/* The small system calls busybox and glibc use: uname and the host name
 * (in a UTS namespace of its own under Linux), sysinfo, times, getrusage,
 * nice values, affinity, scheduling policies, getcpu, prctl, syslog, the
 * error paths of reboot (never a real one), clock_getres. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "proc_mount.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_SIZE_BUFFER 10

static char buf[65536];

static int status_of(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static int hostname_child(void)
{
	struct utsname u;
	char name[65] = "";
	int fd, bad = 0;

	unshare(CLONE_NEWUTS); /* Linux: keep the host's name; Rivet: one name, restored below */
	bad += gethostname(name, sizeof(name)) != 0;
	bad += sethostname("testhost", 8) != 0;
	bad += uname(&u) != 0 || strcmp(u.nodename, "testhost") != 0;
	bad += slurp("/proc/sys/kernel/hostname") <= 0 || strcmp(buf, "testhost\n") != 0;
	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	bad += fd < 0 || write(fd, "viaproc\n", 8) != 8;
	close(fd);
	bad += uname(&u) != 0 || strcmp(u.nodename, "viaproc") != 0;
	bad += setdomainname("example", 7) != 0 || uname(&u) != 0 || strcmp(u.domainname, "example") != 0;
	bad += !(sethostname(buf, 65) == -1 && errno == EINVAL);
	bad += !(sethostname(g_low_addr, 4) == -1 && errno == EFAULT);
	bad += sethostname(name, strlen(name)) != 0;
	return bad;
}

static void test_names(void)
{
	struct utsname u;
	pid_t pid;

	CHECK(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 && strcmp(u.machine, "riscv64") == 0);
	CHECK_ERR(uname(g_low_addr), EFAULT);
	pid = fork();
	if (pid == 0)
		_exit(hostname_child());
	CHECK(status_of(pid) == 0);
	pid = fork();
	if (pid == 0)
		_exit(setuid(1000) == 0 && sethostname("x", 1) == -1 && errno == EPERM &&
			      setdomainname("x", 1) == -1 && errno == EPERM ? 0 : 1);
	CHECK(status_of(pid) == 0);
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	double up = 0;

	CHECK(sysinfo(&si) == 0);
	CHECK(si.totalram > 0 && si.freeram <= si.totalram && si.mem_unit >= 1 && si.procs >= 1);
	CHECK(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf", &up) == 1);
	CHECK(si.uptime - (long)up < 2 && (long)up - si.uptime < 2);
	{
		double l1 = -1, l1_si = (double)si.loads[0] / 65536;
		CHECK(slurp("/proc/loadavg") > 0 && sscanf(buf, "%lf", &l1) == 1);
		CHECK(l1 >= 0 && l1 - l1_si < 0.5 && l1_si - l1 < 0.5); /* a sample may fall between */
	}
	CHECK_ERR(sysinfo(g_low_addr), EFAULT);
}

/* Spins until the process has used a few clock ticks of CPU. */
static void burn(void)
{
	struct tms t;
	time_t start = time(NULL);

	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		times(&t);
	} while (t.tms_utime + t.tms_stime < 3 && time(NULL) - start < 20);
}

static void test_times(void)
{
	struct tms t;
	struct rusage ru;
	pid_t pid;

	burn();
	CHECK(times(&t) != (clock_t)-1 && t.tms_utime + t.tms_stime >= 3);
	CHECK(times(NULL) != (clock_t)-1);
	CHECK_ERR(syscall(SYS_times, g_low_addr), EFAULT); /* glibc's times() faults on purpose */
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		ru.ru_utime.tv_usec + ru.ru_stime.tv_usec > 0);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
	pid = fork();
	if (pid == 0) {
		burn();
		_exit(0);
	}
	CHECK(status_of(pid) == 0);
	CHECK(times(&t) != (clock_t)-1 && t.tms_cutime + t.tms_cstime >= 3);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
		ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec >= 20000);
	CHECK_ERR(getrusage(5, &ru), EINVAL);
	CHECK_ERR(getrusage(RUSAGE_SELF, g_low_addr), EFAULT);
}

static void test_priority(void)
{
	int n0, status;
	pid_t pid;

	errno = 0;
	n0 = getpriority(PRIO_PROCESS, 0);
	CHECK(errno == 0 && n0 >= -20 && n0 <= 19);
	pid = fork();
	if (pid == 0) {
		int bad = 0;
		bad += setpriority(PRIO_PROCESS, 0, 5) != 0 || getpriority(PRIO_PROCESS, 0) != 5;
		bad += setpriority(PRIO_PROCESS, 0, 100) != 0 || getpriority(PRIO_PROCESS, 0) != 19;
		bad += setpriority(PRIO_PROCESS, getpid(), 10) != 0 || getpriority(PRIO_PROCESS, getpid()) != 10;
		bad += setuid(1000) != 0;
		bad += !(setpriority(PRIO_PROCESS, 0, 5) == -1 && errno == EACCES); /* lower needs privilege */
		bad += setpriority(PRIO_PROCESS, 0, 15) != 0;
		bad += !(setpriority(PRIO_PROCESS, getppid(), 15) == -1 && errno == EPERM);
		_exit(bad);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(getpriority(PRIO_PROCESS, 0) == n0); /* the child's changes were its own */
	CHECK_ERR(getpriority(7, 0), EINVAL);
	CHECK_ERR(setpriority(7, 0, 0), EINVAL);
	CHECK_ERR(getpriority(PRIO_PROCESS, 999999999), ESRCH);
	CHECK_ERR(setpriority(PRIO_PROCESS, 999999999, 0), ESRCH);
}

static void test_sched(void)
{
	cpu_set_t set, empty;
	struct sched_param sp = { 0 };
	unsigned cpu = 99, node = 99;
	long n;

	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 1);
	n = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	CHECK(n > 0 && n % 8 == 0);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 1, &set), EINVAL);
	CHECK_ERR(sched_getaffinity(999999999, sizeof(set), &set), ESRCH);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
	CPU_ZERO(&empty);
	CHECK_ERR(sched_setaffinity(0, sizeof(empty), &empty), EINVAL);
	CHECK_ERR(sched_getaffinity(0, sizeof(set), g_low_addr), EFAULT);
	CHECK(sched_getscheduler(0) == SCHED_OTHER);
	CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 0);
	CHECK(sched_setscheduler(0, SCHED_OTHER, &sp) == 0);
	sp.sched_priority = 5;
	CHECK_ERR(sched_setscheduler(0, SCHED_OTHER, &sp), EINVAL);
	CHECK_ERR(sched_setscheduler(0, 99, &sp), EINVAL);
	CHECK_ERR(sched_getscheduler(-1), EINVAL);
	CHECK_ERR(sched_getscheduler(999999999), ESRCH);
	CHECK(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1);
	CHECK(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_OTHER) == 0);
	CHECK_ERR(sched_get_priority_max(99), EINVAL);
	CHECK(syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && CPU_ISSET(cpu, &set));
	CHECK(syscall(SYS_getcpu, NULL, NULL, NULL) == 0);
}

static void test_prctl(void)
{
	char name[32];
	int sig = 0;

	CHECK(prctl(PR_SET_NAME, "abcdefghijklmnopqrstu") == 0);
	CHECK(prctl(PR_GET_NAME, name) == 0 && strcmp(name, "abcdefghijklmno") == 0);
	CHECK(prctl(PR_SET_NAME, "test_misc_sys") == 0);
	CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR1) == 0);
	CHECK(prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGUSR1);
	CHECK(prctl(PR_SET_PDEATHSIG, 0) == 0);
	CHECK_ERR(prctl(PR_SET_PDEATHSIG, 1000), EINVAL);
	CHECK_ERR(prctl(PR_GET_NAME, g_low_addr), EFAULT);
	CHECK_ERR(prctl(0x7fff, 0, 0, 0, 0), EINVAL);
	CHECK(prctl(PR_GET_DUMPABLE) == 1);
}

#define READY_FILE "/tmp/pdeath-ready"

/* The grandchild's pid, once it has written it (after its prctl). */
static pid_t ready_pid(void)
{
	int fd = open(READY_FILE, O_RDONLY);
	char text[16] = "";

	if (fd >= 0) {
		if (read(fd, text, sizeof(text) - 1) < 0)
			text[0] = '\0';
		close(fd);
	}
	return atoi(text);
}

/* Gone, or a zombie (then reaped if it is ours: Rivet's init is this test). */
static bool dead(pid_t pid)
{
	char path[32], state = 0;
	int status;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (slurp(path) <= 0)
		return true;
	sscanf(strrchr(buf, ')') + 2, "%c", &state);
	if (state != 'Z')
		return false;
	if (waitpid(pid, &status, 0) == pid)
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return true;
}

/* A grandchild with PR_SET_PDEATHSIG gets SIGKILL when its parent exits;
 * without it the grandchild would spin for ever. */
static void test_pdeath(void)
{
	pid_t middle, gpid;
	bool gone = false;

	unlink(READY_FILE);
	middle = fork();
	if (middle == 0) {
		pid_t me = getpid();
		if (fork() == 0) {
			char text[16];
			int fd;
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(3); /* the parent was already gone */
			snprintf(text, sizeof(text), "%d", getpid());
			fd = open(READY_FILE ".tmp", O_CREAT | O_WRONLY | O_TRUNC, 0644);
			if (fd < 0 || write(fd, text, strlen(text)) < 0 || close(fd) ||
			    rename(READY_FILE ".tmp", READY_FILE))
				_exit(4);
			for (;;)
				sched_yield();
		}
		while (ready_pid() == 0)
			sched_yield();
		_exit(0);
	}
	CHECK(status_of(middle) == 0);
	gpid = ready_pid();
	CHECK(gpid > 0);
	for (time_t start = time(NULL); gpid > 0 && !(gone = dead(gpid)) && time(NULL) - start < 10;)
		usleep(1000); /* (without nanosleep, a busy poll) */
	CHECK(gone);
	if (!gone && gpid > 0)
		kill(gpid, SIGKILL); /* do not leave it spinning */
	unlink(READY_FILE);
}

static void test_syslog(void)
{
	long size = syscall(SYS_syslog, SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), n;
	pid_t pid;

	CHECK(size > 0);
	n = syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, buf, (int)sizeof(buf));
	CHECK(n > 0 && n <= (long)sizeof(buf));
	CHECK(syscall(SYS_syslog, SYSLOG_ACTION_READ_ALL, buf, 0) == 0);
	/* (A NULL buffer or a negative length is EINVAL on Linux; qemu-user
	 * answers those itself, differently, so they are not checked here.) */
	CHECK_ERR(syscall(SYS_syslog, 99, NULL, 0), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(setuid(1000) == 0 && syscall(SYS_syslog, SYSLOG_ACTION_CLEAR, NULL, 0) == -1 &&
			      errno == EPERM ? 0 : 1);
	CHECK(status_of(pid) == 0);
}

/* Only calls that must fail: a good one would end the machine (or the host). */
static void test_reboot_errors(void)
{
	pid_t pid;

	CHECK_ERR(syscall(SYS_reboot, 0x12345678, 672274793, RB_POWER_OFF, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_reboot, 0xfee1dead, 1, RB_AUTOBOOT, NULL), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(setuid(1000) == 0 && syscall(SYS_reboot, 0x12345678, 0, RB_POWER_OFF, NULL) == -1 &&
			      errno == EPERM ? 0 : 1);
	CHECK(status_of(pid) == 0);
}

static void test_clocks(void)
{
	struct timespec res;
	mode_t old;

	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
	      res.tv_nsec <= 10000000);
	CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_nsec > 0);
	CHECK(clock_getres(CLOCK_BOOTTIME, NULL) == 0);
	CHECK_ERR(clock_getres(10, &res), EINVAL);
	CHECK_ERR(clock_getres(100, &res), EINVAL);
	/* (A bad res pointer is EFAULT on Linux, but qemu-user's copy-out ignores it.) */
	old = umask(027);
	CHECK(umask(old) == 027);
}

int main(void)
{
	ensure_proc();
	test_names();
	test_sysinfo();
	test_times();
	test_priority();
	test_sched();
	test_prctl();
	test_pdeath();
	test_syslog();
	test_reboot_errors();
	test_clocks();
	return check_done("test_misc_sys");
}
