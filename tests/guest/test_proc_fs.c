/* /proc: the per-process files checked against the process's own view of
 * itself (getpid, getppid, getcwd, its descriptors, argv), the system-wide
 * files for their formats, as Linux writes them. Under qemu-user the host
 * kernel answers (qemu itself fakes a few /proc/self files), so nothing
 * here expects fixed values. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "proc_mount.h"
#include "slurp.h"

extern char **environ;


static bool dir_has(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, name) == 0)
			found = true;
	if (d)
		closedir(d);
	return found;
}

static void test_self_links(void)
{
	char link[64], want[64];
	long n;

	snprintf(want, sizeof(want), "%d", getpid());
	n = readlink("/proc/self", link, sizeof(link) - 1);
	CHECK(n > 0 && (link[n] = '\0', strcmp(link, want) == 0));
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), getpid());
	n = readlink("/proc/thread-self", link, sizeof(link) - 1);
	CHECK(n > 0 && (link[n] = '\0', strcmp(link, want) == 0));
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK(dir_has("/proc", want));
	CHECK(dir_has("/proc", "self"));
	snprintf(want, sizeof(want), "/proc/%d/task", getpid());
	snprintf(link, sizeof(link), "%d", getpid());
	CHECK(dir_has(want, link));
	CHECK_ERR(open("/proc/999999999/stat", O_RDONLY), ENOENT);
}

static void test_stat(void)
{
	int pid, ppid, pgrp, sid, fields = 0;
	char comm[64], state, *p;

	CHECK(slurp("/proc/self/stat") > 0);
	CHECK(sscanf(buf, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &sid) == 6);
	CHECK(pid == getpid());
	CHECK(strcmp(comm, "test_proc_fs") == 0);
	CHECK(ppid == getppid()); /* qemu-user fakes only these four fields */
	(void)state, (void)pgrp, (void)sid;
	for (p = strrchr(buf, ')'); p && *p; p++)
		if (*p == ' ')
			fields++;
	CHECK(fields + 2 >= 44); /* Linux has 52; qemu-user fakes 44 */
	/* The same file by number, and a read from the middle. */
	{
		char path[64], first[4096];
		int fd;
		snprintf(path, sizeof(path), "/proc/%d/stat", getpid());
		CHECK(slurp(path) > 0 && atoi(buf) == getpid());
		strcpy(first, buf);
		fd = open(path, O_RDONLY);
		CHECK(fd >= 0 && pread(fd, buf, 8, 2) == 8 && memcmp(buf, first + 2, 8) == 0);
		CHECK_ERR(read(fd, g_low_addr, 16), EFAULT);
		close(fd);
	}
}

static void test_status(void)
{
	char name[64], comm[64], *line;
	unsigned r, e, s, f;

	CHECK(slurp("/proc/self/comm") > 0 && sscanf(buf, "%63s", comm) == 1);
	CHECK(slurp("/proc/self/status") > 0);
	CHECK(sscanf(buf, "Name:\t%63s", name) == 1 && strcmp(name, comm) == 0);
	CHECK((line = strstr(buf, "\nPid:\t")) && atoi(line + 6) == getpid());
	CHECK((line = strstr(buf, "\nPPid:\t")) && atoi(line + 7) == getppid());
	CHECK((line = strstr(buf, "\nUid:\t")) && sscanf(line + 6, "%u %u %u %u", &r, &e, &s, &f) == 4);
	CHECK(r == getuid() && e == geteuid());
	CHECK((line = strstr(buf, "\nGid:\t")) && sscanf(line + 6, "%u %u %u %u", &r, &e, &s, &f) == 4);
	CHECK(r == getgid() && e == getegid());
}

static void test_cmdline_environ(int argc, char **argv)
{
	long n = slurp("/proc/self/cmdline"), off = 0;
	bool same = n > 0;

	for (int i = 0; i < argc && same; i++) {
		same = strcmp(buf + off, argv[i]) == 0;
		off += (long)strlen(argv[i]) + 1;
	}
	CHECK(same && off == n);
	n = slurp("/proc/self/environ");
	CHECK(n >= 0);
	for (char **e = environ; e && *e; e++) {
		bool found = false;
		for (long o = 0; o < n && !found; o += (long)strlen(buf + o) + 1)
			found = strcmp(buf + o, *e) == 0;
		CHECK(found);
	}
}

static void test_fs_links(void)
{
	char link[4096], cwd[4096];
	long n;
	int fd;
	struct stat a, b;

	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	CHECK(n > 0 && link[0] == '/');
	if (n > 0) {
		link[n] = '\0';
		CHECK(strstr(link, "test_proc_fs") != NULL);
	}
	CHECK(chdir("/tmp") == 0 && getcwd(cwd, sizeof(cwd)));
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	CHECK(n > 0 && (link[n] = '\0', strcmp(link, cwd) == 0));
	n = readlink("/proc/self/root", link, sizeof(link) - 1);
	CHECK(n == 1 && link[0] == '/');
	/* The cwd link can be walked through, as Linux. */
	CHECK(stat("/proc/self/cwd/.", &a) == 0 && stat(".", &b) == 0 && a.st_ino == b.st_ino);

	fd = open("/tmp/procfs-fd-test", O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, "hello", 5) == 5);
	{
		char path[64], name[64];
		int fd2;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		snprintf(name, sizeof(name), "%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		CHECK(n > 0 && (link[n] = '\0', strcmp(link, "/tmp/procfs-fd-test") == 0));
		CHECK(lstat(path, &a) == 0 && S_ISLNK(a.st_mode));
		CHECK(stat(path, &a) == 0 && fstat(fd, &b) == 0 && a.st_ino == b.st_ino);
		fd2 = open(path, O_RDONLY);
		CHECK(fd2 >= 0 && read(fd2, link, 5) == 5 && memcmp(link, "hello", 5) == 0);
		close(fd2);
		CHECK(dir_has("/proc/self/fd", name));
		CHECK(lseek(fd, 3, SEEK_SET) == 3);
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		{
			unsigned long pos = 99;
			unsigned flags = 0;
			CHECK(slurp(path) > 0 && sscanf(buf, "pos: %lu flags: %o", &pos, &flags) == 2);
			CHECK(pos == 3 && (flags & O_ACCMODE) == O_RDWR);
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		CHECK(rename("/tmp/procfs-fd-test", "/tmp/procfs-fd-moved") == 0);
		CHECK(unlink("/tmp/procfs-fd-moved") == 0);
		n = readlink(path, link, sizeof(link) - 1);
		CHECK(n > 0 && (link[n] = '\0', strstr(link, " (deleted)") != NULL));
		fd2 = open("/proc/self/status", O_RDONLY); /* (qemu-user fakes stat) */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd2);
		n = readlink(path, link, sizeof(link) - 1);
		snprintf(name, sizeof(name), "/proc/%d/status", getpid());
		CHECK(n > 0 && (link[n] = '\0', strcmp(link, name) == 0));
		close(fd2);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		snprintf(name, sizeof(name), "%d", fd);
		CHECK(dir_has("/proc/self/fd", "0") || fcntl(0, F_GETFD) < 0);
		close(fd);
		CHECK_ERR(readlink(path, link, sizeof(link)), ENOENT);
		fd = fcntl(0, F_DUPFD, 200); /* a number opendir will not take again */
		snprintf(name, sizeof(name), "%d", fd);
		CHECK(fd >= 200 && dir_has("/proc/self/fd", name));
		close(fd);
		CHECK(!dir_has("/proc/self/fd", name));
	}
	unlink("/tmp/procfs-fd-test");
}

static void test_comm_write(void)
{
	char name[17];
	int fd = open("/proc/self/comm", O_WRONLY);

	CHECK(fd >= 0 && write(fd, "renamed", 7) == 7);
	close(fd);
	CHECK(prctl(PR_GET_NAME, name) == 0 && strcmp(name, "renamed") == 0);
	CHECK(slurp("/proc/self/comm") > 0 && strcmp(buf, "renamed\n") == 0);
	prctl(PR_SET_NAME, "test_proc_fs");
}

static void test_memory_files(void)
{
	unsigned long total = 0, free_kb = 0, avail = 0, v[7];
	char *line;

	char *heap = malloc(100000); /* so there is a heap to show */

	CHECK(heap != NULL);
	CHECK(slurp("/proc/meminfo") > 0);
	CHECK(sscanf(buf, "MemTotal: %lu kB", &total) == 1 && total > 0);
	CHECK((line = strstr(buf, "\nMemFree:")) && sscanf(line + 9, "%lu", &free_kb) == 1);
	CHECK((line = strstr(buf, "\nMemAvailable:")) && sscanf(line + 14, "%lu", &avail) == 1);
	CHECK(free_kb <= total && avail <= total);
	CHECK(strstr(buf, "\nCached:") && strstr(buf, "\nBuffers:") && strstr(buf, "\nSwapTotal:"));
	CHECK(slurp("/proc/self/statm") > 0);
	CHECK(sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		     &v[6]) == 7 && v[0] > 0);
	CHECK(slurp("/proc/self/maps") > 0);
	{
		unsigned long lo, hi;
		char perms[8];
		int lines = 0, good = 0;
		for (line = buf; *line; line = strchr(line, '\n') + 1) {
			lines++;
			good += sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo < hi &&
				strlen(perms) == 4;
			if (!strchr(line, '\n'))
				break;
		}
		CHECK(lines > 0 && good == lines);
	}
	free(heap);
}

static void test_system_files(void)
{
	double up, idle;
	struct timespec ts;
	struct utsname u;
	char want[128], *line;
	int running, total, last;
	double l1, l5, l15;
	cpu_set_t set;
	int cpus = 0;

	CHECK(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf %lf", &up, &idle) == 2);
	CHECK(clock_gettime(CLOCK_BOOTTIME, &ts) == 0);
	CHECK(up > 0 && idle >= 0 && up - (double)ts.tv_sec < 2 && (double)ts.tv_sec - up < 2);
	CHECK(slurp("/proc/loadavg") > 0);
	CHECK(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6);
	CHECK(running >= 1 && total >= running);
	CHECK(slurp("/proc/stat") > 0 && strncmp(buf, "cpu ", 4) == 0);
	CHECK(strstr(buf, "\ncpu0 ") && strstr(buf, "\nbtime ") && strstr(buf, "\nprocesses "));
	CHECK((line = strstr(buf, "\nprocs_running ")) && atoi(line + 15) >= 1);
	CHECK(slurp("/proc/cpuinfo") > 0);
	for (line = buf; (line = strstr(line, "processor")); line++)
		cpus++;
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0);
	CHECK(cpus >= CPU_COUNT(&set) && CPU_COUNT(&set) >= 1);
	CHECK(slurp("/proc/version") > 0 && strncmp(buf, "Linux version ", 14) == 0);
	CHECK(slurp("/proc/filesystems") > 0);
	CHECK(strstr(buf, "nodev\tproc\n") && strstr(buf, "nodev\ttmpfs\n"));
	CHECK(slurp("/proc/cmdline") > 0 && buf[strlen(buf) - 1] == '\n');
	CHECK(uname(&u) == 0);
	snprintf(want, sizeof(want), "%s\n", u.release);
	CHECK(slurp("/proc/sys/kernel/osrelease") > 0 && strcmp(buf, want) == 0);
	snprintf(want, sizeof(want), "%s\n", u.nodename);
	CHECK(slurp("/proc/sys/kernel/hostname") > 0 && strcmp(buf, want) == 0);
	CHECK(slurp("/proc/sys/kernel/ostype") > 0 && strcmp(buf, "Linux\n") == 0);
	CHECK(slurp("/proc/sys/kernel/pid_max") > 0 && atoi(buf) >= getpid());
	CHECK(slurp("/proc/sys/kernel/ngroups_max") > 0 && atol(buf) == sysconf(_SC_NGROUPS_MAX));
	CHECK(slurp("/proc/sys/kernel/cap_last_cap") > 0 && atoi(buf) >= 40);
}

static void test_mounts(void)
{
	char link[64];
	long n = readlink("/proc/mounts", link, sizeof(link) - 1);

	CHECK(n > 0 && (link[n] = '\0', strcmp(link, "self/mounts") == 0));
	CHECK(slurp("/proc/mounts") > 0 && strstr(buf, " /proc proc "));
	CHECK(slurp("/proc/self/mountinfo") > 0 && strstr(buf, " /proc ") && strstr(buf, " - proc "));
}

static void test_zombie(void)
{
	char path[64];
	char state = 0;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(3);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	/* Yields first, then 1 ms naps for up to 2 s: on a loaded host the
	 * Linux oracle's child may not run within a thousand yields. */
	for (int i = 0; i < 3000 && state != 'Z'; i++) {
		if (slurp(path) > 0)
			sscanf(strrchr(buf, ')') + 2, "%c", &state);
		if (state != 'Z' && i < 1000)
			sched_yield();
		else if (state != 'Z')
			usleep(1000);
	}
	CHECK(state == 'Z');
	{
		int cpid, cppid, cpgrp, csid;
		char comm[64], st;
		CHECK(sscanf(buf, "%d (%63[^)]) %c %d %d %d", &cpid, comm, &st, &cppid, &cpgrp, &csid) == 6);
		CHECK(cpid == pid && strcmp(comm, "test_proc_fs") == 0 && cppid == getpid());
		/* Group and session are ours; both read 0 when led from outside our PID namespace. */
		CHECK(cpgrp == getpgrp() && csid == getsid(0));
	}
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
}

int main(int argc, char **argv)
{
	ensure_proc();
	test_self_links();
	test_stat();
	test_status();
	test_cmdline_environ(argc, argv);
	test_fs_links();
	test_comm_write();
	test_memory_files();
	test_system_files();
	test_mounts();
	test_zombie();
	return check_done("test_proc_fs");
}
