/* Many unprivileged processes, each within its RLIMIT_NOFILE, together
 * trying to fill the kernel with open files (pipes: two files, a pipe and
 * its inode each). The system-wide table (fs.file-max) must stop them with
 * ENFILE long before kernel memory runs out; root may still open past it
 * (Linux's CAP_SYS_ADMIN rule), and once they are gone file-nr is back
 * where it was. robustness_tests.py then checks the shell and MemFree.
 *
 *   file_flood          at the default file-max
 *   file_flood N        with file-max lowered to (files now) + N first,
 *                       restored afterwards
 *
 * Prints "file_flood: P processes opened F files (file-max M, file-nr at
 * the full table A, after B, before C): E refused with ENFILE, X with
 * EMFILE, O with another errno; MemFree fell K kB".
 *
 * Rivet only: on the build machine this would fill the host's file table. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc_number.h"

#define NOBODY 65534
#define MAX_PROCS 1000 /* under nobody's RLIMIT_NPROC (threads-max / 2) */

struct report {
	int files; /* files it opened before the refusal */
	int err;   /* the errno of the refusal */
};

static int write_long(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	int ok = f && fprintf(f, "%ld\n", n) > 0;

	return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

static long free_kb(void)
{
	struct sysinfo si;

	return sysinfo(&si) == 0 ? (long)(si.freeram * si.mem_unit / 1024) : -1;
}

/* One flooder: drops root, opens pipes until refused (an odd last slot
 * gets /dev/null), reports, waits for the release (EOF), exits. */
static void __attribute__((noreturn)) flooder(int report, int release)
{
	struct report r = { 0, 0 };
	int p[2];
	char c;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(2);
	for (;;) {
		if (pipe(p) == 0) {
			r.files += 2;
			continue;
		}
		if (errno == EMFILE && open("/dev/null", O_RDONLY) >= 0) {
			r.files++;
			continue;
		}
		r.err = errno;
		break;
	}
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	while (read(release, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	long before = read_proc_number("/proc/sys/fs/file-nr");
	long old_max = read_proc_number("/proc/sys/fs/file-max");
	long max = old_max, at_full, after, mem_before = free_kb(), mem_full;
	long procs, started = 0, files = 0, enfile = 0, emfile = 0, other = 0, other_errno = 0;
	int report[2], release[2], root_fd, status, bad_exit = 0;
	struct rlimit nofile;
	struct report r;

	if (before < 0 || old_max < 0 || getrlimit(RLIMIT_NOFILE, &nofile) || pipe(report) ||
	    pipe(release))
		return 4;
	if (argc == 2) {
		max = before + 4 + atol(argv[1]); /* + the two pipes just made */
		if (write_long("/proc/sys/fs/file-max", max))
			return 5;
	}
	/* Enough flooders to fill the table twice over, each under its limit. */
	procs = (long)((max - before) * 2 / (long)(nofile.rlim_cur - 8)) + 2;
	procs = procs > MAX_PROCS ? MAX_PROCS : procs;
	fflush(stdout);
	for (; started < procs; started++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(report[0]);
			close(release[1]);
			flooder(report[1], release[0]);
		}
	}
	close(report[1]);
	close(release[0]);
	for (long i = 0; i < started && read(report[0], &r, sizeof(r)) == sizeof(r); i++) {
		files += r.files;
		if (r.err == ENFILE)
			enfile++;
		else if (r.err == EMFILE)
			emfile++;
		else
			other++, other_errno = r.err;
	}
	at_full = read_proc_number("/proc/sys/fs/file-nr");
	mem_full = free_kb();
	root_fd = open("/dev/null", O_RDONLY); /* root goes past file-max */
	close(release[1]);
	while (wait(&status) > 0)
		bad_exit += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	close(report[0]);
	if (root_fd >= 0)
		close(root_fd);
	if (argc == 2 && write_long("/proc/sys/fs/file-max", old_max))
		return 6;
	after = read_proc_number("/proc/sys/fs/file-nr");
	printf("file_flood: %ld processes opened %ld files (file-max %ld, file-nr at the full table"
	       " %ld, after %ld, before %ld): %ld refused with ENFILE, %ld with EMFILE, %ld with"
	       " another errno%s%s; MemFree fell %ld kB; root past the limit: %s\n",
	       started, files, max, at_full, after, before, enfile, emfile, other,
	       other ? ": " : "", other ? strerror((int)other_errno) : "", mem_before - mem_full,
	       root_fd >= 0 ? "yes" : strerror(errno));
	if (started != procs || bad_exit || enfile == 0 || other || root_fd < 0) {
		printf("file_flood: FAILED: %ld of %ld flooders started, %d ended badly\n", started,
		       procs, bad_exit);
		return 1;
	}
	return 0;
}
