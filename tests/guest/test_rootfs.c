/* The root file system: this program was unpacked from the initramfs into
 * it (on Linux it is simply on disk), so it must be there, whole, with its
 * mode, in a directory that lists it and the other test programs. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

/* Reads the whole file; its length, or -1. */
static long read_all(const char *path, char **out)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;
	char *buf = NULL;

	if (fd < 0)
		return -1;
	do {
		buf = realloc(buf, len + 65536);
		n = read(fd, buf + len, 65536);
		len += n > 0 ? n : 0;
	} while (n > 0);
	close(fd);
	*out = buf;
	return n < 0 ? -1 : len;
}

static void test_self(const char *self)
{
	struct stat st;
	Elf64_Ehdr eh;
	char *data = NULL;
	long len;

	CHECK(stat(self, &st) == 0 && S_ISREG(st.st_mode));
	CHECK((st.st_mode & 07777) == 0755);
	CHECK(st.st_nlink == 1 && st.st_size > 4096);
	CHECK(access(self, R_OK | X_OK) == 0);
	len = read_all(self, &data);
	CHECK(len == st.st_size);
	CHECK(len > (long)sizeof(eh));
	if (len > (long)sizeof(eh)) {
		memcpy(&eh, data, sizeof(eh));
		CHECK(memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_machine == EM_RISCV);
		/* The section headers come last: the file is all there. */
		CHECK((long)(eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize) == len);
	}
	free(data);
}

static void test_listing(const char *self)
{
	char *copy = strdup(self), *dir = dirname(copy);
	const char *base = strrchr(self, '/') ? strrchr(self, '/') + 1 : self;
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0, others = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, base) == 0)
			found += e->d_type == DT_REG;
		if (!strcmp(e->d_name, "test_basic") || !strcmp(e->d_name, "hello"))
			others += e->d_type == DT_REG;
	}
	if (d)
		closedir(d);
	CHECK(found == 1);
	CHECK(others == 2);
	free(copy);
}

static void test_root(void)
{
	struct stat a, b;

	CHECK(stat("/", &a) == 0 && S_ISDIR(a.st_mode));
	CHECK(stat("/..", &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK(chdir("/") == 0 && stat(".", &b) == 0 && b.st_ino == a.st_ino);
}

int main(int argc, char **argv)
{
	(void)argc;
	test_self(argv[0]);
	test_listing(argv[0]);
	test_root();
	return check_done("test_rootfs");
}
