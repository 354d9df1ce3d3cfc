/* The /proc files of the kernel's resource limits against Linux: the
 * system-wide open-file table (/proc/sys/fs/file-nr and file-max) and the
 * OOM killer's per-process files (/proc/PID/oom_score, oom_score_adj).
 *
 * Under Linux the host kernel answers and may be shared with anything else
 * (its file count moves by itself, a container may deny /proc writes, the
 * test may not be root), so there only formats, ranges and the rules an
 * unprivileged process meets are checked. Exact counts, lowering file-max
 * (which on Linux would change the host's limit) and the root-only paths
 * are Rivet's (on_rivet()). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "proc_mount.h"
#include "slurp.h"

#define NOBODY 65534

/* file-nr: "allocated <tab> 0 <tab> max"; 0 if it does not parse. */
static int file_nr(unsigned long *nr, unsigned long *max)
{
	unsigned long unused;
	char tab1, tab2;

	return slurp("/proc/sys/fs/file-nr") > 0 &&
	       sscanf(buf, "%lu%c%lu%c%lu", nr, &tab1, &unused, &tab2, max) == 5 &&
	       tab1 == '\t' && tab2 == '\t' && unused == 0;
}

/* Writes text to path: 0, or -errno (of the open or the write). */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = -errno;
	close(fd);
	return err;
}

static long read_long(const char *path)
{
	return slurp(path) > 0 ? strtol(buf, NULL, 10) : -99999;
}

static bool drop_to_nobody(void)
{
	return setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 && setuid(NOBODY) == 0;
}

/* Runs fn in a child; its exit status 0 is one pass. */
static void in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		printf("  the child failed at step %d\n", WEXITSTATUS(status));
}

static void test_file_nr(void)
{
	unsigned long nr, max, nr2, max2;
	int p[10][2];

	CHECK(file_nr(&nr, &max) && max > 0);
	CHECK(slurp("/proc/sys/fs/file-max") > 0 && strtoul(buf, NULL, 10) == max);
	if (geteuid() != 0) { /* EROFS where a container mounts /proc/sys read-only */
		int err = write_text("/proc/sys/fs/file-max", "100\n");
		CHECK(err == -EACCES || err == -EROFS);
	}
	if (!on_rivet())
		return; /* the host's count moves with everything else on it */
	for (int i = 0; i < 10; i++)
		CHECK(pipe(p[i]) == 0);
	CHECK(file_nr(&nr2, &max2) && nr2 == nr + 20 && max2 == max);
	for (int i = 0; i < 10; i++)
		close(p[i][0]), close(p[i][1]);
	CHECK(file_nr(&nr2, &max2) && nr2 == nr);
}

/* An unprivileged child at a full table: ENFILE for pipe and open alike,
 * while it is far from its own RLIMIT_NOFILE. Step numbers as exit codes. */
static int enfile_child(void)
{
	int p[2], fds = 0;

	if (!drop_to_nobody())
		return 10;
	while (pipe(p) == 0)
		fds += 2;
	if (errno != ENFILE)
		return 11;
	while (open("/dev/null", O_RDONLY) >= 0) /* the one left if a pipe needed two */
		fds++;
	if (errno != ENFILE)
		return 12;
	if (fds > 64)
		return 13; /* the table was only 16 short of full */
	if (pipe(p) != -1 || errno != ENFILE)
		return 14;
	return 0;
}

/* Rivet only, as root: lower file-max to just above the count, meet ENFILE
 * unprivileged, see root go past it (Linux's CAP_SYS_ADMIN), restore. */
static void test_file_max(void)
{
	unsigned long nr, max, nr2;
	char text[32];
	int fd;

	if (!on_rivet() || geteuid() != 0)
		return;
	CHECK(file_nr(&nr, &max));
	CHECK(write_text("/proc/sys/fs/file-max", "-1\n") == -EINVAL);
	CHECK(write_text("/proc/sys/fs/file-max", "many\n") == -EINVAL);
	snprintf(text, sizeof(text), "%lu\n", nr + 16);
	CHECK(write_text("/proc/sys/fs/file-max", text) == 0);
	CHECK(read_long("/proc/sys/fs/file-max") == (long)(nr + 16));
	in_child(enfile_child);
	CHECK(file_nr(&nr2, &max) && nr2 == nr); /* the child's files are gone */
	snprintf(text, sizeof(text), "%lu\n", nr);
	CHECK(write_text("/proc/sys/fs/file-max", text) == 0);
	CHECK((fd = open("/dev/null", O_RDONLY)) >= 0); /* root, past the limit */
	close(fd);
	snprintf(text, sizeof(text), "%lu", max);
	CHECK(write_text("/proc/sys/fs/file-max", text) == 0);
	CHECK(file_nr(&nr2, &max) && nr2 == nr && max == strtoul(text, NULL, 10));
}

/* Raising one's own oom_score_adj is always allowed, and coming back down
 * to where it was (never below the floor a privileged writer set); the
 * range is checked; +1000 puts oom_score at the top of the scale. Exit
 * codes are steps. A container may forbid the write altogether: then
 * nothing is checked. */
static int adj_raise_child(void)
{
	long score, adj = read_long("/proc/self/oom_score_adj");
	char text[16];
	int err = write_text("/proc/self/oom_score_adj", "1000\n");

	if (!on_rivet() && (err == -EACCES || err == -EPERM || err == -EROFS))
		return 0;
	if (err)
		return 20;
	if (read_long("/proc/self/oom_score_adj") != 1000)
		return 21;
	score = read_long("/proc/self/oom_score");
	if (score < 1000 || score > 2000)
		return 22; /* Linux: (1000 + badness per mille) * 2/3, badness >= all memory */
	if (write_text("/proc/self/oom_score_adj", "1001") != -EINVAL ||
	    write_text("/proc/self/oom_score_adj", "-1001") != -EINVAL ||
	    write_text("/proc/self/oom_score_adj", "some") != -EINVAL)
		return 23;
	if (read_long("/proc/self/oom_score_adj") != 1000)
		return 24;
	snprintf(text, sizeof(text), "%ld", adj);
	if (write_text("/proc/self/oom_score_adj", text) != 0 ||
	    read_long("/proc/self/oom_score_adj") != adj)
		return 25;
	return 0;
}

/* An unprivileged process may not go below the floor (0 here: nobody
 * privileged set one), nor write another user's file. */
static int adj_unprivileged_child(void)
{
	if (!drop_to_nobody())
		return 30;
	if (write_text("/proc/self/oom_score_adj", "500") != 0 ||
	    write_text("/proc/self/oom_score_adj", "0") != 0)
		return 31;
	if (write_text("/proc/self/oom_score_adj", "-1") != -EACCES)
		return 32;
	if (read_long("/proc/self/oom_score_adj") != 0)
		return 33;
	if (write_text("/proc/1/oom_score_adj", "1000") != -EACCES)
		return 34;
	return 0;
}

static int adj_inherit_grandchild(void)
{
	return read_long("/proc/self/oom_score_adj") == -1000 && read_long("/proc/self/oom_score") == 0
		       ? 0 : 40;
}

/* Root sets -1000 (exempt: oom_score 0), a fork inherits it, and root's
 * write set the floor, so the process may come back to it unprivileged. */
static int adj_root_child(void)
{
	int status;
	pid_t pid;

	if (write_text("/proc/self/oom_score_adj", "-1000") != 0)
		return 41;
	if (read_long("/proc/self/oom_score") != 0)
		return 42;
	if ((pid = fork()) == 0)
		_exit(adj_inherit_grandchild());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 43;
	if (!drop_to_nobody() || write_text("/proc/self/oom_score_adj", "0") != 0 ||
	    write_text("/proc/self/oom_score_adj", "-1000") != 0)
		return 44;
	return 0;
}

static void test_oom_files(void)
{
	long adj = read_long("/proc/self/oom_score_adj");
	long score = read_long("/proc/self/oom_score");

	CHECK(adj >= -1000 && adj <= 1000);
	CHECK(score >= 0 && score <= 2000);
	CHECK(read_long("/proc/1/oom_score") >= 0); /* init's, any user may read it */
	in_child(adj_raise_child);
	if (!on_rivet() || geteuid() != 0)
		return; /* what the host's floor is, this test cannot know */
	CHECK(adj == 0 && read_long("/proc/1/oom_score") == 0); /* init is never picked */
	in_child(adj_unprivileged_child);
	in_child(adj_root_child);
}

int main(void)
{
	ensure_proc();
	test_file_nr();
	test_file_max();
	test_oom_files();
	return check_done("test_proc_limits");
}
