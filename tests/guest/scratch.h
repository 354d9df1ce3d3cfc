/* A scratch directory for file-system guest tests: a fresh mkdtemp
 * directory under /tmp that the test works in (so it runs the same on
 * Rivet and on Linux, where qemu-riscv64 uses the host's /tmp), removed
 * with everything in it at the end. Include after check.h. */
#ifndef GUEST_SCRATCH_H
#define GUEST_SCRATCH_H

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[] = "/tmp/rivet.XXXXXX";

static void rmtree_at(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		unlinkat(dirfd, name, 0);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rmtree_at(fd, e->d_name);
	closedir(d);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Makes the directory (umask 022) and moves into it. */
static void setup(void)
{
	umask(022);
	CHECK(mkdtemp(g_dir) != NULL);
	CHECK(chdir(g_dir) == 0);
}

/* Leaves and removes it; checks that it is gone. */
static void teardown(void)
{
	CHECK(chdir("/") == 0);
	rmtree_at(AT_FDCWD, g_dir);
	CHECK_ERR(access(g_dir, F_OK), ENOENT);
}

#endif
